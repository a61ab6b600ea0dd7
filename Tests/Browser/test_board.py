"""Browser tests of the campaign board (`/`) and its client (`/client/campaign-client.js`) in real
headless Chromium against a running server and its PostgreSQL. `Tests/Browser/run` sets them up;
see README.md beside this file.
"""

import os
import subprocess

import pytest
from selenium.webdriver.common.by import By

PHONE = {"width": 390, "height": 844, "mobile": True}


def open_pair(config, campaign, browsers):
    a, b = browsers("A"), browsers("B")
    for page in (a, b):
        page.open_campaign(config["token"], campaign["id"])
    return a, b


def board_from_server(api, campaign):
    """{column name: [{id, title, status, position, version}] in position order}, as the server has it."""
    snapshot = api.snapshot(campaign["id"])
    names = {phase["id"]: phase["name"] for phase in snapshot["phases"]}
    board = {name: [] for name in names.values()}
    for task in sorted(snapshot["tasks"], key=lambda task: task["position"]):
        board[names[task["phaseId"]]].append(
            {key: task[key] for key in ("id", "title", "status", "position", "version")}
        )
    return board


def assert_shows_server_board(page, api, campaign):
    """The page shows exactly the server's tasks: same columns, order, positions, versions."""
    expected = board_from_server(api, campaign)
    page.wait_until(
        lambda: {column: page.column_cards(column) for column in expected} == expected,
        message=f"the board to equal the server's {expected}",
    )


def history_actions(page, task_id):
    return page.driver.execute_script(
        "return [...document.querySelectorAll(`[data-testid=\"history-item\"][data-task-id=\"${arguments[0]}\"]`)]"
        ".map((e) => e.dataset.action)",
        task_id,
    )


def history_with_actors(page):
    return page.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=\"history-item\"]')]"
        ".map((e) => [e.dataset.action, e.querySelector('[data-testid=\"history-actor\"]').textContent])"
    )


def test_create_edit_move_delete_in_one_window_appear_in_the_other(config, campaign, browsers, api):
    a, b = open_pair(config, campaign, browsers)

    task_id = a.create_task("Planning", "Draft the brief", assignee="alice", priority="high", due_date="2030-01-15")
    b.wait_until(lambda: (b.card_info(task_id) or {}).get("title") == "Draft the brief", message="the new card in B")
    assert b.card_info(task_id)["priority"] == "high"
    a.wait_settled()

    a.edit_task(task_id, title="Draft the brief v2", status="in_progress")
    b.wait_until(
        lambda: b.card_info(task_id)["title"] == "Draft the brief v2" and b.card_info(task_id)["status"] == "in_progress",
        message="the edit in B",
    )
    a.wait_settled()

    a.move_with_keyboard(task_id, "right")
    b.wait_until(lambda: b.card_info(task_id)["column"] == "Creative", message="keyboard move in B")
    a.wait_settled()
    a.move_with_button(task_id, "right")
    b.wait_until(lambda: b.card_info(task_id)["column"] == "Launch", message="button move in B")
    a.wait_settled()
    a.drag(task_id, "Analysis")
    b.wait_until(lambda: b.card_info(task_id)["column"] == "Analysis", message="drag move in B")
    a.wait_settled()
    a.screenshot("after-moves")
    b.screenshot("after-moves")

    a.delete_task(task_id)
    b.wait_until(lambda: b.card_info(task_id) is None, message="the delete in B")

    # Every change once in each history feed, newest first, the writer's own included.
    expected = ["deleted", "moved", "moved", "moved", "updated", "created"]
    for page in (a, b):
        page.wait_until(lambda page=page: history_actions(page, task_id) == expected, message=f"history {expected}")
        assert_shows_server_board(page, api, campaign)


