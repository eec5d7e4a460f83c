/**
 * `npm run plan -- --since FILE`: what the plan would do to the data of a stack planned before (the `--json`
 * of an earlier plan, such as the one of the deployed commit). A bucket or a KMS key of the earlier plan is
 * the same resource in this one when its URN is, or one of its aliases names it (what the engine follows);
 * then a new physical name still replaces it. One that nothing takes over is deleted: refused for a bucket
 * unless the earlier plan said how its data goes (retainOnDelete: kept in AWS out of the stack; forceDestroy:
 * emptied on purpose), since S3 stops a deploy at a non-empty bucket halfway and a forced one loses the data.
 */
import { PlannedResource } from "./model";

const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const KEYS = ["aws:kms/key:Key"];
/**
 * The Multi-Region Access Point's routes: a new `region` replaces the resource, and creating it submits the
 * initial routes again, which silently undoes a failover (option `accessPoint.routesRegion`).
 */
const ROUTES = "aws:s3control/multiRegionAccessPointRoutes:MultiRegionAccessPointRoutes";
/** Inputs of a key that AWS cannot change in place (a change replaces the key). */
const KEY_REPLACING_INPUTS = ["customerMasterKeySpec", "keyUsage", "multiRegion"];

/** What the plan does to one bucket or key of the earlier plan (or to the access point's routes). */
export interface DataChange {
    readonly urn: string;
    readonly kind: "replaced" | "deleted" | "retained" | "emptied" | "scheduled" | "rerouted";
    /** A sentence: which resource, and why. */
    readonly message: string;
}

const label = (r: PlannedResource) => `${BUCKETS.includes(r.type) ? "bucket" : "KMS key"} ${r.name}${BUCKETS.includes(r.type) ? ` (${r.inputs.bucket})` : ""}`;

/** The changes to the earlier plan's buckets and keys, in its order; none when each stays as it was. */
export function dataChanges(previous: readonly PlannedResource[], current: readonly PlannedResource[]): DataChange[] {
    const changes: DataChange[] = [];
    for (const old of previous.filter((r) => BUCKETS.includes(r.type) || KEYS.includes(r.type))) {
        const heir = current.find((r) => r.urn === old.urn || (r.aliases ?? []).includes(old.urn));
        if (heir === undefined) {
            if (old.retainOnDelete) {
                changes.push({ urn: old.urn, kind: "retained", message: `${label(old)} leaves the stack and stays in AWS (retainOnDelete)` });
            } else if (BUCKETS.includes(old.type) && old.inputs.forceDestroy === true) {
                changes.push({ urn: old.urn, kind: "emptied", message: `${label(old)} would be deleted with every object in it (forceDestroy: emptied on purpose)` });
            } else {
                // A key is scheduled for deletion (recoverable for its waiting period): told, not refused; its
                // bucket, if it holds data, is what the refusal is about.
                changes.push(
                    BUCKETS.includes(old.type)
                        ? { urn: old.urn, kind: "deleted", message: `${label(old)} would be deleted, and nothing says how its data goes` }
                        : { urn: old.urn, kind: "scheduled", message: `${label(old)} would be scheduled for deletion (its waiting period), and with it every object encrypted under it` },
                );
            }
            continue;
        }
        const changed = BUCKETS.includes(old.type)
            ? old.inputs.bucket !== heir.inputs.bucket
                ? [`its name ${old.inputs.bucket} becomes ${heir.inputs.bucket}`]
                : []
            : KEY_REPLACING_INPUTS.filter((k) => JSON.stringify(old.inputs[k]) !== JSON.stringify(heir.inputs[k])).map((k) => `its ${k} changes`);
        if (changed.length > 0) {
            changes.push({ urn: old.urn, kind: "replaced", message: `${label(old)} would be replaced: ${changed.join(", ")}` });
        }
    }
    for (const old of previous.filter((r) => r.type === ROUTES)) {
        const heir = current.find((r) => r.urn === old.urn || (r.aliases ?? []).includes(old.urn));
        if (heir !== undefined && heir.inputs.region !== old.inputs.region) {
            changes.push({
                urn: old.urn,
                kind: "rerouted",
                message:
                    `the access point's routes ${old.name} would be re-created in ${String(heir.inputs.region)} (was ${String(old.inputs.region)}), ` +
                    "submitting the initial routes again and undoing any failover: keep accessPoint.routesRegion as deployed",
            });
        }
    }
    return changes;
}

/**
 * The error of a plan that deletes data nobody said how to keep, or moves the access point's routes to another
 * region, or undefined. Named `data removal refused` (or `routes change refused`),
 * with what to do: a mesh side leaving is first deployed with its `regions` entry `<region>=retain` or
 * `<region>=empty` (the component's `onRemoval`), and removed in the next deploy.
 */
export function removalRefusal(changes: readonly DataChange[]): string | undefined {
    const deleted = changes.filter((c) => c.kind === "deleted");
    const rerouted = changes.filter((c) => c.kind === "rerouted");
    const refusals = [
        ...(deleted.length > 0 ? [deletedRefusal(deleted)] : []),
        ...(rerouted.length > 0 ? [`routes change refused: ${rerouted.map((c) => c.message).join("; ")}`] : []),
    ];
    return refusals.length > 0 ? refusals.join("\n") : undefined;
}

function deletedRefusal(deleted: readonly DataChange[]): string {
    return (
        `data removal refused: ${deleted.map((c) => c.message).join("; ")}. Say how the data goes first: deploy the side with its ` +
        "regions entry <region>=retain (its buckets and key stay in AWS, out of the stack) or <region>=empty (deleted with their objects), " +
        "or onRemoval on a CrrMesh side; remove it in the next deploy (docs/operations.md, Removing a region)"
    );
}
