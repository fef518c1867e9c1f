//===- CPUTarget.cpp - Compile tt models for the host CPU
//------------------===//

#include "tt/Target/CPU/CPUTarget.h"
#include "tt/Target/CPU/CompileCache.h"

#include "tt/Conversion/Passes.h"
#include "tt/Conversion/TTToLinalg/TTToLinalg.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Fusion.h"
#include "tt/InitAllDialects.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <ctime>

using namespace mlir;
using namespace tt;

namespace {

/// Wall and CPU seconds since construction.
class Stopwatch {
public:
  CompileStats::Time seconds() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                          t0)
                .count(),
            double(std::clock() - c0) / CLOCKS_PER_SEC};
  }

private:
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
};

/// The name a model is compiled under with a compile cache, whatever its
/// function is called (the importers name it after the model file), so that
/// models of the same shape share an entry.
constexpr StringLiteral kCachedModelName = "tt_model";

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The model functions of `module`: those with tt ops inside.
SmallVector<func::FuncOp> modelFunctions(ModuleOp module) {
  SmallVector<func::FuncOp> models;
  for (auto fn : module.getOps<func::FuncOp>()) {
    bool hasTT = false;
    fn.walk([&](Operation *op) {
      if (isa<TTDialect>(op->getDialect()))
        hasTT = true;
    });
    if (hasTT)
      models.push_back(fn);
  }
  return models;
}

void initializeNativeTarget() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
hostTargetMachine(unsigned optLevel) {
  initializeNativeTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(optLevel >= 3 ? llvm::CodeGenOptLevel::Aggressive
                              : optLevel == 2 ? llvm::CodeGenOptLevel::Default
                              : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                              : llvm::CodeGenOptLevel::None);
  auto tm = builder->createTargetMachine();
  if (!tm)
    return tm.takeError();
  return std::move(*tm);
}

/// Collects the diagnostics emitted while `fn` runs into an llvm::Error.
llvm::Error withDiagnostics(MLIRContext *ctx, StringRef what,
                            function_ref<LogicalResult()> fn) {
  std::string messages;
  llvm::raw_string_ostream os(messages);
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error ||
          diag.getSeverity() == DiagnosticSeverity::Warning) {
        os << diag.getLocation() << ": " << diag << "\n";
        for (Diagnostic &note : diag.getNotes())
          os << note.getLocation() << ": note: " << note << "\n";
      }
      return success();
    });
    result = fn();
  }
  if (succeeded(result))
    return llvm::Error::success();
  return makeError(
      what + " failed" +
      (messages.empty() ? "" : ":\n" + StringRef(messages).rtrim()));
}

/// Runs tt-to-cpu-pipeline; with `timingReport`, the passes' timing report
/// is written there.
llvm::Error lower(ModuleOp module, std::string *timingReport) {
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerCPUTargetDialects(registry);
  ctx->appendDialectRegistry(registry);
  std::optional<llvm::raw_string_ostream> reportStream;
  DefaultTimingManager timing;
  if (timingReport) {
    reportStream.emplace(*timingReport);
    timing.setEnabled(true);
    timing.setOutput(createOutputStrategy(DefaultTimingManager::OutputFormat::Text,
                                          *reportStream));
  }
  TimingScope root = timing.getRootScope();
  auto err = withDiagnostics(ctx, "tt-to-cpu-pipeline", [&] {
    PassManager pm(ctx);
    if (timingReport)
      pm.enableTiming(root);
    buildTTToCPUPipeline(pm);
    return pm.run(module);
  });
  root.stop();
  // `timing` writes its report when it is destroyed, before `reportStream`.
  return err;
}

