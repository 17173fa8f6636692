"""Headless Chromium for the course's browser tests (Debian's `chromium` and `chromium-driver`, through Selenium).

A test module takes the fixtures by importing them (`from tests.course.chromium import browser,
wait`) and marks itself `pytestmark = pytest.mark.needs("chromium")`: on a machine without the
browser its tests are listed as not run (tests/course/optional.py), not failed.
"""
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

from tests.course.optional import PARTS, chromium

WAIT_S = 60  # a hang guard for a busy machine, not a verdict


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


def wait(browser, condition):
    return WebDriverWait(browser, WAIT_S).until(condition)
