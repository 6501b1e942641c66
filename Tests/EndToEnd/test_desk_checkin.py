"""The check-in desk seen from outside: tickets issued from the store, the offline bundle
read by `ticket verify`, and the desk page in headless Chromium, typed into like a USB
scanner (also one set for the wrong keyboard layout), online and then offline."""

import json
import re
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import REPOSITORY, free_port, run, start_chromium, wait_for
from test_attendee_journey import axe_check

PASSCODE = "accueil-2027"
EVENT_ID = "onco-hemato-paris-2027"
# What a scanner set for US QWERTY types on a French AZERTY desk (docs/checkin.md).
QWERTY_TO_AZERTY = {
    "1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è", "8": "_", "9": "ç", "0": "à",
    "A": "Q", "Q": "A", "W": "Z", "Z": "W", "M": "?",
    "$": "4", "%": "5", "*": "8", "-": ")", ".": ":", "/": "!", ":": "M",
}


def event_today(folder: Path) -> Path:
    """The sample event moved to a day whose tickets admit now (valid from 6 h before the
    first session to 24 h after the last one)."""
    paris = datetime.now(ZoneInfo("Europe/Paris"))
    day = (paris - timedelta(days=1)) if paris.hour < 12 else paris
    text = (REPOSITORY / "config" / "event.yaml").read_text(encoding="utf-8")
    text = re.sub(r"date: \d{4}-\d{2}-\d{2}", f"date: {day:%Y-%m-%d}", text)
    path = folder / "event.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def desk_data(binary, tmp_path):
    """A data folder with the demo participants, a ticket key and the desk passcode."""
    data = tmp_path / "data"
    event = event_today(tmp_path)
    common = ["--data-dir", str(data), "--event-file", str(event)]
    run(binary, "demo", *common)
    run(binary, "keys", "generate", "--data-dir", str(data))
    run(binary, "checkin", "passcode", "--set", *common, input=PASSCODE + "\n")
    return data, common


def issue(binary, common, participant: str) -> str:
    return run(binary, "ticket", "issue", participant, *common).stdout.strip()


def serve(binary, common, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(binary), "serve", "--port", str(port), *common],
        cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if "Partnering serves" in line:
            return process
        if not line and process.poll() is not None:
            raise AssertionError(f"serve exited {process.returncode}: {process.stderr.read()}")
    process.kill()
    raise AssertionError("serve did not start within 60 s")


