/**
 * npm run status -- [--stack dev] [--rpo 15m] [--json FILE|-] [-h|--help]
 *   [--primary-bucket B --primary-region R --secondary-bucket B --secondary-region R]
 * Exit 0 healthy, 1 degraded, 2 failing or the status could not be read. `main` is exported for the tests.
 */
import { parseArgs } from "util";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { parseDuration } from "../verify/stats";
import { resolveTargets, Run, stackSides, TARGET_OPTIONS, targetFlags } from "../verify/targets";
import { VerifyError } from "../verify/verifier";
import { CliStreams, processStreams, runCommand, STDOUT, writeOutput } from "../text";
import { directionStatus, overall, renderStatus, StatusClients, StatusError } from "./status";

export const EXIT = { healthy: 0, degraded: 1, failing: 2 } as const;

export const USAGE = `usage: npm run status -- [options]

Read-only: is replication healthy right now, in each direction (every pair of sides of a mesh stack)?
For each direction it reads the rule from GetBucketReplication on the source bucket, the last hour of the
rule's replication metrics (latency, bytes and operations pending, failed operations) with GetMetricData,
and the states of this project's alarms for the rule (DescribeAlarms), then gives a verdict. Uses the
standard AWS credential chain.

options:
  --stack NAME                 stack whose outputs name the buckets, read with pulumi stack output (default: dev)
  --primary-bucket BUCKET      the primary bucket, instead of the stack's output
  --primary-region REGION      the primary bucket's region, instead of the stack's output
  --secondary-bucket BUCKET    the secondary bucket, instead of the stack's output
  --secondary-region REGION    the secondary bucket's region, instead of the stack's output
  --rpo DURATION               recovery point objective: a latency above it is degraded (default: 15m)
  --json FILE                  write the result as JSON to FILE; "-" writes it to standard output
  -h, --help                   print this help and exit

exit codes:
  0  healthy in both directions, or --help
  1  degraded: lagging beyond the RPO, or a latency or backlog alarm firing
  2  failing (no or disabled rule, failed operations, the failure alarm firing), or the status could not be
     read (credentials, permissions, a missing bucket) or the command line is wrong`;

export interface StatusDeps extends StatusClients {
    readonly now: () => Date;
    readonly exec?: Run;
}

const awsDeps: StatusDeps = {
    s3: (region) => new S3Client({ region }),
    cloudwatch: (region) => new CloudWatchClient({ region }),
    now: () => new Date(),
};

/** Runs `npm run status` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams, deps: StatusDeps = awsDeps): Promise<number> {
    const fail = (message: string) => {
        io.stderr(`error: ${message}\n`);
        return EXIT.failing;
    };
    let v;
    try {
        v = parseArgs({
            args: argv,
            options: {
                ...TARGET_OPTIONS,
                rpo: { type: "string", default: "15m" },
                json: { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
        }).values;
    } catch (e) {
        return fail(`${(e as Error).message}\nrun 'npm run status -- --help' for the options`);
    }
    if (v.help) {
        io.stdout(`${USAGE}\n`);
        return EXIT.healthy;
    }
    try {
        const rpoSeconds = parseDuration(v.rpo!, "--rpo") / 1000;
        // With no bucket flag, every side of the stack (a mesh's too); with flags, the pair they name.
        const flags = targetFlags(v);
        const given = [flags.primaryBucket, flags.primaryRegion, flags.secondaryBucket, flags.secondaryRegion].some((f) => f !== undefined);
        const sides = given ? Object.values(resolveTargets(flags, deps.exec)) : stackSides(flags.stack, deps.exec);
        const now = deps.now();
        const directions = [];
        for (const from of sides) {
            for (const to of sides.filter((s) => s !== from)) {
                directions.push(await directionStatus(deps, from, to, rpoSeconds, now));
            }
        }
        const report = renderStatus(directions);
        (v.json === STDOUT ? io.stderr : io.stdout)(`${report}\n`);
        if (v.json) {
            writeOutput(v.json, JSON.stringify({ verdict: overall(directions), rpoSeconds, directions }, null, 2) + "\n", io.stdout);
        }
        return EXIT[overall(directions)];
    } catch (e) {
        if (e instanceof StatusError || e instanceof VerifyError || (e instanceof Error && /--rpo/.test(e.message))) {
            return fail(e.message);
        }
        throw e;
    }
}

if (require.main === module) {
    runCommand(main, EXIT.failing);
}
