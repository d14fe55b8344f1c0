"""A plugin module that ends the interpreter while it is imported (tests/hostile)."""

raise SystemExit(0)
