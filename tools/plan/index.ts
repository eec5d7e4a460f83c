/**
 * `npm run plan`: the program's main job without a cloud. Runs a Pulumi program under realistic mocks,
 * runs the policy pack over what it registered the way the engine does, and reports. The policy pack is
 * started before the program runs, so its start-up overlaps the program's.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_POLICY_PACK, Diagnostic, PackSession, PolicyPackConfig, PolicyPackProcess, StartedPack } from "./analyzer";
import { loadStackConfig, PlanConfigError, StackConfig } from "./config";
import { mermaidGraph } from "./graph";
import { planResources } from "./model";
import { PlanReport, renderPolicies, renderTree, summary } from "./render";
import { ProgramError, ProgramMessage, runProgram } from "./run";
import { PolicyConfigError } from "./configure";
import { estimateCost, renderEstimate } from "./cost";
import { DEFAULT_WORKLOAD, Workload } from "./workload";
import { dataChanges, removalRefusal } from "./since";
import { plural, writeOutput } from "../text";
import { Registration } from "../mocking";

/** The program's log messages, as `pulumi preview` shows them beside the run (once: the list is emptied). */
function reportMessages(messages: ProgramMessage[], log: (line: string) => void): void {
    for (const m of messages.splice(0)) {
        log(`${m.severity}: ${m.message}`);
    }
}

