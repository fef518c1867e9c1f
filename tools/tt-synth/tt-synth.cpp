//===- tt-synth.cpp - Write a model of a given shape with random weights --===//
//
//   tt-synth CONFIG --format hf|gguf --dtype DT [--seed N]
//            [--vocab-from VOCAB.gguf] -o OUT
//
// Imports CONFIG (a HuggingFace config.json, any known family) to tt IR and
// writes a model of exactly that shape whose weights are deterministic
// pseudo-random numbers, so tests and benchmarks run at real sizes (e.g.
// TinyLlama-1.1B) with no download:
//   --format hf:   OUT/config.json + OUT/model.safetensors, DT in f32/f16/bf16
//   --format gguf: OUT, a GGUF v3 file of llama.cpp's `llama` architecture
//                  (families llama and mistral), or its `bloom` / `mpt`
//                  with the same weights as --format hf writes (renamed and
//                  regrouped as llama.cpp's converter does), DT in
//                  f32/f16/q8_0/q4_0; matrices take DT, vectors stay f32
//                  (as llama.cpp does).
// --vocab-from copies the tokenizer.* metadata of a (vocab-only) GGUF whose
// vocabulary size matches, so the model can be prompted; without it a GGUF
// gets a synthetic SentencePiece-style vocabulary (<unk> <s> </s>, the 256
// byte tokens, filler pieces) when the vocabulary has room for one.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTDialect.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Import/GGUFReader.h"
#include "tt/Import/HFImporter.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Support/Quantize.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cmath>
#include <cstring>
#include <map>

#ifndef TT_DATA_DIR
#define TT_DATA_DIR ""
#endif

namespace cl = llvm::cl;
namespace json = llvm::json;
using llvm::StringRef;

static cl::opt<std::string> configPath(cl::Positional, cl::Required,
                                       cl::desc("<config.json or model dir>"));
static cl::opt<std::string> format("format", cl::desc("hf or gguf"),
                                   cl::init("gguf"));
static cl::opt<std::string> dtypeName("dtype",
                                      cl::desc("f32, f16, bf16, q8_0, q4_0"),
                                      cl::init("f32"));
static cl::opt<uint64_t> seed("seed", cl::desc("random seed"), cl::init(1));
static cl::opt<std::string>
    vocabFrom("vocab-from",
              cl::desc("copy tokenizer.* metadata from this GGUF"),
              cl::init(""));
static cl::opt<std::string> familiesDir("families-dir", cl::init(""),
                                        cl::desc("family descriptors"));
static cl::opt<std::string> outPath("o", cl::Required,
                                    cl::desc("output file (gguf) or dir (hf)"));

