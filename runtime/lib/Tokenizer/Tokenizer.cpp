//===- Tokenizer.cpp - SPM, BPE and WordPiece encoders and decoding -------===//
//
// The algorithms follow llama.cpp's llama-vocab.cpp so that ids match its
// test vectors exactly:
// - SPM merges the adjacent pair whose merged text is the highest-scoring
//   token (ties: leftmost), then re-segments pieces that are not tokens
//   along the merges that built them, down to <0xNN> bytes.
// - BPE merges the adjacent pair of lowest merge rank (ties: leftmost)
//   within each pre-tokenized word.
// - WPM lower-cases, strips accents, splits on whitespace and punctuation
//   and takes the longest vocabulary prefix of "▁word" repeatedly.
//
//===----------------------------------------------------------------------===//

#include "TokenizerImpl.h"
#include "Unicode.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <queue>

using namespace tt;
using namespace tt::rt;
namespace u = tt::rt::unicode;

static const char kSpaceMarker[] = "\xe2\x96\x81"; // U+2581

static std::string escapeSpaces(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == ' ')
      out += kSpaceMarker;
    else
      out += c;
  }
  return out;
}

static void unescapeSpaces(std::string &text) {
  std::string out;
  out.reserve(text.size());
  llvm::StringRef s(text);
  while (!s.empty()) {
    if (s.starts_with(kSpaceMarker)) {
      out += ' ';
      s = s.drop_front(3);
    } else {
      out += s.front();
      s = s.drop_front();
    }
  }
  text = std::move(out);
}

//===----------------------------------------------------------------------===//
// Impl
//===----------------------------------------------------------------------===//

Tokenizer::Impl::Impl() {
  // GPT-2's bytes_to_unicode: printable Latin-1 bytes map to themselves, the
  // others to U+0100 onwards in byte order.
  uint32_t next = 256;
  for (unsigned b = 0; b < 256; ++b) {
    bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) ||
                     (b >= 0xAE && b <= 0xFF);
    byteToCp[b] = printable ? b : next++;
    cpToByte[byteToCp[b]] = uint8_t(b);
  }
}

bool Tokenizer::Impl::addToken(std::string text, float score, TokenAttr attr,
                               bool allowDuplicate) {
  int32_t id = int32_t(tokens.size());
  if (!tokenToId.try_emplace(text, id).second && !allowDuplicate)
    return false;
  maxTokenLen = std::max(maxTokenLen, text.size());
  tokens.push_back(std::move(text));
  scores.push_back(score);
  attrs.push_back(attr);
  return true;
}

int32_t Tokenizer::Impl::byteToken(uint8_t byte) const {
  if (kind == TokenizerKind::SPM || !byteEncode) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", unsigned(byte));
    int32_t id = lookup(name);
    if (id >= 0 || kind != TokenizerKind::SPM)
      return id;
    return lookup(llvm::StringRef(reinterpret_cast<const char *>(&byte), 1));
  }
  std::string s;
  u::appendUTF8(s, byteToCp[byte]);
  return lookup(s);
}

