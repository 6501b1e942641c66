"""The attendee's day in a real browser (headless Chromium through Selenium) against
`partnering serve`: a company registers in French and signs in by its access link,
requests a meeting; an expert, approved by the organiser, answers in English from the
request e-mail's link (signing in on the way and landing on the request); the organiser
runs the scheduler and publishes; both then find the meeting on /me, on a desktop and
on a 390x844 phone window, and the private calendar subscription serves an .ics that
`icalendar` reads with that meeting.

Screenshots of every step go to Tests/EndToEnd/screenshots/attendee-journey/ (or to
$PARTNERING_SCREENSHOTS_DIR); axe-core checks the attendee pages when
axe-selenium-python is installed (scripts/install-dependencies.sh test installs it)."""

import datetime
import email
import email.parser
import email.policy
import os
import re
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPOSITORY, start_server_as_organiser

# Missing packages fail the suite (scripts/install-dependencies.sh installs them).
import icalendar  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from test_registration_browser import fill  # noqa: E402

ORGANISER = ("organiser@example.org", "journey-organiser-password")
COMPANY = ("Hélène Dupré", "helene.journey@example.org")
EXPERT = ("Zoë Müller", "zoe.journey@example.org")
DESKTOP = (1280, 900)
BROWSER_WINDOW = DESKTOP
PHONE = (390, 844)
SCREENSHOTS = Path(
    os.environ.get("PARTNERING_SCREENSHOTS_DIR", REPOSITORY / "Tests" / "EndToEnd" / "screenshots")
) / "attendee-journey"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("journey-data")


@pytest.fixture(scope="module")
def server(binary, data_dir):
    running = start_server_as_organiser(binary, data_dir, ORGANISER)
    yield running
    running.process.terminate()
    running.process.wait(timeout=20)


class Outbox:
    """The .eml files `serve` writes, read with Python's e-mail parser."""

    def __init__(self, data_dir: Path):
        self.folder = data_dir / "outbox" / "new"
        self.seen: set[Path] = set()
        # Kind and recipient of each file, read once from its header: a publication writes
        # hundreds of messages with attachments, too many to parse whole on every look.
        self.addressing: dict[Path, tuple[str, str]] = {}

    def _addressing(self, path: Path) -> tuple[str, str]:
        if path not in self.addressing:
            with path.open("rb") as file:
                head = file.read(32 * 1024).split(b"\r\n\r\n", 1)[0]
            headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(head)
            self.addressing[path] = (str(headers["X-Partnering-Kind"]), str(headers["To"]))
        return self.addressing[path]

    def next(self, kind: str, to: str, timeout: float = 20):
        """The first message of `kind` to `to` not returned before (waits for the dispatcher)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for path in sorted(self.folder.glob("*.eml")) if self.folder.exists() else []:
                if path in self.seen:
                    continue
                message_kind, recipient = self._addressing(path)
                if message_kind == kind and to in recipient:
                    self.seen.add(path)
                    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            time.sleep(0.2)
        raise AssertionError(f"no {kind} message to {to} within {timeout} s")

    def link(self, kind: str, to: str, pattern: str, base: str) -> str:
        """The link of the message's text, on the running server's address."""
        text = self.next(kind, to).get_body(preferencelist=("plain",)).get_content()
        match = re.search(pattern, text)
        assert match, f"no link {pattern} in the {kind} message:\n{text}"
        return on_server(match.group(0), base)


def on_server(url: str, base: str) -> str:
    """`url` with the test server's origin: links carry the configured public address,
    which names port 0 when `serve --port 0` picks a free port."""
    return re.sub(r"^https?://[^/]+", base, url)


@pytest.fixture(scope="module")
def outbox(data_dir):
    return Outbox(data_dir)


def shot(browser, name: str, size=DESKTOP):
    """Writes a full-page screenshot of the current page at the window `size`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(*size)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(size[0], max(size[1], min(height, 6000)))
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    browser.set_window_size(*size)


def axe_check(browser, page: str):
    """axe-core on the current page: no serious or critical violation."""
    try:
        from axe_selenium_python import Axe
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        return
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    assert results["passes"], f"{page}: axe-core checked nothing"
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{page}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[node.get('target') for node in v.get('nodes', [])]}"
        for v in bad)


def sign_in_by_link(browser, server, outbox, address: str, language: str):
    """Asks /access for a link and opens the one the e-mail carries."""
    browser.delete_all_cookies()
    browser.get(f"{server.base_url}/access?lang={language}")
    browser.find_element(By.ID, "email").send_keys(address)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    assert browser.find_element(By.CSS_SELECTOR, "p.ok[role=status]")
    link = outbox.link("access-link", address, r"https?://\S+/access/\S+", server.base_url)
    browser.get(link)


def register(browser, server, role: str, person, language: str):
    browser.delete_all_cookies()
    browser.get(f"{server.base_url}/register/{role}?lang={language}")
    fill(browser, person[0], person[1], language)
    Select(browser.find_element(By.ID, "language")).select_by_value(language)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    return browser.find_element(By.ID, "outcome").get_attribute("data-status")


