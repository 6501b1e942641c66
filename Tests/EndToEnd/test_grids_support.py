"""A small two-day event, its schedule and the helpers the grid end-to-end tests share."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

DAY1 = ["d1-0900", "d1-0930", "d1-1000", "d1-1400"]
DAY2 = ["d2-0900", "d2-0930"]

PARTICIPANTS = [
    {"id": "c1", "role": "company", "name": "Ada Lovelace", "organisation": "Onco Bio SAS"},
    {"id": "c2", "role": "company", "name": "Hélène Dupré", "organisation": "Pharma & Fils"},
    {"id": "c3", "role": "company", "name": "Grace Hopper", "organisation": "Booth Inc", "table": "T3"},
    {"id": "e1", "role": "expert", "name": "Marie Curie", "organisation": "Institut X"},
    {"id": "e2", "role": "expert", "name": "Rosalind Franklin", "organisation": "King's College"},
    {"id": "e3", "role": "expert", "name": "Lise Meitner", "organisation": "Kaiser Wilhelm Institut"},
]

# Who meets whom, where and when: day 1 has Ada, Hélène and Grace; day 2 only Grace and Lise.
MEETINGS = [
    (["c1", "e1"], "d1-0900", "T1"),
    (["c2", "e2"], "d1-0900", "T2"),
    (["c3", "e1"], "d1-0930", "T3"),
    (["c2", "e1"], "d1-1400", "T1"),
    (["c3", "e3"], "d2-0900", "T3"),
]


def problem() -> dict:
    def slot(slot_id: str) -> dict:
        day = "2026-11-13" if slot_id.startswith("d1") else "2026-11-14"
        hour, minute = int(slot_id[3:5]), int(slot_id[5:7])
        end_hour, end_minute = (hour, minute + 30) if minute == 0 else (hour + 1, 0)
        return {
            "id": slot_id,
            "start": f"{day}T{hour:02d}:{minute:02d}:00+01:00",
            "end": f"{day}T{end_hour:02d}:{end_minute:02d}:00+01:00",
        }

    requests = [{"from": pair[0], "to": pair[1], "priority": 1} for pair, _, _ in MEETINGS]
    requests.append({"from": "c1", "to": "e2", "priority": 2})
    return {
        "format": "partnering-problem/1",
        "event": {"name": "LEUKEMIA 360", "timezone": "Europe/Paris"},
        "slots": [slot(s) for s in DAY1 + DAY2],
        "tables": [{"id": "T1", "name": "Table 1"}, {"id": "T2", "name": "Table 2"}, {"id": "T3", "name": "Stand 3"}],
        "policy": {"meet": [["company", "expert"]]},
        "participants": PARTICIPANTS,
        "requests": requests,
    }


def schedule() -> dict:
    return {
        "format": "partnering-schedule/1",
        "meetings": [{"participants": p, "slot": s, "table": t} for p, s, t in MEETINGS],
        "objective": 15,
    }


def write_inputs(folder: Path) -> tuple[Path, Path]:
    problem_path = folder / "problem.json"
    schedule_path = folder / "schedule.json"
    problem_path.write_text(json.dumps(problem(), ensure_ascii=False), encoding="utf-8")
    schedule_path.write_text(json.dumps(schedule()), encoding="utf-8")
    return problem_path, schedule_path


def grid(binary: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(binary), "grid", *args], capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"partnering grid exited {result.returncode}: {result.stderr}")
    return result


def require_tool(name: str) -> str:
    """The path of a tool; a missing tool fails the test (never skips it), here as on CI."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (scripts/install-dependencies.sh test installs it)")
    return path
