"""The ownership dataflow: the state of every allocation on every path.

A *world* is one abstract program state: which access path holds which
resource, what each resource's status is, and what is known about a few
integer variables (`ret`).  The analysis keeps a set of worlds per CFG
node, deduplicated, and never joins two worlds into a blurrier one: a
branch on `if (!p)` or `if (ret)` splits, and correlated facts survive to
the exit.  Loops run to a fixpoint, which exists because worlds are drawn
from a finite set.  When a node holds too many worlds the extra ones are
dropped; that costs recall, never precision, since every world that does
reach an exit is a real path.

Resources are identified by their allocation site (one per call site), by
a same-file callee's summary applied at a call, or stand for memory a
parameter points to (`PARAM`), so the function's effect on its caller's
memory can be summarised.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple, Protocol

from analyzer import ir
from analyzer.apis import Api, ApiTable
from analyzer.failure import failed_check, null_tested
from analyzer.ir import Kind, Span

# Statuses of a resource in one world.
MAYBE = "maybe"  # fresh allocation, not yet tested against NULL
MAYBE_ERR = "maybe_err"  # fresh allocation that may be an ERR_PTR
LIVE = "live"
MANAGED = "managed"  # devres frees it; never leaks itself
PARAM = "param"  # memory a parameter points to: the caller's
P_FREED = "param_freed"
P_ESCAPED = "param_escaped"
FREED = "freed"
ESCAPED = "escaped"
NULL = "null"
REALLOC_OLD = "realloc_old"  # the caller's block a krealloc() result overwrote
# The status of FILE_VARS, the one resource that stands for the file's global
# variables: `dasd_reserve_req = kmalloc(..)` stores the block in it, at key
# "dasd_reserve_req", as `p->buf = ..` stores into a parameter's structure.
GLOBAL = "global"
FILE_VARS = -2

# The chain of a leftover in "some member" of an argument: what the summary
# database's `--leftovers` round has each known callee leave when it fails
# (summarydb._WhatIf), to learn which callers lose whatever is left there.
ANY_MEMBER = "->__any_member__"
# What a callee's effect on a member of an argument does that frees it.
_UNDOING = frozenset(("freed", "dropped"))

# The status groups are frozensets: `status in OWNED` is asked at nearly every
# step, and a miss in a set is one hash lookup where a tuple compared strings.
OWNED = frozenset((MAYBE, MAYBE_ERR, LIVE))
# World.lent values: handed to a keeper, passed to any other callee, or given
# whole to a release-named callee.
KEPT, PASSED, RELEASED = "kept", "passed", "released"
# What a callee's "escaped" becomes when applied to the argument itself
# (Analysis.apply_summary, _apply_effect): a callee or sink keeps it, unless
# this function goes on to free it; a parameter of ours kept with a block of
# ours, most likely in that block.
CALLEE_KEEPS = "callee-keeps"
KEPT_BY_OURS = "kept-by-ours"
SINK_KEEPS = "sink-keeps"  # ... a sink's, waiting on its result (see _sunk_into)
ADRIFT = "adrift"  # in World.lent: given with a block since handed over (Leak.partner_gone)
LINKED = "linked"  # in World.lent: on a list, hash or tree, until an [[unlink]] takes it off
NEGATIVE = "negative"  # vals under _sign_key(name): the variable holds a negative value
PENDING = "pending"  # ... an errno that says a request was taken (`-EINPROGRESS`)
POSITIVE = "positive"  # ... a positive one (`if (ret > 0)`): a count, not an errno
NONNEGATIVE = "nonnegative"  # ... zero or positive (`if (ret < 0) ..; else`): no errno
_NOT_FAILED = (POSITIVE, NONNEGATIVE, PENDING)  # signs of a result that is no failure
TORN = -1  # in World.handed: a teardown-named function ran on this path
DROP = "drop"  # World.handed value: the reference was dropped (`put_device(&x->dev)`)
TERMINAL = frozenset((FREED, ESCAPED, NULL))
_HELD = OWNED | {MANAGED, PARAM}  # what an accessor's result may point into
_LENDABLE = OWNED | {PARAM}  # what a keeper may keep
_OWNED_OR_MANAGED = OWNED | {MANAGED}
_OWNED_OR_OLD = OWNED | {REALLOC_OLD}
_CALLERS = frozenset((PARAM, P_ESCAPED, GLOBAL))  # memory that outlives the call

MAX_WORLDS = 48  # per CFG node
# A node holding this many worlds forgets, in those that reach it from then on,
# what they know of values no later node reads (see `_forget_dead_values`).
CROWDED = 12
MAX_STEPS = 60000  # per function
_ERRNO = re.compile(r"^E[A-Z0-9]+$")
# A member holding a number, not a callback (`hw_reset_count`, `free_len`, `nr_free`)
_QUANTITY = re.compile(
    r"(?:^|_)(?:count|cnt|len|size|num|nr|idx|index|id|flags|mask|bytes|time|ms|us|ns|pages)s?$"
    r"|^(?:n|nr|num)_"
)
# Comparison -> (the operator it is or negates, negated?)
_COMPARISONS = {
    ">": (">", False),
    "<=": (">", True),
    ">=": (">=", False),
    "<": (">=", True),
    "==": ("==", False),
    "!=": ("==", True),
}


@dataclass(frozen=True, slots=True)
class Site:
    """Where a resource comes from."""

    rid: int
    span: Span
    api: str  # allocator (or same-file wrapper) name
    family: str
    failure: str = "null"
    managed: bool = False
    via_summary: bool = False  # made by a same-file callee's summary
    # made by a function of another file (the summary database), directly or
    # through same-file wrappers: its callers' conventions are not seen here
    foreign: bool = False
    param: tuple[int, str] | None = None  # PARAM resources: (index, field chain)
    # Memory a same-file callee left in an argument's field: (callee, index, chain).
    origin: tuple[str, int, str] | None = None
    # ... in a member this function named (`alloc_bitmap(&block->lf)`): its own
    # setup, not state the callee keeps for itself
    directed: bool = False


@dataclass(frozen=True, slots=True)
class Effect:
    """A callee's effect on memory its parameter `index` (+ `chain`) reaches."""

    index: int
    chain: str  # "" for the pointed-to memory itself, "->buf" for a field
    on_zero: str | None  # "freed" | "escaped" | "alloc" | None (borrowed)
    on_nonzero: str | None
    family: str = ""
    foreign: bool = False  # "alloc": memory another file's function made (Site.foreign)


@dataclass(slots=True)
class Summary:
    """What calling a same-file function does, as seen from its caller."""

    name: str
    effects: list[Effect] = field(default_factory=list)
    returns_alloc: tuple[str, str] | None = None  # (family, failure)
    returns_pointer: bool = False
    error_class: str = "nonzero"  # the result class of a failing call: int -> nonzero
    # the pointer parameter the returned block is linked into on some exit
    # (`if (list) list_add_tail(&buf->list, list); return buf;`)
    returns_linked: int | None = None
    # the pointer parameter whose NULL alone makes it return new memory
    # (`if (!f) buf = kzalloc(..); ... print to f or into buf`)
    alloc_if_null: int | None = None
    # fields of the returned block holding an object made with it and an ops
    # table whose release frees it (`sf->file = anon_inode_getfile(.., &fops, sf, 0)`):
    # releasing what such a field holds releases the block (see private_tables)
    private_fields: tuple[str, ...] = ()
    # fields of the returned pointer that point back at the block it is in
    # (`state->fe.demodulator_priv = state; return &state->fe;`: ->demodulator_priv)
    self_fields: tuple[str, ...] = ()
    # some exit returns an errno (`return -EBUSY;`): its non-zero results are
    # failures, not counts or the _SUCCESS of a driver's own convention
    returns_errno: bool = False
    # the memory it returns is made in another file (Site.foreign)
    foreign_alloc: bool = False

    @property
    def relevant(self) -> bool:
        return bool(self.effects or self.returns_alloc)


@dataclass(frozen=True, slots=True)
class Leak:
    """An owned resource that reaches a function exit unfreed and unstored."""

    site: Site
    exit: Span  # the return (or closing brace)
    exit_text: str
    via: Span | None  # the last goto taken after the allocation
    via_text: str
    because: str  # the last branch taken, e.g. "`ret` is non-zero (line 52)"
    holder: str  # the access path that held it, e.g. "priv->buf"
    reason: str  # "unfreed" | "container-freed" | "managed-container" | "overwritten"
    error_exit: bool | None
    truncated: bool
    failing: bool = False  # reached through a failed check (analyzer.failure)
    lent: str | None = None  # handed to a callee on the way: KEPT or PASSED
    older_at_null: bool = False
    earlier: bool = False  # the block of an earlier pass of a loop
    skipped_free: bool = False  # the path stepped over a guarded free of this block
    # given to a set-up callee we cannot see together with a block that has since
    # been handed over (`init_cmd(ph2c, parm, ..); enqueue(ph2c)`): maybe linked
    partner_gone: bool = False
    replaced: bool = False  # the path put another block in its place
    # Rests on the convention that a failing function frees what it left in
    # its caller's structure (or in a devm block the caller's structure
    # holds), with no caller here seen dropping it.
    tentative: bool = False
    # at `return helper(..)` taken as failing: rests on the helper's summary
    # saying it does not take the block when it fails (see `_returns_call`,
    # `_returns_tested_call`)
    helper_failed: bool = False
    # this function releases the holder by name on another path
    # (`video_device_release(dev->vdev)`): it owns what the holder holds
    released_elsewhere: bool = False
    # the path took the result of a callee that keeps the block only when it
    # succeeds, the other one: the hand-over was tested and failed
    refused: bool = False
    # a local scratch buffer never given away (Analysis._scratch), unfreed
    # at this exit: a leak whatever the exit returns
    scratch: bool = False
    # of a family that exists only to be handed over ([[allocator]] transient):
    # kept at any exit, it is lost (a devres entry never devres_add()ed)
    transient: bool = False
    # its container's contents are copied somewhere (`d->cfg = *c;`,
    # `memcpy(&d->cfg, c, ..)`) before the container is freed: the member
    # may live on in the copy
    copied_out: bool = False
    # a member another file fills (`members._filled_elsewhere`): that file;
    # `site.api` names the function that fills it
    filled_in: str = ""


@dataclass(slots=True)
class Leftovers:
    """What callers in the file do with memory a failing callee left in their
    structures, by the callee's (function, parameter, chain): the engine
    decides from this whether the callee's own report stands."""

    confirmed: set[tuple[str, int, str]] = field(default_factory=set)  # lost with its holder
    propagated: set[tuple[str, int, str]] = field(default_factory=set)  # passed up again
    assumed: set[tuple[str, int, str]] = field(default_factory=set)  # left to some teardown
    dropped: set[tuple[str, int, str]] = field(default_factory=set)  # a local holder went away
    # passed up, by a caller that frees that member on its other error paths
    disowned: set[tuple[str, int, str]] = field(default_factory=set)

    def update(self, other: Leftovers) -> None:
        self.confirmed |= other.confirmed
        self.propagated |= other.propagated
        self.assumed |= other.assumed
        self.dropped |= other.dropped
        self.disowned |= other.disowned


@dataclass(slots=True)
class FreeCall:
    """A call of a free API and what reached its argument, over every world.

    Recorded for the driver-model rules (DML003-DML005): which allocation
    site, with which status, reached this free on some path, and the
    integer facts (`ret` is non-zero) known there, so a rule can tell a
    probe error path from a success path without walking syntax.
    """

    call: ir.Call
    api: Api
    node: int  # the CFG node evaluating the call
    reached: set[tuple[Site, str]] = field(default_factory=set)  # (site, status)
    unresolved: bool = False  # some world had no tracked memory in the argument
    vals: set[frozenset] = field(default_factory=set)  # world.vals snapshots


_ABSENT = object()


class _Map(dict):
    """A dict that remembers `frozenset(self.items())` until it is next written.

    `World.key` is taken of every world at every CFG node it reaches, and
    most nodes leave most of a world's maps unchanged, so the frozenset
    (and its hash, which a frozenset caches) built for the parent world
    serves its successors too.  Every mutating method forgets the cached
    view; reads are plain dict reads.
    """

    __slots__ = ("_frozen",)

    def frozen(self) -> frozenset | tuple:
        """The map's items as a frozenset, `()` when empty (cheaper, and no
        non-empty map's view equals it)."""
        if not self:
            return ()
        try:
            view = self._frozen
        except AttributeError:
            view = None
        if view is None:
            view = self._frozen = self._view()
        return view

    def _view(self) -> frozenset:
        return frozenset(self.items())

    def copy(self) -> _Map:
        twin = type(self)(self)
        if self:  # (an empty map has no view to pass on: frozen() answers ())
            twin._frozen = getattr(self, "_frozen", None)
        return twin

    # A write that changes nothing keeps the view: most pops are of absent keys
    # (forgetting a name nothing holds), and their views would be rebuilt.
    def __setitem__(self, key, value) -> None:
        if dict.get(self, key, _ABSENT) is not value:
            self._frozen = None
            dict.__setitem__(self, key, value)

    def __delitem__(self, key) -> None:
        self._frozen = None
        dict.__delitem__(self, key)

    def __ior__(self, other):
        self._frozen = None
        return dict.__ior__(self, other)

    def pop(self, *args):
        if args[0] in self:
            self._frozen = None
        return dict.pop(self, *args)

    def popitem(self):
        self._frozen = None
        return dict.popitem(self)

    def setdefault(self, key, default=None):
        if key not in self:
            self._frozen = None
        return dict.setdefault(self, key, default)

    def update(self, *args, **kw) -> None:
        self._frozen = None
        dict.update(self, *args, **kw)

    def clear(self) -> None:
        self._frozen = None
        dict.clear(self)


class _KeyMap(_Map):
    """A `_Map` whose view is `frozenset(self)`: its keys (World.key ignores
    the values of lent, handed, failed and derived)."""

    __slots__ = ()

    def _view(self) -> frozenset:
        return frozenset(self)


@dataclass(slots=True)
class World:
    # The maps World.key reads are `_Map`s (`_KeyMap`s where it reads the keys
    # only): replace one only by another of its class (see `World.start`).
    env: _Map  # dict[str, int]: local access path (or "arr[]#rid") -> resource
    heap: _Map  # dict[tuple[int, str], int]: (container, field chain[#rid]) -> resource
    status: _Map  # dict[int, str]
    vals: _Map  # dict[str, str]: int variable -> "zero" | "nonzero"
    # dict[str, tuple[(rid, on_zero, on_nonzero, on_success), ...]]: effects waiting for a test
    pending: _Map
    realloc: _Map  # dict[int, int]: new block -> the block it replaces
    holders: dict[int, str]  # resource -> the path it was last bound to (for messages)
    freed_container: dict[int, str]  # resource -> container path freed around it
    # (param, chain) -> (family, container, heap key) of new memory stored there
    into: _Map  # dict[tuple[int, str], tuple[str, int, str]]
    lent: _KeyMap  # dict[int, str]: resources handed to callees: KEPT, PASSED or RELEASED
    handed: _KeyMap  # dict[int, bool]: caller's structures passed whole to a callee since a store
    failed: _KeyMap  # dict[int, bool]: memory a callee left in our structures when it failed
    aliases: _Map  # dict[str, tuple[str, tuple[str, ...]]]: `img = &pieces->img[t]`
    derived: _KeyMap  # dict[str, bool]: env keys bound to an accessor's result, not the block
    via: ir.Node | None = None
    # The last branch taken, and the one before the last goto: read only when a
    # leak is reported (its message, whether it was a failed check), so not
    # part of the world's key.
    branch: tuple[ir.Node, bool] | None = None
    via_branch: tuple[ir.Node, bool] | None = None
    # Blocks whose `if (flag) kfree(p);` this path stepped over (not in the key).
    skipped: frozenset[int] = frozenset()
    # This path freed memory that this function had stored in its caller's
    # structure (not in the key).
    freed_own: bool = False
    # Blocks this path put something else in the place of (not in the key).
    replaced: frozenset[int] = frozenset()
    # Blocks allocated since the path last passed a loop's head (not in the key).
    this_pass: frozenset[int] = frozenset()
    # Blocks a callee that keeps them when it succeeds was given, on a path
    # that took the callee's other result, with the test that told: the
    # hand-over failed (not in the key).
    refused: frozenset[tuple[int, tuple[int, bool] | None]] = frozenset()  # (rid, (node id, truth))

    def copy(self) -> World:
        # (`m.copy() if m else _Map()`: no method call for the many empty maps)
        env, heap, status, vals = self.env, self.heap, self.status, self.vals
        pending, realloc, into, lent = self.pending, self.realloc, self.into, self.lent
        handed, failed, aliases, derived = self.handed, self.failed, self.aliases, self.derived
        return World(
            env.copy() if env else _Map(),
            heap.copy() if heap else _Map(),
            status.copy() if status else _Map(),
            vals.copy() if vals else _Map(),
            pending.copy() if pending else _Map(),
            realloc.copy() if realloc else _Map(),
            self.holders.copy(),
            self.freed_container.copy(),
            into.copy() if into else _Map(),
            lent.copy() if lent else _KeyMap(),
            handed.copy() if handed else _KeyMap(),
            failed.copy() if failed else _KeyMap(),
            aliases.copy() if aliases else _Map(),
            derived.copy() if derived else _KeyMap(),
            self.via,
            self.branch,
            self.via_branch,
            self.skipped,
            self.freed_own,
            self.replaced,
            self.this_pass,
            self.refused,
        )

    @staticmethod
    def start() -> World:
        """A world with nothing in it."""
        return World(
            _Map(), _Map(), _Map(), _Map(), _Map(), _Map(), {}, {},
            _Map(), _KeyMap(), _KeyMap(), _KeyMap(), _Map(), _KeyMap(),
        )  # fmt: skip

    def key(self):
        # An empty map is () rather than an empty frozenset (cheaper, and no
        # non-empty one equals it): keys compare equal exactly when they did.
        # The views are cached in the maps until written (`_Map`).  (`m.frozen()
        # if m else ()` is `m.frozen()` without a call for the many empty maps.)
        env, heap, status, vals = self.env, self.heap, self.status, self.vals
        pending, realloc, into, lent = self.pending, self.realloc, self.into, self.lent
        handed, failed, aliases, derived = self.handed, self.failed, self.aliases, self.derived
        return (
            env.frozen() if env else (),
            heap.frozen() if heap else (),
            status.frozen() if status else (),
            vals.frozen() if vals else (),
            pending.frozen() if pending else (),
            realloc.frozen() if realloc else (),
            into.frozen() if into else (),
            lent.frozen() if lent else (),
            handed.frozen() if handed else (),
            failed.frozen() if failed else (),
            aliases.frozen() if aliases else (),
            derived.frozen() if derived else (),
            self.via.id if self.via is not None else -1,
        )


# ------------------------------------------------------------------ paths


class _Remembered:
    """A callee's summary, asked of the engine once per name during one analysis.

    The answer cannot change while a function is analysed: the engine
    forces only functions before it in call order, each at most once, so
    the first answer for a name is the answer.  `get` is the engine's
    (its first call for a name runs when it did before).
    """

    __slots__ = ("_source", "_seen")

    def __init__(self, source) -> None:
        self._source = source
        self._seen: dict[str, Summary | None] = {}

    def get(self, name: str, default=None) -> Summary | None:
        try:
            found = self._seen[name]
        except KeyError:
            found = self._seen[name] = self._source.get(name)
        return default if found is None else found


class _PerExpr:
    """Answers about IR expressions that depend on nothing else, computed once each.

    The dataflow asks the same questions of an expression at every visit
    of every world (its access path, whether a test can be remembered).
    Keyed by `id(expr)`: the entry keeps the expression alive, so while it
    is cached no other expression (`_rebuild` makes some on the fly) can
    get its id.  One table per `Analysis`: answers may read its fixed
    facts (locals, arrays, what the function mutates).
    """

    __slots__ = ("_table",)

    def __init__(self) -> None:
        self._table: dict[int, tuple[ir.Expr, object]] = {}

    def get(self, expr: ir.Expr, compute):
        hit = self._table.get(id(expr))
        if hit is not None and hit[0] is expr:
            return hit[1]
        value = compute(expr)
        self._table[id(expr)] = (expr, value)
        return value


def path_of(expr: ir.Expr) -> tuple[str, list[str]] | None:
    """`priv->chan[i].buf` -> ("priv", ["->chan", "[]", ".buf"]); None if not a path."""
    tokens: list[str] = []
    while True:
        match expr:
            case ir.Name(name=n):
                tokens.reverse()
                return n, tokens
            case ir.Field(base=b, field=f, arrow=a):
                tokens.append(("->" if a else ".") + f)
                expr = b
            case ir.Index(base=b):
                tokens.append("[]")
                expr = b
            case ir.Unary(op="*", operand=o):
                tokens.append("*")
                expr = o
            case ir.Cast(operand=o):
                expr = o
            case _:
                return None


def _segments(root: str, tokens: list[str], array_root: bool) -> list[str]:
    """Split at dereferences: first the local key, then one chain per deref.

    `p[i]` dereferences a pointer `p` but not an array `p`; deeper in a
    chain (`priv->chan[i]`) an index stays part of the field chain.
    """
    segs = [root]
    for i, tok in enumerate(tokens):
        if tok.startswith("->") or tok == "*" or (tok == "[]" and i == 0 and not array_root):
            segs.append(tok)
        else:
            segs[-1] += tok
    return segs


def _multi(key: str) -> bool:
    return "[]" in key


class Listing(Protocol):
    """The file's destructors whose member frees are trusted (engine._Listing)."""

    def __contains__(self, name: object) -> bool: ...

    def complete(self, name: str) -> bool:
        """Does it free only through its parameters' own names (its summary
        names every member it frees)?"""
        ...


class _NoListing:
    """No destructor trusted (an analysis the engine did not set up)."""

    def __contains__(self, name: object) -> bool:
        return False

    def complete(self, name: str) -> bool:
        return False


_NO_LISTING = _NoListing()


