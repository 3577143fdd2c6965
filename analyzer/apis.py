"""Load the kernel API tables (rules/apis.toml and user extensions).

Entries are C prototypes, parsed with pycparser so that the role of an
argument is named after the parameter the kernel header names ("pointer =
'objp'") and resolved to a position here, once.  pycparser needs every
type name declared, and kernel headers use hundreds (gfp_t, size_t,
irq_handler_t, ...): unknown names are declared as opaque typedefs on the
fly, which is all the parse needs.
"""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import hashlib
import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import __version__

if TYPE_CHECKING:
    from pycparser import c_ast

ROLES = (
    "allocator",
    "reallocator",
    "free",
    "sink",
    "transfer",
    "unlink",
    "load",
    "condition",
    "error",
    "count",
    "fills",
    "empties",
    "setter",
    "getter",
)
# Roles of calls that act on the structure their `pointer` argument points to
# (`sg_alloc_table(&x->sgt, ..)` / `sg_free_table(&x->sgt)`): the engine reads
# them as summaries of callees, not as calls that return or take a block.
STRUCT_ROLES = ("fills", "empties")
# Roles whose entries name the argument they act on (`pointer`).
_POINTED = frozenset(ROLES) - {"allocator", "error", "count"}
_ANNOT = re.compile(r"\b(__user|__iomem|__rcu|__force|__must_check|__malloc|const\s+const)\b")
_WHERE = re.compile(r":(\d+):(\d+):")
_LAST_WORD = re.compile(r"(\w+)[\s*]*$")