/// LLVM-dialect module -> LLVM IR, optimised at `optLevel` for the host.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(ModuleOp module, llvm::LLVMContext &llvmCtx,
                     unsigned optLevel, CompileStats *stats) {
  auto tm = hostTargetMachine(optLevel);
  if (!tm)
    return tm.takeError();
  Stopwatch translating;
  std::unique_ptr<llvm::Module> llvmModule;
  if (auto err =
          withDiagnostics(module.getContext(), "translation to LLVM IR", [&] {
            llvmModule = translateModuleToLLVMIR(module, llvmCtx);
            return success(llvmModule != nullptr);
          }))
    return std::move(err);
  ExecutionEngine::setupTargetTripleAndDataLayout(llvmModule.get(), tm->get());
  if (stats)
    stats->translate = translating.seconds();
  Stopwatch optimizing;
  auto optimize = makeOptimizingTransformer(optLevel, 0, tm->get());
  if (auto err = optimize(llvmModule.get()))
    return std::move(err);
  if (stats)
    stats->optimize = optimizing.seconds();
  return std::move(llvmModule);
}

/// LLVM-dialect module -> a host object file in `object`.
llvm::Error emitObject(ModuleOp module, unsigned optLevel,
                       llvm::SmallVectorImpl<char> &object,
                       CompileStats *stats) {
  llvm::LLVMContext llvmCtx;
  auto llvmModule = translateAndOptimize(module, llvmCtx, optLevel, stats);
  if (!llvmModule)
    return llvmModule.takeError();
  auto tm = hostTargetMachine(optLevel);
  if (!tm)
    return tm.takeError();
  Stopwatch generating;
  llvm::raw_svector_ostream objectStream(object);
  llvm::legacy::PassManager codegen;
  if ((*tm)->addPassesToEmitFile(codegen, objectStream, nullptr,
                                 llvm::CodeGenFileType::ObjectFile))
    return makeError("the host target cannot emit object files");
  codegen.run(**llvmModule);
  if (stats)
    stats->codegen = generating.seconds();
  return llvm::Error::success();
}

llvm::Expected<OwningOpRef<ModuleOp>> lowerCopy(ModuleOp module) {
  OwningOpRef<ModuleOp> copy(module.clone());
  if (auto err = lowerToLLVMDialect(*copy))
    return std::move(err);
  return std::move(copy);
}

} // namespace

llvm::Expected<ModelLayout> tt::describeModel(ModuleOp module, StringRef name) {
  SmallVector<func::FuncOp> models = modelFunctions(module);
  func::FuncOp fn;
  if (!name.empty()) {
    for (auto m : models)
      if (m.getSymName() == name)
        fn = m;
    if (!fn)
      return makeError("no model function named '" + name + "' in the module");
  } else if (models.size() != 1) {
    return makeError("expected one model function in the module, found " +
                     llvm::Twine(models.size()) + "; name the one to compile");
  } else {
    fn = models.front();
  }

  ModelLayout layout;
  layout.name = fn.getSymName().str();
  if (auto max =
          fn->getAttrOfType<IntegerAttr>(TTDialect::getMaxPositionsAttrName()))
    layout.maxPositions = max.getInt();
  FunctionType type = fn.getFunctionType();
  if (type.getNumResults() == 1)
    if (auto logits = dyn_cast<RankedTensorType>(type.getResult(0)))
      layout.vocabSize = logits.getShape().back();
  llvm::StringSet<> seen;
  fn.walk([&](Operation *op) {
    if (auto w = dyn_cast<WeightOp>(op)) {
      for (const std::string &name : boundWeightNames(w))
        if (seen.insert(name).second)
          layout.weightNames.push_back(name);
    } else if (auto e = dyn_cast<EmbeddingOp>(op)) {
      layout.hiddenSize = e.getHiddenSize();
    } else if (auto l = dyn_cast<LayerOp>(op)) {
      if (layout.layers.size() <= l.getIndex())
        layout.layers.resize(l.getIndex() + 1);
      l.walk([&](AttentionOp a) {
        layout.layers[l.getIndex()] = {
            static_cast<int64_t>(a.getNumKvHeads()), a.getHeadDimOrDefault(),
            fusion::kvCacheTypeId(fusion::getKVCacheDtype(a))};
      });
    }
  });
  return layout;
}

