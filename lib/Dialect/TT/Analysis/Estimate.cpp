//===- Estimate.cpp - Roofline estimate of a model on a device ------------===//
//
// See Estimate.h and docs/Estimation.md. Everything about a layer comes from
// CostOpInterface (FLOPs, bytes, KV cache), ShardingOpInterface (how each
// weight splits, whether the output is all-reduced) and
// QuantizableOpInterface (which weights a smaller dtype would apply to); the
// core ops are named only for facts those interfaces do not carry (KV-head
// count, sliding window, MoE top-k, widest intermediate).
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/Analysis/Estimate.h"
#include "tt/Dialect/TT/Analysis/ModelSummary.h"
#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

using namespace tt;

//===----------------------------------------------------------------------===//
// Profiles
//===----------------------------------------------------------------------===//

static const char *const kPeakKeys[] = {"f32",  "tf32", "f16",  "bf16", "fp8",
                                        "int8", "int4", "bfp8", "bfp4"};
static const char *const kWeightClasses[] = {"f32", "f16",  "bf16",
                                             "fp8", "int8", "int4"};

double HardwareProfile::peakFor(StringRef cls, std::string *usedKey) const {
  static const llvm::StringMap<std::vector<const char *>> chains = {
      {"f32", {"f32", "tf32", "bf16", "f16"}},
      {"tf32", {"tf32", "f32", "bf16", "f16"}},
      {"bf16", {"bf16", "f16", "tf32", "f32"}},
      {"f16", {"f16", "bf16", "tf32", "f32"}},
      {"fp8", {"fp8", "int8", "bfp8", "bf16", "f16", "f32"}},
      {"int8", {"int8", "bfp8", "fp8", "bf16", "f16", "f32"}},
      {"int4", {"int4", "bfp4", "int8", "bfp8", "fp8", "bf16", "f16", "f32"}},
  };
  static const std::vector<const char *> fallback = {"bf16", "f16", "f32",
                                                     "tf32"};
  auto it = chains.find(cls);
  const std::vector<const char *> &chain =
      it == chains.end() ? fallback : it->second;
  for (const char *key : chain) {
    auto found = peakFlops.find(key);
    if (found != peakFlops.end()) {
      if (usedKey)
        *usedKey = key;
      return found->second;
    }
  }
  // Anything listed beats nothing.
  if (!peakFlops.empty()) {
    if (usedKey)
      *usedKey = peakFlops.begin()->first;
    return peakFlops.begin()->second;
  }
  return 0;
}

llvm::json::Value HardwareProfile::toJSON() const {
  llvm::json::Object peaks;
  for (const auto &[key, value] : peakFlops)
    peaks[key] = value;
  return llvm::json::Object{
      {"name", name},
      {"description", description},
      {"peak_flops", std::move(peaks)},
      {"memory_bandwidth_bytes_per_s", memoryBandwidth},
      {"memory_capacity_bytes", memoryCapacity},
      {"interconnect", interconnectName},
      {"interconnect_bytes_per_s", interconnectBandwidth},
      {"unsure", llvm::json::Array(unsure)},
  };
}

namespace {
/// Builds the profile-level error messages: `file: message`.
struct ProfileReader {
  StringRef file;
  llvm::Error error(const Twine &message) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   (file + ": " + message).str());
  }
  llvm::Error missing(StringRef key) const {
    return error("missing key '" + key + "'");
  }
  llvm::Expected<double> positive(const llvm::json::Object &obj, StringRef key,
                                  StringRef path) const {
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return missing(path);
    std::optional<double> d = v->getAsNumber();
    if (!d || !(*d > 0) || !std::isfinite(*d))
      return error("'" + path + "' must be a positive number");
    return *d;
  }
  llvm::Expected<std::string> string(const llvm::json::Object &obj,
                                     StringRef key, StringRef path) const {
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return missing(path);
    std::optional<StringRef> s = v->getAsString();
    if (!s || s->empty())
      return error("'" + path + "' must be a non-empty string");
    return s->str();
  }
  llvm::Expected<std::vector<std::string>>
  strings(const llvm::json::Object &obj, StringRef key) const {
    std::vector<std::string> out;
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return out;
    if (std::optional<StringRef> s = v->getAsString()) {
      out.push_back(s->str());
      return out;
    }
    const llvm::json::Array *arr = v->getAsArray();
    if (!arr)
      return error("'" + key + "' must be a string or an array of strings");
    for (size_t i = 0; i < arr->size(); ++i) {
      std::optional<StringRef> s = (*arr)[i].getAsString();
      if (!s)
        return error(llvm::formatv("'{0}[{1}]' must be a string", key, i));
      out.push_back(s->str());
    }
    return out;
  }
};
} // namespace

