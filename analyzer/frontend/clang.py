"""The precise frontend: libclang with the real compiler flags and headers.

It builds the same IR as `treesitter.py`, so the engine and the rules run
unchanged.  Two choices keep the two frontends' findings comparable:

- Locations are file locations (`clang_getFileLocation`): a token spelled
  in a macro argument keeps its own line, a token from a macro body takes
  the place where the macro is used.  Expression texts are cut from the
  same rewritten source tree-sitter reads, so messages read alike.
- A function-like macro used as an expression or statement stays a call
  to the macro (`unlikely(x)`, `WARN_ON(x)`, `container_of(...)`, what
  `rules/apis.toml` names and what a user reads) unless its expansion is
  where the interesting code is: it calls a function the API table knows
  (an allocator behind a driver's macro) or jumps (`return`, `goto`).
  Then the expansion is analysed as the compiler sees it.

Functions the configuration does not compile (`#ifdef`-ed out), or whose
body clang could not type-check, are taken from tree-sitter instead; each
`ir.Function` says which frontend built it.
"""

from __future__ import annotations

import ctypes
import re
from collections import deque
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.frontend import treesitter
from analyzer.frontend.preprocess import prepare
from analyzer.ir import Kind, Span

try:  # the libclang wheel ships libclang.so; a broken install must not stop tree-sitter
    from clang import cindex as ci
except ImportError:  # pragma: no cover - depends on the installation
    ci = None

_WS = re.compile(r"\s+")
_IDENT = re.compile(rb"[A-Za-z_]\w*")
_MAX_TEXT = 160
_CONSTANT_NAMES = {"NULL": 0, "true": 1, "false": 0}
# Recover like older compilers from what kernel code never does but snippets do.
_LENIENT = [
    "-ferror-limit=0",
    "-w",
    "-Wno-error=implicit-function-declaration",
    "-Wno-error=int-conversion",
    "-Wno-error=incompatible-function-pointer-types",
]


NOT_COMPILED = "not compiled in this configuration"
HAS_ERRORS = "clang reported errors in it"


class ClangUnavailable(RuntimeError):
    """libclang cannot be loaded or cannot parse this file at all."""


# ---------------------------------------------------------------- libclang access

_lib = None
_index = None


def _library():
    """libclang with the few entry points the Python bindings do not declare."""
    global _lib
    if _lib is not None:
        return _lib
    if ci is None:
        raise ClangUnavailable("the libclang Python package is not installed")
    try:
        lib = ci.conf.lib
    except Exception as exc:  # LibclangError and friends
        raise ClangUnavailable(f"libclang cannot be loaded: {exc}") from exc
    loc_out = [
        ci.SourceLocation,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_uint),
        ctypes.POINTER(ctypes.c_uint),
        ctypes.POINTER(ctypes.c_uint),
    ]
    for name in ("clang_getFileLocation", "clang_getSpellingLocation"):
        fn = getattr(lib, name)
        fn.argtypes = loc_out
        fn.restype = None
    for name in ("clang_getCursorBinaryOperatorKind", "clang_getCursorUnaryOperatorKind"):
        fn = getattr(lib, name)
        fn.argtypes = [ci.Cursor]
        fn.restype = ctypes.c_int
    for name in ("clang_getBinaryOperatorKindSpelling", "clang_getUnaryOperatorKindSpelling"):
        fn = getattr(lib, name)
        fn.argtypes = [ctypes.c_int]
        fn.restype = ci._CXString
    _lib = lib
    return lib


def available() -> str | None:
    """None when libclang works here, else why not (for a one-line message)."""
    try:
        _library()
        _get_index()
    except ClangUnavailable as exc:
        return str(exc)
    return None


def _get_index():
    global _index
    if _index is None:
        _library()
        try:
            _index = ci.Index.create()
        except Exception as exc:
            raise ClangUnavailable(f"libclang cannot be loaded: {exc}") from exc
    return _index


_op_cache: dict[tuple[str, int], str] = {}


def _binary_op(cursor) -> str:
    lib = _library()
    kind = lib.clang_getCursorBinaryOperatorKind(cursor)
    key = ("b", kind)
    if key not in _op_cache:
        _op_cache[key] = ci._CXString.from_result(lib.clang_getBinaryOperatorKindSpelling(kind))
    return _op_cache[key]


def _unary_op(cursor) -> str:
    lib = _library()
    kind = lib.clang_getCursorUnaryOperatorKind(cursor)
    key = ("u", kind)
    if key not in _op_cache:
        _op_cache[key] = ci._CXString.from_result(lib.clang_getUnaryOperatorKindSpelling(kind))
    return _op_cache[key]


# ---------------------------------------------------------------- locations


@dataclass(frozen=True, slots=True)
class _Macro:
    name: str
    start: int
    end: int
    args: tuple[tuple[int, int], ...] | None  # None: an object-like use


