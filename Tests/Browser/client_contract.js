// Checks of campaign-client.js against docs/CLIENT.md, in the browser, without a server: the client's
// injectable `fetchImpl` is a scripted double (scripted_server.js) that also serves the event streams,
// so each check decides exactly what the "server" answers and sends, and when (runner: check_runner.js).

import { RECONNECT_CAP_MS, reconnectDelay } from "../../Sources/CampaignServer/Resources/campaign-stream.js";
import { assert, check as runCheck, equal, publish } from "./check_runner.js";
import { SharedStreamHub, sharedStreamHub } from "../../Sources/CampaignServer/Resources/campaign-shared-stream.js";
import { CampaignClient } from "../../Sources/CampaignServer/Resources/campaign-client.js";
import { CAMPAIGN, ID, PHASES, ScriptedStream, json, scriptedClient as startedClient, settle, snapshotBody, task, tick, until } from "./scripted_server.js";

// Reconnect delays are floor + Math.random() × ceiling: with 0 the client retries as soon as the
// server's floor allows, so the checks need not wait. The policy itself is checked on its own below.
const random = Math.random;
Math.random = () => 0;

// ---- a tiny runner ----

const layout = (state) => state.tasks.map((t) => `${t.id.slice(-1)}@${PHASES.findIndex((p) => p.id === t.phaseId)}.${t.position}`);

// Each check starts with no streams.
const check = (name, body) => {
  ScriptedStream.instances = [];
  return runCheck(name, body);
};

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

