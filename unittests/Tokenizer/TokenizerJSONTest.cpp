//===- TokenizerJSONTest.cpp - tokenizer.json against llama.cpp's vectors -===//
//
// No tokenizer.json ships in ../shared, so each test writes one, the way
// HuggingFace spells that tokenizer, from the vocabulary of a llama.cpp test
// GGUF, and checks it against the same test vectors: the JSON path must give
// the ids the GGUF path gives.
//
//===----------------------------------------------------------------------===//

#include "SharedPath.h"

#include "tt/Import/GGUFReader.h"
#include "tt/Runtime/Tokenizer.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <map>

using namespace tt;
using namespace tt::rt;
namespace json = llvm::json;

namespace {

struct Case {
  std::string text;
  std::vector<int32_t> ids;
};

std::vector<Case> readCases(const std::string &base) {
  auto inp = llvm::MemoryBuffer::getFile(base + ".inp");
  auto out = llvm::MemoryBuffer::getFile(base + ".out");
  std::vector<Case> cases;
  if (!inp || !out)
    return cases;
  llvm::StringRef raw = (*inp)->getBuffer();
  const llvm::StringRef sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  for (size_t pos = 0; pos < raw.size();) {
    size_t next = raw.find(sep, pos);
    if (next == llvm::StringRef::npos) {
      texts.push_back(raw.substr(pos).str());
      break;
    }
    texts.push_back(raw.slice(pos, next).str());
    pos = next + sep.size();
  }
  llvm::SmallVector<llvm::StringRef> lines;
  (*out)->getBuffer().split(lines, '\n');
  for (size_t i = 0; i < texts.size() && i < lines.size(); ++i) {
    Case c{texts[i], {}};
    llvm::SmallVector<llvm::StringRef> parts;
    lines[i].split(parts, ' ', -1, false);
    for (llvm::StringRef p : parts) {
      int32_t v;
      if (!p.trim().getAsInteger(10, v))
        c.ids.push_back(v);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

class FromGGUF : public ::testing::Test {
protected:
  std::string base;
  std::unique_ptr<Tokenizer> gguf;
  std::optional<GGUFFile> file;
  std::vector<Case> cases;
  std::string jsonPath;

  void load(const char *vocab) {
    base = tt::test::sharedPath(
        std::string("models/llamacpp-vocab/ggml-vocab-") + vocab + ".gguf");
    if (!llvm::sys::fs::exists(base + ".inp"))
      GTEST_SKIP() << "vocab not found at " << base << " (set TT_SHARED_DIR)";
    auto t = Tokenizer::fromGGUFFile(base);
    ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
    gguf = std::move(*t);
    auto buffer = llvm::MemoryBuffer::getFile(base);
    ASSERT_TRUE(static_cast<bool>(buffer));
    auto f = parseGGUF((*buffer)->getMemBufferRef(), false);
    ASSERT_TRUE(static_cast<bool>(f)) << llvm::toString(f.takeError());
    file = std::move(*f);
    cases = readCases(base);
    ASSERT_EQ(cases.size(), 46u);
  }

  json::Array addedTokens() {
    json::Array added;
    for (size_t i = 0; i < gguf->size(); ++i) {
      TokenAttr a = gguf->tokenAttr(int32_t(i));
      if (a == TokenAttr::Control || a == TokenAttr::UserDefined ||
          a == TokenAttr::Unknown)
        added.push_back(json::Object{{"id", int64_t(i)},
                                     {"content", gguf->tokenText(int32_t(i))},
                                     {"special", a != TokenAttr::UserDefined}});
    }
    return added;
  }

  json::Array merges() {
    json::Array out;
    for (const json::Value &v :
         *file->lookup("tokenizer.ggml.merges")->getAsArray())
      out.push_back(v);
    return out;
  }

  /// Merges for an SPM vocabulary as HF's SentencePieceExtractor derives
  /// them: every split of a piece into two vocabulary pieces, ordered by the
  /// piece's score.
  json::Array spmMerges() {
    struct Merge {
      float score;
      int32_t left, right;
    };
    std::vector<Merge> list;
    for (size_t i = 0; i < gguf->size(); ++i) {
      if (gguf->tokenAttr(int32_t(i)) != TokenAttr::Normal)
        continue;
      llvm::StringRef piece = gguf->tokenText(int32_t(i));
      std::vector<Merge> local;
      for (size_t k = 1; k < piece.size(); ++k) {
        int32_t l = gguf->tokenId(piece.take_front(k));
        int32_t r = gguf->tokenId(piece.drop_front(k));
        if (l >= 0 && r >= 0)
          local.push_back({gguf->tokenScore(int32_t(i)), l, r});
      }
      std::sort(local.begin(), local.end(), [](const Merge &a, const Merge &b) {
        return std::make_pair(a.left, a.right) <
               std::make_pair(b.left, b.right);
      });
      list.insert(list.end(), local.begin(), local.end());
    }
    std::stable_sort(
        list.begin(), list.end(),
        [](const Merge &a, const Merge &b) { return a.score > b.score; });
    json::Array mergeList;
    for (const Merge &mg : list)
      mergeList.push_back(
          (gguf->tokenText(mg.left) + " " + gguf->tokenText(mg.right)).str());
    return mergeList;
  }

  void write(json::Value root) {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("tokenizer", "json", path));
    jsonPath = path.str().str();
    std::error_code ec;
    llvm::raw_fd_ostream os(jsonPath, ec);
    ASSERT_FALSE(ec);
    os << root;
  }

  void TearDown() override {
    if (!jsonPath.empty())
      llvm::sys::fs::remove(jsonPath);
  }

  /// Encodes every vector through tokenizer.json; returns how many match.
  size_t check(const Tokenizer &tok) {
    size_t passed = 0;
    for (const Case &c : cases) {
      std::vector<int32_t> got = tok.encode(c.text, false);
      if (got == c.ids)
        ++passed;
      else
        ADD_FAILURE() << "text '" << c.text << "' gives "
                      << ::testing::PrintToString(got) << ", expected "
                      << ::testing::PrintToString(c.ids);
    }
    return passed;
  }
};

std::string errorOf(llvm::Expected<std::unique_ptr<Tokenizer>> t) {
  return t ? std::string("(loaded)") : llvm::toString(t.takeError());
}

json::Object vocabObject(const Tokenizer &t,
                         std::string (*rename)(llvm::StringRef, TokenAttr)) {
  json::Object vocab;
  for (size_t i = 0; i < t.size(); ++i)
    vocab[rename(t.tokenText(int32_t(i)), t.tokenAttr(int32_t(i)))] =
        int64_t(i);
  return vocab;
}

std::string same(llvm::StringRef s, TokenAttr) { return s.str(); }

TEST_F(FromGGUF, GPT2ByteLevel) {
  load("gpt-2");
  if (IsSkipped())
    return;
  write(json::Object{{"added_tokens", addedTokens()},
                     {"normalizer", nullptr},
                     {"pre_tokenizer", json::Object{{"type", "ByteLevel"},
                                                    {"add_prefix_space", false},
                                                    {"trim_offsets", true},
                                                    {"use_regex", true}}},
                     {"model", json::Object{{"type", "BPE"},
                                            {"vocab", vocabObject(*gguf, same)},
                                            {"merges", merges()}}}});
  auto tok = Tokenizer::fromTokenizerJSON(jsonPath);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  EXPECT_EQ(check(**tok), cases.size());
  EXPECT_EQ((*tok)->kind(), TokenizerKind::BPE);
  EXPECT_EQ((*tok)->decode((*tok)->encode("Hello, y'all! 🦙\n", false)),
            "Hello, y'all! 🦙\n");
}

// Qwen2-style: an NFC normalizer before a Split + ByteLevel chain.
TEST_F(FromGGUF, NFCNormalizer) {
  load("gpt-2");
  if (IsSkipped())
    return;
  write(json::Object{
      {"normalizer", json::Object{{"type", "NFC"}}},
      {"pre_tokenizer",
       json::Object{
           {"type", "Sequence"},
           {"pretokenizers",
            json::Array{
                json::Object{
                    {"type", "Split"},
                    {"pattern",
                     json::Object{
                         {"Regex",
                          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| "
                          "?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"}}},
                    {"behavior", "Isolated"},
                    {"invert", false}},
                json::Object{{"type", "ByteLevel"},
                             {"add_prefix_space", false},
                             {"use_regex", false}}}}}},
      {"model", json::Object{{"type", "BPE"},
                             {"vocab", vocabObject(*gguf, same)},
                             {"merges", merges()}}}});
  auto tok = Tokenizer::fromTokenizerJSON(jsonPath);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  EXPECT_EQ(check(**tok), cases.size());
  // "Cafe" + combining acute composes to "Café" before splitting.
  EXPECT_EQ((*tok)->encode("Cafe\u0301 au lait", false),
            gguf->encode("Caf\u00e9 au lait", false));
  EXPECT_NE(gguf->encode("Cafe\u0301", false),
            gguf->encode("Caf\u00e9", false));
}

// StarCoder/Refact spell their pre-tokenizer as individual digits, then
// GPT-2's byte level; llama.cpp's "refact" is that chain.
TEST_F(FromGGUF, RefactDigitsThenByteLevel) {
  load("refact");
  if (IsSkipped())
    return;
  write(json::Object{
      {"added_tokens", addedTokens()},
      {"pre_tokenizer",
       json::Object{{"type", "Sequence"},
                    {"pretokenizers",
                     json::Array{json::Object{{"type", "Digits"},
                                              {"individual_digits", true}},
                                 json::Object{{"type", "ByteLevel"},
                                              {"add_prefix_space", false},
                                              {"use_regex", true}}}}}},
      {"model", json::Object{{"type", "BPE"},
                             {"vocab", vocabObject(*gguf, same)},
                             {"merges", merges()}}}});
  auto tok = Tokenizer::fromTokenizerJSON(jsonPath);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  EXPECT_EQ(check(**tok), cases.size());
}

// DeepSeek LLM's tokenizer.json: a chain of Split(Regex, Isolated) and a
// ByteLevel without regex; the merges are given as [left, right] pairs.
TEST_F(FromGGUF, DeepSeekSplitChain) {
  load("deepseek-llm");
  if (IsSkipped())
    return;
  auto split = [](const char *re) {
    return json::Object{{"type", "Split"},
                        {"pattern", json::Object{{"Regex", re}}},
                        {"behavior", "Isolated"},
                        {"invert", false}};
  };
  json::Array pairs;
  for (const json::Value &v : merges()) {
    llvm::StringRef s = *v.getAsString();
    size_t sp = s.find(' ', 1);
    pairs.push_back(json::Array{s.substr(0, sp).str(), s.substr(sp + 1).str()});
  }
  json::Array pre{
      split("[\r\n]"),
      split(
          "\\s?[A-Za-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba\u01bc-"
          "\u01bf\u01c4-\u0293\u0295-\u02af\u0370-\u0373\u0376\u0377\u037b-"
          "\u037d\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03f5"
          "\u03f7-\u0481\u048a-\u052f\u0531-\u0556\u10a0-\u10c5\u13a0-\u13f5"
          "\u13f8-\u13fd\u1c90-\u1cba\u1cbd-\u1cbf\u1d00-\u1d2b\u1d6b-\u1d77"
          "\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d\u1f20-\u1f45\u1f48-\u1f4d"
          "\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-"
          "\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3\u1fd6-\u1fdb"
          "\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2102\u2107\u210a-\u2113"
          "\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-\u2134"
          "\u2139\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2c7b"
          "\u2c7e-\u2ce4\u2ceb-\u2cee\u2cf2\u2cf3\ua640-\ua66d\ua680-\ua69b"
          "\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e\uab70-\uabbf\ufb00-\ufb06"
          "\ufb13-\ufb17\uff21-\uff3a\uff41-\uff5a\U00010400-\U0001044f"
          "\U000104b0-\U000104d3\U000104d8-\U000104fb\U00010c80-\U00010cb2"
          "\U00010cc0-\U00010cf2\U000118a0-\U000118df\U0001e900-\U0001e943]+"),
      split(
          "\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+"),
      split("\\s+$"),
      split("[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+"),
      json::Object{{"type", "Digits"}, {"individual_digits", false}},
      json::Object{{"type", "ByteLevel"},
                   {"add_prefix_space", false},
                   {"use_regex", false}}};
  write(json::Object{
      {"added_tokens", addedTokens()},
      {"pre_tokenizer",
       json::Object{{"type", "Sequence"}, {"pretokenizers", std::move(pre)}}},
      {"model", json::Object{{"type", "BPE"},
                             {"vocab", vocabObject(*gguf, same)},
                             {"merges", std::move(pairs)}}}});
  auto tok = Tokenizer::fromTokenizerJSON(jsonPath);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  EXPECT_EQ(check(**tok), cases.size());
}

// BERT's WordPiece: "##" continuations, BertNormalizer, [CLS]/[SEP] from a
// BertProcessing post-processor.
TEST_F(FromGGUF, BertWordPiece) {
  load("bert-bge");
  if (IsSkipped())
    return;
  auto rename = [](llvm::StringRef s, TokenAttr a) -> std::string {
    if (a != TokenAttr::Normal)
      return s.str();
    if (s.starts_with("\u2581"))
      return s.drop_front(3).str();
    return "##" + s.str();
  };
  write(json::Object{
      {"added_tokens", addedTokens()},
      {"normalizer", json::Object{{"type", "BertNormalizer"},
                                  {"clean_text", true},
                                  {"handle_chinese_chars", true},
                                  {"strip_accents", nullptr},
                                  {"lowercase", true}}},
      {"pre_tokenizer", json::Object{{"type", "BertPreTokenizer"}}},
      {"post_processor", json::Object{{"type", "BertProcessing"},
                                      {"sep", json::Array{"[SEP]", 102}},
                                      {"cls", json::Array{"[CLS]", 101}}}},
      {"model", json::Object{{"type", "WordPiece"},
                             {"unk_token", "[UNK]"},
                             {"continuing_subword_prefix", "##"},
                             {"vocab", vocabObject(*gguf, rename)}}}});
  auto tok = Tokenizer::fromTokenizerJSON(jsonPath);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  EXPECT_EQ(check(**tok), cases.size());
  std::vector<int32_t> ids = (*tok)->encode("Hello world", true);
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids.front(), 101);
  EXPECT_EQ(ids.back(), 102);
}

// Llama 2 / TinyLlama's tokenizer.json: BPE with merges over U+2581-escaped
// text and <0xNN> byte fallback. The merges are derived from the SPM scores
// the way HF's SentencePieceExtractor does (all splits of each piece into two
// vocabulary pieces, ordered by the piece's score).
TEST_F(FromGGUF, LlamaSentencePieceBPE) {
  load("llama-spm");
  if (IsSkipped())
    return;
  json::Array mergeList = spmMerges();
  write(json::Object{
      {"added_tokens", addedTokens()},
      {"normalizer",
       json::Object{
           {"type", "Sequence"},
           {"normalizers",
            json::Array{
                json::Object{{"type", "Prepend"}, {"prepend", "\u2581"}},
                json::Object{{"type", "Replace"},
                             {"pattern", json::Object{{"String", " "}}},
                             {"content", "\u2581"}}}}}},
      {"pre_tokenizer", nullptr},
      {"post_processor",
       json::Object{
           {"type", "TemplateProcessing"},
           {"single",
            json::Array{
                json::Object{{"SpecialToken",
                              json::Object{{"id", "<s>"}, {"type_id", 0}}}},
                json::Object{{"Sequence",
                              json::Object{{"id", "A"}, {"type_id", 0}}}}}}}},
      {"model", json::Object{{"type", "BPE"},
                             {"byte_fallback", true},
                             {"fuse_unk", true},
                             {"unk_token", "<unk>"},
                             {"vocab", vocabObject(*gguf, same)},
                             {"merges", std::move(mergeList)}}}});
  auto tok = Tokenizer::fromTokenizerJSON(jsonPath);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  EXPECT_EQ(check(**tok), cases.size());
  EXPECT_TRUE((*tok)->addBos());
  EXPECT_EQ((*tok)->bos(), 1);
  std::vector<int32_t> ids = (*tok)->encode("Hello world\n", true);
  EXPECT_EQ(ids.front(), 1);
  EXPECT_EQ((*tok)->decode(ids), "Hello world\n");
}

// Newer SentencePiece-style files (Mistral's) use a Metaspace pre-tokenizer
// instead of Prepend/Replace normalizers. Metaspace does not prefix a text
// that already starts with a space, and "first" prefixes only the text's
// first fragment.
TEST_F(FromGGUF, MetaspacePreTokenizer) {
  load("llama-spm");
  if (IsSkipped())
    return;
  write(json::Object{{"added_tokens", addedTokens()},
                     {"normalizer", nullptr},
                     {"pre_tokenizer", json::Object{{"type", "Metaspace"},
                                                    {"replacement", "\u2581"},
                                                    {"prepend_scheme", "first"},
                                                    {"split", false}}},
                     {"model", json::Object{{"type", "BPE"},
                                            {"byte_fallback", true},
                                            {"unk_token", "<unk>"},
                                            {"vocab", vocabObject(*gguf, same)},
                                            {"merges", spmMerges()}}}});
  auto tok = Tokenizer::fromTokenizerJSON(jsonPath);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  const Tokenizer &t = **tok;
  EXPECT_EQ(t.encode("Hello world", false), gguf->encode("Hello world", false));
  EXPECT_EQ(t.encode("Hello \xf0\x9f\xa6\x99", false),
            gguf->encode("Hello \xf0\x9f\xa6\x99", false));
  // " Hello": SentencePiece makes "▁▁Hello", Metaspace "▁Hello".
  EXPECT_EQ(t.encode(" Hello", false), gguf->encode("Hello", false));
  EXPECT_NE(gguf->encode(" Hello", false), gguf->encode("Hello", false));
  // After a special token, "first" adds no prefix.
  std::vector<int32_t> ids = t.encode("<s>Hello", false, true);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], 1);
  EXPECT_EQ(t.tokenText(ids[1]), "Hello");
}

