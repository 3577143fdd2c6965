"""The frontend-independent program representation the engine works on.

A frontend turns one C file into a `Unit`: its functions, each with a
control-flow graph whose nodes carry small expression trees.  Only what
ownership analysis needs survives: names, field accesses, calls,
assignments, conditions, returns and jumps.  Anything else becomes an
`Opaque` expression whose sub-expressions are still evaluated, so a call
hidden in an unusual construct is not lost.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from enum import Enum


# Spans and expressions are values: never assign to one.  They are not
# `frozen` dataclasses only because a frozen one's __init__ sets each field
# through object.__setattr__, three times slower, and the frontend makes
# about a million of them per thousand driver files.  `unsafe_hash` gives
# them the same field-wise hash (and equality) frozen ones had.
@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A source range; lines and columns are 1-based."""

    line: int
    col: int
    end_line: int
    end_col: int


NO_SPAN = Span(0, 0, 0, 0)


# ---------------------------------------------------------------- expressions


@dataclass(slots=True, unsafe_hash=True)
class Expr:
    span: Span
    text: str  # the source text, whitespace-folded, for messages and fingerprints


@dataclass(slots=True, unsafe_hash=True)
class Name(Expr):
    name: str


@dataclass(slots=True, unsafe_hash=True)
class Field(Expr):
    base: Expr
    field: str
    arrow: bool  # p->f (True) or s.f (False)


@dataclass(slots=True, unsafe_hash=True)
class Index(Expr):
    base: Expr
    index: Expr


@dataclass(slots=True, unsafe_hash=True)
class Call(Expr):
    func: str | None  # None for calls through an expression
    args: tuple[Expr, ...]
    callee: Expr | None = None


@dataclass(slots=True, unsafe_hash=True)
class Assign(Expr):
    target: Expr
    value: Expr
    op: str  # "=", "+=", ...


@dataclass(slots=True, unsafe_hash=True)
class Unary(Expr):
    op: str  # "!", "&", "*", "-", "~", "+", "++", "--"
    operand: Expr


