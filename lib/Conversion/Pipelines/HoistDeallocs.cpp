//===- HoistDeallocs.cpp - Free temporaries right after their last use ----===//

#include "tt/Conversion/Passes.h"

#include "llvm/ADT/SmallPtrSet.h"

namespace tt {
#define GEN_PASS_DEF_TTHOISTDEALLOCS
#include "tt/Conversion/Passes.h.inc"
} // namespace tt

using namespace mlir;

namespace {

/// The last op of `block` that depends on `root`: every transitive user,
/// through any result (views, pointer casts), mapped to its ancestor in
/// `block`. Conservative: a value loaded from the buffer also counts.
Operation *lastUse(Value root, Block *block, Operation *dealloc) {
  Operation *last = root.getDefiningOp();
  SmallVector<Value> worklist{root};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (user == dealloc || !seen.insert(user).second)
        continue;
      Operation *anc = block->findAncestorOpInBlock(*user);
      if (!anc)
        return nullptr; // used outside this block: leave it alone
      if (last->isBeforeInBlock(anc))
        last = anc;
      for (Value r : user->getResults())
        worklist.push_back(r);
      // Values yielded by a region op flow into its results, covered above.
    }
  }
  return last;
}

/// Whether the block between `from` and `to` is straight-line code: no op
/// with regions other than structured ops that complete in place.
bool hasNoControlFlow(Operation *from, Operation *to) {
  for (Operation *op = from; op && op != to; op = op->getNextNode())
    if (op->hasTrait<OpTrait::IsTerminator>())
      return false;
  return true;
}

struct HoistDeallocsPass : tt::impl::TTHoistDeallocsBase<HoistDeallocsPass> {
  void runOnOperation() override {
    SmallVector<memref::DeallocOp> deallocs;
    getOperation().walk([&](memref::DeallocOp d) { deallocs.push_back(d); });
    for (memref::DeallocOp dealloc : deallocs) {
      auto alloc = dealloc.getMemref().getDefiningOp<memref::AllocOp>();
      if (!alloc || alloc->getBlock() != dealloc->getBlock())
        continue;
      Block *block = dealloc->getBlock();
      Operation *last = lastUse(alloc.getResult(), block, dealloc);
      if (!last || !last->isBeforeInBlock(dealloc) ||
          !hasNoControlFlow(alloc, dealloc))
        continue;
      dealloc->moveAfter(last);
    }
  }
};

} // namespace
