"""Chapter 13's guestbook in a real headless Chromium: the form as a learner's visitors use it.

The reference solution runs as `python -m track run 13 --solution` serves it. The browser fetches
the form (and with it the CSRF token and the session cookie), submits it, follows the 303, and
shows the entry and the flash; a reload repeats the GET, not the POST.
"""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen

from tests.course.chromium import browser, wait  # noqa: F401 (browser is a fixture)
from track.model.course import chapter
from track.walkthrough.live import chapter_server

pytestmark = pytest.mark.needs("chromium")

CH13 = chapter(13)
NAME = "Ada <b>Lovelace</b>"  # must stay text on every page: autoescape, in the entry and in the flash


@pytest.fixture(scope="module")
def url():
    with chapter_server(CH13, solution=True) as found:
        yield found


def texts(browser, selector: str) -> list[str]:
    return [element.text for element in browser.find_elements(By.CSS_SELECTOR, selector)]


def submit(browser, name: str, message: str) -> None:
    form = browser.find_element(By.CSS_SELECTOR, "form[method=post]")
    form.find_element(By.NAME, "name").send_keys(name)
    form.find_element(By.NAME, "message").send_keys(message)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def navigation(browser) -> dict:
    """How the page now shown was reached: its method-agnostic type and the redirects followed."""
    return browser.execute_script(
        "const n = performance.getEntriesByType('navigation')[0]; return {type: n.type, redirects: n.redirectCount};")


def test_sign_the_guestbook(browser, url):
    browser.get(f"{url}/guestbook")
    assert browser.title == "Sign the guestbook · Guestbook"
    token = browser.find_element(By.NAME, "csrf_token").get_attribute("value")
    assert token and browser.get_cookie("session"), "the form page should carry a token and set the session cookie"

    submit(browser, NAME, "Hello from Chromium")
    flash = wait(browser, seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.success")))
    assert browser.current_url == f"{url}/guestbook"
    assert navigation(browser)["redirects"] == 1, "the POST should be answered by a redirect (303) the browser followed"
    assert flash.text == f"Thanks, {NAME}!"
    assert texts(browser, "li.entry") == [f"{NAME}: Hello from Chromium"]
    assert browser.find_elements(By.CSS_SELECTOR, "li.entry b") == [], "the name must stay text, not become a <b>"

    browser.refresh()  # Post/Redirect/Get: a reload repeats the GET, so nothing is posted twice
    wait(browser, lambda _: navigation(browser)["type"] == "reload")
    assert texts(browser, ".flash") == [], "the flash is shown once"
    assert texts(browser, "li.entry") == [f"{NAME}: Hello from Chromium"]


def test_an_invalid_entry_comes_back_with_its_errors(browser, url):
    browser.get(f"{url}/guestbook")
    submit(browser, "Grace", "")
    errors = wait(browser, seen.presence_of_element_located((By.CSS_SELECTOR, "ul.errors li")))
    assert errors.text == "This field is required."
    assert browser.find_element(By.NAME, "name").get_attribute("value") == "Grace", "the name typed is kept"
    assert "Grace" not in texts(browser, "li.entry")
