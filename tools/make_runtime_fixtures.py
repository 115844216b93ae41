#!/usr/bin/env python3
"""Records mlx-lm's behaviour for the Swift runtime's own pieces: KV caches (growing and rotating),
attention masks, and the RoPE scaling variants. The Swift RuntimeTests replay these files.

Run in the project's virtual environment: .venv/bin/python tools/make_runtime_fixtures.py [--check]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("MLX_DISABLE_COMPILE", "1")

import mlx.core as mx  # noqa: E402
import mlx.nn as nn  # noqa: E402
import numpy as np  # noqa: E402
from mlx_lm.models import base as mlx_base  # noqa: E402
from mlx_lm.models.cache import KVCache, RotatingKVCache  # noqa: E402
from mlx_lm.models.rope_utils import initialize_rope  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "runtime"


def mask_json(mask):
    """A mask as the Swift side names it: none, causal, or a nested list of booleans."""
    if mask is None:
        return {"kind": "none"}
    if isinstance(mask, str):
        return {"kind": mask}
    return {"kind": "array", "shape": list(mask.shape), "values": np.array(mask).astype(bool).flatten().tolist()}


def cache_traces():
    """Feeds caches with keys whose only feature is the absolute position, and records what each
    step returns and which mask the cache asks for before it."""
    scenarios = [
        {"cache": "simple", "steps": [5, 1, 1, 3, 1], "windows": [None, 3]},
        {"cache": "rotating", "max_size": 4, "keep": 0, "steps": [6, 1, 1, 1, 1, 3, 1, 1], "windows": [None, 4, 2]},
        {"cache": "rotating", "max_size": 4, "keep": 0, "steps": [1, 1, 1, 1, 1, 1, 2, 1], "windows": [None, 4]},
        {"cache": "rotating", "max_size": 6, "keep": 2, "steps": [3, 1, 1, 1, 1, 1, 4, 1, 1], "windows": [None, 6, 3]},
        {"cache": "rotating", "max_size": 3, "keep": 0, "steps": [2, 5, 1, 1], "windows": [3]},
    ]
    traces = []
    for s in scenarios:
        cache = KVCache() if s["cache"] == "simple" else RotatingKVCache(max_size=s["max_size"], keep=s["keep"])
        position = 0
        steps = []
        for n in s["steps"]:
            masks = {}
            for w in s["windows"]:
                h = mx.zeros((1, n, 1))
                masks["none" if w is None else str(w)] = mask_json(
                    mlx_base.create_attention_mask(h, cache, window_size=w))
            offset_before = cache.offset
            keys = mx.arange(position, position + n, dtype=mx.float32).reshape(1, 1, n, 1)
            values = -keys
            k, v = cache.update_and_fetch(keys, values)
            steps.append({
                "length": n,
                "offset_before": offset_before,
                "masks": masks,
                "keys": np.array(k).flatten().tolist(),
                "values": np.array(v).flatten().tolist(),
                "offset_after": cache.offset,
            })
            position += n
        traces.append({**s, "trace": steps})
    return traces


def mask_cases():
    cases = []
    for n, offset, window in [(4, 0, None), (3, 5, None), (6, 0, 2), (2, 7, 3), (1, 9, 4)]:
        m = mlx_base.create_causal_mask(n, offset, window_size=window)
        cases.append({"n": n, "offset": offset, "window": window, "mask": mask_json(m)})
    for n, window in [(1, None), (5, None), (5, 3), (3, 5)]:
        h = mx.zeros((1, n, 2))
        cases.append({"attention_mask": True, "n": n, "window": window,
                      "mask": mask_json(mlx_base.create_attention_mask(h, None, window_size=window))})
    return cases


def rope_cases(rng):
    """Each RoPE variant through mlx-lm's own initialize_rope, applied at two offsets."""
    configs = [
        ("default", 16, 10000.0, False, None, None),
        ("default_traditional", 16, 10000.0, True, None, None),
        ("linear", 16, 10000.0, False, {"rope_type": "linear", "factor": 4.0}, None),
        ("llama3", 32, 500000.0, False,
         {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
          "original_max_position_embeddings": 8192}, 131072),
        ("yarn", 32, 150000.0, False,
         {"rope_type": "yarn", "factor": 32.0, "beta_fast": 32.0, "beta_slow": 1.0,
          "original_max_position_embeddings": 4096}, 131072),
        ("yarn_mscale", 16, 1000000.0, False,
         {"rope_type": "yarn", "factor": 16.0, "beta_fast": 32.0, "beta_slow": 1.0, "mscale": 1.0,
          "mscale_all_dim": 0.0, "original_max_position_embeddings": 8}, 64),
        ("yarn_narrow_ramp", 8, 10000.0, False,
         {"rope_type": "yarn", "factor": 4.0, "beta_fast": 1.0, "beta_slow": 1.0,
          "original_max_position_embeddings": 64}, 256),
        # Every call reaches past the original context, where transformers' longrope also takes the
        # long factors (within it, it takes the short ones, which mlx-lm never does).
        ("longrope", 16, 10000.0, False,
         {"rope_type": "longrope", "short_factor": [1.0 + 0.1 * i for i in range(8)],
          "long_factor": [1.0 + 0.25 * i for i in range(8)], "original_max_position_embeddings": 4},
         131072),
        ("longrope_unextended", 16, 10000.0, False,
         {"rope_type": "longrope", "short_factor": [1.0] * 8,
          "long_factor": [1.0 + 0.5 * i for i in range(8)], "original_max_position_embeddings": 4}, 4),
    ]
    cases, tensors = [], {}
    for name, dims, base, traditional, scaling, max_pos in configs:
        head_dim = dims + 4  # a few trailing features that must pass through unrotated
        rope = initialize_rope(dims, base, traditional, scaling, max_pos)
        x = mx.array(rng.standard_normal((1, 2, 5, head_dim)).astype(np.float32))
        tensors[f"{name}.x"] = x
        outputs = {}
        for offset in (0, 7):
            y = rope(x, offset=offset)
            tensors[f"{name}.offset{offset}"] = y
            outputs[str(offset)] = f"{name}.offset{offset}"
        cases.append({"name": name, "dims": dims, "base": base, "traditional": traditional,
                      "scaling": scaling, "max_position_embeddings": max_pos, "input": f"{name}.x",
                      "outputs": outputs})
    return cases, tensors


