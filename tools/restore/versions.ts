/**
 * A point-in-time restore from S3 object versions, for buckets without AWS Backup and for what AWS Backup does
 * not do (it never overwrites an object that exists, so a corrupted object comes back only this way). Every
 * object under a prefix is put back to its latest version at or before a time: that version copied over the
 * current one, or the delete markers written after it removed. A pure plan ({@link planVersionRestore}) and
 * the calls that carry it out ({@link applyVersionRestore}); nothing is ever deleted but delete markers.
 */
import {
    AbortMultipartUploadCommand,
    CompleteMultipartUploadCommand,
    CopyObjectCommand,
    CreateMultipartUploadCommand,
    CreateMultipartUploadCommandInput,
    DeleteObjectCommand,
    GetBucketReplicationCommand,
    GetObjectTaggingCommand,
    HeadObjectCommand,
    ListObjectVersionsCommand,
    ListObjectVersionsCommandOutput,
    S3Client,
    StorageClass,
    UploadPartCopyCommand,
} from "@aws-sdk/client-s3";

/** One entry of a key's version stack (a version or a delete marker). */
export interface VersionEntry {
    readonly key: string;
    readonly versionId: string;
    readonly lastModified: Date;
    readonly isDeleteMarker: boolean;
    readonly isLatest: boolean;
    /** Bytes (versions only). */
    readonly size?: number;
    /** The version's storage class, when ListObjectVersions names one other than STANDARD. */
    readonly storageClass?: string;
}

/**
 * The largest object one CopyObject copies: 5 GB; a larger one is copied in parts (UploadPartCopy).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;

/**
 * S3's multipart limits: at most 10,000 parts, each 5 MiB to 5 GiB but the last. The largest object one multipart
 * copy can hold follows from them (10,000 parts of 5 GiB), whatever S3's object limit is at the time.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 */
export const MULTIPART = { maxParts: 10_000, minPartBytes: 5 * 1024 ** 2, maxPartBytes: 5 * 1024 ** 3, maxObjectBytes: 10_000 * 5 * 1024 ** 3 } as const;
/** The part size a multipart copy starts from (512 MiB: a 5 GB object in 11 parts), raised when 10,000 would not do. */
export const COPY_PART_BYTES = 512 * 1024 ** 2;

/**
 * The byte ranges (`bytes=first-last`, inclusive, as UploadPartCopy's `x-amz-copy-source-range` takes them)
 * of a multipart copy of `size` bytes: parts of {@link COPY_PART_BYTES}, or of the whole MiB that keeps them
 * within 10,000, the last one shorter.
 */
export function copyRanges(size: number, partBytes = COPY_PART_BYTES): string[] {
    if (!Number.isSafeInteger(size) || size <= 0 || size > MULTIPART.maxObjectBytes) {
        throw new RangeError(`an object to copy in parts has 1 byte to ${MULTIPART.maxObjectBytes} (10,000 parts of 5 GiB), not ${size}`);
    }
    const mib = 1024 ** 2;
    const part = Math.max(partBytes, Math.ceil(size / MULTIPART.maxParts / mib) * mib);
    const ranges: string[] = [];
    for (let first = 0; first < size; first += part) {
        ranges.push(`bytes=${first}-${Math.min(first + part, size) - 1}`);
    }
    return ranges;
}

/** What the restore does with one key. */
export type VersionAction =
    | { readonly kind: "unchanged"; readonly key: string; readonly detail: string }
    /** Copy `versionId` (the version current at the time) over the current object, or into the destination bucket. */
    | { readonly kind: "copy"; readonly key: string; readonly versionId: string; readonly lastModified: Date; readonly size?: number; readonly storageClass?: string }
    /** Remove the delete markers written after the time: `versionId` becomes current again, nothing is copied. */
    | { readonly kind: "removeDeleteMarkers"; readonly key: string; readonly versionId: string; readonly markers: readonly string[] }
    | { readonly kind: "skip"; readonly key: string; readonly reason: string };

