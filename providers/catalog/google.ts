import type { ProviderEntry } from './index.js';

// Without access_type=offline Google returns no refresh token, and without prompt=consent it
// returns one only on the first grant, so a reconnect would lose it.
const googleOAuth = {
    authorization_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    token_url: 'https://oauth2.googleapis.com/token',
    authorization_params: { access_type: 'offline', prompt: 'consent' }
} satisfies NonNullable<ProviderEntry['oauth']>;

const setupGuide = 'https://developers.google.com/identity/protocols/oauth2/web-server';
// One Google token serves all of Google's API hosts (sheets., drive., gmail.…), which functions reach with baseUrlOverride.
const googleApiHosts = ['*.googleapis.com'];

export const google = {
    google: {
        display_name: 'Google',
        categories: ['productivity'],
        logo: { color: '#4285F4' },
        docs: 'https://developers.google.com/identity/protocols/oauth2',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: googleOAuth,
        proxy: {
            base_url: 'https://www.googleapis.com',
            api_hosts: googleApiHosts,
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'nextPageToken',
                cursor_name_in_request: 'pageToken'
            }
        }
    },
    'google-calendar': {
        display_name: 'Google Calendar',
        categories: ['calendar', 'productivity', 'popular'],
        logo: { color: '#4285F4' },
        docs: 'https://developers.google.com/calendar/api',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: googleOAuth,
        proxy: {
            base_url: 'https://www.googleapis.com',
            api_hosts: googleApiHosts,
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'nextPageToken',
                cursor_name_in_request: 'pageToken',
                limit_name_in_request: 'maxResults',
                response_path: 'items'
            }
        }
    },
    'google-drive': {
        display_name: 'Google Drive',
        categories: ['file-storage', 'popular'],
        logo: { color: '#4285F4' },
        docs: 'https://developers.google.com/drive/api',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: googleOAuth,
        proxy: {
            base_url: 'https://www.googleapis.com',
            api_hosts: googleApiHosts,
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'nextPageToken',
                cursor_name_in_request: 'pageToken',
                limit_name_in_request: 'pageSize',
                response_path: 'files'
            }
        }
    },
    'google-sheet': {
        display_name: 'Google Sheets',
        categories: ['productivity', 'popular'],
        logo: { color: '#34A853' },
        docs: 'https://developers.google.com/sheets/api',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: googleOAuth,
        proxy: {
            base_url: 'https://sheets.googleapis.com',
            api_hosts: googleApiHosts
        }
    },
    'google-mail': {
        display_name: 'Gmail',
        categories: ['communication', 'popular'],
        logo: { color: '#EA4335' },
        docs: 'https://developers.google.com/gmail/api',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: googleOAuth,
        proxy: {
            base_url: 'https://gmail.googleapis.com',
            api_hosts: googleApiHosts,
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'nextPageToken',
                cursor_name_in_request: 'pageToken',
                limit_name_in_request: 'maxResults'
            }
        }
    },
    youtube: {
        display_name: 'YouTube',
        categories: ['social', 'video'],
        logo: { color: '#FF0000' },
        docs: 'https://developers.google.com/youtube/v3',
        setup_guide_url: setupGuide,
        auth_mode: 'OAUTH2',
        oauth: googleOAuth,
        proxy: {
            base_url: 'https://www.googleapis.com',
            api_hosts: googleApiHosts,
            paginate: {
                type: 'cursor',
                cursor_path_in_response: 'nextPageToken',
                cursor_name_in_request: 'pageToken',
                limit_name_in_request: 'maxResults',
                response_path: 'items'
            }
        }
    }
} satisfies Record<string, ProviderEntry>;
