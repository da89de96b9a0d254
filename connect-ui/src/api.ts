import { authQuery } from '../../sdk/frontend/src/auth-query.js';
import { t } from './i18n/strings.js';
import type { ConnectResult, ConnectSession, Integration, Provider } from './types.js';

/** A failed call. `status` 0 means the server could not be reached. */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        /** The raw error body, shown under "technical details". */
        readonly details: unknown
    ) {
        super(message);
    }
}

/** The calls the Connect UI makes with a connect session token. */
export class Api {
    constructor(
        readonly apiURL: string,
        readonly sessionToken: string
    ) {}

    session(): Promise<ConnectSession> {
        return this.get<ConnectSession>('/connect/session');
    }

    integrations(): Promise<Integration[]> {
        return this.get<Integration[]>('/integrations');
    }

    provider(name: string): Promise<Provider> {
        return this.get<Provider>(`/providers/${encodeURIComponent(name)}`);
    }

    /**
     * Posts key-based credentials to an auth route (`api-auth/api-key`, `api-auth/basic`,
     * `oauth2/auth`, `auth/tba`); connection-config values travel in the query as `params[key]`.
     */
    authorize(route: string, integrationKey: string, body: Record<string, string>, params: Record<string, string>): Promise<ConnectResult> {
        const query = authQuery(this.sessionToken, null, { params });
        return this.request<ConnectResult>(`/${route}/${encodeURIComponent(integrationKey)}${query}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body)
        });
    }

    private async get<T>(path: string): Promise<T> {
        const body = await this.request<{ data: T }>(path, { headers: { Authorization: `Bearer ${this.sessionToken}` } });
        return body.data;
    }

    private async request<T>(path: string, init: RequestInit): Promise<T> {
        let response: Response;
        try {
            response = await fetch(this.apiURL + path, init);
        } catch (error) {
            throw new ApiError(0, 'unknown_error', t('error.network'), String(error));
        }
        const body: unknown = await response.json().catch(() => null);
        if (response.ok && body !== null) return body as T;
        const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
        throw new ApiError(response.status, error?.code ?? 'unknown_error', error?.message ?? t('error.http', { status: String(response.status) }), body ?? response.statusText);
    }
}
