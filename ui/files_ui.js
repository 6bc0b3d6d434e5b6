// Files in and out of the guest, on the page: the Files dialog (choose files to send, the guest
// folder they go to, a guest path to download), the drop overlay that asks where a dropped file
// goes (into the guest, or attached as a disk), and each transfer's progress line under the
// header with a Cancel button. The transfers themselves are in file_transfer.js.
import { h, setText } from './dom.js';
import { describeError, formatBytes, saveImage } from './disk_actions.js';
import {
  TransferCancelled, checkGuestDir, defaultGuestDir, readGuestFile, saveGuestDir, savedGuestDir, statGuestFile, uploadFile,
} from './file_transfer.js';

// Names that say "a disk image": dropped anywhere but a zone, such a file becomes a disk (as
// before the guest could take files); any other file is copied into the guest.
const DISK_IMAGE = /\.(img|raw|iso|ext[234]|qcow2?|vhdx?|vmdk|squashfs)$/i;
export const looksLikeDiskImage = (name) => DISK_IMAGE.test(name);

/** "1.5 MB/s" from bytes and milliseconds (decimal MB, as download managers show it). */
const rate = (bytes, ms) => `${(bytes / 1e6 / Math.max(ms / 1000, 1e-3)).toFixed(1)} MB/s`;

export class FilesUi {
  /**
   * @param {{button: HTMLButtonElement, notices: import('./notices.js').Notices,
   *   attachDisk: (file: File) => Promise<void>, focusTerminal: () => void}} o
   */
  constructor(o) {
    Object.assign(this, o);
    this.vm = null;
    this.dir = savedGuestDir();
    this.queue = Promise.resolve(); // uploads one after another: each has the channel's full speed
    this.seq = 0;
    this.buildDialog();
    this.buildOverlay();
    this.button.addEventListener('mousedown', (e) => e.preventDefault()); // the terminal keeps focus
    this.button.addEventListener('click', () => this.open());
  }

  /** The running machine; the default folder is asked of it unless the person chose one. */
  setMachine(vm) {
    this.vm = vm;
    if (!this.dir) {
      vm.ready.then(() => defaultGuestDir(vm)).then((d) => {
        if (!this.dir) this.setDir(d, { keep: false });
      }, () => {});
    }
  }

  setDir(dir, { keep = true } = {}) {
    this.dir = dir;
    if (keep) saveGuestDir(dir);
    if (this.dirInput !== document.activeElement) this.dirInput.value = dir;
    setText(this.guestZoneWhere, `to ${dir}`);
  }

