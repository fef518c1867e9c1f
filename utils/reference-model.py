#!/usr/bin/env python3
"""An independent reference forward pass of HuggingFace decoder models.

Pure Python 3 (standard library only, float64 arithmetic), written from the
definitions in HuggingFace transformers' modeling_<family>.py, not from tt's
code. It reads a HuggingFace model directory (config.json and
model.safetensors, F32/F16/BF16) or a GGUF file of llama.cpp's 'llama'
architecture (F32/F16/Q8_0/Q4_0, dequantised as ggml does; RoPE on adjacent
pairs, as llama.cpp applies it) or its 'bloom' / 'mpt', runs the prompt's token ids one position
at a time with a KV cache, and continues greedily. The logits of every
position (the prompt's rows, then one row per decode step) can be written in
the layout of `tt-run --dump-logits` (raw little-endian f32, `vocab` floats a
row), so utils/compare-logits.py compares the two.

  reference-model.py MODEL_DIR --prompt-ids "1 5 7" -n 6 --dump-logits ref.bin
  reference-model.py MODEL_DIR --prompt-ids "1 5 7" -n 1 --layer-checksums
  reference-model.py MODEL.gguf --prompt-ids "1 5 7" -n 6 --q8-activations f32

stdout gets the prompt ids followed by the generated ids (as `tt-run
--prompt-ids` prints them). --layer-checksums prints, for every position, the
sum and the sum of absolute values of the residual stream after the embedding
and after each layer, to stderr. --perturb OP deliberately gets one op wrong
(tests use it to show that the comparison would catch such a mistake).
--q8-activations SCALE quantizes the vector entering each product with a
Q8_0/Q4_0 matrix to Q8_0 blocks first, as quantized CPU kernels do.

Families (model_type): llama, mistral, qwen2, qwen3, gemma, gemma2, mixtral,
qwen2_moe, qwen3_moe, phi, phi3, olmo2, falcon, bloom, mpt. Every tensor of the
checkpoint must be used: a tensor the family does not expect, or an expected
tensor that is missing, is an error.
"""
import argparse
import array
import json
import math
import operator
import os
import struct
import sys

FAMILIES = ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "mixtral",
            "qwen2_moe", "qwen3_moe", "phi", "phi3", "olmo2", "falcon",
            "bloom", "mpt")
ALIBI_FAMILIES = ("bloom", "mpt")
QWEN = ("qwen2", "qwen3", "qwen2_moe", "qwen3_moe")


class RefError(Exception):
    pass


# ---------------------------------------------------------------------------
# safetensors
# ---------------------------------------------------------------------------

def _bf16_to_floats(raw):
    half = array.array("H")
    half.frombytes(raw)
    if sys.byteorder != "little":
        half.byteswap()
    words = array.array("I", (h << 16 for h in half))
    out = array.array("f")
    out.frombytes(words.tobytes())
    return out


