// The connection indicator (role="status", so a screen reader hears it change).

const WORDS = Object.freeze({
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
});

/** Shows the client's `connection` ("connecting" | "live" | "reconnecting" | "offline") in
 *  `indicator`, and while reconnecting which attempt comes next and why the last one failed.
 *  `data-state` carries the exact value and `data-failures` the failed attempts, for styles and tests. */
export function showConnection(indicator, connection, { reconnect = null, streamError = null } = {}) {
  const failures = reconnect?.failures ?? 0;
  const words = WORDS[connection] ?? connection;
  const text = connection === "reconnecting" && failures > 0 ? `${words} (attempt ${failures + 1})` : words;
  if (indicator.dataset.state === connection && indicator.textContent === text) return;
  indicator.dataset.state = connection;
  indicator.dataset.failures = String(failures);
  indicator.textContent = text;
  const why = streamError && connection !== "live" ? ` (last error: ${streamError.message})` : "";
  const next = reconnect?.retryAt ? `; next try at ${new Date(reconnect.retryAt).toLocaleTimeString()}` : "";
  indicator.title = `Live updates: ${words}${next}${why}`;
}
