#!/usr/bin/env python3
"""Builds the model parity fixtures from mlx-lm itself: for each fixture, a tiny model from mlx-lm's
own classes with every weight randomised, its config.json and model.safetensors, and the logits
mlx-lm computes from the files as written (a prefill, then greedy decode steps through its prompt
cache). With --check it recomputes the logits from the committed directories and compares.

Run in the project's virtual environment: .venv/bin/python tools/make_fixtures.py [--check] [NAME...]
A fixture that needs nothing but a config is recorded without editing this file:
  .venv/bin/python tools/make_fixtures.py --record NAME --family FAMILY --config CONFIG.json [--describe TEXT]
writes tests/fixtures/specs/NAME.json (the fixture's definition) and the fixture itself.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

os.environ.setdefault("MLX_DISABLE_COMPILE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import mlx.core as mx  # noqa: E402
import mlx_lm  # noqa: E402
import numpy as np  # noqa: E402
from mlx.utils import tree_flatten  # noqa: E402
from mlx_lm.models.cache import make_prompt_cache  # noqa: E402
import mlx.nn as nn  # noqa: E402
from mlx_lm.utils import _get_classes, load_model, quantize_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "models"
SPECS = ROOT / "tests" / "fixtures" / "specs"
PREFILL = 24
DECODE = 3

LLAMA = {
    "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 512, "tie_word_embeddings": False,
}


@dataclass
class Fixture:
    name: str
    family: str
    description: str
    config: dict
    # A fixture whose config mlx-lm cannot read as written (transformers-5 rope_parameters) is
    # computed from this equivalent config instead; the Swift side must read `config` itself.
    reference_config: dict | None = None
    windows: list[int] = field(default_factory=list)
    # Weights left out of the checkpoint (a tied head that only the absence of lm_head announces).
    drop: list[str] = field(default_factory=list)
    # Rewrites the weights into another checkpoint layout before they are saved.
    layout: Callable[[dict[str, mx.array]], dict[str, mx.array]] | None = None
    # Also require mlx-lm's prefill logits to equal its token-by-token logits (a model whose
    # reference has had an offset bug in its cached path).
    token_by_token: bool = False
    # The checkpoint's dtype; bfloat16 and float16 models compute in that dtype in mlx-lm too.
    dtype: str = "float32"
    # Quantize as mlx_lm.convert does: group_size, bits, mode, and per-layer `layers` (path ->
    # parameters, or False to keep a layer dense).
    quantize: dict | None = None
    # Write the weights as this many shards with a model.safetensors.index.json.
    shards: int = 1
    # Weights (by name suffix) held at one value where the two oracles compute alike (a tensor one of
    # them drops); the parity tests require another fixture of the family to vary them.
    held_constant: list[str] = field(default_factory=list)
    # Also require mlx-lm's logits to stay the same when its grouped router gives the experts of the
    # dropped groups -inf instead of 0 (the Swift's mask): the two choose alike unless a kept
    # expert's biased score is below zero.
    infinite_group_mask: bool = False
    # Names of norm weights that do not end in `norm.weight` (GPT-2's `ln_1.weight`): they multiply, so
    # they vary around one like the others.
    norm_weights: tuple[str, ...] = ()


def recorded_fixtures() -> list[Fixture]:
    """Fixtures defined by a spec file alone (name, family, description, config, windows)."""
    out = []
    for path in sorted(SPECS.glob("*.json")):
        spec = json.loads(path.read_text())
        out.append(Fixture(path.stem, spec["family"], spec["description"], spec["config"],
                           windows=spec.get("windows", [])))
    return out


def with_(base: dict, **changes) -> dict:
    out = copy.deepcopy(base)
    out.update(changes)
    return out


# Phi as transformers reads it too: the tanh GELU mlx-lm always applies, named; no tie, no q/k norms.
PHI = with_({k: v for k, v in LLAMA.items() if k != "rms_norm_eps"}, model_type="phi", layer_norm_eps=1e-5,
            hidden_act="gelu_new", qk_layernorm=False)

# Command-R as transformers reads it too: tied (mlx-lm always ties), the head width hidden / heads
# (mlx-lm never reads head_dim) and the RoPE base stated (the two default it differently).
COHERE = with_({k: v for k, v in LLAMA.items() if k != "rms_norm_eps"}, model_type="cohere",
               layer_norm_eps=1e-5, layer_norm_bias=False, tie_word_embeddings=True, logit_scale=0.25)

# GPT-2 as transformers reads it too: the tanh GELU mlx-lm always applies, named; n_ctx, which mlx-lm
# requires, beside the n_positions it equals.
GPT2 = {"model_type": "gpt2", "n_embd": 64, "n_layer": 2, "n_head": 4, "n_positions": 32, "n_ctx": 32,
        "layer_norm_epsilon": 1e-5, "vocab_size": 256, "activation_function": "gelu_new"}

# GPT-2's LayerNorms, whose weights do not end in `norm.weight`.
GPT2_NORMS = ("ln_1.weight", "ln_2.weight", "ln_f.weight")

# GPT-BigCode as transformers reads it too: the exact GELU mlx-lm always applies, named; multi-query.
GPT_BIGCODE = with_({k: v for k, v in GPT2.items() if k != "n_ctx"}, model_type="gpt_bigcode", n_inner=96,
                    activation_function="gelu", multi_query=True)


def gpt2_original_checkpoint(layers: int, positions: int):
    """A layout function giving GPT-2's original checkpoint layout: keys without the `model.` prefix,
    the Conv1D matrices stored [in, out], and each layer's causal-mask buffer (`attn.bias`)."""
    def layout(weights: dict[str, mx.array]) -> dict[str, mx.array]:
        out = {}
        for key, value in weights.items():
            key = key.removeprefix("model.")
            if key.endswith(("c_attn.weight", "c_proj.weight", "c_fc.weight")):
                value = value.T
            out[key] = value
        mask = mx.array(np.tril(np.ones((positions, positions), dtype=np.float32))[None, None])
        for i in range(layers):
            out[f"h.{i}.attn.bias"] = mask
        return out
    return layout


STABLELM = with_({k: v for k, v in LLAMA.items() if k != "rms_norm_eps"}, model_type="stablelm",
                 layer_norm_eps=1e-5, use_parallel_residual=False, qk_layernorm=False)

# GPT-NeoX as transformers reads it too: the tanh GELU and the 4 x hidden MLP mlx-lm always builds, named;
# biases on (mlx-lm always has them), untied (mlx-lm never ties); the 4.x RoPE keys mlx-lm requires.
GPT_NEOX = {
    "model_type": "gpt_neox", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
    "intermediate_size": 256, "hidden_act": "gelu_new", "layer_norm_eps": 1e-5, "vocab_size": 256,
    "max_position_embeddings": 512, "rotary_emb_base": 10000, "rotary_pct": 0.25, "use_parallel_residual": True,
    "attention_bias": True, "tie_word_embeddings": False,
}

# GPT-J as transformers reads it too: the tanh GELU mlx-lm always applies, named; n_inner left to 4 x n_embd.
GPTJ = {
    "model_type": "gptj", "n_embd": 64, "n_layer": 2, "n_head": 4, "rotary_dim": 8, "vocab_size": 256,
    "n_positions": 512, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "tie_word_embeddings": False,
}

LLAMA3_SCALING = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                  "original_max_position_embeddings": 16}

APERTUS = with_(LLAMA, model_type="apertus", hidden_act="xielu", rope_theta=500000.0, rope_scaling=LLAMA3_SCALING,
                post_norm=False, qk_norm=True, mlp_bias=False, attention_bias=False)

# sqrt(64) is exact in bfloat16: mlx-lm rounds the embedding scale to bfloat16 also in float32, which
# transformers does not, so float32 Gemma 3 fixtures keep a width where the two agree.
GEMMA3 = {
    "model_type": "gemma3_text", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6,
    "vocab_size": 256, "rope_theta": 1000000.0, "rope_local_base_freq": 10000.0,
    "query_pre_attn_scalar": 24, "sliding_window": 5, "sliding_window_pattern": 2,
    "max_position_embeddings": 512,
}

GPT_OSS = {
    "model_type": "gpt_oss", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-5,
    "vocab_size": 256, "num_local_experts": 8, "num_experts_per_tok": 2, "sliding_window": 6,
    "rope_theta": 150000.0, "tie_word_embeddings": False,
    "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
    # mlx-lm rounds YaRN's correction range whatever `truncate` says; transformers rounds it only
    # when `truncate` is true (its default), so the mlx-lm fixtures leave it at that.
    "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "beta_fast": 32.0, "beta_slow": 1.0,
                     "original_max_position_embeddings": 8},
}


