import type { Command } from './cli/command.js';
import { CliError } from './cli/errors.js';
import { err, out, print, progress } from './cli/output.js';
import { compileCommand } from './commands/compile.js';
import { deployCommand } from './commands/deploy.js';
import { dryrunCommand } from './commands/dryrun.js';
import { generateCommand } from './commands/generate.js';
import { initCommand } from './commands/init.js';
import { testCommand } from './commands/test.js';

const COMMANDS: Command[] = [initCommand, compileCommand, generateCommand, testCommand, dryrunCommand, deployCommand];

function printOverview(): void {
    print(`${out.bold('Usage:')} spoke <command> [arguments] [options]`);
    print();
    print('Build, test and deploy Nango-style function projects on Spoke.');
    print();
    print(out.bold('Commands:'));
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    for (const command of COMMANDS) print(`  ${command.name.padEnd(width)}  ${command.summary}`);
    print();
    print('Run `spoke <command> --help` for a command\'s arguments and options.');
}

async function main(argv: string[]): Promise<number> {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
        printOverview();
        return name === undefined ? 1 : 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new CliError(`Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See \`spoke --help\`.`);
    return command.execute(rest);
}

try {
    process.exitCode = await main(process.argv.slice(2));
} catch (error) {
    if (error instanceof CliError) {
        progress(`${err.red('error')} ${error.message}`);
        process.exitCode = error.exitCode;
    } else {
        progress(`${err.red('error')} unexpected failure, please report it:`);
        progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exitCode = 1;
    }
}
