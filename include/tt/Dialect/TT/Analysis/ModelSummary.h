//===- ModelSummary.h - What a model is and what it costs -------*- C++ -*-===//
//
// Summarises a model in the tt dialect through CostOpInterface alone: sizes,
// parameter counts (a tied weight counted once), weight bytes by dtype,
// KV-cache bytes, FLOPs and bytes per token, and the layer types of seed
// 002's model-config schema. `--tt-report` prints it as JSON.
//
//===----------------------------------------------------------------------===//

#ifndef TT_DIALECT_TT_ANALYSIS_MODELSUMMARY_H
#define TT_DIALECT_TT_ANALYSIS_MODELSUMMARY_H

#include "tt/Dialect/TT/IR/TTCost.h"

#include "llvm/Support/JSON.h"

#include <map>
#include <string>
#include <vector>

namespace tt {

struct LayerTypeSummary {
  std::string name;     // layer kind: attention, mlp, norm, ...
  std::string cls;      // class: GroupedQueryAttention, SwiGLU, ...
  bool supported = true;
  int64_t count = 0;
  int64_t parameterCount = 0; // per instance
  llvm::json::Object specs;
};

struct ModelSummary {
  std::string name;
  int64_t hiddenSize = 0;
  int64_t numLayers = 0;
  int64_t vocabSize = 0;
  int64_t maxPositionEmbeddings = 0; // 0: unknown
  int64_t totalParams = 0;
  int64_t activeParams = 0;
  /// Bytes of weights by storage dtype name, each distinct tensor once.
  std::map<std::string, double> weightBytesByDtype;
  double weightBytes = 0;
  std::string kvCacheDtype;
  unsigned kvElementBits = 16;
  int64_t kvCacheBytesPerToken = 0;
  CostPoint prefill, decode;
  double prefillFlopsPerToken = 0, decodeFlopsPerToken = 0;
  double prefillBytesPerToken = 0, decodeBytesPerToken = 0;
  std::vector<LayerTypeSummary> layerTypes;
  std::vector<std::string> unsupportedKinds;
  /// After tt-tensor-parallel / tt-pipeline-parallel (a `@tt_tp` or
  /// `@tt_pp` shard.grid in the module): the per-device view; see
  /// summarizeParallel. Empty otherwise.
  llvm::json::Object parallel;

  llvm::json::Value toJSON() const;
};

/// Summarises the model in `module`. `seqLen` and `context` give the
/// prefill and decode cost points; the KV-cache element size comes from the
/// module's `tt.hardware` (`kv_cache_dtype`, default f16). Fails, with a
/// diagnostic at the offending op, when one weight name is given two types.
FailureOr<ModelSummary> summarizeModel(ModuleOp module, int64_t seqLen,
                                       int64_t context);

/// The `parallel` object of a module the parallel passes rewrote, whose
/// weight types are one device's pieces: `tensor_parallel` T and
/// `pipeline_parallel` S (the grids' sizes), `model_params` (the whole
/// model, each piece times its `shard_parts`), per stage the layers and
/// the parameters one device of the stage holds, `params_per_device` (the
/// largest stage), `replicated_params` (tensors every device of a
/// tensor-parallel group holds whole: no `shard_dim`), `params_all_devices`
/// (T times the stages' sum) and `replicated_extra_params` (what that adds
/// over the model: copies of replicated tensors and of KV pieces shared by
/// several devices, and a weight cloned onto two stages), and how many
/// collectives of each kind the IR holds. An empty object for a module
/// with neither grid.
llvm::json::Object summarizeParallel(ModuleOp module);

} // namespace tt

#endif // TT_DIALECT_TT_ANALYSIS_MODELSUMMARY_H
