"""Summaries of other files' functions: built from a tree, applied to a driver.

tests/summarydb/core.c plays a subsystem core, driver.c a driver calling it.
driver.c marks `// expect:` findings (shown with the database and
without), `// without-db:` ones (shown only when the callees are unknown)
`// with-db:` ones (shown, at low confidence, only when the database says a
callee returns new memory) and `// with-db-shown:` ones (shown only with the
database, at the default confidence).
"""

from __future__ import annotations

import json
import os
import re
import shutil

from analyzer import members, ownership, summarydb
from analyzer.checker import Options, check_file
from analyzer.cli import main
from analyzer.frontend import treesitter
from analyzer.plugins import discover

HERE = os.path.join(os.path.dirname(__file__), "summarydb")
CORE = [os.path.join(HERE, name) for name in ("core.c", "core_other.c", "core.h")]
DRIVER = os.path.join(HERE, "driver.c")


def _marked(tag: str) -> set[int]:
    with open(DRIVER) as f:
        return {i for i, line in enumerate(f, 1) if re.search(rf"// {tag}: DML001\b", line)}


def _findings(db: str, driver: str = DRIVER) -> list:
    rules, _ = discover()
    result = check_file(driver, Options(list(rules.values()), summaries=db))
    assert result.error is None
    return result.findings


def _lines(db: str, driver: str = DRIVER) -> set[int]:
    return {f.line for f in _findings(db, driver)}


def _tree(tmp_path, monkeypatch) -> str:
    """A kernel tree holding the core and the driver (drivers/widget/), the
    database built from its root as `devmlint summarize` builds it: paths
    from the root. Returns the driver's path."""
    root = tmp_path / "k"
    (root / "drivers" / "widget").mkdir(parents=True)
    for marker in ("MAINTAINERS", "Kconfig"):
        (root / marker).write_text("")
    for name in ("core.c", "core_other.c", "core.h", "driver.c"):
        shutil.copy(os.path.join(HERE, name), root / "drivers" / "widget" / name)
    monkeypatch.chdir(root)
    core = [f"drivers/widget/{name}" for name in ("core.c", "core_other.c", "core.h")]
    summarydb.write(summarydb.build(core, jobs=1), str(tmp_path / "db.json"))
    return str(root / "drivers" / "widget" / "driver.c")


