/**
 * Whether an existing bucket can be adopted, and the stack configuration that keeps what it has. Pure: it
 * takes what `readBucket` read and the account of the caller. Refusals are what would break data or
 * access once the stack writes its configuration; warnings are what the stack changes that the user had.
 */
import { ACCESS_POINT_OBJECT_ACTIONS } from "../../components/documents/accessPoint";
import { partitionOf } from "../../components/model/regions";
import { CROSS_ACCOUNT_DESTINATION_BUCKET_ACTIONS, CROSS_ACCOUNT_DESTINATION_OBJECT_ACTIONS, denyInsecureTransportStatement } from "../../components/documents/iam";
import { accountOfArn, LifecycleRuleInput, lifecycleRule, notifications, NotificationsInput, policyStatements, PolicyStatementInput } from "./convert";
import type { BucketState } from "./read";

/** Why a bucket cannot be adopted: each a name the exit message and `--json` carry. */
export type RefusalReason =
    | "replication-to-other-destinations"
    | "acls-in-use"
    | "object-lock"
    | "unversioned-object-lock"
    | "kms-key-other-account"
    | "public-policy"
    | "policy-sid-collision"
    | "lifecycle-id-collision"
    | "notification-id-collision";

export interface Finding {
    readonly reason: string;
    readonly message: string;
}

export interface Refusal extends Finding {
    readonly reason: RefusalReason;
}

/** One region's entry of `s3-crr:existingBuckets`, as the contract spells it. */
export interface ExistingBucketEntry {
    bucket: string;
    policyStatements?: PolicyStatementInput[];
    lifecycleRules?: LifecycleRuleInput[];
    notifications?: NotificationsInput;
}

export interface Assessment {
    readonly bucket: string;
    readonly region: string;
    /** The stack configuration to add (keys as in a stack file); present even when refused, for reading. */
    readonly config: Record<string, unknown>;
    readonly refusals: readonly Refusal[];
    readonly warnings: readonly Finding[];
    /** What is there and stays as it is (the stack does not write it). */
    readonly untouched: readonly Finding[];
    /** What the component writes itself and was found already there (a bucket adopted before): left out of the config. */
    readonly alreadyManaged: readonly string[];
}

/** The Sids of the statements the component writes into a replicated bucket's policy. */
export const COMPONENT_POLICY_SIDS = ["DenyInsecureTransport", "MultiRegionAccessPointOfOtherAccount", "ReplicasFromOtherAccounts", "VersioningCheckFromOtherAccounts"] as const;
/** The id of the component's lifecycle rule (option versionLifecycle) and of its replication-events notification. */
export const COMPONENT_LIFECYCLE_ID = "expire-noncurrent-versions";
export const COMPONENT_NOTIFICATION_ID = "replication-events";


const sorted = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]).sort();
const sameSet = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** `"*"` or `{ "AWS": "*" }`: the two spellings of everyone in a policy. */
function isEveryone(p: unknown): boolean {
    return p === "*" || (typeof p === "object" && p !== null && sorted((p as { AWS?: unknown }).AWS).includes("*"));
}

/** Two condition blocks alike, a single value and a list of that one value being the same. */
function sameConditions(a: unknown, b: unknown): boolean {
    const norm = (c: unknown) =>
        JSON.stringify(
            Object.entries((c ?? {}) as Record<string, Record<string, unknown>>)
                .map(([op, kv]) => [op, Object.entries(kv).map(([k, v]) => [k, sorted(v)]).sort()])
                .sort(),
        );
    return norm(a) === norm(b);
}

/**
 * Whether a statement carrying one of the component's Sids is the one the component writes (the bucket was
 * adopted before): compared on what identifies it (effect, actions, resources for the TLS deny; actions
 * for the grants, whose principals depend on the stack).
 */
function isComponentStatement(s: PolicyStatementInput, bucket: string, region: string): boolean {
    const arn = `arn:${partitionOf(region)}:s3:::${bucket}`;
    switch (s.Sid) {
        case "DenyInsecureTransport": {
            const ours = denyInsecureTransportStatement(arn);
            return (
                s.Effect === ours.Effect &&
                isEveryone(s.Principal) &&
                sameSet(s.Action, ours.Action) &&
                sameSet(s.Resource, ours.Resource) &&
                sameConditions(s.Condition, ours.Condition)
            );
        }
        case "MultiRegionAccessPointOfOtherAccount":
            return s.Effect === "Allow" && sameSet(s.Action, ACCESS_POINT_OBJECT_ACTIONS);
        case "ReplicasFromOtherAccounts":
            return s.Effect === "Allow" && sameSet(s.Action, CROSS_ACCOUNT_DESTINATION_OBJECT_ACTIONS);
        case "VersioningCheckFromOtherAccounts":
            return s.Effect === "Allow" && sameSet(s.Action, CROSS_ACCOUNT_DESTINATION_BUCKET_ACTIONS);
        default:
            return false;
    }
}

