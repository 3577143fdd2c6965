"""Make raw kernel C palatable to a header-less parser, keeping every offset.

tree-sitter sees the file without headers or a configuration, so kernel
annotations, conditional compilation and iterator macros look like syntax
errors to it.  Every rewrite here replaces bytes with bytes of the same
length (spaces, or a keyword padded with spaces) and never touches a
newline, so line and column numbers of the result are those of the file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Annotations that are a bare word.
_WORD_ANNOTATIONS = (
    "__iomem __user __rcu __force __must_check __init __exit __maybe_unused "
    "__always_unused __used __weak __cold __hot __percpu __nocast __bitwise __safe "
    "__ref __refdata __initdata __initconst __exitdata __read_mostly __always_inline "
    "noinline noinline_for_stack __noreturn __pure __visible __deprecated notrace "
    "__latent_entropy __ro_after_init __private __kprobes __sched asmlinkage __meminit "
    "__init_or_module __packed __malloc __randomize_layout __no_randomize_layout "
    "__designated_init ____cacheline_aligned ____cacheline_aligned_in_smp "
    "__cacheline_aligned __cacheline_aligned_in_smp __devinit __devexit __kernel "
    "__must_be_array __nonstring __counted_by_ptr __flatten __no_kcsan __noclone "
    "__mustcheck __ksym __weak_alias __irq_entry __cpuidle __init_memblock __initdata_memblock"
).split()

# Annotations followed by a parenthesised argument list.
_CALL_ANNOTATIONS = (
    "__free __aligned __counted_by __attribute__ __attribute __printf __scanf __section "
    "__acquires __releases __must_hold __cleanup __guarded_by __pt_guarded_by __alias "
    "__realloc_size __alloc_size __nocfi __diagnose_as __cond_acquires __cond_releases "
    "__assume_aligned __sized_by __ends_by __copy __no_sanitize_or_inline __has_attribute"
).split()

_WORD_SET = frozenset(_WORD_ANNOTATIONS)
_CALL_SET = frozenset(_CALL_ANNOTATIONS)
# Without a leading `\b` (which keeps the engine from scanning for the first
# letters): a match inside a word is skipped by `_blank_annotations`, and
# spans the rest of that word, where `\b...` could not match either.
_ANNOTATION_WORD = re.compile(r"(?:__|noinline|notrace|asmlinkage)\w*")
_OPEN_PAREN = re.compile(r"\s*\(")
# `T *name __free(fn)`.  Tried only where a name can start (not after a
# letter or `_`): the same names as the pattern tried at every offset after
# an optional `*` and blanks, which rescanned every word and every run of
# blanks from each of their bytes (tests/test_preprocess_fast.py).
_FREE_RE = re.compile(r"(?<![A-Za-z_])(?P<var>[A-Za-z_]\w*)\s+__free\s*\(\s*(?P<fn>\w+)\s*\)")
_FREE_CALL = re.compile(rb"__free\s*\(")  # in every match of _FREE_RE; `__free_pages(` is not
# A whole word that holds `for_each`/`_foreach`, then `(`. (`\w*` once, not
# `[A-Za-z_]*\w*?`: the same matches without quadratic backtracking in every word.)
_ITERATOR_RE = re.compile(
    r"\b(?P<name>\w*(?:for_each|_foreach)\w*|scoped_guard|scoped_cond_guard)\s*\("
)
_ITERATOR_HINTS = (b"for_each", b"_foreach", b"scoped_")
# Every match of _ITERATOR_RE holds one of these (found by a literal search).
_ITERATOR_HIT = re.compile(r"for_each|_foreach|scoped_")
_CONDITIONAL_RE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")


@dataclass
class Prepared:
    """The rewritten source and what the rewrites learned on the way."""

    text: bytes
    # variable name -> cleanup function, from `T *name __free(fn) = ...`
    cleanups: dict[tuple[int, str], str] = field(default_factory=dict)
    # byte offset of a `while` that was an iterator macro -> the macro's name
    iterators: dict[int, str] = field(default_factory=dict)
    # #if branches the text is not read with, though they may be compiled
    alternatives: list[Alternative] = field(default_factory=list)


def _blank(buf: bytearray, start: int, end: int) -> None:
    for i in range(start, end):
        if buf[i] not in (0x0A, 0x0D):
            buf[i] = 0x20


def _match_paren(text: bytes, open_at: int) -> int:
    """Index just past the parenthesis closing the one at open_at, or -1."""
    depth = 0
    i = open_at
    n = len(text)
    while i < n:
        c = text[i]
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == 0x3B or c == 0x7B:  # ';' or '{': argument lists hold neither
            return -1
        i += 1
    return -1


_DIRECTIVE_START = re.compile(rb"^[ \t\r\x0b\x0c]*#", re.M)


def _directive_lines(text: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, logical text) of each preprocessor line, continuations joined."""
    out = []
    resume = 0  # continuation lines of a directive start no directive
    n = len(text)
    for m in _DIRECTIVE_START.finditer(text):
        start = m.start()
        if start < resume:
            continue
        end = text.find(b"\n", start)
        end = n if end == -1 else end
        logical = text[start:end]
        while logical.endswith(b"\\") and end < n:
            nxt = text.find(b"\n", end + 1)
            nxt = n if nxt == -1 else nxt
            logical = logical[:-1] + text[end + 1 : nxt]
            end = nxt
        out.append((start, end, logical))
        resume = end + 1
    return out