def test_moves_within_a_column_keep_positions_as_the_server_numbers_them(config, campaign, browsers, api):
    a, b = open_pair(config, campaign, browsers)
    ids = [a.create_task("Planning", title) for title in ("One", "Two", "Three")]
    a.wait_settled()

    a.move_with_keyboard(ids[2], "up")  # One, Three, Two
    a.wait_settled()
    a.drag(ids[0], "Planning")  # dropped at the end: Three, Two, One
    a.wait_settled()
    for page in (a, b):
        page.wait_until(lambda page=page: page.titles("Planning") == ["Three", "Two", "One"], message="order")
        assert [page.card_info(task_id)["position"] for task_id in (ids[2], ids[1], ids[0])] == [0, 1, 2]
        assert_shows_server_board(page, api, campaign)


def test_quick_successive_moves_are_sent_in_order_without_a_conflict(config, campaign, browsers, api):
    a, b = open_pair(config, campaign, browsers)
    task = api.create_task(campaign["id"], campaign["phases"]["Planning"], "Moved three times at once")
    a.wait_until(lambda: a.card_info(task["id"]) is not None, message="the card")
    # Three presses at once: the client sends the moves one after another, each with If-Match of
    # the version the previous one produced (a shared If-Match would make the later two 412s).
    a.move_with_keyboard_at_once(task["id"], "right", 3)
    assert a.card_info(task["id"])["column"] == "Analysis"  # optimistic: before any answer
    for page in (a, b):
        page.wait_until(lambda page=page: page.card_info(task["id"])["column"] == "Analysis"
                        and page.card_info(task["id"])["version"] == 4, message="three moves")
    a.wait_settled()
    assert not a.banner()["visible"], a.banner()
    for page in (a, b):
        page.wait_until(lambda page=page: history_actions(page, task["id"]) == ["moved", "moved", "moved", "created"],
                        message="three moves in the history")
        assert_shows_server_board(page, api, campaign)


def test_plain_sql_changes_appear_in_both_windows(config, campaign, browsers, api, database):
    a, b = open_pair(config, campaign, browsers)
    planning, creative = campaign["phases"]["Planning"], campaign["phases"]["Creative"]
    tasks = [api.create_task(campaign["id"], planning, title) for title in ("Set up tracking", "Book media", "Brief agency")]
    for page in (a, b):
        page.wait_until(lambda page=page: page.titles("Planning") == ["Set up tracking", "Book media", "Brief agency"],
                        message="the REST-made cards")

    # An UPDATE of plain columns (the database bumps the version itself).
    database.run(
        "UPDATE campaign_tasks SET title = :'title', status = 'done' WHERE id = :'id';",
        title="Tracking set up (by SQL)",
        id=tasks[0]["id"],
    )
    for page in (a, b):
        page.wait_until(
            lambda page=page: page.card_info(tasks[0]["id"])["title"] == "Tracking set up (by SQL)"
            and page.card_info(tasks[0]["id"])["status"] == "done"
            and page.card_info(tasks[0]["id"])["version"] == 2,
            message="the SQL update",
        )
        page.wait_until(lambda page=page: any(text.startswith("database") for text in page.history_texts()),
                        message="a history entry by 'database'")
        page.screenshot("after-sql-update")

    # An INSERT with only the required columns: it lands at the end of its phase.
    inserted = database.run(
        "INSERT INTO campaign_tasks (campaign_id, phase_id, title) VALUES (:'campaign', :'phase', 'Inserted by SQL') RETURNING id;",
        campaign=campaign["id"],
        phase=creative,
    )
    # A move: another phase, at the top.
    database.run("UPDATE campaign_tasks SET phase_id = :'phase', position = 0 WHERE id = :'id';", phase=creative, id=tasks[2]["id"])
    # A DELETE in the middle of a phase: the database closes the gap without an event for the neighbours.
    database.run("DELETE FROM campaign_tasks WHERE id = :'id';", id=tasks[1]["id"])
    for page in (a, b):
        page.wait_until(lambda page=page: page.card_info(tasks[1]["id"]) is None, message="the SQL delete")
        page.wait_until(lambda page=page: page.titles("Creative") == ["Brief agency", "Inserted by SQL"],
                        message="the SQL insert and move")
        assert page.card_info(inserted)["position"] == 1
        assert_shows_server_board(page, api, campaign)
    # Newest first; the three REST creates are older than the SQL changes. (A history-update follows
    # its task event, so it is waited for too.)
    expected = [["deleted", "database"], ["moved", "database"], ["created", "database"], ["updated", "database"]]
    for page in (a, b):
        page.wait_until(lambda page=page: history_with_actors(page)[:4] == expected and len(history_with_actors(page)) == 7,
                        message=f"the history {expected} + 3 creates")


