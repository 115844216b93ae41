#!/usr/bin/env python3
"""Writes N synthetic, valid family documents for the benchmark (`make bench`).

    tools/make_synthetic_families.py N OUT_DIR [--families families]

OUT_DIR receives a copy of the real families (the synthetic ones extend the real dense_decoder) and
N synthetic documents in groups of three, each an inheritance chain three deep:

    synth_NNNN_base  abstract, extends dense_decoder (a llama-like binding of biases and RoPE)
    synth_NNNN_a     concrete, extends synth_NNNN_base, claims model_type synth_NNNN_a
    synth_NNNN_b     concrete, extends synth_NNNN_a, claims model_type synth_NNNN_b

Features vary from group to group (q/k norm, biases, an untied head, sliding layers, RoPE scaling) so
that the templates take their different branches. Only keys the real families use are written.
"""
import argparse
import pathlib
import shutil
import sys

BASE = """\
# Synthetic family for the benchmark (tools/make_synthetic_families.py); not a real model.
family: {id}
abstract: true
extends: dense_decoder
reference: mlx_lm/models/llama.py

attention:
  bias: {{qkv: attention_bias, o: attention_bias}}
  rope:
    interleaved: rope_traditional

mlp:
  bias: mlp_bias

config:
  attention_bias:
    type: bool
    default: false
    doc: Bias on the q, k, v and o projections.
  mlp_bias: {{type: bool, default: false}}
  rope_traditional: {{type: bool, default: false}}
  pretraining_tp:
    policy: ignored
    why: a training-time sharding of the projections
"""

CONCRETE = """\
# Synthetic family for the benchmark (tools/make_synthetic_families.py); not a real model.
family: {id}
swift_name: {swift}
extends: {parent}
description: Synthetic benchmark family {n} ({variant})
model_types: [{id}]
{body}"""

VARIANTS = [
    ("plain", ""),
    ("q/k norm", "attention:\n  qk_norm: per_head\n"),
    ("constant biases", "attention:\n  bias: {qkv: true, o: false}\n"),
    ("untied head", "head:\n  tie: false\n"),
    ("sliding layers",
     "attention:\n  sliding:\n    layer_types: layer_types\n    window: sliding_window\n"
     "config:\n  layer_types: {type: layer_types, default: {derive: all_full_attention}}\n"
     "  sliding_window: {type: int, optional: true}\n"),
    ("no RoPE scaling", "attention:\n  rope:\n    scaling_types: []\n"),
    ("big theta", "config:\n  rope_theta: {type: float, default: 1000000, fallback: rope_parameters.rope_theta}\n"),
]


def swift_name(family_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in family_id.split("_"))


def write_synthetic(count: int, out: pathlib.Path) -> int:
    written = 0
    group = 0
    while written < count:
        stem = f"synth_{group:04d}"
        docs = [(f"{stem}_base", BASE.format(id=f"{stem}_base"))]
        for index, (suffix, parent) in enumerate((("a", f"{stem}_base"), ("b", f"{stem}_a"))):
            family_id = f"{stem}_{suffix}"
            variant, body = VARIANTS[(2 * group + index) % len(VARIANTS)]
            docs.append((family_id, CONCRETE.format(id=family_id, swift=swift_name(family_id), parent=parent,
                                                    n=2 * group + index, variant=variant, body=body)))
        for family_id, text in docs:
            if written == count:
                break
            (out / f"{family_id}.yaml").write_text(text)
            written += 1
        group += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of synthetic family documents")
    parser.add_argument("out", type=pathlib.Path, help="directory to fill (created; must not hold families)")
    parser.add_argument("--families", type=pathlib.Path, default=pathlib.Path(__file__).parent.parent / "families",
                        help="the real families to copy next to them")
    args = parser.parse_args()
    if args.count < 0:
        parser.error("count must be >= 0")
    args.out.mkdir(parents=True, exist_ok=True)
    if any(args.out.glob("*.yaml")):
        parser.error(f"{args.out} already holds family documents")
    for real in sorted(args.families.glob("*.yaml")):
        shutil.copy(real, args.out / real.name)
    write_synthetic(args.count, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
