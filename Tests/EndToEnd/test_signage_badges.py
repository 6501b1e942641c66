"""The day in the hall, in a real browser against `partnering serve`: the organiser creates
a "now and next" board for tables 1–10 and the screen that opens its private address shows
the pairs of the slot under way and of the next one (the event is moved into a time zone
where it is late morning now, so that the real clock is inside the day); when the organiser
cancels someone, the open board drops their table at its next refresh, without a reload;
revoking it stops the address. Badges print to PDF through Chromium's
print-to-PDF: four to an A4 sheet, and every QR code on a sheet, read back by `zbarimg`, is
the ticket of a person printed on that sheet, which `partnering ticket verify` accepts. The
desk's green answer links to the admitted person's badge, one A6 page front and back.

Screenshots go to Tests/EndToEnd/screenshots/signage-badges/ (or $PARTNERING_SCREENSHOTS_DIR)."""

import base64
import datetime
import json
import os
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import REPOSITORY, open_by_clicking, run, scheduled_demo, start_server_as_organiser, wait_for

# A missing selenium fails the suite (scripts/install-dependencies.sh installs it).
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from test_attendee_journey import axe_check  # noqa: E402
from test_grids_print import page_text, pdf_info  # noqa: E402
from test_grids_support import require_tool  # noqa: E402

ORGANISER = ("organiser@example.org", "signage-organiser-password")
PASSCODE = "accueil-signage"
EVENT_ID = "onco-hemato-paris-2027"
SLOT_MINUTES = 25
SCREENSHOTS = Path(
    os.environ.get("PARTNERING_SCREENSHOTS_DIR", REPOSITORY / "Tests" / "EndToEnd" / "screenshots")
) / "signage-badges"


def event_in_the_morning(folder: Path) -> tuple[Path, datetime.datetime]:
    """The sample event, one session of six slots in a fixed-offset zone where it is between
    10:00 and 14:00 now, started 30 to 35 minutes ago: now is in its second slot for the
    next quarter of an hour. Returns the file and the session's start (aware)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    offset = next(hours for hours in range(-12, 15) if 10 <= (now.hour + hours) % 24 < 14)
    zone = "Etc/GMT" + (f"{-offset:+d}" if offset else "")
    local = now.astimezone(datetime.timezone(datetime.timedelta(hours=offset)))
    start = (local - datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
    start -= datetime.timedelta(minutes=start.minute % 5)
    end = start + datetime.timedelta(minutes=6 * SLOT_MINUTES)
    text = (REPOSITORY / "config" / "event.yaml").read_text(encoding="utf-8")
    text = re.sub(r"timezone: .*", f"timezone: {zone}", text)
    session = (
        "  sessions:\n    - id: morning\n      name: { fr: \"Matinée\", en: \"Morning\" }\n"
        f"      date: {start:%Y-%m-%d}\n      start: \"{start:%H:%M}\"\n      end: \"{end:%H:%M}\"\n"
    )
    text = re.sub(r"  sessions:\n(?:    .*\n)+", session, text)
    day = local.date()
    text = re.sub(r"opens: .*", f"opens: {day - datetime.timedelta(days=60)}T09:00:00+00:00", text)
    text = re.sub(r"closes: .*", f"closes: {day - datetime.timedelta(days=1)}T23:59:00+00:00", text)
    path = folder / "event.yaml"
    path.write_text(text, encoding="utf-8")
    return path, start


def start_day(binary, folder: Path, demo: tuple[str, ...] = ()) -> dict:
    """Demo registrations (`demo` adds options to `partnering demo`), a schedule of the
    event's day stored as version 1, and the server running on them."""
    event, start = event_in_the_morning(folder)
    data = folder / "data"
    common = ["--data-dir", str(data), "--event-file", str(event)]
    problem, schedule = scheduled_demo(binary, folder, common, demo)
    run(binary, "checkin", "passcode", "--set", *common, input=PASSCODE + "\n")
    server = start_server_as_organiser(binary, data, ORGANISER, "--event-file", str(event))
    return {"server": server, "folder": folder, "data": data, "common": common, "start": start,
            "problem": problem, "schedule": schedule}


@pytest.fixture(scope="module")
def day(binary, tmp_path_factory):
    running = start_day(binary, tmp_path_factory.mktemp("signage"))
    yield running
    running["server"].process.terminate()
    running["server"].process.wait(timeout=20)


