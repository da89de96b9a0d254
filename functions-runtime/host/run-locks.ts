/**
 * Locks held in memory by one run, for hosts that must neither take nor see the platform's real
 * locks (dry runs, `spoke test`): the run is the only owner, so a lock is either free or its own.
 */
export class RunLocks {
    /** Key → expiry (Unix ms). */
    readonly #held = new Map<string, number>();

    acquire(key: string, ttlMs: number): boolean {
        this.#held.set(key, Date.now() + ttlMs);
        return true;
    }

    /** Whether the run still held it (a lock past its ttl was already free). */
    release(key: string): boolean {
        const held = (this.#held.get(key) ?? 0) > Date.now();
        this.#held.delete(key);
        return held;
    }

    releaseAll(): void {
        this.#held.clear();
    }
}
