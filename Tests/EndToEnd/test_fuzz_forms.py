"""Property-based fuzzing (hypothesis) of what the OpenAPI document does not cover: the
HTML form routes and the query strings of pages, signed in as an attendee, an organiser
and a desk. Every answer must be below 500 and the server must stay up.

Run longer by hand (docs/fuzzing.md): PARTNERING_FUZZ_EXAMPLES=2000 pytest -q -s Tests/EndToEnd/test_fuzz_forms.py
"""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FUZZ_ORGANISER_PASSWORD as ORGANISER_PASSWORD
from conftest import FUZZ_PASSCODE as PASSCODE

EXAMPLES = int(os.environ.get("PARTNERING_FUZZ_EXAMPLES", "250"))

GET_PAGES = [
    "/", "/register/company", "/register/expert", "/access", "/me", "/me/profile", "/me/directory",
    "/me/directory/p-unknown", "/me/requests", "/me/cancel", "/me/export", "/me/erase", "/organiser",
    "/organiser/registrations", "/organiser/registrations.csv", "/organiser/audit", "/organiser/problem.json",
    "/organiser/schedule", "/organiser/schedule/progress.json", "/organiser/schedule/compare",
    "/organiser/schedule/versions/1", "/organiser/schedule/versions/1/grid.html", "/desk", "/desk/login",
    "/api/desk/counters", "/api/desk/search", "/api/desk/bundle", "/desk/bundle.json",
]
# The scheduler run is left out: a valid random time limit would start minutes of solving.
FORMS = [
    "/register/company", "/register/expert", "/access", "/me/profile", "/me/directory/p-unknown",
    "/me/requests/r-unknown/withdraw", "/me/cancel", "/organiser/login", "/organiser/registrations/p-x/approve",
    "/organiser/schedule/versions/1/adjust", "/organiser/schedule/versions/1/publish", "/desk/login",
]
FIELD_NAMES = [
    "page", "q", "topic", "country", "role", "status", "sort", "action", "notice", "lang", "from", "to", "timeLimit",
    "name", "email", "organisation", "jobTitle", "phone", "topics", "profile", "sessions", "slots", "maxMeetings",
    "language", "category", "acceptPrivacy", "listInDirectory", "priority", "message", "password", "desk",
    "passcode", "participants", "next",
]
NASTY = [
    "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "0", "-1", "nan", "inf", "1e400",
    "", " ", "%", "%00", "\u0000", "\u2028", "\u202e", "a,b@x.org", '"q"@x.org', "é@x.org", "x" * 70000,
    "../../etc/passwd", "<script>", "2026-13-45", "${jndi}", "\r\nBcc: v@x",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=80), st.integers().map(str), st.floats().map(str))
fields = st.lists(st.tuples(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12)), values), max_size=12)


class Client:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.base_url + path, data=data)
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        _, body = self.request("/access")
        match = re.search(r'name="_csrf" value="([^"]+)"', body)
        return match.group(1) if match else ""

    def post(self, path: str, pairs: list[tuple[str, str]]) -> tuple[int, str]:
        return self.request(path, urllib.parse.urlencode([("_csrf", self.csrf()), *pairs]).encode())


def signed_in_clients(base_url: str) -> list[Client]:
    attendee, organiser, desk = Client(base_url), Client(base_url), Client(base_url)
    attendee.post("/register/company", [
        ("name", "Fuzz Attendee"), ("email", "fuzz.attendee@example.org"), ("organisation", "Fuzz SA"),
        ("jobTitle", "CTO"), ("country", "FR"), ("topics", "aml"), ("profile", "Fuzzing."),
        ("sessions", "morning"), ("language", "en"), ("acceptPrivacy", "yes"),
    ])
    organiser.post("/organiser/login", [("email", "organiser@example.org"), ("password", ORGANISER_PASSWORD)])
    desk.post("/desk/login", [("desk", "Fuzz"), ("passcode", PASSCODE)])
    assert attendee.request("/me")[0] == 200 and organiser.request("/organiser")[0] == 200
    assert desk.request("/desk")[0] == 200
    return [attendee, organiser, desk]


def test_form_routes_and_query_strings_never_fail(fuzz_server):
    server = fuzz_server
    counts = {"cases": 0, "server_errors": 0}
    failures: list[str] = []
    clients = signed_in_clients(server.base_url)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(who=st.integers(0, 2), get=st.booleans(), page=st.sampled_from(GET_PAGES),
           form=st.sampled_from(FORMS), pairs=fields)
    def one_case(who, get, page, form, pairs):
        client = clients[who]
        counts["cases"] += 1
        if get:
            path = page + "?" + urllib.parse.urlencode(pairs)
            status, body = client.request(path)
        else:
            path = form
            status, body = client.post(form, pairs)
        if status >= 500:
            counts["server_errors"] += 1
            failures.append(f"{status} {'GET' if get else 'POST'} {path[:300]} {pairs!r:.300}")
        assert server.process.poll() is None, f"the server died on {path[:300]}"

    one_case()
    print(f"form fuzzing: cases={counts['cases']} server_errors={counts['server_errors']}")
    assert not failures, "\n".join(failures[:20])
