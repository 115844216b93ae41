#!/usr/bin/env python3
"""Proves the parity fixtures can fail: applies real modelling mistakes to the family documents,
regenerates the Swift with hf2swift, runs the parity tests against each mutant, and requires the
fixtures the mistake affects (and only those) to fail.

Usage: tools/mutation_check.py path/to/hf2swift [MUTATION...]   (default: every mutation)
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWIFT = ROOT / "swift"
SCRATCH = Path(os.environ.get("HF2SWIFT_MUTATION_SCRATCH", Path(tempfile.gettempdir()) / "hf2swift-mutation-check"))

def of(*families: str) -> set[str]:
    """Every fixture of these families (tests/fixtures/models/fixtures.json), so a fixture added to a
    family is expected to catch that family's mistakes without editing each mutation."""
    manifest = json.loads((ROOT / "tests" / "fixtures" / "models" / "fixtures.json").read_text())
    return {f["name"] for f in manifest["fixtures"] if f["family"] in families}


GEMMA3 = of("gemma3")
LLAMA_ROPE_SCALED = {"llama_rope_llama3", "llama_rope_parameters", "llama_rope_linear", "llama_rope_yarn",
                     "llama_rope_longrope"}


@dataclass
class Mutation:
    name: str
    mistake: str
    edits: list[tuple[str, str, str]]  # (family file, or templates/FILE, text, replacement)
    fails: set[str]


