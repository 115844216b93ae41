#!/usr/bin/env bash
# The mlx-swift API contract, checked both ways against the Linux reference modules: every snippet in
# must_fail/ must be rejected by the type checker with the diagnostic its `// expect:` lines name, and
# every snippet in must_pass/ must type-check (with any warnings its `// expect:` lines name). Snippets
# are checked as library files (-parse-as-library) in Swift 6 mode, like generated model code.
# `// only-arch: x86_64` limits a snippet to that architecture. Then runs public_surface.sh, unless
# --snippets-only is given. Exits non-zero on any surprise. (-typecheck runs the type checker only, so
# snippets rely on type-checker diagnostics, not on the SIL-level region-isolation checks.)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
snippets_only=false
[ "${1:-}" = --snippets-only ] && snippets_only=true

modules=$("$here/build_reference.sh") || exit 2
arch=$(uname -m)
passed=0
failed=0
skipped=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

check() {  # check <must_fail|must_pass> <file>
    local kind=$1 file=$2 name rc only problem="" expect
    name="$kind/$(basename "$file")"
    only=$(sed -n 's|^// only-arch: *||p' "$file" | head -1)
    if [ -n "$only" ] && [ "$only" != "$arch" ]; then
        echo "skip  $name (only on $only)"
        skipped=$((skipped + 1))
        return
    fi
    swiftc -typecheck -swift-version 6 -parse-as-library -module-name Snippet -I "$modules" "$file" >"$out" 2>&1
    rc=$?
    if [ "$kind" = must_fail ] && [ $rc -eq 0 ]; then
        problem="type-checked, but mlx-swift rejects it"
    elif [ "$kind" = must_pass ] && [ $rc -ne 0 ]; then
        problem="rejected, but mlx-swift accepts it"
    fi
    if [ -z "$problem" ]; then
        while IFS= read -r expect; do
            if ! grep -qF -- "$expect" "$out"; then
                problem="the diagnostics lack the expected text: $expect"
                break
            fi
        done < <(sed -n 's|^// expect: *||p' "$file")
    fi
    if [ -z "$problem" ]; then
        echo "ok    $name"
        passed=$((passed + 1))
    else
        echo "FAIL  $name: $problem"
        grep -E "^[^ ].*:[0-9]+:[0-9]+: (error|warning):" "$out" | sed 's|^.*/||; s|^|        |' | head -6
        failed=$((failed + 1))
    fi
}

for f in "$here"/must_fail/*.swift; do check must_fail "$f"; done
for f in "$here"/must_pass/*.swift; do check must_pass "$f"; done
echo "api-contract snippets: $passed passed, $failed failed, $skipped skipped"

status=0
[ $failed -eq 0 ] || status=1
if ! $snippets_only; then
    API_CONTRACT_MODULES="$modules" "$here/public_surface.sh" || status=1
fi
exit $status
