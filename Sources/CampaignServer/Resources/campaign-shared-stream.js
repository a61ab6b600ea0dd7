/**
 * campaign-shared-stream.js — one event stream per browser for every CampaignClient created with
 * `shared: true`, in every tab of the origin (a browser opens at most 6 connections per origin over
 * HTTP/1.1, and each tab would otherwise hold one stream per campaign).
 *
 * One tab is the leader: it holds the Web Lock `campaign-stream <baseUrl>` and the only connection,
 * `GET <baseUrl>/events?campaign=…` (docs/API.md, "Several campaigns on one stream"), for the union of
 * the campaigns every tab watches. It relays every event on the BroadcastChannel of the same name; the
 * other tabs follow. Every tab announces the campaigns its clients watch (`want`), and remembers, per
 * campaign, the newest event id relayed. When the leader's tab closes, its lock is released and the
 * next tab waiting for it leads: it opens the stream with a cursor made of those positions, so each
 * campaign resumes after the last event the tabs were given: nothing is missed and nothing comes twice.
 * The cursor is built here rather than kept as the server sent it because the set of campaigns changes
 * as tabs come and go, and a cursor only resumes the set it was written for.
 * Without Web Locks or BroadcastChannel every tab leads for itself (one stream per tab).
 */

import { LiveStream, parseData, reconnectDelay } from "./campaign-stream.js";

const hubs = new Map(); // baseUrl → the page's hub for it

/** The page's shared stream for `baseUrl` (created on first use with that client's token and fetch). */
export function sharedStreamHub({ baseUrl, token, fetchImpl, environment = globalThis }) {
  let hub = hubs.get(baseUrl);
  if (!hub) {
    hub = new SharedStreamHub({ baseUrl, token, fetchImpl, environment });
    hubs.set(baseUrl, hub);
  }
  return hub;
}

/** The server's cursor (`m1.<FNV-1a of the sorted ids>.<position or _>…`) for `positions` (id → event id or null). */
export function streamCursor(positions) {
  const ids = [...positions.keys()].sort();
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(ids.join(","))) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  const parts = ids.map((id) => (Number.isSafeInteger(positions.get(id)) ? String(positions.get(id)) : "_"));
  return `m1.${hash.toString(16).padStart(8, "0")}.${parts.join(".")}`;
}

export class SharedStreamHub {
  #baseUrl;
  #tokenSource;
  #fetch;
  #environment;
  #tabId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  #channel = null;
  #leader = false;
  #stream = null; // the leader's LiveStream
  #openKey = null; // the campaigns (sorted, comma-joined) the leader's stream carries

  #listeners = new Map(); // campaignId → Set of { onEvent, onStatus }
  #wants = new Map(); // tabId → Set of campaignIds (this tab's included)
  #positions = new Map(); // campaignId → newest event id given to the tabs
  #connected = new Map(); // campaignId → its latest `connected` event, for clients that join later
  #status = { connection: "connecting", failures: 0, retryAt: null, error: null };
  #deliveries = 0; // events handed to this tab's clients (tests)

