#!/usr/bin/env bash
# Fuzzes the checkpoint loader with libFuzzer: `tools/fuzz_loader.sh SECONDS` builds hf2swift-fuzz-load
# with -sanitize=fuzzer,address into build-fuzz/swift/, replays tests/fuzz/regressions/loader, then
# feeds it arbitrary bytes as a config.json and a model.safetensors for SECONDS, starting from a tiny
# valid checkpoint. Any trap, sanitizer report or hang is a finding (the input lands in
# build-fuzz/artifacts/loader-*). `make fuzz` runs it after the engine's harnesses.
set -euo pipefail

seconds=${1:?usage: tools/fuzz_loader.sh SECONDS}
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/build-fuzz
mkdir -p "$out"/{artifacts,corpus/loader,seeds/loader}

# lld: gold fails on the sanitized objects' debug information.
echo "== building the loader fuzzer (swift, ASan + libFuzzer)"
(cd swift && swift build --product hf2swift-fuzz-load --scratch-path "$out/swift" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DHF2SWIFT_FUZZING \
    -Xswiftc -use-ld=lld) \
    >"$out/swift-build.log" 2>&1 || { tail -30 "$out/swift-build.log"; exit 2; }
harness=$out/swift/debug/hf2swift-fuzz-load

python3 tests/fuzz/make_loader_seeds.py "$out/seeds/loader"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=1
status=0

echo "== replaying tests/fuzz/regressions/loader"
"$harness" -runs=0 tests/fuzz/regressions/loader/* >"$out/regressions-loader.log" 2>&1 || {
    echo "regression replay failed for the loader:"; tail -30 "$out/regressions-loader.log"; status=1; }

echo "== fuzzing the loader for $seconds s"
if ! "$harness" "$out/corpus/loader" "$out/seeds/loader" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=4096 -max_len=16384 -artifact_prefix="$out/artifacts/loader-" -print_final_stats=1 \
        >"$out/fuzz-loader.log" 2>&1; then
    echo "the loader fuzzer FOUND SOMETHING:"
    grep -E 'ERROR: |SUMMARY|Fatal error|Test unit written' "$out/fuzz-loader.log" | head -20
    status=1
fi
echo "fuzz_loader: $(grep -E '^stat::number_of_executed_units' "$out/fuzz-loader.log" | awk '{print $2}') executions," \
     "$(ls "$out/corpus/loader" | wc -l) corpus inputs"
exit $status
