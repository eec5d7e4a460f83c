/**
 * Replication that works: for every replication configuration of the stack (a `BucketReplicationConfig`, or
 * the deprecated inline `replicationConfiguration` of a bucket), prove from the resources' values that S3 can
 * carry it out: its role trusts S3 and may do every action the rules need on the exact ARNs, SSE-KMS objects
 * are selected and re-encrypted with a key of the destination's region that the role may use, and a
 * destination in another account grants the role what replication needs.
 *
 * Two policies share one analysis:
 * - `s3-replication-will-work` (mandatory) reports what S3 will certainly do wrong, from known values;
 * - `s3-replication-will-work-unproven` (advisory) reports what cannot be proven even with every value known:
 *   a role, policy, bucket policy or key that this stack does not define, a Deny whose condition may apply.
 * A CrossGuard policy has one enforcement level, hence two policies. Values that are only unknown during a
 * preview (an ARN of a resource about to be created, a policy document built from one) are never guessed at:
 * the advisory policy says, once per configuration, which ones kept it from proving the replication during
 * this preview, and the same items are judged as soon as their values are known (on `pulumi up`, and by
 * `npm run plan`). Never a false mandatory failure from an unknown value.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { unknownActionsNear } from "./actionCatalogue";
import { accountOfArn, Decision, evaluate, ResourceRef } from "./iamEval";
import { asList, bucketNameFromArn, controlTags, isKind, label, modelOf, policyDocument, readKnown, Statement, statementsOf, StackModel } from "./model";

/** S3's actions for live replication ("Setting up permissions for live replication"), by what they act on. */
export const SOURCE_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:ListBucket"] as const;
export const SOURCE_OBJECT_ACTIONS = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"] as const;
/** `s3:ReplicateDelete` only where delete markers are replicated. */
export const DESTINATION_OBJECT_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateTags"] as const;
export const DELETE_MARKER_ACTION = "s3:ReplicateDelete";
export const SOURCE_KEY_ACTION = "kms:Decrypt";
export const REPLICA_KEY_ACTION = "kms:Encrypt";
const S3_PRINCIPAL = "s3.amazonaws.com";

/** What S3 does when the role lacks an action, worst first (the first missing action of a group names it). */
const CONSEQUENCES: [string, (target: string) => string][] = [
    ["s3:GetReplicationConfiguration", () => "S3 cannot read the replication configuration and replicates nothing"],
    ["s3:ListBucket", () => "S3 cannot list the source bucket and replicates nothing"],
    ["s3:GetObjectVersionForReplication", () => "S3 cannot read the source objects and every object fails to replicate"],
    ["s3:GetObjectVersionAcl", () => "S3 cannot read the source objects' ACLs and every object fails to replicate"],
    ["s3:GetObjectVersionTagging", () => "S3 cannot read the source objects' tags and tagged objects fail to replicate"],
    ["s3:ReplicateObject", (t) => `every object fails to replicate to ${t} (OperationsFailedReplication)`],
    ["s3:ReplicateTags", (t) => `objects with tags fail to replicate to ${t}`],
    ["s3:ReplicateDelete", (t) => `delete markers are not replicated to ${t} (DstDelObjNotPermitted)`],
    ["kms:Decrypt", () => "S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate"],
    ["kms:Encrypt", (t) => `S3 cannot encrypt replicas for ${t} and SSE-KMS objects fail to replicate`],
];

function consequence(actions: readonly string[], target: string): string {
    const found = CONSEQUENCES.find(([a]) => actions.includes(a));
    return found ? found[1](target) : "replication fails";
}

export interface Finding {
    readonly kind: "fails" | "unproven";
    readonly message: string;
    readonly urn: string;
}

/** A value that may be unknown during a preview. */
const UNKNOWN = Symbol("unknown");
type Maybe<T> = T | undefined | typeof UNKNOWN;
function known<T>(get: () => T): Maybe<T> {
    const r = readKnown(get);
    return r.known ? r.value : UNKNOWN;
}
const str = (v: Maybe<unknown>): Maybe<string> => (v === UNKNOWN ? UNKNOWN : typeof v === "string" && v !== "" ? v : undefined);

/** One rule, in the terms of both schemas (the split resource's and the deprecated inline one). */
interface RuleSpec {
    readonly id: string;
    /** The key prefix the rule replicates ("" for the whole bucket). */
    readonly prefix: Maybe<string>;
    readonly destination: Maybe<string>;
    readonly account: Maybe<string>;
    readonly deleteMarkers: Maybe<boolean>;
    readonly selectsKms: Maybe<boolean>;
    readonly replicaKey: Maybe<string>;
}

