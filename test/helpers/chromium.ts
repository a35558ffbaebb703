// Headless Chromium (Debian's `chromium`, installed by bin/setup when it runs as root) taking a
// screenshot of a page: no npm browser download, no driver. The flags keep it off the network
// beyond the page itself (this machine's network is closed) and in a profile of its own.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CHROMIUM = '/usr/bin/chromium';

/** A PNG of the page at `url` in a window of this size. */
export async function screenshot(url: string, size: { width: number; height: number }): Promise<Buffer> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: bin/setup installs Debian's chromium package when run as root`);
  const dir = await mkdtemp(join(tmpdir(), 'slab5-chromium-'));
  try {
    const out = join(dir, 'shot.png');
    await promisify(execFile)(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`,
      `--window-size=${size.width},${size.height}`, `--screenshot=${out}`, url,
    ], { timeout: 60_000 });
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
