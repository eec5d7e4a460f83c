/**
 * One restore, by AWS Backup or by object versions, as `npm run restore` and `npm run drill` run it: the
 * choice of recovery point or versions, the calls, and a report of what came back and what did not (and why).
 */
import { BackupClient } from "@aws-sdk/client-backup";
import { CreateBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { partitionOf } from "../../components/model/regions";
import { Clock } from "../verify/verifier";
import { chooseRecoveryPoint, Choice, continuousRetentionDays, itemBatches, JobResult, listRecoveryPoints, RestoreError, restoreJobRequest, runRestoreJob } from "./backup";
import { applyVersionRestore, describeAction, listVersions, planVersionRestore, replicatesDeleteMarkers } from "./versions";

export type RestoreSource = "backup" | "versions";

export interface RestoreRequest {
    readonly bucket: string;
    readonly region: string;
    readonly from: RestoreSource;
    /** The time to restore to; undefined: the latest (Backup) or now (versions). */
    readonly at?: Date;
    /** Objects to restore; empty: every object (under `prefix` for versions, the whole bucket for Backup). */
    readonly keys: readonly string[];
    readonly prefix: string;
    readonly inPlace: boolean;
    /** The bucket restored into when not in place. */
    readonly destination: string;
    /** Backup: a snapshot, not the continuous backup. */
    readonly snapshot: boolean;
    readonly dryRun: boolean;
    /** Backup: the role the job runs as (the stack's backup role). */
    readonly roleArn?: string;
    /** Idempotency token of the jobs (one per run). */
    readonly token: string;
    readonly timeoutMs: number;
    readonly intervalMs: number;
}

export interface RestoreDeps {
    readonly s3: (region: string) => S3Client;
    readonly backup: (region: string) => BackupClient;
    readonly clock: Clock;
    readonly progress: (line: string) => void;
}

export interface RestoreReport {
    readonly from: RestoreSource;
    readonly bucket: string;
    readonly region: string;
    readonly destination: string;
    readonly inPlace: boolean;
    readonly at?: string;
    readonly dryRun: boolean;
    readonly recoveryPoint?: { readonly arn: string; readonly why: string; readonly restoreTime?: string };
    readonly jobs: readonly JobResult[];
    /** The calls a dry run would make, or made. */
    readonly planned: readonly string[];
    readonly restored: readonly { readonly key: string; readonly how: string }[];
    readonly failed: readonly { readonly key: string; readonly reason: string }[];
}

/** Runs the restore `r` describes. */
export async function restore(r: RestoreRequest, deps: RestoreDeps): Promise<RestoreReport> {
    const base = {
        from: r.from,
        bucket: r.bucket,
        region: r.region,
        destination: r.inPlace ? r.bucket : r.destination,
        inPlace: r.inPlace,
        ...(r.at ? { at: r.at.toISOString() } : {}),
        dryRun: r.dryRun,
    };
    return r.from === "backup" ? { ...base, ...(await fromBackup(r, deps)) } : { ...base, jobs: [], ...(await fromVersions(r, deps)) };
}

async function fromVersions(r: RestoreRequest, deps: RestoreDeps) {
    const s3 = deps.s3(r.region);
    const at = r.at ?? new Date(deps.clock.now());
    // Named keys are listed one by one (their own prefix), not by listing the whole bucket.
    const listed = r.keys.length === 0 ? await listVersions(s3, r.bucket, r.prefix) : (await Promise.all(r.keys.map((k) => listVersions(s3, r.bucket, k)))).flat();
    const entries = listed.filter((e) => r.keys.length === 0 || r.keys.includes(e.key));
    const markersReplicate = r.inPlace ? await replicatesDeleteMarkers(s3, r.bucket) : false;
    if (markersReplicate !== false) {
        deps.progress(
            markersReplicate
                ? `${r.bucket} replicates delete markers: a deleted object comes back by a copy of its version (a copy replicates, removing a marker does not)`
                : `${r.bucket}'s replication configuration could not be read (s3:GetReplicationConfiguration): a deleted object comes back by a copy of its version`,
        );
    }
    const actions = planVersionRestore(entries, at, r.inPlace, { markersReplicate: markersReplicate !== false });
    const destination = r.inPlace ? r.bucket : r.destination;
    const planned = actions.map((a) => describeAction(a, r.bucket, destination));
    const missing = r.keys.filter((k) => !entries.some((e) => e.key === k)).map((key) => ({ key, reason: "no version of it in the bucket (never written, or its versions expired)" }));
    if (r.dryRun) {
        return { planned, restored: [], failed: [...actions.filter((a) => a.kind === "skip").map((a) => ({ key: a.key, reason: (a as { reason: string }).reason })), ...missing] };
    }
    if (!r.inPlace && actions.some((a) => a.kind === "copy")) {
        await createDestination(s3, r.destination, r.region, deps.progress);
    }
    deps.progress(`restoring ${actions.filter((a) => a.kind === "copy" || a.kind === "removeDeleteMarkers").length} of ${actions.length} objects from versions at ${at.toISOString()}`);
    const outcome = await applyVersionRestore(s3, r.bucket, destination, actions, deps.progress);
    return { planned, restored: outcome.restored, failed: [...outcome.failed, ...missing] };
}

/**
 * A new bucket in the source's region. S3 creates it with Block Public Access on, ACLs disabled (bucket owner
 * enforced) and SSE-S3 by default; one of this account's already there is used as it is.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-overview.html
 */
async function createDestination(s3: S3Client, bucket: string, region: string, progress: (line: string) => void) {
    try {
        // us-east-1 takes no LocationConstraint (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html).
        await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }));
        progress(`created bucket ${bucket} in ${region}`);
    } catch (e) {
        if ((e as Error).name !== "BucketAlreadyOwnedByYou") {
            throw e;
        }
        progress(`bucket ${bucket} exists in this account: restoring into it`);
    }
}

