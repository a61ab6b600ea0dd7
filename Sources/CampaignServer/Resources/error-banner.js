// The error area (role="alert"): the message of a rolled-back write, or of a failed load, until
// it is dismissed or replaced. On a 412 it says the task changed elsewhere and shows the newer version.

import { describeValue, PRIORITY_LABELS, STATUS_LABELS } from "./labels.js";

export function createErrorBanner(banner, { message, details, dismiss }) {
  dismiss.addEventListener("click", hide);

  function show(kind, text, detailText = "", data = {}) {
    banner.dataset.kind = kind;
    banner.dataset.status = String(data.status ?? "");
    banner.dataset.code = data.code ?? "";
    banner.dataset.taskId = data.taskId ?? "";
    message.textContent = text;
    details.textContent = detailText;
    details.hidden = !detailText;
    banner.hidden = false;
  }

  function hide() {
    banner.hidden = true;
  }

  /** A failed write from the client's `state.error`; `titleOf(taskId)` names the task. */
  function showWriteError(error, state, titleOf) {
    const title = titleOf(error.taskId);
    if (error.status === 412) {
      const task = state.tasks.find((candidate) => candidate.id === error.taskId);
      show("conflict", `Your change to “${title}” was undone: the task was changed elsewhere.`, describeNewer(task, state), error);
    } else if (error.status === 0) {
      show("write-error", `Your change to “${title}” was not applied: ${error.message}`, "", error);
    } else {
      show("write-error", `Your change to “${title}” was undone: ${error.message} (HTTP ${error.status}).`, "", error);
    }
  }

  return { show, hide, showWriteError };
}

function describeNewer(task, state) {
  if (!task) return "It has been deleted since.";
  const phase = state.phases.find((candidate) => candidate.id === task.phaseId)?.name ?? "another column";
  return (
    `Newer version (v${task.version}), in ${phase}: title “${task.title}”, ` +
    `status ${STATUS_LABELS[task.status] ?? task.status}, priority ${PRIORITY_LABELS[task.priority] ?? task.priority}, ` +
    `assignee ${describeValue("assignee", task.assignee)}, due ${describeValue("dueDate", task.dueDate)}.`
  );
}
