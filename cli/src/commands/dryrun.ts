import type { Checkpoint } from '../../../functions-runtime/host-contract.js';
import { defineCommand } from '../cli/command.js';
import { CliError } from '../cli/errors.js';
import { progress } from '../cli/output.js';
import { runLocalDryrun } from '../dryrun/local-dryrun.js';
import { compileProject } from '../project/compile.js';
import { oneFunctionNamed } from '../project/select.js';
import { dryrunSchema } from '../platform/api-types.js';
import { PlatformClient } from '../platform/client.js';
import { printDryrunReport } from '../platform/dryrun-report.js';
import { resolveTarget } from '../platform/target.js';
import { DEFAULT_ENVIRONMENT, ENV_OPTION } from './environment-option.js';
import { jsonArgument, jsonObjectArgument } from './json-argument.js';
import { PROJECT_DIR, projectDir } from './project-dir.js';

export const dryrunCommand = defineCommand({
    name: 'dryrun',
    summary: 'Run one function against a real connection of a running platform, persisting nothing.',
    details: [
        'The function is compiled from the local project, so it need not be deployed. By default it runs here, in a local workerd isolate without network, as the platform would run it: its provider calls go through the platform\'s proxy (credentials are added there), and the connection, its records, the integration and environment variables are read from the platform\'s API with the secret key. With --remote it is sent to the platform and runs there (POST /functions/dryrun).',
        'Either way upstream calls are real; records, metadata and checkpoint changes, locks and sync triggers are reported instead of saved. See docs/functions.md, Dry runs.',
        'JSON values are given inline or as @file: --metadata @metadata.json.'
    ],
    positionals: [{ name: 'function', description: 'The function\'s name (its file name)', required: true }, { name: 'connection-id', description: 'The connection to run it for', required: true }, PROJECT_DIR],
    options: {
        env: ENV_OPTION,
        integration: { type: 'string', valueName: 'key', description: 'The integration, when several have a function of that name' },
        input: { type: 'string', valueName: 'json|@file', description: 'The action\'s input (or the webhook payload)' },
        metadata: { type: 'string', valueName: 'json|@file', description: 'Connection metadata to run with instead of the stored one' },
        checkpoint: { type: 'string', valueName: 'json|@file', description: 'The checkpoint to start from instead of the stored one' },
        remote: { type: 'boolean', description: 'Run it on the platform instead of in a local workerd' },
        timeout: { type: 'string', valueName: 'seconds', description: "A local run's time limit (default: the platform's for the function's type)" }
    },
    async run({ positionals, options }) {
        const [name, connectionId, dirArg] = positionals as [string, string, string | undefined];
        const dir = projectDir(dirArg);
        const input = options.input === undefined ? undefined : jsonArgument(options.input, 'input', true);
        const metadata = options.metadata === undefined ? undefined : jsonObjectArgument(options.metadata, 'metadata');
        const checkpoint = options.checkpoint === undefined ? undefined : jsonObjectArgument(options.checkpoint, 'checkpoint');
        const timeoutSeconds = options.timeout === undefined ? undefined : Number(options.timeout);
        if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds > 0)) throw new CliError('--timeout must be a whole number of seconds, at least 1');
        if (timeoutSeconds !== undefined && options.remote) throw new CliError('--timeout applies to local runs; the platform keeps its own limits');
        const target = await resolveTarget(dir, options.env ?? DEFAULT_ENVIRONMENT);
        const [compiled] = await compileProject(dir, { typecheck: true, select: (sources) => [oneFunctionNamed(sources, name, options.integration)] });
        const { entry } = compiled!;
        const client = new PlatformClient(target);
        const where = options.remote ? `on ${target.host}` : 'in a local workerd';
        progress(`Running ${entry.integration}/${entry.name} (${entry.type}) for connection ${connectionId} in ${target.environment}, ${where}…`);
        const report = options.remote
            ? await client.post(
                  '/functions/dryrun',
                  {
                      integration: entry.integration,
                      name: entry.name,
                      type: entry.type,
                      bundle: entry.bundle,
                      config: entry.config,
                      connection_id: connectionId,
                      ...(input !== undefined && { input }),
                      ...(metadata && { metadata }),
                      ...(checkpoint && { checkpoint })
                  },
                  dryrunSchema
              )
            : await runLocalDryrun(client, {
                  fn: entry,
                  connectionId,
                  environment: target.environment,
                  ...(input !== undefined && { input }),
                  ...(metadata && { metadata }),
                  ...(checkpoint && { checkpoint: checkpoint as Checkpoint }),
                  ...(timeoutSeconds !== undefined && { timeoutSeconds }),
                  projectDir: dir
              });
        printDryrunReport(report);
        return report.result.ok ? 0 : 1;
    }
});
