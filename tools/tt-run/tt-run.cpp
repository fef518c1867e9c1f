//===- tt-run.cpp - Compile a model for the CPU and generate text ---------===//
//
//   tt-run MODEL [--prompt TEXT | --prompt-file FILE | --prompt-ids "1 2 3"]
//          [-n N] [--temperature T] [--top-k K] [--top-p P] [--seed S]
//          [--threads N] [--context C] [--passes PIPELINE] [--print-ir]
//          [--dump-logits FILE] [--hardware FILE.yaml]
//          [--batch N]
//          [--cache-dir DIR | --no-cache] [--time-compile]
//   mpirun -np T*S tt-run MODEL --tp T --pp S ...   (tools/tt-run/Parallel.h)
//   tt-run MODEL --tokenize --prompt TEXT
//
// MODEL is a GGUF file or a HuggingFace model directory (config.json,
// safetensors, tokenizer.json). The model is imported to tt IR, compiled
// for this CPU (tt-to-cpu-pipeline, JIT), its weights are mmap'd and bound by
// name, and N tokens are generated. stdout gets exactly the prompt followed
// by the generated text; stderr gets progress and ends with the line
//   prefill: <n> tokens, <x> tok/s; decode: <m> tokens, <y> tok/s
//
//===----------------------------------------------------------------------===//

#include "Generate.h"
#include "Parallel.h"
#include "tt/InitAllPasses.h"
#include "mlir/Transforms/Passes.h"

#include "tt/Runtime/Tokenizer.h"
#include "tt/Target/CPU/CompileCache.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

namespace cl = llvm::cl;
using namespace tt;

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.gguf | HF model dir>"));
static cl::opt<std::string> prompt("prompt", cl::desc("prompt text"),
                                   cl::init(""));
static cl::opt<std::string>
    promptFile("prompt-file",
               cl::desc("file with one prompt per line (a batch)"),
               cl::init(""));
static cl::opt<std::string>
    promptIds("prompt-ids",
              cl::desc("the prompt as token ids (space separated); for "
                       "models without a tokenizer and for benchmarks"),
              cl::init(""));
static cl::opt<int> numTokens("n", cl::desc("tokens to generate"),
                              cl::init(128));
static cl::opt<float> temperature("temperature",
                                  cl::desc("sampling temperature (0: greedy)"),
                                  cl::init(0.8f));
static cl::opt<int> topK("top-k", cl::desc("top-k sampling (0: off)"),
                         cl::init(40));
static cl::opt<float> topP("top-p", cl::desc("top-p sampling (1: off)"),
                           cl::init(0.95f));
static cl::opt<uint64_t> seed("seed", cl::desc("sampling seed"),
                              cl::init(42));
static cl::opt<int64_t>
    contextLen("context",
               cl::desc("KV-cache length (default: the model's maximum, at "
                        "most 4096)"),
               cl::init(0));
static cl::opt<bool>
    tokenizeOnly("tokenize",
                 cl::desc("print the token ids of --prompt (no special "
                          "tokens) and exit"),
                 cl::init(false));
static cl::opt<bool> ignoreEos("ignore-eos",
                               cl::desc("do not stop at end-of-generation"),
                               cl::init(false));
static cl::opt<std::string>
    passes("passes",
           cl::desc("pass pipeline run on the imported model before "
                    "compiling, e.g. 'tt-quantize{format=q8_0}' or "
                    "'builtin.module(...)'"),
           cl::init(""));
static cl::opt<std::string>
    hardwareFile("hardware",
                 cl::desc("apply the hardware configuration in FILE.yaml "
                          "(tt-apply-hardware) before compiling; runs before "
                          "--passes"),
                 cl::value_desc("FILE.yaml"), cl::init(""));
static cl::opt<bool> printIR("print-ir",
                             cl::desc("print the model's IR after --passes "
                                      "to stderr"),
                             cl::init(false));
static cl::opt<std::string>
    dumpLogits("dump-logits",
               cl::desc("write every logits row (prefill rows, then one per "
                        "decode step) as raw f32 to FILE"),
               cl::value_desc("FILE"), cl::init(""));
static cl::opt<int>
    tensorParallel("tp",
                   cl::desc("tensor-parallel size: run under mpirun -np "
                            "tp*pp (tt-tensor-parallel)"),
                   cl::init(1));
static cl::opt<int>
    pipelineStages("pp",
                   cl::desc("pipeline stages: run under mpirun -np tp*pp "
                            "(tt-pipeline-parallel)"),
                   cl::init(1));
static cl::opt<int> batchSize(
    "batch",
    cl::desc("sequences of --prompt-file decoded together, each weight read "
             "once per step for all of them (default 0: all prompts, at most "
             "32; 1: one prompt after the other)"),
    cl::init(0));
static cl::opt<std::string> familiesDir("families-dir", cl::init(""),
                                        cl::desc("family descriptors"));
static cl::opt<std::string>
    cacheDir("cache-dir",
             cl::desc("keep compiled models in DIR and load them from there "
                      "(default: $TT_CACHE_DIR, else $XDG_CACHE_HOME/tt, else "
                      "~/.cache/tt)"),
             cl::value_desc("DIR"), cl::init(""));