export interface PlanOptions {
    readonly stack: string;
    readonly program: string;
    readonly config: readonly string[];
    /** File for the JSON report; `-` is standard output. */
    readonly json?: string;
    /** File for the Mermaid graph; `-` is standard output. */
    readonly graph?: string;
    /** The `--json` of an earlier plan: say which buckets and keys this one replaces or deletes (since.ts). */
    readonly since?: string;
    readonly policyPack?: string;
    readonly policyPackConfig?: string;
    readonly policies: boolean;
    /** A warning the program logs (an unknown configuration key, say) is an error: exit 2. */
    readonly strict?: boolean;
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
    /** The workload the cost estimate assumes (default: {@link DEFAULT_WORKLOAD}). */
    readonly workload?: Workload;
    /** The clock the price table's age is checked against (tests inject one). */
    readonly now?: Date;
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

/** `file` relative to the current directory when inside it (as the user would type it), else absolute. */
const shown = (file: string) => {
    const relative = path.relative(process.cwd(), path.resolve(file));
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : path.resolve(file);
};

/** The policy config a plan applies (none: every policy at its own level and defaults), and a note on why not. */
export interface ChosenPolicyConfig {
    readonly file?: string;
    /** How an error names the file: `--policy-pack-config <file>`, or the file. */
    readonly source?: string;
    /** Why the stack's policy config beside the pack was not applied. */
    readonly note?: string;
}

/**
 * The policy config of a plan: the one given, else the stack's beside the pack (`<pack>/config/<stack>.json`,
 * a stack given as the path of its file named by the file: examples/Pulumi.warm-standby.yaml is warm-standby),
 * but only for a program of the project the pack belongs to (the `Pulumi.yaml` beside the pack's folder):
 * another project's `--program` plan must not silently take this repository's settings for a stack that
 * merely shares the name.
 */
export function choosePolicyConfig(given: string | undefined, packDir: string, stack: StackConfig): ChosenPolicyConfig {
    if (given) {
        return { file: given, source: `--policy-pack-config ${given}` };
    }
    const candidate = path.join(packDir, "config", `${stack.stack}.json`);
    if (!fs.existsSync(candidate)) {
        return {};
    }
    const packProject = path.join(path.dirname(packDir), "Pulumi.yaml");
    if (stack.projectFile === undefined || path.resolve(stack.projectFile) !== packProject) {
        return {
            note:
                `${shown(candidate)} is not applied: it belongs to the project beside the pack (${shown(packProject)}), not to the ` +
                `program's (${stack.projectFile ? shown(stack.projectFile) : "none found"}); pass --policy-pack-config to apply a policy config`,
        };
    }
    return { file: candidate, source: shown(candidate) };
}

/** Plans and reports; resolves to the exit code. */
export async function plan(options: PlanOptions): Promise<number> {
    const packDir = packDirOf(options.policyPack);
    const ownsPack = options.startedPack === undefined;
    const pack = options.policies ? (options.startedPack ?? PolicyPackProcess.start(packDir, options.log)) : undefined;
    const messages: ProgramMessage[] = [];
    try {
        if (!fs.existsSync(options.program)) {
            throw new PlanConfigError(`--program ${options.program}: no such file`);
        }
        const config = loadStackConfig(options.program, options.stack, options.config);
        const policyConfig = choosePolicyConfig(options.policyPackConfig, packDir, config);
        if (policyConfig.note && pack) {
            options.log(`note: ${policyConfig.note}`);
        }
        const packConfig = readPolicyPackConfig(policyConfig.file);
        // As the engine does, the pack analyzes each resource as it registers, while the program runs. A read
        // (`Resource.get`: an adopted bucket) is not handed to it: the engine runs no analyzer on a read and leaves
        // reads out of AnalyzeStack (pulumi/pulumi#3950), so the policies must judge a stack without them.
        const session = pack && new PackSession(pack, { project: config.project, stack: config.stack, config: config.values }, packConfig);
        const analyze = session && ((r: Registration) => (r.read ? undefined : session.add(r)));
        const records = await (options.run ?? runProgram)(options.program, config, analyze, (m) => messages.push(m));
        // --strict: a warning of the program (an unknown configuration key, say) fails the plan as CI's would.
        const warnings = messages.filter((m) => m.severity === "warning");
        reportMessages(messages, options.log);
        if (options.strict && warnings.length > 0) {
            throw new PlanConfigError(`--strict: the program logged ${plural(warnings.length, "warning")} (above); a strict plan takes none`);
        }
        const resources = planResources(records, config.defaultRegion);

        let violations: Diagnostic[] = [];
        let policyPack: PlanReport["policyPack"];
        if (session) {
            const { info, diagnostics } = await session.finish().catch((e: Error) => {
                // A policy config the policies do not accept is the user's input: exit 2, naming the file.
                throw e instanceof PolicyConfigError ? new PlanConfigError(`${policyConfig.source ?? "policy config"}: ${e.message}`) : e;
            });
            violations = diagnostics;
            policyPack = { name: info.name, version: info.version, policies: info.policies.length, config: policyConfig.file ? shown(policyConfig.file) : null };
        }
        const report: PlanReport = {
            project: config.project,
            stack: config.stack,
            program: path.relative(process.cwd(), path.resolve(options.program)) || options.program,
            resources,
            policyPack,
            violations,
            estimate: estimateCost(resources, options.workload ?? DEFAULT_WORKLOAD, undefined, options.now),
        };
        [...renderTree(report), "", ...renderEstimate(report.estimate!), "", ...renderPolicies(report), "", summary(report)].forEach((l) => options.log(l));
        const refusal = options.since ? sinceReport(options.since, resources, options.log) : undefined;
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
        if (refusal) {
            throw new PlanConfigError(refusal);
        }
        return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.mandatory : EXIT.clean;
    } catch (e) {
        if (e instanceof ProgramError) {
            reportMessages(messages, options.log);
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

/** Logs what the plan does to the buckets and keys of the plan in `file`; returns the refusal, if any. */
function sinceReport(file: string, resources: ReturnType<typeof planResources>, log: (line: string) => void): string | undefined {
    let previous;
    try {
        previous = JSON.parse(fs.readFileSync(file, "utf8")).resources;
    } catch (e) {
        throw new PlanConfigError(`--since ${file}: ${(e as Error).message}`);
    }
    if (!Array.isArray(previous)) {
        throw new PlanConfigError(`--since ${file}: not the --json of a plan (no resources)`);
    }
    const changes = dataChanges(previous, resources);
    log("");
    log(changes.length === 0 ? `Since ${file}: no bucket or key is replaced or deleted.` : `Since ${file}:`);
    changes.filter((c) => c.kind !== "deleted" && c.kind !== "rerouted").forEach((c) => log(`  note: ${c.message}`));
    return removalRefusal(changes);
}
