import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROVIDERS } from '../../providers/catalog/index.js';
import { providerSchema } from '../../providers/schema.js';
import { fillTemplate, templateVariables } from '../../providers/templates.js';

const entries = Object.entries(BUILT_IN_PROVIDERS);

// The commonly used providers the catalog must cover (shared/reference/providers-and-connect-ui.md §4), all but
// stripe-app, which needs an auth mode Spoke lacks (docs/providers.md).
const REQUIRED = [
    'github', 'google-calendar', 'google-drive', 'google-sheet', 'google-mail', 'salesforce', 'hubspot', 'slack', 'notion', 'jira',
    'confluence', 'zendesk', 'intercom', 'linear', 'asana', 'airtable', 'microsoft', 'outlook', 'microsoft-teams', 'sharepoint-online',
    'one-drive', 'quickbooks', 'xero', 'shopify', 'stripe', 'pipedrive', 'zoom', 'docusign', 'dropbox', 'box', 'gitlab', 'bitbucket',
    'monday', 'clickup', 'freshdesk', 'workday', 'servicenow', 'calendly', 'typeform', 'mailchimp', 'zoho-crm', 'gong-oauth', 'attio',
    'front', 'greenhouse', 'bamboohr', 'okta', 'figma', 'openai', 'anthropic', 'github-app', 'trello', 'netsuite-tba'
];

// The providers whose webhooks docs/webhook-ingress.md explains how to set up.
const WITH_WEBHOOKS = ['github', 'slack', 'stripe', 'stripe-connect', 'hubspot', 'shopify', 'linear', 'zendesk', 'jira', 'microsoft', 'microsoft-teams'];

/** Every URL-like template in an entry, with where it is. */
function urlTemplates(p: (typeof BUILT_IN_PROVIDERS)[string]): [string, string][] {
    const out: [string, string][] = [];
    for (const k of ['authorization_url', 'token_url', 'refresh_url', 'request_token_url'] as const) if (p.oauth?.[k]) out.push([`oauth.${k}`, p.oauth[k]!]);
    const bases = p.proxy ? (Array.isArray(p.proxy.base_url) ? p.proxy.base_url : [p.proxy.base_url]) : [];
    bases.forEach((b, i) => out.push([`proxy.base_url[${i}]`, b]));
    if (p.proxy?.verification?.base_url_override) out.push(['proxy.verification.base_url_override', p.proxy.verification.base_url_override]);
    for (const k of ['docs', 'docs_connect', 'setup_guide_url'] as const) if (p[k]) out.push([k, p[k]!]);
    if (p.logo?.url) out.push(['logo.url', p.logo.url]);
    return out;
}

