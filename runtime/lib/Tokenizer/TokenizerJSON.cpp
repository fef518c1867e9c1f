//===- TokenizerJSON.cpp - A tokenizer from HuggingFace tokenizer.json ----===//
//
// Maps the parts of a tokenizer.json onto the encoders llama.cpp's GGUF
// vocabularies use:
// - model BPE + ByteLevel pre-tokenizer (GPT-2, Llama 3, Qwen2): byte-level
//   BPE; Split(Regex, Isolated) and ByteLevel(use_regex) become the regex
//   chain, Digits a \p{N} split.
// - model BPE + Metaspace or Prepend/Replace("▁") normalizers with
//   byte_fallback (Llama 2, TinyLlama, Mistral): BPE over U+2581-escaped text
//   without byte-level mapping, <0xNN> fallback.
// - model WordPiece + BertNormalizer (BERT): the vocabulary is rewritten to
//   llama.cpp's form (word starts "▁x", continuations "x" instead of "##x").
// Anything else is an error naming the JSON path, not a silent
// approximation.
//
//===----------------------------------------------------------------------===//

#include "PreTokenizers.h"
#include "TokenizerImpl.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>

using namespace tt;
using namespace tt::rt;
namespace json = llvm::json;

static const char kSpaceMarker[] = "\xe2\x96\x81"; // U+2581

namespace {

struct JSONLoader {
  std::string file;
  Tokenizer::Impl &m;
  /// Metaspace prepend_scheme "first": only the text's first fragment.
  bool prefixOnlyFirst = false;
  bool sawByteLevel = false;
  bool sawMetaspace = false;
  bool normalizerEscapes = false;

  llvm::Error error(llvm::StringRef path, const llvm::Twine &msg) const {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: {1}: {2}", file, path, msg.str()));
  }

  static std::string regexEscape(llvm::StringRef s) {
    std::string out;
    for (char c : s) {
      if (llvm::StringRef("\\^$.|?*+()[]{}-").contains(c))
        out += '\\';
      out += c;
    }
    return out;
  }

  llvm::Error addRegex(llvm::StringRef path, llvm::StringRef pattern) {
    auto re = Regex::compile(pattern);
    if (!re)
      return error(path, llvm::toString(re.takeError()));
    m.regexes.push_back(std::move(*re));
    return llvm::Error::success();
  }

  llvm::Error normalizer(const json::Value *v, std::string path) {
    if (!v || v->kind() == json::Value::Null)
      return llvm::Error::success();
    const json::Object *o = v->getAsObject();
    if (!o)
      return error(path, "expected an object");
    llvm::StringRef type = o->getString("type").value_or("");
    if (type == "Sequence") {
      const json::Array *list = o->getArray("normalizers");
      if (!list)
        return error(path, "Sequence without 'normalizers'");
      for (size_t i = 0; i < list->size(); ++i)
        if (llvm::Error err = normalizer(
                &(*list)[i], path + ".normalizers[" + std::to_string(i) + "]"))
          return err;
      return llvm::Error::success();
    }
    if (type == "Prepend") {
      if (o->getString("prepend").value_or("") != kSpaceMarker)
        return error(path, "Prepend of anything but \"\u2581\" is unsupported");
      m.addSpacePrefix = true;
      normalizerEscapes = true;
      return llvm::Error::success();
    }
    if (type == "Replace") {
      const json::Object *pattern = o->getObject("pattern");
      std::optional<llvm::StringRef> from =
          pattern ? pattern->getString("String") : std::nullopt;
      if (!from || *from != " " ||
          o->getString("content").value_or("") != kSpaceMarker)
        return error(path, "only Replace(\" \" -> \"\u2581\") is supported");
      m.escapeWhitespace = true;
      normalizerEscapes = true;
      return llvm::Error::success();
    }
    if (type == "BertNormalizer") {
      m.lowercase = o->getBoolean("lowercase").value_or(true);
      const json::Value *strip = o->get("strip_accents");
      m.stripAccents = (strip && strip->getAsBoolean()) ? *strip->getAsBoolean()
                                                        : m.lowercase;
      return llvm::Error::success();
    }
    if (type == "Lowercase" && m.kind == TokenizerKind::WPM) {
      m.lowercase = true;
      return llvm::Error::success();
    }
    if (type == "NFC" || type == "NFD") {
      if (m.kind != TokenizerKind::BPE)
        return error(path, type + " is supported for BPE models only");
      m.normalization = type == "NFC" ? Tokenizer::Impl::Normalization::NFC
                                      : Tokenizer::Impl::Normalization::NFD;
      return llvm::Error::success();
    }
    return error(path, "unsupported normalizer type '" + type + "'");
  }

