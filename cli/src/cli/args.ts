import { CliError } from './errors.js';

export interface BooleanOption {
    type: 'boolean';
    short?: string;
    description: string;
}

export interface StringOption {
    type: 'string';
    short?: string;
    /** Shown in help: `--env <name>`. */
    valueName: string;
    description: string;
    /**
     * The value may be left out (`--rollback` or `--rollback 3`): the next argument is taken as
     * the value only if it matches, so `--rollback ./project` keeps `./project` a positional.
     */
    optionalValue?: RegExp;
}

export type OptionSpec = BooleanOption | StringOption;
export type OptionSpecs = Record<string, OptionSpec>;

type OptionValue<O extends OptionSpec> = O extends BooleanOption ? boolean : O extends { optionalValue: RegExp } ? string | true | undefined : string | undefined;
export type Options<S extends OptionSpecs> = { [K in keyof S]: OptionValue<S[K]> };

export interface ParsedArgs<S extends OptionSpecs> {
    positionals: string[];
    options: Options<S>;
}

/** Parses `--name value`, `--name=value`, `-x value`, boolean flags and `--` (everything after it is positional). */
export function parseArgs<S extends OptionSpecs>(argv: string[], specs: S, usageHint: string): ParsedArgs<S> {
    const options: Record<string, string | boolean | undefined> = {};
    for (const [name, spec] of Object.entries(specs)) if (spec.type === 'boolean') options[name] = false;
    const positionals: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === '--') {
            positionals.push(...argv.slice(i + 1));
            break;
        }
        if (!arg.startsWith('-') || arg === '-') {
            positionals.push(arg);
            continue;
        }
        const [flag, inlineValue] = splitInline(arg);
        const name = resolveName(flag, specs, usageHint);
        const spec = specs[name]!;
        if (spec.type === 'boolean') {
            if (inlineValue !== undefined) throw new CliError(`${flag} takes no value. ${usageHint}`);
            options[name] = true;
            continue;
        }
        if (inlineValue !== undefined) {
            options[name] = inlineValue;
            continue;
        }
        const next = argv[i + 1];
        if (spec.optionalValue) {
            if (next !== undefined && spec.optionalValue.test(next)) {
                options[name] = next;
                i++;
            } else {
                options[name] = true;
            }
            continue;
        }
        if (next === undefined || (next.startsWith('-') && next !== '-')) throw new CliError(`${flag} needs a value: ${flag} <${spec.valueName}>. ${usageHint}`);
        options[name] = next;
        i++;
    }
    return { positionals, options: options as Options<S> };
}

function splitInline(arg: string): [string, string | undefined] {
    const equals = arg.indexOf('=');
    return arg.startsWith('--') && equals > 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
}

function resolveName(flag: string, specs: OptionSpecs, usageHint: string): string {
    if (flag.startsWith('--')) {
        const name = flag.slice(2);
        if (name in specs) return name;
    } else {
        const short = flag.slice(1);
        const found = Object.entries(specs).find(([, spec]) => spec.short === short);
        if (found) return found[0];
    }
    throw new CliError(`Unknown option ${flag}. ${usageHint}`);
}
