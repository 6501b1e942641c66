"""Shared fixtures of the end-to-end tests: the built `partnering` binary, fresh
data folders, and a running server on a free port."""

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SHARED = REPOSITORY.parent / "shared"
CHECKER = SHARED / "bench" / "check_schedule.py"


@pytest.fixture(scope="session")
def binary() -> Path:
    """The debug build of `partnering` (scripts/test.sh builds it first)."""
    bin_path = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=REPOSITORY, check=True, capture_output=True, text=True
    ).stdout.strip()
    path = Path(bin_path) / "partnering"
    if not path.exists():
        subprocess.run(["swift", "build", "--product", "partnering"], cwd=REPOSITORY, check=True)
    return path


def run(binary: Path, *args: str, data_dir: Path | None = None, check: bool = True, **kwargs):
    """Runs `partnering ARGS` from the repository root."""
    command = [str(binary), *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    result = subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True, timeout=600, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def demo_store(binary, tmp_path_factory) -> Path:
    """A data folder filled once by `partnering demo`."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    run(binary, "demo", data_dir=data_dir)
    return data_dir


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, seconds=15, message="condition"):
    """The first true value of `predicate`, polled every 0.1 s for at most `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


class RunningServer:
    def __init__(self, process: subprocess.Popen, base_url: str):
        self.process = process
        self.base_url = base_url

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")

    def get_json(self, path: str):
        status, headers, body = self.get(path)
        return status, json.loads(body)


def start_server(binary: Path, data_dir: Path, *extra: str, stderr=subprocess.PIPE) -> RunningServer:
    """`serve` on a free port; `stderr` (the log) is a pipe unless given a file."""
    process = subprocess.Popen(
        [str(binary), "serve", "--port", "0", "--data-dir", str(data_dir), *extra],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                raise AssertionError(f"serve exited {process.returncode}: {process.stderr and process.stderr.read()}")
            continue
        match = re.search(r"on (http://[0-9.]+:\d+)", line)
        if match:
            return RunningServer(process, match.group(1))
    process.kill()
    raise AssertionError("serve did not print its address within 60 s")


def start_server_as_organiser(binary: Path, data_dir: Path, organiser: tuple[str, str], *args: str) -> RunningServer:
    """`serve ARGS` on SQLite in `data_dir` with the organiser account `organiser` (e-mail,
    password), the environment left as it was found."""
    keys = ["PARTNERING_DATABASE_URL", "PARTNERING_ORGANISER_EMAIL", "PARTNERING_ORGANISER_PASSWORD"]
    saved = {key: os.environ.get(key) for key in keys}
    os.environ.pop("PARTNERING_DATABASE_URL", None)
    os.environ["PARTNERING_ORGANISER_EMAIL"], os.environ["PARTNERING_ORGANISER_PASSWORD"] = organiser
    try:
        return start_server(binary, data_dir, *args)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def scheduled_demo(binary: Path, folder: Path, common: list[str], demo: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """The demo participants (`demo`: options of `partnering demo`) in the data folder of
    `common`, scheduled by `partnering schedule` and the schedule imported as version 1:
    (problem, schedule) as JSON values. The data folder's own SQLite store, whatever
    PARTNERING_DATABASE_URL says."""
    sqlite = {key: value for key, value in os.environ.items() if key != "PARTNERING_DATABASE_URL"}
    run(binary, "demo", *demo, *common, env=sqlite)
    run(binary, "export", "problem", "-o", str(folder / "problem.json"), *common, env=sqlite)
    run(binary, "schedule", str(folder / "problem.json"), "-o", str(folder / "schedule.json"), "--time-limit", "3")
    run(binary, "import", "schedule", str(folder / "schedule.json"), *common, env=sqlite)
    return (json.loads((folder / "problem.json").read_text(encoding="utf-8")),
            json.loads((folder / "schedule.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def server(binary, demo_store):
    running = start_server(binary, demo_store)
    yield running
    running.process.terminate()
    try:
        running.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        running.process.kill()
        raise AssertionError("serve did not stop within 20 s of SIGTERM")


FUZZ_ORGANISER_PASSWORD = "fuzz-organiser-password-1"
FUZZ_PASSCODE = "fuzz-desk-passcode-1"


@pytest.fixture
def fuzz_server(binary, tmp_path, monkeypatch):
    """A server on the demo data with a ticket key, the desk passcode `FUZZ_PASSCODE` and the
    organiser `organiser@example.org` / `FUZZ_ORGANISER_PASSWORD`, for the fuzzing tests."""
    monkeypatch.setenv("PARTNERING_ORGANISER_PASSWORD", FUZZ_ORGANISER_PASSWORD)
    monkeypatch.delenv("PARTNERING_DATABASE_URL", raising=False)
    data = tmp_path / "data"
    run(binary, "demo", "--data-dir", str(data))
    run(binary, "keys", "generate", "--data-dir", str(data))
    run(binary, "checkin", "passcode", "--set", "--data-dir", str(data), input=FUZZ_PASSCODE + "\n")
    running = start_server(binary, data)
    yield running
    running.process.terminate()
    running.process.wait(timeout=20)


def start_chromium(window: tuple[int, int] = (1280, 900), language: str | None = None, implicit_wait: float = 5):
    """A headless Chromium driven by Selenium, from Debian's `chromium` and `chromium-driver`
    (scripts/install-dependencies.sh installs them; a missing browser fails the test, since a
    browser test that skipped would let the suite pass without looking at a page)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "chromium and chromium-driver are required (scripts/install-dependencies.sh test)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    arguments = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={window[0]},{window[1]}"]
    if language:
        arguments.append(f"--lang={language}")
    for argument in arguments:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(implicit_wait)
    return driver


@pytest.fixture(scope="module")
def browser(request):
    """One headless Chromium per test module, its window `BROWSER_WINDOW` of the module
    (1280×900 unless the module sets it)."""
    driver = start_chromium(getattr(request.module, "BROWSER_WINDOW", (1280, 900)))
    yield driver
    driver.quit()


def open_by_clicking(browser, element):
    """Clicks a link or button and waits until the next page has replaced this one, so that
    what the test reads next is the new page, not the old one about to go."""
    from selenium.webdriver.common.by import By

    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    wait_until_replaced(browser, page)


def wait_until_replaced(browser, page, seconds=20):
    """Waits until the `html` element `page` has left the document because the browser has
    loaded the next page.

    Selenium's `staleness_of` only counts a stale-element error as gone; while Chromium is
    swapping documents it can instead answer "Node with given id does not belong to the
    document", which means the same thing and must not fail the test."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def replaced(_):
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    WebDriverWait(browser, seconds).until(replaced, message="the next page to replace this one")
