#!/usr/bin/env bash
# Fuzzes the engine with libFuzzer: `tools/fuzz.sh SECONDS` builds two harnesses with clang++-14
# (-fsanitize=fuzzer,address,undefined) into build-fuzz/, replays tests/fuzz/regressions/, runs each
# harness for SECONDS (both at once, one per core) on a corpus kept in build-fuzz/corpus/, then
# replays the corpus through a coverage build and prints per-file line coverage of src/
# (build-fuzz/COVERAGE.md; tests/fuzz/COVERAGE.md is a committed copy).
#
#   fuzz_family    arbitrary bytes as a family document next to the real families
#   fuzz_template  arbitrary bytes as one template or partial (first byte picks which)
#
# Exit status: 0 when nothing was found; 1 when a harness found a crash, a sanitizer report, a hang
# or an exception other than DiagnosticError (the input is in build-fuzz/artifacts/).
set -euo pipefail

seconds=${1:?usage: tools/fuzz.sh SECONDS}
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/build-fuzz
jobs=$(nproc)

# The Swift toolchain's clang may come first on PATH: name clang 14 and its tools explicitly.
need=()
command -v clang++-14 >/dev/null || need+=(clang-14)
[ -n "$(find /usr/lib/llvm-14/lib/clang -name 'libclang_rt.fuzzer*.a' 2>/dev/null | head -1)" ] || need+=(libclang-rt-14-dev)
command -v llvm-cov-14 >/dev/null || need+=(llvm-14)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
CXX=clang++-14

