"""Per-file results cache, so a re-run over an unchanged tree parses nothing.

An entry is valid for one configuration: the devmlint version, a hash of
the engine's and the rules' own source and data (an edited checkout must
not serve results of the code it replaced), the selected rules, the API
tables and user extensions, the summary database, and the options that
change a result (size and time limits).  Each configuration has a
directory of its own under the cache root, so changing the configuration
never serves, nor destroys, another's entries.

Inside it, entries are sharded by the directory of the checked file (one
JSON file a source directory, like ruff's per-package cache): a warm run
over drivers/ reads about 2,000 small files, and a run over one file
reads and rewrites one shard.  A file's entry is found by its
(mtime, size) first; when that changed, by the hash of its content (a
`touch` or a `git checkout` that restored the bytes costs a read, not a
parse).  An mtime too close to the time it was read is not trusted for
the first check (the file may change again within the same clock tick).
The macros the file's kbuild Makefile defines for it are part of its entry:
a Makefile that defines another macro makes the file's entry stale.

The default root is `$DEVMLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/devmlint`,
else `~/.cache/devmlint`: kernel trees are often read-only or shared, and
a `.devmlint_cache` inside them would show up in `git status`.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import __version__
from analyzer.checker import FileResult, Options
from analyzer.findings import Finding, Related
from analyzer.frontend import kbuild

FORMAT = 1  # bump when the stored layout changes
_RACY_NS = 2_000_000_000  # an mtime this close to the read is not trusted alone


def default_dir() -> Path:
    env = os.environ.get("DEVMLINT_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "devmlint"


def _source_files(options: Options) -> list[Path]:
    """The code whose edits must invalidate results: the engine, the rules, plugins."""
    roots = {Path(__file__).resolve().parent}
    files: set[Path] = set()
    for cls in options.rules:
        try:
            files.add(Path(inspect.getfile(cls)).resolve())
        except (TypeError, OSError):
            continue
    import rules  # the built-in package holds apis.toml

    roots.add(Path(rules.__file__).resolve().parent)
    for root in roots:
        files.update(p for p in root.rglob("*") if p.suffix in (".py", ".toml", ".json"))
    return sorted(files)


def _defines(path: str) -> list[str]:
    """What the file's Makefile defines for it (kbuild.defines_for): part of its input."""
    return sorted(kbuild.defines_for(path))


def config_key(options: Options) -> str:
    """The identity of everything besides a file's bytes that its result depends on."""
    h = hashlib.sha256()
    h.update(f"devmlint {__version__} cache {FORMAT}\n".encode())
    for path in _source_files(options):
        try:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(path.name.encode() + b"\0unreadable")
    # The summary database: the built-in one is a file of the rules package
    # (hashed above); a user's is hashed here; "none" is a name.
    db = options.summaries
    if db and db != "none":
        try:
            h.update(b"summaries\0" + Path(db).read_bytes())
        except OSError:
            h.update(f"summaries\0unreadable {db}".encode())
    rules = [f"{c.code}={c.__module__}.{c.__qualname__}" for c in options.rules]
    config = {
        "rules": rules,
        "api_extra": [data for data, _ in options.api_extra],
        "max_bytes": options.max_bytes,
        "timeout": options.timeout,
        "summaries": db,
        "frontend": repr(options.frontend),
    }
    h.update(json.dumps(config, sort_keys=True, default=str).encode())
    return h.hexdigest()[:24]


def encode(result: FileResult) -> dict:
    return {
        "findings": [f.to_json() for f in result.findings],
        "functions": result.functions,
        "error": result.error,
        "skipped": result.skipped,
    }


def decode(path: str, data: dict) -> FileResult:
    findings = []
    for f in data["findings"]:
        f = dict(f)
        f["related"] = [Related(**r) for r in f["related"]]
        findings.append(Finding(**f))
    return FileResult(
        path,
        findings=findings,
        functions=data["functions"],
        error=data["error"],
        skipped=data["skipped"],
    )


@dataclass
class _Shard:
    path: Path
    entries: dict[str, dict]
    dirty: bool = False


@functools.lru_cache(maxsize=4096)
def _absolute_dir(directory: str) -> str:
    """A directory's absolute path: asked once per directory, not once per
    file (a warm run over drivers/ looks up 28,521 files in 1,825 directories)."""
    return os.path.abspath(directory or ".")


