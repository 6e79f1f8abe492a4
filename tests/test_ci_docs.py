"""The ready-made CI of docs/ci/: valid against the official schemas (check-jsonschema's
vendored GitHub workflow and GitLab CI schemas), the same text in the README, one review
note that a second run updates instead of repeating; and the README's PR comment example
is what kam diff prints for the scripted week of changes below."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from conftest import REPO, venv_tool

CI = REPO / "docs" / "ci"
GITHUB = CI / "github-kam-review.yml"
GITLAB = CI / "gitlab-kam-review.yml"


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    tool = venv_tool("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema is installed with the test extras")
    return subprocess.run(
        [tool, "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=120
    )


def test_ci_files_validate_against_their_official_schemas(tmp_path):
    assert check_jsonschema("vendor.github-workflows", GITHUB).returncode == 0
    assert check_jsonschema("vendor.gitlab-ci", GITLAB).returncode == 0
    # and the checker does refuse a broken file (so the two lines above can fail)
    broken = tmp_path / "broken.yml"
    broken.write_text(
        GITHUB.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest")
    )
    assert check_jsonschema("vendor.github-workflows", broken).returncode == 1
    broken.write_text(GITLAB.read_text().replace("  script:", "  scripts:"))
    assert check_jsonschema("vendor.gitlab-ci", broken).returncode == 1


def test_readme_shows_the_ci_files_verbatim():
    readme = (REPO / "README.md").read_text()
    for path in (GITHUB, GITLAB):
        assert path.read_text() in readme, f"README out of date with {path.name}"


# ---------------------------------------------------------------- one note, updated
class FakeGitLab(BaseHTTPRequestHandler):
    """GitLab's merge request notes API, as far as the job uses it (pages of 2 notes)."""

    notes: ClassVar[list[dict]] = []

    def log_message(self, *_args):  # quiet
        pass

    def _send(self, data, headers=None):
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        if self.headers["PRIVATE-TOKEN"] == "secret":
            return True
        self.send_response(401)
        self.end_headers()
        return False

    def do_GET(self):
        if not self._authorised():
            return
        page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))
        chunk = self.notes[(page - 1) * 2 : page * 2]
        more = len(self.notes) > page * 2
        self._send(chunk, {"X-Next-Page": str(page + 1) if more else ""})

    def _body(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]

    def do_POST(self):
        if not self._authorised():
            return
        note = {"id": 100 + len(self.notes), "body": self._body()}
        self.notes.append(note)
        self._send(note)

    def do_PUT(self):
        if not self._authorised():
            return
        note_id = int(self.path.rsplit("/", 1)[1])
        note = next(n for n in self.notes if n["id"] == note_id)
        note["body"] = self._body()
        self._send(note)


def gitlab_script() -> str:
    job = yaml.safe_load(GITLAB.read_text())["kam-review"]
    (script,) = [s for s in job["script"] if "python3 - <<'PY'" in s]
    return script.split("<<'PY'", 1)[1].split("\n", 1)[1].rsplit("\nPY", 1)[0]


def test_gitlab_job_posts_one_note_and_updates_it(tmp_path):
    FakeGitLab.notes = [{"id": i, "body": f"human comment {i}"} for i in range(1, 4)]
    server = HTTPServer(("127.0.0.1", 0), FakeGitLab)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(
        os.environ,
        CI_API_V4_URL=f"http://127.0.0.1:{server.server_port}/api/v4",
        CI_PROJECT_ID="7",
        CI_MERGE_REQUEST_IID="3",
        KAM_GITLAB_TOKEN="secret",
    )
    try:
        for run in ("first push", "second push", "third push"):
            (tmp_path / "kam-diff.md").write_text(f"### kam diff: {run}\n")
            subprocess.run(
                ["python3", "-c", gitlab_script()], cwd=tmp_path, env=env, check=True, timeout=60
            )
    finally:
        server.shutdown()
    mine = [n for n in FakeGitLab.notes if n["body"].startswith("<!-- kam-diff -->")]
    assert len(mine) == 1 and mine[0]["body"].endswith("third push\n")
    assert len(FakeGitLab.notes) == 4


def test_github_workflow_marks_and_finds_its_comment():
    """The comment starts with the marker the update step looks for, and only the bot's."""
    steps = yaml.safe_load(GITHUB.read_text())["jobs"]["kam"]["steps"]
    post = next(s for s in steps if s.get("name") == "Post or update the review comment")
    script = post["run"]
    assert "marker='<!-- kam-diff -->'" in script and 'startswith(\\"$marker\\")' in script
    assert "--method PATCH" in script and "--method POST" in script
    assert "github-actions[bot]" in script
    checkout = steps[0]
    assert checkout["with"]["fetch-depth"] == 0


