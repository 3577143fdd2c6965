"""Shared helpers of the rules: one finding at a span, and the allocations reaching a free."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from analyzer import drivers
from analyzer.findings import Finding, Related, fingerprint
from analyzer.ir import Span, unshadow
from analyzer.plugins import Context, Rule


def finding(
    rule: Rule,
    ctx: Context,
    function: str,
    where: Span,
    message: str,
    related: list[Related],
    confidence: str,
    *key: str,
) -> Finding:
    return Finding(
        rule=rule.code,
        name=rule.name,
        severity=rule.severity,
        confidence=confidence,
        file=ctx.path,
        line=where.line,
        column=where.col,
        end_line=where.end_line,
        function=function,
        message=unshadow(message),
        related=related,
        fingerprint=fingerprint(rule.code, function, *map(unshadow, key)),
    )


def arg_text(call, index: int | None) -> str:
    if index is None or index >= len(call.args):
        return "?"
    return call.args[index].text


def reaching_sites(m: drivers.DriverModel, fn, fc, managed: bool) -> tuple[list, str]:
    """The devm (`managed`) or plain allocations that reach free call `fc`, and
    where they were made: "here" on the path to it, or "in probe" when remove
    frees a drvdata field that probe filled."""
    sites = m.managed_reach(fc) if managed else m.unmanaged_reach(fc)
    if sites or any(m.reached(fc)) or drivers.REMOVE not in m.context(fn.name):
        return sites, "here"
    fact = m.drvdata_field(fn, fc.call.args[fc.api.pointer])
    if fact is not None and fact.managed == managed:
        return list(fact.sites), "in probe"
    return [], "here"


def allocated_here(ctx: Context, sites) -> list[Related]:
    return [Related(ctx.path, s.span.line, f"allocated here by {s.api}()") for s in sites]


def wrong_family_frees(
    rule: Rule, ctx: Context, managed_free: bool, describe: Callable[..., str]
) -> Iterator[Finding]:
    """Frees of one family (`devm_kfree()` when `managed_free`, `kfree()` otherwise)
    that memory of the other family reaches. DML004 and DML005 differ only in
    their wording: `describe(what, site, where, free_name)` gives the message."""
    m = drivers.model(ctx.result, ctx.apis)
    for fr in ctx.result.functions:
        fn = fr.function
        for fc in fr.frees:
            if fc.api.managed != managed_free:
                continue
            what = arg_text(fc.call, fc.api.pointer)
            sites, where = reaching_sites(m, fn, fc, managed=not managed_free)
            if not sites:
                continue
            site = sites[0]
            confidence = "medium" if where != "here" or site.via_summary else "high"
            yield finding(
                rule,
                ctx,
                fn.name,
                fc.call.span,
                describe(what, site, where, fc.call.func),
                allocated_here(ctx, sites),
                confidence,
                what,
                fc.call.func or "",
                site.api,
            )
