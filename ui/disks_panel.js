// The disks panel: the machine's drives (what each holds, its sync state, its I/O), adding a disk
// (a picked or dropped file, a URL streamed lazily, a new blank disk), detaching and downloading,
// and the disks stored in this browser (attach, download, reset, delete) with the storage quota.
// It refreshes in place (text and disabled states only), so a focused button keeps its focus and
// the terminal keeps the keyboard unless the person moves into the panel.
import { deleteDisk, estimate, exportDisk, listDisks, persist, resetDisk } from '../storage/persistent_disk.js';
import { checkImageUrl, describeError, formatBytes, idFromName, parseSize, pickFile, saveImage, uniqueId } from './disk_actions.js';
import { h, setText, syncRows } from './dom.js';
import { OfflineSection } from './offline_panel.js';
import './disks_panel.css';

const TICK_MS = 1000;
const STOP_WAIT_MS = 10_000;
const STORED_EVERY = 3; // ticks between reading the stored-disk list (IndexedDB counts) while open
const CLOSED_EVERY = 5; // ticks between drive polls while the panel is closed

const SYNC_TEXT = { saved: 'all changes saved', saving: 'saving…' };
const syncText = (state, err) => (state === 'error' ? `error: ${err || 'cannot save'}` : SYNC_TEXT[state] ?? '');

