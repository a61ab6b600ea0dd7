/**
 * campaign-stream.js — the live connection of campaign-client.js: one place that opens the event
 * stream, reads its Server-Sent Events, and keeps it open.
 *
 * The stream is read with `fetch` (not `EventSource`) so that the client sees what the server
 * answered: a 401 can ask for a new token, a 403/404 stops for good, a 5xx or a proxy's 502 is
 * retried, and `Retry-After` is honoured. EventSource hides all of that behind one `error` event
 * and gives up for good after any non-200 answer.
 *
 * Reconnecting (docs/CLIENT.md, "Reconnecting"): after a network error, a 408/429/5xx, an answer
 * that is not an event stream, or a stream that ended, the next attempt waits
 *   floor + random() × min(30 s, 1 s × 2^failures)        ("full jitter")
 * where `failures` counts the attempts that failed since the last `connected`, and `floor` is what
 * the server asked for: `Retry-After`, the `overloaded` event's `retryMs`, or (after a live stream
 * ended) the stream's `retry:`. `online` and a tab becoming visible cut the wait short (never
 * before the server's floor). The campaign-specific meaning of events stays in campaign-client.js.
 */

export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_CAP_MS = 30_000;

/** The client's error value: `{ status, code, message, taskId }` (status 0 = no answer from the server). */
export function makeError(status, code, message, taskId) {
  return Object.freeze({ status, code, message, taskId: taskId ?? null });
}

/** The error value of a failed response, from its `{"error": {...}}` body (any body tolerated),
 *  and the body's `current` task (a 412's) when there is one. */
export async function errorFromResponse(response, taskId) {
  let detail = {};
  try {
    detail = (await response.json())?.error ?? {};
  } catch {
    // A proxy's HTML error page: the status alone has to do.
  }
  const error = makeError(
    response.status,
    typeof detail.code === "string" ? detail.code : `http_${response.status}`,
    typeof detail.message === "string" ? detail.message : response.statusText || `HTTP ${response.status}`,
    taskId,
  );
  return { error, current: detail.current && typeof detail.current === "object" ? detail.current : null };
}

/** Milliseconds to wait before the next attempt (see the header); `random` returns [0, 1). */
export function reconnectDelay(failures, floorMs = 0, random = Math.random) {
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(Math.max(failures, 0), 15));
  return Math.round(Math.max(0, floorMs) + random() * ceiling);
}

/** `Retry-After` in milliseconds (delta-seconds or an HTTP date), or 0. */
export function retryAfterMs(response, now = Date.now()) {
  const value = response.headers?.get?.("Retry-After")?.trim();
  if (!value) return 0;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}

