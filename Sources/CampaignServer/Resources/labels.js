// Human words for the API's values, shared by cards, the history feed, the dialog and the error banner.

export const STATUS_LABELS = Object.freeze({
  todo: "To do",
  in_progress: "In progress",
  blocked: "Blocked",
  done: "Done",
});

export const PRIORITY_LABELS = Object.freeze({
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
});

export const FIELD_LABELS = Object.freeze({
  title: "title",
  description: "description",
  status: "status",
  priority: "priority",
  assignee: "assignee",
  dueDate: "due date",
  phaseId: "column",
  position: "position",
});

/** A short readable form of a task field's value (`phaseNames` turns phase ids into names). */
export function describeValue(field, value, phaseNames = new Map()) {
  if (value === null || value === undefined || value === "") return "—";
  switch (field) {
    case "status":
      return STATUS_LABELS[value] ?? String(value);
    case "priority":
      return PRIORITY_LABELS[value] ?? String(value);
    case "phaseId":
      return phaseNames.get(value) ?? "another column";
    case "position":
      return String(Number(value) + 1); // people count from 1
    case "description":
      return String(value).length > 40 ? `${String(value).slice(0, 40)}…` : String(value);
    default:
      return String(value);
  }
}

/** "title “A” → “B”"-style text for a history entry's `changes` object. */
export function describeChanges(changes, phaseNames) {
  if (!changes || typeof changes !== "object") return "";
  return Object.entries(changes)
    .map(([field, change]) => {
      const from = describeValue(field, change?.from, phaseNames);
      const to = describeValue(field, change?.to, phaseNames);
      return `${FIELD_LABELS[field] ?? field}: ${from} → ${to}`;
    })
    .join("; ");
}

/** The local time of an RFC 3339 timestamp, or the text itself when it does not parse. */
export function formatTime(timestamp) {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return String(timestamp ?? "");
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString() : date.toLocaleString();
}
