//===- Regex.h - Backtracking regexes over code points ------------*- C++
//-*-===//
//
// The pre-tokenizer patterns of llama.cpp and HuggingFace tokenizers need
// Unicode classes (\p{L}, \p{N}, ...), lookahead and first-alternative-wins
// backtracking (the semantics of Oniguruma, Python's `regex` and
// std::regex's ECMAScript grammar). This is a small engine for that subset:
// alternation, groups ((...), (?:...), (?i:...)), lookahead ((?=...),
// (?!...)), classes with ranges, negation, \p{..}/\P{..}, \s \S \d \D \w \W,
// anchors ^ $ \b \B, and greedy, lazy and possessive quantifiers.
//
// Repetitions of a single character class run without recursion; a repeated
// multi-character group recurses once per repetition, and nesting is bounded
// (a few thousand levels) so that a group repeated over a very long stretch
// of text cannot overflow the stack: past the bound that attempt fails, and a
// greedy repetition then matches fewer repetitions (the stretch is split into
// several bounded matches). Ordinary text never comes near the bound.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_TOKENIZER_REGEX_H
#define TT_RUNTIME_TOKENIZER_REGEX_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tt::rt {

class Regex {
public:
  struct Program;

  /// Compiles `pattern` (UTF-8); errors name the offset in the pattern.
  static llvm::Expected<Regex> compile(llvm::StringRef pattern);

  Regex(Regex &&);
  Regex &operator=(Regex &&);
  ~Regex();

  /// Splits subject[begin, end) into the matches of this regex and the text
  /// between them (HuggingFace's "Isolated" split behaviour), appending
  /// [start, end) pairs in order. Matching sees only [begin, end): `^`, `$`,
  /// lookahead and \b stop at its edges. Empty matches are skipped.
  void split(llvm::ArrayRef<uint32_t> subject, size_t begin, size_t end,
             std::vector<std::pair<size_t, size_t>> &out) const;

  /// Whether the regex matches at `pos`; the end of the match in `matchEnd`.
  bool matchAt(llvm::ArrayRef<uint32_t> subject, size_t begin, size_t end,
               size_t pos, size_t &matchEnd) const;

  const std::string &pattern() const;

private:
  explicit Regex(std::unique_ptr<Program> program);
  std::unique_ptr<Program> program;
};

} // namespace tt::rt

#endif // TT_RUNTIME_TOKENIZER_REGEX_H
