#!/usr/bin/env python3
"""Compares two logits dumps written by `tt-run --dump-logits`.

Each file is raw little-endian f32, rows of VOCAB values (a prompt's prefill
rows, then one row per decode step). Prints the number of rows, the largest
absolute difference, that difference relative to the largest |logit| of A,
and the fraction of rows whose argmax agrees; exits 1 when a bound given on
the command line fails (or the files do not line up), 0 otherwise.

  compare-logits.py A.bin B.bin --vocab 512 --max-abs 1e-4 --min-argmax-agree 1
"""
import argparse
import array
import math
import sys


def load(path, vocab):
    data = array.array("f")
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) % (4 * vocab):
        sys.exit(f"compare-logits: {path}: {len(raw)} bytes is not a whole "
                 f"number of rows of {vocab} f32 values")
    data.frombytes(raw)
    if sys.byteorder != "little":
        data.byteswap()
    return data


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--max-abs", type=float)
    p.add_argument("--max-rel", type=float,
                   help="bound on max|a-b| / max|a|")
    p.add_argument("--min-argmax-agree", type=float,
                   help="least fraction of rows whose argmax agrees")
    p.add_argument("--rows", type=int,
                   help="compare only the first ROWS rows (e.g. before "
                        "greedy decoding can diverge)")
    args = p.parse_args()
    if args.vocab <= 0:
        sys.exit("compare-logits: --vocab must be positive")
    a, b = load(args.a, args.vocab), load(args.b, args.vocab)
    rows_a, rows_b = len(a) // args.vocab, len(b) // args.vocab
    rows = min(rows_a, rows_b)
    if args.rows is not None:
        rows = min(rows, args.rows)
    elif rows_a != rows_b:
        print(f"compare-logits: {args.a} has {rows_a} rows, {args.b} has "
              f"{rows_b}")
        return 1
    if rows == 0:
        print("compare-logits: no rows to compare")
        return 1
    max_abs, scale, agree = 0.0, 0.0, 0
    for r in range(rows):
        ra = a[r * args.vocab:(r + 1) * args.vocab]
        rb = b[r * args.vocab:(r + 1) * args.vocab]
        for x, y in zip(ra, rb):
            if math.isnan(x) or math.isnan(y):
                print(f"compare-logits: NaN in row {r}")
                return 1
            d = abs(x - y)
            if d > max_abs:
                max_abs = d
            if abs(x) > scale:
                scale = abs(x)
        if max(range(args.vocab), key=ra.__getitem__) == \
           max(range(args.vocab), key=rb.__getitem__):
            agree += 1
    rel = max_abs / scale if scale else 0.0
    frac = agree / rows
    print(f"rows {rows} max_abs {max_abs:.3g} max_rel {rel:.3g} "
          f"argmax_agree {agree}/{rows}")
    ok = True
    if args.max_abs is not None and not max_abs <= args.max_abs:
        print(f"FAIL: max_abs {max_abs:.3g} > {args.max_abs:g}")
        ok = False
    if args.max_rel is not None and not rel <= args.max_rel:
        print(f"FAIL: max_rel {rel:.3g} > {args.max_rel:g}")
        ok = False
    if args.min_argmax_agree is not None and frac < args.min_argmax_agree:
        print(f"FAIL: argmax agrees on {frac:.3f} of rows < "
              f"{args.min_argmax_agree:g}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
