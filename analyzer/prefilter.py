"""Which files the enabled rules can find anything in, told from the file's text.

Most driver files never name an allocator: no rule can fire there, and
parsing and analysing them is most of a cold run's time.  Each rule
declares (`Rule.needs`) which kinds of API a file must name for it to find
anything; a file that names none of what any enabled rule needs is not
parsed at all.  The kinds are roles of the API tables (rules/apis.toml and
configured extensions), so this module knows no kernel function by name:

    "allocator"            any API with that role
    "allocator:plain"      ... that is not device-managed, nor a holder
                           object (a net_device: see Api.holder)
    "allocator:managed"    ... that is device-managed (or of a devm family)

A rule's `needs` is a tuple of alternatives, each a tuple of kinds that
must all be named somewhere in the file (as a whole word, anywhere: code,
comment or macro).  A rule that declares nothing (`needs = None`, the
default, so every third-party rule) may fire on any file, and then every
file is analysed.

Sound because, with the tree-sitter frontend, the engine sees only the
file: every allocation site is a call of a table API written in the file,
or of a same-file function whose summary rests on one.  The summary
database is checked too: a function it says returns or leaves new memory
counts as a plain allocator (the built-in database records none by
design).  The precise (clang) frontend reads headers, whose inline helpers
may allocate under names the file never spells: no filtering there.
"""

from __future__ import annotations

from collections.abc import Iterable

from analyzer.apis import ApiTable
from analyzer.summarydb import SummaryDb

_WORD = bytearray(256)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _WORD[_c] = 1
_WORD_BYTES = bytes(_WORD)
_MIN_ANCHOR = 3


class KindError(ValueError):
    """A rule declared a kind that is not `role` or `role:plain|managed`."""


def kind_names(table: ApiTable, kind: str, db: SummaryDb | None = None) -> frozenset[str]:
    """Names of the APIs of one kind (see the module doc)."""
    role, _, qual = kind.partition(":")
    if qual not in ("", "plain", "managed"):
        raise KindError(f"unknown API kind {kind!r}")
    managed_families = {
        a.family
        for entries in table.by_name.values()
        for a in entries
        if a.managed and a.role in ("allocator", "reallocator")
    }
    names = set()
    for name, entries in table.by_name.items():
        for a in entries:
            if a.role != role:
                continue
            managed = a.managed or (bool(a.family) and a.family in managed_families)
            plain = not a.managed and not a.holder
            if qual == "" or (qual == "managed" and managed) or (qual == "plain" and plain):
                names.add(name)
    if role == "allocator" and qual != "managed":
        names |= table.names("fills")  # (`sg_alloc_table()`: plain memory in a structure)
    if role == "free" and qual != "managed":
        names |= table.names("empties")
    if db is not None and role == "allocator":
        names |= db_allocators(db)  # plain or managed: its family decides, so both
    return frozenset(names)


_DB_ALLOCATORS: list[tuple[SummaryDb, frozenset[str]]] = []


def db_allocators(db: SummaryDb) -> frozenset[str]:
    """Database functions that return new memory or leave it in an argument."""
    for known, names in _DB_ALLOCATORS:
        if known is db:
            return names
    names = db.allocators()  # (without making every summary)
    _DB_ALLOCATORS[:] = [(db, names)]
    return names


def _anchors(names: Iterable[bytes]) -> list[bytes]:
    """A few substrings such that every name contains one: what the scan looks for."""
    todo = set(names)
    anchors: list[bytes] = []
    while todo:
        counts: dict[bytes, int] = {}
        for n in todo:
            if len(n) <= _MIN_ANCHOR:
                subs = {n}
            else:
                subs = {
                    n[i : i + k]
                    for k in range(_MIN_ANCHOR, len(n) + 1)
                    for i in range(len(n) - k + 1)
                }
            for s in subs:
                counts[s] = counts.get(s, 0) + 1
        best = max(counts, key=lambda s: (counts[s], len(s), s))
        anchors.append(best)
        todo = {n for n in todo if best not in n}
    return sorted(anchors)


class TextFilter:
    """Does a file name what some enabled rule needs?"""

    def __init__(self, alternatives: list[list[frozenset[str]]]) -> None:
        # Each alternative: name sets that must all be hit (one name of each).
        self.alternatives = [
            [frozenset(n.encode() for n in s) for s in alt] for alt in alternatives
        ]
        self.names = frozenset().union(*(s for alt in self.alternatives for s in alt))
        self.anchors = _anchors(self.names)

    def names_in(self, source: bytes) -> set[bytes]:
        """The filter's names that occur in `source` as whole words."""
        found: set[bytes] = set()
        word, names, end = _WORD_BYTES, self.names, len(source)
        for anchor in self.anchors:
            i = source.find(anchor)
            while i >= 0:
                left, right = i, i + len(anchor)
                while left > 0 and word[source[left - 1]]:
                    left -= 1
                while right < end and word[source[right]]:
                    right += 1
                hit = source[left:right]
                if hit in names:
                    found.add(hit)
                i = source.find(anchor, right)
        return found

    def wanted(self, source: bytes) -> bool:
        found = self.names_in(source)
        return any(all(s & found for s in alt) for alt in self.alternatives)


_BUILT: dict[tuple, tuple[ApiTable, SummaryDb | None, TextFilter | None]] = {}


def build(rules: Iterable[type], table: ApiTable, db: SummaryDb | None) -> TextFilter | None:
    """The filter for these rules, or None when some rule may fire on any file."""
    rules = tuple(rules)
    key = (rules, id(table), id(db))
    hit = _BUILT.get(key)
    if hit is not None and hit[0] is table and hit[1] is db:
        return hit[2]
    alternatives: list[list[frozenset[str]]] | None = []
    for rule in rules:
        needs = getattr(rule, "needs", None)
        if needs is None:
            alternatives = None
            break
        for alt in needs:
            alternatives.append([kind_names(table, kind, db) for kind in alt])
    result = TextFilter(alternatives) if alternatives is not None else None
    _BUILT[key] = (table, db, result)
    return result
