/**
 * Stacks for the replication corpus: one correct one-way replication (SSE-S3 or SSE-KMS, us-east-2 to
 * us-west-2, written with plain `@pulumi/aws` resources as a team would), built as resource records with the
 * values the engine would hold after an update, and changed one mistake at a time by the cases.
 */
import { Statement } from "../../policies/lib/model";
import { Record_, res } from "./harness";

/**
 * The categories of what can go wrong, as docs/policies.md's table names them: each has at least one case of
 * the corpus that fails and one correct variant.
 */
export const CATEGORIES = ["deploy-time", "sse-kms", "keys", "trust", "permissions", "limits", "conditions", "cross-account", "object-lock", "owner-override"] as const;
export type Category = (typeof CATEGORIES)[number];

export const ACCOUNT = "111111111111";
export const OTHER_ACCOUNT = "222222222222";
/** What @pulumi/policy reads as an unknown value (a property not known during a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const T = {
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    key: "aws:kms/key:Key",
    provider: "pulumi:providers:aws",
} as const;

/** A record whose outputs add `extra` to its inputs (the ARNs and names the engine returns). */
function withOutputs(r: Record_, extra: Record<string, unknown>): Record_ {
    return { ...r, outputs: { ...r.inputs, ...extra } };
}

export const s3Trust = (service = "s3.amazonaws.com") => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
});

export interface Arns {
    readonly source: string;
    readonly destination: string;
    readonly sourceKey: string;
    readonly replicaKey: string;
    readonly role: string;
    readonly boundary: string;
}

/**
 * The least a role needs, as AWS documents it; KMS statements (with S3's conditions) in SSE-KMS mode. With an
 * S3 Bucket Key (the default here, as in {@link oneWay}) the encryption context is the bucket's ARN, without
 * one each object's ("Replicating encrypted objects").
 */
