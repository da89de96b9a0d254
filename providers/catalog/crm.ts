import type { ProviderEntry } from './index.js';

const salesforceProxy = {
    base_url: '${connectionConfig.instance_url}',
    paginate: {
        type: 'link',
        link_path_in_response_body: 'nextRecordsUrl',
        response_path: 'records'
    }
} satisfies NonNullable<ProviderEntry['proxy']>;

export const crm = {
    salesforce: {
        display_name: 'Salesforce',
        categories: ['crm', 'popular'],
        logo: { color: '#00A1E0' },
        docs: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm',
        setup_guide_url: 'https://help.salesforce.com/s/articleView?id=sf.connected_app_create.htm&type=5',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://login.salesforce.com/services/oauth2/authorize',
            token_url: 'https://login.salesforce.com/services/oauth2/token',
            default_scopes: ['offline_access', 'api'],
            token_response_metadata: ['instance_url']
        },
        proxy: salesforceProxy
    },
    'salesforce-sandbox': {
        display_name: 'Salesforce (sandbox)',
        categories: ['crm'],
        logo: { color: '#00A1E0' },
        docs: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm',
        setup_guide_url: 'https://help.salesforce.com/s/articleView?id=sf.connected_app_create.htm&type=5',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://test.salesforce.com/services/oauth2/authorize',
            token_url: 'https://test.salesforce.com/services/oauth2/token',
            default_scopes: ['offline_access', 'api'],
            token_response_metadata: ['instance_url']
        },
        proxy: salesforceProxy
    },
    hubspot: {
        display_name: 'HubSpot',
        categories: ['crm', 'marketing', 'popular'],
        logo: { color: '#FF7A59' },
        docs: 'https://developers.hubspot.com/docs/api/overview',
        setup_guide_url: 'https://developers.hubspot.com/docs/api/creating-an-app',
        auth_mode: 'OAUTH2',
        connection_config: {
            portalId: {
                title: 'Portal ID',
                description: 'The HubSpot account (hub) id of this connection, which routes its webhooks; not filled by the OAuth flow yet, so pass it when importing the connection',
                automated: true,
                optional: true
            }
        },
        oauth: {
            authorization_url: 'https://app.hubspot.com/oauth/authorize',
            token_url: 'https://api.hubapi.com/oauth/v1/token',
            default_scopes: ['oauth']
        },
        proxy: {
            base_url: 'https://api.hubapi.com',
            decompress: true,
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'paging.next.after',
                cursor_name_in_request: 'after',
                limit_name_in_request: 'limit',
                response_path: 'results'
            }
        },
        webhooks: {
            // Signed with the app's client secret; one POST carries an array of events, possibly from several accounts.
            signature: { type: 'hubspot_v3' },
            secret: 'client_secret',
            batched: true,
            event_type: [{ body_path: 'subscriptionType' }],
            delivery_id: [{ body_path: 'eventId' }],
            routing: [{ from: { body_path: 'portalId' }, match: ['connection_config.portalId', 'metadata.portalId'] }]
        }
    },
    pipedrive: {
        display_name: 'Pipedrive',
        categories: ['crm', 'popular'],
        logo: { color: '#017737' },
        docs: 'https://developers.pipedrive.com/docs/api/v1',
        setup_guide_url: 'https://pipedrive.readme.io/docs/marketplace-creating-a-proper-app',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://oauth.pipedrive.com/oauth/authorize',
            token_url: 'https://oauth.pipedrive.com/oauth/token',
            token_request_auth_method: 'basic',
            pkce: false,
            token_response_metadata: ['api_domain']
        },
        proxy: {
            // api_domain is the company's full https URL, so it must open the template.
            base_url: '${connectionConfig.api_domain}/api',
            paginate: {
                type: 'offset',
                offset_name_in_request: 'start',
                limit_name_in_request: 'limit',
                response_path: 'data'
            }
        }
    },
    'zoho-crm': {
        display_name: 'Zoho CRM',
        categories: ['crm'],
        logo: { color: '#E42527' },
        docs: 'https://www.zoho.com/crm/developer/docs/api/v8/',
        setup_guide_url: 'https://www.zoho.com/crm/developer/docs/api/v8/register-client.html',
        auth_mode: 'OAUTH2',
        connection_config: {
            extension: {
                title: 'Data center',
                description: 'The domain extension of your Zoho account, e.g. eu for accounts.zoho.eu',
                enum: ['com', 'eu', 'in', 'com.au', 'jp', 'com.cn'],
                default_value: 'com'
            }
        },
        oauth: {
            authorization_url: 'https://accounts.zoho.${connectionConfig.extension}/oauth/v2/auth',
            token_url: 'https://accounts.zoho.${connectionConfig.extension}/oauth/v2/token',
            authorization_params: { access_type: 'offline', prompt: 'consent' },
            scope_separator: ',',
            token_response_metadata: ['api_domain']
        },
        proxy: {
            base_url: ['${connectionConfig.api_domain}', 'https://www.zohoapis.${connectionConfig.extension}'],
            headers: { authorization: 'Zoho-oauthtoken ${accessToken}' },
            paginate: {
                type: 'offset',
                offset_name_in_request: 'page',
                offset_start_value: 1,
                offset_calculation_method: 'per-page',
                limit_name_in_request: 'per_page',
                response_path: 'data'
            }
        }
    },
    attio: {
        display_name: 'Attio',
        categories: ['crm'],
        logo: { color: '#000000' },
        docs: 'https://docs.attio.com/rest-api/overview',
        setup_guide_url: 'https://docs.attio.com/rest-api/guides/configuring-oauth',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://app.attio.com/authorize',
            token_url: 'https://app.attio.com/oauth/token'
        },
        proxy: {
            base_url: 'https://api.attio.com',
            retry: { after: ['retry-after'] }
        }
    },
    close: {
        display_name: 'Close',
        categories: ['crm'],
        logo: { color: '#1463FF' },
        docs: 'https://developer.close.com/',
        auth_mode: 'BASIC',
        credentials: {
            username: {
                title: 'API key',
                description: 'Created under Settings → Developer → API keys',
                secret: true
            },
            password: { title: 'Password', hidden: true, optional: true, default_value: '' }
        },
        proxy: {
            base_url: 'https://api.close.com/api/v1',
            retry: { after: ['retry-after'] },
            verification: { method: 'GET', endpoints: ['/me/'] },
            paginate: {
                type: 'offset',
                offset_name_in_request: '_skip',
                limit_name_in_request: '_limit',
                response_path: 'data'
            }
        }
    },
    copper: {
        display_name: 'Copper',
        categories: ['crm'],
        logo: { color: '#FF3465' },
        docs: 'https://developer.copper.com/',
        auth_mode: 'API_KEY',
        connection_config: {
            email: {
                title: 'User email',
                description: 'Email address of the Copper user who created the API key',
                format: 'email'
            }
        },
        credentials: {
            apiKey: {
                title: 'API key',
                description: 'Created under Settings → Integrations → API Keys',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.copper.com/developer_api/v1',
            headers: {
                'X-PW-AccessToken': '${credentials.apiKey}',
                'X-PW-Application': 'developer_api',
                'X-PW-UserEmail': '${connectionConfig.email}'
            },
            verification: { method: 'GET', endpoints: ['/account'] }
        }
    },
    freshsales: {
        display_name: 'Freshsales',
        categories: ['crm'],
        logo: { color: '#F26722' },
        docs: 'https://developers.freshworks.com/crm/api/',
        auth_mode: 'API_KEY',
        connection_config: {
            subdomain: {
                title: 'Bundle alias',
                description: 'The part before .myfreshworks.com in your Freshsales URL',
                example: 'acme',
                pattern: '^[a-zA-Z0-9-]+$',
                prefix: 'https://',
                suffix: '.myfreshworks.com'
            }
        },
        credentials: {
            apiKey: {
                title: 'API key',
                description: 'Found under Profile settings → API settings',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://${connectionConfig.subdomain}.myfreshworks.com/crm/sales',
            headers: { authorization: 'Token token=${credentials.apiKey}' }
        }
    },
    'gong-oauth': {
        display_name: 'Gong (OAuth)',
        categories: ['crm', 'analytics'],
        logo: { color: '#8039DF' },
        docs: 'https://gong.app.gong.io/settings/api/documentation',
        setup_guide_url: 'https://help.gong.io/docs/create-an-app-for-gong',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://app.gong.io/oauth2/authorize',
            token_url: 'https://app.gong.io/oauth2/generate-customer-token',
            token_request_auth_method: 'basic',
            token_response_metadata: ['api_base_url_for_customer']
        },
        proxy: {
            base_url: ['${connectionConfig.api_base_url_for_customer}', 'https://api.gong.io'],
            retry: { after: ['retry-after'] }
        }
    },
    gong: {
        display_name: 'Gong',
        categories: ['crm', 'analytics'],
        logo: { color: '#8039DF' },
        docs: 'https://gong.app.gong.io/settings/api/documentation',
        auth_mode: 'BASIC',
        credentials: {
            username: { title: 'Access key', description: 'Created under Company settings → API by a technical administrator' },
            password: { title: 'Access key secret', secret: true }
        },
        proxy: {
            base_url: 'https://api.gong.io',
            retry: { after: ['retry-after'] },
            verification: { method: 'GET', endpoints: ['/v2/users'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
