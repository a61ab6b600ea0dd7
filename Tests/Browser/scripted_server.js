// A scripted "server" for campaign-client.js in the browser, without a real one: the client's
// injectable `fetchImpl` answers REST requests from a script and opens event streams whose bytes
// the checks write (`emit`, `end`, `drop`). Shared by client_contract.js and react_hook.js.

import { CampaignClient } from "../../Sources/CampaignServer/Resources/campaign-client.js";

export const CAMPAIGN = "11111111-1111-4111-8111-111111111111";
export const PHASES = ["Planning", "Creative", "Launch", "Analysis"].map((name, position) => ({
  id: `0000000${position}-0000-4000-8000-000000000000`,
  campaignId: CAMPAIGN,
  name,
  position,
}));
export const ID = (n) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, "0")}`;

export function task(n, phase, position, extra = {}) {
  return {
    id: ID(n), campaignId: CAMPAIGN, phaseId: PHASES[phase].id, title: `Task ${n}`, description: "",
    status: "todo", priority: "medium", assignee: null, dueDate: null, position, version: 1,
    createdAt: "2030-01-01T00:00:00.000Z", updatedAt: "2030-01-01T00:00:00.000Z", ...extra,
  };
}

/** Lets the client's stream reader and everything it triggers run (two macrotask turns). */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
export const settle = async () => {
  await tick();
  await tick();
};

export async function until(condition, what = "condition", attempts = 400) {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (condition()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One event-stream response whose body the check writes. */
export class ScriptedStream {
  static instances = [];

  constructor(url, init = {}) {
    this.url = url;
    this.closed = false;
    this.body = new ReadableStream({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.closed = true;
      },
    });
    init.signal?.addEventListener("abort", () => {
      if (this.closed) return;
      this.closed = true;
      this.controller.error(new DOMException("aborted", "AbortError"));
    });
    ScriptedStream.instances.push(this);
  }

  static get last() {
    return ScriptedStream.instances.at(-1);
  }

  get query() {
    return new URLSearchParams(this.url.split("?")[1]);
  }

  response() {
    return new Response(this.body, { status: 200, headers: { "Content-Type": "text/event-stream; charset=utf-8" } });
  }

  async send(text) {
    if (!this.closed) this.controller.enqueue(new TextEncoder().encode(text));
    await settle();
  }

  emit(type, data, id) {
    return this.send(`${id == null ? "" : `id: ${id}\n`}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** The server closes the stream (a graceful end). */
  async end() {
    this.closed = true;
    this.controller.close();
    await settle();
  }

  /** The connection breaks (a network error while reading). */
  async drop() {
    this.closed = true;
    this.controller.error(new TypeError("network error"));
    await settle();
  }
}

export const json = (status, body, headers = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export function snapshotBody(tasks, lastEventId = 10, history = [{ id: "h1" }]) {
  return { campaign: { id: CAMPAIGN, name: "Contract", createdAt: "2030-01-01T00:00:00.000Z" }, phases: PHASES, tasks, history, lastEventId };
}

/**
 * A scripted server behind `fetchImpl`. `answer(request)` answers REST writes; `snapshotAnswer()`
 * may answer a snapshot request (undefined: `snapshotBody(tasks)`); `streamAnswer(url, init)` answers
 * stream requests (a Response, a rejection, or undefined for a new ScriptedStream).
 */
export function scriptedFetch({ tasks = [task(1, 0, 0), task(2, 0, 1), task(3, 1, 0)], answer, streamAnswer } = {}) {
  let respondToSnapshot = () => undefined;
  const requests = [];
  const streamRequests = [];
  let respond = answer ?? (() => json(500, { error: { code: "unexpected", message: "no answer scripted" } }));
  let respondToStream = streamAnswer ?? (() => undefined);
  const fetchImpl = async (url, init = {}) => {
    if (url.includes("/events/")) {
      streamRequests.push({ url, at: performance.now() });
      const scripted = await respondToStream(url, init);
      return scripted ?? new ScriptedStream(url, init).response();
    }
    const request = { url, method: init.method ?? "GET", headers: init.headers ?? {}, body: init.body ? JSON.parse(init.body) : undefined };
    requests.push(request);
    if (request.url.endsWith("/execution")) return (await respondToSnapshot()) ?? json(200, snapshotBody(tasks));
    return respond(request);
  };
  return {
    fetchImpl, requests, streamRequests,
    setAnswer: (next) => (respond = next),
    setStreamAnswer: (next) => (respondToStream = next),
    setSnapshotAnswer: (next) => (respondToSnapshot = next),
  };
}

/** Sends `connected` on the newest open stream once there is one. */
export async function connectNewest(clientId = "me", lastEventId = 10) {
  await until(() => ScriptedStream.last && !ScriptedStream.last.closed, "the stream");
  const source = ScriptedStream.last;
  await source.emit("connected", { clientId, campaignId: CAMPAIGN, lastEventId });
  return source;
}

/** A client over `scriptedFetch`. With `connect` (default) it answers the first stream with
 *  `connected` and awaits start(). */
export async function scriptedClient({ tasks, answer, streamAnswer, token = "tok", connect = true, ...options } = {}) {
  const server = scriptedFetch({ tasks, answer, streamAnswer });
  const client = new CampaignClient({ baseUrl: "/api", campaignId: CAMPAIGN, token, fetchImpl: server.fetchImpl, ...options });
  const states = [];
  client.subscribe((state) => states.push(state));
  const started = client.start();
  started.catch(() => {}); // the checks that expect a rejection await it themselves
  let source = null;
  if (connect) {
    source = await connectNewest();
    await started;
  }
  return { ...server, client, source, states, started };
}
