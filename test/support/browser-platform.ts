/// <reference lib="dom" />
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './chromium.js';
import type { OAuthScenario } from './fake-upstream-scenarios.js';
import { configureScenario, fakeProvider } from './fake-upstreams.js';
import { serveHostPages } from './host-pages.js';
import { type Served, serveFetch } from './serve-fetch.js';

export type HostEvent = { type: string; payload?: Record<string, unknown> };
export type Connection = { connection_id: string; provider_config_key: string };

/**
 * What a browser test file needs around the platform that `npm run dev` started: its own
 * environment (so its connections don't mix with other files'), the fake OAuth provider with one
 * scenario, the host pages on another origin, and headless Chromium.
 */
export interface BrowserPlatform {
    host: string;
    /** The fake provider's root for this file's scenario, to build custom providers' URLs on. */
    providerBase: string;
    scenario: string;
    pages: Served;
    browser: Browser;
    /** Calls the API with the environment's secret key; a non-2xx answer fails the test. */
    api(method: string, path: string, body?: unknown): Promise<any>;
    /** A connect session token for this end user. */
    session(userId: string, allowed: string[], extra?: Record<string, unknown>): Promise<string>;
    connectionsOf(userId: string): Promise<Connection[]>;
    /** A connection with its credentials and config, as `GET /connections/:id` returns it. */
    connection(connectionId: string, integrationKey: string): Promise<{ credentials: Record<string, unknown>; connection_config: Record<string, unknown> }>;
    close(): Promise<void>;
}

export async function startBrowserPlatform(host: string, adminSecret: string, oauth: OAuthScenario): Promise<BrowserPlatform> {
    const created = await fetch(`${host}/admin/environments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `browser-${crypto.randomUUID()}` })
    });
    expect(created.status).toBe(201);
    const secretKey = ((await created.json()) as { data: { secret_key: string } }).data.secret_key;
    const scenario = `browser-${crypto.randomUUID()}`;
    configureScenario(scenario, { oauth });
    const provider = await serveFetch(fakeProvider);
    const pages = await serveHostPages(host);
    const browser = await launchChromium();

    async function api(method: string, path: string, body?: unknown) {
        const res = await fetch(host + path, {
            method,
            headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
            ...(body !== undefined && { body: JSON.stringify(body) })
        });
        const text = await res.text();
        expect(res.ok, `${method} ${path}: ${text}`).toBe(true);
        return text ? JSON.parse(text) : null;
    }

    return {
        host,
        providerBase: `${provider.url}/${scenario}`,
        scenario,
        pages,
        browser,
        api,
        async session(userId, allowed, extra = {}) {
            const body = { end_user: { id: userId, email: `${userId}@example.com` }, allowed_integrations: allowed, ...extra };
            return (await api('POST', '/connect/sessions', body)).data.token as string;
        },
        async connectionsOf(userId) {
            return (await api('GET', `/connections?endUserId=${userId}`)).connections;
        },
        connection(connectionId, integrationKey) {
            return api('GET', `/connections/${encodeURIComponent(connectionId)}?provider_config_key=${encodeURIComponent(integrationKey)}`);
        },
        async close() {
            await browser.close();
            await provider.close();
            await pages.close();
        }
    };
}

/** Opens a host page with a session token and clicks its button (which opens the Connect UI or runs `auth()`). */
export async function openHostPage(platform: BrowserPlatform, path: string, token: string, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
    const page = await platform.browser.newPage(options);
    await page.goto(`${platform.pages.url}${path}${path.includes('?') ? '&' : '?'}token=${token}`);
    await page.click('#go');
    return page;
}

/** What the host page's SDK reported through `onEvent`. */
export const hostEvents = (page: Page): Promise<HostEvent[]> => page.evaluate(() => (window as unknown as { events: HostEvent[] }).events);

/** What the host page's `auth()` resolved with, or `{ error, name, message }` when it rejected. */
export const authResult = (page: Page): Promise<Record<string, unknown> | undefined> => page.evaluate(() => (window as unknown as { result?: Record<string, unknown> }).result);

/** Clicks Connect in the Connect UI (`root`: the iframe, or a connect-link page) and decides in the provider's popup. */
export async function authorizeInPopup(page: Page, root: FrameLocator | Page | Frame, decision: '#approve' | '#deny', beforeDecision?: (popup: Page) => Promise<void>): Promise<Page> {
    const popupOpened = page.waitForEvent('popup');
    await root.getByRole('button', { name: 'Connect', exact: true }).click();
    const popup = await popupOpened;
    await popup.waitForSelector(decision);
    await beforeDecision?.(popup);
    await popup.click(decision);
    return popup;
}
