//===- WeightStore.cpp - A model's tensors, mmap'd, by name ---------------===//

#include "tt/Runtime/WeightStore.h"
#include "tt/Import/SafetensorsReader.h"
#include "tt/Runtime/RuntimeABI.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <cstring>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace tt;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

WeightStore::~WeightStore() = default;

/// Maps every page of [data, data + size) now (Linux's MADV_POPULATE_READ,
/// as llama.cpp's MAP_POPULATE), reading what the page cache lacks: the
/// first pass over the weights (prefill) then takes no page faults and its
/// prefetches reach the pages. Skipped for files larger than half of the
/// physical memory, on kernels without it (before 5.14) and with
/// TT_RT_POPULATE=0; the pages then come in on first use, as before.
static void populateMapping(const char *data, uint64_t size) {
#if defined(__linux__)
  const char *env = std::getenv("TT_RT_POPULATE");
  if (env && !std::strcmp(env, "0"))
    return;
  long page = sysconf(_SC_PAGESIZE), pages = sysconf(_SC_PHYS_PAGES);
  if (page <= 0 || pages <= 0 ||
      size > static_cast<uint64_t>(pages) / 2 * static_cast<uint64_t>(page))
    return;
  uintptr_t begin =
      reinterpret_cast<uintptr_t>(data) & ~static_cast<uintptr_t>(page - 1);
  constexpr int kPopulateRead = 22; // MADV_POPULATE_READ
  (void)madvise(reinterpret_cast<void *>(begin),
                reinterpret_cast<uintptr_t>(data) + size - begin,
                kPopulateRead);
#else
  (void)data;
  (void)size;
#endif
}

Expected<llvm::StringRef> WeightStore::mapFile(llvm::StringRef file) {
  Expected<llvm::sys::fs::file_t> fd =
      llvm::sys::fs::openNativeFileForRead(file);
  if (!fd)
    return fail(file + ": cannot open: " + llvm::toString(fd.takeError()));
  uint64_t size = 0;
  llvm::sys::fs::file_status status;
  std::error_code ec = llvm::sys::fs::status(*fd, status);
  if (!ec)
    size = status.getSize();
  if (ec || size == 0) {
    llvm::sys::fs::closeFile(*fd);
    return fail(
        file + ": " +
        (ec ? "cannot stat: " + ec.message() : std::string("file is empty")));
  }
  auto region = std::make_unique<llvm::sys::fs::mapped_file_region>(
      *fd, llvm::sys::fs::mapped_file_region::readonly, size, 0, ec);
  llvm::sys::fs::closeFile(*fd);
  if (ec)
    return fail(file + ": cannot map: " + ec.message());
  llvm::StringRef bytes(region->const_data(), size);
  populateMapping(region->const_data(), size);
  maps.push_back(std::move(region));
  return bytes;
}

Expected<std::unique_ptr<WeightStore>> WeightStore::open(llvm::StringRef path) {
  if (llvm::sys::fs::is_directory(path))
    return openSafetensors(path);
  return openGGUF(path);
}

Expected<std::unique_ptr<WeightStore>>
WeightStore::openGGUF(llvm::StringRef path) {
  std::unique_ptr<WeightStore> store(new WeightStore());
  store->path = path.str();
  Expected<llvm::StringRef> bytes = store->mapFile(path);
  if (!bytes)
    return bytes.takeError();
  Expected<GGUFFile> file =
      parseGGUF(llvm::MemoryBufferRef(*bytes, path), /*requireData=*/true);
  if (!file)
    return file.takeError();
  for (const GGUFTensorInfo &t : file->tensors) {
    Entry e;
    e.data = reinterpret_cast<const uint8_t *>(bytes->data()) +
             file->dataOffset + t.offset;
    e.type =
        ttrt_type_supported(t.type.id) ? static_cast<int32_t>(t.type.id) : -1;
    e.typeName = t.type.name;
    e.shape = t.getShape();
    e.bytes = t.bytes;
    e.file = path.str();
    if (!store->tensors.try_emplace(t.name, std::move(e)).second)
      return fail(path + ": tensor '" + t.name + "' appears twice");
  }
  store->gguf = std::move(*file);
  return store;
}

static int32_t safetensorsType(llvm::StringRef dtype) {
  if (dtype == "F32")
    return TTRT_TYPE_F32;
  if (dtype == "F16")
    return TTRT_TYPE_F16;
  if (dtype == "BF16")
    return TTRT_TYPE_BF16;
  return -1;
}

