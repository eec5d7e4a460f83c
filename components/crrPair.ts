import * as pulumi from "@pulumi/pulumi";
import { createReplication } from "./wiring";
import { createSide } from "./side";
import { CrrPairArgs } from "./types";
import { ResolvedPair, resolveCrrPairArgs } from "./validation";

/** The type token of {@link CrrPair}. Stable: renaming it would replace every consumer's resources. */
export const CRR_PAIR_TYPE = "s3crr:index:CrrPair";

/** What one side of the pair exposes. */
export interface CrrSideOutputs {
    readonly region: string;
    /** Name of the replicated bucket, `<prefix>-crrlab-<region>`. */
    readonly bucketName: pulumi.Output<string>;
    /** ARN of the replicated bucket, `arn:aws:s3:::<name>`. */
    readonly bucketArn: pulumi.Output<string>;
    readonly loggingBucketName: pulumi.Output<string>;
    /** `arn:aws:cloudtrail:<region>:<account>:trail/<name>`. */
    readonly trailArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** Role S3 assumes to replicate out of this side's bucket. */
    readonly replicationRoleArn: pulumi.Output<string>;
    /** Id of the saved Logs Insights query over the log group. */
    readonly queryDefinitionId: pulumi.Output<string>;
    /** The side's customer managed key (only with `encryption: "aws:kms"`). */
    readonly kmsKeyArn?: pulumi.Output<string>;
}

/**
 * Registers everything of a pair under `component` (already constructed with the CrrPair type token) and
 * returns both sides' outputs. Shared by the TypeScript class below and by the multi-language face
 * (packages/crr-pair-plugin), which Pulumi's schema analyzer needs as a direct ComponentResource subclass.
 */
export function buildCrrPair(
    component: pulumi.ComponentResource,
    name: string,
    pair: ResolvedPair,
): { primary: CrrSideOutputs; secondary: CrrSideOutputs } {
    const sides = pair.sides.map((side) => createSide(component, name, pair, side));
    const outbound = createReplication(component, name, pair, sides);
    const [primary, secondary] = sides.map((s, i): CrrSideOutputs => ({
        region: s.side.region,
        bucketName: s.replicated.bucket.bucket,
        bucketArn: s.replicated.bucket.arn,
        loggingBucketName: s.logging.bucket.bucket,
        trailArn: s.trail.arn,
        logGroupName: s.logGroup.name,
        replicationRoleArn: outbound[i].role.arn,
        queryDefinitionId: s.query.queryDefinitionId,
        ...(s.kmsKey ? { kmsKeyArn: s.kmsKey.arn } : {}),
    }));
    return { primary, secondary };
}

/**
 * Bi-directional S3 cross-region replication between two regions, as built by the AWS Well-Architected
 * lab, hardened: per side a versioned, encrypted, private bucket, a CloudTrail trail of its object writes
 * delivered to a logging bucket and a CloudWatch Logs group, a saved Insights query, and a least-privilege
 * replication role; between the sides, one replication configuration per direction, each ordered after
 * both buckets' versioning and its role's policy.
 *
 * Arguments are validated before anything is registered (see CrrPairArgs).
 */
export class CrrPair extends pulumi.ComponentResource {
    public readonly primary: CrrSideOutputs;
    public readonly secondary: CrrSideOutputs;

    constructor(name: string, args: CrrPairArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before super(): a bad argument must not leave a half-registered component behind.
        const pair = resolveCrrPairArgs(args);
        super(CRR_PAIR_TYPE, name, {}, opts);
        const { primary, secondary } = buildCrrPair(this, name, pair);
        this.primary = primary;
        this.secondary = secondary;
        this.registerOutputs({ primary, secondary });
    }
}
