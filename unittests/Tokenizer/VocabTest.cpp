//===- VocabTest.cpp - llama.cpp's tokenizer test vectors -----------------===//
//
// ../shared/models/llamacpp-vocab/ggml-vocab-X.gguf.inp holds texts separated
// by "\n__ggml_vocab_test__\n"; X.gguf.out the ids llama.cpp's
// test-tokenizer-0 expects for each, one line per text, encoded without
// special tokens (add_special = false, parse_special = false).
//
//===----------------------------------------------------------------------===//

#include "SharedPath.h"

#include "tt/Runtime/Tokenizer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

using namespace tt;
using namespace tt::rt;

namespace {

struct VocabCase {
  std::string text;
  std::vector<int32_t> ids;
};

std::vector<VocabCase> readCases(const std::string &base) {
  auto inp = llvm::MemoryBuffer::getFile(base + ".inp");
  auto out = llvm::MemoryBuffer::getFile(base + ".out");
  if (!inp || !out)
    return {};
  llvm::StringRef raw = (*inp)->getBuffer();
  const llvm::StringRef sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  size_t pos = 0;
  while (pos < raw.size()) {
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
  if (!lines.empty() && lines.back().empty())
    lines.pop_back();
  std::vector<VocabCase> cases;
  if (lines.size() != texts.size())
    return cases;
  for (size_t i = 0; i < texts.size(); ++i) {
    VocabCase c{texts[i], {}};
    llvm::SmallVector<llvm::StringRef> parts;
    lines[i].split(parts, ' ', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef p : parts) {
      int32_t v;
      if (!p.trim().getAsInteger(10, v))
        c.ids.push_back(v);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string show(const std::vector<int32_t> &ids) {
  std::string s;
  for (int32_t id : ids)
    s += " " + std::to_string(id);
  return s;
}

class VocabVectors : public ::testing::TestWithParam<const char *> {};

TEST_P(VocabVectors, MatchLlamaCpp) {
  std::string base = tt::test::sharedPath(
      std::string("models/llamacpp-vocab/ggml-vocab-") + GetParam() + ".gguf");
  if (!llvm::sys::fs::exists(base) || !llvm::sys::fs::exists(base + ".inp"))
    GTEST_SKIP() << "vocab not found at " << base << " (set TT_SHARED_DIR)";
  auto tok = Tokenizer::fromGGUFFile(base);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  std::vector<VocabCase> cases = readCases(base);
  ASSERT_FALSE(cases.empty()) << "no test vectors read from " << base;
  size_t passed = 0;
  for (const VocabCase &c : cases) {
    std::vector<int32_t> got = (*tok)->encode(c.text, /*addSpecial=*/false);
    if (got == c.ids) {
      ++passed;
      continue;
    }
    ADD_FAILURE() << GetParam() << ": text '" << c.text << "'\n  expected"
                  << show(c.ids) << "\n  got     " << show(got);
  }
  std::printf("[ vectors  ] %s: %zu/%zu\n", GetParam(), passed, cases.size());
  EXPECT_EQ(passed, cases.size());
}

INSTANTIATE_TEST_SUITE_P(LlamaCpp, VocabVectors,
                         ::testing::Values("llama-spm", "gpt-2", "falcon",
                                           "mpt", "refact", "deepseek-llm",
                                           "bert-bge"),
                         [](const auto &info) {
                           std::string n = info.param;
                           for (char &c : n)
                             if (!llvm::isAlnum(c))
                               c = '_';
                           return n;
                         });

// The vocabularies llama.cpp ships without expected ids: they must load,
// and decoding must give back every test text byte for byte.
class VocabRoundTrip : public ::testing::TestWithParam<const char *> {};

TEST_P(VocabRoundTrip, DecodeEncode) {
  std::string dir = tt::test::sharedPath("models/llamacpp-vocab/");
  std::string base = dir + "ggml-vocab-" + GetParam() + ".gguf";
  if (!llvm::sys::fs::exists(base) ||
      !llvm::sys::fs::exists(dir + "ggml-vocab-gpt-2.gguf.inp"))
    GTEST_SKIP() << "vocab not found at " << base << " (set TT_SHARED_DIR)";
  auto tok = Tokenizer::fromGGUFFile(base);
  ASSERT_TRUE(static_cast<bool>(tok)) << llvm::toString(tok.takeError());
  std::vector<VocabCase> cases = readCases(dir + "ggml-vocab-gpt-2.gguf");
  ASSERT_FALSE(cases.empty());
  for (const VocabCase &c : cases) {
    std::vector<int32_t> ids = (*tok)->encode(c.text, /*addSpecial=*/true);
    EXPECT_EQ((*tok)->decode(ids), c.text)
        << GetParam() << ": ids" << show(ids);
  }
}

INSTANTIATE_TEST_SUITE_P(LlamaCpp, VocabRoundTrip,
                         ::testing::Values("baichuan", "deepseek-coder",
                                           "gpt-neox", "phi-3", "starcoder",
                                           "llama-spm", "gpt-2", "falcon",
                                           "mpt", "refact", "deepseek-llm"),
                         [](const auto &info) {
                           std::string n = info.param;
                           for (char &c : n)
                             if (!llvm::isAlnum(c))
                               c = '_';
                           return n;
                         });

} // namespace
