"""The day itself, in a real browser against `partnering serve`: the demo's schedule is
published for a day whose second slot began a few minutes ago (the hall boards' day: the
event is moved into a time zone where that is now); the desk admits half of the people; the
organiser's live page lists the others as not checked in and follows a further admission without a reload; the
organiser marks three people absent and applies the re-plan from its preview. Then, read
from the store and the outbox: the meetings of the slots begun did not move, the absent
people's later meetings are gone, freed slots hold new meetings where requests allowed, and
exactly the people whose agenda changed got a "schedule changed" e-mail whose calendar
(parsed by `icalendar`) carries the UIDs of their first agenda with a higher SEQUENCE; the
hall board shows the new pairs of the next slot."""

import json
import re
import sqlite3
import urllib.request
from pathlib import Path

import pytest

from conftest import open_by_clicking, wait_for

# A missing selenium or icalendar fails the suite (scripts/install-dependencies.sh installs them).
import icalendar  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from test_attendee_journey import axe_check  # noqa: E402
from test_signage_badges import PASSCODE, organiser_sign_in, publish, shown_pairs, start_day  # noqa: E402

ABSENT_COUNT = 3


@pytest.fixture(scope="module")
def day(binary, tmp_path_factory):
    """The hall boards' day (its second slot began 5 to 10 minutes ago), on a smaller demo
    event: 90 people, so that publishing and admitting half of them stay quick."""
    running = start_day(binary, tmp_path_factory.mktemp("live"), demo=("--companies", "40", "--experts", "50"))
    yield running
    running["server"].process.terminate()
    running["server"].process.wait(timeout=20)


def api(base: str, method: str, path: str, body: dict | None = None, token: str | None = None):
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def stored(data: Path):
    """The published versions' meetings, {version: {(pair, slot, table)}}, and e-mail → id."""
    connection = sqlite3.connect(f"file:{data / 'partnering.sqlite'}?mode=ro", uri=True, timeout=10)
    try:
        published = [row[0] for row in connection.execute(
            "SELECT version FROM schedule_versions WHERE published_at IS NOT NULL ORDER BY version")]
        meetings = {version: {((a, b) if a < b else (b, a), slot, table) for a, b, slot, table in connection.execute(
            "SELECT first_id, second_id, slot, table_id FROM schedule_meetings WHERE version = ?", (version,))}
            for version in published}
        emails = {email.lower(): pid for pid, email in connection.execute("SELECT id, email FROM participants")}
    finally:
        connection.close()
    return meetings, emails


def agenda_of(meetings, person):
    return {(pair, slot, table) for pair, slot, table in meetings if person in pair}


