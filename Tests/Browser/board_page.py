"""A page object for the campaign board: what a browser test does and reads, by data-testid.

State is read with small scripts rather than held WebElements, because cards update live and a
held element can be replaced between two reads.
"""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

DEFAULT_TIMEOUT = 15

# Records every value of the connection indicator, so a short "reconnecting" is not missed
# between two polls.
RECORD_CONNECTION_STATES = """
const indicator = document.querySelector('[data-testid="connection-status"]');
window.__connectionStates = [indicator.dataset.state];
new MutationObserver(() => window.__connectionStates.push(indicator.dataset.state))
  .observe(indicator, { attributes: true, attributeFilter: ["data-state"] });
"""

# HTML5 drag and drop cannot be driven by WebDriver actions in Chromium; dispatching the
# DragEvents with a real DataTransfer runs the board's own handlers.
DRAG_CARD = """
const [card, column, before] = arguments;
const transfer = new DataTransfer();
const box = (before ?? column).getBoundingClientRect();
const y = before ? box.top + 2 : box.bottom - 2;
card.dispatchEvent(new DragEvent("dragstart", { bubbles: true, dataTransfer: transfer }));
column.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: transfer, clientY: y }));
column.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer, clientY: y }));
card.dispatchEvent(new DragEvent("dragend", { bubbles: true, dataTransfer: transfer }));
"""


def testid(name):
    return f'[data-testid="{name}"]'