const newestFirst = (a: VersionEntry, b: VersionEntry) => b.lastModified.getTime() - a.lastModified.getTime() || Number(b.isLatest) - Number(a.isLatest);

/**
 * What restoring every key of `entries` to its state at `at` takes. In place, a key already at that state
 * is unchanged and a key deleted since comes back by removing the markers (by a copy when `markersReplicate`:
 * the bucket replicates delete markers, and removing one is not replicated); into another bucket every key
 * that existed at `at` is copied. A key that did not exist at `at` but exists now is left as it is (a
 * restore never deletes data), and said so.
 */
export function planVersionRestore(entries: readonly VersionEntry[], at: Date, inPlace: boolean, options: { readonly markersReplicate?: boolean } = {}): VersionAction[] {
    const byKey = new Map<string, VersionEntry[]>();
    for (const e of entries) {
        byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
    }
    const actions: VersionAction[] = [];
    for (const key of [...byKey.keys()].sort()) {
        const stack = byKey.get(key)!.sort(newestFirst);
        const current = stack.find((e) => e.isLatest) ?? stack[0];
        const target = stack.find((e) => e.lastModified.getTime() <= at.getTime());
        if (target === undefined || target.isDeleteMarker) {
            const why = target === undefined ? `first written ${stack[stack.length - 1].lastModified.toISOString()}, after --at` : `deleted at ${target.lastModified.toISOString()}, before --at`;
            actions.push(
                current.isDeleteMarker
                    ? { kind: "unchanged", key, detail: `absent at --at and now (${why})` }
                    : { kind: "skip", key, reason: `absent at --at (${why}) but present now: left as it is, a restore never deletes` },
            );
            continue;
        }
        if (target.size !== undefined && target.size > MULTIPART.maxObjectBytes) {
            actions.push({ kind: "skip", key, reason: `version ${target.versionId} is ${target.size} bytes, more than 10,000 parts of 5 GiB: no copy reaches it` });
            continue;
        }
        if (inPlace) {
            if (current.versionId === target.versionId) {
                actions.push({ kind: "unchanged", key, detail: `version ${target.versionId} is current` });
                continue;
            }
            // Everything above the target in the stack was written after --at.
            const newer = stack.slice(0, stack.indexOf(target));
            // Unless the bucket replicates delete markers: S3 never replicates the deletion of a version, so the
            // other side would keep its marker; a copy is a new write, which replicates.
            if (newer.length > 0 && newer.every((e) => e.isDeleteMarker) && options.markersReplicate !== true) {
                actions.push({ kind: "removeDeleteMarkers", key, versionId: target.versionId, markers: newer.map((e) => e.versionId) });
                continue;
            }
        }
        actions.push({
            kind: "copy",
            key,
            versionId: target.versionId,
            lastModified: target.lastModified,
            ...(target.size !== undefined ? { size: target.size } : {}),
            ...(target.storageClass !== undefined ? { storageClass: target.storageClass } : {}),
        });
    }
    return actions;
}

/**
 * Whether `bucket` replicates delete markers (an enabled rule with DeleteMarkerReplication Enabled): then a
 * marker removed to restore an object stays in the other buckets, since S3 does not replicate a deletion by
 * version ID. Undefined when the configuration cannot be read (the caller copies then, which is right
 * either way). @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html
 */
export async function replicatesDeleteMarkers(s3: S3Client, bucket: string): Promise<boolean | undefined> {
    try {
        const out = await s3.send(new GetBucketReplicationCommand({ Bucket: bucket }));
        // A rule of the first schema (a Prefix, no Filter) replicates delete markers without saying so.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html
        return (out.ReplicationConfiguration?.Rules ?? []).some((r) => r.Status === "Enabled" && (r.DeleteMarkerReplication?.Status === "Enabled" || r.Filter === undefined));
    } catch (e) {
        return (e as Error).name === "ReplicationConfigurationNotFoundError" ? false : undefined;
    }
}

