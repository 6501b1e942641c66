"""The deployment of Deployment/compose.yaml on this machine: two `serve --no-worker`
replicas and one `partnering worker` on one PostgreSQL database, behind nginx running
Deployment/nginx/compose.conf (its upstream pointed at the replicas' ports). A burst of 300
registrations for 100 seats through nginx lands on both replicas and confirms exactly 100,
and the worker writes every confirmation e-mail exactly once; a scheduler run started
through nginx is run by the worker, whose /metrics (`--metrics-port`) counts it with its
store connections; a replica given SIGTERM answers /ready with 503 while it drains, and
nginx keeps answering from the other one, before and after it exits."""

import signal
import urllib.request

from conftest import free_port, run, start_server, wait_for
from test_crash_recovery import outbox_causes
from test_deployment_nginx import compose_proxy_config, start_nginx, stop_nginx
from test_metrics_ready import scrape, value
from test_registration_http import (event_with_capacity, fresh_postgres_database,  # noqa: F401
                                    organiser_password, register_concurrently, registration, request)
from test_scheduling_replicas import DRAIN_SECONDS, Organiser, give_replica_settings, psql, ready, start_worker

REGISTRATION_ROUTE = "/api/v1/registrations/{role}"
DEMO_COMPANIES = 12
BURST = 300
BURST_SEATS = 100


def registrations_answered(base_url: str) -> float:
    """The registrations this replica answered with 201, by its own /metrics."""
    families = scrape(base_url)
    return value(families.get("hb_requests", []), http_route=REGISTRATION_ROUTE, http_response_status_code="201")


def test_two_replicas_and_a_worker_behind_the_compose_nginx(binary, tmp_path, organiser_password,  # noqa: F811
                                                            fresh_postgres_database, monkeypatch):  # noqa: F811
    give_replica_settings(monkeypatch)
    # A small day (12 companies, 15 experts): enough for a scheduler run with meetings, quick
    # to fill and to solve; 100 company seats left beside the day's 12 for the burst.
    event = event_with_capacity(tmp_path, DEMO_COMPANIES + BURST_SEATS)
    database = ["--database-url", fresh_postgres_database, "--event-file", str(event)]
    run(binary, "demo", *database, "--data-dir", str(tmp_path / "demo"), "--companies", str(DEMO_COMPANIES),
        "--experts", "15")
    replicas = [start_server(binary, tmp_path / name, *database, "--no-worker") for name in ("first", "second")]
    worker = start_worker(binary, tmp_path / "worker", fresh_postgres_database, "--event-file", str(event),
                          "--metrics-port", "0")
    proxy = None
    try:
        announced = worker.stdout.readline()
        assert announced.startswith("Partnering worker metrics on http://"), announced
        worker_url = announced.split(" on ", 1)[1].strip().removesuffix("/metrics")
        listen_port = free_port()
        folder = tmp_path / "nginx"
        folder.mkdir()
        ports = [int(replica.base_url.rsplit(":", 1)[1]) for replica in replicas]
        proxy = start_nginx(compose_proxy_config(folder, ports, listen_port), listen_port)
        front = f"http://127.0.0.1:{listen_port}"

        # A burst through nginx: round robin spreads it over both replicas (each counts its
        # own); exactly the 100 seats are confirmed, the rest waitlisted.
        assert register_concurrently([front], BURST) == {"confirmed": BURST_SEATS, "waitlisted": BURST - BURST_SEATS}
        shares = wait_for(lambda: (lambda s: s if sum(s) == BURST else None)(
            [registrations_answered(replica.base_url) for replica in replicas]), 20, "both replicas' counts")
        assert all(share > 0 for share in shares), shares
        # The worker writes each confirmation exactly once, one per confirmed delegate.
        wait_for(lambda: psql(fresh_postgres_database, "SELECT count(*) FROM notice_queue") == "0",
                 seconds=120, message="the worker to write the burst's e-mails")
        causes = outbox_causes(tmp_path / "worker" / "outbox")
        assert {cause: count for cause, count in causes.items() if count != 1} == {}, "an e-mail written twice"
        confirmed = psql(fresh_postgres_database,
                         "SELECT id FROM participants WHERE status = 'confirmed' AND email LIKE 'delegate%'").split()
        assert len(confirmed) == BURST_SEATS
        assert {cause for cause in causes if cause.startswith("confirmation:")} == {
            f"confirmation:{participant}" for participant in confirmed}

        # A run started through nginx is run by the worker (the replicas run none).
        organiser = Organiser(front)
        assert organiser.post("/organiser/schedule/run", [("timeLimit", "5")]) == 200
        finished = wait_for(lambda: (lambda p: p if p["state"] == "finished" else None)(organiser.progress()),
                            seconds=90, message="the worker to finish the run")
        assert int(finished["meetings"]) > 0
        holder = psql(fresh_postgres_database, "SELECT worker FROM scheduling_runs")
        assert int(holder.split(":")[-2]) == worker.pid, holder

        # The worker's own /metrics: the run it ended, the e-mails it wrote, its store connections.
        with urllib.request.urlopen(worker_url + "/health", timeout=10) as response:
            assert response.status == 200
        families = wait_for(lambda: (lambda f: f if value(f.get("partnering_notices", []), result="written") >= BURST
                                     else None)(scrape(worker_url)), 30, "the worker's e-mails in its /metrics")
        assert value(families["partnering_scheduler_runs_ended"], state="finished") == 1
        maximum = value(families["partnering_store_connections_max"])
        in_use = value(families["partnering_store_connections"], state="in_use")
        idle = value(families["partnering_store_connections"], state="idle")
        # The scrape's own query holds one connection; the pool never opens more than its maximum.
        assert maximum >= 1 and 1 <= in_use and in_use + idle <= maximum, (in_use, idle, maximum)
        assert "partnering_store_writer_queue" not in families, "no single writer on PostgreSQL"

        # SIGTERM to the first replica: /ready says 503 while it drains, nginx answers throughout.
        leaving, staying = replicas
        leaving.process.send_signal(signal.SIGTERM)
        status, body = wait_for(lambda: (lambda r: r if r[0] == 503 else None)(ready(leaving.base_url)),
                                seconds=DRAIN_SECONDS + 5, message="/ready to answer 503 while draining")
        assert body["reason"].startswith("draining")
        assert ready(staying.base_url)[0] == 200
        during = [request(front, "POST", "/api/v1/registrations/company", registration(BURST + i))[0]
                  for i in range(4)]
        assert leaving.process.wait(timeout=DRAIN_SECONDS + 30) == 0
        after = [request(front, "POST", "/api/v1/registrations/company", registration(BURST + 100 + i))[0]
                 for i in range(4)]
        assert during + after == [201] * 8
        assert [ready(front)[0] for _ in range(4)] == [200] * 4
    finally:
        if proxy is not None:
            stop_nginx(proxy)
        for process in [replica.process for replica in replicas] + [worker]:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