interface ReplicationSpec {
    readonly holder: PolicyResource;
    readonly source?: PolicyResource;
    readonly role: Maybe<string>;
    /** Resources the role value came from. */
    readonly roleDeps: readonly PolicyResource[];
    /** Resources the rules came from (destination buckets, replica keys). */
    readonly ruleDeps: readonly PolicyResource[];
    readonly rules: Maybe<readonly RuleSpec[]>;
}

function prefixOf(rule: any): Maybe<string> {
    const p = known(() => rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix);
    return p === UNKNOWN ? UNKNOWN : typeof p === "string" ? p : "";
}

function splitRule(rule: any, i: number): RuleSpec {
    const filter = known(() => rule.filter);
    const dmr = known(() => rule.deleteMarkerReplication?.status);
    return {
        id: String(known(() => rule.id) ?? `#${i}`),
        prefix: prefixOf(rule),
        destination: str(known(() => rule.destination?.bucket)),
        account: str(known(() => rule.destination?.account)),
        // A rule without a filter is of the V1 schema, under which S3 replicates delete markers.
        deleteMarkers: dmr === UNKNOWN || filter === UNKNOWN ? UNKNOWN : dmr === "Enabled" || filter === undefined,
        selectsKms: ((s) => (s === UNKNOWN ? UNKNOWN : s === "Enabled"))(known(() => rule.sourceSelectionCriteria?.sseKmsEncryptedObjects?.status)),
        replicaKey: str(known(() => rule.destination?.encryptionConfiguration?.replicaKmsKeyId)),
    };
}

function inlineRule(rule: any, i: number): RuleSpec {
    const filter = known(() => rule.filter);
    const dmr = known(() => rule.deleteMarkerReplicationStatus);
    return {
        id: String(known(() => rule.id) ?? `#${i}`),
        prefix: prefixOf(rule),
        destination: str(known(() => rule.destination?.bucket)),
        account: str(known(() => rule.destination?.accountId)),
        deleteMarkers: dmr === UNKNOWN || filter === UNKNOWN ? UNKNOWN : dmr === "Enabled" || filter === undefined,
        selectsKms: ((s) => (s === UNKNOWN ? UNKNOWN : s === true))(known(() => rule.sourceSelectionCriteria?.sseKmsEncryptedObjects?.enabled)),
        replicaKey: str(known(() => rule.destination?.replicaKmsKeyId)),
    };
}

const enabled = (rule: any, inline: boolean) => known(() => rule.status) === "Enabled" || (inline && known(() => rule.status) === UNKNOWN);

/** Every replication configuration of the stack, normalised. */
function replicationsOf(model: StackModel): ReplicationSpec[] {
    const specs: ReplicationSpec[] = [];
    for (const config of model.of("replication")) {
        const rules = known(() => config.props.rules);
        specs.push({
            holder: config,
            source: model.bucketsReferenced(config, "bucket")[0],
            role: str(known(() => config.props.role)),
            roleDeps: config.propertyDependencies.role ?? [],
            ruleDeps: config.propertyDependencies.rules ?? [],
            rules: rules === UNKNOWN ? UNKNOWN : Array.isArray(rules) ? rules.filter((r) => enabled(r, false)).map(splitRule) : [],
        });
    }
    for (const bucket of model.buckets) {
        const inline = known(() => bucket.props.replicationConfiguration);
        if (inline === undefined || inline === null) {
            continue;
        }
        const deps = bucket.propertyDependencies.replicationConfiguration ?? [];
        const rules = inline === UNKNOWN ? UNKNOWN : known(() => (inline as any).rules);
        specs.push({
            holder: bucket,
            source: bucket,
            role: inline === UNKNOWN ? UNKNOWN : str(known(() => (inline as any).role)),
            roleDeps: deps,
            ruleDeps: deps,
            rules: rules === UNKNOWN ? UNKNOWN : Array.isArray(rules) ? rules.filter((r) => enabled(r, true)).map(inlineRule) : [],
        });
    }
    return specs;
}

/** The policy documents that apply to a role: what is known, whether some are unknown, and which are not in the stack. */
interface RolePolicies {
    readonly statements: Statement[];
    readonly holders: Map<Statement, PolicyResource>;
    readonly unknown: boolean;
    /** ARNs of attached policies this stack does not define (AWS managed ones, say). */
    readonly opaque: string[];
}

