// The flow for one session token: load the session, pick an integration, authorize, report.
import type { AuthResult } from '../../sdk/frontend/src/types.js';
import { ApiError, type Api } from './api.js';
import type { LaunchConfig } from './config.js';
import type { Screen, Shell } from './dialog.js';
import type { Emit } from './embedding.js';
import type { CollectedValues } from './fields.js';
import { t } from './i18n/strings.js';
import type { OAuthOutcome } from './oauth-popup.js';
import { errorScreen } from './screens/error.js';
import { failureScreen, type Failure } from './screens/failure.js';
import { formScreen } from './screens/form.js';
import { listScreen } from './screens/list.js';
import { loadingScreen } from './screens/loading.js';
import { oauthScreen } from './screens/oauth.js';
import { successScreen } from './screens/success.js';
import { targetHeader, targetName, type Target } from './target.js';
import { setTheme } from './theme.js';
import type { ConnectSession, Integration } from './types.js';

/** Auth modes with a credentials form, and the route each posts to. */
const FORM_ROUTES: Record<string, string> = { API_KEY: 'api-auth/api-key', BASIC: 'api-auth/basic', OAUTH2_CC: 'oauth2/auth', TBA: 'auth/tba' };
/** Auth modes that go through the OAuth pop-up. */
const POPUP_MODES = new Set(['OAUTH2', 'OAUTH1', 'APP']);

type Back = (() => void) | null;

export class ConnectApp {
    /** Bumped by every screen change: an async result for an older screen must not replace a newer one. */
    private screenId = 0;
    private stopped = false;
    private session: ConnectSession | null = null;

    constructor(
        private readonly api: Api,
        private readonly config: LaunchConfig,
        private readonly shell: Shell,
        private readonly emit: Emit
    ) {}

    /** Abandons this flow, e.g. when the host page sends a new token. */
    stop(): void {
        this.stopped = true;
    }

    async start(): Promise<void> {
        const id = this.show(loadingScreen());
        let integrations: Integration[];
        try {
            [this.session, integrations] = await Promise.all([this.api.session(), this.api.integrations()]);
        } catch (error) {
            if (this.isCurrent(id)) this.fatal(error, () => void this.start());
            return;
        }
        if (!this.isCurrent(id)) return;
        const { connectUISettings } = this.session;
        setTheme(this.config.theme ?? connectUISettings.defaultTheme, connectUISettings.theme);
        this.shell.setWatermark(connectUISettings.showWatermark);

        // Nothing to choose from: a single allowed integration, or a reconnect (pinned to one).
        const [first] = integrations;
        if (first && (integrations.length === 1 || this.session.isReconnecting)) void this.openIntegration(first, null);
        else this.showList(integrations);
    }

    private showList(integrations: Integration[]): void {
        this.show(listScreen(integrations, (integration) => void this.openIntegration(integration, () => this.showList(integrations))));
    }

    private async openIntegration(integration: Integration, back: Back): Promise<void> {
        const id = this.show(loadingScreen(t('connect.title', { provider: integration.display_name })));
        try {
            const provider = await this.api.provider(integration.provider);
            if (!this.isCurrent(id)) return;
            const target: Target = {
                integration,
                provider,
                defaults: this.session?.integrations_config_defaults?.[integration.unique_key],
                docsConnect: this.session?.overrides?.[integration.unique_key]?.docs_connect ?? provider.docs_connect,
                reconnecting: this.session?.isReconnecting ?? false
            };
            this.showAuth(target, back, {});
        } catch (error) {
            if (this.isCurrent(id)) this.fatal(error, () => void this.openIntegration(integration, back), back);
        }
    }

    private showAuth(target: Target, back: Back, previous: Record<string, string>): void {
        const route = FORM_ROUTES[target.provider.auth_mode];
        if (route) {
            this.show(formScreen({ target, back, previous, submit: (values, typed) => this.submitForm(target, back, route, values, typed) }));
        } else if (POPUP_MODES.has(target.provider.auth_mode)) {
            this.show(
                oauthScreen({
                    target,
                    back,
                    previous,
                    connection: { apiURL: this.api.apiURL, sessionToken: this.api.sessionToken, detectClosedAuthWindow: this.config.detectClosedAuthWindow },
                    onOutcome: (outcome, typed) => this.onOAuthOutcome(target, back, outcome, typed),
                    onInterrupted: (errorType, message) => this.emitError(errorType, message)
                })
            );
        } else {
            const message = t('error.unsupported', { provider: targetName(target) });
            this.emitError('invalid_auth_mode', message);
            this.show({ ...errorScreen({ title: t('error.generic.title'), message, back }), ...targetHeader(target) });
        }
    }

    private async submitForm(target: Target, back: Back, route: string, values: CollectedValues, typed: Record<string, string>): Promise<void> {
        const id = this.screenId;
        try {
            const result = await this.api.authorize(route, target.integration.unique_key, values.credentials, values.params);
            // Reported even if the user has moved on: the connection exists either way.
            this.connected(target, { providerConfigKey: result.providerConfigKey, connectionId: result.connectionId, isPending: false }, id);
        } catch (error) {
            const failure = error instanceof ApiError ? { code: error.code, message: error.message, details: JSON.stringify(error.details, null, 2) } : unknownFailure(error);
            this.failed(target, back, failure, typed, id);
        }
    }

    private onOAuthOutcome(target: Target, back: Back, outcome: OAuthOutcome, typed: Record<string, string>): void {
        if (outcome.ok) this.connected(target, outcome.result, this.screenId);
        else this.failed(target, back, { code: outcome.errorType, message: outcome.message, details: `${outcome.errorType}${outcome.message ? `: ${outcome.message}` : ''}` }, typed, this.screenId);
    }

    private connected(target: Target, result: AuthResult, id: number): void {
        this.emit({ type: 'connect', payload: result });
        if (this.isCurrent(id)) this.show(successScreen(target, this.config.embedded ? () => this.emit({ type: 'close' }) : null));
    }

    private failed(target: Target, back: Back, failure: Failure & { code: string }, typed: Record<string, string>, id: number): void {
        this.emitError(failure.code, failure.message || t('failure.fallback', { provider: targetName(target) }));
        if (this.isCurrent(id)) this.show(failureScreen(target, failure, () => this.showAuth(target, back, typed), back));
    }

    /** A failure before any form (session, integrations, provider). */
    private fatal(error: unknown, retry: () => void, back: Back = null): void {
        const apiError = error instanceof ApiError ? error : null;
        this.emitError(apiError?.code ?? 'unknown_error', apiError?.message ?? String(error));
        if (apiError?.status === 401) {
            this.show(errorScreen({ title: t('error.expired.title'), message: t('error.expired.body') }));
        } else if (apiError?.status === 0) {
            this.show(errorScreen({ title: t('error.network.title'), message: t('error.network.body'), retry, back }));
        } else {
            this.show(errorScreen({ title: t('error.generic.title'), message: apiError?.message ?? t('error.generic.body'), retry, back }));
        }
    }

    private emitError(errorType: string, errorMessage: string): void {
        this.emit({ type: 'error', payload: { errorType, errorMessage } });
    }

    private show(screen: Screen): number {
        if (this.stopped) return -1;
        this.shell.show(screen);
        return ++this.screenId;
    }

    private isCurrent(id: number): boolean {
        return !this.stopped && id === this.screenId;
    }
}

function unknownFailure(error: unknown): Failure & { code: string } {
    return { code: 'unknown_error', message: '', details: String(error) };
}
