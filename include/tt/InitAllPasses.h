//===- InitAllPasses.h - Register tt's passes -------------------*- C++ -*-===//

#ifndef TT_INITALLPASSES_H
#define TT_INITALLPASSES_H

#include "tt/Conversion/Passes.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

namespace tt {
inline void registerAllPasses() {
  registerTTPasses();
  registerConversionPasses();
}
} // namespace tt

#endif // TT_INITALLPASSES_H