def load_safetensors(path):
    """Returns {name: (shape, flat list of floats)}."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise RefError(f"{path}: too short for a safetensors file")
    (hlen,) = struct.unpack("<Q", data[:8])
    if 8 + hlen > len(data):
        raise RefError(f"{path}: header length {hlen} runs past the file")
    try:
        header = json.loads(data[8:8 + hlen].decode("utf-8"))
    except ValueError as e:
        raise RefError(f"{path}: bad header JSON: {e}")
    base = 8 + hlen
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype, shape = info["dtype"], info["shape"]
        begin, end = info["data_offsets"]
        raw = data[base + begin:base + end]
        count = 1
        for d in shape:
            count *= d
        if dtype == "F32":
            vals = array.array("f")
            vals.frombytes(raw)
            if sys.byteorder != "little":
                vals.byteswap()
        elif dtype == "F16":
            vals = struct.unpack(f"<{len(raw) // 2}e", raw)
        elif dtype == "BF16":
            vals = _bf16_to_floats(raw)
        else:
            raise RefError(f"{path}: tensor '{name}' has dtype {dtype}; "
                           "the reference reads F32, F16 and BF16")
        if len(vals) != count:
            raise RefError(f"{path}: tensor '{name}' has {len(vals)} values, "
                           f"its shape {shape} needs {count}")
        tensors[name] = (list(shape), [float(v) for v in vals])
    return tensors


# ---------------------------------------------------------------------------
# GGUF (llama.cpp's 'llama' architecture), F32/F16/Q8_0/Q4_0
# ---------------------------------------------------------------------------

GGUF_SCALAR = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "B",
               10: "Q", 11: "q", 12: "d"}
GGUF_NAMES = {  # llama.cpp tensor name -> HF name ({} = layer)
    "token_embd.weight": "model.embed_tokens.weight",
    "output_norm.weight": "model.norm.weight",
    "output.weight": "lm_head.weight",
    "blk.{}.attn_norm.weight": "model.layers.{}.input_layernorm.weight",
    "blk.{}.attn_q.weight": "model.layers.{}.self_attn.q_proj.weight",
    "blk.{}.attn_k.weight": "model.layers.{}.self_attn.k_proj.weight",
    "blk.{}.attn_v.weight": "model.layers.{}.self_attn.v_proj.weight",
    "blk.{}.attn_output.weight": "model.layers.{}.self_attn.o_proj.weight",
    "blk.{}.ffn_norm.weight": "model.layers.{}.post_attention_layernorm.weight",
    "blk.{}.ffn_gate.weight": "model.layers.{}.mlp.gate_proj.weight",
    "blk.{}.ffn_up.weight": "model.layers.{}.mlp.up_proj.weight",
    "blk.{}.ffn_down.weight": "model.layers.{}.mlp.down_proj.weight",
}


def _gguf_dequant(path, name, ggml_type, raw, count):
    """ggml's dequantisation (ggml-quants.c) of F32/F16/Q8_0/Q4_0 data."""
    if ggml_type == 0:
        vals = array.array("f")
        vals.frombytes(raw[:4 * count])
        if sys.byteorder != "little":
            vals.byteswap()
        return vals
    if ggml_type == 1:
        return struct.unpack(f"<{count}e", raw[:2 * count])
    out = []
    if ggml_type == 8:  # Q8_0: f16 scale, 32 int8
        for b in range(count // 32):
            blk = raw[34 * b:34 * (b + 1)]
            (d,) = struct.unpack("<e", blk[:2])
            out.extend(d * q for q in struct.unpack("<32b", blk[2:]))
        return out
    if ggml_type == 2:  # Q4_0: f16 scale, 16 bytes (low nibbles are values
        # 0..15 of the block, high nibbles 16..31)
        for b in range(count // 32):
            blk = raw[18 * b:18 * (b + 1)]
            (d,) = struct.unpack("<e", blk[:2])
            qs = blk[2:]
            out.extend(d * ((q & 15) - 8) for q in qs)
            out.extend(d * ((q >> 4) - 8) for q in qs)
        return out
    raise RefError(f"{path}: tensor '{name}' has ggml type {ggml_type}; the "
                   "reference reads F32, F16, Q8_0 and Q4_0")


def load_gguf(path):
    """Returns (config in HF terms, {HF name: (shape, values)})."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 0

    def rd(fmt):
        nonlocal pos
        v = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return v[0]

    def rstr():
        nonlocal pos
        n = rd("Q")
        s_ = data[pos:pos + n].decode("utf-8")
        pos += n
        return s_

    def rval(t):
        if t == 8:
            return rstr()
        if t == 9:
            et, n = rd("I"), rd("Q")
            return [rval(et) for _ in range(n)]
        if t not in GGUF_SCALAR:
            raise RefError(f"{path}: unknown GGUF value type {t}")
        return rd(GGUF_SCALAR[t])

    try:
        if data[:4] != b"GGUF":
            raise RefError(f"{path}: not a GGUF file")
        pos = 4
        version, n_tensors, n_kv = rd("I"), rd("Q"), rd("Q")
        if version < 2:
            raise RefError(f"{path}: GGUF version {version} is not supported")
        kv = {}
        for _ in range(n_kv):
            key = rstr()
            kv[key] = rval(rd("I"))
        infos = []
        for _ in range(n_tensors):
            name = rstr()
            dims = [rd("Q") for _ in range(rd("I"))]
            infos.append((name, dims, rd("I"), rd("Q")))
    except struct.error:
        raise RefError(f"{path}: the GGUF header is truncated")
    arch = kv.get("general.architecture")
    if arch not in ("llama",) + ALIBI_FAMILIES:
        raise RefError(f"{path}: GGUF architecture '{arch}'; the reference "
                       "reads 'llama', 'bloom' and 'mpt'")
    names = GGUF_ALIBI_NAMES[arch] if arch in ALIBI_FAMILIES else GGUF_NAMES
    align = kv.get("general.alignment", 32)
    base = (pos + align - 1) // align * align
    sizes = {0: (1, 4), 1: (1, 2), 8: (32, 34), 2: (32, 18)}
    tensors = {}
    quantized = set()
    for name, dims, typ, off in infos:
        count = 1
        for x in dims:
            count *= x
        per, nbytes = sizes.get(typ, (1, 0))
        raw = data[base + off:base + off + count // per * nbytes]
        vals = _gguf_dequant(path, name, typ, raw, count)
        hf = name
        parts = name.split(".")
        if len(parts) > 2 and parts[0] == "blk":
            pattern = ".".join(["blk", "{}"] + parts[2:])
            if pattern in names:
                hf = names[pattern].format(parts[1])
        elif name in names:
            hf = names[name]
        # ne[0] is the innermost dimension: a torch-layout [out, in] matrix.
        tensors[hf] = (list(reversed(dims)), [float(v) for v in vals])
        if typ in (2, 8):
            quantized.add(hf)

    def need(key):
        if key not in kv:
            raise RefError(f"{path}: missing GGUF key '{key}'")
        return kv[key]
    if arch in ALIBI_FAMILIES:
        return _gguf_alibi_config(path, arch, kv, need, tensors), tensors, \
            quantized
    heads = need("llama.attention.head_count")
    cfg = {
        "model_type": "llama",
        "hidden_size": need("llama.embedding_length"),
        "intermediate_size": need("llama.feed_forward_length"),
        "num_hidden_layers": need("llama.block_count"),
        "num_attention_heads": heads,
        "num_key_value_heads": kv.get("llama.attention.head_count_kv", heads),
        "vocab_size": tensors["model.embed_tokens.weight"][0][0]
        if "model.embed_tokens.weight" in tensors else 0,
        "rms_norm_eps": need("llama.attention.layer_norm_rms_epsilon"),
        "rope_theta": kv.get("llama.rope.freq_base", 10000.0),
        "tie_word_embeddings": "lm_head.weight" not in tensors,
        "hidden_act": "silu",
        # llama.cpp's llama rotates adjacent pairs (its converter permutes
        # HF's q/k rows so that this equals HF's rotate_half).
        "rope_pairs": True,
    }
    if "llama.attention.key_length" in kv:
        cfg["head_dim"] = kv["llama.attention.key_length"]
    return cfg, tensors, quantized


# llama.cpp's BLOOM and MPT tensor names (llama-arch.cpp) -> transformers'.
GGUF_ALIBI_NAMES = {
    "bloom": {
        "token_embd.weight": "word_embeddings.weight",
        "token_embd_norm.weight": "word_embeddings_layernorm.weight",
        "token_embd_norm.bias": "word_embeddings_layernorm.bias",
        "output_norm.weight": "ln_f.weight",
        "output_norm.bias": "ln_f.bias",
        "output.weight": "lm_head.weight",
        **{f"blk.{{}}.{g}.{k}": f"h.{{}}.{h}.{k}" for g, h in (
            ("attn_norm", "input_layernorm"),
            ("attn_qkv", "self_attention.query_key_value"),
            ("attn_output", "self_attention.dense"),
            ("ffn_norm", "post_attention_layernorm"),
            ("ffn_up", "mlp.dense_h_to_4h"),
            ("ffn_down", "mlp.dense_4h_to_h")) for k in ("weight", "bias")},
    },
    "mpt": {
        "token_embd.weight": "transformer.wte.weight",
        "output_norm.weight": "transformer.norm_f.weight",
        "output.weight": "lm_head.weight",
        **{f"blk.{{}}.{g}.weight": f"transformer.blocks.{{}}.{h}.weight"
           for g, h in (("attn_norm", "norm_1"), ("attn_qkv", "attn.Wqkv"),
                        ("attn_output", "attn.out_proj"),
                        ("ffn_norm", "norm_2"), ("ffn_up", "ffn.up_proj"),
                        ("ffn_down", "ffn.down_proj"))},
    },
}


def _gguf_alibi_config(path, arch, kv, need, tensors):
    """HF config of a GGUF 'bloom' / 'mpt'. llama.cpp's converter regroups
    BLOOM's per-head [q, k, v] rows of query_key_value into [Q; K; V]; this
    puts them back in transformers' order, so the model reads them as
    modeling_bloom does."""
    H, nh = need(arch + ".embedding_length"), need(arch + ".attention.head_count")
    if kv.get(arch + ".attention.head_count_kv", nh) != nh:
        raise RefError(f"{path}: {arch} with fewer KV heads than heads")
    if need(arch + ".feed_forward_length") != 4 * H:
        raise RefError(f"{path}: {arch} with a feed-forward width other than "
                       "4 x embedding_length")
    embed = "word_embeddings.weight" if arch == "bloom" else \
        "transformer.wte.weight"
    cfg = {"model_type": arch,
           "vocab_size": tensors[embed][0][0] if embed in tensors else 0,
           "layer_norm_epsilon": need(arch + ".attention.layer_norm_epsilon"),
           "tie_word_embeddings": "lm_head.weight" not in tensors}
    if arch == "bloom":
        cfg.update(hidden_size=H, n_head=nh, n_layer=need("bloom.block_count"))
        hd = H // nh
        for name in list(tensors):
            if "query_key_value" not in name:
                continue
            shape, vals = tensors[name]
            cols = len(vals) // shape[0]
            rows = [vals[r * cols:(r + 1) * cols] for r in range(shape[0])]
            hf = [rows[(t * nh + h) * hd + j] for h in range(nh)
                  for t in range(3) for j in range(hd)]
            tensors[name] = (shape, [v for r in hf for v in r])
    else:
        if kv.get("mpt.attention.clamp_kqv") is not None:
            raise RefError(f"{path}: mpt with clamp_kqv is not implemented "
                           "in the reference")
        bias_max = need("mpt.attention.max_alibi_bias")
        if not bias_max:
            raise RefError(f"{path}: mpt without ALiBi is not implemented in "
                           "the reference")
        cfg.update(d_model=H, n_heads=nh, n_layers=need("mpt.block_count"),
                   attn_config={"alibi": True, "alibi_bias_max": bias_max})
    return cfg


class Weights:
    """Named tensors, tracking which ones the model used."""

    def __init__(self, tensors, where, quantized=()):
        self.tensors = tensors
        self.quantized = set(quantized)
        self.where = where
        self.used = set()

    def has(self, name):
        return name in self.tensors

    def _get(self, name, shape):
        if name not in self.tensors:
            raise RefError(f"{self.where}: missing tensor '{name}'")
        got, vals = self.tensors[name]
        if got != list(shape):
            raise RefError(f"{self.where}: tensor '{name}' has shape {got}, "
                           f"expected {list(shape)}")
        self.used.add(name)
        return vals

    def vector(self, name, n):
        return self._get(name, [n])

    def matrix(self, name, rows, cols):
        """[rows][cols] (torch Linear weight layout: out x in)."""
        vals = self._get(name, [rows, cols])
        m = [vals[r * cols:(r + 1) * cols] for r in range(rows)]
        return QuantMatrix(m) if name in self.quantized else m

    def check_all_used(self):
        extra = sorted(set(self.tensors) - self.used)
        if extra:
            raise RefError(f"{self.where}: {len(extra)} tensors the family "
                           f"does not use: {', '.join(extra[:8])}")


# ---------------------------------------------------------------------------
# math helpers (float64)
# ---------------------------------------------------------------------------

def f32(x):
    """Rounds to the nearest float32 (for constants torch holds in f32)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


class QuantMatrix(list):
    """Rows of a matrix stored as Q8_0/Q4_0 (dequantised values)."""
    q8_activations = None  # None, "f32" or "f16": the activation scale


def f16(x):
    return struct.unpack("<e", struct.pack("<e", x))[0]


def round_away(x):
    """C's roundf: halves away from zero."""
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def q8_0_round_trip(x, scale):
    """Q8_0 quantisation of an activation vector, then dequantised: per block
    of 32, d = amax / 127, q = roundf(x * (1 / d)) (ggml's
    quantize_row_q8_0). scale "f16": d is stored as f16, as in ggml's
    block_q8_0; "f32": d is kept in f32."""
    out = []
    for b in range(0, len(x), 32):
        blk = x[b:b + 32]
        d = f32(max(abs(v) for v in blk) / 127.0)
        inv = f32(1.0 / d) if d else 0.0
        ds = f16(d) if scale == "f16" else d
        out.extend(ds * round_away(f32(v * inv)) for v in blk)
    return out


def matvec(w, x, bias=None):
    mul = operator.mul
    if type(w) is QuantMatrix and QuantMatrix.q8_activations and \
            len(x) % 32 == 0:
        x = q8_0_round_trip(x, QuantMatrix.q8_activations)
    out = [sum(map(mul, row, x)) for row in w]
    if bias is not None:
        out = [a + b for a, b in zip(out, bias)]
    return out


def add(a, b):
    return [x + y for x, y in zip(a, b)]


def layer_norm(x, w, b, eps):
    """torch LayerNorm: (x - mean) / sqrt(var + eps) * w + b (biased var)."""
    n = len(x)
    mean = sum(x) / n
    d = [v - mean for v in x]
    inv = 1.0 / math.sqrt(sum(v * v for v in d) / n + eps)
    return [v * inv * g + c for v, g, c in zip(d, w, b)]


def rms_norm(x, w, eps, offset=0.0):
    """HF RMSNorm: x / sqrt(mean(x^2) + eps) * (offset + w)."""
    inv = 1.0 / math.sqrt(sum(v * v for v in x) / len(x) + eps)
    return [v * inv * (offset + g) for v, g in zip(x, w)]


def silu(x):
    # x * sigmoid(x), written to avoid overflow for large |x|.
    if x >= 0:
        return x / (1.0 + math.exp(-x))
    e = math.exp(x)
    return x * e / (1.0 + e)


def gelu(x):
    return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) *
                                      (x + 0.044715 * x * x * x)))


