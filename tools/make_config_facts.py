#!/usr/bin/env python3
"""Records what transformers and mlx-lm derive from real checkpoint configs (tests/data/hf-configs):
head width, heads, attention scale, per-layer attention and window, caches, RoPE kind and its output
on a fixed input, biases and the tied head. The Swift tests decode the same files with the generated
configurations and must derive what transformers derives; where mlx-lm derives something else, the
record names the facts (`mlx_lm_differs`), which the README lists.

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

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import mlx.core as mx  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from mlx_lm.utils import _get_classes  # noqa: E402
from transformers import AutoConfig  # noqa: E402
from transformers.cache_utils import get_layer_types_and_kwargs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "data" / "hf-configs"
OUT = ROOT / "tests" / "fixtures" / "configs"
# The model types whose families exist so far; the others are added with their families.

def served_model_types() -> set[str]:
    """Every model_type a family document claims (its one-line `model_types: [...]`)."""
    served = set()
    for path in (ROOT / "families").glob("*.yaml"):
        for line in path.read_text().splitlines():
            if line.startswith("model_types:"):
                served.update(t.strip() for t in line.split("[", 1)[1].split("]", 1)[0].split(","))
    return served


# Keys about the weight format, not the architecture, left out on both sides: the generated code
# refuses quantized checkpoints, and the facts are about the model they describe.
STRIPPED = ["quantization_config"]
ROPE_OFFSET = 3


def rope_input(head_dim: int) -> mx.array:
    """A fixed, varied [1, 1, 4, head_dim] input."""
    values = np.sin(np.arange(4 * head_dim, dtype=np.float32) * 0.37) * 2.0
    return mx.array(values.reshape(1, 1, 4, head_dim))


# A layer-per-block model's block names (mlx-lm's pattern characters, transformers' names): the
# mixer kind of a mixing block, `none` for a feed-forward block.
BLOCK_MIXERS = {"M": "ssd", "linear_attention": "ssd", "*": "attention", "full_attention": "attention",
                "-": "none", "mlp": "none", "E": "none", "moe": "none"}


def attention_of(layer):
    """A layer's attention: its self_attn, or a layer-per-block model's mixer where that is attention."""
    if hasattr(layer, "self_attn"):
        return layer.self_attn
    kind = getattr(layer, "block_type", None)
    return layer.mixer if kind is not None and BLOCK_MIXERS.get(kind) == "attention" else None


# A recurrent model's mixers by class, in mlx-lm and transformers.
MIXER_CLASSES = {"MambaBlock": "selective_ssm", "MambaMixer": "selective_ssm", "FalconMambaMixer": "selective_ssm",
                 "JambaMambaMixer": "selective_ssm", "Mamba2Block": "ssd", "Mamba2Mixer": "ssd"}


def mixer_kind(layer) -> str:
    kind = getattr(layer, "block_type", None)
    if kind is not None:
        return BLOCK_MIXERS[kind]
    if attention_of(layer) is not None:
        return "attention"
    return MIXER_CLASSES[type(layer.mixer if hasattr(layer, "mixer") else layer.mamba).__name__]


def has_feed_forward(layer) -> bool:
    """Whether a layer holds a feed-forward (a layer-per-block model's blocks decide for themselves)."""
    return any(hasattr(layer, name) for name in ("mlp", "block_sparse_moe", "feed_forward", "block_type"))


def feed_forward_module(layer):
    """A layer's feed-forward under whichever name the model gives it."""
    for name in ("mlp", "feed_forward", "block_sparse_moe", "mixer"):
        if hasattr(layer, name):
            return getattr(layer, name)


def block_feed_forward(layer) -> tuple[str, int | None] | None:
    """A layer-per-block model's feed-forward as both references build it: none on a mixing block, an
    ungated MLP (up_proj) as `mlp`; None where the layer's own module decides (and for any other)."""
    if not hasattr(layer, "block_type"):
        return None
    if mixer_kind(layer) != "none":
        return "none", None
    if hasattr(layer.mixer, "up_proj") and not hasattr(layer.mixer, "gate_proj"):
        return "mlp", layer.mixer.up_proj.weight.shape[0]
    return None


def mlx_lm_feed_forward(layer) -> tuple[str, int | None]:
    """A layer's feed-forward kind and width in mlx-lm: experts keep stacked [E, I, H] projections
    (switch_mlp or experts), a dense MLP separate or fused gate and up projections; a layer-per-block
    model's mixing block has none."""
    if block := block_feed_forward(layer):
        return block
    mlp = feed_forward_module(layer)
    for name in ("switch_mlp", "experts"):
        if hasattr(mlp, name):
            return "experts", getattr(mlp, name).gate_proj.weight.shape[1]
    if hasattr(mlp, "gate_proj"):
        return "mlp", mlp.gate_proj.weight.shape[0]
    return "mlp", mlp.gate_up_proj.weight.shape[0] // 2


def transformers_feed_forward(layer, hidden: int) -> tuple[str, int | None]:
    """The same in transformers, whose experts fuse gate and up: [E, 2I, H], or GPT-OSS's [E, H, 2I]."""
    if block := block_feed_forward(layer):
        return block
    mlp = feed_forward_module(layer)
    if hasattr(mlp, "experts"):
        _, rows, columns = mlp.experts.gate_up_proj.shape
        return "experts", (rows if columns == hidden else columns) // 2
    if hasattr(mlp, "gate_proj"):
        return "mlp", mlp.gate_proj.out_features
    return "mlp", mlp.gate_up_proj.out_features // 2


def feed_forward_facts(layers: list[tuple[str, int]]) -> dict:
    """Each layer's kind, and the width of the first layer of each kind (None where no layer has it);
    no kinds where no layer has a feed-forward."""
    widths = {kind: width for kind, width in reversed(layers)}
    return {"feed_forward": [kind for kind, _ in layers], "intermediate": widths.get("mlp"),
            "expert_intermediate": widths.get("experts")}


def mixer_facts(layers) -> dict:
    """Each layer's mixer kind, where the layers mix by more than attention (nothing otherwise)."""
    kinds = [mixer_kind(layer) for layer in layers]
    return {"mixer": kinds} if set(kinds) != {"attention"} else {}


def mlx_lm_facts(config: dict) -> tuple[dict, dict[str, mx.array]]:
    model_class, args_class = _get_classes(config)
    args = args_class.from_dict(copy.deepcopy(config))
    # MLX is lazy: building the full-size model allocates nothing until evaluated.
    model = model_class(args)
    text = getattr(model, "language_model", model)
    text_args = getattr(text, "args", args)
    layers = model.layers
    tied = getattr(text_args, "tie_word_embeddings", None)
    # Nemotron-H's and Mamba's models sit under backbone, their tables under embeddings.
    inner = text.model if "model" in text else text.backbone
    embeddings = (inner.embed_tokens if "embed_tokens" in inner else inner.embeddings).weight
    common = {
        "model_type": config["model_type"],
        "layers": len(layers),
        "hidden": embeddings.shape[1],
        "vocab": embeddings.shape[0],
        **feed_forward_facts([mlx_lm_feed_forward(layer) for layer in layers if has_feed_forward(layer)]),
        **mixer_facts(layers),
        # None: the checkpoint's weights decide (no tie_word_embeddings setting is read).
        "tied": tied,
    }
    first = next((i for i, layer in enumerate(layers) if attention_of(layer) is not None), None)
    if first is None:
        return common, {}
    attention = attention_of(layers[first])
    # mlx-lm's attention classes name the same facts differently (gpt_oss: num_attention_heads, sm_scale).
    # Latent attention: the rotated width stands for the head width, its shared key projection
    # (kv_a_proj_with_mqa) for the key projection.
    latent = hasattr(attention, "kv_a_proj_with_mqa")
    if latent:
        heads, kv_heads, head_dim = attention.num_heads, text_args.num_key_value_heads, attention.qk_rope_head_dim
    else:
        heads = next(getattr(attention, name) for name in ("n_heads", "num_attention_heads", "num_heads")
                     if name in dir(attention))
        kv_heads = attention.n_kv_heads if "n_kv_heads" in dir(attention) else attention.num_key_value_heads
    scale = attention.scale if "scale" in dir(attention) else attention.sm_scale
    query = attention.q_proj if hasattr(attention, "q_proj") else None
    if latent:
        query = attention.kv_a_proj_with_mqa
    elif query is not None:
        head_dim = query.weight.shape[0] // heads
    else:
        head_dim = attention.head_dim
    caches = model.make_cache() if hasattr(model, "make_cache") else None
    # A model whose layers mix otherwise too keeps caches for some layers only.
    if caches is not None and len(caches) != len(layers):
        caches = None
    layer_kinds = []
    for i, layer in enumerate(layers):
        own = attention_of(layer)
        sliding = bool(getattr(layer, "use_sliding", False) or getattr(own, "is_sliding", False))
        kind = {"sliding": sliding}
        if caches is not None:
            cache = caches[i]
            # Some models (gpt_oss) keep the schedule only in their caches.
            kind["sliding"] = sliding or type(cache).__name__ == "RotatingKVCache"
            kind["cache"] = type(cache).__name__
            kind["window"] = getattr(cache, "max_size", None)
        layer_kinds.append(kind)
    # One RoPE per kind of layer: the first layer, the first layer of the other attention kind if
    # any, and the first whose RoPE differs in kind (a NoPE layer).
    # Attention without any rotation (a recurrent model's) holds no RoPE at all.
    rope_class = [type(getattr(attention_of(layer), "rope", None)).__name__ for layer in layers]
    rope_layers = [first] + [i for i, k in enumerate(layer_kinds) if k["sliding"] != layer_kinds[first]["sliding"]][:1]
    rope_layers += [i for i, c in enumerate(rope_class)
                    if c != rope_class[first] and i not in rope_layers and attention_of(layers[i]) is not None][:1]
    ropes, tensors = [], {}
    for i in rope_layers:
        rope = getattr(attention_of(layers[i]), "rope", None)
        x = rope_input(head_dim)
        tensors[f"layer{i}.x"] = x
        tensors[f"layer{i}.y"] = x if rope is None else rope(x, offset=ROPE_OFFSET)
        ropes.append({"layer": i, "class": "NoPE" if rope is None else type(rope).__name__, "offset": ROPE_OFFSET})
    record = {
        **common,
        "heads": heads,
        "kv_heads": kv_heads,
        "head_dim": head_dim,
        "scale": scale,
        "qkv_bias": "bias" in (query if query is not None else attention.qkv_proj),
        "o_bias": "bias" in attention.o_proj,
        "qk_norm": hasattr(attention, "q_norm"),
        "layer_kinds": layer_kinds,
        "rope": ropes,
    }
    return record, tensors


def transformers_facts(config: dict) -> tuple[dict, dict[str, mx.array]]:
    """The same facts from transformers: the model built on the meta device (no memory), its rotary
    embedding on the CPU, the per-layer schedule as its caches read it."""
    architecture = getattr(transformers, config["architectures"][0])
    try:
        hf = AutoConfig.for_model(**copy.deepcopy(config))
    except ValueError:
        # A model_type transformers does not register (Kimi K2's kimi_k2): the config class of the
        # architecture the checkpoint names reads it, as from_pretrained of that class does.
        hf = architecture.config_class(**{k: v for k, v in copy.deepcopy(config).items() if k != "model_type"})
    with torch.device("meta"):
        model = architecture._from_config(hf)
    text = hf.get_text_config()
    inner = model.get_decoder() if hasattr(model, "get_decoder") else model.model
    layers = inner.layers
    embed = model.get_input_embeddings()
    common = {
        "model_type": config["model_type"],
        "layers": len(layers),
        "hidden": embed.embedding_dim,
        "vocab": embed.num_embeddings,
        **feed_forward_facts([transformers_feed_forward(layer, text.hidden_size)
                              for layer in layers if has_feed_forward(layer)]),
        **mixer_facts(layers),
        "tied": model.get_output_embeddings().weight is embed.weight,
    }
    first = next((i for i, layer in enumerate(layers) if attention_of(layer) is not None), None)
    if first is None:
        return common, {}
    attention = attention_of(layers[first])
    heads = text.num_attention_heads
    query = getattr(attention, "q_proj", None)
    latent = hasattr(attention, "kv_a_proj_with_mqa")
    if latent:
        # Latent attention: the rotated width is the config's head width, and the shared key
        # projection stands for the key projection.
        query, head_dim = attention.kv_a_proj_with_mqa, text.head_dim
    else:
        head_dim = (query.out_features if query is not None else attention.qkv_proj.out_features) // heads
    if query is None:
        head_dim = attention.head_dim
    types, kwargs = get_layer_types_and_kwargs(text)
    layer_kinds = []
    for kind, extra in zip(types, kwargs):
        sliding = kind == "sliding_attention"
        if kind not in ("full_attention", "sliding_attention"):
            # A recurrent or feed-forward layer's state is no KV cache; the parity fixtures prove those.
            layer_kinds.append({"sliding": False})
            continue
        layer_kinds.append({"sliding": sliding, "cache": "RotatingKVCache" if sliding else "KVCache",
                            "window": extra.get("sliding_window")})
    # A model without a rotary embedding (attention beside a recurrence) rotates nothing.
    rotary = type(inner.rotary_emb)(config=text) if hasattr(inner, "rotary_emb") else None
    ropes, tensors = [], {}
    rope_layers = [first] + [i for i, k in enumerate(layer_kinds) if k["sliding"] != layer_kinds[first]["sliding"]][:1]
    no_rope = getattr(text, "no_rope_layers", None)
    if no_rope is not None:
        rope_layers += [i for i, flag in enumerate(no_rope) if not flag and i not in rope_layers][:1]
    for i in rope_layers:
        x = torch.from_numpy(np.array(rope_input(head_dim)))
        if rotary is None or no_rope is not None and not no_rope[i]:
            y, kind = x, "none"
        else:
            positions = torch.arange(ROPE_OFFSET, ROPE_OFFSET + x.shape[-2])[None]
            layer_type = types[i] if getattr(rotary, "layer_types", None) else None
            cos, sin = rotary(x, positions, layer_type=layer_type) if layer_type else rotary(x, positions)
            # The model's own application (halves, GPT-OSS's chunks, Phi-3's partial rotation).
            module = sys.modules[architecture.__module__]
            apply = (module.apply_rotary_pos_emb_interleave if getattr(text, "rope_interleave", False)
                     else module.apply_rotary_pos_emb)
            y, _ = apply(x, x, cos, sin)
            if getattr(text, "rope_interleave", False):
                # The interleaved application returns each rotated pair's halves apart ([evens | odds]),
                # a permutation queries and keys share that their products never see: put the pairs
                # back where they were, as a rotation in place leaves them.
                y = torch.stack([y[..., : y.shape[-1] // 2], y[..., y.shape[-1] // 2:]], dim=-1).flatten(-2)
            rope_type = rotary.rope_type[layer_type] if layer_type else rotary.rope_type
            kind = "default" if rope_type == "linear" else rope_type
        tensors[f"layer{i}.x"] = mx.array(x.numpy())
        tensors[f"layer{i}.y"] = mx.array(y.float().numpy())
        ropes.append({"layer": i, "kind": kind, "offset": ROPE_OFFSET})
    record = {
        **common,
        "heads": heads,
        "kv_heads": text.num_key_value_heads,
        "head_dim": head_dim,
        "scale": attention.scaling,
        "qkv_bias": (query if query is not None else attention.qkv_proj).bias is not None,
        "o_bias": attention.o_proj.bias is not None,
        "qk_norm": hasattr(attention, "q_norm"),
        "layer_kinds": layer_kinds,
        "rope": ropes,
    }
    return record, tensors


# mlx-lm's RoPE classes by the kind of rotation they apply.
MLX_LM_ROPE_KINDS = {"RoPE": "default", "Llama3RoPE": "llama3", "YarnRoPE": "yarn", "SuScaledRoPE": "longrope",
                     "NoPE": "none"}


def differing(transformers_record: dict, mlx_record: dict, transformers_tensors: dict, mlx_tensors: dict) -> list:
    """The facts on which mlx-lm derives something else than transformers."""
    out = []
    for key, value in transformers_record.items():
        theirs = mlx_record.get(key)
        if key == "rope":
            kinds = [MLX_LM_ROPE_KINDS.get(r["class"], r["class"]) for r in theirs]
            if kinds != [r["kind"] for r in value] or any(
                    not np.allclose(np.array(transformers_tensors[k]), np.array(mlx_tensors[k]), atol=1e-5)
                    for k in transformers_tensors if k.endswith(".y") and k in mlx_tensors):
                out.append("rope")
        elif key == "layer_kinds":
            if [k["sliding"] for k in value] != [k["sliding"] for k in theirs]:
                out.append("layer_kinds")
        elif key == "tied" and theirs is None:
            # mlx-lm reads no tie setting: it loads an lm_head when the checkpoint holds one.
            if value:
                out.append(key)
        elif key == "scale":
            if abs(value - theirs) > 1e-7:
                out.append(key)
        elif value != theirs:
            out.append(key)
    return out


def build():
    records, tensors = {}, {}
    for path in sorted(CONFIGS.glob("*.json")):
        config = json.loads(path.read_text())
        if config.get("model_type") not in served_model_types():
            continue
        stripped = [key for key in STRIPPED if key in config]
        kept = {k: v for k, v in config.items() if k not in stripped}
        record, arrays = transformers_facts(kept)
        theirs, their_arrays = mlx_lm_facts(kept)
        record["mlx_lm_differs"] = differing(record, theirs, arrays, their_arrays)
        record["stripped"] = stripped
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
            print("tests/fixtures/configs/facts.json differs from what transformers and mlx-lm derive now")
            return 1
        stored = mx.load(str(OUT / "rope.safetensors"))
        for name, value in tensors.items():
            if name not in stored or not mx.allclose(stored[name], value, rtol=1e-6, atol=1e-6):
                print(f"{name}: differs from what transformers computes now")
                return 1
        print(f"config facts match transformers and mlx-lm for {len(records)} configs")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "facts.json").write_text(json.dumps(records, indent=1, sort_keys=True) + "\n")
    mx.save_safetensors(str(OUT / "rope.safetensors"), dict(sorted(tensors.items())))
    print(f"wrote facts for {len(records)} configs to tests/fixtures/configs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
