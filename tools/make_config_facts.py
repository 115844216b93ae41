#!/usr/bin/env python3
"""Records what mlx-lm derives from real checkpoint configs (tests/data/hf-configs): head width,
heads, attention scale, per-layer attention and window, caches, RoPE kind and its output on a fixed
input, biases and the tied head. The Swift tests decode the same files with the generated
configurations and must derive the same values.

Run in the project's virtual environment: .venv/bin/python tools/make_config_facts.py [--check]
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("MLX_DISABLE_COMPILE", "1")

import mlx.core as mx  # noqa: E402
import numpy as np  # noqa: E402
from mlx_lm.utils import _get_classes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "data" / "hf-configs"
OUT = ROOT / "tests" / "fixtures" / "configs"
# The model types whose families exist so far; the others are added with their families.
SERVED = {"llama", "mistral", "qwen2", "qwen3"}
ROPE_OFFSET = 3


def rope_input(head_dim: int) -> mx.array:
    """A fixed, varied [1, 1, 4, head_dim] input."""
    values = np.sin(np.arange(4 * head_dim, dtype=np.float32) * 0.37) * 2.0
    return mx.array(values.reshape(1, 1, 4, head_dim))


def facts(config: dict) -> tuple[dict, dict[str, mx.array]]:
    model_class, args_class = _get_classes(config)
    # MLX is lazy: building the full-size model allocates nothing until evaluated.
    model = model_class(args_class.from_dict(copy.deepcopy(config)))
    layers = model.layers
    attention = layers[0].self_attn
    heads = attention.n_heads
    head_dim = attention.q_proj.weight.shape[0] // heads
    caches = model.make_cache() if hasattr(model, "make_cache") else None
    layer_kinds = []
    for i, layer in enumerate(layers):
        sliding = bool(getattr(layer, "use_sliding", False))
        kind = {"sliding": sliding}
        if caches is not None:
            cache = caches[i]
            kind["cache"] = type(cache).__name__
            kind["window"] = getattr(cache, "max_size", None)
        layer_kinds.append(kind)
    rope = attention.rope
    x = rope_input(head_dim)
    y = rope(x, offset=ROPE_OFFSET)
    record = {
        "model_type": config["model_type"],
        "layers": len(layers),
        "hidden": model.model.embed_tokens.weight.shape[1],
        "vocab": model.model.embed_tokens.weight.shape[0],
        "heads": heads,
        "kv_heads": attention.n_kv_heads,
        "head_dim": head_dim,
        "intermediate": layers[0].mlp.gate_proj.weight.shape[0],
        "scale": attention.scale,
        "qkv_bias": "bias" in attention.q_proj,
        "o_bias": "bias" in attention.o_proj,
        "qk_norm": hasattr(attention, "q_norm"),
        "tied": not hasattr(model, "lm_head"),
        "layer_kinds": layer_kinds,
        "rope": {"class": type(rope).__name__, "offset": ROPE_OFFSET},
    }
    return record, {"x": x, "y": y}


def build():
    records, tensors = {}, {}
    for path in sorted(CONFIGS.glob("*.json")):
        config = json.loads(path.read_text())
        if config.get("model_type") not in SERVED:
            continue
        record, arrays = facts(config)
        records[path.stem] = record
        for key, value in arrays.items():
            tensors[f"{path.stem}.{key}"] = value
    return records, tensors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    args = parser.parse_args()
    records, tensors = build()
    if args.check:
        committed = json.loads((OUT / "facts.json").read_text())
        if committed != json.loads(json.dumps(records, sort_keys=True)):
            print("tests/fixtures/configs/facts.json differs from what mlx-lm derives now")
            return 1
        stored = mx.load(str(OUT / "rope.safetensors"))
        for name, value in tensors.items():
            if name not in stored or not mx.allclose(stored[name], value, rtol=1e-6, atol=1e-6):
                print(f"{name}: differs from what mlx-lm computes now")
                return 1
        print(f"config facts match mlx-lm for {len(records)} configs")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "facts.json").write_text(json.dumps(records, indent=1, sort_keys=True) + "\n")
    mx.save_safetensors(str(OUT / "rope.safetensors"), dict(sorted(tensors.items())))
    print(f"wrote facts for {len(records)} configs to tests/fixtures/configs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