class _Locator:
    """File locations and source text of cursors, relative to the main file."""

    def __init__(self, tu, path: str, source: bytes, prepared: bytes) -> None:
        self.lib = _library()
        self.tu = tu
        self.main = ci.conf.lib.clang_getFile(tu, path.encode())
        self.main_value = ctypes.cast(self.main, ctypes.c_void_p).value if self.main else None
        self.file = ci.File(self.main) if self.main else None
        self._macros: dict[int, tuple[str, int] | None] = {}
        self.source = source
        self.prepared = prepared
        self.line_starts = [0]
        for i, b in enumerate(source):
            if b == 0x0A:
                self.line_starts.append(i + 1)

    def _loc(self, fn, loc) -> tuple[int | None, int]:
        f = ctypes.c_void_p()
        line, col, off = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        fn(loc, ctypes.byref(f), ctypes.byref(line), ctypes.byref(col), ctypes.byref(off))
        return f.value, off.value

    def file_offset(self, loc) -> int | None:
        """Offset in the main file of loc's file location, None if elsewhere."""
        f, off = self._loc(self.lib.clang_getFileLocation, loc)
        return off if f is not None and f == self.main_value else None

    def range(self, cursor) -> tuple[int, int] | None:
        ext = cursor.extent
        s = self.file_offset(ext.start)
        e = self.file_offset(ext.end)
        if s is None or e is None or e < s:
            return None
        return s, e

    def span(self, s: int, e: int) -> Span:
        l0, c0 = self._line_col(s)
        l1, c1 = self._line_col(e)
        return Span(l0, c0, l1, c1)

    def _line_col(self, off: int) -> tuple[int, int]:
        lo, hi = 0, len(self.line_starts)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.line_starts[mid] <= off:
                lo = mid
            else:
                hi = mid
        return lo + 1, off - self.line_starts[lo] + 1

    def text(self, s: int, e: int, original: bool = False) -> str:
        """Whitespace-folded text; from the rewritten source tree-sitter reads, so texts match."""
        data = self.source if original else self.prepared
        raw = data[s : min(e, s + _MAX_TEXT * 4)].decode("utf-8", "replace")
        return _WS.sub(" ", raw).strip()[:_MAX_TEXT]

    def with_semicolon(self, e: int) -> int:
        """Extend a statement's end over its `;`, as tree-sitter's statement nodes do."""
        j = e
        n = len(self.prepared)
        while j < n and self.prepared[j] in b" \t\r\n":
            j += 1
        return j + 1 if j < n and self.prepared[j] == 0x3B else e

    def macro_use_at(self, s: int) -> tuple[str, int] | None:
        """(name, end offset) of the macro expanded at offset s of the main file, if any."""
        if s in self._macros:
            return self._macros[s]
        found = None
        if _IDENT.match(self.source, s) and (s == 0 or not _is_ident_byte(self.source[s - 1])):
            where = ci.SourceLocation.from_offset(self.tu, self.file, s)
            cur = ci.Cursor.from_location(self.tu, where)
            if cur is not None and cur.kind == ci.CursorKind.MACRO_INSTANTIATION:
                r = self.range(cur)
                if r is not None and r[0] == s:
                    found = (cur.spelling, r[1])
        self._macros[s] = found
        return found

    def macro_at(self, s: int, e: int) -> _Macro | None:
        """The macro use that spans exactly [s, e): `NAME` or `NAME(...)`."""
        use = self.macro_use_at(s)
        if use is None or use[1] != e:
            return None
        name = use[0]
        j = s + len(name)
        if j == e:
            return _Macro(name, s, e, None)
        while j < e and self.source[j] in b" \t\r\n\\":
            j += 1
        if j >= e or self.source[j] != 0x28 or self.source[e - 1] != 0x29:
            return None
        args = _split_args(self.source, j, e - 1)
        if args is None:
            return None
        return _Macro(name, s, e, args)


def _is_ident_byte(b: int) -> bool:
    return b == 0x5F or 0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A


def _split_args(src: bytes, open_at: int, close_at: int) -> tuple[tuple[int, int], ...] | None:
    """Ranges of the top-level comma-separated arguments between two parentheses."""
    depth = 0
    out: list[tuple[int, int]] = []
    start = open_at + 1
    i = start
    quote = 0
    while i < close_at:
        c = src[i]
        if quote:
            if c == 0x5C:
                i += 1
            elif c == quote:
                quote = 0
        elif c in (0x22, 0x27):
            quote = c
        elif c in (0x28, 0x5B, 0x7B):
            depth += 1
        elif c in (0x29, 0x5D, 0x7D):
            depth -= 1
            if depth < 0:
                return None
        elif c == 0x2C and depth == 0:
            out.append((start, i))
            start = i + 1
        i += 1
    if depth != 0:
        return None
    out.append((start, close_at))
    trimmed = []
    for a, b in out:
        while a < b and src[a] in b" \t\r\n\\":
            a += 1
        while b > a and src[b - 1] in b" \t\r\n\\":
            b -= 1
        trimmed.append((a, b))
    if trimmed == [(close_at, close_at)] or (len(trimmed) == 1 and trimmed[0][0] == trimmed[0][1]):
        return ()
    return tuple(trimmed)


# ---------------------------------------------------------------- expressions

_PASS_THROUGH = {"UNEXPOSED_EXPR", "PAREN_EXPR"}
_CONST_KINDS = {
    "STRING_LITERAL",
    "CHARACTER_LITERAL",
    "FLOATING_LITERAL",
    "CXX_UNARY_EXPR",
    "GNU_NULL_EXPR",
}
_FUNCTION_DECL = 8  # CXCursor_FunctionDecl
_JUMPS = {"RETURN_STMT", "GOTO_STMT", "INDIRECT_GOTO_STMT", "BREAK_STMT", "CONTINUE_STMT"}


@dataclass
class _Context:
    """What both builders share for one translation unit."""

    loc: _Locator
    known: frozenset[str]  # API names: macros of these names stay calls
    calls: set[str] = field(default_factory=set)
    collapse_cache: dict[tuple[int, int], bool] = field(default_factory=dict)
    callees: dict[str, object] = field(default_factory=dict)  # name -> referenced decl cursor
    # Macro uses that begin a statement (`list_for_each_entry(...) {`): the header of
    # the loop they expand to is that loop's, not a call to the macro.
    prefixes: set[tuple[int, int]] = field(default_factory=set)
    # (struct tag, member) -> the one function the file's initialisers put there
    tables: dict[tuple[str, str], str] = field(default_factory=dict)
    # offset of a local's name -> its name in the IR, for a local that shadows
    # one of an enclosing block (as the tree-sitter builder names it)
    renames: dict[int, str] = field(default_factory=dict)


