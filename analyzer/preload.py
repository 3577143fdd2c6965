"""Imported by the worker processes' fork server: the shipped tables, loaded once.

Each pool of workers forks from one server process; what it loaded (the
built-in API tables and summary database, both parsed from text) every
worker then has without parsing it again.  A run with other tables loads
its own in the workers, as it would without this.
"""

from analyzer import apis, summarydb

apis.builtin()
summarydb.load(None)
