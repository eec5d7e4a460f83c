/**
 * Replication that works: for every replication configuration of the stack (a `BucketReplicationConfig`, or
 * the deprecated inline `replicationConfiguration` of a bucket), prove from the resources' values that S3
 * accepts it and can carry it out, category by category:
 * - deploy time: the shape rules of PutBucketReplication ({@link shapeProblems}, one table);
 * - SSE-KMS: objects selected, a replica key of the destination's region, keys KMS will use (enabled,
 *   symmetric, an `aws/s3` key only in its own account);
 * - Object Lock: a destination with Object Lock for a source with it;
 * - the role: S3 may assume it (its trust policy's conditions included), and every request S3 makes with it
 *   is allowed by IAM as IAM decides ({@link authorize}): identity policies within the permissions boundary,
 *   the source's and destinations' bucket policies (their Denies, and their Allows naming the role), the key
 *   policies (which must allow, directly or through the account-root statement), with every condition
 *   evaluated on the keys S3's requests carry ({@link req}), the owner override and Object Lock's reads
 *   included.
 *
 * Two policies share one analysis:
 * - `s3-replication-will-work` (mandatory) reports what S3 will certainly refuse or fail, from known values;
 * - `s3-replication-will-work-unproven` (advisory) reports what cannot be proven even with every value known:
 *   a role, policy, bucket, bucket policy or key that this stack does not define, a condition on a key whose
 *   value the plan cannot know (an Allow under one never counts as allowing).
 * A CrossGuard policy has one enforcement level, hence two policies. Values that are only unknown during a
 * preview (an ARN of a resource about to be created, a policy document built from one) are never guessed at:
 * the advisory policy says, once per configuration, which ones kept it from proving the replication during
 * this preview, and the same items are judged as soon as their values are known (on `pulumi up`, and by
 * `npm run plan`). Never a false mandatory failure from an unknown value. What no program shows (service
 * control policies, a permissions boundary defined outside the stack, a key's pending deletion) is named once,
 * in docs/policies.md.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { unknownActionsNear } from "./actionCatalogue";
import { Access, accountOfArn, authorize, ContextValue, ResourceRef, Verdict } from "./iamEval";
import { asList, bucketNameFromArn, controlTags, isKind, known, label, Maybe, modelOf, policyDocument, Statement, statementsOf, StackModel, UNKNOWN } from "./model";
import * as keys from "./replicationKeys";
import * as req from "./replicationRequests";
import { inlineShapeRule, shapeProblems, ShapeRule, splitShapeRule } from "./replicationShape";

/** What S3 does when the role lacks an action, worst first (the first missing action of a group names it). */
const CONSEQUENCES: [string, (target: string) => string][] = [
    ["s3:GetReplicationConfiguration", () => "S3 cannot read the replication configuration and replicates nothing"],
    ["s3:ListBucket", () => "S3 cannot list the source bucket and replicates nothing"],
    ["s3:GetObjectVersionForReplication", () => "S3 cannot read the source objects and every object fails to replicate"],
    ["s3:GetObjectVersionAcl", () => "S3 cannot read the source objects' ACLs and every object fails to replicate"],
    ["s3:GetObjectRetention", () => "S3 cannot read the source objects' retention, and locked objects fail to replicate"],
    ["s3:GetObjectLegalHold", () => "S3 cannot read the source objects' legal holds, and locked objects fail to replicate"],
    ["s3:GetObjectVersionTagging", () => "S3 cannot read the source objects' tags and tagged objects fail to replicate"],
    ["s3:ReplicateObject", (t) => `every object fails to replicate to ${t} (OperationsFailedReplication)`],
    ["s3:ObjectOwnerOverrideToBucketOwner", (t) => `S3 cannot hand the replicas to ${t}'s owner, and every object fails to replicate (DstPutObjectNotPermitted)`],
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

const str = (v: Maybe<unknown>): Maybe<string> => (v === UNKNOWN ? UNKNOWN : typeof v === "string" && v !== "" ? v : undefined);

/** Whether a rule replicates delete markers: always under the V1 schema (no filter), else as it states. */
function replicatesDeleteMarkers(rule: ShapeRule): Maybe<boolean> {
    if (rule.v2 === UNKNOWN || rule.deleteMarkers === UNKNOWN) {
        return UNKNOWN;
    }
    return rule.v2 === false || rule.deleteMarkers === "Enabled";
}

interface ReplicationSpec {
    readonly holder: PolicyResource;
    readonly source?: PolicyResource;
    readonly role: Maybe<string>;
    /** Resources the role value came from. */
    readonly roleDeps: readonly PolicyResource[];
    /** Resources the rules came from (destination buckets, replica keys). */
    readonly ruleDeps: readonly PolicyResource[];
    /** Every rule, as S3 validates them; the enabled ones replicate. */
    readonly rules: Maybe<readonly ShapeRule[]>;
}

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
            rules: rules === UNKNOWN ? UNKNOWN : Array.isArray(rules) ? rules.map(splitShapeRule) : [],
        });
    }
    for (const bucket of model.buckets) {
        const inline = known(() => bucket.props.replicationConfiguration);
        if (inline === undefined || inline === null) {
            continue;
        }
        // A bucket whose replication a BucketReplicationConfig of the stack writes: after a deploy the provider reads
        // that configuration back into the bucket's deprecated inline output too (in its own shape), which is the
        // same configuration, not a second one. https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/
        if (model.configOf(bucket, "replication").length > 0) {
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
            rules: rules === UNKNOWN ? UNKNOWN : Array.isArray(rules) ? rules.map(inlineShapeRule) : [],
        });
    }
    return specs;
}