def calendars(data: Path, emails: dict, kind: str) -> dict:
    """Participant id → {UID: SEQUENCE} of the calendars of their `kind` e-mails."""
    import email
    import email.policy
    found: dict[str, dict[str, int]] = {}
    for path in sorted((data / "outbox" / "new").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["X-Partnering-Kind"] != kind:
            continue
        person = emails[message["To"].addresses[0].addr_spec.lower()]
        events = found.setdefault(person, {})
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                for event in icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT"):
                    events[str(event["UID"])] = int(event["SEQUENCE"])
    return found


def test_absences_replan_the_rest_of_the_day(day, browser):
    base = day["server"].base_url
    problem = day["problem"]
    slots = [s["id"] for s in sorted(problem["slots"], key=lambda s: s["start"])]
    organiser_sign_in(browser, base)
    publish(browser, base)
    wait_for(lambda: "notice=published" in browser.current_url, message="the publication")
    before = stored(day["data"])[0][1]
    people = sorted({p for pair, _, _ in before for p in pair})

    # The desk admits every other person with a meeting.
    desk = api(base, "POST", "/api/desk/sessions", {"desk": "Entrance", "passcode": PASSCODE})["token"]
    admitted = set(people[::2])
    for number, person in enumerate(sorted(admitted)):
        api(base, "POST", "/api/desk/admissions", {"participant": person, "nonce": f"live-{number:04d}"}, desk)

    # The live page lists the others whose first meeting is within the hour as not checked in.
    browser.get(f"{base}/organiser/live?lang=en")
    def missing():
        return set(browser.execute_script(
            "return Array.from(document.querySelectorAll('#missing tr[data-participant]')).map((r) => r.dataset.participant)"))
    begun = set(slots[:2])
    soon = {p for pair, slot, _ in before if slot in begun for p in pair} - admitted
    shown = missing()
    assert soon <= shown and not shown & admitted, (soon - shown, shown & admitted)
    assert browser.find_element(By.ID, "arrived").text == str(len(admitted))
    axe_check(browser, "/organiser/live")

    # A further admission shows without a reload.
    browser.execute_script("window.liveMarker = 7")
    latecomer = sorted(soon)[0]
    api(base, "POST", "/api/desk/admissions", {"participant": latecomer, "nonce": "live-late"}, desk)
    wait_for(lambda: latecomer not in missing(), seconds=20, message="the live page without the latecomer")
    assert browser.execute_script("return window.liveMarker") == 7, "the page was reloaded"
    admitted.add(latecomer)

    # Three late people with a meeting in the next slot are marked absent from their row.
    absent = sorted({p for pair, slot, _ in before if slot == slots[2] for p in pair} & soon - admitted)[:ABSENT_COUNT]
    assert len(absent) == ABSENT_COUNT
    for person in absent:
        open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, f"#missing tr[data-participant='{person}'] button"))
        assert browser.find_element(By.ID, "notice").get_attribute("data-notice") == "absent"
    shown_absent = browser.execute_script(
        "return Array.from(document.querySelectorAll('#absent tr[data-participant]')).map((r) => r.dataset.participant)")
    assert sorted(shown_absent) == absent

    # The preview, then the re-plan.
    open_by_clicking(browser, browser.find_element(By.ID, "replan-preview"))
    assert browser.find_elements(By.CSS_SELECTOR, "#replan-cancelled li")
    axe_check(browser, "/organiser/live/replan")
    open_by_clicking(browser, browser.find_element(By.ID, "confirm-replan"))
    assert browser.find_element(By.ID, "notice").get_attribute("data-notice") == "replanned"

    versions, emails = stored(day["data"])
    assert sorted(versions) == [1, 2]
    after = versions[2]
    held = {m for m in before if m[1] in begun}
    assert held <= after, "a meeting of a slot begun moved"
    assert {m for m in after if m[1] in begun} == held
    for person in absent:
        assert agenda_of(after, person) == agenda_of(held, person), f"{person} still has later meetings"
    added = after - before
    assert all(m[1] not in begun and not set(m[0]) & set(absent) for m in added)
    # Freed slots: every absent person's partner in a later slot lost a meeting; when one of
    # them had an unmet request of a present person, the re-plan met some request.
    requested = {tuple(sorted((r["from"], r["to"]))) for r in problem["requests"]}
    met = {pair for pair, _, _ in before}
    freed = {p for pair, slot, _ in before if slot not in begun and set(pair) & set(absent) for p in pair} - set(absent)
    if any(set(pair) & freed and not set(pair) & set(absent) for pair in requested - met):
        assert added, "freed slots left empty although present people had unmet requests"

    # Exactly the people whose agenda changed got a new e-mail: same UIDs, higher SEQUENCE.
    affected = {p for p in set(people) | {p for pair, _, _ in after for p in pair}
                if agenda_of(before, p) != agenda_of(after, p)}
    assert set(absent) <= affected
    wait_for(lambda: set(calendars(day["data"], emails, "schedule-changed")) == affected, seconds=30,
             message="the agendas of the affected people")
    first = calendars(day["data"], emails, "schedule-published")
    changed = calendars(day["data"], emails, "schedule-changed")
    for person in affected:
        common = set(first.get(person, {})) & set(changed[person])
        assert common or not first.get(person), f"no UID of the first agenda in {person}'s new one"
        assert all(changed[person][uid] > first[person][uid] for uid in common), person

    # The hall board shows the new pairs of the next slot.
    browser.get(f"{base}/organiser/boards?lang=en")
    browser.find_element(By.ID, "name").send_keys("Hall")
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#new-board button[type=submit]"))
    url = browser.find_element(By.CSS_SELECTOR, "#boards tr[data-board] a.board-link").get_attribute("href")
    browser.get(re.sub(r"^https?://[^/]+", base, url) + "?lang=en")
    names = {p["id"]: f"{p['name']} ({p['organisation']})" for p in problem["participants"]}
    tables = {t["id"]: t["name"] for t in problem["tables"]}
    expected = {tables[table]: sorted(names[p] for p in pair) for pair, slot, table in after if slot == slots[2]}
    assert expected != {tables[table]: sorted(names[p] for p in pair) for pair, slot, table in before if slot == slots[2]}
    assert shown_pairs(browser, "next") == expected
