/**
 * Types of campaign-react.js (served beside it at /client/campaign-react.d.ts): the
 * `useCampaignExecution` hook over campaign-client.js. docs/CLIENT.md, "React".
 */

import type {
  Campaign,
  CampaignClient,
  CampaignClientOptions,
  CampaignState,
  ClientError,
  ConnectionState,
  HistoryEntry,
  NewTask,
  Phase,
  Task,
  TaskChanges,
  UpdateOptions,
} from "./campaign-client.js";

/** The part of React the hook uses (React 18 or later). */
export interface ReactHooks {
  useEffect(effect: () => void | (() => void), deps?: readonly unknown[]): void;
  useMemo<T>(factory: () => T, deps: readonly unknown[]): T;
  useRef<T>(initialValue: T): { current: T };
  useSyncExternalStore<T>(subscribe: (onChange: () => void) => () => void, getSnapshot: () => T, getServerSnapshot?: () => T): T;
}

/** The client's options; the functions among them may be new on every render. */
export type CampaignExecutionOptions = CampaignClientOptions;

export interface CampaignExecution {
  /** The client's current state (a new frozen object on every change). */
  readonly state: CampaignState;
  readonly campaign: Campaign | null;
  readonly phases: readonly Phase[];
  readonly tasks: readonly Task[];
  readonly history: readonly HistoryEntry[];
  readonly connection: ConnectionState;
  /** Ids of the tasks with a write in flight. */
  readonly pending: readonly string[];
  readonly error: ClientError | null;
  readonly streamError: ClientError | null;
  createTask(fields: NewTask): Promise<Task>;
  updateTask(taskId: string, changes: TaskChanges, options?: UpdateOptions): Promise<Task>;
  moveTask(taskId: string, phaseId: string, position: number): Promise<Task>;
  deleteTask(taskId: string): Promise<void>;
  /** Starts the client again after it went offline (a refusal). */
  reconnect(): Promise<void>;
  readonly client: CampaignClient;
}

export interface CampaignHooks {
  useCampaignExecution(options: CampaignExecutionOptions): CampaignExecution;
}

/** Binds the hooks to the page's React. @throws TypeError without useSyncExternalStore. */
export declare function bindCampaignHooks(React: ReactHooks): CampaignHooks;
