// The live history feed: newest first, one item per history entry, keyed by entry id.

import { h, syncChildren } from "./dom.js";
import { describeChanges, formatTime } from "./labels.js";

// The feed shows the recent past; the client keeps the full list in its state.
const SHOWN_ENTRIES = 200;

const ACTION_WORDS = Object.freeze({ created: "created", updated: "updated", moved: "moved", deleted: "deleted" });

/** `titleOf(taskId)` names a task, including tasks that are gone from the board. */
export function createHistoryView(list, emptyMessage, { titleOf }) {
  const items = new Map(); // entry id → { element, entry, phaseKey }
  let shownHistory = null;
  let shownPhases = null;

  function itemFor(entry, phaseNames, phaseKey) {
    const existing = items.get(entry.id);
    if (existing && existing.entry === entry && existing.phaseKey === phaseKey) return existing.element;
    const changes = describeChanges(entry.changes, phaseNames);
    const element = h(
      "li",
      {
        class: `history-item action-${entry.action}`,
        "data-testid": "history-item",
        dataset: { historyId: entry.id, action: entry.action, taskId: entry.taskId },
      },
      h("span", { class: "history-actor", "data-testid": "history-actor" }, entry.actor),
      " ",
      h("span", { class: "history-action", "data-testid": "history-action" }, ACTION_WORDS[entry.action] ?? entry.action),
      " ",
      h("span", { class: "history-task", "data-testid": "history-task" }, `“${titleOf(entry.taskId)}”`),
      changes ? [" ", h("span", { class: "history-changes", "data-testid": "history-changes" }, changes)] : null,
      " ",
      h("time", { class: "history-time", datetime: entry.createdAt, title: entry.createdAt }, formatTime(entry.createdAt)),
    );
    items.set(entry.id, { element, entry, phaseKey });
    return element;
  }

  function render(state) {
    if (state.history === shownHistory && state.phases === shownPhases) return;
    shownHistory = state.history;
    shownPhases = state.phases;
    const phaseNames = new Map(state.phases.map((phase) => [phase.id, phase.name]));
    const phaseKey = state.phases.map((phase) => `${phase.id}=${phase.name}`).join(",");
    const shown = state.history.slice(0, SHOWN_ENTRIES);
    syncChildren(list, shown.map((entry) => itemFor(entry, phaseNames, phaseKey)));
    const keep = new Set(shown.map((entry) => entry.id));
    for (const id of items.keys()) if (!keep.has(id)) items.delete(id);
    emptyMessage.hidden = shown.length > 0;
  }

  function clear() {
    items.clear();
    shownHistory = null;
    shownPhases = null;
    list.replaceChildren();
    emptyMessage.hidden = false;
  }

  return { render, clear };
}
