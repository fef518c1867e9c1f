//===- HFImporter.cpp - HuggingFace config.json -> ModelSpec ---------------===//
//
// The family is data: <familiesDir>/<model_type>.json maps config keys to
// ModelSpec fields ("fields"), sets structural switches ("structure") and
// gives tensor-name patterns ("tensors"). See docs/AddingAFamily.md.
//
//===----------------------------------------------------------------------===//
#include "tt/Import/HFImporter.h"
#include "tt/Import/ModelBuilder.h"
#include "tt/Import/SafetensorsReader.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include <functional>
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include <cctype>
#include <cmath>

using namespace mlir;
namespace json = llvm::json;

namespace tt {
namespace {

/// Reads and parses a JSON file; malformed JSON is reported at its line and
/// column.
std::optional<json::Value> readJSON(MLIRContext &ctx, StringRef path,
                                    StringRef what,
                                    std::string *text = nullptr) {
  auto buf = llvm::MemoryBuffer::getFile(path);
  if (!buf) {
    emitError(FileLineColLoc::get(&ctx, path, 0, 0))
        << "cannot read " << what << " '" << path
        << "': " << buf.getError().message();
    return std::nullopt;
  }
  if (text)
    *text = (*buf)->getBuffer().str();
  auto v = json::parse((*buf)->getBuffer());
  if (!v) {
    std::string msg = llvm::toString(v.takeError());
    unsigned line = 0, col = 0;
    SmallVector<StringRef> m;
    if (llvm::Regex("\\[([0-9]+):([0-9]+)").match(msg, &m)) {
      m[1].getAsInteger(10, line);
      m[2].getAsInteger(10, col);
    }
    emitError(FileLineColLoc::get(&ctx, path, line, col))
        << "malformed JSON in " << what << ": " << msg;
    return std::nullopt;
  }
  return std::move(*v);
}

class Importer {
public:
  Importer(MLIRContext &ctx, StringRef configPath, StringRef configText,
           const json::Object &config, StringRef familyPath,
           const json::Object &family)
      : ctx(ctx), configPath(configPath), configText(configText), config(config),
        familyPath(familyPath), family(family),
        loc(FileLineColLoc::get(&ctx, configPath, 1, 1)) {}

  OwningOpRef<ModuleOp> run(StringRef funcName);
  const StoredTensors *stored = nullptr;

private:
  MLIRContext &ctx;
  StringRef configPath;
  StringRef configText;
  const json::Object &config;
  StringRef familyPath;
  const json::Object &family;
  Location loc;
  bool ok = true;
  // Values resolved from "fields", by field name.
  llvm::StringMap<json::Value> resolved;
  llvm::StringSet<> reportedMissing;

  InFlightDiagnostic error() {
    ok = false;
    return emitError(loc);
  }
  /// Where `"key":` first appears in the config text (1:1 if not found).
  Location keyLoc(StringRef key) {
    std::string quoted = ("\"" + key + "\"").str();
    size_t pos = 0;
    while ((pos = configText.find(quoted, pos)) != StringRef::npos) {
      StringRef rest = configText.drop_front(pos + quoted.size()).ltrim();
      if (rest.starts_with(":")) {
        StringRef before = configText.take_front(pos);
        unsigned line = 1 + before.count('\n');
        size_t nl = before.rfind('\n');
        unsigned col = pos - (nl == StringRef::npos ? 0 : nl + 1) + 1;
        return FileLineColLoc::get(&ctx, configPath, line, col);
      }
      pos += quoted.size();
    }
    return loc;
  }
  InFlightDiagnostic errorAt(StringRef key) {
    ok = false;
    return emitError(keyLoc(key));
  }
  InFlightDiagnostic familyError() {
    ok = false;
    return emitError(FileLineColLoc::get(&ctx, familyPath, 1, 1));
  }

  /// The config key a field reads, for messages.
  std::string keyOf(StringRef field) {
    const json::Object *fields = family.getObject("fields");
    if (!fields)
      return field.str();
    const json::Value *f = fields->get(field);
    if (!f)
      return field.str();
    if (auto s = f->getAsString())
      return s->str();
    if (auto *o = f->getAsObject())
      if (auto k = o->getString("key"))
        return k->str();
    return field.str();
  }