namespace {

[[noreturn]] void fail(const llvm::Twine &msg) {
  llvm::errs() << "tt-synth: error: " << msg << "\n";
  std::exit(1);
}

/// One tensor to write: name, row-major shape, and the seed of its values.
struct Tensor {
  std::string name;
  llvm::SmallVector<int64_t, 4> shape;
  bool isNorm = false; ///< values around 1 (norm scales)
  /// Explicit values (a tensor converted from another format's); empty:
  /// generated from the seed and the name.
  std::vector<float> data;
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

/// splitmix64: a small, well-mixed, reproducible generator.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [-1, 1).
  float uniform() { return (float)((next() >> 40) * (2.0 / (1ull << 24)) - 1.0); }
};

/// Fills a tensor's values: uniform with standard deviation 0.02 (the usual
/// initialiser scale), norm scales 1 +- 0.1. Each tensor's stream depends
/// only on the seed and its name, so a tensor is the same in every format.
std::vector<float> values(const Tensor &t) {
  if (!t.data.empty())
    return t.data;
  Rng rng(seed ^ llvm::xxh3_64bits(t.name));
  std::vector<float> v(t.numElements());
  const float a = t.isNorm ? 0.1f : 0.02f * std::sqrt(3.0f);
  for (float &x : v)
    x = (t.isNorm ? 1.0f : 0.0f) + a * rng.uniform();
  return v;
}

/// The weights of the imported model: names with `{e}` expanded, row-range
/// names (`w[0:3072]`) merged into their whole tensor, Conv1D transposed
/// weights in stored order.
std::vector<Tensor> collectTensors(mlir::ModuleOp module) {
  std::vector<Tensor> out;
  std::map<std::string, size_t> byName;
  module.walk([&](tt::WeightOp w) {
    auto type = llvm::cast<mlir::RankedTensorType>(w.getResult().getType());
    llvm::SmallVector<int64_t, 4> shape(type.getShape());
    std::string name = w.getName().str();
    int64_t rowEnd = -1;
    // name[a:b] is rows a..b of `name` (of the logical [out, in] matrix).
    if (StringRef(name).ends_with("]")) {
      size_t open = name.rfind('[');
      StringRef range = StringRef(name).slice(open + 1, name.size() - 1);
      auto [a, b] = range.split(':');
      int64_t begin, end;
      if (!a.getAsInteger(10, begin) && !b.getAsInteger(10, end)) {
        rowEnd = end;
        name = name.substr(0, open);
      }
    }
    // A transposed (Conv1D) matrix is stored [in, out]: its rows a..b are
    // stored columns.
    size_t rowDim = 0;
    if (w.getTransposed() && shape.size() == 2) {
      std::swap(shape[0], shape[1]);
      rowDim = 1;
    }
    llvm::SmallVector<std::pair<std::string, llvm::SmallVector<int64_t, 4>>>
        parts;
    size_t e = name.find("{e}");
    if (e != std::string::npos) {
      llvm::SmallVector<int64_t, 4> inner(shape.begin() + 1, shape.end());
      for (int64_t i = 0; i < shape[0]; ++i)
        parts.push_back({name.substr(0, e) + std::to_string(i) +
                             name.substr(e + 3),
                         inner});
    } else {
      parts.push_back({name, shape});
    }
    for (auto &[n, s] : parts) {
      auto it = byName.find(n);
      if (it != byName.end()) {
        if (rowEnd > out[it->second].shape[rowDim])
          out[it->second].shape[rowDim] = rowEnd;
        continue;
      }
      Tensor t{n, s};
      if (rowEnd >= 0)
        t.shape[rowDim] = rowEnd;
      StringRef sn(n);
      t.isNorm = s.size() == 1 && (sn.contains("norm") || sn.contains("ln_"));
      byName[n] = out.size();
      out.push_back(std::move(t));
    }
  });
  return out;
}

void writeFileOrFail(StringRef path, llvm::function_ref<void(llvm::raw_fd_ostream &)> fn) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    fail("cannot write " + path + ": " + ec.message());
  fn(os);
  os.close();
  if (os.has_error())
    fail("writing " + path + " failed: " + os.error().message());
}

//===----------------------------------------------------------------------===//
// safetensors
//===----------------------------------------------------------------------===//