MUTATIONS = [
    Mutation("interleaved_rope", "interleaved RoPE pairs instead of the two halves",
             [("llama.yaml", "    interleaved: rope_traditional", "    interleaved: true"),
              ("qwen2.yaml", "    interleaved: rope_traditional", "    interleaved: true")],
             # longrope rotates halves whatever the layout says, as mlx-lm's SuScaledRoPE does. SmolLM3
             # and Mistral 3's Llama text models take Llama's RoPE.
             of("llama", "mistral", "qwen2", "smollm3") - {"llama_rope_longrope"}),
    Mutation("dropped_qk_norm", "q/k RMSNorm dropped",
             [("qwen3.yaml", "  qk_norm: per_head", "  qk_norm: none")],
             of("qwen3")),
    Mutation("missing_bias", "no bias on the q/k/v projections",
             [("qwen2.yaml", "  bias: {qkv: true, o: false}", "  bias: {qkv: false, o: false}")],
             of("qwen2")),
    Mutation("missing_o_bias", "no bias on the output projection where the config asks for it",
             [("llama.yaml", "  bias: {qkv: attention_bias, o: attention_bias}",
               "  bias: {qkv: attention_bias, o: false}")],
             {"llama_bias"}),
    Mutation("ignored_rope_scaling", "rope_scaling decoded but not applied",
             [("llama.yaml", "  rope:\n    interleaved: rope_traditional\n",
               "  rope:\n    interleaved: rope_traditional\n    scaling: ~\n    scaling_types: []\n")],
             LLAMA_ROPE_SCALED),
    Mutation("ignored_sliding_window", "layer_types read but every layer attends over the full context",
             [("llama.yaml", "  sliding:\n    layer_types: layer_types\n    window: sliding_window\n", "")],
             {"llama_sliding"}),
    Mutation("phi3_interleaved_rope", "phi3 rotating interleaved pairs",
             [("phi3.yaml", "    interleaved: rope_traditional", "    interleaved: true")],
             # phi3_partial asks for rope_traditional itself; longrope always rotates halves.
             of("phi3") - {"phi3_partial", "phi3_longrope"}),
    Mutation("phi3_full_rotary", "partial_rotary_factor read but every dimension rotated",
             [("phi3.yaml", "    fraction: partial_rotary_factor\n", "")],
             {"phi3_partial", "phi3_longrope"}),
    Mutation("phi3_original_context", "longrope's original context taken from max_position_embeddings",
             [("phi3.yaml", "    original_max_positions: original_max_position_embeddings\n", "")],
             {"phi3_longrope"}),
    Mutation("smollm3_rope_everywhere", "no_rope_layers read but every layer rotated",
             [("smollm3.yaml", "attention:\n  rope:\n    layers: no_rope_layers\n", "")],
             of("smollm3")),
    Mutation("ministral3_unscaled_queries", "Llama-4 query scaling read but not applied",
             [("mistral3.yaml", "  query_position_scale:\n    beta: llama_4_scaling_beta\n"
               "    original_max_positions: original_max_position_embeddings\n", "")],
             of("mistral3") - {"mistral3_llama"}),
    Mutation("mistral3_wrapper_as_ministral3", "every text model of a Mistral 3 checkpoint read as Ministral 3",
             [("mistral3.yaml", '"*": llama', '"*": mistral3')],
             {"mistral3_llama"}),
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
             of("smollm3")),
    Mutation("phi3_unfused", "q/k/v and gate/up as separate projections where Phi-3 fuses them",
             [("phi3.yaml", "  projection: fused_qkv\n", ""), ("phi3.yaml", "  kind: fused_gated", "  kind: gated")],
             of("phi3")),
    Mutation("gemma3n_no_v_norm", "values attended without their RMS normalisation",
             [("gemma3n.yaml", "  v_norm: true", "  v_norm: false")],
             of("gemma3n")),
    Mutation("gemma3n_unshared_kv", "KV-sharing layers computing keys and values of their own",
             [("templates/_model.swift.mustache", "shared: source.map { computed[$0] }", "shared: nil")],
             {"gemma3n"}),
    Mutation("gemma3n_unclipped_altup", "AltUp coefficients used beyond their clip",
             [("gemma3n.yaml", "    coef_clip: altup_coef_clip\n", "")],
             of("gemma3n") - {"gemma3n_dense"}),
    Mutation("gemma3n_dense_gelu", "activation_sparsity_pattern read but every layer's GELU dense",
             [("gemma3n.yaml", "  activation_sparsity: activation_sparsity_pattern\n", "")],
             of("gemma3n") - {"gemma3n_dense"}),
    Mutation("gemma3n_uncapped_logits", "final_logit_softcapping read but not applied",
             [("gemma3n.yaml", "head: {tie: true, softcap: final_logit_softcapping}", "head: {tie: true}")],
             of("gemma3n") - {"gemma3n_dense"}),
    Mutation("mixtral_unstacked_experts", "per-expert checkpoint tensors left unstacked",
             [("mixtral.yaml", "weights:\n  stack_experts:\n    from: experts\n"
               "    names: {w1: gate_proj, w2: down_proj, w3: up_proj}\n", "")],
             {"mixtral_hf"}),
    Mutation("gemma3_plain_rmsnorm", "RMSNorm scaling by w instead of (1 + w)",
             [("gemma3.yaml", "norm: {kind: rms_one_plus, placement: sandwich}",
               "norm: {kind: rms, placement: sandwich}")],
             GEMMA3),
    Mutation("gemma3_unscaled_embedding", "the embedding not multiplied by sqrt(hidden_size)",
             [("gemma3.yaml", "embedding: {scale: sqrt_hidden_bf16}", "embedding: {scale: none}")],
             GEMMA3),
    Mutation("gemma3_unrounded_embedding_scale", "sqrt(hidden_size) not rounded to bfloat16",
             [("gemma3.yaml", "embedding: {scale: sqrt_hidden_bf16}", "embedding: {scale: sqrt_hidden}")],
             # sqrt(64) is exact in bfloat16, and a bfloat16 model rounds the factor anyway.
             GEMMA3 - {"gemma3_untied", "gemma3_wrapper_q4", "gemma3_bf16"}),
    Mutation("gemma3_head_dim_scale", "softmax scaled by head_dim instead of query_pre_attn_scalar",
             [("gemma3.yaml", "  scale: inverse_sqrt_field\n  scale_field: query_pre_attn_scalar\n", "")],
             GEMMA3),
    Mutation("gemma3_global_rope_base_everywhere", "sliding layers rotating with the global RoPE base",
             [("gemma3.yaml", "    local_base: rope_local_base_freq\n", "    local_base: rope_theta\n")],
             GEMMA3),
]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, text=True, capture_output=True, **kwargs)


