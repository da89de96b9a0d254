// The shapes of the API responses the Connect UI reads (the contract in the server's routes).
import type { Theme } from '../../sdk/frontend/src/types.js';

export interface ConnectUISettings {
    theme: { light: { primary: string }; dark: { primary: string } };
    defaultTheme: Theme;
    showWatermark: boolean;
}

export interface IntegrationDefaults {
    user_scopes?: string;
    authorization_params?: Record<string, string>;
    connection_config?: Record<string, unknown>;
}

export interface ConnectSession {
    endUser: unknown;
    connectUISettings: ConnectUISettings;
    allowed_integrations?: string[];
    integrations_config_defaults?: Record<string, IntegrationDefaults>;
    /** Per integration: what the session changes for its end user, e.g. another connection guide. */
    overrides?: Record<string, { docs_connect?: string }>;
    isReconnecting: boolean;
}

export interface Integration {
    unique_key: string;
    provider: string;
    display_name: string;
    logo: string;
}

/** One form input, as described by the provider entry (providers/schema.ts `fieldSchema`). */
export interface ProviderField {
    title: string;
    description?: string;
    example?: string;
    pattern?: string;
    format?: 'hostname' | 'uri' | 'uuid' | 'email';
    optional?: boolean;
    default_value?: string;
    enum?: string[];
    secret?: boolean;
    hidden?: boolean;
    automated?: boolean;
    prefix?: string;
    suffix?: string;
    order?: number;
    doc_section?: string;
}

export interface Provider {
    name: string;
    display_name: string;
    auth_mode: string;
    logo_url?: string;
    docs?: string;
    docs_connect?: string;
    credentials?: Record<string, ProviderField>;
    connection_config?: Record<string, ProviderField>;
}

export interface ConnectResult {
    connectionId: string;
    providerConfigKey: string;
}