// A HF directory: tokenizer.json plus tokenizer_config.json, whose
// add_bos_token and bos_token win over the post-processor.
TEST_F(FromGGUF, HFDirectoryWithConfig) {
  load("gpt-2");
  if (IsSkipped())
    return;
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tt-hf", dir));
  auto writeTo = [&](const char *name, json::Value v) {
    std::error_code ec;
    llvm::raw_fd_ostream os((dir + "/" + name).str(), ec);
    ASSERT_FALSE(ec);
    os << v;
  };
  writeTo(
      "tokenizer.json",
      json::Object{{"added_tokens", addedTokens()},
                   {"pre_tokenizer", json::Object{{"type", "ByteLevel"}}},
                   {"model", json::Object{{"type", "BPE"},
                                          {"vocab", vocabObject(*gguf, same)},
                                          {"merges", merges()}}}});
  writeTo(
      "tokenizer_config.json",
      json::Object{{"add_bos_token", true},
                   {"bos_token", json::Object{{"content", "<|endoftext|>"}}},
                   {"eos_token", "<|endoftext|>"}});
  auto tok = Tokenizer::fromModel(dir);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  EXPECT_TRUE((*tok)->addBos());
  EXPECT_EQ((*tok)->bos(), 50256);
  EXPECT_EQ((*tok)->encode("Hello", true),
            (std::vector<int32_t>{50256, 15496}));
  EXPECT_EQ((*tok)->decode((*tok)->encode("Hello", true)), "Hello");
  writeTo("tokenizer_config.json", json::Object{{"bos_token", "<nope>"}});
  EXPECT_THAT(errorOf(Tokenizer::fromHFDirectory(dir)),
              ::testing::HasSubstr("bos_token: '<nope>' is not in"));
  llvm::sys::fs::remove_directories(dir);
  EXPECT_THAT(errorOf(Tokenizer::fromHFDirectory(dir)),
              ::testing::HasSubstr("no tokenizer.json"));
}

