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
import { ContextValue, RequestContext, ResourceRef } from "./iamEval";

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
