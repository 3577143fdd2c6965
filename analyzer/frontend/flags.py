"""Where the precise frontend's compiler flags come from.

In this order (issue 8, README "Precise mode"):

1. `--compile-commands FILE`, or a `compile_commands.json` at the root of
   the tree being checked (what `scripts/clang-tools/gen_compile_commands.py`
   writes after a kernel build): the file's own command line.
2. `--kernel-tree DIR` on a tree that is configured and prepared
   (`make defconfig`/`allmodconfig`, then `make prepare`) but not built:
   the kbuild flags are derived here, the way the top-level Makefile
   composes them.

Everything here is picklable data, so worker processes resolve flags
themselves; a compilation database is read once per process.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass, field

DB_NAME = "compile_commands.json"


class FlagsError(ValueError):
    """Flags were asked for and cannot be had: a usage error (exit 2)."""


@dataclass(frozen=True)
class KernelTree:
    """A configured and prepared kernel tree (srctree and, for O= builds, objtree)."""

    srctree: str
    objtree: str
    srcarch: str
    triple: str
    defines: tuple[str, ...] = ()  # what the Makefiles add from the configuration
    enabled: frozenset[str] = frozenset()  # CONFIG_ options set to y or m


@dataclass(frozen=True)
class FlagSource:
    """One way to get compiler flags for a file; exactly one of the fields is used."""

    compile_commands: str | None = None  # path of a compile_commands.json
    kernel: KernelTree | None = None
    args: tuple[str, ...] = ()  # fixed flags for every file (tests, custom setups)

    def describe(self) -> str:
        if self.compile_commands:
            return self.compile_commands
        if self.kernel:
            return f"kernel tree {self.kernel.objtree}"
        return "fixed flags"


@dataclass(frozen=True)
class FrontendChoice:
    """What `--frontend` resolved to for this run."""

    mode: str = "treesitter"  # "treesitter" or "clang"
    source: FlagSource | None = None
    requested: str = "auto"  # what the user asked for: auto | treesitter | clang
    notes: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------- compile_commands.json

_KEEP_WITH_VALUE = {"-I", "-isystem", "-include", "-iquote", "-idirafter", "-D", "-U", "-imacros"}
_KEEP_PREFIX = ("-I", "-D", "-U", "-std=", "--target=", "-isystem", "-iquote", "-idirafter")
_KEEP_EXACT = {"-nostdinc", "-m32", "-m64", "-fshort-wchar", "-funsigned-char", "-fsigned-char"}
_PATH_OPTIONS = {"-I", "-isystem", "-include", "-iquote", "-idirafter", "-imacros"}

_db_cache: dict[str, dict[str, list[str]]] = {}


def load_database(path: str) -> dict[str, list[str]]:
    """Absolute source path -> the clang flags of its compile command."""
    path = os.path.abspath(path)
    cached = _db_cache.get(path)
    if cached is not None:
        return cached
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)
    except FileNotFoundError as exc:
        raise FlagsError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise FlagsError(f"{path}: permission denied") from exc
    except (OSError, ValueError) as exc:
        raise FlagsError(f"{path}: not a readable compile_commands.json ({exc})") from exc
    if not isinstance(entries, list):
        raise FlagsError(f"{path}: not a compile_commands.json (expected a JSON list)")
    out: dict[str, list[str]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or "file" not in entry:
            continue
        directory = str(entry.get("directory", os.path.dirname(path)))
        file = os.path.normpath(os.path.join(directory, str(entry["file"])))
        if "arguments" in entry and isinstance(entry["arguments"], list):
            argv = [str(a) for a in entry["arguments"]]
        else:
            try:
                argv = shlex.split(str(entry.get("command", "")))
            except ValueError:
                continue
        out[file] = clang_args(argv, directory)
    _db_cache[path] = out
    return out


def clang_args(argv: list[str], directory: str) -> list[str]:
    """The flags of a compiler command line that matter to parsing, paths made absolute.

    A kernel built with gcc passes many options clang does not know; only
    preprocessor, language and target options are kept.
    """
    out: list[str] = []
    i = 1  # argv[0] is the compiler
    while i < len(argv):
        a = argv[i]
        if a in _KEEP_WITH_VALUE and i + 1 < len(argv):
            value = argv[i + 1]
            if a in _PATH_OPTIONS:
                value = os.path.normpath(os.path.join(directory, value))
            out += [a, value]
            i += 2
            continue
        if a in _KEEP_EXACT:
            out.append(a)
        elif a.startswith(_KEEP_PREFIX):
            for opt in ("-isystem", "-iquote", "-idirafter", "-I"):
                if a.startswith(opt) and len(a) > len(opt):
                    a = opt + os.path.normpath(os.path.join(directory, a[len(opt) :]))
                    break
            out.append(a)
        i += 1
    return out


def find_database(path: str) -> str | None:
    """The compile_commands.json at the root of the tree holding path, if any."""
    d = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    while True:
        candidate = os.path.join(d, DB_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


# ---------------------------------------------------------------- a prepared kernel tree

_TRIPLES = {
    ("x86", True): "x86_64-linux-gnu",
    ("x86", False): "i386-linux-gnu",
    ("arm64", True): "aarch64-linux-gnu",
    ("arm", False): "arm-linux-gnueabi",
    ("riscv", True): "riscv64-linux-gnu",
    ("riscv", False): "riscv32-linux-gnu",
    ("powerpc", True): "powerpc64le-linux-gnu",
    ("powerpc", False): "powerpc-linux-gnu",
    ("s390", True): "s390x-linux-gnu",
    ("mips", True): "mips64el-linux-gnuabi64",
    ("mips", False): "mipsel-linux-gnu",
    ("loongarch", True): "loongarch64-linux-gnu",
}


def kernel_tree(directory: str) -> KernelTree:
    """Check that directory is a configured, prepared kernel tree (or O= build dir)."""
    objtree = os.path.abspath(directory)
    if not os.path.isdir(objtree):
        raise FlagsError(f"{directory}: no such directory")
    srctree = objtree
    source_link = os.path.join(objtree, "source")
    if not os.path.isfile(os.path.join(objtree, "include/linux/kconfig.h")) and os.path.isdir(
        source_link
    ):
        srctree = os.path.realpath(source_link)  # an out-of-tree (O=) build directory
    if not os.path.isfile(os.path.join(srctree, "include/linux/kconfig.h")):
        raise FlagsError(f"{directory}: not a kernel tree (no include/linux/kconfig.h)")
    config = os.path.join(objtree, ".config")
    if not os.path.isfile(config):
        raise FlagsError(
            f"{directory}: kernel tree is not configured (no .config): run `make defconfig` "
            "(or allmodconfig) and `make prepare` there, or pass the O= build directory"
        )
    srcarch, options = _read_config(config)
    is64 = options.get("CONFIG_64BIT") == "y"
    needed = ["include/generated/autoconf.h", f"arch/{srcarch}/include/generated"]
    missing = [n for n in needed if not os.path.exists(os.path.join(objtree, n))]
    if missing:
        raise FlagsError(
            f"{directory}: kernel tree is not prepared (no {missing[0]}): run `make prepare` there"
        )
    triple = _TRIPLES.get((srcarch, is64)) or _TRIPLES.get((srcarch, not is64), "")
    defines = []
    if options.get("CONFIG_FUNCTION_TRACER") == "y" and options.get("CONFIG_HAVE_FENTRY") == "y":
        defines.append("-DCC_USING_FENTRY")  # the top-level Makefile, with -mfentry
    enabled = frozenset(k for k, v in options.items() if v in ("y", "m"))
    return KernelTree(srctree, objtree, srcarch, triple, tuple(defines), enabled)


def _read_config(config: str) -> tuple[str, dict[str, str]]:
    """The architecture a .config was made for, and its options."""
    srcarch = ""
    options: dict[str, str] = {}
    try:
        with open(config, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("# Linux/") and not srcarch:
                    srcarch = line[len("# Linux/") :].split()[0]
                elif line.startswith("CONFIG_") and "=" in line:
                    key, _, value = line.strip().partition("=")
                    options[key] = value
    except OSError as exc:
        raise FlagsError(f"{config}: {exc.strerror or exc}") from exc
    if not srcarch:
        raise FlagsError(f"{config}: cannot tell the architecture (no `# Linux/ARCH` line)")
    return srcarch, options


def kbuild_args(tree: KernelTree, path: str) -> list[str]:
    """The flags kbuild would pass for a driver file, as in the top-level Makefile."""
    src, obj, arch = tree.srctree, tree.objtree, tree.srcarch
    name = os.path.splitext(os.path.basename(path))[0].replace("-", "_")
    here = os.path.dirname(os.path.abspath(path))
    modfile = os.path.splitext(os.path.relpath(os.path.abspath(path), src))[0]
    if modfile.startswith(".."):
        modfile = os.path.splitext(os.path.basename(path))[0]
    args = [
        "-nostdinc",
        f"-I{src}/arch/{arch}/include",
        f"-I{obj}/arch/{arch}/include/generated",
        f"-I{src}/include",
        f"-I{obj}/include",
        f"-I{src}/arch/{arch}/include/uapi",
        f"-I{obj}/arch/{arch}/include/generated/uapi",
        f"-I{src}/include/uapi",
        f"-I{obj}/include/generated/uapi",
        "-include",
        f"{src}/include/linux/kconfig.h",
        "-include",
        f"{src}/include/linux/compiler_types.h",
        f"-I{here}",
        "-D__KERNEL__",
        "-std=gnu11",
        "-fshort-wchar",
        f'-DKBUILD_MODNAME="{name}"',
        f'-DKBUILD_BASENAME="{name}"',
        f"-D__KBUILD_MODNAME=kmod_{name}",
        f'-DKBUILD_MODFILE="{modfile}"',
        *tree.defines,
        *makefile_args(tree, path),
    ]
    if tree.triple:
        args.append(f"--target={tree.triple}")
    return args


_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.$()\-]+)\s*(?::=|\+=|\?=|=)\s*(.*)$")
_COND = re.compile(r"^(?:subdir-)?ccflags-\$\((CONFIG_\w+)\)$")


def makefile_args(tree: KernelTree, path: str) -> list[str]:
    """-I/-D/-include flags a driver's kbuild Makefiles add (ccflags-y, CFLAGS_foo.o,
    subdir-ccflags-y of the directories above), with make variables expanded as
    kbuild does from the tree root: $(srctree), $(src), $(obj) and plain
    `NAME := value` definitions of the same Makefiles."""
    here = os.path.dirname(os.path.abspath(path))
    root = tree.srctree
    rel = os.path.relpath(here, root)
    if rel.startswith(".."):
        # A copy of the tree (a patched checkout): its own Makefiles, the same configuration.
        root = _tree_root(here)
        if root is None:
            return []
        rel = os.path.relpath(here, root)
    obj_name = os.path.splitext(os.path.basename(path))[0] + ".o"
    parts = [] if rel == "." else rel.split(os.sep)
    chain = []  # (directory, owns the object, assignments), the tree root first
    for depth in range(len(parts) + 1):
        d = os.path.join(root, *parts[:depth])
        text, assignments = _makefile_assignments(d)
        below = "/".join(parts[depth:] + [obj_name])
        # A Makefile owns the object when it lists it ("core/foo.o") or pulls in the
        # Kbuild files of its subdirectories (`include $(src)/nvkm/Kbuild`).
        own = depth == len(parts) or below in text or "include $(src)/" in text
        chain.append((d, own, assignments))
    variables: dict[str, str] = {}
    out: list[str] = []
    for d, own, assignments in chain:
        sub_rel = os.path.relpath(d, root)
        builtin = {"srctree": root, "objtree": tree.objtree, "src": sub_rel, "obj": sub_rel}
        for name, value in assignments:
            if _VARNAME.fullmatch(name) and not name.startswith(("ccflags", "subdir", "CFLAGS")):
                variables.setdefault(name, value)
                continue
            cond = _COND.match(name)
            wanted = name.startswith("subdir-ccflags-") or (
                own
                and (name.startswith("ccflags-") or name in (f"CFLAGS_{obj_name}", "EXTRA_CFLAGS"))
            )
            if not wanted:
                continue
            if cond and cond.group(1) not in tree.enabled:
                continue
            if not cond and not name.endswith(("-y", obj_name, "EXTRA_CFLAGS")):
                continue
            value = _expand(value, {**variables, **builtin})
            out.extend(_preprocessor_words(value.split(), root))
    return out


_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def _expand(value: str, variables: dict[str, str], depth: int = 0) -> str:
    if depth > 8 or "$(" not in value:
        return value
    expanded = _REF.sub(lambda m: variables.get(m.group(1), m.group(0)), value)
    return expanded if expanded == value else _expand(expanded, variables, depth + 1)


def _tree_root(directory: str) -> str | None:
    d = directory
    while True:
        if os.path.isfile(os.path.join(d, "include/linux/kconfig.h")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _makefile_assignments(directory: str) -> tuple[str, list[tuple[str, str]]]:
    """The kbuild file of a directory and its variable assignments."""
    for name in ("Kbuild", "Makefile"):
        full = os.path.join(directory, name)
        if os.path.isfile(full):
            break
    else:
        return "", []
    try:
        with open(full, encoding="utf-8", errors="replace") as f:
            text = f.read().replace("\\\n", " ")
    except OSError:
        return "", []
    out = []
    for line in text.splitlines():
        m = _ASSIGN.match(line.split("#", 1)[0])
        if m:
            out.append((m.group(1), m.group(2)))
    return text, out


def _preprocessor_words(words: list[str], directory: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("-I", "-include") and i + 1 < len(words):
            if "$(" not in words[i + 1]:
                out += [w, os.path.normpath(os.path.join(directory, words[i + 1]))]
            i += 2
            continue
        if w.startswith("-I") and "$(" not in w:
            out.append("-I" + os.path.normpath(os.path.join(directory, w[2:])))
        elif w.startswith(("-D", "-U")) and "$(" not in w:
            out.append(w)
        i += 1
    return out


# ---------------------------------------------------------------- per file


def flags_for(source: FlagSource, path: str) -> list[str] | None:
    """The clang flags for one file, or None when this source has none for it."""
    if source.args:
        return list(source.args)
    if source.kernel is not None:
        return kbuild_args(source.kernel, path)
    if source.compile_commands:
        db = load_database(source.compile_commands)
        full = os.path.normpath(os.path.abspath(path))
        found = db.get(full) or db.get(os.path.realpath(full))
        if found is not None:
            return found
        # A file this configuration does not build: borrow a neighbour's flags.
        here = os.path.dirname(full)
        for other, args in db.items():
            if os.path.dirname(other) == here:
                return args
        return None
    return None


def resolve(
    frontend: str, compile_commands: str | None, tree: str | None, paths: list[str]
) -> FrontendChoice:
    """Decide the frontend of this run; FlagsError when clang flags are asked for but missing."""
    if frontend == "treesitter":
        return FrontendChoice("treesitter", None, frontend)
    source: FlagSource | None = None
    if compile_commands:
        load_database(compile_commands)  # errors now, once, not per file
        source = FlagSource(compile_commands=os.path.abspath(compile_commands))
    elif tree and os.path.isfile(os.path.join(tree, DB_NAME)):
        source = FlagSource(compile_commands=os.path.abspath(os.path.join(tree, DB_NAME)))
        load_database(source.compile_commands)
    elif tree:
        source = FlagSource(kernel=kernel_tree(tree))
    else:
        found = {find_database(p) for p in paths if os.path.exists(p)} - {None}
        if len(found) == 1:
            db = found.pop()
            try:
                load_database(db)
                source = FlagSource(compile_commands=db)
            except FlagsError:
                if frontend == "clang":
                    raise
    if source is None:
        if frontend == "clang":
            raise FlagsError(
                "--frontend clang needs compiler flags: pass --compile-commands FILE, "
                "--kernel-tree DIR (a configured and prepared tree), or put "
                "compile_commands.json at the root of the checked tree"
            )
        return FrontendChoice("treesitter", None, frontend)
    return FrontendChoice("clang", source, frontend)