  llvm::Error preTokenizer(const json::Value *v, std::string path) {
    if (!v || v->kind() == json::Value::Null)
      return llvm::Error::success();
    const json::Object *o = v->getAsObject();
    if (!o)
      return error(path, "expected an object");
    llvm::StringRef type = o->getString("type").value_or("");
    if (type == "Sequence") {
      const json::Array *list = o->getArray("pretokenizers");
      if (!list)
        return error(path, "Sequence without 'pretokenizers'");
      for (size_t i = 0; i < list->size(); ++i)
        if (llvm::Error err =
                preTokenizer(&(*list)[i], path + ".pretokenizers[" +
                                              std::to_string(i) + "]"))
          return err;
      return llvm::Error::success();
    }
    if (type == "Split") {
      llvm::StringRef behavior = o->getString("behavior").value_or("");
      if (behavior != "Isolated" || o->getBoolean("invert").value_or(false))
        return error(path, "Split with behavior '" + behavior +
                               "' (or invert) is unsupported; only Isolated");
      const json::Object *pattern = o->getObject("pattern");
      if (!pattern)
        return error(path, "Split without 'pattern'");
      if (auto re = pattern->getString("Regex"))
        return addRegex(path, *re);
      if (auto s = pattern->getString("String"))
        return addRegex(path, regexEscape(*s));
      return error(path, "Split pattern is neither Regex nor String");
    }
    if (type == "ByteLevel") {
      sawByteLevel = true;
      m.byteEncode = true;
      m.byteLevelPrefixSpace =
          o->getBoolean("add_prefix_space").value_or(false);
      if (o->getBoolean("use_regex").value_or(true))
        return addRegex(path, kGPT2Pattern);
      return llvm::Error::success();
    }
    if (type == "Digits") {
      return addRegex(path, o->getBoolean("individual_digits").value_or(false)
                                ? "\\p{N}"
                                : "\\p{N}+");
    }
    if (type == "Metaspace") {
      if (o->getString("replacement").value_or(kSpaceMarker) != kSpaceMarker)
        return error(path, "Metaspace replacement other than \"\u2581\"");
      sawMetaspace = true;
      m.escapeWhitespace = true;
      llvm::StringRef scheme = o->getString("prepend_scheme").value_or("");
      bool prefix = scheme.empty()
                        ? o->getBoolean("add_prefix_space").value_or(true)
                        : scheme != "never";
      m.addSpacePrefix = prefix;
      m.prefixUnlessSpace = true;
      prefixOnlyFirst = scheme == "first";
      if (o->getBoolean("split").value_or(true))
        return addRegex(path, "\\x{2581}[^\\x{2581}]*|[^\\x{2581}]+");
      return llvm::Error::success();
    }
    if ((type == "BertPreTokenizer" || type == "Whitespace" ||
         type == "WhitespaceSplit") &&
        m.kind == TokenizerKind::WPM)
      return llvm::Error::success(); // the WordPiece encoder splits itself
    return error(path, "unsupported pre_tokenizer type '" + type + "'");
  }

  /// The id of a special token named in a template or config.
  int32_t idOf(llvm::StringRef text) const { return m.lookup(text); }

