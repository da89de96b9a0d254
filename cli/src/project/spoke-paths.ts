import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Spoke checkout the CLI runs from. The CLI is not a standalone package: function projects
 * are bundled against this checkout's SDK and, as a fallback, its node_modules.
 */
function findRoot(): string {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'functions-runtime', 'host-contract.ts'))) {
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`The spoke CLI must run from a Spoke checkout; none found above ${fileURLToPath(import.meta.url)}`);
        dir = parent;
    }
    return dir;
}

const root = findRoot();

export const spokePaths = {
    root,
    /** What `nango` and `@spoke/functions` resolve to in function code. */
    sdkEntry: join(root, 'functions-runtime', 'sdk', 'index.ts'),
    nodeModules: join(root, 'node_modules'),
    tsc: join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    templates: join(root, 'cli', 'templates')
};

/** The module names function code imports the SDK by: Nango's, so projects run unmodified, and Spoke's own. */
export const SDK_MODULES = ['nango', '@spoke/functions'] as const;
