/** Runs a Pulumi TypeScript program under the realistic mocks and returns what it registered. */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, Registration, withoutStackCapture } from "../mocking";
import { PlanConfigError, StackConfig } from "./config";

/** The program failed: its message (config errors name the key), exit code 2. */
export class ProgramError extends Error {
    constructor(
        message: string,
        /** What the program had registered when it failed (for the report: what a real run would have created). */
        readonly registered: readonly Registration[] = [],
    ) {
        super(message);
        this.name = "ProgramError";
    }
}

/** What a program logged (pulumi.log), as the engine would show it beside the run. */
export interface ProgramMessage {
    readonly severity: "info" | "warning" | "error";
    readonly message: string;
}

/** The stand-in note for each secret a message names (by its full key), as `--config <key>=<value>`. */
function secretNotes(message: string, config: StackConfig): string[] {
    // The key as a whole word: 's3-crr:alarmEmails', not a key it is the start of.
    const named = config.secretKeys.filter((key) => message.split(/[^\w:.-]+/).some((word) => word.replace(/[.:]+$/, "") === key));
    return named.map(
        (key) =>
            `'${key}' is a secret in Pulumi.${config.stack}.yaml, which an offline plan cannot decrypt: ` +
            `pass a stand-in with --config ${key.startsWith(`${config.project}:`) ? key.slice(config.project.length + 1) : key}=<value>`,
    );
}

function explain(e: unknown, config: StackConfig): string {
    // An Output that failed inside a resource's inputs reaches the program wrapped once per property it was
    // nested in ('error serializing property "policy": ...'): the cause is what a user needs.
    const message = (e instanceof Error ? e.message : String(e)).replace(/(error serializing property "[^"]*": )+/g, "");
    const missing = /configuration (?:variable|value) '([^']+)'/i.exec(message)?.[1];
    const notes = secretNotes(message, config);
    if (notes.length > 0) {
        return [message, ...notes].join("\n");
    }
    if (pulumi.RunError.isInstance(e) || e instanceof PlanConfigError || missing || (e instanceof Error && e.name === "CrrPairArgsError")) {
        return message;
    }
    return e instanceof Error && e.stack ? e.stack : message;
}

/**
 * Takes the program's `pulumi.log` messages while `fn` runs, as the engine's log service takes them (under
 * mocks the runtime has no engine and would print them itself); `onMessage` sees each one.
 */
async function withProgramLog<T>(onMessage: (m: ProgramMessage) => void, fn: () => Promise<T>): Promise<T> {
    const log = require("@pulumi/pulumi/log") as Record<"info" | "warn" | "error", (msg: string, ...rest: unknown[]) => Promise<void>>;
    const saved = { info: log.info, warn: log.warn, error: log.error };
    const take = (severity: ProgramMessage["severity"]) => (msg: string) => {
        onMessage({ severity, message: msg });
        return Promise.resolve();
    };
    log.info = take("info");
    log.warn = take("warning");
    log.error = (msg: string, ...rest: unknown[]) => {
        onMessage({ severity: "error", message: msg });
        return saved.error(msg, ...rest); // the runtime counts errors (a run with errors fails)
    };
    try {
        return await fn();
    } finally {
        Object.assign(log, saved);
    }
}

/**
 * Installs the mocks for `config`'s project and stack, sets the configuration, loads `programFile`
 * (awaiting an exported function or promise, as the Pulumi runtime does) and waits for every
 * registration. `onRegistration`, if given, sees each registration as it completes (the policy pack's
 * `Analyze` streams from it); `onMessage` each message the program logs. Throws {@link ProgramError} when the
 * program fails.
 */
export async function runProgram(
    programFile: string,
    config: StackConfig,
    onRegistration?: (registration: Registration) => void,
    onMessage: (message: ProgramMessage) => void = () => undefined,
): Promise<Registration[]> {
    const session = installMocks({
        project: config.project,
        stack: config.stack,
        defaultRegion: config.defaultRegion,
        answerAsynchronously: onRegistration !== undefined,
    });
    if (onRegistration) {
        session.onRegistration(onRegistration);
    }
    // The secrets by name, as the CLI passes them: a program can tell a secret it did not get from an unset key.
    pulumi.runtime.setAllConfig(config.values, [...config.secretKeys]);
    // A rejected registration leaves the runtime waiting for it forever: the first unhandled rejection
    // ends the run, as it ends a real `pulumi up`.
    let onRejection: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (onRejection = reject));
    process.on("unhandledRejection", onRejection);
    try {
        await Promise.race([
            failed,
            withProgramLog(onMessage, () => withoutStackCapture(async () => {
                const entry = require.resolve(path.resolve(programFile));
                delete require.cache[entry]; // a second plan in one process runs the program again
                const exported = require(entry);
                const result = typeof exported === "function" ? exported() : undefined;
                await result;
                await session.settle();
            })),
        ]);
    } catch (e) {
        throw new ProgramError(explain(e, config), [...session.registered()]);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    return [...session.registered()];
}