/** Resolves roles and the documents attached to them, once per stack. */
class IamIndex {
    private readonly cache = new Map<PolicyResource, RolePolicies>();

    constructor(private readonly model: StackModel) {}

    private roleName(role: PolicyResource): string | undefined {
        const n = known(() => role.props.name);
        return typeof n === "string" ? n : undefined;
    }

    /** Per kind and property, the resources that refer to each role: by dependency, else by literal name or ARN. */
    private readonly referrers = new Map<string, Map<PolicyResource | string, PolicyResource[]>>();

    private referring(kind: "rolePolicy" | "rolePolicyAttachment" | "policyAttachment", prop: string, role: PolicyResource): PolicyResource[] {
        let index = this.referrers.get(kind);
        if (index === undefined) {
            index = new Map();
            const add = (key: PolicyResource | string, r: PolicyResource) => index!.set(key, [...(index!.get(key) ?? []), r]);
            for (const r of this.model.of(kind)) {
                const roles = (r.propertyDependencies[prop] ?? []).filter((d) => isKind(d, "role"));
                if (roles.length > 0) {
                    roles.forEach((d) => add(d, r));
                    continue;
                }
                for (const v of asList(known(() => r.props[prop]) as string | string[] | undefined)) {
                    if (typeof v === "string") {
                        add(v.slice(v.lastIndexOf("/") + 1), r); // a name, or the name at the end of an ARN
                    }
                }
            }
            this.referrers.set(kind, index);
        }
        const name = this.roleName(role);
        return [...new Set([...(index.get(role) ?? []), ...(name !== undefined ? (index.get(name) ?? []) : [])])];
    }

    /** The stack's role a configuration names: by dependency, else by ARN or name. */
    roleOf(spec: ReplicationSpec): PolicyResource | undefined {
        const byDep = spec.roleDeps.filter((d) => isKind(d, "role"));
        if (byDep.length === 1) {
            return byDep[0];
        }
        const value = spec.role;
        if (typeof value !== "string") {
            return undefined;
        }
        return this.model.of("role").find((role) => {
            const arn = known(() => role.props.arn);
            const name = this.roleName(role);
            return arn === value || (name !== undefined && value.endsWith(`:role/${name}`)) || (name !== undefined && value.endsWith(`/${name}`));
        });
    }

    /** Stack policies (`aws:iam/policy:Policy`) an attachment's `policyArn` names, or the ARN when none. */
    private managed(r: PolicyResource, prop: string, value: unknown): PolicyResource | string | typeof UNKNOWN {
        const dep = (r.propertyDependencies[prop] ?? []).find((d) => isKind(d, "managedPolicy"));
        if (dep) {
            return dep;
        }
        if (typeof value !== "string") {
            return UNKNOWN;
        }
        const stack = this.model.of("managedPolicy").find((p) => known(() => p.props.arn) === value || value.endsWith(`:policy/${String(known(() => p.props.name))}`));
        return stack ?? value;
    }

    policiesOf(role: PolicyResource): RolePolicies {
        const cached = this.cache.get(role);
        if (cached) {
            return cached;
        }
        const holders = new Map<Statement, PolicyResource>();
        const statements: Statement[] = [];
        const opaque: string[] = [];
        let unknown = false;
        const add = (holder: PolicyResource, doc: Maybe<unknown>) => {
            if (doc === UNKNOWN) {
                unknown = true;
                return;
            }
            for (const s of statementsOf(policyDocument(doc))) {
                statements.push(s);
                holders.set(s, holder);
            }
        };
        const addManaged = (m: PolicyResource | string | typeof UNKNOWN) => {
            if (m === UNKNOWN) {
                unknown = true;
            } else if (typeof m === "string") {
                opaque.push(m);
            } else {
                add(m, known(() => m.props.policy));
            }
        };
        const inline = known(() => role.props.inlinePolicies);
        if (inline === UNKNOWN) {
            unknown = true;
        } else if (Array.isArray(inline)) {
            inline.forEach((p: any) => add(role, known(() => p.policy)));
        }
        const arns = known(() => role.props.managedPolicyArns);
        if (arns === UNKNOWN) {
            unknown = true;
        } else if (Array.isArray(arns)) {
            arns.forEach((a) => addManaged(this.managed(role, "managedPolicyArns", a)));
        }
        for (const p of this.referring("rolePolicy", "role", role)) {
            add(p, known(() => p.props.policy));
        }
        for (const a of this.referring("rolePolicyAttachment", "role", role)) {
            addManaged(this.managed(a, "policyArn", known(() => a.props.policyArn)));
        }
        for (const a of this.referring("policyAttachment", "roles", role)) {
            addManaged(this.managed(a, "policyArn", known(() => a.props.policyArn)));
        }
        const result = { statements, holders, unknown, opaque };
        this.cache.set(role, result);
        return result;
    }
}

