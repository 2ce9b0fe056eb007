"""Browser test: real conversations through Rasa's REST channel feed the dashboard and the queue.

A real stack (Rasa, action server, progress service) runs on the analytics helper's ports
with its own tracker store and event broker files; the console runs as `make run` starts
it, on the same catalog and event databases. Headless Chromium then checks the dashboard
(figures and drawn charts), adds an alias from the curation queue, and the assistant
itself finds the item for the question it could not answer before. Screenshots go to
artifacts/screenshots/.
"""
from __future__ import annotations

import os
import time
import uuid

import pytest

from tooling import services
from tooling.cli.rest_client import RestClient
from tests.console.analytics_fixtures import copy_catalog
from tests.console.browser import (
    find, login, screenshot, start_console_process, stop_process, text_appears, wait_for,
)
from tests.console.conftest import PASSWORD

pytestmark = pytest.mark.integration

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "400"))
RASA_PORT, ACTIONS_PORT, PROGRESS_PORT = 5105 + OFFSET, 5155 + OFFSET, 8200 + OFFSET
CONSOLE_PORT = 8010 + OFFSET
SNAIL = "螺蛳粉摊摊怎么开"
FOOD_PERMIT = "500A4100190000"  # 食品经营许可


class Conversations:
    """What the test said to the assistant and what it answered."""

    def __init__(self, rest: RestClient):
        self.rest = rest
        self.messages = 0
        self.senders: set[str] = set()
        self.payloads: list[dict] = []

    def say(self, sender: str, text: str) -> list[dict]:
        replies = self.rest.send(sender, text)
        self.messages += 1
        self.senders.add(sender)
        found = [r["custom"] for r in replies if isinstance(r.get("custom"), dict)]
        self.payloads += found
        return found


@pytest.fixture(scope="module")
def stack_and_console(pristine_catalog, tracker_db, tmp_path_factory):
    """(stack, console, conversations, events file) sharing one catalog copy and one event broker."""
    if not services.MODEL.exists():
        pytest.fail("no trained model: run `./yuban train` (or `make test`, which trains)")
    from progress_service.seed import seed_url

    folder = tmp_path_factory.mktemp("browser-analytics")
    catalog_url = copy_catalog(pristine_catalog, folder)
    progress_url = f"sqlite:///{folder / 'progress.db'}"
    report = seed_url(progress_url)
    dbs = {"YUBAN_TRACKER_DB": str(folder / "conversations.db"), "YUBAN_EVENTS_DB": str(folder / "events.db")}
    stack = services.Stack(rasa_port=RASA_PORT, actions_port=ACTIONS_PORT, progress_port=PROGRESS_PORT,
                           log_dir=folder / "log",
                           extra_env={"YUBAN_DATABASE_URL": catalog_url, "YUBAN_PROGRESS_DATABASE_URL": progress_url,
                                      **dbs})
    stack.start(log=lambda *_: None)
    console = None
    try:
        talk = Conversations(RestClient(f"http://127.0.0.1:{RASA_PORT}"))
        run = uuid.uuid4().hex[:6]
        for text in ("你好", "渝北区开公司要什么材料", "在哪办", "没用"):
            talk.say(f"citizen-a-{run}", text)
        for text in (SNAIL, "转人工"):
            talk.say(f"citizen-b-{run}", text)
        for text in ("上户口", "有用"):
            talk.say(f"citizen-c-{run}", text)
        number, factor, _stage, _late = report.examples[0]
        for text in ("我的办件到哪一步了", number, factor):
            talk.say(f"citizen-d-{run}", text)
        talk.say(f"citizen-e-{run}", "asdkjh qwe")
        env = {"YUBAN_DATABASE_URL": catalog_url, **dbs, "YUBAN_ANALYTICS_INTERVAL": "1"}
        console = start_console_process(CONSOLE_PORT, env, folder / "console.log")
        from tests.console.browser import RunningConsole

        yield stack, RunningConsole(f"http://127.0.0.1:{CONSOLE_PORT}", catalog_url, console), talk
    finally:
        if console is not None:
            stop_process(console)
        stack.stop()


