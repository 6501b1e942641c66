"""Registration seen from outside: real `partnering serve` processes, concurrent
registrations over HTTP on SQLite and on PostgreSQL shared by two servers, and the
organiser's first-start password."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import REPOSITORY, start_server

ORGANISER_PASSWORD = "end-to-end organiser password"


def event_with_capacity(folder: Path, capacity: int) -> Path:
    """The sample event with every category's capacity set to `capacity`."""
    text = (REPOSITORY / "config" / "event.yaml").read_text(encoding="utf-8")
    path = folder / "event.yaml"
    path.write_text(re.sub(r"capacity: \d+", f"capacity: {capacity}", text), encoding="utf-8")
    return path


def request(base_url: str, method: str, path: str, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(base_url + path, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def registration(index: int) -> dict:
    return {
        "name": f"Déléguée {index}", "email": f"delegate{index}@example.org", "organisation": "Onco SAS",
        "jobTitle": "CSO", "country": "FR", "topics": ["aml"], "profile": "CAR-T in AML.",
        "sessions": ["morning", "afternoon"], "language": "fr", "acceptPrivacy": True, "listInDirectory": True,
    }


def register_concurrently(base_urls: list[str], count: int) -> dict:
    def one(index: int):
        status, body = request(base_urls[index % len(base_urls)], "POST", "/api/v1/registrations/company",
                               registration(index))
        return body["participant"]["status"] if status == 201 else f"HTTP {status}: {body}"

    with ThreadPoolExecutor(max_workers=64) as pool:
        outcomes = list(pool.map(one, range(count)))
    counts: dict = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def organiser_occupancy(base_url: str) -> dict:
    status, token = request(base_url, "POST", "/api/v1/organiser/tokens",
                            {"email": "organiser@example.org", "password": ORGANISER_PASSWORD})
    assert status == 201, token
    status, lines = request(base_url, "GET", "/api/v1/organiser/occupancy",
                            headers={"Authorization": f"Bearer {token['token']}"})
    assert status == 200
    return {line["category"]: line for line in lines}


def stop(server):
    server.process.terminate()
    server.process.wait(timeout=20)


@pytest.fixture
def organiser_password(monkeypatch):
    monkeypatch.setenv("PARTNERING_ORGANISER_PASSWORD", ORGANISER_PASSWORD)
    monkeypatch.delenv("PARTNERING_DATABASE_URL", raising=False)


def test_300_registrations_for_100_seats_on_sqlite(binary, tmp_path, organiser_password):
    event = event_with_capacity(tmp_path, 100)
    server = start_server(binary, tmp_path / "data", "--event-file", str(event))
    try:
        counts = register_concurrently([server.base_url], 300)
        occupancy = organiser_occupancy(server.base_url)
    finally:
        stop(server)

    assert counts == {"confirmed": 100, "waitlisted": 200}
    assert occupancy["company-delegate"]["confirmed"] == 100
    assert occupancy["company-delegate"]["waitlisted"] == 200


@pytest.fixture
def fresh_postgres_database():
    """A new, empty database on the test server (scripts/with-postgres.sh), dropped afterwards."""
    server_url = os.environ.get("PARTNERING_TEST_POSTGRES_URL")
    if not server_url:
        if os.environ.get("CI") == "true":
            pytest.fail("PARTNERING_TEST_POSTGRES_URL is not set: run through scripts/with-postgres.sh")
        pytest.skip("PARTNERING_TEST_POSTGRES_URL is not set (run through scripts/with-postgres.sh)")
    psql = shutil.which("psql") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))), None)
    assert psql, "psql not found"
    name = "partnering_e2e_" + uuid.uuid4().hex[:12]
    subprocess.run([str(psql), server_url, "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"], check=True,
                   capture_output=True)
    yield server_url.rsplit("/", 1)[0] + "/" + name
    subprocess.run([str(psql), server_url, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                   capture_output=True)


def test_300_registrations_for_100_seats_on_postgres_with_two_servers(binary, tmp_path, organiser_password,
                                                                       fresh_postgres_database):
    event = event_with_capacity(tmp_path, 100)
    shared = ["--event-file", str(event), "--database-url", fresh_postgres_database]
    first = start_server(binary, tmp_path / "first", *shared)
    second = start_server(binary, tmp_path / "second", *shared)
    try:
        counts = register_concurrently([first.base_url, second.base_url], 300)
        seen_by_first = organiser_occupancy(first.base_url)
        seen_by_second = organiser_occupancy(second.base_url)
    finally:
        stop(first)
        stop(second)

    assert counts == {"confirmed": 100, "waitlisted": 200}
    assert seen_by_first["company-delegate"]["confirmed"] == 100
    assert seen_by_second["company-delegate"]["waitlisted"] == 200


def test_first_start_prints_a_one_time_organiser_password(binary, tmp_path, monkeypatch):
    monkeypatch.delenv("PARTNERING_ORGANISER_PASSWORD", raising=False)
    monkeypatch.delenv("PARTNERING_DATABASE_URL", raising=False)
    process = subprocess.Popen([str(binary), "serve", "--port", "0", "--data-dir", str(tmp_path)], cwd=REPOSITORY,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline() for _ in range(2)]
        password = re.search(r"one-time password: (\S+)", "".join(lines)).group(1)
        base_url = re.search(r"on (http://[0-9.]+:\d+)", "".join(lines)).group(1)
        status, token = request(base_url, "POST", "/api/v1/organiser/tokens",
                                {"email": "organiser@example.org", "password": password})
        assert status == 201 and token["token"]
        status, refusal = request(base_url, "POST", "/api/v1/organiser/tokens",
                                  {"email": "organiser@example.org", "password": "guess"})
        assert status == 401 and refusal["code"] == "invalid_credentials"
        # The account is in the store, as a bcrypt hash at cost 12.
        with sqlite3.connect(tmp_path / "partnering.sqlite") as store:
            rows = store.execute("SELECT email, password_hash FROM organiser_accounts").fetchall()
        assert [email for email, _ in rows] == ["organiser@example.org"]
        assert rows[0][1].startswith("$2b$12$") and password not in rows[0][1]
        assert not (tmp_path / "keys" / "organisers.json").exists()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_openapi_document_is_served(binary, tmp_path, organiser_password):
    server = start_server(binary, tmp_path)
    try:
        with urllib.request.urlopen(server.base_url + "/api/openapi.yaml", timeout=10) as response:
            text = response.read().decode("utf-8")
    finally:
        stop(server)
    assert text.startswith("openapi: 3.1")
    assert "/api/v1/registrations/{role}:" in text


def test_a_password_reset_on_the_command_line_ends_the_organisers_api_tokens(binary, tmp_path, organiser_password):
    data = tmp_path / "data"
    server = start_server(binary, data)
    try:
        status, token = request(server.base_url, "POST", "/api/v1/organiser/tokens",
                                {"email": "organiser@example.org", "password": ORGANISER_PASSWORD})
        assert status == 201
        bearer = {"Authorization": f"Bearer {token['token']}"}
        assert request(server.base_url, "GET", "/api/v1/organiser/occupancy", headers=bearer)[0] == 200

        # The new password on standard input, as a script gives it: never an argument.
        reset = subprocess.run(
            [str(binary), "organiser", "reset-password", "organiser@example.org", "--data-dir", str(data)],
            cwd=REPOSITORY, input="a brand new password\n", capture_output=True, text=True, timeout=600)
        assert reset.returncode == 0, reset.stderr
        assert "1 open session(s) ended" in reset.stdout

        status, refusal = request(server.base_url, "GET", "/api/v1/organiser/occupancy", headers=bearer)
        assert status == 401 and refusal["code"] == "not_signed_in"
        status, token = request(server.base_url, "POST", "/api/v1/organiser/tokens",
                                {"email": "organiser@example.org", "password": "a brand new password"})
        assert status == 201
    finally:
        stop(server)


def test_the_desk_passcode_is_never_an_argument(binary, tmp_path):
    data = ["--data-dir", str(tmp_path / "data")]

    def passcode(*args: str, input: str = ""):
        return subprocess.run([str(binary), "checkin", "passcode", *args, *data], cwd=REPOSITORY, input=input,
                              capture_output=True, text=True, timeout=600)

    old_form = passcode("--set", "a passcode for the desks")
    assert old_form.returncode != 0 and "a passcode for the desks" not in old_form.stdout
    empty = passcode("--set")
    assert empty.returncode == 2 and "no desk passcode on standard input" in empty.stderr
    short = passcode("--set", input="short\n")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    assert passcode("--set", input="a passcode for the desks\n").returncode == 0

    file = tmp_path / "passcode.txt"
    file.write_text("", encoding="utf-8")
    from_empty_file = passcode("--passcode-file", str(file))
    assert from_empty_file.returncode == 2 and f"{file} is empty" in from_empty_file.stderr
    file.write_text("one line\nand another\n", encoding="utf-8")
    two_lines = passcode("--passcode-file", str(file))
    assert two_lines.returncode == 2 and "more than one line" in two_lines.stderr
    file.write_bytes(b"another desk passcode\r\n")
    from_file = passcode("--passcode-file", str(file))
    assert from_file.returncode == 0 and "Desk passcode set" in from_file.stdout
