// Quantises stories260K's F32 matrices with ggml itself (ggml_quantize_chunk,
// i.e. quantize_row_{q8_0,q4_0,mxfp4}_ref) and prints an FNV-1a 64 hash of the
// blocks per type and the first block's bytes, for QuantizeGGMLTest.cpp.
// Built and run by bench/ggml-quant-golden.sh against ggml's own headers.
#include "ggml.h"
#include "gguf.h"
#include <cstdio>
#include <cstring>
#include <vector>
#include <string>
static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; ++i) { h ^= p[i]; h *= 1099511628211ull; }
  return h;
}
int main(int argc, char **argv) {
  ggml_context *data = nullptr;
  gguf_init_params ip = {false, &data};
  gguf_context *g = gguf_init_from_file(argv[1], ip);
  if (!g) return 1;
  const char *names[] = {"token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.2.ffn_up.weight", "blk.4.attn_output.weight"};
  ggml_type types[] = {GGML_TYPE_Q8_0, GGML_TYPE_Q4_0, GGML_TYPE_MXFP4};
  for (ggml_type t : types) {
    uint64_t h = 14695981039346656037ull;
    for (const char *n : names) {
      ggml_tensor *x = ggml_get_tensor(data, n);
      int64_t rows = ggml_nrows(x), cols = x->ne[0];
      std::vector<uint8_t> out(ggml_row_size(t, cols) * rows);
      ggml_quantize_chunk(t, (const float *)x->data, out.data(), 0, rows, cols, nullptr);
      h = fnv(h, out.data(), out.size());
      if (n == names[0]) {
        printf("%s %s first block:", ggml_type_name(t), n);
        for (size_t i = 0; i < ggml_type_size(t); ++i) printf(" 0x%02x,", out[i]);
        printf("\n");
      }
    }
    printf("%s fnv %llu\n", ggml_type_name(t), (unsigned long long)h);
  }
  return 0;
}
