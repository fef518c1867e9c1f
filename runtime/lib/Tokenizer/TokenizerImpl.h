//===- TokenizerImpl.h - The tokenizer's state, shared by loaders -*- C++
//-*-===//
//
// Both loaders (GGUF metadata, HF tokenizer.json) fill one Tokenizer::Impl;
// the encoders in Tokenizer.cpp read only this.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_TOKENIZER_TOKENIZERIMPL_H
#define TT_RUNTIME_TOKENIZER_TOKENIZERIMPL_H

#include "Regex.h"

#include "tt/Runtime/Tokenizer.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace tt::rt {

struct Tokenizer::Impl {
  TokenizerKind kind = TokenizerKind::SPM;
  std::string modelName; ///< "llama", "gpt2", "bert"
  std::string preName;

  std::vector<std::string> tokens;
  std::vector<float> scores;
  std::vector<TokenAttr> attrs;
  llvm::StringMap<int32_t> tokenToId;
  size_t maxTokenLen = 0;

  /// BPE merges: key left + kMergeSeparator + right, value the rank.
  llvm::StringMap<int32_t> mergeRanks;
  static constexpr char kMergeSeparator = '\xff'; // never in UTF-8 text

  /// Pre-tokenizer: each regex splits the pieces of the previous one.
  std::vector<Regex> regexes;
  /// BPE: pieces are mapped byte by byte to GPT-2's printable code points.
  bool byteEncode = true;
  /// BPE: a piece that is not a token falls back to <0xNN> tokens.
  bool byteFallback = false;
  /// BPE: a word that is a token is not merged (llama3, tekken).
  bool ignoreMerges = false;
  /// SPM (and SPM-style HF BPE): prefix a space to the text (to a fragment
  /// at the start or after a special token).
  bool addSpacePrefix = false;
  /// ... but only to the fragment that starts the text (HF Metaspace
  /// prepend_scheme "first").
  bool prefixOnlyFirst = false;
  /// ... and not to a fragment that already starts with a space (HF
  /// Metaspace; SentencePiece and HF's Prepend normalizer always prefix).
  bool prefixUnlessSpace = false;
  /// Replace ' ' by U+2581 before encoding (SPM; HF Metaspace).
  bool escapeWhitespace = false;
  /// HF ByteLevel add_prefix_space: prefix a space unless the text starts
  /// with one.
  bool byteLevelPrefixSpace = false;
  /// HF normalizers NFC / NFD, applied to BPE text before pre-tokenizing.
  enum class Normalization {
    None,
    NFC,
    NFD
  } normalization = Normalization::None;
  /// WPM normalizer. The vocabulary is in llama.cpp's form (word starts
  /// "▁x", continuations "x"); the HF loader rewrites "##x" to it.
  bool lowercase = true;
  bool stripAccents = true;

  int32_t bosId = -1, eosId = -1, eotId = -1, eomId = -1, unkId = -1,
          sepId = -1, padId = -1;
  bool addBos = false, addEos = false, addSep = false;
  llvm::DenseSet<int32_t> eogIds;

  /// Control, user-defined and unknown tokens, longest first: matched in
  /// the text before pre-tokenization.
  std::vector<int32_t> specialTokens;

  /// GPT-2 byte <-> code point mapping.
  uint32_t byteToCp[256];
  llvm::DenseMap<uint32_t, uint8_t> cpToByte;

  Impl();
  int32_t lookup(llvm::StringRef text) const {
    auto it = tokenToId.find(text);
    return it == tokenToId.end() ? -1 : it->second;
  }
  bool valid(int32_t id) const { return id >= 0 && size_t(id) < tokens.size(); }
  /// Adds a token (ids are assigned in order); false on a duplicate text
  /// unless `allowDuplicate` (then the text keeps mapping to the first id).
  bool addToken(std::string text, float score, TokenAttr attr,
                bool allowDuplicate = false);
  /// Builds specialTokens, EOG ids and checks the special ids; call once the
  /// vocabulary and the special ids are known.
  llvm::Error finalize(llvm::StringRef name);
  int32_t byteToken(uint8_t byte) const;
};

} // namespace tt::rt

#endif // TT_RUNTIME_TOKENIZER_TOKENIZERIMPL_H
