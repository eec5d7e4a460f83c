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
    /**
     * The bucket exists already (a side's `existingBucket`): it is referred to, not created, and the settings
     * that only ever make it safer stay when the stack lets go of it (see {@link hardenedBucket}).
     */
    readonly existing?: boolean;
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
    const bucket = args.existing ? existingBucket(name, args, opts) : new aws.s3.Bucket(
        name,
        { bucket: args.bucketName, region, forceDestroy: args.forceDestroy, tags: args.tags },
        { ...opts, dependsOn: args.dependsOn ?? [] },
    );
    // An existing bucket keeps, when the stack lets go of it, the settings that only make it safer: deleting
    // a BucketVersioning suspends the bucket's versioning (terraform-provider-aws, aws_s3_bucket_versioning),
    // deleting the public access block or the ownership controls reopens public access and ACLs.
    const keep: pulumi.CustomResourceOptions = args.existing ? { retainOnDelete: true } : {};
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, region, versioningConfiguration: { status: "Enabled" } },
        { ...opts, ...keep },
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
        { ...opts, ...keep },
    );
    const ownershipControls = new aws.s3.BucketOwnershipControls(
        `${name}-ownership-controls`,
        { bucket: bucket.id, region, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { ...opts, ...keep },
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

/**
 * An existing bucket, as a reference (`aws.s3.Bucket.get`: read, never created, updated nor deleted) rather
 * than an import. Pulumi's `import` option requires the resource's inputs to match the bucket's actual state
 * (tags, `forceDestroy`, ...) or the preview fails, and an imported bucket belongs to the stack: `pulumi
 * destroy` would delete it. A reference reads the bucket through the side's provider (a bucket that does not
 * exist there fails the preview), and the stack never owns it. The component's tags are not applied to it.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/get/
 * @see https://www.pulumi.com/docs/iac/concepts/options/import/
 */
function existingBucket(name: string, args: HardenedBucketArgs, opts: pulumi.CustomResourceOptions): aws.s3.Bucket {
    // `protect` and `retainOnDelete` mean nothing to a read resource: only its parent and provider are passed.
    return aws.s3.Bucket.get(name, args.bucketName, { region: args.region }, { parent: opts.parent, provider: opts.provider, dependsOn: args.dependsOn ?? [] });
}
