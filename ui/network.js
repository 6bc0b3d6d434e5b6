// The page's network card: which relay it uses, its MAC address, and the network part of the
// toolbar (the state of the link, a field to use another relay).
//
// The relay: `?relay=ws://…` (or `?relay=none`), else the one chosen last in the field (kept in
// localStorage), else the one `make run` starts beside the page (ws://127.0.0.1:8081/) when the
// page itself comes from this machine's loopback. A page served elsewhere has no default: its
// visitors' own relays are theirs to name.
import { h, setText } from './dom.js';
import './network.css';

const RELAY_KEY = 'tabvm-relay';
const MAC_KEY = 'tabvm-mac';
export const LOCAL_RELAY_PORT = 8081;
const POLL_MS = 1000;

function onLoopback() {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(location.hostname);
}

/** The relay URL the page starts with, or null for none. */
export function initialRelay() {
  const asked = new URLSearchParams(location.search).get('relay');
  if (asked !== null) return asked === 'none' || asked === '' ? null : asked;
  const kept = localStorage.getItem(RELAY_KEY);
  if (kept !== null) return kept || null;
  return onLoopback() ? `ws://127.0.0.1:${LOCAL_RELAY_PORT}/` : null;
}

/** This browser's card address: made once (locally administered, random), then kept. */
export function machineMac() {
  let mac = localStorage.getItem(MAC_KEY);
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac ?? '')) {
    const b = crypto.getRandomValues(new Uint8Array(6));
    b[0] = (b[0] & 0xfc) | 0x02;
    mac = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
    localStorage.setItem(MAC_KEY, mac);
  }
  return mac.split(':').map((x) => parseInt(x, 16));
}

/** What the toolbar says about the link. */
export function describe(s) {
  if (!s) return 'Network: none';
  if (!s.relay) return 'Network: off (no relay)';
  switch (s.state) {
    case 'up': return 'Network: up';
    case 'connecting': return 'Network: connecting…';
    default: return `Network: relay unreachable, retrying${s.error ? ` (${s.error})` : ''}`;
  }
}

/** The header's network part: the link's state, and a relay field after it. */
export class NetworkControl {
  /** @param {HTMLElement} state  the page's network state element (#network-state, a status) */
  constructor(state) {
    this.vm = null;
    this.state = state;
    state.id = 'network-state';
    state.setAttribute('role', 'status');
    state.setAttribute('aria-label', 'Network');
    state.textContent = 'Network: …';
    state.hidden = false;
    this.input = h('input', { type: 'url', id: 'relay-url', placeholder: 'ws://host:port/ (empty: no network)',
      'aria-label': 'Relay URL', spellcheck: false });
    this.form = h('form', { id: 'relay-form', hidden: true }, this.input,
      h('button', { type: 'submit', textContent: 'Use' }));
    this.button = h('button', { type: 'button', id: 'relay-button', textContent: 'Relay',
      title: 'Which relay the network card uses' });
    this.button.addEventListener('mousedown', (e) => e.preventDefault());
    this.button.addEventListener('click', () => {
      this.form.hidden = !this.form.hidden;
      if (!this.form.hidden) this.input.focus();
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.use(this.input.value.trim());
    });
    state.after(h('span', { className: 'net' }, this.button, this.form));
  }

  setMachine(vm) {
    this.vm = vm;
    const tick = async () => {
      let s = null;
      try {
        s = await vm.netStatus();
      } catch { /* the machine is gone */ }
      setText(this.state, describe(s));
      this.state.dataset.state = s?.state ?? 'none';
      this.state.title = s?.relay ? `${s.relay} · MAC ${s.mac}` : '';
      if (s && document.activeElement !== this.input) this.input.value = s.relay ?? '';
    };
    tick();
    this.timer = setInterval(tick, POLL_MS);
    vm.stopped.then(() => clearInterval(this.timer));
  }

  async use(url) {
    if (url && !/^wss?:\/\/./.test(url)) {
      this.input.setCustomValidity('a ws:// or wss:// URL, or empty for no network');
      this.input.reportValidity();
      return;
    }
    this.input.setCustomValidity('');
    localStorage.setItem(RELAY_KEY, url);
    this.form.hidden = true;
    await this.vm?.setRelay(url || null);
  }
}
