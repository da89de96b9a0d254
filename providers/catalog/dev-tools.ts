import type { ProviderEntry } from './index.js';

const githubProxy = {
    base_url: 'https://api.github.com',
    retry: { at: ['x-ratelimit-reset'], after: ['retry-after'], remaining: 'x-ratelimit-remaining' },
    paginate: {
        type: 'link',
        link_rel_in_response_header: 'next',
        limit_name_in_request: 'per_page'
    }
} satisfies NonNullable<ProviderEntry['proxy']>;

const githubWebhooks = {
    signature: { type: 'github' },
    event_type: [{ header: 'X-GitHub-Event' }],
    delivery_id: [{ header: 'X-GitHub-Delivery' }],
    // GitHub App deliveries name their installation; repository and organization webhooks do not, so they go by the hook that sent them.
    routing: [
        { from: { body_path: 'installation.id' }, match: ['connection_config.installation_id', 'metadata.installation_id'] },
        { from: { header: 'X-GitHub-Hook-ID' }, match: 'metadata.github_hook_id' }
    ]
} satisfies NonNullable<ProviderEntry['webhooks']>;

export const devTools = {
    github: {
        display_name: 'GitHub',
        categories: ['dev-tools', 'popular'],
        logo: { color: '#181717' },
        docs: 'https://docs.github.com/en/rest',
        setup_guide_url: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/creating-an-oauth-app',
        auth_mode: 'OAUTH2',
        connection_config: {
            installation_id: {
                title: 'Installation ID',
                description: 'The GitHub App installation of this connection, which routes its webhooks; not filled by the OAuth flow, so pass it when importing the connection',
                automated: true,
                optional: true
            }
        },
        oauth: {
            authorization_url: 'https://github.com/login/oauth/authorize',
            token_url: 'https://github.com/login/oauth/access_token'
        },
        proxy: githubProxy,
        webhooks: githubWebhooks
    },
    'github-app': {
        display_name: 'GitHub App',
        categories: ['dev-tools'],
        logo: { color: '#181717' },
        docs: 'https://docs.github.com/en/rest',
        setup_guide_url: 'https://docs.github.com/en/apps/creating-github-apps/registering-a-github-app/registering-a-github-app',
        auth_mode: 'APP',
        connection_config: {
            appPublicLink: { title: 'App public link', description: "The integration's app_link, e.g. https://github.com/apps/my-app", automated: true, optional: true },
            installation_id: { title: 'Installation ID', description: 'Filled when the user installs the app; routes its webhooks', automated: true, optional: true },
            app_id: { title: 'App ID', automated: true, optional: true }
        },
        // The install page takes our state and hands it to the app's setup URL with the installation id.
        oauth: {
            authorization_url: '${connectionConfig.appPublicLink}/installations/new',
            token_url: 'https://api.github.com/app/installations/${connectionConfig.installation_id}/access_tokens'
        },
        proxy: githubProxy,
        webhooks: githubWebhooks
    },
    gitlab: {
        display_name: 'GitLab',
        categories: ['dev-tools'],
        logo: { color: '#FC6D26' },
        docs: 'https://docs.gitlab.com/api/rest/',
        setup_guide_url: 'https://docs.gitlab.com/integration/oauth_provider/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://gitlab.com/oauth/authorize',
            token_url: 'https://gitlab.com/oauth/token'
        },
        proxy: {
            base_url: 'https://gitlab.com',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'link',
                link_rel_in_response_header: 'next',
                limit_name_in_request: 'per_page'
            }
        }
    },
    bitbucket: {
        display_name: 'Bitbucket',
        categories: ['dev-tools'],
        logo: { color: '#0052CC' },
        docs: 'https://developer.atlassian.com/cloud/bitbucket/rest/intro/',
        setup_guide_url: 'https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://bitbucket.org/site/oauth2/authorize',
            token_url: 'https://bitbucket.org/site/oauth2/access_token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api.bitbucket.org',
            paginate: {
                type: 'link',
                link_path_in_response_body: 'next',
                response_path: 'values',
                limit_name_in_request: 'pagelen'
            }
        }
    },
    sentry: {
        display_name: 'Sentry',
        categories: ['dev-tools'],
        logo: { color: '#362D59' },
        docs: 'https://docs.sentry.io/api/',
        docs_connect: 'https://docs.sentry.io/api/auth/',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'Auth token',
                description: 'A Sentry user auth token or organization token',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://sentry.io',
            headers: { authorization: 'Bearer ${credentials.apiKey}' }
        }
    },
    pagerduty: {
        display_name: 'PagerDuty',
        categories: ['dev-tools', 'ticketing'],
        logo: { color: '#06AC38' },
        docs: 'https://developer.pagerduty.com/api-reference/',
        docs_connect: 'https://support.pagerduty.com/main/docs/api-access-keys',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'REST API key',
                description: 'A general access or user REST API key',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.pagerduty.com',
            headers: {
                authorization: 'Token token=${credentials.apiKey}',
                accept: 'application/vnd.pagerduty+json;version=2'
            },
            verification: { method: 'GET', endpoints: ['/abilities'] }
        }
    },
    datadog: {
        display_name: 'Datadog',
        categories: ['dev-tools', 'analytics'],
        logo: { color: '#632CA6' },
        docs: 'https://docs.datadoghq.com/api/latest/',
        docs_connect: 'https://docs.datadoghq.com/account_management/api-app-keys/',
        auth_mode: 'API_KEY',
        connection_config: {
            site: {
                title: 'Site',
                description: 'The Datadog site your organization is hosted on',
                enum: ['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ddog-gov.com'],
                default_value: 'datadoghq.com'
            }
        },
        credentials: {
            apiKey: { title: 'API key', secret: true, order: 1, doc_section: '#api-keys' },
            appKey: {
                title: 'Application key',
                doc_section: '#application-keys',
                description: 'Needed by most endpoints besides key validation',
                secret: true,
                order: 2
            }
        },
        proxy: {
            base_url: 'https://api.${connectionConfig.site}',
            headers: {
                'DD-API-KEY': '${credentials.apiKey}',
                'DD-APPLICATION-KEY': '${credentials.appKey}'
            },
            verification: {
                method: 'GET',
                endpoints: ['/api/v1/validate'],
                headers: { 'DD-API-KEY': '${credentials.apiKey}' }
            }
        }
    },
    vercel: {
        display_name: 'Vercel',
        categories: ['dev-tools'],
        logo: { color: '#000000' },
        docs: 'https://vercel.com/docs/rest-api',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'Access token',
                doc_section: 'https://vercel.com/account/tokens',
                description: 'Created under Account Settings → Tokens',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.vercel.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/v2/user'] }
        }
    },
    okta: {
        display_name: 'Okta',
        categories: ['security'],
        logo: { color: '#007DC1' },
        docs: 'https://developer.okta.com/docs/reference/core-okta-api/',
        setup_guide_url: 'https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/',
        auth_mode: 'OAUTH2',
        connection_config: {
            subdomain: {
                title: 'Okta domain',
                description: 'The part before .okta.com in your Okta admin URL',
                example: 'acme',
                pattern: '^[a-zA-Z0-9-]+$',
                prefix: 'https://',
                suffix: '.okta.com'
            }
        },
        oauth: {
            authorization_url: 'https://${connectionConfig.subdomain}.okta.com/oauth2/v1/authorize',
            token_url: 'https://${connectionConfig.subdomain}.okta.com/oauth2/v1/token',
            default_scopes: ['offline_access']
        },
        proxy: {
            base_url: 'https://${connectionConfig.subdomain}.okta.com',
            retry: { at: ['x-rate-limit-reset'], remaining: 'x-rate-limit-remaining' },
            paginate: {
                type: 'link',
                link_rel_in_response_header: 'next',
                limit_name_in_request: 'limit'
            }
        }
    },
    figma: {
        display_name: 'Figma',
        categories: ['design'],
        logo: { color: '#F24E1E' },
        docs: 'https://developers.figma.com/docs/rest-api/',
        setup_guide_url: 'https://developers.figma.com/docs/rest-api/authentication/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://www.figma.com/oauth',
            token_url: 'https://api.figma.com/v1/oauth/token',
            refresh_url: 'https://api.figma.com/v1/oauth/refresh',
            token_request_auth_method: 'basic',
            pkce: false
        },
        proxy: {
            base_url: 'https://api.figma.com',
            retry: { after: ['retry-after'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
