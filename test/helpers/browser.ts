// Launches Debian's Chromium through playwright-core with the flags this machine needs.
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export interface TestBrowser {
  browser: Browser;
  /** `bypassCSP`: lets a test inject scripts (axe-core) that the screens' Content Security Policy refuses. */
  newContext(opts?: { locale?: string; viewport?: { width: number; height: number }; bypassCSP?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // playwright gives each launch a fresh, temporary --user-data-dir of its own.
  });
  return {
    browser,
    newContext: (opts = {}) => browser.newContext({ ...opts, locale: opts.locale ?? 'en-US' }),
    async close() {
      await browser.close();
    },
  };
}
