//===- Generate.cpp - tt-run's load, compile and generate loop ------------===//
//
// The model file is read three ways, each by the component that owns it:
// the importer turns its metadata into tt IR (checking the stored tensors),
// the CPU target compiles the IR, and the runtime maps the tensor data and
// binds it to the compiled code by name. Generation is a prefill step over
// the prompt and one decode step per generated token, over one KV cache.
//
//===----------------------------------------------------------------------===//

#include "Generate.h"
#include "Batch.h"
#include "Parallel.h"

#include "tt/Conversion/TTToLinalg/TTToLinalg.h"
#include "tt/Dialect/TT/IR/TTDialect.h"
#include "tt/Import/GGUFImporter.h"
#include "tt/Import/HFImporter.h"
#include "tt/Runtime/Context.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Runtime/Sampler.h"
#include "tt/Runtime/Tokenizer.h"
#include "tt/Runtime/WeightStore.h"
#include "tt/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

#ifndef TT_DATA_DIR
#define TT_DATA_DIR ""
#endif

using namespace tt;

namespace {

bool error(const llvm::Twine &msg) { return runError(msg); }

/// Progress on stderr: what is being done, and how long it took.
class Progress {
public:
  bool quiet = false; ///< the processes of a parallel run but rank 0
  void start(const llvm::Twine &what) {
    if (quiet)
      return;
    llvm::errs() << "tt-run: " << what << " ...";
    llvm::errs().flush();
    t0 = Clock::now();
  }
  void done(const llvm::Twine &detail = "", llvm::StringRef more = "") {
    if (quiet)
      return;
    llvm::errs() << llvm::formatv(" {0:F2} s", secondsSince(t0));
    if (!detail.isTriviallyEmpty())
      llvm::errs() << " (" << detail << ")";
    if (!more.empty())
      llvm::errs() << " " << more;
    llvm::errs() << "\n";
  }

private:
  Clock::time_point t0;
};

std::string familiesDirFor(const GenerateOptions &o) {
  if (!o.familiesDir.empty())
    return o.familiesDir;
  return std::string(TT_DATA_DIR) + "/families";
}

/// A location as `file:line:col` (the first file location inside it), or
/// MLIR's own spelling when it has none.
std::string where(mlir::Location loc) {
  std::string out;
  loc->walk([&](mlir::Location l) {
    if (auto fl = llvm::dyn_cast<mlir::FileLineColLoc>(l)) {
      out = llvm::formatv("{0}:{1}:{2}", fl.getFilename().getValue(),
                          fl.getLine(), fl.getColumn())
                .str();
      return mlir::WalkResult::interrupt();
    }
    return mlir::WalkResult::advance();
  });
  if (out.empty()) {
    llvm::raw_string_ostream os(out);
    os << loc;
  }
  return out;
}

/// Writes generated text as it comes, flushed per token.
void emit(llvm::StringRef s) {
  llvm::outs() << s;
  llvm::outs().flush();
}

} // namespace

llvm::Expected<std::vector<int32_t>>
tt::preparePrompt(const Prompt &p, const rt::Tokenizer *tokenizer,
                  int64_t vocab, int64_t numTokens, int64_t contextLen) {
  auto fail = [](const llvm::Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
  };
  std::vector<int32_t> ids =
      p.given == Prompt::Ids ? p.ids : tokenizer->encode(p.text, true);
  if (ids.empty()) {
    // No prompt: start from BOS, as llama2.c and llama.cpp do.
    if (!tokenizer || tokenizer->bos() < 0)
      return fail("the prompt is empty and the model has no BOS token");
    ids.push_back(tokenizer->bos());
  }
  for (int32_t id : ids)
    if (id < 0 || id >= vocab)
      return fail(llvm::formatv(
          "prompt token {0} is outside the vocabulary [0, {1})", id, vocab));
  if ((int64_t)ids.size() + numTokens > contextLen)
    return fail(llvm::formatv("the prompt ({0} tokens) and -n {1} need {2} "
                              "positions, more than the context of {3} "
                              "(--context)",
                              ids.size(), numTokens, ids.size() + numTokens,
                              contextLen));
  return ids;
}

