"""The package version, sent in the ``user-agent`` header (kept equal to pyproject.toml by a test)."""

__version__ = "0.1.0"
