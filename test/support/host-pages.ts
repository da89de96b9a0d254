import path from 'node:path';
import { build } from 'esbuild';
import { type Served, serveFetch } from './serve-fetch.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A developer's app on its own origin, embedding Spoke with our frontend SDK (loaded from the
 * platform, as a customer would) and with the official @nangohq/frontend, each through
 * `openConnectUI` and headless `auth()`. Each page records what the SDK reports in
 * `window.events` / `window.result`. `/attacker` is a page of another origin trying to talk to
 * both sides of the embedding: served by the same server, it is reached as `localhost` instead
 * of `127.0.0.1`.
 */
export async function serveHostPages(platformUrl: string): Promise<Served> {
    const bundle = await build({
        entryPoints: [path.join(root, 'node_modules/@nangohq/frontend/dist/index.js')],
        bundle: true,
        format: 'iife',
        globalName: 'NangoFrontend',
        platform: 'browser',
        write: false
    });
    const nangoFrontend = bundle.outputFiles[0]!.text;
    const page = (script: string) =>
        new Response(`<!doctype html><html><head><meta charset="utf-8"><title>Host app</title></head><body><h1>Host app</h1><button id="go">Connect an account</button>${script}</body></html>`, {
            headers: { 'content-type': 'text/html' }
        });
    return serveFetch((request) => {
        const url = new URL(request.url);
        const token = JSON.stringify(url.searchParams.get('token') ?? '');
        const host = JSON.stringify(platformUrl);
        const spokeSdk = JSON.stringify(`${platformUrl}/sdk/spoke-frontend.js`);
        switch (url.pathname) {
            case '/spoke':
                return page(`<script type="module">
import Spoke from ${spokeSdk};
window.events = [];
document.getElementById('go').onclick = () => new Spoke({ host: ${host}, connectSessionToken: ${token} }).openConnectUI({ onEvent: (e) => window.events.push(e) });
</script>`);
            case '/spoke-deferred':
                // The token comes later, from `window.sendToken()`; `window.addFrame(url)` adds an iframe of another origin.
                return page(`<script type="module">
import Spoke from ${spokeSdk};
window.events = [];
let ui;
document.getElementById('go').onclick = () => { ui = new Spoke({ host: ${host} }).openConnectUI({ onEvent: (e) => window.events.push(e) }); };
window.sendToken = () => ui.setSessionToken(${token});
window.addFrame = (src) => document.body.append(Object.assign(document.createElement('iframe'), { src }));
</script>`);
            case '/spoke-headless':
                // `options` is auth()'s second argument, as JSON.
                return page(`<script type="module">
import Spoke, { AuthError } from ${spokeSdk};
document.getElementById('go').onclick = () => new Spoke({ host: ${host}, connectSessionToken: ${token} })
  .auth(${JSON.stringify(url.searchParams.get('integration') ?? '')}, ${JSON.stringify(JSON.parse(url.searchParams.get('options') ?? '{}'))})
  .then((r) => { window.result = r; }, (e) => { window.result = { error: e.type, name: e.name, message: e.message, isAuthError: e instanceof AuthError }; });
</script>`);
            case '/attacker':
                // Offers the session token to every frame of its parent and forges a `connect` event for the parent, over and over.
                return page(`<script>
window.posts = 0;
setInterval(() => {
  for (let i = 0; i < parent.frames.length; i++) parent.frames[i].postMessage({ type: 'session_token', sessionToken: ${token} }, '*');
  parent.postMessage({ type: 'connect', payload: { providerConfigKey: 'acme', connectionId: 'forged', isPending: false } }, '*');
  window.posts++;
}, 100);
</script>`);
            case '/nango':
                return page(`<script src="/nango-frontend.js"></script><script>
window.events = [];
document.getElementById('go').onclick = () => new NangoFrontend.default({ host: ${host}, connectSessionToken: ${token} })
  .openConnectUI({ baseURL: ${JSON.stringify(`${platformUrl}/connect`)}, apiURL: ${host}, onEvent: (e) => window.events.push(e) });
</script>`);
            case '/nango-headless':
                return page(`<script src="/nango-frontend.js"></script><script>
document.getElementById('go').onclick = () => new NangoFrontend.default({ host: ${host}, connectSessionToken: ${token} })
  .auth(${JSON.stringify(url.searchParams.get('integration') ?? '')})
  .then((r) => { window.result = r; }, (e) => { window.result = { error: e.type, message: e.message }; });
</script>`);
            case '/nango-frontend.js':
                return new Response(nangoFrontend, { headers: { 'content-type': 'text/javascript' } });
            default:
                return new Response('not found', { status: 404 });
        }
    });
}
