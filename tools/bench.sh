#!/usr/bin/env bash
# The speed of generation (`make bench`): wall time (median of repeated runs) and peak memory of one
# `hf2swift generate` process, for the real families and for 10, 100 and 1,000 synthetic ones
# (tools/make_synthetic_families.py), printed as a Markdown table. Nothing in the tree is touched:
# every run reads a copy of families/ and templates/ and writes into a temporary directory.
#
#   tools/bench.sh [HF2SWIFT] [RUNS]     defaults: build/hf2swift, 20 runs (5 for 1,000 families)
#
# Rows: `generate` into an empty directory (every file written), `generate` when the output is up to
# date (every file rendered and compared, nothing written), and `generate --check` (rendered and
# compared, exit 0). Runs share a scratch parse cache (src/parse_cache.h), which the first run fills;
# the "real, parse cache off" rows parse every document with yaml-cpp on every run. Times are wall
# clock of the whole process (and its user + system CPU time, which a busy machine disturbs less);
# peak memory is its maximum resident set (getrusage of the child). No test asserts any of this.
set -euo pipefail

bin=$(realpath "${1:-build/hf2swift}")
runs=${2:-20}
cd "$(dirname "$0")/.."
[ -x "$bin" ] || { echo "bench: no hf2swift at $bin (run make build)" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

python3 - "$bin" "$scratch" "$runs" <<'PY'
import os, pathlib, shutil, statistics, subprocess, sys, time

binary, scratch, runs = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
root = pathlib.Path.cwd()

environment = dict(os.environ, HF2SWIFT_CACHE_DIR=str(scratch / "parse-cache"))
environment.pop("HF2SWIFT_CACHE", None)

def run(args):
    """Runs hf2swift once; returns (wall seconds, peak RSS in KiB, CPU seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: hf2swift {' '.join(args)} exited {proc.returncode}:\n{err}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime

def tree(name, synthetic):
    """A families/templates copy; `synthetic` extra families (None: the real ones only)."""
    base = scratch / name
    if synthetic is None:
        shutil.copytree(root / "families", base / "families")
    else:
        subprocess.run([sys.executable, str(root / "tools/make_synthetic_families.py"), str(synthetic),
                        str(base / "families"), "--families", str(root / "families")], check=True)
    shutil.copytree(root / "templates", base / "templates")
    docs = sorted((base / "families").glob("*.yaml"))
    concrete = sum(1 for d in docs if "\nabstract: true" not in "\n" + d.read_text())
    return base, len(docs), concrete

def measure(base, n):
    paths = ["--families", str(base / "families"), "--templates", str(base / "templates")]
    out = base / "out"
    results = {}
    fresh = []
    for i in range(n):
        target = base / f"fresh{i}"
        fresh.append(run(["generate", *paths, "--out", str(target)]))
        shutil.rmtree(target)
    results["generate (empty output dir)"] = fresh
    run(["generate", *paths, "--out", str(out)])  # the up-to-date tree the next rows compare with
    results["generate (up to date)"] = [run(["generate", *paths, "--out", str(out)]) for _ in range(n)]
    results["generate --check"] = [run(["generate", "--check", *paths, "--out", str(out)]) for _ in range(n)]
    return results

rows = []
for label, synthetic, n in (("real", None, runs), ("real, parse cache off", None, runs), ("synthetic", 10, runs),
                            ("synthetic", 100, runs), ("synthetic", 1000, max(5, runs // 4))):
    base, docs, concrete = tree(f"{label}{synthetic or ''}".replace(", ", "-").replace(" ", "-"), synthetic)
    if label.endswith("cache off"):
        environment["HF2SWIFT_CACHE"] = "off"
    else:
        environment.pop("HF2SWIFT_CACHE", None)
    for command, samples in measure(base, n).items():
        walls = [w for w, _, _ in samples]
        median = statistics.median(walls)
        cpu = statistics.median(c for _, _, c in samples)
        rows.append((f"{label} + {synthetic}" if synthetic else label, docs, concrete, command, n,
                     median * 1000, min(walls) * 1000, cpu * 1000, max(r for _, r, _ in samples) / 1024,
                     median * 1000 / concrete))

print(f"hf2swift generate, one process per run; {os.cpu_count()} CPUs; "
      f"median of N runs (`tools/bench.sh {sys.argv[1]} {runs}`)\n")
print("| Families | Documents | Concrete | Command | N | Median wall | Min wall | Median CPU | Peak RSS "
      "| Wall per concrete family |")
print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, docs, concrete, command, n, median, low, cpu, rss, per in rows:
    print(f"| {name} | {docs} | {concrete} | `{command}` | {n} | {median:.1f} ms | {low:.1f} ms | {cpu:.1f} ms | "
          f"{rss:.1f} MB | {per:.2f} ms |")

# Linear growth: the time per concrete family stays flat from 100 to 1,000 synthetic families.
def per_family(family_label, command):
    return next(r[9] for r in rows if r[0] == family_label and r[3] == command)
for command in ("generate (up to date)", "generate --check"):
    ratio = per_family("synthetic + 1000", command) / per_family("synthetic + 100", command)
    print(f"\n`{command}`: time per family at 1,000 / at 100 synthetic families = {ratio:.2f} "
          f"(1.00 is linear)", end="")
print()
PY
