//===- PreTokenizers.cpp - llama.cpp's regex chains by name ---------------===//

#include "PreTokenizers.h"

#include "llvm/ADT/StringSwitch.h"

using namespace tt::rt;

const char *const tt::rt::kGPT2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
    "\\s+(?!\\S)";

// Llama 3's pattern; (?i:...) spelled out as llama.cpp does.
static const char *const kLlama3Pattern =
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|"
    "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|"
    "\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

static const char *const kQwen2Pattern =
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|"
    "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|"
    "\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// DeepSeek LLM's letters: the upper- and lowercase letters its tokenizer.json
// lists, as code point escapes (NFC would alter some of them as literals).
static const char *const kDeepSeekLetters =
    "\\s?[A-Za-z\\x{B5}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{1BA}"
    "\\x{1BC}-\\x{1BF}\\x{1C4}-\\x{293}\\x{295}-\\x{2AF}\\x{370}-\\x{373}"
    "\\x{376}\\x{377}\\x{37B}-\\x{37D}\\x{37F}\\x{386}\\x{388}-\\x{38A}"
    "\\x{38C}\\x{38E}-\\x{3A1}\\x{3A3}-\\x{3F5}\\x{3F7}-\\x{481}"
    "\\x{48A}-\\x{52F}\\x{531}-\\x{556}\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}"
    "\\x{13F8}-\\x{13FD}\\x{1C90}-\\x{1CBA}\\x{1CBD}-\\x{1CBF}"
    "\\x{1D00}-\\x{1D2B}\\x{1D6B}-\\x{1D77}\\x{1D79}-\\x{1D9A}"
    "\\x{1E00}-\\x{1F15}\\x{1F18}-\\x{1F1D}\\x{1F20}-\\x{1F45}"
    "\\x{1F48}-\\x{1F4D}\\x{1F50}-\\x{1F57}\\x{1F59}\\x{1F5B}\\x{1F5D}"
    "\\x{1F5F}-\\x{1F7D}\\x{1F80}-\\x{1FB4}\\x{1FB6}-\\x{1FBC}\\x{1FBE}"
    "\\x{1FC2}-\\x{1FC4}\\x{1FC6}-\\x{1FCC}\\x{1FD0}-\\x{1FD3}"
    "\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}\\x{1FF2}-\\x{1FF4}"
    "\\x{1FF6}-\\x{1FFC}\\x{2102}\\x{2107}\\x{210A}-\\x{2113}\\x{2115}"
    "\\x{2119}-\\x{211D}\\x{2124}\\x{2126}\\x{2128}\\x{212A}-\\x{212D}"
    "\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}\\x{2145}-\\x{2149}"
    "\\x{214E}\\x{2183}\\x{2184}\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}"
    "\\x{2CEB}-\\x{2CEE}\\x{2CF2}\\x{2CF3}\\x{A640}-\\x{A66D}"
    "\\x{A680}-\\x{A69B}\\x{A722}-\\x{A76F}\\x{A771}-\\x{A787}"
    "\\x{A78B}-\\x{A78E}\\x{AB70}-\\x{ABBF}\\x{FB00}-\\x{FB06}"
    "\\x{FB13}-\\x{FB17}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}"
    "\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}"
    "\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}"
    "\\x{1E900}-\\x{1E943}]+";

static const char *const kCJK =
    "[\\x{4E00}-\\x{9FA5}\\x{800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+";

