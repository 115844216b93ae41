#!/usr/bin/env python3
"""Checkpoints beyond the fixtures: for every real config.json in tests/data/hf-configs that a family
serves, builds the same architecture at a tiny size with transformers (every key of the real config
kept, only the sizes shrunk, and windows shortened below the prompt so they matter), randomises it,
saves it with `save_pretrained` into a scratch directory, and requires `hf2swift-run` to reproduce
transformers' logits for a prompt and cached decode steps (1e-4). Nothing is committed: every run
builds fresh checkpoints from the real configs.

Usage: .venv/bin/python tools/hf_roundtrip.py path/to/hf2swift-run [CONFIG_STEM...]
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np
import transformers
from transformers.models.auto.configuration_auto import CONFIG_MAPPING

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_config_facts  # noqa: E402
import make_hf_fixtures as hf  # noqa: E402

CONFIGS = hf.ROOT / "tests" / "data" / "hf-configs"
TOLERANCE = 1e-4
# Keys that say how the released weights are stored; the tiny checkpoint is float32 and dense.
STORAGE = ("quantization_config", "quantization", "torch_dtype", "dtype", "transformers_version")


def shrink_list(values: list, count: int) -> list:
    return values[:count]


def layer_count(config: dict) -> int:
    """Enough layers to hold one of each attention kind of the real schedule (and a NoPE layer)."""
    count = max(2, config.get("sliding_window_pattern", 0))
    types = config.get("layer_types")
    if types and len(set(types)) > 1:
        count = max(count, max(types.index(kind) for kind in set(types)) + 1)
    no_rope = config.get("no_rope_layers")
    if no_rope and 0 in no_rope:
        count = max(count, no_rope.index(0) + 1)
    # A dense layer first, and the first layer with experts after it.
    count = max(count, (config.get("first_k_dense_replace") or 0) + 1)
    # Jamba's schedules: the first attention layer and the first layer of experts.
    for key in ("attn_layer_offset", "expert_layer_offset"):
        count = max(count, (config.get(key) or 0) + 1)
    # A layer-per-block model's pattern: up to the first block of each kind.
    pattern = config.get("hybrid_override_pattern")
    if pattern:
        count = max(count, max(pattern.index(kind) for kind in set(pattern)) + 1)
        return count
    return min(count, config.get("num_hidden_layers", count))


def tiny_wrapper(config: dict) -> dict:
    """A multimodal config at a tiny size: its text model shrunk, a minimal vision tower, the image
    token ids inside the tiny vocabulary."""
    out = {k: copy.deepcopy(v) for k, v in config.items() if k not in STORAGE and k != "architectures"}
    out["text_config"] = tiny(config["text_config"])
    out["vision_config"] = dict(hf.SIGLIP)
    for key, value in (("mm_tokens_per_image", 4), ("image_token_index", 255), ("boi_token_index", 253),
                       ("eoi_token_index", 254)):
        if key in out:
            out[key] = value
    return out


def tiny(config: dict) -> dict:
    """The real config at a tiny size, windows shortened below the prompt."""
    out = {k: copy.deepcopy(v) for k, v in config.items() if k not in STORAGE and k != "architectures"}
    layers = layer_count(config)
    heads = 4
    # Grouped-query attention stays grouped, multi-head stays multi-head (absent keys: the defaults).
    query_heads = config.get("num_attention_heads")
    kv_heads = 4 if query_heads is not None and config.get("num_key_value_heads", query_heads) == query_heads else 2
    out.update(hidden_size=64, num_hidden_layers=layers, intermediate_size=128, vocab_size=256, bos_token_id=1,
               eos_token_id=2, pad_token_id=0)
    # A model without attention (Mamba) states no heads.
    if query_heads is not None:
        out.update(num_attention_heads=heads, num_key_value_heads=kv_heads)
    if "head_dim" in config:
        out["head_dim"] = 16
    for key in ("layer_types", "no_rope_layers"):
        if isinstance(config.get(key), list):
            out[key] = shrink_list(config[key], layers)
    if config.get("hybrid_override_pattern"):
        out["hybrid_override_pattern"] = config["hybrid_override_pattern"][:layers]
    # The state-space blocks' heads and groups shrunk (groups still dividing heads, Mamba-2's heads
    # covering its expand x hidden width), chunks shorter than the prompt.
    for key, size in (("mamba_num_heads", 8), ("mamba_head_dim", 8), ("ssm_state_size", 16), ("n_groups", 2),
                      ("chunk_size", 8), ("state_size", 16), ("time_step_rank", 8), ("mamba_dt_rank", 8)):
        if isinstance(config.get(key), int):
            out[key] = min(size, config[key])
    if config.get("num_heads") and "head_dim" in config:
        out["num_heads"] = config.get("expand", 2) * 64 // 16
    # The original Mamba checkpoints' second names for the sizes.
    for key, value in (("d_model", 64), ("d_inner", 128), ("n_layer", layers)):
        if key in config:
            out[key] = value
    # A handful of narrow experts, four to a group where the router groups them.
    for key in ("num_local_experts", "num_experts", "n_routed_experts"):
        if config.get(key):
            out[key] = 4 * (config.get("n_group") or 1)
            out["num_experts_per_tok"] = min(2, config.get("num_experts_per_tok", 2))
    for key in ("moe_intermediate_size", "shared_expert_intermediate_size"):
        if config.get(key):
            out[key] = 32
    if config.get("sliding_window") is not None:
        out["sliding_window"] = 6
    # longrope keeps one factor per rotated frequency of the smaller head.
    for holder in (out.get("rope_scaling"), out.get("rope_parameters")):
        if isinstance(holder, dict):
            fraction = holder.get("partial_rotary_factor", out.get("partial_rotary_factor", 1.0))
            pairs = int(16 * fraction) // 2
            for key in ("short_factor", "long_factor"):
                if key in holder:
                    holder[key] = shrink_list(holder[key], pairs)
    return out


def run_swift(runner: str, directory: Path, tokens: np.ndarray, decode: int) -> dict:
    result = subprocess.run([runner, "--model", str(directory), "--tokens", ",".join(map(str, tokens.reshape(-1))),
                             "--decode", str(decode), "--logits"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return json.loads(result.stdout)


def roundtrip(runner: str, path: Path) -> str | None:
    """None when the Swift reproduces transformers on the tiny twin of `path`."""
    real = json.loads(path.read_text())
    config = tiny_wrapper(real) if "text_config" in real else tiny(real)
    model_type = config.pop("model_type")
    if model_type not in CONFIG_MAPPING:
        # A type transformers does not register (Kimi K2's kimi_k2) is read by the config class of
        # the architecture it names; the checkpoint saved then states that class's type.
        model_type = getattr(transformers, real["architectures"][0]).config_class.model_type
    fixture = hf.Fixture(path.stem, model_type, "", model_type, config,
                         model_class=real["architectures"][0])
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        hf.save(fixture, directory)
        rng = np.random.default_rng(zlib.crc32(path.stem.encode()))
        tokens = rng.integers(0, 256, size=(1, hf.PREFILL))
        expected = hf.run_reference(directory, tokens)
        try:
            actual = run_swift(runner, directory, tokens, hf.DECODE)
        except RuntimeError as error:
            return f"refused: {error}"
    prefill = np.array(actual["prefill_logits"], dtype=np.float32).reshape(expected["prefill_logits"].shape)
    worst = float(np.max(np.abs(prefill - expected["prefill_logits"])))
    if worst > TOLERANCE:
        return f"prefill differs by {worst:.3g}"
    if actual["greedy"] != expected["decode_tokens"].tolist():
        return f"greedy decode {actual['greedy']}, transformers {expected['decode_tokens'].tolist()}"
    steps = np.array(actual["step_logits"], dtype=np.float32).reshape(expected["decode_logits"].shape)
    worst = float(np.max(np.abs(steps - expected["decode_logits"])))
    if worst > TOLERANCE:
        return f"decode differs by {worst:.3g}"
    return None


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    runner = sys.argv[1]
    chosen = set(sys.argv[2:])
    served = make_config_facts.served_model_types()
    failures = checked = 0
    for path in sorted(CONFIGS.glob("*.json")):
        if chosen and path.stem not in chosen:
            continue
        if json.loads(path.read_text()).get("model_type") not in served:
            continue
        problem = roundtrip(runner, path)
        checked += 1
        failures += problem is not None
        print(f"{path.stem}: {'matches transformers' if problem is None else problem}")
    print(f"{checked - failures} of {checked} real configs, saved by transformers at a tiny size, match")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
