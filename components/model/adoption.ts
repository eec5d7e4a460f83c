/**
 * What a side over an existing bucket (`existingBucket`) may carry of the bucket's own configuration, and the
 * checks it must pass before anything is registered. Pure, for testing.
 */
import { bucketNameProblems } from "./naming";

/**
 * The `Sid`s of the statements the component writes into a replicated bucket's policy
 * (documents/iam.ts `replicatedBucketPolicy`; a test holds the two together). A statement of the bucket's own
 * with one of these would make two statements of one Sid in one policy.
 */
export const COMPONENT_BUCKET_POLICY_SIDS = [
    "DenyInsecureTransport",
    "MultiRegionAccessPointOfOtherAccount",
    "ReplicasFromOtherAccounts",
    "VersioningCheckFromOtherAccounts",
] as const;

/** The id of the lifecycle rule of option `versionLifecycle` (documents/lifecycle.ts). */
export const VERSION_LIFECYCLE_RULE_ID = "expire-noncurrent-versions";

/**
 * S3 holds up to 1,000 rules in one lifecycle configuration; each rule's `ID` is at most 255 characters and
 * unique in the configuration.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
 */
export const MAX_LIFECYCLE_RULES = 1000;
export const MAX_LIFECYCLE_RULE_ID_LENGTH = 255;

const show = (v: unknown) => (typeof v === "string" ? `'${v}'` : (JSON.stringify(v) ?? String(v)));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Why `name` cannot be an existing bucket's name, or undefined when it can. */
export function existingBucketProblem(name: unknown): string | undefined {
    if (typeof name !== "string") {
        return `must be the name of an existing S3 bucket, got ${show(name)}`;
    }
    const problems = bucketNameProblems(name);
    return problems.length === 0
        ? undefined
        : `'${name}' is not an S3 bucket name: it ${problems.join("; it ")} (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)`;
}

/**
 * Problems of a side's `bucketPolicyStatements`: a list of IAM statements (objects with an `Effect` of Allow
 * or Deny), none with a `Sid` the component's own statements use. Each problem's path is relative to the
 * side (`bucketPolicyStatements[1].Sid`).
 */
export function policyStatementProblems(statements: unknown): { path: string; message: string }[] {
    if (statements === undefined) {
        return [];
    }
    if (!Array.isArray(statements)) {
        return [{ path: "bucketPolicyStatements", message: `must be a list of IAM policy statements, got ${show(statements)}` }];
    }
    const problems: { path: string; message: string }[] = [];
    statements.forEach((statement, i) => {
        const path = `bucketPolicyStatements[${i}]`;
        if (!isObject(statement)) {
            problems.push({ path, message: `must be an IAM policy statement (an object with Effect, Action, Resource, ...), got ${show(statement)}` });
            return;
        }
        if (statement.Effect !== "Allow" && statement.Effect !== "Deny") {
            problems.push({ path: `${path}.Effect`, message: `must be 'Allow' or 'Deny', got ${show(statement.Effect)}` });
        }
        if (typeof statement.Sid === "string" && (COMPONENT_BUCKET_POLICY_SIDS as readonly string[]).includes(statement.Sid)) {
            problems.push({
                path: `${path}.Sid`,
                message:
                    `is '${statement.Sid}', a Sid of the component's own statements in the bucket policy ` +
                    `(${COMPONENT_BUCKET_POLICY_SIDS.join(", ")}): rename the bucket's statement`,
            });
        }
    });
    return problems;
}

/**
 * Problems of a side's `lifecycleRules`: a list of rules in the provider's shape, each with an `id` (1 to 255
 * characters, unique, not the component's own rule's) and a `status` of Enabled or Disabled; with the
 * component's rule, at most 1,000 rules.
 */
export function lifecycleRuleProblems(rules: unknown): { path: string; message: string }[] {
    if (rules === undefined) {
        return [];
    }
    if (!Array.isArray(rules)) {
        return [{ path: "lifecycleRules", message: `must be a list of lifecycle rules (id, status, filter, expiration, ...), got ${show(rules)}` }];
    }
    const problems: { path: string; message: string }[] = [];
    if (rules.length + 1 > MAX_LIFECYCLE_RULES) {
        problems.push({ path: "lifecycleRules", message: `holds ${rules.length} rules; S3 takes at most ${MAX_LIFECYCLE_RULES} in a configuration, the component's own included` });
    }
    const ids: unknown[] = rules.map((r) => (isObject(r) ? r.id : undefined));
    rules.forEach((rule, i) => {
        const path = `lifecycleRules[${i}]`;
        if (!isObject(rule)) {
            problems.push({ path, message: `must be a lifecycle rule (an object with id, status, filter, ...), got ${show(rule)}` });
            return;
        }
        if (typeof rule.id !== "string" || rule.id.length < 1 || rule.id.length > MAX_LIFECYCLE_RULE_ID_LENGTH) {
            problems.push({ path: `${path}.id`, message: `must be a rule id of 1 to ${MAX_LIFECYCLE_RULE_ID_LENGTH} characters, got ${show(rule.id)}` });
        } else if (rule.id === VERSION_LIFECYCLE_RULE_ID) {
            problems.push({ path: `${path}.id`, message: `is '${rule.id}', the id of the component's own rule (option versionLifecycle): rename the bucket's rule` });
        } else if (ids.indexOf(rule.id) < i) {
            problems.push({ path: `${path}.id`, message: `is '${rule.id}', also lifecycleRules[${ids.indexOf(rule.id)}]'s: S3 needs each rule id once in a configuration` });
        }
        if (rule.status !== "Enabled" && rule.status !== "Disabled") {
            problems.push({ path: `${path}.status`, message: `must be 'Enabled' or 'Disabled', got ${show(rule.status)}` });
        }
    });
    return problems;
}