def shot(browser, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def organiser_sign_in(browser, base: str):
    browser.delete_all_cookies()
    browser.get(f"{base}/organiser/login?lang=en")
    browser.find_element(By.ID, "email").send_keys(ORGANISER[0])
    browser.find_element(By.ID, "password").send_keys(ORGANISER[1])
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    wait_for(lambda: browser.current_url.endswith("/organiser"), message="the dashboard")


def publish(browser, base: str):
    browser.get(f"{base}/organiser/schedule/publication/1?lang=en")
    browser.find_element(By.ID, "confirm-publication").click()
    wait_for(lambda: "/organiser/schedule" in browser.current_url, message="publication")


def expected_pairs(day, slot_index: int, tables=range(1, 11)):
    """Table name → the two people ("name (organisation)") of the slot, from the schedule
    file and the problem file, independently of the server."""
    problem, schedule = day["problem"], day["schedule"]
    slot = sorted(problem["slots"], key=lambda s: s["start"])[slot_index]
    table_names = {t["id"]: t["name"] for position, t in enumerate(problem["tables"], 1) if position in tables}
    people = {p["id"]: p for p in problem["participants"]}
    pairs = {}
    for meeting in schedule["meetings"]:
        if meeting["slot"] == slot["id"] and meeting["table"] in table_names:
            pairs[table_names[meeting["table"]]] = sorted(
                f"{people[p]['name']} ({people[p]['organisation']})" for p in meeting["participants"])
    return pairs


def shown_pairs(browser, section: str):
    """Table name → the two people ("name (organisation)") the board shows in `section`, read
    in one script so that a refresh swapping the content cannot split the reading."""
    rows = browser.execute_script(
        """
        return Array.from(document.querySelectorAll("#" + arguments[0] + " tbody tr")).map((row) => [
          row.cells[0].textContent.trim(),
          Array.from(row.cells).slice(1).map((cell) =>
            `${cell.firstChild.textContent.trim()} (${cell.querySelector(".organisation").textContent.trim()})`),
        ]);
        """,
        section,
    )
    return {table: sorted(people) for table, people in rows}


def test_board_shows_now_and_next_and_stops_when_revoked(day, browser):
    base = day["server"].base_url
    organiser_sign_in(browser, base)
    publish(browser, base)

    # A wrong range is refused next to the field; a right one gives the board's address.
    browser.get(f"{base}/organiser/boards?lang=en")
    browser.find_element(By.ID, "name").send_keys("Hall A")
    browser.find_element(By.ID, "firstTable").send_keys("12")
    browser.find_element(By.ID, "lastTable").send_keys("3")
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#new-board button[type=submit]"))
    assert browser.find_element(By.ID, "lastTable").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "lastTable-error").text
    table = browser.find_element(By.ID, "lastTable")
    table.clear()
    table.send_keys("10")
    first = browser.find_element(By.ID, "firstTable")
    first.clear()
    first.send_keys("1")
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#new-board button[type=submit]"))
    assert browser.find_element(By.ID, "notice").get_attribute("data-notice") == "created"
    axe_check(browser, "/organiser/boards")
    url = browser.find_element(By.CSS_SELECTOR, "#boards tr[data-board] a.board-link").get_attribute("href")
    url = re.sub(r"^https?://[^/]+", base, url)
    assert re.search(r"/board/[0-9a-f]{12}/[A-Za-z0-9_-]{22}$", url), url

    # The screen needs no sign-in: a fresh browser session opens the address.
    browser.delete_all_cookies()
    browser.get(url + "?lang=en")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hall A"
    assert shown_pairs(browser, "now") == expected_pairs(day, 1)
    assert shown_pairs(browser, "next") == expected_pairs(day, 2)
    assert len(expected_pairs(day, 1)) >= 5, "the demo fills the first ten tables"
    slots = sorted(day["problem"]["slots"], key=lambda s: s["start"])
    assert slots[1]["start"][11:16] in browser.find_element(By.ID, "now-title").text
    shot(browser, "board")
    axe_check(browser, "hall board")

    # The organiser cancels the company at table 1 (in another tab); the board, left open,
    # drops that table at its next refresh (every 20 s) without reloading the page.
    board_tab = browser.current_window_handle
    browser.execute_script("window.boardMarker = 42")
    people = {p["id"]: p for p in day["problem"]["participants"]}
    slot = sorted(day["problem"]["slots"], key=lambda s: s["start"])[1]["id"]
    meeting = next(m for m in day["schedule"]["meetings"] if m["slot"] == slot and m["table"] == "T01")
    company = next(people[p] for p in meeting["participants"] if people[p]["role"] == "company")
    day["cancelled"] = company["id"]
    browser.switch_to.new_window("tab")
    organiser_sign_in(browser, base)
    browser.get(f"{base}/organiser/registrations/{company['id']}?lang=en")
    open_by_clicking(
        browser, browser.find_element(By.CSS_SELECTOR, f"form[action='/organiser/registrations/{company['id']}/cancel'] button"))
    wait_for(lambda: "done=cancel" in browser.current_url, message="the cancellation")
    browser.close()
    browser.switch_to.window(board_tab)
    expected = {table: pair for table, pair in expected_pairs(day, 1).items() if table != "Table 1"}
    wait_for(lambda: shown_pairs(browser, "now") == expected, seconds=30, message="the board without table 1")
    assert browser.execute_script("return window.boardMarker") == 42, "the page was reloaded"
    assert browser.execute_script("return document.getElementById('board').dataset.refreshedAt")

    # The French board, then revocation: the address answers 404.
    browser.get(url + "?lang=fr")
    assert browser.find_element(By.ID, "now-title").text.startswith("En ce moment")
    organiser_sign_in(browser, base)
    browser.get(f"{base}/organiser/boards?lang=en")
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#boards tr[data-board] form button"))
    assert browser.find_element(By.ID, "notice").get_attribute("data-notice") == "revoked"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 404