mkdir -p "$out"/{obj-fuzz,obj-cov,artifacts,corpus/family,corpus/template,seeds/family,seeds/template,profiles}
common=(-std=c++20 -g -Isrc -DHF2SWIFT_SOURCE_DIR="\"$root\"")
fuzz_flags=(-O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
cov_flags=(-O0 -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping)
engine=$(ls src/*.cpp | grep -v '^src/main.cpp$')

# build FLAVOUR FLAGS...: compiles the engine and both harnesses into build-fuzz/obj-FLAVOUR.
build() {
    local flavour=$1; shift
    local dir=$out/obj-$flavour
    printf '%s\n' $engine tests/fuzz/fuzz_family.cpp tests/fuzz/fuzz_template.cpp |
        xargs -P "$jobs" -I{} sh -c '
            f={}; o="$0/$(basename "${f%.cpp}").o"
            # Up to date when newer than its source and every header.
            if [ -f "$o" ] && [ "$o" -nt "$f" ] && [ -z "$(find src tests/fuzz -name "*.h" -newer "$o")" ]; then exit 0; fi
            "$@" -c "$f" -o "$o"' "$dir" $CXX "${common[@]}" "$@"
    local objs=()
    for f in $engine; do objs+=("$dir/$(basename "${f%.cpp}").o"); done
    for h in fuzz_family fuzz_template; do
        $CXX "$@" "${objs[@]}" "$dir/$h.o" -lyaml-cpp -o "$out/$h-$flavour"
    done
}
# The harnesses read the families and templates of this snapshot, taken with the sources they are
# built from, so that edits to the tree during a run do not mix versions.
rm -rf "$out/tree" && mkdir -p "$out/tree" && cp -r families templates "$out/tree/"
export HF2SWIFT_FUZZ_SOURCE=$out/tree

echo "== building the fuzzers (clang++-14, ASan + UBSan + libFuzzer)"
build fuzz "${fuzz_flags[@]}"
echo "== building the coverage replayers"
build cov "${cov_flags[@]}"

# Seeds: the real families and the bad-input corpus as documents. Each template behind its selector
# byte, once per concrete family: byte = family * templates + template (the harness sorts template
# names as `ls` does in the C locale, and takes concrete families in file-name order).
cp "$out"/tree/families/*.yaml "$out/seeds/family/"
for f in tests/golden/errors/*/families/*.yaml; do
    cp "$f" "$out/seeds/family/$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")"
done
mapfile -t template_names < <(cd "$out/tree/templates" && LC_ALL=C ls *.mustache)
concrete=$(grep -L '^abstract: true' "$out"/tree/families/*.yaml | wc -l)
seed_template() {  # seed_template FILE TEMPLATE-NAME LABEL
    local i
    for i in "${!template_names[@]}"; do
        [ "${template_names[$i]}" = "$2" ] || continue
        for ((c = 0; c < concrete && c * ${#template_names[@]} + i < 256; c++)); do
            { printf "\\$(printf '%03o' $((c * ${#template_names[@]} + i)))"; cat "$1"; } >"$out/seeds/template/$3-$c"
        done
    done
}
for t in "${template_names[@]}"; do seed_template "$out/tree/templates/$t" "$t" "$t"; done
for f in tests/golden/errors/*/templates/*.mustache; do
    seed_template "$f" "$(basename "$f")" "$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")"
done

# Dictionaries: the vocabulary's keys and the templates' names, plus YAML and mustache punctuation.
{
    for tok in ': ' '- ' '[' ']' '{' '}' ', ' '"' "'" '#' '&a ' '*a' '!!str ' '<<: ' '---' '...' '|' '>' 'null' \
               'true' 'false' 'yes' '0x10' '010' '1e5' '1e999' '.inf' 'extends: ' 'abstract: true' 'model_types: ' \
               '\x01' '\t' '\n' '\u2028' '\0'; do
        printf '"%s"\n' "$(printf '%s' "$tok" | sed 's/\\/\\\\/g; s/"/\\"/g')"
    done
    # Raw control bytes, a byte order mark and a tab.
    printf '"\\x01"\n"\\x00"\n"\\x09"\n"\\x0d"\n"\\xef\\xbb\\xbf"\n'
    grep -hoE '^ *[a-z_]+:' families/*.yaml | tr -d ' ' | sort -u | sed 's/.*/"&"/'
    grep -hoE ': *[a-z_]+' families/*.yaml | sed 's/^: *//' | sort -u | sed 's/.*/"&"/'
} > "$out/family.dict"
{
    for tok in '{{' '}}' '{{{' '}}}' '{{#' '{{^' '{{/' '{{>' '{{!' '{{=' '{{&' '{{.}}'; do
        printf '"%s"\n' "$(printf '%s' "$tok" | sed 's/\\/\\\\/g; s/"/\\"/g')"
    done
    printf '"\\x0a"\n"\\x01"\n"\\x09"\n'  # a newline, the renderer's line sentinel, a tab
    grep -hoE '\{\{[#^/&>]?[a-z_.]+\}\}' templates/*.mustache | sort -u | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/'
} > "$out/template.dict"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0

# The real families must load with these sources, or every template input would be a "finding".
if ! "$out/fuzz_template-fuzz" -runs=0 "$out/seeds/template/model.swift.mustache-0" >"$out/preflight.log" 2>&1; then
    echo "fuzz: the families in families/ do not load with the sources in src/ (a change in progress?):" >&2
    grep -A5 'FINDING' "$out/preflight.log" >&2
    exit 2
fi

echo "== replaying tests/fuzz/regressions"
for h in family template; do
    files=$(find tests/fuzz/regressions/$h -type f 2>/dev/null | sort || true)
    if [ -n "$files" ]; then
        # shellcheck disable=SC2086
        "$out/fuzz_$h-fuzz" -runs=0 $files >"$out/regressions-$h.log" 2>&1 || {
            echo "regression replay failed for fuzz_$h:"; tail -30 "$out/regressions-$h.log"; status=1; }
    fi
done

echo "== fuzzing each harness for $seconds s"
pids=()
for h in family template; do
    "$out/fuzz_$h-fuzz" "$out/corpus/$h" "$out/seeds/$h" -dict="$out/$h.dict" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=16384 \
        -artifact_prefix="$out/artifacts/$h-" -print_final_stats=1 -print_pcs=0 \
        >"$out/fuzz-$h.log" 2>&1 &
    pids+=($!)
done
for i in 0 1; do
    h=$([ $i = 0 ] && echo family || echo template)
    if ! wait "${pids[$i]}"; then
        echo "fuzz_$h FOUND SOMETHING:"; grep -E 'FINDING|ERROR: |SUMMARY|Test unit written' "$out/fuzz-$h.log" | head -20
        status=1
    fi
    echo "fuzz_$h: $(grep -E '^stat::number_of_executed_units' "$out/fuzz-$h.log" | awk '{print $2}') executions," \
         "$(ls "$out/corpus/$h" | wc -l) corpus inputs"
done

echo "== coverage: replaying the corpus"
rm -f "$out"/profiles/*.profraw
for h in family template; do
    LLVM_PROFILE_FILE="$out/profiles/$h-%p.profraw" "$out/fuzz_$h-cov" -runs=0 \
        "$out/corpus/$h" "$out/seeds/$h" >"$out/cov-$h.log" 2>&1 || true
done
llvm-profdata-14 merge -sparse "$out"/profiles/*.profraw -o "$out/fuzz.profdata"
llvm-cov-14 report "$out/fuzz_family-cov" -object "$out/fuzz_template-cov" -instr-profile="$out/fuzz.profdata" \
    $engine >"$out/coverage.txt"
{
    echo "# Fuzzing coverage of src/"
    echo
    echo "Line coverage of the engine when the fuzz corpus (both harnesses) is replayed through a"
    echo "coverage build: \`tools/fuzz.sh $seconds\` on $(date -u +%Y-%m-%d). Regenerate with the same command."
    echo
    echo "| File | Lines | Missed | Line coverage | Functions covered |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    awk '/\.cpp / { printf "| src/%s | %s | %s | %s | %s |\n", $1, $8, $9, $10, $7 }
         /^TOTAL/ { printf "| %s | %s | %s | %s | %s |\n", $1, $8, $9, $10, $7 }' "$out/coverage.txt"
    echo
    for h in family template; do
        echo "- fuzz_$h: $(grep -E '^stat::number_of_executed_units' "$out/fuzz-$h.log" | awk '{print $2}') executions in $seconds s," \
             "$(ls "$out/corpus/$h" | wc -l) corpus inputs"
    done
} >"$out/COVERAGE.md"
cat "$out/COVERAGE.md"
exit $status
