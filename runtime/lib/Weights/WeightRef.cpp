//===- WeightRef.cpp - Parse and print bind keys --------------------------===//

#include "tt/Runtime/WeightRef.h"
#include "tt/Runtime/Kernels.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace tt;

static llvm::Error fail(llvm::StringRef key, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "weight key '" + key + "': " + message);
}

int32_t tt::runtimeTypeFromName(llvm::StringRef name) {
  // Type ids are small (ggml's, and tt's own above them).
  for (int32_t id = 0; id < 1024; ++id)
    if (name == rt::typeName(id))
      return id;
  return -1;
}

llvm::Expected<WeightRef> WeightRef::parse(llvm::StringRef key) {
  WeightRef ref;
  // Suffixes start at the first '@'; tensor names never contain one.
  auto [tensor, rest] = key.split('@');
  if (tensor.empty())
    return fail(key, "no tensor name");
  ref.tensor = tensor.str();
  llvm::SmallVector<llvm::StringRef> suffixes;
  if (key.contains('@'))
    rest.split(suffixes, '@', -1, /*KeepEmpty=*/true);
  // Order of application: transpose, rows, shard, partial, as.
  int order = 0;
  for (llvm::StringRef suffix : suffixes) {
    if (suffix == "transpose") {
      if (order > 0)
        return fail(key, "'@transpose' must come first");
      order = 1;
      ref.transpose = true;
    } else if (suffix.consume_front("rows(")) {
      if (order > 1)
        return fail(key, "'@rows' must come before '@shard', '@partial' and "
                         "'@as'");
      order = 2;
      llvm::StringRef args = suffix;
      if (!args.consume_back(")"))
        return fail(key, "'@rows(' needs a closing ')'");
      auto [a, b] = args.split(',');
      if (a.trim().getAsInteger(10, ref.rowBegin) ||
          b.trim().getAsInteger(10, ref.rowEnd) || ref.rowBegin < 0 ||
          ref.rowEnd <= ref.rowBegin)
        return fail(key, "'@rows(a,b)' needs 0 <= a < b, not '" + args + "'");
    } else if (suffix.consume_front("qkv(")) {
      if (order > 1)
        return fail(key, "'@qkv' must come before '@shard', '@partial' and "
                         "'@as'");
      order = 2;
      llvm::StringRef args = suffix;
      if (!args.consume_back(")"))
        return fail(key, "'@qkv(' needs a closing ')'");
      llvm::SmallVector<llvm::StringRef, 3> parts;
      args.split(parts, ',');
      if (parts.size() != 3 || parts[0].trim().getAsInteger(10, ref.qkvGroups) ||
          parts[1].trim().getAsInteger(10, ref.rowBegin) ||
          parts[2].trim().getAsInteger(10, ref.rowEnd) || ref.qkvGroups < 1 ||
          ref.rowBegin < 0 || ref.rowEnd <= ref.rowBegin)
        return fail(key, "'@qkv(G,a,b)' needs G >= 1 and 0 <= a < b, not '" +
                             args + "'");
    } else if (suffix.consume_front("shard(")) {
      if (order > 2)
        return fail(key, "'@shard' must come before '@partial' and '@as'");
      order = 3;
      llvm::StringRef args = suffix;
      if (!args.consume_back(")"))
        return fail(key, "'@shard(' needs a closing ')'");
      auto [d, p] = args.split(',');
      if (d.trim().getAsInteger(10, ref.shardDim) ||
          p.trim().getAsInteger(10, ref.shardParts) || ref.shardDim < 0 ||
          ref.shardParts < 1)
        return fail(key, "'@shard(D,P)' needs a dimension D >= 0 and a "
                         "number of pieces P >= 1, not '" +
                             args + "'");
    } else if (suffix == "partial") {
      if (order > 3)
        return fail(key, "'@partial' must come before '@as'");
      order = 4;
      ref.partial = true;
    } else if (suffix.consume_front("as(")) {
      if (order > 4)
        return fail(key, "'@as' may appear once");
      order = 5;
      llvm::StringRef type = suffix;
      if (!type.consume_back(")"))
        return fail(key, "'@as(' needs a closing ')'");
      ref.asType = runtimeTypeFromName(type);
      if (ref.asType < 0)
        return fail(key, "unknown type '" + type + "'");
    } else {
      return fail(key, "unknown suffix '@" + suffix +
                           "' (expected transpose, rows(a,b), qkv(G,a,b), "
                           "shard(D,P), partial or as(TYPE))");
    }
  }
  return ref;
}

std::string WeightRef::str() const {
  std::string s = tensor;
  if (transpose)
    s += "@transpose";
  if (qkvGroups)
    s += llvm::formatv("@qkv({0},{1},{2})", qkvGroups, rowBegin, rowEnd).str();
  else if (rowEnd >= 0)
    s += llvm::formatv("@rows({0},{1})", rowBegin, rowEnd).str();
  if (shardParts)
    s += llvm::formatv("@shard({0},{1})", shardDim, shardParts).str();
  if (partial)
    s += "@partial";
  if (asType >= 0)
    s += std::string("@as(") + rt::typeName(asType) + ")";
  return s;
}