  llvm::Error postProcessor(const json::Value *v, std::string path) {
    if (!v || v->kind() == json::Value::Null)
      return llvm::Error::success();
    const json::Object *o = v->getAsObject();
    if (!o)
      return error(path, "expected an object");
    llvm::StringRef type = o->getString("type").value_or("");
    if (type == "Sequence") {
      if (const json::Array *list = o->getArray("processors"))
        for (size_t i = 0; i < list->size(); ++i)
          if (llvm::Error err = postProcessor(
                  &(*list)[i], path + ".processors[" + std::to_string(i) + "]"))
            return err;
      return llvm::Error::success();
    }
    if (type == "TemplateProcessing") {
      const json::Array *single = o->getArray("single");
      if (!single || single->empty())
        return llvm::Error::success();
      auto specialId = [&](const json::Value &item) -> int32_t {
        const json::Object *io = item.getAsObject();
        const json::Object *st = io ? io->getObject("SpecialToken") : nullptr;
        if (!st)
          return -1;
        return idOf(st->getString("id").value_or(""));
      };
      int32_t first = specialId(single->front());
      int32_t last = single->size() > 1 ? specialId(single->back()) : -1;
      if (first >= 0) {
        m.addBos = true;
        m.bosId = first;
      }
      if (last >= 0) {
        m.addEos = true;
        m.eosId = last;
      }
      return llvm::Error::success();
    }
    if (type == "BertProcessing" || type == "RobertaProcessing") {
      auto pairId = [&](llvm::StringRef key) -> int32_t {
        const json::Array *a = o->getArray(key);
        if (!a || a->size() != 2)
          return -1;
        auto i = (*a)[1].getAsInteger();
        return i ? int32_t(*i) : -1;
      };
      int32_t cls = pairId("cls"), sep = pairId("sep");
      if (cls >= 0) {
        m.bosId = cls;
        m.addBos = true;
      }
      if (sep >= 0) {
        m.sepId = sep;
        if (m.kind != TokenizerKind::WPM) {
          m.eosId = sep;
          m.addEos = true;
        }
      }
      return llvm::Error::success();
    }
    // ByteLevel post-processing only trims offsets.
    return llvm::Error::success();
  }

  llvm::Error load(const json::Object &root);
};

} // namespace