  /// Resolves one field: config value (null counts as absent), then the
  /// descriptor's default / default_field / constant value, then `map`.
  std::optional<json::Value> lookup(StringRef field, bool required) {
    if (auto it = resolved.find(field); it != resolved.end())
      return it->second;
    const json::Object *fields = family.getObject("fields");
    const json::Value *f = fields ? fields->get(field) : nullptr;
    std::optional<json::Value> v;
    const json::Object *spec = f ? f->getAsObject() : nullptr;
    std::string key;
    if (f) {
      if (auto s = f->getAsString())
        key = s->str();
      else if (spec) {
        if (auto k = spec->getString("key"))
          key = k->str();
      } else {
        familyError() << "field '" << field
                      << "' must be a config key string or an object";
        return std::nullopt;
      }
    }
    if (spec && spec->get("value"))
      v = *spec->get("value");
    if (!key.empty()) {
      const json::Value *cv = config.get(key);
      bool enabled = true;
      if (spec)
        if (auto en = spec->getString("enabled_by")) {
          const json::Value *ev = config.get(*en);
          if (ev && ev->getAsBoolean() && !*ev->getAsBoolean())
            enabled = false;
        }
      if (cv && cv->kind() != json::Value::Null && enabled)
        v = *cv;
      else if (!enabled)
        return std::nullopt;
    }
    if (!v && spec) {
      if (const json::Value *d = spec->get("default"))
        if (d->kind() != json::Value::Null)
          v = *d;
      if (!v)
        if (auto df = spec->getString("default_field")) {
          v = lookup(*df, required);
          // "default_factor": the default is factor x that field (GPT-2's
          // n_inner defaults to 4 x n_embd).
          if (v)
            if (auto fac = spec->getInteger("default_factor"))
              if (auto iv = v->getAsInteger())
                v = json::Value(*iv * *fac);
        }
    }
    if (!v) {
      // A field other fields default to (kv_heads -> heads) is looked up
      // again; say it is missing once.
      if (required && reportedMissing.insert(field).second)
        error() << "missing key '" << (key.empty() ? field.str() : key)
                << "' in " << configPath << " (needed for '" << field
                << "' by family description " << familyPath << ")";
      return std::nullopt;
    }
    if (spec)
      if (const json::Object *map = spec->getObject("map"))
        if (auto s = v->getAsString())
          if (const json::Value *mv = map->get(*s))
            v = *mv;
    resolved.try_emplace(field, *v);
    return v;
  }

  const char *kindName(const json::Value &v) {
    switch (v.kind()) {
    case json::Value::Null: return "null";
    case json::Value::Boolean: return "a boolean";
    case json::Value::Number: return "a number";
    case json::Value::String: return "a string";
    case json::Value::Array: return "an array";
    case json::Value::Object: return "an object";
    }
    return "?";
  }
  void typeError(StringRef field, const json::Value &v, StringRef want) {
    errorAt(keyOf(field)) << "key '" << keyOf(field) << "' in " << configPath
            << " must be " << want << ", got " << kindName(v);
  }

