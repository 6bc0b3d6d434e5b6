// The demo page: an xterm.js terminal on the guest console, a progress bar for download and
// boot, the disks panel, and window.tabvm for scripts and tests. The UI thread only renders and
// relays bytes (and keeps the disks' writes in IndexedDB).
import { applyPageTheme, createTerminal, savedTheme } from './terminal.js';
import { Toolbar, loadNextBoot } from './toolbar.js';
import { NetworkControl, initialRelay, machineMac } from './network.js';
import { TabVM, listImages, unsupportedReason } from './tabvm.js';
import { DisksPanel } from './disks_panel.js';
import { Notices } from './notices.js';
import { describeError } from './disk_actions.js';
import { preparePage } from './pwa.js';
import { FilesUi } from './files_ui.js';
import { TerminalMenu } from './context_menu.js';

const status = document.getElementById('status');
const progress = document.getElementById('progress');

/** ?jit=off: false (the interpreter only), ?jit=on: true, else undefined (the default). */
function jitParam(v) {
  return v === 'off' ? false : v === 'on' ? true : undefined;
}

/** What the status line says when the machine cannot start. */
function startFailure(e) {
  // The root disk is locked by the tab that has this machine open; a second copy would corrupt it.
  if (e?.name === 'DiskInUseError') return 'This machine\'s disk is open in another tab: close it there, then reload';
  if (e?.name === 'StorageUnavailableError') return `Cannot start: ${describeError(e)}`;
  // Offline, an image never opened here (or whose offline copy was removed) cannot be read.
  if (navigator.onLine === false || /offline/.test(e?.message ?? '')) {
    return 'Cannot start offline: this image was not kept for offline use in this browser. Connect once ' +
      '(the blocks a boot reads are then kept), or choose the in-RAM guest "tiny" for the next boot and press Reset.';
  }
  const msg = String(e?.message ?? e).replace(/\.$/, '');
  // Every message starts with "Error:" (scripts and tests look for it) and ends with what to do.
  if (e instanceof TypeError && /fetch|network/i.test(msg)) {
    return `Error: TabVM's files could not be downloaded (${msg}). Check the connection, then press Power on to try again.`;
  }
  if (e instanceof RangeError || /allocate|out of memory/i.test(msg)) {
    return `Error: the browser could not give the machine its memory (${msg}). Choose less RAM for the next boot and press Power on.`;
  }
  if (/^no image /.test(msg)) return `Error: ${msg}. Choose another image for the next boot and press Power on.`;
  if (/HTTP 404/.test(msg)) return `Error: ${msg}. This copy of TabVM is missing a file on its server: reload later, or tell whoever hosts it.`;
  return `Error: ${msg}. Press Power on to try again; if it fails again, choose another image or less RAM for the next boot.`;
}

/**
 * The disks' events, with a disk's download (a server that ignores Range sends the whole image
 * once) also on the status line while the machine starts: the panel, where the rest goes, is
 * closed then, and "Booting Linux…" would hide a long wait.
 */
function startingDiskEvents(events) {
  return {
    ...events,
    onProgress: (id, stage, f) => {
      events.onProgress(id, stage, f);
      if (window.tabvm || stage !== 'downloading') return;
      status.textContent = `Downloading the disk image "${id}": ${Math.round(f * 100)}%`;
      progress.value = 0.3 + f * 0.4;
    },
  };
}