class Analysis:
    """Run the dataflow over one function."""

    def __init__(
        self,
        fn: ir.Function,
        apis: ApiTable,
        summaries: dict[str, Summary],
        sites: dict[tuple, Site],
        has_callers: bool = False,
        functions: frozenset[str] = frozenset(),
        never_fails: Callable[[str | None], bool] = lambda name: False,
        releasers: frozenset[str] = frozenset(),
        null_guard: Callable[[str | None], int | None] = lambda name: None,
        release_tables: frozenset[str] = frozenset(),
        private_tables: frozenset[str] = frozenset(),
        file_vars: frozenset[str] = frozenset(),
        loaders: frozenset[str] = frozenset(),
        switch_guard: Callable[[str | None], tuple[int, frozenset[str]] | None] = (
            lambda name: None
        ),
    ) -> None:
        self.fn = fn
        # callee name -> the integer parameter, and its case labels, outside
        # which alone it fails
        self.switch_guard = switch_guard
        # functions of this file that return a pointer read out of memory
        # (`return p->desc->cookie;`): their result is no view into the argument
        self.loaders = loaders
        self.never_fails = never_fails  # callee name -> it only ever returns 0
        self.null_guard = null_guard  # callee name -> the parameter only whose NULL fails it
        # functions of this file that call a free directly: release callbacks
        # (their summaries may come later in call order than their users')
        self.releasers = releasers
        self.release_tables = release_tables  # ops tables of this file holding a releaser
        # Ops tables of this file with any release callback that frees, and the
        # blocks handed to a call together with one (`adap = cec_allocate_adapter(
        # &pulse8_ops, pulse8, ..)`): the object made keeps the block as its
        # private data, and its release callback frees it, so a release-named
        # call given a field of the block (`cec_delete_adapter(pulse8->adap)`,
        # `fput(sync_file->file)`) releases the block too.
        self.private_tables = private_tables
        self._private_given: list[int] = []  # the blocks the last table call was given
        self.functions = functions  # names defined in this file (callbacks)
        self.has_callers = has_callers  # called in this file: its callers judge its failures
        self.init_entry = False  # the `__init` function of `module_init()`
        self.probe = False  # a driver's probe ([[driver]]): see core_drops
        # the file's functions -> the globals they free (engine._global_frees)
        self.global_frees: dict[str, frozenset[str]] = {}
        self.apis = apis
        self.holder_families = apis.holder_families()
        self.transient_families = apis.transient_families()
        self.private_members = apis.private_members()
        # [[fills]] size members (`length`) -> the member they tell about (`pointer`)
        self._size_members = {a.size: a.member for a in apis.structs.values() if a.size}
        self._filled: dict[int, tuple[ir.Field, ir.Field]] = {}  # `out.length` -> `out.pointer`
        self.summaries = _Remembered(summaries)
        self.sites = sites  # shared across the unit: ids stay unique
        self.locals: set[str] = {p.name for p in fn.params}
        self.arrays: set[str] = set()
        self.cleanups: dict[str, str] = {}
        for n in fn.nodes:
            if n.kind is Kind.DECL and n.name:
                self.locals.add(n.name)
                if n.decl_array:
                    self.arrays.add(n.name)
                if n.cleanup:
                    self.cleanups[n.name] = n.cleanup
        self.params = {p.name: i for i, p in enumerate(fn.params) if p.pointer}
        self.globals: frozenset[str] = frozenset()  # (set below, with self.assigned)
        self.globals_undone: set[str] = set()  # globals freed on the way to some error exit
        self._global_of: dict[tuple, str] = {}  # deferred left-in-global leak -> the global
        # `return &c->controller;`: members this function hands out as their
        # structure's handle (the caller later destroys the structure by it)
        self.handles = {
            n.expr.operand.text
            for n in fn.nodes
            if n.kind is Kind.RETURN
            and isinstance(n.expr, ir.Unary)
            and n.expr.op == "&"
            and isinstance(n.expr.operand, ir.Field)
        }
        self._elements = _PerExpr()  # `tbl + i` -> `tbl[i]` (see _alias)
        # fields the function tests (`if (nn->dp.netdev)`), or reads into a
        # local (`scmrq = (void *)aobrq->data`): see _reads_zero, _embedded
        self.tested_fields = {
            _spelled(e.text)
            for n in fn.nodes
            if n.kind is Kind.BRANCH and n.expr is not None
            for e in _truth_tested(n.expr)
            if "->" in e.text
        } | {_spelled(e.text) for n in fn.nodes for e in _read_into_local(n)}
        self.tested_roots = {f.split("->", 1)[0] for f in self.tested_fields}
        self._writes: dict[str, tuple[str, bool, bool, str]] = {}  # see _write_of
        # Some path has met `nn = vzalloc(..)` of a tested root (a `_ZEROED` key in
        # its vals): until then no world has one, and the writes that would
        # forget one (_wrote, _zero_escapes, _reads_zero) need not be asked.
        self._zeroed = False
        self.cleanup_loops = self._cleanup_loops()
        # Nodes of unwind loops whose test steps the index down before the
        # body runs (`while (i-- > 0)`, `while (--i >= 0)`, `while (i--)`):
        # they free the elements before the current one, not the current one.
        # (Not `do { .. } while (--i >= 0);`: its body runs before the test.)
        # Blocks allocated since the path last passed a loop head or stepped
        # that index up (`parts[i] = ..; i++;`) are the current ones.
        heads = [
            head
            for head in self.fn.nodes
            if head.id in self.cleanup_loops
            and _decrements(head.expr) is not None
            and head.succs[0] != head.id - 1  # a do-while's test loops back to the label before it
        ]
        self.below_current = {n for h in heads for n in range(h.id + 1, h.loop_end + 1)}
        self.unwind_index = {_decrements(h.expr) for h in heads}
        # Every node's sub-expressions, walked once for the tables below.
        walked = [(n, ir.preorder(n.expr)) for n in fn.nodes if n.expr is not None]
        exprs = [e for _, sub in walked for e in sub]
        self.assigned = {e.target.text for e in exprs if isinstance(e, ir.Assign)}
        # The file's global variables this function assigns whole (`g_buf = x`):
        # a block stored in one is tracked where it is, so that a failing
        # function that frees it on other error paths is seen to leave it on
        # this one (`Leak.reason` "left-in-global").
        if file_vars:
            self.globals = frozenset(file_vars - self.locals) & self.assigned
        # Everything the function writes: assignment targets and `x++` operands.
        self.mutated = self.assigned | {
            e.operand.text for e in exprs if isinstance(e, ir.Unary) and e.op in ("++", "--")
        }
        # names whose object this function takes a reference to somewhere
        # (`get_device(&f->dev)`); on a path, _GOT says whether it did there
        self.got = {
            root_name(a)
            for e in exprs
            if isinstance(e, ir.Call) and self.apis.gets(e.func)
            for a in e.args
        }
        # Locals whose addresses one call takes together (`entry_prepare(&entry,
        # &value)`) may be linked by it (`entry->values = value`): a callee
        # later given one (`entry_clear(&entry)`) may reach the others.
        self.link_calls = _link_calls(exprs, self.locals)
        # locals that only ever hold functions of this file (`func = foo_done;`)
        bound: dict[str, set[str]] = {}
        for n in fn.nodes:
            if n.kind is Kind.DECL and n.name and n.expr is not None:
                bound.setdefault(n.name, set()).add(
                    n.expr.name if isinstance(n.expr, ir.Name) else ""
                )
        for e in exprs:
            if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name):
                value = e.value
                bound.setdefault(e.target.name, set()).add(
                    value.name if isinstance(value, ir.Name) else ""
                )
        self.callbacks = {
            var: targets
            for var, targets in bound.items()
            if var not in functions and targets <= functions
        }
        # fields written through their own path somewhere in the function (see _zero_escapes)
        self.own_fields = {_spelled(t) for t in self.mutated if "->" in t}
        self.rid_sites: dict[int, Site] = {}
        # Leaks that only count if a caller confirms them, and what callers did.
        self.deferred: dict[tuple, tuple[tuple[int, str] | None, Leak]] = {}
        self.leftovers = Leftovers()  # what callers do with failing callees' leftovers
        # Some error exit is reached after freeing memory allocated here: the
        # function undoes its own work when it fails, so what it leaves in its
        # caller's structure on another failing path is not the caller's job.
        self.cleans_up = False
        self._deferred: tuple = ()
        # `ret = radix_tree_insert(.., entry)`: the sink call whose result a
        # local takes, and the blocks it keeps only if it succeeds.
        self._sink_call: ir.Call | None = None
        # `return foo_add(x);` taken once per class of its result (see
        # `_returns_call`, `_returns_tested_call`): the call and its class
        self._returning: tuple[ir.Call, str] | None = None
        self._exit_class: str | None = None  # ... and the class of our exit
        self._sink_pending: list[tuple[int, str, None, str]] = []
        self._testing: tuple[int, bool] | None = None  # the branch being refined (node id)
        self._top_col: int | None = None  # see top_level
        self._freeing = False  # resolving a free's argument (see _lookup_heap)
        self._frees_ahead: dict[tuple[int, str], bool] = {}  # see _freed_further_on
        self._facts_of: dict[int, tuple] = {}  # see _node_facts
        self._sunk_into: dict[int, frozenset[int]] = {}  # a pending sink's block -> stored into
        self.drvdata: dict[int, set[int]] = {}  # device -> blocks stored as its drvdata
        self._drvdata_slots: dict[int, tuple] = {}  # see _drvdata_slot
        self._drvdata_store = False  # storing into a drvdata place (see store)
        self._guarded: dict[tuple[int, int], list[ir.Expr]] = {}
        self._stores_in_loop: dict[int, list[ir.Expr]] = {}
        self.param_names = frozenset(p.name for p in fn.params if p.pointer)
        self._statement: ir.Expr | None = None  # the expression statement being evaluated
        self._tracked: dict[str, ir.Expr] = {}  # tests status variables hold (`_status_of`)
        self.destroyed: set[int] = set()  # blocks some path freed through a callee's summary
        # a parameter's block given to krealloc() -> the parameter's resource
        self.old_params: dict[int, int] = {}
        self.caller_keeps: set[int] = set()  # ... which a failed krealloc() hands back
        # (function, parameter) -> does every call in the file assign the
        # result to what it passes there (`p = grow(p, n)`)? (set by the engine)
        self.callers_overwrite: Callable[[str, int], bool] = lambda name, index: False
        # parameter -> the Site fields of memory a framework hands in through
        # it, this function's to free or pass on (see analyzer/iterators.py)
        self.given: dict[int, dict] = {}
        # such a block -> the members the callee's summary frees with it, when
        # that is all it frees (a function of this file in `listing`)
        self.destroyed_with: dict[int, frozenset[str]] = {}
        # a destructor whose summary is the whole of what it does (_Listing):
        # the members it touches in any way (freed, put, escaped)
        self.destroyed_named: dict[int, frozenset[str]] = {}
        self.listing: Listing = _NO_LISTING  # (set by the engine: engine._Listing)
        self._members_freed: dict[str, dict[int, frozenset[str]]] = {}  # callee -> its member frees
        self._members_named: dict[str, dict[int, frozenset[str]]] = {}  # callee -> all it touches
        # a failing callee's leftover in a place of our block the analysis
        # cannot follow, which this function frees elsewhere -> that place
        self.detached: dict[int, tuple[int, tuple[str, ...]]] = {}
        self._holder_uses: dict[tuple[str, ...], bool] = {}  # (see _uses_holder)
        # fields given a pointer into another block (`ring->map = &si->n`): they
        # point into that block, they do not hold it
        self.interior_fields: set[str] = set()
        self.self_releasing: set[int] = set()  # blocks given a release callback of this file
        self._release_calls: dict[ir.Call, ir.Call] = {}  # see _put_through_release
        self.linked: dict[int, int] = {}  # block -> pointer parameter it was linked into
        self.linked_names: dict[str, int] = {}  # ... by the locals that held it
        self._decl_assigns: dict[int, ir.Assign] = {}  # (see `transfer`, Kind.DECL)
        self.private_fields: set[str] | None = None  # (see Summary.private_fields)
        self.self_fields: set[str] | None = None  # (see Summary.self_fields)
        self.returns_linked: int | None = None  # an exit returned a block linked so
        self.regrown: set[int] = set()  # reallocations of memory the caller owns
        self.older: set[int] = set()  # resources standing for earlier loop iterations
        # blocks given to a reallocator: still this function's own, whatever
        # pass of a loop made them (`ids = krealloc(old_ids, ..)`)
        self.regrowing: set[int] = set()
        self._reused = False  # the last field allocation found memory already there
        self._derived = False  # the last value came from an unknown callee
        self._offset = False  # ... or is a pointer moved within a block (`p + n`)
        self.pointers = {p.name for p in fn.params if p.pointer} | {
            n.name for n in fn.nodes if n.kind is Kind.DECL and n.decl_pointer and n.name
        }
        # Pointers that walk an array (`cur_map++`, `p += n`): stores through
        # them land in different elements.
        stepped = {
            e.operand.name
            for e in exprs
            if isinstance(e, ir.Unary) and e.op in ("++", "--") and isinstance(e.operand, ir.Name)
        } | {
            e.target.name
            for e in exprs
            if isinstance(e, ir.Assign) and e.op in ("+=", "-=") and isinstance(e.target, ir.Name)
        }
        self.iterators = stepped & self.pointers
        # Integers that count (`i++`): an index or a count, never an errno
        # (`ret = i; goto out;` returns the endpoint found).
        self.counters = stepped - self.pointers
        # `migf->filp = anon_inode_getfile(.., migf, ..)`: the object made from a
        # block may hold it, so releasing that object may release the block.
        assignments = self.assignments = list(_assignments(walked))
        self.made_from: dict[str, set[str]] = {}
        for target, value in assignments:
            if isinstance(value, ir.Call):
                given = {a.name for a in value.args if isinstance(a, ir.Name)}
                if given & self.pointers:
                    self.made_from.setdefault(target.text, set()).update(given)
        # `skb = skb_dequeue(&qca->rx_q)`: a local only ever set from a call given
        # the address of a member holds an element kept there, not the structure.
        elem: dict[str, bool] = {}
        for target, value in assignments:
            if isinstance(target, ir.Name):
                ok = self._takes_element(value)
                elem[target.name] = elem.get(target.name, True) and ok
        self.member_elements = {n for n, ok in elem.items() if ok}
        self.flags = {p.name for p in fn.params if p.type_text.strip() in ("bool", "_Bool")} | {
            n.name for n in fn.nodes if n.kind is Kind.DECL and n.decl_bool and n.name
        }
        self.integers = self.locals - self.pointers - self.arrays - self.flags
        # Variables that carry a status: assigned a call's result, an errno or a
        # negative value somewhere. `return bufsize` after `if (bufsize == 0)` is a
        # non-zero size, not a failure.
        self._int_result = not (fn.returns_void or fn.returns_pointer or fn.returns_bool)
        self.returns_errno = False  # some exit returned an errno (Summary.returns_errno)
        self.status_vars = {
            t.name for t, v in assignments if isinstance(t, ir.Name) and _status_value(v)
        }
        self.leaks: dict[tuple, Leak] = {}
        # (world, result class, the fresh allocation returned if any)
        self.exits: list[tuple[World, str, Site | None]] = []
        self.err_ptr_exit = False  # some exit is `return ERR_PTR(..)` (a failure)
        self.truncated = False
        # Observations for the driver-model rules; they change no state.
        self.free_calls: dict[Span, FreeCall] = {}
        self.field_stores: set[tuple[str, tuple[str, ...], Site]] = set()
        self._node = -1
        self._plans = _PerExpr()  # see _plan
        self._facts = _PerExpr()  # see _fact
        self._callee_facts = _PerExpr()  # see _callee_of
        self._hands: dict[str | None, bool] = {}  # see _hand_over
        self._segs: dict[tuple[str, ...], list[str]] = {}  # see _segments

    # Tables of the function that few analyses ask for: worked out at the
    # first question, not for every function.

    @cached_property
    def tested_names(self) -> set[str]:
        """Names a branch tests (`if (!f)`, `if (f == NULL)`), and names two
        switches test (`switch (rq->wq_type)` to set up, again to unwind):
        see _not_null, _cases."""
        switched = Counter(
            name
            for n in self.fn.nodes
            if n.kind is Kind.SWITCH and n.expr is not None
            for name in {e.name for e in ir.walk(n.expr) if isinstance(e, ir.Name)}
        )
        return {
            e.name
            for n in self.fn.nodes
            if n.kind is Kind.BRANCH and n.expr is not None
            for e in ir.walk(n.expr)
            if isinstance(e, ir.Name)
        } | {name for name, k in switched.items() if k > 1}

    @cached_property
    def only_returned(self) -> set[str]:
        """Names the function only assigns with `=` and returns (`ret = f(..);
        .. return ret;`): read nowhere else, not in a test, a macro's argument,
        an alias (`err = ret`) or `&ret` (see _mark_errno)."""
        reads: Counter[str] = Counter()
        plain: Counter[str] = Counter()
        for n in self.fn.nodes:
            if n.expr is None:
                continue
            if n.kind is Kind.RETURN and type(n.expr) is ir.Name:
                plain[n.expr.name] += 1
            for e in ir.walk(n.expr):
                if type(e) is ir.Name:
                    reads[e.name] += 1
                elif type(e) is ir.Assign and e.op == "=" and type(e.target) is ir.Name:
                    plain[e.target.name] += 1
        return {name for name, k in plain.items() if reads[name] == k}

    @cached_property
    def own_frees(self) -> dict[int, list[ir.Expr]]:
        """What this function itself frees with a free API (`kfree(*res)`),
        gives to krealloc, or drops the reference of (`put_device(&x->dev)`):
        node -> the blocks' expressions (see _freed_further_on).
        Not in a loop: `list_for_each_entry_safe(p, ..) kfree(p)` frees what a
        list holds, under the same name."""
        out: dict[int, list[ir.Expr]] = {}
        for node in self.fn.nodes:
            if node.expr is None or node.id in self.looped:
                continue
            for e in ir.walk(node.expr):
                if not isinstance(e, ir.Call):
                    continue
                freed = self.freed_arg(e, "free") or self.freed_arg(e, "reallocator")
                if freed is not None:
                    out.setdefault(node.id, []).append(ir.uncast(freed))
                elif e.args and self.apis.drops(e.func):
                    # `put_device(&wd_data->dev)`: the last reference to wd_data
                    arg = ir.uncast(e.args[0])
                    if isinstance(arg, ir.Unary) and arg.op == "&" and _member(arg.operand):
                        out.setdefault(node.id, []).append(arg.operand.base)
        return out

    def freed_arg(self, call: ir.Call, role: str) -> ir.Expr | None:
        """The argument a call of a `role` API ("free", "reallocator") gives up."""
        api = self.apis.role(call.func, role)
        if api is None or api.pointer is None or api.pointer >= len(call.args):
            return None
        return call.args[api.pointer]

    @cached_property
    def own_freed_texts(self) -> set[str]:
        return {a.text for args in self.own_frees.values() for a in args}

    @cached_property
    def _released_texts(self) -> dict[str, int]:
        """What this function gives to a free API or to a callee that frees
        that argument (`video_device_release(dev->vdev)`), and the members it
        gives to a release-named callee that frees or drops, by the last line
        where it does."""
        out: dict[str, int] = {}

        def add(arg: ir.Expr, line: int) -> None:
            text = ir.uncast(arg).text
            out[text] = max(out.get(text, 0), line)

        for nid, freed in self.own_frees.items():
            for arg in freed:
                add(arg, self.fn.nodes[nid].span.line)
        for call in ir.call_exprs(self.fn):
            if (self.apis.frees(call.func) or self.apis.drops(call.func)) and not (
                self.apis.borrows(call.func)
            ):
                # `usb_free_urb(dvb->bulk_urb)`, `radeon_bo_unref(&vm->pd)`: named as a
                # release, whose free we may not see (it drops a reference); the
                # members it is given (the holders this asks about are members)
                for arg in map(ir.uncast, call.args):
                    if isinstance(arg, ir.Unary) and arg.op == "&":
                        arg = arg.operand
                    if isinstance(arg, ir.Field):
                        add(arg, call.span.line)
            summary = self._summary_call(call)
            for e in summary.effects if summary is not None else ():
                frees = "freed" in (e.on_zero, e.on_nonzero)
                if frees and e.chain == "" and e.index < len(call.args):
                    add(call.args[e.index], call.span.line)
        return out

    def releases_after(self, holder: str | None, line: int) -> bool:
        """Does the function release `holder` somewhere below `line` (a store
        there): on another path, undoing that store? (A free above it,
        `kfree(p->buf); p->buf = new;`, replaces, it undoes nothing.)"""
        return holder is not None and self._released_texts.get(holder, 0) > line

    def _forget_dead_values(self, nid: int, world: World) -> None:
        """Drop from `world` what it knows of values that no node from `nid` on
        mentions (`idle_cnt` was zero, `dd->default_desc1` is this flag): the
        paths that differ only in those would otherwise fill the nodes after
        them, each world a copy of the other but for a fact nobody reads, and
        the analysis would stop before the allocation that comes last."""
        read = self._read_from[nid]
        # (what `summarize` reads at the exits stays: whether a pointer
        # parameter, or a field of one this path wrote, was NULL)
        kept = set(self.params)
        if world.into:
            names = self._param_by_index
            kept.update(names[i] + chain for i, chain in world.into if i in names)
        for key in [k for k in world.vals if not k.startswith("~") and k not in kept]:
            if not read.issuperset(_key_names(key)):
                del world.vals[key]

    @cached_property
    def _param_by_index(self) -> dict[int, str]:
        return {i: name for name, i in self.params.items()}

    @cached_property
    def _read_from(self) -> list[frozenset[str]]:
        """For each node, the identifiers it or any node after it mentions
        (from the IR, whose text is cut short, and from that text: a cast's type)."""
        nodes = self.fn.nodes
        own: list[set[str]] = []  # (then, in place, what is read from each node on)
        for n in nodes:
            names: set[str] = set()
            for e in (n.expr, n.case_value):
                if e is not None:
                    names.update(_IDENT.findall(e.text))
                    for x in ir.walk(e):
                        t = type(x)
                        if t is ir.Name:
                            names.add(x.name)
                        elif t is ir.Field:
                            names.add(x.field)
                        elif t is ir.Call and x.func:
                            names.add(x.func)
            if n.name:
                names.add(n.name)
            own.append(names)
        preds, read = ir.predecessors(nodes), own
        work = deque(n.id for n in reversed(nodes))
        queued = set(work)
        while work:
            i = work.popleft()
            queued.discard(i)
            for p in preds.get(i, ()):
                if not read[i] <= read[p]:
                    read[p] |= read[i]
                    if p not in queued:
                        queued.add(p)
                        work.append(p)
        return [frozenset(r) for r in read]

    @cached_property
    def looped(self) -> set[int]:
        """The nodes inside a loop."""
        return {
            i
            for head in self.fn.nodes
            if head.loop_end >= 0
            for i in range(head.id, head.loop_end + 1)
        }

    def _freed_further_on(self, rid: int, world: World) -> bool:
        """Does this function go on to free block `rid` on an error path, under
        a name it has now (`kfree(*res)`, `free_libipw(priv->net_dev, 0)`)?
        Then a callee or a sink that keeps the block (see _apply_effect) only
        holds it for the time being: it is still this function's to free."""
        if not self.own_frees or self._node in self.looped:
            return False  # (in a loop, a later pass may hand it over for good)
        # (the search only for the frees of this block: a function that frees
        # hundreds of names would otherwise walk its CFG for each at each call)
        for arg in self._freed_args:
            if rid in self.resolve(arg, world):
                key = (self._node, arg.text)
                ahead = self._frees_ahead.get(key)
                if ahead is None:
                    ahead = self._frees_ahead[key] = self._reaches_free(self._node, arg.text)
                if ahead:
                    return True
        return False

    @cached_property
    def _freed_args(self) -> list[ir.Expr]:
        """One expression for each text the function frees (see own_frees)."""
        by_text = {a.text: a for args in self.own_frees.values() for a in args}
        return list(by_text.values())

    def _reaches_free(self, start: int, text: str) -> bool:
        """Is a free of `text` reachable from node `start` with `text` not
        assigned on the way (`entry = dequeue(..); kfree(entry)` frees what
        the queue gave back), on an error path: through a failed test, in an
        unwind ladder a goto leads to, or on the way to an error return
        (`kfree(*res); return -ENOSPC;`)?

        The failure of the call at `start` does not count (`if (register(p))
        kfree(p);` is a callee that keeps p when it succeeds), nor the failure
        the next test finds (`usb_fill_bulk_urb(urb, .., buf, ..); if
        (usb_submit_urb(urb, ..)) kfree(buf);`: the hand-over that failed). A
        free on the success path (`list_del(&c->node); kfree(c); return
        status;` after a wait) is the normal end of a block kept meanwhile."""
        nodes = self.fn.nodes
        here = nodes[start]
        result = here.expr.target.text if isinstance(here.expr, ir.Assign) else None
        facts = self._node_facts
        frees_here = self.own_frees
        seen: set[tuple[int, bool, bool, bool]] = set()
        # (node, no test passed yet, a test failed, `result` still the call's)
        frontier = [(start, True, False, result is not None)]
        while frontier:
            state = frontier.pop()
            nid, first, failed, ours = state
            if state in seen or (nid, False, True, False) in seen:
                continue  # (that state, the freest, finds whatever this one would)
            seen.add(state)
            n = nodes[nid]
            targets, texts, failing_on = facts(nid)
            if nid != start:  # (`kref_put(&x->kref, release)` is the hand-over itself)
                if nid in frees_here and any(a.text == text for a in frees_here[nid]):
                    if failed or nid in self._error_bound or nid in self._goto_reached:
                        return True
                if any(_rebinds(t, text) for t in targets):
                    continue
                ours = ours and result not in targets  # (`result = next_step(..)`)
            if failing_on is None:
                frontier.extend((succ, first, failed, ours) for succ in n.succs)
                continue
            own = first or ours and result in texts
            for succ, failing in zip(n.succs, failing_on, strict=False):
                if not (own and failing):
                    frontier.append((succ, False, failed or failing, ours))
        return False

    def _node_facts(self, nid: int) -> tuple[list[str], frozenset[str], tuple[bool, bool] | None]:
        """What _reaches_free asks of a node, the same at every search: the
        texts it assigns, the texts it mentions, and for a test whether each
        way out (true, false) is a failed check."""
        hit = self._facts_of.get(nid)
        if hit is None:
            n = self.fn.nodes[nid]
            sub = list(ir.walk(n.expr)) if n.expr is not None else []
            targets = [e.target.text for e in sub if isinstance(e, ir.Assign)]
            failing = None
            if n.kind is Kind.BRANCH and n.expr is not None:
                failing = (self._failing(n.expr, True), self._failing(n.expr, False))
            hit = self._facts_of[nid] = (targets, frozenset(e.text for e in sub), failing)
        return hit

    @cached_property
    def _error_bound(self) -> set[int]:
        """Nodes from which an error return is reachable (`return -ENOSPC;`,
        `return ERR_PTR(..)`, `return NULL;` in a pointer function)."""
        preds = ir.predecessors(self.fn.nodes)
        returns = [
            n.id
            for n in self.fn.nodes
            if n.kind is Kind.RETURN and n.expr is not None and self._error_value(n.expr)
        ]
        return _closure(returns, lambda nid: preds.get(nid, ()))

    @cached_property
    def _goto_reached(self) -> set[int]:
        """Nodes a goto leads to: the kernel's unwind ladders (`fail_platform:
        kfree(asus);`)."""
        nodes = self.fn.nodes
        targets = [s for n in nodes if n.kind is Kind.GOTO for s in n.succs]
        return _closure(targets, lambda nid: nodes[nid].succs)

    def _error_value(self, expr: ir.Expr) -> bool:
        expr = ir.uncast(expr)
        if isinstance(expr, ir.Unary) and expr.op == "-":
            return True  # `-ENOMEM`, `-1`
        if isinstance(expr, ir.Call):
            return expr.func == "ERR_PTR"
        return self.fn.returns_pointer and ir.is_zero(expr)

    def _failing(self, cond: ir.Expr, truth: bool) -> bool:
        return failed_check(cond, truth, self.apis, self.pointers | self.flags, self.integers)

    @cached_property
    def dereferenced(self) -> set[str]:
        """Names the function dereferences (`f->pos`, `*f`): see _not_null."""
        out: set[str] = set()
        for n in self.fn.nodes:
            for e in ir.walk(n.expr) if n.expr is not None else ():
                if isinstance(e, ir.Field) and e.arrow and isinstance(e.base, ir.Name):
                    out.add(e.base.name)
                elif isinstance(e, ir.Unary) and e.op == "*" and isinstance(e.operand, ir.Name):
                    out.add(e.operand.name)
        return out

    @cached_property
    def loop_rebinds(self) -> dict[int, set[str]]:
        """Node -> the locals a loop around it assigns (`irq_data = get(d, i)`):
        each pass of that loop may find another object through them."""
        nodes = self.fn.nodes
        out: dict[int, set[str]] = {}
        for head in nodes:
            if head.kind is Kind.BRANCH and head.loop_end >= 0:
                body = range(head.id + 1, head.loop_end + 1)
                names = {
                    e.target.name
                    for n in body
                    if nodes[n].expr is not None
                    for e in ir.walk(nodes[n].expr)
                    if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name)
                }
                for n in body if names else ():
                    out.setdefault(n, set()).update(names)
        return out

    def _cleanup_loops(self) -> dict[int, list[ir.Expr]]:
        """Loop heads whose body frees and allocates nothing: unwind loops.

        `while (--i >= 0) kfree(bufs[i]);` runs as often as there are
        blocks to free, a count the analysis does not track.  Such a loop
        is taken to run while what it frees is still live, so its exit
        is not a path on which those blocks leak.  The frees may be a
        helper's (`for (; i >= 0; --i) vhost_vq_free_iovecs(dev->vqs[i]);`):
        then what its summary frees, as (argument, field chain).
        """
        out: dict[int, list[tuple[ir.Expr, str]]] = {}
        for head in self.fn.nodes:
            if head.kind is not Kind.BRANCH or head.loop_end < 0:
                continue
            frees: list[tuple[ir.Expr, str]] = []
            allocates = False
            for node in self.fn.nodes[head.id + 1 : head.loop_end + 1]:
                if node.expr is None or self._leaves_loop(node, head):
                    continue
                for e in ir.walk(node.expr):
                    if not isinstance(e, ir.Call):
                        continue
                    for api in self.apis.lookup(e.func):
                        if api.role in ("allocator", "reallocator"):
                            allocates = True
                        elif api.role == "free" and api.pointer < len(e.args):
                            frees.append((e.args[api.pointer], ""))
                    summary = self._summary_call(e)
                    if summary is None:
                        continue
                    for eff in summary.effects:
                        if (
                            eff.on_zero == eff.on_nonzero == "freed"
                            and eff.index < len(e.args)
                            and (eff.chain or not _address(e.args[eff.index]))
                        ):
                            frees.append((e.args[eff.index], eff.chain))
            if frees and not allocates:
                out[head.id] = frees
        return out

    def _leaves_loop(self, node: ir.Node, head: ir.Node) -> bool:
        """Does the straight line from `node` leave the loop at `head` (`if (rc) {
        kfree(insns); return rc; }` in a copy loop): a free on the way out of a
        loop does not make the loop an unwind loop."""
        nodes = self.fn.nodes
        for _ in range(8):
            if node.kind is Kind.RETURN:
                return True
            if len(node.succs) != 1:
                return False
            nxt = node.succs[0]
            if nxt == head.id:
                return False
            if not head.id < nxt <= head.loop_end:
                return True  # a goto or break out of it
            node = nodes[nxt]
        return False

    def _first_trip(self, cond: ir.Expr | None, world: World) -> bool:
        """`for (i = 0; i < ARRAY_SIZE(x); i++)` runs at least once: i is still 0."""
        if not (isinstance(cond, ir.Binary) and cond.op in ("<", "!=")):
            return False
        var, bound = cond.left, cond.right
        if not (isinstance(var, ir.Name) and world.vals.get(var.name) == "zero"):
            return False
        if isinstance(bound, ir.Const):
            return bound.value is not None and bound.value > 0
        if isinstance(bound, ir.Call):
            return self.apis.role(bound.func, "count") is not None
        return isinstance(bound, ir.Name) and bool(_MACRO_CONSTANT.match(bound.name))

    def _array_init(self, node: ir.Node, world: World) -> bool:
        """`char *env[] = { "X", kasprintf(..), NULL };`: the array holds what its
        initialiser allocates (as `env[]`: the elements are not told apart)."""
        init = node.expr
        if not (
            node.name in self.arrays
            and isinstance(init, ir.Opaque)
            and init.text.lstrip().startswith("{")
        ):
            return False
        for part in init.parts:
            rid = self.eval(part, world, holder=f"{node.name}[]")
            if rid is not None and world.status.get(rid) in OWNED:
                self.bind_key(f"{node.name}[]", rid, world)
        return True

    def _struct_init(self, name: str | None, init: ir.Expr, world: World) -> bool:
        """`struct foo_params p = { .buf = buf };`, `p = (struct foo_params){ .. }`:
        a structure of this frame holds the blocks its initialiser names, under
        their designators, so that `foo_run(&p)` hands them on with it."""
        init = ir.uncast(init)
        if not (
            name in self.locals
            and name not in self.pointers
            and name not in self.arrays
            and isinstance(init, ir.Opaque)
            and _INITIALISER.match(init.text)
        ):
            return False
        for key in [k for k in world.env if k.startswith(name + ".")]:
            del world.env[key]  # (the whole structure is written)
        parts = list(init.parts)
        while parts:
            part = parts.pop(0)
            if type(part) is ir.Opaque:
                # (clang: the literal's list one level down, each `.a = x` apart)
                parts[:0] = part.parts
                continue
            rid = self.eval(part, world)
            if rid is None or world.status.get(rid) not in OWNED or type(part) is not ir.Name:
                continue
            designated = r"\.\s*([A-Za-z_]\w*)\s*=\s*" + re.escape(part.name) + r"\s*[,}]"
            m = re.search(designated, init.text)
            if m:
                self.bind_key(f"{name}.{m.group(1)}", rid, world)
        return True

    def _not_entered(self, head: ir.Node, world: World) -> bool:
        """At a loop's exit: has its body not run yet (`i` still 0 in `i < n`)?"""
        cond = head.expr
        return (
            isinstance(cond, ir.Binary)
            and cond.op in ("<", "!=", "<=")
            and isinstance(cond.left, ir.Name)
            and world.vals.get(cond.left.name) == "zero"
        )

    def _loop_stores(self, head: ir.Node) -> list[ir.Expr]:
        """Locals whose value a loop's body stores into a structure (`x->a[i] = p`)."""
        hit = self._stores_in_loop.get(head.id)
        if hit is None:
            hit = []
            for n in self.fn.nodes[head.id + 1 : head.loop_end + 1]:
                e = n.expr
                if (
                    isinstance(e, ir.Assign)
                    and e.op == "="
                    and isinstance(e.value, ir.Name)
                    and isinstance(e.target, (ir.Field, ir.Index))
                ):
                    hit.append(e.value)
            self._stores_in_loop[head.id] = hit
        return hit

    def _unwinding(self, head: ir.Node, world: World) -> bool:
        below = head.id + 1 in self.below_current
        cursor = self.cursor_of(head)
        for arg, chain in self.cleanup_loops.get(head.id, ()):
            if cursor is not None and root_name(arg) == cursor:
                continue  # frees the elements the loop walks, not what the cursor held
            # (create: a parameter's array element is found by touching it)
            found = self._effect_targets(arg, chain, world)
            if below and "[" in arg.text:  # (as for the free itself: see `apply_api`)
                found = [
                    r
                    for r in found
                    if r not in world.this_pass or not self._at_unwind_index(r, world)
                ]
            if any(world.status.get(r) in OWNED for r in found):
                return True
        return False

    # -------------------------------------------------------------- sites

    def site(self, key: tuple, **kw) -> Site:
        s = self.sites.get(key)
        if s is None:
            s = Site(rid=len(self.sites) + 1, **kw)
            self.sites[key] = s
        self.rid_sites[s.rid] = s
        return s

    # -------------------------------------------------------------- driver

    def run(self) -> None:
        start = World.start()
        for name, index in self.params.items():
            if index in self.given:
                # memory the framework hands in, this function's to free or pass on
                s = self.site(("given", self.fn.name, index), **self.given[index])
                start.env[name] = s.rid
                start.status[s.rid] = LIVE
                continue
            s = self.site(
                ("param", self.fn.name, index, ""),
                span=self.fn.span,
                api="",
                family="",
                param=(index, ""),
            )
            start.env[name] = s.rid
            start.status[s.rid] = PARAM
        if self.globals:
            start.status[FILE_VARS] = GLOBAL
        seen: dict[int, set] = {}
        queue: deque[tuple[int, World]] = deque([(self.fn.entry, start)])
        nodes, transfer, collect = self.fn.nodes, self.transfer, self.collect
        steps = 0
        while queue:
            nid, world = queue.popleft()
            steps += 1
            if steps > MAX_STEPS:
                self.truncated = True
                break
            bucket = seen.get(nid)
            if bucket is not None and len(bucket) >= CROWDED and world.vals:
                self._forget_dead_values(nid, world)
            if bucket is not None and len(bucket) >= MAX_WORLDS:
                # A full node: the world is dropped, and the analysis truncated
                # if it is a new one (no key to compute once that is known).
                if not self.truncated and world.key() not in bucket:
                    self.truncated = True
                continue
            k = world.key()
            if bucket is None:
                seen[nid] = {k}
            else:
                # Add, and see by the size whether it was there: one hash of
                # the key (a tuple's hash is not cached), not two.
                size = len(bucket)
                bucket.add(k)
                if len(bucket) == size:
                    continue  # this world was here already
            outs = transfer(nodes[nid], world)
            if len(outs) == 1:  # most nodes: one successor, no repeat to copy
                succ, out = outs[0]
                if not TERMINAL.isdisjoint(out.status.values()):  # (collect's own test)
                    collect(out)
                queue.append((succ, out))
                continue
            given: set[int] = set()
            for succ, out in outs:
                if id(out) in given:
                    out = out.copy()  # one world per queue entry: transfer may mutate it
                given.add(id(out))
                collect(out)
                queue.append((succ, out))
        # A global left behind is shown only by a function that frees that
        # global on its way to another error exit: it undoes its own work; or
        # by a module's `__init` function: after it fails nothing of the module
        # runs again, its `__exit` least of all.
        for key, name in self._global_of.items():
            if name not in self.globals_undone and not self.init_entry:
                param_key, leak = self.deferred[key]
                self.deferred[key] = (param_key, dataclasses.replace(leak, tentative=True))

    # -------------------------------------------------------------- transfer

    def transfer(self, node: ir.Node, world: World) -> list[tuple[int, World]]:
        """The successors' worlds.  `world` is this call's own (no queue entry or
        other world shares it), so it is changed in place and handed on, not
        copied; only a second successor needs a copy.  A world may appear in
        the result more than once; the caller copies the repeats."""
        kind = node.kind
        self._node = node.id
        if kind is Kind.BRANCH:
            if world.this_pass and node.loop_end >= 0 and node.id not in self.cleanup_loops:
                world.this_pass = frozenset()  # a new pass of an allocating loop
            return self._branch(node, world)
        if kind is Kind.EXPR and node.expr is not None:
            self._statement = node.expr
            self.eval(node.expr, world)
            self._statement = None
        elif kind is Kind.DECL:
            self.unbind_local(node.name, world)
            if node.expr is not None and self._array_init(node, world):
                pass
            elif node.expr is not None and self._struct_init(node.name, node.expr, world):
                pass
            elif node.expr is not None and self._summary_call(ir.uncast(node.expr)) is not None:
                # `T *body = wfx_alloc_hif(.., &hif);`: as `body = ..`, so that what
                # the callee did through `&hif` waits for the test of `body`
                assign = self._decl_assigns.get(node.id)
                if assign is None:
                    target = ir.Name(node.span, node.name, node.name)
                    assign = ir.Assign(node.span, node.name, target, node.expr, "=")
                    self._decl_assigns[node.id] = assign
                self._eval_assign(assign, world, None)
            elif node.expr is not None:
                self._derived = False
                value = self.eval(node.expr, world, holder=node.name)
                derived = self._derived
                if derived and not node.decl_pointer:
                    value = None
                if value is None and node.decl_pointer:
                    value = self._param_field(node.expr, world)
                self.assign_int(node.name, node.expr, world)
                if value is not None:
                    self.bind_key(node.name, value, world, derived)
                self._alias(node.name, node.expr, world)
        elif kind is Kind.SWITCH and node.expr is not None:
            self.eval(node.expr, world)
            return self._cases(node, world)
        elif kind is Kind.GOTO:
            world.via = node
            world.via_branch = world.branch
        elif kind is Kind.RETURN:
            expr = node.expr
            assigned = world.vals.get(_ERRNO_RESULT + expr.name) if type(expr) is ir.Name else None
            only_returned = assigned is not None and assigned != _TAKES_MARK
            if only_returned or (assigned is not None and self._takes_on_success(expr, world)):
                # `ret = foo_take(x); return ret;`: what foo_take did with x
                # depends on ret; a failure returns it to our caller with x ours.
                # `ret = foo_send(dev, buf); return ret;`: foo_send's errno is
                # ours, so this is an error exit too, for what we hold.
                ok = world.copy()
                failed = self.refine(expr, world, True)
                for w in failed if world.via is None and only_returned else ():
                    # (the report: "when `ret = foo_send(dev, buf)` is true (line ..)")
                    w.branch = (self.fn.nodes[int(assigned)], True)
                for w in failed + self.refine(expr, ok, False):
                    self.exit(node, w)
                return []
            call = self._returns_call(expr)
            inner = None if call is not None else self._returns_tested_call(expr)
            if call is not None or inner is not None:
                # `return snd_ctl_add_replace(card, kctl, mode);`: the callee's
                # result is ours, and what it did with kctl depends on it.
                # `return PTR_ERR_OR_ZERO(__clk_register(.., hw));`: ours is
                # non-zero exactly when the pointer function failed with an
                # ERR_PTR (a NULL failure, zero too, is read as its success).
                failed = world.copy()
                for w, cls in ((world, "zero"), (failed, "nonzero")):
                    if call is not None:
                        self._returning = (call, cls)
                    else:
                        self._returning = (inner, _OTHER[cls])
                    self._exit_class = cls
                    self.exit(node, w)
                self._returning = self._exit_class = None
                return []
            self.exit(node, world)
            return []
        succs = node.succs
        if len(succs) == 1:  # (most nodes)
            return [(succs[0], world)]
        # (a loop, not a comprehension: one would make `world` a closure cell
        # of this function, slower to read at every step)
        out = []
        for s in succs:
            out.append((s, world))
        return out

    def _cases(self, node: ir.Node, world: World) -> list[tuple[int, World]]:
        """`transfer` of a SWITCH node: the edge to `case K:` knows `x == K`
        (`switch (type) { case T_UC: grp = get(); }` .. `if (type == T_UC) put(grp);`),
        where a fallthrough into the same label knows nothing."""
        root = root_name(node.expr)
        if root is None or root not in self.tested_names:
            return [(s, world) for s in node.succs]  # no later test to agree with
        out = []
        nodes = self.fn.nodes
        values = [nodes[s].case_value for s in node.succs if nodes[s].case_value is not None]
        for s in node.succs:
            value = nodes[s].case_value
            if value is None:
                # `default:` (or past the switch): none of the cases, so a later
                # `switch` on the same value takes its default too (not in a
                # loop: `switch (desc->type)` is of the next desc on the next pass)
                worlds = [world.copy()]
                for v in values if node.id not in self.looped else ():
                    worlds = [r for w in worlds for r in self._refine_equal(node.expr, v, w, False)]
                out.extend((s, w) for w in worlds)
                continue
            for w in self._refine_equal(node.expr, value, world.copy(), True):
                out.append((s, w))
        return out

    def _branch(self, node: ir.Node, world: World) -> list[tuple[int, World]]:
        """`transfer` of a BRANCH node: each slot's refined worlds.  (A method of
        its own: its comprehension made `transfer`'s variables closure cells.)"""
        out = []
        for slot, truth in ((0, True), (1, False)):
            if slot >= len(node.succs):
                continue
            if slot == 1 and node.id in self.cleanup_loops and self._unwinding(node, world):
                continue
            if slot == 1 and node.loop_end >= 0 and self._first_trip(node.expr, world):
                continue
            if slot == 1 and node.name == "scoped_guard":
                continue  # (its body runs once, always: the lock is taken)
            zero_trip = slot == 1 and node.loop_end >= 0 and self._not_entered(node, world)
            last = slot == len(node.succs) - 1
            skipped = self._guarded_frees(node, 1 - slot)  # (shared: not changed)
            if (
                skipped
                and _mode_test(node.expr)
                and not self.refine(node.expr, world.copy(), not truth)
            ):
                # `if (type == T_TRAP) kfree(n->grp);` where this path knows type is
                # T_UC (`case T_UC:`): the free is not stepped over by a guess of
                # the tool's.  (Only tests of a mode against a constant: other
                # facts can rest on what a summary cannot say, `if (rc && !len)`.)
                skipped = []
            mine = world if last else world.copy()  # the last slot may have it
            cursor = self.cursor_of(node) if slot == 0 else None
            # (an iterator macro's "condition" is its arguments: `entity, mdev`
            # of `media_device_for_each_entity(entity, mdev)` says nothing of
            # whether the walk goes on, and mdev tested non-NULL before must
            # not make the loop endless)
            tested = None if node.name else node.expr  # (set on loop heads only)
            self._testing = (node.id, truth)  # (for _refused)
            for w in self.refine(tested, mine, truth) if tested else [mine]:
                w.branch = (node, truth) if node.expr is not None else None
                if cursor is not None:
                    self.unbind_local(cursor, w)  # now the walk's next element
                if zero_trip:
                    # `for (i = 0; i < n; i++) s->e[i].buf = hi;` not run at all:
                    # n is almost never 0 where the loop stores the block.
                    skipped = skipped + self._loop_stores(node)
                for arg in skipped:
                    live = [r for r in self.resolve(arg, w) if w.status.get(r) in OWNED]
                    if live:
                        w.skipped = w.skipped | frozenset(live)
                out.append((node.succs[slot], w))
            self._testing = None
        return out

    def cursor_of(self, head: ir.Node) -> str | None:
        """The variable a loop macro sets to each element it walks
        (`list_for_each_entry_safe(buf, tmp, list, head)`: buf), if any."""
        if head.name is None or head.loop_end < 0 or not self.apis.sets_cursor(head.name):
            return None
        first = head.expr
        while isinstance(first, ir.Binary) and first.op == ",":
            first = first.left
        return first.name if isinstance(first, ir.Name) else None

    def _returns_call(self, expr: ir.Expr | None) -> ir.Call | None:
        """`return foo_add(x);` in an int function, where foo_add's summary frees
        (or drops) x when it fails and does something else when it succeeds.

        Only then: a summary that keeps x on success and leaves it on failure
        often missed how the failing callee gets rid of it (a destructor it
        was given, a completion), and taking the exit as that failure made
        22 findings on drivers/, 12 false (vmw_context_init, talitos)."""
        if expr is None or self.fn.returns_pointer or self.fn.returns_void:
            return None
        call = ir.uncast(expr)
        summary = self._summary_call(call)
        if summary is None or summary.error_class != "nonzero" or self.never_fails(call.func):
            return None
        if any(
            e.on_nonzero in ("freed", "dropped") and e.on_zero != e.on_nonzero
            for e in summary.effects
        ):
            return call
        return None

    def _returns_tested_call(self, expr: ir.Expr | None) -> ir.Call | None:
        """`return PTR_ERR_OR_ZERO(__clk_register(.., hw));` in an int function:
        the pointer function whose failure our non-zero result is.

        Unlike `_returns_call`, for any summary: the alternative is one
        reading for both exits, and either one is wrong for one of them
        (`clk_hw_register()` kept `hw` on both, or on neither). Leaks at the
        failing exit are low (`Leak.helper_failed`)."""
        fn = self.fn
        if expr is None or fn.returns_pointer or fn.returns_void or fn.returns_bool:
            return None
        test = ir.uncast(expr)
        if not isinstance(test, ir.Call):
            return None
        api = self.apis.role(test.func, "condition")
        if api is None or api.test != "is_err" or api.pointer is None:
            return None
        if api.pointer >= len(test.args):
            return None
        call = self._pointer_call(test.args[api.pointer])
        return None if call is None or self.never_fails(call.func) else call

    def _pointer_call(self, expr: ir.Expr) -> ir.Call | None:
        """`foo_create(.., hw)` given to `IS_ERR()` or `PTR_ERR_OR_ZERO()`: a
        call of a function whose summary fails as "zero" (a pointer function)."""
        call = ir.uncast(expr)
        if type(call) is not ir.Call:
            return None
        summary = self._summary_call(call)
        return call if summary is not None and summary.error_class == "zero" else None

    def _guarded_frees(self, node: ir.Node, slot: int) -> list[ir.Expr]:
        """`if (flag) kfree(p);`: what the free on branch `slot` releases, when that
        branch rejoins the other one right after it (a guarded free, not an error
        block that returns)."""
        key = (node.id, slot)
        hit = self._guarded.get(key)
        if hit is not None:
            return hit
        out: list[ir.Expr] = []
        other = 1 - slot
        if slot < len(node.succs) and other < len(node.succs):
            # the join: the other branch's first node, or, past an `else` of a
            # statement or two (`if (x->pending) unlock(x); else kvfree(x);`),
            # where that one goes next
            join = node.succs[other]
            for _ in range(3):
                found = self._frees_until(node.succs[slot], join, 4)
                if found is not None:
                    out = found
                    break
                after = self.fn.nodes[join]
                if after.kind is not Kind.EXPR or len(after.succs) != 1:
                    break
                join = after.succs[0]
        self._guarded[key] = out
        return out

    def _frees_until(self, nid: int, join: int, budget: int) -> list[ir.Expr] | None:
        """The frees on a short path from `nid` to `join` (through statements and
        branches, `if (!force) return;` being one), or None if there is none."""
        if nid == join:
            return []
        n = self.fn.nodes[nid]
        if budget == 0 or n.loop_end >= 0 or n.kind not in (Kind.EXPR, Kind.BRANCH):
            return None
        here: list[ir.Expr] = []
        if n.kind is Kind.EXPR and isinstance(n.expr, ir.Call):
            freed = self.freed_arg(n.expr, "free")
            if freed is not None:
                here.append(freed)
        for succ in n.succs:
            rest = self._frees_until(succ, join, budget - 1)
            if rest is not None:
                return here + rest
        return None

    def collect(self, world: World) -> None:
        """Forget resources that can no longer leak (freed, escaped, NULL)."""
        if TERMINAL.isdisjoint(world.status.values()):
            # Nothing to forget: the common case, one pass in C (four times
            # faster than three `in` scans, which compare the strings).
            return
        dead = {r for r, s in world.status.items() if s in TERMINAL}
        # What an escaped block holds went with it, even if stored there late.
        for (c, _), v in list(world.heap.items()):
            if world.status.get(c) == ESCAPED and world.status.get(v) in OWNED:
                self.escape(v, world)
        dead = {r for r, s in world.status.items() if s in TERMINAL}
        destroyed = {r for r in dead & self.destroyed if world.status[r] == FREED}
        for r in dead:
            del world.status[r]
            world.realloc.pop(r, None)
            world.holders.pop(r, None)
            world.lent.pop(r, None)
            world.failed.pop(r, None)
        world.env = _Map({k: v for k, v in world.env.items() if v not in dead})
        if world.derived:
            world.derived = _KeyMap({k: True for k in world.derived if k in world.env})
        for (c, f), v in list(world.heap.items()):
            if c in dead or v in dead:
                del world.heap[(c, f)]
                if c in dead and v not in dead and world.status.get(v) in OWNED:
                    if self.interior_fields and _field_name(f) in self.interior_fields:
                        continue  # (a pointer into v: freeing c frees none of v)
                    if c in destroyed and not (
                        _left_out(f, self.destroyed_with.get(c), empty_frees_all=True)
                        if v in world.failed
                        else _left_out(f, self.destroyed_named.get(c), empty_frees_all=False)
                    ):
                        # freed by a function (`hwmon_dev_release(hdev)`), not a bare
                        # kfree: a destructor frees what the structure holds
                        world.status[v] = FREED
                    else:
                        world.freed_container[v] = f
        world.realloc = _Map({k: v for k, v in world.realloc.items() if v not in dead})

    # -------------------------------------------------------------- resolution

    def is_local(self, root: str) -> bool:
        return root in self.locals

    def resolve(self, expr: ir.Expr, world: World, create: bool = False) -> list[int]:
        """The resources an access path currently holds."""
        if type(expr) is ir.Name:  # (a bare name: see _eval_name)
            name = expr.name
            if name in self.locals:
                v = world.env.get(name)
            else:
                v = world.heap.get((FILE_VARS, name)) if name in self.globals else None
            return [] if v is None else [v]
        hit = self._plans._table.get(id(expr))  # self._plans.get, inlined: the hottest call
        plan = hit[1] if hit is not None and hit[0] is expr else self._plans.get(expr, self._plan)
        if plan is None:
            return []
        root, tokens, segs, env_key = plan
        if tokens and root in world.aliases:
            root, tokens = self._unalias(root, tokens, world)
            return self.resolve_path(root, tokens, world, create)
        if env_key is not None:  # a plain local (resolve_segments' commonest case)
            v = world.env.get(env_key)
            return [] if v is None else [v]
        if segs is None:
            if not tokens and root in self.globals:  # `vfree((void *)g_buf)`
                v = world.heap.get((FILE_VARS, root))
                return [] if v is None else [v]
            return []  # not a local: a global's field or an unknown name
        return self.resolve_segments(segs, world, create)

    def _plan(self, expr: ir.Expr) -> tuple[str, list[str], list[str] | None, str | None] | None:
        """`path_of(expr)`; if its root is a local, its segments; if those are one
        plain env key, that key.  Fixed for an expression, so `resolve` works
        it out once (`self._plans`), not at every visit of every world.  The
        lists are shared: callers must not change them.
        """
        p = path_of(expr)
        if p is None:
            return None
        root, tokens = p
        if not self.is_local(root):
            if tokens and root in self.globals:  # `g->dev`: from what g holds
                return root, tokens, self._segments(root, tokens), None
            return root, tokens, None, None
        segs = self._segments(root, tokens)
        env_key = segs[0] if len(segs) == 1 and not _multi(segs[0]) else None
        return root, tokens, segs, env_key

    def resolve_path(self, root: str, tokens: list[str], world: World, create: bool) -> list[int]:
        if not self.is_local(root) and root not in self.globals:
            return []
        return self.resolve_segments(self._segments(root, tokens), world, create)

    def _segments(self, root: str, tokens: list[str]) -> list[str]:
        """Segments of a path; `p->x` through a walking pointer (`p++`) is `p[i].x`.

        Fixed for a path (iterators and arrays are the function's), and asked
        again at every visit (`owner_of` tries each prefix of a path): kept
        per path.  The list is shared: callers must not change it.
        """
        key = (root, *tokens)
        hit = self._segs.get(key)
        if hit is None:
            if root in self.iterators and tokens and tokens[0].startswith("->"):
                tokens = ["[]", "." + tokens[0][2:], *tokens[1:]]
            hit = self._segs[key] = _segments(root, tokens, root in self.arrays)
        return hit

    def resolve_segments(self, segs: list[str], world: World, create: bool) -> list[int]:
        # The plain lookups of _lookup_env and _lookup_heap (no `[]` in the key,
        # the value there) inline: most segments of most paths are such.
        first = segs[0]
        if "[]" in first:  # (_multi)
            cur = self._lookup_env(first, world)
        else:
            v = world.env.get(first)
            if v is None and first in self.globals:
                v = world.heap.get((FILE_VARS, first))  # (`g->dev` of a global g)
            cur = [] if v is None else [v]
        heap = world.heap
        for seg in segs[1:]:
            if len(cur) == 1:  # the common case, without a list to merge into
                if "[]" not in seg:
                    v = heap.get((cur[0], seg))
                    if v is not None:
                        cur = [v]
                        continue
                    if not create:  # (nothing there, and nothing to make)
                        cur = []
                        continue
                cur = self._lookup_heap(cur[0], seg, world, create)
                continue
            nxt: list[int] = []
            for c in cur:
                nxt.extend(self._lookup_heap(c, seg, world, create))
            cur = nxt
        return cur

    def _lookup_env(self, key: str, world: World) -> list[int]:
        if _multi(key):
            prefix = key + "#"
            return [v for k, v in world.env.items() if k.startswith(prefix)]
        v = world.env.get(key)
        return [] if v is None else [v]

    def _lookup_heap(self, c: int, chain: str, world: World, create: bool) -> list[int]:
        if _multi(chain):
            prefix = chain + "#"
            found = [v for (cc, f), v in world.heap.items() if cc == c and f.startswith(prefix)]
        else:
            v = world.heap.get((c, chain))
            found = [] if v is None else [v]
        st = world.status.get(c)
        if found or not create or not (st == PARAM or st == P_ESCAPED and self._freeing):
            return found
        # First touch of a parameter's field: a PARAM resource of its own (also,
        # to be freed, once the parameter was kept somewhere: `foo_free_cmds(
        # mhba); kfree(mhba->regs);` still frees the caller's member).
        parent = self.rid_sites.get(c)
        if parent is None or parent.param is None:
            return []
        index, base = parent.param
        s = self.site(
            ("param", self.fn.name, index, base + chain),
            span=self.fn.span,
            api="",
            family="",
            param=(index, base + chain),
        )
        world.heap[(c, chain)] = s.rid
        st = world.status.get(s.rid)
        if not (st == P_FREED or _multi(chain) and st == P_ESCAPED):
            # (an array's elements are one resource: one freed in an earlier
            # pass of a loop stays freed when the next is touched; so does a
            # member freed and then cleared, `kfree(*str); *str = NULL;`)
            world.status[s.rid] = PARAM
        return [s.rid]

    def owner_of(self, expr: ir.Expr, world: World) -> list[int]:
        """The resource an argument points into: `&obj->node` -> obj."""
        while isinstance(expr, ir.Unary) and expr.op == "&" or isinstance(expr, ir.Cast):
            expr = expr.operand
        p = self._path(expr, world)
        if p is None:
            return []
        root, tokens = p
        # (`&b->c->list` is in what b->c points to, not in b: no cut past an arrow)
        floor = max((i for i, t in enumerate(tokens) if t.startswith("->")), default=0)
        for cut in range(len(tokens), floor - 1, -1):
            found = self.resolve_path(root, tokens[:cut], world, create=False)
            if found:
                return found
        return []

    # -------------------------------------------------------------- binding

    def unbind_local(self, name: str | None, world: World) -> None:
        if name is None:
            return
        # (`if k in m: del m[k]`, not `m.pop(k, None)`: the name is usually
        # unbound, and the test is in C where `_Map.pop` is a Python call)
        for m in (world.env, world.aliases, world.derived):
            if name in m:
                del m[name]
        _forget_int(world, name)
        if name in world.pending:
            self._drop_pending(name, world)

    def bind_key(self, key: str, rid: int, world: World, derived: bool = False) -> None:
        if _multi(key):
            key = f"{key}#{rid}"
        world.env[key] = rid
        if derived:
            world.derived[key] = True
        else:
            world.holders.setdefault(rid, key)

    def _path(self, expr: ir.Expr, world: World) -> tuple[str, list[str]] | None:
        """path_of, seeing through `img = &pieces->img[t]` aliases (the token list
        may be shared: not to be changed)."""
        plan = self._plans.get(expr, self._plan)
        return None if plan is None else self._unalias(plan[0], plan[1], world)

    def _unalias(self, root: str, rest: list[str], world: World) -> tuple[str, list[str]]:
        if not rest or root not in world.aliases:
            return root, rest  # a bare alias name is bound to the block it points into
        alias_root, base = world.aliases[root]
        if rest[0].startswith("->"):
            rest = ["." + rest[0][2:], *rest[1:]]  # img->sec == pieces->img[t].sec
        elif rest[0] == "*":
            rest = rest[1:]
        return alias_root, [*base, *rest]

    def _alias(self, name: str, value: ir.Expr, world: World) -> None:
        """Record or drop `name` as an alias of a member reached through a pointer."""
        if name in world.aliases:  # (usually not: a test in C, no `_Map.pop` call)
            del world.aliases[name]
        while isinstance(value, ir.Cast):
            value = value.operand
        if (
            isinstance(value, ir.Unary)
            and value.op == "&"
            and (_member(value.operand) or isinstance(value.operand, ir.Index))
        ):
            p = self._path(value.operand, world)
            if p is not None and p[0] != name:
                world.aliases[name] = (p[0], tuple(p[1]))
        elif (
            isinstance(value, ir.Binary)
            and value.op == "+"
            and isinstance(value.left, ir.Name | ir.Field)
        ):
            # `rgn = rgn_table + i` is `&rgn_table[i]`
            p = self._path(self._elements.get(value, _element), world)
            if p is not None and p[0] != name:
                world.aliases[name] = (p[0], tuple(p[1]))

    def _own_reference(self, arg: ir.Expr, world: World) -> bool:
        """Is `arg` the parameter's own object (`put_device(&nd_pfn->dev)`, or
        `dev` after `dev = &nd_pfn->dev`), whose reference the caller gave, and
        not one this function took itself (`get_device()`) or reached through
        an accessor (`kobject_put(&EXT4_SB(sb)->s_kobj)`)?"""
        root = root_name(arg)
        if root in world.aliases:
            root = world.aliases[root][0]
        return root in self.params and root not in self.assigned and _GOT + root not in world.vals

    def _param_field(self, expr: ir.Expr, world: World) -> int | None:
        """`dvb = dev->dvb`: a local now points at memory the caller owns."""
        while isinstance(expr, ir.Cast):
            expr = expr.operand
        if not isinstance(expr, ir.Field | ir.Index) and not (
            isinstance(expr, ir.Unary) and expr.op == "*"
        ):
            return None
        found = self.resolve(expr, world, create=True)
        return found[0] if len(found) == 1 and world.status.get(found[0]) == PARAM else None

    def _via_derived(self, expr: ir.Expr, world: World) -> bool:
        """Does expr reach memory only through an accessor's result (`dev = foo_dev(x)`)?"""
        if not world.derived:
            return False  # (asked first: the cheapest test, and the usual answer)
        p = self._plans.get(expr, self._plan)  # (its root and tokens are path_of's)
        if p is None or p[1]:
            return False  # fields reached through an accessor's result are real fields
        return p[0] in world.derived

    def store(self, target: ir.Expr, rid: int | None, world: World, derived: bool = False) -> None:
        """`target = value`: bind, contain, or let the value escape."""
        hit = self._plans._table.get(id(target))  # (self._plans.get inlined, as in resolve)
        if hit is not None and hit[0] is target:
            plan = hit[1]
        else:
            plan = self._plans.get(target, self._plan)
        if plan is None:
            if rid is not None:
                self.escape(rid, world)
            return
        root, tokens, segs, _ = plan
        if tokens and root in world.aliases:  # (a bare name is never unaliased)
            root, tokens = self._unalias(root, tokens, world)
            segs = None
        if (
            rid is not None
            and (tokens or not self.is_local(root))
            and rid in self.rid_sites
            and not self._drvdata_store  # (the driver model reads drvdata setters itself)
        ):
            self.field_stores.add((root, tuple(tokens), self.rid_sites[rid]))
        if not self.is_local(root):
            if not tokens and root in self.globals:
                self._store_global(root, rid, world)
            elif rid is not None:
                self.escape(rid, world)  # a global's field, an unknown name
            return
        if segs is None:
            segs = self._segments(root, tokens)
        if len(segs) == 1:
            key = segs[0]
            if not _multi(key):
                if key in world.env:  # (`if in: del`: see unbind_local)
                    del world.env[key]
                if key in world.derived:
                    del world.derived[key]
                if world.aliases:
                    # `rcmd = &ptr->next; .. ptr = kmalloc(..);`: rcmd points
                    # into the old block, not into the new one
                    for name in [a for a, (root, _) in world.aliases.items() if root == key]:
                        del world.aliases[name]
            if rid is not None:
                self.bind_key(key, rid, world, derived)
            return
        containers = self.resolve_segments(segs[:-1], world, True)
        chain = segs[-1]
        if len(containers) != 1:
            if rid is not None:
                self.escape(rid, world)  # unknown memory: owned elsewhere
            return
        c = containers[0]
        if not _multi(chain):
            slot = (c, chain)
            # (usually empty: `if in` spares the Python-level `_Map.pop`)
            old = world.heap.pop(slot) if slot in world.heap else None
            if (
                old is not None
                and segs[0] in world.derived
                and world.status.get(old) in OWNED
                and segs[0] in self.loop_rebinds.get(self._node, ())
                and not _stores_null(self._statement)  # (not `cq->buf = NULL;`)
                and world.realloc.get(rid) != old  # (not `p->tbl = krealloc(p->tbl, ..)`)
            ):
                # `irq_data = get_irq_data(domain, i); irq_data->chip_data = ird;`
                # in a loop: an accessor's result is another object each time,
                # and the block stored in the last one stays there
                self.escape(old, world)
                old = None
            self._replace(old, rid, world)
            if old is not None and old in self.older and world.status.get(c) == PARAM:
                # `for (...; iommu++) iommu->pgtable = kzalloc(...)`: earlier
                # iterations filled other elements of the caller's array.
                self.escape(old, world)
        parent = self.rid_sites.get(c)
        if parent is not None and parent.param is not None:
            # Remember that this exit wrote something else there (see summaries).
            world.into[(parent.param[0], parent.param[1] + chain)] = ("", c, chain)
        if rid is None:
            return
        world.heap[(c, chain if not _multi(chain) else f"{chain}#{rid}")] = rid
        if c != rid:  # (`state->fe.priv = state` does not rename state)
            world.holders[rid] = _display(target)
        if world.status.get(c) in (PARAM, P_FREED, P_ESCAPED):
            world.handed.pop(c, None)
            # The caller's memory now holds it: it does not leak here, but it
            # stays visible so that `if (!p->buf)` still refines it.
            parent, site = self.rid_sites.get(c), self.rid_sites.get(rid)
            if world.status.get(rid) in OWNED:
                if parent and parent.param and site and not site.param:
                    stored = chain if not _multi(chain) else f"{chain}#{rid}"
                    world.into[(parent.param[0], parent.param[1] + chain)] = (
                        site.family,
                        c,
                        stored,
                    )
            elif not self._within(c, rid, world):
                # `obj->resv = &obj->_resv` points the block at itself: nothing escapes.
                self.escape(rid, world)

    def _store_global(self, name: str, rid: int | None, world: World) -> None:
        """`g_buf = value`: the block stays tracked in the file's variables.
        A block this replaces there is let go (it may be held elsewhere too),
        except by `g_buf = NULL;`: the function drops the pointer it stored."""
        slot = (FILE_VARS, name)
        old = world.heap.pop(slot) if slot in world.heap else None
        if old is not None and old != rid and not _stores_null(self._statement):
            self.escape(old, world)
        if rid is None:
            return
        if world.status.get(rid) in OWNED:
            world.heap[slot] = rid
            world.holders[rid] = name
        else:
            self.escape(rid, world)

    def _replace(self, old: int | None, new: int | None, world: World) -> None:
        """`if (a) p->buf = x_alloc(); if (b) p->buf = y_alloc();`: a block put
        in a field in the place of another one this function allocated and
        never tested. The code takes the two for exclusive (triage: correlated
        conditions), so a leak of the first is doubtful. (A block that was
        checked, `p->name = kstrdup(a); if (!p->name) ..; p->name = kstrdup(b);`,
        or a local given a second block is the classic forgotten kfree: not
        this. An earlier pass of a loop is told apart elsewhere.)"""
        if (
            old is not None
            and new is not None
            and old != new
            and old not in self.older
            and world.realloc.get(new) != old  # (`buf = krealloc(buf, ..)`)
            and world.status.get(old) in (MAYBE, MAYBE_ERR)  # never tested: not a checked setup
            and self.rid_sites.get(new) is not None
            and self.rid_sites[new].param is None
            and old not in world.env.values()
            and old not in world.heap.values()
        ):
            world.replaced = world.replaced | {old}  # (and no other place holds it)

    def _not_null(self, arg: ir.Expr, world: World) -> bool:
        """A pointer taken to be non-NULL: a block known live, or a pointer
        parameter this function dereferences (`f->pos`) and never tests for
        NULL. (One it only passes on may be NULL from a caller.)"""
        arg = ir.uncast(arg)
        if not isinstance(arg, ir.Name):
            return False
        if arg.name in self.param_names:
            return arg.name not in self.tested_names and arg.name in self.dereferenced
        rid = world.env.get(arg.name)
        return rid is not None and world.status.get(rid) == LIVE

    def _made_this_pass(self, rid: int, world: World) -> None:
        """A block allocated in this pass of a loop (only where an unwind loop
        that steps its index down asks: see below_current)."""
        if self.below_current:
            world.this_pass = world.this_pass | {rid}

    def _steps_index(self, target: ir.Expr) -> bool:
        """`p[i++] = ..`: a store whose subscript steps an unwind loop's index."""
        return any(
            isinstance(e, ir.Unary)
            and e.op == "++"
            and isinstance(e.operand, ir.Name)
            and e.operand.name in self.unwind_index
            for e in ir.walk(target)
        )

    def _linked(self, name: str, at: Span) -> set[str]:
        """`name` and the locals calls before `at` were given together with it
        (`f(&a, &b); g(&b, &c)` joins a, b and c)."""
        group = {name}
        for pos, given in self.link_calls:
            if pos >= (at.line, at.col):
                break
            if group & given:
                group |= given
        return group

    def _copy_members(self, target: ir.Expr, name: str, world: World) -> None:
        """`chunk->chunkmem = chunkmem;`: a structure copied whole takes the
        blocks its members hold (`chunk->chunkmem.va` now holds `chunkmem.va`'s)."""
        if name not in self.locals or name in self.pointers:
            return
        p = path_of(target)
        if p is None:
            return
        prefix = name + "."
        copied = [
            (key[len(prefix) :], rid)
            for key, rid in world.env.items()
            if key.startswith(prefix) and "[" not in key and "#" not in key
        ]
        for members, rid in copied:
            tokens = p[1] + ["." + m for m in members.split(".")]
            self.store(_rebuild(p[0], tokens, target.span), rid, world)

    def _lends_local(self, arg: ir.Expr) -> bool:
        """`&info`, `&info.sub`, `&ptr`, `values`: an argument that lends a
        variable, structure or array of this function's frame."""
        arg = ir.uncast(arg)
        if isinstance(arg, ir.Unary) and arg.op == "&":
            return root_name(arg.operand) in self.locals
        return isinstance(arg, ir.Name) and arg.name in self.arrays

    def _lost_with_local(self, site: Site, rid: int, world: World) -> bool:
        """Memory a failing helper left in a local variable or structure
        (`info.dest_buf`) goes out of scope with it, unless this path gave the
        local to a call since (`entry_clear(&entry)`, which may clean it up)."""
        holders = {_LOCAL_ROOT.match(k).group() for k, v in world.env.items() if v == rid}
        if not holders:
            return False  # held in a block, not by a local
        # (and the locals given with it to the helper: `dp_prepare(&entry,
        # values)` links values into entry, which `dp_entry_clear(&entry)` gets)
        call = self._calls_at.get(site.span)
        for a in call.args if call is not None else ():
            if self._lends_local(a):
                holders.add(root_name(ir.uncast(a)))
        return not any(_SHARED + h in world.vals for h in holders)

    @cached_property
    def _calls_at(self) -> dict[Span, ir.Call]:
        return {e.span: e for e in ir.call_exprs(self.fn)}

    def _within(self, c: int, rid: int, world: World) -> bool:
        """Is resource `c` the block `rid` or held (through fields) inside it?"""
        parents = {v: k[0] for k, v in world.heap.items()}
        seen: set[int] = set()
        while c not in seen:
            if c == rid:
                return True
            seen.add(c)
            if c not in parents:
                return False
            c = parents[c]
        return False

    def escape(self, rid: int, world: World, seen: set[int] | None = None) -> None:
        """Ownership leaves the function: the resource and what it holds."""
        seen = seen or set()
        if rid in seen:
            return
        seen.add(rid)
        st = world.status.get(rid)
        if st in OWNED:
            world.status[rid] = ESCAPED
            old = world.realloc.get(rid)
            if old is not None:
                world.status[old] = FREED
            partners = world.vals.get(_WITH + str(rid)) if world.vals else None
            for partner in map(int, partners.split()) if partners else ():
                if world.status.get(partner) in OWNED:
                    _lend(world, partner, ADRIFT)
        elif st == PARAM:
            world.status[rid] = P_ESCAPED
        elif st == MANAGED:
            return  # devres owns it; what it holds leaks if this function fails
        for v in [v for (c, _), v in world.heap.items() if c == rid]:
            self.escape(v, world, seen)

    @cached_property
    def unlinks(self) -> bool:
        """Does this function call an [[unlink]] API (`list_del`)? Only then are
        list links remembered (see `_unlink`)."""
        return any(api.role == "unlink" for c in self.fn.calls for api in self.apis.lookup(c))

    def _unlink(self, arg: ir.Expr, world: World) -> None:
        """`list_add(&mi->link, &ctx->list); .. list_del(&mi->link);` on the way
        out: the list no longer holds the block (LINKED), we alone do. A block
        that went anywhere else in between escaped there as before."""
        for rid in self.owner_of(arg, world):
            if world.lent.get(rid) == LINKED:
                # (given to code on the way, maybe: a success exit is not shown)
                world.lent[rid] = PASSED

    def free(self, rid: int, world: World) -> None:
        st = world.status.get(rid)
        if st in OWNED or st == MANAGED:
            world.status[rid] = FREED
            if st in OWNED:
                self._free_callers_member(rid, world)
            if st in OWNED and not world.freed_own:
                # undoing its own store into the caller's structure
                world.freed_own = _in_callers(rid, world)
            if self.globals and st in OWNED:
                for (c, name), v in world.heap.items():
                    if c == FILE_VARS and v == rid:
                        world.vals[_UNDONE + name] = "freed"  # `kfree(g_buf)`
            old = world.realloc.get(rid)
            if old is not None and st != LIVE:
                world.status[old] = FREED
        elif st == PARAM:
            world.status[rid] = P_FREED
        if rid in self.old_params and st in (*OWNED, PARAM):
            world.status[self.old_params[rid]] = P_FREED  # (the caller's block, regrown)
        elif st == PARAM and self.old_params:
            # the same block through another name (`old = ids; .. kfree(old)`)
            for old, param in self.old_params.items():
                if param == rid and world.status.get(old) in (*OWNED, PARAM, REALLOC_OLD):
                    world.status[old] = FREED

    def _at_unwind_index(self, rid: int, world: World) -> bool:
        """Is the block held at an index an unwind loop steps down (`p[i]` of
        `while (i--)`), or where the tool cannot tell?"""
        holder = world.holders.get(rid) or ""
        indexes = set(re.findall(r"\[([^\[\]]*)\]", holder))
        return not indexes or any(i.strip() in self.unwind_index for i in indexes)

    def _free_callers_member(self, rid: int, world: World) -> None:
        """A block of ours freed in a parameter's member, in the place of what
        the caller had there (`add_field()` grew `s->fields` on one call and
        freed it on failing the next): to the caller, that member is freed."""
        for (c, seg), v in world.heap.items():
            parent = self.rid_sites.get(c) if v == rid else None
            if (
                parent is None
                or parent.param is None
                or world.status.get(c) not in (PARAM, P_ESCAPED)
            ):
                continue
            member = (parent.param[0], parent.param[1] + seg)
            for r, st in world.status.items():
                site = self.rid_sites.get(r) if st == PARAM else None
                if site is not None and site.param == member:
                    world.status[r] = P_FREED

    # -------------------------------------------------------------- evaluation

    def eval(self, expr: ir.Expr, world: World, holder: str | None = None) -> int | None:
        """Evaluate for effect; the resource the value is, if any.

        Dispatched on the expression's class (`_EVAL`): a dict lookup, where
        a `match` tried up to a dozen class patterns per expression (and
        constants, which do nothing, fell through all of them).
        """
        handler = _EVAL.get(type(expr))
        return None if handler is None else handler(self, expr, world, holder)

    def _eval_name(self, expr: ir.Name, world: World, holder: str | None) -> int | None:
        """`p`: what `_eval_path` finds for a bare name, without its plan.

        A third of all evaluations are of names.  A name's plan is the name
        itself: no tokens (so no alias applies) and, for a local, one env key
        (a name never holds `[]`); a name that is no local holds nothing.
        """
        name = expr.name
        if name in self.locals:
            return world.env.get(name)
        return world.heap.get((FILE_VARS, name)) if name in self.globals else None

    def _eval_path(self, expr: ir.Expr, world: World, holder: str | None) -> int | None:
        """`p`, `p->f`, `p[i]`: the one resource the path holds."""
        if isinstance(expr, ir.Index):
            self.eval(expr.index, world)
        found = self.resolve(expr, world)
        if not found and type(expr) is ir.Field and expr.field in self.private_members:
            return self._private_area(expr, world)
        if not found and holder is not None and type(expr) is ir.Field and expr.arrow:
            return self._embedded(expr, world)
        return found[0] if len(found) == 1 else None

    def _embedded(self, expr: ir.Field, world: World) -> int | None:
        """`scmrq = (void *)aobrq->data` of a fresh zeroed block whose `data`
        nothing wrote: taken as a pointer, the member can only be an embedded
        array (the block's tail), so the local points into the block, as an
        accessor's result does (`__scm_free_rq(scmrq)` frees it through
        container_of)."""
        if not self._reads_zero(expr, world):
            return None
        owners = self.resolve(expr.base, world)
        if len(owners) == 1 and world.status.get(owners[0]) in OWNED:
            self._derived = True
            return owners[0]
        return None

    def _private_area(self, expr: ir.Field, world: World) -> int | None:
        """`hw->priv` of an object made with a private area (an ieee80211_hw):
        the object itself, as an accessor's result (`netdev_priv(ndev)`)."""
        if expr.text in self.own_fields:
            return None  # (`bus->priv = lookup(..)`: set here, no private area)
        owners = self.resolve(expr.base, world) if expr.arrow else []
        if len(owners) == 1 and world.status.get(owners[0]) in OWNED:
            site = self.rid_sites.get(owners[0])
            if site is not None and site.api in self.private_members[expr.field]:
                self._derived = True
                return owners[0]
        return None

    def _eval_unary(self, expr: ir.Unary, world: World, holder: str | None) -> int | None:
        op, o = expr.op, expr.operand
        if op == "*":
            found = self.resolve(expr, world)
            return found[0] if len(found) == 1 else None
        if _interior(expr):
            # `&priv->hw`: a pointer into priv; handing it to a keeper
            # (clk_hw_register, misc_register) hands priv over.
            self.eval(o, world)
            owners = self.owner_of(o, world)
            return owners[0] if len(owners) == 1 else None
        if op in ("++", "--") and isinstance(o, ir.Name):
            self.eval(o, world)
            counting = op == "++" and (
                world.vals.get(o.name) == "zero" or world.vals.get(_sign_key(o.name)) == POSITIVE
            )
            _forget_int(world, o.name)
            if counting:
                # `n = 0; .. n++;`: a count stepped up from 0 is positive from
                # then on (`if (n == 0) first = kzalloc(..)` runs once)
                world.vals[o.name] = "nonzero"
                world.vals[_sign_key(o.name)] = POSITIVE
            if op == "++" and o.name in self.unwind_index:
                world.this_pass = frozenset()  # `parts[i] = ..; i++;`: now below the index
            return None
        if op in ("++", "--") and isinstance(o, ir.Field):
            _forget_tests(world, o.text)  # `if (x->n) ..; x->n++;` in a loop
            if self._zeroed:
                self._wrote(o, world)  # `fl->count++`
        self.eval(o, world)
        return None

    def _eval_cast(self, expr: ir.Cast, world: World, holder: str | None) -> int | None:
        return self.eval(expr.operand, world, holder)

    def _eval_assign(self, expr: ir.Assign, world: World, holder: str | None) -> int | None:
        t, v, op = expr.target, expr.value, expr.op
        _forget_tests(world, t.text)
        if self._zeroed:
            self._wrote(t, world)
            self._zero_escapes(v, world)  # `q = nn`: a copy may write its fields
        if op != "=":
            self.eval(v, world)
            if isinstance(t, ir.Name):
                _forget_int(world, t.name)  # `ret |= foo()`
                if op == "+=" and t.name in self.unwind_index:
                    world.this_pass = frozenset()
            return None
        if type(t) is ir.Name and self._struct_init(t.name, v, world):
            return None  # `params = (struct foo_params){ .buf = buf };`
        holder = _display(t)
        if type(t) is ir.Field and t.text in world.pending:
            self._drop_pending(t.text, world)  # (what waited on the old value of the field)
        if self._int_result and type(t) is ir.Name and _ERRNO_RESULT + t.name in world.vals:
            del world.vals[_ERRNO_RESULT + t.name]
        named = isinstance(t, ir.Name)
        if isinstance(v, ir.Cast) and self._summary_call(ir.uncast(v)) is not None:
            v = ir.uncast(v)  # `sc = (struct foo *)foo_alloc(oct, ..)`
        if (named or type(t) is ir.Field) and self._summary_call(v) is not None:
            values = self._eval_args(v, world)
            summary = self._summary_call(v)
            rid = self.apply_summary(summary, v, world, holder, "defer")
            if self._partly_unknown(v.func):
                self._unknown_callee(v.func, v, values, world)
            self.store(t, rid, world)
            if not named:
                # `sh->pages = foo_alloc(.., &sh->sgt)`: what the callee did
                # waits for a test of the field (`if (!sh->pages)`)
                if self._deferred:
                    world.pending[t.text] = self._deferred
                return rid
            for chain in summary.private_fields if rid is not None else ():
                world.vals[_PRIVATE + t.name + chain] = str(rid)  # `sf = sync_file_alloc()`
            for chain in summary.self_fields if rid is not None else ():
                world.heap[(rid, chain)] = rid  # `state = fe->demodulator_priv` is the block
            self.assign_int(t.name, v, world)
            if self._deferred:
                world.pending[t.name] = self._deferred
            self._mark_errno(t.name, v, summary, world)
            return rid
        if isinstance(v, ir.Name) and not isinstance(t, ir.Name):
            self._copy_members(t, v.name, world)  # `chunk->mem = mem;` copies `mem.va`
        self._derived = self._offset = False
        if isinstance(v, ir.Call) and (isinstance(t, ir.Name) or type(t) is ir.Field):
            self._sink_call = v
        self._private_given = []
        rid = self.eval(v, world, holder=holder)
        if isinstance(t, ir.Field) and _interior(v):
            self.interior_fields.add(t.field)
        self._sink_call = None
        if self.private_tables:
            # `p->adap = cec_allocate_adapter(&ops, p, ..)`: the object made keeps p
            world.vals.pop(_PRIVATE + t.text, None)
            if self._private_given and isinstance(t, ir.Field):
                world.vals[_PRIVATE + t.text] = " ".join(map(str, self._private_given))
        if rid is None and isinstance(t, ir.Name) and t.name in self.pointers:
            rid = self._param_field(v, world)
        derived = self._derived
        if derived and not (isinstance(t, ir.Name) and t.name in self.pointers):
            if self._offset or not _pointer_cast(v):
                # a derived value goes only where a pointer goes; a pointer
                # into a block (`id_buf + START`) only to a local
                rid = None
        self.store(t, rid, world, derived)
        if self.unwind_index and (
            isinstance(t, ir.Name) and t.name in self.unwind_index or self._steps_index(t)
        ):
            world.this_pass = frozenset()  # `p[i++] = b;`, `i = j + 1;`: below the index now
        if isinstance(t, ir.Field) and (
            (self.apis.releases(t.field) and self._release_callback(v))
            or _table_name(v) in self.release_tables
        ):
            # `rpdev->dev.release = foo_rpdev_release;`: the block carries its
            # own release, which whoever it is registered with runs on failure
            # (`put_device()` in the core's error path)
            for owner in self.owner_of(t, world):
                if world.status.get(owner) in OWNED:
                    self.self_releasing.add(owner)
        if isinstance(t, ir.Field) and _constant(v) and self._local_path(t):
            # `wh->pool = BUF_SCSI_ALLOCED`: a later `if (wh->pool == ..)` agrees
            world.vals[t.text] = "eq:" + v.text
        if isinstance(t, ir.Name):
            self._alias(t.name, v, world)
        if isinstance(t, ir.Name):
            self.assign_int(t.name, v, world)
            summary = self.summaries.get(v.func) if type(v) is ir.Call and v.func else None
            if summary is not None and not self.apis.lookup(v.func):
                self._mark_errno(t.name, v, summary, world)
            if rid is not None and self._zeroing(t.name, v):
                world.vals[_ZEROED + t.name] = "zero"
                self._zeroed = True
        if self._sink_pending:
            # `st->thread = kthread_run(fn, st, ..)`: kept if it did not fail
            world.pending[t.name if isinstance(t, ir.Name) else t.text] = tuple(self._sink_pending)
            self._sink_pending = []
        return rid

    # Zeroed memory: after `nn = vzalloc(..)` a field the function tests
    # (`if (nn->dp.netdev)`) reads 0 until this path writes it through `nn->`,
    # or lets the block be written some other way: `nn` itself handed to a
    # callee or copied, `*nn`, `nn[i]`, or a field's address handed out.

    def _zeroing(self, name: str, value: ir.Expr) -> bool:
        """`nn = vzalloc(..)` where the function tests a field of nn."""
        while isinstance(value, ir.Cast):
            value = value.operand
        return (
            name in self.tested_roots
            and isinstance(value, ir.Call)
            and self.apis.zeroes(value.func)
        )

    def _wrote(self, target: ir.Expr, world: World) -> None:
        """The path wrote `target` (`nn->dp.netdev = netdev`, `nn->n++`), or
        handed out its address: the tested fields under it no longer read 0."""
        facts = self._writes.get(target.text)
        if facts is None:
            facts = self._writes[target.text] = self._write_of(target.text)
        zeroed, through, tested, wrote = facts
        if zeroed not in world.vals:
            return
        if not through:
            world.vals.pop(zeroed)  # `*nn = tmpl`, `(*nn).n = 1`, `nn[0].n = 1`
        elif tested:
            world.vals[wrote] = "wrote"

    def _write_of(self, target: str) -> tuple[str, bool, bool, str]:
        """What `_wrote` asks of a target's text, fixed for the text: worked
        out at its first write (the test of every tested field was a
        notable share of the dataflow): the vals key saying its root is
        zeroed, whether it is written through `root->`, whether a tested
        field lies under it, and the vals key saying it was written."""
        text = _spelled(target)
        root, arrow, _ = text.partition("->")
        root = root.lstrip("*(")
        through = bool(arrow) and text.startswith(root + "->")
        tested = through and any(f.startswith(text) for f in self.tested_fields)
        return _ZEROED + root, through, tested, _WROTE + text

    def _zero_escapes(self, value: ir.Expr, world: World) -> None:
        """`foo_init(nn)`, `q = nn`: whoever gets the block may write its fields,
        except the ones this function assigns itself (its own flags: nfp's
        `nn->dp.netdev`, chcr's `pending_close`)."""
        while isinstance(value, ir.Cast):
            value = value.operand
        if not (isinstance(value, ir.Name) and _ZEROED + value.name in world.vals):
            return
        under = value.name + "->"
        for f in self.tested_fields:
            if f.startswith(under) and f not in self.own_fields:
                world.vals[_WROTE + f] = "wrote"

    def _reads_zero(self, cond: ir.Field, world: World) -> bool:
        """A field of a fresh zeroed block that this path never wrote."""
        if not self._zeroed:
            return False  # (no block was: see self._zeroed)
        text = _spelled(cond.text)
        root = text.split("->", 1)[0]
        if _ZEROED + root not in world.vals or world.vals.get(cond.text) is not None:
            return False
        return not any(
            k.startswith(_WROTE) and text.startswith(k[len(_WROTE) :]) for k in world.vals
        )

    def _eval_conditional(
        self, expr: ir.Conditional, world: World, holder: str | None
    ) -> int | None:
        self.eval(expr.test, world)
        self._derived = False
        ra = self.eval(expr.then, world, holder)
        derived_a, self._derived = self._derived, False
        rb = self.eval(expr.other, world, holder)
        derived_b = self._derived
        # (whether the value is an accessor's result is said of the arm chosen:
        # `t->tree = small ? kmalloc(..) : (void *)__get_free_pages(..)`)
        self._derived = derived_a
        if ra is not None and rb is not None and ra != rb:
            # `p = atomic ? kzalloc(.., GFP_ATOMIC) : kzalloc(.., GFP_KERNEL)`:
            # one block at run time; the first site stands for both.
            if world.status.get(rb) in OWNED:
                world.status[rb] = NULL
            return ra
        if ra == rb:
            return ra
        if (
            rb is None
            and ir.is_zero(expr.other)
            and isinstance(expr.test, ir.Name)
            and root_name(expr.then) == expr.test.name
        ):
            return ra  # `node ? &node->memory : NULL`: the block, wherever there is one
        # `buf = small ? stack_buf : kmalloc(...)`: the allocation when there is one.
        if self._fresh(ra, world):
            return ra
        if self._fresh(rb, world):
            self._derived = derived_b
            return rb
        self._derived = False
        return None

    def _eval_binary(self, expr: ir.Binary, world: World, holder: str | None) -> int | None:
        op, left, right = expr.op, expr.left, expr.right
        if op == ",":
            self.eval(left, world)
            return self.eval(right, world, holder)
        if op == "+" or op == "-":
            # `p = (void *)si - si->pad; kfree(p)`: a pointer moved within its block
            base = self.eval(left, world)
            if self.eval(right, world) is not None or base is None:
                return None
            self._derived = self._offset = True  # an int or a field gets no block
            return base
        a, b = self.eval(left, world), self.eval(right, world)
        if op == "|" and (a is None) != (b is None):
            # `(unsigned long)spec | flags`: a pointer tagged in its low bits
            # (stored so in a table, it is kept there)
            return a if a is not None else b
        return None

    def _eval_opaque(self, expr: ir.Opaque, world: World, holder: str | None) -> int | None:
        for part in expr.parts:
            self.eval(part, world)
        return None

    def assign_int(self, name: str, value: ir.Expr, world: World) -> None:
        """Track `ret = 0` / `ret = -EINVAL` / `ret = callee(...)` facts."""
        _forget_int(world, name)
        self._untrack(name, world)
        if name in world.pending:  # (`if in: del`: see unbind_local)
            self._drop_pending(name, world)
        while isinstance(value, ir.Cast):
            value = value.operand
        negative = False
        if isinstance(value, ir.Const) and value.value is not None:
            world.vals[name] = "zero" if value.value == 0 else "nonzero"
            negative = value.value < 0
        elif self._pending(value):
            world.vals[name] = "nonzero"
            world.vals[_sign_key(name)] = PENDING  # `ret = -EINPROGRESS`: taken
        elif isinstance(value, ir.Unary) and value.op == "-":
            world.vals[name] = "nonzero"
            negative = True
        elif isinstance(value, ir.Name) and self._errno(value.name):
            world.vals[name] = "nonzero"
        elif isinstance(value, ir.Call) and self.apis.role(value.func, "error") is not None:
            world.vals[name] = "nonzero"  # err = PTR_ERR(p), p = ERR_PTR(-EINVAL)
            negative = True
        elif isinstance(value, ir.Call) and self._cannot_fail(value, world):
            world.vals[name] = "zero"  # `ret = reset_controller_register(..)`
        elif isinstance(value, ir.Name) and value.name in world.vals:
            world.vals[name] = world.vals[value.name]
            negative = world.vals.get(_sign_key(value.name)) == NEGATIVE
            if value.name in self.counters and world.vals[name] == "nonzero":
                world.vals[_sign_key(name)] = POSITIVE
        elif (status := self._status_of(value)) is not None and not _names(
            status[0], name
        ):  # (not `ret = ret ? -EFAULT : 0`)
            test, fails_when = status
            self._tracked.setdefault(test.text, test)
            world.vals[_track_key(name)] = ("+" if fails_when else "-") + test.text
        if negative:
            world.vals[_sign_key(name)] = NEGATIVE  # `err = -ENODEV`: `err < 0` holds
        elif isinstance(value, ir.Const) and value.value is not None and value.value > 0:
            world.vals[_sign_key(name)] = POSITIVE  # `count = 1; .. return count;`: no error

    def _cannot_fail(self, call: ir.Call, world: World) -> bool:
        """The callee only returns 0 (`reset_controller_register()`), fails only
        for a value of an integer parameter its `switch` has no case for, and
        this call passes a case, or fails only when given NULL where this call
        passes a block known not to be NULL (`host1x_intr_add_action(..,
        waiter, ..)` after `if (!waiter) return`)."""
        if self.never_fails(call.func):
            return True
        cased = self.switch_guard(call.func)
        if cased is not None and cased[0] < len(call.args):
            # `set_ep_max_packet_size_bint(.., USB_SPEED_FULL, ..)`: a case it has
            if ir.uncast(call.args[cased[0]]).text in cased[1]:
                return True
        index = self.null_guard(call.func)
        if index is None or index >= len(call.args):
            return False
        held = self.resolve(call.args[index], world)
        return bool(held) and all(world.status.get(r) == LIVE for r in held)

    def _status_of(self, value: ir.Expr) -> tuple[ir.Expr, bool] | None:
        """`ret = p ? 0 : -ENOMEM`, `ret = PTR_ERR_OR_ZERO(p)`: the test whose
        outcome the status tells, and the outcome that makes it non-zero."""
        if isinstance(value, ir.Conditional):
            if _is_zero(value.then) and self._is_errno(value.other):
                return value.test, False
            if self._is_errno(value.then) and _is_zero(value.other):
                return value.test, True
        if isinstance(value, ir.Call):
            api = self.apis.role(value.func, "condition")
            if api is not None and api.test in ("is_err", "is_err_or_null"):
                return value, True
        return None

    def _set_with(self, var: str | None, word: str) -> bool:
        """Is `var` declared or assigned with `word` in it (`struct acpi_buffer
        out = { ACPI_ALLOCATE_BUFFER, NULL }`, `out.length = ACPI_ALLOCATE_BUFFER`)?"""
        if var is None:
            return False
        for node in self.fn.nodes:
            if node.expr is None:
                continue
            if node.kind is Kind.DECL and node.name == var:
                values = [node.expr]
            else:
                values = [
                    e.value
                    for e in ir.walk(node.expr)
                    if isinstance(e, ir.Assign) and root_name(e.target) == var
                ]
            for value in values:
                if any(type(e) is ir.Name and e.name == word for e in ir.walk(value)):
                    return True
                if type(value) is ir.Opaque and word in value.text:
                    return True
        return False

    def _ok(self, expr: ir.Expr) -> bool:
        """A success code that is zero (`AE_OK`: [[success_codes]] in apis.toml)."""
        return type(expr) is ir.Name and self.apis.success_code(expr.name)

    def _errno(self, name: str) -> bool:
        """`EINVAL`, or a constant the API tables call an error code (`AE_NOT_FOUND`)."""
        return _ERRNO.match(name) is not None or self.apis.error_code(name)

    def _pending(self, expr: ir.Expr) -> bool:
        """`-EINPROGRESS`: a request taken, to complete later ([[pending_codes]])."""
        return (
            type(expr) is ir.Unary
            and expr.op == "-"
            and type(expr.operand) is ir.Name
            and self.apis.pending_code(expr.operand.name)
        )

    def _is_errno(self, expr: ir.Expr) -> bool:
        return (
            (isinstance(expr, ir.Unary) and expr.op == "-")
            or (isinstance(expr, ir.Name) and self._errno(expr.name))
            or (isinstance(expr, ir.Call) and self.apis.role(expr.func, "error") is not None)
        )

    def _untrack(self, name: str, world: World) -> None:
        """`p` assigned: a status no longer tells what a test of `p` would."""
        if not self._tracked:
            return  # (every assignment asks: most functions track no test)
        for k in [k for k in world.vals if k.endswith(_TRACK)]:
            test = self._tracked.get(world.vals[k][1:])
            if test is None or _names(test, name):
                del world.vals[k]

    def _takes_on_success(self, ret: ir.Name, world: World) -> bool:
        """`ret = foo_take(x); return ret;` with ret tested nowhere: what the
        callee did with x waits on ret (`if (ret == -EIOCBQUEUED)` elsewhere
        would say the errno is no plain failure)."""
        return ret.name not in self.tested_names and any(
            p[1] in _TAKEN for p in world.pending.get(ret.name, ())
        )

    def _mark_errno(self, name: str, call: ir.Call, summary: Summary, world: World) -> None:
        """`ret = foo_send(dev, buf);` with ret only ever returned: where it is,
        the exit is foo_send's success or its failure, whose errno (its
        summary says it returns one) is ours (see `transfer`). A ret read
        anywhere else may have been tested (`if (ret == -EIOCBQUEUED)`, an
        assertion macro, `err = ret`): then the exit is what the path says.
        The mark holds the assignment's node, for the report."""
        if not (summary.returns_errno and self._int_result):
            return
        if name in self.only_returned and not self.never_fails(call.func):
            world.vals[_ERRNO_RESULT + name] = str(self._node)
        elif name in world.pending:
            world.vals[_ERRNO_RESULT + name] = _TAKES_MARK  # (see `_takes_on_success`)

    def _summary_call(self, expr: ir.Expr) -> Summary | None:
        if isinstance(expr, ir.Call) and expr.func and not self.apis.lookup(expr.func):
            s = self.summaries.get(expr.func)
            if s is not None and s.relevant:
                return s
        return None

    def _eval_args(self, expr: ir.Call, world: World) -> list[int | None]:
        """The arguments' values, for every way a call is read (a statement,
        an assigned or a tested result): a callee given `&x` may write `x`
        (`sclp_sd_sync(.., &dsize, &esize)`), so what the path knew of it goes."""
        # (A loop, not a comprehension: a comprehension's free variables, here
        # `self` and `world`, become closure cells of the whole function.)
        values = []
        for a in expr.args:
            values.append(self.eval(a, world))
        if world.refused:
            # given to another call since a callee refused it (`&tmp.head` of
            # a local holding it, too): a fallback may take it
            given = {r for a in expr.args for r in self.owner_of(a, world)}
            given.update(values)
            world.refused = frozenset(x for x in world.refused if x[0] not in given)
        if world.vals:
            for a in expr.args:
                a = ir.uncast(a)  # (`(void *)&n`)
                if type(a) is ir.Unary and a.op == "&" and type(a.operand) is ir.Name:
                    _forget_int(world, a.operand.name)
        return values

    def call(self, expr: ir.Call, world: World, holder: str | None) -> int | None:
        getter = self.apis.drvdata_getters.get(expr.func or "")
        if getter is not None and len(expr.args) == 1:
            slot = self._drvdata_slot(expr, getter, 0)
            if slot is not None:
                self._derived = False
                found = self.resolve(slot, world, create=True)
                return found[0] if len(found) == 1 else None
        values = self._eval_args(expr, world)
        if expr.callee is not None:
            self.eval(expr.callee, world)
        if self._zeroed and world.vals:
            for a in expr.args:  # `foo_init(&nn->dp)` may write nn->dp.netdev
                if isinstance(a, ir.Unary) and a.op == "&":
                    self._wrote(a.operand, world)
                elif not self.apis.lookup(expr.func):
                    self._zero_escapes(a, world)  # `foo_init(nn)`
        if world.failed:
            self._share_locals(expr, world)
        if self.got and self.apis.gets(expr.func):
            for a in expr.args:  # `get_device(&f->dev)`: a put of f on this path is ours
                root = root_name(a)
                if root is not None:
                    world.vals[_GOT + root] = "got"
        self._derived = False  # said of this call's value, not of its arguments
        name = expr.func
        if values and values[0] is not None and self.apis.passes(name):
            return values[0]  # `d->key = strim(buf)`: buf itself
        if self.globals and name in self.global_frees:
            for g in self.global_frees[name]:  # `i2c_stub_free()` frees `stub_chips`
                held = world.heap.get((FILE_VARS, g))
                if held is not None:
                    self.free(held, world)
        apis = self.apis.lookup(name)
        result: int | None = None
        for api in apis:
            result = self.apply_api(api, expr, values, world, holder) or result
        if apis:
            return result
        if self.drvdata and (self.apis.releases(name) or self.apis.tears_down(name)):
            self._release_drvdata(expr, world)  # (`hub_disconnect(intf)` too)
        summary = self.summaries.get(name or "")
        if summary is None and name in self.callbacks:
            summary = self._through_pointer(name)
        if summary is not None:
            returning = self._returning
            cls = returning[1] if returning is not None and returning[0] is expr else None
            result = self.apply_summary(summary, expr, world, holder, cls)
            if not self._partly_unknown(name):
                return result
            # (the rest of what a database callee does is unknown; what it
            # returns, new memory, is what the summary says: `*out = foo_alloc()`)
            unknown = self._unknown_callee(name, expr, values, world)
            return result if summary.returns_alloc is not None else unknown
        return self._unknown_callee(name, expr, values, world)

    def _share_locals(self, expr: ir.Call, world: World) -> None:
        """`ccp_dm_free(&key)` after a helper failed and left memory in our
        locals: the call may clean up what `key` holds (see _lost_with_local)."""
        for a in expr.args:
            if self._lends_local(a):
                world.vals[_SHARED + root_name(ir.uncast(a))] = "shared"

    def _through_pointer(self, var: str) -> Summary | None:
        """`func = dma_fence_wake; .. func(dma, &cb->base);`: a call through a
        local that only ever holds functions of this file does what all of
        them do to an argument: the same thing, or, where each frees or keeps
        it in its own way, at least takes it from the caller."""
        summaries = [self.summaries.get(t) for t in sorted(self.callbacks[var])]
        if not summaries or any(s is None for s in summaries):
            return None
        first, rest = summaries[0], summaries[1:]
        effects = []
        for e in first.effects:
            others = [
                next((o for o in s.effects if (o.index, o.chain) == (e.index, e.chain)), None)
                for s in rest
            ]
            if any(o is None for o in others):
                continue
            merged = [
                _taken((e.on_zero, *(o.on_zero for o in others))),
                _taken((e.on_nonzero, *(o.on_nonzero for o in others))),
            ]
            if merged != [None, None]:
                effects.append(Effect(e.index, e.chain, merged[0], merged[1]))
        return Summary(var, effects=effects, error_class=first.error_class) if effects else None

    def _note_drvdata(self, args, api: Api, rid: int, world: World) -> None:
        for i, other in enumerate(args):
            if i != api.pointer:
                for dev in self.owner_of(other, world):
                    self.drvdata.setdefault(dev, set()).add(rid)

    def _release_drvdata(self, expr: ir.Call, world: World) -> None:
        """`netback_remove(dev)` on probe's error path frees what probe stored as
        dev's drvdata, though no summary can say so."""
        for arg in expr.args:
            while isinstance(arg, ir.Cast):
                arg = arg.operand
            if isinstance(arg, ir.Name):
                devices = self.resolve(arg, world)  # `foo_remove(pdev)`
            elif isinstance(arg, ir.Unary) and arg.op == "&":
                devices = self.owner_of(arg, world)  # `foo_remove(&pdev->dev)`
            else:
                continue  # `release_range(fsi_dev->slave)`: something the device holds
            for dev in devices:
                for data in self.drvdata.get(dev, ()):
                    if world.status.get(data) in OWNED:
                        _lend(world, data, RELEASED)
                    elif world.status.get(data) == MANAGED:
                        for (c, _), v in world.heap.items():
                            if c == data and world.status.get(v) in OWNED:
                                _lend(world, v, RELEASED)

    def _freed_through_accessor(self, call: ir.Call, world: World) -> list[int]:
        """`kfree(TO_DCN30_DWBC(pool->dwbc[i]))`: the block an accessor of a
        path points into (a caller's member, or a block of ours). Evaluating
        the argument does not make the member's resource (a read of a field
        nobody touched yet); freeing it must, as `kfree(pool->dwbc[i])` would."""
        name = call.func
        if (
            name is None
            or name in self.functions
            or self.apis.lookup(name)
            or self.apis.constructs(name)
            or name in self.loaders
        ):
            return []
        summary = self.summaries.get(name)
        arg = self.accessed_arg(call)
        if arg is None or summary is not None and summary.returns_alloc:
            return []
        self._freeing = True
        try:
            held = [
                r for r in self.resolve(arg, world, create=True) if world.status.get(r) in _HELD
            ]
        finally:
            self._freeing = False
        return held if len(held) == 1 else []

    def accessed_arg(self, call: ir.Call) -> ir.Expr | None:
        """The one argument of an accessor-shaped call that is a path from a
        local or a parameter (`TO_X(pool->m[i])`, `container_of(p, struct foo,
        base)`); None when there are several (`lookup(yd->table, idx)` reads
        a table, it is no view of it)."""
        found = [
            a
            for a in map(ir.uncast, call.args)
            if (p := path_of(a)) is not None and self.is_local(p[0])
        ]
        return found[0] if len(found) == 1 else None

    def _partly_unknown(self, name: str | None) -> bool:
        """Is this callee defined in another file (known, if at all, from the
        database, whose summary leaves the rest of what it does unknown), and
        not one the API tables describe whole ([[fills]], [[empties]])?"""
        return name not in self.functions and name not in self.apis.structs

    def _unknown_callee(self, name: str | None, expr: ir.Call, values, world: World) -> int | None:
        """What a callee we cannot see does: borrows, or keeps by its name.

        Also applies after a database summary of another file's function:
        what the summary does not cover is still unknown.
        """
        self._hand_over(name, expr, values, world)
        facts = self._callee_facts.get(expr, self._callee_of)
        keeps, constructs, borrows, destroys, takes_address = facts[:5]
        if self.private_tables:
            self._private_data(name, facts.tabled, values, world, expr)
        if facts.sets_up and len(values) > 1:
            self._passed_together(values, world)
        # (Each case below needs a value or a `&name` argument: a call given
        # neither, a common one, skips them.)
        valued = values.count(None) != len(values)
        owners = set()
        if not constructs and valued:
            status = world.status  # (read in the comprehension: `world` stays no cell)
            owners = {v for v in values if status.get(v) in _HELD}
        for arg, value in zip(expr.args, values, strict=False) if valued or takes_address else ():
            if isinstance(arg, ir.Unary) and arg.op == "&" and isinstance(arg.operand, ir.Name):
                # (a borrower given our callback, `smp_call_function_single(cpu, fn,
                # &info, 1)`, runs it on what the local holds and keeps nothing;
                # another borrower, `foo_stats_init(&vsi, &info)`, may copy it out)
                runs = borrows and facts.callback
                # (`strsep(&opts, ",")` moves a pointer along the block it points
                # into, and keeps nothing: [[advances]])
                runs = runs or self.apis.advances(name) and arg.operand.name in self.pointers
                for local in self._linked(arg.operand.name, expr.span) if not runs else ():
                    for rid in self._held_by(local, world):
                        if not self._freed_further_on(rid, world):
                            self.escape(rid, world)
            elif keeps and value is not None and world.status.get(value) in _LENDABLE:
                if borrows:  # `INIT_WORK(&x->work, fn)`: given a callback, but only sets up
                    _lend(world, value, KEPT)
                else:
                    self._keep(expr, value, world)
            elif (
                not borrows
                and isinstance(arg, ir.Unary)
                and arg.op == "&"
                and _member(arg.operand)
                and world.status.get(value) in OWNED
            ):
                # `tb_ring_rx(ring, &tf->frame)`: an embedded member handed to code
                # we cannot see is usually queued or registered, not borrowed.
                _lend(world, value, KEPT)
            elif value is not None and world.status.get(value) in OWNED and not borrows:
                _lend(world, value, PASSED)
        if destroys:
            # `ttm_bo_init_reserved(.., &bo->tbo, .., &qxl_ttm_bo_destroy)`: given a
            # function of this file that frees its argument, the callee drops what
            # it was given through it, on failure too.
            _released(values, world)
        # `conf_dev = wq_confdev(wq)`, `p = container_of(x, ...)`: an accessor's
        # pointer result is taken to point into the one tracked block it was given.
        if len(owners) == 1 and name not in self.loaders:
            owner = owners.pop()
            # `udc->req = container_of(fsl_alloc_request(..), struct fsl_req, req)`:
            # given a block no name holds, the result is its only handle, the
            # block itself as far as its owner goes
            self._derived = not self._fresh(owner, world) or not any(
                v == owner and isinstance(ir.uncast(a), ir.Call)
                for a, v in zip(expr.args, values, strict=False)
            )
            return owner
        return None

    def _on_stack(self, arg: ir.Expr) -> bool:
        """`&sg`, `sg` (an array), `&tmp[0]`, `&tmp` after `LIST_HEAD(tmp);`: an
        object this function declared."""
        arg = ir.uncast(arg)
        if isinstance(arg, ir.Unary) and arg.op == "&":
            arg = arg.operand
            while isinstance(arg, ir.Index | ir.Field) and not (
                isinstance(arg, ir.Field) and arg.arrow
            ):
                arg = arg.base
            if not isinstance(arg, ir.Name):
                return False
            name = arg.name
            return name in self.locals and name not in self.pointers or name in self.list_heads
        while isinstance(arg, ir.Index):
            arg = arg.base
        return isinstance(arg, ir.Name) and arg.name in self.arrays

    @cached_property
    def list_heads(self) -> set[str]:
        """Locals declared by `LIST_HEAD(tmp);` (a macro: a call to the parser)."""
        return {
            n.expr.args[0].name
            for n in self.fn.nodes
            if n.kind is Kind.EXPR
            and isinstance(n.expr, ir.Call)
            and n.expr.func == "LIST_HEAD"
            and len(n.expr.args) == 1
            and isinstance(n.expr.args[0], ir.Name)
        }

    def _passed_together(self, values, world: World) -> None:
        """Blocks of this function given together to a set-up callee we cannot
        see (`init_cmd(cmd, parm, ..)`): it may link one into the other
        (see Leak.partner_gone). Remembered on this path, in `vals`."""
        status = world.status
        given = {v for v in values if v is not None and status.get(v) in OWNED}
        if len(given) > 1:
            for v in given:
                had = world.vals.get(_WITH + str(v))
                partners = set(had.split()) if had else set()
                partners.update(str(o) for o in given - {v})
                world.vals[_WITH + str(v)] = " ".join(sorted(partners))

    def _private_data(
        self, name: str | None, tabled: bool, values, world: World, expr: ir.Call
    ) -> None:
        """See `private_tables`: the blocks a call given such a table gets (its
        caller, `_eval_assign`, remembers them under the field the object made
        goes to), and the release of that object, which releases them."""
        if tabled:
            status = world.status
            self._private_given = [v for v in values if v is not None and status.get(v) in OWNED]
        elif self.apis.releases(name):
            for arg in expr.args:
                given = world.vals.get(_PRIVATE + ir.uncast(arg).text)
                for rid in map(int, given.split()) if given else ():
                    if world.status.get(rid) in OWNED:
                        _lend(world, rid, RELEASED)

    def _returned_self(self, expr: ir.Expr, returned: int, world: World) -> None:
        """Summary.self_fields: the fields, seen from the returned pointer, that
        every exit returning this kind of block has pointing back at it."""
        expr = ir.uncast(expr)
        inside = expr.operand if isinstance(expr, ir.Unary) and expr.op == "&" else expr
        p = path_of(inside)
        if p is None:
            return
        prefix = "".join(p[1]) if inside is not expr else ""
        fields = set()
        for (c, chain), v in world.heap.items():
            if c == returned and v == returned and chain.startswith(prefix):
                rest = chain[len(prefix) :]
                if inside is expr:
                    fields.add(rest)
                elif rest.startswith("."):
                    fields.add("->" + rest[1:])  # `&state->fe` + `.priv`: `fe->priv`
        self.self_fields = fields if self.self_fields is None else self.self_fields & fields

    def _returned_private(self, name: str, returned: int, world: World) -> None:
        """`return sf;` where `sf->file` holds an object made with sf: the fields
        every such exit has (Summary.private_fields)."""
        prefix = _PRIVATE + name
        fields = {
            key[len(prefix) :]
            for key, given in world.vals.items()
            if key.startswith(prefix)
            and key[len(prefix) :].startswith("->")
            and str(returned) in given.split()
        }
        if world.status.get(returned) in OWNED:
            self.private_fields = (
                fields if self.private_fields is None else self.private_fields & fields
            )

    def _callee_of(self, expr: ir.Call) -> _Callee:
        """What `_unknown_callee` asks of a call that no world changes (asked
        once per call expression; see _Callee)."""
        name = expr.func
        # An unknown callee borrows; one given `&p` may replace or keep `p`.
        # A callee given one of our functions as a callback (`adb_request(req,
        # done_fn, ...)`) usually hands the request to it later: it keeps it.
        # Calls through an ops table (`ctrl->send_request(req, 0)`) hand over too.
        # (`INIT_WORK(&w->work, fn)` only stores fn: what runs it takes w, later)
        setter = self.apis.sets_callback(name)
        callback = not setter and any(
            isinstance(a, ir.Name) and a.name in self.functions for a in expr.args
        )
        keeps = name is None or self.apis.keeps(name) or callback
        # (a field after a format string is a value to print: `scnprintf(buf, n,
        # "%u", dev->stats.wm_reset_count)` is given no release callback)
        destroys = not setter and any(
            self._destructor(a) for a in expr.args[: _format_at(expr.args)]
        )
        takes_address = any(
            isinstance(a, ir.Unary) and a.op == "&" and isinstance(a.operand, ir.Name)
            for a in expr.args
        )
        constructs, borrows = self.apis.constructs(name), self.apis.borrows(name)
        if keeps and borrows and not callback and self.apis.initializes(name):
            keeps = False  # `init_waitqueue_head(&x->wq)` (a `*queue*` name): it only sets up
        tabled = bool(self.private_tables) and any(
            _table_name(a) in self.private_tables for a in expr.args
        )
        return _Callee(
            keeps, constructs, borrows, destroys, takes_address, callback, tabled, _sets_up(name)
        )

    def _release_callback(self, value: ir.Expr) -> bool:
        """`foo_release` or `&foo_release`, a function of this file that frees."""
        while isinstance(value, ir.Cast) or isinstance(value, ir.Unary) and value.op == "&":
            value = value.operand
        return isinstance(value, ir.Name) and (
            value.name in self.releasers or self._destructor(value)
        )

    def _own_function(self, arg: ir.Expr) -> str | None:
        """The name of arg (`fn` or `&fn`) if it is a function of this file."""
        if isinstance(arg, ir.Unary) and arg.op == "&":
            arg = arg.operand
        return arg.name if isinstance(arg, ir.Name) and arg.name in self.functions else None

    def _freeing_fn(self, arg: ir.Expr) -> Summary | None:
        """The summary of arg (`fn` or `&fn`), a function of this file, if it
        frees its first argument itself (not only a member of it)."""
        name = self._own_function(ir.uncast(arg))
        summary = self.summaries.get(name) if name is not None else None
        if summary is not None and _frees_first(summary, whole=True):
            return summary
        return None

    def _destructor(self, arg: ir.Expr) -> bool:
        """Is arg (`fn` or `&fn`) a function of this file that frees its first
        argument (by its summary, or named as a free), or a release callback
        held in a field (`bp->destroy`, `ops->release`)?"""
        address = isinstance(arg, ir.Unary) and arg.op == "&"
        if address:
            arg = arg.operand
        if isinstance(arg, ir.Field):
            # (`&c->free_buffer_wait`, `&p->free_list`: the address of an embedded
            # member is an object, never a callback held in the field)
            # (nor is a number named after one: `d->stats.hw_reset_count`, `q->free_len`)
            return (
                not address
                and self.apis.releases(arg.field)
                and not self.apis.borrows(arg.field)
                and not _QUANTITY.search(arg.field)
            )
        name = self._own_function(arg)
        if name is None:
            return False
        summary = self.summaries.get(name)
        if summary is not None and _frees_first(summary, whole=False):
            return True
        # (`vmw_user_context_free`, whose free the summary lost to an earlier
        # hand-over of its argument: named as a free, it is one; not any
        # release-named callback, `foo_reset_notify`, `foo_remove`)
        return self.apis.frees(name) and not self.apis.borrows(name)

    def _hand_over(self, name: str | None, expr: ir.Call, values, world: World) -> None:
        """`foo_cleanup(priv)`, `bar_destroy(&priv->x)`: the caller's structure
        went to code we cannot see, which may undo what was stored in it."""
        hands = self._hands.get(name)
        if hands is None:  # (asked at every unknown call: two pattern lookups, once)
            hands = self._hands[name] = self.apis.releases(name) and not self.apis.borrows(name)
        if not hands:
            return
        if not world.freed_own and (
            (
                self.apis.frees(name)
                # (a free of several arguments that takes a device, pool or cache
                # first, `nvkm_mm_free(imem->mm, &r)`, does not free that one)
                and any(
                    self._param_member(a)
                    for i, a in enumerate(expr.args)
                    if not (i == 0 and len(expr.args) > 1 and _context_arg(a))
                )
            )
            or (
                self.apis.drops(name)
                # (the reference it keeps there, `radeon_bo_unref(&vm->page_directory)`;
                # not `pm_runtime_put(p->dev)`, which balances a get)
                and any(_interior(a) and self._param_member(a) for a in expr.args)
            )
        ):
            # `dma_free_coherent(.., qdev->buf_virt, ..)` on the way out: the
            # function frees what it set up in its caller's structure.
            world.freed_own = True
        if self.apis.tears_down(name):
            world.handed[TORN] = True
        for arg, value in zip(expr.args, values, strict=False):
            while isinstance(arg, ir.Cast):
                arg = arg.operand
            whole = isinstance(arg, ir.Name)
            if whole:
                found = self.resolve(arg, world)
            elif (
                isinstance(arg, ir.Unary)
                and arg.op == "&"
                and (self.apis.drops(name) or arg.operand.text in self.handles)
            ):
                # `put_device(&x->dev)`; `foo_destroy(&x->ctrl)` in a function that
                # returns `&x->ctrl`: the member is x's handle, its release x's
                found = self._direct_owner(arg.operand, world)
            elif isinstance(arg, ir.Unary) and arg.op == "&":
                found = self._member_contents(arg.operand, world)  # `mutex_destroy(&x->lock)`
            elif isinstance(arg, ir.Call) and value is not None:
                found = [value]  # `kobject_put(foo_to_kobj(foo))`: through an accessor
            elif isinstance(arg, ir.Field):
                found = self.resolve(arg, world)  # `dma_fence_put(wt.f)`: the block in a field
            else:
                found = []
            for maker in self.made_from.get(arg.text, ()):
                found = found + self.resolve_path(maker, [], world, create=False)
            if self.apis.tears_down(name):
                # `ip_dev_teardown(ip)` undoes what a failing helper left in ip.
                for (c, _), v in list(world.heap.items()):
                    if c in found and v in world.failed and world.status.get(v) in OWNED:
                        _lend(world, v, RELEASED)
            drop = DROP if self.apis.drops(name) and self._own_reference(arg, world) else True
            for rid in found:
                if world.status.get(rid) in (PARAM, P_ESCAPED):
                    if whole and arg.name in self.member_elements:
                        continue  # `kfree_skb(skb)` of `skb = skb_dequeue(&q->list)`
                    world.handed[rid] = drop
                elif world.status.get(rid) in OWNED:
                    # `foo_destroy(obj)` may free obj, `foo_free_bufs(obj)` only what
                    # it holds, `v4l2_device_put(&obj->v4l2)` obj through a release
                    # callback: obj stays tracked but is not reported.
                    _lend(world, rid, RELEASED)
                    if not world.freed_own and (self.apis.drops(name) or self.apis.frees(name)):
                        # `put_device(&wd_data->dev)` of a block this function
                        # left in its caller's structure: undoing its own work
                        world.freed_own = _in_callers(rid, world)
                elif world.status.get(rid) == MANAGED and isinstance(arg, (ir.Call, ir.Name)):
                    # `kobject_put(rwtm_to_kobj(rwtm))`, `pt1_cleanup_adapters(pt1)` with
                    # devm memory: what is released is what it holds, not itself.
                    for (c, _), v in world.heap.items():
                        if c == rid and world.status.get(v) in OWNED:
                            _lend(world, v, RELEASED)

    def _member_split(self, expr: ir.Expr, world: World) -> tuple[list[int], str] | None:
        """`&qdev->pdev->dev` -> (the blocks `qdev->pdev` resolves to, "->dev"):
        the block a member address points into, and the member's chain."""
        p = self._path(expr, world)
        if p is None:
            return None
        root, tokens = p
        last = max((i for i, t in enumerate(tokens) if t.startswith("->") or t == "*"), default=-1)
        if last < 0:
            return None
        return self.resolve_path(root, tokens[:last], world, create=False), "".join(tokens[last:])

    def _param_member(self, arg: ir.Expr) -> bool:
        """`qdev->buf`, `&qdev->lock`: a member of a pointer parameter's structure."""
        while isinstance(arg, (ir.Cast, ir.Unary)):
            arg = arg.operand
        p = path_of(arg) if isinstance(arg, ir.Field) else None
        return p is not None and p[0] in self.param_names and "->" in "".join(p[1][:1])

    def _direct_owner(self, expr: ir.Expr, world: World) -> list[int]:
        """`&pool->base.x[i]` -> pool; `&qdev->pdev->dev` -> qdev->pdev, not qdev."""
        split = self._member_split(expr, world)
        return split[0] if split is not None else []

    def _member_contents(self, expr: ir.Expr, world: World) -> list[int]:
        """`x->buf` (given as `&x->buf`) -> the blocks x holds under that member:
        what `foo_buf_free(&x->buf)` may release, while x itself stays."""
        split = self._member_split(expr, world)
        if split is None:
            return []
        owners, head = set(split[0]), split[1]
        return [
            v
            for (c, chain), v in world.heap.items()
            if c in owners and chain.startswith(head) and chain[len(head) : len(head) + 1] in ".[#"
        ]

    def _held_by(self, name: str, world: World) -> list[int]:
        """What a local holds: itself, or its members if it is a struct value."""
        prefix = (name + ".", name + "[")
        return [v for k, v in world.env.items() if k == name or k.startswith(prefix)]

    def apply_api(self, api: Api, expr: ir.Call, values, world: World, holder) -> int | None:
        args = expr.args
        role = api.role
        arg = args[api.pointer] if api.pointer is not None and api.pointer < len(args) else None
        if role == "allocator" or role == "reallocator":
            s = self.site(
                ("alloc", expr.span),
                span=expr.span,
                api=api.name,
                family=api.family,
                failure=api.failure,
                managed=api.managed,
            )
            if world.status.get(s.rid) in OWNED:
                self._age(s, world)
            if role == "reallocator" and arg is not None:
                olds = self.resolve(arg, world, create=True)
                if any(world.status.get(o) == PARAM for o in olds):
                    self.regrown.add(s.rid)  # grows the caller's block: still the caller's
                if len(olds) == 1 and world.status.get(olds[0]) in _OWNED_OR_MANAGED:
                    world.realloc[s.rid] = olds[0]
                    self.regrowing.add(olds[0])
                elif (
                    len(olds) == 1
                    and world.status.get(olds[0]) == PARAM
                    and (holder == _display(arg))
                    and not (isinstance(arg, ir.Name) and self.is_local(arg.name))
                ):
                    # `p->tbl = krealloc(p->tbl, ...)`: on failure the old block is lost
                    # (`maps = krealloc(maps, ...)` with `maps = *map`: the caller keeps it).
                    old = self.site(
                        ("realloc-old", expr.span), span=expr.span, api=api.name, family=api.family
                    )
                    world.status[old.rid] = REALLOC_OLD
                    world.holders[old.rid] = holder
                    world.realloc[s.rid] = old.rid
                elif (
                    len(olds) == 1
                    and world.status.get(olds[0]) == PARAM
                    and isinstance(arg, ir.Name)
                    and arg.name in self.params
                    and holder != arg.name
                    and not api.managed  # (devm_krealloc(): devres keeps either block)
                ):
                    # `grown = krealloc(ids, ..)` of the caller's array: gone when
                    # it succeeds (the summary says so), the caller's again when it
                    # fails, unless every caller writes the result over what it
                    # passed (`ids = grow(ids, ..)`): then `return NULL` loses it
                    old = self.site(
                        ("realloc-old", expr.span), span=expr.span, api=api.name, family=api.family
                    )
                    world.status[old.rid] = REALLOC_OLD
                    world.holders[old.rid] = arg.name
                    world.realloc[s.rid] = old.rid
                    self.bind_key(arg.name, old.rid, world)  # (`kfree(ids)` frees it)
                    self.old_params[old.rid] = olds[0]
                    if not self.callers_overwrite(self.fn.name, self.params[arg.name]):
                        self.caller_keeps.add(old.rid)
            world.status[s.rid] = (
                MANAGED if api.managed else (MAYBE_ERR if api.failure == "err_ptr" else MAYBE)
            )
            self._made_this_pass(s.rid, world)
            world.holders[s.rid] = holder or _display(expr)
            world.freed_container.pop(s.rid, None)
            world.via = None
            return s.rid
        if arg is None:
            return None
        if role == "free":
            # Also through an accessor: `kfree(to_foo_req(req))` frees req's block.
            self._freeing = True
            try:
                rids = self.resolve(arg, world, create=True)
            finally:
                self._freeing = False
            if self._node in self.below_current and "[" in arg.text:
                # `while (i-- > 0) kfree(p[i]);` frees earlier passes' blocks: not
                # this pass's `p[i]`, but one this pass put at another index
                # (`cpuclk[cpu].name`, freed by `while (ncpus--)`) it does
                rids = [
                    r
                    for r in rids
                    if r not in world.this_pass or not self._at_unwind_index(r, world)
                ]
            value = values[api.pointer] if api.pointer < len(values) else None
            if not rids and self.detached:
                place = self._place(arg, world)
                rids = [r for r, at in self.detached.items() if at == place and r in world.status]
            if not rids and isinstance(arg, ir.Call):
                if value is not None:
                    rids = [value]  # `vfree(vmalloc(size))`
                else:
                    rids = self._freed_through_accessor(arg, world)
            self._record_free(api, expr, rids, world)
            for rid in rids:
                # (a bare free on this path: not a destructor another path called)
                self.destroyed.discard(rid)
                self.destroyed_named.pop(rid, None)
                self.free(rid, world)
        elif role == "sink":
            if self._put_through_release(expr, api, world):
                return None
            # `WRITE_ONCE(list->next, list)`, `list_add(&x->node, &x->head)`: a
            # block pointing at itself is not published anywhere. A value read
            # from the block (`devm_add_action(sfp->dev, cleanup, sfp)`) is not
            # a place in it.
            into = {
                r
                for i, other in enumerate(args)
                if i != api.pointer and (i == api.into or _address(other))
                for r in self.owner_of(other, world)
            }
            # (only a function returning a pointer can hand out what it linked)
            linked = self.fn.returns_pointer and {
                self.rid_sites[r].param[0]
                for i, other in enumerate(args)
                if i != api.pointer
                for r in self.owner_of(other, world)
                if world.status.get(r) in (PARAM, P_ESCAPED) and self.rid_sites[r].param[1] == ""
            }
            # `sg_init_one(&sg, buf, len)`, `list_add(&x->node, &tmp)`: an object
            # on this function's stack holds it for as long as the function runs
            on_stack = api.into is not None and self._on_stack(args[api.into])
            if api.mutual:
                self._link_back(arg, args, api, world)
            for rid in self.owner_of(arg, world) if not on_stack else ():
                if linked and world.status.get(rid) in OWNED:
                    self.linked[rid] = min(linked)  # `list_add_tail(&buf->list, list)`
                    for name, v in world.env.items():
                        if v == rid and name.isidentifier():
                            # (the block goes from the worlds once escaped: a
                            # `return buf;` after this finds it by its name)
                            self.linked_names[name] = min(linked)
                if rid in into and not api.drvdata:
                    continue
                if api.drvdata and not self.has_callers and world.status.get(rid) in OWNED:
                    # `pci_set_drvdata(pdev, priv)` in an entry point (probe): nothing
                    # frees drvdata after a failed probe, so it is kept on success only,
                    # unless the device goes to a release (`foo_remove(pdev)`) later.
                    _lend(world, rid, KEPT)
                    self._note_drvdata(args, api, rid, world)
                elif api.drvdata and not self.has_callers and world.status.get(rid) == MANAGED:
                    # devm drvdata: a release of the device (`gr_remove(pdev)`) frees
                    # the plain memory it holds (devres frees the object itself)
                    self._note_drvdata(args, api, rid, world)
                elif (
                    api.drvdata
                    and self.has_callers
                    and world.status.get(rid) in OWNED
                    and len(args) == 2
                    and (slot := self._drvdata_slot(expr, api, 1 - api.pointer)) is not None
                ):
                    # a probe's helper (`kone_init_specials(hdev)`): the block goes
                    # into its caller's device (the other argument), as into a
                    # parameter's field; the caller's failure path judges what it
                    # leaves there
                    self._drvdata_store = True
                    try:
                        self.store(slot, rid, world)
                    finally:
                        self._drvdata_store = False
                elif (
                    expr is self._sink_call
                    and not api.always
                    and (api.result_fails or not api.returns_pointer)
                ):
                    # `err = radix_tree_insert(&d->tree, id, entry); if (err < 0)`,
                    # `st->thread = kthread_run(fn, st, ..); if (IS_ERR(st->thread))`:
                    # a sink that fails did not take the block.
                    if api.returns_pointer:
                        self._sink_pending.append((rid, None, SINK_KEEPS, SINK_KEEPS))
                    else:
                        self._sink_pending.append((rid, SINK_KEEPS, None, SINK_KEEPS))
                    self._sunk_into[rid] = frozenset(into)
                elif world.status.get(rid) == MANAGED:
                    # `list_add_tail(&info->list, &reboot->head)` of a devm block: the
                    # list's owner reaches (and cleans up) the plain memory it holds
                    if any(self._on_stack(a) for i, a in enumerate(args) if i != api.pointer):
                        continue  # (`list_add_tail(&info->list, &tmp)`: a local list)
                    for (c, _), v in list(world.heap.items()):
                        if c == rid and world.status.get(v) in OWNED:
                            self.escape(v, world)
                else:
                    # (`radix_tree_insert(&pctldev->tree, i, desc)` with
                    # `desc->pctldev = pctldev`: what the block is stored into
                    # does not escape through its pointer back)
                    if (
                        api.node
                        and self.unlinks
                        and world.status.get(rid) in OWNED
                        and rid not in world.lent
                        and not self._freed_further_on(rid, world)
                    ):
                        # (a function that takes nodes off lists again: a block it
                        # does not free itself, linked by its node and given to
                        # nothing else, stays tracked, held by the list until
                        # `_unlink`)
                        _lend(world, rid, LINKED)
                        continue
                    self._apply_effect(rid, CALLEE_KEEPS, world, spare=into)
        elif role == "unlink":
            self._unlink(arg, world)
        elif role == "transfer":
            found = self.resolve(arg, world)
            p = self._path(arg, world)
            if p is not None and not p[1]:
                world.env.pop(p[0], None)  # no_free_ptr() sets the variable to NULL
            return found[0] if len(found) == 1 else None
        elif role == "load":
            # `kfree(xchg(&sl->rbuff, NULL))` frees sl->rbuff, `fetch_and_zero(spin)` is *spin
            arg = ir.uncast(arg)
            if isinstance(arg, ir.Unary) and arg.op == "&":
                pointee = arg.operand
            else:
                pointee = ir.Unary(arg.span, f"*{arg.text}", "*", arg)
            found = self.resolve(pointee, world, create=True)
            return found[0] if len(found) == 1 else None
        elif role == "condition" and api.test == "value":
            # `likely(p)` is p; `IS_ERR(p)` and `PTR_ERR_OR_ZERO(p)` are not.
            return values[api.pointer] if api.pointer < len(values) else None
        return None

    def _drvdata_slot(self, expr: ir.Call, api: Api, device: int) -> ir.Field | None:
        """`platform_set_drvdata(pdev, kn)`, `platform_get_drvdata(pdev)`: where
        the device keeps its driver data, as a place (`api.member` below the
        device argument: `pdev->dev.driver_data`; `dev_set_drvdata(&pdev->dev,
        ..)` names the same place), so that a getter reads what a setter
        stored and summaries name it."""
        key = id(expr)
        hit = self._drvdata_slots.get(key)
        if hit is not None and hit[0] is expr:
            return hit[1]
        slot = None
        if device in (0, 1) and len(expr.args) > device and api.member:
            dev = ir.uncast(expr.args[device])
            base, arrow = dev, True
            if type(dev) is ir.Unary and dev.op == "&":
                base, arrow = dev.operand, False
            if isinstance(base, (ir.Name, ir.Field)):
                for member in api.member.split("."):
                    text = base.text + ("->" if arrow else ".") + member
                    base, arrow = ir.Field(dev.span, text, base, member, arrow), False
                slot = base
        self._drvdata_slots[key] = (expr, slot)
        return slot

    def _put_through_release(self, expr: ir.Call, api: Api, world: World) -> bool:
        """`kref_put(&ndd->kref, nvdimm_drvdata_release)`: a reference drop
        given the release it runs, a function whose summary says what it
        frees of the object around the reference. Taken as that release
        called on the object (`nvdimm_drvdata_release(ndd)`): the block and
        the members it frees go (a put frees only with the last reference,
        but then the release is the owner's, not ours to repeat)."""
        if not self.apis.drops(expr.func) or api.pointer is None:
            return False
        args = expr.args
        handle = ir.uncast(args[api.pointer]) if api.pointer < len(args) else None
        if not (
            isinstance(handle, ir.Unary)
            and handle.op == "&"
            and isinstance(handle.operand, ir.Field)
            and handle.operand.arrow
        ):
            # (`&orb->base.kref`: the release gets back `&orb->base`, which
            # is orb only if base comes first)
            return False
        release = next(
            (r for i, a in enumerate(args) if i != api.pointer and (r := self._freeing_fn(a))),
            None,
        )
        if release is None:
            return False
        root = root_name(handle)
        if root is None or _GOT + root in world.vals:
            return False  # (`kref_get(&f->ref); ..; kref_put(..)`: the put balances the get)
        owners = self.owner_of(handle, world)
        if not owners or any(world.status.get(r) not in OWNED | {PARAM} for r in owners):
            return False  # (devm memory, a block already gone: not this case)
        call = self._release_calls.get(expr)
        if call is None:
            base = handle.operand.base
            call = ir.Call(expr.span, f"{release.name}({base.text})", release.name, (base,))
            self._release_calls[expr] = call
        self.apply_summary(release, call, world, None, None)
        return True

    def _link_back(self, arg: ir.Expr, args: list[ir.Expr], api: Api, world: World) -> None:
        """`list_add(&tp->first_phy, &phy->list)`: a list links both ways, so
        our block whose node goes next to a node in our caller's memory (or
        other longer-lived memory) is reachable from there: kept."""
        if not any(
            world.status.get(r) in (PARAM, P_ESCAPED, ESCAPED, GLOBAL)
            for r in self.owner_of(arg, world)
        ):
            return
        for i, other in enumerate(args):
            if i != api.pointer and _address(other):
                for rid in self.owner_of(other, world):
                    if world.status.get(rid) in OWNED:
                        self._apply_effect(rid, CALLEE_KEEPS, world)

    def _record_free(self, api: Api, expr: ir.Call, rids: list[int], world: World) -> None:
        fc = self.free_calls.get(expr.span)
        if fc is None:
            fc = self.free_calls[expr.span] = FreeCall(expr, api, self._node)
        fc.vals.add(frozenset(world.vals.items()))
        if not rids:
            fc.unresolved = True
        for rid in rids:
            site = self.rid_sites.get(rid)
            if site is not None:
                fc.reached.add((site, world.status.get(rid, "")))

    def _age(self, s: Site, world: World) -> None:
        """A site allocates again (a loop): earlier blocks become one "older" resource."""
        old = self.site(
            ("older", s.span),
            span=s.span,
            api=s.api,
            family=s.family,
            failure=s.failure,
            managed=s.managed,
            via_summary=s.via_summary,
            foreign=s.foreign,
        )
        self.older.add(old.rid)
        rid = s.rid
        world.env = _Map(
            {
                (k.replace(f"#{rid}", f"#{old.rid}") if k.endswith(f"#{rid}") else k): (
                    old.rid if v == rid else v
                )
                for k, v in world.env.items()
            }
        )
        world.heap = _Map(
            {
                (
                    (old.rid if c == rid else c),
                    (f.replace(f"#{rid}", f"#{old.rid}") if f.endswith(f"#{rid}") else f),
                ): (old.rid if v == rid else v)
                for (c, f), v in world.heap.items()
            }
        )
        # Blocks of earlier iterations that were handed out (registered, queued,
        # linked, given to any callee, stored anywhere) went with the iteration
        # that completed: they are not ours now.
        # A block nothing ever held (`if (!foo_alloc(c)) return -ENOMEM;` in a
        # loop) was kept by the callee itself: no caller drops a block it
        # never looks at.
        handed = (
            world.lent.pop(rid, None) is not None
            or old.rid in world.lent
            or any(v == old.rid for v in world.heap.values())
            or not any(v == old.rid for v in world.env.values())
        )
        world.status[old.rid] = ESCAPED if handed else LIVE
        world.holders[old.rid] = world.holders.get(rid, "?")

    def apply_summary(
        self, summary: Summary, expr: ir.Call, world: World, holder, result: str | None
    ) -> int | None:
        """Apply a callee's effects.

        `result` is "zero"/"nonzero" when a branch reads the call's value,
        "defer" when it is assigned to a variable (effects that depend on it
        wait in `self._deferred` for a branch on that variable), None when
        nothing reads it: then the callee is taken to have succeeded.
        """
        # Each waits for a test of the result: (rid, if zero, if nonzero, if
        # positive). Kernel errors are negative, so a positive result is a
        # success in either class (`ret = add_inbuf(vq, buf); ... while (ret > 0)`):
        # the callee kept what it keeps on either success, and what it
        # allocated is there.
        if not self._partly_unknown(summary.name) and any(map(self._destructor, expr.args)):
            # `vmw_context_init(.., res, vmw_user_context_free, ..)`: given a
            # function of this file that frees its argument, which the callee's
            # summary cannot follow (a call through a parameter), the callee
            # drops what it was given, on failure too (as an unknown callee)
            _released([r for a in expr.args for r in self.owner_of(a, world)], world)
        pending: list[tuple[int, str | None, str | None, str | None]] = []
        members = self._members_freed.get(summary.name)
        if members is None:
            listed = summary.name in self.listing
            members = self._members_freed[summary.name] = _members_freed(summary) if listed else {}
        listed_destructor = self.listing.complete(summary.name)
        named = self._members_named.get(summary.name) if listed_destructor else {}
        if named is None:
            named = self._members_named[summary.name] = _members_named(summary)
        # (the members it frees before what holds them: a freed parameter's
        # members are not found any more, and `rel(x)` freeing x->data then
        # x says both)
        for eff in sorted(summary.effects, key=_after_member_frees):
            if eff.index >= len(expr.args):
                continue
            arg = expr.args[eff.index]
            inner = ir.uncast(arg)
            if type(inner) is ir.Unary and inner.op == "&":
                arg = inner  # `foo_register(.., (void **)&adapter)`
            struct_api = self.apis.structs.get(summary.name) if eff.on_zero == "alloc" else None
            if struct_api is not None and (
                type(ir.uncast(arg)) is ir.Field
                or (
                    struct_api.requires
                    and not (
                        self.fn.mentions(struct_api.requires)
                        and self._set_with(root_name(arg), struct_api.requires)
                    )
                )
            ):
                # `sg_alloc_table(buf->dma_sgt, ..)`: a pointer field, which may
                # point into buf itself (`buf->dma_sgt = &buf->sg_table`); an
                # ACPI call given a buffer the caller supplied
                continue
            targets = self._effect_targets(arg, eff.chain, world)
            if eff.on_zero == "alloc" or eff.on_nonzero == "alloc":
                self._reused = False
                rid = self._alloc_into(summary, eff, arg, expr, world, result)
                if rid is not None and result == "defer":
                    # Which class the call ends in decides whether the memory is
                    # there at all, and whether the callee failed with it.
                    on = {}
                    for cls, what in (("zero", eff.on_zero), ("nonzero", eff.on_nonzero)):
                        failed = cls == summary.error_class
                        absent = None if self._reused else "vanish"
                        kept = "escaped" if rid in self.detached else None
                        on[cls] = absent if what != "alloc" else "failed" if failed else kept
                    pending.append((rid, on["zero"], on["nonzero"], None))
                continue
            on_zero0, on_nonzero0 = eff.on_zero, eff.on_nonzero
            if not eff.chain and not summary.returns_pointer:
                # the argument itself (see _apply_effect); not into an object
                # the callee returns (`entry = qp_ent_create(pq, cq)`)
                on_zero0 = CALLEE_KEEPS if on_zero0 == "escaped" else on_zero0
                on_nonzero0 = CALLEE_KEEPS if on_nonzero0 == "escaped" else on_nonzero0
            elif not eff.chain and self._lends_other_local(expr, eff.index):
                # `drm_edid_legacy_init(&drm_edid, edid)`: a pointer function
                # given a structure of our frame stores the block there and
                # hands the structure back; the block only went into our local
                on_zero0 = None if on_zero0 == "escaped" else on_zero0
                on_nonzero0 = None if on_nonzero0 == "escaped" else on_nonzero0
            linked = not eff.chain and "escaped" in (eff.on_zero, eff.on_nonzero)
            linked = linked and self._gives_own_block(expr, eff.index, world)
            for rid in targets:
                if not eff.chain and listed_destructor and "freed" in (eff.on_zero, eff.on_nonzero):
                    # (every member it touches, whatever it does to it: see collect)
                    self.destroyed_named[rid] = named.get(eff.index, frozenset())
                elif not eff.chain:
                    self.destroyed_named.pop(rid, None)
                if not eff.chain and eff.index in members:
                    self.destroyed_with[rid] = members[eff.index]
                elif not eff.chain:
                    self.destroyed_with.pop(rid, None)  # (this call's frees, not an earlier one's)
                on_zero, on_nonzero = on_zero0, on_nonzero0
                if linked and world.status.get(rid) == PARAM:
                    on_zero = KEPT_BY_OURS if on_zero in _KEEPS else on_zero
                    on_nonzero = KEPT_BY_OURS if on_nonzero in _KEEPS else on_nonzero
                if on_zero != on_nonzero and result == "defer":
                    kept = [w for w in (on_zero, on_nonzero) if w in _KEEPS]
                    pending.append((rid, on_zero, on_nonzero, kept[0] if kept else None))
                else:
                    # A pointer result nobody tests here (`pc_claim(dev);`,
                    # `ed_set(c, ed_legacy_init(&b, data))`): the callee did what
                    # it does when it succeeds, as far as we know. One returned
                    # as it is (`return v4l2_ctrl_new(hdl, ..)`) keeps the older
                    # reading, "zero": its failure, which our caller tests; its
                    # success mostly links the new object back to the argument.
                    # (Not so for int and bool callees: their "zero" reading
                    # stays, as before.)
                    succeeds = summary.returns_pointer
                    succeeds = succeeds and id(expr) not in self._returned_calls
                    ok = result or ("nonzero" if succeeds else "zero")
                    what = on_nonzero if ok == "nonzero" else on_zero
                    if result and what is None and {on_zero, on_nonzero} & _REFUSABLE:
                        self._refused(rid, world)  # `if (!foo_add(x))`, tested right here
                    if what == "lent":
                        self._keep(expr, rid, world)
                    else:
                        self._apply_effect(rid, what, world)
        self._deferred = tuple(pending)
        only_if_null = None  # the argument whose NULL alone makes the callee allocate
        k = summary.alloc_if_null
        if k is not None and k < len(expr.args) and isinstance(ir.uncast(expr.args[k]), ir.Name):
            only_if_null = ir.uncast(expr.args[k]).name
            if self._not_null(expr.args[k], world) or world.vals.get(only_if_null) == "nonzero":
                return None  # `hid_resolv_usage(usage, f)` given the caller's `f`: prints to it
            if expr is self._statement and world.vals.get(only_if_null) != "zero":
                # `hid_resolv_usage(usage, f);` with its value unread: the caller
                # means the mode that prints to `f`, which returns nothing to free
                return None
        if summary.returns_alloc is not None:
            family, failure = summary.returns_alloc
            s = self.site(
                ("alloc", expr.span),
                span=expr.span,
                api=summary.name,
                family=family,
                failure=failure,
                via_summary=True,
                foreign=summary.foreign_alloc,
            )
            if world.status.get(s.rid) in OWNED:
                self._age(s, world)  # a loop calls the helper again, as for a table allocator
            k = summary.returns_linked
            if k is not None and k < len(expr.args) and not _is_zero(expr.args[k]):
                # `buf = cs_dsp_buf_alloc(.., &buf_list)`: the helper also linked
                # the block into our list, which the list's own cleanup frees
                world.status[s.rid] = ESCAPED
                world.holders[s.rid] = holder or _display(expr)
                world.via = None
                return s.rid
            world.status[s.rid] = MAYBE_ERR if failure == "err_ptr" else MAYBE
            self._made_this_pass(s.rid, world)
            if only_if_null is not None and world.vals.get(only_if_null) != "zero":
                # a later `if (!f)` decides: no block where f is not NULL
                waiting = world.pending.get(only_if_null, ())
                world.pending[only_if_null] = (*waiting, (s.rid, None, "vanish", None))
            world.holders[s.rid] = holder or _display(expr)
            world.via = None
            return s.rid
        return None

    def _cleanup_members(self, name: str, cleanup: str, world: World) -> None:
        """The members a `__free(fn)` variable's cleanup frees with it, as
        its summary says (`free_usb_request()`: `kfree(req->buf)`, then the
        request)."""
        summary = self.summaries.get(cleanup)
        if summary is None:
            return
        var = ir.Name(self.fn.span, name, name)
        for eff in summary.effects:
            if eff.index == 0 and eff.chain and eff.on_zero == eff.on_nonzero == "freed":
                for rid in self._effect_targets(var, eff.chain, world):
                    self._apply_effect(rid, "freed", world)

    def _effect_targets(self, arg: ir.Expr, chain: str, world: World) -> list[int]:
        if not chain:
            if isinstance(arg, ir.Unary) and arg.op == "&":
                # `foo_put(&obj->base)`: the callee's parameter is obj's member.
                return self._direct_owner(arg.operand, world) if _member(arg.operand) else []
            return self.resolve(arg, world, create=True)
        p = path_of(arg.operand if isinstance(arg, ir.Unary) and arg.op == "&" else arg)
        if p is None:
            return []
        root, tokens = p
        extra = _chain_tokens(chain)
        if isinstance(arg, ir.Unary) and arg.op == "&":
            if extra and extra[0] == "*":
                extra = extra[1:]
            elif extra and extra[0].startswith("->"):
                extra = ["." + extra[0][2:], *extra[1:]]
        root, path = self._unalias(root, tokens + extra, world)  # `qm = &zip->qm; f(qm)`
        return self.resolve_path(root, path, world, create=True)

    @cached_property
    def _returned_calls(self) -> set[int]:
        """The calls `return` gives back as they are (by id)."""
        return {
            id(ir.uncast(n.expr))
            for n in self.fn.nodes
            if n.kind is Kind.RETURN and n.expr is not None
        }

    def _lends_other_local(self, call: ir.Call, index: int) -> bool:
        """Is a structure of this function's frame among the call's other
        arguments (`&drm_edid`)?"""
        return any(i != index and self._frame_object(a) for i, a in enumerate(call.args))

    def _frame_object(self, arg: ir.Expr) -> bool:
        """`&info`, `&info.sub`, `values`: storage of this frame itself, not
        memory reached through a pointer (`&pdev->dev`) or a parameter."""
        arg = ir.uncast(arg)
        if isinstance(arg, ir.Name):
            return arg.name in self.arrays
        if not (isinstance(arg, ir.Unary) and arg.op == "&"):
            return False
        e = arg.operand
        while isinstance(e, ir.Field) and not e.arrow:
            e = e.base
        return (
            isinstance(e, ir.Name)
            and e.name in self.locals
            and e.name not in self.pointers
            and e.name not in self.params
        )

    def _gives_own_block(self, call: ir.Call, index: int, world: World) -> bool:
        """Is a block of ours among the call's other arguments? A callee that
        keeps the caller's structure given with one (`ttpci_budget_init(
        &b->budget, dev, ..)`) most likely keeps it in that block (`b->dev =
        dev`): see KEPT_BY_OURS."""
        return any(
            i != index
            and (root := root_name(a)) is not None
            and any(world.status.get(r) in OWNED for r in self._held_by(root, world))
            for i, a in enumerate(call.args)
        )

    def _keep(self, call: ir.Call, rid: int, world: World) -> None:
        """A keeper took the block. If nothing reads the call's result (a
        statement of its own: `virtio_gpu_cmd_submit(vgdev, .., buf, ..);`),
        it did not fail as far as this function knows, and the block stays
        kept whatever fails later: it is no longer ours to free, unless this
        function goes on to free it itself (see _freed_further_on)."""
        if (
            call is self._statement
            and world.status.get(rid) in OWNED
            and not self._freed_further_on(rid, world)
        ):
            self.escape(rid, world)
        else:
            _lend(world, rid, KEPT)

    def _apply_effect(
        self, rid: int, what: str | None, world: World, spare: Iterable[int] | None = None
    ) -> None:
        """Apply one effect of a callee (or a sink) on block `rid`. `spare`:
        what a sink stored the block into, which does not escape with it
        through its pointer back (for a pending sink: `_sunk_into`)."""
        if spare is None:
            spare = self._sunk_into.get(rid, ()) if what == SINK_KEEPS else ()
        if what == "freed":
            self.free(rid, world)
            self.destroyed.add(rid)
        elif what == "escaped":
            self.escape(rid, world, set(spare) - {rid})
        elif what == KEPT_BY_OURS and world.status.get(rid) == PARAM:
            # The caller's structure kept by a block of ours: what we stored in
            # it is no more handed over than it was, still the caller's.
            world.status[rid] = P_ESCAPED
        elif what in (CALLEE_KEEPS, KEPT_BY_OURS, SINK_KEEPS):
            if world.status.get(rid) in OWNED and self._freed_further_on(rid, world):
                # `ttm_resource_init(bo, place, *res); .. kfree(*res);` on a later
                # error path: the callee only linked it for the time being
                _lend(world, rid, KEPT)
            else:
                self.escape(rid, world, set(spare) - {rid})
        elif what == "lent":
            _lend(world, rid, KEPT)
        elif what in ("handed", "dropped"):
            if world.status.get(rid) in (PARAM, P_ESCAPED):
                world.handed[rid] = True
            elif world.status.get(rid) in OWNED:
                # The callee gave the block to a release-named function
                # (`put_device(&fn->dev)`, `res_free(res)`), as if we had.
                _lend(world, rid, RELEASED)
        elif what == "vanish":  # the callee failed: the memory never existed
            world.status[rid] = NULL
        elif what == "failed":  # the callee failed and left the memory behind
            world.failed[rid] = True

    def _alloc_into(self, summary, eff: Effect, arg, expr, world: World, result) -> int | None:
        """New memory the callee leaves in `arg`'s field (or `*arg`); its resource id."""
        if result == "nonzero" and eff.on_nonzero != "alloc":
            return None
        if result == "zero" and eff.on_zero != "alloc":
            return None
        if eff.chain == ANY_MEMBER and (result is None or not self._own_untouched(arg, world)):
            return None
        s = self.site(
            ("alloc-into", expr.span, eff.index, eff.chain),
            span=expr.span,
            api=summary.name,
            family=eff.family,
            via_summary=True,
            foreign=eff.foreign,
            origin=(summary.name, eff.index, eff.chain),
            # (an API that fills a structure, [[fills]], fills it for us)
            directed=isinstance(arg, ir.Unary)
            and arg.op == "&"
            or summary.name in self.apis.structs,
        )
        base = arg.operand if isinstance(arg, ir.Unary) and arg.op == "&" else arg
        p = self._path(base, world)
        if p is None:
            return None
        tokens = p[1] + _chain_tokens(eff.chain)
        if isinstance(arg, ir.Unary) and arg.op == "&":
            # `helper(&md->ws[0])` storing into `ws->bits` stores into `md->ws[0].bits`
            first = tokens[len(p[1])]
            if first == "*":
                del tokens[len(p[1])]
            elif first.startswith("->"):
                tokens[len(p[1])] = "." + first[2:]
        target = _rebuild(p[0], tokens, expr.span)
        held = [r for r in self.resolve(target, world) if world.status.get(r) in OWNED]
        if held and "[]" not in tokens:  # (another element of an array is not this one)
            # Already holds tracked memory: the callee grows or reuses it
            # (krealloc, `if (!p->buf) p->buf = kzalloc(...)`); nothing new.
            if result == summary.error_class:
                world.failed[held[0]] = True
            self._reused = True
            return held[0]
        world.status[s.rid] = LIVE
        self._made_this_pass(s.rid, world)
        if result == summary.error_class:
            world.failed[s.rid] = True
            # (a call given this local before it failed cleans up none of it;
            # in the database's what-if round, also after an ANY_MEMBER leftover,
            # which changes nothing that round keeps but `lost_leftovers`)
            world.vals.pop(_SHARED + p[0], None)
        self.store(target, s.rid, world)
        if world.status.get(s.rid) == ESCAPED and result in (summary.error_class, "defer"):
            self._detach(s.rid, target, world)
        if world.status.get(s.rid) == LIVE:
            world.holders[s.rid] = target.text
        return s.rid

    def _own_untouched(self, arg: ir.Expr, world: World) -> bool:
        """Is `arg` a variable holding a block this function allocated, none
        of whose members it frees (`_frees_members_of`)?  Only such a block
        takes an ANY_MEMBER leftover: a caller that frees some member may
        free the very one a callee left."""
        if type(arg) is not ir.Name or self._alias_of(arg.name) in self._frees_members_of:
            return False
        return any(world.status.get(r) in OWNED for r in self.resolve(arg, world))

    @cached_property
    def _frees_members_of(self) -> set[str]:
        """The variables some member of which this function frees, anywhere:
        itself (`kfree(x->buf)`, `kfree(x[i].buf)` in a loop), through another
        name (`h = x; kfree(h->buf)`, `buf = x->buf; kfree(buf)`), or by
        giving the block to a release (`foo_free(x)`) or to a callee whose
        summary frees a member of that argument."""
        members: dict[str, str] = {}  # `buf = x->buf`: buf -> x
        for target, value in self._copies:
            if isinstance(value, ir.Field | ir.Index) and (root := root_name(value)):
                members[target] = root
        alias = self._alias_of
        out: set[str] = set()
        for call in ir.call_exprs(self.fn):
            freed = self.freed_arg(call, "free")
            if freed is not None:
                freed = ir.uncast(freed)
                root = root_name(freed)
                if type(freed) is ir.Name and root in members:
                    out.add(alias(members[root]))
                elif type(freed) is not ir.Name and root is not None:
                    out.add(alias(root))
                continue
            summary = self.summaries.get(call.func or "")
            for i, a in enumerate(map(ir.uncast, call.args)):
                if type(a) is not ir.Name:
                    continue
                if summary is None:
                    frees = self.apis.releases(call.func)
                else:
                    frees = any(
                        e.index == i and e.chain and _UNDOING & {e.on_zero, e.on_nonzero}
                        for e in summary.effects
                    )
                if frees:
                    out.add(alias(a.name))
        return out

    def _alias_of(self, name: str) -> str:
        """The variable `name` was last set to, whole, if any (`h = x;`,
        `struct foo *h = x;`, through casts), followed back: one name for
        each block in `_frees_members_of`."""
        seen = {name}
        while (name := self._aliases.get(name, name)) not in seen:
            seen.add(name)
        return name

    @cached_property
    def _aliases(self) -> dict[str, str]:
        return {t: v.name for t, v in self._copies if type(v) is ir.Name}

    @cached_property
    def _copies(self) -> list[tuple[str, ir.Expr]]:
        """(variable, value without casts) of each `x = value` and `T *x = value;`
        (of `self.assignments`, made once per function)."""
        return [
            (t.name, ir.uncast(v))
            for t, v in self.assignments
            if type(t) is ir.Name and v is not None
        ]

    def _detach(self, rid: int, target: ir.Expr, world: World) -> None:
        """Keep a failing callee's leftover that went into a place the
        analysis cannot follow (`priv->ieee->bg_band.channels` of our `priv`,
        through a pointer `ieee` to memory it knows nothing of), when this
        function frees that same place on another path: it owns what the
        callee left there, and an error path that skips the free loses it
        (see find_leaks). Elsewhere it stays let go, as before."""
        place = self._place(target, world)
        if place is None or self._uses_holder(place[1]):
            return
        freed = (self._place(e, world) for es in self.own_frees.values() for e in es)
        if place in freed:
            world.status[rid] = LIVE
            self.detached[rid] = place

    def _uses_holder(self, tokens: tuple[str, ...]) -> bool:
        """Does the function use the pointer that holds the place other than
        to reach members through it (`s = d->sub`, `sub_clear(d->sub)`)?
        Then it may free the place through that alias or callee, which the
        analysis would not see."""
        cut = max(i for i, t in enumerate(tokens) if t.startswith("->"))
        holder = list(tokens[:cut])
        hit = self._holder_uses.get(tuple(holder))
        if hit is None:
            hit = False
            for node in self.fn.nodes:
                exprs = list(ir.walk(node.expr)) if node.expr is not None else []
                bases = {id(e.base) for e in exprs if isinstance(e, ir.Field)}
                # (setting the pointer is no use of it, unless from another name
                # for it: `d->sub = lookup(n)`, not `d->sub = s`)
                bases |= {
                    id(e.target)
                    for e in exprs
                    if isinstance(e, ir.Assign) and path_of(ir.uncast(e.value)) is None
                }
                for e in exprs:
                    p = path_of(e) if id(e) not in bases else None
                    if p is not None and p[1] == holder:
                        hit = True
                        break
                if hit:
                    break
            self._holder_uses[tuple(holder)] = hit
        return hit

    def _place(self, expr: ir.Expr, world: World) -> tuple[int, tuple[str, ...]] | None:
        """(our block, the path in it) of a member reached through another
        pointer member (`p->a->b`), whatever local names the block."""
        p = path_of(ir.uncast(expr))
        if p is None:
            return None
        root, tokens = self._unalias(p[0], p[1], world)
        rid = world.env.get(root)
        if rid is None or world.status.get(rid) not in OWNED:
            return None
        if sum(t.startswith("->") for t in tokens) < 2:
            return None  # (a member of the block itself: the heap has it)
        return rid, tuple(tokens)

    # -------------------------------------------------------------- conditions

    def refine(self, cond: ir.Expr, world: World, truth: bool) -> list[World]:
        """The worlds in which `cond` evaluates to `truth` (evaluating its effects)."""
        hit = self._facts._table.get(id(cond))  # self._fact(cond), inlined: a hot call
        fact = hit[1] if hit is not None and hit[0] is cond else self._fact(cond)
        if fact is None:
            return self._refine(cond, world, truth)
        # `if (len > MAX) buf = kmalloc(..); ... if (len > MAX) kfree(buf);`:
        # the same test of values the function never changes agrees with itself.
        key, negated = fact
        holds = truth != negated
        if world.vals.get(key, holds) != holds:
            return []
        out = self._refine(cond, world, truth)
        for w in out:
            w.vals[key] = holds
        return out

    def _fact(self, cond: ir.Expr) -> tuple[str, bool] | None:
        """A key for a comparison whose operands this function never changes,
        and whether `cond` is its negation (`a <= b` is `!(a > b)`).  Fixed
        for a condition: worked out at its first test only."""
        return self._facts.get(cond, self._fact_of)

    def _fact_of(self, cond: ir.Expr) -> tuple[str, bool] | None:
        if not (isinstance(cond, ir.Binary) and cond.op in _COMPARISONS):
            return None
        for e in ir.walk(cond):
            if isinstance(e, ir.Call) and self.apis.role(e.func, "count") is not None:
                continue  # `ARRAY_SIZE(x)`: a constant
            if isinstance(e, (ir.Call, ir.Assign, ir.Opaque, ir.Conditional)):
                return None
            if isinstance(e, ir.Unary) and e.op in ("++", "--", "*"):
                return None
            if isinstance(e, (ir.Name, ir.Field, ir.Index)) and self._changes(e.text):
                return None
        op, negated = _COMPARISONS[cond.op]
        return f"?{cond.left.text} {op} {cond.right.text}", negated

    def _changes(self, text: str) -> bool:
        root = re.match(r"\w+", text)
        return text in self.mutated or (root is not None and root[0] in self.mutated)

    def _refine(self, cond: ir.Expr, world: World, truth: bool) -> list[World]:
        """Dispatched on the condition's class (`_REFINE`); a handler answers None
        when its class has no rule for this condition, which then is a value."""
        handler = _REFINE.get(type(cond))
        if handler is not None:
            out = handler(self, cond, world, truth)
            if out is not None:
                return out
        return self._refine_value(cond, world, truth)

    def _refine_const(self, cond: ir.Const, world: World, truth: bool) -> list[World]:
        v = cond.value
        if v is None or bool(v) == truth:
            return [world]
        return []

    def _refine_unary(self, cond: ir.Unary, world: World, truth: bool) -> list[World] | None:
        if cond.op == "!":
            return self.refine(cond.operand, world, not truth)
        return None

    def _refine_binary(self, cond: ir.Binary, world: World, truth: bool) -> list[World] | None:
        op, left, right = cond.op, cond.left, cond.right
        if op == "&&" or op == "||":
            return self._refine_logical(left, right, world, truth, stop=op == "||")
        if op == "==" or op == "!=":
            zero = _is_zero(right) or _is_zero(left) or self._ok(right) or self._ok(left)
            if zero:
                other = left if _is_zero(right) or self._ok(right) else right
                return self.refine(other, world, truth if op == "!=" else not truth)
            self.eval(cond, world)
            equal = truth if op == "==" else not truth
            if equal and self._distinct_pointers(left, right, world):
                return []  # a fresh block equals no pointer that existed before it
            return self._refine_equal(left, right, world, equal)
        if (
            op == ">"
            and _is_zero(right)
            and type(left) is ir.Field
            and left.field in self._size_members
        ):
            return self._refine_value(left, world, truth)  # `if (out.length > 0)`
        if op in ("<", ">=", ">", "<=") and _is_zero(right):
            if op == "<=":
                op, truth = ">", not truth  # `count <= 0` is `!(count > 0)`
            # what the branch says of the sign: `x < 0`, `x >= 0`, `x > 0`, or
            # nothing (`x > 0` false: zero or negative)
            negative = (op == "<") == truth if op != ">" else False
            nonnegative = not negative if op != ">" else truth
            callee = self._summary_call(left)
            if callee is not None and callee.error_class == "nonzero" and (negative or nonnegative):
                # `if (foo_init(cp) < 0)`: the callee failed exactly when negative
                return self._refine_call(left, world, negative)
            self.eval(left, world)
            if (
                nonnegative
                and isinstance(left, ir.Name)
                and world.vals.get(_sign_key(left.name)) == NEGATIVE
            ):
                return []  # `err = -ENODEV; ... if (err < 0)` cannot be false
            if negative and isinstance(left, ir.Name) and left.name in self.integers:
                world.vals[_sign_key(left.name)] = NEGATIVE
            nonzero = (op == "<" and truth) or (op == ">=" and not truth) or (op == ">" and truth)
            if nonnegative and isinstance(left, ir.Name):
                # the callee did not fail
                later = []
                for rid, on_zero, _, on_ok in world.pending.pop(left.name, None) or ():
                    if on_zero == "vanish" and not nonzero:
                        # memory it leaves only with a non-zero result, and the
                        # result may be zero (`if (ret < 0) ..; else if (ret)`):
                        # a later test tells; non-zero is now a success, not a
                        # failure's leftover (nand_onfi_detect's `return 1`)
                        later.append((rid, on_zero, None, on_ok))
                    else:
                        self._apply_effect(rid, on_ok, world)
                if later:
                    world.pending[left.name] = tuple(later)
                if left.name in self.integers and world.vals.get(_sign_key(left.name)) != POSITIVE:
                    # `if (ret < 0) ..; return ret;` past the test returns no error
                    world.vals[_sign_key(left.name)] = NONNEGATIVE
            if nonzero and isinstance(left, ir.Name):
                out = self._refine_int(left.name, world, True)
                if op == ">" and left.name in self.integers:
                    for w in out:
                        w.vals[_sign_key(left.name)] = POSITIVE
                return out
            return [world]
        if op == ",":
            self.eval(left, world)
            return self.refine(right, world, truth)
        return None

    def _refine_call(self, cond: ir.Call, world: World, truth: bool) -> list[World] | None:
        api = self.apis.role(cond.func, "condition")
        if api is not None:
            return self._refine_predicate(api, cond, world, truth)
        if truth and self._cannot_fail(cond, world):
            return []  # `if (foo_init(x))` of a function that only returns 0
        if any(
            a.role == "sink" and not a.returns_pointer and not a.always
            for a in self.apis.lookup(cond.func)
        ):
            # `if (rhashtable_insert_fast(ht, &zt->node, params))`: a sink that
            # fails did not take the block (as `err = sink(..); if (err)`)
            self._sink_call = cond
            self.eval(cond, world)
            self._sink_call = None
            pending, self._sink_pending = self._sink_pending, []
            self._happen(pending, world, truth)
            return [world]
        callee = self._summary_call(cond)
        if callee is not None:
            values = self._eval_args(cond, world)
            rid = self.apply_summary(callee, cond, world, None, "nonzero" if truth else "zero")
            if self._partly_unknown(cond.func):
                self._unknown_callee(cond.func, cond, values, world)
            if rid is not None and callee.returns_alloc is not None:
                # `if (!foo_alloc(x))`: the wrapper's result is tested right here.
                (self._set_live if truth else self._set_null)(rid, world)
            return [world]
        return None

    def _refine_assign(self, cond: ir.Assign, world: World, truth: bool) -> list[World] | None:
        if cond.op == "=":
            self.eval(cond, world)
            return self.refine(cond.target, world, truth)
        return None

    def _refine_cast(self, cond: ir.Cast, world: World, truth: bool) -> list[World]:
        return self.refine(cond.operand, world, truth)

    def _refine_logical(
        self, left: ir.Expr, right: ir.Expr, world: World, truth: bool, stop: bool
    ) -> list[World]:
        """`a && b` (stop=False) or `a || b` (stop=True): `a == stop` decides alone."""
        if truth == stop:
            out = self.refine(left, world.copy(), stop)
            for w in self.refine(left, world, not stop):
                out.extend(self.refine(right, w, stop))
            return out
        return [
            w2 for w in self.refine(left, world, not stop) for w2 in self.refine(right, w, not stop)
        ]

    def _refine_equal(self, a: ir.Expr, b: ir.Expr, world: World, equal: bool) -> list[World]:
        """`cmd == REQ_X`: remember it, so that a later `if (cmd == REQ_X)` agrees.

        Kernel code often allocates under one test of a mode variable and
        frees or stores under a second, identical test.
        """
        for var, const in ((a, b), (b, a)):
            if (
                equal
                and type(var) in (ir.Name, ir.Field)
                and var.text in world.pending
                and isinstance(const, ir.Call)
                and self.apis.role(const.func, "error") is not None
            ):
                # `if (th->thread == ERR_PTR(-ENOMEM))`: a pointer result that is
                # an error, the failure of a pointer function ("zero")
                self._settle(var.text, world, nonzero=False)
                continue
            if (
                equal
                and type(var) is ir.Name
                and var.name in world.pending
                and self._is_errno(const)
            ):
                # `if (ret == -EPROBE_DEFER)`, `if (status == AE_NOT_FOUND)`: it failed
                # (`ret == -EIOCBQUEUED`: taken, to complete later)
                self._settle(var.name, world, nonzero=True)
                if not world.vals.get(var.name):
                    world.vals[var.name] = "nonzero"  # (a later `if (ret)` agrees)
                if self._pending(const):
                    world.vals[_sign_key(var.name)] = PENDING
            if isinstance(var, ir.Field) and self._local_path(var) and _constant(const):
                key = var.text  # a field, remembered until assigned (`_forget_tests`)
            elif isinstance(var, ir.Name) and var.name in self.locals:
                if var.name in world.env or not _constant(const):
                    continue
                key = var.name
            else:
                continue
            known = world.vals.get(key, "")
            fact = ("eq:" if equal else "ne:") + const.text
            if known.startswith("eq:"):
                same = known[3:] == const.text
                if equal != same:
                    return []
            elif known.startswith("ne:") and const.text in known[3:].split("|"):
                if equal:
                    return []
                fact = known  # (already known)
            elif known.startswith("ne:") and not equal:
                fact = known + "|" + const.text  # (`default:`: none of several)
            if equal or not known.startswith("eq:"):
                world.vals[key] = fact
            return [world]
        return [world]

    def _fresh(self, rid: int | None, world: World) -> bool:
        return rid is not None and world.status.get(rid) in (MAYBE, MAYBE_ERR)

    def _distinct_pointers(self, a: ir.Expr, b: ir.Expr, world: World) -> bool:
        """`buf == hdr->cdb` with buf a live fresh allocation and the other side
        not it, or the address of a member of another structure."""
        for x, y in ((a, b), (b, a)):
            if isinstance(y, ir.Unary) and y.op == "&" and _member(y.operand):
                # `run != &ni->file.run`: a fresh block is inside no other structure
                mine = [r for r in self.resolve(x, world) if world.status.get(r) in OWNED]
                if len(mine) == 1 and mine[0] not in self.owner_of(y, world):
                    return True
                continue
            if self._path(y, world) is None:
                continue  # a constant or computed value: no claim
            mine = [r for r in self.resolve(x, world) if world.status.get(r) in OWNED]
            if len(mine) == 1 and mine[0] not in self.resolve(y, world):
                return True
        return False

    def _refine_predicate(self, api: Api, cond: ir.Call, world, truth: bool) -> list[World]:
        kind = api.test
        if api.pointer is None or api.pointer >= len(cond.args):
            self.eval(cond, world)
            return [world]
        arg = cond.args[api.pointer]
        if kind == "value":
            return self.refine(arg, world, truth)
        if kind == "not":  # `ACPI_SUCCESS(status)` is `!status`
            return self.refine(arg, world, not truth)
        inner = self._pointer_call(arg) if kind == "is_err" else None
        if inner is not None:
            # `if (IS_ERR(ck_create(hw)))`: the call failed exactly when the test holds
            return self._refine_call(inner, world, not truth) or [world]
        self.eval(arg, world)
        if isinstance(arg, ir.Name) and arg.name in world.pending:
            # `file = foo_getfile(.., priv); if (IS_ERR(file))`: the call failed
            # exactly when the test holds (a pointer function fails as "zero").
            self._settle(arg.name, world, nonzero=not truth)
        elif isinstance(arg, ir.Field) and arg.text in world.pending:
            # `dev->p = create(dev); if (IS_ERR(dev->p))`: the same, in a member
            self._settle(arg.text, world, nonzero=not truth)
        if truth and kind == "is_err" and isinstance(arg, ir.Name):
            # `if (IS_ERR(clk)) return clk;` returns an errno (until clk is assigned)
            world.vals[_sign_key(arg.name)] = NEGATIVE
        if self._via_derived(arg, world):
            if truth and isinstance(arg, ir.Name):
                # `clk = clk_register(NULL, &pll->hw); if (IS_ERR(clk)) return clk;`:
                # an error pointer points into no block, so returning it does
                # not return pll (the callee failed: pll is still ours)
                world.env.pop(arg.name, None)
                world.derived.pop(arg.name, None)
            return [world]
        found = self.resolve(arg, world)
        if len(found) != 1:
            return [world]
        rid = found[0]
        st = world.status.get(rid)
        if st not in (MAYBE, MAYBE_ERR, LIVE):
            return [world]
        if truth:
            if st == LIVE and kind == "is_err":
                return []
            self._set_null(rid, world)
        else:
            if kind == "is_err_or_null" or st == MAYBE_ERR:
                self._set_live(rid, world)
        return [world]

    def _refine_value(self, cond: ir.Expr, world: World, truth: bool) -> list[World]:
        sizes = self._size_members
        if sizes and type(cond) is ir.Field and cond.field in sizes:
            # `if (!out.length)` after acpi_evaluate_object(.., &out): a test of out.pointer
            filled = self._filled.get(id(cond))
            if filled is None or filled[0] is not cond:
                member = sizes[cond.field]
                text = f"{cond.base.text}{'->' if cond.arrow else '.'}{member}"
                filled = self._filled[id(cond)] = (
                    cond,
                    ir.Field(cond.span, text, cond.base, member, cond.arrow),
                )
            filled = filled[1]
            if any(world.status.get(r) in OWNED for r in self.resolve(filled, world)):
                return self._refine_value(filled, world, truth)
        if isinstance(cond, ir.Call):
            self.eval(cond, world)
            return [world]
        if self._via_derived(cond, world):
            # `block = temp_block + 3; if (!block)`: a pointer into a block is
            # NULL only where the block is (the other way round says nothing).
            found = []
            if not truth:
                for rid in self.resolve(cond, world):
                    if world.status.get(rid) == LIVE:
                        return []
                    if world.status.get(rid) in (MAYBE, MAYBE_ERR):
                        self._set_null(rid, world)
        else:
            found = self.resolve(cond, world)
            if len(found) > 1:
                # `v[1].value = kmalloc(..); if (!v[1].value)`: of an array's
                # blocks, the test is of the one not yet tested
                fresh = [r for r in found if world.status.get(r) in (MAYBE, MAYBE_ERR)]
                found = fresh if len(fresh) == 1 else found
        if len(found) == 1 and world.status.get(found[0]) is not None:
            rid = found[0]
            st = world.status[rid]
            if st in (PARAM, P_FREED) and self.rid_sites[rid].param[1]:
                # A pointer the caller holds (`*qp`, `p->buf`): its tests agree
                # with each other, through any copy (`q = *qp; if (!q) q =
                # foo_create(); ... if (!*qp) foo_free(q);`).
                key = _NULL_TESTED + str(rid)
                if world.vals.get(key, truth) != truth:
                    return []
                world.vals[key] = truth
            if st in (MAYBE, MAYBE_ERR):
                if truth:
                    self._set_live(rid, world)
                else:
                    self._set_null(rid, world)
                if isinstance(cond, ir.Name):
                    # later tests agree, also once the NULL block is forgotten
                    world.vals[cond.name] = "nonzero" if truth else "zero"
                key = cond.name if type(cond) is ir.Name else cond.text
                if isinstance(cond, ir.Name | ir.Field) and key in world.pending:
                    # `entry = create(.., q)` kept q only if it returned a block
                    self._settle(key, world, nonzero=truth)
            elif st == LIVE and not truth:
                return []
            elif st == MANAGED and isinstance(cond, ir.Name):
                # `if (!pdata) return -ENOMEM; ... error: if (pdata) kfree(pdata->buf);`:
                # devm memory has no live/NULL state; its tests agree with each other.
                return self._refine_int(cond.text, world, truth)
            elif st == PARAM and not truth and self.rid_sites[rid].param[1]:
                # `if (!p->buf) return; kfree(p->buf);`: on this path there is
                # nothing to free, so the summary may say the field is freed.
                world.status[rid] = P_FREED
            elif st in (PARAM, P_ESCAPED) and isinstance(cond, ir.Name):
                # `if (!f) buf = kzalloc(..); ... if (!f) return buf; else return
                # NULL;`: tests of a pointer parameter agree with each other
                # (also once it was handed on: the pointer itself is unchanged)
                return self._refine_int(cond.name, world, truth)
            return [world]
        self.eval(cond, world)
        if isinstance(cond, ir.Name) and (
            cond.name in self.locals
            or (cond.name not in self.functions and not _MACRO_CONSTANT.match(cond.name))
        ):
            # a local, or a global flag (`if (!scsi_alloc_out_of_range) .. if
            # (scsi_alloc_out_of_range || ..)`): its tests agree until assigned
            return self._refine_int(cond.name, world, truth)
        if isinstance(cond, ir.Field) and self._local_path(cond):
            if truth and self._reads_zero(cond, world):
                return []  # `if (nn->dp.netdev)` of a fresh vzalloc() block
            # `if (req->src)` tested twice: both tests agree, until the
            # function assigns the field (`_forget_tests`).
            return self._refine_int(cond.text, world, truth)
        return [world]

    def _local_path(self, expr: ir.Field) -> bool:
        """A field reached from a parameter or local (its tests can be remembered)."""
        plan = self._plans.get(expr, self._plan)  # (its root is path_of's)
        return plan is not None and plan[0] in self.locals

    def _refine_int(self, name: str, world: World, nonzero: bool) -> list[World]:
        known = world.vals.get(name)
        want = "nonzero" if nonzero else "zero"
        if known in ("zero", "nonzero"):
            if known != want:
                return []
        elif known and known.startswith("eq:") and _ERRNO.match(known[3:]) and not nonzero:
            return []  # `ret == EAGAIN` is not zero
        if known is None or known in ("zero", "nonzero") or known.startswith("ne:"):
            world.vals[name] = want
        # (`if k in m` first: the key is usually absent; see unbind_local)
        if name in world.pending:
            self._settle(name, world, nonzero)
        track = _track_key(name)
        tracked = world.vals.pop(track) if track in world.vals else None
        if tracked is not None and tracked[1:] in self._tracked:
            # `ret = image_id ? 0 : -ENOMEM; if (!ret)`: image_id is non-NULL.
            fails_when = tracked[0] == "+"
            return self.refine(self._tracked[tracked[1:]], world, nonzero == fails_when)
        return [world]

    def _drop_pending(self, key: str, world: World) -> None:
        """The variable a result waited in is given another value, untested:
        a sink whose result nobody tested took the block (as at the exits);
        what else waited is forgotten."""
        for rid, _, _, on_ok in world.pending.pop(key):
            if on_ok == SINK_KEEPS:
                self._apply_effect(rid, SINK_KEEPS, world)

    def _settle(self, key: str, world: World, nonzero: bool) -> None:
        """What waited on a callee's result (`world.pending[key]`) happens now
        that a test tells the result's class."""
        self._happen(world.pending.pop(key), world, nonzero)

    def _happen(self, waiting, world: World, nonzero: bool) -> None:
        """Apply what waited on a result, now known zero or non-zero."""
        for rid, on_zero, on_nonzero, on_ok in waiting:
            what = on_nonzero if nonzero else on_zero
            if what is None and on_ok in _REFUSABLE:
                self._refused(rid, world)
            self._apply_effect(rid, what, world)

    def _refused(self, rid: int, world: World) -> None:
        """A callee that keeps the block when it succeeds did not: the path
        took its other result, so the block is still ours (Leak.refused).
        Not read from a NULL or IS_ERR test (`if (!d)` of a pointer sink
        that fails with ERR_PTR), nor from a test against one errno (`if (ret
        == -EEXIST)`: a retry loop's duplicate, whose loop goes on)."""
        if world.status.get(rid) not in OWNED:
            return
        if self._testing is not None:
            node, truth = self.fn.nodes[self._testing[0]], self._testing[1]
            if null_tested(node.expr, truth, self.apis) or null_tested(
                node.expr, not truth, self.apis
            ):
                return
            e = node.expr
            if (
                type(e) is ir.Binary
                and e.op in ("==", "!=")
                and not (ir.is_zero(e.left) or ir.is_zero(e.right))
            ):
                return
        world.refused |= {(rid, self._testing)}

    def _set_null(self, rid: int, world: World) -> None:
        world.status[rid] = NULL
        old = world.realloc.pop(rid, None)
        if old is not None and world.status.get(old) in _OWNED_OR_OLD:
            # a failed realloc leaves the old block (the caller's, for some)
            world.status[old] = PARAM if old in self.caller_keeps else LIVE

    def _set_live(self, rid: int, world: World) -> None:
        world.status[rid] = LIVE
        old = world.realloc.pop(rid, None)
        if old is not None and world.status.get(old) in _OWNED_OR_OLD:
            # krealloc() copied the old block: what it held, the new one holds
            for (c, f), v in list(world.heap.items()):
                if c == old:
                    world.heap[(rid, f)] = v
            self._regrown_old(old, world)

    def _regrown_old(self, old: int, world: World) -> None:
        """The block a krealloc() succeeded on is gone; if it was the caller's,
        the parameter that held it is freed (for the summary)."""
        world.status[old] = FREED
        if old in self.old_params:
            world.status[self.old_params[old]] = P_FREED

    # -------------------------------------------------------------- exits

    def exit(self, node: ir.Node, world: World) -> None:
        returned: int | None = None
        fresh: Site | None = None
        if isinstance(node.expr, ir.Call):
            self._passed_up(node.expr)
        if node.expr is not None:
            self._derived = False
            returned = self.eval(node.expr, world)
            if self._derived and not self.fn.returns_pointer:
                returned = None  # `return regmap_write(map, r, buf)` returns an int
            if returned in self.linked:  # (filled only in pointer functions)
                self.returns_linked = self.linked[returned]
            elif returned is None and isinstance(node.expr, ir.Name):
                self.returns_linked = self.linked_names.get(node.expr.name, self.returns_linked)
            if self.private_tables and returned is not None and isinstance(node.expr, ir.Name):
                self._returned_private(node.expr.name, returned, world)
            if returned is not None and world.status.get(returned) in OWNED:
                self._returned_self(node.expr, returned, world)
            # `clk = clk_register(NULL, &div->hw); return clk;` returns what a callee
            # made from the block, not the block: the caller gets no new memory.
            made = self._derived or (
                isinstance(node.expr, ir.Name) and world.derived.get(node.expr.name, False)
            )
            if (
                returned is not None
                and world.status.get(returned) in OWNED
                and not made
                and world.lent.get(returned) != LINKED  # (on a list: not the caller's alone)
            ):
                held = {c for (c, _), v in world.heap.items() if v == returned}
                if not any(world.status.get(c) in _CALLERS for c in held):
                    fresh = self.rid_sites.get(returned)  # not also kept in caller memory
            for rid in self._returned(node.expr, world):
                self.escape(rid, world)
            if self.fn.returns_pointer and isinstance(node.expr, ir.Call):
                # `return vchan_tx_prep(&c->vc, &d->vd, flags)`: the result may
                # point into any block it was given.
                for arg in node.expr.args:
                    for rid in self.owner_of(arg, world):
                        if world.status.get(rid) in OWNED:
                            self.escape(rid, world)
            if returned is not None:
                self.escape(returned, world)
        for name, cleanup in self.cleanups.items():
            rid = world.env.get(name)
            if rid is not None:
                self._cleanup_members(name, cleanup, world)
                self.free(rid, world)
        # Unresolved conditional hand-overs: an int function's success (it took
        # ownership); a pointer function's failure (what its result points to
        # holds a pointer back to its argument, which is no hand-over:
        # `ctrl = v4l2_ctrl_new_custom(hdl, ..)` tested by `hdl->error`)
        # (a sink whose result nobody tested took the block, as `_keep` reads it)
        for pend in world.pending.values():
            for rid, on_zero, _, on_ok in pend:
                self._apply_effect(rid, on_ok if on_ok == SINK_KEEPS else on_zero, world)
        for _new, old in list(world.realloc.items()):
            if world.status.get(old) in _OWNED_OR_OLD:
                self._regrown_old(old, world)
        self._mark_kept_params(world)
        world.into = _Map(
            {
                k: v
                for k, v in ((k, self._still_in(v, world)) for k, v in world.into.items())
                if not v[0]
                or (
                    world.status.get(world.heap.get((v[1], v[2]), -1)) in OWNED
                    and v[1] not in world.handed
                )
            }
        )
        cls = self.result_class(node, world, returned)
        if cls == "error":
            self.returns_errno = True
        if world.freed_own and self.is_error_exit(cls) is True:
            self.cleans_up = True  # (`if (err) { kfree(p); return err; }` too: nonzero)
        if self.globals and self.is_error_exit(cls) is True:
            self.globals_undone.update(
                k[len(_UNDONE) :] for k in world.vals if k.startswith(_UNDONE)
            )
        if cls == "error" and self.fn.returns_pointer:
            # `return ERR_PTR(ret)`: a pointer function's failure, as its
            # callers' IS_ERR() reads it (the "zero" class, with NULL)
            self.err_ptr_exit = True
            self.exits.append((world, "zero", fresh))
        else:
            self.exits.append((world, "nonzero" if cls in ("error", "positive") else cls, fresh))
        self.find_leaks(node, world, cls)
        if self.globals:
            # what the file's variables hold outlives the call: for the
            # summary, as escaped as any store into memory we cannot see
            self.escape(FILE_VARS, world)

    def _still_in(self, entry: tuple[str, int, str], world: World) -> tuple[str, int, str]:
        """`into` keeps the last block stored in an array's chain; if that one
        is gone (its allocation failed), another element's block left there
        still is new memory in the caller's array."""
        family, c, at = entry
        if not family or "#" not in at or world.status.get(world.heap.get((c, at), -1)) in OWNED:
            return entry
        prefix = at.split("#", 1)[0] + "#"
        for (cc, f), v in world.heap.items():
            if cc == c and f.startswith(prefix) and world.status.get(v) in OWNED:
                return family, c, f
        return entry

    def _mark_kept_params(self, world: World) -> None:
        """A parameter's memory stored in a block the caller now holds has been kept.

        `cmd->ctx = ctx; dev->cmd = cmd;` leaves `ctx` reachable from the
        caller's `dev` through memory this function allocated.
        """
        roots = [r for r, st in world.status.items() if st in (PARAM, P_ESCAPED)]
        if not roots or not world.heap:
            return
        # What each block holds, in heap order; and the stores of a parameter's
        # memory into a block we own, the only candidates for a keeper.
        held: dict[int, list[int]] = {}
        stores: list[tuple[int, int]] = []
        for (c, _), v in world.heap.items():
            held.setdefault(c, []).append(v)
            if world.status.get(c) in OWNED and world.status.get(v) == PARAM:
                stores.append((c, v))
        if not stores:
            return
        kept: list[int] = []
        for root in roots:
            index = self.rid_sites[root].param[0]
            frontier, reach = [root], set()
            while frontier:
                for v in held.get(frontier.pop(), ()):
                    if v not in reach:
                        reach.add(v)
                        frontier.append(v)
            for c, v in stores:
                if c in reach and self.rid_sites[v].param[0] != index:
                    # `dim->priv = cq; cq->dim = dim;` is a back-reference, not a keeper.
                    kept.append(v)
        for v in kept:
            world.status[v] = P_ESCAPED

    def _passed_up(self, call: ir.Call) -> None:
        """`return foo_setup(priv);`: whatever foo_setup leaves in priv when it
        fails goes up with its failure, as after `if (ret) return ret;`."""
        summary = self.summaries.get(call.func or "")
        for eff in summary.effects if summary is not None else ():
            failing = eff.on_nonzero if summary.error_class == "nonzero" else eff.on_zero
            if failing == "alloc" and eff.chain:
                self.leftovers.propagated.add((summary.name, eff.index, eff.chain))

    def _returned(self, expr: ir.Expr, world: World) -> list[int]:
        out: list[int] = []
        match expr:
            case ir.Conditional(then=a, other=b):
                out += self._returned(a, world) + self._returned(b, world)
            case ir.Cast(operand=o):
                out += self._returned(o, world)
            case ir.Binary(op=",", right=r):
                out += self._returned(r, world)
            case ir.Name() | ir.Field() | ir.Index():
                out += self.resolve(expr, world)
            case ir.Unary(op="&", operand=o) if _member(o) and self.fn.returns_pointer:
                # `return &sh->sgt;`: a pointer into sh (container_of() gets it back)
                out += self._direct_owner(o, world)
        return out

    def result_class(self, node: ir.Node, world: World, returned: int | None) -> str:
        """ "zero", "nonzero", "error" (an errno or ERR_PTR: non-zero and a failure),
        "positive" (non-zero, and not an errno), or "unknown"."""
        if node.expr is None:
            return "unknown"
        if returned is not None:
            return "nonzero"
        if self._exit_class is not None:
            return self._exit_class
        return self._value_class(node.expr, world)

    def _value_class(self, expr: ir.Expr, world: World) -> str:
        while isinstance(expr, ir.Cast):
            expr = expr.operand
        match expr:
            case ir.Conditional(test=test, then=a, other=b):
                # `return ret < 0 ? ret : -EIO`: an errno either way (the other
                # arm is the value the test looked at)
                tested = {e.text for e in ir.walk(test)}
                arms = [(self._value_class(e, world), e.text) for e in (a, b)]
                if all(k == "error" or t in tested for k, t in arms) and any(
                    k == "error" for k, _ in arms
                ):
                    return "error"
            case ir.Const(value=v) if v is not None and v < 0:
                return "error"
            case ir.Const(value=v) if v is not None:
                return "zero" if v == 0 else "nonzero"
            case ir.Unary(op="-") if self._pending(expr):
                return "positive"  # `return -EINPROGRESS;`: taken, not failed
            case ir.Unary(op="-"):
                return "error"
            case ir.Name(name=n) if self._errno(n):
                return "error"
            case ir.Name(name=n) if world.vals.get(n) == "zero":
                return "zero"
            case ir.Name(name=n) if world.vals.get(_sign_key(n)) == NEGATIVE:
                return "error"  # `if (ret < 0) { ..; return ret; }`: an errno
            case ir.Name(name=n) if world.vals.get(_sign_key(n)) in _NOT_FAILED:
                # `if (ret > 0) ...; return ret;`: a count; `ret = -EINPROGRESS`
                return "positive"
            case ir.Name(name=n) if world.vals.get(n) == "nonzero" and n in self.status_vars:
                return "nonzero"
            case ir.Field(field=m) if (
                _STATUS_MEMBER.search(m) and world.vals.get(expr.text) == "nonzero"
            ):
                return "nonzero"  # `if (hdl->error) return hdl->error;`
            case ir.Call(func=f) if self.apis.role(f, "condition") is None and f is not None:
                if self.apis.role(f, "error") is not None:
                    return "error"
                if self.never_fails(f):
                    return "zero"
        return "unknown"

    def find_leaks(self, node: ir.Node, world: World, cls: str) -> None:
        tentative: set[int] = set()
        contained: dict[int, int] = {}
        for (c, _), v in world.heap.items():
            if c != v:  # (`state->fe.demodulator_priv = state` holds nothing)
                contained[v] = c
        error_exit = self.is_error_exit(cls)
        if error_exit and _positive(node.expr):
            error_exit = None  # `return 1;`: kernel errors are negative; a count or a flag
        holders = self.holder_families
        for rid, st in world.status.items():
            if st not in OWNED:
                continue
            if holders and self.rid_sites[rid].family in holders:
                continue  # (a net_device: tracked for what it holds, not reported)
            reason = "unfreed"
            holder_rid = contained.get(rid)
            if holder_rid is not None:
                hst = world.status.get(holder_rid)
                if hst in OWNED:
                    site = self.rid_sites[rid]
                    if site.origin is not None and rid in world.failed:
                        outer = world.status.get(contained.get(holder_rid, -1))
                        if world.lent.get(holder_rid) == RELEASED:
                            # the container went to a release (`hub_disconnect(intf)`
                            # of its drvdata), which may free what it holds
                            self.leftovers.assumed.add(site.origin)
                        elif outer in (PARAM, P_ESCAPED):
                            # the container itself is left in our caller's structure
                            self.leftovers.propagated.add(site.origin)
                        else:
                            self.leftovers.confirmed.add(site.origin)  # dropped with its container
                    continue  # the container leaks; report that one
                if hst == MANAGED:
                    if error_exit is not True:
                        continue
                    reason = "managed-container"
                    if world.status.get(contained.get(holder_rid, -1)) in (PARAM, P_ESCAPED):
                        # `dev->q_tx[i] = q` (q devm): the caller reaches q and what
                        # it holds, as it reaches what is left in its own structure
                        tentative.add(rid)
                elif hst == GLOBAL:
                    # `g_buf = kmalloc(..)`, then a failure: shown where this
                    # function frees its globals on other failing paths
                    if error_exit is not True or self.rid_sites[rid].origin is not None:
                        continue
                    reason = "left-in-global"
                elif hst in (PARAM, P_FREED, P_ESCAPED):
                    # Kept in the caller's memory. A function that fails is
                    # expected to undo what it set up: on an error exit this is
                    # a leak unless the caller cleans up (medium confidence).
                    site = self.rid_sites[rid]
                    if site.param is not None:
                        continue
                    if error_exit is not True and not self._bails_out(node, rid, world):
                        continue
                    if holder_rid in world.handed:
                        continue  # handed whole to a callee since: maybe a cleanup helper
                    if rid in self.regrown and not self.has_callers:
                        continue  # a krealloc of the caller's own block, stored back
                    ours = site.origin and (rid in world.failed or site.directed)
                    if (
                        site.via_summary
                        and not ours
                        and not self.releases_after(world.holders.get(rid), site.span.line)
                    ):
                        # a helper's lasting state (a log, a cache), not our
                        # setup, unless this function releases it somewhere
                        # (`video_device_release(dev->vdev)` on another error path)
                        continue
                    reason = "left-in-caller"
            elif rid in world.freed_container:
                reason = "container-freed"
            elif rid not in world.env.values():
                reason = "overwritten" if self._replaced(rid, world) else "unfreed"
            if world.lent.get(rid) in (RELEASED, LINKED):
                continue  # given whole to a release-named function we cannot see; on a list
            if rid in self.self_releasing and world.lent.get(rid) in (PASSED, ADRIFT, KEPT):
                continue  # handed over with its own release callback
            if world.lent.get(rid) == KEPT and error_exit is not True:
                continue  # handed to a framework by a pointer into it, on a success path
            if world.lent.get(rid) in (PASSED, ADRIFT) and error_exit is False:
                # On a success exit, memory given to code we cannot see was
                # almost always handed over (triage: 13 of 13 such findings).
                continue
            site = self.rid_sites.get(rid)
            if site is None:
                continue
            if site.origin is not None and rid in world.failed and TORN in world.handed:
                self.leftovers.assumed.add(site.origin)
                continue  # a teardown ran on this error path: assume it covers the leftovers
            if rid in self.detached:
                # (never this function's own leak: see _detach)
                if site.origin is not None and rid in world.failed:
                    self.leftovers.disowned.add(site.origin)
                continue
            if site.origin is not None and rid in world.failed and reason == "left-in-caller":
                if self.probe:
                    key = self._param_key(rid, world)
                    if key is not None and core_drops(key[1]):
                        # a probe passing up what its helper left as drvdata
                        self.leftovers.confirmed.add(site.origin)
                        continue
                self.leftovers.propagated.add(site.origin)  # still in our caller's structure
                if world.holders.get(rid) in self.own_freed_texts:
                    # `kfree(m2m_dev->proc.name)` on this function's other error
                    # paths: it owns what the callee left there, and drops it here
                    self.leftovers.disowned.add(site.origin)
                continue
            if site.origin is not None and rid in world.failed:
                # A failing callee left it here and we do not free it: the
                # callee's own exit is where the leak is reported. Freeing the
                # structure around it is proof; a local structure going out of
                # scope is not (`devlink_dpipe_entry_clear(&entry)` may free it).
                if reason in ("container-freed", "managed-container") or self._lost_with_local(
                    site, rid, world
                ):
                    self.leftovers.confirmed.add(site.origin)
                else:
                    self.leftovers.dropped.add(site.origin)
                continue
            via = world.via
            key = (site.span, (via.span if via else node.span))
            if (key in self.leaks or key in self.deferred) and not self._tells_better(
                self.leaks.get(key), error_exit, rid, world
            ):
                # (the first world to leak it tells the report; preferring a
                # later failing path to the same exit was tried: a block that
                # also leaks on a success path there is most often the tool's
                # misreading, and 7 of the 10 findings it showed were false)
                continue
            holder_text = world.holders.get(rid) or ""
            tests = [b for r, b in world.refused if r == rid]
            # (not a block set to NULL below its allocation, `es2 = NULL;`:
            # the callee that refused it may have used it after all)
            refused = bool(tests) and self._cleared.get(holder_text, 0) <= site.span.line
            refusal = max((b for b in tests if b is not None), default=None) if refused else None
            because, failing, found_null = self._branch_facts(
                (self.fn.nodes[refusal[0]], refusal[1])
                if refusal
                else world.via_branch
                if via
                else world.branch
            )
            leak = Leak(
                site=site,
                exit=node.span,
                exit_text="end of function" if node.implicit else _short(node.expr, "return"),
                via=via.span if via else None,
                via_text=f"goto {via.name}" if via else "",
                because=because,
                failing=failing,
                lent=world.lent.get(rid),
                # an earlier loop iteration's block, left where the new one was found NULL
                skipped_free=rid in world.skipped,
                partner_gone=world.lent.get(rid) == ADRIFT,
                replaced=rid in world.replaced,
                older_at_null=rid in self.older
                and found_null == world.holders.get(rid)
                and rid not in self.regrowing,
                earlier=rid in self.older,
                holder=self._holder(rid, world),
                reason=reason,
                error_exit=error_exit,
                truncated=self.truncated,
                tentative=rid in tentative,
                helper_failed=self._exit_class == "nonzero",
                released_elsewhere=reason == "left-in-caller"
                and self.releases_after(world.holders.get(rid), site.span.line),
                refused=refused,
                scratch=reason == "unfreed"
                and rid not in world.lent
                and not site.via_summary  # (a helper's block may be a cached one)
                and self._scratch(holder_text, site.span.line),
                transient=reason == "unfreed"
                and site.family in self.transient_families
                and self.top_level(site.span.line),
                copied_out=reason == "container-freed"
                and (root := _ROOT.match(holder_text)) is not None
                and root[0] in self._contents_copied,
            )
            if reason in ("left-in-caller", "left-in-global"):
                # Memory left in the caller's structure is a leak for sure only
                # where a caller in this file drops it (frees or loses the
                # structure); otherwise long-lived structures often have a
                # teardown we cannot see, and the finding is tentative.
                self.deferred[key] = (self._param_key(rid, world), leak)
                if reason == "left-in-global":
                    self._global_of[key] = next(
                        n for (c, n), v in world.heap.items() if c == FILE_VARS and v == rid
                    )
            else:
                self.leaks[key] = leak

    def _tells_better(
        self, old: Leak | None, error_exit: bool | None, rid: int, world: World
    ) -> bool:
        """Does this world's error exit tell a leak an earlier world reported
        at the same exit better? Only for a block this function frees by name
        on another path and never gave away: `if (!dev->attached) rc =
        -ENODEV; else rc = do_ioctl(dev, insns); return rc;` after a loop
        whose failure frees `insns` (the earlier world, do_ioctl's, tells a
        success exit)."""
        return (
            old is not None
            and error_exit is True
            and old.reason == "unfreed"
            and old.error_exit is not True
            and not (old.failing or old.refused)
            and rid not in world.lent
            and world.holders.get(rid) == old.holder
            and old.holder in self._freed_names
        )

    def _scratch(self, name: str | None, line: int) -> bool:
        """Is `name` a local scratch buffer: one this function frees by name
        on some path, whose pointer it never copies (no assignment reads it
        other than through an element or a member: `n = buf->len`, not
        `e = buf`, `p = buf + 1`, `x->p = &buf[2]`, `q = f(buf)`)?  Such a
        block is nobody else's at any exit, success or not (airspy's
        firmware-version buffer, freed on the error path only)."""
        return (
            name is not None
            and name in self.locals
            and name not in self.params
            and name not in self.iterators  # (`elem++`: walks the block)
            and name in self._freed_names
            and name not in self._pointers_copied
            and name not in self._given_inside
            and self._cleared.get(name, 0) <= line
            and not any(a <= line <= b for a, b in self._loop_lines)  # (per-element state)
            and self.top_level(line)
        )

    def top_level(self, line: int) -> bool:
        """Is the statement at `line` in the function's outermost block, not
        under an `if` (`if (info->shared) node = kzalloc(..);` is, and a
        later `if (info->shared) list_add(..)` the analysis cannot pair with
        it)? Read from the statements' columns; a declaration counts as
        outermost."""
        if self._top_col is None:
            cols = [
                n.span.col
                for n in self.fn.nodes
                if n.kind is Kind.EXPR or n.kind is Kind.RETURN and not n.implicit
            ]
            self._top_col = min(cols, default=0)
        for n in self.fn.nodes:
            if n.span.line == line and n.kind in (Kind.EXPR, Kind.DECL):
                return n.kind is Kind.DECL or n.span.col == self._top_col
        return False

    @cached_property
    def _loop_lines(self) -> list[tuple[int, int]]:
        """The lines each loop of the function spans, head to last node."""
        nodes = self.fn.nodes
        out = []
        for n in nodes:
            if n.kind is Kind.BRANCH and n.loop_end >= 0:
                # (every node of the loop: a do-while's test sits below its body)
                lines = [m.span.line for m in nodes[n.id : n.loop_end + 1]]
                out.append((min(lines), max(lines)))
        return out

    @cached_property
    def _contents_copied(self) -> frozenset[str]:
        """Variables whose block's contents the function copies elsewhere:
        `d->cfg = *c;`, `memcpy(&d->cfg, c, ..)`, `kmemdup(c, ..)`."""
        out: set[str] = set()
        for _, value in self.assignments:
            v = ir.uncast(value) if value is not None else None
            if type(v) is ir.Unary and v.op == "*" and type(ir.uncast(v.operand)) is ir.Name:
                out.add(ir.uncast(v.operand).name)
        for call in ir.call_exprs(self.fn):
            f = call.func or ""
            if "memcpy" in f or "memdup" in f or "memmove" in f:
                for arg in call.args:
                    out.update(e.name for e in ir.walk(arg) if type(e) is ir.Name)
        return frozenset(out)

    @cached_property
    def _given_inside(self) -> frozenset[str]:
        """Variables a pointer into whose block may go to code nobody knows:
        an argument other than the variable itself or one of its elements that
        reads it (`register(timer->name, ..)`, `f(&buf->list)`, `g(buf + 4)`) given to a
        callee with no entry in the API table (a summary speaks of the block only)."""
        out: set[str] = set()
        for call in ir.call_exprs(self.fn):
            f = call.func
            if f is not None and (self.apis.lookup(f) or self.apis.borrows(f)):
                continue
            for arg in call.args:
                arg = ir.uncast(arg)
                if type(arg) is ir.Index:
                    arg = arg.index  # (`f(row[i])`: an element's value)
                if type(arg) is not ir.Name:
                    out.update(e.name for e in ir.walk(arg) if type(e) is ir.Name)
        return frozenset(out)

    @cached_property
    def _cleared(self) -> dict[str, int]:
        """Variables set to NULL, by the last line where (`if (ret ==
        -EIOCBQUEUED) buf = NULL;`): below the allocation, the idiom of a
        hand-over the analysis may not have seen."""
        out: dict[str, int] = {}
        for node in self.fn.nodes:  # (not `T *buf = NULL;`: that is no hand-over)
            for e in ir.walk(node.expr) if node.expr is not None else ():
                if type(e) is ir.Assign and type(e.target) is ir.Name and ir.is_zero(e.value):
                    out[e.target.name] = max(out.get(e.target.name, 0), node.span.line)
        return out

    @cached_property
    def _pointers_copied(self) -> frozenset[str]:
        """The variables some assignment's value reads whole (see _scratch)."""
        out: set[str] = set()
        for target, value in self.assignments:
            if value is None:
                continue
            if type(target) is ir.Name and target.name in self.integers and type(value) is ir.Call:
                continue  # (`ret = f(buf)` keeps no pointer; `addr = (long)buf + 16` may)
            out.update(_whole_reads(value))
        return frozenset(out)

    @cached_property
    def _freed_names(self) -> frozenset[str]:
        """What this function gives to a free API anywhere, loops included
        (`kfree(insns); return rc;` inside a copy loop)."""
        out = set()
        for call in ir.call_exprs(self.fn):
            freed = self.freed_arg(call, "free")
            if freed is not None:
                out.add(ir.uncast(freed).text)
        return frozenset(out)

    def _takes_element(self, value: ir.Expr | None) -> bool:
        """`skb_dequeue(&qca->rx_q)`: a call given a member's address first,
        which is not a way back to the structure (`container_of`, a getter,
        `dev_get_drvdata(&pdev->dev)`)."""
        v = ir.uncast(value) if value is not None else None
        if not isinstance(v, ir.Call) or not v.args:
            return False
        first = ir.uncast(v.args[0])
        return (
            isinstance(first, ir.Unary)
            and first.op == "&"
            and isinstance(first.operand, ir.Field)
            and v.func not in ("container_of", "container_of_const")
            and self.apis.role(v.func, "getter") is None
            and v.func not in self.apis.drvdata_getters
        )

    def _bails_out(self, node: ir.Node, rid: int, world: World) -> bool:
        """Is this exit of a void function an early `return;` in an if's body
        (not a fall-through to the end) that leaves a block of ours in the
        caller's structure, which the function frees on another path
        (`kfree(qca_memdump)` in `qca_controller_memdump()`)? A worker
        returns no error to say it failed: that free says the block is not
        meant to stay when the function gives up. Not after a call's result
        tested (`if (!sysfs_create_group(..)) return;`: 0 is success for
        most), nor a return the if's body only falls through to."""
        if not self.fn.returns_void or node.implicit:
            return False
        branch = world.via_branch if world.via else world.branch
        if branch is None or not branch[1] or len(branch[0].succs) < 2:
            return False
        head = branch[0]
        leaving = (world.via or node).span.line
        if not head.span.line <= leaving < self.fn.nodes[head.succs[1]].span.line:
            return False  # (the return is not in the if's body)
        test = ir.uncast(head.expr)
        while isinstance(test, ir.Unary) and test.op == "!":
            test = ir.uncast(test.operand)
        if isinstance(test, ir.Call) or (
            isinstance(test, ir.Assign) and isinstance(ir.uncast(test.value), ir.Call)
        ):
            return False
        line = self.rid_sites[rid].span.line
        names = {world.holders.get(rid)} | {k for k, v in world.env.items() if v == rid}
        # freed, and dropped from the structure (`d->buf = NULL`), below the
        # allocation: not a free of an old block before a new one is stored
        return any(self._freed_texts.get(name, 0) > line for name in names) and any(
            self._cleared_texts.get(name, 0) > line for name in names
        )

    @cached_property
    def _cleared_texts(self) -> dict[str, int]:
        """What the function sets to NULL (`qca->qca_memdump = NULL`), by the
        last line where it does: a member it drops, not one it keeps."""
        out: dict[str, int] = {}
        for node in self.fn.nodes:
            for e in ir.walk(node.expr) if node.expr is not None else ():
                if isinstance(e, ir.Assign) and ir.is_zero(e.value):
                    out[e.target.text] = max(out.get(e.target.text, 0), e.span.line)
        return out

    @cached_property
    def _freed_texts(self) -> dict[str, int]:
        """What the function gives to a free API anywhere, loops included, by
        the last line where it does (`kfree(md)` inside a worker's packet loop)."""
        out: dict[str, int] = {}
        for call in ir.call_exprs(self.fn):
            arg = self.freed_arg(call, "free")
            if arg is not None:
                text = ir.uncast(arg).text
                out[text] = max(out.get(text, 0), call.span.line)
        return out

    def _holder(self, rid: int, world: World) -> str:
        """The name to give a leaked block: the variable it was first bound to,
        or, if that variable now holds something else (`curr` of the next
        pass), a local that still holds it (`head`)."""
        holder = world.holders.get(rid, "?")
        if holder.isidentifier() and world.env.get(holder) != rid:
            still = sorted(
                k
                for k, v in world.env.items()
                if v == rid and k.isidentifier() and k not in world.derived
            )
            if still:
                return still[0]
        return holder

    def _branch_facts(self, branch: tuple[ir.Node, bool] | None) -> tuple[str, bool, str | None]:
        """What a report says of the last branch taken: its text ("`ret` is true
        (line 52)"), whether it was a failed check, and what it found NULL."""
        if branch is None:
            return "", False, None
        node, truth = branch
        because = f"`{_short(node.expr)}` is {'true' if truth else 'false'} (line {node.span.line})"
        # A loop that ends (`for_each_of_cpu_node(dn)` finding no more nodes)
        # failed no check, though its test reads like `!dn`.
        failing = (truth or node.loop_end < 0) and failed_check(
            node.expr, truth, self.apis, self.pointers | self.flags, self.integers
        )
        return because, failing, null_tested(node.expr, truth, self.apis)

    def _param_key(self, rid: int, world: World) -> tuple[int, str] | None:
        for key, (family, c, stored) in world.into.items():
            if family and world.heap.get((c, stored)) == rid:
                return key
        # One element of an array (`hw->block[i].bmap`): `into` keeps the
        # chain's last block only; the element's own place names the chain.
        for (c, chain), v in world.heap.items():
            if v == rid and _multi(chain):
                parent = self.rid_sites.get(c)
                if parent is not None and parent.param is not None:
                    return parent.param[0], parent.param[1] + chain.split("#", 1)[0]
        return None

    def _replaced(self, rid: int, world: World) -> bool:
        """Is rid the old block of a realloc whose result took its place?"""
        return rid in world.realloc.values()

    def is_error_exit(self, cls: str) -> bool | None:
        if self.fn.returns_void:
            return None
        if cls == "error":
            return True
        pointer_like = self.fn.returns_pointer or self.fn.returns_bool
        if cls == "nonzero":
            return not pointer_like
        if cls == "zero":
            return pointer_like
        return None


