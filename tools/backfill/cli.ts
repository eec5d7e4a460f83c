/**
 * npm run backfill -- [--stack S] [--direction A→B] [--objects existing|failed|all] [--report all|failed]
 *                     [--priority N] [--dry-run] [--no-wait] [--interval DUR] [--timeout DUR] [--json FILE|-] [-h|--help]
 * Starts one S3 Batch Replication job per source side of the stack and follows each until it ends. `main` is
 * exported for the tests (injectable clients, Pulumi CLI and clock); the command runs only when this file is
 * the process's entry.
 */
import { randomBytes } from "crypto";
import { CreateJobCommand, CreateJobCommandInput, S3ControlClient } from "@aws-sdk/client-s3-control";
import { Clock, realClock } from "../verify/verifier";
import { parseDuration } from "../verify/stats";
import type { Run } from "../verify/targets";
import { CliStreams, readFlags, processStreams, runCommand, runProcess, writeOutput } from "../text";
import {
    BackfillError,
    BATCH_REPLICATION_PREFIX,
    createJobRequest,
    followJob,
    FollowedJob,
    OBJECTS_CHOICES,
    ObjectsChoice,
    parseDirection,
    ReportChoice,
    sources,
    stackSides,
} from "./jobs";

export const EXIT = { done: 0, failed: 1, couldNotRun: 2 } as const;

export const USAGE = `usage: npm run backfill -- [options]

Copies the objects live replication does not: those written before the replication configuration (and,
with --objects, those whose replication failed). For each source side of the stack it starts an S3 Batch
Replication job (S3 Control CreateJob in the side's region and account: a manifest S3 generates from the
bucket's replication configuration, the S3ReplicateObject operation, the side's Batch Operations role),
keeps the generated manifest and a completion report in the side's logging bucket under ${BATCH_REPLICATION_PREFIX}/,
then follows each job (DescribeJob) until it ends. A job runs over every enabled rule of its source, so in a
mesh it copies to each of that source's destinations. Needs s3-crr:batchReplication true (the role) and, for
whoever runs it, s3:CreateJob and s3:DescribeJob, and iam:PassRole on that role, in the source side's account
(with an account per region, run it once per source, --direction, with that account's credentials).

options:
  --stack NAME       stack whose outputs name the buckets and roles, read with pulumi stack output (default: dev)
  --direction A→B    only the job from A (A->B is accepted too); both must be regions of the stack
  --objects WHICH    existing: never replicated (status NONE, the default); failed: replication failed (FAILED);
                     all: both
  --report SCOPE     all: a completion report line per object (default); failed: only the failed ones
  --priority N       the jobs' priority, 0 to 2147483647, higher first among the account's jobs (default: 10)
  --dry-run          print the exact CreateJob requests and make no call to AWS
  --no-wait          start the jobs and print their ids without following them
  --interval DUR     time between two DescribeJob calls, such as 15s or 1m (default: 30s)
  --timeout DUR      longest wait for the jobs to end, such as 6h (default: 24h); they keep running after it
  --json FILE        write the requests (--dry-run) or each job's outcome as JSON to FILE; "-" is standard output
  -h, --help         print this help and exit

exit codes:
  0  every job completed with no failed task, or the jobs were started (--no-wait), or --dry-run, or --help
  1  a job failed or was cancelled (its reasons are named), a task failed, or the timeout passed first
  2  the command could not run: a wrong command line, no batchReplicationRoleArn output (set
     s3-crr:batchReplication true), the stack's outputs unreadable, or an AWS error on CreateJob`;

/** What the command talks to; the tests replace it. */
export interface BackfillDeps {
    readonly s3control: (region: string) => S3ControlClient;
    /** Runs the Pulumi CLI (for the stack's outputs). */
    readonly exec: Run;
    readonly clock: Clock;
    readonly runId?: string;
}

const run: Run = runProcess;

const awsDeps: BackfillDeps = { s3control: (region) => new S3ControlClient({ region }), exec: run, clock: realClock };

