/**
 * KMS keys as KMS sees them, for replication: which key an ARN, id or alias names, whether KMS will use it
 * at all (enabled, symmetric), where it lives (region, account), and what its key policy is, including the
 * AWS managed key `aws/s3`, whose policy AWS writes and nobody can change.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 */
import { Statement } from "./model";
import { dnsSuffix } from "./replicationRequests";

/** A key ARN or alias ARN, parsed; undefined when the value is neither (a key id, an alias name). */
export function kmsArn(value: string): { partition: string; region: string; account: string; isAlias: boolean; name: string } | undefined {
    const m = /^arn:([^:]+):kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/.exec(value);
    return m ? { partition: m[1], region: m[2], account: m[3], isAlias: m[4] === "alias", name: m[5] } : undefined;
}

/** True for the alias of the AWS managed key for S3 (`aws/s3`), by ARN or by name. */
export function isAwsManagedS3Alias(value: string): boolean {
    return value === "alias/aws/s3" || kmsArn(value)?.name === "aws/s3";
}

/** What a key's definition says about whether KMS uses it (from the key resource; undefined: not stated, KMS's default). */
export interface KeyDefinition {
    readonly isEnabled?: boolean;
    readonly keySpec?: string;
    readonly keyUsage?: string;
}

/** What S3 does when it cannot use the key, by use. */
const USE = {
    source: { failure: "S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate", code: "SrcKmsKeyInvalidState" },
    replica: { failure: "S3 cannot encrypt the replicas and SSE-KMS objects fail to replicate", code: "DstKmsKeyInvalidState" },
} as const;

/**
 * Why KMS would refuse S3 a key whatever the policies say: the key is disabled, or it is not a symmetric
 * encryption key (S3 supports only those). A key pending deletion cannot be seen in a program: it is a state
 * of a key's life, not of its definition.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html
 */
export function keyDefinitionProblems(keyText: string, use: "source" | "replica", key: KeyDefinition): string[] {
    const problems: string[] = [];
    if (key.isEnabled === false) {
        problems.push(
            `${keyText} is disabled (isEnabled: false): KMS refuses every request for a disabled key, so ${USE[use].failure} ` +
                `(${USE[use].code}). Fix: set isEnabled to true.`,
        );
    }
    const spec = key.keySpec ?? "SYMMETRIC_DEFAULT";
    const usage = key.keyUsage ?? "ENCRYPT_DECRYPT";
    if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") {
        problems.push(
            `${keyText} is not a symmetric encryption key (key spec ${spec}, usage ${usage}): S3 supports only symmetric encryption KMS ` +
                `keys, so ${USE[use].failure}. Fix: use a key with key spec SYMMETRIC_DEFAULT and usage ENCRYPT_DECRYPT.`,
        );
    }
    return problems;
}

/**
 * The AWS managed key `aws/s3` of an account cannot serve a bucket of another account: its key policy lets
 * only principals of its own account use it, through S3, and nobody can change that policy.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html#replication-kms-cross-acct-scenario
 */
export function awsManagedKeyProblem(keyText: string, keyAccount: string, bucketText: string, bucketAccount: string): string | undefined {
    if (keyAccount === bucketAccount) {
        return undefined;
    }
    return (
        `replica key ${keyText} is the AWS managed key aws/s3 of account ${keyAccount}, which cannot encrypt replicas for ${bucketText} of ` +
        `account ${bucketAccount}: its key policy lets only its own account use it and cannot be changed, so SSE-KMS objects fail to ` +
        `replicate. Fix: name a customer managed key whose key policy lets the replication role use it.`
    );
}

/**
 * The key policy of an AWS managed key for S3 (`aws/s3`), as AWS writes it: every principal of its account
 * that may use S3, through S3 in the key's region.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 */
export function awsManagedS3KeyPolicy(partition: string, account: string, region: string): Statement[] {
    return [
        {
            Sid: "Allow access through S3 for all principals in the account that are authorized to use S3",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": `s3.${region}.${dnsSuffix(partition)}` } },
        },
    ];
}

/**
 * The default key policy, which a key created without one gets: the account root's `kms:*`, which lets the
 * account's IAM policies count.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function defaultKeyPolicy(partition: string, account: string): Statement[] {
    return [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" }];
}