def _strip_conditionals(
    buf: bytearray,
    directives: list[tuple[int, int, bytes]],
    defined: frozenset[str],
    flip: Flip | None = None,
    every_branch: bool = False,
) -> list[Alternative]:
    """Keep one branch of each #if group and blank the directives and other branches.

    The first branch is kept (it is the one most drivers are read with and
    the one that keeps braces balanced), except where it is known false:
    after `#if 0`, and after `#ifndef X` / `#if !defined(X)` of a macro known
    to be defined (by the build, `defined`, or by a `#define` above in the
    file; `#ifdef X` of one `#undef`ed above is false too).  Blanking the
    directives themselves matters: tree-sitter otherwise builds preproc_if
    nodes that split statements.

    `flip`: read the file in another configuration (see `Alternative`).
    Returned: the branches that may hold but were not kept.
    `every_branch`: blank the directives only, for a reader that takes the
    texts of whichever branches a real preprocessor chose (the clang frontend).
    """
    flip = flip or Flip()
    known = {name: True for name in defined}  # macro -> defined (True) or #undef'ed
    known.update(flip.macros)
    stack: list[_Group] = []
    active = True
    region_start: int | None = None  # start of a blanked region
    alternatives: list[Alternative] = []

    def close_region(at: int) -> None:
        nonlocal region_start
        if region_start is not None:
            _blank(buf, region_start, at)
            region_start = None

    for start, end, logical in directives:
        m = _CONDITIONAL_RE.match(logical)
        if not m:
            if not active:
                continue  # already inside a blanked region
            d = _DEFINE_RE.match(logical)
            if d is not None:
                name = d.group(2).decode()
                if name not in flip.macros:  # (the configuration read holds)
                    known[name] = d.group(1) == b"define"
                continue
            if logical.lstrip().startswith((b"#include", b"#pragma")):
                continue
            _blank(buf, start, end)  # #error, #warning, stray '#'
            continue
        kind = m.group(1).decode()
        rest = m.group(2).strip()
        if kind in ("if", "ifdef", "ifndef"):
            group = _Group(start, active, _macro_test(kind, rest))
            group.open_branch(end + 1, _may_hold(kind, rest, known), flip)
            stack.append(group)
        elif kind in ("elif", "else") and stack:
            group = stack[-1]
            group.close_branch(start)
            holds = kind == "else" or _may_hold("if", rest, known)
            group.open_branch(end + 1, holds, flip)
        elif kind == "endif" and stack:
            group = stack.pop()
            group.close_branch(start)
            alternatives.extend(group.alternatives())
        was_active = active
        active = every_branch or all(group.keeping for group in stack)
        if was_active and not active:
            region_start = start
        elif not was_active and active:
            close_region(end)
        if active or region_start is None:
            _blank(buf, start, end)
    if region_start is not None:
        close_region(len(buf))
    return alternatives


