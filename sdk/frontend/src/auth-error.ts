import type { AuthErrorType } from './types.js';

/** Every failed `auth()` rejects with this; `type` is the error code. */
export class AuthError extends Error {
    readonly type: AuthErrorType;

    constructor(message: string, type: AuthErrorType) {
        super(message);
        this.name = 'AuthError';
        this.type = type;
    }
}