def test_build_keeps_external_effects_only(tmp_path):
    db = summarydb.build(CORE, jobs=1)
    # External functions of .c files, and a header's static inline; not a .c file's statics.
    assert set(db.functions) == {
        "widget_register",
        "widget_req_done",
        "gadget_register",
        "widget_discard",
        "widget_add_device",
        "widget_probe_device",
        "widget_buf_alloc",
        "widget_buf_free",
        "widget_describe",
        "widget_cmd_alloc",
        "widget_cmd_free",
        "widget_ctl_add",
        "widget_res_init",
        "widget_ctx_teardown",
        "widget_dev_set_label",
        "widget_dev_set_alias",
        "widget_dev_obj_teardown",
        "widget_dev_box_release",
        "widget_dev_set_tag",
    }
    register = db.functions["widget_register"].effects
    assert [(e.index, e.on_zero, e.on_nonzero) for e in register] == [(0, "escaped", None)]
    # Freed or put on every failing exit: the caller has nothing left to free.
    add = db.functions["widget_add_device"].effects
    assert [(e.index, e.on_zero, e.on_nonzero) for e in add] == [(0, "escaped", "dropped")]
    # A put that undoes the function's own get drops nothing of the caller's.
    probe = db.functions["widget_probe_device"].effects
    assert [(e.index, e.on_zero, e.on_nonzero) for e in probe] == [(0, "escaped", None)]
    # Returned memory is recorded when a releaser beside it frees that type, or
    # when callers free it; not when nobody in the tree does (widget_state_get).
    assert db.functions["widget_buf_alloc"].returns_alloc == ("kmalloc", "null")
    assert db.functions["widget_describe"].returns_alloc == ("kmalloc", "null")
    # Memory the engine did not see made (a callback's) is not taken for new
    # memory, however its callers treat it.
    assert "widget_read_serial" not in db.functions
    assert db.allocators() == {
        "widget_buf_alloc",
        "widget_describe",
        "widget_cmd_alloc",
    }
    # A free that does nothing to a NULL argument still frees it.
    free = db.functions["widget_buf_free"].effects
    assert [(e.index, e.on_zero, e.on_nonzero) for e in free] == [(0, "freed", "freed")]
    # `return helper(..)`: the helper's result is its own, so are its effects by class.
    ctl = db.functions["widget_ctl_add"].effects
    assert [(e.index, e.on_zero, e.on_nonzero) for e in ctl] == [(1, "escaped", "freed")]
    # A round trip through the file format changes nothing.
    path = tmp_path / "db.json"
    summarydb.write(db, str(path))
    again = summarydb.load(str(path))
    assert again.functions == db.functions
    # Functions that only return 0 are listed whether or not they touch memory.
    assert "widget_set_speed" in db.never_fail
    assert "widget_register" not in db.never_fail
    assert again.never_fail == db.never_fail
    # Fails only when its first parameter is NULL.
    assert db.fails_if_null == {"widget_set_mode": 0}
    assert again.fails_if_null == db.fails_if_null
    # Who frees which structure member, by file: a teardown elsewhere.
    assert db.member_frees["widget_ctx.scratch"] == [CORE[1]]
    assert again.member_frees == db.member_frees
    # ... through a structure that embeds its own, as that structure's member too.
    assert db.member_frees["widget_dev.alias"] == [CORE[0], CORE[1]]
    # Who fills a member for good (freeing it only on its own failure), by file.
    assert db.member_fills["widget_dev.label"] == [(CORE[0], "widget_dev_set_label")]
    assert again.member_fills == db.member_fills
    # ... and which of those files free it only with a structure of their own.
    assert db.member_releases["widget_dev.label"] == [CORE[1]]
    assert "widget_dev.alias" not in db.member_releases
    assert again.member_releases == db.member_releases
    # A filled member another file points at a string literal.
    assert db.member_links == {"widget_dev.tag"}
    assert again.member_links == db.member_links
    # Analysed, and found to do nothing to what its arguments reach.
    assert "widget_dev_quiesce" in db.inert
    # ... though it may copy what they reach into what it returns.
    assert "widget_dev_spawn" in db.inert
    assert "widget_register" not in db.inert
    assert again.inert == db.inert


def test_database_applies_to_callees_from_other_files(tmp_path, monkeypatch):
    driver = _tree(tmp_path, monkeypatch)
    path = str(tmp_path / "db.json")
    anywhere = _marked("with-db-anywhere")
    shown = _marked("expect") | _marked("with-db") | _marked("with-db-shown") | anywhere
    assert _lines(path, driver) == shown
    assert _lines("none", driver) == _marked("expect") | _marked("without-db")
    # Memory another file's function made is shown only at low confidence;
    # a member another file fills for good, lost by a release here, is shown.
    low = {f.line for f in _findings(path, driver) if f.confidence == "low"}
    assert _marked("with-db") <= low
    assert not (_marked("with-db-shown") | anywhere) & low
    # (the tag, which another file points at a literal, is not reported)
    assert not [f for f in _findings(path, driver) if "->tag" in f.message]
    # Outside a kernel tree, nobody else's file fills its structures.
    assert _lines(path) == _marked("expect") | _marked("with-db") | anywhere


