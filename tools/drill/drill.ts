/**
 * A disaster-recovery rehearsal on a deployed stack (`npm run drill`), step by step:
 * 1. RPO: a canary written in each active region, timed until it is readable in every other region;
 * 2. RTO (with an access point): a failover to another region, timed until reads through the access point are
 *    served from there, then the routes set back;
 * 3. restore: one canary deleted and another overwritten, brought back (AWS Backup in place for the deleted one
 *    where the stack backs up, object versions otherwise and for the overwritten one) and their content checked;
 * 4. cleanup: every canary version removed from every bucket and the routes left as found, also when a step
 *    fails or the drill is interrupted.
 * Each objective is reported with its target, the measured value and pass or fail.
 */
import { createHash, randomBytes } from "crypto";
import { BackupClient } from "@aws-sdk/client-backup";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { Clock } from "../verify/verifier";
import { formatDuration } from "../verify/stats";
import { plural } from "../text";
import { activeRegions, failoverRoutes, getRoutes, Route, submitRoutes } from "../failover/routes";
import { describeError } from "../restore/backup";
import { restore, RestoreReport } from "../restore/restore";
import { StackInfo, StackSide } from "../restore/stack";
import { listVersions } from "../restore/versions";

/** The drill stopped on SIGINT: what it had done is cleaned up, and the report says so. */
export class InterruptedError extends Error {
    constructor() {
        super("interrupted (SIGINT)");
        this.name = "InterruptedError";
    }
}

export interface DrillOptions {
    readonly stack: StackInfo;
    readonly rpoSeconds: number;
    readonly rtoSeconds: number;
    /** Unique per run: the canaries live under `crr-drill/<runId>/`. */
    readonly runId: string;
    /** Longest wait for a canary's replicas, and for a failover to take. */
    readonly timeoutMs: number;
    readonly pollIntervalMs: number;
    readonly endpointTimeoutMs: number;
    /** Restore jobs: longest wait and poll interval. */
    readonly restoreTimeoutMs: number;
    readonly restoreIntervalMs: number;
    /**
     * How long the restore canaries stay as written before the damage. A continuous backup records an
     * object's change some time after it happens (AWS states no bound), and a restore brings back only what it
     * recorded: with AWS Backup the drill waits this long (`--settle`) so that the canaries are in the backup.
     */
    readonly settleMs: number;
}

export interface DrillDeps {
    readonly s3: (region: string) => S3Client;
    readonly backup: (region: string) => BackupClient;
    readonly s3control: (region: string) => S3ControlClient;
    /** S3 through the Multi-Region Access Point (SigV4A-signed). */
    readonly accessPointS3: () => S3Client;
    readonly clock: Clock;
    readonly progress: (line: string) => void;
    /** Aborted on SIGINT: the drill stops waiting and cleans up. */
    readonly signal?: AbortSignal;
}

/** One objective: what the stack is held to, what was measured, and whether it was met. */
export interface Objective {
    readonly name: string;
    readonly target: string;
    readonly measured: string;
    /** `true` met, `false` missed, `undefined` not measured (said why in `measured`). */
    readonly met?: boolean;
}

export interface StepResult {
    readonly name: string;
    readonly status: "done" | "failed" | "skipped";
    readonly lines: readonly string[];
}