def fused_expert_gate_up(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """The experts' gate and up projections as one tensor with interleaved rows (gate, up, ...),
    biases as `*_proj_bias`: the layout GPT-OSS checkpoints converted from the release use."""
    out = {}
    for key, value in weights.items():
        if ".experts.gate_proj." in key:
            up = weights[key.replace("gate_proj", "up_proj")]
            fused = mx.stack([value, up], axis=-2 if key.endswith("weight") else -1)
            if key.endswith("weight"):
                fused = fused.reshape(value.shape[0], 2 * value.shape[1], value.shape[2])
                out[key.replace("gate_proj", "gate_up_proj")] = fused
            else:
                out[key.replace("gate_proj.bias", "gate_up_proj_bias")] = fused.reshape(value.shape[0], -1)
        elif ".experts.up_proj." in key:
            continue
        elif key.endswith(".experts.down_proj.bias"):
            out[key.replace("down_proj.bias", "down_proj_bias")] = value
        else:
            out[key] = value
    return out


GEMMA3N_TEXT = {
    "model_type": "gemma3n_text", "hidden_size": 64, "num_hidden_layers": 6,
    "intermediate_size": [96, 128, 96, 128, 96, 128], "num_attention_heads": 4, "num_key_value_heads": 2,
    "head_dim": 16, "rms_norm_eps": 1e-6, "vocab_size": 256, "vocab_size_per_layer_input": 128,
    "num_kv_shared_layers": 2, "sliding_window": 5, "max_position_embeddings": 512,
    "rope_local_base_freq": 10000.0, "rope_theta": 1000000.0, "final_logit_softcapping": 30.0,
    # Layers 4 and 5 share with layers 2 (sliding) and 3 (full).
    "layer_types": ["sliding_attention", "full_attention"] * 3,
    "activation_sparsity_pattern": [0.95, 0.95, 0.0, 0.0, 0.0, 0.0],
    # mlx-lm clips the AltUp coefficients at inference, transformers only in training: the clip is
    # wider than any coefficient, so both compute the same.
    "hidden_size_per_layer_input": 8, "altup_num_inputs": 4, "altup_coef_clip": 100.0,
    "altup_correct_scale": True, "altup_active_idx": 0, "laurel_rank": 8,
    "hidden_activation": "gelu_pytorch_tanh",
}

def hf_checkpoint(rename: dict[str, str] | None = None, extra: dict[str, tuple[int, ...]] | None = None):
    """A layout function giving the Hugging Face twin of an mlx-lm checkpoint: keys renamed back
    (mlx-lm's sanitize renames them forward) and tensors mlx-lm's sanitize drops (other towers,
    precomputed RoPE tables, a tied head) added with seeded random values."""
    def layout(weights: dict[str, mx.array]) -> dict[str, mx.array]:
        out = {}
        for key, value in weights.items():
            for old, new in (rename or {}).items():
                if key.startswith(old):
                    key = new + key[len(old):]
                    break
            out[key] = value
        rng = np.random.default_rng(zlib.crc32(json.dumps(sorted(extra or {})).encode()))
        for key, shape in (extra or {}).items():
            out[key] = mx.array(rng.standard_normal(shape).astype(np.float32))
        return out
    return layout


def per_expert_checkpoint(block: str, stacked: str, names: dict[str, str]):
    """A layout function unstacking each switch projection into one tensor per expert
    (`<block>.experts.<e>.<name>.weight`), as Hugging Face MoE checkpoints keep them."""
    def layout(weights: dict[str, mx.array]) -> dict[str, mx.array]:
        out = {}
        for key, value in weights.items():
            marker = f".{block}.{stacked}."
            if marker not in key:
                out[key] = value
                continue
            prefix, rest = key.split(marker)
            projection, suffix = rest.split(".", 1)
            name = next(n for n, p in names.items() if p == projection)
            for e in range(value.shape[0]):
                out[f"{prefix}.{block}.experts.{e}.{name}.{suffix}"] = value[e]
        return out
    return layout


def with_extra_layer(layout, layer: int, shapes: dict[str, tuple[int, ...]]):
    """A layout that, after `layout`, adds a layer numbered `layer` (past the model's last) with
    seeded random tensors, as checkpoints with a multi-token prediction layer hold one."""
    def extended(weights: dict[str, mx.array]) -> dict[str, mx.array]:
        out = layout(weights) if layout else dict(weights)
        rng = np.random.default_rng(layer)
        for name, shape in shapes.items():
            out[f"model.layers.{layer}.{name}"] = mx.array(rng.standard_normal(shape).astype(np.float32))
        return out
    return extended


def fused_halves_experts(block: str, gate_up: str, down: str):
    """A layout function fusing each layer's switch gate and up projections into one tensor
    (`<block>.<gate_up>.weight` [E, 2I, D]: the gate rows, then the up rows) and renaming the down
    projections `<block>.<down>.weight`, as Granite MoE checkpoints hold them."""
    def layout(weights: dict[str, mx.array]) -> dict[str, mx.array]:
        out = {}
        for key, value in weights.items():
            if f".{block}.switch_mlp.gate_proj." in key:
                up = weights[key.replace("gate_proj", "up_proj")]
                out[key.replace("switch_mlp.gate_proj", gate_up)] = mx.concatenate([value, up], axis=1)
            elif f".{block}.switch_mlp.down_proj." in key:
                out[key.replace("switch_mlp.down_proj", down)] = value
            elif f".{block}.switch_mlp.up_proj." not in key:
                out[key] = value
        return out
    return layout


MIXTRAL = with_(LLAMA, model_type="mixtral", num_local_experts=4, num_experts_per_tok=2)

# Qwen3-MoE: layer 0 dense (mlp_only_layers), the rest experts; head_dim 16 < hidden / heads.
QWEN3_MOE = {
    "model_type": "qwen3_moe", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6,
    "vocab_size": 256, "rope_theta": 10000.0, "max_position_embeddings": 512, "tie_word_embeddings": False,
    "num_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "decoder_sparse_step": 1,
    "mlp_only_layers": [0], "norm_topk_prob": True,
}
QWEN3_MOE_NAMES = {"gate_proj": "gate_proj", "up_proj": "up_proj", "down_proj": "down_proj"}

# Qwen2-MoE as mlx-lm runs it: experts on every layer beside a sigmoid-gated shared expert, top k
# not renormalised, q/k/v bias, head_dim hidden / heads (the values mlx-lm assumes, not reads).
QWEN2_MOE = {
    "model_type": "qwen2_moe", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 1000000.0, "max_position_embeddings": 512, "tie_word_embeddings": False,
    "num_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32,
    "shared_expert_intermediate_size": 48, "norm_topk_prob": False, "decoder_sparse_step": 1,
    "mlp_only_layers": [],
}

# OLMoE: experts on every layer, whole-projection q/k norms; tie stated (mlx-lm's default ties,
# transformers' does not) and no clip_qkv (mlx-lm never clips).
OLMOE = {
    "model_type": "olmoe", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 512, "tie_word_embeddings": False,
    "num_experts": 8, "num_experts_per_tok": 2, "norm_topk_prob": False, "attention_bias": False,
}

# GLM-4.5 MoE: layer 0 dense, then experts in 2 groups of 4 (one group kept), sigmoid scores with
# a selection bias, renormalised and scaled, beside a shared expert; half of each head rotated.
GLM4_MOE = {
    "model_type": "glm4_moe", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-5,
    "vocab_size": 256, "rope_theta": 10000.0, "rope_scaling": None, "max_position_embeddings": 512,
    "partial_rotary_factor": 0.5, "attention_bias": True, "use_qk_norm": False, "tie_word_embeddings": False,
    "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "n_shared_experts": 1,
    "n_group": 2, "topk_group": 1, "routed_scaling_factor": 2.5, "norm_topk_prob": True,
    "first_k_dense_replace": 1,
}

def transformers_llama4_experts(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """Llama 4's experts as transformers saves them: `experts.gate_up_proj` [E, D, 2I] (the gate's
    columns first) and `experts.down_proj` [E, I, D], both multiplied from the left."""
    out = {}
    for key, value in weights.items():
        if key.endswith(".experts.gate_proj.weight"):
            up = weights[key.replace("gate_proj", "up_proj")]
            fused = mx.concatenate([value.swapaxes(1, 2), up.swapaxes(1, 2)], axis=-1)
            out[key.replace("gate_proj.weight", "gate_up_proj")] = fused
        elif key.endswith(".experts.up_proj.weight"):
            continue
        elif key.endswith(".experts.down_proj.weight"):
            out[key.replace("down_proj.weight", "down_proj")] = value.swapaxes(1, 2)
        else:
            out[key] = value
    return out


# Gemma 4 as both references read it: global_head_dim and num_global_key_value_heads (mlx-lm ignores
# transformers 5's per_layer_config), every default stated (mlx-lm's differ: softcap 30, double-wide
# MLP, 20 shared layers), the last layer full (transformers forces it). Six layers, the last two
# sharing keys and values with layers 2 (sliding) and 3 (full), not the first of their kind; the
# shared layers' MLPs double-wide; per-layer inputs; full layers 32 wide with one key/value head,
# values from the keys, a quarter of each head rotated by proportional RoPE.
GEMMA4_TEXT = {
    "model_type": "gemma4_text", "hidden_size": 64, "num_hidden_layers": 6, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "global_head_dim": 32,
    "num_global_key_value_heads": 1, "attention_k_eq_v": True, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "vocab_size_per_layer_input": 256, "hidden_size_per_layer_input": 8, "num_kv_shared_layers": 2,
    "use_double_wide_mlp": True, "sliding_window": 5, "max_position_embeddings": 512,
    "layer_types": ["sliding_attention", "full_attention"] * 3,
    "rope_parameters": {
        "full_attention": {"rope_type": "proportional", "partial_rotary_factor": 0.25, "rope_theta": 1000000.0},
        "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}},
    "final_logit_softcapping": 30.0, "tie_word_embeddings": True, "enable_moe_block": False,
    "hidden_activation": "gelu_pytorch_tanh",
}
# The mixture of experts beside every MLP: 8 GELU experts 24 wide (so 2 x 24 != 64 tells the fused
# tensor's axes apart), top 2, no per-layer inputs or sharing; values not from the keys although a
# global key/value head count is stated (it applies only with attention_k_eq_v); half of each full
# head rotated, its frequencies divided by a factor of 2; untied, no softcap.
GEMMA4_MOE = with_(
    GEMMA4_TEXT, num_hidden_layers=4, layer_types=["sliding_attention", "full_attention"] * 2,
    hidden_size_per_layer_input=0, num_kv_shared_layers=0, use_double_wide_mlp=False, attention_k_eq_v=False,
    enable_moe_block=True, num_experts=8, top_k_experts=2, moe_intermediate_size=24, tie_word_embeddings=False,
    final_logit_softcapping=None,
    rope_parameters={
        "full_attention": {"rope_type": "proportional", "partial_rotary_factor": 0.5, "rope_theta": 10000.0,
                           "factor": 2.0},
        "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}})


def bare_gate_up_experts(stacked: str, bare: str):
    """The experts as transformers saves them: under `bare` one `gate_up_proj` [E, 2I, D], gate rows
    first, and one `down_proj` [E, D, I], where mlx-lm holds the three projections under `stacked`
    (Gemma 4's `experts.switch_glu` as `experts`, Mistral 4's `mlp.switch_mlp` as `mlp.experts`)."""
    def layout(weights: dict[str, mx.array]) -> dict[str, mx.array]:
        out = {}
        for key, value in weights.items():
            if key.endswith(f".{stacked}.gate_proj.weight"):
                up = weights[key.replace("gate_proj", "up_proj")]
                out[key.replace(f"{stacked}.gate_proj.weight", f"{bare}.gate_up_proj")] = mx.concatenate([value, up], axis=1)
            elif key.endswith(f".{stacked}.down_proj.weight"):
                out[key.replace(f"{stacked}.down_proj.weight", f"{bare}.down_proj")] = value
            elif f".{stacked}.up_proj." not in key:
                out[key] = value
        return out
    return layout


def then(first, second):
    """Two layouts, one after the other."""
    return lambda weights: second(first(weights))


# Llama 4 text as mlx-lm's llama4.py reads it inside the multimodal wrapper: NoPE on every fourth
# layer (temperature-tuned from position 3 on), chunks of 8 with q/k norms on the others, experts on
# every second layer (top-1, as mlx-lm requires) beside a shared expert, llama3 RoPE. mlx-lm fixes
# the q/k norm's epsilon at 1e-6 where transformers takes rms_norm_eps, so both are 1e-6 here.
LLAMA4_TEXT = {
    "model_type": "llama4_text", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 32,
    "intermediate_size_mlp": 96, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
    "rms_norm_eps": 1e-6, "vocab_size": 256, "rope_theta": 10000.0, "rope_scaling": LLAMA3_SCALING,
    "max_position_embeddings": 512, "attention_bias": False, "attention_chunk_size": 8,
    "interleave_moe_layer_step": 2, "num_local_experts": 4, "num_experts_per_tok": 1, "use_qk_norm": True,
    "attn_temperature_tuning": True, "floor_scale": 4, "attn_scale": 0.5, "tie_word_embeddings": False,
}
LLAMA4 = {"model_type": "llama4", "text_config": LLAMA4_TEXT}


def with_zeros(layout, shapes: dict[str, tuple[int, ...]]):
    """A layout that, after `layout`, adds zero tensors mlx-lm's sanitize drops but transformers reads,
    at the one value where the two compute the same."""
    def extended(weights: dict[str, mx.array]) -> dict[str, mx.array]:
        out = layout(weights) if layout else dict(weights)
        for key, shape in shapes.items():
            out[key] = mx.zeros(shape, dtype=mx.float32)
        return out
    return extended


# ERNIE 4.5 MoE: experts on layers 1 and 2 of 4 (moe_layer_start_index, moe_layer_end_index), a
# softmax router choosing 2 of 8 beside a shared expert. mlx-lm drops the selection bias
# (moe_statics.e_score_correction_bias) that transformers adds before choosing: the checkpoints hold
# it at zero, where both choose alike. moe_norm_min is left at the 1e-12 mlx-lm always uses.
ERNIE4_5_MOE = {
    "model_type": "ernie4_5_moe", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "vocab_size": 256,
    "rope_theta": 500000.0, "max_position_embeddings": 512, "use_bias": False, "tie_word_embeddings": False,
    "moe_num_experts": 8, "moe_k": 2, "moe_intermediate_size": 32, "moe_num_shared_experts": 1,
    "moe_layer_start_index": 1, "moe_layer_end_index": 2, "moe_layer_interval": 1,
}


# mlx-lm drops ERNIE's selection bias, so its fixtures hold it at zero; transformers' vary it.
ERNIE_BIAS = ["mlp.moe_statics.e_score_correction_bias"]


def ernie_selection_bias(layers: list[int], experts: int) -> dict[str, tuple[int, ...]]:
    return {f"model.layers.{i}.mlp.moe_statics.e_score_correction_bias": (1, experts) for i in layers}

# DeepSeek-MoE: layer 0 dense, then experts on the layers whose index is a multiple of 2 (2 and 4;
# 1 and 3 stay dense), weighted by a softmax over all 8 experts, not renormalised, beside shared
# experts two experts wide; biases everywhere and linear RoPE scaling, as mlx-lm reads it (`type`,
# a float factor).
DEEPSEEK = {
    "model_type": "deepseek", "hidden_size": 64, "num_hidden_layers": 5, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 512, "attention_bias": True,
    "rope_scaling": {"type": "linear", "factor": 2.0},
    "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "n_shared_experts": 2,
    "first_k_dense_replace": 1, "moe_layer_freq": 2,
}

# DeepSeek-V3: latent attention (queries through a rank-48 norm, a 32-wide latent, 16 no-RoPE and 8
# rotated dimensions per query and key head, 24 per value head) under YaRN stretched 4 times from an
# original context of 8, shorter than the prompt, with both mscales set (where mlx-lm and transformers
# agree); layer 0 dense, then experts in 2 groups of 4 (one kept), top-2 sigmoid with a selection
# bias, renormalised and scaled, beside a shared expert; biases on q_a, kv_a and o.
DEEPSEEK_V3 = {
    "model_type": "deepseek_v3", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 4, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 32, "attention_bias": True,
    "q_lora_rank": 48, "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 24,
    "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 8, "beta_fast": 32,
                     "beta_slow": 1, "mscale": 1.0, "mscale_all_dim": 0.8},
    "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "n_shared_experts": 1,
    "n_group": 2, "topk_group": 1, "routed_scaling_factor": 2.5, "norm_topk_prob": True,
    "first_k_dense_replace": 1, "moe_layer_freq": 1, "topk_method": "noaux_tc", "scoring_func": "sigmoid",
    "tie_word_embeddings": False,
}


# Mistral Small 4: DeepSeek-V3's latent attention (queries through a rank-48 norm, a 32-wide latent, 16
# no-RoPE and 8 rotated dimensions per query and key head, 24 per value head) under YaRN stretched 4
# times from an original context of 8, both mscales set, the whole queries scaled by Llama 4's
# 1 + 0.3 * log(1 + floor(position / 8)), which steps three times within the prompt; layer 0 dense,
# then a softmax router over 2 groups of 4 experts (one kept), top-2 renormalised, scaled 1.5, beside
# a shared expert. mlx-lm reads RoPE and the query scaling from rope_parameters only.
MISTRAL4 = {
    "model_type": "mistral4", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 4, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "max_position_embeddings": 64, "q_lora_rank": 48, "kv_lora_rank": 32, "qk_nope_head_dim": 16,
    "qk_rope_head_dim": 8, "v_head_dim": 24, "rope_interleave": True,
    "rope_parameters": {"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                        "original_max_position_embeddings": 8, "beta_fast": 32.0, "beta_slow": 1.0,
                        "mscale": 1.0, "mscale_all_dim": 0.8, "llama_4_scaling_beta": 0.3},
    "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "n_shared_experts": 1,
    "n_group": 2, "topk_group": 1, "routed_scaling_factor": 1.5, "norm_topk_prob": True,
    "first_k_dense_replace": 1, "tie_word_embeddings": False,
}


# DeepSeek-V2: DeepSeek-V3's latent attention (mlx-lm keeps kv_b_proj whole and requires a YaRN
# scaling) under a softmax router choosing its top 2 among the experts of the 2 of 4 groups whose best
# score is highest, never renormalised, scaled 2; layer 0 dense.
DEEPSEEK_V2 = {
    "model_type": "deepseek_v2", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 4, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 32, "attention_bias": False,
    "q_lora_rank": 48, "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 24,
    "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 8, "beta_fast": 32,
                     "beta_slow": 1, "mscale": 1.0, "mscale_all_dim": 0.8},
    "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "n_shared_experts": 1,
    "topk_method": "group_limited_greedy", "n_group": 4, "topk_group": 2, "routed_scaling_factor": 2.0,
    "norm_topk_prob": False, "first_k_dense_replace": 1, "moe_layer_freq": 1, "tie_word_embeddings": False,
}


# GLM-4.7-Flash: DeepSeek-V3's latent attention and router; mlx-lm normalises the latent and the
# query rank with rms_norm_eps where transformers takes 1e-6, so it is 1e-6 here.
GLM4_MOE_LITE = {
    "model_type": "glm4_moe_lite", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 4, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 1000000.0, "max_position_embeddings": 512, "attention_bias": False, "partial_rotary_factor": 1.0,
    "q_lora_rank": 48, "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 24,
    "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "n_shared_experts": 1,
    "n_group": 2, "topk_group": 1, "routed_scaling_factor": 1.8, "norm_topk_prob": True,
    "first_k_dense_replace": 1, "moe_layer_freq": 1, "topk_method": "noaux_tc", "scoring_func": "sigmoid",
    "tie_word_embeddings": False,
}


# MiniCPM3: MiniCPM's scalings around latent attention (values hidden / heads wide, kv_b_proj whole)
# under longrope with equal short and long factors (transformers takes the short ones within the
# original context, mlx-lm the long ones always); untied, as mlx-lm divides the logits by
# hidden / dim_model_base only for an untied head. mlx-lm normalises the latent and the query rank
# with 1e-5 where transformers takes 1e-6: no config makes them agree.
MINICPM3 = {
    "model_type": "minicpm3", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 4, "rms_norm_eps": 1e-5, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 64, "q_lora_rank": 48, "kv_lora_rank": 32,
    "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "scale_emb": 12.0, "scale_depth": 1.4, "dim_model_base": 16,
    "rope_scaling": {"type": "longrope", "short_factor": [1.0, 1.3, 1.7, 2.2], "long_factor": [1.0, 1.3, 1.7, 2.2],
                     "original_max_position_embeddings": 16},
    "tie_word_embeddings": False,
}


def kv_b_proj_checkpoint(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """Each layer's embed_q ([H, latent, nope]) and unembed_out ([H, value, latent]) joined back into
    the kv_b_proj ([H * (nope + value), latent], each head's key rows before its value rows) that
    Hugging Face checkpoints hold."""
    out = {}
    for key, value in weights.items():
        if key.endswith(".embed_q.weight"):
            unembed = weights[key.replace("embed_q", "unembed_out")]
            joined = mx.concatenate([value.swapaxes(-1, -2), unembed], axis=1)
            out[key.replace("embed_q", "kv_b_proj")] = joined.reshape(-1, joined.shape[-1])
        elif not key.endswith(".unembed_out.weight"):
            out[key] = value
    return out


# dots.llm1: layer 0 dense, then experts in 2 groups of 4 (one kept), top-2 sigmoid with a selection
# bias, renormalised and scaled, beside a shared expert; per-head q/k norms. mlx-lm has neither
# attention biases nor sliding layers, which transformers reads: neither is set.
DOTS1 = {
    "model_type": "dots1", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6,
    "vocab_size": 256, "rope_theta": 10000.0, "max_position_embeddings": 512, "tie_word_embeddings": False,
    "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "n_shared_experts": 1,
    "n_group": 2, "topk_group": 1, "routed_scaling_factor": 2.5, "norm_topk_prob": True,
    "first_k_dense_replace": 1,
}

# Granite MoE: experts on every layer under Granite's multipliers, q/k/v/o bias; the tie stated
# (mlx-lm's default ties, transformers' does not) and no head_dim (mlx-lm takes hidden / heads).
GRANITEMOE = with_(LLAMA, model_type="granitemoe", intermediate_size=32, attention_bias=True,
                   embedding_multiplier=12.0, attention_multiplier=0.0078125, residual_multiplier=0.22,
                   logits_scaling=8.0, num_local_experts=8, num_experts_per_tok=3)

# Phi-3.5-MoE as mlx-lm runs it: q/k/v/o and lm_head biases always (stated, as transformers reads
# them), the long factors and long_mscale always (equal to the short ones here, as transformers
# keeps the short factors and switches mscales by length), a wide sparse-mixer band.
PHIMOE = {
    "model_type": "phimoe", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 4096, "original_max_position_embeddings": 16,
    "rope_scaling": {"type": "longrope", "short_factor": [1.0 + 0.1 * i for i in range(8)],
                     "long_factor": [1.0 + 0.1 * i for i in range(8)], "short_mscale": 1.2, "long_mscale": 1.2,
                     "original_max_position_embeddings": 16},
    "attention_bias": True, "lm_head_bias": True, "num_local_experts": 8, "num_experts_per_tok": 2,
    "router_jitter_noise": 0.3, "tie_word_embeddings": False,
}

# MiniMax-M2: experts on every layer scored by sigmoids, chosen with a selection bias beside the gate
# and renormalised; whole-projection q/k norms; head_dim 32 above hidden / heads, half of it rotated.
MINIMAX = {
    "model_type": "minimax_m2", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "rotary_dim": 16,
    "rms_norm_eps": 1e-6, "vocab_size": 256, "rope_theta": 10000.0, "max_position_embeddings": 512,
    "num_local_experts": 8, "num_experts_per_tok": 2, "shared_intermediate_size": 0,
    "scoring_func": "sigmoid", "use_qk_norm": True, "tie_word_embeddings": False,
}
MINIMAX_NAMES = {"w1": "gate_proj", "w2": "down_proj", "w3": "up_proj"}

# Hunyuan MoE as mlx-lm runs model_type hunyuan: layers 1 and 3 reuse the key and value projections
# of layers 0 and 2 (use_cla); per-layer top-k (one layer top-1, kept as scored), expert and shared
# MLP widths; q/k norms after NTK-alpha RoPE; q/k/v/o bias; the head tied.
HUNYUAN = {
    "model_type": "hunyuan", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "vocab_size": 256,
    "rope_theta": 10000.0, "rope_scaling": {"type": "dynamic", "factor": 1.0, "alpha": 1000.0},
    "attention_bias": True, "use_qk_norm": True, "use_cla": True, "cla_share_factor": 2,
    "num_experts": 8, "moe_topk": [2, 3, 2, 1], "moe_intermediate_size": [32, 48, 32, 32],
    "use_mixed_mlp_moe": True, "num_shared_expert": [1, 2, 1, 1], "tie_word_embeddings": True,
}
# transformers' Hunyuan MoE (hunyuan_v1_moe), which mlx-lm has no model for, computed by mlx-lm's
# hunyuan on the config where the two agree: no sharing, every expert chosen (so renormalising the
# top k changes nothing), experts and one shared MLP intermediate_size wide, tied.
HUNYUAN_V1_MOE = {
    "model_type": "hunyuan_v1_moe", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-5,
    "vocab_size": 256, "rope_theta": 10000.0, "rope_scaling": {"type": "dynamic", "factor": 1.0, "alpha": 1000.0},
    "attention_bias": True, "use_qk_norm": True, "use_cla": False, "num_experts": 4, "moe_topk": 4,
    "tie_word_embeddings": True,
}
HUNYUAN_V1_MOE_AS_HUNYUAN = with_(
    {k: v for k, v in HUNYUAN_V1_MOE.items() if k != "head_dim"}, model_type="hunyuan", cla_share_factor=1,
    moe_intermediate_size=32, use_mixed_mlp_moe=True, num_shared_expert=1)
# Hunyuan dense as mlx-lm runs model_type hunyuan_v1_dense: head_dim 32 above hidden / heads.
HUNYUAN_V1_DENSE = {
    "model_type": "hunyuan_v1_dense", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "rms_norm_eps": 1e-5,
    "vocab_size": 256, "rope_theta": 10000.0, "max_position_embeddings": 512,
    "rope_scaling": {"type": "dynamic", "factor": 1.0, "alpha": 1000.0}, "attention_bias": True,
    "use_qk_norm": True, "tie_word_embeddings": False,
}

# Ling 2.0 (bailing_moe): layer 0 dense, then experts in 4 groups of 2 (two kept), top-2 sigmoid with a
# selection bias (expert_bias), renormalised and scaled 2.5, beside a shared expert 48 wide; per-head
# q/k norms, half of each head rotated, a bias on the fused query_key_value.
BAILING_MOE = {
    "model_type": "bailing_moe", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 10000.0, "max_position_embeddings": 512, "rope_scaling": None, "tie_word_embeddings": False,
    "num_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "num_shared_experts": 1,
    "moe_shared_expert_intermediate_size": 48, "norm_topk_prob": True, "first_k_dense_replace": 1,
    "score_function": "sigmoid", "n_group": 4, "topk_group": 2, "routed_scaling_factor": 2.5,
    "moe_router_enable_expert_bias": True, "use_qk_norm": True, "partial_rotary_factor": 0.5,
    "use_qkv_bias": True, "use_bias": False, "norm_head": False, "num_nextn_predict_layers": 0,
    "router_dtype": "fp32", "use_rmsnorm": True, "hidden_act": "silu",
}

# Ling v1 (Ling-lite's keys): a softmax over all 8 experts on every layer, the top 3 weighted as scored
# (not renormalised), shared experts two experts wide, the head divided by its column norms, no q/k
# norm, 12 of each head's 16 dimensions rotated (rotary_dim over partial_rotary_factor). A window shorter
# than the prompt that use_sliding_window leaves off: every layer still attends over the whole prompt.
BAILING_MOE_V1 = {
    "model_type": "bailing_moe", "hidden_size": 64, "num_hidden_layers": 3, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 600000.0, "max_position_embeddings": 512, "rope_scaling": None, "tie_word_embeddings": False,
    "num_experts": 8, "num_experts_per_tok": 3, "moe_intermediate_size": 32, "num_shared_experts": 2,
    "norm_topk_prob": False, "first_k_dense_replace": 0, "norm_head": True, "norm_softmax": False,
    "use_bias": False, "use_qkv_bias": False, "use_rmsnorm": True, "rotary_dim": 12, "partial_rotary_factor": 0.5,
    "use_sliding_window": False, "sliding_window": 8, "max_window_layers": 3, "output_dropout": 0.0,
    "embedding_dropout": 0.0, "hidden_act": "silu",
}


def bailing_hf_checkpoint(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """Ling's experts and routers as Hugging Face checkpoints hold them: one tensor per expert, the
    router's projection as the gate's own `weight` beside its `expert_bias`."""
    out = per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)(weights)
    return {k.replace(".mlp.gate.gate_proj.", ".mlp.gate."): v for k, v in out.items()}


MINISTRAL3 = {
    "model_type": "ministral3", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-5,
    "vocab_size": 256, "max_position_embeddings": 512, "tie_word_embeddings": False,
    # The original context (8) is shorter than the prompt, so the query scaling changes within it.
    "rope_parameters": {"rope_type": "yarn", "rope_theta": 1000000.0, "factor": 16.0,
                        "original_max_position_embeddings": 8, "beta_fast": 32.0, "beta_slow": 1.0,
                        "mscale": 1.0, "mscale_all_dim": 1.0, "llama_4_scaling_beta": 0.1},
}

# Gemma 2 with caps small enough to bend these tiny models' scores and logits, and no window stated
# (the default, 4096, is past the prompt): mlx-lm's gemma2.py attends over the whole context on every layer.
GEMMA2 = {
    "model_type": "gemma2", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 10000.0, "query_pre_attn_scalar": 24.0, "attn_logit_softcapping": 2.0,
    "final_logit_softcapping": 5.0,
}

NEMOTRON = {
    "model_type": "nemotron", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "norm_eps": 1e-5, "vocab_size": 256, "hidden_act": "relu2",
    "partial_rotary_factor": 0.5, "rope_theta": 10000.0, "max_position_embeddings": 512,
}

# LFM2: convolution layers first and between the attention ones (the attention mask comes from an
# attention layer's cache), an MLP two thirds of 200 wide, scaled 1.5 and rounded up to 224. mlx-lm
# always ties the head, as transformers does by default.
LFM2 = {
    "model_type": "lfm2", "hidden_size": 64, "num_hidden_layers": 4, "num_attention_heads": 4,
    "num_key_value_heads": 2, "vocab_size": 256, "max_position_embeddings": 512, "norm_eps": 1e-5,
    "rope_theta": 1000000.0, "conv_bias": False, "conv_L_cache": 3, "block_dim": 64, "block_ff_dim": 200,
    "block_multiple_of": 32, "block_ffn_dim_multiplier": 1.5, "block_auto_adjust_ff_dim": True,
    "layer_types": ["conv", "full_attention", "conv", "full_attention"], "tie_word_embeddings": True,
}


def pytorch_convolutions(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """The Hugging Face layout of the short convolutions' filters: [hidden, 1, kernel] as PyTorch
    stores a depthwise Conv1d, where mlx-lm's sanitize leaves [hidden, kernel, 1]."""
    return {key: value.transpose(0, 2, 1) if key.endswith(".conv.conv.weight") else value
            for key, value in weights.items()}


# Mamba: a 128-wide expansion, an 8-wide state per channel, dt 4 wide (auto) before dt_proj, 4-tap
# filters with their bias, tied (mlx-lm's default). Falcon-Mamba is the same model with dt, B and C
# normalised.
MAMBA = {
    "model_type": "mamba", "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 256,
    "intermediate_size": 128, "state_size": 8, "conv_kernel": 4, "time_step_rank": "auto", "use_bias": False,
    "use_conv_bias": True, "tie_word_embeddings": True,
}


def pytorch_mamba_convolutions(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """The Hugging Face layout of Mamba's convolution filters: [inner, 1, kernel] as PyTorch stores a
    depthwise Conv1d, where mlx-lm's sanitize leaves [inner, kernel, 1]."""
    return {key: value.transpose(0, 2, 1) if key.endswith(".mixer.conv1d.weight") else value
            for key, value in weights.items()}


# Mamba-2: 8 heads 16 wide (the block 128 wide, as expand 2 gives it), 8-wide states, one group (where
# mlx-lm's norm over the whole width and transformers' per-group norm agree), dt clipped to [0.2, 1.0],
# 4-tap filters with their bias, tied; the layers' norm epsilon 1e-5, mlx-lm's fixed one.
MAMBA2 = {
    "model_type": "mamba2", "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 256, "num_heads": 8,
    "head_dim": 16, "intermediate_size": 128, "state_size": 8, "n_groups": 1, "conv_kernel": 4,
    "use_bias": False, "use_conv_bias": True, "layer_norm_epsilon": 1e-5, "time_step_limit": [0.2, 1.0],
    "time_step_rank": "auto", "tie_word_embeddings": True,
}


# Granite-4.0-H: Mamba-2 on layers 0, 2 and 3, attention (rotated, q/k/v/o bias) on layer 1, each
# layer then 4 experts top-2 plus a 48-wide shared expert, Granite's multipliers; one group (where
# mlx-lm's gated norm over the whole width and transformers' per-group one agree), the rotation and
# dt's bounds stated (their defaults differ between the two), untied.
GRANITEMOEHYBRID = {
    "model_type": "granitemoehybrid", "vocab_size": 256, "hidden_size": 64, "intermediate_size": 32,
    "num_hidden_layers": 4, "max_position_embeddings": 512, "num_attention_heads": 4, "num_key_value_heads": 2,
    "attention_bias": True, "embedding_multiplier": 12.0, "attention_multiplier": 0.125, "logits_scaling": 8.0,
    "residual_multiplier": 0.22, "layer_types": ["mamba", "attention", "mamba", "mamba"], "rms_norm_eps": 1e-5,
    "num_local_experts": 4, "num_experts_per_tok": 2, "shared_intermediate_size": 48, "mamba_n_heads": 8,
    "mamba_d_head": 16, "mamba_expand": 2, "mamba_proj_bias": False, "mamba_d_state": 8, "mamba_d_conv": 4,
    "mamba_n_groups": 1, "mamba_conv_bias": True, "position_embedding_type": "rope", "rope_theta": 10000.0,
    "tie_word_embeddings": False, "time_step_limit": [0.001, 100.0],
}

# Nemotron-H: one block per layer by the pattern, Mamba-2 (8 heads 16 wide, 2 groups, the gated norm
# per group), attention without RoPE with its own head width (24, not hidden / heads), and the
# ungated relu-squared MLP; a separate head.
NEMOTRON_H = {
    "model_type": "nemotron_h", "vocab_size": 256, "hidden_size": 64, "intermediate_size": 96,
    "max_position_embeddings": 512, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 24,
    "attention_bias": False, "mamba_num_heads": 8, "mamba_head_dim": 16, "mamba_proj_bias": False,
    "ssm_state_size": 8, "conv_kernel": 4, "n_groups": 2, "mlp_bias": False, "layer_norm_epsilon": 1e-5,
    "use_bias": False, "use_conv_bias": True, "hybrid_override_pattern": "M-*-M*", "mlp_hidden_act": "relu2",
    "tie_word_embeddings": False,
}

# Nemotron-H with layers of experts: 8 ungated relu-squared experts 32 wide, top-2 by sigmoid score plus
# a selection bias within the 2 best of 4 groups, renormalised and scaled 2.5, beside a shared expert 48
# wide; the pattern mixes every block. mlx-lm builds the shared expert only where n_shared_experts is
# set (transformers always does), and renormalises only for k > 1 (transformers for any k).
NEMOTRON_H_MOE = with_(NEMOTRON_H, hybrid_override_pattern="ME*-EM", n_routed_experts=8, num_experts_per_tok=2,
                       moe_intermediate_size=32, moe_shared_expert_intermediate_size=48, n_shared_experts=1,
                       n_group=4, topk_group=2, norm_topk_prob=True, routed_scaling_factor=2.5)

# Falcon-H1: attention (RoPE) and Mamba-2 side by side in every layer, as mlx-lm saves it: the muP
# multipliers already folded into the weights, so only a tied head's lm_head / embedding ratio is
# applied at run time (stated apart from 1 to prove it); every key stated, as mlx-lm's defaults are
# not transformers'.
FALCON_H1 = {
    "model_type": "falcon_h1", "vocab_size": 256, "hidden_size": 64, "intermediate_size": 96,
    "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
    "max_position_embeddings": 512, "rope_theta": 10000.0, "rms_norm_eps": 1e-5, "attention_bias": False,
    "mlp_bias": False, "mamba_d_ssm": 128, "mamba_n_heads": 8, "mamba_d_head": 16, "mamba_d_state": 8,
    "mamba_n_groups": 1, "mamba_d_conv": 4, "mamba_chunk_size": 8, "mamba_conv_bias": True,
    "mamba_proj_bias": False, "projectors_bias": False, "mamba_rms_norm": True, "mamba_norm_before_gate": False,
    "tie_word_embeddings": True, "embedding_multiplier": 2.5, "lm_head_multiplier": 0.75,
    "attention_in_multiplier": 1.5, "key_multiplier": 0.5, "attention_out_multiplier": 0.8,
    "ssm_in_multiplier": 1.25, "ssm_out_multiplier": 0.6, "ssm_multipliers": [0.9, 1.1, 0.7, 1.3, 0.5],
    "mlp_multipliers": [1.2, 0.8],
}

# Jamba: attention (no RoPE) on layers 1 and 4 (period 3, offset 1), Mamba with weighted dt/B/C norms
# elsewhere; experts on layers 1, 3 and 5 (period 2, offset 1, where mlx-lm's (i + offset) % period
# and transformers' i % period == offset agree), every expert chosen (mlx-lm softmaxes the top k
# logits among themselves, transformers keeps the top k of a softmax over all, which agree only when
# k is every expert), so the layers hold every mixer and feed-forward pairing; untied (mlx-lm's
# default ties, transformers' does not).
JAMBA = {
    "model_type": "jamba", "vocab_size": 256, "hidden_size": 64, "intermediate_size": 32, "num_hidden_layers": 6,
    "num_attention_heads": 4, "num_key_value_heads": 2, "attn_layer_period": 3, "attn_layer_offset": 1,
    "expert_layer_period": 2, "expert_layer_offset": 1, "num_experts": 4, "num_experts_per_tok": 4,
    "mamba_d_state": 8, "mamba_d_conv": 4, "mamba_expand": 2, "mamba_dt_rank": "auto", "mamba_conv_bias": True,
    "mamba_proj_bias": False, "rms_norm_eps": 1e-5, "max_position_embeddings": 512, "tie_word_embeddings": False,
}

# LFM2-MoE: LFM2's mixers, layer 0 dense, then 8 experts chosen 2 at a time by sigmoid score plus a
# selection bias, renormalised and scaled 1.5.
LFM2_MOE = {
    "model_type": "lfm2_moe", "hidden_size": 64, "num_hidden_layers": 4, "num_attention_heads": 4,
    "num_key_value_heads": 2, "vocab_size": 256, "max_position_embeddings": 512, "norm_eps": 1e-5,
    "rope_theta": 1000000.0, "conv_bias": False, "conv_L_cache": 3, "intermediate_size": 96,
    "moe_intermediate_size": 32, "num_experts": 8, "num_experts_per_tok": 2, "norm_topk_prob": True,
    "use_expert_bias": True, "routed_scaling_factor": 1.5, "num_dense_layers": 1,
    "layer_types": ["conv", "full_attention", "conv", "full_attention"], "tie_word_embeddings": True,
}

# The names LFM2-MoE's own checkpoints give the MLP projections, dense and per expert.
LFM2_MOE_NAMES = {"w1": "gate_proj", "w2": "down_proj", "w3": "up_proj"}


def lfm2_moe_checkpoint(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """LFM2-MoE as LiquidAI's checkpoints hold it: one tensor per expert and the dense MLP under w1,
    w2, w3, the convolution filters as PyTorch stores them."""
    out = {}
    for key, value in per_expert_checkpoint("feed_forward", "switch_mlp", LFM2_MOE_NAMES)(
            pytorch_convolutions(weights)).items():
        for name, projection in LFM2_MOE_NAMES.items():
            key = key.replace(f".feed_forward.{projection}.", f".feed_forward.{name}.")
        out[key] = value
    return out


# Qwen3-Next: layer 0 dense, then 8 experts top-2 renormalised beside a gated shared expert; every
# second layer attends (full_attention_interval 2, the gated delta rule on the others) with half of
# each 16-wide head rotated; 2 key heads of 16 each serving 2 value heads of 8, 4-tap filters.
QWEN3_NEXT = {
    "model_type": "qwen3_next", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "rope_theta": 10000.0, "partial_rotary_factor": 0.5, "max_position_embeddings": 512,
    "linear_num_key_heads": 2, "linear_num_value_heads": 4, "linear_key_head_dim": 16, "linear_value_head_dim": 8,
    "linear_conv_kernel_dim": 4, "full_attention_interval": 2, "num_experts": 8, "num_experts_per_tok": 2,
    "decoder_sparse_step": 1, "mlp_only_layers": [0], "moe_intermediate_size": 32,
    "shared_expert_intermediate_size": 48, "norm_topk_prob": True, "tie_word_embeddings": False,
    "attention_bias": False,
}

# The norms mlx-lm's sanitize shifts by one as it reads a Hugging Face Qwen3-Next checkpoint.
QWEN3_NEXT_NORMS = (".input_layernorm.weight", ".post_attention_layernorm.weight", "model.norm.weight",
                    ".q_norm.weight", ".k_norm.weight")


def qwen3_next_checkpoint(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """Qwen3-Next as Hugging Face checkpoints hold it: one tensor per expert, the convolution filters
    [channels, 1, kernel] as PyTorch stores them, and every norm but the gated one stored as its
    offset from one (mlx-lm adds the one back as it loads such a checkpoint)."""
    out = {}
    for key, value in per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)(weights).items():
        if key.endswith(".linear_attn.conv1d.weight"):
            value = value.transpose(0, 2, 1)
        elif key.endswith(QWEN3_NEXT_NORMS):
            value = value - 1.0
        out[key] = value
    return out


# Qwen3.5 dense: every second layer attends (full_attention_interval; mlx-lm reads no layer_types) with
# half of each 16-wide head rotated under multimodal RoPE sections, the gated delta rule elsewhere with
# its projections held separately: 2 key heads of 16 serving 4 value heads of 8, 4-tap filters.
QWEN3_5_TEXT = {
    "model_type": "qwen3_5_text", "hidden_size": 64, "num_hidden_layers": 4, "intermediate_size": 96,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6, "vocab_size": 256,
    "max_position_embeddings": 512, "linear_num_key_heads": 2, "linear_num_value_heads": 4,
    "linear_key_head_dim": 16, "linear_value_head_dim": 8, "linear_conv_kernel_dim": 4, "full_attention_interval": 2,
    "tie_word_embeddings": False, "attention_bias": False,
    "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5,
                        "mrope_section": [2, 1, 1], "mrope_interleaved": True},
}


def qwen3_5_checkpoint(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """Qwen3.5 as Hugging Face multimodal checkpoints hold it: the text model under
    model.language_model., the head at the top, the convolution filters [channels, 1, kernel] as PyTorch
    stores them, and every norm but the gated one stored as its offset from one."""
    out = {}
    for key, value in weights.items():
        if key.endswith(".linear_attn.conv1d.weight"):
            value = value.transpose(0, 2, 1)
        elif key.endswith(QWEN3_NEXT_NORMS):
            value = value - 1.0
        if key.startswith("language_model.model."):
            key = "model.language_model." + key[len("language_model.model."):]
        elif key.startswith("language_model."):
            key = key[len("language_model."):]
        out[key] = value
    return out


# Qwen3.5 mixture of experts: Qwen3.5's mixers, then on every layer 8 experts top-2 renormalised beside
# a gated shared expert.
QWEN3_5_MOE_TEXT = with_({k: v for k, v in QWEN3_5_TEXT.items() if k != "intermediate_size"},
                         model_type="qwen3_5_moe_text", num_experts=8, num_experts_per_tok=2,
                         moe_intermediate_size=32, shared_expert_intermediate_size=48, norm_topk_prob=True)


def qwen3_5_moe_checkpoint(weights: dict[str, mx.array]) -> dict[str, mx.array]:
    """Qwen3.5-MoE as released checkpoints hold it: Qwen3.5's layout, each layer's experts as two bare
    tensors, experts.gate_up_proj [E, 2I, D] (gate rows first) and experts.down_proj [E, D, I]."""
    out = qwen3_5_checkpoint(weights)
    for key in [k for k in out if k.endswith(".mlp.switch_mlp.gate_proj.weight")]:
        prefix = key[: -len(".switch_mlp.gate_proj.weight")]
        gate = out.pop(key)
        up = out.pop(f"{prefix}.switch_mlp.up_proj.weight")
        out[f"{prefix}.experts.gate_up_proj"] = mx.concatenate([gate, up], axis=1)
        out[f"{prefix}.experts.down_proj"] = out.pop(f"{prefix}.switch_mlp.down_proj.weight")
    return out


FIXTURES = [
    Fixture("llama", "llama", "plain llama, GQA 2", LLAMA),
    Fixture("llama_mha_tied", "llama", "tied embeddings, one key/value head per query head",
            with_(LLAMA, num_key_value_heads=4, tie_word_embeddings=True)),
    Fixture("llama_bias", "llama", "attention_bias and mlp_bias",
            with_(LLAMA, attention_bias=True, mlp_bias=True)),
    Fixture("llama_rope_llama3", "llama", "llama3 rope_scaling, original context below the prompt",
            with_(LLAMA, rope_theta=500000.0, rope_scaling=LLAMA3_SCALING)),
    Fixture("llama_rope_dynamic", "llama",
            "dynamic NTK scaling, max_position_embeddings 16: the prompt and each decode step past it raise the base",
            with_(LLAMA, max_position_embeddings=16, rope_scaling={"type": "dynamic", "factor": 2.0})),
    Fixture("llama_rope_parameters", "llama",
            "the llama3 fixture written the transformers-5 way (rope_parameters)",
            with_({k: v for k, v in LLAMA.items() if k != "rope_theta"},
                  rope_parameters=dict(LLAMA3_SCALING, rope_theta=500000.0)),
            reference_config=with_(LLAMA, rope_theta=500000.0, rope_scaling=LLAMA3_SCALING)),
    Fixture("llama_rope_linear", "llama", "linear rope_scaling",
            with_(LLAMA, rope_scaling={"rope_type": "linear", "factor": 4.0})),
    Fixture("llama_rope_yarn", "llama", "yarn rope_scaling with mscale",
            with_(LLAMA, rope_theta=150000.0,
                  rope_scaling={"rope_type": "yarn", "factor": 8.0, "beta_fast": 32.0, "beta_slow": 1.0,
                                "mscale": 1.0, "mscale_all_dim": 0.0, "original_max_position_embeddings": 16})),
    Fixture("llama_rope_longrope", "llama",
            "longrope rope_scaling, original context below the prompt (the long factors, in both references)",
            with_(LLAMA, max_position_embeddings=2048,
                  rope_scaling={"rope_type": "longrope", "original_max_position_embeddings": 16,
                                "short_factor": [1.0 + 0.05 * i for i in range(8)],
                                "long_factor": [1.0 + 0.3 * i for i in range(8)]})),
    Fixture("mistral", "mistral", "head_dim 32, not hidden/heads; sliding_window null; GQA 4",
            with_(LLAMA, model_type="mistral", num_attention_heads=8, num_key_value_heads=2, head_dim=32,
                  sliding_window=None, rope_theta=1000000.0)),
    Fixture("phi3", "phi3", "fused qkv and gate_up projections, GQA 2",
            with_(LLAMA, model_type="phi3")),
    Fixture("phi3_partial", "phi3", "partial_rotary_factor 0.75, rope_traditional",
            with_(LLAMA, model_type="phi3", partial_rotary_factor=0.75, rope_traditional=True)),
    Fixture("phi3_longrope", "phi3",
            "longrope over 0.75 of each head; original context (top level) below the prompt",
            with_(LLAMA, model_type="phi3", partial_rotary_factor=0.75, max_position_embeddings=4096,
                  original_max_position_embeddings=16,
                  rope_scaling={"type": "longrope", "short_factor": [1.0 + 0.05 * i for i in range(6)],
                                "long_factor": [1.0 + 0.4 * i for i in range(6)]})),
    Fixture("gemma3_tied", "gemma3", "no lm_head in the checkpoint (tied by default), sliding window 5",
            GEMMA3, windows=[5], drop=["lm_head.weight"]),
    Fixture("gemma3_untied", "gemma3", "an lm_head in the checkpoint, tie_word_embeddings false",
            with_(GEMMA3, tie_word_embeddings=False), windows=[5]),
    Fixture("gemma3_rope_linear", "gemma3", "linear rope_scaling on the global layers",
            with_(GEMMA3, rope_scaling={"rope_type": "linear", "factor": 8.0}), windows=[5],
            drop=["lm_head.weight"]),
    Fixture("gemma3_wrapper", "gemma3",
            "a multimodal checkpoint: text_config, top-level vocab_size, language_model. weights",
            {"model_type": "gemma3", "vocab_size": 256,
             "text_config": {k: v for k, v in GEMMA3.items()
                             if k not in ("num_attention_heads", "num_key_value_heads")}},
            windows=[5], drop=["language_model.lm_head.weight"]),
    Fixture("smollm3", "smollm3", "4 layers, no_rope_layers derived: the 4th layer is NoPE",
            with_(LLAMA, model_type="smollm3", num_hidden_layers=4)),
    Fixture("smollm3_explicit", "smollm3",
            "an explicit no_rope_layers list that the interval would not give; tied",
            with_(LLAMA, model_type="smollm3", num_hidden_layers=4, no_rope_layers=[0, 1, 0, 1],
                  no_rope_layer_interval=4, tie_word_embeddings=True)),
    Fixture("ministral3", "mistral3", "YaRN and Llama-4 query scaling from rope_parameters, untied",
            MINISTRAL3),
    Fixture("ministral3_sliding", "mistral3",
            "plain RoPE (rope_type default), a sliding layer, tied",
            with_(MINISTRAL3, tie_word_embeddings=True,
                  layer_types=["sliding_attention", "full_attention"], sliding_window=6,
                  rope_parameters={"rope_type": "default", "rope_theta": 10000.0,
                                   "original_max_position_embeddings": 4, "llama_4_scaling_beta": 0.5}),
            windows=[6]),
    Fixture("mistral3_wrapper", "mistral3",
            "a multimodal checkpoint holding ministral3: text_config, untied at the top level",
            {"model_type": "mistral3", "tie_word_embeddings": False,
             "text_config": {k: v for k, v in MINISTRAL3.items() if k != "tie_word_embeddings"}}),
    Fixture("mistral3_mistral", "mistral",
            "a multimodal checkpoint holding a Mistral text model, as Mistral Small 3.x does, untied",
            {"model_type": "mistral3", "tie_word_embeddings": False,
             "text_config": with_({k: v for k, v in LLAMA.items() if k != "tie_word_embeddings"},
                                  model_type="mistral", head_dim=32, rope_theta=1000000000.0)}),
    Fixture("gpt_oss", "gpt_oss", "sinks, YaRN, sliding window 6, 8 experts top-2, clamped SwiGLU",
            GPT_OSS, windows=[6]),
    Fixture("gpt_oss_fused", "gpt_oss",
            "expert gate/up fused with interleaved rows; layer_types derived; plain RoPE",
            with_({k: v for k, v in GPT_OSS.items() if k not in ("layer_types", "rope_scaling")},
                  num_experts_per_tok=3),
            windows=[6], layout=fused_expert_gate_up),
    Fixture("gemma3n", "gemma3n",
            "AltUp (4 streams), LAuReL, per-layer inputs (tokens "
            "above their vocabulary), 2 KV-sharing layers, sparse GELU, per-layer widths, softcap",
            {"model_type": "gemma3n", "text_config": GEMMA3N_TEXT}, windows=[5], token_by_token=True),
    Fixture("gemma3n_dense", "gemma3n",
            "one MLP width, no sparsity, no KV sharing, no coefficient clip or output scale, no softcap",
            {"model_type": "gemma3n",
             "text_config": with_(GEMMA3N_TEXT, intermediate_size=112, activation_sparsity_pattern=None,
                                  num_kv_shared_layers=0, altup_coef_clip=None, altup_correct_scale=False,
                                  final_logit_softcapping=None, altup_active_idx=1)},
            windows=[5], token_by_token=True),
    Fixture("gemma4", "gemma4",
            "per-layer inputs, 2 KV-sharing layers with double-wide MLPs, full layers 32 wide with one key/value "
            "head and values from the keys, proportional RoPE over a quarter, softcap, tied",
            GEMMA4_TEXT, windows=[5], token_by_token=True),
    Fixture("gemma4_moe", "gemma4",
            "8 GELU experts top-2 beside each MLP, router with its own norm and per-expert scales; proportional "
            "RoPE over half with factor 2; untied",
            GEMMA4_MOE, windows=[5]),
    Fixture("gemma4_moe_hf", "gemma4",
            "top-3 experts saved as transformers does (a bare gate_up_proj, gate rows first, and down_proj)",
            with_(GEMMA4_MOE, top_k_experts=3), windows=[5], layout=bare_gate_up_experts("experts.switch_glu", "experts")),
    Fixture("gemma4_wrapper_hf", "gemma4",
            "a multimodal checkpoint in the Hugging Face layout: vision and audio towers and embedders to drop",
            {"model_type": "gemma4", "vocab_size": 256, "text_config": GEMMA4_TEXT},
            windows=[5],
            layout=hf_checkpoint(rename={"language_model.model.": "model.language_model."},
                                 extra={"model.vision_tower.encoder.layers.0.self_attn.q_proj.linear.weight": (8, 8),
                                        "model.embed_vision.embedding_projection.weight": (64, 8),
                                        "model.audio_tower.layers.0.feed_forward1.ffw_layer_1.linear.weight": (8, 8),
                                        "model.embed_audio.embedding_projection.weight": (64, 8)})),
    Fixture("helium", "helium", "q/k/v bias (none on o), MLP bias",
            with_(LLAMA, model_type="helium", attention_bias=True, mlp_bias=True, head_dim=16)),
    Fixture("helium_tied", "helium", "tied; the checkpoint still holds the lm_head mlx-lm always builds",
            with_(LLAMA, model_type="helium", attention_bias=False, mlp_bias=False, head_dim=16,
                  tie_word_embeddings=True)),
    Fixture("ernie4_5", "ernie4_5", "use_bias on every projection, head_dim null",
            with_(LLAMA, model_type="ernie4_5", use_bias=True, head_dim=None)),
    Fixture("ernie4_5_tied", "ernie4_5", "no biases, tied, head_dim 32",
            with_(LLAMA, model_type="ernie4_5", use_bias=False, head_dim=32, tie_word_embeddings=True)),
    Fixture("seed_oss", "seed_oss", "q/k/v bias without an output bias, MLP bias, linear rope_scaling",
            with_(LLAMA, model_type="seed_oss", head_dim=32, attention_bias=True, attention_out_bias=False,
                  mlp_bias=True, rope_scaling={"rope_type": "linear", "factor": 2.0})),
    Fixture("seed_oss_out_bias", "seed_oss", "an output bias only, interleaved RoPE, tied",
            with_(LLAMA, model_type="seed_oss", head_dim=16, attention_bias=False, attention_out_bias=True,
                  rope_traditional=True, tie_word_embeddings=True)),
    Fixture("olmo2", "olmo2", "post-norm blocks, whole-projection q/k norms, attention biases, GQA 2",
            with_(LLAMA, model_type="olmo2", attention_bias=True)),
    Fixture("olmo2_dynamic", "olmo2", "dynamic NTK scaling past max_position_embeddings 20, interleaved RoPE",
            with_(LLAMA, model_type="olmo2", max_position_embeddings=20, rope_traditional=True,
                  rope_scaling={"rope_type": "dynamic", "factor": 3.0})),
    Fixture("olmo2_scaled", "olmo2", "head_dim 32, interleaved RoPE with llama3 scaling, tied",
            with_(LLAMA, model_type="olmo2", head_dim=32, rope_traditional=True, tie_word_embeddings=True,
                  rope_scaling=LLAMA3_SCALING)),
    Fixture("granite", "granite", "embedding, attention, residual and logit multipliers; biases",
            with_(LLAMA, model_type="granite", attention_bias=True, mlp_bias=True, embedding_multiplier=12.0,
                  attention_multiplier=0.0078125, residual_multiplier=0.22, logits_scaling=8.0)),
    Fixture("granite_dynamic", "granite", "dynamic NTK scaling past max_position_embeddings 12",
            with_(LLAMA, model_type="granite", attention_bias=False, mlp_bias=False, embedding_multiplier=3.0,
                  attention_multiplier=0.25, residual_multiplier=0.5, logits_scaling=2.0,
                  max_position_embeddings=12, rope_scaling={"type": "dynamic", "factor": 4.0})),
    Fixture("granite_tied", "granite", "tied, no biases, linear rope_scaling",
            with_(LLAMA, model_type="granite", attention_bias=False, mlp_bias=False, embedding_multiplier=3.0,
                  attention_multiplier=0.25, residual_multiplier=0.5, logits_scaling=2.0,
                  tie_word_embeddings=True, rope_scaling={"rope_type": "linear", "factor": 4.0})),
    Fixture("starcoder2", "starcoder2", "LayerNorm, biases everywhere, ungated exact-GELU MLP (hidden_act gelu)",
            with_({k: v for k, v in LLAMA.items() if k != "rms_norm_eps"}, model_type="starcoder2",
                  norm_epsilon=1e-5, rope_theta=100000.0, hidden_act="gelu")),
    Fixture("starcoder2_tied", "starcoder2", "tied, GQA 4 (one key/value head)",
            with_({k: v for k, v in LLAMA.items() if k != "rms_norm_eps"}, model_type="starcoder2",
                  num_key_value_heads=1, tie_word_embeddings=True, hidden_act="gelu")),
    Fixture("phi", "phi", "parallel attention and MLP behind one LayerNorm, half of each head rotated, GQA 2",
            with_(PHI, partial_rotary_factor=0.5)),
    Fixture("phi_mha", "phi", "6 of 16 dimensions rotated (0.4, as Phi-2), one key/value head per query head",
            with_(PHI, num_key_value_heads=4, partial_rotary_factor=0.4, rope_theta=20000.0)),
    Fixture("stablelm", "stablelm", "LayerNorm, a quarter of each head rotated, q/k/v biases, GQA 2",
            with_(STABLELM, use_qkv_bias=True, partial_rotary_factor=0.25)),
    Fixture("stablelm_parallel", "stablelm", "attention and MLP side by side behind one norm, half rotated, no bias",
            with_(STABLELM, use_qkv_bias=False, use_parallel_residual=True, partial_rotary_factor=0.5,
                  num_key_value_heads=4)),
    Fixture("cohere", "cohere", "parallel attention and MLP behind one bias-free LayerNorm, q/k LayerNorms per head, "
            "interleaved RoPE, logit_scale 0.25, GQA 2", with_(COHERE, use_qk_norm=True)),
    Fixture("cohere_bias", "cohere", "biases on every attention projection, no q/k norms, one key/value head per "
            "query head, logit_scale 0.0625", with_(COHERE, attention_bias=True, num_key_value_heads=4,
                                                     logit_scale=0.0625, rope_theta=20000.0)),
    Fixture("gpt2", "gpt2", "learned positions (32, the prompt and decode reach 27), fused c_attn, tied",
            GPT2, norm_weights=GPT2_NORMS),
    Fixture("gpt2_hf", "gpt2", "GPT-2's original layout: bare keys, Conv1D matrices [in, out], causal-mask "
            "buffers to drop; three layers", with_(GPT2, n_layer=3),
            layout=gpt2_original_checkpoint(3, 32), norm_weights=GPT2_NORMS),
    Fixture("gpt_bigcode", "gpt_bigcode", "multi-query attention (c_attn 64 + 2 * 16 wide), learned positions, "
            "exact GELU, n_inner 96, tied", GPT_BIGCODE, norm_weights=GPT2_NORMS),
    Fixture("llama_hf", "llama", "Hugging Face layout: a rotary inv_freq table and a tied lm_head to drop",
            with_(LLAMA, tie_word_embeddings=True),
            layout=hf_checkpoint(extra={"model.layers.0.self_attn.rotary_emb.inv_freq": (8,),
                                        "model.layers.1.self_attn.rotary_emb.inv_freq": (8,),
                                        "lm_head.weight": (256, 64)})),
    Fixture("mimo_hf", "mimo", "Hugging Face layout: a multi-token-prediction layer and rotary inv_freq tables to drop",
            with_(LLAMA, model_type="mimo", rope_theta=640000.0, num_nextn_predict_layers=1),
            layout=hf_checkpoint(extra={"model.layers.0.self_attn.rotary_emb.inv_freq": (8,),
                                        "model.mtp_layers.0.input_layernorm.weight": (64,),
                                        "model.mtp_layers.0.token_layernorm.weight": (64,),
                                        "model.mtp_layers.0.input_proj.weight": (64, 128),
                                        "model.mtp_layers.0.self_attn.q_proj.weight": (64, 64)})),
    Fixture("gemma3_wrapper_hf", "gemma3", "Hugging Face layout of a multimodal checkpoint: vision tower and projector",
            {"model_type": "gemma3", "vocab_size": 256,
             "text_config": {k: v for k, v in GEMMA3.items()
                             if k not in ("num_attention_heads", "num_key_value_heads")}},
            windows=[5], drop=["language_model.lm_head.weight"],
            layout=hf_checkpoint(extra={"vision_tower.vision_model.post_layernorm.weight": (16,),
                                        "multi_modal_projector.mm_input_projection_weight": (16, 8)})),
    Fixture("mistral3_hf", "mistral3",
            "Hugging Face layout (model.language_model., a top-level lm_head, vision tower, projector)",
            {"model_type": "mistral3", "tie_word_embeddings": False,
             "text_config": {k: v for k, v in MINISTRAL3.items() if k != "tie_word_embeddings"}},
            layout=hf_checkpoint(rename={"language_model.model.": "model.language_model.",
                                         "language_model.lm_head.": "lm_head."},
                                 extra={"model.vision_tower.transformer.layers.0.attention.q_proj.weight": (8, 8),
                                        "model.multi_modal_projector.linear_1.weight": (8, 8)})),
    Fixture("mistral3_hf_bf16_sharded", "mistral3",
            "the Hugging Face layout of a multimodal checkpoint in bfloat16, in two shards",
            {"model_type": "mistral3", "tie_word_embeddings": False,
             "text_config": {k: v for k, v in MINISTRAL3.items() if k != "tie_word_embeddings"}},
            dtype="bfloat16", shards=2,
            layout=hf_checkpoint(rename={"language_model.model.": "model.language_model.",
                                         "language_model.lm_head.": "lm_head."},
                                 extra={"model.vision_tower.transformer.layers.0.attention.q_proj.weight": (8, 8),
                                        "model.multi_modal_projector.linear_1.weight": (8, 8)})),
    Fixture("gemma3n_hf", "gemma3n", "Hugging Face layout: vision and audio towers and their embedders",
            {"model_type": "gemma3n", "text_config": with_(GEMMA3N_TEXT, num_kv_shared_layers=0)},
            windows=[5],
            layout=hf_checkpoint(extra={"model.vision_tower.timm_model.conv_stem.conv.weight": (4, 4),
                                        "model.audio_tower.conformer.0.attention.attn.q_proj.weight": (4, 4),
                                        "model.embed_vision.embedding.weight": (4, 4),
                                        "model.embed_audio.embedding.weight": (4, 4)})),
    Fixture("mixtral", "mixtral", "4 experts top-2 (block_sparse_moe: gate, switch_mlp), GQA 2", MIXTRAL),
    Fixture("mixtral_hf", "mixtral", "Hugging Face layout: one w1/w2/w3 per expert, stacked by sanitize",
            with_(MIXTRAL, num_experts_per_tok=3, rope_traditional=True),
            layout=per_expert_checkpoint("block_sparse_moe", "switch_mlp",
                                         {"w1": "gate_proj", "w2": "down_proj", "w3": "up_proj"})),
    Fixture("mixtral_q8_sharded", "mixtral", "8-bit experts (quantized switch layers) in two shards",
            MIXTRAL, quantize={"group_size": 32, "bits": 8}, shards=2),
    Fixture("qwen3_moe", "qwen3_moe", "8 experts top-2, renormalised; layer 0 dense (mlp_only_layers)",
            QWEN3_MOE),
    Fixture("qwen3_moe_step2", "qwen3_moe",
            "decoder_sparse_step 2: layers 1 and 3 experts; top-3 scores not renormalised; tied",
            with_(QWEN3_MOE, decoder_sparse_step=2, mlp_only_layers=[], num_experts_per_tok=3,
                  norm_topk_prob=False, tie_word_embeddings=True)),
    Fixture("qwen3_moe_hf", "qwen3_moe", "Hugging Face layout: one tensor per expert, stacked by sanitize",
            QWEN3_MOE, layout=per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)),
    Fixture("qwen3_moe_q4", "qwen3_moe", "4-bit experts and attention in groups of 32, as mlx_lm.convert writes",
            QWEN3_MOE, quantize={"group_size": 32, "bits": 4}),
    Fixture("qwen2_moe", "qwen2_moe", "8 experts top-2 beside a sigmoid-gated shared expert of width 48",
            QWEN2_MOE),
    Fixture("qwen2_moe_hf", "qwen2_moe", "Hugging Face layout: one tensor per expert, stacked by sanitize",
            QWEN2_MOE, layout=per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)),
    Fixture("qwen2_moe_q4", "qwen2_moe", "4-bit experts, shared expert and attention in groups of 32",
            QWEN2_MOE, quantize={"group_size": 32, "bits": 4}),
    Fixture("olmoe", "olmoe", "8 experts top-2 on every layer, whole q/k norms, untied", OLMOE),
    Fixture("olmoe_hf", "olmoe", "Hugging Face layout: one tensor per expert; top-3 renormalised, q/k/v/o bias",
            with_(OLMOE, num_experts_per_tok=3, norm_topk_prob=True, attention_bias=True),
            layout=per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)),
    Fixture("olmoe_q4", "olmoe", "4-bit experts and attention in groups of 32", OLMOE,
            quantize={"group_size": 32, "bits": 4}),
    Fixture("glm4_moe", "glm4_moe", "2 groups of 4 experts, 1 kept, top-2 sigmoid with a selection bias, scaled 2.5",
            GLM4_MOE),
    Fixture("glm4_moe_hf", "glm4_moe",
            "one group, top-3 not renormalised, 2 shared experts wide, no bias; per-expert tensors and a "
            "multi-token prediction layer, as Hugging Face checkpoints hold them",
            with_(GLM4_MOE, n_group=1, topk_group=1, num_experts_per_tok=3, norm_topk_prob=False,
                  routed_scaling_factor=1.0, n_shared_experts=2, attention_bias=False, num_nextn_predict_layers=1),
            layout=with_extra_layer(per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES), 3,
                                    {"input_layernorm.weight": (64,), "self_attn.q_proj.weight": (64, 64),
                                     "mlp.experts.0.gate_proj.weight": (32, 64)})),
    Fixture("glm4_moe_q4", "glm4_moe", "4-bit experts and attention in groups of 32, the router kept dense",
            GLM4_MOE, quantize={"group_size": 32, "bits": 4}),
    Fixture("llama4", "llama4",
            "chunks of 8 past the prompt's start, NoPE with temperature tuning on layer 3, experts on "
            "layers 1 and 3 on the token scaled by sigmoid(logit), q/k norms, llama3 RoPE; multimodal wrapper",
            LLAMA4, windows=[8], token_by_token=True),
    Fixture("llama4_hf", "llama4",
            "experts on every layer, chunks of 5, q/k/v/o bias, no q/k norm; transformers' fused experts "
            "(gate_up_proj [E, D, 2I]) and a vision tower, as Hugging Face checkpoints hold them",
            with_(LLAMA4, text_config=with_(LLAMA4_TEXT, interleave_moe_layer_step=1, attention_chunk_size=5,
                                            attention_bias=True, use_qk_norm=False)),
            windows=[5], token_by_token=True,
            layout=then(transformers_llama4_experts,
                        hf_checkpoint(extra={"vision_model.patch_embedding.linear.weight": (16, 48),
                                             "multi_modal_projector.linear_1.weight": (64, 16)}))),
    Fixture("llama4_q4", "llama4", "4-bit experts, router and attention in groups of 32", LLAMA4,
            windows=[8], quantize={"group_size": 32, "bits": 4}),
    Fixture("llama4_text_dense", "llama4",
            "llama4_text as mlx-lm's dense llama4_text.py reads it where transformers agrees: no expert "
            "layers (moe_layers empty), every layer rotated and q/k-normed, no chunk size, tied",
            {"model_type": "llama4_text", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 32,
             "intermediate_size_mlp": 96, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
             "rms_norm_eps": 1e-5, "vocab_size": 256, "rope_theta": 10000.0, "tie_word_embeddings": True,
             "no_rope_layers": [1, 1], "use_qk_norm": True, "moe_layers": []}),
    Fixture("ernie4_5_moe", "ernie4_5_moe",
            "experts on layers 1-2 of 4, softmax top-2 of 8 renormalised, a shared expert; zero selection bias",
            ERNIE4_5_MOE, layout=with_zeros(None, ernie_selection_bias([1, 2], 8)), held_constant=ERNIE_BIAS),
    Fixture("ernie4_5_moe_hf", "ernie4_5_moe",
            "every 2nd layer from 0 to the last (no end index), top-3, 2 shared experts wide, tied; "
            "per-expert tensors as Hugging Face checkpoints hold them",
            with_({k: v for k, v in ERNIE4_5_MOE.items() if k != "moe_layer_end_index"}, moe_layer_start_index=0,
                  moe_layer_interval=2, moe_k=3, moe_num_shared_experts=2, tie_word_embeddings=True),
            layout=with_zeros(per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES),
                              ernie_selection_bias([1, 3], 8)), held_constant=ERNIE_BIAS),
    Fixture("ernie4_5_moe_q4", "ernie4_5_moe", "4-bit experts and attention in groups of 32, the routers kept dense",
            ERNIE4_5_MOE, layout=with_zeros(None, ernie_selection_bias([1, 2], 8)), held_constant=ERNIE_BIAS,
            quantize={"group_size": 32, "bits": 4,
                      "layers": {f"model.layers.{i}.mlp.gate": False for i in (1, 2)}}),
    Fixture("deepseek", "deepseek",
            "layer 0 dense, experts on layers 2 and 4 (moe_layer_freq 2), top-2 of 8 by softmax, 2 experts "
            "wide of shared experts, q/k/v/o bias, linear RoPE scaling", DEEPSEEK),
    Fixture("deepseek_hf", "deepseek",
            "experts on every layer, top-3 of 8, one expert wide of shared experts, no bias; per-expert "
            "tensors and the training keys of DeepSeek's own config, as Hugging Face checkpoints hold them",
            with_(DEEPSEEK, num_hidden_layers=3, first_k_dense_replace=0, moe_layer_freq=1, num_experts_per_tok=3,
                  n_shared_experts=1, attention_bias=False, rope_scaling=None, hidden_act="silu",
                  norm_topk_prob=False, scoring_func="softmax", aux_loss_alpha=0.001, seq_aux=True,
                  pretraining_tp=1, tie_word_embeddings=False),
            layout=per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)),
    Fixture("deepseek_q4", "deepseek", "4-bit experts, shared experts and attention in groups of 32, the router "
            "kept dense", DEEPSEEK, quantize={"group_size": 32, "bits": 4}),
    Fixture("dots1", "dots1", "2 groups of 4 experts, 1 kept, top-2 sigmoid with a selection bias, renormalised, "
            "scaled 2.5; per-head q/k norms", DOTS1),
    Fixture("dots1_hf", "dots1",
            "experts on every layer, one group, top-3 not renormalised, 2 shared experts wide, tied; per-expert "
            "tensors and the routing keys dots.llm1 configs carry, as Hugging Face checkpoints hold them",
            with_(DOTS1, first_k_dense_replace=0, n_group=1, topk_group=1, num_experts_per_tok=3,
                  norm_topk_prob=False, routed_scaling_factor=1.0, n_shared_experts=2, tie_word_embeddings=True,
                  scoring_func="noaux_tc", topk_method="noaux_tc", moe_layer_freq=1),
            layout=per_expert_checkpoint("mlp", "experts", QWEN3_MOE_NAMES)),
    Fixture("dots1_q4", "dots1", "4-bit experts, shared expert and attention in groups of 32, the router kept dense",
            DOTS1, quantize={"group_size": 32, "bits": 4}),
    Fixture("deepseek_v3", "deepseek_v3",
            "latent attention through a query rank under YaRN past its original context of 8, both mscales; "
            "2 groups of 4 experts, 1 kept, top-2 sigmoid with a selection bias, scaled 2.5; q_a/kv_a/o bias",
            DEEPSEEK_V3),
    Fixture("deepseek_v3_hf", "deepseek_v3",
            "kimi_k2: q_proj (no query rank), plain RoPE, one group, top-3 not renormalised, 2 shared experts "
            "wide, experts on every layer; kv_b_proj and per-expert tensors, as Hugging Face checkpoints hold them",
            with_(DEEPSEEK_V3, model_type="kimi_k2", q_lora_rank=None, rope_scaling=None, attention_bias=False,
                  n_group=1, topk_group=1, num_experts_per_tok=3, norm_topk_prob=False, routed_scaling_factor=1.0,
                  n_shared_experts=2, first_k_dense_replace=0, num_nextn_predict_layers=1),
            layout=then(kv_b_proj_checkpoint, per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES))),
    Fixture("deepseek_v3_q4", "deepseek_v3",
            "4-bit experts, attention, embed_q and unembed_out (32 no-RoPE dimensions per head) in groups of 32, "
            "the router kept dense", with_(DEEPSEEK_V3, qk_nope_head_dim=32),
            quantize={"group_size": 32, "bits": 4}),
    Fixture("mistral4", "mistral4",
            "latent attention through a query rank under YaRN past its original context of 8, both mscales, "
            "queries scaled by position (beta 0.3, steps of 8); 2 groups of 4 experts, 1 kept, top-2 softmax "
            "renormalised, scaled 1.5; layer 0 dense", MISTRAL4),
    Fixture("mistral4_hf", "mistral4",
            "q_proj (no query rank), RoPE on the halves (rope_interleave false), both mscales 1, beta 0.5, "
            "one group, top-3 not renormalised, 2 shared experts wide, experts on every layer, tied; kv_b_proj "
            "and the experts' gate_up_proj and down_proj, as Hugging Face checkpoints hold them",
            with_(MISTRAL4, q_lora_rank=None, rope_interleave=False, n_group=1, topk_group=1,
                  num_experts_per_tok=3, norm_topk_prob=False, routed_scaling_factor=1.0, n_shared_experts=2,
                  first_k_dense_replace=0, tie_word_embeddings=True,
                  rope_parameters=dict(MISTRAL4["rope_parameters"], mscale_all_dim=1.0, llama_4_scaling_beta=0.5)),
            layout=then(kv_b_proj_checkpoint, bare_gate_up_experts("mlp.switch_mlp", "mlp.experts"))),
    Fixture("kimi_vl", "deepseek_v3",
            "a Kimi-VL checkpoint: text_config leaving out keys whose mlx-lm defaults differ from "
            "DeepseekV3Config's (one group, unscaled, no dense layer), language_model. weights; top-2 stated "
            "(mlx-lm never renormalises a single expert, transformers does)", {"model_type": "kimi_vl", "text_config": {
                k: v for k, v in DEEPSEEK_V3.items()
                if k not in ("n_group", "topk_group", "routed_scaling_factor", "first_k_dense_replace",
                             "tie_word_embeddings")}}),
    Fixture("kimi_vl_hf", "deepseek_v3",
            "a Kimi-VL checkpoint as Hugging Face holds it: q_proj (no query rank), plain RoPE, top-3 of 8 "
            "renormalised, 2 shared experts wide, layer 0 dense; per-expert tensors, the vision tower, projector "
            "and RoPE tables beside them (mlx-lm's kimi_vl.py does not split kv_b_proj, so embed_q stays)",
            {"model_type": "kimi_vl", "tie_word_embeddings": False, "media_placeholder_token_id": 255,
             "ignore_index": -100, "vision_config": {"model_type": "moonvit", "hidden_size": 16},
             "text_config": with_(DEEPSEEK_V3, q_lora_rank=None, rope_scaling=None, attention_bias=False,
                                  n_group=1, topk_group=1, num_experts_per_tok=3, routed_scaling_factor=1.0,
                                  n_shared_experts=2)},
            layout=then(per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES),
                        hf_checkpoint(extra={
                            "vision_tower.encoder.blocks.0.wqkv.weight": (48, 16),
                            "multi_modal_projector.linear_1.weight": (64, 64),
                            "language_model.model.layers.0.self_attn.rotary_emb.inv_freq": (4,)}))),
    Fixture("youtu_llm", "youtu",
            "latent attention through a query rank, interleaved RoPE (rope_traditional) under YaRN past its "
            "original context of 8 without mscale_all_dim (mlx-lm leaves the softmax scale unscaled), q_a/kv_a/o "
            "bias, a dense SwiGLU MLP, tied; kv_b_proj whole, as mlx-lm holds it",
            {"model_type": "youtu_llm", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 96,
             "num_attention_heads": 4, "num_key_value_heads": 4, "rms_norm_eps": 1e-6, "vocab_size": 256,
             "rope_theta": 10000.0, "max_position_embeddings": 32, "attention_bias": True, "mlp_bias": False,
             "q_lora_rank": 48, "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8,
             "v_head_dim": 24, "rope_traditional": True, "tie_word_embeddings": True,
             "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 8,
                              "beta_fast": 32, "beta_slow": 1, "mscale": 1.0}}),
    Fixture("deepseek_v2", "deepseek_v2",
            "latent attention through a query rank under YaRN past its original context of 8, both mscales; "
            "top-2 softmax among the experts of the 2 of 4 groups with the best top score, scaled 2",
            DEEPSEEK_V2),
    Fixture("deepseek_v2_hf", "deepseek_v2",
            "greedy top-3 over all 8 experts though n_group is 4, q_proj (no query rank), YaRN with mscales of "
            "0.707, q_a/kv_a/o bias, 2 shared experts wide, experts on every layer; per-expert tensors",
            with_(DEEPSEEK_V2, topk_method="greedy", q_lora_rank=None, num_experts_per_tok=3, n_shared_experts=2,
                  first_k_dense_replace=0, attention_bias=True, routed_scaling_factor=1.0,
                  rope_scaling={"type": "yarn", "factor": 2.0, "original_max_position_embeddings": 16,
                                "mscale": 0.707, "mscale_all_dim": 0.707}),
            layout=per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)),
    Fixture("deepseek_v2_q4", "deepseek_v2", "4-bit experts and attention (kv_b_proj whole) in groups of 32, the "
            "router kept dense", DEEPSEEK_V2, quantize={"group_size": 32, "bits": 4}),
    Fixture("glm4_moe_lite", "glm4_moe_lite",
            "latent attention through a query rank, RoPE base 1e6; layer 0 dense, then 2 groups of 4 experts, 1 "
            "kept, top-2 sigmoid with a selection bias, renormalised, scaled 1.8", GLM4_MOE_LITE),
    Fixture("glm4_moe_lite_hf", "glm4_moe_lite",
            "q_proj (no query rank), one group, top-3 not renormalised, 2 shared experts wide; kv_b_proj, "
            "per-expert tensors and a multi-token prediction layer, as Hugging Face checkpoints hold them",
            with_(GLM4_MOE_LITE, q_lora_rank=None, n_group=1, topk_group=1, num_experts_per_tok=3,
                  norm_topk_prob=False, routed_scaling_factor=1.0, n_shared_experts=2, num_nextn_predict_layers=1),
            layout=with_extra_layer(then(kv_b_proj_checkpoint, per_expert_checkpoint("mlp", "switch_mlp",
                                                                                     QWEN3_MOE_NAMES)), 3,
                                    {"input_layernorm.weight": (64,), "self_attn.kv_b_proj.weight": (160, 32),
                                     "mlp.experts.0.gate_proj.weight": (32, 64)})),
    Fixture("lfm2", "lfm2",
            "convolution, attention, convolution, attention by layer_types; a 3-tap filter without biases; the "
            "MLP two thirds of 200, times 1.5, rounded up to a multiple of 32 (224)", LFM2),
    Fixture("lfm2_hf", "lfm2",
            "attention on layers 0 and 3 by full_attn_idxs alone, 4-tap filters, biases on the convolutions and "
            "their projections, the MLP 96 wide unadjusted; the filters [hidden, 1, kernel] as PyTorch stores them",
            with_({k: v for k, v in LFM2.items() if k != "layer_types"}, full_attn_idxs=[0, 3], conv_bias=True,
                  conv_L_cache=4, block_ff_dim=96, block_auto_adjust_ff_dim=False),
            layout=pytorch_convolutions),
    Fixture("lfm2_moe", "lfm2_moe",
            "LFM2's mixers by layer_types; layer 0 dense, then 8 experts top-2 by sigmoid score plus a selection "
            "bias, renormalised, scaled 1.5; the experts stacked as mlx-lm converts them", LFM2_MOE),
    Fixture("lfm2_moe_hf", "lfm2_moe",
            "attention on layers 1 and 2 by full_attn_idxs, biased 4-tap convolutions, 2 dense layers, top-3 not "
            "renormalised; one tensor per expert under w1/w2/w3 and PyTorch filters, as LiquidAI's checkpoints",
            with_({k: v for k, v in LFM2_MOE.items() if k != "layer_types"}, full_attn_idxs=[1, 2], conv_bias=True,
                  conv_L_cache=4, num_dense_layers=2, num_experts_per_tok=3, norm_topk_prob=False,
                  routed_scaling_factor=1.0),
            layout=lfm2_moe_checkpoint),
    Fixture("mamba", "mamba",
            "a 128-wide expansion, 8-wide states, dt 4 wide (time_step_rank auto), 4-tap filters with a bias, no "
            "projection biases, tied; the filters [inner, kernel, 1] as mlx-lm saves them", MAMBA),
    Fixture("mamba_hf", "mamba",
            "a 96-wide expansion, dt 6 wide, 3-tap filters without a bias, biases on in_proj and out_proj, "
            "untied; the filters [inner, 1, kernel] as PyTorch stores them",
            with_(MAMBA, intermediate_size=96, time_step_rank=6, conv_kernel=3, use_conv_bias=False, use_bias=True,
                  tie_word_embeddings=False),
            layout=pytorch_mamba_convolutions),
    Fixture("falcon_mamba", "falcon_mamba",
            "Mamba's block with dt, B and C RMS-normalised (eps 1e-6), 3-tap filters with a bias, untied; "
            "the filters as PyTorch stores them",
            with_(MAMBA, model_type="falcon_mamba", conv_kernel=3, tie_word_embeddings=False),
            layout=pytorch_mamba_convolutions),
    Fixture("jamba", "jamba",
            "attention without RoPE on layers 1 and 4, Mamba (dt, B, C norms with weights, dt 4 wide by auto) "
            "elsewhere; 4 experts, all chosen, on layers 1, 3, 5 and dense SwiGLU on 0, 2, 4; untied", JAMBA),
    Fixture("jamba_listed", "jamba",
            "the mixers listed by layers_block_type (Mamba on 0 and 3, attention on 1 and 2), experts on "
            "layers 0 and 2 (period 2, offset 0), dt 6 wide, 3-tap filters without a bias, biases on in_proj "
            "and out_proj, tied",
            with_(JAMBA, num_hidden_layers=4, layers_block_type=["mamba", "attention", "attention", "mamba"],
                  expert_layer_offset=0, num_experts=3, num_experts_per_tok=3, mamba_dt_rank=6, mamba_d_conv=3,
                  mamba_conv_bias=False, mamba_proj_bias=True, tie_word_embeddings=True)),
    Fixture("mamba2", "mamba2",
            "8 heads 16 wide, 8-wide states, one group, dt clipped to [0.2, 1.0] (both bounds reached), 4-tap "
            "filters with a bias, no projection biases, tied; the filters [channels, kernel, 1] as mlx-lm saves them",
            MAMBA2),
    Fixture("mamba2_hf", "mamba2",
            "4 heads 32 wide, 3-tap filters without a bias, biases on in_proj and out_proj, dt within [0, 100], "
            "untied; the filters [channels, 1, kernel] as PyTorch stores them",
            with_(MAMBA2, num_heads=4, head_dim=32, conv_kernel=3, use_conv_bias=False, use_bias=True,
                  time_step_limit=[0.0, 100.0], tie_word_embeddings=False),
            layout=pytorch_mamba_convolutions),
    Fixture("qwen3_next", "qwen3_next",
            "gated attention (half of each head rotated) on every second layer, the gated delta rule (2 key heads "
            "serving 4 value heads, 4-tap filters) on the others; layer 0 dense, then 8 experts top-2 beside a "
            "gated shared expert; as Hugging Face checkpoints hold it (per-expert tensors, PyTorch filters, norms "
            "around zero)", QWEN3_NEXT, layout=qwen3_next_checkpoint),
    Fixture("qwen3_next_converted", "qwen3_next",
            "as mlx-lm saves a converted checkpoint (experts stacked, MLX filters, norms with their one added); every "
            "fourth layer attends, a quarter of each head rotated, as many key as value heads, 3-tap filters, "
            "experts on every layer top-2 not renormalised, tied",
            with_(QWEN3_NEXT, full_attention_interval=4, partial_rotary_factor=0.25, linear_num_value_heads=2,
                  linear_key_head_dim=32, linear_value_head_dim=16, linear_conv_kernel_dim=3, mlp_only_layers=[],
                  norm_topk_prob=False, tie_word_embeddings=True)),
    Fixture("granitemoehybrid", "granitemoehybrid",
            "Mamba-2 on layers 0, 2, 3 and rotated attention on layer 1, each with 4 experts top-2 and a shared "
            "expert (shared_mlp input_linear halves); multipliers, attention biases, untied",
            GRANITEMOEHYBRID),
    Fixture("granitemoehybrid_dense", "granitemoehybrid",
            "no routed experts (num_local_experts 0): each layer's MLP alone, as mlx-lm saves a dense checkpoint "
            "(mlp.gate_proj and up_proj apart); Mamba-2 on layers 0 and 2, attention without RoPE on 1 and 3, tied",
            with_(GRANITEMOEHYBRID, num_local_experts=0, num_experts_per_tok=0, intermediate_size=40,
                  shared_intermediate_size=40, layer_types=["mamba", "attention", "mamba", "attention"],
                  position_embedding_type="nope", attention_bias=False, tie_word_embeddings=True)),
    Fixture("granitemoehybrid_dense_q4", "granitemoehybrid",
            "the dense model at 4 bits in groups of 32: the MLP's gate and up projections joined as they load, "
            "their packed rows, scales and biases alike (down, 40 wide, stays dense)",
            with_(GRANITEMOEHYBRID, num_local_experts=0, num_experts_per_tok=0, intermediate_size=40,
                  shared_intermediate_size=40, layer_types=["mamba", "attention", "mamba", "attention"],
                  position_embedding_type="nope", attention_bias=False, tie_word_embeddings=True),
            quantize={"group_size": 32, "bits": 4}),
    Fixture("qwen3_5", "qwen3_5",
            "a multimodal config holding the text model: gated attention (half of each head rotated) on every "
            "second layer, the gated delta rule with separate projections (2 key heads serving 4 value heads, 4-tap "
            "filters) on the others, a dense MLP; as mlx-lm saves a converted checkpoint (language_model.model., MLX "
            "filters, norms with their one added), untied",
            {"model_type": "qwen3_5", "text_config": QWEN3_5_TEXT, "tie_word_embeddings": False}),
    Fixture("qwen3_5_hf", "qwen3_5",
            "as Hugging Face checkpoints hold it (model.language_model., PyTorch filters, norms around zero); every "
            "fourth layer attends, a quarter of each 32-wide head rotated, as many key as value heads, 3-tap "
            "filters, tied",
            {"model_type": "qwen3_5", "tie_word_embeddings": True,
             "text_config": with_(QWEN3_5_TEXT, head_dim=32, full_attention_interval=4, linear_num_value_heads=2,
                                  linear_key_head_dim=32, linear_value_head_dim=16, linear_conv_kernel_dim=3,
                                  tie_word_embeddings=True,
                                  rope_parameters={"rope_type": "default", "rope_theta": 1000000.0,
                                                   "partial_rotary_factor": 0.25, "mrope_section": [2, 1, 1],
                                                   "mrope_interleaved": True})},
            layout=qwen3_5_checkpoint),
    Fixture("qwen3_5_moe", "qwen3_5_moe",
            "a multimodal config holding the text model: Qwen3.5's mixers (gated attention on every second layer, the "
            "gated delta rule with separate projections on the others), 8 experts top-2 renormalised beside a gated "
            "shared expert on every layer; as mlx-lm saves a converted checkpoint (experts stacked, MLX filters, norms "
            "with their one added), untied",
            {"model_type": "qwen3_5_moe", "text_config": QWEN3_5_MOE_TEXT, "tie_word_embeddings": False}),
    Fixture("qwen3_5_moe_hf", "qwen3_5_moe",
            "as released checkpoints hold it (model.language_model., experts as bare gate_up_proj and down_proj "
            "tensors, PyTorch filters, norms around zero); every fourth layer attends, a quarter of each 32-wide head "
            "rotated, as many key as value heads, 3-tap filters, 4 experts top-3, tied",
            {"model_type": "qwen3_5_moe", "tie_word_embeddings": True,
             "text_config": with_(QWEN3_5_MOE_TEXT, head_dim=32, full_attention_interval=4, linear_num_value_heads=2,
                                  linear_key_head_dim=32, linear_value_head_dim=16, linear_conv_kernel_dim=3,
                                  num_experts=4, num_experts_per_tok=3, shared_expert_intermediate_size=40,
                                  tie_word_embeddings=True,
                                  rope_parameters={"rope_type": "default", "rope_theta": 1000000.0,
                                                   "partial_rotary_factor": 0.25, "mrope_section": [2, 1, 1],
                                                   "mrope_interleaved": True})},
            layout=qwen3_5_moe_checkpoint),
    Fixture("falcon_h1", "falcon_h1",
            "attention and Mamba-2 (8 heads 16 wide, one group) summed in every layer, the gated norm "
            "gating first, multipliers folded (a tied head's ratio at run time)", FALCON_H1),
    Fixture("falcon_h1_untied", "falcon_h1",
            "untied; the gated norm normalising first; biases on attention, the MLP, in_proj and out_proj",
            with_(FALCON_H1, tie_word_embeddings=False, mamba_norm_before_gate=True, attention_bias=True,
                  mlp_bias=True, mamba_proj_bias=True, projectors_bias=True)),
    Fixture("nemotron_h", "nemotron_h",
            "one block per layer by the pattern M-*-M*: Mamba-2 in 2 groups, attention without RoPE 24 wide "
            "per head, relu-squared MLP", NEMOTRON_H),
    Fixture("nemotron_h_moe", "nemotron_h",
            "the pattern ME*-EM: experts on layers 1 and 4 (8 ungated relu-squared experts 32 wide, top-2 by sigmoid "
            "score plus a selection bias within the 2 best of 4 groups, renormalised, scaled 2.5, switch_mlp) "
            "beside a shared expert 48 wide", NEMOTRON_H_MOE, infinite_group_mask=True),
    Fixture("nemotron_h_moe_q4", "nemotron_h",
            "the experts fixture at 4 bits in groups of 32 as mlx_lm.convert writes it: the switch layers, "
            "attention, Mamba-2's projections and the head quantized; the router, and the shared expert's down "
            "projection (48 wide, not a whole number of groups), kept dense",
            NEMOTRON_H_MOE, quantize={"group_size": 32, "bits": 4}, infinite_group_mask=True),
    Fixture("nemotron_h_latent", "nemotron_h",
            "the pattern E*ME-: experts 40 wide working at a latent width of 24 behind biased fc1/fc2_latent_proj, "
            "top-3 of 6 in one group, not renormalised, scaled 1.5; MLP and shared expert (56 wide) biased",
            with_(NEMOTRON_H_MOE, hybrid_override_pattern="E*ME-", n_routed_experts=6, num_experts_per_tok=3,
                  moe_intermediate_size=40, moe_latent_size=24, moe_shared_expert_intermediate_size=56, n_group=1,
                  topk_group=1,
                  norm_topk_prob=False, routed_scaling_factor=1.5, mlp_bias=True)),
    Fixture("minicpm3", "minicpm3",
            "latent attention through a query rank under longrope past its original context of 16, MiniCPM's "
            "embedding, residual and logit scalings, untied", MINICPM3),
    Fixture("granitemoe", "granitemoe", "8 experts top-3 (router.layer, switch_mlp), multipliers, biases",
            GRANITEMOE),
    Fixture("granitemoe_hf", "granitemoe",
            "Hugging Face layout: input_linear (gate and up halves) and output_linear, split by sanitize; "
            "4 experts top-2, tied, no biases, linear rope_scaling",
            with_(GRANITEMOE, num_local_experts=4, num_experts_per_tok=2, attention_bias=False,
                  tie_word_embeddings=True, embedding_multiplier=3.0, attention_multiplier=0.25,
                  residual_multiplier=0.5, logits_scaling=2.0, rope_scaling={"rope_type": "linear", "factor": 4.0}),
            layout=fused_halves_experts("block_sparse_moe", "input_linear", "output_linear")),
    Fixture("granitemoe_q4", "granitemoe", "4-bit experts and attention in groups of 32, the nested router at 8 bits",
            GRANITEMOE,
            quantize={"group_size": 32, "bits": 4,
                      "layers": {f"model.layers.{i}.block_sparse_moe.router.layer": {"group_size": 64, "bits": 8}
                                 for i in range(2)}}),
    Fixture("phimoe", "phimoe",
            "sparse mixer (band 0.3) over 8 experts, LayerNorm, q/k/v/o and lm_head biases, longrope mscales",
            PHIMOE),
    Fixture("phimoe_hf", "phimoe",
            "Hugging Face layout: one w1/w2/w3 per expert, stacked by sanitize; 4 experts, the default band "
            "0.01, plain RoPE (rope_scaling null)",
            with_({k: v for k, v in PHIMOE.items()
                   if k not in ("router_jitter_noise", "original_max_position_embeddings")},
                  num_local_experts=4, rope_scaling=None),
            layout=per_expert_checkpoint("block_sparse_moe", "switch_mlp",
                                         {"w1": "gate_proj", "w2": "down_proj", "w3": "up_proj"})),
    Fixture("phimoe_q4", "phimoe", "4-bit experts, attention and head in groups of 32", PHIMOE,
            quantize={"group_size": 32, "bits": 4}),
    Fixture("minimax", "minimax_m2",
            "8 experts top-2 by sigmoid with a selection bias beside the gate, renormalised; whole q/k norms, "
            "16 of 32 head dimensions rotated", MINIMAX),
    Fixture("minimax_hf", "minimax_m2",
            "Hugging Face layout: one w1/w2/w3 per expert; top-3, a quarter of each head rotated, tied",
            with_(MINIMAX, head_dim=16, rotary_dim=4, num_experts_per_tok=3, tie_word_embeddings=True),
            layout=per_expert_checkpoint("block_sparse_moe", "switch_mlp", MINIMAX_NAMES)),
    Fixture("minimax_q4", "minimax_m2", "4-bit experts and attention in groups of 32, the gate at 8 bits",
            MINIMAX, quantize={"group_size": 32, "bits": 4,
                               "layers": {f"model.layers.{i}.block_sparse_moe.gate": {"group_size": 64, "bits": 8}
                                          for i in range(3)}}),
    Fixture("hunyuan", "hunyuan",
            "cross-layer KV sharing in pairs, per-layer top-k (2, 3, 2, 1) and widths, a shared MLP 1-2 dense "
            "widths, q/k norms after NTK-alpha RoPE, q/k/v/o bias, tied", HUNYUAN),
    Fixture("hunyuan_hf", "hunyuan",
            "Hugging Face layout: one tensor per expert; sharing groups of 3, top-2 everywhere, no shared MLP, "
            "no bias, alpha 50",
            with_(HUNYUAN, cla_share_factor=3, moe_topk=2, moe_intermediate_size=None, use_mixed_mlp_moe=False,
                  num_shared_expert=1, attention_bias=False,
                  rope_scaling={"type": "dynamic", "factor": 1.0, "alpha": 50.0}),
            layout=per_expert_checkpoint("mlp", "switch_mlp", QWEN3_MOE_NAMES)),
    Fixture("hunyuan_dense", "hunyuan", "one expert: a dense MLP on every layer, no sharing (Hunyuan-7B)",
            with_(HUNYUAN, num_experts=1, moe_topk=[1, 1, 1, 1], use_cla=False, use_mixed_mlp_moe=False,
                  num_shared_expert=[1, 1, 1, 1], moe_intermediate_size=None)),
    Fixture("hunyuan_q4", "hunyuan", "4-bit experts, router, shared MLP and attention in groups of 32", HUNYUAN,
            quantize={"group_size": 32, "bits": 4}),
    Fixture("hunyuan_v1_dense", "hunyuan_v1_dense",
            "q/k norms after NTK-alpha RoPE, head_dim 32, q/k/v/o bias, untied", HUNYUAN_V1_DENSE),
    Fixture("hunyuan_v1_moe", "hunyuan_v1_moe",
            "every one of 4 experts chosen beside the shared MLP, tied; computed by mlx-lm's hunyuan, which "
            "has no model for this type", HUNYUAN_V1_MOE, reference_config=HUNYUAN_V1_MOE_AS_HUNYUAN),
    Fixture("bailing_moe", "bailing_moe",
            "Ling 2.0: 4 groups of 2 experts, 2 kept, top-2 sigmoid with a selection bias, renormalised, scaled "
            "2.5, a shared expert 48 wide; per-head q/k norms, half of each head rotated, qkv bias",
            BAILING_MOE, infinite_group_mask=True),
    Fixture("bailing_moe_v1", "bailing_moe",
            "Ling v1: softmax over 8 experts on every layer, top-3 not renormalised, 2 shared experts wide, the "
            "head divided by its column norms, no q/k norm, rotary_dim 12 over partial_rotary_factor",
            BAILING_MOE_V1),
    Fixture("bailing_moe_hf", "bailing_moe",
            "one group, top-1 sigmoid with a selection bias (a single expert is not renormalised), scaled 1.5, no "
            "shared experts, tied; per-expert tensors and the gate's bare weight, as Hugging Face checkpoints "
            "hold them",
            with_(BAILING_MOE, n_group=1, topk_group=1, num_experts_per_tok=1, routed_scaling_factor=1.5,
                  num_shared_experts=0, tie_word_embeddings=True,
                  use_qkv_bias=False),
            layout=bailing_hf_checkpoint),
    Fixture("bailing_moe_q4", "bailing_moe",
            "4-bit experts, shared expert, attention and head in groups of 32, the routers' projections at 8 bits "
            "in groups of 64 (mlx-lm's default for them)",
            BAILING_MOE, infinite_group_mask=True,
            quantize={"group_size": 32, "bits": 4,
                      "layers": {f"model.layers.{i}.mlp.gate.gate_proj": {"group_size": 64, "bits": 8}
                                 for i in (1, 2)}}),
    # mlx-lm divides the quantized head's packed integers again as it loads (zeroing them); the head
    # mlx_lm.convert wrote was divided before quantizing, so it is computed as stored (norm_head off).
    Fixture("bailing_moe_v1_q4", "bailing_moe",
            "Ling v1 at 4 bits with norm_head: the quantized head taken as converted; shared experts switched "
            "off by moe_router_enable_shared_expert",
            with_(BAILING_MOE_V1, moe_router_enable_shared_expert=False),
            reference_config=with_(BAILING_MOE_V1, moe_router_enable_shared_expert=False, norm_head=False,
                                   quantization={"group_size": 32, "bits": 4, "mode": "affine"},
                                   quantization_config={"group_size": 32, "bits": 4, "mode": "affine"}),
            quantize={"group_size": 32, "bits": 4}),
    Fixture("llama_q4", "llama",
            "4-bit affine (groups of 64), one layer at 8 bits, one left dense, as mlx_lm.convert writes it",
            LLAMA, quantize={"group_size": 64, "bits": 4,
                             "layers": {"model.layers.1.mlp.down_proj": {"group_size": 64, "bits": 8},
                                        "model.layers.0.self_attn.q_proj": False}}),
    Fixture("qwen3_q8", "qwen3", "8-bit affine in groups of 32, tied: a quantized embedding is the head",
            with_(LLAMA, model_type="qwen3", head_dim=16, num_key_value_heads=4, tie_word_embeddings=True),
            quantize={"group_size": 32, "bits": 8}),
    Fixture("gemma3_wrapper_q4", "gemma3",
            "a quantized multimodal checkpoint: per-layer entries keyed by the wrapper's paths",
            {"model_type": "gemma3", "vocab_size": 256,
             "text_config": {k: v for k, v in GEMMA3.items()
                             if k not in ("num_attention_heads", "num_key_value_heads")}},
            windows=[5],
            drop=["language_model.lm_head.weight", "language_model.lm_head.scales", "language_model.lm_head.biases"],
            quantize={"group_size": 64, "bits": 4,
                      "layers": {"language_model.model.layers.1.mlp.down_proj": {"group_size": 32, "bits": 8}}}),
    Fixture("gemma4_moe_q4", "gemma4",
            "4-bit experts, attention and MLPs in groups of 32, the routers' projections at 8 bits in groups of 64, "
            "as mlx-lm's own predicate asks",
            with_(GEMMA4_MOE, moe_intermediate_size=32), windows=[5],
            quantize={"group_size": 32, "bits": 4,
                      "layers": {f"model.layers.{i}.router.proj": {"group_size": 64, "bits": 8} for i in range(4)}}),
    Fixture("gpt_oss_q4", "gpt_oss", "4-bit experts through gatherQuantizedMM, an 8-bit router",
            GPT_OSS, windows=[6],
            quantize={"group_size": 32, "bits": 4,
                      "layers": {f"model.layers.{i}.mlp.router": {"group_size": 64, "bits": 8} for i in range(4)}}),
    Fixture("gpt_oss_mxfp4", "gpt_oss", "mxfp4 everywhere, as mlx_lm.convert --q-mode mxfp4 writes it",
            GPT_OSS, windows=[6], quantize={"mode": "mxfp4"}),
    Fixture("llama_bf16", "llama", "a bfloat16 checkpoint, computed in bfloat16", LLAMA, dtype="bfloat16"),
    Fixture("phi3_f16", "phi3", "a float16 checkpoint, fused projections", with_(LLAMA, model_type="phi3"),
            dtype="float16"),
    Fixture("qwen2_sharded", "qwen2", "three shards and model.safetensors.index.json",
            with_({k: v for k, v in LLAMA.items() if k != "max_position_embeddings"},
                  model_type="qwen2", rope_theta=1000000.0, tie_word_embeddings=True), shards=3),
    Fixture("qwen2", "qwen2", "q/k/v bias, tied embeddings, GQA 2",
            with_({k: v for k, v in LLAMA.items() if k != "max_position_embeddings"},
                  model_type="qwen2", rope_theta=1000000.0, tie_word_embeddings=True)),
    Fixture("gemma2", "gemma2", "soft-capped attention scores and logits, query_pre_attn_scalar 24, GQA 2",
            GEMMA2),
    Fixture("gemma2_mha", "gemma2", "one key/value head per query head, head_dim 32, other caps",
            with_(GEMMA2, num_key_value_heads=4, head_dim=32, attn_logit_softcapping=1.0,
                  final_logit_softcapping=8.0)),
    Fixture("nemotron", "nemotron", "LayerNorm1P, relu-squared MLP, half of each head rotated, GQA 2", NEMOTRON),
    Fixture("nemotron_biased", "nemotron", "attention and MLP biases, a quarter rotated, linear scaling, tied",
            with_(NEMOTRON, attention_bias=True, mlp_bias=True, partial_rotary_factor=0.25, tie_word_embeddings=True,
                  rope_scaling={"type": "linear", "factor": 2.0})),
    Fixture("qwen2_vl", "qwen2",
            "a Qwen2-VL checkpoint as released: text settings at the top level, multimodal RoPE sections, "
            "the vision tower beside the text model, untied",
            with_({k: v for k, v in LLAMA.items() if k != "max_position_embeddings"},
                  model_type="qwen2_vl", rope_theta=1000000.0,
                  rope_scaling={"type": "mrope", "mrope_section": [2, 3, 3]},
                  vision_config={"depth": 1, "embed_dim": 16, "num_heads": 2}),
            layout=hf_checkpoint(rename={"language_model.model.": "model.", "language_model.lm_head.": "lm_head."},
                                 extra={"visual.blocks.0.attn.qkv.weight": (48, 16),
                                        "visual.merger.mlp.0.weight": (64, 64)})),
    Fixture("qwen2_5_vl_nested", "qwen2",
            "a Qwen2.5-VL checkpoint with its text model in text_config, tied there and at the top level",
            {"model_type": "qwen2_5_vl", "tie_word_embeddings": True,
             "text_config": with_({k: v for k, v in LLAMA.items() if k != "max_position_embeddings"},
                                  model_type="qwen2_5_vl_text", rope_theta=1000000.0, tie_word_embeddings=True,
                                  rope_scaling={"type": "mrope", "mrope_section": [4, 2, 2]})}),
    Fixture("qwen3_vl", "qwen3",
            "a Qwen3-VL checkpoint: text_config with interleaved multimodal RoPE sections, tied at the top level",
            {"model_type": "qwen3_vl", "tie_word_embeddings": True,
             "text_config": with_(LLAMA, model_type="qwen3_vl_text", head_dim=32, rope_theta=1000000.0,
                                  tie_word_embeddings=True,
                                  rope_scaling={"rope_type": "default", "mrope_section": [8, 4, 4],
                                                "mrope_interleaved": True})},
            layout=hf_checkpoint(rename={"language_model.model.": "model.language_model.",
                                         "language_model.lm_head.": "lm_head."},
                                 extra={"model.visual.blocks.0.attn.qkv.weight": (48, 16)})),
    Fixture("qwen3", "qwen3", "per-head q/k RMSNorm, untied, head_dim 32, GQA 2",
            with_(LLAMA, model_type="qwen3", head_dim=32, rope_theta=1000000.0)),
    Fixture("qwen3_mha", "qwen3", "per-head q/k RMSNorm, tied, one key/value head per query head",
            with_(LLAMA, model_type="qwen3", head_dim=16, num_key_value_heads=4, tie_word_embeddings=True)),
    Fixture("exaone", "exaone", "EXAONE's own keys and names (num_layers, layer_norm_epsilon, transformer.h), "
            "llama3 scaling, untied",
            with_({k: v for k, v in LLAMA.items() if k not in ("num_hidden_layers", "rms_norm_eps")},
                  model_type="exaone", num_layers=2, layer_norm_epsilon=1e-5, activation_function="silu",
                  rope_theta=500000.0, rope_scaling=LLAMA3_SCALING)),
    Fixture("exaone_bias_tied", "exaone", "attention and MLP biases, tied, head_dim stated",
            with_({k: v for k, v in LLAMA.items() if k not in ("num_hidden_layers", "rms_norm_eps")},
                  model_type="exaone", num_layers=2, layer_norm_epsilon=1e-6, head_dim=16, attention_bias=True,
                  mlp_bias=True, tie_word_embeddings=True)),
    Fixture("exaone4", "exaone4", "three sliding layers (window 5) and a NoPE full layer by sliding_window_pattern "
            "and layer_types, post-norms, per-head q/k norms",
            with_(LLAMA, model_type="exaone4", num_hidden_layers=4, head_dim=16, rope_theta=1000000.0, rope_scaling=None,
                  sliding_window=5, sliding_window_pattern="LLLG",
                  layer_types=["sliding_attention"] * 3 + ["full_attention"]), windows=[5]),
    Fixture("exaone4_no_window", "exaone4", "no window: every layer full and rotated, llama3 scaling, tied, head_dim 32",
            with_(LLAMA, model_type="exaone4", head_dim=32, rope_theta=500000.0, rope_scaling=LLAMA3_SCALING,
                  sliding_window=None, sliding_window_pattern=None, layer_types=["full_attention"] * 2,
                  tie_word_embeddings=True)),
    # transformers 5 gives the sliding layers of a config with a top-level rope_theta its default base
    # (500000), mlx-lm that rope_theta: the two agree at 500000.
    Fixture("olmo3", "olmo3", "sliding layers (window 5) but every fourth, full layers with linear scaling",
            with_(LLAMA, model_type="olmo3", num_hidden_layers=4, rope_theta=500000.0, sliding_window=5,
                  rope_scaling={"rope_type": "linear", "factor": 2.0}), windows=[5]),
    Fixture("olmo3_layer_types", "olmo3", "layer_types alternating, q/k/v/o bias, llama3 scaling, tied",
            with_(LLAMA, model_type="olmo3", num_hidden_layers=4, rope_theta=500000.0, sliding_window=5,
                  layer_types=["sliding_attention", "full_attention"] * 2, attention_bias=True,
                  rope_scaling=LLAMA3_SCALING, tie_word_embeddings=True), windows=[5]),
    Fixture("glm4", "glm4", "four norms under GLM's names, fused gate_up_proj, q/k/v bias, half of each head "
            "rotated in interleaved pairs",
            with_(LLAMA, model_type="glm4", head_dim=16, attention_bias=True, partial_rotary_factor=0.5)),
    Fixture("glm4_no_bias", "glm4", "no bias, head_dim 32 with a quarter rotated",
            with_(LLAMA, model_type="glm4", head_dim=32, attention_bias=False, partial_rotary_factor=0.25,
                  rope_theta=500000.0)),
    # mlx-lm's glm.py rotates whole heads whatever partial_rotary_factor says; these state 1.
    Fixture("glm", "glm", "two norms, fused gate_up_proj, q/k/v bias, whole heads rotated in interleaved pairs",
            with_(LLAMA, model_type="glm", head_dim=16, attention_bias=True, partial_rotary_factor=1.0)),
    Fixture("glm_no_bias", "glm", "no bias, head_dim 32, tied",
            with_(LLAMA, model_type="glm", head_dim=32, attention_bias=False, partial_rotary_factor=1.0,
                  tie_word_embeddings=True, rope_theta=500000.0)),
    # mlx-lm's cohere2.py reads sliding_window_pattern (never layer_types) and head_dim (default 128,
    # which must be hidden / heads); both are stated as transformers derives them.
    Fixture("cohere2", "cohere2", "three sliding layers (window 5) rotated in interleaved pairs and a NoPE full "
            "layer, by sliding_window_pattern and layer_types, GQA 2, logit_scale 0.25",
            with_(COHERE, model_type="cohere2", num_hidden_layers=4, head_dim=16, sliding_window=5,
                  sliding_window_pattern=4, layer_types=["sliding_attention"] * 3 + ["full_attention"]),
            windows=[5]),
    Fixture("cohere2_bias", "cohere2", "sliding and full layers alternating by sliding_window_pattern 2 alone "
            "(window 6), attention biases, one key/value head per query head",
            with_(COHERE, model_type="cohere2", num_hidden_layers=4, head_dim=16, sliding_window=6,
                  sliding_window_pattern=2, attention_bias=True, num_key_value_heads=4, logit_scale=0.0625,
                  rope_theta=20000.0), windows=[6]),
    Fixture("gpt_neox", "gpt_neox", "attention and MLP side by side, each behind its own LayerNorm; the fused "
            "query_key_value grouped by head; a quarter of each head rotated; biases",
            GPT_NEOX),
    Fixture("gpt_neox_sequential_hf", "gpt_neox", "Hugging Face layout (gpt_neox., layers, embed_out, old attention "
            "mask buffers to drop): attention then MLP in turn, half of each head rotated, base 20000",
            with_(GPT_NEOX, use_parallel_residual=False, rotary_pct=0.5, rotary_emb_base=20000),
            layout=hf_checkpoint(rename={"model.h.": "gpt_neox.layers.", "model.embed_out.": "embed_out.",
                                         "model.": "gpt_neox."},
                                 extra={"gpt_neox.layers.0.attention.bias": (1, 1, 8, 8),
                                        "gpt_neox.layers.0.attention.masked_bias": (1,),
                                        "gpt_neox.layers.1.attention.rotary_emb.inv_freq": (4,)})),
    # mlx-lm's gemma.py gates with exact GELU whatever hidden_act says; gelu_python is exact GELU in
    # transformers too (which reads the legacy gelu as its tanh approximation). Tied, as mlx-lm always is.
    Fixture("gemma", "gemma", "(1 + w) RMSNorm, embedding scaled by sqrt(hidden), exact GELU gates (gelu_python), "
            "GQA 2, head_dim 16",
            with_(LLAMA, model_type="gemma", head_dim=16, rms_norm_eps=1e-6, hidden_act="gelu_python",
                  tie_word_embeddings=True)),
    Fixture("gemma_mqa", "gemma", "one key/value head, head_dim 32 beside hidden 64, RoPE base 500000, "
            "hidden_activation stated (read by neither oracle)",
            with_(LLAMA, model_type="gemma", head_dim=32, num_key_value_heads=1, rms_norm_eps=1e-6,
                  rope_theta=500000.0, hidden_act="gelu_python", hidden_activation="gelu_pytorch_tanh",
                  tie_word_embeddings=True)),
    Fixture("internlm2", "internlm2", "wqkv grouped by key/value head (two queries each), biases on wqkv and wo, "
            "linear RoPE scaling",
            with_(LLAMA, model_type="internlm2", bias=True, rope_scaling={"type": "linear", "factor": 2.0})),
    # With one key/value head the grouped rows are [q | k | v] too: this one has two groups of four.
    Fixture("internlm2_dynamic", "internlm2", "8 heads of 8 in two key/value groups, no bias, dynamic NTK scaling "
            "past max_position_embeddings 16, tied",
            with_(LLAMA, model_type="internlm2", bias=False, num_attention_heads=8, num_key_value_heads=2,
                  max_position_embeddings=16,
                  rope_scaling={"type": "dynamic", "factor": 2.0}, tie_word_embeddings=True)),
    # mlx-lm divides the logits only for an untied head, MiniCPM's code always: these leave the tie out
    # (tied by MiniCPM's default, a head copied from the embedding by mlx-lm) or state false.
    Fixture("minicpm", "minicpm", "scaled embedding, residual and logits, no lm_head in the checkpoint (tied by "
            "default), the default RoPE base, 3 layers",
            with_({k: v for k, v in LLAMA.items() if k not in ("tie_word_embeddings", "rope_theta")},
                  model_type="minicpm", num_hidden_layers=3, scale_emb=12.0, scale_depth=1.4, dim_model_base=16),
            drop=["lm_head.weight"]),
    Fixture("minicpm_longrope", "minicpm", "an lm_head, one key/value head, longrope with the original context "
            "below the prompt (the long factors, in both references)",
            with_(LLAMA, model_type="minicpm", num_key_value_heads=1, scale_emb=3.0, scale_depth=0.5,
                  dim_model_base=32, max_position_embeddings=2048,
                  rope_scaling={"rope_type": "longrope", "original_max_position_embeddings": 16,
                                "short_factor": [1.0 + 0.05 * i for i in range(8)],
                                "long_factor": [1.0 + 0.3 * i for i in range(8)]})),
    # mlx-lm's qwen.py rotates at base 10000 whatever rotary_emb_base says: these leave it out.
    Fixture("qwen", "qwen", "fused c_attn with bias, as many key/value heads as queries, SwiGLU w2 gating w1 half "
            "intermediate_size wide",
            {"model_type": "qwen", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 256,
             "num_attention_heads": 4, "kv_channels": 16, "layer_norm_epsilon": 1e-6, "vocab_size": 256,
             "max_position_embeddings": 512, "no_bias": True}),
    Fixture("qwen_narrow", "qwen", "8 heads of 8, an odd half width (intermediate_size 190), defaults for eps and "
            "no_bias",
            {"model_type": "qwen", "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 190,
             "num_attention_heads": 8, "kv_channels": 8, "vocab_size": 256}),
    Fixture("pixtral", "llama",
            "a Pixtral checkpoint: Llama's text model in text_config (a mistral model_type, heads left to the "
            "default 32, head_dim 8), under language_model., beside a vision tower and projector",
            {"model_type": "pixtral",
             "text_config": with_({k: v for k, v in LLAMA.items() if k not in ("tie_word_embeddings",
                                                                              "num_attention_heads")},
                                  model_type="mistral", num_key_value_heads=8, head_dim=8,
                                  rope_theta=1000000.0),
             "vision_config": {"model_type": "pixtral", "hidden_size": 16, "num_hidden_layers": 1}},
            layout=hf_checkpoint(extra={"vision_tower.transformer.layers.0.attention.q_proj.weight": (16, 16),
                                        "multi_modal_projector.linear_1.weight": (64, 16)})),
    Fixture("telechat3", "telechat3", "q/k/v/o and MLP biases, head_dim 32 (not hidden / heads), GQA 2",
            with_(LLAMA, model_type="telechat3", head_dim=32, attention_bias=True, mlp_bias=True)),
    Fixture("telechat3_tied", "telechat3", "no biases, one key/value head, llama3 scaling, tied",
            with_(LLAMA, model_type="telechat3", num_key_value_heads=1, rope_theta=500000.0,
                  rope_scaling=LLAMA3_SCALING, tie_word_embeddings=True)),
    Fixture("gptj", "gptj", "attention and MLP side by side behind one LayerNorm, 8 of 16 dimensions rotated in "
            "interleaved pairs, an lm_head bias",
            GPTJ),
    Fixture("gptj_hf", "gptj", "Hugging Face layout (transformer., h, attention mask buffers to drop): 4 of 32 "
            "dimensions rotated, two heads",
            with_(GPTJ, n_head=2, rotary_dim=4),
            layout=hf_checkpoint(rename={"model.": "transformer."},
                                 extra={"transformer.h.0.attn.bias": (1, 1, 8, 8),
                                        "transformer.h.1.attn.masked_bias": (1,)})),
    # mlx-lm's apertus.py needs post_norm, qk_norm and mlp_bias, which transformers never writes, and
    # never reads head_dim (hidden / heads) or attention_bias (none); hidden_act names xIELU for both.
    Fixture("apertus", "apertus", "ungated xIELU MLP with learned parameters (alpha_p, alpha_n as scalars, as "
            "mlx-lm saves them), per-head q/k norms, llama3 scaling, GQA 2, untied",
            APERTUS),
    Fixture("apertus_hf", "apertus", "Hugging Face layout: alpha_p and alpha_n of shape [1]; tied, one key/value "
            "head per query head, RoPE base 12000000",
            with_(APERTUS, num_key_value_heads=4, rope_theta=12000000.0, tie_word_embeddings=True),
            layout=lambda weights: {k: v.reshape(1) if k.endswith((".act_fn.alpha_p", ".act_fn.alpha_n")) else v
                                    for k, v in weights.items()}),
]
FIXTURES += recorded_fixtures()