class ApiError(ValueError):
    """A bad API table entry; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Api:
    """What one kernel function does to memory."""

    name: str
    role: str  # one of ROLES
    params: tuple[str, ...]
    family: str = ""
    families: tuple[str, ...] = ()
    failure: str = "null"  # allocators: "null" or "err_ptr"
    managed: bool = False
    pointer: int | None = None  # index of the argument the role is about
    device: int | None = None  # managed: index of the owning device argument
    drvdata: bool = False
    into: int | None = None  # sinks written as calls: the index of the place stored into
    always: bool = False  # sinks: takes the pointer even when it fails (`*_or_reset`)
    # pointer sinks: a NULL or ERR_PTR result means it failed and kept nothing
    # (`kthread_run()`); the others return an old value (`xchg()`)
    result_fails: bool = False
    node: bool = False  # sinks: `pointer` is a list/hash/tree node an [[unlink]] takes off
    mutual: bool = False  # sinks: links the pointer and the other node both ways (a list)
    test: str = ""  # condition entries: "value" | "not" | "is_err" | "is_err_or_null"
    returns_pointer: bool = True
    # allocators: an object that is not itself memory DML001 reports (a
    # net_device), tracked so that memory it holds is seen freed with it
    holder: bool = False
    # allocators: a block that exists only to be handed over (a devres entry,
    # until devres_add()): kept at any exit, success or not, it is lost
    transient: bool = False
    # [[fills]]: the member of the structure that receives the new memory
    # (`out->pointer`); "" for what the structure holds as a whole.
    # Holder allocators: the member that points to the private area the
    # object was made with (`hw->priv`), read as the object itself
    member: str = ""
    # [[fills]]: a word the calling function must name for the entry to apply
    # (`ACPI_ALLOCATE_BUFFER`: otherwise the caller supplied the buffer)
    requires: str = ""
    # [[fills]]: a member of the structure that is zero exactly when nothing
    # was filled (`out.length`): a test of it is a test of `member`
    size: str = ""


@dataclass(frozen=True, slots=True)
class DriverType:
    """A driver struct ([[driver]] in apis.toml): which initialiser fields bind
    the probe, remove/disconnect and shutdown callbacks (designator paths)."""

    types: tuple[str, ...]
    probe: tuple[str, ...]
    remove: tuple[str, ...]
    shutdown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IteratorType:
    """An iterator ops struct ([[iterator]] in apis.toml): the callbacks that
    make the iteration state, step it and end it, and the parameter through
    which the framework hands the state back to the last two."""

    types: tuple[str, ...]
    start: str
    next: str
    stop: str
    state: int


class GlobSet:
    """Does a name match any of these globs: `any(fnmatchcase(name, p) for p in
    patterns)`, three to four times faster on the names that match none.

    Nearly every glob of apis.toml is a word with stars only at its ends
    (`*register*`, `*_add`, `add_*`) or none: such a glob is a substring,
    suffix, prefix or equality test, and the substrings are searched for in
    one pass of one pattern.  The others (`*_set_*data`) are matched as
    fnmatch translates them.  (tests/test_apis.py checks the answers
    against fnmatchcase.)
    """

    def __init__(self, patterns: list[str]) -> None:
        self.exact: set[str] = set()
        prefixes: list[str] = []
        suffixes: list[str] = []
        infixes: list[str] = []
        others: list[str] = []
        for p in patterns:
            core = p.strip("*")
            if any(c in core for c in "*?["):
                others.append(p)
            elif p.startswith("*") and p.endswith("*"):
                infixes.append(core)  # (`*` alone: "" is in every name)
            elif p.startswith("*"):
                suffixes.append(core)
            elif p.endswith("*"):
                prefixes.append(core)
            else:
                self.exact.add(p)
        self.prefixes, self.suffixes = tuple(prefixes), tuple(suffixes)
        self.infixes = re.compile("|".join(map(re.escape, infixes))) if infixes else None
        self.others = (
            re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in others)) if others else None
        )

    def match(self, name: str) -> bool:
        return (
            name in self.exact
            or name.startswith(self.prefixes)
            or name.endswith(self.suffixes)
            or (self.infixes is not None and self.infixes.search(name) is not None)
            or (self.others is not None and self.others.match(name) is not None)
        )


@dataclass
class ApiTable:
    """Name -> APIs; a function may have several roles (sink of two arguments)."""

    by_name: dict[str, list[Api]] = field(default_factory=dict)
    # Name patterns of unknown callees (see [[keeps]] and [[constructs]] in apis.toml).
    keeps_patterns: list[str] = field(default_factory=list)
    constructs_patterns: list[str] = field(default_factory=list)
    releases_patterns: list[str] = field(default_factory=list)
    teardown_patterns: list[str] = field(default_factory=list)
    borrows_patterns: list[str] = field(default_factory=list)
    advances_patterns: list[str] = field(default_factory=list)
    passes_patterns: list[str] = field(default_factory=list)
    initializers_patterns: list[str] = field(default_factory=list)
    drops_patterns: list[str] = field(default_factory=list)
    frees_patterns: list[str] = field(default_factory=list)
    # The driver model (analyzer/drivers.py): driver structs and drvdata getters.
    drivers: list[DriverType] = field(default_factory=list)
    iterators: list[IteratorType] = field(default_factory=list)
    drvdata_getters: dict[str, Api] = field(default_factory=dict)
    # Allocators whose memory starts zeroed (see [[zeroes]] in apis.toml).
    zeroes_patterns: list[str] = field(default_factory=list)
    # Callees that take a reference (see [[gets]] in apis.toml).
    gets_patterns: list[str] = field(default_factory=list)
    # Error code constants besides errnos (see [[error_codes]] in apis.toml).
    error_code_patterns: list[str] = field(default_factory=list)
    # Success codes that are zero (see [[success_codes]] in apis.toml).
    success_code_patterns: list[str] = field(default_factory=list)
    # Errnos that say a request was taken (see [[pending_codes]] in apis.toml).
    pending_code_patterns: list[str] = field(default_factory=list)
    # Loop macros whose first argument is the cursor (see [[cursors]] in apis.toml).
    cursor_patterns: list[str] = field(default_factory=list)
    # Functions whose results a manager releases (see [[managed_results]] in apis.toml).
    managed_result_patterns: list[str] = field(default_factory=list)
    # Callees that only store a callback for later (see [[callback_setters]] in apis.toml).
    callback_setter_patterns: list[str] = field(default_factory=list)
    # [[fills]] and [[empties]] entries by name (kept out of by_name: see STRUCT_ROLES)
    structs: dict[str, Api] = field(default_factory=dict)
    # [[counterparts]]: an ops-table field -> the fields whose callback undoes
    # it (`open` -> `close`, `release`): see counterparts()
    undoers: dict[str, list[str]] = field(default_factory=dict)
    _cache: dict[tuple[str, str], bool | frozenset[str]] = field(default_factory=dict, repr=False)
    _compiled: dict[str, GlobSet] = field(default_factory=dict, repr=False)

    def keeps(self, name: str | None) -> bool:
        """Does a callee of this name (not otherwise known) keep its arguments?"""
        return self._matches("keeps", self.keeps_patterns, name)

    def constructs(self, name: str | None) -> bool:
        """Does a callee of this name return a new object rather than a view of an argument?"""
        return self._matches("constructs", self.constructs_patterns, name)

    def releases(self, name: str | None) -> bool:
        """Might a callee of this name release memory reachable from what it is given?"""
        return self._matches("releases", self.releases_patterns, name)

    def tears_down(self, name: str | None) -> bool:
        """Is a callee of this name a whole-object teardown (disconnect, destroy, fini)?"""
        return self._matches("teardown", self.teardown_patterns, name)

    def success_code(self, name: str | None) -> bool:
        """Is this constant a success code equal to 0 (`AE_OK`)?"""
        return self._matches("success_codes", self.success_code_patterns, name)

    def pending_code(self, name: str | None) -> bool:
        """Is this errno the news that a request was taken and completes later
        (`-EINPROGRESS`), not a failure?"""
        return self._matches("pending_codes", self.pending_code_patterns, name)

    def error_code(self, name: str | None) -> bool:
        """Is this constant an error code (`AE_NOT_FOUND`), as an errno is?"""
        return self._matches("error_codes", self.error_code_patterns, name)

    def advances(self, name: str | None) -> bool:
        """Is a callee of this name given `&p` only to move p along (or set it
        within) the string p points into (`strsep(&opts, ",")`)?"""
        return self._matches("advances", self.advances_patterns, name)

    def passes(self, name: str | None) -> bool:
        """Does a callee of this name return its first argument, or a pointer
        into the string it points to (`strim(buf)`, `skip_spaces(buf)`)? Its
        result is that block, wherever it is stored."""
        return self._matches("passes", self.passes_patterns, name)

    def initializes(self, name: str | None) -> bool:
        """Is this an initializer's name (`init_waitqueue_head`, `INIT_LIST_HEAD`):
        it sets up what it is given, even where another pattern reads as a keeper?"""
        return self._matches("initializers", self.initializers_patterns, name)

    def borrows(self, name: str | None) -> bool:
        """Is a callee of this name known to only use what it is given (init, lock, log)?"""
        return self._matches("borrows", self.borrows_patterns, name)

    def drops(self, name: str | None) -> bool:
        """Does a callee of this name drop a reference to the object whose
        embedded member it is given (`put_device(&x->dev)` may free x)?"""
        return self._matches("drops", self.drops_patterns, name)

    def frees(self, name: str | None) -> bool:
        """Does a release-named callee of this name free what it is given
        (`dma_free_coherent`), rather than only unhook it?"""
        return self._matches("frees", self.frees_patterns, name)

    def gets(self, name: str | None) -> bool:
        """Does a callee of this name take a reference (`get_device`, `kref_get`)?"""
        return self._matches("gets", self.gets_patterns, name)

    def sets_cursor(self, name: str | None) -> bool:
        """Is this a loop macro that sets its first argument to each element in
        turn (`list_for_each_entry(pos, head, member)`)?"""
        return self._matches("cursors", self.cursor_patterns, name)

    def manages_result(self, name: str | None) -> bool:
        """Does a manager (devres) release what a function of this name returns,
        whatever its body allocates (`devm_clk_hw_register_fixed_factor`)?"""
        return self._matches("managed_results", self.managed_result_patterns, name)

    def sets_callback(self, name: str | None) -> bool:
        """Does a callee of this name only store the callback it is given, for
        something else to run later (`INIT_WORK(&w->work, fn)`)?"""
        return self._matches("callback_setters", self.callback_setter_patterns, name)

    def zeroes(self, name: str | None) -> bool:
        """Does this allocator return zeroed memory (`kzalloc`, `vzalloc`)?"""
        return self._matches("zeroes", self.zeroes_patterns, name)

    def driver_type(self, struct_type: str) -> DriverType | None:
        """The [[driver]] entry whose `types` name this struct (`platform_driver`)."""
        return next((dt for dt in self.drivers if struct_type in dt.types), None)

    def counterparts(self, setup_field: str, undo_field: str) -> bool:
        """Does the callback in ops-table field `undo_field` undo the one in
        `setup_field` (`.open`/`.close`, `.probe`/`.remove`, `.pcm_open`/
        `.pcm_close`: a shared prefix or suffix is allowed)?"""
        for setup, undos in self.undoers.items():
            head, found, tail = setup_field.partition(setup)
            if found and any(undo_field == head + u + tail for u in undos):
                return True
        return False

    def _matches(self, kind: str, patterns: list[str], name: str | None) -> bool:
        if not name:
            return False
        hit = self._cache.get((kind, name))
        if hit is None:
            # One matcher per kind (most names are new to a file: see GlobSet).
            compiled = self._compiled.get(kind)
            if compiled is None:
                compiled = self._compiled[kind] = GlobSet(patterns)
            hit = self._cache[(kind, name)] = compiled.match(name)
        return hit

    def lookup(self, name: str | None) -> list[Api]:
        if name is None:
            return []
        return self.by_name.get(name, [])

    def role(self, name: str | None, role: str) -> Api | None:
        for api in self.lookup(name):
            if api.role == role:
                return api
        return None

    def holder_families(self) -> frozenset[str]:
        """Families of the allocators marked `holder` (see Api.holder)."""
        return self._families_marked("holder")

    def transient_families(self) -> frozenset[str]:
        """Families of the allocators marked `transient` (see Api.transient)."""
        return self._families_marked("transient")

    def _families_marked(self, flag: str) -> frozenset[str]:
        key = (f"{flag} families", "")
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = frozenset(
                a.family for apis in self.by_name.values() for a in apis if getattr(a, flag)
            )
        return found

    def private_members(self) -> dict[str, frozenset[str]]:
        """Member -> the holder allocators whose object's private area it
        points to (`priv` of ieee80211_alloc_hw()'s object: see Api.member)."""
        key = ("private members", "")
        found = self._cache.get(key)
        if found is None:
            members: dict[str, set[str]] = {}
            for apis in self.by_name.values():
                for a in apis:
                    if a.holder and a.member:
                        members.setdefault(a.member, set()).add(a.name)
            found = self._cache[key] = {m: frozenset(f) for m, f in members.items()}
        return found

    def names(self, role: str) -> set[str]:
        if role in STRUCT_ROLES:
            return {n for n, api in self.structs.items() if api.role == role}
        return {n for n, apis in self.by_name.items() if any(a.role == role for a in apis)}

    def add(self, api: Api) -> None:
        self._cache.pop(("holder families", ""), None)
        self._cache.pop(("transient families", ""), None)
        self._cache.pop(("private members", ""), None)
        if api.role in STRUCT_ROLES:
            self.structs[api.name] = api
            return
        entries = self.by_name.setdefault(api.name, [])
        entries[:] = [e for e in entries if (e.role, e.pointer) != (api.role, api.pointer)]
        entries.append(api)

    def merge(self, data: dict, origin: str) -> None:
        """Add the entries of a parsed TOML document (same schema as apis.toml)."""
        for section, target in (
            ("keeps", self.keeps_patterns),
            ("constructs", self.constructs_patterns),
            ("releases", self.releases_patterns),
            ("teardown", self.teardown_patterns),
            ("borrows", self.borrows_patterns),
            ("advances", self.advances_patterns),
            ("passes", self.passes_patterns),
            ("initializers", self.initializers_patterns),
            ("drops", self.drops_patterns),
            ("frees", self.frees_patterns),
            ("zeroes", self.zeroes_patterns),
            ("gets", self.gets_patterns),
            ("error_codes", self.error_code_patterns),
            ("success_codes", self.success_code_patterns),
            ("pending_codes", self.pending_code_patterns),
            ("cursors", self.cursor_patterns),
            ("managed_results", self.managed_result_patterns),
            ("callback_setters", self.callback_setter_patterns),
        ):
            for i, entry in enumerate(data.get(section, [])):
                patterns = entry.get("patterns") if isinstance(entry, dict) else None
                if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                    raise ApiError(
                        f"{origin}: [[{section}]] entry {i + 1} needs 'patterns', a list"
                    )
                target.extend(patterns)
        for i, entry in enumerate(data.get("counterparts", [])):
            setup = entry.get("setup") if isinstance(entry, dict) else None
            undo = entry.get("undo") if isinstance(entry, dict) else None
            if not isinstance(setup, str) or not (
                isinstance(undo, list) and all(isinstance(u, str) for u in undo)
            ):
                raise ApiError(
                    f"{origin}: [[counterparts]] entry {i + 1} needs 'setup', a string, "
                    "and 'undo', a list of strings"
                )
            self.undoers.setdefault(setup, []).extend(undo)
        self._cache.clear()
        self._compiled.clear()
        self._merge_driver_model(data, origin)
        for role in ROLES:
            for i, entry in enumerate(data.get(role, [])):
                where = f"{origin}: [[{role}]] entry {i + 1}"
                for api in _entries(role, entry, where):
                    self.add(api)

    def _merge_driver_model(self, data: dict, origin: str) -> None:
        for i, entry in enumerate(data.get("driver", [])):
            where = f"{origin}: [[driver]] entry {i + 1}"
            if not isinstance(entry, dict):
                raise ApiError(f"{where}: expected a table")
            lists = {}
            for key in ("types", "probe", "remove", "shutdown"):
                value = entry.get(key, [])
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ApiError(f"{where}: {key!r} must be a list of names")
                lists[key] = tuple(value)
            unknown = set(entry) - set(lists)
            if unknown:
                raise ApiError(f"{where}: unknown key {sorted(unknown)[0]!r}")
            if not lists["types"] or not lists["probe"]:
                raise ApiError(f"{where}: needs 'types' and 'probe'")
            self.drivers.append(DriverType(**lists))
        for i, entry in enumerate(data.get("iterator", [])):
            self.iterators.append(_iterator(entry, f"{origin}: [[iterator]] entry {i + 1}"))
        for i, entry in enumerate(data.get("drvdata_getter", [])):
            where = f"{origin}: [[drvdata_getter]] entry {i + 1}"
            for api in _entries("drvdata_getter", entry, where):
                self.drvdata_getters[api.name] = api


def _iterator(entry, where: str) -> IteratorType:
    if not isinstance(entry, dict):
        raise ApiError(f"{where}: expected a table")
    unknown = set(entry) - {"types", "start", "next", "stop", "state"}
    if unknown:
        raise ApiError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    types = entry.get("types")
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        raise ApiError(f"{where}: 'types' must be a list of struct names")
    names = {key: entry.get(key) for key in ("start", "next", "stop")}
    for key, value in names.items():
        if not isinstance(value, str) or not value:
            raise ApiError(f"{where}: {key!r} must name a field")
    state = entry.get("state")
    if not isinstance(state, int) or isinstance(state, bool) or state < 0:
        raise ApiError(f"{where}: 'state' must be a parameter index (0, 1, ...)")
    return IteratorType(tuple(types), state=state, **names)


class _Prototypes:
    """What `_entries` reads of a parsed prototype: (name, parameter names,
    returns a pointer), by prototype text, parsed once.

    Parsing the 175 prototypes of apis.toml (and importing pycparser) was
    0.04 s of every process start, so a run with a results cache keeps them
    there (`remember_prototypes`), in a file named after this module's
    source: a prototype not found there is parsed (a new or edited table
    entry, a user's extension), and an edit of the parsing code starts a new
    file.  Prototypes that do not parse are never kept (they raise again).
    """

    def __init__(self) -> None:
        self.parsed: dict[str, tuple[str, tuple[str, ...], bool]] = {}
        self.path: Path | None = None
        self.dirty = False

    def remember_in(self, directory: Path) -> None:
        source = Path(__file__).read_bytes()
        key = hashlib.sha256(f"{__version__}\0".encode() + source).hexdigest()[:16]
        self.path = Path(directory) / f"prototypes-{key}.json"
        try:
            with open(self.path, encoding="utf-8") as f:
                for proto, (name, params, pointer) in json.load(f).items():
                    self.parsed.setdefault(
                        proto, (str(name), tuple(map(str, params)), bool(pointer))
                    )
        except (OSError, ValueError, TypeError):
            pass  # absent or damaged: parsed, and written afresh

    def get(self, proto: str) -> tuple[str, tuple[str, ...], bool]:
        known = self.parsed.get(proto)
        if known is None:
            from pycparser import c_ast  # (imported on use: most starts parse nothing)

            decl = _declared(proto)
            pointer = isinstance(decl.type.type, c_ast.PtrDecl)
            known = self.parsed[proto] = (decl.name, tuple(_param_names(decl)), pointer)
            self.dirty = True
        return known

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps({k: [n, list(p), r] for k, (n, p, r) in self.parsed.items()}))
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            pass  # a cache that cannot be written: parsed again next time


