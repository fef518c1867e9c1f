//===- HFImporter.h - HuggingFace config.json importer ------------*- C++ -*-===//
#ifndef TT_IMPORT_HFIMPORTER_H
#define TT_IMPORT_HFIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

namespace tt {

/// Imports a HuggingFace model from `path` (a config.json or a directory
/// holding one). The family is looked up by the config's `model_type` as
/// `<familiesDir>/<model_type>.json`. Errors are emitted as MLIR diagnostics;
/// returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> importHFConfig(mlir::MLIRContext &ctx,
                                                 llvm::StringRef path,
                                                 llvm::StringRef familiesDir);

} // namespace tt

#endif // TT_IMPORT_HFIMPORTER_H