def _depth(t) -> int:
    """Pointer levels of a libclang type (`struct foo **`: 2)."""
    depth = 0
    while t.kind.name == "POINTER":
        depth += 1
        t = t.get_pointee()
    return depth


def _children(c) -> list:
    return list(c.get_children())


def _strip(c):
    """Through implicit casts and parentheses."""
    while c.kind.name in _PASS_THROUGH:
        kids = _children(c)
        if len(kids) != 1:
            break
        c = kids[0]
    return c


class _ExprBuilder:
    """libclang expression cursors -> ir.Expr."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.loc = ctx.loc

    def where(self, c, fallback: tuple[int, int]) -> tuple[int, int]:
        r = self.loc.range(c)
        return r if r is not None else fallback

    def build(self, c, outer: tuple[int, int] = (0, 0)) -> ir.Expr:
        s, e = self.where(c, outer)
        span = self.loc.span(s, e)
        text = self.loc.text(s, e, original=(s, e) in self.ctx.prefixes)
        kind = c.kind.name
        macro = self.macro_use(c, s, e)
        if macro is not None:
            return self.macro_expr(c, macro, span, text)
        if kind in _PASS_THROUGH:
            kids = _children(c)
            if len(kids) == 1:
                return self.build(kids[0], (s, e))
            return ir.Opaque(span, text, tuple(self.build(k, (s, e)) for k in kids))
        if kind == "DECL_REF_EXPR":
            name = c.spelling
            if name in _CONSTANT_NAMES:
                return ir.Const(span, text, _CONSTANT_NAMES[name])
            if self.ctx.renames:
                name = self.ctx.renames.get(self.loc.file_offset(c.referenced.location), name)
            return ir.Name(span, name, name)
        if kind == "INTEGER_LITERAL":
            return ir.Const(span, text, _literal_value(c, text))
        if kind in _CONST_KINDS or kind in ("UNARY_EXPR",):  # sizeof / alignof
            return ir.Const(span, text, None)
        if kind == "MEMBER_REF_EXPR":
            return self.member(c, span, text, (s, e))
        if kind == "ARRAY_SUBSCRIPT_EXPR":
            kids = _children(c)
            if len(kids) == 2:
                return ir.Index(
                    span, text, self.build(kids[0], (s, e)), self.build(kids[1], (s, e))
                )
        if kind == "CALL_EXPR":
            return self.call(c, span, text, (s, e))
        if kind == "BINARY_OPERATOR" or kind == "COMPOUND_ASSIGNMENT_OPERATOR":
            kids = _children(c)
            if len(kids) == 2:
                op = _binary_op(c)
                left, right = self.build(kids[0], (s, e)), self.build(kids[1], (s, e))
                if op.endswith("=") and op not in ("==", "!=", "<=", ">="):
                    return ir.Assign(span, text, left, right, op)
                return ir.Binary(span, text, op, left, right)
        if kind == "UNARY_OPERATOR":
            kids = _children(c)
            if len(kids) == 1:
                op = _unary_op(c)
                operand = self.build(kids[0], (s, e))
                if op == "__extension__":
                    return operand
                return ir.Unary(span, text, op, operand)
        if kind == "CONDITIONAL_OPERATOR":
            kids = _children(c)
            if len(kids) == 3:
                t, a, b = (self.build(k, (s, e)) for k in kids)
                return ir.Conditional(span, text, t, a, b)
            if len(kids) == 2:  # GNU `a ?: b`
                t, b = (self.build(k, (s, e)) for k in kids)
                return ir.Conditional(span, text, t, t, b)
        if kind == "CSTYLE_CAST_EXPR":
            kids = [k for k in _children(c) if k.kind.is_expression()]
            if kids:
                return ir.Cast(span, text, self.build(kids[-1], (s, e)))
        if kind == "StmtExpr":
            return ir.Opaque(span, text, tuple(self.stmt_parts(c, (s, e))))
        return ir.Opaque(span, text, tuple(self.parts(c, (s, e))))

    def parts(self, c, outer) -> list[ir.Expr]:
        out: list[ir.Expr] = []
        for k in _children(c):
            if k.kind.is_expression():
                out.append(self.build(k, outer))
            elif k.kind.is_statement() or k.kind.is_declaration():
                out.extend(self.stmt_parts(k, outer))
        return out

    def stmt_parts(self, c, outer) -> list[ir.Expr]:
        """Expressions inside statements of a statement expression or initializer."""
        out: list[ir.Expr] = []
        for k in _children(c):
            if k.kind.is_expression():
                out.append(self.build(k, outer))
            elif k.kind.name == "VAR_DECL":
                # `T *lock = alloc();` inside `({ ... })`: the local is bound, as in a body.
                inits = [i for i in _children(k) if i.kind.is_expression()]
                if inits:
                    value = self.build(inits[-1], outer)
                    s, e = self.where(k, outer)
                    target = ir.Name(self.loc.span(s, e), k.spelling, k.spelling)
                    out.append(ir.Assign(value.span, value.text, target, value, "="))
            else:
                out.extend(self.stmt_parts(k, outer))
        return out

    def member(self, c, span: Span, text: str, outer) -> ir.Expr:
        kids = [k for k in _children(c) if k.kind.is_expression()]
        if not kids:
            return ir.Name(span, c.spelling, c.spelling)
        base_c = kids[0]
        arrow = _is_pointer(base_c.type)
        inner = _strip(base_c)
        if inner.kind.name == "MEMBER_REF_EXPR" and not inner.spelling:
            # A member of an anonymous struct/union: `p->x` reaches x through it.
            inner_kids = [k for k in _children(inner) if k.kind.is_expression()]
            if inner_kids:
                arrow = _is_pointer(inner_kids[0].type)
                base_c = inner_kids[0]
        base = self.build(base_c, outer)
        if not c.spelling:
            return base
        return ir.Field(span, text, base, c.spelling, arrow)

    def call(self, c, span: Span, text: str, outer) -> ir.Expr:
        kids = _children(c)
        if not kids:
            return ir.Call(span, text, c.spelling or None, ())
        callee_c, arg_cs = kids[0], kids[1:]
        args = tuple(self.build(a, outer) for a in arg_cs)
        target = callee_c
        while target.kind.name == "UNEXPOSED_EXPR":
            inner = _children(target)
            if len(inner) != 1:
                break
            target = inner[0]
        if target.kind.name == "DECL_REF_EXPR":
            name = target.spelling
            self.ctx.calls.add(name)
            if name not in self.ctx.callees and name not in self.ctx.known:
                self.ctx.callees[name] = target.referenced
            return ir.Call(span, text, name, args)
        resolved = self.through_table(target)
        if resolved is not None:
            self.ctx.calls.add(resolved)
            return ir.Call(span, text, resolved, args)
        return ir.Call(span, text, None, args, self.build(callee_c, outer))

    def through_table(self, target) -> str | None:
        """`ops->release(x)` where the file fills `struct foo_ops` with one function: that one."""
        if not self.ctx.tables or target.kind.name != "MEMBER_REF_EXPR":
            return None
        member = target.referenced
        if member is None or member.kind != ci.CursorKind.FIELD_DECL:
            return None
        parent = member.semantic_parent
        if parent is None or not parent.spelling:
            return None
        return self.ctx.tables.get((parent.spelling, member.spelling))

    # -- macros

    def macro_use(self, c, s: int, e: int) -> _Macro | None:
        """The macro whose use this cursor is, when it is to be read as that macro."""
        if s >= e or (s, e) in self.ctx.prefixes:
            return None
        m = self.loc.macro_at(s, e)
        if m is None:
            return None
        if m.args is None:
            return m if not _contains(c, _calls_or_jumps_known(self.ctx.known)) else None
        key = (s, e)
        hit = self.ctx.collapse_cache.get(key)
        if hit is None:
            hit = m.name in self.ctx.known or not _contains(
                c, _expansion_matters(self.ctx.known, self.loc, m.args)
            )
            self.ctx.collapse_cache[key] = hit
        return m if hit else None

    def macro_expr(self, c, m: _Macro, span: Span, text: str) -> ir.Expr:
        if m.args is None:
            if m.name in _CONSTANT_NAMES:
                return ir.Const(span, text, _CONSTANT_NAMES[m.name])
            return ir.Name(span, m.name, m.name)
        self.ctx.calls.add(m.name)
        found = _find_ranges(c, self.loc, set(m.args))
        args = tuple(self.macro_arg(found.get((a, b)), a, b) for a, b in m.args)
        return ir.Call(span, text, m.name, args)

    def macro_arg(self, found, a: int, b: int) -> ir.Expr:
        if found is not None:
            return self.build(found, (a, b))
        span, text = self.loc.span(a, b), self.loc.text(a, b)
        raw = self.loc.source[a:b]
        if _IDENT.fullmatch(raw):
            if text in _CONSTANT_NAMES:
                return ir.Const(span, text, _CONSTANT_NAMES[text])
            return ir.Name(span, text, text)
        return ir.Const(span, text, treesitter._int_value(text))


def _is_pointer(t) -> bool:
    try:
        return t.get_canonical().kind.name in ("POINTER", "INCOMPLETEARRAY", "CONSTANTARRAY")
    except Exception:
        return False


def _literal_value(c, text: str) -> int | None:
    v = treesitter._int_value(text)
    return v if v is not None else _evaluate_int(c)  # a literal a macro body wrote


def _calls_or_jumps_known(known: frozenset[str]):
    def test(k) -> bool:
        name = k.kind.name
        if name in _JUMPS:
            return True
        if name == "CALL_EXPR":
            return k.spelling in known
        return False

    return test


def _expansion_matters(known: frozenset[str], loc: _Locator, args):
    """Calls a known API, jumps, or stores through one of its arguments (`WRITE_ONCE(x, v)`)."""
    calls_or_jumps = _calls_or_jumps_known(known)

    def test(k) -> bool:
        if calls_or_jumps(k):
            return True
        name = k.kind.name
        if name == "COMPOUND_ASSIGNMENT_OPERATOR" or (
            name == "BINARY_OPERATOR" and _binary_op(k) == "="
        ):
            kids = _children(k)
            return bool(kids) and _contains(kids[0], in_argument)
        return False

    def in_argument(k) -> bool:
        r = loc.range(k)
        return r is not None and r[0] < r[1] and any(a <= r[0] and r[1] <= b for a, b in args)

    return test


def _calls_known(known: frozenset[str]):
    return lambda k: k.kind.name == "CALL_EXPR" and k.spelling in known


def _contains(c, test) -> bool:
    stack = [c]
    while stack:
        k = stack.pop()
        if test(k):
            return True
        stack.extend(k.get_children())
    return False


def _find_ranges(c, loc: _Locator, wanted: set[tuple[int, int]]) -> dict:
    """For each [a, b) wanted, the outermost descendant of c whose file range it is."""
    starts = {a for a, _ in wanted}
    found: dict[tuple[int, int], object] = {}
    queue = deque(c.get_children())
    while queue and len(found) < len(wanted):
        k = queue.popleft()
        if k.kind.is_expression():
            ext = k.extent
            a = loc.file_offset(ext.start)
            if a in starts:
                r = (a, loc.file_offset(ext.end))
                if r in wanted and r not in found:
                    found[r] = k
                    continue
        queue.extend(k.get_children())
    return found


# ---------------------------------------------------------------- statements


class _CFGBuilder(treesitter._CFGBuilder):
    """Statements -> nodes and edges; the graph shapes match the tree-sitter builder's."""

    def __init__(self, ctx: _Context, cleanups: dict[tuple[int, str], str]) -> None:
        self.ctx = ctx
        self.loc = ctx.loc
        self.cx = _ExprBuilder(ctx)
        super().__init__(None, cleanups)
        self.switch_stack: list = []

    def rng(self, c) -> tuple[int, int]:
        r = self.loc.range(c)
        return r if r is not None else (0, 0)

    def sspan(self, c, semicolon: bool = False) -> Span:
        s, e = self.rng(c)
        if semicolon:
            e = self.loc.with_semicolon(e)
        return self.loc.span(s, e)

    def expr(self, c) -> ir.Expr:
        return self.cx.build(c, self.rng(c))

    def cond(self, c) -> ir.Expr | None:
        return None if c is None else self.expr(c)

    def cond_span(self, c) -> Span:
        """The condition with its parentheses, as tree-sitter spans it."""
        s, e = self.rng(c)
        src = self.loc.prepared
        i = s - 1
        while i > 0 and src[i] in b" \t\r\n":
            i -= 1
        j = e
        while j < len(src) and src[j] in b" \t\r\n":
            j += 1
        if i >= 0 and src[i] == 0x28 and j < len(src) and src[j] == 0x29:
            return self.loc.span(i, j + 1)
        return self.loc.span(s, e)

    def body_span(self, body) -> Span:
        return self.sspan(body)

    def collapsed_macro(self, c) -> ir.Expr | None:
        """A statement that is exactly one macro use read as a call (`BUG_ON(x);`)."""
        s, e = self.rng(c)
        m = self.cx.macro_use(c, s, e)
        if m is None or m.args is None:
            return None
        return self.cx.macro_expr(c, m, self.loc.span(s, e), self.loc.text(s, e))

    def stmt(self, c, dangling):  # noqa: C901 - one case per statement kind
        kind = c.kind.name
        if kind == "COMPOUND_STMT":
            for k in _children(c):
                dangling = self.stmt(k, dangling)
            return dangling
        if c.kind.is_expression():
            n = self.add(Kind.EXPR, self.sspan(c, True), expr=self.expr(c))
            return self.chain(dangling, n)
        if kind == "DECL_STMT":
            return self.declaration(c, dangling)
        if kind not in ("LABEL_STMT", "CASE_STMT", "DEFAULT_STMT", "NULL_STMT"):
            collapsed = self.collapsed_macro(c)
            if collapsed is not None:
                n = self.add(Kind.EXPR, self.sspan(c, True), expr=collapsed)
                return self.chain(dangling, n)
        kids = _children(c)
        if kind in ("IF_STMT", "WHILE_STMT", "FOR_STMT", "SWITCH_STMT"):
            s, e = self.rng(c)
            use = self.loc.macro_use_at(s)
            if use is not None and use[1] < e:
                self.ctx.prefixes.add((s, use[1]))
        if kind == "IF_STMT":
            cond_c = kids[0]
            b = self.add(Kind.BRANCH, self.cond_span(cond_c), 2)
            b.expr = self.cond(cond_c)
            self.link(dangling, b.id)
            out = self.stmt(kids[1], [(b.id, 0)]) if len(kids) > 1 else [(b.id, 0)]
            if len(kids) > 2:
                return out + self.stmt(kids[2], [(b.id, 1)])
            return out + [(b.id, 1)]
        if kind == "WHILE_STMT":
            head = self.add(Kind.BRANCH, self.cond_span(kids[0]), 2)
            head.expr = self.cond(kids[0])
            self.link(dangling, head.id)
            breaks = self.loop_body(kids[1] if len(kids) > 1 else None, head.id, [(head.id, 0)])
            head.loop_end = len(self.nodes) - 1
            return breaks + [(head.id, 1)]
        if kind == "FOR_STMT":
            return self.for_stmt(c, kids, dangling)
        if kind == "DO_STMT":
            body, cnode = kids[0], kids[1] if len(kids) > 1 else None
            if cnode is not None and _is_zero(cnode):
                # `do { ... } while (0)`: a block that `break` leaves.
                self.breaks.append([])
                self.continues.append(-1)
                out = self.stmt(body, dangling)
                self.continues.pop()
                return out + self.breaks.pop()
            top = self.add(Kind.LABEL, self.sspan(c))
            self.link(dangling, top.id)
            test = self.add(Kind.BRANCH, self.cond_span(cnode) if cnode else self.sspan(c), 2)
            test.expr = self.cond(cnode)
            test.succs[0] = top.id
            breaks = self.loop_body(body, test.id, [(top.id, 0)])
            test.loop_end = len(self.nodes) - 1
            return [(test.id, 1)] + breaks
        if kind == "SWITCH_STMT":
            return self.switch(c, kids, dangling)
        if kind in ("CASE_STMT", "DEFAULT_STMT"):
            return self.case(c, kids, dangling)
        if kind == "RETURN_STMT":
            value = [k for k in kids if k.kind.is_expression()]
            r = self.add(
                Kind.RETURN, self.sspan(c, True), expr=self.expr(value[0]) if value else None
            )
            self.link(dangling, r.id)
            r.succs[0] = self.exit
            return []
        if kind == "GOTO_STMT":
            label = next((k.spelling for k in kids if k.kind.name == "LABEL_REF"), None)
            g = self.add(Kind.GOTO, self.sspan(c, True), name=label)
            self.link(dangling, g.id)
            self.gotos.append(g)
            return []
        if kind == "INDIRECT_GOTO_STMT":
            return []
        if kind == "LABEL_STMT":
            name = c.spelling
            s, _ = self.rng(c)
            lab = self.add(Kind.LABEL, self.loc.span(s, s + len(name)), name=name)
            self.labels[name] = lab.id
            dangling = self.chain(dangling, lab)
            for k in kids:
                dangling = self.stmt(k, dangling)
            return dangling
        if kind == "BREAK_STMT":
            if self.breaks:
                self.breaks[-1].extend(dangling)
            return []
        if kind == "CONTINUE_STMT":
            if self.continues:
                target = self.continues[-1]
                if target == -1:  # `continue` in do-while(0) goes to the test: leaves it
                    self.breaks[-1].extend(dangling)
                else:
                    self.link(dangling, target)
            return []
        if kind in ("ATTRIBUTED_STMT", "UNEXPOSED_STMT"):
            for k in kids:
                if k.kind.is_statement() or k.kind.is_expression():
                    dangling = self.stmt(k, dangling)
            return dangling
        return dangling  # null statements, asm, declarations of types

    def for_stmt(self, c, kids, dangling):
        init, cnode, update, body = _for_parts(c, kids, self.loc)
        if init is not None:
            if init.kind.name == "DECL_STMT":
                dangling = self.declaration(init, dangling)
            else:
                dangling = self.chain(
                    dangling, self.add(Kind.EXPR, self.sspan(init), expr=self.expr(init))
                )
        if cnode is not None:
            head = self.add(Kind.BRANCH, self.sspan(cnode), 2)
            head.expr = self.expr(cnode)
            body_in, exits = [(head.id, 0)], [(head.id, 1)]
        else:
            head = self.add(Kind.LABEL, self.sspan(c))
            body_in, exits = [(head.id, 0)], []
        self.link(dangling, head.id)
        if update is not None:
            upd = self.add(Kind.EXPR, self.sspan(update), expr=self.expr(update))
            upd.succs[0] = head.id
            cont = upd.id
        else:
            cont = head.id
        breaks = self.loop_body(body, cont, body_in)
        head.loop_end = len(self.nodes) - 1
        return breaks + exits

    def switch(self, c, kids, dangling):
        cnode = kids[0] if kids else None
        sw = self.add(Kind.SWITCH, self.cond_span(cnode) if cnode else self.sspan(c), nsuccs=0)
        sw.expr = self.cond(cnode)
        self.link(dangling, sw.id)
        self.breaks.append([])
        self.switch_stack.append((sw, [False]))
        out: list[tuple[int, int]] = []
        if len(kids) > 1:
            body = kids[-1]
            out = self.stmt(body, out)
        _, has_default = self.switch_stack.pop()
        breaks = self.breaks.pop()
        if not has_default[0]:
            sw.succs.append(-1)
            breaks.append((sw.id, len(sw.succs) - 1))
        return out + breaks

    def case(self, c, kids, dangling):
        s, _ = self.rng(c)
        lab = self.add(Kind.LABEL, self.sspan(c), name="case")
        if c.kind.name == "CASE_STMT" and kids and kids[0].kind.is_expression():
            at = self.rng(kids[0])
            if re.fullmatch(r"\w+", self.loc.text(*at)):  # a constant, as the tree-sitter builder's
                lab.case_value = self.expr(kids[0])
        self.link(dangling, lab.id)
        if self.switch_stack:
            sw, has_default = self.switch_stack[-1]
            sw.succs.append(lab.id)
            if c.kind.name == "DEFAULT_STMT":
                has_default[0] = True
        out = [(lab.id, 0)]
        if kids:
            out = self.stmt(kids[-1], out)
        return out

    def declaration(self, c, dangling):
        for var in _children(c):
            if var.kind.name != "VAR_DECL":
                continue
            name = var.spelling
            if self.ctx.renames:
                name = self.ctx.renames.get(self.loc.file_offset(var.location), name)
            inits = [k for k in _children(var) if k.kind.is_expression()]
            value = self.expr(inits[-1]) if inits else None
            storage = var.storage_class.name
            if storage in ("STATIC", "EXTERN"):
                if value is not None:
                    n = self.add(Kind.EXPR, self.sspan(var), expr=value)
                    dangling = self.chain(dangling, n)
                continue
            tkind = var.type.kind.name
            pointer = tkind in ("POINTER", "BLOCKPOINTER")
            array = tkind in ("CONSTANTARRAY", "INCOMPLETEARRAY", "VARIABLEARRAY")
            s, e = self.rng(var)
            name_at = self.loc.file_offset(var.location)
            if name_at is not None and name_at >= s:
                s = _declarator_start(self.loc.prepared, name_at, s)
            span = self.loc.span(s, e)
            n = self.add(
                Kind.DECL,
                span,
                expr=value,
                name=name,
                decl_pointer=pointer,
                decl_array=array,
                decl_bool=var.type.get_canonical().kind.name == "BOOL",
                cleanup=self.cleanups.get((span.line, name)),
            )
            dangling = self.chain(dangling, n)
        return dangling


