"""Nothing acknowledged is lost: a bounded mixed load (registrations, approvals, meeting
requests, answers, cancellations) against real `partnering serve` processes that are
killed with SIGKILL at random moments and restarted. Afterwards every action answered
with 2xx is in the store, every e-mail it promised is in the outbox exactly once, no seat
is held without its ticket, and the database is sound. Once on SQLite (five kills), once
with two servers on one PostgreSQL database (one of them killed)."""

import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import start_server
from test_registration_http import ORGANISER_PASSWORD, event_with_capacity, fresh_postgres_database  # noqa: F401

# How long a claim left "in progress" by a killed server keeps a retry waiting
# (RegistrationService.idempotencyLease), with a margin.
IDEMPOTENCY_LEASE = 15


class Unanswered(Exception):
    """The server died (or did not answer) before acknowledging."""

    def __init__(self, reason: str, reached_server: bool = True):
        super().__init__(reason)
        self.reached_server = reached_server


def call(base_url: str, method: str, path: str, body=None, token=None, key=None):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(base_url + path, data=data, method=method, headers=headers)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except http.client.HTTPException as cut:
            raise Unanswered(f"answer cut short: {cut!r}") from cut
    # An answer cut short (IncompleteRead) is the server dying while it wrote: unanswered.
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, http.client.HTTPException) as error:
        refused = isinstance(getattr(error, "reason", error), ConnectionRefusedError)
        raise Unanswered(str(error), reached_server=not refused) from error


def form(role: str, index: int) -> dict:
    return {
        "name": f"{role.capitalize()} {index}", "email": f"{role}{index}-{uuid.uuid4().hex[:6]}@example.org",
        "organisation": "Onco SAS" if role == "company" else "Institut Curie", "jobTitle": "CSO", "country": "FR",
        "topics": ["aml"], "profile": "CAR-T in AML.", "sessions": ["morning", "afternoon"], "language": "fr",
        "acceptPrivacy": True, "listInDirectory": True,
    }


class Ledger:
    """What the servers acknowledged, and what they left unanswered."""

    def __init__(self):
        self.lock = threading.Lock()
        self.registered = {}  # participant id -> status answered
        self.unanswered_registrations = []  # (role, body, key)
        self.approved = set()
        self.requests = {}  # request id -> (from, to)
        self.answered = {}  # request id -> "accepted" | "declined"
        self.cancelled = set()
        self.tokens = {}  # participant id -> session token
        self.confirmed_companies = []
        self.confirmed_experts = []
        self.pending_experts = []
        self.open_requests = []
        self.acknowledged = 0
        self.retries = {}