void tt::registerCPUTargetDialects(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  tt::registerAllDialects(registry);
}

llvm::Error tt::lowerToLLVMDialect(ModuleOp module) {
  return lower(module, /*timingReport=*/nullptr);
}

llvm::Expected<std::unique_ptr<llvm::Module>>
tt::translateToLLVMIR(ModuleOp module, llvm::LLVMContext &llvmCtx,
                      unsigned optLevel) {
  return translateAndOptimize(module, llvmCtx, optLevel, nullptr);
}

llvm::Error tt::emitLLVMIR(ModuleOp module, llvm::raw_ostream &os,
                           unsigned optLevel) {
  auto lowered = lowerCopy(module);
  if (!lowered)
    return lowered.takeError();
  llvm::LLVMContext llvmCtx;
  auto llvmModule = translateToLLVMIR(**lowered, llvmCtx, optLevel);
  if (!llvmModule)
    return llvmModule.takeError();
  (*llvmModule)->print(os, nullptr);
  return llvm::Error::success();
}

llvm::Error tt::emitObjectFile(ModuleOp module, llvm::raw_ostream &os,
                               unsigned optLevel) {
  auto lowered = lowerCopy(module);
  if (!lowered)
    return lowered.takeError();
  llvm::SmallVector<char, 0> buffer;
  if (auto err = emitObject(**lowered, optLevel, buffer, nullptr))
    return err;
  os.write(buffer.data(), buffer.size());
  return llvm::Error::success();
}

JITModel::~JITModel() = default;

llvm::Expected<std::unique_ptr<JITModel>>
JITModel::compile(ModuleOp module, const JITOptions &options) {
  auto layout = describeModel(module, options.model);
  if (!layout)
    return layout.takeError();
  // Keep only the model being compiled.
  OwningOpRef<ModuleOp> copy(module.clone());
  for (auto fn : modelFunctions(*copy))
    if (fn.getSymName() != layout->name)
      fn.erase();

  // The runtime (TTRuntime, TTRuntimeKernels), bound by address so that the
  // executable need not export it; the caller's symbols take precedence.
  llvm::StringMap<void *> symbols;
  auto bind = [&](StringRef name, void *addr) { symbols[name] = addr; };
  bind("ttrt_matmul", reinterpret_cast<void *>(&ttrt_matmul));
  bind("ttrt_embedding", reinterpret_cast<void *>(&ttrt_embedding));
  bind("ttrt_to_f32", reinterpret_cast<void *>(&ttrt_to_f32));
  bind("ttrt_attention", reinterpret_cast<void *>(&ttrt_attention));
  bind("ttrt_weight", reinterpret_cast<void *>(&ttrt_weight));
  bind("ttrt_kv_cache", reinterpret_cast<void *>(&ttrt_kv_cache));
  bind("ttrt_logit_rows", reinterpret_cast<void *>(&ttrt_logit_rows));
  bind("ttrt_attention_kv", reinterpret_cast<void *>(&ttrt_attention_kv));
  bind("ttrt_attention_alibi",
       reinterpret_cast<void *>(&ttrt_attention_alibi));
  bind("ttrt_matmul_fused", reinterpret_cast<void *>(&ttrt_matmul_fused));
  // The batched decode step (tt.decode_batch, `<model>_decode_batch`).
  bind("ttrt_kv_cache_slots", reinterpret_cast<void *>(&ttrt_kv_cache_slots));
  bind("ttrt_attention_batch",
       reinterpret_cast<void *>(&ttrt_attention_batch));
  bind("ttrt_attention_batch_alibi",
       reinterpret_cast<void *>(&ttrt_attention_batch_alibi));
  for (const auto &entry : options.symbols)
    symbols[entry.getKey()] = entry.getValue();

  std::unique_ptr<JITModel> model(new JITModel());
  model->modelLayout = std::move(*layout);
  if (!options.cacheDir.empty()) {
    if (auto err = model->compileThroughCache(*copy, options, symbols))
      return std::move(err);
    return std::move(model);
  }

  Stopwatch lowering;
  if (auto err = lower(*copy, options.passTiming ? &model->timingReport : nullptr))
    return std::move(err);
  model->compileStats.lower = lowering.seconds();
  Stopwatch compiling;
  auto tm = hostTargetMachine(options.optLevel);
  if (!tm)
    return tm.takeError();
  auto optimize = makeOptimizingTransformer(options.optLevel, 0, tm->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = (*tm)->getOptLevel();
  engineOptions.enableGDBNotificationListener = false;
  engineOptions.enablePerfNotificationListener = false;
  {
    auto engine = ExecutionEngine::create(*copy, engineOptions, std::move(*tm));
    if (!engine)
      return engine.takeError();
    model->engine = std::move(*engine);
  }
  model->engine->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    for (const auto &entry : symbols)
      map[interner(entry.getKey())] = {
          llvm::orc::ExecutorAddr::fromPtr(entry.getValue()),
          llvm::JITSymbolFlags::Exported};
    return map;
  });
  model->symbolPrefix = model->modelLayout.name;
  // The first lookup optimises and generates the code.
  if (auto err = model->resolveEntryPoints())
    return std::move(err);
  model->compileStats.codegen = compiling.seconds();
  return std::move(model);
}

