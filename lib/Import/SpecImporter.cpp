//===- SpecImporter.cpp - YAML model spec -> ModelSpec
//---------------------===//
//
// The spec's fields are seed 001's ModelSpec / LayerSpec / AttentionSpec /
// FFNSpec names. They may be written flat at the top level (seed 001's
// ModelSpec.uniform) or grouped in `attention:`, `ffn:` and `moe:` sections
// (its nested dataclasses); `layers:` lists per-layer overrides. See
// docs/SpecFormat.md.
//
// llvm::yaml's parser is single-pass, so the document is first copied into
// YNode trees (keeping each node's position) and then read in any order.
//
//===----------------------------------------------------------------------===//
#include "tt/Import/SpecImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Import/ModelBuilder.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include <cctype>
#include <cmath>

using namespace mlir;
namespace yaml = llvm::yaml;

namespace tt {
namespace {

/// A YAML node copied out of llvm::yaml's single-pass stream.
struct YNode {
  enum Kind { Null, Scalar, Mapping, Sequence } kind = Null;
  std::string value;   ///< scalar text, unquoted and unescaped
  bool quoted = false; ///< a quoted scalar is always a string
  llvm::SMLoc loc;
  std::vector<YNode> keys, values; ///< mapping entries, in order
  std::vector<YNode> items;        ///< sequence items
};

enum class Section { Model, Layer, Attention, FFN, MoE };

struct FieldInfo {
  const char *name;
  Section section;
  bool perLayer; ///< may appear in a `layers:` override
};

// Seed 001's names where it has one (hidden_dim, intermediate_dim,
// rotary_base, sliding_window_size, use_bias_q, ...).
const FieldInfo kFields[] = {
    {"name", Section::Model, false},
    {"dtype", Section::Model, false},
    {"vocab_size", Section::Model, false},
    {"hidden_dim", Section::Model, false},
    {"num_layers", Section::Model, false},
    {"max_seq_len", Section::Model, false},
    {"tie_embeddings", Section::Model, false},
    {"rope_scaling", Section::Model, false},
    {"embedding_scale", Section::Model, false},
    {"learned_positions", Section::Model, false},
    {"final_logit_softcap", Section::Model, false},
    {"transposed_weights", Section::Model, false},
    {"tensor_names", Section::Model, false},
    {"norm_type", Section::Layer, false},
    {"norm_eps", Section::Layer, false},
    {"norm_bias", Section::Layer, false},
    {"zero_centered_norm", Section::Layer, false},
    {"pre_norm", Section::Layer, false},
    {"post_norm", Section::Layer, false},
    {"parallel_attn_mlp", Section::Layer, false},
    {"parallel_two_norms", Section::Layer, false},
    {"use_moe", Section::Layer, true},
    {"num_heads", Section::Attention, false},
    {"num_kv_heads", Section::Attention, false},
    {"head_dim", Section::Attention, false},
    {"attention_type", Section::Attention, true},
    {"use_rotary", Section::Attention, false},
    {"rotary_base", Section::Attention, true},
    {"partial_rotary", Section::Attention, false},
    {"rope_interleaved", Section::Attention, false},
    {"sliding_window_size", Section::Attention, true},
    {"use_bias_q", Section::Attention, false},
    {"use_bias_kv", Section::Attention, false},
    {"use_bias_o", Section::Attention, false},
    {"qk_norm", Section::Attention, false},
    {"qk_norm_whole", Section::Attention, false},
    {"attn_logit_softcap", Section::Attention, false},
    {"attn_scale", Section::Attention, false},
    {"fused_qkv", Section::Attention, false},
    {"fused_qkv_groups", Section::Attention, false},
    {"q_lora_rank", Section::Attention, false},
    {"kv_lora_rank", Section::Attention, false},
    {"qk_nope_head_dim", Section::Attention, false},
    {"qk_rope_head_dim", Section::Attention, false},
    {"v_head_dim", Section::Attention, false},
    {"intermediate_dim", Section::FFN, true},
    {"activation", Section::FFN, false},
    {"use_gate", Section::FFN, false},
    {"use_bias", Section::FFN, false},
    {"fused_gate_up", Section::FFN, false},
    {"num_experts", Section::MoE, false},
    {"top_k", Section::MoE, false},
    {"expert_intermediate_dim", Section::MoE, false},
    {"num_shared_experts", Section::MoE, false},
    {"shared_expert_intermediate_dim", Section::MoE, false},
    {"shared_expert_gate", Section::MoE, false},
    {"router_norm", Section::MoE, false},
    {"router_bias", Section::MoE, false},
    {"first_dense_layers", Section::MoE, false},
};

/// HuggingFace's names for the same fields.
const std::pair<const char *, const char *> kAliases[] = {
    {"hidden_size", "hidden_dim"},
    {"intermediate_size", "intermediate_dim"},
    {"num_hidden_layers", "num_layers"},
    {"num_attention_heads", "num_heads"},
    {"num_key_value_heads", "num_kv_heads"},
    {"rope_theta", "rotary_base"},
    {"sliding_window", "sliding_window_size"},
    {"max_position_embeddings", "max_seq_len"},
    {"tie_word_embeddings", "tie_embeddings"},
    {"num_experts_per_tok", "top_k"},
};

const char *const kSelectors[] = {"index", "range", "every", "offset"};
// clang-format off
const char *const kRopeKeys[] = {
    "type", "factor", "original_max_seq_len", "low_freq_factor",
    "high_freq_factor", "beta_fast", "beta_slow", "attention_factor"};

/// Tensor roles ModelBuilder asks for (see data/families/*.json "tensors").
const char *const kRoles[] = {
    "embed", "positions", "attn_norm", "attn_norm_bias", "q", "k", "v", "o",
    "qkv", "q_bias", "k_bias", "v_bias", "o_bias", "qkv_bias", "q_norm",
    "k_norm", "mlp_norm", "mlp_norm_bias", "attn_post_norm", "mlp_post_norm",
    "attn_post_norm_bias", "mlp_post_norm_bias", "gate", "up", "down",
    "gate_up", "gate_bias", "up_bias", "down_bias", "router", "router_bias",
    "expert_gate", "expert_up", "expert_down", "shared_gate", "shared_up",
    "shared_down", "shared_router", "mla_q_a", "mla_q_a_norm", "mla_q_b",
    "mla_kv_a", "mla_kv_a_norm", "mla_kv_b", "final_norm", "final_norm_bias",
    "lm_head"};
// clang-format on
/// Roles named once per model; every other pattern needs `{layer}`.
const char *const kModelRoles[] = {"embed", "positions", "final_norm",
                                   "final_norm_bias", "lm_head"};

const FieldInfo *findField(StringRef name) {
  for (const FieldInfo &f : kFields)
    if (name == f.name)
      return &f;
  return nullptr;
}

StringRef canonical(StringRef key) {
  for (auto [alias, name] : kAliases)
    if (key == alias)
      return name;
  return key;
}

StringRef sectionName(Section s) {
  switch (s) {
  case Section::Model:
    return "the model";
  case Section::Layer:
    return "the layer";
  case Section::Attention:
    return "attention";
  case Section::FFN:
    return "ffn";
  case Section::MoE:
    return "moe";
  }
  return "";
}

std::optional<Section> sectionOf(StringRef key) {
  if (key == "attention")
    return Section::Attention;
  if (key == "ffn")
    return Section::FFN;
  if (key == "moe")
    return Section::MoE;
  return std::nullopt;
}

/// The candidate closest to `key` by edit distance, if close enough to be a
/// likely typo.
std::string nearest(StringRef key, ArrayRef<std::string> candidates) {
  unsigned best = ~0u;
  std::string bestName;
  for (const std::string &c : candidates) {
    unsigned d = key.edit_distance(c, /*AllowReplacements=*/true);
    if (d < best) {
      best = d;
      bestName = c;
    }
  }
  if (best <= std::max<size_t>(2, key.size() / 3))
    return bestName;
  return "";
}

/// Bounds that keep shapes and per-layer tables sane.
constexpr int64_t kMaxDim = int64_t(1) << 31;
constexpr int64_t kMaxLayers = 100000;

/// A mapping entry: the key node and its value.
struct Entry {
  const YNode *key = nullptr, *value = nullptr;
};
using Fields = llvm::StringMap<Entry>;

class SpecReader {
public:
  SpecReader(MLIRContext &ctx, StringRef path, llvm::SourceMgr &sm,
             StringRef familiesDir)
      : ctx(ctx), path(path), sm(sm), familiesDir(familiesDir),
        fileLoc(FileLineColLoc::get(&ctx, path, 1, 1)) {}