# ---------------------------------------------------------------- the whole job, run
# The jobs' own shell, run on a real repository with the real kam: the gate decides the
# job whatever happens to the comment, and the comment is posted when an account breaks.
BROKEN = "stakeholders:\n  - id: x\n   name: bad\n"


def review_repo(tmp_path: Path, *, broken: bool) -> Path:
    """main with two accounts; a branch that changes one (and breaks it if ``broken``);
    ``origin`` is the repository itself, so ``git fetch origin main`` works offline."""
    from conftest import write_account

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "kam@example.com")
    git(repo, "config", "user.name", "kam")
    write_account(repo, "vistula")
    write_account(repo, "oder")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "accounts")
    git(repo, "remote", "add", "origin", str(repo))
    git(repo, "fetch", "-q", "origin", "main")
    git(repo, "checkout", "-qb", "change")
    people = repo / "accounts/vistula/stakeholders.yaml"
    if broken:
        people.write_text(BROKEN)
    else:
        people.write_text(people.read_text().replace("attitude: 2", "attitude: 1"))
    git(repo, "commit", "-qam", "change")
    return repo


def job_env(**extra: str) -> dict[str, str]:
    kam = venv_tool("kam")
    assert kam is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAM_", "GITHUB_", "CI_"))}
    env["PATH"] = os.pathsep.join((str(Path(kam).parent), env.get("PATH", "")))
    env["KAM_TODAY"] = "2026-11-24"
    env.update(extra)
    return env


