/**
 * npm run drill -- [--stack dev] [--rpo SECONDS] [--rto SECONDS] [--timeout DUR] [--interval DUR] [--dry-run]
 *                  [--report FILE] [--json FILE|-] [-h|--help]
 * A disaster-recovery rehearsal on a deployed stack (tools/drill/drill.ts). `main` is exported for the tests
 * (injectable clients, Pulumi CLI, clock and interruption); the command runs only when this file is the
 * process's entry, where SIGINT stops the drill and cleans up.
 */
import * as fs from "fs";
import { randomBytes } from "crypto";
import { BackupClient } from "@aws-sdk/client-backup";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
// Requests through a Multi-Region Access Point are SigV4A-signed: the pure-JavaScript signer registers itself.
import "@aws-sdk/signature-v4a";
import { Clock, realClock } from "../verify/verifier";
import { parseDuration } from "../verify/stats";
import { Run } from "../verify/targets";
import { CliStreams, readFlags, processStreams, runCommand, runProcess, STDOUT, writeOutput } from "../text";
import { readStack } from "../restore/stack";
import { describeError, RestoreError } from "../restore/backup";
import { drillPlan, runDrill } from "./drill";
import { drillMarkdown, renderDrill } from "./report";

export const EXIT = { met: 0, missed: 1, couldNotRun: 2 } as const;

export const USAGE = `usage: npm run drill -- [options]

Rehearses disaster recovery on a deployed stack and reports each objective against the stack's own
(its objectives output: rpoSeconds, rtoSeconds):
  1. RPO: a canary written in each active region, timed until readable in every other region;
  2. RTO, where the stack has an access point: a failover to another region, timed until reads through the
     access point are served from there, then the routes set back as found;
  3. restore: one canary deleted and another overwritten, restored in place (AWS Backup for the deleted one
     where the stack backs up, object versions otherwise and for the overwritten one), their content checked;
  4. cleanup: every canary (crr-drill/<run>/) removed from every bucket and the routes left as found, also
     when a step fails or the drill is interrupted (Ctrl-C).
Uses the standard AWS credential chain.

options:
  --stack NAME      the stack to rehearse on, read with pulumi stack output (default: dev)
  --rpo SECONDS     the RPO objective, instead of the stack's rpoSeconds
  --rto SECONDS     the RTO objective, instead of the stack's rtoSeconds
  --timeout DUR     longest wait for a replica or a failover, such as 15m (default: twice the larger objective,
                    at most 1h)
  --interval DUR    how often replicas and reads are polled (default: 2s)
  --restore-timeout DUR  longest wait for an AWS Backup restore job (default: 2h)
  --settle DUR      how long the restore canaries stay intact before the damage, so that the continuous
                    backup records them (default: 5m where the stack backs up, else 0s)
  --dry-run         print the plan of calls and make none
  --report FILE     also write the report as Markdown to FILE (for the audit trail)
  --json FILE       write the report as JSON to FILE; "-" writes it to standard output
  -h, --help        print this help and exit

The caller needs what npm run failover and npm run restore need (s3:GetMultiRegionAccessPointRoutes,
s3:SubmitMultiRegionAccessPointRoutes, backup:StartRestoreJob, iam:PassRole on the backup role...) and
s3:PutObject, s3:GetObject, s3:DeleteObject, s3:DeleteObjectVersion, s3:ListBucketVersions on the buckets.

exit codes:
  0  every objective was met and everything was cleaned up (or --dry-run, or --help)
  1  an objective was missed (RPO, RTO, a restore), or something was left behind
  2  the drill could not run or was stopped: a wrong command line, no such stack, no credentials, access
     denied, an AWS error mid-drill, or an interruption (cleanup still ran)`;

export interface DrillCliDeps {
    readonly s3: (region: string) => S3Client;
    readonly backup: (region: string) => BackupClient;
    readonly s3control: (region: string) => S3ControlClient;
    readonly accessPointS3: () => S3Client;
    readonly exec: Run;
    readonly clock: Clock;
    /**
     * Calls `stop` when the drill is to stop (the process's first SIGINT), and returns what unsubscribes it.
     * The tests interrupt a drill through it.
     */
    readonly onInterrupt: (stop: () => void) => () => void;
    readonly runId?: string;
}

const run: Run = runProcess;

/** The first SIGINT stops the drill (cleanup runs); a second one, with no listener left, ends the process. */
const onSigint = (stop: () => void) => {
    process.once("SIGINT", stop);
    return () => void process.removeListener("SIGINT", stop);
};

function awsDeps(): DrillCliDeps {
    return {
        s3: (region) => new S3Client({ region }),
        backup: (region) => new BackupClient({ region }),
        s3control: (region) => new S3ControlClient({ region }),
        // The region only seeds the client: a request to an access point ARN goes to its global endpoint.
        accessPointS3: () => new S3Client({ region: "us-east-1" }),
        exec: run,
        clock: realClock,
        onInterrupt: onSigint,
    };
}