class Load:
    """Worker threads that act against whichever server is up, until stopped."""

    def __init__(self, base_urls: list[str], ledger: Ledger, seed: int):
        self.base_urls = base_urls  # replaced in place when a server restarts
        self.ledger = ledger
        self.stop = threading.Event()
        self.random = random.Random(seed)
        self.counter = 0
        self.organiser_tokens = {}
        # One sign-in per server at a time, as one organiser would: eight threads signing in
        # at once would be eight concurrent attempts, which the login limit counts together.
        self.organiser_lock = threading.Lock()
        self.failures = []
        self.threads = [threading.Thread(target=self.work, args=(n,), daemon=True) for n in range(8)]

    def url(self) -> str:
        return self.random.choice(self.base_urls)

    def organiser(self, base_url: str) -> str:
        with self.organiser_lock:
            token = self.organiser_tokens.get(base_url)
            if token is None:
                status, body = call(base_url, "POST", "/api/v1/organiser/tokens",
                                    {"email": "organiser@example.org", "password": ORGANISER_PASSWORD})
                assert status == 201, body
                token = self.organiser_tokens[base_url] = body["token"]
            return token

    def work(self, number: int):
        while not self.stop.is_set():
            try:
                self.act()
            except Unanswered:
                time.sleep(0.05)
            except Exception as error:  # an unexpected answer: the test fails with it
                self.failures.append(repr(error))
                return

    def act(self):
        ledger = self.ledger
        with ledger.lock:
            self.counter += 1
            index = self.counter
            choice = self.random.random()
            pending = ledger.pending_experts.pop() if ledger.pending_experts and choice < 0.15 else None
            opening = ledger.open_requests.pop() if ledger.open_requests and 0.15 <= choice < 0.3 else None
            can_request = ledger.confirmed_companies and ledger.confirmed_experts and 0.3 <= choice < 0.45
            pair = (self.random.choice(ledger.confirmed_companies), self.random.choice(ledger.confirmed_experts)) \
                if can_request else None
            leaving = ledger.confirmed_companies.pop(self.random.randrange(len(ledger.confirmed_companies))) \
                if ledger.confirmed_companies and 0.45 <= choice < 0.5 else None
        base_url = self.url()
        if pending:
            status, body = call(base_url, "POST", f"/api/v1/organiser/registrations/{pending}/approve",
                                token=self.organiser(base_url))
            assert status == 200, body
            with ledger.lock:
                ledger.approved.add(pending)
                ledger.acknowledged += 1
                if body["status"] == "confirmed":
                    ledger.confirmed_experts.append(pending)
        elif opening:
            request_id, expert = opening
            accept = self.random.random() < 0.6
            status, body = call(base_url, "POST", f"/api/v1/requests/{request_id}/{'accept' if accept else 'decline'}",
                                token=ledger.tokens[expert])
            assert status < 500, body
            if status == 200:
                with ledger.lock:
                    ledger.answered[request_id] = body["status"]
                    ledger.acknowledged += 1
        elif pair:
            company, expert = pair
            status, body = call(base_url, "POST", "/api/v1/requests", {"to": expert, "priority": 2, "message": "Hi"},
                                token=ledger.tokens[company])
            assert status < 500, body
            if status == 201:
                with ledger.lock:
                    ledger.requests[body["id"]] = (company, expert)
                    ledger.open_requests.append((body["id"], expert))
                    ledger.acknowledged += 1
        elif leaving:
            status, body = call(base_url, "POST", "/api/v1/me/cancel", {}, token=ledger.tokens[leaving])
            assert status == 200, body
            with ledger.lock:
                ledger.cancelled.add(leaving)
                ledger.acknowledged += 1
        else:
            role = "expert" if index % 3 == 0 else "company"
            body_sent = form(role, index)
            key = uuid.uuid4().hex
            try:
                status, body = call(base_url, "POST", f"/api/v1/registrations/{role}", body_sent, key=key)
            except Unanswered as unanswered:
                if unanswered.reached_server:  # a refused connection sent nothing
                    with ledger.lock:
                        ledger.unanswered_registrations.append((role, body_sent, key))
                raise
            assert status == 201, ("registration", body)
            self.record_registration(role, body)

    def record_registration(self, role: str, body: dict):
        ledger = self.ledger
        participant = body["participant"]
        with ledger.lock:
            ledger.registered[participant["id"]] = participant["status"]
            ledger.tokens[participant["id"]] = body["sessionToken"]
            ledger.acknowledged += 1
            if participant["status"] == "pending":
                ledger.pending_experts.append(participant["id"])
            elif participant["status"] == "confirmed" and role == "company":
                ledger.confirmed_companies.append(participant["id"])


def retry_unanswered(load: Load):
    """Retries every registration left unanswered, with its key, until it completes; a
    claim left in progress by a killed server is taken over after its lease."""
    deadline = time.time() + IDEMPOTENCY_LEASE + 30
    outcomes = {"new": 0, "replayed": 0, "taken over": 0}
    for role, body_sent, key in load.ledger.unanswered_registrations:
        waited = False
        while True:
            status, body = call(load.url(), "POST", f"/api/v1/registrations/{role}", body_sent, key=key)
            if status in (200, 201):
                load.record_registration(role, body)
                outcomes["taken over" if waited else "replayed" if body["replayed"] else "new"] += 1
                break
            waited = True
            assert status == 409 and body.get("code") == "request_in_progress", (status, body)
            assert time.time() < deadline, f"key {key} still in progress after the lease"
            time.sleep(0.5)
    return outcomes