@pytest.mark.parametrize("signal", ["TERM", "KILL"], ids=["graceful", "killed"])
def test_server_restart_shows_reconnecting_then_catches_up_without_losing_a_change(config, campaign, browsers, api, database, signal):
    a, b = open_pair(config, campaign, browsers)
    task = api.create_task(campaign["id"], campaign["phases"]["Planning"], "Survives the restart")
    for page in (a, b):
        page.wait_until(lambda page=page: page.card_info(task["id"]) is not None, message="the card")

    # Tests/Browser/run's restart command honours these: SIGTERM (a graceful shutdown) or SIGKILL
    # (a crash: no stream is ended cleanly), then the server stays down for 4 s, about as long as the
    # first reconnects wait (each stream's retry: of 1.5–4.5 s plus the client's jitter), so many of
    # them meet a closed port and the client backs off and tries again by itself.
    environment = {**os.environ, "BOARD_RESTART_SIGNAL": signal, "BOARD_RESTART_PAUSE_SECONDS": "4"}
    restart = subprocess.Popen(config["restart_command"], shell=True, env=environment)
    try:
        for page in (a, b):
            page.wait_until(lambda page=page: page.connection_state() == "reconnecting", timeout=60,
                            message="'reconnecting'")
        a.screenshot("reconnecting")
        # Written while neither window has a stream: it can only arrive by the replay after Last-Event-ID.
        database.run("UPDATE campaign_tasks SET title = :'title' WHERE id = :'id';", title="Changed during the restart", id=task["id"])
        for page in (a, b):
            assert "live" not in page.connection_history()[1:], "the change was to be made while the window was disconnected"
        assert restart.wait(timeout=180) == 0, "BOARD_RESTART_COMMAND failed"
    finally:
        if restart.poll() is None:
            restart.kill()

    for page in (a, b):
        page.wait_for_connection("live", timeout=90)
        page.wait_until(lambda page=page: page.card_info(task["id"])["title"] == "Changed during the restart",
                        message="the change made during the restart")
        assert page.connection_history()[0] == "live" and "reconnecting" in page.connection_history()
        assert "offline" not in page.connection_history(), "the client gave up instead of reconnecting"
    after = api.create_task(campaign["id"], campaign["phases"]["Creative"], "Made after the restart")
    for page in (a, b):
        page.wait_until(lambda page=page: page.card_info(after["id"]) is not None, message="a change after the restart")
        assert_shows_server_board(page, api, campaign)
        # Caught up exactly: every history entry once, the same as the server's.
        server_history = [entry["id"] for entry in api.snapshot(campaign["id"])["history"]]
        assert len(server_history) == 3  # created, updated during the restart, created after it
        page.wait_until(
            lambda page=page: page.driver.execute_script(
                "return [...document.querySelectorAll('[data-testid=\"history-item\"]')].map((e) => e.dataset.historyId)"
            ) == server_history,
            message=f"the history feed to equal the server's {server_history}",
        )
        page.screenshot("after-restart")


