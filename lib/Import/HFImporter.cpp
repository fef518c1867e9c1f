//===- HFImporter.cpp - HuggingFace config.json -> ModelSpec ---------------===//
//
// The family is data: <familiesDir>/<model_type>.json maps config keys to
// ModelSpec fields ("fields"), sets structural switches ("structure") and
// gives tensor-name patterns ("tensors"). See docs/AddingAFamily.md.
//
//===----------------------------------------------------------------------===//
#include "tt/Import/HFImporter.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "tt/Import/ModelBuilder.h"
#include "tt/Import/SafetensorsReader.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include <cctype>
#include <cmath>
#include <functional>

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
           StringRef familyText, const json::Object &family)
      : ctx(ctx), configPath(configPath), configText(configText),
        config(config), familyPath(familyPath), familyText(familyText),
        family(family), loc(FileLineColLoc::get(&ctx, configPath, 1, 1)) {}

  OwningOpRef<ModuleOp> run(StringRef funcName);
  const StoredTensors *stored = nullptr;

private:
  MLIRContext &ctx;
  StringRef configPath;
  StringRef configText;
  const json::Object &config;
  StringRef familyPath;
  StringRef familyText;
  json::Object family; ///< the descriptor with matching variants applied
  Location loc;
  bool ok = true;
  // Values resolved from "fields", by field name, and where each came from
  // (the config key, or the descriptor entry that gave a default).
  llvm::StringMap<json::Value> resolved;
  llvm::StringMap<LocationAttr> resolvedLoc;
  llvm::StringSet<> reportedMissing;

  /// Where `"key":` first appears in `text` at or after byte `from` (line
  /// and column, 1-based).
  static std::optional<std::pair<unsigned, unsigned>>
  findKey(StringRef text, StringRef key, size_t from = 0) {
    std::string quoted = ("\"" + key + "\"").str();
    size_t pos = from;
    while ((pos = text.find(quoted, pos)) != StringRef::npos) {
      StringRef rest = text.drop_front(pos + quoted.size()).ltrim();
      if (rest.starts_with(":")) {
        StringRef before = text.take_front(pos);
        unsigned line = 1 + before.count('\n');
        size_t nl = before.rfind('\n');
        unsigned col = pos - (nl == StringRef::npos ? 0 : nl + 1) + 1;
        return std::make_pair(line, col);
      }
      pos += quoted.size();
    }
    return std::nullopt;
  }
  /// The config file itself, naming `key` (for keys it lacks, and for
  /// configs without text, such as GGUF metadata): printed as "FILE: ".
  Location fileLocNaming(StringRef key) {
    return NameLoc::get(StringAttr::get(&ctx, key),
                        FileLineColLoc::get(&ctx, configPath, 0, 0));
  }
  /// Where `field` is described in the family descriptor's "fields" (after
  /// that key, so a structure switch of the same name does not match).
  Location familyFieldLoc(StringRef field) {
    size_t fields = familyText.find("\"fields\"");
    if (auto lc =
            findKey(familyText, field, fields == StringRef::npos ? 0 : fields))
      return FileLineColLoc::get(&ctx, familyPath, lc->first, lc->second);
    return NameLoc::get(StringAttr::get(&ctx, field),
                        FileLineColLoc::get(&ctx, familyPath, 0, 0));
  }
  /// Where `"key":` first appears in the config text; the file, naming the
  /// key, when it does not.
  Location keyLoc(StringRef key) {
    if (auto lc = findKey(configText, key))
      return FileLineColLoc::get(&ctx, configPath, lc->first, lc->second);
    // A nested key (`attn_config.alibi`): its last part after its first.
    if (auto [head, tail] = key.split('.'); !tail.empty()) {
      size_t at = configText.find(("\"" + head + "\"").str());
      if (at != StringRef::npos)
        if (auto lc = findKey(configText, key.rsplit('.').second, at))
          return FileLineColLoc::get(&ctx, configPath, lc->first, lc->second);
    }
    return fileLocNaming(key);
  }
  InFlightDiagnostic error() {
    ok = false;
    return emitError(loc);
  }
  InFlightDiagnostic errorAt(StringRef key) {
    ok = false;
    return emitError(keyLoc(key));
  }
  InFlightDiagnostic familyError() {
    ok = false;
    return emitError(FileLineColLoc::get(&ctx, familyPath, 1, 1));
  }

  /// The config's value of `key`: the key itself, else a dotted path into
  /// nested objects (MPT's `attn_config.alibi`). GGUF keys have dots of
  /// their own, so the whole key is tried first.
  const json::Value *configValue(StringRef key) const {
    if (const json::Value *v = config.get(key))
      return v;
    const json::Object *o = &config;
    const json::Value *v = nullptr;
    for (StringRef rest = key; o && !rest.empty();) {
      auto [head, tail] = rest.split('.');
      v = o->get(head);
      if (!v)
        return nullptr;
      rest = tail;
      if (rest.empty())
        return v;
      o = v->getAsObject();
    }
    return nullptr;
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
    LocationAttr from;
    if (spec && spec->get("value")) {
      v = *spec->get("value");
      from = familyFieldLoc(field);
    }
    if (!key.empty()) {
      const json::Value *cv = configValue(key);
      bool enabled = true;
      if (spec)
        if (auto en = spec->getString("enabled_by")) {
          const json::Value *ev = configValue(*en);
          if (ev && ev->getAsBoolean() && !*ev->getAsBoolean())
            enabled = false;
        }
      if (cv && cv->kind() != json::Value::Null && enabled) {
        v = *cv;
        from = keyLoc(key);
      } else if (!enabled)
        return std::nullopt;
    }
    if (!v && spec) {
      if (const json::Value *d = spec->get("default"))
        if (d->kind() != json::Value::Null) {
          v = *d;
          from = familyFieldLoc(field);
        }
      if (!v)
        if (auto df = spec->getString("default_field")) {
          v = lookup(*df, required);
          if (v)
            from = resolvedLoc.lookup(*df);
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
      if (required && reportedMissing.insert(field).second) {
        std::string k = key.empty() ? field.str() : key;
        ok = false;
        InFlightDiagnostic d = emitError(fileLocNaming(k));
        d << "missing key '" << k << "' in " << configPath << " (needed for '"
          << field << "' by family description " << familyPath << ")";
        d.attachNote(familyFieldLoc(field))
            << "the family description asks for '" << field << "' here";
      }
      return std::nullopt;
    }
    if (spec)
      if (const json::Object *map = spec->getObject("map"))
        if (auto s = v->getAsString())
          if (const json::Value *mv = map->get(*s))
            v = *mv;
    // "transform": "rsqrt" turns a value into its inverse square root
    // (Gemma 2's query_pre_attn_scalar into the attention scale).
    if (spec)
      if (auto t = spec->getString("transform")) {
        auto d = v->getAsNumber();
        if (*t != "rsqrt") {
          familyError() << "field '" << field << "': unknown transform '" << *t
                        << "' (known: rsqrt)";
          return std::nullopt;
        }
        if (!d || *d <= 0) {
          errorAt(key) << "key '" << key << "' in " << configPath
                       << " must be a positive number";
          return std::nullopt;
        }
        v = json::Value(1.0 / std::sqrt(*d));
      }
    resolved.try_emplace(field, *v);
    resolvedLoc[field] = from ? from : LocationAttr(loc);
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
  void applyPerLayer(ModelSpec &s);
  void applyVariants();
  /// A number from a per-layer rule: a literal, or the name of a field.
  std::optional<json::Value> ruleValue(const json::Value &v) {
    if (auto name = v.getAsString())
      return lookup(*name, false);
    return v;
  }
};

/// JSON equality where 4 and 4.0 are the same number.
static bool sameValue(const json::Value &a, const json::Value &b) {
  if (a.kind() == json::Value::Number && b.kind() == json::Value::Number)
    return *a.getAsNumber() == *b.getAsNumber();
  return a == b;
}

/// "variants": descriptor parts that apply when the config (or the stored
/// tensors) say so; a matching variant's "fields", "structure" and
/// "tensors" entries replace the base ones, and its "error" rejects the
/// model (an architecture variant tt does not represent).
void Importer::applyVariants() {
  const json::Value *vs = family.get("variants");
  if (!vs)
    return;
  const json::Array *variants = vs->getAsArray();
  if (!variants) {
    familyError() << "\"variants\" must be an array";
    return;
  }
  json::Array list = *variants;
  for (const json::Value &vv : list) {
    const json::Object *v = vv.getAsObject();
    if (!v) {
      familyError() << "each variant must be an object";
      return;
    }
    bool match = true;
    std::string firstKey;
    if (const json::Object *when = v->getObject("when"))
      for (const auto &kv : *when) {
        const json::Value *cv = configValue(kv.first);
        json::Value actual = cv ? *cv : json::Value(nullptr);
        match &= sameValue(actual, kv.second);
        if (firstKey.empty())
          firstKey = kv.first.str();
      }
    // "when_not": {key: [values]}: the config's value is none of them.
    if (const json::Object *whenNot = v->getObject("when_not"))
      for (const auto &kv : *whenNot) {
        const json::Array *allowed = kv.second.getAsArray();
        if (!allowed) {
          familyError() << "variant when_not." << kv.first.str()
                        << " must be an array of values";
          return;
        }
        const json::Value *cv = configValue(kv.first);
        json::Value actual = cv ? *cv : json::Value(nullptr);
        match &= llvm::none_of(*allowed, [&](const json::Value &a) {
          return sameValue(actual, a);
        });
        if (firstKey.empty())
          firstKey = kv.first.str();
      }
    if (auto t = v->getString("when_tensor"))
      match &= stored && stored->tensors.count(*t);
    if (!match)
      continue;
    if (auto e = v->getString("error")) {
      (firstKey.empty() ? error() : errorAt(firstKey))
          << "this " << configPath << " describes a variant tt does not "
          << "support: " << *e;
      return;
    }
    for (StringRef part : {"fields", "structure", "tensors"}) {
      const json::Object *over = v->getObject(part);
      if (!over)
        continue;
      if (!family.getObject(part))
        family[part] = json::Object();
      json::Object *base = family.getObject(part);
      for (const auto &kv : *over)
        (*base)[kv.first] = kv.second;
    }
  }
}

/// "per_layer": rules that set per-layer overrides for the layers a
/// selector picks (see docs/AddingAFamily.md). A rule whose selector or
/// value reads a key the config lacks does not apply.
void Importer::applyPerLayer(ModelSpec &s) {
  const json::Array *rules = family.getArray("per_layer");
  if (!rules)
    return;
  for (const json::Value &rv : *rules) {
    const json::Object *rule = rv.getAsObject();
    const json::Object *sel = rule ? rule->getObject("layers") : nullptr;
    const json::Object *set = rule ? rule->getObject("set") : nullptr;
    if (!sel || !set) {
      familyError() << "each per_layer rule needs a \"layers\" selector and "
                       "a \"set\" object";
      return;
    }
    // Resolve the selector's parameters; any absent one skips the rule.
    bool applies = true;
    LocationAttr where;
    auto intParam = [&](StringRef name) -> std::optional<int64_t> {
      const json::Value *p = sel->get(name);
      if (!p)
        return std::nullopt;
      std::optional<json::Value> v = ruleValue(*p);
      if (!v) {
        applies = false;
        return std::nullopt;
      }
      if (auto str = p->getAsString())
        if (!where)
          where = resolvedLoc.lookup(*str);
      if (auto i = v->getAsInteger())
        return *i;
      familyError() << "per_layer selector '" << name
                    << "' must be an integer or a field giving one";
      applies = false;
      return std::nullopt;
    };
    std::optional<int64_t> every = intParam("every");
    int64_t offset = sel->getInteger("offset").value_or(0);
    std::optional<int64_t> below = intParam("below");
    std::optional<int64_t> atLeast = intParam("at_least");
    if (every && *every <= 0) {
      std::string key = keyOf(sel->getString("every").value_or("every"));
      errorAt(key) << "the layer period '" << key << "' in " << configPath
                   << " must be positive, got " << *every;
      return;
    }
    // "in_list": a config key holding layer indices; "list" + "equals": a
    // config key holding one value per layer (HF's layer_types).
    const json::Array *inList = nullptr, *perLayer = nullptr;
    StringRef listKey;
    for (StringRef name : {"in_list", "list"}) {
      auto key = sel->getString(name);
      if (!key)
        continue;
      listKey = *key;
      const json::Value *cv = config.get(*key);
      if (!cv || cv->kind() == json::Value::Null) {
        applies = false;
        continue;
      }
      const json::Array *arr = cv->getAsArray();
      if (!arr) {
        errorAt(*key) << "key '" << *key << "' in " << configPath
                      << " must be an array";
        return;
      }
      (name == "in_list" ? inList : perLayer) = arr;
    }
    if (perLayer && (int64_t)perLayer->size() != s.layers) {
      errorAt(listKey) << "key '" << listKey << "' in " << configPath << " has "
                       << perLayer->size() << " entries but the model has "
                       << s.layers << " layers";
      return;
    }
    const json::Value *equals = sel->get("equals");
    if (perLayer && !equals) {
      familyError() << "per_layer selector 'list' needs 'equals'";
      return;
    }
    bool negate = sel->getBoolean("not").value_or(false);
    if (!applies)
      continue;

    // The values to set.
    ModelSpec::LayerOverride o;
    for (const auto &kv : *set) {
      StringRef f = kv.first;
      std::optional<json::Value> v = ruleValue(kv.second);
      // A value read from a field locates the override when the selector
      // reads no config key (Gemma 2's even layers take sliding_window).
      if (auto name = kv.second.getAsString(); name && v && !where)
        where = resolvedLoc.lookup(*name);
      if (!v) {
        applies = false;
        break;
      }
      if (f == "moe" && v->getAsBoolean())
        o.moe = *v->getAsBoolean();
      else if (f == "sliding_window" && v->getAsInteger())
        o.slidingWindow = *v->getAsInteger();
      else if (f == "intermediate" && v->getAsInteger())
        o.intermediate = *v->getAsInteger();
      else if (f == "rope_theta" && v->getAsNumber())
        o.ropeTheta = *v->getAsNumber();
      else if (f == "rope_scaling" && v->getAsBoolean())
        o.ropeScaling = *v->getAsBoolean();
      else {
        familyError() << "per_layer cannot set '" << f
                      << "' to that value (known: sliding_window and "
                         "intermediate (integers), moe and rope_scaling "
                         "(booleans), rope_theta (number))";
        return;
      }
    }
    if (!applies)
      continue;

    if (s.layerOverrides.empty())
      s.layerOverrides.resize(s.layers);
    if (s.layerOverrideLocs.empty())
      s.layerOverrideLocs.resize(s.layers);
    for (int64_t l = 0; l < s.layers; ++l) {
      bool match = true;
      if (every)
        match &= l % *every == ((offset % *every) + *every) % *every;
      if (below)
        match &= l < *below;
      if (atLeast)
        match &= l >= *atLeast;
      if (inList)
        match &= llvm::any_of(*inList, [&](const json::Value &e) {
          return e.getAsInteger() == std::optional<int64_t>(l);
        });
      if (perLayer)
        match &= (*perLayer)[l] == *equals;
      if (match == negate)
        continue;
      ModelSpec::LayerOverride &lo = s.layerOverrides[l];
      if (o.moe)
        lo.moe = o.moe;
      if (o.slidingWindow)
        lo.slidingWindow = o.slidingWindow;
      if (o.intermediate)
        lo.intermediate = o.intermediate;
      if (o.ropeTheta)
        lo.ropeTheta = o.ropeTheta;
      if (o.ropeScaling)
        lo.ropeScaling = o.ropeScaling;
      if (perLayer || inList)
        s.layerOverrideLocs[l] = keyLoc(listKey);
      else if (where)
        s.layerOverrideLocs[l] = where;
    }
  }
}

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
  } else if (auto tv = lookup("rope_scaling_type", false)) {
    // Flat keys (GGUF's <arch>.rope.scaling.type, .factor,
    // .original_context_length) instead of HF's rope_scaling object.
    std::string t = getStr("rope_scaling_type");
    if (t == "none" || t == "default")
      scaling = RopeScaling::none;
    else if (auto k = symbolizeRopeScaling(t))
      scaling = *k;
    else {
      errorAt(keyOf("rope_scaling_type"))
          << "rope scaling type '" << t << "' (key '"
          << keyOf("rope_scaling_type") << "' in " << configPath
          << ") is not supported (known: none, linear, dynamic, yarn, llama3)";
      return nullptr;
    }
    if (scaling != RopeScaling::none) {
      factor = getNum("rope_scaling_factor", false, 1.0);
      orig = getInt("rope_scaling_original_max", false, 0);
      if (scaling != RopeScaling::linear && !orig)
        orig = s.maxPositions;
    }
  }
  return RopeAttr::get(&ctx, f(theta), f(partial), scaling, f(factor), orig,
                       f(low), f(high), f(betaFast), f(betaSlow), f(attnFactor),
                       structBool("rope_interleaved"));
}

