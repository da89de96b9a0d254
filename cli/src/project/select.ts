import { CliError } from '../cli/errors.js';
import type { FunctionSource } from './discover.js';

/** The functions called `name` (in `integration`, when given); none is an error that lists what exists. */
function functionsNamed(sources: FunctionSource[], name: string, integration?: string): FunctionSource[] {
    const found = sources.filter((s) => s.name === name && (integration === undefined || s.integration === integration));
    if (found.length > 0) return found;
    const where = integration === undefined ? '' : ` in ${integration}`;
    throw new CliError(`No function named "${name}"${where}. The project has: ${sources.map((s) => `${s.integration}/${s.name}`).join(', ')}`);
}

/** Exactly one function called `name`: when several integrations have one, `integration` must say which. */
export function oneFunctionNamed(sources: FunctionSource[], name: string, integration?: string): FunctionSource {
    const found = functionsNamed(sources, name, integration);
    if (found.length > 1) throw new CliError(`"${name}" exists in ${found.map((s) => s.integration).join(' and ')}; choose one with --integration <key>`);
    return found[0]!;
}
