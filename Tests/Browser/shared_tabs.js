// One tab of test_shared_stream.py: a shared CampaignClient per campaign in `#campaigns=a,b`, and a
// probe on the page's shared stream counting, per campaign and event id, how often each event was
// handed to this tab (so a duplicate shows even though the clients themselves skip one).

import { CampaignClient } from "/client/campaign-client.js";
import { sharedStreamHub } from "/client/campaign-shared-stream.js";

const parameters = new URLSearchParams(window.location.hash.slice(1));
const token = parameters.get("token");
const campaigns = parameters.get("campaigns").split(",");
const baseUrl = "/api";

const clients = campaigns.map((campaignId) => {
  const client = new CampaignClient({ baseUrl, campaignId, token, shared: true });
  client.start().catch((error) => console.error("client", campaignId, "did not start", error));
  return client;
});

const hub = sharedStreamHub({ baseUrl, token });
const seen = {}; // "campaignId eventId" → times handed to this tab
for (const campaignId of campaigns) {
  hub.watch(campaignId, {
    onEvent(event) {
      if (event.type !== "task-created") return;
      const key = `${campaignId} ${JSON.parse(event.data).eventId}`;
      seen[key] = (seen[key] ?? 0) + 1;
    },
    onStatus() {},
  });
}

window.__summary = () => ({
  leader: hub.isLeader,
  hub: hub.diagnostics,
  seen,
  clients: clients.map((client, index) => ({
    campaignId: campaigns[index],
    connection: client.state.connection,
    lastEventId: client.state.lastEventId,
    error: client.state.streamError,
    titles: client.state.tasks.map((task) => task.title),
  })),
});
document.getElementById("status").textContent = "started";
