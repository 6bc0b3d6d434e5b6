// The guest console's terminal: xterm.js fitted to its element, a light and a dark theme (the
// choice persists), scrollback search (the search add-on, Ctrl+Shift+F), clickable links (the
// web-links add-on), and copy and paste with Ctrl+Shift+C and Ctrl+Shift+V.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';

const THEME_KEY = 'tabvm-theme';

// Both keep the 16 ANSI colours readable on their background (a light theme with xterm's default
// white and yellow would lose text that programs print in them).
export const THEMES = {
  dark: {
    background: '#1e222a', foreground: '#d8dee9', cursor: '#4ee08a', cursorAccent: '#1e222a',
    selectionBackground: '#44506a',
  },
  light: {
    background: '#fbfbf8', foreground: '#24292f', cursor: '#0a7d3a', cursorAccent: '#fbfbf8',
    selectionBackground: '#b6cdf0',
    black: '#24292f', red: '#c0262d', green: '#116329', yellow: '#8a5a00', blue: '#0550ae',
    magenta: '#8250df', cyan: '#1b7c83', white: '#6e7781',
    brightBlack: '#57606a', brightRed: '#d1242f', brightGreen: '#1a7f37', brightYellow: '#9a6700',
    brightBlue: '#218bff', brightMagenta: '#a475f9', brightCyan: '#3192aa', brightWhite: '#8c959f',
  },
};

export function savedTheme() {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t in THEMES) return t;
  } catch { /* storage off: the default */ }
  return matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

/**
 * The theme of the whole page: style.css and disks_panel.css follow html[data-theme], and the
 * browser's own controls and the window's title bar (theme-color) follow with it.
 */
export function applyPageTheme(name) {
  document.documentElement.dataset.theme = name;
  document.querySelector('meta[name=theme-color]')?.setAttribute('content', THEMES[name].background);
}

/** Creates the terminal in `el`; returns it with its fit, theme and search controls. */
export function createTerminal(el, { onClipboardError } = {}) {
  let theme = savedTheme();
  const term = new Terminal({ convertEol: false, scrollback: 5000, fontSize: 14, theme: THEMES[theme] });
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.loadAddon(new WebLinksAddon());
  term.open(el);
  fit.fit();
  /** Copies text (default: the selection now); false when there is nothing to copy. */
  const copy = async (text = term.getSelection()) => {
    if (!text) return false;
    await navigator.clipboard.writeText(text);
    return true;
  };
  const paste = async () => {
    const text = await navigator.clipboard.readText();
    if (text) term.paste(text);
    return !!text;
  };
  // Ctrl+Shift+C / Ctrl+Shift+V copy and paste, as in desktop terminals (Ctrl+C stays the
  // guest's interrupt); the right-click menu (context_menu.js) calls the same two.
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey || e.altKey) return true;
    if (e.code === 'KeyC' || e.code === 'KeyV') {
      e.preventDefault(); // Chromium's Ctrl+Shift+C would open the element inspector
      (e.code === 'KeyC' ? copy() : paste()).catch((err) => onClipboardError?.(err));
      return false;
    }
    return true;
  });
  applyPageTheme(theme);
  return {
    term,
    fit: () => fit.fit(),
    theme: () => theme,
    /** Copies the selection, or the text given (false when empty); rejects if the browser refuses. */
    copy,
    selection: () => term.getSelection(),
    /** Types the clipboard's text into the guest; rejects if the browser refuses to read it. */
    paste,
    selectAll: () => term.selectAll(),
    setTheme(name) {
      theme = name;
      term.options.theme = THEMES[name];
      applyPageTheme(name);
      try { localStorage.setItem(THEME_KEY, name); } catch { /* not kept: fine */ }
    },
    /** Selects the next (or previous) match of text in the scrollback; false when none. */
    find: (text, back = false) => (back ? search.findPrevious(text) : search.findNext(text)),
    clearFind: () => search.clearDecorations?.(),
  };
}
