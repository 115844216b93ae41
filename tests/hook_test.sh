#!/usr/bin/env bash
# The pre-push hook of tools/install-hooks.sh, in a scratch clone pushing to a local bare remote: a
# commit whose generated/ is stale is refused (also when the work tree holds the regenerated files
# uncommitted), so is a generator that does not build and a machine without make; the same work
# regenerated and committed is accepted. Slow: it builds the engine twice (`make hook-test`).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
step() { echo "--- $*"; }

git -c advice.detachedHead=false clone --quiet "$root" "$tmp/clone" || exit 1
git init --quiet --bare "$tmp/remote.git" || exit 1
cd "$tmp/clone" || exit 1
git config user.name "hf2swift hook test"
git config user.email "hook-test@localhost"
git remote add scratch "$tmp/remote.git"
# The installer under test, even before it is committed.
if ! cmp -s "$root/tools/install-hooks.sh" tools/install-hooks.sh; then
    cp "$root/tools/install-hooks.sh" tools/install-hooks.sh
    git add tools/install-hooks.sh && git commit --quiet -m "install-hooks.sh under test"
fi
tools/install-hooks.sh || exit 1
[ -x "$(git rev-parse --git-path hooks)/pre-push" ] || fail "no executable pre-push hook installed"

remote_main() { git --git-dir="$tmp/remote.git" rev-parse -q --verify refs/heads/main 2>/dev/null || echo none; }

# push_expect accepted|refused [why]: pushes HEAD to the remote's main (with $push_path as PATH, when
# set) and checks what happened.
push_expect() {
    local want=$1 why=${2:-} before after
    before=$(remote_main)
    env PATH="${push_path:-$PATH}" git push scratch HEAD:refs/heads/main >"$tmp/push.log" 2>&1
    local code=$?
    after=$(remote_main)
    if [ "$want" = accepted ]; then
        [ "$code" = 0 ] && [ "$after" = "$(git rev-parse HEAD)" ] ||
            { fail "push of $(git log -1 --format=%s) was not accepted:"; tail -n 30 "$tmp/push.log"; }
    else
        [ "$code" != 0 ] && [ "$after" = "$before" ] && grep -q "pre-push: push refused" "$tmp/push.log" ||
            { fail "push of $(git log -1 --format=%s) was not refused by the hook:"; tail -n 30 "$tmp/push.log"; }
        [ -z "$why" ] || grep -qF -- "$why" "$tmp/push.log" ||
            { fail "the refusal does not say '$why':"; tail -n 30 "$tmp/push.log"; }
    fi
}

# A family edited without `make regen`: its generated Swift and goldens no longer match.
edit_family() { sed -i "s/^description: .*/description: $1/" families/qwen2.yaml && git commit --quiet -am "$2"; }

step "a family edited, generated/ not regenerated: refused"
edit_family "Qwen2, edited without regenerating" "stale: qwen2 edited without make regen"
push_expect refused "out of date"

step "the same, regenerated and committed: accepted"
make regen >"$tmp/regen.log" 2>&1 || { fail "make regen failed"; tail -n 30 "$tmp/regen.log"; }
git add -A && git commit --quiet -m "regenerated"
push_expect accepted

step "stale commit, regenerated files left uncommitted in the work tree: refused (the commit is checked)"
edit_family "Qwen2, edited again" "stale again"
make regen >"$tmp/regen.log" 2>&1 || { fail "make regen failed"; tail -n 30 "$tmp/regen.log"; }
push_expect refused "out of date"
grep -q "in $(git rev-parse --path-format=absolute --git-common-dir)/hf2swift-pre-push" "$tmp/push.log" ||
    fail "the commit was not checked in a work tree of its own"
git add -A && git commit --quiet -m "regenerated again"
push_expect accepted

step "a generator that does not build: refused"
echo "#error this engine does not build" >> src/namer.cpp
git commit --quiet -am "broken build"
push_expect refused "make check failed"
git reset --quiet --hard HEAD~1

step "no make on PATH: refused"
mkdir -p "$tmp/nomake"
for tool in git bash rm; do ln -s "$(command -v "$tool")" "$tmp/nomake/$tool"; done
git commit --quiet --allow-empty -m "pushed without make"
push_path="$tmp/nomake" push_expect refused "make is not installed"

if [ "$failures" -ne 0 ]; then
    echo "hook test: $failures failure(s)"
    exit 1
fi
echo "hook test: ok"
