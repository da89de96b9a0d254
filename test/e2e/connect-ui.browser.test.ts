/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authorizeInPopup, type BrowserPlatform, hostEvents as events, openHostPage, startBrowserPlatform } from '../support/browser-platform.js';
import { chromiumPath } from '../support/chromium.js';
import { scenarioCounts } from '../support/fake-upstreams.js';

// Real headless Chromium against the platform started by `npm run dev`, a fake OAuth provider
// and API on localhost, and host pages on yet another origin.
// Each test drives a real browser through several screens and a popup against `wrangler dev`.
describe.skipIf(!chromiumPath)('Connect UI in a real browser', { timeout: 60_000 }, () => {
    let platform: BrowserPlatform;

    beforeAll(async () => {
        platform = await startBrowserPlatform(inject('platformUrl'), inject('adminSecret'), { clientId: 'browser-client', clientSecret: 'browser-secret', apiKey: 'right-key' });
        const base = platform.providerBase;
        await platform.api('POST', '/providers', {
            name: 'browser-oauth',
            display_name: 'Acme Cloud',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'OAUTH2',
            oauth: { authorization_url: `${base}/authorize`, token_url: `${base}/token`, default_scopes: ['read'] },
            proxy: { base_url: `${base}/api` }
        });
        await platform.api('POST', '/providers', {
            name: 'browser-key',
            display_name: 'Acme Keys',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'API key', secret: true } },
            proxy: { base_url: base, headers: { 'x-api-key': '${credentials.apiKey}' }, verification: { method: 'GET', endpoints: ['/api/me'] } }
        });
        await platform.api('POST', '/integrations', { provider: 'browser-oauth', unique_key: 'acme', credentials: { type: 'OAUTH2', client_id: 'browser-client', client_secret: 'browser-secret' } });
        await platform.api('POST', '/integrations', { provider: 'browser-key', unique_key: 'acme-keys' });
    });

    afterAll(() => platform?.close());

    const session = (userId: string, allowed: string[]) => platform.session(userId, allowed);
    const openHost = (path: string, token: string, options = {}): Promise<Page> => openHostPage(platform, path, token, options);
    const connectionsOf = (userId: string) => platform.connectionsOf(userId);

    it('connects through our SDK: iframe, OAuth popup, `connect` event, connection saved', async () => {
        const token = await session('browser-user-1', ['acme', 'acme-keys']);
        const page = await openHost('/spoke', token);
        const frame = page.frameLocator('iframe');
        await frame.getByRole('button', { name: /Acme Cloud/ }).click();
        await authorizeInPopup(page, frame, '#approve');
        await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 15_000 }).toContain('connect');
        const connect = (await events(page)).find((e) => e.type === 'connect')!;
        expect(connect.payload).toMatchObject({ providerConfigKey: 'acme', isPending: false });
        await expect.poll(() => frame.getByText('Connected!').isVisible()).toBe(true);

        const saved = await connectionsOf('browser-user-1');
        expect(saved).toEqual([expect.objectContaining({ connection_id: connect.payload!['connectionId'], provider_config_key: 'acme' })]);
        expect(scenarioCounts(platform.scenario).authorizationCode).toBeGreaterThanOrEqual(1);

        await frame.getByRole('button', { name: 'Finish' }).click();
        await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain('close');
        expect(await page.locator('iframe').count()).toBe(0);
        await page.close();
    });

    it('shows the provider’s error, emits `error`, saves nothing, and offers a retry', async () => {
        const token = await session('browser-user-2', ['acme']);
        const page = await openHost('/spoke', token);
        const frame = page.frameLocator('iframe');
        await authorizeInPopup(page, frame, '#deny');
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
        await platform.api('PATCH', '/environment/connect-ui-settings', { theme: { light: { primary: '#0f766e' } }, defaultTheme: 'light' });
        const token = await session('browser-user-6', ['acme', 'acme-keys']);
        const page = await openHost('/spoke', token, { viewport: { width: 360, height: 740 } });
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

    it('follows the browser’s dark scheme, with the environment’s dark primary colour', async () => {
        await platform.api('PATCH', '/environment/connect-ui-settings', { theme: { light: { primary: '#0f766e' }, dark: { primary: '#2dd4bf' } }, defaultTheme: 'system' });
        const token = await session('browser-user-7', ['acme-keys']);
        const looks = async (colorScheme: 'light' | 'dark') => {
            const page = await openHost('/spoke', token, { colorScheme });
            const frame = page.frameLocator('iframe');
            const connect = frame.getByRole('button', { name: 'Connect', exact: true });
            await connect.waitFor({ timeout: 10_000 });
            const colours = {
                theme: await frame.locator('html').getAttribute('data-theme'),
                dialog: await frame.getByRole('dialog').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]),
                button: await connect.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color])
            };
            await page.close();
            return colours;
        };
        const light = await looks('light');
        const dark = await looks('dark');
        expect(light).toEqual({ theme: 'light', dialog: ['rgb(255, 255, 255)', expect.any(String)], button: ['rgb(15, 118, 110)', 'rgb(255, 255, 255)'] });
        // The dark surface, light text, and the dark primary with black text, which reads better on it.
        expect(dark).toEqual({ theme: 'dark', dialog: ['rgb(24, 24, 27)', expect.any(String)], button: ['rgb(45, 212, 191)', 'rgb(0, 0, 0)'] });
        expect(dark.dialog[1]).not.toBe(light.dialog[1]);
    });

    it('is driven by the official @nangohq/frontend openConnectUI', async () => {
        const token = await session('browser-user-4', ['acme']);
        const page = await openHost('/nango', token);
        await authorizeInPopup(page, page.frameLocator('iframe'), '#approve');
        await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 15_000 }).toEqual(expect.arrayContaining(['ready', 'connect']));
        expect(await connectionsOf('browser-user-4')).toHaveLength(1);
        await page.close();
    });

    it('completes the official @nangohq/frontend headless auth() over the WebSocket', async () => {
        const token = await session('browser-user-5', ['acme']);
        const page = await platform.browser.newPage();
        await page.goto(`${platform.pages.url}/nango-headless?token=${token}&integration=acme`);
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
