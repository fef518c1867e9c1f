//===- ApplyHardware.cpp - The tt-apply-hardware pass ---------------------===//
//
// Reads a hardware configuration (the module's tt.hardware, or a YAML file
// that replaces it), derives the pipeline of hardware passes it asks for and
// runs it on the module.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTAttributes.h"
#include "tt/Dialect/TT/IR/TTDialect.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/raw_ostream.h"

namespace tt {
#define GEN_PASS_DEF_TTAPPLYHARDWARE
#include "tt/Dialect/TT/Transforms/Passes.h.inc"
} // namespace tt

using namespace mlir;
using namespace tt;

namespace {

/// The hardware configuration as the file gives it, before it becomes a
/// tt.hardware attribute.
struct HardwareSpec {
  std::string device = "cpu";
  int64_t tensorParallel = 1, pipelineParallel = 1;
  Type weightDtype, kvCacheDtype;
  bool quantizeWeights = false, quantizeActivations = false;
  bool flashAttention = true, fusedKernels = true;
  bool activationCheckpointing = false, optimizeForInference = true;
  /// Extra options per pass section (`quantize: {exclude: lm_head}`), as
  /// `key=value` pairs in the pass's own option syntax.
  llvm::StringMap<std::string> extraOptions;

  static HardwareSpec of(HardwareAttr hw) {
    HardwareSpec s;
    s.device = hw.getDevice().str();
    s.tensorParallel = hw.getTensorParallel();
    s.pipelineParallel = hw.getPipelineParallel();
    s.weightDtype = hw.getWeightDtype();
    s.kvCacheDtype = hw.getKvCacheDtype();
    s.quantizeWeights = hw.getQuantizeWeights();
    s.quantizeActivations = hw.getQuantizeActivations();
    s.flashAttention = hw.getFlashAttention();
    s.fusedKernels = hw.getFusedKernels();
    s.activationCheckpointing = hw.getActivationCheckpointing();
    s.optimizeForInference = hw.getOptimizeForInference();
    return s;
  }
  HardwareAttr toAttr(function_ref<InFlightDiagnostic()> emitError,
                      MLIRContext *ctx) const {
    return HardwareAttr::getChecked(
        emitError, ctx, StringRef(device), tensorParallel, pipelineParallel, weightDtype,
        quantizeWeights, quantizeActivations, kvCacheDtype, flashAttention,
        fusedKernels, activationCheckpointing, optimizeForInference);
  }
};

/// Reads a hardware YAML file; errors are emitted at FILE:line:col.
class HardwareFileReader {
public:
  HardwareFileReader(MLIRContext *ctx, StringRef path) : ctx(ctx), path(path) {}

