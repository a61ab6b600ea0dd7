/**
 * The campaign board at `/`: sign in with a token, pick or create a campaign, then work on its
 * tasks live. Built on campaign-client.js, which owns all campaign state; this file only wires
 * the page's parts together and decides which screen shows.
 *
 * data-testid attributes for browser tests (all stable):
 *   Screens:     token-screen, campaign-screen, board-screen
 *   Sign-in:     token-form, token-input, token-submit, token-message
 *   Header:      campaign-name, connection-status (data-state = connecting|live|reconnecting|offline,
 *                data-failures = failed reconnect attempts so far), reconnect-button, switch-campaign, signed-in-as, sign-out
 *   Errors:      error-banner (role="alert"; data-kind = conflict|write-error|error|notice, data-status,
 *                data-code, data-task-id), error-message, error-details, dismiss-error
 *   Campaigns:   campaign-list, campaign-option (data-campaign-id), campaign-list-message,
 *                retry-campaigns, new-campaign-form, new-campaign-name, create-campaign
 *   Board:       board, column-<phase name> (e.g. column-Planning; data-phase-id), column-count,
 *                task-list, new-task-button (one per column)
 *   Cards:       task-card (data-task-id, data-phase-id, data-position, data-version,
 *                data-pending = true|false), task-title, task-status (data-status),
 *                task-priority (data-priority), task-assignee, task-due-date, task-pending,
 *                edit-task, move-buttons (the group), move-left, move-right, move-up, move-down
 *                Keys on a focused card: Alt+Arrow moves it, Enter opens it, Delete asks to delete.
 *   Task form:   task-dialog, task-form, task-dialog-title, task-changed-notice, reload-task,
 *                task-title-input, task-description-input, task-status-input, task-priority-input,
 *                task-assignee-input, task-due-date-input, task-form-error, save-task, cancel-task,
 *                delete-task
 *   Delete:      confirm-delete-dialog, confirm-delete-message, confirm-delete, cancel-delete
 *   History:     history-feed, history-item (data-history-id, data-action, data-task-id),
 *                history-actor, history-action, history-task, history-changes, history-empty
 */

import { CampaignClient } from "../client/campaign-client.js";
import { API_BASE, createCampaign, listCampaigns } from "./api.js";
import { createBoardView } from "./board-view.js";
import { createCampaignsView } from "./campaigns-view.js";
import { attachDragAndDrop, attachKeyboard, stepTarget } from "./card-moves.js";
import { showConnection } from "./connection-view.js";
import { byTestId } from "./dom.js";
import { createErrorBanner } from "./error-banner.js";
import { createHistoryView } from "./history-view.js";
import * as session from "./session.js";
import { createTaskDialog } from "./task-dialog.js";

const screens = {
  token: byTestId("token-screen"),
  campaigns: byTestId("campaign-screen"),
  board: byTestId("board-screen"),
};
const header = {
  campaignName: byTestId("campaign-name"),
  connection: byTestId("connection-status"),
  reconnect: byTestId("reconnect-button"),
  switchCampaign: byTestId("switch-campaign"),
  signedInAs: byTestId("signed-in-as"),
  signOut: byTestId("sign-out"),
};
const tokenForm = byTestId("token-form");
const tokenInput = byTestId("token-input");
const tokenMessage = byTestId("token-message");
const boardElement = byTestId("board");

let client = null; // the open campaign's CampaignClient
let unsubscribe = null;
let shownError = null; // the state.error already put in the banner
let shownStreamError = null; // the refusal already acted on
const titles = new Map(); // taskId → last known title, to name deleted tasks in history and errors

const banner = createErrorBanner(byTestId("error-banner"), {
  message: byTestId("error-message"),
  details: byTestId("error-details"),
  dismiss: byTestId("dismiss-error"),
});

