#!/usr/bin/env python3
"""Shows that no config key a family leaves unread changes what transformers computes. For every
concrete family, it takes the family's first transformers fixture (tools/make_hf_fixtures.py) as
saved, and for each key the family marks `ignored`, each field it never reads (`read: false`) and
each inert key (and each key a wrapper entry ignores, on a fixture of that wrapper), rewrites config.json with the key set to a value transformers would honour, reloads
the checkpoint with `from_pretrained` and requires the same logits. A key without a probe value is an
error: a new ignored key must come with one.

It also runs `hf2swift detect` on every transformers fixture's config.json: every key there must be
read, ignored, expected, refused or inert, never unknown to the family; and it requires every literal
default a family gives a key it reads to be the default of transformers' config class (a config
without the key means the same to both).

Usage: .venv/bin/python tools/probe_config_keys.py path/to/hf2swift [FAMILY...]
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from transformers import AutoConfig

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_hf_fixtures as hf  # noqa: E402

ROOT = hf.ROOT

# A value transformers would act on, per key, as a function of the value the fixture has (None when
# absent): a window shorter than the prompt, another width, a flipped switch. The probe runs with a
# prompt of hf.PREFILL tokens on the fixture's tiny model, so every probe differs from the fixture.
def _other(value, a, b):
    return b if value == a else a


def _flip(value):
    return not value if isinstance(value, bool) else True


PROBES: dict[str, object] = {
    "chunk_size": lambda v, c: _other(v, 8, 5),
    "mamba_chunk_size": lambda v, c: _other(v, 8, 5),
    "expand": lambda v, c: _other(v, 4, 3),
    "rescale_prenorm_residual": lambda v, c: _flip(v),
    "mamba_ssm_cache_dtype": lambda v, c: _other(v, "bfloat16", "float16"),
    "mtp_layers_block_type": lambda v, c: ["full_attention", "mlp"],
    "num_logits_to_keep": lambda v, c: _other(v, 2, 3),
    "use_mamba_kernels": lambda v, c: _flip(v),
    # Falcon-H1: mamba_d_ssm is stated, so mamba_expand sizes nothing; the rest no layer reads.
    # (Nemotron-H reads mamba_expand as expand, which sizes nothing either.)
    "mamba_expand": lambda v, c: _other(v, 4, 3),
    "mamba_use_mlp": lambda v, c: _flip(v),
    "mlp_expansion_factor": lambda v, c: _other(v, 4, 6),
    "attn_layer_indices": lambda v, c: [0],
    # Nemotron-H's shared expert is built whatever these say.
    "n_shared_experts": lambda v, c: _other(v, 2, 3),
    "moe_shared_expert_overlap": lambda v, c: _flip(v),
    "norm_before_gate": lambda v, c: _flip(v),
    "ssm_state_size": lambda v, c: 4,
    "time_step_rank": lambda v, c: _other(v, 8, 12),
    "fused_add_norm": lambda v, c: _flip(v),
    "pad_vocab_size_multiple": lambda v, c: 16,
    "residual_in_fp32": lambda v, c: _flip(v),
    "rms_norm": lambda v, c: False,
    "ssm_cfg": lambda v, c: {"d_state": 4},
    "time_step_floor": lambda v, c: _other(v, 0.01, 0.02),
    "time_step_init_scheme": lambda v, c: _other(v, "constant", "random"),
    "time_step_max": lambda v, c: _other(v, 0.5, 0.2),
    "time_step_min": lambda v, c: _other(v, 0.01, 0.02),
    "time_step_scale": lambda v, c: _other(v, 2.0, 3.0),
    # Nemotron-H's older names of the same initialisation settings.
    "mamba_dt_min": lambda v, c: _other(v, 0.01, 0.02),
    "mamba_dt_max": lambda v, c: _other(v, 0.5, 0.2),
    "mamba_dt_init_floor": lambda v, c: _other(v, 0.01, 0.02),
    "use_associative_scan": lambda v, c: _flip(v),
    "mlp_only_layers": lambda v, c: [0],
    "attn_output_gate": lambda v, c: False,
    "mamba_ssm_dtype": lambda v, c: "bfloat16",
    "mtp_num_hidden_layers": lambda v, c: 2,
    "mtp_use_dedicated_embeddings": lambda v, c: True,
    "intermediate_size": lambda v, c: 77,
    "norm_topk_prob": lambda v, c: False,
    "decoder_sparse_step": lambda v, c: 2,
    "use_bcdt_rms": lambda v, c: _flip(v),
    "use_mambapy": lambda v, c: _flip(v),
    "use_mamba_kernels": lambda v, c: _flip(v),
    "_sliding_window_pattern": lambda v, c: _other(v, 2, 3),
    "altup_coef_clip": lambda v, c: _other(v, 0.01, 0.02),
    "altup_lr_multiplier": lambda v, c: _other(v, 4.0, 2.0),
    "attention_bias": lambda v, c: _flip(v),
    "aux_loss_alpha": lambda v, c: 0.5,
    "attention_head_dim": lambda v, c: 2 * (v or c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]),
    "attention_dropout": lambda v, c: 0.5,
    "attn_pdrop": lambda v, c: 0.5,
    "block_dim": lambda v, c: 2 * (v or c["hidden_size"]),
    "block_mlp_init_scale": lambda v, c: 0.5,
    "block_norm_eps": lambda v, c: 0.5,
    "block_out_init_scale": lambda v, c: 0.5,
    "block_use_swiglu": lambda v, c: False,
    "block_use_xavier_init": lambda v, c: _flip(v),
    "conv_dim": lambda v, c: 2 * (v or c["hidden_size"]),
    "conv_dim_out": lambda v, c: 2 * (v or c["hidden_size"]),
    "conv_use_xavier_init": lambda v, c: _flip(v),
    "num_heads": lambda v, c: 2 * (v or c["num_attention_heads"]),
    "use_pos_enc": lambda v, c: False,
    "bos_token_id": lambda v, c: _other(v, 5, 6),
    "cache_implementation": lambda v, c: _other(v, "static", "dynamic"),
    "cla_share_factor": lambda v, c: _other(v, 2, 3),
    "classifier_dropout": lambda v, c: 0.5,
    "embd_pdrop": lambda v, c: 0.5,
    "embed_dropout": lambda v, c: 0.5,
    "embedding_dropout": lambda v, c: 0.5,
    "embedding_initializer_range": lambda v, c: 0.5,
    "ep_size": lambda v, c: _other(v, 2, 4),
    "eod_token_id": lambda v, c: _other(v, 5, 6),
    "eos_token_id": lambda v, c: _other(v, 5, 6),
    "experts_per_token": lambda v, c: _other(v, 1, 2),
    "expert_intermediate_size": lambda v, c: _other(v, 16, 32),
    "head_dim": lambda v, c: 2 * (v or c.get("hidden_size", c.get("n_embd")) // c.get("num_attention_heads",
                                                                                     c.get("n_head"))),
    "hidden_act": lambda v, c: _other(v, "gelu", "silu"),
    "hidden_dropout": lambda v, c: 0.5,
    "image_token_id": lambda v, c: _other(v, 5, 6),
    "initial_context_length": lambda v, c: _other(v, 8, 16),
    "initializer_range": lambda v, c: 0.5,
    "input_jitter_noise": lambda v, c: 0.5,
    "is_decoder": lambda v, c: _flip(v),
    "attn_pdrop": lambda v, c: 0.5,
    "attention_softmax_in_fp32": lambda v, c: _flip(v),
    "scale_attention_softmax_in_fp32": lambda v, c: _flip(v),
    "n_ctx": lambda v, c: _other(v, 8, 16),
    "num_key_value_heads": lambda v, c: _other(v, 1, 2),
    "summary_activation": lambda v, c: _other(v, "tanh", "relu"),
    "summary_first_dropout": lambda v, c: 0.5,
    "summary_proj_to_labels": lambda v, c: _flip(v),
    "summary_type": lambda v, c: _other(v, "last", "first"),
    "summary_use_proj": lambda v, c: _flip(v),
    "layer_types": lambda v, c: ["sliding_attention" if i % 2 == 0 else "full_attention"
                                 for i in range(c["num_hidden_layers"])],
    "llama_4_scaling_beta": lambda v, c: _other(v, 0.5, 0.25),
    "max_position_embeddings": lambda v, c: _other(v, 20, 40),
    "max_window_layers": lambda v, c: _other(v, 0, 1),
    "mlp_bias": lambda v, c: _flip(v),
    "moe_capacity": lambda v, c: [1, 1, 1],
    "moe_use_aux_free": lambda v, c: _flip(v),
    "moe_layer_freq": lambda v, c: _other(v, 2, 3),
    "moe_intermediate_size": lambda v, c: 2 * c["intermediate_size"],
    "mtp_transformer_layers": lambda v, c: _other(v, 1, 2),
    "num_mtp_modules": lambda v, c: _other(v, 1, 3),
    "num_nextn_predict_layers": lambda v, c: _other(v, 2, 3),
    "num_shared_expert": lambda v, c: _other(v, 2, 3),
    "original_max_position_embeddings": lambda v, c: _other(v, 4, 6),
    "output_router_logits": lambda v, c: _flip(v),
    "pad_token_id": lambda v, c: _other(v, 5, 6),
    "pretraining_tp": lambda v, c: _other(v, 2, 4),
    "qk_head_dim": lambda v, c: 2 * (v or c["qk_nope_head_dim"] + c["qk_rope_head_dim"]),
    "resid_pdrop": lambda v, c: 0.5,
    "residual_dropout": lambda v, c: 0.5,
    "query_pre_attn_scalar": lambda v, c: _other(v, 7.0, 9.0),
    "rms_norm_eps": lambda v, c: 0.5,
    "rope_scaling": lambda v, c: {"rope_type": "linear", "factor": 2.0},
    "rope_theta": lambda v, c: _other(v, 1234.0, 4321.0),
    "rope_traditional": lambda v, c: _flip(v),
    "sep_token_id": lambda v, c: _other(v, 5, 6),
    "seq_aux": lambda v, c: _flip(v),
    "shared_moe_mode": lambda v, c: _other(v, "softmax", "sigmoid"),
    "sliding_rope_theta": lambda v, c: 1234.0,
    "router_aux_loss_coef": lambda v, c: 0.5,
    "router_jitter_noise": lambda v, c: 0.5,
    "scoring_func": lambda v, c: _other(v, "softmax", "sigmoid"),
    "sliding_window": lambda v, c: _other(v, 3, 4),
    "sliding_window_pattern": lambda v, c: _other(v, 2, 3),
    "hidden_activation": lambda v, c: _other(v, "silu", "gelu"),
    "global_rope_scaling": lambda v, c: {"rope_type": "linear", "factor": 2.0},
    "rope_local_base_freq": lambda v, c: _other(v, 1234.0, 4321.0),
    "tie_word_embeddings": lambda v, c: not v if v is not None else False,
    "topk_method": lambda v, c: _other(v, "greedy", "noaux_tc"),
    "transformers_version": lambda v, c: "4.40.0",
    "use_cache": lambda v, c: _flip(v),
    "use_mixed_mlp_moe": lambda v, c: _flip(v),
    "use_mtp": lambda v, c: _flip(v),
    "use_qk_norm": lambda v, c: _flip(v),
    "use_sliding_window": lambda v, c: _flip(v),
    "video_token_id": lambda v, c: _other(v, 5, 6),
    "vision_config": lambda v, c: dict(v or {}, depth=2),
    "vision_end_token_id": lambda v, c: _other(v, 5, 6),
    "vision_start_token_id": lambda v, c: _other(v, 5, 6),
}
# Keys whose value only says how a checkpoint is stored or where it came from (`dtype` and
# `quantization` are read by the loader); there is nothing to probe in a float32 fixture.
# Keys that change only the order transformers sums in: their probe may move the float32 logits by
# rounding, never by more than this times the largest logit (at least 1): float32 rounding scales with
# the values summed, and muP multipliers (Falcon-H1) make a tiny model's logits larger.
ROUNDING_ONLY = {
    "chunk_size": "the length of the chunks the prefill scan sums the same recurrence in",
    "mamba_chunk_size": "the length of the chunks the prefill scan sums the same recurrence in",
}
ROUNDING = 1e-5

# Keys that matter only in layers a family's first fixture lacks, probed on a fixture that has them.
PROBED_ON = {
    "nemotron_h": {"n_shared_experts": "nemotron_h_moe", "moe_shared_expert_overlap": "nemotron_h_moe"},
}

NOT_PROBED = {"_name_or_path", "architectures", "auto_map", "dtype", "torch_dtype", "quantization",
              "quantization_config"}


def probe_value(key: str, config: dict) -> object:
    return PROBES[key](config.get(key), config)


def family_ir(hf2swift: str, family: str) -> dict:
    out = subprocess.run([hf2swift, "ir", family], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"hf2swift ir {family} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def inert_keys(hf2swift: str, config_path: Path) -> list[str]:
    """The keys `detect` files as inert (metadata and training settings) for this config."""
    report = subprocess.run([hf2swift, "detect", str(config_path)], cwd=ROOT, capture_output=True, text=True)
    keys, section = [], None
    for line in report.stdout.splitlines():
        if not line.startswith("  "):
            section = line.split(" ")[0]
            continue
        if section == "inert":
            keys.append(line.strip())
    return keys


def unread_keys(ir: dict) -> list[str]:
    """Keys the family ignores, and fields it takes from elsewhere (a fallback) without reading them;
    a derived field (`read: false` with a default) refuses a stated value that differs, so it is not
    probed."""
    config = ir["config"]
    return [k["json_key"] for k in config["ignored"]] + [
        f["json_key"] for f in config["fields"] if not f["read"] and f["has_fallback"]]


@torch.no_grad()
def logits(directory: Path, tokens: torch.Tensor) -> np.ndarray:
    """The prompt's logits and two cached decode steps after it, flattened."""
    model = hf.load(directory)
    out = model(input_ids=tokens, use_cache=True)
    rows = [out.logits.reshape(-1)]
    cache = out.past_key_values
    for step in range(2):
        out = model(input_ids=tokens[:, step:step + 1], cache=cache, use_cache=True)
        cache = out.past_key_values
        rows.append(out.logits.reshape(-1))
    return torch.cat(rows).float().numpy()


