/**
 * campaign-client.js — the browser client of the campaign execution API.
 *
 * A plain ES module with no dependencies: one `CampaignClient` per campaign keeps a live, immutable
 * view of the campaign (snapshot + Server-Sent Events) and writes tasks optimistically.
 * The contract is docs/CLIENT.md; the REST/SSE rules it relies on are docs/API.md.
 *
 *   import { CampaignClient } from "/client/campaign-client.js";
 *
 *   const client = new CampaignClient({
 *     baseUrl: "/api",
 *     campaignId,
 *     token: () => sessionStorage.getItem("token"),   // string, or a function returning a string or a Promise
 *     onAuthExpiring: async () => refreshMyToken(),   // optional; then token() is called again
 *     getToken: async () => refreshMyToken(),         // optional; asked after a 401 before giving up
 *   });
 *   const unsubscribe = client.subscribe((state) => render(state)); // now, then on every change
 *   await client.start();                                           // resolves once "live"
 *   const task = await client.createTask({ phaseId, title: "New creative asset" });
 *   await client.updateTask(task.id, { status: "in_progress" });
 *   await client.moveTask(task.id, otherPhaseId, 0);
 *   await client.deleteTask(task.id);
 *   client.stop();
 *
 * How it stays exact: `confirmed` is what the server said, built only from the snapshot and the
 * events in id order; every write in flight (or answered but not yet echoed by the stream) is an
 * "op" laid over it. The published state is confirmed + ops. A failed write removes its op (an exact
 * rollback that keeps everyone else's changes); an op leaves the overlay as soon as the confirmed
 * state reflects it (its echo arrived), so nothing is ever applied twice.
 * Writes to one task are sent one after another, each with `If-Match` of the version the previous
 * one produced, so quick successive edits do not conflict with each other.
 *
 * The stream reconnects by itself (with backoff and jitter) after network errors, 5xx answers and
 * dropped connections: campaign-stream.js owns the connection, this file what the events mean.
 *
 * Extras (all optional, in docs/CLIENT.md too): `fetchImpl` in the options, for tests or other
 * runtimes; `updateTask(id, changes, { expectedVersion })` to send `If-Match` with the version
 * an edit was based on (an edit form opened before someone else's change then gets the 412 it deserves).
 * Types: campaign-client.d.ts beside this file.
 */

import { LiveStream, errorFromResponse, makeError, parseData } from "./campaign-stream.js";
import { SharedCampaignStream, sharedStreamHub } from "./campaign-shared-stream.js";

const LOG_PREFIX = "[CampaignExecutionService]";

// docs/API.md, "Resources": the limits the server enforces, checked here so a bad write sends nothing.
const TITLE_MAX_CODE_POINTS = 200;
const DESCRIPTION_MAX_CODE_POINTS = 10_000;
const ASSIGNEE_MAX_CODE_POINTS = 100;
const STATUSES = Object.freeze(["todo", "in_progress", "blocked", "done"]);
const PRIORITIES = Object.freeze(["low", "medium", "high", "urgent"]);
const EDITABLE_FIELDS = Object.freeze(["title", "description", "status", "priority", "assignee", "dueDate"]);
const CREATE_FIELDS = Object.freeze(["id", "phaseId", "position", ...EDITABLE_FIELDS]);
const TASK_EVENTS = Object.freeze(["task-created", "task-updated", "task-moved", "task-deleted"]);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function log(...parts) {
  console.debug(LOG_PREFIX, ...parts);
}

// ---------------------------------------------------------------------------------------------
// Immutable values
// ---------------------------------------------------------------------------------------------

/** A frozen deep copy of a JSON value, so nothing handed out (or handed in by a caller) is shared. */
function frozenCopy(value) {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy));
  if (value !== null && typeof value === "object") {
    const copy = {};
    for (const [key, member] of Object.entries(value)) copy[key] = frozenCopy(member);
    return Object.freeze(copy);
  }
  return value;
}

function withPosition(task, position) {
  return task.position === position ? task : Object.freeze({ ...task, position });
}

class ClientFailure extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// The board as columns: Map<phaseId, frozen Task[]> in position order. Every function returns a
// new Map and never changes its input; tasks whose position is unchanged keep their identity.
// Positions follow the server exactly: 0..n-1 per phase, inserts clamped to the phase's size.
// ---------------------------------------------------------------------------------------------

function columnsFromTasks(tasks) {
  const columns = new Map();
  for (const task of tasks) {
    if (!columns.has(task.phaseId)) columns.set(task.phaseId, []);
    columns.get(task.phaseId).push(task);
  }
  for (const [phaseId, list] of columns) {
    list.sort((a, b) => a.position - b.position);
    columns.set(phaseId, renumbered(list));
  }
  return columns;
}

