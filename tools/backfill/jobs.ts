/**
 * S3 Batch Replication jobs for the objects live replication does not copy (those written before the
 * replication configuration, and those whose replication failed): the stack's sides from its outputs, one
 * CreateJob request per source side, and the DescribeJob follow-up. Pure builders, exported for the tests.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateJob.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3JobManifestGenerator.html (SourceBucket is an ARN)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestGeneratorFilter.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3ManifestOutputLocation.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobReport.html (report at <prefix>/job-<id>/report.json)
 */
import { CreateJobCommandInput, DescribeJobCommand, JobDescriptor, ReplicationStatus, S3ControlClient } from "@aws-sdk/client-s3-control";
import { regionProblem } from "../../components/model/regions";
import { Clock } from "../verify/verifier";
import { formatDuration } from "../verify/stats";
import type { Run } from "../verify/targets";

export class BackfillError extends Error {}

/** One side of the stack, as its outputs name it. */
export interface BackfillSide {
    /** `primary`/`secondary` for a pair, the region key for a mesh. */
    readonly key: string;
    readonly region: string;
    readonly accountId: string;
    readonly bucketName: string;
    readonly bucketArn: string;
    readonly loggingBucketName: string;
    /** The side's S3 Batch Operations role (option batchReplication); absent without it. */
    readonly batchReplicationRoleArn?: string;
}

/** Which objects a job copies: never replicated, failed before, or both. */
export type ObjectsChoice = "existing" | "failed" | "all";
export const OBJECTS_CHOICES: readonly ObjectsChoice[] = ["existing", "failed", "all"];

/**
 * The replication statuses each choice selects (the User Guide's "Filters for a Batch Replication job"):
 * NONE is an object S3 never tried to replicate (it existed before the configuration), FAILED one it tried
 * and failed. COMPLETED and REPLICA are left out: re-copying what arrived, or sending replicas back to
 * where they came from, is not a backfill.
 */
export const REPLICATION_STATUSES: Readonly<Record<ObjectsChoice, ReplicationStatus[]>> = {
    existing: ["NONE"],
    failed: ["FAILED"],
    all: ["NONE", "FAILED"],
};

export type ReportChoice = "all" | "failed";
export const REPORT_SCOPES = { all: "AllTasks", failed: "FailedTasksOnly" } as const;

/**
 * Where the generated manifest and the completion report go in the side's logging bucket: the prefix the
 * logging bucket's policy opens to the Batch Operations role. Written without its trailing slash: S3 adds
 * `/job-<id>/` after it (the report lands at `<prefix>/job-<id>/report.json`, per JobReport's Prefix).
 */
export const BATCH_REPLICATION_PREFIX = "batch-replication";

/** The generated manifest's only format (S3ManifestOutputLocation.ManifestFormat). */
export const MANIFEST_FORMAT = "S3InventoryReport_CSV_20211130";
/** The completion report's only format (JobReport.Format). */
export const REPORT_FORMAT = "Report_CSV_20180820";

/** The statuses after which a job does nothing more (DescribeJob's Status). */
export const FINAL_STATUSES = ["Complete", "Failed", "Cancelled"] as const;

type SideOutput = Partial<Record<keyof BackfillSide, unknown>>;

function side(stack: string, key: string, o: SideOutput | undefined): BackfillSide {
    const missing = (["region", "accountId", "bucketName", "bucketArn", "loggingBucketName"] as const).filter((k) => typeof o?.[k] !== "string");
    if (missing.length > 0) {
        throw new BackfillError(`stack '${stack}' has a side '${key}' without ${missing.join(", ")} in its outputs: is it this project's stack, deployed?`);
    }
    return {
        key,
        region: o!.region as string,
        accountId: o!.accountId as string,
        bucketName: o!.bucketName as string,
        bucketArn: o!.bucketArn as string,
        loggingBucketName: o!.loggingBucketName as string,
        ...(typeof o!.batchReplicationRoleArn === "string" ? { batchReplicationRoleArn: o!.batchReplicationRoleArn } : {}),
    };
}