def wrapper_keys(ir: dict, model_type: str) -> list[str]:
    """The keys the wrapper entry serving `model_type` marks as its own (a vision tower's)."""
    return [k["json_key"] for w in ir.get("wrappers", []) if w["model_type"] == model_type
            for k in w["ignored_keys"]]


def probe_family(hf2swift: str, family: str, fixture: hf.Fixture, ir: dict | None = None,
                 keys_of=None, elsewhere=()) -> list[str]:
    """Probes the family's unread keys on `fixture`, but those probed `elsewhere`; `keys_of(ir, config)`
    chooses other keys."""
    problems = []
    ir = ir or family_ir(hf2swift, family)
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "base"
        base.mkdir()
        hf.save(fixture, base)
        config = json.loads((base / "config.json").read_text())
        vocab = config.get("vocab_size") or config["text_config"]["vocab_size"]  # a wrapper nests it
        tokens = torch.from_numpy(hf.tokens_of(fixture, vocab))
        reference = logits(base, tokens)
        if keys_of:
            keys = keys_of(ir, config)
        else:
            keys = unread_keys(ir) + [k for k in inert_keys(hf2swift, base / "config.json") if k not in NOT_PROBED]
        for key in dict.fromkeys(keys):
            if key in NOT_PROBED or key in elsewhere:
                continue
            if key not in PROBES:
                problems.append(f"{family}: {key} is not read and has no probe value; add one to PROBES in "
                                "tools/probe_config_keys.py")
                continue
            probe = Path(scratch) / key
            probe.mkdir()
            for name in hf.SAVED:
                (probe / name).write_bytes((base / name).read_bytes())
            changed = copy.deepcopy(config)
            changed[key] = probe_value(key, config)
            (probe / "config.json").write_text(json.dumps(changed))
            try:
                other = logits(probe, tokens)
            except Exception as error:  # noqa: BLE001 - any failure means transformers reads the key
                problems.append(f"{family}: {key} is not read, but transformers fails with {key} = "
                                f"{json.dumps(changed[key])}: {type(error).__name__}: {str(error)[:120]}")
                continue
            worst = float(np.max(np.abs(other - reference))) if other.shape == reference.shape else float("inf")
            rounding = ROUNDING * max(1.0, float(np.max(np.abs(reference))))
            if worst > (rounding if key in ROUNDING_ONLY else 0):
                problems.append(f"{family}: {key} is not read, but {key} = {json.dumps(changed[key])} changes "
                                f"transformers' logits by up to {worst:.3g}")
            elif worst > 0:
                print(f"{family}: {key} = {json.dumps(changed[key])} moves transformers' logits by rounding "
                      f"only ({worst:.3g}): {ROUNDING_ONLY[key]}")
            else:
                print(f"{family}: {key} = {json.dumps(changed[key])} leaves transformers' logits unchanged")
    return problems