class BoardPage:
    def __init__(self, driver, base_url, artifacts_dir, name):
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self.artifacts_dir = artifacts_dir
        self.name = name

    # ---- navigation ----

    def open(self, token=None, campaign_id=None):
        parts = []
        if token:
            parts.append(f"token={token}")
        if campaign_id:
            parts.append(f"campaign={campaign_id}")
        self.driver.get(f"{self.base_url}/" + (f"#{'&'.join(parts)}" if parts else ""))

    def open_campaign(self, token, campaign_id):
        self.open(token, campaign_id)
        self.wait_for_connection("live")
        self.driver.execute_script(RECORD_CONNECTION_STATES)

    # ---- waiting and reading ----

    def wait_until(self, condition, timeout=DEFAULT_TIMEOUT, message="condition"):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(
            lambda _: condition(), message=f"{self.name}: timed out waiting for {message}"
        )

    def find(self, name, root=None):
        return (root or self.driver).find_element(By.CSS_SELECTOR, testid(name))

    def connection_state(self):
        return self.find("connection-status").get_attribute("data-state")

    def connection_history(self):
        return self.driver.execute_script("return window.__connectionStates ?? []")

    def wait_for_connection(self, state, timeout=DEFAULT_TIMEOUT):
        self.wait_until(lambda: self.connection_state() == state, timeout, f"connection {state}")

    def titles(self, column):
        return self.driver.execute_script(
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)",
            f'{testid(f"column-{column}")} {testid("task-title")}',
        )

    def card_info(self, task_id):
        """`{title, status, priority, phaseId, position, version, pending}` of a card, or None."""
        return self.driver.execute_script(
            """
            const card = document.querySelector(`[data-testid="task-card"][data-task-id="${arguments[0]}"]`);
            if (!card) return null;
            const part = (name) => card.querySelector(`[data-testid="${name}"]`);
            return { title: part("task-title").textContent, status: part("task-status").dataset.status,
                     priority: part("task-priority").dataset.priority, phaseId: card.dataset.phaseId,
                     column: card.closest("[data-column]").dataset.testid.replace(/^column-/, ""),
                     position: Number(card.dataset.position), version: Number(card.dataset.version),
                     pending: card.dataset.pending === "true" };
            """,
            task_id,
        )

    def column_cards(self, column):
        """The cards of a column in screen order: `[{id, title, status, position, version}]`."""
        return self.driver.execute_script(
            """
            return [...document.querySelectorAll(arguments[0])].map((card) => ({
              id: card.dataset.taskId,
              title: card.querySelector('[data-testid="task-title"]').textContent,
              status: card.querySelector('[data-testid="task-status"]').dataset.status,
              position: Number(card.dataset.position),
              version: Number(card.dataset.version),
            }));
            """,
            f'{testid(f"column-{column}")} {testid("task-card")}',
        )

    def task_id_by_title(self, title):
        return self.driver.execute_script(
            """
            const titles = [...document.querySelectorAll('[data-testid="task-title"]')];
            const match = titles.find((e) => e.textContent === arguments[0]);
            return match ? match.closest('[data-testid="task-card"]').dataset.taskId : null;
            """,
            title,
        )

    def history_texts(self):
        return self.driver.execute_script(
            "return [...document.querySelectorAll('[data-testid=\"history-item\"]')].map((e) => e.textContent)"
        )

    def banner(self):
        """`{visible, kind, text}` of the error area."""
        element = self.find("error-banner")
        return {
            "visible": element.is_displayed(),
            "kind": element.get_attribute("data-kind"),
            "text": element.text,
        }

    def screenshot(self, label):
        path = self.artifacts_dir / f"{label}-{self.name}.png"
        self.driver.save_screenshot(str(path))
        return path

    # ---- actions ----

    def card(self, task_id):
        return self.driver.find_element(By.CSS_SELECTOR, f'{testid("task-card")}[data-task-id="{task_id}"]')

    def create_task(self, column, title, **fields):
        self.find("new-task-button", self.find(f"column-{column}")).click()
        self.fill_task_form(title=title, **fields)
        self.find("save-task").click()
        self.wait_until(lambda: self.task_id_by_title(title) is not None, message=f"card {title!r}")
        return self.task_id_by_title(title)

    def fill_task_form(self, title=None, description=None, status=None, priority=None, assignee=None, due_date=None):
        self.wait_until(lambda: self.find("task-dialog").is_displayed(), message="task dialog")
        for name, value in (("task-title-input", title), ("task-description-input", description),
                            ("task-assignee-input", assignee)):
            if value is not None:
                field = self.find(name)
                field.clear()
                field.send_keys(value)
        if status is not None:
            Select(self.find("task-status-input")).select_by_value(status)
        if priority is not None:
            Select(self.find("task-priority-input")).select_by_value(priority)
        if due_date is not None:
            # A date input takes typed digits in the locale's order; setting the value is exact.
            self.driver.execute_script(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }))",
                self.find("task-due-date-input"), due_date,
            )

    def open_task(self, task_id):
        self.find("edit-task", self.card(task_id)).click()
        self.wait_until(lambda: self.find("task-dialog").is_displayed(), message="task dialog")

    def edit_task(self, task_id, **fields):
        self.open_task(task_id)
        self.fill_task_form(**fields)
        self.find("save-task").click()

    def move_with_keyboard(self, task_id, arrow):
        self.driver.execute_script("arguments[0].focus()", self.card(task_id))
        key = {"left": Keys.ARROW_LEFT, "right": Keys.ARROW_RIGHT, "up": Keys.ARROW_UP, "down": Keys.ARROW_DOWN}[arrow]
        ActionChains(self.driver).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()

    def move_with_keyboard_at_once(self, task_id, arrow, times):
        """`times` Alt+Arrow key presses dispatched in one script, so that all the moves are made
        before the first answer arrives (WebDriver key actions are slower than the server)."""
        key = {"left": "ArrowLeft", "right": "ArrowRight", "up": "ArrowUp", "down": "ArrowDown"}[arrow]
        self.driver.execute_script(
            """
            const [card, key, times] = arguments;
            card.focus();
            for (let i = 0; i < times; i += 1) {
              document.activeElement.dispatchEvent(
                new KeyboardEvent("keydown", { key, altKey: true, bubbles: true, cancelable: true }));
            }
            """,
            self.card(task_id), key, times,
        )

    def move_with_button(self, task_id, direction):
        self.find(f"move-{direction}", self.card(task_id)).click()

    def drag(self, task_id, column, before_task_id=None):
        before = self.card(before_task_id) if before_task_id else None
        self.driver.execute_script(DRAG_CARD, self.card(task_id), self.find(f"column-{column}"), before)

    def delete_task(self, task_id):
        self.open_task(task_id)
        self.find("delete-task").click()
        self.wait_until(lambda: self.find("confirm-delete-dialog").is_displayed(), message="delete confirmation")
        self.find("confirm-delete").click()

    def wait_settled(self, timeout=DEFAULT_TIMEOUT):
        """Waits until no card shows a write in flight."""
        self.wait_until(
            lambda: not self.driver.execute_script(
                "return document.querySelector('[data-testid=\"task-card\"][data-pending=\"true\"]') !== null"
            ),
            timeout,
            "pending writes to settle",
        )