llvm::Expected<HardwareProfile> tt::parseHardwareProfile(StringRef text,
                                                         StringRef fileName) {
  ProfileReader r{fileName};
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    std::string message;
    llvm::handleAllErrors(
        parsed.takeError(), [&](const llvm::ErrorInfoBase &e) {
          std::string log;
          llvm::raw_string_ostream os(log);
          e.log(os);
          // llvm::json::ParseError logs "[line:col, byte=N]: message".
          unsigned line = 0, col = 0, byte = 0;
          int consumed = 0;
          if (std::sscanf(log.c_str(), "[%u:%u, byte=%u]: %n", &line, &col,
                          &byte, &consumed) == 3 &&
              consumed > 0)
            message = llvm::formatv("{0}:{1}:{2}: invalid JSON: {3}", fileName,
                                    line, col, log.substr(consumed))
                          .str();
          else
            message = (fileName + ": invalid JSON: " + log).str();
        });
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  }
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root)
    return r.error("a hardware profile must be a JSON object");

  static const char *const known[] = {"name",
                                      "description",
                                      "peak_tflops",
                                      "memory_bandwidth_gb_per_s",
                                      "memory_capacity_gb",
                                      "interconnect",
                                      "max_devices",
                                      "capacity_shared_by_devices",
                                      "weight_dtypes",
                                      "unsure",
                                      "source"};
  for (const auto &kv : *root)
    if (!llvm::is_contained(known, StringRef(kv.first)))
      return r.error("unknown key '" + StringRef(kv.first) +
                     "' (known: name, description, peak_tflops, "
                     "memory_bandwidth_gb_per_s, memory_capacity_gb, "
                     "interconnect, max_devices, capacity_shared_by_devices, "
                     "weight_dtypes, unsure, source)");

  HardwareProfile p;
  auto name = r.string(*root, "name", "name");
  if (!name)
    return name.takeError();
  p.name = *name;
  if (const llvm::json::Value *d = root->get("description"))
    p.description = d->getAsString().value_or("").str();

  const llvm::json::Value *peaks = root->get("peak_tflops");
  if (!peaks)
    return r.missing("peak_tflops");
  const llvm::json::Object *peakObj = peaks->getAsObject();
  if (!peakObj || peakObj->empty())
    return r.error("'peak_tflops' must be a non-empty object of dtype -> "
                   "dense TFLOPS");
  for (const auto &kv : *peakObj) {
    StringRef key = kv.first;
    if (!llvm::is_contained(kPeakKeys, key))
      return r.error("'peak_tflops." + key +
                     "': unknown dtype (known: f32, tf32, f16, bf16, fp8, "
                     "int8, int4, bfp8, bfp4)");
    auto v = r.positive(*peakObj, key, ("peak_tflops." + key).str());
    if (!v)
      return v.takeError();
    p.peakFlops[key.str()] = *v * 1e12;
  }

  auto bw = r.positive(*root, "memory_bandwidth_gb_per_s",
                       "memory_bandwidth_gb_per_s");
  if (!bw)
    return bw.takeError();
  p.memoryBandwidth = *bw * 1e9;
  auto cap = r.positive(*root, "memory_capacity_gb", "memory_capacity_gb");
  if (!cap)
    return cap.takeError();
  p.memoryCapacity = *cap * 1e9;

  const llvm::json::Value *ic = root->get("interconnect");
  if (!ic)
    return r.missing("interconnect");
  const llvm::json::Object *icObj = ic->getAsObject();
  if (!icObj)
    return r.error("'interconnect' must be an object with 'name' and "
                   "'gb_per_s_per_direction'");
  auto icName = r.string(*icObj, "name", "interconnect.name");
  if (!icName)
    return icName.takeError();
  p.interconnectName = *icName;
  auto icBw = r.positive(*icObj, "gb_per_s_per_direction",
                         "interconnect.gb_per_s_per_direction");
  if (!icBw)
    return icBw.takeError();
  p.interconnectBandwidth = *icBw * 1e9;

  if (const llvm::json::Value *m = root->get("max_devices")) {
    std::optional<int64_t> n = m->getAsInteger();
    if (!n || *n < 1)
      return r.error("'max_devices' must be a positive integer");
    p.maxDevices = *n;
  }
  if (const llvm::json::Value *s = root->get("capacity_shared_by_devices")) {
    std::optional<bool> b = s->getAsBoolean();
    if (!b)
      return r.error("'capacity_shared_by_devices' must be true or false");
    p.capacitySharedByDevices = *b;
  }
  auto dtypes = r.strings(*root, "weight_dtypes");
  if (!dtypes)
    return dtypes.takeError();
  for (const std::string &d : *dtypes)
    if (!llvm::is_contained(kWeightClasses, StringRef(d)))
      return r.error("'weight_dtypes': unknown dtype '" + d +
                     "' (known: f32, f16, bf16, fp8, int8, int4)");
  p.weightDtypes = std::move(*dtypes);
  auto unsure = r.strings(*root, "unsure");
  if (!unsure)
    return unsure.takeError();
  p.unsure = std::move(*unsure);
  if (!root->get("source"))
    return r.missing("source");
  auto sources = r.strings(*root, "source");
  if (!sources)
    return sources.takeError();
  if (sources->empty())
    return r.error("'source' must cite at least one source");
  p.sources = std::move(*sources);
  p.path = fileName.str();
  return p;
}

std::string tt::getDefaultHardwareDir() {
  if (std::optional<std::string> env =
          llvm::sys::Process::GetEnv("TT_DATA_DIR")) {
    llvm::SmallString<256> p(*env);
    llvm::sys::path::append(p, "hardware");
    return std::string(p);
  }
#ifdef TT_DATA_DIR
  {
    llvm::SmallString<256> p(TT_DATA_DIR);
    llvm::sys::path::append(p, "hardware");
    if (llvm::sys::fs::is_directory(p))
      return std::string(p);
  }
#endif
  // <build>/bin/tool -> <build>/../data/hardware
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  llvm::SmallString<256> p(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(p, "..", "..", "data", "hardware");
  return std::string(p);
}

std::vector<std::string> tt::listHardwareProfiles(StringRef dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".json")
      names.push_back(llvm::sys::path::stem(it->path()).str());
  llvm::sort(names);
  return names;
}

llvm::Expected<HardwareProfile> tt::loadHardwareProfile(StringRef nameOrPath,
                                                        StringRef dir) {
  std::string path;
  if (nameOrPath.ends_with(".json") || nameOrPath.contains('/') ||
      llvm::sys::fs::is_regular_file(nameOrPath)) {
    path = nameOrPath.str();
  } else {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, nameOrPath + ".json");
    path = std::string(p);
    if (!llvm::sys::fs::exists(path)) {
      std::vector<std::string> known = listHardwareProfiles(dir);
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "unknown hardware profile '" + nameOrPath + "' (known in " + dir +
              ": " +
              (known.empty() ? std::string("none") : llvm::join(known, ", ")) +
              "; or give a path to a .json file)");
    }
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path);
  if (!buf)
    return llvm::createStringError(buf.getError(),
                                   "cannot read hardware profile '" + path +
                                       "': " + buf.getError().message());
  return parseHardwareProfile((*buf)->getBuffer(), path);
}

std::string tt::getDtypeClass(Type t) {
  if (isa<QuantType>(t))
    return getStorageBitsPerElement(t) < 5.0 ? "int4" : "int8";
  if (t.isF32() || t.isF64())
    return "f32";
  if (t.isF16())
    return "f16";
  if (t.isBF16())
    return "bf16";
  if (t.isTF32())
    return "tf32";
  if (auto f = dyn_cast<FloatType>(t))
    return f.getWidth() <= 8 ? "fp8" : "f32";
  if (auto i = dyn_cast<IntegerType>(t)) {
    if (i.getWidth() <= 4)
      return "int4";
    if (i.getWidth() <= 8)
      return "int8";
  }
  return "";
}

double tt::getDtypeClassBits(StringRef cls) {
  return llvm::StringSwitch<double>(cls)
      .Case("f32", 32)
      .Case("tf32", 32)
      .Cases({"f16", "bf16"}, 16)
      .Case("fp8", 8)
      .Case("int8", 8.5)
      .Case("int4", 4.5)
      .Default(0);
}

/// Nominal width of a class, for ordering the fit search.
static double nominalBits(StringRef cls) {
  return llvm::StringSwitch<double>(cls)
      .Cases({"f32", "tf32"}, 32)
      .Cases({"f16", "bf16"}, 16)
      .Cases({"fp8", "int8"}, 8)
      .Case("int4", 4)
      .Default(0);
}

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

double tt::rooflineSeconds(double flops, double bytes, double peakFlops,
                           double bandwidth) {
  double compute = peakFlops > 0 ? flops / peakFlops : 0;
  double memory = bandwidth > 0 ? bytes / bandwidth : 0;
  return std::max(compute, memory);
}

double tt::ringAllReduceBytes(double messageBytes, int64_t devices) {
  if (devices <= 1)
    return 0;
  return 2.0 * (devices - 1) / devices * messageBytes;
}

double tt::allToAllBytes(double tokenBytes, int64_t topK, int64_t devices) {
  if (devices <= 1)
    return 0;
  return 2.0 * topK * tokenBytes * (devices - 1) / devices;
}