@dataclass(frozen=True)
class Alternative:
    """A branch of an #if group that the file is not read with, though it may
    be compiled: `#ifdef NOT_DONE .. #else return -1; #endif` is read with
    its first branch; a second reading (`prepare(.., flip=)`) takes this one.

    `macro`: when the group asks only whether one macro is defined
    (`#ifdef NOT_DONE`), the macro and the answer that selects this branch:
    that reading takes every group of the file in that configuration (the
    `#ifdef NOT_DONE` around the allocation above as well), not this one
    alone."""

    group: int  # offset of the group's `#if`
    index: int  # the branch's place in the group (0: the `#if` branch)
    start: int  # offset of the branch's first line
    end: int  # offset of the directive that ends it
    macro: tuple[str, bool] | None = None  # (macro, defined) selecting the branch


@dataclass
class Flip:
    """Another configuration to read a file in: macros taken as defined or
    not, and groups (offset of the `#if`) read with another branch."""

    macros: dict[str, bool] = field(default_factory=dict)
    groups: dict[int, int] = field(default_factory=dict)

    @staticmethod
    def readings(alternatives: list) -> list[Flip]:
        """Configurations that together take each of `alternatives`
        (`Alternative`s, or anything with their `group`, `index` and
        `macro`): one, unless two of them need a macro with both answers
        (`#ifndef X .. #else` here, `#ifdef X .. #else` there), or one sits
        in a branch the other's reading leaves out (an `#else` inside the
        first branch of a group whose `#else` is read), or both are of one
        `#elif` chain; then one more for each clash."""
        flips: list[Flip] = []
        taken: list[list] = []  # per reading, the alternatives it takes
        for alt in alternatives:
            for flip, others in zip(flips, taken, strict=True):
                if (
                    alt.macro is None or flip.macros.get(alt.macro[0], alt.macro[1]) == alt.macro[1]
                ) and not any(_clash(alt, other) for other in others):
                    break
            else:
                flip, others = Flip(), []
                flips.append(flip)
                taken.append(others)
            others.append(alt)
            if alt.macro is not None:
                flip.macros[alt.macro[0]] = alt.macro[1]
            else:
                flip.groups[alt.group] = alt.index
        return flips


def _clash(a, b) -> bool:
    """Can no one reading take both? Two branches of one group (an `#elif`
    chain), or one inside the branches before the other's, which the
    other's reading leaves out."""
    return a.group == b.group or b.group < a.group < b.start or a.group < b.group < a.start


@dataclass
class _Branch:
    start: int  # offset of its first line
    holds: bool  # may its condition hold?
    end: int = -1  # offset of the directive that ends it


class _Group:
    """One #if group while `_strip_conditionals` walks it."""

    def __init__(self, start: int, parent_active: bool, test: tuple[str, bool] | None) -> None:
        self.start = start
        self.parent_active = parent_active
        self.test = test  # (macro, negated) when the `#if` asks only that
        self.branches: list[_Branch] = []
        self.kept: int | None = None  # index of the branch kept
        self.keeping = False  # is the current branch kept?

    def open_branch(self, at: int, holds: bool, flip: Flip) -> None:
        """Start a branch, and keep it? The first that may hold, or the one
        `flip` names for this group."""
        self.branches.append(_Branch(at, holds))
        index = len(self.branches) - 1
        wanted = flip.groups.get(self.start)
        if wanted is not None:
            self.keeping = self.parent_active and index == wanted
        else:
            self.keeping = self.parent_active and self.kept is None and holds
        if self.keeping:
            self.kept = index

    def close_branch(self, at: int) -> None:
        self.branches[-1].end = at

    def alternatives(self) -> list[Alternative]:
        """The branches that may hold other than the one kept (each `#elif`
        of a chain, the `#else`)."""
        if not self.parent_active:
            return []
        out = []
        for index, branch in enumerate(self.branches):
            if not branch.holds or index == self.kept:
                continue
            macro = None
            if self.test is not None and len(self.branches) == 2 and self.kept == 0:
                # `#ifdef X .. #else`: the #else branch is X undefined
                macro = (self.test[0], self.test[1])
            out.append(Alternative(self.start, index, branch.start, branch.end, macro))
        return out