std::optional<PreTokenizerSpec>
tt::rt::lookupPreTokenizer(llvm::StringRef name) {
  enum Kind {
    Unknown,
    Default,
    GPT2,
    Llama3,
    Llama3NoBos,
    DeepSeekLLM,
    DeepSeekCoder,
    DeepSeek3,
    Falcon,
    StarCoder,
    Qwen2,
    Poro,
    Viking,
    ChatGLM4,
    Tekken,
    GPT4o,
    SeedCoder,
    Bailing,
    Qwen35,
    TinyAya,
    Ufakzeka,
    Laguna,
    MiniCPM5,
    Jais2,
    ExaoneMoE,
    Spark25
  };
  Kind kind =
      llvm::StringSwitch<Kind>(name)
          .Cases({"", "default"}, Default)
          .Cases({"gpt-2", "phi-2", "jina-es", "jina-de", "gigachat",
                  "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
                  "modern-bert", "mpt", "olmo", "jais", "trillion",
                  "granite-docling", "exaone4", "jina-v1-en", "jina-v2-code",
                  "roberta-bpe"},
                 GPT2)
          .Cases({"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1",
                  "pixtral", "midm-2.0", "lfm2", "jina-v5-nano"},
                 Llama3)
          .Cases({"dbrx", "smaug-bpe"}, Llama3NoBos)
          .Case("deepseek-llm", DeepSeekLLM)
          .Case("deepseek-coder", DeepSeekCoder)
          .Case("deepseek-v3", DeepSeek3)
          .Case("falcon", Falcon)
          .Cases({"starcoder", "refact", "command-r", "smollm", "codeshell",
                  "exaone", "minerva-7b"},
                 StarCoder)
          .Case("mellum2", StarCoder)
          .Cases({"qwen2", "deepseek-r1-qwen", "stablelm2", "megrez", "hunyuan",
                  "kormo", "f2llmv2", "solar-open", "grok-2"},
                 Qwen2)
          .Case("qwen35", Qwen35)
          .Cases({"tiny_aya", "cohere2moe"}, TinyAya)
          .Case("ufakzeka", Ufakzeka)
          .Case("laguna", Laguna)
          .Case("minicpm5", MiniCPM5)
          .Case("jais-2", Jais2)
          .Case("exaone-moe", ExaoneMoE)
          .Case("spark2_5", Spark25)
          .Cases({"hunyuan-dense", "joyai-llm", "hy_v4"}, DeepSeek3)
          .Cases({"poro-chat", "bloom", "gpt3-finnish"}, Poro)
          .Case("viking", Viking)
          .Cases({"glm4", "chatglm-bpe"}, ChatGLM4)
          .Case("tekken", Tekken)
          .Cases({"gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2"}, GPT4o)
          .Case("seed-coder", SeedCoder)
          .Cases({"bailingmoe", "bailingmoe2", "llada-moe"}, Bailing)
          .Default(Unknown);
  // GPT-4o's letter runs (upper-then-lower or lower), also Tiny Aya's.
  static const char *const kGPT4oPattern =
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
      "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
      "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
      "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|"
      "\\s+(?!\\S)|\\s+";
  PreTokenizerSpec spec;
  switch (kind) {
  case Unknown:
    return std::nullopt;
  case Default:
    spec.regexes = {"[\\p{P}\\$\\+<=>\\^~\\|]+", kGPT2Pattern, "\\p{N}+",
                    "[0-9][0-9][0-9]"};
    break;
  case GPT2:
    spec.regexes = {kGPT2Pattern};
    break;
  case Llama3:
    spec.regexes = {kLlama3Pattern};
    spec.ignoreMerges = true;
    spec.addBos = true;
    break;
  case Llama3NoBos:
  case ChatGLM4:
    spec.regexes = {kLlama3Pattern};
    break;
  case DeepSeekLLM:
    spec.regexes = {"[\\r\\n]",
                    kDeepSeekLetters,
                    "\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}"
                    "\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}]+",
                    "\\s+$",
                    kCJK,
                    "\\p{N}+"};
    break;
  case DeepSeekCoder:
    spec.regexes = {"[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", kCJK, "\\p{N}"};
    break;
  case DeepSeek3:
    spec.regexes = {
        "\\p{N}{1,3}",
        "[\\x{4E00}-\\x{9FA5}\\x{3040}-\\x{309F}\\x{30A0}-\\x{30FF}]+",
        "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|"
        "[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| "
        "?[\\p{P}\\p{S}]+[\\r\\n]*|"
        "\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"};
    break;
  case Falcon:
    spec.regexes = {"[\\p{P}\\$\\+<=>\\^~\\|`]+", kGPT2Pattern,
                    "[0-9][0-9][0-9]"};
    break;
  case StarCoder:
    spec.regexes = {"\\p{N}", kGPT2Pattern};
    break;
  case Qwen2:
    spec.regexes = {kQwen2Pattern};
    break;
  case Poro:
    spec.regexes = {" ?[^(\\s|.,!?\\x{2026}\\x{3002}\\x{FF0C}\\x{3001}"
                    "\\x{964}\\x{6D4}\\x{60C})]+"};
    break;
  case Viking:
    spec.regexes = {" ?[^(\\s|.,!?\\x{2026}\\x{3002}\\x{FF0C}\\x{3001}"
                    "\\x{964}\\x{6D4}\\x{60C})]+",
                    "\\p{N}"};
    break;
  case Tekken:
    spec.regexes = {
        "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
        "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|[^\\r\\n\\p{L}\\p{N}]?"
        "[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|"
        "\\p{N}| "
        "?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"};
    spec.ignoreMerges = true;
    spec.addBos = true;
    break;
  case GPT4o:
    spec.regexes = {kGPT4oPattern};
    break;
  case TinyAya:
    spec.regexes = {"\\d{1,3}(?=(?:\\d{3})*\\b)", kGPT4oPattern};
    break;
  case Qwen35:
    spec.regexes = {
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|"
        "\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
        "\\s+(?!\\S)|\\s+"};
    break;
  case Ufakzeka:
    spec.regexes = {"[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "
                    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
                    "\\s+(?!\\S)|\\s+"};
    break;
  case Laguna:
    spec.regexes = {"[^\\n]+|[\\n]+", kQwen2Pattern};
    break;
  case MiniCPM5:
    spec.regexes = {
        "\\p{N}{1,3}",
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}+|"
        " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"};
    spec.ignoreMerges = true;
    break;
  case Jais2:
    spec.regexes = {
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
        "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
        "\\s{512}(?!\\S)|\\s{256}(?!\\S)|\\s{128}(?!\\S)|\\s{64}(?!\\S)|"
        "\\s{32}(?!\\S)|\\s{16}(?!\\S)|\\s{8}(?!\\S)|\\s{4}(?!\\S)|"
        "\\s{1,2}(?!\\S)|\\s{1}"};
    break;
  case ExaoneMoE:
    spec.regexes = {
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?"
        "(?:\\p{L}\\p{M}*(?: \\p{L}\\p{M}*)*)+|\\p{N}| "
        "?[^\\s\\p{L}\\p{N}]+[\\r\\n/]?|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"};
    break;
  case Spark25:
    spec.regexes = {
        "\\p{N}{1,3}",
        "[\\x{4E00}-\\x{9FA5}\\x{3040}-\\x{309F}\\x{30A0}-\\x{30FF}]+",
        "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|"
        "[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+|"
        "[\\r\\n]|\\s+(?!\\S)|\\s+",
        "\\p{N}"};
    break;
  case SeedCoder:
    spec.regexes = {
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}|"
        " ?[^\\s\\p{L}\\p{N}\\r\\n]+|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"};
    break;
  case Bailing:
    spec.regexes = {
        "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}|"
        " ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"};
    break;
  }
  return spec;
}