_PROTOTYPES = _Prototypes()


def remember_prototypes(directory: Path) -> None:
    """Keep parsed prototypes in `directory` (the results cache's) across runs."""
    _PROTOTYPES.remember_in(directory)


def _declared(proto: str) -> c_ast.FuncDecl:
    """Parse one prototype, declaring unknown type names as we meet them."""
    from pycparser import c_ast, c_parser
    from pycparser.c_parser import ParseError

    parser = c_parser.CParser()
    text = _ANNOT.sub("", proto).strip().rstrip(";") + ";"
    typedefs = _type_words(text)
    for _ in range(16):
        src = "".join(f"typedef int {t};\n" for t in typedefs) + text
        try:
            ast = parser.parse(src)
        except ParseError as exc:
            unknown = _unknown_type(src, str(exc))
            if unknown is None or unknown in typedefs:
                raise ApiError(f"cannot parse prototype {proto!r}: {exc}") from None
            typedefs.append(unknown)
            continue
        decl = ast.ext[-1]
        ftype = getattr(decl, "type", None)
        if isinstance(ftype, c_ast.FuncDecl):
            return decl
        raise ApiError(f"not a function prototype: {proto!r}")
    raise ApiError(f"cannot parse prototype {proto!r}: too many unknown type names")


_C_WORDS = set(
    "void char short int long float double signed unsigned const volatile struct union "
    "enum static extern inline restrict register _Bool".split()
)
_TYPE_POSITION = re.compile(r"(?<![\w])(\w+)(?=\s*\*|\s+\w)")


