// The tiny runner of the self-checking pages (client_contract.html, react_hook.html): each check
// is recorded as passed or failed with its error, and `publish()` hands the results to the test
// (window.__contractResults, read by conftest.run_check_page) and lists them on the page.

const results = [];

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function equal(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

export async function check(name, body) {
  try {
    await body();
    results.push({ name, ok: true });
  } catch (error) {
    results.push({ name, ok: false, error: String(error?.stack ?? error) });
  }
}

export function publish() {
  window.__contractResults = results;
  const list = document.getElementById("results");
  for (const result of results) {
    const item = document.createElement("li");
    item.textContent = `${result.ok ? "ok" : "FAILED"}: ${result.name}${result.ok ? "" : ` — ${result.error}`}`;
    list.append(item);
  }
  document.body.dataset.done = "true";
}