# Analysis.eval's handler for each expression class (constants: none, nothing to do).
_EVAL = {
    ir.Name: Analysis._eval_name,
    ir.Field: Analysis._eval_path,
    ir.Index: Analysis._eval_path,
    ir.Unary: Analysis._eval_unary,
    ir.Cast: Analysis._eval_cast,
    ir.Assign: Analysis._eval_assign,
    ir.Call: Analysis.call,  # (same signature: no trampoline frame per call)
    ir.Conditional: Analysis._eval_conditional,
    ir.Binary: Analysis._eval_binary,
    ir.Opaque: Analysis._eval_opaque,
}

# Analysis._refine's handler for each condition class (the others: a value).
_REFINE = {
    ir.Const: Analysis._refine_const,
    ir.Unary: Analysis._refine_unary,
    ir.Binary: Analysis._refine_binary,
    ir.Call: Analysis._refine_call,
    ir.Assign: Analysis._refine_assign,
    ir.Cast: Analysis._refine_cast,
}

# ------------------------------------------------------------------ helpers


_MACRO_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]+$")
# a member that holds a status code (`hdl->error`, `urb->status`)
_STATUS_MEMBER = re.compile(r"(^|_)(err|error|errno|status)$")


def core_drops(chain: str) -> bool:
    """A member of a device that no bus frees when a probe fails: the driver's
    own pointer in the core's object (`device->driver_data`, and what a drvdata
    setter stores: see `Analysis._drvdata_slot`). The driver core sets it to
    NULL after a failed probe (`really_probe()`); the object is opaque to the
    core, so whatever it held is lost. Asked for probes only (not `.open`
    and kin, whose frameworks may run a close)."""
    return chain.endswith(("->driver_data", ".driver_data"))


