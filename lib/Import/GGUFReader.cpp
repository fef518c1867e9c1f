//===- GGUFReader.cpp - GGUF metadata and tensor infos --------------------===//
//
// The format: "GGUF", uint32 version, uint64 tensor count, uint64 metadata
// count, metadata (string key, uint32 type, value), tensor infos (string
// name, uint32 n_dims, uint64 ne[n_dims], uint32 ggml type, uint64 offset),
// padding to `general.alignment` (default 32), then the data. Little endian.
//
//===----------------------------------------------------------------------===//

#include "tt/Import/GGUFReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace tt;
using llvm::Error;
using llvm::Expected;

// ggml-common.h block layouts; ids removed from ggml (4, 5, 31-33, 36-38)
// are unknown.
static const GGMLType kGGMLTypes[] = {
    {0, "f32", 1, 4},          {1, "f16", 1, 2},
    {2, "q4_0", 32, 18},       {3, "q4_1", 32, 20},
    {6, "q5_0", 32, 22},       {7, "q5_1", 32, 24},
    {8, "q8_0", 32, 34},       {9, "q8_1", 32, 36},
    {10, "q2_k", 256, 84},     {11, "q3_k", 256, 110},
    {12, "q4_k", 256, 144},    {13, "q5_k", 256, 176},
    {14, "q6_k", 256, 210},    {15, "q8_k", 256, 292},
    {16, "iq2_xxs", 256, 66},  {17, "iq2_xs", 256, 74},
    {18, "iq3_xxs", 256, 98},  {19, "iq1_s", 256, 50},
    {20, "iq4_nl", 32, 18},    {21, "iq3_s", 256, 110},
    {22, "iq2_s", 256, 82},    {23, "iq4_xs", 256, 136},
    {24, "i8", 1, 1},          {25, "i16", 1, 2},
    {26, "i32", 1, 4},         {27, "i64", 1, 8},
    {28, "f64", 1, 8},         {29, "iq1_m", 256, 56},
    {30, "bf16", 1, 2},        {34, "tq1_0", 256, 54},
    {35, "tq2_0", 256, 66},    {39, "mxfp4", 32, 17},
};

std::optional<GGMLType> tt::lookupGGMLType(uint32_t id) {
  for (const GGMLType &t : kGGMLTypes)
    if (t.id == id)
      return t;
  return std::nullopt;
}

llvm::SmallVector<int64_t, 4> GGUFTensorInfo::getShape() const {
  return llvm::SmallVector<int64_t, 4>(llvm::reverse(ne));
}

int64_t GGUFTensorInfo::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : ne)
    n *= d;
  return n;
}

const llvm::json::Value *GGUFFile::lookup(llvm::StringRef key) const {
  for (const auto &[k, v] : metadata)
    if (k == key)
      return &v;
  return nullptr;
}

const GGUFTensorInfo *GGUFFile::findTensor(llvm::StringRef name) const {
  for (const GGUFTensorInfo &t : tensors)
    if (t.name == name)
      return &t;
  return nullptr;
}

namespace {
/// A bounds-checked little-endian cursor over the file.
class Cursor {
public:
  Cursor(llvm::MemoryBufferRef buffer) : buffer(buffer) {}

  uint64_t offset() const { return pos; }
  uint64_t size() const { return buffer.getBufferSize(); }

  Error fail(const llvm::Twine &message, uint64_t at) const {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: at byte {1}: {2}", buffer.getBufferIdentifier(),
                      at, message.str()));
  }

  template <typename T> Expected<T> read(llvm::StringRef what) {
    if (size() - pos < sizeof(T) || pos > size())
      return fail(llvm::formatv("truncated file: {0} needs {1} bytes but "
                                "only {2} remain",
                                what, sizeof(T), size() - std::min(pos, size())),
                  pos);
    T value = llvm::support::endian::read<T, llvm::endianness::little>(
        buffer.getBufferStart() + pos);
    pos += sizeof(T);
    return value;
  }

  Expected<std::string> readString(llvm::StringRef what) {
    uint64_t at = pos;
    Expected<uint64_t> len = read<uint64_t>(what);
    if (!len)
      return len.takeError();
    if (*len > size() - pos)
      return fail(llvm::formatv("{0} has length {1}, beyond the end of the "
                                "file ({2} bytes remain)",
                                what, *len, size() - pos),
                  at);
    std::string s(buffer.getBufferStart() + pos, *len);
    pos += *len;
    return s;
  }

private:
  llvm::MemoryBufferRef buffer;
  uint64_t pos = 0;
};
} // namespace

enum GGUFValueType : uint32_t {
  kU8 = 0, kI8, kU16, kI16, kU32, kI32, kF32, kBool, kString, kArray, kU64,
  kI64, kF64
};

