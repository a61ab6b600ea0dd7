"""campaign-client.js against docs/CLIENT.md, in headless Chromium, without a server: client_contract.js
runs each rule with scripted fetch/EventSource doubles (the client's injectable options) and
reports per check. Needs only chromium and chromium-driver."""

import pathlib

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from conftest import make_driver

PAGE = pathlib.Path(__file__).parent / "client_contract.html"


@pytest.fixture(scope="module")
def contract_results():
    # file:// module imports need --allow-file-access-from-files.
    driver = make_driver(extra_arguments=("--allow-file-access-from-files",))
    try:
        driver.get(PAGE.as_uri())
        WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.body.dataset.done === 'true'"))
        return driver.execute_script("return window.__contractResults")
    finally:
        driver.quit()


def test_every_contract_check_passes(contract_results):
    assert len(contract_results) >= 15
    failures = [f"{result['name']}: {result['error']}" for result in contract_results if not result["ok"]]
    assert failures == [], "\n\n".join(failures)