  constructor({ baseUrl, token, fetchImpl, environment }) {
    this.#baseUrl = baseUrl;
    this.#tokenSource = token;
    this.#fetch = fetchImpl ?? ((...args) => environment.fetch(...args));
    this.#environment = environment;
    const name = `campaign-stream ${baseUrl}`;
    const locks = environment.navigator?.locks;
    if (typeof environment.BroadcastChannel === "function" && locks) {
      this.#channel = new environment.BroadcastChannel(name);
      this.#channel.onmessage = (message) => this.#onMessage(message.data);
      // Held until the page goes away: then the browser gives it to the next tab waiting.
      locks.request(name, () => {
        this.#becomeLeader();
        return new Promise(() => {});
      });
      environment.addEventListener?.("pagehide", () => this.#post({ type: "bye", tabId: this.#tabId }));
    } else {
      this.#becomeLeader();
    }
  }

  /** Whether this tab holds the connection (tests, diagnostics). */
  get isLeader() {
    return this.#leader;
  }

  /** What this tab knows, for diagnostics: leading or not, the campaigns on the stream, the positions. */
  get diagnostics() {
    return {
      leader: this.#leader,
      open: this.#openKey,
      status: this.#status.connection,
      positions: Object.fromEntries(this.#positions),
      watched: [...this.#listeners.keys()],
    };
  }

  /** Events handed to this tab's clients so far (tests). */
  get deliveries() {
    return this.#deliveries;
  }

  /** Starts relaying `campaignId`'s events to `listener` ({ onEvent(event), onStatus(status) });
   *  returns the function that stops it. */
  watch(campaignId, listener) {
    let listeners = this.#listeners.get(campaignId);
    if (!listeners) this.#listeners.set(campaignId, (listeners = new Set()));
    listeners.add(listener);
    listener.onStatus(this.#status);
    const connected = this.#connectedNow(campaignId);
    if (connected) listener.onEvent(connected);
    this.#announce();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(campaignId);
      this.#announce();
    };
  }

  /** A watcher holds `campaignId` up to event `after` (its snapshot's). True when the tabs were already
   *  given later events, which it must then get from a newer snapshot; otherwise what follows `after`
   *  is relayed to it (a campaign new to the stream is resumed from `after`). */
  claim(campaignId, after) {
    const known = this.#positions.get(campaignId);
    if (!Number.isSafeInteger(known)) {
      this.#positions.set(campaignId, after);
      return false;
    }
    return known > after;
  }

  /** The campaign's `connected` as a client joining now should see it: the stream is already live for it,
   *  at the position the tabs were given (so a client with that much does not take it for a lag). */
  #connectedNow(campaignId) {
    const event = this.#connected.get(campaignId);
    if (!event || this.#openKey === null || !this.#openKey.split(",").includes(campaignId)) return null;
    const data = parseData(event.data);
    const position = this.#positions.get(campaignId);
    if (data && Number.isSafeInteger(position)) data.lastEventId = Math.max(data.lastEventId ?? 0, position);
    return { ...event, data: JSON.stringify(data) };
  }

  #announce() {
    const campaigns = [...this.#listeners.keys()];
    this.#wants.set(this.#tabId, new Set(campaigns));
    this.#post({ type: "want", tabId: this.#tabId, campaigns });
    this.#reconcile();
  }

  #post(message) {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // The channel is closed (the page is going away).
    }
  }

  #onMessage(message) {
    switch (message?.type) {
      case "want":
        this.#wants.set(message.tabId, new Set(message.campaigns));
        if (this.#leader) this.#welcome(message.tabId, message.campaigns);
        return this.#reconcile();
      case "welcome":
        if (message.tabId !== this.#tabId) return;
        // The leader's status first, then the `connected` events, as `watch` does: a live stream
        // reports no status of its own (LiveStream says only connecting or reconnecting), so a status
        // after them took this tab's clients back out of "live" until the stream's next reconnect.
        this.#setStatus(message.status);
        for (const event of message.events) this.#take(event, message.open);
        return;
      case "bye":
        this.#wants.delete(message.tabId);
        return this.#reconcile();
      case "hello":
        return this.#post({ type: "want", tabId: this.#tabId, campaigns: [...this.#listeners.keys()] });
      case "event":
        return this.#take(message.event, message.open);
      case "status":
        return this.#setStatus(message.status);
    }
  }

  /** A tab announced its campaigns: those already on the stream are live for it now (their `connected`). */
  #welcome(tabId, campaigns) {
    const events = campaigns.map((id) => this.#connectedNow(id)).filter(Boolean);
    if (events.length > 0) this.#post({ type: "welcome", tabId, open: this.#openKey, events, status: this.#status });
  }

  #becomeLeader() {
    this.#leader = true;
    this.#openKey = null; // what the old leader's stream carried: this tab opens its own
    this.#stream = new LiveStream({
      fetch: this.#fetch,
      prepare: () => this.#prepare(),
      onEvent: (event) => {
        this.#take(event, this.#openKey);
        this.#post({ type: "event", event, open: this.#openKey });
      },
      onUnauthorized: async () => false,
      onStatus: (status) => {
        this.#setStatus(status);
        this.#post({ type: "status", status });
      },
      environment: this.#environment,
    });
    this.#post({ type: "hello" });
    this.#reconcile();
  }

  /** The leader's stream carries exactly the campaigns some tab watches. */
  #reconcile() {
    if (!this.#leader) return;
    const campaigns = new Set();
    for (const set of this.#wants.values()) for (const id of set) campaigns.add(id);
    const key = [...campaigns].sort().join(",");
    if (key === (this.#openKey ?? "")) return;
    if (campaigns.size === 0) {
      this.#openKey = null;
      this.#stream.stop();
      return;
    }
    const wasOpen = this.#openKey !== null;
    this.#openKey = key;
    if (wasOpen) this.#stream.reconnectNow();
    else this.#stream.start();
  }

  async #prepare() {
    const source = this.#tokenSource;
    const token = await (typeof source === "function" ? source() : source);
    const campaigns = (this.#openKey ?? "").split(",").filter(Boolean);
    const query = new URLSearchParams(campaigns.map((id) => ["campaign", id]));
    const positions = new Map(campaigns.map((id) => [id, this.#positions.get(id) ?? null]));
    if ([...positions.values()].some((position) => position !== null)) query.set("lastEventId", streamCursor(positions));
    if (token) query.set("access_token", token);
    return { url: `${this.#baseUrl}/events?${query}` };
  }

  /** An event of the shared stream (this tab's own, or relayed): positions, then the watchers. */
  #take(event, open) {
    const data = parseData(event.data);
    const campaignId = typeof data?.campaignId === "string" ? data.campaignId : null;
    if (event.type === "connected" && campaignId) {
      this.#connected.set(campaignId, event);
      if (!Number.isSafeInteger(this.#positions.get(campaignId)) && Number.isSafeInteger(data.lastEventId)) {
        this.#positions.set(campaignId, data.lastEventId);
      }
    } else if (campaignId && Number.isSafeInteger(data?.eventId)) {
      // The stream resumes each campaign after its position, so an event never comes twice; the
      // clients skip what their snapshot already holds.
      this.#positions.set(campaignId, Math.max(data.eventId, this.#positions.get(campaignId) ?? data.eventId));
    }
    if (!this.#leader) this.#openKey = open;
    const targets = campaignId ? [this.#listeners.get(campaignId)] : [...this.#listeners.values()];
    for (const listeners of targets) {
      for (const listener of listeners ?? []) {
        this.#deliveries += 1;
        listener.onEvent(event);
      }
    }
  }

  #setStatus(status) {
    this.#status = status;
    for (const listeners of this.#listeners.values()) for (const listener of listeners) listener.onStatus(status);
  }
}

/**
 * What a CampaignClient drives in shared mode, shaped like LiveStream (start, stop, reconnectNow):
 * `prepare()` loads the client's snapshot when one is due; events relayed meanwhile are held and handed
 * over after it, so a snapshot and the events after it line up exactly. `onGap()` asks the client for
 * a newer snapshot (its next `prepare()` loads one).
 */
export class SharedCampaignStream {
  #hub;
  #campaignId;
  #prepare;
  #onEvent;
  #onStatus;
  #onGap;
  #lastEventId;
  #session = 0;
  #held = null; // events relayed while preparing
  #unwatch = null;
  #failures = 0;

  constructor({ hub, campaignId, prepare, onEvent, onStatus, onGap, lastEventId }) {
    this.#hub = hub;
    this.#campaignId = campaignId;
    this.#prepare = prepare;
    this.#onEvent = onEvent;
    this.#onStatus = onStatus;
    this.#onGap = onGap;
    this.#lastEventId = lastEventId;
  }

  start() {
    if (this.#unwatch) return;
    this.#failures = 0;
    this.#held = [];
    this.#unwatch = this.#hub.watch(this.#campaignId, {
      onEvent: (event) => (this.#held ? this.#held.push(event) : this.#onEvent(event)),
      onStatus: (status) => this.#onStatus(status),
    });
    this.#begin();
  }

  stop() {
    this.#session += 1;
    this.#unwatch?.();
    this.#unwatch = null;
    this.#held = null;
  }

  /** A resync (a newer snapshot, events held meanwhile) or a renewed token (nothing to do here: the
   *  leading tab's stream asks its own token source when it reconnects). */
  reconnectNow() {
    if (!this.#unwatch) return;
    this.#held = this.#held ?? [];
    this.#begin();
  }

  async #begin() {
    const session = ++this.#session;
    try {
      await this.#prepare();
      if (session !== this.#session) return;
      this.#failures = 0;
      if (this.#hub.claim(this.#campaignId, this.#lastEventId())) {
        // The tabs were given events after this snapshot: load a newer one (events stay held).
        this.#onGap();
        return this.#begin();
      }
      const held = this.#held ?? [];
      this.#held = null;
      for (const event of held) this.#onEvent(event);
    } catch (error) {
      if (session !== this.#session) return;
      this.#failures += 1;
      const delay = reconnectDelay(this.#failures);
      this.#onStatus({ connection: "reconnecting", failures: this.#failures, retryAt: Date.now() + delay, error });
      setTimeout(() => session === this.#session && this.#begin(), delay);
    }
  }
}
