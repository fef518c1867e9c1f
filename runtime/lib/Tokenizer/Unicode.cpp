//===- Unicode.cpp - Code point properties for the tokenizers -------------===//

#include "Unicode.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

using namespace tt::rt;
using namespace tt::rt::unicode;

namespace {
struct CategoryRange {
  uint32_t first, last;
  uint8_t category;
};
struct DecompEntry {
  uint32_t cp;
  uint32_t offset;
  uint32_t length;
};
} // namespace

#include "UnicodeTables.inc"

const char *unicode::version() { return kUnicodeVersion; }

static const std::array<uint8_t, 128> &asciiCategories() {
  static const std::array<uint8_t, 128> table = [] {
    std::array<uint8_t, 128> t{};
    for (const CategoryRange &r : kCategoryRanges) {
      if (r.first >= 128)
        break;
      for (uint32_t c = r.first; c <= r.last && c < 128; ++c)
        t[c] = r.category;
    }
    return t;
  }();
  return table;
}

GeneralCategory unicode::category(uint32_t cp) {
  if (cp < 128)
    return GeneralCategory(asciiCategories()[cp]);
  const CategoryRange *begin = std::begin(kCategoryRanges);
  const CategoryRange *end = std::end(kCategoryRanges);
  const CategoryRange *it =
      std::upper_bound(begin, end, cp, [](uint32_t v, const CategoryRange &r) {
        return v < r.first;
      });
  if (it == begin)
    return Cn;
  --it;
  return cp <= it->last ? GeneralCategory(it->category) : Cn;
}

uint32_t unicode::categoryMask(llvm::StringRef name) {
  static const char *const names[NumCategories] = {
      "Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd",
      "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm",
      "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"};
  if (name == "L" || name == "Letter")
    return kLetter;
  if (name == "M" || name == "Mark")
    return kMark;
  if (name == "N" || name == "Number")
    return kNumber;
  if (name == "P" || name == "Punctuation")
    return kPunct;
  if (name == "S" || name == "Symbol")
    return kSymbol;
  if (name == "Z" || name == "Separator")
    return kSeparator;
  if (name == "C" || name == "Other")
    return kOther;
  for (unsigned i = 0; i < NumCategories; ++i)
    if (name == names[i])
      return 1u << i;
  return 0;
}

bool unicode::isWhitespace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool unicode::isWordChar(uint32_t cp) {
  return inCategories(cp, kLetter | kMark | bit(Nd) | bit(Pc));
}

uint32_t unicode::toLower(uint32_t cp) {
  if (cp < 128)
    return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  const auto *begin = std::begin(kLowerMap), *end = std::end(kLowerMap);
  const auto *it =
      std::lower_bound(begin, end, cp, [](const uint32_t(&e)[2], uint32_t v) {
        return e[0] < v;
      });
  return (it != end && (*it)[0] == cp) ? (*it)[1] : cp;
}

uint32_t unicode::toUpper(uint32_t cp) {
  if (cp < 128)
    return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
  // Rare outside ASCII in the patterns that ask for it; a linear scan of the
  // lowercase map is enough.
  for (const auto &e : kLowerMap)
    if (e[1] == cp)
      return e[0];
  return cp;
}

void unicode::appendNFD(uint32_t cp, std::vector<uint32_t> &out) {
  // Hangul syllables decompose algorithmically (Unicode 3.12).
  constexpr uint32_t SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161,
                     TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28,
                     NCount = VCount * TCount, SCount = LCount * NCount;
  if (cp >= SBase && cp < SBase + SCount) {
    uint32_t s = cp - SBase;
    out.push_back(LBase + s / NCount);
    out.push_back(VBase + (s % NCount) / TCount);
    if (s % TCount)
      out.push_back(TBase + s % TCount);
    return;
  }
  if (cp < 0xC0) {
    out.push_back(cp);
    return;
  }
  const DecompEntry *begin = std::begin(kDecompIndex),
                    *end = std::end(kDecompIndex);
  const DecompEntry *it =
      std::lower_bound(begin, end, cp, [](const DecompEntry &e, uint32_t v) {
        return e.cp < v;
      });
  if (it == end || it->cp != cp) {
    out.push_back(cp);
    return;
  }
  out.insert(out.end(), kDecompPool + it->offset,
             kDecompPool + it->offset + it->length);
}

uint8_t unicode::combiningClass(uint32_t cp) {
  if (cp < 0x300)
    return 0;
  const CategoryRange *begin = std::begin(kCombiningClass);
  const CategoryRange *end = std::end(kCombiningClass);
  const CategoryRange *it =
      std::upper_bound(begin, end, cp, [](uint32_t v, const CategoryRange &r) {
        return v < r.first;
      });
  if (it == begin)
    return 0;
  --it;
  return cp <= it->last ? it->category : 0;
}