  FailureOr<HardwareSpec> read() {
    std::string why;
    auto buf = llvm::MemoryBuffer::getFile(path);
    if (!buf)
      return emitError(UnknownLoc::get(ctx))
             << "cannot read hardware file '" << path
             << "': " << buf.getError().message(),
             failure();
    sm.AddNewSourceBuffer(std::move(*buf), llvm::SMLoc());
    llvm::yaml::Stream stream(
        sm.getMemoryBuffer(sm.getMainFileID())->getMemBufferRef(), sm,
        /*ShowColors=*/false);
    // YAML syntax errors: reported by the stream, turned into diagnostics.
    sm.setDiagHandler(
        [](const llvm::SMDiagnostic &d, void *self) {
          auto *r = static_cast<HardwareFileReader *>(self);
          r->error(d.getLoc(), d.getMessage());
        },
        this);
    auto doc = stream.begin();
    if (doc == stream.end() || failed)
      return fail(llvm::SMLoc(), "the hardware file is empty");
    auto *root = dyn_cast_or_null<llvm::yaml::MappingNode>(doc->getRoot());
    if (failed)
      return failure();
    if (!root)
      return fail(doc->getRoot() ? doc->getRoot()->getSourceRange().Start
                                 : llvm::SMLoc(),
                  "the hardware file must be a mapping of "
                  "configuration keys");
    HardwareSpec spec;
    for (llvm::yaml::KeyValueNode &kv : *root) {
      std::string key = scalar(kv.getKey());
      if (failed)
        return failure();
      llvm::yaml::Node *value = kv.getValue();
      if (!readKey(key, kv.getKey(), value, spec) || failed)
        return failure();
    }
    if (failed)
      return failure();
    return spec;
  }

private:
  Location locOf(llvm::SMLoc at) {
    if (!at.isValid())
      return FileLineColLoc::get(ctx, path, 0, 0);
    auto [line, col] = sm.getLineAndColumn(at);
    return FileLineColLoc::get(ctx, path, line, col);
  }
  void error(llvm::SMLoc at, const Twine &msg) {
    failed = true;
    mlir::emitError(locOf(at)) << msg;
  }
  FailureOr<HardwareSpec> fail(llvm::SMLoc at, const Twine &msg) {
    error(at, msg);
    return failure();
  }
  llvm::SMLoc start(llvm::yaml::Node *n) {
    return n ? n->getSourceRange().Start : llvm::SMLoc();
  }
  std::string scalar(llvm::yaml::Node *n) {
    auto *s = dyn_cast_or_null<llvm::yaml::ScalarNode>(n);
    if (!s) {
      error(start(n), "expected a single value here");
      return "";
    }
    llvm::SmallString<32> storage;
    return s->getValue(storage).str();
  }
  bool integer(llvm::yaml::Node *n, StringRef key, int64_t &out) {
    std::string v = scalar(n);
    if (failed)
      return false;
    if (StringRef(v).getAsInteger(10, out) || out < 1) {
      error(start(n), "'" + key + "' must be a positive integer, not '" + v +
                          "'");
      return false;
    }
    return true;
  }
  bool boolean(llvm::yaml::Node *n, StringRef key, bool &out) {
    std::string v = scalar(n);
    if (failed)
      return false;
    std::optional<bool> b = llvm::StringSwitch<std::optional<bool>>(v)
                                .Cases({"true", "yes", "on"}, true)
                                .Cases({"false", "no", "off"}, false)
                                .Default(std::nullopt);
    if (!b) {
      error(start(n), "'" + key + "' must be true or false, not '" + v + "'");
      return false;
    }
    out = *b;
    return true;
  }
  /// A type as the file spells it: `bf16`, `i8`, `f8E4M3FN`, a !tt.quant
  /// kind (`q4_0`), or any type in MLIR syntax.
  bool type(llvm::yaml::Node *n, StringRef key, Type &out) {
    std::string v = scalar(n);
    if (failed)
      return false;
    size_t read = 0;
    Type t;
    {
      // The parser's own complaints are replaced by one error below.
      ScopedDiagnosticHandler quiet(ctx,
                                    [](Diagnostic &) { return success(); });
      if (!StringRef(v).starts_with("!") && !StringRef(v).contains('<')) {
        // Builtin short names first, then a tt.quant kind.
        t = parseType(v, ctx, &read, /*isKnownNullTerminated=*/false);
        if (!t || read != v.size())
          t = parseType("!tt.quant<" + v + ">", ctx);
      } else {
        t = parseType(v, ctx);
      }
    }
    if (!t) {
      error(start(n), "'" + key + "': '" + v +
                          "' is not a type (f32, f16, bf16, i8, i4, f8E4M3FN, "
                          "a !tt.quant kind such as q8_0, or an MLIR type)");
      return false;
    }
    out = t;
    return true;
  }
  bool section(llvm::yaml::Node *n, StringRef key, HardwareSpec &spec) {
    auto *m = dyn_cast_or_null<llvm::yaml::MappingNode>(n);
    if (!m) {
      error(start(n), "'" + key + "' must be a mapping of the pass's options");
      return false;
    }
    std::string &opts = spec.extraOptions[key];
    for (llvm::yaml::KeyValueNode &kv : *m) {
      std::string k = scalar(kv.getKey());
      if (failed)
        return false;
      std::string v;
      if (auto *seq = dyn_cast_or_null<llvm::yaml::SequenceNode>(kv.getValue())) {
        for (llvm::yaml::Node &item : *seq) {
          std::string s = scalar(&item);
          if (failed)
            return false;
          v += (v.empty() ? "" : ",") + s;
        }
      } else {
        v = scalar(kv.getValue());
        if (failed)
          return false;
      }
      std::replace(k.begin(), k.end(), '_', '-');
      opts += (opts.empty() ? "" : " ") + k + "=" + v;
    }
    return true;
  }
  bool readKey(StringRef key, llvm::yaml::Node *keyNode, llvm::yaml::Node *v,
               HardwareSpec &spec) {
    if (key == "device") {
      spec.device = scalar(v);
      return !failed;
    }
    if (key == "tensor_parallel")
      return integer(v, key, spec.tensorParallel);
    if (key == "pipeline_parallel")
      return integer(v, key, spec.pipelineParallel);
    if (key == "weight_dtype")
      return type(v, key, spec.weightDtype);
    if (key == "kv_cache_dtype")
      return type(v, key, spec.kvCacheDtype);
    if (key == "quantize_weights")
      return boolean(v, key, spec.quantizeWeights);
    if (key == "quantize_activations")
      return boolean(v, key, spec.quantizeActivations);
    if (key == "flash_attention")
      return boolean(v, key, spec.flashAttention);
    if (key == "fused_kernels")
      return boolean(v, key, spec.fusedKernels);
    if (key == "activation_checkpointing")
      return boolean(v, key, spec.activationCheckpointing);
    if (key == "optimize_for_inference")
      return boolean(v, key, spec.optimizeForInference);
    if (key == "quantize" || key == "kv_cache" || key == "fuse" ||
        key == "tensor_parallel_options" || key == "pipeline_parallel_options")
      return section(v, key, spec);
    error(start(keyNode),
          "unknown key '" + key +
              "' (expected device, tensor_parallel, pipeline_parallel, "
              "weight_dtype, kv_cache_dtype, quantize_weights, "
              "quantize_activations, flash_attention, fused_kernels, "
              "activation_checkpointing, optimize_for_inference, or a pass "
              "section: quantize, kv_cache, fuse, tensor_parallel_options, "
              "pipeline_parallel_options)");
    return false;
  }

