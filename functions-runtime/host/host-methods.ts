import type { FunctionHost } from '../host-contract.js';

// Every method of the contract. The compiler keeps the list complete: a method added to
// FunctionHost fails to compile until it is listed here, so none goes unguarded.
export const HOST_METHODS = {
    proxy: true,
    uncontrolledFetch: true,
    getConnection: true,
    getIntegration: true,
    setMetadata: true,
    updateMetadata: true,
    getCheckpoint: true,
    saveCheckpoint: true,
    clearCheckpoint: true,
    getEnvironmentVariables: true,
    triggerAction: true,
    triggerSync: true,
    startSync: true,
    tryAcquireLock: true,
    releaseLock: true,
    releaseAllLocks: true,
    log: true,
    batchSave: true,
    batchDelete: true,
    batchUpdate: true,
    getRecordsByIds: true,
    listRecords: true,
    trackDeletesStart: true,
    trackDeletesEnd: true
} satisfies Record<keyof FunctionHost, true>;
