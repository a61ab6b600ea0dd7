/**
 * Types of campaign-client.js, the browser client of the campaign execution API, served beside it
 * at /client/campaign-client.d.ts. The contract is docs/CLIENT.md; the JSON shapes are docs/API.md.
 * Tests/Browser/declarations_in_step.py keeps this file in step with the module's exports.
 */

// ---- the server's resources (docs/API.md, "Resources") ---------------------------------------

export type TaskStatus = "todo" | "in_progress" | "blocked" | "done";
export type TaskPriority = "low" | "medium" | "high" | "urgent";

export interface Campaign {
  readonly id: string;
  readonly name: string;
  /** RFC 3339 */
  readonly createdAt: string;
}

export interface Phase {
  readonly id: string;
  readonly campaignId: string;
  readonly name: string;
  readonly position: number;
}

export interface Task {
  readonly id: string;
  readonly campaignId: string;
  readonly phaseId: string;
  readonly title: string;
  readonly description: string;
  readonly status: TaskStatus;
  readonly priority: TaskPriority;
  readonly assignee: string | null;
  /** `YYYY-MM-DD` */
  readonly dueDate: string | null;
  /** 0..n-1 within its phase */
  readonly position: number;
  /** From 1; 0 only on a create the server has not answered yet. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type HistoryAction = "created" | "updated" | "moved" | "deleted";

export interface FieldChange {
  readonly from: unknown;
  readonly to: unknown;
}

export interface HistoryEntry {
  readonly id: string;
  readonly campaignId: string;
  readonly taskId: string;
  readonly action: HistoryAction;
  /** The token's `sub`, `"database"` for a change made in SQL, `"anonymous"` without authentication. */
  readonly actor: string;
  readonly changes: Readonly<Record<string, FieldChange>> | null;
  readonly createdAt: string;
}

// ---- what the stream carries (docs/API.md, "Server-Sent Events") ----------------------------

export type TaskEventType = "task-created" | "task-updated" | "task-moved" | "task-deleted";
export type StreamEventType = TaskEventType | "history-update" | "connected" | "resync" | "auth-expiring" | "overloaded";

interface ChangeEventBase {
  readonly eventId: number;
  readonly campaignId: string;
  readonly occurredAt: string;
  /** The `clientId` of the writer's stream (`X-Client-Id`), or null. */
  readonly origin: string | null;
}

export interface TaskCreatedEvent extends ChangeEventBase {
  readonly task: Task;
}
export interface TaskUpdatedEvent extends ChangeEventBase {
  readonly task: Task;
  readonly changes: Readonly<Record<string, FieldChange>>;
}
export interface TaskMovedEvent extends ChangeEventBase {
  readonly task: Task;
  readonly fromPhaseId: string;
  readonly toPhaseId: string;
}
export interface TaskDeletedEvent extends ChangeEventBase {
  readonly taskId: string;
  readonly phaseId: string;
}
export interface HistoryUpdateEvent extends ChangeEventBase {
  readonly entry: HistoryEntry;
}
export interface ConnectedEvent {
  readonly clientId: string;
  readonly campaignId: string;
  readonly lastEventId: number;
}
export interface ResyncEvent {
  readonly reason: "history-expired" | string;
}
export interface AuthExpiringEvent {
  readonly reason: "token-expiring" | string;
  readonly expiresAt: string;
}
export interface OverloadedEvent {
  readonly reason: "connection-limit" | string;
  readonly retryMs: number;
}

/** The `data` of each stream event, by its `event:` name. */
export interface StreamEventMap {
  "task-created": TaskCreatedEvent;
  "task-updated": TaskUpdatedEvent;
  "task-moved": TaskMovedEvent;
  "task-deleted": TaskDeletedEvent;
  "history-update": HistoryUpdateEvent;
  connected: ConnectedEvent;
  resync: ResyncEvent;
  "auth-expiring": AuthExpiringEvent;
  overloaded: OverloadedEvent;
}

// ---- the client ---------------------------------------------------------------------------

/**
 * `connecting` (start), `live` (after `connected`), `reconnecting` (the stream failed or dropped and
 * the client retries by itself, or it refetches a snapshot or renews its token), `offline` (stopped,
 * or the server refused: see `streamError`).
 */
export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

