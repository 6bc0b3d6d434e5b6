// The header's toolbar: power on/off, reset, the image and RAM size for the next boot (kept in
// localStorage), the light/dark switch, scrollback search, and a status line with the guest's
// instructions per second and the emulator's CPU use, and whether the JIT runs. main.js does what
// the buttons ask.
import { h, setText } from './dom.js';

const NEXT_BOOT_KEY = 'tabvm-next-boot';
export const RAM_CHOICES = [128, 256, 512, 1024, 2048];

/** { image?: string, ramMiB?: number } chosen for the next boot. */
export function loadNextBoot() {
  try {
    const v = JSON.parse(localStorage.getItem(NEXT_BOOT_KEY) ?? '{}');
    return { image: typeof v.image === 'string' ? v.image : undefined, ramMiB: RAM_CHOICES.includes(v.ramMiB) ? v.ramMiB : undefined };
  } catch {
    return {};
  }
}

function saveNextBoot(v) {
  try { localStorage.setItem(NEXT_BOOT_KEY, JSON.stringify(v)); } catch { /* not kept: fine */ }
}

/** "123 M instructions/s · CPU 97 %" from two stats() samples (CPU: the CPU worker's busy share). */
export function formatRate(prev, cur) {
  const ms = cur.at - prev.at;
  if (!(ms > 0)) return '';
  const ips = Number(BigInt(cur.instructions) - BigInt(prev.instructions)) / (ms / 1000);
  const cpu = Math.min(100, Math.max(0, ((cur.runMs - prev.runMs) / ms) * 100));
  const m = ips / 1e6;
  return `${m.toFixed(m >= 10 ? 0 : m >= 1 ? 1 : 2)} M instructions/s · CPU ${Math.round(cpu)} %`;
}

const STATS_MS = 1000;
const SYNC_WAIT_MS = 5000;