std::vector<int64_t> tt::balanceStages(ArrayRef<double> loads,
                                       double firstExtra, double lastExtra,
                                       int64_t stages) {
  int64_t n = loads.size();
  assert(stages >= 1 && stages <= std::max<int64_t>(n, 1));
  if (stages == 1)
    return {n};
  std::vector<double> prefix(n + 1, 0);
  for (int64_t i = 0; i < n; ++i)
    prefix[i + 1] = prefix[i] + loads[i];
  auto cost = [&](int64_t s, int64_t from, int64_t to) {
    double c = prefix[to] - prefix[from];
    if (s == 0)
      c += firstExtra;
    if (s == stages - 1)
      c += lastExtra;
    return c;
  };
  const double inf = std::numeric_limits<double>::infinity();
  // best[s][i]: the smallest possible largest load when stages s.. cover
  // layers i..n-1, each stage holding at least one layer.
  std::vector<std::vector<double>> best(stages + 1,
                                        std::vector<double>(n + 1, inf));
  std::vector<std::vector<int64_t>> cut(stages + 1,
                                        std::vector<int64_t>(n + 1, -1));
  best[stages][n] = 0;
  for (int64_t s = stages - 1; s >= 0; --s) {
    for (int64_t i = n - (stages - s); i >= s; --i) {
      int64_t maxEnd = n - (stages - s - 1);
      // Prefer the shortest stage that reaches the optimum: earlier stages
      // small, so ties go to later stages.
      for (int64_t j = i + 1; j <= maxEnd; ++j) {
        double v = std::max(cost(s, i, j), best[s + 1][j]);
        if (v < best[s][i] * (1 - 1e-12)) {
          best[s][i] = v;
          cut[s][i] = j;
        }
      }
    }
  }
  std::vector<int64_t> counts;
  int64_t i = 0;
  for (int64_t s = 0; s < stages; ++s) {
    int64_t j = cut[s][i];
    counts.push_back(j - i);
    i = j;
  }
  return counts;
}

//===----------------------------------------------------------------------===//
// Walking the model
//===----------------------------------------------------------------------===//

namespace {
struct WeightRec {
  std::string name;
  double bytes = 0; // whole tensor (in the estimated dtype)
  int64_t elements = 0;
  double deviceBytes = 0; // on one tensor-parallel rank
  int64_t deviceElements = 0;
  std::string cls;
  /// Pieces the stored tensor is cut into (`shard_parts`) in a split module.
  int64_t parts = 1;
};

struct OpRec {
  std::string kind, cls, computeClass;
  double prefillFlops = 0, decodeFlops = 0; // per device
  double prefillBytes = 0, decodeBytes = 0; // per device
};

struct Segment {
  int64_t layerIndex = -1; // -1: before the first layer, -2: after the last
  std::vector<WeightRec> weights;
  std::vector<OpRec> ops;
  double kvBytes = 0; // per device, at context x batch
  double load() const {
    double w = 0;
    llvm::StringSet<> seen;
    for (const WeightRec &r : weights)
      if (seen.insert(r.name).second)
        w += r.deviceBytes;
    return w + kvBytes;
  }
};

struct Walker {
  const EstimateOptions &opt;
  int64_t tp;
  unsigned kvBits;
  Estimate &est;
  /// The module is already one tensor-parallel device's (tt-tensor-parallel
  /// ran): weights and head counts are per device; `tp` is the group size
  /// for the collectives only.
  bool preSplit = false;
  /// What the module's sizes still have to be divided by.
  int64_t shapeTp() const { return preSplit ? 1 : tp; }
  // Activation working set, elements per token beyond 2 x hidden.
  double widest = 0;
  int64_t hidden = 0;
  int64_t vocabPerDevice = 0;
  int64_t scoreHeads = 0; // query heads per device (no flash attention)
  bool vocabPadded = false;

  /// How many ways a weight of this op splits across the tensor-parallel
  /// group; 1 for a replicated one. `rowsPerDevice` handles a vocabulary
  /// that tp does not divide (padded to ceil(vocab / tp) rows).
  double deviceFraction(Operation *op, unsigned index, Type type) {
    auto sharding = dyn_cast<ShardingOpInterface>(op);
    if (!sharding || shapeTp() == 1)
      return 1.0;
    ShardKind kind = sharding.getWeightSharding(index);
    if (kind == ShardKind::Replicated || kind == ShardKind::Partial)
      return 1.0;
    if (auto attn = dyn_cast<AttentionOp>(op)) {
      unsigned i = index;
      auto in = [&](MutableOperandRange r) {
        OperandRange range = r;
        return !range.empty() && range.getBeginOperandIndex() <= i &&
               i < range.getBeginOperandIndex() + range.size();
      };
      if (in(attn.getWkMutable()) || in(attn.getWvMutable()) ||
          in(attn.getBkMutable()) || in(attn.getBvMutable())) {
        // KV heads split when tp divides them; with more devices than KV
        // heads each device keeps one head (replicated tp / kv times).
        int64_t kv = attn.getNumKvHeads();
        return 1.0 / std::min<int64_t>(tp, kv);
      }
    }
    if (kind == ShardKind::Vocab) {
      int64_t rows = cast<ShapedType>(type).getDimSize(0);
      int64_t per = (rows + tp - 1) / tp;
      if (rows % tp)
        vocabPadded = true;
      return static_cast<double>(per) / rows;
    }
    return 1.0 / tp;
  }

  Segment walkSegment(ArrayRef<Operation *> ops, int64_t layerIndex) {
    Segment seg;
    seg.layerIndex = layerIndex;
    for (Operation *top : ops)
      top->walk([&](Operation *op) { visit(op, seg); });
    return seg;
  }

