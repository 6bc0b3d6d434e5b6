// A large disk with a small cache: a 4 GiB blank disk works while the blk worker keeps at most
// its cache budget (64 MiB by default) of chunks; data written far apart reads back after
// being evicted from the cache (it comes back from IndexedDB).
import { test, expect } from '@playwright/test';

// The busybox guest on a root disk: small and quick, whatever the page's default image is.
const PAGE = './?image=tiny-disk';

test('a 4 GiB disk with a 64 MiB cache: scattered writes read back after eviction', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(PAGE);
  await page.waitForFunction(() => window.tabvm !== undefined, null, { timeout: 90_000 });
  await page.evaluate(() => window.tabvm.ready);
  const sh = (cmd) => page.evaluate((c) => window.tabvm.exec(c), cmd);
  const { device } = await page.evaluate(() => window.tabvm.attachDisk({ id: `big-${Date.now()}`, sizeBytes: 4 * 2 ** 30 }));
  const dev = device.slice(5);
  await expect.poll(async () => (await sh(`cat /sys/block/${dev}/size`)).output, { timeout: 20_000 }).toBe(`${8 * 2 ** 20}\n`);
  // 8 MiB at each of 16 places 256 MiB apart (128 MiB in all, twice the cache), each marked
  // with its number in its first sector; then read everything back with the page cache dropped.
  // (The loops run in sh -c: typed at the interactive shell they are several times slower.)
  expect((await sh('yes pattern | head -c 8388608 > /tmp/p; tail -c +513 /tmp/p | md5sum > /tmp/p.md5; echo ok')).output).toBe('ok\n');
  const write = await sh(`sh -c 'for i in $(seq 0 15); do dd if=/tmp/p of=${device} bs=1M seek=$((i * 256)) 2>/dev/null && ` +
    `printf "place-%02d" $i | dd of=${device} bs=512 seek=$((i * 524288)) conv=notrunc,fsync 2>/dev/null || echo "write $i failed"; done'; echo written`);
  expect(write.output).toBe('written\n');
  // (dmesg -n 1: the kernel would print its drop_caches notice on the console, amid the output.)
  const read = await sh(`dmesg -n 1; echo 3 > /proc/sys/vm/drop_caches; sh -c 'for i in $(seq 0 15); do ` +
    `m=$(dd if=${device} bs=512 skip=$((i * 524288)) count=1 2>/dev/null | head -c 8); [ "$m" = "$(printf "place-%02d" $i)" ] || echo "marker $i: $m"; ` +
    `s=$(dd if=${device} bs=1M skip=$((i * 256)) count=8 2>/dev/null | tail -c +513 | md5sum); [ "$s" = "$(cat /tmp/p.md5)" ] || echo "data $i differs"; done'; echo checked`);
  expect(read.output).toBe('checked\n');
  const disk = (await page.evaluate(() => window.tabvm.disks())).find((d) => d.device === device);
  expect(disk.storage.cacheSlots * 256 * 1024).toBeLessThanOrEqual(64 * 2 ** 20);
  expect(disk.storage.idbBytesWritten).toBeGreaterThanOrEqual(128 * 2 ** 20);
  expect(disk.syncState).toBe('saved');
  // Beyond the end of the disk: an error, not a hang.
  const past = await sh(`dd if=/dev/zero of=${device} bs=1M seek=4096 count=1 conv=fsync 2>&1; echo rc=$?`);
  expect(past.output).toMatch(/rc=1/);
});