def test_a_412_conflict_rolls_back_and_shows_the_newer_version(config, campaign, browsers, api):
    a, b = open_pair(config, campaign, browsers)
    task = api.create_task(campaign["id"], campaign["phases"]["Planning"], "Original title")
    for page in (a, b):
        page.wait_until(lambda page=page: page.card_info(task["id"]) is not None, message="the card")

    a.open_task(task["id"])  # A's edit is based on version 1
    b.edit_task(task["id"], title="B changed it")
    a.wait_until(lambda: a.find("task-changed-notice").is_displayed(), message="the changed-elsewhere notice")
    a.fill_task_form(title="A's late edit")
    a.find("save-task").click()

    a.wait_until(lambda: a.banner()["visible"] and a.banner()["kind"] == "conflict", message="the conflict message")
    banner = a.banner()
    assert "changed elsewhere" in banner["text"]
    assert "B changed it" in banner["text"]  # the newer version is shown
    a.wait_until(lambda: a.card_info(task["id"])["title"] == "B changed it", message="A rolled back")
    a.screenshot("conflict")
    assert b.card_info(task["id"])["title"] == "B changed it"
    assert api.snapshot(campaign["id"])["tasks"][0]["title"] == "B changed it"

    a.find("dismiss-error").click()
    a.wait_until(lambda: not a.banner()["visible"], message="the message dismissed")


def test_token_prompt_campaign_picker_reload_and_sign_out(config, campaign, browsers):
    page = browsers("A")
    page.open()
    page.wait_until(lambda: page.find("token-screen").is_displayed(), message="the token prompt")
    page.screenshot("token-prompt")
    page.find("token-input").send_keys(config["token"])
    page.find("token-submit").click()

    page.wait_until(lambda: page.find("campaign-screen").is_displayed(), message="the campaign list")
    option = f'[data-testid="campaign-option"][data-campaign-id="{campaign["id"]}"]'
    page.wait_until(lambda: len(page.driver.find_elements(By.CSS_SELECTOR, option)) == 1, message="our campaign listed")
    page.screenshot("campaigns")
    page.driver.find_element(By.CSS_SELECTOR, option).click()
    page.wait_for_connection("live")
    assert f"campaign={campaign['id']}" in page.driver.current_url
    assert config["token"] not in page.driver.current_url

    page.driver.refresh()  # the token is kept for the tab, the campaign in the fragment
    page.wait_for_connection("live")
    assert page.find("campaign-name").text == campaign["name"]

    page.find("sign-out").click()
    page.wait_until(lambda: page.find("token-screen").is_displayed(), message="signed out")
    assert page.driver.execute_script("return sessionStorage.length") == 0


def test_a_rejected_token_returns_to_the_prompt_with_a_message(config, browsers):
    page = browsers("A")
    page.open("not-a-valid-token")
    page.wait_until(lambda: page.find("token-screen").is_displayed() and page.find("token-message").is_displayed(),
                    message="the token prompt with a message")
    assert "did not accept the token" in page.find("token-message").text
    assert page.driver.execute_script("return sessionStorage.length") == 0


def test_an_admin_creates_a_campaign_from_the_picker(config, browsers, api):
    page = browsers("A")
    page.open(config["token"])
    page.wait_until(lambda: page.find("new-campaign-form").is_displayed(), message="the new-campaign form")
    page.find("new-campaign-name").send_keys("Made in the browser")
    page.find("create-campaign").click()
    page.wait_for_connection("live")
    for column in ("Planning", "Creative", "Launch", "Analysis"):
        assert page.find(f"column-{column}").is_displayed()