def build():
    rng = np.random.default_rng(20261126)
    rope, tensors = rope_cases(rng)
    manifest = {
        "mlx": mx.__version__,
        "mlx_lm": __import__("mlx_lm").__version__,
        "caches": cache_traces(),
        "masks": mask_cases(),
        "rope": rope,
    }
    return manifest, tensors


def write(manifest, tensors, directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "runtime.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    mx.save_safetensors(str(directory / "runtime.safetensors"), dict(sorted(tensors.items())),
                        metadata={"mlx": mx.__version__})


def check(manifest, tensors) -> int:
    committed = json.loads((OUT / "runtime.json").read_text())
    if committed != json.loads(json.dumps(manifest, sort_keys=True)):
        print("tests/fixtures/runtime/runtime.json differs from what mlx-lm records now")
        return 1
    stored = mx.load(str(OUT / "runtime.safetensors"))
    for name, value in tensors.items():
        if name not in stored:
            print(f"{name}: missing from runtime.safetensors")
            return 1
        if not np.allclose(np.array(stored[name]), np.array(value), rtol=1e-6, atol=1e-6):
            print(f"{name}: committed values differ from mlx-lm's")
            return 1
    print(f"runtime fixtures match mlx {mx.__version__} / mlx-lm {manifest['mlx_lm']}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    args = parser.parse_args()
    manifest, tensors = build()
    if args.check:
        return check(manifest, tensors)
    write(manifest, tensors, OUT)
    print(f"wrote {OUT.relative_to(ROOT)}/runtime.json and runtime.safetensors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