def test_summarize_command_and_bad_database(tmp_path, capsys):
    out = tmp_path / "db.json"
    assert main(["summarize", HERE, "-o", str(out), "-j", "1", "--passes", "1"]) == 0
    assert "widget_register" in json.loads(out.read_text())["functions"]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["check", "--summaries", str(bad), DRIVER]) == 2
    assert "cannot read summary database" in capsys.readouterr().err
    assert main(["check", "--summaries", str(tmp_path / "missing.json"), DRIVER]) == 2


def _eager_from_json(data: dict) -> dict:
    """The summaries the loader made before they were made on first use."""
    return {
        name: summarydb.Summary(
            name,
            effects=[
                summarydb.Effect(int(x[0]), str(x[1]), x[2], x[3], *([x[4], True] if x[4:] else []))
                for x in e["effects"]
            ],
            returns_pointer=bool(e["returns_pointer"]),
            error_class=str(e["error_class"]),
        )
        for name, e in data["functions"].items()
    }


def test_summaries_made_on_first_use_are_the_same():
    def entry(effects, error_class, returns_pointer):
        return {"effects": effects, "error_class": error_class, "returns_pointer": returns_pointer}

    entries = {
        "b_keep": entry([[1, "->x", "escaped", None]], "zero", True),
        "a_fill": entry([["0", "", "alloc", None]], "nonzero", 0),
        "c_none": entry([], "nonzero", False),
    }
    data = {"format": summarydb.FORMAT, "source": "t", "functions": entries}
    db = summarydb.from_json(data, "t")
    assert db.allocators() == frozenset({"a_fill"})  # nothing made for it
    assert db.get("missing") is None
    first = db.get("b_keep")
    assert first == _eager_from_json(data)["b_keep"] and db.get("b_keep") is first
    assert db.allocators() == frozenset({"a_fill"})
    assert db.functions == _eager_from_json(data)
    assert list(db.functions) == list(entries)  # the file's order
    assert db.functions["b_keep"] is first and db.get("c_none") is db.functions["c_none"]


def test_malformed_entries_are_refused_at_load():
    def load(entry):
        return summarydb.from_json({"format": summarydb.FORMAT, "functions": {"f": entry}}, "x")

    good = {"effects": [[0, "", "freed", None]], "error_class": "zero", "returns_pointer": False}
    assert load(good).get("f") is not None
    for bad, message in (
        ({**good, "effects": [[0, "", "freed"]]}, "an effect of 3 fields"),
        ({**good, "effects": [["x", "", "freed", None]]}, "invalid literal"),
        ({**good, "effects": [[None, "", "freed", None]]}, "int()"),
        ({k: v for k, v in good.items() if k != "returns_pointer"}, "returns_pointer"),
        ({k: v for k, v in good.items() if k != "error_class"}, "error_class"),
        ({k: v for k, v in good.items() if k != "effects"}, "effects"),
        ([1, 2], "list indices"),
    ):
        try:
            load(bad)
        except summarydb.SummaryDbError as exc:
            assert "malformed entry" in str(exc) and message in str(exc), (bad, exc)
        else:
            raise AssertionError(f"accepted {bad!r}")


def test_a_file_that_cannot_be_read_costs_only_itself(tmp_path):
    bad = tmp_path / "bad.c"
    bad.write_bytes(b"\x00\xff" * 10)
    missing = tmp_path / "missing.c"
    db = summarydb.build([str(bad), str(missing), *CORE], jobs=1)
    assert "widget_register" in db.functions


def test_an_allocator_pairs_only_with_a_releaser_of_its_type(tmp_path):
    core = tmp_path / "vdev.c"
    core.write_text(
        "struct vdev *vdev_alloc(void)\n{\n\treturn kzalloc(64, GFP_KERNEL);\n}\n\n"
        "struct vdev **vdev_alloc_array(int n)\n{\n\treturn kcalloc(n, 8, GFP_KERNEL);\n}\n\n"
        "struct vbuf *vbuf_alloc(void)\n{\n\treturn kzalloc(64, GFP_KERNEL);\n}\n\n"
        "void vdev_release(struct vdev *v)\n{\n\tkfree(v);\n}\n"
    )
    db = summarydb.build([str(core)], jobs=1)
    # an array of pointers, and another type, are not what vdev_release frees
    assert db.allocators() == {"vdev_alloc"}


