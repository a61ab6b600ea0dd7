// One task card: its content and its controls. Cards are built once per task and refreshed in
// place by board-view.js when their task (or its pending flag, or its neighbourhood) changes.

import { h } from "./dom.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "./labels.js";

/** The card's fixed shell; `fillCard` gives it its content. */
export function createCard(taskId) {
  return h("li", {
    class: "task-card",
    "data-testid": "task-card",
    dataset: { taskId },
    tabindex: "0",
    "aria-keyshortcuts": "Enter Delete Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown",
  });
}

/**
 * Fills `card` for `task`. `place` says where it stands: `{ previousPhase, nextPhase, first, last }`
 * (neighbour phases by name, or null at the board's edges), for the move buttons.
 */
export function fillCard(card, { task, pending, canEdit, place }) {
  const title = task.title;
  card.dataset.phaseId = task.phaseId;
  card.dataset.position = String(task.position);
  card.dataset.version = String(task.version);
  card.dataset.pending = pending ? "true" : "false";
  card.classList.toggle("is-pending", pending);
  card.setAttribute("aria-busy", pending ? "true" : "false");
  card.draggable = canEdit;
  const details = [STATUS_LABELS[task.status] ?? task.status, `${PRIORITY_LABELS[task.priority] ?? task.priority} priority`];
  if (task.assignee) details.push(`assigned to ${task.assignee}`);
  if (task.dueDate) details.push(`due ${task.dueDate}`);
  if (pending) details.push("saving");
  card.setAttribute("aria-label", `${title}: ${details.join(", ")}`);

  const meta = h(
    "div",
    { class: "task-meta" },
    h("span", { class: `badge status-${task.status}`, "data-testid": "task-status", dataset: { status: task.status } },
      STATUS_LABELS[task.status] ?? task.status),
    h("span", { class: `badge priority-${task.priority}`, "data-testid": "task-priority", dataset: { priority: task.priority } },
      PRIORITY_LABELS[task.priority] ?? task.priority),
    task.assignee ? h("span", { class: "task-assignee", "data-testid": "task-assignee" }, `@${task.assignee}`) : null,
    task.dueDate
      ? h("time", { class: "task-due-date", "data-testid": "task-due-date", datetime: task.dueDate }, `Due ${task.dueDate}`)
      : null,
    pending ? h("span", { class: "pending-mark", "data-testid": "task-pending", "aria-hidden": "true" }, "saving…") : null,
  );

  const actions = h(
    "div",
    { class: "card-actions" },
    h("button", { type: "button", "data-testid": "edit-task", "aria-label": `${canEdit ? "Edit" : "View"} “${title}”` },
      canEdit ? "Edit" : "View"),
    canEdit ? moveButtons(title, place) : null,
  );

  card.replaceChildren(h("h3", { class: "task-title", "data-testid": "task-title" }, title), meta, actions);
}

function moveButtons(title, { previousPhase, nextPhase, first, last }) {
  const button = (testId, direction, text, label, disabled) =>
    h("button", { type: "button", class: "move-button", "data-testid": testId, dataset: { move: direction }, "aria-label": label, disabled }, text);
  return h(
    "span",
    { class: "move-buttons" },
    button("move-left", "left", "←", previousPhase ? `Move “${title}” to ${previousPhase}` : `“${title}” is in the first column`, !previousPhase),
    button("move-up", "up", "↑", `Move “${title}” up`, first),
    button("move-down", "down", "↓", `Move “${title}” down`, last),
    button("move-right", "right", "→", nextPhase ? `Move “${title}” to ${nextPhase}` : `“${title}” is in the last column`, !nextPhase),
  );
}
