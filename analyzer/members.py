"""Memory a structure's member holds, lost when a function frees the structure.

`icc_link_create()` grows `node->links` with krealloc(); `icc_node_destroy()`
frees `node` and never mentions `node->links`: what the member held is lost.
Release and destroy functions that forget a member are a common class of
upstream leak fixes, and the dataflow cannot see them: the structure they
free was made elsewhere (looked up, passed in), so no block of the function
holds the member.

The facts come from the whole file: which functions store new memory in
`x->member` for an `x` of `struct T` (the engine records every store of a
tracked block into a field), and which functions free a `struct T` whole
without reading or writing that member. Types come from the declarations
(`struct T *x` of a parameter or a local), read from the source text.

Three strengths: a member some teardown of the file frees ("member-lost",
low: a caller usually ran that teardown first); a member nothing in the
file frees but the code that filled it, on its own failure, or grown with
krealloc() and freed nowhere ("member-never-freed"): no teardown can have
freed it, so the release loses it on every normal path; and a member the
same function frees before the structure on another path, but not on this
one ("member-skipped", `intel_vsec_add_aux()`): the function itself says
the member goes with the structure.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from analyzer import ir
from analyzer.apis import ApiTable
from analyzer.member_owners import (
    Reach,
    freed_arg,
    handed_elsewhere,
    in_union,
    is_member,
    member_path,
    member_pattern,
    never_freed,
    reach_back,
    released_without,
    same_file,
    within,
)
from analyzer.ownership import Leak, Site, Summary

_STRUCT = re.compile(r"\bstruct\s+(\w+)")


def lost_members(
    functions: list, analysed: Iterable, unit: ir.Unit, apis: ApiTable, known, db
) -> list[tuple[ir.Function, list[Leak]]]:
    """Add a "member-lost", "member-never-freed" or "member-skipped" leak to
    each function result of `functions` that frees a structure whose member
    some function of the file fills with new memory, on a path that never
    touches that member, and a "member-cleared" leak where a function drops
    such a member (`_lost_by_clearing`). `known` gives the summaries of
    callees (the file's and the database's); `db`, the summary database (or
    None), which files free which members. Returned: the functions with a
    "member-cleared" leak that have no result (not analysed), with their leaks."""
    analysed = [fr for fr in analysed if fr is not None]
    makers, making = _makers(analysed, unit, apis)
    free_names = frozenset(apis.names("free"))
    fills = _fills_elsewhere(db, unit)
    if db is not None and db.inert:
        known = _Known(known, db.inert)
    if not makers and not fills:
        return []
    freeing, freers, loose = _freers(unit, apis)
    if fills:
        _filled_elsewhere(functions, unit, apis, known, db, fills, (making, freers, loose))
    if not makers:
        return []
    structs = {s for s, _ in makers}
    allocating = {fr.function.name for fr in analysed if fr.summary.returns_alloc}
    summaries = {fr.function.name: fr.summary for fr in analysed}
    regrown = _regrown(unit, apis, structs)
    elsewhere = db.member_frees if db is not None else {}
    kept: dict[tuple[str, str], Site | None] = {}  # never_freed, once per member
    calls = {other.name: other.calls for other in freeing}
    reached = Reach(unit)
    for fr in functions:
        fn = fr.function
        if fn.header or not fn.may_name(free_names):
            continue  # (a header's helper: its lines are not this file's)
        own = _freed_member_roots(fn, apis)
        text = _source(unit, fn)
        for call, name in _whole_frees(fn, apis):
            struct = _struct_of(unit, fn, name)
            if struct not in structs or _fresh(fn, name, apis, allocating):
                continue
            handed = _handed(fn, name, apis, summaries)
            exit_node = _exit_after(fn, call.span.line)
            if exit_node is None:
                continue  # (`for (;;)`: the function never returns)
            spelled = ir.unshadow(name)  # (`p__shadow1` is `p` in the source)
            for (s, member), site in sorted(makers.items()):
                if s != struct:
                    continue
                key = (s, member)
                if key not in kept:
                    kept[key] = _kept(
                        unit, key, making[key], freers, loose, elsewhere, regrown, apis, known=known
                    )
                never = kept[key]
                if _gives_holder(fn, name, member, known):
                    continue
                skipped = None
                if name in own:
                    skipped = released_without(fn, name, member, set(making[key]), apis)
                if skipped is not None:
                    free, only = skipped
                    after = _exit_after(fn, free.span.line)
                    if after is not None and not _handed(fn, name, apis, known, member, only):
                        holder = f"{spelled}->{member}"
                        fr.leaks.append(_member_leak(after, site, holder, "member-skipped"))
                    continue
                if never is not None:
                    site = never
                    if _handed(fn, name, apis, known, member):
                        continue
                    if reached(fn.name) & freers.get(key, set()):
                        # `pvr2_stream_done(sp)` -> `..buffer_count(sp, 0)`, a
                        # filler that frees the member: a teardown after all
                        continue
                elif handed or key not in freers or name not in own:
                    # given to a cleanup helper, not a release that lists the
                    # members it frees, or a member nothing frees (a link)
                    continue
                if any(fn.name in calls.get(f, ()) for f in freers.get(key, ())):
                    # a caller frees the member, then calls this one
                    # (`vfree(lc->clean_bits); destroy_log_context(lc);`)
                    continue
                if re.search(rf"\b{re.escape(spelled)}\s*{member_pattern(member)}\b", text):
                    continue
                reason = "member-lost" if never is None else "member-never-freed"
                fr.leaks.append(_member_leak(exit_node, site, f"{spelled}->{member}", reason))
    return _cleared(
        functions,
        unit,
        apis,
        known,
        _Owned(unit, apis, making, freers, loose, elsewhere, regrown, reached, known),
    )


class _Known:
    """The callees' summaries, and an empty one for each function the
    database found to do nothing to its arguments' memory (`SummaryDb.inert`):
    `dmub_srv_destroy(d->srv)` frees no member, whatever its name says."""

    def __init__(self, known, inert: frozenset[str]) -> None:
        self.known, self.inert = known, inert

    def get(self, name, default=None):
        found = self.known.get(name)
        if found is None and name in self.inert:
            found = Summary(name)
        return default if found is None else found


def _fills_elsewhere(db, unit: ir.Unit) -> dict[str, list[tuple[str, str, str]]]:
    """struct -> (member, file, function) of the database's fills of its
    members by other files' functions, for the structures the file names
    (`struct T`: most files name none, and then nothing more is read)."""
    if db is None or not db.member_fills:
        return {}
    named = set(_STRUCT.findall(_text(unit)))
    out: dict[str, list[tuple[str, str, str]]] = {}
    for key, fills in db.member_fills.items():
        struct, member = key.split(".", 1)
        if struct not in named:
            continue
        for path, filler in fills:
            if not same_file(path, unit.path):
                out.setdefault(struct, []).append((member, path, filler))
    return out


def _filled_elsewhere(functions, unit, apis, known, db, fills, local) -> None:
    """Add a "member-filled-elsewhere" leak to each function that frees a
    `struct T` without a member that another file fills with new memory
    for good (the database's `member_fills`), when nothing in the tree
    frees that member but its fillers: `kfree(rpdev)` in a driver's device
    release, `rpdev->driver_override` set by the bus core and freed by no
    one; or `kfree(vch)` of a structure that embeds the `rpmsg_device`.
    Left alone when this file fills, frees or hands on the member itself
    (the file's own facts decide then), when the function names the member
    at all, or gives the structure to a call that may free its members."""
    making, freers, loose = local
    free_names = frozenset(apis.names("free"))
    embedded = embedded_structs(unit)
    links: set[str] | None = None  # (this file's linked_members: read when first needed)
    for fr in functions:
        fn = fr.function
        if fn.header or not fn.may_name(free_names):
            continue
        text = _source(unit, fn)
        for call, name in _whole_frees(fn, apis):
            struct = _struct_of(unit, fn, name)
            if struct is None or _fresh(fn, name, apis, set()):
                continue
            # (its own members, and those of the structures it embeds: `rpdev.x`)
            inside = [("", struct)] + [
                (f + ".", e) for (c, f), e in embedded.items() if c == struct
            ]
            candidates = [
                (prefix + member, owner, member, path, filler)
                for prefix, owner in inside
                for member, path, filler in fills.get(owner, ())
            ]
            exit_node = _exit_after(fn, call.span.line) if candidates else None
            if exit_node is None:
                continue
            spelled = ir.unshadow(name)
            for held, owner, member, path, filler in sorted(candidates):
                last = member.rsplit(".", 1)[-1]
                if {(struct, held), (owner, member)} & (making.keys() | freers.keys()):
                    continue
                if last in loose:
                    continue
                fillers = {p for m, p, _ in fills[owner] if m == member}
                keys = {f"{struct}.{held}", f"{owner}.{member}"}  # (as the database names it)
                freed_by = {f for k in keys for f in db.member_frees.get(k, ())}
                # (another driver's release that frees the member with its
                # own structure: each release frees it, this one forgot)
                freed_by -= {f for k in keys for f in db.member_releases.get(k, ())}
                if any(f not in fillers and not same_file(f, unit.path) for f in freed_by):
                    continue  # (a teardown in another file frees it)
                if not sees_filled(
                    unit, path, db.member_defs.get(f"{owner}.{member.split('.')[0]}")
                ):
                    continue
                if any(f not in fillers and _near(f, path) for f in db.member_loose.get(last, ())):
                    continue  # (freed through a root of unknown type in the filler's subsystem)
                if links is None:
                    links = linked_members(unit, apis)
                if keys & (db.member_links | links):
                    continue  # (it points at memory not its own on some path)
                if in_union(unit, held) or handed_elsewhere(unit, held, set(), apis, known):
                    continue
                if _handed(fn, name, apis, known, held) or _gives_holder(fn, name, held, known):
                    continue
                if re.search(rf"(->|\.)\s*{re.escape(last)}\b", text):
                    continue  # (through any name: `rpdev->driver_override` beside `vch`)
                site = Site(rid=0, span=call.span, api=filler, family="")
                leak = _member_leak(
                    exit_node, site, f"{spelled}->{held}", "member-filled-elsewhere"
                )
                fr.leaks.append(dataclasses.replace(leak, filled_in=path))


def sees_filled(unit: ir.Unit, filler: str, defs: list[str] | None) -> bool:
    """May the checked file's objects be those another file fills
    (`filler`, a path in the tree the database was built from)? Only
    within one driver or subsystem: the filler's directory, or one level
    above or below it (the rpmsg core and rpmsg drivers, the iio core and
    its buffers; not one Wi-Fi driver and another), for a file inside a
    kernel tree; and only when the file sees the filled structure's
    definition (`defs`): a global header (`include/`, `arch/*/include/`),
    a header it includes by that path, or its own (not the other `struct
    urb_priv` of fhci.h beside uhci's)."""
    mine = _tree_path(unit.path)
    if mine is None or not defs:
        return False
    if not _near(mine, filler):
        return False
    folder = os.path.dirname(mine)
    seen = {os.path.normpath(os.path.join(folder, inc)) for inc in _INCLUDE.findall(_text(unit))}
    return any(
        d.startswith("include/") or _ARCH_INCLUDE.match(d) or d == mine or d in seen for d in defs
    )


def _near(a: str, b: str) -> bool:
    """Are two files of the tree (paths from its root) in one driver or
    subsystem: the same directory, or one directly above the other?"""
    here, there = a.split("/")[:-1], b.split("/")[:-1]
    n = min(len(here), len(there))
    return here[:n] == there[:n] and abs(len(here) - len(there)) <= 1


def _tree_path(path: str) -> str | None:
    """The path of a file from the root of the kernel tree that holds it
    (`drivers/rpmsg/mtk_rpmsg.c`), None outside one."""
    path = os.path.abspath(path)
    root = _tree_root(os.path.dirname(path))
    return os.path.relpath(path, root).replace(os.sep, "/") if root is not None else None


@functools.lru_cache(maxsize=4096)
def _tree_root(folder: str) -> str | None:
    """The closest directory at or above `folder` with a MAINTAINERS file
    and a Kconfig: a kernel tree's root."""
    if os.path.isfile(os.path.join(folder, "MAINTAINERS")) and os.path.isfile(
        os.path.join(folder, "Kconfig")
    ):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _tree_root(parent)


_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
_ARCH_INCLUDE = re.compile(r"arch/[^/]+/include/")


def _makers(
    analysed: list, unit: ir.Unit, apis: ApiTable
) -> tuple[dict[tuple[str, str], Site], dict[tuple[str, str], dict[str, Site]]]:
    """(struct, member) -> an allocation some function of the file stores
    there; and (struct, member) -> the functions storing there, with one
    allocation each. Only plain memory (not devm, not a holder family) stored
    through a pointer of a known `struct T` (`d->buf`, `d->pmu.attr_groups`)."""
    holders = apis.holder_families()
    makers: dict[tuple[str, str], Site] = {}
    making: dict[tuple[str, str], dict[str, Site]] = {}
    for fr in analysed:
        if fr.function.header:
            continue
        for root, tokens, site in sorted(fr.stores, key=lambda s: (s[2].span.line, s[0], s[1])):
            # `->buf`, or a member of an embedded structure (`->pmu.attr_groups`)
            if (
                not tokens
                or not tokens[0].startswith("->")
                or any(t[:1] != "." for t in tokens[1:])
            ):
                continue
            member = tokens[0][2:] + "".join(tokens[1:])
            if not all(p.isidentifier() for p in member.split(".")):
                continue
            if site.param is not None or not site.api:
                continue
            if site.managed or site.family in holders:
                continue
            struct = _struct_of(unit, fr.function, root)
            if struct is not None:
                makers.setdefault((struct, member), site)
                making.setdefault((struct, member), {}).setdefault(fr.function.name, site)
    return makers, making


def _once(unit: ir.Unit, key: tuple, compute):
    """`compute()`, once per unit: the file's member facts are asked for by
    the release rules and, in a database build, by each per-file fact (the
    unit is kept until the next one comes: units take no weak reference)."""
    if _LAST[0] is not unit:
        _LAST[:] = [unit, {}]
    memo = _LAST[1]
    if key not in memo:
        memo[key] = compute()
    return memo[key]


_LAST: list = [None, {}]


def _freers(
    unit: ir.Unit, apis: ApiTable
) -> tuple[list[ir.Function], dict[tuple[str, str], set[str]], dict[str, set[str]]]:
    """The functions whose text names a free (the others' CFGs are never
    built); (struct, member) -> the functions freeing it (`kfree(d->buf)`);
    and member -> the functions freeing it through a root of unknown type
    (`g.admin->sig`). (Computed once per unit and table: the maps are read,
    never changed.)"""
    return _once(unit, ("freers", id(apis)), lambda: _find_freers(unit, apis))


def _find_freers(
    unit: ir.Unit, apis: ApiTable
) -> tuple[list[ir.Function], dict[tuple[str, str], set[str]], dict[str, set[str]]]:
    free_names = frozenset(apis.names("free"))
    freeing = [other for other in unit.functions if not other.header and other.may_name(free_names)]
    freers: dict[tuple[str, str], set[str]] = {}
    loose: dict[str, set[str]] = {}
    embedded = embedded_structs(unit)
    for other in freeing:
        for root, m in _member_frees(other, apis):
            struct = _struct_of(unit, other, root) if root is not None else None
            if struct is None:
                loose.setdefault(m, set()).add(other.name)
                continue
            for key in _also_as(struct, m, embedded):
                freers.setdefault(key, set()).add(other.name)
    return freeing, freers, loose


def defined_structs(unit: ir.Unit) -> dict[str, set[str]]:
    """struct -> its members' names, for each structure the file defines
    (`struct urb_priv { .. struct list_head tds; .. };` in fhci.h): which
    `struct urb_priv` a member another file fills belongs to."""
    out: dict[str, set[str]] = {}
    for name, body in _struct_bodies(_text(unit), nested=True):
        out.setdefault(name, set()).update(m.group(1) or m.group(2) for m in _MEMBER.finditer(body))
    return out


_MEMBER = re.compile(r"(\w+)\s*(?:\[[^\];]*\]\s*)*(?::\s*\w+\s*)?;|\(\s*\*\s*(\w+)\s*\)")


def _struct_bodies(text: str, nested: bool = False):
    """(name, body) of each `struct name { body }` of the text (comments
    out); the bodies of structures and unions nested in it blanked out, or
    with `nested`, opened up (`union { char *buf; void *p; };`: its members
    are the outer structure's)."""
    text = _COMMENT.sub(" ", text)
    for m in _STRUCT_DEF.finditer(text):
        depth, i, end = 1, m.end(), min(len(text), m.end() + _MAX_BODY)
        while depth and i < end:  # (the body: to the matching brace)
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth:
            continue  # (no end in sight: not a definition the tool can read)
        body = text[m.end() : i - 1]
        if nested:
            yield m.group(1), _OPENED.sub(" ", body).replace("}", ";")
            continue
        while "{" in body:
            blanked = re.sub(r"\{[^{}]*\}", "", body)
            if blanked == body:
                break
            body = blanked
        yield m.group(1), body


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_OPENED = re.compile(r"\b(?:struct|union)\s*\w*\s*\{")
_MAX_BODY = 64 * 1024


def embedded_structs(unit: ir.Unit) -> dict[tuple[str, str], str]:
    """(struct, field) -> struct E of each `struct E field;` embedded in a
    structure the file defines (`struct platform_object { struct
    platform_device pdev; ..}`): a free of `pa->pdev.resource` frees a
    `platform_device`'s resource."""
    return _once(unit, ("embedded",), lambda: _find_embedded(unit))


def _find_embedded(unit: ir.Unit) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for name, body in _struct_bodies(_text(unit)):
        for field in _EMBEDDED.finditer(body):
            out[(name, field.group(2))] = field.group(1)
    return out


_STRUCT_DEF = re.compile(r"\bstruct\s+(\w+)\s*\{")
_EMBEDDED = re.compile(r"(?:^|[;{}])\s*struct\s+(\w+)\s+(\w+)\s*;", re.M)


def _also_as(
    struct: str, member: str, embedded: dict[tuple[str, str], str]
) -> list[tuple[str, str]]:
    """(struct, member), and the same member as the embedded structure's
    own (`platform_object`, `pdev.resource` -> `platform_device`, `resource`)."""
    keys = [(struct, member)]
    while "." in member:
        field, member = member.split(".", 1)
        struct = embedded.get((struct, field))
        if struct is None:
            break
        keys.append((struct, member))
    return keys


def _cleared(functions, unit, apis, known, owned: _Owned) -> list[tuple[ir.Function, list[Leak]]]:
    """Add the "member-cleared" leaks of `_lost_by_clearing` to the results
    of `functions`; those of functions the engine did not analyse (they
    hold no memory of their own: `cl_port_free()`), returned."""
    last = sorted({m.rsplit(".", 1)[-1] for _, m in owned.making})
    # (`d->srv = NULL;`, or a member of an embedded structure: `adev->dm.srv = NULL;`)
    cleared = re.compile(rf"(?:->|\.)\s*(?:{'|'.join(last)})\s*=\s*(?:NULL|0)\s*;")
    results = {id(fr.function): fr for fr in functions}
    orphans = []
    for fn in unit.functions:
        if fn.header or not fn.may_name(last) or not cleared.search(_source(unit, fn)):
            continue
        leaks = _lost_by_clearing(fn, unit, apis, known, owned)
        fr = results.get(id(fn))
        if fr is not None:
            fr.leaks.extend(leaks)
        elif leaks:
            orphans.append((fn, leaks))
    return orphans


@dataclass
class _Owned:
    """Who fills and frees each (struct, member) of the file, for `_kept`
    (the maps `lost_members` builds)."""

    unit: ir.Unit
    apis: ApiTable
    making: dict[tuple[str, str], dict[str, Site]]  # (struct, member) -> filler -> its allocation
    freers: dict[tuple[str, str], set[str]]
    loose: dict[str, set[str]]
    elsewhere: dict[str, list[str]]
    regrown: set[tuple[str, str]]
    reached: Reach  # (its `functions`: the file's, by name)
    known: object = None  # callee summaries, or None (`never_freed`)

    def kept(self, key: tuple[str, str], clearer: str | None = None) -> Site | None:
        return _kept(
            self.unit,
            key,
            self.making[key],
            self.freers,
            self.loose,
            self.elsewhere,
            self.regrown,
            self.apis,
            clearer,
            self.known,
        )

    def filled_whole(self, key: tuple[str, str]) -> bool:
        """Does each filler store the block itself in the member, the
        allocation's result or a local that holds it, not a pointer into it
        (`&ci->en`, `ALIGN((unsigned long)buf, 8)`) that another member frees?"""
        functions = self.reached.functions
        return all(
            _stores_block(functions[name], key[1], site, self.apis)
            for name, site in self.making[key].items()
            if name in functions
        )


def _stores_block(fn: ir.Function, member: str, site: Site, apis: ApiTable) -> bool:
    """Does `fn` store the block allocated at `site` in the member, as the
    allocation's value or through a local that holds it (or what a
    [[passes]] callee returns of either: `strim(buf)`)?"""
    made: set[str] = set()  # locals given the allocation's value
    values: list[ir.Expr] = []
    for node in fn.nodes:
        if node.kind is ir.Kind.DECL and node.expr is not None:
            if ir.uncast(node.expr).span == site.span:
                made.add(node.name)
        for e in ir.walk(node.expr) if node.expr is not None else ():
            if not isinstance(e, ir.Assign):
                continue
            if isinstance(e.target, ir.Name) and ir.uncast(e.value).span == site.span:
                made.add(e.target.name)
            if is_member(e.target, member) and not ir.is_zero(e.value):
                value = ir.uncast(e.value)
                while isinstance(value, ir.Call) and value.args and apis.passes(value.func):
                    value = ir.uncast(value.args[0])
                values.append(value)
    if not values and site.via_summary:
        # (filled by the call at the site: an API given `&d->buf`, or a helper
        # of the file whose own store is judged where it is made)
        return any(call.span == site.span for call in ir.call_exprs(fn))
    return bool(values) and all(
        v.span == site.span or (isinstance(v, ir.Name) and v.name in made) for v in values
    )


def _lost_by_clearing(
    fn: ir.Function, unit: ir.Unit, apis: ApiTable, known, owned: _Owned
) -> list[Leak]:
    """A "member-cleared" leak where a function drops a member with no free
    (`if (d->srv) { srv_destroy(d->srv); d->srv = NULL; }`) that some function
    of the file fills with new memory and nothing frees: the teardown forgot
    the kfree() and lost the last pointer (`dvb_media_device_free()`). Only where the
    function used the member before (a test, a call), so a reset of a member
    that may be empty is not taken for a drop, and only when every use lends
    it: to a callee whose summary takes nothing, or one not release-named."""
    leaks = []
    for node, target in _clears(fn):
        found = _cleared_key(unit, fn, target, owned)
        if found is None:
            continue
        key, root = found
        fillers = set(owned.making[key])
        if fn.name in fillers or (owned.reached(fn.name) | fn.calls) & (
            fillers | owned.freers.get(key, set())
        ):
            continue
        if _root_handed(fn, target, root, key[1], apis, known):
            continue
        uses = _member_uses(fn, target.text, apis, known)
        if uses is None or not _used_before(fn, node, uses):
            continue
        site = owned.kept(key, clearer=fn.name)
        exit_node = _exit_after(fn, node.span.line)
        if site is None or exit_node is None or not owned.filled_whole(key):
            continue
        leak = _member_leak(exit_node, site, target.text, "member-cleared")
        because = f"`{target.text} = NULL` (line {node.span.line}) runs"
        leaks.append(dataclasses.replace(leak, because=because))
    return leaks


def _cleared_key(
    unit: ir.Unit, fn: ir.Function, target: ir.Expr, owned: _Owned
) -> tuple[tuple[str, str], str] | None:
    """The (struct, member) a cleared `target` is, with its root name:
    `d->srv` of a `struct cl_dev *d`; through a pointer of unknown type
    (`dvbdev->adapter->conn`), the one structure of the file whose member
    of that name is filled."""
    path = member_path(target)
    if path is not None:
        key = (_struct_of(unit, fn, path[0]), path[1])
        return (key, path[0]) if key in owned.making else None
    if not (isinstance(target, ir.Field) and target.arrow):
        return None
    root = target.base
    while isinstance(root, (ir.Field, ir.Index)):
        root = root.base
    keys = [k for k in owned.making if k[1] == target.field]
    if len(keys) != 1 or not isinstance(root, ir.Name):
        return None
    holder = target.base  # (`dvbdev->adapter`: a member whose type the file may declare)
    if isinstance(holder, ir.Field):
        declared = set(re.findall(rf"\bstruct\s+(\w+)\s*\*\s*{holder.field}\s*;", _text(unit)))
        if declared and keys[0][0] not in declared:
            return None  # (`p->ch->buf` of a `struct chan *ch`, not `priv`'s buf)
    return keys[0], root.name


def _root_handed(
    fn: ir.Function, target: ir.Expr, root: str, member: str, apis: ApiTable, known
) -> bool:
    """Is the structure that holds the member given to a call that may free
    the member (`foo_cleanup(d)`, `foo_cleanup(d->adapter)`, `free_alg(&d->alg)`)?"""
    if member_path(target) is not None:
        return _handed(fn, root, apis, known, member) or _gives_holder(fn, root, member, known)
    if _handed(fn, root, apis, known):
        return True
    holders = set()
    base = target.base  # (`dvbdev->adapter`, `dvbdev->adapter->x` ..)
    while isinstance(base, (ir.Field, ir.Index)):
        holders.add(base.text)
        base = base.base
    return any(
        ir.uncast(a).text in holders
        or (isinstance(a, ir.Unary) and a.op == "&" and _within_text(a.operand, target.base))
        for call in ir.call_exprs(fn)
        if not apis.borrows(call.func)
        for a in map(ir.uncast, call.args)
    )


def _within_text(e: ir.Expr, holder: ir.Expr) -> bool:
    """Is `e` the holder or reached through it (`port->adapter->lock` for
    `port->adapter`, not `port->adapter_lock`)?"""
    while isinstance(e, (ir.Field, ir.Index)):
        if e.text == holder.text:
            return True
        e = e.base
    return e.text == holder.text


def _clears(fn: ir.Function) -> list[tuple[ir.Node, ir.Expr]]:
    """(node, target) of each `x->member = NULL;`."""
    out = []
    for node in fn.nodes:
        e = ir.uncast(node.expr) if node.expr is not None else None
        if isinstance(e, ir.Assign) and e.op == "=" and ir.is_zero(e.value):
            out.append((node, e.target))
    return out


def _member_uses(fn: ir.Function, holder: str, apis: ApiTable, known) -> set[int] | None:
    """The nodes that use the member (`holder`, its text) other than to
    clear it, if each use only lends it: a NULL test, a dereference, an
    argument of a callee that takes nothing (its summary says so, or it is
    not release-named). None when a use may give it away or shows another
    pointer to it: a free, a copy, a return, an address into it
    (`kref_put(&d->data->ref, ..)`), a comparison with another pointer
    (`if (mpeg->chan == chan)`)."""
    nodes: set[int] = set()
    for node in fn.nodes:
        if node.expr is None:
            continue
        stack: list[tuple[ir.Expr, tuple[ir.Expr, ...]]] = [(node.expr, ())]
        while stack:
            e, above = stack.pop()
            if isinstance(e, ir.Field) and e.text == holder:
                parent = above[-1] if above else None
                if (
                    isinstance(parent, ir.Assign)
                    and parent.target is e
                    and ir.is_zero(parent.value)
                ):
                    continue
                if not _lends(e, above, node, apis, known):
                    return None
                nodes.add(node.id)
                continue
            stack.extend((c, (*above, e)) for c in ir.children(e))
    return nodes


def _lends(e: ir.Expr, above: tuple[ir.Expr, ...], node: ir.Node, apis: ApiTable, known) -> bool:
    """Does this use of the member (`above`: its enclosing expressions,
    outermost first) only lend what it holds?"""
    i = len(above) - 1
    while i >= 0 and isinstance(above[i], ir.Cast):
        e, i = above[i], i - 1
    parent = above[i] if i >= 0 else None
    if parent is None:
        return node.kind is ir.Kind.BRANCH
    if isinstance(parent, ir.Field):  # (`d->srv->state`: what is above may take its address)
        while i >= 0 and isinstance(above[i], (ir.Field, ir.Index, ir.Cast)):
            i -= 1
        return not (i >= 0 and isinstance(above[i], ir.Unary) and above[i].op == "&")
    if isinstance(parent, ir.Unary) and parent.op == "!":
        return True
    if isinstance(parent, ir.Binary) and parent.op in ("==", "!="):
        return ir.is_zero(parent.right) or ir.is_zero(parent.left)
    if not isinstance(parent, ir.Call) or parent.func is None:
        return False
    index = next((n for n, a in enumerate(parent.args) if a is e), None)
    if index is None:
        return False
    statement = node.kind is ir.Kind.EXPR and i == 0 and ir.uncast(node.expr) is parent
    if node.kind is not ir.Kind.BRANCH and not statement:
        # (a call whose value is kept may hand the member back: `old =
        # READ_ONCE(d->a)`, `n->e = srv_get(d->e)`)
        return False
    if apis.borrows(parent.func):
        return True
    if apis.lookup(parent.func):
        return False  # (a free, a sink: an API that may take it)
    summary = known.get(parent.func)
    if summary is not None:
        return not any(x.index == index and not x.chain for x in summary.effects)
    return not apis.releases(parent.func)


def _used_before(fn: ir.Function, clear: ir.Node, uses: set[int]) -> bool:
    """Does a use of the member reach the clear (`if (d->srv) .. d->srv = NULL`)?"""
    preds = ir.predecessors(fn.nodes)
    return bool(reach_back(preds, {clear.id}, frozenset()) & uses)


def _member_leak(exit_node: ir.Node, site: Site, holder: str, reason: str) -> Leak:
    """The leak of `holder`, a member of a structure freed before `exit_node`."""
    return Leak(
        site=site,
        exit=exit_node.span,
        exit_text="end of function"
        if exit_node.implicit or exit_node.expr is None
        else f"return {exit_node.expr.text}"[:60],
        via=None,
        via_text="",
        because="",
        holder=holder,
        reason=reason,
        error_exit=None,
        truncated=False,
    )


def _kept(
    unit: ir.Unit,
    key: tuple[str, str],
    makers: dict[str, Site],
    freers: dict[tuple[str, str], set[str]],
    loose: dict[str, set[str]],
    elsewhere: dict[str, list[str]],
    regrown: set[tuple[str, str]],
    apis: ApiTable,
    clearer: str | None = None,
    known=None,
) -> Site | None:
    """`never_freed` of the member, unless a free of it shows up anywhere
    but in its fillers: through a root of unknown type in this file
    (`loose`), or in another file (the database's `member_frees`)."""
    struct, member = key
    if loose.get(member.rsplit(".", 1)[-1], set()) - set(makers):
        return None
    if any(not same_file(f, unit.path) for f in elsewhere.get(f"{struct}.{member}", ())):
        return None
    freed = freers.get(key, set())
    return never_freed(unit, key, makers, freed, key in regrown, apis, clearer, known)


def _regrown(unit: ir.Unit, apis: ApiTable, structs: set[str]) -> set[tuple[str, str]]:
    """(struct, member) of each member grown in place (`krealloc(n->links, ..)`)."""
    names = frozenset(apis.names("reallocator"))
    grown = set()
    for fn in unit.functions:
        if fn.header or not fn.may_name(names):
            continue
        for call in ir.call_exprs(fn):
            api = apis.role(call.func, "reallocator")
            if api is None or api.pointer is None or api.pointer >= len(call.args):
                continue
            path = member_path(ir.uncast(call.args[api.pointer]))
            if path is not None:
                struct = _struct_of(unit, fn, path[0])
                if struct in structs:
                    grown.add((struct, path[1]))
    return grown


def _text(unit: ir.Unit) -> str:
    return "\n".join(unit.lines)


def _source(unit: ir.Unit, fn: ir.Function) -> str:
    return "\n".join(unit.lines[fn.span.line - 1 : fn.span.end_line])


def _struct_of(unit: ir.Unit, fn: ir.Function, name: str) -> str | None:
    """`struct T` of a parameter, or of a local declared `struct T *name`."""
    for p in fn.params:
        if p.name == name:
            m = _STRUCT.search(p.type_text)
            return m.group(1) if m and p.pointer else None
    decl = re.search(
        rf"\bstruct\s+(\w+)\s+(?:[^;{{}}()]*?,\s*)?\*\s*{re.escape(ir.unshadow(name))}\s*[,;=)]",
        _source(unit, fn),
    )
    return decl.group(1) if decl else None


def _whole_frees(fn: ir.Function, apis: ApiTable) -> list[tuple[ir.Call, str]]:
    """`kfree(x)` of a plain name x, once per name (its first free)."""
    seen: dict[str, ir.Call] = {}
    for call in ir.call_exprs(fn):
        arg = freed_arg(call, apis, managed=False)
        if isinstance(arg, ir.Name) and arg.name not in seen:
            seen[arg.name] = call
    return [(call, name) for name, call in seen.items()]


def _handed(
    fn: ir.Function,
    name: str,
    apis: ApiTable,
    summaries,
    member: str | None = None,
    nodes: list[ir.Node] | None = None,
) -> bool:
    """Is `name` given whole to a call that may free its members
    (`foo_cleanup(x)`), or returned?  A callee with a summary says so by an
    effect on that argument (with `member`: an effect that reaches
    `name->member`); another callee is taken to when x is its first argument
    (not `free_irq(irq, x)`, where x is a cookie). With `nodes`, only calls
    there that look like cleanups: a call made as a statement
    (`foo_cleanup(x);`), or a release-named one whose status is kept
    (`ret = foo_unregister(x);`); a call whose failure led there
    (`if (foo_register(x)) { kfree(x); ..`, `ret = foo_add(x); if (ret)`)
    is a test, not a cleanup."""
    if nodes is None:
        nodes = fn.nodes
        calls = (e for n in nodes if n.expr is not None for e in ir.walk(n.expr))
    else:
        calls = (c for n in nodes if n.kind is not ir.Kind.BRANCH for c in _cleanups(n, apis))
    for call in (e for e in calls if isinstance(e, ir.Call)):
        if apis.role(call.func, "free") is not None or apis.borrows(call.func):
            continue
        for i, arg in enumerate(call.args):
            a = ir.uncast(arg)
            if not (isinstance(a, ir.Name) and a.name == name):
                continue
            summary = summaries.get(call.func or "")
            if summary is not None:
                if any(
                    e.index == i and (member is None or within(e.chain, "->" + member))
                    for e in summary.effects
                ):
                    return True
            elif i == 0 or call.func is None:
                return True
    return any(
        node.kind is ir.Kind.RETURN
        and node.expr is not None
        and any(isinstance(e, ir.Name) and e.name == name for e in ir.walk(node.expr))
        for node in nodes
    )


def _cleanups(node: ir.Node, apis: ApiTable) -> list[ir.Call]:
    """The call a statement makes for its effect (`foo_cleanup(x);`,
    `ret = foo_unregister(x);`), if it is one: see `_handed`."""
    e = ir.uncast(node.expr) if node.expr is not None else None
    if isinstance(e, ir.Assign):
        value = ir.uncast(e.value)
        if isinstance(value, ir.Call) and apis.releases(value.func):
            return [value]
        return []
    return [e] if isinstance(e, ir.Call) else []


def _gives_holder(fn: ir.Function, name: str, member: str, known=None) -> bool:
    """Is the embedded structure that holds the member given to a call
    (`free_alg(&ic->alg)` for `ic->alg.key`)?  It may free the member,
    unless its summary (in `known`) shows no effect on that argument."""
    for call in ir.call_exprs(fn):
        summary = known.get(call.func) if known is not None and call.func else None
        for i, arg in enumerate(map(ir.uncast, call.args)):
            if summary is not None and not any(e.index == i for e in summary.effects):
                continue
            if isinstance(arg, ir.Unary) and arg.op == "&":
                path = member_path(arg.operand)
                if path is not None and path[0] == name and within("->" + member, "->" + path[1]):
                    return True
    return False


def _fresh(fn: ir.Function, name: str, apis: ApiTable, allocating: set[str]) -> bool:
    """Is `name` given new memory in this function (`x = kzalloc(..)`)? Then
    its members hold what this function put there, which the dataflow judges."""
    for node in fn.nodes:
        value = None
        if node.kind is ir.Kind.DECL and node.name == name:
            value = node.expr
        elif node.expr is not None:
            for e in ir.walk(node.expr):
                if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name):
                    if e.target.name == name:
                        value = e.value
        if value is not None:
            value = ir.uncast(value)
            if isinstance(value, ir.Call) and value.func is not None:
                if apis.role(value.func, "allocator") or apis.role(value.func, "reallocator"):
                    return True
                if value.func in allocating:
                    return True
    return False


def _exit_after(fn: ir.Function, line: int) -> ir.Node | None:
    """The first return after `line`, or the function's end (None: no exit)."""
    returns = [n for n in fn.nodes if n.kind is ir.Kind.RETURN]
    after = [n for n in returns if n.span.line >= line and not n.implicit]
    if after:
        return min(after, key=lambda n: (n.span.line, n.span.col))
    implicit = [n for n in returns if n.implicit]
    if implicit:
        return implicit[0]
    return max(returns, key=lambda n: n.span.line) if returns else None


def freed_members(unit: ir.Unit, apis: ApiTable) -> set[str]:
    """ "T.member" of each `struct T` member some function of the file frees:
    the summary database's record of who frees what, across files."""
    _, freers, _ = _freers(unit, apis)
    return {f"{struct}.{member}" for struct, member in freers}


def loosely_freed(unit: ir.Unit, apis: ApiTable) -> set[str]:
    """Names of the members the file frees through a root of unknown type
    (`kfree(o->dev->label)`): a teardown of some structure's `label`, for
    the database (`SummaryDb.member_loose`)."""
    _, _, loose = _freers(unit, apis)
    return set(loose)


def released_members(unit: ir.Unit, apis: ApiTable) -> set[str]:
    """ "T.member" of the members the file frees only in releases of their
    own structures: functions that free the structure holding the member
    too, by its name or by a name derived from it (`kfree(rpdev->driver_override);
    kfree(vch);` with `vch = to_virtio_rpmsg_channel(rpdev)`). Such a file
    frees the member of its own objects, not other files' (a teardown they
    could rely on frees the member and leaves the structure)."""
    released_by: dict[tuple[str, str], set[str]] = {}
    embedded = embedded_structs(unit)
    for fn in unit.functions:
        if fn.header or not fn.may_name(frozenset(apis.names("free"))):
            continue
        whole = {name for _, name in _whole_frees(fn, apis)}
        if not whole:
            continue
        ties = _ties(fn)
        for root, member in _member_frees(fn, apis):
            struct = _struct_of(unit, fn, root) if root is not None else None
            if struct is None:
                continue
            if root in whole or any(
                root in ties.get(w, ()) or w in ties.get(root, ()) for w in whole
            ):
                for key in _also_as(struct, member, embedded):
                    released_by.setdefault(key, set()).add(fn.name)
    _, freers, _ = _freers(unit, apis)
    return {
        f"{struct}.{member}"
        for (struct, member), fns in released_by.items()
        if freers.get((struct, member), set()) <= fns
    }


def _ties(fn: ir.Function) -> dict[str, set[str]]:
    """name -> the names of the structures it is the container or an
    embedded part of: `vch = to_virtio_rpmsg_channel(rpdev)` or
    `container_of(rpdev, ..)` ({rpdev}), `rpdev = &vch->rpdev` ({vch}). Not
    `d = o->dev`: that is another structure, which `o` points to."""
    ties: dict[str, set[str]] = {}
    for node in fn.nodes:
        pairs = []
        if node.kind is ir.Kind.DECL and node.expr is not None:
            pairs.append((node.name, node.expr))
        for e in ir.walk(node.expr) if node.expr is not None else ():
            if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name):
                pairs.append((e.target.name, e.value))
        for name, value in pairs:
            value = ir.uncast(value)
            if isinstance(value, ir.Call) and value.func is not None and value.args:
                first = ir.uncast(value.args[0])
                if isinstance(first, ir.Name) and (
                    value.func.startswith(("to_", "container_of")) or "_to_" in value.func
                ):
                    ties.setdefault(name, set()).add(first.name)
            elif isinstance(value, ir.Unary) and value.op == "&":
                path = member_path(value.operand)
                if path is not None and "." not in path[1]:
                    ties.setdefault(name, set()).add(path[0])
    return ties


def _member_frees(fn: ir.Function, apis: ApiTable):
    """(root, member) of each free of a member (`kfree(d->buf)`); the root
    is None when it is not a plain name (`kfree(g.admin->sig)`)."""
    for call in ir.call_exprs(fn):
        arg = freed_arg(call, apis)
        if arg is None:
            continue
        path = member_path(arg)
        if path is not None:
            yield path
        elif isinstance(arg, ir.Field):  # (`kfree(g.admin->sig)`, `kfree(chans[i].buf)`)
            yield None, arg.field


def _freed_member_roots(fn: ir.Function, apis: ApiTable) -> set[str]:
    return {root for root, _ in _member_frees(fn, apis) if root is not None}


def filled_members(unit: ir.Unit, analysed: Iterable, apis: ApiTable) -> dict[str, str]:
    """ "T.member" -> the function of the file that fills that member of a
    `struct T` with new memory and leaves it there for good (`never_freed`:
    the file frees it only in its fillers, on their own failure or before
    filling it again). The summary database's record of who fills what, so
    that a release in another file that frees a `struct T` without the
    member can be judged (`lost_members`)."""
    analysed = [fr for fr in analysed if fr is not None]
    makers, making = _makers(analysed, unit, apis)
    if not makers:
        return {}
    _, freers, loose = _freers(unit, apis)
    regrown = _regrown(unit, apis, {s for s, _ in makers})
    owned = _Owned(unit, apis, making, freers, loose, {}, regrown, Reach(unit))
    found = {}
    for key in sorted(making):
        site = owned.kept(key)
        if site is not None and owned.filled_whole(key):
            filler = next(name for name, s in sorted(making[key].items()) if s is site)
            found[f"{key[0]}.{key[1]}"] = filler
    return found


def linked_members(unit: ir.Unit, apis: ApiTable) -> set[str]:
    """ "T.member" of each `struct T` member some function of the file points
    at memory that is not its own: a string literal or a macro standing for
    one (`pmu->name = "armv8_pmuv3"`, `= DRV_NAME`), an address (`d->buf =
    &d->inline_buf`), another structure's member, a parameter (`d->name =
    name`), what a call other than an allocator returns (`dev_name(dev)`),
    or either of a choice of those. A member that holds such links on some
    paths does not own what it holds on the others: a release that frees
    the structure without it loses nothing for certain."""
    found = set()
    embedded = embedded_structs(unit)
    for fn in unit.functions:
        if fn.header:
            continue
        params = {p.name for p in fn.params}
        for node in fn.nodes:
            for e in ir.walk(node.expr) if node.expr is not None else ():
                if not isinstance(e, ir.Assign) or e.op != "=":
                    continue
                path = member_path(e.target)
                if path is None:
                    continue
                link = _links(ir.uncast(e.value), params, apis)
                struct = _struct_of(unit, fn, path[0]) if link else None
                if struct is not None:
                    found.update(f"{s}.{m}" for s, m in _also_as(struct, path[1], embedded))
    return found


def _links(value: ir.Expr, params: set[str], apis: ApiTable) -> bool:
    """Is `value` memory a member does not own (see `linked_members`)?"""
    match value:
        case ir.Const(value=None, text=text):
            return text[:1] == '"'
        case ir.Unary(op="&") | ir.Field():
            return True
        case ir.Name(name=name):
            return name in params or _MACRO.match(name) is not None
        case ir.Conditional():
            return any(_links(ir.uncast(v), params, apis) for v in (value.then, value.other))
        case ir.Call(func=func) if func is not None:
            return not (
                apis.role(func, "allocator") or apis.role(func, "reallocator") or apis.passes(func)
            )
    return False


_MACRO = re.compile(r"^[A-Z][A-Z0-9_]*$")
