/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromiumPath, launchChromium } from '../support/chromium.js';
import { configureScenario, fakeProvider, scenarioCounts } from '../support/fake-upstreams.js';
import { serveHostPages } from '../support/host-pages.js';
import { type Served, serveFetch } from '../support/serve-fetch.js';

// Real headless Chromium against the platform started by `npm run dev`, a fake OAuth provider
// and API on localhost, and host pages on yet another origin.
const host = inject('platformUrl');
const adminSecret = inject('adminSecret');
// Its own environment, so its connections don't mix with other suites'.
let secretKey: string;

if (!chromiumPath) {
    console.warn('\n  Skipping the browser tests: Chromium is not installed. Install Debian\'s chromium package (apt-get install chromium) to run them; .ci/run does.\n');
}

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

// Each test drives a real browser through several screens and a popup against `wrangler dev`.
describe.skipIf(!chromiumPath)('Connect UI in a real browser', { timeout: 60_000 }, () => {
    const scenario = `browser-${crypto.randomUUID()}`;
    let provider: Served;
    let pages: Served;
    let browser: Browser;

    beforeAll(async () => {
        const created = await fetch(`${host}/admin/environments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `browser-${Date.now()}` })
        });
        expect(created.status).toBe(201);
        secretKey = ((await created.json()) as { data: { secret_key: string } }).data.secret_key;
        provider = await serveFetch(fakeProvider);
        pages = await serveHostPages(host);
        browser = await launchChromium();
        configureScenario(scenario, { oauth: { clientId: 'browser-client', clientSecret: 'browser-secret', apiKey: 'right-key' } });
        const base = `${provider.url}/${scenario}`;
        await api('POST', '/providers', {
            name: 'browser-oauth',
            display_name: 'Acme Cloud',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'OAUTH2',
            oauth: { authorization_url: `${base}/authorize`, token_url: `${base}/token`, default_scopes: ['read'] },
            proxy: { base_url: `${base}/api` }
        });
        await api('POST', '/providers', {
            name: 'browser-key',
            display_name: 'Acme Keys',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'API key', secret: true } },
            proxy: { base_url: base, headers: { 'x-api-key': '${credentials.apiKey}' }, verification: { method: 'GET', endpoints: ['/api/me'] } }
        });
        await api('POST', '/integrations', { provider: 'browser-oauth', unique_key: 'acme', credentials: { type: 'OAUTH2', client_id: 'browser-client', client_secret: 'browser-secret' } });
        await api('POST', '/integrations', { provider: 'browser-key', unique_key: 'acme-keys' });
    });

    afterAll(async () => {
        await browser?.close();
        await provider?.close();
        await pages?.close();
    });

    async function session(userId: string, allowed: string[]) {
        return (await api('POST', '/connect/sessions', { end_user: { id: userId, email: `${userId}@example.com` }, allowed_integrations: allowed })).data.token as string;
    }

    async function openHost(path: string, token: string): Promise<Page> {
        const page = await browser.newPage();
        await page.goto(`${pages.url}${path}?token=${token}`);
        await page.click('#go');
        return page;
    }

    const events = (page: Page) => page.evaluate(() => (window as unknown as { events: { type: string; payload?: Record<string, unknown> }[] }).events);
    const connectionsOf = async (userId: string) => (await api('GET', `/connections?endUserId=${userId}`)).connections as { connection_id: string; provider_config_key: string }[];

    /** Clicks Connect in the Connect UI, approves (or denies) in the provider's popup. */
    async function authorizeInPopup(page: Page, decision: '#approve' | '#deny') {
        const frame = page.frameLocator('iframe');
        const popupOpened = page.waitForEvent('popup');
        await frame.getByRole('button', { name: 'Connect', exact: true }).click();
        const popup = await popupOpened;
        await popup.waitForLoadState();
        await popup.click(decision);
        return { frame, popup };
    }

    it('connects through our SDK: iframe, OAuth popup, `connect` event, connection saved', async () => {
        const token = await session('browser-user-1', ['acme', 'acme-keys']);
        const page = await openHost('/spoke', token);
        const frame = page.frameLocator('iframe');
        await frame.getByRole('button', { name: /Acme Cloud/ }).click();
        await authorizeInPopup(page, '#approve');
        await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 15_000 }).toContain('connect');
        const connect = (await events(page)).find((e) => e.type === 'connect')!;
        expect(connect.payload).toMatchObject({ providerConfigKey: 'acme', isPending: false });
        await expect.poll(() => frame.getByText('Connected!').isVisible()).toBe(true);

        const saved = await connectionsOf('browser-user-1');
        expect(saved).toEqual([expect.objectContaining({ connection_id: connect.payload!['connectionId'], provider_config_key: 'acme' })]);
        expect(scenarioCounts(scenario).authorizationCode).toBeGreaterThanOrEqual(1);

        await frame.getByRole('button', { name: 'Finish' }).click();
        await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain('close');
        expect(await page.locator('iframe').count()).toBe(0);
        await page.close();
    });

    it('shows the provider’s error, emits `error`, saves nothing, and offers a retry', async () => {
        const token = await session('browser-user-2', ['acme']);
        const page = await openHost('/spoke', token);
        const { frame } = await authorizeInPopup(page, '#deny');
        await expect.poll(() => frame.getByText('The user denied access', { exact: false }).first().isVisible(), { timeout: 15_000 }).toBe(true);
        await expect.poll(async () => (await events(page)).find((e) => e.type === 'error')?.payload).toMatchObject({ errorType: 'oauth_error' });
        expect(await frame.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
        expect(await connectionsOf('browser-user-2')).toEqual([]);
        await page.close();
    });

    it('connects with an API key typed into the form, verified by the provider', async () => {
        const token = await session('browser-user-3', ['acme-keys']);
        const page = await openHost('/spoke', token);
        const frame = page.frameLocator('iframe');
        await frame.getByLabel(/^API key/).fill('wrong-key');
        await frame.getByRole('button', { name: 'Connect', exact: true }).click();
        await expect.poll(() => frame.getByText('Connection failed').isVisible(), { timeout: 15_000 }).toBe(true);
        await expect.poll(async () => (await events(page)).find((e) => e.type === 'error')?.payload).toMatchObject({ errorType: 'connection_test_failed' });
        await frame.getByRole('button', { name: 'Try again' }).click();
        await frame.getByLabel(/^API key/).fill('right-key');
        await frame.getByRole('button', { name: 'Connect', exact: true }).click();
        await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 15_000 }).toContain('connect');
        expect(await connectionsOf('browser-user-3')).toHaveLength(1);
        await page.close();
    });

    it('works with the keyboard alone at a phone’s width, in the environment’s colours', async () => {
        await api('PATCH', '/environment/connect-ui-settings', { theme: { light: { primary: '#0f766e' } }, defaultTheme: 'light' });
        const token = await session('browser-user-6', ['acme', 'acme-keys']);
        const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
        await page.goto(`${pages.url}/spoke?token=${token}`);
        await page.click('#go');
        const frame = page.frameLocator('iframe');
        await frame.getByRole('button', { name: /Acme Keys/ }).waitFor({ timeout: 10_000 });
        const dialog = await frame.getByRole('dialog').boundingBox();
        expect(dialog!.width).toBeLessThanOrEqual(360);

        // The dialog takes the focus when it opens; from there, Tab to the second integration,
        // open it with Enter, type, submit with Enter.
        await expect.poll(() => frame.locator('[role="dialog"] :focus').count(), { timeout: 10_000 }).toBe(1);
        const keys = frame.getByRole('button', { name: /Acme Keys/ });
        for (let i = 0; i < 8 && !(await keys.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
        expect(await keys.evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.press('Enter');
        await frame.getByLabel(/^API key/).waitFor({ timeout: 10_000 });
        expect(await frame.getByLabel(/^API key/).evaluate((el) => el === document.activeElement)).toBe(true);
        const connect = frame.getByRole('button', { name: 'Connect', exact: true });
        expect(await connect.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
        await page.keyboard.type('right-key');
        await page.keyboard.press('Enter');
        await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 15_000 }).toContain('connect');

        // Escape closes the dialog and tells the host. Only the keydown is sent: it removes the
        // iframe, and Playwright would wait forever for the detached frame to acknowledge a keyup.
        await page.keyboard.down('Escape');
        await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain('close');
        expect(await page.locator('iframe').count()).toBe(0);
        await page.close();
    });

    it('is driven by the official @nangohq/frontend openConnectUI', async () => {
        const token = await session('browser-user-4', ['acme']);
        const page = await openHost('/nango', token);
        await authorizeInPopup(page, '#approve');
        await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 15_000 }).toEqual(expect.arrayContaining(['ready', 'connect']));
        expect(await connectionsOf('browser-user-4')).toHaveLength(1);
        await page.close();
    });

    it('completes the official @nangohq/frontend headless auth() over the WebSocket', async () => {
        const token = await session('browser-user-5', ['acme']);
        const page = await browser.newPage();
        await page.goto(`${pages.url}/nango-headless?token=${token}&integration=acme`);
        const popupOpened = page.waitForEvent('popup');
        await page.click('#go');
        const popup = await popupOpened;
        await popup.waitForSelector('#approve');
        await popup.click('#approve');
        await expect
            .poll(() => page.evaluate(() => (window as unknown as { result?: Record<string, unknown> }).result), { timeout: 15_000 })
            .toMatchObject({ providerConfigKey: 'acme', isPending: false });
        const [saved] = await connectionsOf('browser-user-5');
        expect(await page.evaluate(() => (window as unknown as { result: { connectionId: string } }).result.connectionId)).toBe(saved!.connection_id);
        await page.close();
    });
});
