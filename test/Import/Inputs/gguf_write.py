#!/usr/bin/env python3
"""Writes a small GGUF v3 file from a JSON description, for tests.

  gguf_write.py SPEC.json OUT.gguf [key=value ...]

SPEC is {"metadata": {key: value}, "tensors": {name: [dims...]}}: metadata
values are written as u32 (integers), f32 (numbers), bool or string, or
{"type": "u64"|"i32"|"f64"|..., "value": v} for another type; tensor shapes
are row-major (outermost first; GGUF stores them innermost first), and
"{layer}" in a tensor name repeats it for each layer of the architecture's
block_count. Tensors are f32 zeros, or {"type": "f16", "shape": [...]}.
key=value arguments override (or, with value "-", drop) metadata; a
"@tensor=-" argument drops a tensor.
"""
import json
import struct
import sys

TYPES = {"u8": (0, "B"), "i8": (1, "b"), "u16": (2, "H"), "i16": (3, "h"),
         "u32": (4, "I"), "i32": (5, "i"), "f32": (6, "f"), "bool": (7, "?"),
         "u64": (10, "Q"), "i64": (11, "q"), "f64": (12, "d")}
GGML = {"f32": (0, 4), "f16": (1, 2)}


def gguf_str(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def value(v):
    if isinstance(v, dict):
        t, fmt = TYPES[v["type"]]
        return struct.pack("<I", t) + struct.pack("<" + fmt, v["value"])
    if isinstance(v, bool):
        return struct.pack("<IB", 7, v)
    if isinstance(v, int):
        return struct.pack("<II", 4, v)
    if isinstance(v, float):
        return struct.pack("<If", 6, v)
    if isinstance(v, list):
        return struct.pack("<IIQ", 9, 4, len(v)) + b"".join(struct.pack("<I", e) for e in v)
    return struct.pack("<I", 8) + gguf_str(v)


def main():
    spec = json.load(open(sys.argv[1]))
    meta = dict(spec["metadata"])
    drop = set()
    for a in sys.argv[3:]:
        k, v = a.split("=", 1)
        if k.startswith("@"):
            drop.add(k[1:])
        elif v == "-":
            meta.pop(k, None)
        else:
            meta[k] = json.loads(v)
    arch = meta["general.architecture"]
    layers = meta.get(arch + ".block_count", 0)
    tensors = []
    for name, t in spec["tensors"].items():
        shape, ty = (t["shape"], t["type"]) if isinstance(t, dict) else (t, "f32")
        names = [name.replace("{layer}", str(l)) for l in range(layers)] if "{layer}" in name else [name]
        tensors += [(n, shape, ty) for n in names if n not in drop]
    out = bytearray(struct.pack("<4sIQQ", b"GGUF", 3, len(tensors), len(meta)))
    for k, v in meta.items():
        out += gguf_str(k) + value(v)
    offset, data = 0, bytearray()
    for n, shape, ty in tensors:
        ne = list(reversed(shape))
        out += gguf_str(n) + struct.pack("<I", len(ne)) + b"".join(struct.pack("<Q", d) for d in ne)
        out += struct.pack("<IQ", GGML[ty][0], offset)
        size = GGML[ty][1]
        for d in shape:
            size *= d
        size = (size + 31) // 32 * 32
        data += bytes(size)
        offset += size
    out += bytes((32 - len(out) % 32) % 32)
    open(sys.argv[2], "wb").write(bytes(out + data))


main()
