import * as aws from "./aws";
import type { AccessPointRouting, BackupSchedule, EncryptionMode, MrapRouteRegion, ReplicaStorageClass, VaultLockMode } from "./values";

export type { AccessPointRouting, BackupSchedule, EncryptionMode, MrapRouteRegion, ReplicaStorageClass, VaultLockMode } from "./values";

/** Destinations a user adds to a replicated bucket's notification configuration (merged into the one resource). */
export interface ExtraNotifications {
    /** SNS topics to notify, each with its events. @default none */
    readonly topics?: aws.types.input.s3.BucketNotificationTopic[];
    /** SQS queues to notify, each with its events. @default none */
    readonly queues?: aws.types.input.s3.BucketNotificationQueue[];
    /** Lambda functions to invoke, each with its events. @default none */
    readonly lambdaFunctions?: aws.types.input.s3.BucketNotificationLambdaFunction[];
}

/** One region of the pair: where its bucket, trail, logs and replication role live. */
export interface CrrSideArgs {
    /**
     * The AWS provider for this side: credentials, account and default tags. Every child of the side
     * is created with this provider set explicitly.
     */
    readonly provider: aws.Provider;
    /**
     * The side's region, e.g. `us-east-2`: one of the regions the pinned `@pulumi/aws` knows. Bucket names
     * are derived from it, and every regional child is pinned to it with the per-resource `region` argument
     * of the AWS provider v7, so a provider configured for another region cannot put a bucket in the wrong
     * place.
     *
     * Given or not: the trade-off. Given, every check (name lengths, distinct regions, known region) runs
     * before anything is registered and names are plain strings. Omitted, the region is read from the
     * provider (`aws.getRegion` through it), names become Outputs, and the same checks run as soon as the
     * region is known: a failing check fails the deployment with the same message, and no resource of the
     * side is registered (each takes an input from the checked region), but the component itself and the
     * other sides' resources may already be registered by then.
     * @default the provider's region
     */
    readonly region?: string;
    /**
     * Storage class of the replicas written into this side's bucket.
     * @default the pair's `replicaStorageClass`
     */
    readonly replicaStorageClass?: ReplicaStorageClass;
    /**
     * Retention of this side's CloudTrail log group, in days (one of the values CloudWatch Logs accepts).
     * @default the pair's `logRetentionDays`
     */
    readonly logRetentionDays?: number;
    /**
     * Age in days after which log files in this side's logging bucket expire.
     * @default the pair's `logFileExpirationDays`
     */
    readonly logFileExpirationDays?: number;
    /**
     * Your own destinations for this side's replicated bucket events (SNS topics, SQS queues, Lambda
     * functions), merged into the bucket's one notification configuration, which this component owns
     * (a second `BucketNotification` on the bucket would replace it and silence the replication events).
     * @default none
     */
    readonly notifications?: ExtraNotifications;
    /**
     * The name of a bucket that already exists in this side's region and account: the side uses it instead of
     * creating `<prefix>-crrlab-<region>`. The component refers to the bucket (`aws.s3.Bucket.get`), it does not
     * import it, so no deploy or `pulumi destroy` ever deletes the bucket or its objects. It takes over the
     * bucket's versioning, default encryption, public access block, ownership controls, policy, lifecycle
     * configuration, notification configuration, replication configuration and (option `accessLogging`)
     * access logging: each replaces what the bucket had of its kind. Destroy leaves versioning Enabled, the
     * public access block and `BucketOwnerEnforced` in place, and deletes the policy, the lifecycle, the
     * notification and replication configurations and the default encryption (S3 then encrypts with SSE-S3).
     * Carry what the bucket has in `bucketPolicyStatements`, `lifecycleRules` and `notifications`. `forceDestroy`
     * never reaches it (only the logging bucket), and a mesh side's `onRemoval: "empty"` is refused with it.
     * @default none: the side creates its bucket
     * @see https://www.pulumi.com/docs/iac/concepts/resources/get/
     */
    readonly existingBucket?: string;
    /**
     * The bucket's own policy statements (an adopted bucket's, see `existingBucket`), merged into the one
     * bucket policy the component writes, after its TLS-only Deny and replication grants. A `Sid` the component
     * uses itself is refused.
     * @default none
     */
    readonly bucketPolicyStatements?: aws.iam.PolicyStatement[];
    /**
     * The bucket's own lifecycle rules (an adopted bucket's), merged into the side's one lifecycle configuration
     * next to the rule of option `versionLifecycle`. Every rule needs an `id`, and none may be the component's.
     * @default none
     */
    readonly lifecycleRules?: aws.types.input.s3.BucketLifecycleConfigurationRule[];
}