LEFTOVERS = os.path.join(HERE, "leftovers")


def test_leftovers_lost_by_callers_in_other_files(tmp_path):
    """attach.c's helpers leave a buffer in their caller's structure when they
    fail; user.c frees that structure without it after gizmo_attach() fails
    (after gizmo_attach_kept() it runs a teardown first; after gplug_attach()
    it drops the last reference, `kref_put(&p->kref, gplug_release)`, whose
    release frees the leftover). A second pass over
    both files records which leftovers some caller loses, and the helper's
    own report of that leftover is shown."""
    files = [os.path.join(LEFTOVERS, name) for name in ("attach.c", "user.c")]  # (not other.c)
    first, second = tmp_path / "pass1.json", tmp_path / "pass2.json"
    summarydb.write(summarydb.build(files, jobs=1), str(first))
    summarydb.write(summarydb.build(files, jobs=1, base=str(first)), str(second))
    db = summarydb.load(str(second))
    assert db.lost_leftovers == {"gizmo_attach": {(0, "->log")}}
    effects = db.functions["gizmo_attach"].effects
    assert [(e.chain, e.on_zero, e.on_nonzero, e.family) for e in effects] == [
        ("->log", None, "alloc", "kmalloc")
    ]
    # A put given a release of its file is that release on the object, members
    # first; `if (p)` first: a NULL parameter has no members to free either.
    effects = db.functions["gplug_put"].effects
    assert [(e.chain, e.on_zero, e.on_nonzero) for e in effects] == [
        ("", "freed", "freed"),
        ("->log", "freed", "freed"),
    ]
    # (a failure leftover alone makes no allocator of it for the prefilter)
    assert "gizmo_attach" not in db.allocators()
    attach = os.path.join(LEFTOVERS, "attach.c")
    rules, _ = discover()
    for summaries, shown in ((str(second), {21}), ("none", set())):
        result = check_file(attach, Options(list(rules.values()), summaries=summaries))
        assert {f.line for f in result.findings if f.confidence != "low"} == shown
        assert {f.line for f in result.findings} == {21, 32, 50}
    # A static function of that name in a third file is another function.
    other = os.path.join(LEFTOVERS, "other.c")
    result = check_file(other, Options(list(rules.values()), summaries=str(second)))
    assert [(f.line, f.confidence) for f in result.findings] == [(17, "low")]


WHATIF = os.path.join(HERE, "whatif")


def _expected(path: str) -> dict[int, str]:
    """line -> confidence of the `// expect:` (medium or high: "shown") and
    `// expect-low:` marks of a file."""
    with open(path) as f:
        marks = [(i, re.search(r"// expect(-low)?: DML001\b", line)) for i, line in enumerate(f, 1)]
    return {i: "low" if m.group(1) else "shown" for i, m in marks if m}


