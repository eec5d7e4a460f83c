import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { HardenedBucket, hardenedBucket } from "./bucket";
import * as iam from "./iam";
import { SideNames, sideNames } from "./naming";
import { PUT_OBJECT_EVENTS_QUERY } from "./queries";
import { ResolvedPair, ResolvedSide } from "./validation";

/** Account facts a side's policies need, looked up through the side's own provider. */
export interface SideIdentity {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    readonly dnsSuffix: pulumi.Output<string>;
}

/** Everything one region of the pair holds, before replication is wired between regions. */
export interface SideResources {
    readonly side: ResolvedSide;
    readonly names: SideNames;
    readonly identity: SideIdentity;
    readonly kmsKey?: aws.kms.Key;
    readonly kmsAlias?: aws.kms.Alias;
    readonly replicated: HardenedBucket;
    readonly logging: HardenedBucket;
    readonly loggingLifecycle: aws.s3.BucketLifecycleConfiguration;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly trailLogsRole: aws.iam.Role;
    readonly trailLogsRolePolicy: aws.iam.RolePolicy;
    readonly trail: aws.cloudtrail.Trail;
    readonly query: aws.cloudwatch.QueryDefinition;
}

/**
 * Registers one region of the pair, every child with the side's provider and (for regional resources) the
 * side's region set explicitly. Child names start with `<pairName>-<side key>-`.
 */
export function createSide(
    parent: pulumi.Resource,
    pairName: string,
    pair: ResolvedPair,
    side: ResolvedSide,
): SideResources {
    const opts: pulumi.CustomResourceOptions = { parent, provider: side.provider };
    const n = `${pairName}-${side.key}`;
    const region = side.region;
    const names = sideNames(pair.namingPrefix, region);
    const tags = pair.tags;

    const caller = aws.getCallerIdentityOutput({}, { parent, provider: side.provider });
    const partitionInfo = aws.getPartitionOutput({}, { parent, provider: side.provider });
    const identity: SideIdentity = {
        accountId: caller.accountId,
        partition: partitionInfo.partition,
        dnsSuffix: partitionInfo.dnsSuffix,
    };

    let kmsKey: aws.kms.Key | undefined;
    let kmsAlias: aws.kms.Alias | undefined;
    if (pair.encryption === "aws:kms") {
        kmsKey = new aws.kms.Key(
            `${n}-kms-key`,
            {
                region,
                description: `Default encryption of ${names.bucket} and of the replicas written into it`,
                enableKeyRotation: true,
                deletionWindowInDays: pair.kmsKeyDeletionWindowInDays,
                tags,
            },
            opts,
        );
        kmsAlias = new aws.kms.Alias(`${n}-kms-alias`, { region, name: names.kmsAlias, targetKeyId: kmsKey.keyId }, opts);
    }

    const replicated = hardenedBucket(
        `${n}-bucket`,
        {
            bucketName: names.bucket,
            region,
            encryption: kmsKey ? { algorithm: "aws:kms", keyArn: kmsKey.arn } : { algorithm: "AES256" },
            forceDestroy: pair.forceDestroy,
            tags,
            policy: (arn) => arn.apply((a) => JSON.stringify(iam.replicatedBucketPolicy(a))),
        },
        opts,
    );

    // The trail's ARN is known before the trail exists; the logging bucket's policy must name it, because
    // CloudTrail checks that policy when the trail is created.
    const expectedTrailArn = pulumi
        .all([identity.partition, identity.accountId])
        .apply(([partition, account]) => iam.trailArn(partition, region, account, names.trail));

    // CloudTrail log files stay SSE-S3: an SSE-KMS logging bucket would need a key policy for CloudTrail.
    const logging = hardenedBucket(
        `${n}-logging-bucket`,
        {
            bucketName: names.loggingBucket,
            region,
            encryption: { algorithm: "AES256" },
            forceDestroy: pair.forceDestroy,
            tags,
            policy: (arn) =>
                pulumi
                    .all([arn, identity.accountId, expectedTrailArn])
                    .apply(([bucketArn, accountId, trailArn]) =>
                        JSON.stringify(iam.loggingBucketPolicy({ bucketArn, accountId, trailArn })),
                    ),
        },
        opts,
    );
    // Ordered after versioning: the noncurrent-version rule acts on a versioned bucket.
    const loggingLifecycle = new aws.s3.BucketLifecycleConfiguration(
        `${n}-logging-bucket-lifecycle`,
        {
            bucket: logging.bucket.id,
            region,
            rules: [
                {
                    id: "expire-cloudtrail-log-files",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: side.logFileExpirationDays },
                    noncurrentVersionExpiration: { noncurrentDays: pair.logNoncurrentVersionExpirationDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { ...opts, dependsOn: [logging.versioning] },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
        `${n}-log-group`,
        { region, name: names.logGroup, retentionInDays: side.logRetentionDays, tags },
        opts,
    );
    const trailLogsRole = new aws.iam.Role(
        `${n}-trail-logs-role`,
        {
            name: names.trailLogsRole,
            description: `CloudTrail trail ${names.trail} (${region}) delivers to ${names.logGroup}`,
            assumeRolePolicy: JSON.stringify(iam.serviceTrustPolicy(iam.CLOUDTRAIL_SERVICE_PRINCIPAL)),
            tags,
        },
        opts,
    );
    const trailLogsRolePolicy = new aws.iam.RolePolicy(
        `${n}-trail-logs-role-policy`,
        {
            role: trailLogsRole.id,
            policy: pulumi
                .all([logGroup.arn, identity.accountId])
                .apply(([groupArn, account]) => JSON.stringify(iam.trailLogsRolePolicy(groupArn, account, region))),
        },
        opts,
    );
    // CreateTrail checks the bucket policy and that the role can write to the group: order after both.
    const trail = new aws.cloudtrail.Trail(
        `${n}-trail`,
        {
            region,
            name: names.trail,
            s3BucketName: logging.bucket.id,
            // CloudTrail wants the log group ARN with the `:*` suffix.
            cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
            cloudWatchLogsRoleArn: trailLogsRole.arn,
            enableLogFileValidation: true,
            enableLogging: true,
            isMultiRegionTrail: false,
            includeGlobalServiceEvents: false,
            eventSelectors: [
                {
                    readWriteType: "WriteOnly",
                    includeManagementEvents: false,
                    // `<bucket-arn>/` (with the slash) selects every object of that one bucket.
                    dataResources: [{ type: "AWS::S3::Object", values: [pulumi.interpolate`${replicated.bucket.arn}/`] }],
                },
            ],
            tags,
        },
        { ...opts, dependsOn: [logging.policy, trailLogsRolePolicy] },
    );
    const query = new aws.cloudwatch.QueryDefinition(
        `${n}-put-object-query`,
        { region, name: names.query, logGroupNames: [logGroup.name], queryString: PUT_OBJECT_EVENTS_QUERY },
        opts,
    );

    return {
        side,
        names,
        identity,
        kmsKey,
        kmsAlias,
        replicated,
        logging,
        loggingLifecycle,
        logGroup,
        trailLogsRole,
        trailLogsRolePolicy,
        trail,
        query,
    };
}