await check("the token may be a function returning a Promise; it is asked once per connection attempt and once per write", async () => {
  let asked = 0;
  const { client, requests, source, setAnswer } = await startedClient({ token: () => Promise.resolve(`t${++asked}`) });
  setAnswer((request) => json(200, { ...task(1, 0, 0), title: request.body.title, version: 2 }));
  await client.updateTask(ID(1), { title: "x" });
  equal(requests.map((r) => r.headers.Authorization), ["Bearer t1", "Bearer t2"], "snapshot, then the write's fresh token");
  equal(source.query.get("access_token"), "t1", "the snapshot and its stream share the attempt's token");
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
  await source.emit("task-created", { eventId: 11, campaignId: CAMPAIGN, origin: "me", task: created }, 11);
  await source.emit("history-update", { eventId: 12, campaignId: CAMPAIGN, origin: "me", entry: { id: "h2", taskId: created.id, action: "created" } }, 12);
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
  await source.emit("task-moved", { eventId: 11, campaignId: CAMPAIGN, origin: "me", task: task(1, 1, 0, { version: 2 }), fromPhaseId: PHASES[0].id, toPhaseId: PHASES[1].id }, 11);
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
  await source.emit("task-updated", { eventId: 11, campaignId: CAMPAIGN, origin: "other", task: task(1, 0, 0, { title: "Renamed", version: 2 }), changes: {} }, 11);
  await source.emit("task-updated", { eventId: 11, campaignId: CAMPAIGN, origin: "other", task: task(1, 0, 0, { title: "Twice", version: 3 }), changes: {} }, 11);
  await source.emit("task-updated", { eventId: 9, campaignId: CAMPAIGN, origin: "other", task: task(1, 0, 0, { title: "Old", version: 3 }), changes: {} }, 9);
  equal(client.state.tasks[0].title, "Renamed", "ids <= lastEventId ignored");
  await source.emit("task-moved", { eventId: 12, campaignId: CAMPAIGN, origin: null, task: task(7, 0, 0, { version: 2 }), fromPhaseId: PHASES[1].id, toPhaseId: PHASES[0].id }, 12);
  equal(layout(client.state), ["7@0.0", "1@0.1", "2@0.2", "3@1.0"], "an unknown task is inserted at its position");
  await source.emit("task-deleted", { eventId: 13, campaignId: CAMPAIGN, origin: null, taskId: ID(8), phaseId: PHASES[0].id }, 13);
  await source.emit("task-deleted", { eventId: 14, campaignId: CAMPAIGN, origin: null, taskId: ID(1), phaseId: PHASES[0].id }, 14);
  equal(layout(client.state), ["7@0.0", "2@0.1", "3@1.0"], "delete renumbers");
  await source.emit("history-update", { eventId: 15, campaignId: CAMPAIGN, origin: null, entry: { id: "h1" } }, 15);
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

await check("connection: a dropped or ended stream reconnects by itself from lastEventId; a refusal goes offline; stop() stays offline", async () => {
  const { client, source, setStreamAnswer } = await startedClient();
  await source.emit("history-update", { eventId: 11, campaignId: CAMPAIGN, origin: null, entry: { id: "h11" } }, 11);
  await source.drop();
  await until(() => ScriptedStream.instances.length === 2, "a new stream after the drop");
  equal([client.state.connection, ScriptedStream.last.query.get("lastEventId")], ["reconnecting", "11"], "retrying from lastEventId");
  await ScriptedStream.last.emit("connected", { clientId: "me-again", campaignId: CAMPAIGN, lastEventId: 11 });
  equal([client.state.connection, client.state.clientId, client.state.reconnect, client.state.streamError], ["live", "me-again", null, null], "back");
  await ScriptedStream.last.end();
  await until(() => ScriptedStream.instances.length === 3, "a new stream after the server ended one");
  await ScriptedStream.last.emit("connected", { clientId: "third", campaignId: CAMPAIGN, lastEventId: 11 });
  setStreamAnswer(() => json(403, { error: { code: "forbidden", message: "no access to this campaign" } }));
  await ScriptedStream.last.end();
  await until(() => client.state.connection === "offline", "offline after the refusal");
  equal([client.state.streamError.status, client.state.streamError.code], [403, "forbidden"], "why");
  setStreamAnswer(() => undefined);
  const again = client.start();
  await until(() => ScriptedStream.instances.length === 4 && !ScriptedStream.last.closed, "a new stream");
  await ScriptedStream.last.emit("connected", { clientId: "fourth", campaignId: CAMPAIGN, lastEventId: 11 });
  await again;
  client.stop();
  await settle();
  equal([client.state.connection, ScriptedStream.last.closed, client.state.tasks.length, ScriptedStream.instances.length], ["offline", true, 3, 4], "stopped, state readable, no reconnect");
});

await check("a proxy's 502 page, a network error and 503s are retried; Retry-After is a floor; the snapshot is refetched only when due", async () => {
  const answers = [
    () => new Response("<html>Bad Gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } }),
    () => Promise.reject(new TypeError("Failed to fetch")),
    () => json(503, { error: { code: "database_unavailable", message: "later" } }, { "Retry-After": "1" }),
  ];
  const { client, requests, started, streamRequests } = await startedClient({ connect: false, streamAnswer: () => answers.shift()?.() });
  await until(() => streamRequests.length === 3, "three attempts");
  await until(() => client.state.reconnect?.retryAt, "the wait after the 503");
  const wait = client.state.reconnect.retryAt - Date.now();
  assert(wait > 800 && wait <= 1000, `Retry-After: 1 waits about 1 s, not ${wait} ms`);
  equal([client.state.connection, client.state.reconnect.failures, client.state.streamError.status], ["reconnecting", 3, 503], "state while waiting");
  await until(() => ScriptedStream.last && !ScriptedStream.last.closed, "the fourth attempt", 2000);
  const waited = streamRequests[3].at - streamRequests[2].at;
  assert(waited >= 950, `honoured Retry-After (${waited} ms)`);
  await ScriptedStream.last.emit("connected", { clientId: "me", campaignId: CAMPAIGN, lastEventId: 10 });
  await started;
  equal([client.state.connection, requests.filter((r) => r.url.endsWith("/execution")).length], ["live", 1], "live; one snapshot");
});

await check("the reconnect delay: full jitter below min(30 s, 1 s × 2^failures), on top of the server's floor", async () => {
  equal([reconnectDelay(0, 0, () => 0.5), reconnectDelay(1, 0, () => 0.5), reconnectDelay(3, 0, () => 0.5)], [500, 1000, 4000], "doubling");
  equal([reconnectDelay(5, 0, () => 0.999), reconnectDelay(40, 0, () => 0.999)], [29970, 29970], "capped");
  equal(reconnectDelay(2, 3000, () => 0), 3000, "the floor");
  const delays = Array.from({ length: 1000 }, () => reconnectDelay(1, 0, random)).sort((a, b) => a - b);
  assert(delays[0] < 100 && delays.at(-1) > 1900 && delays.at(-1) <= 2000, `spread over [0, 2000]: ${delays[0]}..${delays.at(-1)}`);
  assert(RECONNECT_CAP_MS === 30000, "cap");
});

await check("overloaded: its retryMs is the floor of the next attempt", async () => {
  const { client, source } = await startedClient();
  await source.emit("overloaded", { reason: "connection-limit", retryMs: 1500 });
  await source.end();
  await until(() => client.state.reconnect?.retryAt, "the wait");
  const wait = client.state.reconnect.retryAt - Date.now();
  assert(wait > 1300 && wait <= 1500, `waits the server's retryMs, not ${wait} ms`);
  client.stop();
});

await check("online and a tab becoming visible end a reconnect wait at once", async () => {
  Math.random = () => 0.99;
  try {
    const { client, source } = await startedClient();
    await source.drop(); // failures 0: waits up to 1 s
    await until(() => client.state.reconnect?.retryAt, "the wait");
    window.dispatchEvent(new Event("online"));
    await until(() => ScriptedStream.instances.length === 2, "a reconnect on online", 20);
    ScriptedStream.last.controller.enqueue(new TextEncoder().encode("not an event stream?\n")); // ignored by the parser
    await ScriptedStream.last.drop();
    await until(() => client.state.reconnect?.retryAt, "the wait");
    assert(client.state.reconnect.retryAt - Date.now() > 1500, "the second failure waits longer");
    equal(document.visibilityState, "visible", "headless Chromium's page is visible");
    document.dispatchEvent(new Event("visibilitychange"));
    await until(() => ScriptedStream.instances.length === 3, "a reconnect on visibilitychange", 20);
    client.stop();
  } finally {
    Math.random = () => 0;
  }
});

await check("401: getToken() is asked and the stream retries at once with the token it returns", async () => {
  let getTokenCalls = 0;
  const answers = [() => json(401, { error: { code: "unauthorized", message: "token expired" } })];
  const { client, started, streamRequests } = await startedClient({
    connect: false, token: "old", getToken: async () => `fresh${++getTokenCalls}`, streamAnswer: () => answers.shift()?.(),
  });
  await until(() => ScriptedStream.last && !ScriptedStream.last.closed, "the retry");
  equal([getTokenCalls, ScriptedStream.last.query.get("access_token"), streamRequests.length], [1, "fresh1", 2], "retried with the new token");
  await ScriptedStream.last.emit("connected", { clientId: "me", campaignId: CAMPAIGN, lastEventId: 10 });
  await started;
  equal(client.state.connection, "live", "live");
});

await check("401 without getToken, or getToken without a new token: offline, start() rejects with the 401", async () => {
  const refuse = () => json(401, { error: { code: "unauthorized", message: "token expired" } });
  const { client, started } = await startedClient({ connect: false, streamAnswer: refuse });
  const error = await started.then(() => null, (e) => e);
  equal([error?.status, client.state.connection, client.state.streamError], [401, "offline", error], "gave up");
  let asked = 0;
  const second = await startedClient({ connect: false, token: "same", getToken: () => { asked += 1; }, streamAnswer: refuse });
  const secondError = await second.started.then(() => null, (e) => e);
  equal([secondError?.status, asked, second.streamRequests.length], [401, 1, 1], "the same token is not tried again");
});

await check("an echo of a write sent before a reconnect is still recognised", async () => {
  const { client, source, setAnswer } = await startedClient();
  let release;
  setAnswer((request) => new Promise((resolve) => (release = () => resolve(json(201, { ...task(9, 0, 2), id: request.body.id, title: "Before" })))));
  const promise = client.createTask({ phaseId: PHASES[0].id, title: "Before" });
  await until(() => release, "the request");
  await source.drop();
  await until(() => ScriptedStream.instances.length === 2 && !ScriptedStream.last.closed, "the reconnect");
  await ScriptedStream.last.emit("connected", { clientId: "new-id", campaignId: CAMPAIGN, lastEventId: 10 });
  const id = client.state.tasks.find((t) => t.title === "Before").id;
  await ScriptedStream.last.emit("task-created", { eventId: 11, campaignId: CAMPAIGN, origin: "me", task: { ...task(9, 0, 2), id, title: "Before" } }, 11);
  release();
  await promise;
  equal(client.state.tasks.filter((t) => t.id === id).length, 1, "once");
});

await check("resync refetches the snapshot and resumes from its lastEventId", async () => {
  const { client, source, requests } = await startedClient();
  await source.emit("resync", { reason: "history-expired" });
  equal(client.state.connection, "reconnecting", "while refetching");
  await until(() => ScriptedStream.instances.length === 2, "a new stream");
  equal(requests.filter((r) => r.url.endsWith("/execution")).length, 2, "snapshot fetched again");
  assert(source.closed, "old stream closed");
  await ScriptedStream.last.emit("connected", { clientId: "me", campaignId: CAMPAIGN, lastEventId: 10 });
  equal(client.state.connection, "live", "live again");
});

await check("a resync whose snapshot refetch fails (a 502, then a network error) is retried until it succeeds", async () => {
  const failures = [
    () => new Response("<html>Bad Gateway</html>", { status: 502 }),
    () => Promise.reject(new TypeError("Failed to fetch")),
  ];
  const { client, source, requests, setSnapshotAnswer } = await startedClient();
  setSnapshotAnswer(() => failures.shift()?.());
  await source.emit("resync", { reason: "history-expired" });
  await until(() => ScriptedStream.instances.length === 2 && !ScriptedStream.last.closed, "a new stream after the refetches");
  equal([requests.filter((r) => r.url.endsWith("/execution")).length, client.state.reconnect.failures], [4, 2], "three refetches, two failed");
  await ScriptedStream.last.emit("connected", { clientId: "me", campaignId: CAMPAIGN, lastEventId: 10 });
  equal([client.state.connection, client.state.streamError], ["live", null], "live again");
});

await check("auth-expiring: onAuthExpiring is awaited, then the stream reopens with the new token from lastEventId", async () => {
  let token = "old";
  const { client, source } = await startedClient({ token: () => token, onAuthExpiring: async () => { await tick(); token = "new"; } });
  await source.emit("history-update", { eventId: 20, campaignId: CAMPAIGN, origin: null, entry: { id: "h20" } }, 20);
  await source.emit("auth-expiring", {});
  await until(() => ScriptedStream.instances.length === 2, "a new stream");
  const query = new URLSearchParams(ScriptedStream.last.url.split("?")[1]);
  equal([query.get("lastEventId"), query.get("access_token"), source.closed], ["20", "new", true], "reopened");
  await ScriptedStream.last.emit("auth-expiring", {});
  await tick();
  await tick();
  equal(ScriptedStream.instances.length, 2, "no reconnect without a fresh token");
  equal(client.state.connection, "reconnecting", "until connected");
});

await check("states are new frozen objects; nothing handed out is ever mutated", async () => {
  const { client, source, states, setAnswer } = await startedClient();
  const frozenCopies = states.map((state) => JSON.stringify(state));
  setAnswer(() => json(200, task(1, 2, 0, { version: 2 })));
  await client.moveTask(ID(1), PHASES[2].id, 0);
  await source.emit("task-deleted", { eventId: 11, campaignId: CAMPAIGN, origin: null, taskId: ID(2), phaseId: PHASES[0].id }, 11);
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

/** Two tabs of one origin in this page: a BroadcastChannel that delivers to the other members a task
 *  later (as a browser does), and a Web Lock that the first tab to ask holds for good. */
function twoTabs() {
  const members = new Set();
  let held = false;
  class Channel {
    constructor() {
      members.add(this);
      this.onmessage = null;
    }
    postMessage(data) {
      for (const member of members) if (member !== this) setTimeout(() => member.onmessage?.({ data: structuredClone(data) }), 0);
    }
  }
  const locks = {
    request(name, callback) {
      if (held) return new Promise(() => {});
      held = true;
      return Promise.resolve().then(callback);
    },
  };
  return () => ({ BroadcastChannel: Channel, navigator: { locks } });
}

await check("shared: a tab that joins a campaign the leader's stream already carries ends live", async () => {
  const fetchImpl = async (url, init = {}) =>
    url.includes("/events?") ? new ScriptedStream(url, init).response() : json(200, snapshotBody([]));
  const tab = twoTabs();
  // Distinct tab ids (the checks run with Math.random pinned to 0).
  Math.random = random;
  const leader = new SharedStreamHub({ baseUrl: "/shared-check", token: "tok", fetchImpl, environment: tab() });
  sharedStreamHub({ baseUrl: "/shared-check", token: "tok", fetchImpl, environment: tab() });
  Math.random = () => 0;
  leader.watch(CAMPAIGN, { onEvent() {}, onStatus() {} });
  await until(() => ScriptedStream.last && !ScriptedStream.last.closed, "the leader's stream");
  await ScriptedStream.last.emit("connected", { clientId: "lead", campaignId: CAMPAIGN, lastEventId: 10 });
  assert(leader.isLeader, "the first tab leads");
  // The other tab's client: its hub is the page's for that baseUrl, led by the first tab.
  const client = new CampaignClient({ baseUrl: "/shared-check", campaignId: CAMPAIGN, token: "tok", fetchImpl, shared: true });
  await client.start();
  await settle();
  for (let turn = 0; turn < 20; turn += 1) await tick();
  equal(client.state.connection, "live", "after the leader's welcome");
  equal(ScriptedStream.instances.length, 1, "one stream for both tabs");
  client.stop();
});

publish();
