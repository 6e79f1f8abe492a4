"""Report: findings and grades -> text. Reporters never compute grades or read files.

Registries by format name: ``findings.FINDINGS`` (validate, check, stale),
``grades.GRADES`` (grade), ``diff.DIFFS`` (diff), and ``registry.MAPS``,
``registry.QUADRANT`` and ``registry.PORTFOLIO`` (map, portfolio), whose names feed the
CLI's ``--format`` choices and help. A reporter is a small class with
``render(..., **options) -> str``. Every label goes through ``labels._``.
"""