/**
 * Settings of the lifecycle configuration on each replicated bucket (option `versionLifecycle`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
 */
export interface VersionLifecycleSettings {
    /**
     * Days a version stays after it became noncurrent (overwritten or deleted) before S3 removes it for
     * good: the window in which a bad write or a deletion can be undone from the bucket itself. Keep it
     * longer than the point-in-time backups' retention (option `backup`).
     * @default 90
     * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
     */
    readonly noncurrentVersionExpirationDays?: number;
    /**
     * Days after which S3 aborts a multipart upload that was never completed, and frees its parts.
     * @default 7
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
     */
    readonly abortIncompleteMultipartUploadDays?: number;
}

/**
 * Settings of the point-in-time backups of the replicated buckets with AWS Backup (option `backup`).
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html
 */
export interface BackupSettings {
    /**
     * Retention of the continuous backups (point-in-time restore to any second in the window), 1 to 35 days.
     * @default 35
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html
     */
    readonly continuousRetentionDays?: number;
    /**
     * Retention of the periodic snapshots and of their copies in the other sides' vaults.
     * @default 90
     */
    readonly snapshotRetentionDays?: number;
    /**
     * When the periodic snapshot runs (UTC, at 05:00): `daily`, `weekly` (Sundays) or `monthly` (the 1st).
     * @default "daily"
     */
    readonly snapshotSchedule?: BackupSchedule;
    /**
     * Copy each periodic snapshot to every other side's vault. A copy is a snapshot: point-in-time restore
     * stays in the bucket's own region.
     * @default true
     */
    readonly copyToOtherSides?: boolean;
    /**
     * The sides' accounts are in one AWS Organization whose management account turned cross-account backup
     * on: snapshots may be copied to another account's vault (each vault's access policy then lets the other
     * sides' accounts copy into it). Off, a copy between accounts fails the deployment with
     * `CrrBackupCopyError`, before anything of the plan is created.
     * @default false
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
     */
    readonly crossAccountCopy?: boolean;
    /**
     * Opt S3 in to AWS Backup in each side's region (`aws.backup.RegionSettings`). Account-wide: another
     * stack or the console may own the setting, so it is not managed unless asked for; without the opt-in
     * backup jobs of S3 fail. Only the S3 entry is set; the region's other resource types are not named.
     * @default false
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/service-opt-in.html
     */
    readonly manageRegionSettings?: boolean;
    /**
     * AWS Backup Vault Lock on each vault: `governance` (users with the right IAM permission may remove it)
     * or `compliance` (after its grace time, `vaultLockChangeableForDays`, no one can remove it, nor delete
     * the vault or a recovery point before its retention ends: irreversible).
     * @default "none"
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
     */
    readonly vaultLock?: VaultLockMode;
    /** Shortest retention a locked vault accepts (1 to 36500 days). @default 1 */
    readonly vaultLockMinRetentionDays?: number;
    /** Longest retention a locked vault accepts (1 to 36500 days). @default 36500 */
    readonly vaultLockMaxRetentionDays?: number;
    /** Compliance mode: days before the lock becomes immutable, 3 or more (AWS's 72-hour minimum). @default 3 */
    readonly vaultLockChangeableForDays?: number;
}

/**
 * Settings of the S3 Multi-Region Access Point over every side's bucket (option `accessPoint`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPoints.html
 */
export interface AccessPointSettings {
    /**
     * The routes the access point starts with: `activePassive` sends every request to the first side (the
     * pair's primary) and none to the others, `activeActive` to the nearest side. Routes are operational
     * state: the component sets them when it creates the access point and never again, so a deployment
     * never undoes a failover (`npm run failover` changes them).
     * @default "activePassive"
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointRequestRouting.html
     */
    readonly routing?: AccessPointRouting;
    /**
     * The Region the routes resource is registered in: one of the five that serve the route APIs
     * (us-east-1, us-west-2, ap-southeast-2, ap-northeast-1, eu-west-1), whatever the sides' regions.
     * Choose it once: changing it replaces the resource, and creating it again submits the initial routes,
     * which undoes a failover. The default is a constant (us-west-2, where AWS serves the access point's
     * control plane), so reordering or adding sides never moves it; pin another only for a stack whose
     * routes resource already lives there.
     * @default "us-west-2"
     * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_SubmitMultiRegionAccessPointRoutes.html
     */
    readonly routesRegion?: MrapRouteRegion;
}

