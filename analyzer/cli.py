"""Command line: `devmlint check|rules|rule`.

Exit codes (DESIGN.md): 0 no findings, 1 findings, 2 usage or input error
(missing path, unreadable file, bad configuration).  Errors are one line
on stderr; no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

from analyzer import __version__, gate, progress, runner, summarydb
from analyzer import apis as api_tables
from analyzer import config as config_mod
from analyzer.apis import ApiError
from analyzer.cache import Cache, default_dir
from analyzer.checker import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Options
from analyzer.config import Config, ConfigError
from analyzer.findings import CONFIDENCES, Finding
from analyzer.frontend.flags import FlagsError, FrontendChoice, resolve
from analyzer.gate import GateError
from analyzer.ownership import ANY_MEMBER
from analyzer.plugins import PluginError, discover
from analyzer.report import github, json_format, patch, sarif, text

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_SOURCE_SUFFIXES = (".c", ".h")


class UsageError(Exception):
    """A problem with what the user asked for: message on stderr, exit 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="devmlint",
        description="Find kmalloc-family leaks and devm misuse in Linux kernel driver C.",
    )
    p.add_argument("--version", action="version", version=f"devmlint {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check C files or directories")
    c.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (*.c, *.h)")
    c.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    c.add_argument("--select", default="", help="comma-separated rule codes to run")
    c.add_argument("--ignore", default="", help="comma-separated rule codes to skip")
    c.add_argument(
        "--min-confidence",
        choices=CONFIDENCES,
        default=None,
        help="hide findings below this (default: medium; low adds tentative findings)",
    )
    c.add_argument("--config", metavar="FILE", help="configuration file (default: found upward)")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--diff-base", metavar="REV", help="only findings new since git revision REV")
    g.add_argument("--patch", metavar="FILE", help="only findings a patch (or - for stdin) adds")
    fx = c.add_mutually_exclusive_group()
    fx.add_argument("--diff", action="store_true", help="print one patch of all the fixes")
    fx.add_argument("--fix", action="store_true", help="apply the fixes in place")
    c.add_argument("--baseline", metavar="FILE", help="hide the findings saved in FILE")
    c.add_argument("--write-baseline", metavar="FILE", help="save the findings to FILE, exit 0")
    c.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: cores)")
    c.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="skip files larger than this"
    )
    c.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"skip a file that takes longer than this (default: {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    c.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="results cache (default: $DEVMLINT_CACHE_DIR, else $XDG_CACHE_HOME/devmlint)",
    )
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    c.add_argument("-q", "--quiet", action="store_true", help="no summary line, no progress bar")
    c.add_argument(
        "--frontend",
        choices=("auto", "treesitter", "clang"),
        default="auto",
        help="auto: libclang when compiler flags are available, else tree-sitter",
    )
    c.add_argument("--compile-commands", metavar="FILE", help="compile_commands.json for clang")
    c.add_argument(
        "--kernel-tree", metavar="DIR", help="configured and prepared kernel tree (or O= dir)"
    )
    c.add_argument(
        "--summaries",
        metavar="DB",
        help="summaries of functions in other files (from `devmlint summarize`; "
        "default: the built-in Linux 6.1 database; `none` for none)",
    )
    s = sub.add_parser(
        "summarize", help="build a database of what a tree's functions do to their arguments"
    )
    s.add_argument("paths", nargs="+", metavar="PATH", help="source tree(s) to summarise")
    s.add_argument("-o", "--output", required=True, metavar="DB", help="file to write (JSON)")
    s.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: cores)")
    s.add_argument("--passes", type=int, default=2, help="rounds, each using the last (default: 2)")
    s.add_argument(
        "--leftovers",
        action="store_true",
        help="one more round that records only which callers in other files lose what a "
        "failing function leaves (or would leave) in their structures, keeping the "
        "summaries of the rounds before",
    )
    sub.add_parser("rules", help="list the installed rules")
    r = sub.add_parser("rule", help="show a rule's documentation page")
    r.add_argument("code")
    return p