def relu(x):
    return x if x > 0 else 0.0


# transformers' ACT2FN names.
ACTIVATIONS = {
    "silu": silu, "swish": silu, "gelu": gelu, "gelu_pytorch_tanh": gelu_tanh,
    "gelu_new": gelu_tanh, "gelu_fast": gelu_tanh, "relu": relu,
}


def bloom_alibi_slopes(n):
    """modeling_bloom.build_alibi_tensor's slopes."""
    closest = 2 ** math.floor(math.log2(n))
    base = 2.0 ** (-(2.0 ** -(math.log2(closest) - 3)))
    slopes = [base ** p for p in range(1, 1 + closest)]
    if closest != n:
        extra_base = 2.0 ** (-(2.0 ** -(math.log2(2 * closest) - 3)))
        remaining = min(closest, n - closest)
        slopes += [extra_base ** p for p in range(1, 1 + 2 * remaining, 2)]
    return slopes


def mpt_alibi_slopes(n, alibi_bias_max=8):
    """modeling_mpt.build_mpt_alibi_tensor's slopes."""
    n2 = 2 ** math.ceil(math.log2(n))
    slopes = [1.0 / 2.0 ** (m * (alibi_bias_max / n2)) for m in range(1, n2 + 1)]
    if n2 != n:
        slopes = (slopes[1::2] + slopes[::2])[:n]
    return slopes


def softmax(xs):
    m = max(xs)
    e = [math.exp(x - m) for x in xs]
    s = sum(e)
    return [v / s for v in e]


# ---------------------------------------------------------------------------
# RoPE (transformers' modeling_rope_utils + apply_rotary_pos_emb)
# ---------------------------------------------------------------------------

def rope_inv_freq(cfg, rot_dim):
    theta = float(cfg.get("rope_theta", 10000.0))
    inv = [1.0 / theta ** (i / rot_dim) for i in range(0, rot_dim, 2)]
    scaling = cfg.get("rope_scaling")
    if not scaling:
        return inv
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "default":
        return inv
    if kind == "linear":
        factor = float(scaling["factor"])
        return [f / factor for f in inv]
    if kind == "llama3":
        factor = float(scaling["factor"])
        low = float(scaling["low_freq_factor"])
        high = float(scaling["high_freq_factor"])
        old = float(scaling["original_max_position_embeddings"])
        low_wavelen, high_wavelen = old / low, old / high
        out = []
        for f in inv:
            wavelen = 2 * math.pi / f
            if wavelen < high_wavelen:
                out.append(f)
            elif wavelen > low_wavelen:
                out.append(f / factor)
            else:
                smooth = (old / wavelen - low) / (high - low)
                out.append((1 - smooth) * f / factor + smooth * f)
        return out
    raise RefError(f"rope_scaling type '{kind}' is not implemented in the "
                   "reference")


def apply_rope(x, pos, inv_freq, rot_dim, pairs=False):
    """rotate_half RoPE on the first rot_dim values of one head (pairs: the
    GPT-J form on (2i, 2i+1), only as a deliberate perturbation)."""
    half = rot_dim // 2
    out = list(x)
    if pairs:
        for i in range(half):
            a = pos * inv_freq[i]
            c, s = math.cos(a), math.sin(a)
            x1, x2 = x[2 * i], x[2 * i + 1]
            out[2 * i] = x1 * c - x2 * s
            out[2 * i + 1] = x2 * c + x1 * s
        return out
    for i in range(half):
        a = pos * inv_freq[i]
        c, s = math.cos(a), math.sin(a)
        x1, x2 = x[i], x[i + half]
        out[i] = x1 * c - x2 * s
        out[i + half] = x2 * c + x1 * s
    return out


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------