def _assignments(walked: list[tuple[ir.Node, list[ir.Expr]]]):
    """(target, value) of every `x = v` and initialised declaration, given each
    node with an expression and that expression walked."""
    for n, sub in walked:
        if n.kind is Kind.DECL and n.name:
            yield ir.Name(n.span, n.name, n.name), n.expr
        for e in sub:
            if isinstance(e, ir.Assign) and e.op == "=":
                yield e.target, e.value


def _whole_reads(expr: ir.Expr) -> Iterator[str]:
    """Variables `expr` reads as pointers, not through an element or a
    member: `buf` in `buf`, `buf + 1`, `f(buf)`, `&buf[2]`, `&buf->x`;
    not in `buf[2]` or `buf->len`."""
    match expr:
        case ir.Name(name=n):
            yield n
        case ir.Field(base=b) | ir.Index(base=b):
            while isinstance(b, ir.Field | ir.Index | ir.Cast):
                b = b.operand if isinstance(b, ir.Cast) else b.base
            if not isinstance(b, ir.Name):
                yield from _whole_reads(b)
            if isinstance(expr, ir.Index):
                yield from _whole_reads(expr.index)
        case ir.Unary(op="&", operand=o) | ir.Opaque(parts=o):
            # (`&buf[2]`; a compound literal or initializer list, `(struct
            # res){ .name = name }`, copies whatever it names)
            for part in o if isinstance(o, tuple) else (o,):
                for e in ir.walk(part):
                    if isinstance(e, ir.Name):
                        yield e.name
        case _:
            for child in ir.children(expr):
                yield from _whole_reads(child)


