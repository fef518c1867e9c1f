//===- GGUFLoader.cpp - A tokenizer from GGUF tokenizer.ggml.* metadata ---===//
//
// Reads the keys llama.cpp writes (convert_hf_to_gguf.py) and applies
// llama.cpp's defaults for the ones a file leaves out.
//
//===----------------------------------------------------------------------===//

#include "PreTokenizers.h"
#include "TokenizerImpl.h"

#include "tt/Import/GGUFReader.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace tt;
using namespace tt::rt;

namespace {
class MetadataReader {
public:
  MetadataReader(const GGUFFile &file, llvm::StringRef name)
      : file(file), name(name) {}

  llvm::Error error(llvm::StringRef key, const llvm::Twine &msg) const {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: metadata '{1}': {2}", name, key, msg.str()));
  }

  const llvm::json::Value *find(llvm::StringRef key) const {
    return file.lookup(key);
  }

  llvm::Expected<std::optional<std::string>>
  getString(llvm::StringRef key) const {
    const llvm::json::Value *v = find(key);
    if (!v)
      return std::nullopt;
    auto s = v->getAsString();
    if (!s)
      return error(key, "expected a string");
    return std::optional<std::string>(s->str());
  }

  llvm::Expected<std::optional<int64_t>> getInt(llvm::StringRef key) const {
    const llvm::json::Value *v = find(key);
    if (!v)
      return std::nullopt;
    auto i = v->getAsInteger();
    if (!i) {
      if (auto u = v->getAsUINT64())
        return std::optional<int64_t>(int64_t(*u));
      return error(key, "expected an integer");
    }
    return std::optional<int64_t>(*i);
  }

  llvm::Expected<std::optional<bool>> getBool(llvm::StringRef key) const {
    const llvm::json::Value *v = find(key);
    if (!v)
      return std::nullopt;
    auto b = v->getAsBoolean();
    if (!b)
      return error(key, "expected a boolean");
    return std::optional<bool>(*b);
  }

  llvm::Expected<const llvm::json::Array *> getArray(llvm::StringRef key,
                                                     bool required) const {
    const llvm::json::Value *v = find(key);
    if (!v) {
      if (required)
        return error(key, "missing");
      return nullptr;
    }
    const llvm::json::Array *a = v->getAsArray();
    if (!a)
      return error(key, "expected an array");
    return a;
  }

private:
  const GGUFFile &file;
  std::string name;
};
} // namespace

/// Sets `id` from an optional id key; ids outside the vocabulary (e.g.
/// 0xFFFFFFFF for "none") keep the default, as in llama.cpp.
static llvm::Error readId(const MetadataReader &r, llvm::StringRef key,
                          int32_t &id, size_t vocabSize) {
  auto v = r.getInt(key);
  if (!v)
    return v.takeError();
  if (*v && **v >= 0 && uint64_t(**v) < vocabSize)
    id = int32_t(**v);
  return llvm::Error::success();
}

