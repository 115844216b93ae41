#!/usr/bin/env bash
# Determinism across environments: `hf2swift generate` gives the committed bytes of generated/ and
# families/README.md whatever the locale (C, C.UTF-8, and where they can be built, de_DE.UTF-8 with
# its decimal comma and tr_TR.UTF-8 with its dotless i), the time zone, the working directory, the
# way paths are spelt, the environment, and the order in which the family files were created (so the
# order a directory lists them in).
#
#   tests/determinism_test.sh HF2SWIFT
set -uo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")/.."
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Locales: the C ones always; others built into a private LOCPATH when the machine has the sources.
locales=(C C.UTF-8)
if command -v localedef >/dev/null && [ -d /usr/share/i18n/locales ]; then
    mkdir -p "$tmp/locales"
    for l in de_DE tr_TR; do
        if localedef -i "$l" -f UTF-8 "$tmp/locales/$l.UTF-8" >/dev/null 2>&1; then locales+=("$l.UTF-8"); fi
    done
fi
export LOCPATH=$tmp/locales

# copy_families DEST ORDER: a fresh copy of families/*.yaml, created in the given order
# (sorted, reverse or shuffled), so the directory lists them differently.
copy_families() {
    local dest=$1 order=$2
    mkdir -p "$dest"
    local files
    case $order in
        sorted) files=$(ls families/*.yaml | LC_ALL=C sort) ;;
        reverse) files=$(ls families/*.yaml | LC_ALL=C sort -r) ;;
        shuffled) files=$(ls families/*.yaml | shuf --random-source=<(yes 42)) ;;
    esac
    for f in $files; do cp "$f" "$dest/"; done
}

# check NAME OUT FAMILIES_DIR: OUT holds exactly the committed generated/ files, byte for byte, and
# FAMILIES_DIR/README.md is the committed families/README.md.
check() {
    local name=$1 out=$2 fam=$3
    local want got
    want=$(cd generated && LC_ALL=C ls)
    got=$(cd "$out" 2>/dev/null && LC_ALL=C ls)
    [ "$want" = "$got" ] || fail "$name: generated files differ: got [$got], want [$want]"
    for f in generated/*; do
        cmp -s "$f" "$out/$(basename "$f")" || fail "$name: $(basename "$f") differs from the committed file"
    done
    cmp -s families/README.md "$fam/README.md" || fail "$name: families/README.md differs from the committed file"
}

runs=0
# One run per locale, each with another time zone, working directory, path spelling and file order.
zones=(UTC Asia/Kolkata America/St_Johns Pacific/Chatham)
orders=(sorted reverse shuffled reverse)
for i in "${!locales[@]}"; do
    loc=${locales[$i]} zone=${zones[$((i % 4))]} order=${orders[$((i % 4))]}
    case_dir=$tmp/run$i
    mkdir -p "$case_dir/work/deeper"
    copy_families "$case_dir/families" "$order"
    cp -r templates "$case_dir/templates"
    name="LC_ALL=$loc TZ=$zone, $order file order"
    if [ $((i % 2)) = 0 ]; then
        # Absolute paths, run from the repository root.
        LC_ALL=$loc LANG=$loc TZ=$zone "$bin" generate --families "$case_dir/families" \
            --templates "$case_dir/templates" --out "$case_dir/out" >/dev/null
    else
        # Relative paths with '..' and a trailing slash, from another working directory.
        name="$name, relative paths"
        (cd "$case_dir/work/deeper" && LC_ALL=$loc LANG=$loc TZ=$zone "$bin" generate \
            --families ../../families/ --templates ../../templates --out ../../out >/dev/null)
    fi
    if [ $? = 0 ]; then check "$name" "$case_dir/out" "$case_dir/families"; else fail "$name: generate failed"; fi
    runs=$((runs + 1))
done

# An empty environment: no locale, no TZ, no HOME, no PATH.
mkdir -p "$tmp/bare"
copy_families "$tmp/bare/families" shuffled
if (cd "$tmp/bare" && env -i "$bin" generate --families families --templates "$root/templates" --out out >/dev/null); then
    check "empty environment" "$tmp/bare/out" "$tmp/bare/families"
else
    fail "empty environment: generate failed"
fi
runs=$((runs + 1))

# The --check of a reversed copy against the committed tree finds nothing to change.
copy_families "$tmp/check/families" reverse
cp families/README.md "$tmp/check/families/README.md"
(TZ=Pacific/Chatham LC_ALL=${locales[-1]} "$bin" generate --check --families "$tmp/check/families" \
    --out "$root/generated" >/dev/null) || fail "generate --check of a reversed copy found differences"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "determinism: $runs environments (locales: ${locales[*]}) give the committed bytes"
