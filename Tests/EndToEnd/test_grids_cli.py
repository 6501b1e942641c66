"""`partnering grid` from the command line: the files it writes, CSV that Python reads back,
calendars per participant, and one clear line with exit status 2 for a bad input."""

import csv
import json

from test_grids_support import MEETINGS, PARTICIPANTS, grid, write_inputs


def test_writes_every_view_as_html_by_default(binary, tmp_path):
    problem, schedule = write_inputs(tmp_path)
    out = tmp_path / "out"
    result = grid(binary, "--problem", str(problem), "--schedule", str(schedule), "-o", str(out))

    assert sorted(p.name for p in out.iterdir()) == ["agendas.html", "grid.html", "no-meetings.html", "tables.html"]
    assert "wrote 4 file(s)" in result.stderr
    assert not list(out.glob(".*.tmp"))
    html = (out / "grid.html").read_text(encoding="utf-8")
    assert html.count("<svg ") == 3 and "Hélène Dupré" in html


def test_csv_by_participant_reads_back_in_python_with_semicolons(binary, tmp_path):
    problem, schedule = write_inputs(tmp_path)
    out = tmp_path / "out"
    grid(binary, "--problem", str(problem), "--schedule", str(schedule), "--by", "participant", "--format", "csv",
         "--language", "en", "-o", str(out))

    assert sorted(p.name for p in out.iterdir()) == ["agendas.csv", "no-meetings.csv"]
    raw = (out / "agendas.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    with open(out / "agendas.csv", encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f, delimiter=";"))
    assert len(records) == 1 + 2 * len(MEETINGS)
    names = {p["id"]: p["name"] for p in PARTICIPANTS}
    pairs = {(r[0], r[10]) for r in records[1:]}
    expected = {(a, b) for (a, b), _, _ in MEETINGS} | {(b, a) for (a, b), _, _ in MEETINGS}
    assert pairs == expected
    for record in records[1:]:
        assert record[1] == names[record[0]] and record[11] == names[record[10]]


def test_ics_writes_one_calendar_per_participant_with_meetings(binary, tmp_path):
    problem, schedule = write_inputs(tmp_path)
    out = tmp_path / "out"
    grid(binary, "--problem", str(problem), "--schedule", str(schedule), "--format", "ics", "-o", str(out))

    calendars = sorted(p.name for p in (out / "ics").iterdir())
    assert calendars == ["c1.ics", "c2.ics", "c3.ics", "e1.ics", "e2.ics", "e3.ics"]
    marie = (out / "ics" / "e1.ics").read_text(encoding="utf-8")
    assert marie.count("BEGIN:VEVENT") == 3
    assert "DTSTART;TZID=Europe/Paris:20261113T090000" in marie


def test_a_schedule_with_an_unknown_slot_is_one_line_with_the_json_path_and_status_2(binary, tmp_path):
    problem, schedule = write_inputs(tmp_path)
    document = json.loads(schedule.read_text())
    document["meetings"][3]["slot"] = "d9-0900"
    schedule.write_text(json.dumps(document))
    out = tmp_path / "out"

    result = grid(binary, "--problem", str(problem), "--schedule", str(schedule), "-o", str(out), check=False)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(schedule) in lines[0] and 'meetings[3].slot: unknown slot "d9-0900"' in lines[0]
    assert not out.exists()


def test_a_problem_that_is_not_the_format_names_the_field(binary, tmp_path):
    problem, schedule = write_inputs(tmp_path)
    document = json.loads(problem.read_text())
    document["participants"][2]["name"] = 42
    problem.write_text(json.dumps(document))

    result = grid(binary, "--problem", str(problem), "--schedule", str(schedule), "-o", str(tmp_path / "o"),
                  check=False)

    assert result.returncode == 2
    assert str(problem) in result.stderr and "participants[2].name" in result.stderr
