import { type RouteConfig, z } from '@hono/zod-openapi';
import { Hono, type Context } from 'hono';
import { database } from '../db.js';
import { requireConnection } from '../connections/connections.js';
import type { AppEnv } from '../http/app-env.js';
import { badRequest } from '../http/api-error.js';
import { errorEnvelopeSchema, json } from '../http/openapi.js';
import { connectionHeaders, headerInt } from '../http/request-headers.js';
import { resolveIntegrationProvider } from '../integrations/integrations.js';
import { DECODED_ENCODINGS } from '../upstream/decoded-fetch.js';
import { type EgressSettings, getEgressSettings } from './egress-settings.js';
import { callProvider } from './provider-call.js';

const FORWARD_PREFIX = 'nango-proxy-';
// Not passed back: they describe our hop, not the provider's answer, or would set cookies on our domain.
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'set-cookie', 'strict-transport-security', 'alt-svc']);

function retryOn(c: Context<AppEnv>): number[] {
    const raw = c.req.header('retry-on')?.trim();
    if (!raw) return [];
    const codes = raw.split(',').map((s) => Number(s.trim()));
    if (codes.some((n) => !Number.isInteger(n) || n < 100 || n > 599)) {
        throw badRequest('invalid_headers', 'Retry-On must list HTTP statuses, e.g. "409,503"', [{ code: 'invalid_value', message: 'HTTP statuses', path: ['retry-on'] }]);
    }
    return codes;
}

/**
 * `ALL /proxy/<path>`: the connection's provider API with its credentials injected, as Nango's
 * proxy. Headers select the connection (`Connection-Id`, `Provider-Config-Key`) and tune the call
 * (`Retries`, `Retry-On`, `Base-Url-Override`, `Forward-Headers-On-Redirect`, `Decompress`);
 * `Nango-Proxy-<Name>` headers are forwarded as `<Name>`. Bodies stream both ways when there are no retries.
 */
export const proxyRoutes = new Hono<AppEnv>();

proxyRoutes.all('/proxy/*', async (c) => {
    const { connectionId, integrationKey } = connectionHeaders(c);
    const retries = headerInt(c, 'retries', 10);
    const url = new URL(c.req.url);
    const endpoint = url.pathname.slice('/proxy'.length) + url.search;
    const headers = new Headers();
    c.req.raw.headers.forEach((value, name) => {
        if (name.startsWith(FORWARD_PREFIX)) headers.set(name.slice(FORWARD_PREFIX.length), value);
    });
    const contentType = c.req.header('content-type');
    if (contentType && !headers.has('content-type')) headers.set('content-type', contentType);

    const db = database(c.env);
    const ref = await requireConnection(db, c.var.environment.id, integrationKey, connectionId);
    const method = c.req.method.toUpperCase();
    // A stream can be sent only once: buffer it when a retry may need to send it again.
    const body = method === 'GET' || method === 'HEAD' ? null : retries > 0 ? await c.req.arrayBuffer() : c.req.raw.body;
    const overrideUrl = c.req.header('base-url-override')?.trim();
    const provider = await resolveIntegrationProvider(db, ref.integration);
    // As Nango: compressed answers go on as they came unless the caller or the provider's entry asks to decode them.
    const decompress = c.req.header('decompress')?.trim().toLowerCase() === 'true' || provider.provider.proxy?.decompress === true;
    // Then only encodings Spoke decodes are welcome, unless the caller says otherwise.
    if (decompress && !headers.has('accept-encoding')) headers.set('accept-encoding', DECODED_ENCODINGS);
    // Read only for a call that may leave the provider's API (an override, a redirect): the usual call doesn't need them.
    let egress: Promise<EgressSettings> | undefined;
    const { response: upstream } = await callProvider(
        { env: c.env, db, ref, provider, fillPlaceholders: false, egress: () => (egress ??= getEgressSettings(db, c.var.environment.id)), defer: (work) => c.executionCtx.waitUntil(work) },
        {
            method,
            endpoint,
            headers,
            body,
            retries,
            retryOn: retryOn(c),
            decompress,
            baseUrlOverride: overrideUrl || undefined,
            forwardHeadersOnRedirect: c.req.header('forward-headers-on-redirect')?.trim().toLowerCase() === 'true'
        }
    );
    const responseHeaders = new Headers();
    upstream.headers.forEach((value, name) => {
        if (DROPPED_RESPONSE_HEADERS.has(name)) return;
        // Ours identifies this request; the provider's keeps its own name.
        responseHeaders.set(name === 'x-request-id' ? 'x-upstream-request-id' : name, value);
    });
    responseHeaders.set('x-request-id', c.get('requestId'));
    // A body still encoded goes out as it came, under its Content-Encoding; the runtime must not encode it again.
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders, encodeBody: 'manual' });
});

/** How the proxy appears in /openapi.json (it is a plain Hono route: its body is streamed, not validated). */
export const proxyRouteDoc: Omit<RouteConfig, 'method'> = {
    path: '/proxy/{path}',
    tags: ['Proxy'],
    summary: "Call the connection's provider API with its credentials injected",
    description:
        "The path and query are appended to the provider's base URL. `Nango-Proxy-<Name>` headers are forwarded as `<Name>`. The provider's answer (status, body, headers) is passed through; errors of Spoke itself use the error envelope.",
    security: [{ secretKey: [] }],
    request: {
        params: z.object({ path: z.string() }),
        headers: z.object({
            'connection-id': z.string(),
            'provider-config-key': z.string(),
            retries: z.string().optional().openapi({ description: 'Retries (0–10, default 0) on network errors, 5xx, 429 and 401 (once, after a forced refresh, for credentials that can refresh)' }),
            'retry-on': z.string().optional().openapi({ description: 'Extra statuses to retry, e.g. "409,503"' }),
            decompress: z
                .string()
                .optional()
                .openapi({ description: '`true`: gzip and deflate answers come back decoded. Otherwise compressed answers pass through with their `Content-Encoding`' }),
            'base-url-override': z
                .string()
                .optional()
                .openapi({ description: "Another base URL; empty means unset. The provider's own hosts always; elsewhere only without credentials, and if the environment allows it" }),
            'forward-headers-on-redirect': z
                .string()
                .optional()
                .openapi({ description: "`true`: a redirect to a host other than the provider's API carries the forwarded headers too (never credentials); by default only the body's" })
        })
    },
    responses: {
        200: { description: "The provider's answer, whatever its status" },
        400: json(
            errorEnvelopeSchema,
            'Invalid headers, or a base URL override or redirect the egress policy refuses (`egress_denied`: a private address; `credentials_egress_denied`: it would send the credentials elsewhere)'
        ),
        404: json(errorEnvelopeSchema, 'Unknown integration or connection'),
        502: json(errorEnvelopeSchema, 'The provider could not be reached (`upstream_unreachable`)')
    }
};