const claims = () => session.tokenClaims(session.currentToken());
// A viewer's writes would be refused (403): do not offer them. An unreadable token is left to the server.
const canEdit = () => claims()?.role !== "viewer";
const canCreateCampaigns = () => ["admin", undefined].includes(claims()?.role);
const titleOf = (taskId) => titles.get(taskId) ?? (taskId ? `task ${String(taskId).slice(0, 8)}` : "the task");

// ---- the board -------------------------------------------------------------------------------

const taskDialog = createTaskDialog(byTestId("task-dialog"), byTestId("confirm-delete-dialog"), {
  createTask: (fields) => client.createTask(fields),
  updateTask: (taskId, changes, options) => client.updateTask(taskId, changes, options),
  deleteTask: (taskId) => client.deleteTask(taskId),
});

function findTask(taskId) {
  return client?.state.tasks.find((task) => task.id === taskId) ?? null;
}

function moveTo(taskId, phaseId, position) {
  const task = findTask(taskId);
  if (!task || (task.phaseId === phaseId && task.position === position)) return; // not a move
  // A failure shows in the error banner through state.error.
  client.moveTask(taskId, phaseId, position).catch(() => {});
}

const boardView = createBoardView(boardElement, {
  onCreate: (phaseId) => {
    const phase = client?.state.phases.find((candidate) => candidate.id === phaseId);
    if (phase) taskDialog.openCreate(phase);
  },
  onOpen: (taskId) => {
    const task = findTask(taskId);
    if (task) taskDialog.openEdit(task, { canEdit: canEdit(), pending: client.state.pending.includes(taskId) });
  },
  onStep: (taskId, direction) => {
    const target = client && stepTarget(client.state, taskId, direction);
    if (target) moveTo(taskId, target.phaseId, target.position);
  },
});
attachKeyboard(boardElement, {
  canEdit,
  onStep: (taskId, direction) => {
    const target = client && stepTarget(client.state, taskId, direction);
    if (target) moveTo(taskId, target.phaseId, target.position);
  },
  onOpen: (taskId) => {
    const task = findTask(taskId);
    if (task) taskDialog.openEdit(task, { canEdit: canEdit(), pending: client.state.pending.includes(taskId) });
  },
  onDelete: (taskId) => {
    const task = findTask(taskId);
    if (task) taskDialog.confirmDelete(task);
  },
});
attachDragAndDrop(boardElement, { canEdit, onDrop: moveTo });

const historyView = createHistoryView(byTestId("history-feed"), byTestId("history-empty"), { titleOf });

function render(state) {
  // Before the titles are refreshed, so a failed write is named by the title the person saw.
  if (state.error && state.error !== shownError) banner.showWriteError(state.error, state, titleOf);
  shownError = state.error ?? shownError;
  for (const task of state.tasks) titles.set(task.id, task.title);
  header.campaignName.textContent = state.campaign?.name ?? "";
  document.title = state.campaign ? `${state.campaign.name} · Campaign board` : "Campaign board";
  boardView.render(state, { canEdit: canEdit() });
  historyView.render(state);
  showConnection(header.connection, state.connection, state);
  header.reconnect.hidden = state.connection !== "offline";
  taskDialog.sync(state);
  // The client retries network errors and 5xx answers by itself; "offline" with an error means the
  // server refused the stream (or the snapshot), which no retry would change.
  if (state.connection === "offline" && state.streamError && state.streamError !== shownStreamError) {
    shownStreamError = state.streamError;
    queueMicrotask(() => showRefusal(state.streamError));
  }
}

function showRefusal(error) {
  if (error.status === 401) {
    signOut("The server did not accept the token (it may have expired). Enter a new one.");
  } else if (error.status === 403 || error.status === 404) {
    session.navigateToCampaign(null);
    banner.show("error", `That campaign cannot be opened: ${error.message}`, "", error);
  } else {
    banner.show("error", `Live updates stopped: ${error.message}`, "Use Reconnect to try again.", error);
  }
}