  int64_t getInt(StringRef field, bool required = true, int64_t def = 0) {
    auto v = lookup(field, required);
    if (!v)
      return def;
    if (auto i = v->getAsInteger())
      return *i;
    if (auto d = v->getAsNumber(); d && std::floor(*d) == *d)
      return static_cast<int64_t>(*d);
    typeError(field, *v, "an integer");
    return def;
  }
  double getNum(StringRef field, bool required = true, double def = 0) {
    auto v = lookup(field, required);
    if (!v)
      return def;
    if (auto d = v->getAsNumber())
      return *d;
    typeError(field, *v, "a number");
    return def;
  }
  bool getBool(StringRef field, bool def = false) {
    auto v = lookup(field, false);
    if (!v)
      return def;
    if (auto b = v->getAsBoolean())
      return *b;
    typeError(field, *v, "a boolean");
    return def;
  }
  std::string getStr(StringRef field, bool required = true, StringRef def = "") {
    auto v = lookup(field, required);
    if (!v)
      return def.str();
    if (auto s = v->getAsString())
      return s->str();
    typeError(field, *v, "a string");
    return def.str();
  }
  bool structBool(StringRef key, bool def = false) {
    const json::Object *st = family.getObject("structure");
    if (!st || !st->get(key))
      return def;
    if (auto b = st->getBoolean(key))
      return *b;
    familyError() << "structure." << key << " must be a boolean";
    return def;
  }
  std::string structStr(StringRef key, StringRef def) {
    const json::Object *st = family.getObject("structure");
    if (!st || !st->get(key))
      return def.str();
    if (auto s = st->getString(key))
      return s->str();
    familyError() << "structure." << key << " must be a string";
    return def.str();
  }