/** Every version and delete marker under `prefix` (all pages of ListObjectVersions). */
export async function listVersions(s3: S3Client, bucket: string, prefix: string): Promise<VersionEntry[]> {
    const entries: VersionEntry[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
        const page: ListObjectVersionsCommandOutput = await s3.send(
            new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker, VersionIdMarker: versionIdMarker } : {}) }),
        );
        for (const v of page.Versions ?? []) {
            entries.push({
                key: v.Key!,
                versionId: v.VersionId!,
                lastModified: v.LastModified!,
                isDeleteMarker: false,
                isLatest: v.IsLatest === true,
                size: v.Size,
                ...(v.StorageClass && v.StorageClass !== "STANDARD" ? { storageClass: v.StorageClass } : {}),
            });
        }
        for (const m of page.DeleteMarkers ?? []) {
            entries.push({ key: m.Key!, versionId: m.VersionId!, lastModified: m.LastModified!, isDeleteMarker: true, isLatest: m.IsLatest === true });
        }
        if (!page.IsTruncated) {
            return entries;
        }
        keyMarker = page.NextKeyMarker;
        versionIdMarker = page.NextVersionIdMarker;
    }
}

/**
 * `bucket/key?versionId=...` for CopySource, the key URL-encoded segment by segment (AWS: the value must be
 * URL-encoded). @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
export function copySource(bucket: string, key: string, versionId: string): string {
    return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}?versionId=${encodeURIComponent(versionId)}`;
}

/** What a restore did: each key restored (and how), each that could not be (and why). */
export interface RestoreOutcome {
    readonly restored: readonly { readonly key: string; readonly how: string }[];
    readonly failed: readonly { readonly key: string; readonly reason: string }[];
}

/** The calls of one action, as `--dry-run` lists them. */
export function describeAction(a: VersionAction, bucket: string, destination: string): string {
    switch (a.kind) {
        case "copy":
            return (
                `copy ${a.key} version ${a.versionId} (${a.lastModified.toISOString()}) to s3://${destination}/${a.key}` +
                (inParts(a) ? ` in ${copyRanges(a.size!).length} parts (${a.size} bytes, above CopyObject's 5 GB)` : "")
            );
        case "removeDeleteMarkers":
            return `remove ${a.markers.length} delete marker${a.markers.length === 1 ? "" : "s"} of s3://${bucket}/${a.key} (${a.markers.join(", ")}): version ${a.versionId} becomes current`;
        case "unchanged":
            return `leave ${a.key}: ${a.detail}`;
        case "skip":
            return `cannot restore ${a.key}: ${a.reason}`;
    }
}

/** Whether a copy goes in parts: a version above CopyObject's 5 GB. */
const inParts = (a: { readonly size?: number }) => a.size !== undefined && a.size > COPY_OBJECT_MAX_BYTES;

/**
 * A copy of one version above 5 GB: CreateMultipartUpload with the version's metadata and tags (a CopyObject
 * copies them, a multipart copy does not), one UploadPartCopy per range, CompleteMultipartUpload with the
 * parts' ETags; on any error the upload is aborted, so no orphaned parts are left to be billed.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/CopyingObjectsMPUapi.html
 */