def cfg_get(cfg, key, default=None):
    v = cfg.get(key)
    return default if v is None else v


PERTURBATIONS = {
    "window+1": "sliding windows one position wider",
    "no-window": "full causal attention in every layer",
    "rope-pairs": "RoPE on adjacent pairs (GPT-J) instead of rotate_half",
    "no-rope-scaling": "rope_scaling ignored",
    "full-rotary": "partial_rotary_factor ignored (RoPE on whole heads)",
    "norm-offset": "RMSNorm scale w instead of Gemma's (1 + w), or the reverse",
    "no-attn-softcap": "no attention logit softcapping",
    "no-final-softcap": "no final logit softcapping",
    "no-qk-norm": "OLMo 2 / Qwen 3 without q_norm / k_norm",
    "flip-renorm": "MoE top-k weights renormalised where the model does "
                   "not, and the reverse",
    "no-shared-expert": "Qwen2-MoE without its shared expert",
    "swap-gate-up": "gate and up projections exchanged",
    "no-alibi": "BLOOM / MPT without the ALiBi bias",
    "alibi-naive-slopes": "ALiBi slopes 2^(-max_bias (h+1) / heads) for "
                          "every head (wrong when heads is not a power of "
                          "two)",
    "qkv-contiguous": "BLOOM's fused query_key_value read as [Q; K; V] "
                      "instead of per head",
    "no-embed-norm": "BLOOM without word_embeddings_layernorm",
}


