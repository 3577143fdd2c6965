"""Read `// expect: DML001 DML001` annotations from fixture files.

`// expect: CODE` is a finding the default output shows (medium or high
confidence); `// expect-low: CODE` is a tentative (low confidence) one.
"""

from __future__ import annotations

import re
from collections import Counter

_EXPECT = re.compile(r"//\s*expect(?P<low>-low)?:\s*(?P<codes>(?:DML\d{3}\s*)+)")


def expected(path: str) -> Counter:
    """(line, rule, tier) -> how many findings must be there; tier is "low" or "shown"."""
    out: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            m = _EXPECT.search(line)
            if m:
                tier = "low" if m.group("low") else "shown"
                for code in m.group("codes").split():
                    out[(lineno, code, tier)] += 1
    return out
