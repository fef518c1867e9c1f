//===- HFImporter.h - HuggingFace config.json importer ------------*- C++ -*-===//
#ifndef TT_IMPORT_HFIMPORTER_H
#define TT_IMPORT_HFIMPORTER_H

#include "tt/Import/ModelBuilder.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace tt {

/// Imports a HuggingFace model from `path` (a config.json or a directory
/// holding one). The family is looked up by the config's `model_type` as
/// `<familiesDir>/<model_type>.json`. Errors are emitted as MLIR diagnostics;
/// returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> importHFConfig(mlir::MLIRContext &ctx,
                                                 llvm::StringRef path,
                                                 llvm::StringRef familiesDir);

/// The family descriptions (`<name>.json`) in `dir`, sorted by name.
std::vector<std::string> listFamilies(llvm::StringRef dir);

/// Imports the model `config` describes with the family description at
/// `familyPath` (shared by the HF and GGUF importers). `configText`, when
/// given, locates keys for diagnostics; `stored`, when given, are the
/// tensors the weights must match.
mlir::OwningOpRef<mlir::ModuleOp>
importWithFamily(mlir::MLIRContext &ctx, llvm::StringRef configPath,
                 llvm::StringRef configText, const llvm::json::Object &config,
                 llvm::StringRef familyPath, llvm::StringRef funcName,
                 const StoredTensors *stored = nullptr);

} // namespace tt

#endif // TT_IMPORT_HFIMPORTER_H
