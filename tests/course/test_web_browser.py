"""The dashboard in a real headless Chromium (Debian's `chromium` and `chromium-driver`, through Selenium).

Chromium is an optional part (tests/course/optional.py): without it these tests are not run
and the run says how to install it; with TRACK_REQUIRE_ALL=1 (CI) they fail.

The dashboard runs as the learner starts it (`python -m track web`) in a temporary copy of
the course, so saving a file, the hints' state and the chapter servers touch only the copy.
Every wait is on the page's state; the time limits only keep a broken page from hanging.
"""
import json
import re
import sys

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.course.chromium import browser, wait  # noqa: F401 (browser is a fixture)
from track.maintainers.copies import copy_course
from track.model.course import ROOT, STATE, chapter, chapters
from track.walkthrough.live import live_server
from track.model.stubs import write_stubs

CH01, CH02, CH03, CH09 = chapter(1), chapter(2), chapter(3), chapter(9)
SCREENSHOTS = STATE / "screenshots"
pytestmark = pytest.mark.needs("chromium")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("web") / "course", keep=(1, 2), pristine=True)


def dashboard(cwd):
    return live_server([sys.executable, "-m", "track", "web", "--port", "0"], cwd=cwd)


@pytest.fixture(scope="module")
def url(course):
    with dashboard(course) as found:
        yield found


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
        # A pristine copy has no verdict yet: the first paint says so, without grading first.
        assert chap.title in row.text and f"not graded yet –/{chap.points}" in row.text


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


PRESENTING_WAIT_S = 180  # grading the learner's chapter, then a fresh server and the whole walkthrough


@pytest.fixture(scope="module")
def presenting(tmp_path_factory):
    """A course with chapter 3 solved by the learner and chapter 9 still the stub, its dashboard running."""
    root = copy_course(tmp_path_factory.mktemp("present") / "course", keep=(3, 9), pristine=True)
    write_stubs(CH03, root / "chapters" / CH03.package, stubbed=())
    with dashboard(root) as found:
        yield found


def slide_shown(browser):
    """The one slide on screen (its step's heading and why included), as the room reads it."""
    slides = [slide for slide in browser.find_elements(By.CSS_SELECTOR, "#stage .slide") if slide.is_displayed()]
    assert len(slides) == 1, f"{len(slides)} slides on screen at once"
    step = slides[0].find_element(By.XPATH, "./ancestor::section[@class='step']")
    return step.find_element(By.TAG_NAME, "h2").text, step.find_element(By.CLASS_NAME, "why").text, slides[0].text


@pytest.mark.parametrize(("chap", "lang", "whose", "request_label"), [
    (CH03, "en", "passes: this walkthrough runs your copy", "REQUEST, AS SENT"),
    (CH09, "zh", "还没有完成（0/6）：这次演练运行的是参考答案", "请求（按发送的原样）"),
], ids=["ch03-learner-en", "ch09-reference-zh"])
def test_the_presenter_view_steps_through_a_chapter_to_the_end(browser, presenting, chap, lang, whose, request_label):
    """→ and space step through every exchange: its why, the request, the answer and the server's log line."""
    browser.get(f"{presenting}/chapters/{chap.number}/demo?lang={lang}")
    presenter = browser.find_element(By.ID, "presenter")
    WebDriverWait(browser, PRESENTING_WAIT_S).until(lambda page: presenter.get_attribute("data-state") != "loading")
    assert presenter.get_attribute("data-state") == "ready", text_of(browser, "which")
    assert whose in text_of(browser, "which")
    total = int(presenter.get_attribute("data-slides"))
    body = browser.find_element(By.TAG_NAME, "body")
    steps_seen = []
    for number in range(1, total + 1):
        assert presenter.get_attribute("data-at") == str(number) and text_of(browser, "counter") == f"{number} / {total}"
        step, why, slide = slide_shown(browser)
        assert why, f"step {step} says no why"
        if "→ " in slide:  # an exchange: as sent, as received, and the server's line for it
            assert request_label in slide and "← " in slide and "HTTP/1.1\" " in slide, slide
        steps_seen.append(step)
        body.send_keys(Keys.ARROW_RIGHT if number % 2 else Keys.SPACE)
    assert presenter.get_attribute("data-end") == "true" and presenter.get_attribute("data-at") == str(total)
    assert list(dict.fromkeys(steps_seen)) == [name for name in re.findall(
        r'data-step="([^"]+)"', browser.find_element(By.ID, "stage").get_attribute("innerHTML"))]
    browser.find_element(By.ID, "large").click()
    assert "large" in body.get_attribute("class")
    assert browser.find_element(By.ID, "large").get_attribute("aria-pressed") == "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{chap.package}-demo.png"
    assert browser.save_screenshot(str(path)), f"no screenshot written to {path}"
    body.send_keys(Keys.ARROW_LEFT)
    assert presenter.get_attribute("data-at") == str(total - 1)
