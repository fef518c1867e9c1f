//===- Estimate.h - Roofline estimate of a model on a device ----*- C++ -*-===//
//
// Hardware profiles (data/hardware/<name>.json) and the estimate that
// `--tt-report hardware=NAME` adds: per-device memory (weights split by
// ShardingOpInterface, layers split into pipeline stages, KV cache,
// activations), per-layer-kind roofline times for prefill and decode, the
// communication of tensor, pipeline and expert parallelism, and a search for
// the smallest parallel layout (and weight dtype) that fits a memory budget.
// docs/Estimation.md gives the formulas.
//
//===----------------------------------------------------------------------===//

#ifndef TT_DIALECT_TT_ANALYSIS_ESTIMATE_H
#define TT_DIALECT_TT_ANALYSIS_ESTIMATE_H

#include "tt/Support/LLVM.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <string>
#include <vector>

namespace tt {

//===----------------------------------------------------------------------===//
// Hardware profiles
//===----------------------------------------------------------------------===//

/// One device as a profile file describes it. All figures in SI units.
struct HardwareProfile {
  std::string name;
  std::string description;
  /// Where the profile was read from ("" when parsed from a string).
  std::string path;
  /// Dense peak FLOP/s (OP/s for integers) by compute dtype key: f32, tf32,
  /// f16, bf16, fp8, int8, int4, bfp8, bfp4.
  std::map<std::string, double> peakFlops;
  double memoryBandwidth = 0; // bytes/s
  double memoryCapacity = 0;  // bytes
  std::string interconnectName;
  double interconnectBandwidth = 0; // bytes/s per device, one direction
  /// Largest device count the fit search tries.
  int64_t maxDevices = 8;
  /// The devices are processes sharing one memory (a CPU host).
  bool capacitySharedByDevices = false;
  /// Weight dtype classes (f32, bf16, f16, fp8, int8, int4) the device can
  /// store and compute with, for the fit search.
  std::vector<std::string> weightDtypes;
  /// Keys whose figures the profile's author was not sure of.
  std::vector<std::string> unsure;
  std::vector<std::string> sources;

  /// The peak for computing with weights of dtype class `cls`: the class's
  /// own key, else the next along a fallback chain (docs/Estimation.md).
  /// Sets `usedKey` to the key taken; returns 0 when none is listed.
  double peakFor(llvm::StringRef cls, std::string *usedKey = nullptr) const;

  llvm::json::Value toJSON() const;
};

/// Parses a profile. A JSON syntax error reads `fileName:line:col: ...`; a
/// missing or ill-typed key is named with its path (`interconnect.name`).
llvm::Expected<HardwareProfile> parseHardwareProfile(llvm::StringRef text,
                                                     llvm::StringRef fileName);

/// The data/hardware directory: $TT_DATA_DIR/hardware, else the source
/// tree's data/hardware (a compile definition), else
/// <executable>/../../data/hardware.
std::string getDefaultHardwareDir();

/// Profile names (file stems) in `dir`, sorted.
std::vector<std::string> listHardwareProfiles(llvm::StringRef dir);

/// Loads `nameOrPath`: a path when it names an existing file or ends in
/// `.json`, else `dir/<name>.json`. An unknown name lists the known ones.
llvm::Expected<HardwareProfile> loadHardwareProfile(llvm::StringRef nameOrPath,
                                                    llvm::StringRef dir);

/// The compute class of a weight element type: f32, f16, bf16, fp8, int8
/// (i8 and 5-8 bit block formats) or int4 (4 bits and fewer); "" for others.
std::string getDtypeClass(Type elementType);

/// Storage bits per element assumed for a weight re-stored in class `cls`
/// by the fit search: f32 32, f16/bf16 16, fp8 8, int8 8.5 (q8_0 blocks),
/// int4 4.5 (q4_0 blocks); 0 for an unknown class.
double getDtypeClassBits(llvm::StringRef cls);

//===----------------------------------------------------------------------===//
// Arithmetic (exposed for unit tests)
//===----------------------------------------------------------------------===//

/// Roofline time: max(flops / peak, bytes / bandwidth).
double rooflineSeconds(double flops, double bytes, double peakFlops,
                       double bandwidth);

/// Bytes one device sends in a ring all-reduce of `messageBytes` over
/// `devices`: 2 (n-1)/n * message.
double ringAllReduceBytes(double messageBytes, int64_t devices);

/// Bytes one device sends per token in an expert-parallel all-to-all
/// (dispatch and combine) of `topK` copies of a `tokenBytes` activation
/// over `devices`: 2 * topK * tokenBytes * (n-1)/n.
double allToAllBytes(double tokenBytes, int64_t topK, int64_t devices);

/// Splits consecutive layers with the given loads into `stages` contiguous
/// stages, the first also carrying `firstExtra` and the last `lastExtra`,
/// minimising the largest stage's load (ties: earlier stages smaller).
/// Returns the number of layers per stage. Needs 1 <= stages <= layers.
std::vector<int64_t> balanceStages(llvm::ArrayRef<double> layerLoads,
                                   double firstExtra, double lastExtra,
                                   int64_t stages);

//===----------------------------------------------------------------------===//
// The estimate
//===----------------------------------------------------------------------===//

struct EstimateOptions {
  int64_t batch = 1;
  int64_t seqLen = 2048;  // prefill sequence length
  int64_t context = 2048; // decode context (positions in the KV cache)
  int64_t tp = 0;         // 0: from the module's tt.hardware, else 1
  int64_t pp = 0;
  /// "" keeps each weight's own type; a class (int8, int4, fp8, bf16, ...)
  /// re-stores the quantizable weights (QuantizableOpInterface) in it.
  std::string weightDtype;
  double memoryBudget = 0; // bytes per device; 0: the profile's capacity
};

/// One layer kind (`attention`/GroupedQueryAttention, `mlp`/SwiGLU, ...) on
/// one device: all its instances on all stages, for one prefill of
/// batch x seq-len tokens and one decode step of batch tokens.
struct LayerKindEstimate {
  std::string kind, cls;
  std::string computeDtype; // profile key whose peak is used
  int64_t count = 0;
  double peakFlops = 0;
  double prefillFlops = 0, prefillBytes = 0, prefillSeconds = 0;
  double decodeFlops = 0, decodeBytes = 0, decodeSeconds = 0;
  bool prefillComputeBound = false, decodeComputeBound = false;
};

struct StageEstimate {
  int64_t firstLayer = 0, numLayers = 0;
  /// Per device of the stage (one tensor-parallel rank).
  double weightBytes = 0, kvBytes = 0;
  int64_t params = 0;
};

struct Estimate {
  std::string profile;
  int64_t tp = 1, pp = 1, devices = 1, batch = 1, seqLen = 0, context = 0;
  std::string weightDtype; // "" when weights keep their types
  std::string kvCacheDtype;
  unsigned activationBytes = 4;