/**
 * The options of CrrPair besides its names, sides and tags. `components/model/options.ts` holds the table that
 * validates each of them and gives its default (the compiler keeps the two in step, and a test compares each
 * `@default` here with the table's).
 */
export interface CrrPairOptions {
    /**
     * Default encryption of the replicated buckets. With `aws:kms` each side gets its own customer managed
     * key with an explicit key policy; it encrypts the bucket's objects, the replicas written into it, the
     * side's CloudTrail log files and its CloudTrail log group. The rules replicate SSE-KMS objects and
     * re-encrypt them with the destination's key.
     * @default "AES256"
     */
    readonly encryption?: EncryptionMode;
    /**
     * Waiting period before a scheduled KMS key deletion, 7 to 30 days. Only with `encryption: "aws:kms"`.
     * @default 30
     */
    readonly kmsKeyDeletionWindowInDays?: number;
    /**
     * Replicate delete markers. Off by default, as the AWS DR whitepaper advises: a deletion in one
     * region then cannot hide the DR copy in the other.
     * @default false
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html
     */
    readonly deleteMarkerReplication?: boolean;
    /**
     * Replica modification sync on both rules: tag, ACL and Object Lock changes made on a replica flow
     * back to the source, so metadata stays in step both ways.
     * @default true
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-for-metadata-changes.html
     */
    readonly replicaModificationSync?: boolean;
    /**
     * S3 Replication Time Control (15-minute SLA) together with replication metrics and their 15-minute
     * event threshold. AWS requires metrics with RTC and rejects an event threshold without RTC, so both
     * are one switch. RTC is billed per GB replicated.
     * @default false
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
     */
    readonly replicationTimeControl?: boolean;
    /**
     * S3 Replication metrics on every rule (`ReplicationLatency`, `BytesPendingReplication`,
     * `OperationsPendingReplication`, `OperationsFailedReplication` in `AWS/S3`), without RTC: metrics alone
     * are valid, an event threshold is not (that needs RTC). CloudWatch bills the metrics; RTC, billed more,
     * implies them (so `replicationMetrics: false` with `replicationTimeControl: true` is refused).
     * @default true
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
     */
    readonly replicationMetrics?: boolean;
    /**
     * Alerting, when metrics are on: per rule, CloudWatch alarms in the source region on
     * `OperationsFailedReplication` (any failure) and `ReplicationLatency` (over `rpoSeconds`), and on
     * `BytesPendingReplication` when `backlogAlarmBytes` is set; per side an SNS topic encrypted with a
     * customer managed key, receiving the alarms and the bucket's replication failure events (through the
     * bucket notification this component owns); a CloudWatch dashboard of every direction.
     * @default true
     */
    readonly alarms?: boolean;
    /**
     * The recovery point objective in seconds: the `ReplicationLatency` alarm fires above it.
     * @default 900
     */
    readonly rpoSeconds?: number;
    /**
     * The recovery time objective in seconds: the longest a failover may take until reads through the
     * access point are served from the other region. Nothing is deployed for it; the stack outputs it
     * (`objectives`) and `npm run drill` measures the failover against it (REL13: define recovery objectives,
     * then test that they are met).
     * @default 3600
     * @see https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_planning_for_recovery_objective_defined_recovery.html
     */
    readonly rtoSeconds?: number;
    /**
     * Bytes pending replication above which a backlog alarm fires; 0 creates no backlog alarm.
     * @default 0
     */
    readonly backlogAlarmBytes?: number;
    /**
     * Email addresses subscribed to every side's alerts topic. AWS mails each a confirmation link; an
     * unconfirmed subscription cannot be deleted by `pulumi destroy` (deleting the topic removes it).
     * @default []
     */
    readonly alarmEmails?: readonly string[];
    /**
     * Also deliver the replicated buckets' events to Amazon EventBridge (`eventbridge` on the bucket
     * notification this component owns: a bucket has one notification configuration).
     * @default false
     */
    readonly eventBridgeNotifications?: boolean;
    /**
     * Storage class of replicas on both sides (a side's own `replicaStorageClass` wins).
     * @default "STANDARD"
     */
    readonly replicaStorageClass?: ReplicaStorageClass;
    /**
     * Retention of the CloudTrail log groups, in days: one of the values CloudWatch Logs accepts
     * (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
     * 3653), or 0 to keep events forever.
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * Age in days after which log files (CloudTrail log files and S3 server access logs) in the logging
     * buckets expire.
     * @default 365
     */
    readonly logFileExpirationDays?: number;
    /**
     * Days after which noncurrent versions of log files (left by expiration, the logging buckets are
     * versioned) are removed for good.
     * @default 30
     */
    readonly logNoncurrentVersionExpirationDays?: number;
    /**
     * S3 server access logging of each replicated bucket into its own region's logging bucket, under
     * `s3-access-logs/<bucket>/`. The trails record object writes only; access logs record reads too.
     * @default true
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
     */
    readonly accessLogging?: boolean;
    /**
     * A lifecycle configuration on each replicated bucket: noncurrent versions expire after a number of
     * days, delete markers left with no version behind them are removed, incomplete multipart uploads are
     * aborted. Versioning otherwise keeps every overwritten and deleted object forever. Replicas follow the
     * lifecycle of the bucket they are in (each side has its own). `true` takes the defaults, an object
     * sets them, `false` leaves the buckets without a lifecycle configuration.
     * @default true
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
     */
    readonly versionLifecycle?: boolean | VersionLifecycleSettings;
    /**
     * Point-in-time backups of each replicated bucket with AWS Backup: per side a vault under its own
     * customer managed key, a plan with a continuous rule (point-in-time restore) and a periodic snapshot
     * rule copied to the other sides' vaults, the bucket's selection, and the role AWS Backup uses. Replication
     * copies a corruption or a deletion within seconds; a backup keeps the state before it. S3 must be opted
     * in to AWS Backup in each region (see `manageRegionSettings`). `true` takes the defaults, an object sets
     * them.
     * @default false
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html
     */
    readonly backup?: boolean | BackupSettings;
    /**
     * One S3 Multi-Region Access Point over every side's bucket, named as the naming prefix (a name that
     * can never change: renaming replaces it), with its policy and its initial routes. At most 17 regions.
     * AWS creates it asynchronously: a deployment waits for it, often several minutes. Applications use
     * its endpoint `<alias>.accesspoint.s3-global.amazonaws.com`, signing with SigV4A. The bi-directional
     * replication rules are what AWS recommends under an access point with failover controls.
     * @default false
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointFailover.html
     */
    readonly accessPoint?: boolean | AccessPointSettings;
    /**
     * Let `pulumi destroy` delete buckets that still hold objects. Destructive: off unless asked for.
     * @default false
     */
    readonly forceDestroy?: boolean;
    /**
     * The permissions boundary of every IAM role the component creates (the replication roles, the trails'
     * log delivery roles, the AWS Backup roles): the most those roles can ever be allowed, whatever their own
     * policies say. A managed policy's ARN, or the name of a customer managed policy, which each side then
     * takes from its own account (`arn:<partition>:iam::<side's account>:policy/<name>`). Deploy roles made
     * by `bootstrap/` may create roles only with their environment's boundary
     * (`github-deploy-<environment>-boundary`), so a stack they deploy must name it.
     * @default none
     * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
     */
    readonly permissionsBoundary?: string;
    /**
     * Sets Pulumi's `protect` resource option on the resources that hold data: each replicated bucket
     * together with its versioning, encryption, public access block, ownership and policy resources (the
     * engine deletes dependents first, so protecting the bucket alone would let a failed destroy strip its
     * guards), and each customer managed key. A deploy that would replace or delete them, and
     * `pulumi destroy`, then stop with an error until `pulumi state unprotect` is run. Logging buckets and
     * the replication wiring are not protected: they are rebuilt from code without losing data.
     * @default false
     * @see https://www.pulumi.com/docs/iac/concepts/options/protect/
     */
    readonly protectData?: boolean;
    /**
     * Per side an IAM role S3 Batch Operations assumes to run Batch Replication jobs (`npm run backfill`):
     * replicating the objects that were in a bucket before its replication configuration, and objects whose
     * replication failed. The role may start replication of the side's bucket's objects, read its replication
     * configuration, generate the job's manifest (an inventory configuration on the bucket) and write the
     * manifest and the completion report into the side's logging bucket under `batch-replication/`. Whoever
     * starts a job needs `s3:CreateJob` and `iam:PassRole` on this role.
     * @default false
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html
     */
    readonly batchReplication?: boolean;
}

