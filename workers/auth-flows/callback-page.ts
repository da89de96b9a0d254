import { callbackPageStrings } from './callback-page-strings.js';

/**
 * The page the OAuth popup ends on. It hands the result to the Connect UI that opened it (a
 * postMessage to the opener, restricted to this origin, and a BroadcastChannel for when the
 * provider severed the opener), repeats it until acknowledged, then closes. A failure stays on
 * screen with the provider's explanation. The frontend SDK's `auth()` gets the same result over
 * its WebSocket instead.
 */
export type CallbackResult =
    | { ok: true; providerConfigKey: string; connectionId: string }
    | { ok: false; errorType: string; message: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside <script>: keep the parser from seeing "</script>" or line separators.
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function callbackPage(result: CallbackResult): Response {
    const nonce = crypto.randomUUID().replace(/-/g, '');
    const message = result.ok
        ? { type: 'nango_oauth_callback_success', payload: { providerConfigKey: result.providerConfigKey, connectionId: result.connectionId, isPending: false } }
        : { type: 'nango_oauth_callback_error', payload: { errorType: result.errorType, message: result.message } };
    const text = callbackPageStrings;
    const title = escapeHtml(result.ok ? text.connectedTitle : text.failedTitle);
    const body = result.ok
        ? `<p>${escapeHtml(text.connectedBody)}</p>`
        : `<p>${escapeHtml(result.message)}</p><p class="code">${escapeHtml(result.errorType)}</p><button type="button" id="close">${escapeHtml(text.closeWindow)}</button>`;
    const html = `<!doctype html>
<html lang="${text.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
main { max-width: 26rem; padding: 2rem; text-align: center; }
h1 { font-size: 1.25rem; margin: 0 0 .75rem; }
p { line-height: 1.5; opacity: .85; overflow-wrap: anywhere; }
.code { font-family: ui-monospace, monospace; font-size: .85rem; opacity: .6; }
button { font: inherit; padding: .5rem 1rem; border-radius: .5rem; border: 1px solid currentColor; background: none; color: inherit; cursor: pointer; }
</style>
</head>
<body>
<main role="${result.ok ? 'status' : 'alert'}"><h1>${title}</h1>${body}</main>
<script nonce="${nonce}">
(function () {
  var message = ${scriptJson(message)};
  var origin = window.location.origin;
  var acknowledged = false;
  var channel = 'BroadcastChannel' in window ? new BroadcastChannel('nango-oauth-callback') : null;
  function finish() { acknowledged = true; if (channel) channel.close(); window.close(); }
  function isAck(data) { return data && data.type === 'nango_oauth_callback_ack'; }
  if (channel) channel.onmessage = function (e) { if (isAck(e.data)) finish(); };
  window.addEventListener('message', function (e) { if (e.origin === origin && isAck(e.data)) finish(); });
  function send() {
    if (acknowledged) return;
    try { if (window.opener) window.opener.postMessage(message, origin); } catch (e) {}
    if (channel) channel.postMessage(message);
  }
  send();
  var repeats = setInterval(function () { send(); }, 250);
  setTimeout(function () { clearInterval(repeats); }, 5000);
  ${result.ok ? 'setTimeout(function () { window.close(); }, 1500);' : "document.getElementById('close').addEventListener('click', function () { window.close(); });"}
})();
</script>
</body>
</html>`;
    return new Response(html, {
        status: result.ok ? 200 : 400,
        headers: {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`,
            'referrer-policy': 'no-referrer',
            'x-content-type-options': 'nosniff'
        }
    });
}
