import { requireChromium } from './chromium.js';

/** vitest globalSetup of the browser projects: stop the run at once, with the fix, when Chromium is missing. */
export default function setup(): void {
  requireChromium();
}