std::vector<uint32_t> unicode::toNFD(const std::vector<uint32_t> &cps) {
  std::vector<uint32_t> out;
  out.reserve(cps.size());
  for (uint32_t c : cps)
    appendNFD(c, out);
  // Canonical ordering: stable sort of each run of non-starters by class.
  for (size_t i = 0; i < out.size();) {
    if (combiningClass(out[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < out.size() && combiningClass(out[j]) != 0)
      ++j;
    std::stable_sort(out.begin() + i, out.begin() + j,
                     [](uint32_t a, uint32_t b) {
                       return combiningClass(a) < combiningClass(b);
                     });
    i = j;
  }
  return out;
}

/// The primary composite of a + b, or 0.
static uint32_t compose(uint32_t a, uint32_t b) {
  constexpr uint32_t SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161,
                     TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28,
                     NCount = VCount * TCount, SCount = LCount * NCount;
  if (a >= LBase && a < LBase + LCount && b >= VBase && b < VBase + VCount)
    return SBase + ((a - LBase) * VCount + (b - VBase)) * TCount;
  if (a >= SBase && a < SBase + SCount && (a - SBase) % TCount == 0 &&
      b > TBase && b < TBase + TCount)
    return a + (b - TBase);
  const auto *begin = std::begin(kCompositions), *end = std::end(kCompositions);
  const auto *it = std::lower_bound(
      begin, end, std::make_pair(a, b),
      [](const uint32_t(&e)[3], const std::pair<uint32_t, uint32_t> &v) {
        return std::make_pair(e[0], e[1]) < v;
      });
  return (it != end && (*it)[0] == a && (*it)[1] == b) ? (*it)[2] : 0;
}

std::vector<uint32_t> unicode::toNFC(const std::vector<uint32_t> &cps) {
  std::vector<uint32_t> d = toNFD(cps);
  std::vector<uint32_t> out;
  out.reserve(d.size());
  size_t starter = SIZE_MAX;
  for (uint32_t c : d) {
    uint8_t ccc = combiningClass(c);
    if (starter != SIZE_MAX) {
      // Blocked when a character between the starter and c has class 0 or
      // a class not below c's (classes between are ordered already).
      bool adjacent = out.size() - 1 == starter;
      uint8_t last = adjacent ? 0 : combiningClass(out.back());
      if (adjacent || (last != 0 && last < ccc)) {
        if (uint32_t comp = compose(out[starter], c)) {
          out[starter] = comp;
          continue;
        }
      }
    }
    if (ccc == 0)
      starter = out.size();
    out.push_back(c);
  }
  return out;
}

unsigned unicode::utf8Length(uint8_t b) {
  if (b < 0x80)
    return 1;
  if ((b & 0xE0) == 0xC0)
    return 2;
  if ((b & 0xF0) == 0xE0)
    return 3;
  if ((b & 0xF8) == 0xF0)
    return 4;
  return 1;
}

void unicode::decodeUTF8(llvm::StringRef text, std::vector<uint32_t> &cps,
                         std::vector<size_t> &offsets) {
  cps.clear();
  offsets.clear();
  cps.reserve(text.size());
  offsets.reserve(text.size() + 1);
  const auto *s = reinterpret_cast<const uint8_t *>(text.data());
  size_t n = text.size(), i = 0;
  while (i < n) {
    offsets.push_back(i);
    uint8_t b = s[i];
    unsigned len = utf8Length(b);
    uint32_t cp = 0xFFFD;
    bool ok = len > 1 && i + len <= n;
    if (len == 1) {
      ok = b < 0x80;
      cp = ok ? b : 0xFFFD;
    } else if (ok) {
      cp = b & (0xFF >> (len + 1));
      for (unsigned k = 1; k < len && ok; ++k) {
        if ((s[i + k] & 0xC0) != 0x80)
          ok = false;
        cp = (cp << 6) | (s[i + k] & 0x3F);
      }
      // Overlong forms, surrogates and values past U+10FFFF are invalid.
      static const uint32_t minimum[5] = {0, 0, 0x80, 0x800, 0x10000};
      if (ok && (cp < minimum[len] || cp > 0x10FFFF ||
                 (cp >= 0xD800 && cp <= 0xDFFF)))
        ok = false;
    }
    if (!ok) {
      cps.push_back(0xFFFD);
      ++i;
      continue;
    }
    cps.push_back(cp);
    i += len;
  }
  offsets.push_back(n);
}

std::vector<uint32_t> unicode::decodeUTF8(llvm::StringRef text) {
  std::vector<uint32_t> cps;
  std::vector<size_t> offsets;
  decodeUTF8(text, cps, offsets);
  return cps;
}

void unicode::appendUTF8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}