void writeHF(const std::vector<Tensor> &tensors, const json::Object &config,
             StringRef dir, StringRef dtype) {
  unsigned bytes = dtype == "f32" ? 4 : 2;
  StringRef stDtype = dtype == "f32" ? "F32" : dtype == "f16" ? "F16" : "BF16";
  if (auto ec = llvm::sys::fs::create_directories(dir))
    fail("cannot create " + dir + ": " + ec.message());
  json::Object cfg = config;
  cfg["torch_dtype"] =
      dtype == "f32" ? "float32" : dtype == "f16" ? "float16" : "bfloat16";
  llvm::SmallString<256> p(dir);
  llvm::sys::path::append(p, "config.json");
  writeFileOrFail(p, [&](llvm::raw_fd_ostream &os) {
    os << llvm::formatv("{0:2}", json::Value(std::move(cfg))) << "\n";
  });

  json::Object header;
  uint64_t offset = 0;
  for (const Tensor &t : tensors) {
    uint64_t n = t.numElements() * bytes;
    json::Array shape;
    for (int64_t d : t.shape)
      shape.push_back(d);
    header[t.name] = json::Object{{"dtype", stDtype},
                                  {"shape", std::move(shape)},
                                  {"data_offsets", json::Array{offset, offset + n}}};
    offset += n;
  }
  header["__metadata__"] = json::Object{{"format", "pt"}, {"producer", "tt-synth"}};
  std::string h;
  llvm::raw_string_ostream(h) << json::Value(std::move(header));
  while (h.size() % 8)
    h.push_back(' ');
  p = dir;
  llvm::sys::path::append(p, "model.safetensors");
  writeFileOrFail(p, [&](llvm::raw_fd_ostream &os) {
    uint64_t len = h.size();
    os.write(reinterpret_cast<const char *>(&len), 8);
    os << h;
    std::vector<uint16_t> half;
    for (const Tensor &t : tensors) {
      std::vector<float> v = values(t);
      if (bytes == 4) {
        os.write(reinterpret_cast<const char *>(v.data()), v.size() * 4);
        continue;
      }
      half.resize(v.size());
      for (size_t i = 0; i < v.size(); ++i)
        half[i] = dtype == "f16" ? tt::rt::floatToHalf(v[i]) : tt::rt::floatToBF16(v[i]);
      os.write(reinterpret_cast<const char *>(half.data()), half.size() * 2);
    }
  });
}

//===----------------------------------------------------------------------===//
// GGUF
//===----------------------------------------------------------------------===//

enum GGUFValueType : uint32_t {
  U8 = 0, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64
};

class GGUFWriter {
public:
  void kv(StringRef key, GGUFValueType type, const json::Value &v,
          GGUFValueType elem = U32) {
    ++numKV;
    str(key);
    put<uint32_t>(type);
    value(type, v, elem);
  }
  void tensorInfo(StringRef name, llvm::ArrayRef<int64_t> shape,
                  uint32_t ggmlType, uint64_t offset) {
    str(name);
    put<uint32_t>(shape.size());
    for (int64_t i = shape.size() - 1; i >= 0; --i) // ne[0] innermost
      put<uint64_t>(shape[i]);
    put<uint32_t>(ggmlType);
    put<uint64_t>(offset);
  }
  std::string body;
  uint64_t numKV = 0;

  template <typename T> void put(T v) {
    body.append(reinterpret_cast<const char *>(&v), sizeof(T));
  }
  void str(StringRef s) {
    put<uint64_t>(s.size());
    body.append(s.data(), s.size());
  }

private:
  void value(GGUFValueType type, const json::Value &v, GGUFValueType elem) {
    switch (type) {
    case U8: put<uint8_t>(*v.getAsInteger()); break;
    case I8: put<int8_t>(*v.getAsInteger()); break;
    case U16: put<uint16_t>(*v.getAsInteger()); break;
    case I16: put<int16_t>(*v.getAsInteger()); break;
    case U32: put<uint32_t>(*v.getAsInteger()); break;
    case I32: put<int32_t>(*v.getAsInteger()); break;
    case U64: put<uint64_t>(*v.getAsInteger()); break;
    case I64: put<int64_t>(*v.getAsInteger()); break;
    case F32: put<float>(*v.getAsNumber()); break;
    case F64: put<double>(*v.getAsNumber()); break;
    case BOOL: put<uint8_t>(*v.getAsBoolean() ? 1 : 0); break;
    case STRING: str(*v.getAsString()); break;
    case ARRAY: {
      const json::Array &a = *v.getAsArray();
      put<uint32_t>(elem);
      put<uint64_t>(a.size());
      for (const json::Value &e : a)
        value(elem, e, U32);
      break;
    }
    }
  }
};