  void visit(Operation *op, Segment &seg) {
    auto cost = dyn_cast<CostOpInterface>(op);
    if (!cost)
      return;
    SmallVector<unsigned> quantizable;
    if (auto q = dyn_cast<QuantizableOpInterface>(op))
      quantizable = q.getQuantizableWeightOperands();

    OpRec rec;
    rec.kind = cost.getLayerKind();
    rec.cls = cost.getLayerClass();
    double origWeightBytes = 0, deviceWeightBytes = 0, largest = -1;
    bool sharded = false, hasExpert = false, hasTensorSplit = false;
    int64_t expertDim = 0;
    auto sharding = dyn_cast<ShardingOpInterface>(op);
    for (OpOperand &operand : op->getOpOperands()) {
      auto w = operand.get().getDefiningOp<WeightOp>();
      if (!w)
        continue;
      unsigned idx = operand.getOperandNumber();
      auto type = cast<ShapedType>(w.getType());
      WeightRec wr;
      wr.name = w.getName().str();
      wr.elements = type.getNumElements();
      if (auto parts = w->getAttrOfType<IntegerAttr>("shard_parts"))
        wr.parts = parts.getInt();
      wr.cls = getDtypeClass(type.getElementType());
      wr.bytes = getStorageBytes(type);
      origWeightBytes += wr.bytes;
      if (!opt.weightDtype.empty() && llvm::is_contained(quantizable, idx)) {
        wr.bytes = wr.elements * getDtypeClassBits(opt.weightDtype) / 8.0;
        wr.cls = opt.weightDtype;
      }
      double frac = deviceFraction(op, idx, type);
      wr.deviceBytes = wr.bytes * frac;
      wr.deviceElements =
          static_cast<int64_t>(std::llround(wr.elements * frac));
      deviceWeightBytes += wr.deviceBytes;
      if (frac < 1.0)
        sharded = true;
      if (sharding) {
        ShardKind kind = sharding.getWeightSharding(idx);
        if (kind == ShardKind::Expert) {
          hasExpert = true;
          expertDim = type.getDimSize(0);
        } else if (kind == ShardKind::Column || kind == ShardKind::Row) {
          hasTensorSplit = true;
        }
      }
      if (wr.deviceBytes > largest) {
        largest = wr.deviceBytes;
        rec.computeClass = wr.cls;
      }
      seg.weights.push_back(std::move(wr));
    }

    int64_t S = opt.seqLen, B = opt.batch, C = opt.context;
    double flopDiv = sharded ? static_cast<double>(tp) : 1.0;
    CostPoint prefill = CostPoint::prefill(S, kvBits);
    CostPoint decode = CostPoint::decode(C, kvBits);
    rec.prefillFlops = cost.getFlopsPerToken(prefill) * B * S / flopDiv;
    rec.decodeFlops = cost.getFlopsPerToken(decode) * B / flopDiv;

    int64_t kvPerToken = cost.getKVCacheBytesPerToken(kvBits);
    double kvDiv = 1.0;
    if (auto attn = dyn_cast<AttentionOp>(op))
      kvDiv = std::min<int64_t>(shapeTp(), attn.getNumKvHeads());
    if (kvPerToken > 0) {
      // Per sequence, beyond the weights: KV-cache traffic.
      double w = tt::detail::activeWeightBytes(op);
      double dynPrefill = cost.getBytesPerToken(prefill) * S - w;
      double dynDecode = cost.getBytesPerToken(decode) - w;
      rec.prefillBytes = deviceWeightBytes + B * dynPrefill / kvDiv;
      rec.decodeBytes = deviceWeightBytes + B * dynDecode / kvDiv;
      double positions = static_cast<double>(C);
      if (auto attn = dyn_cast<AttentionOp>(op))
        if (auto window = attn.getSlidingWindow())
          positions = std::min<double>(positions, *window);
      seg.kvBytes += static_cast<double>(kvPerToken) * positions * B / kvDiv;
    } else {
      // No KV cache: the bytes depend only on how many tokens share one
      // read of the weights (B x S in prefill, B in a decode step).
      double tp_ = static_cast<double>(B * S), td = static_cast<double>(B);
      double bp =
          cost.getBytesPerToken(CostPoint::prefill(B * S, kvBits)) * tp_;
      double bd = cost.getBytesPerToken(CostPoint::prefill(B, kvBits)) * td;
      double scale = origWeightBytes > 0 ? deviceWeightBytes / origWeightBytes
                                         : 1.0 / flopDiv;
      rec.prefillBytes = bp * scale;
      rec.decodeBytes = bd * scale;
    }
    seg.ops.push_back(rec);

    // Communication, per token.
    Type resultType = op->getNumResults() ? op->getResult(0).getType() : Type();
    auto shaped = dyn_cast_or_null<RankedTensorType>(resultType);
    int64_t width = shaped && shaped.getRank() ? shaped.getShape().back() : 0;
    if (shaped)
      est.activationBytes = std::max<unsigned>(
          1, static_cast<unsigned>(
                 getStorageBitsPerElement(shaped.getElementType()) / 8));
    double tokenBytes = static_cast<double>(width) * est.activationBytes;
    if (sharding && tp > 1) {
      // A split module combines experts with the all-reduce its IR holds.
      bool ep = !preSplit && hasExpert && expertDim > 0 && expertDim % tp == 0;
      if (ep) {
        int64_t topK = 1;
        if (auto moe = dyn_cast<MoEOp>(op))
          topK = moe.getTopK();
        est.epBytesPerToken += allToAllBytes(tokenBytes, topK, tp);
      }
      if (sharding.needsAllReduce() && (!ep || hasTensorSplit)) {
        est.tpBytesPerToken += ringAllReduceBytes(tokenBytes, tp);
        ++est.allReducesPerToken;
      }
    }

    // Activation working set.
    if (auto emb = dyn_cast<EmbeddingOp>(op)) {
      hidden = std::max(hidden, emb.getHiddenSize());
    } else if (auto attn = dyn_cast<AttentionOp>(op)) {
      hidden = std::max(hidden, attn.getHiddenSize());
      int64_t hd = attn.getHeadDimOrDefault();
      double qkv =
          static_cast<double>(attn.getNumHeads() + 2 * attn.getNumKvHeads()) *
          hd / shapeTp();
      widest = std::max(widest, qkv);
      scoreHeads =
          std::max<int64_t>(scoreHeads, attn.getNumHeads() / shapeTp());
    } else if (auto mlp = dyn_cast<MLPOp>(op)) {
      widest = std::max(widest, (mlp.isGated() ? 2.0 : 1.0) *
                                    mlp.getIntermediateSize() / shapeTp());
    } else if (auto moe = dyn_cast<MoEOp>(op)) {
      widest = std::max(widest, moe.getTopK() * (moe.getGate() ? 2.0 : 1.0) *
                                    moe.getExpertIntermediateSize() /
                                    shapeTp());
    } else if (auto head = dyn_cast<LMHeadOp>(op)) {
      int64_t vocab =
          cast<ShapedType>(head.getWeight().getType()).getDimSize(0);
      vocabPerDevice =
          std::max(vocabPerDevice, (vocab + shapeTp() - 1) / shapeTp());
    } else if (width > 0) {
      widest = std::max(widest, static_cast<double>(width));
    }
  }
};
} // namespace

static llvm::json::Value number(double value) {
  if (std::isfinite(value) && std::fabs(value) < 9e15 &&
      value == static_cast<double>(static_cast<int64_t>(value)))
    return static_cast<int64_t>(value);
  return value;
}

/// The size of the parallel passes' one-dimensional grid `name`, or 0.
static int64_t parallelGridSize(ModuleOp module, StringRef name) {
  auto grid = dyn_cast_or_null<shard::GridOp>(
      SymbolTable::lookupSymbolIn(module, name));
  if (!grid || grid.getShape().size() != 1 ||
      ShapedType::isDynamic(grid.getShape()[0]))
    return 0;
  return grid.getShape()[0];
}

