/**
 * A point-in-time restore from S3 object versions, for buckets without AWS Backup and for what AWS Backup does
 * not do (it never overwrites an object that exists, so a corrupted object comes back only this way). Every
 * object under a prefix is put back to its latest version at or before a time: that version copied over the
 * current one, or the delete markers written after it removed. A pure plan ({@link planVersionRestore}) and
 * the calls that carry it out ({@link applyVersionRestore}); nothing is ever deleted but delete markers.
 */
import { CopyObjectCommand, DeleteObjectCommand, ListObjectVersionsCommand, ListObjectVersionsCommandOutput, S3Client } from "@aws-sdk/client-s3";

/** One entry of a key's version stack (a version or a delete marker). */
export interface VersionEntry {
    readonly key: string;
    readonly versionId: string;
    readonly lastModified: Date;
    readonly isDeleteMarker: boolean;
    readonly isLatest: boolean;
    /** Bytes (versions only). */
    readonly size?: number;
}

/**
 * The largest object one CopyObject copies: 5 GB; a larger one needs a multipart copy (UploadPartCopy).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;

/** What the restore does with one key. */
export type VersionAction =
    | { readonly kind: "unchanged"; readonly key: string; readonly detail: string }
    /** Copy `versionId` (the version current at the time) over the current object, or into the destination bucket. */
    | { readonly kind: "copy"; readonly key: string; readonly versionId: string; readonly lastModified: Date; readonly size?: number }
    /** Remove the delete markers written after the time: `versionId` becomes current again, nothing is copied. */
    | { readonly kind: "removeDeleteMarkers"; readonly key: string; readonly versionId: string; readonly markers: readonly string[] }
    | { readonly kind: "skip"; readonly key: string; readonly reason: string };

const newestFirst = (a: VersionEntry, b: VersionEntry) => b.lastModified.getTime() - a.lastModified.getTime() || Number(b.isLatest) - Number(a.isLatest);

/**
 * What restoring every key of `entries` to its state at `at` takes. In place, a key already at that state
 * is unchanged and a key deleted since comes back by removing the markers; into another bucket every key
 * that existed at `at` is copied. A key that did not exist at `at` but exists now is left as it is (a
 * restore never deletes data), and said so.
 */
export function planVersionRestore(entries: readonly VersionEntry[], at: Date, inPlace: boolean): VersionAction[] {
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
        if (target.size !== undefined && target.size > COPY_OBJECT_MAX_BYTES) {
            actions.push({ kind: "skip", key, reason: `version ${target.versionId} is ${target.size} bytes, above CopyObject's 5 GB: copy it with a multipart copy (UploadPartCopy)` });
            continue;
        }
        if (inPlace) {
            if (current.versionId === target.versionId) {
                actions.push({ kind: "unchanged", key, detail: `version ${target.versionId} is current` });
                continue;
            }
            // Everything above the target in the stack was written after --at.
            const newer = stack.slice(0, stack.indexOf(target));
            if (newer.length > 0 && newer.every((e) => e.isDeleteMarker)) {
                actions.push({ kind: "removeDeleteMarkers", key, versionId: target.versionId, markers: newer.map((e) => e.versionId) });
                continue;
            }
        }
        actions.push({ kind: "copy", key, versionId: target.versionId, lastModified: target.lastModified, ...(target.size !== undefined ? { size: target.size } : {}) });
    }
    return actions;
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
            entries.push({ key: v.Key!, versionId: v.VersionId!, lastModified: v.LastModified!, isDeleteMarker: false, isLatest: v.IsLatest === true, size: v.Size });
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
            return `copy ${a.key} version ${a.versionId} (${a.lastModified.toISOString()}) to s3://${destination}/${a.key}`;
        case "removeDeleteMarkers":
            return `remove ${a.markers.length} delete marker${a.markers.length === 1 ? "" : "s"} of s3://${bucket}/${a.key} (${a.markers.join(", ")}): version ${a.versionId} becomes current`;
        case "unchanged":
            return `leave ${a.key}: ${a.detail}`;
        case "skip":
            return `cannot restore ${a.key}: ${a.reason}`;
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
            if (a.kind === "copy") {
                await destinationS3.send(new CopyObjectCommand({ Bucket: destination, Key: a.key, CopySource: copySource(bucket, a.key, a.versionId) }));
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
            failed.push({ key: a.key, reason: `${(e as Error).name}: ${(e as Error).message}` });
        }
    }
    return { restored, failed };
}
