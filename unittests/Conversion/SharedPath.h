//===- SharedPath.h - Locating ../shared and data/ for tests ----*- C++ -*-===//

#ifndef TT_UNITTESTS_CONVERSION_SHAREDPATH_H
#define TT_UNITTESTS_CONVERSION_SHAREDPATH_H

#include <cstdlib>
#include <string>

namespace tt::test {

/// The source tree: $TT_SOURCE_DIR, else where the test was built from.
inline std::string sourceDir() {
  if (const char *src = std::getenv("TT_SOURCE_DIR"))
    return src;
  return TT_SOURCE_DIR_DEFAULT;
}

/// $TT_SHARED_DIR, else <source>/../shared; `rel` appended.
inline std::string sharedPath(const std::string &rel) {
  if (const char *dir = std::getenv("TT_SHARED_DIR"))
    return std::string(dir) + "/" + rel;
  return sourceDir() + "/../shared/" + rel;
}

} // namespace tt::test

#endif // TT_UNITTESTS_CONVERSION_SHAREDPATH_H
