import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { ApiError, type FieldError } from './api-error.js';

/** Maps a validation target to the error code Nango uses for it. */
const CODES = {
    json: 'invalid_body',
    form: 'invalid_body',
    query: 'invalid_query_params',
    param: 'invalid_uri_params',
    header: 'invalid_headers',
    cookie: 'invalid_headers'
} as const;

export function zodIssues(error: ZodError): FieldError[] {
    return error.issues.map((issue) => ({
        code: issue.code,
        message: issue.message,
        path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    }));
}

/** Input that fails its schema: nothing was attempted, so it is not an operation to log. */
export class InvalidInputError extends ApiError {}

export function validationError(target: keyof typeof CODES, error: ZodError): InvalidInputError {
    const errors = zodIssues(error);
    const first = errors[0];
    const where = first && first.path.length ? ` at ${first.path.join('.')}` : '';
    return new InvalidInputError(400, CODES[target], `${first?.message ?? 'Invalid input'}${where}`, { errors });
}

/** The `defaultHook` of every router: turn a failed zod validation into the error envelope. */
export function validationHook(
    result: { success: true } | { success: false; error: ZodError; target: keyof typeof CODES },
    _c: Context
): void {
    if (!result.success) throw validationError(result.target, result.error);
}
