//===- TokenizerTest.cpp - Decoding, special tokens, stories260K, errors --===//

#include "SharedPath.h"

#include "tt/Import/GGUFReader.h"
#include "tt/Runtime/Tokenizer.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstring>

using namespace tt;
using namespace tt::rt;
using ::testing::HasSubstr;

namespace {

std::unique_ptr<Tokenizer> loadVocab(const std::string &name) {
  std::string path = tt::test::sharedPath("models/llamacpp-vocab/ggml-vocab-" +
                                          name + ".gguf");
  if (!llvm::sys::fs::exists(path))
    return nullptr;
  auto tok = Tokenizer::fromGGUFFile(path);
  EXPECT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  return tok ? std::move(*tok) : nullptr;
}

#define LOAD_OR_SKIP(var, name)                                                \
  std::unique_ptr<Tokenizer> var = loadVocab(name);                            \
  if (!var)                                                                    \
    GTEST_SKIP() << "ggml-vocab-" << name << ".gguf not found under "          \
                 << tt::test::sharedPath("models/llamacpp-vocab");

TEST(Tokenizer, Stories260KRoundTrip) {
  std::string dir = tt::test::sharedPath("models/stories260K");
  if (!llvm::sys::fs::exists(dir + "/stories260K.gguf"))
    GTEST_SKIP() << "stories260K.gguf not found in " << dir;
  auto tok = Tokenizer::fromGGUFFile(dir + "/stories260K.gguf");
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  const Tokenizer &t = **tok;
  EXPECT_EQ(t.kind(), TokenizerKind::SPM);
  EXPECT_EQ(t.size(), 512u);
  EXPECT_EQ(t.bos(), 1);
  EXPECT_EQ(t.eos(), 2);
  EXPECT_TRUE(t.addBos());
  EXPECT_TRUE(t.isEog(2));

  std::vector<int32_t> ids =
      t.encode("Once upon a time, there was a little girl.", true);
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(ids[0], 1);
  EXPECT_EQ(t.tokenText(ids[1]).str(), "\u2581Once");
  EXPECT_EQ(t.decode(ids), "Once upon a time, there was a little girl.");

  auto expected =
      llvm::MemoryBuffer::getFile(dir + "/expected/greedy_no_prompt_256.txt");
  ASSERT_TRUE(static_cast<bool>(expected));
  std::string text = (*expected)->getBuffer().str();
  ids = t.encode(text, true);
  // What tt-run prints for BOS followed by these ids: piece by piece, the
  // first one without the space SentencePiece prefixed.
  std::string streamed;
  for (size_t i = 1; i < ids.size(); ++i)
    streamed += t.streamPiece(ids[i - 1], ids[i]);
  EXPECT_EQ(streamed, text);
  EXPECT_EQ(t.decode(ids), text);
  EXPECT_EQ(t.streamPiece(1, ids[1]), "Once");
  EXPECT_EQ(t.streamPiece(ids[1], ids[2]), " upon");
  // 512 tokens make short pieces, but far fewer ids than bytes.
  EXPECT_LT(ids.size(), text.size() / 2);
  // Newlines are byte tokens.
  int32_t nl = t.tokenId("<0x0A>");
  ASSERT_GE(nl, 0);
  EXPECT_EQ(t.tokenAttr(nl), TokenAttr::Byte);
  EXPECT_EQ(t.tokenToPiece(nl), "\n");
  EXPECT_NE(std::find(ids.begin(), ids.end(), nl), ids.end());
}

TEST(Tokenizer, SPMDecodeAndSpecials) {
  LOAD_OR_SKIP(t, "llama-spm");
  // Byte fallback round-trips characters the vocabulary lacks.
  std::string text = "Hello 🦙\tworld\n";
  std::vector<int32_t> ids = t->encode(text, true);
  EXPECT_EQ(ids.front(), 1);
  EXPECT_EQ(t->decode(ids), text);
  EXPECT_EQ(t->tokenToPiece(1), "");
  EXPECT_EQ(t->tokenToPiece(1, /*special=*/true), "<s>");
  EXPECT_EQ(t->decode(ids, /*special=*/true), "<s>" + text);
  EXPECT_EQ(t->tokenToPiece(-1), "");
  EXPECT_EQ(t->tokenToPiece(1 << 20), "");
  // Control tokens in the text are text unless parseSpecial.
  std::vector<int32_t> plain = t->encode("<s>Hi", false);
  std::vector<int32_t> parsed =
      t->encode("<s>Hi", false, /*parseSpecial=*/true);
  EXPECT_NE(plain.front(), 1);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0], 1);
  // After a special token the space prefix applies again.
  EXPECT_EQ(parsed[1], t->encode("Hi", false)[0]);
}

