/**
 * Every stack file (Pulumi.<stack>.yaml) and every example (examples/Pulumi.<name>.yaml), planned once per
 * test run the way `npm run plan` runs the program (tools/plan/run.ts: Pulumi.yaml's defaults under the stack
 * file, the realistic mocks), for the specs that judge what a real deploy of each would register.
 */
import * as fs from "fs";
import * as path from "path";
import { Registration } from "../../tools/mocking";
import { loadStackConfig, StackConfig } from "../../tools/plan/config";
import { runProgram } from "../../tools/plan/run";
import { withOwnMocks } from "./mocks";

const ROOT = path.join(__dirname, "..", "..");

export interface StackPlan {
    /** `dev`, ..., or the example's name (`warm-standby`). */
    readonly stack: string;
    /** The stack file, relative to the repository (`Pulumi.dev.yaml`, `examples/Pulumi.warm-standby.yaml`). */
    readonly file: string;
    readonly example: boolean;
    readonly config: StackConfig;
    readonly registrations: readonly Registration[];
}

/** The stack files and the examples, as `--stack` takes them. */
export function stackFiles(): { stack: string; file: string; example: boolean }[] {
    const of = (dir: string, example: boolean) =>
        fs
            .readdirSync(path.join(ROOT, dir))
            .map((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1])
            .filter((s): s is string => s !== undefined)
            .sort()
            .map((stack) => ({ stack, file: path.join(dir, `Pulumi.${stack}.yaml`), example }));
    return [...of(".", false), ...of("examples", true)];
}

let plans: Promise<StackPlan[]> | undefined;

/** Plans every stack file and example (once; later calls share the result). */
export function stackPlans(): Promise<StackPlan[]> {
    return (plans ??= withOwnMocks(async () => {
        const out: StackPlan[] = [];
        for (const { stack, file, example } of stackFiles()) {
            const config = loadStackConfig(path.join(ROOT, "index.ts"), example ? path.join(ROOT, file) : stack);
            out.push({ stack, file, example, config, registrations: await runProgram(path.join(ROOT, "index.ts"), config) });
        }
        return out;
    }));
}

/** Plans stack `stack` (a name, or a stack file's path) with `--config` style `overrides`. */
export function planStack(stack: string, overrides: readonly string[]): Promise<StackPlan> {
    return withOwnMocks(async () => {
        const config = loadStackConfig(path.join(ROOT, "index.ts"), stack, overrides);
        return { stack: config.stack, file: `${stack} with ${overrides.join(" ")}`, example: false, config, registrations: await runProgram(path.join(ROOT, "index.ts"), config) };
    });
}
