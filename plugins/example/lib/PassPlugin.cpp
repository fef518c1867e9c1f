//===- PassPlugin.cpp - Entry point of the ttx pass plugin ----------------===//
//
// tt-opt --load-pass-plugin=lib/libTTExamplePassPlugin.so looks up this
// symbol and lets it register ttx's passes. Passes registered this way are
// named in --pass-pipeline (their own --flags are parsed before the plugin
// loads).
//
//===----------------------------------------------------------------------===//

#include "TTExample/Passes.h"

#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "TTExamplePasses", LLVM_VERSION_STRING,
          []() { ::ttx::registerTTXPasses(); }};
}