TEST(Tokenizer, ByteLevelDecodeIsByteExact) {
  LOAD_OR_SKIP(t, "gpt-2");
  EXPECT_EQ(t->kind(), TokenizerKind::BPE);
  EXPECT_EQ(t->preName(), "gpt-2");
  for (std::string text : {std::string("Hello, world! 🦙 нещо\n\t  x"),
                           std::string("bad utf-8: \xff\xfe\xe2\x96 end"),
                           std::string(" 333333 '' 're ")}) {
    std::vector<int32_t> ids = t->encode(text, false);
    EXPECT_EQ(t->decode(ids), text);
  }
  EXPECT_EQ(t->tokenText(t->encode(" Hello", false)[0]).str(), "\u0120Hello");
  EXPECT_EQ(t->tokenToPiece(t->encode(" Hello", false)[0]), " Hello");
  EXPECT_TRUE(t->isEog(50256));
  EXPECT_EQ(t->eos(), 50256);
  EXPECT_FALSE(t->addBos());
  // <|endoftext|> is a control token: text unless parsed.
  EXPECT_EQ(t->encode("<|endoftext|>", false, true),
            (std::vector<int32_t>{50256}));
  EXPECT_GT(t->encode("<|endoftext|>", false).size(), 1u);
}

TEST(Tokenizer, UserDefinedTokensAlwaysMatch) {
  LOAD_OR_SKIP(t, "deepseek-llm");
  // deepseek-llm's user-defined tokens include "<|User|>"-style markers
  // and runs of spaces; they split the text even without parseSpecial.
  int32_t id = -1;
  for (size_t i = 0; i < t->size(); ++i)
    if (t->tokenAttr(int32_t(i)) == TokenAttr::UserDefined &&
        t->tokenText(int32_t(i)).size() > 3) {
      id = int32_t(i);
      break;
    }
  ASSERT_GE(id, 0);
  std::string text = "a" + t->tokenText(id).str() + "b";
  std::vector<int32_t> ids = t->encode(text, false);
  EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end());
  EXPECT_EQ(t->decode(ids), text);
  EXPECT_TRUE(t->addBos());
  EXPECT_EQ(t->encode("a", true).front(), t->bos());
}

TEST(Tokenizer, WordPieceSpecials) {
  LOAD_OR_SKIP(t, "bert-bge");
  EXPECT_EQ(t->kind(), TokenizerKind::WPM);
  std::vector<int32_t> ids = t->encode("Hello World", true);
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids[0], 101);
  EXPECT_EQ(ids[3], 102);
  EXPECT_EQ(t->decode({ids[1], ids[2]}), "hello world");
  // Accents are stripped, case folded.
  EXPECT_EQ(t->encode("Café", false), t->encode("cafe", false));
}

/// A minimal GGUF writer for malformed vocabularies.
struct GGUFBuilder {
  std::string bytes;
  uint64_t count = 0;
  std::string kvs;

