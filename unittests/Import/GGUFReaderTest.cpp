//===- GGUFReaderTest.cpp - GGUF header, metadata and tensor infos --------===//

#include "tt/Import/GGUFReader.h"

#include "llvm/Support/FileSystem.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstring>

using namespace tt;

namespace {

using testing::HasSubstr;

/// The error message of a failed parse ("" on success).
std::string errorOf(llvm::Expected<GGUFFile> file) {
  if (file)
    return "";
  return llvm::toString(file.takeError());
}

/// Writes GGUF bytes by hand, so each test can break one thing.
struct Writer {
  std::string bytes;
  template <typename T> Writer &put(T value) {
    bytes.append(reinterpret_cast<const char *>(&value), sizeof(T));
    return *this;
  }
  Writer &str(llvm::StringRef s) {
    put<uint64_t>(s.size());
    bytes.append(s.data(), s.size());
    return *this;
  }
  Writer &header(uint32_t version, uint64_t tensors, uint64_t kvs) {
    bytes.append("GGUF", 4);
    return put(version).put(tensors).put(kvs);
  }
  Writer &padTo(uint64_t alignment) {
    while (bytes.size() % alignment)
      bytes.push_back('\0');
    return *this;
  }
  llvm::Expected<GGUFFile> parse(bool requireData = true) {
    return parseGGUF(llvm::MemoryBufferRef(bytes, "test.gguf"), requireData);
  }
};

/// A valid file: two metadata entries, one f32 [2, 3] tensor and one q8_0
/// [1, 32] tensor.
Writer validFile() {
  Writer w;
  w.header(3, 2, 3);
  w.str("general.architecture").put<uint32_t>(8).str("llama");
  w.str("llama.block_count").put<uint32_t>(4).put<uint32_t>(5);
  w.str("tokenizer.ggml.scores").put<uint32_t>(9).put<uint32_t>(6)
      .put<uint64_t>(2).put<float>(0.5f).put<float>(-1.0f);
  w.str("a").put<uint32_t>(2).put<uint64_t>(3).put<uint64_t>(2)
      .put<uint32_t>(0).put<uint64_t>(0);
  w.str("b").put<uint32_t>(2).put<uint64_t>(32).put<uint64_t>(1)
      .put<uint32_t>(8).put<uint64_t>(32);
  w.padTo(32);
  w.bytes.append(32 + 34, '\0');
  return w;
}

TEST(GGUFReader, ReadsMetadataAndTensorInfos) {
  Writer w = validFile();
  llvm::Expected<GGUFFile> file = w.parse();
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  EXPECT_EQ(file->version, 3u);
  ASSERT_TRUE(file->lookup("general.architecture"));
  EXPECT_EQ(*file->lookup("general.architecture")->getAsString(), "llama");
  EXPECT_EQ(*file->lookup("llama.block_count")->getAsInteger(), 5);
  const llvm::json::Array *scores =
      file->lookup("tokenizer.ggml.scores")->getAsArray();
  ASSERT_TRUE(scores);
  EXPECT_EQ((*scores)[1].getAsNumber(), -1.0);
  ASSERT_EQ(file->tensors.size(), 2u);
  // ne = [3, 2]: a row-major [2, 3] matrix.
  EXPECT_EQ(file->tensors[0].getShape(), (llvm::SmallVector<int64_t, 4>{2, 3}));
  EXPECT_EQ(file->tensors[0].bytes, 24u);
  EXPECT_STREQ(file->tensors[1].type.name, "q8_0");
  EXPECT_EQ(file->tensors[1].bytes, 34u);
}

TEST(GGUFReader, RejectsBadMagic) {
  Writer w = validFile();
  w.bytes[0] = 'X';
  EXPECT_THAT(errorOf(w.parse()), HasSubstr((
                                      "bad magic 0x46554758: not a GGUF file")));
}

TEST(GGUFReader, RejectsUnsupportedVersion) {
  Writer w;
  w.header(1, 0, 0);
  EXPECT_THAT(errorOf(w.parse()), HasSubstr((
                                      "unsupported GGUF version 1")));
}

TEST(GGUFReader, RejectsCountsThatCannotFit) {
  Writer w;
  w.header(3, 0, 1000000);
  EXPECT_THAT(errorOf(w.parse()), HasSubstr((
                     "metadata count 1000000 cannot fit in a file of 24 bytes")));
}

TEST(GGUFReader, RejectsStringLengthBeyondTheFile) {
  Writer w;
  w.header(3, 0, 1).put<uint64_t>(1ull << 40);
  EXPECT_THAT(errorOf(w.parse()), HasSubstr((
                                      "metadata key has length 1099511627776, "
                                      "beyond the end of the file")));
}

TEST(GGUFReader, RejectsATruncatedFile) {
  Writer w = validFile();
  w.bytes.resize(60);
  EXPECT_THAT(errorOf(w.parse()), HasSubstr(("truncated")));
}

TEST(GGUFReader, RejectsUnknownTypes) {
  Writer w;
  w.header(3, 1, 0);
  w.str("t").put<uint32_t>(1).put<uint64_t>(32).put<uint32_t>(4).put<uint64_t>(0);
  EXPECT_THAT(errorOf(w.parse()), HasSubstr((
                                      "tensor 't' has unknown ggml type 4")));
  Writer v;
  v.header(3, 0, 1);
  v.str("k").put<uint32_t>(13);
  EXPECT_THAT(errorOf(v.parse()), HasSubstr((
                                      "unknown metadata value type 13 for 'k'")));
}

TEST(GGUFReader, RejectsDataOutsideTheFileOrOverlapping) {
  Writer w = validFile();
  w.bytes.resize(w.bytes.size() - 10);
  EXPECT_THAT(errorOf(w.parse()), HasSubstr((
                                      "tensor 'b' data [32, 66) lies outside")));
  Writer v;
  v.header(3, 2, 0);
  v.str("a").put<uint32_t>(1).put<uint64_t>(16).put<uint32_t>(0).put<uint64_t>(0);
  v.str("b").put<uint32_t>(1).put<uint64_t>(8).put<uint32_t>(0).put<uint64_t>(32);
  v.padTo(32);
  v.bytes.append(128, '\0');
  EXPECT_THAT(errorOf(v.parse()), HasSubstr((
                                      "tensor 'a' data [0, 64) overlaps tensor "
                                      "'b' at 32")));
}

TEST(GGUFReader, ReadsStories260K) {
  std::string path = "../shared/models/stories260K/stories260K.gguf";
  if (const char *dir = std::getenv("TT_SHARED_DIR"))
    path = std::string(dir) + "/models/stories260K/stories260K.gguf";
  else if (const char *src = std::getenv("TT_SOURCE_DIR"))
    path = std::string(src) + "/../shared/models/stories260K/stories260K.gguf";
  if (!llvm::sys::fs::exists(path))
    GTEST_SKIP() << "stories260K.gguf not found at " << path
                 << " (set TT_SHARED_DIR)";
  llvm::Expected<GGUFFile> file = readGGUF(path);
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  EXPECT_EQ(file->version, 3u);
  EXPECT_EQ(file->tensors.size(), 48u);
  EXPECT_EQ(*file->lookup("llama.embedding_length")->getAsInteger(), 64);
  const GGUFTensorInfo *embd = file->findTensor("token_embd.weight");
  ASSERT_TRUE(embd);
  EXPECT_EQ(embd->getShape(), (llvm::SmallVector<int64_t, 4>{512, 64}));
}

} // namespace
