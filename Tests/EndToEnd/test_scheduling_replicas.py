"""What replicas share, seen from outside: two `partnering serve` processes on one PostgreSQL
database, each with its own data folder, the signing key and link secret given in environment
variables. A run started through one is followed and cancelled through the other; a run whose
process is killed with `kill -9` is finished by the other once its lease ended. An organiser
added with `partnering organiser add` signs in through one and is recognised by the other, and
wrong passwords are counted over both; a ticket signed by either verifies with the given key;
SIGTERM makes `/ready` answer 503 while the process drains. `serve --no-worker` only answers
requests and `partnering worker` does the background work, and gives a run back to the queue
on SIGTERM."""

import email
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
from email import policy
from pathlib import Path

import pytest

from conftest import REPOSITORY, run, start_server, wait_for
from test_metrics_ready import scrape, value
from test_registration_http import (ORGANISER_PASSWORD, register_concurrently, registration, request,  # noqa: F401
                                    fresh_postgres_database, organiser_password)

LEASE_SECONDS = 3
DRAIN_SECONDS = 2
EVENT = "onco-hemato-paris-2027"
# An organiser account of `keys/organisers.json` as earlier versions kept it (bcrypt, cost 12),
# which the first replica imports into the store at its first start.
FORMER_ORGANISER = ("former@example.org", "former organiser password")
FORMER_HASH = "$2b$12$qJql/C8/UDxZzQgycZgb9e2HP3ZknM.a1BoDiwoiq.TmIh.htaPDS"


class Organiser:
    """An organiser signed in through the login page of one server."""

    def __init__(self, base_url: str, account: tuple[str, str] = ("organiser@example.org", ORGANISER_PASSWORD)):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.post("/organiser/login", [("email", account[0]), ("password", account[1])],
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


def give_replica_settings(monkeypatch):
    """What replicas share through their environment, as from a Kubernetes Secret: the ticket
    signing key and the link secret; and short scheduler leases and drains for the tests."""
    monkeypatch.setenv("PARTNERING_SCHEDULING_LEASE", str(LEASE_SECONDS))
    monkeypatch.setenv("PARTNERING_DRAIN_SECONDS", str(DRAIN_SECONDS))
    key = subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519"], check=True, capture_output=True,
                         text=True).stdout
    monkeypatch.setenv("PARTNERING_TICKET_SIGNING_KEY", key)
    monkeypatch.setenv("PARTNERING_LINK_SECRET", os.urandom(32).hex())


@pytest.fixture
def two_servers(binary, tmp_path, organiser_password, fresh_postgres_database, monkeypatch):  # noqa: F811
    """The demo data in a fresh PostgreSQL database, served by two processes with workers, each
    with its own data folder: the ticket signing key and the link secret come from environment
    variables, as from a Kubernetes Secret; the first folder holds an `organisers.json` of an
    earlier version."""
    give_replica_settings(monkeypatch)
    database = ["--database-url", fresh_postgres_database]
    run(binary, "demo", *database, "--data-dir", str(tmp_path / "demo"))
    former = tmp_path / "first" / "keys"
    former.mkdir(parents=True)
    (former / "organisers.json").write_text(json.dumps([{
        "email": FORMER_ORGANISER[0], "passwordHash": FORMER_HASH, "createdAt": "2026-01-05T09:00:00Z"}]))
    servers = [start_server(binary, tmp_path / name, *database) for name in ("first", "second")]
    yield servers, fresh_postgres_database
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
            server.process.wait(timeout=30)


def test_a_run_started_on_one_server_is_followed_and_cancelled_on_the_other_and_accounts_keys_are_shared(
        two_servers, binary, tmp_path):
    (first, second), database = two_servers
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

    # The same two replicas (no new ones: CI time) for what else they share.
    check_accounts_throttles_and_keys_are_shared(first, second, database, binary, tmp_path)


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