  template <typename T> static void put(std::string &s, T v) {
    s.append(reinterpret_cast<const char *>(&v), sizeof(T));
  }
  static void str(std::string &s, llvm::StringRef v) {
    put<uint64_t>(s, v.size());
    s.append(v.data(), v.size());
  }
  GGUFBuilder &string(llvm::StringRef key, llvm::StringRef v) {
    str(kvs, key);
    put<uint32_t>(kvs, 8);
    str(kvs, v);
    ++count;
    return *this;
  }
  GGUFBuilder &u32(llvm::StringRef key, uint32_t v) {
    str(kvs, key);
    put<uint32_t>(kvs, 4);
    put<uint32_t>(kvs, v);
    ++count;
    return *this;
  }
  GGUFBuilder &strings(llvm::StringRef key, std::vector<std::string> vs) {
    str(kvs, key);
    put<uint32_t>(kvs, 9);
    put<uint32_t>(kvs, 8);
    put<uint64_t>(kvs, vs.size());
    for (const std::string &v : vs)
      str(kvs, v);
    ++count;
    return *this;
  }
  GGUFBuilder &floats(llvm::StringRef key, std::vector<float> vs) {
    str(kvs, key);
    put<uint32_t>(kvs, 9);
    put<uint32_t>(kvs, 6);
    put<uint64_t>(kvs, vs.size());
    for (float v : vs)
      put<float>(kvs, v);
    ++count;
    return *this;
  }
  llvm::Expected<std::unique_ptr<Tokenizer>> load() {
    bytes = "GGUF";
    put<uint32_t>(bytes, 3);
    put<uint64_t>(bytes, 0);
    put<uint64_t>(bytes, count);
    bytes += kvs;
    auto buf = llvm::MemoryBuffer::getMemBuffer(bytes, "test.gguf", false);
    auto file = parseGGUF(buf->getMemBufferRef(), false);
    if (!file)
      return file.takeError();
    return Tokenizer::fromGGUF(*file, "test.gguf");
  }
};

std::string errorOf(llvm::Expected<std::unique_ptr<Tokenizer>> t) {
  return t ? std::string("(loaded)") : llvm::toString(t.takeError());
}

TEST(Tokenizer, GGUFErrors) {
  EXPECT_THAT(errorOf(GGUFBuilder().u32("x", 1).load()),
              HasSubstr("test.gguf: metadata 'tokenizer.ggml.model': missing"));
  EXPECT_THAT(
      errorOf(GGUFBuilder().string("tokenizer.ggml.model", "t5").load()),
      HasSubstr("unsupported tokenizer model 't5'"));
  EXPECT_THAT(
      errorOf(GGUFBuilder()
                  .string("tokenizer.ggml.model", "gpt2")
                  .string("tokenizer.ggml.pre", "klingon")
                  .load()),
      HasSubstr("'tokenizer.ggml.pre': unknown pre-tokenizer 'klingon'"));
  EXPECT_THAT(
      errorOf(GGUFBuilder().string("tokenizer.ggml.model", "llama").load()),
      HasSubstr("'tokenizer.ggml.tokens': missing"));
  EXPECT_THAT(errorOf(GGUFBuilder()
                          .string("tokenizer.ggml.model", "llama")
                          .strings("tokenizer.ggml.tokens", {"a", "b", "a"})
                          .load()),
              HasSubstr("duplicate token 'a' at index 2"));
  EXPECT_THAT(errorOf(GGUFBuilder()
                          .string("tokenizer.ggml.model", "llama")
                          .strings("tokenizer.ggml.tokens", {"a", "b"})
                          .floats("tokenizer.ggml.scores", {0.0f})
                          .load()),
              HasSubstr("'tokenizer.ggml.scores': has 1 entries for 2 tokens"));
  EXPECT_THAT(errorOf(GGUFBuilder()
                          .string("tokenizer.ggml.model", "gpt2")
                          .string("tokenizer.ggml.pre", "gpt-2")
                          .strings("tokenizer.ggml.tokens", {"a", "b"})
                          .load()),
              HasSubstr("'tokenizer.ggml.merges': missing"));
  EXPECT_THAT(errorOf(GGUFBuilder()
                          .string("tokenizer.ggml.model", "gpt2")
                          .string("tokenizer.ggml.pre", "gpt-2")
                          .strings("tokenizer.ggml.tokens", {"a", "b"})
                          .strings("tokenizer.ggml.merges", {"ab"})
                          .load()),
              HasSubstr("entry 0 ('ab') is not 'left right'"));
  EXPECT_THAT(errorOf(GGUFBuilder()
                          .string("tokenizer.ggml.model", "gpt2")
                          .string("tokenizer.ggml.pre", "gpt-2")
                          .strings("tokenizer.ggml.tokens", {"a", "b"})
                          .strings("tokenizer.ggml.merges", {"a b"})
                          .string("tokenizer.ggml.add_bos_token", "yes")
                          .load()),
              HasSubstr("'tokenizer.ggml.add_bos_token': expected a boolean"));
  EXPECT_THAT(errorOf(Tokenizer::fromGGUFFile("/nonexistent/x.gguf")),
              HasSubstr("/nonexistent/x.gguf"));
}

