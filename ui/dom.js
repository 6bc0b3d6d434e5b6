// Small DOM helpers for the panel: build elements, change text only when it differs, and keep a
// table's rows in step with a list without rebuilding them (rebuilding would drop the focus).

/** h('button', { type: 'button', 'aria-label': 'x' }, 'text', child) */
export function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('aria-') || k.startsWith('data-')) el.setAttribute(k, v);
    else el[k] = v;
  }
  el.append(...kids.filter((k) => k != null));
  return el;
}
export const setText = (el, s) => { if (el.textContent !== s) el.textContent = s; };

/** Keeps a tbody's rows in step with items (by key), creating and removing rows, updating the rest. */
export function syncRows(tbody, rows, items, key, make) {
  const want = items.map((it) => {
    let r = rows.get(key(it));
    if (!r) rows.set(key(it), r = make(it));
    r.update(it);
    return r.tr;
  });
  for (const [k, r] of rows) if (!items.some((it) => key(it) === k)) { r.tr.remove(); rows.delete(k); }
  // Re-append only when the order changed: moving a row would take focus from its button.
  if (want.some((tr, i) => tbody.children[i] !== tr)) tbody.append(...want);
}