def _declarator_start(src: bytes, name_at: int, floor: int) -> int:
    """Back from a declared name over `*` and qualifiers: where tree-sitter's declarator starts."""
    i = name_at
    while i > floor:
        j = i - 1
        while j > floor and src[j] in b" \t\r\n":
            j -= 1
        if src[j] in b"*(":
            i = j
            continue
        m = None
        for word in (b"const", b"volatile", b"restrict"):
            if src[j - len(word) + 1 : j + 1] == word and src[j - len(word)] in b" \t*(":
                m = word
        if m is not None and src[j - len(m) : j - len(m) + 1] == b"*":
            i = j - len(m) + 1
            continue
        break
    return i


def _is_zero(c) -> bool:
    """Is c the literal 0 (`while (0)`), also when a macro body wrote it?"""
    c = _strip(c)
    if c.kind.name != "INTEGER_LITERAL":
        return False
    return _evaluate_int(c) == 0


def _evaluate_int(c) -> int | None:
    lib = _library()
    if not getattr(lib, "_devmlint_eval", False):
        lib.clang_Cursor_Evaluate.argtypes = [ci.Cursor]
        lib.clang_Cursor_Evaluate.restype = ctypes.c_void_p
        lib.clang_EvalResult_getKind.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_getKind.restype = ctypes.c_int
        lib.clang_EvalResult_getAsLongLong.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_getAsLongLong.restype = ctypes.c_longlong
        lib.clang_EvalResult_dispose.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_dispose.restype = None
        lib._devmlint_eval = True
    result = lib.clang_Cursor_Evaluate(c)
    if not result:
        return None
    try:
        if lib.clang_EvalResult_getKind(result) != 1:  # CXEval_Int
            return None
        return int(lib.clang_EvalResult_getAsLongLong(result))
    finally:
        lib.clang_EvalResult_dispose(result)