llvm::Error JSONLoader::load(const json::Object &root) {
  const json::Object *model = root.getObject("model");
  if (!model)
    return error("model", "missing");
  llvm::StringRef type = model->getString("type").value_or("");
  if (type.empty() && model->getArray("merges"))
    type = "BPE"; // older files leave the type out
  if (type == "BPE") {
    m.kind = TokenizerKind::BPE;
    m.modelName = "gpt2";
    m.byteEncode = false; // until a ByteLevel pre-tokenizer says otherwise
  } else if (type == "WordPiece") {
    m.kind = TokenizerKind::WPM;
    m.modelName = "bert";
    // Only a BertNormalizer (or Lowercase) folds case and strips accents.
    m.lowercase = false;
    m.stripAccents = false;
  } else {
    return error("model.type", "unsupported model type '" + type +
                                   "' (supported: BPE, WordPiece)");
  }
  m.preName = "tokenizer.json";

  const json::Object *vocab = model->getObject("vocab");
  if (!vocab)
    return error("model.vocab", "missing or not an object");
  // id -> (text, attr)
  std::map<int64_t, std::pair<std::string, TokenAttr>> byId;
  for (const auto &kv : *vocab) {
    auto id = kv.second.getAsInteger();
    if (!id || *id < 0)
      return error("model.vocab",
                   "entry '" + kv.first.str() + "' has no valid id");
    if (!byId.emplace(*id, std::make_pair(kv.first.str(), TokenAttr::Normal))
             .second)
      return error("model.vocab", llvm::formatv("id {0} is used twice", *id));
  }
  if (const json::Array *added = root.getArray("added_tokens")) {
    for (size_t i = 0; i < added->size(); ++i) {
      const json::Object *t = (*added)[i].getAsObject();
      std::string path = "added_tokens[" + std::to_string(i) + "]";
      if (!t)
        return error(path, "expected an object");
      auto id = t->getInteger("id");
      auto content = t->getString("content");
      if (!id || *id < 0 || !content)
        return error(path, "needs 'id' and 'content'");
      TokenAttr attr = t->getBoolean("special").value_or(false)
                           ? TokenAttr::Control
                           : TokenAttr::UserDefined;
      byId[*id] = {content->str(), attr};
    }
  }
  if (byId.empty())
    return error("model.vocab", "is empty");
  int64_t n = byId.rbegin()->first + 1;
  if (n > (int64_t(1) << 31) - 1 || size_t(n) > 4 * byId.size() + 1024)
    return error("model.vocab", llvm::formatv("ids reach {0} for {1} tokens",
                                              n - 1, byId.size()));
  bool byteFallback = model->getBoolean("byte_fallback").value_or(false);
  for (int64_t id = 0; id < n; ++id) {
    auto it = byId.find(id);
    std::string text;
    TokenAttr attr = TokenAttr::Unused;
    if (it == byId.end()) {
      text = "[UNUSED_" + std::to_string(id) + "]";
    } else {
      text = it->second.first;
      attr = it->second.second;
    }
    if (m.kind == TokenizerKind::WPM && attr == TokenAttr::Normal) {
      // As convert_hf_to_gguf.py does: "[...]" pieces stay as they are.
      llvm::StringRef t(text);
      if (t.starts_with("##"))
        text = t.drop_front(2).str();
      else if (!(t.starts_with("[") && t.ends_with("]")))
        text = kSpaceMarker + text;
    }
    if (attr == TokenAttr::Normal && byteFallback && text.size() == 6 &&
        llvm::StringRef(text).starts_with("<0x") && text[5] == '>')
      attr = TokenAttr::Byte;
    if (!m.addToken(text, 0.0f, attr)) {
      // "##x" and a bare "x" never meet in a WordPiece vocabulary after the
      // rewrite; anything else is a broken file.
      return error("model.vocab",
                   llvm::formatv("duplicate token '{0}' (id {1})", text, id));
    }
  }

  if (m.kind == TokenizerKind::WPM) {
    if (model->getString("continuing_subword_prefix").value_or("##") != "##")
      return error("model.continuing_subword_prefix",
                   "only \"##\" is supported");
    m.unkId = idOf(model->getString("unk_token").value_or("[UNK]"));
    m.bosId = idOf("[CLS]");
    m.sepId = idOf("[SEP]");
    m.padId = idOf("[PAD]");
    m.addBos = m.bosId >= 0;
    m.addSep = m.sepId >= 0;
  } else {
    if (auto p = model->getString("continuing_subword_prefix");
        p && !p->empty())
      return error("model.continuing_subword_prefix", "unsupported");
    if (auto p = model->getString("end_of_word_suffix"); p && !p->empty())
      return error("model.end_of_word_suffix", "unsupported");
    m.byteFallback = byteFallback;
    m.ignoreMerges = model->getBoolean("ignore_merges").value_or(false);
    if (auto unk = model->getString("unk_token"))
      m.unkId = idOf(*unk);
    const json::Array *merges = model->getArray("merges");
    if (!merges)
      return error("model.merges", "missing");
    for (size_t i = 0; i < merges->size(); ++i) {
      const json::Value &e = (*merges)[i];
      std::string left, right;
      if (auto s = e.getAsString()) {
        size_t sp = s->find(' ', 1);
        if (sp == llvm::StringRef::npos)
          return error(llvm::formatv("model.merges[{0}]", i).str(),
                       "'" + *s + "' is not 'left right'");
        left = s->substr(0, sp).str();
        right = s->substr(sp + 1).str();
      } else if (const json::Array *a = e.getAsArray(); a && a->size() == 2 &&
                                                        (*a)[0].getAsString() &&
                                                        (*a)[1].getAsString()) {
        left = (*a)[0].getAsString()->str();
        right = (*a)[1].getAsString()->str();
      } else {
        return error(llvm::formatv("model.merges[{0}]", i).str(),
                     "expected \"left right\" or [left, right]");
      }
      m.mergeRanks.try_emplace(left + Tokenizer::Impl::kMergeSeparator + right,
                               int32_t(i));
    }
  }

  if (llvm::Error err = normalizer(root.get("normalizer"), "normalizer"))
    return err;
  if (llvm::Error err =
          preTokenizer(root.get("pre_tokenizer"), "pre_tokenizer"))
    return err;
  if (m.kind == TokenizerKind::BPE) {
    if (sawByteLevel && (sawMetaspace || normalizerEscapes))
      return error("pre_tokenizer",
                   "ByteLevel together with U+2581 escaping is unsupported");
    if (!sawByteLevel && !sawMetaspace && !normalizerEscapes && !byteFallback)
      return error("pre_tokenizer", "a BPE model needs a ByteLevel "
                                    "pre-tokenizer or U+2581 escaping with "
                                    "byte_fallback");
  }
  if (llvm::Error err =
          postProcessor(root.get("post_processor"), "post_processor"))
    return err;
  return llvm::Error::success();
}

