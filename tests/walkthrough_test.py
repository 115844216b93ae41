#!/usr/bin/env python3
"""Runs the README's "adding a model" walkthrough (the sh block after `<!-- walkthrough -->`) in a
scratch copy of the repository from which the committed mimo family and its fixture are removed, and
requires every step to succeed and to leave what it promises: a family document, its generated
Swift, and a fixture that passes parity, each the same as the committed one, so the walkthrough
shows how mimo was added and cannot drift from it.

The copy shares the built engine (build/) and the Python environment (.venv/) with this checkout;
`make regen` in the block runs as `tools/regen.sh build/hf2swift`, since the copy's Makefile would
otherwise reconfigure the shared build directory for the copy's sources. The Swift package is the
mutation check's (tools/mutation_check.py) with the copy's generated/ as its models, so a run after
`make mutation-check` rebuilds only the models.

Usage: tests/walkthrough_test.py path/to/hf2swift
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import mutation_check  # noqa: E402

COPIED = ["families", "templates", "tools", "tests/data", "tests/fixtures/models", "tests/fixtures/transformers",
          "README.md", "Makefile"]
# What the walkthrough writes, which the copy starts without: the family document, the fixture's
# definition and the fixture itself (fixtures.json is rewritten whole by the recording step).
WRITTEN = ["families/mimo.yaml", "tests/fixtures/specs/mimo.json", "tests/fixtures/models/mimo"]
COPIED += ["tests/fixtures/specs"]


def walkthrough_script(readme: str) -> str:
    match = re.search(r"<!-- walkthrough -->\s*```sh\n(.*?)```", readme, re.S)
    if not match:
        raise SystemExit("README.md has no sh block after <!-- walkthrough -->")
    script = match.group(1)
    if "make regen" not in script:
        raise SystemExit("the walkthrough no longer runs make regen; update this test")
    return script.replace("make regen", "tools/regen.sh build/hf2swift")


def same_tree(committed: Path, written: Path) -> bool:
    """Whether a file, or a directory's files, hold the same bytes in both places."""
    if committed.is_file() or written.is_file():
        return committed.is_file() and written.is_file() and committed.read_bytes() == written.read_bytes()
    names = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(written) for p in written.rglob("*") if p.is_file()):
        return False
    return all(same_tree(committed / name, written / name) for name in names)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    engine = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="hf2swift-walkthrough-") as scratch:
        copy = Path(scratch) / "repo"
        for item in COPIED:
            source, target = ROOT / item, copy / item
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
        for item in WRITTEN:
            target = copy / item
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        (copy / "generated").mkdir()
        (copy / "build").mkdir()
        (copy / "build" / "hf2swift").symlink_to(engine)
        (copy / ".venv").symlink_to(ROOT / ".venv")
        subprocess.run([str(engine), "generate", "--families", str(copy / "families"), "--templates",
                        str(copy / "templates"), "--out", str(copy / "generated")], check=True)

        package = mutation_check.prepare_package(copy / "generated")
        env = dict(os.environ, HF2SWIFT_PACKAGE=str(package), HF2SWIFT_SCRATCH=str(mutation_check.SCRATCH / "build"))
        script = "set -euo pipefail\n" + walkthrough_script((ROOT / "README.md").read_text())
        result = subprocess.run(["bash", "-c", script], cwd=copy, env=env, text=True, capture_output=True)
        print(result.stdout[-6000:])
        if result.returncode != 0:
            print(result.stderr[-6000:], file=sys.stderr)
            print(f"walkthrough: a step failed (exit {result.returncode})", file=sys.stderr)
            return 1
        promised = [copy / "families" / "mimo.yaml", copy / "generated" / "MimoGenerated.swift",
                    copy / "tests" / "fixtures" / "models" / "mimo" / "expected.safetensors"]
        missing = [str(p.relative_to(copy)) for p in promised if not p.exists()]
        if missing:
            print(f"walkthrough: finished but did not produce {', '.join(missing)}", file=sys.stderr)
            return 1
        if "mlx-lm/mimo: pass" not in result.stdout:
            print("walkthrough: the parity step did not report mimo: pass", file=sys.stderr)
            return 1
        if "not known to the family (0)" not in result.stdout:
            print("walkthrough: after step 3, detect still finds keys the family does not know", file=sys.stderr)
            return 1
        differing = [item for item in WRITTEN if not same_tree(ROOT / item, copy / item)]
        if differing:
            print(f"walkthrough: wrote another {', '.join(differing)} than the one committed", file=sys.stderr)
            return 1
    print("walkthrough: every step ran; mimo is generated as committed and passes parity")
    return 0


if __name__ == "__main__":
    sys.exit(main())
