// Moving cards: where a keyboard or button move goes, and HTML5 drag and drop onto columns.
// Positions are what the API expects: the index among the *other* tasks of the target phase.

const CARD_SELECTOR = '[data-testid="task-card"]';
const COLUMN_SELECTOR = "[data-phase-id][data-column]";

/** The target `{ phaseId, position }` of moving a task one step, or null at an edge. */
export function stepTarget(state, taskId, direction) {
  const task = state.tasks.find((candidate) => candidate.id === taskId);
  if (!task) return null;
  const phaseIndex = state.phases.findIndex((phase) => phase.id === task.phaseId);
  const siblings = state.tasks.filter((candidate) => candidate.phaseId === task.phaseId).length;
  const countIn = (phaseId) => state.tasks.filter((candidate) => candidate.phaseId === phaseId).length;
  switch (direction) {
    case "left":
    case "right": {
      const neighbour = state.phases[phaseIndex + (direction === "left" ? -1 : 1)];
      if (phaseIndex < 0 || !neighbour) return null;
      // Stay on the same row where the other column is long enough.
      return { phaseId: neighbour.id, position: Math.min(task.position, countIn(neighbour.id)) };
    }
    case "up":
      return task.position > 0 ? { phaseId: task.phaseId, position: task.position - 1 } : null;
    case "down":
      return task.position < siblings - 1 ? { phaseId: task.phaseId, position: task.position + 1 } : null;
    default:
      return null;
  }
}

const KEY_DIRECTIONS = Object.freeze({ ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" });

/**
 * Keyboard on a focused card: Alt+Arrow moves it, Enter opens it, Delete asks to delete it.
 * `canEdit()` is asked on each key, as the signed-in role can change.
 */
export function attachKeyboard(container, { canEdit, onStep, onOpen, onDelete }) {
  container.addEventListener("keydown", (event) => {
    const card = event.target;
    if (!(card instanceof HTMLElement) || !card.matches(CARD_SELECTOR)) return;
    const taskId = card.dataset.taskId;
    if (event.altKey && KEY_DIRECTIONS[event.key]) {
      // Also keeps Alt+ArrowLeft from navigating back.
      event.preventDefault();
      if (canEdit()) onStep(taskId, KEY_DIRECTIONS[event.key]);
    } else if (event.key === "Enter" && !event.altKey) {
      event.preventDefault();
      onOpen(taskId);
    } else if (event.key === "Delete" && canEdit()) {
      event.preventDefault();
      onDelete(taskId);
    }
  });
}

/** Drag a card onto any column; a drop indicator shows where it will land. */
export function attachDragAndDrop(container, { canEdit, onDrop }) {
  let draggedId = null;

  const clearIndicators = () => {
    for (const marked of container.querySelectorAll(".drop-before, .drop-at-end, .drop-target")) {
      marked.classList.remove("drop-before", "drop-at-end", "drop-target");
    }
  };

  /** Where in `column` a drop at height `y` lands: the index among the cards other than the dragged one. */
  const dropIndex = (column, y) => {
    const others = [...column.querySelectorAll(CARD_SELECTOR)].filter((card) => card.dataset.taskId !== draggedId);
    const index = others.findIndex((card) => {
      const box = card.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    return { others, index: index < 0 ? others.length : index };
  };

  container.addEventListener("dragstart", (event) => {
    const card = event.target instanceof Element ? event.target.closest(CARD_SELECTOR) : null;
    if (!card) return;
    if (!canEdit()) {
      event.preventDefault();
      return;
    }
    draggedId = card.dataset.taskId;
    event.dataTransfer?.setData("text/plain", draggedId);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    card.classList.add("is-dragging");
  });

  container.addEventListener("dragover", (event) => {
    const column = event.target instanceof Element ? event.target.closest(COLUMN_SELECTOR) : null;
    if (!column || !draggedId) return;
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    clearIndicators();
    column.classList.add("drop-target");
    const { others, index } = dropIndex(column, event.clientY);
    if (index < others.length) others[index].classList.add("drop-before");
    else column.querySelector('[data-testid="task-list"]')?.classList.add("drop-at-end");
  });

  container.addEventListener("drop", (event) => {
    const column = event.target instanceof Element ? event.target.closest(COLUMN_SELECTOR) : null;
    const taskId = draggedId ?? event.dataTransfer?.getData("text/plain");
    if (!column || !taskId) return;
    event.preventDefault();
    draggedId = taskId;
    const { index } = dropIndex(column, event.clientY);
    clearIndicators();
    draggedId = null;
    onDrop(taskId, column.dataset.phaseId, index);
  });

  container.addEventListener("dragend", () => {
    draggedId = null;
    clearIndicators();
    for (const card of container.querySelectorAll(".is-dragging")) card.classList.remove("is-dragging");
  });
}
