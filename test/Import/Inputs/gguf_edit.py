#!/usr/bin/env python3
"""Copies a GGUF file with some scalar metadata values replaced, for tests.

  gguf_edit.py IN OUT key=value [key=value ...]

Integers keep their GGUF type; strings may change length (the file is
rewritten field by field, tensor data copied as is).
"""
import struct
import sys

FMT = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "B",
       10: "Q", 11: "q", 12: "d"}


def main():
    src, dst, edits = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
    data = open(src, "rb").read()
    pos = 0

    def take(fmt):
        nonlocal pos
        v = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return v

    def take_str():
        nonlocal pos
        (n,) = take("Q")
        s = data[pos:pos + n]
        pos += n
        return s

    def put_str(b):
        return struct.pack("<Q", len(b)) + b

    def copy_value(t):
        start = pos
        if t == 8:
            take_str()
        elif t == 9:
            (et, n) = take("IQ")
            for _ in range(n):
                copy_value(et)
        else:
            take(FMT[t])
        return data[start:pos]

    out = bytearray(data[:24])
    magic, version, n_tensors, n_kv = struct.unpack_from("<4sIQQ", data, 0)
    pos = 24
    alignment = 32
    for _ in range(n_kv):
        key = take_str()
        (t,) = take("I")
        raw = copy_value(t)
        k = key.decode()
        if k in edits:
            if t == 8:
                raw = put_str(edits[k].encode())
            else:
                raw = struct.pack("<" + FMT[t], type(struct.unpack("<" + FMT[t], raw)[0])(edits[k]))
        if k == "general.alignment":
            alignment = struct.unpack("<I", raw)[0]
        out += put_str(key) + struct.pack("<I", t) + raw
    infos_start = pos
    for _ in range(n_tensors):
        take_str()
        (nd,) = take("I")
        take("Q" * nd)
        take("IQ")
    out += data[infos_start:pos]
    old_data = (pos + alignment - 1) // alignment * alignment
    while len(out) % alignment:
        out.append(0)
    out += data[old_data:]
    open(dst, "wb").write(bytes(out))


if __name__ == "__main__":
    main()