  /// Copies `n` into `out`; false after reporting an unsupported node.
  bool convert(yaml::Node *n, YNode &out);
  OwningOpRef<ModuleOp> run(const YNode &root);

  Location loc(llvm::SMLoc l) {
    if (!l.isValid())
      return fileLoc;
    auto [line, col] = sm.getLineAndColumn(l);
    return FileLineColLoc::get(&ctx, path, line, col);
  }
  Location loc(const YNode &n) { return loc(n.loc); }
  InFlightDiagnostic error(const YNode &n) { return error(loc(n)); }
  InFlightDiagnostic error(Location l) {
    ok = false;
    ++errors;
    return emitError(l);
  }

private:
  MLIRContext &ctx;
  StringRef path;
  llvm::SourceMgr &sm;
  StringRef familiesDir;
  Location fileLoc;
  bool ok = true;
  unsigned errors = 0;
  /// `hidden_dim` repeated inside `attention:` / `ffn:` (seed 001's
  /// AttentionSpec and FFNSpec carry it): must equal the model's.
  SmallVector<Entry> sectionHidden;

  static std::string describe(const YNode &n);
  void collect(const YNode &map, Section within, bool inOverride, Fields &out,
               Fields *extra);
  void unknownKey(const YNode &key, Section within, bool inOverride);

  // Typed reads: absent -> nullopt; a value of the wrong type is reported.
  const Entry *find(const Fields &f, StringRef name) {
    auto it = f.find(name);
    return it == f.end() ? nullptr : &it->second;
  }
  std::optional<int64_t> asInt(const Entry &e);
  std::optional<double> asNum(const Entry &e);
  std::optional<bool> asBool(const Entry &e);
  std::optional<std::string> asStr(const Entry &e);
  std::optional<int64_t> getInt(const Fields &f, StringRef name,
                                int64_t min = 1, int64_t max = kMaxDim);
  std::optional<double> getPositive(const Fields &f, StringRef name);
  std::optional<bool> getBool(const Fields &f, StringRef name) {
    const Entry *e = find(f, name);
    return e ? asBool(*e) : std::nullopt;
  }
  std::optional<std::string> getStr(const Fields &f, StringRef name) {
    const Entry *e = find(f, name);
    return e ? asStr(*e) : std::nullopt;
  }
  int64_t require(const Fields &f, StringRef name, const YNode &where,
                  StringRef what, int64_t max = kMaxDim);

  RopeAttr rope(const Fields &top, const ModelSpec &s);
  void readOverrides(ModelSpec &s);
  void checkLayers(const ModelSpec &s);
  bool readTensorNames(ModelSpec &s);
  /// Where the top-level field `name` is written, else `def`.
  Location keyLoc(StringRef name, Location def) {
    const Entry *e = find(top, name);
    return e ? loc(*e->key) : def;
  }

  // The spec being read.
  const YNode *rootNode = nullptr;
  Fields top, extra; ///< top-level fields; `layers`
  bool biasQ = false, biasKV = false, biasO = false, normBias = false,
       routerBias = false, mla = false;
  /// Per layer, the attention_type it is checked against and an
  /// intermediate_dim override (copied: an override's Fields are local).
  std::vector<std::optional<Entry>> attnType, interOverride;
  SmallVector<int64_t> select(const YNode &item, const Fields &sel,
                              int64_t layers);
  bool loadScheme(StringRef scheme, const YNode *node,
                  llvm::StringMap<std::string> &tensors);

