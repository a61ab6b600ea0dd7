// Tiny DOM helpers for the board: building elements and reordering keyed children in place.

/**
 * Creates an element. `attributes`: plain attributes (`false`/`null` leave them out, `true` sets them
 * empty), `dataset` (an object of data-* values) and `on` (an object of event listeners).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "on") for (const [type, listener] of Object.entries(value)) element.addEventListener(type, listener);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value != null) element.setAttribute(name, String(value));
  }
  element.append(...children.flat().filter((child) => child != null && child !== false));
  return element;
}

/** Makes `nodes` the children of `parent`, in order, moving only the nodes that are out of place
 *  (so unchanged cards keep their DOM, and with it hover and drag state). */
export function syncChildren(parent, nodes) {
  let cursor = parent.firstChild;
  for (const node of nodes) {
    if (node === cursor) {
      cursor = cursor.nextSibling;
      continue;
    }
    parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

/** The element with `data-testid="<testId>"` inside `root` (the document by default). */
export function byTestId(testId, root = document) {
  return root.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
}
