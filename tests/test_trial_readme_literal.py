"""The README followed literally, top to bottom, by a new user: each command block runs as
written in the state the text describes (kam through the real CLI, git as a shell runs
it, on real files and real repositories in tmp_path), and what the README shows or
claims of it is what kam does. The blocks are read from README.md, so that an edit of
the text and a change of kam cannot drift apart unnoticed. (The takeover, the week, the
PR comment and the CI files have their own tests: test_readme_takeover.py,
test_readme_examples.py, test_ci_docs.py.)"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import gitrepo
from conftest import EXAMPLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")

_GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "kam test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "kam test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def _section(heading: str) -> str:
    start = README.index(f"\n{heading}\n")
    end = README.find("\n## ", start + len(heading) + 2)
    return README[start : end if end >= 0 else len(README)]


def _block(section: str, fence: str = "sh") -> list[str]:
    """The lines of the first ``fence`` block of a section, without their comments."""
    opening = section.index(f"```{fence}\n") + len(fence) + 4
    body = section[opening : section.index("```", opening)]
    return [re.sub(r"\s+# .*$", "", line) for line in body.splitlines() if line.strip()]


def _run_line(kam, cwd: Path, line: str) -> tuple[Path, list[tuple[str, object]]]:
    """One shell line as the README writes it (commands joined by ``&&``; ``cd``
    changes the folder for the lines after it). Returns the folder it ends in and, per
    command, (command, result): kam's Result, or git's CompletedProcess."""
    done: list[tuple[str, object]] = []
    for command in (c.strip() for c in line.split("&&")):
        args = shlex.split(command)
        if args[0] == "cd":
            cwd = cwd / args[1]
            continue
        if args[0] == "kam":
            r = kam(cwd, *args[1:])
            assert r.exit_code == 0, (command, r.stdout, r.stderr)
        else:
            r = subprocess.run(
                command,
                shell=True,
                cwd=cwd,
                capture_output=True,
                text=True,
                env={**os.environ, **_GIT_IDENTITY},
            )
            assert r.returncode == 0, (command, r.stdout, r.stderr)
        done.append((command, r))
    return cwd, done


def _setting_up_a_team(kam, where: Path) -> tuple[Path, dict[str, object]]:
    """The block of "Setting up a team", run as written from ``where``: the team's
    repository and the result of each command."""
    results: dict[str, object] = {}
    cwd = where
    for line in _block(_section("## Setting up a team")):
        cwd, done = _run_line(kam, cwd, line)
        results.update(done)
    return cwd, results


def test_setting_up_a_team_runs_as_written_and_does_what_its_comments_say(kam, tmp_path):
    repo, results = _setting_up_a_team(kam, tmp_path)
    assert repo == tmp_path / "team-accounts"
    # "also writes schemas/"
    assert sorted(p.name for p in (repo / "schemas").iterdir()) == sorted(
        f"{kind}.schema.json"
        for kind in ("account", "stakeholders", "org", "targets", "log", "kam")
    )
    assert (
        "created schemas/account.schema.json"
        in results['kam init hartmann-stahl --name "Hartmann Stahl GmbH" --owner j.weber'].stdout
    )
    # "a new scaffold is a valid account"
    assert results["kam validate"].stdout.strip() == "0 errors, 0 warnings, 0 info in 2 accounts"
    # "what needs doing, first of all the placeholder person"
    check = results["kam check"].stdout
    assert "first-contact" in check.splitlines()[0]
    assert (repo / "accounts/huaxin/account.yaml").read_text("utf-8").count(
        "华信重工机械股份有限公司"
    ) == 1


def test_the_text_before_the_team_block_says_how_kam_is_found():
    """The opening commands install kam into `.venv/bin/kam` of kam's own folder; the
    team's block types `kam` in another repository: the text says how `kam` is found
    there, and that the team's repository is not made inside kam's folder."""
    intro = _section("## Setting up a team").split("```sh", 1)[0]
    assert ".venv/bin/kam" in intro and "activate" in intro
    assert "kamtool @ git+URL@COMMIT" in intro


def test_editor_set_up_writes_the_schemas_in_a_repository_kam_init_made(kam, tmp_path):
    """The state the README leaves: the team's repository as "Setting up a team" made it
    (kam init wrote the schemas). The Editor set-up's command works there as written
    and writes what `kam schema` prints; without --force it is refused, as the text says."""
    repo, _results = _setting_up_a_team(kam, tmp_path)
    (command,) = _block(_section("## Editor set-up (VS Code)"))
    assert "--force" in command
    repo, _done = _run_line(kam, repo, command)
    printed = kam(repo, "schema").json()
    names = {"config": "kam"}
    for kind, schema in printed.items():
        written = repo / "schemas" / f"{names.get(kind, kind)}.schema.json"
        assert json.loads(written.read_text("utf-8")) == schema, kind
    refused = kam(repo, *shlex.split(command)[1:-1])  # the same without --force
    assert refused.exit_code == 1
    assert "already exists: not overwritten" in refused.stderr
    assert '"already exists: not overwritten"' in " ".join(
        _section("## Editor set-up (VS Code)").split()
    )


def test_starting_from_your_crm_runs_as_written(kam, tmp_path):
    """The block of "Starting from your CRM" in a team repository, with a Salesforce
    export of the file name it uses: the dry run writes nothing, the import writes the
    people with attitude "?", names the placeholder as a candidate for left_on, and
    kam diff shows them."""
    repo, _results = _setting_up_a_team(kam, tmp_path)
    (repo / "nordtel-contacts.csv").write_text(
        "Id,FirstName,LastName,Title,ReportsToId,Department\n"
        "0035g00000AAAA1AAA,Anders,Berg,CEO,,\n"
        "0035g00000AAAA2AAA,Maria,Olsen,CFO,0035g00000AAAA1AAA,\n",
        encoding="utf-8",
    )
    results: dict[str, object] = {}
    for line in _block(_section("## Starting from your CRM")):
        if line.startswith("kam import") and "--dry-run" not in line:
            people = repo / "accounts/nordtel/stakeholders.yaml"
            assert "anders-berg" not in people.read_text("utf-8")  # the dry run wrote nothing
        repo, done = _run_line(kam, repo, line)
        results.update(done)
    dry = results["kam import csv nordtel-contacts.csv --account nordtel --dry-run"]
    assert "dry run: nothing written" in dry.stdout
    assert "First Contact (first-contact)" in dry.stdout  # the candidate for left_on
    people = (repo / "accounts/nordtel/stakeholders.yaml").read_text("utf-8")
    assert "id: anders-berg" in people and "id: maria-olsen" in people
    assert "reports_to: anders-berg" in people
    diff = results["kam diff"].stdout
    assert diff.startswith("kam diff HEAD → working tree")
    assert "Maria Olsen (CFO)\n    + new stakeholder, attitude unknown" in diff


def _json_table() -> dict[str, str]:
    """The rows of the README's table of JSON keys, by command."""
    section = _section("## JSON output")
    rows = {}
    for line in section.splitlines():
        m = re.match(r"^\| `kam (\w+(?: csv)?)`(?:, `?\w+`?)* \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = m.group(2)
    return rows


def _keys(text: str) -> dict[str, object]:
    """The keys a row of the table names, nested as its braces nest them (what stands in
    brackets is a comment about the key before it, and is skipped, as is a remark after
    the keys, past a semicolon)."""
    tokens = re.findall(r"`[^`]+`|[{}();]", text)
    root: dict[str, object] = {}
    stack = [root]
    last: str | None = None
    depth = 0  # inside parentheses
    for token in tokens:
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth:
            continue
        elif token == ";":
            if len(stack) == 1:
                break  # the rest of the row is a remark on the keys named
        elif token == "{":
            assert last is not None
            child: dict[str, object] = {}
            stack[-1][last] = child
            stack.append(child)
        elif token == "}":
            stack.pop()
        else:
            last = token.strip("`")
            stack[-1].setdefault(last, {})
    return root


def _shape(value: object, depth: int) -> dict[str, object]:
    """The keys of a JSON value, ``depth`` levels down (a list: the keys of its items)."""
    if isinstance(value, list):
        merged: dict[str, object] = {}
        for item in value:
            if isinstance(item, dict):
                merged.update(_shape(item, depth))
        return merged
    if not isinstance(value, dict) or depth == 0:
        return {}
    return {k: _shape(v, depth - 1) for k, v in value.items()}


def _same_keys(named: dict[str, object], real: dict[str, object], where: str) -> None:
    """Every key the README names is in the output, and every key of the output at a level
    the README lists is named (a level the README lists is one it gives keys of)."""
    assert set(named) == set(real), (where, sorted(set(named) ^ set(real)))
    for key, sub in named.items():
        if sub and isinstance(sub, dict) and real[key]:
            _same_keys(sub, real[key], f"{where}.{key}")  # type: ignore[arg-type]


def test_the_json_table_lists_the_keys_kam_writes(kam, tmp_path):
    """The README's table "JSON output" against the real outputs on a git repository of
    the example accounts (a commit that changes one, for diff and history; an export for
    import). A key kam writes that the table leaves out, or one it names that kam does
    not write, fails."""
    rows = _json_table()
    repo = gitrepo.new_repo(tmp_path / "repo")
    shutil.copytree(EXAMPLES, repo / "accounts")
    shutil.copy(REPO / "kam.yaml", repo / "kam.yaml")
    gitrepo.commit(repo, "the example accounts", "2026-11-01")
    people = repo / "accounts/nordtel/stakeholders.yaml"
    people.write_text(people.read_text("utf-8").replace("attitude: -1", "attitude: -2"), "utf-8")
    gitrepo.commit(repo, "the CTO cooled", "2026-11-10")
    (repo / "export.csv").write_text(
        "Id,FirstName,LastName,Title,Account Name\n"
        "0035g00000AAAA1AAA,Ola,Nord,CIO,Nordtel Group\n"
        "0035g00000AAAA2AAA,Kari,Sør,CFO,Nordtel\n",
        encoding="utf-8",
    )
    runs = {
        "grade": ["grade"],
        "agenda": ["agenda"],
        "whitespace": ["whitespace"],
        "rules": ["rules"],
        "diff": ["diff", "HEAD~", "HEAD"],
        "history": ["history", "nordtel", "zhang-wei"],
        "import csv": ["import", "csv", "export.csv", "--account", "nordtel", "--dry-run"],
        "check": ["check"],
    }
    for command, args in runs.items():
        r = kam(repo, *args, "--format", "json")
        assert r.exit_code in (0, 1), (command, r.stderr)
        named = _keys(rows[command])
        _same_keys(named, _shape(r.json(), 3), command)


def test_a_shortened_comment_ends_its_lists_as_the_readme_shows(kam, tmp_path):
    """ "A big change in one comment": the line a cut list ends with, as kam writes it in
    a pull request's comment (`kam diff main...HEAD --format markdown` after a CRM import
    of a thousand people), the README's number aside."""
    shown = _block(_section("## Reviewing account changes").split("### A big change", 1)[1], "")
    (line,) = shown
    repo = gitrepo.new_repo(tmp_path / "repo")
    shutil.copytree(EXAMPLES / "kessler-valves", repo / "accounts" / "kessler-valves")
    gitrepo.commit(repo, "an account", "2026-11-01")
    gitrepo.git(repo, "checkout", "-q", "-b", "import")
    people = repo / "accounts/kessler-valves/stakeholders.yaml"
    people.write_text(
        people.read_text("utf-8").rstrip("\n")
        + "\n"
        + "".join(
            f'  - {{id: p{i}, name: Person {i}, title: Engineer {i}, attitude: "?"}}\n'
            for i in range(1200)
        ),
        encoding="utf-8",
    )
    gitrepo.commit(repo, "CRM import", "2026-11-10")
    r = kam(repo, "diff", "main...HEAD", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    assert "**This comment was shortened**" in r.stdout
    printed = [x for x in r.stdout.splitlines() if "more new findings" in x]
    assert len(printed) == 1
    number = re.compile(r"(?<=… and )[\d,]+")
    assert number.sub("N", printed[0]) == number.sub("N", line)


def test_a_folder_of_the_accounts_folder_without_kams_files_is_that_account(kam, tmp_path):
    """A folder of the accounts folder that holds none of kam's files yet (the CRM export
    saved there first, or made empty with mkdir) is an account missing its files, as the
    run over the whole portfolio reads it (KAM006), also when named: by id, by a name
    that is no valid id, or by its path. The command `kam grade` suggests for them then
    shows those findings, rather than "no account folders in newco ... run `kam init ID`"
    (which refuses a folder that is not empty) or "no account 'BigCo' (accounts: BigCo,
    ...)"."""
    from conftest import write_account

    write_account(tmp_path, "acme")
    (tmp_path / "accounts/newco").mkdir()
    (tmp_path / "accounts/newco/contacts.csv").write_text("Id,Name\n1,Ann\n", "utf-8")
    (tmp_path / "accounts/BigCo").mkdir()
    whole = kam(tmp_path, "check", "--format", "json")
    assert whole.exit_code == 1
    missing = {(f["account"], f["code"]) for f in whole.json()["findings"]}
    assert {("newco", "KAM006"), ("BigCo", "KAM006")} <= missing
    grade = kam(tmp_path, "grade")
    suggested = re.search(r"\(kam (validate [^)]*)\)", grade.stderr)
    assert suggested, grade.stderr
    args = shlex.split(suggested.group(1))
    assert args == ["validate", "BigCo", "newco"]
    r = kam(tmp_path, *args)
    assert r.exit_code == 1
    assert "accounts/newco/account.yaml:1:1: KAM006 required file account.yaml is missing" in (
        r.stdout
    )
    assert "accounts/BigCo:1:1: KAM006 folder name 'BigCo' is not a valid account id" in r.stdout
    assert "no account" not in r.stderr
    for named in ("newco", "accounts/newco"):
        r = kam(tmp_path, "check", named, "--format", "json")
        assert r.exit_code == 1, r.stderr
        assert {f["code"] for f in r.json()["findings"]} == {"KAM006"}, named
    inside = kam(tmp_path / "accounts/newco", "validate", ".")
    assert inside.exit_code == 1 and "KAM006" in inside.stdout
    plan = kam(tmp_path, "plan", "newco")
    assert plan.exit_code == 1 and "has errors" in plan.stderr
    # what KAM006's hint says to run: `kam init newco` writes the missing files beside
    # the export (it refused: "already exists and is not empty"), and replaces nothing
    init = kam(tmp_path, "init", "newco", "--name", "NewCo", "--owner", "li.ming")
    assert init.exit_code == 0, init.stderr
    assert "created accounts/newco/account.yaml" in init.stdout
    assert (tmp_path / "accounts/newco/contacts.csv").read_text("utf-8") == "Id,Name\n1,Ann\n"
    assert kam(tmp_path, "validate", "newco").exit_code == 0
    # an account lacking only stakeholders.yaml gets that one; account.yaml stays as it was
    people = tmp_path / "accounts/newco/stakeholders.yaml"
    people.unlink()
    before = (tmp_path / "accounts/newco/account.yaml").read_bytes()
    again = kam(tmp_path, "init", "newco")
    assert again.exit_code == 0 and again.stdout.startswith(
        "created accounts/newco/stakeholders.yaml\n"
    ), again.stdout
    assert (tmp_path / "accounts/newco/account.yaml").read_bytes() == before
    third = kam(tmp_path, "init", "newco")
    assert third.exit_code == 1
    assert third.stderr == (
        "kam: error: accounts/newco is an account already (it has account.yaml and "
        "stakeholders.yaml): nothing written\n"
    )


def test_the_kam_yaml_whose_defaults_the_readme_shows_is_kams_defaults(kam, tmp_path):
    """ "Every key is optional; the defaults are shown": the block, written as kam.yaml,
    is valid and changes nothing (its tiers are the default tiers, and no rule is turned
    off or re-graded by it: `rules:` is an example in its comment)."""
    section = _section("## kam.yaml")
    shown = section[section.index("```yaml\n") + 8 :]
    shown = shown[: shown.index("```")]
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLES, plain / "accounts")
    configured = tmp_path / "configured"
    shutil.copytree(EXAMPLES, configured / "accounts")
    (configured / "kam.yaml").write_text(shown, encoding="utf-8")
    assert kam(configured, "validate").exit_code == 0
    for args in (["grade"], ["check"], ["rules"], ["portfolio"], ["agenda"]):
        want = kam(plain, *args, "--format", "json")
        got = kam(configured, *args, "--format", "json")
        assert got.exit_code == want.exit_code, (args, got.stderr)
        assert got.json() == want.json(), args


def test_a_suggested_command_names_an_account_folder_as_the_readme_says(kam, tmp_path):
    """ "Suggested commands": an account that the suggested command would not find by its
    id is named by its path from where kam ran when it lies below, else by its full
    path, as the README's two examples show (`kam agenda crm/accounts`,
    `kam agenda ../crm/accounts`)."""
    from conftest import write_account

    text = " ".join(_section("### Suggested commands").split())
    home = tmp_path / "home" / "li"
    write_account(home / "crm", "acme")
    (home / "work").mkdir()
    below = "(`kam agenda crm/accounts` suggests `kam log crm/accounts/acme boss`)"
    assert below in text
    r = kam(home, "agenda", "crm/accounts", "--days", "30", "--format", "json")
    assert [i["command"] for i in r.json()["items"]] == ["kam log crm/accounts/acme boss"]
    full = "(`kam agenda ../crm/accounts` suggests `kam log /home/li/crm/accounts/acme boss`)"
    assert full in text
    r = kam(home / "work", "agenda", "../crm/accounts", "--days", "30", "--format", "json")
    assert [i["command"] for i in r.json()["items"]] == [
        f"kam log {home / 'crm/accounts/acme'} boss"
    ]


def test_init_does_not_fill_a_folder_it_must_not(kam, tmp_path):
    """`kam init` writes the missing files of a folder made before its account, but not
    into a folder of account folders (it would hide them), a link to another folder (the
    files would land there under another id), or an account whose files are misnamed."""
    from conftest import write_account

    write_account(tmp_path, "apac/keio")
    (tmp_path / "accounts/alpha").mkdir()
    (tmp_path / "accounts/beta").symlink_to("alpha")
    (tmp_path / "accounts/m").mkdir()
    (tmp_path / "accounts/m/account.yml").write_text("id: m\n", "utf-8")
    for folder, why in (
        ("apac", "it holds account folders"),
        ("beta", "it is a symbolic link"),
        ("m", "it holds account.yml: rename them to kam's names instead"),
    ):
        r = kam(tmp_path, "init", folder)
        assert r.exit_code == 1, folder
        assert r.stderr == f"kam: error: accounts/{folder} already exists: {why}; nothing written\n"
    assert sorted(p.name for p in (tmp_path / "accounts/alpha").iterdir()) == []
