//===- DialectPlugin.cpp - Entry point of the ttx dialect plugin ----------===//
//
// tt-opt --load-dialect-plugin=lib/libTTExamplePlugin.so looks up this
// symbol and lets it add the ttx dialect to the registry.
//
//===----------------------------------------------------------------------===//

#include "TTExample/TTExampleDialect.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "TTExample", LLVM_VERSION_STRING,
          [](::mlir::DialectRegistry *registry) {
            registry->insert<::ttx::TTXDialect>();
          }};
}
