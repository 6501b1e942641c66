"""After the day, in a real browser against `partnering serve`: the organiser publishes the
demo's schedule of a day that has just ended (the event is moved into a time zone where its
one session ended ten minutes ago) and sends the "how did your meetings go?" e-mail; two
participants open the link of their e-mail and say their first meeting was held; the
organiser's report shows the meetings held and the response rate, in its CSV file and in the
PDF that Chromium's print-to-PDF writes of it (read back with `pdftotext`); axe-core finds
no serious or critical problem on the feedback page or the report."""

import datetime
import json
import re
from pathlib import Path

import pytest

from conftest import REPOSITORY, scheduled_demo, start_server_as_organiser, wait_for

# A missing selenium fails the suite (scripts/install-dependencies.sh installs it).
from selenium.webdriver.common.by import By  # noqa: E402

from test_attendee_journey import Outbox, axe_check, on_server  # noqa: E402
from test_grids_print import page_text, pdf_info  # noqa: E402
from test_signage_badges import organiser_sign_in, print_pdf, publish, ORGANISER  # noqa: E402

SLOT_MINUTES = 25


def event_just_ended(folder: Path) -> Path:
    """The sample event with one session of four slots that ended ten minutes ago, in a
    fixed-offset zone where it is afternoon now (the whole session is on today's date)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    offset = next(hours for hours in range(-12, 15) if 15 <= (now.hour + hours) % 24 < 19)
    zone = "Etc/GMT" + (f"{-offset:+d}" if offset else "")
    local = now.astimezone(datetime.timezone(datetime.timedelta(hours=offset)))
    end = (local - datetime.timedelta(minutes=10)).replace(second=0, microsecond=0)
    end -= datetime.timedelta(minutes=end.minute % 5)
    start = end - datetime.timedelta(minutes=4 * SLOT_MINUTES)
    text = (REPOSITORY / "config" / "event.yaml").read_text(encoding="utf-8")
    text = re.sub(r"timezone: .*", f"timezone: {zone}", text)
    session = (
        "  sessions:\n    - id: afternoon\n      name: { fr: \"Après-midi\", en: \"Afternoon\" }\n"
        f"      date: {start:%Y-%m-%d}\n      start: \"{start:%H:%M}\"\n      end: \"{end:%H:%M}\"\n"
    )
    text = re.sub(r"  sessions:\n(?:    .*\n)+", session, text)
    day = local.date()
    text = re.sub(r"opens: .*", f"opens: {day - datetime.timedelta(days=60)}T09:00:00+00:00", text)
    text = re.sub(r"closes: .*", f"closes: {day - datetime.timedelta(days=1)}T23:59:00+00:00", text)
    path = folder / "event.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def after_the_day(binary, tmp_path_factory):
    folder = tmp_path_factory.mktemp("feedback")
    event = event_just_ended(folder)
    data = folder / "data"
    common = ["--data-dir", str(data), "--event-file", str(event)]
    _, schedule = scheduled_demo(binary, folder, common)
    server = start_server_as_organiser(binary, data, ORGANISER, "--event-file", str(event))
    yield {"server": server, "folder": folder, "data": data, "schedule": schedule}
    server.process.terminate()
    server.process.wait(timeout=20)


def fetch_text(browser, path: str) -> str:
    """`path` fetched by the page's own browser session (its cookies)."""
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then((r) => r.text()).then(done);",
        path,
    )


def test_feedback_by_email_shows_in_the_report_csv_and_pdf(after_the_day, browser, tmp_path):
    base = after_the_day["server"].base_url
    organiser_sign_in(browser, base)
    publish(browser, base)
    browser.get(f"{base}/organiser/feedback?lang=en")
    browser.find_element(By.CSS_SELECTOR, "form[action='/organiser/feedback/invitations'] button").click()
    sent = int(browser.find_element(By.ID, "notice").get_attribute("data-sent"))
    people_with_meetings = {p for m in after_the_day["schedule"]["meetings"] for p in m["participants"]}
    assert sent == len(people_with_meetings)

    # Two participants follow the link of their e-mail and answer about their first meeting.
    outbox = Outbox(after_the_day["data"])
    answered_pairs = set()
    authors = []
    while len(authors) < 2:
        message = outbox.next("feedback-invitation", "@")
        text = message.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"https?://\S+/access/\S+\?next=/me/feedback", text)
        assert link, text
        browser.delete_all_cookies()
        browser.get(on_server(link.group(0), base) + "&lang=en")
        wait_for(lambda: "/me/feedback" in browser.current_url, message="the feedback page")
        me = json.loads(fetch_text(browser, "/me/export"))["participant"]["id"]
        form = browser.find_element(By.CSS_SELECTOR, "section.feedback")
        counterpart = form.get_attribute("id")[2:]
        if frozenset([me, counterpart]) in answered_pairs:
            continue
        form.find_element(By.CSS_SELECTOR, "input[name=attendance][value=held]").click()
        form.find_element(By.CSS_SELECTOR, "input[name=usefulness][value='4']").click()
        form.find_element(By.CSS_SELECTOR, "select[name=followUp] option[value=nda]").click()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        assert browser.find_element(By.CSS_SELECTOR, f"[data-saved='{counterpart}']")
        if not authors:
            axe_check(browser, "/me/feedback")
        answered_pairs.add(frozenset([me, counterpart]))
        authors.append(me)

    # The report: page, CSV and PDF agree with what was answered.
    held = len(answered_pairs)
    rate = f"{2 * 100 // len(people_with_meetings)} %"
    organiser_sign_in(browser, base)
    browser.get(f"{base}/organiser/report?lang=en")
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=held]").text == str(held)
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=scheduled]").text == str(
        len(after_the_day["schedule"]["meetings"]))
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=response-rate]").text == rate
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=average-usefulness]").text == "4.0"
    axe_check(browser, "/organiser/report")
    csv = fetch_text(browser, "/organiser/report/meetings.csv")
    assert f"\r\nheld,{held}\r\n" in csv
    pdf = print_pdf(browser, tmp_path / "report.pdf")
    pages, _, _ = pdf_info(pdf)
    text = "\n".join(page_text(pdf, page) for page in range(1, pages + 1))
    assert re.search(rf"\b{held} held\b", text), text
    assert f"Response rate: {rate}" in text
    assert "Download the tables" not in text, "the download links are not printed"
