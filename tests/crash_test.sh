#!/usr/bin/env bash
# Writing a generation is crash-consistent: the writer is killed (SIGKILL, as `kill -9` or a power
# cut stops it) before each of its changes to the disk in turn, and after every kill the next run,
# a `generate --check`, must find the old set or the new one, never a mix, with no staged files or
# journal left behind. The new set changes files, adds one and leaves one stale.
# Usage: tests/crash_test.sh path/to/hf2swift
set -euo pipefail

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r "$root/families" "$work/old"
cp -r "$root/families" "$work/new"
# Other descriptions change every file of those families; a new family adds a file; a removed one
# leaves its file stale, to be deleted.
sed -i 's/^description: .*/description: A changed description/' "$work/new/qwen2.yaml" "$work/new/olmo2.yaml"
sed 's/^family: helium/family: helium_two/; s/^swift_name: Helium/swift_name: HeliumTwo/; s/^model_types: \[helium\]/model_types: [helium_two]/' \
    "$work/new/helium.yaml" > "$work/new/helium_two.yaml"
rm "$work/new/seed_oss.yaml"

generate() {  # FAMILIES [check]
    "$bin" generate --families "$1" --templates "$root/templates" --out "$work/out" ${2:+--check} >/dev/null 2>&1
}

rm -rf "$work/out" && mkdir "$work/out"
generate "$work/old"
cp -r "$work/out" "$work/old-out"

kills=0
for at in $(seq 1 200); do
    rm -rf "$work/out" && cp -r "$work/old-out" "$work/out"
    status=0
    # bash reports a killed job on its own stderr: this block's, which goes nowhere.
    {
        HF2SWIFT_TEST_KILL_AT=$at "$bin" generate --families "$work/new" --templates "$root/templates" \
            --out "$work/out" >/dev/null 2>&1 || status=$?
    } 2>/dev/null
    if [ "$status" -eq 0 ]; then
        break  # the whole generation ran before this many changes: every point was tried
    fi
    if [ "$status" -ne 137 ]; then
        echo "FAIL: the writer killed before change $at exited $status, not by SIGKILL" >&2
        exit 1
    fi
    kills=$((kills + 1))
    # The next run (a check writes no generated content) finishes or undoes the interrupted one.
    old=0 new=0
    generate "$work/old" check || old=$?
    generate "$work/new" check || new=$?
    if [ "$old" -eq 0 ] && [ "$new" -eq 0 ]; then
        echo "FAIL: killed before change $at: the tree matches both sets" >&2
        exit 1
    fi
    if [ "$old" -ne 0 ] && [ "$new" -ne 0 ]; then
        echo "FAIL: killed before change $at: the tree is neither the old set nor the new one" >&2
        ls -la "$work/out" >&2
        exit 1
    fi
    leftovers=$(find "$work/out" -name '*.hf2swift-staged' -o -name '.hf2swift-journal')
    if [ -n "$leftovers" ]; then
        echo "FAIL: killed before change $at: left behind $leftovers" >&2
        exit 1
    fi
done
if [ "$kills" -lt 5 ]; then
    echo "FAIL: only $kills kill points; the generation should change more than that" >&2
    exit 1
fi
echo "crash test: killed at each of $kills changes; every time the next run found the old set or the new one"
