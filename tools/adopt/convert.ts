/**
 * Pure conversions from what the S3 API answers (PascalCase, `@aws-sdk/client-s3` shapes) into the shapes the
 * stack configuration `s3-crr:existingBuckets` carries: the provider's input types (camelCase,
 * `aws.types.input.s3.BucketLifecycleConfigurationRule`, `BucketNotificationTopic`/`Queue`/`LambdaFunction`)
 * and IAM policy statements as they are (the policy document's own JSON shape is the provider's
 * `aws.iam.PolicyStatement`). Exported for the tests, which feed them real API answers.
 */
import type {
    FilterRule,
    LambdaFunctionConfiguration,
    LifecycleRule,
    LifecycleRuleFilter,
    NotificationConfiguration,
    QueueConfiguration,
    TopicConfiguration,
} from "@aws-sdk/client-s3";

/** A lifecycle rule in the provider's shape (`aws.types.input.s3.BucketLifecycleConfigurationRule`, plain values). */
export interface LifecycleRuleInput {
    id: string;
    status: string;
    filter?: {
        prefix?: string;
        tag?: { key: string; value: string };
        objectSizeGreaterThan?: number;
        objectSizeLessThan?: number;
        and?: { prefix?: string; tags?: Record<string, string>; objectSizeGreaterThan?: number; objectSizeLessThan?: number };
    };
    /** The legacy top-level prefix (rules written before filters existed). */
    prefix?: string;
    expiration?: { date?: string; days?: number; expiredObjectDeleteMarker?: boolean };
    transitions?: { date?: string; days?: number; storageClass: string }[];
    noncurrentVersionExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
    noncurrentVersionTransitions?: { noncurrentDays: number; newerNoncurrentVersions?: number; storageClass: string }[];
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

/** One notification destination in the provider's shape (`BucketNotificationTopic` and its siblings). */
interface NotificationBase {
    id?: string;
    events: string[];
    filterPrefix?: string;
    filterSuffix?: string;
}
export type TopicInput = NotificationBase & { topicArn: string };
export type QueueInput = NotificationBase & { queueArn: string };
export type LambdaFunctionInput = NotificationBase & { lambdaFunctionArn: string };

export interface NotificationsInput {
    topics?: TopicInput[];
    queues?: QueueInput[];
    lambdaFunctions?: LambdaFunctionInput[];
}

/** An IAM policy statement as the bucket policy holds it (the provider's `aws.iam.PolicyStatement`). */
export type PolicyStatementInput = Record<string, unknown> & { Sid?: string; Effect: string };

/** Drops keys whose value is undefined, so that the YAML and JSON carry only what S3 answered. */
function defined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * An S3 timestamp as the provider takes it: RFC 3339 at midnight UTC (S3 accepts lifecycle dates only at
 * midnight UTC; https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html).
 */
function date(d: Date | undefined): string | undefined {
    return d === undefined ? undefined : d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function filterOf(f: LifecycleRuleFilter | undefined): LifecycleRuleInput["filter"] {
    if (f === undefined) {
        return undefined;
    }
    return defined({
        prefix: f.Prefix,
        tag: f.Tag ? { key: f.Tag.Key!, value: f.Tag.Value! } : undefined,
        objectSizeGreaterThan: f.ObjectSizeGreaterThan,
        objectSizeLessThan: f.ObjectSizeLessThan,
        // The API's And holds a tag list; the provider's holds a map of key to value.
        and: f.And
            ? defined({
                  prefix: f.And.Prefix,
                  tags: f.And.Tags?.length ? Object.fromEntries(f.And.Tags.map((t) => [t.Key!, t.Value!])) : undefined,
                  objectSizeGreaterThan: f.And.ObjectSizeGreaterThan,
                  objectSizeLessThan: f.And.ObjectSizeLessThan,
              })
            : undefined,
    });
}

/** One rule of GetBucketLifecycleConfiguration in the provider's shape. */
export function lifecycleRule(rule: LifecycleRule): LifecycleRuleInput {
    if (!rule.ID) {
        // S3 gives every rule an ID when none is set; a rule without one cannot be merged by id.
        throw new Error("a lifecycle rule without an ID: GetBucketLifecycleConfiguration always returns one");
    }
    return defined({
        id: rule.ID,
        status: rule.Status!,
        filter: filterOf(rule.Filter),
        prefix: rule.Prefix,
        expiration: rule.Expiration
            ? defined({ date: date(rule.Expiration.Date), days: rule.Expiration.Days, expiredObjectDeleteMarker: rule.Expiration.ExpiredObjectDeleteMarker })
            : undefined,
        transitions: rule.Transitions?.length
            ? rule.Transitions.map((t) => defined({ date: date(t.Date), days: t.Days, storageClass: t.StorageClass! }))
            : undefined,
        noncurrentVersionExpiration: rule.NoncurrentVersionExpiration
            ? defined({ noncurrentDays: rule.NoncurrentVersionExpiration.NoncurrentDays!, newerNoncurrentVersions: rule.NoncurrentVersionExpiration.NewerNoncurrentVersions })
            : undefined,
        noncurrentVersionTransitions: rule.NoncurrentVersionTransitions?.length
            ? rule.NoncurrentVersionTransitions.map((t) =>
                  defined({ noncurrentDays: t.NoncurrentDays!, newerNoncurrentVersions: t.NewerNoncurrentVersions, storageClass: t.StorageClass! }),
              )
            : undefined,
        abortIncompleteMultipartUpload: rule.AbortIncompleteMultipartUpload ? { daysAfterInitiation: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation! } : undefined,
    });
}

/**
 * The key filter of a notification: S3 answers `FilterRules` named `Prefix`/`Suffix` (the API reference spells
 * them lowercase in requests, and answers have used both); the provider has `filterPrefix`/`filterSuffix`.
 */
function keyFilter(rules: FilterRule[] | undefined): Pick<NotificationBase, "filterPrefix" | "filterSuffix"> {
    const value = (name: string) => rules?.find((r) => r.Name?.toLowerCase() === name)?.Value;
    return defined({ filterPrefix: value("prefix"), filterSuffix: value("suffix") });
}

function base(c: TopicConfiguration | QueueConfiguration | LambdaFunctionConfiguration): NotificationBase {
    return defined({ id: c.Id, events: [...(c.Events ?? [])], ...keyFilter(c.Filter?.Key?.FilterRules) });
}

/** GetBucketNotificationConfiguration's destinations in the provider's shape (EventBridge is a flag, not a destination). */
export function notifications(config: NotificationConfiguration): NotificationsInput {
    return defined({
        topics: config.TopicConfigurations?.length ? config.TopicConfigurations.map((c) => ({ ...base(c), topicArn: c.TopicArn! })) : undefined,
        queues: config.QueueConfigurations?.length ? config.QueueConfigurations.map((c) => ({ ...base(c), queueArn: c.QueueArn! })) : undefined,
        lambdaFunctions: config.LambdaFunctionConfigurations?.length
            ? config.LambdaFunctionConfigurations.map((c) => ({ ...base(c), lambdaFunctionArn: c.LambdaFunctionArn! }))
            : undefined,
    });
}

/** The statements of a bucket policy document (GetBucketPolicy's `Policy` string); a lone statement object is a list of one. */
export function policyStatements(policy: string | undefined): PolicyStatementInput[] {
    if (policy === undefined || policy.trim() === "") {
        return [];
    }
    const doc = JSON.parse(policy) as { Statement?: PolicyStatementInput | PolicyStatementInput[] };
    const s = doc.Statement;
    return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

/**
 * The region GetBucketLocation's `LocationConstraint` stands for: none (null or "") is us-east-1, and the
 * legacy "EU" is eu-west-1 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
 */
export function regionOfLocation(constraint: string | null | undefined): string {
    if (constraint === undefined || constraint === null || constraint === "") {
        return "us-east-1";
    }
    return constraint === "EU" ? "eu-west-1" : constraint;
}

/** The account of an ARN (`arn:<partition>:<service>:<region>:<account>:...`), undefined for a key id or an alias name. */
export function accountOfArn(arn: string): string | undefined {
    const parts = arn.split(":");
    return parts[0] === "arn" && parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}