  // Whole model.
  int64_t totalParams = 0;
  double totalWeightBytes = 0;
  // Over all tp x pp devices, and what that adds over the model.
  int64_t paramsAllDevices = 0;
  double weightBytesAllDevices = 0;
  int64_t replicatedExtraParams = 0;
  double replicatedExtraBytes = 0;

  // Per device, on the stage with the most memory.
  std::vector<StageEstimate> stages;
  int64_t largestStage = 0;
  int64_t paramsPerDevice = 0;
  double weightBytesPerDevice = 0, kvBytesPerDevice = 0;
  double activationBytesPerDevice = 0, totalBytesPerDevice = 0;
  double budget = 0; // bytes per device
  /// What is compared with the budget: the total per device, or the sum
  /// over all devices when they share one memory.
  double neededBytes = 0;
  bool fits = false;

  std::vector<LayerKindEstimate> layers;

  // Communication per token, bytes one device sends.
  double tpBytesPerToken = 0; // all-reduces (needsAllReduce)
  double epBytesPerToken = 0; // MoE all-to-all
  double ppBytesPerToken = 0; // activations between stages (all boundaries)
  int64_t allReducesPerToken = 0;

  double prefillComputeSeconds = 0, prefillCommSeconds = 0, prefillSeconds = 0;
  double decodeComputeSeconds = 0, decodeCommSeconds = 0, decodeStepSeconds = 0,
         decodeTokensPerSecond = 0;

  std::vector<std::string> notes;

  llvm::json::Value toJSON() const;
};

/// Estimates `module` on `profile`. Fails with a diagnostic on the module
/// when a size is invalid or when TP / PP break the dialect's `tt.hardware`
/// rules (the dialect verifier itself reports which dimension). A module
/// that tt-tensor-parallel / tt-pipeline-parallel split gives its own tp /
/// pp (its grids) and stages, and its weights are taken as one device's.
FailureOr<Estimate> estimateModel(ModuleOp module,
                                  const HardwareProfile &profile,
                                  const EstimateOptions &options);

struct FitResult {
  Estimate estimate;
  std::string reason;
};

/// The smallest tp x pp (at most `maxDevices`, 0: the profile's) whose
/// estimate fits the budget; ties go to the faster decode. When none fits,
/// the same with the weights re-stored in the next smaller dtype the
/// profile lists (bf16 -> fp8/int8 -> int4). Fails, saying what was tried,
/// when nothing fits.
FailureOr<FitResult> fitModel(ModuleOp module, const HardwareProfile &profile,
                              const EstimateOptions &options,
                              int64_t maxDevices = 0);

/// An SVG roofline: operational intensity (FLOP/byte) against attainable
/// FLOP/s, log-log, with the profile's roofs and each layer kind's prefill
/// and decode point.
std::string renderRooflineSVG(const Estimate &estimate,
                              const HardwareProfile &profile);

} // namespace tt

#endif // TT_DIALECT_TT_ANALYSIS_ESTIMATE_H
