import type { ProviderEntry } from './index.js';

export const marketing = {
    mailchimp: {
        display_name: 'Mailchimp',
        categories: ['marketing'],
        logo: { color: '#FFE01B' },
        docs: 'https://mailchimp.com/developer/marketing/api/',
        setup_guide_url: 'https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/',
        auth_mode: 'OAUTH2',
        connection_config: {
            dc: {
                title: 'Data center',
                description: 'Filled after connecting from https://login.mailchimp.com/oauth2/metadata',
                example: 'us6',
                automated: true
            }
        },
        oauth: {
            authorization_url: 'https://login.mailchimp.com/oauth2/authorize',
            token_url: 'https://login.mailchimp.com/oauth2/token'
        },
        proxy: {
            base_url: 'https://${connectionConfig.dc}.api.mailchimp.com'
        }
    },
    klaviyo: {
        display_name: 'Klaviyo',
        categories: ['marketing'],
        logo: { color: '#232426' },
        docs: 'https://developers.klaviyo.com/en/reference/api_overview',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'Private API key',
                doc_section: 'https://www.klaviyo.com/settings/account/api-keys',
                description: 'Created under Settings → API keys',
                example: 'pk_xxxxxxxx',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://a.klaviyo.com',
            headers: {
                authorization: 'Klaviyo-API-Key ${credentials.apiKey}',
                revision: '2025-01-15'
            },
            retry: { after: ['retry-after'] },
            verification: { method: 'GET', endpoints: ['/api/accounts'] },
            paginate: {
                type: 'link',
                link_path_in_response_body: 'links.next',
                response_path: 'data'
            }
        }
    },
    brevo: {
        display_name: 'Brevo',
        categories: ['marketing', 'communication'],
        logo: { color: '#0B996E' },
        docs: 'https://developers.brevo.com/',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'API key',
                doc_section: 'https://app.brevo.com/settings/keys/api',
                description: 'Created under SMTP & API → API keys',
                example: 'xkeysib-xxxxxxxx',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.brevo.com/v3',
            headers: { 'api-key': '${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/account'] }
        }
    },
    segment: {
        display_name: 'Segment',
        categories: ['analytics', 'marketing'],
        logo: { color: '#52BD94' },
        docs: 'https://docs.segmentapis.com/',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'Public API token',
                description: 'A Public API token from your workspace’s access management settings',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.segmentapis.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' }
        }
    },
    webflow: {
        display_name: 'Webflow',
        categories: ['cms', 'marketing'],
        logo: { color: '#146EF5' },
        docs: 'https://developers.webflow.com/data/reference/rest-introduction',
        setup_guide_url: 'https://developers.webflow.com/data/reference/oauth-app',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://webflow.com/oauth/authorize',
            token_url: 'https://api.webflow.com/oauth/access_token'
        },
        proxy: {
            base_url: 'https://api.webflow.com'
        }
    },
    wordpress: {
        display_name: 'WordPress.com',
        categories: ['cms'],
        logo: { color: '#21759B' },
        docs: 'https://developer.wordpress.com/docs/api/',
        setup_guide_url: 'https://developer.wordpress.com/docs/oauth2/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://public-api.wordpress.com/oauth2/authorize',
            token_url: 'https://public-api.wordpress.com/oauth2/token'
        },
        proxy: {
            base_url: 'https://public-api.wordpress.com'
        }
    }
} satisfies Record<string, ProviderEntry>;
