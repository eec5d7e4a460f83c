/**
 * npm run plan -- [--stack dev] [--program index.ts] [--config key=value ...] [--json FILE|-] [--graph FILE|-] [--since FILE]
 *                 [--workload KEY=N,...] [--policy-pack DIR] [--policy-pack-config FILE] [--no-policies] [--strict] [-h|--help]
 * Exit codes: 0 clean (advisory violations allowed), 1 mandatory violations, 2 the program or its
 * configuration failed, or the command line was wrong. `main` is exported for the tests; the command runs
 * only when this file is the process's entry.
 */
import * as path from "path";
import { parseArgs } from "util";
// Only what starting the policy pack needs is loaded before the pack starts: its start-up (about 1.3 s)
// then overlaps loading the Pulumi SDK and running the program, instead of following them.
import { PolicyPackProcess } from "./analyzer";
import { CliStreams, processStreams, runCommand, STDOUT } from "../text";
import { parseWorkload, Workload, WorkloadError, workloadHelp } from "./workload";

const EXIT = { clean: 0, mandatory: 1, failed: 2 } as const;
const DEFAULT_PACK = path.join(__dirname, "..", "..", "policies");

export const USAGE = `usage: npm run plan -- [options]

Runs a Pulumi TypeScript program offline under realistic mocks (no AWS, no Pulumi CLI), runs the policy
pack over what it would create, and prints a preview-like tree, a monthly cost estimate (for the workload
of --workload), the policy results and a summary.

options:
  --stack NAME               stack to plan: reads Pulumi.NAME.yaml next to the program's Pulumi.yaml (default: dev);
                             a path ending in Pulumi.NAME.yaml plans that file as stack NAME (examples/Pulumi.warm-standby.yaml),
                             and FOLDER/NAME plans FOLDER/Pulumi.NAME.yaml (examples/warm-standby)
  --program FILE             the Pulumi TypeScript program to run (default: index.ts)
  --config KEY=VALUE         override one configuration value; repeatable; a KEY without a namespace is the project's
  --json FILE                write the resources and violations as JSON to FILE; "-" writes it to standard output
  --graph FILE               write a Mermaid graph of the resources to FILE; "-" writes it to standard output
  --workload KEY=N,...       the month the cost estimate assumes (keys not given keep their defaults):
${workloadHelp("                               ")}
  --since FILE               the --json of an earlier plan: say which buckets and KMS keys this one would replace or
                             delete, and refuse (exit 2) deleting a bucket whose data nobody said how to keep, or
                             moving the access point's routes to another region (it would undo a failover)
  --policy-pack DIR          the policy pack to run (default: policies/)
  --policy-pack-config FILE  enforcement levels and settings per policy (default: policies/config/NAME.json if present,
                             for a program of this project), checked against what the policies declare
  --no-policies              skip the policy pack
  --strict                   a warning of the program (an unknown configuration key, say) is an error
  -h, --help                 print this help and exit

Relative paths are taken from the current directory, which npm run sets to the repository root.
With --json - or --graph -, the report goes to standard error and standard output holds only the data;
run npm with -s (npm run -s plan -- --json -) so that npm's own banner stays out of it too.

exit codes:
  0  planned clean (advisory violations allowed), or --help
  1  at least one mandatory policy violation
  2  the program or its configuration failed (with --strict: it logged a warning), the policy config is not what
     the policies accept, or the command line is wrong`;

/** Runs `npm run plan` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams): Promise<number> {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", default: "dev" },
                program: { type: "string", default: "index.ts" },
                config: { type: "string", multiple: true, default: [] },
                json: { type: "string" },
                graph: { type: "string" },
                workload: { type: "string" },
                since: { type: "string" },
                "policy-pack": { type: "string" },
                "policy-pack-config": { type: "string" },
                "no-policies": { type: "boolean", default: false },
                strict: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
            allowPositionals: false,
        });
    } catch (e) {
        io.stderr(`error: ${(e as Error).message}\nrun 'npm run plan -- --help' for the options\n`);
        return EXIT.failed;
    }
    const v = parsed.values;
    if (v.help) {
        io.stdout(`${USAGE}\n`);
        return EXIT.clean;
    }
    if (v.json === STDOUT && v.graph === STDOUT) {
        io.stderr("error: --json - and --graph - would both write to standard output: send one of them to a file\n");
        return EXIT.failed;
    }
    let workload: Workload;
    try {
        workload = parseWorkload(v.workload);
    } catch (e) {
        if (!(e instanceof WorkloadError)) throw e;
        io.stderr(`error: ${e.message}\nrun 'npm run plan -- --help' for the options\n`);
        return EXIT.failed;
    }
    // The data owns standard output when it is written there; the human-readable report then goes to stderr.
    const toStdout = v.json === STDOUT || v.graph === STDOUT;
    const log = (line: string) => (toStdout ? io.stderr : io.stdout)(`${line}\n`);
    const startedPack = v["no-policies"] ? undefined : PolicyPackProcess.start(v["policy-pack"] ? path.resolve(v["policy-pack"]) : DEFAULT_PACK, log);
    // Loading the SDK blocks the event loop for a second: let the pack's process start first.
    await startedPack?.spawned;
    const { plan } = await import("./index");
    try {
        return await plan({
            stack: v.stack!,
            program: v.program!,
            config: v.config!,
            json: v.json,
            graph: v.graph,
            since: v.since,
            policyPack: v["policy-pack"],
            policyPackConfig: v["policy-pack-config"],
            policies: !v["no-policies"],
            strict: v.strict,
            workload,
            log,
            stdout: io.stdout,
            startedPack,
        });
    } finally {
        await startedPack?.abort();
    }
}

if (require.main === module) {
    runCommand(main, EXIT.failed);
}