/**
 * A job AWS Backup reports COMPLETED that still did not restore: S3's restore messages ("One or more objects
 * failed to be restored", "There are no objects that match the restore request").
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-s3.html
 */
const INCOMPLETE = /failed to be restored|no objects that match/i;

async function fromBackup(r: RestoreRequest, deps: RestoreDeps) {
    if (!r.roleArn) {
        throw new RestoreError(`no backup role for ${r.bucket}: the stack has no backupRoleArn output for ${r.region} (option backup off?); pass --role-arn or use --from versions`);
    }
    if (r.prefix !== "" && r.keys.length === 0) {
        throw new RestoreError("AWS Backup restores a whole bucket or up to five objects per job, not a prefix: give --key (repeatable), or use --from versions with --prefix");
    }
    const backup = deps.backup(r.region);
    const listed = await listRecoveryPoints(backup, `arn:${partitionOf(r.region)}:s3:::${r.bucket}`);
    // How far back the continuous backup reaches is its retention (1 to 35 days), when AWS says it.
    const points = await Promise.all(
        listed.map(async (p) => {
            const days = p.continuous && !r.snapshot ? await continuousRetentionDays(backup, p) : undefined;
            return days === undefined ? p : { ...p, retentionDays: days };
        }),
    );
    const choice: Choice = chooseRecoveryPoint(points, r.at, r.snapshot, new Date(deps.clock.now()));
    deps.progress(`recovery point: ${choice.why} (${choice.point.arn})`);
    const destination = r.inPlace ? r.bucket : r.destination;
    const requests = itemBatches(r.keys).map((items, i) =>
        restoreJobRequest({ destinationBucket: destination, newBucket: !r.inPlace, items, sourceBucket: r.bucket }, choice, r.roleArn!, `${r.token}-${i}`),
    );
    const recoveryPoint = { arn: choice.point.arn, why: choice.why, ...(choice.restoreTime ? { restoreTime: choice.restoreTime.toISOString() } : {}) };
    const planned = requests.map((q) => `backup:StartRestoreJob ${JSON.stringify(q)}`);
    if (r.dryRun) {
        return { recoveryPoint, jobs: [], planned, restored: [], failed: [] };
    }
    if (!r.inPlace && requests.length > 1) {
        // Each job with NewBucket creates the bucket: a second job into it would fail. One job per batch then
        // goes into its own new bucket.
        throw new RestoreError(`${r.keys.length} objects into a new bucket: AWS Backup takes five per job and each job creates its bucket; give at most five --key, or restore the whole bucket`);
    }
    const jobs: JobResult[] = [];
    const restored: { key: string; how: string }[] = [];
    const failed: { key: string; reason: string }[] = [];
    const s3 = deps.s3(r.region);
    for (const request of requests) {
        const items: string[] = request.Metadata.ItemsToRestore ? (JSON.parse(request.Metadata.ItemsToRestore) as string[]).map((u) => u.slice(`s3://${r.bucket}/`.length)) : [];
        // In place AWS Backup skips an object that exists: the version current before the job tells which were skipped.
        const before = new Map<string, string | undefined>();
        if (r.inPlace) {
            for (const key of items) {
                const head = await s3.send(new HeadObjectCommand({ Bucket: r.bucket, Key: key })).catch(() => undefined);
                before.set(key, head?.VersionId);
            }
        }
        const job = await runRestoreJob(backup, request, { clock: deps.clock, intervalMs: r.intervalMs, timeoutMs: r.timeoutMs, progress: deps.progress });
        jobs.push(job);
        const label = items.length > 0 ? items : ["(whole bucket)"];
        if (job.status !== "COMPLETED") {
            const reason =
                job.status === "FAILED" || job.status === "ABORTED"
                    ? `restore job ${job.jobId} ${job.status}: ${job.statusMessage ?? "no reason given"}`
                    : `restore job ${job.jobId} still ${job.status} after the wait (--timeout); follow it with aws backup describe-restore-job --restore-job-id ${job.jobId}`;
            failed.push(...label.map((key) => ({ key, reason })));
            continue;
        }
        if (items.length === 0) {
            if (job.statusMessage !== undefined && INCOMPLETE.test(job.statusMessage)) {
                failed.push({ key: label[0], reason: `restore job ${job.jobId} COMPLETED, but: ${job.statusMessage}` });
            } else {
                restored.push({ key: label[0], how: `restore job ${job.jobId} into s3://${destination}` });
            }
            continue;
        }
        if (!r.inPlace) {
            // Into a new bucket each object is checked there: a COMPLETED job may still have skipped or failed some.
            for (const key of items) {
                const head = await s3.send(new HeadObjectCommand({ Bucket: destination, Key: key })).catch((e: Error) => e);
                if (head instanceof Error) {
                    failed.push({ key, reason: `not in s3://${destination} after restore job ${job.jobId} (${head.name})${job.statusMessage ? `: ${job.statusMessage}` : ": not in the recovery point at that time?"}` });
                } else {
                    restored.push({ key, how: `restore job ${job.jobId} into s3://${destination}` });
                }
            }
            continue;
        }
        for (const key of items) {
            const head = await s3.send(new HeadObjectCommand({ Bucket: r.bucket, Key: key })).catch((e: Error) => e);
            if (head instanceof Error) {
                failed.push({ key, reason: `not in the bucket after restore job ${job.jobId} (${head.name}): not in the recovery point at that time?` });
            } else if (before.get(key) !== undefined && head.VersionId === before.get(key)) {
                failed.push({ key, reason: `an object exists (written ${head.LastModified?.toISOString()}), which AWS Backup never overwrites in place: restore it with --from versions` });
            } else {
                restored.push({ key, how: `restore job ${job.jobId} in place` });
            }
        }
    }
    return { recoveryPoint, jobs, planned, restored, failed };
}
