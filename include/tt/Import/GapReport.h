//===- GapReport.h - Gap reports and tensor lists for imports ---*- C++ -*-===//
//
// After an import, two by-products describe what was imported:
//
// - a gap report per distinct `tt.unsupported` kind (`<kind>.md` and
//   `<kind>.json`): where the kind occurs, the tensors and configuration of
//   one instance, and - from `<gaps-dir>/<kind>.json` - what tt lacks to
//   support it, how it is parallelised, references and the tests an
//   implementation needs;
// - a tensor CSV (`kind,name,shape,dtype`), one row per distinct tt.weight.
//
//===----------------------------------------------------------------------===//
#ifndef TT_IMPORT_GAPREPORT_H
#define TT_IMPORT_GAPREPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace tt {

/// Builds the JSON gap report of every distinct unsupported kind in
/// `module`, in order of first occurrence. `gapsDir` holds the per-kind
/// guidance files (`<kind>.json`); a kind without one gets a report that
/// says no guidance is recorded.
std::vector<llvm::json::Object> buildGapReports(mlir::ModuleOp module,
                                                llvm::StringRef gapsDir);

/// Renders one report (as built by buildGapReports) as Markdown.
std::string renderGapReportMarkdown(const llvm::json::Object &report);

/// Writes `<outDir>/<kind>.md` and `<outDir>/<kind>.json` for every
/// unsupported kind, creating `outDir`, and prints one note per report to
/// stderr. Errors are emitted as diagnostics on the module.
mlir::LogicalResult writeGapReports(mlir::ModuleOp module,
                                    llvm::StringRef outDir,
                                    llvm::StringRef gapsDir);

/// Writes `kind,name,shape,dtype` rows, one per distinct tt.weight name in
/// IR order, to `file` ("-" for stdout).
mlir::LogicalResult writeTensorCSV(mlir::ModuleOp module, llvm::StringRef file);

} // namespace tt

#endif // TT_IMPORT_GAPREPORT_H
