#!/usr/bin/env python3
"""DML006 on a real tree: suggestions, fixes applied, re-check, compile check.

    python3 bench/dml006_measure.py --kernel K --findings DML006.json --copy COPY
                                    [--build BUILD] [-j 2] [--out RESULT.json]

DML006.json is `cd K && devmlint check --select DML006 --min-confidence low
--format json drivers/` (paths relative to K).  COPY is a full copy of K
(`cp -a K COPY`); BUILD an O= directory for COPY, configured and prepared
(`make -C COPY O=BUILD allmodconfig prepare`).  For the files with a fix:

1. each file of COPY is reset from K (re-runs start from the pristine text);
2. `devmlint check --diff` over those files in K gives one patch, checked by
   `git apply --check` and `patch -p1 --dry-run` in COPY;
3. `devmlint check --fix` in COPY applies the fixes in place; the result must
   equal the patch applied with `patch -p1` (to a scratch copy), and a
   second `--fix` must change nothing;
4. every rule re-checks the patched files: each must parse (no error, no
   skip), no DML006 is left at a converted allocation, and no DML001-DML005
   finding is new (by fingerprint) against the same check of the originals;
5. with BUILD, `make -C COPY O=BUILD path/file.o` for each patched file;
   an object this config does not build is counted apart, and a patched file
   that fails is compiled unpatched too (is the failure ours?).

Prints the counts; RESULT.json keeps them per file.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def _devmlint(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    exe = shutil.which("devmlint")
    cmd = [exe] if exe else [sys.executable, "-m", "analyzer.cli"]
    return subprocess.run(cmd + args, cwd=cwd, capture_output=True, text=True)


def _check_json(files: list[str], cwd: str, jobs: int) -> dict:
    r = _devmlint(
        ["check", "--no-cache", "-q", "-j", str(jobs), "--min-confidence", "low"]
        + ["--format", "json", *files],
        cwd,
    )
    if r.returncode not in (0, 1):
        raise SystemExit(f"devmlint check failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def _make(copy: str, build: str, obj: str, jobs: int) -> tuple[str, str]:
    r = subprocess.run(
        ["make", "-C", copy, f"O={build}", f"-j{jobs}", obj],
        capture_output=True,
        text=True,
    )
    out = r.stdout + r.stderr
    if r.returncode == 0:
        return "ok", ""
    if "No rule to make target" in out or "don't know how to make" in out:
        return "not-built", ""
    errors = [ln for ln in out.splitlines() if "error" in ln.lower()]
    return "failed", "\n".join(errors[:20])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--findings", required=True)
    ap.add_argument("--copy", required=True)
    ap.add_argument("--build")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args()
    kernel, copy = os.path.abspath(args.kernel), os.path.abspath(args.copy)
    with open(args.findings, encoding="utf-8") as f:
        data = json.load(f)
    found = [x for x in data["findings"] if x["rule"] == "DML006"]
    fixed = [x for x in found if x["fix"]]
    files = sorted({x["file"] for x in fixed})
    print(f"suggestions: {len(found)} in {len({x['file'] for x in found})} files")
    print(f"with a fix: {len(fixed)} in {len(files)} files")
    report: dict = {"suggestions": len(found), "with_fix": len(fixed), "files": {}}
    if not files:
        return
    for name in files:  # 1. pristine
        shutil.copy2(os.path.join(kernel, name), os.path.join(copy, name))

    # 2. one patch, checked by git apply and patch.
    select = ["--select", "DML006", "--min-confidence", "low", "--no-cache", "-q"]
    diff = _devmlint(["check", *select, "--diff", *files], kernel)
    if diff.returncode not in (0, 1):
        raise SystemExit(f"--diff failed: {diff.stderr}")
    patch_file = os.path.join(tempfile.mkdtemp(prefix="dml006-"), "all.diff")
    with open(patch_file, "w", encoding="utf-8") as f:
        f.write(diff.stdout)
    patched_files = sorted(
        ln[6:].strip() for ln in diff.stdout.splitlines() if ln.startswith("+++ b/")
    )
    git = subprocess.run(["git", "apply", "--check", patch_file], cwd=copy, capture_output=True)
    dry = subprocess.run(
        ["patch", "-p1", "--dry-run", "-s", "-i", patch_file], cwd=copy, capture_output=True
    )
    print(f"patch: {len(patched_files)} files, {diff.stdout.count(chr(10))} lines")
    print(f"git apply --check: {'ok' if git.returncode == 0 else git.stderr.decode()}")
    print(f"patch -p1 --dry-run: {'ok' if dry.returncode == 0 else dry.stdout.decode()}")
    not_applied = [ln for ln in diff.stderr.splitlines() if "fix not applied" in ln]
    print(f"fixes not applied (overlap): {len(not_applied)}")
    for ln in not_applied:
        print("  " + ln)

    # 3. --fix in place equals the patch; a second --fix changes nothing.
    scratch = tempfile.mkdtemp(prefix="dml006-patch-")
    for name in files:
        os.makedirs(os.path.dirname(os.path.join(scratch, name)), exist_ok=True)
        shutil.copy2(os.path.join(kernel, name), os.path.join(scratch, name))
    subprocess.run(["patch", "-p1", "-s", "-i", patch_file], cwd=scratch, check=True)
    fix1 = _devmlint(["check", *select, "--fix", *files], copy)
    print(f"--fix: {fix1.stderr.strip().splitlines()[-1] if fix1.stderr.strip() else ''}")
    same = [n for n in files if filecmp.cmp(os.path.join(scratch, n), os.path.join(copy, n), False)]
    print(f"--fix result equals the patch: {len(same)}/{len(files)} files")
    snapshot = {n: open(os.path.join(copy, n), "rb").read() for n in files}
    fix2 = _devmlint(["check", *select, "--fix", *files], copy)
    changed2 = [n for n in files if open(os.path.join(copy, n), "rb").read() != snapshot[n]]
    print(f"second --fix: {len(changed2)} files changed ({fix2.stderr.strip()})")

    # 4. re-check with every rule.
    before = _check_json(files, kernel, args.jobs)
    after = _check_json(files, copy, args.jobs)
    converted = {x["fingerprint"] for x in fixed}  # line-independent
    old_prints = {x["fingerprint"] for x in before["findings"]}
    left006 = [x for x in after["findings"] if x["fingerprint"] in converted]
    new_other = [
        x for x in after["findings"] if x["rule"] != "DML006" and x["fingerprint"] not in old_prints
    ]
    bad_parse = after["summary"]["errors"] + after["summary"].get("skipped", 0)
    print(f"re-check: {after['summary']['files']} files, parse errors/skips {bad_parse}")
    print(f"  DML006 left at a converted allocation: {len(left006)}")
    print(f"  new DML001-DML005 findings: {len(new_other)}")
    for x in new_other:
        print(f"    {x['file']}:{x['line']}: {x['rule']} {x['message']}")
    still006 = [x for x in after["findings"] if x["rule"] == "DML006"]
    print(f"  DML006 still reported in patched files (no fix): {len(still006)}")
    for name in files:
        report["files"][name] = {"fix_equals_patch": name in same}

    # 5. compile.
    if args.build:
        counts: dict[str, int] = {}
        for name in files:
            obj = name[:-2] + ".o"
            t = time.monotonic()
            status, why = _make(copy, args.build, obj, args.jobs)
            if status == "failed":
                shutil.copy2(os.path.join(copy, name), os.path.join(scratch, "patched.c"))
                shutil.copy2(os.path.join(kernel, name), os.path.join(copy, name))
                orig, _ = _make(copy, args.build, obj, args.jobs)
                shutil.copy2(os.path.join(scratch, "patched.c"), os.path.join(copy, name))
                status = "failed" if orig == "ok" else f"failed-unpatched-too({orig})"
            counts[status] = counts.get(status, 0) + 1
            report["files"][name].update(compile=status, errors=why)
            print(f"  {status:10} {time.monotonic() - t:6.1f}s {obj}", flush=True)
            for ln in why.splitlines():
                print(f"      {ln}")
        print(f"compile: {counts}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
