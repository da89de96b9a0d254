import { logo } from './components.js';
import type { Screen } from './dialog.js';
import { t } from './i18n/strings.js';
import type { Integration, IntegrationDefaults, Provider } from './types.js';

/** The integration being connected, with what the screens need to know about it. */
export interface Target {
    integration: Integration;
    provider: Provider;
    /** The session's `integrations_config_defaults` for this integration. */
    defaults: IntegrationDefaults | undefined;
    /** The end-user guide: the session's `overrides[integration].docs_connect`, else the provider's. */
    docsConnect: string | undefined;
    reconnecting: boolean;
}

/** The developer's name for the integration, else the provider's. */
export function targetName(target: Target): string {
    return target.integration.display_name || target.provider.display_name;
}

/** "Connect Zendesk" (or "Reconnect…") with the logo, for the dialog header. */
export function targetHeader(target: Target): Pick<Screen, 'title' | 'icon'> {
    const name = targetName(target);
    return {
        title: t(target.reconnecting ? 'reconnect.title' : 'connect.title', { provider: name }),
        icon: logo(target.integration.logo || target.provider.logo_url, name, 'header-logo')
    };
}
