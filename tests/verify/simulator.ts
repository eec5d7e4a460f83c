/**
 * Two S3 regions (or more: a mesh) with replication between them, scripted for the verifier's tests: real S3Client
 * instances whose commands (Put, Head, Get, ListObjectVersions, Delete) are answered by
 * aws-sdk-client-mock from this in-memory model, on a virtual clock.
 */
import { createHash } from "crypto";
import {
    DeleteObjectCommand,
    GetObjectCommand,
    HeadObjectCommand,
    ListObjectVersionsCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { Clock, Endpoint } from "../../tools/verify/verifier";

export class VirtualClock implements Clock {
    constructor(public t = 1_700_000_000_000) {}
    now(): number {
        return this.t;
    }
    async sleep(ms: number): Promise<void> {
        this.t += ms;
    }
}

interface Version {
    readonly versionId: string;
    readonly body: Buffer;
    readonly sse: string;
    status?: string;
    /** Replication to one of several destinations failed (the status turns FAILED once every one is done). */
    failedSome?: boolean;
    deleteMarker?: boolean;
    /** Per destination region, when the replica becomes readable there (replication in flight); undefined: never. */
    replicaAt?: Map<string, number | undefined>;
}

/** How replication behaves, per direction (keyed "us-east-2->us-west-2"). */
export interface Behaviour {
    /** Replica readable this long after the put. */
    readonly lagMs?: number;
    /** The source reports FAILED instead. */
    readonly fail?: boolean;
    /** Nothing ever happens: the source stays PENDING. */
    readonly stall?: boolean;
    /** The source says COMPLETED, but no replica appears. */
    readonly replicaMissing?: boolean;
    /** The replica's server-side encryption, if not the source's. */
    readonly replicaSse?: string;
    /** A second version of the key comes back to the source when the replica is written. */
    readonly loop?: boolean;
    /** The replica has no stored checksum (read back and hashed instead). */
    readonly noReplicaChecksum?: boolean;
}

const notFound = () => Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });

export class ReplicationSimulator {
    readonly clock = new VirtualClock();
    readonly buckets = new Map<string, Map<string, Version[]>>();
    readonly calls: string[] = [];
    private serial = 0;
    readonly endpoints: { primary: Endpoint; secondary: Endpoint };
    /** Every region's endpoint (a mesh: each replicates to every other), the first two the pair's. */
    readonly sides: readonly Endpoint[];
    /** Errors to throw for a command in a bucket: "PutObject:bucket" → error. */
    readonly failures = new Map<string, Error>();

    constructor(
        readonly behaviour: Record<string, Behaviour>,
        readonly sse = "AES256",
        regions: readonly string[] = ["us-east-2", "us-west-2"],
    ) {
        this.sides = regions.map((region, i): Endpoint => ({
            label: i === 0 ? "primary" : i === 1 ? "secondary" : region,
            bucket: `acme-crrlab-${region}`,
            region,
            s3: new S3Client({ region }),
        }));
        this.endpoints = { primary: this.sides[0], secondary: this.sides[1] };
        this.sides.forEach((side) => {
            this.buckets.set(side.bucket, new Map());
            this.wire(side);
        });
    }

    /** Puts an object that is not the verifier's (it must survive the cleanup). */
    seed(bucket: string, key: string): void {
        this.versions(bucket, key).push({ versionId: `seed-${this.serial++}`, body: Buffer.from("keep me"), sse: this.sse, status: "REPLICA" });
    }

    versions(bucket: string, key: string): Version[] {
        const objects = this.buckets.get(bucket)!;
        if (!objects.has(key)) {
            objects.set(key, []);
        }
        return objects.get(key)!;
    }

    /** Every remaining "bucket/key@version", sorted. */
    remaining(): string[] {
        const all: string[] = [];
        for (const [bucket, objects] of this.buckets) {
            for (const [key, versions] of objects) {
                versions.forEach((v) => all.push(`${bucket}/${key}@${v.versionId}`));
            }
        }
        return all.sort();
    }

    private fail(command: string, bucket: string) {
        const error = this.failures.get(`${command}:${bucket}`);
        if (error) {
            throw error;
        }
    }

