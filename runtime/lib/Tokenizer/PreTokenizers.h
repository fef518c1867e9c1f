//===- PreTokenizers.h - llama.cpp's regex chains by name ---------*- C++
//-*-===//
//
// The regexes a BPE vocabulary splits text with before merging, named by a
// GGUF file's tokenizer.ggml.pre, as llama.cpp selects them (these follow the
// pre-tokenizers of the HuggingFace tokenizer.json files the names stand
// for). Each regex splits every piece the previous one produced.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_TOKENIZER_PRETOKENIZERS_H
#define TT_RUNTIME_TOKENIZER_PRETOKENIZERS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace tt::rt {

struct PreTokenizerSpec {
  std::vector<std::string> regexes;
  bool ignoreMerges = false; ///< whole words found in the vocab skip merging
  bool addBos = false;       ///< default for add_bos_token
};

/// The spec for tokenizer.ggml.pre = `name`; none for an unknown name.
std::optional<PreTokenizerSpec> lookupPreTokenizer(llvm::StringRef name);

/// GPT-2's pattern (also HF ByteLevel's use_regex).
extern const char *const kGPT2Pattern;

} // namespace tt::rt

#endif // TT_RUNTIME_TOKENIZER_PRETOKENIZERS_H