# Learned multipliers beside the norm weights (Gemma 4's layer scalar and router scales).
SCALES = ("layer_scalar", "router.scale", "per_expert_scale")


def randomised_weights(model, rng: np.random.Generator, norm_weights: tuple[str, ...] = ()) -> dict[str, mx.array]:
    """Every parameter drawn anew, so no code path multiplies by a constant zero or one."""
    weights = {}
    for key, value in tree_flatten(model.parameters()):
        if value.ndim <= 1:
            # Norm weights and learned scales multiply: they vary around one.
            centre = 1.0 if key.endswith(("norm.weight",) + SCALES + norm_weights) else 0.0
            a = centre + 0.1 * rng.standard_normal(value.shape)
        else:
            a = rng.standard_normal(value.shape) / np.sqrt(value.shape[-1])
        weights[key] = mx.array(a.astype(np.float32))
    return weights


def run_reference(directory: Path, tokens: mx.array) -> dict[str, mx.array]:
    """mlx-lm's logits for the model stored in `directory`: prefill, then greedy decode steps."""
    model, _ = load_model(directory, strict=True)
    cache = make_prompt_cache(model)
    prefill = model(tokens, cache=cache)
    fed, steps = [], []
    next_token = mx.argmax(prefill[:, -1:], axis=-1).astype(mx.int32)
    for _ in range(DECODE):
        fed.append(next_token)
        logits = model(next_token, cache=cache)
        steps.append(logits[:, -1])
        next_token = mx.argmax(logits[:, -1:], axis=-1).astype(mx.int32)
    out = {
        "tokens": tokens,
        "prefill_logits": prefill.astype(mx.float32),
        "decode_tokens": mx.concatenate(fed, axis=1).reshape(-1),
        "decode_logits": mx.concatenate(steps, axis=0).astype(mx.float32),
    }
    mx.eval(out)
    return out


