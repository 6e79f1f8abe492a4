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

    def do_GET(self):
        page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))
        chunk = self.notes[(page - 1) * 2 : page * 2]
        more = len(self.notes) > page * 2
        self._send(chunk, {"X-Next-Page": str(page + 1) if more else ""})

    def _body(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]

    def do_POST(self):
        assert self.headers["PRIVATE-TOKEN"] == "secret"
        note = {"id": 100 + len(self.notes), "body": self._body()}
        self.notes.append(note)
        self._send(note)

    def do_PUT(self):
        note_id = int(self.path.rsplit("/", 1)[1])
        note = next(n for n in self.notes if n["id"] == note_id)
        note["body"] = self._body()
        self._send(note)


def gitlab_script() -> str:
    job = yaml.safe_load(GITLAB.read_text())["kam-review"]
    (script,) = [s for s in job["script"] if "python3 - <<'PY'" in s]
    return script.split("<<'PY'\n", 1)[1].rsplit("PY", 1)[0]


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
