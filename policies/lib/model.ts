/**
 * The resource model the policies share: type tokens (v7 names and the deprecated `*V2` ones), safe reads
 * of values that may be unknown during preview, and a stack index that joins resources the way the
 * engine lets us: through `propertyDependencies` and parents, never through ids or ARNs (unknown in a
 * preview). A literal bucket name (a known input) is the one fallback, for programs that wrote one.
 */
import { PolicyResource, ResourceValidation } from "@pulumi/policy";

// The proxy's error class is internal to @pulumi/policy (no typings); it is what a read of an unknown
// value throws during preview.
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...a: any[]) => Error };

export const TYPES = {
    bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    accountPublicAccessBlock: ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"],
    ownershipControls: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    bucketPolicy: ["aws:s3/bucketPolicy:BucketPolicy"],
    bucketAcl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    bucketLogging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    trail: ["aws:cloudtrail/trail:Trail"],
    logGroup: ["aws:cloudwatch/logGroup:LogGroup"],
    role: ["aws:iam/role:Role"],
    rolePolicy: ["aws:iam/rolePolicy:RolePolicy"],
    rolePolicyAttachment: ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
    managedPolicy: ["aws:iam/policy:Policy"],
    policyAttachment: ["aws:iam/policyAttachment:PolicyAttachment"],
    kmsKey: ["aws:kms/key:Key"],
    kmsKeyPolicy: ["aws:kms/keyPolicy:KeyPolicy"],
    kmsAlias: ["aws:kms/alias:Alias"],
    objectLockConfiguration: ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"],
    lifecycle: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
    backupSelection: ["aws:backup/selection:Selection"],
    backupPlan: ["aws:backup/plan:Plan"],
    multiRegionAccessPoint: ["aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint"],
    crrPair: ["s3crr:index:CrrPair"],
    crrMesh: ["s3crr:index:CrrMesh"],
} as const;

export type Kind = keyof typeof TYPES;

/** The kinds each type token is of. */
const KINDS_OF_TYPE = new Map<string, Kind[]>();
for (const kind of Object.keys(TYPES) as Kind[]) {
    for (const type of TYPES[kind]) {
        KINDS_OF_TYPE.set(type, [...(KINDS_OF_TYPE.get(type) ?? []), kind]);
    }
}

export function isKind(r: { type: string }, kind: Kind): boolean {
    return (TYPES[kind] as readonly string[]).includes(r.type);
}

export function isUnknownError(e: unknown): boolean {
    return e instanceof UnknownValueError;
}

/** `read(() => r.props.x.y)`: the value, or `undefined` when it is unknown (preview) or absent. */
export function read<T>(get: () => T): T | undefined {
    try {
        return get();
    } catch (e) {
        if (isUnknownError(e) || e instanceof TypeError) {
            return undefined;
        }
        throw e;
    }
}

/** Like {@link read}, but tells an unknown value apart from an absent one. */
export function readKnown<T>(get: () => T): { known: true; value: T | undefined } | { known: false } {
    try {
        return { known: true, value: get() };
    } catch (e) {
        if (isUnknownError(e)) {
            return { known: false };
        }
        if (e instanceof TypeError) {
            return { known: true, value: undefined };
        }
        throw e;
    }
}

/** A value that may be unknown during a preview: {@link known} returns it, undefined when absent, or this symbol. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Maybe<T> = T | undefined | typeof UNKNOWN;

/** `known(() => r.props.x.y)`: the value, undefined when absent, {@link UNKNOWN} when unknown (preview). */
export function known<T>(get: () => T): Maybe<T> {
    const r = readKnown(get);
    return r.known ? r.value : UNKNOWN;
}

