import { HOST_METHODS } from '../../../functions-runtime/host/host-methods.js';

/**
 * The local workerd's only Worker, for `spoke dryrun`. `POST /run` `{worker, invocation}` loads the
 * function's isolate through a worker loader, as the platform does (no bindings, no network), and
 * runs it with a host whose every method is a call to the CLI process (the `HOST` service binding):
 * `POST /<method>` with the arguments, answered `{value}` or, with an error status, `{message}`.
 * Encoding as in host-wire.ts.
 */
export const BRIDGE_WORKER = `
import { RpcTarget } from 'cloudflare:workers';

const BYTES = '$bytes';
function base64(bytes) {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
}
const encode = (value) => JSON.stringify(value, (key, item) =>
    item instanceof ArrayBuffer ? { [BYTES]: base64(new Uint8Array(item)) }
    : ArrayBuffer.isView(item) ? { [BYTES]: base64(new Uint8Array(item.buffer, item.byteOffset, item.byteLength)) }
    : item);
const decode = (text) => JSON.parse(text, (key, item) =>
    item !== null && typeof item === 'object' && typeof item[BYTES] === 'string' && Object.keys(item).length === 1
        ? Uint8Array.from(atob(item[BYTES]), (c) => c.charCodeAt(0)).buffer
        : item);

class Host extends RpcTarget {
    constructor(binding) {
        super();
        this.binding = binding;
    }
}
for (const method of ${JSON.stringify(Object.keys(HOST_METHODS))}) {
    Host.prototype[method] = async function (...args) {
        const response = await this.binding.fetch('http://host/' + method, { method: 'POST', body: encode(args) });
        const answer = decode(await response.text());
        if (!response.ok) throw new Error(answer.message);
        return answer.value;
    };
}

export default {
    async fetch(request, env) {
        const { worker, invocation } = await request.json();
        const sandbox = env.LOADER.get('function', () => worker).getEntrypoint();
        try {
            return Response.json(await sandbox.run(new Host(env.HOST), invocation));
        } catch (error) {
            // The isolate itself failed (the bundle doesn't load…), as the platform reports it.
            return Response.json({ ok: false, error: { type: 'runtime_error', message: error instanceof Error ? error.message : String(error) } });
        }
    }
};
`;
