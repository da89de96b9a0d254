import { createInterface } from 'node:readline/promises';
import { CliError } from './errors.js';

/** Asks a yes/no question on the terminal; without one, only `--yes` can confirm. */
export async function confirm(question: string, assumeYes: boolean): Promise<boolean> {
    if (assumeYes) return true;
    if (!process.stdin.isTTY) throw new CliError(`${question} Not asking without a terminal: run again with --yes to confirm.`);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
        const answer = await prompt.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
    } finally {
        prompt.close();
    }
}
