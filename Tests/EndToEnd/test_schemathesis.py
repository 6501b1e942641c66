"""schemathesis against `/api/openapi.yaml` on a running server: every operation, with an
attendee, an organiser and a desk token; no server error and every response as documented.

Run longer by hand (docs/fuzzing.md): PARTNERING_SCHEMATHESIS_EXAMPLES=200 pytest -q -s Tests/EndToEnd/test_schemathesis.py
"""

import json
import os
import re
import shutil
import subprocess
import urllib.request

import pytest

from conftest import FUZZ_ORGANISER_PASSWORD as ORGANISER_PASSWORD
from conftest import FUZZ_PASSCODE as PASSCODE

EXAMPLES = os.environ.get("PARTNERING_SCHEMATHESIS_EXAMPLES", "12")


def post(base_url: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        base_url + path, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def registration(email: str) -> dict:
    return {
        "name": "Schema Thesis", "email": email, "organisation": "Fuzz SA", "jobTitle": "CTO", "country": "FR",
        "topics": ["aml"], "profile": "Property-based tests.", "sessions": ["morning", "afternoon"],
        "language": "en", "acceptPrivacy": True, "listInDirectory": True,
    }


def schemathesis(base_url: str, token: str, paths: str, report, folder) -> tuple[int, str]:
    command = [
        shutil.which("schemathesis") or "schemathesis", "run", base_url + "/api/openapi.yaml",
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        "--max-examples", EXAMPLES, "--header", f"Authorization: Bearer {token}",
        "--include-path-regex", paths, "--phases", "examples,coverage,fuzzing", "--no-color",
        "--request-timeout", "20",
    ]
    # Its cache (.schemathesis/) goes to the test's own folder, not the repository.
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=900)
    report(result.stdout[-6000:])
    return result.returncode, result.stdout + result.stderr


def test_every_api_operation_conforms_and_never_fails(fuzz_server, tmp_path):
    if shutil.which("schemathesis") is None:
        pytest.fail("schemathesis is not installed (scripts/install-dependencies.sh installs it)")
    server = fuzz_server
    outputs: list[str] = []
    attendee = post(server.base_url, "/api/v1/registrations/company", registration("fuzz@example.org"))
    organiser = post(
        server.base_url, "/api/v1/organiser/tokens", {"email": "organiser@example.org", "password": ORGANISER_PASSWORD}
    )
    desk = post(server.base_url, "/api/desk/sessions", {"desk": "Fuzz", "passcode": PASSCODE})
    runs = [
        ("attendee", attendee["sessionToken"], r"^/api/(openapi|v1/(registrations|access-links|sessions|me|directory|requests))"),
        ("organiser", organiser["token"], r"^/api/v1/organiser/"),
        ("desk", desk["token"], r"^/api/desk/"),
    ]
    failures = []
    for name, token, paths in runs:
        status, output = schemathesis(server.base_url, token, paths, outputs.append, tmp_path)
        tested = re.search(r"Tested: (\d+)", output)
        cases = re.search(r"(\d+) generated", output)
        server_errors = len(re.findall(r"Server error", output))
        print(
            f"schemathesis {name}: operations={tested.group(1) if tested else '?'} "
            f"cases={cases.group(1) if cases else '?'} server_errors={server_errors} exit={status}"
        )
        if status != 0:
            failures.append((name, output[-8000:]))
    assert server.process.poll() is None, "the server died under schemathesis"
    assert not failures, "\n\n".join(f"--- {name}\n{output}" for name, output in failures)
