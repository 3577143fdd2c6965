"""DML001 leak-on-error-path."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.findings import Finding, Related
from analyzer.ownership import KEPT, Leak
from analyzer.plugins import Context, Rule
from rules._shared import finding

_WHY = {
    "unfreed": "is not freed, stored or returned",
    "overwritten": "loses its last reference (the pointer is overwritten) and is never freed",
    "container-freed": "is still live when {container}, which holds it, is freed",
    "container-freed-unnamed": "is still live when the structure that holds it is freed",
    "managed-container": "is plain memory held only by {container}, a devm allocation that "
    "devres frees when this fails; nothing frees the plain memory itself",
    "left-in-caller": "is left in the caller's structure although this function fails",
    "left-in-global": "is left in a global variable although this function fails",
    "member-lost": "is lost when {container} is freed here without it",
    "member-never-freed": "is lost when {container} is freed here without it "
    "(no teardown in the file frees it)",
    "member-filled-elsewhere": "is lost when {container} is freed here without it "
    "(no teardown in the tree frees it)",
    "member-skipped": "is lost when {container} is freed here without it "
    "(this function frees it first on another path)",
    "member-cleared": "loses its last pointer (no teardown in the file frees it)",
}


class LeakOnErrorPath(Rule):
    code = "DML001"
    name = "leak-on-error-path"
    severity = "warning"
    summary = "kmalloc-family memory not freed, stored or returned on a path to a function exit"
    # Leaks are of plain allocations (devm memory never leaks itself).
    needs = (("allocator:plain",), ("reallocator:plain",))
    doc = """\
