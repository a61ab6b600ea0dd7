// One task card: its content and its controls. A card's elements are built once per task and
// updated in place (text and attributes) when the task changes, so focus, hover and any
// reference a test holds survive live updates.

import { byTestId, h } from "./dom.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "./labels.js";

/** The card with all its parts; `fillCard` gives them their content. */
export function createCard(taskId) {
  const moveButton = (testId, direction, text) =>
    h("button", { type: "button", class: "move-button", "data-testid": testId, dataset: { move: direction } }, text);
  return h(
    "li",
    {
      class: "task-card",
      "data-testid": "task-card",
      dataset: { taskId },
      tabindex: "0",
      "aria-keyshortcuts": "Enter Delete Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown",
    },
    h("h3", { class: "task-title", "data-testid": "task-title" }),
    h(
      "div",
      { class: "task-meta" },
      h("span", { class: "badge", "data-testid": "task-status" }),
      h("span", { class: "badge", "data-testid": "task-priority" }),
      h("span", { class: "task-assignee", "data-testid": "task-assignee" }),
      h("time", { class: "task-due-date", "data-testid": "task-due-date" }),
      h("span", { class: "pending-mark", "data-testid": "task-pending", "aria-hidden": "true" }, "saving…"),
    ),
    h(
      "div",
      { class: "card-actions" },
      h("button", { type: "button", "data-testid": "edit-task" }),
      h(
        "span",
        { class: "move-buttons", "data-testid": "move-buttons" },
        moveButton("move-left", "left", "←"),
        moveButton("move-up", "up", "↑"),
        moveButton("move-down", "down", "↓"),
        moveButton("move-right", "right", "→"),
      ),
    ),
  );
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/**
 * Fills `card` for `task`. `place` says where it stands: `{ previousPhase, nextPhase, first, last }`
 * (neighbour phases by name, or null at the board's edges), for the move buttons.
 */
export function fillCard(card, { task, pending, canEdit, place }) {
  const part = (testId) => byTestId(testId, card);
  const { title } = task;
  const status = STATUS_LABELS[task.status] ?? task.status;
  const priority = PRIORITY_LABELS[task.priority] ?? task.priority;

  card.dataset.phaseId = task.phaseId;
  card.dataset.position = String(task.position);
  card.dataset.version = String(task.version);
  card.dataset.pending = pending ? "true" : "false";
  card.classList.toggle("is-pending", pending);
  card.setAttribute("aria-busy", pending ? "true" : "false");
  card.draggable = canEdit;
  const details = [status, `${priority} priority`];
  if (task.assignee) details.push(`assigned to ${task.assignee}`);
  if (task.dueDate) details.push(`due ${task.dueDate}`);
  if (pending) details.push("saving");
  card.setAttribute("aria-label", `${title}: ${details.join(", ")}`);

  setText(part("task-title"), title);
  const statusBadge = part("task-status");
  setText(statusBadge, status);
  statusBadge.className = `badge status-${task.status}`;
  statusBadge.dataset.status = task.status;
  const priorityBadge = part("task-priority");
  setText(priorityBadge, priority);
  priorityBadge.className = `badge priority-${task.priority}`;
  priorityBadge.dataset.priority = task.priority;
  const assignee = part("task-assignee");
  setText(assignee, task.assignee ? `@${task.assignee}` : "");
  assignee.hidden = !task.assignee;
  const due = part("task-due-date");
  setText(due, task.dueDate ? `Due ${task.dueDate}` : "");
  due.dateTime = task.dueDate ?? "";
  due.hidden = !task.dueDate;
  part("task-pending").hidden = !pending;

  const edit = part("edit-task");
  setText(edit, canEdit ? "Edit" : "View");
  edit.setAttribute("aria-label", `${canEdit ? "Edit" : "View"} “${title}”`);

  part("move-buttons").hidden = !canEdit;
  const { previousPhase, nextPhase, first, last } = place;
  setMove(part("move-left"), !previousPhase, previousPhase ? `Move “${title}” to ${previousPhase}` : `“${title}” is in the first column`);
  setMove(part("move-up"), first, `Move “${title}” up`);
  setMove(part("move-down"), last, `Move “${title}” down`);
  setMove(part("move-right"), !nextPhase, nextPhase ? `Move “${title}” to ${nextPhase}` : `“${title}” is in the last column`);
}

function setMove(button, disabled, label) {
  button.disabled = disabled;
  button.setAttribute("aria-label", label);
}
