// The columns and their cards. Rendering is keyed by phase id and task id: a card's DOM is
// reused while its task lives, refreshed only when its task object (immutable, so identity says
// "changed") or its surroundings change, and focus follows a card when it moves.

import { byTestId, h, syncChildren } from "./dom.js";
import { createCard, fillCard } from "./task-card.js";

export function createBoardView(container, { onCreate, onOpen, onStep }) {
  const columns = new Map(); // phaseId → { section, list, heading, count, addButton, name }
  const cards = new Map(); // taskId → { element, task, key }

  container.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest("button");
    const card = target?.closest('[data-testid="task-card"]');
    if (button?.dataset.testid === "new-task-button") onCreate(button.closest("[data-phase-id]").dataset.phaseId);
    else if (button?.dataset.move && card) onStep(card.dataset.taskId, button.dataset.move);
    else if (button?.dataset.testid === "edit-task" && card) onOpen(card.dataset.taskId);
  });
  container.addEventListener("dblclick", (event) => {
    const card = event.target instanceof Element ? event.target.closest('[data-testid="task-card"]') : null;
    if (card && !(event.target instanceof HTMLButtonElement)) onOpen(card.dataset.taskId);
  });

  function columnFor(phase, canEdit) {
    let column = columns.get(phase.id);
    if (!column) {
      const headingId = `column-heading-${phase.id}`;
      const heading = h("h2", { id: headingId, class: "column-name" });
      const count = h("span", { class: "column-count", "data-testid": "column-count" });
      const addButton = h("button", { type: "button", class: "add-task", "data-testid": "new-task-button" }, "+ Add task");
      const list = h("ol", { class: "task-list", "data-testid": "task-list", "aria-labelledby": headingId });
      const section = h(
        "section",
        { class: "column", dataset: { phaseId: phase.id, column: "" }, "aria-labelledby": headingId },
        h("header", { class: "column-header" }, heading, count),
        list,
        addButton,
      );
      column = { section, list, heading, count, addButton, name: null };
      columns.set(phase.id, column);
    }
    if (column.name !== phase.name) {
      column.name = phase.name;
      column.heading.textContent = phase.name;
      column.section.dataset.testid = `column-${phase.name}`;
      column.addButton.setAttribute("aria-label", `Add a task to ${phase.name}`);
    }
    column.addButton.hidden = !canEdit;
    return column;
  }

  function cardFor(task, pending, canEdit, place) {
    let entry = cards.get(task.id);
    if (!entry) {
      entry = { element: createCard(task.id), task: null, key: null };
      cards.set(task.id, entry);
    }
    const key = [pending, canEdit, place.previousPhase, place.nextPhase, place.first, place.last].join("|");
    if (entry.task !== task || entry.key !== key) {
      fillCard(entry.element, { task, pending, canEdit, place });
      entry.task = task;
      entry.key = key;
    }
    return entry.element;
  }

  /** Remembers what had focus inside a card, so it can be given back after cards move. */
  function focusInCard() {
    const active = document.activeElement;
    const card = active instanceof Element ? active.closest('[data-testid="task-card"]') : null;
    if (!card || !container.contains(card)) return null;
    return { active, taskId: card.dataset.taskId, testId: active === card ? null : active.dataset.testid };
  }

  function restoreFocus(remembered) {
    if (!remembered || document.activeElement === remembered.active) return;
    const card = cards.get(remembered.taskId)?.element;
    if (!card?.isConnected) return;
    const inner = remembered.testId ? byTestId(remembered.testId, card) : null;
    (inner && !inner.disabled ? inner : card).focus();
  }

  /** Renders `state`; `canEdit` hides the writing controls from viewers. */
  function render(state, { canEdit }) {
    const remembered = focusInCard();
    const pending = new Set(state.pending);
    const byPhase = new Map(state.phases.map((phase) => [phase.id, []]));
    for (const task of state.tasks) byPhase.get(task.phaseId)?.push(task);

    const sections = state.phases.map((phase, index) => {
      const column = columnFor(phase, canEdit);
      const tasks = byPhase.get(phase.id);
      const elements = tasks.map((task, position) =>
        cardFor(task, pending.has(task.id), canEdit, {
          previousPhase: state.phases[index - 1]?.name ?? null,
          nextPhase: state.phases[index + 1]?.name ?? null,
          first: position === 0,
          last: position === tasks.length - 1,
        }),
      );
      syncChildren(column.list, elements);
      column.count.textContent = String(tasks.length);
      column.count.setAttribute("aria-label", `${tasks.length} ${tasks.length === 1 ? "task" : "tasks"}`);
      return column.section;
    });
    syncChildren(container, sections);

    // Forget what is gone, so a long session does not keep every card ever shown.
    const live = new Set(state.tasks.map((task) => task.id));
    for (const taskId of cards.keys()) if (!live.has(taskId)) cards.delete(taskId);
    const phases = new Set(state.phases.map((phase) => phase.id));
    for (const phaseId of columns.keys()) if (!phases.has(phaseId)) columns.delete(phaseId);

    restoreFocus(remembered);
  }

  function clear() {
    columns.clear();
    cards.clear();
    container.replaceChildren();
  }

  return { render, clear };
}