llvm::Error JITModel::compileThroughCache(
    ModuleOp module, const JITOptions &options,
    const llvm::StringMap<void *> &symbols) {
  auto fn = module.lookupSymbol<func::FuncOp>(modelLayout.name);
  if (!fn)
    return makeError("no model function named '" + modelLayout.name + "'");
  if (fn.getSymName() != kCachedModelName) {
    if (module.lookupSymbol(kCachedModelName))
      return makeError("the module already has a symbol named '" +
                       kCachedModelName + "'");
    if (failed(SymbolTable::replaceAllSymbolUses(
            fn, StringAttr::get(module.getContext(), kCachedModelName),
            module)))
      return makeError("cannot rename the model function");
    SymbolTable::setSymbolName(fn, kCachedModelName);
  }
  symbolPrefix = kCachedModelName.str();

  Stopwatch hashing;
  std::string key =
      compileCacheKey(module, hostCodegenTarget(options.optLevel));
  compileStats.cacheKey = hashing.seconds();
  CompileCache cache(options.cacheDir);
  Stopwatch loading;
  auto entry = cache.load(key);
  if (!entry) {
    warnings.push_back(llvm::toString(entry.takeError()) + "; compiling again");
  } else if (*entry) {
    std::string path = (*entry)->path;
    if (llvm::Error err = loadObject(std::move((*entry)->object), symbols)) {
      warnings.push_back(path + ": cannot load the cached code (" +
                         llvm::toString(std::move(err)) +
                         "); compiling again");
      objectJIT.reset();
    } else {
      compileStats.load = loading.seconds();
      cachePath = path;
      cacheHit = true;
      return llvm::Error::success();
    }
  }

  Stopwatch lowering;
  if (auto err = lower(module, options.passTiming ? &timingReport : nullptr))
    return err;
  compileStats.lower = lowering.seconds();
  llvm::SmallVector<char, 0> object;
  if (auto err = emitObject(module, options.optLevel, object, &compileStats))
    return err;
  llvm::StringRef bytes(object.data(), object.size());
  Stopwatch linking;
  if (auto err = loadObject(llvm::MemoryBuffer::getMemBufferCopy(bytes, key),
                            symbols))
    return err;
  compileStats.load = linking.seconds();
  // Only code that links is kept.
  std::vector<std::string> entryPoints = {symbolPrefix + "_prefill",
                                          symbolPrefix + "_decode",
                                          symbolPrefix + "_weight_names"};
  auto stored = cache.store(key, entryPoints, bytes);
  if (stored)
    cachePath = *stored;
  else
    warnings.push_back(llvm::toString(stored.takeError()));
  return llvm::Error::success();
}

