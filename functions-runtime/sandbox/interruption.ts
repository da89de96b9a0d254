// A sync run that has spent its time budget ends at the checkpoint where the host says so, and the
// platform continues it from there in a new run. Function code may catch the error that ends it,
// so from then on the run's `nango` object refuses every call: the work would be done twice.
import { SdkError } from './sdk-error.js';

export class Interruption {
    #error: SdkError | undefined;

    get interrupted(): boolean {
        return this.#error !== undefined;
    }

    /** Marks the run interrupted; returns the error to throw, the same one every time. */
    interrupt(): SdkError {
        this.#error ??= new SdkError(
            'execution_interrupted',
            'The sync run has spent its time budget: it ends at this checkpoint, and the platform continues it from there in a new run'
        );
        return this.#error;
    }

    /** Throws once the run is interrupted. */
    check(): void {
        if (this.#error) throw this.#error;
    }
}
