// The disks panel's "Offline" section: per root image, how much is kept for offline use, with
// "Make available offline" (progress, stop) and "Remove offline copy"; the budget the kept
// blocks stay within, which the person can change. The logic is in ui/offline.js.
import { listImages, defaultImageBase } from './tabvm.js';
import { BLOCK } from './sw_image_blocks.js';
import { getBudget, keptBlocks, keptFraction, makeAvailableOffline, removeOfflineCopy, setBudget } from './offline.js';
import { describeError, formatBytes } from './disk_actions.js';
import { h, setText, syncRows } from './dom.js';

export class OfflineSection {
  /** @param {{notices: import('./notices.js').Notices}} o */
  constructor({ notices }) {
    this.notices = notices;
    this.images = [];
    this.kept = { per: new Map(), bytes: 0 };
    this.budget = null;
    this.busy = new Map(); // image name -> AbortController while it is being fetched
    this.rows = new Map();
    this.body = h('tbody');
    this.summary = h('p', { className: 'disks-storage', id: 'offline-summary' });
    const budget = h('input', { type: 'number', min: '0', step: 'any', 'aria-label': 'Offline budget in GiB', size: 5, id: 'offline-budget' });
    const form = h('form', { className: 'disks-row' }, h('label', { htmlFor: 'offline-budget', textContent: 'Budget for offline image copies (GiB) ' }),
      budget, h('button', { type: 'submit', textContent: 'Set budget' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await setBudget(Number(budget.value) * 2 ** 30);
        this.notices.note(`Offline budget set to ${formatBytes(Number(budget.value) * 2 ** 30)}.`);
      } catch (err) {
        this.notices.error(describeError(err, 'Cannot set the offline budget'));
      }
      this.refresh();
    });
    this.budgetInput = budget;
    const table = h('table', {}, h('thead', {}, h('tr', {}, ...['Image', 'Size', 'Offline', ''].map((t) => h('th', { textContent: t, scope: 'col' })))), this.body);
    this.el = h('section', { 'aria-label': 'Offline' }, h('h3', { textContent: 'Offline' }),
      h('p', { className: 'disks-hint', textContent: 'The parts of an image a boot reads are kept so it boots offline; keep a whole image to use all of it offline.' }),
      table, this.summary, form);
  }

  async refresh() {
    if (typeof caches === 'undefined') {
      setText(this.summary, 'Offline copies are not available: this browser offers no Cache Storage here.');
      return;
    }
    try {
      const base = defaultImageBase();
      const list = await listImages(base);
      this.images = Object.entries(list).map(([name, im]) => ({ name, size: im.size, url: new URL(im.file, base).href }));
      this.kept = await keptBlocks();
      this.budget = await getBudget();
      if (document.activeElement !== this.budgetInput) this.budgetInput.value = String(+(this.budget / 2 ** 30).toFixed(2));
      const full = this.kept.bytes + BLOCK > this.budget;
      setText(this.summary, `Image blocks kept offline: ${formatBytes(this.kept.bytes)} of a ${formatBytes(this.budget)} budget` +
        (full ? '. The budget is full: blocks read from now on are not kept; raise it or remove an offline copy.'
          : ' (empty parts of an image take no space).'));
      this.summary.classList.toggle('error', full);
    } catch (e) {
      setText(this.summary, describeError(e, 'Cannot read the offline copies'));
    }
    this.render();
  }

  render() {
    syncRows(this.body, this.rows, this.images, (im) => im.name, (im) => {
      const cells = [0, 1, 2].map(() => h('td'));
      const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': `Offline copy of ${im.name}` });
      const make = h('button', { type: 'button', textContent: 'Make available offline', 'aria-label': `Make ${im.name} available offline` });
      const remove = h('button', { type: 'button', textContent: 'Remove offline copy', 'aria-label': `Remove the offline copy of ${im.name}` });
      make.addEventListener('click', () => (this.busy.has(im.name) ? this.busy.get(im.name).abort() : this.fetchAll(im, progress)));
      remove.addEventListener('click', () => this.remove(im));
      cells[2].append(' ', progress);
      const tr = h('tr', { 'data-image': im.name }, ...cells, h('td', { className: 'disks-actions' }, make, remove));
      const label = cells[2].firstChild;
      return {
        tr,
        update: (x) => {
          const e = this.kept.per.get(x.url);
          const f = keptFraction(e, x.size);
          setText(cells[0], x.name);
          setText(cells[1], formatBytes(x.size));
          label.textContent = f >= 1 ? 'all of it' : `${(f * 100).toFixed(f > 0 && f < 0.01 ? 2 : 0)}% kept`;
          cells[2].title = e ? `${e.blocks} data blocks (${formatBytes(e.bytes)}), ${e.zeros} empty blocks` : 'nothing kept yet';
          make.textContent = this.busy.has(x.name) ? 'Stop' : 'Make available offline';
          make.disabled = f >= 1 && !this.busy.has(x.name);
          remove.disabled = !e || this.busy.has(x.name);
        },
      };
    });
  }

  async fetchAll(im, progress) {
    const ac = new AbortController();
    this.busy.set(im.name, ac);
    progress.hidden = false;
    this.render();
    try {
      await makeAvailableOffline(im.url, im.size, {
        signal: ac.signal,
        onProgress: (got, total) => {
          progress.value = got / total;
          progress.title = `${got} of ${total} blocks`;
        },
      });
      this.notices.note(`${im.name} is available offline.`);
    } catch (e) {
      this.notices.error(describeError(e, `Cannot make ${im.name} available offline`), `offline:${im.name}`);
    } finally {
      this.busy.delete(im.name);
      progress.hidden = true;
      await this.refresh();
    }
  }

  async remove(im) {
    try {
      await removeOfflineCopy(im.url);
      this.notices.note(`The offline copy of ${im.name} was removed; it streams from the network again.`);
    } catch (e) {
      this.notices.error(describeError(e, `Cannot remove the offline copy of ${im.name}`));
    }
    await this.refresh();
  }
}
