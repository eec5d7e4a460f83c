/** Bucket hardening: versioning, default encryption, public access block, TLS-only policy, ACLs. */
import { StackValidationPolicy } from "@pulumi/policy";
import {
    asList,
    controlTags,
    label,
    modelOf,
    policyDocument,
    read,
    readKnown,
    statementsOf,
    StackModel,
} from "./model";
import { PolicyResource } from "@pulumi/policy";

export const s3BucketVersioningEnabled: StackValidationPolicy = {
    name: "s3-bucket-versioning-enabled",
    description:
        "Every S3 bucket has versioning Enabled (BucketVersioning, BucketVersioningV2 or the inline property). " +
        "Replication requires it on both ends, and it is what lets a deleted or overwritten object be recovered.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Add `new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: \"Enabled\" } })` " +
        "for the bucket (or set its status from Suspended to Enabled).",
    tags: controlTags({ checkov: ["CKV_AWS_21"], securityHub: ["S3.14"], awsConfig: ["s3-bucket-versioning-enabled"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        for (const bucket of model.buckets) {
            const { status, by } = model.versioning(bucket);
            if (status === "missing" || status === "Disabled") {
                reportViolation(`${label(bucket)} has no versioning: nothing sets its status to Enabled.`, bucket.urn);
            } else if (status === "Suspended") {
                reportViolation(
                    `${label(bucket)} has versioning Suspended by ${by.map(label).join(", ")}; it must be Enabled.`,
                    bucket.urn,
                );
            }
        }
    },
};

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** The default-encryption algorithms set on a bucket, or "unknown". */
function encryptionOf(model: StackModel, bucket: PolicyResource): string[] | "unknown" {
    const split = model.configOf(bucket, "encryption");
    const rulesOf = (get: () => unknown) => {
        const r = readKnown(get);
        if (!r.known) {
            return "unknown" as const;
        }
        const rules = Array.isArray(r.value) ? r.value : r.value ? [r.value] : [];
        return rules.map((rule: any) => String(read(() => rule.applyServerSideEncryptionByDefault.sseAlgorithm) ?? ""));
    };
    if (split.length > 0) {
        const all = split.map((c) => rulesOf(() => c.props.rules));
        return all.includes("unknown") ? "unknown" : (all as string[][]).flat();
    }
    return rulesOf(() => bucket.props.serverSideEncryptionConfiguration?.rule);
}

export const s3BucketEncryptionEnabled: StackValidationPolicy = {
    name: "s3-bucket-encryption-enabled",
    description:
        "Every S3 bucket has default server-side encryption (AES256 or aws:kms), set by a " +
        "BucketServerSideEncryptionConfiguration (either token) or inline. Config `requireKms` demands SSE-KMS of every " +
        "bucket AWS lets you encrypt with KMS: buckets that receive S3 server access logs are exempt, because S3 " +
        "delivers access logs only into SSE-S3 buckets.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Add `new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket: bucket.id, rules: " +
        "[{ applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] })`.",
    tags: controlTags({
        checkov: ["CKV_AWS_19", "CKV_AWS_145"],
        securityHub: ["S3.4"],
        awsConfig: ["s3-bucket-server-side-encryption-enabled"],
    }),
    configSchema: {
        properties: {
            requireKms: {
                type: "boolean",
                default: false,
                description:
                    "Accept only aws:kms (or aws:kms:dsse) as default encryption, except on targets of S3 server access " +
                    "logging (which AWS requires to be SSE-S3).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const requireKms = args.getConfig<{ requireKms?: boolean }>().requireKms ?? false;
        const allowed = requireKms ? KMS_ALGORITHMS : SSE_ALGORITHMS;
        const model = modelOf(args.resources);
        // S3 server access logging writes only into SSE-S3 buckets (AWS, "Enabling Amazon S3 server access
        // logging"): demanding KMS there would demand a configuration under which logs are not delivered.
        const accessLogTargets = new Set(model.of("bucketLogging").flatMap((l) => model.bucketsReferenced(l, "targetBucket")));
        for (const bucket of model.buckets) {
            const algorithms = encryptionOf(model, bucket);
            const bucketAllowed = accessLogTargets.has(bucket) ? SSE_ALGORITHMS.filter((a) => a === "AES256") : allowed;
            if (algorithms === "unknown") {
                continue;
            }
            if (algorithms.length === 0) {
                reportViolation(`${label(bucket)} has no default encryption configuration.`, bucket.urn);
            } else if (!algorithms.every((a) => bucketAllowed.includes(a))) {
                const why = accessLogTargets.has(bucket) ? " (it receives S3 server access logs, which S3 delivers only to SSE-S3 buckets)" : "";
                reportViolation(
                    `${label(bucket)} uses default encryption ${algorithms.map((a) => `'${a || "none"}'`).join(", ")}; ` +
                        `allowed: ${bucketAllowed.join(", ")}${why}.`,
                    bucket.urn,
                );
            }
        }
    },
};

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3BucketPublicAccessBlock: StackValidationPolicy = {
    name: "s3-bucket-public-access-block",
    description:
        "Every S3 bucket has a public access block with all four flags true (or the stack sets them account-wide).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Add `new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, " +
        "ignorePublicAcls: true, restrictPublicBuckets: true })`.",
    tags: controlTags({
        checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
        securityHub: ["S3.8"],
        awsConfig: ["s3-bucket-level-public-access-prohibited"],
    }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const allTrue = (r: PolicyResource) => PAB_FLAGS.every((f) => read(() => r.props[f]) === true);
        if (model.of("accountPublicAccessBlock").some(allTrue)) {
            return;
        }
        for (const bucket of model.buckets) {
            const blocks = model.configOf(bucket, "publicAccessBlock");
            if (blocks.length === 0) {
                reportViolation(`${label(bucket)} has no public access block.`, bucket.urn);
                continue;
            }
            const off = PAB_FLAGS.filter((f) => blocks.every((b) => readKnown(() => b.props[f]).known && read(() => b.props[f]) !== true));
            if (off.length > 0) {
                reportViolation(`${label(bucket)} has public access block flags not set to true: ${off.join(", ")}.`, bucket.urn);
            }
        }
    },
};

/** True when `statement` denies every S3 action on the bucket and its objects when TLS is not used. */
function deniesInsecureTransport(statement: any, bucketArn: string | undefined): boolean {
    if (statement.Effect !== "Deny") {
        return false;
    }
    const secure = statement.Condition?.Bool?.["aws:SecureTransport"];
    if (!(secure === false || secure === "false" || (Array.isArray(secure) && secure.map(String).includes("false")))) {
        return false;
    }
    const actions = asList(statement.Action);
    if (!actions.some((a) => a === "*" || a === "s3:*")) {
        return false;
    }
    if (bucketArn === undefined) {
        return true; // the bucket's ARN is not known by name: accept a statement of the right shape
    }
    const resources = asList(statement.Resource);
    const covers = (target: string) => resources.some((r) => r === "*" || r === target || r === `${bucketArn}*`);
    return covers(bucketArn) && covers(`${bucketArn}/*`);
}

export const s3BucketTlsOnly: StackValidationPolicy = {
    name: "s3-bucket-tls-only",
    description: "Every S3 bucket's policy denies requests that do not use TLS (aws:SecureTransport = false).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Add a Deny statement for s3:* on the bucket ARN and <bucket ARN>/* with " +
        "Condition { Bool: { \"aws:SecureTransport\": \"false\" } } to the bucket's BucketPolicy.",
    // No Checkov check reads a bucket policy's aws:SecureTransport deny (CKV_AWS_379 reads only aws_s3_bucket_acl).
    tags: controlTags({ securityHub: ["S3.5"], awsConfig: ["s3-bucket-ssl-requests-only"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        for (const bucket of model.buckets) {
            const name = model.bucketName(bucket);
            const partition = /^arn:([^:]+):/.exec(String(read(() => bucket.props.arn) ?? ""))?.[1] ?? "aws";
            const arn = name ? `arn:${partition}:s3:::${name}` : undefined;
            const documents = [
                ...model.configOf(bucket, "bucketPolicy").map((p) => readKnown(() => p.props.policy)),
                readKnown(() => bucket.props.policy),
            ];
            if (documents.some((d) => !d.known)) {
                continue; // the policy text is computed from outputs: judged at update time
            }
            const statements = documents.flatMap((d) => statementsOf(policyDocument((d as { value?: unknown }).value)));
            if (!statements.some((s) => deniesInsecureTransport(s, arn))) {
                reportViolation(`${label(bucket)} has no bucket policy statement denying requests without TLS.`, bucket.urn);
            }
        }
    },
};

const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

export const s3BucketAclsDisabled: StackValidationPolicy = {
    name: "s3-bucket-acls-disabled",
    description: "Every S3 bucket has ACLs disabled (object ownership BucketOwnerEnforced) and no public ACL.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Add `new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: \"BucketOwnerEnforced\" } })` " +
        "and remove ACL resources and `acl` arguments; grant access with bucket policies.",
    tags: controlTags({ checkov: ["CKV2_AWS_65"], securityHub: ["S3.12"], awsConfig: ["s3-bucket-acl-prohibited"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        for (const bucket of model.buckets) {
            const ownership = model.configOf(bucket, "ownershipControls");
            const values = ownership.map((o) => readKnown(() => o.props.rule.objectOwnership));
            if (ownership.length === 0) {
                reportViolation(`${label(bucket)} has no ownership controls: ACLs stay enabled.`, bucket.urn);
            } else if (values.every((v) => v.known && v.value !== "BucketOwnerEnforced")) {
                const set = values.map((v) => String((v as { value?: unknown }).value)).join(", ");
                reportViolation(`${label(bucket)} has object ownership '${set}'; ACLs are disabled only with BucketOwnerEnforced.`, bucket.urn);
            }
            const acls = [...model.configOf(bucket, "bucketAcl").map((a) => read(() => a.props.acl)), read(() => bucket.props.acl)];
            const canned = acls.filter((a): a is string => typeof a === "string" && PUBLIC_CANNED_ACLS.includes(a));
            const grants = model
                .configOf(bucket, "bucketAcl")
                .flatMap((a) => read(() => a.props.accessControlPolicy?.grants) ?? [])
                .map((g: any) => read(() => g.grantee?.uri))
                .filter((uri: unknown) => typeof uri === "string" && PUBLIC_GRANTEES.includes(uri));
            if (canned.length > 0 || grants.length > 0) {
                reportViolation(
                    `${label(bucket)} has a public ACL (${[...canned, ...grants].join(", ")}).`,
                    bucket.urn,
                );
            }
        }
    },
};
