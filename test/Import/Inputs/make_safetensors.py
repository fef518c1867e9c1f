#!/usr/bin/env python3
"""Writes safetensors files (zero data) for the tensors of a tt tensor CSV,
optionally broken in one way, for the importer's tests.

  make_safetensors.py CSV DIR [--shards N] [--drop NAME] [--extra NAME]
      [--shape NAME=A,B] [--dtype NAME=DT] [--header-len N] [--outside NAME]
      [--overlap] [--bad-json] [--index-extra NAME]
"""
import argparse
import csv
import json
import os
import re
import struct

BYTES = {"F32": 4, "F16": 2, "BF16": 2, "I8": 1}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("csv")
    p.add_argument("dir")
    p.add_argument("--shards", type=int, default=1)
    p.add_argument("--drop")
    p.add_argument("--extra")
    p.add_argument("--shape")
    p.add_argument("--dtype")
    p.add_argument("--header-len", type=int)
    p.add_argument("--outside")
    p.add_argument("--overlap", action="store_true")
    p.add_argument("--bad-json", action="store_true")
    p.add_argument("--index-extra")
    p.add_argument("--transpose", help="regex of matrices stored [in, out] (Conv1D)")
    a = p.parse_args()

    # The CSV lists the model's logical weights; write them as checkpoints
    # store them: one tensor per expert for "{e}" names, fused tensors for
    # "name[lo:hi]" row ranges, Conv1D matrices transposed.
    tensors, fused = [], {}
    with open(a.csv) as f:
        for row in csv.DictReader(f):
            name = row["name"]
            shape = [int(d) for d in row["shape"].strip("()").split(",") if d.strip()]
            if "{e}" in name:
                for e in range(shape[0]):
                    tensors.append([name.replace("{e}", str(e)), "F32", shape[1:]])
                continue
            m = re.fullmatch(r"(.*)\[(\d+):(\d+)\]", name)
            if m:
                base = m.group(1)
                if base not in fused:
                    fused[base] = [base, "F32", [0] + shape[1:]]
                    tensors.append(fused[base])
                fused[base][2][0] += shape[0]
                continue
            tensors.append([name, "F32", shape])
    if a.transpose:
        for t in tensors:
            if re.search(a.transpose, t[0]) and len(t[2]) == 2:
                t[2] = t[2][::-1]
    if a.drop:
        tensors = [t for t in tensors if t[0] != a.drop]
    if a.extra:
        tensors.append([a.extra, "F32", [4]])
    if a.shape:
        name, dims = a.shape.split("=")
        for t in tensors:
            if t[0] == name:
                t[2] = [int(d) for d in dims.split(",")]
    if a.dtype:
        name, dt = a.dtype.split("=")
        for t in tensors:
            if t[0] == name:
                t[1] = dt
    os.makedirs(a.dir, exist_ok=True)
    shards = [tensors[i::a.shards] for i in range(a.shards)]
    weight_map = {}
    for i, shard in enumerate(shards):
        fname = ("model.safetensors" if a.shards == 1 else
                 f"model-{i + 1:05d}-of-{a.shards:05d}.safetensors")
        header, offset = {"__metadata__": {"format": "pt"}}, 0
        for name, dt, shape in shard:
            n = BYTES.get(dt, 4)
            for d in shape:
                n *= d
            begin = offset
            if a.overlap and name == shard[-1][0]:
                begin = max(0, offset - 4)
            header[name] = {"dtype": dt, "shape": shape, "data_offsets": [begin, begin + n]}
            offset = begin + n
            weight_map[name] = fname
        if a.outside:
            header[a.outside]["data_offsets"][1] += 1 << 20
        text = json.dumps(header).encode()
        if a.bad_json:
            text = text[:-1]
        length = a.header_len if a.header_len is not None else len(text)
        with open(os.path.join(a.dir, fname), "wb") as f:
            f.write(struct.pack("<Q", length) + text + bytes(offset))
    if a.shards > 1:
        if a.index_extra:
            weight_map[a.index_extra] = "model-00001-of-%05d.safetensors" % a.shards
        with open(os.path.join(a.dir, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {}, "weight_map": weight_map}, f)


if __name__ == "__main__":
    main()
