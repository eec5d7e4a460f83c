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

function explain(e: unknown, config: StackConfig): string {
    // An Output that failed inside a resource's inputs reaches the program wrapped once per property it was
    // nested in ('error serializing property "policy": ...'): the cause is what a user needs.
    const message = (e instanceof Error ? e.message : String(e)).replace(/(error serializing property "[^"]*": )+/g, "");
    const missing = /configuration (?:variable|value) '([^']+)'/i.exec(message)?.[1];
    if (missing && config.secretKeys.includes(missing)) {
        return (
            `${message}\n'${missing}' is a secret in Pulumi.${config.stack}.yaml, which an offline plan cannot decrypt: ` +
            `pass a stand-in with --config ${missing.split(":").pop()}=<value>`
        );
    }
    if (pulumi.RunError.isInstance(e) || e instanceof PlanConfigError || missing || (e instanceof Error && e.name === "CrrPairArgsError")) {
        return message;
    }
    return e instanceof Error && e.stack ? e.stack : message;
}

/**
 * Installs the mocks for `config`'s project and stack, sets the configuration, loads `programFile`
 * (awaiting an exported function or promise, as the Pulumi runtime does) and waits for every
 * registration. `onRegistration`, if given, sees each registration as it completes (the policy pack's
 * `Analyze` streams from it). Throws {@link ProgramError} when the program fails.
 */
export async function runProgram(
    programFile: string,
    config: StackConfig,
    onRegistration?: (registration: Registration) => void,
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
    pulumi.runtime.setAllConfig(config.values);
    // A rejected registration leaves the runtime waiting for it forever: the first unhandled rejection
    // ends the run, as it ends a real `pulumi up`.
    let onRejection: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (onRejection = reject));
    process.on("unhandledRejection", onRejection);
    try {
        await Promise.race([
            failed,
            withoutStackCapture(async () => {
                const entry = require.resolve(path.resolve(programFile));
                delete require.cache[entry]; // a second plan in one process runs the program again
                const exported = require(entry);
                const result = typeof exported === "function" ? exported() : undefined;
                await result;
                await session.settle();
            }),
        ]);
    } catch (e) {
        throw new ProgramError(explain(e, config), [...session.registered()]);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    return [...session.registered()];
}
