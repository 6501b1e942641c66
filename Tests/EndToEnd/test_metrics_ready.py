"""`/ready` and `/metrics` of a real `partnering serve`: readiness answers once the store is
migrated, and the Prometheus exposition parses with `prometheus_client`'s parser, its
figures moving as requests come."""

import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from conftest import start_server, wait_for
from test_registration_http import organiser_password, register_concurrently, stop  # noqa: F401


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


def test_ready_and_metrics_move_with_requests(binary, tmp_path, organiser_password):  # noqa: F811
    server = start_server(binary, tmp_path / "data")
    try:
        with urllib.request.urlopen(server.base_url + "/ready", timeout=10) as response:
            assert response.status == 200 and b'"status":"ready"' in response.read()
        before = scrape(server.base_url)
        assert value(before["partnering_registrations"], status="confirmed") == 0
        assert set(s.labels["state"] for s in before["partnering_scheduling_runs"]) == {
            "queued", "running", "finished", "cancelled", "failed"}

        assert register_concurrently([server.base_url], 4) == {"confirmed": 4}
        try:
            urllib.request.urlopen(server.base_url + "/no-such-page", timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code == 404

        # Hummingbird counts a request once its answer is written, which can be just after the
        # client has read it: scrape until the last request shows (as Prometheus's next scrape would).
        def scrape_with_the_404():
            families = scrape(server.base_url)
            return families if value(families["hb_requests"], http_response_status_code="404") >= 1 else None

        after = wait_for(scrape_with_the_404, 10, "the 404 in /metrics")
        assert value(after["partnering_registrations"], category="company-delegate", status="confirmed") == 4
        assert "partnering_notices_queued" in after
        requests = after["hb_requests"]
        assert value(requests, http_route="/api/v1/registrations/{role}", http_response_status_code="201") == 4
        durations = after["http_server_request_duration"]
        assert value([s for s in durations if s.name.endswith("_count")],
                     http_route="/api/v1/registrations/{role}") == 4
    finally:
        stop(server)
