// Where the board keeps who is signed in and which campaign is open.
// The token comes from the prompt or from the printed dashboard link (`#token=…`) and lives in
// sessionStorage (gone when the tab closes); the campaign lives in the URL fragment
// (`#campaign=<id>`) so a reload or a shared link opens the same board.

const TOKEN_KEY = "campaign-board.token";
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Holds the token when sessionStorage refuses to (it then lasts for this page view only).
let memoryToken = "";

function fragmentParameters() {
  return new URLSearchParams(window.location.hash.replace(/^#/, ""));
}

function replaceFragment(parameters) {
  const fragment = parameters.toString();
  const url = `${window.location.pathname}${window.location.search}${fragment ? `#${fragment}` : ""}`;
  // replaceState: no history entry and no hashchange event.
  window.history.replaceState(window.history.state, "", url);
}

/** The stored token, or "" (sessionStorage can be unavailable, e.g. in some private modes). */
export function storedToken() {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

export function storeToken(token) {
  try {
    window.sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Without storage the token still works for this page view; a reload asks again.
  }
  memoryToken = token;
}

export function clearToken() {
  try {
    window.sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
  memoryToken = "";
}

export function currentToken() {
  return storedToken() || memoryToken;
}

/** Moves a `#token=…` from the fragment into sessionStorage, so the secret leaves the address bar
 *  (and the browser history) at once. Returns whether there was one. */
export function adoptTokenFromFragment() {
  const parameters = fragmentParameters();
  const token = parameters.get("token");
  if (!token) return false;
  storeToken(token.trim());
  parameters.delete("token");
  replaceFragment(parameters);
  return true;
}

/** The campaign id in the fragment, or null if there is none or it is not a UUID. */
export function campaignFromFragment() {
  const id = fragmentParameters().get("campaign");
  return id && UUID_PATTERN.test(id) ? id.toLowerCase() : null;
}

/** Opens a campaign by changing the fragment (a history entry: the back button returns to the list). */
export function navigateToCampaign(campaignId) {
  const parameters = fragmentParameters();
  if (campaignId) parameters.set("campaign", campaignId);
  else parameters.delete("campaign");
  window.location.hash = parameters.toString();
}

/**
 * The claims of a JWT, read without verifying it: only to adapt the page (hide writing controls
 * from a viewer, say who is signed in). The server checks the signature on every request.
 */
export function tokenClaims(token) {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === "object" ? claims : null;
  } catch {
    return null;
  }
}

/** Whether the token's `exp` has passed (a token without a readable `exp` is left to the server). */
export function isExpired(claims, now = Date.now()) {
  return typeof claims?.exp === "number" && claims.exp * 1000 <= now;
}