# Keys a family reads that transformers' config classes do not have, with the reason.
NOT_IN_TRANSFORMERS = {
    "rope_traditional": "an mlx-lm key for checkpoints laid out for the interleaved rotation",
    "global_head_dim": "Gemma 4's config class takes it as an argument (default 512) and keeps it only as "
                       "per_layer_config",
    # The original Mamba names, which mlx-lm reads where the Hugging Face names are absent; each
    # defaults to transformers' default of the name it stands for.
    "d_model": "the original Mamba name for hidden_size",
    "n_layer": "the original Mamba name for num_hidden_layers",
    "d_state": "the original Mamba name for state_size",
    "d_conv": "the original Mamba name for conv_kernel",
    "bias": "the original Mamba name for use_bias",
    "conv_bias": "the original Mamba name for use_conv_bias",
}
# Where transformers keeps a key's default when not under its own name.
ROPE_MEMBERS = {"rope_theta": ("full_attention", "rope_theta"), "rope_local_base_freq": ("sliding_attention", "rope_theta"),
                "partial_rotary_factor": ("full_attention", "partial_rotary_factor"),
                # GPT-NeoX's 4.x names, which its config class folds into rope_parameters.
                "rotary_emb_base": ("full_attention", "rope_theta"),
                "rotary_pct": ("full_attention", "partial_rotary_factor")}
