#!/usr/bin/env bash
# The hf2swift command line: verbs, help, exit codes, the original invocation, detect, new, and
# determinism across working directories, locales and time zones.
set -uo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")/.."
root=$(pwd)
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect CODE COMMAND... : runs the command, keeps its output in $out/$err, checks the exit code.
expect() {
    local want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
    [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want; stderr: $err"
}
contains() { grep -qF -- "$2" <<<"$1" || fail "expected to find '$2' in: $1"; }

# Version, help and usage errors.
expect 0 "$bin" --version; contains "$out" "hf2swift 0.1.0"
expect 0 "$bin" --help; contains "$out" "usage: hf2swift"
for verb in generate list explain ir detect new schema; do
    expect 0 "$bin" "$verb" --help; contains "$out" "usage: hf2swift $verb"
done
expect 2 "$bin"
expect 2 "$bin" frobnicate; contains "$err" "unknown verb 'frobnicate'"
expect 2 "$bin" generate --bogus
expect 2 "$bin" explain
expect 2 "$bin" detect
expect 2 "$bin" new only_name

# The tree is in sync.
expect 0 "$bin" generate --check

# list, explain, ir.
# The columns are as wide as the longest family name, which new families change.
expect 0 "$bin" list; grep -qE "^qwen3 +qwen2 " <<<"$out" || fail "expected qwen3 to extend qwen2 in: $out"
expect 0 "$bin" explain qwen3 attention.qk_norm
contains "$out" "attention.qk_norm = "
contains "$out" "families/qwen3.yaml:"
expect 0 "$bin" explain llama abstract; contains "$out" "(default): false"
expect 1 "$bin" explain qwen3 attention.qk_nrom; contains "$err" "did you mean 'attention.qk_norm'?"
expect 1 "$bin" explain lama; contains "$err" "did you mean 'llama'?"
expect 0 "$bin" ir llama; contains "$out" '"qkv_bias": "args.attentionBias"'
expect 1 "$bin" ir dense_decoder; contains "$err" "is abstract"

# The original invocation: stdout, or a file; by family id or by model_type.
expect 0 "$bin" --model llama
[ "$out" = "$(cat generated/LlamaGenerated.swift)" ] || fail "--model llama differs from generated/LlamaGenerated.swift"
expect 0 "$bin" --model qwen2 --output "$tmp/Qwen2Generated.swift"
cmp -s "$tmp/Qwen2Generated.swift" generated/Qwen2Generated.swift || fail "--model qwen2 --output differs"
contains "$err" "Generated: $tmp/Qwen2Generated.swift"
expect 1 "$bin" --model no_such_arch; contains "$err" "no family serves 'no_such_arch' (supported model types: "; contains "$err" " llama, "

# detect: real configs of the first families and of latent attention's, an unclaimed model_type, a refused setting.
for pair in Llama-3.2-1B-Instruct:llama TinyLlama-1.1B-Chat-v1.0:llama Mistral-7B-Instruct-v0.3:mistral \
            Qwen2.5-0.5B-Instruct:qwen2 Qwen3-0.6B:qwen3 DeepSeek-V3:deepseek_v3 Kimi-K2-Instruct:deepseek_v3; do
    config=tests/data/hf-configs/${pair%%:*}.json
    expect 0 "$bin" detect "$config"
    contains "$out" "is served by family ${pair##*:} "
    contains "$out" "refused: none"
done
expect 0 "$bin" detect tests/data/hf-configs/Qwen2.5-0.5B-Instruct.json
contains "$out" "use_sliding_window"
contains "$out" "sliding_window (only matters with use_sliding_window, which is refused)"
# A wrapper's own keys: ignored under the model types its entry serves (`also` included), unknown elsewhere.
expect 0 "$bin" detect tests/fixtures/transformers/qwen2_5_vl_v4/config.json
contains "$out" "vision_config (the vision tower's settings; text never reaches it)"
contains "$out" "not known to the family (0)"
sed 's/"model_type": "qwen2_5_vl"/"model_type": "qwen2"/' tests/fixtures/transformers/qwen2_5_vl_v4/config.json > "$tmp/qwen2_vision.json"
expect 0 "$bin" detect "$tmp/qwen2_vision.json"
contains "$out" "not known to the family (5)"
sed 's/"model_type": "llama"/"model_type": "no_such_arch"/' tests/data/hf-configs/Llama-3.2-1B-Instruct.json > "$tmp/unserved.json"
expect 1 "$bin" detect "$tmp/unserved.json"
contains "$err" "model_type: \"no_such_arch\" is not served by any family; supported: "; contains "$err" " qwen3"
sed 's/"rope_type": "llama3"/"rope_type": "proportional"/' tests/data/hf-configs/Llama-3.2-1B-Instruct.json > "$tmp/proportional.json"
expect 1 "$bin" detect "$tmp/proportional.json"
contains "$err" "rope_scaling.rope_type: \"proportional\" is not applied by family llama (supported: linear, llama3, yarn, longrope, dynamic)"
contains "$err" "1 error."
# A model type a family refuses by name: its reason, not the list of supported ones.
sed 's/"model_type": "llama"/"model_type": "minimax"/' tests/data/hf-configs/Llama-3.2-1B-Instruct.json > "$tmp/text01.json"
expect 1 "$bin" detect "$tmp/text01.json"
contains "$err" "model_type: \"minimax\" is refused by family minimax_m2: MiniMax-Text-01's lightning attention"
sed 's/"use_sliding_window": false/"use_sliding_window": true/' tests/data/hf-configs/Qwen2.5-0.5B-Instruct.json > "$tmp/swa.json"
expect 1 "$bin" detect "$tmp/swa.json"
contains "$err" "use_sliding_window: true is refused (accepted: [false]): the sliding-window layers Qwen2 can enable are not supported"
# A value outside its config type's shape: a word the type does not take, an integral float where an
# integer goes, a list holding a string where numbers go.
sed 's/"time_step_rank": 6/"time_step_rank": "wide"/' tests/fixtures/transformers/mamba/config.json > "$tmp/rank.json"
expect 1 "$bin" detect "$tmp/rank.json"
contains "$err" 'time_step_rank: "wide" is not a valid int_or_auto'
sed 's/"time_step_rank": 6/"time_step_rank": "auto"/; s/"state_size": 8/"state_size": 8.0/' \
    tests/fixtures/transformers/mamba/config.json > "$tmp/auto.json"
expect 0 "$bin" detect "$tmp/auto.json"
contains "$out" "refused: none"
sed 's/"mlp_only_layers": \[\]/"mlp_only_layers": [1, "2"]/' tests/data/hf-configs/Qwen3-30B-A3B.json > "$tmp/layers.json"
expect 1 "$bin" detect "$tmp/layers.json"
contains "$err" 'mlp_only_layers: [1,"2"] is not a valid int_list'

# new: scaffold, explain, regenerate into a scratch tree without touching C++ or templates.
cp -r families "$tmp/families"
expect 0 "$bin" new my_llama --like llama --families "$tmp/families"
contains "$out" "wrote $tmp/families/my_llama.yaml"
contains "$out" "hf2swift generate --families $tmp/families"
expect 1 "$bin" new my_llama --like llama --families "$tmp/families"; contains "$err" "already exists"
expect 1 "$bin" new other --like lama --families "$tmp/families"; contains "$err" "did you mean 'llama'?"
expect 1 "$bin" new Bad-Name --like llama --families "$tmp/families"; contains "$err" "must be lower_snake_case"
expect 0 "$bin" explain my_llama --families "$tmp/families"; contains "$out" "extends llama"
expect 0 "$bin" generate --families "$tmp/families" --out "$tmp/gen"
[ -f "$tmp/gen/MyLlamaGenerated.swift" ] || fail "new family did not generate MyLlamaGenerated.swift"

# Determinism: a second run, another working directory, locale and time zone, give the same bytes.
cp -r families "$tmp/fam1"
expect 0 "$bin" generate --out "$tmp/run1" --families "$tmp/fam1"
mkdir -p "$tmp/elsewhere"
cp -r families "$tmp/elsewhere/fam2"
(cd "$tmp/elsewhere" && LC_ALL=C.UTF-8 TZ=Asia/Kolkata "$bin" generate --families fam2 \
    --templates "$root/templates" --out "$tmp/run2" >/dev/null) || fail "generate from another directory failed"
for f in "$tmp/run1"/* "$tmp/fam1/README.md"; do
    name=$(basename "$f")
    other="$tmp/run2/$name"; committed="generated/$name"
    if [ "$f" = "$tmp/fam1/README.md" ]; then other="$tmp/elsewhere/fam2/README.md"; committed=families/README.md; fi
    cmp -s "$f" "$other" || fail "$name differs between runs"
    cmp -s "$f" "$committed" || fail "$name differs from the committed file"
done
expect 0 "$bin" generate --out "$tmp/run1" --families "$tmp/fam1"
[ -z "$out" ] || fail "a second run rewrote files: $out"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "cli: all checks passed"
