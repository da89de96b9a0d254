// Stacks reported for a failed run show the function's own frames only: the sandbox runtime's
// frames, and whatever called the runtime, say nothing to the function's developer.

/** The file of a V8 stack frame (`    at fn (file:line:col)` or `    at file:line:col`). */
function fileOf(frame: string): string | undefined {
    return /\(?([^\s()]+):\d+:\d+\)?\s*$/.exec(frame)?.[1];
}

// This module's own file: the runtime bundle in production, or this source file when the runtime
// runs unbundled (in the CLI's and the project's tests), where all runtime files are under
// functions-runtime/.
const RUNTIME_FILE = fileOf(new Error().stack?.split('\n').find((line) => /^\s+at /.test(line)) ?? '');

function isRuntimeFrame(frame: string): boolean {
    const file = fileOf(frame);
    return file !== undefined && (file === RUNTIME_FILE || file.includes('/functions-runtime/'));
}

/**
 * The stack without runtime frames, without anything below the outermost runtime frame (the
 * caller of the runtime), and without frames that have no source position (built-ins).
 */
export function functionStack(stack: string | undefined): string | undefined {
    if (!stack) return undefined;
    const lines = stack.split('\n');
    const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
    if (firstFrame < 0) return stack;
    const frames = lines.slice(firstFrame);
    const outermost = frames.findLastIndex(isRuntimeFrame);
    const own = (outermost < 0 ? frames : frames.slice(0, outermost)).filter((frame) => fileOf(frame) !== undefined && !isRuntimeFrame(frame));
    return [...lines.slice(0, firstFrame), ...own].join('\n');
}
