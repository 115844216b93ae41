#!/usr/bin/env bash
# Builds the reference modules (MLX, MLXNN, MLXFast, MLXRandom, MLXLMCommon, MLXLLM) of the Swift package into a private
# scratch directory and prints the directory holding their .swiftmodule files. Used by run.sh and
# public_surface.sh. API_CONTRACT_SCRATCH chooses the scratch directory; API_CONTRACT_PACKAGE the package
# (default: swift/ of this repository).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
package=${API_CONTRACT_PACKAGE:-$root/swift}
scratch=${API_CONTRACT_SCRATCH:-${TMPDIR:-/tmp}/hf2swift-api-contract}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in MLXNN MLXFast MLXRandom MLXLMCommon MLXLLM; do
    if ! swift build --package-path "$package" --scratch-path "$scratch" --target "$target" >"$log" 2>&1; then
        echo "api-contract: building the reference target $target failed:" >&2
        grep -E "error:" "$log" | head -40 >&2 || tail -40 "$log" >&2
        exit 2
    fi
done

bin=$(swift build --package-path "$package" --scratch-path "$scratch" --show-bin-path)
for dir in "$bin/Modules" "$bin"; do
    if [ -f "$dir/MLX.swiftmodule" ] || [ -d "$dir/MLX.swiftmodule" ]; then
        echo "$dir"
        exit 0
    fi
done
echo "api-contract: no MLX.swiftmodule under $bin" >&2
exit 2