function renumbered(list) {
  return Object.freeze(list.map((task, index) => withPosition(task, index)));
}

function findTask(columns, taskId) {
  for (const list of columns.values()) {
    const task = list.find((candidate) => candidate.id === taskId);
    if (task) return task;
  }
  return null;
}

function removeTask(columns, taskId) {
  const current = findTask(columns, taskId);
  if (!current) return columns;
  const next = new Map(columns);
  next.set(current.phaseId, renumbered(columns.get(current.phaseId).filter((task) => task.id !== taskId)));
  return next;
}

/** Removes the task wherever it is, inserts it into `task.phaseId` at the clamped `position`
 *  (end of the phase when `position` is null), and renumbers both phases. */
function placeTask(columns, task, position) {
  const next = removeTask(columns, task.id);
  const others = next.get(task.phaseId) ?? [];
  const index = position == null ? others.length : Math.min(Math.max(0, position), others.length);
  const list = [...others.slice(0, index), task, ...others.slice(index)];
  const result = new Map(next);
  result.set(task.phaseId, renumbered(list));
  return result;
}

/** Replaces a task's fields where it stands (an update never moves a task). */
function replaceInPlace(columns, task) {
  const current = findTask(columns, task.id);
  if (!current) return columns;
  const next = new Map(columns);
  const list = columns.get(current.phaseId).map((candidate) =>
    candidate.id === task.id ? Object.freeze({ ...task, phaseId: current.phaseId, position: current.position }) : candidate,
  );
  next.set(current.phaseId, Object.freeze(list));
  return next;
}

/** Every task ordered by phase position, then task position (tasks of an unknown phase last). */
function orderedTasks(phases, columns) {
  const tasks = [];
  const seen = new Set();
  for (const phase of phases) {
    seen.add(phase.id);
    tasks.push(...(columns.get(phase.id) ?? []));
  }
  const strays = [...columns.keys()].filter((phaseId) => !seen.has(phaseId)).sort();
  for (const phaseId of strays) tasks.push(...columns.get(phaseId));
  return Object.freeze(tasks);
}

// ---------------------------------------------------------------------------------------------
// Validation (docs/API.md, "Resources"), so that a write the server would refuse never leaves
// ---------------------------------------------------------------------------------------------

function codePointLength(text) {
  return [...text].length;
}

/** Trims Unicode White_Space, as the server does (String.prototype.trim differs at U+0085 and U+FEFF). */
function trimWhiteSpace(text) {
  return text.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, "");
}

function isCalendarDate(text) {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Checks the editable fields present in `fields`; returns them normalised (title trimmed). */
function validatedFields(fields) {
  const result = {};
  if ("title" in fields) {
    if (typeof fields.title !== "string") throw new ClientFailure("validation_failed", "title: expected a string");
    const title = trimWhiteSpace(fields.title);
    if (title.length === 0) throw new ClientFailure("validation_failed", "title: must not be empty");
    if (codePointLength(title) > TITLE_MAX_CODE_POINTS) {
      throw new ClientFailure("validation_failed", `title: must be at most ${TITLE_MAX_CODE_POINTS} characters`);
    }
    result.title = title;
  }
  if ("description" in fields) {
    const { description } = fields;
    if (typeof description !== "string") throw new ClientFailure("validation_failed", "description: expected a string");
    if (codePointLength(description) > DESCRIPTION_MAX_CODE_POINTS) {
      throw new ClientFailure("validation_failed", `description: must be at most ${DESCRIPTION_MAX_CODE_POINTS} characters`);
    }
    result.description = description;
  }
  if ("status" in fields) {
    if (!STATUSES.includes(fields.status)) throw new ClientFailure("validation_failed", `status: must be one of ${STATUSES.join(", ")}`);
    result.status = fields.status;
  }
  if ("priority" in fields) {
    if (!PRIORITIES.includes(fields.priority)) {
      throw new ClientFailure("validation_failed", `priority: must be one of ${PRIORITIES.join(", ")}`);
    }
    result.priority = fields.priority;
  }
  if ("assignee" in fields) {
    const { assignee } = fields;
    if (assignee !== null && typeof assignee !== "string") {
      throw new ClientFailure("validation_failed", "assignee: expected a string or null");
    }
    if (assignee !== null && codePointLength(assignee) > ASSIGNEE_MAX_CODE_POINTS) {
      throw new ClientFailure("validation_failed", `assignee: must be at most ${ASSIGNEE_MAX_CODE_POINTS} characters`);
    }
    result.assignee = assignee;
  }
  if ("dueDate" in fields) {
    const { dueDate } = fields;
    if (dueDate !== null && (typeof dueDate !== "string" || !isCalendarDate(dueDate))) {
      throw new ClientFailure("validation_failed", "dueDate: must be a date as YYYY-MM-DD or null");
    }
    result.dueDate = dueDate;
  }
  return result;
}

function rejectUnknownFields(fields, allowed) {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new ClientFailure("validation_failed", "expected an object of task fields");
  }
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) throw new ClientFailure("validation_failed", `${key}: unknown field`);
  }
}

