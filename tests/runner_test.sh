#!/usr/bin/env bash
# hf2swift-run refuses what a model cannot take with one line and exit 1 (2 for usage), never a trap:
# token ids outside the vocabulary, a decode count past its bound, and logits that are not finite.
# It also runs with an app's generation parameters: a cache bound the run never reaches changes
# nothing, and quantized caches run.
# Usage: tests/runner_test.sh path/to/hf2swift-run
set -uo pipefail
runner=$1
root=$(cd "$(dirname "$0")/.." && pwd)
fixture=$root/tests/fixtures/models/llama
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect CODE MESSAGE ARGS...: the runner exits CODE and its first stderr line is MESSAGE.
expect() {
    local want=$1 message=$2
    shift 2
    "$runner" "$@" >"$work/out" 2>"$work/err"
    local code=$?
    local first
    first=$(head -n 1 "$work/err")
    if [ "$code" != "$want" ] || [ "$first" != "$message" ]; then
        echo "FAIL: hf2swift-run $*: exit $code, \"$first\"; expected exit $want, \"$message\"" >&2
        failures=$((failures + 1))
    fi
}

expect 1 "hf2swift-run: token 256 at position 1 is outside the vocabulary (0..<256)" \
    --model "$fixture" --tokens 1,256,3
expect 1 "hf2swift-run: token -1 at position 0 is outside the vocabulary (0..<256)" \
    --model "$fixture" --tokens -1,2
expect 2 "hf2swift-run: --tokens: \"x\" is not a token id" --model "$fixture" --tokens 1,x
expect 2 "hf2swift-run: --tokens: \"99999999999999999999\" is not a token id" \
    --model "$fixture" --tokens 99999999999999999999
expect 2 "hf2swift-run: --decode takes a number of steps from 0 to 100000" \
    --model "$fixture" --tokens 1 --decode 100001
expect 2 "hf2swift-run: --model is required" --tokens 1
expect 2 "hf2swift-run: --max-kv-size takes a number of positions of at least 5" \
    --model "$fixture" --tokens 1 --max-kv-size 4
expect 2 "hf2swift-run: --kv-bits takes 2, 3, 4, 5, 6 or 8" --model "$fixture" --tokens 1 --kv-bits 7

# maxKVSize past the prompt and the decoding: rotating caches that never rotate, the same logits.
"$runner" --model "$fixture" --tokens 1,2,3,4,5 --decode 6 --logits >"$work/plain.json"
"$runner" --model "$fixture" --tokens 1,2,3,4,5 --decode 6 --logits --max-kv-size 1000 >"$work/bounded.json"
if ! cmp -s "$work/plain.json" "$work/bounded.json"; then
    echo "FAIL: --max-kv-size 1000 changed the logits of a 11-token run" >&2
    failures=$((failures + 1))
fi
# kvBits on a model whose 32-wide heads quantize: the decoding runs through quantized caches, and
# its logits move (by the quantization error) from the full-precision run's.
mistral=$root/tests/fixtures/models/mistral
"$runner" --model "$mistral" --tokens 1,2,3,4,5 --decode 6 --logits >"$work/full.json"
if ! "$runner" --model "$mistral" --tokens 1,2,3,4,5 --decode 6 --logits --kv-bits 8 \
    >"$work/quantized.json" 2>"$work/err"; then
    echo "FAIL: --kv-bits 8 did not run: $(head -n 1 "$work/err")" >&2
    failures=$((failures + 1))
elif cmp -s "$work/full.json" "$work/quantized.json"; then
    echo "FAIL: --kv-bits 8 left the logits exactly as they were: no cache was quantized" >&2
    failures=$((failures + 1))
fi

# A checkpoint whose final norm holds NaN computes NaN logits: reported, not printed as a result.
cp "$fixture/config.json" "$work/config.json"
python3 - "$fixture/model.safetensors" "$work/model.safetensors" <<'PY'
import json, struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
length = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + length])
start, end = header["model.norm.weight"]["data_offsets"]
base = 8 + length
data[base + start:base + end] = struct.pack("<f", float("nan")) * ((end - start) // 4)
open(sys.argv[2], "wb").write(data)
PY
expect 1 "hf2swift-run: the logits of the prompt are not finite (NaN or infinity): the checkpoint's weights or settings overflow" \
    --model "$work" --tokens 1,2,3

if [ "$failures" -gt 0 ]; then
    echo "runner test: $failures failure(s)" >&2
    exit 1
fi
echo "runner test: every bad argument and checkpoint is one line; generation parameters run"
