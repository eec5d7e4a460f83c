/**
 * Physical names of everything a side creates, and the AWS naming rules they must meet. Pure functions:
 * the component validates every derived name before it registers a single resource.
 */

/**
 * The lab's `NamingPrefix` rule (its CloudFormation `AllowedPattern`): 5 to 40 characters, dot-separated
 * labels of lowercase letters, digits and inner hyphens, and not shaped like an IP address.
 */
export const NAMING_PREFIX_PATTERN =
    /(?=^.{5,40}$)(?!^(\d+\.)+\d+$)(^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$)/;

/** Physical names of one side's resources. */
export interface SideNames {
    /** The replicated bucket, `<prefix>-crrlab-<region>` as in the lab. */
    readonly bucket: string;
    /** The bucket CloudTrail writes its log files to, `logging-<prefix>-<region>` as in the lab. */
    readonly loggingBucket: string;
    /** The CloudTrail trail (trail names are per region and account). */
    readonly trail: string;
    /** The CloudWatch Logs group, `CloudTrail/logs/<prefix>` as in the lab (log groups are regional). */
    readonly logGroup: string;
    /** IAM role CloudTrail assumes to write to the log group (IAM names are global: the region is in it). */
    readonly trailLogsRole: string;
    /** IAM role S3 assumes to replicate out of this side's bucket. */
    readonly replicationRole: string;
    /** IAM role S3 Batch Operations assumes for Batch Replication jobs of this side's bucket (option `batchReplication`). */
    readonly batchReplicationRole: string;
    /** Prefix, in the logging bucket, of Batch Replication manifests and completion reports. */
    readonly batchReplicationPrefix: string;
    /** Name of the saved Logs Insights query. */
    readonly query: string;
    /** SNS topic of the side's replication alarms and failure events (topic names are per region and account). */
    readonly alertsTopic: string;
    /** KMS alias of the key that encrypts the alerts topic. */
    readonly alertsKeyAlias: string;
    /** Prefix of the side's alarm names (`<prefix>-crr-<kind>-<source>-to-<destination>`). */
    readonly alarmPrefix: string;
    /** Prefix of the replicated bucket's S3 server access logs in the logging bucket (one per source bucket). */
    readonly accessLogPrefix: string;
    /** KMS alias of the side's key (used only with SSE-KMS); aliases allow no '.', so dots become '-'. */
    readonly kmsAlias: string;
}

/** Names of one side. IAM role names are kept within 64 characters for any valid prefix and region. */
export function sideNames(prefix: string, region: string): SideNames {
    return {
        bucket: `${prefix}-crrlab-${region}`,
        loggingBucket: `logging-${prefix}-${region}`,
        trail: `${prefix}-crr-trail`,
        logGroup: `CloudTrail/logs/${prefix}`,
        trailLogsRole: `${prefix}-trail-${region}`,
        replicationRole: `${prefix}-s3crr-${region}`,
        batchReplicationRole: `${prefix}-s3batch-${region}`,
        batchReplicationPrefix: "batch-replication/",
        query: `CRR/${prefix}/PutObject events`,
        accessLogPrefix: `s3-access-logs/${prefix}-crrlab-${region}/`,
        alertsTopic: `${prefix}-crr-alerts`,
        alertsKeyAlias: `alias/${prefix}-crr-alerts`,
        alarmPrefix: `${prefix}-crr-`,
        kmsAlias: `alias/${prefix.replace(/\./g, "-")}-crr`,
    };
}

const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Every way `name` breaks the S3 general purpose bucket naming rules (empty when it is valid).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 63) {
        problems.push(`is ${name.length} characters long; S3 allows 3 to 63`);
    }
    if (!/^[a-z0-9.-]*$/.test(name)) {
        problems.push("may contain only lowercase letters, digits, '.' and '-'");
    }
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
        problems.push("must begin and end with a lowercase letter or digit");
    }
    if (name.includes("..")) {
        problems.push("must not contain two adjacent periods");
    }
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
        problems.push("must not be formatted as an IP address");
    }
    for (const reserved of BUCKET_RESERVED_PREFIXES) {
        if (name.startsWith(reserved)) {
            problems.push(`must not start with the reserved prefix '${reserved}'`);
        }
    }
    for (const reserved of BUCKET_RESERVED_SUFFIXES) {
        if (name.endsWith(reserved)) {
            problems.push(`must not end with the reserved suffix '${reserved}'`);
        }
    }
    return problems;
}

/**
 * Every way `name` breaks the IAM role name rules: 1 to 64 characters of letters, digits and `+=,.@_-`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export function roleNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 1 || name.length > 64) {
        problems.push(`is ${name.length} characters long; IAM allows 1 to 64`);
    }
    if (!/^[\w+=,.@-]*$/.test(name)) {
        problems.push("may contain only letters, digits and '+=,.@_-'");
    }
    return problems;
}

/**
 * Every way `name` breaks the CloudTrail trail name rules: 3 to 128 characters of letters, digits, `.`,
 * `_` and `-`, starting and ending with a letter or digit, no two separators in a row, not an IP address.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
 */
export function trailNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 128) {
        problems.push(`is ${name.length} characters long; CloudTrail allows 3 to 128`);
    }
    if (!/^[A-Za-z0-9._-]*$/.test(name)) {
        problems.push("may contain only letters, digits, '.', '_' and '-'");
    }
    if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) {
        problems.push("must begin and end with a letter or digit");
    }
    if (/[._-]{2}/.test(name)) {
        problems.push("must not contain two separators ('.', '_', '-') in a row");
    }
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
        problems.push("must not be formatted as an IP address");
    }
    return problems;
}

/** Problems of every physical name of a side, each labelled with the name's role. */
export function sideNameProblems(names: SideNames): string[] {
    const labelled = (label: string, name: string, problems: string[]) =>
        problems.map((p) => `${label} '${name}' ${p}`);
    return [
        ...labelled("bucket name", names.bucket, bucketNameProblems(names.bucket)),
        ...labelled("logging bucket name", names.loggingBucket, bucketNameProblems(names.loggingBucket)),
        ...labelled("trail name", names.trail, trailNameProblems(names.trail)),
        ...labelled("IAM role name", names.trailLogsRole, roleNameProblems(names.trailLogsRole)),
        ...labelled("IAM role name", names.replicationRole, roleNameProblems(names.replicationRole)),
        ...labelled("IAM role name", names.batchReplicationRole, roleNameProblems(names.batchReplicationRole)),
    ];
}
