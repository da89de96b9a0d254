import { type OptionSpec, type OptionSpecs, type Options, parseArgs } from './args.js';
import { CliError } from './errors.js';
import { out, print } from './output.js';

export interface PositionalSpec {
    name: string;
    description: string;
    required?: boolean;
}

export interface CommandSpec<S extends OptionSpecs> {
    name: string;
    summary: string;
    /** Paragraphs shown by `--help` after the usage line. */
    details?: string[];
    positionals: PositionalSpec[];
    options: S;
    /** Resolves to the process exit code. */
    run(args: { positionals: string[]; options: Options<S> }): Promise<number>;
}

export interface Command {
    name: string;
    summary: string;
    execute(argv: string[]): Promise<number>;
}

const HELP = { help: { type: 'boolean', short: 'h', description: 'Show this help' } } as const;

export function defineCommand<S extends OptionSpecs>(spec: CommandSpec<S>): Command {
    return {
        name: spec.name,
        summary: spec.summary,
        async execute(argv) {
            const hint = `See \`spoke ${spec.name} --help\`.`;
            const { positionals, options } = parseArgs(argv, { ...spec.options, ...HELP }, hint);
            if (options.help) {
                printHelp(spec);
                return 0;
            }
            const required = spec.positionals.filter((p) => p.required).length;
            if (positionals.length < required) throw new CliError(`Missing <${spec.positionals[positionals.length]!.name}>. Usage: ${usage(spec)}`);
            if (positionals.length > spec.positionals.length) throw new CliError(`Unexpected argument "${positionals[spec.positionals.length]}". Usage: ${usage(spec)}`);
            return spec.run({ positionals, options });
        }
    };
}

type HelpSpec = Omit<CommandSpec<OptionSpecs>, 'run'>;

function usage(spec: HelpSpec): string {
    const args = spec.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
    return ['spoke', spec.name, ...args, ...(Object.keys(spec.options).length ? ['[options]'] : [])].join(' ');
}

function printHelp(spec: HelpSpec): void {
    print(`${out.bold('Usage:')} ${usage(spec)}`);
    print();
    print(spec.summary);
    for (const paragraph of spec.details ?? []) {
        print();
        print(paragraph);
    }
    const rows: [string, string][] = [
        ...spec.positionals.map((p): [string, string] => [p.required ? `<${p.name}>` : `[${p.name}]`, p.description]),
        ...Object.entries<OptionSpec>({ ...spec.options, ...HELP }).map(([name, option]): [string, string] => {
            const flag = `${option.short ? `-${option.short}, ` : ''}--${name}`;
            if (option.type === 'boolean') return [flag, option.description];
            return [option.optionalValue ? `${flag} [${option.valueName}]` : `${flag} <${option.valueName}>`, option.description];
        })
    ];
    const width = Math.max(...rows.map(([left]) => left.length));
    print();
    print(out.bold('Arguments and options:'));
    for (const [left, right] of rows) print(`  ${left.padEnd(width)}  ${right}`);
}