OwningOpRef<ModuleOp> Importer::run(StringRef funcName) {
  applyVariants();
  if (!ok)
    return nullptr;
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
    s.sharedExpertIntermediate = getInt("shared_expert_intermediate", false, 0);
    s.sharedExpertGate = getBool("shared_expert_gate", false);
  }
  if (lookup("attn_softcap", false))
    s.attnSoftcap = getNum("attn_softcap");
  if (lookup("final_softcap", false))
    s.finalSoftcap = getNum("final_softcap");
  if (lookup("attn_scale", false))
    s.attnScale = getNum("attn_scale");

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
  // qk_norm: true / "per_head" ([head_dim] scales) or "projection" (over
  // the whole Q and K projections, OLMo 2).
  if (const json::Object *st = family.getObject("structure"))
    if (const json::Value *qn = st->get("qk_norm")) {
      if (auto bv = qn->getAsBoolean())
        s.qkNorm = *bv;
      else if (auto sv = qn->getAsString(); sv && *sv == "per_head")
        s.qkNorm = true;
      else if (sv && *sv == "projection")
        s.qkNorm = s.qkNormWhole = true;
      else
        familyError() << "structure.qk_norm must be a boolean, \"per_head\" "
                         "or \"projection\"";
    }
  std::string rn = structStr("router_norm", "softmax_renorm");
  if (auto r = symbolizeRouterNorm(rn))
    s.routerNorm = *r;
  else
    familyError() << "structure.router_norm '" << rn << "' is unknown";
  // The field router_renorm (HF's norm_topk_prob) picks the renormalised or
  // plain form of the structure's router_norm.
  if (lookup("router_renorm", false)) {
    bool renorm = getBool("router_renorm");
    bool sigmoid = s.routerNorm == RouterNorm::sigmoid ||
                   s.routerNorm == RouterNorm::sigmoid_renorm;
    s.routerNorm =
        sigmoid ? (renorm ? RouterNorm::sigmoid_renorm : RouterNorm::sigmoid)
                : (renorm ? RouterNorm::softmax_renorm : RouterNorm::softmax);
  }
  s.preNorm = structBool("pre_norm", true);
  s.postNorm = structBool("post_norm", false);
  s.parallelAttnMLP = structBool("parallel", false);
  s.parallelTwoNorms = structBool("parallel_two_norms", false);
  if (!s.preNorm && !s.postNorm)
    familyError() << "structure: pre_norm and post_norm cannot both be false";
  std::string fl = structStr("fused_qkv_layout", "contiguous");
  if (fl == "grouped")
    s.fusedQKVGroups = s.kvHeads;
  else if (fl != "contiguous")
    familyError() << "structure.fused_qkv_layout must be 'contiguous' or "
                     "'grouped'";
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
  s.embeddingNorm = structBool("embedding_norm");
  // ALiBi (BLOOM, MPT) replaces the rotary embedding.
  s.alibi = structBool("alibi");
  if (s.alibi) {
    s.alibiMaxBias = getNum("alibi_bias_max", false, 8.0);
    if (!(s.alibiMaxBias > 0))
      errorAt(keyOf("alibi_bias_max"))
          << "ALiBi's maximum bias (key '" << keyOf("alibi_bias_max")
          << "' in " << configPath << ") must be positive, got "
          << s.alibiMaxBias;
  }
  if (ok && !s.alibi && structBool("rope", true))
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
  if (ok)
    applyPerLayer(s);
  if (!ok)
    return nullptr;
  for (const auto &f : resolvedLoc)
    s.fieldLocs[f.getKey()] = f.second;
  // "ignored_tensors": glob patterns of stored tensors that are no weight
  // (llama.cpp's rope_freqs.weight, precomputed rotary factors).
  StoredTensors kept;
  if (stored)
    if (const json::Array *ign = family.getArray("ignored_tensors")) {
      SmallVector<llvm::GlobPattern> globs;
      for (const json::Value &p : *ign) {
        auto str = p.getAsString();
        auto g = str ? llvm::GlobPattern::create(*str)
                     : llvm::Expected<llvm::GlobPattern>(
                           llvm::createStringError("not a string"));
        if (!g) {
          familyError() << "ignored_tensors: " << llvm::toString(g.takeError());
          return nullptr;
        }
        globs.push_back(std::move(*g));
      }
      kept.source = stored->source;
      kept.files = stored->files;
      for (const auto &t : stored->tensors)
        if (!llvm::any_of(globs, [&](const llvm::GlobPattern &g) {
              return g.match(t.getKey());
            }))
          kept.tensors[t.getKey()] = t.second;
      stored = &kept;
    }
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
    stored.files[t.name] = t.file;
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
  std::string familyText;
  auto fam = readJSON(ctx, familyPath, "family description", &familyText);
  if (!fam)
    return nullptr;
  const json::Object *family = fam->getAsObject();
  if (!family) {
    emitError(FileLineColLoc::get(&ctx, familyPath, 1, 1))
        << "family description must be a JSON object";
    return nullptr;
  }
  Importer imp(ctx, configPath, configText, config, familyPath, familyText,
               *family);
  imp.stored = stored;
  return imp.run(funcName);
}

} // namespace tt