/** The account a resource's provider is pinned to (`allowedAccountIds`, or the account of the role it assumes). */
function providerAccount(r: PolicyResource | undefined): string | undefined {
    const props = r?.provider?.props;
    if (!props) {
        return undefined;
    }
    const allowed = known(() => props.allowedAccountIds);
    if (Array.isArray(allowed) && allowed.length === 1) {
        return String(allowed[0]);
    }
    const assumed = known(() => props.assumeRoles?.[0]?.roleArn ?? props.assumeRole?.roleArn);
    return typeof assumed === "string" ? accountOfArn(assumed) : undefined;
}

const describeResource = (r: ResourceRef) => ("exact" in r ? r.exact : `${r.prefix}*`);

/** The KMS key ARN a value names, with its region; `undefined` when it is not a key or alias ARN. */
function kmsArn(value: string): { region: string; account: string; isAlias: boolean } | undefined {
    const m = /^arn:[^:]+:kms:([^:]+):(\d{12}):(key|alias)\//.exec(value);
    return m ? { region: m[1], account: m[2], isAlias: m[3] === "alias" } : undefined;
}

/** Default-encryption facts of a source bucket: whether it is SSE-KMS, and with which key. */
function sourceEncryption(model: StackModel, bucket: PolicyResource): { kms: Maybe<boolean>; key: Maybe<string>; keyResource?: PolicyResource } {
    const split = model.configOf(bucket, "encryption");
    const rulesOf = (holder: PolicyResource, get: () => unknown) => {
        const r = known(get);
        if (r === UNKNOWN) {
            return { kms: UNKNOWN, key: UNKNOWN } as const;
        }
        const rules: any[] = Array.isArray(r) ? r : r ? [r] : [];
        const kmsRule = rules.find((rule) => String(known(() => rule.applyServerSideEncryptionByDefault.sseAlgorithm)).startsWith("aws:kms"));
        if (!kmsRule) {
            return { kms: false, key: undefined } as const;
        }
        const keyResource = (holder.propertyDependencies.rules ?? holder.propertyDependencies.serverSideEncryptionConfiguration ?? []).find((d) => isKind(d, "kmsKey"));
        return { kms: true, key: str(known(() => kmsRule.applyServerSideEncryptionByDefault.kmsMasterKeyId)), keyResource } as const;
    };
    if (split.length > 0) {
        return rulesOf(split[0], () => split[0].props.rules);
    }
    return rulesOf(bucket, () => bucket.props.serverSideEncryptionConfiguration?.rule);
}

const nameIndexes = new WeakMap<StackModel, Map<string, PolicyResource>>();

/** The stack's buckets by their known physical name. */
function bucketsByName(model: StackModel): Map<string, PolicyResource> {
    let index = nameIndexes.get(model);
    if (index === undefined) {
        index = new Map();
        for (const b of model.buckets) {
            const name = model.bucketName(b);
            if (name !== undefined && !index.has(name)) {
                index.set(name, b);
            }
        }
        nameIndexes.set(model, index);
    }
    return index;
}

/** The analysis both policies report from. */
async function analyse(model: StackModel): Promise<Finding[]> {
    const findings: Finding[] = [];
    const iam = new IamIndex(model);
    for (const spec of replicationsOf(model)) {
        await analyseOne(model, iam, spec, findings);
    }
    return findings;
}

async function analyseOne(model: StackModel, iam: IamIndex, spec: ReplicationSpec, findings: Finding[]): Promise<void> {
    const what = isKind(spec.holder, "replication") ? label(spec.holder) : `The inline replicationConfiguration of ${label(spec.holder)}`;
    const urn = spec.holder.urn;
    // What could not be judged because its value is not known yet (a preview): reported once, after the rest.
    const pending = new Set<string>();
    await analyseKnown(model, iam, spec, findings, what, urn, pending);
    if (pending.size > 0) {
        findings.push({
            kind: "unproven",
            message:
                `${what}: not proven during this preview, because ${[...pending].join(", ")} cannot be read until the ` +
                "resources they are built from exist. S3's needs are checked again when the values are known " +
                "(pulumi up, or npm run plan offline); nothing to fix now.",
            urn,
        });
    }
}

