import path from 'node:path';
import { build } from 'esbuild';
import { type Served, serveFetch } from './serve-fetch.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A developer's app on its own origin, embedding Spoke three ways: our frontend SDK (loaded from
 * the platform, as a customer would), and the official @nangohq/frontend's `openConnectUI` and
 * headless `auth()`. Each page records what the SDK reports in `window.events` / `window.result`.
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
        switch (url.pathname) {
            case '/spoke':
                return page(`<script type="module">
import Spoke from ${JSON.stringify(`${platformUrl}/sdk/spoke-frontend.js`)};
window.events = [];
document.getElementById('go').onclick = () => new Spoke({ host: ${host}, connectSessionToken: ${token} }).openConnectUI({ onEvent: (e) => window.events.push(e) });
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