def organiser_sign_in(browser, server):
    browser.delete_all_cookies()
    browser.get(f"{server.base_url}/organiser/login?lang=en")
    browser.find_element(By.ID, "email").send_keys(ORGANISER[0])
    browser.find_element(By.ID, "password").send_keys(ORGANISER[1])
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    # The next page load must not race the sign-in's answer (and its cookie).
    WebDriverWait(browser, 15).until(lambda driver: "/organiser/login" not in driver.current_url)


def test_attendee_journey(browser, server, outbox):
    base = server.base_url

    # A company registers in French, then signs in by the access link it is mailed.
    assert register(browser, server, "company", COMPANY, "fr") == "confirmed"
    shot(browser, "01-company-registered-fr")
    sign_in_by_link(browser, server, outbox, COMPANY[1], "fr")
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url == f"{base}/me")
    summary = browser.find_element(By.ID, "requests-summary").text
    assert "0 demande ouverte envoyée" in summary and "jeudi 18 mars 2027" in summary
    assert browser.find_element(By.ID, "ticket-code").text
    shot(browser, "02-company-me-before-publication-fr")
    axe_check(browser, "/me (fr, before publication)")

    # An expert registers in English; the organiser approves the registration.
    assert register(browser, server, "expert", EXPERT, "en") == "pending"
    organiser_sign_in(browser, server)
    browser.get(f"{base}/organiser/registrations?status=pending&lang=en")
    row = browser.find_element(By.XPATH, f"//tr[contains(., '{EXPERT[1]}')]")
    row.find_element(By.CSS_SELECTOR, "form[action$='/approve'] button").click()
    assert browser.find_element(By.ID, "notice")

    # The company finds the expert in the directory and asks for a meeting.
    sign_in_by_link(browser, server, outbox, COMPANY[1], "fr")
    browser.get(f"{base}/me/directory")
    card = browser.find_element(By.XPATH, f"//ul[@id='results']/li[contains(., '{EXPERT[0]}')]")
    card.find_element(By.PARTIAL_LINK_TEXT, "Demander un rendez-vous").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=priority][value='1']").click()
    browser.find_element(By.ID, "message").send_keys("Vos travaux sur les CAR-T dans le myélome nous intéressent.")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: "/me/requests" in driver.current_url)
    browser.get(f"{base}/me/directory")
    assert browser.find_element(By.CSS_SELECTOR, "#results [data-marker=requested]")
    shot(browser, "03-company-directory-requested-fr")
    browser.get(f"{base}/me")
    assert "1 demande ouverte envoyée" in browser.find_element(By.ID, "requests-summary").text
    assert "en attente de réponse" in browser.find_element(By.ID, "recent-requests").text

    # The expert opens the request e-mail's link without a session: a sign-in page in
    # English, then the access link leads back to the request itself.
    browser.delete_all_cookies()
    request_link = outbox.link(
        "request-received", EXPERT[1], r"https?://\S+/me/requests/r-[0-9a-f]+\?lang=en", base)
    browser.get(request_link)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Sign in to your area" in browser.find_element(By.TAG_NAME, "h1").text
    assert "not_signed_in" not in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "04-expert-sign-in-from-request-link-en")
    axe_check(browser, "sign-in page (en)")
    browser.find_element(By.ID, "email").send_keys(EXPERT[1])
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    browser.get(outbox.link("access-link", EXPERT[1], r"https?://\S+/access/\S+", base))
    request_path = re.search(r"/me/requests/r-[0-9a-f]+", request_link).group(0)
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.startswith(base + request_path))
    assert "Request received" in browser.find_element(By.TAG_NAME, "h1").text
    shot(browser, "05-expert-request-en")
    axe_check(browser, "request page (en)")
    browser.find_element(By.ID, "request-person").click()
    WebDriverWait(browser, 10).until(lambda driver: "/me/people/" in driver.current_url)
    assert COMPANY[0] in browser.find_element(By.TAG_NAME, "h1").text
    shot(browser, "06-expert-sees-company-profile-en")
    axe_check(browser, "profile page (en)")
    browser.back()
    WebDriverWait(browser, 10).until(lambda driver: request_path in driver.current_url)
    browser.find_element(By.ID, "accept").click()
    WebDriverWait(browser, 10).until(lambda driver: "notice=accepted" in driver.current_url)
    assert browser.find_element(By.ID, "request").get_attribute("data-status") == "accepted"
    shot(browser, "07-expert-accepted-en")

    # The organiser runs the scheduler and publishes the version it stores.
    organiser_sign_in(browser, server)
    browser.get(f"{base}/organiser/schedule?lang=en")
    run_form = browser.find_element(By.CSS_SELECTOR, "form[action='/organiser/schedule/run']")
    limit = run_form.find_element(By.NAME, "timeLimit")
    limit.clear()
    limit.send_keys("2")
    run_form.find_element(By.TAG_NAME, "button").click()
    deadline = time.time() + 90
    while time.time() < deadline:
        browser.get(f"{base}/organiser/schedule?lang=en")
        if browser.find_elements(By.CSS_SELECTOR, "a[href='/organiser/schedule/versions/1']"):
            break
        time.sleep(1)
    # The organiser sees who is told on the preview, then confirms.
    browser.get(f"{base}/organiser/schedule/publication/1?lang=en")
    browser.find_element(By.ID, "confirm-publication").click()
    outbox.next("schedule-published", COMPANY[1])

    # Both attendees find the meeting on /me, on a desktop and on a phone.
    sign_in_by_link(browser, server, outbox, COMPANY[1], "fr")
    programme = browser.find_element(By.ID, "programme")
    assert "Mon programme" in programme.text and EXPERT[0] in programme.text
    meeting_time = programme.find_element(By.CSS_SELECTOR, "tr.meeting td.time").text
    shot(browser, "08-company-programme-fr")
    axe_check(browser, "/me (fr, programme)")
    shot(browser, "09-company-programme-fr-390x844", PHONE)
    browser.set_window_size(*PHONE)
    assert browser.find_element(By.ID, "programme").is_displayed()
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    browser.set_window_size(*DESKTOP)

    # The private subscription serves the meeting to calendar apps.
    browser.find_element(By.CSS_SELECTOR, "form[action='/me/calendar/subscription'] button").click()
    feed = on_server(browser.find_element(By.ID, "subscription-url").get_attribute("value"), base)
    assert browser.find_element(By.ID, "calendar-webcal").get_attribute("href").startswith("webcal://")
    shot(browser, "10-company-calendar-subscription-fr")
    with urllib.request.urlopen(feed, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    events = [component for component in calendar.walk("VEVENT")]
    assert len(events) == 1
    start = events[0].decoded("DTSTART")
    assert (start.date(), start.strftime("%H:%M")) == (datetime.date(2027, 3, 18), meeting_time[:5]), (
        "the .ics has the day and time /me shows, in the event's zone"
    )
    assert str(start.tzinfo) == "Europe/Paris" or start.utcoffset() == datetime.timedelta(hours=1)
    assert EXPERT[0] in str(events[0].get("SUMMARY")) + str(events[0].get("DESCRIPTION"))
    assert int(events[0].get("SEQUENCE")) == 1

    browser.get(f"{base}/me/ticket")
    shot(browser, "11-company-printable-ticket-fr")
    axe_check(browser, "printable ticket (fr)")

    sign_in_by_link(browser, server, outbox, EXPERT[1], "en")
    programme = browser.find_element(By.ID, "programme")
    assert "My meetings" in programme.text and COMPANY[0] in programme.text
    assert programme.find_element(By.CSS_SELECTOR, "tr.meeting td.time").text == meeting_time
    shot(browser, "12-expert-programme-en")
    axe_check(browser, "/me (en, programme)")
    shot(browser, "13-expert-programme-en-390x844", PHONE)

    # Every other page, on the state the journey leaves, checked by axe-core too.
    every_page_passes_axe(browser, server)


def every_page_passes_axe(browser, server):
    """axe-core on each page of the attendee's area (as the English expert, signed in), of
    the organiser's back office and workspace, and the public pages."""
    base = server.base_url

    def first_link(path: str, pattern: str) -> str:
        browser.get(base + path)
        for link in browser.find_elements(By.CSS_SELECTOR, "a[href]"):
            address = on_server(link.get_attribute("href"), base)
            if re.search(pattern, address):
                return address[len(base):]
        raise AssertionError(f"no link matching {pattern} on {path}")

    attendee = ["/me", "/me/profile", "/me/availability", "/me/directory", "/me/requests", "/me/ticket",
                "/me/feedback", "/me/cancel"]
    attendee += [first_link("/me/requests", r"/me/requests/r-"), first_link("/me", r"/me/people/")]
    for path in attendee:
        browser.get(base + path)
        axe_check(browser, f"{path} (en)")

    organiser_sign_in(browser, server)
    organiser = ["/organiser", "/organiser/registrations", "/organiser/audit", "/organiser/boards",
                 "/organiser/badges", "/organiser/schedule", "/organiser/schedule/versions/1",
                 "/organiser/schedule/publication/1", "/organiser/schedule/compare?from=1&to=1",
                 "/organiser/feedback", "/organiser/report"]
    organiser += [first_link("/organiser/registrations", r"/organiser/registrations/[^/?]+$"),
                  first_link("/organiser/schedule/versions/1", r"/organiser/schedule/versions/1/people/")]
    for path in organiser:
        browser.get(base + path)
        axe_check(browser, f"{path} (organiser)")

    browser.delete_all_cookies()
    for path in ["/", "/access", "/register/company", "/register/expert", "/organiser/login", "/desk/login"]:
        for language in ("fr", "en"):
            browser.get(f"{base}{path}?lang={language}")
            axe_check(browser, f"{path} ({language})")
