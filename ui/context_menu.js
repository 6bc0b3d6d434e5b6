// The terminal's right-click menu: Copy, Paste, Select all, Search. The browser's own menu on a
// terminal offers Copy and Paste only when xterm's hidden textarea happens to sit under the
// pointer, and a page cannot drive it or test it; this one always works, and opens from the
// keyboard too (the Menu key, or Shift+F10, in the terminal). Shift+right-click still gives the
// browser's menu. Arrow keys move between items, Enter picks, Esc closes; focus then goes back
// to the terminal.
import { h } from './dom.js';

export class TerminalMenu {
  /**
   * @param {{el: HTMLElement, items: Array<{label: string, keys?: string, run: () => void,
   *   enabled?: () => boolean}>, focusTerminal: () => void}} o
   */
  constructor(o) {
    Object.assign(this, o);
    this.menu = h('div', { id: 'terminal-menu', role: 'menu', 'aria-label': 'Terminal', hidden: true, tabIndex: -1 });
    this.buttons = this.items.map((it) => {
      const b = h('button', { type: 'button', role: 'menuitem', tabIndex: -1 },
        h('span', { textContent: it.label }), h('span', { className: 'menu-keys', textContent: it.keys ?? '' }));
      b.setAttribute('aria-label', it.label);
      b.addEventListener('mousedown', (e) => e.preventDefault()); // xterm keeps its selection
      b.addEventListener('click', () => {
        this.close();
        it.run();
      });
      return b;
    });
    this.menu.append(...this.buttons);
    document.body.append(this.menu);
    this.el.addEventListener('contextmenu', (e) => {
      if (e.shiftKey && e.button === 2) return; // the browser's own menu
      e.preventDefault();
      // From the keyboard (Menu key): no pointer position, so at the terminal's corner.
      const r = this.el.getBoundingClientRect();
      const keyboard = e.button !== 2 || (e.clientX === 0 && e.clientY === 0);
      this.open(keyboard ? r.left + 16 : e.clientX, keyboard ? r.top + 16 : e.clientY, keyboard);
    });
    // Shift+F10 opens it too (capture: xterm would send the key to the guest).
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'F10' && e.shiftKey && !e.ctrlKey && !e.altKey) {
        e.preventDefault();
        e.stopPropagation();
        const r = this.el.getBoundingClientRect();
        this.open(r.left + 16, r.top + 16, true);
      }
    }, true);
    this.menu.addEventListener('keydown', (e) => this.key(e));
    document.addEventListener('mousedown', (e) => { if (!this.menu.hidden && !this.menu.contains(e.target)) this.close(false); }, true);
    window.addEventListener('blur', () => this.close(false));
    window.addEventListener('resize', () => this.close(false));
  }

  open(x, y, fromKeyboard) {
    this.items.forEach((it, i) => { this.buttons[i].disabled = it.enabled ? !it.enabled() : false; });
    this.menu.hidden = false;
    // Kept inside the window (a right-click near the bottom or right edge opens it up or left).
    const { width, height } = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.max(0, Math.min(x, innerWidth - width - 4))}px`;
    this.menu.style.top = `${Math.max(0, Math.min(y, innerHeight - height - 4))}px`;
    if (fromKeyboard) this.move(0, 1);
    else this.menu.focus();
  }

  close(refocus = true) {
    if (this.menu.hidden) return;
    this.menu.hidden = true;
    if (refocus) this.focusTerminal();
  }

  /** Focuses the next enabled item from index `from` in direction `dir` (wrapping). */
  move(from, dir) {
    const n = this.buttons.length;
    for (let k = 0; k < n; k++) {
      const b = this.buttons[(((from + dir * k) % n) + n) % n];
      if (!b.disabled) { b.focus(); return; }
    }
  }

  key(e) {
    const i = this.buttons.indexOf(document.activeElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      this.close();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      this.move(i + 1, 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      this.move(i < 0 ? this.buttons.length - 1 : i - 1, -1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      this.move(e.key === 'Home' ? 0 : this.buttons.length - 1, e.key === 'Home' ? 1 : -1);
    }
  }
}
