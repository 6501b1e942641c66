"""The walking skeleton seen from outside: the command line, the store, the
server, and the public scheduling format checked by the independent checker."""

import json
import os
import signal
import subprocess
import sys

from conftest import CHECKER, REPOSITORY, run, start_server


def test_help_lists_every_subcommand(binary):
    result = run(binary, "--help")
    for command in ["serve", "migrate", "demo", "export", "import", "bench"]:
        assert command in result.stdout


def test_export_problem_after_demo_passes_the_checker(binary, demo_store, tmp_path):
    problem = tmp_path / "problem.json"
    run(binary, "export", "problem", "-o", str(problem), data_dir=demo_store)

    checked = subprocess.run(
        [sys.executable, str(CHECKER), "--problem", str(problem)], capture_output=True, text=True
    )

    assert checked.returncode == 0, checked.stderr + checked.stdout
    document = json.loads(problem.read_text(encoding="utf-8"))
    assert document["format"] == "partnering-problem/1"
    roles = {participant["role"] for participant in document["participants"]}
    assert roles == {"company", "expert"}
    assert 260 <= len(document["participants"]) <= 270
    assert len(document["requests"]) > 1000
    assert any("é" in participant["name"] or "è" in participant["name"] for participant in document["participants"])


def test_schedule_of_the_demo_passes_the_checker(binary, demo_store, tmp_path):
    problem = tmp_path / "problem.json"
    schedule = tmp_path / "schedule.json"
    run(binary, "export", "problem", "-o", str(problem), data_dir=demo_store)

    run(binary, "schedule", str(problem), "-o", str(schedule), "--time-limit", "2", "--quiet")
    checked = subprocess.run(
        [sys.executable, str(CHECKER), str(problem), str(schedule)], capture_output=True, text=True
    )

    assert checked.returncode == 0, checked.stderr + checked.stdout
    verdict = json.loads(checked.stdout)
    assert verdict["valid"] and verdict["meetings"] > 500
    assert verdict["upper_bound"] >= verdict["objective"]


def test_demo_refuses_a_store_that_has_participants(binary, demo_store):
    result = run(binary, "demo", data_dir=demo_store, check=False)

    assert result.returncode == 2
    assert "already has participants" in result.stderr
    assert "Traceback" not in result.stderr and "Fatal error" not in result.stderr


def test_import_schedule_stores_a_version_and_rejects_unknown_ids(binary, demo_store, tmp_path):
    problem = json.loads(run(binary, "export", "problem", "-o", "-", data_dir=demo_store).stdout)
    first_request = problem["requests"][0]
    good = tmp_path / "good.json"
    good.write_text(json.dumps({
        "format": "partnering-schedule/1",
        "meetings": [{"participants": [first_request["from"], first_request["to"]],
                      "slot": problem["slots"][0]["id"], "table": problem["tables"][0]["id"]}],
        "objective": 3,
    }))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "format": "partnering-schedule/1",
        "meetings": [{"participants": ["nobody", first_request["to"]], "slot": "d9-2500", "table": "T01"}],
        "objective": 0,
    }))

    stored = run(binary, "import", "schedule", str(good), data_dir=demo_store)
    refused = run(binary, "import", "schedule", str(bad), data_dir=demo_store, check=False)

    assert "Stored schedule version" in stored.stdout
    assert refused.returncode == 2
    assert 'meetings[0].participants[0]: unknown participant "nobody"' in refused.stderr
    assert 'meetings[0].slot: unknown slot "d9-2500"' in refused.stderr


def test_bad_configuration_is_one_clear_error_with_exit_status_2(binary, tmp_path):
    config = tmp_path / "partnering.yaml"
    config.write_text("port: eighty\n")

    result = run(binary, "migrate", "--config", str(config), "--data-dir", str(tmp_path), check=False)

    assert result.returncode == 2
    assert f"{config}:1: port" in result.stderr
    assert '"eighty"' in result.stderr


def test_usage_errors_exit_with_status_2(binary):
    result = run(binary, "demo", "--companies", "many", check=False)

    assert result.returncode == 2
    assert "--companies" in result.stderr


def test_bad_event_file_names_file_line_and_key(binary, tmp_path):
    event = tmp_path / "event.yaml"
    original = (REPOSITORY / "config" / "event.yaml").read_text(encoding="utf-8")
    event.write_text(original.replace("slotMinutes: 25", "slotMinutes: many"), encoding="utf-8")

    result = run(binary, "export", "problem", "-o", "-", "--event-file", str(event), "--data-dir", str(tmp_path),
                 check=False)

    assert result.returncode == 2
    line = original.splitlines().index("  slotMinutes: 25") + 1
    assert f"{event}:{line}: schedule.slotMinutes" in result.stderr


def test_home_page_speaks_french_and_english(server):
    _, headers_fr, french = server.get("/", {"Accept-Language": "fr-FR,fr;q=0.9"})
    _, headers_en, english = server.get("/", {"Accept-Language": "en-GB,en;q=0.8"})

    assert 'lang="fr"' in french and "Journée de partenariat Onco-Hématologie" in french
    assert 'lang="en"' in english and "Paris Onco-Haematology Partnering Day" in english
    assert headers_fr["Content-Language"] == "fr" and headers_en["Content-Language"] == "en"


def test_explicit_language_choice_is_remembered(server):
    _, headers, body = server.get("/?lang=en", {"Accept-Language": "fr"})

    assert 'lang="en"' in body
    assert "lang=en" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]


def test_health_reports_the_event_and_store(server):
    status, body = server.get_json("/health")

    assert status == 200
    assert body == {"status": "ok", "event": "onco-hemato-paris-2027", "database": "sqlite"}


def test_sigterm_drains_and_exits(binary, tmp_path):
    running = start_server(binary, tmp_path)
    assert running.get("/health")[0] == 200

    running.process.send_signal(signal.SIGTERM)

    assert running.process.wait(timeout=20) == 0


def test_key_and_outbox_commands_use_the_configured_folders(binary, tmp_path):
    environment = {**os.environ, "PARTNERING_KEY_DIR": str(tmp_path / "vault"),
                   "PARTNERING_OUTBOX_DIR": str(tmp_path / "mail")}

    generated = run(binary, "keys", "generate", data_dir=tmp_path / "data", env=environment)
    listed = run(binary, "outbox", "list", data_dir=tmp_path / "data", env=environment)

    assert str(tmp_path / "vault") in generated.stdout
    assert (tmp_path / "vault" / "signing-key.pem").exists()
    assert str(tmp_path / "mail") in listed.stdout