def test_callers_that_lose_whatever_a_callee_leaves(tmp_path):
    """The `--leftovers` round asks of each known callee "what if it left
    memory in its argument when it failed?": bind.c's helpers leave nothing
    (they free the log on failure), yet user.c's callers that kfree() the
    gizmo they gave them, and free no member of it, would lose anything left
    there. A change to bind.c that leaves the log (changed.c) is then shown
    at those helpers; not where the caller frees a member itself (by any
    name, or through a helper), runs a teardown, or frees the gizmo only
    when the helper succeeded, nor for memory left in another object the
    gizmo points to."""
    files = [os.path.join(WHATIF, name) for name in ("bind.c", "user.c")]
    out = tmp_path / "db.json"
    assert (
        main(["summarize", *files, "-o", str(out), "-j", "1", "--passes", "1", "--leftovers"]) == 0
    )
    db = summarydb.load(str(out))
    anything = (0, ownership.ANY_MEMBER)
    # (not where the caller frees a member itself, through another name, a
    # copy or a helper; gizmo_bind_deep's caller loses its gizmo's own
    # members, but the change leaves memory in another object: see below)
    lost = {"gizmo_bind", "gizmo_check", "gizmo_bind_deep"}
    assert db.lost_leftovers == dict.fromkeys(lost, {anything})
    # (analysed, inert, and failing with false: the class its callers' tests read)
    assert db.inert_zero == {"gizmo_check", "gizmo_check_late"}
    rules, _ = discover()
    changed = os.path.join(WHATIF, "changed.c")
    result = check_file(changed, Options(list(rules.values()), summaries=str(out)))
    found = {f.line: "low" if f.confidence == "low" else "shown" for f in result.findings}
    assert found == _expected(changed)
    # Another function of one of those names in the tree (twin.c): that name's
    # what-if loss is not kept (a real leftover lost would be).
    twin = files + [os.path.join(WHATIF, "twin.c")]
    args = ["summarize", *twin, "-o", str(out), "-j", "1", "--passes", "1", "--leftovers"]
    assert main(args) == 0
    assert set(summarydb.load(str(out)).lost_leftovers) == lost - {"gizmo_bind_deep"}
    # The database of the rounds before records no such loss: all are low.
    result = check_file(changed, Options(list(rules.values()), summaries="none"))
    assert {f.line: f.confidence for f in result.findings} == dict.fromkeys(found, "low")


def test_a_fill_is_seen_within_its_driver_and_with_its_structure(tmp_path):
    (tmp_path / "MAINTAINERS").write_text("")
    (tmp_path / "Kconfig").write_text("")

    def unit(path, text):
        return treesitter.parse(str(tmp_path / path), text.encode())

    defs = ["drivers/usb/host/fhci.h"]
    fhci = unit("drivers/usb/host/fhci-q.c", '#include "fhci.h"\nint x;\n')
    uhci = unit("drivers/usb/host/uhci-q.c", '#include "uhci-hcd.h"\nint x;\n')
    dwc3 = unit("drivers/usb/dwc3/a.c", '#include "fhci.h"\nint x;\n')
    assert members.sees_filled(fhci, "drivers/usb/host/fhci-hcd.c", defs)
    # the same directory, but another `struct urb_priv` (uhci-hcd.h's)
    assert not members.sees_filled(uhci, "drivers/usb/host/fhci-hcd.c", defs)
    # a header of that name, but another directory's
    assert not members.sees_filled(dwc3, "drivers/usb/host/fhci-hcd.c", defs)
    # a global structure: the filler's directory and one level above or below
    defs = ["include/linux/rpmsg.h"]
    glink = unit("drivers/rpmsg/qcom_glink_native.c", "int x;\n")
    kfifo = unit("drivers/iio/buffer/kfifo_buf.c", "int x;\n")
    p54 = unit("drivers/net/wireless/intersil/p54/eeprom.c", "int x;\n")
    tun = unit("drivers/net/tun.c", "int x;\n")
    dummy = unit("sound/drivers/dummy.c", "int x;\n")
    assert members.sees_filled(glink, "drivers/rpmsg/rpmsg_core.c", defs)
    assert members.sees_filled(kfifo, "drivers/iio/industrialio-buffer.c", defs)
    assert not members.sees_filled(p54, "drivers/net/wireless/quantenna/qtnfmac/commands.c", defs)
    assert not members.sees_filled(tun, "drivers/net/wireless/intel/iwlwifi/mvm/ops.c", defs)
    assert not members.sees_filled(dummy, "drivers/rpmsg/rpmsg_core.c", defs)
    # no definition known: not seen
    assert not members.sees_filled(glink, "drivers/rpmsg/rpmsg_core.c", None)