/// The double nearest the shortest decimal that reads back as `value` in
/// float32: an epsilon stored as f32 1e-05 reads as 1e-05, not as
/// 9.99999974738e-06, matching the config it was converted from.
static double shortestDouble(float value) {
  char buffer[32];
  for (int precision = 1; precision <= 9; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtof(buffer, nullptr) == value)
      return std::strtod(buffer, nullptr);
  }
  return value;
}

static Expected<llvm::json::Value> readValue(Cursor &c, uint32_t type,
                                             llvm::StringRef key, int depth) {
  auto num = [&](auto value) -> Expected<llvm::json::Value> {
    if (!value)
      return value.takeError();
    return llvm::json::Value(*value);
  };
  switch (type) {
  case kU8: return num(c.read<uint8_t>(key));
  case kI8: return num(c.read<int8_t>(key));
  case kU16: return num(c.read<uint16_t>(key));
  case kI16: return num(c.read<int16_t>(key));
  case kU32: return num(c.read<uint32_t>(key));
  case kI32: return num(c.read<int32_t>(key));
  case kU64: {
    Expected<uint64_t> v = c.read<uint64_t>(key);
    if (!v)
      return v.takeError();
    return llvm::json::Value(*v);
  }
  case kI64: return num(c.read<int64_t>(key));
  case kF32: {
    Expected<float> v = c.read<float>(key);
    if (!v)
      return v.takeError();
    return llvm::json::Value(shortestDouble(*v));
  }
  case kF64: return num(c.read<double>(key));
  case kBool: {
    uint64_t at = c.offset();
    Expected<uint8_t> v = c.read<uint8_t>(key);
    if (!v)
      return v.takeError();
    if (*v > 1)
      return c.fail(llvm::formatv("boolean '{0}' has value {1}", key, *v), at);
    return llvm::json::Value(*v != 0);
  }
  case kString: {
    Expected<std::string> s = c.readString(("string value of '" + key + "'").str());
    if (!s)
      return s.takeError();
    return llvm::json::Value(std::move(*s));
  }
  case kArray: {
    uint64_t at = c.offset();
    if (depth > 0)
      return c.fail(llvm::formatv("nested array in '{0}'", key), at);
    Expected<uint32_t> elementType = c.read<uint32_t>(key);
    if (!elementType)
      return elementType.takeError();
    Expected<uint64_t> count = c.read<uint64_t>(key);
    if (!count)
      return count.takeError();
    // Every element takes at least one byte.
    if (*count > c.size() - c.offset())
      return c.fail(llvm::formatv("array '{0}' claims {1} elements but only "
                                  "{2} bytes remain",
                                  key, *count, c.size() - c.offset()),
                    at);
    llvm::json::Array array;
    array.reserve(*count);
    for (uint64_t i = 0; i < *count; ++i) {
      Expected<llvm::json::Value> v = readValue(c, *elementType, key, depth + 1);
      if (!v)
        return v.takeError();
      array.push_back(std::move(*v));
    }
    return llvm::json::Value(std::move(array));
  }
  default:
    return c.fail(llvm::formatv("unknown metadata value type {0} for '{1}'",
                                type, key),
                  c.offset() - 4);
  }
}