/// GGUF value types of the tokenizer keys llama.cpp writes (the reader keeps
/// values as JSON, which does not say how wide an integer was).
std::pair<GGUFValueType, GGUFValueType> tokenizerKeyType(StringRef key,
                                                         const json::Value &v) {
  if (key == "tokenizer.ggml.scores")
    return {ARRAY, F32};
  if (key == "tokenizer.ggml.token_type")
    return {ARRAY, I32};
  if (v.getAsArray())
    return {ARRAY, STRING};
  if (v.getAsString())
    return {STRING, U32};
  if (v.getAsBoolean())
    return {BOOL, U32};
  if (v.getAsInteger())
    return {U32, U32};
  return {F32, U32};
}

uint32_t ggmlTypeOf(StringRef dtype) {
  if (dtype == "f32") return 0;
  if (dtype == "f16") return 1;
  if (dtype == "q4_0") return 2;
  if (dtype == "q8_0") return 8;
  fail("--dtype " + dtype + " is not supported for GGUF (f32, f16, q8_0, q4_0)");
}

/// Encodes `v` (a tensor's values) as `type`, row by row.
std::string encode(const std::vector<float> &v, uint32_t type) {
  std::string out;
  switch (type) {
  case 0:
    out.assign(reinterpret_cast<const char *>(v.data()), v.size() * 4);
    break;
  case 1: {
    out.resize(v.size() * 2);
    auto *h = reinterpret_cast<uint16_t *>(out.data());
    for (size_t i = 0; i < v.size(); ++i)
      h[i] = tt::rt::floatToHalf(v[i]);
    break;
  }
  case 8:
    out.resize(v.size() / 32 * tt::kQ8_0BlockBytes);
    tt::quantizeQ8_0(v.data(), v.size(), out.data());
    break;
  case 2:
    out.resize(v.size() / 32 * tt::kQ4_0BlockBytes);
    tt::quantizeQ4_0(v.data(), v.size(), out.data());
    break;
  }
  return out;
}

void writeGGUFFile(const json::Object &meta, const std::vector<Tensor> &tensors,
                   int64_t vocabSize, StringRef dir, StringRef dtype);
void writeAlibiGGUF(mlir::MLIRContext &ctx, StringRef cfgFile, StringRef fam,
                    StringRef modelType, StringRef dir, StringRef dtype);

void writeGGUF(mlir::MLIRContext &ctx, const json::Object &config,
               StringRef dir, StringRef dtype) {
  auto modelType = config.getString("model_type");
  if (!modelType || (*modelType != "llama" && *modelType != "mistral"))
    fail("--format gguf writes llama.cpp's 'llama' architecture; model_type '" +
         (modelType ? *modelType : StringRef("?")) +
         "' is not one it covers (llama, mistral; bloom and mpt as their "
         "own architectures); use --format hf");
  auto num = [&](StringRef k) -> json::Value {
    if (const json::Value *v = config.get(k))
      return *v;
    fail("config lacks '" + k + "'");
  };
  int64_t hidden = *num("hidden_size").getAsInteger();
  int64_t heads = *num("num_attention_heads").getAsInteger();
  json::Value kvHeads = config.get("num_key_value_heads")
                            ? *config.get("num_key_value_heads")
                            : json::Value(heads);
  int64_t headDim = hidden / heads;
  if (auto hd = config.getInteger("head_dim"))
    headDim = *hd;
  bool tied = config.getBoolean("tie_word_embeddings").value_or(false);
  double theta = config.getNumber("rope_theta").value_or(10000.0);
  json::Object meta{
      {"general.architecture", "llama"},
      {"general.name", "tt-synth"},
      {"general.alignment", 32},
      {"llama.context_length", num("max_position_embeddings")},
      {"llama.embedding_length", hidden},
      {"llama.block_count", num("num_hidden_layers")},
      {"llama.feed_forward_length", num("intermediate_size")},
      {"llama.rope.dimension_count", headDim},
      {"llama.attention.head_count", heads},
      {"llama.attention.head_count_kv", kvHeads},
      {"llama.attention.key_length", headDim},
      {"llama.attention.value_length", headDim},
      {"llama.attention.layer_norm_rms_epsilon",
       config.getNumber("rms_norm_eps").value_or(1e-5)},
      {"llama.rope.freq_base", theta},
      {"general.file_type", (int64_t)(dtype == "f32"   ? 0
                                      : dtype == "f16" ? 1
                                      : dtype == "q4_0" ? 2
                                                        : 7)},
  };
  if (auto w = config.getInteger("sliding_window"))
    meta["llama.attention.sliding_window"] = *w;
  // The GGUF family descriptor gives tensor names and shapes; vocab_size,
  // tied and torch_dtype are what the GGUF importer derives from tensors.
  json::Object asConfig = meta;
  asConfig["vocab_size"] = num("vocab_size");
  asConfig["tied"] = tied;
  asConfig["torch_dtype"] = "float32";
  std::string fam = familiesDir.empty() ? std::string(TT_DATA_DIR) + "/families"
                                        : std::string(familiesDir);
  auto module = tt::importWithFamily(ctx, "<synthetic gguf metadata>", "",
                                     asConfig, fam + "/gguf/llama.json", "synth");
  if (!module)
    fail("the synthetic GGUF metadata does not import");
  writeGGUFFile(meta, collectTensors(*module),
                *num("vocab_size").getAsInteger(), dir, dtype);
}

