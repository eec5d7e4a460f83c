/**
 * The lab's replication test (section 3), automated: put uniquely named objects into each bucket, wait
 * until the source says COMPLETED and the other bucket holds a REPLICA, check the replica, measure the
 * lag, make sure nothing was replicated back (no loop), and remove every version it created.
 */
import { createHash, randomBytes } from "crypto";
import {
    DeleteObjectCommand,
    GetObjectCommand,
    HeadObjectCommand,
    HeadObjectCommandOutput,
    ListObjectVersionsCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { formatDuration, LagStats, lagStats } from "./stats";
import { plural } from "../text";

/** One end of the pair: a bucket, its region, and an S3 client for that region. */
export interface Endpoint {
    readonly label: string;
    readonly bucket: string;
    readonly region: string;
    readonly s3: S3Client;
}

/** Time, injectable so that tests do not wait. */
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface VerifyOptions {
    /** A pair's sides (with `secondary`); a mesh gives `sides` instead. */
    readonly primary?: Endpoint;
    readonly secondary?: Endpoint;
    /** Every side of a mesh, each replicating to every other (default: the pair's two). */
    readonly sides?: readonly Endpoint[];
    /** The directions to test, as `[from, to]` of `sides` (default: every ordered pair of sides). */
    readonly directions?: readonly (readonly [Endpoint, Endpoint])[];
    /** Test objects per direction. */
    readonly samples: number;
    readonly timeoutMs: number;
    readonly rpoMs: number;
    readonly pollIntervalMs: number;
    /** Leave the test objects in place. */
    readonly keep: boolean;
    /** Key prefix of this run's objects (unique per run). */
    readonly runId?: string;
    readonly clock?: Clock;
    readonly progress?: (line: string) => void;
}

export interface Check {
    readonly name: string;
    readonly ok: boolean;
    readonly detail: string;
}

export interface ObjectResult {
    readonly direction: string;
    readonly key: string;
    readonly source: string;
    readonly destination: string;
    readonly size: number;
    /** Put completed → replica readable, in ms; absent when the replica never appeared. */
    lagMs?: number;
    sourceStatus?: string;
    readonly checks: Check[];
}

export interface DirectionReport {
    readonly direction: string;
    readonly from: { readonly bucket: string; readonly region: string };
    readonly to: { readonly bucket: string; readonly region: string };
    readonly objects: readonly ObjectResult[];
    readonly lag?: LagStats;
    /** Every lag within the RPO (false when a replica is missing). */
    readonly withinRpo: boolean;
}

export interface CleanupReport {
    readonly kept: boolean;
    /** Versions and delete markers removed, as "bucket/key@version". */
    readonly deleted: readonly string[];
    readonly errors: readonly string[];
}

export interface VerifyReport {
    readonly runId: string;
    readonly rpoMs: number;
    directions: DirectionReport[];
    cleanup: CleanupReport;
    ok: boolean;
}

/** An AWS error turned into a sentence naming what to fix. */
export class VerifyError extends Error {
    /** What cleanup did before the error was reported (set when the run had started). */
    cleanup?: CleanupReport;
    constructor(message: string) {
        super(message);
        this.name = "VerifyError";
    }
}

/**
 * Source states after which the replica should be there. REPLICA at the source means the key's latest
 * version there was itself written by replication: the object came back (a loop), which the version count
 * check then reports.
 */
const COMPLETED = ["COMPLETED", "COMPLETE", "REPLICA"];

/** The option that names an endpoint's bucket: a pair's `--primary-bucket`, a mesh side's `--side REGION=BUCKET`. */
const bucketOption = (e: Endpoint) => (e.label === "primary" || e.label === "secondary" ? `--${e.label}-bucket` : "--side REGION=BUCKET");
const regionOption = (e: Endpoint) => (e.label === "primary" || e.label === "secondary" ? `--${e.label}-region` : "--side REGION=BUCKET");

/** Explains the AWS errors a user can fix (credentials, bucket, permissions, region). */
export function describeAwsError(e: unknown, action: string, endpoint: Endpoint): VerifyError {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const name = err?.name ?? "";
    const where = `bucket '${endpoint.bucket}' (${endpoint.region})`;
    if (name === "CredentialsProviderError" || /credential/i.test(err?.message ?? "")) {
        return new VerifyError(
            `no AWS credentials for ${action}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ` +
                "or run where an instance or SSO role is available (the standard credential chain).",
        );
    }
    if (name === "NoSuchBucket" || (name === "NotFound" && action.startsWith("list"))) {
        return new VerifyError(`${where} does not exist: deploy the stack (pulumi up) or pass the right ${bucketOption(endpoint)}.`);
    }
    if (name === "AccessDenied" || name === "Forbidden" || err?.$metadata?.httpStatusCode === 403) {
        return new VerifyError(
            `access denied for ${action} on ${where}: the caller needs s3:PutObject, s3:GetObject, s3:GetObjectVersion, ` +
                "s3:ListBucket (without it S3 answers 403, not 404, for an object not there yet), s3:ListBucketVersions and " +
                "s3:DeleteObjectVersion on both buckets, and with SSE-KMS kms:GenerateDataKey and kms:Decrypt on their keys.",
        );
    }
    if (name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed" || err?.$metadata?.httpStatusCode === 301) {
        return new VerifyError(`${where}: the bucket is in another region; pass the right ${regionOption(endpoint)}.`);
    }
    return new VerifyError(`${action} on ${where} failed: ${name || "error"}: ${err?.message ?? String(e)}`);
}

const isNotFound = (e: unknown) => {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return err?.name === "NotFound" || err?.name === "NoSuchKey" || err?.$metadata?.httpStatusCode === 404;
};

const sha256 = (body: Buffer) => createHash("sha256").update(body).digest("base64");

interface Pending {
    readonly result: ObjectResult;
    readonly from: Endpoint;
    readonly to: Endpoint;
    readonly body: Buffer;
    readonly checksum: string;
    readonly putAt: number;
    /** Whether the object may exist: the put succeeded, or failed in a way that may still have written it. */
    mayExist: boolean;
    sourceHead?: HeadObjectCommandOutput;
    done: boolean;
    /**
     * The source replicates to several buckets (a mesh): its ReplicationStatus is COMPLETED only once every
     * destination has the object, and FAILED when any one failed, so it says nothing of this one direction.
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html
     */
    readonly sharedSource: boolean;
}

/** All versions and delete markers of exactly `key` in `endpoint`'s bucket. */
async function versionsOf(endpoint: Endpoint, key: string): Promise<{ versions: string[]; markers: string[] }> {
    const versions: string[] = [];
    const markers: string[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
        const page = await endpoint.s3
            .send(new ListObjectVersionsCommand({ Bucket: endpoint.bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionMarker }))
            .catch((e) => {
                throw describeAwsError(e, "listing object versions", endpoint);
            });
        versions.push(...(page.Versions ?? []).filter((v) => v.Key === key).map((v) => v.VersionId ?? "null"));
        markers.push(...(page.DeleteMarkers ?? []).filter((m) => m.Key === key).map((m) => m.VersionId ?? "null"));
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return { versions, markers };
}

async function replicaChecks(p: Pending, replica: HeadObjectCommandOutput): Promise<Check[]> {
    const checks: Check[] = [];
    const sourceSize = p.sourceHead?.ContentLength ?? p.body.length;
    checks.push({
        name: "replica status",
        ok: replica.ReplicationStatus === "REPLICA",
        detail: `replica reports ${replica.ReplicationStatus ?? "no replication status"}`,
    });
    checks.push({
        name: "size",
        ok: replica.ContentLength === sourceSize,
        detail: `source ${plural(sourceSize, "byte")}, replica ${replica.ContentLength === undefined ? "? bytes" : plural(replica.ContentLength, "byte")}`,
    });
    let replicaChecksum = replica.ChecksumSHA256;
    if (replicaChecksum === undefined) {
        // No stored checksum on the replica: read it back and hash it.
        const object = await p.to.s3.send(new GetObjectCommand({ Bucket: p.to.bucket, Key: p.result.key }));
        const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        replicaChecksum = sha256(bytes);
    }
    checks.push({
        name: "checksum",
        ok: replicaChecksum === p.checksum,
        detail: replicaChecksum === p.checksum ? `SHA-256 ${p.checksum}` : `SHA-256 put ${p.checksum}, replica ${replicaChecksum}`,
    });
    const sourceSse = p.sourceHead?.ServerSideEncryption;
    checks.push({
        name: "encryption",
        ok: replica.ServerSideEncryption === sourceSse,
        detail: `source ${sourceSse ?? "none"}, replica ${replica.ServerSideEncryption ?? "none"}`,
    });
    return checks;
}

/** Runs the test; the report says what passed. Cleanup runs whatever happened, unless `keep`. */
export async function verifyReplication(options: VerifyOptions): Promise<VerifyReport> {
    const clock = options.clock ?? realClock;
    const progress = options.progress ?? (() => undefined);
    const runId = options.runId ?? `${new Date(clock.now()).toISOString().replace(/[:.]/g, "-")}-${randomBytes(3).toString("hex")}`;
    const sides = options.sides ?? [options.primary!, options.secondary!];
    const routes = options.directions ?? sides.flatMap((from) => sides.filter((to) => to !== from).map((to) => [from, to] as const));
    const pending: Pending[] = [];
    const report: VerifyReport = { runId, rpoMs: options.rpoMs, directions: [], cleanup: { kept: options.keep, deleted: [], errors: [] }, ok: false };
    try {
        for (const [from, to] of routes) {
            for (let i = 0; i < options.samples; i++) {
                const key = `crr-verify/${runId}/${from.region}-to-${to.region}-${i}.txt`;
                const body = Buffer.from(`s3-crr verify ${runId} ${from.region} -> ${to.region} #${i}\n${randomBytes(16).toString("hex")}\n`);
                const checksum = sha256(body);
                const result: ObjectResult = {
                    direction: `${from.region} -> ${to.region}`,
                    key,
                    source: from.bucket,
                    destination: to.bucket,
                    size: body.length,
                    checks: [],
                };
                // Registered before the put: if the put half-succeeds, cleanup still looks for the key.
                const entry: Pending = { result, from, to, body, checksum, putAt: 0, mayExist: true, done: false, sharedSource: sides.length > 2 };
                pending.push(entry);
                await from.s3
                    .send(new PutObjectCommand({ Bucket: from.bucket, Key: key, Body: body, ChecksumAlgorithm: "SHA256", ContentType: "text/plain" }))
                    .catch((e) => {
                        // Refused outright (credentials, bucket, permissions): nothing was written to clean up.
                        entry.mayExist = !(e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode && !/credential/i.test(String((e as Error)?.message));
                        throw describeAwsError(e, "s3:PutObject", from);
                    });
                (entry as { putAt: number }).putAt = clock.now();
            }
        }
        progress(`put ${plural(pending.length, "test object")} (${options.samples} per direction); waiting for replication`);

        const deadline = clock.now() + options.timeoutMs;
        let lastProgress = clock.now();
        while (pending.some((p) => !p.done) && clock.now() < deadline) {
            for (const p of pending.filter((x) => !x.done)) {
                await poll(p, clock);
            }
            if (clock.now() - lastProgress >= 10_000) {
                lastProgress = clock.now();
                const done = pending.filter((p) => p.done).length;
                progress(`waiting: ${done}/${plural(pending.length, "object")} settled, ${formatDuration(clock.now() - pending[0].putAt)} since the first put`);
            }
            if (pending.some((p) => !p.done)) {
                await clock.sleep(options.pollIntervalMs);
            }
        }
        for (const p of pending.filter((x) => !x.done)) {
            p.result.checks.push({
                name: "replicated in time",
                ok: false,
                detail:
                    `timed out after ${formatDuration(options.timeoutMs)}: source status ${p.result.sourceStatus ?? "unknown"}, ` +
                    "replica not found in the destination",
            });
        }

        // No loop: each source key still has exactly the one version this run put.
        for (const p of pending.filter((x) => x.result.lagMs !== undefined)) {
            const { versions, markers } = await versionsOf(p.from, p.result.key);
            p.result.checks.push({
                name: "no loop",
                ok: versions.length === 1 && markers.length === 0,
                detail: `source holds ${plural(versions.length, "version")} and ${plural(markers.length, "delete marker")} of the key`,
            });
        }
    } catch (e) {
        const error = e instanceof VerifyError ? e : new VerifyError((e as Error).message ?? String(e));
        error.cleanup = options.keep ? report.cleanup : await cleanup(pending, sides);
        throw error;
    }
    if (!options.keep) {
        report.cleanup = await cleanup(pending, sides);
    }

    const directions = routes.map(([from, to]): DirectionReport => {
        const objects = pending.filter((p) => p.from === from && p.to === to).map((p) => p.result);
        const lags = objects.map((o) => o.lagMs).filter((l): l is number => l !== undefined);
        const lag = lagStats(lags);
        return {
            direction: `${from.region} -> ${to.region}`,
            from: { bucket: from.bucket, region: from.region },
            to: { bucket: to.bucket, region: to.region },
            objects,
            lag,
            withinRpo: lags.length === objects.length && lags.every((l) => l <= options.rpoMs),
        };
    });
    report.directions = directions;
    report.ok =
        directions.every((d) => d.withinRpo && d.objects.every((o) => o.checks.length > 0 && o.checks.every((c) => c.ok))) &&
        report.cleanup.errors.length === 0;
    return report;
}

/**
 * One poll of one object: the source's status, then (once it says COMPLETED) the replica. In a mesh the
 * destination itself is asked each time (see {@link Pending.sharedSource}).
 */
async function poll(p: Pending, clock: Clock): Promise<void> {
    if (p.sharedSource) {
        return pollDestination(p, clock);
    }
    const { from, to, result } = p;
    if (!COMPLETED.includes(p.result.sourceStatus ?? "")) {
        try {
            p.sourceHead = await from.s3.send(new HeadObjectCommand({ Bucket: from.bucket, Key: result.key, ChecksumMode: "ENABLED" }));
        } catch (e) {
            throw describeAwsError(e, "s3:GetObject (head)", from);
        }
        result.sourceStatus = p.sourceHead.ReplicationStatus;
        if (result.sourceStatus === "FAILED") {
            result.checks.push({ name: "source status", ok: false, detail: "the source reports replication FAILED" });
            p.done = true;
            return;
        }
        if (!COMPLETED.includes(result.sourceStatus ?? "")) {
            return;
        }
    }
    let replica: HeadObjectCommandOutput;
    try {
        replica = await to.s3.send(new HeadObjectCommand({ Bucket: to.bucket, Key: result.key, ChecksumMode: "ENABLED" }));
    } catch (e) {
        if (isNotFound(e)) {
            return; // COMPLETED at the source, not readable at the destination yet
        }
        throw describeAwsError(e, "s3:GetObject (head)", to);
    }
    result.lagMs = clock.now() - p.putAt;
    result.checks.push({ name: "source status", ok: true, detail: `source reports ${result.sourceStatus}` });
    result.checks.push(...(await replicaChecks(p, replica)));
    p.done = true;
}

/**
 * One poll in a mesh: the source's status, then the replica in this destination. The source stays PENDING until
 * every destination is done, then turns COMPLETED, or FAILED when any failed: FAILED with no replica here (asked
 * after the source) means this direction failed.
 */
async function pollDestination(p: Pending, clock: Clock): Promise<void> {
    const { from, to, result } = p;
    try {
        p.sourceHead = await from.s3.send(new HeadObjectCommand({ Bucket: from.bucket, Key: result.key, ChecksumMode: "ENABLED" }));
    } catch (e) {
        throw describeAwsError(e, "s3:GetObject (head)", from);
    }
    result.sourceStatus = p.sourceHead.ReplicationStatus;
    let replica: HeadObjectCommandOutput | undefined;
    try {
        replica = await to.s3.send(new HeadObjectCommand({ Bucket: to.bucket, Key: result.key, ChecksumMode: "ENABLED" }));
    } catch (e) {
        if (!isNotFound(e)) {
            throw describeAwsError(e, "s3:GetObject (head)", to);
        }
    }
    if (replica === undefined) {
        if (result.sourceStatus === "FAILED") {
            result.checks.push({
                name: "source status",
                ok: false,
                detail: "the source reports replication FAILED and this destination has no replica (a mesh source reports FAILED once every destination is done)",
            });
            p.done = true;
        }
        return;
    }
    result.lagMs = clock.now() - p.putAt;
    result.checks.push({
        name: "source status",
        ok: true,
        detail: `source reports ${result.sourceStatus} (it covers every destination of the mesh; this one holds the replica)`,
    });
    result.checks.push(...(await replicaChecks(p, replica)));
    p.done = true;
}

/**
 * Deletes every version and delete marker of this run's keys: in its source and destination first, then in
 * every other side (in a mesh, an object put into one bucket is replicated to every other).
 */
async function cleanup(pending: readonly Pending[], sides: readonly Endpoint[]): Promise<CleanupReport> {
    const deleted: string[] = [];
    const errors: string[] = [];
    for (const p of pending.filter((x) => x.mayExist)) {
        for (const endpoint of [p.from, p.to, ...sides.filter((s) => s !== p.from && s !== p.to)]) {
            try {
                const { versions, markers } = await versionsOf(endpoint, p.result.key);
                for (const versionId of [...versions, ...markers]) {
                    await endpoint.s3.send(new DeleteObjectCommand({ Bucket: endpoint.bucket, Key: p.result.key, VersionId: versionId }));
                    deleted.push(`${endpoint.bucket}/${p.result.key}@${versionId}`);
                }
            } catch (e) {
                errors.push(`${endpoint.bucket}/${p.result.key}: ${(e as Error).message}`);
            }
        }
    }
    return { kept: false, deleted, errors };
}