def run_load(servers: list, restart, kills: int, seed: int) -> Ledger:
    """Runs the load, killing and restarting a server `kills` times at random moments."""
    ledger = Ledger()
    load = Load([server.base_url for server in servers], ledger, seed)
    chooser = random.Random(seed + 1)
    # The organiser signs in before the kills begin and keeps the token across restarts:
    # a sign-in takes a bcrypt check (seconds on a loaded machine), longer than the time
    # between kills, and the store-shared login limit counts a sign-in a kill interrupted
    # as failed, so signing in again after each kill would lock the organiser out.
    for url in load.base_urls:
        load.organiser(url)
    for thread in load.threads:
        thread.start()
    try:
        for _ in range(kills):
            time.sleep(chooser.uniform(0.4, 2.0))
            victim = chooser.randrange(len(servers))
            os.kill(servers[victim].process.pid, signal.SIGKILL)
            servers[victim].process.wait(timeout=10)
            old_url = servers[victim].base_url
            servers[victim] = restart(victim)
            load.base_urls[victim] = servers[victim].base_url
            # The restarted server keeps its key folder, so the organiser's token stays valid,
            # as a browser's session survives a restart. Signing in again after every kill
            # would leave, in the store's shared login limit, every sign-in a kill
            # interrupted counted as failed, and five of them lock the organiser out.
            with load.organiser_lock:
                token = load.organiser_tokens.pop(old_url, None)
                if token:
                    load.organiser_tokens[servers[victim].base_url] = token
        time.sleep(2.0)
    finally:
        load.stop.set()
        for thread in load.threads:
            thread.join(timeout=60)
    assert not load.failures, load.failures
    ledger.retries = retry_unanswered(load)
    assert ledger.acknowledged > 50, "the load did too little to prove anything"
    return ledger


def wait_until(condition, seconds: float, what: str):
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, what
        time.sleep(0.25)


def outbox_causes(outbox: Path) -> dict:
    """Cause -> number of message files in the outbox written for it."""
    records = []
    for line in (outbox / "index.jsonl").read_text().splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a kill: its message was never renamed into new/
    files = {path.name for path in (outbox / "new").iterdir()}
    causes: dict = {}
    for record in records:
        assert record["file"] in files, f"{record['cause']} is recorded but its file is missing"
        causes[record["cause"]] = causes.get(record["cause"], 0) + 1
    assert len(files) == len(records), "a message file without its record, or a record without its file"
    return causes


def verify(ledger: Ledger, query, outbox: Path):
    """Checks the store (through `query(sql) -> rows`) and the outbox against the ledger."""
    statuses = dict(query("SELECT id, status FROM participants"))
    for participant, answered in ledger.registered.items():
        assert participant in statuses, f"acknowledged registration {participant} is missing"
    for participant in ledger.approved:
        assert statuses[participant] in ("confirmed", "waitlisted", "cancelled"), participant
    for participant in ledger.cancelled:
        assert statuses[participant] == "cancelled", participant
    request_statuses = dict(query("SELECT id, status FROM meeting_requests"))
    for request_id in ledger.requests:
        assert request_id in request_statuses, f"acknowledged request {request_id} is missing"
    for request_id, status in ledger.answered.items():
        assert request_statuses[request_id] == status, request_id

    valid_tickets = {}
    for participant, count in query(
            "SELECT participant_id, COUNT(*) FROM tickets WHERE revoked_at IS NULL GROUP BY participant_id"):
        valid_tickets[participant] = count
    ever_ticketed = {row[0] for row in query("SELECT DISTINCT participant_id FROM tickets")}
    for participant, status in statuses.items():
        if status == "confirmed":
            assert valid_tickets.get(participant) == 1, f"{participant} holds a seat without exactly one ticket"
        else:
            assert participant not in valid_tickets, f"{participant} is {status} with a valid ticket"
    assert query("SELECT COUNT(*) FROM notice_queue") == [(0,)], "notices left unwritten"

    causes = outbox_causes(outbox)
    duplicates = {cause: count for cause, count in causes.items() if count != 1}
    assert not duplicates, f"causes written more than once: {duplicates}"
    for participant in ever_ticketed:
        assert f"confirmation:{participant}" in causes, f"{participant} got a ticket but no confirmation"
    for participant, status in ledger.registered.items():
        if status == "pending":
            assert f"registration:{participant}" in causes, participant
    for participant in ledger.cancelled:
        assert f"cancellation:{participant}" in causes, participant
    for request_id in ledger.requests:
        assert f"request-received:{request_id}" in causes, request_id
    for request_id, status in ledger.answered.items():
        assert f"request-{status}:{request_id}" in causes, request_id
    return causes