/// Checks tp / pp with the dialect's own `tt.hardware` verifier, on a copy
/// of the module's attribute with the sizes replaced.
static LogicalResult checkLayout(ModuleOp module, int64_t tp, int64_t pp) {
  MLIRContext *ctx = module.getContext();
  auto *dialect = ctx->getLoadedDialect<TTDialect>();
  if (!dialect)
    return failure();
  auto base =
      module->getAttrOfType<HardwareAttr>(TTDialect::getHardwareAttrName());
  HardwareAttr hw =
      base ? HardwareAttr::get(
                 ctx, base.getDevice(), tp, pp, base.getWeightDtype(),
                 base.getQuantizeWeights(), base.getQuantizeActivations(),
                 base.getKvCacheDtype(), base.getFlashAttention(),
                 base.getFusedKernels(), base.getActivationCheckpointing(),
                 base.getOptimizeForInference())
           : HardwareAttr::get(ctx, "cpu", tp, pp, Type(), false, false, Type(),
                               true, true, false, true);
  return dialect->verifyOperationAttribute(
      module, NamedAttribute(
                  StringAttr::get(ctx, TTDialect::getHardwareAttrName()), hw));
}

FailureOr<Estimate> tt::estimateModel(ModuleOp module,
                                      const HardwareProfile &profile,
                                      const EstimateOptions &opt) {
  auto hw =
      module->getAttrOfType<HardwareAttr>(TTDialect::getHardwareAttrName());
  int64_t tp = opt.tp ? opt.tp : (hw ? hw.getTensorParallel() : 1);
  int64_t pp = opt.pp ? opt.pp : (hw ? hw.getPipelineParallel() : 1);
  // A module the parallel passes rewrote fixes its own layout: its grids
  // give the sizes, its weights are one device's, its stages are tagged.
  int64_t tpGrid = parallelGridSize(module, TTDialect::getTensorParallelGridName());
  int64_t ppGrid = parallelGridSize(module, TTDialect::getPipelineParallelGridName());
  for (auto [given, grid, name] :
       {std::make_tuple(opt.tp, tpGrid, "tp"), std::make_tuple(opt.pp, ppGrid, "pp")})
    if (grid && given && given != grid) {
      mlir::emitError(module.getLoc())
          << "tt-report: the module is already split with " << name << "="
          << grid << " (its shard.grid); " << name << "=" << given
          << " would need the model before the parallel passes";
      return failure();
    }
  if (tpGrid)
    tp = tpGrid;
  if (ppGrid)
    pp = ppGrid;
  if (opt.batch < 1 || opt.seqLen < 1 || opt.context < 1 || tp < 1 || pp < 1) {
    mlir::emitError(module.getLoc())
        << "tt-report estimate needs batch, seq-len, context, "
           "tp and pp of at least 1, got batch="
        << opt.batch << " seq-len=" << opt.seqLen << " context=" << opt.context
        << " tp=" << tp << " pp=" << pp;
    return failure();
  }
  if (!opt.weightDtype.empty() && getDtypeClassBits(opt.weightDtype) == 0) {
    mlir::emitError(module.getLoc())
        << "tt-report: unknown weight dtype '" << opt.weightDtype
        << "' (known: f32, f16, bf16, fp8, int8, int4)";
    return failure();
  }
  if (failed(checkLayout(module, tp, pp))) {
    mlir::emitError(module.getLoc())
        << "tt-report: tp=" << tp << " pp=" << pp
        << " is not a valid layout for this model (the rules "
           "of tt.hardware above)";
    return failure();
  }
  FailureOr<ModelSummary> summary =
      summarizeModel(module, opt.seqLen, opt.context);
  if (failed(summary))
    return failure();

  Estimate est;
  est.profile = profile.name;
  est.tp = tp;
  est.pp = pp;
  est.devices = tp * pp;
  est.batch = opt.batch;
  est.seqLen = opt.seqLen;
  est.context = opt.context;
  est.weightDtype = opt.weightDtype;
  est.kvCacheDtype = summary->kvCacheDtype;
  est.totalParams = summary->totalParams;
  // A split module's own count is one device's; the model is its pieces.
  if (std::optional<int64_t> model =
          summary->parallel.getInteger("model_params"))
    est.totalParams = *model;

  Walker walker{opt, tp, summary->kvElementBits, est};
  walker.preSplit = tpGrid > 0;
  std::vector<int64_t> taggedStages;
  Segment pre, post;
  pre.layerIndex = -1;
  post.layerIndex = -2;
  std::vector<Segment> layers;
  int64_t layerWidth = 0;
  module.walk([&](func::FuncOp func) {
    SmallVector<Operation *> before, after;
    for (Operation &op : func.getBody().getOps()) {
      if (auto layer = dyn_cast<LayerOp>(op)) {
        layers.push_back(walker.walkSegment({&op}, layer.getIndex()));
        if (auto stage = layer->getAttrOfType<IntegerAttr>(
                TTDialect::getStageAttrName()))
          taggedStages.push_back(stage.getInt());
        if (auto t = dyn_cast<RankedTensorType>(layer.getResult().getType()))
          layerWidth = std::max<int64_t>(layerWidth, t.getShape().back());
        continue;
      }
      (layers.empty() ? before : after).push_back(&op);
    }
    Segment b = walker.walkSegment(before, -1);
    Segment a = walker.walkSegment(after, -2);
    llvm::append_range(pre.weights, b.weights);
    llvm::append_range(pre.ops, b.ops);
    pre.kvBytes += b.kvBytes;
    llvm::append_range(post.weights, a.weights);
    llvm::append_range(post.ops, a.ops);
    post.kvBytes += a.kvBytes;
  });
  int64_t numLayers = layers.size();
  if (pp > std::max<int64_t>(numLayers, 1) || (pp > 1 && numLayers == 0)) {
    mlir::emitError(module.getLoc())
        << "tt-report: pp=" << pp << " needs at least " << pp
        << " tt.layer ops, the model has " << numLayers;
    return failure();
  }

  // Total weights, each distinct tensor once.
  {
    llvm::StringSet<> seen;
    auto add = [&](const Segment &s) {
      for (const WeightRec &w : s.weights)
        if (seen.insert(w.name).second)
          est.totalWeightBytes += w.bytes * w.parts;
    };
    add(pre);
    for (const Segment &s : layers)
      add(s);
    add(post);
  }

  // Pipeline stages balanced by memory per device (weights + KV cache),
  // which in decode is also what each stage reads per step.
  std::vector<double> loads;
  for (const Segment &s : layers)
    loads.push_back(s.load());
  std::vector<int64_t> counts =
      numLayers ? balanceStages(loads, pre.load(), post.load(), pp)
                : std::vector<int64_t>{0};
  // tt-pipeline-parallel already chose the stages.
  if (ppGrid && static_cast<int64_t>(taggedStages.size()) == numLayers) {
    counts.assign(pp, 0);
    for (int64_t s : taggedStages)
      if (s >= 0 && s < pp)
        ++counts[s];
  }
  int64_t first = 0;
  double largestMemory = -1;
  for (int64_t s = 0; s < pp; ++s) {
    StageEstimate st;
    st.firstLayer = first;
    st.numLayers = counts[s];
    llvm::StringSet<> seen;
    auto add = [&](const Segment &seg) {
      for (const WeightRec &w : seg.weights)
        if (seen.insert(w.name).second) {
          st.weightBytes += w.deviceBytes;
          st.params += w.deviceElements;
        }
      st.kvBytes += seg.kvBytes;
    };
    if (s == 0)
      add(pre);
    for (int64_t i = first; i < first + counts[s]; ++i)
      add(layers[i]);
    if (s == pp - 1)
      add(post);
    first += counts[s];
    est.weightBytesAllDevices += tp * st.weightBytes;
    est.paramsAllDevices += tp * st.params;
    if (st.weightBytes + st.kvBytes > largestMemory) {
      largestMemory = st.weightBytes + st.kvBytes;
      est.largestStage = s;
    }
    est.stages.push_back(st);
  }
  const StageEstimate &big = est.stages[est.largestStage];
  est.weightBytesPerDevice = big.weightBytes;
  est.paramsPerDevice = big.params;
  est.kvBytesPerDevice = big.kvBytes;
  est.replicatedExtraBytes = est.weightBytesAllDevices - est.totalWeightBytes;
  est.replicatedExtraParams = est.paramsAllDevices - est.totalParams;

  // Activations at the prefill peak.
  double a = est.activationBytes;
  int64_t hidden = std::max(walker.hidden, layerWidth);
  est.activationBytesPerDevice =
      static_cast<double>(opt.batch) * opt.seqLen * a *
          (2.0 * hidden + walker.widest) +
      static_cast<double>(opt.batch) * walker.vocabPerDevice * 4.0;
  bool flash = hw ? hw.getFlashAttention() : true;
  if (!flash)
    est.activationBytesPerDevice += static_cast<double>(opt.batch) *
                                    walker.scoreHeads * opt.seqLen *
                                    opt.seqLen * a;
  est.totalBytesPerDevice = est.weightBytesPerDevice + est.kvBytesPerDevice +
                            est.activationBytesPerDevice;
  if (profile.capacitySharedByDevices) {
    double all = 0;
    for (const StageEstimate &st : est.stages)
      all += tp * (st.weightBytes + st.kvBytes);
    all += est.devices * est.activationBytesPerDevice;
    est.budget =
        opt.memoryBudget > 0 ? opt.memoryBudget : profile.memoryCapacity;
    est.neededBytes = all;
    est.fits = all <= est.budget;
    est.notes.push_back(llvm::formatv("the {0} devices share one memory: "
                                      "{1} bytes in all against the budget",
                                      est.devices, number(all))
                            .str());
  } else {
    est.budget =
        opt.memoryBudget > 0 ? opt.memoryBudget : profile.memoryCapacity;
    est.neededBytes = est.totalBytesPerDevice;
    est.fits = est.totalBytesPerDevice <= est.budget;
  }

  // Roofline per layer kind.
  llvm::StringMap<size_t> kindIndex;
  std::map<std::string, std::vector<std::string>> fallbacks;
  // Processes sharing one host (a CPU) share its bandwidth and cores too.
  double share = profile.capacitySharedByDevices ? est.devices : 1.0;
  double bandwidth = profile.memoryBandwidth / share;
  auto addOps = [&](const Segment &seg) {
    for (const OpRec &op : seg.ops) {
      std::string key = op.kind + "/" + op.cls;
      auto [it, inserted] = kindIndex.try_emplace(key, est.layers.size());
      if (inserted) {
        LayerKindEstimate k;
        k.kind = op.kind;
        k.cls = op.cls;
        k.peakFlops = profile.peakFor(op.computeClass, &k.computeDtype) / share;
        if (!op.computeClass.empty() && k.computeDtype != op.computeClass)
          fallbacks[op.computeClass +
                    " weights are computed at the "
                    "profile's " +
                    k.computeDtype + " peak (" + profile.name + " has no " +
                    op.computeClass + " peak)"]
              .push_back(op.kind);
        est.layers.push_back(k);
      }
      LayerKindEstimate &k = est.layers[it->second];
      ++k.count;
      double peak = profile.peakFor(op.computeClass) / share;
      double tp_ =
          rooflineSeconds(op.prefillFlops, op.prefillBytes, peak, bandwidth);
      double td =
          rooflineSeconds(op.decodeFlops, op.decodeBytes, peak, bandwidth);
      k.prefillFlops += op.prefillFlops;
      k.prefillBytes += op.prefillBytes;
      k.prefillSeconds += tp_;
      k.decodeFlops += op.decodeFlops;
      k.decodeBytes += op.decodeBytes;
      k.decodeSeconds += td;
    }
  };
  addOps(pre);
  for (const Segment &s : layers)
    addOps(s);
  addOps(post);
  for (LayerKindEstimate &k : est.layers) {
    k.prefillComputeBound = k.peakFlops > 0 && k.prefillFlops / k.peakFlops >
                                                   k.prefillBytes / bandwidth;
    k.decodeComputeBound = k.peakFlops > 0 && k.decodeFlops / k.peakFlops >
                                                  k.decodeBytes / bandwidth;
    est.prefillComputeSeconds += k.prefillSeconds;
    est.decodeComputeSeconds += k.decodeSeconds;
  }

  for (const auto &[note, kinds] : fallbacks)
    est.notes.push_back(llvm::join(kinds, ", ") + ": " + note);
  if (profile.capacitySharedByDevices && est.devices > 1)
    est.notes.push_back(
        llvm::formatv("the {0} devices are processes on one host: each gets "
                      "1/{0} of its bandwidth and peak FLOP/s",
                      est.devices)
            .str());

  est.ppBytesPerToken =
      pp > 1 ? static_cast<double>(pp - 1) * hidden * est.activationBytes : 0;
  double perToken =
      est.tpBytesPerToken + est.epBytesPerToken + est.ppBytesPerToken;
  double link = profile.interconnectBandwidth;
  if (perToken > 0 && link > 0) {
    est.prefillCommSeconds =
        perToken * static_cast<double>(opt.batch) * opt.seqLen / link;
    est.decodeCommSeconds = perToken * static_cast<double>(opt.batch) / link;
  }
  est.prefillSeconds = est.prefillComputeSeconds + est.prefillCommSeconds;
  est.decodeStepSeconds = est.decodeComputeSeconds + est.decodeCommSeconds;
  est.decodeTokensPerSecond =
      est.decodeStepSeconds > 0 ? opt.batch / est.decodeStepSeconds : 0;

  if (walker.vocabPadded)
    est.notes.push_back(llvm::formatv("tp={0} does not divide the vocabulary: "
                                      "each device holds ceil(vocab / tp) "
                                      "rows, the padding counts as replicated",
                                      tp)
                            .str());
  if (pp > 1)
    est.notes.push_back("pipeline stages run one after another for one "
                        "batch (no micro-batch overlap), so decode latency "
                        "is the sum over stages");
  return est;
}

