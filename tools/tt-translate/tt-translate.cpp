//===- tt-translate.cpp - Import models into the tt dialect ---------------===//
//
//   tt-translate --import-hf PATH [--families-dir DIR] [-o FILE]
//
// PATH is a HuggingFace config.json or a directory holding one. The module is
// verified before it is printed; errors are reported as diagnostics.
//
//===----------------------------------------------------------------------===//
#include "tt/Dialect/TT/IR/TTDialect.h"
#include "tt/Import/HFImporter.h"
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
    familiesDir("families-dir",
                cl::desc("directory of family descriptions (<model_type>.json)"),
                cl::value_desc("dir"), cl::init(""));
static cl::opt<std::string> outputFile("o", cl::desc("output file"),
                                       cl::value_desc("file"), cl::init("-"));

static std::string defaultFamiliesDir(const char *argv0) {
  std::string dataDir = TT_DATA_DIR;
  if (!dataDir.empty()) {
    llvm::SmallString<256> p(dataDir);
    llvm::sys::path::append(p, "families");
    if (llvm::sys::fs::is_directory(p))
      return std::string(p);
  }
  // <build>/bin/tt-translate -> <build>/../data/families
  std::string exe = llvm::sys::fs::getMainExecutable(argv0, (void *)&defaultFamiliesDir);
  llvm::SmallString<256> p(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(p, "..", "..", "data", "families");
  return std::string(p);
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "tt model importer\n");
  if (importHF.empty()) {
    llvm::errs() << "tt-translate: no import given (use --import-hf PATH)\n";
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
  auto module = tt::importHFConfig(ctx, importHF, dir);
  if (!module)
    return 1;
  if (mlir::failed(mlir::verify(*module))) {
    llvm::errs() << "tt-translate: the imported module does not verify\n";
    return 1;
  }
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
