/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authorizeInPopup, type BrowserPlatform, hostEvents, openHostPage, startBrowserPlatform } from '../support/browser-platform.js';
import { chromiumPath } from '../support/chromium.js';

// How the Connect UI is reached: a connect link in a tab of its own, and an iframe whose two
// sides accept messages only from each other.
describe.skipIf(!chromiumPath)('Connect UI embedding in a real browser', { timeout: 60_000 }, () => {
    let platform: BrowserPlatform;

    beforeAll(async () => {
        platform = await startBrowserPlatform(inject('platformUrl'), inject('adminSecret'), { clientId: 'link-client', clientSecret: 'link-secret' });
        const base = platform.providerBase;
        await platform.api('POST', '/providers', {
            name: 'link-oauth',
            display_name: 'Link Cloud',
            categories: ['dev-tools'],
            docs: 'https://docs.example.com',
            auth_mode: 'OAUTH2',
            oauth: { authorization_url: `${base}/authorize`, token_url: `${base}/token` },
            proxy: { base_url: `${base}/api` }
        });
        await platform.api('POST', '/integrations', { provider: 'link-oauth', unique_key: 'link', credentials: { type: 'OAUTH2', client_id: 'link-client', client_secret: 'link-secret' } });
    });

    afterAll(() => platform?.close());

    // The WebSocket is blocked in both cases; then either the popup loses its opener, or the
    // Connect UI's BroadcastChannel hears nothing, so that one channel alone brings the result back.
    it.each(['BroadcastChannel', 'postMessage'] as const)('connects through a connect link, the result crossing over the %s alone', async (channel) => {
        const user = `link-user-${channel}`;
        const { data } = await platform.api('POST', '/connect/sessions', { end_user: { id: user }, allowed_integrations: ['link'] });
        const page = await platform.browser.newPage();
        await page.routeWebSocket(/.*/, (socket) => socket.close());
        if (channel === 'postMessage') {
            await page.addInitScript(() => {
                window.BroadcastChannel = class {
                    onmessage = null;
                    postMessage() {}
                    close() {}
                } as unknown as typeof BroadcastChannel;
            });
        }
        await page.goto(data.connect_link);
        expect(new URL(data.connect_link).pathname).toBe('/connect/');

        // A tab of its own: nothing to close, so no dialog and no close button.
        await page.getByRole('button', { name: 'Connect', exact: true }).waitFor({ timeout: 10_000 });
        expect(await page.getByRole('dialog').count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Close' }).count()).toBe(0);

        await authorizeInPopup(page, page, '#approve', async (popup) => {
            if (channel === 'postMessage') return;
            await popup.evaluate(() => {
                window.opener = null;
            });
            expect(await popup.evaluate(() => window.opener)).toBeNull();
        });
        await expect.poll(() => page.getByText('Connected!').isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await page.getByText('You can close this tab.').isVisible()).toBe(true);
        expect(await platform.connectionsOf(user)).toEqual([expect.objectContaining({ provider_config_key: 'link' })]);
        await page.close();
    });

    it('takes the session token only from its parent, and the SDK takes events only from the Connect UI', async () => {
        const token = await platform.session('link-user-2', ['link']);
        const page = await openHostPage(platform, '/spoke-deferred', token);
        await expect.poll(async () => (await hostEvents(page)).map((e) => e.type), { timeout: 10_000 }).toContain('ready');

        // A frame of another origin offers the (valid) token to the Connect UI and forges a `connect` for the host.
        const attackerOrigin = platform.pages.url.replace('127.0.0.1', 'localhost');
        await page.evaluate((src) => (window as unknown as { addFrame: (src: string) => void }).addFrame(src), `${attackerOrigin}/attacker?token=${token}`);
        const attacker = () => page.frames().find((f) => f.url().startsWith(attackerOrigin));
        await expect.poll(() => attacker()?.evaluate(() => (window as unknown as { posts: number }).posts), { timeout: 10_000 }).toBeGreaterThanOrEqual(10);

        const frame = page.frameLocator('iframe').first();
        expect(await frame.getByRole('button', { name: 'Connect', exact: true }).count()).toBe(0);
        expect((await hostEvents(page)).map((e) => e.type)).toEqual(['ready']);

        // The same token from the parent starts the flow.
        await page.evaluate(() => (window as unknown as { sendToken: () => void }).sendToken());
        await frame.getByRole('button', { name: 'Connect', exact: true }).waitFor({ timeout: 10_000 });
        expect((await hostEvents(page)).map((e) => e.type)).toEqual(['ready']);
        await page.close();
    });
});