@dataclass(slots=True, unsafe_hash=True)
class Binary(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(slots=True, unsafe_hash=True)
class Conditional(Expr):
    test: Expr
    then: Expr
    other: Expr


@dataclass(slots=True, unsafe_hash=True)
class Cast(Expr):
    operand: Expr


@dataclass(slots=True, unsafe_hash=True)
class Const(Expr):
    value: int | None  # None: a string or a number we do not read


@dataclass(slots=True, unsafe_hash=True)
class Opaque(Expr):
    parts: tuple[Expr, ...]


def walk(expr: Expr):
    """Every sub-expression of expr, expr first (pre-order, children left to right).

    An explicit stack, not nested generators: a recursive `yield from`
    passes every item up through each level, which made walking the
    expression trees of a function a notable share of the analysis.
    """
    stack = [expr]
    while stack:
        e = stack.pop()
        yield e
        of = _CHILDREN.get(type(e))
        if of is not None:
            kids = of(e)
            if kids:
                stack.extend(reversed(kids))


def preorder(expr: Expr) -> list[Expr]:
    """`list(walk(expr))`, without a generator's resumption per item (for a
    caller that wants them all)."""
    out: list[Expr] = []
    stack = [expr]
    while stack:
        e = stack.pop()
        out.append(e)
        of = _CHILDREN.get(type(e))
        if of is not None:
            kids = of(e)
            if kids:
                stack.extend(reversed(kids))
    return out


def children(expr: Expr) -> tuple[Expr, ...]:
    match expr:
        case Field(base=b):
            return (b,)
        case Index(base=b, index=i):
            return (b, i)
        case Call(args=a, callee=c):
            return a if c is None else (c, *a)
        case Assign(target=t, value=v):
            return (t, v)
        case Unary(operand=o) | Cast(operand=o):
            return (o,)
        case Binary(left=left, right=right):
            return (left, right)
        case Conditional(test=t, then=a, other=b):
            return (t, a, b)
        case Opaque(parts=p):
            return p
    return ()


# children() by exact type, for walk(): a dict lookup instead of trying each
# pattern in turn (leaves, the commonest, fell through every case).  Same
# results as children() for these classes, which nothing subclasses.
_CHILDREN = {
    Field: lambda e: (e.base,),
    Index: lambda e: (e.base, e.index),
    Call: lambda e: e.args if e.callee is None else (e.callee, *e.args),
    Assign: lambda e: (e.target, e.value),
    Unary: lambda e: (e.operand,),
    Cast: lambda e: (e.operand,),
    Binary: lambda e: (e.left, e.right),
    Conditional: lambda e: (e.test, e.then, e.other),
    Opaque: lambda e: e.parts,
}


# ---------------------------------------------------------------- control flow


class Kind(Enum):
    ENTRY = "entry"
    EXPR = "expr"  # evaluate `expr`
    DECL = "decl"  # declare `name`, optionally initialised with `expr`
    BRANCH = "branch"  # succs[0] when `expr` is true, succs[1] when false
    SWITCH = "switch"  # evaluate `expr`, then any successor
    GOTO = "goto"  # jump to `name`; recorded so reports can name the jump
    LABEL = "label"
    RETURN = "return"  # `expr` may be None; the single successor is EXIT
    EXIT = "exit"


@dataclass(slots=True)
class Node:
    id: int
    kind: Kind
    span: Span = NO_SPAN
    expr: Expr | None = None
    name: str | None = None  # DECL variable, GOTO/LABEL label, loop BRANCH: its iterator macro
    succs: list[int] = field(default_factory=list)
    # DECL: is the declared variable a pointer, an array, a struct value?
    decl_pointer: bool = False
    decl_array: bool = False
    decl_bool: bool = False  # a `bool` flag: false is its failing value
    cleanup: str | None = None  # DECL: `__free(fn)` cleanup function
    implicit: bool = False  # RETURN: falling off the end of the function
    loop_end: int = -1  # BRANCH of a loop: its body is nodes id+1 .. loop_end
    case_value: Expr | None = None  # LABEL of a `case`: its value


@dataclass(slots=True)
class Param:
    name: str
    pointer: bool
    type_text: str
    depth: int = 0  # pointer levels of its declarator (`struct foo **p`: 2)


@dataclass(slots=True)
class Function:
    name: str
    span: Span
    params: list[Param]
    returns_pointer: bool
    returns_void: bool
    static: bool
    nodes: list[Node]
    entry: int
    exit: int
    calls: set[str] = field(default_factory=set)  # names of direct callees
    parse_errors: int = 0  # ERROR regions the frontend had to skip
    returns_bool: bool = False  # `bool` functions succeed with a non-zero result
    frontend: str = "treesitter"  # which frontend built this function ("treesitter", "clang")
    header: str | None = None  # set: a header's inline helper, summarised, never reported
    # the declared return type without its pointers (`struct video_device`), as
    # written, and how many there are (`struct video_device *`: 1)
    return_type: str = ""
    return_depth: int = 0

    def node(self, i: int) -> Node:
        return self.nodes[i]

    # Cheap questions the engine asks before it needs the CFG, so a frontend
    # may build CFGs lazily (most functions of a driver never touch memory).
    def call_hint(self) -> set[str]:
        """Names this function may call directly: a superset of `calls`."""
        return self.calls

    def never_fails(self) -> bool:
        """An int function whose every `return` is a literal 0
        (`reset_controller_register()`, `rvu_cpt_init()`): a caller's test
        of its result for failure cannot hold."""
        if self.returns_void or self.returns_pointer or self.returns_bool:
            return False
        returns = [n for n in self.nodes if n.kind is Kind.RETURN]
        if not returns:
            return False
        return not any(n.implicit or not is_zero(n.expr) for n in returns)

    def fails_only_if_null(self) -> int | None:
        """The pointer parameter whose NULL is the only way this int function
        fails: every `return` is a literal 0 except those reached only by the
        true edge of `if (!p)` / `if (p == NULL)` (`host1x_intr_add_action(..,
        waiter, ..)`). A caller passing a block it has checked cannot see it fail."""
        if self.returns_void or self.returns_pointer or self.returns_bool:
            return None
        preds = predecessors(self.nodes)
        guard: str | None = None
        for n in self.nodes:
            if n.kind is not Kind.RETURN or is_zero(n.expr) and not n.implicit:
                continue
            tested = self._null_guard(n.id, preds)
            if tested is None or guard not in (None, tested):
                return None
            guard = tested
        if guard is None or self._rebinds(guard):
            return None  # (`if (!w) return -EINVAL; w = kmalloc(..); if (!w) return -ENOMEM;`)
        for i, p in enumerate(self.params):
            if p.pointer and p.name == guard:
                return i
        return None

    def fails_unless_cased(self) -> tuple[int, frozenset[str]] | None:
        """(parameter, case labels) when this int function fails only through
        the `default:` of a `switch` on that integer parameter: every `return`
        but a literal 0 is unreachable once that edge is cut
        (`set_ep_max_packet_size_bint(.., USB_SPEED_FULL, ..)` returns
        -EINVAL only for a speed it has no case for). A caller passing one
        of the labels cannot see it fail."""
        if self.returns_void or self.returns_pointer or self.returns_bool:
            return None
        returns = (n for n in self.nodes if n.kind is Kind.RETURN)
        failing = {n.id for n in returns if n.implicit or not is_zero(n.expr)}
        if not failing:
            return None
        params = {p.name: i for i, p in enumerate(self.params) if not p.pointer}
        for sw in self.nodes:
            switched = uncast(sw.expr) if sw.kind is Kind.SWITCH and sw.expr is not None else None
            if not isinstance(switched, Name) or switched.name not in params:
                continue
            labels = [self.nodes[s].case_value for s in sw.succs]
            if self._rebinds(switched.name) or all(v is None for v in labels):
                continue
            cut = {(sw.id, s) for s, v in zip(sw.succs, labels, strict=True) if v is None}
            by_id = {n.id: n for n in self.nodes}
            if not reach(by_id, {self.entry}, cut=cut) & failing:
                return params[switched.name], frozenset(v.text for v in labels if v is not None)
        return None

    def _rebinds(self, name: str) -> bool:
        """Does the body assign `name`, step it or take its address?"""
        for n in self.nodes:
            for e in walk(n.expr) if n.expr is not None else ():
                if isinstance(e, Assign) and isinstance(e.target, Name) and e.target.name == name:
                    return True
                if (
                    isinstance(e, Unary)
                    and e.op in ("++", "--", "&")
                    and isinstance(e.operand, Name)
                    and e.operand.name == name
                ):
                    return True
        return False

    def _null_guard(self, at: int, preds: dict[int, list[int]]) -> str | None:
        """`x` if node `at` is reached only from the true edge of a NULL test of `x`."""
        while True:
            came = preds.get(at, [])
            if len(came) != 1:
                return None
            prev = self.nodes[came[0]]
            if prev.kind is Kind.BRANCH:
                return _null_tested(prev.expr) if prev.succs[0] == at else None
            if prev.kind not in (Kind.EXPR, Kind.LABEL):
                return None
            at = prev.id

    def keeps_hint(self) -> bool | None:
        """False if the function surely neither stores a pointer parameter nor has
        `__free()` locals; None when only the CFG can tell."""
        return None

    def may_name(self, names: Collection[str]) -> bool:
        """False if the body surely neither calls nor reads (as a `Name`) any of
        `names`: then `calls` and the CFG's names have none of them, and a
        caller that only wants those need not build the CFG to find out."""
        return True

    def keeps_known(self) -> bool | None:
        """Does the body have `__free()` locals or store a pointer parameter
        (`engine._keeps_memory`), if the frontend knows without the CFG; else None."""
        return None

    def mentions(self, word: str) -> bool:
        """Does the body's code name this identifier (`ACPI_ALLOCATE_BUFFER` in
        an initialiser)?  Exact, unlike may_name."""
        return word in self.names()

    def names(self) -> set[str]:
        """Every name the body reads as a value: each `Name` of the CFG's expressions,
        spelled as in the source (a shadowing local's own name unmade: `unshadow`).

        (A method, so a lazy frontend can answer it without building the CFG.)
        """
        # (walk's stack inline, without a generator: every expression of the
        # function is visited, for a few names)
        out: set[str] = set()
        stack = [node.expr for node in self.nodes if node.expr is not None]
        while stack:
            e = stack.pop()
            if isinstance(e, Name):
                out.add(e.name)
                continue
            of = _CHILDREN.get(type(e))
            if of is not None:
                stack.extend(of(e))
        return {unshadow(n) for n in out} if any(SHADOW in n for n in out) else out


@dataclass(frozen=True, slots=True)
class Initializer:
    """`static struct platform_driver foo = { .probe = foo_probe, ... }`."""

    variable: str
    struct_type: str
    fields: tuple[tuple[str, str], ...]  # designator path -> identifier value
    span: Span


@dataclass(slots=True)
class Unit:
    """One C file as the engine sees it."""

    path: str
    functions: list[Function]
    globals: set[str] = field(default_factory=set)
    initializers: list[Initializer] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the original source lines
    frontend: str = "treesitter"
    # #if branches the file was not read with, though they may be compiled
    alternatives: list[Alternative] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Alternative:
    """An #if branch a second reading of the file may take instead of the one
    read (preprocess.Alternative, by lines): its group, its index, the macro
    answer that selects it, its lines."""

    group: int  # byte offset of the group's `#if`
    index: int
    macro: tuple[str, bool] | None
    start: int  # byte offset of the branch's first line
    first_line: int
    last_line: int


# A local declared in an inner block under the name of an outer one is
# another variable: the frontend names it `name__shadowN` (word characters,
# so every pattern over names still reads it), and messages show `name`.
SHADOW = "__shadow"
_SHADOWED = re.compile(SHADOW + r"\d+\b")


def shadowed(name: str, n: int) -> str:
    return f"{name}{SHADOW}{n}"


def unshadow(text: str) -> str:
    """`buffer__shadow1->len` -> `buffer->len`: the name as the source spells it."""
    return _SHADOWED.sub("", text) if SHADOW in text else text


def predecessors(nodes: list[Node]) -> dict[int, list[int]]:
    """Node id -> the ids of the nodes with an edge to it."""
    preds: dict[int, list[int]] = {}
    for n in nodes:
        for s in n.succs:
            preds.setdefault(s, []).append(n.id)
    return preds


def reach(
    by_id: dict[int, Node],
    start: set[int],
    avoid: frozenset[int] = frozenset(),
    cut: set[tuple[int, int]] = frozenset(),
) -> set[int]:
    """Nodes reachable from `start` (successors on) without entering `avoid`
    or taking an edge of `cut`."""
    seen: set[int] = set()
    todo = [(n, s) for n in start if n in by_id for s in by_id[n].succs]
    while todo:
        came, n = todo.pop()
        if n in seen or n in avoid or n not in by_id or (came, n) in cut:
            continue
        seen.add(n)
        todo.extend((n, s) for s in by_id[n].succs)
    return seen


def call_exprs(fn: Function) -> Iterator[Call]:
    """Every call expression of the function's CFG."""
    for node in fn.nodes:
        if node.expr is not None:
            for e in walk(node.expr):
                if isinstance(e, Call):
                    yield e


def uncast(e: Expr) -> Expr:
    """`(void *)p` -> `p`: the value under any casts."""
    while isinstance(e, Cast):
        e = e.operand
    return e


def is_zero(e: Expr | None) -> bool:
    """A literal 0 (`0`, `NULL`, `(void *)0`)."""
    while isinstance(e, Cast):
        e = e.operand
    return isinstance(e, Const) and e.value == 0


def _null_tested(e: Expr | None) -> str | None:
    """`p` of `!p`, `p == NULL`, `NULL == p`."""
    if isinstance(e, Unary) and e.op == "!" and isinstance(e.operand, Name):
        return e.operand.name
    if isinstance(e, Binary) and e.op == "==":
        for a, b in ((e.left, e.right), (e.right, e.left)):
            if isinstance(a, Name) and is_zero(b):
                return a.name
    return None