/// Writes a GGUF file of metadata `meta` and `tensors` (matrices in `dtype`,
/// vectors f32), with --vocab-from's tokenizer or a synthetic one.
void writeGGUFFile(const json::Object &meta, const std::vector<Tensor> &tensors,
                   int64_t vocabSize, StringRef dir, StringRef dtype) {
  GGUFWriter w;
  std::vector<std::pair<std::string, json::Value>> kvs;
  for (auto &[k, v] : meta)
    kvs.push_back({k.str(), v});
  std::sort(kvs.begin(), kvs.end(),
            [](auto &a, auto &b) { return a.first < b.first; });
  for (auto &[k, v] : kvs) {
    // JSON does not keep 10000.0 apart from 10000: llama.cpp's float keys
    // are named.
    bool isFloat = StringRef(k).ends_with("freq_base") ||
                   StringRef(k).ends_with("epsilon") ||
                   StringRef(k).ends_with("max_alibi_bias");
    w.kv(k, v.getAsString() ? STRING : isFloat ? F32 : U32, v);
  }
  if (!vocabFrom.empty()) {
    auto vocab = tt::readGGUF(vocabFrom);
    if (!vocab)
      fail(llvm::toString(vocab.takeError()));
    const json::Value *tokens = vocab->lookup("tokenizer.ggml.tokens");
    int64_t n = tokens && tokens->getAsArray() ? tokens->getAsArray()->size() : 0;
    if (n != vocabSize)
      fail(llvm::formatv("{0} has {1} tokens but the config's vocab_size is {2}",
                         vocabFrom, n, vocabSize));
    for (auto &[k, v] : vocab->metadata)
      if (StringRef(k).starts_with("tokenizer.")) {
        auto [t, e] = tokenizerKeyType(k, v);
        w.kv(k, t, v, e);
      }
  } else if (int64_t n = vocabSize; n >= 3 + 256) {
    // A vocabulary of its own, so llama.cpp loads the file and text prompts
    // work: SentencePiece-style, <unk> <s> </s>, the 256 byte tokens (every
    // text encodes through byte fallback), then filler pieces.
    json::Array tokens{"<unk>", "<s>", "</s>"}, scores{0.0, 0.0, 0.0},
        types{2, 3, 3};
    for (int b = 0; b < 256; ++b) {
      tokens.push_back(llvm::formatv("<0x{0:X-2}>", b).str());
      scores.push_back(0.0);
      types.push_back(6);
    }
    for (int64_t i = tokens.size(); i < n; ++i) {
      tokens.push_back("synth" + std::to_string(i));
      scores.push_back(-(double)i);
      types.push_back(1);
    }
    w.kv("tokenizer.ggml.model", STRING, "llama");
    w.kv("tokenizer.ggml.tokens", ARRAY, std::move(tokens), STRING);
    w.kv("tokenizer.ggml.scores", ARRAY, std::move(scores), F32);
    w.kv("tokenizer.ggml.token_type", ARRAY, std::move(types), I32);
    w.kv("tokenizer.ggml.unknown_token_id", U32, 0);
    w.kv("tokenizer.ggml.bos_token_id", U32, 1);
    w.kv("tokenizer.ggml.eos_token_id", U32, 2);
  }
  uint32_t matType = ggmlTypeOf(dtype);
  uint64_t offset = 0;
  std::vector<uint32_t> types;
  for (const Tensor &t : tensors) {
    uint32_t type = t.shape.size() >= 2 ? matType : 0;
    if ((type == 2 || type == 8) && t.shape.back() % 32)
      fail(t.name + ": rows of " + llvm::Twine(t.shape.back()) +
           " elements are not whole 32-element blocks");
    types.push_back(type);
    w.tensorInfo(t.name, t.shape, type, offset);
    int64_t rows = t.numElements() / t.shape.back();
    uint64_t bytes =
        type == 0 ? t.numElements() * 4
        : type == 1 ? t.numElements() * 2
        : rows * (t.shape.back() / 32) *
              (type == 8 ? tt::kQ8_0BlockBytes : tt::kQ4_0BlockBytes);
    offset += (bytes + 31) / 32 * 32;
  }
  writeFileOrFail(dir, [&](llvm::raw_fd_ostream &os) {
    os << "GGUF";
    uint32_t version = 3;
    uint64_t numTensors = tensors.size();
    os.write(reinterpret_cast<const char *>(&version), 4);
    os.write(reinterpret_cast<const char *>(&numTensors), 8);
    os.write(reinterpret_cast<const char *>(&w.numKV), 8);
    os << w.body;
    uint64_t pos = 4 + 4 + 8 + 8 + w.body.size();
    os.write_zeros((32 - pos % 32) % 32);
    for (size_t i = 0; i < tensors.size(); ++i) {
      std::string data = encode(values(tensors[i]), types[i]);
      os << data;
      os.write_zeros((32 - data.size() % 32) % 32);
    }
  });
}

