// Messages under the page header: errors stay until dismissed (a person must be able to read
// "storage quota exceeded" after looking away); notes go away by themselves. Nothing here takes
// focus, so typing in the terminal is never interrupted; errors are announced by role="alert".
const MAX = 6;
const NOTE_MS = 12_000;

export class Notices {
  constructor(root) {
    this.root = root;
    this.byKey = new Map(); // key -> element: the same problem reported again updates one line
  }

  /** An error line; `key` merges repeats (e.g. the sync loop failing on every retry). */
  error(text, key = text) {
    return this.show('error', text, key);
  }

  /** A passing note (an attach finished, the server ignores Range...). */
  note(text, key = text) {
    const el = this.show('note', text, key);
    clearTimeout(el.timer);
    el.timer = setTimeout(() => this.dismiss(key), NOTE_MS);
    return el;
  }

  show(kind, text, key) {
    let el = this.byKey.get(key);
    if (!el) {
      const msg = document.createElement('span');
      const close = Object.assign(document.createElement('button'), {
        type: 'button', className: 'notice-close', textContent: '×', title: 'Dismiss',
      });
      close.setAttribute('aria-label', 'Dismiss message');
      close.addEventListener('mousedown', (e) => e.preventDefault()); // keep the terminal's focus
      close.addEventListener('click', () => this.dismiss(key));
      el = Object.assign(document.createElement('div'), { className: `notice notice-${kind}` });
      el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      el.append(msg, close);
      el.msg = msg;
      this.byKey.set(key, el);
      this.root.append(el);
      while (this.byKey.size > MAX) this.dismiss(this.byKey.keys().next().value); // the oldest
    }
    el.className = `notice notice-${kind}`;
    if (el.msg.textContent !== text) el.msg.textContent = text;
    return el;
  }

  dismiss(key) {
    const el = this.byKey.get(key);
    if (!el) return;
    clearTimeout(el.timer);
    el.remove();
    this.byKey.delete(key);
  }
}
