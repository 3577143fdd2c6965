"""gcc-style text: `file:line:col: severity: message [CODE]`.

On a terminal each finding gets colour and a code frame (rich); piped,
the output is plain, one finding a line, so grep and editors read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from analyzer.findings import Finding

if TYPE_CHECKING:
    from rich.syntax import Syntax


def line_of(f: Finding) -> str:
    """The gcc-style line of DESIGN.md; confidence is in JSON/SARIF and the rich view."""
    return f"{f.file}:{f.line}:{f.column}: {f.severity}: {f.message} [{f.rule}]"


def write(
    out: TextIO,
    findings: list[Finding],
    summary: dict,
    color: bool,
    sources: dict[str, bytes] | None = None,
) -> None:
    """`sources`: text to show instead of the file on disk (--patch checks a version
    that exists only in memory)."""
    if not color:
        for f in findings:
            out.write(line_of(f) + "\n")
        return
    from rich.console import Console  # (imported on use: 8 ms of every start otherwise)

    console = Console(file=out, force_terminal=True, highlight=False)
    for f in findings:
        style = "bold red" if f.severity == "error" else "bold yellow"
        console.print(
            f"[bold]{f.file}:{f.line}:{f.column}:[/bold] [{style}]{f.severity}:[/{style}] "
            f"{_escape(f.message)} [cyan]\\[{f.rule}][/cyan] [dim]({f.confidence})[/dim]"
        )
        frame = _frame(f, (sources or {}).get(f.file))
        if frame is not None:
            console.print(frame)
        for r in f.related:
            console.print(f"  [dim]{r.file}:{r.line}: note: {_escape(r.message)}[/dim]")
    n = summary.get("findings", len(findings))
    console.print(
        f"[bold]{n} finding{'s' if n != 1 else ''}[/bold] in {summary.get('files', 0)} files"
        f" ({summary.get('seconds', 0)} s)"
    )


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _frame(f: Finding, source: bytes | None = None) -> Syntax | None:
    if source is not None:
        code = source.decode("utf-8", "replace")
    else:
        try:
            with open(f.file, encoding="utf-8", errors="replace") as fh:
                code = fh.read()
        except OSError:
            return None
    from rich.syntax import Syntax

    return Syntax(
        code,
        "c",
        line_numbers=True,
        line_range=(max(1, f.line - 2), f.line + 1),
        highlight_lines={f.line},
        theme="ansi_dark",
    )