//===----------------------------------------------------------------------===//
// GGUF of the ALiBi families (bloom, mpt), converted from the HF model
//===----------------------------------------------------------------------===//

/// The GGUF name of HF tensor `name` as llama.cpp's converter
/// (convert_hf_to_gguf.py, BloomModel / MPTModel) maps it; empty if none.
std::string ggufName(StringRef modelType, StringRef name) {
  static const std::pair<const char *, const char *> bloom[] = {
      {"word_embeddings.weight", "token_embd.weight"},
      {"word_embeddings_layernorm.", "token_embd_norm."},
      {"input_layernorm.", "attn_norm."},
      {"self_attention.query_key_value.", "attn_qkv."},
      {"self_attention.dense.", "attn_output."},
      {"post_attention_layernorm.", "ffn_norm."},
      {"mlp.dense_h_to_4h.", "ffn_up."},
      {"mlp.dense_4h_to_h.", "ffn_down."},
      {"ln_f.", "output_norm."},
      {"lm_head.weight", "output.weight"}};
  static const std::pair<const char *, const char *> mpt[] = {
      {"wte.weight", "token_embd.weight"},
      {"norm_1.", "attn_norm."},
      {"attn.Wqkv.", "attn_qkv."},
      {"attn.out_proj.", "attn_output."},
      {"norm_2.", "ffn_norm."},
      {"ffn.up_proj.", "ffn_up."},
      {"ffn.down_proj.", "ffn_down."},
      {"norm_f.", "output_norm."},
      {"lm_head.weight", "output.weight"}};
  name.consume_front("transformer.");
  std::string prefix;
  // Layer tensors: h.N. (BLOOM) or blocks.N. (MPT) become blk.N.
  for (StringRef layers : {"h.", "blocks."})
    if (name.starts_with(layers)) {
      auto [n, rest] = name.drop_front(layers.size()).split('.');
      unsigned idx;
      if (!n.getAsInteger(10, idx)) {
        prefix = "blk." + n.str() + ".";
        name = rest;
      }
    }
  llvm::ArrayRef<std::pair<const char *, const char *>> table;
  if (modelType == "bloom")
    table = bloom;
  else
    table = mpt;
  for (auto [hf, gg] : table)
    if (name.starts_with(hf))
      return prefix + gg + name.drop_front(StringRef(hf).size()).str();
  return "";
}

