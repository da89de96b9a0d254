/** Stable codes of the errors the sandbox raises when function code misuses the `nango` object or its definition is wrong. */
export type SdkErrorCode =
    | 'invalid_function_definition'
    | 'function_kind_mismatch'
    | 'invalid_proxy_config'
    | 'invalid_paginate_config'
    | 'invalid_checkpoint'
    | 'invalid_sync_record'
    | 'invalid_merging_strategy'
    | 'unknown_model'
    | 'invalid_sync_control'
    | 'invalid_lock'
    | 'invalid_logger_level'
    | 'not_a_sync'
    | 'execution_interrupted';

export class SdkError extends Error {
    constructor(
        readonly code: SdkErrorCode,
        message: string
    ) {
        super(message);
        this.name = 'SdkError';
    }
}
