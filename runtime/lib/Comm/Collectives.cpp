//===- Collectives.cpp - The ttrt_* collectives generated code calls ------===//

#include "tt/Runtime/Comm.h"
#include "tt/Runtime/Context.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

using namespace tt;

static rt::Communicator &commOf(ttrt_context *ctx, const char *what) {
  if (!ctx)
    rt::fatal("%s: no context", what);
  return ctx->getCommunicator();
}

extern "C" void ttrt_all_reduce_sum(ttrt_context *ctx, float *buf, int64_t n) {
  commOf(ctx, "ttrt_all_reduce_sum").allReduceSum(buf, n);
}

extern "C" void ttrt_all_gather(ttrt_context *ctx, const float *in,
                                int64_t rows, int64_t colsPerRank, float *out) {
  commOf(ctx, "ttrt_all_gather").allGatherLastAxis(in, rows, colsPerRank, out);
}

extern "C" void ttrt_send(ttrt_context *ctx, const float *buf, int64_t n,
                          int64_t stage) {
  commOf(ctx, "ttrt_send").send(buf, n, stage);
}

extern "C" void ttrt_recv(ttrt_context *ctx, float *buf, int64_t n,
                          int64_t stage) {
  commOf(ctx, "ttrt_recv").recv(buf, n, stage);
}

extern "C" void ttrt_broadcast_i32(ttrt_context *ctx, int32_t *buf, int64_t n,
                                   int64_t root) {
  commOf(ctx, "ttrt_broadcast_i32").broadcast(buf, n, root);
}

extern "C" int64_t ttrt_tp_rank(ttrt_context *ctx) {
  if (!ctx)
    rt::fatal("ttrt_tp_rank: no context");
  return ctx->getParallel().tpRank;
}

llvm::StringMap<void *> rt::collectiveSymbols() {
  llvm::StringMap<void *> symbols;
  symbols["ttrt_all_reduce_sum"] =
      reinterpret_cast<void *>(&ttrt_all_reduce_sum);
  symbols["ttrt_all_gather"] = reinterpret_cast<void *>(&ttrt_all_gather);
  symbols["ttrt_send"] = reinterpret_cast<void *>(&ttrt_send);
  symbols["ttrt_recv"] = reinterpret_cast<void *>(&ttrt_recv);
  symbols["ttrt_tp_rank"] = reinterpret_cast<void *>(&ttrt_tp_rank);
  symbols["ttrt_embedding_vocab_parallel"] =
      reinterpret_cast<void *>(&ttrt_embedding_vocab_parallel);
  symbols["ttrt_broadcast_i32"] = reinterpret_cast<void *>(&ttrt_broadcast_i32);
  return symbols;
}
