// Console test plumbing: headless Chromium through playwright-core, full-page screenshots, and
// a local receiver for Feishu event callbacks (answers the url_verification challenge).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from './server.ts';

/** Where the console screenshots go (git-ignored). */
export const SHOT_DIR = path.join(PROJECT_ROOT, 'test-output', 'console');

/**
 * Debian's Chromium (installed first with apt when missing and the tests run as root, as
 * `.ci/run` does); the sandbox machine has no network, so everything that phones home is off.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.KALENDS_TEST_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath) && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Writes `test-output/console/<name>.png` (the whole page); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SHOT_DIR, { recursive: true });
  const file = path.join(SHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page's visible text, whitespace collapsed. */
export async function visibleText(page: Page): Promise<string> {
  return (await page.locator('body').innerText()).replace(/\s+/g, ' ');
}

/** A Feishu callback receiver: echoes url_verification challenges, answers 200 `{}` otherwise. */
export interface CallbackReceiver {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => { body += d; });
    req.on('end', () => {
      bodies.push(body);
      let challenge: unknown;
      try {
        challenge = (JSON.parse(body) as { challenge?: unknown }).challenge;
      } catch {
        challenge = undefined;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(challenge === undefined ? {} : { challenge }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/feishu/events`,
    bodies,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