Expected<GGUFFile> tt::parseGGUF(llvm::MemoryBufferRef buffer,
                                 bool requireData) {
  Cursor c(buffer);
  GGUFFile file;
  Expected<uint32_t> magic = c.read<uint32_t>("magic");
  if (!magic)
    return magic.takeError();
  if (*magic != 0x46554747) // "GGUF"
    return c.fail(llvm::formatv("bad magic {0:x8}: not a GGUF file "
                                "(expected \"GGUF\")",
                                *magic),
                  0);
  Expected<uint32_t> version = c.read<uint32_t>("version");
  if (!version)
    return version.takeError();
  if (*version != 2 && *version != 3)
    return c.fail(llvm::formatv("unsupported GGUF version {0} (2 and 3 are "
                                "supported)",
                                *version),
                  4);
  file.version = *version;
  Expected<uint64_t> tensorCount = c.read<uint64_t>("tensor count");
  if (!tensorCount)
    return tensorCount.takeError();
  Expected<uint64_t> kvCount = c.read<uint64_t>("metadata count");
  if (!kvCount)
    return kvCount.takeError();
  // A metadata entry takes at least 12 bytes, a tensor info at least 24.
  if (*kvCount > c.size() / 12)
    return c.fail(llvm::formatv("metadata count {0} cannot fit in a file of "
                                "{1} bytes",
                                *kvCount, c.size()),
                  16);
  if (*tensorCount > c.size() / 24)
    return c.fail(llvm::formatv("tensor count {0} cannot fit in a file of {1} "
                                "bytes",
                                *tensorCount, c.size()),
                  8);

  for (uint64_t i = 0; i < *kvCount; ++i) {
    Expected<std::string> key = c.readString("metadata key");
    if (!key)
      return key.takeError();
    Expected<uint32_t> type = c.read<uint32_t>(*key);
    if (!type)
      return type.takeError();
    Expected<llvm::json::Value> value = readValue(c, *type, *key, 0);
    if (!value)
      return value.takeError();
    if (*key == "general.alignment") {
      std::optional<int64_t> a = value->getAsInteger();
      if (!a || *a <= 0 || (*a & (*a - 1)) != 0)
        return c.fail("general.alignment must be a positive power of two",
                      c.offset());
      file.alignment = *a;
    }
    file.metadata.emplace_back(std::move(*key), std::move(*value));
  }

  for (uint64_t i = 0; i < *tensorCount; ++i) {
    GGUFTensorInfo info;
    Expected<std::string> name = c.readString("tensor name");
    if (!name)
      return name.takeError();
    info.name = std::move(*name);
    uint64_t at = c.offset();
    Expected<uint32_t> nDims = c.read<uint32_t>(info.name);
    if (!nDims)
      return nDims.takeError();
    if (*nDims == 0 || *nDims > 4)
      return c.fail(llvm::formatv("tensor '{0}' has {1} dimensions (1 to 4 "
                                  "allowed)",
                                  info.name, *nDims),
                    at);
    for (uint32_t d = 0; d < *nDims; ++d) {
      Expected<uint64_t> dim = c.read<uint64_t>(info.name);
      if (!dim)
        return dim.takeError();
      if (*dim == 0 || *dim > (uint64_t(1) << 40))
        return c.fail(llvm::formatv("tensor '{0}' has dimension {1} = {2}",
                                    info.name, d, *dim),
                      c.offset() - 8);
      info.ne.push_back(static_cast<int64_t>(*dim));
    }
    at = c.offset();
    Expected<uint32_t> typeId = c.read<uint32_t>(info.name);
    if (!typeId)
      return typeId.takeError();
    std::optional<GGMLType> type = lookupGGMLType(*typeId);
    if (!type)
      return c.fail(llvm::formatv("tensor '{0}' has unknown ggml type {1}",
                                  info.name, *typeId),
                    at);
    info.type = *type;
    if (info.ne[0] % type->blockSize != 0)
      return c.fail(llvm::formatv("tensor '{0}': innermost dimension {1} is not "
                                  "a multiple of the {2} block size {3}",
                                  info.name, info.ne[0], type->name,
                                  type->blockSize),
                    at);
    Expected<uint64_t> offset = c.read<uint64_t>(info.name);
    if (!offset)
      return offset.takeError();
    info.offset = *offset;
    info.bytes = static_cast<uint64_t>(info.getNumElements() /
                                       type->blockSize * type->blockBytes);
    if (info.offset % file.alignment != 0)
      return c.fail(llvm::formatv("tensor '{0}' data offset {1} is not a "
                                  "multiple of the alignment {2}",
                                  info.name, info.offset, file.alignment),
                    c.offset() - 8);
    file.tensors.push_back(std::move(info));
  }

  file.dataOffset = llvm::alignTo(c.offset(), file.alignment);
  if (!requireData || file.tensors.empty())
    return file;

  // Tensor data must lie within the file and not overlap.
  uint64_t dataBytes =
      c.size() > file.dataOffset ? c.size() - file.dataOffset : 0;
  std::vector<const GGUFTensorInfo *> byOffset;
  for (const GGUFTensorInfo &t : file.tensors)
    byOffset.push_back(&t);
  llvm::sort(byOffset, [](auto *a, auto *b) { return a->offset < b->offset; });
  for (size_t i = 0; i < byOffset.size(); ++i) {
    const GGUFTensorInfo &t = *byOffset[i];
    if (t.offset > dataBytes || t.bytes > dataBytes - t.offset)
      return c.fail(llvm::formatv("tensor '{0}' data [{1}, {2}) lies outside "
                                  "the {3} bytes of data in the file",
                                  t.name, t.offset, t.offset + t.bytes,
                                  dataBytes),
                    file.dataOffset);
    if (i + 1 < byOffset.size() && t.offset + t.bytes > byOffset[i + 1]->offset)
      return c.fail(llvm::formatv("tensor '{0}' data [{1}, {2}) overlaps "
                                  "tensor '{3}' at {4}",
                                  t.name, t.offset, t.offset + t.bytes,
                                  byOffset[i + 1]->name,
                                  byOffset[i + 1]->offset),
                    file.dataOffset);
  }
  return file;
}

Expected<GGUFFile> tt::readGGUF(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot open '" + path + "': " +
                                       buffer.getError().message());
  Expected<GGUFFile> file = parseGGUF((*buffer)->getMemBufferRef());
  return file;
}
