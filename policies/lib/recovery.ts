/** Recovery beyond replication: versions that expire, and point-in-time backups of what is replicated. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { controlTags, label, modelOf, read, readKnown, StackModel } from "./model";

/** Every bucket a replication configuration reads from or writes to, and the destinations alone. */
function replicationEnds(model: StackModel): { all: Set<PolicyResource>; destinations: Set<PolicyResource> } {
    const all = new Set<PolicyResource>();
    const destinations = new Set<PolicyResource>();
    for (const config of model.of("replication")) {
        const [source] = model.bucketsReferenced(config, "bucket");
        if (source) {
            all.add(source);
        }
        for (const d of model.bucketsReferenced(config, "rules").filter((b) => b !== source)) {
            all.add(d);
            destinations.add(d);
        }
    }
    return { all, destinations };
}

/**
 * Whether one of the lifecycle configurations of a bucket has an enabled rule that expires noncurrent
 * versions; a value not known yet (a preview) counts as yes, to be judged when it is.
 */
function expiresNoncurrentVersions(lifecycles: readonly PolicyResource[]): boolean {
    return lifecycles.some((lc) => {
        const rules = readKnown(() => lc.props.rules);
        if (!rules.known) {
            return true;
        }
        return (
            Array.isArray(rules.value) &&
            rules.value.some((rule: any) => {
                const status = readKnown(() => rule.status);
                const days = readKnown(() => rule.noncurrentVersionExpiration?.noncurrentDays);
                return (!status.known || status.value === "Enabled") && (!days.known || (typeof days.value === "number" && days.value > 0));
            })
        );
    });
}

export const s3NoncurrentVersionExpiration: StackValidationPolicy = {
    name: "s3-replicated-bucket-noncurrent-version-expiration",
    description:
        "Every replicated bucket has a lifecycle rule that expires noncurrent versions: versioning, which replication needs, " +
        "otherwise keeps every overwritten and deleted object forever.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Add a BucketLifecycleConfiguration with an enabled rule { noncurrentVersionExpiration: { noncurrentDays: N } } (and " +
        "expiredObjectDeleteMarker, abortIncompleteMultipartUpload), ordered after the bucket's replication configuration " +
        "(CrrPair: `versionLifecycle`, on by default).",
    tags: controlTags({ securityHub: ["S3.13"], awsConfig: ["s3-lifecycle-policy-check", "s3-version-lifecycle-policy-check"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        for (const bucket of replicationEnds(model).all) {
            // The deprecated inline rules, when the bucket has some and no separate lifecycle resource: not judged
            // here. After a deploy AWS reads back `lifecycleRules: []` for every bucket: an empty list is no rule.
            const inline = read(() => bucket.props.lifecycleRules);
            if (Array.isArray(inline) && inline.length > 0 && model.configOf(bucket, "lifecycle").length === 0) {
                continue;
            }
            if (!expiresNoncurrentVersions(model.configOf(bucket, "lifecycle"))) {
                reportViolation(
                    `Replicated ${label(bucket)} never expires its noncurrent versions: no enabled lifecycle rule sets noncurrentVersionExpiration.`,
                    bucket.urn,
                );
            }
        }
    },
};

/** Whether a plan (its rules known or not) has an enabled continuous-backup rule. */
function hasContinuousRule(plan: PolicyResource): boolean {
    const rules = readKnown(() => plan.props.rules);
    if (!rules.known) {
        return true;
    }
    return (
        Array.isArray(rules.value) &&
        rules.value.some((rule: any) => {
            const continuous = readKnown(() => rule.enableContinuousBackup);
            return !continuous.known || continuous.value === true;
        })
    );
}

export const s3ReplicationPointInTimeBackup: StackValidationPolicy = {
    name: "s3-replication-point-in-time-backup",
    description:
        "Every replication destination is also selected by an AWS Backup plan with continuous backups: replication copies a " +
        "corruption or a deletion within seconds, a point-in-time backup keeps the state before it (AWS DR whitepaper). " +
        "Advisory: a stack may back up elsewhere.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Select the bucket in an aws.backup.Selection (resources: [bucket.arn]) of an aws.backup.Plan with a rule " +
        "{ enableContinuousBackup: true, lifecycle: { deleteAfter: 1-35 } } (CrrPair: `backup: true`), or disable this " +
        "policy when the buckets are backed up outside the stack.",
    tags: controlTags({ awsConfig: ["s3-resources-protected-by-backup-plan"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const protectedBuckets = new Set<PolicyResource>();
        for (const selection of model.of("backupSelection")) {
            const plans = (selection.propertyDependencies.planId ?? []).filter((d) => model.of("backupPlan").includes(d));
            if (plans.length === 0 || plans.some(hasContinuousRule)) {
                model.bucketsReferenced(selection, "resources").forEach((b) => protectedBuckets.add(b));
            }
        }
        for (const bucket of replicationEnds(model).destinations) {
            if (!protectedBuckets.has(bucket)) {
                reportViolation(
                    `Replication destination ${label(bucket)} has no point-in-time backup: no AWS Backup selection with a continuous rule covers it.`,
                    bucket.urn,
                );
            }
        }
    },
};