def test_dashboard_shows_the_conversations(driver, stack_and_console):
    _stack, console, talk = stack_and_console
    login(driver, console, "editor", PASSWORD)
    driver.get(console.url("/dashboard"))
    wait_for(driver, lambda d: d.find_element("css selector", "body").get_attribute("data-charts-ready") == "1")
    assert find(driver, "#kpi-conversations").text == str(len(talk.senders))
    assert f"消息 {talk.messages} 条" in driver.page_source
    progress = [p for p in talk.payloads if p.get("type") == "progress"]
    assert find(driver, "#kpi-progress").text == str(len(progress)) == "1"
    assert f"超期占比 {'100.0%' if progress[0]['overdue'] else '0.0%'}" in driver.page_source
    answered = [p for p in talk.payloads if p.get("type") in ("guide", "bundle")]
    assert answered, "the assistant answered none of the guide questions"
    # Every chart was drawn by the bundled Chart.js (a canvas with a chart, not an empty box).
    drawn = driver.execute_script(
        "return Array.from(document.querySelectorAll('canvas')).map(c => !!Chart.getChart(c) && c.width > 0);")
    assert drawn == [True] * 7
    channels = driver.find_element("css selector", "#table-channels").get_attribute("textContent")
    assert "REST 接口" in channels and str(talk.messages) in channels
    items = driver.find_element("css selector", "#table-items").get_attribute("textContent")
    assert answered[0]["item_name"] in items
    screenshot(driver, "dashboard")
    driver.set_window_size(1366, 1500)  # the whole page, below the 768-pixel fold too
    screenshot(driver, "dashboard-full")
    driver.set_window_size(1366, 768)
    csv_href = driver.find_element("css selector", "#csv-link").get_attribute("href")
    assert "/api/dashboard.csv?from=" in csv_href


def test_alias_from_the_queue_makes_the_assistant_answer(driver, stack_and_console):
    _stack, console, talk = stack_and_console
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    assert _guide_code(talk.rest, SNAIL) != FOOD_PERMIT
    login(driver, console, "editor", PASSWORD)
    driver.get(console.url("/queue"))
    row = find(driver, f'tr[data-key="{SNAIL}"]')
    assert "未找到事项" in row.text and "REST 接口" in row.text
    screenshot(driver, "queue")
    row.find_element(By.CSS_SELECTOR, ".open-alias").click()
    form = row.find_element(By.CSS_SELECTOR, ".alias-form")
    wait_for(driver, lambda d: form.get_attribute("data-suggested") == "1")
    alias = form.find_element(By.NAME, "alias")
    assert alias.get_attribute("value")  # prefilled with the question's core words
    alias.clear()
    alias.send_keys("螺蛳粉摊摊")
    form.find_element(By.NAME, "item_search").send_keys("食品经营许可")
    wait_for(driver, lambda d: form.find_elements(By.CSS_SELECTOR, f'option[value="{FOOD_PERMIT}"]'))
    Select(form.find_element(By.NAME, "item_code")).select_by_value(FOOD_PERMIT)
    screenshot(driver, "queue-alias-form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    text_appears(driver, "#queue-message", "已为「食品经营许可」添加别名“螺蛳粉摊摊”")
    screenshot(driver, "queue-alias-added")

    # The console's own search finds it at once …
    driver.get(console.url("/assist"))
    find(driver, "#q").send_keys(SNAIL)
    text_appears(driver, "#results", "食品经营许可")
    screenshot(driver, "assist-after-alias")
    # The group is closed: the queue no longer lists it.
    driver.get(console.url("/queue"))
    find(driver, "h1")
    assert not driver.find_elements(By.CSS_SELECTOR, f'tr[data-key="{SNAIL}"]')
    # … and the assistant answers the question now, without retraining (its catalog reloads within seconds).
    wait_for(driver, lambda _d: _guide_code(talk.rest, SNAIL) == FOOD_PERMIT, timeout=30)


def _guide_code(rest: RestClient, text: str) -> str | None:
    payloads = rest.custom_payloads(f"citizen-after-{time.monotonic_ns()}", text)
    return next((p.get("item_code") for p in payloads if p.get("type") == "guide"), None)