_DEFINE_RE = re.compile(rb"^[ \t]*#[ \t]*(define|undef)[ \t]+([A-Za-z_]\w*)")
_DEFINED_RE = re.compile(
    rb"^(!?)\s*(?:defined|IS_ENABLED|IS_BUILTIN|IS_REACHABLE)"
    rb"\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|\s([A-Za-z_]\w*))$"
)


def _may_hold(kind: str, rest: bytes, known: dict[str, bool]) -> bool:
    """False only for a condition known to be false (see _strip_conditionals)."""
    if kind == "if" and rest.split(b"/*")[0].split(b"//")[0].strip() in (b"0", b"(0)"):
        return False
    test = _macro_test(kind, rest)
    if test is None:
        return True
    name, negated = test
    state = known.get(name)
    return state is None or state != negated


def _macro_test(kind: str, rest: bytes) -> tuple[str, bool] | None:
    """(macro, negated) of a condition that only asks whether one macro is
    defined or enabled: `#ifdef X`, `#ifndef X`, `#if !defined(X)`,
    `#if IS_ENABLED(CONFIG_X)`; None for any other condition."""
    rest = rest.split(b"/*")[0].split(b"//")[0].strip()
    if kind != "if":
        return rest.decode("latin-1"), kind == "ifndef"
    m = _DEFINED_RE.match(rest)
    if m is None:
        return None
    return (m.group(2) or m.group(3)).decode(), m.group(1) == b"!"


def _blank_annotations(buf: bytearray, text: bytes, skip: list[tuple[int, int]]) -> None:
    """Blank every annotation word, and every annotation call with its arguments.

    One pass over the words that could be annotations (all begin with `__`
    or one of three other prefixes), each looked up in a set: the same
    matches as one alternation of every name, at a fraction of the cost.
    """
    starts = [s for s, _ in skip]
    decoded = text.decode("latin-1")
    for m in _ANNOTATION_WORD.finditer(decoded):
        before = decoded[m.start() - 1] if m.start() else " "
        if before.isalnum() or before == "_":  # (= re's \w: inside a word)
            continue
        word = m.group()
        is_word = word in _WORD_SET
        if not is_word and word not in _CALL_SET:
            continue
        opens = _OPEN_PAREN.match(decoded, m.end()) is not None
        if is_word == opens:  # a word annotation used as a call, or a call name alone
            continue
        start = m.start()
        if _inside(skip, start, starts):
            continue
        if is_word:
            _blank(buf, start, m.end())
            continue
        paren = text.index(b"(", start)
        end = _match_paren(text, paren)
        if end == -1 and word.startswith("__attribute"):
            end = _match_paren_loose(text, paren)
        if end != -1:
            _blank(buf, start, end)


def _match_paren_loose(text: bytes, open_at: int) -> int:
    depth = 0
    for i in range(open_at, min(len(text), open_at + 4000)):
        if text[i] == 0x28:
            depth += 1
        elif text[i] == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _inside(ranges: list[tuple[int, int]], pos: int, starts: list[int]) -> bool:
    """Is pos in one of the sorted, disjoint ranges? (`starts`: their start offsets)."""
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and pos < ranges[k][1]


