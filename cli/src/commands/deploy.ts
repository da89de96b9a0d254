import { defineCommand } from '../cli/command.js';
import { confirm } from '../cli/confirm.js';
import { CliError } from '../cli/errors.js';
import { count, err, formatBytes, out, print, progress } from '../cli/output.js';
import { type CompiledFunction, compileProject } from '../project/compile.js';
import { type Deployment, deploymentSchema, missingBundlesSchema, storedBundleSchema } from '../platform/api-types.js';
import { PlatformClient, PlatformError } from '../platform/client.js';
import { describeChanges, diffFunctions, hasChanges } from '../platform/deployment-diff.js';
import { resolveTarget } from '../platform/target.js';
import { DEFAULT_ENVIRONMENT, ENV_OPTION } from './environment-option.js';
import { PROJECT_DIR, projectDir } from './project-dir.js';

export const deployCommand = defineCommand({
    name: 'deploy',
    summary: 'Compile the project and make its functions the environment\'s deployed set.',
    details: [
        'A deployment replaces the environment\'s functions as a whole: functions missing from the project are removed, which asks for confirmation. Only bundles the platform does not have yet are uploaded. Every deployment is a version; --rollback re-activates an earlier one.'
    ],
    positionals: [PROJECT_DIR],
    options: {
        env: ENV_OPTION,
        message: { type: 'string', short: 'm', valueName: 'text', description: 'A note stored with the deployment' },
        rollback: { type: 'string', valueName: 'version', optionalValue: /^\d+$/, description: 'Re-activate a version instead of deploying (default: the one before the active one)' },
        yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation' }
    },
    async run({ positionals, options }) {
        const dir = projectDir(positionals[0]);
        const target = await resolveTarget(dir, options.env ?? DEFAULT_ENVIRONMENT);
        const client = new PlatformClient(target);
        if (options.rollback !== undefined) return rollback(client, target.environment, options.rollback === true ? undefined : Number(options.rollback), options.yes);
        const compiled = await compileProject(dir, { typecheck: true });
        return deploy(client, target.environment, compiled, options.message, options.yes);
    }
});

async function deploy(client: PlatformClient, environment: string, compiled: CompiledFunction[], message: string | undefined, yes: boolean): Promise<number> {
    const entries = compiled.map((c) => c.entry);
    const active = await activeDeployment(client);
    const changes = diffFunctions(active?.functions ?? [], entries);
    if (active && !hasChanges(changes)) {
        print(`Nothing to deploy: version ${active.version} of ${environment} already has these ${count(entries.length, 'function')}.`);
        return 0;
    }
    if (changes.removed.length > 0 && !yes) {
        for (const line of describeChanges({ added: [], updated: [], removed: changes.removed })) progress(line);
        const question = `Deploying removes ${count(changes.removed.length, 'function')} from ${environment}, and stops their schedules. Continue?`;
        if (!(await confirm(question, yes))) return cancelled();
    }
    await uploadMissingBundles(client, compiled);
    progress(`Deploying ${count(entries.length, 'function')} to ${environment}…`);
    const functions = entries.map(({ integration, name, type, bundle_hash, config }) => ({ integration, name, type, bundle_hash, config }));
    let deployment: Deployment;
    try {
        deployment = await client.post('/functions/deployments', { ...(message !== undefined && { message }), functions }, deploymentSchema);
    } catch (error) {
        throw error instanceof PlatformError ? namedFunctionErrors(error, functions) : error;
    }
    print(out.green(`Deployed version ${deployment.version} to ${environment}.`));
    for (const line of describeChanges(changes)) print(line);
    return 0;
}

async function uploadMissingBundles(client: PlatformClient, compiled: CompiledFunction[]): Promise<void> {
    const byHash = new Map(compiled.map((c) => [c.entry.bundle_hash, c]));
    const { missing } = await client.post('/functions/bundles/missing', { hashes: [...byHash.keys()] }, missingBundlesSchema);
    if (missing.length === 0) return;
    const bytes = missing.reduce((sum, hash) => sum + (byHash.get(hash)?.size ?? 0), 0);
    progress(`Uploading ${count(missing.length, 'bundle')} (${formatBytes(bytes)})…`);
    for (const hash of missing) {
        const bundled = byHash.get(hash);
        if (!bundled) throw new CliError(`The platform asked for bundle ${hash}, which this build did not produce`);
        await client.put(`/functions/bundles/${hash}`, bundled.entry.bundle, 'application/javascript', storedBundleSchema);
    }
}

async function rollback(client: PlatformClient, environment: string, version: number | undefined, yes: boolean): Promise<number> {
    const active = await activeDeployment(client);
    const destination = version === undefined ? `the version before ${active ? `version ${active.version}` : 'the active one'}` : `version ${version}`;
    if (!(await confirm(`Roll ${environment} back to ${destination}?`, yes))) return cancelled();
    const deployment = await client.post('/functions/deployments/rollback', version === undefined ? {} : { version }, deploymentSchema);
    print(out.green(`Version ${deployment.version} of ${environment} is active again${deployment.message ? ` (${deployment.message})` : ''}.`));
    for (const line of describeChanges(diffFunctions(active?.functions ?? [], deployment.functions))) print(line);
    return 0;
}

/**
 * Asked for by itself: after a rollback the active version can be older than the newest ones a
 * plain listing answers. A platform without `active` answers the newest 20, where it usually is.
 */
async function activeDeployment(client: PlatformClient): Promise<Deployment | undefined> {
    return (await client.get('/functions/deployments?active=true', deploymentSchema.array())).find((d) => d.active);
}

function cancelled(): number {
    progress(err.yellow('Cancelled; nothing changed.'));
    return 1;
}

/** The platform points at `functions.<index>…`; name the function instead. */
function namedFunctionErrors(error: PlatformError, functions: { integration: string; name: string }[]): PlatformError {
    if (error.fieldErrors.length === 0) return error;
    const lines = error.fieldErrors.map((field) => {
        const [root, index, ...rest] = field.path ?? [];
        const named = root === 'functions' && typeof index === 'number' && functions[index];
        const where = named ? `${named.integration}/${named.name}${rest.length ? ` ${rest.join('.')}` : ''}` : (field.path ?? []).join('.');
        return `\n  - ${where ? `${where}: ` : ''}${field.message}`;
    });
    return new PlatformError(`The platform refused the deployment (${error.code}):${lines.join('')}`, error.status, error.code, error.fieldErrors);
}
