/** An upstream call of a dry run, for the developer to read; status 0 when it did not get an answer. */
export interface DryRunCall {
    method: string;
    url: string;
    status: number;
    duration_ms: number;
}
