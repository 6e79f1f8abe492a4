"""Refused inputs: each gives KAM001 with a clear message and location; nothing else is hidden."""

from __future__ import annotations

import os

import pytest

from conftest import findings_of, write_account


def kam001(kam, root):
    r = kam(root, "validate", "--format", "json")
    assert r.exit_code == 1
    found = [f for f in r.json()["findings"] if f["code"] == "KAM001"]
    good = kam(root, "grade", "--format", "json").json()["accounts"]
    assert any(a["id"] == "good" and a["valid"] for a in good)  # the other account is untouched
    return found


def test_object_tags_refused(kam, tmp_path):
    write_account(tmp_path, "good")
    write_account(
        tmp_path,
        "bad",
        {
            "stakeholders.yaml": "stakeholders:\n  - id: a\n    name: !!python/object/apply:os.system ['touch pwned']\n    attitude: 1\n"
        },
    )
    (f,) = kam001(kam, tmp_path)
    assert (f["line"], f["column"]) == (3, 11)
    assert "YAML tag !!python/object/apply:os.system is not allowed" in f["message"]
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    "tag", ["!!python/name:os.system", "!custom", "!!binary", "!!set", "!!omap"]
)
def test_other_tags_refused(kam, tmp_path, tag):
    write_account(tmp_path, "good")
    write_account(tmp_path, "bad", {"org.yaml": f"units: {tag} []\n"})
    (f,) = kam001(kam, tmp_path)
    assert f["line"] == 1 and "is not allowed" in f["message"]


def test_billion_laughs_bounded(kam, tmp_path):
    lol = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lol.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    write_account(tmp_path, "good")
    write_account(tmp_path, "bad", {"targets.yaml": "\n".join(lol) + "\n"})
    (f,) = kam001(kam, tmp_path)
    assert "alias expansion over the limit" in f["message"]
    assert (
        f["line"] == 5
    )  # a 10, b 90, c 819, d 7,380 nodes so far; the first *d on line 5 passes 10,000


def test_file_over_size_limit(kam, tmp_path):
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "bad")
    (folder / "targets.yaml").write_text("# " + "x" * 2_000 + "\n" * 1000)
    (tmp_path / "kam.yaml").write_text("max_file_size: 1500\n")
    found = kam001(kam, tmp_path)
    assert any(
        "over the limit of 1,500 bytes" in f["message"] and f["path"].endswith("bad/targets.yaml")
        for f in found
    )


def test_default_size_limit_is_5mb(kam, tmp_path):
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "bad")
    (folder / "org.yaml").write_bytes(b"# " + b"x" * 5_000_001 + b"\n")
    (f,) = kam001(kam, tmp_path)
    assert "over the limit of 5,000,000 bytes" in f["message"]


def test_non_utf8_with_position(kam, tmp_path):
    write_account(tmp_path, "good")
    write_account(
        tmp_path,
        "bad",
        {"stakeholders.yaml": b"stakeholders:\n  - id: a\n    name: M\xfcller\n    attitude: 1\n"},
    )
    (f,) = kam001(kam, tmp_path)
    assert (f["line"], f["column"]) == (3, 12)
    assert "not valid UTF-8 (byte 0xfc)" in f["message"]


def test_utf16_refused(kam, tmp_path):
    write_account(tmp_path, "good")
    write_account(tmp_path, "bad", {"account.yaml": "id: bad\n".encode("utf-16")})
    (f,) = kam001(kam, tmp_path)
    assert "UTF-16" in f["message"]


def test_utf8_bom_is_fine(kam, tmp_path):
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "bom")
    raw = (folder / "stakeholders.yaml").read_bytes()
    (folder / "stakeholders.yaml").write_bytes(b"\xef\xbb\xbf" + raw)
    r = kam(tmp_path, "validate")
    assert r.exit_code == 0
    (folder / "stakeholders.yaml").write_bytes(
        b"\xef\xbb\xbf" + raw.replace(b"attitude: 2", b"attitude: 9")
    )
    assert ("KAM002", 5, 15) in findings_of(
        kam(tmp_path, "validate", "--format", "json")
    )  # positions unchanged by the BOM