def _names(expr: ir.Expr, name: str) -> bool:
    """Does `expr` read the variable `name`?  (A function of its own: in a
    comprehension of its callers `name` would be a closure cell.)"""
    return any(isinstance(e, ir.Name) and e.name == name for e in ir.walk(expr))


def _status_value(v: ir.Expr) -> bool:
    while isinstance(v, ir.Cast):
        v = v.operand
    match v:
        case ir.Call() | ir.Unary(op="-"):
            return True
        case ir.Const(value=c) if c is not None and c < 0:
            return True
        case ir.Name(name=n) if _ERRNO.match(n):
            return True
        case ir.Conditional(then=a, other=b):
            return _status_value(a) or _status_value(b)
    return False


def _format_at(args: list[ir.Expr]) -> int | None:
    """The index of the first string literal among a call's arguments (a
    format, `"%u\n"`, `KERN_ERR "..."`): what follows it are values."""
    for i, a in enumerate(args):
        if type(a) is ir.Const and a.value is None and a.text.endswith('"'):
            return i
    return None


def _sign_key(name: str) -> str:
    """The vals key saying an int variable holds a negative value (an errno)
    (spelled out in `_forget_int`)."""
    return f"{name}<0"


def _forget_tests(world: World, target: str) -> None:
    """An assignment to the field `target` ends what tests of it (`if (x->buf)`)
    said. (Reassigning `x` itself keeps them, as tests of fields the function
    never assigns always did: cheaper, and usually the same object.)"""
    if world.vals and ("->" in target or "." in target or "[" in target):
        _forget_int(world, target)