  // Where ops come from, for the IR's locations.
  Location nameLoc = fileLoc, vocabLoc = fileLoc, headLoc = fileLoc,
           normLoc = fileLoc, tensorsLoc = fileLoc;
  SmallVector<Location> layerLoc, attnLoc, mlpLoc;
  void relocate(ModuleOp module, StringRef funcName);
};

std::string SpecReader::describe(const YNode &n) {
  switch (n.kind) {
  case YNode::Null:
    return "null";
  case YNode::Mapping:
    return "a mapping";
  case YNode::Sequence:
    return "a sequence";
  case YNode::Scalar:
    return n.quoted ? "the string \"" + n.value + "\"" : "'" + n.value + "'";
  }
  return "";
}

bool SpecReader::convert(yaml::Node *n, YNode &out) {
  if (!n)
    return false; // the parser has reported why
  out.loc = n->getSourceRange().Start;
  if (isa<yaml::NullNode>(n)) {
    out.kind = YNode::Null;
    return true;
  }
  if (auto *s = dyn_cast<yaml::ScalarNode>(n)) {
    SmallString<64> storage;
    out.value = s->getValue(storage).str();
    StringRef raw = s->getRawValue();
    out.quoted = raw.starts_with("\"") || raw.starts_with("'");
    bool null = !out.quoted && (out.value == "null" || out.value == "Null" ||
                                out.value == "NULL" || out.value == "~");
    out.kind = null ? YNode::Null : YNode::Scalar;
    return true;
  }
  if (auto *s = dyn_cast<yaml::BlockScalarNode>(n)) {
    out.value = s->getValue().str();
    out.quoted = true;
    out.kind = YNode::Scalar;
    return true;
  }
  if (auto *m = dyn_cast<yaml::MappingNode>(n)) {
    out.kind = YNode::Mapping;
    for (yaml::KeyValueNode &kv : *m) {
      YNode k, v;
      if (!convert(kv.getKey(), k))
        return false;
      if (!convert(kv.getValue(), v))
        return false;
      if (!k.loc.isValid())
        k.loc = kv.getSourceRange().Start;
      if (!v.loc.isValid())
        v.loc = k.loc;
      if (k.kind != YNode::Scalar) {
        error(k) << "a key must be a plain name, got " << describe(k);
        continue;
      }
      out.keys.push_back(std::move(k));
      out.values.push_back(std::move(v));
    }
    return true;
  }
  if (auto *sq = dyn_cast<yaml::SequenceNode>(n)) {
    out.kind = YNode::Sequence;
    for (yaml::Node &item : *sq) {
      YNode y;
      if (!convert(&item, y))
        return false;
      out.items.push_back(std::move(y));
    }
    return true;
  }
  if (isa<yaml::AliasNode>(n)) {
    error(out) << "YAML aliases (*name) are not supported in a model spec; "
                  "write the value out";
    return false;
  }
  error(out) << "unsupported YAML node";
  return false;
}

void SpecReader::unknownKey(const YNode &key, Section within, bool inOverride) {
  std::vector<std::string> candidates;
  bool top = within == Section::Model;
  for (const FieldInfo &f : kFields)
    if ((top || f.section == within) && (!inOverride || f.perLayer))
      candidates.push_back(f.name);
  if (top && !inOverride)
    for (auto [alias, name] : kAliases)
      candidates.push_back(alias);
  if (top) {
    for (const char *s : {"attention", "ffn", "moe"})
      candidates.push_back(s);
    if (inOverride)
      for (const char *s : kSelectors)
        candidates.push_back(s);
    else
      candidates.push_back("layers");
  }
  auto diag = error(key);
  diag << "unknown key '" << key.value << "'";
  if (!top)
    diag << " in '" << sectionName(within) << "'";
  else if (inOverride)
    diag << " in a layer override";
  std::string near = nearest(key.value, candidates);
  if (!near.empty())
    diag << "; did you mean '" << near << "'?";
  else
    diag << " (docs/SpecFormat.md lists the fields)";
}

/// Gathers the fields of `map` into `out` (by canonical name); sections
/// recurse. In an override, selector keys go to `extra`; at the top level,
/// `layers` does.
void SpecReader::collect(const YNode &map, Section within, bool inOverride,
                         Fields &out, Fields *extra) {
  bool top = within == Section::Model;
  for (size_t i = 0; i < map.keys.size(); ++i) {
    const YNode &k = map.keys[i], &v = map.values[i];
    StringRef key = k.value;
    if (top) {
      if (auto sec = sectionOf(key)) {
        if (v.kind != YNode::Mapping) {
          error(v) << "'" << key << "' must be a mapping of " << key
                   << " fields, got " << describe(v);
          continue;
        }
        collect(v, *sec, inOverride, out, nullptr);
        continue;
      }
      bool isExtra =
          inOverride ? llvm::is_contained(kSelectors, key) : key == "layers";
      if (isExtra) {
        if (!extra->try_emplace(key, Entry{&k, &v}).second)
          error(k) << "'" << key << "' is given twice";
        continue;
      }
    }
    StringRef name = canonical(key);
    if (name == "hidden_dim" &&
        (within == Section::Attention || within == Section::FFN)) {
      sectionHidden.push_back({&k, &v});
      continue;
    }
    const FieldInfo *f = findField(name);
    if (!f) {
      unknownKey(k, within, inOverride);
      continue;
    }
    if (!top && f->section != within) {
      error(k) << "'" << key << "' is a field of "
               << (f->section == Section::Attention ||
                           f->section == Section::FFN ||
                           f->section == Section::MoE
                       ? "'" + sectionName(f->section).str() + "'"
                       : sectionName(f->section).str())
               << ", not of '" << sectionName(within) << "'";
      continue;
    }
    if (inOverride && !f->perLayer) {
      auto diag = error(k);
      diag << "'" << key
           << "' cannot vary per layer; a layer override may set ";
      llvm::interleave(
          llvm::make_filter_range(
              kFields, [](const FieldInfo &fi) { return fi.perLayer; }),
          diag, [&](const FieldInfo &fi) { diag << fi.name; }, ", ");
      continue;
    }
    auto [it, inserted] = out.try_emplace(name, Entry{&k, &v});
    if (!inserted) {
      auto diag = error(k);
      diag << "'" << name << "' is given twice";
      diag.attachNote(loc(*it->second.key)) << "first given here";
    }
  }
}

std::optional<int64_t> SpecReader::asInt(const Entry &e) {
  const YNode &v = *e.value;
  int64_t i;
  if (v.kind == YNode::Scalar && !v.quoted &&
      !StringRef(v.value).getAsInteger(10, i))
    return i;
  StringRef digits = StringRef(v.value).ltrim("-+");
  if (v.kind == YNode::Scalar && !v.quoted && !digits.empty() &&
      llvm::all_of(digits, llvm::isDigit)) {
    error(v) << "'" << e.key->value << "' is out of range: " << v.value;
    return std::nullopt;
  }
  error(v) << "'" << e.key->value << "' must be an integer, got "
           << describe(v);
  return std::nullopt;
}

std::optional<double> SpecReader::asNum(const Entry &e) {
  const YNode &v = *e.value;
  double d;
  if (v.kind == YNode::Scalar && !v.quoted &&
      !StringRef(v.value).getAsDouble(d) && std::isfinite(d))
    return d;
  error(v) << "'" << e.key->value << "' must be a number, got " << describe(v);
  return std::nullopt;
}

std::optional<bool> SpecReader::asBool(const Entry &e) {
  const YNode &v = *e.value;
  if (v.kind == YNode::Scalar && !v.quoted) {
    if (v.value == "true" || v.value == "True" || v.value == "TRUE")
      return true;
    if (v.value == "false" || v.value == "False" || v.value == "FALSE")
      return false;
  }
  error(v) << "'" << e.key->value << "' must be true or false, got "
           << describe(v);
  return std::nullopt;
}

std::optional<std::string> SpecReader::asStr(const Entry &e) {
  const YNode &v = *e.value;
  if (v.kind == YNode::Scalar)
    return v.value;
  error(v) << "'" << e.key->value << "' must be a string, got " << describe(v);
  return std::nullopt;
}

std::optional<int64_t> SpecReader::getInt(const Fields &f, StringRef name,
                                          int64_t min, int64_t max) {
  const Entry *e = find(f, name);
  if (!e)
    return std::nullopt;
  auto i = asInt(*e);
  if (i && *i < min) {
    error(*e->value) << "'" << e->key->value << "' must be at least " << min
                     << ", got " << *i;
    return std::nullopt;
  }
  if (i && *i > max) {
    error(*e->value) << "'" << e->key->value << "' must be at most " << max
                     << ", got " << *i;
    return std::nullopt;
  }
  return i;
}

std::optional<double> SpecReader::getPositive(const Fields &f, StringRef name) {
  const Entry *e = find(f, name);
  if (!e)
    return std::nullopt;
  auto d = asNum(*e);
  if (d && !(*d > 0)) {
    error(*e->value) << "'" << e->key->value << "' must be positive, got "
                     << e->value->value;
    return std::nullopt;
  }
  return d;
}

int64_t SpecReader::require(const Fields &f, StringRef name, const YNode &where,
                            StringRef what, int64_t max) {
  if (!find(f, name)) {
    error(where) << "missing required field '" << name << "' (" << what << ")";
    return 0;
  }
  return getInt(f, name, 1, max).value_or(0);
}

RopeAttr SpecReader::rope(const Fields &top, const ModelSpec &s) {
  auto f = [](double d) { return llvm::APFloat(d); };
  double theta = getPositive(top, "rotary_base").value_or(10000.0);
  double partial = 1.0;
  if (const Entry *e = find(top, "partial_rotary"))
    if (auto p = asNum(*e)) {
      if (*p > 0 && *p <= 1)
        partial = *p;
      else
        error(*e->value) << "'" << e->key->value
                         << "' (the fraction of each head that is rotated) "
                            "must be in (0, 1], got "
                         << e->value->value;
    }
  bool interleaved = getBool(top, "rope_interleaved").value_or(false);
  RopeScaling scaling = RopeScaling::none;
  double factor = 1.0, low = 1.0, high = 4.0, betaFast = 32.0, betaSlow = 1.0,
         attnFactor = 0.0;
  int64_t orig = 0;
  const Entry *rs = find(top, "rope_scaling");
  Location where = fileLoc;
  if (rs && rs->value->kind != YNode::Null) {
    const YNode &m = *rs->value;
    where = loc(*rs->key);
    if (m.kind != YNode::Mapping) {
      error(m) << "'rope_scaling' must be a mapping (type: linear|dynamic|"
                  "yarn|llama3, factor: ...), got "
               << describe(m);
      return nullptr;
    }
    Fields r;
    for (size_t i = 0; i < m.keys.size(); ++i) {
      StringRef k = m.keys[i].value;
      if (k == "original_max_position_embeddings" ||
          k == "original_max_position")
        k = "original_max_seq_len";
      if (k == "rope_type")
        k = "type";
      if (!llvm::is_contained(kRopeKeys, k)) {
        auto diag = error(m.keys[i]);
        diag << "unknown key '" << m.keys[i].value << "' in 'rope_scaling'";
        std::vector<std::string> c(std::begin(kRopeKeys), std::end(kRopeKeys));
        std::string near = nearest(m.keys[i].value, c);
        if (!near.empty())
          diag << "; did you mean '" << near << "'?";
        continue;
      }
      if (!r.try_emplace(k, Entry{&m.keys[i], &m.values[i]}).second)
        error(m.keys[i]) << "'" << k << "' is given twice in 'rope_scaling'";
    }
    if (const Entry *t = find(r, "type")) {
      if (auto ts = asStr(*t)) {
        if (*ts == "default" || *ts == "none")
          scaling = RopeScaling::none;
        else if (auto k = symbolizeRopeScaling(*ts))
          scaling = *k;
        else
          error(*t->value) << "rope scaling type '" << *ts
                           << "' is not supported (known: linear, dynamic, "
                              "yarn, llama3)";
      }
    } else {
      error(m) << "missing required field 'type' in 'rope_scaling' (linear, "
                  "dynamic, yarn or llama3)";
    }
    auto num = [&](StringRef k, double d) {
      const Entry *e = find(r, k);
      if (!e)
        return d;
      return asNum(*e).value_or(d);
    };
    factor = num("factor", 1.0);
    low = num("low_freq_factor", 1.0);
    high = num("high_freq_factor", 4.0);
    betaFast = num("beta_fast", 32.0);
    betaSlow = num("beta_slow", 1.0);
    attnFactor = num("attention_factor", 0.0);
    if (const Entry *e = find(r, "original_max_seq_len"))
      orig = asInt(*e).value_or(0);
    else if (scaling != RopeScaling::none && scaling != RopeScaling::linear)
      orig = s.maxPositions;
  }
  if (!ok)
    return nullptr;
  // The dialect's own check, reported at the spec.
  return RopeAttr::getChecked(
      [&] {
        ok = false;
        return emitError(where);
      },
      &ctx, f(theta), f(partial), scaling, f(factor), orig, f(low), f(high),
      f(betaFast), f(betaSlow), f(attnFactor), interleaved);
}

/// The layers an override's `index`, `range` and `every`/`offset` select.
SmallVector<int64_t> SpecReader::select(const YNode &item, const Fields &sel,
                                        int64_t layers) {
  SmallVector<int64_t> out;
  auto inRange = [&](const YNode &n, int64_t i) {
    if (i >= 0 && i < layers)
      return true;
    error(n) << "layer index " << i << " is out of range: num_layers is "
             << layers << " (indices 0.." << layers - 1 << ")";
    return false;
  };
  const Entry *index = find(sel, "index"), *range = find(sel, "range"),
              *every = find(sel, "every"), *offset = find(sel, "offset");
  if (!index && !range && !every) {
    error(item) << "a layer override needs 'index', 'range' or 'every' to "
                   "say which layers it applies to";
    return out;
  }
  if (index && (range || every)) {
    error(*index->key) << "'index' cannot be combined with 'range' or 'every'";
    return out;
  }
  if (offset && !every) {
    error(*offset->key) << "'offset' needs 'every'";
    return out;
  }
  if (index) {
    const YNode &v = *index->value;
    if (v.kind == YNode::Sequence) {
      for (const YNode &n : v.items)
        if (auto i = asInt(Entry{index->key, &n}); i && inRange(n, *i))
          out.push_back(*i);
    } else if (auto i = asInt(*index); i && inRange(v, *i)) {
      out.push_back(*i);
    }
    if (v.kind == YNode::Sequence && v.items.empty())
      error(v) << "'index' lists no layer";
    return out;
  }
  int64_t first = 0, last = layers - 1;
  if (range) {
    const YNode &v = *range->value;
    if (v.kind != YNode::Sequence || v.items.size() != 2) {
      error(v)
          << "'range' must be [first, last] (both included), got "
          << (v.kind == YNode::Sequence
                  ? llvm::formatv("a sequence of {0}", v.items.size()).str()
                  : describe(v));
      return out;
    }
    auto a = asInt(Entry{range->key, &v.items[0]});
    auto b = asInt(Entry{range->key, &v.items[1]});
    if (!a || !b || !inRange(v.items[0], *a) || !inRange(v.items[1], *b))
      return out;
    if (*a > *b) {
      error(v) << "'range' [" << *a << ", " << *b
               << "] is empty: first must not exceed last";
      return out;
    }
    first = *a;
    last = *b;
  }
  int64_t period = 1, phase = 0;
  if (every) {
    auto p = asInt(*every);
    if (!p)
      return out;
    if (*p < 1) {
      error(*every->value) << "'every' must be at least 1, got " << *p;
      return out;
    }
    period = *p;
    if (offset) {
      auto o = asInt(*offset);
      if (!o)
        return out;
      if (*o < 0 || *o >= period) {
        error(*offset->value) << "'offset' must be in [0, every) = [0, "
                              << period << "), got " << *o;
        return out;
      }
      phase = *o;
    }
  }
  for (int64_t l = first; l <= last; ++l)
    if (l % period == phase)
      out.push_back(l);
  if (out.empty())
    error(item) << "this override selects no layer of the " << layers;
  return out;
}

bool SpecReader::loadScheme(StringRef scheme, const YNode *node,
                            llvm::StringMap<std::string> &tensors) {
  Location where = node ? loc(*node) : fileLoc;
  llvm::SmallString<256> file(familiesDir);
  if (scheme.starts_with("hf-"))
    llvm::sys::path::append(file, scheme.drop_front(3) + ".json");
  else if (scheme.starts_with("gguf-"))
    llvm::sys::path::append(file, "gguf", scheme.drop_front(5) + ".json");
  if (!(scheme.starts_with("hf-") || scheme.starts_with("gguf-")) ||
      !llvm::sys::fs::exists(file)) {
    std::vector<std::string> known;
    std::error_code ec;
    for (auto [dir, prefix] :
         {std::pair<std::string, StringRef>(familiesDir.str(), "hf-"),
          {(familiesDir + "/gguf").str(), "gguf-"}})
      for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
           it.increment(ec))
        if (llvm::sys::path::extension(it->path()) == ".json")
          known.push_back((prefix + llvm::sys::path::stem(it->path())).str());
    llvm::sort(known);
    auto diag = error(where);
    diag << "unknown tensor naming scheme '" << scheme << "'";
    std::string near = nearest(scheme, known);
    if (!near.empty())
      diag << "; did you mean '" << near << "'?";
    diag << " Known schemes (the \"tensors\" of the family descriptions in "
         << familiesDir << "): " << llvm::join(known, ", ")
         << "; or give patterns, tensor_names: {q: "
            "\"model.layers.{layer}.attn.q.weight\", ...}";
    return false;
  }
  auto buf = llvm::MemoryBuffer::getFile(file);
  if (!buf) {
    error(where) << "cannot read " << file << ": " << buf.getError().message();
    return false;
  }
  auto v = llvm::json::parse((*buf)->getBuffer());
  if (!v) {
    error(where) << "malformed JSON in " << file << ": "
                 << llvm::toString(v.takeError());
    return false;
  }
  const llvm::json::Object *o = v->getAsObject();
  const llvm::json::Object *t = o ? o->getObject("tensors") : nullptr;
  if (!t) {
    error(where) << file << " has no \"tensors\" object";
    return false;
  }
  for (const auto &kv : *t)
    if (auto str = kv.second.getAsString())
      tensors[kv.first.str()] = str->str();
  return true;
}

std::string symbolFromFile(StringRef path) {
  std::string out;
  for (char c : llvm::sys::path::stem(path))
    out += std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "m_" + out;
  return out;
}

OwningOpRef<ModuleOp> SpecReader::run(const YNode &root) {
  rootNode = &root;
  if (root.kind == YNode::Null) {
    error(root) << "the model spec is empty";
    return nullptr;
  }
  if (root.kind != YNode::Mapping) {
    error(root) << "a model spec must be a YAML mapping of fields (key: "
                   "value), got "
                << describe(root);
    return nullptr;
  }
  collect(root, Section::Model, /*inOverride=*/false, top, &extra);

  ModelSpec s;
  s.sourceFile = path.str();
  s.name = symbolFromFile(path);
  if (const Entry *e = find(top, "name")) {
    nameLoc = loc(*e->key);
    if (auto n = asStr(*e)) {
      bool valid =
          !n->empty() && !std::isdigit(static_cast<unsigned char>((*n)[0])) &&
          llvm::all_of(*n, [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
          });
      if (valid)
        s.name = *n;
      else
        error(*e->value) << "'name' must be an identifier (letters, digits, "
                            "'_'; not starting with a digit), got '"
                         << *n << "'";
    }
  }
  std::string dt = getStr(top, "dtype").value_or("bfloat16");
  if (dt == "bfloat16" || dt == "bf16")
    s.dtype = BFloat16Type::get(&ctx);
  else if (dt == "float16" || dt == "f16")
    s.dtype = Float16Type::get(&ctx);
  else if (dt == "float32" || dt == "f32")
    s.dtype = Float32Type::get(&ctx);
  else
    error(*find(top, "dtype")->value)
        << "dtype '" << dt
        << "' is not supported (known: bfloat16, float16, "
           "float32)";

  s.vocab = require(top, "vocab_size", root, "the vocabulary size");
  s.hidden = require(top, "hidden_dim", root, "the model's hidden size");
  s.layers = require(top, "num_layers", root, "the number of decoder layers",
                     kMaxLayers);
  s.maxPositions = getInt(top, "max_seq_len").value_or(2048);
  s.tied = getBool(top, "tie_embeddings").value_or(false);
  s.learnedPositions = getBool(top, "learned_positions").value_or(false);
  s.transposed = getBool(top, "transposed_weights").value_or(false);
  s.finalSoftcap = getPositive(top, "final_logit_softcap");
  if (const Entry *e = find(top, "embedding_scale")) {
    if (e->value->kind == YNode::Scalar && e->value->value == "sqrt_hidden") {
      s.embeddingScale = std::sqrt(static_cast<double>(s.hidden));
    } else if (double d; e->value->kind == YNode::Scalar && !e->value->quoted &&
                         !StringRef(e->value->value).getAsDouble(d) && d > 0) {
      s.embeddingScale = d;
    } else {
      error(*e->value) << "'embedding_scale' must be a positive number or "
                          "sqrt_hidden, got "
                       << describe(*e->value);
    }
  }
  vocabLoc = keyLoc("vocab_size", fileLoc);
  headLoc = keyLoc("tie_embeddings", vocabLoc);
  for (const Entry &e : sectionHidden)
    if (auto h = asInt(e); h && s.hidden && *h != s.hidden)
      error(*e.value) << "'hidden_dim' " << *h
                      << " here differs from the model's hidden_dim "
                      << s.hidden;

  // Norms and block structure (seed 001's LayerSpec).
  if (auto nt = getStr(top, "norm_type")) {
    if (*nt == "rms_norm" || *nt == "rms")
      s.normKind = NormKind::rms;
    else if (*nt == "layer_norm" || *nt == "layer")
      s.normKind = NormKind::layer;
    else
      error(*find(top, "norm_type")->value)
          << "norm_type '" << *nt
          << "' is not supported (known: rms_norm, "
             "layer_norm)";
  }
  s.eps = getPositive(top, "norm_eps").value_or(1e-6);
  normLoc = keyLoc("norm_type", keyLoc("norm_eps", fileLoc));
  s.zeroCentered = getBool(top, "zero_centered_norm").value_or(false);
  s.preNorm = getBool(top, "pre_norm").value_or(true);
  s.postNorm = getBool(top, "post_norm").value_or(false);
  if (!s.preNorm && !s.postNorm)
    error(keyLoc("pre_norm", fileLoc))
        << "a layer needs pre_norm, post_norm or both; both are false";
  s.parallelAttnMLP = getBool(top, "parallel_attn_mlp").value_or(false);
  s.parallelTwoNorms = getBool(top, "parallel_two_norms").value_or(false);
  if (s.parallelTwoNorms && !s.parallelAttnMLP)
    error(keyLoc("parallel_two_norms", fileLoc))
        << "'parallel_two_norms' needs parallel_attn_mlp: true";
  normBias = getBool(top, "norm_bias").value_or(s.normKind == NormKind::layer);
  if (normBias && s.normKind != NormKind::layer)
    error(keyLoc("norm_bias", fileLoc))
        << "'norm_bias' needs norm_type: layer_norm (RMSNorm has no bias)";

  // Attention.
  s.heads = require(top, "num_heads", root, "the number of attention heads");
  s.kvHeads = getInt(top, "num_kv_heads").value_or(s.heads);
  if (const Entry *e = find(top, "num_kv_heads"); e && s.heads && s.kvHeads) {
    if (s.kvHeads > s.heads)
      error(*e->value) << "num_kv_heads (" << s.kvHeads
                       << ") must not exceed num_heads (" << s.heads << ")";
    else if (s.heads % s.kvHeads)
      error(*e->value) << "num_heads (" << s.heads
                       << ") must be a multiple of num_kv_heads (" << s.kvHeads
                       << ") so that query heads share KV heads evenly";
  }
  s.headDim = getInt(top, "head_dim").value_or(0);
  const Entry *typeEntry = find(top, "attention_type");
  bool latent = typeEntry && typeEntry->value->value == "multi_head_latent";
  if (!latent && !find(top, "head_dim") && s.heads && s.hidden &&
      s.hidden % s.heads)
    error(*find(top, "num_heads")->value)
        << "hidden_dim " << s.hidden << " is not divisible by num_heads "
        << s.heads << "; give head_dim explicitly";
  if (const Entry *e = find(top, "sliding_window_size");
      e && e->value->kind != YNode::Null) {
    if (auto w = asInt(*e)) {
      if (*w < 0)
        error(*e->value) << "'" << e->key->value
                         << "' must not be negative, got " << *w;
      else if (*w > s.maxPositions)
        error(*e->value) << "sliding window " << *w << " exceeds max_seq_len "
                         << s.maxPositions;
      else if (*w)
        s.slidingWindow = *w;
    }
  }
  biasQ = getBool(top, "use_bias_q").value_or(false);
  biasKV = getBool(top, "use_bias_kv").value_or(false);
  biasO = getBool(top, "use_bias_o").value_or(false);
  s.attentionBias = biasQ || biasKV || biasO;
  s.qkNorm = getBool(top, "qk_norm").value_or(false);
  s.attnSoftcap = getPositive(top, "attn_logit_softcap");
  s.attnScale = getPositive(top, "attn_scale");
  s.fusedQKV = getBool(top, "fused_qkv").value_or(false);
  s.qkNormWhole = getBool(top, "qk_norm_whole").value_or(false);
  if (s.qkNormWhole && !s.qkNorm)
    error(keyLoc("qk_norm_whole", fileLoc))
        << "'qk_norm_whole' needs qk_norm: true";
  s.fusedQKVGroups = getInt(top, "fused_qkv_groups").value_or(0);
  if (s.fusedQKVGroups && !s.fusedQKV)
    error(keyLoc("fused_qkv_groups", fileLoc))
        << "'fused_qkv_groups' needs fused_qkv: true";
  else if (s.fusedQKVGroups && s.kvHeads && s.heads &&
           (s.kvHeads % s.fusedQKVGroups || s.heads % s.fusedQKVGroups))
    error(*find(top, "fused_qkv_groups")->value)
        << "fused_qkv_groups (" << s.fusedQKVGroups
        << ") must divide num_heads (" << s.heads << ") and num_kv_heads ("
        << s.kvHeads << ")";
  if (s.fusedQKV && biasQ != biasKV)
    error(keyLoc("use_bias_q", keyLoc("use_bias_kv", fileLoc)))
        << "with fused_qkv, use_bias_q and use_bias_kv must agree (one fused "
           "qkv bias)";
  bool useRotary = getBool(top, "use_rotary").value_or(true);
  if (!useRotary) {
    for (StringRef k :
         {"rotary_base", "partial_rotary", "rope_scaling", "rope_interleaved"})
      if (const Entry *e = find(top, k))
        error(*e->key) << "'" << e->key->value
                       << "' is given but use_rotary is false";
  }

  // Multi-head latent attention (DeepSeek-V2/V3) has no tt op yet: it
  // becomes tt.unsupported with its tensors, and --gap-report-dir reports it.
  const Entry *uniformType = find(top, "attention_type");
  mla = uniformType && uniformType->value->kind == YNode::Scalar &&
        uniformType->value->value == "multi_head_latent";
  if (mla) {
    s.attention = ModelSpec::AttentionKind::MLA;
    s.qLoraRank = getInt(top, "q_lora_rank", 0).value_or(0);
    s.kvLoraRank = require(top, "kv_lora_rank", root, "multi_head_latent");
    s.qkNopeHeadDim =
        require(top, "qk_nope_head_dim", root, "multi_head_latent");
    s.qkRopeHeadDim =
        require(top, "qk_rope_head_dim", root, "multi_head_latent");
    s.vHeadDim = require(top, "v_head_dim", root, "multi_head_latent");
  } else {
    for (StringRef k : {"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim",
                        "qk_rope_head_dim", "v_head_dim"})
      if (const Entry *e = find(top, k))
        error(*e->key) << "'" << e->key->value
                       << "' needs attention_type: multi_head_latent";
  }

  // MLP.
  s.intermediate = getInt(top, "intermediate_dim").value_or(0);
  if (auto act = getStr(top, "activation")) {
    if (auto a = symbolizeActivation(*act))
      s.activation = *a;
    else
      error(*find(top, "activation")->value)
          << "activation '" << *act
          << "' is not supported (known: silu, gelu, gelu_tanh, relu, swish)";
  }
  s.gatedMLP = getBool(top, "use_gate").value_or(true);
  s.mlpBias = getBool(top, "use_bias").value_or(false);
  s.fusedGateUp = getBool(top, "fused_gate_up").value_or(false);
  if (s.fusedGateUp && !s.gatedMLP)
    error(keyLoc("fused_gate_up", fileLoc))
        << "'fused_gate_up' needs use_gate: true";

  // MoE.
  s.numExperts = getInt(top, "num_experts", 0).value_or(0);
  if (s.numExperts) {
    s.topK = require(top, "top_k", root, "experts per token, with num_experts");
    if (s.topK > s.numExperts)
      error(*find(top, "top_k")->value)
          << "top_k (" << s.topK << ") must not exceed num_experts ("
          << s.numExperts << ")";
    s.moeIntermediate =
        getInt(top, "expert_intermediate_dim").value_or(s.intermediate);
    if (!s.moeIntermediate && !find(top, "expert_intermediate_dim"))
      error(root) << "missing required field 'expert_intermediate_dim' (or "
                     "intermediate_dim), the width of each expert";
    s.sharedExperts = getInt(top, "num_shared_experts", 0).value_or(0);
    s.sharedExpertIntermediate =
        getInt(top, "shared_expert_intermediate_dim").value_or(0);
    s.sharedExpertGate = getBool(top, "shared_expert_gate").value_or(false);
    routerBias = getBool(top, "router_bias").value_or(false);
    if (!s.sharedExperts)
      for (StringRef k :
           {"shared_expert_intermediate_dim", "shared_expert_gate"})
        if (const Entry *e = find(top, k))
          error(*e->key) << "'" << k << "' needs num_shared_experts";
    if (auto rn = getStr(top, "router_norm")) {
      if (auto r = symbolizeRouterNorm(*rn))
        s.routerNorm = *r;
      else
        error(*find(top, "router_norm")->value)
            << "router_norm '" << *rn
            << "' is not supported (known: softmax, softmax_renorm, sigmoid, "
               "sigmoid_renorm)";
    }
    s.firstDenseLayers = getInt(top, "first_dense_layers", 0).value_or(0);
    if (s.layers && s.firstDenseLayers > s.layers)
      error(*find(top, "first_dense_layers")->value)
          << "first_dense_layers (" << s.firstDenseLayers
          << ") exceeds num_layers (" << s.layers << ")";
  } else {
    for (StringRef k :
         {"top_k", "expert_intermediate_dim", "num_shared_experts",
          "shared_expert_intermediate_dim", "shared_expert_gate", "router_norm",
          "router_bias", "first_dense_layers"})
      if (const Entry *e = find(top, k))
        error(*e->key) << "'" << e->key->value
                       << "' is a MoE field; set num_experts to use it";
  }
  if (!ok)
    return nullptr;
  if (useRotary)
    s.rope = rope(top, s);
  if (!ok)
    return nullptr;

  readOverrides(s);
  if (!ok)
    return nullptr;
  checkLayers(s);
  if (!ok || !readTensorNames(s))
    return nullptr;
  OwningOpRef<ModuleOp> module = buildModel(ctx, s);
  if (!module)
    return nullptr;
  relocate(*module, s.name);
  return module;
}

/// Reads `layers:`, the per-layer overrides, into s.layerOverrides.
void SpecReader::readOverrides(ModelSpec &s) {
  // Per-layer overrides.
  Location headsLoc = keyLoc("num_heads", fileLoc);
  Location defaultMlp = s.numExperts ? keyLoc("num_experts", fileLoc)
                                     : keyLoc("intermediate_dim", fileLoc);
  layerLoc.assign(s.layers, keyLoc("num_layers", fileLoc));
  attnLoc.assign(s.layers, headsLoc);
  mlpLoc.assign(s.layers, defaultMlp);
  // The attention_type each layer is checked against, and where it is given.
  // Entries are copied: an override's Fields do not outlive its loop.
  attnType.assign(s.layers, std::nullopt);
  interOverride.assign(s.layers, std::nullopt);
  if (const Entry *t = find(top, "attention_type"))
    attnType.assign(s.layers, *t);
  if (const Entry *e = find(extra, "layers")) {
    const YNode &seq = *e->value;
    if (seq.kind != YNode::Sequence) {
      error(seq) << "'layers' must be a sequence of overrides (- index: N, "
                    "field: value), got "
                 << describe(seq);
      return;
    }
    SmallVector<ModelSpec::LayerOverride> ov(s.layers);
    bool any = false;
    for (const YNode &item : seq.items) {
      if (item.kind != YNode::Mapping) {
        error(item) << "a layer override must be a mapping (index/range/every "
                       "and fields), got "
                    << describe(item);
        continue;
      }
      Fields f, sel;
      unsigned before = errors;
      collect(item, Section::Model, /*inOverride=*/true, f, &sel);
      SmallVector<int64_t> chosen = select(item, sel, s.layers);
      if (f.empty()) {
        if (errors != before)
          continue; // its fields were wrong, not missing
        error(item) << "this layer override sets no field";
        continue;
      }
      if (chosen.empty())
        continue;
      any = true;
      std::optional<int64_t> window, inter;
      std::optional<double> theta;
      std::optional<bool> moe;
      if (const Entry *w = find(f, "sliding_window_size")) {
        if (w->value->kind == YNode::Null) {
          window = 0;
        } else if (auto v = asInt(*w)) {
          if (*v < 0)
            error(*w->value)
                << "'" << w->key->value << "' must not be negative, got " << *v;
          else if (*v > s.maxPositions)
            error(*w->value) << "sliding window " << *v
                             << " exceeds max_seq_len " << s.maxPositions;
          else
            window = *v;
        }
      }
      inter = getInt(f, "intermediate_dim");
      theta = getPositive(f, "rotary_base");
      if (const Entry *t = find(f, "rotary_base"); t && !s.rope)
        error(*t->key) << "'" << t->key->value
                       << "' overrides the rotary base, but the model has no "
                          "rotary embedding (use_rotary: false)";
      moe = getBool(f, "use_moe");
      if (const Entry *m = find(f, "use_moe");
          m && moe && *moe && !s.numExperts)
        error(*m->value) << "'use_moe: true' needs num_experts";
      for (int64_t l : chosen) {
        ModelSpec::LayerOverride &o = ov[l];
        layerLoc[l] = loc(item);
        auto at = [&](StringRef k) { return loc(*find(f, k)->key); };
        // The attention op points at what changes it, before what only
        // checks it.
        if (const Entry *t = find(f, "attention_type")) {
          attnType[l] = *t;
          attnLoc[l] = at("attention_type");
        }
        if (theta) {
          o.ropeTheta = theta;
          attnLoc[l] = at("rotary_base");
        }
        if (window) {
          o.slidingWindow = window;
          attnLoc[l] = at("sliding_window_size");
        }
        if (inter) {
          o.intermediate = inter;
          interOverride[l] = *find(f, "intermediate_dim");
          mlpLoc[l] = at("intermediate_dim");
        }
        if (moe) {
          o.moe = moe;
          mlpLoc[l] = at("use_moe");
        }
      }
    }
    if (any)
      s.layerOverrides = std::move(ov);
  }
}

/// Checks that need each layer's resolved values.
void SpecReader::checkLayers(const ModelSpec &s) {
  llvm::SmallPtrSet<const YNode *, 4> reported; // value nodes said once
  bool reportedWidth = false;
  for (int64_t l = 0; l < s.layers; ++l) {
    if (const Entry *t = attnType[l] ? &*attnType[l] : nullptr;
        t && !reported.contains(t->value)) {
      std::optional<std::string> type = asStr(*t);
      std::optional<int64_t> window = s.getSlidingWindow(l);
      std::string problem;
      if (!type) {
        reported.insert(t->value);
        continue;
      }
      if (*type == "multi_head") {
        if (s.kvHeads != s.heads)
          problem = llvm::formatv("needs num_kv_heads == num_heads, but they "
                                  "are {0} and {1}",
                                  s.kvHeads, s.heads);
      } else if (*type == "multi_query") {
        if (s.kvHeads != 1)
          problem =
              llvm::formatv("needs num_kv_heads == 1, got {0}", s.kvHeads);
      } else if (*type == "grouped_query") {
        if (!(s.kvHeads > 1 && s.kvHeads < s.heads))
          problem = llvm::formatv("needs 1 < num_kv_heads < num_heads, but "
                                  "they are {0} and {1}",
                                  s.kvHeads, s.heads);
      } else if (*type == "sliding_window") {
        if (!window)
          problem = "needs sliding_window_size";
      } else if (*type == "multi_head_latent") {
        const Entry *uniformType = find(top, "attention_type");
        if (!uniformType || t->value != uniformType->value)
          problem = "cannot be set per layer (the whole model uses it or none)";
      } else {
        error(*t->value) << "attention_type '" << *type
                         << "' is not supported (known: multi_head, "
                            "grouped_query, multi_query, sliding_window, "
                            "multi_head_latent)";
        reported.insert(t->value);
        continue;
      }
      if (!problem.empty()) {
        error(*t->value) << "attention_type '" << *type << "' in layer " << l
                         << " " << problem;
        reported.insert(t->value);
      }
    }
    bool moe = s.isMoELayer(l);
    if (moe && interOverride[l] &&
        !reported.contains(interOverride[l]->value)) {
      error(*interOverride[l]->key)
          << "layer " << l
          << " is a MoE layer; 'intermediate_dim' sets the width of a dense "
             "MLP (use 'use_moe: false' to make it dense)";
      reported.insert(interOverride[l]->value);
    }
    if (!moe && !s.getIntermediate(l) && !reportedWidth) {
      error(*rootNode) << "missing required field 'intermediate_dim' (the MLP "
                          "width; layer "
                       << l << " has a dense MLP)";
      reportedWidth = true;
    }
  }
}

/// Tensor names: a scheme (a family's "tensors"), then explicit patterns;
/// roles the spec switches off are dropped, roles it needs must be named.
bool SpecReader::readTensorNames(ModelSpec &s) {
  llvm::StringMap<std::string> tensors;
  std::string scheme = "hf-llama";
  const YNode *schemeNode = nullptr;
  const Entry *tn = find(top, "tensor_names");
  std::vector<Entry> patterns;
  if (tn) {
    tensorsLoc = loc(*tn->key);
    const YNode &v = *tn->value;
    if (v.kind == YNode::Scalar) {
      scheme = v.value;
      schemeNode = &v;
    } else if (v.kind == YNode::Mapping) {
      for (size_t i = 0; i < v.keys.size(); ++i) {
        if (v.keys[i].value == "scheme") {
          if (auto str = asStr(Entry{&v.keys[i], &v.values[i]})) {
            scheme = *str;
            schemeNode = &v.values[i];
          }
        } else {
          patterns.push_back({&v.keys[i], &v.values[i]});
        }
      }
    } else {
      error(v) << "'tensor_names' must be a scheme name (e.g. hf-llama) or a "
                  "mapping of role: pattern, got "
               << describe(v);
    }
  }
  if (ok && !loadScheme(scheme, schemeNode, tensors))
    return false;
  std::vector<std::string> roles(std::begin(kRoles), std::end(kRoles));
  for (const auto &t : tensors)
    if (!llvm::is_contained(roles, t.getKey()))
      roles.push_back(t.getKey().str());
  llvm::StringMap<Location> roleLoc;
  for (const Entry &p : patterns) {
    StringRef role = p.key->value;
    if (!llvm::is_contained(roles, role)) {
      auto diag = error(*p.key);
      diag << "unknown tensor role '" << role << "' in 'tensor_names'";
      std::string near = nearest(role, roles);
      if (!near.empty())
        diag << "; did you mean '" << near << "'?";
      continue;
    }
    auto pat = asStr(p);
    if (!pat)
      continue;
    if (!llvm::is_contained(kModelRoles, role) &&
        !StringRef(*pat).contains("{layer}")) {
      error(*p.value) << "the pattern for '" << role
                      << "' must contain {layer} (one tensor per layer)";
      continue;
    }
    tensors[role] = *pat;
    roleLoc.try_emplace(role, loc(*p.key));
  }
  // Roles switched off by the spec are dropped, so the builder adds no such
  // weight; roles switched on must have a name.
  auto drop = [&](bool keep, std::initializer_list<StringRef> rs) {
    if (!keep)
      for (StringRef r : rs)
        tensors.erase(r);
  };
  drop(biasQ, {"q_bias"});
  drop(biasKV, {"k_bias", "v_bias"});
  drop(biasO, {"o_bias"});
  drop(biasQ && biasKV, {"qkv_bias"});
  drop(s.mlpBias, {"up_bias", "gate_bias", "down_bias"});
  drop(normBias, {"attn_norm_bias", "mlp_norm_bias", "final_norm_bias",
                  "attn_post_norm_bias", "mlp_post_norm_bias"});
  drop(s.sharedExpertGate, {"shared_router"});
  drop(routerBias, {"router_bias"});
  bool anyDense = false, anyMoE = false;
  for (int64_t l = 0; l < s.layers; ++l)
    (s.isMoELayer(l) ? anyMoE : anyDense) = true;
  auto need = [&](bool cond, StringRef role, StringRef why) {
    if (!cond || tensors.count(role) || !ok)
      return;
    error(schemeNode ? loc(*schemeNode) : tensorsLoc)
        << "tensor naming scheme '" << scheme << "' has no name for '" << role
        << "' (needed for " << why
        << "); add it under tensor_names, e.g. tensor_names: {scheme: "
        << scheme << ", " << role << ": \"...\"}";
  };
  need(true, "embed", "the embedding");
  need(s.learnedPositions, "positions", "learned_positions");
  need(true, "final_norm", "the final norm");
  need(!s.tied, "lm_head", "the untied lm_head");
  need(s.preNorm, "attn_norm", "pre_norm");
  need(s.preNorm && (!s.parallelAttnMLP || s.parallelTwoNorms), "mlp_norm",
       "pre_norm");
  need(s.postNorm, "attn_post_norm", "post_norm");
  need(s.postNorm, "mlp_post_norm", "post_norm");
  if (mla) {
    for (StringRef r : {"mla_kv_a", "mla_kv_a_norm", "mla_kv_b", "o"})
      need(true, r, "multi_head_latent");
    for (StringRef r : {"mla_q_a", "mla_q_a_norm", "mla_q_b"})
      need(s.qLoraRank > 0, r, "q_lora_rank");
    need(!s.qLoraRank, "q", "multi_head_latent without q_lora_rank");
  } else {
    for (StringRef r : s.fusedQKV ? std::vector<StringRef>{"qkv"}
                                  : std::vector<StringRef>{"q", "k", "v"})
      need(true, r, "attention");
    need(true, "o", "attention");
  }
  need(s.fusedQKV && biasQ, "qkv_bias", "use_bias_q/use_bias_kv");
  need(!s.fusedQKV && biasQ, "q_bias", "use_bias_q");
  need(!s.fusedQKV && biasKV, "k_bias", "use_bias_kv");
  need(!s.fusedQKV && biasKV, "v_bias", "use_bias_kv");
  need(biasO, "o_bias", "use_bias_o");
  need(s.qkNorm, "q_norm", "qk_norm");
  need(s.qkNorm, "k_norm", "qk_norm");
  if (anyDense) {
    if (s.fusedGateUp)
      need(true, "gate_up", "fused_gate_up");
    else
      need(s.gatedMLP, "gate", "use_gate");
    need(!s.fusedGateUp, "up", "the MLP");
    need(true, "down", "the MLP");
    need(s.mlpBias, "up_bias", "use_bias");
    need(s.mlpBias, "down_bias", "use_bias");
  }
  if (anyMoE) {
    for (StringRef r : {"router", "expert_gate", "expert_up", "expert_down"})
      need(true, r, "num_experts");
    need(routerBias, "router_bias", "router_bias");
    for (StringRef r : {"shared_gate", "shared_up", "shared_down"})
      need(s.sharedExperts > 0, r, "num_shared_experts");
    need(s.sharedExperts > 0 && s.sharedExpertGate, "shared_router",
         "shared_expert_gate");
  }
  need(normBias && s.preNorm, "attn_norm_bias", "norm_bias");
  need(normBias && s.preNorm && (!s.parallelAttnMLP || s.parallelTwoNorms),
       "mlp_norm_bias", "norm_bias");
  need(normBias && s.postNorm, "attn_post_norm_bias", "norm_bias");
  need(normBias && s.postNorm, "mlp_post_norm_bias", "norm_bias");
  need(normBias, "final_norm_bias", "norm_bias");
  if (!ok)
    return false;
  s.tensors = std::move(tensors);
  return true;
}

/// Points each op at the spec node it comes from: layers at their override
/// (or num_layers), attention at num_heads or the overriding field, the MLP
/// at intermediate_dim / num_experts or the override, weights at
/// tensor_names.
void SpecReader::relocate(ModuleOp module, StringRef funcName) {
  auto relocWeight = [&](WeightOp w) {
    w->setLoc(NameLoc::get(w.getNameAttr(), tensorsLoc));
  };
  module.walk([&](func::FuncOp f) {
    f->setLoc(NameLoc::get(StringAttr::get(&ctx, funcName), nameLoc));
    f.getArgument(0).setLoc(vocabLoc);
    for (Operation &op : f.getBody().front()) {
      if (auto w = dyn_cast<WeightOp>(op)) {
        relocWeight(w);
      } else if (auto l = dyn_cast<LayerOp>(op)) {
        int64_t i = l.getIndexAttr().getInt();
        if (i < 0 || i >= (int64_t)layerLoc.size())
          continue;
        l->setLoc(NameLoc::get(
            StringAttr::get(&ctx, llvm::formatv("layer {0}", i).str()),
            layerLoc[i]));
        Block &body = l.getBody().front();
        body.getArgument(0).setLoc(layerLoc[i]);
        for (Operation &inner : body) {
          if (auto w = dyn_cast<WeightOp>(inner))
            relocWeight(w);
          else if (isa<AttentionOp, UnsupportedOp>(inner))
            inner.setLoc(attnLoc[i]);
          else if (isa<MLPOp, MoEOp>(inner))
            inner.setLoc(mlpLoc[i]);
          else if (isa<NormOp>(inner))
            inner.setLoc(normLoc);
          else
            inner.setLoc(layerLoc[i]);
        }
      } else if (isa<EmbeddingOp>(op)) {
        op.setLoc(vocabLoc);
      } else if (isa<NormOp>(op)) {
        op.setLoc(normLoc);
      } else if (isa<LMHeadOp>(op)) {
        op.setLoc(headLoc);
      }
    }
  });
}

} // namespace

