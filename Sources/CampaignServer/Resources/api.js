// The few REST calls the board makes outside a campaign (listing and creating campaigns);
// everything inside a campaign goes through CampaignClient.

/** The API's base URL, relative to the page, so the board also works behind a path prefix. */
export const API_BASE = new URL("api", document.baseURI).href;

/** A failed call: `{ status, code, message }` (status 0 when the server could not be reached). */
function failure(status, code, message) {
  return Object.freeze({ status, code, message });
}

async function requestJson(path, { method = "GET", token, body } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw failure(0, "network_error", `The server could not be reached (${error?.message ?? error}).`);
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const detail = payload?.error ?? {};
    throw failure(response.status, detail.code ?? `http_${response.status}`, detail.message ?? response.statusText);
  }
  return payload;
}

export function listCampaigns(token) {
  return requestJson("/campaigns", { token });
}

export function createCampaign(token, name) {
  return requestJson("/campaigns", { method: "POST", token, body: { name } });
}
