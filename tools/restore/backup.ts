/**
 * A restore from AWS Backup: the recovery point for a time (the continuous backup, else the latest snapshot
 * before it), the S3 restore metadata of `StartRestoreJob`, and the job followed to its end.
 *
 * What AWS Backup does for S3 (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-s3.html):
 * it restores the latest version of each object as of the chosen time, the whole bucket or up to five objects
 * per job, in the recovery point's region only; into the original bucket it never overwrites an object that
 * exists (whatever its version) and treats a current delete marker as absent, so in place it only brings back
 * missing or deleted objects. A continuous backup restores any second of its retention (1-35 days): the time
 * goes in the metadata as `RestoreTime`; a snapshot restores the moment it was taken.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html
 */
import {
    BackupClient,
    DescribeRecoveryPointCommand,
    DescribeRestoreJobCommand,
    ListRecoveryPointsByResourceCommand,
    ListRecoveryPointsByResourceCommandOutput,
    StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { Clock } from "../verify/verifier";
import { formatDuration } from "../verify/stats";

/** A restore that cannot be made as asked (exit 2), with what to do. */
export class RestoreError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RestoreError";
    }
}

/** An error as one line: ours and AWS's by name and message, a missing credential with what to set. */
export function describeError(e: unknown): string {
    const err = e as { name?: string; message?: string; $metadata?: unknown };
    if (err?.name === "CredentialsProviderError" || /could not load credentials/i.test(err?.message ?? "")) {
        return "no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or SSO role is available (the standard credential chain)";
    }
    if (e instanceof RestoreError || (e instanceof Error && /^--/.test(e.message))) {
        return e.message;
    }
    if (e instanceof Error && (err.$metadata !== undefined || e.name !== "Error")) {
        return `${e.name}: ${e.message}`;
    }
    return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** AWS Backup restores at most five objects per job (item-level restore). */
export const MAX_ITEMS_PER_JOB = 5;

/** A recovery point of the bucket, as `ListRecoveryPointsByResource` lists it. */
export interface RecoveryPoint {
    readonly arn: string;
    readonly creationDate: Date;
    readonly status: string;
    /** The continuous backup (point-in-time restore); else a snapshot. */
    readonly continuous: boolean;
    /** The vault that holds it (DescribeRecoveryPoint asks for it). */
    readonly vaultName?: string;
    /** A continuous backup's retention in days (its lifecycle), when known: how far back it restores. */
    readonly retentionDays?: number;
}

/**
 * A continuous backup's recovery point ARN: `arn:aws:backup:<region>:<account>:recovery-point:continuous:<id>`
 * (one per resource, updated as it runs; snapshots have `recovery-point:<id>`).
 */
export const isContinuousArn = (arn: string): boolean => /:recovery-point:continuous:/.test(arn);

/** Recovery points a restore can start from (AWS lists expired and deleting ones too). */
const USABLE = new Set(["COMPLETED", "AVAILABLE"]);

/** The recovery point chosen for a time, and the `RestoreTime` to pass (continuous backups only). */
export interface Choice {
    readonly point: RecoveryPoint;
    readonly restoreTime?: Date;
    /** Why this point, in one line. */
    readonly why: string;
}

/** How far back a continuous backup of S3 restores at most: its retention, 1 to 35 days (AWS Backup). */
export const CONTINUOUS_MAX_DAYS = 35;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The recovery point for `at` (pure). The continuous backup when it covers `at` and `snapshot` is not asked,
 * with `at` as its RestoreTime: it covers from its first backup, and at most {@link CONTINUOUS_MAX_DAYS} days
 * back from `now` (its retention). A continuous backup restores only to a stated time (StartRestoreJob requires
 * `RestoreTime` for it; "latest restorable time" is the console's, no API gives it): without `at` the restore
 * is refused, naming `--at` and `--snapshot`. Otherwise the latest snapshot taken at or before `at` (or the
 * latest of all).
 */
export function chooseRecoveryPoint(points: readonly RecoveryPoint[], at: Date | undefined, snapshot: boolean, now: Date = new Date()): Choice {
    const usable = points.filter((p) => USABLE.has(p.status));
    const continuous = usable.find((p) => p.continuous);
    const windowDays = Math.min(continuous?.retentionDays ?? CONTINUOUS_MAX_DAYS, CONTINUOUS_MAX_DAYS);
    const earliest = continuous && new Date(Math.max(continuous.creationDate.getTime(), now.getTime() - windowDays * DAY_MS));
    if (!snapshot && continuous && at === undefined) {
        throw new RestoreError(
            "the bucket has a continuous backup, which restores to a stated time (AWS Backup requires RestoreTime for it): " +
                `give --at TIME (it covers ${earliest!.toISOString()} on), or --snapshot for the latest snapshot`,
        );
    }
    if (!snapshot && continuous && at !== undefined && earliest!.getTime() <= at.getTime()) {
        return { point: continuous, restoreTime: at, why: `the continuous backup, at ${at.toISOString()}` };
    }
    const snapshots = usable
        .filter((p) => !p.continuous && (at === undefined || p.creationDate.getTime() <= at.getTime()))
        .sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime());
    if (snapshots.length === 0) {
        const listed = points.map((p) => `${p.continuous ? "continuous" : "snapshot"} ${p.creationDate.toISOString()} ${p.status}`).join("; ") || "none";
        throw new RestoreError(
            `no recovery point of the bucket covers ${at ? at.toISOString() : "now"}${snapshot ? " among its snapshots" : ""} (recovery points: ${listed}); ` +
                "pick a later --at, or restore from object versions with --from versions",
        );
    }
    const chosen = snapshots[0];
    const reason =
        continuous && !snapshot && at !== undefined
            ? earliest!.getTime() === continuous.creationDate.getTime()
                ? `; the continuous backup starts ${continuous.creationDate.toISOString()}, after --at`
                : `; the continuous backup reaches back ${windowDays} days${continuous.retentionDays === undefined ? " at most" : " (its retention)"}, to ${earliest!.toISOString()}`
            : "";
    return { point: chosen, why: `the snapshot of ${chosen.creationDate.toISOString()}, the latest ${at ? "at or before --at" : "one"}${reason}` };
}

/** Every recovery point of `bucketArn` (all pages). */
export async function listRecoveryPoints(backup: BackupClient, bucketArn: string): Promise<RecoveryPoint[]> {
    const points: RecoveryPoint[] = [];
    let token: string | undefined;
    do {
        const page: ListRecoveryPointsByResourceCommandOutput = await backup.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: bucketArn, ...(token ? { NextToken: token } : {}) }));
        for (const p of page.RecoveryPoints ?? []) {
            points.push({
                arn: p.RecoveryPointArn!,
                creationDate: p.CreationDate!,
                status: p.Status ?? "",
                continuous: isContinuousArn(p.RecoveryPointArn!),
                ...(p.BackupVaultName ? { vaultName: p.BackupVaultName } : {}),
            });
        }
        token = page.NextToken;
    } while (token);
    return points;
}