function closeCampaign() {
  unsubscribe?.();
  unsubscribe = null;
  client?.stop();
  client = null;
  shownError = null;
  shownStreamError = null;
  taskDialog.closeAll();
  boardView.clear();
  historyView.clear();
  header.campaignName.textContent = "";
  showConnection(header.connection, "offline");
  header.reconnect.hidden = true;
}

function openCampaign(campaignId) {
  showScreen("board");
  if (client && client.state.campaign?.id === campaignId) return;
  closeCampaign();
  client = new CampaignClient({
    baseUrl: API_BASE,
    campaignId,
    token: () => session.currentToken(),
    onAuthExpiring: () => {
      // The board has no way to mint tokens: say so while the stream still runs.
      banner.show("notice", "Your access token expires within a minute. Sign out and sign in with a new token to stay live.");
    },
  });
  unsubscribe = client.subscribe(render);
  startClient();
}

function startClient() {
  banner.hide();
  // Failures to connect are retried by the client; a refusal shows through state (render).
  client.start().catch(() => {});
}

// ---- campaigns ------------------------------------------------------------------------------

const campaignsView = createCampaignsView(
  {
    list: byTestId("campaign-list"),
    message: byTestId("campaign-list-message"),
    form: byTestId("new-campaign-form"),
    nameInput: byTestId("new-campaign-name"),
  },
  {
    onOpen: (campaignId) => session.navigateToCampaign(campaignId),
    onCreate: async (name) => {
      try {
        const campaign = await createCampaign(session.currentToken(), name);
        byTestId("new-campaign-name").value = "";
        session.navigateToCampaign(campaign.id);
      } catch (error) {
        handleApiFailure(error, "Could not create the campaign");
      }
    },
  },
);

async function showCampaigns() {
  closeCampaign();
  showScreen("campaigns");
  campaignsView.setCanCreate(canCreateCampaigns());
  campaignsView.showLoading();
  byTestId("retry-campaigns").hidden = true;
  try {
    campaignsView.showCampaigns(await listCampaigns(session.currentToken()));
  } catch (error) {
    campaignsView.showFailure(`Could not list the campaigns: ${error.message}`);
    byTestId("retry-campaigns").hidden = false;
    handleApiFailure(error, "Could not list the campaigns");
  }
}

function handleApiFailure(error, what) {
  if (error.status === 401) signOut("The server did not accept the token (it may have expired). Enter a new one.");
  else banner.show("error", `${what}: ${error.message}`, "", error);
}

// ---- sign-in and screens ----------------------------------------------------------------------

function showScreen(name) {
  for (const [key, element] of Object.entries(screens)) element.hidden = key !== name;
  const signedIn = name !== "token";
  header.signOut.hidden = !signedIn;
  header.switchCampaign.hidden = name !== "board";
  header.connection.hidden = name !== "board";
  const who = claims();
  header.signedInAs.textContent = signedIn && who?.sub ? `${who.sub}${who.role ? ` (${who.role})` : ""}` : "";
}

function signOut(message = "") {
  closeCampaign();
  session.clearToken();
  tokenMessage.textContent = message;
  tokenMessage.hidden = !message;
  showScreen("token");
  tokenInput.focus();
}

/** Shows the screen the URL and the stored token call for. */
function route() {
  session.adoptTokenFromFragment();
  const token = session.currentToken();
  if (!token) return signOut(tokenMessage.textContent);
  if (session.isExpired(session.tokenClaims(token))) return signOut("Your token has expired. Enter a new one.");
  const campaignId = session.campaignFromFragment();
  if (campaignId) openCampaign(campaignId);
  else showCampaigns();
}

tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return;
  tokenInput.value = "";
  tokenMessage.hidden = true;
  tokenMessage.textContent = "";
  session.storeToken(token);
  route();
});
header.signOut.addEventListener("click", () => signOut("Signed out."));
header.switchCampaign.addEventListener("click", () => session.navigateToCampaign(null));
header.reconnect.addEventListener("click", () => client && startClient());
byTestId("retry-campaigns").addEventListener("click", showCampaigns);
window.addEventListener("hashchange", route);

route();
