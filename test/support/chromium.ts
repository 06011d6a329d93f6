import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests find Debian's Chromium (CHROMIUM_PATH overrides it). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Folder for the screenshots a test run writes (git-ignored). */
export const SCREENSHOTS = new URL('../../test-results/webchat/', import.meta.url);

/**
 * Starts headless Chromium, or fails saying what to install: a fresh machine without it
 * otherwise sees only playwright's "executable doesn't exist".
 */
export async function launchChromium(path = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(path)) {
    throw new Error(`The browser tests need Chromium at ${path}. Install Debian's package with \`apt-get install -y chromium\` (as .ci/run does), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