def prepare_package(generated: Path | None = None) -> Path:
    """A copy of the Swift package whose HF2SwiftModels is `generated` (the mutant under test); the
    other sources are the real ones (symlinks), so only the models rebuild between mutations. The
    package always lives at the same path, so its build directory stays valid between runs."""
    package = SCRATCH / "package"
    generated = generated or SCRATCH / "generated"
    if package.exists():
        shutil.rmtree(package)
    (package / "Sources").mkdir(parents=True)
    (package / "Tests").mkdir()
    for source in (SWIFT / "Sources").iterdir():
        if source.name != "HF2SwiftModels":
            (package / "Sources" / source.name).symlink_to(source.resolve())
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


def generate(hf2swift: str, mutation: Mutation | None) -> None:
    families = SCRATCH / "families"
    templates = SCRATCH / "templates"
    for copy, source in ((families, ROOT / "families"), (templates, ROOT / "templates")):
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(source, copy)
    for file, text, replacement in (mutation.edits if mutation else []):
        path = SCRATCH / file if file.startswith("templates/") else families / file
        content = path.read_text()
        if text not in content:
            raise SystemExit(f"mutation {mutation.name}: {file} no longer contains {text!r}; update the mutation")
        path.write_text(content.replace(text, replacement, 1))
    generated = SCRATCH / "generated"
    if generated.exists():
        shutil.rmtree(generated)
    result = run([hf2swift, "generate", "--families", str(families), "--templates", str(templates),
                  "--out", str(generated)])
    if result.returncode != 0:
        raise SystemExit(f"hf2swift generate failed for {mutation.name if mutation else 'the baseline'}:\n"
                         + result.stderr)


def fixtures_by_family() -> dict[str, list[str]]:
    manifest = json.loads((ROOT / "tests" / "fixtures" / "models" / "fixtures.json").read_text())
    out: dict[str, list[str]] = {}
    for fixture in manifest["fixtures"]:
        out.setdefault(fixture["family"], []).append(fixture["name"])
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


def affected_fixtures(baseline: Path, mutant: Path) -> set[str] | None:
    """The fixtures whose generated code differs between the baseline and the mutant; None when
    shared code (the registry) changed, so every fixture must run. A fixture whose generated file is
    byte-identical runs the same code as in the baseline, where it passed."""
    changed = {p.name for p in mutant.iterdir() if p.suffix == ".swift" and
               (not (baseline / p.name).exists() or (baseline / p.name).read_bytes() != p.read_bytes())}
    if any(not name.endswith("Generated.swift") for name in changed):
        return None
    files = swift_files_by_family()
    return {fixture for family, fixtures in fixtures_by_family().items() for fixture in fixtures
            if files.get(family) in changed}


def failing_fixtures(package: Path, only: set[str] | None = None) -> set[str]:
    report = SCRATCH / "report.json"
    if report.exists():
        report.unlink()
    env = dict(os.environ, HF2SWIFT_PARITY_REPORT=str(report))
    if only is not None:
        if not only:
            return set()
        env["HF2SWIFT_PARITY_ONLY"] = ",".join(sorted(only))
    result = run(["swift", "test", "--scratch-path", str(SCRATCH / "build"), "--filter",
                  "ParityTests.ParityTests/testEveryFixtureMatchesMLXLMOnPrefillAndDecode"], cwd=package, env=env)
    if not report.exists():
        raise SystemExit("the parity tests did not run:\n" + result.stdout[-4000:] + result.stderr[-4000:])
    return {name for name, outcome in json.loads(report.read_text()).items() if outcome != "pass"}


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
    generate(hf2swift, None)
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
    for mutation in selected:
        generate(hf2swift, mutation)
        failed = failing_fixtures(package, affected_fixtures(baseline_generated, SCRATCH / "generated"))
        missed = mutation.fails - failed
        extra = failed - mutation.fails
        verdict = "caught" if not missed and not extra else "WRONG"
        print(f"{mutation.name} ({mutation.mistake}): {verdict} by {', '.join(sorted(failed)) or 'nothing'}")
        if missed:
            print(f"  should have failed but passed: {', '.join(sorted(missed))}")
        if extra:
            print(f"  failed though the mistake does not affect them: {', '.join(sorted(extra))}")
        problems += verdict != "caught"
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
