// Debian's Chromium (or $CHROMIUM) for the scripts that drive the built page: headless, no GPU,
// nothing that reaches the network on its own (no downloads: Playwright's own browsers are never
// installed here).
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Extra switches from $CHROMIUM_FLAGS (space-separated), for trying what moves a measurement,
 * e.g. CHROMIUM_FLAGS='--js-flags=--no-wasm-dynamic-tiering'. */
export const extraFlags = () => (process.env.CHROMIUM_FLAGS ?? '').split(' ').filter(Boolean);

export const launchChromium = () => chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraFlags()] });