export interface DrillReport {
    readonly runId: string;
    readonly prefix: string;
    readonly startedAt: string;
    readonly objectives: readonly Objective[];
    readonly steps: readonly StepResult[];
    readonly cleanup: { readonly removed: number; readonly left: readonly string[]; readonly routes: string };
    readonly interrupted: boolean;
    /** The first error that stopped the drill (an AWS error, say), if one did. */
    readonly error?: string;
    readonly ok: boolean;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const notFound = (e: unknown) => (e as { name?: string }).name === "NotFound" || (e as { name?: string }).name === "NoSuchKey" || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** The plan of calls, for `--dry-run`: nothing is called. */
export function drillPlan(o: DrillOptions): string[] {
    const prefix = `crr-drill/${o.runId}/`;
    const [first] = o.stack.sides;
    const backupRestore = first.backupRoleArn !== undefined;
    return [
        `1. RPO (objective ${o.rpoSeconds} s): in each active region s3:PutObject ${prefix}rpo-<region>.txt; s3:HeadObject in every other region's bucket every ${o.pollIntervalMs / 1000} s until it is there (at most ${formatDuration(o.timeoutMs)})`,
        o.stack.accessPointArn
            ? `2. RTO (objective ${o.rtoSeconds} s): s3:GetMultiRegionAccessPointRoutes; s3:PutObject ${prefix}rto-probe.txt in an active region and wait for its replica; s3:SubmitMultiRegionAccessPointRoutes making another region the only active one; s3:HeadObject through ${o.stack.accessPointArn} until it answers from that region (a replica); s3:SubmitMultiRegionAccessPointRoutes with the routes as found`
            : `2. RTO (objective ${o.rtoSeconds} s): not measured, the stack has no access point (failing over is pointing the application at the other bucket)`,
        `3. restore in ${first.region}: s3:PutObject ${prefix}restore-deleted.txt and ${prefix}restore-corrupted.txt; ${o.settleMs > 0 ? `a wait of ${formatDuration(o.settleMs)} for the backup to record them; ` : ""}s3:DeleteObject the first, s3:PutObject other content over the second; ` +
            (backupRestore
                ? `backup:ListRecoveryPointsByResource and backup:StartRestoreJob (in place, the deleted object, at the time before the damage) as ${first.backupRoleArn}, backup:DescribeRestoreJob until it ends; `
                : "s3:ListObjectVersions and s3:DeleteObject of the delete marker (versions, in place); ") +
            "s3:ListObjectVersions and s3:CopyObject of the version before the damage over the corrupted one; s3:GetObject both and compare their SHA-256",
        `4. cleanup: s3:ListObjectVersions ${prefix} and s3:DeleteObject of every version in ${o.stack.sides.map((s) => s.bucket).join(", ")}; the routes as found (if they were changed)`,
    ];
}

/** Runs the drill. Never throws for a step's failure: the report says which step failed, and cleanup always runs. */
export async function runDrill(o: DrillOptions, deps: DrillDeps): Promise<DrillReport> {
    const prefix = `crr-drill/${o.runId}/`;
    const startedAt = new Date(deps.clock.now()).toISOString();
    const sleep = async (ms: number) => {
        if (deps.signal?.aborted) {
            throw new InterruptedError();
        }
        await deps.clock.sleep(ms);
        if (deps.signal?.aborted) {
            throw new InterruptedError();
        }
    };
    const objectives: Objective[] = [];
    const steps: StepResult[] = [];
    let routesAsFound: Route[] | undefined;
    let routesChanged = false;
    let error: string | undefined;
    let interrupted = false;
    const step = async (name: string, body: (lines: string[]) => Promise<void>) => {
        const lines: string[] = [];
        deps.progress(`${name}...`);
        try {
            await body(lines);
            steps.push({ name, status: "done", lines });
        } catch (e) {
            steps.push({ name, status: "failed", lines: [...lines, `${(e as Error).name}: ${(e as Error).message}`] });
            throw e;
        }
    };

    try {
        await step("RPO", async (lines) => {
            objectives.push(await measureRpo(o, deps, prefix, sleep, lines));
        });
        if (o.stack.accessPointArn) {
            await step("RTO", async (lines) => {
                const before = await getRoutes(deps.s3control, o.stack.accessPointArn!, o.endpointTimeoutMs);
                routesAsFound = before.result;
                const result = await measureRto(o, deps, prefix, sleep, lines, before.result, () => (routesChanged = true));
                objectives.push(result);
                lines.push(`failing back: the routes as found (${activeRegions(before.result).join(", ")} active)`);
                await submitRoutes(deps.s3control, o.stack.accessPointArn!, before.result, o.endpointTimeoutMs);
                routesChanged = false;
            });
        } else {
            objectives.push({ name: "RTO", target: `${o.rtoSeconds} s`, measured: "not measured: no access point (failing over is pointing the application at the other bucket)" });
            steps.push({ name: "RTO", status: "skipped", lines: ["the stack has no access point (option accessPoint)"] });
        }
        await step("restore", async (lines) => {
            objectives.push(...(await rehearseRestore(o, deps, prefix, sleep, lines)));
        });
    } catch (e) {
        interrupted = e instanceof InterruptedError;
        error = describeError(e);
        deps.progress(interrupted ? "interrupted: cleaning up" : `stopped (${error}): cleaning up`);
    }
    const cleanup = await cleanUp(o, deps, prefix, routesChanged ? routesAsFound : undefined);
    const ok = error === undefined && objectives.every((x) => x.met !== false) && cleanup.left.length === 0 && !/failed/.test(cleanup.routes);
    return { runId: o.runId, prefix, startedAt, objectives, steps, cleanup, interrupted, ...(error ? { error } : {}), ok };
}

/** Polls each of `sides` for `key` until all hold it or `timeoutMs` passes; the milliseconds after `from` each was seen. */
async function waitForReplicas(
    deps: DrillDeps,
    sides: readonly StackSide[],
    key: string,
    from: number,
    o: DrillOptions,
    sleep: (ms: number) => Promise<void>,
): Promise<Map<string, number>> {
    const seen = new Map<string, number>();
    while (seen.size < sides.length) {
        for (const side of sides.filter((s) => !seen.has(s.region))) {
            try {
                await deps.s3(side.region).send(new HeadObjectCommand({ Bucket: side.bucket, Key: key }));
                seen.set(side.region, deps.clock.now() - from);
            } catch (e) {
                if (!notFound(e)) {
                    throw e;
                }
            }
        }
        if (seen.size === sides.length || deps.clock.now() - from >= o.timeoutMs) {
            break;
        }
        await sleep(o.pollIntervalMs);
    }
    return seen;
}

async function measureRpo(o: DrillOptions, deps: DrillDeps, prefix: string, sleep: (ms: number) => Promise<void>, lines: string[]): Promise<Objective> {
    // With an access point, the active regions are where writes land; without one every side takes writes.
    let writers: readonly StackSide[] = o.stack.sides;
    if (o.stack.accessPointArn) {
        const routes = await getRoutes(deps.s3control, o.stack.accessPointArn, o.endpointTimeoutMs);
        const active = activeRegions(routes.result);
        writers = o.stack.sides.filter((s) => active.includes(s.region));
    }
    let worst = 0;
    const missing: string[] = [];
    for (const writer of writers) {
        const key = `${prefix}rpo-${writer.region}.txt`;
        await deps.s3(writer.region).send(new PutObjectCommand({ Bucket: writer.bucket, Key: key, Body: `s3-crr drill ${o.runId} ${randomBytes(8).toString("hex")}\n`, ContentType: "text/plain" }));
        const putAt = deps.clock.now();
        const others = o.stack.sides.filter((s) => s.region !== writer.region);
        const seen = await waitForReplicas(deps, others, key, putAt, o, sleep);
        for (const other of others) {
            const lag = seen.get(other.region);
            if (lag === undefined) {
                missing.push(`${writer.region} to ${other.region}`);
                lines.push(`${writer.region} to ${other.region}: not readable within ${formatDuration(o.timeoutMs)}`);
            } else {
                worst = Math.max(worst, lag);
                lines.push(`${writer.region} to ${other.region}: readable after ${formatDuration(lag)}`);
            }
        }
    }
    const met = missing.length === 0 && worst <= o.rpoSeconds * 1000;
    return {
        name: "RPO",
        target: `${o.rpoSeconds} s`,
        measured: missing.length > 0 ? `not replicated within ${formatDuration(o.timeoutMs)}: ${missing.join(", ")}` : `${(worst / 1000).toFixed(1)} s (slowest of ${plural(lines.length, "direction")})`,
        met,
    };
}

async function measureRto(
    o: DrillOptions,
    deps: DrillDeps,
    prefix: string,
    sleep: (ms: number) => Promise<void>,
    lines: string[],
    routes: readonly Route[],
    changed: () => void,
): Promise<Objective> {
    const arn = o.stack.accessPointArn!;
    const active = activeRegions(routes);
    const source = o.stack.sides.find((s) => active.includes(s.region)) ?? o.stack.sides[0];
    // The region to fail over to: a passive one, or (every region active) another than the source.
    const target = o.stack.sides.find((s) => !active.includes(s.region)) ?? o.stack.sides.find((s) => s.region !== source.region)!;
    // A probe written in the source region: its copy in the target is a replica, so a read through the access
    // point that reports REPLICA was served from the target (with every other region passive).
    const key = `${prefix}rto-probe.txt`;
    await deps.s3(source.region).send(new PutObjectCommand({ Bucket: source.bucket, Key: key, Body: `s3-crr drill ${o.runId} probe\n`, ContentType: "text/plain" }));
    const replicated = await waitForReplicas(deps, [target], key, deps.clock.now(), o, sleep);
    if (!replicated.has(target.region)) {
        lines.push(`the probe did not reach ${target.region} within ${formatDuration(o.timeoutMs)}: the failover is not timed`);
        return { name: "RTO", target: `${o.rtoSeconds} s`, measured: `not measured: the probe was not replicated to ${target.region}`, met: false };
    }
    const startedAt = deps.clock.now();
    lines.push(`failing over from ${active.join(", ")} to ${target.region}`);
    changed();
    await submitRoutes(deps.s3control, arn, failoverRoutes(routes, target.region), o.endpointTimeoutMs);
    const through = deps.accessPointS3();
    for (;;) {
        const head = await through.send(new HeadObjectCommand({ Bucket: arn, Key: key })).catch((e: unknown) => {
            if (notFound(e)) {
                return undefined;
            }
            throw e;
        });
        const elapsed = deps.clock.now() - startedAt;
        if (head?.ReplicationStatus === "REPLICA") {
            lines.push(`reads through the access point served from ${target.region} after ${formatDuration(elapsed)}`);
            return { name: "RTO", target: `${o.rtoSeconds} s`, measured: `${(elapsed / 1000).toFixed(1)} s (failover to ${target.region})`, met: elapsed <= o.rtoSeconds * 1000 };
        }
        if (elapsed >= o.timeoutMs) {
            lines.push(`reads through the access point still served from ${source.region} after ${formatDuration(elapsed)}`);
            return { name: "RTO", target: `${o.rtoSeconds} s`, measured: `the failover did not take within ${formatDuration(o.timeoutMs)}`, met: false };
        }
        await sleep(o.pollIntervalMs);
    }
}

async function rehearseRestore(o: DrillOptions, deps: DrillDeps, prefix: string, sleep: (ms: number) => Promise<void>, lines: string[]): Promise<Objective[]> {
    const side = o.stack.sides[0];
    const s3 = deps.s3(side.region);
    const deleted = { key: `${prefix}restore-deleted.txt`, body: `s3-crr drill ${o.runId} deleted ${randomBytes(8).toString("hex")}\n` };
    const corrupted = { key: `${prefix}restore-corrupted.txt`, body: `s3-crr drill ${o.runId} corrupted ${randomBytes(8).toString("hex")}\n` };
    for (const c of [deleted, corrupted]) {
        await s3.send(new PutObjectCommand({ Bucket: side.bucket, Key: c.key, Body: c.body, ContentType: "text/plain" }));
    }
    // S3 dates versions to the second: the point to restore to lies more than a second after the writes and
    // more than a second before the damage, so that each falls on its side of it.
    await sleep(1500);
    if (o.settleMs > 0) {
        deps.progress(`  waiting ${formatDuration(o.settleMs)} for the continuous backup to record the canaries (--settle)`);
        await sleep(o.settleMs);
    }
    const at = new Date(deps.clock.now());
    await sleep(1500);
    await s3.send(new DeleteObjectCommand({ Bucket: side.bucket, Key: deleted.key }));
    await s3.send(new PutObjectCommand({ Bucket: side.bucket, Key: corrupted.key, Body: "corrupted by the drill\n", ContentType: "text/plain" }));
    lines.push(`wrote ${deleted.key} and ${corrupted.key}; restore point ${at.toISOString()}; then deleted the first and overwrote the second`);

    const common = {
        bucket: side.bucket,
        region: side.region,
        at,
        prefix: "",
        inPlace: true,
        destination: side.bucket,
        snapshot: false,
        dryRun: false,
        timeoutMs: o.restoreTimeoutMs,
        intervalMs: o.restoreIntervalMs,
    };
    const restoreDeps = { s3: deps.s3, backup: deps.backup, clock: { now: () => deps.clock.now(), sleep }, progress: (line: string) => deps.progress(`  ${line}`) };
    const results: Objective[] = [];
    const check = async (name: string, c: { key: string; body: string }, report: RestoreReport, startedAt: number) => {
        const elapsed = deps.clock.now() - startedAt;
        const failed = report.failed.find((f) => f.key === c.key);
        let content: string | undefined;
        if (!failed) {
            const got = await s3.send(new GetObjectCommand({ Bucket: side.bucket, Key: c.key })).catch((e: unknown) => (notFound(e) ? undefined : Promise.reject(e)));
            content = got?.Body ? await got.Body.transformToString() : undefined;
        }
        const same = content !== undefined && sha256(content) === sha256(c.body);
        lines.push(`${name}: ${failed ? `not restored (${failed.reason})` : same ? "content matches" : "content differs from what was written"} after ${formatDuration(elapsed)}`);
        results.push({
            name,
            target: "content as written before the damage",
            measured: failed ? `not restored: ${failed.reason}` : same ? `restored by ${report.from === "backup" ? "AWS Backup" : "object versions"} in ${formatDuration(elapsed)}, SHA-256 matches` : "restored, but the content differs",
            met: same,
        });
    };
    let startedAt = deps.clock.now();
    const byBackup = side.backupRoleArn !== undefined;
    const deletedReport = await restore(
        { ...common, from: byBackup ? "backup" : "versions", keys: [deleted.key], ...(byBackup ? { roleArn: side.backupRoleArn } : {}), token: `crr-drill-${o.runId}` },
        restoreDeps,
    );
    await check("restore a deleted object", deleted, deletedReport, startedAt);
    startedAt = deps.clock.now();
    const corruptedReport = await restore({ ...common, from: "versions", keys: [corrupted.key], token: `crr-drill-${o.runId}-v` }, restoreDeps);
    await check("restore an overwritten object", corrupted, corruptedReport, startedAt);
    return results;
}

/** Removes every version under `prefix` in every bucket (until a pass finds none, replicas landing late included) and sets routes back. */
async function cleanUp(o: DrillOptions, deps: DrillDeps, prefix: string, routes: readonly Route[] | undefined): Promise<DrillReport["cleanup"]> {
    let routesLine = "unchanged";
    if (routes) {
        try {
            await submitRoutes(deps.s3control, o.stack.accessPointArn!, routes, o.endpointTimeoutMs);
            routesLine = `set back as found (${activeRegions(routes).join(", ")} active)`;
        } catch (e) {
            routesLine = `failed to set back (${(e as Error).message}): run npm run failover -- --to ${activeRegions(routes)[0]}`;
        }
    }
    let removed = 0;
    const left: string[] = [];
    for (let pass = 0; pass < 3; pass++) {
        let found = 0;
        left.length = 0;
        for (const side of o.stack.sides) {
            try {
                const versions = await listVersions(deps.s3(side.region), side.bucket, prefix);
                for (const v of versions) {
                    found++;
                    try {
                        await deps.s3(side.region).send(new DeleteObjectCommand({ Bucket: side.bucket, Key: v.key, VersionId: v.versionId }));
                        removed++;
                    } catch (e) {
                        left.push(`s3://${side.bucket}/${v.key}?versionId=${v.versionId} (${(e as Error).name})`);
                    }
                }
            } catch (e) {
                left.push(`s3://${side.bucket}/${prefix} (listing failed: ${(e as Error).name}: ${(e as Error).message})`);
            }
        }
        if (found === 0 || left.length > 0) {
            break;
        }
        // A replica in flight may land after its bucket was cleaned: look again once it could have.
        await deps.clock.sleep(o.pollIntervalMs);
    }
    deps.progress(`cleanup: removed ${removed} object versions under ${prefix}; routes ${routesLine}`);
    return { removed, left, routes: routesLine };
}
