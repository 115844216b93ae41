#!/usr/bin/env bash
# Every generated Swift file parses (swiftc -parse) and is formatted as the committed .swift-format says.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swiftc >/dev/null || { echo "swiftc not found: the Swift toolchain is required"; exit 1; }
command -v swift >/dev/null || { echo "swift not found: the Swift toolchain is required"; exit 1; }
shopt -s nullglob
files=(generated/*.swift)
[ ${#files[@]} -gt 0 ] || { echo "no generated Swift files"; exit 1; }
for f in "${files[@]}"; do
    swiftc -parse "$f"
done
swift format lint --strict --configuration .swift-format "${files[@]}"
echo "${#files[@]} files parse and pass swift format lint"
