import type { ProviderEntry } from './index.js';

export const support = {
    zendesk: {
        display_name: 'Zendesk',
        categories: ['support', 'ticketing', 'popular'],
        logo: { color: '#03363D' },
        docs: 'https://developer.zendesk.com/api-reference/',
        setup_guide_url: 'https://developer.zendesk.com/documentation/ticketing/working-with-oauth/using-oauth-authentication-with-your-application/',
        auth_mode: 'OAUTH2',
        connection_config: {
            subdomain: {
                title: 'Subdomain',
                description: 'The part before .zendesk.com in your Zendesk URL',
                example: 'acme',
                pattern: '^[a-zA-Z0-9-]+$',
                prefix: 'https://',
                suffix: '.zendesk.com'
            }
        },
        oauth: {
            authorization_url: 'https://${connectionConfig.subdomain}.zendesk.com/oauth/authorizations/new',
            token_url: 'https://${connectionConfig.subdomain}.zendesk.com/oauth/tokens',
            // Zendesk tokens never expire unless asked to; short-lived ones come with a refresh token.
            token_params: { expires_in: '1800' }
        },
        proxy: {
            base_url: 'https://${connectionConfig.subdomain}.zendesk.com',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'link',
                link_path_in_response_body: 'next_page'
            }
        },
        webhooks: {
            signature: { type: 'zendesk' },
            event_type: [{ body_path: 'type' }],
            delivery_id: [{ header: 'X-Zendesk-Webhook-Invocation-Id' }],
            // Webhooks belong to one Zendesk account each; the connection records the id of the one it created.
            routing: [{ from: { header: 'X-Zendesk-Webhook-Id' }, match: 'metadata.zendesk_webhook_id' }]
        }
    },
    intercom: {
        display_name: 'Intercom',
        categories: ['support', 'communication', 'popular'],
        logo: { color: '#6AFDEF' },
        docs: 'https://developers.intercom.com/docs/references/rest-api/api.intercom.io',
        setup_guide_url: 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth',
        auth_mode: 'OAUTH2',
        connection_config: {
            region: {
                title: 'Region',
                description: 'Choose eu or au if your workspace is hosted there; leave empty for the US',
                enum: ['eu', 'au'],
                optional: true
            }
        },
        oauth: {
            authorization_url: 'https://app.intercom.com/oauth',
            token_url: 'https://api.intercom.io/auth/eagle/token'
        },
        proxy: {
            base_url: ['https://api.${connectionConfig.region}.intercom.io', 'https://api.intercom.io'],
            retry: { at: ['x-ratelimit-reset'] },
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'pages.next.starting_after',
                cursor_name_in_request: 'starting_after',
                limit_name_in_request: 'per_page',
                response_path: 'data'
            }
        }
    },
    freshdesk: {
        display_name: 'Freshdesk',
        categories: ['support', 'ticketing'],
        logo: { color: '#25C16F' },
        docs: 'https://developers.freshdesk.com/api/',
        docs_connect: 'https://support.freshdesk.com/support/solutions/articles/215517-how-to-find-your-api-key',
        auth_mode: 'BASIC',
        connection_config: {
            subdomain: {
                title: 'Subdomain',
                description: 'The part before .freshdesk.com in your helpdesk URL',
                example: 'acme',
                pattern: '^[a-zA-Z0-9-]+$',
                prefix: 'https://',
                suffix: '.freshdesk.com'
            }
        },
        credentials: {
            username: {
                title: 'API key',
                description: 'Found under Profile settings → View API key',
                secret: true
            },
            // Freshdesk ignores the password when the user name is an API key; its docs use "X".
            password: { title: 'Password', hidden: true, default_value: 'X' }
        },
        proxy: {
            base_url: 'https://${connectionConfig.subdomain}.freshdesk.com',
            retry: { after: ['retry-after'] },
            verification: { method: 'GET', endpoints: ['/api/v2/agents/me'] },
            paginate: {
                type: 'link',
                link_rel_in_response_header: 'next',
                limit_name_in_request: 'per_page'
            }
        }
    },
    servicenow: {
        display_name: 'ServiceNow',
        categories: ['ticketing', 'support'],
        logo: { color: '#62D84E' },
        docs: 'https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/',
        auth_mode: 'OAUTH2',
        connection_config: {
            subdomain: {
                title: 'Instance name',
                description: 'The part before .service-now.com in your instance URL',
                example: 'acme',
                pattern: '^[a-zA-Z0-9-]+$',
                prefix: 'https://',
                suffix: '.service-now.com'
            }
        },
        oauth: {
            authorization_url: 'https://${connectionConfig.subdomain}.service-now.com/oauth_auth.do',
            token_url: 'https://${connectionConfig.subdomain}.service-now.com/oauth_token.do'
        },
        proxy: {
            base_url: 'https://${connectionConfig.subdomain}.service-now.com',
            paginate: {
                type: 'offset',
                offset_name_in_request: 'sysparm_offset',
                limit_name_in_request: 'sysparm_limit',
                response_path: 'result'
            }
        }
    },
    gorgias: {
        display_name: 'Gorgias',
        categories: ['support', 'e-commerce'],
        logo: { color: '#161616' },
        docs: 'https://developers.gorgias.com/reference/introduction',
        auth_mode: 'BASIC',
        connection_config: {
            subdomain: {
                title: 'Subdomain',
                description: 'The part before .gorgias.com in your helpdesk URL',
                example: 'acme',
                pattern: '^[a-zA-Z0-9-]+$',
                prefix: 'https://',
                suffix: '.gorgias.com'
            }
        },
        credentials: {
            username: { title: 'Email', description: 'The email address of the Gorgias user', format: 'email' },
            password: {
                title: 'API key',
                description: 'Found under Settings → REST API',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://${connectionConfig.subdomain}.gorgias.com/api',
            retry: { after: ['retry-after'] },
            verification: { method: 'GET', endpoints: ['/account'] }
        }
    },
    'help-scout': {
        display_name: 'Help Scout',
        categories: ['support'],
        logo: { color: '#1292EE' },
        docs: 'https://developer.helpscout.com/mailbox-api/',
        setup_guide_url: 'https://developer.helpscout.com/mailbox-api/overview/authentication/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://secure.helpscout.net/authentication/authorizeClientApplication',
            token_url: 'https://api.helpscout.net/v2/oauth2/token'
        },
        proxy: {
            base_url: 'https://api.helpscout.net'
        }
    }
} satisfies Record<string, ProviderEntry>;