def token_by_token_logits(directory: Path, tokens: mx.array) -> mx.array:
    """mlx-lm's logits for the prompt fed one token at a time through its cache."""
    model, _ = load_model(directory, strict=True)
    cache = make_prompt_cache(model)
    rows = [model(tokens[:, i:i + 1], cache=cache)[:, -1] for i in range(tokens.shape[1])]
    return mx.stack(rows, axis=1).astype(mx.float32)


def self_inconsistency(fixture: Fixture, reference: Path, tokens: mx.array, prefill: mx.array) -> str | None:
    """For a token_by_token fixture, why mlx-lm disagrees with itself, if it does."""
    if not fixture.token_by_token:
        return None
    worst = mx.max(mx.abs(token_by_token_logits(reference, tokens) - prefill)).item()
    if worst <= 1e-4:
        return None
    return (f"{fixture.name}: mlx-lm's prefill and token-by-token logits differ by {worst:.3g}; "
            "its cached path has an offset bug this tool does not correct")


def infinite_group_mask_logits(directory: Path, tokens: mx.array) -> mx.array:
    """mlx-lm's prefill logits with its grouped router's dropped groups at -inf instead of 0."""
    import importlib
    model_type = json.loads((directory / "config.json").read_text())["model_type"]
    module = importlib.import_module(f"mlx_lm.models.{model_type}")
    original = module.group_expert_select

    def select(gates, bias, top_k, n_group, topk_group, scale, norm_topk_prob, score_function="sigmoid"):
        scores = mx.sigmoid(gates.astype(mx.float32)) if score_function == "sigmoid" else \
            mx.softmax(gates.astype(mx.float32), axis=-1)
        biased = scores if bias is None else scores + bias
        if n_group > 1:
            grouped = mx.unflatten(biased, axis=-1, shape=(n_group, -1))
            best = mx.topk(grouped, 2, axis=-1).sum(axis=-1, keepdims=True)
            dropped = mx.argpartition(best, kth=n_group - topk_group - 1, axis=-2)[..., :n_group - topk_group, :]
            grouped = mx.put_along_axis(grouped, dropped, mx.array(-mx.inf, grouped.dtype), axis=-2)
            biased = mx.flatten(grouped, -2, -1)
        inds = mx.argpartition(biased, kth=-top_k, axis=-1)[..., -top_k:]
        weights = mx.take_along_axis(scores, inds, axis=-1)
        if top_k > 1 and norm_topk_prob:
            weights = weights / (weights.sum(axis=-1, keepdims=True) + 1e-20)
        return inds, (weights * scale).astype(gates.dtype)

    module.group_expert_select = select
    try:
        model, _ = load_model(directory, strict=True)
        return model(tokens).astype(mx.float32)
    finally:
        module.group_expert_select = original