/** Policy documents of one kind, with the resource each statement came from. */
interface Documents {
    readonly statements: Statement[];
    readonly holders: Map<Statement, PolicyResource>;
    /** Some document is unknown (a preview). */
    readonly unknown: boolean;
}

/** The policy documents that apply to a role: what is known, whether some are unknown, and which are not in the stack. */
interface RolePolicies extends Documents {
    /** ARNs of attached policies this stack does not define (AWS managed ones, say). */
    readonly opaque: string[];
}

function documentsOf(entries: readonly (readonly [PolicyResource, Maybe<unknown>])[]): Documents {
    const holders = new Map<Statement, PolicyResource>();
    const statements: Statement[] = [];
    let unknown = false;
    for (const [holder, doc] of entries) {
        if (doc === UNKNOWN) {
            unknown = true;
            continue;
        }
        for (const s of statementsOf(policyDocument(doc))) {
            statements.push(s);
            holders.set(s, holder);
        }
    }
    return { statements, holders, unknown };
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
        // Every document with the resource it came from; documentsOf reads them (and says whether one is unknown).
        const entries: [PolicyResource, Maybe<unknown>][] = [];
        const opaque: string[] = [];
        let unknown = false;
        const add = (holder: PolicyResource, doc: Maybe<unknown>) => entries.push([holder, doc]);
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
        const documents = documentsOf(entries);
        const result: RolePolicies = { ...documents, unknown: documents.unknown || unknown, opaque };
        this.cache.set(role, result);
        return result;
    }

    /**
     * The role's permissions boundary: its statements when the boundary is a policy of this stack; nothing
     * when the role has none, or when it names a policy the stack does not define (a boundary made elsewhere
     * cannot be seen, as service control policies cannot: docs/policies.md says so).
     */
    boundaryOf(role: PolicyResource): (Documents & { readonly holder: PolicyResource }) | { readonly unknown: boolean; readonly holder?: undefined } {
        const value = known(() => role.props.permissionsBoundary);
        const dep = (role.propertyDependencies.permissionsBoundary ?? []).find((d) => isKind(d, "managedPolicy"));
        if (value === undefined && dep === undefined) {
            return { unknown: false };
        }
        const policy = dep ?? (typeof value === "string" ? this.model.of("managedPolicy").find((p) => known(() => p.props.arn) === value) : undefined);
        if (policy === undefined) {
            return { unknown: value === UNKNOWN };
        }
        return { ...documentsOf([[policy, known(() => policy.props.policy)]]), holder: policy };
    }

    /** The role's tags (`aws:PrincipalTag/*`), undefined when they cannot be known (a provider's default tags, a preview). */
    tagsOf(role: PolicyResource): Record<string, string> | undefined {
        const all = known(() => role.props.tagsAll);
        if (all !== UNKNOWN && all !== null && typeof all === "object") {
            return all as Record<string, string>;
        }
        const defaults = known(() => role.provider?.props.defaultTags);
        const tags = known(() => role.props.tags);
        if (tags === UNKNOWN || (defaults !== undefined && defaults !== null)) {
            return undefined;
        }
        return tags !== null && typeof tags === "object" ? (tags as Record<string, string>) : {};
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

/** Default-encryption facts of a bucket: whether it is SSE-KMS, with which key, and with an S3 Bucket Key. */
interface Encryption {
    readonly kms: Maybe<boolean>;
    readonly key: Maybe<string>;
    readonly keyResource?: PolicyResource;
    readonly bucketKey: Maybe<boolean>;
}

function encryptionOf(model: StackModel, bucket: PolicyResource): Encryption {
    const split = model.configOf(bucket, "encryption");
    const rulesOf = (holder: PolicyResource, get: () => unknown): Encryption => {
        const r = known(get);
        if (r === UNKNOWN) {
            return { kms: UNKNOWN, key: UNKNOWN, bucketKey: UNKNOWN };
        }
        const rules: any[] = Array.isArray(r) ? r : r ? [r] : [];
        const kmsRule = rules.find((rule) => String(known(() => rule.applyServerSideEncryptionByDefault.sseAlgorithm)).startsWith("aws:kms"));
        if (!kmsRule) {
            return { kms: false, key: undefined, bucketKey: false };
        }
        const keyResource = (holder.propertyDependencies.rules ?? holder.propertyDependencies.serverSideEncryptionConfiguration ?? []).find((d) => isKind(d, "kmsKey"));
        const bucketKey = known(() => kmsRule.bucketKeyEnabled);
        return {
            kms: true,
            key: str(known(() => kmsRule.applyServerSideEncryptionByDefault.kmsMasterKeyId)),
            keyResource,
            bucketKey: bucketKey === UNKNOWN ? UNKNOWN : bucketKey === true,
        };
    };
    if (split.length > 0) {
        return rulesOf(split[0], () => split[0].props.rules);
    }
    return rulesOf(bucket, () => bucket.props.serverSideEncryptionConfiguration?.rule);
}

/**
 * Whether a bucket has Object Lock: created with it (`objectLockEnabled`, or the deprecated inline
 * `objectLockConfiguration`), or configured by a BucketObjectLockConfiguration (which needs it on).
 */
function objectLocked(model: StackModel, bucket: PolicyResource): Maybe<boolean> {
    if (model.configOf(bucket, "objectLockConfiguration").length > 0) {
        return true;
    }
    const enabled = known(() => bucket.props.objectLockEnabled);
    const inline = known(() => bucket.props.objectLockConfiguration?.objectLockEnabled);
    if (enabled === UNKNOWN || inline === UNKNOWN) {
        return UNKNOWN;
    }
    return enabled === true || inline === "Enabled";
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

/** The bucket policies of a bucket (BucketPolicy resources, and the deprecated inline `policy`). */
function bucketPolicies(model: StackModel, bucket: PolicyResource): Documents {
    return documentsOf([...model.configOf(bucket, "bucketPolicy").map((p) => [p, known(() => p.props.policy)] as const), [bucket, known(() => bucket.props.policy)] as const]);
}

/** A key as the gate sees it: the stack's key resource (when it is one), its ARN, region, account and key policy. */
interface KeyView {
    /** How messages name it: the key resource, else the value the program wrote. */
    readonly text: string;
    readonly resource?: PolicyResource;
    /** The ARN IAM evaluates requests against (a key ARN), or every key of the account (an alias). */
    readonly ref: ResourceRef;
    readonly region?: string;
    readonly account?: string;
    readonly awsManaged: boolean;
    /** The key policy; undefined when it cannot be seen (a key this stack does not define). */
    readonly policy?: Documents;
}

/** What the gate can know of the key `value` names (a key ARN, an alias ARN, `aws/s3`, a key id), or of `resource`. */
function keyView(model: StackModel, value: string | undefined, resource: PolicyResource | undefined, fallback: { partition: string; region?: string; account?: string }): KeyView | undefined {
    const parsed = value !== undefined ? keys.kmsArn(value) : undefined;
    // No key named (SSE-KMS with the default key) or the alias aws/s3: the AWS managed key, unless the stack's key is known.
    const awsManaged = resource === undefined && (value === undefined || keys.isAwsManagedS3Alias(value));
    const region = parsed?.region ?? (resource ? model.regionOf(resource) : undefined) ?? (awsManaged ? fallback.region : undefined);
    const account = parsed?.account ?? providerAccount(resource) ?? fallback.account;
    const partition = parsed?.partition ?? fallback.partition;
    let key = resource ?? (value !== undefined ? model.of("kmsKey").find((k) => known(() => k.props.arn) === value) : undefined);
    if (key === undefined && parsed?.isAlias && !awsManaged) {
        // An alias of this stack: the key it targets.
        const alias = model.of("kmsAlias").find((a) => known(() => a.props.name) === `alias/${parsed.name}`);
        key = alias ? ((alias.propertyDependencies.targetKeyId ?? []).find((d) => isKind(d, "kmsKey")) ?? undefined) : undefined;
    }
    const keyArn = key ? known(() => key!.props.arn) : undefined;
    const arn = typeof keyArn === "string" ? keyArn : parsed && !parsed.isAlias ? value : undefined;
    const ref: ResourceRef | undefined =
        arn !== undefined ? { exact: arn } : region && account ? { prefix: `arn:${partition}:kms:${region}:${account}:key/` } : undefined;
    if (ref === undefined) {
        return undefined;
    }
    const text = key ? label(key) : `'${value ?? "aws/s3"}'`;
    let policy: Documents | undefined;
    if (awsManaged && region && account) {
        policy = { statements: keys.awsManagedS3KeyPolicy(partition, account, region), holders: new Map(), unknown: false };
    } else if (key) {
        const own = key;
        const separate = model
            .of("kmsKeyPolicy")
            .filter((p) => (p.propertyDependencies.keyId ?? []).includes(own) || [known(() => own.props.keyId), known(() => own.props.arn)].includes(known(() => p.props.keyId)));
        const written = separate.length > 0 ? ([separate[0], known(() => separate[0].props.policy)] as const) : ([own, known(() => own.props.policy)] as const);
        policy =
            written[1] === undefined
                ? { statements: keys.defaultKeyPolicy(partition, account ?? ""), holders: new Map(), unknown: account === undefined }
                : documentsOf([written]);
    }
    return { text, resource: key, ref, region, account, awsManaged, policy };
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
    const allRules = spec.rules;
    if (allRules === UNKNOWN) {
        pending.add("its rules");
        return;
    }
    if (allRules === undefined) {
        return;
    }
    const rules = allRules.filter((r) => r.enabled === true);
    const source = spec.source;
    const sourceName = source ? model.bucketName(source) : undefined;
    const sourceArnValue = source ? known(() => source.props.arn) : undefined;
    const sourceArn = typeof sourceArnValue === "string" ? sourceArnValue : sourceName ? `arn:aws:s3:::${sourceName}` : undefined;
    const partition = /^arn:([^:]+):/.exec(sourceArn ?? "")?.[1] ?? "aws";
    const sourceRegion = source ? model.regionOf(source) : undefined;

    // Which destination bucket of the stack a rule writes to: by name in its ARN, else the only one referenced.
    const destinationBuckets = spec.ruleDeps.filter((d) => isKind(d, "bucket") && d !== source);
    const destinationOf = (rule: ShapeRule): PolicyResource | undefined => {
        if (typeof rule.destination === "string") {
            const byName = bucketsByName(model).get(bucketNameFromArn(rule.destination) ?? "");
            if (byName) {
                return byName;
            }
        }
        return destinationBuckets.length === 1 || rules.length === 1 ? destinationBuckets[0] : undefined;
    };
    const destinationArnOf = (rule: ShapeRule, bucket: PolicyResource | undefined): string | undefined => {
        if (typeof rule.destination === "string") {
            return rule.destination;
        }
        const name = bucket ? model.bucketName(bucket) : undefined;
        return name ? `arn:${partition}:s3:::${name}` : undefined;
    };
    const targetOf = (rule: ShapeRule) => {
        const d = destinationOf(rule);
        return d ? label(d) : typeof rule.destination === "string" ? rule.destination : "its destination";
    };

    // --- Deploy time: what PutBucketReplication refuses (one table) ---
    const encryption: Encryption = source ? encryptionOf(model, source) : { kms: undefined, key: undefined, bucketKey: undefined };
    const selecting = rules.find((r) => r.selectsKms === true);
    const kmsWanted = encryption.kms === true || selecting !== undefined;
    for (const message of shapeProblems(allRules, { kmsWanted, targetOf, regionOf: (r) => ((d) => (d ? model.regionOf(d) : undefined))(destinationOf(r)) })) {
        fail(message);
    }
    if (rules.length === 0) {
        return;
    }

    // --- SSE-KMS: selection, replica key, its region, and whether KMS will use the keys (no role needed) ---
    const fallback = { partition, account: spec.role !== UNKNOWN && spec.role ? accountOfArn(spec.role) : undefined };
    const sourceKey =
        source && encryption.kms === true && encryption.key !== UNKNOWN
            ? keyView(model, encryption.key, encryption.keyResource, { ...fallback, region: sourceRegion })
            : undefined;
    for (const problem of sourceKey?.resource ? keys.keyDefinitionProblems(`the source key ${sourceKey.text}`, "source", definitionOf(sourceKey.resource)) : []) {
        fail(problem);
    }
    const replicaKeys = new Map<ShapeRule, KeyView>();
    for (const rule of rules) {
        const destination = destinationOf(rule);
        const target = targetOf(rule);
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
        }
        if (rule.selectsKms !== true || rule.replicaKey === undefined) {
            continue; // a missing replica key is in the table above
        }
        const destinationRegion = destination ? model.regionOf(destination) : undefined;
        // The key's region: from its ARN, else from the one key resource the rules were built from.
        const keyResources = spec.ruleDeps.filter((d) => isKind(d, "kmsKey"));
        const parsed = typeof rule.replicaKey === "string" ? keys.kmsArn(rule.replicaKey) : undefined;
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
            continue;
        } else if (keyRegion && !destinationRegion && destination === undefined) {
            unproven(
                `could not prove that rule '${rule.id}''s replica key (in ${keyRegion}) is in its destination's region: ` +
                    `the destination ${target} is not a bucket of this stack.`,
            );
        }
        if (keyResource) {
            keys.keyDefinitionProblems(`rule '${rule.id}''s replica key ${label(keyResource)}`, "replica", definitionOf(keyResource)).forEach(fail);
        }
        if (typeof rule.replicaKey !== "string") {
            continue;
        }
        const destinationAccount = (typeof rule.account === "string" ? rule.account : providerAccount(destination)) ?? fallback.account;
        const view = keyView(model, rule.replicaKey, keyResource, { ...fallback, region: destinationRegion ?? keyRegion, account: fallback.account });
        if (view?.awsManaged && view.account && destinationAccount) {
            const problem = keys.awsManagedKeyProblem(`'${rule.replicaKey}'`, view.account, target, destinationAccount);
            if (problem) {
                fail(`rule '${rule.id}''s ${problem}`);
                continue;
            }
        }
        if (view) {
            replicaKeys.set(rule, view);
        }
    }

    // --- Object Lock: a locked source needs a locked destination ---
    const sourceLocked = source ? objectLocked(model, source) : undefined;
    if (sourceLocked === UNKNOWN) {
        pending.add(`the Object Lock setting of ${label(source!)}`);
    }
    if (sourceLocked === true) {
        for (const rule of rules) {
            const destination = destinationOf(rule);
            const locked = destination ? objectLocked(model, destination) : undefined;
            if (locked === UNKNOWN) {
                pending.add(`the Object Lock setting of ${label(destination!)}`);
                continue;
            }
            const problem = req.objectLockProblem(rule.id, { text: label(source!), locked: true }, { text: destination ? label(destination) : targetOf(rule), locked });
            if (problem) {
                (problem.kind === "fails" ? fail : unproven)(problem.message);
            }
        }
    }

    // --- The role: one of this stack, which S3 may assume ---
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
    const roleAccount = (roleArn ? accountOfArn(roleArn) : undefined) ?? providerAccount(source);
    if (roleArn === undefined || roleAccount === undefined) {
        pending.add(`the ARN of ${label(role)}`);
        return;
    }
    // The role belongs to the source bucket's account (S3 takes no role of another account).
    const trust = known(() => role.props.assumeRolePolicy);
    if (trust === UNKNOWN) {
        pending.add(`the trust policy of ${label(role)}`);
    } else {
        const problem = req.trustProblem(statementsOf(policyDocument(trust)), { arn: roleArn, text: label(role) }, {
            account: roleAccount,
            bucketArn: sourceArn,
            text: source ? label(source) : "its source bucket",
        });
        if (problem) {
            (problem.kind === "fails" ? fail : unproven)(problem.message);
        }
    }

    const policies = iam.policiesOf(role);
    const boundary = iam.boundaryOf(role);
    const roleFacts: req.RoleFacts = { arn: roleArn, account: roleAccount, tags: iam.tagsOf(role) };
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

    /** The resource policy a request meets, and how messages name its parts. */
    interface OnResource {
        readonly kind: "bucket" | "key";
        readonly documents: Documents;
        readonly account: string;
        /** "Bucket 'x'" or "Key 'k'". */
        readonly text: string;
        /** The resource whose policy is named in a Fix (a bucket, or the key). */
        readonly owner?: PolicyResource;
    }

    /** Asks IAM for every action of `actions` on `resource`, and reports per outcome, one message per cause. */
    const require = async (actions: readonly string[], resource: ResourceRef, target: string, on: OnResource | undefined, context: req.KnownContext) => {
        const access: Access = {
            identity: policies.statements,
            boundary: "statements" in boundary ? boundary.statements : undefined,
            resource: on ? { kind: on.kind, statements: on.documents.statements } : undefined,
            principal: roleArn,
            resourceAccount: on?.account ?? roleAccount,
        };
        const unknownDocs = [
            ...(policies.unknown ? [`the policy documents of ${label(role)}`] : []),
            ...(boundary.unknown ? [`the permissions boundary of ${label(role)}`] : []),
            ...(on?.documents.unknown ? [`the ${on.kind} policy of ${on.text}`] : []),
        ];
        const groups = new Map<string, { verdict: Exclude<Verdict, { result: "allowed" }>; actions: string[] }>();
        const ids = new Map<Statement, number>();
        const idOf = (s: Statement | undefined) => (s === undefined ? -1 : (ids.get(s) ?? (ids.set(s, ids.size), ids.size - 1)));
        for (const action of actions) {
            const verdict: Verdict = authorize(access, { action, resource, context: context.context, unknownKeys: context.unknownKeys });
            if (verdict.result === "allowed") {
                continue;
            }
            if (verdict.result !== "denied" && unknownDocs.length > 0) {
                unknownDocs.forEach((d) => pending.add(d));
                continue;
            }
            const statement = verdict.result === "denied" || verdict.result === "unproven" ? verdict.by : verdict.nearMiss?.by;
            const key = `${verdict.result}|${verdict.where}|${idOf(statement)}`;
            const group = groups.get(key) ?? { verdict, actions: [] };
            group.actions.push(action);
            groups.set(key, group);
        }
        const res = describeResource(resource);
        const holderText = (where: string, s: Statement): string => {
            if (where === "identity") {
                return label(policies.holders.get(s)!);
            }
            if (where === "boundary") {
                return `the permissions boundary ${label(boundary.holder!)} of ${label(role)}`;
            }
            const holder = on!.documents.holders.get(s);
            return on!.kind === "key" ? `the key policy of ${on!.text}` : holder && holder !== on!.owner ? `${label(holder)} of ${on!.text}` : `the bucket policy of ${on!.text}`;
        };
        for (const { verdict, actions: names } of groups.values()) {
            const list = names.join(", ");
            const quoted = names.map((a) => `"${a}"`).join(", ");
            const sid = (s: Statement) => (s.Sid ? ` (statement '${s.Sid}')` : "");
            const effect = consequence(names, target);
            if (verdict.result === "denied") {
                const guarded = verdict.by.Condition !== undefined || verdict.by.Principal !== undefined || verdict.by.NotPrincipal !== undefined;
                fail(
                    `${holderText(verdict.where, verdict.by)} denies ${label(role)} ${list} on ${res}${sid(verdict.by)}, and an explicit Deny ` +
                        `overrides every Allow: ${effect}. Fix: remove ${list} from that Deny statement, or exclude ` +
                        (guarded ? `the replication role "${roleArn}" from it.` : `"${res}" from its Resource.`),
                );
            } else if (verdict.result === "unproven") {
                const keysText = verdict.keys.join(", ");
                unproven(
                    verdict.deny
                        ? `could not prove that ${label(role)} may ${list} on ${res}: ${holderText(verdict.where, verdict.by)} denies ` +
                              `${names.length > 1 ? "them" : "it"} under a condition on ${keysText}${sid(verdict.by)}, whose value in S3's ` +
                              "requests the plan cannot know. Fix: exclude the replication role or these actions from that Deny."
                        : `could not prove that ${label(role)} may ${list} on ${res}: the Allow in ${holderText(verdict.where, verdict.by)}` +
                              `${sid(verdict.by)} holds only under a condition on ${keysText}, whose value in S3's requests the plan cannot ` +
                              `know, and nothing else allows ${names.length > 1 ? "them" : "it"}. Fix: grant ${quoted} without that condition.`,
                );
            } else if (verdict.nearMiss) {
                const f = req.describeFailed(verdict.nearMiss.failed, "that statement");
                const who = verdict.where === "resource" ? `${holderText("resource", verdict.nearMiss.by)} lets` : `${label(role)} may not`;
                fail(
                    (verdict.where === "resource"
                        ? `${who} ${label(role)} ${list} on ${res} only when ${f.wanted}${sid(verdict.nearMiss.by)}`
                        : `${label(role)} may not ${list} on ${res}: the Allow in ${holderText(verdict.where, verdict.nearMiss.by)}` +
                          `${sid(verdict.nearMiss.by)} holds only when ${f.wanted}`) +
                        `, and S3's request carries ${f.carried}: ${effect}. Fix: ${f.fix}.`,
                );
            } else if (verdict.where === "identity" && policies.opaque.length > 0) {
                unproven(
                    `could not prove that ${label(role)} may ${list} on ${res}: no policy of this stack allows it, and ` +
                        `${policies.opaque.map((a) => `'${a}'`).join(", ")} is not defined in this stack. Fix: grant these actions in a ` +
                        "policy of this stack.",
                );
            } else if (verdict.where === "identity") {
                fail(`${label(role)} may not ${list} on ${res}: ${effect}.${await hintFor(names)} Fix: allow ${quoted} on "${res}" in a policy of ${label(role)}.`);
            } else if (verdict.where === "boundary") {
                fail(
                    `the permissions boundary ${label(boundary.holder!)} of ${label(role)} does not allow ${list} on ${res}: a boundary ` +
                        `caps whatever the role's policies grant, so ${effect}. Fix: allow ${quoted} on "${res}" in ${label(boundary.holder!)}.`,
                );
            } else if (on?.kind === "key") {
                fail(
                    on.account === roleAccount
                        ? `the key policy of ${on.text} allows neither the account root (arn:${partition}:iam::${on.account}:root) nor ` +
                              `${label(role)} ${list}: IAM policies count for a KMS key only through its key policy, so ${effect}. Fix: add ` +
                              `to the key policy of ${on.text} the default key policy's statement (principal { AWS: ` +
                              `"arn:${partition}:iam::${on.account}:root" }, action "kms:*"), or an Allow of ${quoted} for principal ` +
                              `{ AWS: "${roleArn}" }.`
                        : `the key policy of ${on.text} (account ${on.account}) allows neither ${label(role)} nor its account ${roleAccount} ` +
                              `${list}: a key of another account is used only as its key policy allows, so ${effect}. Fix: add to the key ` +
                              `policy of ${on.text} an Allow of ${quoted} for principal { AWS: "${roleArn}" }.`,
                );
            } else {
                fail(
                    `${on!.text} belongs to account ${on!.account}, and its bucket policy does not grant ${label(role)} ` +
                        `(account ${roleAccount}) ${list} on ${res}: ${effect}. Fix: add to ${on!.text}'s bucket policy an Allow ` +
                        `for principal { AWS: "${roleArn}" } of ${quoted} on "${res}".`,
                );
            }
        }
    };

    // --- The requests each rule makes, on exact ARNs, as IAM decides them ---
    const sourceLabel = source ? label(source) : "the source bucket";
    const sourceOn: OnResource | undefined = source ? { kind: "bucket", documents: bucketPolicies(model, source), account: roleAccount, text: label(source), owner: source } : undefined;
    const sourceContext = req.s3Context(roleFacts, { account: roleAccount, region: sourceRegion });
    if (sourceArn) {
        await require(req.SOURCE_BUCKET_ACTIONS, { exact: sourceArn }, sourceLabel, sourceOn, sourceContext);
    }
    for (const rule of rules) {
        const destination = destinationOf(rule);
        const destinationArn = destinationArnOf(rule, destination);
        const target = destination ? label(destination) : (destinationArn ?? "its destination");
        const deleteMarkers = replicatesDeleteMarkers(rule);
        if (!sourceArn || rule.prefix === UNKNOWN || deleteMarkers === UNKNOWN || rule.ownerOverride === UNKNOWN) {
            continue;
        }
        const prefix = rule.prefix ?? "";
        const destinationAccount = (typeof rule.account === "string" ? rule.account : providerAccount(destination)) ?? roleAccount;
        const destinationRegion = destination ? model.regionOf(destination) : undefined;
        const needs = req.objectNeeds({
            sourceArn,
            destinationArn,
            prefix,
            deleteMarkers: deleteMarkers === true,
            sourceObjectLock: sourceLocked === true,
            ownerOverride: rule.ownerOverride === true,
        });
        for (const need of needs) {
            if (need.side === "source") {
                await require(need.actions, need.resource, sourceLabel, sourceOn, sourceContext);
                continue;
            }
            if (!destination) {
                // Its bucket policy cannot be read: the role's own policies are still judged.
                unproven(
                    `could not prove that rule '${rule.id}''s destination ${target} ${destinationAccount !== roleAccount ? `in account ${destinationAccount} ` : ""}lets ` +
                        `${label(role)} replicate into it: the destination bucket and its policy are not in this stack.`,
                );
            }
            const on: OnResource | undefined = destination
                ? { kind: "bucket", documents: bucketPolicies(model, destination), account: destinationAccount, text: label(destination), owner: destination }
                : undefined;
            await require(need.actions, need.resource, target, on, req.s3Context(roleFacts, { account: destinationAccount, region: destinationRegion }));
        }
        if (rule.selectsKms !== true) {
            continue;
        }
        // SSE-KMS: decrypt with the source's key, encrypt with the replica key, through S3, in each bucket's region.
        const destinationEncryption = destination ? encryptionOf(model, destination) : undefined;
        if (sourceKey && encryption.bucketKey !== UNKNOWN) {
            await requireKey(sourceKey, req.SOURCE_KEY_ACTION, sourceLabel, {
                region: sourceRegion,
                partition,
                encryptionContext: req.encryptionContextOf(sourceArn, prefix, encryption.bucketKey === true),
            });
        } else if (source && encryption.kms === true && encryption.key !== UNKNOWN && !sourceKey && typeof encryption.key === "string") {
            unproven(
                `could not prove that ${label(role)} may ${req.SOURCE_KEY_ACTION} with ${label(source)}'s key '${encryption.key}': it is not a ` +
                    "KMS key ARN, and no key of this stack has it. Fix: name the key by its ARN.",
            );
        }
        const replicaKey = replicaKeys.get(rule);
        if (replicaKey && destinationArn && destinationEncryption?.bucketKey !== UNKNOWN && encryption.bucketKey !== UNKNOWN) {
            // S3 Bucket Keys on either side make the replica's encryption context the destination bucket's ARN.
            const bucketKey = encryption.bucketKey === true || destinationEncryption?.bucketKey === true;
            await requireKey(replicaKey, req.REPLICA_KEY_ACTION, target, {
                region: destinationRegion ?? replicaKey.region,
                partition,
                encryptionContext: req.encryptionContextOf(destinationArn, prefix, bucketKey),
            });
        }
    }

    /** One KMS request through S3: the role's policies, its boundary and the key's policy. */
    async function requireKey(key: KeyView, action: string, target: string, use: { region?: string; partition: string; encryptionContext: ContextValue }): Promise<void> {
        if (key.policy === undefined) {
            unproven(
                `could not prove that ${label(role!)} may ${action} with key ${key.text}: its key policy, which must allow it, is not in this ` +
                    "stack. Fix: manage the key in this stack, or check its key policy by hand.",
            );
            return;
        }
        const on: OnResource = { kind: "key", documents: key.policy, account: key.account ?? roleAccount!, text: key.text, owner: key.resource };
        await require([action], key.ref, target, on, req.kmsContext(roleFacts, use));
    }
}

