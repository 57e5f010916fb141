"""Issue 15 (2): mutation testing runs weekly in its own workflow, never in the default CI run."""

from __future__ import annotations

import subprocess
from typing import Any

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "mutation.yml"


def _workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_the_mutation_workflow_runs_every_core_module_once_a_week() -> None:
    workflow = _workflow()
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(on) == {"schedule", "workflow_dispatch"}
    [cron] = [entry["cron"] for entry in on["schedule"]]
    _minute, _hour, day, month, weekday = cron.split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # one day of every week
    steps = " ".join(step.get("run", "") for step in workflow["jobs"]["mutation"]["steps"])
    assert "make mutation-all" in steps
    assert "make --no-print-directory mutation-score" in steps


def test_the_default_ci_run_does_not_run_mutation_testing() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "mutation" not in ci and "mutmut" not in ci
    # what `.ci/run` runs (`make test`), as make would run it: no mutmut anywhere
    planned = subprocess.run(["make", "-n", "-B", "test"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "mutmut" not in planned
    assert "pytest" in planned