llvm::Error JITModel::loadObject(std::unique_ptr<llvm::MemoryBuffer> object,
                                 const llvm::StringMap<void *> &symbols) {
  using namespace llvm::orc;
  initializeNativeTarget();
  auto builder = JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  // As mlir::ExecutionEngine links: RuntimeDyld, sections in this process.
  auto jit =
      LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*builder))
          .setObjectLinkingLayerCreator([](ExecutionSession &session)
                                            -> llvm::Expected<
                                                std::unique_ptr<ObjectLayer>> {
            return std::make_unique<RTDyldObjectLinkingLayer>(
                session, [](const llvm::MemoryBuffer &) {
                  return std::make_unique<llvm::SectionMemoryManager>();
                });
          })
          .create();
  if (!jit)
    return jit.takeError();
  // Link errors (an undefined symbol) become part of the lookup's error
  // instead of going to stderr.
  linkErrors = std::make_shared<std::string>();
  (*jit)->getExecutionSession().setErrorReporter(
      [errors = linkErrors](llvm::Error err) {
        *errors += (errors->empty() ? "" : "; ") + llvm::toString(std::move(err));
      });
  JITDylib &dylib = (*jit)->getMainJITDylib();
  const llvm::DataLayout &layout = (*jit)->getDataLayout();
  MangleAndInterner interner((*jit)->getExecutionSession(), layout);
  SymbolMap map;
  for (const auto &entry : symbols)
    map[interner(entry.getKey())] = {ExecutorAddr::fromPtr(entry.getValue()),
                                     llvm::JITSymbolFlags::Exported};
  if (auto err = dylib.define(absoluteSymbols(std::move(map))))
    return err;
  auto process = DynamicLibrarySearchGenerator::GetForCurrentProcess(
      layout.getGlobalPrefix());
  if (!process)
    return process.takeError();
  dylib.addGenerator(std::move(*process));
  if (auto err = (*jit)->addObjectFile(std::move(object)))
    return err;
  objectJIT = std::move(*jit);
  return resolveEntryPoints();
}

llvm::Expected<void *>
JITModel::lookupEntryPoint(llvm::StringRef suffix) const {
  std::string symbol = symbolPrefix + suffix.str();
  if (engine) {
    auto addr = engine->lookup(symbol);
    if (!addr)
      return makeError("JIT: cannot resolve '" + symbol +
                       "': " + llvm::toString(addr.takeError()));
    return *addr;
  }
  if (!objectJIT)
    return makeError("JIT: nothing is compiled");
  auto addr = objectJIT->lookup(symbol);
  if (!addr)
    return makeError("JIT: cannot resolve '" + symbol +
                     "': " + llvm::toString(addr.takeError()) +
                     (linkErrors->empty() ? "" : " (" + *linkErrors + ")"));
  return addr->toPtr<void *>();
}

llvm::Error JITModel::resolveEntryPoints() {
  auto prefill = lookupEntryPoint("_prefill");
  if (!prefill)
    return prefill.takeError();
  auto decode = lookupEntryPoint("_decode");
  if (!decode)
    return decode.takeError();
  auto names = lookupEntryPoint("_weight_names");
  if (!names)
    return names.takeError();
  prefillFn = reinterpret_cast<ModelStepFn>(*prefill);
  decodeFn = reinterpret_cast<ModelStepFn>(*decode);
  weightNamesFn = reinterpret_cast<const char *(*)()>(*names);
  return llvm::Error::success();
}

std::vector<std::string> JITModel::compiledWeightNames() const {
  std::vector<std::string> names;
  for (const char *p = weightNamesFn(); *p; p += strlen(p) + 1)
    names.emplace_back(p);
  return names;
}