/**
 * A continuous backup's retention (its lifecycle's DeleteAfterDays): it restores no further back. Undefined
 * when AWS does not say (no lifecycle, or DescribeRecoveryPoint refused): the 35 days AWS allows at most then.
 */
export async function continuousRetentionDays(backup: BackupClient, point: RecoveryPoint): Promise<number | undefined> {
    if (!point.continuous || point.vaultName === undefined) {
        return undefined;
    }
    try {
        const out = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: point.vaultName, RecoveryPointArn: point.arn }));
        return out.Lifecycle?.DeleteAfterDays;
    } catch {
        return undefined;
    }
}

/** Where the restore writes, and what. */
export interface BackupRestoreTarget {
    /** The bucket itself (in place), or a bucket AWS Backup creates (`newBucket`). */
    readonly destinationBucket: string;
    readonly newBucket: boolean;
    /** Objects to restore (up to five); empty: the whole bucket. */
    readonly items: readonly string[];
    /** The bucket the recovery point is of (for the items' S3 URIs). */
    readonly sourceBucket: string;
}

/**
 * The S3 restore metadata of `StartRestoreJob`, with the keys AWS documents for S3 ("Restore S3 with the AWS
 * CLI"): the destination bucket, whether AWS Backup creates it, the objects' encryption (`original`: each object
 * keeps the encryption it was backed up with), an idempotency token, the items as a JSON array of S3 URIs,
 * and the time of a continuous backup.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-s3.html#s3-restore-cli
 */
