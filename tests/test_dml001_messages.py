"""DML001 messages name the structure that holds a leaked field, or say there is none."""

from analyzer.checker import Options, check_source
from rules.dml001 import LeakOnErrorPath

_NAMED = b"""
struct s { char *buf; };
int f(void)
{
	struct s *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->buf = kzalloc(8, GFP_KERNEL);
	if (!p->buf) {
		kfree(p);
		return -ENOMEM;
	}
	if (g(p)) {
		kfree(p);
		return -EIO;
	}
	return 0;
}
"""

_DEVM = b"""
struct s { char *name; };
int f_probe(struct platform_device *pdev)
{
	struct s *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->name = kasprintf(GFP_KERNEL, "x%d", 1);
	if (!p->name)
		return -ENOMEM;
	if (g(p))
		return -EIO;
	return 0;
}
"""


def _messages(source: bytes) -> list[str]:
    result = check_source("m.c", source, Options([LeakOnErrorPath]))
    return [f.message for f in result.findings]


def test_container_freed_names_the_container():
    (message,) = _messages(_NAMED)
    assert "is still live when `p`, which holds it, is freed" in message


def test_managed_container_says_which_memory_is_plain():
    (message,) = _messages(_DEVM)
    assert "`p->name`" in message
    assert "is plain memory held only by `p`, a devm allocation" in message
