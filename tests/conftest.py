import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Every test gets an empty results cache of its own, never the user's."""
    monkeypatch.setenv("DEVMLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