TEST(Tokenizer, SmallSPMVocabWithoutTypes) {
  // Scores favour "ab" over "bc"; no token_type array: <0xNN> are bytes,
  // ids 1 and 2 the default BOS and EOS.
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>", "\u2581", "a",
                                     "b",     "c",   "ab",   "bc"};
  std::vector<float> scores = {0, 0, 0, -1, -2, -2, -2, -0.5f, -0.7f};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    tokens.push_back(name);
    scores.push_back(-10);
  }
  auto t = GGUFBuilder()
               .string("tokenizer.ggml.model", "llama")
               .strings("tokenizer.ggml.tokens", tokens)
               .floats("tokenizer.ggml.scores", scores)
               .load();
  ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
  // "▁abc": ab (-0.5) beats bc (-0.7); "é" falls back to its two bytes.
  EXPECT_EQ((*t)->encode("abc\u00e9", true),
            (std::vector<int32_t>{1, 3, 7, 6, 9 + 0xC3, 9 + 0xA9}));
  EXPECT_EQ((*t)->tokenAttr(9 + 0xC3), TokenAttr::Byte);
  EXPECT_EQ((*t)->decode({1, 3, 7, 6, 9 + 0xC3, 9 + 0xA9}), "abc\u00e9");
  EXPECT_EQ((*t)->bos(), 1);
  EXPECT_EQ((*t)->eos(), 2);
}

TEST(Tokenizer, SmallByteLevelVocab) {
  // Bytes 'a', 'b', 'Ġ' (space) and merges a+b, Ġ+ab.
  auto t = GGUFBuilder()
               .string("tokenizer.ggml.model", "gpt2")
               .string("tokenizer.ggml.pre", "gpt-2")
               .strings("tokenizer.ggml.tokens",
                        {"a", "b", "\u0120", "ab", "\u0120ab", "<eos>"})
               .strings("tokenizer.ggml.merges", {"a b", "\u0120 ab"})
               .u32("tokenizer.ggml.eos_token_id", 5)
               .load();
  ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
  EXPECT_EQ((*t)->encode("ab ab ba", false),
            (std::vector<int32_t>{3, 4, 2, 1, 0}));
  EXPECT_EQ((*t)->decode({3, 4, 2, 1, 0}), "ab ab ba");
  EXPECT_EQ((*t)->eos(), 5);
  EXPECT_TRUE((*t)->isEog(5));
  // Without token types the EOS id is still a control token.
  EXPECT_EQ((*t)->tokenAttr(5), TokenAttr::Control);
  EXPECT_EQ((*t)->decode({3, 5}), "ab");
  // A character outside the vocabulary has no byte token to fall back to
  // and no unknown token: it is dropped, as llama.cpp does.
  EXPECT_EQ((*t)->encode("a\x01", false), (std::vector<int32_t>{0}));
}

TEST(Tokenizer, Llama3IgnoresMergesForWholeWords) {
  // "abc" is a token, but the merges alone reach only "ab" + "c": Llama 3
  // (tokenizer.ggml.pre "llama-bpe") takes the whole word, GPT-2 does not.
  auto load = [](const char *pre) {
    return GGUFBuilder()
        .string("tokenizer.ggml.model", "gpt2")
        .string("tokenizer.ggml.pre", pre)
        .strings("tokenizer.ggml.tokens",
                 {"a", "b", "c", "ab", "abc", "<|begin_of_text|>"})
        .strings("tokenizer.ggml.merges", {"a b"})
        .u32("tokenizer.ggml.bos_token_id", 5)
        .load();
  };
  auto llama3 = load("llama-bpe");
  ASSERT_TRUE(static_cast<bool>(llama3)) << llvm::toString(llama3.takeError());
  EXPECT_EQ((*llama3)->encode("abc", false), (std::vector<int32_t>{4}));
  EXPECT_TRUE((*llama3)->addBos());
  EXPECT_EQ((*llama3)->encode("abc", true), (std::vector<int32_t>{5, 4}));
  auto gpt2 = load("gpt-2");
  ASSERT_TRUE(static_cast<bool>(gpt2)) << llvm::toString(gpt2.takeError());
  EXPECT_EQ((*gpt2)->encode("abc", false), (std::vector<int32_t>{3, 2}));
  EXPECT_FALSE((*gpt2)->addBos());
}

} // namespace