def _for_parts(c, kids, loc: _Locator):
    """(init, condition, update, body) of a for statement; libclang omits the empty ones."""
    body = kids[-1] if kids else None
    heads = kids[:-1]
    if len(heads) == 3:
        return heads[0], heads[1], heads[2], body
    if not heads:
        return None, None, None, body
    # Which clauses are present: find the two `;` of the header in the source.
    s, _ = loc.range(c) or (0, 0)
    semis = _header_semicolons(loc.prepared, s)
    if semis is not None:
        slots: list = [None, None, None]
        for h in heads:
            r = loc.range(h)
            at = r[0] if r else 0
            slot = 0 if at < semis[0] else 1 if at < semis[1] else 2
            slots[slot] = h
        return slots[0], slots[1], slots[2], body
    # Inside a macro: an assignment or declaration first is the init, a ++/+= last the update.
    first = heads[0]
    if len(heads) == 2:
        if first.kind.name == "DECL_STMT" or _is_assignment(first):
            if _is_update(heads[1]):
                return first, None, heads[1], body
            return first, heads[1], None, body
        return None, first, heads[1], body
    if first.kind.name == "DECL_STMT" or (_is_assignment(first) and not _is_update(first)):
        return first, None, None, body
    if _is_update(first):
        return None, None, first, body
    return None, first, None, body