/** A whole number of seconds within the option's range (60 to the option's maximum). */
function seconds(text: string | undefined, flag: string, max: number): number | undefined {
    if (text === undefined) {
        return undefined;
    }
    if (!/^\d+$/.test(text) || Number(text) < 60 || Number(text) > max) {
        throw new RestoreError(`${flag} must be a whole number of seconds from 60 to ${max}; got '${text}'`);
    }
    return Number(text);
}

/** Runs `npm run drill` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams, deps: DrillCliDeps = awsDeps()): Promise<number> {
    const read = readFlags(
        "drill",
        USAGE,
        argv,
        {
            stack: { type: "string", default: "dev" },
            rpo: { type: "string" },
            rto: { type: "string" },
            timeout: { type: "string" },
            interval: { type: "string", default: "2s" },
            "restore-timeout": { type: "string", default: "2h" },
            settle: { type: "string" },
            "dry-run": { type: "boolean", default: false },
            report: { type: "string" },
        },
        io,
        { help: EXIT.met, wrong: EXIT.couldNotRun },
    );
    if ("exit" in read) {
        return read.exit;
    }
    const { flags: v, say } = read;
    const d = deps;
    const controller = new AbortController();
    let unsubscribe: (() => void) | undefined;
    try {
        // The command line, checked before any call.
        const rpoFlag = seconds(v.rpo, "--rpo", 86400);
        const rtoFlag = seconds(v.rto, "--rto", 604800);
        const intervalMs = parseDuration(v.interval!, "--interval");
        const restoreTimeoutMs = parseDuration(v["restore-timeout"]!, "--restore-timeout");
        const timeoutFlag = v.timeout === undefined ? undefined : parseDuration(v.timeout, "--timeout");
        const settleFlag = v.settle === undefined ? undefined : parseDuration(v.settle, "--settle");
        if (v.report !== undefined && v.report === STDOUT) {
            throw new RestoreError("--report takes a file name (the Markdown report); for standard output use --json -");
        }
        const stack = readStack(v.stack!, d.exec);
        const rpoSeconds = rpoFlag ?? stack.objectives?.rpoSeconds;
        const rtoSeconds = rtoFlag ?? stack.objectives?.rtoSeconds;
        if (rpoSeconds === undefined || rtoSeconds === undefined) {
            throw new RestoreError(`stack '${v.stack}' has no objectives output (deployed before rtoSeconds existed?): deploy it again, or pass --rpo and --rto`);
        }
        const options = {
            stack,
            rpoSeconds,
            rtoSeconds,
            runId: d.runId ?? `${new Date(d.clock.now()).toISOString().replace(/[:.]/g, "-")}-${randomBytes(3).toString("hex")}`,
            timeoutMs: timeoutFlag ?? Math.min(3_600_000, 2 * 1000 * Math.max(rpoSeconds, rtoSeconds)),
            pollIntervalMs: intervalMs,
            endpointTimeoutMs: 10_000,
            restoreTimeoutMs,
            restoreIntervalMs: 15_000,
            settleMs: settleFlag ?? (stack.sides[0].backupRoleArn !== undefined ? 300_000 : 0),
        };
        if (v["dry-run"]) {
            say([`Drill plan for stack ${v.stack} (dry run: no call is made):`, ...drillPlan(options).map((l) => `  ${l}`), ""].join("\n"));
            if (v.json) {
                writeOutput(v.json, JSON.stringify({ dryRun: true, plan: drillPlan(options) }, null, 2) + "\n", io.stdout);
            }
            return EXIT.met;
        }
        unsubscribe = d.onInterrupt(() => {
            io.stderr("\ninterrupted: stopping the drill and cleaning up the canaries and the routes (Ctrl-C again exits at once, without cleanup)\n");
            controller.abort();
        });
        const report = await runDrill(options, { ...d, progress: (line) => say(`${line}\n`), signal: controller.signal });
        say(`${renderDrill(report, v.stack!).join("\n")}\n`);
        if (v.report) {
            fs.writeFileSync(v.report, drillMarkdown(report, v.stack!));
            say(`report written to ${v.report}\n`);
        }
        if (v.json) {
            writeOutput(v.json, JSON.stringify({ stack: v.stack, ...report }, null, 2) + "\n", io.stdout);
        }
        if (report.error !== undefined) {
            io.stderr(`error: ${report.interrupted ? "interrupted" : report.error}\n`);
            return EXIT.couldNotRun;
        }
        return report.ok ? EXIT.met : EXIT.missed;
    } catch (e) {
        io.stderr(`error: ${describeError(e)}\n`);
        return EXIT.couldNotRun;
    } finally {
        unsubscribe?.();
    }
}

if (require.main === module) {
    runCommand(main, EXIT.couldNotRun);
}
