"""DML004 kfree-of-devm: kfree()/kvfree() of memory a devm allocator returned."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.findings import Finding
from analyzer.plugins import Context, Rule
from rules._shared import wrong_family_frees


class KfreeOfDevm(Rule):
    code = "DML004"
    name = "kfree-of-devm"
    severity = "error"
    summary = "kfree()/kvfree()/kfree_sensitive() of device-managed memory: a double free"
    needs = (("free:plain", "allocator:managed"), ("free:plain", "reallocator:managed"))
    doc = """\
## What it finds
A plain free (`kfree()`, `kvfree()`, `kfree_sensitive()`, `kfree_const()`)
of memory that a devm allocator (`devm_kzalloc()`, `devm_kmalloc_array()`,
`devm_kstrdup()`, ...) returned on the path that reaches the free: in the
same function, through a field of a structure, or in remove through a
field of the drvdata object that probe filled with devm memory. The
analysis follows values, not names: a `kfree(buf)` in one function and a
`buf = devm_kzalloc(...)` in another are unrelated unless the drvdata
link connects them.

## Why it matters
devres still holds the block and frees it again when probe fails or the
device unbinds: a double free, usually a slab corruption report much later
and far from the cause.

## Example
```c
priv->buf = devm_kzalloc(&pdev->dev, len, GFP_KERNEL);
...
static int foo_remove(struct platform_device *pdev)
{
        struct foo *priv = platform_get_drvdata(pdev);

        kfree(priv->buf);       /* DML004: devres frees it again */
        return 0;
}
```

## Fix
Drop the `kfree()`: devres frees the memory. If it must go early, use
`devm_kfree()` with the same device.
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        return wrong_family_frees(self, ctx, False, self.describe)

    @staticmethod
    def describe(what: str, site, where: str, free: str | None) -> str:
        return (
            f"`{what}` is device-managed ({site.api}() at line {site.span.line}, "
            f"{where}): {free}() frees it and devres frees it again "
            "when the device unbinds (double free)"
        )