static llvm::Error readFlag(const MetadataReader &r, llvm::StringRef key,
                            bool &flag) {
  auto v = r.getBool(key);
  if (!v)
    return v.takeError();
  if (*v)
    flag = **v;
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<Tokenizer>>
Tokenizer::fromGGUF(const GGUFFile &file, llvm::StringRef name) {
  MetadataReader r(file, name);
  auto impl = std::make_unique<Impl>();
  Impl &m = *impl;

  auto model = r.getString("tokenizer.ggml.model");
  if (!model)
    return model.takeError();
  if (!*model)
    return r.error("tokenizer.ggml.model", "missing (no vocabulary)");
  m.modelName = **model;
  auto pre = r.getString("tokenizer.ggml.pre");
  if (!pre)
    return pre.takeError();
  m.preName = pre->value_or("");

  if (m.modelName == "llama") {
    m.kind = TokenizerKind::SPM;
    m.bosId = 1, m.eosId = 2, m.unkId = 0;
    m.addSpacePrefix = true;
    m.escapeWhitespace = true;
    m.addBos = true;
  } else if (m.modelName == "gpt2") {
    m.kind = TokenizerKind::BPE;
    m.bosId = 11, m.eosId = 11;
    std::optional<PreTokenizerSpec> spec = lookupPreTokenizer(m.preName);
    if (!spec)
      return r.error("tokenizer.ggml.pre",
                     "unknown pre-tokenizer '" + m.preName + "'");
    for (const std::string &pattern : spec->regexes) {
      auto re = Regex::compile(pattern);
      if (!re)
        return re.takeError();
      m.regexes.push_back(std::move(*re));
    }
    m.ignoreMerges = spec->ignoreMerges;
    m.addBos = spec->addBos;
  } else if (m.modelName == "bert") {
    m.kind = TokenizerKind::WPM;
    m.bosId = 101, m.unkId = 100, m.sepId = 102, m.padId = 0;
    m.addBos = true;
    m.addSep = true;
  } else {
    return r.error("tokenizer.ggml.model",
                   "unsupported tokenizer model '" + m.modelName +
                       "' (supported: llama, gpt2, bert)");
  }
  if (llvm::Error err =
          readFlag(r, "tokenizer.ggml.add_space_prefix", m.addSpacePrefix))
    return std::move(err);

  auto tokens = r.getArray("tokenizer.ggml.tokens", true);
  if (!tokens)
    return tokens.takeError();
  auto scores = r.getArray("tokenizer.ggml.scores", false);
  if (!scores)
    return scores.takeError();
  auto types = r.getArray("tokenizer.ggml.token_type", false);
  if (!types)
    return types.takeError();
  size_t n = (*tokens)->size();
  if (*scores && (*scores)->size() < n)
    return r.error(
        "tokenizer.ggml.scores",
        llvm::formatv("has {0} entries for {1} tokens", (*scores)->size(), n));
  if (*types && (*types)->size() < n)
    return r.error(
        "tokenizer.ggml.token_type",
        llvm::formatv("has {0} entries for {1} tokens", (*types)->size(), n));
  m.tokens.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto text = (**tokens)[i].getAsString();
    if (!text)
      return r.error("tokenizer.ggml.tokens",
                     llvm::formatv("entry {0} is not a string", i));
    float score = 0.0f;
    if (*scores) {
      auto s = (**scores)[i].getAsNumber();
      if (!s)
        return r.error("tokenizer.ggml.scores",
                       llvm::formatv("entry {0} is not a number", i));
      score = float(*s);
    }
    TokenAttr attr = TokenAttr::Normal;
    if (*types) {
      auto t = (**types)[i].getAsInteger();
      if (!t)
        return r.error("tokenizer.ggml.token_type",
                       llvm::formatv("entry {0} is not an integer", i));
      attr = (*t >= 1 && *t <= 6) ? TokenAttr(*t) : TokenAttr::Undefined;
    }
    std::string word = text->str();
    // Without token types, SentencePiece's byte pieces are still bytes.
    if (!*types && m.kind == TokenizerKind::SPM && word.size() == 6 &&
        llvm::StringRef(word).starts_with("<0x") && word[5] == '>')
      attr = TokenAttr::Byte;
    if (word.empty())
      word = "[EMPTY_" + std::to_string(i) + "]";
    // The metadata reader replaces bytes that are not UTF-8 by U+FFFD, so
    // distinct raw-byte pieces may arrive equal: keep them (by id).
    bool mangled = llvm::StringRef(word).contains("\xef\xbf\xbd");
    if (!m.addToken(word, score, attr, /*allowDuplicate=*/mangled))
      return r.error(
          "tokenizer.ggml.tokens",
          llvm::formatv("duplicate token '{0}' at index {1}", word, i));
  }

  if (m.kind == TokenizerKind::BPE) {
    auto merges = r.getArray("tokenizer.ggml.merges", true);
    if (!merges)
      return merges.takeError();
    for (size_t i = 0; i < (*merges)->size(); ++i) {
      auto word = (**merges)[i].getAsString();
      if (!word)
        return r.error("tokenizer.ggml.merges",
                       llvm::formatv("entry {0} is not a string", i));
      size_t sp = word->find(' ', 1);
      if (sp == llvm::StringRef::npos)
        return r.error(
            "tokenizer.ggml.merges",
            llvm::formatv("entry {0} ('{1}') is not 'left right'", i, *word));
      std::string key = word->substr(0, sp).str();
      key += Impl::kMergeSeparator;
      key += word->substr(sp + 1).str();
      m.mergeRanks.try_emplace(key, int32_t(i));
    }
  }

  struct IdKey {
    const char *key;
    int32_t *id;
  } idKeys[] = {
      {"tokenizer.ggml.bos_token_id", &m.bosId},
      {"tokenizer.ggml.eos_token_id", &m.eosId},
      {"tokenizer.ggml.eot_token_id", &m.eotId},
      {"tokenizer.ggml.eom_token_id", &m.eomId},
      {"tokenizer.ggml.unknown_token_id", &m.unkId},
      {"tokenizer.ggml.seperator_token_id", &m.sepId},
      {"tokenizer.ggml.padding_token_id", &m.padId},
  };
  for (const IdKey &k : idKeys)
    if (llvm::Error err = readId(r, k.key, *k.id, n))
      return std::move(err);
  if (m.kind == TokenizerKind::WPM)
    if (llvm::Error err = readId(r, "tokenizer.ggml.cls_token_id", m.bosId, n))
      return std::move(err);
  // Without token types, the special ids are still not text.
  if (!*types) {
    for (int32_t id : {m.bosId, m.eosId, m.eotId, m.eomId, m.sepId, m.padId})
      if (m.valid(id))
        m.attrs[id] = TokenAttr::Control;
    if (m.valid(m.unkId))
      m.attrs[m.unkId] = TokenAttr::Unknown;
  }
  if (llvm::Error err = readFlag(r, "tokenizer.ggml.add_bos_token", m.addBos))
    return std::move(err);
  if (llvm::Error err = readFlag(r, "tokenizer.ggml.add_eos_token", m.addEos))
    return std::move(err);
  if (llvm::Error err = readFlag(r, "tokenizer.ggml.add_sep_token", m.addSep))
    return std::move(err);
  if (llvm::Error err =
          readFlag(r, "tokenizer.ggml.normalizer.lowercase", m.lowercase))
    return std::move(err);
  m.stripAccents = m.lowercase;
  if (llvm::Error err = readFlag(r, "tokenizer.ggml.normalizer.strip_accents",
                                 m.stripAccents))
    return std::move(err);

  if (llvm::Error err = m.finalize(name))
    return std::move(err);
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

llvm::Expected<std::unique_ptr<Tokenizer>>
Tokenizer::fromGGUFFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: %s",
                                   path.str().c_str(),
                                   buffer.getError().message().c_str());
  // Only the metadata is read: vocab-only files have no tensor data.
  auto file = parseGGUF((*buffer)->getMemBufferRef(), /*requireData=*/false);
  if (!file)
    return file.takeError();
  return fromGGUF(*file, path);
}