def _forget_int(world: World, name: str) -> None:
    """Forget what `vals` says of the int variable (or field) `name`.

    Called at every assignment and most calls, and the keys are usually
    absent: a `key in vals` test (in C) spares the Python-level `_Map.pop`.
    """
    vals = world.vals
    if not vals:
        return
    # (name, _sign_key(name), _track_key(name), _ZEROED + name), spelled out
    for key in (name, name + "<0", name + _TRACK, _ZEROED + name):
        if key in vals:
            del vals[key]


# vals keys: `_ZEROED + p`: p holds a fresh zeroed block; `_WROTE + p->f`: this
# path wrote that field (or handed out its address) since.
_ZEROED, _WROTE = "~zeroed ", "~wrote "


def _element(value: ir.Binary) -> ir.Index:
    """`base[i]` for `base + i` (made once per expression: plans are per object)."""
    return ir.Index(value.span, value.text, value.left, value.right)


def _taken(effects: tuple[str | None, ...]) -> str | None:
    """What several callees agree an argument goes through: the same effect,
    or "escaped" if each takes it (frees, keeps, puts) its own way."""
    if len(set(effects)) == 1:
        return effects[0]
    if all(e in ("freed", "escaped", "lent", "dropped", "handed") for e in effects):
        return "escaped"
    return None


