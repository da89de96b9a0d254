import type { z } from 'zod';
import { CliError, errorMessage } from '../cli/errors.js';
import type { PlatformTarget } from './target.js';

export interface FieldError {
    message: string;
    path?: (string | number)[];
    code?: string;
}

/** An error answer of the platform: `{ error: { code, message, errors? } }`. */
export class PlatformError extends CliError {
    constructor(
        message: string,
        readonly status: number,
        readonly code: string,
        readonly fieldErrors: FieldError[]
    ) {
        super(message);
    }
}

/** Talks to a Spoke platform's API with an environment's secret key; answers are checked against the shapes the CLI expects. */
export class PlatformClient {
    constructor(private readonly target: PlatformTarget) {}

    get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
        return this.send('GET', path, undefined, schema);
    }

    /** For routes that answer their value as is, not under `data` (the Nango-compatible ones). */
    getPlain<T>(path: string, schema: z.ZodType<T>, headers: Record<string, string> = {}): Promise<T> {
        return this.send('GET', path, undefined, schema, { plain: true, headers });
    }

    post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
        return this.send('POST', path, { body: JSON.stringify(body), contentType: 'application/json' }, schema);
    }

    put<T>(path: string, body: string, contentType: string, schema: z.ZodType<T>): Promise<T> {
        return this.send('PUT', path, { body, contentType }, schema);
    }

    /** Any request with the key, answered as it comes (for `/proxy`, whose answers are the provider's). */
    async fetch(path: string, init: { method: string; headers: Headers; body?: string | ArrayBuffer | null }): Promise<Response> {
        init.headers.set('authorization', `Bearer ${this.target.secretKey}`);
        try {
            return await fetch(`${this.target.host}${path}`, { method: init.method, headers: init.headers, body: init.body ?? null });
        } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            throw new CliError(`Cannot reach Spoke at ${this.target.host} (${cause?.code ?? cause?.message ?? errorMessage(error)}). Is it running? \`npm run dev\` starts it locally; SPOKE_HOST points elsewhere.`);
        }
    }

    private async send<T>(
        method: string,
        path: string,
        content: { body: string; contentType: string } | undefined,
        schema: z.ZodType<T>,
        { plain = false, headers = {} }: { plain?: boolean; headers?: Record<string, string> } = {}
    ): Promise<T> {
        const response = await this.fetch(path, {
            method,
            headers: new Headers({ accept: 'application/json', ...headers, ...(content && { 'content-type': content.contentType }) }),
            ...(content && { body: content.body })
        });
        const text = await response.text();
        const json = parseJson(text);
        if (!response.ok) throw errorFrom(method, path, response.status, json, text, this.target.environment);
        const parsed = schema.safeParse(plain ? json : (json as { data?: unknown } | undefined)?.data);
        if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const where = issue ? ` (${plain ? '' : 'data.'}${issue.path.join('.')}: ${issue.message})` : '';
            throw new CliError(`${method} ${path} answered ${response.status} with a body the CLI does not understand${where}; is ${this.target.host} a Spoke platform of this version?`);
        }
        return parsed.data;
    }
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

function errorFrom(method: string, path: string, status: number, json: unknown, text: string, environment: string): PlatformError {
    const error = (json as { error?: { code?: unknown; message?: unknown; errors?: unknown } } | undefined)?.error;
    const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
    const message = typeof error?.message === 'string' ? error.message : text.slice(0, 300) || `HTTP ${status}`;
    const fieldErrors = Array.isArray(error?.errors) ? (error.errors as FieldError[]) : [];
    const hint = status === 401 ? ` Check the secret key of the ${environment} environment.` : '';
    const details = fieldErrors.map((field) => `\n  - ${field.path?.length ? `${field.path.join('.')}: ` : ''}${field.message}`).join('');
    return new PlatformError(`${method} ${path} failed: ${status} ${code}: ${message}${hint}${details}`, status, code, fieldErrors);
}