## What it finds
Memory from a kmalloc-family allocator (kmalloc, kzalloc, kcalloc, kstrdup,
kmemdup, kvmalloc, vmalloc, memdup_user, krealloc, a same-file wrapper
around them, an sg_table or kfifo that sg_alloc_table()/kfifo_alloc()
filled, an ACPI buffer ACPICA allocated for `ACPI_ALLOCATE_BUFFER`, ...)
that reaches a function exit on some path without being freed, returned,
or stored somewhere that outlives the function; also
memory still held by a structure the path frees (`kfree(x)` with x->buf
live, `free_netdev(ndev)` with the private area's buffers live). The
finding points at the `goto` or `return` where the leaking path leaves;
the allocation is the related location. One exit leaking the same access
path from several allocations (`hw->block[i].bmap` filled four times) is
one finding, with each allocation as a related location.

## Why it matters
Error paths run rarely and are rarely tested: each leaked buffer stays
allocated until reboot, and a probe that fails and is retried (deferred
probing, module reload, hotplug) leaks again each time. Hundreds of
upstream fixes every year repair exactly this.

## Example
```c
buf = kzalloc(len, GFP_KERNEL);
if (!buf)
        return -ENOMEM;
ret = regmap_bulk_read(map, reg, buf, len);
if (ret)
        return ret;             /* DML001: buf leaks */
```

## Fix
Free the memory on that path (usually by jumping to the unwind label that
frees it), or allocate it with the `devm_` variant when it lives as long as
the bound device, or hold it with `__free(kfree)`.

## Confidence
*high*: the leak is visible inside the function; *medium*: it rests on a
callee's summary, on devm memory that devres frees, or on the rule that a
failing function undoes what it left in its caller's structure or in a
global variable (shown where the function frees that global on another
failing path, where it undoes its stores on another error path, where a
caller frees that member on its other error paths, or where the ops-table
counterpart of the function frees it: `.open` leaves `runtime->private_data`
that `.close` frees, and no framework closes what failed to open), or on a
release that frees a structure without a member that nothing else in the
file frees but the code that filled it, on its own failure (`kfree(dev)` in
disconnect, `dev->buf` freed only on probe's error path), or that is grown
with krealloc() and freed nowhere, or that another file fills for good
while no teardown in the tree frees it (the summary database records who
fills and who frees each `struct T` member: `rpdev->driver_override`, set
by the bus core and freed only by other drivers' releases of their own
devices, lost by a device release that frees `rpdev` alone; only in a
file of a kernel tree, of the filler's driver or subsystem, that sees the
structure's definition; not a member some file points at memory not its
own, a literal or a parameter), or that
the same function frees
before the structure on another path (`kfree(d->res); kfree(d);` when one
step fails, `kfree(d);` alone when another does). A block
handed to a callee or an API that keeps it (`request_irq(.., priv)`,
`list_add`) is still the function's own when it goes on to free it on an
error path. *low*
(shown with `--min-confidence low`): memory another file's function made
(`usb_alloc_urb()`, the summary database's allocators: such objects come
with their subsystem's conventions), unless the function left it in its
caller's structure and releases it there on another path; leaks at success exits or at exits
not reached through a failed check (but `ret = helper(..); return ret;`, with
ret read nowhere else and helper returning an errno, is helper's failure
too, and shown). Four kinds of evidence show such a leak whatever the exit
returns: a hand-over tested and refused (`if (!queue(q)) err = ..;`, or
`ret = idr_alloc(.., q, ..); if (ret < 0) pr_err(..);`: a callee or sink
that keeps the block only when it succeeds took its other result, and the
block went nowhere since); a scratch buffer (a local the function frees by
name on another path, whose pointer it never copies, sets to NULL below
the allocation, or hands in part to unknown code: airspy's
firmware-version string, freed on the error path only); a block of a
`transient` family (a devres entry, which exists only to be
devres_add()ed); and a member still live in a structure the path frees
(not an array element, nor a block of an earlier pass of a loop). An exit
that a success telling nothing and an error (`rc = -ENODEV`) both reach
reports the error way for a block the function frees by name elsewhere.
Also low: paths that step over a guarded free,
put another block in the block's place (`if (a) p = x(); if (b) p = y();`)
or leave a loop that stores the block before its first trip, blocks given
to a callee we cannot see together with a block since handed over
(`init_cmd(cmd, parm); enqueue(cmd)`: a macro may have linked them), an earlier
loop iteration's block, and caller-cleans-up cases: memory a failing
function leaves in its caller's structure is shown only when a caller in
the file frees or leaks that structure, or (by the summary database) a
caller in another file frees the structure it gave, freeing none of its
members, when the function fails, or when the function frees what it
stored there on another failing path (it undoes its own work, so the
leftover is its bug); plain memory in a devm block that the caller's
structure holds is low. So is a member lost when a release function frees
its structure (`kfree(d)` without `d->main_buf`, which another function of
the file fills and a teardown frees elsewhere): a caller or that teardown
usually freed the member first. A teardown that sets such a member to
NULL without freeing it (`d->srv = NULL;` after `srv_stop(d->srv)`), when
nothing in the file frees the member, loses its last pointer: that is
reported at medium confidence. Triage found most low findings to be memory handed over
in ways the tool cannot see.
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        for fr in ctx.result.functions:
            # One finding per exit and held block: the same access path, from
            # the same allocator, leaking at the same exit from several
            # allocation sites (`hw->block[i].bmap` of four blocks) is one
            # report with each allocation as a related location.
            groups: dict[tuple, list[Leak]] = {}
            for leak in fr.leaks:
                where = leak.via or leak.exit
                key = (where.line, where.col, leak.holder, leak.site.api, leak.reason)
                groups.setdefault(key, []).append(leak)
            for leaks in groups.values():
                yield self.finding(ctx, fr.function.name, leaks)

    def finding(self, ctx: Context, function: str, leaks: list[Leak]) -> Finding:
        ranked = sorted(leaks, key=lambda lk: (_RANK[_confidence(lk)], lk.site.span.line))
        leak, confidence = ranked[0], _confidence(ranked[0])
        where = leak.via or leak.exit
        site = leak.site
        lines = sorted({lk.site.span.line for lk in leaks})
        # (a block an earlier pass of a loop allocated, not this pass's)
        earlier = ", an earlier pass of the loop" if leak.earlier else ""
        at = f"line {lines[0]}" if len(lines) == 1 else f"lines {_listed(lines)}"
        what = f"`{leak.holder}` ({site.api}() at {at}{earlier})"
        if leak.filled_in:  # (filled by another file: no allocation line here)
            what = f"`{leak.holder}` (new memory from {site.api}() in {leak.filled_in})"
        path = f" when {leak.because}" if leak.because else ""
        if leak.via:
            leaves = (
                f"`{leak.via_text}` (line {leak.via.line}) leaves through "
                f"`{leak.exit_text}` (line {leak.exit.line})"
            )
        else:
            leaves = f"`{leak.exit_text}` (line {leak.exit.line}) leaves"
        container = _container(leak.holder)
        if leak.reason.startswith("member-"):  # (the structure freed, not the embedded one)
            container = f"`{leak.holder.split('->', 1)[0]}`"
        reason = leak.reason if leak.reason in _WHY else "unfreed"
        if container is None and reason == "container-freed":  # `*method`: no name for it
            reason = "container-freed-unnamed"
        why = _WHY[reason].format(container=container or "the structure that holds it")
        message = f"{what} {why}{path}: {leaves}"
        related = [
            Related(ctx.path, line, f"allocated here by {site.api}()")
            for line in lines
            if not leak.filled_in
        ]
        if leak.via:
            related.append(Related(ctx.path, leak.exit.line, "the function exits here"))
        key = (leak.holder, site.api, leak.via_text or leak.exit_text)
        return finding(self, ctx, function, where, message, related, confidence, *key)


_RANK = {"high": 0, "medium": 1, "low": 2}
# a structure's free (or a member's drop) without the member: the evidence is the
# free itself, whatever the exit
_STRUCTURE_FREED = (
    "member-never-freed",
    "member-filled-elsewhere",
    "member-skipped",
    "member-cleared",
)
# reasons that rest on a convention (what a caller or a teardown does): medium at best
_CALLER_CONVENTION = ("managed-container", "left-in-caller", "left-in-global", *_STRUCTURE_FREED)


def _confidence(leak: Leak) -> str:
    medium = leak.reason in _CALLER_CONVENTION or leak.site.via_summary or leak.truncated
    return "low" if _doubtful(leak) else "medium" if medium else "high"


def _listed(lines: list[int]) -> str:
    """[3, 5, 9] -> "3, 5 and 9"."""
    return ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}"


def _doubtful(leak: Leak) -> bool:
    """Shown only with `--min-confidence low`.

    A leak that rests on the caller-cleans-up convention (tentative), or one
    at an exit that is not an error exit: a success return (`return 0`, a
    pointer), or an exit whose value says nothing (`void`, an unknown
    `ret`) reached other than through a failed check. On triaged findings
    such exits were memory handed over on a success path in 23 of 24
    cases; the rule is about error paths.
    """
    if leak.tentative:
        return True
    # a member still live in a structure this path frees: the free is the
    # evidence, as for _STRUCTURE_FREED, whatever the exit (not an element,
    # `dm[i]`, which a loop may have handed over one by one, nor the block of
    # an earlier pass of a loop)
    freed_with = leak.reason == "container-freed" and "[" not in leak.holder
    below = (leak.via or leak.exit).line > leak.site.span.line
    freed_with = freed_with and below and not (leak.earlier or leak.copied_out)
    evident = leak.refused or leak.scratch or freed_with  # (see the rule page)
    # (a devres entry kept at a success exit is the bug itself, and the free
    # stepped over, transient or not, is the failure branch's `devres_free()`)
    if leak.error_exit is False and not (evident or leak.transient):
        # (a block a callee refused, the path having tested its result, is
        # lost whatever the function returns: `if (!queue(q)) err = ..;`)
        return True
    if leak.helper_failed:
        # at `return foo_add(x)` taken as failing (x freed by it then): what
        # else leaks there rests on the rest of the helper's summary
        return True
    if leak.site.foreign and not leak.released_elsewhere:
        # Made by another file's function (`usb_alloc_urb()`, `aac_fib_alloc()`,
        # the summary database's allocators): such objects come with their
        # subsystem's conventions (a completion that frees the command, a
        # release on -ERESTARTSYS), and triage of these findings on drivers/
        # found too many of them to show them by default. One the function
        # itself releases on another path, left in its caller's structure
        # on this one, is its own setup not undone.
        return True
    if leak.skipped_free and not leak.transient:
        # `if (!buf->sgl_dst_valid) kfree(buflout);` stepped over on this path: the
        # guard is correlated with the allocation (a flag, a size) in the cases
        # triaged, and the tool cannot relate the two
        return True
    if leak.partner_gone:
        # `init_h2fwcmd(ph2c, parm, ..)` (a macro that sets ph2c->parmbuf = parm),
        # then ph2c handed over (queued): parm most likely went with it
        return True
    if leak.replaced:
        # `if (dma->pages) dma->sglist = a(); if (dma->vaddr) dma->sglist = b();`:
        # another block was put in its place, the two taken for exclusive
        return True
    if leak.older_at_null and "[" not in leak.holder:
        # `p = kmalloc(); if (!p) goto err;` in a loop, the leak being the block an
        # earlier iteration left in `p`: it was linked somewhere the tool did not
        # see, or the overwrite itself leaked it (triage: 4 of 4 such were false)
        return True
    if leak.lent == KEPT and (leak.earlier or (leak.via or leak.exit).line < leak.site.span.line):
        # `clks[i] = clk_register_composite(.., &divider->hw, ..)` in an earlier
        # pass of a loop (the path leaves above the allocation), then a later
        # pass fails: the block went to a keeper, which still holds it (what
        # leaks is the registration, not the memory)
        return True
    if leak.reason in _STRUCTURE_FREED:
        # (the structure's free, or the member's drop, is the evidence: its
        # exit, a release path's end or an error return, adds nothing)
        return False
    if leak.reason == "member-lost":
        # a caller or a teardown freed the member first in most triaged cases
        # (hpsa, tcmu, cdc-acm: 4 of 16 true), which the file does not show
        return True
    return leak.error_exit is None and not (leak.failing or evident)


def _container(holder: str) -> str | None:
    """`priv->buf` -> "`priv`": name the structure, so the message says which block is meant."""
    cut = max(holder.rfind("->"), holder.rfind("."), holder.rfind("["))
    return f"`{holder[:cut]}`" if cut > 0 else None
