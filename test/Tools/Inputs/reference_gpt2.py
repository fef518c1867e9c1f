"""An independent GPT-2 forward pass (HuggingFace's GPT2LMHeadModel), in pure
Python, for checking tt-run on a tiny synthetic model.

  reference_gpt2.py MODEL_DIR "IDS" N OUT.bin

Reads MODEL_DIR/config.json and model.safetensors (f32), runs the prompt IDS
one token at a time with a KV cache, then N-1 greedy steps, prints the
prompt and the N greedy tokens, and writes every logits row (one per prompt
token, then one per step) as raw little-endian f32 to OUT.bin, the layout of
`tt-run --dump-logits`. Conv1D weights are [in, out]: y = x W + b.
"""
import array
import json
import math
import struct
import sys


def load(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            sys.exit(f"{name}: only F32 is supported, not {info['dtype']}")
        a, b = info["data_offsets"]
        values = array.array("f")
        values.frombytes(raw[8 + n + a:8 + n + b])
        tensors[name] = (values, info["shape"])
    return tensors


def main():
    model, ids, steps, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    cfg = json.load(open(model + "/config.json"))
    t = load(model + "/model.safetensors")
    E, H, L, V = cfg["n_embd"], cfg["n_head"], cfg["n_layer"], cfg["vocab_size"]
    D, eps = E // H, cfg["layer_norm_epsilon"]

    def layer_norm(x, p):
        w, b = t[p + ".weight"][0], t[p + ".bias"][0]
        mean = sum(x) / len(x)
        var = sum((v - mean) ** 2 for v in x) / len(x)
        r = 1 / math.sqrt(var + eps)
        return [(v - mean) * r * w[i] + b[i] for i, v in enumerate(x)]

    def conv1d(x, p):
        (w, (n_in, n_out)), b = t[p + ".weight"], t[p + ".bias"][0]
        return [b[o] + sum(x[i] * w[i * n_out + o] for i in range(n_in))
                for o in range(n_out)]

    def gelu_new(v):
        return 0.5 * v * (1 + math.tanh(math.sqrt(2 / math.pi) *
                                        (v + 0.044715 * v ** 3)))

    wte, wpe = t["wte.weight"][0], t["wpe.weight"][0]
    keys = [[] for _ in range(L)]
    values = [[] for _ in range(L)]

    def forward(token, pos):
        x = [wte[token * E + i] + wpe[pos * E + i] for i in range(E)]
        for l in range(L):
            p = f"h.{l}."
            qkv = conv1d(layer_norm(x, p + "ln_1"), p + "attn.c_attn")
            q, k, v = qkv[:E], qkv[E:2 * E], qkv[2 * E:]
            keys[l].append(k)
            values[l].append(v)
            att = []
            for h in range(H):
                s = [sum(q[h * D + j] * kk[h * D + j] for j in range(D)) /
                     math.sqrt(D) for kk in keys[l]]
                m = max(s)
                e = [math.exp(v - m) for v in s]
                z = sum(e)
                att += [sum(e[i] / z * values[l][i][h * D + j]
                            for i in range(len(e))) for j in range(D)]
            a = conv1d(att, p + "attn.c_proj")
            x = [x[i] + a[i] for i in range(E)]
            u = [gelu_new(v) for v in conv1d(layer_norm(x, p + "ln_2"),
                                              p + "mlp.c_fc")]
            m = conv1d(u, p + "mlp.c_proj")
            x = [x[i] + m[i] for i in range(E)]
        h = layer_norm(x, "ln_f")
        return [sum(h[i] * wte[tok * E + i] for i in range(E))
                for tok in range(V)]  # tied head

    tokens = [int(s) for s in ids.split()]
    rows = [forward(tok, pos) for pos, tok in enumerate(tokens)]
    nxt = max(range(V), key=rows[-1].__getitem__)
    for _ in range(steps - 1):
        tokens.append(nxt)
        rows.append(forward(nxt, len(tokens) - 1))
        nxt = max(range(V), key=rows[-1].__getitem__)
    tokens.append(nxt)
    print(" ".join(map(str, tokens)))
    with open(out, "wb") as f:
        a = array.array("f", [v for r in rows for v in r])
        if sys.byteorder != "little":
            a.byteswap()
        f.write(a.tobytes())


if __name__ == "__main__":
    main()