/** Codes the client makes itself (status 0); errors from the server carry the server's code. */
export type ClientErrorCode =
  | "validation_failed"
  | "unknown_phase"
  | "duplicate_id"
  | "task_not_found"
  | "token_unavailable"
  | "network_error"
  | "client_error"
  | "stopped"
  | "stream_ended"
  | "not_an_event_stream";

/** Every failure: a frozen `{ status, code, message, taskId }`. `status` 0: no answer from the server. */
export interface ClientError {
  readonly status: number;
  readonly code: ClientErrorCode | (string & {});
  readonly message: string;
  readonly taskId: string | null;
}

/** While reconnecting: the attempts that failed since the stream was last live, and when the next
 *  one starts (epoch milliseconds; null while an attempt is under way). */
export interface ReconnectInfo {
  readonly failures: number;
  readonly retryAt: number | null;
}

export interface CampaignState {
  readonly campaign: Campaign | null;
  readonly phases: readonly Phase[];
  /** The server's tasks with the writes in flight laid over them, by phase position, then position. */
  readonly tasks: readonly Task[];
  /** Newest first, each entry once. */
  readonly history: readonly HistoryEntry[];
  readonly lastEventId: number;
  readonly connection: ConnectionState;
  readonly reconnect: ReconnectInfo | null;
  /** Why the stream last failed: set while reconnecting and when it gave up, null once live. */
  readonly streamError: ClientError | null;
  readonly clientId: string | null;
  /** Ids of the tasks with a write whose answer has not arrived yet. */
  readonly pending: readonly string[];
  /** The last failed write (the next successful write clears it). */
  readonly error: ClientError | null;
}

/** A token, a Promise of one, or a function returning either; "" or null sends none. */
export type TokenSource = string | null | undefined | Promise<string> | (() => string | null | undefined | Promise<string | null | undefined>);

export interface CampaignClientOptions {
  /** Where the REST API and /events live, e.g. "/api". */
  baseUrl: string;
  campaignId: string;
  token: TokenSource;
  /** Awaited on `auth-expiring`, before `token` is asked again. */
  onAuthExpiring?: () => unknown;
  /** Asked after a 401 (stream or snapshot) before giving up: a string it returns becomes the token;
   *  otherwise `token` is asked again. One retry at once with a different token. */
  getToken?: () => string | null | undefined | void | Promise<string | null | undefined | void>;
  /** Replaces `globalThis.fetch` (REST and the event stream). */
  fetchImpl?: (input: string, init?: RequestInit) => Promise<Response>;
  /**
   * Share one event stream (`GET /api/events?campaign=…`) with every client created with `shared: true`
   * in every tab of this origin: one tab holds the connection (Web Locks), the others follow
   * (BroadcastChannel), and another tab takes over when it closes. The first shared client of a page
   * lends the stream its `token`. Default false: one stream per client.
   */
  shared?: boolean;
}

export interface NewTask {
  /** A UUID; the client makes one when absent. */
  id?: string;
  phaseId: string;
  title: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assignee?: string | null;
  dueDate?: string | null;
  /** Clamped to the phase's size; default: the end. */
  position?: number | null;
}

export interface TaskChanges {
  title?: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assignee?: string | null;
  dueDate?: string | null;
}

export interface UpdateOptions {
  /** Sent as `If-Match` instead of the held version. */
  expectedVersion?: number;
}

export type StateListener = (state: CampaignState) => void;

export declare class CampaignClient {
  /** @throws TypeError when `baseUrl` is not a string or `campaignId` is empty. */
  constructor(options: CampaignClientOptions);
  /** A new frozen object on every change. */
  readonly state: CampaignState;
  /** Calls `listener(state)` now and on every change; returns the function that unsubscribes. */
  subscribe(listener: StateListener): () => void;
  /** Snapshot, then the stream; resolves once live. Rejects with a ClientError when refused or stopped. */
  start(): Promise<void>;
  /** Closes the stream; the state stays readable and writes still work. */
  stop(): void;
  createTask(fields: NewTask): Promise<Task>;
  updateTask(taskId: string, changes: TaskChanges, options?: UpdateOptions): Promise<Task>;
  moveTask(taskId: string, phaseId: string, position: number): Promise<Task>;
  deleteTask(taskId: string): Promise<void>;
}
