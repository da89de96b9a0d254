import type { ProviderEntry } from './index.js';

// Atlassian's 3LO flow requires audience and prompt=consent; offline_access adds a rotating refresh token.
const atlassianOAuth = {
    authorization_url: 'https://auth.atlassian.com/authorize',
    token_url: 'https://auth.atlassian.com/oauth/token',
    authorization_params: { audience: 'api.atlassian.com', prompt: 'consent' },
    default_scopes: ['offline_access'],
    body_format: 'json'
} satisfies NonNullable<ProviderEntry['oauth']>;

const docusignBaseUri = {
    title: 'Account base URI',
    description: 'Filled after connecting from the account’s base_uri in /oauth/userinfo',
    automated: true,
    optional: true
} satisfies NonNullable<ProviderEntry['connection_config']>[string];

export const productivity = {
    notion: {
        display_name: 'Notion',
        categories: ['productivity', 'knowledge-base', 'popular'],
        logo: { color: '#000000' },
        docs: 'https://developers.notion.com/reference/intro',
        setup_guide_url: 'https://developers.notion.com/docs/authorization',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://api.notion.com/v1/oauth/authorize',
            token_url: 'https://api.notion.com/v1/oauth/token',
            authorization_params: { owner: 'user' },
            token_request_auth_method: 'basic',
            body_format: 'json',
            token_response_metadata: ['workspace_id']
        },
        proxy: {
            base_url: 'https://api.notion.com',
            headers: { 'Notion-Version': '2022-06-28' },
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'next_cursor',
                cursor_name_in_request: 'start_cursor',
                limit_name_in_request: 'page_size',
                response_path: 'results'
            }
        }
    },
    jira: {
        display_name: 'Jira',
        categories: ['project-management', 'ticketing', 'popular'],
        logo: { color: '#0052CC' },
        docs: 'https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/',
        setup_guide_url: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
        auth_mode: 'OAUTH2',
        oauth: atlassianOAuth,
        proxy: {
            base_url: 'https://api.atlassian.com',
            retry: { after: ['retry-after'] }
        },
        webhooks: {
            // Admin webhooks registered with a secret. Their payloads do not name the Jira site, so every connection of the integration gets each event.
            signature: { type: 'hmac', header: 'X-Hub-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
            event_type: [{ body_path: 'webhookEvent' }],
            delivery_id: [{ header: 'X-Atlassian-Webhook-Identifier' }]
        }
    },
    confluence: {
        display_name: 'Confluence',
        categories: ['knowledge-base', 'productivity'],
        logo: { color: '#172B4D' },
        docs: 'https://developer.atlassian.com/cloud/confluence/rest/v2/intro/',
        setup_guide_url: 'https://developer.atlassian.com/cloud/confluence/oauth-2-3lo-apps/',
        auth_mode: 'OAUTH2',
        oauth: atlassianOAuth,
        proxy: {
            base_url: 'https://api.atlassian.com',
            retry: { after: ['retry-after'] }
        }
    },
    asana: {
        display_name: 'Asana',
        categories: ['project-management', 'popular'],
        logo: { color: '#F06A6A' },
        docs: 'https://developers.asana.com/docs/overview',
        setup_guide_url: 'https://developers.asana.com/docs/oauth',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://app.asana.com/-/oauth_authorize',
            token_url: 'https://app.asana.com/-/oauth_token'
        },
        proxy: {
            base_url: 'https://app.asana.com',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'next_page.offset',
                cursor_name_in_request: 'offset',
                limit_name_in_request: 'limit',
                response_path: 'data'
            }
        }
    },
    airtable: {
        display_name: 'Airtable',
        categories: ['productivity', 'popular'],
        logo: { color: '#18BFFF' },
        docs: 'https://airtable.com/developers/web/api/introduction',
        setup_guide_url: 'https://airtable.com/developers/web/guides/oauth-integrations',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://airtable.com/oauth2/v1/authorize',
            token_url: 'https://airtable.com/oauth2/v1/token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api.airtable.com',
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'offset',
                cursor_name_in_request: 'offset',
                limit_name_in_request: 'pageSize',
                response_path: 'records'
            }
        }
    },
    linear: {
        display_name: 'Linear',
        categories: ['project-management', 'ticketing', 'popular'],
        logo: { color: '#5E6AD2' },
        docs: 'https://linear.app/developers',
        setup_guide_url: 'https://linear.app/developers/oauth-2-0-authentication',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://linear.app/oauth/authorize',
            token_url: 'https://api.linear.app/oauth/token',
            default_scopes: ['read'],
            scope_separator: ',',
            pkce: false
        },
        proxy: {
            base_url: 'https://api.linear.app'
        },
        webhooks: {
            signature: { type: 'linear' },
            event_type: [{ body_path: 'type' }],
            delivery_id: [{ header: 'Linear-Delivery' }],
            // An OAuth app's webhook receives every workspace that installed it; the OAuth flow does not learn the workspace id.
            routing: [{ from: { body_path: 'organizationId' }, match: 'metadata.linear_organization_id' }]
        }
    },
    monday: {
        display_name: 'monday.com',
        categories: ['project-management'],
        logo: { color: '#6161FF' },
        docs: 'https://developer.monday.com/api-reference/docs',
        setup_guide_url: 'https://developer.monday.com/apps/docs/oauth',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://auth.monday.com/oauth2/authorize',
            token_url: 'https://auth.monday.com/oauth2/token',
            pkce: false
        },
        proxy: {
            base_url: 'https://api.monday.com'
        }
    },
    clickup: {
        display_name: 'ClickUp',
        categories: ['project-management'],
        logo: { color: '#7B68EE' },
        docs: 'https://developer.clickup.com/docs',
        setup_guide_url: 'https://developer.clickup.com/docs/authentication',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://app.clickup.com/api',
            token_url: 'https://api.clickup.com/api/v2/oauth/token'
        },
        proxy: {
            base_url: 'https://api.clickup.com'
        }
    },
    trello: {
        display_name: 'Trello',
        categories: ['project-management'],
        logo: { color: '#0052CC' },
        docs: 'https://developer.atlassian.com/cloud/trello/rest/',
        setup_guide_url: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/',
        auth_mode: 'OAUTH1',
        // HMAC-SHA1 signatures. Trello shows its authorize page with the app name from authorization_params[name].
        oauth: {
            request_token_url: 'https://trello.com/1/OAuthGetRequestToken',
            authorization_url: 'https://trello.com/1/OAuthAuthorizeToken',
            token_url: 'https://trello.com/1/OAuthGetAccessToken',
            authorization_params: { expiration: 'never' },
            default_scopes: ['read', 'write'],
            scope_separator: ','
        },
        proxy: {
            base_url: 'https://api.trello.com'
        }
    },
    smartsheet: {
        display_name: 'Smartsheet',
        categories: ['project-management', 'productivity'],
        logo: { color: '#0073EC' },
        docs: 'https://developers.smartsheet.com/',
        docs_connect: 'https://developers.smartsheet.com/api/smartsheet/guides/basics/authentication',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'API access token',
                description: 'Generated under Account → Apps & Integrations → API Access',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.smartsheet.com/2.0',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/users/me'] }
        }
    },
    wrike: {
        display_name: 'Wrike',
        categories: ['project-management'],
        logo: { color: '#08CF65' },
        docs: 'https://developers.wrike.com/overview/',
        setup_guide_url: 'https://developers.wrike.com/oauth-20-authorization/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://login.wrike.com/oauth2/authorize/v4',
            token_url: 'https://login.wrike.com/oauth2/token',
            // The token response names the data-center host (e.g. app-eu.wrike.com) for API calls.
            token_response_metadata: ['host']
        },
        proxy: {
            base_url: 'https://${connectionConfig.host}/api/v4'
        }
    },
    basecamp: {
        display_name: 'Basecamp',
        categories: ['project-management'],
        logo: { color: '#1D2D35' },
        docs: 'https://github.com/basecamp/bc3-api',
        setup_guide_url: 'https://github.com/basecamp/api/blob/master/sections/authentication.md',
        auth_mode: 'OAUTH2',
        connection_config: {
            accountId: {
                title: 'Account ID',
                description: 'Filled after connecting from the accounts listed at launchpad.37signals.com/authorization.json',
                automated: true,
                optional: true
            }
        },
        oauth: {
            authorization_url: 'https://launchpad.37signals.com/authorization/new',
            token_url: 'https://launchpad.37signals.com/authorization/token',
            // 37signals predates the standard grant names and wants its own `type` parameter.
            authorization_params: { type: 'web_server' },
            token_params: { type: 'web_server' },
            refresh_params: { type: 'refresh' }
        },
        proxy: {
            base_url: ['https://3.basecampapi.com/${connectionConfig.accountId}', 'https://3.basecampapi.com'],
            retry: { after: ['retry-after'] },
            paginate: { type: 'link', link_rel_in_response_header: 'next' }
        }
    },
    todoist: {
        display_name: 'Todoist',
        categories: ['productivity'],
        logo: { color: '#E44332' },
        docs: 'https://developer.todoist.com/',
        setup_guide_url: 'https://developer.todoist.com/guides/#oauth',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://todoist.com/oauth/authorize',
            token_url: 'https://todoist.com/oauth/access_token',
            default_scopes: ['data:read'],
            scope_separator: ','
        },
        proxy: {
            base_url: 'https://api.todoist.com'
        }
    },
    calendly: {
        display_name: 'Calendly',
        categories: ['calendar', 'productivity'],
        logo: { color: '#006BFF' },
        docs: 'https://developer.calendly.com/api-docs',
        setup_guide_url: 'https://developer.calendly.com/how-to-access-calendly-data-on-behalf-of-authenticated-users',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://auth.calendly.com/oauth/authorize',
            token_url: 'https://auth.calendly.com/oauth/token',
            token_response_metadata: ['owner', 'organization']
        },
        proxy: {
            base_url: 'https://api.calendly.com',
            paginate: {
                type: 'link',
                link_path_in_response_body: 'pagination.next_page',
                response_path: 'collection',
                limit_name_in_request: 'count'
            }
        }
    },
    'cal-com': {
        display_name: 'Cal.com',
        categories: ['calendar'],
        logo: { color: '#292929' },
        docs: 'https://cal.com/docs/api-reference/v2/introduction',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'API key',
                description: 'Created under Settings → Developer → API Keys',
                example: 'cal_live_xxxxxxxx',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.cal.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/v2/me'] }
        }
    },
    typeform: {
        display_name: 'Typeform',
        categories: ['surveys'],
        logo: { color: '#262627' },
        docs: 'https://www.typeform.com/developers/get-started/',
        setup_guide_url: 'https://www.typeform.com/developers/get-started/applications/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://api.typeform.com/oauth/authorize',
            token_url: 'https://api.typeform.com/oauth/token',
            default_scopes: ['offline'],
            pkce: false
        },
        proxy: {
            base_url: 'https://api.typeform.com'
        }
    },
    miro: {
        display_name: 'Miro',
        categories: ['design', 'productivity'],
        logo: { color: '#050038' },
        docs: 'https://developers.miro.com/reference/api-reference',
        setup_guide_url: 'https://developers.miro.com/docs/getting-started-with-oauth',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://miro.com/oauth/authorize',
            token_url: 'https://api.miro.com/v1/oauth/token'
        },
        proxy: {
            base_url: 'https://api.miro.com'
        }
    },
    docusign: {
        display_name: 'DocuSign',
        categories: ['productivity'],
        logo: { color: '#4C00FF' },
        docs: 'https://developers.docusign.com/docs/esign-rest-api/',
        setup_guide_url: 'https://developers.docusign.com/platform/auth/authcode/authcode-get-token/',
        auth_mode: 'OAUTH2',
        connection_config: { base_uri: docusignBaseUri },
        oauth: {
            authorization_url: 'https://account.docusign.com/oauth/auth',
            token_url: 'https://account.docusign.com/oauth/token',
            default_scopes: ['signature'],
            token_request_auth_method: 'basic'
        },
        proxy: {
            // base_uri is the account's full https URL (it varies by data center), so it opens the template.
            base_url: ['${connectionConfig.base_uri}', 'https://www.docusign.net'],
            retry: { at: ['x-ratelimit-reset'] }
        }
    },
    'docusign-sandbox': {
        display_name: 'DocuSign (developer)',
        categories: ['productivity'],
        logo: { color: '#4C00FF' },
        docs: 'https://developers.docusign.com/docs/esign-rest-api/',
        setup_guide_url: 'https://developers.docusign.com/platform/auth/authcode/authcode-get-token/',
        auth_mode: 'OAUTH2',
        connection_config: { base_uri: docusignBaseUri },
        oauth: {
            authorization_url: 'https://account-d.docusign.com/oauth/auth',
            token_url: 'https://account-d.docusign.com/oauth/token',
            default_scopes: ['signature'],
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: ['${connectionConfig.base_uri}', 'https://demo.docusign.net'],
            retry: { at: ['x-ratelimit-reset'] }
        }
    },
    harvest: {
        display_name: 'Harvest',
        categories: ['productivity'],
        logo: { color: '#FA5D00' },
        docs: 'https://help.getharvest.com/api-v2/',
        setup_guide_url: 'https://help.getharvest.com/api-v2/authentication-api/authentication/authentication/',
        auth_mode: 'OAUTH2',
        connection_config: {
            accountId: {
                title: 'Account ID',
                description: 'The number in your Harvest URL after /accounts/, also shown under Settings',
                pattern: '^[0-9]+$'
            }
        },
        oauth: {
            authorization_url: 'https://id.getharvest.com/oauth2/authorize',
            token_url: 'https://id.getharvest.com/api/v2/oauth2/token'
        },
        proxy: {
            base_url: 'https://api.harvestapp.com',
            headers: { 'Harvest-Account-Id': '${connectionConfig.accountId}' },
            retry: { after: ['retry-after'] }
        }
    },
    toggl: {
        display_name: 'Toggl Track',
        categories: ['productivity'],
        logo: { color: '#E57CD8' },
        docs: 'https://engineering.toggl.com/docs/',
        auth_mode: 'BASIC',
        credentials: {
            username: {
                title: 'API token',
                doc_section: 'https://track.toggl.com/profile',
                description: 'Found at the bottom of your Toggl Track profile page',
                secret: true
            },
            // Toggl's convention: the token is the user name and the password is this literal.
            password: { title: 'Password', hidden: true, default_value: 'api_token' }
        },
        proxy: {
            base_url: 'https://api.track.toggl.com',
            verification: { method: 'GET', endpoints: ['/api/v9/me'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
