import type { ProviderEntry } from './index.js';

// Intuit returns the company id (realmId) only as a callback parameter.
const intuitOAuth = {
    authorization_url: 'https://appcenter.intuit.com/connect/oauth2',
    token_url: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    default_scopes: ['com.intuit.quickbooks.accounting'],
    token_request_auth_method: 'basic',
    redirect_uri_metadata: ['realmId']
} satisfies NonNullable<ProviderEntry['oauth']>;

const paypalCredentials = {
    client_id: { title: 'Client ID', description: 'From a REST API app in the PayPal developer dashboard' },
    client_secret: { title: 'Client secret', secret: true }
} satisfies NonNullable<ProviderEntry['credentials']>;

export const accountingAndPayments = {
    quickbooks: {
        display_name: 'QuickBooks Online',
        categories: ['accounting', 'popular'],
        logo: { color: '#2CA01C' },
        docs: 'https://developer.intuit.com/app/developer/qbo/docs/get-started',
        setup_guide_url: 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
        auth_mode: 'OAUTH2',
        oauth: intuitOAuth,
        proxy: {
            base_url: 'https://quickbooks.api.intuit.com'
        }
    },
    'quickbooks-sandbox': {
        display_name: 'QuickBooks Online (sandbox)',
        categories: ['accounting'],
        logo: { color: '#2CA01C' },
        docs: 'https://developer.intuit.com/app/developer/qbo/docs/get-started',
        setup_guide_url: 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
        auth_mode: 'OAUTH2',
        oauth: intuitOAuth,
        proxy: {
            base_url: 'https://sandbox-quickbooks.api.intuit.com'
        }
    },
    xero: {
        display_name: 'Xero',
        categories: ['accounting', 'popular'],
        logo: { color: '#13B5EA' },
        docs: 'https://developer.xero.com/documentation/api/accounting/overview',
        setup_guide_url: 'https://developer.xero.com/documentation/guides/oauth2/auth-flow',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://login.xero.com/identity/connect/authorize',
            token_url: 'https://identity.xero.com/connect/token',
            default_scopes: ['offline_access'],
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api.xero.com',
            retry: { after: ['retry-after'] }
        }
    },
    stripe: {
        display_name: 'Stripe',
        categories: ['payments', 'popular'],
        logo: { color: '#635BFF' },
        docs: 'https://docs.stripe.com/api',
        docs_connect: 'https://docs.stripe.com/keys',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'Secret key',
                doc_section: 'https://dashboard.stripe.com/apikeys',
                description: 'A secret (sk_…) or restricted (rk_…) key from the Stripe dashboard',
                example: 'sk_live_xxxxxxxx',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.stripe.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/v1/balance'] }
        },
        webhooks: {
            signature: { type: 'stripe' },
            event_type: [{ body_path: 'type' }],
            delivery_id: [{ body_path: 'id' }],
            // Only events of connected accounts (a Connect endpoint) name an `account`; an account's own events go to every connection.
            routing: [{ from: { body_path: 'account' }, match: 'metadata.stripe_account_id' }]
        }
    },
    'stripe-connect': {
        display_name: 'Stripe Connect',
        categories: ['payments'],
        logo: { color: '#635BFF' },
        docs: 'https://docs.stripe.com/connect/oauth-reference',
        setup_guide_url: 'https://docs.stripe.com/connect/oauth-standard-accounts',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://connect.stripe.com/oauth/authorize',
            token_url: 'https://connect.stripe.com/oauth/token',
            default_scopes: ['read_write'],
            // Stripe Connect OAuth does not support PKCE.
            pkce: false,
            token_response_metadata: ['stripe_user_id']
        },
        proxy: {
            base_url: 'https://api.stripe.com'
        },
        webhooks: {
            signature: { type: 'stripe' },
            event_type: [{ body_path: 'type' }],
            delivery_id: [{ body_path: 'id' }],
            // A Connect endpoint's events name the connected account, which the OAuth flow stored as `stripe_user_id`.
            routing: [{ from: { body_path: 'account' }, match: 'connection_config.stripe_user_id' }]
        }
    },
    paypal: {
        display_name: 'PayPal',
        categories: ['payments'],
        logo: { color: '#002991' },
        docs: 'https://developer.paypal.com/api/rest/',
        docs_connect: 'https://developer.paypal.com/api/rest/',
        auth_mode: 'OAUTH2_CC',
        credentials: paypalCredentials,
        oauth: {
            token_url: 'https://api-m.paypal.com/v1/oauth2/token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api-m.paypal.com'
        }
    },
    'paypal-sandbox': {
        display_name: 'PayPal (sandbox)',
        categories: ['payments'],
        logo: { color: '#002991' },
        docs: 'https://developer.paypal.com/api/rest/',
        docs_connect: 'https://developer.paypal.com/api/rest/',
        auth_mode: 'OAUTH2_CC',
        credentials: paypalCredentials,
        oauth: {
            token_url: 'https://api-m.sandbox.paypal.com/v1/oauth2/token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api-m.sandbox.paypal.com'
        }
    },
    'netsuite-tba': {
        display_name: 'NetSuite (token-based authentication)',
        categories: ['erp', 'accounting'],
        logo: { color: '#125580' },
        docs: 'https://docs.oracle.com/en/cloud/saas/netsuite/',
        auth_mode: 'TBA',
        // The integration holds the consumer key and secret; each connection gets a token id and secret (TBA: `token_id`, `token_secret`).
        connection_config: {
            accountId: {
                title: 'Account ID',
                description: 'Setup → Company → Company Information; a sandbox ends in _SB1',
                example: '1234567_SB1',
                pattern: '^[A-Za-z0-9_-]+$'
            }
        },
        // Requests are signed with HMAC-SHA256 and realm = the account id; the host spells it lower case with dashes.
        proxy: {
            base_url: 'https://${connectionConfig.accountId}.suitetalk.api.netsuite.com/services/rest/record/v1',
            paginate: { type: 'offset', offset_name_in_request: 'offset', limit_name_in_request: 'limit', response_path: 'items' },
            verification: { method: 'GET', endpoints: ['/metadata-catalog'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