llvm::json::Value Estimate::toJSON() const {
  llvm::json::Array stageArr, split;
  for (const StageEstimate &s : stages) {
    stageArr.push_back(llvm::json::Object{
        {"first_layer", s.firstLayer},
        {"num_layers", s.numLayers},
        {"weight_bytes_per_device", number(s.weightBytes)},
        {"params_per_device", s.params},
        {"kv_cache_bytes_per_device", number(s.kvBytes)},
    });
    split.push_back(s.numLayers);
  }
  llvm::json::Array layerArr;
  for (const LayerKindEstimate &k : layers) {
    auto phase = [&](double flops, double bytes, double seconds, bool bound) {
      return llvm::json::Object{
          {"flops", number(flops)},
          {"bytes", number(bytes)},
          {"intensity", bytes > 0 ? flops / bytes : 0.0},
          {"seconds", seconds},
          {"bound", bound ? "compute" : "memory"},
      };
    };
    layerArr.push_back(llvm::json::Object{
        {"name", k.kind},
        {"class", k.cls},
        {"count", k.count},
        {"compute_dtype", k.computeDtype},
        {"peak_flops", number(k.peakFlops)},
        {"prefill", phase(k.prefillFlops, k.prefillBytes, k.prefillSeconds,
                          k.prefillComputeBound)},
        {"decode", phase(k.decodeFlops, k.decodeBytes, k.decodeSeconds,
                         k.decodeComputeBound)},
    });
  }
  llvm::json::Object result{
      {"hardware", profile},
      {"tp", tp},
      {"pp", pp},
      {"devices", devices},
      {"batch", batch},
      {"prefill_seq_len", seqLen},
      {"decode_context", context},
      {"weight_dtype",
       weightDtype.empty() ? std::string("model") : weightDtype},
      {"kv_cache_dtype", kvCacheDtype},
      {"activation_bytes", static_cast<int64_t>(activationBytes)},
      {"memory",
       llvm::json::Object{
           {"weight_bytes_per_device", number(weightBytesPerDevice)},
           {"params_per_device", paramsPerDevice},
           {"kv_cache_bytes_per_device", number(kvBytesPerDevice)},
           {"activation_bytes_per_device", number(activationBytesPerDevice)},
           {"total_bytes_per_device", number(totalBytesPerDevice)},
           {"budget_bytes", number(budget)},
           {"fits", fits},
           {"needed_bytes", number(neededBytes)},
       }},
      {"weights",
       llvm::json::Object{
           {"total_bytes", number(totalWeightBytes)},
           {"total_params", totalParams},
           {"all_devices_bytes", number(weightBytesAllDevices)},
           {"all_devices_params", paramsAllDevices},
           {"replicated_extra_bytes", number(replicatedExtraBytes)},
           {"replicated_extra_params", replicatedExtraParams},
       }},
      {"stages", std::move(stageArr)},
      {"stage_split", std::move(split)},
      {"largest_stage", largestStage},
      {"layers", std::move(layerArr)},
      {"communication",
       llvm::json::Object{
           {"tp_allreduce_bytes_per_token", number(tpBytesPerToken)},
           {"tp_allreduces_per_token", allReducesPerToken},
           {"ep_alltoall_bytes_per_token", number(epBytesPerToken)},
           {"pp_bytes_per_token", number(ppBytesPerToken)},
       }},
      {"prefill",
       llvm::json::Object{
           {"compute_seconds", prefillComputeSeconds},
           {"comm_seconds", prefillCommSeconds},
           {"latency_seconds", prefillSeconds},
       }},
      {"decode",
       llvm::json::Object{
           {"compute_seconds", decodeComputeSeconds},
           {"comm_seconds", decodeCommSeconds},
           {"step_seconds", decodeStepSeconds},
           {"tokens_per_second", decodeTokensPerSecond},
       }},
      {"notes", llvm::json::Array(notes)},
  };
  return result;
}

