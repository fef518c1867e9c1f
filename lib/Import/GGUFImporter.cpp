//===- GGUFImporter.cpp - GGUF metadata and tensor infos -> tt IR ---------===//
//
// A GGUF file names its architecture (`general.architecture`); the family
// description is data, <familiesDir>/gguf/<arch>.json, read by the same
// machinery as HuggingFace configs with the GGUF metadata as the config.
// Three keys are derived from the tensors: `vocab_size` (rows of
// token_embd.weight), `tied` (no output.weight) and `torch_dtype`. The
// tensor infos are the stored tensors: every weight must exist with the
// shape the spec gives, and keeps its stored type (F16, Q4_K, ...).
//
//===----------------------------------------------------------------------===//

#include "tt/Import/GGUFImporter.h"
#include "tt/Import/GGUFReader.h"
#include "tt/Import/HFImporter.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
namespace json = llvm::json;

namespace tt {

/// The tt element type of a ggml type.
static Type getElementType(MLIRContext &ctx, const GGMLType &type) {
  StringRef name = type.name;
  if (name == "f32")
    return Float32Type::get(&ctx);
  if (name == "f16")
    return Float16Type::get(&ctx);
  if (name == "bf16")
    return BFloat16Type::get(&ctx);
  if (name == "f64")
    return Float64Type::get(&ctx);
  if (name.consume_front("i")) {
    unsigned bits = 0;
    if (!name.getAsInteger(10, bits))
      return IntegerType::get(&ctx, bits);
  }
  if (std::optional<QuantKind> kind = symbolizeQuantKind(type.name))
    return QuantType::get(&ctx, *kind);
  return {};
}

OwningOpRef<ModuleOp> importGGUF(MLIRContext &ctx, StringRef path,
                                 StringRef familiesDir) {
  Location loc = FileLineColLoc::get(&ctx, path, 0, 0);
  llvm::Expected<GGUFFile> file = readGGUF(path);
  if (!file) {
    emitError(loc) << llvm::toString(file.takeError());
    return nullptr;
  }
  const json::Value *archValue = file->lookup("general.architecture");
  std::optional<StringRef> arch =
      archValue ? archValue->getAsString() : std::nullopt;
  if (!arch) {
    emitError(loc) << path
                   << " has no string 'general.architecture' metadata";
    return nullptr;
  }

  // The metadata is the config; tokenizer arrays are not architecture.
  json::Object config;
  for (const auto &[key, value] : file->metadata)
    if (value.kind() != json::Value::Array)
      config[key] = value;
  config["model_type"] = *arch;
  const GGUFTensorInfo *embd = file->findTensor("token_embd.weight");
  if (embd && embd->ne.size() == 2 && !config.get("vocab_size"))
    config["vocab_size"] = embd->getShape()[0];
  config["tied"] = !file->findTensor("output.weight");
  if (embd) {
    StringRef t = embd->type.name;
    config["torch_dtype"] = t == "f16"    ? "float16"
                            : t == "bf16" ? "bfloat16"
                                          : "float32";
  }

  llvm::SmallString<256> familyDir(familiesDir);
  llvm::sys::path::append(familyDir, "gguf");
  llvm::SmallString<256> familyPath(familyDir);
  llvm::sys::path::append(familyPath, *arch + ".json");
  if (!llvm::sys::fs::exists(familyPath)) {
    emitError(loc) << "unknown GGUF architecture '" << *arch << "' in " << path
                   << "; known: "
                   << llvm::join(listFamilies(familyDir), ", ")
                   << ". To add one, write " << familyPath
                   << " (see docs/AddingAFamily.md)";
    return nullptr;
  }

  StoredTensors stored;
  stored.source = path.str();
  for (const GGUFTensorInfo &t : file->tensors) {
    Type element = getElementType(ctx, t.type);
    if (!element) {
      emitError(loc) << "tensor '" << t.name << "' in " << path
                     << " has ggml type " << t.type.name
                     << ", which tt has no element type for";
      return nullptr;
    }
    stored.tensors[t.name] = {t.getShape(), element};
    stored.files[t.name] = path.str();
  }
  std::string name = llvm::sys::path::stem(path).str();
  return importWithFamily(ctx, path, /*configText=*/"", config, familyPath,
                          name, &stored);
}

} // namespace tt
