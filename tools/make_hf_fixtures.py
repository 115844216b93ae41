#!/usr/bin/env python3
"""Builds the transformers parity fixtures: for each fixture, a tiny model from transformers' own
classes with every weight randomised, saved with `save_pretrained` exactly as a model author
publishes it, and the logits transformers computes from the saved files (a prefill longer than every
window, then greedy decode steps through its cache). With --check it rebuilds each checkpoint, requires
`save_pretrained` to write the committed bytes again, and recomputes the logits from the committed
directory.

Two config generations are recorded: what transformers 5 writes (`rope_parameters`, `layer_types`), and
the 4.x layout checkpoints of 2024-2025 carry (`rope_theta`, `rope_scaling`, `partial_rotary_factor` at
the top level, window patterns instead of `layer_types`), which transformers 5 still reads.

Run in the project's virtual environment: .venv/bin/python tools/make_hf_fixtures.py [--check] [NAME...]
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

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import numpy as np  # noqa: E402
import safetensors.numpy  # noqa: E402
import safetensors.torch  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoConfig, AutoModelForCausalLM  # noqa: E402

transformers.utils.logging.disable_progress_bar()
transformers.utils.logging.set_verbosity_error()

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "transformers"
PREFILL = 24
DECODE = 3
# The files save_pretrained writes; all of them are committed.
SAVED = ("config.json", "generation_config.json", "model.safetensors")

# One thread: the models are tiny, and under `make test` both cores are busy with the other chain, where
# torch's OpenMP workers wait on each other for a descheduled thread (probes measured 5 to 10 times
# slower with two threads on a loaded machine).
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

TINY = {
    "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128, "num_attention_heads": 4,
    "num_key_value_heads": 2, "vocab_size": 256, "max_position_embeddings": 512,
    "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0,
}


@dataclass
class Fixture:
    name: str
    family: str
    description: str
    # model_type and the keyword arguments of its transformers config class.
    model_type: str
    config: dict
    windows: list[int] = field(default_factory=list)
    # The checkpoint's dtype: bfloat16 models compute in bfloat16 in transformers too.
    dtype: str = "float32"
    # Rewrites the saved config.json into another generation's layout (transformers reads both).
    layout: Callable[[dict], dict] | None = None
    # The model class, when AutoModelForCausalLM would not build what checkpoints of this type hold.
    model_class: str | None = None
    # The loaded model's submodule that computes the logits, when the class's own forward cannot run
    # on text alone (Llama4ForConditionalGeneration in transformers 5.24 reads an attribute its text
    # model's output lacks); the checkpoint is still the one the class saves and loads.
    logits_from: str | None = None
    # Names of norm weights that do not end in `norm.weight` (GPT-2's `ln_1.weight`): they multiply, so
    # they vary around one like the others.
    norm_weights: tuple[str, ...] = ()
    # The prompt's length where it must be longer than PREFILL (a recurrence transformers computes in
    # chunks of 64 positions: the prompt crosses several).
    prefill: int = PREFILL


def with_(base: dict, **changes) -> dict:
    out = copy.deepcopy(base)
    out.update(changes)
    return out


def without(base: dict, *keys: str) -> dict:
    return {k: v for k, v in base.items() if k not in keys}


# --- the 4.x layout ---------------------------------------------------------------------------------

def v4_hybrid(config: dict) -> dict:
    """A hybrid's config as transformers 4.x wrote it: v4_rope's layout, each layer's mixer named
    `mamba` or `attention`."""
    out = v4_rope(config)
    names = {"linear_attention": "mamba", "full_attention": "attention"}
    out["layer_types"] = [names.get(kind, kind) for kind in out["layer_types"]]
    return out


def nemotron_h_pattern(config: dict) -> dict:
    """A Nemotron-H config as released checkpoints write it: the block list as hybrid_override_pattern,
    one character per layer."""
    out = dict(config)
    letters = {"linear_attention": "M", "full_attention": "*", "mlp": "-", "moe": "E"}
    out["hybrid_override_pattern"] = "".join(letters[kind] for kind in out.pop("layers_block_type"))
    out.pop("layer_types", None)
    return out


def nemotron_h_older_names(config: dict) -> dict:
    """A Nemotron-H config under the older names transformers still reads (mamba_n_groups for n_groups,
    num_local_experts for n_routed_experts, ...), as transformers itself never writes them."""
    older = {"n_groups": "mamba_n_groups", "conv_kernel": "mamba_d_conv", "use_conv_bias": "mamba_conv_bias",
             "time_step_limit": "mamba_dt_limit", "chunk_size": "mamba_chunk_size", "expand": "mamba_expand",
             "time_step_min": "mamba_dt_min", "time_step_max": "mamba_dt_max",
             "time_step_floor": "mamba_dt_init_floor", "n_routed_experts": "num_local_experts"}
    return {older.get(key, key): value for key, value in config.items()}


# Nemotron-H with layers of experts among every other block (chunks of 8 across the prompt).
NEMOTRON_H_MOE = with_(TINY, intermediate_size=96, head_dim=24,
                       layers_block_type=["linear_attention", "moe", "full_attention", "mlp", "moe",
                                          "linear_attention"],
                       mamba_num_heads=8, mamba_head_dim=16, ssm_state_size=8, n_groups=2, conv_kernel=4, chunk_size=8,
                       use_conv_bias=True, use_bias=False, mlp_bias=False, layer_norm_epsilon=1e-5,
                       n_routed_experts=8, num_experts_per_tok=2, moe_intermediate_size=32,
                       moe_shared_expert_intermediate_size=48, n_shared_experts=1, n_group=2, topk_group=1,
                       norm_topk_prob=True, routed_scaling_factor=2.5)


def v4_rope(config: dict) -> dict:
    """rope_parameters as transformers 4.x wrote it: rope_theta and partial_rotary_factor at the top
    level, a scaling type (if any) as rope_scaling."""
    out = copy.deepcopy(config)
    params = out.pop("rope_parameters", None) or {}
    if "rope_theta" in params:
        out["rope_theta"] = params.pop("rope_theta")
    if "partial_rotary_factor" in params:
        out["partial_rotary_factor"] = params.pop("partial_rotary_factor")
    if params.get("rope_type", "default") != "default":
        out["rope_scaling"] = params
    return out


def flat_vl_config(config: dict) -> dict:
    """A Qwen2-VL-style config as released (transformers 4.x): the text settings at the top level beside
    the vision config, and the multimodal RoPE sections as a `mrope` rope_scaling."""
    out = copy.deepcopy(config)
    text = out.pop("text_config")
    text.pop("model_type", None)
    params = text.pop("rope_parameters")
    text["rope_theta"] = params["rope_theta"]
    text["rope_scaling"] = {"type": "mrope", "mrope_section": params["mrope_section"]}
    flat = {**text, **out}
    # Untied checkpoints may leave the key out: transformers then unties, which the fixture shows.
    if not flat.get("tie_word_embeddings"):
        flat.pop("tie_word_embeddings", None)
    return flat


def v4_gpt_neox(config: dict) -> dict:
    """GPT-NeoX's 4.x layout (Pythia as released): the RoPE base and rotated fraction at the top level
    under its own names, rotary_emb_base and rotary_pct."""
    out = copy.deepcopy(config)
    params = out.pop("rope_parameters")
    out["rotary_emb_base"] = params["rope_theta"]
    out["rotary_pct"] = params["partial_rotary_factor"]
    return out


def v4_renamed(config: dict, **names: str) -> dict:
    """The 4.x layout, with keys transformers 5 renamed (`num_local_experts`) under their old names."""
    out = v4_rope(config)
    for new, old in names.items():
        out[old] = out.pop(new)
    return out


def v4_rotary_dim(config: dict) -> dict:
    """The 4.x layout of configs that give the rotated width as `rotary_dim` (MiniMax-M2 as released):
    rope_theta at the top level, and no partial_rotary_factor anywhere."""
    out = v4_rope(config)
    out.pop("partial_rotary_factor", None)
    return out


def v4_without_layer_types(config: dict) -> dict:
    """The 4.x layout of a model whose schedule was never written down (derived from the layer index)."""
    out = v4_rope(config)
    out.pop("layer_types")
    return out


def v4_layer_types(key: str, pattern: Callable[[list[str]], object]):
    """A layout that also replaces `layer_types` by the 4.x key that derived it."""
    def layout(config: dict) -> dict:
        out = v4_rope(config)
        out[key] = pattern(out.pop("layer_types"))
        return out
    return layout


def v4_per_type_rope(config: dict) -> dict:
    """RoPE per layer type in the 4.x layout (Gemma 3, Gemma 3n): rope_theta and rope_local_base_freq
    at the top level, the global layers' scaling as rope_scaling."""
    out = copy.deepcopy(config)
    params = out.pop("rope_parameters")
    full, local = dict(params["full_attention"]), dict(params["sliding_attention"])
    out["rope_theta"] = full.pop("rope_theta")
    out["rope_local_base_freq"] = local.pop("rope_theta")
    if full.get("rope_type", "default") != "default":
        out["rope_scaling"] = full
    return out


def v4_full_attention_rope(config: dict) -> dict:
    """RoPE per layer type in the 4.x layout of OLMo 3: one rope_theta and rope_scaling at the top
    level, which transformers 5 reads as the full-attention layers' (the sliding ones take its default
    base)."""
    out = copy.deepcopy(config)
    full = dict(out.pop("rope_parameters")["full_attention"])
    out["rope_theta"] = full.pop("rope_theta")
    if full.get("rope_type", "default") != "default":
        out["rope_scaling"] = full
    return out


def v4_gemma3(config: dict) -> dict:
    """Gemma 3 in the 4.x layout: RoPE per layer type at the top level, sliding_window_pattern for
    layer_types."""
    out = v4_per_type_rope(config)
    types = out.pop("layer_types")
    out["sliding_window_pattern"] = types.index("full_attention") + 1
    out.pop("_sliding_window_pattern", None)
    return out


# --- the fixtures -----------------------------------------------------------------------------------

LLAMA3_SCALING = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                  "original_max_position_embeddings": 16}
YARN = {"rope_type": "yarn", "factor": 8.0, "beta_fast": 32.0, "beta_slow": 1.0,
        "original_max_position_embeddings": 16}


# --- GPT-2 and GPT-BigCode: learned positions, no RoPE ----------------------------------------------

# GPT-2's LayerNorms, whose weights do not end in `norm.weight`.
GPT2_NORMS = ("ln_1.weight", "ln_2.weight", "ln_f.weight")

GPT2_TINY = {
    "n_embd": 64, "n_layer": 2, "n_head": 4, "n_positions": 32, "vocab_size": 256,
    "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0,
}


def v4_gpt2(config: dict) -> dict:
    """The layout GPT-2 configs were published in: n_ctx beside the n_positions it equals."""
    out = copy.deepcopy(config)
    out["n_ctx"] = out["n_positions"]
    return out


def rope(theta: float, **scaling) -> dict:
    return dict(scaling, rope_theta=theta) if scaling else {"rope_type": "default", "rope_theta": theta}


# Falcon-H1: every multiplier apart from 1 (and from mlx-lm's defaults), so each is proven.
FALCON_H1_HF = with_(
    TINY, intermediate_size=96, head_dim=16, mamba_d_ssm=128, mamba_n_heads=8, mamba_d_head=16, mamba_d_state=8,
    mamba_n_groups=2, mamba_d_conv=4, mamba_chunk_size=8, mamba_conv_bias=True, mamba_proj_bias=False,
    projectors_bias=False, mamba_rms_norm=True, mamba_norm_before_gate=False, tie_word_embeddings=True,
    embedding_multiplier=2.5, lm_head_multiplier=0.75, attention_in_multiplier=1.5, key_multiplier=0.5,
    attention_out_multiplier=0.8, ssm_in_multiplier=1.25, ssm_out_multiplier=0.6,
    ssm_multipliers=[0.9, 1.1, 0.7, 1.3, 0.5], mlp_multipliers=[1.2, 0.8], rope_parameters=rope(10000.0))

GEMMA3N_TEXT = with_(
    TINY, num_hidden_layers=6, intermediate_size=[96, 128, 96, 128, 96, 128], head_dim=16, rms_norm_eps=1e-6,
    vocab_size_per_layer_input=128, num_kv_shared_layers=2, sliding_window=5,
    layer_types=["sliding_attention", "full_attention"] * 3,
    activation_sparsity_pattern=[0.95, 0.95, 0.0, 0.0, 0.0, 0.0], hidden_size_per_layer_input=8,
    altup_num_inputs=4, altup_coef_clip=0.3, altup_correct_scale=True, altup_active_idx=0, laurel_rank=8,
    final_logit_softcapping=30.0, tie_word_embeddings=True,
    rope_parameters={"full_attention": rope(1000000.0), "sliding_attention": rope(10000.0)})

# Vision towers of multimodal checkpoints, as small as transformers builds them; only the text model
# is read, the rest must be dropped by name.
SIGLIP = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
          "image_size": 16, "patch_size": 8}
