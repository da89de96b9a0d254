import type { ProviderEntry } from './index.js';

export const eCommerce = {
    shopify: {
        display_name: 'Shopify',
        categories: ['e-commerce', 'popular'],
        logo: { color: '#7AB55C' },
        docs: 'https://shopify.dev/docs/api/admin-graphql',
        setup_guide_url: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant',
        auth_mode: 'OAUTH2',
        connection_config: {
            subdomain: {
                title: 'Shop name',
                description: 'The part before .myshopify.com in your store’s admin URL',
                example: 'acme',
                pattern: '^[a-zA-Z0-9-]+$',
                prefix: 'https://',
                suffix: '.myshopify.com'
            }
        },
        oauth: {
            authorization_url: 'https://${connectionConfig.subdomain}.myshopify.com/admin/oauth/authorize',
            token_url: 'https://${connectionConfig.subdomain}.myshopify.com/admin/oauth/access_token',
            scope_separator: ',',
            // Asks for an expiring offline token, which comes with a refresh token.
            token_params: { expiring: '1' }
        },
        proxy: {
            base_url: 'https://${connectionConfig.subdomain}.myshopify.com',
            headers: { 'X-Shopify-Access-Token': '${accessToken}' },
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'link',
                link_rel_in_response_header: 'next',
                limit_name_in_request: 'limit'
            }
        },
        webhooks: {
            // Signed with the app's client secret; the shop header is always the *.myshopify.com domain.
            signature: { type: 'shopify' },
            secret: 'client_secret',
            event_type: [{ header: 'X-Shopify-Topic' }],
            delivery_id: [{ header: 'X-Shopify-Webhook-Id' }],
            routing: [{ from: { header: 'X-Shopify-Shop-Domain' }, match: 'connection_config.subdomain', strip_suffix: '.myshopify.com' }]
        }
    },
    woocommerce: {
        display_name: 'WooCommerce',
        categories: ['e-commerce'],
        logo: { color: '#96588A' },
        docs: 'https://woocommerce.github.io/woocommerce-rest-api-docs/',
        docs_connect: 'https://woocommerce.com/document/woocommerce-rest-api/',
        auth_mode: 'BASIC',
        connection_config: {
            hostname: {
                title: 'Store host',
                description: 'The host name of your WordPress site',
                example: 'shop.example.com',
                format: 'hostname',
                prefix: 'https://'
            }
        },
        credentials: {
            username: { title: 'Consumer key', example: 'ck_xxxxxxxx' },
            password: { title: 'Consumer secret', example: 'cs_xxxxxxxx', secret: true }
        },
        proxy: {
            base_url: 'https://${connectionConfig.hostname}',
            verification: { method: 'GET', endpoints: ['/wp-json/wc/v3/products'] },
            paginate: {
                type: 'link',
                link_rel_in_response_header: 'next',
                limit_name_in_request: 'per_page'
            }
        }
    },
    bigcommerce: {
        display_name: 'BigCommerce',
        categories: ['e-commerce'],
        logo: { color: '#121118' },
        docs: 'https://developer.bigcommerce.com/docs/rest-management',
        docs_connect: 'https://support.bigcommerce.com/s/article/Store-API-Accounts',
        auth_mode: 'API_KEY',
        connection_config: {
            storeHash: {
                title: 'Store hash',
                description: 'The code after /stores/ in your store’s API path',
                example: 'abc123xyz',
                pattern: '^[a-z0-9]+$'
            }
        },
        credentials: {
            apiKey: {
                title: 'Access token',
                description: 'From a store-level API account',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.bigcommerce.com/stores/${connectionConfig.storeHash}',
            headers: { 'X-Auth-Token': '${credentials.apiKey}', accept: 'application/json' },
            verification: { method: 'GET', endpoints: ['/v2/store'] }
        }
    },
    squarespace: {
        display_name: 'Squarespace',
        categories: ['e-commerce', 'cms'],
        logo: { color: '#000000' },
        docs: 'https://developers.squarespace.com/commerce-apis/overview',
        auth_mode: 'API_KEY',
        credentials: {
            apiKey: {
                title: 'API key',
                description: 'Created under Settings → Advanced → Developer API keys',
                secret: true
            }
        },
        proxy: {
            base_url: 'https://api.squarespace.com',
            headers: { authorization: 'Bearer ${credentials.apiKey}' },
            verification: { method: 'GET', endpoints: ['/1.0/authorization/website'] }
        }
    }
} satisfies Record<string, ProviderEntry>;