std::string tt::echoedPrompt(const Prompt &p, const rt::Tokenizer *tokenizer,
                             llvm::ArrayRef<int32_t> ids) {
  if (p.given == Prompt::Text)
    return p.text;
  if (tokenizer)
    return tokenizer->decode(ids);
  std::string text;
  for (size_t i = 0; i < ids.size(); ++i)
    text += (i ? " " : "") + std::to_string(ids[i]);
  return text;
}

bool tt::generate(const GenerateOptions &o,
                  const std::vector<Prompt> &prompts) {
  // --tp/--pp: this process's place in the run (one process by default).
  auto parallel = ParallelRun::create(o.tp, o.pp);
  if (!parallel)
    return error(llvm::toString(parallel.takeError()));
  ParallelRun &run = **parallel;
  Progress progress;
  progress.quiet = !run.isLead();
  bool isDir = llvm::sys::fs::is_directory(o.modelPath);

  // Import: the model's metadata to tt IR, its stored tensors checked.
  mlir::MLIRContext mctx;
  {
    mlir::DialectRegistry registry;
    registerCPUTargetDialects(registry);
    mctx.appendDialectRegistry(registry);
  }
  // Errors and warnings (e.g. a weight tt-quantize keeps as it is) go to
  // stderr with their location; remarks too with --print-ir.
  mlir::ScopedDiagnosticHandler diagnostics(&mctx, [&](mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Remark && !o.printIR)
      return mlir::success();
    if (d.getSeverity() == mlir::DiagnosticSeverity::Note)
      return mlir::success();
    llvm::errs() << "\n" << where(d.getLocation()) << ": "
                 << (d.getSeverity() == mlir::DiagnosticSeverity::Error
                         ? "error"
                     : d.getSeverity() == mlir::DiagnosticSeverity::Warning
                         ? "warning"
                         : "remark")
                 << ": " << d.str();
    for (const mlir::Diagnostic &note : d.getNotes())
      if (!llvm::StringRef(note.str()).starts_with("see current operation"))
        llvm::errs() << "\n" << where(note.getLocation()) << ": note: "
                     << note.str();
    return mlir::success();
  });
  mctx.getOrLoadDialect<TTDialect>();
  mctx.getOrLoadDialect<mlir::func::FuncDialect>();
  progress.start("importing " + o.modelPath);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      isDir ? importHFConfig(mctx, o.modelPath, familiesDirFor(o))
            : importGGUF(mctx, o.modelPath, familiesDirFor(o));
  if (!module) {
    llvm::errs() << "\n";
    return error("cannot import " + o.modelPath);
  }
  progress.done();

  // Passes the user asked for (a hardware configuration), before lowering.
  if (!o.passes.empty()) {
    std::string pipeline = o.passes;
    if (!llvm::StringRef(pipeline).starts_with("builtin.module("))
      pipeline = "builtin.module(" + pipeline + ")";
    progress.start("running " + pipeline);
    mlir::PassManager pm(&mctx);
    std::string why;
    llvm::raw_string_ostream whyOS(why);
    // pm already runs on the module: parse what is inside builtin.module(..)
    // (parsed whole, it would nest and run on modules inside this one).
    llvm::StringRef inner = llvm::StringRef(pipeline)
                                .drop_front(sizeof("builtin.module(") - 1)
                                .drop_back();
    if (mlir::failed(mlir::parsePassPipeline(inner, pm, whyOS))) {
      llvm::errs() << "\n";
      return error("--passes: " + why);
    }
    if (mlir::failed(pm.run(*module))) {
      llvm::errs() << "\n";
      return error("--passes: the pipeline failed on " + o.modelPath);
    }
    progress.done();
  }
  if (o.printIR) {
    module->print(llvm::errs());
    llvm::errs() << "\n";
  }

  if (llvm::Error err = run.partition(*module))
    return error(llvm::toString(std::move(err)));

  // Several prompts: decoded together (Batch.h) unless the run cannot be.
  int64_t slots = batchSlots(o, prompts.size());
  if (slots > 1 && o.numTokens > 0) {
    std::string blocker =
        run.isParallel()
            ? "batched decoding runs in one process, not under --tp/--pp"
        : !o.dumpLogits.empty()
            ? "--dump-logits writes the sequential path's rows"
            : "";
    if (!blocker.empty()) {
      if (o.batch > 1)
        return error("--batch " + llvm::Twine(o.batch) + ": " + blocker +
                     "; use --batch 1");
      slots = 1; // the default: one prompt after the other
    }
  } else {
    slots = 1;
  }
  if (slots > 1)
    module->getOperation()->setAttr(kDecodeBatchAttrName,
                                    mlir::UnitAttr::get(&mctx));

  // Tokenizer (optional with --prompt-ids).
  std::unique_ptr<rt::Tokenizer> tokenizer;
  {
    auto tok = rt::Tokenizer::fromModel(o.modelPath);
    if (tok) {
      tokenizer = std::move(*tok);
    } else {
      std::string why = llvm::toString(tok.takeError());
      for (const Prompt &p : prompts)
        if (p.given == Prompt::Text)
          return error("the model has no usable tokenizer (" + why +
                       "); give the prompt as --prompt-ids");
    }
  }

  // Compile.
  progress.start("compiling for this CPU");
  JITOptions jit;
  jit.symbols["ttrt_weight"] = reinterpret_cast<void *>(&ttrt_weight);
  jit.symbols["ttrt_kv_cache"] = reinterpret_cast<void *>(&ttrt_kv_cache);
  run.addSymbols(jit);
  jit.cacheDir = o.cacheDir;
  jit.passTiming = o.timeCompile;
  jit.optLevel = o.optLevel;
  auto compiled = JITModel::compile(*module, jit);
  if (!compiled) {
    llvm::errs() << "\n";
    return error(llvm::toString(compiled.takeError()));
  }
  std::unique_ptr<JITModel> model = std::move(*compiled);
  const ModelLayout &layout = model->layout();
  progress.done(llvm::formatv("{0} layers, {1} weights", layout.layers.size(),
                              layout.weightNames.size())
                    .str(),
                model->cacheEntry().empty() ? ""
                : model->loadedFromCache()
                    ? "[cached: " + model->cacheEntry() + "]"
                    : "[new cache entry: " + model->cacheEntry() + "]");
  for (const std::string &warning : model->cacheWarnings())
    llvm::errs() << "tt-run: warning: " << warning << "\n";
  if (o.timeCompile) {
    const CompileStats &s = model->stats();
    llvm::errs() << "tt-run: compile stages, wall (CPU) seconds:";
    const char *sep = " ";
    for (auto [name, t] :
         {std::pair{"cache key", s.cacheKey}, {"tt-to-cpu-pipeline", s.lower},
          {"to LLVM IR", s.translate}, {"LLVM optimisation", s.optimize},
          {"code generation", s.codegen}, {"loading", s.load}}) {
      llvm::errs() << llvm::formatv("{0}{1} {2:F3} ({3:F3})", sep, name,
                                    t.wall, t.cpu);
      sep = ", ";
    }
    llvm::errs() << "\n" << model->passTimingReport();
  }

  // Weights: mapped, bound by name; the KV cache.
  progress.start("mapping weights");
  auto store = WeightStore::open(o.modelPath);
  if (!store) {
    llvm::errs() << "\n";
    return error(llvm::toString(store.takeError()));
  }
  uint64_t weightBytes = (*store)->getTotalBytes();
  int64_t contextLen = o.context;
  if (contextLen <= 0)
    contextLen = layout.maxPositions > 0
                     ? std::min<int64_t>(layout.maxPositions, 4096)
                     : 4096;
  std::vector<KVCacheShape> shapes = run.kvShapes(layout);
  auto created =
      ttrt_context::create(std::move(*store), shapes, contextLen, slots);
  if (!created) {
    llvm::errs() << "\n";
    return error(llvm::toString(created.takeError()));
  }
  std::unique_ptr<ttrt_context> ctx = std::move(*created);
  run.attach(*ctx); // before binding: it picks this rank's shards
  if (llvm::Error err = ctx->bindAll(layout.weightNames)) {
    llvm::errs() << "\n";
    return error(llvm::toString(std::move(err)));
  }
  progress.done(llvm::formatv("{0:F1} MB of weights, {1:F1} MB of KV cache "
                              "for {2} positions",
                              weightBytes / 1e6, ctx->getCacheBytes() / 1e6,
                              contextLen)
                    .str());

  ttrt_set_num_threads(o.threads);
  // Generation samples from the prompt's last row; --dump-logits wants every
  // row. The same on every rank, as collectives over logits need.
  ctx->setLastLogitsOnly(o.dumpLogits.empty());
  const int64_t vocab = run.vocabSize(); // the last stage's logits
  std::vector<float> logits;
  std::unique_ptr<llvm::raw_fd_ostream> dump;
  if (!o.dumpLogits.empty() && run.isSampler()) {
    std::error_code ec;
    dump = std::make_unique<llvm::raw_fd_ostream>(o.dumpLogits, ec);
    if (ec)
      return error("--dump-logits: cannot write " + o.dumpLogits + ": " +
                   ec.message());
  }
  auto dumpRows = [&](int64_t rows) {
    if (dump)
      dump->write(reinterpret_cast<const char *>(logits.data()),
                  rows * vocab * sizeof(float));
  };
  int64_t prefillTokens = 0, decodeTokens = 0;
  double prefillSeconds = 0, decodeSeconds = 0;

  if (slots > 1) {
    GenerationStats batched;
    if (!generateBatched(o, prompts, *model, *ctx, tokenizer.get(), vocab,
                         contextLen, batched))
      return false;
    prefillTokens = batched.prefillTokens;
    decodeTokens = batched.decodeTokens;
    prefillSeconds = batched.prefillSeconds;
    decodeSeconds = batched.decodeSeconds;
  }
  // The sequential path: one prompt after the other.
  for (size_t pi = 0; slots == 1 && pi < prompts.size(); ++pi) {
    const Prompt &p = prompts[pi];
    auto prepared =
        preparePrompt(p, tokenizer.get(), vocab, o.numTokens, contextLen);
    if (!prepared)
      return error(llvm::toString(prepared.takeError()));
    std::vector<int32_t> ids = std::move(*prepared);
    if (pi > 0)
      emit("\n");
    // stdout: exactly the prompt, then the continuation.
    emit(echoedPrompt(p, tokenizer.get(), ids));
    if (o.numTokens == 0)
      continue;

    ctx->resetCache();
    Sampler sampler(SamplerOptions{o.temperature, o.topK, o.topP, o.seed});
    const int64_t n = ids.size();
    logits.resize(n * vocab);
    auto t0 = Clock::now();
    model->prefill()(ctx.get(), ids.data(), n, 0, logits.data());
    prefillSeconds += secondsSince(t0);
    prefillTokens += n;
    const int64_t rows = ctx->logitRows(n); // the last rows, from logits[0]
    dumpRows(rows);

    int32_t prev = ids.back();
    int32_t next = run.agree(
        *ctx, sampler.sample(logits.data() + (rows - 1) * vocab, vocab));
    int64_t pos = n;
    auto d0 = Clock::now();
    for (int generated = 1;; ++generated) {
      if (tokenizer && !o.ignoreEos && tokenizer->isEog(next))
        break;
      if (tokenizer)
        emit(tokenizer->streamPiece(prev, next));
      else
        emit(" " + std::to_string(next));
      if (generated == o.numTokens)
        break;
      model->decode()(ctx.get(), &next, 1, pos++, logits.data());
      ++decodeTokens;
      dumpRows(1);
      prev = next;
      next = run.agree(*ctx, sampler.sample(logits.data(), vocab));
    }
    decodeSeconds += secondsSince(d0);
  }
  emit("\n");
  auto rate = [](int64_t n, double s) { return s > 0 ? n / s : 0.0; };
  if (run.isLead())
    llvm::errs() << llvm::formatv(
      "prefill: {0} tokens, {1:F2} tok/s; decode: {2} tokens, {3:F2} tok/s\n",
      prefillTokens, rate(prefillTokens, prefillSeconds), decodeTokens,
      rate(decodeTokens, decodeSeconds));
  return true;
}