ATTRIBUTE_ALIASES = {"sliding_window_pattern": "_sliding_window_pattern"}
# Keys one family's config class reads (with a default) only to derive another field, keeping neither.
DERIVED_ONLY = {
    ("cohere2", "sliding_window_pattern"): "Cohere2Config builds layer_types from it (default 4) and drops it",
    ("qwen3_next", "full_attention_interval"): "Qwen3NextConfig builds layer_types from it (default 4) and drops it",
    ("qwen3_5", "full_attention_interval"): "Qwen3_5TextConfig builds layer_types from it (default 4) and drops it",
    ("qwen3_5_moe", "full_attention_interval"): "Qwen3_5MoeTextConfig builds layer_types from it (default 4) and drops it",
}


def transformers_default(text, key: str):
    if key in ROPE_MEMBERS:
        params = text.rope_parameters or {}
        layer_type, member = ROPE_MEMBERS[key]
        params = params.get(layer_type, params)
        return params.get(member, 1.0 if member == "partial_rotary_factor" else None)
    name = ATTRIBUTE_ALIASES.get(key, key)
    # A config whose layers differ (per_layer_config) gives its global values only this way.
    if hasattr(text, "_getattr_without_heterogeneous_validation"):
        return text._getattr_without_heterogeneous_validation(name, NOT_IN_TRANSFORMERS)
    return getattr(text, name, NOT_IN_TRANSFORMERS)


