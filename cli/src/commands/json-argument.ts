import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, errorMessage } from '../cli/errors.js';

/**
 * An option's JSON value, given inline or as `@file`. With `textFallback`, a value that is not
 * JSON is taken as a string (`--input hello`), as action inputs can be.
 */
export function jsonArgument(value: string, option: string, textFallback = false): unknown {
    let text = value;
    if (value.startsWith('@')) {
        try {
            text = readFileSync(resolve(value.slice(1)), 'utf8');
        } catch (error) {
            throw new CliError(`--${option}: cannot read ${value.slice(1)}: ${errorMessage(error)}`);
        }
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (error) {
        if (textFallback && !value.startsWith('@')) return value;
        throw new CliError(`--${option} is not valid JSON: ${errorMessage(error)}`);
    }
}

export function jsonObjectArgument(value: string, option: string): Record<string, unknown> {
    const parsed = jsonArgument(value, option);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`--${option} must be a JSON object`);
    return parsed as Record<string, unknown>;
}
