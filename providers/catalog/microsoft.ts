import type { ProviderEntry } from './index.js';

// The /common tenant accepts both work or school and personal Microsoft accounts. `.default` asks for the
// permissions configured on the app registration, so that is where an integration's permissions are chosen.
const microsoftOAuth = {
    authorization_url: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    token_url: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    default_scopes: ['offline_access', '.default'],
    pkce: false
} satisfies NonNullable<ProviderEntry['oauth']>;

const graphProxy = {
    base_url: 'https://graph.microsoft.com',
    retry: { after: ['retry-after'] },
    paginate: {
        type: 'link',
        link_path_in_response_body: '@odata.nextLink',
        response_path: 'value',
        limit_name_in_request: '$top'
    }
} satisfies NonNullable<ProviderEntry['proxy']>;

const setupGuide = 'https://learn.microsoft.com/en-us/entra/identity-platform/quickstart-register-app';

// Graph change notifications for subscriptions whose notificationUrl is the integration's webhook URL. They are not
// signed (their clientState is not checked here), a POST may hold several notifications in `value`, and the first one
// decides the event type and the connection: the subscription id the connection recorded when it subscribed.
const graphWebhooks = {
    handshake: { type: 'graph_validation_token' },
    event_type: [{ body_path: 'value.0.changeType' }, { body_path: 'value.0.lifecycleEvent' }],
    routing: [{ from: { body_path: 'value.0.subscriptionId' }, match: 'metadata.graph_subscription_id' }]
} satisfies NonNullable<ProviderEntry['webhooks']>;

export const microsoft = {
    microsoft: {
        display_name: 'Microsoft',
        categories: ['productivity'],
        logo: { color: '#0078D4' },
        docs: 'https://learn.microsoft.com/en-us/graph/overview',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: microsoftOAuth,
        proxy: graphProxy,
        webhooks: graphWebhooks
    },
    outlook: {
        display_name: 'Outlook',
        categories: ['communication', 'calendar', 'popular'],
        logo: { color: '#0078D4' },
        docs: 'https://learn.microsoft.com/en-us/graph/outlook-mail-concept-overview',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: microsoftOAuth,
        proxy: graphProxy,
        webhooks: graphWebhooks
    },
    'microsoft-teams': {
        display_name: 'Microsoft Teams',
        categories: ['communication', 'video', 'popular'],
        logo: { color: '#6264A7' },
        docs: 'https://learn.microsoft.com/en-us/graph/teams-concept-overview',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: microsoftOAuth,
        proxy: graphProxy,
        webhooks: graphWebhooks
    },
    'sharepoint-online': {
        display_name: 'SharePoint Online',
        categories: ['file-storage', 'knowledge-base'],
        logo: { color: '#038387' },
        docs: 'https://learn.microsoft.com/en-us/graph/api/resources/sharepoint',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: microsoftOAuth,
        proxy: graphProxy,
        webhooks: graphWebhooks
    },
    'one-drive': {
        display_name: 'OneDrive',
        categories: ['file-storage'],
        logo: { color: '#0078D4' },
        docs: 'https://learn.microsoft.com/en-us/onedrive/developer/',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: microsoftOAuth,
        proxy: graphProxy,
        webhooks: graphWebhooks
    }
} satisfies Record<string, ProviderEntry>;