    /** Moves replication out of `from` forward to the clock's time, to every other side. */
    private advance(from: Endpoint) {
        for (const [key, versions] of this.buckets.get(from.bucket)!) {
            for (const v of [...versions]) {
                if (v.status !== "PENDING" || v.replicaAt === undefined) {
                    continue;
                }
                for (const [region, at] of [...v.replicaAt]) {
                    if (at === undefined || this.clock.now() < at) {
                        continue;
                    }
                    const to = this.sides.find((s) => s.region === region)!;
                    const b = this.behaviour[`${from.region}->${to.region}`] ?? {};
                    v.replicaAt.delete(region);
                    if (b.fail) {
                        // S3 goes on with the other destinations; the source reports FAILED once all are done.
                        v.failedSome = true;
                        continue;
                    }
                    if (!b.replicaMissing) {
                        this.versions(to.bucket, key).push({ versionId: `r${this.serial++}`, body: v.body, sse: b.replicaSse ?? v.sse, status: "REPLICA" });
                        if (b.loop) {
                            versions.push({ versionId: `loop${this.serial++}`, body: v.body, sse: v.sse, status: "REPLICA" });
                        }
                    }
                }
                if (v.status === "PENDING" && v.replicaAt.size === 0) {
                    v.status = v.failedSome ? "FAILED" : "COMPLETED";
                }
            }
        }
    }

    private wire(self: Endpoint) {
        const mock = mockClient(self.s3);
        const sha = (body: Buffer) => createHash("sha256").update(body).digest("base64");
        mock.on(PutObjectCommand).callsFake(async (input) => {
            this.calls.push(`PutObject ${input.Bucket}/${input.Key}`);
            this.fail("PutObject", input.Bucket);
            const body = Buffer.from(input.Body as Buffer);
            const replicaAt = new Map(
                this.sides
                    .filter((s) => s !== self)
                    .map((to): [string, number | undefined] => {
                        const b = this.behaviour[`${self.region}->${to.region}`] ?? {};
                        return [to.region, b.stall ? undefined : this.clock.now() + (b.lagMs ?? 4000)];
                    }),
            );
            const version: Version = { versionId: `v${this.serial++}`, body, sse: this.sse, status: "PENDING", replicaAt };
            this.versions(input.Bucket!, input.Key!).push(version);
            return { VersionId: version.versionId, ChecksumSHA256: sha(body), ServerSideEncryption: this.sse };
        });
        mock.on(HeadObjectCommand).callsFake(async (input) => {
            this.calls.push(`HeadObject ${input.Bucket}/${input.Key}`);
            this.sides.forEach((side) => this.advance(side));
            const latest = this.buckets.get(input.Bucket!)!.get(input.Key!)?.filter((v) => !v.deleteMarker).slice(-1)[0];
            if (!latest) {
                throw notFound();
            }
            const noChecksum = latest.status === "REPLICA" && this.sides.some((other) => other !== self && (this.behaviour[`${other.region}->${self.region}`] ?? {}).noReplicaChecksum);
            return {
                ContentLength: latest.body.length,
                ReplicationStatus: latest.status,
                ServerSideEncryption: latest.sse,
                VersionId: latest.versionId,
                ...(noChecksum ? {} : { ChecksumSHA256: sha(latest.body) }),
            };
        });
        mock.on(GetObjectCommand).callsFake(async (input) => {
            const latest = this.buckets.get(input.Bucket!)!.get(input.Key!)?.slice(-1)[0];
            if (!latest) {
                throw notFound();
            }
            return { Body: { transformToByteArray: async () => new Uint8Array(latest.body) } };
        });
        mock.on(ListObjectVersionsCommand).callsFake(async (input) => {
            this.calls.push(`ListObjectVersions ${input.Bucket}/${input.Prefix}`);
            this.fail("ListObjectVersions", input.Bucket);
            const versions: { Key: string; VersionId: string }[] = [];
            const markers: { Key: string; VersionId: string }[] = [];
            for (const [key, vs] of this.buckets.get(input.Bucket!)!) {
                if (key.startsWith(input.Prefix ?? "")) {
                    for (const v of vs) {
                        (v.deleteMarker ? markers : versions).push({ Key: key, VersionId: v.versionId });
                    }
                }
            }
            return { Versions: versions, DeleteMarkers: markers, IsTruncated: false };
        });
        mock.on(DeleteObjectCommand).callsFake(async (input) => {
            this.calls.push(`DeleteObject ${input.Bucket}/${input.Key}@${input.VersionId}`);
            const vs = this.versions(input.Bucket!, input.Key!);
            const i = vs.findIndex((v) => v.versionId === input.VersionId);
            if (i >= 0) {
                vs.splice(i, 1);
            }
            if (vs.length === 0) {
                this.buckets.get(input.Bucket!)!.delete(input.Key!);
            }
            return {};
        });
    }
}
