#!/usr/bin/env python3
"""DML006 on a real tree: suggestions, fixes applied, re-check, compile check.

    python3 bench/dml006_measure.py --kernel K --findings DML006.json --copy COPY
                                    [--build BUILD [--compile N --seed S]] [-j 2]
                                    [--out RESULT.json] [--devmlint EXE]

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
5. with BUILD, `make -C COPY O=BUILD -k path/file.o ...` (one make) for each
   patched file, or a random sample of N of them; an object this config does
   not build is counted apart, and a patched file that fails is compiled
   unpatched too (is the failure ours?).

Prints the counts; RESULT.json keeps them per file.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

EXE: list[str] = []


def _devmlint(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run(EXE + args, cwd=cwd, capture_output=True, text=True)


def _check_json(files: list[str], cwd: str, jobs: int) -> dict:
    r = _devmlint(
        ["check", "--no-cache", "-q", "-j", str(jobs), "--min-confidence", "low"]
        + ["--format", "json", *files],
        cwd,
    )
    if r.returncode not in (0, 1):
        raise SystemExit(f"devmlint check failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def _make(copy: str, build: str, objs: list[str], jobs: int) -> dict[str, tuple[str, str]]:
    """One `make -k` for all objects: {obj: (ok | not-built | failed, error lines)}."""
    start = time.time()
    r = subprocess.run(
        ["make", "-C", copy, f"O={build}", f"-j{jobs}", "-k", *objs],
        capture_output=True,
        text=True,
    )
    out = (r.stdout + r.stderr).splitlines()
    result = {}
    for obj in objs:
        path = os.path.join(build, obj)
        src = obj[:-2] + ".c"
        errors = [ln for ln in out if src in ln and ("error" in ln or "warning" in ln)]
        if os.path.exists(path) and os.path.getmtime(path) >= start and not errors:
            result[obj] = ("ok", "")
        elif any(f"No rule to make target '{obj}'" in ln for ln in out):
            result[obj] = ("not-built", "")
        else:
            result[obj] = ("failed", "\n".join(errors[:20]))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--findings", required=True)
    ap.add_argument("--copy", required=True)
    ap.add_argument("--build")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--compile", type=int, help="compile a random sample of this many files")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--out")
    ap.add_argument("--devmlint", help="the devmlint to run (default: `devmlint` on PATH)")
    args = ap.parse_args()
    exe = args.devmlint or shutil.which("devmlint")
    EXE[:] = [exe] if exe else [sys.executable, "-m", "analyzer.cli"]
    print(f"devmlint: {EXE[0]}")
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

    # 5. compile (a random sample of --compile files when given).
    if args.build:
        chosen = list(files)
        if args.compile and args.compile < len(chosen):
            chosen = sorted(random.Random(args.seed).sample(chosen, args.compile))
        objs = [name[:-2] + ".o" for name in chosen]
        t = time.monotonic()
        status = _make(copy, args.build, objs, args.jobs)
        print(f"compile: {len(objs)} objects in {time.monotonic() - t:.0f} s")
        failed = [o for o, (st, _) in status.items() if st == "failed"]
        if failed:  # is the failure ours? the same objects, unpatched
            saved = tempfile.mkdtemp(prefix="dml006-saved-")
            for obj in failed:
                name = obj[:-2] + ".c"
                shutil.copy2(os.path.join(copy, name), os.path.join(saved, name.replace("/", "%")))
                shutil.copy2(os.path.join(kernel, name), os.path.join(copy, name))
            unpatched = _make(copy, args.build, failed, args.jobs)
            for obj in failed:
                name = obj[:-2] + ".c"
                shutil.copy2(os.path.join(saved, name.replace("/", "%")), os.path.join(copy, name))
                if unpatched[obj][0] != "ok":
                    status[obj] = (f"failed-unpatched-too({unpatched[obj][0]})", status[obj][1])
        counts: dict[str, int] = {}
        for obj, (st, why) in sorted(status.items()):
            counts[st] = counts.get(st, 0) + 1
            report["files"][obj[:-2] + ".c"].update(compile=st, errors=why)
            print(f"  {st:10} {obj}")
            for ln in why.splitlines():
                print(f"      {ln}")
        print(f"compile: {counts}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