export class Toolbar {
  /**
   * @param {{root: HTMLElement, stats: HTMLElement, jitState?: HTMLElement, status: HTMLElement,
   *   onTheme: () => void, find: (text: string, back: boolean) => boolean, focusTerminal: () => void}} o
   */
  constructor(o) {
    Object.assign(this, o);
    this.vm = null;
    this.state = 'starting';
    this.onPower = () => (this.state === 'off' ? this.restart() : this.powerOff());
    this.onReset = () => this.restart();
    setInterval(() => this.sample(), STATS_MS);
    const next = loadNextBoot();
    this.power = h('button', { type: 'button', id: 'power-button', textContent: 'Power off', title: 'Stop the machine (its disks are saved first)' });
    this.reset = h('button', { type: 'button', id: 'reset-button', textContent: 'Reset', title: 'Restart the machine with the image and RAM chosen for the next boot' });
    this.image = h('select', { id: 'next-image', 'aria-label': 'Image for the next boot' }, h('option', { value: '', textContent: 'default image' }));
    this.ram = h('select', { id: 'next-ram', 'aria-label': 'RAM for the next boot' },
      h('option', { value: '', textContent: 'default RAM' }), ...RAM_CHOICES.map((m) => h('option', { value: String(m), textContent: `${m} MiB` })));
    this.image.value = next.image ?? '';
    this.ram.value = next.ramMiB ? String(next.ramMiB) : '';
    this.theme = h('button', { type: 'button', id: 'theme-button', title: 'Switch between the light and the dark terminal' });
    this.searchButton = h('button', { type: 'button', id: 'search-button', textContent: 'Search', title: 'Search the terminal (Ctrl+Shift+F)', 'aria-keyshortcuts': 'Control+Shift+F' });
    this.searchInput = h('input', { type: 'search', id: 'search-input', placeholder: 'Search the terminal', 'aria-label': 'Search the terminal' });
    this.searchForm = h('form', { id: 'search-form', hidden: true, role: 'search' }, this.searchInput,
      h('button', { type: 'button', textContent: '↑', title: 'Previous (Shift+Enter)', 'aria-label': 'Previous match', onclick: () => this.findNow(true) }),
      h('button', { type: 'submit', textContent: '↓', title: 'Next (Enter)', 'aria-label': 'Next match' }));
    for (const el of [this.power, this.reset, this.theme, this.searchButton]) el.addEventListener('mousedown', (e) => e.preventDefault());
    this.power.addEventListener('click', () => this.onPower());
    this.reset.addEventListener('click', () => this.onReset());
    this.theme.addEventListener('click', () => this.onTheme());
    this.searchButton.addEventListener('click', () => this.toggleSearch(true));
    const changed = () => {
      saveNextBoot({ image: this.image.value || undefined, ramMiB: Number(this.ram.value) || undefined });
      this.root.title = 'Takes effect at the next boot (Reset or Power on)';
    };
    this.image.addEventListener('change', changed);
    this.ram.addEventListener('change', changed);
    this.searchForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.findNow(false);
    });
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.shiftKey) {
        e.preventDefault();
        this.findNow(true);
      } else if (e.key === 'Escape') {
        this.toggleSearch(false);
      }
    });
    // Ctrl+Shift+F from anywhere, the terminal included (capture: before xterm sees the key).
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey && e.shiftKey && !e.altKey && e.code === 'KeyF') {
        e.preventDefault();
        e.stopPropagation();
        this.toggleSearch(true);
      }
    }, true);
    this.root.append(this.power, this.reset,
      h('label', { className: 'next-boot' }, 'Next boot: ', this.image, ' ', this.ram),
      this.searchButton, this.searchForm, this.theme);
  }

  /** The running machine (after TabVM.start resolved); its power-off shows here too. */
  setMachine(vm) {
    this.vm = vm;
    this.prev = null;
    this.setState('running');
    vm.stopped.then(() => this.setState('off'));
    this.showJit(vm.jit);
  }

  /** "JIT on" or "JIT off" beside the speed; where the browser cannot run it, the title says why. */
  showJit(status) {
    if (!this.jitState) return;
    const on = status === 'on';
    setText(this.jitState, on ? 'JIT on' : 'JIT off');
    this.jitState.title = on ? 'Hot guest code runs compiled to WebAssembly (?jit=off for the interpreter only)'
      : status?.startsWith('unsupported') ? `The interpreter runs: the JIT is ${status}` : 'The interpreter runs: the JIT was turned off';
    this.jitState.hidden = false;
  }

  /** Stops the machine: the guest's own buffers are synced first where it answers in time. */
  async powerOff() {
    const vm = this.vm;
    if (!vm) return;
    this.setState('starting');
    setText(this.status, 'Powering off…');
    await Promise.race([vm.exec('sync'), new Promise((r) => setTimeout(r, SYNC_WAIT_MS))]).catch(() => {});
    await vm.stop().catch(() => {});
    setText(this.status, 'Powered off');
    this.setState('off');
  }

  /** Power on and reset: a fresh page load boots with the next-boot choices (disks are kept). */
  async restart() {
    const wasOn = this.state !== 'off';
    this.setState('starting');
    setText(this.status, 'Restarting…');
    if (this.vm && wasOn) {
      await Promise.race([this.vm.exec('sync'), new Promise((r) => setTimeout(r, SYNC_WAIT_MS))]).catch(() => {});
    }
    await Promise.race([this.vm?.stop(), new Promise((r) => setTimeout(r, SYNC_WAIT_MS))]).catch(() => {});
    // ?image= in the address names the first boot only: the toolbar's choice wins from now on.
    const u = new URL(location.href);
    if (loadNextBoot().image) u.searchParams.delete('image');
    location.replace(u.href);
  }

  async sample() {
    if (!this.vm || this.state !== 'running' || document.hidden) return;
    try {
      const s = await this.vm.stats();
      const cur = { at: performance.now(), instructions: s.instructions, runMs: s.runMs };
      if (this.prev) setText(this.stats, formatRate(this.prev, cur));
      this.prev = cur;
    } catch { /* stopping */ }
  }

  /** The images the server has (plus the in-RAM guest). */
  setImages(names) {
    for (const n of ['tiny', ...names]) {
      if (![...this.image.options].some((o) => o.value === n)) this.image.append(h('option', { value: n, textContent: n }));
    }
    const saved = loadNextBoot().image;
    if (saved && [...this.image.options].some((o) => o.value === saved)) this.image.value = saved;
  }

  /** 'running' | 'starting' | 'off' */
  setState(state) {
    this.state = state;
    setText(this.power, state === 'off' ? 'Power on' : 'Power off');
    this.power.title = state === 'off' ? 'Start the machine' : 'Stop the machine (its disks are saved first)';
    this.power.disabled = state === 'starting';
    this.reset.disabled = state === 'starting';
    if (state !== 'running') setText(this.stats, '');
  }

  setThemeLabel(theme) {
    setText(this.theme, theme === 'dark' ? 'Light' : 'Dark');
    this.theme.setAttribute('aria-label', `Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`);
  }

  toggleSearch(open) {
    this.searchForm.hidden = !open;
    this.searchButton.hidden = open;
    if (open) {
      this.searchInput.focus();
      this.searchInput.select();
    } else {
      this.focusTerminal();
    }
  }

  findNow(back) {
    const text = this.searchInput.value;
    if (!text) return;
    const found = this.find(text, back);
    this.searchInput.setCustomValidity(found ? '' : 'not found');
    this.searchInput.title = found ? '' : `"${text}" is not in the terminal`;
  }
}
