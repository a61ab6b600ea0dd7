"""Fixtures for the board's browser tests: configuration from the environment, the REST and SQL
helpers the tests use to set up and to change data behind the browsers' backs, and Chromium.

Environment:
  BOARD_URL              the running server, e.g. http://127.0.0.1:3001
  BOARD_TOKEN            a JWT with role admin and campaigns ["*"] (the tests create their campaign)
  BOARD_DATABASE_URL     the server's PostgreSQL, for psql
  BOARD_RESTART_COMMAND  a shell command that stops the server and starts it again
                         (returns once it is listening again)
  BOARD_ARTIFACTS_DIR    where screenshots and console logs go (default: artifacts/browser at the
                         repository's top, git-ignored)
  CHROMIUM_BINARY, CHROMEDRIVER  override /usr/bin/chromium and /usr/bin/chromedriver
"""

import json
import os
import pathlib
import re
import signal
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from board_page import BoardPage

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
REQUIRED = ("BOARD_URL", "BOARD_TOKEN", "BOARD_DATABASE_URL", "BOARD_RESTART_COMMAND")


@pytest.fixture(scope="session")
def config():
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        pytest.skip(f"browser tests need {', '.join(missing)} (see Tests/Browser/README.md)")
    artifacts = pathlib.Path(os.environ.get("BOARD_ARTIFACTS_DIR", REPOSITORY / "artifacts" / "browser"))
    artifacts.mkdir(parents=True, exist_ok=True)
    return {
        "url": os.environ["BOARD_URL"].rstrip("/"),
        "token": os.environ["BOARD_TOKEN"],
        "database_url": os.environ["BOARD_DATABASE_URL"],
        "restart_command": os.environ["BOARD_RESTART_COMMAND"],
        "artifacts": artifacts,
    }


class Api:
    """Just enough of the REST API to set up a test and to check the server's view."""

    def __init__(self, base_url, token):
        self.base_url = base_url
        self.token = token

    def request(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}/api{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, (json.loads(raw) if raw else None)

    def create_campaign(self, name):
        status, campaign = self.request("POST", "/campaigns", {"name": name})
        assert status == 201, (status, campaign)
        return campaign

    def snapshot(self, campaign_id):
        status, snapshot = self.request("GET", f"/campaigns/{campaign_id}/execution")
        assert status == 200, (status, snapshot)
        return snapshot

    def create_task(self, campaign_id, phase_id, title, **fields):
        body = {"phaseId": phase_id, "title": title, **fields}
        status, task = self.request("POST", f"/campaigns/{campaign_id}/tasks", body)
        assert status == 201, (status, task)
        return task

    def update_task(self, campaign_id, task_id, **changes):
        status, task = self.request("PATCH", f"/campaigns/{campaign_id}/tasks/{task_id}", changes)
        assert status == 200, (status, task)
        return task

    def move_task(self, campaign_id, task_id, phase_id, position):
        body = {"phaseId": phase_id, "position": position}
        status, task = self.request("POST", f"/campaigns/{campaign_id}/tasks/{task_id}/move", body)
        assert status == 200, (status, task)
        return task


class Database:
    """psql against the server's database: changes made by "another program"."""

    def __init__(self, url):
        self.url = url

    def run(self, sql, **variables):
        # Values travel as psql variables (:'name'), so quoting is psql's job, not string pasting.
        arguments = ["psql", self.url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        for name, value in variables.items():
            arguments += ["-v", f"{name}={value}"]
        result = subprocess.run(arguments, input=sql, text=True, capture_output=True, timeout=30)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture(scope="session")
def api(config):
    return Api(config["url"], config["token"])


@pytest.fixture(scope="session")
def database(config):
    return Database(config["database_url"])


@pytest.fixture
def campaign(api):
    """A fresh campaign per test, so tests cannot see each other's tasks."""
    created = api.create_campaign(f"Browser test {uuid.uuid4().hex[:8]}")
    snapshot = api.snapshot(created["id"])
    phases = {phase["name"]: phase["id"] for phase in snapshot["phases"]}
    return {"id": created["id"], "name": created["name"], "phases": phases}


def make_driver(width=1400, height=900, mobile=False, extra_arguments=()):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
    arguments = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}")
    for argument in arguments + tuple(extra_arguments):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    if mobile:
        # Headless windows have a minimum width; device emulation gives a true phone viewport.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
        )
    return driver


def run_check_page(page, timeout=90):
    """Opens a self-checking page (client_contract.html, react_hook.html) from file:// and returns its
    window.__contractResults: [{name, ok, error?}]."""
    from selenium.webdriver.support.ui import WebDriverWait

    # file:// module imports need --allow-file-access-from-files.
    driver = make_driver(extra_arguments=("--allow-file-access-from-files",))
    try:
        driver.get(pathlib.Path(page).resolve().as_uri())
        WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.body.dataset.done === 'true'"))
        return driver.execute_script("return window.__contractResults")
    finally:
        driver.quit()


def redacted(text):
    """Chromium logs a failed stream request, and a page's errors, with its URL: keep the token
    (`?access_token=` or the board's `#token=`) out of the artifacts and the failure messages."""
    return re.sub(r"\b(access_token|token)=[^&\s\"]+", r"\1=…", text)


@pytest.fixture
def browsers(config, request):
    """`browsers("A")` opens a board page in its own Chromium (its own sessionStorage); all are
    closed at the end. Each page's console (the client logs every step with `console.debug`) is
    saved as `console-<test>-<window>.log`, plus a screenshot if the test failed. An uncaught
    JavaScript error or a Content-Security-Policy violation in any page fails the test."""
    pages = []

    def open_browser(name, base_url=None, **size):
        # base_url: the board through something else than the server itself (test_reconnect's proxy).
        page = BoardPage(make_driver(**size), base_url or config["url"], config["artifacts"], f"{request.node.name}-{name}")
        pages.append(page)
        return page

    yield open_browser
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    script_errors = []
    for page in pages:
        try:
            if failed:
                page.screenshot("failure")
            entries = page.driver.get_log("browser")
            (config["artifacts"] / f"console-{page.name}.log").write_text(
                "".join(f"{entry['timestamp']} {entry['level']} {entry['source']}: {redacted(entry['message'])}\n"
                        for entry in entries)
            )
            # source "javascript" = an uncaught exception or unhandled rejection; "security" = something
            # the server's Content-Security-Policy blocked (an inline script or style, a foreign
            # origin). Failed requests (the 412 of a conflict, refused reconnects during a restart)
            # are source "network".
            script_errors += [f"{page.name}: {redacted(entry['message'])}" for entry in entries
                              if entry["level"] == "SEVERE" and entry["source"] in ("javascript", "security")]
        finally:
            page.driver.quit()
    if script_errors and not failed:
        pytest.fail("JavaScript errors or Content-Security-Policy violations in the page:\n" + "\n".join(script_errors))


def pytest_configure(config):
    # Tests/Browser/run sends SIGTERM when it is interrupted: end like Ctrl-C, so the browsers
    # fixture still quits every Chromium.
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets the browsers fixture know whether the test body failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
