#!/usr/bin/env python3
"""Proves the parity fixtures can fail: applies real modelling mistakes to the family documents, the
templates or the runtime, regenerates the Swift with hf2swift, runs the parity tests (both oracles'
fixtures) against each mutant, and requires the fixtures the mistake affects (and only those) to
fail. Fixtures are named `oracle/name` (`mlx-lm/llama`, `transformers/llama`). Mutations whose
edits change disjoint sets of generated models share one build and one test run, each judged on
the fixtures of the models it changed (a fixture whose model is byte-identical to the baseline's
runs the baseline's code); runtime edits and edits reaching shared code run alone.

Usage: tools/mutation_check.py path/to/hf2swift [MUTATION...]   (default: every mutation)
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SWIFT = ROOT / "swift"
# One scratch directory per checkout, so that checks of two clones on one machine never share a build.
SCRATCH = Path(os.environ.get("HF2SWIFT_MUTATION_SCRATCH") or Path(tempfile.gettempdir()) /
               f"hf2swift-mutation-check-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}")

# Each oracle's fixture directory, as ParityTests reads them.
ORACLES = {"mlx-lm": ROOT / "tests" / "fixtures" / "models", "transformers": ROOT / "tests" / "fixtures" / "transformers"}


def fixtures() -> list[dict]:
    """Every fixture of both oracles, with its id (`oracle/name`) and directory."""
    out = []
    for oracle, directory in ORACLES.items():
        for f in json.loads((directory / "fixtures.json").read_text())["fixtures"]:
            out.append(dict(f, id=f"{oracle}/{f['name']}", directory=directory / f["name"]))
    return out


def of(*families: str) -> set[str]:
    """Every fixture of these families, both oracles', so a fixture added to a family is expected to
    catch that family's mistakes without editing each mutation."""
    return {f["id"] for f in fixtures() if f["family"] in families}


def where(predicate) -> set[str]:
    """The fixtures whose text config (config.json, or its text_config) satisfies `predicate`. A key
    stated as null reads as absent, as the generated configurations read it."""
    out = set()
    for f in fixtures():
        config = json.loads((f["directory"] / "config.json").read_text())
        text = config.get("text_config") or config
        if predicate({key: value for key, value in text.items() if value is not None}):
            out.add(f["id"])
    return out


def _rope_scaling(config: dict) -> dict:
    return config.get("rope_scaling") or config.get("rope_parameters") or {}


# The fixtures whose RoPE base grows with the length (dynamic scaling without a fixed alpha).
DYNAMIC_BY_LENGTH = where(lambda c: (_rope_scaling(c).get("rope_type") or _rope_scaling(c).get("type")) == "dynamic"
                          and "alpha" not in _rope_scaling(c))


def base_only_in_rope_parameters(hf2swift: str) -> set[str]:
    """The fixtures whose RoPE base (or a layer type's) is stated only inside rope_parameters, where
    the family's default for it is another value or there is none: those a model that never reads
    the base from rope_parameters gets wrong."""
    defaults: dict[str, dict[str, tuple[str, object]]] = {}

    def field(family: str, key: str) -> tuple[str, object]:
        """The config key the family reads the base from (a key of its own that falls back to
        rope_parameters' base, as GPT-NeoX's rotary_emb_base does, or the key itself) and its default."""
        if family not in defaults:
            ir = json.loads(run([hf2swift, "ir", family], cwd=ROOT).stdout)
            fields = defaults[family] = {}
            for f in ir["config"]["fields"]:
                literal = f["literal"] if f["default_is_literal"] else None
                fields[f["json_key"]] = (f["json_key"], literal)
                if f["fallback_path"] == '"rope_parameters.rope_theta"' and f["json_key"] != "rope_theta":
                    fields.setdefault("rope_theta", (f["json_key"], literal))
        return defaults[family].get(key, (key, None))

    out = set()
    for f in fixtures():
        config = json.loads((f["directory"] / "config.json").read_text())
        text = config.get("text_config") or config
        params = text.get("rope_parameters") or {}
        stated = ([("rope_theta", params["full_attention"].get("rope_theta")),
                   ("rope_local_base_freq", params["sliding_attention"].get("rope_theta"))]
                  if "full_attention" in params else [("rope_theta", params.get("rope_theta"))])
        for key, value in stated:
            read_from, literal = field(f["family"], key)
            if value is None or key in text or read_from in text:
                continue
            if literal is None or float(str(literal).replace("_", "")) != float(value):
                out.add(f["id"])
    return out


# Nemotron-H's fixtures with layers of experts.
NEMOTRON_H_EXPERTS = of("nemotron_h") & where(lambda c: "E" in c.get("hybrid_override_pattern", "")
                                               or "moe" in c.get("layers_block_type", []))
GEMMA3 = of("gemma3")
GEMMA4 = of("gemma4")
GEMMA4_MOE = GEMMA4 & where(lambda c: c.get("enable_moe_block"))
LLAMA_ROPE_SCALED = {"mlx-lm/llama_rope_llama3", "mlx-lm/llama_rope_parameters", "mlx-lm/llama_rope_linear",
                     "mlx-lm/llama_rope_yarn", "mlx-lm/llama_rope_longrope", "transformers/llama_llama3",
                     "transformers/llama_llama3_v4", "transformers/llama_yarn", "transformers/llama_linear_v4",
                     "mlx-lm/llama_rope_dynamic", "transformers/llama_dynamic"}


# The whole-projection q/k norms and the clipping that follows them, as the attention partial has them.
WHOLE_NORMS = ("{{#attention.qk_norm_whole}}\n"
               "        // The norms act on the whole projection, before it is split into heads.\n"
               "        queries = qNorm(queries)\n        keys = kNorm(keys)\n{{/attention.qk_norm_whole}}\n")
CLIP = ("{{#attention.clip_qkv}}\n        if let limit = {{attention.clip_limit}} {\n"
        "            queries = clip(queries, min: -limit, max: limit)\n"
        "            keys = clip(keys, min: -limit, max: limit)\n"
        "            values = clip(values, min: -limit, max: limit)\n        }\n{{/attention.clip_qkv}}\n")
NORMS_THEN_CLIP, CLIP_THEN_NORMS = WHOLE_NORMS + CLIP, CLIP + WHOLE_NORMS


@dataclass
class Mutation:
    name: str
    mistake: str
    edits: list[tuple[str, str, str]]  # (family file, templates/FILE or runtime/FILE, text, replacement)
    # The fixtures that must fail, or a function of the hf2swift binary computing them.
    fails: set[str] | Callable[[str], set[str]]


