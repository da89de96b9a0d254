import type { ProviderEntry } from './index.js';

const bamboohrSubdomain = {
    title: 'Company domain',
    description: 'The part before .bamboohr.com in your BambooHR URL',
    example: 'acme',
    pattern: '^[a-zA-Z0-9-]+$',
    prefix: 'https://',
    suffix: '.bamboohr.com'
} satisfies NonNullable<ProviderEntry['connection_config']>[string];

const gustoBase = {
    display_name: 'Gusto',
    categories: ['hr'],
    logo: { color: '#F45D48' },
    docs: 'https://docs.gusto.com/app-integrations/docs/introduction',
    auth_mode: 'OAUTH2'
} satisfies Partial<ProviderEntry>;

export const hrAndRecruiting = {
    workday: {
        display_name: 'Workday',
        categories: ['hr', 'erp'],
        logo: { color: '#0875E1' },
        docs: 'https://community.workday.com/sites/default/files/file-hosting/productionapi/index.html',
        auth_mode: 'BASIC',
        connection_config: {
            hostname: {
                title: 'Web services host',
                description: 'The host of your tenant’s web services endpoint',
                example: 'wd2-impl-services1.workday.com',
                format: 'hostname'
            },
            tenant: {
                title: 'Tenant',
                description: 'Your Workday tenant name',
                example: 'acme'
            }
        },
        credentials: {
            username: {
                title: 'Integration system user',
                description: 'The user name, usually in the form user@tenant',
                example: 'isu_spoke@acme'
            },
            password: { title: 'Password', secret: true }
        },
        proxy: {
            base_url: 'https://${connectionConfig.hostname}/ccx/service/${connectionConfig.tenant}'
        }
    },
    greenhouse: {
        display_name: 'Greenhouse',
        categories: ['ats'],
        logo: { color: '#24A47F' },
        docs: 'https://developers.greenhouse.io/harvest.html',
        auth_mode: 'BASIC',
        credentials: {
            username: {
                title: 'Harvest API key',
                description: 'Created by a Greenhouse admin under Configure → Dev Center → API Credential Management',
                secret: true
            },
            // Harvest takes the API key as the Basic user name with a blank password.
            password: { title: 'Password', hidden: true, optional: true, default_value: '' }
        },
        proxy: {
            base_url: 'https://harvest.greenhouse.io',
            paginate: {
                type: 'link',
                link_rel_in_response_header: 'next',
                limit_name_in_request: 'per_page'
            }
        }
    },
    bamboohr: {
        display_name: 'BambooHR',
        categories: ['hr'],
        logo: { color: '#73C41D' },
        docs: 'https://documentation.bamboohr.com/docs',
        setup_guide_url: 'https://documentation.bamboohr.com/docs/getting-started',
        auth_mode: 'OAUTH2',
        connection_config: { subdomain: bamboohrSubdomain },
        oauth: {
            authorization_url: 'https://${connectionConfig.subdomain}.bamboohr.com/authorize.php',
            token_url: 'https://${connectionConfig.subdomain}.bamboohr.com/token.php?request=token',
            authorization_params: { request: 'authorize' },
            default_scopes: ['offline_access'],
            body_format: 'json'
        },
        proxy: {
            base_url: 'https://api.bamboohr.com/api/gateway.php/${connectionConfig.subdomain}'
        }
    },
    'bamboohr-basic': {
        display_name: 'BambooHR (API key)',
        categories: ['hr'],
        logo: { color: '#73C41D' },
        docs: 'https://documentation.bamboohr.com/docs',
        docs_connect: 'https://documentation.bamboohr.com/docs/getting-started',
        auth_mode: 'BASIC',
        connection_config: { subdomain: bamboohrSubdomain },
        credentials: {
            username: {
                title: 'API key',
                description: 'Created from your profile menu → API Keys',
                secret: true
            },
            // BambooHR ignores the password when the user name is an API key; its docs use "x".
            password: { title: 'Password', hidden: true, default_value: 'x' }
        },
        proxy: {
            base_url: 'https://api.bamboohr.com/api/gateway.php/${connectionConfig.subdomain}',
            headers: { accept: 'application/json' },
            verification: { method: 'GET', endpoints: ['/v1/meta/fields'] }
        }
    },
    gusto: {
        ...gustoBase,
        oauth: {
            authorization_url: 'https://api.gusto.com/oauth/authorize',
            token_url: 'https://api.gusto.com/oauth/token'
        },
        proxy: {
            base_url: 'https://api.gusto.com'
        }
    },
    'gusto-demo': {
        ...gustoBase,
        display_name: 'Gusto (demo)',
        oauth: {
            authorization_url: 'https://api.gusto-demo.com/oauth/authorize',
            token_url: 'https://api.gusto-demo.com/oauth/token'
        },
        proxy: {
            base_url: 'https://api.gusto-demo.com'
        }
    },
    deel: {
        display_name: 'Deel',
        categories: ['hr'],
        logo: { color: '#15357A' },
        docs: 'https://developer.deel.com/',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'API token',
                description: 'An API token from the Deel Developer Center',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.letsdeel.com/rest/v2',
            headers: { authorization: 'Bearer ${credentials.apiKey}' }
        }
    },
    personio: {
        display_name: 'Personio',
        categories: ['hr'],
        logo: { color: '#000000' },
        docs: 'https://developer.personio.de/',
        auth_mode: 'OAUTH2_CC',
        credentials: {
            client_id: { title: 'Client ID', description: 'Created under Settings → Integrations → API credentials' },
            client_secret: { title: 'Client secret', secret: true }
        },
        oauth: {
            token_url: 'https://api.personio.de/v2/auth/token'
        },
        proxy: {
            base_url: 'https://api.personio.de'
        }
    },
    lever: {
        display_name: 'Lever',
        categories: ['ats'],
        logo: { color: '#1D1E1F' },
        docs: 'https://hire.lever.co/developer/documentation',
        setup_guide_url: 'https://hire.lever.co/developer/oauth',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://auth.lever.co/authorize',
            token_url: 'https://auth.lever.co/oauth/token',
            authorization_params: { audience: 'https://api.lever.co/v1/' },
            default_scopes: ['offline_access']
        },
        proxy: {
            base_url: 'https://api.lever.co/v1',
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'next',
                cursor_name_in_request: 'offset',
                limit_name_in_request: 'limit',
                response_path: 'data'
            }
        }
    },
    ashby: {
        display_name: 'Ashby',
        categories: ['ats'],
        logo: { color: '#5B4BDB' },
        docs: 'https://developers.ashbyhq.com/',
        auth_mode: 'BASIC',
        credentials: {
            username: {
                title: 'API key',
                description: 'Created by an admin under Admin → Integrations → API Keys',
                secret: true
            },
            password: { title: 'Password', hidden: true, optional: true, default_value: '' }
        },
        proxy: {
            base_url: 'https://api.ashbyhq.com',
            verification: { method: 'POST', endpoints: ['/apiKey.info'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
