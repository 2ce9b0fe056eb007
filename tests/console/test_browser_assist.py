"""In headless Chromium: logging in as each role, searching and copying an answer, handoffs."""
from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec

from tests.console.browser import find, login, results_for, screenshot, text_appears, wait_for
from tests.console.conftest import PASSWORD

NAV = {
    "agent": {"坐席助手", "转人工会话"},
    "editor": {"坐席助手", "转人工会话", "事项目录", "目录检查", "待处理问题", "导入发布", "效能看板"},
    "admin": {"坐席助手", "转人工会话", "事项目录", "目录检查", "待处理问题", "导入发布", "效能看板", "账号管理"},
}


def nav_labels(browser) -> set[str]:
    return {a.text for a in browser.find_elements(By.CSS_SELECTOR, ".nav a")}


def test_each_role_logs_in_and_sees_its_navigation(driver, running_console):
    driver.get(running_console.url("/login"))
    find(driver, "#username")
    screenshot(driver, "login")
    for role in ("agent", "editor", "admin"):
        login(driver, running_console, role, PASSWORD)
        assert nav_labels(driver) == NAV[role]
        assert role in find(driver, ".who").text
    # An agent typing a curation address gets the refusal page, not the page.
    login(driver, running_console, "agent", PASSWORD)
    driver.get(running_console.url("/catalog"))
    assert "无权访问" in find(driver, "h1").text
    screenshot(driver, "forbidden")


def test_agent_searches_with_the_keyboard_and_copies_the_answer(driver, running_console):
    login(driver, running_console, "agent", PASSWORD)
    driver.get(running_console.url("/assist"))
    box = find(driver, "#q")
    assert driver.switch_to.active_element == box  # focused on load
    driver.find_element(By.CSS_SELECTOR, "#district option[value='渝北区']").click()
    box.click()
    box.send_keys("身份证")
    first, second = results_for(driver, "身份证")[:2]
    assert "selected" in first.get_attribute("class")
    box.send_keys(Keys.ARROW_DOWN)
    assert "selected" in second.get_attribute("class")
    assert find(driver, "#guide-title").text in second.text
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.ENTER)  # opens the guide: focus moves to the copy button
    wait_for(driver, lambda d: d.switch_to.active_element.get_attribute("id") == "copy")
    answer = find(driver, "#answer").text
    title = find(driver, "#guide-title").text
    assert answer.startswith(f"【{title}】（渝北区）") and "事项编码" in answer
    screenshot(driver, "assist-guide")
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": running_console.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.switch_to.active_element.send_keys(Keys.ENTER)  # the copy button
    text_appears(driver, "#copy-status", "已复制")
    copied = driver.execute_async_script("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('ERR ' + e))")
    assert copied.replace("\r\n", "\n").strip() == answer.strip()
    # Esc goes back to the search box; Esc there clears it.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert driver.switch_to.active_element == box
    box.send_keys(Keys.ESCAPE)
    wait_for(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "#results li"))
    assert box.get_attribute("value") == ""


def test_results_follow_typing_and_the_district_in_the_words(driver, running_console):
    login(driver, running_console, "agent", PASSWORD)
    driver.get(running_console.url("/assist"))
    box = find(driver, "#q")
    box.send_keys("江北区食品经营许可")
    text_appears(driver, "#detected", "江北区")
    text_appears(driver, "#guide-meta", "江北区")
    screenshot(driver, "assist-results")


def test_agent_opens_a_handed_off_conversation_and_takes_it(driver, running_console):
    login(driver, running_console, "agent", PASSWORD)
    driver.get(running_console.url("/handoffs"))
    row = find(driver, "tr[data-sender='wx-openid-handoff-1']")
    assert "微信公众号" in row.text and "待接手" in row.text
    screenshot(driver, "handoffs")
    row.find_element(By.LINK_TEXT, "查看对话").click()
    transcript = find(driver, "#transcript")
    assert "我要找人工" in transcript.text and "正在为您转接人工服务" in transcript.text
    find(driver, "#take").click()
    text_appears(driver, "#taken", "agent 已于")
    screenshot(driver, "handoff-transcript")
    driver.get(running_console.url("/handoffs"))
    wait_for(driver, ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, "tr[data-sender='wx-openid-handoff-1']"), "agent 已接手"))


def test_a_life_event_shows_the_bundle_first_and_leads_to_its_items(driver, running_console):
    login(driver, running_console, "agent", PASSWORD)
    driver.get(running_console.url("/assist"))
    find(driver, "#q").send_keys("开饭店要办哪些手续")
    assert "一件事一次办" in results_for(driver, "开饭店要办哪些手续")[0].text
    assert "一件事一次办" in find(driver, "#answer").text
    screenshot(driver, "assist-bundle")
    first_item = find(driver, "#guide-body ol li a")
    name = first_item.text.split("（")[0]
    first_item.click()
    text_appears(driver, "#guide-title", name)
