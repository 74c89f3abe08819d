"""The GitHub Actions workflow: what CI runs, and that only a push to main deploys to Pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
MAIN_PUSH = {"github.event_name": "push", "github.ref": "refs/heads/main"}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` block; YAML 1.1 (pyyaml) reads the bare key `on` as the boolean True."""
    value = workflow.get("on", workflow.get(True))
    if isinstance(value, str):
        return {value: None}
    if isinstance(value, list):
        return dict.fromkeys(value)
    assert isinstance(value, dict), "workflow has no `on:` triggers"
    return value


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def step_using(job: dict[str, Any], action: str) -> tuple[int, dict[str, Any]]:
    found = [(i, s) for i, s in enumerate(steps(job)) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(found) == 1, f"expected one step using {action}, found {len(found)}"
    return found[0]


def step_running(job: dict[str, Any], pattern: str) -> tuple[int, dict[str, Any]]:
    found = [(i, s) for i, s in enumerate(steps(job)) if re.search(pattern, str(s.get("run", "")))]
    assert len(found) == 1, f"expected one step running {pattern!r}, found {len(found)}"
    return found[0]


def evaluate(condition: str, context: dict[str, str]) -> bool:
    """A GitHub Actions `if:` made of context == 'literal', && and ||, evaluated for one event."""
    expr = condition.strip()
    if expr.startswith("${{") and expr.endswith("}}"):
        expr = expr[3:-2]
    tokens = re.findall(r"'[^']*'|[A-Za-z_][\w.]*|==|!=|&&|\|\||[()]|\S", expr)
    python = []
    for token in tokens:
        if token.startswith("'"):
            python.append(repr(token[1:-1]))
        elif token in context:
            python.append(repr(context[token]))
        elif token in ("==", "!=", "(", ")"):
            python.append(token)
        elif token in ("&&", "||"):
            python.append({"&&": "and", "||": "or"}[token])
        else:
            raise AssertionError(f"unexpected token {token!r} in condition {condition!r}")
    return bool(eval(" ".join(python), {"__builtins__": {}}))  # whitelisted tokens only


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(SITE)


@pytest.fixture(scope="module")
def build_job(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow["jobs"]["build"]


@pytest.fixture(scope="module")
def deploy_job(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow["jobs"]["deploy"]


def test_the_condition_evaluator_understands_and_or() -> None:
    cond = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert evaluate(cond, MAIN_PUSH)
    assert not evaluate(cond, {**MAIN_PUSH, "github.ref": "refs/heads/feature"})
    assert evaluate("${{ github.ref == 'x' || github.event_name != 'push' }}", MAIN_PUSH | {"github.ref": "x"})
    with pytest.raises(AssertionError):
        evaluate("always()", MAIN_PUSH)


def test_runs_on_push_and_pull_request(workflow: dict[str, Any]) -> None:
    on = triggers(workflow)
    assert "push" in on and "pull_request" in on
    # The checks run for every branch; only the deploy job is limited to main.
    assert not (on["push"] or {}).get("branches-ignore")
    assert not (on["pull_request"] or {}).get("branches-ignore")


def test_python_311_with_pip_cache(build_job: dict[str, Any]) -> None:
    _, setup = step_using(build_job, "actions/setup-python")
    # A string: unquoted 3.11 is a float, and 3.10 would become 3.1.
    assert setup["with"]["python-version"] == "3.11"
    assert setup["with"]["cache"] == "pip"
    assert (REPO / setup["with"].get("cache-dependency-path", "pyproject.toml")).is_file()
    assert build_job["runs-on"].startswith("ubuntu-")


def test_checkout_and_install_come_first(build_job: dict[str, Any]) -> None:
    checkout, _ = step_using(build_job, "actions/checkout")
    setup, _ = step_using(build_job, "actions/setup-python")
    install, step = step_running(build_job, r"pip install")
    assert checkout < setup < install
    assert "-e '.[test]'" in step["run"] or '-e ".[test]"' in step["run"]
    assert install == min(i for i, s in enumerate(steps(build_job)) if "run" in s)


def test_runs_the_tests(build_job: dict[str, Any]) -> None:
    index, step = step_running(build_job, r"python -m pytest")
    assert "bash .ci/run" in step["run"] and step_running(build_job, r"\.ci/run")[0] == index
    # When .ci/run is used, it must still run the tests.
    ci = REPO / ".ci" / "run"
    if ci.is_file():
        text = ci.read_text("utf-8")
        assert re.search(
            r"^python3 -m pip install .*'\.\[test\]' && npm ci .*&& python3 -m pytest$", text, re.MULTILINE
        )
        for lint in ("ruff check sitegen", "ruff format --check sitegen", "mypy sitegen"):
            assert re.search(rf"^{lint}\b", text, re.MULTILINE), lint


def test_the_readme_test_command_installs_what_the_tests_need() -> None:
    """Its second set-up command installs the Python and npm packages, then runs every test."""
    commands = re.findall(r"^(\S.*?)\s+#", (REPO / "README.md").read_text("utf-8").split("```")[1], re.MULTILINE)
    assert len(commands) == 2 and commands[1].startswith("pip install -e '.[test]' && npm ci")
    assert commands[1].endswith("python -m pytest")


def test_browser_prerequisites_come_before_the_tests(build_job: dict[str, Any]) -> None:
    tests, _ = step_running(build_job, r"python -m pytest")
    index, step = step_running(build_job, r"fonts-noto-cjk")
    # On GitHub's runners apt-get needs sudo; .ci/run then finds the font and skips apt-get.
    assert index < tests and re.search(r"^\s*sudo\b.*\bapt-get install\b", step["run"], re.MULTILINE)
    assert "/usr/bin/chromium" in step["run"]


def test_only_errors_block_the_deploy(build_job: dict[str, Any]) -> None:
    """Facts due for a check and stale translations are warnings: nothing strict gates Pages."""
    assert not [s for s in steps(build_job) if "--strict" in str(s.get("run", ""))]
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^python3 -m sitegen.cli check$", ci, re.MULTILINE)
    assert "--strict" not in ci


DUE = WORKFLOWS / "facts-due.yml"


def test_the_due_report_runs_weekly_and_on_demand() -> None:
    workflow = load(DUE)
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"}
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", on["schedule"][0]["cron"]), "once a week"
    (job,) = workflow["jobs"].values()
    assert workflow["permissions"] == {"contents": "read"}
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    report, step = step_running(job, r"\bsitegen check --due > due.md\b")
    index, issue = step_running(job, r"gh issue")
    assert report < index
    assert issue["env"] == {"GH_TOKEN": "${{ github.token }}", "TITLE": "Facts due for re-check"}
    assert "secrets." not in DUE.read_text("utf-8"), "the workflow token is all it needs"


def test_the_due_issue_is_kept_in_place(tmp_path: Path) -> None:
    """The issue step, run against a fake `gh` twice: one issue is opened, then edited, then
    closed when nothing is due; never a second one."""
    import subprocess

    (job,) = load(DUE)["jobs"].values()
    _, issue = step_running(job, r"gh issue")
    log, state = tmp_path / "log", tmp_path / "open"
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(
        f"""#!/bin/sh
echo "$@" >> {log}
case "$1 $2" in
  "issue list") cat {state} 2>/dev/null || true ;;
  "issue create") echo 7 > {state} ;;
  "issue close") rm -f {state} ;;
esac
""",
        "utf-8",
    )
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin", "TITLE": "Facts due for re-check", "GH_TOKEN": "x"}

    def run(report: str) -> list[str]:
        (tmp_path / "due.md").write_text(report, "utf-8")
        log.write_text("", "utf-8")
        subprocess.run(["bash", "-e", "-c", issue["run"]], cwd=tmp_path, env=env, check=True)
        return [line.split()[1] for line in log.read_text("utf-8").splitlines()]

    due = "**1** facts ...\n\n| Fact | Value |\n| --- | --- |\n| `a.b` | `1` |\n"
    assert run(due) == ["list", "create"]
    assert run(due) == ["list", "edit"]
    assert run("**0** facts ...\n") == ["list", "close"]
    assert run("**0** facts ...\n") == ["list"]


def test_builds_with_the_pages_address(build_job: dict[str, Any]) -> None:
    pages, configure = step_using(build_job, "actions/configure-pages")
    assert configure["id"] == "pages"
    index, step = step_running(build_job, r"\bsitegen build\b")
    assert pages < index
    assert "--base-url" in step["run"]
    # Passed through the environment, never pasted into the script.
    assert "${{" not in step["run"]
    assert re.search(r'--base-url "\$BASE_URL"', step["run"])
    assert step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert re.search(r'--repo-url "\$REPO_URL"', step["run"])  # turns on edit/report links
    assert step["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert "--out" not in step["run"], "the upload step expects the default output folder, public/"


def test_uploads_public_only_on_push_to_main(build_job: dict[str, Any]) -> None:
    build, _ = step_running(build_job, r"\bsitegen build\b")
    index, upload = step_using(build_job, "actions/upload-pages-artifact")
    assert index > build
    assert upload["with"]["path"].rstrip("/") in ("public", "./public")
    assert evaluate(upload["if"], MAIN_PUSH)
    assert not evaluate(upload["if"], {"github.event_name": "pull_request", "github.ref": "refs/heads/main"})


def test_deploy_job_only_on_push_to_main(deploy_job: dict[str, Any]) -> None:
    assert deploy_job["needs"] in ("build", ["build"])
    cond = deploy_job["if"]
    assert evaluate(cond, MAIN_PUSH)
    assert not evaluate(cond, {"github.event_name": "pull_request", "github.ref": "refs/heads/main"})
    assert not evaluate(cond, {"github.event_name": "pull_request", "github.ref": "refs/pull/7/merge"})
    assert not evaluate(cond, {"github.event_name": "push", "github.ref": "refs/heads/feature"})
    assert not evaluate(cond, {"github.event_name": "push", "github.ref": "refs/tags/main"})


def test_deploy_job_publishes_to_pages(deploy_job: dict[str, Any]) -> None:
    _, deploy = step_using(deploy_job, "actions/deploy-pages")
    assert deploy["id"] == "deployment"
    assert deploy_job["environment"]["name"] == "github-pages"
    assert deploy_job["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    concurrency = deploy_job["concurrency"]
    assert concurrency["group"]
    # A deployment in progress is allowed to finish rather than being cut off half-way.
    assert concurrency.get("cancel-in-progress") is False


def test_permissions_are_least_privilege(workflow: dict[str, Any], build_job: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert build_job["permissions"] == {"contents": "read", "pages": "read"}
    for name, job in workflow["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"job {name}: give explicit permissions"
        writes = {k for k, v in perms.items() if v == "write"}
        assert writes <= ({"pages", "id-token"} if name == "deploy" else set()), f"job {name}: {writes}"


ACTION_REF = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_release(path: Path) -> None:
    workflow = load(path)
    used = [str(step["uses"]) for job in workflow["jobs"].values() for step in steps(job) if "uses" in step]
    used += [str(job["uses"]) for job in workflow["jobs"].values() if "uses" in job]
    assert used
    for ref in used:
        if ref.startswith(("./", "docker://")):
            continue
        assert ACTION_REF.match(ref), f"{path.name}: pin {ref!r} to a release tag like @v4 or a commit"


def test_expected_action_versions(workflow: dict[str, Any]) -> None:
    used = {str(s["uses"]) for job in workflow["jobs"].values() for s in steps(job) if "uses" in s}
    assert used == {
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v3",
        "actions/deploy-pages@v4",
    }