async function analyseKnown(
    model: StackModel,
    iam: IamIndex,
    spec: ReplicationSpec,
    findings: Finding[],
    what: string,
    urn: string,
    pending: Set<string>,
): Promise<void> {
    const fail = (message: string) => findings.push({ kind: "fails", message: `${what}: ${message}`, urn });
    const unproven = (message: string) => findings.push({ kind: "unproven", message: `${what}: ${message}`, urn });
    const rules = spec.rules;
    if (rules === UNKNOWN) {
        pending.add("its rules");
        return;
    }
    if (rules === undefined || rules.length === 0) {
        return;
    }
    const source = spec.source;
    const sourceName = source ? model.bucketName(source) : undefined;
    const sourceArnValue = source ? known(() => source.props.arn) : undefined;
    const sourceArn = typeof sourceArnValue === "string" ? sourceArnValue : sourceName ? `arn:aws:s3:::${sourceName}` : undefined;
    const partition = /^arn:([^:]+):/.exec(sourceArn ?? "")?.[1] ?? "aws";

    // Which destination bucket of the stack a rule writes to: by name in its ARN, else the only one referenced.
    const destinationBuckets = spec.ruleDeps.filter((d) => isKind(d, "bucket") && d !== source);
    const destinationOf = (rule: RuleSpec): PolicyResource | undefined => {
        if (typeof rule.destination === "string") {
            const byName = bucketsByName(model).get(bucketNameFromArn(rule.destination) ?? "");
            if (byName) {
                return byName;
            }
        }
        return destinationBuckets.length === 1 || rules.length === 1 ? destinationBuckets[0] : undefined;
    };
    const destinationArnOf = (rule: RuleSpec, bucket: PolicyResource | undefined): string | undefined => {
        if (typeof rule.destination === "string") {
            return rule.destination;
        }
        const name = bucket ? model.bucketName(bucket) : undefined;
        return name ? `arn:${partition}:s3:::${name}` : undefined;
    };

    // --- SSE-KMS: selection, replica key, its region (no role needed to judge these) ---
    const encryption = source ? sourceEncryption(model, source) : { kms: undefined, key: undefined };
    const selecting = rules.find((r) => r.selectsKms === true);
    const kmsWanted = encryption.kms === true || selecting !== undefined;
    for (const rule of rules) {
        const destination = destinationOf(rule);
        const target = destination ? label(destination) : typeof rule.destination === "string" ? rule.destination : "its destination";
        if (kmsWanted && rule.selectsKms === false) {
            const why =
                encryption.kms === true && source
                    ? `${label(source)} encrypts new objects with SSE-KMS by default`
                    : `rule '${selecting!.id}' replicates SSE-KMS objects, so the bucket holds them`;
            fail(
                `rule '${rule.id}' does not select SSE-KMS objects while ${why}: objects encrypted with SSE-KMS will not be ` +
                    `replicated to ${target}. Fix: set sourceSelectionCriteria.sseKmsEncryptedObjects.status to "Enabled" on rule ` +
                    `'${rule.id}' and name a replica key in destination.encryptionConfiguration.replicaKmsKeyId.`,
            );
        } else if (!kmsWanted && rule.selectsKms === false && typeof rule.replicaKey === "string") {
            fail(
                `rule '${rule.id}' names a replica key but does not select SSE-KMS objects: S3 rejects the configuration. ` +
                    `Fix: set sourceSelectionCriteria.sseKmsEncryptedObjects.status to "Enabled" on rule '${rule.id}', or remove ` +
                    "destination.encryptionConfiguration.",
            );
        }
        if (rule.selectsKms !== true) {
            continue;
        }
        const destinationRegion = destination ? model.regionOf(destination) : undefined;
        if (rule.replicaKey === undefined) {
            fail(
                `rule '${rule.id}' selects SSE-KMS objects but names no replica key: S3 rejects the configuration, and no ` +
                    `SSE-KMS object is replicated to ${target}. Fix: set destination.encryptionConfiguration.replicaKmsKeyId ` +
                    `to the ARN of a KMS key in ${destinationRegion ?? "the destination bucket's region"}.`,
            );
            continue;
        }
        // The key's region: from its ARN, else from the one key resource the rules were built from.
        const keyResources = spec.ruleDeps.filter((d) => isKind(d, "kmsKey"));
        const parsed = typeof rule.replicaKey === "string" ? kmsArn(rule.replicaKey) : undefined;
        const keyResource =
            typeof rule.replicaKey === "string"
                ? model.of("kmsKey").find((k) => known(() => k.props.arn) === rule.replicaKey)
                : rules.length === 1 && keyResources.length === 1
                  ? keyResources[0]
                  : undefined;
        const keyRegion = parsed?.region ?? (keyResource ? model.regionOf(keyResource) : undefined);
        const keyText = typeof rule.replicaKey === "string" ? `'${rule.replicaKey}'` : keyResource ? label(keyResource) : "";
        if (typeof rule.replicaKey === "string" && parsed === undefined && keyResource === undefined) {
            unproven(
                `could not prove that rule '${rule.id}''s replica key '${rule.replicaKey}' is in the region of ${target}: ` +
                    "it is not a KMS key ARN. Fix: name the key by its ARN (arn:aws:kms:<region>:<account>:key/<id>).",
            );
        } else if (keyRegion && destinationRegion && keyRegion !== destinationRegion) {
            fail(
                `rule '${rule.id}' encrypts replicas with key ${keyText} of ${keyRegion}, but ${target} is in ` +
                    `${destinationRegion}: KMS keys are regional, so S3 cannot encrypt the replicas and SSE-KMS objects fail to ` +
                    `replicate. Fix: set replicaKmsKeyId to the ARN of a KMS key in ${destinationRegion}.`,
            );
        } else if (keyRegion && !destinationRegion && destination === undefined) {
            unproven(
                `could not prove that rule '${rule.id}''s replica key (in ${keyRegion}) is in its destination's region: ` +
                    `the destination ${target} is not a bucket of this stack.`,
            );
        }
    }

    // --- The role: one of this stack, trusted by S3 ---
    const role = iam.roleOf(spec);
    if (!role) {
        if (typeof spec.role === "string") {
            unproven(
                `could not prove that S3 can replicate: its role '${spec.role}' is not a role of this stack, so its trust ` +
                    "and permissions cannot be read. Fix: manage the replication role in this stack.",
            );
        }
        return;
    }
    const roleArnValue = typeof spec.role === "string" ? spec.role : known(() => role.props.arn);
    const roleArn = typeof roleArnValue === "string" ? roleArnValue : undefined;
    const trust = known(() => role.props.assumeRolePolicy);
    if (trust === UNKNOWN) {
        pending.add(`the trust policy of ${label(role)}`);
    } else {
        const statements = statementsOf(policyDocument(trust));
        const namesS3 = (s: Statement) => {
            const p = s.Principal as any;
            return p === "*" || asList(p?.Service).includes(S3_PRINCIPAL) || asList(p?.AWS).includes("*");
        };
        const assumes = (s: Statement) => asList(s.Action).some((a) => /^sts:(AssumeRole|\*)$|^\*$/i.test(a));
        const allowed = statements.some((s) => s.Effect === "Allow" && namesS3(s) && assumes(s));
        const denied = statements.some((s) => s.Effect === "Deny" && namesS3(s) && assumes(s));
        if (!allowed || denied) {
            fail(
                `S3 cannot assume ${label(role)}: its trust policy does not let ${S3_PRINCIPAL} call sts:AssumeRole, so nothing ` +
                    "is replicated (AssumeRoleNotPermitted). Fix: set its assumeRolePolicy to allow the service principal " +
                    `"${S3_PRINCIPAL}" the action "sts:AssumeRole".`,
            );
        }
    }

    const policies = iam.policiesOf(role);
    let catalogueHints: ((missing: readonly string[]) => Promise<string>) | undefined;
    const hintFor = async (missing: readonly string[]) => {
        catalogueHints ??= async (m) => {
            const near = await unknownActionsNear(policies.statements, m);
            return near.length === 0
                ? ""
                : ` (${near.map(([wrong, right]) => `'${wrong}' in its policies is not an IAM action: did you mean '${right}'?`).join(" ")})`;
        };
        return catalogueHints(missing);
    };

    /** Checks `actions` on `resource` for the role's own policies; reports per outcome. */
    const require = async (actions: readonly string[], resource: ResourceRef, target: string) => {
        const missing: string[] = [];
        const opaque: string[] = [];
        // Denied actions grouped by the statement that denies them, in the order first met.
        const denied = new Map<Statement, string[]>();
        const maybeDenied = new Map<Statement, string[]>();
        for (const action of actions) {
            const d: Decision = evaluate(policies.statements, { action, resource });
            if (d.effect === "deny") {
                denied.set(d.by, [...(denied.get(d.by) ?? []), action]);
            } else if (d.effect === "conditionalDeny") {
                maybeDenied.set(d.by, [...(maybeDenied.get(d.by) ?? []), action]);
            } else if (d.effect === "implicitDeny" && !policies.unknown) {
                (policies.opaque.length > 0 ? opaque : missing).push(action);
            } else if (d.effect === "implicitDeny") {
                pending.add(`the policy documents of ${label(role)}`);
            }
        }
        const res = describeResource(resource);
        for (const [statement, names] of denied) {
            const holder = policies.holders.get(statement)!;
            fail(
                `${label(holder)} denies ${label(role)} ${names.join(", ")} on ${res}` +
                    `${statement.Sid ? ` (statement '${statement.Sid}')` : ""}, and an explicit Deny overrides every Allow: ` +
                    `${consequence(names, target)}. Fix: remove ${names.join(", ")} from that Deny statement, or exclude ` +
                    `"${res}" from its Resource.`,
            );
        }
        for (const [statement, names] of maybeDenied) {
            const holder = policies.holders.get(statement)!;
            unproven(
                `could not prove that ${label(role)} may ${names.join(", ")} on ${res}: ${label(holder)} denies ` +
                    `${names.length > 1 ? "them" : "it"} under a condition${statement.Sid ? ` (statement '${statement.Sid}')` : ""} ` +
                    "that S3's requests may meet. Fix: exclude the replication role or these actions from that Deny.",
            );
        }
        if (missing.length > 0) {
            const quoted = missing.map((a) => `"${a}"`).join(", ");
            fail(
                `${label(role)} may not ${missing.join(", ")} on ${describeResource(resource)}: ${consequence(missing, target)}.` +
                    `${await hintFor(missing)} Fix: allow ${quoted} on "${describeResource(resource)}" in a policy of ${label(role)}.`,
            );
        }
        if (opaque.length > 0) {
            unproven(
                `could not prove that ${label(role)} may ${opaque.join(", ")} on ${describeResource(resource)}: no policy of this ` +
                    `stack allows it, and ${policies.opaque.map((a) => `'${a}'`).join(", ")} is not defined in this stack. Fix: grant ` +
                    "these actions in a policy of this stack.",
            );
        }
    };

    // --- The actions each rule needs, on exact ARNs ---
    const sourceLabel = source ? label(source) : "the source bucket";
    if (sourceArn) {
        await require(SOURCE_BUCKET_ACTIONS, { exact: sourceArn }, sourceLabel);
    }
    for (const rule of rules) {
        const destination = destinationOf(rule);
        const destinationArn = destinationArnOf(rule, destination);
        const target = destination ? label(destination) : (destinationArn ?? "its destination");
        if (sourceArn && typeof rule.prefix === "string") {
            await require(SOURCE_OBJECT_ACTIONS, { prefix: `${sourceArn}/${rule.prefix}` }, sourceLabel);
        }
        if (destinationArn && typeof rule.prefix === "string" && rule.deleteMarkers !== UNKNOWN) {
            const needed = [...DESTINATION_OBJECT_ACTIONS, ...(rule.deleteMarkers ? [DELETE_MARKER_ACTION] : [])];
            const objects: ResourceRef = { prefix: `${destinationArn}/${rule.prefix}` };
            await require(needed, objects, target);
            await crossAccount(model, rule, destination, needed, objects, role, roleArn, source, fail, unproven, pending);
        }
        if (rule.selectsKms === true) {
            if (encryption.kms === true && typeof encryption.key === "string" && kmsArn(encryption.key)?.isAlias === false) {
                await require([SOURCE_KEY_ACTION], { exact: encryption.key }, sourceLabel);
            }
            if (typeof rule.replicaKey === "string" && kmsArn(rule.replicaKey)) {
                const parsed = kmsArn(rule.replicaKey)!;
                // An alias ARN names no key: IAM evaluates KMS requests against the key's own ARN.
                const resource: ResourceRef = parsed.isAlias
                    ? { prefix: `arn:${partition}:kms:${parsed.region}:${parsed.account}:key/` }
                    : { exact: rule.replicaKey };
                await require([REPLICA_KEY_ACTION], resource, target);
            }
        }
    }
}

