"""API tables: prototypes parsed with pycparser, roles named, bad entries refused."""

from __future__ import annotations

import pytest

from analyzer import apis
from analyzer.apis import ApiError, ApiTable


def test_builtin_roles_are_resolved_by_name():
    table = apis.builtin()
    kfree = table.role("kfree", "free")
    assert kfree is not None and kfree.pointer == 0
    devm = table.role("devm_kzalloc", "allocator")
    assert devm.managed and devm.device == 0 and devm.family == "devm"
    sink = table.role("devm_add_action_or_reset", "sink")
    assert sink.params[sink.pointer] == "data"
    assert table.role("memdup_user", "allocator").failure == "err_ptr"


def test_every_issue_listed_allocator_is_known():
    names = apis.builtin().names("allocator") | apis.builtin().names("reallocator")
    for name in (
        "kmalloc kzalloc kcalloc kmalloc_array kmalloc_node kzalloc_node kmemdup kmemdup_nul "
        "kstrdup kstrndup kstrdup_const kasprintf kvasprintf krealloc kvmalloc kvzalloc "
        "kvcalloc kvmalloc_array vmalloc vzalloc memdup_user memdup_user_nul"
    ).split():
        assert name in names, name


def test_user_extension_adds_an_allocator():
    table = apis.load(
        [
            (
                {
                    "allocator": [
                        {
                            "family": "kmalloc",
                            "prototypes": ["struct foo *foo_alloc(struct device *dev, gfp_t gfp)"],
                        }
                    ]
                },
                "user.toml",
            )
        ]
    )
    assert table.role("foo_alloc", "allocator").family == "kmalloc"
    assert apis.builtin().role("foo_alloc", "allocator") is None


def test_user_extension_keeps_every_builtin_table():
    """An extension adds to the built-in tables, and loses none of them."""
    table = apis.load([({"counterparts": [{"setup": "enter", "undo": ["leave"]}]}, "user.toml")])
    assert table.error_code("AE_NOT_FOUND") and table.success_code("AE_OK")
    assert table.structs.keys() == apis.builtin().structs.keys()
    assert table.counterparts("open", "release") and table.counterparts("pcm_enter", "pcm_leave")
    assert not apis.builtin().counterparts("enter", "leave")


def test_bad_counterparts_are_clear_errors():
    with pytest.raises(ApiError, match=r"\[\[counterparts\]\] entry 1 needs"):
        ApiTable().merge({"counterparts": [{"setup": "open", "undo": "close"}]}, "bad.toml")


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"pointer": "p", "prototypes": ["void foo_free(void *q)"]}, "no parameter named 'p'"),
        ({"prototypes": ["void foo_free(void *p)"]}, "need 'pointer'"),
        ({"pointer": "p", "prototypes": ["this is not C"]}, "cannot parse"),
        ({"pointer": "p", "prototypes": ["void f(void *p)"], "colour": 1}, "unknown key"),
    ],
)
def test_bad_entries_are_clear_errors(entry, message):
    with pytest.raises(ApiError, match=message):
        ApiTable().merge({"free": [entry]}, "bad.toml")


@pytest.mark.parametrize(
    "role, entry, message",
    [
        (
            "setter",
            {"pointer": "p", "into": "o", "prototypes": ["void s(void *o, void *p)"]},
            "need 'member'",
        ),
        (
            "setter",
            {"pointer": "p", "member": "m", "prototypes": ["void s(void *o, void *p)"]},
            "need 'into'",
        ),
        (
            "getter",
            {"pointer": "o", "member": "a.b", "prototypes": ["void *g(void *o)"]},
            "need 'member'",
        ),
    ],
)
def test_bad_slot_entries_are_clear_errors(role, entry, message):
    with pytest.raises(ApiError, match=message):
        ApiTable().merge({role: [entry]}, "bad.toml")


def test_name_patterns():
    table = apis.builtin()
    assert table.keeps("clk_hw_register") and not table.keeps("memcpy")
    assert table.releases("foo_destroy") and not table.releases("foo_read")
    assert table.constructs("rdma_zalloc_drv_obj") and not table.constructs("to_foo")
    # an undo, not a state: `wlc_set_phy_uninitted()`, `write_uninitialized_csrs()`
    for undo in ("foo_uninit", "foo_uninit_hw", "uninitGPIO", "sbdma_uninitctx", "kq_uninitialize"):
        assert table.tears_down(undo) and table.releases(undo), undo
    for state in ("wlc_set_phy_uninitted", "write_uninitialized_csrs_and_memories"):
        assert not table.tears_down(state) and not table.releases(state), state


def test_name_patterns_match_as_fnmatch_does():
    """One alternation per kind answers as fnmatchcase over each glob did."""
    import fnmatch
    import random

    table = apis.builtin()
    kinds = {
        "keeps": (table.keeps, table.keeps_patterns),
        "releases": (table.releases, table.releases_patterns),
        "constructs": (table.constructs, table.constructs_patterns),
        "teardown": (table.tears_down, table.teardown_patterns),
        "borrows": (table.borrows, table.borrows_patterns),
        "drops": (table.drops, table.drops_patterns),
        "frees": (table.frees, table.frees_patterns),
    }
    rng = random.Random(7)
    words = [w for _, pats in kinds.values() for p in pats for w in p.split("*") if w] + ["x"]
    names = set(table.by_name) | {
        "_".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(3000)
    }
    for ask, patterns in kinds.values():
        for name in sorted(names):
            assert ask(name) == any(fnmatch.fnmatchcase(name, p) for p in patterns), name
    assert not ApiTable().keeps("anything")


