import type { ExecutionError } from '../../functions-runtime/executor.js';
import { executionErrorCode } from '../../functions-runtime/executor.js';
import { ApiError } from '../http/api-error.js';

/** An action's failure as the API reports it: the status and stable code per failure type (docs/functions.md). */
export function actionApiError(error: ExecutionError): ApiError {
    const code = executionErrorCode(error);
    switch (error.type) {
        case 'http_error':
            return new ApiError(424, code, error.message, {
                ...(error.payload !== undefined && { payload: error.payload }),
                ...(error.upstream && { upstream: error.upstream })
            });
        case 'invalid_input':
            return new ApiError(400, code, error.message, { ...(error.payload !== undefined && { payload: error.payload }) });
        case 'timeout':
        case 'output_too_large':
            return new ApiError(500, code, error.message);
        default:
            return new ApiError(500, code, error.message, { ...(error.payload !== undefined && { payload: error.payload }) });
    }
}