def _table_name(value: ir.Expr) -> str | None:
    """`&foo_ops` or `foo_ops`: the variable a pointer to a table names."""
    value = ir.uncast(value)
    if isinstance(value, ir.Unary) and value.op == "&":
        value = value.operand
    return value.name if isinstance(value, ir.Name) else None


# `{ .a = x }`, `(struct foo){ .a = x }`: an initialiser list or a compound literal
_INITIALISER = re.compile(r"\s*(\([^()]*\)\s*)?\{")


def _stores_null(statement: ir.Expr | None) -> bool:
    """`p->buf = NULL;`: a statement that clears what it stores into."""
    return isinstance(statement, ir.Assign) and ir.is_zero(statement.value)


def _decrements(test: ir.Expr | None) -> str | None:
    """`i-- > 0`, `--i >= 0`, `i--`: a loop test that steps its index down; the index."""
    if isinstance(test, ir.Binary) and test.op in _COMPARISONS:
        test = test.left
    if isinstance(test, ir.Unary) and test.op == "--" and isinstance(test.operand, ir.Name):
        return test.operand.name
    return None


def _link_calls(exprs: list[ir.Expr], local_names: set[str]) -> list[tuple[tuple, set[str]]]:
    """The calls given the addresses of two locals or more, by position, with
    the locals each is given (`f(&a, &b)` may link a and b)."""
    out = []
    for e in exprs:
        if not isinstance(e, ir.Call):
            continue
        given = {
            a.operand.name
            for a in map(ir.uncast, e.args)
            if isinstance(a, ir.Unary)
            and a.op == "&"
            and isinstance(a.operand, ir.Name)
            and a.operand.name in local_names
        }
        if len(given) >= 2:
            out.append(((e.span.line, e.span.col), given))
    return sorted(out, key=lambda c: c[0])