@pytest.fixture
def organiser_env(monkeypatch):
    monkeypatch.setenv("PARTNERING_ORGANISER_PASSWORD", ORGANISER_PASSWORD)
    monkeypatch.delenv("PARTNERING_DATABASE_URL", raising=False)


def stop(server):
    """Stops a server gracefully (it flushes what it holds), or kills it if it will not."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)
        raise


def test_kill_9_five_times_on_sqlite_loses_nothing(binary, tmp_path, organiser_env):
    event = event_with_capacity(tmp_path, 40)
    data = tmp_path / "data"
    servers = [start_server(binary, data, "--event-file", str(event))]

    def restart(_):
        return start_server(binary, data, "--event-file", str(event))

    database = data / "partnering.sqlite"

    def queue_empty():
        with sqlite3.connect(database, timeout=10) as connection:
            return connection.execute("SELECT COUNT(*) FROM notice_queue").fetchone()[0] == 0

    # The mail thread runs at the lowest CPU priority: on a loaded machine the queue takes a
    # while to empty, so the wait is generous; it ends as soon as the queue is empty.
    try:
        ledger = run_load(servers, restart, kills=5, seed=int(time.time()))
        wait_until(queue_empty, 180, "the notices of the killed servers were not written")
    finally:
        stop(servers[0])

    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        causes = verify(ledger, lambda sql: connection.execute(sql).fetchall(), data / "outbox")
    finally:
        connection.close()
    print(f"sqlite: {ledger.acknowledged} acknowledged actions, unanswered registrations retried: {ledger.retries}, "
          f"{len(causes)} e-mails, 5 kills")


def test_kill_9_with_two_servers_on_postgres_loses_nothing(binary, tmp_path, organiser_env,
                                                           fresh_postgres_database, monkeypatch):
    import shutil
    psql = shutil.which("psql") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))), None)
    assert psql, "psql not found"
    event = event_with_capacity(tmp_path, 40)
    # One outbox and one key folder for both servers, as on one host.
    monkeypatch.setenv("PARTNERING_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("PARTNERING_KEY_DIR", str(tmp_path / "keys"))
    shared = ["--event-file", str(event), "--database-url", fresh_postgres_database]
    servers = [start_server(binary, tmp_path / "a", *shared)]
    servers.append(start_server(binary, tmp_path / "b", *shared))

    def restart(victim):
        return start_server(binary, tmp_path / "ab"[victim], *shared)

    def query(sql: str):
        output = subprocess.run([str(psql), fresh_postgres_database, "-At", "-F", "\t", "-c", sql], check=True,
                                capture_output=True, text=True).stdout
        rows = [tuple(line.split("\t")) for line in output.splitlines() if line]
        return [tuple(int(value) if value.isdigit() else value for value in row) for row in rows]

    try:
        ledger = run_load(servers, restart, kills=1, seed=int(time.time()))
        wait_until(lambda: query("SELECT COUNT(*) FROM notice_queue") == [(0,)], 180,
                   "the notices of the killed server were not written")
    finally:
        for server in servers:
            stop(server)
    causes = verify(ledger, query, tmp_path / "outbox")
    print(f"postgres: {ledger.acknowledged} acknowledged actions, unanswered registrations retried: "
          f"{ledger.retries}, {len(causes)} e-mails, 1 kill of 2 servers")