def test_phone_width_scrolls_the_columns_and_keeps_the_controls(config, campaign, browsers, api):
    page = browsers("phone", **PHONE)
    api.create_task(campaign["id"], campaign["phases"]["Planning"], "Readable on a phone")
    page.open_campaign(config["token"], campaign["id"])
    page.wait_until(lambda: page.titles("Planning") == ["Readable on a phone"], message="the card")
    board = page.find("board")
    assert page.driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", board)
    card = page.card(page.task_id_by_title("Readable on a phone"))
    assert page.find("move-right", card).is_displayed()
    # The page itself does not scroll sideways: only the row of columns does.
    assert page.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot("phone")

    # The form fits the screen and works; the button moves the card to the next column.
    page.find("new-task-button", page.find("column-Planning")).click()
    page.wait_until(lambda: page.find("task-dialog").is_displayed(), message="task dialog")
    assert page.driver.execute_script(
        "const box = arguments[0].getBoundingClientRect(); return box.left >= 0 && box.right <= window.innerWidth",
        page.find("task-dialog"),
    )
    page.screenshot("phone-dialog")
    page.fill_task_form(title="Made on a phone")
    page.find("save-task").click()
    page.wait_until(lambda: page.titles("Planning") == ["Readable on a phone", "Made on a phone"], message="the new card")
    page.move_with_button(page.task_id_by_title("Made on a phone"), "right")
    page.wait_until(lambda: page.titles("Creative") == ["Made on a phone"], message="the moved card")
    page.wait_settled()
    assert_shows_server_board(page, api, campaign)


def test_every_control_has_an_accessible_name(config, campaign, browsers, api):
    page = browsers("A")
    api.create_task(campaign["id"], campaign["phases"]["Planning"], "Named controls")
    page.open_campaign(config["token"], campaign["id"])
    page.wait_until(lambda: page.titles("Planning") == ["Named controls"], message="the card")
    unnamed = page.driver.execute_script(
        """
        const named = (element) => {
          if (element.getAttribute("aria-label")?.trim()) return true;
          if (element.tagName === "BUTTON") return element.textContent.trim() !== "";
          return element.labels && element.labels.length > 0;
        };
        return [...document.querySelectorAll("button, input, select, textarea")]
          .filter((element) => !named(element))
          .map((element) => element.outerHTML.slice(0, 120));
        """
    )
    assert unnamed == []
    assert page.find("connection-status").get_attribute("role") == "status"
    assert page.find("error-banner").get_attribute("role") == "alert"


def test_a_board_with_tasks_in_several_columns(config, browsers, api):
    """A realistic board at 1280×800, saved as `board-overview-….png` (docs/board.png is a copy)."""
    campaign = api.create_campaign("Spring launch 2031")
    phases = {phase["name"]: phase["id"] for phase in api.snapshot(campaign["id"])["phases"]}
    cid = campaign["id"]
    made = {}
    for phase, title, fields in (
        ("Planning", "Define audience segments", {"priority": "high", "assignee": "maria", "dueDate": "2031-03-02"}),
        ("Planning", "Agree on the budget split", {"assignee": "tom"}),
        ("Planning", "Pick launch markets", {"priority": "low"}),
        ("Creative", "Hero video storyboard", {"status": "in_progress", "priority": "urgent", "assignee": "lena", "dueDate": "2031-03-10"}),
        ("Creative", "Banner set (12 sizes)", {"status": "blocked", "assignee": "sam"}),
        ("Planning", "Landing page copy", {"assignee": "maria"}),
        ("Launch", "Schedule social posts", {"priority": "high", "dueDate": "2031-03-20"}),
        ("Launch", "Press release", {"assignee": "tom"}),
        ("Analysis", "Tracking plan", {"status": "done", "assignee": "lena"}),
    ):
        made[title] = api.create_task(cid, phases[phase], title, **fields)
    api.update_task(cid, made["Tracking plan"]["id"], description="UTM scheme and conversion events")
    api.move_task(cid, made["Press release"]["id"], phases["Launch"], 0)
    api.move_task(cid, made["Landing page copy"]["id"], phases["Creative"], 2)
    api.update_task(cid, made["Landing page copy"]["id"], status="in_progress")

    page = browsers("overview", width=1280, height=800)
    page.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    )
    page.open_campaign(config["token"], cid)
    assert_shows_server_board(page, api, {"id": cid})
    for column in ("Planning", "Creative", "Launch", "Analysis"):
        assert page.find(f"column-{column}").is_displayed()
    # Fits the width: the four columns and the history side by side, nothing scrolled away.
    assert page.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    page.driver.execute_script("document.activeElement?.blur()")
    page.screenshot("board-overview")
