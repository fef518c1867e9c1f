//===- TTInterfaces.cpp - Op interfaces of the tt dialect -----------------===//

#include "tt/Dialect/TT/IR/TTInterfaces.h"

using namespace tt;

#include "tt/Dialect/TT/IR/TTInterfaces.cpp.inc"

bool tt::isSublayer(Operation *op) {
  return op->hasTrait<OpTrait::Sublayer>();
}

StringRef tt::stringifyShardKind(ShardKind kind) {
  switch (kind) {
  case ShardKind::Replicated: return "replicated";
  case ShardKind::Column: return "column";
  case ShardKind::Row: return "row";
  case ShardKind::Vocab: return "vocab";
  case ShardKind::Expert: return "expert";
  case ShardKind::Partial: return "partial";
  }
  llvm_unreachable("unknown shard kind");
}
