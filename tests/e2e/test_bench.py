"""The benchmark runs end to end in quick mode, reports every section, and its facts check finds nothing missing."""

from __future__ import annotations

import json
import numbers
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent.parent
SECTIONS = ("context", "overhead", "cold_start", "concurrency", "memory", "questions")  # hostile: the full run only


def _numbers(node: Any) -> list[float]:
    if isinstance(node, bool):
        return []
    if isinstance(node, numbers.Real):
        return [float(node)]
    if isinstance(node, dict):
        return [n for value in node.values() for n in _numbers(value)]
    if isinstance(node, list):
        return [n for value in node for n in _numbers(value)]
    return []


def test_quick_benchmark(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    assert "facts missing" in completed.stdout
    results = json.loads(output.read_text())
    assert results["mode"] == "quick"
    for section in SECTIONS:
        assert _numbers(results[section]), f"section {section} has no numbers"
    context = results["context"]
    assert context["get_order_overall"]["ratio_raw"] > 0
    assert context["messages"]["ratio_raw"] > 0
    assert results["overhead"]["back_to_back"]["calls"]["ours_stdio"]["p50_ms"] > 0
    assert results["cold_start"]["ratio_sandbox"] > 0
    assert results["concurrency"]["default"]["ratio"] > 0
    assert results["memory"]["after_total_kb"]["VmHWM"] > 0
    asked = results["questions"]
    assert asked["answered"] == asked["questions"] > 0, asked["unanswered"]
    assert 0 < asked["per_question"] < asked["raw_per_question"]
    # A correctness check, not a timing: a summary must never be small because it lost a fact.
    facts = context["facts"]
    assert facts["checked"] > 0
    assert facts["missing"] == 0, facts["missing_by_case"]
    assert all(row["result"] in ("PASS", "FAIL", "info", "not judged") for row in results["rows"])
