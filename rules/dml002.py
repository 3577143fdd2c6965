"""DML002 leak-on-remove: memory probe keeps for the device's lifetime, never freed."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer import drivers
from analyzer.findings import Finding, Related
from analyzer.plugins import Context, Rule
from rules._shared import finding


class LeakOnRemove(Rule):
    code = "DML002"
    name = "leak-on-remove"
    severity = "warning"
    summary = "memory allocated in probe and kept for the device's lifetime is never freed"
    needs = (("allocator:plain",), ("reallocator:plain",))
    doc = """\
## What it finds
A plain (not device-managed) allocation that probe, or a helper only probe
calls, stores in the driver's drvdata object (`priv->buf = kzalloc(...)`,
with `priv` handed to `platform_set_drvdata()` or one of its bus
variants), in a driver whose remove/disconnect callback is in the same
file, where nothing in the file frees that field: not remove, not a
helper, not a release registered with `devm_add_action_or_reset()`.

To stay precise it is conservative: a field counts as released when any
function in the file frees a path ending in that field name, copies it
elsewhere, passes it to a callee that may keep or release it, or hands the
whole drvdata object to a release-named function defined elsewhere.

## Why it matters
Every unbind (module unload, `echo ... > unbind`, hot-unplug, a deferred
probe that later fails) leaks the memory; on hotplug buses it piles up.

## Example
```c
static int foo_probe(struct platform_device *pdev)
{
        ...
        priv->table = kcalloc(n, sizeof(*priv->table), GFP_KERNEL);
        ...
        platform_set_drvdata(pdev, priv);
        return 0;
}

static int foo_remove(struct platform_device *pdev)
{
        /* DML002: priv->table is never freed */
        return 0;
}
```

## Fix
Allocate with the `devm_` variant (`devm_kcalloc()`), or free the field in
remove (and on probe's error paths).
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        m = drivers.model(ctx.result, ctx.apis)
        seen: set[tuple[int, str]] = set()
        released: dict[str, bool] = {}
        for function, chain, site in m.lifetime_stores():
            binding = m.binding_of(function)
            if binding is None or not binding.remove or (site.rid, chain) in seen:
                continue
            if site.origin is not None and drivers.PROBE in m.context(site.origin[0]):
                continue  # reported where the helper stores it
            seen.add((site.rid, chain))
            if chain not in released:
                released[chain] = m.field_released(chain)
            if released[chain]:
                continue
            remove = binding.remove[0]
            rfn = m.functions[remove]
            message = (
                f"`{chain.lstrip('-.>')}` of the drvdata object gets {site.api}() memory in "
                f"probe (line {site.span.line}) that nothing frees: `{remove}()` "
                f"(line {rfn.span.line}) does not, nor any release this file registers"
            )
            related = [Related(ctx.path, rfn.span.line, f"the remove callback `{remove}()`")]
            yield finding(
                self,
                ctx,
                function,
                site.span,
                message,
                related,
                "medium",
                chain,
                site.api,
            )
