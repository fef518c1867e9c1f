//===- SharedPath.h - Locating ../shared for the tokenizer tests -*- C++
//-*-===//

#ifndef TT_UNITTESTS_TOKENIZER_SHAREDPATH_H
#define TT_UNITTESTS_TOKENIZER_SHAREDPATH_H

#include <cstdlib>
#include <string>

namespace tt::test {

/// $TT_SHARED_DIR, else $TT_SOURCE_DIR/../shared, else the source tree's
/// ../shared; `rel` appended.
inline std::string sharedPath(const std::string &rel) {
  if (const char *dir = std::getenv("TT_SHARED_DIR"))
    return std::string(dir) + "/" + rel;
  if (const char *src = std::getenv("TT_SOURCE_DIR"))
    return std::string(src) + "/../shared/" + rel;
  return std::string(TT_SOURCE_DIR_DEFAULT) + "/../shared/" + rel;
}

} // namespace tt::test

#endif
