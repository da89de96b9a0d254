import { join } from 'node:path';
import { CliError } from '../cli/errors.js';
import { readEnvFile } from './env-file.js';

const DEFAULT_HOST = 'http://localhost:8787';

/** Which Spoke, and which of its environments, a command talks to. */
export interface PlatformTarget {
    host: string;
    environment: string;
    secretKey: string;
}

/**
 * The host comes from SPOKE_HOST; the key from SPOKE_SECRET_KEY_<ENV>, then NANGO_SECRET_KEY_<ENV>
 * (so a Nango project's .env works as is), then SPOKE_SECRET_KEY. The shell's variables win over
 * the project's .env file.
 */
export async function resolveTarget(projectDir: string, environment: string): Promise<PlatformTarget> {
    const variables = { ...(await readEnvFile(join(projectDir, '.env'))), ...definedOnly(process.env) };
    const host = (variables.SPOKE_HOST ?? DEFAULT_HOST).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+/.test(host)) throw new CliError(`SPOKE_HOST must be an http(s) URL such as ${DEFAULT_HOST}; it is "${host}"`);
    const suffix = environment.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    const names = [`SPOKE_SECRET_KEY_${suffix}`, `NANGO_SECRET_KEY_${suffix}`, 'SPOKE_SECRET_KEY'];
    const name = names.find((candidate) => variables[candidate]);
    if (!name) throw new CliError(`No secret key for the ${environment} environment: set ${names[0]} in ${join(projectDir, '.env')} or in the shell (${names.slice(1).join(' and ')} also work)`);
    return { host, environment, secretKey: variables[name]! };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
    return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}
