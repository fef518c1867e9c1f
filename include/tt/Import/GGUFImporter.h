//===- GGUFImporter.h - GGUF file importer -----------------------*- C++ -*-===//
#ifndef TT_IMPORT_GGUFIMPORTER_H
#define TT_IMPORT_GGUFIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

namespace tt {

/// Imports the GGUF file at `path` (v2 or v3): its metadata gives the
/// architecture, `<familiesDir>/gguf/<arch>.json` maps it to a model, and
/// its tensor infos give each weight's stored shape and type. Errors are
/// emitted as MLIR diagnostics; returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> importGGUF(mlir::MLIRContext &ctx,
                                             llvm::StringRef path,
                                             llvm::StringRef familiesDir);

} // namespace tt

#endif // TT_IMPORT_GGUFIMPORTER_H
