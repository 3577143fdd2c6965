"""The driver model, and that each DML003 silence condition is what keeps it silent.

Each silent case in tests/fixtures/dml003/silent.c is turned into its
positive twin by undoing exactly the condition that makes the call
legitimate; the rule must then report it.
"""

from __future__ import annotations

import os

import pytest

from analyzer import apis, drivers
from analyzer.checker import Options, check_file
from analyzer.engine import analyse
from analyzer.frontend import treesitter
from analyzer.plugins import discover

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
SILENT = os.path.join(FIXTURES, "dml003", "silent.c")


def _model(path: str) -> drivers.DriverModel:
    with open(path, "rb") as f:
        unit = treesitter.parse(path, f.read())
    table = apis.builtin()
    return drivers.model(analyse(unit, table), table)


def _findings(tmp_path, text: str, code: str) -> list[int]:
    path = tmp_path / "variant.c"
    path.write_text(text)
    rules, _ = discover()
    result = check_file(str(path), Options([rules[code]]))
    assert result.error is None
    return [f.line for f in result.findings]


def test_bindings_link_probe_and_remove_of_each_bus():
    m = _model(os.path.join(FIXTURES, "dml003", "silent.c"))
    got = {(b.struct_type, b.probe, b.remove) for b in m.bindings}
    assert ("i2c_driver", ("sl_probe",), ()) in got
    assert ("usb_driver", ("su_probe",), ("su_disconnect",)) in got
    assert ("spi_driver", ("sn_probe",), ()) in got


def test_contexts_exclude_runtime_reachable_helpers():
    m = _model(SILENT)
    assert m.context("sl_probe") == {drivers.PROBE}
    assert m.context("sl_optional") == {drivers.PROBE}
    assert m.context("sl_resize") == frozenset()  # also called from the ioctl
    assert m.context("sl_ioctl") == frozenset()


def test_drvdata_fields_are_linked_from_probe_to_remove():
    m = _model(os.path.join(FIXTURES, "dml003", "platform.c"))
    assert "priv" in m.roots["rd_remove"]
    assert m.fields["->cfg"].managed
    assert [s.api for s in m.fields["->cfg"].sites] == ["devm_kzalloc"]


def test_non_fatal_helper_failure():
    m = _model(SILENT)
    assert not m.failure_fails_probe("sl_optional")
    assert m.failure_fails_probe("sl_name")


@pytest.mark.parametrize(
    "old,new,line",
    [
        # the caller now fails probe when the helper fails
        ('\t\tdev_warn(&client->dev, "no extra table\\n");', "\t\treturn ret;", 48),
        # the pointer is no longer NULLed for reuse
        ("\t\tpriv->name = NULL;\n", "", 61),
        # the memory belongs to the bound device, not to the netdev
        ("devm_kzalloc(&ndev->dev, 64", "devm_kzalloc(&spi->dev, 64", 116),
        # no runtime caller any more
        ("return sl_resize(priv, arg);", "return 0;", 27),
    ],
)
def test_each_silence_condition_is_what_keeps_dml003_silent(tmp_path, old, new, line):
    text = open(SILENT, encoding="utf-8").read()
    assert _findings(tmp_path, text, "DML003") == []
    assert old in text
    variant = text.replace(old, new)
    if "ndev->dev, stats" in variant and "spi->dev, 64" in variant:
        variant = variant.replace("devm_kfree(&ndev->dev, stats)", "devm_kfree(&spi->dev, stats)")
    assert _findings(tmp_path, variant, "DML003") == [line]


def test_success_path_temporary_is_silent_but_error_only_free_is_not(tmp_path):
    src = """
#include <linux/usb.h>
static int t_probe(struct usb_interface *intf, const struct usb_device_id *id)
{
	u8 *buf;
	int ret;

	buf = devm_kzalloc(&intf->dev, 8, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = usb_control_msg(interface_to_usbdev(intf), 0, 0, 0, 0, 0, buf, 8, 100);
	FREE_ON_SUCCESS
	if (ret < 0) {
		devm_kfree(&intf->dev, buf);
		return ret;
	}
	return 0;
}
static struct usb_driver t_driver = { .probe = t_probe };
"""
    assert _findings(tmp_path, src.replace("FREE_ON_SUCCESS", ""), "DML003") == [14]
    # One call reached on the success path as well: a temporary, not redundant.
    shared = src.replace("FREE_ON_SUCCESS", "devm_kfree(&intf->dev, buf);").replace(
        "\t\tdevm_kfree(&intf->dev, buf);\n", ""
    )
    assert "devm_kfree" in shared
    assert _findings(tmp_path, shared, "DML003") == []


def test_published_pointer_nulled_after_the_free_is_silent(tmp_path):
    text = open(SILENT, encoding="utf-8").read()
    nulled = "\tspi->dev.platform_data = NULL;\n\treturn ret;"
    assert nulled in text
    variant = text.replace(nulled, "\treturn ret;")
    line = variant.splitlines().index("\tdevm_kfree(&spi->dev, pdata);") + 1
    assert _findings(tmp_path, variant, "DML003") == [line]


def test_remove_delegating_to_another_files_remove_silences_dml002(tmp_path):
    path = os.path.join(FIXTURES, "dml002", "delegate.c")
    text = open(path, encoding="utf-8").read()
    assert _findings(tmp_path, text, "DML002") == []
    variant = text.replace("\tcm_core_remove(pdev);\n", "")
    line = variant.splitlines().index("\tcm->lookup = kcalloc(16, sizeof(void *), GFP_KERNEL);") + 1
    assert _findings(tmp_path, variant, "DML002") == [line]


def test_block_also_kept_in_a_global_is_not_dml002(tmp_path):
    path = os.path.join(FIXTURES, "dml002", "shared.c")
    text = open(path, encoding="utf-8").read()
    assert _findings(tmp_path, text, "DML002") == []
    variant = text.replace("\tck_devs = hw;\n", "")
    line = variant.splitlines().index("\thw = kzalloc(sizeof(*hw), GFP_KERNEL);") + 1
    assert _findings(tmp_path, variant, "DML002") == [line]
