/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authResult, type BrowserPlatform, startBrowserPlatform } from '../support/browser-platform.js';
import { chromiumPath } from '../support/chromium.js';
import { oauth1Requests } from '../support/fake-signing-providers.js';
import { addFakeNetsuite, NETSUITE, type ServedFake } from '../support/signing-providers-served.js';

// Our SDK's headless `auth()` (sdk/frontend), loaded from the platform by a host page on another
// origin, in real Chromium: the OAuth popup against the fake provider, and key-based credentials.
describe.skipIf(!chromiumPath)('Frontend SDK auth() in a real browser', { timeout: 60_000 }, () => {
    let platform: BrowserPlatform;
    let netsuite: ServedFake;

    beforeAll(async () => {
        platform = await startBrowserPlatform(inject('platformUrl'), inject('adminSecret'), {
            clientId: 'sdk-client',
            clientSecret: 'sdk-secret',
            apiKey: 'right-key',
            basic: { username: 'agent@example.com', password: 'right-password' }
        });
        const base = platform.providerBase;
        const common = { categories: ['dev-tools'], docs: 'https://docs.example.com' };
        const verified = { verification: { method: 'GET', endpoints: ['/api/me'] } };
        await platform.api('POST', '/providers', {
            ...common,
            name: 'sdk-oauth',
            display_name: 'SDK Cloud',
            auth_mode: 'OAUTH2',
            oauth: { authorization_url: `${base}/authorize`, token_url: `${base}/token` },
            proxy: { base_url: `${base}/api` }
        });
        await platform.api('POST', '/providers', {
            ...common,
            name: 'sdk-key',
            display_name: 'SDK Keys',
            auth_mode: 'API_KEY',
            credentials: { apiKey: { title: 'API key', secret: true } },
            proxy: { base_url: base, headers: { 'x-api-key': '${credentials.apiKey}' }, ...verified }
        });
        await platform.api('POST', '/providers', { ...common, name: 'sdk-basic', display_name: 'SDK Basic', auth_mode: 'BASIC', proxy: { base_url: base, ...verified } });
        await platform.api('POST', '/integrations', { provider: 'sdk-oauth', unique_key: 'sdk-oauth', credentials: { type: 'OAUTH2', client_id: 'sdk-client', client_secret: 'sdk-secret' } });
        await platform.api('POST', '/integrations', { provider: 'sdk-key', unique_key: 'sdk-key' });
        await platform.api('POST', '/integrations', { provider: 'sdk-basic', unique_key: 'sdk-basic' });
        netsuite = await addFakeNetsuite(platform, 'sdk-netsuite');
    });

    afterAll(async () => {
        await netsuite?.close();
        await platform?.close();
    });

    /** A host page whose button calls `auth(integration, options)` with a new session for this user. */
    async function hostPage(userId: string, integration: string, options: Record<string, unknown> = {}): Promise<Page> {
        const token = await platform.session(userId, [integration]);
        const page = await platform.browser.newPage();
        await page.goto(`${platform.pages.url}/spoke-headless?token=${token}&integration=${integration}&options=${encodeURIComponent(JSON.stringify(options))}`);
        return page;
    }

    /** Clicks the button that calls `auth()` and decides in the provider's popup. */
    async function authorizeInPopup(page: Page, decision: '#approve' | '#deny') {
        const popupOpened = page.waitForEvent('popup');
        await page.click('#go');
        const popup = await popupOpened;
        await popup.waitForSelector(decision);
        await popup.click(decision);
    }

    const settled = (page: Page) => expect.poll(() => authResult(page), { timeout: 15_000 }).toBeDefined();

    it('resolves with the new connection after the OAuth popup', async () => {
        const page = await hostPage('sdk-user-1', 'sdk-oauth');
        await authorizeInPopup(page, '#approve');
        await settled(page);
        const [saved] = await platform.connectionsOf('sdk-user-1');
        expect(await authResult(page)).toEqual({ providerConfigKey: 'sdk-oauth', connectionId: saved!.connection_id, isPending: false });
        await page.close();
    });

    it('rejects with an AuthError carrying the provider’s error when the user denies', async () => {
        const page = await hostPage('sdk-user-2', 'sdk-oauth');
        await authorizeInPopup(page, '#deny');
        await settled(page);
        expect(await authResult(page)).toEqual({ error: 'oauth_error', name: 'AuthError', message: expect.stringContaining('The user denied access'), isAuthError: true });
        expect(await platform.connectionsOf('sdk-user-2')).toEqual([]);
        await page.close();
    });

    it('connects with an API key without a popup, and rejects one the provider refuses', async () => {
        const wrong = await hostPage('sdk-user-3', 'sdk-key', { credentials: { apiKey: 'wrong-key' } });
        await wrong.click('#go');
        await settled(wrong);
        expect(await authResult(wrong)).toMatchObject({ error: 'connection_test_failed', isAuthError: true });
        expect(await platform.connectionsOf('sdk-user-3')).toEqual([]);
        await wrong.close();

        const right = await hostPage('sdk-user-3', 'sdk-key', { credentials: { apiKey: 'right-key' } });
        await right.click('#go');
        await settled(right);
        const result = (await authResult(right))!;
        expect(result).toEqual({ providerConfigKey: 'sdk-key', connectionId: expect.any(String) });
        const saved = await platform.connection(result['connectionId'] as string, 'sdk-key');
        expect(saved.credentials).toMatchObject({ type: 'API_KEY', apiKey: 'right-key' });
        await right.close();
    });

    it('connects with basic credentials, verified by the provider', async () => {
        const page = await hostPage('sdk-user-4', 'sdk-basic', { credentials: { username: 'agent@example.com', password: 'right-password' } });
        await page.click('#go');
        await settled(page);
        const result = (await authResult(page))!;
        expect(result).toEqual({ providerConfigKey: 'sdk-basic', connectionId: expect.any(String) });
        const saved = await platform.connection(result['connectionId'] as string, 'sdk-basic');
        expect(saved.credentials).toMatchObject({ type: 'BASIC', username: 'agent@example.com', password: 'right-password' });
        await page.close();
    });

    it('connects NetSuite with a TBA token and the account id, the verification call signed as NetSuite expects', async () => {
        const options = (tokenSecret: string) => ({ credentials: { token_id: NETSUITE.tokenId, token_secret: tokenSecret }, params: { accountId: NETSUITE.accountId } });
        const wrong = await hostPage('sdk-user-5', 'sdk-netsuite', options('not-the-secret'));
        await wrong.click('#go');
        await settled(wrong);
        expect(await authResult(wrong)).toMatchObject({ error: 'connection_test_failed', message: expect.stringContaining('bad signature'), isAuthError: true });
        expect(await platform.connectionsOf('sdk-user-5')).toEqual([]);
        await wrong.close();

        const page = await hostPage('sdk-user-5', 'sdk-netsuite', options(NETSUITE.tokenSecret));
        await page.click('#go');
        await settled(page);
        const result = (await authResult(page))!;
        expect(result).toEqual({ providerConfigKey: 'sdk-netsuite', connectionId: expect.any(String) });
        expect(oauth1Requests(netsuite.scenario).at(-1)).toMatchObject({ path: '/1234567-sb1/record/v1/metadata-catalog', problem: null });
        const saved = await platform.connection(result['connectionId'] as string, 'sdk-netsuite');
        expect(saved.credentials).toEqual({ type: 'TBA', token_id: NETSUITE.tokenId, token_secret: NETSUITE.tokenSecret });
        expect(saved.connection_config).toEqual({ accountId: NETSUITE.accountId });
        await page.close();
    });

    it('connects NetSuite with the end user’s own consumer, which stays out of the URL', async () => {
        // The integration's consumer is not the one the fake NetSuite knows: only the override can pass.
        await platform.api('POST', '/integrations', { provider: 'sdk-netsuite-provider', unique_key: 'sdk-netsuite-own', credentials: { type: 'TBA', client_id: 'another-consumer', client_secret: 'another-secret' } });
        const credentials = { token_id: NETSUITE.tokenId, token_secret: NETSUITE.tokenSecret, oauth_client_id_override: NETSUITE.consumerKey, oauth_client_secret_override: NETSUITE.consumerSecret };
        const page = await hostPage('sdk-user-6', 'sdk-netsuite-own', { credentials, params: { accountId: NETSUITE.accountId } });
        const posted = page.waitForRequest((request) => request.url().includes('/auth/tba/'));
        await page.click('#go');
        await settled(page);
        expect((await posted).url()).not.toContain(NETSUITE.consumerSecret);
        const result = (await authResult(page))!;
        expect(result).toEqual({ providerConfigKey: 'sdk-netsuite-own', connectionId: expect.any(String) });
        const saved = await platform.connection(result['connectionId'] as string, 'sdk-netsuite-own');
        expect(saved.credentials).toEqual({
            type: 'TBA',
            token_id: NETSUITE.tokenId,
            token_secret: NETSUITE.tokenSecret,
            config_override: { client_id: NETSUITE.consumerKey, client_secret: NETSUITE.consumerSecret }
        });
        await page.close();
    });
});
