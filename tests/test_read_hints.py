"""A file kam cannot read for a reason other than its YAML gets advice on that reason.

KAM001's general hint ("Fix the YAML at this position...") was given for a symbolic link
out of the repository, a pipe, a folder, a link that leads nowhere and a file over
``max_file_size``: none of which is mended by editing YAML.
"""

from __future__ import annotations

import os

from conftest import write_account
from gitrepo import commit, new_repo


def _hints(kam, root) -> dict[str, tuple[str, str]]:
    r = kam(root, "check", "--format", "json")
    assert r.exit_code == 1
    return {
        f["path"].rsplit("/", 1)[-1]: (f["message"], f["hint"])
        for f in r.json()["findings"]
        if f["code"] == "KAM001"
    }


def test_each_reason_has_its_own_advice(kam, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("units: []\n")
    root = new_repo(tmp_path / "sales")
    (root / "kam.yaml").write_text("accounts: accounts\nmax_file_size: 2000\n")
    write_account(root, "vestvind", {})
    commit(root, "start")
    folder = root / "accounts" / "vestvind"
    (folder / "org.yaml").unlink(missing_ok=True)
    os.symlink(outside, folder / "org.yaml")
    (folder / "targets.yaml").unlink(missing_ok=True)
    (folder / "targets.yaml").mkdir()
    os.mkfifo(folder / "log.yaml")
    hints = _hints(kam, root)
    assert hints["org.yaml"][0] == "symbolic link pointing outside the repository: not followed"
    assert "put the file itself in the repository" in hints["org.yaml"][1]
    assert "kam reads regular files, not folders, pipes or devices" in hints["targets.yaml"][1]
    assert hints["log.yaml"][0] == "not a regular file"
    assert "not folders, pipes or devices" in hints["log.yaml"][1]

    (folder / "org.yaml").unlink()
    os.symlink("org-2026.yaml", folder / "org.yaml")  # renamed away
    (folder / "stakeholders.yaml").write_text("stakeholders: []\n" + "# padding\n" * 300)
    hints = _hints(kam, root)
    assert hints["org.yaml"][0] == "cannot read the file: No such file or directory"
    assert "The symbolic link leads to no file" in hints["org.yaml"][1]
    assert hints["stakeholders.yaml"][0].startswith("file is 3,017 bytes, over the limit")
    assert "split it, or raise max_file_size in kam.yaml" in hints["stakeholders.yaml"][1]
    assert not any("Fix the YAML" in hint for _message, hint in hints.values())


def test_a_file_typed_with_full_width_colons_is_told_at_its_first_key(kam, tmp_path):
    """A file whose every key has the full-width colon of a Chinese input method reads as
    one text: it was only "must be a mapping of keys" (kam.yaml's in English whatever the
    language), where one such key in a valid file is told at the key."""
    from conftest import write_account

    (tmp_path / ".git").mkdir()
    write_account(
        tmp_path,
        "c4",
        {"account.yaml": "id：c4\nname：测试\nowner：li.ming\nreviewed：2026-11-01\n"},
    )
    out = kam(tmp_path, "validate", "--format", "json")
    (finding,) = [f for f in out.json()["findings"] if f["path"].endswith("account.yaml")]
    assert (finding["code"], finding["line"], finding["column"]) == ("KAM001", 1, 3)
    assert finding["message"].startswith("a full-width colon '：' after id"), finding
    (tmp_path / "kam.yaml").write_text("# team settings\nlanguage：zh-CN\n", encoding="utf-8")
    bad = kam(tmp_path, "validate")
    assert bad.exit_code == 2
    assert "kam.yaml:2:9: KAM001 a full-width colon '：' after language" in bad.stdout + bad.stderr
    (tmp_path / "kam.yaml").write_text("just text\n", encoding="utf-8")
    text = kam(tmp_path, "validate")
    assert "kam.yaml must be a mapping of keys at the top level" in text.stdout + text.stderr