/** Every side of `stack` from `pulumi stack output --json`: a mesh's `sides` (by region key), else the pair's `primary` and `secondary`. */
export function stackSides(stack: string, exec: Run): BackfillSide[] {
    const r = exec("pulumi", ["stack", "output", "--json", "--stack", stack]);
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new BackfillError("the Pulumi CLI is not on PATH, so the stack's outputs (buckets, roles) cannot be read");
    }
    if (r.status !== 0) {
        throw new BackfillError(`pulumi stack output --stack ${stack} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
    }
    const outputs = JSON.parse(r.stdout) as { sides?: Record<string, SideOutput>; primary?: SideOutput; secondary?: SideOutput };
    if (outputs.sides && typeof outputs.sides === "object") {
        return Object.entries(outputs.sides).map(([key, o]) => side(stack, key, o));
    }
    return [side(stack, "primary", outputs.primary), side(stack, "secondary", outputs.secondary)];
}

/** `us-east-2→us-west-2` or `us-east-2->us-west-2`: both region codes, two different ones. */
export function parseDirection(text: string): { from: string; to: string } {
    const parts = text.trim().split(/\s*(?:→|->)\s*/);
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
        throw new BackfillError(`--direction '${text}' is not SOURCE→DESTINATION (or SOURCE->DESTINATION), such as us-east-2→us-west-2`);
    }
    const [from, to] = parts;
    for (const [name, region] of [
        ["source", from],
        ["destination", to],
    ] as const) {
        const p = regionProblem(region);
        if (p !== undefined) {
            throw new BackfillError(`--direction's ${name} ${p}`);
        }
    }
    if (from === to) {
        throw new BackfillError(`--direction '${text}' names one region twice: replication goes between two regions`);
    }
    return { from, to };
}

/**
 * The sources to backfill: every side, or with `direction` the one in its source region, once its
 * destination is checked to be another of the stack's regions. S3 runs a Batch Replication job over every
 * enabled rule of its source bucket, so in a mesh the source's job copies to all its destinations.
 */
export function sources(sides: readonly BackfillSide[], direction?: { from: string; to: string }): BackfillSide[] {
    if (direction === undefined) {
        return [...sides];
    }
    const regions = sides.map((s) => s.region);
    for (const r of [direction.from, direction.to]) {
        if (!regions.includes(r)) {
            throw new BackfillError(`--direction: ${r} is not a region of the stack; its regions: ${regions.join(", ")}`);
        }
    }
    return sides.filter((s) => s.region === direction.from);
}

/** `arn:<partition>:s3:::<name>`, in the partition of the side's bucket ARN. */
function loggingBucketArn(s: BackfillSide): string {
    const partition = s.bucketArn.split(":")[1] ?? "aws";
    return `arn:${partition}:s3:::${s.loggingBucketName}`;
}

export interface JobSettings {
    readonly objects: ObjectsChoice;
    readonly report: ReportChoice;
    readonly priority: number;
    /** Unique per run: each side's ClientRequestToken is built from it (S3 allows 1 to 64 characters). */
    readonly runId: string;
}

/**
 * The CreateJob request for one source side: in its account, a manifest S3 generates from the source
 * bucket's replication configuration (only objects eligible for it, of the chosen statuses) and keeps in the
 * logging bucket, the S3ReplicateObject operation, a completion report to the logging bucket, the side's
 * Batch Operations role, and no confirmation step (that is for jobs made in the console).
 */
export function createJobRequest(s: BackfillSide, others: readonly BackfillSide[], settings: JobSettings): CreateJobCommandInput {
    if (s.batchReplicationRoleArn === undefined) {
        throw new BackfillError(
            `side '${s.key}' (${s.region}) has no batchReplicationRoleArn output: set s3-crr:batchReplication to true (pulumi config set batchReplication true) and deploy, then run backfill again`,
        );
    }
    const logging = loggingBucketArn(s);
    const destinations = others.filter((o) => o.region !== s.region).map((o) => o.region);
    const token = `s3crr-backfill-${settings.runId}-${s.region}`;
    if (token.length > 64) {
        throw new BackfillError(`the job token '${token}' is longer than the 64 characters S3 allows: use a shorter run id`);
    }
    return {
        AccountId: s.accountId,
        ClientRequestToken: token,
        ConfirmationRequired: false,
        Operation: { S3ReplicateObject: {} },
        ManifestGenerator: {
            S3JobManifestGenerator: {
                ExpectedBucketOwner: s.accountId,
                SourceBucket: s.bucketArn,
                EnableManifestOutput: true,
                // A generated manifest must be stored in the source bucket's region: the side's logging bucket is.
                ManifestOutputLocation: {
                    ExpectedManifestBucketOwner: s.accountId,
                    Bucket: logging,
                    ManifestPrefix: BATCH_REPLICATION_PREFIX,
                    ManifestFormat: MANIFEST_FORMAT,
                },
                Filter: { EligibleForReplication: true, ObjectReplicationStatuses: [...REPLICATION_STATUSES[settings.objects]] },
            },
        },
        Report: {
            Bucket: logging,
            ExpectedBucketOwner: s.accountId,
            Format: REPORT_FORMAT,
            Enabled: true,
            Prefix: BATCH_REPLICATION_PREFIX,
            ReportScope: REPORT_SCOPES[settings.report],
        },
        Priority: settings.priority,
        RoleArn: s.batchReplicationRoleArn,
        Description: `s3-crr backfill of ${s.bucketName} (${settings.objects} objects) to ${destinations.join(", ")}`.slice(0, 256),
    };
}