static llvm::Expected<json::Value> readJSON(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: %s",
                                   path.str().c_str(),
                                   buffer.getError().message().c_str());
  auto value = json::parse((*buffer)->getBuffer());
  if (!value)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   path.str().c_str(),
                                   llvm::toString(value.takeError()).c_str());
  return value;
}

/// bos_token / eos_token in tokenizer_config.json: a string or
/// {"content": ...}.
static std::optional<std::string> tokenName(const json::Object &o,
                                            llvm::StringRef key) {
  const json::Value *v = o.get(key);
  if (!v)
    return std::nullopt;
  if (auto s = v->getAsString())
    return s->str();
  if (const json::Object *obj = v->getAsObject())
    if (auto s = obj->getString("content"))
      return s->str();
  return std::nullopt;
}

llvm::Expected<std::unique_ptr<Tokenizer>>
Tokenizer::fromTokenizerJSON(llvm::StringRef path, llvm::StringRef configPath) {
  auto value = readJSON(path);
  if (!value)
    return value.takeError();
  const json::Object *root = value->getAsObject();
  if (!root)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not a JSON object", path.str().c_str());
  auto impl = std::make_unique<Impl>();
  JSONLoader loader{path.str(), *impl};
  if (llvm::Error err = loader.load(*root))
    return std::move(err);
  Impl &m = *impl;

  // Without a template, the usual names.
  if (m.bosId < 0)
    for (const char *t :
         {"<s>", "<|begin_of_text|>", "<bos>", "<|startoftext|>"})
      if ((m.bosId = m.lookup(t)) >= 0)
        break;
  if (m.eosId < 0)
    for (const char *t : {"</s>", "<|end_of_text|>", "<|endoftext|>", "<eos>"})
      if ((m.eosId = m.lookup(t)) >= 0)
        break;

  if (!configPath.empty()) {
    auto config = readJSON(configPath);
    if (!config)
      return config.takeError();
    const json::Object *c = config->getAsObject();
    if (!c)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "%s: not a JSON object",
                                     configPath.str().c_str());
    auto setId = [&](llvm::StringRef key, int32_t &id) -> llvm::Error {
      std::optional<std::string> name = tokenName(*c, key);
      if (!name)
        return llvm::Error::success();
      int32_t found = m.lookup(*name);
      if (found < 0)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(), "%s: %s: '%s' is not in %s",
            configPath.str().c_str(), key.str().c_str(), name->c_str(),
            path.str().c_str());
      id = found;
      return llvm::Error::success();
    };
    if (llvm::Error err = setId("bos_token", m.bosId))
      return std::move(err);
    if (llvm::Error err = setId("eos_token", m.eosId))
      return std::move(err);
    if (llvm::Error err = setId("unk_token", m.unkId))
      return std::move(err);
    if (auto b = c->getBoolean("add_bos_token"))
      m.addBos = *b;
    if (auto b = c->getBoolean("add_eos_token"))
      m.addEos = *b;
  }
  if (loader.prefixOnlyFirst)
    m.prefixOnlyFirst = true;
  if (llvm::Error err = m.finalize(path))
    return std::move(err);
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

llvm::Expected<std::unique_ptr<Tokenizer>>
Tokenizer::fromHFDirectory(llvm::StringRef dir) {
  llvm::SmallString<256> json(dir), config(dir);
  llvm::sys::path::append(json, "tokenizer.json");
  llvm::sys::path::append(config, "tokenizer_config.json");
  if (!llvm::sys::fs::exists(json))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: no tokenizer.json (only HuggingFace "
                                   "fast-tokenizer files are supported)",
                                   dir.str().c_str());
  return fromTokenizerJSON(json, llvm::sys::fs::exists(config)
                                     ? llvm::StringRef(config)
                                     : llvm::StringRef());
}

llvm::Expected<std::unique_ptr<Tokenizer>>
Tokenizer::fromModel(llvm::StringRef path) {
  if (llvm::sys::fs::is_directory(path))
    return fromHFDirectory(path);
  return fromGGUFFile(path);
}
