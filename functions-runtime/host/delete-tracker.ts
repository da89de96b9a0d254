/** Why `trackDeletesEnd` fails without a `trackDeletesStart`. */
export function trackDeletesNotStarted(model: string): Error {
    return new Error(`track_deletes_not_started: trackDeletesEnd("${model}") was called without trackDeletesStart("${model}")`);
}

/**
 * Delete tracking as the platform keeps it (the ConnectionDO's seen records), for the hosts that
 * keep it in memory (dry runs and `spoke test`): per tracked model, the ids `batchSave` saved
 * since `trackDeletesStart`. Updates and saves before the start don't count.
 */
export class DeleteTracker {
    readonly #seen = new Map<string, Set<string>>();

    /** Kept if already started, as on the platform. */
    start(model: string): void {
        if (!this.#seen.has(model)) this.#seen.set(model, new Set());
    }

    saved(model: string, records: { id: string | number }[]): void {
        const seen = this.#seen.get(model);
        if (seen) for (const record of records) seen.add(String(record.id));
    }

    /** Stops tracking; answers the ids saved since the start. Throws without a start. */
    end(model: string): Set<string> {
        const seen = this.#seen.get(model);
        if (!seen) throw trackDeletesNotStarted(model);
        this.#seen.delete(model);
        return seen;
    }
}