def group_mask_disagreement(fixture: Fixture, reference: Path, tokens: mx.array, prefill: mx.array) -> str | None:
    """For an infinite_group_mask fixture, why mlx-lm's 0 mask chooses other experts than -inf, if it does."""
    if not fixture.infinite_group_mask:
        return None
    worst = mx.max(mx.abs(infinite_group_mask_logits(reference, tokens) - prefill)).item()
    if worst <= 1e-5:
        return None
    return (f"{fixture.name}: mlx-lm's logits change by {worst:.3g} when dropped groups are masked with -inf "
            "instead of 0; choose weights or a bias where the kept experts' biased scores stay above zero")


def reference_directory(fixture: Fixture, directory: Path, scratch: Path) -> Path:
    """Where mlx-lm reads the fixture: the directory itself, or a copy with the equivalent config."""
    if fixture.reference_config is None:
        return directory
    shutil.copy(directory / "model.safetensors", scratch / "model.safetensors")
    (scratch / "config.json").write_text(json.dumps(fixture.reference_config, indent=2, sort_keys=True) + "\n")
    return scratch


def seed_of(fixture: Fixture) -> int:
    """A seed from the fixture's name, so adding a fixture does not change the others."""
    return zlib.crc32(fixture.name.encode())


def quantized(template: nn.Module, weights: dict[str, mx.array], config: dict, spec: dict):
    """The weights and config mlx_lm.convert writes for `template` holding `weights`."""
    template.load_weights(list(weights.items()))
    layers = spec.get("layers", {})
    _, config = quantize_model(template, config, spec.get("group_size"), spec.get("bits"),
                               mode=spec.get("mode", "affine"),
                               quant_predicate=lambda path, module: layers.get(path, True))
    return dict(tree_flatten(template.parameters())), config


