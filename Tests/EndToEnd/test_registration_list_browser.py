"""The organiser's registration list at real size, in headless Chromium against
`partnering serve`: 300 experts waiting for approval; the list shows 50 per page with a
count, sorts by a column header, keeps its filters, order and page across a bulk
rejection with a reason, says what was done in French, and the people rejected get an
e-mail with that reason. Actions stay on screen without sideways scrolling at 1280 px and
on a 390 px phone; axe-core finds no serious or critical violation.

Screenshots go to Tests/EndToEnd/screenshots/registrations/ (or $PARTNERING_SCREENSHOTS_DIR)."""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import REPOSITORY, start_server_as_organiser

# A missing selenium fails the suite (scripts/install-dependencies.sh installs it).
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from test_attendee_journey import (  # noqa: E402
    DESKTOP, ORGANISER, PHONE, Outbox, axe_check, organiser_sign_in)
from test_registration_http import registration, request  # noqa: E402

SCREENSHOTS = Path(
    os.environ.get("PARTNERING_SCREENSHOTS_DIR", REPOSITORY / "Tests" / "EndToEnd" / "screenshots")
) / "registrations"
COUNT = 300


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("registration-list-data")


@pytest.fixture(scope="module")
def server(binary, data_dir):
    running = start_server_as_organiser(binary, data_dir, ORGANISER)
    # 300 experts register (experts wait for an organiser's approval).
    def one(index: int):
        status, body = request(running.base_url, "POST", "/api/v1/registrations/expert", registration(index))
        assert status == 201, body
        return body["participant"]["status"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(one, range(COUNT))) == {"pending"}
    yield running
    running.process.terminate()
    running.process.wait(timeout=20)


def shot(browser, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def no_sideways_scroll(browser):
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def actions_on_screen(browser):
    """Every row's buttons lie inside the window's width."""
    return browser.execute_script(
        "return [...document.querySelectorAll('td.row-actions button')]"
        ".every(b => b.getBoundingClientRect().right <= window.innerWidth)")


def query(browser) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(browser.current_url).query).items()}


def test_registration_list_at_real_size(browser, server, data_dir):
    base = server.base_url
    outbox = Outbox(data_dir)
    browser.set_window_size(*DESKTOP)
    organiser_sign_in(browser, server)
    browser.get(f"{base}/organiser/registrations?status=pending&lang=fr")
    assert browser.find_element(By.ID, "count").text.startswith("300 inscriptions, 1–50")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#registrations tbody tr")) == 50
    assert browser.find_element(By.CSS_SELECTOR, "tr[data-status=pending] td.status").text == "En attente de validation"
    assert no_sideways_scroll(browser) and actions_on_screen(browser)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert height < 12000, f"one page is {height} px high"
    shot(browser, "01-list-fr-1280")
    axe_check(browser, "/organiser/registrations (fr)")

    # Sort by name from the column header, then go to page 2: the filter stays.
    browser.find_element(By.XPATH, "//th/a[starts-with(normalize-space(.), 'Nom')]").click()
    assert query(browser) == {"status": "pending", "sort": "name"}
    assert browser.find_element(By.XPATH, "//th[a[starts-with(normalize-space(.), 'Nom')]]").get_attribute(
        "aria-sort") == "ascending"
    browser.find_element(By.CSS_SELECTOR, "nav.pager a[rel=next]").click()
    assert query(browser) == {"status": "pending", "sort": "name", "page": "2"}
    names = [cell.text.split("\n")[0] for cell in browser.find_elements(By.CSS_SELECTOR, "td[data-label=Nom]")]
    assert len(names) == 50

    # The header's box ticks and clears every row of the page (added by the script).
    browser.find_element(By.ID, "select-all").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#registrations tbody input[name=id]:checked")) == 50
    browser.find_element(By.ID, "select-all").click()
    assert not browser.find_elements(By.CSS_SELECTOR, "#registrations tbody input[name=id]:checked")

    # Tick three people, reject them with one reason.
    rows = browser.find_elements(By.CSS_SELECTOR, "#registrations tbody tr")[:3]
    chosen = [row.get_attribute("data-id") for row in rows]
    emails = [row.find_element(By.CSS_SELECTOR, ".email").text for row in rows]
    for row in rows:
        row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    browser.find_element(By.ID, "reason").send_keys("complet")
    browser.find_element(By.ID, "reject-selected").click()
    notice = browser.find_element(By.ID, "notice").text
    # (Selenium's text turns the no-break space before the colon into a space.)
    assert notice.replace("\u00a0", " ") == "3 inscriptions refusées : complet.", notice
    kept = query(browser)
    assert {key: kept[key] for key in ["status", "sort", "page"]} == {"status": "pending", "sort": "name", "page": "2"}
    assert Select(browser.find_element(By.ID, "status")).first_selected_option.get_attribute("value") == "pending"
    assert browser.find_element(By.ID, "count").text.startswith("297 inscriptions, 51–100")
    assert not set(chosen) & {row.get_attribute("data-id")
                              for row in browser.find_elements(By.CSS_SELECTOR, "#registrations tbody tr")}
    shot(browser, "02-after-bulk-reject-fr")
    for address in emails:
        message = outbox.next("registration-rejected", address)
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert "Motif\u00a0: complet" in text, text

    # One approval from its row: the same list again, with the result in words.
    row = browser.find_elements(By.CSS_SELECTOR, "#registrations tbody tr")[0]
    approved = row.get_attribute("data-id")
    row.find_element(By.CSS_SELECTOR, "form[action$='/approve'] button").click()
    assert browser.find_element(By.ID, "notice").text == "1 inscription approuvée."
    assert query(browser)["status"] == "pending" and query(browser)["page"] == "2"

    # The registration's page: fields, history with the reason, no ticket.
    browser.get(f"{base}/organiser/registrations/{chosen[0]}")
    assert browser.find_element(By.ID, "status").text == "Refusée"
    history = browser.find_element(By.ID, "history").text
    assert "Inscription refusée" in history and "complet" in history
    assert "Aucun billet valable." in browser.find_element(By.ID, "ticket").text
    axe_check(browser, "/organiser/registrations/:id (fr)")
    browser.get(f"{base}/organiser/registrations/{approved}")
    assert browser.find_element(By.ID, "status").text == "Confirmée"
    assert "Billet valable" in browser.find_element(By.ID, "ticket").text
    shot(browser, "03-registration-fr")

    # On a phone: no sideways scrolling, the buttons on screen.
    browser.set_window_size(*PHONE)
    browser.get(f"{base}/organiser/registrations?status=pending&sort=name&lang=fr")
    assert no_sideways_scroll(browser) and actions_on_screen(browser)
    assert browser.find_element(By.CSS_SELECTOR, "td.row-actions button").is_displayed()
    shot(browser, "04-list-fr-390")
    axe_check(browser, "/organiser/registrations (fr, 390 px)")
    browser.set_window_size(*DESKTOP)
