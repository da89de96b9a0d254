/** A failure to report to the user as is: main prints its message, without a stack, and exits with its code. */
export class CliError extends Error {
    constructor(
        message: string,
        readonly exitCode = 1
    ) {
        super(message);
        this.name = 'CliError';
    }
}

export function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
