#!/usr/bin/env bash
# Fails when the reference modules MLX, MLXNN, MLXFast, MLXLMCommon or MLXLLM export a public symbol
# that allowed_public_api.txt (derived from the mlx-swift API spec and mlx-swift-lm's sources) does not
# list, and prints each one.
# The public surface is read from symbol graphs (swift-symbolgraph-extract, public and open only,
# compiler-synthesized members skipped). --missing also lists allow-list entries the reference does not
# export (for information; those do not fail). API_CONTRACT_MODULES names an already built modules
# directory (run.sh passes it); otherwise build_reference.sh builds one.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
show_missing=false
[ "${1:-}" = --missing ] && show_missing=true

modules=${API_CONTRACT_MODULES:-}
[ -n "$modules" ] || modules=$("$here/build_reference.sh")
triple=$(swift -print-target-info | sed -n 's/^ *"triple": "\(.*\)",*$/\1/p' | head -1)
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT

for module in MLX MLXNN MLXFast MLXLMCommon MLXLLM; do
    if ! swift-symbolgraph-extract -module-name "$module" -I "$modules" -target "$triple" -output-dir "$graphs" \
        -minimum-access-level public -skip-synthesized-members >"$graphs/$module.log" 2>&1; then
        echo "public-surface: swift-symbolgraph-extract failed for $module:" >&2
        head -20 "$graphs/$module.log" >&2
        exit 2
    fi
done

python3 - "$graphs" "$here/allowed_public_api.txt" "$show_missing" <<'PY'
import glob, json, os, sys

graphs, allow_file, show_missing = sys.argv[1], sys.argv[2], sys.argv[3] == "true"
exact, wildcard = set(), set()
for line in open(allow_file):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    (wildcard.add(line[:-2]) if line.endswith("(*)") else exact.add(line))

exported: dict[str, str] = {}  # precise identifier -> "<module> <path>"
relations: list[tuple[str, str]] = []  # (symbol, the allowed symbol it may stand in for)
for path in sorted(glob.glob(os.path.join(graphs, "*.symbols.json"))):
    # MLXNN@MLX.symbols.json holds what MLXNN declares on MLX's types: the declaring module is MLXNN.
    module = os.path.basename(path).split("@")[0].split(".")[0]
    graph = json.load(open(path))
    for symbol in graph["symbols"]:
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        if "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
            continue
        exported[symbol["identifier"]["precise"]] = f"{module} {'.'.join(symbol['pathComponents'])}"
    # An override of an allowed member, or a protocol-extension default for an allowed requirement,
    # adds no new API: callers reach it through the allowed declaration anyway.
    for r in graph.get("relationships", []):
        if r["kind"] in ("overrides", "defaultImplementationOf"):
            relations.append((r["source"], r["target"]))

def allowed(entry: str) -> bool:
    return entry in exact or (entry.endswith(")") and entry[: entry.find("(") + 1] in wildcard)

standing_in = {src for src, dst in relations if dst in exported and allowed(exported[dst])}
unexpected = sorted({e for usr, e in exported.items() if not allowed(e) and usr not in standing_in})
exported_entries = set(exported.values())
missing = sorted(exact - exported_entries)
print(f"public-surface: {len(exported_entries)} public symbols in MLX, MLXNN, MLXFast, MLXLMCommon, MLXLLM; "
      f"{len(unexpected)} not in allowed_public_api.txt; {len(missing)} allowed ones not exported")
for e in unexpected:
    print(f"  NOT ALLOWED  {e}")
if show_missing:
    for e in missing:
        print(f"  not exported {e}")
sys.exit(1 if unexpected else 0)
PY