def literal_value(literal: str):
    """A Swift literal of the IR (`1_000_000`, `true`, `Activation("gelu")`) as a Python value."""
    if literal in ("true", "false"):
        return literal == "true"
    if literal.startswith(("Activation(", "\"")):
        return literal.split('"')[1]
    if literal.startswith("."):
        # An enum case (`.groupLimitedGreedy`) is the config's name in camel case.
        return "".join("_" + c.lower() if c.isupper() else c for c in literal[1:])
    if literal.startswith("["):
        # An array literal of numbers or strings reads as JSON.
        return json.loads(literal)
    return float(literal.replace("_", ""))


def check_defaults(hf2swift: str, family: str, fixture: hf.Fixture) -> list[str]:
    problems = []
    text = AutoConfig.for_model(fixture.model_type).get_text_config()
    for field in family_ir(hf2swift, family)["config"]["fields"]:
        key = field["json_key"]
        if (not field["read"] or not field["default_is_literal"] or key in NOT_IN_TRANSFORMERS
                or (family, key) in DERIVED_ONLY):
            continue
        ours, theirs = literal_value(field["literal"]), transformers_default(text, key)
        # A class default __post_init__ resolves into a number (time_step_rank's "auto") is the one declared.
        declared = getattr(type(text), "__dataclass_fields__", {}).get(key)
        if declared is not None and isinstance(ours, str) and declared.default == ours:
            theirs = ours
        if theirs is NOT_IN_TRANSFORMERS:
            problems.append(f"{family}: {key} has a default ({field['literal']}) but transformers' "
                            f"{type(text).__name__} has no such key; list it in NOT_IN_TRANSFORMERS with the reason")
        elif not (ours == theirs if isinstance(ours, (bool, str, list)) or isinstance(theirs, (bool, str, list))
                  else float(ours) == float(theirs)):
            problems.append(f"{family}: {key} defaults to {field['literal']}, transformers' "
                            f"{type(text).__name__} to {theirs!r}")
    return problems