/**
 * A side as CrrPair and CrrMesh take it: `{ provider, region?, ... }`, or a bare `aws.Provider` (the
 * design card's "a CrrPair takes two aws Providers": region from the provider, the pair's options).
 */
export type CrrSide = CrrSideArgs | aws.Provider;

/** A side of a CrrMesh: a side, optionally with the key that names its child resources. */
export interface CrrMeshSideArgs extends CrrSideArgs {
    /**
     * Names the side's child resources (`<mesh name>-<key>-bucket`, ...): lowercase letters, digits and
     * inner hyphens, at most 24 characters, unique in the mesh. Keep it stable: a changed key replaces the
     * side's resources.
     * @default the side's `region` when given, else `side<position from 1>`
     */
    readonly key?: string;
    /**
     * Keys this side had before (a key given later, a region given to a side keyed `side<n>`): its children
     * take `aliases` from the names under each, so Pulumi moves them instead of replacing them. A side
     * keyed by its region also takes over `side<position from 1>` (its key while its region came from the
     * provider), unless another side holds that key.
     * @default none
     * @see https://www.pulumi.com/docs/iac/concepts/options/aliases/
     */
    readonly formerKeys?: readonly string[];
    /**
     * What becomes of this side's data when a later deploy takes the side out of the mesh (deploy this first,
     * then remove the side): `retain` keeps its buckets (with their settings) and its key in AWS, out of the
     * stack (Pulumi's `retainOnDelete`); `empty` lets the removal delete its buckets with every object in them
     * (`forceDestroy`). Without it, `npm run plan -- --since` refuses the removal, and S3 would stop the
     * deploy halfway at a bucket that still holds objects.
     * @default none
     * @see https://www.pulumi.com/docs/iac/concepts/options/retainondelete/
     */
    readonly onRemoval?: SideRemoval;
}