export function minimalStatements(a: Arns, o: { kms?: boolean; deletes?: boolean; bucketKey?: boolean } = {}): Statement[] {
    const context = (bucket: string) => (o.bucketKey === false ? `${bucket}/*` : bucket);
    const statements: Statement[] = [
        { Sid: "ReadConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: a.source },
        {
            Sid: "ReadObjects",
            Effect: "Allow",
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: `${a.source}/*`,
        },
        {
            Sid: "Replicate",
            Effect: "Allow",
            Action: ["s3:ReplicateObject", "s3:ReplicateTags", ...(o.deletes === false ? [] : ["s3:ReplicateDelete"])],
            Resource: `${a.destination}/*`,
        },
    ];
    if (o.kms) {
        statements.push(
            {
                Sid: "DecryptSource",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: a.sourceKey,
                Condition: { StringLike: { "kms:ViaService": "s3.us-east-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": context(a.source) } },
            },
            {
                Sid: "EncryptReplicas",
                Effect: "Allow",
                Action: "kms:Encrypt",
                Resource: a.replicaKey,
                Condition: { StringLike: { "kms:ViaService": "s3.us-west-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": context(a.destination) } },
            },
        );
    }
    return statements;
}

export interface StackOptions {
    /** SSE-KMS: the source bucket encrypts with a key of us-east-2, the rule re-encrypts with one of us-west-2. */
    readonly kms?: boolean;
    /** The source's default encryption uses an S3 Bucket Key (default true). */
    readonly bucketKey?: boolean;
    /** Region of the replica key (default us-west-2, the destination's). */
    readonly replicaKeyRegion?: string;
    /** The role's statements (default: {@link minimalStatements}). */
    readonly statements?: (a: Arns) => Statement[];
    /** How the statements reach the role (default a RolePolicy). */
    readonly grant?: "rolePolicy" | "inline" | "managed" | "policyAttachment";
    readonly trust?: unknown;
    /** Merged into the rule. */
    readonly rule?: (a: Arns) => Record<string, unknown>;
    /** The destination is owned by another account; its bucket policy holds these statements (none: no policy). */
    readonly crossAccount?: { readonly bucketPolicy?: (a: Arns) => Statement[] };
    /** The role is given by ARN only, and is not a resource of the stack. */
    readonly externalRole?: boolean;
    /** Managed policies attached by ARN that the stack does not define. */
    readonly managedPolicyArns?: readonly string[];
    /** Use the deprecated inline `replicationConfiguration` of a BucketV2 instead of a BucketReplicationConfig. */
    readonly inline?: boolean;
    /** Versioning status of the destination (default Enabled). */
    readonly destinationVersioning?: string;
    /** Preview: the role's policy is built from ARNs not yet known. */
    readonly previewPolicy?: boolean;
    /** The rules (replacing the one rule, {@link StackOptions.rule} is then ignored). */
    readonly rules?: (a: Arns) => Record<string, unknown>[];
    /** Merged into the source's and the destination's Bucket inputs (objectLockEnabled, say). */
    readonly sourceInputs?: Record<string, unknown>;
    readonly destinationInputs?: Record<string, unknown>;
    /** Merged into the role's inputs (tags, say). */
    readonly roleInputs?: (a: Arns) => Record<string, unknown>;
    /** A policy of the stack set as the role's permissions boundary, with these statements. */
    readonly boundary?: (a: Arns) => Statement[];
    /** Bucket policies of the source and of the destination (in any account). */
    readonly bucketPolicies?: { readonly source?: (a: Arns) => Statement[]; readonly destination?: (a: Arns) => Statement[] };
    /** Merged into the keys' inputs (policy, isEnabled, keySpec). */
    readonly sourceKeyInputs?: (a: Arns) => Record<string, unknown>;
    readonly replicaKeyInputs?: (a: Arns) => Record<string, unknown>;
    /** The account of the replica key (default the source's). */
    readonly replicaKeyAccount?: string;
    /** The rule replicates into this bucket ARN, of no bucket of the stack. */
    readonly externalDestination?: string;
    /** The source's default encryption uses the AWS managed key aws/s3 (no key of the stack). */
    readonly awsManagedSourceKey?: boolean;
}

export interface Built {
    readonly records: Record_[];
    readonly arns: Arns;
}

/** One-way replication `<id>-src` (us-east-2) → `<id>-dst` (us-west-2), changed by `o`. */
export function oneWay(id: string, o: StackOptions = {}): Built {
    const east = res(T.provider, `${id}-east`, { region: "us-east-2" });
    const westInputs: Record<string, unknown> = { region: "us-west-2" };
    if (o.crossAccount) {
        westInputs.allowedAccountIds = [OTHER_ACCOUNT];
    }
    const west = res(T.provider, `${id}-west`, westInputs);
    const arns: Arns = {
        source: `arn:aws:s3:::${id}-src`,
        destination: o.externalDestination ?? `arn:aws:s3:::${id}-dst`,
        sourceKey: `arn:aws:kms:us-east-2:${ACCOUNT}:key/${id}-source-key`,
        replicaKey: `arn:aws:kms:${o.replicaKeyRegion ?? "us-west-2"}:${o.replicaKeyAccount ?? ACCOUNT}:key/${id}-replica-key`,
        role: `arn:aws:iam::${ACCOUNT}:role/${id}-replication`,
        boundary: `arn:aws:iam::${ACCOUNT}:policy/${id}-boundary`,
    };
    const bucketType = o.inline ? T.bucketV2 : T.bucket;
    const dst = withOutputs(res(bucketType, `${id}-dst`, { bucket: `${id}-dst`, ...o.destinationInputs }, { provider: west }), { arn: arns.destination, region: "us-west-2" });
    const records: Record_[] = [east, west, dst];
    const versioning = (b: Record_, status = "Enabled") =>
        res(T.versioning, `${b.name}-versioning`, { bucket: b.name, versioningConfiguration: { status } }, { propDeps: { bucket: [b] }, provider: b.name.endsWith("dst") ? west : east });

    const keys: Record_[] = [];
    let sourceKey: Record_ | undefined;
    let replicaKey: Record_ | undefined;
    if (o.kms) {
        sourceKey = withOutputs(res(T.key, `${id}-source-key`, { enableKeyRotation: true, ...o.sourceKeyInputs?.(arns) }, { provider: east }), { arn: arns.sourceKey });
        const replicaProvider = (o.replicaKeyRegion ?? "us-west-2") === "us-west-2" ? west : east;
        replicaKey = withOutputs(res(T.key, `${id}-replica-key`, { enableKeyRotation: true, ...o.replicaKeyInputs?.(arns) }, { provider: replicaProvider }), { arn: arns.replicaKey });
        keys.push(sourceKey, replicaKey);
    }

    let role: Record_ | undefined;
    const statements = (o.statements ?? ((a: Arns) => minimalStatements(a, { kms: o.kms, bucketKey: o.bucketKey })))(arns);
    const document = JSON.stringify({ Version: "2012-10-17", Statement: statements });
    const grants: Record_[] = [];
    if (!o.externalRole) {
        const inputs: Record<string, unknown> = { name: `${id}-replication`, assumeRolePolicy: JSON.stringify(o.trust ?? s3Trust()) };
        if (o.grant === "inline") {
            inputs.inlinePolicies = [{ name: "replication", policy: document }];
        }
        if (o.managedPolicyArns) {
            inputs.managedPolicyArns = o.managedPolicyArns;
        }
        Object.assign(inputs, o.roleInputs?.(arns));
        if (o.boundary) {
            const boundary = withOutputs(
                res(T.policy, `${id}-boundary`, { name: `${id}-boundary`, policy: JSON.stringify({ Version: "2012-10-17", Statement: o.boundary(arns) }) }, { provider: east }),
                { arn: arns.boundary },
            );
            inputs.permissionsBoundary = arns.boundary;
            grants.push(boundary);
        }
        role = withOutputs(res(T.role, `${id}-replication-role`, inputs, { provider: east }), { arn: arns.role });
        const grant = o.grant ?? "rolePolicy";
        if (grant === "rolePolicy") {
            const policy = o.previewPolicy ? UNKNOWN : document;
            grants.push(res(T.rolePolicy, `${id}-replication-policy`, { role: `${id}-replication`, policy }, { propDeps: { role: [role] }, provider: east }));
        } else if (grant === "managed" || grant === "policyAttachment") {
            const managed = withOutputs(res(T.policy, `${id}-replication-policy`, { name: `${id}-replication`, policy: document }, { provider: east }), {
                arn: `arn:aws:iam::${ACCOUNT}:policy/${id}-replication`,
            });
            const attachment =
                grant === "managed"
                    ? res(T.attachment, `${id}-replication-attachment`, { role: `${id}-replication`, policyArn: managed.outputs!.arn }, { propDeps: { role: [role], policyArn: [managed] } })
                    : res(T.policyAttachment, `${id}-replication-attachment`, { name: `${id}-replication`, roles: [`${id}-replication`], policyArn: managed.outputs!.arn }, { propDeps: { roles: [role], policyArn: [managed] } });
            grants.push(managed, attachment);
        }
    }

    const rule: Record<string, unknown> = {
        id: "everything",
        status: "Enabled",
        filter: {},
        deleteMarkerReplication: { status: "Disabled" },
        destination: { bucket: arns.destination, storageClass: "STANDARD" },
        ...(o.kms
            ? {
                  sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                  destination: { bucket: arns.destination, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: arns.replicaKey } },
              }
            : {}),
        ...(o.rule ? o.rule(arns) : {}),
    };
    if (o.crossAccount) {
        rule.destination = { ...(rule.destination as object), account: OTHER_ACCOUNT };
    }
    const ruleDeps = [...(o.externalDestination ? [] : [dst]), ...(replicaKey ? [replicaKey] : [])];
    const roleDeps = role ? [role] : [];

    let src: Record_;
    const tail: Record_[] = [];
    if (o.inline) {
        // The V1 inline schema: `deleteMarkerReplicationStatus`, `replicaKmsKeyId` and `accountId` in the destination.
        const inlineRule: Record<string, unknown> = {
            id: rule.id,
            status: rule.status,
            ...("filter" in rule && rule.filter !== undefined ? { filter: rule.filter } : {}),
            ...("prefix" in rule ? { prefix: rule.prefix } : {}),
            destination: { bucket: arns.destination, storageClass: "STANDARD" },
        };
        src = withOutputs(
            res(bucketType, `${id}-src`, { bucket: `${id}-src`, replicationConfiguration: { role: arns.role, rules: [inlineRule] } }, {
                provider: east,
                propDeps: { replicationConfiguration: [...roleDeps, ...ruleDeps] },
            }),
            { arn: arns.source, region: "us-east-2" },
        );
    } else {
        src = withOutputs(res(bucketType, `${id}-src`, { bucket: `${id}-src`, ...o.sourceInputs }, { provider: east }), { arn: arns.source, region: "us-east-2" });
    }
    const vs = versioning(src);
    const vd = versioning(dst, o.destinationVersioning);
    if (o.kms && o.awsManagedSourceKey) {
        // SSE-KMS with the AWS managed key aws/s3: no key named.
        tail.push(
            res(T.sse, `${id}-src-encryption`, { bucket: src.name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: o.bucketKey !== false }] }, {
                propDeps: { bucket: [src] },
                provider: east,
            }),
        );
    } else if (o.kms && sourceKey) {
        tail.push(
            res(T.sse, `${id}-src-encryption`, { bucket: src.name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: arns.sourceKey }, bucketKeyEnabled: o.bucketKey !== false }] }, {
                propDeps: { bucket: [src], rules: [sourceKey] },
                provider: east,
            }),
        );
    }
    const destinationPolicy = o.bucketPolicies?.destination ?? o.crossAccount?.bucketPolicy;
    if (destinationPolicy) {
        const policy = JSON.stringify({ Version: "2012-10-17", Statement: destinationPolicy(arns) });
        tail.push(res(T.bucketPolicy, `${id}-dst-policy`, { bucket: dst.name, policy }, { propDeps: { bucket: [dst] }, provider: west }));
    }
    if (o.bucketPolicies?.source) {
        const policy = JSON.stringify({ Version: "2012-10-17", Statement: o.bucketPolicies.source(arns) });
        tail.push(res(T.bucketPolicy, `${id}-src-policy`, { bucket: src.name, policy }, { propDeps: { bucket: [src] }, provider: east }));
    }
    if (!o.inline) {
        tail.push(
            res(T.replication, `${id}-replication`, { bucket: src.name, role: arns.role, rules: o.rules ? o.rules(arns) : [rule] }, {
                propDeps: { bucket: [src], role: roleDeps, rules: ruleDeps },
                deps: [vs, vd, ...grants],
                provider: east,
            }),
        );
    }
    records.push(src, vs, vd, ...keys, ...(role ? [role] : []), ...grants, ...tail);
    return { records, arns };
}

/** The statements with `change` applied to the one whose Sid is `sid`. */
export function changeStatement(statements: Statement[], sid: string, change: (s: Statement) => Statement | undefined): Statement[] {
    return statements.flatMap((s) => {
        if (s.Sid !== sid) {
            return [s];
        }
        const changed = change(s);
        return changed ? [changed] : [];
    });
}

/** `s` without `action` in its Action list. */
export const withoutAction = (action: string) => (s: Statement): Statement => ({ ...s, Action: (s.Action as string[]).filter((a) => a !== action) });
