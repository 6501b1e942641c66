"""The deployment of Deployment/compose.yaml on this machine: two `serve --no-worker`
replicas and one `partnering worker` on one PostgreSQL database, behind nginx running
Deployment/nginx/compose.conf (its upstream pointed at the replicas' ports). Registrations
through nginx land on both replicas; a scheduler run started through nginx is run by the
worker, whose /metrics (`--metrics-port`) counts it with its store connections; a replica
given SIGTERM answers /ready with 503 while it drains, and nginx keeps answering from the
other one, before and after it exits."""

import signal
import urllib.request

from conftest import free_port, run, start_server, wait_for
from test_deployment_nginx import compose_proxy_config, start_nginx, stop_nginx
from test_metrics_ready import scrape, value
from test_registration_http import (fresh_postgres_database, organiser_password,  # noqa: F401
                                    register_concurrently, registration, request)
from test_scheduling_replicas import DRAIN_SECONDS, Organiser, give_replica_settings, psql, ready, start_worker

REGISTRATION_ROUTE = "/api/v1/registrations/{role}"


def registrations_answered(base_url: str) -> float:
    """The registrations this replica answered with 201, by its own /metrics."""
    families = scrape(base_url)
    return value(families.get("hb_requests", []), http_route=REGISTRATION_ROUTE, http_response_status_code="201")


def test_two_replicas_and_a_worker_behind_the_compose_nginx(binary, tmp_path, organiser_password,  # noqa: F811
                                                            fresh_postgres_database, monkeypatch):  # noqa: F811
    give_replica_settings(monkeypatch)
    database = ["--database-url", fresh_postgres_database]
    # A small day: enough for a scheduler run with meetings, quick to fill and to solve.
    run(binary, "demo", *database, "--data-dir", str(tmp_path / "demo"), "--companies", "12", "--experts", "15")
    replicas = [start_server(binary, tmp_path / name, *database, "--no-worker") for name in ("first", "second")]
    worker = start_worker(binary, tmp_path / "worker", fresh_postgres_database, "--metrics-port", "0")
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

        # Round robin: registrations through nginx land on both replicas, each counted once.
        assert register_concurrently([front], 20) == {"confirmed": 20}
        shares = wait_for(lambda: (lambda s: s if sum(s) == 20 else None)(
            [registrations_answered(replica.base_url) for replica in replicas]), 20, "both replicas' counts")
        assert all(share > 0 for share in shares), shares

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
        families = wait_for(lambda: (lambda f: f if value(f.get("partnering_notices", []), result="written") >= 20
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
        during = [request(front, "POST", "/api/v1/registrations/company", registration(100 + i))[0]
                  for i in range(4)]
        assert leaving.process.wait(timeout=DRAIN_SECONDS + 30) == 0
        after = [request(front, "POST", "/api/v1/registrations/company", registration(200 + i))[0]
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
