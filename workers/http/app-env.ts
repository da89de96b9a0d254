import type { ConnectSessionRow } from '../connect/connect-sessions.js';
import type { EnvironmentRecord } from '../environments/environments.js';
import type { OperationDraft } from '../operations/operation-draft.js';

/** Hono context types shared by every router. */
export interface AppEnv {
    Bindings: Env;
    Variables: {
        requestId: string;
        /** The environment the request acts on, set by authentication. */
        environment: EnvironmentRecord;
        /** Set when a connect session token (not a secret key) authenticated the request. */
        connectSession?: ConnectSessionRow;
        /** Set by the operation middleware on routes that change something. */
        operation: OperationDraft;
    };
}
