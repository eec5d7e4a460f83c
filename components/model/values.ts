/**
 * The allowed values of every enumerated option, each one `as const` array that is also the source of its
 * type: the argument types (`types.ts`) and the option table (`options.ts`) both take them from here.
 */

/**
 * Default server-side encryption of the replicated buckets: SSE-S3 (`AES256`, the lab's choice) or SSE-KMS
 * with a customer managed key per region (`aws:kms`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
 */
export const ENCRYPTION_MODES = ["AES256", "aws:kms"] as const;
export type EncryptionMode = (typeof ENCRYPTION_MODES)[number];

/**
 * Storage classes S3 accepts for replicas (`Destination.StorageClass`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html
 */
export const REPLICA_STORAGE_CLASSES = [
    "STANDARD",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
    "REDUCED_REDUNDANCY",
] as const;
export type ReplicaStorageClass = (typeof REPLICA_STORAGE_CLASSES)[number];

/**
 * Retention values CloudWatch Logs accepts (`PutRetentionPolicy`); 0 means "never expire".
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** When the periodic snapshot of a bucket runs (see `BACKUP_SCHEDULES` in documents/backup.ts for the expressions). */
export const BACKUP_SCHEDULE_NAMES = ["daily", "weekly", "monthly"] as const;
export type BackupSchedule = (typeof BACKUP_SCHEDULE_NAMES)[number];

/** AWS Backup Vault Lock modes; `none` leaves the vaults unlocked. */
export const VAULT_LOCK_MODES = ["none", "governance", "compliance"] as const;
export type VaultLockMode = (typeof VAULT_LOCK_MODES)[number];

/** AWS Backup keeps continuous backups (point-in-time restore) for 1 to 35 days. */
export const CONTINUOUS_BACKUP_MAX_DAYS = 35;

/** Initial routing of the Multi-Region Access Point (option `accessPoint`). */
export const ACCESS_POINT_ROUTINGS = ["activePassive", "activeActive"] as const;
export type AccessPointRouting = (typeof ACCESS_POINT_ROUTINGS)[number];

/**
 * The only Regions that serve the Multi-Region Access Point route APIs (`SubmitMultiRegionAccessPointRoutes`,
 * `GetMultiRegionAccessPointRoutes`), in the order `npm run failover` tries them. The routes resource is
 * registered in one of them (option `accessPoint.routesRegion`): the provider calls the region it is
 * registered in, and any other region refuses the calls.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_SubmitMultiRegionAccessPointRoutes.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetMultiRegionAccessPointRoutes.html
 */
export const MRAP_ROUTE_REGIONS = ["us-east-1", "us-west-2", "ap-southeast-2", "ap-northeast-1", "eu-west-1"] as const;
export type MrapRouteRegion = (typeof MRAP_ROUTE_REGIONS)[number];

/**
 * Where the routes resource is registered unless pinned: us-west-2, the one Region AWS serves the access
 * point's own control plane from (CreateMultiRegionAccessPoint and the rest are "always routed to the US West
 * (Oregon) Region"), so a deploy of the access point depends on no other Region. A constant, not a function
 * of the sides: the region must never change once the routes resource exists (a new region replaces it, and
 * creating it again submits the initial routes, which would undo a failover), so neither reordering nor
 * adding sides may move it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateMultiRegionAccessPoint.html
 */
export const DEFAULT_ROUTES_REGION: MrapRouteRegion = "us-west-2";

/**
 * A permissions boundary as option `permissionsBoundary` takes it: a managed policy's ARN (the account's or
 * AWS's, with its path), or the name of a customer managed policy (resolved in each side's account). IAM
 * policy names are 1 to 128 of letters, digits and `+=,.@_-`.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
 */
export const PERMISSIONS_BOUNDARY_PATTERN = /^(arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}|[\w+=,.@-]{1,128})$/;

/** The names a pair gives its two sides; they also start the names of the sides' child resources. */
export const SIDE_KEYS = ["primary", "secondary"] as const;
export type SideKey = (typeof SIDE_KEYS)[number];
