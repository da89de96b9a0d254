import type { ProviderEntry } from './index.js';

export const communication = {
    slack: {
        display_name: 'Slack',
        categories: ['communication', 'popular'],
        logo: { color: '#4A154B' },
        docs: 'https://api.slack.com/web',
        setup_guide_url: 'https://api.slack.com/authentication/oauth-v2',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://slack.com/oauth/v2/authorize',
            token_url: 'https://slack.com/api/oauth.v2.access',
            scope_separator: ',',
            pkce: false,
            token_response_metadata: ['team.id', 'bot_user_id']
        },
        proxy: {
            base_url: 'https://slack.com/api',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'response_metadata.next_cursor',
                cursor_name_in_request: 'cursor',
                limit_name_in_request: 'limit'
            }
        },
        webhooks: {
            signature: { type: 'slack' },
            handshake: { type: 'slack_url_verification' },
            // Events API envelopes carry `event.type` and `team_id`; interactivity payloads `type` and `team.id`; slash commands `command` and `team_id`.
            event_type: [{ body_path: 'event.type' }, { body_path: 'type' }, { body_path: 'command' }],
            delivery_id: [{ body_path: 'event_id' }],
            // The OAuth flow stores the token response's `team.id` under that flat key.
            routing: [
                { from: { body_path: 'team_id' }, match: 'connection_config.team.id' },
                { from: { body_path: 'team.id' }, match: 'connection_config.team.id' }
            ]
        }
    },
    discord: {
        display_name: 'Discord',
        categories: ['communication', 'social'],
        logo: { color: '#5865F2' },
        docs: 'https://discord.com/developers/docs/intro',
        setup_guide_url: 'https://discord.com/developers/docs/topics/oauth2',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://discord.com/oauth2/authorize',
            token_url: 'https://discord.com/api/oauth2/token',
            default_scopes: ['identify']
        },
        proxy: {
            base_url: 'https://discord.com/api',
            retry: { after: ['retry-after'] }
        }
    },
    twilio: {
        display_name: 'Twilio',
        categories: ['communication'],
        logo: { color: '#F22F46' },
        docs: 'https://www.twilio.com/docs/usage/api',
        auth_mode: 'BASIC',
        credentials: {
            username: {
                title: 'Account SID',
                doc_section: 'https://console.twilio.com/',
                description: 'Found on the Twilio Console dashboard; an API key SID also works',
                example: 'ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
            },
            password: {
                title: 'Auth token',
                doc_section: 'https://console.twilio.com/',
                description: 'The auth token of the account, or the secret of the API key',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.twilio.com',
            verification: { method: 'GET', endpoints: ['/2010-04-01/Accounts.json'] }
        }
    },
    sendgrid: {
        display_name: 'SendGrid',
        categories: ['communication', 'marketing'],
        logo: { color: '#1A82E2' },
        docs: 'https://www.twilio.com/docs/sendgrid/api-reference',
        docs_connect: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: { title: 'API key', example: 'SG.xxxxxxxx', secret: true, doc_section: 'https://app.sendgrid.com/settings/api_keys' }
        },
        proxy: {
            base_url: 'https://api.sendgrid.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            retry: { at: ['x-ratelimit-reset'] },
            verification: { method: 'GET', endpoints: ['/v3/scopes'] }
        }
    },
    mailgun: {
        display_name: 'Mailgun',
        categories: ['communication'],
        logo: { color: '#F06B66' },
        docs: 'https://documentation.mailgun.com/docs/mailgun/api-reference/',
        auth_mode: 'BASIC',
        connection_config: {
            region: {
                title: 'Region',
                description: 'Choose eu if your domains are in Mailgun’s EU region; leave empty for US',
                enum: ['eu'],
                optional: true
            }
        },
        credentials: {
            // Mailgun's Basic auth always uses the literal user name "api".
            username: { title: 'Username', hidden: true, default_value: 'api' },
            password: { title: 'API key', secret: true, doc_section: 'https://app.mailgun.com/settings/api_security' }
        },
        proxy: {
            base_url: ['https://api.${connectionConfig.region}.mailgun.net', 'https://api.mailgun.net'],
            verification: { method: 'GET', endpoints: ['/v3/domains'] }
        }
    },
    postmark: {
        display_name: 'Postmark',
        categories: ['communication'],
        logo: { color: '#FFDE00' },
        docs: 'https://postmarkapp.com/developer',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'Server API token',
                doc_section: 'https://postmarkapp.com/support/article/1008-what-are-the-account-and-server-api-tokens',
                description: 'Found on the API Tokens tab of a server',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.postmarkapp.com',
            headers: { 'X-Postmark-Server-Token': '${credentials.apiKey}', accept: 'application/json' },
            verification: { method: 'GET', endpoints: ['/server'] }
        }
    },
    zoom: {
        display_name: 'Zoom',
        categories: ['video', 'communication', 'popular'],
        logo: { color: '#0B5CFF' },
        docs: 'https://developers.zoom.us/docs/api/',
        setup_guide_url: 'https://developers.zoom.us/docs/integrations/create/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://zoom.us/oauth/authorize',
            token_url: 'https://zoom.us/oauth/token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api.zoom.us/v2',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'next_page_token',
                cursor_name_in_request: 'next_page_token',
                limit_name_in_request: 'page_size'
            }
        }
    },
    front: {
        display_name: 'Front',
        categories: ['communication', 'support'],
        logo: { color: '#001B38' },
        docs: 'https://dev.frontapp.com/reference/introduction',
        setup_guide_url: 'https://dev.frontapp.com/docs/oauth',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://app.frontapp.com/oauth/authorize',
            token_url: 'https://app.frontapp.com/oauth/token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api2.frontapp.com',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'link',
                link_path_in_response_body: '_pagination.next',
                response_path: '_results',
                limit_name_in_request: 'limit'
            }
        }
    },
    aircall: {
        display_name: 'Aircall',
        categories: ['communication', 'support'],
        logo: { color: '#00B388' },
        docs: 'https://developer.aircall.io/api-references/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://dashboard.aircall.io/oauth/authorize',
            token_url: 'https://api.aircall.io/v1/oauth/token',
            default_scopes: ['public_api']
        },
        proxy: {
            base_url: 'https://api.aircall.io'
        }
    },
    ringcentral: {
        display_name: 'RingCentral',
        categories: ['communication', 'video'],
        logo: { color: '#0684BD' },
        docs: 'https://developers.ringcentral.com/api-reference',
        setup_guide_url: 'https://developers.ringcentral.com/guide/authentication/auth-code-flow',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://platform.ringcentral.com/restapi/oauth/authorize',
            token_url: 'https://platform.ringcentral.com/restapi/oauth/token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://platform.ringcentral.com',
            retry: { after: ['retry-after'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
