import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/**
 * The browser the browser tests drive: Debian's Chromium (`apt-get install -y chromium`,
 * which .ci/run does). TG_CHROMIUM points elsewhere. Playwright never downloads one here.
 */
export const CHROMIUM = process.env.TG_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, offline, quiet: no GPU, no background traffic, no first-run UI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Fails (never skips) when Chromium is missing: CI installs it, so its absence is an error. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}, which is missing. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (.ci/run does this), or set TG_CHROMIUM to its path.',
    );
  }
}

/** Starts Chromium with a fresh profile directory; `close()` ends it and removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  requireChromium();
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'tg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