# Qwen2-VL and Qwen2.5-VL vision towers, as small as their classes allow (the text is all that is run).
QWEN2_VL_VISION = {"depth": 1, "embed_dim": 16, "hidden_size": 64, "num_heads": 2, "mlp_ratio": 2,
                   "intermediate_size": 32, "out_hidden_size": 64, "fullatt_block_indexes": [0]}
QWEN3_VL_VISION = {"depth": 1, "hidden_size": 16, "num_heads": 2, "intermediate_size": 32,
                   "out_hidden_size": 64, "deepstack_visual_indexes": [0], "num_position_embeddings": 16}
QWEN3_5_VISION = without(QWEN3_VL_VISION, "deepstack_visual_indexes")
PIXTRAL = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
           "head_dim": 8, "image_size": 16, "patch_size": 8}
GEMMA3_TEXT = with_(TINY, head_dim=16, query_pre_attn_scalar=16, sliding_window=5,
                    layer_types=["sliding_attention", "full_attention"],
                    rope_parameters={"full_attention": rope(1000000.0), "sliding_attention": rope(10000.0)})
# Gemma 4: full-attention layers 32 wide (transformers 5 writes that as per_layer_config), proportional
# RoPE on them, the last layer full as transformers requires. The dense fixture has per-layer inputs,
# the last two of six layers sharing keys and values with layers 2 and 3 (not the first of their
# kind) through double-wide MLPs, one key/value head on full layers taking values from the keys, a
# softcap and a tie; the mixture one 8 GELU experts 24 wide top-2 beside each MLP, untied.
GEMMA4_ROPE = {"full_attention": {"rope_type": "proportional", "partial_rotary_factor": 0.25, "rope_theta": 1000000.0},
               "sliding_attention": rope(10000.0)}
GEMMA4_TEXT = with_(
    TINY, num_hidden_layers=6, intermediate_size=96, head_dim=16, global_head_dim=32, num_global_key_value_heads=1,
    attention_k_eq_v=True, sliding_window=5, layer_types=["sliding_attention", "full_attention"] * 3,
    rope_parameters=GEMMA4_ROPE, hidden_size_per_layer_input=8, vocab_size_per_layer_input=256,
    num_kv_shared_layers=2, use_double_wide_mlp=True, final_logit_softcapping=30.0, tie_word_embeddings=True)
GEMMA4_MOE = with_(
    GEMMA4_TEXT, num_hidden_layers=4, layer_types=["sliding_attention", "full_attention"] * 2,
    hidden_size_per_layer_input=0, num_kv_shared_layers=0, use_double_wide_mlp=False, attention_k_eq_v=False,
    enable_moe_block=True, num_experts=8, top_k_experts=2, moe_intermediate_size=24, tie_word_embeddings=False,
    final_logit_softcapping=None,
    rope_parameters={"full_attention": {"rope_type": "proportional", "partial_rotary_factor": 0.5,
                                        "rope_theta": 10000.0, "factor": 2.0},
                     "sliding_attention": rope(10000.0)})
# Towers of a multimodal Gemma 4 checkpoint, as small as transformers builds them.
GEMMA4_VISION = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                 "num_key_value_heads": 2, "head_dim": 8, "patch_size": 4, "position_embedding_size": 16,
                 "pooling_kernel_size": 2}
GEMMA4_AUDIO = {"hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
                "subsampling_conv_channels": [4, 4], "output_proj_dims": 16, "conv_kernel_size": 3}


def released_gemma4(config: dict) -> dict:
    """Gemma 4 as its released configs state the full-attention layers' sizes: global_head_dim and
    num_global_key_value_heads, which transformers 5 reads and rewrites as per_layer_config. The last
    layer is stated sliding, which transformers makes full again on reading."""
    out = copy.deepcopy(config)
    overrides = list(out.pop("per_layer_config").values())
    out["global_head_dim"] = overrides[0]["head_dim"]
    if "num_key_value_heads" in overrides[0]:
        out["num_global_key_value_heads"] = overrides[0]["num_key_value_heads"]
    out["layer_types"][-1] = "sliding_attention"
    return out


MINISTRAL3 = with_(TINY, head_dim=16,
                   rope_parameters={"rope_type": "yarn", "rope_theta": 1000000.0, "factor": 16.0,
                                    "original_max_position_embeddings": 8, "beta_fast": 32.0, "beta_slow": 1.0,
                                    "mscale": 1.0, "mscale_all_dim": 1.0, "llama_4_scaling_beta": 0.1})

LLAMA4_VISION = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                 "image_size": 16, "patch_size": 8, "vision_output_dim": 16, "projector_input_dim": 16,
                 "projector_output_dim": 16}
# Llama 4 text: 4 layers, NoPE every second one (temperature-tuned from position 3 on), chunks of 6 on
# the others with their rotated q/k normalised, experts on layers 1 and 3 (top-2 of 4, each on the
# token scaled by its sigmoid score) beside a shared expert, llama3 RoPE.
LLAMA4_TEXT = with_(TINY, num_hidden_layers=4, head_dim=16, intermediate_size=32, intermediate_size_mlp=96,
                    num_local_experts=4, num_experts_per_tok=2, interleave_moe_layer_step=2,
                    no_rope_layer_interval=2, attention_chunk_size=6, use_qk_norm=True,
                    attn_temperature_tuning=True, floor_scale=4, attn_scale=0.5,
                    rope_parameters=rope(500000.0, **LLAMA3_SCALING))


def v4_llama4(config: dict) -> dict:
    """Llama 4 in the 4.x layout, its schedule left to the keys it derives from (moe_layers from
    interleave_moe_layer_step, no_rope_layers from no_rope_layer_interval), as hand-written configs
    state it; layer_types did not exist yet."""
    out = v4_rope(config)
    for key in ("layer_types", "moe_layers", "no_rope_layers"):
        out.pop(key)
    return out


def lfm2_v4(config: dict) -> dict:
    """An LFM2 config as LiquidAI released them for transformers 4.x: rope_theta at the top level, the
    MLP width as block_ff_dim, the attention layers as full_attn_idxs without layer_types."""
    out = without(v4_rope(config), "layer_types", "intermediate_size")
    out["block_ff_dim"] = config["intermediate_size"]
    return out


def v4_full_attention_interval(config: dict) -> dict:
    """A Qwen3-Next config as released for transformers 4.x: rope_theta and partial_rotary_factor at the
    top level, and every full_attention_interval-th layer attending in place of layer_types."""
    out = v4_rope(config)
    out["full_attention_interval"] = out.pop("layer_types").index("full_attention") + 1
    return out


JAMBA_HF = with_(TINY, num_hidden_layers=6, intermediate_size=32, attn_layer_period=3, attn_layer_offset=1,
                 expert_layer_period=4, expert_layer_offset=1, num_experts=8, num_experts_per_tok=2,
                 mamba_d_state=8, mamba_d_conv=4, mamba_expand=2, mamba_dt_rank="auto", mamba_conv_bias=True,
                 mamba_proj_bias=False, rms_norm_eps=1e-5)