/** Answers worth another try: the server or a proxy in front of it may be back soon. */
function isTransientStatus(status) {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * The `text/event-stream` format (HTML living standard, "Interpreting an event stream"), fed text
 * as it arrives. Calls `onEvent({ type, data, lastEventId })` per event and `onRetry(ms)` per
 * `retry:` field.
 */
export class EventStreamParser {
  #buffer = "";
  #type = "";
  #data = [];
  #lastEventId = "";
  #onEvent;
  #onRetry;

  constructor(onEvent, onRetry = () => {}) {
    this.#onEvent = onEvent;
    this.#onRetry = onRetry;
  }

  push(text) {
    this.#buffer += text;
    const lineEnd = /\r\n|\r|\n/g;
    let consumed = 0;
    let match;
    while ((match = lineEnd.exec(this.#buffer))) {
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (match[0] === "\r" && match.index === this.#buffer.length - 1) break;
      this.#line(this.#buffer.slice(consumed, match.index));
      consumed = lineEnd.lastIndex;
    }
    this.#buffer = this.#buffer.slice(consumed);
  }

  #line(line) {
    if (line === "") return this.#dispatch();
    if (line.startsWith(":")) return; // a comment, e.g. ": heartbeat"
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.#type = value;
    else if (field === "data") this.#data.push(value);
    else if (field === "id" && !value.includes("\0")) this.#lastEventId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.#onRetry(Number(value));
  }

  #dispatch() {
    const type = this.#type || "message";
    this.#type = "";
    if (this.#data.length === 0) return;
    const data = this.#data.join("\n");
    this.#data = [];
    this.#onEvent({ type, data, lastEventId: this.#lastEventId });
  }
}

/**
 * Keeps one event stream open. The owner supplies:
 * - `fetch(url, init)`;
 * - `prepare()`: called before every attempt; resolves with `{ url }` (the owner reloads a snapshot
 *   here when it must). It may throw an error value; its `status` decides as for the stream's answer;
 * - `onEvent(event)`: every event, `connected` included;
 * - `onUnauthorized(error)`: after a 401; resolves true when a new token is there to try at once;
 * - `onStatus({ connection, failures, retryAt, error })`: `connecting`, `reconnecting` (waiting
 *   until `retryAt`, or trying when it is null) and `offline` (gave up with `error`).
 * `connected` ends the backoff (the owner marks itself live); `overloaded` sets the next wait's floor.
 */
export class LiveStream {
  #fetch;
  #prepare;
  #onEvent;
  #onUnauthorized;
  #onStatus;
  #random;
  #environment;

  #running = false;
  #attempt = 0; // bumped by every attempt and by stop(): callbacks of an older attempt are ignored
  #abort = null;
  #timer = null;
  #waitingUntil = 0; // when the scheduled attempt runs
  #notBefore = 0; // the server's floor: no attempt earlier, whatever wakes us
  #failures = 0;
  #tokenRetried = false; // one immediate retry after a 401, until the next `connected`
  #streamRetryMs = 0; // the current stream's `retry:`
  #lastError = null;

  #wake = () => this.#resumeNow();
  #onVisibility = () => {
    if (this.#environment.document?.visibilityState === "visible") this.#resumeNow();
  };

  constructor({ fetch, prepare, onEvent, onUnauthorized, onStatus, random = Math.random, environment = globalThis }) {
    this.#fetch = fetch;
    this.#prepare = prepare;
    this.#onEvent = onEvent;
    this.#onUnauthorized = onUnauthorized;
    this.#onStatus = onStatus;
    this.#random = random;
    this.#environment = environment;
  }

  /** Connects now (`connecting`), and keeps reconnecting until stop() or a refusal. */
  start() {
    if (this.#running) return;
    this.#running = true;
    this.#failures = 0;
    this.#tokenRetried = false;
    this.#notBefore = 0;
    this.#lastError = null;
    this.#environment.addEventListener?.("online", this.#wake);
    this.#environment.document?.addEventListener?.("visibilitychange", this.#onVisibility);
    this.#connect("connecting");
  }

  stop() {
    if (!this.#running) return;
    this.#running = false;
    this.#attempt += 1;
    this.#cancelTimer();
    this.#abort?.abort();
    this.#abort = null;
    this.#environment.removeEventListener?.("online", this.#wake);
    this.#environment.document?.removeEventListener?.("visibilitychange", this.#onVisibility);
  }

  /** Ends the current connection and opens a new one at once (a resync, a renewed token). */
  reconnectNow() {
    if (!this.#running) return;
    this.#cancelTimer();
    this.#connect("reconnecting");
  }

  #resumeNow() {
    if (!this.#running || this.#timer === null) return;
    const at = Math.max(Date.now(), this.#notBefore);
    if (at >= this.#waitingUntil) return;
    this.#cancelTimer();
    this.#wait(at - Date.now());
  }

  #cancelTimer() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #wait(delay) {
    this.#waitingUntil = Date.now() + delay;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect("reconnecting");
    }, delay);
  }

  async #connect(connection) {
    const attempt = ++this.#attempt;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#status(connection, 0);
    let live = false;
    try {
      const { url } = await this.#prepare();
      if (attempt !== this.#attempt) return;
      const response = await this.#fetch(url, { headers: { Accept: "text/event-stream" }, cache: "no-store", signal: abort.signal });
      if (attempt !== this.#attempt) return;
      const type = response.headers?.get?.("Content-Type") ?? "";
      if (response.status !== 200 || !type.startsWith("text/event-stream")) {
        const { error } =
          response.status === 200
            ? { error: makeError(200, "not_an_event_stream", `the stream answered ${type || "no content type"}`, null) }
            : await errorFromResponse(response, null);
        return this.#failed(attempt, error, response.status === 200 ? 0 : retryAfterMs(response));
      }
      this.#streamRetryMs = 0;
      const parser = new EventStreamParser(
        (event) => {
          if (attempt !== this.#attempt) return;
          if (event.type === "connected") {
            // The owner marks itself live when it handles `connected`; here it only ends the backoff.
            live = true;
            this.#failures = 0;
            this.#tokenRetried = false;
            this.#lastError = null;
            this.#notBefore = 0;
          } else if (event.type === "overloaded") {
            this.#notBefore = Date.now() + Math.max(0, Number(parseData(event.data)?.retryMs) || 0);
          }
          this.#onEvent(event);
        },
        (retryMs) => {
          this.#streamRetryMs = retryMs;
        },
      );
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (attempt !== this.#attempt) return;
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
      const ended = makeError(0, "stream_ended", "the server ended the event stream", null);
      this.#failed(attempt, ended, live ? this.#streamRetryMs : 0, live);
    } catch (failure) {
      if (attempt !== this.#attempt) return;
      const error =
        failure && typeof failure.status === "number"
          ? failure
          : makeError(0, "network_error", `the event stream failed: ${failure?.message ?? failure}`, null);
      this.#failed(attempt, error, live ? this.#streamRetryMs : 0, live);
    }
  }

  /** One attempt failed or its stream ended: wait and try again, or give up. */
  async #failed(attempt, error, floorMs, wasLive = false) {
    this.#lastError = error;
    if (error.status === 401 && !this.#tokenRetried) {
      this.#tokenRetried = true;
      let renewed = false;
      try {
        renewed = (await this.#onUnauthorized?.(error)) === true;
      } catch {
        renewed = false;
      }
      if (attempt !== this.#attempt) return;
      if (renewed) return this.#connect("reconnecting");
    }
    // status 0: no answer (worth another try) unless the token itself is missing; 200: not a stream.
    const transient = error.status === 0 ? error.code !== "token_unavailable" : error.status === 200 || isTransientStatus(error.status);
    if (!transient) {
      this.stop();
      this.#status("offline", 0, error);
      return;
    }
    // A live stream that ended is not a failed attempt: its first reconnect has the lowest ceiling.
    if (!wasLive) this.#failures += 1;
    this.#notBefore = Math.max(this.#notBefore, Date.now() + floorMs);
    this.#wait(reconnectDelay(this.#failures, Math.max(0, this.#notBefore - Date.now()), this.#random));
    this.#status("reconnecting", this.#waitingUntil);
  }

  #status(connection, retryAt, error = this.#lastError) {
    this.#onStatus({ connection, failures: this.#failures, retryAt: retryAt || null, error });
  }
}

export function parseData(data) {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