/** A policy document given as JSON text or as an object; undefined when unknown or unparsable. */
export function policyDocument(value: unknown): { Statement?: unknown } | undefined {
    if (typeof value === "string") {
        try {
            return JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    return value && typeof value === "object" ? (value as { Statement?: unknown }) : undefined;
}

export interface Statement {
    Sid?: string;
    Effect?: string;
    Principal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    NotPrincipal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(doc: { Statement?: unknown } | undefined): Statement[] {
    const s = doc?.Statement;
    return Array.isArray(s) ? (s as Statement[]) : s && typeof s === "object" ? [s as Statement] : [];
}

export const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `arn:<partition>:s3:::<bucket>[/...]` → bucket name. */
export function bucketNameFromArn(arn: string): string | undefined {
    const m = /^arn:[^:]+:s3:::([^/]+)/.exec(arn);
    return m ? m[1] : undefined;
}

/** "Bucket 'name' (urn)" style label for messages. */
export function label(r: PolicyResource | { type: string; name: string }): string {
    const kind = r.type.split(":").pop();
    return `${kind} '${r.name}'`;
}

/**
 * The bucket a stack configures but does not create (a side's `existingBucket`), as the policies see it. Pulumi
 * hands a policy pack only the resources a program registers, never one it reads (`Resource.get`): the engine's
 * step generator runs no analyzer on a read, and AnalyzeStack walks the registered resources only
 * (pulumi/pulumi#3950, open). So such a bucket is known by what configures it: a BucketVersioning of this stack
 * that names a bucket no resource of the stack creates stands for it, under that name and the versioning's
 * region, parent and provider, with the URN and child name the read would have (`<name>-versioning` without
 * its suffix). Its encryption, public access block, policy and replication are then judged as any bucket's.
 */
function adoptedBucket(versioning: PolicyResource, bucketName: string): PolicyResource {
    const name = versioning.name.endsWith("-versioning") ? versioning.name.slice(0, -"-versioning".length) : bucketName;
    const region = read(() => versioning.props.region);
    const type = TYPES.bucket[0];
    const urn = versioning.urn.replace(/[^$:]+:[^:]+\/[^:]+:[^:]+::[^:]+$/, `${type}::${name}`);
    return {
        type,
        name,
        urn,
        props: { bucket: bucketName, ...(typeof region === "string" ? { region } : {}) },
        opts: { ...versioning.opts, protect: false },
        provider: versioning.provider,
        parent: versioning.parent,
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    };
}

/** An index over one stack's resources. */
export class StackModel {
    /** The stack's buckets: those it creates, and those it adopts ({@link adoptedBucket}). */
    readonly buckets: PolicyResource[];
    /** The buckets the stack configures but does not create (stand-ins: see {@link adoptedBucket}). */
    readonly adopted: ReadonlySet<PolicyResource>;
    private readonly byKind = new Map<Kind, PolicyResource[]>();

    constructor(readonly resources: readonly PolicyResource[]) {
        // One pass over the stack (6,400 resources at 100 pairs), each type looked up once.
        for (const kind of Object.keys(TYPES) as Kind[]) {
            this.byKind.set(kind, []);
        }
        for (const r of resources) {
            KINDS_OF_TYPE.get(r.type)?.forEach((kind) => this.byKind.get(kind)!.push(r));
        }
        this.buckets = this.of("bucket");
        const adopted = new Map<string, PolicyResource>();
        for (const versioning of this.of("versioning")) {
            const name = read(() => versioning.props.bucket);
            // Only inside this project's components, which version an adopted bucket: elsewhere a BucketVersioning of a
            // bucket another stack owns stands for nothing this stack must judge.
            const ours = this.ancestor(versioning, "crrPair") ?? this.ancestor(versioning, "crrMesh");
            if (ours && typeof name === "string" && name !== "" && !adopted.has(name) && this.bucketsReferenced(versioning, "bucket").length === 0) {
                adopted.set(name, adoptedBucket(versioning, name));
            }
        }
        this.adopted = new Set(adopted.values());
        this.buckets = [...this.buckets, ...adopted.values()];
    }

    of(kind: Kind): PolicyResource[] {
        return this.byKind.get(kind) ?? [];
    }

    /** The bucket's physical name when it is known (an input, so known during preview when given). */
    bucketName(bucket: PolicyResource): string | undefined {
        const name = read(() => bucket.props.bucket);
        return typeof name === "string" ? name : undefined;
    }

    /** The buckets `r` refers to through property `prop`: its property dependencies, else literal names. */
    bucketsReferenced(r: PolicyResource, prop: string): PolicyResource[] {
        const viaDeps = (r.propertyDependencies[prop] ?? []).filter((d) => isKind(d, "bucket"));
        if (viaDeps.length > 0) {
            return [...new Set(viaDeps)];
        }
        const literal = read(() => r.props[prop]);
        const names = new Set<string>();
        const collect = (v: unknown) => {
            if (typeof v === "string") {
                names.add(v.startsWith("arn:") ? (bucketNameFromArn(v) ?? v) : v);
            } else if (Array.isArray(v)) {
                v.forEach(collect);
            } else if (v && typeof v === "object") {
                Object.values(v).forEach(collect);
            }
        };
        read(() => collect(literal));
        return this.buckets.filter((b) => {
            const name = this.bucketName(b);
            return name !== undefined && names.has(name);
        });
    }

    private readonly configIndex = new Map<Kind, Map<PolicyResource, PolicyResource[]>>();

    /** The resources of `kind` that configure `bucket` (through their `bucket` property). */
    configOf(bucket: PolicyResource, kind: Kind): PolicyResource[] {
        let index = this.configIndex.get(kind);
        if (index === undefined) {
            index = new Map();
            for (const config of this.of(kind)) {
                for (const b of this.bucketsReferenced(config, "bucket")) {
                    index.set(b, [...(index.get(b) ?? []), config]);
                }
            }
            this.configIndex.set(kind, index);
        }
        return index.get(bucket) ?? [];
    }

    /** Region of a resource: its own `region` argument (v7), else its provider's `region`. */
    regionOf(r: PolicyResource): string | undefined {
        const own = read(() => r.props.region);
        if (typeof own === "string" && own !== "") {
            return own;
        }
        const fromProvider = read(() => r.provider?.props.region);
        return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : undefined;
    }

    /** True when `r` depends on `target`, directly or through its dependencies (and their parents' children). */
    dependsOn(r: PolicyResource, target: PolicyResource): boolean {
        const seen = new Set<PolicyResource>();
        const stack = [...r.dependencies];
        while (stack.length > 0) {
            const d = stack.pop()!;
            if (d === target) {
                return true;
            }
            if (!seen.has(d)) {
                seen.add(d);
                stack.push(...d.dependencies);
            }
        }
        return false;
    }

    /** The nearest ancestor of `r` of `kind`. */
    ancestor(r: PolicyResource, kind: Kind): PolicyResource | undefined {
        for (let p = r.parent; p; p = p.parent) {
            if (isKind(p, kind)) {
                return p;
            }
        }
        return undefined;
    }

    /**
     * How versioning is set on `bucket`: by a split resource (either token), or by the deprecated inline
     * `versioning` property. `unknown` when the only evidence cannot be read during preview.
     */
    versioning(bucket: PolicyResource): { status: "Enabled" | "Suspended" | "Disabled" | "missing" | "unknown"; by: PolicyResource[] } {
        const split = this.configOf(bucket, "versioning");
        if (split.length > 0) {
            const statuses = split.map((v) => readKnown(() => v.props.versioningConfiguration.status));
            if (statuses.some((s) => s.known && s.value !== "Enabled")) {
                const bad = statuses.find((s) => s.known && s.value !== "Enabled") as { value?: string };
                return { status: bad.value === "Suspended" ? "Suspended" : "Disabled", by: split };
            }
            return { status: statuses.every((s) => s.known) ? "Enabled" : "unknown", by: split };
        }
        const inline = readKnown(() => bucket.props.versioning?.enabled);
        if (!inline.known) {
            return { status: "unknown", by: [] };
        }
        if (inline.value === true) {
            return { status: "Enabled", by: [] };
        }
        return { status: inline.value === false ? "Disabled" : "missing", by: [] };
    }
}

const models = new WeakMap<readonly PolicyResource[], StackModel>();

/**
 * The model of one `validateStack` call's resources, built once per resources array. @pulumi/policy 1.21
 * rebuilds the stack's resources for each stack policy (a fresh array each), so within the engine the
 * model is built once per stack policy and shared by everything that policy reads; where one array is handed
 * to several policies (the unit tests, the benchmarks) they share one model.
 */
export function modelOf(resources: readonly PolicyResource[]): StackModel {
    let model = models.get(resources);
    if (model === undefined) {
        model = new StackModel(resources);
        models.set(resources, model);
    }
    return model;
}

/** Control ids a policy maps to, carried as policy tags (`checkov:…`, `securityhub:…`, `aws-config:…`). */
export interface Controls {
    readonly checkov?: readonly string[];
    readonly securityHub?: readonly string[];
    readonly awsConfig?: readonly string[];
}

export function controlTags(c: Controls): string[] {
    return [
        ...(c.checkov ?? []).map((id) => `checkov:${id}`),
        ...(c.securityHub ?? []).map((id) => `securityhub:${id}`),
        ...(c.awsConfig ?? []).map((id) => `aws-config:${id}`),
    ];
}

/**
 * Marks a resource validation as applying to one type token, the way @pulumi/policy's
 * `validateResourceOfType` does (without importing the provider SDK for its classes): the analyzer then
 * skips every other resource without deserializing its properties.
 */
export function forType(token: string, validate: ResourceValidation): ResourceValidation {
    (validate as ResourceValidation & { __pulumiType?: string }).__pulumiType = token;
    return validate;
}
