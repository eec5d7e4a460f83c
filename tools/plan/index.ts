/**
 * `npm run plan`: the program's main job without a cloud. Runs a Pulumi program under realistic mocks,
 * runs the policy pack over what it registered the way the engine does, and reports. The policy pack is
 * started before the program runs, so its start-up overlaps the program's.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_POLICY_PACK, Diagnostic, PackSession, PolicyPackConfig, PolicyPackProcess, StartedPack } from "./analyzer";
import { loadStackConfig, PlanConfigError, stackFileArgument } from "./config";
import { mermaidGraph } from "./graph";
import { planResources } from "./model";
import { PlanReport, renderPolicies, renderTree, summary } from "./render";
import { ProgramError, runProgram } from "./run";
import { writeOutput } from "../text";

export interface PlanOptions {
    readonly stack: string;
    readonly program: string;
    readonly config: readonly string[];
    /** File for the JSON report; `-` is standard output. */
    readonly json?: string;
    /** File for the Mermaid graph; `-` is standard output. */
    readonly graph?: string;
    readonly policyPack?: string;
    readonly policyPackConfig?: string;
    readonly policies: boolean;
    readonly log: (line: string) => void;
    /** Standard output, for `--json -` and `--graph -` (default: the process's). */
    readonly stdout?: (text: string) => void;
    /**
     * A pack already started by the caller, who also stops it: the CLI starts it first thing, to overlap its
     * start-up; a test suite shares one between plans (each plan configures it for its own stack).
     * Without it, the plan starts the pack and stops it when done.
     */
    readonly startedPack?: StartedPack;
    /**
     * Runs the program and resolves to what it registered (default: {@link runProgram}, under the plan's
     * mocks). The unit tests give one that replays registrations, so that a plan's verdict is tested without
     * replacing the suite's own mocks.
     */
    readonly run?: typeof runProgram;
}

export const EXIT = { clean: 0, mandatory: 1, failed: 2 } as const;

function readPolicyPackConfig(file: string | undefined): PolicyPackConfig {
    if (!file) {
        return {};
    }
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanConfigError(`--policy-pack-config ${file}: ${(e as Error).message}`);
    }
}

export const packDirOf = (given?: string) => (given ? path.resolve(given) : DEFAULT_POLICY_PACK);

/** Plans and reports; resolves to the exit code. */
export async function plan(options: PlanOptions): Promise<number> {
    const packDir = packDirOf(options.policyPack);
    const ownsPack = options.startedPack === undefined;
    const pack = options.policies ? (options.startedPack ?? PolicyPackProcess.start(packDir, options.log)) : undefined;
    try {
        if (!fs.existsSync(options.program)) {
            throw new PlanConfigError(`--program ${options.program}: no such file`);
        }
        // Per-stack policy settings live beside the pack: policies/config/<stack>.json, unless one is given (a stack
        // given as the path of its file is named by the file: examples/Pulumi.warm-standby.yaml is warm-standby).
        const stackName = stackFileArgument(options.stack)?.name ?? options.stack;
        const stackPolicyConfig = path.join(packDir, "config", `${stackName}.json`);
        const policyConfigFile = options.policyPackConfig ?? (fs.existsSync(stackPolicyConfig) ? stackPolicyConfig : undefined);
        const policyConfigSource = options.policyPackConfig ? `--policy-pack-config ${options.policyPackConfig}` : policyConfigFile;
        const packConfig = readPolicyPackConfig(policyConfigFile);
        const config = loadStackConfig(options.program, options.stack, options.config);
        // As the engine does, the pack analyzes each resource as it registers, while the program runs.
        const session = pack && new PackSession(pack, { project: config.project, stack: config.stack, config: config.values }, packConfig);
        const records = await (options.run ?? runProgram)(options.program, config, session && ((r) => session.add(r)));
        const resources = planResources(records, config.defaultRegion);

        let violations: Diagnostic[] = [];
        let policyPack: PlanReport["policyPack"];
        if (session) {
            const { info, diagnostics } = await session.finish().catch((e: Error) => {
                // A policy config the pack cannot take (unknown policy names, levels) is the user's input.
                throw /^policy pack config/.test(e.message) ? new PlanConfigError(`${policyConfigSource ?? "policy config"}: ${e.message}`) : e;
            });
            violations = diagnostics;
            policyPack = { name: info.name, version: info.version, policies: info.policies.length };
        }
        const report: PlanReport = {
            project: config.project,
            stack: config.stack,
            program: path.relative(process.cwd(), path.resolve(options.program)) || options.program,
            resources,
            policyPack,
            violations,
        };
        [...renderTree(report), "", ...renderPolicies(report), "", summary(report)].forEach((l) => options.log(l));
        const write = (option: string, target: string, text: string) => {
            try {
                writeOutput(target, text, options.stdout);
            } catch (e) {
                throw new PlanConfigError(`${option} ${target}: ${(e as Error).message}`);
            }
        };
        if (options.json) {
            write("--json", options.json, JSON.stringify(report, null, 2) + "\n");
        }
        if (options.graph) {
            write("--graph", options.graph, mermaidGraph(resources) + "\n");
        }
        return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.mandatory : EXIT.clean;
    } catch (e) {
        if (e instanceof ProgramError) {
            options.log(`error: ${e.message}`);
            // What a real run would have created before the failure, for the reader and for --json.
            const resources = planResources(e.registered);
            options.log(`Registered before the failure: ${resources.map((r) => `${r.type} ${r.name}`).join(", ") || "nothing"}.`);
            if (options.json) {
                try {
                    writeOutput(options.json, JSON.stringify({ error: e.message, resources }, null, 2) + "\n", options.stdout);
                } catch (writeError) {
                    options.log(`error: --json ${options.json}: ${(writeError as Error).message}`);
                }
            }
            return EXIT.failed;
        }
        if (e instanceof PlanConfigError) {
            options.log(`error: ${e.message}`);
            return EXIT.failed;
        }
        throw e;
    } finally {
        // Stops the pack whether or not it got to listen (a failed program should not wait for it), and waits
        // for its process to exit: nothing of the plan outlives it.
        if (ownsPack) {
            await pack?.abort();
        }
    }
}