llvm::Error Tokenizer::Impl::finalize(llvm::StringRef name) {
  // A default id past the vocabulary (e.g. BPE's 11 in a tiny vocabulary)
  // means the vocabulary has no such token.
  for (int32_t *id : {&bosId, &eosId, &eotId, &eomId, &unkId, &sepId, &padId})
    if (*id >= 0 && size_t(*id) >= tokens.size())
      *id = -1;
  if (addBos && bosId < 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: the tokenizer adds BOS but has no BOS token",
                      name));
  if (addEos && eosId < 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: the tokenizer adds EOS but has no EOS token",
                      name));

  // End-of-generation tokens: EOS, EOT, EOM and the chat-turn ends that
  // model families use (llama.cpp recognises them by text).
  static const char *const eogTexts[] = {"<|eot_id|>",
                                         "<|im_end|>",
                                         "<|end|>",
                                         "<end_of_turn>",
                                         "<|endoftext|>",
                                         "<|eom_id|>",
                                         "<EOT>",
                                         "<|end_of_text|>",
                                         "<end_of_utterance>",
                                         "<｜end▁of▁sentence｜>"};
  for (const char *t : eogTexts) {
    int32_t id = lookup(t);
    if (id >= 0) {
      eogIds.insert(id);
      if (attrs[id] == TokenAttr::Normal || attrs[id] == TokenAttr::Undefined)
        attrs[id] = TokenAttr::Control;
      if (eotId < 0 && llvm::StringRef(t) != "<|eom_id|>")
        eotId = id;
    }
  }
  for (int32_t id : {eosId, eotId, eomId})
    if (id >= 0)
      eogIds.insert(id);

  specialTokens.clear();
  for (size_t id = 0; id < tokens.size(); ++id) {
    TokenAttr a = attrs[id];
    if (a == TokenAttr::Control || a == TokenAttr::UserDefined ||
        a == TokenAttr::Unknown)
      specialTokens.push_back(int32_t(id));
  }
  std::stable_sort(specialTokens.begin(), specialTokens.end(),
                   [&](int32_t a, int32_t b) {
                     return tokens[a].size() > tokens[b].size();
                   });
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Special-token partitioning
//===----------------------------------------------------------------------===//

namespace {
/// A run of raw text [begin, end), or a token (token >= 0).
struct Fragment {
  int32_t token;
  size_t begin, end;
};
} // namespace

static std::vector<Fragment> partition(const Tokenizer::Impl &impl,
                                       llvm::StringRef text,
                                       bool parseSpecial) {
  std::vector<Fragment> frags;
  if (text.empty())
    return frags;
  frags.push_back({-1, 0, text.size()});
  for (int32_t id : impl.specialTokens) {
    TokenAttr a = impl.attrs[id];
    if (!parseSpecial && a != TokenAttr::UserDefined)
      continue;
    llvm::StringRef piece = impl.tokens[id];
    if (piece.empty())
      continue;
    std::vector<Fragment> next;
    next.reserve(frags.size());
    for (const Fragment &f : frags) {
      if (f.token >= 0) {
        next.push_back(f);
        continue;
      }
      size_t pos = f.begin;
      while (pos < f.end) {
        size_t at = text.slice(0, f.end).find(piece, pos);
        if (at == llvm::StringRef::npos)
          break;
        if (at > pos)
          next.push_back({-1, pos, at});
        next.push_back({id, at, at + piece.size()});
        pos = at + piece.size();
      }
      if (pos < f.end)
        next.push_back({-1, pos, f.end});
    }
    frags = std::move(next);
  }
  return frags;
}

//===----------------------------------------------------------------------===//
// SPM
//===----------------------------------------------------------------------===//

namespace {
struct Symbol {
  int prev, next;
  size_t begin, len; // byte range in the session's text
};

class SPMSession {
public:
  SPMSession(const Tokenizer::Impl &impl, const std::string &text)
      : impl(impl), text(text) {}

  void encode(std::vector<int32_t> &out) {
    size_t offs = 0;
    int index = 0;
    while (offs < text.size()) {
      size_t len = std::min<size_t>(u::utf8Length(uint8_t(text[offs])),
                                    text.size() - offs);
      Symbol s{index - 1, offs + len == text.size() ? -1 : index + 1, offs,
               len};
      symbols.push_back(s);
      offs += len;
      ++index;
    }
    for (int i = 1; i < int(symbols.size()); ++i)
      tryAddBigram(i - 1, i);
    while (!queue.empty()) {
      Bigram b = queue.top();
      queue.pop();
      Symbol &l = symbols[b.left], &r = symbols[b.right];
      if (l.len == 0 || r.len == 0 || l.len + r.len != b.size)
        continue; // stale: one side was merged since
      l.len += r.len;
      r.len = 0;
      l.next = r.next;
      if (r.next >= 0)
        symbols[r.next].prev = b.left;
      tryAddBigram(l.prev, b.left);
      tryAddBigram(b.left, l.next);
    }
    if (symbols.empty())
      return;
    for (int i = 0; i != -1; i = symbols[i].next)
      resegment(symbols[i], out);
  }

private:
  struct Bigram {
    int left, right;
    float score;
    size_t size;
    bool operator<(const Bigram &o) const {
      // std::priority_queue pops the largest: highest score, then leftmost.
      return score < o.score || (score == o.score && left > o.left);
    }
  };