static cl::opt<bool> noCache("no-cache",
                             cl::desc("compile without the compile cache "
                                      "(neither read nor write it)"),
                             cl::init(false));
static cl::opt<unsigned>
    optLevel("opt-level",
             cl::desc("LLVM optimisation level of the compiled code (0-3)"),
             cl::init(3));
static cl::opt<bool>
    timeCompile("time-compile",
                cl::desc("print where compilation spends its time (stages "
                         "and MLIR passes) to stderr"),
                cl::init(false));

static int fail(const llvm::Twine &msg) {
  llvm::errs() << "tt-run: error: " << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  // A library linked for the JIT registers its own `threads` option; tt-run's
  // --threads is the kernels' thread count, so that one is renamed.
  if (cl::Option *o = cl::getRegisteredOptions().lookup("threads"))
    o->setArgStr("llvm-threads");
  static cl::opt<int> threads("threads", cl::desc("threads of the kernels"),
                              cl::init(1));
  tt::registerAllPasses();
  mlir::registerTransformsPasses();
  cl::ParseCommandLineOptions(argc, argv, "tt: compile and run a model\n");
  if (!llvm::sys::fs::exists(modelPath))
    return fail("model '" + modelPath + "' does not exist");

  if (tokenizeOnly) {
    auto tok = rt::Tokenizer::fromModel(modelPath);
    if (!tok)
      return fail(llvm::toString(tok.takeError()));
    std::vector<int32_t> ids = (*tok)->encode(prompt, /*addSpecial=*/false);
    for (size_t i = 0; i < ids.size(); ++i)
      llvm::outs() << (i ? " " : "") << ids[i];
    llvm::outs() << "\n";
    return 0;
  }

  int given = !prompt.empty() + !promptFile.empty() + !promptIds.empty();
  if (given > 1)
    return fail("give at most one of --prompt, --prompt-file, --prompt-ids");
  if (numTokens < 0)
    return fail("-n must be at least 0");
  if (threads < 1)
    return fail("--threads must be at least 1");
  if (temperature < 0)
    return fail("--temperature must be at least 0");
  if (topP <= 0 || topP > 1)
    return fail("--top-p must be in (0, 1]");

  GenerateOptions opts;
  opts.modelPath = modelPath;
  opts.familiesDir = familiesDir;
  opts.numTokens = numTokens;
  opts.temperature = temperature;
  opts.topK = topK;
  opts.topP = topP;
  opts.seed = seed;
  opts.threads = threads;
  opts.context = contextLen;
  opts.ignoreEos = ignoreEos;
  opts.passes = passes;
  if (!hardwareFile.empty()) {
    if (!llvm::sys::fs::exists(hardwareFile))
      return fail("hardware file '" + hardwareFile + "' does not exist");
    std::string apply = "tt-apply-hardware{file=" + hardwareFile + "}";
    if (llvm::StringRef(opts.passes).starts_with("builtin.module("))
      opts.passes = "builtin.module(" + apply + "," +
                    opts.passes.substr(strlen("builtin.module("));
    else
      opts.passes = apply + (opts.passes.empty() ? "" : ",") + opts.passes;
  }
  opts.printIR = printIR;
  opts.dumpLogits = dumpLogits;
  if (tensorParallel < 1 || pipelineStages < 1)
    return fail("--tp and --pp must be at least 1");
  if (batchSize < 0)
    return fail("--batch must be at least 0");
  opts.batch = batchSize;
  opts.tp = tensorParallel;
  opts.pp = pipelineStages;
  if (!noCache)
    opts.cacheDir = cacheDir.empty() ? defaultCompileCacheDir() : cacheDir;
  opts.timeCompile = timeCompile;
  if (optLevel > 3)
    return fail("--opt-level must be 0, 1, 2 or 3");
  opts.optLevel = optLevel;

  std::vector<Prompt> prompts;
  if (!promptIds.empty()) {
    Prompt p;
    llvm::SmallVector<llvm::StringRef> parts;
    llvm::StringRef(promptIds).split(parts, ' ', -1, false);
    for (llvm::StringRef s : parts) {
      int32_t id;
      if (s.trim().getAsInteger(10, id))
        return fail("--prompt-ids: '" + s + "' is not a token id");
      p.ids.push_back(id);
    }
    p.given = Prompt::Ids;
    prompts.push_back(std::move(p));
  } else if (!promptFile.empty()) {
    auto buf = llvm::MemoryBuffer::getFile(promptFile);
    if (!buf)
      return fail("cannot read " + promptFile + ": " +
                  buf.getError().message());
    llvm::SmallVector<llvm::StringRef> lines;
    (*buf)->getBuffer().split(lines, '\n', -1, false);
    for (llvm::StringRef l : lines)
      prompts.push_back(Prompt{l.rtrim("\r").str()});
    if (prompts.empty())
      return fail(promptFile + " holds no prompt");
  } else {
    prompts.push_back(Prompt{prompt});
  }
  std::unique_ptr<rt::MPISession> mpi =
      startMPI(opts.tp, opts.pp, &argc, &argv);
  bool ok = generate(opts, prompts);
  // A process that fails alone would leave the others waiting in a
  // collective: end the whole run.
  if (!ok && mpi && mpi->worldSize() > 1)
    rt::abortRun(1);
  return ok ? 0 : 1;
}