//===----------------------------------------------------------------------===//
// Fit search
//===----------------------------------------------------------------------===//

static std::string gb(double bytes) {
  return llvm::formatv("{0:F2} GB", bytes / 1e9).str();
}

FailureOr<FitResult> tt::fitModel(ModuleOp module,
                                  const HardwareProfile &profile,
                                  const EstimateOptions &options,
                                  int64_t maxDevices) {
  if (maxDevices <= 0)
    maxDevices = profile.maxDevices;
  for (StringRef grid : {TTDialect::getTensorParallelGridName(),
                         TTDialect::getPipelineParallelGridName()})
    if (parallelGridSize(module, grid)) {
      mlir::emitError(module.getLoc())
          << "tt-report: fit=1 chooses tp and pp for the whole model, but "
             "this module is already split (shard.grid @"
          << grid << ")";
      return failure();
    }
  int64_t numLayers = 0;
  module.walk([&](LayerOp) { ++numLayers; });

  // The model's own weight dtype class: that of its largest weight.
  std::string ownClass;
  double largest = -1;
  module.walk([&](WeightOp w) {
    double b = getStorageBytes(w.getType());
    if (b > largest) {
      largest = b;
      ownClass = getDtypeClass(cast<ShapedType>(w.getType()).getElementType());
    }
  });
  std::vector<std::string> dtypes = {options.weightDtype};
  double current =
      nominalBits(options.weightDtype.empty() ? StringRef(ownClass)
                                              : StringRef(options.weightDtype));
  std::vector<std::string> smaller;
  for (const std::string &d : profile.weightDtypes)
    if (nominalBits(d) < current)
      smaller.push_back(d);
  llvm::stable_sort(smaller, [&](const std::string &x, const std::string &y) {
    if (nominalBits(x) != nominalBits(y))
      return nominalBits(x) > nominalBits(y);
    return profile.peakFor(x) > profile.peakFor(y);
  });
  llvm::append_range(dtypes, smaller);

  std::vector<std::string> tried;
  for (const std::string &dtype : dtypes) {
    std::string dtypeName = dtype.empty() ? "the model's " + ownClass : dtype;
    double smallestNeed = std::numeric_limits<double>::infinity();
    for (int64_t n = 1; n <= maxDevices; ++n) {
      std::optional<Estimate> best;
      std::vector<std::string> alternatives;
      for (int64_t tp = n; tp >= 1; --tp) {
        if (n % tp)
          continue;
        int64_t pp = n / tp;
        if (pp > std::max<int64_t>(numLayers, 1))
          continue;
        EstimateOptions o = options;
        o.tp = tp;
        o.pp = pp;
        o.weightDtype = dtype;
        FailureOr<Estimate> e;
        {
          // Layouts the model does not allow are skipped quietly.
          ScopedDiagnosticHandler quiet(module.getContext(),
                                        [](Diagnostic &) { return success(); });
          e = estimateModel(module, profile, o);
        }
        if (failed(e))
          continue;
        smallestNeed = std::min(smallestNeed, e->neededBytes);
        if (!e->fits)
          continue;
        alternatives.push_back(llvm::formatv("tp={0} pp={1}: {2:F1} tok/s", tp,
                                             pp, e->decodeTokensPerSecond)
                                   .str());
        if (!best || e->decodeStepSeconds < best->decodeStepSeconds)
          best = *e;
      }
      if (!best)
        continue;
      FitResult r;
      r.estimate = std::move(*best);
      std::string why;
      llvm::raw_string_ostream os(why);
      for (const std::string &t : tried)
        os << t << "; ";
      os << "picked tp=" << r.estimate.tp << " pp=" << r.estimate.pp << " ("
         << n << (n == 1 ? " device" : " devices") << ", weights " << dtypeName
         << "): " << gb(r.estimate.neededBytes)
         << (profile.capacitySharedByDevices ? " on the shared memory"
                                             : " per device")
         << " fits the budget of " << gb(r.estimate.budget);
      if (n > 1)
        os << "; no layout of fewer devices fits";
      if (alternatives.size() > 1)
        os << "; of the " << n << "-device layouts that fit ("
           << llvm::join(alternatives, ", ") << ") it decodes fastest";
      r.reason = why;
      return r;
    }
    tried.push_back(llvm::formatv("weights {0}: no layout of up to {1} "
                                  "devices fits (the smallest needs {2}{3})",
                                  dtypeName, maxDevices, gb(smallestNeed),
                                  profile.capacitySharedByDevices
                                      ? " on the shared memory"
                                      : " per device")
                        .str());
  }
  mlir::emitError(module.getLoc())
      << "tt-report fit: nothing fits "
      << gb(options.memoryBudget > 0 ? options.memoryBudget
                                     : profile.memoryCapacity)
      << (profile.capacitySharedByDevices ? " of shared memory on "
                                          : " per device on ")
      << profile.name << ": " << llvm::join(tried, "; ");
  return failure();
}

