"""The rule API, and discovery of rules through the `devmlint.rules` entry points.

A rule is a class with a stable code, a name, a documentation page and a
`check` method that reads the engine's results for one file and yields
findings.  Built-in rules register through the same entry-point group as
third-party ones (see pyproject.toml); `devmlint rules` lists them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points

from analyzer.apis import ApiTable
from analyzer.engine import UnitResult
from analyzer.findings import Finding

GROUP = "devmlint.rules"
_BUILTIN = {
    "DML001": "rules.dml001:LeakOnErrorPath",
    "DML002": "rules.dml002:LeakOnRemove",
    "DML003": "rules.dml003:RedundantDevmKfree",
    "DML004": "rules.dml004:KfreeOfDevm",
    "DML005": "rules.dml005:DevmKfreeOfUnmanaged",
    "DML006": "rules.dml006:ConvertToDevm",
}


@dataclass
class Context:
    """What a rule may read: the engine's result for one file, and the API tables."""

    result: UnitResult
    apis: ApiTable
    path: str


class Rule:
    """Base class of every rule. Subclasses set the class attributes and `check`."""

    code: str = ""
    name: str = ""
    severity: str = "warning"
    summary: str = ""  # one line
    # The rule page, in sections: What it finds / Why it matters / Example / Fix.
    doc: str = ""
    # What a file must name for this rule to find anything in it (see
    # analyzer/prefilter.py): alternatives, each a tuple of API kinds such as
    # "allocator:plain" or "free:managed" that must all be named. A file no
    # enabled rule needs is not parsed. None: any file may hold a finding.
    needs: tuple[tuple[str, ...], ...] | None = None

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def tidy(cls, original: list[str], lines: list[str], apis: ApiTable) -> list[str]:
        """A file's text once all this rule's fixes there are applied (`--diff`, `--fix`):
        a rule may tidy what only their sum leaves behind. Default: unchanged."""
        return lines


class PluginError(RuntimeError):
    pass


def _load(spec: str, origin: str) -> type[Rule]:
    module, _, attr = spec.partition(":")
    try:
        obj = getattr(importlib.import_module(module), attr)
    except Exception as exc:  # a broken plugin must not take the run down
        raise PluginError(f"cannot load rule {origin} ({spec}): {exc}") from exc
    if not (isinstance(obj, type) and issubclass(obj, Rule) and obj.code):
        raise PluginError(f"{origin} ({spec}) is not a devmlint Rule with a code")
    return obj


def discover() -> tuple[dict[str, type[Rule]], list[str]]:
    """All installed rules by code, and the load problems met on the way."""
    rules: dict[str, type[Rule]] = {}
    problems: list[str] = []
    for ep in entry_points(group=GROUP):
        try:
            cls = _load(ep.value, ep.name)
        except PluginError as exc:
            problems.append(str(exc))
            continue
        rules.setdefault(cls.code, cls)
    # Running from a source tree that was never installed: the built-ins still work.
    for code, spec in _BUILTIN.items():
        if code not in rules:
            rules[code] = _load(spec, code)
    return dict(sorted(rules.items())), problems
