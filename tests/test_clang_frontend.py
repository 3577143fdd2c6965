"""Precise mode: where flags come from, errors, fallback, and what only clang sees."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from analyzer import ir
from analyzer.checker import Options, check_file
from analyzer.cli import main
from analyzer.frontend import clang
from analyzer.frontend.flags import FlagsError, clang_args, kbuild_args, kernel_tree
from analyzer.plugins import discover
from tests.clang_setup import STUB_ARGS, STUBS, clang_choice

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "dml001")
needs_clang = pytest.mark.skipif(clang.available() is not None, reason="libclang not loadable")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _write_db(root, files, args=STUB_ARGS):
    entries = [
        {"directory": str(root), "file": os.path.basename(f), "arguments": ["cc", *args, "-c", f]}
        for f in files
    ]
    (root / "compile_commands.json").write_text(json.dumps(entries))


@needs_clang
def test_compile_commands_at_tree_root_is_used_by_auto(tmp_path, capsys):
    src = tmp_path / "basic.c"
    shutil.copy(os.path.join(FIXTURES, "basic.c"), src)
    _write_db(tmp_path, [str(src)])
    code, out, _ = run(capsys, "check", "--format", "json", str(src))
    precise = json.loads(out)
    code_ts, out_ts, _ = run(
        capsys, "check", "--format", "json", "--frontend", "treesitter", str(src)
    )
    plain = json.loads(out_ts)
    assert code == code_ts == 1
    assert set(precise["summary"]["frontends"]) == {"clang"}
    assert precise["summary"]["fallback"] == []
    assert set(plain["summary"]["frontends"]) == {"treesitter"}
    key = [(f["line"], f["column"], f["message"]) for f in precise["findings"]]
    assert key == [(f["line"], f["column"], f["message"]) for f in plain["findings"]]


@needs_clang
def test_function_the_configuration_leaves_out_falls_back_to_treesitter(tmp_path, capsys):
    src = tmp_path / "drv.c"
    src.write_text(
        "#include <linux/slab.h>\n"
        "int send(void *p);\n"
        "static int always(void)\n{\n\treturn 0;\n}\n"
        "#ifdef CONFIG_FOO_EXTRA\n"
        "static int extra(void)\n{\n"
        "\tchar *b = kzalloc(8, GFP_KERNEL);\n"
        "\tif (!b)\n\t\treturn -ENOMEM;\n"
        "\tif (send(b))\n\t\treturn -EIO;\n"  # line 14: leaks b
        "\tkfree(b);\n\treturn 0;\n}\n"
        "#endif\n"
    )
    _write_db(tmp_path, [str(src)])
    code, out, _ = run(capsys, "check", "--format", "json", "--frontend", "clang", str(src))
    doc = json.loads(out)
    assert code == 1
    assert doc["summary"]["frontends"] == {"clang": 1, "treesitter": 1}
    assert doc["summary"]["fallback"] == [
        {"file": str(src), "function": "extra", "reason": clang.NOT_COMPILED}
    ]
    assert [(f["function"], f["line"]) for f in doc["findings"]] == [("extra", 14)]


@needs_clang
def test_allocator_behind_a_driver_macro_only_clang_sees(tmp_path):
    src = tmp_path / "macro.c"
    src.write_text(
        "#include <linux/slab.h>\n"
        "#define FOO_GET_BUF(n) kmalloc((n) + 4, GFP_KERNEL)\n"
        "int send(void *p);\n"
        "static int xfer(int n)\n{\n"
        "\tvoid *b = FOO_GET_BUF(n);\n"
        "\tif (unlikely(!b))\n\t\treturn -ENOMEM;\n"
        "\tif (send(b))\n\t\treturn -EIO;\n"  # line 10
        "\tkfree(b);\n\treturn 0;\n}\n"
    )
    rules = list(discover()[0].values())
    precise = check_file(str(src), Options(rules, frontend=clang_choice()))
    plain = check_file(str(src), Options(rules))
    assert [f.line for f in precise.findings] == [10]
    assert "kmalloc() at line 6" in precise.findings[0].message
    assert plain.findings == []


@needs_clang
def test_macro_argument_keeps_its_own_line(tmp_path):
    src = tmp_path / "lines.c"
    src.write_text(
        "#include <linux/slab.h>\n"
        "#define CHECKED(x) (x)\n"
        "static int f(void)\n{\n\tchar *b;\n"
        "\tb = CHECKED(\n\t\tkzalloc(4, GFP_KERNEL));\n"  # kzalloc on line 7
        "\tif (!b)\n\t\treturn -ENOMEM;\n\treturn 0;\n}\n"
    )
    unit = clang.parse(str(src), src.read_bytes(), list(STUB_ARGS)).unit
    calls = [
        e
        for node in unit.functions[0].nodes
        if node.expr is not None
        for e in ir.walk(node.expr)
        if getattr(e, "func", None) == "kzalloc"
    ]
    assert [(c.span.line, c.span.col, c.text) for c in calls] == [(7, 3, "kzalloc(4, GFP_KERNEL)")]


def test_clang_without_flags_is_a_usage_error(tmp_path, capsys):
    src = tmp_path / "a.c"
    src.write_text("int f(void) { return 0; }\n")
    code, out, err = run(capsys, "check", "--frontend", "clang", str(src))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "--compile-commands" in err and "--kernel-tree" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content, needle",
    [(None, "no such file"), ("{not json", "not a readable"), ('{"a": 1}', "expected a JSON list")],
)
def test_bad_compile_commands_exit_2(tmp_path, capsys, content, needle):
    db = tmp_path / "cc.json"
    if content is not None:
        db.write_text(content)
    src = tmp_path / "a.c"
    src.write_text("int f(void) { return 0; }\n")
    code, _, err = run(capsys, "check", "--compile-commands", str(db), str(src))
    assert code == 2
    assert needle in err and err.startswith("devmlint: error: ")


def _fake_tree(root, prepared=True, configured=True):
    """A kernel tree skeleton: the stub headers as include/, a .config, generated dirs."""
    shutil.copytree(STUBS, root / "include")
    (root / "include/linux/kconfig.h").write_text("#include <generated/autoconf.h>\n")
    (root / "include/linux/compiler_types.h").write_text("#define __kernel_tree_stub 1\n")
    (root / "Makefile").write_text("# kernel\n")
    if configured:
        (root / ".config").write_text(
            "#\n# Linux/x86 6.1.0 Kernel Configuration\n#\nCONFIG_64BIT=y\n"
        )
    if prepared:
        (root / "include/generated").mkdir()
        (root / "include/generated/autoconf.h").write_text("#define CONFIG_64BIT 1\n")
        (root / "arch/x86/include/generated/asm").mkdir(parents=True)
    return root


def test_kernel_tree_flags_follow_kbuild(tmp_path):
    tree = kernel_tree(str(_fake_tree(tmp_path)))
    args = kbuild_args(tree, str(tmp_path / "drivers/foo/foo-bar.c"))
    inc = str(tmp_path)
    for needed in (
        f"-I{inc}/arch/x86/include",
        f"-I{inc}/arch/x86/include/generated",
        f"-I{inc}/include",
        f"-I{inc}/arch/x86/include/uapi",
        f"-I{inc}/arch/x86/include/generated/uapi",
        f"-I{inc}/include/uapi",
        f"-I{inc}/include/generated/uapi",
        "-D__KERNEL__",
        '-DKBUILD_MODNAME="foo_bar"',
        '-DKBUILD_MODFILE="drivers/foo/foo-bar"',
        "--target=x86_64-linux-gnu",
    ):
        assert needed in args
    pairs = list(zip(args, args[1:], strict=False))
    assert ("-include", f"{inc}/include/linux/kconfig.h") in pairs
    assert ("-include", f"{inc}/include/linux/compiler_types.h") in pairs


@pytest.mark.parametrize(
    "prepared, configured, needle",
    [(False, True, "not prepared"), (False, False, "not configured")],
)
def test_unprepared_kernel_tree_exit_2(tmp_path, capsys, prepared, configured, needle):
    _fake_tree(tmp_path / "k", prepared=prepared, configured=configured)
    src = tmp_path / "a.c"
    src.write_text("int f(void) { return 0; }\n")
    with pytest.raises(FlagsError):
        kernel_tree(str(tmp_path / "k"))
    code, out, err = run(capsys, "check", "--kernel-tree", str(tmp_path / "k"), str(src))
    assert code == 2 and out == ""
    assert needle in err and "make" in err


def test_not_a_kernel_tree_exit_2(tmp_path, capsys):
    src = tmp_path / "a.c"
    src.write_text("int f(void) { return 0; }\n")
    code, _, err = run(capsys, "check", "--kernel-tree", str(tmp_path), str(src))
    assert code == 2
    assert "not a kernel tree" in err


@needs_clang
def test_kernel_tree_end_to_end(tmp_path, capsys):
    root = _fake_tree(tmp_path / "linux")
    (root / "drivers").mkdir()
    src = root / "drivers/gotos.c"
    shutil.copy(os.path.join(FIXTURES, "gotos.c"), src)
    code, out, _ = run(capsys, "check", "--format", "json", "--kernel-tree", str(root), str(src))
    precise = json.loads(out)
    _, out_ts, _ = run(capsys, "check", "--format", "json", "--frontend", "treesitter", str(src))
    assert code == 1
    assert set(precise["summary"]["frontends"]) == {"clang"}
    lines = [(f["line"], f["message"]) for f in precise["findings"]]
    assert lines == [(f["line"], f["message"]) for f in json.loads(out_ts)["findings"]]


def test_compile_command_flags_clang_does_not_need_are_dropped(tmp_path):
    argv = [
        "gcc",
        "-Wp,-MMD,drivers/foo/.foo.o.d",
        "-nostdinc",
        "-I./arch/x86/include",
        "-I",
        "include",
        "-include",
        "./include/linux/kconfig.h",
        "-D__KERNEL__",
        '-DKBUILD_MODNAME="foo"',
        "-mpreferred-stack-boundary=3",
        "-fconserve-stack",
        "-std=gnu11",
        "-c",
        "-o",
        "drivers/foo/foo.o",
        "drivers/foo/foo.c",
    ]
    got = clang_args(argv, str(tmp_path))
    assert got == [
        "-nostdinc",
        f"-I{tmp_path}/arch/x86/include",
        "-I",
        f"{tmp_path}/include",
        "-include",
        f"{tmp_path}/include/linux/kconfig.h",
        "-D__KERNEL__",
        '-DKBUILD_MODNAME="foo"',
        "-std=gnu11",
    ]


def test_kbuild_makefile_flags_of_the_driver_are_added(tmp_path):
    root = _fake_tree(tmp_path)
    drv = root / "drivers/foo"
    (drv / "core").mkdir(parents=True)
    (drv / "Makefile").write_text(
        "obj-$(CONFIG_FOO) += foo.o\nfoo-y := core/main.o\n"
        "ccflags-y += -I$(srctree)/$(src)/include -DFOO_LEVEL=2\n"
        "ccflags-$(CONFIG_FOO_DEBUG) += -DDEBUG\n"
        "FOO_PATH ?= $(srctree)/$(src)\n"
        "ccflags-y += -I $(FOO_PATH)/regs -I$(UNKNOWN_PATH)/x\n"
    )
    (root / "drivers/Makefile").write_text("subdir-ccflags-y += -I$(srctree)/drivers/common\n")
    args = kbuild_args(kernel_tree(str(root)), str(drv / "core/main.c"))
    assert f"-I{drv}/include" in args
    assert "-DFOO_LEVEL=2" in args
    assert f"-I{root}/drivers/common" in args
    assert "-DDEBUG" not in args  # CONFIG_FOO_DEBUG is not set in this .config
    assert ("-I", f"{drv}/regs") in list(zip(args, args[1:], strict=False))
    assert not any("$(" in a for a in args)  # what cannot be expanded is left out


HELPER_H = """\
#include <linux/slab.h>
struct foo {
	char *buf;
	int len;
};
static inline struct foo *foo_create(int len)
{
	struct foo *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (f)
		f->len = len;
	return f;
}
static inline void foo_destroy(struct foo *f)
{
	kfree(f->buf);
	kfree(f);
}
"""

HELPER_C = """\
#include "foo_helpers.h"
int foo_hw_init(struct foo *f);
static int foo_setup(int len)
{
	struct foo *f = foo_create(len);

	if (!f)
		return -ENOMEM;
	if (foo_hw_init(f))
		return -EIO;
	foo_destroy(f);
	return 0;
}
static int foo_setup_ok(int len)
{
	struct foo *f = foo_create(len);
	int ret;

	if (!f)
		return -ENOMEM;
	ret = foo_hw_init(f);
	foo_destroy(f);
	return ret;
}
"""


@needs_clang
def test_inline_helpers_in_a_header_are_summarised_not_reported(tmp_path):
    (tmp_path / "foo_helpers.h").write_text(HELPER_H)
    src = tmp_path / "foo.c"
    src.write_text(HELPER_C)
    rules = list(discover()[0].values())
    precise = check_file(str(src), Options(rules, frontend=clang_choice()))
    plain = check_file(str(src), Options(rules))
    assert [(f.function, f.line) for f in precise.findings] == [("foo_setup", 10)]
    assert all(f.file == str(src) for f in precise.findings)
    assert precise.functions == 2 and set(precise.frontends) == {"foo_setup", "foo_setup_ok"}
    assert plain.findings == []  # default mode does not read the header


TABLE_C = """\
#include <linux/slab.h>
struct foo;
struct foo_ops {
	int (*start)(struct foo *f);
	void (*release)(struct foo *f);
};
struct foo {
	char *buf;
	const struct foo_ops *ops;
};
static void foo_release(struct foo *f)
{
	kfree(f->buf);
	kfree(f);
}
static int foo_start(struct foo *f)
{
	return f->buf ? 0 : -EINVAL;
}
static const struct foo_ops foo_default_ops = {
	.start = foo_start,
	.release = foo_release,
};
static int foo_run(const struct foo_ops *ops)
{
	struct foo *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->ops = ops;
	if (ops->start(f)) {
		ops->release(f);
		return -EIO;
	}
	ops->release(f);
	return 0;
}
"""


@needs_clang
def test_call_through_the_files_ops_table_reaches_its_function(tmp_path):
    src = tmp_path / "ops.c"
    src.write_text(TABLE_C)
    unit = clang.parse(str(src), TABLE_C.encode(), list(STUB_ARGS)).unit
    run_fn = next(fn for fn in unit.functions if fn.name == "foo_run")
    assert {"foo_start", "foo_release"} <= run_fn.calls
    rules = list(discover()[0].values())
    precise = check_file(str(src), Options(rules, frontend=clang_choice()))
    plain = check_file(str(src), Options(rules))
    assert precise.findings == []
    # Without types, `ops->release(f)` is an unknown callee; a call through
    # an ops table whose result nothing reads is taken to keep f.
    assert plain.findings == []


@needs_clang
def test_function_clang_cannot_compile_falls_back_with_its_reason(tmp_path):
    src = tmp_path / "broken.c"
    src.write_text(
        "#include <linux/slab.h>\n"
        "int send(void *p);\n"
        "static int fine(void)\n{\n\treturn 0;\n}\n"
        "static int broken(void)\n{\n"
        "\tchar *b = kzalloc(NOT_DEFINED_ANYWHERE, GFP_KERNEL);\n"
        "\tif (!b)\n\t\treturn -ENOMEM;\n"
        "\tif (send(b))\n\t\treturn -EIO;\n"  # line 13: leaks b
        "\tkfree(b);\n\treturn 0;\n}\n"
    )
    rules = list(discover()[0].values())
    result = check_file(str(src), Options(rules, frontend=clang_choice()))
    assert result.frontends == {"fine": "clang", "broken": "treesitter"}
    assert result.fallback == {"broken": clang.HAS_ERRORS}
    assert [(f.function, f.line) for f in result.findings] == [("broken", 13)]


def test_headers_and_unparseable_files_go_to_treesitter_whole(tmp_path, monkeypatch):
    header = tmp_path / "foo.h"
    header.write_text("static inline int foo(void)\n{\n\treturn 0;\n}\n")
    rules = list(discover()[0].values())
    result = check_file(str(header), Options(rules, frontend=clang_choice()))
    assert result.error is None
    assert result.frontends == {"foo": "treesitter"}
    assert "tree-sitter" in result.fallback["foo"]

    def explode(*args, **kwargs):
        raise ValueError("boom")

    src = tmp_path / "a.c"
    src.write_text("int f(void)\n{\n\treturn 0;\n}\n")
    monkeypatch.setattr(clang, "parse", explode)
    result = check_file(str(src), Options(rules, frontend=clang_choice()))
    assert result.error is None
    assert result.frontends == {"f": "treesitter"}
    assert "boom" in result.fallback["f"]


LOOP_C = """\
#include <linux/slab.h>
#define STORE_ONCE(x, val) do { *(volatile typeof(x) *)&(x) = (val); } while (0)
#define for_each_slot(d, i) for ((i) = 0; (i) < (d)->n; (i)++)
struct slot {
	int id;
};
struct dev {
	int n;
	struct slot *slots[8];
};
int bring_up(struct dev *d);
static int alloc_slots(struct dev *d)
{
	int i;

	for_each_slot(d, i) {
		struct slot *s = kzalloc(sizeof(*s), GFP_KERNEL);

		if (!s)
			return -ENOMEM;
		STORE_ONCE(d->slots[i], s);
	}
	if (bring_up(d))
		return -EIO;
	return 0;
}
"""


@needs_clang
def test_iterator_macro_is_a_loop_and_a_store_through_a_macro_argument_is_a_store(tmp_path):
    src = tmp_path / "loop.c"
    src.write_text(LOOP_C)
    unit = clang.parse(str(src), LOOP_C.encode(), list(STUB_ARGS), frozenset({"kzalloc"})).unit
    fn = unit.functions[0]
    heads = [n for n in fn.nodes if n.kind is ir.Kind.BRANCH and n.loop_end >= 0]
    assert [(n.expr.op, n.expr.text) for n in heads] == [("<", "for_each_slot(d, i)")]
    stores = [
        e
        for n in fn.nodes
        if n.expr is not None
        for e in ir.walk(n.expr)
        if isinstance(e, ir.Assign) and isinstance(e.value, ir.Name) and e.value.name == "s"
    ]
    assert len(stores) == 1  # STORE_ONCE expanded: it writes through its argument
    rules = list(discover()[0].values())
    assert check_file(str(src), Options(rules, frontend=clang_choice())).findings == []