export class DisksPanel {
  /**
   * @param {{panel: HTMLElement, button: HTMLButtonElement, indicator: HTMLElement,
   *   notices: import('./notices.js').Notices, focusTerminal: () => void}} o
   */
  constructor(o) {
    Object.assign(this, o);
    this.vm = null;
    this.drives = [];
    this.stored = [];
    this.sync = new Map();     // disk id -> { state, error }: from events and polls
    this.ioErrors = new Map(); // device -> { id, errors } seen, to report new guest I/O errors
    this.persisted = null;
    this.ticks = 0;
    this.build();
    this.button.addEventListener('mousedown', (e) => e.preventDefault()); // the terminal keeps focus
    this.button.addEventListener('click', () => this.toggle());
    // Alt+Shift+D from anywhere, the terminal included (capture: before xterm sees the key).
    document.addEventListener('keydown', (e) => {
      if (e.altKey && e.shiftKey && !e.ctrlKey && e.code === 'KeyD') {
        e.preventDefault();
        e.stopPropagation();
        this.toggle({ focus: true });
      }
    }, true);
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggle({ open: false });
    });
    /** TabVM.start's diskEvents. */
    this.events = {
      onError: (id, msg) => {
        this.setSync(id, 'error', msg);
        this.notices.error(`Disk "${id}" cannot save its changes: ${msg}`, `sync:${id}`);
      },
      onSyncState: (id, state) => {
        this.setSync(id, state);
        if (state === 'saved') this.notices.dismiss(`sync:${id}`);
      },
      onNote: (id, note) => this.notices.note(`Disk "${id}": ${note}`),
      onProgress: (id, stage, f) => this.activity(`Disk "${id}": ${stage} ${Math.round(f * 100)}%`),
    };
    persist().then((granted) => { this.persisted = granted; }, () => { this.persisted = false; });
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** The running machine (after TabVM.start resolved). */
  setMachine(vm) {
    this.vm = vm;
    this.tick();
  }

  build() {
    const close = h('button', { type: 'button', className: 'disks-close', textContent: '×', title: 'Close (Esc)', 'aria-label': 'Close the disks panel' });
    close.addEventListener('click', () => this.toggle({ open: false }));
    this.activityEl = h('p', { className: 'disks-activity', role: 'status' });
    this.driveBody = h('tbody');
    this.storedBody = h('tbody');
    this.driveRows = new Map();
    this.storedRows = new Map();
    this.storageEl = h('p', { className: 'disks-storage' });
    this.offline = new OfflineSection({ notices: this.notices });
    this.readOnly = h('input', { type: 'checkbox' });

    const file = h('input', { type: 'file', className: 'disks-file' });
    file.addEventListener('change', () => {
      const f = file.files[0];
      file.value = '';
      if (f) this.attachFile(f);
    });
    const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https://example.org/disk.img', 'aria-label': 'Image URL' });
    const urlForm = h('form', { className: 'disks-row' }, url, h('button', { type: 'submit', textContent: 'Attach URL' }));
    urlForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.attachUrl(url.value.trim());
    });
    const blankId = h('input', { name: 'id', placeholder: 'name (optional)', 'aria-label': 'New disk name', size: 12 });
    const size = h('input', { type: 'number', name: 'size', min: '1', step: 'any', value: '64', 'aria-label': 'New disk size', size: 5 });
    const unit = h('select', { name: 'unit', 'aria-label': 'Size unit' }, h('option', { textContent: 'MiB' }), h('option', { textContent: 'GiB' }));
    const blank = h('form', { className: 'disks-row' }, blankId, size, unit, h('button', { type: 'submit', textContent: 'Create blank disk' }));
    blank.addEventListener('submit', (e) => {
      e.preventDefault();
      this.createBlank(blankId.value.trim(), size.value, unit.value);
    });

    const table = (heads, body) => h('table', {}, h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', { textContent: t, scope: 'col' })))), body);
    this.panel.append(
      h('div', { className: 'disks-head' }, h('h2', { id: 'disks-title', textContent: 'Disks' }), close),
      this.activityEl,
      h('section', { 'aria-label': 'Drives' }, h('h3', { textContent: 'Drives' }),
        table(['Drive', 'Disk', 'Size', 'State', 'I/O', ''], this.driveBody)),
      h('section', { 'aria-label': 'Add a disk' }, h('h3', { textContent: 'Add a disk' }),
        h('label', { className: 'disks-row' }, 'Image file ', file),
        h('p', { className: 'disks-hint', textContent: '…or drop an image file on the page (on "Attach as a disk"; files named .img, .iso, .raw or .ext4 go there by default).' }),
        urlForm,
        h('label', { className: 'disks-row' }, this.readOnly, ' attach files and URLs read-only'),
        blank),
      h('section', { 'aria-label': 'Stored disks' }, h('h3', { textContent: 'Stored in this browser' }),
        table(['Disk', 'Size', 'Stored', 'Last used', ''], this.storedBody), this.storageEl),
      this.offline.el,
    );
    this.panel.setAttribute('aria-labelledby', 'disks-title');
  }

  toggle({ open = this.panel.hidden, focus = false } = {}) {
    const wasInside = this.panel.contains(document.activeElement);
    this.panel.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) {
      this.tick({ stored: true });
      if (focus) this.panel.querySelector('button, input')?.focus();
    } else if (wasInside || focus) {
      this.focusTerminal();
    }
  }

  setSync(id, state, error) {
    this.sync.set(id, { state, error: error ?? this.sync.get(id)?.error });
    const all = [...this.sync.values()];
    const bad = all.find((s) => s.state === 'error');
    const text = bad ? 'Disk error: changes not saved' : all.some((s) => s.state === 'saving') ? 'Saving…' : all.length ? 'All changes saved' : '';
    setText(this.indicator, text);
    this.indicator.title = bad?.error ?? '';
    this.indicator.classList.toggle('error', !!bad);
  }

  activity(text) {
    setText(this.activityEl, text);
  }

  /** Runs an action with a line saying what is going on; a failure becomes an error notice. */
  async run(label, fn) {
    this.activity(`${label}…`);
    try {
      const done = await fn();
      if (done) this.notices.note(done);
    } catch (e) {
      this.notices.error(describeError(e, label));
    } finally {
      this.activity('');
      this.tick({ stored: true });
    }
  }

  async tick({ stored = false } = {}) {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const n = this.ticks++;
      // Closed, the panel only watches for guest I/O errors (sync states arrive as events): a
      // slower poll leaves the workers alone; a hidden tab is not polled at all.
      if (document.hidden || (this.panel.hidden && n % CLOSED_EVERY && !stored)) return;
      if (this.vm) await this.pollDrives();
      if (this.panel.hidden) return;
      this.renderDrives();
      if (stored || n % STORED_EVERY === 0) await this.pollStored();
    } catch (e) {
      console.error('tabvm: disks panel:', e);
    } finally {
      this.ticking = false;
    }
  }

  async pollDrives() {
    this.drives = await this.vm.disks();
    for (const d of this.drives) {
      if (d.present && d.id) this.setSync(d.id, d.syncState, d.lastError);
      // The guest's I/O errors are otherwise only in its console and the browser console.
      const seen = this.ioErrors.get(d.device);
      if (!d.present || seen?.id !== d.id) this.ioErrors.set(d.device, { id: d.id, errors: d.errors });
      else if (d.errors > seen.errors) {
        seen.errors = d.errors;
        this.notices.error(`${d.device} (disk "${d.id}"): the guest got ${d.errors} I/O error${d.errors > 1 ? 's' : ''} on this disk` +
          `${d.ioError || d.lastError ? `: ${d.ioError || d.lastError}` : ''}`, `io:${d.device}`);
      }
    }
    const attached = new Set(this.drives.filter((d) => d.present).map((d) => d.id));
    for (const id of this.sync.keys()) if (!attached.has(id)) this.sync.delete(id);
  }

  async pollStored() {
    try {
      this.stored = (await listDisks()).sort((a, b) => b.lastUsed - a.lastUsed);
      const est = await estimate();
      const where = est ? `${formatBytes(est.usage)} used of ${formatBytes(est.quota)}` : 'usage unknown';
      const kept = this.persisted === null ? '' : this.persisted ? ' · persistent: the browser will not clear it on its own'
        : ' · not persistent: the browser may clear it when space runs low';
      setText(this.storageEl, `Storage: ${where}${kept}`);
    } catch (e) {
      setText(this.storageEl, describeError(e, 'Cannot read the stored disks'));
    }
    this.renderStored();
    await this.offline.refresh();
  }

  renderDrives() {
    syncRows(this.driveBody, this.driveRows, this.drives, (d) => d.device, (d) => {
      const cells = [0, 1, 2, 3, 4].map(() => h('td'));
      const dl = h('button', { type: 'button', textContent: 'Download', 'aria-label': `Download ${d.device}` });
      const detach = h('button', { type: 'button', textContent: 'Detach', 'aria-label': `Detach ${d.device}` });
      // A boot disk (the root) cannot be detached, but it can be reset to its image.
      const reset = h('button', { type: 'button', textContent: 'Reset', 'aria-label': `Reset ${d.device}` });
      dl.addEventListener('click', () => this.downloadAttached(d.device));
      detach.addEventListener('click', () => this.detach(d.device));
      reset.addEventListener('click', () => this.resetBootDisk(d.device));
      const tr = h('tr', { 'data-device': d.device }, ...cells, h('td', { className: 'disks-actions' }, dl, detach, reset));
      return {
        tr,
        update: (x) => {
          tr.dataset.diskId = x.id ?? '';
          setText(cells[0], x.device.slice(5));
          setText(cells[1], x.present ? x.id ?? '' : 'empty');
          setText(cells[2], x.present ? `${formatBytes(x.size)}${x.readOnly ? ' · read-only' : ''}` : '');
          setText(cells[3], x.present ? syncText(x.syncState, x.lastError) : '');
          cells[3].classList.toggle('error', x.syncState === 'error');
          setText(cells[4], x.present ? `${x.reads} r · ${x.writes} w${x.errors ? ` · ${x.errors} err` : ''}` : '');
          cells[4].title = `${formatBytes(x.readBytes)} read, ${formatBytes(x.writeBytes)} written`;
          dl.disabled = !x.present;
          detach.disabled = !x.present || !x.hotplug;
          detach.hidden = !x.hotplug;
          reset.hidden = x.hotplug || !x.present;
          reset.title = 'Drop every change on this disk: it reads as its pristine image again (the machine restarts)';
        },
      };
    });
  }

  renderStored() {
    // Read by every row's update, so it must not be captured when a row is made.
    this.attachedAs = new Map(this.drives.filter((d) => d.present).map((d) => [d.id, d.device]));
    syncRows(this.storedBody, this.storedRows, this.stored, (m) => m.id, (m) => {
      const cells = [0, 1, 2, 3].map(() => h('td'));
      const btn = (text, fn) => {
        const b = h('button', { type: 'button', textContent: text, 'aria-label': `${text} ${m.id}` });
        b.addEventListener('click', () => fn(this.stored.find((x) => x.id === m.id) ?? m));
        return b;
      };
      const attach = btn('Attach', (x) => this.attachStored(x));
      const dl = btn('Download', (x) => this.downloadStored(x));
      const reset = btn('Reset', (x) => this.resetStored(x));
      const del = btn('Delete', (x) => this.deleteStored(x));
      const tr = h('tr', { 'data-disk-id': m.id }, ...cells, h('td', { className: 'disks-actions' }, attach, dl, reset, del));
      return {
        tr,
        update: (x) => {
          const dev = this.attachedAs.get(x.id);
          setText(cells[0], dev ? `${x.id} (${dev.slice(5)})` : x.id);
          cells[0].title = x.base ? `over ${x.base.url ?? x.base.name}` : 'blank';
          setText(cells[1], formatBytes(x.size));
          setText(cells[2], formatBytes(x.bytesStored));
          setText(cells[3], new Date(x.lastUsed).toLocaleString());
          for (const b of [attach, reset, del]) {
            b.disabled = !!dev;
            b.title = dev ? `attached as ${dev}: detach it first` : '';
          }
          reset.title ||= 'Drop the changes: the disk reads as its base image again';
        },
      };
    });
  }

  /** Ids in use: stored ones and attached ones. */
  async takenIds() {
    const stored = await listDisks().catch(() => []);
    return new Set([...stored.map((m) => m.id), ...this.drives.map((d) => d.id).filter(Boolean)]);
  }

  needMachine() {
    if (!this.vm) throw new Error('the machine is not running');
    return this.vm;
  }

  attachFile(file) {
    return this.run(`Attaching ${file.name}`, async () => {
      const vm = this.needMachine();
      const id = uniqueId(idFromName(file.name), await this.takenIds());
      const r = await vm.attachDisk({ id, file, readOnly: this.readOnly.checked });
      return `Attached ${file.name} as ${r.device} (disk "${id}").`;
    });
  }

  attachUrl(text) {
    // The storage layer's messages name the URL already: the label only says which image.
    return this.run(`Attaching ${text.split(/[?#]/)[0].split('/').pop() || text}`, async () => {
      const vm = this.needMachine();
      const url = new URL(text, location.href).href;
      await checkImageUrl(url);
      const id = uniqueId(idFromName(new URL(url).pathname), await this.takenIds());
      const r = await vm.attachDisk({ id, url, lazy: true, readOnly: this.readOnly.checked });
      return `Attached ${url} as ${r.device} (disk "${id}", streamed as the guest reads it).`;
    });
  }

  createBlank(wantId, size, unit) {
    return this.run('Creating a blank disk', async () => {
      const vm = this.needMachine();
      const sizeBytes = parseSize(size, unit);
      const taken = await this.takenIds();
      const id = wantId ? idFromName(wantId) : uniqueId('disk-1', taken);
      if (wantId && taken.has(id)) throw new Error(`a disk named "${id}" exists: attach it from the stored disks, or pick another name`);
      const r = await vm.attachDisk({ id, sizeBytes });
      return `Created the blank disk "${id}" (${formatBytes(sizeBytes)}) as ${r.device}: format it in the guest, e.g. mke2fs ${r.device}.`;
    });
  }

  detach(device) {
    const d = this.drives.find((x) => x.device === device);
    const ok = confirm(`Detach ${device} (disk "${d?.id}")?\n\nIf ${device} is mounted in the guest, unmount it first; ` +
      'otherwise programs using it will get I/O errors.');
    if (!ok) return undefined;
    return this.run(`Detaching ${device}`, async () => {
      await this.needMachine().detachDisk(device);
      return `Detached ${device}; disk "${d?.id}" stays stored in this browser.`;
    });
  }

  /** The root disk back to its pristine image: stop the machine, drop the overlay, reload. */
  resetBootDisk(device) {
    const d = this.drives.find((x) => x.device === device);
    const ok = confirm(`Reset ${device} (disk "${d?.id}") to its pristine image?\n\nEvery change on it is lost ` +
      '(download it first to keep a copy). The machine restarts.');
    if (!ok) return undefined;
    return this.run(`Resetting ${d?.id}`, async () => {
      // Closes the disk, so its lock is free. Bounded, as the toolbar's restart is: a machine
      // that does not stop in time leaves the disk locked, and resetDisk then says so instead
      // of the page waiting for ever.
      await Promise.race([this.needMachine().stop(), new Promise((r) => setTimeout(r, STOP_WAIT_MS))]);
      await resetDisk(d.id);
      location.reload();
      return `Reset ${d.id}; restarting.`;
    });
  }

  save(label, fileName, size, openStream) {
    return this.run(label, async () => {
      const saved = await saveImage(openStream, fileName,
        (n) => this.activity(`${label}: ${formatBytes(n)} of ${formatBytes(size)}`));
      return saved ? `Saved ${fileName}.` : '';
    });
  }

  downloadAttached(device) {
    const d = this.drives.find((x) => x.device === device);
    const handle = this.vm?.diskMedium(device)?.handle;
    if (!handle) return this.notices.error(`${device} holds no disk to download`);
    return this.save(`Downloading ${d.id}`, `${d.id}.img`, d.size, () => handle.exportImage());
  }

  attachStored(m) {
    return this.run(`Attaching ${m.id}`, async () => {
      const vm = this.needMachine();
      const spec = { id: m.id, readOnly: this.readOnly.checked };
      if (m.base?.kind === 'url') Object.assign(spec, { url: m.base.url, lazy: true });
      if (m.base?.kind === 'blob') {
        this.activity(`Disk "${m.id}" was made over the file ${m.base.name}: pick it again`);
        spec.file = await pickFile();
        if (!spec.file) return '';
      }
      const r = await vm.attachDisk(spec);
      return `Attached "${m.id}" as ${r.device}.`;
    });
  }

  async downloadStored(m) {
    const dev = this.drives.find((d) => d.present && d.id === m.id)?.device;
    if (dev) return this.downloadAttached(dev);
    let blob;
    if (m.base?.kind === 'blob') {
      this.activity(`Disk "${m.id}" was made over the file ${m.base.name}: pick it again`);
      blob = await pickFile();
      this.activity('');
      if (!blob) return undefined;
    }
    return this.save(`Downloading ${m.id}`, `${m.id}.img`, m.size, () => exportDisk(m.id, { blob }));
  }

  resetStored(m) {
    if (!confirm(`Reset disk "${m.id}"? Every change made to it is dropped: it reads as ${m.base ? 'its base image' : 'zeros'} again.`)) return undefined;
    return this.run(`Resetting ${m.id}`, async () => {
      await resetDisk(m.id);
      return `Disk "${m.id}" was reset.`;
    });
  }

  deleteStored(m) {
    if (!confirm(`Delete disk "${m.id}" (${formatBytes(m.size)}) from this browser? Its data is gone for good (download it first to keep a copy).`)) return undefined;
    return this.run(`Deleting ${m.id}`, async () => {
      await deleteDisk(m.id);
      return `Deleted disk "${m.id}".`;
    });
  }
}
