import { out } from '../cli/output.js';

interface FunctionIdentity {
    integration: string;
    name: string;
    type: string;
    bundle_hash: string;
    config: Record<string, unknown>;
}

export interface DeploymentChanges<T extends FunctionIdentity> {
    added: T[];
    updated: T[];
    removed: FunctionIdentity[];
}

/** What deploying `next` changes relative to `previous`: functions are matched by integration and name. */
export function diffFunctions<T extends FunctionIdentity>(previous: FunctionIdentity[], next: T[]): DeploymentChanges<T> {
    const key = (f: FunctionIdentity) => `${f.integration}/${f.name}`;
    const before = new Map(previous.map((f) => [key(f), f]));
    const after = new Set(next.map(key));
    const changes: DeploymentChanges<T> = { added: [], updated: [], removed: previous.filter((f) => !after.has(key(f))) };
    for (const f of next) {
        const old = before.get(key(f));
        if (!old) changes.added.push(f);
        else if (old.type !== f.type || old.bundle_hash !== f.bundle_hash || canonical(old.config) !== canonical(f.config)) changes.updated.push(f);
    }
    return changes;
}

export function hasChanges(changes: DeploymentChanges<FunctionIdentity>): boolean {
    return changes.added.length + changes.updated.length + changes.removed.length > 0;
}

/** One line per changed function: `+ github/issues (sync)`. */
export function describeChanges(changes: DeploymentChanges<FunctionIdentity>): string[] {
    const line = (mark: string, f: FunctionIdentity) => `  ${mark} ${f.integration}/${f.name} (${f.type})`;
    return [
        ...changes.added.map((f) => out.green(line('+', f))),
        ...changes.updated.map((f) => out.yellow(line('~', f))),
        ...changes.removed.map((f) => out.red(line('-', f)))
    ];
}

/** JSON with sorted keys, so configs compare by content whatever order the platform returns keys in. */
function canonical(value: unknown): string {
    return JSON.stringify(value, (_, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v
    );
}
