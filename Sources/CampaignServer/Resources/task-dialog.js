// The task form (create and edit) and the delete confirmation, both native <dialog>s.
// An edit sends only the fields the person changed, with If-Match of the version the form was
// opened on: if someone else changed the task meanwhile, the server answers 412 and the board
// shows the newer version instead of silently overwriting it.

import { byTestId, h } from "./dom.js";
import { describeValue, PRIORITY_LABELS, STATUS_LABELS } from "./labels.js";

// docs/API.md's limits, counted in code points as the server counts them (maxlength counts UTF-16 units).
const TITLE_MAX_CODE_POINTS = 200;
const DESCRIPTION_MAX_CODE_POINTS = 10_000;
const ASSIGNEE_MAX_CODE_POINTS = 100;
const FIELDS = Object.freeze(["title", "description", "status", "priority", "assignee", "dueDate"]);

export function createTaskDialog(dialog, confirmDialog, { createTask, updateTask, deleteTask }) {
  const form = byTestId("task-form", dialog);
  const heading = byTestId("task-dialog-title", dialog);
  const notice = byTestId("task-changed-notice", dialog);
  const reloadButton = byTestId("reload-task", dialog);
  const formError = byTestId("task-form-error", dialog);
  const saveButton = byTestId("save-task", dialog);
  const deleteButton = byTestId("delete-task", dialog);
  const inputs = {
    title: byTestId("task-title-input", dialog),
    description: byTestId("task-description-input", dialog),
    status: byTestId("task-status-input", dialog),
    priority: byTestId("task-priority-input", dialog),
    assignee: byTestId("task-assignee-input", dialog),
    dueDate: byTestId("task-due-date-input", dialog),
  };
  inputs.status.replaceChildren(...Object.entries(STATUS_LABELS).map(([value, label]) => h("option", { value }, label)));
  inputs.priority.replaceChildren(...Object.entries(PRIORITY_LABELS).map(([value, label]) => h("option", { value }, label)));

  // What the open form is about: { mode: "create", phaseId } or { mode: "edit", task (the baseline), canEdit }.
  let subject = null;
  let pendingBefore = false;
  let deleting = null;

  function fill(task) {
    inputs.title.value = task?.title ?? "";
    inputs.description.value = task?.description ?? "";
    inputs.status.value = task?.status ?? "todo";
    inputs.priority.value = task?.priority ?? "medium";
    inputs.assignee.value = task?.assignee ?? "";
    inputs.dueDate.value = task?.dueDate ?? "";
  }

  function values() {
    return {
      title: inputs.title.value.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, ""),
      description: inputs.description.value,
      status: inputs.status.value,
      priority: inputs.priority.value,
      assignee: inputs.assignee.value.trim() || null,
      dueDate: inputs.dueDate.value || null,
    };
  }

  function setEditable(editable) {
    for (const input of Object.values(inputs)) input.disabled = !editable;
    saveButton.hidden = !editable;
  }

  function showFormError(text) {
    formError.textContent = text;
    formError.hidden = !text;
  }

  function open() {
    showFormError("");
    notice.hidden = true;
    reloadButton.hidden = true;
    if (!dialog.open) dialog.showModal();
    inputs.title.focus();
  }

  function openCreate(phase) {
    subject = { mode: "create", phaseId: phase.id };
    heading.textContent = `New task in ${phase.name}`;
    fill(null);
    setEditable(true);
    deleteButton.hidden = true;
    saveButton.textContent = "Create task";
    open();
  }

  function openEdit(task, { canEdit, pending }) {
    subject = { mode: "edit", task, canEdit };
    pendingBefore = pending;
    heading.textContent = canEdit ? "Edit task" : "Task";
    fill(task);
    setEditable(canEdit);
    deleteButton.hidden = !canEdit;
    deleteButton.disabled = false;
    saveButton.disabled = false;
    saveButton.textContent = "Save";
    open();
  }

  /** Keeps an open edit form honest about the task it edits, as the board changes under it. */
  function sync(state) {
    if (!dialog.open || subject?.mode !== "edit") return;
    const current = state.tasks.find((task) => task.id === subject.task.id);
    const pending = state.pending.includes(subject.task.id);
    if (!current) {
      notice.textContent = "This task was deleted elsewhere.";
      notice.hidden = false;
      reloadButton.hidden = true;
      saveButton.disabled = true;
      deleteButton.disabled = true;
    } else if (current.version !== subject.task.version) {
      if (pending || pendingBefore) {
        // Our own earlier write settling, not someone else's change: take it as the new baseline.
        subject = { ...subject, task: current };
      } else {
        const changed = FIELDS.filter((field) => current[field] !== subject.task[field]);
        const summary = changed.map((field) => `${field} ${describeValue(field, current[field])}`).join(", ");
        notice.textContent =
          `Changed elsewhere while you were editing (now version ${current.version}${summary ? `: ${summary}` : ""}). ` +
          "Saving now will be refused as a conflict; load the newer version to edit it.";
        notice.hidden = false;
        reloadButton.hidden = false;
      }
    }
    pendingBefore = pending;
    subject.latest = current ?? null;
  }

  reloadButton.addEventListener("click", () => {
    if (subject?.mode !== "edit" || !subject.latest) return;
    subject = { ...subject, task: subject.latest };
    fill(subject.task);
    notice.hidden = true;
    reloadButton.hidden = true;
    inputs.title.focus();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!subject) return;
    const fields = values();
    if (!fields.title) return showFormError("The title must not be empty.");
    if ([...fields.title].length > TITLE_MAX_CODE_POINTS) {
      return showFormError(`The title must be at most ${TITLE_MAX_CODE_POINTS} characters.`);
    }
    if ([...fields.description].length > DESCRIPTION_MAX_CODE_POINTS) {
      return showFormError(`The description must be at most ${DESCRIPTION_MAX_CODE_POINTS} characters.`);
    }
    if (fields.assignee && [...fields.assignee].length > ASSIGNEE_MAX_CODE_POINTS) {
      return showFormError(`The assignee must be at most ${ASSIGNEE_MAX_CODE_POINTS} characters.`);
    }
    // Failures reach the page through the client's state.error (the error banner), so the
    // promise's rejection is handled here only to keep it from being reported as unhandled.
    if (subject.mode === "create") {
      createTask({ phaseId: subject.phaseId, ...fields }).catch(() => {});
    } else {
      const baseline = subject.task;
      const changes = Object.fromEntries(FIELDS.filter((field) => fields[field] !== baseline[field]).map((field) => [field, fields[field]]));
      if (Object.keys(changes).length > 0) {
        // An unconfirmed task (version 0, its create still on its way) has no version to check.
        const options = baseline.version >= 1 ? { expectedVersion: baseline.version } : {};
        updateTask(baseline.id, changes, options).catch(() => {});
      }
    }
    close();
  });

  byTestId("cancel-task", dialog).addEventListener("click", close);
  dialog.addEventListener("close", () => {
    subject = null;
  });

  deleteButton.addEventListener("click", () => {
    if (subject?.mode === "edit") confirmDelete(subject.latest ?? subject.task);
  });

  function confirmDelete(task) {
    deleting = task;
    byTestId("confirm-delete-message", confirmDialog).textContent = `Delete “${task.title}”? This cannot be undone.`;
    confirmDialog.showModal();
    byTestId("cancel-delete", confirmDialog).focus();
  }

  byTestId("confirm-delete", confirmDialog).addEventListener("click", () => {
    if (deleting) deleteTask(deleting.id).catch(() => {});
    deleting = null;
    confirmDialog.close();
    close();
  });
  byTestId("cancel-delete", confirmDialog).addEventListener("click", () => {
    deleting = null;
    confirmDialog.close();
  });

  function close() {
    if (dialog.open) dialog.close();
    subject = null;
  }

  function closeAll() {
    if (confirmDialog.open) confirmDialog.close();
    deleting = null;
    close();
  }

  return { openCreate, openEdit, confirmDelete, sync, closeAll };
}