def save_weights(directory: Path, weights: dict[str, mx.array], shards: int) -> None:
    """One model.safetensors, or `shards` files and the index that maps each tensor to its file."""
    keys = sorted(weights)
    if shards == 1:
        mx.save_safetensors(str(directory / "model.safetensors"), {k: weights[k] for k in keys},
                            metadata={"format": "mlx"})
        return
    weight_map = {}
    for i in range(shards):
        name = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        part = keys[i::shards]
        mx.save_safetensors(str(directory / name), {k: weights[k] for k in part}, metadata={"format": "mlx"})
        weight_map.update({k: name for k in part})
    index = {"metadata": {"total_size": sum(v.nbytes for v in weights.values())}, "weight_map": weight_map}
    (directory / "model.safetensors.index.json").write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")


def build(fixture: Fixture) -> None:
    rng = np.random.default_rng(seed_of(fixture))
    config = copy.deepcopy(fixture.reference_config or fixture.config)
    model_class, args_class = _get_classes(config)
    template = model_class(args_class.from_dict(copy.deepcopy(config)))
    weights = randomised_weights(template, rng, fixture.norm_weights)
    if fixture.dtype != "float32":
        weights = {k: v.astype(getattr(mx, fixture.dtype)) for k, v in weights.items()}
    saved_config = fixture.config
    if fixture.quantize is not None:
        weights, saved_config = quantized(template, weights, copy.deepcopy(fixture.config), fixture.quantize)
    for key in fixture.drop:
        del weights[key]
    if fixture.layout is not None:
        weights = fixture.layout(weights)
    directory = OUT / fixture.name
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    save_weights(directory, weights, fixture.shards)
    (directory / "config.json").write_text(json.dumps(saved_config, indent=2, sort_keys=True) + "\n")
    vocab = config.get("vocab_size") or config["text_config"]["vocab_size"]
    tokens = mx.array(rng.integers(0, vocab, size=(1, PREFILL)), dtype=mx.int32)
    with tempfile.TemporaryDirectory() as scratch:
        reference = reference_directory(fixture, directory, Path(scratch))
        expected = run_reference(reference, tokens)
        if problem := self_inconsistency(fixture, reference, tokens, expected["prefill_logits"]):
            raise SystemExit(problem)
        if problem := group_mask_disagreement(fixture, reference, tokens, expected["prefill_logits"]):
            raise SystemExit(problem)
        if fixture.dtype != "float32":
            # The same weights in float32: the Swift test shows the half-precision run differs.
            upcast = Path(scratch) / "float32"
            upcast.mkdir()
            shutil.copy(reference / "config.json", upcast / "config.json")
            save_weights(upcast, {k: v.astype(mx.float32) for k, v in weights.items()}, 1)
            expected["float32_prefill_logits"] = run_reference(upcast, tokens)["prefill_logits"]
    mx.save_safetensors(str(directory / "expected.safetensors"), expected,
                        metadata={"mlx": mx.__version__, "mlx_lm": mlx_lm.__version__, "seed": str(seed_of(fixture))})