//===----------------------------------------------------------------------===//
// SVG
//===----------------------------------------------------------------------===//

std::string tt::renderRooflineSVG(const Estimate &est,
                                  const HardwareProfile &profile) {
  const double W = 720, H = 480, left = 80, right = 200, top = 40, bottom = 60;
  const double pw = W - left - right, ph = H - top - bottom;
  double maxPeak = 0;
  for (const auto &[k, v] : profile.peakFlops)
    maxPeak = std::max(maxPeak, v);
  double ridge = maxPeak / profile.memoryBandwidth;
  double xmin = 0.1, xmax = std::max(1e4, ridge * 10);
  double ymax = maxPeak * 2, ymin = ymax / 1e6;
  for (const LayerKindEstimate &k : est.layers)
    for (double in : {k.prefillBytes > 0 ? k.prefillFlops / k.prefillBytes : 0,
                      k.decodeBytes > 0 ? k.decodeFlops / k.decodeBytes : 0})
      if (in > 0)
        xmin = std::min(xmin, in / 2), xmax = std::max(xmax, in * 2);
  auto X = [&](double v) {
    return left + pw * (std::log10(v) - std::log10(xmin)) /
                      (std::log10(xmax) - std::log10(xmin));
  };
  auto Y = [&](double v) {
    v = std::max(v, ymin);
    return top + ph * (1 - (std::log10(v) - std::log10(ymin)) /
                               (std::log10(ymax) - std::log10(ymin)));
  };
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" "
                      "height=\"{1}\" font-family=\"sans-serif\" "
                      "font-size=\"11\">\n",
                      W, H);
  os << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  os << llvm::formatv("<text x=\"{0}\" y=\"20\" font-size=\"14\">Roofline: "
                      "{1}, tp={2} pp={3}, batch {4}</text>\n",
                      left, profile.name, est.tp, est.pp, est.batch);
  os << llvm::formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\" "
                      "fill=\"none\" stroke=\"black\"/>\n",
                      left, top, pw, ph);
  for (double d = std::pow(10, std::ceil(std::log10(xmin))); d <= xmax; d *= 10)
    os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" "
                        "text-anchor=\"middle\">{2}</text>\n",
                        X(d), top + ph + 15, d);
  for (double d = std::pow(10, std::ceil(std::log10(ymin))); d <= ymax; d *= 10)
    os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" "
                        "text-anchor=\"end\">{2:E0}</text>\n",
                        left - 4, Y(d) + 4, d);
  os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" "
                      "text-anchor=\"middle\">operational intensity "
                      "(FLOP/byte)</text>\n",
                      left + pw / 2, H - 15);
  os << llvm::formatv("<text x=\"15\" y=\"{0:F1}\" transform=\"rotate(-90 15 "
                      "{0:F1})\" text-anchor=\"middle\">attainable "
                      "FLOP/s</text>\n",
                      top + ph / 2);
  // One roof per distinct peak (dtypes with the same peak share it).
  std::map<double, std::vector<std::string>> roofs;
  for (const auto &[key, peak] : profile.peakFlops)
    roofs[peak].push_back(key);
  for (const auto &[peak, keys] : roofs) {
    double r = peak / profile.memoryBandwidth;
    os << llvm::formatv("<polyline fill=\"none\" stroke=\"#888\" "
                        "points=\"{0:F1},{1:F1} {2:F1},{3:F1} {4:F1},{3:F1}\"/>"
                        "\n",
                        X(xmin), Y(xmin * profile.memoryBandwidth), X(r),
                        Y(peak), X(xmax));
    os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" fill=\"#555\">{2} "
                        "{3:F1} TFLOP/s</text>\n",
                        X(xmax) + 4, Y(peak) + 4, llvm::join(keys, "/"),
                        peak / 1e12);
  }
  static const char *const colors[] = {"#1f77b4", "#d62728", "#2ca02c",
                                       "#9467bd", "#ff7f0e", "#8c564b",
                                       "#e377c2", "#17becf"};
  int i = 0;
  for (const LayerKindEstimate &k : est.layers) {
    const char *color = colors[i % 8];
    double ly = top + ph * 0.45 + 14 * i;
    os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1:F1}\" fill=\"{2}\">{3} "
                        "({4})</text>\n",
                        W - right + 10, ly, color, k.kind, k.cls);
    auto point = [&](double flops, double bytes, double seconds, bool filled) {
      if (bytes <= 0 || flops <= 0 || seconds <= 0)
        return;
      double in = flops / bytes, perf = flops / seconds;
      os << llvm::formatv("<circle cx=\"{0:F1}\" cy=\"{1:F1}\" r=\"5\" "
                          "stroke=\"{2}\" fill=\"{3}\"><title>{4} {5}: "
                          "{6:F2} FLOP/B, {7:E2} FLOP/s</title></circle>\n",
                          X(in), Y(perf), color, filled ? color : "white",
                          k.kind, filled ? "prefill" : "decode", in, perf);
    };
    point(k.prefillFlops, k.prefillBytes, k.prefillSeconds, true);
    point(k.decodeFlops, k.decodeBytes, k.decodeSeconds, false);
    ++i;
  }
  os << llvm::formatv("<text x=\"{0:F1}\" y=\"{1:F1}\">filled: prefill, "
                      "open: decode</text>\n",
                      W - right + 10, top + ph * 0.45 + 14 * (i + 1));
  os << "</svg>\n";
  return s;
}
