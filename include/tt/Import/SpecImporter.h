//===- SpecImporter.h - YAML model spec importer -----------------*- C++
//-*-===//
//
// A model spec is a YAML file with seed 001's ModelSpec fields: uniform
// fields for every layer plus per-layer overrides selected by index, range
// or period (docs/SpecFormat.md). It is read into a tt::ModelSpec and built
// by the same ModelBuilder as the HF and GGUF importers.
//
//===----------------------------------------------------------------------===//
#ifndef TT_IMPORT_SPECIMPORTER_H
#define TT_IMPORT_SPECIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

namespace tt {

/// Imports the YAML model spec at `path`. Named tensor-naming schemes
/// (`tensor_names: hf-llama`, `gguf-llama`) are the `tensors` blocks of
/// `<familiesDir>/<family>.json` and `<familiesDir>/gguf/<arch>.json`.
/// Errors are emitted as MLIR diagnostics at the offending YAML node
/// (file:line:col) and null is returned; the IR's locations point at the
/// YAML nodes each op comes from.
mlir::OwningOpRef<mlir::ModuleOp> importSpec(mlir::MLIRContext &ctx,
                                             llvm::StringRef path,
                                             llvm::StringRef familiesDir);

} // namespace tt

#endif // TT_IMPORT_SPECIMPORTER_H