def _closure(start: Iterable[int], step: Callable[[int], Iterable[int]]) -> set[int]:
    """The nodes reachable from `start` (included) by `step` (successors or
    predecessors)."""
    frontier, out = list(start), set()
    while frontier:
        nid = frontier.pop()
        if nid not in out:
            out.add(nid)
            frontier.extend(step(nid))
    return out


def _released(rids, world: World) -> None:
    """The owned blocks among rids went to a callee with a destructor of ours."""
    for rid in rids:
        if world.status.get(rid) in OWNED:
            _lend(world, rid, RELEASED)


_CONTEXT = re.compile(r"(dev|pool|mm|cache|heap|allocator)$")


def _context_arg(arg: ir.Expr) -> bool:
    """`&pdev->dev`, `imem->mm`, `priv->pool`: what a free takes as its context
    (the first of several arguments), not what it frees."""
    arg = ir.uncast(arg)
    if isinstance(arg, ir.Unary) and arg.op == "&":
        arg = arg.operand
    name = arg.field if isinstance(arg, ir.Field) else arg.name if isinstance(arg, ir.Name) else ""
    return bool(_CONTEXT.search(name))


def _interior(value: ir.Expr) -> bool:
    """`&si->n`, `&buf[4]`: a pointer into a block, not the block."""
    value = ir.uncast(value)
    return (
        isinstance(value, ir.Unary)
        and value.op == "&"
        and (_member(value.operand) or isinstance(value.operand, ir.Index))
    )


def _field_name(segment: str) -> str:
    """`map` of the heap segment `->map` (or `.map`)."""
    return segment.lstrip("-.>")


def _in_callers(rid: int, world: World) -> bool:
    """Is block rid stored in the caller's structure (a parameter's memory)?"""
    return any(
        v == rid and world.status.get(c) in (PARAM, P_ESCAPED) for (c, _), v in world.heap.items()
    )


def _rebinds(target: str, text: str) -> bool:
    """Does assigning `target` change what `text` is (`entry` for
    `entry->buf`, `*res` for `*res`; not `reply.size` for `reply.data`)?"""
    target, text = target.removeprefix("*"), text.removeprefix("*")
    return text == target or text.startswith((target + "->", target + ".", target + "["))


def root_name(expr: ir.Expr) -> str | None:
    """`nd_pfn` of `&nd_pfn->dev`, `(void *)nd_pfn`, `nd_pfn->a.b[i]`."""
    while True:
        if isinstance(expr, ir.Cast | ir.Unary):
            expr = expr.operand
        elif isinstance(expr, ir.Field | ir.Index):
            expr = expr.base
        else:
            return expr.name if isinstance(expr, ir.Name) else None


def _read_into_local(node: ir.Node) -> Iterator[ir.Field]:
    """`x = (void *)p->data;`, `T *x = p->data;`: the field read into a local."""
    value = None
    if node.kind is Kind.DECL:
        value = node.expr
    elif node.expr is not None:
        e = ir.uncast(node.expr)
        if isinstance(e, ir.Assign) and e.op == "=" and isinstance(e.target, ir.Name):
            value = e.value
    value = ir.uncast(value) if value is not None else None
    if isinstance(value, ir.Field) and value.arrow:
        yield value


def _truth_tested(cond: ir.Expr) -> Iterator[ir.Field]:
    """The fields whose truth a condition tests: `nn->dp.netdev` in `if
    (!nn->dp.netdev && ..)`, not `nn->fw_ver.major` in `.. < 5`."""
    while isinstance(cond, ir.Cast) or isinstance(cond, ir.Unary) and cond.op == "!":
        cond = cond.operand
    if isinstance(cond, ir.Field):
        yield cond
    elif isinstance(cond, ir.Binary) and cond.op in ("&&", "||"):
        yield from _truth_tested(cond.left)
        yield from _truth_tested(cond.right)
    elif isinstance(cond, ir.Binary) and cond.op in ("==", "!="):
        if _is_zero(cond.right):
            yield from _truth_tested(cond.left)
        elif _is_zero(cond.left):
            yield from _truth_tested(cond.right)


def _spelled(text: str) -> str:
    """`nn -> dp . netdev` as `nn->dp.netdev`: one spelling per access path."""
    return "".join(text.split())


_OTHER = {"zero": "nonzero", "nonzero": "zero"}  # the other result class
# What a callee may do with a block on success that a failure leaves undone
_KEEPS = frozenset(("escaped", CALLEE_KEEPS, KEPT_BY_OURS, SINK_KEEPS, "lent"))
_TAKEN = _KEEPS | {"freed", "handed", "dropped"}
_ROOT = re.compile(r"\w+")  # the variable an access path starts from
# the block itself kept by an int or bool callee, or a sink, on one result
# only: the other result is a refused hand-over (not a pointer function's
# NULL, which mostly means "nothing to do")
_REFUSABLE = frozenset((CALLEE_KEEPS, SINK_KEEPS))
# + name: the local holds the result of a callee whose failures are errnos
# (a `return ret;` of it splits on it: see transfer)
_ERRNO_RESULT = "~errno result "  # + name: holds a callee's errno (see _mark_errno)
_TAKES_MARK = "taken"  # ... of a callee that takes a block on success (else: the node id)
_UNDONE = "~freed global "  # + name: this path freed what the global held
_NULL_TESTED = "~null-tested "  # + resource id: a caller's pointer tested non-NULL (or not)
_GOT = "~got "  # + name: this path took a reference to that name's object
# + local: a call was given this local after a failing helper left memory in it
_SHARED = "~shared "
_PRIVATE = "~private "  # + field: holds an object made with these blocks (`private_tables`)
_WITH = "~with "  # + block: the blocks given with it to a set-up callee (`_passed_together`)
# Callees that set one object up with another (`init_h2fwcmd_w_parm_no_rsp(cmd, parm, ..)`,
# `foo_fill_req(req, buf)`), not logging or copies
_SETS_UP = re.compile(r"init|fill|prepare|setup|set_up")


def _sets_up(name: str | None) -> bool:
    return name is not None and _SETS_UP.search(name) is not None


class _Callee(NamedTuple):
    """What a call to a callee we cannot see is, whatever the world (Analysis._callee_of)."""

    keeps: bool  # keeps what it is given (by name, given our callback, or through a pointer)
    constructs: bool  # returns a new object made from what it is given
    borrows: bool  # only uses what it is given
    destroys: bool  # given a destructor of this file
    takes_address: bool  # given a local's address (`&p`)
    callback: bool  # given a function of this file
    tabled: bool  # given an ops table of this file whose release frees (private_tables)
    sets_up: bool  # a set-up name (`*init*`, `*fill*`): may link one argument into another


_TRACK = "~test"
_IDENT = re.compile(r"(?<!\w)[A-Za-z_]\w*")  # (not the `x10` of `0x10`)


@lru_cache(maxsize=4096)
def _key_names(key: str) -> tuple[str, ...]:
    """The identifiers of a vals key (`?a->b >= c`, `ret<0`, `x~test`), first first."""
    return tuple(_IDENT.findall(key.removesuffix(_TRACK)))


_LOCAL_ROOT = re.compile(r"[^.\[#]*")  # `key` of the env key `key.address`


def _track_key(name: str) -> str:
    """vals key: the test (text, signed by the outcome that makes `name`
    non-zero) whose result the status variable `name` holds (spelled out
    in `_forget_int`)."""
    return name + _TRACK


_LENT_ORDER = (PASSED, ADRIFT, KEPT, LINKED, RELEASED)


def _lend(world: World, rid: int, how: str) -> None:
    """Record what a callee may do with rid; a stronger claim is never weakened
    (`device_unregister(&pad->dev)` releases pad even though it also keeps a member)."""
    old = world.lent.get(rid)
    if old is None or _LENT_ORDER.index(how) > _LENT_ORDER.index(old):
        world.lent[rid] = how


def _positive(expr: ir.Expr | None) -> bool:
    while isinstance(expr, ir.Cast):
        expr = expr.operand
    return isinstance(expr, ir.Const) and isinstance(expr.value, int) and expr.value > 0


def _mode_test(expr: ir.Expr | None) -> bool:
    """`type == T_UC`, `mode != MODE_X`: a variable against a constant (see _refine_equal)."""
    return (
        isinstance(expr, ir.Binary)
        and expr.op in ("==", "!=")
        and (_constant(expr.left) or _constant(expr.right))
    )


def _constant(expr: ir.Expr) -> bool:
    """A literal or an upper-case macro name: a value that does not change."""
    if isinstance(expr, ir.Const):
        return expr.value is not None and expr.value != 0
    return isinstance(expr, ir.Name) and bool(_MACRO_CONSTANT.match(expr.name))


def _pointer_cast(expr: ir.Expr) -> bool:
    """`(u8 *)L1_CACHE_ALIGN((unsigned long)buf)`: the value is a pointer."""
    return isinstance(expr, ir.Cast) and re.match(r"^\([^()]*\*\s*\)", expr.text) is not None


def _frees_first(summary: Summary, whole: bool) -> bool:
    """Does the callee free its first argument (with `whole`, the argument
    itself; without, it or something in it)?"""
    return any(
        e.index == 0 and not (whole and e.chain) and "freed" in (e.on_zero, e.on_nonzero)
        for e in summary.effects
    )


def _members_freed(summary: Summary) -> dict[int, frozenset[str]]:
    """Parameter -> the members the function frees of it (`->cmap.red`)."""
    return _member_chains(summary, lambda eff: "freed" in (eff.on_zero, eff.on_nonzero))


def _members_named(summary: Summary) -> dict[int, frozenset[str]]:
    """Parameter -> every member chain the function does something to, with
    `[].f` (an element of the pointed-to array) spelled `->f` and the
    elements a walk frees (`kfree(*p++)` over `s->names`: `->names*`) `[]`."""
    named = _member_chains(summary, lambda eff: bool(eff.on_zero or eff.on_nonzero))
    return {
        index: frozenset(
            ("->" + c[3:] if c.startswith("[].") else c).removesuffix("*")
            + ("[]" if c.endswith("*") else "")
            for c in chains
        )
        for index, chains in named.items()
    }


def _member_chains(summary: Summary, counts) -> dict[int, frozenset[str]]:
    members: dict[int, set[str]] = {}
    for eff in summary.effects:
        if eff.chain and counts(eff):
            members.setdefault(eff.index, set()).add(eff.chain)
    return {k: frozenset(v) for k, v in members.items()}


def _left_out(chain: str, members: frozenset[str] | None, empty_frees_all: bool) -> bool:
    """Is a member left out of the members a destructor names? A member it
    reaches into counts as named (`->pool` when it frees `->pool->buf`: it
    may free the member too, through code the summary does not list).
    None: not a destructor whose summary is trusted; it may free anything
    the structure holds. An empty list is that too with `empty_frees_all`
    (a destructor that lists no member frees at all, for a failing callee's
    leftovers); otherwise it names nothing: `->bo[]` (its elements put) does
    not name `->bo`, the array."""
    if members is None or (empty_frees_all and not members):
        return False
    chain = chain.split("#", 1)[0]
    return not any(m == chain or m.startswith((chain + "->", chain + ".")) for m in members)


def _after_member_frees(effect: Effect) -> bool:
    """Sort key: a callee's frees of members first, everything else after in
    its order (see apply_summary)."""
    return not (effect.chain and "freed" in (effect.on_zero, effect.on_nonzero))


def _member(expr: ir.Expr) -> bool:
    """Is expr a member reached through a pointer (`p->f`, `p->a.b`)?"""
    while isinstance(expr, ir.Field | ir.Index):
        if isinstance(expr, ir.Field) and expr.arrow:
            return True
        expr = expr.base
    return False


_is_zero = ir.is_zero


def _short(expr: ir.Expr | None, prefix: str = "") -> str:
    if expr is None:
        return prefix
    text = expr.text if len(expr.text) <= 60 else expr.text[:57] + "..."
    return f"{prefix} {text}".strip()


def _display(expr: ir.Expr) -> str:
    return expr.text if len(expr.text) <= 60 else expr.text[:57] + "..."


def _address(expr: ir.Expr) -> bool:
    """`&x->m` (through casts): an address, not a value."""
    while isinstance(expr, ir.Cast):
        expr = expr.operand
    return isinstance(expr, ir.Unary) and expr.op == "&"


def _chain_tokens(chain: str) -> list[str]:
    return re.findall(r"->\w+|\.\w+|\[\]|\*", chain)


def _rebuild(root: str, tokens: list[str], span: Span) -> ir.Expr:
    expr: ir.Expr = ir.Name(span, root, root)
    text = root
    for tok in tokens:
        if tok == "*":
            text = "*" + text
            expr = ir.Unary(span, text, "*", expr)
        elif tok == "[]":
            text += "[]"
            expr = ir.Index(span, text, expr, ir.Const(span, "", None))
        else:
            arrow = tok.startswith("->")
            name = tok[2:] if arrow else tok[1:]
            text += tok
            expr = ir.Field(span, text, expr, name, arrow)
    return expr