def _type_words(text: str) -> list[str]:
    """Words in type position (followed by a name or '*') that C does not define."""
    out = []
    for m in _TYPE_POSITION.finditer(text):
        word = m.group(1)
        before = text[: m.start()].rstrip()
        if word in _C_WORDS or before.endswith(("struct", "union", "enum")):
            continue
        if word not in out:
            out.append(word)
    return out


def _unknown_type(src: str, error: str) -> str | None:
    """The word just before the parse error: a type name pycparser did not know."""
    m = _WHERE.search(error)
    if not m:
        return None
    line, col = int(m.group(1)), int(m.group(2))
    lines = src.split("\n")
    if not 0 < line <= len(lines):
        return None
    word = _LAST_WORD.search(lines[line - 1][: col - 1])
    return word.group(1) if word else None


def _param_names(decl) -> list[str]:
    from pycparser import c_ast

    names = []
    args = decl.type.args.params if decl.type.args is not None else []
    for p in args:
        if isinstance(p, c_ast.EllipsisParam):
            continue
        names.append(getattr(p, "name", None) or "")
    return names


def _param_index(entry: dict, key: str, params: list[str], where: str) -> int | None:
    """The position of the parameter an entry names under `key` (None if it names none)."""
    wanted = entry.get(key)
    if wanted is None:
        return None
    if wanted not in params:
        raise ApiError(f"{where} has no parameter named {wanted!r}")
    return params.index(wanted)


