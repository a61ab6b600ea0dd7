// N CampaignClients in one page (test_reconnect.py): client i talks to the server through proxy
// port i (`#ports=p0,p1,…`), so each has its own origin and its own connection, and the page holds
// N live event streams at once despite the browser's 6 connections per origin. The proxy times
// the reconnects; the page reports each client's state.

import { CampaignClient } from "/client/campaign-client.js";

const parameters = new URLSearchParams(window.location.hash.slice(1));
const token = parameters.get("token");
const campaignId = parameters.get("campaign");

window.__clients = parameters.get("ports").split(",").map((port, index) => {
  const client = new CampaignClient({ baseUrl: `http://127.0.0.1:${port}/api`, campaignId, token });
  client.start().catch((error) => console.error("client", index, "did not start", error));
  return client;
});

window.__summary = () =>
  window.__clients.map((client, index) => ({
    index,
    connection: client.state.connection,
    titles: client.state.tasks.map((task) => task.title),
  }));
document.getElementById("status").textContent = "started";
