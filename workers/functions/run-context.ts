import type { RunContext } from '../../functions-runtime/executor.js';

/** What a function run needs from the invocation that starts it (a request, a queue batch). */
export function runContext(env: Env, ctx: { waitUntil(work: Promise<unknown>): void; exports?: Cloudflare.Exports }, publicUrl?: string): RunContext {
    // The hosts are this Worker's own entrypoints, reached through ctx.exports (compatibility date 2025-09 or later).
    if (!ctx.exports) throw new Error('ctx.exports is unavailable: check the compatibility date in wrangler.jsonc');
    return { env, exports: ctx.exports, waitUntil: (work) => ctx.waitUntil(work), ...(publicUrl && { publicUrl }) };
}
