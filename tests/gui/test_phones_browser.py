"""A real browser as the phone: Debian's chromium, headless at 360 px wide, driven by Selenium.

It opens the join address of the QR code, votes on a ladder item, follows the presenter to a
"who do people go to" item, finds a colleague by name and picks them; the presenter counts
both votes. Skipped, with the way to install them, where chromium or its driver is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from phones_gui import loopback, presenter, workshop_row  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt

from workbench.core.workshop.agenda import PREDICT_PEOPLE

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
MISSING = ("The phone-voting browser test needs Debian's chromium and chromium-driver: "
           "`make check-system` installs them when run as root on Debian; otherwise run "
           "`sudo apt-get install chromium chromium-driver`.")

pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and Path(DRIVER).exists()),
                                reason=MISSING)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=360,780", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_window_size(360, 780)
    yield driver
    driver.quit()


def _wait(driver, qtbot, condition, timeout=10.0):
    """Wait for ``condition(driver)`` while Qt keeps handling the server's events."""
    found = []
    qtbot.waitUntil(lambda: bool(found.append(condition(driver)) or found[-1]),
                    timeout=int(timeout * 1000))
    return found[-1]


def _text(driver, element_id: str) -> str:
    return driver.find_element("id", element_id).text


def test_vote_from_a_phone_browser(presenter, browser, qtbot, tmp_path):  # noqa: F811
    project = presenter.project
    qtbot.mouseClick(presenter.phones_button, Qt.LeftButton)
    server = presenter.phones.server
    ladder = presenter.item

    browser.get(server.join_url)  # what the QR code holds: the code is filled in
    _wait(browser, qtbot, lambda d: _text(d, "item-title") == ladder.title)
    assert "code=" not in browser.current_url  # the code leaves the address bar
    choices = browser.find_elements("css selector", "#choices button")
    assert [c.find_element("css selector", "strong").text.split()[0] for c in choices] == [
        "0", "1", "2", "3", "4"]
    # readable on a 360 px screen: no sideways scrolling, every target 48 px or taller
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    heights = browser.execute_script(
        "return [...document.querySelectorAll('button, input, summary')]"
        ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 48
    choices[3].click()
    browser.find_element("id", "send").click()
    _wait(browser, qtbot, lambda d: "saved" in _text(d, "saved"))
    browser.save_screenshot(str(tmp_path / "ladder.png"))  # to look at when this fails
    assert [b.value for b in project.workshop.votes(ladder.id)] == [3]
    qtbot.waitUntil(lambda: "Votes so far: 1" in presenter.count_label.text(), timeout=3000)

    # the presenter moves to the prediction: the phone follows without a reload
    predict = next(i for i in presenter.items if i.kind == PREDICT_PEOPLE)
    presenter._go(predict.position)
    _wait(browser, qtbot, lambda d: _text(d, "item-title") == predict.title)
    person = sorted(project.people.list(), key=lambda p: p.id)[0]
    search = browser.find_element("id", "search")
    search.send_keys(person.name[:5])
    wanted = f"{person.name}  ({person.department})"
    found = _wait(browser, qtbot, lambda d: [
        b for b in d.find_elements("css selector", "#candidates button")
        if " ".join(b.text.split()) == " ".join(wanted.split())])
    found[0].click()
    browser.find_element("id", "send").click()
    _wait(browser, qtbot, lambda d: "saved" in _text(d, "saved"))
    browser.save_screenshot(str(tmp_path / "predict.png"))
    assert [b.value for b in project.workshop.predictions(predict.id)] == [[person.id]]
    qtbot.waitUntil(lambda: "Votes so far: 1" in presenter.count_label.text(), timeout=3000)

    # after the reveal the phone's buttons are disabled and say why
    qtbot.keyClick(presenter, Qt.Key_R)
    _wait(browser, qtbot, lambda d: d.find_element("id", "closed").is_displayed())
    assert not browser.find_element("id", "send").is_enabled()
