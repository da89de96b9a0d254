import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { modelConflicts } from '../../../workers/functions/model-conflicts.js';
import { CliError, errorMessage } from '../cli/errors.js';
import { count, formatBytes, progress } from '../cli/output.js';
import { bundleFunctions, bundlePath } from './bundle.js';
import { creatorOf, type FunctionDefinition, readDefinition } from './definition.js';
import { discoverFunctions, type FunctionSource } from './discover.js';
import { functionConfig, type ManifestEntry } from './manifest.js';
import { typeCheck } from './typecheck.js';

/** The platform stores bundles of at most this many bytes. */
const MAX_BUNDLE_BYTES = 1_500_000;

export interface CompiledFunction {
    source: FunctionSource;
    /** The bundle's default export, as the sandbox receives it. */
    definition: unknown;
    /** The same, validated and typed. */
    parsed: FunctionDefinition;
    entry: ManifestEntry;
    bundleFile: string;
    size: number;
}

export interface CompileOptions {
    typecheck: boolean;
    /**
     * Compiles only what this keeps of the project's functions, for commands that work on one
     * function. The output folder is then updated rather than rebuilt, and has no manifest.
     */
    select?: (sources: FunctionSource[]) => FunctionSource[];
}

/**
 * Compiles a function project: finds its functions, type-checks it, bundles each function into
 * `dist/<integration>/<name>.mjs`, and loads each bundle to read and validate its definition.
 */
export async function compileProject(projectDir: string, options: CompileOptions): Promise<CompiledFunction[]> {
    const distDir = join(projectDir, 'dist');
    const all = await discoverFunctions(projectDir);
    const duplicates = duplicateNames(all);
    if (duplicates.length) throw problemsError(duplicates);
    const sources = options.select ? options.select(all) : all;
    if (!options.select) await rm(distDir, { recursive: true, force: true });
    if (options.typecheck) {
        progress('Type-checking…');
        await typeCheck(projectDir, distDir);
    }
    if (sources.length === 0) return [];
    progress(`Bundling ${count(sources.length, 'function')}…`);
    await bundleFunctions(projectDir, sources, distDir);
    const compiled: CompiledFunction[] = [];
    const problems: string[] = [];
    for (const source of sources) {
        const result = await loadFunction(source, join(distDir, bundlePath(source)));
        if ('problems' in result) problems.push(...result.problems.map((problem) => `${source.path}: ${problem}`));
        else compiled.push(result);
    }
    problems.push(...modelConflicts(compiled.map((c) => c.entry)).map((conflict) => conflict.message));
    if (problems.length) throw problemsError(problems);
    if (!options.select) await writeManifest(distDir, compiled);
    return compiled;
}

async function loadFunction(source: FunctionSource, bundleFile: string): Promise<CompiledFunction | { problems: string[] }> {
    const code = await readFile(bundleFile, 'utf8');
    const size = Buffer.byteLength(code);
    if (size > MAX_BUNDLE_BYTES) return { problems: [`the bundle is ${formatBytes(size)}; the platform accepts at most ${formatBytes(MAX_BUNDLE_BYTES)}. Import less (a whole SDK pulls everything in).`] };
    const hash = createHash('sha256').update(code).digest('hex');
    let definition: unknown;
    try {
        // The hash in the URL gives changed code a fresh module instead of Node's cached one.
        definition = ((await import(`${pathToFileURL(bundleFile).href}?${hash}`)) as { default?: unknown }).default;
    } catch (error) {
        return { problems: [`loading it failed: ${errorMessage(error)}`] };
    }
    const read = readDefinition(definition);
    if ('problems' in read) return read;
    const parsed = read.definition;
    if (source.folderType && source.folderType !== parsed.type) {
        return { problems: [`it is in a folder of ${creatorOf(source.folderType)}(...) functions but calls ${creatorOf(parsed.type)}(...)`] };
    }
    let built: ReturnType<typeof functionConfig>;
    try {
        built = functionConfig(source.name, parsed);
    } catch (error) {
        return { problems: [`its schemas cannot be turned into JSON Schema: ${errorMessage(error)}`] };
    }
    if (built.problems.length) return { problems: built.problems };
    const entry: ManifestEntry = { integration: source.integration, name: source.name, type: parsed.type, bundle: code, bundle_hash: hash, config: built.config };
    return { source, definition, parsed, entry, bundleFile, size };
}

function duplicateNames(sources: FunctionSource[]): string[] {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const source of sources) {
        const key = `${source.integration}/${source.name}`;
        const other = seen.get(key);
        if (other) problems.push(`${other} and ${source.path} both define ${source.integration}/${source.name}; function names are unique within an integration`);
        else seen.set(key, source.path);
    }
    return problems;
}

/** dist/manifest.json: what a deployment of this build would contain, bundles referenced by file. */
async function writeManifest(distDir: string, compiled: CompiledFunction[]): Promise<void> {
    const functions = compiled.map(({ entry }) => {
        const { bundle: _, ...rest } = entry;
        return { ...rest, bundle_file: bundlePath(entry) };
    });
    await writeFile(join(distDir, 'manifest.json'), `${JSON.stringify({ functions }, null, 2)}\n`);
}

function problemsError(problems: string[]): CliError {
    return new CliError(`The project has ${count(problems.length, 'problem')}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
}
