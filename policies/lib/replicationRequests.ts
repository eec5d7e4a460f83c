/**
 * The requests S3 makes to carry out one replication rule, and what each carries that a policy's conditions
 * can test: the actions on which ARNs ("Setting up permissions for live replication", "Using Object Lock with
 * replication", "Changing the replica owner", "Replicating encrypted objects"), and the condition keys whose
 * values the plan knows. Every other key is one the plan cannot know: a condition on it is neither met nor
 * failed, and the gate reports it as not proven.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
 */
import { ContextValue, evaluate, FailedKey, RequestContext, ResourceRef } from "./iamEval";
import { Statement } from "./model";

/** S3's actions for live replication, by what they act on. */
export const SOURCE_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:ListBucket"] as const;
export const SOURCE_OBJECT_ACTIONS = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"] as const;
/** With Object Lock on the source: its objects' retention and legal holds ("Using Object Lock with replication"). */
export const OBJECT_LOCK_ACTIONS = ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] as const;
/** `s3:ReplicateDelete` only where delete markers are replicated. */
export const DESTINATION_OBJECT_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateTags"] as const;
export const DELETE_MARKER_ACTION = "s3:ReplicateDelete";
/** With an owner override (`accessControlTranslation`), on the destination's objects ("Changing the replica owner"). */
export const OWNER_OVERRIDE_ACTION = "s3:ObjectOwnerOverrideToBucketOwner";
export const SOURCE_KEY_ACTION = "kms:Decrypt";
export const REPLICA_KEY_ACTION = "kms:Encrypt";
export const S3_PRINCIPAL = "s3.amazonaws.com";

/** What a request carries: the keys the plan knows, and which others it may carry with values the plan cannot know. */
export interface KnownContext {
    readonly context: RequestContext;
    readonly unknownKeys: (key: string) => boolean;
}

/** The replication role as its requests show it. */
export interface RoleFacts {
    readonly arn: string;
    readonly account: string;
    /** Its tags (`aws:PrincipalTag/<key>`); undefined when unknown. */
    readonly tags?: Readonly<Record<string, string>>;
}