def check(fixture: Fixture) -> str | None:
    """None when mlx-lm still computes the committed logits from the committed files."""
    directory = OUT / fixture.name
    stored = mx.load(str(directory / "expected.safetensors"))
    with tempfile.TemporaryDirectory() as scratch:
        reference = reference_directory(fixture, directory, Path(scratch))
        fresh = run_reference(reference, stored["tokens"])
        if problem := self_inconsistency(fixture, reference, stored["tokens"], fresh["prefill_logits"]):
            return problem
        if problem := group_mask_disagreement(fixture, reference, stored["tokens"], fresh["prefill_logits"]):
            return problem
    if not mx.array_equal(fresh["decode_tokens"], stored["decode_tokens"]):
        return "greedy decode tokens differ"
    for name in ("prefill_logits", "decode_logits"):
        if not mx.allclose(fresh[name], stored[name], rtol=1e-5, atol=1e-5):
            worst = mx.max(mx.abs(fresh[name] - stored[name])).item()
            return f"{name} differ (max |difference| {worst:.3g})"
    return None


def manifest() -> dict:
    return {
        "mlx": mx.__version__,
        "mlx_lm": mlx_lm.__version__,
        "prefill": PREFILL,
        "decode": DECODE,
        "fixtures": [
            {"name": f.name, "family": f.family, "description": f.description, "windows": f.windows,
             "reference_config_differs": f.reference_config is not None, "dtype": f.dtype,
             "quantized": f.quantize is not None, "shards": f.shards,
             **({"held_constant": f.held_constant} if f.held_constant else {})}
            for f in FIXTURES
        ],
    }


