"""Prints `key type` for every metadata entry of a GGUF file (v2/v3), with
GGUF's value type names, so tests can check how keys are typed."""
import struct
import sys

NAMES = ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string",
         "array", "u64", "i64", "f64"]
SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}

with open(sys.argv[1], "rb") as f:
    data = f.read()
assert data[:4] == b"GGUF", "not a GGUF file"
pos = 8
n_tensors, n_kv = struct.unpack_from("<QQ", data, pos)
pos += 16


def string(pos):
    (n,) = struct.unpack_from("<Q", data, pos)
    return data[pos + 8:pos + 8 + n].decode("utf-8", "replace"), pos + 8 + n


def skip(t, pos):
    if t == 8:
        return string(pos)[1]
    if t == 9:
        et, n = struct.unpack_from("<IQ", data, pos)
        pos += 12
        for _ in range(n):
            pos = skip(et, pos)
        return pos
    return pos + SIZES[t]


for _ in range(n_kv):
    key, pos = string(pos)
    (t,) = struct.unpack_from("<I", data, pos)
    pos += 4
    name = NAMES[t]
    if t == 9:
        name = "array[%s]" % NAMES[struct.unpack_from("<I", data, pos)[0]]
    print(key, name)
    pos = skip(t, pos)