FIXTURES: list[Fixture] = [
    Fixture("llama", "llama", "plain llama, GQA 2", "llama", TINY),
    Fixture("llama_bias_tied", "llama", "attention and MLP biases, tied", "llama",
            with_(TINY, attention_bias=True, mlp_bias=True, tie_word_embeddings=True)),
    Fixture("llama_llama3", "llama", "llama3 scaling, original context below the prompt", "llama",
            with_(TINY, rope_parameters=rope(500000.0, **LLAMA3_SCALING))),
    Fixture("llama_dynamic", "llama",
            "dynamic NTK scaling, max_position_embeddings 16: the prompt and each decode step past it raise the base",
            "llama", with_(TINY, max_position_embeddings=16, rope_parameters=rope(10000.0, rope_type="dynamic",
                                                                                   factor=2.0))),
    Fixture("llama_llama3_v4", "llama", "the llama3 fixture in the 4.x layout (rope_theta, rope_scaling)",
            "llama", with_(TINY, rope_parameters=rope(500000.0, **LLAMA3_SCALING)), layout=v4_rope),
    Fixture("llama_yarn", "llama", "yarn scaling", "llama",
            with_(TINY, rope_parameters=rope(150000.0, **YARN))),
    Fixture("llama_linear_v4", "llama", "linear scaling, 4.x layout", "llama",
            with_(TINY, head_dim=32, rope_parameters=rope(10000.0, rope_type="linear", factor=4.0)),
            layout=v4_rope),
    Fixture("llama_bf16", "llama", "bfloat16 weights, computed in bfloat16", "llama", TINY, dtype="bfloat16"),
    Fixture("mistral", "mistral", "head_dim 32, GQA 4, a sliding window shorter than the prompt", "mistral",
            with_(TINY, num_attention_heads=8, head_dim=32, sliding_window=6,
                  rope_parameters=rope(1000000.0)), windows=[6]),
    Fixture("mistral_v4", "mistral", "no sliding window (null), 4.x layout", "mistral",
            with_(TINY, sliding_window=None, rope_parameters=rope(1000000.0)), layout=v4_rope),
    Fixture("qwen2", "qwen2", "q/k/v bias, tied", "qwen2",
            with_(TINY, tie_word_embeddings=True, rope_parameters=rope(1000000.0))),
    Fixture("qwen2_v4", "qwen2", "untied, 4.x layout", "qwen2",
            with_(TINY, rope_parameters=rope(1000000.0)), layout=v4_rope),
    Fixture("gemma2", "gemma2", "soft-capped scores and logits, sliding and full layers alternating, window 6",
            "gemma2", with_(TINY, num_hidden_layers=4, head_dim=16, query_pre_attn_scalar=24,
                            attn_logit_softcapping=2.0, final_logit_softcapping=5.0, sliding_window=6,
                            tie_word_embeddings=True, rope_parameters=rope(10000.0)), windows=[6]),
    Fixture("gemma2_v4", "gemma2", "the 4.x layout: no layer_types, the schedule derived; GQA 4",
            "gemma2", with_(TINY, num_attention_heads=8, head_dim=16, query_pre_attn_scalar=16,
                            attn_logit_softcapping=1.5, final_logit_softcapping=10.0, sliding_window=5,
                            tie_word_embeddings=True, rope_parameters=rope(10000.0)),
            windows=[5], layout=v4_without_layer_types),
    Fixture("nemotron", "nemotron", "LayerNorm1P, relu-squared MLP, half of each head rotated, biases",
            "nemotron", with_(TINY, norm_eps=1e-5, attention_bias=True, mlp_bias=True,
                              rope_parameters=dict(rope(10000.0), partial_rotary_factor=0.5))),
    Fixture("nemotron_v4", "nemotron", "a quarter rotated, tied, 4.x layout", "nemotron",
            with_(TINY, norm_eps=1e-5, tie_word_embeddings=True,
                  rope_parameters=dict(rope(10000.0), partial_rotary_factor=0.25)), layout=v4_rope),
    Fixture("qwen2_dynamic_v4", "qwen2", "dynamic NTK scaling past max_position_embeddings 20, 4.x layout",
            "qwen2", with_(TINY, max_position_embeddings=20,
                           rope_parameters=rope(1000000.0, rope_type="dynamic", factor=3.0)), layout=v4_rope),
    Fixture("qwen2_vl", "qwen2",
            "a Qwen2-VL checkpoint: the text model in text_config beside a vision tower, tied by the top level only",
            "qwen2_vl",
            {"text_config": with_(TINY, rope_parameters=dict(rope(1000000.0), mrope_section=[2, 3, 3])),
             "vision_config": QWEN2_VL_VISION, "tie_word_embeddings": True},
            model_class="Qwen2VLForConditionalGeneration"),
    Fixture("qwen2_5_vl_v4", "qwen2",
            "a Qwen2.5-VL checkpoint in the 4.x layout: text settings at the top level, mrope rope_scaling, "
            "tie_word_embeddings left out (untied)",
            "qwen2_5_vl",
            {"text_config": with_(TINY, rope_parameters=dict(rope(1000000.0), mrope_section=[4, 2, 2])),
             "vision_config": QWEN2_VL_VISION, "tie_word_embeddings": False},
            layout=flat_vl_config, model_class="Qwen2_5_VLForConditionalGeneration"),
    Fixture("qwen3", "qwen3", "per-head q/k norms, head_dim 32", "qwen3",
            with_(TINY, head_dim=32, rope_parameters=rope(1000000.0))),
    Fixture("qwen3_vl", "qwen3",
            "a Qwen3-VL checkpoint: the text model in text_config beside a vision tower, interleaved multimodal "
            "RoPE sections, untied",
            "qwen3_vl",
            {"text_config": with_(TINY, head_dim=32, rope_parameters=dict(
                rope(1000000.0), mrope_section=[8, 4, 4], mrope_interleaved=True)),
             "vision_config": QWEN3_VL_VISION, "tie_word_embeddings": False},
            model_class="Qwen3VLForConditionalGeneration"),
    Fixture("qwen3_v4_tied", "qwen3", "tied, yarn, 4.x layout", "qwen3",
            with_(TINY, head_dim=16, tie_word_embeddings=True, rope_parameters=rope(1000000.0, **YARN)),
            layout=v4_rope),
    Fixture("phi3", "phi3", "fused qkv and gate_up, partial rotary 0.75", "phi3",
            with_(TINY, rope_parameters=rope(10000.0, partial_rotary_factor=0.75))),
    Fixture("phi3_v4", "phi3", "partial_rotary_factor at the top level, 4.x layout", "phi3",
            with_(TINY, rope_parameters=rope(10000.0, partial_rotary_factor=0.5)), layout=v4_rope),
    Fixture("phi3_longrope", "phi3", "longrope: short factors until decode passes the original context", "phi3",
            with_(TINY, max_position_embeddings=4096, original_max_position_embeddings=PREFILL + 1,
                  rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0,
                                   "short_factor": [1.0 + 0.05 * i for i in range(8)],
                                   "long_factor": [1.0 + 0.4 * i for i in range(8)]})),
    Fixture("gemma3", "gemma3", "sliding every other layer (window 5), per-type RoPE, hidden 72, tied",
            "gemma3_text",
            with_(TINY, hidden_size=72, num_hidden_layers=4, head_dim=16, query_pre_attn_scalar=24,
                  sliding_window=5, tie_word_embeddings=True,
                  layer_types=["sliding_attention", "full_attention"] * 2,
                  rope_parameters={"full_attention": rope(1000000.0, rope_type="linear", factor=8.0),
                                   "sliding_attention": rope(10000.0)}),
            windows=[5]),
    Fixture("gemma3_v4", "gemma3", "4.x layout: sliding_window_pattern 3, rope_local_base_freq", "gemma3_text",
            with_(TINY, num_hidden_layers=3, head_dim=16, query_pre_attn_scalar=16, sliding_window=5,
                  layer_types=["sliding_attention", "sliding_attention", "full_attention"],
                  rope_parameters={"full_attention": rope(1000000.0),
                                   "sliding_attention": rope(10000.0)}),
            windows=[5], layout=v4_gemma3),
    Fixture("gemma3_bf16", "gemma3", "bfloat16, sliding window 5, tied", "gemma3_text",
            with_(TINY, hidden_size=72, num_hidden_layers=2, head_dim=16, query_pre_attn_scalar=24,
                  sliding_window=5, tie_word_embeddings=True,
                  layer_types=["sliding_attention", "full_attention"],
                  rope_parameters={"full_attention": rope(1000000.0), "sliding_attention": rope(10000.0)}),
            windows=[5], dtype="bfloat16"),
    Fixture("smollm3", "smollm3", "4 layers, every 4th NoPE", "smollm3",
            with_(TINY, num_hidden_layers=4, rope_parameters=rope(2000000.0))),
    Fixture("smollm3_v4", "smollm3", "an explicit no_rope_layers list, tied, 4.x layout", "smollm3",
            with_(TINY, num_hidden_layers=4, no_rope_layers=[0, 1, 0, 1], tie_word_embeddings=True,
                  rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("ministral3", "mistral3", "YaRN and Llama-4 query scaling from rope_parameters", "ministral3",
            MINISTRAL3),
    Fixture("gemma3_wrapper", "gemma3",
            "a multimodal checkpoint: a vision tower to drop, the text model under language_model., tied by the "
            "top-level tie_word_embeddings", "gemma3",
            {"text_config": GEMMA3_TEXT, "vision_config": SIGLIP, "mm_tokens_per_image": 4,
             "image_token_index": 255, "boi_token_index": 253, "eoi_token_index": 254},
            windows=[5], model_class="Gemma3ForConditionalGeneration"),
    Fixture("mistral3_wrapper", "mistral3", "a multimodal checkpoint holding ministral3, untied at the top level",
            "mistral3",
            {"text_config": dict(MINISTRAL3, model_type="ministral3"), "vision_config": PIXTRAL,
             "image_token_index": 250, "spatial_merge_size": 2, "tie_word_embeddings": False},
            model_class="Mistral3ForConditionalGeneration"),
    Fixture("mistral3_mistral", "mistral",
            "a multimodal checkpoint holding a Mistral text model (Mistral Small 3.x), tied by default",
            "mistral3",
            {"text_config": with_(TINY, model_type="mistral", head_dim=32, sliding_window=None,
                                  rope_parameters=rope(1000000000.0)),
             "vision_config": PIXTRAL, "image_token_index": 250, "spatial_merge_size": 2},
            model_class="Mistral3ForConditionalGeneration"),
    Fixture("gpt_oss", "gpt_oss",
            "sinks, YaRN untruncated (GPT-OSS's own settings, where rounding moves the ramp), sliding window 6, "
            "8 experts top-2", "gpt_oss",
            with_(TINY, num_hidden_layers=4, intermediate_size=32, head_dim=16, num_local_experts=8,
                  num_experts_per_tok=2, sliding_window=6,
                  layer_types=["sliding_attention", "full_attention"] * 2,
                  rope_parameters={"rope_type": "yarn", "rope_theta": 150000.0, "factor": 32.0,
                                   "beta_fast": 32.0, "beta_slow": 1.0,
                                   "original_max_position_embeddings": 4096, "truncate": False}),
            windows=[6]),
    Fixture("gemma4", "gemma4",
            "per-layer inputs, 2 KV-sharing layers through double-wide MLPs, full layers 32 wide (per_layer_config) "
            "with one key/value head and values from the keys, proportional RoPE over a quarter, softcap, tied",
            "gemma4_text", GEMMA4_TEXT, windows=[5]),
    Fixture("gemma4_moe", "gemma4",
            "8 GELU experts top-2 beside each MLP, their router normalising the residual stream, per-expert scales; "
            "proportional RoPE over half, factor 2; untied",
            "gemma4_text", GEMMA4_MOE, windows=[5]),
    Fixture("gemma4_v4", "gemma4",
            "the released config layout (global_head_dim, num_global_key_value_heads), the last layer stated "
            "sliding (transformers makes it full): top-3 experts, values from the keys, tied",
            "gemma4_text", with_(GEMMA4_MOE, top_k_experts=3, attention_k_eq_v=True, tie_word_embeddings=True),
            windows=[5], layout=released_gemma4),
    Fixture("gemma4_wrapper", "gemma4",
            "a multimodal checkpoint: vision and audio towers and embedders to drop, the text model under "
            "model.language_model., untied by the top-level tie_word_embeddings", "gemma4",
            {"text_config": GEMMA4_TEXT, "vision_config": GEMMA4_VISION, "audio_config": GEMMA4_AUDIO,
             "tie_word_embeddings": False},
            windows=[5], model_class="Gemma4ForConditionalGeneration"),
    Fixture("gemma3n", "gemma3n",
            "AltUp, LAuReL, per-layer inputs, sparse GELU, 2 KV-sharing layers saved without their key "
            "and value projections, per-layer widths, softcap",
            "gemma3n_text", GEMMA3N_TEXT, windows=[5]),
    Fixture("gemma3n_dense_v4", "gemma3n", "one MLP width, no sparsity or sharing, a wide clip; 4.x layout", "gemma3n_text",
            with_(GEMMA3N_TEXT, intermediate_size=112, activation_sparsity_pattern=[0.0] * 6,
                  num_kv_shared_layers=0, altup_coef_clip=120.0, final_logit_softcapping=50.0,
                  altup_active_idx=1), windows=[5], layout=v4_per_type_rope),
    Fixture("helium", "helium", "q/k/v bias, MLP bias", "helium",
            with_(TINY, head_dim=16, attention_bias=True, mlp_bias=True, rope_parameters=rope(100000.0))),
    Fixture("helium_v4", "helium", "tied, no biases, 4.x layout", "helium",
            with_(TINY, head_dim=16, tie_word_embeddings=True, rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("ernie4_5", "ernie4_5", "use_bias, head_dim 32", "ernie4_5",
            with_(TINY, head_dim=32, use_bias=True, rope_parameters=rope(500000.0))),
    Fixture("ernie4_5_v4", "ernie4_5", "tied, no bias, 4.x layout", "ernie4_5",
            with_(TINY, use_bias=False, tie_word_embeddings=True, rope_parameters=rope(10000.0)),
            layout=v4_rope),
    Fixture("seed_oss", "seed_oss", "q/k/v bias without an output bias, MLP bias, linear scaling", "seed_oss",
            with_(TINY, head_dim=32, attention_bias=True, attention_out_bias=False, mlp_bias=True,
                  rope_parameters=rope(10000.0, rope_type="linear", factor=2.0))),
    Fixture("seed_oss_dynamic", "seed_oss", "dynamic NTK scaling past max_position_embeddings 12", "seed_oss",
            with_(TINY, head_dim=32, attention_bias=True, attention_out_bias=False, mlp_bias=False,
                  max_position_embeddings=12, rope_parameters=rope(10000.0, rope_type="dynamic", factor=4.0))),
    Fixture("seed_oss_v4", "seed_oss", "an output bias only, tied, 4.x layout", "seed_oss",
            with_(TINY, head_dim=16, attention_bias=False, attention_out_bias=True, tie_word_embeddings=True,
                  rope_parameters=rope(500000.0)), layout=v4_rope),
    Fixture("olmo2", "olmo2", "post-norm blocks, whole-projection q/k norms, biases", "olmo2",
            with_(TINY, attention_bias=True, rope_parameters=rope(500000.0))),
    Fixture("olmo2_v4", "olmo2", "llama3 scaling, tied, 4.x layout", "olmo2",
            with_(TINY, tie_word_embeddings=True, rope_parameters=rope(500000.0, **LLAMA3_SCALING)),
            layout=v4_rope),
    Fixture("granite", "granite", "embedding, attention, residual and logit multipliers; biases", "granite",
            with_(TINY, attention_bias=True, mlp_bias=True, embedding_multiplier=12.0,
                  attention_multiplier=0.0078125, residual_multiplier=0.22, logits_scaling=8.0,
                  rope_parameters=rope(10000.0))),
    Fixture("granite_v4", "granite", "tied, linear scaling, 4.x layout", "granite",
            with_(TINY, embedding_multiplier=3.0, attention_multiplier=0.25, residual_multiplier=0.5,
                  logits_scaling=2.0, tie_word_embeddings=True,
                  rope_parameters=rope(10000.0, rope_type="linear", factor=4.0)), layout=v4_rope),
    Fixture("granitemoe", "granitemoe",
            "8 experts top-3 (input_linear halves, router.layer), multipliers, biases, head_dim 32", "granitemoe",
            with_(TINY, intermediate_size=32, head_dim=32, attention_bias=True, num_local_experts=8,
                  num_experts_per_tok=3, embedding_multiplier=12.0, attention_multiplier=0.0078125,
                  residual_multiplier=0.22, logits_scaling=8.0, rope_parameters=rope(10000.0))),
    Fixture("granitemoe_v4", "granitemoe", "4 experts top-2, tied, linear scaling, 4.x layout", "granitemoe",
            with_(TINY, intermediate_size=32, num_local_experts=4, num_experts_per_tok=2, embedding_multiplier=3.0,
                  attention_multiplier=0.25, residual_multiplier=0.5, logits_scaling=2.0, tie_word_embeddings=True,
                  rope_parameters=rope(10000.0, rope_type="linear", factor=4.0)), layout=v4_rope),
    Fixture("phimoe", "phimoe",
            "sparse mixer (band 0.3) over 8 experts, biases, head_dim 32; longrope: short factors throughout, "
            "short_mscale until decode passes the original context, long_mscale after", "phimoe",
            with_(TINY, intermediate_size=32, head_dim=32, num_local_experts=8, router_jitter_noise=0.3,
                  attention_bias=True, lm_head_bias=True, max_position_embeddings=4096,
                  rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0,
                                   "original_max_position_embeddings": PREFILL + 1,
                                   "short_factor": [1.0 + 0.05 * i for i in range(16)],
                                   "long_factor": [1.0 + 0.4 * i for i in range(16)],
                                   "short_mscale": 1.1, "long_mscale": 1.3})),
    Fixture("phimoe_v4", "phimoe",
            "4 experts, the default band, no biases, a sliding window of 6; longrope with equal mscales and "
            "the original context at the top level too, as Phi-3.5-MoE states them; 4.x layout", "phimoe",
            with_(TINY, intermediate_size=32, num_local_experts=4, sliding_window=6, max_position_embeddings=4096,
                  original_max_position_embeddings=8,
                  rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0,
                                   "original_max_position_embeddings": 8,
                                   "short_factor": [1.0 + 0.05 * i for i in range(8)],
                                   "long_factor": [1.0 + 0.4 * i for i in range(8)],
                                   "short_mscale": 1.2, "long_mscale": 1.2}),
            windows=[6], layout=v4_rope),
    Fixture("starcoder2", "starcoder2", "LayerNorm, biases, tanh-GELU MLP as real configs name it", "starcoder2",
            with_(TINY, hidden_act="gelu_pytorch_tanh", sliding_window=None, rope_parameters=rope(100000.0))),
    Fixture("starcoder2_v4", "starcoder2", "tied, one key/value head, a sliding window of 6, 4.x layout",
            "starcoder2",
            with_(TINY, num_key_value_heads=1, tie_word_embeddings=True, sliding_window=6,
                  rope_parameters=rope(10000.0)), windows=[6], layout=v4_rope),
    Fixture("phi", "phi", "parallel attention and MLP behind one LayerNorm, 0.4 of each head rotated, GQA 2", "phi",
            with_(TINY, rope_parameters=rope(10000.0, partial_rotary_factor=0.4))),
    Fixture("phi_v4", "phi", "half of each head rotated, one key/value head, 4.x layout", "phi",
            with_(TINY, num_key_value_heads=1, hidden_act="gelu_new",
                  rope_parameters=rope(20000.0, partial_rotary_factor=0.5)),
            layout=v4_rope),
    Fixture("stablelm", "stablelm", "LayerNorm, a quarter of each head rotated, q/k/v biases, GQA 2", "stablelm",
            with_(TINY, use_qkv_bias=True, rope_parameters=rope(10000.0, partial_rotary_factor=0.25))),
    Fixture("stablelm_parallel_v4", "stablelm", "attention and MLP side by side, half rotated, tied, 4.x layout",
            "stablelm",
            with_(TINY, use_parallel_residual=True, tie_word_embeddings=True,
                  rope_parameters=rope(20000.0, partial_rotary_factor=0.5)), layout=v4_rope),
    Fixture("gpt2", "gpt2", "learned positions (32, the prompt and decode reach 27), Conv1D weights, n_inner 96, "
            "tanh GELU, tied", "gpt2", with_(GPT2_TINY, n_inner=96, activation_function="gelu_new"),
            norm_weights=GPT2_NORMS),
    Fixture("gpt2_v4", "gpt2", "scores unscaled (scale_attn_weights false), exact GELU, untied, three layers, "
            "n_ctx stated", "gpt2",
            with_(GPT2_TINY, n_layer=3, n_positions=40, scale_attn_weights=False, activation_function="gelu",
                  tie_word_embeddings=False), layout=v4_gpt2, norm_weights=GPT2_NORMS),
    Fixture("gpt_bigcode", "gpt_bigcode", "multi-query attention, learned positions, tanh GELU by default, "
            "n_inner 96, untied", "gpt_bigcode", with_(GPT2_TINY, n_inner=96, tie_word_embeddings=False),
            norm_weights=GPT2_NORMS),
    Fixture("gpt_bigcode_v4", "gpt_bigcode", "scores unscaled (scale_attn_weights false), exact GELU, tied, "
            "three layers, n_ctx stated", "gpt_bigcode",
            with_(GPT2_TINY, n_layer=3, n_positions=40, scale_attn_weights=False, activation_function="gelu"),
            layout=v4_gpt2, norm_weights=GPT2_NORMS),
    Fixture("cohere", "cohere", "parallel attention and MLP, per-head q/k LayerNorms, interleaved RoPE, tied, GQA 2",
            "cohere", with_(TINY, use_qk_norm=True, tie_word_embeddings=True, logit_scale=0.25,
                            rope_parameters=rope(10000.0))),
    Fixture("cohere_v4", "cohere", "attention biases, head_dim 32 beside hidden 64, untied, 4.x layout", "cohere",
            with_(TINY, attention_bias=True, head_dim=32, logit_scale=0.125, rope_parameters=rope(20000.0)),
            layout=v4_rope),
    Fixture("mixtral", "mixtral", "4 experts top-2, head_dim 32, a sliding window of 6", "mixtral",
            with_(TINY, head_dim=32, num_local_experts=4, num_experts_per_tok=2, sliding_window=6,
                  rope_parameters=rope(1000000.0)), windows=[6]),
    Fixture("mixtral_v4", "mixtral", "top-3 of 4, no sliding window, 4.x layout", "mixtral",
            with_(TINY, num_local_experts=4, num_experts_per_tok=3, sliding_window=None,
                  rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("qwen2_moe", "qwen2_moe",
            "8 experts top-2 renormalised beside a gated shared expert, layer 0 dense, head_dim 32", "qwen2_moe",
            with_(TINY, num_hidden_layers=3, head_dim=32, num_experts=8, num_experts_per_tok=2,
                  moe_intermediate_size=32, shared_expert_intermediate_size=48, mlp_only_layers=[0],
                  norm_topk_prob=True, rope_parameters=rope(1000000.0))),
    Fixture("qwen2_moe_v4", "qwen2_moe",
            "sparse step 2, top-3 not renormalised, no q/k/v bias, tied; 4.x layout", "qwen2_moe",
            with_(TINY, num_hidden_layers=4, num_experts=8, num_experts_per_tok=3, moe_intermediate_size=32,
                  shared_expert_intermediate_size=40, decoder_sparse_step=2, qkv_bias=False,
                  tie_word_embeddings=True, rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("glm4_moe", "glm4_moe",
            "4 groups of 4 experts, 2 kept, top-3 sigmoid with a selection bias, renormalised, scaled 1.5", "glm4_moe",
            with_(TINY, num_hidden_layers=3, head_dim=16, n_routed_experts=16, num_experts_per_tok=3,
                  moe_intermediate_size=32, n_shared_experts=1, n_group=4, topk_group=2, routed_scaling_factor=1.5,
                  norm_topk_prob=True, first_k_dense_replace=1, attention_bias=True,
                  rope_parameters=dict(rope(10000.0), partial_rotary_factor=0.5))),
    Fixture("glm4_moe_v4", "glm4_moe",
            "2 dense layers, one group, top-2 not renormalised, quarter rotary, tied; 4.x layout", "glm4_moe",
            with_(TINY, num_hidden_layers=3, n_routed_experts=8, num_experts_per_tok=2, moe_intermediate_size=32,
                  n_shared_experts=2, norm_topk_prob=False, first_k_dense_replace=2, tie_word_embeddings=True,
                  rope_parameters=dict(rope(10000.0), partial_rotary_factor=0.25)), layout=v4_rope),
    Fixture("deepseek_v3", "deepseek_v3",
            "latent attention through a query rank (interleaved RoPE on 8 of 24 query dimensions, a 32-wide "
            "latent, 24-wide values) under YaRN past its original context of 8 with both mscales; 2 groups of 4 "
            "experts, 1 kept, top-2 sigmoid with a selection bias, renormalised, scaled 2.5; q_a/kv_a/o bias",
            "deepseek_v3",
            with_(TINY, num_hidden_layers=3, intermediate_size=96, num_key_value_heads=4, max_position_embeddings=32,
                  q_lora_rank=48, kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24,
                  n_routed_experts=8, num_experts_per_tok=2, moe_intermediate_size=32, n_shared_experts=1, n_group=2,
                  topk_group=1, routed_scaling_factor=2.5, norm_topk_prob=True, first_k_dense_replace=1,
                  attention_bias=True, rope_interleave=True,
                  rope_parameters=rope(10000.0, rope_type="yarn", factor=4.0, original_max_position_embeddings=8,
                                       beta_fast=32.0, beta_slow=1.0, mscale=1.0, mscale_all_dim=0.8))),
    Fixture("deepseek_v3_v4", "deepseek_v3",
            "q_proj (no query rank), RoPE on the halves (rope_interleave false), YaRN with mscale_all_dim alone, "
            "one group, top-3 not renormalised, 2 shared experts wide, experts on every layer; 4.x layout",
            "deepseek_v3",
            with_(TINY, num_hidden_layers=2, intermediate_size=96, num_key_value_heads=4, max_position_embeddings=64,
                  q_lora_rank=None, kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24,
                  n_routed_experts=8, num_experts_per_tok=3, moe_intermediate_size=32, n_shared_experts=2, n_group=1,
                  topk_group=1, routed_scaling_factor=1.0, norm_topk_prob=False, first_k_dense_replace=0,
                  rope_interleave=False,
                  rope_parameters=rope(10000.0, rope_type="yarn", factor=8.0, original_max_position_embeddings=8,
                                       mscale_all_dim=1.0)), layout=v4_rope),
    Fixture("deepseek_v2", "deepseek_v2",
            "latent attention through a query rank under YaRN past its original context of 8 with both mscales; "
            "top-2 softmax among the experts of the 2 of 4 groups with the best top score, scaled 2; q_a/kv_a/o bias",
            "deepseek_v2",
            with_(TINY, num_hidden_layers=3, intermediate_size=96, num_key_value_heads=4, max_position_embeddings=32,
                  q_lora_rank=48, kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24,
                  n_routed_experts=8, num_experts_per_tok=2, moe_intermediate_size=32, n_shared_experts=1,
                  topk_method="group_limited_greedy", n_group=4, topk_group=2, routed_scaling_factor=2.0,
                  first_k_dense_replace=1, attention_bias=True,
                  rope_parameters=rope(10000.0, rope_type="yarn", factor=4.0, original_max_position_embeddings=8,
                                       beta_fast=32.0, beta_slow=1.0, mscale=1.0, mscale_all_dim=0.8))),
    Fixture("deepseek_v2_v4", "deepseek_v2",
            "greedy top-3 over all 8 experts though n_group is 4, q_proj (no query rank), plain RoPE, 2 shared "
            "experts wide, scaled 1.5, experts on every layer; 4.x layout", "deepseek_v2",
            with_(TINY, num_hidden_layers=2, intermediate_size=96, num_key_value_heads=4, q_lora_rank=None,
                  kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24, n_routed_experts=8,
                  num_experts_per_tok=3, moe_intermediate_size=32, n_shared_experts=2, topk_method="greedy",
                  n_group=4, topk_group=1, routed_scaling_factor=1.5, first_k_dense_replace=0,
                  rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("glm4_moe_lite", "glm4_moe_lite",
            "latent attention through a query rank (interleaved RoPE); experts on layers 0 and 2 by mlp_layer_types, "
            "2 groups of 4, 1 kept, top-2 sigmoid with a selection bias, renormalised, scaled 1.8",
            "glm4_moe_lite",
            with_(TINY, num_hidden_layers=3, intermediate_size=96, num_key_value_heads=4, q_lora_rank=48,
                  kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24, n_routed_experts=8,
                  num_experts_per_tok=2, moe_intermediate_size=32, n_shared_experts=1, n_group=2, topk_group=1,
                  routed_scaling_factor=1.8, norm_topk_prob=True, mlp_layer_types=["sparse", "dense", "sparse"],
                  rope_parameters=rope(1000000.0))),
    Fixture("glm4_moe_lite_v4", "glm4_moe_lite",
            "q_proj (no query rank), RoPE on the halves (rope_interleave false), the first layer dense with no "
            "mlp_layer_types, top-3 not renormalised, 2 shared experts wide; 4.x layout", "glm4_moe_lite",
            with_(TINY, num_hidden_layers=3, intermediate_size=96, num_key_value_heads=4, q_lora_rank=None,
                  kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24, n_routed_experts=8,
                  num_experts_per_tok=3, moe_intermediate_size=32, n_shared_experts=2, norm_topk_prob=False,
                  routed_scaling_factor=1.0, rope_interleave=False, rope_parameters=rope(10000.0)),
            layout=lambda config: without(v4_rope(config), "mlp_layer_types")),
    Fixture("youtu", "youtu",
            "latent attention through a query rank (interleaved RoPE on 8 of 24 query dimensions, 24-wide values) "
            "under YaRN past its original context of 8 with both mscales, q_a/kv_a/o bias, a dense SwiGLU MLP; "
            "tied; pad_token_id 0, a prompt token, whose nonzero embedding row transformers zeroes as it loads", "youtu",
            with_(TINY, intermediate_size=96, num_key_value_heads=4, max_position_embeddings=32, rms_norm_eps=1e-5,
                  q_lora_rank=48, kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24,
                  attention_bias=True, tie_word_embeddings=True, pad_token_id=0,
                  rope_parameters=rope(10000.0, rope_type="yarn", factor=4.0, original_max_position_embeddings=8,
                                       beta_fast=32, beta_slow=1, mscale=1.0, mscale_all_dim=0.8))),
    Fixture("youtu_v4", "youtu",
            "q_proj (no query rank), RoPE on the halves (rope_interleave false), plain RoPE, untied; 4.x layout",
            "youtu",
            with_(TINY, intermediate_size=96, num_key_value_heads=4, q_lora_rank=None, kv_lora_rank=32,
                  qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24, rope_interleave=False,
                  tie_word_embeddings=False, rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("lfm2", "lfm2",
            "attention, convolution, convolution, attention by layer_types; biases on the 3-tap convolutions and "
            "their projections; the MLP two thirds of 200, times 1.5, rounded up to 224; untied", "lfm2",
            with_(without(TINY, "intermediate_size"), num_hidden_layers=4, intermediate_size=200,
                  block_multiple_of=32, block_ffn_dim_multiplier=1.5, conv_bias=True, conv_L_cache=3,
                  layer_types=["full_attention", "conv", "conv", "full_attention"], rope_parameters=rope(1000000.0))),
    Fixture("lfm2_v4", "lfm2",
            "convolutions on layers 0 and 2 by full_attn_idxs, 2-tap filters without biases, the MLP 96 wide "
            "unadjusted, RoPE base 10000, tied; 4.x layout (block_ff_dim)", "lfm2",
            with_(without(TINY, "intermediate_size"), num_hidden_layers=4, intermediate_size=96,
                  block_auto_adjust_ff_dim=False, conv_L_cache=2, full_attn_idxs=[1, 3], tie_word_embeddings=True,
                  rope_parameters=rope(10000.0)), layout=lfm2_v4),
    Fixture("lfm2_moe", "lfm2_moe",
            "attention, convolution, convolution, attention by layer_types; layers 0 and 1 dense, then 8 experts "
            "top-2 by sigmoid score plus a selection bias, renormalised, scaled 1.5; biased convolutions; untied",
            "lfm2_moe",
            with_(without(TINY, "intermediate_size"), num_hidden_layers=4, intermediate_size=96,
                  moe_intermediate_size=32, num_experts=8, num_experts_per_tok=2, num_dense_layers=2,
                  routed_scaling_factor=1.5, conv_bias=True,
                  layer_types=["full_attention", "conv", "conv", "full_attention"], rope_parameters=rope(1000000.0))),
    Fixture("lfm2_moe_v4", "lfm2_moe",
            "convolutions on layers 1 and 3, layer 0 dense, top-3 not renormalised, 2-tap filters, RoPE base 10000, "
            "tied; 4.x layout", "lfm2_moe",
            with_(without(TINY, "intermediate_size"), num_hidden_layers=4, intermediate_size=96,
                  moe_intermediate_size=32, num_experts=8, num_experts_per_tok=3, num_dense_layers=1,
                  norm_topk_prob=False, conv_L_cache=2, tie_word_embeddings=True,
                  layer_types=["full_attention", "conv", "full_attention", "conv"], rope_parameters=rope(10000.0)),
            layout=v4_rope),
    Fixture("mamba", "mamba",
            "the expansion 2 x 64 wide, 8-wide states, dt 6 wide, 4-tap filters with a bias, biases on in_proj and "
            "out_proj, untied", "mamba",
            {"hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 256, "state_size": 8, "expand": 2,
             "conv_kernel": 4, "time_step_rank": 6, "use_bias": True, "use_conv_bias": True,
             "tie_word_embeddings": False}),
    Fixture("mamba_bf16", "mamba",
            "a bfloat16 checkpoint computed in bfloat16 with the state in float32, the residual stream in "
            "float32 (residual_in_fp32, as released configs say); 3-tap filters without a bias, tied", "mamba",
            {"hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 256, "state_size": 8, "expand": 2,
             "conv_kernel": 3, "use_bias": False, "use_conv_bias": False, "tie_word_embeddings": True},
            dtype="bfloat16"),
    Fixture("falcon_mamba", "falcon_mamba",
            "dt, B and C RMS-normalised (eps 1e-5), intermediate_size 96 over expand 2, dt 4 wide (auto), 3-tap "
            "filters without a bias, tied", "falcon_mamba",
            {"hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 256, "state_size": 8, "expand": 2,
             "intermediate_size": 96, "conv_kernel": 3, "time_step_rank": "auto", "use_bias": False,
             "use_conv_bias": False, "mixer_rms_eps": 1e-5, "tie_word_embeddings": True}),
    Fixture("jamba", "jamba",
            "attention without RoPE on layers 1 and 4 (period 3, offset 1), Mamba with weighted dt/B/C norms "
            "elsewhere (dt 4 wide by auto); 8 experts top-2, not renormalised, on layers 1 and 5 (period 4, "
            "offset 1, where mlx-lm would put them on layer 3), dense SwiGLU on the others; one tensor per "
            "expert, PyTorch filters, untied", "jamba", JAMBA_HF),
    Fixture("jamba_bf16", "jamba",
            "bfloat16: the first fixture's model in half precision, the recurrent state float32", "jamba",
            JAMBA_HF, dtype="bfloat16"),
    Fixture("jamba_dense", "jamba",
            "one expert (num_experts 1): every layer dense; attention on layers 0 and 2 (period 2, offset 0), "
            "dt 6 wide, 3-tap filters without a bias, biases on in_proj and out_proj, tied", "jamba",
            with_(JAMBA_HF, num_hidden_layers=4, attn_layer_period=2, attn_layer_offset=0, num_experts=1,
                  num_experts_per_tok=1, mamba_dt_rank=6, mamba_d_conv=3, mamba_conv_bias=False,
                  mamba_proj_bias=True, tie_word_embeddings=True)),
    Fixture("mamba2", "mamba2",
            "8 heads 16 wide in 2 groups (each group's B and C read by 4 heads, the gated norm per group), 8-wide "
            "states, chunks of 8 across the 24-token prompt, dt unclipped (time_step_limit (0, inf) as transformers "
            "5 spells it), 4-tap filters with a bias, biases on in_proj and out_proj, untied", "mamba2",
            {"hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 256, "num_heads": 8, "head_dim": 16,
             "expand": 2, "state_size": 8, "n_groups": 2, "conv_kernel": 4, "chunk_size": 8, "use_bias": True,
             "use_conv_bias": True, "tie_word_embeddings": False}),
    Fixture("mamba2_bf16", "mamba2",
            "a bfloat16 checkpoint computed in bfloat16 with the state in float32 and the residual stream in "
            "float32 (residual_in_fp32); 4 heads 32 wide in 2 groups, chunks of 16, 3-tap filters without a bias, "
            "tied", "mamba2",
            {"hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 256, "num_heads": 4, "head_dim": 32,
             "expand": 2, "state_size": 8, "n_groups": 2, "conv_kernel": 3, "chunk_size": 16, "use_bias": False,
             "use_conv_bias": False, "tie_word_embeddings": True},
            dtype="bfloat16"),
    Fixture("qwen3_next", "qwen3_next",
            "gated attention on layer 1 alone by layer_types (a quarter of each head rotated), the gated delta rule "
            "elsewhere (2 key heads serving 4 value heads, 3-tap filters); layer 0 dense, then 8 experts top-2 "
            "renormalised beside a gated shared expert; a prompt of 72 crosses two of transformers' chunks",
            "qwen3_next",
            with_(TINY, num_hidden_layers=4, intermediate_size=96, head_dim=16, linear_num_key_heads=2,
                  linear_num_value_heads=4, linear_key_head_dim=64, linear_value_head_dim=16, linear_conv_kernel_dim=3,
                  num_experts=8, num_experts_per_tok=2, moe_intermediate_size=32, shared_expert_intermediate_size=48,
                  mlp_only_layers=[0], norm_topk_prob=True,
                  layer_types=["linear_attention", "full_attention", "linear_attention", "linear_attention"],
                  rope_parameters={"rope_type": "default", "rope_theta": 1000000.0, "partial_rotary_factor": 0.25}),
            prefill=72),
    Fixture("qwen3_5", "qwen3_5",
            "a Qwen3.5 multimodal checkpoint: gated attention on layer 1 alone by layer_types (half of each head "
            "rotated, interleaved multimodal RoPE sections), the gated delta rule with separate projections elsewhere "
            "(2 key heads serving 4 value heads, 4-tap filters), a dense MLP, a vision tower to drop, untied; a "
            "prompt of 72 crosses two of transformers' chunks",
            "qwen3_5",
            {"text_config": with_(TINY, num_hidden_layers=4, intermediate_size=96, head_dim=16,
                                  linear_num_key_heads=2, linear_num_value_heads=4, linear_key_head_dim=32,
                                  linear_value_head_dim=16, linear_conv_kernel_dim=4,
                                  layer_types=["linear_attention", "full_attention", "linear_attention",
                                               "linear_attention"],
                                  rope_parameters={"rope_type": "default", "rope_theta": 1000000.0,
                                                   "partial_rotary_factor": 0.5, "mrope_section": [2, 1, 1],
                                                   "mrope_interleaved": True}),
             "vision_config": QWEN3_5_VISION, "tie_word_embeddings": False},
            prefill=72, model_class="Qwen3_5ForConditionalGeneration"),
    Fixture("qwen3_5_text", "qwen3_5",
            "the text model alone (qwen3_5_text): layers 0 and 3 attend by layer_types, a quarter of each 32-wide "
            "head rotated, 3 key heads serving 6 value heads, 3-tap filters, tied",
            "qwen3_5_text",
            with_(TINY, num_hidden_layers=4, intermediate_size=96, head_dim=32, linear_num_key_heads=3,
                  linear_num_value_heads=6, linear_key_head_dim=32, linear_value_head_dim=8, linear_conv_kernel_dim=3,
                  tie_word_embeddings=True,
                  layer_types=["full_attention", "linear_attention", "linear_attention", "full_attention"],
                  rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.25,
                                   "mrope_section": [2, 1, 1], "mrope_interleaved": True})),
    Fixture("qwen3_5_moe", "qwen3_5_moe",
            "a Qwen3.5-MoE multimodal checkpoint: gated attention on layer 2 alone by layer_types, the gated delta "
            "rule with separate projections elsewhere (2 key heads serving 4 value heads), 8 experts top-2 (always "
            "renormalised) beside a gated shared expert on every layer, experts saved as two bare tensors per layer, "
            "a vision tower to drop, untied; a prompt of 72 crosses two of transformers' chunks",
            "qwen3_5_moe",
            {"text_config": with_(without(TINY, "intermediate_size"), num_hidden_layers=3, head_dim=16,
                                  linear_num_key_heads=2,
                                  linear_num_value_heads=4, linear_key_head_dim=32, linear_value_head_dim=16,
                                  linear_conv_kernel_dim=4, num_experts=8, num_experts_per_tok=2,
                                  moe_intermediate_size=32, shared_expert_intermediate_size=48,
                                  layer_types=["linear_attention", "linear_attention", "full_attention"],
                                  rope_parameters={"rope_type": "default", "rope_theta": 1000000.0,
                                                   "partial_rotary_factor": 0.5, "mrope_section": [2, 1, 1],
                                                   "mrope_interleaved": True}),
             "vision_config": QWEN3_5_VISION, "tie_word_embeddings": False},
            prefill=72, model_class="Qwen3_5MoeForConditionalGeneration"),
    Fixture("qwen3_5_moe_text", "qwen3_5_moe",
            "the text model alone (qwen3_5_moe_text): layers 1 and 3 attend by layer_types, a quarter of each 32-wide "
            "head rotated, as many key as value heads, 3-tap filters, 4 experts top-3, tied",
            "qwen3_5_moe_text",
            with_(without(TINY, "intermediate_size"), num_hidden_layers=4, head_dim=32, linear_num_key_heads=2,
                  linear_num_value_heads=2, linear_key_head_dim=32, linear_value_head_dim=16, linear_conv_kernel_dim=3,
                  num_experts=4,
                  num_experts_per_tok=3, moe_intermediate_size=32, shared_expert_intermediate_size=40,
                  tie_word_embeddings=True,
                  layer_types=["linear_attention", "full_attention", "linear_attention", "full_attention"],
                  rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.25,
                                   "mrope_section": [2, 1, 1], "mrope_interleaved": True})),
    Fixture("qwen3_next_v4", "qwen3_next",
            "every second layer attends (full_attention_interval), half of each 32-wide head rotated, as many key "
            "as value heads, 4-tap filters, experts on every second layer top-3 not renormalised, tied; 4.x layout",
            "qwen3_next",
            with_(TINY, num_hidden_layers=4, intermediate_size=96, head_dim=32, linear_num_key_heads=2,
                  linear_num_value_heads=2, linear_key_head_dim=32, linear_value_head_dim=16, linear_conv_kernel_dim=4,
                  num_experts=8, num_experts_per_tok=3, moe_intermediate_size=32, shared_expert_intermediate_size=40,
                  decoder_sparse_step=2, norm_topk_prob=False, tie_word_embeddings=True,
                  layer_types=["linear_attention", "full_attention"] * 2,
                  rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5}),
            layout=v4_full_attention_interval),
    Fixture("qwen3_next_bf16", "qwen3_next",
            "a bfloat16 checkpoint computed in bfloat16 with the recurrent state in float32; layers 0 and 3 attend by "
            "layer_types, 3 key heads serving 6 value heads, every token routed to all 4 experts (no choice for "
            "half-precision rounding to flip)", "qwen3_next",
            with_(TINY, num_hidden_layers=4, intermediate_size=96, head_dim=16, linear_num_key_heads=3,
                  linear_num_value_heads=6, linear_key_head_dim=16, linear_value_head_dim=8, linear_conv_kernel_dim=4,
                  num_experts=4, num_experts_per_tok=4, moe_intermediate_size=32, shared_expert_intermediate_size=48,
                  norm_topk_prob=False,
                  layer_types=["full_attention", "linear_attention", "linear_attention", "full_attention"],
                  rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.25}),
            dtype="bfloat16"),
    Fixture("granitemoehybrid", "granitemoehybrid",
            "Mamba-2 on layers 0, 2, 3 (8 heads 16 wide in 2 groups, the gated norm per group, chunks of 8 across "
            "the 24-token prompt, dt unclipped) and rotated attention on layer 1, each with 4 experts top-2 plus a "
            "48-wide shared expert; multipliers, attention biases, untied", "granitemoehybrid",
            with_(TINY, num_hidden_layers=4, intermediate_size=32, attention_bias=True, embedding_multiplier=12.0,
                  attention_multiplier=0.125, residual_multiplier=0.22, logits_scaling=8.0, num_local_experts=4,
                  num_experts_per_tok=2, shared_intermediate_size=48, position_embedding_type="rope",
                  rope_parameters=rope(10000.0), layer_types=["mamba", "attention", "mamba", "mamba"],
                  mamba_n_heads=8, mamba_d_head=16, mamba_d_state=8, mamba_n_groups=2, mamba_d_conv=4,
                  mamba_chunk_size=8, mamba_conv_bias=True, mamba_proj_bias=False, rms_norm_eps=1e-5)),
    Fixture("granitemoehybrid_bf16", "granitemoehybrid",
            "bfloat16: the first fixture's model in half precision, the recurrent state float32", "granitemoehybrid",
            with_(TINY, num_hidden_layers=4, intermediate_size=32, attention_bias=True, embedding_multiplier=12.0,
                  attention_multiplier=0.125, residual_multiplier=0.22, logits_scaling=8.0, num_local_experts=4,
                  num_experts_per_tok=2, shared_intermediate_size=48, position_embedding_type="rope",
                  rope_parameters=rope(10000.0), layer_types=["mamba", "attention", "mamba", "mamba"],
                  mamba_n_heads=8, mamba_d_head=16, mamba_d_state=8, mamba_n_groups=2, mamba_d_conv=4,
                  mamba_chunk_size=8, mamba_conv_bias=True, mamba_proj_bias=False, rms_norm_eps=1e-5),
            dtype="bfloat16"),
    Fixture("granitemoehybrid_dense", "granitemoehybrid",
            "no routed experts (num_local_experts 0): each layer's shared MLP alone (40 wide, intermediate_size "
            "another width); Mamba-2 on layers 0 and 2, rotated attention on 1 and 3, chunks of 8, untied",
            "granitemoehybrid",
            with_(TINY, num_hidden_layers=4, intermediate_size=24, embedding_multiplier=12.0,
                  attention_multiplier=0.125, residual_multiplier=0.22, logits_scaling=8.0, num_local_experts=0,
                  num_experts_per_tok=0, shared_intermediate_size=40, position_embedding_type="rope",
                  rope_parameters=rope(10000.0), layer_types=["mamba", "attention", "mamba", "attention"],
                  mamba_n_heads=8, mamba_d_head=16, mamba_d_state=8, mamba_n_groups=2, mamba_d_conv=4,
                  mamba_chunk_size=8, mamba_conv_bias=True, mamba_proj_bias=False, rms_norm_eps=1e-5)),
    Fixture("granitemoehybrid_dense_bf16", "granitemoehybrid",
            "bfloat16: the dense fixture's model in half precision, the recurrent state float32", "granitemoehybrid",
            with_(TINY, num_hidden_layers=4, intermediate_size=24, embedding_multiplier=12.0,
                  attention_multiplier=0.125, residual_multiplier=0.22, logits_scaling=8.0, num_local_experts=0,
                  num_experts_per_tok=0, shared_intermediate_size=40, position_embedding_type="rope",
                  rope_parameters=rope(10000.0), layer_types=["mamba", "attention", "mamba", "attention"],
                  mamba_n_heads=8, mamba_d_head=16, mamba_d_state=8, mamba_n_groups=2, mamba_d_conv=4,
                  mamba_chunk_size=8, mamba_conv_bias=True, mamba_proj_bias=False, rms_norm_eps=1e-5),
            dtype="bfloat16"),
    Fixture("granitemoehybrid_nope_v4", "granitemoehybrid",
            "attention without RoPE (position_embedding_type nope) on layers 0 and 3, Mamba-2 between "
            "(4 heads, auto width 32, one group, 3-tap filters without a bias, chunks of 16, dt within "
            "[0.001, 100]), 8 experts top-3 and a shared expert, tied; 4.x layout (mamba and attention)",
            "granitemoehybrid",
            with_(TINY, num_hidden_layers=4, intermediate_size=32, tie_word_embeddings=True,
                  embedding_multiplier=6.0, attention_multiplier=0.25, residual_multiplier=0.5, logits_scaling=3.0,
                  num_local_experts=8, num_experts_per_tok=3, shared_intermediate_size=64,
                  position_embedding_type="nope", rope_parameters=rope(10000.0),
                  layer_types=["attention", "mamba", "mamba", "attention"], mamba_n_heads=4, mamba_d_head="auto",
                  mamba_d_state=8, mamba_n_groups=1, mamba_d_conv=3, mamba_chunk_size=16, mamba_conv_bias=False,
                  mamba_proj_bias=False, time_step_limit=[0.001, 100.0], rms_norm_eps=1e-5),
            layout=v4_hybrid),
    Fixture("nemotron_h", "nemotron_h",
            "one block per layer (layers_block_type): Mamba-2 on layers 0 and 4 (8 heads 16 wide in 2 groups, "
            "chunks of 8 across the 24-token prompt), attention without RoPE 24 wide per head on 2 and 5, "
            "relu-squared MLP on 1 and 3", "nemotron_h",
            with_(TINY, intermediate_size=96, head_dim=24,
                  layers_block_type=["linear_attention", "mlp", "full_attention", "mlp", "linear_attention",
                                     "full_attention"],
                  mamba_num_heads=8, mamba_head_dim=16, ssm_state_size=8, n_groups=2, conv_kernel=4,
                  chunk_size=8, use_conv_bias=True, use_bias=False, mlp_bias=False, layer_norm_epsilon=1e-5)),
    Fixture("nemotron_h_bf16", "nemotron_h",
            "bfloat16: the first fixture's model in half precision, the recurrent state float32", "nemotron_h",
            with_(TINY, intermediate_size=96, head_dim=24,
                  layers_block_type=["linear_attention", "mlp", "full_attention", "mlp", "linear_attention",
                                     "full_attention"],
                  mamba_num_heads=8, mamba_head_dim=16, ssm_state_size=8, n_groups=2, conv_kernel=4,
                  chunk_size=8, use_conv_bias=True, use_bias=False, mlp_bias=False, layer_norm_epsilon=1e-5),
            dtype="bfloat16"),
    Fixture("nemotron_h_pattern", "nemotron_h",
            "the pattern string *M-M (as released configs write it): attention first, Mamba-2 (4 heads 32 wide, "
            "one group, 3 taps without a bias, in_proj and out_proj biased, chunks of 16), a 64-wide MLP; "
            "head_dim 16", "nemotron_h",
            with_(TINY, intermediate_size=64, head_dim=16, hybrid_override_pattern="*M-M", mamba_num_heads=4,
                  mamba_head_dim=32, ssm_state_size=8, n_groups=1, conv_kernel=3, chunk_size=16,
                  use_conv_bias=False, use_bias=True, mlp_bias=False, layer_norm_epsilon=1e-5),
            layout=nemotron_h_pattern),
    Fixture("nemotron_h_moe", "nemotron_h",
            "experts (moe) on layers 1 and 4 among Mamba-2, attention and the MLP: 8 ungated relu-squared experts "
            "32 wide (one tensor per expert), top-2 by sigmoid score plus a selection bias within the best of 2 "
            "groups, renormalised, scaled 2.5, beside a shared expert 48 wide", "nemotron_h",
            NEMOTRON_H_MOE),
    Fixture("nemotron_h_moe_bf16", "nemotron_h",
            "bfloat16: the experts fixture's model in half precision, the router and the recurrent state float32",
            "nemotron_h", NEMOTRON_H_MOE, dtype="bfloat16"),
    Fixture("nemotron_h_older_names", "nemotron_h",
            "the settings under the older names transformers also reads (mamba_n_groups 4, mamba_d_conv 3, "
            "mamba_conv_bias false, num_local_experts 6, mamba_dt_limit, mamba_chunk_size, ...), none of them "
            "their newer names' defaults", "nemotron_h",
            with_(NEMOTRON_H_MOE, n_groups=4, conv_kernel=3, use_conv_bias=False, n_routed_experts=6),
            layout=nemotron_h_older_names),
    Fixture("nemotron_h_latent", "nemotron_h",
            "the pattern E*-ME (as released configs write it): experts 40 wide at a latent width of 24 behind "
            "biased fc1/fc2_latent_proj, top-3 of 6 ungrouped, not renormalised, scaled 1.5; the MLP and the "
            "shared expert (56 wide) biased", "nemotron_h",
            with_(NEMOTRON_H_MOE, layers_block_type=["moe", "full_attention", "mlp", "linear_attention", "moe"],
                  n_routed_experts=6, num_experts_per_tok=3, moe_intermediate_size=40, moe_latent_size=24,
                  moe_shared_expert_intermediate_size=56, n_group=1, topk_group=1, norm_topk_prob=False,
                  routed_scaling_factor=1.5, mlp_bias=True),
            layout=nemotron_h_pattern),
    Fixture("falcon_h1", "falcon_h1",
            "attention (RoPE) and Mamba-2 (8 heads 16 wide in 2 groups, chunks of 8 across the prompt) summed in "
            "every layer, the gated norm per group gating first; every muP multiplier apart from 1, folded as "
            "the checkpoint loads; tied", "falcon_h1", FALCON_H1_HF),
    Fixture("falcon_h1_bf16", "falcon_h1",
            "bfloat16: the first fixture's model in half precision, the recurrent state float32", "falcon_h1",
            FALCON_H1_HF, dtype="bfloat16"),
    Fixture("falcon_h1_untied", "falcon_h1",
            "untied; no gated norm (silu(z) alone); biases on attention, the MLP, in_proj and out_proj (the "
            "output multipliers scale them); one group, 3 taps without a bias", "falcon_h1",
            with_(FALCON_H1_HF, tie_word_embeddings=False, mamba_rms_norm=False, attention_bias=True, mlp_bias=True,
                  mamba_proj_bias=True, projectors_bias=True, mamba_n_groups=1, mamba_d_conv=3,
                  mamba_conv_bias=False)),
    Fixture("minicpm3", "minicpm3",
            "latent attention through a query rank, values 24 wide, under longrope (short factors within the "
            "original context of 16, long past it); q_a/kv_a/o bias; MiniCPM's scalings around a tied head",
            "minicpm3",
            with_(TINY, num_key_value_heads=4, max_position_embeddings=64, q_lora_rank=48, kv_lora_rank=32,
                  qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24, scale_emb=12.0, scale_depth=1.4,
                  dim_model_base=16, attention_bias=True, tie_word_embeddings=True,
                  rope_parameters=rope(10000.0, rope_type="longrope", short_factor=[1.0, 1.3, 1.7, 2.2],
                                       long_factor=[1.1, 1.6, 2.4, 3.0], original_max_position_embeddings=16))),
    Fixture("minicpm3_v4", "minicpm3",
            "q_proj (no query rank), values hidden / heads wide, plain RoPE, untied; 4.x layout", "minicpm3",
            with_(TINY, num_key_value_heads=4, q_lora_rank=None, kv_lora_rank=32, qk_nope_head_dim=16,
                  qk_rope_head_dim=8, scale_emb=10.0, scale_depth=1.2, dim_model_base=32,
                  rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("mistral4", "mistral4",
            "latent attention through a query rank (interleaved RoPE on 8 of 24 query dimensions) under YaRN past "
            "its original context of 8 with both mscales, the whole queries scaled by position (beta 0.4, steps "
            "of 8); 2 groups of 4 experts, 1 kept, top-2 softmax renormalised, scaled 2; layer 0 dense; tied; "
            "kv_b_proj and the experts' gate_up_proj and down_proj as transformers saves them", "mistral4",
            with_(TINY, num_hidden_layers=3, intermediate_size=96, num_key_value_heads=4, max_position_embeddings=64,
                  q_lora_rank=48, kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24,
                  n_routed_experts=8, num_experts_per_tok=2, moe_intermediate_size=32, n_shared_experts=1, n_group=2,
                  topk_group=1, routed_scaling_factor=2.0, norm_topk_prob=True, first_k_dense_replace=1,
                  rope_interleave=True, tie_word_embeddings=True,
                  rope_parameters=rope(10000.0, rope_type="yarn", factor=4.0, original_max_position_embeddings=8,
                                       beta_fast=32.0, beta_slow=1.0, mscale=1.0, mscale_all_dim=0.8,
                                       llama_4_scaling_beta=0.4)),
            model_class="Mistral4ForCausalLM"),
    Fixture("mistral3_mistral4", "mistral4",
            "a multimodal checkpoint holding Mistral Small 4's text model, untied at the top level: q_proj (no "
            "query rank), RoPE on the halves (rope_interleave false), YaRN with mscale_all_dim alone, beta 0.5, "
            "one group, top-3 not renormalised, 2 shared experts wide, experts on every layer", "mistral3",
            {"text_config": with_(TINY, model_type="mistral4", num_hidden_layers=2, intermediate_size=96,
                                  num_key_value_heads=4, max_position_embeddings=64, q_lora_rank=None, kv_lora_rank=32,
                                  qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=24, n_routed_experts=8,
                                  num_experts_per_tok=3, moe_intermediate_size=32, n_shared_experts=2, n_group=1,
                                  topk_group=1, routed_scaling_factor=1.0, norm_topk_prob=False,
                                  first_k_dense_replace=0, rope_interleave=False,
                                  rope_parameters=rope(10000.0, rope_type="yarn", factor=8.0,
                                                       original_max_position_embeddings=8, mscale_all_dim=1.0,
                                                       llama_4_scaling_beta=0.5)),
             "vision_config": PIXTRAL, "image_token_index": 250, "spatial_merge_size": 2, "tie_word_embeddings": False},
            model_class="Mistral3ForConditionalGeneration"),
    Fixture("llama4", "llama4",
            "chunks of 6, NoPE on odd layers with temperature tuning, top-2 sigmoid experts on their inputs "
            "on layers 1 and 3, q/k norms, llama3 RoPE", "llama4_text", LLAMA4_TEXT, windows=[6]),
    Fixture("llama4_v4", "llama4",
            "experts on every layer (top-1), chunks of 5, NoPE every 4th without temperature tuning, no q/k "
            "norm, q/k/v/o bias, tied; 4.x layout, schedule derived", "llama4_text",
            with_(LLAMA4_TEXT, num_experts_per_tok=1, interleave_moe_layer_step=1, no_rope_layer_interval=4,
                  attention_chunk_size=5, use_qk_norm=False, attn_temperature_tuning=False, attention_bias=True,
                  tie_word_embeddings=True),
            windows=[5], layout=v4_llama4),
    Fixture("llama4_wrapper", "llama4",
            "a multimodal checkpoint: no chunking (attention_chunk_size null), explicit moe_layers [0, 2], "
            "a vision tower", "llama4",
            {"text_config": with_(LLAMA4_TEXT, attention_chunk_size=None, moe_layers=[0, 2]),
             "vision_config": LLAMA4_VISION},
            model_class="Llama4ForConditionalGeneration", logits_from="language_model"),
    Fixture("ernie4_5_moe", "ernie4_5_moe",
            "experts on layers 1-2 of 4, softmax top-2 of 8 with a selection bias, the renormalisation "
            "floored at moe_norm_min 0.5, a shared expert", "ernie4_5_moe",
            with_(TINY, num_hidden_layers=4, moe_num_experts=8, moe_k=2, moe_intermediate_size=32,
                  moe_num_shared_experts=1, moe_layer_start_index=1, moe_layer_end_index=2, moe_layer_interval=1,
                  moe_norm_min=0.5, rope_parameters=rope(500000.0))),
    Fixture("ernie4_5_moe_v4", "ernie4_5_moe",
            "every 2nd layer from 0, moe_layer_end_index -1 (the last), top-3, 2 shared experts wide, tied; "
            "4.x layout", "ernie4_5_moe",
            with_(TINY, num_hidden_layers=4, moe_num_experts=8, moe_k=3, moe_intermediate_size=32,
                  moe_num_shared_experts=2, moe_layer_start_index=0, moe_layer_interval=2, tie_word_embeddings=True,
                  rope_parameters=rope(10000.0)),
            layout=lambda c: dict(v4_rope(c), moe_layer_end_index=-1)),
    Fixture("dots1", "dots1",
            "4 groups of 4 experts, 2 kept, top-3 sigmoid with a selection bias, renormalised, scaled 1.5; q/k/v/o "
            "bias; layers 2 and 3 slide over 6 (layer_types)", "dots1",
            with_(TINY, num_hidden_layers=4, head_dim=16, n_routed_experts=16, num_experts_per_tok=3,
                  moe_intermediate_size=32, n_shared_experts=1, n_group=4, topk_group=2, routed_scaling_factor=1.5,
                  norm_topk_prob=True, first_k_dense_replace=1, attention_bias=True, sliding_window=6,
                  max_window_layers=2, rope_parameters=rope(10000.0)), windows=[6]),
    Fixture("dots1_v4", "dots1",
            "2 dense layers, one group, top-2 not renormalised, scaled 2, tied; layers 1 and 2 slide over 5 by "
            "max_window_layers; 4.x layout (no layer_types)", "dots1",
            with_(TINY, num_hidden_layers=3, n_routed_experts=8, num_experts_per_tok=2, moe_intermediate_size=32,
                  n_shared_experts=2, norm_topk_prob=False, routed_scaling_factor=2.0, first_k_dense_replace=2,
                  tie_word_embeddings=True, sliding_window=5, max_window_layers=1, rope_parameters=rope(10000.0)),
            windows=[5], layout=lambda c: without(v4_rope(c), "layer_types")),
    Fixture("minimax_m2", "minimax_m2",
            "8 experts top-2 by sigmoid with a selection bias, renormalised; whole q/k norms, 16 of 32 head "
            "dimensions rotated", "minimax_m2",
            with_(TINY, num_hidden_layers=3, intermediate_size=32, head_dim=32, rotary_dim=16, num_local_experts=8,
                  num_experts_per_tok=2, rope_parameters=rope(10000.0))),
    Fixture("minimax_m2_v4", "minimax_m2",
            "top-3, a quarter of each head rotated, tied; 4.x layout (rotary_dim only, as released)", "minimax_m2",
            with_(TINY, intermediate_size=32, head_dim=16, rotary_dim=4, num_local_experts=8, num_experts_per_tok=3,
                  tie_word_embeddings=True, rope_parameters=rope(5000000.0)), layout=v4_rotary_dim),
    Fixture("hunyuan_v1_moe", "hunyuan_v1_moe",
            "8 experts, per-layer top-k (2, 3, 1) renormalised, beside a shared MLP; q/k norms after NTK-alpha "
            "RoPE, head_dim 32, q/k/v/o bias", "hunyuan_v1_moe",
            with_(TINY, num_hidden_layers=3, intermediate_size=32, head_dim=32, num_experts=8, moe_topk=[2, 3, 1],
                  attention_bias=True, rope_parameters=rope(10000.0, rope_type="dynamic", factor=1.0, alpha=1000.0))),
    Fixture("hunyuan_v1_moe_v4", "hunyuan_v1_moe",
            "4 experts top-2, alpha 50, tied; 4.x layout (rope_theta, rope_scaling)", "hunyuan_v1_moe",
            with_(TINY, intermediate_size=32, head_dim=16, num_experts=4, moe_topk=2, tie_word_embeddings=True,
                  rope_parameters=rope(10000.0, rope_type="dynamic", factor=1.0, alpha=50.0)), layout=v4_rope),
    Fixture("hunyuan_v1_dense", "hunyuan_v1_dense",
            "q/k norms after NTK-alpha RoPE, head_dim 32, q/k/v/o bias", "hunyuan_v1_dense",
            with_(TINY, head_dim=32, attention_bias=True,
                  rope_parameters=rope(10000.0, rope_type="dynamic", factor=1.0, alpha=1000.0))),
    Fixture("hunyuan_v1_dense_v4", "hunyuan_v1_dense", "no RoPE scaling, tied; 4.x layout", "hunyuan_v1_dense",
            with_(TINY, head_dim=16, tie_word_embeddings=True, rope_parameters=rope(10000.0)), layout=v4_rope),
    Fixture("olmoe", "olmoe", "8 experts top-2 renormalised, q/k/v clipped to 0.6 after the norms", "olmoe",
            with_(TINY, num_hidden_layers=3, intermediate_size=32, num_experts=8, num_experts_per_tok=2,
                  norm_topk_prob=True, clip_qkv=0.6, rope_parameters=rope(10000.0))),
    Fixture("olmoe_v4", "olmoe", "top-3 not renormalised, q/k/v/o bias, tied, no clipping; 4.x layout", "olmoe",
            with_(TINY, num_hidden_layers=2, intermediate_size=32, num_experts=8, num_experts_per_tok=3,
                  attention_bias=True, tie_word_embeddings=True, rope_parameters=rope(10000.0)),
            layout=v4_rope),
    Fixture("olmo", "olmo", "parameter-free LayerNorms, q/k/v clipped to 0.6 after the projections, GQA 2, "
            "untied", "olmo",
            with_(TINY, clip_qkv=0.6, rope_parameters=rope(10000.0))),
    Fixture("olmo_v4", "olmo", "q/k/v/o bias, no clipping, tied, RoPE base 500000, 4.x layout", "olmo",
            with_(TINY, attention_bias=True, tie_word_embeddings=True, rope_parameters=rope(500000.0)),
            layout=v4_rope),
    Fixture("qwen3_moe", "qwen3_moe", "8 experts top-2 renormalised, layer 0 dense, head_dim 32", "qwen3_moe",
            with_(TINY, num_hidden_layers=4, head_dim=32, num_experts=8, num_experts_per_tok=2,
                  moe_intermediate_size=32, mlp_only_layers=[0], norm_topk_prob=True,
                  rope_parameters=rope(1000000.0))),
    Fixture("qwen3_moe_v4", "qwen3_moe",
            "sparse step 2, top-3 not renormalised, tied, no head_dim; 4.x layout (num_experts)", "qwen3_moe",
            with_(TINY, num_hidden_layers=4, num_experts=8, num_experts_per_tok=3, moe_intermediate_size=32,
                  decoder_sparse_step=2, tie_word_embeddings=True, rope_parameters=rope(10000.0)),
            layout=lambda c: v4_renamed(c, num_local_experts="num_experts")),
    Fixture("exaone", "exaone", "Llama under EXAONE's names; q/k/v/o and MLP biases, llama3 scaling", "exaone",
            with_(TINY, attention_bias=True, mlp_bias=True, rope_parameters=rope(500000.0, **LLAMA3_SCALING))),
    Fixture("exaone_v4", "exaone", "tied, head_dim 32; EXAONE's own keys and class (num_layers, ExaoneForCausalLM)",
            "exaone", with_(TINY, head_dim=32, tie_word_embeddings=True, rope_parameters=rope(10000.0)),
            layout=lambda c: dict(v4_renamed(c, num_hidden_layers="num_layers", rms_norm_eps="layer_norm_epsilon",
                                             hidden_act="activation_function"),
                                  architectures=["ExaoneForCausalLM"])),
    Fixture("exaone4", "exaone4", "three sliding layers (window 5) and a NoPE full layer, llama3 scaling", "exaone4",
            with_(TINY, num_hidden_layers=4, sliding_window=5, layer_types=["sliding_attention"] * 3 + ["full_attention"],
                  rope_parameters=rope(1000000.0, **LLAMA3_SCALING)), windows=[5]),
    Fixture("exaone4_v4", "exaone4", "no window: every layer full and rotated, tied, head_dim 32; 4.x layout",
            "exaone4", with_(TINY, head_dim=32, sliding_window=None, layer_types=["full_attention"] * 2,
                             tie_word_embeddings=True, rope_parameters=rope(500000.0)),
            layout=lambda c: dict(v4_rope(c), sliding_window_pattern=None)),
    Fixture("olmo3", "olmo3", "every fourth layer full, the others sliding (window 5) at their own base; "
            "llama3 scaling on the full ones", "olmo3",
            with_(TINY, num_hidden_layers=4, sliding_window=5,
                  rope_parameters={"full_attention": rope(500000.0, **LLAMA3_SCALING),
                                   "sliding_attention": rope(10000.0)}), windows=[5]),
    Fixture("olmo3_v4", "olmo3", "alternating layer_types, q/k/v/o bias, tied; 4.x layout (one rope_theta, which "
            "transformers 5 gives the full layers only)", "olmo3",
            with_(TINY, num_hidden_layers=4, sliding_window=5, layer_types=["sliding_attention", "full_attention"] * 2,
                  attention_bias=True, tie_word_embeddings=True,
                  rope_parameters={"full_attention": rope(10000.0), "sliding_attention": rope(500000.0)}),
            windows=[5], layout=v4_full_attention_rope),
    Fixture("glm4", "glm4", "four norms, fused gate_up_proj, q/k/v bias, half of each head rotated interleaved", "glm4",
            with_(TINY, head_dim=16, attention_bias=True, rope_parameters=rope(10000.0, rope_type="default",
                                                                                partial_rotary_factor=0.5))),
    Fixture("glm4_v4", "glm4", "no bias, head_dim 32 with a quarter rotated, tied; 4.x layout", "glm4",
            with_(TINY, head_dim=32, attention_bias=False, tie_word_embeddings=True,
                  rope_parameters=rope(500000.0, rope_type="default", partial_rotary_factor=0.25)),
            layout=v4_rope),
    Fixture("glm", "glm", "two norms, fused gate_up_proj, q/k/v bias, half of each head rotated interleaved", "glm",
            with_(TINY, head_dim=16, attention_bias=True, rope_parameters=rope(10000.0, rope_type="default",
                                                                                partial_rotary_factor=0.5))),
    Fixture("glm_v4", "glm", "no bias, head_dim 32, the factor left to its default (0.5), tied; 4.x layout", "glm",
            with_(TINY, head_dim=32, attention_bias=False, tie_word_embeddings=True, rope_parameters=rope(500000.0)),
            layout=lambda config: without(v4_rope(config), "partial_rotary_factor")),
    Fixture("cohere2", "cohere2", "layer_types with the full layer third (NoPE), sliding ones rotated (window 5), "
            "tied, GQA 2", "cohere2",
            with_(TINY, num_hidden_layers=4, sliding_window=5, tie_word_embeddings=True, logit_scale=0.25,
                  layer_types=["sliding_attention", "sliding_attention", "full_attention", "sliding_attention"],
                  rope_parameters=rope(10000.0)), windows=[5]),
    Fixture("cohere2_v4", "cohere2", "sliding_window_pattern 2 instead of layer_types (window 6), attention biases, "
            "untied; 4.x layout", "cohere2",
            with_(TINY, num_hidden_layers=4, sliding_window=6, sliding_window_pattern=2, attention_bias=True,
                  logit_scale=0.125, rope_parameters=rope(20000.0)), windows=[6],
            layout=lambda config: dict(without(v4_rope(config), "layer_types"), sliding_window_pattern=2)),
    Fixture("gpt_neox", "gpt_neox", "attention and MLP side by side, each behind its own LayerNorm; the fused "
            "query_key_value grouped by head; a quarter of each head rotated; biases; exact GELU, MLP 128 wide",
            "gpt_neox",
            with_(without(TINY, "num_key_value_heads"), rope_parameters=rope(10000.0, partial_rotary_factor=0.25))),
    Fixture("gpt_neox_v4", "gpt_neox", "attention then MLP in turn, no attention biases, half of each head "
            "rotated at base 20000, tanh GELU, tied; 4.x layout (rotary_emb_base, rotary_pct)", "gpt_neox",
            with_(without(TINY, "num_key_value_heads"), use_parallel_residual=False, attention_bias=False,
                  hidden_act="gelu_new", tie_word_embeddings=True,
                  rope_parameters=rope(20000.0, partial_rotary_factor=0.5)),
            layout=v4_gpt_neox),
    Fixture("gemma", "gemma", "(1 + w) RMSNorm, scaled embedding, tanh GELU gates (the default), GQA 2, "
            "head_dim 16", "gemma",
            with_(TINY, head_dim=16, rms_norm_eps=1e-6, tie_word_embeddings=True, rope_parameters=rope(10000.0))),
    # Released Gemma configs name hidden_act gelu, which transformers reads as the tanh approximation.
    Fixture("gemma_v4", "gemma", "hidden_act gelu (the tanh approximation), one key/value head, head_dim 32; "
            "4.x layout", "gemma",
            with_(TINY, head_dim=32, num_key_value_heads=1, rms_norm_eps=1e-6, tie_word_embeddings=True,
                  rope_parameters=rope(500000.0)),
            layout=lambda config: dict(v4_rope(config), hidden_act="gelu")),
    Fixture("gptj", "gptj", "attention and MLP side by side behind one LayerNorm, 8 of 16 dimensions rotated in "
            "interleaved pairs, an lm_head bias, n_inner null (4 x n_embd)", "gptj",
            {"n_embd": 64, "n_layer": 2, "n_head": 4, "rotary_dim": 8, "n_inner": None, "vocab_size": 256,
             "n_positions": 512, "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2,
             "pad_token_id": 0}),
    Fixture("gptj_inner", "gptj", "n_inner 96, exact GELU, 4 of 32 dimensions rotated, two heads, three layers",
            "gptj",
            {"n_embd": 64, "n_layer": 3, "n_head": 2, "rotary_dim": 4, "n_inner": 96, "activation_function": "gelu",
             "vocab_size": 256, "n_positions": 512, "tie_word_embeddings": False, "bos_token_id": 1,
             "eos_token_id": 2, "pad_token_id": 0}),
    Fixture("apertus", "apertus", "ungated xIELU MLP with learned parameters, per-head q/k norms, llama3 scaling, "
            "GQA 2, untied", "apertus", with_(TINY, rope_parameters=rope(12000000.0, **LLAMA3_SCALING))),
    # Released configs carry mlx-lm's keys beside transformers' (post_norm, qk_norm, mlp_bias).
    Fixture("apertus_v4", "apertus", "attention biases, tied, one key/value head per query head; 4.x layout",
            "apertus", with_(TINY, attention_bias=True, tie_word_embeddings=True, num_key_value_heads=4,
                             rope_parameters=rope(500000.0, **LLAMA3_SCALING)),
            layout=lambda config: dict(v4_rope(config), post_norm=False, qk_norm=True, mlp_bias=False)),
]


# --- building and running -----------------------------------------------------------------------------

def seed_of(fixture: Fixture) -> int:
    """A seed from the fixture's name, so adding a fixture does not change the others."""
    return zlib.crc32(fixture.name.encode())


def randomise(model: torch.nn.Module, rng: np.random.Generator, norm_weights: tuple[str, ...] = ()) -> None:
    """Every parameter drawn anew, so no code path multiplies by a constant zero or one."""
    with torch.no_grad():
        for key, value in model.named_parameters():
            if value.ndim <= 1:
                # Norm weights and learned scales multiply: they vary around one.
                centre = 1.0 if key.endswith(("norm.weight", "router.scale", "per_expert_scale") + norm_weights) else 0.0
                a = centre + 0.1 * rng.standard_normal(tuple(value.shape))
            else:
                a = rng.standard_normal(tuple(value.shape)) / np.sqrt(value.shape[-1])
            value.copy_(torch.from_numpy(a.astype(np.float32)))
        # A router's selection bias is a buffer, saved with the weights; zeros would hide it.
        for key, value in model.named_buffers():
            if key.endswith(("e_score_correction_bias", "feed_forward.expert_bias")):
                value.copy_(torch.from_numpy((0.1 * rng.standard_normal(tuple(value.shape))).astype(np.float32)))
            # xIELU's beta is a buffer saved with the weights; its initial 0.5 would hide a constant.
            if key.endswith("act_fn.beta"):
                value.copy_(torch.from_numpy(np.asarray(0.5 + 0.1 * rng.standard_normal(tuple(value.shape)), np.float32)))
            # A layer's output scalar is a buffer saved with the weights; ones would hide it.
            if key.endswith("layer_scalar"):
                value.copy_(torch.from_numpy((1 + 0.1 * rng.standard_normal(tuple(value.shape))).astype(np.float32)))


def model_class(fixture: Fixture):
    return getattr(transformers, fixture.model_class) if fixture.model_class else AutoModelForCausalLM


def build_model(fixture: Fixture, config):
    cls = model_class(fixture)
    return (cls.from_config if cls is AutoModelForCausalLM else cls._from_config)(config, dtype=torch.float32)


def save(fixture: Fixture, directory: Path) -> None:
    """The fixture's checkpoint, as save_pretrained writes it (and, for a 4.x fixture, its config
    rewritten into that layout)."""
    rng = np.random.default_rng(seed_of(fixture))
    config = AutoConfig.for_model(fixture.model_type, **copy.deepcopy(fixture.config))
    torch.manual_seed(seed_of(fixture))
    model = build_model(fixture, config)
    randomise(model, rng, fixture.norm_weights)
    model = model.to(getattr(torch, fixture.dtype))
    model.save_pretrained(directory)
    if fixture.layout is not None:
        path = directory / "config.json"
        rewritten = fixture.layout(json.loads(path.read_text()))
        path.write_text(json.dumps(rewritten, indent=2, sort_keys=True) + "\n")


def load(directory: Path):
    """The checkpoint as its config's `architectures` class loads it (eager attention, the reference
    implementation)."""
    architecture = json.loads((directory / "config.json").read_text())["architectures"][0]
    # A class transformers does not have (EXAONE 3's own remote-code class) is loaded as
    # AutoModelForCausalLM loads its model_type without remote code.
    cls = getattr(transformers, architecture, AutoModelForCausalLM)
    model = cls.from_pretrained(directory, attn_implementation="eager")
    model.eval()
    return model


@torch.no_grad()
def run_reference(directory: Path, tokens: np.ndarray, forced: np.ndarray | None = None,
                  logits_from: str | None = None) -> dict[str, np.ndarray]:
    """transformers' logits for the checkpoint in `directory`: prefill, then greedy decode steps
    through its cache (or steps feeding `forced` tokens)."""
    model = load(directory)
    if logits_from is not None:
        model = getattr(model, logits_from)
    out = model(input_ids=torch.from_numpy(tokens.astype(np.int64)), use_cache=True)
    cache, prefill = out.past_key_values, out.logits
    fed, steps = [], []
    next_token = prefill[:, -1].argmax(-1, keepdim=True)
    for step in range(DECODE):
        if forced is not None:
            next_token = torch.tensor([[int(forced[step])]])
        fed.append(next_token)
        out = model(input_ids=next_token, cache=cache, use_cache=True)
        cache = out.past_key_values
        steps.append(out.logits[:, -1])
        next_token = out.logits[:, -1].argmax(-1, keepdim=True)
    return {
        "tokens": tokens.astype(np.int32),
        "prefill_logits": prefill.float().numpy(),
        "decode_tokens": torch.cat(fed, dim=1).reshape(-1).numpy().astype(np.int32),
        "decode_logits": torch.cat(steps, dim=0).float().numpy(),
    }


def float32_twin(directory: Path, twin: Path) -> Path:
    """The same checkpoint with its weights upcast to float32."""
    shutil.copytree(directory, twin)
    tensors = safetensors.torch.load_file(str(directory / "model.safetensors"))
    safetensors.torch.save_file({k: v.float() for k, v in tensors.items()}, str(twin / "model.safetensors"),
                                metadata={"format": "pt"})
    config = json.loads((twin / "config.json").read_text())
    config["dtype"] = "float32"
    (twin / "config.json").write_text(json.dumps(config))
    return twin


def text_config(config: dict) -> dict:
    """The text model's settings of a saved config.json: its text_config, when it nests one."""
    return config.get("text_config") or config


def tokens_of(fixture: Fixture, vocab: int) -> np.ndarray:
    rng = np.random.default_rng(seed_of(fixture) + 1)
    return rng.integers(0, vocab, size=(1, fixture.prefill))


def expected_of(fixture: Fixture, directory: Path, tokens: np.ndarray) -> dict[str, np.ndarray]:
    expected = run_reference(directory, tokens, logits_from=fixture.logits_from)
    if fixture.dtype != "float32":
        # The same weights in float32, fed the same tokens: how far the half-precision logits are from
        # exact, row by row, which bounds how far two half-precision implementations may drift apart.
        with tempfile.TemporaryDirectory() as scratch:
            twin = float32_twin(directory, Path(scratch) / "float32")
            exact = run_reference(twin, tokens, forced=expected["decode_tokens"], logits_from=fixture.logits_from)
        expected["float32_prefill_logits"] = exact["prefill_logits"]
        expected["float32_decode_logits"] = exact["decode_logits"]
    return expected


def metadata(fixture: Fixture) -> dict[str, str]:
    return {"torch": torch.__version__, "transformers": transformers.__version__, "seed": str(seed_of(fixture))}


def build(fixture: Fixture) -> None:
    directory = OUT / fixture.name
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    save(fixture, directory)
    tokens = tokens_of(fixture, text_config(json.loads((directory / "config.json").read_text()))["vocab_size"])
    safetensors.numpy.save_file(expected_of(fixture, directory, tokens), str(directory / "expected.safetensors"),
                                metadata=metadata(fixture))


def check(fixture: Fixture) -> str | None:
    """None when save_pretrained writes the committed files again and transformers computes the
    committed logits from them."""
    directory = OUT / fixture.name
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        save(fixture, fresh)
        for name in SAVED:
            if (fresh / name).read_bytes() != (directory / name).read_bytes():
                return f"{name} is not what save_pretrained writes for this fixture"
    stored = safetensors.numpy.load_file(str(directory / "expected.safetensors"))
    fresh = expected_of(fixture, directory, stored["tokens"].astype(np.int64))
    if not np.array_equal(fresh["decode_tokens"], stored["decode_tokens"]):
        return "greedy decode tokens differ"
    for name in ("prefill_logits", "decode_logits", "float32_prefill_logits", "float32_decode_logits"):
        if name not in stored:
            continue
        if not np.allclose(fresh[name], stored[name], rtol=1e-5, atol=1e-5):
            worst = float(np.max(np.abs(fresh[name] - stored[name])))
            return f"{name} differ (max |difference| {worst:.3g})"
    return None


def manifest() -> dict:
    return {
        "oracle": "transformers",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "prefill": PREFILL,
        "decode": DECODE,
        "fixtures": [
            {"name": f.name, "family": f.family, "description": f.description, "windows": f.windows,
             "dtype": f.dtype, "layout": "4.x" if f.layout is not None else "5",
             **({"prefill": f.prefill} if f.prefill != PREFILL else {})}
            for f in FIXTURES
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="rebuild and recompute; write nothing")
    parser.add_argument("names", nargs="*", help="only these fixtures")
    args = parser.parse_args()
    unknown = set(args.names) - {f.name for f in FIXTURES}
    if unknown:
        parser.error(f"no such fixture: {', '.join(sorted(unknown))}")
    chosen = [f for f in FIXTURES if not args.names or f.name in args.names]
    if args.check:
        failures = 0
        for f in chosen:
            problem = check(f)
            print(f"{f.name}: {'ok' if problem is None else problem}")
            failures += problem is not None
        committed = json.loads((OUT / "fixtures.json").read_text())
        if committed != manifest():
            print("fixtures.json differs from the fixture list in tools/make_hf_fixtures.py")
            failures += 1
        return 1 if failures else 0
    for f in chosen:
        build(f)
        print(f"wrote tests/fixtures/transformers/{f.name}")
    (OUT / "fixtures.json").write_text(json.dumps(manifest(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
