/**
 * `npm run failover -- --verify`: after a switch, one object written through the Multi-Region Access Point must
 * land in an active region's bucket and be replicated to every other bucket of the access point. Requests
 * through an access point are signed with SigV4A: the CLI loads `@aws-sdk/signature-v4a` for its client.
 */
import { randomBytes } from "crypto";
import { DeleteObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Clock } from "../verify/verifier";
import { activeRegions, Route } from "./routes";

export interface ThroughAccessPointOptions {
    readonly arn: string;
    /** The routes after the switch: the buckets to look in, and which regions are active. */
    readonly routes: readonly Route[];
    /** A client for requests through the access point (SigV4A-signed). */
    readonly accessPoint: S3Client;
    /** A client per bucket region. */
    readonly s3: (region: string) => S3Client;
    readonly clock: Clock;
    readonly timeoutMs: number;
    readonly pollIntervalMs: number;
    readonly runId: string;
}

/** Where the object was seen: in which bucket, as the original or as a replica, how long after the put. */
export interface Sighting {
    readonly region: string;
    readonly bucket: string;
    /** `REPLICA` in a destination; the source's own status (`PENDING`, `COMPLETED`, ...) where it landed. */
    readonly replicationStatus?: string;
    readonly afterMs?: number;
}

export interface ThroughAccessPointResult {
    readonly key: string;
    readonly ok: boolean;
    /** The region whose bucket holds the original (not a replica). */
    readonly landedIn?: string;
    readonly sightings: readonly Sighting[];
    readonly problems: readonly string[];
    /** Versions removed afterwards, as `<bucket>/<key>?versionId=<id>`. */
    readonly cleanedUp: readonly string[];
}

/** Puts one object through the access point, waits until every bucket holds it, checks, and removes it. */
export async function verifyThroughAccessPoint(o: ThroughAccessPointOptions): Promise<ThroughAccessPointResult> {
    const key = `crr-failover-verify/${o.runId}.txt`;
    const body = `s3-crr failover verify ${o.runId}\n${randomBytes(16).toString("hex")}\n`;
    await o.accessPoint.send(new PutObjectCommand({ Bucket: o.arn, Key: key, Body: body, ContentType: "text/plain" }));
    const putAt = o.clock.now();
    const seen = new Map<string, Sighting>();
    const deadline = putAt + o.timeoutMs;
    while (seen.size < o.routes.length && o.clock.now() <= deadline) {
        for (const r of o.routes.filter((x) => !seen.has(x.region))) {
            try {
                const head = await o.s3(r.region).send(new HeadObjectCommand({ Bucket: r.bucket, Key: key }));
                seen.set(r.region, { region: r.region, bucket: r.bucket, replicationStatus: head.ReplicationStatus, afterMs: o.clock.now() - putAt });
            } catch (e) {
                if ((e as { name?: string }).name !== "NotFound" && (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) {
                    throw e;
                }
            }
        }
        if (seen.size < o.routes.length) {
            await o.clock.sleep(o.pollIntervalMs);
        }
    }
    const sightings = o.routes.map((r) => seen.get(r.region) ?? { region: r.region, bucket: r.bucket });
    const problems: string[] = [];
    const originals = sightings.filter((s) => s.afterMs !== undefined && s.replicationStatus !== "REPLICA");
    const landedIn = originals.length === 1 ? originals[0].region : undefined;
    const active = activeRegions(o.routes);
    if (landedIn === undefined) {
        problems.push(`the original was not found in exactly one bucket (found in: ${originals.map((s) => s.region).join(", ") || "none"})`);
    } else if (!active.includes(landedIn)) {
        problems.push(`it landed in ${landedIn}, which is passive; active: ${active.join(", ")} (routing changes take up to about two minutes)`);
    }
    for (const s of sightings.filter((x) => x.afterMs === undefined)) {
        problems.push(`not replicated to ${s.region} (${s.bucket}) within ${Math.round(o.timeoutMs / 1000)} s`);
    }
    const cleanedUp: string[] = [];
    for (const r of o.routes) {
        const client = o.s3(r.region);
        const listed = await client.send(new ListObjectVersionsCommand({ Bucket: r.bucket, Prefix: key }));
        for (const v of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter((x) => x.Key === key)) {
            await client.send(new DeleteObjectCommand({ Bucket: r.bucket, Key: key, VersionId: v.VersionId }));
            cleanedUp.push(`${r.bucket}/${key}?versionId=${v.VersionId}`);
        }
    }
    return { key, ok: problems.length === 0, ...(landedIn ? { landedIn } : {}), sightings, problems, cleanedUp };
}

/** The result as report lines. */
export function renderThroughAccessPoint(r: ThroughAccessPointResult): string[] {
    return [
        `Verify through the access point (${r.key}): ${r.ok ? "PASS" : "FAIL"}`,
        ...r.sightings.map(
            (s) =>
                `  ${s.region}  ${s.bucket}  ${s.afterMs === undefined ? "missing" : `${s.replicationStatus === "REPLICA" ? "replica" : "original"} after ${(s.afterMs / 1000).toFixed(1)} s`}`,
        ),
        ...r.problems.map((p) => `  problem: ${p}`),
        `  cleanup: removed ${r.cleanedUp.length} object version${r.cleanedUp.length === 1 ? "" : "s"}`,
    ];
}