  buildDialog() {
    this.dirInput = h('input', { id: 'files-dir', name: 'dir', spellcheck: false, autocomplete: 'off', value: this.dir ?? '/root' });
    this.dirInput.addEventListener('change', () => {
      try {
        this.setDir(checkGuestDir(this.dirInput.value));
        this.dirInput.setCustomValidity('');
      } catch (e) {
        this.dirInput.setCustomValidity(e.message);
        this.dirInput.reportValidity();
      }
    });
    this.fileInput = h('input', { type: 'file', id: 'files-input', multiple: true, hidden: true });
    this.fileInput.addEventListener('change', () => {
      const files = [...this.fileInput.files];
      this.fileInput.value = '';
      if (!files.length) return;
      this.dialog.close();
      this.sendFiles(files);
    });
    const choose = h('button', { type: 'button', id: 'files-choose', textContent: 'Choose files…' });
    choose.addEventListener('click', () => this.fileInput.click());
    this.pathInput = h('input', { id: 'files-path', name: 'path', required: true, spellcheck: false, autocomplete: 'off', placeholder: '/root/notes.txt' });
    const dlForm = h('form', { className: 'files-row', method: 'dialog' },
      h('label', { htmlFor: 'files-path', textContent: 'File in the guest' }), this.pathInput,
      h('button', { type: 'submit', id: 'files-download', textContent: 'Download' }));
    dlForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const path = this.pathInput.value.trim();
      this.dialog.close();
      this.download(path);
    });
    const close = h('button', { type: 'button', className: 'dialog-close', textContent: '×', title: 'Close (Esc)', 'aria-label': 'Close the files dialog' });
    close.addEventListener('click', () => this.dialog.close());
    this.dialog = h('dialog', { id: 'files-dialog', 'aria-labelledby': 'files-title' },
      h('div', { className: 'dialog-head' }, h('h2', { id: 'files-title', textContent: 'Files' }), close),
      h('section', { 'aria-labelledby': 'files-in-title' },
        h('h3', { id: 'files-in-title', textContent: 'Copy into the guest' }),
        h('div', { className: 'files-row' }, h('label', { htmlFor: 'files-dir', textContent: 'Folder in the guest' }), this.dirInput),
        h('div', { className: 'files-row' }, choose, this.fileInput),
        h('p', { className: 'files-hint', textContent: '…or drop files anywhere on the page. Nothing goes over a network: ' +
          'files travel on the machine\'s command channel.' })),
      h('section', { 'aria-labelledby': 'files-out-title' },
        h('h3', { id: 'files-out-title', textContent: 'Download from the guest' }), dlForm));
    this.dialog.addEventListener('close', () => this.focusTerminal());
    document.body.append(this.dialog);
  }

  open() {
    if (this.dir) this.dirInput.value = this.dir;
    this.dialog.showModal();
    this.dirInput.focus();
  }

  buildOverlay() {
    this.guestZoneWhere = h('span', { textContent: `to ${this.dir ?? 'the guest'}` });
    this.guestZone = h('div', { className: 'drop-zone', id: 'drop-guest', 'data-target': 'guest' },
      h('strong', { textContent: 'Copy into the guest' }), this.guestZoneWhere);
    this.diskZone = h('div', { className: 'drop-zone', id: 'drop-disk', 'data-target': 'disk' },
      h('strong', { textContent: 'Attach as a disk' }), h('span', { textContent: 'a raw disk image, as /dev/vdX' }));
    this.overlay = h('div', { id: 'drop-overlay', hidden: true }, this.guestZone, this.diskZone);
    document.body.append(this.overlay);
    const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const over = (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      this.overlay.hidden = false;
      for (const z of [this.guestZone, this.diskZone]) z.classList.toggle('over', z.contains(e.target));
    };
    document.addEventListener('dragenter', over);
    document.addEventListener('dragover', over);
    document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) this.overlay.hidden = true; });
    document.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      this.overlay.hidden = true;
      const zone = e.target.closest?.('.drop-zone')?.dataset.target;
      // A dropped folder arrives as a File that cannot be read: say what to do instead.
      const folders = new Set([...e.dataTransfer.items].filter((it) => it.webkitGetAsEntry?.()?.isDirectory).map((it) => it.getAsFile()?.name));
      for (const name of folders) {
        this.notices.error(`"${name}" is a folder: only files can be dropped. Pack it into one file first (a .tar or .zip), ` +
          'drop that, and unpack it in the guest (tar xf NAME.tar).', `folder:${name}`);
      }
      const files = [...e.dataTransfer.files].filter((f) => !folders.has(f.name));
      const toDisk = files.filter((f) => (zone ? zone === 'disk' : looksLikeDiskImage(f.name)));
      const toGuest = files.filter((f) => !toDisk.includes(f));
      if (toGuest.length) this.sendFiles(toGuest);
      (async () => { for (const f of toDisk) await this.attachDisk(f); })();
    });
  }

  /**
   * A progress line under the header with a bar and Cancel; returns { update(done, total),
   * finish() }. `cancel` is what Cancel calls.
   */
  progressLine(key, cancel) {
    const el = this.notices.show('note', '', key);
    el.classList.add('notice-transfer');
    const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Transfer progress' });
    const stop = h('button', { type: 'button', className: 'notice-action', textContent: 'Cancel' });
    stop.addEventListener('mousedown', (e) => e.preventDefault());
    stop.addEventListener('click', () => { stop.disabled = true; cancel(); });
    el.msg.after(bar, stop);
    return {
      update: (text, f) => {
        setText(el.msg, text);
        if (f === undefined) bar.removeAttribute('value'); // size unknown: an indeterminate bar
        else bar.value = f;
      },
      finish: () => this.notices.dismiss(key),
    };
  }

  /** Copies files into the guest folder chosen (one after another), with progress. */
  sendFiles(files, dir = this.dir ?? '/root') {
    for (const file of files) {
      this.queue = this.queue.then(() => this.sendOne(file, dir));
    }
    return this.queue;
  }

  async sendOne(file, dir) {
    const key = `transfer:${++this.seq}`;
    const control = {};
    const line = this.progressLine(key, () => control.cancel?.());
    const t0 = performance.now();
    const what = `Copying ${file.name} into ${dir}`;
    line.update(`${what}…`, 0);
    try {
      if (!this.vm) throw new Error('the machine is not running: start it first (Power on)');
      const dest = await uploadFile(this.vm, file, dir, {
        control,
        onBytes: (n, total) => line.update(`${what}: ${formatBytes(n)} of ${formatBytes(total)} · ${rate(n, performance.now() - t0)}`, total ? n / total : 1),
      });
      const ms = performance.now() - t0;
      const took = ms < 500 ? '' : ` in ${(ms / 1000).toFixed(1)} s, ${rate(file.size, ms)}`; // a rate means little below that
      this.notices.note(`Copied ${file.name} to ${dest} (${formatBytes(file.size)}${took}).`);
      return dest;
    } catch (e) {
      if (e instanceof TransferCancelled) this.notices.note(`Stopped copying ${file.name}: nothing was written in the guest.`);
      else this.notices.error(describeError(e, `Cannot copy ${file.name} into the guest`));
      return null;
    } finally {
      line.finish();
    }
  }

  /** Streams a guest file out into a file the person keeps (a picked file, or a download). */
  async download(path) {
    const key = `transfer:${++this.seq}`;
    const control = {};
    const line = this.progressLine(key, () => { control.cancelled = true; control.cancel?.(); });
    const t0 = performance.now();
    line.update(`Downloading ${path}…`, 0);
    try {
      if (!this.vm) throw new Error('the machine is not running: start it first (Power on)');
      const st = await statGuestFile(this.vm, path);
      const known = st.size > 0;
      const saved = await saveImage(() => readGuestFile(this.vm, st, { control }), st.name, (n) => line.update(
        `Downloading ${st.path}: ${formatBytes(n)}${known ? ` of ${formatBytes(st.size)}` : ''} · ${rate(n, performance.now() - t0)}`,
        known ? n / st.size : undefined));
      if (saved) this.notices.note(`Downloaded ${st.path} as ${st.name}${known ? ` (${formatBytes(st.size)})` : ''}.`);
    } catch (e) {
      if (e instanceof TransferCancelled || control.cancelled) this.notices.note(`Stopped downloading ${path}.`);
      else this.notices.error(describeError(e, `Cannot download ${path}`));
    } finally {
      line.finish();
    }
  }
}