def _is_assignment(c) -> bool:
    c = _strip(c)
    kind = c.kind.name
    if kind == "BINARY_OPERATOR":
        op = _binary_op(c)
        return op in ("=", ",")
    return kind == "COMPOUND_ASSIGNMENT_OPERATOR"


def _is_update(c) -> bool:
    c = _strip(c)
    kind = c.kind.name
    if kind == "UNARY_OPERATOR":
        return _unary_op(c) in ("++", "--")
    return kind == "COMPOUND_ASSIGNMENT_OPERATOR"


def _header_semicolons(src: bytes, s: int) -> tuple[int, int] | None:
    """Offsets of the two `;` in the parenthesised header of the `for` at s."""
    i = src.find(b"(", s)
    if i < 0 or src[s : s + 3] != b"for":
        return None
    depth = 0
    semis: list[int] = []
    j = i
    while j < len(src):
        ch = src[j]
        if ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                break
        elif ch == 0x3B and depth == 1:
            semis.append(j)
        j += 1
    return (semis[0], semis[1]) if len(semis) == 2 else None


# ---------------------------------------------------------------- functions


def _shadowing(body, params: set[str], loc: _Locator) -> dict[int, str]:
    """Locals declared under the name of a local or parameter of an enclosing
    block, by the offset of their name: the tree-sitter builder's `declare`."""
    renames: dict[int, str] = {}

    def walk(c, scopes: list[set[str]]) -> None:
        for k in _children(c):
            kind = k.kind.name
            if kind in ("COMPOUND_STMT", "FOR_STMT"):
                walk(k, scopes + [set()])
            elif kind == "VAR_DECL" and k.storage_class.name not in ("STATIC", "EXTERN"):
                name = k.spelling
                if any(name in outer for outer in scopes[:-1]):
                    at = loc.file_offset(k.location)
                    if at is not None:
                        renames[at] = ir.shadowed(name, len(renames) + 1)
                scopes[-1].add(name)
                walk(k, scopes)
            elif not kind.endswith("_DECL") or kind == "DECL_STMT":
                walk(k, scopes)

    walk(body, [set(params), set()])
    return renames