export async function copyInParts(
    s3: S3Client,
    destinationS3: S3Client,
    source: { readonly bucket: string; readonly key: string; readonly versionId: string; readonly size: number },
    destination: string,
    progress: (line: string) => void = () => undefined,
): Promise<void> {
    const ranges = copyRanges(source.size);
    const head = await s3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: source.versionId }));
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: source.bucket, Key: source.key, VersionId: source.versionId }));
    const tagging = (tags.TagSet ?? []).map((t) => `${encodeURIComponent(t.Key!)}=${encodeURIComponent(t.Value ?? "")}`).join("&");
    const create: CreateMultipartUploadCommandInput = {
        Bucket: destination,
        Key: source.key,
        ...(head.ContentType ? { ContentType: head.ContentType } : {}),
        ...(head.CacheControl ? { CacheControl: head.CacheControl } : {}),
        ...(head.ContentDisposition ? { ContentDisposition: head.ContentDisposition } : {}),
        ...(head.ContentEncoding ? { ContentEncoding: head.ContentEncoding } : {}),
        ...(head.ContentLanguage ? { ContentLanguage: head.ContentLanguage } : {}),
        ...(head.WebsiteRedirectLocation ? { WebsiteRedirectLocation: head.WebsiteRedirectLocation } : {}),
        ...(head.Metadata && Object.keys(head.Metadata).length > 0 ? { Metadata: head.Metadata } : {}),
        ...(head.StorageClass ? { StorageClass: head.StorageClass } : {}),
        ...(tagging ? { Tagging: tagging } : {}),
    };
    const { UploadId } = await destinationS3.send(new CreateMultipartUploadCommand(create));
    try {
        const parts: { ETag: string; PartNumber: number }[] = [];
        for (const [i, range] of ranges.entries()) {
            const part = await destinationS3.send(
                new UploadPartCopyCommand({
                    Bucket: destination,
                    Key: source.key,
                    UploadId,
                    PartNumber: i + 1,
                    CopySource: copySource(source.bucket, source.key, source.versionId),
                    CopySourceRange: range,
                }),
            );
            parts.push({ ETag: part.CopyPartResult!.ETag!, PartNumber: i + 1 });
            progress(`  ${source.key}: part ${i + 1} of ${ranges.length} copied`);
        }
        await destinationS3.send(new CompleteMultipartUploadCommand({ Bucket: destination, Key: source.key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (e) {
        await destinationS3.send(new AbortMultipartUploadCommand({ Bucket: destination, Key: source.key, UploadId })).catch(() => undefined);
        throw e;
    }
}

/** Carries out `actions` (copy into `destination`, remove markers in `bucket`); an error on one key does not stop the others. */
export async function applyVersionRestore(
    s3: S3Client,
    bucket: string,
    destination: string,
    actions: readonly VersionAction[],
    progress: (line: string) => void = () => undefined,
    destinationS3: S3Client = s3,
): Promise<RestoreOutcome> {
    const restored: { key: string; how: string }[] = [];
    const failed: { key: string; reason: string }[] = [];
    for (const a of actions) {
        try {
            if (a.kind === "copy" && inParts(a)) {
                await copyInParts(s3, destinationS3, { bucket, key: a.key, versionId: a.versionId, size: a.size! }, destination, progress);
                restored.push({ key: a.key, how: `version ${a.versionId} copied to s3://${destination} in ${copyRanges(a.size!).length} parts` });
            } else if (a.kind === "copy") {
                // A copy is written in STANDARD unless told otherwise: the version's own class is kept.
                await destinationS3.send(
                    new CopyObjectCommand({
                        Bucket: destination,
                        Key: a.key,
                        CopySource: copySource(bucket, a.key, a.versionId),
                        ...(a.storageClass ? { StorageClass: a.storageClass as StorageClass } : {}),
                    }),
                );
                restored.push({ key: a.key, how: `version ${a.versionId} copied to s3://${destination}` });
            } else if (a.kind === "removeDeleteMarkers") {
                for (const marker of a.markers) {
                    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: a.key, VersionId: marker }));
                }
                restored.push({ key: a.key, how: `delete marker${a.markers.length === 1 ? "" : "s"} removed, version ${a.versionId} current` });
            } else if (a.kind === "skip") {
                failed.push({ key: a.key, reason: a.reason });
                continue;
            } else {
                continue;
            }
            progress(`  restored ${a.key}`);
        } catch (e) {
            // A version in S3 Glacier Flexible Retrieval or Deep Archive (or an archive tier of Intelligent-Tiering)
            // is copied only once restored: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
            const archived = (e as Error).name === "InvalidObjectState" && a.kind === "copy";
            failed.push({
                key: a.key,
                reason: `${(e as Error).name}: ${(e as Error).message}${archived ? `: version ${a.versionId} is archived; restore it first (RestoreObject with its versionId), then run this again` : ""}`,
            });
        }
    }
    return { restored, failed };
}
