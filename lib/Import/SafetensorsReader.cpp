//===- SafetensorsReader.cpp - safetensors headers ------------------------===//

#include "tt/Import/SafetensorsReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <fstream>
#include <set>

using namespace tt;
using llvm::Expected;

static llvm::Error fail(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

unsigned tt::getSafetensorsDtypeBytes(llvm::StringRef dtype) {
  return llvm::StringSwitch<unsigned>(dtype)
      .Cases({"BOOL", "U8", "I8", "F8_E4M3", "F8_E5M2"}, 1)
      .Cases({"I16", "U16", "F16", "BF16"}, 2)
      .Cases({"I32", "U32", "F32"}, 4)
      .Cases({"I64", "U64", "F64"}, 8)
      .Default(0);
}

Expected<std::vector<SafetensorsTensor>>
tt::readSafetensorsHeader(llvm::StringRef path) {
  uint64_t fileSize = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(path, fileSize))
    return fail(path, "cannot open: " + ec.message());
  std::ifstream in(path.str(), std::ios::binary);
  unsigned char lenBytes[8];
  if (fileSize < 8 || !in.read(reinterpret_cast<char *>(lenBytes), 8))
    return fail(path, llvm::formatv("file of {0} bytes is too short for the "
                                    "8-byte header length",
                                    fileSize));
  uint64_t headerLen = 0;
  for (int i = 7; i >= 0; --i)
    headerLen = (headerLen << 8) | lenBytes[i];
  if (headerLen > fileSize - 8)
    return fail(path, llvm::formatv("header length {0} exceeds the {1} bytes "
                                    "after it in the file",
                                    headerLen, fileSize - 8));
  std::string header(headerLen, '\0');
  if (!in.read(header.data(), headerLen))
    return fail(path, "cannot read the header");
  Expected<llvm::json::Value> json = llvm::json::parse(header);
  if (!json)
    return fail(path, "malformed header JSON: " +
                          llvm::toString(json.takeError()));
  const llvm::json::Object *object = json->getAsObject();
  if (!object)
    return fail(path, "header must be a JSON object");

  uint64_t dataBytes = fileSize - 8 - headerLen;
  std::vector<SafetensorsTensor> tensors;
  std::vector<std::pair<std::pair<uint64_t, uint64_t>, std::string>> ranges;
  for (const auto &[key, value] : *object) {
    if (key == "__metadata__")
      continue;
    std::string name = key.str();
    const llvm::json::Object *entry = value.getAsObject();
    auto dtype = entry ? entry->getString("dtype") : std::nullopt;
    const llvm::json::Array *shape = entry ? entry->getArray("shape") : nullptr;
    const llvm::json::Array *offsets =
        entry ? entry->getArray("data_offsets") : nullptr;
    if (!dtype || !shape || !offsets || offsets->size() != 2)
      return fail(path, "tensor '" + name +
                            "' needs dtype, shape and two data_offsets");
    unsigned elementBytes = getSafetensorsDtypeBytes(*dtype);
    if (!elementBytes)
      return fail(path, "tensor '" + name + "' has unknown dtype '" + *dtype +
                            "'");
    SafetensorsTensor t{name, dtype->str(), {}, path.str()};
    uint64_t elements = 1;
    for (const llvm::json::Value &d : *shape) {
      std::optional<int64_t> dim = d.getAsInteger();
      if (!dim || *dim < 0)
        return fail(path, "tensor '" + name + "' has a bad shape");
      t.shape.push_back(*dim);
      elements *= static_cast<uint64_t>(*dim);
    }
    std::optional<int64_t> begin = (*offsets)[0].getAsInteger();
    std::optional<int64_t> end = (*offsets)[1].getAsInteger();
    if (!begin || !end || *begin < 0 || *end < *begin)
      return fail(path, "tensor '" + name + "' has bad data_offsets");
    if (static_cast<uint64_t>(*end) > dataBytes)
      return fail(path, llvm::formatv("tensor '{0}' data [{1}, {2}) lies "
                                      "outside the {3} bytes of data",
                                      name, *begin, *end, dataBytes));
    if (static_cast<uint64_t>(*end - *begin) != elements * elementBytes)
      return fail(path, llvm::formatv("tensor '{0}' has {1} bytes of data but "
                                      "its shape and dtype need {2}",
                                      name, *end - *begin,
                                      elements * elementBytes));
    t.fileOffset = 8 + headerLen + static_cast<uint64_t>(*begin);
    t.dataBytes = static_cast<uint64_t>(*end - *begin);
    ranges.push_back({{*begin, *end}, name});
    tensors.push_back(std::move(t));
  }
  llvm::sort(ranges);
  for (size_t i = 0; i + 1 < ranges.size(); ++i)
    if (ranges[i].first.second > ranges[i + 1].first.first)
      return fail(path, llvm::formatv("tensor '{0}' data [{1}, {2}) overlaps "
                                      "tensor '{3}' at {4}",
                                      ranges[i].second, ranges[i].first.first,
                                      ranges[i].first.second,
                                      ranges[i + 1].second,
                                      ranges[i + 1].first.first));
  return tensors;
}

Expected<std::vector<SafetensorsTensor>>
tt::readSafetensorsDirectory(llvm::StringRef dir) {
  llvm::SmallString<256> single(dir), index(dir);
  llvm::sys::path::append(single, "model.safetensors");
  llvm::sys::path::append(index, "model.safetensors.index.json");
  if (llvm::sys::fs::exists(index)) {
    auto buffer = llvm::MemoryBuffer::getFile(index);
    if (!buffer)
      return fail(index, "cannot read: " + buffer.getError().message());
    Expected<llvm::json::Value> json = llvm::json::parse((*buffer)->getBuffer());
    if (!json)
      return fail(index, "malformed JSON: " + llvm::toString(json.takeError()));
    const llvm::json::Object *root = json->getAsObject();
    const llvm::json::Object *map = root ? root->getObject("weight_map") : nullptr;
    if (!map)
      return fail(index, "has no weight_map object");
    llvm::StringMap<std::string> fileOf;
    std::set<std::string> files;
    for (const auto &[name, file] : *map) {
      auto f = file.getAsString();
      if (!f)
        return fail(index, "weight_map entry '" + name.str() +
                               "' must be a file name");
      fileOf[name.str()] = f->str();
      files.insert(f->str());
    }
    std::vector<SafetensorsTensor> all;
    for (const std::string &file : files) {
      llvm::SmallString<256> path(dir);
      llvm::sys::path::append(path, file);
      Expected<std::vector<SafetensorsTensor>> shard =
          readSafetensorsHeader(path);
      if (!shard)
        return shard.takeError();
      for (SafetensorsTensor &t : *shard) {
        auto it = fileOf.find(t.name);
        if (it == fileOf.end() || it->second != file)
          return fail(index, "tensor '" + t.name + "' is in " + file +
                                 " but the weight_map " +
                                 (it == fileOf.end()
                                      ? std::string("does not list it")
                                      : "places it in " + it->second));
        fileOf.erase(it);
        all.push_back(std::move(t));
      }
    }
    if (!fileOf.empty())
      return fail(index, "weight_map lists '" + fileOf.begin()->getKey().str() +
                             "' in " + fileOf.begin()->getValue() +
                             ", whose header does not have it");
    return all;
  }
  if (llvm::sys::fs::exists(single))
    return readSafetensorsHeader(single);
  return std::vector<SafetensorsTensor>{};
}
