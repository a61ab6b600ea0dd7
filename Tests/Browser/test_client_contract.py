"""campaign-client.js against docs/CLIENT.md, in headless Chromium, without a server: client_contract.js
runs each rule with a scripted fetch double that also serves the event streams (scripted_server.js)
and reports per check. Needs only chromium and chromium-driver."""

import pathlib

import pytest

from conftest import run_check_page

PAGE = pathlib.Path(__file__).parent / "client_contract.html"


@pytest.fixture(scope="module")
def contract_results():
    return run_check_page(PAGE)


def test_every_contract_check_passes(contract_results):
    assert len(contract_results) >= 22
    failures = [f"{result['name']}: {result['error']}" for result in contract_results if not result["ok"]]
    assert failures == [], "\n\n".join(failures)
