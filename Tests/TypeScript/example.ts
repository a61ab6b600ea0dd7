// A typed use of campaign-client.js, checked by `tsc -p Tests/TypeScript` (scripts/test): it must
// compile against campaign-client.d.ts under --strict, and the @ts-expect-error lines must fail.

import {
  CampaignClient,
  type CampaignState,
  type ClientError,
  type ConnectionState,
  type StreamEventMap,
  type Task,
} from "../../Sources/CampaignServer/Resources/campaign-client.js";

declare function refreshToken(): Promise<string>;

const client = new CampaignClient({
  baseUrl: "/api",
  campaignId: "11111111-1111-4111-8111-111111111111",
  token: () => sessionStorage.getItem("token"),
  onAuthExpiring: async () => {
    await refreshToken();
  },
  getToken: refreshToken,
});

function describe(state: CampaignState): string {
  const connection: ConnectionState = state.connection;
  const waiting = state.reconnect?.retryAt ? ` until ${new Date(state.reconnect.retryAt).toISOString()}` : "";
  const why = state.streamError ? `: ${state.streamError.code}` : "";
  const tasks = state.tasks.map((task: Task) => `${task.title} (${task.status}, v${task.version})`).join(", ");
  return `${state.campaign?.name ?? "…"} ${connection}${waiting}${why} [${tasks}] pending ${state.pending.length}`;
}

const unsubscribe: () => void = client.subscribe((state) => console.log(describe(state)));

async function work(): Promise<void> {
  await client.start();
  const [planning, creative] = client.state.phases;
  if (!planning || !creative) return;
  const task: Task = await client.createTask({ phaseId: planning.id, title: "New creative asset", priority: "high" });
  const updated = await client.updateTask(task.id, { status: "in_progress", assignee: null }, { expectedVersion: task.version });
  await client.moveTask(updated.id, creative.id, 0);
  const nothing: void = await client.deleteTask(updated.id);
  void nothing;
  try {
    await client.updateTask(task.id, { dueDate: "2030-01-31" });
  } catch (failure) {
    const error = failure as ClientError;
    if (error.status === 412) console.log("changed elsewhere", error.message, error.taskId);
  }
  // @ts-expect-error: not a status
  await client.updateTask(task.id, { status: "finished" });
  // @ts-expect-error: a title is required
  await client.createTask({ phaseId: planning.id });
  // @ts-expect-error: the state is read-only
  client.state.tasks = [];
  client.stop();
  unsubscribe();
}

const moved: StreamEventMap["task-moved"]["toPhaseId"] = "phase";
void moved;
void work();
