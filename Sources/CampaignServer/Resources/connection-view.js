// The connection indicator (role="status", so a screen reader hears it change).

const WORDS = Object.freeze({
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
});

/** Shows `connection` ("connecting" | "live" | "reconnecting" | "offline") in `indicator`;
 *  `data-state` carries the exact value for styles and tests. */
export function showConnection(indicator, connection) {
  if (indicator.dataset.state === connection) return;
  indicator.dataset.state = connection;
  indicator.textContent = WORDS[connection] ?? connection;
  indicator.title = `Live updates: ${WORDS[connection] ?? connection}`;
}
