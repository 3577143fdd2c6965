"""Read `// expect: DML001 DML001` annotations from fixture files."""

from __future__ import annotations

import re
from collections import Counter

_EXPECT = re.compile(r"//\s*expect:\s*((?:DML\d{3}\s*)+)")


def expected(path: str) -> Counter:
    """(line, rule) -> how many findings must be there."""
    out: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            m = _EXPECT.search(line)
            if m:
                for code in m.group(1).split():
                    out[(lineno, code)] += 1
    return out
