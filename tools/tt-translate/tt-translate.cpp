//===- tt-translate.cpp - Import models into the tt dialect ---------------===//
//
//   tt-translate --import-hf PATH | --import-gguf FILE | --import-spec FILE
//                [--families-dir DIR] [-o FILE]
//                [--gap-report-dir DIR [--gaps-dir DIR]] [--tensor-csv FILE]
//
// --gap-report-dir writes DIR/<kind>.md and DIR/<kind>.json for each distinct
// tt.unsupported kind, with guidance from data/gaps/<kind>.json (or
// --gaps-dir). --tensor-csv writes kind,name,shape,dtype rows, one per
// distinct weight.
//
// PATH is a HuggingFace config.json or a directory holding one; FILE a GGUF
// (v2/v3) whose architecture is described by DIR/gguf/<arch>.json, or a YAML
// model spec (docs/SpecFormat.md; its tensor naming schemes are the families
// in DIR). The module is
// verified before it is printed; errors are reported as diagnostics.
//
//===----------------------------------------------------------------------===//
#include "tt/Dialect/TT/IR/TTDialect.h"
#include "tt/Import/GGUFImporter.h"
#include "tt/Import/GapReport.h"
#include "tt/Import/HFImporter.h"
#include "tt/Import/SpecImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "mlir/Support/FileUtilities.h"

#ifndef TT_DATA_DIR
#define TT_DATA_DIR ""
#endif

namespace cl = llvm::cl;

static cl::opt<std::string> importHF("import-hf",
                                     cl::desc("import a HuggingFace config.json "
                                              "(or a directory holding one)"),
                                     cl::value_desc("path"));
static cl::opt<std::string>
    importGGUFFile("import-gguf", cl::desc("import a GGUF file (v2 or v3)"),
                   cl::value_desc("file"));
static cl::opt<std::string>
    importSpecFile("import-spec",
                   cl::desc("import a YAML model spec (docs/SpecFormat.md)"),
                   cl::value_desc("file"));
static cl::opt<std::string>
    familiesDir("families-dir",
                cl::desc("directory of family descriptions (<model_type>.json)"),
                cl::value_desc("dir"), cl::init(""));
static cl::opt<std::string> gapReportDir(
    "gap-report-dir",
    cl::desc("write <kind>.md and <kind>.json gap reports for each "
             "unsupported layer kind into this directory"),
    cl::value_desc("dir"), cl::init(""));
static cl::opt<std::string>
    gapsDir("gaps-dir",
            cl::desc("directory of per-kind gap guidance (<kind>.json)"),
            cl::value_desc("dir"), cl::init(""));
static cl::opt<std::string>
    tensorCSV("tensor-csv",
              cl::desc("write kind,name,shape,dtype rows for every weight"),
              cl::value_desc("file"), cl::init(""));
static cl::opt<std::string> outputFile("o", cl::desc("output file"),
                                       cl::value_desc("file"), cl::init("-"));

static std::string defaultDataSubdir(const char *argv0, llvm::StringRef sub) {
  std::string dataDir = TT_DATA_DIR;
  if (!dataDir.empty()) {
    llvm::SmallString<256> p(dataDir);
    llvm::sys::path::append(p, sub);
    if (llvm::sys::fs::is_directory(p))
      return std::string(p);
  }
  // <build>/bin/tt-translate -> <build>/../data/<sub>
  std::string exe =
      llvm::sys::fs::getMainExecutable(argv0, (void *)&defaultDataSubdir);
  llvm::SmallString<256> p(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(p, "..", "..", "data", sub);
  return std::string(p);
}

static std::string defaultFamiliesDir(const char *argv0) {
  return defaultDataSubdir(argv0, "families");
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "tt model importer\n");
  if (!importHF.empty() + !importGGUFFile.empty() + !importSpecFile.empty() !=
      1) {
    llvm::errs() << "tt-translate: give exactly one of --import-hf PATH, "
                    "--import-gguf FILE and --import-spec FILE\n";
    return 1;
  }
  std::string dir = familiesDir.empty() ? defaultFamiliesDir(argv[0])
                                        : std::string(familiesDir);
  mlir::MLIRContext ctx;
  ctx.getOrLoadDialect<tt::TTDialect>();
  ctx.getOrLoadDialect<mlir::func::FuncDialect>();
  // Diagnostics as "file:line:col: error: message" (compiler style).
  mlir::ScopedDiagnosticHandler handler(&ctx, [](mlir::Diagnostic &d) {
    auto print = [](mlir::Diagnostic &d) {
      auto &os = llvm::errs();
      mlir::Location l = d.getLocation();
      if (auto nl = llvm::dyn_cast<mlir::NameLoc>(l))
        l = nl.getChildLoc();
      if (auto fl = llvm::dyn_cast<mlir::FileLineColLoc>(l)) {
        os << fl.getFilename().getValue();
        if (fl.getLine())
          os << ":" << fl.getLine() << ":" << fl.getColumn();
        os << ": ";
      } else {
        os << d.getLocation() << ": ";
      }
      switch (d.getSeverity()) {
      case mlir::DiagnosticSeverity::Error: os << "error: "; break;
      case mlir::DiagnosticSeverity::Warning: os << "warning: "; break;
      case mlir::DiagnosticSeverity::Note: os << "note: "; break;
      case mlir::DiagnosticSeverity::Remark: os << "remark: "; break;
      }
      os << d << "\n";
    };
    print(d);
    for (auto &n : d.getNotes())
      print(n);
    return mlir::success();
  });
  auto module = !importHF.empty() ? tt::importHFConfig(ctx, importHF, dir)
                : !importGGUFFile.empty()
                    ? tt::importGGUF(ctx, importGGUFFile, dir)
                    : tt::importSpec(ctx, importSpecFile, dir);
  if (!module)
    return 1;
  if (mlir::failed(mlir::verify(*module))) {
    llvm::errs() << "tt-translate: the imported module does not verify\n";
    return 1;
  }
  if (!gapReportDir.empty()) {
    std::string gd = gapsDir.empty() ? defaultDataSubdir(argv[0], "gaps")
                                     : std::string(gapsDir);
    if (mlir::failed(tt::writeGapReports(*module, gapReportDir, gd)))
      return 1;
  }
  if (!tensorCSV.empty() &&
      mlir::failed(tt::writeTensorCSV(*module, tensorCSV)))
    return 1;
  std::string err;
  auto out = mlir::openOutputFile(outputFile, &err);
  if (!out) {
    llvm::errs() << err << "\n";
    return 1;
  }
  module->print(out->os(), mlir::OpPrintingFlags());
  out->os() << "\n";
  out->keep();
  return 0;
}
