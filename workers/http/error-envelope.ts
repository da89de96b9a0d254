import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { KeyringError } from '../crypto/keyring.js';
import { ApiError } from './api-error.js';
import { InvalidInputError } from './validation.js';

/**
 * Hono and @hono/zod-openapi raise HTTPExceptions for requests they cannot read: a body whose
 * media type the route does not accept (415), JSON that does not parse (400), a body over the
 * limit (413). Give those the stable codes of the envelope.
 */
function fromHttpException(e: HTTPException): ApiError {
    switch (e.status) {
        case 415:
            return new ApiError(415, 'invalid_content_type', 'Content-Type must be application/json');
        case 413:
            return new ApiError(413, 'payload_too_large', e.message || 'Request body is too large');
        case 400:
            return new ApiError(400, 'invalid_json', 'Request body is not valid JSON');
        default:
            return new ApiError(e.status === 401 ? 401 : 400, 'invalid_request', e.message);
    }
}

/**
 * A request refused before its route ran: a body the route cannot read, or input that fails the
 * route's schemas. Such a request changed nothing.
 */
export function isRejectedInput(err: unknown): boolean {
    return err instanceof InvalidInputError || err instanceof HTTPException;
}

export function toApiError(err: unknown): ApiError | null {
    if (err instanceof ApiError) return err;
    if (err instanceof HTTPException) return fromHttpException(err);
    // A deployment problem (missing or unknown key); the message names key ids, never key material.
    if (err instanceof KeyringError) return new ApiError(500, 'encryption_error', `Encryption is misconfigured: ${err.message}`);
    return null;
}

export const onError: ErrorHandler = (err, c) => {
    const apiError = toApiError(err);
    if (apiError) return c.json(apiError.toJSON(), apiError.status);
    // Unexpected: log the detail server-side, keep the response generic so nothing internal leaks.
    console.error(`[${requestIdOf(c)}] unhandled error`, err);
    return c.json({ error: { code: 'server_error', message: 'An unexpected error occurred' } }, 500);
};

export const onNotFound: NotFoundHandler = (c) =>
    c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404);

function requestIdOf(c: Context): string {
    return (c.get('requestId') as string | undefined) ?? '-';
}
