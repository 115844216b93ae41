#!/usr/bin/env python3
"""Writes loader fuzz inputs (2-byte little-endian config length, config.json, model.safetensors):
a tiny valid llama checkpoint as the seed, and one input per kind of hostile checkpoint the loader
once trapped on, for tests/fuzz/regressions/loader.

Usage: tests/fuzz/make_loader_seeds.py DIR [--regressions]   (standard library only)
"""
import json
import random
import struct
import sys
from pathlib import Path

CONFIG = {"model_type": "llama", "hidden_size": 8, "num_hidden_layers": 1, "intermediate_size": 16,
          "num_attention_heads": 2, "num_key_value_heads": 1, "rms_norm_eps": 1e-5, "vocab_size": 16,
          "tie_word_embeddings": False}
SHAPES = {"model.embed_tokens.weight": [16, 8], "model.norm.weight": [8], "lm_head.weight": [16, 8],
          "model.layers.0.input_layernorm.weight": [8], "model.layers.0.post_attention_layernorm.weight": [8],
          "model.layers.0.self_attn.q_proj.weight": [8, 8], "model.layers.0.self_attn.k_proj.weight": [4, 8],
          "model.layers.0.self_attn.v_proj.weight": [4, 8], "model.layers.0.self_attn.o_proj.weight": [8, 8],
          "model.layers.0.mlp.gate_proj.weight": [16, 8], "model.layers.0.mlp.up_proj.weight": [16, 8],
          "model.layers.0.mlp.down_proj.weight": [8, 16]}


def safetensors(entries: dict, payload: bytes) -> bytes:
    header = json.dumps(entries, separators=(",", ":")).encode()
    return struct.pack("<Q", len(header)) + header + payload


def checkpoint(seed: int = 0) -> tuple[dict, bytes]:
    rng = random.Random(seed)
    entries, payload = {}, b""
    for name in sorted(SHAPES):
        count = 1
        for d in SHAPES[name]:
            count *= d
        data = struct.pack(f"<{count}f", *(rng.uniform(-1, 1) for _ in range(count)))
        entries[name] = {"dtype": "F32", "shape": SHAPES[name], "data_offsets": [len(payload), len(payload) + len(data)]}
        payload += data
    return entries, payload


def pack(config: dict | bytes, weights: bytes) -> bytes:
    text = config if isinstance(config, bytes) else json.dumps(config).encode()
    return struct.pack("<H", len(text)) + text + weights


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    entries, payload = checkpoint()
    inputs = {"tiny-llama": pack(CONFIG, safetensors(entries, payload))}
    if "--regressions" in sys.argv:
        def broken(name, change):
            e = json.loads(json.dumps(entries))
            change(e["model.norm.weight"])
            inputs[name] = pack(CONFIG, safetensors(e, payload))
        broken("negative-offset", lambda t: t.update(data_offsets=[-256, 0]))
        broken("overflowing-shape", lambda t: t.update(shape=[4611686018427387904, 4]))
        broken("negative-shape", lambda t: t.update(shape=[-8]))
        broken("integer-weight", lambda t: t.update(dtype="I32"))
        for key, value in [("num_attention_heads", 0), ("vocab_size", -1), ("num_hidden_layers", 10000000),
                           ("hidden_size", 4611686018427387904), ("hidden_size", 8.5), ("rope_theta", 0),
                           ("rms_norm_eps", -1), ("quantization", {"bits": "8", "group_size": 64})]:
            name = f"config-{key}-{json.dumps(value).replace(' ', '')}".replace('"', "").replace(":", "=")
            inputs[name.replace("{", "").replace("}", "").replace(",", "_")] = pack(
                dict(CONFIG, **{key: value}), safetensors(entries, payload))
        inputs["config-not-json"] = pack(b'{"model_type": "llama", ', safetensors(entries, payload))
        inputs["truncated-weights"] = pack(CONFIG, safetensors(entries, payload)[:100])
    for name, data in inputs.items():
        (out / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