def _rewrite_iterators(buf: bytearray, text: bytes, skip: list[tuple[int, int]]) -> dict[int, str]:
    """`list_for_each_entry(pos, head, member) {` -> `while              (pos, ...) {`.

    A comma expression in a while condition is valid C, so the loop body
    parses as a loop body; a use that ends in `;` or sits inside an
    expression is a call and stays one.  `scoped_guard(...)` becomes `if`,
    since its body runs once.  Returns the macro each rewritten keyword
    (`while` or `if`) was, by offset.
    """
    rewritten: dict[int, str] = {}
    if not any(hint in text for hint in _ITERATOR_HINTS):
        return rewritten
    starts = [s for s, _ in skip]
    for m in _iterator_matches(text.decode("latin-1")):
        start = m.start("name")
        if _inside(skip, start, starts):
            continue
        end = _match_paren(text, m.end() - 1)
        if end == -1:
            continue
        j = end
        while j < len(text) and text[j] in b" \t\r\n\\":
            j += 1
        if j >= len(text) or text[j] in b";),]}=?:&|+-*/<>.":
            continue
        # Only at statement start: the previous significant byte ends a statement.
        k = _previous_significant(text, start)
        if k >= 0 and text[k] not in b";{}):":
            continue
        keyword = b"if" if m.group("name").startswith("scoped") else b"while"
        name_len = m.end("name") - start
        if name_len < len(keyword):
            continue
        buf[start : start + name_len] = keyword + b" " * (name_len - len(keyword))
        rewritten[start] = m.group("name")
    return rewritten


def _iterator_matches(s: str) -> Iterator[re.Match[str]]:
    """`_ITERATOR_RE.finditer(s)`, tried only at the words holding a hint.

    Every match starts at the start of a word holding `for_each`,
    `_foreach` or `scoped_` and ends at its `(`, so trying the pattern at
    each such word, left to right, finds the same matches as a scan from
    every offset (which backtracked through each word of the file).
    """
    tried = -1
    for hit in _ITERATOR_HIT.finditer(s):
        start = hit.start()
        while start > 0 and (s[start - 1].isalnum() or s[start - 1] == "_"):  # = re's \w
            start -= 1
        if start <= tried:
            continue  # a word already tried (two hints in one word)
        tried = start
        m = _ITERATOR_RE.match(s, start)
        if m is not None:
            yield m


def _previous_significant(text: bytes, pos: int) -> int:
    """Index of the last byte before pos that is not blank or inside a comment."""
    k = pos - 1
    while k >= 0:
        c = text[k]
        if c in b" \t\r\n":
            if c == 0x0A:
                # A `//` comment ends the previous line: continue before it.
                line_start = text.rfind(b"\n", 0, k) + 1
                cut = text.find(b"//", line_start, k)
                if cut != -1:
                    k = cut
            k -= 1
        elif c == 0x2F and k > 0 and text[k - 1] == 0x2A:  # end of a /* comment */
            opening = text.rfind(b"/*", 0, k - 1)
            if opening == -1:
                return k
            k = opening - 1
        else:
            return k
    return k


def prepare(
    text: bytes,
    defined: frozenset[str] = frozenset(),
    flip: Flip | None = None,
    every_branch: bool = False,
) -> Prepared:
    """Rewrite kernel C so that tree-sitter-c parses it; same length, same lines.

    `defined`: macros the build defines for this file (see kbuild.defines_for).
    `flip`: another configuration to read the file in (see `Alternative`).
    `every_branch`: keep the text of every branch (see _strip_conditionals).
    """
    buf = bytearray(text)
    directives = _directive_lines(text)
    alternatives = _strip_conditionals(buf, directives, defined, flip, every_branch)
    stage = bytes(buf)
    # Defines keep their text; macros inside them must not be rewritten.
    skip = [(s, e) for s, e, logical in directives if logical.lstrip().startswith(b"#")]
    cleanups: dict[tuple[int, str], str] = {}
    # The pattern is slow on every word of a file; most files have no `__free`.
    for m in _FREE_RE.finditer(stage.decode("latin-1") if _FREE_CALL.search(stage) else ""):
        line = stage.count(b"\n", 0, m.start("var")) + 1
        cleanups[(line, m.group("var"))] = m.group("fn")
    _blank_annotations(buf, stage, skip)
    stage = bytes(buf)
    iterators = _rewrite_iterators(buf, stage, skip)
    return Prepared(bytes(buf), cleanups, iterators, alternatives)