  MLIRContext *ctx;
  std::string path;
  llvm::SourceMgr sm;
  bool failed = false;
};

/// tt-quantize's options (`format=...`) for a weight dtype, or "" when the
/// dtype asks for no quantization (a float type: the weights are used as
/// stored), or "?" when no format matches.
std::string quantizeFormat(Type t) {
  if (!t || isa<FloatType>(t) && !isa<Float8E4M3FNType>(t))
    return "";
  if (isa<Float8E4M3FNType>(t))
    return "format=fp8";
  if (t.isSignlessInteger(8))
    return "format=int8";
  if (t.isSignlessInteger(4))
    return "format=int4";
  if (auto q = dyn_cast<QuantType>(t)) {
    std::string f = "format=" + stringifyQuantKind(q.getKind()).str();
    if (QuantType::isGroupWise(q.getKind())) {
      if (q.getGroup())
        f += " group-size=" + std::to_string(q.getGroup());
      if (q.getAsym())
        f += " symmetric=false";
    }
    return f;
  }
  return "?";
}

std::string kvCacheDtypeName(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

struct ApplyHardwarePass
    : public tt::impl::TTApplyHardwareBase<ApplyHardwarePass> {
  using TTApplyHardwareBase::TTApplyHardwareBase;

  /// The passes this one may run create ops of other dialects (shard), which
  /// must be loaded before the pipeline runs.
  void getDependentDialects(DialectRegistry &registry) const override {
    TTApplyHardwareBase::getDependentDialects(registry);
    std::string ignored;
    llvm::raw_string_ostream os(ignored);
    FailureOr<OpPassManager> all = parsePassPipeline(
        "builtin.module(tt-tensor-parallel,tt-pipeline-parallel,tt-quantize,"
        "tt-kv-cache,tt-fuse)",
        os);
    if (succeeded(all))
      all->getDependentDialects(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    HardwareSpec spec;
    if (!file.empty()) {
      HardwareFileReader reader(ctx, file);
      FailureOr<HardwareSpec> read = reader.read();
      if (failed(read))
        return signalPassFailure();
      spec = std::move(*read);
      HardwareAttr attr = spec.toAttr(
          [&] {
            return mlir::emitError(FileLineColLoc::get(ctx, file, 0, 0))
                   << "in hardware file: ";
          },
          ctx);
      if (!attr)
        return signalPassFailure();
      module->setAttr("tt.hardware", attr);
    } else if (auto hw = module->getAttrOfType<HardwareAttr>("tt.hardware")) {
      spec = HardwareSpec::of(hw);
    } else {
      module.emitError("no hardware configuration: the module has no "
                       "tt.hardware attribute and no file= was given");
      return signalPassFailure();
    }

    std::string format = quantizeFormat(spec.weightDtype);
    if (format == "?") {
      module.emitError() << "weight_dtype " << spec.weightDtype
                         << " has no tt-quantize format";
      return signalPassFailure();
    }
    SmallVector<std::string> passes;
    auto add = [&](StringRef pass, StringRef section, std::string opts) {
      std::string extra = spec.extraOptions.lookup(section);
      if (!extra.empty())
        opts += (opts.empty() ? "" : " ") + extra;
      passes.push_back(opts.empty() ? pass.str()
                                    : (pass + "{" + opts + "}").str());
    };
    if (spec.tensorParallel > 1)
      add("tt-tensor-parallel", "tensor_parallel_options",
          "tp=" + std::to_string(spec.tensorParallel));
    if (spec.pipelineParallel > 1)
      add("tt-pipeline-parallel", "pipeline_parallel_options",
          "pp=" + std::to_string(spec.pipelineParallel));
    if (!format.empty())
      add("tt-quantize", "quantize", format);
    if (spec.kvCacheDtype)
      add("tt-kv-cache", "kv_cache",
          "dtype=" + kvCacheDtypeName(spec.kvCacheDtype));
    if (spec.fusedKernels)
      add("tt-fuse", "fuse", "");
    std::string pipeline = "builtin.module(" + llvm::join(passes, ",") + ")";
    if (printPipeline)
      llvm::errs() << "tt-apply-hardware: " << pipeline << "\n";
    if (passes.empty())
      return;

    std::string why;
    llvm::raw_string_ostream whyOS(why);
    FailureOr<OpPassManager> pm = parsePassPipeline(pipeline, whyOS);
    if (failed(pm)) {
      module.emitError() << "cannot build the pipeline " << pipeline << ": "
                         << why;
      return signalPassFailure();
    }
    if (failed(runPipeline(*pm, module)))
      return signalPassFailure();
  }
};

} // namespace
