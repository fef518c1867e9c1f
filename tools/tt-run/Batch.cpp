//===- Batch.cpp - tt-run's batched decoding of several prompts -----------===//

#include "Batch.h"

#include "tt/Runtime/RuntimeABI.h"
#include "tt/Runtime/Sampler.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

using namespace tt;

namespace {

bool error(const llvm::Twine &msg) { return runError(msg); }

/// One prompt's generation: its text so far and the token to feed next.
struct Sequence {
  size_t prompt = 0;
  std::string text; ///< the prompt as echoed, then the continuation
  std::optional<Sampler> sampler;
  int32_t prev = -1, next = -1; ///< `next` was sampled, not yet handled
  int64_t pos = 0;              ///< where `next` goes in the cache
  int generated = 0;            ///< tokens sampled so far, `next` included
};

} // namespace

int64_t tt::batchSlots(const GenerateOptions &o, size_t numPrompts) {
  int64_t want = o.batch > 0 ? o.batch : kMaxDefaultBatch;
  return std::max<int64_t>(1, std::min<int64_t>(want, numPrompts));
}

bool tt::generateBatched(const GenerateOptions &o,
                         const std::vector<Prompt> &prompts, JITModel &model,
                         ttrt_context &ctx, const rt::Tokenizer *tokenizer,
                         int64_t vocab, int64_t contextLen,
                         GenerationStats &stats) {
  auto entry = model.lookupEntryPoint("_decode_batch");
  if (!entry)
    return error("the model was compiled without its batched decode step: " +
                 llvm::toString(entry.takeError()));
  auto decodeBatch = reinterpret_cast<BatchStepFn>(*entry);
  const int64_t slots = ctx.getNumSlots();

  // Texts of finished sequences, printed in prompt order as soon as every
  // earlier one is printed (what the sequential path prints, in order).
  std::vector<std::string> done(prompts.size());
  std::vector<bool> finished(prompts.size(), false);
  size_t printed = 0;
  auto finish = [&](Sequence &s) {
    done[s.prompt] = std::move(s.text);
    finished[s.prompt] = true;
    for (; printed < prompts.size() && finished[printed]; ++printed) {
      if (printed > 0)
        llvm::outs() << "\n";
      llvm::outs() << done[printed];
      done[printed].clear();
    }
    llvm::outs().flush();
  };
  // Handles `next` as the sequential loop does: stops at an end-of-
  // generation token or after -n tokens, else appends its text. Returns
  // whether the sequence goes on (feeds `next` to the next step).
  auto advance = [&](Sequence &s) {
    if (tokenizer && !o.ignoreEos && tokenizer->isEog(s.next))
      return false;
    if (tokenizer)
      s.text += tokenizer->streamPiece(s.prev, s.next);
    else
      s.text += " " + std::to_string(s.next);
    return s.generated < o.numTokens;
  };

  // rows[b]: the sequence in KV-cache slot b (live ones first).
  std::vector<std::unique_ptr<Sequence>> rows;
  std::vector<float> logits;
  std::vector<int32_t> tokens;
  std::vector<int64_t> positions;
  size_t nextPrompt = 0;
  for (;;) {
    // Prefill new prompts into the free slots.
    while (static_cast<int64_t>(rows.size()) < slots &&
           nextPrompt < prompts.size()) {
      const Prompt &p = prompts[nextPrompt];
      auto s = std::make_unique<Sequence>();
      s->prompt = nextPrompt++;
      auto prepared =
          preparePrompt(p, tokenizer, vocab, o.numTokens, contextLen);
      if (!prepared)
        return error(llvm::toString(prepared.takeError()));
      std::vector<int32_t> ids = std::move(*prepared);
      s->text = echoedPrompt(p, tokenizer, ids); // as the sequential path
      if (o.numTokens == 0) {
        finish(*s);
        continue;
      }

      const int64_t n = ids.size();
      const int64_t slot = rows.size();
      ctx.setSlot(slot);
      logits.resize(std::max<int64_t>(n, slots) * vocab);
      auto t0 = Clock::now();
      model.prefill()(&ctx, ids.data(), n, 0, logits.data());
      stats.prefillSeconds += secondsSince(t0);
      stats.prefillTokens += n;
      const int64_t last = ctx.logitRows(n) - 1; // the rows written
      s->sampler.emplace(
          SamplerOptions{o.temperature, o.topK, o.topP, o.seed});
      s->prev = ids.back();
      s->next =
          static_cast<int32_t>(s->sampler->sample(logits.data() + last * vocab,
                                                  vocab));
      s->pos = n;
      s->generated = 1;
      if (advance(*s))
        rows.push_back(std::move(s));
      else
        finish(*s);
    }
    const int64_t B = rows.size();
    if (B == 0)
      break;

    // One step of every live sequence.
    tokens.resize(B);
    positions.resize(B);
    for (int64_t b = 0; b < B; ++b) {
      tokens[b] = rows[b]->next;
      positions[b] = rows[b]->pos;
    }
    logits.resize(std::max<int64_t>(logits.size(), B * vocab));
    auto t0 = Clock::now();
    decodeBatch(&ctx, tokens.data(), B, positions.data(), logits.data());
    for (int64_t b = 0; b < B; ++b) {
      Sequence &s = *rows[b];
      ++s.pos;
      s.prev = s.next;
      s.next = static_cast<int32_t>(
          s.sampler->sample(logits.data() + b * vocab, vocab));
      ++s.generated;
    }
    stats.decodeSeconds += secondsSince(t0);
    stats.decodeTokens += B;

    // Ended sequences leave the batch: the last live one takes the slot
    // (its cache is moved by swapping slot pointers, not copied).
    for (int64_t b = B - 1; b >= 0; --b) {
      if (advance(*rows[b]))
        continue;
      finish(*rows[b]);
      int64_t lastRow = static_cast<int64_t>(rows.size()) - 1;
      if (b != lastRow) {
        ctx.swapSlots(b, lastRow);
        std::swap(rows[b], rows[lastRow]);
      }
      rows.pop_back();
    }
  }
  ctx.setSlot(0);
  return true;
}