def detect_fixtures(hf2swift: str, families: set[str]) -> list[str]:
    problems = []
    for fixture in hf.FIXTURES:
        if families and fixture.family not in families:
            continue
        path = hf.OUT / fixture.name / "config.json"
        report = subprocess.run([hf2swift, "detect", str(path)], cwd=ROOT, capture_output=True, text=True)
        if report.returncode != 0:
            problems.append(f"detect refuses {fixture.name}'s config: {report.stderr.strip()}")
            continue
        section, unknown = None, []
        for line in report.stdout.splitlines():
            if not line.startswith("  "):
                section = line.split(" ")[0]
            elif section == "not":
                unknown.append(line.strip())
        if unknown:
            problems.append(f"detect: {fixture.name}'s config has keys {fixture.family} does not know: "
                            + ", ".join(unknown))
    return problems


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    hf2swift = str(Path(sys.argv[1]).resolve())
    chosen = set(sys.argv[2:])
    first: dict[str, hf.Fixture] = {}
    for fixture in hf.FIXTURES:
        first.setdefault(fixture.family, fixture)
    unknown = chosen - set(first)
    if unknown:
        print(f"no transformers fixture for: {', '.join(sorted(unknown))}")
        return 2
    problems = detect_fixtures(hf2swift, chosen)
    for family, fixture in sorted(first.items()):
        if not chosen or family in chosen:
            problems += check_defaults(hf2swift, family, fixture)
            ir = family_ir(hf2swift, family)
            moved = PROBED_ON.get(family, {})
            problems += probe_family(hf2swift, family, fixture, ir, elsewhere=moved)
            by_fixture: dict[str, list[str]] = {}
            for key, name in moved.items():
                by_fixture.setdefault(name, []).append(key)
            for name, keys in by_fixture.items():
                other = next(f for f in hf.FIXTURES if f.name == name)
                problems += probe_family(hf2swift, family, other, ir, lambda ir, config, ks=keys: ks)
            # A wrapper's own keys are probed on a checkpoint of that wrapper, where they could matter.
            for wrapper in ir.get("wrappers", []):
                if not wrapper["ignored_keys"]:
                    continue
                wrapped = [f for f in hf.FIXTURES if f.family == family and f.model_type == wrapper["model_type"]]
                if not wrapped:
                    problems.append(f"{family}: wrapper {wrapper['model_type']} ignores keys but has no "
                                    "transformers fixture to probe them on")
                    continue
                problems += probe_family(hf2swift, family, wrapped[0], ir,
                                         lambda ir, config, t=wrapper["model_type"]: wrapper_keys(ir, t))
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "every unread key leaves transformers' logits unchanged")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
