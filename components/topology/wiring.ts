import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import * as iam from "../documents/iam";
import { SideContext } from "../side/context";
import { SideResources } from "../side/side";
import { ReplicationRoute, replicationRule, ruleId } from "./replication";

/** The resources that replicate out of one side's bucket. */
export interface OutboundReplication {
    readonly route: ReplicationRoute<SideResources>;
    readonly role: aws.iam.Role;
    readonly rolePolicy: aws.iam.RolePolicy;
    readonly config: aws.s3.BucketReplicationConfig;
}

/**
 * Registers the role S3 assumes to replicate out of `source`'s bucket, in the source's account (trusted by
 * S3 on behalf of that account only). Created before the sides' buckets and keys: a destination in another
 * account names it in its bucket and key policies, which AWS checks against existing principals.
 */
export function createReplicationRole(source: SideContext, destinations: readonly SideContext[]): aws.iam.Role {
    return new aws.iam.Role(
        source.childName("replication-role"),
        {
            name: source.names.replicationRole,
            description: pulumi
                .all([source.names.bucket, ...destinations.map((d) => d.names.bucket)])
                .apply(([from, ...to]) => `S3 replicates ${from} to ${to.join(", ")}`),
            assumeRolePolicy: source.identity.accountId.apply((account) =>
                JSON.stringify(iam.serviceTrustPolicy(iam.S3_SERVICE_PRINCIPAL, account)),
            ),
            tags: source.tags,
            ...source.roleBoundary,
        },
        source.opts,
    );
}

/**
 * Registers, for one route, the replication role's policy and the source's one `BucketReplicationConfig`
 * with a rule per destination (distinct priorities).
 *
 * Each configuration is ordered after the versioning of its source bucket, the versioning of every
 * destination bucket, its role's policy, and every destination's bucket policy (which, across accounts,
 * is what lets the role write there): S3 rejects a configuration whose destination is not yet versioned,
 * and replication fails while the role has no permissions (the race of the upstream bi-directional
 * example, which orders only after the source's own versioning).
 */
export function createReplication(route: ReplicationRoute<SideResources>, role: aws.iam.Role): OutboundReplication {
    const source = route.source;
    const ctx = source.context;
    const destinations = route.destinations;
    const destinationRefs = pulumi.all(
        destinations.map((d) =>
            pulumi
                .all([d.replicated.bucket.arn, d.kmsKey?.arn, d.context.region])
                .apply(([bucketArn, kmsKeyArn, region]): iam.ReplicationDestinationRefs => ({
                    bucketArn,
                    region,
                    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
                })),
        ),
    );
    const rolePolicy = new aws.iam.RolePolicy(
        ctx.childName("replication-role-policy"),
        {
            role: role.id,
            policy: pulumi
                .all([source.replicated.bucket.arn, source.kmsKey?.arn, destinationRefs, ctx.identity.dnsSuffix, ctx.region])
                .apply(([sourceBucketArn, sourceKmsKeyArn, refs, dnsSuffix, sourceRegion]) =>
                    JSON.stringify(iam.replicationRolePolicy({ sourceBucketArn, sourceRegion, sourceKmsKeyArn, destinations: refs, dnsSuffix })),
                ),
        },
        ctx.opts,
    );
    // Each rule is built with the values it can have during a preview (ids, filter, statuses are plain or
    // come from invokes), and Outputs only where a value comes from a resource (ARNs): a policy gate then
    // reads the rules' shape at preview. The destination account is set only across accounts.
    const rules = destinations.map((d, priority) => {
        const plain = replicationRule(
            ctx.topology,
            "source",
            {
                region: "destination",
                bucketArn: "bucket",
                storageClass: d.side.replicaStorageClass,
                ...(d.kmsKey ? { kmsKeyArn: "key" } : {}),
            },
            priority,
        );
        const account = pulumi
            .all([d.context.identity.accountId, ctx.identity.accountId])
            .apply(([destinationAccount, sourceAccount]) => (destinationAccount === sourceAccount ? undefined : destinationAccount));
        return {
            ...plain,
            id: pulumi.all([ctx.region, d.context.region]).apply(([from, to]) => ruleId(from, to)),
            destination: {
                ...plain.destination,
                bucket: d.replicated.bucket.arn,
                account,
                ...(d.kmsKey ? { encryptionConfiguration: { replicaKmsKeyId: d.kmsKey.arn } } : {}),
            },
        };
    });
    const config = new aws.s3.BucketReplicationConfig(
        ctx.childName("replication"),
        {
            bucket: source.replicated.bucket.id,
            region: ctx.region,
            role: role.arn,
            rules,
        },
        {
            ...ctx.opts,
            dependsOn: [
                source.replicated.versioning,
                ...destinations.map((d) => d.replicated.versioning),
                rolePolicy,
                ...destinations.map((d) => d.replicated.policy),
            ],
        },
    );
    return { route, role, rolePolicy, config };
}
