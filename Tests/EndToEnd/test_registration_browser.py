"""A real browser (headless Chromium through Selenium) registers a company and an
expert, in French and in English, through the real pages of `partnering serve`."""

import os

import pytest

from conftest import start_server

# A missing selenium fails the suite (scripts/install-dependencies.sh installs it): a
# browser test that skips would let the suite pass without checking the pages.
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

TEXTS = {
    "fr": {"confirmed": "Votre inscription est confirmée", "pending": "Votre inscription est bien reçue",
           "required": "Ce champ est obligatoire.", "heading": "Inscription"},
    "en": {"confirmed": "Your registration is confirmed", "pending": "Your registration has been received",
           "required": "This field is required.", "heading": "Register"},
}


# The registration forms are checked on a phone-sized window.
BROWSER_WINDOW = (390, 844)

@pytest.fixture(scope="module")
def server(binary, tmp_path_factory):
    os.environ.pop("PARTNERING_DATABASE_URL", None)
    running = start_server(binary, tmp_path_factory.mktemp("browser-data"))
    yield running
    running.process.terminate()
    running.process.wait(timeout=20)


def fill(browser, name: str, email: str, language: str):
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "organisation").send_keys("Hémato Bio")
    browser.find_element(By.ID, "jobTitle").send_keys("Directrice R&D" if language == "fr" else "Head of R&D")
    Select(browser.find_element(By.ID, "country")).select_by_value("FR")
    browser.find_element(By.CSS_SELECTOR, "input[name=topics][value=myeloma]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=topics][value=car-t]").click()
    browser.find_element(By.ID, "profile").send_keys("Anticorps bispécifiques & CAR-T dans le myélome.")
    browser.find_element(By.ID, "acceptPrivacy").click()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role,outcome", [("company", "confirmed"), ("expert", "pending")])
def test_registers_through_the_real_pages(browser, server, language, role, outcome):
    browser.get(f"{server.base_url}/register/{role}?lang={language}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    assert TEXTS[language]["heading"] in browser.find_element(By.TAG_NAME, "h1").text

    # An empty submit: messages next to the fields, nothing registered.
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    assert browser.find_element(By.ID, "name-error").text == TEXTS[language]["required"]
    assert browser.find_element(By.ID, "name").get_attribute("aria-invalid") == "true"

    fill(browser, f"Zoë Müller-{role}-{language}", f"{role}.{language}@example.org", language)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()

    result = browser.find_element(By.ID, "outcome")
    assert result.get_attribute("data-status") == outcome
    assert TEXTS[language][outcome] in result.text
    browser.get(f"{server.base_url}/me")
    assert f"Zoë Müller-{role}-{language}" in browser.find_element(By.TAG_NAME, "h1").text
    browser.delete_all_cookies()