Expected<std::unique_ptr<WeightStore>>
WeightStore::openSafetensors(llvm::StringRef dir) {
  std::unique_ptr<WeightStore> store(new WeightStore());
  store->path = dir.str();
  Expected<std::vector<SafetensorsTensor>> headers =
      readSafetensorsDirectory(dir);
  if (!headers)
    return headers.takeError();
  if (headers->empty())
    return fail(dir + ": has neither model.safetensors nor "
                      "model.safetensors.index.json");
  llvm::StringMap<llvm::StringRef> mapped;
  for (const SafetensorsTensor &t : *headers) {
    auto it = mapped.find(t.file);
    if (it == mapped.end()) {
      Expected<llvm::StringRef> bytes = store->mapFile(t.file);
      if (!bytes)
        return bytes.takeError();
      it = mapped.try_emplace(t.file, *bytes).first;
    }
    llvm::StringRef bytes = it->second;
    if (t.fileOffset + t.dataBytes > bytes.size())
      return fail(llvm::formatv("{0}: tensor '{1}' data [{2}, {3}) lies "
                                "outside the file of {4} bytes",
                                t.file, t.name, t.fileOffset,
                                t.fileOffset + t.dataBytes, bytes.size()));
    Entry e;
    e.data = reinterpret_cast<const uint8_t *>(bytes.data()) + t.fileOffset;
    e.type = safetensorsType(t.dtype);
    e.typeName = t.dtype;
    e.shape.assign(t.shape.begin(), t.shape.end());
    e.bytes = t.dataBytes;
    e.file = t.file;
    if (!store->tensors.try_emplace(t.name, std::move(e)).second)
      return fail(dir + ": tensor '" + t.name + "' appears in two files");
  }
  return store;
}

bool WeightStore::contains(llvm::StringRef name) const {
  return tensors.count(name) != 0;
}

std::vector<std::string> WeightStore::names() const {
  std::vector<std::string> result;
  for (const auto &entry : tensors)
    result.push_back(entry.getKey().str());
  llvm::sort(result);
  return result;
}

uint64_t WeightStore::getTotalBytes() const {
  uint64_t total = 0;
  for (const auto &entry : tensors)
    total += entry.getValue().bytes;
  return total;
}

Expected<Weight> WeightStore::lookup(llvm::StringRef name) const {
  llvm::StringRef base = name;
  std::optional<std::pair<int64_t, int64_t>> range;
  if (name.ends_with("]")) {
    size_t open = name.rfind('[');
    if (open == llvm::StringRef::npos)
      return fail("weight name '" + name + "' has an unmatched ']'");
    llvm::StringRef inside = name.slice(open + 1, name.size() - 1);
    auto [lo, hi] = inside.split(':');
    int64_t a, b;
    if (lo.getAsInteger(10, a) || hi.getAsInteger(10, b) || a < 0 || b <= a)
      return fail("weight name '" + name +
                  "' has a bad row range: expected [a:b] with 0 <= a < b");
    base = name.take_front(open);
    range = {a, b};
  }
  auto it = tensors.find(base);
  if (it == tensors.end())
    return fail("weight '" + base + "' is not in " + path);
  const Entry &e = it->getValue();
  if (e.type < 0)
    return fail(llvm::formatv("weight '{0}' in {1} has type {2}, which the "
                              "runtime cannot use (supported: f32, f16, bf16, "
                              "q8_0, q4_0, q4_k, q5_k, q6_k; safetensors "
                              "F32, F16, BF16)",
                              base, e.file, e.typeName));
  Weight w;
  w.data = e.data;
  w.type = e.type;
  w.shape = e.shape;
  w.bytes = e.bytes;
  if (!range)
    return w;
  int64_t rows = e.shape.empty() ? 1 : e.shape.front();
  auto [a, b] = *range;
  if (b > rows)
    return fail(llvm::formatv("weight '{0}': rows [{1}:{2}] exceed the {3} "
                              "rows of '{4}'",
                              name, a, b, rows, base));
  uint64_t rowBytes = rows ? e.bytes / rows : 0;
  if (rowBytes * rows != e.bytes)
    return fail("weight '" + name + "': '" + base +
                "' cannot be split into whole rows (blocks span rows)");
  w.data = e.data + a * rowBytes;
  w.bytes = (b - a) * rowBytes;
  if (w.shape.empty())
    w.shape.push_back(1);
  w.shape.front() = b - a;
  return w;
}