def print_pdf(browser, path: Path) -> Path:
    result = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
    path.write_bytes(base64.b64decode(result["data"]))
    return path


def qr_codes(pdf: Path, page: int, folder: Path) -> list[str]:
    """The QR codes `zbarimg` reads on one page of the PDF, rendered at 150 dpi."""
    prefix = folder / f"page-{page}"
    subprocess.run([require_tool("pdftoppm"), "-r", "150", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(prefix)], check=True)
    result = subprocess.run([require_tool("zbarimg"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable",
                             str(prefix) + ".png"], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]


def verified_number(binary, day, token: str) -> int:
    """The participant number of a ticket that `partnering ticket verify` accepts."""
    result = run(binary, "ticket", "verify", token, "--data-dir", str(day["data"]), "--event", EVENT_ID, "--json",
                 check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["verdict"] == "valid" and verdict["claims"]["event"] == EVENT_ID
    return int(verdict["claims"]["participantNumber"])


def test_badges_print_with_one_verifiable_qr_per_person(day, browser, binary, tmp_path):
    base = day["server"].base_url
    organiser_sign_in(browser, base)
    browser.get(f"{base}/organiser/badges?lang=en&role=expert&layout=a4")
    experts = [p for p in day["problem"]["participants"] if p["role"] == "expert"]
    count = int(browser.find_element(By.ID, "badge-count").text)
    assert count == len(experts)
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.front")) == count
    assert not browser.find_elements(By.CSS_SELECTOR, "article.front.role-0"), "experts have their own colour"
    axe_check(browser, "badges")
    shot(browser, "badges")
    pdf = print_pdf(browser, tmp_path / "badges.pdf")
    pages, width, height = pdf_info(pdf)
    assert pages == (count + 3) // 4
    assert (round(width), round(height)) == (595, 842)  # A4 portrait

    seen = 0
    for page in range(1, pages + 1):
        text = page_text(pdf, page)
        printed = {int(n) for n in re.findall(r"No\. (\d{3,})", text)}
        codes = qr_codes(pdf, page, tmp_path)
        assert len(codes) == len(printed), f"page {page}: {len(codes)} QR codes for {len(printed)} badges"
        assert {verified_number(binary, day, code) for code in codes} == printed, f"page {page}"
        seen += len(codes)
    assert seen == count


def test_desk_green_answer_links_to_one_a6_badge(day, browser, binary, tmp_path):
    base = day["server"].base_url
    browser.delete_all_cookies()
    browser.get(f"{base}/desk/login?lang=en")
    browser.find_element(By.ID, "desk").send_keys("Entrance A")
    browser.find_element(By.ID, "passcode").send_keys(PASSCODE)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    wait_for(lambda: browser.current_url.endswith("/desk"), message="the desk page")
    wait_for(lambda: browser.switch_to.active_element.get_attribute("id") == "scan-input", message="focus")
    company = next(p for p in day["problem"]["participants"]
                   if p["role"] == "company" and p["id"] != day.get("cancelled"))
    token = run(binary, "ticket", "issue", company["id"], *day["common"]).stdout.strip()
    browser.switch_to.active_element.send_keys(token + Keys.ENTER)
    wait_for(lambda: "admitted" in browser.find_element(By.ID, "answer").get_attribute("class"), message="green")
    link = browser.find_element(By.ID, "answer-badge")
    assert link.is_displayed()
    href = link.get_attribute("href")
    assert href.endswith(f"/desk/badges/{company['id']}")

    browser.get(href)
    assert browser.find_element(By.CSS_SELECTOR, "article.front .name").text == company["name"]
    pdf = print_pdf(browser, tmp_path / "desk-badge.pdf")
    pages, width, height = pdf_info(pdf)
    assert pages == 2 and (round(width), round(height)) == (298, 420)  # A6, front and back
    codes = qr_codes(pdf, 1, tmp_path)
    assert codes == [token]
    assert "first meetings" in page_text(pdf, 2)
