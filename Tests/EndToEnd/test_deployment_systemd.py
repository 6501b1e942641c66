"""The systemd unit in Deployment/ read by the tools that read it: `systemd-analyze verify`
accepts it with the binary at its ExecStart path, and every system call that
`partnering serve` makes through the registration, mail, scheduling, publication and
desk flows (recorded with `strace -f`) is allowed by the unit's SystemCallFilter= lines
as `systemd-analyze syscall-filter` expands them. A call the filter denies would end
the service with SIGSYS the first time that flow runs on the day."""

import html
import http.cookiejar
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import REPOSITORY, wait_for

UNIT = REPOSITORY / "Deployment" / "partnering.service"
ORGANISER_PASSWORD = "systemd unit organiser password"
PASSCODE = "accueil-unit"
# The unit runs as its own unprivileged user; `nobody` stands for it here.
SERVICE_USER = "nobody"


def unit_settings(name: str) -> list[str]:
    """The values of every `name=` line of the unit's [Service] section, in order."""
    values = []
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith(f"{name}="):
            values.append(line.split("=", 1)[1])
    return values


def expand_syscall_set(name: str, seen: set[str] | None = None) -> set[str]:
    """A system call or an @set, expanded recursively by `systemd-analyze syscall-filter`."""
    if not name.startswith("@"):
        return {name}
    seen = seen if seen is not None else set()
    if name in seen:
        return set()
    seen.add(name)
    listing = subprocess.run(["systemd-analyze", "syscall-filter", name], check=True, capture_output=True,
                             text=True).stdout
    calls: set[str] = set()
    for line in listing.splitlines()[1:]:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            calls |= expand_syscall_set(entry, seen)
    assert calls, f"systemd-analyze knows no system call in {name}"
    return calls


def allowed_syscalls() -> tuple[set[str] | None, set[str]]:
    """What the unit's SystemCallFilter= lines allow, with systemd's rules for mixing lists:
    the first line decides whether the filter is an allow list or a deny list; later lines of
    the same kind add to it and lines of the other kind take their calls out of it.
    Returns (allowed, denied): `allowed` is None for a deny list."""
    lines = unit_settings("SystemCallFilter")
    assert lines, "the unit sets no SystemCallFilter="
    allow_list = not lines[0].startswith("~")
    members: set[str] = set()
    for line in lines:
        deny = line.startswith("~")
        names = line.lstrip("~").split()
        calls = set().union(*(expand_syscall_set(name) for name in names))
        if deny != (not allow_list):
            members -= calls
        else:
            members |= calls
    return (members, set()) if allow_list else (None, members)


TRACE_LINE = re.compile(r"^\d+\s+(?:<\.\.\. )?([a-z_][a-z0-9_]*)(?:\(| resumed>)")


