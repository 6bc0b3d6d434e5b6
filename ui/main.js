// The demo page: an xterm.js terminal on the guest console, a progress bar for download and
// boot, and window.tabvm for scripts and tests. The UI thread only renders and relays bytes.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { TabVM, unsupportedReason } from './tabvm.js';

const status = document.getElementById('status');
const progress = document.getElementById('progress');

async function main() {
  const why = unsupportedReason();
  if (why) {
    const p = document.getElementById('unsupported');
    p.textContent = why;
    p.hidden = false;
    status.textContent = 'Unsupported browser';
    progress.hidden = true;
    return;
  }
  const term = new Terminal({ convertEol: false, scrollback: 5000, fontSize: 14 });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById('terminal'));
  fit.fit();
  const vm = await TabVM.start({
    cols: term.cols,
    rows: term.rows,
    onProgress: (stage, f) => {
      status.textContent = stage === 'download' ? `Downloading ${Math.round(f * 100)}%` : 'Booting Linux…';
      progress.value = stage === 'download' ? f * 0.7 : 0.8;
    },
  });
  window.tabvm = vm;
  vm.onOutput((bytes) => term.write(bytes));
  term.onData((data) => vm.write(data));
  term.onBinary((data) => vm.write(Uint8Array.from(data, (c) => c.charCodeAt(0))));
  term.onResize(({ cols, rows }) => vm.resize(cols, rows));
  new ResizeObserver(() => fit.fit()).observe(document.getElementById('terminal'));
  term.focus();
  vm.panicked.then((msg) => { status.textContent = `Guest kernel panicked: ${msg}`; });
  await vm.ready;
  status.textContent = 'Running';
  progress.value = 1;
  progress.hidden = true;
  vm.stopped.then(() => { status.textContent = 'Powered off'; });
}

main().catch((e) => {
  status.textContent = `Error: ${e.message}`;
  console.error(e);
});