def confirmation_token(data_dirs: list[Path], address: str) -> str | None:
    """The ticket token of the confirmation e-mail to `address`, in whichever outbox has it."""
    for data_dir in data_dirs:
        for path in outbox_messages(data_dir):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if address in str(message["To"]):
                text = message.get_body(preferencelist=("plain",)).get_content()
                found = re.search(r"PT1:[0-9A-Z $%*+\-./:]{150}", text)
                if found:
                    return found.group(0)
    return None


def ready(base_url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base_url + "/ready", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except urllib.error.URLError:
        return 0, {}


def check_accounts_throttles_and_keys_are_shared(first, second, database: str, binary: Path, tmp_path: Path):
    # An organiser added from the command line, the password on standard input as a script gives it.
    added = run(binary, "organiser", "add", "claire@example.org", "--database-url", database,
                input="claire's long password\n")
    assert "created" in added.stdout
    duplicate = run(binary, "organiser", "add", "CLAIRE@example.org", "--database-url", database,
                    input="another long password\n", check=False)
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
    # Signed in through the first replica, recognised by the second (the same session cookie).
    claire = Organiser(first.base_url, ("claire@example.org", "claire's long password"))
    claire.base_url = second.base_url
    assert claire.get("/organiser")[0] == 200
    # The account of the former organisers.json was imported by the first replica.
    Organiser(second.base_url, FORMER_ORGANISER)
    keys = Path(first.process.args[first.process.args.index("--data-dir") + 1]) / "keys"
    assert not (keys / "organisers.json").exists() and (keys / "organisers.json.imported").exists()

    # Five wrong passwords spread over both replicas are counted together: the sixth try is
    # refused even with the right password.
    def token(base_url: str, password: str) -> int:
        return request(base_url, "POST", "/api/v1/organiser/tokens",
                       {"email": "claire@example.org", "password": password})[0]
    assert [token((first, second)[i % 2].base_url, "wrong password") for i in range(5)] == [401] * 5
    assert token(first.base_url, "claire's long password") == 429
    assert token(second.base_url, "claire's long password") == 429

    # Both replicas sign with the key of the environment: a ticket verifies with its public half.
    signing_keys = {ready(server.base_url)[1]["signingKey"] for server in (first, second)}
    assert len(signing_keys) == 1 and "" not in signing_keys
    status, body = request(second.base_url, "POST", "/api/v1/registrations/company", registration(9001))
    assert status == 201 and body["participant"]["status"] == "confirmed", body
    address = registration(9001)["email"]
    data_dirs = [Path(s.process.args[s.process.args.index("--data-dir") + 1]) for s in (first, second)]
    ticket = wait_for(lambda: confirmation_token(data_dirs, address), seconds=30, message="the confirmation e-mail")
    public = tmp_path / "verifier" / "keys" / "public"
    public.mkdir(parents=True)
    (public / "given.pem").write_text(subprocess.run(
        ["openssl", "pkey", "-pubout"], input=os.environ["PARTNERING_TICKET_SIGNING_KEY"], check=True,
        capture_output=True, text=True).stdout)
    verdict = run(binary, "ticket", "verify", ticket, "--data-dir", str(tmp_path / "verifier"), "--event", EVENT,
                  "--at", "2027-03-18T10:00:00+01:00", check=False)
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    assert not (data_dirs[1] / "keys" / "signing-key.pem").exists(), "no key written beside the given one"

    # SIGTERM: the second replica still answers, /ready says 503 while it drains, then it exits.
    second.process.send_signal(signal.SIGTERM)
    status, body = wait_for(lambda: (lambda r: r if r[0] == 503 else None)(ready(second.base_url)),
                            seconds=DRAIN_SECONDS, message="/ready to answer 503 while draining")
    assert body["reason"].startswith("draining")
    assert second.process.wait(timeout=DRAIN_SECONDS + 20) == 0


def start_worker(binary: Path, data_dir: Path, database_url: str, *extra: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(binary), "worker", "--data-dir", str(data_dir), "--database-url", database_url, *extra], cwd=REPOSITORY,
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
