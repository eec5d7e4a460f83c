/**
 * Small helpers shared by the command-line tools (`npm run plan`, `verify`, `failover`, `restore`, ...): counted
 * nouns that agree with their number, the streams a command writes to (injectable, so that tests call a
 * command's `main` in-process and read what it printed), the `-` convention for standard output, and the
 * child process and terminal prompt that the commands reach through injectable dependencies.
 */
import * as fs from "fs";
import * as readline from "readline";
import { spawnSync } from "child_process";
import { parseArgs, ParseArgsConfig } from "util";

/** The noun for `count` things: `one` for exactly 1, else `many` (by default `one` + "s"). */
export function noun(count: number, one: string, many = `${one}s`): string {
    return count === 1 ? one : many;
}

/** `count` followed by the noun that agrees with it: "1 component", "2 components", "0 policies". */
export function plural(count: number, one: string, many?: string): string {
    return `${count} ${noun(count, one, many)}`;
}

/** The file name that stands for standard output in `--json -` and `--graph -`. */
export const STDOUT = "-";

/** Writes `text` to `target`: standard output (through `stdout`) when it is `-`, else the file of that name. */
export function writeOutput(target: string, text: string, stdout: (text: string) => void = (t) => process.stdout.write(t)): void {
    if (target === STDOUT) {
        stdout(text);
    } else {
        fs.writeFileSync(target, text);
    }
}

/** Where a command writes: raw text to standard output and to standard error. */
export interface CliStreams {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

export const processStreams: CliStreams = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

/**
 * For a command's entry: a reader that stops early (`npm run plan -- --help | head -3`) ends the command
 * quietly instead of with an EPIPE stack trace.
 */
export function quietOnClosedStdout(): void {
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") {
            process.exit(0);
        }
        throw e;
    });
}

/** Ends the process with `code` once standard output has taken everything written to it (a pipe may lag). */
export function exitAfterOutput(code: number): void {
    process.stdout.write("", () => process.exit(code));
}

/**
 * Runs a command's `main` as the process's entry: standard output closing early ends it quietly, it exits
 * with `main`'s code once its output is written, and an unexpected error is printed with its stack and ends
 * it with `failedCode`.
 */
export function runCommand(main: (argv: string[]) => Promise<number>, failedCode: number): void {
    quietOnClosedStdout();
    main(process.argv.slice(2)).then(
        (code) => exitAfterOutput(code),
        (e) => {
            console.error(e instanceof Error ? (e.stack ?? e.message) : e);
            process.exit(failedCode);
        },
    );
}

/** Runs a command (the Pulumi CLI, for a stack's outputs) and returns what it printed; injectable in tests. */
export type Run = (command: string, args: string[]) => { status: number | null; stdout: string; stderr: string; error?: Error };

/** {@link Run} as a real child process. */
export const runProcess: Run = (command, args) => {
    const r = spawnSync(command, args, { encoding: "utf8" });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
};

/** Asks `question` on the terminal (standard error, so that standard output stays the command's) and resolves to the answer. */
export const askOnTerminal = (question: string): Promise<string> =>
    new Promise<string>((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.question(question, (answer) => {
            rl.close();
            resolve(answer);
        });
    });

type FlagSpecs = NonNullable<ParseArgsConfig["options"]>;
/** The values of a command's flags, typed from their specs as `util.parseArgs` types them. */
export type Flags<O extends FlagSpecs> = ReturnType<typeof parseArgs<{ args: string[]; options: O }>>["values"];

/** The flags every command has: `--json FILE` (its result as JSON; `-` is standard output) and `--help`/`-h`. */
const COMMON_FLAGS = { json: { type: "string" }, help: { type: "boolean", short: "h", default: false } } as const;

/**
 * A command's flags read from `argv` (strict: an unknown flag or a missing value is an error), its own
 * `options` and {@link COMMON_FLAGS}, or the exit code once the command is done with them: `--help`/`-h`
 * prints `usage` to standard output and exits with `exits.help`; a wrong command line prints the error and
 * where the options are told to standard error, and exits with `exits.wrong`. `say` is where the
 * human-readable report goes: standard error when `--json -` gives standard output to the JSON.
 */
export function readFlags<O extends FlagSpecs>(
    command: string,
    usage: string,
    argv: string[],
    options: O,
    io: CliStreams,
    exits: { readonly help: number; readonly wrong: number },
): { readonly flags: Flags<O & typeof COMMON_FLAGS>; readonly say: (text: string) => void } | { readonly exit: number } {
    let flags: Flags<O & typeof COMMON_FLAGS>;
    try {
        flags = parseArgs({ args: argv, options: { ...options, ...COMMON_FLAGS } }).values as Flags<O & typeof COMMON_FLAGS>;
    } catch (e) {
        io.stderr(`error: ${(e as Error).message}\nrun 'npm run ${command} -- --help' for the options\n`);
        return { exit: exits.wrong };
    }
    if ((flags as { help?: boolean }).help) {
        io.stdout(`${usage}\n`);
        return { exit: exits.help };
    }
    return { flags, say: (flags as { json?: string }).json === STDOUT ? io.stderr : io.stdout };
}