def test_symlink_outside_repository_not_followed(kam, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("stakeholders:\n  - {id: x, name: TOP-SECRET, attitude: 1}\n")
    repo = tmp_path / "repo"
    write_account(repo, "good")
    folder = write_account(repo, "bad")
    (folder / "stakeholders.yaml").unlink()
    (folder / "stakeholders.yaml").symlink_to(secret)
    (f,) = kam001(kam, repo)
    assert "symbolic link pointing outside the repository" in f["message"]
    for cmd in ("check", "grade"):
        assert "TOP-SECRET" not in kam(repo, cmd, "--format", "json").stdout


def test_symlink_inside_repository_followed(kam, tmp_path):
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "linked")
    shared = tmp_path / "shared.yaml"
    shared.write_text((folder / "stakeholders.yaml").read_text())
    (folder / "stakeholders.yaml").unlink()
    (folder / "stakeholders.yaml").symlink_to(shared)
    assert kam(tmp_path, "validate").exit_code == 0


def test_folder_where_a_file_should_be(kam, tmp_path):
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "bad")
    (folder / "org.yaml").mkdir()
    (f,) = kam001(kam, tmp_path)
    assert "this is a folder" in f["message"] and f["path"].endswith("bad/org.yaml")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(kam, tmp_path):
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "bad")
    (folder / "targets.yaml").write_text("period: 2027\n")
    os.chmod(folder / "targets.yaml", 0)
    (f,) = kam001(kam, tmp_path)
    assert "cannot read the file" in f["message"]


def test_unreadable_file_as_root_via_fifo(kam, tmp_path):
    """Root can read any file, so a FIFO (not a regular file) stands in for an unreadable one."""
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "bad")
    os.mkfifo(folder / "targets.yaml")
    (f,) = kam001(kam, tmp_path)
    assert "not a regular file" in f["message"]


def test_multiple_documents_and_duplicate_keys(kam, tmp_path):
    write_account(tmp_path, "good")
    write_account(
        tmp_path,
        "bad",
        {"org.yaml": "units: []\n---\nunits: []\n", "targets.yaml": "period: 1\nperiod: 2\n"},
    )
    found = kam001(kam, tmp_path)
    msgs = {f["path"].split("/")[-1]: (f["line"], f["message"]) for f in found}
    assert msgs["org.yaml"][0] == 2 and "more than one YAML document" in msgs["org.yaml"][1]
    assert msgs["targets.yaml"] == (
        2,
        "period is written twice in this entry (first on line 1): a key holds one value, "
        "and kam does not guess which one you meant",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
def test_an_accounts_folder_this_user_cannot_list_is_one_line(tmp_path, monkeypatch):
    """kam check, kam grade and kam diff (against the working tree) on an accounts folder
    without read permission: one line naming it, exit 1 or 2, never a traceback."""
    import subprocess
    import sys

    from conftest import write_account
    from gitrepo import commit, git

    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "kam@example.com")
    git(tmp_path, "config", "user.name", "kam")
    write_account(tmp_path, "acme")
    commit(tmp_path, "start", "2026-01-05")
    accounts = tmp_path / "accounts"
    accounts.chmod(0o311)  # may enter, may not list
    try:
        for args in (["check"], ["grade"], ["diff"]):
            got = subprocess.run(
                [sys.executable, "-m", "kamtool", *args],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                env={**os.environ, "KAM_TODAY": "2026-02-01"},
            )
            assert got.returncode in (1, 2), (args, got.stderr)
            assert "Traceback" not in got.stderr and "internal error" not in got.stderr
            assert "cannot read the folder accounts: Permission denied" in got.stderr, args
    finally:
        accounts.chmod(0o755)
