"""Shared helpers of the devm rules (DML002-DML005): one finding at a call."""

from __future__ import annotations

from analyzer.findings import Finding, Related, fingerprint
from analyzer.ir import Span
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
        message=message,
        related=related,
        fingerprint=fingerprint(rule.code, function, *key),
    )


def arg_text(call, index: int | None) -> str:
    if index is None or index >= len(call.args):
        return "?"
    return call.args[index].text
