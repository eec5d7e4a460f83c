import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import * as iam from "./iam";
import { OutboundReplication, replicationRoutes, replicationRule, sameAccount } from "./replication";
import { SideResources } from "./side";
import { ResolvedPair } from "./validation";

/**
 * Registers, for every side, the role S3 assumes to replicate out of its bucket, that role's policy, and
 * the side's one `BucketReplicationConfig` with a rule per destination.
 *
 * Each configuration is ordered after the versioning of its source bucket, the versioning of every
 * destination bucket and its role's policy: S3 rejects a configuration whose destination is not yet
 * versioned, and replication fails while the role has no permissions (the race of the upstream
 * bi-directional example, which orders only after the source's own versioning).
 */
export function createReplication(
    parent: pulumi.Resource,
    pairName: string,
    pair: ResolvedPair,
    sides: readonly SideResources[],
): OutboundReplication[] {
    const bySide = new Map(sides.map((s) => [s.side, s]));
    const resourcesOf = (side: SideResources["side"]) => bySide.get(side)!;
    const allAccounts = pulumi.all(sides.map((s) => s.identity.accountId));

    return replicationRoutes(sides.map((s) => s.side)).map((route) => {
        const source = resourcesOf(route.source);
        const destinations = route.destinations.map(resourcesOf);
        const opts: pulumi.CustomResourceOptions = { parent, provider: route.source.provider };
        const n = `${pairName}-${route.source.key}`;

        const role = new aws.iam.Role(
            `${n}-replication-role`,
            {
                name: source.names.replicationRole,
                description: `S3 replicates ${source.names.bucket} to ${destinations.map((d) => d.names.bucket).join(", ")}`,
                assumeRolePolicy: allAccounts.apply((accounts) =>
                    JSON.stringify(iam.serviceTrustPolicy(iam.S3_SERVICE_PRINCIPAL, sameAccount(accounts))),
                ),
                tags: pair.tags,
            },
            opts,
        );
        const destinationRefs = pulumi.all(
            destinations.map((d) =>
                pulumi
                    .all([d.replicated.bucket.arn, d.kmsKey?.arn])
                    .apply(([bucketArn, kmsKeyArn]): iam.ReplicationDestinationRefs => ({
                        bucketArn,
                        region: d.side.region,
                        ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
                    })),
            ),
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${n}-replication-role-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([source.replicated.bucket.arn, source.kmsKey?.arn, destinationRefs, source.identity.dnsSuffix])
                    .apply(([sourceBucketArn, sourceKmsKeyArn, refs, dnsSuffix]) =>
                        JSON.stringify(
                            iam.replicationRolePolicy({
                                sourceBucketArn,
                                sourceRegion: route.source.region,
                                sourceKmsKeyArn,
                                destinations: refs,
                                dnsSuffix,
                            }),
                        ),
                    ),
            },
            opts,
        );
        const config = new aws.s3.BucketReplicationConfig(
            `${n}-replication`,
            {
                bucket: source.replicated.bucket.id,
                region: route.source.region,
                role: role.arn,
                rules: destinations.map((d, priority) =>
                    replicationRule(
                        pair,
                        route.source,
                        { side: d.side, bucketArn: d.replicated.bucket.arn, kmsKeyArn: d.kmsKey?.arn },
                        priority,
                    ),
                ),
            },
            {
                ...opts,
                dependsOn: [source.replicated.versioning, ...destinations.map((d) => d.replicated.versioning), rolePolicy],
            },
        );
        return { route, role, rolePolicy, config };
    });
}
