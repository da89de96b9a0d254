// Shared by the platform (deployments) and `spoke compile`, so both refuse the same sets.

export interface ModelConflict {
    /** The index of the function that declares the model a second time. */
    index: number;
    model: string;
    message: string;
}

/**
 * Model names are unique across an integration's syncs: records are kept by connection, model,
 * variant and id, and delete tracking by model and variant, so two syncs of one model would
 * overwrite and delete each other's records.
 */
export function modelConflicts(functions: { integration: string; name: string; type: string; config: unknown }[]): ModelConflict[] {
    const conflicts: ModelConflict[] = [];
    const owners = new Map<string, string>();
    functions.forEach((f, index) => {
        if (f.type !== 'sync') return;
        for (const model of Object.keys((f.config as { models?: Record<string, unknown> }).models ?? {})) {
            const key = `${f.integration}/${model}`;
            const owner = owners.get(key);
            if (owner === undefined) owners.set(key, f.name);
            else conflicts.push({ index, model, message: `${f.integration}: model ${model} is declared by both ${owner} and ${f.name}; model names are unique across an integration's syncs` });
        }
    });
    return conflicts;
}
