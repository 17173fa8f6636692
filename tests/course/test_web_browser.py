"""The dashboard in a real headless Chromium (Debian's `chromium` and `chromium-driver`, through Selenium).

Chromium is an optional part (tests/course/optional.py): without it these tests are not run
and the run says how to install it; with TRACK_REQUIRE_ALL=1 (CI) they fail.

The dashboard runs as the learner starts it (`python -m track web`) in a temporary copy of
the course, so saving a file, the hints' state and the chapter servers touch only the copy.
Every wait is on the page's state; the time limits only keep a broken page from hanging.
"""
import json
import sys

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.course.optional import PARTS, chromium
from track.copies import copy_course
from track.course import ROOT, STATE, chapter, chapters
from track.live import live_server
from track.stubs import write_stubs

CH01, CH02 = chapter(1), chapter(2)
WAIT_S = 60  # a hang guard for grading on a busy machine, not a verdict
SCREENSHOTS = STATE / "screenshots"
pytestmark = pytest.mark.needs("chromium")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (the `needs` marker has checked that it is installed)."""
    binary, driver = chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    try:
        session = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))
    except WebDriverException as error:
        pytest.fail(f"Chromium did not start ({error.msg}); reinstall it: `{PARTS['chromium'].install_command()}`.")
    yield session
    session.quit()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("web") / "course", keep=(1, 2), pristine=True)


def dashboard(cwd):
    return live_server([sys.executable, "-m", "track", "web", "--port", "0"], cwd=cwd)


@pytest.fixture(scope="module")
def url(course):
    with dashboard(course) as found:
        yield found


def wait(browser, condition):
    return WebDriverWait(browser, WAIT_S).until(condition)


def open_chapter(browser, url, number: int, query: str = "") -> None:
    """Open a chapter page and wait until its console is there; if it never is, say what the page showed."""
    browser.get(f"{url}/chapters/{number}{query}")
    try:
        wait(browser, seen.presence_of_element_located((By.ID, "server-start")))
    except TimeoutException:
        body = browser.find_element(By.TAG_NAME, "body").text[:800]
        pytest.fail(f"/chapters/{number} never showed its console; the page {browser.title!r} read: {body}")


def text_of(browser, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def exercise_status(browser, exercise_id: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f'.exercise[data-id="{exercise_id}"]').get_attribute("data-status")


def test_home_shows_every_chapter_with_its_points(browser, url):
    browser.get(url + "/")
    for chap in (CH01, CH02):
        row = browser.find_element(By.ID, f"chapter-{chap.number}")
        assert chap.title in row.text and f"0/{chap.points}" in row.text


def test_the_language_toggle_is_remembered(browser, url):
    open_chapter(browser, url, 1)
    browser.find_element(By.ID, "lang-zh").click()
    wait(browser, seen.text_to_be_present_in_element((By.CSS_SELECTOR, "#lesson h1"), "第 1 章"))
    open_chapter(browser, url, 2)  # no ?lang=: the cookie remembers
    assert "第 2 章" in browser.find_element(By.CSS_SELECTOR, "#lesson h1").text
    browser.find_element(By.CSS_SELECTOR, '#lesson a[href^="/chapters/1"]').click()  # a link between lessons
    wait(browser, seen.text_to_be_present_in_element((By.CSS_SELECTOR, "#lesson h1"), "第 1 章"))
    browser.find_element(By.ID, "lang-en").click()
    wait(browser, seen.text_to_be_present_in_element((By.CSS_SELECTOR, "#lesson h1"), "Chapter 1"))


def test_saving_a_file_updates_the_status_without_a_reload(browser, url, course):
    open_chapter(browser, url, 1)
    first = CH01.exercises[0].id
    wait(browser, lambda page: exercise_status(page, first) == "fail")
    assert "not written yet" in text_of(browser, "problem")
    browser.execute_script("window.sameDocument = true")
    write_stubs(CH01, course / "chapters" / CH01.package, stubbed=())  # the learner solves it and saves
    wait(browser, lambda page: page.find_element(By.ID, "status").get_attribute("data-state") == "solved")
    assert browser.execute_script("return window.sameDocument") is True, "the page reloaded instead of updating"
    assert all(exercise_status(browser, e.id) == "pass" for e in CH01.exercises)
    assert text_of(browser, "score") == f"{CH01.points}/{CH01.points}"
    browser.find_element(By.ID, "solution-button").click()
    wait(browser, seen.text_to_be_present_in_element((By.ID, "solution"), "match the reference"))


def test_next_hint_shows_the_hints_in_turn_and_keeps_the_state(browser, url, course):
    open_chapter(browser, url, 2)
    hints = CH02.exercises[0].hints
    for number in (1, 2):
        browser.find_element(By.ID, "hint-button").click()
        wait(browser, seen.text_to_be_present_in_element((By.ID, "hint"), f"Hint {number}/{len(hints)}"))
        assert hints[number - 1].text.split("\n")[0][:40] in text_of(browser, "hint").replace("\n", " ")
    shown = json.loads((course / ".track" / "hints.json").read_text(encoding="utf-8"))
    assert len(shown[CH02.package][CH02.exercises[0].id]) == 2


def test_the_console_starts_the_chapter_and_shows_its_answer(browser, url, course):
    write_stubs(CH01, course / "chapters" / CH01.package, stubbed=())
    open_chapter(browser, url, 1)
    browser.find_element(By.ID, "server-start").click()
    wait(browser, seen.text_to_be_present_in_element((By.ID, "server-url"), "http://127.0.0.1:"))
    Select(browser.find_element(By.ID, "method")).select_by_visible_text("POST")
    path = browser.find_element(By.ID, "path")
    path.clear()
    path.send_keys("/method")
    browser.find_element(By.ID, "send").click()
    wait(browser, seen.text_to_be_present_in_element((By.ID, "response-status"), "200 OK"))
    assert text_of(browser, "response-body") == "POST"
    assert "Content-Type" in text_of(browser, "response-headers")
    browser.find_element(By.ID, "server-stop").click()
    wait(browser, seen.visibility_of_element_located((By.ID, "server-start")))


def test_a_screenshot_of_every_chapter_page(browser):
    """The real course's lessons, for a human to look at: `.track/screenshots/chNN_*.png`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with dashboard(ROOT) as url:
        for chap in chapters():
            open_chapter(browser, url, chap.number, "?lang=en")
            # Mermaid replaces each diagram's source with a drawing: wait until all are drawn.
            wait(browser, lambda page: not page.find_elements(By.CSS_SELECTOR, "pre.mermaid:not([data-processed])"))
            assert all(d.find_elements(By.TAG_NAME, "svg") for d in browser.find_elements(By.CSS_SELECTOR, "pre.mermaid"))
            path = SCREENSHOTS / f"{chap.package}.png"
            assert browser.save_screenshot(str(path)), f"no screenshot written to {path}"
