"""DML005 devm-kfree-of-unmanaged: devm_kfree() of memory no devm allocator returned."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.findings import Finding
from analyzer.plugins import Context, Rule
from rules._shared import wrong_family_frees


class DevmKfreeOfUnmanaged(Rule):
    code = "DML005"
    name = "devm-kfree-of-unmanaged"
    severity = "error"
    summary = "devm_kfree() of memory that no devm allocator returned"
    needs = (("free:managed", "allocator:plain"), ("free:managed", "reallocator:plain"))
    doc = """\
## What it finds
`devm_kfree()` of memory that a plain allocator (`kmalloc()`, `kzalloc()`,
`kstrdup()`, `kmemdup()`, a same-file wrapper around them, ...) returned on
the path that reaches the call: in the same function, or in remove through
a field of the drvdata object that probe filled with plain memory.

## Why it matters
`devm_kfree()` looks the pointer up among the device's devres entries; it
is not there, so the kernel WARNs and nothing is freed: the memory leaks,
and the code that was meant to release it silently does not.

## Example
```c
buf = kzalloc(len, GFP_KERNEL);
if (!buf)
        return -ENOMEM;
...
devm_kfree(&pdev->dev, buf);    /* DML005: WARN, and buf leaks */
```

## Fix
Free it with the matching plain free (`kfree()`), or allocate it with the
devm variant if it should live as long as the bound device.
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        return wrong_family_frees(self, ctx, True, self.describe)

    @staticmethod
    def describe(what: str, site, where: str, free: str | None) -> str:
        return (
            f"`{what}` was allocated by {site.api}() (line {site.span.line}, {where}), "
            f"not by a devm allocator: {free}() WARNs and frees nothing, "
            "so the memory leaks"
        )
