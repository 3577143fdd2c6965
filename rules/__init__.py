"""Built-in devmlint rules and the kernel API tables (apis.toml)."""
