import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One problem with a request, in the shape Nango's clients expect inside `errors[]`. */
export interface FieldError {
    code: string;
    message: string;
    path: (string | number)[];
}

/**
 * An error the API reports to its caller. `code` is stable and documented; `message` is for
 * humans and must never contain a secret.
 */
export class ApiError extends Error {
    constructor(
        readonly status: ContentfulStatusCode,
        readonly code: string,
        message: string,
        readonly details: { errors?: FieldError[]; payload?: unknown; upstream?: { status: number; headers: Record<string, string>; data: unknown } } = {}
    ) {
        super(message);
        this.name = 'ApiError';
    }

    toJSON() {
        return { error: { code: this.code, message: this.message, ...this.details } };
    }
}

export const notFound = (code: string, message: string) => new ApiError(404, code, message);
export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
    new ApiError(400, code, message, errors ? { errors } : {});
