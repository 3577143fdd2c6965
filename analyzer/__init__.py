"""devmlint: find kmalloc-family leaks and devm misuse in Linux driver C."""

__version__ = "0.1.0"
