"""The organiser's scheduling journey in a real browser (headless Chromium through
Selenium), in French: run the scheduler, move one meeting picked by the people's names,
save the change as one version, preview the publication and confirm it. The French pages
must not show English words."""

import os
import re

import pytest

from conftest import open_by_clicking, run, start_server, wait_for, wait_until_replaced

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

ORGANISER_PASSWORD = "scheduling browser organiser password"
# Words of the English pages (and developer codes) that a French page must not show.
ENGLISH = {"meeting", "meetings", "people", "Published", "Unscheduled", "pinned", "objective", "weight", "bound",
           "Refused", "Run", "not_found", "Changes", "Save", "Publish"}


@pytest.fixture(scope="module")
def data_dir(binary, tmp_path_factory):
    folder = tmp_path_factory.mktemp("scheduling-browser")
    run(binary, "demo", "--companies", "14", "--experts", "16", "--seed", "7", data_dir=folder)
    return folder


@pytest.fixture(scope="module")
def server(binary, data_dir):
    os.environ.pop("PARTNERING_DATABASE_URL", None)
    os.environ["PARTNERING_ORGANISER_PASSWORD"] = ORGANISER_PASSWORD
    try:
        running = start_server(binary, data_dir)
    finally:
        os.environ.pop("PARTNERING_ORGANISER_PASSWORD", None)
    yield running
    running.process.terminate()
    running.process.wait(timeout=20)


def drag(browser, source, target):
    """Drags `source` onto `target` with the browser's own drag events (Selenium's mouse
    actions do not drive HTML drag and drop in Chromium)."""
    page = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script(
        """const [source, target] = arguments;
        const data = new DataTransfer();
        source.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: data}));
        target.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: data}));
        target.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: data}));""",
        source, target)
    wait_until_replaced(browser, page)


def french_page(browser) -> str:
    """The page's visible text, after checking it is French and shows no English word."""
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    text = browser.find_element(By.TAG_NAME, "body").text
    # The language switch names English in English, on purpose.
    words = set(re.findall(r"[A-Za-z_]+", text.replace("English", "")))
    assert not words & ENGLISH, f"English on a French page ({browser.current_url}): {sorted(words & ENGLISH)}"
    return text


