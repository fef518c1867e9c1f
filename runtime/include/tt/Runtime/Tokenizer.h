//===- Tokenizer.h - Text <-> token ids for the runtime -----------*- C++
//-*-===//
//
// The tokenizers llama.cpp and HuggingFace ship models with:
// - SPM: SentencePiece-style BPE over scores (GGUF tokenizer.ggml.model
//   "llama"): spaces become U+2581, a space is prefixed, pieces that are not
//   in the vocabulary fall back to <0xNN> byte tokens.
// - BPE: merge-ranked BPE (GGUF "gpt2", HF tokenizer.json "BPE"), usually
//   byte-level (GPT-2's byte-to-unicode mapping) after a pre-tokenizer that
//   splits the text with a chain of regexes; GGUF files name the chain by
//   tokenizer.ggml.pre, tokenizer.json spells it out.
// - WPM: BERT's WordPiece (GGUF "bert", HF "WordPiece").
//
// Encoding reproduces llama.cpp's llama_tokenize (its test vectors in
// ../shared/models/llamacpp-vocab pass): user-defined added tokens are always
// matched verbatim before pre-tokenization; control tokens only when
// `parseSpecial` is set.
//
// A Tokenizer is immutable once loaded: encode and decode may run on several
// threads at once.
//
// Typical use (tt-run):
//   auto tok = tt::rt::Tokenizer::fromModel(modelPath); // .gguf or HF dir
//   std::vector<int32_t> ids = (*tok)->encode(prompt, /*addSpecial=*/true);
//   ... for each generated id, after `prev`:
//   if ((*tok)->isEog(id)) break;
//   std::cout << (*tok)->streamPiece(prev, id);
// `--tokenize` prints encode(text, /*addSpecial=*/false).
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_TOKENIZER_H
#define TT_RUNTIME_TOKENIZER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tt {
struct GGUFFile;

namespace rt {

enum class TokenizerKind { SPM, BPE, WPM };

/// What a vocabulary entry is (GGUF tokenizer.ggml.token_type numbering).
enum class TokenAttr : uint8_t {
  Undefined = 0,
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
};

class Tokenizer {
public:
  struct Impl;

  /// Reads the vocabulary from a GGUF file (a full model or a vocab-only
  /// file). Errors name the file and the metadata key.
  static llvm::Expected<std::unique_ptr<Tokenizer>>
  fromGGUFFile(llvm::StringRef path);
  /// From already parsed GGUF metadata; `name` is used in errors.
  static llvm::Expected<std::unique_ptr<Tokenizer>>
  fromGGUF(const GGUFFile &file, llvm::StringRef name);

  /// Reads a HuggingFace tokenizer.json (BPE or WordPiece models).
  /// `configPath`, when not empty, is a tokenizer_config.json whose
  /// add_bos_token / add_eos_token / bos_token / eos_token override what
  /// tokenizer.json implies.
  static llvm::Expected<std::unique_ptr<Tokenizer>>
  fromTokenizerJSON(llvm::StringRef path, llvm::StringRef configPath = "");
  /// tokenizer.json (+ tokenizer_config.json if present) in a HF model
  /// directory.
  static llvm::Expected<std::unique_ptr<Tokenizer>>
  fromHFDirectory(llvm::StringRef dir);

  /// What tt-run's MODEL argument names: a directory is a HF model
  /// directory, anything else a GGUF file.
  static llvm::Expected<std::unique_ptr<Tokenizer>>
  fromModel(llvm::StringRef path);

  ~Tokenizer();
  Tokenizer(const Tokenizer &) = delete;
  Tokenizer &operator=(const Tokenizer &) = delete;

  /// Token ids of `text`. `addSpecial`: add BOS/EOS (CLS/SEP for WPM) as the
  /// model asks. `parseSpecial`: match control tokens written in the text
  /// (e.g. "<|im_end|>") as themselves.
  std::vector<int32_t> encode(llvm::StringRef text, bool addSpecial,
                              bool parseSpecial = false) const;

  /// The bytes token `id` stands for: U+2581 is a space, <0xNN> is byte NN,
  /// byte-level BPE's unicode characters are their bytes. Control and
  /// unknown tokens give "" unless `special`. Out-of-range ids give "".
  std::string tokenToPiece(int32_t id, bool special = false) const;

  /// The text of `ids`: their pieces concatenated, except that the space an
  /// SPM vocabulary prefixes to a text (or WordPiece's word-start space) is
  /// removed from the piece that starts the sequence or follows BOS (as
  /// SentencePiece and llama2.c decode). Control tokens are skipped unless
  /// `special`. Byte-level and <0xNN> pieces give back the exact bytes.
  std::string decode(llvm::ArrayRef<int32_t> ids, bool special = false) const;

  /// The piece to print for `id` when it follows `prev` in a generated
  /// sequence (-1: `id` starts it); applies decode's leading-space rule.
  std::string streamPiece(int32_t prev, int32_t id) const;

  TokenizerKind kind() const;
  /// "llama", "gpt2", "bert" (GGUF's names, also for tokenizer.json).
  llvm::StringRef modelName() const;
  /// The pre-tokenizer name (GGUF tokenizer.ggml.pre, or "tokenizer.json").
  llvm::StringRef preName() const;
  size_t size() const;
  /// The vocabulary entry (as stored, e.g. "▁the", "Ġthe", "<0x0A>").
  llvm::StringRef tokenText(int32_t id) const;
  TokenAttr tokenAttr(int32_t id) const;
  float tokenScore(int32_t id) const;
  /// -1 when not in the vocabulary.
  int32_t tokenId(llvm::StringRef text) const;

  /// Special ids, -1 when the vocabulary has none.
  int32_t bos() const;
  int32_t eos() const;
  int32_t eot() const;
  int32_t unk() const;
  int32_t sep() const;
  int32_t pad() const;
  bool addBos() const;
  bool addEos() const;
  /// Whether generation stops at `id` (EOS, EOT, <|im_end|>, ...).
  bool isEog(int32_t id) const;

private:
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_TOKENIZER_H
