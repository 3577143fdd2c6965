"""DML003 redundant-devm-kfree: devm_kfree() where devres frees the memory anyway."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer import drivers
from analyzer.drivers import PROBE, REMOVE, DriverModel
from analyzer.engine import FunctionResult
from analyzer.findings import Finding
from analyzer.ownership import FreeCall, Site
from analyzer.plugins import Context, Rule
from rules._shared import allocated_here, arg_text, finding


class RedundantDevmKfree(Rule):
    code = "DML003"
    name = "redundant-devm-kfree"
    severity = "warning"
    summary = "devm_kfree() of devm memory on a probe error path or in remove: devres frees it"
    needs = (("free:managed", "allocator:managed"), ("free:managed", "reallocator:managed"))
    doc = """\
## What it finds
`devm_kfree()` of memory a devm allocator returned, where devres is about
to free it anyway:
- on an error path of probe (or of a helper whose failure fails probe,
  on every call chain), for memory allocated on the bound device;
- in remove/disconnect (or a helper only remove calls), for memory probe
  stored in the drvdata object.

It stays silent wherever the call is legitimate: the function is also
reachable from a runtime path (open, ioctl, ndo ops, reset, callbacks:
anything that is not provably probe or remove), the helper's failure does
not fail probe (the caller logs and continues), the memory is a temporary
also released on probe's success path, the devres owner is not the bound
device (a netdev, a child device, another driver's device), or the
pointer lives on in a longer-lived object and is NULLed after the free.

## Why it matters
The call is dead weight that suggests the author did not trust devres, and
it is where use-after-free bugs start: a later unwind step that still uses
the buffer, or a copy of the pointer kept elsewhere.

## Example
```c
priv->lut = devm_kcalloc(dev, n, sizeof(*priv->lut), GFP_KERNEL);
if (!priv->lut)
        return -ENOMEM;
ret = foo_load_lut(priv);
if (ret) {
        devm_kfree(dev, priv->lut);     /* DML003: devres frees it */
        return ret;
}
```

## Fix
Remove the `devm_kfree()` call (and its unwind label if that was all it
did): devres frees the memory when probe fails or after remove.
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        m = drivers.model(ctx.result, ctx.apis)
        for fr in ctx.result.functions:
            for fc in fr.frees:
                if fc.api.managed:
                    yield from self._check(ctx, m, fr, fc)

    def _check(self, ctx: Context, m: DriverModel, fr: FunctionResult, fc: FreeCall):
        fn = fr.function
        context = m.context(fn.name)
        if not context or len(context) != 1:
            return  # runtime-reachable, or shared by probe and remove: not provable
        if fc.api.pointer is None or fc.api.pointer >= len(fc.call.args):
            return
        device = m.device_arg(fc.call)
        if device is None or not m.bound_device(fn, device):
            return  # the devres owner may be another device
        if m.nulled_after(fn, fc):
            return  # kept in a longer-lived object for reuse
        what = arg_text(fc.call, fc.api.pointer)
        sites: list[Site] = []
        if PROBE in context:
            sites = m.managed_reach(fc)
            if not sites and fc.unresolved:
                stored = m.stored_reach(fr, fc)
                if stored and all(m.is_managed(s) for s in stored):
                    sites = stored
            if not sites or m.unmanaged_reach(fc) or not self._same_owner(m, fn, sites):
                return
            classes = m.exit_classes(fn, fc)
            if "error" not in classes or "success" in classes or "unknown" in classes:
                return  # not (only) an error path: a temporary, or unknown
            if not m.failure_fails_probe(fn.name):
                return
            when = "on an error path of probe: devres frees it when probe fails"
        else:
            assert REMOVE in context
            if any(m.reached(fc)):
                return  # memory made in remove itself: a temporary
            fact = m.drvdata_field(fn, fc.call.args[fc.api.pointer])
            if fact is None or not fact.managed:
                return
            sites = list(fact.sites)
            when = "in remove: devres frees it after remove returns"
        site = sites[0]
        message = (
            f"`{what}` ({site.api}() at line {site.span.line}) is freed by devm_kfree() {when}; "
            "the call is redundant"
        )
        related = allocated_here(ctx, sites)
        yield finding(
            self,
            ctx,
            fn.name,
            fc.call.span,
            message,
            related,
            "medium" if REMOVE in context or site.via_summary else "high",
            what,
            site.api,
        )

    @staticmethod
    def _same_owner(m: DriverModel, fn, sites: list[Site]) -> bool:
        """Each allocation was made on the bound device too."""
        for s in sites:
            found = m.allocation_call(s)
            if found is None:
                return False
            afn, call = found
            device = m.device_arg(call)
            if device is None or not m.bound_device(afn, device):
                return False
        return True