def _function(ctx: _Context, c, cleanups, errors_at: list[int]) -> ir.Function | None:
    loc = ctx.loc
    body = next((k for k in _children(c) if k.kind.name == "COMPOUND_STMT"), None)
    r = loc.range(c)
    if body is None or r is None:
        return None
    br = loc.range(body)
    if br is None:
        return None
    params = []
    for p in c.get_arguments():
        if not p.spelling:
            continue
        tkind = p.type.kind.name
        pointer = tkind in ("POINTER", "BLOCKPOINTER", "INCOMPLETEARRAY", "CONSTANTARRAY")
        params.append(ir.Param(p.spelling, pointer, p.type.spelling, _depth(p.type)))
    rtype = c.result_type
    returns_pointer = rtype.kind.name in ("POINTER", "BLOCKPOINTER")
    ctx.calls = set()
    ctx.renames = _shadowing(body, {p.name for p in params}, loc)
    cfg = _CFGBuilder(ctx, cleanups)
    end = loc.span(br[1] - 1, br[1])
    entry, exit_ = cfg.function(body, end)
    return ir.Function(
        name=c.spelling,
        span=loc.span(*r),
        params=params,
        returns_pointer=returns_pointer,
        returns_void=rtype.kind.name == "VOID",
        static=c.storage_class.name == "STATIC",
        nodes=cfg.nodes,
        entry=entry,
        exit=exit_,
        calls=set(ctx.calls),
        parse_errors=sum(1 for off in errors_at if br[0] <= off < br[1]),
        returns_bool=rtype.spelling in ("bool", "_Bool"),
        return_type=(rtype.get_pointee() if returns_pointer else rtype).spelling,
        return_depth=_depth(rtype),
        frontend="clang",
    )


