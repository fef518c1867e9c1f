//===- tt-opt.cpp - mlir-opt with tt registered ---------------------------===//
//
// All upstream dialects, extensions and passes plus tt's; loads dialect and
// pass plugins with --load-dialect-plugin / --load-pass-plugin.
//
//===----------------------------------------------------------------------===//

#include "tt/InitAllDialects.h"
#include "tt/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

int main(int argc, char **argv) {
  // `--tt-hardware=FILE.yaml` is short for `--tt-apply-hardware=file=FILE`.
  std::vector<std::string> rewritten;
  rewritten.reserve(argc); // the pointers taken below must stay valid
  std::vector<char *> args(argv, argv + argc);
  for (char *&arg : args) {
    llvm::StringRef a(arg);
    if (a.consume_front("--tt-hardware=") || a.consume_front("-tt-hardware=")) {
      rewritten.push_back("--tt-apply-hardware=file=" + a.str());
      arg = rewritten.back().data();
    }
  }
  argv = args.data();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  tt::registerAllDialects(registry);
  tt::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "tt optimizer driver\n", registry));
}