OwningOpRef<ModuleOp> importSpec(MLIRContext &ctx, StringRef path,
                                 StringRef familiesDir) {
  ctx.getOrLoadDialect<TTDialect>();
  ctx.getOrLoadDialect<func::FuncDialect>();
  auto buf = llvm::MemoryBuffer::getFile(path);
  if (!buf) {
    emitError(FileLineColLoc::get(&ctx, path, 0, 0))
        << "cannot read model spec '" << path
        << "': " << buf.getError().message();
    return nullptr;
  }
  llvm::SourceMgr sm;
  SpecReader reader(ctx, path, sm, familiesDir);
  // The YAML parser reports through the SourceMgr; its first error is the
  // one that says what is wrong.
  struct ParseErrors {
    SpecReader *reader;
    bool failed = false;
  } errs{&reader};
  sm.setDiagHandler(
      [](const llvm::SMDiagnostic &d, void *p) {
        auto *e = static_cast<ParseErrors *>(p);
        if (e->failed)
          return;
        e->failed = true;
        e->reader->error(e->reader->loc(d.getLoc()))
            << "malformed YAML: " << d.getMessage();
      },
      &errs);
  yaml::Stream stream((*buf)->getMemBufferRef(), sm, /*ShowColors=*/false);
  YNode root;
  auto doc = stream.begin();
  bool converted = doc != stream.end() && reader.convert(doc->getRoot(), root);
  if (converted && !errs.failed) {
    ++doc;
    if (doc != stream.end() && doc->getRoot() &&
        !isa<yaml::NullNode>(doc->getRoot()) && !errs.failed) {
      YNode second;
      second.loc = doc->getRoot()->getSourceRange().Start;
      reader.error(second) << "a model spec is one YAML document; a second "
                              "one starts here";
      return nullptr;
    }
  }
  if (errs.failed || stream.failed() || !converted) {
    if (!errs.failed && !converted && doc == stream.end())
      reader.error(root) << "the model spec is empty";
    return nullptr;
  }
  return reader.run(root);
}

} // namespace tt
