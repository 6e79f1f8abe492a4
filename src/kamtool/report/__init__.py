"""Report: findings and grades -> text. Reporters never compute grades or read files.

Registries by format name: ``findings.FINDINGS`` (validate, check, stale),
``grades.GRADES`` (grade) and ``diff.DIFFS`` (diff). A reporter is a small class
with ``render(result, ...) -> str``.
"""