function checkedPosition(position) {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new ClientFailure("validation_failed", "position: must be an integer ≥ 0");
  }
  return position;
}

/** A random (version 4) UUID; `crypto.randomUUID` exists only in secure contexts, so fall back. */
function makeUuid() {
  if (typeof globalThis.crypto?.randomUUID === "function") return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Ops: pending writes laid over the confirmed state
// kind: "create" | "update" | "move" | "delete", or "known" (a 412's current task, shown until the
// stream catches up). stage: "queued" (waits for an earlier write of its task), "sent", "settled".
// ---------------------------------------------------------------------------------------------

function applyOp(columns, op) {
  const existing = findTask(columns, op.taskId);
  switch (op.kind) {
    case "create": {
      if (existing) return columns;
      const task = op.result ?? op.task;
      return placeTask(columns, task, op.result ? op.result.position : op.position);
    }
    case "update": {
      if (!existing) return columns;
      return replaceInPlace(columns, op.result ?? Object.freeze({ ...existing, ...op.changes }));
    }
    case "move": {
      if (!existing) return columns;
      if (op.result) return placeTask(columns, op.result, op.result.position);
      return placeTask(columns, Object.freeze({ ...existing, phaseId: op.phaseId }), op.position);
    }
    case "delete":
      return removeTask(columns, op.taskId);
    case "known": {
      const current = op.result;
      if (existing && existing.phaseId === current.phaseId && existing.position === current.position) {
        return replaceInPlace(columns, current);
      }
      return placeTask(columns, current, current.position);
    }
    default:
      return columns;
  }
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

export class CampaignClient {
  #baseUrl;
  #campaignId;
  #tokenSource;
  #onAuthExpiring;
  #getToken;
  #fetch;

  // What the server said: snapshot + events, in id order.
  #campaign = null;
  #phases = Object.freeze([]);
  #confirmed = new Map();
  #history = Object.freeze([]);
  #historyIds = new Set();
  #deletedIds = new Set();
  #lastEventId = 0;

  // Writes not yet reflected by the confirmed state, in call order.
  #ops = [];
  #opSequence = 0;
  #clock = 0; // orders settlements against snapshot requests
  #chains = new Map(); // taskId → promise of the outcome of its latest write
  #inFlight = new Map(); // taskId → number of writes not yet answered

  // The stream.
  #stream; // the LiveStream (campaign-stream.js): connects, reconnects, reads events
  #connection = "connecting";
  #reconnect = null; // { failures, retryAt } while reconnecting
  #streamError = null; // why the stream last failed (null once connected)
  #needsSnapshot = true; // the next connection attempt loads a snapshot first (start, resync)
  #clientId = null;
  #ownClientIds = new Set(); // every clientId this client had: echoes of writes sent before a reconnect
  #streamToken = null; // the token of the latest connection attempt
  #session = 0; // bumped by start() and stop(): late callbacks of an older session are ignored
  #running = false;
  #starting = null;
  #liveWaiter = null;

  #error = null;
  #state;
  #listeners = new Set();

  /**
   * @param {object} options
   * @param {string} options.baseUrl where the REST API and /events live, e.g. "/api"
   * @param {string} options.campaignId
   * @param {string | Promise<string> | (() => string | Promise<string>)} options.token
   * @param {() => unknown} [options.onAuthExpiring] awaited on `auth-expiring`, before token() is asked again
   * @param {() => string | void | Promise<string | void>} [options.getToken] asked after a 401, before giving up
   * @param {typeof fetch} [options.fetchImpl]
   * @param {boolean} [options.shared] share one stream with every shared client of every tab (campaign-shared-stream.js)
   */
  constructor({ baseUrl, campaignId, token, onAuthExpiring, getToken, fetchImpl, shared } = {}) {
    if (typeof baseUrl !== "string") throw new TypeError("CampaignClient: baseUrl must be a string");
    if (typeof campaignId !== "string" || campaignId.length === 0) {
      throw new TypeError("CampaignClient: campaignId must be a non-empty string");
    }
    this.#baseUrl = baseUrl.replace(/\/+$/, "");
    this.#campaignId = campaignId;
    this.#tokenSource = token;
    this.#onAuthExpiring = onAuthExpiring;
    this.#getToken = getToken;
    // window.fetch must be called with the window as `this`.
    this.#fetch = fetchImpl ?? ((...args) => globalThis.fetch(...args));
    this.#stream = shared
      ? new SharedCampaignStream({
          hub: sharedStreamHub({ baseUrl: this.#baseUrl, token, fetchImpl: this.#fetch }),
          campaignId,
          prepare: () => this.#prepareConnection(),
          onEvent: (event) => this.#onStreamEvent(event),
          onStatus: (status) => this.#onStreamStatus(status),
          onGap: () => {
            this.#needsSnapshot = true;
          },
          lastEventId: () => this.#lastEventId,
        })
      : new LiveStream({
          fetch: this.#fetch,
          prepare: () => this.#prepareConnection(),
          onEvent: (event) => this.#onStreamEvent(event),
          onUnauthorized: () => this.#renewAfterUnauthorized(),
          onStatus: (status) => this.#onStreamStatus(status),
        });
    this.#state = this.#buildState();
  }

  /** The current state; a new frozen object on every change. */
  get state() {
    return this.#state;
  }

  /** Calls `listener(state)` now and on every change; returns the function that unsubscribes. */
  subscribe(listener) {
    if (typeof listener !== "function") throw new TypeError("CampaignClient.subscribe: listener must be a function");
    this.#listeners.add(listener);
    this.#notify(listener, this.#state);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Loads the snapshot and opens the stream from its lastEventId; resolves once "live". Network
   *  errors and 5xx answers are retried with backoff meanwhile; rejects when the server refuses. */
  start() {
    if (this.#starting) return this.#starting;
    if (this.#running) return Promise.resolve();
    const session = ++this.#session;
    this.#running = true;
    this.#needsSnapshot = true;
    this.#streamError = null;
    this.#reconnect = null;
    log("starting", { campaignId: this.#campaignId });
    const started = new Promise((resolve, reject) => {
      this.#liveWaiter = { resolve, reject };
    });
    this.#starting = started;
    started.then(
      () => {},
      (error) => log("start failed", error),
    ).finally(() => {
      // A stop() and a new start() may have happened meanwhile: leave the newer session's fields alone.
      if (session === this.#session) {
        this.#liveWaiter = null;
        this.#starting = null;
      }
    });
    this.#stream.start();
    this.#setConnection("connecting");
    return started;
  }

  /** Closes the stream; the state stays readable (and writes still work over REST). */
  stop() {
    this.#session += 1;
    this.#running = false;
    this.#starting = null;
    this.#stream.stop();
    this.#reconnect = null;
    this.#liveWaiter?.reject(makeError(0, "stopped", "the client was stopped", null));
    this.#liveWaiter = null;
    log("stopped", { campaignId: this.#campaignId });
    this.#setConnection("offline");
  }

  /** Creates a task (optimistically, with a client-made id); resolves with the server's task. */
  createTask(input) {
    let draft;
    try {
      rejectUnknownFields(input, CREATE_FIELDS);
      draft = { ...validatedFields(input) };
      if (!("title" in input)) throw new ClientFailure("validation_failed", "title: is required");
      if (!this.#phases.some((phase) => phase.id === input.phaseId)) {
        throw new ClientFailure("unknown_phase", "phaseId: not a phase of this campaign");
      }
      if (input.id !== undefined && (typeof input.id !== "string" || !UUID_PATTERN.test(input.id))) {
        throw new ClientFailure("validation_failed", "id: must be a UUID");
      }
      if (input.position !== undefined && input.position !== null) checkedPosition(input.position);
    } catch (failure) {
      return this.#rejectLocally(failure, typeof input?.id === "string" ? input.id : null);
    }
    const id = (input.id ?? makeUuid()).toLowerCase();
    if (findTask(this.#visibleColumns(), id) || this.#deletedIds.has(id)) {
      return this.#rejectLocally(new ClientFailure("duplicate_id", "id: a task with this id exists or existed"), id);
    }
    const now = new Date().toISOString();
    const task = Object.freeze({
      id,
      campaignId: this.#campaignId,
      phaseId: input.phaseId,
      title: draft.title,
      description: draft.description ?? "",
      status: draft.status ?? "todo",
      priority: draft.priority ?? "medium",
      assignee: draft.assignee ?? null,
      dueDate: draft.dueDate ?? null,
      position: 0, // renumbered when placed
      version: 0, // not confirmed yet; the server starts at 1
      createdAt: now,
      updatedAt: now,
    });
    const body = { id, phaseId: input.phaseId, ...draft };
    if (input.position != null) body.position = input.position;
    const op = this.#addOp({ kind: "create", taskId: id, task, position: input.position ?? null });
    return this.#write(op, () => ({ method: "POST", path: `/campaigns/${this.#campaignPath}/tasks`, body }));
  }

  /** Changes fields of a task (optimistically, with If-Match); resolves with the server's task.
   *  `options.expectedVersion`: the version the change was based on (default: the one the client holds). */
  updateTask(taskId, changes, { expectedVersion } = {}) {
    let fields;
    try {
      rejectUnknownFields(changes, EDITABLE_FIELDS);
      fields = validatedFields(changes);
      if (expectedVersion !== undefined && (!Number.isSafeInteger(expectedVersion) || expectedVersion < 1)) {
        throw new ClientFailure("validation_failed", "expectedVersion: must be a version number");
      }
      this.#requireVisibleTask(taskId);
    } catch (failure) {
      return this.#rejectLocally(failure, taskId);
    }
    const op = this.#addOp({ kind: "update", taskId, changes: Object.freeze(fields), expectedVersion });
    return this.#write(op, () => ({
      method: "PATCH",
      path: `/campaigns/${this.#campaignPath}/tasks/${encodeURIComponent(taskId)}`,
      body: fields,
    }));
  }

  /** Moves a task to `position` (clamped) in `phaseId`; resolves with the server's task. */
  moveTask(taskId, phaseId, position) {
    try {
      if (!this.#phases.some((phase) => phase.id === phaseId)) {
        throw new ClientFailure("unknown_phase", "phaseId: not a phase of this campaign");
      }
      checkedPosition(position);
      this.#requireVisibleTask(taskId);
    } catch (failure) {
      return this.#rejectLocally(failure, taskId);
    }
    const op = this.#addOp({ kind: "move", taskId, phaseId, position });
    return this.#write(op, () => ({
      method: "POST",
      path: `/campaigns/${this.#campaignPath}/tasks/${encodeURIComponent(taskId)}/move`,
      body: { phaseId, position },
    }));
  }

  /** Deletes a task (optimistically, with If-Match); resolves with nothing. */
  deleteTask(taskId) {
    try {
      this.#requireVisibleTask(taskId);
    } catch (failure) {
      return this.#rejectLocally(failure, taskId);
    }
    const op = this.#addOp({ kind: "delete", taskId });
    return this.#write(op, () => ({
      method: "DELETE",
      path: `/campaigns/${this.#campaignPath}/tasks/${encodeURIComponent(taskId)}`,
    })).then(() => undefined);
  }

  // ---- writes -------------------------------------------------------------------------------

  get #campaignPath() {
    return encodeURIComponent(this.#campaignId);
  }

  #requireVisibleTask(taskId) {
    if (typeof taskId !== "string" || !findTask(this.#visibleColumns(), taskId)) {
      throw new ClientFailure("task_not_found", "no such task on this board");
    }
  }

  #addOp(fields) {
    const heldVersion = findTask(this.#visibleColumns(), fields.taskId)?.version ?? null;
    const op = { ...fields, sequence: ++this.#opSequence, stage: "queued", heldVersion, ifMatch: null, result: null };
    this.#ops.push(op);
    return op;
  }

  /** Sends `op` once the earlier writes of its task are answered; the state already shows it. */
  #write(op, describeRequest) {
    const previous = this.#chains.get(op.taskId);
    this.#inFlight.set(op.taskId, (this.#inFlight.get(op.taskId) ?? 0) + 1);
    this.#publish();
    const outcome = (async () => {
      const before = previous ? await previous : null;
      return this.#perform(op, describeRequest(), before);
    })();
    this.#chains.set(op.taskId, outcome);
    outcome.then(() => {
      if (this.#chains.get(op.taskId) === outcome) this.#chains.delete(op.taskId);
    });
    return outcome.then((result) => (result.ok ? result.task : Promise.reject(result.error)));
  }

  /** Sends one write and folds its answer into the state. Never throws: returns an outcome. */
  async #perform(op, request, before) {
    const outcome = await this.#attempt(op, request, before);
    const remaining = this.#inFlight.get(op.taskId) - 1;
    if (remaining > 0) this.#inFlight.set(op.taskId, remaining);
    else this.#inFlight.delete(op.taskId);
    if (outcome.ok) {
      this.#settle(op, outcome.task ?? null);
      this.#error = null;
      log(`${op.kind} task: done`, { taskId: op.taskId, version: outcome.version });
    } else {
      this.#rollBack(op, outcome.error.status === 412 ? outcome.current : null);
      this.#error = outcome.error;
      log(`${op.kind} task: failed, rolled back`, outcome.error);
    }
    this.#publish();
    return outcome;
  }

  /** The request itself: `{ ok, task, version, ifMatch }` or `{ ok: false, error, current, ifMatch }`. */
  async #attempt(op, request, before) {
    // The version this write is based on: the caller's, else what the previous write of this task
    // produced (or was based on, if it failed), else what the client held when the write was made.
    const ifMatch =
      op.expectedVersion ?? (before ? (before.ok ? before.version : before.ifMatch) : op.heldVersion);
    try {
      if (op.kind !== "create" && !findTask(this.#columnsBefore(op), op.taskId)) {
        throw new ClientFailure("task_not_found", "the task no longer exists");
      }
      let token;
      try {
        token = await this.#resolveToken();
      } catch (failure) {
        throw new ClientFailure("token_unavailable", `no token: ${failure?.message ?? failure}`);
      }
      op.stage = "sent";
      op.ifMatch = op.kind === "create" ? null : ifMatch;
      log(`${op.kind} task: sending`, { taskId: op.taskId, ifMatch: op.ifMatch });
      let response;
      try {
        response = await this.#request(request.method, request.path, { body: request.body, ifMatch: op.ifMatch, token });
      } catch (failure) {
        // Whether it reached the server is unknown; if it did, its event will still bring it in.
        const error = makeError(0, "network_error", `the request failed: ${failure?.message ?? failure}`, op.taskId);
        return { ok: false, error, current: null, ifMatch };
      }
      if (!response.ok) {
        const { error, current } = await errorFromResponse(response, op.taskId);
        return { ok: false, error, current: current ? frozenCopy(current) : null, ifMatch };
      }
      const task = response.status === 204 ? undefined : frozenCopy(await response.json());
      return { ok: true, task, version: task?.version ?? null, ifMatch };
    } catch (failure) {
      const error =
        failure instanceof ClientFailure
          ? makeError(0, failure.code, failure.message, op.taskId)
          : makeError(0, "client_error", String(failure?.message ?? failure), op.taskId);
      return { ok: false, error, current: null, ifMatch };
    }
  }

  /** The write succeeded: its op now shows the server's task until the stream reflects it. */
  #settle(op, task) {
    op.stage = "settled";
    op.result = task;
    op.settledAt = ++this.#clock;
    if (this.#ops.includes(op) && this.#isReflected(op)) this.#removeOp(op);
  }

  /** Undoes exactly what `op` changed; after a 412 the task shows the server's current version. */
  #rollBack(op, current) {
    const index = this.#ops.indexOf(op);
    if (index >= 0) this.#ops.splice(index, 1);
    if (!current || current.id !== op.taskId) return;
    const known = {
      kind: "known",
      taskId: op.taskId,
      sequence: op.sequence,
      stage: "settled",
      result: current,
      settledAt: ++this.#clock,
    };
    // Keep call order: later writes of this task still apply on top of the server's version.
    const after = this.#ops.findIndex((candidate) => candidate.sequence > op.sequence);
    this.#ops.splice(after < 0 ? this.#ops.length : after, 0, known);
  }

  #removeOp(op) {
    const index = this.#ops.indexOf(op);
    if (index >= 0) this.#ops.splice(index, 1);
  }

  /** Whether the confirmed state already contains what `op` did (its echo arrived). */
  #isReflected(op) {
    if (op.stage === "queued") return false;
    const confirmed = findTask(this.#confirmed, op.taskId);
    const deleted = this.#deletedIds.has(op.taskId);
    switch (op.kind) {
      case "create":
        return deleted || confirmed !== null;
      case "update":
      case "move": {
        const expected = op.result?.version ?? op.ifMatch + 1;
        return deleted || (confirmed !== null && confirmed.version >= expected);
      }
      case "delete":
        return deleted;
      case "known":
        return deleted || (confirmed !== null && confirmed.version >= op.result.version);
      default:
        return false;
    }
  }

  #dropReflectedOps() {
    this.#ops = this.#ops.filter((op) => !this.#isReflected(op));
  }

  #rejectLocally(failure, taskId) {
    const error =
      failure instanceof ClientFailure
        ? makeError(0, failure.code, failure.message, taskId)
        : makeError(0, "client_error", String(failure?.message ?? failure), taskId);
    this.#error = error;
    log("write refused before sending", error);
    this.#publish();
    return Promise.reject(error);
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  async #resolveToken() {
    const source = this.#tokenSource;
    const value = typeof source === "function" ? await source() : await source;
    return value == null ? "" : String(value);
  }

  #request(method, path, { body, ifMatch, token }) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (ifMatch != null) headers["If-Match"] = `"${ifMatch}"`;
    if (this.#clientId) headers["X-Client-Id"] = this.#clientId;
    return this.#fetch(`${this.#baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  // ---- snapshot -----------------------------------------------------------------------------

  async #loadSnapshot(session, token) {
    const requestedAt = ++this.#clock;
    let response;
    try {
      response = await this.#request("GET", `/campaigns/${this.#campaignPath}/execution`, { token });
    } catch (failure) {
      throw makeError(0, "network_error", `the snapshot request failed: ${failure?.message ?? failure}`, null);
    }
    if (!response.ok) throw (await errorFromResponse(response, null)).error;
    const snapshot = await response.json();
    if (session !== this.#session) return;
    this.#applySnapshot(snapshot, requestedAt);
  }

  #applySnapshot(snapshot, requestedAt) {
    this.#campaign = frozenCopy(snapshot.campaign);
    this.#phases = Object.freeze(frozenCopy(snapshot.phases ?? []).slice().sort((a, b) => a.position - b.position));
    this.#confirmed = columnsFromTasks((snapshot.tasks ?? []).map(frozenCopy));
    this.#lastEventId = Number(snapshot.lastEventId ?? 0);
    // Keep entries we already had that fell out of the snapshot's newest 50: each entry exactly once.
    const entries = (snapshot.history ?? []).map(frozenCopy);
    const snapshotIds = new Set(entries.map((entry) => entry.id));
    const older = this.#history.filter((entry) => !snapshotIds.has(entry.id));
    this.#history = Object.freeze([...entries, ...older]);
    this.#historyIds = new Set(this.#history.map((entry) => entry.id));
    // A write answered before this snapshot was requested is in it.
    this.#ops = this.#ops.filter((op) => !(op.stage === "settled" && op.settledAt < requestedAt));
    this.#dropReflectedOps();
    log("snapshot loaded", { tasks: snapshot.tasks?.length ?? 0, lastEventId: this.#lastEventId });
    this.#publish();
  }

  // ---- stream (the connection itself is campaign-stream.js's LiveStream) ---------------------

  /** Before every connection attempt: the token, a snapshot when one is due, the stream's URL. */
  async #prepareConnection() {
    const session = this.#session;
    let token;
    try {
      token = await this.#resolveToken();
    } catch (failure) {
      log("no token for the stream", String(failure?.message ?? failure));
      throw makeError(0, "token_unavailable", `no token: ${failure?.message ?? failure}`, null);
    }
    this.#streamToken = token;
    if (this.#needsSnapshot) {
      await this.#loadSnapshot(session, token);
      if (session === this.#session) this.#needsSnapshot = false;
    }
    const query = new URLSearchParams({ lastEventId: String(this.#lastEventId) });
    if (token) query.set("access_token", token);
    log("stream opening", { lastEventId: this.#lastEventId });
    return { url: `${this.#baseUrl}/events/${this.#campaignPath}?${query}` };
  }

  #onStreamEvent(event) {
    switch (event.type) {
      case "connected":
        return this.#onConnected(event);
      case "resync":
        return this.#resync();
      case "auth-expiring":
        return this.#renewStream();
      case "overloaded":
        return log("server overloaded; reconnecting after its retryMs", parseData(event.data));
      default:
        if (TASK_EVENTS.includes(event.type) || event.type === "history-update") this.#onChangeEvent(event.type, event);
    }
  }

  /** The stream's own news: trying, waiting to retry, or given up (a refusal). */
  #onStreamStatus({ connection, failures, retryAt, error }) {
    if (connection === "offline") {
      log("stream refused; giving up", error);
      this.#running = false;
      this.#reconnect = null;
      this.#streamError = error;
      this.#liveWaiter?.reject(error);
      this.#connection = "offline";
      this.#publish();
      return;
    }
    if (connection === "reconnecting" && retryAt) log("stream failed; reconnecting", { failures, retryAt, error });
    this.#reconnect = connection === "reconnecting" ? Object.freeze({ failures, retryAt }) : null;
    this.#streamError = error;
    this.#connection = connection;
    this.#publish();
  }

  /** After a 401: getToken() (if given) may bring a new token; true when there is one to try. */
  async #renewAfterUnauthorized() {
    if (typeof this.#getToken !== "function") return false;
    const refused = this.#streamToken;
    log("the server refused the token; asking getToken()");
    try {
      const fresh = await this.#getToken();
      if (typeof fresh === "string" && fresh !== "") this.#tokenSource = fresh;
      const next = await this.#resolveToken();
      return next !== "" && next !== refused;
    } catch (failure) {
      log("getToken failed", String(failure?.message ?? failure));
      return false;
    }
  }

  #onConnected(event) {
    const data = parseData(event.data);
    if (typeof data?.clientId === "string") {
      this.#clientId = data.clientId;
      this.#ownClientIds.add(data.clientId);
    }
    log("SSE connected", { clientId: this.#clientId, serverLastEventId: data?.lastEventId });
    this.#liveWaiter?.resolve();
    this.#reconnect = null;
    this.#streamError = null;
    this.#connection = "live";
    this.#publish();
    if (Number.isSafeInteger(data?.lastEventId) && data.lastEventId < this.#lastEventId) {
      // The server's newest event is older than one we applied: it lost events we hold
      // (e.g. its event log was reset), so nothing it replays can be trusted to line up.
      log("server is behind this client; refetching the snapshot", { server: data.lastEventId, client: this.#lastEventId });
      this.#resync();
    }
  }

  #onChangeEvent(type, event) {
    const data = parseData(event.data);
    if (!data) {
      log(`${type}: unreadable data, ignored`);
      return;
    }
    const eventId = Number(data.eventId ?? event.lastEventId);
    if (!Number.isSafeInteger(eventId)) {
      log(`${type}: no event id, ignored`);
      return;
    }
    if (eventId <= this.#lastEventId) {
      log(`${type} ${eventId}: already applied, skipped`);
      return;
    }
    if (data.campaignId && data.campaignId !== this.#campaignId) return;
    this.#applyChange(type, data);
    this.#lastEventId = eventId;
    const echo = data.origin != null && this.#ownClientIds.has(data.origin);
    // Our own change is already on screen as an op: it leaves the overlay now, so it shows once.
    this.#dropReflectedOps();
    log(`${type} ${eventId}${echo ? " (echo of our own write)" : ""}`);
    this.#publish();
  }

  /** Applies one event to the confirmed state, exactly as the server changed its tables. */
  #applyChange(type, data) {
    switch (type) {
      case "task-created":
      case "task-updated":
      case "task-moved": {
        const task = frozenCopy(data.task);
        if (!task?.id || this.#deletedIds.has(task.id)) return;
        this.#confirmed = placeTask(this.#confirmed, task, task.position);
        return;
      }
      case "task-deleted":
        this.#deletedIds.add(data.taskId);
        this.#confirmed = removeTask(this.#confirmed, data.taskId);
        return;
      case "history-update": {
        const entry = frozenCopy(data.entry);
        if (!entry?.id || this.#historyIds.has(entry.id)) return;
        this.#historyIds.add(entry.id);
        this.#history = Object.freeze([entry, ...this.#history]);
        return;
      }
    }
  }

  /** `resync`: the server no longer has the events we missed; start over from a new snapshot
   *  (a failed refetch is retried like a failed connection). */
  #resync() {
    log("resync requested; refetching the snapshot");
    this.#needsSnapshot = true;
    this.#stream.reconnectNow();
  }

  /** `auth-expiring`: get a fresh token while the old stream still runs, then resume from lastEventId. */
  async #renewStream() {
    log("auth expiring; renewing the token");
    const session = this.#session;
    const used = this.#streamToken;
    try {
      await this.#onAuthExpiring?.();
    } catch (failure) {
      log("onAuthExpiring failed", String(failure?.message ?? failure));
    }
    if (session !== this.#session) return;
    let token;
    try {
      token = await this.#resolveToken();
    } catch (failure) {
      log("no fresh token after auth-expiring", String(failure?.message ?? failure));
      return;
    }
    if (session !== this.#session || this.#streamToken !== used) return;
    if (token === used) {
      // Reconnecting with the same token would only be told again at once: keep this stream
      // until the server ends it (the reconnect then meets a 401, which asks getToken()).
      log("no fresh token; the stream ends when the token expires");
      return;
    }
    this.#stream.reconnectNow();
  }

  // ---- state --------------------------------------------------------------------------------

  #visibleColumns() {
    return this.#ops.reduce(applyOp, this.#confirmed);
  }

  /** The board as `op` finds it: the confirmed state with the writes made before it. */
  #columnsBefore(op) {
    return this.#ops.filter((candidate) => candidate.sequence < op.sequence).reduce(applyOp, this.#confirmed);
  }

  #setConnection(connection) {
    if (this.#connection === connection) return;
    this.#connection = connection;
    this.#publish();
  }

  #buildState() {
    return Object.freeze({
      campaign: this.#campaign,
      phases: this.#phases,
      tasks: orderedTasks(this.#phases, this.#visibleColumns()),
      history: this.#history,
      lastEventId: this.#lastEventId,
      connection: this.#connection,
      reconnect: this.#reconnect,
      streamError: this.#streamError,
      clientId: this.#clientId,
      pending: Object.freeze([...this.#inFlight.keys()]),
      error: this.#error,
    });
  }

  #publish() {
    this.#state = this.#buildState();
    for (const listener of [...this.#listeners]) this.#notify(listener, this.#state);
  }

  #notify(listener, state) {
    try {
      listener(state);
    } catch (failure) {
      // One broken subscriber must not keep the others (or the client) from running.
      console.error(LOG_PREFIX, "a subscriber threw", failure);
    }
  }
}
