import { z } from '@hono/zod-openapi';

export const errorEnvelopeSchema = z
    .object({
        error: z.object({
            code: z.string().openapi({ example: 'invalid_body' }),
            message: z.string(),
            errors: z.array(z.object({ code: z.string(), message: z.string(), path: z.array(z.union([z.string(), z.number()])) })).optional(),
            payload: z.unknown().optional().openapi({ description: "A function's error details (ActionError's payload, schema issues)" }),
            upstream: z
                .object({ status: z.number(), headers: z.record(z.string(), z.string()), data: z.unknown() })
                .optional()
                .openapi({ description: 'What the provider answered, when an upstream call failed a function (`script_http_error`)' })
        })
    })
    .openapi('ErrorEnvelope');

export function json<T extends z.ZodType>(schema: T, description: string) {
    return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
    return { required: true, content: { 'application/json': { schema } } };
}

const error = (description: string) => json(errorEnvelopeSchema, description);

/** The error responses every authenticated route can produce. */
export const commonErrors = {
    400: error('Invalid input (`invalid_body`, `invalid_query_params`, `invalid_json`, …)'),
    401: error('Missing or unknown credentials'),
    413: error('Request body too large (`payload_too_large`)'),
    415: error('Body is not JSON (`invalid_content_type`)')
} as const;

export const notFoundError = { 404: error('Not found') } as const;
export const conflictError = { 409: error('Conflicts with an existing resource') } as const;

export const successSchema = z.object({ success: z.literal(true) }).openapi('Success');

export const secretKeySecurity = [{ secretKey: [] }];
export const adminSecurity = [{ adminSecret: [] }];
