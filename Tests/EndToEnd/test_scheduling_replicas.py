"""Scheduler runs kept in the store, seen from outside: two `partnering serve` processes
on one PostgreSQL database. A run started through one is followed and cancelled through
the other; a run whose process is killed with `kill -9` is finished by the other once its
lease ended. `serve --no-worker` only answers requests and `partnering worker` does the
background work, and gives a run back to the queue on SIGTERM."""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import REPOSITORY, run, start_server, wait_for
from test_metrics_ready import scrape, value
from test_registration_http import ORGANISER_PASSWORD, register_concurrently, fresh_postgres_database, organiser_password  # noqa: F401

LEASE_SECONDS = 3


class Organiser:
    """An organiser signed in through the login page of one server."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.post("/organiser/login", [("email", "organiser@example.org"), ("password", ORGANISER_PASSWORD)],
                  csrf_page="/organiser/login")
        assert self.get("/organiser")[0] == 200

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base_url + path, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def post(self, path: str, pairs: list[tuple[str, str]], csrf_page: str = "/organiser/schedule") -> int:
        _, page = self.get(csrf_page)
        token = re.search(r'name="_csrf" value="([^"]+)"', page)
        assert token, f"no form on {csrf_page}"
        data = urllib.parse.urlencode([("_csrf", token.group(1)), *pairs]).encode()
        request = urllib.request.Request(self.base_url + path, data=data)
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with self.opener.open(request, timeout=30) as response:
            return response.status

    def progress(self) -> dict:
        status, body = self.get("/organiser/schedule/progress.json")
        assert status == 200, body
        return json.loads(body)


def psql(database_url: str, query: str) -> str:
    program = shutil.which("psql") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))), None)
    assert program, "psql not found"
    return subprocess.run([str(program), database_url, "-At", "-c", query], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def two_servers(binary, tmp_path, organiser_password, fresh_postgres_database, monkeypatch):  # noqa: F811
    """The demo data in a fresh PostgreSQL database, served by two processes with workers."""
    monkeypatch.setenv("PARTNERING_SCHEDULING_LEASE", str(LEASE_SECONDS))
    database = ["--database-url", fresh_postgres_database]
    run(binary, "demo", *database, "--data-dir", str(tmp_path / "demo"))
    servers = [start_server(binary, tmp_path / name, *database) for name in ("first", "second")]
    yield servers, fresh_postgres_database
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
            server.process.wait(timeout=30)


def test_a_run_started_on_one_server_is_followed_and_cancelled_on_the_other(two_servers):
    (first, second), _ = two_servers
    on_first, on_second = Organiser(first.base_url), Organiser(second.base_url)
    assert on_second.progress()["state"] == "idle"

    assert on_first.post("/organiser/schedule/run", [("timeLimit", "120")]) == 200
    running = wait_for(lambda: (lambda p: p if p["state"] == "running" and "objective" in p else None)(
        on_second.progress()), seconds=30, message="the run's progress on the second server")
    assert running["text"]
    # A second click, on either server, starts nothing while the run is active.
    on_second.post("/organiser/schedule/run", [("timeLimit", "5")])
    assert on_first.progress()["run"] == running["run"]

    on_second.post("/organiser/schedule/cancel", [])
    stopped = wait_for(lambda: (lambda p: p if p["state"] == "stopped" else None)(on_first.progress()),
                       seconds=30, message="the cancelled run to stop")
    assert stopped["run"] == running["run"] and int(stopped["meetings"]) > 0
    # The best schedule found before the cancel is a version, listed by both servers.
    assert "Scheduler run, stopped before its time limit, by organiser@example.org" in on_second.get("/organiser/schedule?lang=en")[1]


def test_a_run_whose_server_is_killed_is_finished_by_the_other(two_servers):
    (first, second), database = two_servers
    on_first = Organiser(first.base_url)
    on_first.post("/organiser/schedule/run", [("timeLimit", "8")])
    wait_for(lambda: on_first.progress()["state"] == "running", seconds=30, message="the run to start")
    holder = psql(database, "SELECT worker FROM scheduling_runs WHERE finished_at IS NULL")
    pid = int(holder.split(":")[-2])
    victim, survivor = (first, second) if pid == first.process.pid else (second, first)
    assert victim.process.pid == pid, f"the run is held by {holder}, not by either server"
    os.kill(pid, signal.SIGKILL)
    victim.process.wait(timeout=10)
    killed_at = time.monotonic()

    on_survivor = Organiser(survivor.base_url)
    finished = wait_for(lambda: (lambda p: p if p["state"] == "finished" else None)(on_survivor.progress()),
                        seconds=LEASE_SECONDS + 60, message="the other server to finish the run")
    assert int(finished["meetings"]) > 0
    # Taken over only after the lease, then run again from its stored inputs.
    assert time.monotonic() - killed_at >= LEASE_SECONDS - 1
    row = psql(database, "SELECT state, attempts, worker, version IS NOT NULL FROM scheduling_runs")
    state, attempts, worker, has_version = row.split("|")
    assert (state, attempts, has_version) == ("finished", "2", "t")
    assert int(worker.split(":")[-2]) == survivor.process.pid
    # The survivor counts the run it ended, with how long it ran there (not since the queue).
    families = scrape(survivor.base_url)
    assert value(families["partnering_scheduler_runs_ended"], state="finished") == 1
    durations = families["partnering_scheduler_run_duration_seconds"]
    assert value([s for s in durations if s.name.endswith("_count")], state="finished") == 1
    ran = value([s for s in durations if s.name.endswith("_sum")], state="finished")
    assert 0 < ran < time.monotonic() - killed_at, ran


def start_worker(binary: Path, data_dir: Path, database_url: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(binary), "worker", "--data-dir", str(data_dir), "--database-url", database_url], cwd=REPOSITORY,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.startswith("Partnering worker "), f"worker said {line!r}: {process.stderr.read() if not line else ''}"
    return process


def outbox_messages(data_dir: Path) -> list[Path]:
    folder = data_dir / "outbox" / "new"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def test_serve_without_worker_leaves_the_work_to_a_worker_process(binary, tmp_path, organiser_password,  # noqa: F811
                                                                   fresh_postgres_database):  # noqa: F811
    database = ["--database-url", fresh_postgres_database]
    data = tmp_path / "data"
    run(binary, "demo", *database, "--data-dir", str(data))
    web = start_server(binary, data, *database, "--no-worker")
    workers: list[subprocess.Popen] = []
    try:
        organiser = Organiser(web.base_url)
        organiser.post("/organiser/schedule/run", [("timeLimit", "60")])
        assert register_concurrently([web.base_url], 3) == {"confirmed": 3}
        time.sleep(2)
        # Nobody runs the background work yet: the run waits, the e-mails are still queued.
        assert organiser.progress()["state"] == "queued"
        assert outbox_messages(data) == []

        workers.append(start_worker(binary, data, fresh_postgres_database))
        wait_for(lambda: organiser.progress()["state"] == "running", seconds=30, message="the worker to take the run")
        wait_for(lambda: len(outbox_messages(data)) >= 3, seconds=30, message="the worker to write the e-mails")

        # SIGTERM: the worker gives the run back to the queue and exits cleanly, in time.
        workers[0].send_signal(signal.SIGTERM)
        assert workers[0].wait(timeout=20) == 0, workers[0].stderr.read()
        assert organiser.progress()["state"] == "queued"
        organiser.post("/organiser/schedule/cancel", [])
        assert organiser.progress()["state"] == "stopped"
    finally:
        for process in [web.process, *workers]:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
