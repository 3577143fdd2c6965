"""A third-party devmlint rule: it asks the engine, never the syntax tree."""

from analyzer.findings import Finding, fingerprint
from analyzer.plugins import Rule


class TooManyAllocations(Rule):
    code = "XMP001"
    name = "leaky-function"
    summary = "a function with more than one leak finding"
    doc = "## What it finds\nFunctions where the engine found two or more leaks.\n"

    def check(self, ctx):
        for fr in ctx.result.functions:
            if len(fr.leaks) >= 2:
                span = fr.function.span
                yield Finding(
                    rule=self.code,
                    name=self.name,
                    severity="warning",
                    confidence="medium",
                    file=ctx.path,
                    line=span.line,
                    column=span.col,
                    end_line=span.end_line,
                    function=fr.function.name,
                    message=f"{len(fr.leaks)} leaks in {fr.function.name}()",
                    fingerprint=fingerprint(self.code, fr.function.name),
                )
