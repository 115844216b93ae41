#!/usr/bin/env bash
# Builds the Swift package and checks the named parity fixtures (all when none are named) against
# the logits their oracle (mlx-lm or transformers) recorded. A fixture is named `oracle/name`, or by
# its bare name for every oracle's fixture of that name. HF2SWIFT_PACKAGE, HF2SWIFT_SCRATCH and
# HF2SWIFT_FIXTURES_DIR (a tests/fixtures directory) point it at another package, build directory or
# fixture set (the walkthrough test does).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
package=${HF2SWIFT_PACKAGE:-$root/swift}
scratch=${HF2SWIFT_SCRATCH:-$package/.build}
export HF2SWIFT_FIXTURES_DIR=${HF2SWIFT_FIXTURES_DIR:-$root/tests/fixtures}
report=$(mktemp)
trap 'rm -f "$report"' EXIT

if [ $# -gt 0 ]; then
    HF2SWIFT_PARITY_ONLY=$(IFS=,; echo "$*")
    export HF2SWIFT_PARITY_ONLY
fi
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT
if ! (cd "$package" && swift build --build-tests --scratch-path "$scratch" >"$log" 2>&1); then
    grep -E "error" "$log" | head -40 >&2
    echo "parity: the Swift package does not build" >&2
    exit 1
fi
status=0
(cd "$package" && HF2SWIFT_PARITY_REPORT=$report swift test --skip-build --scratch-path "$scratch" \
    --filter "ParityTests.ParityTests/testEveryFixtureMatchesItsOracleOnPrefillAndDecode" >/dev/null 2>&1) || status=$?
if [ ! -s "$report" ]; then
    echo "parity: the tests did not run (swift test exited $status)" >&2
    exit 1
fi
python3 - "$report" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
for name, outcome in sorted(report.items()):
    print(f"{name}: {outcome}")
sys.exit(0 if report and all(outcome == "pass" for outcome in report.values()) else 1)
EOF