def stop(process: subprocess.Popen):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def api(port: int, method: str, path: str, body: dict | None = None, token: str | None = None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_ticket_issue_reissues_and_the_bundle_verifies_offline(binary, desk_data, tmp_path):
    data, common = desk_data
    first = issue(binary, common, "7")
    second = run(binary, "ticket", "issue", "7", *common)
    bundle = tmp_path / "bundle.json"
    run(binary, "checkin", "bundle", "-o", str(bundle), *common)

    document = json.loads(bundle.read_text(encoding="utf-8"))
    assert document["format"] == "partnering-desk-bundle/1"
    assert len(document["roster"]) == 270
    assert "revoked:" in second.stderr
    verify = ["ticket", "verify", "--keys", str(bundle), "--revoked", str(bundle), "--event", EVENT_ID]
    valid = run(binary, *verify, second.stdout.strip(), check=False)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert valid.stdout.startswith("valid")
    revoked = run(binary, *verify, first, check=False)
    assert revoked.returncode == 1
    assert "revoked" in revoked.stdout


@pytest.fixture()
def browser():
    """A fresh browser per test: each desk test starts with empty offline storage."""
    driver = start_chromium(language="en", implicit_wait=0)
    yield driver
    driver.quit()


def scanner_types(driver, text: str):
    """A keyboard-wedge scanner: keys into whatever has the focus, then Enter."""
    from selenium.webdriver.common.keys import Keys

    driver.switch_to.active_element.send_keys(text + Keys.ENTER)


def answer(driver) -> tuple[str, str]:
    element = driver.find_element("id", "answer")
    return element.get_attribute("class"), element.text


def test_desk_page_scans_green_then_red_online_and_offline(binary, desk_data, browser):
    data, common = desk_data
    tokens = {number: issue(binary, common, str(number)) for number in (5, 6, 8)}
    port = free_port()
    server = serve(binary, common, port)
    try:
        base = f"http://127.0.0.1:{port}"
        browser.get(base + "/desk/login?lang=en")
        browser.find_element("id", "desk").send_keys("Entrance A")
        browser.find_element("id", "passcode").send_keys(PASSCODE)
        browser.find_element("css selector", "form.stack button[type=submit]").click()
        wait_for(lambda: browser.current_url.endswith("/desk"), message="the desk page")
        # The scanner input has the focus without anyone clicking it.
        wait_for(lambda: browser.switch_to.active_element.get_attribute("id") == "scan-input", message="focus")
        wait_for(lambda: "participants" in browser.find_element("id", "offline-state").text, message="bundle")
        axe_check(browser, "/desk")

        scanner_types(browser, tokens[5])
        wait_for(lambda: "admitted" in answer(browser)[0], message="green answer")
        card = answer(browser)[1]
        participant = api_roster_entry(port, number=5)
        assert participant["card"]["name"] in card
        assert participant["card"]["organisation"] in card
        assert "Welcome" in card

        scanned_at = datetime.now(ZoneInfo("Europe/Paris"))
        scanner_types(browser, tokens[5])
        wait_for(lambda: "refused" in answer(browser)[0], message="red answer")
        assert "Already checked in." in answer(browser)[1]
        assert "Entrance A" in answer(browser)[1]
        # The first scan's time in the event's zone (Paris) on the 24-hour clock, as the
        # organisers' pages show it, not in the zone of the machine running the browser nor
        # as English's 12-hour clock would (this once passed only in the morning).
        paris_times = {f"{moment:%H:%M}" for moment in (scanned_at - timedelta(minutes=1), scanned_at)}
        assert any(time in answer(browser)[1] for time in paris_times), (answer(browser)[1], paris_times)
        assert " AM" not in answer(browser)[1] and " PM" not in answer(browser)[1]
        assert browser.switch_to.active_element.get_attribute("id") == "scan-input"

        # A scanner configured for QWERTY on an AZERTY desk.
        scanner_types(browser, "".join(QWERTY_TO_AZERTY.get(c, c) for c in tokens[6]))
        wait_for(lambda: answer(browser)[1].startswith("Welcome") and "admitted" in answer(browser)[0],
                 message="green answer for the AZERTY scan")
        wait_for(lambda: "2 / " in browser.find_element("id", "counters").text, message="counters")

        # Desk B signs in now (tokens outlive a restart), so that after the restart its scan
        # is one quick request ahead of the page's upload, not a passcode check behind it.
        other = api(port, "POST", "/api/desk/sessions", {"desk": "Entrance B", "passcode": PASSCODE})["token"]

        # The server goes away: the page verifies with the bundle and queues.
        stop(server)
        scanner_types(browser, tokens[8])
        wait_for(lambda: "offline" in browser.find_element("id", "connection").get_attribute("class"), message="offline")
        wait_for(lambda: "admitted" in answer(browser)[0], message="green answer offline")
        scanner_types(browser, tokens[5])
        wait_for(lambda: "refused" in answer(browser)[0], message="red answer offline")
        assert "Already checked in." in answer(browser)[1]
        assert "2 scan(s) waiting" in browser.find_element("id", "offline-state").text
        forged = tokens[8][:-3] + ("A" if tokens[8][-3] != "A" else "B") + tokens[8][-2:]
        scanner_types(browser, forged)
        wait_for(lambda: answer(browser)[1].endswith("Bad signature: forged or altered ticket."), message="forgery")

        # Back online, another desk admitted number 8 first: the upload reports the conflict.
        server = serve(binary, common, port)
        at_b = api(port, "POST", "/api/desk/scans", {"text": tokens[8], "nonce": "e2e-desk-b-0001"}, other)
        assert at_b["code"] == "admitted"
        wait_for(lambda: "Conflict" in browser.find_element("id", "conflicts").text, seconds=30, message="conflict")
        assert "Entrance B" in browser.find_element("id", "conflicts").text
        assert "No scan waiting." in browser.find_element("id", "offline-state").text
        counters = api(port, "GET", "/api/desk/counters", token=other)
        assert counters["arrived"] == 3
    finally:
        stop(server)


def api_roster_entry(port: int, number: int) -> dict:
    token = api(port, "POST", "/api/desk/sessions", {"desk": "Test", "passcode": PASSCODE})["token"]
    bundle = api(port, "GET", "/api/desk/bundle", token=token)
    return next(entry for entry in bundle["roster"] if entry["card"]["number"] == number)