  const Tokenizer::Impl &impl;
  const std::string &text;
  std::vector<Symbol> symbols;
  std::priority_queue<Bigram> queue;
  std::map<std::string, std::pair<int, int>> revMerge;

  llvm::StringRef textOf(const Symbol &s) const {
    return llvm::StringRef(text).substr(s.begin, s.len);
  }

  void tryAddBigram(int left, int right) {
    if (left < 0 || right < 0)
      return;
    llvm::StringRef merged = llvm::StringRef(text).substr(
        symbols[left].begin, symbols[left].len + symbols[right].len);
    int32_t id = impl.lookup(merged);
    if (id < 0)
      return;
    queue.push({left, right, impl.scores[id], merged.size()});
    revMerge[merged.str()] = {left, right};
  }

  void resegment(const Symbol &s, std::vector<int32_t> &out) {
    llvm::StringRef piece = textOf(s);
    int32_t id = impl.lookup(piece);
    if (id >= 0) {
      out.push_back(id);
      return;
    }
    auto it = revMerge.find(piece.str());
    if (it == revMerge.end()) {
      for (char c : piece) {
        int32_t b = impl.byteToken(uint8_t(c));
        if (b >= 0)
          out.push_back(b);
        else if (impl.unkId >= 0)
          out.push_back(impl.unkId);
      }
      return;
    }
    resegment(symbols[it->second.first], out);
    resegment(symbols[it->second.second], out);
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// BPE
//===----------------------------------------------------------------------===//

namespace {
class BPEWord {
public:
  BPEWord(const Tokenizer::Impl &impl, llvm::StringRef word)
      : impl(impl), word(word) {}

  /// Appends the merged pieces' byte ranges within `word`.
  void merge(std::vector<std::pair<size_t, size_t>> &pieces) {
    size_t offs = 0;
    int index = 0;
    while (offs < word.size()) {
      size_t len = std::min<size_t>(u::utf8Length(uint8_t(word[offs])),
                                    word.size() - offs);
      symbols.push_back(
          {index - 1, offs + len == word.size() ? -1 : index + 1, offs, len});
      offs += len;
      ++index;
    }
    for (int i = 1; i < int(symbols.size()); ++i)
      addBigram(i - 1, i);
    while (!queue.empty()) {
      Bigram b = queue.top();
      queue.pop();
      Symbol &l = symbols[b.left], &r = symbols[b.right];
      if (l.len == 0 || r.len == 0 || l.len + r.len != b.size ||
          r.begin != l.begin + l.len)
        continue; // stale
      l.len += r.len;
      r.len = 0;
      l.next = r.next;
      if (r.next >= 0)
        symbols[r.next].prev = b.left;
      addBigram(l.prev, b.left);
      addBigram(b.left, l.next);
    }
    for (const Symbol &s : symbols)
      if (s.len > 0)
        pieces.emplace_back(s.begin, s.len);
  }

private:
  struct Bigram {
    int left, right;
    int32_t rank;
    size_t size;
    bool operator<(const Bigram &o) const {
      // Pops the lowest rank, then the leftmost.
      return rank > o.rank || (rank == o.rank && left > o.left);
    }
  };

  const Tokenizer::Impl &impl;
  llvm::StringRef word;
  std::vector<Symbol> symbols;
  std::priority_queue<Bigram> queue;

  void addBigram(int left, int right) {
    if (left < 0 || right < 0)
      return;
    const Symbol &l = symbols[left], &r = symbols[right];
    llvm::SmallString<64> key(word.substr(l.begin, l.len));
    key.push_back(Tokenizer::Impl::kMergeSeparator);
    key.append(word.substr(r.begin, r.len));
    auto it = impl.mergeRanks.find(key);
    if (it == impl.mergeRanks.end())
      return;
    queue.push({left, right, it->second, l.len + r.len});
  }
};
} // namespace

/// The pre-tokenizer: byte ranges of `text`'s words.
static std::vector<std::pair<size_t, size_t>>
preTokenize(const Tokenizer::Impl &impl, llvm::StringRef text) {
  std::vector<std::pair<size_t, size_t>> words;
  if (impl.regexes.empty()) {
    words.emplace_back(0, text.size());
    return words;
  }
  std::vector<uint32_t> cps;
  std::vector<size_t> offsets;
  u::decodeUTF8(text, cps, offsets);
  std::vector<std::pair<size_t, size_t>> chunks{{0, cps.size()}}, next;
  for (const Regex &re : impl.regexes) {
    next.clear();
    for (auto [b, e] : chunks)
      re.split(cps, b, e, next);
    std::swap(chunks, next);
  }
  for (auto [b, e] : chunks)
    words.emplace_back(offsets[b], offsets[e]);
  return words;
}

static void encodeBPE(const Tokenizer::Impl &impl, llvm::StringRef text,
                      std::vector<int32_t> &out) {
  std::string encoded;
  std::vector<std::pair<size_t, size_t>> pieces;
  for (auto [b, e] : preTokenize(impl, text)) {
    llvm::StringRef raw = text.slice(b, e);
    if (raw.empty())
      continue;
    encoded.clear();
    if (impl.byteEncode) {
      for (char c : raw)
        u::appendUTF8(encoded, impl.byteToCp[uint8_t(c)]);
    } else {
      encoded = raw.str();
    }
    if (impl.ignoreMerges) {
      int32_t id = impl.lookup(encoded);
      if (id >= 0) {
        out.push_back(id);
        continue;
      }
    }
    pieces.clear();
    BPEWord(impl, encoded).merge(pieces);
    for (auto [pb, plen] : pieces) {
      llvm::StringRef piece = llvm::StringRef(encoded).substr(pb, plen);
      int32_t id = impl.lookup(piece);
      if (id >= 0) {
        out.push_back(id);
        continue;
      }
      // Not a token: character by character, then bytes.
      size_t offs = 0;
      while (offs < piece.size()) {
        size_t len = std::min<size_t>(u::utf8Length(uint8_t(piece[offs])),
                                      piece.size() - offs);
        llvm::StringRef ch = piece.substr(offs, len);
        offs += len;
        int32_t cid = impl.lookup(ch);
        if (cid >= 0) {
          out.push_back(cid);
          continue;
        }
        bool emitted = false;
        if (impl.byteFallback || !impl.byteEncode) {
          emitted = true;
          for (char c : ch) {
            int32_t bid = impl.byteToken(uint8_t(c));
            if (bid < 0) {
              emitted = false;
              break;
            }
            out.push_back(bid);
          }
        }
        if (!emitted && impl.unkId >= 0)
          out.push_back(impl.unkId);
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// WPM
//===----------------------------------------------------------------------===//

static bool isChineseChar(uint32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

static std::vector<std::string> wpmWords(const Tokenizer::Impl &impl,
                                         llvm::StringRef text) {
  std::vector<uint32_t> cps = u::decodeUTF8(text);
  if (impl.stripAccents) {
    std::vector<uint32_t> nfd;
    nfd.reserve(cps.size());
    for (uint32_t c : cps)
      u::appendNFD(c, nfd);
    cps = std::move(nfd);
  }
  std::vector<std::string> words(1);
  for (uint32_t c : cps) {
    if (u::isWhitespace(c)) {
      if (!words.back().empty())
        words.emplace_back();
      continue;
    }
    u::GeneralCategory cat = u::category(c);
    if (c == 0 || c == 0xFFFD || ((u::kOther >> cat) & 1))
      continue;
    if (impl.stripAccents && cat == u::Mn)
      continue;
    std::string s;
    u::appendUTF8(s, impl.lowercase ? u::toLower(c) : c);
    bool isolated = ((u::kPunct >> cat) & 1) ||
                    (c < 0x7F && ((u::kSymbol >> cat) & 1)) || isChineseChar(c);
    if (isolated) {
      if (!words.back().empty())
        words.emplace_back();
      words.back() = std::move(s);
      words.emplace_back();
    } else {
      words.back() += s;
    }
  }
  if (words.back().empty())
    words.pop_back();
  return words;
}

static void encodeWPM(const Tokenizer::Impl &impl, llvm::StringRef text,
                      std::vector<int32_t> &out) {
  for (const std::string &w : wpmWords(impl, text)) {
    std::string word = kSpaceMarker + w;
    size_t n = word.size();
    size_t start = out.size();
    for (size_t i = 0; i < n; ++i) {
      bool match = false;
      for (size_t j = std::min(n, i + impl.maxTokenLen + 1); j > i; --j) {
        int32_t id = impl.lookup(llvm::StringRef(word).slice(i, j));
        if (id >= 0) {
          out.push_back(id);
          match = true;
          i = j - 1;
          break;
        }
      }
      if (!match) {
        out.resize(start);
        break;
      }
    }
    if (out.size() == start && impl.unkId >= 0)
      out.push_back(impl.unkId);
  }
}

//===----------------------------------------------------------------------===//
// Tokenizer
//===----------------------------------------------------------------------===//

/// Applies an HF NFC/NFD normalizer. Text that is not valid UTF-8 is left
/// alone (HF cannot hold it; byte-level BPE still encodes its bytes).
static std::string normalize(const Tokenizer::Impl &m, llvm::StringRef text) {
  using Norm = Tokenizer::Impl::Normalization;
  if (m.normalization == Norm::None)
    return text.str();
  std::vector<uint32_t> cps;
  std::vector<size_t> offsets;
  u::decodeUTF8(text, cps, offsets);
  for (size_t i = 0; i < cps.size(); ++i)
    if (cps[i] == 0xFFFD && text.substr(offsets[i], 3) != "\xef\xbf\xbd")
      return text.str();
  std::vector<uint32_t> norm =
      m.normalization == Norm::NFC ? u::toNFC(cps) : u::toNFD(cps);
  std::string out;
  out.reserve(text.size());
  for (uint32_t c : norm)
    u::appendUTF8(out, c);
  return out;
}

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

std::vector<int32_t> Tokenizer::encode(llvm::StringRef text, bool addSpecial,
                                       bool parseSpecial) const {
  const Impl &m = *impl;
  std::vector<int32_t> out;
  std::vector<Fragment> frags = partition(m, text, parseSpecial);
  switch (m.kind) {
  case TokenizerKind::SPM: {
    if (addSpecial && m.addBos)
      out.push_back(m.bosId);
    bool prevSpecial = true;
    for (const Fragment &f : frags) {
      if (f.token >= 0) {
        out.push_back(f.token);
        prevSpecial = true;
        continue;
      }
      std::string piece;
      if (m.addSpacePrefix && prevSpecial)
        piece = " ";
      piece += text.slice(f.begin, f.end).str();
      std::string escaped = escapeSpaces(piece);
      SPMSession(m, escaped).encode(out);
      prevSpecial = false;
    }
    if (addSpecial && m.addEos)
      out.push_back(m.eosId);
    break;
  }
  case TokenizerKind::BPE: {
    if (addSpecial && m.addBos)
      out.push_back(m.bosId);
    bool prevSpecial = true;
    for (const Fragment &f : frags) {
      if (f.token >= 0) {
        out.push_back(f.token);
        prevSpecial = true;
        continue;
      }
      std::string piece = normalize(m, text.slice(f.begin, f.end));
      if (m.byteLevelPrefixSpace && !piece.empty() && piece[0] != ' ')
        piece.insert(piece.begin(), ' ');
      if (m.escapeWhitespace) {
        if (m.addSpacePrefix && prevSpecial &&
            (!m.prefixOnlyFirst || f.begin == 0) &&
            !(m.prefixUnlessSpace && !piece.empty() && piece[0] == ' '))
          piece.insert(piece.begin(), ' ');
        piece = escapeSpaces(piece);
      }
      encodeBPE(m, piece, out);
      prevSpecial = false;
    }
    if (addSpecial && m.addEos)
      out.push_back(m.eosId);
    break;
  }
  case TokenizerKind::WPM: {
    if (addSpecial && m.bosId >= 0)
      out.push_back(m.bosId);
    for (const Fragment &f : frags) {
      if (f.token >= 0)
        out.push_back(f.token);
      else
        encodeWPM(m, text.slice(f.begin, f.end), out);
    }
    if (addSpecial && m.sepId >= 0)
      out.push_back(m.sepId);
    break;
  }
  }
  return out;
}

std::string Tokenizer::tokenToPiece(int32_t id, bool special) const {
  const Impl &m = *impl;
  if (!m.valid(id))
    return "";
  TokenAttr a = m.attrs[id];
  const std::string &text = m.tokens[id];
  if (a == TokenAttr::Control || a == TokenAttr::Unknown)
    return special ? text : std::string();
  if (a == TokenAttr::UserDefined)
    return text;
  if (a == TokenAttr::Byte) {
    // <0xNN>
    llvm::StringRef hex = llvm::StringRef(text).substr(3, 2);
    unsigned v = 0;
    if (text.size() == 6 && !hex.getAsInteger(16, v))
      return std::string(1, char(v));
    return text;
  }
  if (m.kind == TokenizerKind::BPE && m.byteEncode) {
    std::string out;
    for (uint32_t c : u::decodeUTF8(text)) {
      auto it = m.cpToByte.find(c);
      if (it != m.cpToByte.end())
        out += char(it->second);
      else
        u::appendUTF8(out, c);
    }
    return out;
  }
  std::string out = text;
  unescapeSpaces(out);
  return out;
}

/// decode's leading-space rule: SentencePiece drops the space it prefixed
/// to the text from the first piece, and from the piece after BOS; WordPiece
/// ("▁word" pieces) likewise.
static std::string pieceInSequence(const Tokenizer &tok,
                                   const Tokenizer::Impl &m, int32_t prev,
                                   int32_t id, bool special) {
  std::string piece = tok.tokenToPiece(id, special);
  bool startsText = prev < 0 || (m.bosId >= 0 && prev == m.bosId);
  bool prefixed = m.addSpacePrefix || m.kind == TokenizerKind::WPM;
  if (prefixed && startsText && m.valid(id) &&
      m.attrs[id] == TokenAttr::Normal && !piece.empty() && piece[0] == ' ')
    piece.erase(0, 1);
  return piece;
}

std::string Tokenizer::streamPiece(int32_t prev, int32_t id) const {
  return pieceInSequence(*this, *impl, prev, id, false);
}

std::string Tokenizer::decode(llvm::ArrayRef<int32_t> ids, bool special) const {
  std::string out;
  int32_t prev = -1;
  for (int32_t id : ids) {
    out += pieceInSequence(*this, *impl, prev, id, special);
    prev = id;
  }
  return out;
}

TokenizerKind Tokenizer::kind() const { return impl->kind; }
llvm::StringRef Tokenizer::modelName() const { return impl->modelName; }
llvm::StringRef Tokenizer::preName() const { return impl->preName; }
size_t Tokenizer::size() const { return impl->tokens.size(); }
llvm::StringRef Tokenizer::tokenText(int32_t id) const {
  return impl->valid(id) ? llvm::StringRef(impl->tokens[id]) : "";
}
TokenAttr Tokenizer::tokenAttr(int32_t id) const {
  return impl->valid(id) ? impl->attrs[id] : TokenAttr::Undefined;
}
float Tokenizer::tokenScore(int32_t id) const {
  return impl->valid(id) ? impl->scores[id] : 0.0f;
}
int32_t Tokenizer::tokenId(llvm::StringRef text) const {
  return impl->lookup(text);
}
int32_t Tokenizer::bos() const { return impl->bosId; }
int32_t Tokenizer::eos() const { return impl->eosId; }
int32_t Tokenizer::eot() const { return impl->eotId; }
int32_t Tokenizer::unk() const { return impl->unkId; }
int32_t Tokenizer::sep() const { return impl->sepId; }
int32_t Tokenizer::pad() const { return impl->padId; }
bool Tokenizer::addBos() const { return impl->addBos; }
bool Tokenizer::addEos() const { return impl->addEos; }
bool Tokenizer::isEog(int32_t id) const { return impl->eogIds.count(id); }
