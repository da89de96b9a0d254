import { z } from 'zod';
import { templateVariables } from './templates.js';
import { providerWebhooksSchema } from './webhook-schema.js';

/** Provider keys appear in URLs and as integration providers. */
export const providerKeySchema = z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

export const AUTH_MODES = ['OAUTH2', 'OAUTH2_CC', 'OAUTH1', 'API_KEY', 'BASIC', 'APP', 'TBA', 'NONE'] as const;
export const authModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof authModeSchema>;

export const CATEGORIES = [
    'accounting',
    'ai',
    'analytics',
    'ats',
    'banking',
    'calendar',
    'cms',
    'communication',
    'crm',
    'design',
    'dev-tools',
    'e-commerce',
    'erp',
    'file-storage',
    'hr',
    'knowledge-base',
    'marketing',
    'payments',
    'popular',
    'productivity',
    'project-management',
    'security',
    'social',
    'support',
    'surveys',
    'ticketing',
    'video'
] as const;

const httpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain }).describe('An https URL');

/** A string that may contain `${…}` placeholders; each must name a known variable. */
const template = z.string().min(1).superRefine((value, ctx) => {
    try {
        templateVariables(value);
    } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
});

/** One input of the Connect UI form (credentials or per-connection config). */
export const fieldSchema = z.strictObject({
    title: z.string().min(1),
    description: z.string().optional(),
    example: z.string().optional(),
    /** A regular expression the value must match (JavaScript syntax, anchored by the form). */
    pattern: z
        .string()
        .refine((p) => {
            try {
                new RegExp(p);
                return true;
            } catch {
                return false;
            }
        }, 'must be a valid regular expression')
        .optional(),
    format: z.enum(['hostname', 'uri', 'uuid', 'email']).optional(),
    optional: z.boolean().optional(),
    default_value: z.string().optional(),
    /** Rendered as a select. */
    enum: z.array(z.string().min(1)).min(1).optional(),
    /** Rendered as a password input, encrypted at rest, never echoed. */
    secret: z.boolean().optional(),
    /** Sent with its default value but not shown. */
    hidden: z.boolean().optional(),
    /** Filled by the platform (token response, callback), never asked from the user. */
    automated: z.boolean().optional(),
    /** Adornments around the input, e.g. `https://` … `.zendesk.com`. */
    prefix: z.string().optional(),
    suffix: z.string().optional(),
    order: z.number().int().optional(),
    /**
     * Where to find the value: an anchor inside `docs_connect` (`#api-key`), or a page of its own
     * for providers whose guides are spread over several pages (the dashboard page of the key).
     */
    doc_section: z.union([z.string().regex(/^#[\w-]+$/), httpsUrl]).optional()
});
export type ProviderField = z.infer<typeof fieldSchema>;

const headerMap = z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), template);
const paramMap = z.record(z.string().min(1), template);

const paginationCommon = {
    /** Dot path to the array of items in the response body; the body itself when absent. */
    response_path: z.string().optional(),
    limit_name_in_request: z.string().optional()
};

export const paginatorSchema = z.discriminatedUnion('type', [
    z.strictObject({
        type: z.literal('cursor'),
        cursor_path_in_response: z.string().min(1),
        cursor_name_in_request: z.string().min(1),
        ...paginationCommon
    }),
    z
        .strictObject({
            type: z.literal('link'),
            /** The `rel` of an RFC 8288 Link header, e.g. `next`. */
            link_rel_in_response_header: z.string().optional(),
            /** Dot path to the next page URL in the body. */
            link_path_in_response_body: z.string().optional(),
            ...paginationCommon
        })
        .refine((p) => p.link_rel_in_response_header || p.link_path_in_response_body, {
            message: 'link pagination needs link_rel_in_response_header or link_path_in_response_body'
        }),
    z.strictObject({
        type: z.literal('offset'),
        offset_name_in_request: z.string().min(1),
        offset_start_value: z.number().int().optional(),
        /** `per-page` counts pages (1, 2, 3…) instead of items. */
        offset_calculation_method: z.enum(['by-response-size', 'per-page']).optional(),
        ...paginationCommon
    })
]);
export type Paginator = z.infer<typeof paginatorSchema>;

export const proxySchema = z.strictObject({
    /** API root. Several candidates: the first whose variables all resolve wins. */
    base_url: z.union([template, z.array(template).min(1)]),
    /** Sent on every call; may inject the credentials, e.g. `{"x-api-key": "${credentials.apiKey}"}`. */
    headers: headerMap.optional(),
    query: paramMap.optional(),
    retry: z
        .strictObject({
            /** Headers holding the epoch second at which to retry. */
            at: z.array(z.string().min(1)).optional(),
            /** Headers holding the number of seconds to wait. */
            after: z.array(z.string().min(1)).optional(),
            /** A header whose value `0` means the quota is spent. */
            remaining: z.string().optional(),
            /** Statuses to retry instead of the default (429, 5xx, 401). `5xx` matches any 500–599. */
            error_codes: z.array(z.union([z.number().int().min(400).max(599), z.literal('5xx')])).optional()
        })
        .optional(),
    paginate: paginatorSchema.optional(),
    /**
     * Other hosts of the same API that the connection's credentials may go to, for calls with a
     * base URL override: exact hosts, or `*.example.com` for every subdomain.
     */
    api_hosts: z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+\.[a-z]{2,}$/, 'a host name, optionally starting with *.')).optional(),
    /** A call that proves key-based credentials work; any 2xx passes. */
    verification: z
        .strictObject({
            method: z.enum(['GET', 'POST']),
            endpoints: z.array(z.string().startsWith('/')).min(1),
            headers: headerMap.optional(),
            base_url_override: template.optional()
        })
        .optional(),
    decompress: z.boolean().optional()
});