/** Cross-account destinations: the destination's bucket policy must grant the source role the replication actions. */
async function crossAccount(
    model: StackModel,
    rule: RuleSpec,
    destination: PolicyResource | undefined,
    needed: readonly string[],
    objects: ResourceRef,
    role: PolicyResource,
    roleArn: string | undefined,
    source: PolicyResource | undefined,
    fail: (m: string) => void,
    unproven: (m: string) => void,
    pending: Set<string>,
): Promise<void> {
    const sourceAccount = (roleArn ? accountOfArn(roleArn) : undefined) ?? providerAccount(source);
    const destinationAccount = typeof rule.account === "string" ? rule.account : providerAccount(destination);
    if (!roleArn || !sourceAccount || !destinationAccount || sourceAccount === destinationAccount) {
        return;
    }
    if (!destination) {
        unproven(
            `could not prove that rule '${rule.id}''s destination in account ${destinationAccount} lets ${label(role)} replicate ` +
                "into it: the destination bucket and its policy are not in this stack.",
        );
        return;
    }
    const documents = [...model.configOf(destination, "bucketPolicy").map((p) => [p, known(() => p.props.policy)] as const), [destination, known(() => destination.props.policy)] as const];
    if (documents.some(([, d]) => d === UNKNOWN)) {
        pending.add(`the bucket policy of ${label(destination)}`);
        return;
    }
    const holders = new Map<Statement, PolicyResource>();
    const statements = documents.flatMap(([holder, d]) =>
        statementsOf(policyDocument(d)).map((s) => {
            holders.set(s, holder);
            return s;
        }),
    );
    const missing = needed.filter((action) => evaluate(statements, { action, resource: objects, principal: roleArn }).effect !== "allow");
    if (missing.length > 0) {
        const res = describeResource(objects);
        fail(
            `${label(destination)} belongs to account ${destinationAccount}, and its bucket policy does not grant ${label(role)} ` +
                `(account ${sourceAccount}) ${missing.join(", ")} on ${res}: ${consequence(missing, label(destination))}. Fix: add ` +
                `to ${label(destination)}'s bucket policy an Allow for principal { AWS: "${roleArn}" } of ` +
                `${missing.map((a) => `"${a}"`).join(", ")} on "${res}".`,
        );
    }
}