@dataclass
class Outcome:
    """A unit and why some of it (or all of it) came from tree-sitter."""

    unit: ir.Unit
    fallback: dict[str, str] = field(default_factory=dict)  # function -> reason


def parse(
    path: str, source: bytes, args: list[str], known: frozenset[str] = frozenset()
) -> Outcome:
    """Parse one file with libclang; functions clang did not compile come from tree-sitter.

    Raises ClangUnavailable when libclang is missing or the file cannot be
    parsed at all; the caller then uses tree-sitter for the whole file.
    """
    index = _get_index()
    opts = ci.TranslationUnit.PARSE_INCOMPLETE | ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
    try:
        # The text checked may not be the file on disk (the CI gate checks patched versions).
        tu = index.parse(
            path, args=list(args) + _LENIENT, unsaved_files=[(path, source)], options=opts
        )
    except ci.TranslationUnitLoadError as exc:
        raise ClangUnavailable(f"libclang could not parse the file: {exc}") from exc
    # (every branch's text: clang's preprocessor chose the branches it reads)
    prepared = prepare(source, every_branch=True)
    loc = _Locator(tu, path, source, prepared.text)
    if loc.main_value is None:
        raise ClangUnavailable("libclang did not read the file")
    fatal = [
        d
        for d in tu.diagnostics
        if d.severity >= ci.Diagnostic.Fatal and d.location.file is not None
    ]
    if fatal:
        raise ClangUnavailable(f"clang: {fatal[0].spelling}")
    errors_at = []
    for d in tu.diagnostics:
        if d.severity >= ci.Diagnostic.Error:
            off = loc.file_offset(d.location)
            if off is not None:
                errors_at.append(off)
    ts_unit = treesitter.parse(path, source)
    ctx = _Context(loc, known, tables=_tables(ts_unit))
    unit = ir.Unit(path=path, functions=[], frontend="clang")
    unit.lines = ts_unit.lines
    unit.initializers = ts_unit.initializers
    unit.globals = set(ts_unit.globals)
    outcome = Outcome(unit)
    built: dict[str, ir.Function] = {}
    broken: set[str] = set()
    for c in _definitions(loc, ts_unit):
        fn = _function(ctx, c, prepared.cleanups, errors_at)
        if fn is None:
            continue
        if fn.parse_errors:
            broken.add(fn.name)
        else:
            built[fn.name] = fn
    # Keep the file's order: tree-sitter's functions, replaced by clang's where it compiled them.
    seen: set[str] = set()
    for fn in ts_unit.functions:
        if fn.name in built:
            if fn.name not in seen:
                unit.functions.append(built[fn.name])
                seen.add(fn.name)
            continue
        unit.functions.append(fn)
        outcome.fallback[fn.name] = HAS_ERRORS if fn.name in broken else NOT_COMPILED
    defined = {fn.name for fn in unit.functions}
    unit.functions.extend(_header_helpers(tu, ctx, defined))
    return outcome


_MAX_HELPERS = 40


def _tables(unit: ir.Unit) -> dict[tuple[str, str], str]:
    """Function-pointer members the file's struct initialisers fill with exactly one function."""
    defined = {fn.name for fn in unit.functions}
    seen: dict[tuple[str, str], set[str]] = {}
    for init in unit.initializers:
        if not init.struct_type:
            continue
        for path, value in init.fields:
            if "." in path:
                continue
            seen.setdefault((init.struct_type, path), set()).add(value)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and v <= defined}


def _header_helpers(tu, ctx: _Context, defined: set[str]) -> list[ir.Function]:
    """Inline helpers in headers that the file calls and that allocate or free.

    `static inline void foo_free(struct foo *f) { kfree(f->buf); kfree(f); }`
    in a driver's header is a free to its callers: built like any other
    function so the bottom-up summaries see through it, marked `header`
    so nothing is reported inside it.  Helpers of helpers are followed.
    """
    out: list[ir.Function] = []
    locators: dict[str, _Locator] = {}
    test = _calls_known(ctx.known)
    done: set[str] = set(defined)
    while len(out) < _MAX_HELPERS:
        pending = [(n, d) for n, d in ctx.callees.items() if n not in done]
        if not pending:
            break
        for name, decl in pending:
            done.add(name)
            definition = decl.get_definition() if decl is not None else None
            if definition is None or definition.kind != ci.CursorKind.FUNCTION_DECL:
                continue
            where = definition.location.file
            if where is None or not _contains(definition, test):
                continue
            header = where.name
            loc = locators.get(header)
            if loc is None:
                try:
                    with open(header, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                loc = _Locator(tu, header, data, prepare(data).text)
                locators[header] = loc
            sub = _Context(loc, ctx.known, callees=ctx.callees)
            fn = _function(sub, definition, {}, [])
            if fn is not None:
                fn.header = header
                out.append(fn)
    return out


def _definitions(loc: _Locator, ts_unit: ir.Unit):
    """clang's definition of each function tree-sitter found, where the configuration has one.

    Looking the names up (`clang_getCursor`) instead of walking the whole
    translation unit skips the tens of thousands of header declarations.
    """
    seen: set[str] = set()
    for fn in ts_unit.functions:
        if fn.name in seen:
            continue
        line = fn.span.line - 1
        if not 0 <= line < len(loc.line_starts):
            continue
        pattern = re.compile(rb"\b" + re.escape(fn.name.encode()) + rb"\s*\(")
        m = pattern.search(loc.source, loc.line_starts[line])
        if m is None:
            continue
        where = ci.SourceLocation.from_offset(loc.tu, loc.file, m.start())
        c = ci.Cursor.from_location(loc.tu, where)
        if c is None or c._kind_id != _FUNCTION_DECL or c.spelling != fn.name:
            continue
        if not c.is_definition():
            continue
        seen.add(fn.name)
        yield c
