//===- CPUTarget.cpp - Compile tt models for the host CPU
//------------------===//

#include "tt/Target/CPU/CPUTarget.h"

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
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace tt;

namespace {

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

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
hostTargetMachine(unsigned optLevel) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
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
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerCPUTargetDialects(registry);
  ctx->appendDialectRegistry(registry);
  return withDiagnostics(ctx, "tt-to-cpu-pipeline", [&] {
    PassManager pm(ctx);
    buildTTToCPUPipeline(pm);
    return pm.run(module);
  });
}

llvm::Expected<std::unique_ptr<llvm::Module>>
tt::translateToLLVMIR(ModuleOp module, llvm::LLVMContext &llvmCtx,
                      unsigned optLevel) {
  auto tm = hostTargetMachine(optLevel);
  if (!tm)
    return tm.takeError();
  std::unique_ptr<llvm::Module> llvmModule;
  if (auto err =
          withDiagnostics(module.getContext(), "translation to LLVM IR", [&] {
            llvmModule = translateModuleToLLVMIR(module, llvmCtx);
            return success(llvmModule != nullptr);
          }))
    return std::move(err);
  ExecutionEngine::setupTargetTripleAndDataLayout(llvmModule.get(), tm->get());
  auto optimize = makeOptimizingTransformer(optLevel, 0, tm->get());
  if (auto err = optimize(llvmModule.get()))
    return std::move(err);
  return std::move(llvmModule);
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
  llvm::LLVMContext llvmCtx;
  auto llvmModule = translateToLLVMIR(**lowered, llvmCtx, optLevel);
  if (!llvmModule)
    return llvmModule.takeError();
  auto tm = hostTargetMachine(optLevel);
  if (!tm)
    return tm.takeError();
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream bufferStream(buffer);
  llvm::legacy::PassManager codegen;
  if ((*tm)->addPassesToEmitFile(codegen, bufferStream, nullptr,
                                 llvm::CodeGenFileType::ObjectFile))
    return makeError("the host target cannot emit object files");
  codegen.run(**llvmModule);
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
  if (auto err = lowerToLLVMDialect(*copy))
    return std::move(err);

  auto tm = hostTargetMachine(options.optLevel);
  if (!tm)
    return tm.takeError();
  auto optimize = makeOptimizingTransformer(options.optLevel, 0, tm->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = (*tm)->getOptLevel();
  engineOptions.enableGDBNotificationListener = false;
  engineOptions.enablePerfNotificationListener = false;
  std::unique_ptr<JITModel> model(new JITModel());
  model->modelLayout = std::move(*layout);
  {
    auto engine = ExecutionEngine::create(*copy, engineOptions, std::move(*tm));
    if (!engine)
      return engine.takeError();
    model->engine = std::move(*engine);
  }
  model->engine->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    auto bind = [&](StringRef name, void *addr) {
      map[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(addr),
                             llvm::JITSymbolFlags::Exported};
    };
    // The runtime (TTRuntime, TTRuntimeKernels), bound by address so that
    // the executable need not export it.
    bind("ttrt_matmul", reinterpret_cast<void *>(&ttrt_matmul));
    bind("ttrt_embedding", reinterpret_cast<void *>(&ttrt_embedding));
    bind("ttrt_to_f32", reinterpret_cast<void *>(&ttrt_to_f32));
    bind("ttrt_attention", reinterpret_cast<void *>(&ttrt_attention));
    bind("ttrt_weight", reinterpret_cast<void *>(&ttrt_weight));
    bind("ttrt_kv_cache", reinterpret_cast<void *>(&ttrt_kv_cache));
    bind("ttrt_attention_kv", reinterpret_cast<void *>(&ttrt_attention_kv));
    bind("ttrt_attention_alibi",
         reinterpret_cast<void *>(&ttrt_attention_alibi));
    bind("ttrt_matmul_fused", reinterpret_cast<void *>(&ttrt_matmul_fused));
    for (const auto &entry : options.symbols)
      map[interner(entry.getKey())] = {
          llvm::orc::ExecutorAddr::fromPtr(entry.getValue()),
          llvm::JITSymbolFlags::Exported};
    return map;
  });

  auto lookup = [&](const std::string &symbol) -> llvm::Expected<void *> {
    auto addr = model->engine->lookup(symbol);
    if (!addr)
      return makeError("JIT: cannot resolve '" + symbol +
                       "': " + llvm::toString(addr.takeError()));
    return *addr;
  };
  const std::string &name = model->modelLayout.name;
  auto prefill = lookup(name + "_prefill");
  if (!prefill)
    return prefill.takeError();
  auto decode = lookup(name + "_decode");
  if (!decode)
    return decode.takeError();
  auto names = lookup(name + "_weight_names");
  if (!names)
    return names.takeError();
  model->prefillFn = reinterpret_cast<ModelStepFn>(*prefill);
  model->decodeFn = reinterpret_cast<ModelStepFn>(*decode);
  model->weightNamesFn = reinterpret_cast<const char *(*)()>(*names);
  return std::move(model);
}

std::vector<std::string> JITModel::compiledWeightNames() const {
  std::vector<std::string> names;
  for (const char *p = weightNamesFn(); *p; p += strlen(p) + 1)
    names.emplace_back(p);
  return names;
}
