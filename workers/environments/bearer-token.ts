import type { Context } from 'hono';
import { ApiError } from '../http/api-error.js';

/** Reads `Authorization: Bearer <token>`, with the 401 codes of Nango's API. */
export function bearerToken(c: Context): string {
    const header = c.req.header('authorization');
    if (!header) throw new ApiError(401, 'missing_auth_header', 'Authentication failed: the Authorization header is missing');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ApiError(401, 'malformed_auth_header', 'Authentication failed: expected "Authorization: Bearer <secret key>"');
    return match[1]!;
}
