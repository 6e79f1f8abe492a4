"""kam: key account management on plain YAML files kept in git."""

__version__ = "0.1.0"