/// A GGUF 'bloom' or 'mpt' file holding the same weights as the HF model of
/// `cfgFile` (so the two formats can be checked against each other): the
/// tensors renamed as llama.cpp's converter renames them, BLOOM's
/// per-head interleaved query_key_value regrouped into [Q; K; V] (and its
/// tied head written as output.weight, as the converter does).
void writeAlibiGGUF(mlir::MLIRContext &ctx, StringRef cfgFile, StringRef fam,
                    StringRef modelType, StringRef dir, StringRef dtype) {
  auto module = tt::importHFConfig(ctx, cfgFile, fam);
  if (!module)
    fail("the HF config does not import");
  // The shape as the import understood it.
  int64_t hidden = 0, heads = 0, kvHeads = 0, layers = 0, ffn = 0, vocab = 0;
  double eps = 1e-5, maxBias = 8.0;
  bool tied = true;
  module->walk([&](mlir::Operation *op) {
    if (auto a = llvm::dyn_cast<tt::AttentionOp>(op)) {
      heads = a.getNumHeads();
      kvHeads = a.getNumKvHeads();
      hidden = a.getHiddenSize();
      if (auto mb = op->getAttrOfType<mlir::FloatAttr>("tt.alibi_max_bias"))
        maxBias = mb.getValueAsDouble();
      // llama.cpp scales scores by 1/sqrt(head_dim); GGUF has no key for
      // MPT's softmax_scale.
      if (a.getScale())
        fail(llvm::formatv("the attention scale {0} (MPT's softmax_scale) "
                           "has no GGUF key: llama.cpp uses 1/sqrt(head_dim)",
                           a.getScale()->convertToDouble()));
    } else if (auto n = llvm::dyn_cast<tt::NormOp>(op)) {
      eps = n.getEps().convertToDouble();
    } else if (llvm::isa<tt::LayerOp>(op)) {
      ++layers;
    } else if (auto m = llvm::dyn_cast<tt::MLPOp>(op)) {
      ffn = llvm::cast<mlir::RankedTensorType>(m.getUp().getType()).getDimSize(0);
    } else if (auto h = llvm::dyn_cast<tt::LMHeadOp>(op)) {
      auto w = h.getWeight().getDefiningOp<tt::WeightOp>();
      vocab = llvm::cast<mlir::RankedTensorType>(h.getWeight().getType())
                  .getDimSize(0);
      tied = w && !w.getName().contains("lm_head");
    }
  });
  int64_t maxPos = 2048;
  module->walk([&](mlir::func::FuncOp f) {
    if (auto a = f->getAttrOfType<mlir::IntegerAttr>("tt.max_position_embeddings"))
      maxPos = a.getInt();
  });
  std::string a = modelType.str();
  json::Object meta{
      {"general.architecture", a},
      {"general.name", "tt-synth"},
      {"general.alignment", 32},
      {a + ".context_length", maxPos},
      {a + ".embedding_length", hidden},
      {a + ".block_count", layers},
      {a + ".feed_forward_length", ffn},
      {a + ".attention.head_count", heads},
      {a + ".attention.head_count_kv", kvHeads},
      {a + ".attention.layer_norm_epsilon", eps},
      {"general.file_type", (int64_t)(dtype == "f32"    ? 0
                                      : dtype == "f16"  ? 1
                                      : dtype == "q4_0" ? 2
                                                        : 7)},
  };
  // llama.cpp fixes BLOOM's maximum bias at 8; MPT's converter writes it.
  if (modelType == "mpt")
    meta[a + ".attention.max_alibi_bias"] = maxBias;
  else if (maxBias != 8.0)
    fail("BLOOM's ALiBi maximum bias is 8 in llama.cpp");

  std::vector<Tensor> tensors = collectTensors(*module);
  int64_t hd = heads ? hidden / heads : 0;
  std::vector<Tensor> out;
  for (Tensor &t : tensors) {
    std::string n = ggufName(modelType, t.name);
    if (n.empty())
      fail("no GGUF name for tensor '" + t.name + "'");
    Tensor g{n, t.shape, t.isNorm, values(t)};
    // BLOOM: rows [heads][3][head_dim] -> [3][heads][head_dim].
    if (modelType == "bloom" && StringRef(n).contains("attn_qkv")) {
      int64_t cols = t.shape.size() == 2 ? t.shape[1] : 1;
      if (t.shape[0] != 3 * heads * hd)
        fail(t.name + ": fused QKV rows are not 3 x heads x head_dim");
      std::vector<float> regrouped(g.data.size());
      for (int64_t h = 0; h < heads; ++h)
        for (int64_t k = 0; k < 3; ++k)
          for (int64_t i = 0; i < hd; ++i)
            std::copy_n(&g.data[((h * 3 + k) * hd + i) * cols], cols,
                        &regrouped[((k * heads + h) * hd + i) * cols]);
      g.data = std::move(regrouped);
    }
    out.push_back(std::move(g));
  }
  if (modelType == "bloom" && tied)
    for (const Tensor &t : out)
      if (t.name == "token_embd.weight") {
        Tensor o = t;
        o.name = "output.weight";
        out.push_back(std::move(o));
        break;
      }
  writeGGUFFile(meta, out, vocab, dir, dtype);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "tt synthetic model writer\n");
  llvm::SmallString<256> cfgFile(configPath);
  if (llvm::sys::fs::is_directory(cfgFile))
    llvm::sys::path::append(cfgFile, "config.json");
  auto buf = llvm::MemoryBuffer::getFile(cfgFile);
  if (!buf)
    fail("cannot read " + cfgFile + ": " + buf.getError().message());
  auto parsed = json::parse((*buf)->getBuffer());
  if (!parsed)
    fail(cfgFile + ": " + llvm::toString(parsed.takeError()));
  if (!parsed->getAsObject())
    fail(cfgFile + ": not a JSON object");
  json::Object config = *parsed->getAsObject();

  mlir::MLIRContext ctx;
  ctx.getOrLoadDialect<tt::TTDialect>();
  ctx.getOrLoadDialect<mlir::func::FuncDialect>();
  std::string fam = familiesDir.empty() ? std::string(TT_DATA_DIR) + "/families"
                                        : std::string(familiesDir);
  if (format == "hf") {
    if (dtypeName != "f32" && dtypeName != "f16" && dtypeName != "bf16")
      fail("--format hf writes f32, f16 or bf16, not " + dtypeName);
    auto module = tt::importHFConfig(ctx, cfgFile, fam);
    if (!module)
      return 1;
    writeHF(collectTensors(*module), config, outPath, dtypeName);
  } else if (format == "gguf") {
    auto modelType = config.getString("model_type");
    if (modelType && (*modelType == "bloom" || *modelType == "mpt"))
      writeAlibiGGUF(ctx, cfgFile, fam, *modelType, outPath, dtypeName);
    else
      writeGGUF(ctx, config, outPath, dtypeName);
  } else {
    fail("--format must be hf or gguf, not " + format);
  }
  return 0;
}
