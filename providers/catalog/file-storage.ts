import type { ProviderEntry } from './index.js';

export const fileStorage = {
    dropbox: {
        display_name: 'Dropbox',
        categories: ['file-storage', 'popular'],
        logo: { color: '#0061FF' },
        docs: 'https://www.dropbox.com/developers/documentation/http/documentation',
        setup_guide_url: 'https://developers.dropbox.com/oauth-guide',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://www.dropbox.com/oauth2/authorize',
            token_url: 'https://api.dropboxapi.com/oauth2/token',
            // Without token_access_type=offline Dropbox issues short-lived tokens and no refresh token.
            authorization_params: { token_access_type: 'offline' }
        },
        proxy: {
            base_url: 'https://api.dropboxapi.com',
            retry: { after: ['retry-after'] }
        }
    },
    box: {
        display_name: 'Box',
        categories: ['file-storage'],
        logo: { color: '#0061D5' },
        docs: 'https://developer.box.com/reference/',
        setup_guide_url: 'https://developer.box.com/guides/authentication/oauth2/',
        auth_mode: 'OAUTH2',
        oauth: {
            authorization_url: 'https://account.box.com/api/oauth2/authorize',
            token_url: 'https://api.box.com/oauth2/token'
        },
        proxy: {
            base_url: 'https://api.box.com',
            retry: { after: ['retry-after'] },
            paginate: {
                type: 'offset',
                offset_name_in_request: 'offset',
                limit_name_in_request: 'limit',
                response_path: 'entries'
            }
        }
    }
} satisfies Record<string, ProviderEntry>;