def discover_files(
    paths: list[str], entries: dict[str, os.DirEntry] | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """C files under the paths, sorted, and (path, error) for paths that are not there.

    `entries`, if given, receives the directory entry of each file found by
    walking a directory (for `Cache.lookup`: see there)."""
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(_walk(path, entries))
            if not found:
                errors.append((path, "no C files (*.c, *.h) in this directory"))
            files.extend(found)
        elif os.path.exists(path) or os.path.islink(path):
            files.append(path)
        else:
            errors.append((path, "no such file or directory"))
    seen: set[str] = set()
    return [f for f in files if not (f in seen or seen.add(f))], errors


def _walk(root: str, entries: dict[str, os.DirEntry] | None = None) -> Iterator[str]:
    """The C files under root, following directory symlinks, each directory once.

    What `os.walk(root, followlinks=True)` with a symlink-loop guard yields
    (directories in sorted order, preorder), but on `os.scandir` entries
    directly: over drivers/ (28,521 files in 1,825 directories) os.walk's
    per-entry generator work was 0.13 s of a 1 s one-file-change run.
    """
    visited: set[tuple[int, int]] = set()
    todo = [root]
    while todo:
        dirpath = todo.pop()
        try:
            st = os.stat(dirpath)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in visited:  # a symlink loop
            continue
        visited.add((st.st_dev, st.st_ino))
        subdirs: list[str] = []
        try:
            with os.scandir(dirpath) as listing:
                for entry in listing:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        subdirs.append(entry.name)
                    elif entry.name.endswith(_SOURCE_SUFFIXES):
                        if entries is not None:
                            entries[entry.path] = entry
                        yield entry.path
        except OSError:
            continue  # unreadable directory: os.walk skips it too
        subdirs.sort(reverse=True)  # popped in sorted order
        todo.extend(os.path.join(dirpath, d) for d in subdirs)


def _codes(text_value: str) -> set[str]:
    return {c.strip().upper() for c in text_value.split(",") if c.strip()}


def _config(args) -> Config:
    if args.config:
        return config_mod.load(Path(args.config))
    found = config_mod.find(os.path.commonpath([os.path.abspath(p) for p in args.paths or "."]))
    return config_mod.load(found) if found else Config()


def _choose(rules: dict, args, cfg: Config) -> list:
    """Rules to run: --select (else the config's select, else all) less both ignores."""
    for key, codes in (("select", cfg.select), ("ignore", cfg.ignore)):
        unknown = set(codes) - set(rules)
        if unknown:
            names = ", ".join(sorted(unknown))
            raise UsageError(f"{cfg.where(key)}: {key}: unknown rule code(s): {names}")
    unknown = (_codes(args.select) | _codes(args.ignore)) - set(rules)
    if unknown:
        raise UsageError(f"unknown rule code(s): {', '.join(sorted(unknown))}")
    selected = _codes(args.select) or set(cfg.select) or set(rules)
    return [rules[c] for c in sorted(selected - _codes(args.ignore) - set(cfg.ignore))]


def _read_patch(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(f"--patch: {name}: {exc.strerror or exc}") from None
    return data.decode("utf-8", "surrogateescape")


def _gate_changes(args, cfg: Config) -> list[gate.Change]:
    if args.diff_base:
        changes = gate.from_git(args.diff_base, args.paths)
    else:
        changes = gate.from_patch(_read_patch(args.patch))
        if args.paths:
            roots = [os.path.abspath(p) for p in args.paths]
            changes = [c for c in changes if _under(os.path.abspath(c.path), roots)]
    return [c for c in changes if not cfg.excluded(c.path)]


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _frontend(args) -> FrontendChoice:
    """--frontend/--compile-commands/--kernel-tree -> what this run parses with."""
    choice = resolve(args.frontend, args.compile_commands, args.kernel_tree, args.paths or [])
    if choice.mode == "clang":
        from analyzer.frontend import clang

        why = clang.available()
        if why is not None and args.frontend == "clang":
            raise UsageError(f"--frontend clang: {why}")
        if why is not None:
            print(f"devmlint: warning: using tree-sitter: {why}", file=sys.stderr)
            choice = FrontendChoice("treesitter", None, args.frontend)
    return choice


def cmd_check(args) -> int:
    if not args.no_cache:  # (before anything loads the API tables, the config included)
        api_tables.remember_prototypes(Path(args.cache_dir or default_dir()))
    rules, problems = discover()
    for problem in problems:
        print(f"devmlint: warning: {problem}", file=sys.stderr)
    gating = bool(args.diff_base or args.patch)
    if not args.paths and not gating:
        raise UsageError("check needs a PATH (or --diff-base REV / --patch FILE)")
    cfg = _config(args)
    chosen = _choose(rules, args, cfg)
    if args.summaries:  # a bad database is a usage error, before any work
        summarydb.load(args.summaries)  # (the built-in one loads where a file needs it)
    if args.timeout < 0 or args.max_bytes < 0 or args.jobs < 0:
        raise UsageError("--timeout, --max-bytes and --jobs take a number >= 0")
    choice = _frontend(args)
    options = Options(
        chosen,
        api_extra=cfg.api_extra,
        max_bytes=args.max_bytes,
        timeout=args.timeout,
        summaries=args.summaries,
        frontend=choice,
    )
    min_confidence = args.min_confidence or cfg.min_confidence or "medium"
    jobs = args.jobs or os.cpu_count() or 1
    start = time.monotonic()
    missing: list[tuple[str, str]] = []
    if gating:
        outcome = gate.run(_gate_changes(args, cfg), options, jobs)
        results, files = outcome.results, [r.path for r in outcome.results]
        for res in results:
            res.findings = []  # the gate's findings replace the files' own
        gated: list[Finding] = outcome.findings
        sources = outcome.sources
    else:
        entries: dict[str, os.DirEntry] = {}
        files, missing = discover_files(args.paths, entries)
        files = [f for f in files if not cfg.excluded(f)]
        for path, why in missing:
            print(f"devmlint: error: {path}: {why}", file=sys.stderr)
        if not files and missing:
            return EXIT_ERROR
        # Precise mode reads headers the cache does not watch: no cache there.
        uncached = args.no_cache or choice.mode == "clang"
        cache = None if uncached else Cache.open(args.cache_dir or default_dir(), options)
        show = progress.wanted(len(files), args.quiet)
        with progress.bar(len(files), min_confidence) if show else nullcontext() as advance:
            results = runner.run(files, options, jobs, cache, advance, entries)
        if cache is not None and cache.problem:
            print(f"devmlint: warning: {cache.problem}", file=sys.stderr)
        gated, sources = [], {}
    floor = CONFIDENCES.index(min_confidence)
    findings: list[Finding] = []
    errors = len(missing)
    skipped = 0
    functions = 0
    by_frontend: dict[str, int] = {}
    fallback: list[dict] = []
    for res in results:
        functions += res.functions
        for frontend in res.frontends.values():
            by_frontend[frontend] = by_frontend.get(frontend, 0) + 1
        for name, why in res.fallback.items():
            fallback.append({"file": res.path, "function": name, "reason": why})
        if res.error:
            errors += 1
            print(f"devmlint: error: {res.path}: {res.error}", file=sys.stderr)
        elif res.skipped:
            skipped += 1
            print(f"devmlint: warning: {res.path}: skipped: {res.skipped}", file=sys.stderr)
        findings.extend(res.findings)
    findings = [f for f in findings + gated if CONFIDENCES.index(f.confidence) >= floor]
    if args.baseline:
        findings = gate.filter_baseline(args.baseline, findings)
    findings.sort(key=Finding.sort_key)
    if (args.diff or args.fix) and not args.write_baseline:
        if gating:
            raise UsageError("--diff and --fix check files, not a patch (--diff-base / --patch)")
        apis = api_tables.load(cfg.api_extra)
        tidy = {cls.code: functools.partial(cls.tidy, apis=apis) for cls in chosen}
        patched, done, not_applied = patch.combine(findings, tidy)
        for f in not_applied:
            print(
                f"devmlint: warning: {f.file}:{f.line}: fix not applied (overlaps another)",
                file=sys.stderr,
            )
        if args.diff:
            sys.stdout.write(patch.unified(patched))
            if errors:
                return EXIT_ERROR
            return EXIT_FINDINGS if findings and not args.exit_zero else EXIT_CLEAN
        changed = patch.write(patched)
        print(f"devmlint: fixed {len(done)} findings in {changed} files", file=sys.stderr)
        fixed = {id(f) for f in done}
        findings = [f for f in findings if id(f) not in fixed]
    if args.write_baseline:
        gate.write_baseline(args.write_baseline, findings)
        print(f"devmlint: wrote {len(findings)} findings to {args.write_baseline}", file=sys.stderr)
        return EXIT_ERROR if errors else EXIT_CLEAN
    summary = {
        "files": len(files),
        "functions": functions,
        "findings": len(findings),
        "errors": errors,
        "skipped": skipped,
        "seconds": round(time.monotonic() - start, 2),
        "frontends": by_frontend,
    }
    if choice.mode == "clang":
        summary["fallback"] = fallback  # functions tree-sitter analysed, and why
    _write(args, findings, summary, chosen, sources)
    if errors:
        return EXIT_ERROR
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _write(
    args, findings: list[Finding], summary: dict, rules: list, sources: dict[str, bytes]
) -> None:
    out = sys.stdout
    if args.format == "json":
        json_format.write(out, findings, summary)
    elif args.format == "sarif":
        sarif.write(out, findings, summary, rules, _source_root())
    elif args.format == "github":
        github.write(out, findings, summary, _source_root())
    else:
        text.write(out, findings, summary, color=out.isatty(), sources=sources)
        if not args.quiet and not out.isatty():
            print(
                f"devmlint: {len(findings)} findings in {summary['files']} files, "
                f"{summary['errors']} errors, {summary['skipped']} skipped, "
                f"{summary['seconds']} s",
                file=sys.stderr,
            )


def _source_root() -> str:
    """SARIF paths are relative to the git work tree (as code scanning wants), else cwd."""
    try:
        return gate.git_root(".")
    except GateError:
        return os.getcwd()


def cmd_summarize(args) -> int:
    files, missing = discover_files(args.paths)
    for path, why in missing:
        print(f"devmlint: error: {path}: {why}", file=sys.stderr)
    if missing:
        return EXIT_ERROR
    jobs = args.jobs or os.cpu_count() or 1
    base = "none"
    for round_ in range(1, max(1, args.passes) + 1):
        start = time.monotonic()
        db = summarydb.build(files, jobs, base, source=" ".join(args.paths))
        summarydb.write(db, args.output)
        base = args.output
        summarydb.forget(args.output)
        print(
            f"devmlint: pass {round_}: {len(db.functions)} functions summarised "
            f"from {len(files)} files in {time.monotonic() - start:.0f} s",
            file=sys.stderr,
        )
    if args.leftovers:
        start = time.monotonic()
        lost = summarydb.build_lost_leftovers(files, jobs, base, source=" ".join(args.paths))
        db.lost_leftovers = lost
        summarydb.write(db, args.output)
        summarydb.forget(args.output)
        known = sum(any(c != ANY_MEMBER for _, c in keys) for keys in lost.values())
        print(
            f"devmlint: leftovers: {known} functions whose failure leftovers a caller in "
            f"another file loses, {len(lost) - known} more whose callers would lose what "
            f"they left, in {time.monotonic() - start:.0f} s",
            file=sys.stderr,
        )
    return EXIT_CLEAN


def cmd_rules(args) -> int:
    rules, problems = discover()
    for problem in problems:
        print(f"devmlint: warning: {problem}", file=sys.stderr)
    for code, cls in rules.items():
        origin = cls.__module__.split(".")[0]
        print(f"{code}  {cls.name:<28} {cls.summary}  [{origin}]")
    return EXIT_CLEAN


def cmd_rule(args) -> int:
    rules, _ = discover()
    cls = rules.get(args.code.upper())
    if cls is None:
        raise UsageError(f"no rule {args.code!r}; `devmlint rules` lists them")
    print(f"# {cls.code} {cls.name}\n\n{cls.summary}\n\n{cls.doc}".rstrip())
    return EXIT_CLEAN


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a CI job's timeout, `kill`): unwound like Ctrl-C, so the worker
    pool is shut down rather than left running without its parent."""


def _on_sigterm(signum, frame) -> None:
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    handlers = {
        "check": cmd_check,
        "summarize": cmd_summarize,
        "rules": cmd_rules,
        "rule": cmd_rule,
    }
    try:
        return handlers[args.command](args)
    except (
        UsageError,
        ApiError,
        PluginError,
        ConfigError,
        GateError,
        summarydb.SummaryDbError,
        FlagsError,
    ) as exc:
        print(f"devmlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except _Terminated:
        print("devmlint: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("devmlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
