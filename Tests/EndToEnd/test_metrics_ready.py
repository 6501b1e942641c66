"""`/ready` and `/metrics` of a real `partnering serve`: readiness answers once the store is
migrated, and the Prometheus exposition parses with `prometheus_client`'s parser, its
figures moving as requests come: registrations by outcome, desk scans by verdict, notices
written, the store's connections and commits. The same server logs JSON lines
(`logFormat: json`) naming each request by the id it answers in `X-Request-Id`."""

import json
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from conftest import run, start_server, wait_for
from test_registration_http import organiser_password, register_concurrently, registration, request, stop  # noqa: F401

PASSCODE = "metrics-desk-2027"


def scrape(base_url: str) -> dict:
    """Family name -> list of samples."""
    with urllib.request.urlopen(base_url + "/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode("utf-8")
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def value(samples, **labels) -> float:
    matching = [s.value for s in samples if all(s.labels.get(k) == v for k, v in labels.items())]
    return sum(matching)


def test_ready_and_metrics_move_with_requests(binary, tmp_path, organiser_password, monkeypatch):  # noqa: F811
    data = tmp_path / "data"
    run(binary, "checkin", "passcode", "--set", data_dir=data, input=PASSCODE + "\n")
    monkeypatch.setenv("PARTNERING_LOG_FORMAT", "json")
    monkeypatch.setenv("PARTNERING_LOG_LEVEL", "debug")
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        server = start_server(binary, data, stderr=log)
    try:
        with urllib.request.urlopen(server.base_url + "/ready", timeout=10) as response:
            assert response.status == 200 and b'"status":"ready"' in response.read()
        before = scrape(server.base_url)
        assert value(before["partnering_registrations"], status="confirmed") == 0
        assert value(before.get("partnering_registration_attempts", [])) == 0
        assert set(s.labels["state"] for s in before["partnering_scheduling_runs"]) == {
            "queued", "running", "finished", "cancelled", "failed"}
        # SQLite: the store's reader connections, all idle between requests.
        readers = value(before["partnering_store_connections_max"])
        assert readers >= 1 and value(before["partnering_store_connections"], state="idle") == readers

        assert register_concurrently([server.base_url], 4) == {"confirmed": 4}
        status, problem = request(server.base_url, "POST", "/api/v1/registrations/company", registration(0))
        assert status == 409, problem
        status, session = request(server.base_url, "POST", "/api/desk/sessions",
                                  {"desk": "Metrics", "passcode": PASSCODE})
        assert status == 201, session
        status, scanned = request(server.base_url, "POST", "/api/desk/scans",
                                  {"text": "not a ticket", "nonce": "metrics-scan-0001"},
                                  headers={"Authorization": f"Bearer {session['token']}"})
        assert status == 200 and scanned["code"] != "admitted", scanned
        with urllib.request.urlopen(urllib.request.Request(
                server.base_url + "/health", headers={"X-Request-Id": "e2e-metrics-1"}), timeout=10) as response:
            assert response.headers["X-Request-Id"] == "e2e-metrics-1"
        try:
            urllib.request.urlopen(server.base_url + "/no-such-page", timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code == 404
            generated = error.headers["X-Request-Id"]
            assert len(generated) == 32 and int(generated, 16) >= 0

        # Hummingbird counts a request once its answer is written, which can be just after the
        # client has read it, and confirmation e-mails are written in the background: scrape
        # until both show (as Prometheus's next scrape would).
        def scrape_when_settled():
            families = scrape(server.base_url)
            answered = value(families["hb_requests"], http_response_status_code="404") >= 1
            written = value(families.get("partnering_notices", []), result="written") >= 4
            return families if answered and written else None

        after = wait_for(scrape_when_settled, 20, "the 404 and the confirmation e-mails in /metrics")
        assert value(after["partnering_registrations"], category="company-delegate", status="confirmed") == 4
        attempts = after["partnering_registration_attempts"]
        assert value(attempts, outcome="confirmed") == 4
        assert value(attempts, outcome="refused", reason=problem["code"]) == 1
        assert value(after["partnering_desk_scans"], verdict=scanned["code"]) == 1
        assert value(after["partnering_notices"], result="failed") == 0
        assert "partnering_notices_queued" in after
        commits = after["partnering_store_commit_group_size"]
        assert value([s for s in commits if s.name.endswith("_count")]) >= 4
        assert "partnering_store_writer_queue" in after
        assert value(after["partnering_store_connections"], state="in_use") <= readers
        requests = after["hb_requests"]
        assert value(requests, http_route="/api/v1/registrations/{role}", http_response_status_code="201") == 4
        durations = after["http_server_request_duration"]
        assert value([s for s in durations if s.name.endswith("_count")],
                     http_route="/api/v1/registrations/{role}") == 5
    finally:
        stop(server)

    lines = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines and all({"timestamp", "level", "label", "message"} <= set(line) for line in lines)
    assert any(line.get("metadata", {}).get("request_id") == "e2e-metrics-1" for line in lines), lines[-5:]