def syscalls_in_trace(trace: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in trace.read_text(encoding="utf-8", errors="replace").splitlines():
        match = TRACE_LINE.match(line)
        if match and " resumed>" not in line:
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts


class Browser:
    """A cookie-keeping HTTP client that fills forms as a browser would (with the CSRF field)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def post_form(self, path: str, form_page: str, fields: dict) -> str:
        token = re.search(r'name="_csrf" value="([^"]+)"', self.get(form_page))
        assert token, f"no CSRF field on {form_page}"
        data = urllib.parse.urlencode({"_csrf": html.unescape(token.group(1)), **fields}).encode()
        with self.opener.open(self.base_url + path, data=data, timeout=60) as response:
            return response.read().decode("utf-8")

    def json(self, method: str, path: str, body=None, token: str | None = None):
        request = urllib.request.Request(
            self.base_url + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")


def test_unit_verifies_with_the_binary_at_its_exec_start_path(binary, tmp_path):
    exec_start = unit_settings("ExecStart")[0].split()[0]
    unit = tmp_path / "partnering.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(exec_start, str(binary)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def installed_as_the_unit_runs_it(binary: Path) -> tuple[Path, dict, list[str]]:
    """The binary, templates and event installed in a folder of their own, and a data folder
    owned by an unprivileged user, as the unit runs the service (User=, no capabilities), so
    that the trace holds the calls of the service as it runs there: SQLite, for one, changes
    the owner of its journal files only when it runs as root."""
    root = Path(tempfile.mkdtemp(prefix="partnering-unit-"))
    root.chmod(0o755)
    (root / "bin").mkdir()
    shutil.copy2(binary, root / "bin" / "partnering")
    shutil.copytree(REPOSITORY / "templates", root / "templates")
    shutil.copytree(REPOSITORY / "config", root / "config")
    data = root / "data"
    data.mkdir()
    environment = {
        **os.environ, "PARTNERING_DATA_DIR": str(data), "PARTNERING_EVENT_FILE": str(root / "config" / "event.yaml"),
        "PARTNERING_TEMPLATES_DIR": str(root / "templates"), "PARTNERING_ORGANISER_PASSWORD": ORGANISER_PASSWORD,
    }
    environment.pop("PARTNERING_DATABASE_URL", None)
    return root, environment, [str(root / "bin" / "partnering")]


def setup_command(command: list[str], environment: dict, *args: str, input: str | None = None) -> str:
    result = subprocess.run([*command, *args], env=environment, cwd="/", capture_output=True, text=True,
                            timeout=600, input=input)
    assert result.returncode == 0, f"{args} exited {result.returncode}: {result.stdout}{result.stderr}"
    return result.stdout


def test_every_system_call_of_the_served_flows_is_allowed_by_the_unit(binary):
    assert shutil.which("strace"), "strace is missing (scripts/install-dependencies.sh installs it)"
    allowed, denied = allowed_syscalls()
    root, environment, command = installed_as_the_unit_runs_it(binary)
    data = Path(environment["PARTNERING_DATA_DIR"])
    setup_command(command, environment, "demo")
    setup_command(command, environment, "keys", "generate")
    setup_command(command, environment, "checkin", "passcode", "--set", input=PASSCODE + "\n")
    ticket = setup_command(command, environment, "ticket", "issue", "7").strip()
    user = pwd.getpwnam(SERVICE_USER)
    for folder, _, files in os.walk(data):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), user.pw_uid, user.pw_gid)

    trace = root / "serve.trace"
    process = subprocess.Popen(
        ["strace", "-f", "-qq", "-s", "0", "-u", SERVICE_USER, "-o", str(trace), *command, "serve", "--port", "0"],
        cwd=data, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        address = wait_for(lambda: re.search(r"on (http://[0-9.]+:\d+)", process.stdout.readline() or ""),
                           120, "serve's address").group(1)
        client = Browser(address)
        outbox = data / "outbox" / "new"
        mails_before = len(list(outbox.glob("*.eml"))) if outbox.exists() else 0

        # Registration through the API, and its confirmation e-mail (the low-priority mail thread).
        status, _ = client.json("POST", "/api/v1/registrations/company", {
            "name": "Unité Systemd", "email": "unit@example.org", "organisation": "Onco SAS", "jobTitle": "CSO",
            "country": "FR", "topics": ["aml"], "profile": "CAR-T.", "sessions": ["morning", "afternoon"],
            "language": "fr", "acceptPrivacy": True, "listInDirectory": True})
        assert status == 201
        wait_for(lambda: len(list(outbox.glob("*.eml"))) > mails_before, 60, "the confirmation e-mail")

        # The organiser runs the scheduler (its own thread), then publishes the agendas by e-mail.
        client.post_form("/organiser/login", "/organiser/login",
                         {"email": "organiser@example.org", "password": ORGANISER_PASSWORD})
        client.post_form("/organiser/schedule/run", "/organiser/schedule", {"timeLimit": "2"})
        wait_for(lambda: json.loads(client.get("/organiser/schedule/progress.json"))["state"] == "finished", 120,
                 "the scheduler run")
        version = wait_for(lambda: re.search(r"/organiser/schedule/versions/(\d+)", client.get("/organiser/schedule")),
                           30, "the stored version").group(1)
        mails_before = len(list(outbox.glob("*.eml")))
        client.post_form(f"/organiser/schedule/versions/{version}/publish", f"/organiser/schedule/publication/{version}",
                         {"confirm": "yes"})
        wait_for(lambda: len(list(outbox.glob("*.eml"))) > mails_before, 120, "the agenda e-mails")

        # The desk signs in and scans a ticket.
        _, session = client.json("POST", "/api/desk/sessions", {"desk": "Unit", "passcode": PASSCODE})
        status, _ = client.json("POST", "/api/desk/scans", {"text": ticket, "nonce": "unit-scan-0001"}, token=session["token"])
        assert status in (200, 201)

        # Drain and exit as systemd's SIGTERM asks.
        child = int(subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()[0])
        subprocess.run(["kill", "-TERM", str(child)], check=True)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
    used = syscalls_in_trace(trace)
    shutil.rmtree(root, ignore_errors=True)

    assert "setpriority" in used or "sched_setattr" in used, "the mail thread's priority change was not exercised"
    refused = sorted(call for call in used if (call not in allowed if allowed is not None else call in denied))
    assert not refused, (f"system calls of `partnering serve` that the unit's SystemCallFilter= denies "
                         f"(the service would die with SIGSYS): {refused}")