MUTATIONS = [
    Mutation("interleaved_rope", "interleaved RoPE pairs instead of the two halves",
             [("llama.yaml", "    interleaved: rope_traditional", "    interleaved: true"),
              ("qwen2.yaml", "    interleaved: rope_traditional", "    interleaved: true")],
             # longrope rotates halves whatever the layout says, as mlx-lm's SuScaledRoPE does. SmolLM3
             # and Mistral 3's Llama text models take Llama's RoPE, MiMo Qwen2's.
             of("llama", "mistral", "qwen2", "qwen2_moe", "smollm3", "mimo") - {"mlx-lm/llama_rope_longrope"}),
    Mutation("dropped_qk_norm", "q/k RMSNorm dropped",
             [("qwen3.yaml", "  qk_norm: per_head", "  qk_norm: none")],
             # Qwen3-MoE and Qwen3-Next take Qwen3's attention.
             of("qwen3", "qwen3_moe", "qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("missing_bias", "no bias on the q/k/v projections",
             [("qwen2.yaml", "  bias: {qkv: true, o: false}", "  bias: {qkv: false, o: false}")],
             of("qwen2", "mimo")),
    Mutation("missing_o_bias", "no bias on the output projection where the config asks for it",
             [("llama.yaml", "  bias: {qkv: attention_bias, o: attention_bias}",
               "  bias: {qkv: attention_bias, o: false}")],
             {"mlx-lm/llama_bias", "transformers/llama_bias_tied"}),
    Mutation("ignored_rope_scaling", "rope_scaling decoded but not applied",
             [("llama.yaml", "    interleaved: rope_traditional\n    scaling_types: [linear, llama3, yarn, longrope, dynamic]\n",
               "    interleaved: rope_traditional\n    scaling: ~\n    scaling_types: []\n")],
             LLAMA_ROPE_SCALED),
    Mutation("ignored_sliding_window", "sliding_window read but every layer attends over the full context",
             [("mistral.yaml", "  sliding:\n    layer_types: layer_types\n    window: sliding_window\n", "")],
             {"transformers/mistral"}),
    Mutation("phi3_interleaved_rope", "phi3 rotating interleaved pairs",
             [("phi3.yaml", "    interleaved: rope_traditional", "    interleaved: true")],
             # phi3_partial asks for rope_traditional itself; longrope always rotates halves.
             of("phi3") - {"mlx-lm/phi3_partial", "mlx-lm/phi3_longrope", "transformers/phi3_longrope"}),
    Mutation("phi3_full_rotary", "partial_rotary_factor read but every dimension rotated",
             [("phi3.yaml", "    fraction: partial_rotary_factor\n", "")],
             {"mlx-lm/phi3_partial", "mlx-lm/phi3_longrope", "transformers/phi3", "transformers/phi3_v4"}),
    Mutation("phi3_original_context", "longrope's original context taken from max_position_embeddings",
             [("phi3.yaml", "    original_max_positions: original_max_position_embeddings\n",
               "    original_max_positions: ~\n")],
             # transformers writes the top-level value into rope_parameters too.
             {"mlx-lm/phi3_longrope"}),
    Mutation("smollm3_rope_everywhere", "no_rope_layers read but every layer rotated",
             [("smollm3.yaml", "attention:\n  rope:\n    layers: no_rope_layers\n", "")],
             of("smollm3")),
    Mutation("ministral3_unscaled_queries", "Llama-4 query scaling read but not applied",
             [("mistral3.yaml", "  query_position_scale:\n    beta: llama_4_scaling_beta\n"
               "    original_max_positions: original_max_position_embeddings\n", "")],
             of("mistral3")),
    Mutation("mistral3_wrapper_as_ministral3", "every text model of a Mistral 3 checkpoint read as Ministral 3",
             [("mistral3.yaml", "mistral: mistral, ", "")],
             {"mlx-lm/mistral3_mistral", "transformers/mistral3_mistral"}),
    Mutation("mistral3_mistral4_refused", "a Mistral 3 checkpoint holding Mistral Small 4's text model refused",
             [("mistral3.yaml", "mistral4: mistral4, ", "")],
             {"transformers/mistral3_mistral4"}),
    Mutation("qwen2_vl_tied_by_default", "a wrapper checkpoint stating no tie read as tied (mlx-lm's default)",
             [("qwen2.yaml", "    text_config_defaults: {tie_word_embeddings: false}\n",
               "    text_config_defaults: {tie_word_embeddings: true}\n")],
             of("qwen2") & where(lambda c: c.get("model_type") in ("qwen2_vl", "qwen2_5_vl")
                                 and "tie_word_embeddings" not in c
                                 and "tie_word_embeddings" not in (c.get("text_config") or {}))),
    Mutation("qwen2_vl_tie_from_text_config_only", "a wrapper's top-level tie_word_embeddings not read",
             [("qwen2.yaml", "    text_config_optional: true\n    text_config_top_level_overrides: "
               "[tie_word_embeddings]\n", "    text_config_optional: true\n")],
             {"transformers/qwen2_vl"}),
    Mutation("qwen2_vl_flat_config_refused", "a wrapper config without text_config refused, not read as the text config",
             [("qwen2.yaml", "    text_config_optional: true\n", "")],
             {"mlx-lm/qwen2_vl", "transformers/qwen2_5_vl_v4"}),
    Mutation("attention_softcap_ignored", "attention scores left uncapped (the fused kernel kept)",
             [("templates/_attention.swift.mustache",
               "{{#attention.softcap}},\n            logitSoftcap: {{attention.softcap_field}}{{/attention.softcap}}", "")],
             of("gemma2")),
    Mutation("attention_softcap_after_mask", "attention scores capped after the mask, so hidden positions weigh in",
             [("runtime/Attention.swift", """    var scores = matmul(q, keys.swappedAxes(-1, -2))
    scores = tanh(scores / cap) * cap
""", """    var scores = matmul(q, keys.swappedAxes(-1, -2))
"""), ("runtime/Attention.swift", """        scores = visible.dtype == .bool ? MLX.where(visible, scores, hidden) : scores + visible
    }
""", """        scores = visible.dtype == .bool ? MLX.where(visible, scores, hidden) : scores + visible
    }
    scores = tanh(scores / cap) * cap
""")],
             of("gemma2")),
    Mutation("logit_softcap_with_default_ignored", "output logits left uncapped where the cap has a default",
             [("templates/_model.swift.mustache", "        return softcapped(logits, cap: {{head.softcap_field}})\n",
               "        return logits\n")],
             of("gemma2")),
    Mutation("layer_norm_one_plus_dropped", "LayerNorm1P read as plain LayerNorm (its stored offset taken as the scale)",
             [("runtime/Layers.swift", "MLXFast.layerNorm(x, weight: weight + 1, bias: bias, eps: eps)",
               "MLXFast.layerNorm(x, weight: weight, bias: bias, eps: eps)")],
             of("nemotron")),
    Mutation("relu_squared_as_relu", "relu2 computed as relu, not squared",
             [("runtime/Layers.swift", 'case "relu2": square(relu(x))', 'case "relu2": relu(x)')],
             of("nemotron", "nemotron_h")),
    Mutation("gpt_oss_plain_swiglu", "silu(gate) * up instead of GPT-OSS's clamped SwiGLU",
             [("gpt_oss.yaml", "  activation: swiglu_clamped", "  activation: silu")],
             of("gpt_oss")),
    Mutation("gpt_oss_no_sinks", "attention sinks left out",
             [("gpt_oss.yaml", "  sinks: true", "  sinks: false")],
             of("gpt_oss")),
    Mutation("gpt_oss_interleaved_rope", "GPT-OSS rotating interleaved pairs",
             [("gpt_oss.yaml", "  rope:\n    scaling_types", "  rope:\n    interleaved: true\n    scaling_types")],
             of("gpt_oss")),
    Mutation("smollm3_inverted_no_rope_layers", "no_rope_layers read with 1 meaning NoPE",
             [("templates/_attention.swift.mustache", "if {{attention.rope_layers}}[layer] == 0 {",
               "if {{attention.rope_layers}}[layer] == 1 {")],
             # Granite-4.0-H's bfloat16 fixture drifts from float32 by more than one layer's rotation moves it.
             of("smollm3", "llama4", "exaone4", "cohere2", "granitemoehybrid")
             - {"transformers/granitemoehybrid_bf16"}),
    Mutation("phi3_unfused", "q/k/v and gate/up as separate projections where Phi-3 fuses them",
             [("phi3.yaml", "  projection: fused_qkv\n", ""), ("phi3.yaml", "  kind: fused_gated", "  kind: gated")],
             of("phi3")),
    Mutation("gemma3n_no_v_norm", "values attended without their RMS normalisation",
             [("gemma3n.yaml", "  v_norm: true", "  v_norm: false")],
             of("gemma3n")),
    Mutation("gemma3n_wrong_kv_source", "KV-sharing layers attending over the layer before their source",
             [("templates/_model.swift.mustache", "shared: source.map { computed[$0] }, perLayerInput: perLayer[0...",
               "shared: source.map { computed[$0 - 1] }, perLayerInput: perLayer[0...")],
             {"mlx-lm/gemma3n", "transformers/gemma3n"}),
    Mutation("gemma3n_dense_gelu", "activation_sparsity_pattern read but every layer's GELU dense",
             [("gemma3n.yaml", "  activation_sparsity: activation_sparsity_pattern\n", "")],
             of("gemma3n") - {"mlx-lm/gemma3n_dense", "transformers/gemma3n_dense_v4"}),
    Mutation("gemma3n_uncapped_logits", "final_logit_softcapping read but not applied",
             [("gemma3n.yaml", "head: {tie: tie_word_embeddings, softcap: final_logit_softcapping}",
               "head: {tie: tie_word_embeddings}")],
             of("gemma3n") - {"mlx-lm/gemma3n_dense"}),
    Mutation("mixtral_unstacked_experts", "per-expert checkpoint tensors left unstacked",
             [("mixtral.yaml", "weights:\n  stack_experts:\n    from: experts\n"
               "    names: {w1: gate_proj, w2: down_proj, w3: up_proj}\n", "")],
             # transformers saves Mixtral's experts one tensor each; Phi-MoE takes Mixtral's layout.
             {"mlx-lm/mixtral_hf", "transformers/mixtral", "transformers/mixtral_v4", "mlx-lm/phimoe_hf",
              "transformers/phimoe", "transformers/phimoe_v4"}),
    Mutation("gemma3_plain_rmsnorm", "RMSNorm scaling by w instead of (1 + w)",
             [("gemma3.yaml", "norm: {kind: rms_one_plus, placement: sandwich}",
               "norm: {kind: rms, placement: sandwich}")],
             GEMMA3),
    Mutation("gemma3_unscaled_embedding", "the embedding not multiplied by sqrt(hidden_size)",
             [("gemma3.yaml", "embedding: {scale: sqrt_hidden}", "embedding: {scale: none}")],
             GEMMA3),
    Mutation("gemma3_bf16_rounded_scale", "sqrt(hidden_size) rounded to bfloat16 in a float32 model",
             [("runtime/Layers.swift", "    return h * factor\n",
               "    return h * MLXArray(bfloat16: factor).asType(h.dtype)\n")],
             # sqrt(64) is exact in bfloat16, and a bfloat16 model rounds the factor anyway.
             {"transformers/gemma3"}),
    Mutation("gemma3_head_dim_scale", "softmax scaled by head_dim instead of query_pre_attn_scalar",
             [("gemma3.yaml", "  scale: inverse_sqrt_field\n  scale_field: query_pre_attn_scalar\n", "")],
             where(lambda c: c.get("query_pre_attn_scalar", 256) != c.get("head_dim", 256)) & GEMMA3),
    Mutation("gemma3_global_rope_base_everywhere", "sliding layers rotating with the global RoPE base",
             [("gemma3.yaml", "    local_base: rope_local_base_freq\n", "    local_base: rope_theta\n")],
             GEMMA3),
    Mutation("gemma3_ignored_layer_types", "layer_types derived from sliding_window_pattern instead of read",
             [("gemma3.yaml", "    default: {derive: global_every_nth}\n    doc: Per-layer",
               "    default: {derive: global_every_nth}\n    read: false\n    doc: Per-layer")],
             # A stated schedule the model would not follow is refused; the 4.x fixtures state none.
             where(lambda c: "layer_types" in c) & GEMMA3),
    Mutation("gemma3_ignored_rope_parameters_per_type", "sliding layers rotating with the global layers' base",
             [("gemma3.yaml", "fallback: rope_parameters.sliding_attention.rope_theta",
               "fallback: rope_parameters.full_attention.rope_theta")],
             where(lambda c: "sliding_attention" in (c.get("rope_parameters") or {})) & GEMMA3),
    Mutation("starcoder2_exact_gelu", "the exact GELU where the config names its tanh approximation",
             [("starcoder2.yaml", "  activation_field: hidden_act\n", "  activation: gelu\n")],
             {"transformers/starcoder2", "transformers/starcoder2_v4"}),
    Mutation("sequential_parallel_layer", "a parallel layer run in turn: the MLP reading the attention's sum",
             [("templates/_decoder_layer.swift.mustache",
               "        return attention(normed, mask: mask, cache: cache) + mlp(normed) + x\n",
               "        let h = x + attention(normed, mask: mask, cache: cache)\n"
               "        return h + mlp(inputLayerNorm(h))\n")],
             of("phi", "cohere", "cohere2", "gptj")),
    Mutation("phi_full_rotary", "partial_rotary_factor read but every dimension of Phi's heads rotated",
             [("phi.yaml", "    fraction: partial_rotary_factor\n", "")],
             of("phi")),
    Mutation("switched_parallel_layer_in_turn", "a layer the config makes parallel run in turn, its MLP after attention",
             [("templates/_decoder_layer.swift.mustache", "            return x + r + mlp(normed)\n",
               "            return x + r + mlp(inputLayerNorm(x + r))\n")],
             of("stablelm") & where(lambda c: c.get("use_parallel_residual"))),
    Mutation("grouped_qkv_split_in_blocks", "a projection grouped by key/value head split as [q | k | v] blocks",
             [("templates/_attention.swift.mustache",
               "        let qkv = parts.map { $0.reshaped(B, L, -1) }\n",
               "        let width = {{attention.kv_heads}} * {{attention.head_dim}}\n"
               "        let qkv = split(wqkv(x), indices: [groupSize * width, (groupSize + 1) * width], axis: -1)\n")],
             of("gpt_neox", "internlm2")),
    Mutation("parallel_mlp_reads_input_norm", "a parallel layer's MLP reading the attention's norm, not its own",
             [("templates/_decoder_layer.swift.mustache", "        return x + r + mlp(postAttentionLayerNorm(x))\n",
               "        return x + r + mlp(inputLayerNorm(x))\n")],
             of("gpt_neox") & where(lambda c: c.get("use_parallel_residual", True))),
    Mutation("parallel_own_norms_in_turn", "a layer the config makes parallel run in turn, its MLP after attention",
             [("templates/_decoder_layer.swift.mustache", "        return x + r + mlp(postAttentionLayerNorm(x))\n",
               "        return x + r + mlp(postAttentionLayerNorm(x + r))\n")],
             of("gpt_neox") & where(lambda c: c.get("use_parallel_residual", True))),
    Mutation("gpt_neox_sequential_ignored", "use_parallel_residual false ignored: every layer side by side",
             [("templates/_decoder_layer.swift.mustache", "        if !parallel {\n", "        if false {\n")],
             of("gpt_neox") & where(lambda c: not c.get("use_parallel_residual", True))),
    Mutation("gpt_neox_full_rotary", "rotary_pct read but every dimension of GPT-NeoX's heads rotated",
             [("gpt_neox.yaml", "    fraction: rotary_pct\n", "")],
             of("gpt_neox")),
    Mutation("gpt_neox_tanh_gelu", "the tanh GELU mlx-lm always applies where the config names the exact one",
             [("gpt_neox.yaml", "  activation_field: hidden_act\n", "  activation: gelu_approx\n")],
             of("gpt_neox") & where(lambda c: c.get("hidden_act", "gelu") == "gelu")),
    Mutation("gptj_rotate_halves", "GPT-J's interleaved RoPE rotating the two halves of the rotated part",
             [("gptj.yaml", "    interleaved: true\n", "    interleaved: false\n")],
             of("gptj")),
    Mutation("gptj_full_rotary", "rotary_dim read but every dimension of GPT-J's heads rotated",
             [("gptj.yaml", "    dimensions: rotary_dim\n", "")],
             of("gptj")),
    Mutation("gptj_inner_default_hidden", "n_inner left out or null taken as n_embd, not 4 n_embd",
             [("gptj.yaml", "    default: {derive: four_times_hidden}\n", "    default: {field: n_embd}\n")],
             of("gptj") & where(lambda c: c.get("n_inner") is None)),
    Mutation("gptj_head_without_bias", "GPT-J's lm_head bias left out",
             [("gptj.yaml", "  bias: true\n\nweights:", "  bias: false\n\nweights:")],
             of("gptj")),
    Mutation("stablelm_full_rotary", "partial_rotary_factor read but every dimension of StableLM's heads rotated",
             [("stablelm.yaml", "    fraction: partial_rotary_factor\n", "")],
             of("stablelm")),
    Mutation("learned_positions_from_zero", "learned positions counted from zero at every step, the cache's offset "
             "ignored", [("templates/_model.swift.mustache", "offset: cache?.first?.offset ?? 0, length: h.dim(1)",
                          "offset: 0, length: h.dim(1)")],
             of("gpt2", "gpt_bigcode")),
    Mutation("conv1d_not_transposed", "Conv1D matrices ([in, out]) loaded as linear layers' [out, in]",
             [("gpt2.yaml", '  transpose:\n    - "h.*.attn.c_attn.weight"\n    - "h.*.attn.c_proj.weight"\n'
               '    - "h.*.mlp.c_fc.weight"\n    - "h.*.mlp.c_proj.weight"\n'
               '    - "transformer.h.*.attn.c_attn.weight"\n    - "transformer.h.*.attn.c_proj.weight"\n'
               '    - "transformer.h.*.mlp.c_fc.weight"\n    - "transformer.h.*.mlp.c_proj.weight"\n', "")],
             {"mlx-lm/gpt2_hf", "transformers/gpt2", "transformers/gpt2_v4"}),
    Mutation("converted_layout_transposed", "c_attn transposed in every layout, converted ones ([out, in]) too",
             [("gpt2.yaml", '    - "h.*.attn.c_attn.weight"\n', '    - "*.attn.c_attn.weight"\n')],
             {"mlx-lm/gpt2"}),
    Mutation("anchored_renames_ignored", "key parts anchored at the start of a key ('^h.') never renamed",
             [("runtime/Loading.swift", "if name.hasPrefix(prefix) { name = to + name.dropFirst(prefix.count) }", "")],
             of("gpt2", "gpt_bigcode")),
    Mutation("fused_qkv_keys_values_swapped", "the fused projection's key and value parts taken in the wrong order",
             [("templates/_attention.swift.mustache", "        var keys = qkv[1]\n        var values = qkv[2]\n",
               "        var keys = qkv[2]\n        var values = qkv[1]\n")],
             of("phi3", "bailing_moe", "gpt2", "gpt_bigcode", "gpt_neox", "internlm2", "qwen")),
    Mutation("scale_attn_weights_ignored", "scores scaled by 1/sqrt(head_dim) where scale_attn_weights is false",
             [("gpt2.yaml", "  scaled: scale_attn_weights\n", "")],
             of("gpt2", "gpt_bigcode") & where(lambda c: c.get("scale_attn_weights") is False)),
    Mutation("gpt_bigcode_exact_gelu", "the exact GELU mlx-lm applies, whatever activation_function names",
             [("gpt_bigcode.yaml", "weights:\n  transpose: []\n",
               "mlp:\n  activation_field: null\n  activation: gelu\nweights:\n  transpose: []\n")],
             of("gpt_bigcode") & where(lambda c: c.get("activation_function", "gelu_pytorch_tanh") != "gelu")),
    Mutation("multi_query_as_multi_head", "GPT-BigCode given a key/value head per query head despite multi_query",
             [("gpt_bigcode.yaml", "    default: 1\n    read: false\n", "    default: {field: n_head}\n    read: false\n")],
             of("gpt_bigcode")),
    Mutation("logits_not_multiplied", "a logit multiplier read but never applied",
             [("templates/_model.swift.mustache", "        return logits * {{head.multiplier}}\n", "        return logits\n")],
             of("cohere", "cohere2")),
    Mutation("per_head_norm_weights_shared", "q/k norms scaling every head by the first head's weight",
             [("runtime/Layers.swift", "        return (weight.asType(.float32) * normed).asType(x.dtype)\n",
               "        return (weight[0].asType(.float32) * normed).asType(x.dtype)\n")],
             of("cohere") & where(lambda c: c.get("use_qk_norm"))),
    Mutation("mixtral_full_attention", "Mixtral's sliding_window read but every layer attending fully",
             [("mixtral.yaml", "    layer_types: layer_types\n    window: sliding_window\n", "")],
             # Phi-MoE takes Mixtral's sliding window.
             {"transformers/mixtral", "transformers/phimoe_v4"}),
    Mutation("ignored_rope_parameters", "rope_parameters decoded, but its RoPE base never read",
             [("runtime/Configuration.swift", "ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta)",
               "ropeTheta = nil")],
             base_only_in_rope_parameters),
    Mutation("truncated_yarn", "YaRN's correction range rounded although truncate is false",
             [("runtime/RoPE.swift", "if scaling.truncate ?? true {", "if true {")],
             {"transformers/gpt_oss"}),
    Mutation("mixtral_softmax_over_all_experts", "a softmax over every expert's logit, then the top k unrenormalised",
             [("mixtral.yaml", "router: {order: top_k_then_softmax}", "router: {order: softmax_then_top_k}")],
             of("mixtral")),
    Mutation("qwen3_moe_softmax_after_top_k", "the softmax taken over the k selected logits only",
             [("qwen3_moe.yaml", "router: {normalize: norm_topk_prob}", "router: {order: top_k_then_softmax}")],
             # With norm_topk_prob the two orders agree: only the unnormalised fixtures can tell, and
             # only where a token does not go to every expert.
             of("qwen3_moe", "qwen3_next") & where(lambda c: not c.get("norm_topk_prob")
                                                   and c.get("num_experts_per_tok") != c.get("num_experts"))),
    Mutation("qwen3_moe_ignored_norm_topk_prob", "norm_topk_prob read but the top-k scores left as they are",
             [("qwen3_moe.yaml", "  router: {normalize: norm_topk_prob}\n", "")],
             of("qwen3_moe", "qwen3_next") & where(lambda c: c.get("norm_topk_prob"))),
    Mutation("ungated_shared_expert", "the shared expert added without its sigmoid gate",
             [("qwen2_moe.yaml", "shared: {intermediate: shared_expert_intermediate_size, gated: true}",
               "shared: {intermediate: shared_expert_intermediate_size}")],
             of("qwen2_moe")),
    Mutation("qwen2_moe_ignored_qkv_bias", "qkv_bias ignored: q/k/v biases expected always",
             [("qwen2_moe.yaml", "  bias: {qkv: qkv_bias, o: false}", "  bias: {qkv: true, o: false}")],
             of("qwen2_moe") & where(lambda c: c.get("qkv_bias") is False)),
    Mutation("ignored_clip_qkv", "clip_qkv read but queries, keys and values never clipped",
             [("olmoe.yaml", "  clip_qkv: clip_qkv\n", ""), ("olmo.yaml", "  clip_qkv: clip_qkv\n", "")],
             where(lambda c: c.get("clip_qkv") is not None)),
    Mutation("clip_before_qk_norm", "q/k/v clipped straight after the projections, before the q/k norms",
             [("templates/_attention.swift.mustache", NORMS_THEN_CLIP, CLIP_THEN_NORMS)],
             # OLMo has no q/k norms: its clipping has nothing to be ordered against.
             where(lambda c: c.get("clip_qkv") is not None) - of("olmo")),
    Mutation("values_not_clipped", "clip_qkv applied to queries and keys but not to values",
             [("templates/_attention.swift.mustache",
               "            values = clip(values, min: -limit, max: limit)\n", "")],
             where(lambda c: c.get("clip_qkv") is not None)),
    Mutation("parameter_free_norm_given_weights", "OLMo's parameter-free LayerNorms given a weight and a bias "
             "the checkpoint does not hold",
             [("olmo.yaml", "  kind: layer\n  affine: false\n", "  kind: layer\n")],
             of("olmo")),
    Mutation("sigmoid_as_softmax", "experts scored by a softmax over all of them where the router takes sigmoids",
             [("glm4_moe.yaml", "    scores: sigmoid\n", "")],
             # dots.llm1, DeepSeek-V3 and GLM-4.7-Flash take GLM-4.5's router.
             of("glm4_moe", "dots1", "deepseek_v3", "glm4_moe_lite")),
    Mutation("smallest_groups_kept", "grouped top-k keeping the groups with the smallest scores",
             [("runtime/Experts.swift", "argPartition(groupScores, kth: dropped - 1",
               "argPartition(-groupScores, kth: dropped - 1")],
             # A greedy router (topk_method) ignores its groups.
             where(lambda c: c.get("n_group", 1) > 1 and c.get("topk_group", 1) < c.get("n_group", 1)
                   and c.get("topk_method") != "greedy")),
    Mutation("selection_bias_in_weights", "the selection bias folded into the experts' weights too",
             [("runtime/Experts.swift", "var weights = takeAlong(scores, indices, axis: -1)",
               "var weights = takeAlong(choice, indices, axis: -1)")],
             # mlx-lm drops ERNIE's selection bias: its fixtures hold it at zero. Ling's is switched.
             of("glm4_moe", "dots1", "minimax_m2", "deepseek_v3", "glm4_moe_lite", "lfm2_moe")
             | {"transformers/ernie4_5_moe", "transformers/ernie4_5_moe_v4"}
             | (of("bailing_moe") & where(lambda c: c.get("moe_router_enable_expert_bias"))) | NEMOTRON_H_EXPERTS),
    Mutation("selection_bias_ignored", "experts chosen by their scores alone, without the selection bias",
             [("runtime/Experts.swift", "var choice = selectionBias.map { scores + $0.asType(scores.dtype) } ?? scores",
               "var choice = scores")],
             # mlx-lm drops ERNIE's selection bias: its fixtures hold it at zero. Ling's is switched.
             of("glm4_moe", "dots1", "minimax_m2", "deepseek_v3", "glm4_moe_lite", "lfm2_moe")
             | {"transformers/ernie4_5_moe", "transformers/ernie4_5_moe_v4"}
             | (of("bailing_moe") & where(lambda c: c.get("moe_router_enable_expert_bias"))) | NEMOTRON_H_EXPERTS),
    Mutation("minimax_m2_softmax_scores", "MiniMax-M2's experts scored by a softmax over all of them, not sigmoids",
             [("minimax_m2.yaml", "    scores: sigmoid\n", "")],
             of("minimax_m2")),
    Mutation("minimax_m2_unnormalised", "MiniMax-M2's top-k sigmoid scores left as they are, not renormalised",
             [("minimax_m2.yaml", "    normalize: true\n", "    normalize: false\n")],
             of("minimax_m2")),
    Mutation("minimax_m2_per_head_qk_norm", "q/k norms per head where MiniMax-M2 normalises the whole projection",
             [("minimax_m2.yaml", "  qk_norm: whole\n", "  qk_norm: per_head\n")],
             of("minimax_m2")),
    Mutation("minimax_m2_full_rotary", "rotary_dim read but every dimension of each head rotated",
             [("minimax_m2.yaml", "    fraction: partial_rotary_factor\n", "")],
             of("minimax_m2")),
    Mutation("qk_norm_before_rope", "Hunyuan's q/k norms applied before RoPE instead of after",
             [("hunyuan_v1_dense.yaml", "  qk_norm_placement: after_rope\n", "")],
             of("hunyuan", "hunyuan_v1_moe", "hunyuan_v1_dense")),
    Mutation("ntk_alpha_ignored", "rope_scaling's alpha read but the RoPE base left unstretched",
             [("runtime/RoPE.swift", "let stretched = Double(base) * pow(alpha, d / (d - 2))",
               "let stretched = Double(base)")],
             where(lambda c: "alpha" in (c.get("rope_scaling") or c.get("rope_parameters") or {}))),
    Mutation("dynamic_ntk_ignored", "dynamic NTK scaling read but the RoPE base never raised past the context",
             [("runtime/RoPE.swift", "let length = Double(Swift.max(length, maxPositionEmbeddings))",
               "let length = Double(maxPositionEmbeddings)")],
             DYNAMIC_BY_LENGTH),
    Mutation("dynamic_ntk_without_offset", "dynamic NTK's length counted without the cached tokens (decode steps "
             "rotate with the plain base)",
             [("runtime/RoPE.swift", "base: base(reaching: offset + x.dim(-2)), scale: 1,",
               "base: base(reaching: x.dim(-2)), scale: 1,")],
             DYNAMIC_BY_LENGTH),
    Mutation("kv_source_off_by_one", "cross-layer groups led by their last layer instead of their first",
             [("runtime/Attention.swift", "!sharing || layer % group == 0", "!sharing || (layer + 1) % group == 0")],
             where(lambda c: c.get("use_cla") is True)),
    Mutation("hunyuan_renormalised", "mlx-lm's Hunyuan top-k scores renormalised where it keeps them as scored",
             [("hunyuan.yaml", "  router: {normalize: false}", "  router: {normalize: true}")],
             of("hunyuan") & where(lambda c: c.get("num_experts", 1) > 1)),
    Mutation("hunyuan_v1_moe_unnormalised", "transformers' Hunyuan top-k scores left unrenormalised",
             [("hunyuan_v1_moe.yaml", "  router: {normalize: true}", "  router: {normalize: false}")],
             # mlx-lm's fixture chooses every expert, whose scores already sum to one.
             of("hunyuan_v1_moe") - {"mlx-lm/hunyuan_v1_moe"}),
    Mutation("hunyuan_one_shared_width", "num_shared_expert read but the shared MLP one dense width wide",
             [("hunyuan.yaml", "shared: {intermediate: shared_mlp_width,", "shared: {intermediate: intermediate_size,")],
             of("hunyuan") & where(lambda c: c.get("use_mixed_mlp_moe") and c.get("num_experts", 1) > 1
                                   and any(n != 1 for n in (c["num_shared_expert"]
                                                            if isinstance(c["num_shared_expert"], list)
                                                            else [c["num_shared_expert"]])))),
    Mutation("hunyuan_shared_mlp_always", "use_mixed_mlp_moe read but a shared MLP built anyway",
             [("hunyuan.yaml", "enabled: use_mixed_mlp_moe}", "enabled: true}")],
             of("hunyuan") & where(lambda c: not c.get("use_mixed_mlp_moe") and c.get("num_experts", 1) > 1)),
    Mutation("hunyuan_single_expert_routed", "one expert routed as a mixture instead of a dense MLP",
             [("runtime/Configuration.swift", "experts > 1 ? \"experts\" : \"mlp\"", "experts > 0 ? \"experts\" : \"mlp\"")],
             of("hunyuan") & where(lambda c: c.get("num_experts") == 1)),
    Mutation("first_layer_value_everywhere", "per-layer values (top-k, widths) read from the first layer's entry",
             [("runtime/AltUp.swift", "repeated ? values[0] : values[layer]", "values[0]")],
             where(lambda c: any(isinstance(c.get(k), list) and len(set(c[k])) > 1
                                 for k in ("moe_topk", "moe_intermediate_size", "num_shared_expert",
                                           "intermediate_size")))
             # Gemma 4's attention sizes differ by layer type on every fixture.
             | of("gemma4")),
    Mutation("dropped_routed_scaling_factor", "routed_scaling_factor read but the weights left unscaled",
             [("glm4_moe.yaml", "    scale: routed_scaling_factor\n", "")],
             of("glm4_moe", "dots1", "deepseek_v3", "deepseek_v2", "glm4_moe_lite", "mistral4")
             & where(lambda c: c.get("routed_scaling_factor", 1) != 1)),
    Mutation("dense_first_off_by_one", "one dense layer more than first_k_dense_replace asks for",
             [("runtime/Configuration.swift", "$0 < denseLayers ? \"mlp\"", "$0 <= denseLayers ? \"mlp\"")],
             # LFM2-MoE's dense layers are num_dense_layers, read as first_k_dense_replace.
             of("glm4_moe", "dots1", "bailing_moe", "deepseek_v3", "deepseek_v2", "lfm2_moe", "mistral4")),
    Mutation("kept_prediction_layers", "a multi-token prediction layer past the last left in the checkpoint",
             [("glm4_moe.yaml", "  drop_extra_layers: true\n", "")],
             where(lambda c: c.get("num_nextn_predict_layers", 0) > 0) & of("glm4_moe", "glm4_moe_lite")
             - {"transformers/glm4_moe", "transformers/glm4_moe_v4"}),
    Mutation("mla_dropped_mscale", "latent attention's softmax scale without YaRN's mscale squared",
             [("templates/_latent_attention.swift.mustache",
               "scale = latentAttentionScale(queryHeadDim: queryHeadDim, scaling: {{attention.rope.scaling}})",
               "scale = Float(pow(Double(queryHeadDim), -0.5))")],
             of("deepseek_v3", "deepseek_v2", "glm4_moe_lite", "youtu", "mistral4") & where(lambda c: _rope_scaling(c).get("mscale_all_dim")
                                                      and _rope_scaling(c).get("factor", 1) > 1)),
    Mutation("mla_rope_on_nope_part", "RoPE applied to the no-RoPE part of each query head too",
             [("templates/_latent_attention.swift.mustache",
               "let queries = projected.reshaped(B, L, heads, queryHeadDim).transposed(0, 2, 1, 3)",
               "let queries = rope(\n            projected.reshaped(B, L, heads, queryHeadDim).transposed(0, 2, 1, 3),\n"
               "            offset: cache?.offset ?? 0)")],
             of("deepseek_v3", "deepseek_v2", "glm4_moe_lite", "minicpm3", "youtu", "mistral4")),
    Mutation("mla_rope_halves", "latent attention's rotated part turned in halves where its pairs interleave",
             [("deepseek_v3.yaml", "    interleaved: rope_interleave\n", "    interleaved: false\n")],
             of("deepseek_v3", "glm4_moe_lite", "mistral4") & where(lambda c: c.get("rope_interleave", True))),
    Mutation("youtu_rope_halves", "Youtu's rotated part turned in halves where its pairs interleave",
             [("youtu.yaml", "    interleaved: rope_interleave\n", "    interleaved: false\n")],
             of("youtu") & where(lambda c: c.get("rope_interleave", c.get("rope_traditional", True)))),
    Mutation("padding_row_kept", "the padding token's embedding row kept as the checkpoint holds it",
             [("runtime/Loading.swift", "out[key + part] = which(isRow, zeros(like: table), table)",
               "out[key + part] = table")],
             # Only there is the padding token in the prompt (and the head tied); youtu_v4's is in
             # neither, and mlx-lm's fixture states none.
             {"transformers/youtu"}),
    Mutation("mla_rope_interleave_ignored", "rope_interleave not read: pairs interleaved whatever it says",
             [("deepseek_v3.yaml", "    interleaved: rope_interleave\n", "    interleaved: true\n")],
             of("deepseek_v3", "glm4_moe_lite", "mistral4") & where(lambda c: not c.get("rope_interleave", True))),
    Mutation("mla_latent_norm_skipped", "the latent used without kv_a_layernorm",
             [("templates/_latent_attention.swift.mustache", "expandedDimensions(kvANorm(compressed[0]), axis: 1)",
               "expandedDimensions(compressed[0], axis: 1)")],
             of("deepseek_v3", "deepseek_v2", "glm4_moe_lite", "minicpm3", "youtu", "mistral4")),
    Mutation("mla_query_norm_skipped", "the queries' low rank used without q_a_layernorm",
             [("templates/_latent_attention.swift.mustache", "projected = wqB(qANorm(wqA(x)))",
               "projected = wqB(wqA(x))")],
             of("deepseek_v3", "deepseek_v2", "glm4_moe_lite", "minicpm3", "youtu", "mistral4")
             & where(lambda c: c.get("q_lora_rank") is not None)),
    Mutation("mla_kv_b_split_values_first", "kv_b_proj split as if each head's value rows came before its key rows",
             [("runtime/LatentAttention.swift",
               "out[prefix + \"embed_q.weight\"] = perHead[0..., ..<noRoPEHeadDim, 0...].swappedAxes(-1, -2)\n"
               "        out[prefix + \"unembed_out.weight\"] = perHead[0..., noRoPEHeadDim..., 0...]",
               "out[prefix + \"embed_q.weight\"] = perHead[0..., valueHeadDim..., 0...].swappedAxes(-1, -2)\n"
               "        out[prefix + \"unembed_out.weight\"] = perHead[0..., ..<valueHeadDim, 0...]")],
             # mlx-lm's other DeepSeek-V3 and GLM-4.7-Flash fixtures arrive split as mlx-lm's conversions
             # write them.
             of("deepseek_v3", "deepseek_v2", "glm4_moe_lite", "minicpm3", "youtu", "mistral4")
             - {"mlx-lm/deepseek_v3", "mlx-lm/deepseek_v3_q4", "mlx-lm/glm4_moe_lite", "mlx-lm/kimi_vl",
                "mlx-lm/kimi_vl_hf", "mlx-lm/mistral4"}),
    Mutation("latent_queries_unscaled", "Llama-4 query scaling read but not applied to latent attention's queries",
             [("mistral4.yaml", "attention:\n  query_position_scale:\n    beta: llama_4_scaling_beta\n"
               "    original_max_positions: original_max_position_embeddings\n", "")],
             of("mistral4")),
    Mutation("latent_query_scale_rotated_part_only", "the position scale applied to the rotated part of each "
             "query alone, not the whole query",
             [("templates/_latent_attention.swift.mustache", "queriesNoRoPE = queriesNoRoPE * positionScale",
               "queriesNoRoPE = queriesNoRoPE.asType(queriesNoRoPE.dtype)")],
             of("mistral4")),
    Mutation("latent_query_scale_from_one", "the query scale's positions counted from 1, as temperature tuning "
             "counts them",
             [("mistral4.yaml", "    original_max_positions: original_max_position_embeddings\n",
               "    original_max_positions: original_max_position_embeddings\n    from_one: true\n")],
             of("mistral4")),
    Mutation("latent_query_head_dim_rotated_only", "latent attention's query head width derived as its rotated "
             "part alone (DeepSeek-V3's head_dim), refusing the head_dim transformers writes",
             [("runtime/Configuration.swift", "        noRoPE + rotated\n", "        rotated\n")],
             of("mistral4") & where(lambda c: "head_dim" in c)),
    Mutation("mistral4_stated_fraction_refused", "rope_parameters.partial_rotary_factor not read, so the fraction "
             "transformers writes is refused",
             [("mistral4.yaml", "  partial_rotary_factor:\n    type: float\n    optional: true\n"
               "    fallback: rope_parameters.partial_rotary_factor\n", "  partial_rotary_factor:\n    type: float\n"
               "    optional: true\n")],
             of("mistral4") & where(lambda c: "partial_rotary_factor" in c.get("rope_parameters", {}))),
    Mutation("mistral4_sigmoid_scores", "Mistral 4's experts scored by sigmoids, as DeepSeek-V3's are",
             [("mistral4.yaml", "    scores: softmax\n", "")],
             of("mistral4")),
    Mutation("mistral4_groups_by_best", "Mistral 4's groups scored by their best expert, as DeepSeek-V2's are, "
             "not their two best",
             [("mistral4.yaml", "    selection_bias: false\n",
               "    selection_bias: false\n    groups: {count: n_group, selected: topk_group, score: max}\n")],
             of("mistral4") & where(lambda c: c.get("topk_group", 1) < c.get("n_group", 1))),
    Mutation("kimi_vl_transformers_scaling_default", "a Kimi-VL text_config without routed_scaling_factor "
             "given DeepseekV3Config's 2.5, not mlx-lm's 1",
             [("deepseek_v3.yaml", "routed_scaling_factor: 1.0, n_group: 1,", "n_group: 1,")],
             {"mlx-lm/kimi_vl"}),
    Mutation("mlp_layer_types_ignored", "mlp_layer_types read but the first layer alone made dense",
             [("runtime/Configuration.swift",
               "return kinds(types, [\"dense\": \"mlp\", \"sparse\": \"experts\"])",
               "return (0 ..< layers).map { $0 < 1 ? \"mlp\" : \"experts\" }")],
             of("glm4_moe_lite") & where(lambda c: c.get("mlp_layer_types") not in (None, ["dense"] + ["sparse"] * (
                 c.get("num_hidden_layers", 1) - 1)))),
    Mutation("conv_state_not_carried", "the short convolution's last inputs not kept: each call starts from zeros",
             [("runtime/ShortConv.swift", "        cache[0] = extended[0..., (extended.dim(1) - held)..., 0...]\n", "")],
             # Every fixture has a convolution layer (the Mamba blocks and the gated delta rule run one
             # too), and its decode steps follow the prompt.
             of("lfm2", "lfm2_moe", "mamba", "falcon_mamba", "mamba2", "qwen3_next", "granitemoehybrid", "qwen3_5",
                "qwen3_5_moe", "jamba", "nemotron_h", "falcon_h1")),
    Mutation("conv_gates_swapped", "the short convolution's b and c parts swapped (c gating its input, b its output)",
             [("templates/_short_conv.swift.mustache", "            parts[0] * parts[2], filter: conv",
               "            parts[1] * parts[2], filter: conv"),
              ("templates/_short_conv.swift.mustache", "outProj(parts[1] * convolved)", "outProj(parts[0] * convolved)")],
             of("lfm2", "lfm2_moe")),
    Mutation("conv_bias_dropped", "the convolution's bias loaded but never added",
             [("runtime/ShortConv.swift", "        if let bias { sum = sum + bias.asType(.float32) }\n", "")],
             of("lfm2", "lfm2_moe") & where(lambda c: c.get("conv_bias", False))
             | of("mamba", "falcon_mamba", "mamba2") & where(lambda c: c.get("use_conv_bias", True))
             | of("nemotron_h") & where(lambda c: c.get("use_conv_bias", c.get("mamba_conv_bias", True)))
             | of("granitemoehybrid", "jamba", "falcon_h1") & where(lambda c: c.get("mamba_conv_bias", True))),
    Mutation("conv_taps_reversed", "the filter's taps applied newest first (a convolution where PyTorch correlates)",
             [("runtime/ShortConv.swift", "x[0..., tap ..< (tap + length), 0...].asType(.float32) * taps[0..., tap, 0]",
               "x[0..., tap ..< (tap + length), 0...].asType(.float32) * taps[0..., kernel - 1 - tap, 0]"),
              ("runtime/ShortConv.swift", "var sum = x[0..., 0 ..< length, 0...].asType(.float32) * taps[0..., 0, 0]",
               "var sum = x[0..., 0 ..< length, 0...].asType(.float32) * taps[0..., kernel - 1, 0]")],
             of("lfm2", "lfm2_moe", "mamba", "falcon_mamba", "mamba2", "qwen3_next", "granitemoehybrid", "qwen3_5",
                "qwen3_5_moe", "jamba", "nemotron_h", "falcon_h1")),
    Mutation("pytorch_filters_untransposed", "PyTorch's [hidden, 1, kernel] filters loaded without the transpose",
             [("templates/_model.swift.mustache",
               "        weights = channelsLastConvolutions(weights, block: {{short_conv.block_key}})\n", "")],
             # mlx-lm's own fixtures store them as MLX keeps them.
             of("lfm2", "lfm2_moe") - {"mlx-lm/lfm2", "mlx-lm/lfm2_moe"}),
    Mutation("ssm_filters_untransposed", "PyTorch's [inner, 1, kernel] Mamba filters loaded without the transpose",
             [("templates/_model.swift.mustache",
               "        weights = channelsLastConvolutions(weights, block: {{selective_ssm.block_key}}, convolution: \"conv1d\")\n",
               "")],
             # mlx-lm's own mamba and jamba fixtures store them as MLX keeps them.
             of("mamba", "falcon_mamba", "jamba") - {"mlx-lm/mamba", "mlx-lm/jamba", "mlx-lm/jamba_listed"}),
    Mutation("ssm_a_positive", "A taken as exp(A_log) without the minus sign: a state that grows",
             [("runtime/SelectiveSSM.swift", ") -> MLXArray {\n    let a = -exp(aLog.asType(.float32))",
               ") -> MLXArray {\n    let a = exp(aLog.asType(.float32))")],
             of("mamba", "falcon_mamba", "jamba")),
    Mutation("ssm_dt_without_softplus", "dt taken from dt_proj without its softplus",
             [("templates/_selective_ssm.swift.mustache", "let dt = softplus(dtProj(projected[0]).asType(.float32))",
               "let dt = dtProj(projected[0]).asType(.float32)")],
             of("mamba", "falcon_mamba", "jamba")),
    Mutation("ssm_d_skipped", "the skip connection D * x left out of the block's output",
             [("runtime/SelectiveSSM.swift", "    return stacked(outputs, axis: 1) + x * d.asType(.float32)",
               "    return stacked(outputs, axis: 1)")],
             of("mamba", "falcon_mamba", "jamba")),
    Mutation("ssm_state_half_precision", "the recurrent state kept in the checkpoint's dtype, not float32",
             [("runtime/SelectiveSSM.swift", "        state = decay * state + input\n",
               "        state = (decay * state + input).asType(x.dtype)\n")],
             {f["id"] for f in fixtures()
              if f["family"] in ("mamba", "falcon_mamba", "jamba") and f.get("dtype", "float32") != "float32"}),
    Mutation("ssd_state_half_precision", "Mamba-2's recurrent state kept in the checkpoint's dtype, not float32",
             [("runtime/SelectiveSSM.swift", "        h = decay * h + input\n",
               "        h = (decay * h + input).asType(x.dtype)\n")],
             {f["id"] for f in fixtures()
              if f["family"] in ("mamba2", "granitemoehybrid", "nemotron_h", "falcon_h1")
              and f.get("dtype", "float32") != "float32"}),
    Mutation("ssm_state_not_carried", "the recurrent state not kept: each call starts from zeros",
             [("runtime/SelectiveSSM.swift", "    cache?[1] = state\n", "")],
             of("mamba", "falcon_mamba", "jamba")),
    Mutation("ssm_bcdt_norm_dropped", "Falcon-Mamba's norms on dt, B and C left out",
             [("falcon_mamba.yaml", "  bcdt_norm: true\n", "")],
             of("falcon_mamba")),
    Mutation("jamba_bcdt_norm_weights_dropped", "Jamba's norms on dt, B and C computed without their weights",
             [("templates/_selective_ssm.swift.mustache",
               "        projected = [dtNorm(projected[0]), bNorm(projected[1]), cNorm(projected[2])]\n",
               "        projected = projected.map { weightlessRMSNorm($0, eps: dtNorm.eps) }\n")],
             of("jamba")),
    Mutation("jamba_top_k_renormalised", "Jamba's top-k expert weights renormalised to sum to one (as mlx-lm's router does)",
             [("jamba.yaml", "  per_token: num_experts_per_tok\n", "  per_token: num_experts_per_tok\n  router: {normalize: true}\n")],
             # Where every expert is chosen the softmax already sums to one.
             of("jamba") & where(lambda c: c.get("num_experts", 16) > 1
                                 and c.get("num_experts_per_tok", 2) < c.get("num_experts", 16))),
    Mutation("jamba_expert_schedule_as_mlx_lm", "experts where (i + expert_layer_offset) % expert_layer_period == 0",
             [("runtime/Configuration.swift", "return (0 ..< max(layers, 0)).map { $0 % period == offset ? at : elsewhere }",
               "return (0 ..< max(layers, 0)).map { (at == \"attention\" ? $0 % period == offset : ($0 + offset) % period == 0) ? at : elsewhere }")],
             # The two conditions agree where 2 x offset is a multiple of the period.
             of("jamba") & where(lambda c: c.get("num_experts", 16) > 1
                                 and 2 * c.get("expert_layer_offset", 1) % c.get("expert_layer_period", 2) != 0)),
    Mutation("jamba_attention_offset_ignored", "attention on every attn_layer_period-th layer counting from 1, the offset ignored",
             [("runtime/Configuration.swift", "layers: layers, period: period, offset: offset, at: \"attention\"",
               "layers: layers, period: period, offset: period - 1, at: \"attention\"")],
             # layers_block_type, where stated, decides instead.
             of("jamba") & where(lambda c: "layers_block_type" not in c
                                 and (c.get("attn_layer_offset", 4) + 1) % c.get("attn_layer_period", 8) != 0)),
    Mutation("ssd_filters_untransposed", "PyTorch's [channels, 1, kernel] Mamba-2 filters loaded without the transpose",
             [("templates/_model.swift.mustache",
               "        weights = channelsLastConvolutions(weights, block: {{ssd.block_key}}, convolution: \"conv1d\")\n",
               "")],
             # mlx-lm's own fixtures store them as MLX keeps them.
             of("mamba2", "granitemoehybrid", "nemotron_h", "falcon_h1")
             - {f for f in of("mamba2", "granitemoehybrid", "nemotron_h", "falcon_h1")
                if f.startswith("mlx-lm/") and not f.endswith("_hf")}),
    Mutation("ssd_gate_after_norm", "the output normalised first and gated by silu(z) after the norm",
             [("runtime/SelectiveSSM.swift",
               "let input = normBeforeGate ? y.asType(.float32) : y.asType(.float32) * gateFactor",
               "let input = y.asType(.float32)"),
              ("runtime/SelectiveSSM.swift", "return normBeforeGate ? normed * gateFactor : normed",
               "return normed * gateFactor")],
             of("mamba2", "granitemoehybrid", "nemotron_h")
             | of("falcon_h1") & where(lambda c: c.get("mamba_rms_norm") and not c.get("mamba_norm_before_gate", True))),
    Mutation("ssd_groups_interleaved", "group g's B and C read by heads g, g + groups, ... instead of consecutive heads",
             [("runtime/SelectiveSSM.swift",
               "        repeated(m.asType(.float32).reshaped([batch, length, groups, state]), count: heads / groups, axis: 2)",
               "        tiled(m.asType(.float32).reshaped([batch, length, groups, state]), repetitions: [1, 1, heads / groups, 1])")],
             of("mamba2") & where(lambda c: c.get("n_groups", 8) > 1 and c.get("num_heads", 128) > c.get("n_groups", 8))
             | of("granitemoehybrid") & where(lambda c: c.get("mamba_n_groups", 1) > 1
                                              and c.get("mamba_n_heads", 128) > c.get("mamba_n_groups", 1))
             | of("nemotron_h") & where(lambda c: c.get("n_groups", c.get("mamba_n_groups", 8)) > 1
                                        and c.get("mamba_num_heads", 128) > c.get("n_groups", c.get("mamba_n_groups", 8)))
             | of("falcon_h1") & where(lambda c: c.get("mamba_n_groups", 1) > 1)),
    Mutation("ssd_norm_ungrouped", "the gated norm over the block's whole width, as mlx-lm computes it, not per group",
             # Twice: the norm every layer has, and the one a config switches.
             [("templates/_ssd.swift.mustache", "dimensions: inner, groups: groups, eps:", "dimensions: inner, groups: 1, eps:"),
              ("templates/_ssd.swift.mustache", "dimensions: inner, groups: groups, eps:", "dimensions: inner, groups: 1, eps:")],
             of("mamba2", "nemotron_h") & where(lambda c: c.get("n_groups", 8) > 1)
             | of("granitemoehybrid") & where(lambda c: c.get("mamba_n_groups", 1) > 1)
             | of("falcon_h1") & where(lambda c: c.get("mamba_rms_norm") and c.get("mamba_n_groups", 1) > 1)),
    Mutation("ssd_dt_bias_dropped", "dt_bias loaded but never added before the softplus",
             [("runtime/SelectiveSSM.swift", "    var step = softplus(dt.asType(.float32) + dtBias.asType(.float32))",
               "    var step = softplus(dt.asType(.float32))")],
             # Granite-4.0-H's and Nemotron-H's experts' bfloat16 fixtures drift from float32 by more than
             # the missing bias moves them.
             of("mamba2", "granitemoehybrid", "nemotron_h", "falcon_h1")
             - {"transformers/granitemoehybrid_bf16", "transformers/granitemoehybrid_dense_bf16",
                "transformers/nemotron_h_moe_bf16"}),
    Mutation("ssd_time_step_limit_dropped", "dt not clipped to time_step_limit",
             [("runtime/SelectiveSSM.swift", "    if let limit { step = clip(step, min: limit.low, max: limit.high) }\n", "")],
             # Only a limit inside dt's range clips anything.
             {"mlx-lm/mamba2"}),
    Mutation("ssd_schedule_off_by_one", "layer_types read one layer late: each layer takes the next one's mixer",
             [("runtime/Configuration.swift", "        return kinds(types, ssdNames)",
               "        return kinds(Array(types.dropFirst() + types.prefix(1)), ssdNames)")],
             of("granitemoehybrid")),
    Mutation("hybrid_shared_expert_dropped", "Granite-4.0-H's shared expert left out of each layer's feed-forward",
             [("granitemoehybrid.yaml",
               "experts:\n  shared: {intermediate: shared_intermediate_size, alone_without_experts: true}\n", ""),
              ("granitemoehybrid.yaml", "weights:\n", "weights:\n  drop: [\"*.shared_mlp.*\"]\n")],
             of("granitemoehybrid")),
    Mutation("dense_gate_up_swapped", "a dense MLP saved with its gate and up projections apart joined up rows first",
             [("runtime/Experts.swift", "out[joined] = concatenated([gate, up], axis: 0)",
               "out[joined] = concatenated([up, gate], axis: 0)")],
             {"mlx-lm/granitemoehybrid_dense", "mlx-lm/granitemoehybrid_dense_q4"}),
    Mutation("dense_width_as_mlx_lm", "a dense Granite-4.0-H's MLP intermediate_size wide, as mlx-lm builds it, "
             "not shared_intermediate_size",
             [("templates/_experts.swift.mustache",
               "        guard {{experts.count}} > 0 else {\n            _sharedExpert.wrappedValue = {{types.mlp}}(\n"
               "                args, hiddenDimensions: {{experts.shared_intermediate}})",
               "        guard {{experts.count}} > 0 else {\n            _sharedExpert.wrappedValue = {{types.mlp}}(\n"
               "                args, hiddenDimensions: args.intermediateSize)")],
             of("granitemoehybrid") & where(lambda c: c.get("num_local_experts") == 0
                                            and c.get("intermediate_size") != c.get("shared_intermediate_size"))),
    Mutation("position_embedding_type_ignored", "attention always rotated, whatever position_embedding_type says",
             [("runtime/Configuration.swift", "Array(repeating: named == \"rope\" ? 1 : 0, count: max(layers, 0))",
               "Array(repeating: 1, count: max(layers, 0))")],
             of("granitemoehybrid") & where(lambda c: c.get("position_embedding_type") != "rope")),
    Mutation("nemotron_h_older_names_unread", "Nemotron-H's older names of the state-space settings not read "
             "(mamba_n_groups, mamba_d_conv, mamba_conv_bias): their newer names' defaults instead",
             [("nemotron_h.yaml", "    fallback: mamba_n_groups\n", ""),
              ("nemotron_h.yaml", "  conv_kernel: {type: int, default: 4, fallback: mamba_d_conv}\n",
               "  conv_kernel: {type: int, default: 4}\n"),
              ("nemotron_h.yaml", "  use_conv_bias: {type: bool, default: true, fallback: mamba_conv_bias}\n",
               "  use_conv_bias: {type: bool, default: true}\n")],
             {"transformers/nemotron_h_older_names"}),
    Mutation("nemotron_h_local_experts_unread", "num_local_experts not read as n_routed_experts: 8 experts",
             [("nemotron_h.yaml", "    fallback: num_local_experts\n", "")],
             {"transformers/nemotron_h_older_names"}),
    Mutation("nemotron_h_mlp_silu", "Nemotron-H's MLP (and so the shared expert) through SiLU, not relu squared",
             [("nemotron_h.yaml", "  kind: plain\n  activation_field: mlp_hidden_act\n", "  kind: plain\n  activation: silu\n")],
             of("nemotron_h")),
    Mutation("nemotron_h_experts_relu", "ungated experts through relu, not the relu squared mlp_hidden_act names",
             [("runtime/Experts.swift", "var y = down(activation(up(rows, routed, sortedIndices: sort))",
               "var y = down(relu(up(rows, routed, sortedIndices: sort))")],
             NEMOTRON_H_EXPERTS),
    Mutation("nemotron_h_experts_unscaled", "Nemotron-H's routed experts' weights not multiplied by routed_scaling_factor",
             [("nemotron_h.yaml", "    scale: routed_scaling_factor\n", "")],
             NEMOTRON_H_EXPERTS & where(lambda c: c.get("routed_scaling_factor", 1.0) != 1.0)),
    Mutation("nemotron_h_experts_ungrouped", "Nemotron-H's experts chosen among all, n_group and topk_group not read",
             [("nemotron_h.yaml", "    groups: {count: n_group, selected: topk_group}\n", "")],
             NEMOTRON_H_EXPERTS & where(lambda c: c.get("topk_group", 1) < c.get("n_group", 1))),
    Mutation("nemotron_h_experts_unnormalised", "Nemotron-H's chosen experts' scores never renormalised",
             [("nemotron_h.yaml", "    normalize: norm_topk_prob\n", "    normalize: false\n")],
             NEMOTRON_H_EXPERTS & where(lambda c: c.get("norm_topk_prob", True) and c.get("num_experts_per_tok", 2) > 1)),
    Mutation("nemotron_h_latent_out_per_expert", "fc2_latent_proj applied to each expert's output before the "
             "weighted sum, so its bias is scaled by the weights' sum, not added once",
             [("templates/_experts.swift.mustache",
               "        let mixed = (experts(inner, indices) * weights.expandedDimensions(axis: -1)).sum(axis: -2)",
               "        let each = experts(inner, indices)\n        let projected = latentOut.map { $0(each) } ?? each\n"
               "        let mixed = (projected * weights.expandedDimensions(axis: -1)).sum(axis: -2)"),
              ("templates/_experts.swift.mustache", "        let routed = latentOut.map { $0(mixed) } ?? mixed\n",
               "        let routed = mixed\n")],
             NEMOTRON_H_EXPERTS & where(lambda c: c.get("moe_latent_size") and c.get("mlp_bias"))),
    Mutation("nemotron_h_attention_rotated", "Nemotron-H's attention rotated by RoPE (base 10000) as Llama's is",
             [("nemotron_h.yaml", "  rope: null\n", ""),
              ("nemotron_h.yaml", "  rope_theta: null\n  rope_scaling: null\n  rope_parameters: null\n"
               "  original_max_position_embeddings: null\n", "")],
             of("nemotron_h")),
    Mutation("nemotron_h_every_layer_mamba", "every Nemotron-H layer given Mamba-2 as its mixer, the MLP layers too",
             [("nemotron_h.yaml", "default: {derive: mixer_in_block_pattern}", "default: {derive: attention_or_ssd}")],
             of("nemotron_h")),
    Mutation("nemotron_h_feed_forward_unnormalised", "a one-block layer's feed-forward reading the stream, not its norm",
             [("templates/_single_block_layer.swift.mustache", "return x + (block as! UnaryLayer)(h)",
               "return x + (block as! UnaryLayer)(x)")],
             of("nemotron_h")),
    Mutation("nemotron_h_linear_attention_as_attention", "layers_block_type's linear_attention read as attention",
             [("runtime/Configuration.swift", '"linear_attention": ("ssd", "none"),',
               '"linear_attention": ("attention", "none"),')],
             of("nemotron_h") & where(lambda c: "layers_block_type" in c)),
    Mutation("falcon_h1_key_multiplier_dropped", "Falcon-H1's keys not scaled by key_multiplier as the checkpoint loads",
             [("runtime/SummedMixers.swift", "out[name] = scaled(isWeight ? m.attentionIn * m.key : m.key)",
               "out[name] = isWeight ? scaled(m.attentionIn) : value")],
             {"transformers/falcon_h1", "transformers/falcon_h1_bf16", "transformers/falcon_h1_untied"}),
    Mutation("falcon_h1_values_unscaled", "Falcon-H1's values not scaled by attention_in_multiplier (q and k only)",
             [("runtime/SummedMixers.swift",
               'case base.hasSuffix(".\\(attention).q_proj"), base.hasSuffix(".\\(attention).v_proj"):',
               'case base.hasSuffix(".\\(attention).q_proj"):')],
             {"transformers/falcon_h1", "transformers/falcon_h1_bf16", "transformers/falcon_h1_untied"}),
    Mutation("falcon_h1_tied_head_unscaled", "a tied Falcon-H1 head without its lm_head / embedding multiplier ratio",
             [("templates/_model.swift.mustache",
               "return lmHead == nil ? logits * ({{mup.head}} / {{mup.embedding}}) : logits", "return logits")],
             of("falcon_h1") & where(lambda c: c.get("tie_word_embeddings"))),
    Mutation("falcon_h1_output_bias_unscaled", "out_proj's bias not scaled by ssm_out_multiplier (its weight only)",
             [("runtime/SummedMixers.swift", "out[name] = scaled(m.recurrenceOut)",
               "out[name] = isWeight ? scaled(m.recurrenceOut) : value")],
             {"transformers/falcon_h1_untied"}),
    Mutation("falcon_h1_norm_always_after_gate", "the gated norm gating first whatever mamba_norm_before_gate says",
             [("runtime/SelectiveSSM.swift", "self.normBeforeGate = normBeforeGate", "self.normBeforeGate = false")],
             of("falcon_h1") & where(lambda c: c.get("mamba_rms_norm") and c.get("mamba_norm_before_gate", True))),
    Mutation("attention_layers_counted_from_one", "full_attn_idxs read as positions counted from 1",
             [("runtime/Configuration.swift", "attentionLayers.contains($0) ? \"attention\"",
               "attentionLayers.contains($0 + 1) ? \"attention\"")],
             of("lfm2", "lfm2_moe") & where(lambda c: "layer_types" not in c)),
    Mutation("layer_types_ignored", "layer_types not read: the layers full_attn_idxs lists attend, or all of them",
             [("runtime/Configuration.swift", "        if let types { return kinds(types, convolutionNames) }",
               "        if let types, false { return kinds(types, convolutionNames) }")],
             of("lfm2", "lfm2_moe") & where(lambda c: "layer_types" in c)),
    Mutation("ff_dim_unscaled", "the adjusted SwiGLU width not scaled by block_ffn_dim_multiplier",
             [("runtime/Configuration.swift", "let scaled = Int(Double(multiplier) * Double(twoThirds))",
               "let scaled = twoThirds")],
             of("lfm2") & where(lambda c: c.get("block_auto_adjust_ff_dim", True)
                                and c.get("block_ffn_dim_multiplier", 1.0) != 1.0)),
    Mutation("lfm2_moe_unnormalised", "LFM2-MoE's chosen sigmoid scores never renormalised",
             [("lfm2_moe.yaml", "    normalize: norm_topk_prob\n", "    normalize: false\n")],
             of("lfm2_moe") & where(lambda c: c.get("norm_topk_prob", True))),
    Mutation("lfm2_moe_unscaled", "LFM2-MoE's expert weights not scaled by routed_scaling_factor",
             [("lfm2_moe.yaml", "    scale: routed_scaling_factor\n", "")],
             of("lfm2_moe") & where(lambda c: c.get("routed_scaling_factor", 1.0) != 1.0)),
    Mutation("minicpm3_values_hidden_over_heads", "v_head_dim not read: values always hidden / heads wide",
             [("minicpm3.yaml", "    default: {derive: hidden_over_heads}\n    doc: The width of each value head;",
               "    default: {derive: hidden_over_heads}\n    read: false\n    doc: The width of each value head;")],
             of("minicpm3") & where(lambda c: c.get("model_type") == "minicpm3" and c.get("v_head_dim") not in (
                 None, c["hidden_size"] // c["num_attention_heads"]))),
    Mutation("v2_groups_by_top_two", "group-limited routing scoring each group by its two best scores, not its best",
             [("deepseek_v2.yaml", ", score: max}", "}")],
             of("deepseek_v2") & where(lambda c: c.get("topk_method") == "group_limited_greedy"
                                       and c.get("topk_group", 1) < c.get("n_group", 1))),
    Mutation("v2_greedy_grouped", "a greedy router limited to its best groups as if topk_method were group-limited",
             [("runtime/Configuration.swift", "method == .groupLimitedGreedy ? groups ?? 1 : 1", "groups ?? 1")],
             of("deepseek_v2") & where(lambda c: c.get("topk_method") == "greedy"
                                       and c.get("topk_group", 1) < c.get("n_group", 1))),
    Mutation("v2_renormalised", "DeepSeek-V2's top-k softmax scores renormalised to sum to one",
             [("deepseek_v2.yaml", "    normalize: false\n", "    normalize: true\n")],
             of("deepseek_v2")),
    Mutation("v2_sigmoid_scores", "DeepSeek-V2's experts scored by sigmoids, as DeepSeek-V3's are",
             [("deepseek_v2.yaml", "    scores: softmax\n", "    scores: sigmoid\n")],
             of("deepseek_v2")),
    Mutation("llama4_chunking_ignored", "attention_chunk_size read but chunked layers attending over everything",
             [("llama4.yaml", "  chunked:\n    layer_types: layer_types\n    size: attention_chunk_size\n", "")],
             of("llama4") & where(lambda c: c.get("attention_chunk_size") is not None)),
    Mutation("nope_layers_rotated", "layers no_rope_layers marks 0 rotated like the others",
             [("templates/_attention.swift.mustache", "            rope = NoPE()\n            return\n", "")],
             # EXAONE's own configs count their layers in num_layers.
             of("smollm3", "llama4") & where(lambda c: 0 in (c.get("no_rope_layers") or [
                 int((i + 1) % c.get("no_rope_layer_interval", 4) != 0)
                 for i in range(c.get("num_hidden_layers") or c.get("num_layers") or c.get("n_layer", 0))]))
             # EXAONE 4.0 leaves RoPE off its full-attention layers once a window is set.
             | of("exaone4") & where(lambda c: c.get("sliding_window") is not None
                                     and "full_attention" in (c.get("layer_types") or []))
             # Command R7B never rotates its full-attention layers; every fixture has one.
             | of("cohere2")
             # Granite-4.0-H rotates only when position_embedding_type says rope.
             | of("granitemoehybrid") & where(lambda c: c.get("position_embedding_type") != "rope")),
    Mutation("llama4_temperature_tuning_dropped", "NoPE layers' queries left unscaled by position",
             [("llama4.yaml", "    enabled: attn_temperature_tuning\n", "    enabled: false\n")],
             of("llama4") & where(lambda c: c.get("attn_temperature_tuning", True) and c.get("floor_scale", 8192) < 24)),
    Mutation("llama4_router_weights_outputs", "the router's weight applied to each expert's output, not its input",
             [("llama4.yaml", "    weighted: inputs\n", "")],
             of("llama4") & where(lambda c: c.get("moe_layers") != [])),
    Mutation("llama4_sigmoid_as_softmax", "Llama 4's experts weighted by a softmax over all of them, not a sigmoid",
             [("llama4.yaml", "    scores: sigmoid\n", "")],
             of("llama4") & where(lambda c: c.get("moe_layers") != [])),
    Mutation("moe_layer_step_off_by_one", "experts on layers step, 2*step, ... instead of step-1, 2*step-1, ...",
             [("runtime/Configuration.swift", "stride(from: step - 1, to: layers", "stride(from: step, to: layers")],
             of("llama4") & where(lambda c: "moe_layers" not in c)),
    Mutation("deepseek_softmax_as_sigmoid", "experts scored by their own sigmoids where the router takes a softmax over all",
             [("deepseek.yaml", "  shared: {intermediate: shared_experts_width}\n",
               "  router: {scores: sigmoid}\n  shared: {intermediate: shared_experts_width}\n")],
             of("deepseek")),
    Mutation("deepseek_softmax_after_top_k", "a softmax over the k selected logits (weights summing to one) where the "
             "router weights by the softmax over all experts",
             [("deepseek.yaml", "  shared: {intermediate: shared_experts_width}\n",
               "  router: {order: top_k_then_softmax}\n  shared: {intermediate: shared_experts_width}\n")],
             of("deepseek")),
    Mutation("moe_layer_freq_from_first_sparse", "moe_layer_freq counted from the first layer after the dense ones, "
             "not from layer 0",
             [("runtime/Configuration.swift", "layer >= denseLayers && frequency > 0 && layer % frequency == 0",
               "layer >= denseLayers && frequency > 0 && (layer - denseLayers) % frequency == 0")],
             where(lambda c: c.get("moe_layer_freq", 1) > 1
                   and c.get("first_k_dense_replace", 0) % c["moe_layer_freq"] != 0)),
    Mutation("dots1_dropped_qk_norm", "dots.llm1's per-head q/k RMSNorm dropped (GLM-4.5's attention has none)",
             [("dots1.yaml", "  qk_norm: per_head\n", "")],
             of("dots1")),
    Mutation("dots1_qkv_bias_only", "attention_bias on q, k and v but not on the output projection (as GLM-4.5)",
             [("dots1.yaml", "  bias: {qkv: attention_bias, o: attention_bias}", "  bias: {qkv: attention_bias, o: false}")],
             of("dots1") & where(lambda c: c.get("attention_bias"))),
    Mutation("dots1_ignored_sliding_layers", "sliding_window read but every layer attends over the full context "
             "(as mlx-lm runs dots.llm1)",
             [("dots1.yaml", "  sliding:\n    layer_types: layer_types\n    window: sliding_window\n", "")],
             of("dots1") & where(lambda c: c.get("sliding_window") is not None
                                 and c.get("max_window_layers", 62) < c["num_hidden_layers"])),
    Mutation("ignored_max_window_layers", "with a window, every layer slides, not only those from max_window_layers on",
             [("runtime/Configuration.swift", "window != nil && $0 >= maxWindowLayers ?", "window != nil && $0 >= 0 ?")],
             # Only a config without layer_types derives them.
             of("dots1") & where(lambda c: c.get("sliding_window") is not None and "layer_types" not in c
                                 and c.get("max_window_layers", 62) > 0)),
    Mutation("granitemoe_softmax_over_all_experts",
             "a softmax over every expert's logit before the top k, where Granite MoE softmaxes the k largest only",
             [("granitemoe.yaml", "router: {order: top_k_then_softmax}", "router: {order: softmax_then_top_k}")],
             # A dense Granite-4.0-H routes nothing.
             of("granitemoe", "granitemoehybrid") & where(lambda c: c.get("num_local_experts", 8) > 0)),
    Mutation("fused_experts_split_interleaved", "fused gate and up projections split as interleaved rows, not halves",
             [("runtime/Experts.swift", "let (gate, up) = split(value, axis: 1)",
               "let (gate, up) = (value[.ellipsis, .stride(by: 2), 0...], "
               "value[.ellipsis, .stride(from: 1, by: 2), 0...])")],
             # Only checkpoints in the Hugging Face layout hold the fused tensors.
             {"mlx-lm/granitemoe_hf", "transformers/granitemoe", "transformers/granitemoe_v4"}
             | of("granitemoehybrid") & where(lambda c: c.get("num_local_experts", 8) > 0) - {"mlx-lm/granitemoehybrid"}),
    Mutation("granite_dropped_residual_multiplier",
             "residual_multiplier read but block outputs join the residual unscaled",
             [("granite.yaml", "residual:\n  multiplier: residual_multiplier\n", "")],
             # Granite MoE takes Granite's multipliers.
             of("granite", "granitemoe", "granitemoehybrid") & where(lambda c: c.get("residual_multiplier", 1) != 1)),
    Mutation("granite_head_dim_scale", "the softmax scaled by 1/sqrt(head_dim) instead of attention_multiplier",
             [("granite.yaml", "  scale: field\n  scale_field: attention_multiplier\n", "")],
             of("granite", "granitemoe", "granitemoehybrid") & where(
                 lambda c: c.get("attention_multiplier", 1) != (c.get("head_dim") or
                                                                c.get("hidden_size", 1) //
                                                                c.get("num_attention_heads", 1)) ** -0.5)),
    Mutation("sparse_mixer_second_choice_unmasked",
             "the sparse mixer's second expert chosen without masking the first",
             [("runtime/Experts.swift", "remaining = putAlong(remaining, index, values: excluded, axis: -1)",
               "_ = putAlong(remaining, index, values: excluded, axis: -1)")],
             of("phimoe")),
    Mutation("sparse_mixer_first_in_second_softmax", "the first expert left in the softmax that weights the second",
             [("runtime/Experts.swift", "let band = MLX.where(outside, excluded, remaining)",
               "let band = MLX.where(outside, excluded, logits)")],
             of("phimoe")),
    Mutation("sparse_mixer_band_ignored", "each sparse-mixer weight a softmax over every expert not yet chosen",
             [("runtime/Experts.swift", "let band = MLX.where(outside, excluded, remaining)",
               "let band = remaining")],
             of("phimoe")),
    Mutation("phimoe_longrope_factors_by_length",
             "Phi-MoE's longrope taking the long factors past the original context",
             [("phimoe.yaml", "longrope: {factors: short, scale: mscales}", "longrope: {scale: mscales}")],
             # mlx-lm's fixtures have equal short and long factors (mlx-lm takes the long ones always).
             {"transformers/phimoe", "transformers/phimoe_v4"}),
    Mutation("phimoe_longrope_attention_factor", "longrope's derived attention factor where Phi-MoE states mscales",
             [("phimoe.yaml", "longrope: {factors: short, scale: mscales}", "longrope: {factors: short}")],
             of("phimoe") & where(lambda c: bool(c.get("rope_scaling") or (c.get("rope_parameters") or {}).get(
                 "rope_type", "default") != "default"))),
    Mutation("phimoe_dropped_head_bias", "lm_head_bias read but the head built without its bias",
             [("phimoe.yaml", "  bias: lm_head_bias\n", "")],
             of("phimoe") & where(lambda c: c.get("lm_head_bias"))),
    Mutation("sparse_step_off_by_one", "experts on layers 0, step, 2*step, ... instead of step-1, 2*step-1, ...",
             [("runtime/Configuration.swift", "(layer + 1) % step == 0", "layer % step == 0")],
             where(lambda c: c.get("decoder_sparse_step", 1) > 1)),
    Mutation("ignored_mlp_only_layers", "mlp_only_layers read but those layers given experts too",
             [("runtime/Configuration.swift", "!denseLayers.contains(layer) && ", "")],
             where(lambda c: bool(c.get("mlp_only_layers")))),
    Mutation("dropped_moe_norm_min", "the top-k scores divided by their sum, without moe_norm_min's floor",
             [("ernie4_5_moe.yaml", "    normalize_floor: moe_norm_min\n", "")],
             # mlx-lm's floor is always 1e-12, the default; a floor above the scores' sum shows.
             of("ernie4_5_moe") & where(lambda c: c.get("moe_norm_min", 1e-12) > 1e-6)),
    Mutation("ernie4_5_moe_softmax_as_sigmoid", "experts scored by their own sigmoids where the router takes a softmax",
             [("ernie4_5_moe.yaml", "    normalize: true\n", "    normalize: true\n    scores: sigmoid\n")],
             of("ernie4_5_moe")),
    Mutation("sparse_range_start_off_by_one", "experts from the layer after moe_layer_start_index",
             [("runtime/Configuration.swift", "layer >= start && layer <= last", "layer > start && layer <= last")],
             # Only where the start layer itself falls on the interval.
             where(lambda c: "moe_layer_start_index" in c
                   and (c["moe_layer_start_index"] + 1) % c.get("moe_layer_interval", 1) == 0)),
    Mutation("bailing_scores_swapped", "Ling's router taking sigmoids where score_function names a softmax, "
             "and a softmax where it names sigmoids",
             [("templates/_experts.swift.mustache", "        scores = {{experts.scores_field}}\n",
               "        scores = {{experts.scores_field}} == .sigmoid ? .softmax : .sigmoid\n")],
             of("bailing_moe")),
    Mutation("bailing_dropped_routed_scaling_factor", "routed_scaling_factor read but Ling's routed weights "
             "left unscaled",
             [("bailing_moe.yaml", "    scale: routed_scaling_factor\n", "")],
             of("bailing_moe") & where(lambda c: c.get("routed_scaling_factor", 1) != 1)),
    Mutation("bailing_single_expert_renormalised", "norm_topk_prob applied to a single expert, whose weight "
             "becomes 1 (mlx-lm renormalises only k > 1)",
             [("bailing_moe.yaml", "    normalize_single: false\n", "")],
             of("bailing_moe") & where(lambda c: c.get("num_experts_per_tok") == 1 and c.get("norm_topk_prob"))),
    Mutation("bailing_ignored_norm_head", "norm_head read but the head used as stored",
             [("bailing_moe.yaml", "head:\n  normalized_columns: norm_head\n", "")],
             # A quantized head is used as stored either way.
             of("bailing_moe") & where(lambda c: c.get("norm_head") and "quantization" not in c)),
    Mutation("bailing_quantized_head_divided", "norm_head applied to a quantized head's packed integers too "
             "(as mlx-lm's bailing_moe does)",
             [("runtime/Loading.swift", ", weights[\"lm_head.scales\"] == nil else", " else")],
             of("bailing_moe") & where(lambda c: c.get("norm_head") and "quantization" in c)),
    Mutation("bailing_ignored_rotary_dim", "rotary_dim ignored: the rotated width from partial_rotary_factor",
             [("bailing_moe.yaml", "    dimensions: rotary_dim\n", "")],
             of("bailing_moe") & where(lambda c: c.get("rotary_dim") is not None and "hidden_size" in c and c["rotary_dim"]
                                       != int(c["hidden_size"] // c["num_attention_heads"]
                                              * c.get("partial_rotary_factor", 1)))),
    Mutation("bailing_ignored_use_qk_norm", "use_qk_norm ignored: q/k norms on every Ling checkpoint",
             [("bailing_moe.yaml", "  qk_norm_enabled: use_qk_norm\n", "")],
             of("bailing_moe") & where(lambda c: not c.get("use_qk_norm"))),
    Mutation("bailing_shared_width_of_routed_expert", "shared experts as wide as routed ones, ignoring "
             "moe_shared_expert_intermediate_size",
             [("runtime/Configuration.swift", "let each = sharedWidth.flatMap { $0 == 0 ? nil : $0 } ?? expertWidth",
               "let each = expertWidth")],
             of("bailing_moe") & where(lambda c: c.get("model_type") == "bailing_moe"
                                       and c.get("moe_shared_expert_intermediate_size") not in
                                       (None, 0, c["moe_intermediate_size"]) and c["num_shared_experts"] > 0
                                       and c.get("moe_router_enable_shared_expert", True))),
    Mutation("bailing_shared_experts_always", "shared experts built where num_shared_experts is 0 or "
             "moe_router_enable_shared_expert is false",
             [("runtime/Configuration.swift", "        sharedExperts > 0 && enabled\n", "        true\n")],
             of("bailing_moe") & where(lambda c: c.get("num_shared_experts") == 0
                                       or not c.get("moe_router_enable_shared_expert", True))),
    Mutation("longrope_long_factors_only", "longrope's long factors within the original context too",
             [("runtime/RoPE.swift", "rotate(x, long: offset + x.dim(-2) > originalMaxPositionEmbeddings,",
               "rotate(x, long: true,")],
             # Phi-MoE keeps the short factors but takes long_mscale past the original context.
             {"transformers/phi3_longrope", "transformers/phimoe"}),
    Mutation("gemma4_softmax_over_all_experts", "a softmax over every expert, then the top k left unrenormalised",
             [("gemma4.yaml", "router: {normalize: true,", "router: {normalize: false,")],
             GEMMA4_MOE),
    Mutation("gemma4_router_reads_normed_stream", "the router fed the MLP's normalised input, not the residual stream",
             [("templates/_decoder_layer.swift.mustache", "let route = router.route(h, k:",
               "let route = router.route(\n                preFeedforwardLayerNorm(h), k:")],
             GEMMA4_MOE),
    Mutation("gemma4_plain_router", "the router a bare projection, without its norm and learned input scale",
             [("runtime/Experts.swift", "proj(MLXFast.rmsNorm(x, weight: scale * rootSize, eps: eps))", "proj(x)")],
             GEMMA4_MOE),
    Mutation("gemma4_no_per_expert_scale", "per_expert_scale loaded but the chosen experts' weights left unscaled",
             [("runtime/Experts.swift", "return (weights * perExpertScale[indices], indices)",
               "return (weights, indices)")],
             GEMMA4_MOE),
    Mutation("gemma4_silu_experts", "SwiGLU experts where Gemma 4's are GELU-gated",
             [("gemma4.yaml", "  intermediate: moe_intermediate_size\n  activation: gelu_approx",
               "  intermediate: moe_intermediate_size\n  activation: silu")],
             GEMMA4_MOE),
    Mutation("gemma4_interleaved_gate_up", "transformers' fused expert gate_up_proj split as interleaved rows",
             [("runtime/Experts.swift", """            out["\\(prefix).\\(into).gate_proj.weight"] = value[0..., ..<half, 0...]
            out["\\(prefix).\\(into).up_proj.weight"] = value[0..., half..., 0...]""",
               """            out["\\(prefix).\\(into).gate_proj.weight"] = value[0..., .stride(by: 2), 0...]
            out["\\(prefix).\\(into).up_proj.weight"] = value[0..., .stride(from: 1, by: 2), 0...]""")],
             # Mistral 4's Hugging Face experts arrive in the same layout.
             {"mlx-lm/gemma4_moe_hf", "transformers/gemma4_moe", "transformers/gemma4_v4", "mlx-lm/mistral4_hf",
              "transformers/mistral4", "transformers/mistral3_mistral4", "mlx-lm/qwen3_5_moe_hf"}),
    Mutation("gemma4_values_from_own_projection", "attention_k_eq_v ignored: every layer expects a v_proj",
             [("templates/_attention.swift.mustache",
               "        let valuesFromKeys =\n            {{attention.values_from_keys_flag}} &&",
               "        let valuesFromKeys =\n            false &&")],
             GEMMA4 & where(lambda c: c.get("attention_k_eq_v"))),
    Mutation("gemma4_values_from_normed_keys", "values taken from the keys after their norm, not the raw projection",
             [("templates/_attention.swift.mustache",
               "            values = {{attention.values_projection}}.reshaped(B, L, {{attention.kv_heads}}, -1)\n",
               "            values = wv == nil\n                ? keys.transposed(0, 2, 1, 3)\n"
               "                : {{attention.values_projection}}.reshaped(B, L, {{attention.kv_heads}}, -1)\n")],
             GEMMA4 & where(lambda c: c.get("attention_k_eq_v"))),
    Mutation("gemma4_global_head_dim_from_sliding", "full-attention layers given the sliding layers' head size",
             [("gemma4.yaml", "per_layer: {head_dim: layer_head_dims, kv_heads: layer_kv_heads}",
               "per_layer: {kv_heads: layer_kv_heads}")],
             GEMMA4),
    Mutation("gemma4_global_kv_heads_without_k_eq_v", "num_global_key_value_heads applied without attention_k_eq_v",
             [("runtime/Configuration.swift", "guard kind == .fullAttention, valuesFromKeys, let globalKVHeads",
               "guard kind == .fullAttention, let globalKVHeads")],
             GEMMA4 & where(lambda c: c.get("num_global_key_value_heads") and not c.get("attention_k_eq_v")
                            and "per_layer_config" not in c)),
    Mutation("gemma4_per_layer_config_ignored", "per_layer_config ignored, as mlx-lm ignores it",
             [("runtime/Configuration.swift", "if let overrides { return overrides[layer].headDim ?? headDim }", "")],
             GEMMA4 & where(lambda c: "per_layer_config" in c)),
    Mutation("gemma4_plain_rope", "proportional RoPE rotated as plain RoPE over the whole head",
             [("runtime/RoPE.swift", """        return ProportionalRotaryEmbedding(
            dimensions: dimensions, traditional: traditional, base: base,
            fraction: scaling.partialRotaryFactor ?? 1, factor: scaling.factor ?? 1)""",
               "        return RoPE(dimensions: dimensions, traditional: traditional, base: base)")],
             GEMMA4),
    Mutation("gemma4_partial_rope", "proportional RoPE as a partial rotation of the head's first fraction",
             [("runtime/RoPE.swift", """        return ProportionalRotaryEmbedding(
            dimensions: dimensions, traditional: traditional, base: base,
            fraction: scaling.partialRotaryFactor ?? 1, factor: scaling.factor ?? 1)""",
               """        return RoPE(
            dimensions: rotaryDimensions(headDim: dimensions, fraction: Float(scaling.partialRotaryFactor ?? 1)),
            traditional: traditional, base: base, scale: Float(1 / (scaling.factor ?? 1)))""")],
             GEMMA4),
    Mutation("gemma4_proportional_factor_ignored", "proportional RoPE's factor dropped",
             [("runtime/RoPE.swift", "parts.append(Float(factor) * pow(MLXArray(base), exponents))",
               "parts.append(pow(MLXArray(base), exponents))")],
             GEMMA4 & where(lambda c: ((c.get("rope_parameters") or {}).get("full_attention") or {}).get("factor", 1) != 1)),
    Mutation("gemma4_no_layer_scalar", "each layer's output left unscaled by its layer_scalar",
             [("templates/_decoder_layer.swift.mustache", "        out = out * layerScalar\n", "")],
             GEMMA4),
    Mutation("gemma4_single_wide_shared_mlp", "use_double_wide_mlp ignored: the sharing layers' MLPs single width",
             [("gemma4.yaml", "mlp: {activation: gelu_approx, width: mlp_widths}", "mlp: {activation: gelu_approx}")],
             GEMMA4 & where(lambda c: c.get("use_double_wide_mlp") and c.get("num_kv_shared_layers"))),
    Mutation("gemma4_ungated_per_layer_input", "each layer's per-layer input added without its GELU gate",
             [("templates/_decoder_layer.swift.mustache", "let gated = geluApproximate(perLayerGate(out)) * perLayerInput",
               "let gated = perLayerGate(out) * perLayerInput")],
             GEMMA4 & where(lambda c: c.get("hidden_size_per_layer_input"))),
    Mutation("kv_source_first_of_kind", "a sharing layer attending over the first layer of its kind, not the last",
             [("runtime/AltUp.swift", "return layerTypes[..<firstShared].lastIndex(of: kind)",
               "return layerTypes[..<firstShared].firstIndex(of: kind)")],
             where(lambda c: c.get("num_kv_shared_layers"))),
    Mutation("gemma4_last_layer_as_stated", "a stated sliding last layer kept sliding, where transformers makes it full",
             [("runtime/Configuration.swift", "return layerTypes.dropLast() + [.fullAttention]", "return layerTypes")],
             GEMMA4 & where(lambda c: (c.get("layer_types") or [""])[-1] == "sliding_attention")),
    Mutation("gemma4_wrapper_tie_from_text_config", "a Gemma 4 wrapper's tie read from text_config, as mlx-lm reads it",
             [("gemma4.yaml", "    text_config_from_top_level: {tie_word_embeddings: true}\n", "")],
             {"transformers/gemma4_wrapper"}),
    Mutation("exaone_gate_up_swapped", "EXAONE's c_fc_0 and c_fc_1 taken as the up and gate projections",
             [("exaone.yaml", '    ".mlp.c_fc_0.": ".mlp.gate_proj."\n    ".mlp.c_fc_1.": ".mlp.up_proj."\n',
               '    ".mlp.c_fc_0.": ".mlp.up_proj."\n    ".mlp.c_fc_1.": ".mlp.gate_proj."\n')],
             of("exaone")),
    Mutation("exaone4_full_layers_rotated", "EXAONE 4's full-attention layers rotated beside a window (NoPE dropped)",
             [("runtime/Configuration.swift", "layerTypes.map { window == nil || $0 == .slidingAttention ? 1 : 0 }",
               "layerTypes.map { _ in 1 }")],
             of("exaone4") & where(lambda c: c.get("sliding_window") is not None)),
    Mutation("full_layers_rotated_beside_sliding", "full-attention layers rotated like the sliding ones (NoPE dropped)",
             [("runtime/Configuration.swift", "layerTypes.map { $0 == .slidingAttention ? 1 : 0 }",
               "layerTypes.map { _ in 1 }")],
             of("cohere2")),
    Mutation("legacy_gelu_read_as_exact", "a config's legacy hidden_act gelu computed as exact GELU, not the tanh approximation",
             [("runtime/Configuration.swift", 'named.name == "gelu" ? Activation("gelu_pytorch_tanh") : named', "named")],
             {"transformers/gemma_v4"}),
    Mutation("gelu_python_unknown", "hidden_act gelu_python (transformers' exact GELU) computed as another activation",
             [("runtime/Layers.swift", 'case "gelu", "gelu_python": gelu(x)', 'case "gelu": gelu(x)')],
             {"mlx-lm/gemma", "mlx-lm/gemma_mqa"}),
    Mutation("gemma_plain_rmsnorm", "Gemma's RMSNorm scaling by w instead of (1 + w)",
             [("gemma.yaml", "norm: {kind: rms_one_plus}", "norm: {kind: rms}")],
             of("gemma")),
    Mutation("gemma_unscaled_embedding", "Gemma's embedding not multiplied by sqrt(hidden_size)",
             [("gemma.yaml", "embedding: {scale: sqrt_hidden}", "embedding: {scale: none}")],
             of("gemma")),
    Mutation("xielu_negative_slope_without_beta", "xIELU's negative branch scaled by softplus(alpha_n) alone, beta not added",
             [("runtime/Layers.swift", "let negative = beta + softplus(alphaN)", "let negative = softplus(alphaN)")],
             of("apertus")),
    Mutation("xielu_alpha_not_softplused", "xIELU's stored alpha_p used as the quadratic coefficient itself",
             [("runtime/Layers.swift", "let positive = softplus(alphaP)", "let positive = alphaP")],
             of("apertus")),
    Mutation("learned_activation_scalars_unshaped", "mlx-lm's scalar alpha_p and alpha_n loaded as they are (refused)",
             [("templates/_model.swift.mustache", "        weights = shapingLearnedActivations(weights)\n", "")],
             {"mlx-lm/apertus"}),
    Mutation("apertus_no_qk_norm", "Apertus's queries and keys left unnormalised",
             [("apertus.yaml", "  qk_norm: per_head\n", "")],
             of("apertus")),
    Mutation("cohere2_ignored_layer_types", "layer_types derived from sliding_window_pattern instead of read",
             [("cohere2.yaml", "    default: {derive: global_every_nth}\n    doc: Per-layer",
               "    default: {derive: global_every_nth}\n    read: false\n    doc: Per-layer")],
             # Only the transformers fixture states a schedule the pattern does not give.
             {"transformers/cohere2"}),
    Mutation("olmo3_sliding_base_from_rope_theta", "OLMo 3's sliding layers rotated at rope_theta, not their own base",
             [("olmo3.yaml", "    local_base: sliding_rope_theta\n", "    local_base: rope_theta\n")],
             # mlx-lm's fixtures hold both bases at 500000, where the two oracles agree.
             {"transformers/olmo3", "transformers/olmo3_v4"}),
    Mutation("glm4_norm_keys_swapped", "GLM-4's norm after attention and norm before the MLP loaded into each other's place",
             [("glm4.yaml", "    post_attention: post_self_attn_layernorm\n    pre_feedforward: post_attention_layernorm\n",
               "    post_attention: post_attention_layernorm\n    pre_feedforward: post_self_attn_layernorm\n")],
             of("glm4")),
    Mutation("glm4_halves_rotated", "GLM-4 rotating the two halves of its rotated part instead of interleaved pairs",
             [("glm4.yaml", "    interleaved: rope_traditional\n", "    interleaved: false\n")],
             of("glm4", "glm")),
    Mutation("grouped_qkv_split_in_thirds", "a key/value-grouped wqkv split as [q | k | v]",
             [("internlm2.yaml", "  projection: fused_qkv_grouped\n", "  projection: fused_qkv\n")],
             of("internlm2")),
    Mutation("gated_delta_qkvz_flat", "in_proj_qkvz split as [all q | all k | all v | all z], not per key head",
             [("templates/_gated_delta.swift.mustache",
               "            inProjQKVZ(x).reshaped(B, L, keyHeads, -1),\n"
               "            indices: [keyHeadDim, 2 * keyHeadDim, 2 * keyHeadDim + group * valueHeadDim], axis: -1)",
               "            inProjQKVZ(x).reshaped(B, L, 1, -1),\n"
               "            indices: [keyHeads * keyHeadDim, 2 * keyHeads * keyHeadDim,\n"
               "                      2 * keyHeads * keyHeadDim + valueHeads * valueHeadDim], axis: -1)")],
             of("qwen3_next")),
    Mutation("gated_delta_ba_swapped", "in_proj_ba's halves read as [a | b]",
             [("templates/_gated_delta.swift.mustache",
               "let (a, b) = (ba[1].reshaped(B, L, valueHeads), ba[0].reshaped(B, L, valueHeads))",
               "let (a, b) = (ba[0].reshaped(B, L, valueHeads), ba[1].reshaped(B, L, valueHeads))")],
             of("qwen3_next")),
    Mutation("gated_delta_qk_unnormalised", "q and k not L2-normalised before the recurrence",
             [("runtime/GatedDelta.swift", "    var q = l2Normalized(queries.asType(.float32))",
               "    var q = queries.asType(.float32)"),
              ("runtime/GatedDelta.swift", "    var k = l2Normalized(keys.asType(.float32))", "    var k = keys.asType(.float32)")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("gated_delta_state_half_precision", "the gated delta rule's state kept in the checkpoint's dtype",
             [("runtime/GatedDelta.swift",
               "        state = state + delta.expandedDimensions(axis: -1) * kt.expandedDimensions(axis: -2)\n",
               "        state = (state + delta.expandedDimensions(axis: -1) * kt.expandedDimensions(axis: -2))"
               ".asType(values.dtype)\n")],
             {f["id"] for f in fixtures() if f["family"] == "qwen3_next" and f.get("dtype", "float32") != "float32"}),
    Mutation("gated_delta_state_not_carried", "the recurrent state not kept: each call starts from zeros",
             [("runtime/GatedDelta.swift", "    cache?[1] = state\n", "")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("gated_delta_decay_without_softplus", "the decay's step a + dt_bias taken without its softplus",
             [("runtime/GatedDelta.swift", "softplus(a.asType(.float32) + dtBias.asType(.float32))",
               "(a.asType(.float32) + dtBias.asType(.float32))")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("gated_norm_sigmoid", "the gated norm's gate through a sigmoid instead of SiLU",
             [("runtime/GatedDelta.swift", "* silu(gate.asType(.float32))", "* sigmoid(gate.asType(.float32))")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("attention_output_gate_silu", "the attention's output gate through SiLU instead of a sigmoid",
             [("templates/_attention.swift.mustache", "{{#attention.output_gate}} * sigmoid(gate){{/attention.output_gate}}",
               "{{#attention.output_gate}} * silu(gate){{/attention.output_gate}}")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("attention_output_gate_split_flat", "q_proj read as [all queries | all gates], not per head",
             [("templates/_attention.swift.mustache",
               "            queries.reshaped(B, L, args.attentionHeads, -1), parts: 2, axis: -1)",
               "            queries.reshaped(B, L, 1, -1), parts: 2, axis: -1)")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("full_attention_interval_off_by_one", "every full_attention_interval-th layer counted from 0",
             [("runtime/Configuration.swift", "(0 ..< max(layers, 0)).map { ($0 + 1) % interval == 0 ? \"attention\"",
               "(0 ..< max(layers, 0)).map { $0 % interval == 0 ? \"attention\"")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe") & where(lambda c: "layer_types" not in c)),
    Mutation("linear_layer_types_ignored", "layer_types not read: every full_attention_interval-th layer attends",
             [("runtime/Configuration.swift", "        if let types { return kinds(types, linearAttentionNames) }",
               "        if let types, false { return kinds(types, linearAttentionNames) }")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe") & where(lambda c: "layer_types" in c)),
    Mutation("qwen3_next_norms_not_offset", "Qwen3-Next's norms scaled by their weight, not by 1 + weight",
             # Without the one there is none for a converted checkpoint's norms to lose: it is read right.
             [("qwen3_next.yaml", "norm: {kind: rms_one_plus}\n", ""),
              ("qwen3_next.yaml", "  converted_norm_offset:\n    marker: .mlp.switch_mlp.\n    norms: [.input_layernorm.weight, "
               ".post_attention_layernorm.weight, model.norm.weight, .q_norm.weight,\n            .k_norm.weight]\n", ""),
              ("qwen3_5.yaml", "  converted_norm_offset:\n    marker: language_model.model.\n    norms: [.input_layernorm.weight, "
               ".post_attention_layernorm.weight, model.norm.weight, .q_norm.weight,\n            .k_norm.weight]\n", "")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe") - {"mlx-lm/qwen3_next_converted", "mlx-lm/qwen3_5",
                                                         "mlx-lm/qwen3_5_moe"}),
    Mutation("qwen3_next_ungated_shared_expert", "Qwen3-Next's shared expert added without its sigmoid gate",
             [("qwen3_next.yaml", "shared: {intermediate: shared_expert_intermediate_size, gated: true}",
               "shared: {intermediate: shared_expert_intermediate_size}")],
             of("qwen3_next")),
    Mutation("qwen3_next_converted_norms_shifted", "a checkpoint mlx-lm converted read with its norms' one added twice",
             [("qwen3_next.yaml", "  converted_norm_offset:\n    marker: .mlp.switch_mlp.\n    norms: [.input_layernorm.weight, "
               ".post_attention_layernorm.weight, model.norm.weight, .q_norm.weight,\n            .k_norm.weight]\n", "")],
             {"mlx-lm/qwen3_next_converted"}),
    Mutation("qwen3_next_full_rotary", "partial_rotary_factor read but every dimension of the heads rotated",
             [("qwen3_next.yaml", "    fraction: partial_rotary_factor\n", "")],
             of("qwen3_next", "qwen3_5", "qwen3_5_moe")),
    Mutation("gated_delta_separate_ab_swapped", "separately held in_proj_a and in_proj_b read into each other's place",
             [("templates/_gated_delta.swift.mustache", "let (a, b) = (inProjA(x), inProjB(x))",
               "let (a, b) = (inProjB(x), inProjA(x))")],
             of("qwen3_5", "qwen3_5_moe")),
    Mutation("qwen3_5_per_key_head_projections", "Qwen3.5's separate projections taken for Qwen3-Next's per-key-head pair",
             [("qwen3_5.yaml", "gated_delta:\n  projections: separate\n", "")],
             of("qwen3_5", "qwen3_5_moe")),
    Mutation("qwen3_5_converted_norms_shifted", "a Qwen3.5 checkpoint mlx-lm converted read with its norms' one added twice",
             # The marker removed, Qwen3-Next's (stacked experts) is inherited: no dense checkpoint holds it,
             # a converted Qwen3.5-MoE one does.
             [("qwen3_5.yaml", "  converted_norm_offset:\n    marker: language_model.model.\n", "  converted_norm_offset:\n")],
             {"mlx-lm/qwen3_5"}),
    Mutation("converted_marker_after_prefixes", "the converted checkpoint's marker sought after a wrapper's prefixes are rewritten",
             [("templates/_model.swift.mustache", "            ], checkpoint: checkpoint)\n", "            ])\n")],
             {"mlx-lm/qwen3_5", "mlx-lm/qwen3_5_moe"}),
    Mutation("qwen3_5_moe_unrenormalised", "Qwen3.5-MoE's top-k scores left as the softmax gave them",
             [("qwen3_5_moe.yaml", "  router: {normalize: true}\n", "  router: {normalize: false}\n")],
             of("qwen3_5_moe")),
    Mutation("qwen3_5_moe_ungated_shared_expert", "Qwen3.5-MoE's shared expert added without its sigmoid gate",
             [("qwen3_5_moe.yaml", "shared: {intermediate: shared_expert_intermediate_size, gated: true}",
               "shared: {intermediate: shared_expert_intermediate_size}")],
             of("qwen3_5_moe")),
    Mutation("qwen3_5_moe_unstacked_experts", "per-expert checkpoint tensors left unstacked",
             [("qwen3_5_moe.yaml", "  stack_experts:\n    from: experts\n"
               "    names: {gate_proj: gate_proj, up_proj: up_proj, down_proj: down_proj}\n", "")],
             # save_pretrained writes one tensor per expert; mlx-lm's fixtures hold them stacked or fused.
             {"transformers/qwen3_5_moe", "transformers/qwen3_5_moe_text"}),
    Mutation("internlm2_w2_as_up", "InternLM2's w2 taken for the up projection and w3 for the down one",
             [("internlm2.yaml", "gate: w1, up: w3, down: w2", "gate: w1, up: w2, down: w3")],
             of("internlm2")),
    Mutation("minicpm_undivided_logits", "MiniCPM's logits left undivided by hidden_size / dim_model_base",
             [("minicpm.yaml", "head:\n  logit_divisor: logit_divisor\n", "")],
             of("minicpm", "minicpm3")),
    Mutation("minicpm_residual_not_depth_scaled", "each block's output times scale_depth, not over sqrt(layers)",
             [("minicpm.yaml", "  multiplier: residual_scale\n", "  multiplier: scale_depth\n")],
             of("minicpm", "minicpm3")),
    Mutation("minicpm_untied_by_default", "MiniCPM untied when the config leaves tie_word_embeddings out",
             [("minicpm.yaml", "    type: bool\n    default: true\n", "    type: bool\n    default: false\n")],
             {"mlx-lm/minicpm"}),
    Mutation("qwen_w1_gated", "Qwen's w1 taken for the gate and w2 for the up projection",
             [("qwen.yaml", "gate: w2, up: w1", "gate: w1, up: w2")],
             of("qwen")),
    Mutation("qwen_full_intermediate", "Qwen's MLP intermediate_size wide instead of half of it",
             [("qwen.yaml", "  intermediate: mlp_width\n", "")],
             of("qwen")),
    Mutation("pixtral_heads_not_defaulted", "a Pixtral text_config without num_attention_heads not given mlx-lm's 32",
             [("llama.yaml", "    text_config_defaults: {num_attention_heads: 32}\n", "")],
             {"mlx-lm/pixtral"}),
    Mutation("telechat3_head_dim_derived", "TeleChat3's heads hidden / heads wide whatever head_dim says",
             [("telechat3.yaml", "config:\n",
               "config:\n  head_dim: {type: int, default: {derive: hidden_over_heads}, read: false}\n")],
             {"mlx-lm/telechat3"}),
]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, text=True, capture_output=True, **kwargs)


RUNTIME = SWIFT / "Sources" / "HF2SwiftRuntime"


def check_unique(file: str, content: str, text: str, edits: list[tuple[str, str, str]]) -> None:
    """A mutation's text names one place: it occurs as often as the mutation edits it (an edit listed
    twice changes two places), so a change elsewhere cannot silently move the mutation."""
    listed = sum(1 for f, t, _ in edits if f == file and t == text)
    if content.count(text) != listed:
        raise SystemExit(f"{file} contains {text!r} {content.count(text)} times, edited {listed}; "
                         "make the mutation's text unique")


def sync_runtime(edits: list[tuple[str, str, str]]) -> bool:
    """The runtime the scratch package builds: a copy of the real one with `edits` (runtime/FILE)
    applied, each file rewritten only when its text changes, so an unmutated runtime is not rebuilt.
    True when the copy differs from the real runtime."""
    copy = SCRATCH / "runtime"
    copy.mkdir(parents=True, exist_ok=True)
    mutated = False
    wanted = {p.name: p.read_text() for p in RUNTIME.glob("*.swift")}
    original = dict(wanted)
    for file, text, replacement in edits:
        name = file.removeprefix("runtime/")
        if name not in wanted or text not in wanted[name]:
            raise SystemExit(f"runtime edit: {name} no longer contains {text!r}; update the mutation")
        check_unique(file, original[name], text, edits)
        wanted[name] = wanted[name].replace(text, replacement, 1)
        mutated = True
    for stale in set(p.name for p in copy.glob("*.swift")) - set(wanted):
        (copy / stale).unlink()
    for name, text in wanted.items():
        target = copy / name
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
    return mutated


def prepare_package(generated: Path | None = None) -> Path:
    """A copy of the Swift package whose HF2SwiftModels is `generated` (the mutant under test) and
    whose runtime is the scratch copy (`sync_runtime`); the other sources are the real ones
    (symlinks), so only the models rebuild between mutations. The package always lives at the same
    path, so its build directory stays valid between runs."""
    package = SCRATCH / "package"
    generated = generated or SCRATCH / "generated"
    if package.exists():
        shutil.rmtree(package)
    (package / "Sources").mkdir(parents=True)
    (package / "Tests").mkdir()
    sync_runtime([])
    for source in (SWIFT / "Sources").iterdir():
        if source.name not in ("HF2SwiftModels", "HF2SwiftRuntime"):
            (package / "Sources" / source.name).symlink_to(source.resolve())
    (package / "Sources" / "HF2SwiftRuntime").symlink_to(SCRATCH / "runtime")
    (package / "Sources" / "HF2SwiftModels").symlink_to(generated)
    (package / "Tests" / "ParityTests").symlink_to((SWIFT / "Tests" / "ParityTests").resolve())
    manifest = (SWIFT / "Package.swift").read_text()
    # Only the parity tests are built; their sources are the real ones.
    lines = manifest.splitlines(keepends=True)
    kept, skip = [], 0
    for i, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        if ".testTarget(" in line and 'name: "ParityTests"' not in "".join(lines[i:i + 3]):
            # Drop this test target: its declaration ends at the line closing with "),".
            j = i
            while not lines[j].rstrip().endswith("),"):
                j += 1
            skip = j - i
            continue
        kept.append(line)
    (package / "Package.swift").write_text("".join(kept))
    return package


def generate_into(hf2swift: str, mutations: list[Mutation], out: Path) -> None:
    """Writes the Swift that the family documents and templates, with the non-runtime edits of
    `mutations` applied, generate into `out` (replaced)."""
    families = SCRATCH / "families"
    templates = SCRATCH / "templates"
    for copy, source in ((families, ROOT / "families"), (templates, ROOT / "templates")):
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(source, copy)
    for mutation in mutations:
        originals: dict[str, str] = {}
        for file, text, replacement in (e for e in mutation.edits if not e[0].startswith("runtime/")):
            path = SCRATCH / file if file.startswith("templates/") else families / file
            content = path.read_text()
            if text not in content:
                raise SystemExit(f"mutation {mutation.name}: {file} no longer contains {text!r}; update the mutation")
            check_unique(file, originals.setdefault(file, content), text, mutation.edits)
            path.write_text(content.replace(text, replacement, 1))
    if out.exists():
        shutil.rmtree(out)
    result = run([hf2swift, "generate", "--families", str(families), "--templates", str(templates),
                  "--out", str(out)])
    if result.returncode != 0:
        names = ", ".join(m.name for m in mutations) or "the baseline"
        raise SystemExit(f"hf2swift generate failed for {names}:\n" + result.stderr)


def generate(hf2swift: str, mutations: list[Mutation]) -> bool:
    """Regenerates the Swift for `mutations` (none: the baseline) into SCRATCH/generated and syncs
    the runtime copy; True when a mutation edits the runtime. Only files whose text changes are
    rewritten, so the Swift build recompiles just the mutated models."""
    runtime_mutated = sync_runtime([e for m in mutations for e in m.edits if e[0].startswith("runtime/")])
    fresh = SCRATCH / "fresh"
    generate_into(hf2swift, mutations, fresh)
    generated = SCRATCH / "generated"
    generated.mkdir(parents=True, exist_ok=True)
    for stale in {p.name for p in generated.iterdir()} - {p.name for p in fresh.iterdir()}:
        (generated / stale).unlink()
    for source in fresh.iterdir():
        target = generated / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    return runtime_mutated


def changed_files(baseline: Path, mutant: Path) -> set[str]:
    """The generated files whose text differs between the baseline and the mutant."""
    return {p.name for p in mutant.iterdir() if p.suffix == ".swift" and
            (not (baseline / p.name).exists() or (baseline / p.name).read_bytes() != p.read_bytes())}


def batches(hf2swift: str, mutations: list[Mutation], baseline: Path) -> list[list[Mutation]]:
    """Mutations grouped to share one build: those that change disjoint sets of models' files (and
    edit different files) run together, and a fixture's failure is attributed to the one mutation
    that changed its model's code. Runtime edits, and edits reaching shared code (the registry),
    may reach any model: each runs alone."""
    groups: list[tuple[list[Mutation], set[str], set[str]]] = []
    plan = SCRATCH / "plan"
    for mutation in mutations:
        edited = {file for file, _, _ in mutation.edits}
        if any(file.startswith("runtime/") for file in edited):
            groups.append(([mutation], set(), edited))
            continue
        generate_into(hf2swift, [mutation], plan)
        changed = changed_files(baseline, plan)
        if any(not name.endswith("Generated.swift") for name in changed):
            groups.append(([mutation], set(), edited))
            continue
        for members, files, edits in groups:
            if any(e.startswith("runtime/") for e in edits) or not files and members:
                continue
            if not files & changed and not edits & edited:
                members.append(mutation)
                files |= changed
                edits |= edited
                break
        else:
            groups.append(([mutation], set(changed), set(edited)))
    return [members for members, _, _ in groups]


def fixtures_by_family() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for fixture in fixtures():
        out.setdefault(fixture["family"], []).append(fixture["id"])
    return out


def swift_files_by_family() -> dict[str, str]:
    """Each concrete family's generated file name, from its document's `swift_name`."""
    out = {}
    for path in (ROOT / "families").glob("*.yaml"):
        names = dict(line.split(":", 1) for line in path.read_text().splitlines()
                     if line.startswith(("family:", "swift_name:")))
        if "swift_name" in names:
            out[names["family"].strip()] = names["swift_name"].strip() + "Generated.swift"
    return out


def affected_fixtures(changed: set[str]) -> set[str] | None:
    """The fixtures whose generated code is among `changed`; None when shared code (the registry)
    changed, so every fixture must run. A fixture whose generated file is byte-identical runs the
    same code as in the baseline, where it passed."""
    if any(not name.endswith("Generated.swift") for name in changed):
        return None
    files = swift_files_by_family()
    return {fixture for family, fixtures in fixtures_by_family().items() for fixture in fixtures
            if files.get(family) in changed}


# Parity runs at once: each runs a share of the fixtures in its own test process. The runs are single-
# threaded, and under `make test` the other chain ends long before this one.
JOBS = max(1, int(os.environ.get("HF2SWIFT_MUTATION_JOBS") or os.cpu_count() or 1))


def failing_fixtures(package: Path, only: set[str] | None = None) -> set[str]:
    """The fixtures (of `only`, or all) that fail against the package as it now builds: one build, then
    the parity test in JOBS processes, each given every JOBS-th fixture and writing its own report."""
    wanted = sorted(f["id"] for f in fixtures()) if only is None else sorted(only)
    if not wanted:
        return set()
    build = run(["swift", "build", "--build-tests", "--scratch-path", str(SCRATCH / "build")], cwd=package)
    tests = sorted((SCRATCH / "build" / "debug").glob("*PackageTests.xctest"))
    if build.returncode != 0 or not tests:
        raise SystemExit("the parity tests did not build:\n" + build.stdout[-4000:] + build.stderr[-4000:])
    shards = [wanted[i::JOBS] for i in range(min(JOBS, len(wanted)))]
    running = []
    for i, shard in enumerate(shards):
        report = SCRATCH / f"report-{i}.json"
        report.unlink(missing_ok=True)
        env = dict(os.environ, HF2SWIFT_PARITY_REPORT=str(report), HF2SWIFT_PARITY_ONLY=",".join(shard))
        process = subprocess.Popen(
            [str(tests[0]), "ParityTests.ParityTests/testEveryFixtureMatchesItsOracleOnPrefillAndDecode"],
            cwd=package, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        running.append((process, report))
    failed: set[str] = set()
    for process, report in running:
        output, _ = process.communicate()
        if not report.exists():
            raise SystemExit("the parity tests did not run:\n" + output[-4000:])
        failed |= {name for name, outcome in json.loads(report.read_text()).items() if outcome != "pass"}
    return failed


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    hf2swift = str(Path(sys.argv[1]).resolve())
    selected = [m for m in MUTATIONS if len(sys.argv) == 2 or m.name in sys.argv[2:]]
    unknown = set(sys.argv[2:]) - {m.name for m in MUTATIONS}
    if unknown:
        print(f"unknown mutation: {', '.join(sorted(unknown))}")
        return 2
    SCRATCH.mkdir(parents=True, exist_ok=True)
    generate(hf2swift, [])
    baseline_generated = SCRATCH / "baseline-generated"
    if baseline_generated.exists():
        shutil.rmtree(baseline_generated)
    shutil.copytree(SCRATCH / "generated", baseline_generated)
    package = prepare_package()
    baseline = failing_fixtures(package)
    if baseline:
        print(f"baseline: fixtures already fail without a mutation: {sorted(baseline)}")
        return 1
    print("baseline: every fixture passes")
    problems = 0
    groups = batches(hf2swift, selected, baseline_generated)
    print(f"{len(selected)} mutations in {len(groups)} builds")
    for group in groups:
        runtime_mutated = generate(hf2swift, group)
        # A runtime edit may reach any model: every fixture runs.
        affected = {}
        for mutation in group:
            if runtime_mutated:
                affected[mutation.name] = None
            else:
                generate_into(hf2swift, [mutation], SCRATCH / "plan")
                affected[mutation.name] = affected_fixtures(changed_files(baseline_generated, SCRATCH / "plan"))
        union = None if any(a is None for a in affected.values()) else set().union(*affected.values())
        started = time.monotonic()
        failed_in_group = failing_fixtures(package, union)
        elapsed = time.monotonic() - started
        for mutation in group:
            expected = mutation.fails(hf2swift) if callable(mutation.fails) else mutation.fails
            mine = affected[mutation.name]
            failed = failed_in_group if mine is None else failed_in_group & mine
            missed = expected - failed
            extra = failed - expected
            verdict = "caught" if not missed and not extra else "WRONG"
            print(f"{mutation.name} ({mutation.mistake}): {verdict} by {', '.join(sorted(failed)) or 'nothing'}"
                  f" [{elapsed:.0f} s, build shared by {len(group)}]")
            if missed:
                print(f"  should have failed but passed: {', '.join(sorted(missed))}")
            if extra:
                print(f"  failed though the mistake does not affect them: {', '.join(sorted(extra))}")
            problems += verdict != "caught"
        sys.stdout.flush()
    sync_runtime([])
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