/** Runs `npm run backfill` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams, deps: BackfillDeps = awsDeps): Promise<number> {
    const read = readFlags(
        "backfill",
        USAGE,
        argv,
        {
            stack: { type: "string", default: "dev" },
            direction: { type: "string" },
            objects: { type: "string", default: "existing" },
            report: { type: "string", default: "all" },
            priority: { type: "string", default: "10" },
            "dry-run": { type: "boolean", default: false },
            "no-wait": { type: "boolean", default: false },
            interval: { type: "string", default: "30s" },
            timeout: { type: "string", default: "24h" },
        },
        io,
        { help: EXIT.done, wrong: EXIT.couldNotRun },
    );
    if ("exit" in read) {
        return read.exit;
    }
    const { flags: v, say } = read;
    // Every flag is checked before the stack is read and before any call.
    const problems: string[] = [];
    if (!(OBJECTS_CHOICES as readonly string[]).includes(v.objects!)) {
        problems.push(`--objects '${v.objects}' is not one of ${OBJECTS_CHOICES.join(", ")}`);
    }
    if (v.report !== "all" && v.report !== "failed") {
        problems.push(`--report '${v.report}' is not one of all, failed`);
    }
    const priority = /^\d+$/.test(v.priority!) ? Number(v.priority) : NaN;
    if (!(priority >= 0 && priority <= 2147483647)) {
        problems.push(`--priority '${v.priority}' is not a whole number from 0 to 2147483647`);
    }
    let intervalMs = 0;
    let timeoutMs = 0;
    let direction: { from: string; to: string } | undefined;
    for (const check of [
        () => (intervalMs = parseDuration(v.interval!, "--interval")),
        () => (timeoutMs = parseDuration(v.timeout!, "--timeout")),
        () => (direction = v.direction === undefined ? undefined : parseDirection(v.direction)),
    ]) {
        try {
            check();
        } catch (e) {
            problems.push((e as Error).message);
        }
    }
    if (problems.length > 0) {
        io.stderr(problems.map((p) => `error: ${p}\n`).join(""));
        return EXIT.couldNotRun;
    }
    const runId = deps.runId ?? `${new Date(deps.clock.now()).toISOString().slice(0, 19).replace(/[-:T]/g, "")}-${randomBytes(3).toString("hex")}`;
    let requests: { side: ReturnType<typeof sources>[number]; request: CreateJobCommandInput }[];
    try {
        const sides = stackSides(v.stack!, deps.exec);
        const chosen = sources(sides, direction);
        requests = chosen.map((s) => ({
            side: s,
            request: createJobRequest(s, sides, { objects: v.objects as ObjectsChoice, report: v.report as ReportChoice, priority, runId }),
        }));
    } catch (e) {
        io.stderr(`error: ${(e as Error).message}\n`);
        return EXIT.couldNotRun;
    }
    // AWS: Batch Replication may replicate an object's delete marker before the versions behind it, and a rule
    // that removes expired delete markers (the stack's versionLifecycle rule does) may then remove it first.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
    io.stderr(
        "caution: AWS advises pausing lifecycle rules that remove expired delete markers while a Batch Replication job runs " +
            "(the stack's expire-noncurrent-versions rule, option versionLifecycle, is one): a delete marker replicated ahead of its versions may be removed first\n",
    );
    if (v["dry-run"]) {
        for (const { side, request } of requests) {
            say(`CreateJob in ${side.region} (account ${side.accountId}), not sent (--dry-run):\n${JSON.stringify(request, null, 2)}\n`);
        }
        writeJson(v.json, { stack: v.stack, dryRun: true, requests: requests.map((r) => ({ region: r.side.region, request: r.request })) }, io);
        return EXIT.done;
    }
    const started: { side: (typeof requests)[number]["side"]; jobId: string }[] = [];
    try {
        for (const { side, request } of requests) {
            const r = await deps.s3control(side.region).send(new CreateJobCommand(request));
            if (!r.JobId) {
                throw new BackfillError(`CreateJob in ${side.region} answered without a job id`);
            }
            started.push({ side, jobId: r.JobId });
            say(`${side.region}: started Batch Replication job ${r.JobId} over ${side.bucketName} (report: s3://${side.loggingBucketName}/${BATCH_REPLICATION_PREFIX}/job-${r.JobId}/)\n`);
        }
    } catch (e) {
        const aws = e instanceof Error && "$metadata" in e;
        io.stderr(`error: ${aws ? `${(e as Error).name}: ` : ""}${(e as Error).message}\n`);
        if (started.length > 0) {
            io.stderr(`already started, and still running: ${started.map((s) => `${s.side.region} ${s.jobId}`).join(", ")}\n`);
        }
        writeJson(v.json, { stack: v.stack, jobs: started.map((s) => ({ region: s.side.region, jobId: s.jobId })) }, io);
        return EXIT.couldNotRun;
    }
    if (v["no-wait"]) {
        writeJson(v.json, { stack: v.stack, jobs: started.map((s) => ({ region: s.side.region, jobId: s.jobId })) }, io);
        return EXIT.done;
    }
    let outcomes: FollowedJob[];
    try {
        outcomes = await Promise.all(
            started.map((s) =>
                followJob({ client: deps.s3control(s.side.region), side: s.side, jobId: s.jobId, clock: deps.clock, intervalMs, timeoutMs, say: (line) => say(`${line}\n`) }),
            ),
        );
    } catch (e) {
        const aws = e instanceof Error && "$metadata" in e;
        io.stderr(`error: ${aws ? `${(e as Error).name}: ` : ""}${(e as Error).message}\n(the jobs keep running: ${started.map((s) => `${s.side.region} ${s.jobId}`).join(", ")})\n`);
        return EXIT.couldNotRun;
    }
    let ok = true;
    for (const o of outcomes) {
        if (o.timedOut) {
            ok = false;
            say(`${o.region} job ${o.jobId}: still ${o.status} after --timeout ${v.timeout}; it keeps running (aws s3control describe-job --region ${o.region} --job-id ${o.jobId})\n`);
        } else if (o.status !== "Complete") {
            ok = false;
            say(`${o.region} job ${o.jobId} ${o.status}: ${o.failureReasons.length ? o.failureReasons.join("; ") : "S3 gave no reason"}\n`);
        } else if (o.failed > 0) {
            ok = false;
            say(`${o.region} job ${o.jobId} completed with ${o.failed} failed task(s): the completion report under ${o.report} names each object and why\n`);
        } else {
            say(`${o.region} job ${o.jobId} completed: ${o.succeeded} object version(s) replicated; report under ${o.report}\n`);
        }
    }
    writeJson(v.json, { stack: v.stack, jobs: outcomes }, io);
    return ok ? EXIT.done : EXIT.failed;
}

function writeJson(target: string | undefined, value: unknown, io: CliStreams) {
    if (target) {
        writeOutput(target, JSON.stringify(value, null, 2) + "\n", io.stdout);
    }
}

if (require.main === module) {
    runCommand(main, EXIT.couldNotRun);
}
