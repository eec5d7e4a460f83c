/**
 * A scripted AWS for `npm run restore` and `npm run drill`: versioned buckets in their regions (versions,
 * delete markers, dates to the second as S3 keeps them), replication between them after a lag, a Multi-Region
 * Access Point whose routes take effect some time after a submit, and AWS Backup recovery points and restore
 * jobs. Real SDK clients answered by aws-sdk-client-mock from this model, on a virtual clock; every call is
 * recorded for the assertions.
 */
import {
    BackupClient,
    DescribeRecoveryPointCommand,
    DescribeRestoreJobCommand,
    ListRecoveryPointsByResourceCommand,
    StartRestoreJobCommand,
    StartRestoreJobCommandInput,
} from "@aws-sdk/client-backup";
import {
    AbortMultipartUploadCommand,
    CompleteMultipartUploadCommand,
    CompleteMultipartUploadCommandInput,
    CompletedPart,
    CopyObjectCommand,
    CreateBucketCommand,
    CreateMultipartUploadCommand,
    DeleteObjectCommand,
    GetBucketReplicationCommand,
    GetObjectCommand,
    GetObjectTaggingCommand,
    HeadObjectCommand,
    ListObjectVersionsCommand,
    PutObjectCommand,
    S3Client,
    UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { GetMultiRegionAccessPointRoutesCommand, S3ControlClient, SubmitMultiRegionAccessPointRoutesCommand } from "@aws-sdk/client-s3-control";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { ROUTE_API_REGIONS } from "../../tools/failover/routes";
import { VirtualClock } from "../verify/simulator";

export const ACCOUNT = "123456789012";
export const AP_ARN = `arn:aws:s3::${ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`;
export const EAST = "acme-data-crrlab-us-east-2";
export const WEST = "acme-data-crrlab-us-west-2";
export const BACKUP_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-data-backup-us-east-2`;
export const CONTINUOUS_RP = `arn:aws:backup:us-east-2:${ACCOUNT}:recovery-point:continuous:s3-acme-data-crrlab-us-east-2-1a2b3c4d`;
export const SNAPSHOT_RP = `arn:aws:backup:us-east-2:${ACCOUNT}:recovery-point:9f1c2d3e-0000-4000-8000-000000000001`;
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

export interface Entry {
    readonly versionId: string;
    readonly body: string;
    readonly lastModified: Date;
    readonly deleteMarker: boolean;
    readonly replica: boolean;
    /** Bytes as S3 reports them, when the test states more than the body holds (an object above 5 GB). */
    readonly size?: number;
    readonly contentType?: string;
    readonly metadata?: Readonly<Record<string, string>>;
    readonly tags?: Readonly<Record<string, string>>;
    /** The storage class, when not STANDARD. */
    readonly storageClass?: string;
}

export interface WorldOptions {
    /** Replication lag into each region (ms); a region missing here never receives replicas. */
    readonly lagMs?: Readonly<Record<string, number>>;
    /** Time after a route submit until reads through the access point follow it; undefined: never. */
    readonly failoverMs?: number | null;
    readonly accessPoint?: boolean;
    readonly backup?: boolean;
    /** DescribeRestoreJob answers, in order (the last repeats). */
    readonly jobStates?: readonly { Status: string; PercentDone?: string; StatusMessage?: string }[];
    readonly noCredentials?: boolean;
    /** S3 writes are denied (AccessDenied). */
    readonly accessDenied?: boolean;
    /** UploadPartCopy of this part number fails (InternalError). */
    readonly failPart?: number;
    /** The buckets' replication rules replicate delete markers (the stack's deleteMarkerReplication); default off. */
    readonly markerReplication?: boolean;
    /** The continuous backup's retention (DescribeRecoveryPoint's lifecycle); absent: AWS says none. */
    readonly continuousRetentionDays?: number;
    /** The rules are of S3's first schema (a Prefix, no Filter), which replicates delete markers without saying so. */
    readonly firstSchemaRules?: boolean;
}

const notFound = () => Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
const noSuchKey = () => Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } });
const denied = () => Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
const noCredentials = () => Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });

/** S3 dates an object to the second. */
const toSecond = (t: number) => new Date(Math.floor(t / 1000) * 1000);

export class World {
    readonly clock = new VirtualClock(Date.parse("2026-12-04T10:00:00Z"));
    readonly buckets = new Map<string, { region: string; objects: Map<string, Entry[]> }>();
    /** Every call: client, command, input. */
    readonly calls: { client: string; command: string; input: Record<string, unknown>; at: number }[] = [];
    routes = [
        { Bucket: EAST, Region: "us-east-2", TrafficDialPercentage: 100 },
        { Bucket: WEST, Region: "us-west-2", TrafficDialPercentage: 0 },
    ];
    /** The routes reads follow, and since when the submitted ones take over. */
    private effective = this.routes;
    private switchAt: number | undefined;
    private pending: { bucket: string; key: string; entry: Entry; at: number }[] = [];
    private sequence = 0;
    /** Multipart uploads under way: their request and the parts copied so far. */
    readonly uploads = new Map<string, { bucket: string; key: string; input: { ContentType?: string; Metadata?: Record<string, string>; Tagging?: string }; parts: Map<number, { first: number; last: number; source: Entry; etag: string }> }>();
    private jobCalls = 0;
    recoveryPoints: { RecoveryPointArn: string; CreationDate: Date; Status: string }[] = [];
    readonly s3Clients = new Map<string, S3Client>();
    readonly s3Mocks: AwsClientStub<S3Client>[] = [];
    readonly backupClient: BackupClient;
    readonly controlClients = new Map<string, S3ControlClient>();
    readonly accessPoint: S3Client;
    /** Called after each call (by command name): a test interrupts the drill here. */
    onCall: (command: string) => void = () => undefined;

    constructor(readonly options: WorldOptions = {}) {
        this.buckets.set(EAST, { region: "us-east-2", objects: new Map() });
        this.buckets.set(WEST, { region: "us-west-2", objects: new Map() });
        for (const region of ["us-east-2", "us-west-2"]) {
            const client = new S3Client({ region, credentials });
            this.s3Mocks.push(this.mockS3(client, region));
            this.s3Clients.set(region, client);
        }
        this.accessPoint = new S3Client({ region: "us-east-1", credentials });
        const ap = mockClient(this.accessPoint);
        ap.on(HeadObjectCommand).callsFake(async (input) => {
            this.record("access-point", "HeadObject", input);
            this.tick();
            const active = this.effective.find((r) => r.TrafficDialPercentage > 0)!;
            const current = this.current(active.Bucket, input.Key);
            if (!current || current.deleteMarker) {
                throw notFound();
            }
            return { ReplicationStatus: current.replica ? "REPLICA" : "COMPLETED", VersionId: current.versionId };
        });
        this.backupClient = new BackupClient({ region: "us-east-2", credentials });
        this.mockBackup(mockClient(this.backupClient));
        for (const region of ROUTE_API_REGIONS) {
            const client = new S3ControlClient({ region, credentials });
            const mock = mockClient(client);
            if (options.noCredentials) {
                mock.onAnyCommand().rejects(noCredentials());
            } else {
                mock.on(GetMultiRegionAccessPointRoutesCommand).callsFake(async (input) => {
                    this.record(`s3control:${region}`, "GetMultiRegionAccessPointRoutes", input);
                    return { Mrap: AP_ARN, Routes: this.routes.map((r) => ({ ...r })) };
                });
                mock.on(SubmitMultiRegionAccessPointRoutesCommand).callsFake(async (input) => {
                    this.record(`s3control:${region}`, "SubmitMultiRegionAccessPointRoutes", input);
                    this.tick();
                    this.routes = this.routes.map((r) => ({ ...r, ...input.RouteUpdates.find((u: { Bucket: string }) => u.Bucket === r.Bucket) }));
                    this.switchAt = this.options.failoverMs === null ? undefined : this.clock.now() + (this.options.failoverMs ?? 90_000);
                    this.onCall("SubmitMultiRegionAccessPointRoutes");
                    return {};
                });
            }
            this.controlClients.set(region, client);
        }
    }

    private record(client: string, command: string, input: Record<string, unknown>) {
        this.calls.push({ client, command, input, at: this.clock.now() });
    }

    /** Replicas and route changes that are due by now. */
    private tick() {
        const now = this.clock.now();
        for (const p of this.pending.filter((x) => x.at <= now)) {
            this.stack(p.bucket, p.key).push({ ...p.entry, replica: true, lastModified: toSecond(p.at) });
        }
        this.pending = this.pending.filter((x) => x.at > now);
        if (this.switchAt !== undefined && now >= this.switchAt) {
            this.effective = this.routes.map((r) => ({ ...r }));
            this.switchAt = undefined;
        }
    }

    private stack(bucket: string, key: string): Entry[] {
        const objects = this.buckets.get(bucket)!.objects;
        if (!objects.has(key)) {
            objects.set(key, []);
        }
        return objects.get(key)!;
    }

    current(bucket: string, key: string): Entry | undefined {
        const s = this.buckets.get(bucket)?.objects.get(key);
        return s && s.length > 0 ? s[s.length - 1] : undefined;
    }

    /** Writes a version now (a test's own setup: nothing recorded, replication scheduled). */
    put(
        bucket: string,
        key: string,
        body: string,
        options: { deleteMarker?: boolean; at?: number } & Pick<Entry, "size" | "contentType" | "metadata" | "tags" | "storageClass"> = {},
    ): Entry {
        const { deleteMarker, at, ...described } = options;
        const entry: Entry = { versionId: `v${++this.sequence}`, body, lastModified: toSecond(at ?? this.clock.now()), deleteMarker: deleteMarker === true, replica: false, ...described };
        this.stack(bucket, key).push(entry);
        if (!entry.deleteMarker) {
            for (const [name, b] of this.buckets) {
                const lag = this.options.lagMs?.[b.region];
                if (name !== bucket && lag !== undefined) {
                    this.pending.push({ bucket: name, key, entry, at: this.clock.now() + lag });
                }
            }
        }
        return entry;
    }

    /** Every key with a version or marker under `prefix`, over every bucket. */
    keysUnder(prefix: string): string[] {
        return [...this.buckets.entries()].flatMap(([bucket, b]) => [...b.objects.entries()].filter(([k, s]) => k.startsWith(prefix) && s.length > 0).map(([k]) => `${bucket}/${k}`));
    }

    /** One version of a key (undefined when the key has no such version). */
    version(bucket: string, key: string, versionId: string): Entry | undefined {
        return this.buckets.get(bucket)?.objects.get(key)?.find((e) => e.versionId === versionId);
    }

    /** The version a CopySource (`bucket/key?versionId=...`, the key URL-encoded) names; NoSuchVersion as S3 answers. */
    private copySourceEntry(copySource: string): Entry {
        const m = /^([^/]+)\/(.+)\?versionId=(.+)$/.exec(copySource)!;
        const source = this.version(m[1], m[2].split("/").map(decodeURIComponent).join("/"), decodeURIComponent(m[3]));
        if (!source) {
            throw Object.assign(new Error("The specified version does not exist."), { name: "NoSuchVersion", $metadata: { httpStatusCode: 404 } });
        }
        return source;
    }

    commands(name: string) {
        return this.calls.filter((c) => c.command === name);
    }

    private mockS3(client: S3Client, region: string): AwsClientStub<S3Client> {
        const mock = mockClient(client);
        if (this.options.noCredentials) {
            mock.onAnyCommand().rejects(noCredentials());
            return mock;
        }
        const label = `s3:${region}`;
        const bucketOf = (name: string) => {
            const b = this.buckets.get(name);
            if (!b) {
                throw Object.assign(new Error("The specified bucket does not exist"), { name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } });
            }
            return b;
        };
        mock.on(PutObjectCommand).callsFake(async (input) => {
            this.record(label, "PutObject", input);
            this.tick();
            if (this.options.accessDenied) {
                throw denied();
            }
            bucketOf(input.Bucket);
            const e = this.put(input.Bucket, input.Key, String(input.Body));
            this.onCall("PutObject");
            return { VersionId: e.versionId };
        });
        mock.on(HeadObjectCommand).callsFake(async (input) => {
            this.record(label, "HeadObject", input);
            this.tick();
            const current = input.VersionId === undefined ? this.current(input.Bucket, input.Key) : this.version(input.Bucket, input.Key, input.VersionId);
            if (!current || current.deleteMarker) {
                throw notFound();
            }
            return {
                VersionId: current.versionId,
                LastModified: current.lastModified,
                ReplicationStatus: current.replica ? "REPLICA" : "COMPLETED",
                ContentLength: current.size ?? current.body.length,
                ...(current.contentType ? { ContentType: current.contentType } : {}),
                ...(current.metadata ? { Metadata: { ...current.metadata } } : {}),
            };
        });
        mock.on(GetObjectTaggingCommand).callsFake(async (input) => {
            this.record(label, "GetObjectTagging", input);
            const e = this.version(input.Bucket, input.Key, input.VersionId!);
            if (!e) {
                throw noSuchKey();
            }
            return { VersionId: e.versionId, TagSet: Object.entries(e.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
        });
        // Multipart copies: the parts' ranges are kept and checked on completion (contiguous from byte 0 to the
        // source's last byte, every part but the last at least 5 MiB), then the object is written as the source.
        mock.on(CreateMultipartUploadCommand).callsFake(async (input) => {
            this.record(label, "CreateMultipartUpload", input);
            bucketOf(input.Bucket);
            const UploadId = `upload-${++this.sequence}`;
            this.uploads.set(UploadId, { bucket: input.Bucket, key: input.Key, input, parts: new Map() });
            return { UploadId, Bucket: input.Bucket, Key: input.Key };
        });
        mock.on(UploadPartCopyCommand).callsFake(async (input) => {
            this.record(label, "UploadPartCopy", input);
            if (this.options.failPart === input.PartNumber) {
                throw Object.assign(new Error("We encountered an internal error. Please try again."), { name: "InternalError", $metadata: { httpStatusCode: 500 } });
            }
            const upload = this.uploads.get(input.UploadId!);
            if (!upload) {
                throw Object.assign(new Error("The specified upload does not exist."), { name: "NoSuchUpload", $metadata: { httpStatusCode: 404 } });
            }
            const source = this.copySourceEntry(input.CopySource!);
            const [first, last] = /^bytes=(\d+)-(\d+)$/.exec(input.CopySourceRange!)!.slice(1).map(Number);
            upload.parts.set(input.PartNumber!, { first, last, source, etag: `"etag-${input.PartNumber}"` });
            return { CopyPartResult: { ETag: `"etag-${input.PartNumber}"` } };
        });
        mock.on(CompleteMultipartUploadCommand).callsFake(async (input: CompleteMultipartUploadCommandInput) => {
            this.record(label, "CompleteMultipartUpload", { ...input });
            const upload = this.uploads.get(input.UploadId!)!;
            const listed = input.MultipartUpload!.Parts!;
            const parts = listed.map((p: CompletedPart) => upload.parts.get(p.PartNumber!)!);
            const source = parts[0].source;
            const size = source.size ?? source.body.length;
            parts.forEach((p: { first: number; last: number; etag: string }, i: number) => {
                const expectedFirst = i === 0 ? 0 : parts[i - 1].last + 1;
                if (p.first !== expectedFirst || p.etag !== listed[i].ETag || (i < parts.length - 1 && p.last - p.first + 1 < 5 * 1024 ** 2)) {
                    throw Object.assign(new Error("One or more of the specified parts could not be found."), { name: "InvalidPart", $metadata: { httpStatusCode: 400 } });
                }
            });
            if (parts[parts.length - 1].last !== size - 1 || parts.length > 10_000) {
                throw Object.assign(new Error("Your proposed upload is smaller than the minimum allowed object size."), { name: "EntityTooSmall", $metadata: { httpStatusCode: 400 } });
            }
            this.uploads.delete(input.UploadId!);
            const tags = Object.fromEntries(new URLSearchParams(upload.input.Tagging ?? ""));
            const e = this.put(upload.bucket, upload.key, source.body, {
                size,
                ...(upload.input.ContentType ? { contentType: upload.input.ContentType } : {}),
                ...(upload.input.Metadata ? { metadata: upload.input.Metadata } : {}),
                ...(Object.keys(tags).length > 0 ? { tags } : {}),
            });
            return { VersionId: e.versionId };
        });
        mock.on(AbortMultipartUploadCommand).callsFake(async (input) => {
            this.record(label, "AbortMultipartUpload", input);
            this.uploads.delete(input.UploadId!);
            return {};
        });
        mock.on(GetObjectCommand).callsFake(async (input) => {
            this.record(label, "GetObject", input);
            this.tick();
            const current = this.current(input.Bucket, input.Key);
            if (!current || current.deleteMarker) {
                throw noSuchKey();
            }
            return { VersionId: current.versionId, Body: { transformToString: async () => current.body } as never };
        });
        mock.on(DeleteObjectCommand).callsFake(async (input) => {
            this.record(label, "DeleteObject", input);
            this.tick();
            if (input.VersionId === undefined) {
                const marker = this.put(input.Bucket, input.Key, "", { deleteMarker: true });
                return { DeleteMarker: true, VersionId: marker.versionId };
            }
            const s = this.stack(input.Bucket, input.Key);
            const i = s.findIndex((e) => e.versionId === input.VersionId);
            if (i >= 0) {
                s.splice(i, 1);
            }
            return { VersionId: input.VersionId };
        });
        mock.on(ListObjectVersionsCommand).callsFake(async (input) => {
            this.record(label, "ListObjectVersions", input);
            this.tick();
            const b = bucketOf(input.Bucket);
            const Versions: Record<string, unknown>[] = [];
            const DeleteMarkers: Record<string, unknown>[] = [];
            for (const [key, s] of b.objects) {
                if (!key.startsWith(input.Prefix ?? "")) {
                    continue;
                }
                s.forEach((e, i) => {
                    const item = { Key: key, VersionId: e.versionId, LastModified: e.lastModified, IsLatest: i === s.length - 1 };
                    (e.deleteMarker ? DeleteMarkers : Versions).push(e.deleteMarker ? item : { ...item, Size: e.size ?? e.body.length, StorageClass: e.storageClass ?? "STANDARD" });
                });
            }
            return { Versions, DeleteMarkers, IsTruncated: false };
        });
        mock.on(CopyObjectCommand).callsFake(async (input) => {
            this.record(label, "CopyObject", input);
            this.tick();
            const source = this.copySourceEntry(input.CopySource);
            if (!this.buckets.has(input.Bucket)) {
                throw Object.assign(new Error("The specified bucket does not exist"), { name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } });
            }
            const e = this.put(input.Bucket, input.Key, source.body, input.StorageClass && input.StorageClass !== "STANDARD" ? { storageClass: input.StorageClass } : {});
            return { VersionId: e.versionId };
        });
        mock.on(GetBucketReplicationCommand).callsFake(async (input) => {
            this.record(label, "GetBucketReplication", input);
            bucketOf(input.Bucket);
            const other = [EAST, WEST].find((b) => b !== input.Bucket)!;
            const status = this.options.markerReplication ? "Enabled" : "Disabled";
            // The stack writes the current schema (a Filter, DeleteMarkerReplication stated); `firstSchemaRules` the first one.
            const rule = this.options.firstSchemaRules
                ? { ID: "to-other", Status: "Enabled", Prefix: "", Destination: { Bucket: `arn:aws:s3:::${other}` } }
                : { ID: "to-other", Status: "Enabled", Filter: { Prefix: "" }, Destination: { Bucket: `arn:aws:s3:::${other}` }, DeleteMarkerReplication: { Status: status } };
            return { ReplicationConfiguration: { Role: `arn:aws:iam::${ACCOUNT}:role/acme-data-replication`, Rules: [rule] } };
        });
        mock.on(CreateBucketCommand).callsFake(async (input) => {
            this.record(label, "CreateBucket", input);
            if (this.buckets.has(input.Bucket)) {
                throw Object.assign(new Error("Your previous request to create the named bucket succeeded"), { name: "BucketAlreadyOwnedByYou", $metadata: { httpStatusCode: 409 } });
            }
            this.buckets.set(input.Bucket, { region, objects: new Map() });
            return {};
        });
        return mock;
    }

    private mockBackup(mock: AwsClientStub<BackupClient>) {
        if (this.options.noCredentials) {
            mock.onAnyCommand().rejects(noCredentials());
            return;
        }
        let started: StartRestoreJobCommandInput | undefined;
        mock.on(ListRecoveryPointsByResourceCommand).callsFake(async (input) => {
            this.record("backup", "ListRecoveryPointsByResource", input);
            return { RecoveryPoints: this.recoveryPoints.map((p) => ({ BackupVaultName: "acme-data-us-east-2", ...p })) };
        });
        mock.on(DescribeRecoveryPointCommand).callsFake(async (input) => {
            this.record("backup", "DescribeRecoveryPoint", input);
            return { RecoveryPointArn: input.RecoveryPointArn, ...(this.options.continuousRetentionDays ? { Lifecycle: { DeleteAfterDays: this.options.continuousRetentionDays } } : {}) };
        });
        mock.on(StartRestoreJobCommand).callsFake(async (input) => {
            this.record("backup", "StartRestoreJob", input);
            started = input;
            this.jobCalls = 0;
            return { RestoreJobId: "restore-job-0001" };
        });
        mock.on(DescribeRestoreJobCommand).callsFake(async (input) => {
            this.record("backup", "DescribeRestoreJob", input);
            this.tick();
            const states = this.options.jobStates ?? [{ Status: "RUNNING", PercentDone: "40%" }, { Status: "COMPLETED", PercentDone: "100%" }];
            const state = states[Math.min(this.jobCalls++, states.length - 1)];
            if (state.Status === "COMPLETED" && this.jobCalls - 1 === states.findIndex((s) => s.Status === "COMPLETED")) {
                this.applyRestore(started!);
            }
            return { RestoreJobId: input.RestoreJobId, ...state };
        });
    }

    /** What AWS Backup does in place: each item missing or delete-marked comes back as of RestoreTime; an existing one is skipped. */
    private applyRestore(input: StartRestoreJobCommandInput) {
        const meta = input.Metadata!;
        const at = meta.RestoreTime ? Date.parse(meta.RestoreTime) : this.clock.now();
        if (meta.NewBucket === "true" && !this.buckets.has(meta.DestinationBucketName)) {
            this.buckets.set(meta.DestinationBucketName, { region: "us-east-2", objects: new Map() });
        }
        for (const uri of JSON.parse(meta.ItemsToRestore ?? "[]") as string[]) {
            const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
            const asOf = [...this.stack(bucket, key)].reverse().find((e) => e.lastModified.getTime() <= at);
            const current = this.current(meta.DestinationBucketName, key);
            if (asOf && !asOf.deleteMarker && (!current || current.deleteMarker)) {
                this.put(meta.DestinationBucketName, key, asOf.body);
            }
        }
    }

    /** What `npm run restore`'s `main` takes here: the clients, the Pulumi CLI, and `answer` to its question. */
    commandDeps(answer: string) {
        return { ...this.deps(), exec: this.exec(), ask: async () => answer };
    }

    /** The dependencies the restore and drill commands take. */
    deps() {
        return {
            s3: (region: string) => this.s3Clients.get(region)!,
            backup: () => this.backupClient,
            s3control: (region: string) => this.controlClients.get(region)!,
            accessPointS3: () => this.accessPoint,
            clock: this.clock,
        };
    }

    /** `pulumi stack output --json` of the stack this world is. */
    stackOutputs(objectives: { rpoSeconds: number; rtoSeconds: number } | null = { rpoSeconds: 900, rtoSeconds: 600 }): string {
        const side = (bucket: string, region: string) => ({
            bucketName: bucket,
            region,
            ...(this.options.backup ? { backupRoleArn: BACKUP_ROLE.replace("us-east-2", region), backupVaultArn: `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:acme-data-${region}` } : {}),
        });
        return JSON.stringify({
            primary: side(EAST, "us-east-2"),
            secondary: side(WEST, "us-west-2"),
            ...(this.options.accessPoint ? { accessPoint: { name: "acme-data", arn: AP_ARN } } : {}),
            ...(objectives ? { objectives } : {}),
        });
    }

    /** A Pulumi CLI that answers `stack output` with {@link stackOutputs}. */
    exec(outputs = this.stackOutputs()) {
        return (command: string, args: string[]) => {
            this.record("pulumi", `${command} ${args.join(" ")}`, {});
            return { status: 0, stdout: outputs, stderr: "" };
        };
    }
}
