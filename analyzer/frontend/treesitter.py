"""The default frontend: tree-sitter-c on the raw file, no headers, no build.

The file is first rewritten by `preprocess.prepare` (same length, same
lines), then parsed; every function definition becomes an `ir.Function`
with its control-flow graph.  Parse errors cost the region tree-sitter
could not read, not the function: statements found inside an ERROR node
are still built.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import tree_sitter_c
from tree_sitter import Language, Parser
from tree_sitter import Node as TSNode

from analyzer import ir
from analyzer.frontend import kbuild
from analyzer.frontend.preprocess import Flip, prepare
from analyzer.ir import Kind, Span

_LANGUAGE = Language(tree_sitter_c.language())
_INT = re.compile(r"^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$")
_MAX_TEXT = 160

_STATEMENTS = {
    "compound_statement",
    "expression_statement",
    "if_statement",
    "switch_statement",
    "case_statement",
    "while_statement",
    "do_statement",
    "for_statement",
    "return_statement",
    "break_statement",
    "continue_statement",
    "goto_statement",
    "labeled_statement",
    "declaration",
    "attributed_statement",
}


def _int_value(text: str) -> int | None:
    """The value of an integer literal (tree-sitter reads `-1` as one literal)."""
    sign = -1 if text.startswith("-") else 1
    m = _INT.match(text.lstrip("+-").strip())
    if not m:
        return None
    digits = m.group(1)
    if digits[:2] in ("0x", "0X"):
        return sign * int(digits, 16)
    return sign * (int(digits, 8) if len(digits) > 1 and digits[0] == "0" else int(digits))


def parser() -> Parser:
    return Parser(_LANGUAGE)


def span_of(node: TSNode) -> Span:
    (r0, c0), (r1, c1) = node.start_point, node.end_point
    return Span(r0 + 1, c0 + 1, r1 + 1, c1 + 1)


def _raw(node: TSNode, chars: str | None) -> str:
    """`node.text` decoded (UTF-8, errors replaced).

    With `chars`, the parsed bytes decoded once as Latin-1 (one character
    per byte, so a node's byte offsets index it), an ASCII node's text is a
    slice of it, the same string its UTF-8 decoding gives, at half the
    cost of `node.text` and a decode per node (the frontend asks for the
    text of every expression node); any other node's is decoded as before.
    """
    if chars is not None:
        raw = chars[node.start_byte : node.end_byte]
        if raw.isascii():
            return raw
    return node.text.decode("utf-8", "replace")


def _text(node: TSNode, chars: str | None = None) -> str:
    """The node's text, whitespace-folded and cut to _MAX_TEXT (`chars`: see _raw)."""
    raw = _raw(node, chars)
    if raw.isascii() and raw.isidentifier():  # a plain name (most texts): no blanks to fold
        return raw[:_MAX_TEXT]
    if len(raw) > _MAX_TEXT * 4:
        raw = raw[: _MAX_TEXT * 4]
    return " ".join(raw.split())[:_MAX_TEXT]  # = re.sub(r"\s+", " ", raw).strip(), faster


def _declarator_name(node: TSNode | None) -> tuple[str | None, bool, bool]:
    """(name, is_pointer, is_array) of a declarator.

    The declarator next to the name says what it is: `*p[2]` is an array
    (of pointers), `(*p)[2]` a pointer (to arrays), not an array."""
    pointer = array = False
    while node is not None:
        t = node.type
        if t in ("identifier", "field_identifier", "type_identifier"):
            return node.text.decode("utf-8", "replace"), pointer, array
        if t in ("pointer_declarator", "abstract_pointer_declarator"):
            pointer = True
            array = False  # (`(*p)[2]`: what came outside is what p points to)
        elif t == "array_declarator":
            array = True
        elif t == "function_declarator":
            pointer = True  # a function pointer
        elif t == "parenthesized_declarator":
            node = node.named_children[0] if node.named_children else None
            continue
        elif t == "init_declarator":
            pass
        else:
            return None, pointer, array
        node = node.child_by_field_name("declarator")
    return None, pointer, array


def _pointer_depth(node: TSNode | None) -> int:
    """How many `*` a declarator puts before its name (`**out`: 2)."""
    depth = 0
    while node is not None and node.type in (
        "pointer_declarator",
        "abstract_pointer_declarator",
        "parenthesized_declarator",
    ):
        depth += node.type != "parenthesized_declarator"
        node = node.child_by_field_name("declarator") or (
            node.named_children[0] if node.named_children else None
        )
    return depth


def _pointer_declarator(stmt: TSNode) -> str | None:
    """The variable of a declaration tree-sitter read as an expression: with a
    typedef name it cannot know, `u32 (*rsv)[2];` parses as `u32(*rsv)[2]`, and
    `cb_t (*cb)(int);` as `cb_t(*cb)(int)`. A call whose only argument is `*name`,
    indexed or called in turn and the result dropped, is no statement anyone
    writes; the declaration of a pointer to an array or function is."""
    inner = [c for c in stmt.named_children if c.type != "comment"]
    if len(inner) != 1 or inner[0].type not in ("subscript_expression", "call_expression"):
        return None
    outer = inner[0]
    call = outer.child_by_field_name(
        "argument" if outer.type == "subscript_expression" else "function"
    )
    if call is None or call.type != "call_expression":
        return None
    func, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
    if func is None or func.type != "identifier" or args is None:
        return None
    given = [c for c in args.named_children if c.type != "comment"]
    if len(given) != 1 or given[0].type != "pointer_expression":
        return None
    target = given[0].child_by_field_name("argument")
    if target is None or target.type != "identifier":
        return None
    return target.text.decode("utf-8", "replace")


class _ExprBuilder:
    """tree-sitter expression nodes -> ir.Expr."""

    def __init__(self, chars: str | None = None) -> None:
        self.calls: set[str] = set()
        self.chars = chars  # the file's bytes as Latin-1, if known (see _raw)
        self.renames: dict[str, str] = {}  # inner locals shadowing outer ones (ir.SHADOW)

    def build(self, node: TSNode) -> ir.Expr:
        t = node.type
        if t == "parenthesized_expression":
            inner = node.named_children
            if len(inner) == 1 and inner[0].type != "compound_statement":
                return self.build(inner[0])  # (before its own span and text, unused)
        span = span_of(node)
        text = _text(node, self.chars)
        if t == "identifier":
            if self.renames:
                text = self.renames.get(text, text)
            return ir.Name(span, text, text)
        if t == "null":
            return ir.Const(span, text, 0)
        if t in ("true", "false"):
            return ir.Const(span, text, 1 if t == "true" else 0)
        if t == "number_literal":
            return ir.Const(span, text, _int_value(text))
        if t in _UNREAD_CONSTANTS:
            return ir.Const(span, text, None)
        if t == "parenthesized_expression":  # (a single inner expression is built above)
            return ir.Opaque(span, text, tuple(self._parts(node)))
        if t == "field_expression":
            base = node.child_by_field_name("argument")
            fld = node.child_by_field_name("field")
            op = node.child_by_field_name("operator")
            if base is not None and fld is not None:
                arrow = op is not None and op.type == "->"
                name = _raw(fld, self.chars)
                return ir.Field(span, text, self.build(base), name, arrow)
        if t == "subscript_expression":
            base = node.child_by_field_name("argument")
            index = node.child_by_field_name("index")
            if base is not None:
                idx = self.build(index) if index is not None else ir.Const(span, "", None)
                return ir.Index(span, text, self.build(base), idx)
        if t == "call_expression":
            fn = node.child_by_field_name("function")
            args_node = node.child_by_field_name("arguments")
            # (A loop, not a generator: a generator's free `self` would be a
            # closure cell of all of `build`, slower to read at every node.)
            built = []
            for a in args_node.named_children if args_node is not None else []:
                if a.type != "comment":
                    built.append(self.build(a))
            args = tuple(built)
            if fn is not None and fn.type == "identifier":
                name = _raw(fn, self.chars)
                self.calls.add(name)
                return ir.Call(span, text, name, args)
            callee = self.build(fn) if fn is not None else None
            return ir.Call(span, text, None, args, callee)
        if t == "assignment_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            op = node.child_by_field_name("operator")
            if left is not None and right is not None:
                return ir.Assign(
                    span, text, self.build(left), self.build(right), op.type if op else "="
                )
        if t in ("unary_expression", "pointer_expression", "update_expression"):
            arg = node.child_by_field_name("argument")
            op = node.child_by_field_name("operator")
            if arg is not None:
                return ir.Unary(span, text, op.type if op else "?", self.build(arg))
        if t == "binary_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            op = node.child_by_field_name("operator")
            if left is not None and right is not None:
                return ir.Binary(
                    span, text, op.type if op else "?", self.build(left), self.build(right)
                )
        if t == "comma_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None and right is not None:
                return ir.Binary(span, text, ",", self.build(left), self.build(right))
        if t == "conditional_expression":
            c = node.child_by_field_name("condition")
            a = node.child_by_field_name("consequence")
            b = node.child_by_field_name("alternative")
            if c is not None and b is not None:
                then = self.build(a) if a is not None else self.build(c)
                return ir.Conditional(span, text, self.build(c), then, self.build(b))
        if t == "cast_expression":
            value = node.child_by_field_name("value")
            if value is not None:
                return ir.Cast(span, text, self.build(value))
        return ir.Opaque(span, text, tuple(self._parts(node)))

    def _parts(self, node: TSNode) -> list[ir.Expr]:
        """Sub-expressions of an unusual construct, statement expressions included."""
        out: list[ir.Expr] = []
        for child in node.named_children:
            t = child.type
            if t in ("comment", "type_descriptor", "primitive_type", "field_identifier"):
                continue
            if t in _STATEMENTS or t == "ERROR" or t == "initializer_pair":
                out.extend(self._parts(child))
            elif t == "initializer_list":
                out.extend(self._parts(child))
            elif t == "field_designator" or t == "subscript_designator":
                continue
            else:
                out.append(self.build(child))
        return out


class _CFGBuilder:
    """Statements -> nodes and edges of one function."""

    def __init__(
        self,
        exprs: _ExprBuilder,
        cleanups: dict[tuple[int, str], str],
        iterators: dict[int, str] | None = None,
    ) -> None:
        self.nodes: list[ir.Node] = []
        self.exprs = exprs
        self.cleanups = cleanups
        self.iterators = iterators or {}  # (see preprocess.Prepared)
        self.labels: dict[str, int] = {}
        self.gotos: list[ir.Node] = []
        self.breaks: list[list[tuple[int, int]]] = []
        self.continues: list[int] = []
        self.errors = 0
        # Block scopes, innermost last, and for each the renames it replaced
        # (None until one of its declarations shadows an outer name).
        self.scopes: list[set[str]] = []
        self.saved: list[dict[str, str] | None] = []
        self.shadows = 0

    # Dangling edges are (node id, successor slot) pairs still to be connected.
    def add(self, kind: Kind, span: Span, nsuccs: int = 1, **kw) -> ir.Node:
        node = ir.Node(len(self.nodes), kind, span, succs=[-1] * nsuccs, **kw)
        self.nodes.append(node)
        return node

    def link(self, dangling: list[tuple[int, int]], target: int) -> None:
        for nid, slot in dangling:
            self.nodes[nid].succs[slot] = target

    def chain(self, dangling, node: ir.Node) -> list[tuple[int, int]]:
        self.link(dangling, node.id)
        return [(node.id, 0)]

    def body_span(self, body) -> Span:
        return span_of(body)

    def function(self, body: TSNode, end: Span, params: Collection[str] = ()) -> tuple[int, int]:
        self.scopes, self.saved = [set(params)], [None]
        entry = self.add(Kind.ENTRY, self.body_span(body))
        exit_ = self.add(Kind.EXIT, end, nsuccs=0)
        self.exit = exit_.id
        out = self.stmt(body, [(entry.id, 0)])
        if out:
            ret = self.add(Kind.RETURN, end, implicit=True)
            self.link(out, ret.id)
            ret.succs[0] = exit_.id
        for g in self.gotos:
            target = self.labels.get(g.name or "")
            g.succs[0] = target if target is not None else exit_.id
        # Unconnected slots (unreachable code's leftovers) go nowhere.
        for n in self.nodes:
            n.succs = [s for s in n.succs if s != -1]
        return entry.id, exit_.id

    def expr(self, node: TSNode) -> ir.Expr:
        return self.exprs.build(node)

    def cond(self, node: TSNode | None) -> ir.Expr | None:
        if node is None:
            return None
        if node.type == "parenthesized_expression" and len(node.named_children) == 1:
            node = node.named_children[0]
        return self.expr(node)

    def stmt(self, node: TSNode, dangling: list[tuple[int, int]]) -> list[tuple[int, int]]:
        t = node.type
        if t == "compound_statement":
            self.open_scope()
            for child in node.named_children:
                dangling = self.stmt(child, dangling)
            self.close_scope()
            return dangling
        if t == "expression_statement":
            name = _pointer_declarator(node)
            if name is not None:  # `u32 (*rsv_events)[2];`, read as a call
                n = self.add(Kind.DECL, span_of(node), name=self.declare(name), decl_pointer=True)
                return self.chain(dangling, n)
            inner = [c for c in node.named_children if c.type != "comment"]
            for c in inner:
                n = self.add(Kind.EXPR, span_of(node), expr=self.expr(c))
                dangling = self.chain(dangling, n)
            return dangling
        if t == "declaration":
            return self.declaration(node, dangling)
        if t == "if_statement":
            c = self.cond(node.child_by_field_name("condition"))
            b = self.add(Kind.BRANCH, span_of(node.child_by_field_name("condition") or node), 2)
            b.expr = c
            b.name = self.iterators.get(node.start_byte)  # `scoped_guard`, rewritten to `if`
            self.link(dangling, b.id)
            then = node.child_by_field_name("consequence")
            out = self.stmt(then, [(b.id, 0)]) if then is not None else [(b.id, 0)]
            alt = node.child_by_field_name("alternative")
            if alt is not None:
                body = [c for c in alt.named_children if c.type != "comment"]
                other = [(b.id, 1)]
                for c in body:
                    other = self.stmt(c, other)
                return out + other
            return out + [(b.id, 1)]
        if t == "while_statement":
            c = self.cond(node.child_by_field_name("condition"))
            head = self.add(Kind.BRANCH, span_of(node.child_by_field_name("condition") or node), 2)
            head.expr = c
            head.name = self.iterators.get(node.start_byte)  # `list_for_each_entry`
            self.link(dangling, head.id)
            breaks = self.loop_body(node.child_by_field_name("body"), head.id, [(head.id, 0)])
            head.loop_end = len(self.nodes) - 1
            return breaks + [(head.id, 1)]
        if t == "for_statement":
            self.open_scope()  # `for (int i = 0; ..)`: i is the loop's
            out = self.for_statement(node, dangling)
            self.close_scope()
            return out
        return self.other_stmt(node, dangling)

    def open_scope(self) -> None:
        self.scopes.append(set())
        self.saved.append(None)

    def close_scope(self) -> None:
        if not self.scopes:
            return
        self.scopes.pop()
        saved = self.saved.pop()
        if saved is not None:
            self.exprs.renames = saved

    def declare(self, name: str) -> str:
        """The name a block's new local goes by: its own, or, when it shadows a
        local or parameter of an enclosing block (`void *buffer;` in a loop of a
        function that has a `buffer`), a name of its own (ir.shadowed)."""
        scopes = self.scopes
        if not scopes or self.exprs is None:
            return name
        shadows = any(name in outer for outer in scopes[:-1])
        scopes[-1].add(name)
        if not shadows:
            return name
        if self.saved[-1] is None:
            self.saved[-1] = dict(self.exprs.renames)
        self.shadows += 1
        renamed = ir.shadowed(name, self.shadows)
        self.exprs.renames[name] = renamed
        return renamed

    def for_statement(self, node: TSNode, dangling) -> list[tuple[int, int]]:
        init = node.child_by_field_name("initializer")
        if init is not None:
            if init.type == "declaration":
                dangling = self.declaration(init, dangling)
            else:
                dangling = self.chain(
                    dangling, self.add(Kind.EXPR, span_of(init), expr=self.expr(init))
                )
        cnode = node.child_by_field_name("condition")
        if cnode is not None:
            head = self.add(Kind.BRANCH, span_of(cnode), 2)
            head.expr = self.expr(cnode)
            body_in, exits = [(head.id, 0)], [(head.id, 1)]
        else:
            head = self.add(Kind.LABEL, span_of(node))
            body_in, exits = [(head.id, 0)], []
        self.link(dangling, head.id)
        update = node.child_by_field_name("update")
        if update is not None:
            upd = self.add(Kind.EXPR, span_of(update), expr=self.expr(update))
            upd.succs[0] = head.id
            cont = upd.id
        else:
            cont = head.id
        breaks = self.loop_body(node.child_by_field_name("body"), cont, body_in)
        head.loop_end = len(self.nodes) - 1
        return breaks + exits

    def other_stmt(self, node: TSNode, dangling) -> list[tuple[int, int]]:
        t = node.type
        if t == "do_statement":
            top = self.add(Kind.LABEL, span_of(node))
            self.link(dangling, top.id)
            cnode = node.child_by_field_name("condition")
            test = self.add(Kind.BRANCH, span_of(cnode or node), 2)
            test.expr = self.cond(cnode)
            test.succs[0] = top.id
            breaks = self.loop_body(node.child_by_field_name("body"), test.id, [(top.id, 0)])
            test.loop_end = len(self.nodes) - 1
            return [(test.id, 1)] + breaks
        if t == "switch_statement":
            return self.switch(node, dangling)
        if t == "case_statement":
            # Reached only inside a switch body; see switch().
            return self.case(node, dangling)
        if t == "return_statement":
            value = [c for c in node.named_children if c.type != "comment"]
            r = self.add(Kind.RETURN, span_of(node), expr=self.expr(value[0]) if value else None)
            self.link(dangling, r.id)
            r.succs[0] = self.exit
            return []
        if t == "goto_statement":
            label = node.child_by_field_name("label")
            g = self.add(Kind.GOTO, span_of(node), name=label.text.decode() if label else None)
            self.link(dangling, g.id)
            self.gotos.append(g)
            return []
        if t == "labeled_statement":
            label = node.child_by_field_name("label")
            name = label.text.decode() if label else ""
            lab = self.add(Kind.LABEL, span_of(label or node), name=name)
            self.labels[name] = lab.id
            dangling = self.chain(dangling, lab)
            for child in node.named_children:
                if child.type != "statement_identifier":
                    dangling = self.stmt(child, dangling)
            return dangling
        if t == "break_statement":
            if self.breaks:
                self.breaks[-1].extend(dangling)
            return []
        if t == "continue_statement":
            if self.continues:
                self.link(dangling, self.continues[-1])
            return []
        if t == "attributed_statement":
            for child in node.named_children:
                if child.type != "attribute_declaration":
                    dangling = self.stmt(child, dangling)
            return dangling
        if t == "ERROR":
            self.errors += 1
            for child in node.named_children:
                if child.type in _STATEMENTS or child.type == "ERROR":
                    dangling = self.stmt(child, dangling)
                elif child.type.endswith("_expression") or child.type == "identifier":
                    n = self.add(Kind.EXPR, span_of(child), expr=self.expr(child))
                    dangling = self.chain(dangling, n)
            return dangling
        # Comments, preprocessor lines, type definitions, empty statements.
        return dangling

    def loop_body(self, body: TSNode | None, cont: int, into) -> list[tuple[int, int]]:
        """Build a loop body; its end and `continue` go to cont. Returns the breaks."""
        self.breaks.append([])
        self.continues.append(cont)
        out = self.stmt(body, into) if body is not None else into
        self.continues.pop()
        breaks = self.breaks.pop()
        self.link(out, cont)
        return breaks

    def switch(self, node: TSNode, dangling) -> list[tuple[int, int]]:
        cnode = node.child_by_field_name("condition")
        sw = self.add(Kind.SWITCH, span_of(cnode or node), nsuccs=0)
        sw.expr = self.cond(cnode)
        self.link(dangling, sw.id)
        self.breaks.append([])
        self.switch_stack = getattr(self, "switch_stack", [])
        self.switch_stack.append((sw, [False]))
        body = node.child_by_field_name("body")
        out: list[tuple[int, int]] = []
        if body is not None:
            self.open_scope()  # (the body's braces: its statements are walked here)
            for child in body.named_children:
                out = self.stmt(child, out)
            self.close_scope()
        _, has_default = self.switch_stack.pop()
        breaks = self.breaks.pop()
        if not has_default[0]:
            sw.succs.append(-1)
            breaks.append((sw.id, len(sw.succs) - 1))
        return out + breaks

    def case(self, node: TSNode, dangling) -> list[tuple[int, int]]:
        stack = getattr(self, "switch_stack", [])
        lab = self.add(Kind.LABEL, span_of(node), name="case")
        value = node.child_by_field_name("value")
        if value is not None and value.type in ("identifier", "number_literal"):
            lab.case_value = self.expr(value)  # (a constant: `case FOO_MODE(x):` is no value)
        self.link(dangling, lab.id)
        if stack:
            sw, has_default = stack[-1]
            sw.succs.append(lab.id)
            if node.child_by_field_name("value") is None:
                has_default[0] = True
        out = [(lab.id, 0)]
        for child in node.named_children:
            if value is not None and child.id == value.id:
                continue
            out = self.stmt(child, out)
        return out

    def declaration(self, node: TSNode, dangling) -> list[tuple[int, int]]:
        static = any(
            c.type == "storage_class_specifier" and c.text in (b"static", b"extern")
            for c in node.children
        )
        kind = node.child_by_field_name("type")
        flag = kind is not None and kind.text in (b"bool", b"_Bool")
        for i, child in enumerate(node.children):
            if node.field_name_for_child(i) != "declarator":
                continue
            value = v = None
            decl = child
            if child.type == "init_declarator":
                decl = child.child_by_field_name("declarator")
                v = child.child_by_field_name("value")
            name, pointer, array = _declarator_name(decl)
            if name is not None and not static:
                name = self.declare(name)  # (in scope in its own initializer, as in C)
            if v is not None:
                value = self.expr(v)
            if name is None:
                continue
            if static:
                # A static local lives past the function: a global to the engine.
                if value is not None:
                    n = self.add(Kind.EXPR, span_of(child), expr=value)
                    dangling = self.chain(dangling, n)
                continue
            span = span_of(child)
            n = self.add(
                Kind.DECL,
                span,
                expr=value,
                name=name,
                decl_pointer=pointer,
                decl_array=array,
                decl_bool=flag and not (pointer or array),
                cleanup=self.cleanups.get((span.line, name)),
            )
            dangling = self.chain(dangling, n)
        return dangling


# Built as an ir.Const whose value is not read: nothing inside is read either.
_UNREAD_CONSTANTS = frozenset(
    (
        "string_literal",
        "concatenated_string",
        "char_literal",
        "sizeof_expression",
        "offsetof_expression",
        "alignof_expression",
    )
)
_LEAVES = {"null", "true", "false", "number_literal", *_UNREAD_CONSTANTS}  # built as ir.Const


class _NameScan:
    """What a CFG built by _CFGBuilder would call and read, without building it.

    `calls` is the builder's `calls`; `names` the names of the `ir.Name`s in
    its nodes; `stored` the names assigned (casts aside) to a target that is
    not a plain name, and `cleaned` whether a declaration has a `__free()`
    cleanup: what `engine._keeps_memory` reads.  Each method follows its
    namesake in _ExprBuilder or _CFGBuilder child for child, and builds
    nothing: no nodes, spans or texts.  tests/test_lazy_ir.py checks it
    against full builds.
    """

    def __init__(self, cleanups: dict[tuple[int, str], str], chars: str | None = None) -> None:
        self.calls: set[str] = set()
        self.names: set[str] = set()
        self.stored: set[str] = set()
        self.cleaned = False
        self.cleanups = cleanups
        self.chars = chars  # (see _raw)

    # -------------------------------------------------- _ExprBuilder.build
    def expr(self, node: TSNode, names: set[str] | None) -> None:
        """`names` None: an expression built but kept in no node (its calls count)."""
        t = node.type
        if t == "parenthesized_expression":
            inner = node.named_children
            if len(inner) == 1 and inner[0].type != "compound_statement":
                return self.expr(inner[0], names)
        if t == "identifier":
            if names is not None:
                names.add(_text(node, self.chars))
            return None
        if t in _LEAVES:
            return None
        field = node.child_by_field_name
        if t == "field_expression":
            base = field("argument")
            if base is not None and field("field") is not None:
                return self.expr(base, names)
        elif t == "subscript_expression":
            base = field("argument")
            if base is not None:
                index = field("index")
                if index is not None:
                    self.expr(index, names)
                return self.expr(base, names)
        elif t == "call_expression":
            fn = field("function")
            args_node = field("arguments")
            for a in args_node.named_children if args_node is not None else []:
                if a.type != "comment":
                    self.expr(a, names)
            if fn is not None and fn.type == "identifier":
                self.calls.add(_raw(fn, self.chars))
            elif fn is not None:
                self.expr(fn, names)
            return None
        elif t in ("assignment_expression", "binary_expression", "comma_expression"):
            left = field("left")
            right = field("right")
            if left is not None and right is not None:
                if t == "assignment_expression" and names is not None:
                    self.store(left, right)
                self.expr(left, names)
                return self.expr(right, names)
        elif t in ("unary_expression", "pointer_expression", "update_expression"):
            arg = field("argument")
            if arg is not None:
                return self.expr(arg, names)
        elif t == "conditional_expression":
            c = field("condition")
            b = field("alternative")
            if c is not None and b is not None:
                a = field("consequence")
                self.expr(a if a is not None else c, names)
                self.expr(c, names)
                return self.expr(b, names)
        elif t == "cast_expression":
            value = field("value")
            if value is not None:
                return self.expr(value, names)
        return self.parts(node, names)

    def store(self, left: TSNode, right: TSNode) -> None:
        """An `ir.Assign` whose target is no `Name` and whose value, casts
        stripped, is one (or tags one: `p | flags`): that name goes to `stored`."""
        if _built_as(left, casts=False).type != "identifier":
            value = _built_as(right, casts=True)
            if value.type == "binary_expression" and _text(value.child(1), self.chars) == "|":
                value = _built_as(value.child(0), casts=True)  # `(unsigned long)p | flags`
            if value.type == "identifier":
                self.stored.add(_text(value, self.chars))

    def parts(self, node: TSNode, names: set[str] | None) -> None:
        for child in node.named_children:
            t = child.type
            if t in ("comment", "type_descriptor", "primitive_type", "field_identifier"):
                continue
            if t in _STATEMENTS or t == "ERROR" or t == "initializer_pair":
                self.parts(child, names)
            elif t == "initializer_list":
                self.parts(child, names)
            elif t == "field_designator" or t == "subscript_designator":
                continue
            else:
                self.expr(child, names)

    # -------------------------------------------------- _CFGBuilder
    def cond(self, node: TSNode | None) -> None:
        if node is None:
            return
        if node.type == "parenthesized_expression" and len(node.named_children) == 1:
            node = node.named_children[0]
        self.expr(node, self.names)

    def stmt(self, node: TSNode | None) -> None:
        if node is None:
            return
        t = node.type
        names = self.names
        field = node.child_by_field_name
        if t == "compound_statement":
            for child in node.named_children:
                self.stmt(child)
        elif t == "expression_statement":
            if _pointer_declarator(node) is not None:
                return  # a declaration (see _CFGBuilder.stmt)
            for c in node.named_children:
                if c.type != "comment":
                    self.expr(c, names)
        elif t == "declaration":
            self.declaration(node)
        elif t == "if_statement":
            self.cond(field("condition"))
            self.stmt(field("consequence"))
            alt = field("alternative")
            if alt is not None:
                for c in alt.named_children:
                    if c.type != "comment":
                        self.stmt(c)
        elif t == "while_statement":
            self.cond(field("condition"))
            self.stmt(field("body"))
        elif t == "for_statement":
            init = field("initializer")
            if init is not None:
                if init.type == "declaration":
                    self.declaration(init)
                else:
                    self.expr(init, names)
            cnode = field("condition")
            if cnode is not None:
                self.expr(cnode, names)
            update = field("update")
            if update is not None:
                self.expr(update, names)
            self.stmt(field("body"))
        elif t == "do_statement":
            self.cond(field("condition"))
            self.stmt(field("body"))
        elif t == "switch_statement":
            self.cond(field("condition"))
            body = field("body")
            if body is not None:
                for child in body.named_children:
                    self.stmt(child)
        elif t == "case_statement":
            value = field("value")
            for child in node.named_children:
                if value is not None and child.id == value.id:
                    continue
                self.stmt(child)
        elif t == "return_statement":
            for c in node.named_children:
                if c.type != "comment":
                    self.expr(c, names)
                    break
        elif t == "labeled_statement":
            for child in node.named_children:
                if child.type != "statement_identifier":
                    self.stmt(child)
        elif t == "attributed_statement":
            for child in node.named_children:
                if child.type != "attribute_declaration":
                    self.stmt(child)
        elif t == "ERROR":
            for child in node.named_children:
                if child.type in _STATEMENTS or child.type == "ERROR":
                    self.stmt(child)
                elif child.type.endswith("_expression") or child.type == "identifier":
                    self.expr(child, names)

    def declaration(self, node: TSNode) -> None:
        # (static or not, a named declarator's value is kept in a node)
        static = self.cleanups and any(
            c.type == "storage_class_specifier" and c.text in (b"static", b"extern")
            for c in node.children
        )
        for i, child in enumerate(node.children):
            if node.field_name_for_child(i) != "declarator":
                continue
            decl, value = child, None
            if child.type == "init_declarator":
                decl = child.child_by_field_name("declarator")
                value = child.child_by_field_name("value")
            name, _, _ = _declarator_name(decl)
            if value is not None:
                # A declarator without a name builds its value but keeps no node.
                self.expr(value, self.names if name is not None else None)
            if name is not None and self.cleanups and not static:
                if self.cleanups.get((child.start_point[0] + 1, name)):
                    self.cleaned = True  # its DECL node has a cleanup


def _built_as(node: TSNode, casts: bool) -> TSNode:
    """The node whose `ir` class _ExprBuilder.build gives `node`: parentheses
    around one expression unwrapped, and with `casts`, each cast's `ir.Cast`."""
    while True:
        if node.type == "parenthesized_expression":
            inner = node.named_children
            if len(inner) == 1 and inner[0].type != "compound_statement":
                node = inner[0]
                continue
        elif casts and node.type == "cast_expression":
            value = node.child_by_field_name("value")
            if value is not None:
                node = value
                continue
        return node


def _count_errors(node: TSNode) -> int:
    if not node.has_error:
        return 0
    count = 1 if node.type == "ERROR" or node.is_missing else 0
    for c in node.children:
        count += _count_errors(c)
    return count


# An identifier followed by `(` (or by a comment, which may hide one): every
# direct call, and more.  Used on the bytes of a body, before any CFG exists.
# The lookbehind only spares attempts from inside a word (each retried the
# rest of the word, quadratic in its length): a match can only start at a
# word's first letter, so the matches are the same (tests/test_lazy_ir.py).
_CALL_HINT = re.compile(rb"(?<![A-Za-z_])([A-Za-z_][A-Za-z0-9_]*)(?=[ \t\r\n\\]*(?:\(|/[*/]))")
# Every word of a body's code: a superset of the identifiers tree-sitter finds in it.
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# Each word with what _CALL_HINT's lookahead wants after it (or nothing): the
# words and the call hints in one pass (tests/test_lazy_ir.py).
_WORD_AND_CALL = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)([ \t\r\n\\]*(?:\(|/[*/]))?")


def _hints_and_words(code: bytes) -> tuple[set[str], set[str]]:
    """(`_CALL_HINT` matches, `_WORD` matches cut to _MAX_TEXT), decoded."""
    found = _WORD_AND_CALL.findall(code)
    hint = {w.decode() for w, call in found if call}
    return hint, {w[:_MAX_TEXT].decode() for w in {w for w, _ in found}}


_CFG_SLOTS = ("nodes", "entry", "exit", "calls", "parse_errors")
_SLOT = {name: ir.Function.__dict__[name] for name in _CFG_SLOTS}


def _lazy_slot(name: str) -> property:
    slot = _SLOT[name]

    def get(self):
        if self._pending is not None:
            self._build()
        return slot.__get__(self, ir.Function)

    def set_(self, value):
        slot.__set__(self, value)

    return property(get, set_)


def _scanned_slot(name: str) -> property:
    """A slot answered by `LazyFunction._scan` until the CFG is built."""
    slot = _SLOT[name]

    def get(self):
        if self._pending is not None:
            return getattr(self._scan(), name)
        return slot.__get__(self, ir.Function)

    def set_(self, value):
        slot.__set__(self, value)

    return property(get, set_)


class LazyFunction(ir.Function):
    """A function whose CFG is built on first use of nodes/entry/exit/calls.

    Building CFGs is a third of the work on a driver, and the engine analyses
    only functions that touch memory (about one in six); `call_hint` and
    `keeps_hint` answer its triage from the raw bytes of the body.  Anything
    that reads the CFG gets exactly what an eager build gives.
    """

    __slots__ = ("_pending", "_hint", "_keeps", "_words", "_scanned")

    nodes = _lazy_slot("nodes")
    entry = _lazy_slot("entry")
    exit = _lazy_slot("exit")
    calls = _scanned_slot("calls")
    parse_errors = _lazy_slot("parse_errors")

    def _build(self) -> None:
        body, end, cleanups, iterators, chars = self._pending
        self._pending = None
        exprs = _ExprBuilder(chars)
        cfg = _CFGBuilder(exprs, cleanups, iterators)
        self.entry, self.exit = cfg.function(body, end, [p.name for p in self.params])
        self.nodes = cfg.nodes
        # (the scan's set, if one was handed out: the same names)
        self.calls = self._scanned.calls if self._scanned is not None else exprs.calls
        self._scanned = None
        self.parse_errors = _count_errors(body)

    def _scan(self) -> _NameScan:
        """`calls` and `names()` before the CFG is built (`_NameScan`)."""
        if self._scanned is None:
            self._scanned = _NameScan(self._pending[2], self._pending[4])
            self._scanned.stmt(self._pending[0])
        return self._scanned

    def names(self) -> set[str]:
        return self._scan().names if self._pending is not None else super().names()

    def keeps_known(self) -> bool | None:
        if self._pending is None:
            return None
        scan = self._scan()
        return scan.cleaned or not scan.stored.isdisjoint(p.name for p in self.params if p.pointer)

    def call_hint(self) -> set[str]:
        return self._hint if self._pending is not None else self.calls

    def keeps_hint(self) -> bool | None:
        return self._keeps if self._pending is not None else None

    def may_name(self, names: Collection[str]) -> bool:
        # Every identifier of the CFG (a callee's name, or a `Name`, whose text is
        # cut to _MAX_TEXT) is a word of the body's code (`_words`).
        return self._pending is None or not self._words.isdisjoint(names)

    def mentions(self, word: str) -> bool:
        return word in self._words  # (every identifier of the body's code)

    def never_fails(self) -> bool:
        # Most functions return something other than a literal 0 somewhere: the
        # body's text says so without the CFG.
        if self._pending is not None and not _zero_returns(self._pending[0].text or b""):
            return False
        return super().never_fails()


# Strings, character constants and comments, lexed left to right, so that a
# `foo()` in a comment or a message is no call hint.
_NOT_CODE = re.compile(rb'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)


def _code_only(raw: bytes) -> bytes:
    return _NOT_CODE.sub(b" ", raw)


_RETURN = re.compile(rb"\breturn\b([^;]*);")


def _zero_returns(raw: bytes) -> bool:
    """Does the body have a `return`, and is each one `return 0;`? (A quick
    no for `ir.Function.never_fails`, which reads the CFG for a yes.)"""
    values = [m.group(1).strip() for m in _RETURN.finditer(_code_only(raw))]
    return bool(values) and all(v in (b"0", b"(0)") for v in values)


def _keeps_hint(fn: ir.Function, code: bytes, cleanups) -> bool:
    """Might the body store a pointer parameter (`x->f = (T *)p;`) or hold `__free` locals?

    The engine asks for an assignment whose value, casts and parentheses
    aside, is the parameter: here, `=` followed by cast-like text and the
    name, and then nothing that continues an expression.
    """
    if any(fn.span.line <= line <= fn.span.end_line for line, _ in cleanups):
        return True
    return any(_stored(code, p.name.encode()) for p in fn.params if p.pointer)


# What may follow a stored name (the end of the value), and what may stand
# between it and the `=` (casts, parentheses, blanks).
_VALUE_END = re.compile(rb"[\s)\\]*(?:[;,)\]}:?|]|$)")  # (`|`: a tagged pointer)
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_CAST_BYTES = _WORD_BYTES | frozenset(b" \t\n\r\f\v()*\\")


def _stored(code: bytes, name: bytes) -> bool:
    r"""Does `=[\s()*\w\\]*?\bNAME\b(?=[\s)\\]*(?:[;,)\]}:?|]|$))` match in `code`?

    Each whole-word occurrence of the name followed by the end of a value is
    tried: the bytes before it, back to the first one outside the pattern's
    class, must follow an `=`.  No pattern is compiled per name (most names
    of a tree are new to the cache: compiling cost more than searching).
    """
    n, end, i = len(name), len(code), code.find(name)
    while i >= 0:
        j = i + n
        if (
            (i == 0 or code[i - 1] not in _WORD_BYTES)
            and (j == end or code[j] not in _WORD_BYTES)
            and _VALUE_END.match(code, j) is not None
        ):
            k = i
            while k > 0 and code[k - 1] in _CAST_BYTES:
                k -= 1
            if k > 0 and code[k - 1] == 0x3D:  # `=`
                return True
        i = code.find(name, i + 1)
    return False


def _function(
    node: TSNode,
    cleanups,
    source: bytes | None = None,
    chars: str | None = None,
    iterators: dict[int, str] | None = None,
) -> ir.Function | None:
    """The function defined at node; with the file's bytes, its CFG is built lazily.

    `chars`: those bytes decoded as Latin-1 (see _raw), made once per file
    by `parse`; made here if not given.
    """
    if source is not None and chars is None:
        chars = source.decode("latin-1")
    decl = node.child_by_field_name("declarator")
    body = node.child_by_field_name("body")
    if decl is None or body is None:
        return None
    returns_pointer = False
    depth = 0
    while decl is not None and decl.type in ("pointer_declarator", "parenthesized_declarator"):
        returns_pointer = returns_pointer or decl.type == "pointer_declarator"
        depth += decl.type == "pointer_declarator"
        decl = decl.child_by_field_name("declarator") or (
            decl.named_children[0] if decl.named_children else None
        )
    if decl is None or decl.type != "function_declarator":
        return None
    name_node = decl.child_by_field_name("declarator")
    if name_node is None or name_node.type != "identifier":
        return None
    params: list[ir.Param] = []
    plist = decl.child_by_field_name("parameters")
    for p in plist.named_children if plist is not None else []:
        if p.type != "parameter_declaration":
            continue
        pname, pointer, array = _declarator_name(p.child_by_field_name("declarator"))
        if pname is None:
            continue
        ptype = p.child_by_field_name("type")
        params.append(
            ir.Param(
                pname,
                pointer or array,
                _text(ptype) if ptype else "",
                _pointer_depth(p.child_by_field_name("declarator")),
            )
        )
    rtype = node.child_by_field_name("type")
    returns_void = not returns_pointer and rtype is not None and rtype.text == b"void"
    static = any(c.type == "storage_class_specifier" and c.text == b"static" for c in node.children)
    closing = body.children[-1] if body.children else body
    raw = source[body.start_byte : body.end_byte] if source is not None else b"\x80"
    # Names with non-ASCII, `$` or `\u` escapes are beyond the hint's pattern: build now.
    lazy = raw.isascii() and not any(c in raw for c in (b"$", b"\\u", b"\\U"))
    fn = (LazyFunction if lazy else ir.Function)(
        name=name_node.text.decode("utf-8", "replace"),
        span=span_of(node),
        params=params,
        returns_pointer=returns_pointer,
        returns_void=returns_void,
        static=static,
        nodes=[],
        entry=0,
        exit=0,
        returns_bool=not returns_pointer and rtype is not None and rtype.text == b"bool",
        return_type=_text(rtype) if rtype is not None else "",
        return_depth=depth,
    )
    if lazy:
        fn._pending = (body, span_of(closing), cleanups, iterators, chars)
        fn._scanned = None
        code = _code_only(raw)
        fn._hint, fn._words = _hints_and_words(code)
        fn._keeps = _keeps_hint(fn, code, cleanups)
    else:
        exprs = _ExprBuilder(chars)
        cfg = _CFGBuilder(exprs, cleanups, iterators)
        fn.entry, fn.exit = cfg.function(body, span_of(closing), [p.name for p in params])
        fn.nodes, fn.calls, fn.parse_errors = cfg.nodes, exprs.calls, _count_errors(body)
    return fn


def _initializer(node: TSNode) -> list[ir.Initializer]:
    """Designated initialisers of top-level struct variables (driver structs)."""
    stype = node.child_by_field_name("type")
    if stype is None or stype.type != "struct_specifier":
        return []
    sname = stype.child_by_field_name("name")
    out = []
    for i, child in enumerate(node.children):
        if node.field_name_for_child(i) != "declarator" or child.type != "init_declarator":
            continue
        value = child.child_by_field_name("value")
        var, _, _ = _declarator_name(child.child_by_field_name("declarator"))
        if value is None or value.type != "initializer_list" or var is None:
            continue
        fields: list[tuple[str, str]] = []
        _collect_designators(value, "", fields)
        out.append(
            ir.Initializer(
                var,
                sname.text.decode() if sname else "",
                tuple(fields),
                span_of(child),
            )
        )
    return out


def _collect_designators(init: TSNode, prefix: str, out: list[tuple[str, str]]) -> None:
    for pair in init.named_children:
        if pair.type != "initializer_pair":
            continue
        names = [
            d.named_children[0].text.decode()
            for d in pair.named_children
            if d.type == "field_designator" and d.named_children
        ]
        value = pair.child_by_field_name("value")
        if not names or value is None:
            continue
        path = prefix + ".".join(names)
        if value.type == "initializer_list":
            _collect_designators(value, path + ".", out)
            continue
        while value.type in ("pointer_expression", "parenthesized_expression", "cast_expression"):
            inner = value.child_by_field_name("argument") or value.child_by_field_name("value")
            if inner is None:
                inner = value.named_children[-1] if value.named_children else None
            if inner is None:
                break
            value = inner
        if value.type == "identifier":
            out.append((path, value.text.decode()))


def _top_level(node: TSNode):
    """Function definitions and declarations, looking inside ERROR wrappers."""
    for child in node.children:
        if child.type in ("function_definition", "declaration"):
            yield child
        elif child.type in ("ERROR", "linkage_specification", "declaration_list"):
            yield from _top_level(child)


def parse(path: str, source: bytes, flip: Flip | None = None) -> ir.Unit:
    """Parse one C file into the IR (with the macros its Makefile defines).

    `flip`: another configuration to read it in (`ir.Unit.alternatives`)."""
    prepared = prepare(source, kbuild.defines_for(path), flip)
    tree = parser().parse(prepared.text)
    chars = prepared.text.decode("latin-1")  # (see _raw)
    unit = ir.Unit(path=path, functions=[])
    unit.lines = source.decode("utf-8", "replace").splitlines()
    for alt in prepared.alternatives:
        first = source.count(b"\n", 0, alt.start) + 1
        last = first + source.count(b"\n", alt.start, alt.end) - 1
        if last >= first:
            unit.alternatives.append(
                ir.Alternative(alt.group, alt.index, alt.macro, alt.start, first, last)
            )
    for node in _top_level(tree.root_node):
        if node.type == "function_definition":
            fn = _function(node, prepared.cleanups, prepared.text, chars, prepared.iterators)
            if fn is not None:
                unit.functions.append(fn)
        else:
            unit.initializers.extend(_initializer(node))
            for i, child in enumerate(node.children):
                if node.field_name_for_child(i) == "declarator":
                    name, _, _ = _declarator_name(child)
                    if name:
                        unit.globals.add(name)
    return unit
