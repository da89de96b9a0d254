import type { EnvironmentRecord } from '../environments/environments.js';
import type { OperationDraft } from '../operations/operation-draft.js';

/** Hono context types shared by every router. */
export interface AppEnv {
    Bindings: Env;
    Variables: {
        requestId: string;
        /** Set by the secret-key middleware: the environment the key belongs to. */
        environment: EnvironmentRecord;
        /** Set by the operation middleware on routes that change something. */
        operation: OperationDraft;
    };
}
