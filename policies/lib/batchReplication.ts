/**
 * The role of S3 Batch Replication jobs (`batchReplication`): trusted by S3 Batch Operations only, allowed what
 * a job with an S3-generated manifest and a completion report needs, on exact ARNs.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { actionMatches } from "./iamEval";
import { controlTags, isKind, label, modelOf, policyDocument, read, readKnown, Statement, statementsOf } from "./model";
import { trustedPrincipals, wildcards } from "./replication";

export const BATCH_OPERATIONS_PRINCIPAL = "batchoperations.s3.amazonaws.com";

/**
 * What a Batch Replication job with a generated manifest does with its role, each with why it fails without:
 * AWS's policy "if using and storing an S3 generated manifest".
 */
export const BATCH_REPLICATION_NEEDS: readonly { readonly action: string; readonly why: string }[] = [
    { action: "s3:InitiateReplication", why: "the job cannot start the replication of a single object" },
    { action: "s3:GetReplicationConfiguration", why: "the manifest generator cannot read the source's replication rules" },
    { action: "s3:PutInventoryConfiguration", why: "the manifest generator cannot list the source's objects" },
    { action: "s3:GetObject", why: "the job cannot read back its generated manifest" },
    { action: "s3:PutObject", why: "the job cannot write its manifest and completion report" },
];

/**
 * Every policy document a role holds (inline, role policies, attached managed ones), and whether each was known
 * (during a preview a document may not be yet).
 */
function documentsOf(role: PolicyResource, all: readonly PolicyResource[]): { docs: [PolicyResource, unknown][]; complete: boolean } {
    const out: [PolicyResource, unknown][] = [];
    let complete = true;
    for (const r of all) {
        const onRole = (r.propertyDependencies.role ?? []).includes(role);
        if (onRole && isKind(r, "rolePolicy")) {
            const doc = readKnown(() => r.props.policy);
            if (doc.known) {
                out.push([r, doc.value]);
            } else {
                complete = false;
            }
        } else if (onRole && isKind(r, "rolePolicyAttachment")) {
            for (const managed of (r.propertyDependencies.policyArn ?? []).filter((d) => isKind(d, "managedPolicy"))) {
                const doc = readKnown(() => managed.props.policy);
                if (doc.known) {
                    out.push([managed, doc.value]);
                } else {
                    complete = false;
                }
            }
        }
    }
    for (const inline of read(() => role.props.inlinePolicies) ?? []) {
        const doc = read(() => (inline as { policy?: unknown }).policy);
        if (doc !== undefined) {
            out.push([role, doc]);
        }
    }
    return { docs: out, complete };
}

const allows = (docs: readonly [PolicyResource, unknown][]): Statement[] =>
    docs.flatMap(([, doc]) => statementsOf(policyDocument(doc)).filter((s) => s.Effect === "Allow"));

export const batchReplicationRoleLeastPrivilege: StackValidationPolicy = {
    name: "batch-replication-role-least-privilege",
    description:
        "Every S3 Batch Replication role (trusted by batchoperations.s3.amazonaws.com, or granted s3:InitiateReplication) is trusted by " +
        "S3 Batch Operations only, grants what a job with a generated manifest and a completion report needs, and no wildcard " +
        "action or resource (exact bucket ARNs, `<bucket-arn>/*` or a prefix for objects).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Trust only the service principal batchoperations.s3.amazonaws.com; grant s3:InitiateReplication on <source-arn>/*, " +
        "s3:GetReplicationConfiguration and s3:PutInventoryConfiguration on the source bucket ARN, and s3:GetObject, " +
        "s3:GetObjectVersion and s3:PutObject on <report-bucket-arn>/<prefix>*.",
    tags: controlTags({}),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        for (const role of model.of("role")) {
            const trust = readKnown(() => role.props.assumeRolePolicy);
            const principals = trust.known ? trustedPrincipals(trust.value) : [];
            const { docs, complete } = documentsOf(role, args.resources);
            const statements = allows(docs);
            const trustedByBatch = principals.includes(`Service:${BATCH_OPERATIONS_PRINCIPAL}`);
            // A statement naming InitiateReplication exactly: a wildcard action is replication-role-least-privilege's to name.
            const initiates = statements.some((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes("s3:InitiateReplication"));
            if (!trustedByBatch && !initiates) {
                continue;
            }
            const others = principals.filter((p) => p !== `Service:${BATCH_OPERATIONS_PRINCIPAL}`);
            if (trust.known && (others.length > 0 || !trustedByBatch)) {
                reportViolation(
                    `${label(role)} is a Batch Replication role trusted by ${others.length ? others.join(", ") : "nobody"}; ` +
                        `only ${BATCH_OPERATIONS_PRINCIPAL} may assume it.`,
                    role.urn,
                );
            }
            // Only when every document is known: a policy not known yet may hold what is missing.
            if (complete) {
                const missing = BATCH_REPLICATION_NEEDS.filter((n) => !statements.some((s) => actionMatches(s, n.action)));
                if (missing.length > 0) {
                    reportViolation(
                        `${label(role)} is a Batch Replication role without ${missing.map((m) => `${m.action} (${m.why})`).join(", ")}.`,
                        role.urn,
                    );
                }
            }
            for (const [holder, doc] of docs) {
                const found = wildcards(doc);
                if (found.length > 0) {
                    reportViolation(`${label(holder)} of Batch Replication ${label(role)} grants wildcards: ${found.join(", ")}.`, holder.urn);
                }
            }
        }
    },
};
