#!/usr/bin/env bash
# Regenerates everything derived from families/, templates/ and the vocabulary: generated/,
# families/README.md, families/family.schema.json and the intermediate-model, explain and `new` goldens
# in tests/golden/. With --check it writes nothing and fails (printing the diff) when anything is out
# of date.
set -euo pipefail

bin=$(realpath "$1")
mode=${2:-write}
cd "$(dirname "$0")/.."

status=0
if [ "$mode" = --check ]; then
    "$bin" generate --check || status=1
else
    "$bin" generate
fi

# One golden per family: `ir` for concrete families, `explain` for all of them.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p tests/golden/ir tests/golden/explain
"$bin" list | tail -n +2 | while read -r family parent types rest; do
    if [ "$types" != "(abstract)" ]; then
        "$bin" ir "$family" > "$scratch/ir-$family.json"
        echo "tests/golden/ir/$family.json $scratch/ir-$family.json"
    fi
    "$bin" explain "$family" > "$scratch/explain-$family.txt"
    echo "tests/golden/explain/$family.txt $scratch/explain-$family.txt"
done > "$scratch/pairs"

# The JSON Schema of family documents, read off the vocabulary like families/README.md.
"$bin" schema > "$scratch/family.schema.json"
echo "families/family.schema.json $scratch/family.schema.json" >> "$scratch/pairs"

# `hf2swift new` as a person runs it (the README's example), in a copy of families/: what it prints,
# the document it writes, and what that document resolves to.
mkdir -p "$scratch/new" tests/golden/new
cp -r families "$scratch/new/families"
(
    cd "$scratch/new"
    echo "\$ hf2swift new my_model --like llama"
    "$bin" new my_model --like llama
    echo "\$ cat families/my_model.yaml"
    cat families/my_model.yaml
    echo "\$ hf2swift explain my_model"
    "$bin" explain my_model
) > "$scratch/new.txt"
echo "tests/golden/new/my_model.txt $scratch/new.txt" >> "$scratch/pairs"

while read -r golden fresh; do
    if ! cmp -s "$golden" "$fresh" 2>/dev/null; then
        if [ "$mode" = --check ]; then
            diff -u "$golden" "$fresh" --label "a/$golden" --label "b/$golden" || true
            status=1
        else
            cp "$fresh" "$golden"
            echo "wrote $golden"
        fi
    fi
done < "$scratch/pairs"

# Goldens of families that no longer exist.
for golden in tests/golden/ir/*.json tests/golden/explain/*.txt; do
    [ -e "$golden" ] || continue
    if ! grep -q "^$golden " "$scratch/pairs"; then
        if [ "$mode" = --check ]; then
            echo "$golden: no family produces it"
            status=1
        else
            rm "$golden"
            echo "removed $golden"
        fi
    fi
done

if [ "$status" -ne 0 ]; then
    echo "out of date: run \`make regen\` and commit the result" >&2
fi
exit "$status"
