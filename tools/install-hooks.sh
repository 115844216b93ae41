#!/usr/bin/env bash
# Installs hf2swift's git pre-push hook, which refuses a push unless `make check` passes on the commit
# pushed. Run it once per clone, and again after this script changes; --force replaces another hook.
set -euo pipefail
cd "$(dirname "$0")/.."

marker="# hf2swift pre-push hook"
hooks=$(git config core.hooksPath || git rev-parse --git-path hooks)
hook="$hooks/pre-push"
if [ -e "$hook" ] && ! grep -qF "$marker" "$hook" && [ "${1:-}" != --force ]; then
    echo "install-hooks: $hook exists and is not hf2swift's; rerun with --force to replace it" >&2
    exit 1
fi
mkdir -p "$hooks"

cat > "$hook.tmp" <<'HOOK'
#!/usr/bin/env bash
# hf2swift pre-push hook, installed by tools/install-hooks.sh: every commit pushed must pass
# `make check` (the generator builds; generated/, families/README.md, the schema and the goldens are
# what it produces). Any failure refuses the push, a missing toolchain included; `git push --no-verify`
# skips the hook.
set -uo pipefail

refuse() {
    echo "pre-push: $*" >&2
    echo "pre-push: push refused (fix it, or skip this hook knowingly with \`git push --no-verify\`)" >&2
    exit 1
}

# Git may export these for the repository it runs in; the checks below name their directories.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
top=$(git rev-parse --show-toplevel) || refuse "cannot find the work tree"
common=$(git -C "$top" rev-parse --path-format=absolute --git-common-dir) || refuse "cannot find the git directory"
command -v make >/dev/null 2>&1 || refuse "make is not installed, so \`make check\` cannot run"

# Each line on stdin: <local ref> <local sha> <remote ref> <remote sha>; an all-zero local sha deletes.
shas=()
while read -r _ local_sha _ _; do
    if [ -n "$local_sha" ] && [ -n "${local_sha//0/}" ]; then shas+=("$local_sha"); fi
done
[ "${#shas[@]}" -gt 0 ] || exit 0

head=$(git -C "$top" rev-parse HEAD 2>/dev/null || true)
checked=" "
for sha in "${shas[@]}"; do
    case "$checked" in *" $sha "*) continue ;; esac
    checked+="$sha "
    if [ "$sha" = "$head" ] && [ -z "$(git -C "$top" status --porcelain --untracked-files=all)" ]; then
        # The work tree is exactly the commit: check it in place, reusing its build.
        dir=$top
    else
        # Anything else (another commit, uncommitted or untracked files) is checked on the commit
        # itself, in a work tree kept between pushes so that its build stays incremental.
        dir="$common/hf2swift-pre-push"
        if git -C "$dir" rev-parse --git-dir >/dev/null 2>&1; then
            git -C "$dir" checkout --quiet --detach --force "$sha" && git -C "$dir" clean -ffdxq -e /build/ ||
                refuse "cannot check out ${sha:0:12} in $dir"
        else
            rm -rf "$dir"
            git -C "$top" worktree prune
            git -C "$top" worktree add --quiet --detach --force "$dir" "$sha" ||
                refuse "cannot check out ${sha:0:12} in $dir"
        fi
    fi
    echo "pre-push: make check on ${sha:0:12} in $dir" >&2
    make -C "$dir" check >&2 ||
        refuse "make check failed on ${sha:0:12}: the generator does not build, or generated/ (or another" \
               "derived file) is out of date; run \`make regen\` and commit the result"
done
exit 0
HOOK
chmod +x "$hook.tmp"
mv "$hook.tmp" "$hook"
echo "installed $hook: \`make check\` must pass on every commit pushed"
