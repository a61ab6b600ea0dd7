// Checks of campaign-client.js against docs/CLIENT.md, in the browser, without a server: the client's
// injectable `fetchImpl` and `EventSourceImpl` are replaced by scripted doubles, so each check
// decides exactly what the "server" answers and when. Results go to window.__contractResults.

import { CampaignClient } from "../../Sources/CampaignServer/Resources/campaign-client.js";

const CAMPAIGN = "11111111-1111-4111-8111-111111111111";
const PHASES = ["Planning", "Creative", "Launch", "Analysis"].map((name, position) => ({
  id: `0000000${position}-0000-4000-8000-000000000000`,
  campaignId: CAMPAIGN,
  name,
  position,
}));
const ID = (n) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, "0")}`;

function task(n, phase, position, extra = {}) {
  return {
    id: ID(n), campaignId: CAMPAIGN, phaseId: PHASES[phase].id, title: `Task ${n}`, description: "",
    status: "todo", priority: "medium", assignee: null, dueDate: null, position, version: 1,
    createdAt: "2030-01-01T00:00:00.000Z", updatedAt: "2030-01-01T00:00:00.000Z", ...extra,
  };
}

// ---- doubles ----

class ScriptedEventSource {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = new Map();
    this.closed = false;
    ScriptedEventSource.instances.push(this);
  }
  static get last() {
    return ScriptedEventSource.instances.at(-1);
  }
  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }
  close() {
    this.readyState = 2;
    this.closed = true;
  }
  emit(type, data, id) {
    if (type === "connected") this.readyState = 1;
    const event = new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id == null ? "" : String(id) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  fail(readyState) {
    this.readyState = readyState;
    for (const listener of this.listeners.get("error") ?? []) listener(new Event("error"));
  }
}

const json = (status, body) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function snapshotBody(tasks, lastEventId = 10, history = [{ id: "h1" }]) {
  return { campaign: { id: CAMPAIGN, name: "Contract", createdAt: "2030-01-01T00:00:00.000Z" }, phases: PHASES, tasks, history, lastEventId };
}

/** A client over a scripted server: `answer(request)` returns a Response (or a Promise of one). */
async function startedClient({ tasks = [task(1, 0, 0), task(2, 0, 1), task(3, 1, 0)], answer, token = "tok", onAuthExpiring } = {}) {
  const requests = [];
  let respond = answer ?? (() => json(500, { error: { code: "unexpected", message: "no answer scripted" } }));
  const fetchImpl = async (url, init = {}) => {
    const request = { url, method: init.method ?? "GET", headers: init.headers ?? {}, body: init.body ? JSON.parse(init.body) : undefined };
    requests.push(request);
    if (request.url.endsWith("/execution")) return json(200, snapshotBody(tasks));
    return respond(request);
  };
  const client = new CampaignClient({ baseUrl: "/api", campaignId: CAMPAIGN, token, onAuthExpiring, EventSourceImpl: ScriptedEventSource, fetchImpl });
  const states = [];
  client.subscribe((state) => states.push(state));
  const started = client.start();
  await until(() => ScriptedEventSource.last && !ScriptedEventSource.last.closed && ScriptedEventSource.last.readyState === 0);
  const source = ScriptedEventSource.last;
  source.emit("connected", { clientId: "me", campaignId: CAMPAIGN, lastEventId: 10 });
  await started;
  return { client, source, requests, states, setAnswer: (next) => (respond = next) };
}

// ---- a tiny runner ----

const results = [];
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function until(condition, what = "condition") {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (condition()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function equal(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

const layout = (state) => state.tasks.map((t) => `${t.id.slice(-1)}@${PHASES.findIndex((p) => p.id === t.phaseId)}.${t.position}`);

async function check(name, body) {
  ScriptedEventSource.instances = [];
  try {
    await body();
    results.push({ name, ok: true });
  } catch (error) {
    results.push({ name, ok: false, error: String(error?.stack ?? error) });
  }
}

// ---- the checks ----

await check("subscribe gets the state now; start loads the snapshot, then streams from its lastEventId, resolves when live", async () => {
  const { client, source, requests, states } = await startedClient();
  equal(states[0].connection, "connecting", "first state");
  equal(client.state.connection, "live", "after start");
  equal(client.state.clientId, "me", "clientId");
  equal(requests[0].headers.Authorization, "Bearer tok", "snapshot Authorization");
  assert(source.url.startsWith(`/api/events/${CAMPAIGN}?`), source.url);
  const query = new URLSearchParams(source.url.split("?")[1]);
  equal([query.get("lastEventId"), query.get("access_token")], ["10", "tok"], "stream query");
  equal(layout(client.state), ["1@0.0", "2@0.1", "3@1.0"], "tasks in phase, then position order");
});

await check("the token may be a function returning a Promise; it is asked before each request", async () => {
  let asked = 0;
  const { client, requests, setAnswer } = await startedClient({ token: () => Promise.resolve(`t${++asked}`) });
  setAnswer((request) => json(200, { ...task(1, 0, 0), title: request.body.title, version: 2 }));
  await client.updateTask(ID(1), { title: "x" });
  equal(requests.map((r) => r.headers.Authorization), ["Bearer t1", "Bearer t3"], "a fresh token per request (t2 went to the stream)");
});

await check("create is optimistic, carries a client UUID and X-Client-Id, resolves with the server's task; its echo shows once", async () => {
  let seenBeforeSend = null;
  const { client, source, requests, setAnswer } = await startedClient();
  setAnswer((request) => {
    seenBeforeSend = client.state.tasks.find((t) => t.id === request.body.id);
    return json(201, { ...task(9, 2, 0), id: request.body.id, title: request.body.title });
  });
  const promise = client.createTask({ phaseId: PHASES[2].id, title: "  New asset  " });
  const optimistic = client.state.tasks.find((t) => t.title === "New asset");
  assert(optimistic, "the task is in state before the request");
  equal(client.state.pending, [optimistic.id], "pending");
  const created = await promise;
  assert(seenBeforeSend, "state had the task when the request left");
  const request = requests.at(-1);
  assert(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(request.body.id), request.body.id);
  equal([request.body.title, request.headers["X-Client-Id"]], ["New asset", "me"], "trimmed title, client id");
  equal(created.id, optimistic.id, "same id");
  source.emit("task-created", { eventId: 11, campaignId: CAMPAIGN, origin: "me", task: created }, 11);
  source.emit("history-update", { eventId: 12, campaignId: CAMPAIGN, origin: "me", entry: { id: "h2", taskId: created.id, action: "created" } }, 12);
  equal(client.state.tasks.filter((t) => t.id === created.id).length, 1, "once after the echo");
  equal(client.state.history.map((h) => h.id), ["h2", "h1"], "history newest first");
  equal([client.state.lastEventId, client.state.pending.length, client.state.error], [12, 0, null], "lastEventId, pending, error");
});

await check("an echo that arrives before the response is not applied twice", async () => {
  const { client, source, setAnswer } = await startedClient();
  let release;
  setAnswer(() => new Promise((resolve) => (release = () => resolve(json(200, task(1, 1, 0, { version: 2 }))))));
  const promise = client.moveTask(ID(1), PHASES[1].id, 0);
  equal(layout(client.state), ["2@0.0", "1@1.0", "3@1.1"], "optimistic move renumbers both phases");
  await until(() => release, "the request");
  source.emit("task-moved", { eventId: 11, campaignId: CAMPAIGN, origin: "me", task: task(1, 1, 0, { version: 2 }), fromPhaseId: PHASES[0].id, toPhaseId: PHASES[1].id }, 11);
  equal(layout(client.state), ["2@0.0", "1@1.0", "3@1.1"], "after the echo");
  release();
  equal((await promise).version, 2, "resolves with the server's task");
  equal(layout(client.state), ["2@0.0", "1@1.0", "3@1.1"], "after the response");
});

await check("If-Match carries the held version; a 412 rolls back, shows the server's current task and rejects with state.error", async () => {
  const { client, requests, setAnswer } = await startedClient();
  const current = task(3, 1, 0, { title: "Theirs", version: 4 });
  setAnswer(() => json(412, { error: { code: "precondition_failed", message: "changed elsewhere", current } }));
  const promise = client.updateTask(ID(3), { title: "Mine" });
  equal(client.state.tasks.find((t) => t.id === ID(3)).title, "Mine", "optimistic");
  const error = await promise.then(() => null, (e) => e);
  equal(requests.at(-1).headers["If-Match"], '"1"', "If-Match");
  equal(error, { status: 412, code: "precondition_failed", message: "changed elsewhere", taskId: ID(3) }, "rejection");
  assert(client.state.error === error, "state.error is the same object");
  equal(client.state.tasks.find((t) => t.id === ID(3)), current, "the task became the server's version");
});

await check("a failed move or delete rolls back exactly, positions included; the next success clears the error", async () => {
  const { client, setAnswer } = await startedClient();
  const before = layout(client.state);
  setAnswer(() => json(503, { error: { code: "database_unavailable", message: "try later" } }));
  const move = client.moveTask(ID(1), PHASES[1].id, 99);
  equal(layout(client.state), ["2@0.0", "3@1.0", "1@1.1"], "clamped to the end");
  await move.catch(() => {});
  equal(layout(client.state), before, "move rolled back");
  const removal = client.deleteTask(ID(1));
  equal(layout(client.state), ["2@0.0", "3@1.0"], "delete renumbers");
  await removal.catch(() => {});
  equal(layout(client.state), before, "delete rolled back");
  equal(client.state.error.status, 503, "error kept");
  setAnswer(() => json(204));
  equal(await client.deleteTask(ID(2)), undefined, "delete resolves with nothing");
  equal(client.state.error, null, "cleared by success");
});

await check("failures the client detects reject with status 0 and send nothing", async () => {
  const { client, requests } = await startedClient();
  const sent = requests.length;
  const attempts = [
    client.createTask({ phaseId: PHASES[0].id, title: " \u0085\u00a0 " }),
    client.createTask({ phaseId: PHASES[0].id, title: "😀".repeat(201) }),
    client.createTask({ phaseId: "99999999-0000-4000-8000-000000000000", title: "ok" }),
    client.moveTask(ID(1), PHASES[1].id, -1),
    client.updateTask(ID(1), { title: "" }),
    client.updateTask(ID(1), { colour: "red" }),
  ];
  for (const attempt of attempts) {
    const error = await attempt.then(() => null, (e) => e);
    equal(error?.status, 0, `status 0 for ${error?.message}`);
  }
  equal(requests.length, sent, "nothing sent");
  equal(client.state.tasks.length, 3, "state unchanged");
});

await check("200 code points of title are accepted (counted as code points)", async () => {
  const { client, setAnswer } = await startedClient();
  setAnswer((request) => json(201, { ...task(9, 0, 2), id: request.body.id, title: request.body.title }));
  await client.createTask({ phaseId: PHASES[0].id, title: "😀".repeat(200) });
});

await check("events apply in id order at most once; unknown tasks are added, unknown deletes ignored, history deduplicated", async () => {
  const { client, source } = await startedClient();
  source.emit("task-updated", { eventId: 11, campaignId: CAMPAIGN, origin: "other", task: task(1, 0, 0, { title: "Renamed", version: 2 }), changes: {} }, 11);
  source.emit("task-updated", { eventId: 11, campaignId: CAMPAIGN, origin: "other", task: task(1, 0, 0, { title: "Twice", version: 3 }), changes: {} }, 11);
  source.emit("task-updated", { eventId: 9, campaignId: CAMPAIGN, origin: "other", task: task(1, 0, 0, { title: "Old", version: 3 }), changes: {} }, 9);
  equal(client.state.tasks[0].title, "Renamed", "ids <= lastEventId ignored");
  source.emit("task-moved", { eventId: 12, campaignId: CAMPAIGN, origin: null, task: task(7, 0, 0, { version: 2 }), fromPhaseId: PHASES[1].id, toPhaseId: PHASES[0].id }, 12);
  equal(layout(client.state), ["7@0.0", "1@0.1", "2@0.2", "3@1.0"], "an unknown task is inserted at its position");
  source.emit("task-deleted", { eventId: 13, campaignId: CAMPAIGN, origin: null, taskId: ID(8), phaseId: PHASES[0].id }, 13);
  source.emit("task-deleted", { eventId: 14, campaignId: CAMPAIGN, origin: null, taskId: ID(1), phaseId: PHASES[0].id }, 14);
  equal(layout(client.state), ["7@0.0", "2@0.1", "3@1.0"], "delete renumbers");
  source.emit("history-update", { eventId: 15, campaignId: CAMPAIGN, origin: null, entry: { id: "h1" } }, 15);
  equal(client.state.history.length, 1, "a known history entry is not added again");
  equal(client.state.lastEventId, 15, "lastEventId");
});

await check("writes to one task go one after another, each If-Match the version the previous produced", async () => {
  const { client, requests, setAnswer } = await startedClient();
  setAnswer((request) => {
    const version = Number(request.headers["If-Match"].replaceAll('"', ""));
    return json(200, task(2, 0, 1, { ...request.body, version: version + 1 }));
  });
  const first = client.updateTask(ID(2), { title: "one" });
  const second = client.updateTask(ID(2), { status: "done" });
  equal([client.state.tasks[1].title, client.state.tasks[1].status], ["one", "done"], "both optimistic");
  await Promise.all([first, second]);
  equal(requests.slice(-2).map((r) => r.headers["If-Match"]), ['"1"', '"2"'], "chained versions");
});

await check("connection: reconnecting while the browser retries, live again on connected, offline when closed for good or stopped", async () => {
  const { client, source } = await startedClient();
  source.fail(0);
  equal(client.state.connection, "reconnecting", "retrying");
  source.emit("connected", { clientId: "me-again", campaignId: CAMPAIGN, lastEventId: 10 });
  equal([client.state.connection, client.state.clientId], ["live", "me-again"], "back");
  source.fail(2);
  equal(client.state.connection, "offline", "closed for good");
  const again = client.start();
  await until(() => ScriptedEventSource.instances.length === 2, "a new stream");
  ScriptedEventSource.last.emit("connected", { clientId: "third", campaignId: CAMPAIGN, lastEventId: 10 });
  await again;
  client.stop();
  equal([client.state.connection, ScriptedEventSource.last.closed, client.state.tasks.length], ["offline", true, 3], "stopped, state readable");
});

await check("an echo of a write sent before a reconnect is still recognised", async () => {
  const { client, source, setAnswer } = await startedClient();
  let release;
  setAnswer((request) => new Promise((resolve) => (release = () => resolve(json(201, { ...task(9, 0, 2), id: request.body.id, title: "Before" })))));
  const promise = client.createTask({ phaseId: PHASES[0].id, title: "Before" });
  await until(() => release, "the request");
  source.fail(0);
  source.emit("connected", { clientId: "new-id", campaignId: CAMPAIGN, lastEventId: 10 });
  const id = client.state.tasks.find((t) => t.title === "Before").id;
  source.emit("task-created", { eventId: 11, campaignId: CAMPAIGN, origin: "me", task: { ...task(9, 0, 2), id, title: "Before" } }, 11);
  release();
  await promise;
  equal(client.state.tasks.filter((t) => t.id === id).length, 1, "once");
});

await check("resync refetches the snapshot and resumes from its lastEventId", async () => {
  const { client, source, requests } = await startedClient();
  source.emit("resync", { reason: "history-expired" });
  equal(client.state.connection, "reconnecting", "while refetching");
  await until(() => ScriptedEventSource.instances.length === 2, "a new stream");
  equal(requests.filter((r) => r.url.endsWith("/execution")).length, 2, "snapshot fetched again");
  assert(source.closed, "old stream closed");
  ScriptedEventSource.last.emit("connected", { clientId: "me", campaignId: CAMPAIGN, lastEventId: 10 });
  equal(client.state.connection, "live", "live again");
});

await check("auth-expiring: onAuthExpiring is awaited, then the stream reopens with the new token from lastEventId", async () => {
  let token = "old";
  const { client, source } = await startedClient({ token: () => token, onAuthExpiring: async () => { await tick(); token = "new"; } });
  source.emit("history-update", { eventId: 20, campaignId: CAMPAIGN, origin: null, entry: { id: "h20" } }, 20);
  source.emit("auth-expiring", {});
  await until(() => ScriptedEventSource.instances.length === 2, "a new stream");
  const query = new URLSearchParams(ScriptedEventSource.last.url.split("?")[1]);
  equal([query.get("lastEventId"), query.get("access_token"), source.closed], ["20", "new", true], "reopened");
  ScriptedEventSource.last.emit("auth-expiring", {});
  await tick();
  await tick();
  equal(ScriptedEventSource.instances.length, 2, "no reconnect without a fresh token");
  equal(client.state.connection, "reconnecting", "until connected");
});

await check("states are new frozen objects; nothing handed out is ever mutated", async () => {
  const { client, source, states, setAnswer } = await startedClient();
  const frozenCopies = states.map((state) => JSON.stringify(state));
  setAnswer(() => json(200, task(1, 2, 0, { version: 2 })));
  await client.moveTask(ID(1), PHASES[2].id, 0);
  source.emit("task-deleted", { eventId: 11, campaignId: CAMPAIGN, origin: null, taskId: ID(2), phaseId: PHASES[0].id }, 11);
  states.slice(0, frozenCopies.length).forEach((state, index) => equal(JSON.stringify(state), frozenCopies[index], `state ${index} unchanged`));
  for (const state of states) {
    assert(Object.isFrozen(state) && Object.isFrozen(state.tasks) && state.tasks.every(Object.isFrozen), "frozen");
  }
  assert(new Set(states).size === states.length, "a new object on every change");
});

await check("logs go to console.debug with the [CampaignExecutionService] prefix", async () => {
  const original = console.debug;
  const lines = [];
  console.debug = (...parts) => lines.push(parts);
  try {
    await startedClient();
  } finally {
    console.debug = original;
  }
  assert(lines.length > 0 && lines.every((parts) => parts[0] === "[CampaignExecutionService]"), JSON.stringify(lines));
});

window.__contractResults = results;
const list = document.getElementById("results");
for (const result of results) {
  const item = document.createElement("li");
  item.textContent = `${result.ok ? "ok" : "FAILED"}: ${result.name}${result.ok ? "" : ` — ${result.error}`}`;
  list.append(item);
}
document.body.dataset.done = "true";