  RopeAttr rope(const ModelSpec &s);
};

RopeAttr Importer::rope(const ModelSpec &s) {
  auto f = [](double d) { return llvm::APFloat(d); };
  double theta = getNum("rope_theta", false, 10000.0);
  double partial = getNum("partial_rotary_factor", false, 1.0);
  RopeScaling scaling = RopeScaling::none;
  double factor = 1.0, low = 1.0, high = 4.0, betaFast = 32.0, betaSlow = 1.0,
         attnFactor = 0.0;
  int64_t orig = 0;
  auto v = lookup("rope_scaling", false);
  if (v) {
    const json::Object *o = v->getAsObject();
    if (!o) {
      typeError("rope_scaling", *v, "an object or null");
      return nullptr;
    }
    auto type = o->getString("rope_type");
    if (!type)
      type = o->getString("type");
    std::string t = type ? type->str() : "default";
    if (t == "default")
      scaling = RopeScaling::none;
    else if (auto k = symbolizeRopeScaling(t))
      scaling = *k;
    else {
      errorAt("rope_scaling") << "rope_scaling type '" << t << "' in " << configPath
              << " is not supported (known: linear, dynamic, yarn, llama3)";
      return nullptr;
    }
    auto num = [&](StringRef k, double d) {
      if (auto n = o->getNumber(k))
        return *n;
      return d;
    };
    factor = num("factor", 1.0);
    low = num("low_freq_factor", 1.0);
    high = num("high_freq_factor", 4.0);
    betaFast = num("beta_fast", 32.0);
    betaSlow = num("beta_slow", 1.0);
    attnFactor = num("attention_factor", 0.0);
    orig = static_cast<int64_t>(num("original_max_position_embeddings", 0));
    if (scaling != RopeScaling::none && scaling != RopeScaling::linear && !orig)
      orig = s.maxPositions;
  }
  return RopeAttr::get(&ctx, f(theta), f(partial), scaling, f(factor), orig,
                       f(low), f(high), f(betaFast), f(betaSlow), f(attnFactor),
                       structBool("rope_interleaved"));
}

OwningOpRef<ModuleOp> Importer::run(StringRef funcName) {
  ModelSpec s;
  s.name = funcName.str();
  s.sourceFile = configPath.str();

  std::string dt = getStr("dtype", false, "float32");
  if (dt == "bfloat16")
    s.dtype = BFloat16Type::get(&ctx);
  else if (dt == "float16")
    s.dtype = Float16Type::get(&ctx);
  else if (dt == "float32")
    s.dtype = Float32Type::get(&ctx);
  else
    error() << "unsupported torch_dtype '" << dt << "' in " << configPath
            << " (known: bfloat16, float16, float32)";

  s.vocab = getInt("vocab");
  s.hidden = getInt("hidden");
  s.layers = getInt("layers");
  s.heads = getInt("heads");
  s.kvHeads = getInt("kv_heads");
  s.headDim = getInt("head_dim", false, 0);
  s.intermediate = getInt("intermediate");
  s.maxPositions = getInt("max_positions");
  s.eps = getNum("eps");
  if (auto w = getInt("sliding_window", false, 0))
    s.slidingWindow = w;
  s.tied = getBool("tied", false);
  s.attentionBias = getBool("attention_bias", false);
  s.mlpBias = getBool("mlp_bias", false);
  std::string act = getStr("activation", false, "silu");
  if (auto a = symbolizeActivation(act))
    s.activation = *a;
  else
    error() << "activation '" << act << "' (key '" << keyOf("activation")
            << "' in " << configPath
            << ") is not supported (known: silu, gelu, gelu_tanh, relu, swish;"
               " a family's fields.activation.map may rename it)";

  s.numExperts = getInt("num_experts", false, 0);
  if (s.numExperts) {
    s.topK = getInt("top_k");
    s.moeIntermediate = getInt("moe_intermediate", false, s.intermediate);
    s.sharedExperts = getInt("shared_experts", false, 0);
    s.firstDenseLayers = getInt("first_dense", false, 0);
  }

  std::string norm = structStr("norm", "rms");
  if (auto k = symbolizeNormKind(norm))
    s.normKind = *k;
  else
    familyError() << "structure.norm must be 'rms' or 'layer'";
  s.zeroCentered = structBool("zero_centered_norm");
  if (structStr("embedding_scale", "none") == "sqrt_hidden")
    s.embeddingScale = std::sqrt(static_cast<double>(s.hidden));
  s.learnedPositions = structBool("learned_positions");
  s.transposed = structBool("transposed");
  s.fusedQKV = structBool("fused_qkv");
  s.fusedGateUp = structBool("fused_gate_up");
  s.gatedMLP = structBool("gated_mlp", true);
  s.qkNorm = structBool("qk_norm");
  std::string rn = structStr("router_norm", "softmax_renorm");
  if (auto r = symbolizeRouterNorm(rn))
    s.routerNorm = *r;
  else
    familyError() << "structure.router_norm '" << rn << "' is unknown";
  std::string attn = structStr("attention", "standard");
  if (attn == "mla") {
    s.attention = ModelSpec::AttentionKind::MLA;
    s.qLoraRank = getInt("q_lora_rank", false, 0);
    s.kvLoraRank = getInt("kv_lora_rank");
    s.qkNopeHeadDim = getInt("qk_nope_head_dim");
    s.qkRopeHeadDim = getInt("qk_rope_head_dim");
    s.vHeadDim = getInt("v_head_dim");
  } else if (attn != "standard") {
    familyError() << "structure.attention must be 'standard' or 'mla'";
  }
  if (ok && structBool("rope", true))
    s.rope = rope(s);

  if (const json::Object *t = family.getObject("tensors")) {
    for (const auto &kv : *t) {
      if (auto str = kv.second.getAsString())
        s.tensors[kv.first.str()] = str->str();
      else
        familyError() << "tensors." << kv.first.str() << " must be a string";
    }
  } else {
    familyError() << "family description has no \"tensors\" object";
  }
  if (ok && (s.heads <= 0 || s.kvHeads <= 0 || s.hidden <= 0 || s.layers <= 0 ||
             s.vocab <= 0))
    error() << "sizes in " << configPath << " must be positive";
  if (!ok)
    return nullptr;
  s.stored = stored;
  return buildModel(ctx, s);
}

Type getSafetensorsElementType(MLIRContext &ctx, StringRef dtype) {
  return llvm::StringSwitch<std::function<Type()>>(dtype)
      .Case("F32", [&] { return Float32Type::get(&ctx); })
      .Case("F16", [&] { return Float16Type::get(&ctx); })
      .Case("BF16", [&] { return BFloat16Type::get(&ctx); })
      .Case("F64", [&] { return Float64Type::get(&ctx); })
      .Case("F8_E4M3", [&] { return Float8E4M3FNType::get(&ctx); })
      .Case("F8_E5M2", [&] { return Float8E5M2Type::get(&ctx); })
      .Case("BOOL", [&] { return IntegerType::get(&ctx, 1); })
      .Cases({"I8", "U8"}, [&] { return IntegerType::get(&ctx, 8); })
      .Cases({"I16", "U16"}, [&] { return IntegerType::get(&ctx, 16); })
      .Cases({"I32", "U32"}, [&] { return IntegerType::get(&ctx, 32); })
      .Default([&] { return IntegerType::get(&ctx, 64); })();
}

std::string symbolName(StringRef configPath, StringRef modelType) {
  StringRef dir = llvm::sys::path::filename(llvm::sys::path::parent_path(configPath));
  std::string base = dir.empty() || dir == "." ? modelType.str() : dir.str();
  std::string out;
  for (char c : base)
    out += std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "m_" + out;
  return out;
}

} // namespace

OwningOpRef<ModuleOp> importHFConfig(MLIRContext &ctx, StringRef path,
                                     StringRef familiesDir) {
  llvm::SmallString<256> configPath(path);
  if (llvm::sys::fs::is_directory(configPath))
    llvm::sys::path::append(configPath, "config.json");
  std::string configText;
  auto cfg = readJSON(ctx, configPath, "config", &configText);
  if (!cfg)
    return nullptr;
  Location loc = FileLineColLoc::get(&ctx, configPath, 1, 1);
  const json::Object *config = cfg->getAsObject();
  if (!config) {
    emitError(loc) << "config " << configPath << " must be a JSON object";
    return nullptr;
  }
  const json::Value *mt = config->get("model_type");
  if (!mt) {
    emitError(loc) << "missing key 'model_type' in " << configPath;
    return nullptr;
  }
  auto modelType = mt->getAsString();
  if (!modelType) {
    emitError(loc) << "key 'model_type' in " << configPath << " must be a string";
    return nullptr;
  }
  llvm::SmallString<256> familyPath(familiesDir);
  llvm::sys::path::append(familyPath, *modelType + ".json");
  if (!llvm::sys::fs::exists(familyPath)) {
    emitError(loc) << "unknown model_type '" << *modelType << "' in "
                   << configPath << "; known families: "
                   << llvm::join(listFamilies(familiesDir), ", ")
                   << ". To add one, write "
                   << familyPath
                   << " (see docs/AddingAFamily.md) or pass --families-dir";
    return nullptr;
  }
  // The safetensors headers beside the config, when present, are the
  // tensors the weights must match.
  llvm::Expected<std::vector<SafetensorsTensor>> headers =
      readSafetensorsDirectory(llvm::sys::path::parent_path(configPath));
  if (!headers) {
    emitError(loc) << llvm::toString(headers.takeError());
    return nullptr;
  }
  StoredTensors stored;
  stored.source = "the safetensors in " +
                  llvm::sys::path::parent_path(configPath).str();
  for (const SafetensorsTensor &t : *headers) {
    // Non-persistent rotary buffers that older checkpoints saved.
    if (StringRef(t.name).ends_with("rotary_emb.inv_freq"))
      continue;
    Type element = getSafetensorsElementType(ctx, t.dtype);
    stored.tensors[t.name] = {SmallVector<int64_t>(t.shape.begin(), t.shape.end()), element};
  }
  return importWithFamily(ctx, configPath, configText, *config, familyPath,
                          symbolName(configPath, *modelType),
                          headers->empty() ? nullptr : &stored);
}

std::vector<std::string> listFamilies(StringRef dir) {
  std::vector<std::string> known;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".json")
      known.push_back(llvm::sys::path::stem(it->path()).str());
  llvm::sort(known);
  return known;
}

OwningOpRef<ModuleOp> importWithFamily(MLIRContext &ctx, StringRef configPath,
                                       StringRef configText,
                                       const json::Object &config,
                                       StringRef familyPath, StringRef funcName,
                                       const StoredTensors *stored) {
  auto fam = readJSON(ctx, familyPath, "family description");
  if (!fam)
    return nullptr;
  const json::Object *family = fam->getAsObject();
  if (!family) {
    emitError(FileLineColLoc::get(&ctx, familyPath, 1, 1))
        << "family description must be a JSON object";
    return nullptr;
  }
  Importer imp(ctx, configPath, configText, config, familyPath, *family);
  imp.stored = stored;
  return imp.run(funcName);
}

} // namespace tt
