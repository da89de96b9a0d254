import { SANDBOX_RUNTIME } from './dist/sandbox-runtime.js';

// Must not be newer than the workerd that runs it (see wrangler.jsonc; `spoke dryrun` runs the one in node_modules).
export const SANDBOX_COMPATIBILITY_DATE = '2026-10-20';

/** Identifies the runtime, so a platform update starts fresh isolates instead of reusing ones with the old runtime. */
export const SANDBOX_RUNTIME_ID = fnv1a(SANDBOX_RUNTIME);

/** A function's isolate as a worker loader takes it: the sandbox runtime and the bundle, no bindings, no network. */
export interface SandboxWorker {
    compatibilityDate: string;
    compatibilityFlags: string[];
    mainModule: string;
    modules: Record<string, string>;
    globalOutbound: null;
    env: Record<string, never>;
}

/** The isolate the platform and `spoke dryrun` both load a bundle into. */
export function sandboxWorker(code: string): SandboxWorker {
    return {
        compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
        compatibilityFlags: ['nodejs_compat'],
        mainModule: 'runtime.js',
        modules: { 'runtime.js': SANDBOX_RUNTIME, 'function.js': code },
        globalOutbound: null,
        env: {}
    };
}

function fnv1a(text: string): string {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0).toString(16);
}
