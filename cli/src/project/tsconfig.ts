import { join } from 'node:path';
import { spokePaths, SDK_MODULES } from './spoke-paths.js';

/**
 * Compiler options under which function code type-checks: `nango` and `@spoke/functions` are
 * Spoke's SDK, and zod and Node's types come from the project when it has installed them, else
 * from Spoke's own node_modules, so a fresh project type-checks before `npm install`.
 * `projectDir` is how the config file refers to the project: "." beside it, or an absolute path.
 */
export function functionsCompilerOptions(projectDir: string): Record<string, unknown> {
    const sdk = [spokePaths.sdkEntry];
    return {
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2023'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        types: ['node'],
        typeRoots: [`${projectDir}/node_modules/@types`, join(spokePaths.nodeModules, '@types')],
        paths: {
            ...Object.fromEntries(SDK_MODULES.map((name) => [name, sdk])),
            zod: [`${projectDir}/node_modules/zod`, join(spokePaths.nodeModules, 'zod')]
        }
    };
}

/** Test fixtures and build output are not function code. */
export const EXCLUDED_FROM_TYPECHECK = ['node_modules', 'dist', '**/tests/**', '**/*.test.ts'];
