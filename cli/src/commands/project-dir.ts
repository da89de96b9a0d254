import { resolve } from 'node:path';
import type { PositionalSpec } from '../cli/command.js';

export const PROJECT_DIR: PositionalSpec = { name: 'dir', description: 'The function project (default: the current directory)' };

export function projectDir(arg: string | undefined): string {
    return resolve(arg ?? '.');
}