class Model:
    def __init__(self, model_dir, perturb=None):
        self.perturb = perturb
        if model_dir.endswith(".gguf"):
            if not os.path.isfile(model_dir):
                raise RefError(f"'{model_dir}' does not exist")
            cfg, tensors, quantized = load_gguf(model_dir)
            cfg_path = st_path = model_dir
        else:
            cfg_path = os.path.join(model_dir, "config.json")
            st_path = os.path.join(model_dir, "model.safetensors")
            for p in (cfg_path, st_path):
                if not os.path.isfile(p):
                    raise RefError(f"'{p}' does not exist")
            with open(cfg_path) as f:
                try:
                    cfg = json.load(f)
                except ValueError as e:
                    raise RefError(f"{cfg_path}: bad JSON: {e}")
            tensors, quantized = None, ()
        self.cfg = cfg
        fam = cfg.get("model_type")
        if fam not in FAMILIES:
            raise RefError(f"{cfg_path}: model_type '{fam}' is not one of "
                           f"the reference's families ({', '.join(FAMILIES)})")
        self.family = fam
        w = Weights(tensors if tensors is not None
                    else load_safetensors(st_path), st_path, quantized)
        self.rope_pairs = bool(cfg.get("rope_pairs"))
        if fam in ALIBI_FAMILIES:
            self._alibi_init(cfg, cfg_path, w)
            w.check_all_used()
            self.reset()
            return

        H = self.hidden = cfg["hidden_size"]
        self.vocab = cfg["vocab_size"]
        self.layers_n = cfg["num_hidden_layers"]
        nh = self.heads = cfg["num_attention_heads"]
        if fam == "falcon":
            if cfg.get("alibi"):
                raise RefError(f"{cfg_path}: Falcon with alibi is not "
                               "implemented in the reference")
            # FalconConfig: new_decoder_architecture uses num_kv_heads;
            # otherwise multi_query means one KV head.
            self.new_arch = bool(cfg.get("new_decoder_architecture"))
            nkv = self.kv_heads = (cfg["num_kv_heads"] if self.new_arch
                                   else 1 if cfg.get("multi_query", True)
                                   else nh)
            inter = cfg_get(cfg, "ffn_hidden_size", 4 * H)
            self.eps = float(cfg["layer_norm_epsilon"])
            n_ln = cfg.get("num_ln_in_parallel_attn")
            self.n_ln = 2 if n_ln is None and self.new_arch else n_ln
            self.parallel = bool(cfg.get("parallel_attn", True))
        else:
            nkv = self.kv_heads = cfg_get(cfg, "num_key_value_heads", nh)
            inter = cfg["intermediate_size"]
            self.eps = float(cfg["layer_norm_eps"] if fam == "phi"
                             else cfg["rms_norm_eps"])
        hd = self.head_dim = cfg_get(cfg, "head_dim", H // nh)
        gemma_like = fam in ("gemma", "gemma2")
        self.norm_offset = 1.0 if gemma_like else 0.0
        if perturb == "norm-offset":
            self.norm_offset = 1.0 - self.norm_offset
        self.embed_scale = f32(math.sqrt(H)) if gemma_like else None

        if fam == "falcon":
            act = cfg_get(cfg, "activation", "gelu")
        elif gemma_like:
            act = cfg_get(cfg, "hidden_activation", "gelu_pytorch_tanh")
        else:
            act = cfg_get(cfg, "hidden_act", "silu")
        if act not in ACTIVATIONS:
            raise RefError(f"{cfg_path}: activation '{act}' is not "
                           "implemented in the reference")
        self.act = ACTIVATIONS[act]

        # Attention scale and softcaps.
        if fam == "gemma2":
            self.scale = float(cfg["query_pre_attn_scalar"]) ** -0.5
            self.attn_softcap = cfg.get("attn_logit_softcapping")
            self.final_softcap = cfg.get("final_logit_softcapping")
        else:
            self.scale = hd ** -0.5
            self.attn_softcap = self.final_softcap = None
        if perturb == "no-attn-softcap":
            self.attn_softcap = None
        if perturb == "no-final-softcap":
            self.final_softcap = None

        # RoPE.
        self.rot_dim = int(hd * float(cfg_get(cfg, "partial_rotary_factor",
                                              0.5 if fam == "phi" else
                                              1.0)))
        if perturb == "full-rotary":
            self.rot_dim = hd
        rope_cfg = dict(cfg)
        if perturb == "no-rope-scaling":
            rope_cfg["rope_scaling"] = None
        self.inv_freq = rope_inv_freq(rope_cfg, self.rot_dim)

        # Sliding window per layer (None: full causal attention). A window W
        # lets position i see keys j with i - W < j <= i (masking_utils'
        # sliding_window_overlay: kv_idx > q_idx - W).
        L = self.layers_n
        window = cfg.get("sliding_window")
        layer_types = cfg.get("layer_types")
        self.windows = [None] * L
        if fam in ("mistral", "mixtral", "phi3"):
            self.windows = [window] * L
        elif fam in QWEN:
            if cfg.get("use_sliding_window") and window is not None:
                mwl = cfg_get(cfg, "max_window_layers", L)
                self.windows = [window if i >= mwl else None
                                for i in range(L)]
        elif fam == "gemma2":
            self.windows = [window if i % 2 == 0 else None for i in range(L)]
        if layer_types is not None and fam in QWEN + ("gemma2",):
            self.windows = [window if t == "sliding_attention" else None
                            for t in layer_types]

        if perturb == "window+1":
            self.windows = [None if w_ is None else w_ + 1
                            for w_ in self.windows]
        elif perturb == "no-window":
            self.windows = [None] * L

        # Biases.
        attn_bias = bool(cfg.get("attention_bias", False))
        qkv_bias = attn_bias or fam in ("qwen2", "qwen2_moe", "phi")
        o_bias = (attn_bias and fam not in ("qwen2", "qwen2_moe")) or \
            fam == "phi"
        mlp_bias = bool(cfg.get("mlp_bias", False)) and fam == "llama"

        self.layers = []
        if fam == "falcon":
            self.embed = w.matrix("transformer.word_embeddings.weight",
                                  self.vocab, H)
            self._falcon_layers(w, inter)
        else:
            self.embed = w.matrix("model.embed_tokens.weight", self.vocab, H)
        for i in range(L if fam != "falcon" else 0):
            p = f"model.layers.{i}."
            a = p + "self_attn."
            ly = {}
            if fam == "phi":
                ly["in_norm"] = (w.vector(p + "input_layernorm.weight", H),
                                 w.vector(p + "input_layernorm.bias", H))
            elif fam != "olmo2":
                ly["in_norm"] = w.vector(p + "input_layernorm.weight", H)
            if fam != "phi":
                ly["post_attn_norm"] = w.vector(
                    p + "post_attention_layernorm.weight", H)
            if fam == "gemma2":
                ly["pre_ff_norm"] = w.vector(
                    p + "pre_feedforward_layernorm.weight", H)
            if fam in ("gemma2", "olmo2"):
                ly["post_ff_norm"] = w.vector(
                    p + "post_feedforward_layernorm.weight", H)
            if fam == "phi3":
                qkv = w.matrix(a + "qkv_proj.weight", (nh + 2 * nkv) * hd, H)
                ly["q"] = qkv[:nh * hd]
                ly["k"] = qkv[nh * hd:(nh + nkv) * hd]
                ly["v"] = qkv[(nh + nkv) * hd:]
            else:
                ly["q"] = w.matrix(a + "q_proj.weight", nh * hd, H)
                ly["k"] = w.matrix(a + "k_proj.weight", nkv * hd, H)
                ly["v"] = w.matrix(a + "v_proj.weight", nkv * hd, H)
            for n, rows in (("q", nh * hd), ("k", nkv * hd), ("v", nkv * hd)):
                ly[n + "b"] = (w.vector(a + n + "_proj.bias", rows)
                               if qkv_bias else None)
            o = "dense" if fam == "phi" else "o_proj"
            ly["o"] = w.matrix(a + o + ".weight", H, nh * hd)
            ly["ob"] = w.vector(a + o + ".bias", H) if o_bias else None
            if fam == "phi" and cfg.get("qk_layernorm"):
                # PhiAttention: LayerNorm over each head's q and k.
                ly["q_head_ln"] = (w.vector(a + "q_layernorm.weight", hd),
                                   w.vector(a + "q_layernorm.bias", hd))
                ly["k_head_ln"] = (w.vector(a + "k_layernorm.weight", hd),
                                   w.vector(a + "k_layernorm.bias", hd))
            if fam == "olmo2":
                ly["q_norm"] = w.vector(a + "q_norm.weight", nh * hd)
                ly["k_norm"] = w.vector(a + "k_norm.weight", nkv * hd)
            elif fam in ("qwen3", "qwen3_moe"):
                # Qwen 3: RMSNorm over each head's q and k (head_dim).
                ly["q_head_norm"] = w.vector(a + "q_norm.weight", hd)
                ly["k_head_norm"] = w.vector(a + "k_norm.weight", hd)
            if perturb == "no-qk-norm":
                for n in ("q_norm", "k_norm", "q_head_norm", "k_head_norm"):
                    ly.pop(n, None)
            if fam == "mixtral":
                ne = cfg["num_local_experts"]
                m = p + "block_sparse_moe."
                ly["moe"] = {
                    "router": w.matrix(m + "gate.weight", ne, H),
                    "top_k": cfg["num_experts_per_tok"], "renorm": True,
                    "experts": [
                        (w.matrix(f"{m}experts.{e}.w1.weight", inter, H),
                         w.matrix(f"{m}experts.{e}.w3.weight", inter, H),
                         w.matrix(f"{m}experts.{e}.w2.weight", H, inter))
                        for e in range(ne)],
                    "shared": None}
            elif fam in ("qwen2_moe", "qwen3_moe") and self.sparse_layer(i):
                ne, mi = cfg["num_experts"], cfg["moe_intermediate_size"]
                m = p + "mlp."
                ly["moe"] = {
                    "router": w.matrix(m + "gate.weight", ne, H),
                    "top_k": cfg["num_experts_per_tok"],
                    "renorm": bool(cfg.get("norm_topk_prob", False)),
                    "experts": [self.gated(w, f"{m}experts.{e}.", mi)
                                for e in range(ne)],
                    "shared": None}
                si = cfg.get("shared_expert_intermediate_size") or 0
                if fam == "qwen2_moe" and si > 0:
                    ly["moe"]["shared"] = self.gated(
                        w, m + "shared_expert.", si)
                    ly["moe"]["shared_gate"] = w.matrix(
                        m + "shared_expert_gate.weight", 1, H)[0]
            elif fam == "phi":
                # PhiMLP: fc2(act(fc1 x)), both with bias, no gate.
                ly["fc"] = (w.matrix(p + "mlp.fc1.weight", inter, H),
                            w.vector(p + "mlp.fc1.bias", inter),
                            w.matrix(p + "mlp.fc2.weight", H, inter),
                            w.vector(p + "mlp.fc2.bias", H))
            elif fam == "phi3":
                gu = w.matrix(p + "mlp.gate_up_proj.weight", 2 * inter, H)
                ly["mlp"] = (gu[:inter], None, gu[inter:], None,
                             w.matrix(p + "mlp.down_proj.weight", H, inter),
                             None)
            else:
                mp = p + "mlp."
                bias = (lambda n, r: w.vector(mp + n + ".bias", r)) \
                    if mlp_bias else (lambda n, r: None)
                ly["mlp"] = (w.matrix(mp + "gate_proj.weight", inter, H),
                             bias("gate_proj", inter),
                             w.matrix(mp + "up_proj.weight", inter, H),
                             bias("up_proj", inter),
                             w.matrix(mp + "down_proj.weight", H, inter),
                             bias("down_proj", H))
            self.layers.append(ly)
        if fam == "phi":
            self.final_norm = (w.vector("model.final_layernorm.weight", H),
                               w.vector("model.final_layernorm.bias", H))
        elif fam == "falcon":
            self.final_norm = (w.vector("transformer.ln_f.weight", H),
                               w.vector("transformer.ln_f.bias", H))
        else:
            self.final_norm = w.vector("model.norm.weight", H)
        tied = cfg.get("tie_word_embeddings")
        if tied is None:
            # transformers' PretrainedConfig default is True; every family
            # here but gemma/gemma2/falcon sets False in its own config class.
            tied = gemma_like or fam == "falcon"
        if tied:
            self.lm_head = self.embed
            if w.has("lm_head.weight"):
                w.matrix("lm_head.weight", self.vocab, H)  # ignored, as HF does
        else:
            self.lm_head = w.matrix("lm_head.weight", self.vocab, H)
        # Phi's lm_head has a bias.
        self.lm_head_bias = (w.vector("lm_head.bias", self.vocab)
                             if fam == "phi" else None)
        w.check_all_used()
        self.reset()

    # -- ALiBi families (BLOOM, MPT) ---------------------------------------

    def _alibi_init(self, cfg, cfg_path, w):
        """BloomForCausalLM (modeling_bloom.py) / MptForCausalLM
        (modeling_mpt.py) weights and hyperparameters."""
        fam, perturb = self.family, self.perturb
        self.layers = []
        if fam == "bloom":
            H = cfg.get("hidden_size", cfg.get("n_embed"))
            nh = cfg.get("n_head", cfg.get("num_attention_heads"))
            L = cfg.get("n_layer", cfg.get("num_hidden_layers"))
            self.eps = float(cfg_get(cfg, "layer_norm_epsilon", 1e-5))
            if cfg.get("apply_residual_connection_post_layernorm"):
                raise RefError(f"{cfg_path}: BLOOM with apply_residual_"
                               "connection_post_layernorm is not "
                               "implemented in the reference")
            self.scale = 1.0 / math.sqrt(H // nh)  # inv_norm_factor
            self.act = gelu_tanh  # BloomGelu: the tanh approximation
            slopes = bloom_alibi_slopes(nh)
            bias_max = 8
        else:
            H, nh, L = cfg["d_model"], cfg["n_heads"], cfg["n_layers"]
            self.eps = float(cfg_get(cfg, "layer_norm_epsilon", 1e-5))
            ac = cfg.get("attn_config") or {}
            if ac.get("clip_qkv") is not None or ac.get("qk_ln") or \
                    ac.get("alibi") is False:
                raise RefError(f"{cfg_path}: MPT with clip_qkv, qk_ln or "
                               "without alibi is not implemented in the "
                               "reference")
            scale = ac.get("softmax_scale")
            self.scale = (float(scale) if scale is not None
                          else 1.0 / math.sqrt(H / nh))
            self.act = gelu  # MptMLP: nn.GELU(approximate="none")
            bias_max = cfg_get(ac, "alibi_bias_max", 8)
            slopes = mpt_alibi_slopes(nh, bias_max)
        if perturb == "no-alibi":
            slopes = [0.0] * nh
        elif perturb == "alibi-naive-slopes":
            slopes = [2.0 ** (-bias_max * (h + 1) / nh) for h in range(nh)]
        self.alibi_slopes = slopes
        self.hidden, self.heads, self.kv_heads = H, nh, nh
        self.head_dim = hd = H // nh
        self.layers_n = L
        self.vocab = cfg["vocab_size"]
        inter = 4 * H
        bias = fam == "bloom"
        # Hub BLOOM checkpoints have no "transformer." prefix;
        # save_pretrained's have it.
        pre = "transformer."
        if fam == "bloom" and not w.has(pre + "word_embeddings.weight"):
            pre = ""

        def ln(name):
            b = (w.vector(name + ".bias", H) if bias
                 else [0.0] * H)  # MPT's LayerNorms have bias = None
            return (w.vector(name + ".weight", H), b)

        def take(m, rows):
            # Rows of a (possibly quantized) matrix keep its kind, so that a
            # product with them quantizes its activations as tt's does.
            out = [m[r] for r in rows]
            return QuantMatrix(out) if type(m) is QuantMatrix else out

        def lin(name, rows, cols):
            return (w.matrix(name + ".weight", rows, cols),
                    w.vector(name + ".bias", rows) if bias else None)

        if fam == "bloom":
            self.embed = w.matrix(pre + "word_embeddings.weight", self.vocab, H)
            self.embed_norm = ln(pre + "word_embeddings_layernorm")
            if perturb == "no-embed-norm":
                self.embed_norm = None
        else:
            self.embed = w.matrix(pre + "wte.weight", self.vocab, H)
            self.embed_norm = None
        for i in range(L):
            ly = {}
            if fam == "bloom":
                p = f"{pre}h.{i}."
                ly["ln1"] = ln(p + "input_layernorm")
                qkv, qkvb = lin(p + "self_attention.query_key_value", 3 * H, H)
                # BloomAttention._split_heads: view(..., heads, 3, head_dim).
                if perturb == "qkv-contiguous":
                    idx = {t: [t * H + h * hd + j for h in range(nh)
                               for j in range(hd)] for t in range(3)}
                else:
                    idx = {t: [(h * 3 + t) * hd + j for h in range(nh)
                               for j in range(hd)] for t in range(3)}
                for t, n in enumerate("qkv"):
                    ly[n] = take(qkv, idx[t])
                    ly[n + "b"] = [qkvb[r] for r in idx[t]]
                ly["o"], ly["ob"] = lin(p + "self_attention.dense", H, H)
                ly["ln2"] = ln(p + "post_attention_layernorm")
                ly["fc"] = (lin(p + "mlp.dense_h_to_4h", inter, H) +
                            lin(p + "mlp.dense_4h_to_h", H, inter))
            else:
                p = f"{pre}blocks.{i}."
                ly["ln1"] = ln(p + "norm_1")
                qkv, _ = lin(p + "attn.Wqkv", 3 * H, H)
                # MptAttention: mixed_qkv.chunk(3, dim=2).
                ly["q"], ly["k"], ly["v"] = (take(qkv, range(t * H, (t + 1) * H))
                                             for t in range(3))
                ly["qb"] = ly["kb"] = ly["vb"] = None
                ly["o"], ly["ob"] = lin(p + "attn.out_proj", H, H)
                ly["ln2"] = ln(p + "norm_2")
                ly["fc"] = (lin(p + "ffn.up_proj", inter, H) +
                            lin(p + "ffn.down_proj", H, inter))
            self.layers.append(ly)
        self.final_norm = ln(pre + ("ln_f" if fam == "bloom" else "norm_f"))
        # Both tie the head to the embedding unless the config says not.
        if cfg_get(cfg, "tie_word_embeddings", True):
            self.lm_head = self.embed
            if w.has("lm_head.weight"):
                w.matrix("lm_head.weight", self.vocab, H)
        else:
            self.lm_head = w.matrix("lm_head.weight", self.vocab, H)
        self.lm_head_bias = None
        self.embed_scale = None
        self.final_softcap = None

    def alibi_attention(self, i, ly, x):
        """BloomAttention / MptAttention over the cache: q.k * scale plus the
        head's slope times a key offset, softmax, the values, the output
        projection. BLOOM adds slope * key_position (build_alibi_tensor on
        the cumulative attention mask); MPT adds slope * (key_position -
        (key_length - 1)) (build_mpt_alibi_tensor, sliced to the keys).
        Both differ from slope * (key - query) by a constant per row, which
        softmax ignores; each is written as its model computes it."""
        nh, hd = self.heads, self.head_dim
        q = matvec(ly["q"], x, ly["qb"])
        k = matvec(ly["k"], x, ly["kb"])
        v = matvec(ly["v"], x, ly["vb"])
        keys, values = self.cache[i]
        keys.append([k[h * hd:(h + 1) * hd] for h in range(nh)])
        values.append([v[h * hd:(h + 1) * hd] for h in range(nh)])
        n = len(keys)
        offset = 0 if self.family == "bloom" else -(n - 1)
        mul = operator.mul
        out = []
        for h in range(nh):
            qh = q[h * hd:(h + 1) * hd]
            m = self.alibi_slopes[h]
            scores = [sum(map(mul, qh, keys[j][h])) * self.scale +
                      m * (j + offset) for j in range(n)]
            p = softmax(scores)
            acc = [0.0] * hd
            for pj, j in zip(p, range(n)):
                acc = [a + pj * b for a, b in zip(acc, values[j][h])]
            out.extend(acc)
        return matvec(ly["o"], out, ly["ob"])

    def alibi_layer(self, i, ly, x):
        """BloomBlock / MptBlock: pre-LayerNorm attention and MLP, each
        added to the residual stream."""
        x = add(x, self.alibi_attention(i, ly, self.norm(x, ly["ln1"])))
        return add(x, self.fc_mlp(ly, self.norm(x, ly["ln2"])))

    def _falcon_layers(self, w, inter):
        """FalconDecoderLayer weights (transformer.h.N.*)."""
        H, nh, nkv, hd = self.hidden, self.heads, self.kv_heads, self.head_dim
        bias = bool(self.cfg.get("bias", False))

        def ln(name):
            return (w.vector(name + ".weight", H), w.vector(name + ".bias", H))

        for i in range(self.layers_n):
            p = f"transformer.h.{i}."
            ly = {}
            if self.new_arch and self.n_ln == 2:
                ly["ln_attn"] = ln(p + "ln_attn")
                ly["ln_mlp"] = ln(p + "ln_mlp")
            else:
                ly["in_norm"] = ln(p + "input_layernorm")
                if not self.parallel:
                    ly["post_ln"] = ln(p + "post_attention_layernorm")
            rows = (nh + 2 * nkv) * hd
            qkv = w.matrix(p + "self_attention.query_key_value.weight", rows, H)
            qkvb = (w.vector(p + "self_attention.query_key_value.bias", rows)
                    if bias else None)
            # FalconAttention._split_heads: which rows are q, k, v.
            if self.new_arch:  # per KV group: its q heads, then k, then v
                per = nh // nkv + 2
                q_rows = [g * per + j for g in range(nkv)
                          for j in range(per - 2)]
                k_rows = [g * per + per - 2 for g in range(nkv)]
                v_rows = [g * per + per - 1 for g in range(nkv)]
            elif nkv == 1:  # multi-query: all q heads, then k, then v
                q_rows, k_rows, v_rows = list(range(nh)), [nh], [nh + 1]
            else:  # per head: q, k, v
                q_rows = [3 * h for h in range(nh)]
                k_rows = [3 * h + 1 for h in range(nh)]
                v_rows = [3 * h + 2 for h in range(nh)]

            def take(heads, m):
                return [r for h in heads for r in m[h * hd:(h + 1) * hd]]
            for n, heads in (("q", q_rows), ("k", k_rows), ("v", v_rows)):
                ly[n] = take(heads, qkv)
                ly[n + "b"] = take(heads, qkvb) if bias else None
            ly["o"] = w.matrix(p + "self_attention.dense.weight", H, nh * hd)
            ly["ob"] = (w.vector(p + "self_attention.dense.bias", H)
                        if bias else None)
            m = p + "mlp."
            b1 = w.vector(m + "dense_h_to_4h.bias", inter) if bias else None
            b2 = w.vector(m + "dense_4h_to_h.bias", H) if bias else None
            ly["fc"] = (w.matrix(m + "dense_h_to_4h.weight", inter, H), b1,
                        w.matrix(m + "dense_4h_to_h.weight", H, inter), b2)
            self.layers.append(ly)

    def fc_mlp(self, ly, x):
        """fc2(act(fc1 x)) (Phi, Falcon)."""
        f1, b1, f2, b2 = ly["fc"]
        act = self.act
        return matvec(f2, [act(v) for v in matvec(f1, x, b1)], b2)

    def falcon_layer(self, i, ly, x):
        """FalconDecoderLayer.forward."""
        if "ln_attn" in ly:
            a_ln = self.norm(x, ly["ln_attn"])
            m_ln = self.norm(x, ly["ln_mlp"])
        else:
            a_ln = m_ln = self.norm(x, ly["in_norm"])
        attn = self.attention(i, ly, a_ln)
        residual = x
        if not self.new_arch and not self.parallel:
            residual = add(x, attn)
            m_ln = self.norm(residual, ly["post_ln"])
        out = self.fc_mlp(ly, m_ln)
        if self.new_arch or self.parallel:
            out = add(out, attn)
        return add(out, residual)

    def sparse_layer(self, i):
        """Qwen MoE: whether layer i has the sparse block (transformers:
        not in mlp_only_layers, num_experts > 0, (i + 1) % step == 0)."""
        cfg = self.cfg
        return (i not in (cfg.get("mlp_only_layers") or []) and
                cfg.get("num_experts", 0) > 0 and
                (i + 1) % cfg_get(cfg, "decoder_sparse_step", 1) == 0)

    def gated(self, w, prefix, inter):
        """(gate, up, down) of a gate_proj/up_proj/down_proj MLP."""
        H = self.hidden
        return (w.matrix(prefix + "gate_proj.weight", inter, H),
                w.matrix(prefix + "up_proj.weight", inter, H),
                w.matrix(prefix + "down_proj.weight", H, inter))

    def reset(self):
        self.cache = [([], []) for _ in range(self.layers_n)]
        self.pos = 0

    # -- sublayers ----------------------------------------------------------

    def norm(self, x, wgt):
        if isinstance(wgt, tuple):  # LayerNorm (weight, bias)
            return layer_norm(x, wgt[0], wgt[1], self.eps)
        return rms_norm(x, wgt, self.eps, self.norm_offset)

    def mlp(self, ly, x):
        g, gb, u, ub, d, db = ly["mlp"]
        if self.perturb == "swap-gate-up":
            g, gb, u, ub = u, ub, g, gb
        gate = matvec(g, x, gb)
        up = matvec(u, x, ub)
        act = self.act
        return matvec(d, [act(a) * b for a, b in zip(gate, up)], db)

    def expert(self, weights, x):
        g, u, d = weights
        if self.perturb == "swap-gate-up":
            g, u = u, g
        act = self.act
        return matvec(d, [act(a) * b for a, b in zip(matvec(g, x),
                                                      matvec(u, x))])

    def moe(self, moe, x):
        # Mixtral/Qwen2Moe/Qwen3MoeSparseMoeBlock: softmax over all experts,
        # top-k, the k weights renormalised to sum to 1 (Mixtral always,
        # Qwen with norm_topk_prob); Qwen2-MoE adds a shared expert gated by
        # sigmoid(shared_expert_gate x).
        probs = softmax(matvec(moe["router"], x))
        order = sorted(range(len(probs)), key=lambda e: (-probs[e], e))
        chosen = order[:moe["top_k"]]
        total = sum(probs[e] for e in chosen)
        if moe["renorm"] == (self.perturb == "flip-renorm"):
            total = 1.0
        out = [0.0] * self.hidden
        for e in chosen:
            y = self.expert(moe["experts"][e], x)
            wt = probs[e] / total
            out = [o + wt * v for o, v in zip(out, y)]
        if moe["shared"] is not None and self.perturb != "no-shared-expert":
            y = self.expert(moe["shared"], x)
            s = sum(map(operator.mul, moe["shared_gate"], x))
            gate = 1.0 / (1.0 + math.exp(-s))
            out = [o + gate * v for o, v in zip(out, y)]
        return out

    def attention(self, i, ly, x):
        nh, nkv, hd = self.heads, self.kv_heads, self.head_dim
        q = matvec(ly["q"], x, ly["qb"])
        k = matvec(ly["k"], x, ly["kb"])
        v = matvec(ly["v"], x, ly["vb"])
        if "q_norm" in ly:  # OLMo 2: RMSNorm over all heads' q and k
            q = rms_norm(q, ly["q_norm"], self.eps)
            k = rms_norm(k, ly["k_norm"], self.eps)
        if "q_head_ln" in ly:  # Phi with qk_layernorm
            (qw, qb), (kw, kb) = ly["q_head_ln"], ly["k_head_ln"]
            q = [v for h in range(nh)
                 for v in layer_norm(q[h * hd:(h + 1) * hd], qw, qb, self.eps)]
            k = [v for h in range(nkv)
                 for v in layer_norm(k[h * hd:(h + 1) * hd], kw, kb, self.eps)]
        if "q_head_norm" in ly:  # Qwen 3: RMSNorm over each head's q and k
            qn, kn = ly["q_head_norm"], ly["k_head_norm"]
            q = [v for h in range(nh)
                 for v in rms_norm(q[h * hd:(h + 1) * hd], qn, self.eps)]
            k = [v for h in range(nkv)
                 for v in rms_norm(k[h * hd:(h + 1) * hd], kn, self.eps)]
        pos, inv, rd = self.pos, self.inv_freq, self.rot_dim
        pairs = self.rope_pairs != (self.perturb == "rope-pairs")
        qh = [apply_rope(q[h * hd:(h + 1) * hd], pos, inv, rd, pairs)
              for h in range(nh)]
        kh = [apply_rope(k[h * hd:(h + 1) * hd], pos, inv, rd, pairs)
              for h in range(nkv)]
        vh = [v[h * hd:(h + 1) * hd] for h in range(nkv)]
        keys, values = self.cache[i]
        keys.append(kh)
        values.append(vh)
        window = self.windows[i]
        first = 0 if window is None else max(0, pos - window + 1)
        group = nh // nkv
        cap = self.attn_softcap
        mul = operator.mul
        out = []
        for h in range(nh):
            g = h // group
            scores = [sum(map(mul, qh[h], keys[j][g])) * self.scale
                      for j in range(first, pos + 1)]
            if cap:
                scores = [cap * math.tanh(s / cap) for s in scores]
            p = softmax(scores)
            acc = [0.0] * hd
            for pj, j in zip(p, range(first, pos + 1)):
                vj = values[j][g]
                acc = [a + pj * b for a, b in zip(acc, vj)]
            out.extend(acc)
        return matvec(ly["o"], out, ly["ob"])

    # -- one position -------------------------------------------------------

    def step(self, token, checksums=None):
        """Runs one token at the next position; returns its logits."""
        if not 0 <= token < self.vocab:
            raise RefError(f"token {token} is outside the vocabulary "
                           f"[0, {self.vocab})")
        x = list(self.embed[token])
        if getattr(self, "embed_norm", None) is not None:
            x = self.norm(x, self.embed_norm)  # word_embeddings_layernorm
        if self.embed_scale is not None:
            x = [v * self.embed_scale for v in x]
        if checksums is not None:
            checksums.append(("embed", self.pos, x))
        fam = self.family
        for i, ly in enumerate(self.layers):
            if fam == "olmo2":
                a = self.norm(self.attention(i, ly, x), ly["post_attn_norm"])
                x = add(x, a)
                m = self.norm(self.mlp(ly, x), ly["post_ff_norm"])
                x = add(x, m)
            elif fam == "phi":
                # PhiDecoderLayer: attention and MLP in parallel on one norm.
                h = self.norm(x, ly["in_norm"])
                x = add(add(self.attention(i, ly, h), self.fc_mlp(ly, h)), x)
            elif fam == "falcon":
                x = self.falcon_layer(i, ly, x)
            elif fam in ALIBI_FAMILIES:
                x = self.alibi_layer(i, ly, x)
            elif fam == "gemma2":
                a = self.attention(i, ly, self.norm(x, ly["in_norm"]))
                x = add(x, self.norm(a, ly["post_attn_norm"]))
                m = self.mlp(ly, self.norm(x, ly["pre_ff_norm"]))
                x = add(x, self.norm(m, ly["post_ff_norm"]))
            else:
                x = add(x, self.attention(i, ly, self.norm(x, ly["in_norm"])))
                h = self.norm(x, ly["post_attn_norm"])
                x = add(x, self.moe(ly["moe"], h) if "moe" in ly
                        else self.mlp(ly, h))
            if checksums is not None:
                checksums.append((f"layer{i}", self.pos, x))
        x = self.norm(x, self.final_norm)
        logits = matvec(self.lm_head, x, self.lm_head_bias)
        cap = self.final_softcap
        if cap:
            logits = [cap * math.tanh(v / cap) for v in logits]
        self.pos += 1
        return logits


def argmax(xs):
    best = 0
    for i in range(1, len(xs)):
        if xs[i] > xs[best]:
            best = i
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model", help="HuggingFace model directory")
    p.add_argument("--prompt-ids", required=True,
                   help="space-separated token ids")
    p.add_argument("-n", type=int, default=8, help="tokens to generate")
    p.add_argument("--dump-logits", help="write every logits row (f32) here")
    p.add_argument("--layer-checksums", action="store_true",
                   help="print per-layer hidden-state sums to stderr")
    p.add_argument("--q8-activations", choices=("f32", "f16"),
                   help="quantize the vector entering a product with a "
                        "Q8_0/Q4_0 matrix to Q8_0 blocks of 32 first, with "
                        "the block scale kept in f32 or rounded to f16 (as "
                        "llama.cpp's block_q8_0 stores it)")
    p.add_argument("--perturb", choices=sorted(PERTURBATIONS),
                   help="deliberately change one op (to show that a "
                        "comparison catches it): " + "; ".join(
                            f"{k}: {v}" for k, v in PERTURBATIONS.items()))
    args = p.parse_args()
    try:
        try:
            prompt = [int(t) for t in args.prompt_ids.split()]
        except ValueError:
            raise RefError(f"--prompt-ids: '{args.prompt_ids}' is not a list "
                           "of token ids")
        if not prompt:
            raise RefError("--prompt-ids: give at least one token id")
        if args.n < 0:
            raise RefError("-n must not be negative")
        QuantMatrix.q8_activations = args.q8_activations
        model = Model(args.model, args.perturb)
        rows = []
        sums = [] if args.layer_checksums else None
        tokens = list(prompt)
        for t in prompt:
            rows.append(model.step(t, sums))
        for s in range(args.n):
            nxt = argmax(rows[-1])
            tokens.append(nxt)
            if s + 1 < args.n:
                rows.append(model.step(nxt, sums))
        if args.dump_logits:
            out = array.array("f", (v for r in rows for v in r))
            if sys.byteorder != "little":
                out.byteswap()
            with open(args.dump_logits, "wb") as f:
                f.write(out.tobytes())
        if sums is not None:
            for name, pos, x in sums:
                print(f"pos {pos} {name}: sum {sum(x):.9g} "
                      f"abs {sum(abs(v) for v in x):.9g}", file=sys.stderr)
        print(" ".join(str(t) for t in tokens))
    except RefError as e:
        sys.exit(f"reference-model: error: {e}")
    except KeyError as e:
        sys.exit(f"reference-model: error: {args.model}: the config lacks "
                 f"the key {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