def record(name: str, family: str, config_path: Path, description: str) -> Fixture:
    """Writes the spec of a config-only fixture; the caller builds it."""
    config = json.loads(config_path.read_text())
    windows = [config["sliding_window"]] if "sliding_attention" in config.get("layer_types", []) else []
    SPECS.mkdir(parents=True, exist_ok=True)
    spec = {"family": family, "description": description, "config": config, "windows": windows}
    (SPECS / f"{name}.json").write_text(json.dumps(spec, indent=2, sort_keys=True) + "\n")
    return Fixture(name, family, description, config, windows=windows)


def main() -> int:
    global FIXTURES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="recompute from the committed files; write nothing")
    parser.add_argument("--record", metavar="NAME", help="record a new fixture from --config for --family")
    parser.add_argument("--family", help="the family a recorded fixture proves")
    parser.add_argument("--config", type=Path, help="the config.json of a recorded fixture's tiny model")
    parser.add_argument("--describe", default="", help="what a recorded fixture exercises")
    parser.add_argument("names", nargs="*", help="only these fixtures")
    args = parser.parse_args()
    mx.disable_compile()
    if args.record:
        if not args.family or not args.config:
            parser.error("--record needs --family and --config")
        if any(f.name == args.record for f in FIXTURES):
            parser.error(f"a fixture named {args.record} exists already")
        FIXTURES = FIXTURES + [record(args.record, args.family, args.config,
                                      args.describe or f"{args.family}, from {args.config.name}")]
        args.names = [args.record]
    chosen = [f for f in FIXTURES if not args.names or f.name in args.names]
    if args.check:
        failures = 0
        for f in chosen:
            problem = check(f)
            print(f"{f.name}: {'ok' if problem is None else problem}")
            failures += problem is not None
        committed = json.loads((OUT / "fixtures.json").read_text())
        if committed != manifest():
            print("fixtures.json differs from the fixture list in tools/make_fixtures.py")
            failures += 1
        return 1 if failures else 0
    for f in chosen:
        build(f)
        print(f"wrote tests/fixtures/models/{f.name}")
    (OUT / "fixtures.json").write_text(json.dumps(manifest(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
