"""Headless Chromium for the course's browser tests (Debian's `chromium` and `chromium-driver`, through Selenium).

A test module takes the fixtures by importing them: `from tests.course.chromium import browser, wait`.
"""
import shutil

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

WAIT_S = 60  # a hang guard for a busy machine, not a verdict
INSTALL = "apt-get install -y chromium chromium-driver"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium; without it the test fails and says how to install it."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver is None:
        pytest.fail(f"The browser tests need Debian's Chromium and its driver: `sudo {INSTALL}`.")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    try:
        session = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))
    except WebDriverException as error:
        pytest.fail(f"Chromium did not start ({error.msg}); reinstall it: `sudo {INSTALL}`.")
    yield session
    session.quit()


def wait(browser, condition):
    return WebDriverWait(browser, WAIT_S).until(condition)
