import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";

/** Default encryption of a bucket: SSE-S3, or SSE-KMS with a customer key and an S3 Bucket Key. */
export type BucketEncryption = { readonly algorithm: "AES256" } | { readonly algorithm: "aws:kms"; readonly keyArn: pulumi.Input<string> };

export interface HardenedBucketArgs {
    readonly bucketName: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    readonly encryption: BucketEncryption;
    readonly forceDestroy: boolean;
    readonly tags: Record<string, string>;
    /**
     * What the bucket itself must be created after and deleted before. A bucket encrypted with a customer
     * key names that key here: `pulumi destroy` then schedules the key's deletion only once the bucket is
     * gone, and a bucket that cannot be deleted (not empty) keeps its key.
     */
    readonly dependsOn?: pulumi.Resource[];
    /** The bucket policy, from the bucket's ARN. It must at least deny requests without TLS. */
    readonly policy: (bucketArn: pulumi.Output<string>) => pulumi.Input<string>;
}

/** A bucket with its split configuration resources (the @pulumi/aws v7 way, no deprecated inline props). */
export interface HardenedBucket {
    readonly bucket: aws.s3.Bucket;
    readonly versioning: aws.s3.BucketVersioning;
    readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
    readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    readonly ownershipControls: aws.s3.BucketOwnershipControls;
    readonly policy: aws.s3.BucketPolicy;
}

/**
 * Registers a bucket hardened the same way wherever this project creates one: versioning Enabled, default
 * encryption, all four public access block flags, ACLs disabled (`BucketOwnerEnforced`), and a bucket
 * policy. Child names are `<name>`, `<name>-versioning`, `-encryption`, `-public-access-block`,
 * `-ownership-controls`, `-policy`.
 */
export function hardenedBucket(name: string, args: HardenedBucketArgs, opts: pulumi.CustomResourceOptions): HardenedBucket {
    const region = args.region;
    const bucket = new aws.s3.Bucket(
        name,
        { bucket: args.bucketName, region, forceDestroy: args.forceDestroy, tags: args.tags },
        { ...opts, dependsOn: args.dependsOn ?? [] },
    );
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, region, versioningConfiguration: { status: "Enabled" } },
        opts,
    );
    const byDefault =
        args.encryption.algorithm === "aws:kms"
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.keyArn }
            : { sseAlgorithm: "AES256" };
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            region,
            rules: [
                args.encryption.algorithm === "aws:kms"
                    ? { applyServerSideEncryptionByDefault: byDefault, bucketKeyEnabled: true }
                    : { applyServerSideEncryptionByDefault: byDefault },
            ],
        },
        opts,
    );
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access-block`,
        {
            bucket: bucket.id,
            region,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    const ownershipControls = new aws.s3.BucketOwnershipControls(
        `${name}-ownership-controls`,
        { bucket: bucket.id, region, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
    );
    // After the public access block and ownership controls: S3 answers OperationAborted to concurrent
    // changes of one bucket's access settings.
    const policy = new aws.s3.BucketPolicy(
        `${name}-policy`,
        { bucket: bucket.id, region, policy: args.policy(bucket.arn) },
        { ...opts, dependsOn: [publicAccessBlock, ownershipControls] },
    );
    return { bucket, versioning, encryption, publicAccessBlock, ownershipControls, policy };
}
