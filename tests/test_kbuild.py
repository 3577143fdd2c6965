"""Macros a driver's Makefile defines: read for every file, part of its cache entry."""

from __future__ import annotations

import json
import os
import time

from analyzer.cli import main
from analyzer.frontend import kbuild

_DRIVER = b"""struct rx_priv { void *buf; void *ring; };
int rx_start(struct rx_priv *p);

static int rx_setup(struct rx_priv *p)
{
	p->ring = kzalloc(64, GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
#ifndef RX_NEW_PATH
	{
		void *buf = kmalloc(16, GFP_KERNEL);

		if (!buf)
			return -ENOMEM;
		if (rx_start(p))
			return -EIO;
		kfree(buf);
	}
#endif
	return 0;
}
"""


def _tree(tmp_path, makefile: str | None, parent: str | None = None):
    drv = tmp_path / "drivers" / "rx"
    drv.mkdir(parents=True)
    if parent is not None:
        (tmp_path / "drivers" / "Makefile").write_text(parent)
    if makefile is not None:
        (drv / "Makefile").write_text(makefile)
    src = drv / "rx_main.c"
    src.write_bytes(_DRIVER)
    kbuild.forget()
    return src


def _findings(capsys, *argv) -> list[dict]:
    main(["check", "--format", "json", *argv])
    return json.loads(capsys.readouterr().out)["findings"]


def test_flags_of_the_makefile(tmp_path):
    src = _tree(
        tmp_path,
        "ccflags-y += -DRX_NEW_PATH -DRX_LEVEL=2\n"
        "ccflags-$(CONFIG_RX_DEBUG) += -DRX_DEBUG\n"
        "CFLAGS_rx_main.o += -DONLY_MAIN\n"
        "CFLAGS_rx_other.o += -DONLY_OTHER\n"
        "EXTRA_CFLAGS += -DOLD_STYLE \\\n\t-DCONTINUED\n"
        "ifeq ($(CONFIG_X),y)\nccflags-y += -DCONDITIONAL\nendif\n"
        "ccflags-y += -URX_GONE\n",
        parent="subdir-ccflags-y += -DFROM_PARENT -DRX_GONE\n",
    )
    assert kbuild.defines_for(str(src)) == {
        "RX_NEW_PATH",
        "RX_LEVEL",
        "ONLY_MAIN",
        "OLD_STYLE",
        "CONTINUED",
        "FROM_PARENT",
    }


def test_what_the_configuration_decides_is_left_out(tmp_path):
    src = _tree(
        tmp_path,
        "ccflags-y += -DRX_EARLY\n"
        "ccflags-y := -DRX_NEW_PATH\n"
        "ccflags-y += $(if $(CONFIG_RX_FAST), -DRX_FAST)\n"
        "define RX_FLAGS\nccflags-y += -DIN_DEFINE\nendef\n"
        "ccflags-y += -DRX_DROPPED # a comment with -DNOT_A_FLAG\n"
        "ccflags-remove-y += -DRX_DROPPED\n",
    )
    assert kbuild.defines_for(str(src)) == {"RX_NEW_PATH"}


def test_no_makefile_defines_nothing(tmp_path):
    assert kbuild.defines_for(str(_tree(tmp_path, None))) == frozenset()


def test_code_the_makefile_compiles_out_is_not_read(tmp_path, capsys):
    src = _tree(tmp_path, "ccflags-y += -DRX_NEW_PATH\n")
    assert _findings(capsys, "--no-cache", str(src)) == []


def test_code_compiled_in_is_read(tmp_path, capsys):
    src = _tree(tmp_path, "obj-y += rx_main.o\n")
    found = _findings(capsys, "--no-cache", str(src))
    assert [f["line"] for f in found] == [16]


def test_a_makefile_change_makes_the_cache_entry_stale(tmp_path, capsys):
    src = _tree(tmp_path, "obj-y += rx_main.o\n")
    cache = str(tmp_path / "cache")
    assert [f["line"] for f in _findings(capsys, "--cache-dir", cache, str(src))] == [16]
    makefile = src.parent / "Makefile"
    makefile.write_text("ccflags-y += -DRX_NEW_PATH\n")
    past = time.time_ns() - 10**10
    os.utime(makefile, ns=(past, past))
    assert _findings(capsys, "--cache-dir", cache, str(src)) == []


def test_a_plain_reset_in_kbuild_counts(tmp_path):
    src = _tree(tmp_path, "ccflags-y += -DRX_NEW_PATH\n")
    (src.parent / "Kbuild").write_text("ccflags-y = -Wall\n")
    kbuild.forget()
    assert kbuild.defines_for(str(src)) == frozenset()


def test_relative_paths_of_two_trees_in_one_process(tmp_path, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    src_one = _tree(one, "ccflags-y += -DRX_NEW_PATH\n")
    _tree(two, "obj-y += rx_main.o\n")
    rel = os.path.relpath(src_one, one)
    monkeypatch.chdir(one)
    assert kbuild.defines_for(rel) == {"RX_NEW_PATH"}
    monkeypatch.chdir(two)
    assert kbuild.defines_for(rel) == frozenset()
