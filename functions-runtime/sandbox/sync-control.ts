// `nango.triggerSync()` and `nango.startSync()`: their Nango-style arguments as the host's
// sync-control request, with the meanings `POST /sync/trigger` gives them.
import type { SyncControl, SyncRunFlags } from '../host-contract.js';
import type { LegacySyncMode, SyncRef, TriggerSyncOptions } from '../sdk/nango.js';
import { SdkError } from './sdk-error.js';

export function syncControl(method: string, providerConfigKey: unknown, syncs: SyncRef[], connectionId: unknown): SyncControl {
    if (typeof providerConfigKey !== 'string' || !providerConfigKey) throw new SdkError('invalid_sync_control', `${method}: providerConfigKey must be a non-empty string`);
    if (connectionId !== undefined && connectionId !== null && typeof connectionId !== 'string') throw new SdkError('invalid_sync_control', `${method}: connectionId must be a string`);
    const control: SyncControl = { providerConfigKey, syncs: syncs.map((sync) => syncOf(method, sync)) };
    if (connectionId) control.connectionId = connectionId;
    return control;
}

function syncOf(method: string, sync: unknown): SyncControl['syncs'][number] {
    if (typeof sync === 'string' && sync) return { name: sync };
    if (typeof sync === 'object' && sync !== null && typeof (sync as { name?: unknown }).name === 'string' && (sync as { name: string }).name) {
        const { name, variant } = sync as { name: string; variant?: unknown };
        if (variant === undefined) return { name };
        if (typeof variant === 'string' && variant) return { name, variant };
    }
    throw new SdkError('invalid_sync_control', `${method}: a sync is a name or { name, variant }, not ${JSON.stringify(sync) ?? String(sync)}`);
}

/** The options object, or the legacy sync mode (`full_refresh`…) or full-resync boolean, as run flags. */
export function syncRunFlags(options: TriggerSyncOptions | LegacySyncMode | undefined): SyncRunFlags {
    if (options === undefined || options === null) return {};
    if (typeof options === 'boolean') return options ? { reset: true, emptyCache: false } : {};
    if (typeof options === 'string') {
        if (options === 'incremental') return {};
        if (options === 'full_refresh') return { reset: true, emptyCache: false };
        if (options === 'full_refresh_and_clear_cache') return { reset: true, emptyCache: true };
        throw new SdkError('invalid_sync_control', `triggerSync: unknown sync mode "${options}"`);
    }
    const flags: SyncRunFlags = {};
    if (options.reset !== undefined) flags.reset = options.reset === true;
    if (options.emptyCache !== undefined) flags.emptyCache = options.emptyCache === true;
    return flags;
}