/** What a key resource states about its use (enabled, spec, usage). */
function definitionOf(key: PolicyResource): keys.KeyDefinition {
    const v = (get: () => unknown) => {
        const x = known(get);
        return x === UNKNOWN || x === null ? undefined : x;
    };
    return {
        isEnabled: v(() => key.props.isEnabled) as boolean | undefined,
        keySpec: (v(() => key.props.customerMasterKeySpec) ?? v(() => key.props.keySpec)) as string | undefined,
        keyUsage: v(() => key.props.keyUsage) as string | undefined,
    };
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
        "Every replication configuration is one S3 accepts and can carry out: PutBucketReplication's shape rules hold; S3 may " +
        "assume its role (the trust policy's conditions included); every request S3 makes with the role is allowed as IAM " +
        "decides it, through the role's policies, its permissions boundary, the source's and destinations' bucket policies and " +
        "the keys' policies, conditions evaluated on the keys S3's requests carry; SSE-KMS objects are selected and re-encrypted " +
        "with an enabled symmetric key of the destination's region; a source with Object Lock has destinations with it.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Do what the message says: fix the rule S3 would refuse; allow the named actions on the named ARN in the replication " +
        "role's policy, its boundary, or (across accounts) the destination's bucket policy, and remove the Deny that names them; " +
        "make a condition admit what S3's request carries (kms:ViaService of the bucket's region, the bucket's ARN as the " +
        "encryption context with an S3 Bucket Key); give a key policy the account-root statement or a grant to the role; use an " +
        "enabled symmetric customer managed key of the destination's region; create the destination with Object Lock.",
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
        "policy, destination bucket, bucket policy or key policy that this stack does not define, or a condition on a key whose " +
        "value in S3's requests the plan cannot know (an Allow under it never counts as allowing, a Deny under it may apply).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Define the replication role, its policies, the destination buckets and the keys in the stack, name KMS keys by ARN, " +
        "and condition the replication grants, the trust and any Deny on the replication actions only on keys S3's requests " +
        "carry (aws:SourceAccount, aws:SourceArn, aws:PrincipalArn, aws:PrincipalTag/*, kms:ViaService, kms:EncryptionContext:aws:s3:arn).",
    tags: CONTROLS,
    validateStack: async (args, reportViolation) => {
        for (const f of await replicationFindings(args.resources)) {
            if (f.kind === "unproven") {
                reportViolation(f.message, f.urn);
            }
        }
    },
};
