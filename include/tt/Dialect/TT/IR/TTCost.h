//===- TTCost.h - Cost model vocabulary of the tt dialect -------*- C++ -*-===//
//
// The types the cost, sharding and quantisation interfaces speak in, and the
// helpers their default implementations use.
//
//===----------------------------------------------------------------------===//

#ifndef TT_DIALECT_TT_IR_TTCOST_H
#define TT_DIALECT_TT_IR_TTCOST_H

#include "tt/Support/LLVM.h"

#include <cstdint>

namespace tt {

/// The two phases of autoregressive inference.
enum class Phase { Prefill, Decode };

/// Where a per-token cost is evaluated: prefill of a sequence of `length`
/// tokens (costs averaged over those tokens), or decode of one token at a
/// context of `length` positions (including the new one).
struct CostPoint {
  Phase phase = Phase::Decode;
  int64_t length = 1;
  /// Bits of one KV-cache element.
  unsigned kvElementBits = 16;

  static CostPoint prefill(int64_t seqLen, unsigned kvBits = 16) {
    return {Phase::Prefill, seqLen, kvBits};
  }
  static CostPoint decode(int64_t context, unsigned kvBits = 16) {
    return {Phase::Decode, context, kvBits};
  }

  /// Tokens over which one read of the weights is shared (batch 1).
  double tokensSharingWeights() const {
    return phase == Phase::Prefill ? static_cast<double>(length) : 1.0;
  }

  /// Average number of key positions a query attends to. `window` is the
  /// sliding-window size (0: none).
  double attendedPositions(int64_t window, bool causal) const;
};

/// How a weight splits under tensor parallelism; see ShardingOpInterface.
/// `Partial`: not split, but added into a sum that is all-reduced (the bias
/// of a row-split projection), so only one device of the group holds it.
enum class ShardKind { Replicated, Column, Row, Vocab, Expert, Partial };

llvm::StringRef stringifyShardKind(ShardKind kind);

/// Bits of storage per logical element of `elementType` (fractional for
/// block-quantised types: q4_0 stores 32 weights in 18 bytes, 4.5 bits).
double getStorageBitsPerElement(Type elementType);

/// Bytes a statically shaped tensor of `type` occupies.
double getStorageBytes(Type type);

/// A short name for a storage type, as used in reports (`bf16`, `q4_k`).
std::string getDtypeName(Type elementType);

/// Formats a count the way model cards do: 6.74B, 124M, 260K.
std::string formatCount(int64_t count);

namespace detail {
/// Elements of all operands of `op` produced by `tt.weight`.
int64_t sumWeightElements(Operation *op);
/// Bytes of all operands of `op` produced by `tt.weight`.
double activeWeightBytes(Operation *op);
} // namespace detail

} // namespace tt

#endif // TT_DIALECT_TT_IR_TTCOST_H