def run_gitlab_job(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The job's ``script`` as GitLab's runner runs it: one bash, errexit and pipefail;
    CI_MERGE_REQUEST_DIFF_BASE_SHA, as GitLab sets it, the merge base of main and HEAD
    unless the test gives one."""
    if "CI_MERGE_REQUEST_DIFF_BASE_SHA" not in env:
        base = git(repo, "merge-base", "main", "HEAD").strip()
        env = {**env, "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
    job = yaml.safe_load(GITLAB.read_text())["kam-review"]
    script = "set -eo pipefail\n" + "\n".join(job["script"]) + "\n"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def gitlab_server() -> HTTPServer:
    FakeGitLab.notes = [{"id": 1, "body": "<!-- kam-diff -->\nan old, clean review"}]
    server = HTTPServer(("127.0.0.1", 0), FakeGitLab)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def gitlab_vars(server: HTTPServer, **extra: str) -> dict[str, str]:
    return job_env(
        CI_API_V4_URL=f"http://127.0.0.1:{server.server_port}/api/v4",
        CI_PROJECT_ID="7",
        CI_MERGE_REQUEST_IID="3",
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
        **extra,
    )


def test_gitlab_job_without_token_still_runs_the_gate(tmp_path):
    """A protected KAM_GITLAB_TOKEN on an unprotected MR branch is simply not set: the note
    is skipped with a clear line, the gate runs and fails the job for the broken account,
    and the Code Quality report is written."""
    repo = review_repo(tmp_path, broken=True)
    server = gitlab_server()
    try:
        r = run_gitlab_job(repo, gitlab_vars(server))
    finally:
        server.shutdown()
    assert r.returncode == 1, r.stdout + r.stderr
    assert "KAM_GITLAB_TOKEN is not set for this pipeline" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    report = json.loads((repo / "gl-code-quality-report.json").read_text())
    assert any(f["check_name"] == "KAM001" for f in report), report
    assert FakeGitLab.notes == [{"id": 1, "body": "<!-- kam-diff -->\nan old, clean review"}]


def test_gitlab_job_updates_the_note_when_an_account_breaks(tmp_path):
    repo = review_repo(tmp_path, broken=True)
    server = gitlab_server()
    try:
        r = run_gitlab_job(repo, gitlab_vars(server, KAM_GITLAB_TOKEN="secret"))
    finally:
        server.shutdown()
    assert r.returncode == 1, r.stdout + r.stderr  # the gate's exit, after the note
    (note,) = FakeGitLab.notes
    assert note["body"].startswith("<!-- kam-diff -->\n### kam diff")
    assert "1 account does not load in `HEAD`: **vistula**" in note["body"]
    assert (repo / "gl-code-quality-report.json").exists()


def test_gitlab_job_with_a_refused_token_passes_on_the_gate(tmp_path):
    repo = review_repo(tmp_path, broken=False)
    server = gitlab_server()
    try:
        r = run_gitlab_job(repo, gitlab_vars(server, KAM_GITLAB_TOKEN="expired"))
    finally:
        server.shutdown()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "could not post the review note: HTTP Error 401" in r.stderr
    assert "the gate still decides" in r.stdout
    report = json.loads((repo / "gl-code-quality-report.json").read_text())
    assert report and not any(f["check_name"] == "KAM001" for f in report)


def test_gitlab_job_says_in_the_note_when_kam_diff_cannot_compare(tmp_path):
    """Exit 2 (here: a kam.yaml that is not YAML): the old clean note does not stay, it says
    the review could not be made; the gate, failing on the same kam.yaml, decides."""
    repo = review_repo(tmp_path, broken=False)
    (repo / "kam.yaml").write_text("rules: [\n")
    server = gitlab_server()
    try:
        r = run_gitlab_job(repo, gitlab_vars(server, KAM_GITLAB_TOKEN="secret"))
    finally:
        server.shutdown()
    assert r.returncode == 2, r.stdout + r.stderr  # kam check's exit: a configuration error
    (note,) = FakeGitLab.notes
    assert "kam diff could not compare this branch (exit 2): see the job log." in note["body"]


def test_gitlab_job_of_a_merge_request_from_a_fork(tmp_path):
    """An MR from a fork: its pipeline's origin is the fork, which has no branch named as
    the target (``main``). ``git fetch origin main`` stopped the job before the gate ran;
    the job now diffs from GitLab's CI_MERGE_REQUEST_DIFF_BASE_SHA, fetched from the
    target project (CI_MERGE_REQUEST_PROJECT_URL) when the clone lacks it."""
    upstream = review_repo(tmp_path, broken=False)  # main, and the MR's branch "change"
    base = git(upstream, "rev-parse", "main").strip()
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", "--single-branch", "--branch", "change", str(upstream), "fork")
    git(fork, "remote", "set-url", "origin", str(fork))  # the fork's own project
    git(fork, "update-ref", "-d", "refs/remotes/origin/change")
    # the fork's clone holds the base commit (an ancestor); a shallow fork would not
    server = gitlab_server()
    try:
        r = run_gitlab_job(
            fork,
            gitlab_vars(
                server,
                KAM_GITLAB_TOKEN="secret",
                CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
                CI_MERGE_REQUEST_PROJECT_URL=str(upstream),
            ),
        )
    finally:
        server.shutdown()
    assert r.returncode == 0, r.stdout + r.stderr
    (note,) = FakeGitLab.notes
    # the full commit id the job passes, abbreviated as git does in the heading
    short = git(fork, "rev-parse", "--short", base).strip()
    assert f"### kam diff: `{short}` → `HEAD`" in note["body"] and base not in note["body"]
    assert "attitude +2 → +1" in note["body"]


FAKE_GH = r"""#!/usr/bin/env python3
# gh as the comment step uses it: no earlier comment; POST/PATCH refused when FAKE_GH=readonly
import os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(" ".join(a for a in args if not a.startswith("body=")) + "\n")
    for a in args:
        if a.startswith("body=@"):
            log.write(open(a[len("body=@"):], encoding="utf-8").read())
if "--method" in args and os.environ.get("FAKE_GH") == "readonly":
    sys.exit("gh: Resource not accessible by integration (HTTP 403)")
"""


def run_github_job(repo: Path, tmp_path: Path, gh: str) -> tuple[bool, list[str], str]:
    """The workflow's ``run`` steps in order, as the runner treats them: a step without
    ``if`` runs while the job has not failed, ``if: always()`` always, a failing step with
    ``continue-on-error`` does not fail the job. Returns (job passed, steps run, log)."""
    steps = yaml.safe_load(GITHUB.read_text())["jobs"]["kam"]["steps"]
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "gh").write_text(FAKE_GH)
    (fake / "gh").chmod(0o755)
    env = job_env(
        GITHUB_BASE_REF="main",
        GITHUB_REPOSITORY="owner/repo",
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        FAKE_GH=gh,
        FAKE_GH_LOG=str(tmp_path / "gh.log"),
    )
    env["PATH"] = os.pathsep.join((str(fake), env["PATH"]))
    failed, ran, log = False, [], ""
    for step in steps:
        if "run" not in step or step["run"].startswith("pip install"):
            continue
        condition = step.get("if")
        assert condition in (None, "always()"), f"the runner here knows no {condition!r}"
        if failed and condition is None:
            continue
        step_env = dict(env)
        for k, v in (step.get("env") or {}).items():
            step_env[k] = {"${{ github.event.pull_request.number }}": "5"}.get(v, "token")
        r = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        ran.append(step.get("name", step["run"]))
        log += r.stdout + r.stderr
        if r.returncode != 0 and not step.get("continue-on-error"):
            failed = True
    gh_log = tmp_path / "gh.log"
    return not failed, ran, log + (gh_log.read_text() if gh_log.exists() else "")


def test_github_job_posts_the_comment_when_an_account_breaks_and_the_gate_fails(tmp_path):
    repo = review_repo(tmp_path, broken=True)
    passed, ran, log = run_github_job(repo, tmp_path, "ok")
    assert not passed
    assert ran == ["Relationship review", "Post or update the review comment", "Gate"]
    assert "--method POST repos/owner/repo/issues/5/comments" in log
    assert "<!-- kam-diff -->\n### kam diff" in log
    assert "1 account does not load in `HEAD`: **vistula**" in log
    assert "does not load" in (tmp_path / "summary.md").read_text()


def test_github_job_with_a_read_only_token_is_decided_by_the_gate(tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    repo = review_repo(clean, broken=False)
    passed, ran, log = run_github_job(repo, clean, "readonly")
    assert passed, log
    assert "Gate" in ran and "::warning::kam: the review comment was not posted" in log
    broken = tmp_path / "broken"
    broken.mkdir()
    repo = review_repo(broken, broken=True)
    passed, ran, log = run_github_job(repo, broken, "readonly")
    assert not passed and ran[-1] == "Gate"


def test_github_job_says_when_kam_diff_cannot_compare(tmp_path):
    repo = review_repo(tmp_path, broken=False)
    git(repo, "update-ref", "-d", "refs/remotes/origin/main")  # the base was not fetched
    passed, ran, log = run_github_job(repo, tmp_path, "ok")
    assert passed and "Gate" in ran, log
    assert "kam diff could not compare this branch (exit 2): see the job log." in log


# ---------------------------------------------------------------- the README's example
def week_of_changes(repo: Path) -> None:
    """The example accounts, then one week of a team's edits (used for the README)."""

    def edit(name, *pairs):
        path = repo / "accounts" / name
        text = path.read_text()
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text)

    edit(
        "nordtel/stakeholders.yaml",
        (
            "attitude: -1                 # backs Vantor",
            "attitude: -2                 # backs Vantor",
        ),
        (
            'attitude: "?"                # not yet met',
            "attitude: 1                  # met at the Q1 visit",
        ),
    )
    edit(
        "nordtel/targets.yaml",
        (
            "{stakeholder: zhang-wei, attitude: 0, intimacy: 1",
            "{stakeholder: zhang-wei, attitude: -1, intimacy: 1",
        ),
        ("    status: doing\n", "    status: done\n"),
        (
            "    status: planned\n    stakeholder: anders-berg",
            "    status: dropped\n    stakeholder: anders-berg",
        ),
        ("pbip: 2027-04-30, ready: 2027-03-15", "pbip: 2027-04-30, ready: 2027-05-15"),
    )
    edit("nordtel/account.yaml", ("stage: stabilize", "stage: build"))


def git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def test_readme_pr_comment_is_real_output(kam, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "accounts", repo / "accounts")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "kam@example.com")
    git(repo, "config", "user.name", "kam")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "accounts")
    git(repo, "checkout", "-qb", "weekly-review")
    week_of_changes(repo)
    git(repo, "commit", "-qam", "weekly review")
    out = kam(repo, "diff", "main...HEAD", "--format", "markdown")
    assert out.exit_code == 0
    readme = (REPO / "README.md").read_text()
    example = readme.split("<!-- kam-diff example: begin -->\n", 1)[1].split(
        "<!-- kam-diff example: end -->", 1
    )[0]
    assert example.strip() == out.stdout.strip(), "refresh the README example:\n" + out.stdout
    # the example shows each kind of sentence the section talks about
    for needle in (
        "lowered",
        "dropped (with decision maker",
        "unreachable ▼",
        "attitude -1 → -2 ▼",
        "stage stabilize → build",
    ):
        assert needle in out.stdout
