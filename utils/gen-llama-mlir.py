#!/usr/bin/env python3
"""Writes a Llama-family model in the tt dialect, layer by layer.

This produces the bundled example models under data/models/ and test inputs;
it is not tt's importer (tt-translate --import-hf/--import-gguf/--import-spec
are). Tensor names follow HuggingFace's LlamaForCausalLM.

  utils/gen-llama-mlir.py --name llama_2_7b --vocab 32000 --hidden 4096 \
      --layers 32 --heads 32 --kv-heads 32 --intermediate 11008 > out.mlir
"""
import argparse
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--name", required=True)
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--hidden", type=int, required=True)
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--kv-heads", type=int, required=True)
    p.add_argument("--intermediate", type=int, required=True)
    p.add_argument("--max-positions", type=int, default=4096)
    p.add_argument("--eps", default="1.0e-05")
    p.add_argument("--rope", default="theta = 10000.0",
                   help="parameters of #tt.rope")
    p.add_argument("--dtype", default="bf16")
    p.add_argument("--tied", action="store_true")
    p.add_argument("--hardware", default=None,
                   help="parameters of #tt.hardware for the module")
    a = p.parse_args()

    hd = a.hidden // a.heads
    q, kv, h, i, dt = a.heads * hd, a.kv_heads * hd, a.hidden, a.intermediate, a.dtype
    act = f"tensor<?x?x{h}xf32>"
    out = sys.stdout
    attrs = f" attributes {{tt.hardware = #tt.hardware<{a.hardware}>}}" if a.hardware else ""
    out.write(f"module{attrs} {{\n")
    out.write(f"  func.func @{a.name}(%tokens: tensor<?x?xi32>) -> tensor<?x?x{a.vocab}xf32>"
              f" attributes {{tt.max_position_embeddings = {a.max_positions} : i64}} {{\n")
    emb_t = f"tensor<{a.vocab}x{h}x{dt}>"
    out.write(f'    %emb = tt.weight "model.embed_tokens.weight" : {emb_t}\n')
    out.write(f"    %x0 = tt.embedding %tokens table(%emb : {emb_t}) : tensor<?x?xi32> -> {act}\n")

    def w(name, shape):
        t = f"tensor<{'x'.join(map(str, shape))}x{dt}>"
        return t, name

    for l in range(a.layers):
        pre = f"model.layers.{l}."
        out.write(f"    %x{l + 1} = tt.layer {l} (%h = %x{l}) : {act} {{\n")
        lines = []
        def weight(var, name, shape):
            t = f"tensor<{'x'.join(map(str, shape))}x{dt}>"
            lines.append(f'      %{var} = tt.weight "{pre}{name}" : {t}')
            return f"%{var} : {t}"
        n1 = weight("n1w", "input_layernorm.weight", [h])
        lines.append(f"      %n1 = tt.norm rms pre %h eps({a.eps}) weight({n1}) : {act}")
        wq = weight("wq", "self_attn.q_proj.weight", [q, h])
        wk = weight("wk", "self_attn.k_proj.weight", [kv, h])
        wv = weight("wv", "self_attn.v_proj.weight", [kv, h])
        wo = weight("wo", "self_attn.o_proj.weight", [h, q])
        lines.append(f"      %a = tt.attention %n1 heads({a.heads}) kv_heads({a.kv_heads}) "
                     f"rope<{a.rope}> q({wq}) k({wk}) v({wv}) o({wo}) : {act}")
        lines.append(f"      %r1 = tt.add %h, %a : {act}")
        n2 = weight("n2w", "post_attention_layernorm.weight", [h])
        lines.append(f"      %n2 = tt.norm rms pre %r1 eps({a.eps}) weight({n2}) : {act}")
        wg = weight("wg", "mlp.gate_proj.weight", [i, h])
        wu = weight("wu", "mlp.up_proj.weight", [i, h])
        wd = weight("wd", "mlp.down_proj.weight", [h, i])
        lines.append(f"      %m = tt.mlp silu %n2 up({wu}) gate({wg}) down({wd}) : {act}")
        lines.append(f"      %r2 = tt.add %r1, %m : {act}")
        lines.append(f"      tt.yield %r2 : {act}")
        out.write("\n".join(lines) + "\n    }\n")
    nf_t = f"tensor<{h}x{dt}>"
    out.write(f'    %nfw = tt.weight "model.norm.weight" : {nf_t}\n')
    out.write(f"    %nf = tt.norm rms final %x{a.layers} eps({a.eps}) weight(%nfw : {nf_t}) : {act}\n")
    if a.tied:
        head = f"%emb : {emb_t}"
    else:
        out.write(f'    %head = tt.weight "lm_head.weight" : {emb_t}\n')
        head = f"%head : {emb_t}"
    out.write(f"    %logits = tt.lm_head %nf weight({head}) : {act} -> tensor<?x?x{a.vocab}xf32>\n")
    out.write(f"    return %logits : tensor<?x?x{a.vocab}xf32>\n  }}\n}}\n")


if __name__ == "__main__":
    main()