TEST(TokenizerJSON, Errors) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("bad", "json", path));
  auto errorFor = [&](llvm::StringRef text) {
    {
      std::error_code ec;
      llvm::raw_fd_ostream os(path, ec);
      os << text;
    }
    auto tok = Tokenizer::fromTokenizerJSON(path);
    if (tok)
      return std::string("(no error)");
    return llvm::toString(tok.takeError());
  };
  using ::testing::HasSubstr;
  EXPECT_THAT(errorFor("{"), HasSubstr(path.str().str()));
  EXPECT_THAT(errorFor("{}"), HasSubstr("model: missing"));
  EXPECT_THAT(errorFor(R"({"model":{"type":"Unigram","vocab":[]}})"),
              HasSubstr("unsupported model type 'Unigram'"));
  EXPECT_THAT(
      errorFor(
          R"({"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]},
                   "pre_tokenizer":{"type":"ByteLevel"},
                   "normalizer":{"type":"NFKD"}})"),
      HasSubstr("normalizer: unsupported normalizer type 'NFKD'"));
  EXPECT_THAT(
      errorFor(R"({"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["ab"]},
                   "pre_tokenizer":{"type":"ByteLevel"}})"),
      HasSubstr("model.merges[0]"));
  EXPECT_THAT(
      errorFor(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},
                   "pre_tokenizer":{"type":"Split","behavior":"Isolated",
                                    "pattern":{"Regex":"(?<=a)b"}}})"),
      HasSubstr("pre_tokenizer: regex '(?<=a)b': unsupported group construct"));
  llvm::sys::fs::remove(path);
}

} // namespace
