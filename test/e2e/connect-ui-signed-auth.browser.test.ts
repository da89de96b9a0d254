/// <reference lib="dom" />
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authorizeInPopup, type BrowserPlatform, hostEvents, openHostPage, startBrowserPlatform } from '../support/browser-platform.js';
import { chromiumPath } from '../support/chromium.js';
import { oauth1Requests } from '../support/fake-signing-providers.js';
import { addFakeGithubApp, addFakeNetsuite, addFakeTrello, GITHUB_APP, NETSUITE, type ServedFake } from '../support/signing-providers-served.js';

// The auth modes whose credentials are signatures, through the Connect UI in real Chromium: the
// NetSuite TBA form, and the OAuth 1.0a and GitHub App flows in the popup. The fakes check every
// signature Spoke sends; the result is checked in the stored connection.
describe.skipIf(!chromiumPath)('Connect UI with TBA, OAuth 1.0a and GitHub App providers in a real browser', { timeout: 60_000 }, () => {
    let platform: BrowserPlatform;
    let fakes: { netsuite: ServedFake; trello: ServedFake; github: ServedFake };

    beforeAll(async () => {
        platform = await startBrowserPlatform(inject('platformUrl'), inject('adminSecret'), { clientId: 'unused', clientSecret: 'unused' });
        fakes = {
            netsuite: await addFakeNetsuite(platform, 'netsuite'),
            trello: await addFakeTrello(platform, 'trello'),
            github: await addFakeGithubApp(platform, 'gh-app')
        };
    });

    afterAll(async () => {
        await Promise.all(Object.values(fakes ?? {}).map((fake) => fake.close()));
        await platform?.close();
    });

    const connect = (frame: FrameLocator) => frame.getByRole('button', { name: 'Connect', exact: true });
    const connected = async (page: Page) => {
        await expect.poll(async () => (await hostEvents(page)).map((e) => e.type), { timeout: 15_000 }).toContain('connect');
        return (await hostEvents(page)).find((e) => e.type === 'connect')!.payload!['connectionId'] as string;
    };

    it('connects NetSuite with a token through the form; a token the provider refuses fails with its reason and saves nothing', async () => {
        const page = await openHostPage(platform, '/spoke', await platform.session('signed-user-1', ['netsuite']));
        const frame = page.frameLocator('iframe');
        const accountId = frame.getByLabel(/^Account ID/);
        await accountId.waitFor({ timeout: 10_000 });
        expect(await frame.locator('.field label').allTextContents()).toEqual(['Account ID*', 'Token ID*', 'Token secret*']);
        expect(await frame.getByLabel(/^Token secret/).getAttribute('type')).toBe('password');

        await accountId.fill(NETSUITE.accountId);
        await frame.getByLabel(/^Token ID/).fill(NETSUITE.tokenId);
        await frame.getByLabel(/^Token secret/).fill('not-the-secret');
        await connect(frame).click();
        await expect.poll(() => frame.getByText('Connection failed').isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await frame.locator('.failure-message').innerText()).toContain('bad signature');
        expect(oauth1Requests(fakes.netsuite.scenario).at(-1)).toMatchObject({ method: 'GET', path: '/1234567-sb1/record/v1/metadata-catalog', problem: 'bad signature' });
        expect(await platform.connectionsOf('signed-user-1')).toEqual([]);

        // Try again keeps what was typed.
        await frame.getByRole('button', { name: 'Try again' }).click();
        expect(await accountId.inputValue()).toBe(NETSUITE.accountId);
        expect(await frame.getByLabel(/^Token ID/).inputValue()).toBe(NETSUITE.tokenId);
        await frame.getByLabel(/^Token secret/).fill(NETSUITE.tokenSecret);
        await connect(frame).click();

        const connectionId = await connected(page);
        const verification = oauth1Requests(fakes.netsuite.scenario).at(-1)!;
        expect(verification).toMatchObject({ method: 'GET', path: '/1234567-sb1/record/v1/metadata-catalog', problem: null });
        expect(verification.headers['authorization']).toMatch(/^OAuth realm="1234567_SB1",.*oauth_signature_method="HMAC-SHA256"/);
        const saved = await platform.connection(connectionId, 'netsuite');
        expect(saved.credentials).toEqual({ type: 'TBA', token_id: NETSUITE.tokenId, token_secret: NETSUITE.tokenSecret });
        expect(saved.connection_config).toEqual({ accountId: NETSUITE.accountId });
        await page.close();
    });

    it('connects Trello through the popup: request token, the provider’s authorize page, the callback', async () => {
        const page = await openHostPage(platform, '/spoke', await platform.session('signed-user-2', ['trello']));
        const frame = page.frameLocator('iframe');
        await connect(frame).waitFor({ timeout: 10_000 });
        let authorizeUrl = '';
        await authorizeInPopup(page, frame, '#approve', async (popup) => {
            authorizeUrl = popup.url();
        });
        const authorize = new URL(authorizeUrl);
        expect(`${authorize.origin}${authorize.pathname}`).toBe(`${fakes.trello.base}/authorize`);
        expect(Object.fromEntries(authorize.searchParams)).toEqual({ oauth_token: expect.stringMatching(/^request_/), scope: 'read,write', expiration: 'never' });

        const connectionId = await connected(page);
        const saved = await platform.connection(connectionId, 'trello');
        expect(saved.credentials).toMatchObject({ type: 'OAUTH1', oauth_token: expect.stringMatching(/^access_/), oauth_token_secret: expect.stringMatching(/^asecret_/), raw: { username: 'ada' } });
        await page.close();
    });

    it('shows the provider’s refusal of the request token, and saves nothing', async () => {
        // The consumer secret is not the one the fake Trello knows, so the request token's signature fails.
        await platform.api('POST', '/integrations', { provider: 'trello-provider', unique_key: 'trello-wrong', credentials: { type: 'OAUTH1', client_id: 'trello-key', client_secret: 'not-the-secret' } });
        const page = await openHostPage(platform, '/spoke', await platform.session('signed-user-4', ['trello-wrong']));
        const frame = page.frameLocator('iframe');
        const popupOpened = page.waitForEvent('popup');
        await connect(frame).click();
        await popupOpened;
        await expect.poll(() => frame.getByText('Connection failed').isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await frame.locator('.failure-message').innerText()).toMatch(/request token.*bad signature/);
        expect((await hostEvents(page)).map((e) => e.type)).not.toContain('connect');
        expect(await platform.connectionsOf('signed-user-4')).toEqual([]);
        await page.close();
    });

    it('installs a GitHub App through the popup: the install page, then the setup URL with the installation and the state', async () => {
        const page = await openHostPage(platform, '/spoke', await platform.session('signed-user-3', ['gh-app']));
        const frame = page.frameLocator('iframe');
        await connect(frame).waitFor({ timeout: 10_000 });
        const visited: string[] = [];
        let installUrl = '';
        await authorizeInPopup(page, frame, '#approve', async (popup) => {
            installUrl = popup.url();
            popup.on('request', (request) => visited.push(request.url()));
        });
        const install = new URL(installUrl);
        expect(`${install.origin}${install.pathname}`).toBe(`${fakes.github.base}/apps/spoke-test/installations/new`);
        const state = install.searchParams.get('state');
        expect(state).toMatch(/^[0-9a-f]{64}$/);

        const connectionId = await connected(page);
        const setup = new URL(visited.find((url) => url.startsWith(`${platform.host}/app-auth/connect?`))!);
        expect(Object.fromEntries(setup.searchParams)).toEqual({ installation_id: GITHUB_APP.installationId, setup_action: 'install', state });
        const saved = await platform.connection(connectionId, 'gh-app');
        expect(saved.credentials).toMatchObject({ type: 'APP', access_token: expect.stringMatching(/^ghs_/), expires_at: expect.any(String) });
        expect(saved.connection_config).toMatchObject({ installation_id: GITHUB_APP.installationId, app_id: GITHUB_APP.appId });
        await page.close();
    });
});
