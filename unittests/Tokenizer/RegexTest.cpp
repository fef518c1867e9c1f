//===- RegexTest.cpp - The pre-tokenizer regex engine ---------------------===//

#include "Regex.h"
#include "PreTokenizers.h"
#include "Unicode.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

using namespace tt::rt;
namespace u = tt::rt::unicode;

namespace {

/// The pieces `pattern` splits `text` into (matches and the gaps between).
std::vector<std::string> split(const char *pattern, llvm::StringRef text) {
  auto re = Regex::compile(pattern);
  EXPECT_TRUE(static_cast<bool>(re)) << llvm::toString(re.takeError());
  if (!re)
    return {};
  std::vector<uint32_t> cps;
  std::vector<size_t> offsets;
  u::decodeUTF8(text, cps, offsets);
  std::vector<std::pair<size_t, size_t>> pieces;
  re->split(cps, 0, cps.size(), pieces);
  std::vector<std::string> out;
  for (auto [b, e] : pieces)
    out.push_back(text.slice(offsets[b], offsets[e]).str());
  return out;
}

using V = std::vector<std::string>;

TEST(Regex, GPT2Pattern) {
  const char *gpt2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| "
                     "?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
  EXPECT_EQ(split(gpt2, "Hello world's  3 🦙!"),
            (V{"Hello", " world", "'s", " ", " 3", " 🦙!"}));
  // \s+(?!\S) leaves the last space for the word; a lone "\n" before a
  // letter matches nothing and stays a gap of its own.
  EXPECT_EQ(split(gpt2, "a   b\nc"), (V{"a", "  ", " b", "\n", "c"}));
  EXPECT_EQ(split(gpt2, "нещо на"), (V{"нещо", " на"}));
}

// Llama 3's pattern, by its GGUF name; the pieces are those of the ids in
// llama.cpp's test-tokenizer-0 comments (9906 "Hello", 11 ",", 379 " y",
// 65948 "'all", ... 9263 "131", 18136 "415", 16 "1").
TEST(Regex, Llama3Pieces) {
  std::optional<PreTokenizerSpec> spec = lookupPreTokenizer("llama-bpe");
  ASSERT_TRUE(spec.has_value());
  ASSERT_EQ(spec->regexes.size(), 1u);
  EXPECT_TRUE(spec->ignoreMerges);
  EXPECT_TRUE(spec->addBos);
  EXPECT_EQ(split(spec->regexes[0].c_str(),
                  "Hello, y'all! How are you 😁 ?我想在apple工作1314151天～"),
            (V{"Hello", ",", " y", "'all", "!", " How", " are", " you", " 😁",
               " ?", "我想在apple工作", "131", "415", "1", "天", "～"}));
  EXPECT_EQ(split(spec->regexes[0].c_str(), "    Hello\n\n x"),
            (V{"   ", " Hello", "\n\n", " x"}));
  std::optional<PreTokenizerSpec> qwen = lookupPreTokenizer("qwen2");
  ASSERT_TRUE(qwen.has_value());
  EXPECT_EQ(split(qwen->regexes[0].c_str(), "x=1234"),
            (V{"x", "=", "1", "2", "3", "4"}));
  EXPECT_FALSE(lookupPreTokenizer("no-such-pre").has_value());
}

// Every pre-tokenizer name llama.cpp writes that tt knows compiles.
TEST(Regex, KnownPreTokenizersCompile) {
  for (const char *name : {"default",     "gpt-2",        "llama-bpe",
                           "dbrx",        "deepseek-llm", "deepseek-coder",
                           "deepseek-v3", "falcon",       "starcoder",
                           "refact",      "qwen2",        "qwen35",
                           "poro-chat",   "viking",       "chatglm-bpe",
                           "tekken",      "gpt-4o",       "seed-coder",
                           "bailingmoe",  "tiny_aya",     "ufakzeka",
                           "laguna",      "minicpm5",     "jais-2",
                           "exaone-moe",  "spark2_5",     "hunyuan-dense",
                           "mellum2",     "smollm",       "olmo",
                           "mpt"}) {
    std::optional<PreTokenizerSpec> spec = lookupPreTokenizer(name);
    ASSERT_TRUE(spec.has_value()) << name;
    EXPECT_FALSE(spec->regexes.empty()) << name;
    for (const std::string &re : spec->regexes) {
      auto compiled = Regex::compile(re);
      EXPECT_TRUE(static_cast<bool>(compiled))
          << name << ": " << llvm::toString(compiled.takeError());
    }
  }
  std::optional<PreTokenizerSpec> aya = lookupPreTokenizer("tiny_aya");
  EXPECT_EQ(split(aya->regexes[0].c_str(), "x 1234567"),
            (V{"x ", "1", "234", "567"}));
  std::optional<PreTokenizerSpec> gpt4o = lookupPreTokenizer("gpt-4o");
  EXPECT_EQ(split(gpt4o->regexes[0].c_str(), "HelloWORLD's 12345"),
            (V{"Hello", "WORLD's", " ", "123", "45"}));
}

TEST(Regex, Classes) {
  EXPECT_EQ(split("[0-9]{1,3}", "12345a"), (V{"123", "45", "a"}));
  EXPECT_EQ(split("\\p{N}", "x٣2"), (V{"x", "٣", "2"}));
  EXPECT_EQ(split("[^\\s\\p{L}]+", "ab,.  c!"), (V{"ab", ",.", "  c", "!"}));
  EXPECT_EQ(split("\\P{L}+", "ab12c"), (V{"ab", "12", "c"}));
  EXPECT_EQ(split("[\\x{4E00}-\\x{9FA5}]+", "a我想b"), (V{"a", "我想", "b"}));
  EXPECT_EQ(split("\\p{Lu}\\p{Ll}*", "HelloWorld"), (V{"Hello", "World"}));
  EXPECT_EQ(split("[\\p{P}\\$]+", "a$,b"), (V{"a", "$,", "b"}));
  EXPECT_EQ(split("\\w+", "é_1 x"), (V{"é_1", " ", "x"}));
  EXPECT_EQ(split("\\d+|\\D", "a12"), (V{"a", "12"}));
}

TEST(Regex, GroupsAndQuantifiers) {
  EXPECT_EQ(split("(?i:'s|'ll)", "X'S'Ll"), (V{"X", "'S", "'Ll"}));
  EXPECT_EQ(split("a(?=b)", "aab"), (V{"a", "a", "b"}));
  EXPECT_EQ(split("a+?", "aaa"), (V{"a", "a", "a"}));
  EXPECT_EQ(split("(?:ab)+", "ababa"), (V{"abab", "a"}));
  EXPECT_EQ(split("a{2,}", "aaaaba"), (V{"aaaa", "ba"}));
  // Possessive: no backtracking into the run, so "a++a" never matches.
  EXPECT_EQ(split("a++a", "aaa"), (V{"aaa"}));
  EXPECT_EQ(split("a+a", "aaa"), (V{"aaa"}));
  EXPECT_EQ(split("\\s+$", "a  "), (V{"a", "  "}));
  EXPECT_EQ(split("^a", "aa"), (V{"a", "a"}));
  EXPECT_EQ(split("\\b\\w", "ab cd"), (V{"a", "b ", "c", "d"}));
  EXPECT_EQ(split("\\d{1,3}(?=(?:\\d{3})*\\b)", "1234567"),
            (V{"1", "234", "567"}));
}

TEST(Regex, DeepGroupRepetitionDoesNotCrash) {
  // 100000 repetitions of a two-character group: far past the recursion
  // bound. Instead of overflowing the stack, the greedy repetition gives
  // back what it cannot nest, so the run is matched in bounded pieces.
  std::string text;
  for (int i = 0; i < 100000; ++i)
    text += "ab";
  std::vector<std::string> pieces = split("(?:ab)+", text);
  EXPECT_GT(pieces.size(), 1u);
  std::string joined;
  bool aligned = true;
  for (const std::string &p : pieces) {
    joined += p;
    aligned &= p.size() % 2 == 0 && llvm::StringRef(p).starts_with("ab");
  }
  EXPECT_TRUE(joined == text);
  EXPECT_TRUE(aligned);
  // Short runs match whole.
  EXPECT_EQ(split("(?:ab)+", "xababx"), (V{"x", "abab", "x"}));
  // Single-class runs have no bound.
  std::string letters(200000, 'x');
  EXPECT_TRUE(split("\\p{L}+", letters) == V{letters});
}

TEST(Regex, MatchesStopAtTheRange) {
  auto re = Regex::compile("\\s+(?!\\S)");
  ASSERT_TRUE(static_cast<bool>(re));
  std::vector<uint32_t> cps = u::decodeUTF8("  x");
  size_t end = 0;
  // Over the whole text the lookahead sees 'x' and gives one space back...
  EXPECT_TRUE(re->matchAt(cps, 0, 3, 0, end));
  EXPECT_EQ(end, 1u);
  // ...over the first two code points alone it cannot see 'x'.
  EXPECT_TRUE(re->matchAt(cps, 0, 2, 0, end));
  EXPECT_EQ(end, 2u);
}

TEST(Regex, Errors) {
  auto errorOf = [](const char *p) {
    auto re = Regex::compile(p);
    return re ? std::string("(compiled)") : llvm::toString(re.takeError());
  };
  using ::testing::HasSubstr;
  EXPECT_THAT(errorOf("(a"), HasSubstr("missing ')' at offset 2"));
  EXPECT_THAT(errorOf("a)"), HasSubstr("unbalanced ')'"));
  EXPECT_THAT(errorOf("[a"), HasSubstr("missing ']'"));
  EXPECT_THAT(errorOf("\\p{Klingon}"),
              HasSubstr("unsupported Unicode property 'Klingon'"));
  EXPECT_THAT(errorOf("[z-a]"), HasSubstr("class range out of order"));
  EXPECT_THAT(errorOf("a{3,1}"), HasSubstr("m < n"));
  EXPECT_THAT(errorOf("(?<=a)"), HasSubstr("unsupported group construct"));
  EXPECT_THAT(errorOf("*a"), HasSubstr("unexpected '*' at offset 0"));
  EXPECT_THAT(errorOf("\\q"), HasSubstr("unsupported escape \\q"));
}

TEST(Unicode, Properties) {
  EXPECT_EQ(u::category('A'), u::Lu);
  EXPECT_EQ(u::category(0x0439), u::Ll); // й
  EXPECT_EQ(u::category(0x4E00), u::Lo);
  EXPECT_EQ(u::category(0x0661), u::Nd);  // Arabic-Indic one
  EXPECT_EQ(u::category(0x1F999), u::So); // 🦙
  EXPECT_EQ(u::category(0x0301), u::Mn);
  EXPECT_EQ(u::category(0x0378), u::Cn); // unassigned
  EXPECT_TRUE(u::isWhitespace(0x3000));
  EXPECT_FALSE(u::isWhitespace(0x200B));
  EXPECT_EQ(u::toLower('Q'), uint32_t('q'));
  EXPECT_EQ(u::toLower(0x0411), 0x0431u); // Б -> б
  std::vector<uint32_t> d;
  u::appendNFD(0x1EC7, d); // ệ
  EXPECT_EQ(d, (std::vector<uint32_t>{'e', 0x0323, 0x0302}));
  d.clear();
  u::appendNFD(0xD55C, d); // 한
  EXPECT_EQ(d, (std::vector<uint32_t>{0x1112, 0x1161, 0x11AB}));
  // Invalid UTF-8 keeps its bytes: one U+FFFD per bad byte.
  std::vector<uint32_t> cps;
  std::vector<size_t> offs;
  u::decodeUTF8("a\xff\xe2\x96", cps, offs);
  EXPECT_EQ(cps, (std::vector<uint32_t>{'a', 0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_EQ(offs, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(Unicode, Normalization) {
  using C = std::vector<uint32_t>;
  // Expected values from Python's unicodedata.normalize.
  EXPECT_EQ(u::toNFC({'e', 0x301}), (C{0xE9}));
  EXPECT_EQ(u::toNFC({0x1E0B, 0x323}), (C{0x1E0D, 0x307}));
  EXPECT_EQ(u::toNFD({0x1E0B, 0x323}), (C{'d', 0x323, 0x307}));
  EXPECT_EQ(u::toNFC({0x1100, 0x1161, 0x11A8}), (C{0xAC01}));
  EXPECT_EQ(u::toNFC({0x212B}), (C{0xC5}));        // singleton
  EXPECT_EQ(u::toNFC({0x958}), (C{0x915, 0x93C})); // composition exclusion
  EXPECT_EQ(u::toNFC({'a', 0x328, 0x301, 0x300}), (C{0x105, 0x301, 0x300}));
  EXPECT_EQ(u::combiningClass(0x301), 230);
  EXPECT_EQ(u::combiningClass('a'), 0);
}

} // namespace
