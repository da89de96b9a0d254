import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { CliError } from '../cli/errors.js';
import { warn } from '../cli/output.js';

export type FunctionType = 'sync' | 'action' | 'on-event';

/** The folder of each function type inside an integration folder. */
const TYPE_FOLDERS: Record<string, FunctionType> = { syncs: 'sync', actions: 'action', 'on-events': 'on-event' };

export interface FunctionSource {
    /** The integration's unique key: the first folder of the file's path. */
    integration: string;
    /** The file's name without extension. */
    name: string;
    file: string;
    /** Relative to the project, with forward slashes, for messages. */
    path: string;
    /** What the folder says the file defines, when it is in a syncs/, actions/ or on-events/ folder. */
    folderType: FunctionType | undefined;
}

// Folders of a project that never hold integrations.
const NOT_INTEGRATIONS = new Set(['node_modules', 'dist', 'tests', 'build']);

/**
 * The project's functions: every `<integration>/{syncs,actions,on-events}/*.ts`, plus whatever
 * `index.ts` imports (Nango's zero-yaml layout lists every function there).
 */
export async function discoverFunctions(projectDir: string): Promise<FunctionSource[]> {
    if (!existsSync(projectDir) || !statSync(projectDir).isDirectory()) throw new CliError(`${projectDir} is not a directory`);
    const byFile = new Map<string, FunctionSource>();
    for (const file of await functionFolderFiles(projectDir)) byFile.set(file, source(projectDir, file));
    const indexImports = await indexImportedFiles(projectDir);
    if (indexImports) {
        for (const file of indexImports) if (!byFile.has(file)) byFile.set(file, source(projectDir, file));
        for (const found of byFile.values()) if (!indexImports.includes(found.file)) warn(`${found.path} is not imported by index.ts; it is compiled anyway`);
    }
    const sources = [...byFile.values()].sort((a, b) => a.path.localeCompare(b.path));
    if (sources.length === 0) throw new CliError(`No functions in ${projectDir}: expected files like <integration>/syncs/<name>.ts, <integration>/actions/<name>.ts or <integration>/on-events/<name>.ts`);
    return sources;
}

async function functionFolderFiles(projectDir: string): Promise<string[]> {
    const files: string[] = [];
    for (const integration of await readdir(projectDir, { withFileTypes: true })) {
        if (!integration.isDirectory() || integration.name.startsWith('.') || NOT_INTEGRATIONS.has(integration.name)) continue;
        for (const folder of Object.keys(TYPE_FOLDERS)) {
            const dir = join(projectDir, integration.name, folder);
            if (!existsSync(dir)) continue;
            for (const entry of await readdir(dir, { withFileTypes: true })) {
                if (entry.isFile() && isFunctionFile(entry.name)) files.push(join(dir, entry.name));
            }
        }
    }
    return files;
}

function isFunctionFile(name: string): boolean {
    return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts');
}

/** The files `index.ts` imports, or undefined when the project has no index.ts. */
async function indexImportedFiles(projectDir: string): Promise<string[] | undefined> {
    const indexFile = join(projectDir, 'index.ts');
    if (!existsSync(indexFile)) return undefined;
    const code = await readFile(indexFile, 'utf8');
    const files: string[] = [];
    for (const match of code.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
        const specifier = match[1]!;
        const file = resolveImport(projectDir, specifier);
        if (!file) throw new CliError(`index.ts imports "${specifier}", which does not exist`);
        const path = relative(projectDir, file);
        if (path.startsWith('..') || !path.includes(sep)) {
            throw new CliError(`index.ts imports "${specifier}": function files live in an integration folder, e.g. ./github/syncs/issues.ts`);
        }
        files.push(file);
    }
    return files;
}

function resolveImport(projectDir: string, specifier: string): string | undefined {
    const base = resolve(projectDir, specifier);
    const withoutJs = extname(base) === '.js' ? base.slice(0, -3) : base;
    return [base, `${withoutJs}.ts`, join(base, 'index.ts')].find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
}

function source(projectDir: string, file: string): FunctionSource {
    const path = relative(projectDir, file).split(sep).join('/');
    const [integration, folder] = path.split('/');
    return {
        integration: integration!,
        name: basename(file, '.ts'),
        file,
        path,
        folderType: folder !== undefined && Object.hasOwn(TYPE_FOLDERS, folder) ? TYPE_FOLDERS[folder] : undefined
    };
}