def _entries(role: str, entry: dict, where: str):
    if not isinstance(entry, dict):
        raise ApiError(f"{where}: expected a table")
    protos = entry.get("prototypes", [])
    if isinstance(entry.get("prototype"), str):
        protos = [*protos, entry["prototype"]]
    if not protos or not all(isinstance(p, str) for p in protos):
        raise ApiError(f"{where}: needs 'prototypes', a list of C prototypes")
    known = {"prototypes", "prototype", "family", "families", "failure", "managed"}
    known |= {"pointer", "device", "drvdata", "test", "into", "always", "holder", "transient"}
    known |= {"member", "requires", "size", "mutual", "result_fails", "node"}
    for key in entry:
        if key not in known:
            raise ApiError(f"{where}: unknown key {key!r}")
    failure = entry.get("failure", "null")
    if failure not in ("null", "err_ptr"):
        raise ApiError(f"{where}: failure must be 'null' or 'err_ptr', not {failure!r}")
    test = entry.get("test", "")
    if role == "condition" and test not in ("value", "not", "is_err", "is_err_or_null"):
        raise ApiError(f"{where}: test must be 'value', 'not', 'is_err' or 'is_err_or_null'")
    for proto in protos:
        name, param_names, returns_pointer = _PROTOTYPES.get(proto)
        params = list(param_names)

        pointer = _param_index(entry, "pointer", params, f"{where}: {proto!r}")
        if role in _POINTED and pointer is None:
            raise ApiError(f"{where}: {role} entries need 'pointer' (a parameter name)")
        if role in ("setter", "getter") and not str(entry.get("member", "")).isidentifier():
            raise ApiError(f"{where}: {role} entries need 'member' (a member name)")
        if role == "setter" and entry.get("into") is None:
            raise ApiError(f"{where}: setter entries need 'into' (a parameter name)")
        if role in ("allocator", "reallocator", "fills") and not entry.get("family"):
            raise ApiError(f"{where}: {role} entries need 'family'")
        yield Api(
            name=name,
            role=role,
            params=tuple(params),
            family=entry.get("family", ""),
            families=tuple(entry.get("families", ())),
            failure=failure,
            managed=bool(entry.get("managed", False)),
            pointer=pointer,
            device=_param_index(entry, "device", params, f"{where}: {proto!r}"),
            drvdata=bool(entry.get("drvdata", False)),
            into=_param_index(entry, "into", params, f"{where}: {proto!r}"),
            always=bool(entry.get("always", False)),
            result_fails=bool(entry.get("result_fails", False)),
            node=bool(entry.get("node", False)),
            mutual=bool(entry.get("mutual", False)),
            test=test,
            returns_pointer=returns_pointer,
            holder=bool(entry.get("holder", False)),
            transient=bool(entry.get("transient", False)),
            member=str(entry.get("member", "")),
            requires=str(entry.get("requires", "")),
            size=str(entry.get("size", "")),
        )