/** What becomes of a mesh side's data when it leaves the mesh (option `onRemoval` of a side). */
export type SideRemoval = "retain" | "empty";

/**
 * The CrrPair a CrrMesh grows from, under the same component name: which of the mesh's sides (by key) were
 * its primary and its secondary. The mesh and those sides' children take `aliases` from the pair's URNs
 * (type `s3crr:index:CrrPair`, children `<name>-primary-...`), so the upgrade moves them in place.
 */
export interface GrownFromPair {
    /** Key of the side that was the pair's primary. @default none */
    readonly primary?: string;
    /** Key of the side that was the pair's secondary. @default none */
    readonly secondary?: string;
}

/** A side of a CrrMesh: a {@link CrrMeshSideArgs}, or a bare `aws.Provider`. */
export type CrrMeshSide = CrrMeshSideArgs | aws.Provider;

/** Arguments of CrrMesh: the options of CrrPair, with 2 to N sides instead of two. */
export interface CrrMeshArgs extends CrrPairOptions {
    /** Prefix of every physical name (the same rule as CrrPair's). */
    readonly namingPrefix: string;
    /**
     * The regions, each replicating to every other: 2 or more sides, all in distinct regions, each in its own
     * account or a shared one (every side's account is read from its provider).
     */
    readonly sides: readonly CrrMeshSide[];
    /**
     * Tags added to every taggable child (on top of the providers' default tags).
     * @default {}
     */
    readonly tags?: Record<string, string>;
    /**
     * The CrrPair of the same name this mesh replaces in a stack: the mesh takes over its resources
     * (aliases from the pair's URNs) instead of creating new ones beside them.
     * @default none
     * @see https://www.pulumi.com/docs/iac/concepts/options/aliases/
     */
    readonly grownFromPair?: GrownFromPair;
}

/** Arguments of CrrPair. */
export interface CrrPairArgs extends CrrPairOptions {
    /**
     * Prefix of every physical name: 5 to 40 characters, dash-separated words of lowercase letters and
     * digits (the lab's rule, without its dots: S3 advises against dots in bucket names). The replicated
     * buckets are named `<prefix>-crrlab-<region>`, the logging buckets `logging-<prefix>-<region>`.
     */
    readonly namingPrefix: string;
    /**
     * The side the workload normally runs in (DR vocabulary: fail over from primary to secondary): its
     * provider with its region (and per-side options), or the provider alone.
     */
    readonly primary: CrrSide;
    /** The recovery side, in the same forms. Replication is symmetric: each side replicates to the other. */
    readonly secondary: CrrSide;
    /**
     * Tags added to every taggable child (on top of the providers' default tags).
     * @default {}
     */
    readonly tags?: Record<string, string>;
}
