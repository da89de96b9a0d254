import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

// Debian's chromium package: /usr/bin/chromium is a wrapper script, the binary is in /usr/lib.
const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const chromiumPath: string | null = CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;

if (!chromiumPath) {
    console.warn("\n  Skipping the browser tests: Chromium is not installed. Install Debian's chromium package (apt-get install chromium) to run them; .ci/run does.\n");
}

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background network). */
export function launchChromium(): Promise<Browser> {
    if (!chromiumPath) throw new Error('Chromium is not installed');
    return chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    });
}