export const oauthSchema = z.strictObject({
    authorization_url: template.optional(),
    /** OAUTH2: the token endpoint. OAUTH1: the access-token endpoint. APP: where installation tokens are minted. */
    token_url: template,
    /** OAUTH1: where the flow starts, with a signed request for a temporary token. */
    request_token_url: template.optional(),
    /** OAUTH1: how requests are signed; HMAC-SHA1 unless this says otherwise. */
    signature_method: z.enum(['HMAC-SHA1', 'HMAC-SHA256']).optional(),
    /** Refreshes go here instead of `token_url`. */
    refresh_url: template.optional(),
    authorization_params: paramMap.optional(),
    token_params: paramMap.optional(),
    /** Extra body fields on refresh; falls back to `token_params`. */
    refresh_params: paramMap.optional(),
    default_scopes: z.array(z.string().min(1)).optional(),
    scope_separator: z.string().min(1).optional(),
    /** PKCE (S256) is on unless this is false. */
    pkce: z.boolean().optional(),
    /** `basic`: client id and secret in an HTTP Basic header instead of the body. */
    token_request_auth_method: z.enum(['body', 'basic']).optional(),
    body_format: z.enum(['form', 'json']).optional(),
    /** Dot path to the token object when it is not at the top of the response (Slack user tokens). */
    access_token_path: z.string().optional(),
    expires_in_unit: z.enum(['seconds', 'milliseconds']).optional(),
    /** Token-response fields copied into the connection config, by dot path. */
    token_response_metadata: z.array(z.string().min(1)).optional(),
    /** Callback query parameters copied into the connection config (QuickBooks `realmId`). */
    redirect_uri_metadata: z.array(z.string().min(1)).optional(),
    /** Refresh this many seconds before expiry instead of 15 minutes. */
    refresh_margin_seconds: z.number().int().min(0).optional()
});

const providerBase = z.strictObject({
    display_name: z.string().min(1).max(100),
    categories: z.array(z.enum(CATEGORIES)).min(1),
    logo: z
        .strictObject({
            /** Brand colour used for generated logos and Connect UI accents. */
            color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
            url: httpsUrl.optional()
        })
        .optional(),
    docs: httpsUrl,
    /** Help for end users finding their credentials; Connect UI links to it. */
    docs_connect: httpsUrl.optional(),
    /** How a developer registers their own OAuth app. */
    setup_guide_url: httpsUrl.optional(),
    auth_mode: authModeSchema,
    oauth: oauthSchema.optional(),
    connection_config: z.record(z.string().regex(/^[A-Za-z][\w.-]*$/), fieldSchema).optional(),
    credentials: z.record(z.string().regex(/^[A-Za-z][\w-]*$/), fieldSchema).optional(),
    proxy: proxySchema.optional(),
    /** Webhooks the provider sends to the integration's `webhook_url`: signature, event type, routing. */
    webhooks: providerWebhooksSchema.optional()
});

/** Variables an auth mode provides to templates without declaring them as form fields. */
export const BUILT_IN_CREDENTIALS: Record<AuthMode, readonly string[]> = {
    OAUTH2: [],
    OAUTH2_CC: ['client_id', 'client_secret'],
    OAUTH1: [],
    API_KEY: ['apiKey'],
    BASIC: ['username', 'password'],
    APP: [],
    TBA: ['token_id', 'token_secret'],
    NONE: []
};
const TOKEN_MODES: readonly AuthMode[] = ['OAUTH2', 'OAUTH2_CC', 'APP'];