export function restoreMetadata(target: BackupRestoreTarget, choice: Choice, creationToken: string): Record<string, string> {
    if (target.items.length > MAX_ITEMS_PER_JOB) {
        throw new RestoreError(`AWS Backup restores at most ${MAX_ITEMS_PER_JOB} objects per job, got ${target.items.length}`);
    }
    return {
        DestinationBucketName: target.destinationBucket,
        NewBucket: String(target.newBucket),
        Encrypted: "true",
        EncryptionType: "original",
        CreationToken: creationToken,
        ...(target.items.length > 0 ? { ItemsToRestore: JSON.stringify(target.items.map((key) => `s3://${target.sourceBucket}/${key}`)) } : {}),
        // AWS documents the time to the second (2021-11-27T03:30:27Z).
        ...(choice.restoreTime ? { RestoreTime: choice.restoreTime.toISOString().replace(/\.\d{3}Z$/, "Z") } : {}),
    };
}

/** The request of one restore job (also what `--dry-run` prints). */
export function restoreJobRequest(target: BackupRestoreTarget, choice: Choice, roleArn: string, token: string) {
    return {
        RecoveryPointArn: choice.point.arn,
        IamRoleArn: roleArn,
        ResourceType: "S3",
        IdempotencyToken: token,
        Metadata: restoreMetadata(target, choice, token),
    };
}

/** How a job ended. */
export interface JobResult {
    readonly jobId: string;
    /** COMPLETED, FAILED, ABORTED, or the last status seen when the wait ran out. */
    readonly status: string;
    readonly statusMessage?: string;
    readonly createdResourceArn?: string;
    readonly elapsedMs: number;
}

/** Terminal states of a restore job (`DescribeRestoreJob`). */
const DONE = new Set(["COMPLETED", "FAILED", "ABORTED"]);

/** Starts the job and follows it with `DescribeRestoreJob` until it ends or `timeoutMs` passes, printing each change. */
export async function runRestoreJob(
    backup: BackupClient,
    request: ReturnType<typeof restoreJobRequest>,
    o: { readonly clock: Clock; readonly intervalMs: number; readonly timeoutMs: number; readonly progress: (line: string) => void },
): Promise<JobResult> {
    const started = o.clock.now();
    const out = await backup.send(new StartRestoreJobCommand(request));
    const jobId = out.RestoreJobId!;
    o.progress(`restore job ${jobId} started from ${request.RecoveryPointArn}`);
    let last = "";
    for (;;) {
        const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
        const status = job.Status ?? "PENDING";
        const elapsedMs = o.clock.now() - started;
        const line = `${status}${job.PercentDone ? ` ${job.PercentDone}` : ""}`;
        if (line !== last) {
            o.progress(`  ${formatDuration(elapsedMs)}: ${line}${job.StatusMessage ? ` (${job.StatusMessage})` : ""}`);
            last = line;
        }
        if (DONE.has(status) || elapsedMs >= o.timeoutMs) {
            return {
                jobId,
                status,
                elapsedMs,
                ...(job.StatusMessage ? { statusMessage: job.StatusMessage } : {}),
                ...(job.CreatedResourceArn ? { createdResourceArn: job.CreatedResourceArn } : {}),
            };
        }
        await o.clock.sleep(o.intervalMs);
    }
}

/** Splits `items` into jobs of at most five (an empty list is one whole-bucket job). */
export function itemBatches(items: readonly string[]): string[][] {
    if (items.length === 0) {
        return [[]];
    }
    const batches: string[][] = [];
    for (let i = 0; i < items.length; i += MAX_ITEMS_PER_JOB) {
        batches.push(items.slice(i, i + MAX_ITEMS_PER_JOB));
    }
    return batches;
}