def test_glob_set_answers_as_fnmatchcase():
    """GlobSet's substring, prefix, suffix and equality tests, and its fallback
    for other globs, answer as fnmatchcase over each glob (odd globs too)."""
    import fnmatch
    import random

    globs = [
        ["*"], ["**"], ["*_add", "add_*", "*_add_*", "exact"], ["**put"], ["a*b*", "*c*d"],
        ["?x*", "[ab]*", "*[!z]"], ["*.*", "a+b", "*(x)*"], [], ["*free*", "fput", "*_set_*data"],
    ]  # fmt: skip
    rng = random.Random(11)
    alphabet = "abcdxz_.+()?[]*"
    names = ["exact", "add", "add_", "_add", "put", "x", "ab", "a.b", "a+b", "(x)"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(4000)
    ]
    for patterns in globs:
        globset = apis.GlobSet(patterns)
        for name in names:
            want = any(fnmatch.fnmatchcase(name, p) for p in patterns)
            assert globset.match(name) == want, (patterns, name)


def test_driver_model_tables():
    table = apis.builtin()
    by_type = {t: d for d in table.drivers for t in d.types}
    assert "probe_new" in by_type["i2c_driver"].probe
    assert "remove_new" in by_type["platform_driver"].remove
    assert "disconnect" in by_type["usb_driver"].remove
    for bus in ("spi_driver", "pci_driver", "serdev_device_driver", "sdio_driver", "hid_driver"):
        assert bus in by_type, bus
    assert "platform_get_drvdata" in table.drvdata_getters
    assert "usb_get_intfdata" in table.drvdata_getters
    devm = apis.builtin().names("allocator") | apis.builtin().names("reallocator")
    for name in (
        "devm_kmalloc devm_kzalloc devm_kcalloc devm_kmalloc_array devm_krealloc devm_kstrdup "
        "devm_kstrdup_const devm_kmemdup devm_kasprintf devm_kvasprintf devm_get_free_pages"
    ).split():
        assert name in devm, name
    free = table.role("devm_kfree", "free")
    assert free.managed and free.params[free.device] == "dev"


def test_user_extension_adds_a_driver_type():
    table = apis.load([({"driver": [{"types": ["foo_driver"], "probe": ["attach"]}]}, "x")])
    assert any("foo_driver" in d.types and d.probe == ("attach",) for d in table.drivers)
    assert not any("foo_driver" in d.types for d in apis.builtin().drivers)
    with pytest.raises(ApiError, match="needs 'types' and 'probe'"):
        apis.load([({"driver": [{"types": ["foo_driver"]}]}, "x")])
    with pytest.raises(ApiError, match="unknown key"):
        apis.load([({"driver": [{"types": ["a"], "probe": ["p"], "bogus": []}]}, "x")])


def test_iterator_tables():
    [seq] = [k for k in apis.builtin().iterators if "seq_operations" in k.types]
    assert (seq.start, seq.next, seq.stop, seq.state) == ("start", "next", "stop", 1)
    entry = {"types": ["foo_iter_ops"], "start": "begin", "next": "step", "stop": "end", "state": 2}
    table = apis.load([({"iterator": [entry]}, "x")])
    assert any(k.types == ("foo_iter_ops",) and k.next == "step" for k in table.iterators)
    for bad, message in (
        ({**entry, "state": "v"}, "'state' must be a parameter index"),
        ({**entry, "types": []}, "'types' must be a list"),
        ({k: v for k, v in entry.items() if k != "stop"}, "'stop' must name a field"),
        ({**entry, "bogus": 1}, "unknown key 'bogus'"),
    ):
        with pytest.raises(ApiError, match=message):
            apis.load([({"iterator": [bad]}, "x")])


def test_remembered_prototypes_read_as_parsed(tmp_path, monkeypatch):
    """A later process reads the prototypes a run kept in its cache directory,
    parses none of them again, and gets the same table."""
    first = apis._Prototypes()
    monkeypatch.setattr(apis, "_PROTOTYPES", first)
    monkeypatch.setattr(apis, "_BUILTIN", None)
    apis.remember_prototypes(tmp_path)
    parsed = apis.builtin()
    assert len(list(tmp_path.glob("prototypes-*.json"))) == 1
    later = apis._Prototypes()
    monkeypatch.setattr(apis, "_PROTOTYPES", later)
    monkeypatch.setattr(apis, "_BUILTIN", None)
    apis.remember_prototypes(tmp_path)
    assert later.parsed == first.parsed
    monkeypatch.setattr(apis, "_declared", lambda proto: pytest.fail(f"parsed again: {proto}"))
    assert apis.builtin().by_name == parsed.by_name
