"""Everything that is not drawing. Nothing below this package imports Qt (enforced by import-linter and a test)."""
