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

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  tt::registerAllDialects(registry);
  tt::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "tt optimizer driver\n", registry));
}
