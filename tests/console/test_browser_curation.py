"""In headless Chromium: catalog, check report, adding an alias (then search finds it),
uploading a file with an error (nothing changes) and a good one (live), accounts."""
from __future__ import annotations

import csv
import re

from selenium.webdriver.common.by import By

from tests.console.browser import find, login, results_for, screenshot, text_appears, wait_for
from tests.console.conftest import PASSWORD

ALIAS = "娃儿上户口那个"
CODE = "500A1100020000"
HEADER = ["事项名称", "基本编码", "实施编码", "权力类型", "实施主体", "申请材料", "承诺办结时限", "法定办结时限", "是否收费",
          "办理地点", "咨询电话"]
ROW = ["无人机航拍备案", "500A9900010000", "500A9900010000-500112000000-000-11500112000000000X-1-00", "行政许可",
       "重庆市渝北区测试局", "居民身份证；申请表", "5个工作日", "20个工作日", "否", "渝北区政务服务中心", "023-67800000"]


def write_csv(path, *rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def assist_codes(browser, console, question: str) -> list[str]:
    browser.get(console.url("/assist"))
    find(browser, "#q").send_keys(question)
    return [li.get_attribute("data-code") for li in results_for(browser, question)]


def test_editor_browses_checks_and_adds_an_alias_that_search_then_finds(driver, running_console):
    login(driver, running_console, "editor", PASSWORD)
    assert CODE not in assist_codes(driver, running_console, ALIAS)[:1]
    driver.get(running_console.url("/catalog"))
    find(driver, "#catalog-q").send_keys("户口迁移")
    find(driver, "#catalog-filter button").click()
    wait_for(driver, lambda d: "q=" in d.current_url)  # the filtered page, not the one before it
    assert "户口迁移" in find(driver, "#items").text
    screenshot(driver, "catalog")
    driver.find_element(By.LINK_TEXT, CODE).click()
    find(driver, "#alias").send_keys(ALIAS)
    find(driver, "#alias-form button").click()
    text_appears(driver, "#aliases", ALIAS)
    screenshot(driver, "item-alias-added")
    assert assist_codes(driver, running_console, ALIAS)[0] == CODE
    driver.get(running_console.url("/catalog/check"))
    find(driver, "h1")
    screenshot(driver, "check")


def test_upload_with_an_error_changes_nothing_then_a_good_file_goes_live(driver, running_console, tmp_path):
    login(driver, running_console, "editor", PASSWORD)
    bad_row = list(ROW)
    bad_row[8] = "也许"
    driver.get(running_console.url("/catalog/upload"))
    find(driver, "#file").send_keys(str(write_csv(tmp_path / "有错误的清单.csv", bad_row)))
    find(driver, "#preview-button").click()
    errors = find(driver, "#upload-errors")
    assert "目录没有任何改动" in errors.text and "第2行" in errors.text and "是否收费" in errors.text
    screenshot(driver, "upload-error")
    assert "500A9900010000" not in assist_codes(driver, running_console, "无人机航拍备案")

    driver.get(running_console.url("/catalog/upload"))
    find(driver, "#file").send_keys(str(write_csv(tmp_path / "新清单.csv", ROW)))
    find(driver, "#preview-button").click()
    assert find(driver, "#added-count").text == "1"
    screenshot(driver, "upload-preview")
    find(driver, "#publish").click()
    text_appears(driver, "#published", "已发布")
    screenshot(driver, "upload-published")
    assert assist_codes(driver, running_console, "无人机航拍备案")[0] == "500A9900010000"


def test_admin_creates_an_account_whose_one_time_password_must_be_changed(driver, running_console):
    login(driver, running_console, "admin", PASSWORD)
    driver.get(running_console.url("/admin/accounts"))
    find(driver, "#account-form input[name=username]").send_keys("agent007")
    find(driver, "#account-form button").click()
    notice = find(driver, "#one-time").text
    password = re.search(r"一次性密码：(\S+?)（", notice).group(1)
    screenshot(driver, "accounts")
    login(driver, running_console, "agent007", password)
    assert driver.current_url.endswith("/account/password")
    screenshot(driver, "password-change")
    find(driver, "#current").send_keys(password)
    find(driver, "#new-password").send_keys("agent007-own-password")
    find(driver, "#repeat").send_keys("agent007-own-password")
    find(driver, "#password-form button").click()
    wait_for(driver, lambda d: d.current_url.endswith("/assist"))
    screenshot(driver, "assist-empty")
