import type { BrowserPlatform } from './browser-platform.js';
import { configureGithub, configureOauth1 } from './fake-signing-providers.js';
import { fakeGithubProvider, fakeOauth1Provider } from './fake-upstreams.js';
import { type Served, serveFetch } from './serve-fetch.js';

/**
 * The signing fakes (fake-signing-providers.ts) on real local HTTP for the browser tests, each
 * with a provider shaped as its catalog entry (netsuite-tba, trello, github-app) and an integration
 * in the test file's environment. Each fake gets a scenario of its own, derived from the file's.
 */
export interface ServedFake extends Served {
    /** The scenario's root on the fake, as the provider's URLs use it. */
    base: string;
    scenario: string;
}

async function serve(handler: (request: Request) => Promise<Response>, scenario: string): Promise<ServedFake> {
    const served = await serveFetch(handler);
    return { ...served, base: `${served.url}/${scenario}`, scenario };
}

/** A NetSuite account, its TBA token and the integration's consumer: the token is checked with HMAC-SHA256 and realm = the account id. */
export const NETSUITE = { accountId: '1234567_sb1', realm: '1234567_SB1', tokenId: 'ns-token-id', tokenSecret: 'ns-token-secret', consumerKey: 'ns-consumer', consumerSecret: 'ns-consumer-secret' };

/** A fake NetSuite, and a TBA integration `key` whose verification call it checks. */
export async function addFakeNetsuite(platform: BrowserPlatform, key: string): Promise<ServedFake> {
    const fake = await serve(fakeOauth1Provider, `${platform.scenario}-netsuite`);
    configureOauth1(fake.scenario, {
        consumerKey: NETSUITE.consumerKey,
        consumerSecret: NETSUITE.consumerSecret,
        signatureMethod: 'HMAC-SHA256',
        realm: NETSUITE.realm,
        accessTokens: { [NETSUITE.tokenId]: NETSUITE.tokenSecret }
    });
    await platform.api('POST', '/providers', {
        name: `${key}-provider`,
        display_name: 'Fake NetSuite',
        categories: ['erp'],
        docs: 'https://docs.example.com/netsuite',
        auth_mode: 'TBA',
        connection_config: { accountId: { title: 'Account ID', example: '1234567_SB1', pattern: '^[A-Za-z0-9_-]+$' } },
        // The account id sits where NetSuite's host name has it, spelled as there.
        proxy: { base_url: `${fake.base}/\${connectionConfig.accountId}/record/v1`, verification: { method: 'GET', endpoints: ['/metadata-catalog'] } }
    });
    await platform.api('POST', '/integrations', {
        provider: `${key}-provider`,
        unique_key: key,
        credentials: { type: 'TBA', client_id: NETSUITE.consumerKey, client_secret: NETSUITE.consumerSecret }
    });
    return fake;
}

/** A fake Trello (OAuth 1.0a, HMAC-SHA1), and an OAUTH1 integration `key` with its consumer. */
export async function addFakeTrello(platform: BrowserPlatform, key: string): Promise<ServedFake> {
    const consumer = { key: 'trello-key', secret: 'trello-secret' };
    const fake = await serve(fakeOauth1Provider, `${platform.scenario}-trello`);
    configureOauth1(fake.scenario, { consumerKey: consumer.key, consumerSecret: consumer.secret, signatureMethod: 'HMAC-SHA1' });
    await platform.api('POST', '/providers', {
        name: `${key}-provider`,
        display_name: 'Fake Trello',
        categories: ['productivity'],
        docs: 'https://docs.example.com/trello',
        auth_mode: 'OAUTH1',
        oauth: {
            request_token_url: `${fake.base}/request_token`,
            authorization_url: `${fake.base}/authorize`,
            token_url: `${fake.base}/access_token`,
            authorization_params: { expiration: 'never' },
            default_scopes: ['read', 'write'],
            scope_separator: ','
        },
        proxy: { base_url: `${fake.base}/api` }
    });
    await platform.api('POST', '/integrations', { provider: `${key}-provider`, unique_key: key, credentials: { type: 'OAUTH1', client_id: consumer.key, client_secret: consumer.secret } });
    return fake;
}

export const GITHUB_APP = { appId: '424242', installationId: '777' };

/** A fake GitHub with an app whose setup URL is the platform's, and an APP integration `key` holding the app's key. */
export async function addFakeGithubApp(platform: BrowserPlatform, key: string): Promise<ServedFake> {
    const fake = await serve(fakeGithubProvider, `${platform.scenario}-github`);
    const { privateKey } = configureGithub(fake.scenario, { appId: GITHUB_APP.appId, installations: [GITHUB_APP.installationId], setupUrl: `${platform.host}/app-auth/connect` });
    await platform.api('POST', '/providers', {
        name: `${key}-provider`,
        display_name: 'Fake GitHub App',
        categories: ['dev-tools'],
        docs: 'https://docs.example.com/github',
        auth_mode: 'APP',
        connection_config: {
            appPublicLink: { title: 'App public link', automated: true, optional: true },
            installation_id: { title: 'Installation ID', automated: true, optional: true },
            app_id: { title: 'App ID', automated: true, optional: true }
        },
        oauth: { authorization_url: '${connectionConfig.appPublicLink}/installations/new', token_url: `${fake.base}/app/installations/\${connectionConfig.installation_id}/access_tokens` },
        proxy: { base_url: `${fake.base}/api` }
    });
    await platform.api('POST', '/integrations', {
        provider: `${key}-provider`,
        unique_key: key,
        credentials: { type: 'APP', app_id: GITHUB_APP.appId, app_link: `${fake.base}/apps/spoke-test`, private_key: privateKey }
    });
    return fake;
}
