import type { ProviderEntry } from './index.js';

export const social = {
    linkedin: {
        display_name: 'LinkedIn',
        categories: ['social', 'marketing'],
        logo: { color: '#0A66C2' },
        docs: 'https://learn.microsoft.com/en-us/linkedin/',
        setup_guide_url: 'https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://www.linkedin.com/oauth/v2/authorization',
            token_url: 'https://www.linkedin.com/oauth/v2/accessToken'
        },
        proxy: {
            base_url: 'https://api.linkedin.com'
        }
    },
    'twitter-v2': {
        display_name: 'X (Twitter)',
        categories: ['social'],
        logo: { color: '#000000' },
        docs: 'https://docs.x.com/x-api/introduction',
        setup_guide_url: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://x.com/i/oauth2/authorize',
            token_url: 'https://api.x.com/2/oauth2/token',
            // Without offline.access X issues no refresh token.
            default_scopes: ['offline.access'],
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api.x.com',
            retry: { at: ['x-rate-limit-reset'], remaining: 'x-rate-limit-remaining' },
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'meta.next_token',
                cursor_name_in_request: 'pagination_token',
                limit_name_in_request: 'max_results',
                response_path: 'data'
            }
        }
    },
    facebook: {
        display_name: 'Facebook',
        categories: ['social', 'marketing'],
        logo: { color: '#0866FF' },
        docs: 'https://developers.facebook.com/docs/graph-api',
        setup_guide_url: 'https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://www.facebook.com/dialog/oauth',
            token_url: 'https://graph.facebook.com/oauth/access_token',
            scope_separator: ','
        },
        proxy: {
            base_url: 'https://graph.facebook.com',
            paginate: {
                type: 'link',
                link_path_in_response_body: 'paging.next',
                response_path: 'data',
                limit_name_in_request: 'limit'
            }
        }
    },
    instagram: {
        display_name: 'Instagram',
        categories: ['social', 'marketing'],
        logo: { color: '#FF0069' },
        docs: 'https://developers.facebook.com/docs/instagram-platform',
        setup_guide_url: 'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://www.instagram.com/oauth/authorize',
            token_url: 'https://api.instagram.com/oauth/access_token',
            default_scopes: ['instagram_business_basic'],
            scope_separator: ','
        },
        proxy: {
            base_url: 'https://graph.instagram.com',
            paginate: {
                type: 'link',
                link_path_in_response_body: 'paging.next',
                response_path: 'data',
                limit_name_in_request: 'limit'
            }
        }
    },
    reddit: {
        display_name: 'Reddit',
        categories: ['social'],
        logo: { color: '#FF4500' },
        docs: 'https://www.reddit.com/dev/api/',
        setup_guide_url: 'https://github.com/reddit-archive/reddit/wiki/OAuth2',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://www.reddit.com/api/v1/authorize',
            token_url: 'https://www.reddit.com/api/v1/access_token',
            // duration=permanent is what makes Reddit return a refresh token.
            authorization_params: { duration: 'permanent' },
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://oauth.reddit.com',
            retry: { after: ['x-ratelimit-reset'] },
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'data.after',
                cursor_name_in_request: 'after',
                limit_name_in_request: 'limit',
                response_path: 'data.children'
            }
        }
    },
    spotify: {
        display_name: 'Spotify',
        categories: ['social'],
        logo: { color: '#1ED760' },
        docs: 'https://developer.spotify.com/documentation/web-api',
        setup_guide_url: 'https://developer.spotify.com/documentation/web-api/tutorials/code-flow',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://accounts.spotify.com/authorize',
            token_url: 'https://accounts.spotify.com/api/token',
            token_request_auth_method: 'basic'
        },
        proxy: {
            base_url: 'https://api.spotify.com',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'link',
                link_path_in_response_body: 'next',
                response_path: 'items',
                limit_name_in_request: 'limit'
            }
        }
    }
} satisfies Record<string, ProviderEntry>;