/**
 * The condition keys whose fixed values make a grant to everyone non-public for S3 ("The meaning of public"):
 * IP ranges, the source ARN, VPC, VPC endpoint, owner and account, the principal (its ARN, account or
 * organization), a user id, and an access point. A key not listed counts as public: refused here rather than by
 * PutBucketPolicy at deploy.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
const RESTRICTING_KEYS = new Set(
    [
        "aws:SourceIp",
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceOwner",
        "aws:SourceAccount",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:userid",
        "s3:DataAccessPointArn",
        "s3:DataAccessPointAccount",
    ].map((k) => k.toLowerCase()),
);
/** Operators that hold a key to the values given (a negated operator, or one that passes when the key is absent, does not). */
const FIXING_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"]);

/** A value S3 counts as fixed: no wildcard, no policy variable, no IP range as wide as a /8 or wider, no role-wide user id. */
function fixedValue(key: string, value: string): boolean {
    if (/[*?]|\$\{/.test(value)) {
        return false;
    }
    if (key === "aws:sourceip") {
        const bits = Number(/\/(\d+)$/.exec(value)?.[1] ?? (value.includes(":") ? 128 : 32));
        return value.includes(":") ? bits >= 32 : bits >= 8;
    }
    return true;
}

/**
 * Whether S3 would call the statement public, and so refuse the policy once BlockPublicPolicy is on (the
 * component sets it, before it writes the policy): an Allow to everyone (or with `NotPrincipal`) that no
 * condition holds to fixed values of one of {@link RESTRICTING_KEYS}. Conditions are all required, so one
 * restricting key is enough; conditions on other keys (aws:Referer, aws:SecureTransport) restrict nothing.
 */
function isPublic(s: PolicyStatementInput): boolean {
    const raw = s as PolicyStatementInput & { NotPrincipal?: unknown };
    if (s.Effect !== "Allow" || !(isEveryone(s.Principal) || raw.NotPrincipal !== undefined)) {
        return false;
    }
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    const restricts = Object.entries(condition).some(([operator, keys]) => {
        const op = operator.toLowerCase().replace(/^for(any|all)value:/, "");
        return (
            FIXING_OPERATORS.has(op) &&
            Object.entries(keys ?? {}).some(([key, values]) => RESTRICTING_KEYS.has(key.toLowerCase()) && sorted(values).length > 0 && sorted(values).every((v) => fixedValue(key.toLowerCase(), v)))
        );
    });
    return !restricts;
}

/**
 * An IAM principal's unique id (`AROA…` a role, `AIDA…` a user): what GetBucketPolicy shows for a principal that
 * was deleted. PutBucketPolicy refuses it ("Invalid principal in policy").
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
const UNIQUE_ID = /^A(RO|ID|IP|GP|NP|NV|SC)A[A-Z0-9]{12,}$/;

/** The statement without principals that were deleted (their unique ids), or undefined when none is left. */
function withoutDeletedPrincipals(s: PolicyStatementInput, f: Findings, where: string): PolicyStatementInput | undefined {
    const principal = s.Principal as { AWS?: string | string[] } | string | undefined;
    if (typeof principal !== "object" || principal === null || principal.AWS === undefined) {
        return s;
    }
    const all = sorted(principal.AWS);
    const gone = all.filter((p) => UNIQUE_ID.test(p));
    if (gone.length === 0) {
        return s;
    }
    const kept = (Array.isArray(principal.AWS) ? principal.AWS : [principal.AWS]).filter((p) => !UNIQUE_ID.test(p));
    const others = Object.keys(principal).filter((k) => k !== "AWS");
    f.warn(
        "deleted-principal",
        `the policy statement ${where} names ${gone.join(", ")}, the unique id S3 shows for an IAM principal that was deleted; S3 refuses it in a new policy, so ` +
            (kept.length > 0 || others.length > 0 ? "it is left out of the statement." : "the statement, which grants nobody else, is left out."),
    );
    if (kept.length === 0 && others.length === 0) {
        return undefined;
    }
    const { AWS: _gone, ...rest } = principal;
    void _gone;
    return { ...s, Principal: { ...rest, ...(kept.length > 0 ? { AWS: kept.length === 1 ? kept[0] : kept } : {}) } as PolicyStatementInput["Principal"] };
}

/** The component's own rule id shape `<source>-to-<destination>` and role `<prefix>-s3crr-<region>`: a configuration this stack wrote. */
function isComponentReplication(state: BucketState): boolean {
    const r = state.replication!;
    const role = r.Role ?? "";
    return (
        (r.Rules ?? []).every((rule) => rule.ID?.startsWith(`${state.region}-to-`)) && new RegExp(`:role/(.+/)?[^/]+-s3crr-${state.region}$`).test(role)
    );
}

function isComponentLifecycleRule(rule: LifecycleRuleInput): boolean {
    // The component writes `filter: {}`; S3 may answer it as an empty filter or as an empty prefix.
    const emptyFilter = rule.filter === undefined || Object.keys(rule.filter).length === 0 || (Object.keys(rule.filter).length === 1 && rule.filter.prefix === "");
    return emptyFilter && rule.noncurrentVersionExpiration !== undefined && rule.expiration?.expiredObjectDeleteMarker === true && rule.transitions === undefined;
}

/** Where each check records what it found. */
class Findings {
    readonly refusals: Refusal[] = [];
    readonly warnings: Finding[] = [];
    readonly untouched: Finding[] = [];
    readonly alreadyManaged: string[] = [];
    refuse(reason: RefusalReason, message: string): void {
        this.refusals.push({ reason, message });
    }
    warn(reason: string, message: string): void {
        this.warnings.push({ reason, message });
    }
    keep(reason: string, message: string): void {
        this.untouched.push({ reason, message });
    }
}

/** The stack's BucketReplicationConfig replaces the bucket's whole replication configuration when created. */
function checkReplication(state: BucketState, f: Findings): void {
    if (!state.replication || (state.replication.Rules ?? []).length === 0) {
        return;
    }
    if (isComponentReplication(state)) {
        f.alreadyManaged.push("replication configuration (rules written by this stack)");
        return;
    }
    const destinations = [...new Set((state.replication.Rules ?? []).map((r) => r.Destination?.Bucket ?? "?"))];
    f.refuse(
        "replication-to-other-destinations",
        `the bucket already replicates to ${destinations.join(", ")}; the stack's replication configuration would replace it whole and stop that replication. ` +
            "Remove that configuration first (or move those destinations into this stack's regions).",
    );
}

/**
 * ACLs and ownership: BucketOwnerEnforced cannot be set while the bucket ACL grants access to others (S3
 * answers InvalidBucketAclWithObjectOwnership;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-migrating-acls-prerequisites.html).
 */
function checkAcls(state: BucketState, f: Findings): void {
    if (state.objectOwnership === "BucketOwnerEnforced") {
        return;
    }
    if (state.foreignGrants.length > 0) {
        const who = state.foreignGrants.map((g) => `${g.Grantee?.URI ?? g.Grantee?.ID ?? g.Grantee?.EmailAddress ?? "?"} (${g.Permission})`);
        f.refuse(
            "acls-in-use",
            `the bucket ACL grants ${who.join(", ")}; the stack sets Object Ownership to BucketOwnerEnforced, which S3 refuses while the ACL grants anyone but the owner. ` +
                "Move those grants into the bucket policy and reset the ACL to private first.",
        );
    }
}

/**
 * Object Lock: a source with Object Lock needs a destination with Object Lock (DstBucketObjectLockConfigMissing)
 * and a role with s3:GetObjectRetention and s3:GetObjectLegalHold; the stack gives neither.
 */
function checkObjectLock(state: BucketState, f: Findings): void {
    if (!state.objectLockEnabled) {
        return;
    }
    if (state.versioning !== "Enabled") {
        f.refuse("unversioned-object-lock", "the bucket has Object Lock but versioning is not Enabled: S3 does not allow that state to be replicated; fix the bucket first.");
    } else {
        f.refuse(
            "object-lock",
            "the bucket has Object Lock: replication from it needs destinations with Object Lock and a role allowed s3:GetObjectRetention and s3:GetObjectLegalHold, which this stack does not create.",
        );
    }
}

/**
 * Default encryption. SSE-KMS objects are replicated only by rules that opt in
 * (SourceSelectionCriteria.SseKmsEncryptedObjects), and only with a role that may decrypt them
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html).
 */
function checkEncryption(state: BucketState, accountId: string | undefined, f: Findings): void {
    const enc = state.encryption;
    if (enc === undefined) {
        return;
    }
    if (!enc.algorithm.startsWith("aws:kms")) {
        f.keep("encryption", `default encryption ${enc.algorithm}: the same as the stack's default (unless s3-crr:encryption is aws:kms, which then uses the stack's key for new objects)`);
        return;
    }
    const keyAccount = enc.kmsKeyId ? accountOfArn(enc.kmsKeyId) : undefined;
    if (keyAccount !== undefined && accountId !== undefined && keyAccount !== accountId) {
        f.refuse(
            "kms-key-other-account",
            `the bucket's default key ${enc.kmsKeyId} is in account ${keyAccount}, not ${accountId}: objects under it can be replicated only if the replication role may decrypt with it, ` +
                "which the stack cannot grant in another account's key policy.",
        );
        return;
    }
    const managed = enc.kmsKeyId === undefined || /alias\/aws\/s3$/.test(enc.kmsKeyId);
    f.warn(
        "encryption",
        `the bucket's default encryption is ${enc.algorithm}${managed ? " with the AWS managed key aws/s3" : ` with ${enc.kmsKeyId}`}; the stack writes its own default for new objects ` +
            "(SSE-S3, or its own key per region with s3-crr:encryption aws:kms). Objects already encrypted with KMS are replicated, live or by backfill, only by rules that opt in " +
            "to SSE-KMS objects, which the stack's rules do only with s3-crr:encryption aws:kms" +
            (managed ? "." : `; and the stack's replication role may decrypt only the stack's keys, so ${enc.kmsKeyId}'s key policy must also let that role use kms:Decrypt.`),
    );
}

/** What the stack's hardened bucket settings change: versioning, ownership, the public access block, access logs. */
function checkSettings(state: BucketState, f: Findings): void {
    if (state.versioning !== "Enabled") {
        f.warn(
            "versioning",
            `versioning is ${state.versioning ?? "off (never enabled)"}: the stack enables it (replication needs it). A versioned bucket can be suspended again but never unversioned, and every overwrite then keeps the old version.`,
        );
    }
    if (state.objectOwnership !== "BucketOwnerEnforced" && state.foreignGrants.length === 0) {
        f.warn(
            "object-ownership",
            `Object Ownership is ${state.objectOwnership ?? "not set (ObjectWriter)"}: the stack sets BucketOwnerEnforced, which disables ACLs; object ACLs granting other accounts stop applying (they were not read object by object).`,
        );
    }
    const pab = state.publicAccessBlock;
    const unblocked = (["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const).filter((k) => pab?.[k] !== true);
    if (unblocked.length > 0) {
        f.warn("public-access-block", `${unblocked.join(", ")} ${unblocked.length === 1 ? "is" : "are"} off: the stack turns all four on; public access through ACLs or the policy stops.`);
    }
    if (state.logging) {
        f.warn(
            "logging",
            `server access logs go to ${state.logging.targetBucket}/${state.logging.targetPrefix}: with s3-crr:accessLogging the stack sends them to its own logging bucket instead (one logging configuration per bucket); without it they stay.`,
        );
    }
}

/** The bucket policy's statements to carry: the component's own left out, a colliding Sid or a public grant refused. */
function carriedStatements(state: BucketState, f: Findings): PolicyStatementInput[] {
    const statements: PolicyStatementInput[] = [];
    for (const original of policyStatements(state.policy)) {
        const s = withoutDeletedPrincipals(original, f, original.Sid ? `'${original.Sid}'` : `#${statements.length + 1}`);
        if (s === undefined) {
            continue;
        }
        if (s.Sid !== undefined && (COMPONENT_POLICY_SIDS as readonly string[]).includes(s.Sid)) {
            if (isComponentStatement(s, state.bucket, state.region)) {
                f.alreadyManaged.push(`policy statement ${s.Sid}`);
                continue;
            }
            f.refuse("policy-sid-collision", `the policy statement '${s.Sid}' has a Sid the stack writes itself, with other content: rename it in the bucket policy first.`);
        }
        if (isPublic(s)) {
            f.refuse(
                "public-policy",
                `the policy statement ${s.Sid ? `'${s.Sid}'` : `#${statements.length + 1}`} allows everyone without a condition that holds it to fixed values of ` +
                    "a source IP range, ARN, VPC, VPC endpoint, account or organization (S3's meaning of public): S3 refuses that policy once BlockPublicPolicy is on, which the stack sets.",
            );
        }
        statements.push(s);
    }
    return statements;
}

/** The lifecycle rules to carry, in the provider's shape: the component's own left out, a colliding id refused. */
function carriedLifecycleRules(state: BucketState, f: Findings): LifecycleRuleInput[] {
    const rules: LifecycleRuleInput[] = [];
    for (const r of state.lifecycleRules.map(lifecycleRule)) {
        if (r.id === COMPONENT_LIFECYCLE_ID) {
            if (isComponentLifecycleRule(r)) {
                f.alreadyManaged.push(`lifecycle rule ${r.id}`);
                continue;
            }
            f.refuse("lifecycle-id-collision", `the lifecycle rule '${r.id}' has the id of the stack's own rule (option versionLifecycle), with other content: rename it first.`);
        }
        rules.push(r);
    }
    // The provider writes all_storage_classes_128K unless told otherwise: a bucket that transitions small objects
    // too stops doing so once the stack writes its lifecycle configuration.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
    if (state.lifecycleTransitionMinimumSize === "varies_by_storage_class") {
        f.warn(
            "lifecycle-minimum-size",
            "the lifecycle configuration has TransitionDefaultMinimumObjectSize varies_by_storage_class; the stack's lifecycle configuration is written with " +
                "the default, all_storage_classes_128K, so objects under 128 KB stop transitioning between storage classes.",
        );
    }
    if (rules.length > 0) {
        f.warn(
            "lifecycle-during-backfill",
            `${rules.length} lifecycle rule(s) carried: AWS recommends turning lifecycle rules off while a Batch Replication job runs (an expired delete marker may otherwise reach the destination before the versions behind it).`,
        );
    }
    return rules;
}

/** The notification targets to carry, in the provider's shape: the component's replication-events topic left out. */
function carriedNotifications(state: BucketState, f: Findings): NotificationsInput {
    const n = notifications(state.notifications);
    const topics = (n.topics ?? []).filter((t) => {
        if (t.id !== COMPONENT_NOTIFICATION_ID) {
            return true;
        }
        if (t.events.every((e) => e.startsWith("s3:Replication:"))) {
            f.alreadyManaged.push(`notification ${t.id}`);
            return false;
        }
        f.refuse("notification-id-collision", `the notification '${t.id}' has the id of the stack's replication-events notification, with other events: rename it first.`);
        return true;
    });
    if (state.notifications.EventBridgeConfiguration !== undefined) {
        f.warn(
            "eventbridge",
            "the bucket sends its events to EventBridge: the configuration sets s3-crr:eventBridgeNotifications to true (for every side of the stack), or the stack's notification configuration would turn it off.",
        );
    }
    return {
        ...(topics.length ? { topics } : {}),
        ...(n.queues ? { queues: n.queues } : {}),
        ...(n.lambdaFunctions ? { lambdaFunctions: n.lambdaFunctions } : {}),
    };
}

/** What the stack never writes on an adopted bucket, listed so the user knows it stays. */
function listUntouched(state: BucketState, f: Findings): void {
    if (state.tags.length > 0) {
        f.keep("tags", `${state.tags.length} bucket tag(s): the stack does not create the bucket, so it does not write its tags`);
    }
    if (state.cors) {
        f.keep("cors", "a CORS configuration: the stack has no CORS resource");
    }
    if (state.website) {
        f.keep("website", "a static website configuration: the stack has no website resource");
    }
    if (state.inventoryConfigurations > 0) {
        f.keep("inventory", `${state.inventoryConfigurations} inventory configuration(s): the stack writes none`);
    }
    if (state.analyticsConfigurations > 0) {
        f.keep("analytics", `${state.analyticsConfigurations} analytics configuration(s): the stack writes none`);
    }
}

/** Assesses `state`, read by the caller in `accountId`. */
export function assess(state: BucketState, accountId: string | undefined): Assessment {
    const f = new Findings();
    checkReplication(state, f);
    checkAcls(state, f);
    checkObjectLock(state, f);
    checkEncryption(state, accountId, f);
    checkSettings(state, f);
    const statements = carriedStatements(state, f);
    const rules = carriedLifecycleRules(state, f);
    const carried = carriedNotifications(state, f);
    listUntouched(state, f);
    const entry: ExistingBucketEntry = {
        bucket: state.bucket,
        ...(statements.length ? { policyStatements: statements } : {}),
        ...(rules.length ? { lifecycleRules: rules } : {}),
        ...(Object.keys(carried).length ? { notifications: carried } : {}),
    };
    return {
        bucket: state.bucket,
        region: state.region,
        config: {
            "s3-crr:existingBuckets": { [state.region]: entry },
            // The Batch Operations role `npm run backfill` runs its jobs with.
            "s3-crr:batchReplication": true,
            ...(state.notifications.EventBridgeConfiguration !== undefined ? { "s3-crr:eventBridgeNotifications": true } : {}),
        },
        refusals: f.refusals,
        warnings: f.warnings,
        untouched: f.untouched,
        alreadyManaged: f.alreadyManaged,
    };
}
