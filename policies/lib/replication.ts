/** Safe replication: prerequisites and ordering, both directions of a pair, least-privilege roles. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { asList, controlTags, isKind, label, modelOf, policyDocument, read, readKnown, statementsOf, StackModel } from "./model";

/** Source bucket and destination buckets of a replication configuration. */
function endsOf(model: StackModel, config: PolicyResource): { source?: PolicyResource; destinations: PolicyResource[] } {
    const [source] = model.bucketsReferenced(config, "bucket");
    const destinations = model.bucketsReferenced(config, "rules").filter((b) => b !== source);
    return { source, destinations };
}

export const s3ReplicationPrerequisites: StackValidationPolicy = {
    name: "s3-replication-prerequisites",
    description:
        "Every BucketReplicationConfig has versioning Enabled on its source and destination buckets and is ordered " +
        "after both versioning resources (S3 rejects a configuration whose destination is not yet versioned); it names " +
        "a role; every rule is enabled and states delete-marker replication; the destination is in another region.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Enable versioning on both buckets and pass both BucketVersioning resources (and the role's policy) in the " +
        "configuration's `dependsOn`; set `role`, `status: \"Enabled\"` and `deleteMarkerReplication: { status: ... }` on " +
        "every rule; replicate to a bucket in a different region.",
    tags: controlTags({ checkov: ["CKV_AWS_144"], securityHub: ["S3.7"], awsConfig: ["s3-bucket-replication-enabled"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        for (const config of model.of("replication")) {
            const { source, destinations } = endsOf(model, config);
            const what = label(config);
            const ends: [string, PolicyResource | undefined][] = [
                ["source", source],
                ...destinations.map((d): [string, PolicyResource] => ["destination", d]),
            ];
            if (destinations.length === 0 && readKnown(() => config.props.rules).known) {
                reportViolation(`${what}: no destination bucket of this stack could be identified in its rules.`, config.urn);
            }
            for (const [role, bucket] of ends) {
                if (!bucket) {
                    continue;
                }
                const { status, by } = model.versioning(bucket);
                if (status !== "Enabled" && status !== "unknown") {
                    reportViolation(`${what}: its ${role} ${label(bucket)} has versioning ${status}; replication needs Enabled.`, config.urn);
                }
                for (const versioning of by) {
                    if (!model.dependsOn(config, versioning)) {
                        reportViolation(
                            `${what} does not depend on ${label(versioning)} (versioning of its ${role} ${label(bucket)}): ` +
                                "add it to dependsOn, or S3 may reject the configuration before versioning is in place.",
                            config.urn,
                        );
                    }
                }
            }
            const roleArn = readKnown(() => config.props.role);
            if (roleArn.known && (typeof roleArn.value !== "string" || roleArn.value === "")) {
                reportViolation(`${what} names no IAM role for S3 to assume.`, config.urn);
            }
            const rules = read(() => config.props.rules);
            if (Array.isArray(rules)) {
                rules.forEach((rule: any, i: number) => {
                    const id = read(() => rule.id) ?? `#${i}`;
                    const status = readKnown(() => rule.status);
                    if (status.known && status.value !== "Enabled") {
                        reportViolation(`${what}: rule '${id}' is ${String(status.value)}; every rule must be Enabled.`, config.urn);
                    }
                    const dmr = readKnown(() => rule.deleteMarkerReplication?.status);
                    if (dmr.known && dmr.value !== "Enabled" && dmr.value !== "Disabled") {
                        reportViolation(
                            `${what}: rule '${id}' does not state deleteMarkerReplication (Enabled or Disabled).`,
                            config.urn,
                        );
                    }
                });
            }
            const sourceRegion = source ? model.regionOf(source) : undefined;
            for (const destination of destinations) {
                const region = model.regionOf(destination);
                if (sourceRegion && region && sourceRegion === region) {
                    reportViolation(
                        `${what}: destination ${label(destination)} is in the source's region (${region}); ` +
                            "cross-region replication needs another region.",
                        config.urn,
                    );
                }
            }
        }
    },
};

export const s3BidirectionalPairs: StackValidationPolicy = {
    name: "s3-bidirectional-pairs",
    description:
        "Within each CrrPair, every replication direction has its reverse: the pair's buckets replicate both ways; within " +
        "each CrrMesh, every replicated bucket replicates to every other.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Give every bucket of the pair a BucketReplicationConfig whose rule replicates to the other bucket " +
        "(CrrPair creates both; do not remove or transform one away).",
    tags: controlTags({ checkov: ["CKV_AWS_144"], securityHub: ["S3.7"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const edgesByPair = new Map<PolicyResource, [PolicyResource, PolicyResource][]>();
        for (const pair of model.of("crrPair")) {
            edgesByPair.set(pair, []);
        }
        for (const config of model.of("replication")) {
            const pair = model.ancestor(config, "crrPair");
            const { source, destinations } = endsOf(model, config);
            if (pair && source) {
                edgesByPair.get(pair)!.push(...destinations.map((d): [PolicyResource, PolicyResource] => [source, d]));
            }
        }
        const meshEdges = new Map<PolicyResource, [PolicyResource, PolicyResource][]>(model.of("crrMesh").map((m) => [m, []]));
        for (const config of model.of("replication")) {
            const mesh = model.ancestor(config, "crrMesh");
            const { source, destinations } = endsOf(model, config);
            if (mesh && source) {
                meshEdges.get(mesh)!.push(...destinations.map((d): [PolicyResource, PolicyResource] => [source, d]));
            }
        }
        for (const [mesh, edges] of meshEdges) {
            const buckets = [...new Set(edges.flat())];
            if (buckets.length < 2) {
                reportViolation(`${label(mesh)} replicates fewer than two buckets.`, mesh.urn);
                continue;
            }
            for (const from of buckets) {
                for (const to of buckets.filter((b) => b !== from && !edges.some(([f, t]) => f === from && t === b))) {
                    reportViolation(
                        `${label(mesh)} does not replicate ${label(from)} to ${label(to)}: a mesh replicates every side to every other.`,
                        mesh.urn,
                    );
                }
            }
        }
        for (const [pair, edges] of edgesByPair) {
            const replicated = new Set(edges.flat());
            if (edges.length === 0) {
                reportViolation(`${label(pair)} has no replication configuration at all.`, pair.urn);
                continue;
            }
            for (const [from, to] of edges) {
                if (!edges.some(([f, t]) => f === to && t === from)) {
                    reportViolation(
                        `${label(pair)} replicates ${label(from)} to ${label(to)} but not back: the reverse direction is missing.`,
                        pair.urn,
                    );
                }
            }
            if (replicated.size < 2) {
                reportViolation(`${label(pair)} replicates fewer than two buckets.`, pair.urn);
            }
        }
    },
};

/** Principals of a trust policy's Allow statements, as "Service:x" / "AWS:y" / "*". */
export function trustedPrincipals(doc: unknown): string[] {
    return statementsOf(policyDocument(doc))
        .filter((s) => s.Effect === "Allow")
        .flatMap((s) => {
            const p = s.Principal as any;
            if (p === "*") {
                return ["*"];
            }
            return Object.entries(p ?? {}).flatMap(([kind, ids]) => asList(ids as string | string[]).map((id) => `${kind}:${id}`));
        });
}

/** Wildcards in the statements' actions and resources ("*" resources, or a "*" in a bucket name). */
export function wildcards(doc: unknown): string[] {
    const problems: string[] = [];
    for (const s of statementsOf(policyDocument(doc)).filter((st) => st.Effect === "Allow")) {
        for (const action of asList(s.Action)) {
            if (action.includes("*")) {
                problems.push(`action '${action}'`);
            }
        }
        if (s.NotAction !== undefined) {
            problems.push("NotAction");
        }
        for (const resource of asList(s.Resource)) {
            const bucketPart = /^arn:[^:]+:s3:::([^/]*)/.exec(resource)?.[1];
            if (resource === "*" || (bucketPart !== undefined && bucketPart.includes("*"))) {
                problems.push(`resource '${resource}'`);
            }
        }
    }
    return problems;
}

export const replicationRoleLeastPrivilege: StackValidationPolicy = {
    name: "replication-role-least-privilege",
    description:
        "Every role a BucketReplicationConfig uses is trusted by s3.amazonaws.com only, and its policies grant no " +
        "wildcard action and no wildcard resource (exact bucket ARNs, `<bucket-arn>/*` for objects).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Trust only the service principal s3.amazonaws.com; grant s3:GetReplicationConfiguration and s3:ListBucket on " +
        "the source bucket ARN, s3:GetObjectVersionForReplication/Acl/Tagging on <source-arn>/*, and " +
        "s3:ReplicateObject/Delete/Tags on <destination-arn>/*.",
    tags: controlTags({ checkov: ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_355"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const roles = new Set(model.of("replication").flatMap((c) => (c.propertyDependencies.role ?? []).filter((d) => isKind(d, "role"))));
        const byRole = (kind: "rolePolicy" | "rolePolicyAttachment") => {
            const index = new Map<PolicyResource, PolicyResource[]>();
            for (const r of model.of(kind)) {
                for (const role of r.propertyDependencies.role ?? []) {
                    index.set(role, [...(index.get(role) ?? []), r]);
                }
            }
            return index;
        };
        const rolePolicies = byRole("rolePolicy");
        const attachments = byRole("rolePolicyAttachment");
        for (const role of roles) {
            const trust = readKnown(() => role.props.assumeRolePolicy);
            if (trust.known) {
                const principals = trustedPrincipals(trust.value);
                const others = principals.filter((p) => p !== "Service:s3.amazonaws.com");
                if (principals.length === 0 || others.length > 0) {
                    reportViolation(
                        `${label(role)} is a replication role trusted by ${others.length ? others.join(", ") : "nobody"}; ` +
                            "only s3.amazonaws.com may assume it.",
                        role.urn,
                    );
                }
            }
            const documents: [PolicyResource, unknown][] = [];
            for (const p of rolePolicies.get(role) ?? []) {
                const doc = readKnown(() => p.props.policy);
                if (doc.known) {
                    documents.push([p, doc.value]);
                }
            }
            for (const inline of read(() => role.props.inlinePolicies) ?? []) {
                const doc = read(() => (inline as any).policy);
                if (doc !== undefined) {
                    documents.push([role, doc]);
                }
            }
            for (const attachment of attachments.get(role) ?? []) {
                for (const managed of (attachment.propertyDependencies.policyArn ?? []).filter((d) => isKind(d, "managedPolicy"))) {
                    const doc = readKnown(() => managed.props.policy);
                    if (doc.known) {
                        documents.push([managed, doc.value]);
                    }
                }
            }
            for (const [holder, doc] of documents) {
                const found = wildcards(doc);
                if (found.length > 0) {
                    reportViolation(
                        `${label(holder)} of replication ${label(role)} grants wildcards: ${found.join(", ")}.`,
                        holder.urn,
                    );
                }
            }
        }
    },
};