const analyses = new WeakMap<readonly PolicyResource[], Promise<Finding[]>>();

/** The findings over one resources array (see {@link modelOf}), computed once however often asked. */
export function replicationFindings(resources: readonly PolicyResource[]): Promise<Finding[]> {
    let found = analyses.get(resources);
    if (found === undefined) {
        found = analyse(modelOf(resources));
        analyses.set(resources, found);
    }
    return found;
}

const CONTROLS = controlTags({ checkov: ["CKV_AWS_144"], securityHub: ["S3.7"], awsConfig: ["s3-bucket-replication-enabled"] });

export const s3ReplicationWillWork: StackValidationPolicy = {
    name: "s3-replication-will-work",
    description:
        "Every replication configuration can be carried out by S3: its role is trusted by s3.amazonaws.com and may do " +
        "every action its rules need on the exact ARNs (no explicit Deny removes one), SSE-KMS objects are selected and " +
        "re-encrypted with a key of the destination's region that the role may use, and a destination in another " +
        "account grants the role the replication actions in its bucket policy.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Do what the message says: allow the named actions on the named ARN in the replication role's policy " +
        "(s3:GetReplicationConfiguration and s3:ListBucket on the source bucket, s3:GetObjectVersionForReplication/Acl/Tagging " +
        "on its objects, s3:ReplicateObject/Tags, and s3:ReplicateDelete with delete-marker replication, on each destination's " +
        "objects), select SSE-KMS objects and name a replica key of the destination's region, grant kms:Decrypt on the " +
        "source key and kms:Encrypt on each replica key.",
    tags: CONTROLS,
    validateStack: async (args, reportViolation) => {
        for (const f of await replicationFindings(args.resources)) {
            if (f.kind === "fails") {
                reportViolation(f.message, f.urn);
            }
        }
    },
};

export const s3ReplicationWillWorkUnproven: StackValidationPolicy = {
    name: "s3-replication-will-work-unproven",
    description:
        "Names what s3-replication-will-work could not prove even with every value known: a replication role, attached " +
        "policy, destination bucket or key that this stack does not define, or a Deny whose condition may apply to S3.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Define the replication role, its policies and (for cross-account replication) the destination bucket policy in " +
        "the stack, name KMS keys by ARN, and avoid conditional Deny statements on the replication actions.",
    tags: CONTROLS,
    validateStack: async (args, reportViolation) => {
        for (const f of await replicationFindings(args.resources)) {
            if (f.kind === "unproven") {
                reportViolation(f.message, f.urn);
            }
        }
    },
};