/** "A new version is available": Reload stops the machine (its disks flush) and reloads. */
function offerUpdate(notices, reload) {
  const el = notices.show('note', 'A new version of TabVM is available.', 'update');
  el.id = 'update-prompt';
  if (el.querySelector('.notice-action')) return;
  const button = Object.assign(document.createElement('button'), { type: 'button', className: 'notice-action', textContent: 'Reload' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Updating…';
    // Changes already saved are kept either way; stopping first saves the last few.
    await Promise.race([window.tabvm?.stop(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
    reload();
  });
  el.msg.after(button);
}

/** The browser would not let the page use the clipboard: say so, and what works instead. */
function clipboardRefused(notices, e) {
  console.warn('tabvm: clipboard:', e);
  notices.error('The browser did not let this page use the clipboard (permission refused?). Allow it in the site settings, ' +
    'or use the browser\'s own menu: Shift+right-click on the terminal.', 'clipboard');
}

/** The terminal's right-click menu (ui/context_menu.js). */
function terminalMenu(terminal, toolbar, files, notices) {
  const refused = (e) => clipboardRefused(notices, e);
  // Copy takes what was selected when the menu opened: output arriving meanwhile (a prompt)
  // may clear xterm's selection before the click.
  let selected = '';
  return new TerminalMenu({
    el: document.getElementById('terminal'),
    focusTerminal: () => terminal.term.focus(),
    items: [
      { label: 'Copy', keys: 'Ctrl+Shift+C', enabled: () => !!(selected = terminal.selection()), run: () => terminal.copy(selected).catch(refused) },
      { label: 'Paste', keys: 'Ctrl+Shift+V', run: () => terminal.paste().catch(refused) },
      { label: 'Select all', run: () => terminal.selectAll() },
      { label: 'Search…', keys: 'Ctrl+Shift+F', run: () => toolbar.toggleSearch(true) },
      { label: 'Files…', run: () => files.open() },
    ],
  });
}

async function main() {
  /* global __TABVM_BUILD__ */
  document.documentElement.dataset.build = __TABVM_BUILD__;
  applyPageTheme(savedTheme()); // before anything is drawn, messages included
  const notices = new Notices(document.getElementById('notices'));
  const page = await preparePage({
    onNeedRefresh: (reload) => offerUpdate(notices, reload),
    onStatus: (text, f) => {
      status.textContent = text;
      if (f !== undefined) progress.value = f * 0.3; // the boot's own progress follows
    },
  });
  if (page.reloading) return;
  const why = page.why ?? unsupportedReason();
  if (why) {
    const p = document.getElementById('unsupported');
    p.textContent = why;
    p.hidden = false;
    status.textContent = 'Unsupported browser';
    progress.hidden = true;
    document.getElementById('disks-button').hidden = true;
    document.getElementById('files-button').hidden = true;
    return;
  }
  const terminal = createTerminal(document.getElementById('terminal'), {
    onClipboardError: (e) => clipboardRefused(notices, e),
  });
  const { term } = terminal;
  // Screen readers announce, on entering the terminal, the keys that lead out of it.
  term.textarea?.setAttribute('aria-describedby', 'terminal-keys');
  const fit = { fit: terminal.fit };
  const toolbar = new Toolbar({
    root: document.getElementById('toolbar'),
    stats: document.getElementById('machine-stats'),
    jitState: document.getElementById('jit-state'),
    status,
    onTheme: () => {
      terminal.setTheme(terminal.theme() === 'dark' ? 'light' : 'dark');
      toolbar.setThemeLabel(terminal.theme());
    },
    find: (text, back) => terminal.find(text, back),
    focusTerminal: () => term.focus(),
  });
  toolbar.setThemeLabel(terminal.theme());
  const network = new NetworkControl(document.getElementById('network-state') ??
    document.getElementById('machine-stats').insertAdjacentElement('afterend', document.createElement('span')));
  const nextBoot = loadNextBoot();
  // The panel exists before the machine, so errors while the disks open are shown, and stored
  // disks can be managed (e.g. an old one deleted) even when the machine cannot start.
  const panel = new DisksPanel({
    panel: document.getElementById('disks-panel'),
    button: document.getElementById('disks-button'),
    indicator: document.getElementById('sync-indicator'),
    notices,
    focusTerminal: () => term.focus(),
  });
  const files = new FilesUi({
    button: document.getElementById('files-button'),
    notices,
    attachDisk: (file) => panel.attachFile(file),
    focusTerminal: () => term.focus(),
  });
  terminalMenu(terminal, toolbar, files, notices);
  document.querySelector('.skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    term.focus();
  });
  let vm;
  try {
    vm = await TabVM.start({
      // ?image=tiny | tiny-disk | debian picks the guest (default: Debian where it was built).
      // The toolbar's choices for this boot come next.
      image: new URLSearchParams(location.search).get('image') ?? nextBoot.image,
      // ?jit=off runs the interpreter only (for comparing); ?jit=on or nothing: the default.
      jit: jitParam(new URLSearchParams(location.search).get('jit')),
      ramMiB: nextBoot.ramMiB,
      cols: term.cols,
      rows: term.rows,
      diskEvents: startingDiskEvents(panel.events),
      net: { relay: initialRelay(), mac: machineMac() },
      onProgress: (stage, f) => {
        status.textContent = stage === 'download' ? `Downloading ${Math.round(f * 100)}%` : 'Booting Linux…';
        progress.value = stage === 'download' ? f * 0.7 : 0.8;
      },
    });
  } catch (e) {
    progress.hidden = true;
    toolbar.setState('off'); // Power on and Reset try again (with the next-boot choices)
    status.textContent = startFailure(e);
    console.error(e);
    return;
  }
  window.tabvm = vm;
  panel.setMachine(vm);
  toolbar.setMachine(vm);
  network.setMachine(vm);
  files.setMachine(vm);
  listImages().then((images) => toolbar.setImages(Object.keys(images)), () => {});
  vm.onOutput((bytes) => term.write(bytes));
  term.onData((data) => vm.write(data));
  term.onBinary((data) => vm.write(Uint8Array.from(data, (c) => c.charCodeAt(0))));
  term.onResize(({ cols, rows }) => vm.resize(cols, rows));
  new ResizeObserver(() => fit.fit()).observe(document.getElementById('terminal'));
  term.focus();
  vm.panicked.then((msg) => { status.textContent = `Guest kernel panicked: ${msg}`; });
  // Powered off (poweroff, halt): the terminal says so, and Enter starts the machine again (a
  // reload once the disks are closed: the root disk's changes are kept).
  vm.stopped.then(() => {
    status.textContent = 'Powered off';
    term.write('\r\n\x1b[1m[The machine is powered off. Press Enter to start it again.]\x1b[0m\r\n');
    let restarting = false;
    term.onData(async (d) => {
      if (restarting || !d.includes('\r')) return;
      restarting = true;
      status.textContent = 'Restarting…';
      await Promise.race([vm.stop(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
      location.reload();
    });
  });
  await vm.ready;
  if (status.textContent === 'Powered off') return;
  status.textContent = 'Running';
  progress.value = 1;
  progress.hidden = true;
}

main().catch((e) => {
  status.textContent = `Error: ${e.message} (reload the page to try again)`;
  console.error(e);
});