describe('built-in provider catalog', () => {
    it('has at least 60 providers, including the common ones', () => {
        expect(entries.length).toBeGreaterThanOrEqual(60);
        expect(REQUIRED.filter((k) => !(k in BUILT_IN_PROVIDERS))).toEqual([]);
        expect(WITH_WEBHOOKS.filter((k) => !BUILT_IN_PROVIDERS[k]?.webhooks)).toEqual([]);
    });

    it.each(entries)('%s satisfies the schema', (name, entry) => {
        expect(name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
        const parsed = providerSchema.safeParse(entry);
        expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
    });

    it.each(entries)('%s uses https URLs only', (_name, entry) => {
        for (const [where, template] of urlTemplates(entry)) {
            // A template may open with a variable holding a whole base URL (instance_url); elsewhere variables are host labels.
            const sample = template.startsWith('${') ? 'https://x.example' : 'sample';
            const filled = fillTemplate(template, { connectionConfig: new Proxy({}, { get: () => sample }), credentials: {}, accessToken: 't' }, { encode: true });
            expect(filled, where).not.toBeNull();
            expect(new URL(filled!).protocol, `${where}: ${template}`).toBe('https:');
        }
    });

    const withWebhooks = entries.filter(([, entry]) => entry.webhooks);

    it.each(withWebhooks)('%s routes webhooks to connection config it declares', (_name, entry) => {
        const declared = new Set([
            ...Object.keys(entry.connection_config ?? {}),
            ...(entry.oauth?.token_response_metadata ?? []),
            ...(entry.oauth?.redirect_uri_metadata ?? [])
        ]);
        const targets = (entry.webhooks!.routing ?? []).flatMap((r) => [r.match].flat().flatMap((m) => (m.startsWith('connection_config.') ? [m.slice('connection_config.'.length)] : [])));
        expect(targets.filter((key) => !declared.has(key))).toEqual([]);
    });

    it.each(withWebhooks)('%s verifies webhooks with a secret its integrations can hold', (_name, entry) => {
        if (entry.webhooks!.secret === 'client_secret') expect(['OAUTH2', 'OAUTH1']).toContain(entry.auth_mode);
    });

    it.each(entries)('%s has a logo', async (name) => {
        const res = await env.ASSETS.fetch(`http://assets/logos/${name}.svg`);
        expect(res.status).toBe(200);
        expect(await res.text()).toMatch(/^<svg[\s\S]*<title>[\s\S]*<\/svg>\s*$/);
    });
});

describe('provider schema', () => {
    const minimal = { display_name: 'X', categories: ['dev-tools'], docs: 'https://x.example', auth_mode: 'API_KEY', credentials: { apiKey: { title: 'Key' } } };

    it('rejects undeclared template variables', () => {
        const result = providerSchema.safeParse({ ...minimal, proxy: { base_url: 'https://${connectionConfig.sub}.x.example', headers: { a: '${credentials.token}' } } });
        expect(result.success).toBe(false);
        expect(result.error!.issues.map((i) => i.message)).toEqual([
            '${connectionConfig.sub} is not declared by this provider',
            '${credentials.token} is not declared by this provider'
        ]);
    });

    it('accepts variables that come from the token response or the auth mode', () => {
        expect(
            providerSchema.safeParse({
                ...minimal,
                auth_mode: 'OAUTH2',
                credentials: undefined,
                oauth: { authorization_url: 'https://x.example/a', token_url: 'https://x.example/t', token_response_metadata: ['instance_url'] },
                proxy: { base_url: '${connectionConfig.instance_url}', headers: { authorization: 'Bearer ${accessToken}' } }
            }).success
        ).toBe(true);
        expect(providerSchema.safeParse({ ...minimal, proxy: { base_url: 'https://x.example', headers: { authorization: 'Bearer ${accessToken}' } } }).success).toBe(false);
    });

    it('asks OAUTH1 entries for their request-token URL and APP entries for the install page', () => {
        const oauth1 = { ...minimal, auth_mode: 'OAUTH1', credentials: undefined, oauth: { authorization_url: 'https://x.example/a', token_url: 'https://x.example/t' } };
        expect(providerSchema.safeParse(oauth1).success).toBe(false);
        expect(providerSchema.safeParse({ ...oauth1, oauth: { ...oauth1.oauth, request_token_url: 'https://x.example/r', signature_method: 'HMAC-SHA256' } }).success).toBe(true);
        expect(providerSchema.safeParse({ ...oauth1, oauth: { ...oauth1.oauth, request_token_url: 'https://x.example/r', signature_method: 'RSA-SHA1' } }).success).toBe(false);
        expect(providerSchema.safeParse({ ...minimal, auth_mode: 'APP', credentials: undefined, oauth: { token_url: 'https://x.example/t' } }).success).toBe(false);
    });

    it('rejects unknown placeholders and fields', () => {
        expect(() => templateVariables('${env.SECRET}')).toThrow('not a template variable');
        expect(providerSchema.safeParse({ ...minimal, proxy: { base_url: 'https://${env.SECRET}' } }).success).toBe(false);
        expect(providerSchema.safeParse({ ...minimal, colour: 'red' }).success).toBe(false);
    });

    it('accepts a generic HMAC webhooks block and rejects unknown routing targets', () => {
        const webhooks = {
            signature: { type: 'hmac', header: 'X-Billing-Signature', prefix: 'sha256=', timestamp_header: 'X-Billing-Timestamp', timestamp_separator: '.' },
            event_type: [{ body_path: 'event' }],
            delivery_id: [{ header: 'X-Billing-Delivery' }],
            routing: [{ from: { body_path: 'tenant.id' }, match: 'metadata.billing_tenant_id' }]
        };
        const parsed = providerSchema.safeParse({ ...minimal, webhooks });
        expect(parsed.success).toBe(true);
        expect(parsed.data!.webhooks).toMatchObject({ secret: 'webhook_secret', signature: { algorithm: 'sha256', encoding: 'hex' } });
        expect(providerSchema.safeParse({ ...minimal, webhooks: { ...webhooks, routing: [{ from: { header: 'X-Tenant' }, match: 'tags.tenant' }] } }).success).toBe(false);
    });

    it('fills templates, encoding values that are not a whole base URL', () => {
        expect(fillTemplate('https://${connectionConfig.sub}.x.example', { connectionConfig: { sub: 'evil.com#' } }, { encode: true })).toBe('https://evil.com%23.x.example');
        expect(fillTemplate('${connectionConfig.instance_url}/api', { connectionConfig: { instance_url: 'https://na1.example' } }, { encode: true })).toBe('https://na1.example/api');
        expect(fillTemplate('https://${connectionConfig.sub}.x', {}, { encode: true })).toBeNull();
    });
});