@dataclass
class Cache:
    """Results of one configuration. `lookup` before checking, `store` after, `save` at the end."""

    root: Path
    key: str
    shards: dict[str, _Shard] = field(default_factory=dict)
    hits: int = 0
    problem: str | None = None  # why the cache could not be written, once

    @classmethod
    def open(cls, root: Path, options: Options) -> Cache:
        return cls(Path(root), config_key(options))

    def _shard(self, directory: str) -> _Shard:
        shard = self.shards.get(directory)
        if shard is None:
            name = hashlib.sha256(directory.encode("utf-8", "surrogateescape")).hexdigest()[:24]
            where = self.root / self.key / f"{name}.json"
            entries: dict[str, dict] = {}
            try:
                with open(where, encoding="utf-8") as f:
                    doc = json.load(f)
                if doc.get("dir") == directory and isinstance(doc.get("entries"), dict):
                    entries = doc["entries"]
            except (OSError, ValueError):
                pass  # absent or damaged: start the shard afresh
            shard = self.shards[directory] = _Shard(where, entries)
        return shard

    @staticmethod
    def _where(path: str) -> tuple[str, str]:
        directory, name = os.path.split(path)
        return _absolute_dir(directory), name

    def lookup(self, path: str, found: os.DirEntry | None = None) -> FileResult | None:
        """The stored result of this file as it is now, or None.

        `found`: the file's directory entry from the walk that found it, if
        any.  Its `stat()` is `os.stat(path)`, and for a symlink the one the
        walk's is-it-a-directory test already made (a symlinked copy of a
        tree, like the bench's, was otherwise stat'ed twice: 0.1 s of a
        one-file-change run over drivers/).
        """
        directory, name = self._where(path)
        entry = self._shard(directory).entries.get(name)
        if entry is None or entry.get("given") != path:
            return None
        if entry.get("defines", []) != _defines(path):
            return None  # its Makefile changed what it defines
        try:
            st = found.stat() if found is not None else os.stat(path)
        except OSError:
            return None
        if entry.get("stat") != [st.st_mtime_ns, st.st_size]:
            if entry.get("size") != st.st_size or not self._same_content(path, entry):
                return None
            entry["stat"] = self._trusted_stat(st.st_mtime_ns, st.st_size)
            self._shard(directory).dirty = True
        try:
            result = decode(path, entry["result"])
        except (KeyError, TypeError, ValueError):
            return None
        self.hits += 1
        return result

    @staticmethod
    def _same_content(path: str, entry: dict) -> bool:
        try:
            with open(path, "rb") as f:
                data = f.read(entry["size"] + 1)
        except (OSError, KeyError, TypeError):
            return False
        return hashlib.sha256(data).hexdigest() == entry.get("sha256")

    @staticmethod
    def _trusted_stat(mtime_ns: int, size: int) -> list[int] | None:
        if time.time_ns() - mtime_ns < _RACY_NS:
            return None  # could change again unseen within the same tick: hash next time
        return [mtime_ns, size]

    def store(self, result: FileResult) -> None:
        """Remember a result; input errors (unreadable, vanished) are not remembered."""
        if result.stamp is None or (result.error and not result.error.startswith("internal")):
            return
        mtime_ns, size, digest = result.stamp
        directory, name = self._where(result.path)
        shard = self._shard(directory)
        shard.entries[name] = {
            "given": result.path,
            "stat": self._trusted_stat(mtime_ns, size),
            "size": size,
            "sha256": digest,
            "defines": _defines(result.path),
            "result": encode(result),
        }
        shard.dirty = True

    def save(self) -> None:
        """Write the changed shards atomically; a cache that cannot be written is a notice."""
        for directory, shard in self.shards.items():
            if not shard.dirty:
                continue
            try:
                # (`dumps`, not `dump`: only a one-shot encoding uses the C
                # encoder; a cold run writes 9 MB of shards over drivers/,
                # 0.33 s -> 0.07 s, the same bytes)
                text = json.dumps({"dir": directory, "entries": shard.entries})
                shard.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=shard.path.parent, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                os.replace(tmp, shard.path)
                shard.dirty = False
            except OSError as exc:
                self.problem = f"cannot write the cache in {self.root}: {exc.strerror or exc}"
                return
