// Writes a copy of an F32 GGUF in which every matrix whose rows are whole
// blocks is quantised by ggml itself (ggml_quantize_chunk) to q8_0, q4_0 or
// mxfp4: a real ggml-written GGUF for bench/ggml-quant-golden.sh.
//   ggml-quant-gguf IN.gguf OUT.gguf TYPE
#include "ggml.h"
#include "gguf.h"
#include <cstdio>
#include <cstring>
#include <vector>
int main(int argc, char **argv) {
  ggml_type t = strcmp(argv[3], "q4_0") == 0 ? GGML_TYPE_Q4_0 : strcmp(argv[3], "mxfp4") == 0 ? GGML_TYPE_MXFP4 : GGML_TYPE_Q8_0;
  ggml_context *data = nullptr;
  gguf_init_params ip = {false, &data};
  gguf_context *in = gguf_init_from_file(argv[1], ip);
  gguf_context *out = gguf_init_empty();
  gguf_set_kv(out, in);
  int64_t n = gguf_get_n_tensors(in);
  ggml_init_params gp = {size_t(64) << 20, nullptr, false};
  ggml_context *ctx = ggml_init(gp);
  std::vector<std::vector<uint8_t>> keep;
  for (int64_t i = 0; i < n; ++i) {
    ggml_tensor *x = ggml_get_tensor(data, gguf_get_tensor_name(in, i));
    bool q = ggml_n_dims(x) == 2 && x->ne[0] % 32 == 0;
    ggml_tensor *y = ggml_new_tensor(ctx, q ? t : x->type, ggml_n_dims(x), x->ne);
    ggml_set_name(y, x->name);
    if (q) ggml_quantize_chunk(t, (const float *)x->data, y->data, 0, ggml_nrows(x), x->ne[0], nullptr);
    else memcpy(y->data, x->data, ggml_nbytes(x));
    gguf_add_tensor(out, y);
    if (q) printf("%s -> %s\n", x->name, ggml_type_name(t));
  }
  gguf_write_to_file(out, argv[2], false);
  return 0;
}