_BUILTIN: ApiTable | None = None


def builtin() -> ApiTable:
    """The tables shipped in rules/apis.toml (parsed once per process)."""
    global _BUILTIN
    if _BUILTIN is None:
        table = ApiTable()
        text = resources.files("rules").joinpath("apis.toml").read_text(encoding="utf-8")
        table.merge(tomllib.loads(text), "rules/apis.toml")
        _BUILTIN = table
        _PROTOTYPES.save()
    return _BUILTIN


def load(extra: list[tuple[dict, str]] = ()) -> ApiTable:
    """Built-in tables plus user extensions [(parsed toml table, origin)]."""
    base = builtin()
    if not extra:
        return base
    # a copy of every table (the lists and dicts: `merge` extends them)
    table = ApiTable(
        **{
            f.name: copy.copy(getattr(base, f.name))
            for f in dataclasses.fields(ApiTable)
            if not f.name.startswith("_")
        }
    )
    table.by_name = {k: list(v) for k, v in base.by_name.items()}
    table.undoers = {k: list(v) for k, v in base.undoers.items()}
    for data, origin in extra:
        table.merge(data, origin)
    _PROTOTYPES.save()
    return table


def load_file(path: Path) -> ApiTable:
    return load([(tomllib.loads(path.read_text(encoding="utf-8")), str(path))])
