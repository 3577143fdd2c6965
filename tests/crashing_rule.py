"""A rule that kills its worker process on one file: a crash in native code, simulated."""

from __future__ import annotations

import os

from analyzer.plugins import Rule


class CrashOnBoom(Rule):
    code = "DML900"
    name = "crash-on-boom"
    summary = "test only: exits the process when checking a file named boom.c"

    def check(self, ctx):
        if os.path.basename(ctx.path) == "boom.c":
            os._exit(3)
        return iter(())
