/// <reference lib="dom" />
import type { FrameLocator, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authorizeInPopup, type BrowserPlatform, hostEvents, openHostPage, startBrowserPlatform } from '../support/browser-platform.js';
import { chromiumPath } from '../support/chromium.js';

// The forms the Connect UI builds from a provider's fields, filled and submitted in real Chromium;
// what they send is checked in the stored connection.
describe.skipIf(!chromiumPath)('Connect UI forms in a real browser', { timeout: 60_000 }, () => {
    let platform: BrowserPlatform;
    const guide = 'https://docs.example.com/acme-desk/connect';

    beforeAll(async () => {
        platform = await startBrowserPlatform(inject('platformUrl'), inject('adminSecret'), {
            clientId: 'form-client',
            clientSecret: 'form-secret',
            basic: { username: 'agent@example.com', password: 'right-token' }
        });
        const base = platform.providerBase;
        const common = { categories: ['support'], docs: 'https://docs.example.com', docs_connect: guide };
        await platform.api('POST', '/providers', {
            ...common,
            name: 'form-basic',
            display_name: 'Acme Desk',
            auth_mode: 'BASIC',
            credentials: {
                username: { title: 'Email', format: 'email', doc_section: '#email' },
                password: { title: 'API token', secret: true, doc_section: 'https://help.example.com/api-tokens' }
            },
            connection_config: {
                subdomain: { title: 'Subdomain', prefix: 'https://', suffix: '.acme-desk.com', pattern: '[a-z0-9-]+', example: 'mycompany', order: 1, doc_section: '#subdomain' },
                region: { title: 'Region', enum: ['us', 'eu'], order: 2 },
                team: { title: 'Team', optional: true, order: 3 },
                api_version: { title: 'API version', hidden: true, default_value: 'v2' }
            },
            proxy: { base_url: base, verification: { method: 'GET', endpoints: ['/api/me'] } }
        });
        await platform.api('POST', '/providers', {
            ...common,
            name: 'form-cc',
            display_name: 'Acme Machines',
            auth_mode: 'OAUTH2_CC',
            oauth: { token_url: `${base}/token` },
            credentials: { client_id: { title: 'Machine ID' }, client_secret: { title: 'Machine secret', secret: true } },
            connection_config: { stage: { title: 'Stage', enum: ['sandbox', 'production'], default_value: 'sandbox' } },
            proxy: { base_url: `${base}/api` }
        });
        await platform.api('POST', '/providers', {
            ...common,
            name: 'form-oauth',
            display_name: 'Acme Workspace',
            auth_mode: 'OAUTH2',
            oauth: { authorization_url: `${base}/authorize`, token_url: `${base}/token`, authorization_params: { workspace: '${connectionConfig.workspace}' } },
            connection_config: {
                workspace: { title: 'Workspace', prefix: 'https://', suffix: '.acme.dev', pattern: '[a-z0-9-]+', doc_section: '#workspace' },
                plan: { title: 'Plan', enum: ['free', 'pro'], optional: true }
            },
            proxy: { base_url: `${base}/api` }
        });
        await platform.api('POST', '/integrations', { provider: 'form-basic', unique_key: 'desk' });
        await platform.api('POST', '/integrations', { provider: 'form-cc', unique_key: 'machines' });
        await platform.api('POST', '/integrations', { provider: 'form-oauth', unique_key: 'workspace', credentials: { type: 'OAUTH2', client_id: 'form-client', client_secret: 'form-secret' } });
    });

    afterAll(() => platform?.close());

    /** The texts an input is described by (prefix, suffix, help, error), and the field around it. */
    const describedBy = (input: Locator) =>
        input.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? ''));
    // A label reads `Title*` when the field is required.
    const fieldOf = (frame: FrameLocator, title: string) => frame.locator('.field').filter({ has: frame.getByLabel(new RegExp(`^${title}\\*?$`)) });
    const helpLink = (frame: FrameLocator, title: string) => frame.getByRole('link', { name: `Where to find your ${title}` });
    const connect = (frame: FrameLocator) => frame.getByRole('button', { name: 'Connect', exact: true });
    const connected = async (page: Parameters<typeof hostEvents>[0]) => {
        await expect.poll(async () => (await hostEvents(page)).map((e) => e.type), { timeout: 15_000 }).toContain('connect');
        return (await hostEvents(page)).find((e) => e.type === 'connect')!.payload!['connectionId'] as string;
    };

    it('fills a BASIC form: adornments, optional badge, secret toggle, select, help links, the session’s guide', async () => {
        const sessionGuide = 'https://help.example.org/our-desk-guide';
        const token = await platform.session('form-user-1', ['desk'], { overrides: { desk: { docs_connect: sessionGuide } } });
        const page = await openHostPage(platform, '/spoke', token);
        const frame = page.frameLocator('iframe');
        const subdomain = frame.getByLabel(/^Subdomain/);
        await subdomain.waitFor({ timeout: 10_000 });

        // Fields in `order`, then the credentials; only the optional one has a badge and no star.
        expect(await frame.locator('.field label').allTextContents()).toEqual(['Subdomain*', 'Region*', 'Team', 'Email*', 'API token*']);
        expect(await fieldOf(frame, 'Team').getByText('Optional').isVisible()).toBe(true);
        expect(await fieldOf(frame, 'Region').getByText('Optional').count()).toBe(0);

        // Adornments around the input, announced with it.
        expect(await fieldOf(frame, 'Subdomain').locator('.control').innerText()).toMatch(/^https:\/\/\s*\.acme-desk\.com$/);
        expect(await describedBy(subdomain)).toEqual(expect.arrayContaining(['https://', '.acme-desk.com']));

        // Help links: anchors go into the session's guide, which replaces the provider's; a URL stays itself.
        expect(await helpLink(frame, 'Subdomain').getAttribute('href')).toBe(`${sessionGuide}#subdomain`);
        expect(await helpLink(frame, 'Email').getAttribute('href')).toBe(`${sessionGuide}#email`);
        expect(await helpLink(frame, 'API token').getAttribute('href')).toBe('https://help.example.com/api-tokens');
        expect(await helpLink(frame, 'Region').count()).toBe(0);
        expect(await frame.getByRole('link', { name: 'View the connection guide' }).getAttribute('href')).toBe(sessionGuide);

        // The select offers the enum; Connect stays unavailable until the form is valid.
        const region = frame.getByLabel(/^Region/);
        expect(await region.locator('option').allTextContents()).toEqual(['Select…', 'us', 'eu']);
        expect(await connect(frame).getAttribute('aria-disabled')).toBe('true');
        await subdomain.fill('acme');
        await region.selectOption('eu');
        await frame.getByLabel(/^Email/).fill('agent@example.com');

        // The secret is hidden, and shown while the toggle is pressed.
        const secret = frame.getByLabel(/^API token/);
        const toggle = frame.getByRole('button', { name: 'Show API token' });
        await secret.fill('wrong-token');
        expect(await secret.getAttribute('type')).toBe('password');
        await toggle.click();
        expect([await secret.getAttribute('type'), await toggle.getAttribute('aria-pressed')]).toEqual(['text', 'true']);
        await toggle.click();
        expect([await secret.getAttribute('type'), await toggle.getAttribute('aria-pressed')]).toEqual(['password', 'false']);
        expect(await connect(frame).getAttribute('aria-disabled')).toBe('false');

        // Refused by the provider: the failure screen links to the session's guide; Try again keeps what was typed.
        await connect(frame).click();
        await expect.poll(() => frame.getByText('Connection failed').isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await frame.getByRole('link', { name: 'View the connection guide' }).getAttribute('href')).toBe(sessionGuide);
        await frame.getByRole('button', { name: 'Try again' }).click();
        expect(await subdomain.inputValue()).toBe('acme');
        expect(await region.inputValue()).toBe('eu');
        await secret.fill('right-token');
        await connect(frame).click();

        const connectionId = await connected(page);
        const saved = await platform.connection(connectionId, 'desk');
        expect(saved.credentials).toMatchObject({ type: 'BASIC', username: 'agent@example.com', password: 'right-token' });
        // What the adornments show is not part of the value; the optional field left empty is not
        // stored, the hidden one is, with its default.
        expect(saved.connection_config).toEqual({ subdomain: 'acme', region: 'eu', api_version: 'v2' });
        await page.close();
    });

    it('links field help into the provider’s own guide when the session overrides nothing', async () => {
        const token = await platform.session('form-user-2', ['desk']);
        const page = await openHostPage(platform, '/spoke', token);
        const frame = page.frameLocator('iframe');
        await helpLink(frame, 'Subdomain').waitFor({ timeout: 10_000 });
        expect(await helpLink(frame, 'Subdomain').getAttribute('href')).toBe(`${guide}#subdomain`);
        expect(await frame.getByRole('link', { name: 'View the connection guide' }).getAttribute('href')).toBe(guide);
        await page.close();
    });

    it('links built-in providers’ fields to where their keys are found', async () => {
        const expected: Record<string, Record<string, string>> = {
            openai: { 'API key': 'https://platform.openai.com/api-keys' },
            datadog: {
                'API key': 'https://docs.datadoghq.com/account_management/api-app-keys/#api-keys',
                'Application key': 'https://docs.datadoghq.com/account_management/api-app-keys/#application-keys'
            }
        };
        for (const [provider, links] of Object.entries(expected)) {
            await platform.api('POST', '/integrations', { provider, unique_key: provider });
            const page = await openHostPage(platform, '/spoke', await platform.session(`form-user-${provider}`, [provider]));
            const frame = page.frameLocator('iframe');
            await connect(frame).waitFor({ timeout: 10_000 });
            for (const [title, href] of Object.entries(links)) expect(await helpLink(frame, title).getAttribute('href'), `${provider} ${title}`).toBe(href);
            await page.close();
        }
    });

    it('fills an OAUTH2_CC form with the provider’s titles and a select with a default', async () => {
        const token = await platform.session('form-user-3', ['machines']);
        const page = await openHostPage(platform, '/spoke', token);
        const frame = page.frameLocator('iframe');
        const stage = frame.getByLabel(/^Stage/);
        await stage.waitFor({ timeout: 10_000 });
        expect(await stage.inputValue()).toBe('sandbox');
        await stage.selectOption('production');
        await frame.getByLabel(/^Machine ID/).fill('form-client');
        expect(await frame.getByLabel(/^Machine secret/).getAttribute('type')).toBe('password');
        await frame.getByLabel(/^Machine secret/).fill('form-secret');
        await connect(frame).click();

        const connectionId = await connected(page);
        const saved = await platform.connection(connectionId, 'machines');
        expect(saved.credentials).toMatchObject({ type: 'OAUTH2_CC', client_id: 'form-client', client_secret: 'form-secret', token: expect.stringMatching(/^cc_/) });
        expect(saved.connection_config).toEqual({ stage: 'production' });
        await page.close();
    });

    it('asks for connection config before the OAuth popup and sends it to the provider', async () => {
        const token = await platform.session('form-user-4', ['workspace']);
        const page = await openHostPage(platform, '/spoke', token);
        const frame = page.frameLocator('iframe');
        const workspace = frame.getByLabel(/^Workspace/);
        await workspace.waitFor({ timeout: 10_000 });
        expect(await describedBy(workspace)).toEqual(expect.arrayContaining(['https://', '.acme.dev']));
        expect(await helpLink(frame, 'Workspace').getAttribute('href')).toBe(`${guide}#workspace`);
        expect(await fieldOf(frame, 'Plan').getByText('Optional').isVisible()).toBe(true);
        expect(await connect(frame).getAttribute('aria-disabled')).toBe('true');

        // A value the pattern refuses is explained, and blocks the popup.
        await workspace.fill('Not valid!');
        await workspace.press('Enter');
        expect(await fieldOf(frame, 'Workspace').getByText(/expected format/).isVisible()).toBe(true);
        await workspace.fill('acme');
        await frame.getByLabel(/^Plan/).selectOption('pro');

        let authorizeUrl = '';
        await authorizeInPopup(page, frame, '#approve', async (popup) => {
            authorizeUrl = popup.url();
        });
        expect(new URL(authorizeUrl).searchParams.get('workspace')).toBe('acme');
        const connectionId = await connected(page);
        const saved = await platform.connection(connectionId, 'workspace');
        expect(saved.connection_config).toMatchObject({ workspace: 'acme', plan: 'pro' });
        await page.close();
    });
});