def test_the_organiser_runs_adjusts_by_name_saves_one_version_and_publishes(browser, server, data_dir):
    base = server.base_url
    browser.get(f"{base}/organiser/login?lang=fr")
    browser.find_element(By.ID, "email").send_keys("organiser@example.org")
    browser.find_element(By.ID, "password").send_keys(ORGANISER_PASSWORD)
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))

    # Run the scheduler; the page follows the run in words and shows the version when done.
    browser.get(f"{base}/organiser/schedule")
    assert browser.find_element(By.CSS_SELECTOR, "nav.area") and browser.find_element(By.CSS_SELECTOR, "header.site")
    time_limit = browser.find_element(By.ID, "timeLimit")
    time_limit.clear()
    time_limit.send_keys("2")
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#runs a"), 60, "the first version in the list")
    text = french_page(browser)
    assert "Calcul du planificateur" in text and " points sur " in text

    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#runs a"))
    text = french_page(browser)
    assert re.search(r"[\d\s\u202f\u00a0]+ points sur [\d\s\u202f\u00a0]+ possibles", text)
    assert "sans rendez-vous" in text
    versions_before = len(browser.find_elements(By.CSS_SELECTOR, "#meetings tbody tr"))
    assert versions_before > 0

    # Pick a meeting from the list: the form comes filled in with the two people's names. Ask
    # for the last time of the day; a refusal says why and where the meeting would fit, and the
    # organiser takes the first place it offers (or tries the next meeting if it offers none).
    version_page = browser.current_url
    moved = False
    for row in range(min(versions_before, 12)):
        browser.get(version_page)
        line = browser.find_elements(By.CSS_SELECTOR, "#meetings tbody tr")[row]
        pair = line.find_elements(By.TAG_NAME, "td")[2].text
        open_by_clicking(browser, line.find_elements(By.TAG_NAME, "a")[-1])
        first = Select(browser.find_element(By.ID, "a")).first_selected_option.text
        second = Select(browser.find_element(By.ID, "b")).first_selected_option.text
        assert first.split(" — ")[0] in pair and second.split(" — ")[0] in pair
        Select(browser.find_element(By.ID, "action")).select_by_value("move")
        slots = Select(browser.find_element(By.ID, "slot"))
        slots.select_by_index(len(slots.options) - 1)
        open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#adjust button[type=submit]"))
        refusals = browser.find_elements(By.ID, "refusal")
        if not refusals:
            moved = True
            break
        refusal = refusals[0].text
        french_page(browser)
        places = re.search(r"Places possibles : (.+?) \((.+?)\)", refusal)
        if not places:
            assert "Aucune place libre pour ces deux personnes" in refusal, refusal
            continue
        Select(browser.find_element(By.ID, "slot")).select_by_visible_text(places.group(1))
        Select(browser.find_element(By.ID, "table")).select_by_visible_text(places.group(2))
        open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#adjust button[type=submit]"))
        assert not browser.find_elements(By.ID, "refusal")
        moved = True
        break
    assert moved, "no meeting of the first twelve could move"
    assert "1 modification" in browser.find_element(By.ID, "draft-changes").text

    # Then drag another meeting on the board to a free table at its own time.
    draft_page = browser.current_url
    dragged = False
    refusals = []
    for index in range(12):
        browser.get(draft_page)
        meetings = browser.find_elements(By.CSS_SELECTOR, "#board span.meeting:not(.pinned)")
        if index >= len(meetings):
            break
        meeting = meetings[index]
        cell = meeting.find_element(By.XPATH, "..")
        column = cell.get_attribute("data-slot")
        free = browser.execute_script(
            "return Array.from(document.querySelectorAll('#board td')).filter("
            "cell => cell.dataset.slot === arguments[0] && !cell.querySelector('span'))", column)
        if not free:
            continue
        drag(browser, meeting, free[0])
        if not browser.find_elements(By.ID, "refusal"):
            dragged = True
            break
        refusals.append(french_page(browser) and browser.find_element(By.ID, "refusal").text)
    assert dragged, f"no meeting could be dragged to a free table: {refusals}"
    changes = browser.find_element(By.ID, "draft-changes").text
    assert "2 modifications" in changes and changes.count("Déplacer ") == 2
    french_page(browser)

    # Saving the draft makes one version (2), not one per change.
    open_by_clicking(browser, browser.find_element(By.ID, "save-draft"))
    text = french_page(browser)
    assert "Modifications enregistrées : voici la version 2." in text
    browser.get(f"{base}/organiser/schedule")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr")) == 2
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#runs a"))

    # Publishing shows who is told and a sample message first; nothing is sent before confirming.
    outbox = data_dir / "outbox" / "new"
    sent_before = len(list(outbox.glob("*.eml"))) if outbox.exists() else 0
    open_by_clicking(browser, browser.find_element(By.LINK_TEXT, "Publier cette version…"))
    text = french_page(browser)
    recipients = int(re.search(r"(\d+) personnes recevront leur programme", text).group(1).replace(" ", ""))
    assert recipients > 0
    assert browser.find_element(By.ID, "sample").text.strip()
    assert (len(list(outbox.glob("*.eml"))) if outbox.exists() else 0) == sent_before
    open_by_clicking(browser, browser.find_element(By.ID, "confirm-publication"))
    text = french_page(browser)
    assert f"Version 2 publiée : {recipients} e-mails" in text
    assert "Cette version est publiée." in text
    wait_for(lambda: len(list(outbox.glob("*.eml"))) >= sent_before + recipients, 30, "the agenda e-mails")

    # Each name in the meetings list opens that person's page: meetings and requests.
    open_by_clicking(browser, browser.find_element(By.CSS_SELECTOR, "#meetings tbody td a"))
    text = french_page(browser)
    assert "dans cette version" in text and "Demandes retenues pour le planning" in text