/** The DNS suffix of a partition's service endpoints (`kms:ViaService` is `s3.<region>.<suffix>`). */
export function dnsSuffix(partition: string): string {
    return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

function lowerKeys(context: Record<string, ContextValue>): Set<string> {
    return new Set(Object.keys(context).map((k) => k.toLowerCase()));
}

/** Keys the role's requests carry: who it is (ARN, account, tags), over TLS, not a service principal. */
function roleContext(role: RoleFacts): { context: Record<string, ContextValue>; absent: (key: string) => boolean } {
    const context: Record<string, ContextValue> = {
        "aws:PrincipalArn": role.arn,
        "aws:PrincipalAccount": role.account,
        "aws:PrincipalType": "AssumedRole",
        "aws:PrincipalIsAWSService": "false",
        "aws:SecureTransport": "true",
    };
    for (const [k, v] of Object.entries(role.tags ?? {})) {
        context[`aws:PrincipalTag/${k}`] = v;
    }
    // With the role's tags known, a tag it does not have is absent from its requests.
    const absent = (key: string) => role.tags !== undefined && key.toLowerCase().startsWith("aws:principaltag/");
    return { context, absent };
}

function knownContext(context: Record<string, ContextValue>, absent: (key: string) => boolean = () => false): KnownContext {
    const given = lowerKeys(context);
    return { context, unknownKeys: (key) => !given.has(key.toLowerCase()) && !absent(key) };
}

/**
 * S3 assuming the role (`sts:AssumeRole` by the service principal): `aws:SourceAccount` is the source
 * bucket's account, `aws:SourceArn` the source bucket's ARN (the confused-deputy guard AWS documents for
 * service roles). S3 sends no external id.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function trustContext(source: { readonly account?: string; readonly bucketArn?: string }): KnownContext {
    const context: Record<string, ContextValue> = {
        "aws:PrincipalServiceName": S3_PRINCIPAL,
        "aws:PrincipalIsAWSService": "true",
        "aws:SecureTransport": "true",
    };
    if (source.account !== undefined) {
        context["aws:SourceAccount"] = source.account;
    }
    if (source.bucketArn !== undefined) {
        context["aws:SourceArn"] = source.bucketArn;
    }
    return knownContext(context, (key) => key.toLowerCase() === "sts:externalid");
}

/** The role's requests to a bucket or its objects (`aws:ResourceAccount` and `aws:RequestedRegion` where known). */
export function s3Context(role: RoleFacts, bucket: { readonly account?: string; readonly region?: string }): KnownContext {
    const { context, absent } = roleContext(role);
    if (bucket.account !== undefined) {
        context["aws:ResourceAccount"] = bucket.account;
    }
    if (bucket.region !== undefined) {
        context["aws:RequestedRegion"] = bucket.region;
    }
    return knownContext(context, absent);
}

/**
 * The role's requests to KMS, which S3 makes on its behalf: through S3 in the bucket's region
 * (`kms:ViaService`), from the role's account (`kms:CallerAccount`), with the object's ARN as the encryption
 * context, or the bucket's ARN where an S3 Bucket Key is in use.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
 */
export function kmsContext(role: RoleFacts, use: { readonly region?: string; readonly partition: string; readonly encryptionContext?: ContextValue }): KnownContext {
    const { context, absent } = roleContext(role);
    context["kms:CallerAccount"] = role.account;
    context["kms:EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT";
    context["aws:ViaAWSService"] = "true";
    if (use.region !== undefined) {
        context["kms:ViaService"] = `s3.${use.region}.${dnsSuffix(use.partition)}`;
    }
    if (use.encryptionContext !== undefined) {
        context["kms:EncryptionContext:aws:s3:arn"] = use.encryptionContext;
        context["kms:EncryptionContextKeys"] = ["aws:s3:arn"];
    }
    return knownContext(context, absent);
}

/**
 * The encryption context of the objects a rule replicates, in one bucket: with an S3 Bucket Key, the
 * bucket's ARN; without, each object's ARN (every ARN under the rule's prefix).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
export function encryptionContextOf(bucketArn: string, prefix: string, bucketKey: boolean): ContextValue {
    return bucketKey ? bucketArn : { prefix: `${bucketArn}/${prefix}` };
}

/** One request S3 makes for a rule: which actions, on what, on which side. */
export interface Need {
    readonly side: "source" | "destination";
    readonly actions: readonly string[];
    readonly resource: ResourceRef;
}

/** What a rule makes S3 do on the buckets (the key requests are built apart: they need the keys' facts). */
export interface RuleFacts {
    readonly sourceArn: string;
    readonly destinationArn?: string;
    readonly prefix: string;
    readonly deleteMarkers: boolean;
    readonly sourceObjectLock: boolean;
    readonly ownerOverride: boolean;
}

/** The bucket and object requests of one rule (the source bucket's own actions are asked once per configuration). */
export function objectNeeds(rule: RuleFacts): Need[] {
    const needs: Need[] = [
        {
            side: "source",
            actions: [...SOURCE_OBJECT_ACTIONS, ...(rule.sourceObjectLock ? OBJECT_LOCK_ACTIONS : [])],
            resource: { prefix: `${rule.sourceArn}/${rule.prefix}` },
        },
    ];
    if (rule.destinationArn !== undefined) {
        needs.push({
            side: "destination",
            actions: [
                ...DESTINATION_OBJECT_ACTIONS,
                ...(rule.deleteMarkers ? [DELETE_MARKER_ACTION] : []),
                ...(rule.ownerOverride ? [OWNER_OVERRIDE_ACTION] : []),
            ],
            resource: { prefix: `${rule.destinationArn}/${rule.prefix}` },
        });
    }
    return needs;
}

/** How messages quote a key's value in a request: a string, several, or a family of object ARNs. */
export const quote = (v: ContextValue | undefined, key: string): string =>
    v === undefined ? `no ${key}` : typeof v === "string" ? `'${v}'` : Array.isArray(v) ? v.map((x) => `'${x}'`).join(", ") : `each object's ARN ('${(v as { prefix: string }).prefix}*')`;

/** "kms:ViaService is 's3.us-west-2.amazonaws.com'" for a failed key, and what S3's request carries instead. */
export function describeFailed(failed: readonly FailedKey[], where: string): { wanted: string; carried: string; fix: string } {
    const verb = (operator: string) => {
        const negated = /Not/.test(operator);
        const like = /Like/.test(operator);
        return negated ? (like ? "does not match" : "is not") : like ? "matches" : "is";
    };
    return {
        wanted: failed.map((f) => `${f.key} ${verb(f.operator)} ${f.expected.map((e) => `'${e}'`).join(" or ")}`).join(" and "),
        carried: failed.map((f) => `${quote(f.actual, f.key)}${f.actual === undefined ? "" : ` for ${f.key}`}`).join(" and "),
        // A key S3's request does not carry cannot be admitted: the condition on it has to go.
        fix: failed
            .map((f) =>
                f.actual === undefined
                    ? `remove the condition on ${f.key} from ${where} (S3's request does not carry it)`
                    : `make ${where}'s condition admit ${quote(f.actual, f.key)} for ${f.key}`,
            )
            .join("; "),
    };
}

/** A finding of one category's check: S3 will certainly fail, or it cannot be proven. */
export interface Problem {
    readonly kind: "fails" | "unproven";
    readonly message: string;
}

/**
 * Whether S3 may assume the role: `sts:AssumeRole` by the service principal, for this source bucket of this
 * account, as the trust policy decides it, its conditions included. `roleText` and `sourceText` name the role
 * and the source bucket in messages.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function trustProblem(
    statements: readonly Statement[],
    role: { readonly arn: string; readonly text: string },
    source: { readonly account: string; readonly bucketArn?: string; readonly text: string },
): Problem | undefined {
    const known = trustContext({ account: source.account, bucketArn: source.bucketArn });
    const d = evaluate(statements, { action: "sts:AssumeRole", resource: { exact: role.arn }, service: S3_PRINCIPAL, context: known.context, unknownKeys: known.unknownKeys });
    if (d.effect === "allow") {
        return undefined;
    }
    if (d.effect === "implicitDeny" && d.nearMiss) {
        const f = describeFailed(d.nearMiss.failed, "the trust policy");
        return {
            kind: "fails",
            message:
                `S3 cannot assume ${role.text}: its trust policy lets ${S3_PRINCIPAL} call sts:AssumeRole only when ${f.wanted}, and S3 ` +
                `assumes it for ${source.text} with ${f.carried}, so nothing is replicated (AssumeRoleNotPermitted). Fix: ${f.fix}.`,
        };
    }
    if (d.effect === "conditionalAllow" || d.effect === "conditionalDeny") {
        return {
            kind: "unproven",
            message:
                `could not prove that S3 can assume ${role.text}: its trust policy ${d.effect === "conditionalAllow" ? "allows" : "denies"} ` +
                `${S3_PRINCIPAL} sts:AssumeRole under a condition on ${(d.keys ?? []).join(", ")}, whose value the plan cannot know. Fix: ` +
                "condition the trust on aws:SourceAccount and aws:SourceArn only.",
        };
    }
    return {
        kind: "fails",
        message:
            `S3 cannot assume ${role.text}: its trust policy does not let ${S3_PRINCIPAL} call sts:AssumeRole, so nothing ` +
            'is replicated (AssumeRoleNotPermitted). Fix: set its assumeRolePolicy to allow the service principal ' +
            `"${S3_PRINCIPAL}" the action "sts:AssumeRole".`,
    };
}

/**
 * Object Lock: a source with it replicates only into a destination with it (DstBucketObjectLockConfigMissing);
 * the role's reads of retention and legal holds are among {@link objectNeeds}. `locked` undefined: the
 * destination is not in the stack.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-replication
 */
export function objectLockProblem(
    ruleId: string,
    source: { readonly text: string; readonly locked: boolean },
    destination: { readonly text: string; readonly locked: boolean | undefined },
): Problem | undefined {
    if (!source.locked || destination.locked === true) {
        return undefined;
    }
    if (destination.locked === undefined) {
        return {
            kind: "unproven",
            message:
                `could not prove that rule '${ruleId}''s destination ${destination.text} has Object Lock, as ${source.text} does: it is ` +
                "not a bucket of this stack. Fix: manage the destination bucket in this stack.",
        };
    }
    return {
        kind: "fails",
        message:
            `${source.text} has Object Lock and rule '${ruleId}''s destination ${destination.text} does not: S3 cannot ` +
            `replicate objects of a bucket with Object Lock into it (DstBucketObjectLockConfigMissing). Fix: create ` +
            `${destination.text} with objectLockEnabled: true (Object Lock is set when a bucket is created).`,
    };
}