// A URL template either is https or opens with a variable that holds a whole base URL (checked again at request time).
const HTTPS_TEMPLATE = /^(https:\/\/|\$\{)/;
const LOOPBACK_HTTP_TEMPLATE = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/;

export interface ProviderSchemaOptions {
    /** Accept `http://localhost` URLs, for local fake APIs in development. Never in production. */
    allowLoopbackHttp?: boolean;
}

export function createProviderSchema({ allowLoopbackHttp = false }: ProviderSchemaOptions = {}) {
    return providerBase.superRefine((p, ctx) => {
        for (const [path, template] of urlTemplates(p)) {
            if (!HTTPS_TEMPLATE.test(template) && !(allowLoopbackHttp && LOOPBACK_HTTP_TEMPLATE.test(template))) {
                ctx.addIssue({ code: 'custom', path, message: 'must be an https URL' });
            }
        }
        refineProvider(p, ctx);
    });
}

export const providerSchema = createProviderSchema();

function refineProvider(p: z.infer<typeof providerBase>, ctx: z.core.$RefinementCtx<z.infer<typeof providerBase>>) {
    if (p.auth_mode === 'OAUTH2' && !p.oauth?.authorization_url) {
        ctx.addIssue({ code: 'custom', path: ['oauth', 'authorization_url'], message: 'OAUTH2 providers need oauth.authorization_url' });
    }
    if (p.auth_mode === 'OAUTH1' && !(p.oauth?.request_token_url && p.oauth.authorization_url)) {
        ctx.addIssue({ code: 'custom', path: ['oauth'], message: 'OAUTH1 providers need oauth.request_token_url, authorization_url and token_url' });
    }
    if (p.auth_mode === 'APP' && !p.oauth?.authorization_url) {
        ctx.addIssue({ code: 'custom', path: ['oauth'], message: 'APP providers need oauth.authorization_url (the installation page) and token_url (installation tokens)' });
    }
    if ((p.auth_mode === 'OAUTH2' || p.auth_mode === 'OAUTH2_CC') && !p.oauth) {
        ctx.addIssue({ code: 'custom', path: ['oauth'], message: `${p.auth_mode} providers need an oauth block` });
    }
    if (p.auth_mode === 'API_KEY' && !p.credentials?.['apiKey']) {
        ctx.addIssue({ code: 'custom', path: ['credentials', 'apiKey'], message: 'API_KEY providers need a credentials.apiKey field' });
    }
    for (const issue of undeclaredVariables(p)) ctx.addIssue({ code: 'custom', ...issue });
    for (const group of ['credentials', 'connection_config'] as const) {
        for (const [key, field] of Object.entries(p[group] ?? {})) {
            if (field.doc_section?.startsWith('#') && !p.docs_connect) {
                ctx.addIssue({ code: 'custom', path: [group, key, 'doc_section'], message: 'an anchor needs docs_connect, the page it is in' });
            }
        }
    }
}
export type Provider = z.infer<typeof providerSchema>;

function* urlTemplates(p: z.infer<typeof providerBase>): Generator<[(string | number)[], string]> {
    for (const k of ['authorization_url', 'token_url', 'refresh_url', 'request_token_url'] as const) {
        if (p.oauth?.[k]) yield [['oauth', k], p.oauth[k]];
    }
    const bases = p.proxy ? (Array.isArray(p.proxy.base_url) ? p.proxy.base_url : [p.proxy.base_url]) : [];
    for (const [i, v] of bases.entries()) yield [['proxy', 'base_url', i], v];
    if (p.proxy?.verification?.base_url_override) yield [['proxy', 'verification', 'base_url_override'], p.proxy.verification.base_url_override];
}

/** Every `${…}` in the entry must name a declared field or a variable its auth mode provides. */
function undeclaredVariables(p: z.infer<typeof providerBase>): { path: (string | number)[]; message: string }[] {
    const config = new Set([
        ...Object.keys(p.connection_config ?? {}),
        ...(p.oauth?.token_response_metadata ?? []),
        ...(p.oauth?.redirect_uri_metadata ?? [])
    ]);
    const credentials = new Set([...Object.keys(p.credentials ?? {}), ...BUILT_IN_CREDENTIALS[p.auth_mode]]);
    const issues: { path: (string | number)[]; message: string }[] = [];
    for (const [path, value] of templatedStrings(p)) {
        let variables: ReturnType<typeof templateVariables>;
        try {
            variables = templateVariables(value);
        } catch {
            continue; // reported by the field's own schema
        }
        for (const v of variables) {
            const ok =
                (v.scope === 'connectionConfig' && config.has(v.name)) ||
                (v.scope === 'credentials' && credentials.has(v.name)) ||
                (v.scope === 'accessToken' && TOKEN_MODES.includes(p.auth_mode));
            if (!ok) issues.push({ path, message: `\${${v.raw}} is not declared by this provider` });
        }
    }
    return issues;
}

function* templatedStrings(p: z.infer<typeof providerBase>): Generator<[(string | number)[], string]> {
    const o = p.oauth;
    if (o) {
        for (const k of ['authorization_url', 'token_url', 'refresh_url', 'request_token_url'] as const) {
            if (o[k]) yield [['oauth', k], o[k]];
        }
        for (const k of ['authorization_params', 'token_params', 'refresh_params'] as const) {
            for (const [name, v] of Object.entries(o[k] ?? {})) yield [['oauth', k, name], v];
        }
    }
    const x = p.proxy;
    if (x) {
        const bases = Array.isArray(x.base_url) ? x.base_url : [x.base_url];
        for (const [i, v] of bases.entries()) yield [['proxy', 'base_url', i], v];
        for (const k of ['headers', 'query'] as const) {
            for (const [name, v] of Object.entries(x[k] ?? {})) yield [['proxy', k, name], v];
        }
        for (const [name, v] of Object.entries(x.verification?.headers ?? {})) yield [['proxy', 'verification', 'headers', name], v];
        if (x.verification?.base_url_override) yield [['proxy', 'verification', 'base_url_override'], x.verification.base_url_override];
    }
}
