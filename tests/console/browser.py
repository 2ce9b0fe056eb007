"""Browser-test helpers: headless Chromium through Debian's chromedriver (no downloads),
a console started as a subprocess on a test port, login, and screenshots.

Use from a test module:
    from tests.console.browser import login, screenshot
(the fixtures `driver` and `running_console` are registered in tests/conftest.py)
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tooling import services
from tests.strict import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = services.ROOT / "artifacts" / "screenshots"
PORT_OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "300"))
CONSOLE_PORT = 8011 + PORT_OFFSET  # 8311 with the console helper's offset
WAIT = 15  # seconds an element may take to appear (a wait, not a timing assertion)


@dataclass
class RunningConsole:
    base: str
    catalog_url: str
    process: subprocess.Popen

    def url(self, path: str) -> str:
        return self.base + path


def start_console_process(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    if not services.port_is_free(port):
        pytest.fail(f"port {port} is taken: another test run is using it (set YUBAN_TEST_PORT_OFFSET)")
    process = subprocess.Popen([sys.executable, "-m", "console", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=services.ROOT, env={**services.base_env(), **env}, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        services.wait_http(f"http://127.0.0.1:{port}/health", 90, process)
    except services.ServiceError as error:
        process.kill()
        pytest.fail(f"console did not start: {error}; log: {log.read_text(errors='replace')[-2000:]}")
    return process


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def running_console(pristine_catalog, tracker_db, tmp_path_factory):
    """The console as `make run` starts it, on a private catalog copy and Rasa-written conversations."""
    folder = tmp_path_factory.mktemp("browser-console")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(pristine_catalog) + suffix)
        if source.exists():
            shutil.copy(source, str(folder / "catalog.db") + suffix)
    catalog_url = f"sqlite:///{folder / 'catalog.db'}"
    env = {"YUBAN_DATABASE_URL": catalog_url, "YUBAN_TRACKER_DATABASE_URL": f"sqlite:///{tracker_db}",
           "YUBAN_EVENTS_DATABASE_URL": f"sqlite:///{folder / 'events.db'}"}
    process = start_console_process(CONSOLE_PORT, env, folder / "console.log")
    yield RunningConsole(f"http://127.0.0.1:{CONSOLE_PORT}", catalog_url, process)
    stop_process(process)


@pytest.fixture(scope="module")
def driver():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        unavailable("Chromium and chromedriver are not installed (/usr/bin/chromium, /usr/bin/chromedriver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="yuban-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", f"--user-data-dir={profile}", "--window-size=1366,768", "--lang=zh-CN"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_window_size(1366, 768)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(browser, condition, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def find(browser, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    return wait_for(browser, ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def text_appears(browser, css: str, text: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    return wait_for(browser, ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))


def login(browser, console: RunningConsole, username: str, password: str) -> None:
    """Log in through the form (after logging out whoever was logged in)."""
    browser.delete_all_cookies()
    browser.get(console.url("/login"))
    find(browser, "#username").send_keys(username)
    find(browser, "#password").send_keys(password)
    find(browser, "#login-form button[type=submit]").click()
    find(browser, ".who")


def screenshot(browser, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


def results_for(browser, question: str) -> list:
    """The result items once the list shows the answer to exactly this question."""
    from selenium.webdriver.common.by import By

    find(browser, f'#results[data-query="{question}"]')
    return browser.find_elements(By.CSS_SELECTOR, "#results li")