/** One line of a job's progress: status and tasks succeeded, failed and total. */
export function progressLine(region: string, job: JobDescriptor, elapsedMs: number): string {
    const p = job.ProgressSummary ?? {};
    const total = p.TotalNumberOfTasks;
    return (
        `${region} job ${job.JobId}: ${job.Status ?? "?"}, ${p.NumberOfTasksSucceeded ?? 0} succeeded, ${p.NumberOfTasksFailed ?? 0} failed` +
        ` of ${total === undefined ? "? (manifest being generated)" : total} tasks (${formatDuration(elapsedMs)})`
    );
}

/** Why a job failed or stopped, as S3 names it (FailureReasons, then StatusUpdateReason). */
export function failureReasons(job: JobDescriptor): string[] {
    const reasons = (job.FailureReasons ?? []).map((f) => `${f.FailureCode ?? "?"}: ${f.FailureReason ?? ""}`.trim());
    if (job.StatusUpdateReason) {
        reasons.push(`status update: ${job.StatusUpdateReason}`);
    }
    return reasons;
}

export interface FollowedJob {
    readonly region: string;
    readonly jobId: string;
    readonly status: string;
    readonly succeeded: number;
    readonly failed: number;
    readonly total?: number;
    readonly failureReasons: string[];
    /** Where S3 writes the completion report. */
    readonly report: string;
    /** The job did not end within the timeout. */
    readonly timedOut: boolean;
}

/**
 * DescribeJob's answers that mean "not yet", not "no": a job asked about just after CreateJob may not be
 * registered yet (NoSuchJob, NotFoundException in the SDK), and a busy account is throttled. AWS advises
 * retrying with a backoff. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-batch-operations.html
 */
const TRANSIENT = new Set(["NotFoundException", "NoSuchJob", "TooManyRequestsException"]);
/** How many such answers in a row a follow takes (with a doubling wait from 2 s up to the interval) before giving up. */
export const TRANSIENT_RETRIES = 6;

/** Follows one job with DescribeJob until it ends (or `timeoutMs` passes), saying its progress when it changes. */
export async function followJob(args: {
    client: S3ControlClient;
    side: BackfillSide;
    jobId: string;
    clock: Clock;
    intervalMs: number;
    timeoutMs: number;
    say: (line: string) => void;
}): Promise<FollowedJob> {
    const start = args.clock.now();
    let last = "";
    let job: JobDescriptor = {};
    let misses = 0;
    for (;;) {
        try {
            job = (await args.client.send(new DescribeJobCommand({ AccountId: args.side.accountId, JobId: args.jobId }))).Job ?? {};
            misses = 0;
        } catch (e) {
            const name = (e as Error).name;
            if (!TRANSIENT.has(name) || misses >= TRANSIENT_RETRIES) {
                throw e;
            }
            const wait = Math.min(2000 * 2 ** misses++, args.intervalMs);
            args.say(`${args.side.region}: job ${args.jobId}: ${name} from DescribeJob (not registered yet, or throttled): asking again in ${wait / 1000} s`);
            await args.clock.sleep(wait);
            continue;
        }
        const elapsed = args.clock.now() - start;
        const line = progressLine(args.side.region, job, elapsed);
        const key = line.replace(/ \([^)]*\)$/, "");
        if (key !== last) {
            args.say(line);
            last = key;
        }
        const done = (FINAL_STATUSES as readonly string[]).includes(job.Status ?? "");
        if (done || elapsed >= args.timeoutMs) {
            const p = job.ProgressSummary ?? {};
            return {
                region: args.side.region,
                jobId: args.jobId,
                status: job.Status ?? "unknown",
                succeeded: p.NumberOfTasksSucceeded ?? 0,
                failed: p.NumberOfTasksFailed ?? 0,
                ...(p.TotalNumberOfTasks !== undefined ? { total: p.TotalNumberOfTasks } : {}),
                failureReasons: failureReasons(job),
                report: `s3://${args.side.loggingBucketName}/${BATCH_REPLICATION_PREFIX}/job-${args.jobId}/`,
                timedOut: !done,
            };
        }
        await args.clock.sleep(args.intervalMs);
    }
}
