// useCampaignExecution (campaign-react.js) in real React 18 (Debian's browser builds, loaded by
// react_hook.html), in StrictMode, over the scripted server of scripted_server.js.
// One board stays mounted through all checks (streams are not reset between them).

import { bindCampaignHooks } from "../../Sources/CampaignServer/Resources/campaign-react.js";
import { check, equal, publish } from "./check_runner.js";
import { CAMPAIGN, ID, PHASES, ScriptedStream, connectNewest, json, scriptedFetch, task, until } from "./scripted_server.js";

const { React, ReactDOM } = window;
const h = React.createElement;
const { useCampaignExecution } = bindCampaignHooks(React);
const container = document.getElementById("app");
const renders = { count: 0 };
let hook = null; // what the component's latest render got from the hook

function Board({ campaignId, fetchImpl, tokenPrefix }) {
  renders.count += 1;
  // A new token function on every render: must not rebuild the client.
  const execution = useCampaignExecution({ baseUrl: "/api", campaignId, token: () => `${tokenPrefix}-token`, fetchImpl });
  hook = execution;
  return h(
    "section",
    { "data-connection": execution.connection },
    h("p", { id: "pending" }, execution.pending.join(",")),
    h(
      "ul",
      null,
      execution.tasks.map((item) =>
        h("li", { key: item.id, "data-task-id": item.id, "data-pending": String(execution.pending.includes(item.id)) }, item.title),
      ),
    ),
  );
}

const shown = () => [...container.querySelectorAll("li")].map((item) => item.textContent);
const connectionShown = () => container.querySelector("section")?.dataset.connection;

const root = ReactDOM.createRoot(container);
const server = scriptedFetch();
const render = (props) => root.render(h(React.StrictMode, null, h(Board, { campaignId: CAMPAIGN, fetchImpl: server.fetchImpl, tokenPrefix: "a", ...props })));

await check("React 18 from Debian is loaded and has useSyncExternalStore", async () => {
  equal([React.version.split(".")[0], typeof React.useSyncExternalStore], ["18", "function"], "React");
});

await check("the hook starts the client once mounted and renders the snapshot, then live", async () => {
  render();
  await until(() => connectionShown() !== undefined, "the first render");
  equal(connectionShown(), "connecting", "first render");
  await connectNewest();
  await until(() => connectionShown() === "live", "live");
  equal(shown(), ["Task 1", "Task 2", "Task 3"], "tasks");
  // StrictMode mounts, unmounts and mounts again: the first stream was closed, one is open.
  equal(ScriptedStream.instances.filter((stream) => !stream.closed).length, 1, "one open stream");
});

await check("a new render with new functions keeps the same client and stream", async () => {
  const client = hook.client;
  const streams = ScriptedStream.instances.length;
  const before = renders.count;
  render({ tokenPrefix: "b" });
  await until(() => renders.count > before, "a new render");
  equal([hook.client === client, ScriptedStream.instances.length], [true, streams], "same client");
});

await check("a write shows at once with its task pending, then settles; an event re-renders", async () => {
  let release;
  server.setAnswer((request) => new Promise((resolve) => (release = () => resolve(json(200, task(2, 0, 1, { ...request.body, version: 2 }))))));
  const writing = hook.updateTask(ID(2), { title: "Renamed in React" });
  await until(() => shown()[1] === "Renamed in React", "the optimistic title");
  equal([container.querySelector(`[data-task-id="${ID(2)}"]`).dataset.pending, hook.pending], ["true", [ID(2)]], "pending shown");
  equal(server.requests.at(-1).headers.Authorization, "Bearer b-token", "the latest render's token");
  await until(() => release, "the request");
  release();
  await writing;
  await until(() => container.querySelector(`[data-task-id="${ID(2)}"]`).dataset.pending === "false", "settled");
  await ScriptedStream.last.emit("task-moved", {
    eventId: 11, campaignId: CAMPAIGN, origin: null, task: task(3, 0, 0, { version: 2 }), fromPhaseId: PHASES[1].id, toPhaseId: PHASES[0].id,
  }, 11);
  await until(() => shown()[0] === "Task 3", "the event");
  equal(shown(), ["Task 3", "Task 1", "Renamed in React"], "after the event");
});

await check("a failed write rolls back and sets error", async () => {
  server.setAnswer(() => json(503, { error: { code: "database_unavailable", message: "later" } }));
  const failure = await hook.deleteTask(ID(1)).then(() => null, (error) => error);
  await until(() => shown().includes("Task 1"), "rolled back");
  equal([failure.status, hook.error === failure], [503, true], "error");
});

await check("another campaign gets a new client; unmounting stops the stream", async () => {
  const first = hook.client;
  render({ campaignId: "22222222-2222-4222-8222-222222222222" });
  await until(() => hook.client !== first, "a new client");
  await until(() => first.state.connection === "offline", "the old client stopped");
  await until(() => ScriptedStream.instances.filter((stream) => !stream.closed).length === 1, "one open stream");
  root.unmount();
  await until(() => ScriptedStream.instances.every((stream) => stream.closed), "all streams closed");
});

await check("bindCampaignHooks refuses a React without useSyncExternalStore", async () => {
  let refused = null;
  try {
    bindCampaignHooks({ useEffect() {}, useMemo() {}, useRef() {} });
  } catch (error) {
    refused = error;
  }
  equal(refused?.name, "TypeError", "TypeError");
});

publish();
