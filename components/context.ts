import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import * as iam from "./iam";
import { SideNames, sideNames } from "./naming";
import { ResolvedPair, ResolvedSide } from "./validation";

/** Account facts a side's policies need, looked up through the side's own provider. */
export interface SideIdentity {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    readonly dnsSuffix: pulumi.Output<string>;
}

/** What every builder of one side shares: where to register, under which names, with which options. */
export interface SideContext {
    readonly pair: ResolvedPair;
    readonly side: ResolvedSide;
    readonly region: string;
    readonly names: SideNames;
    readonly identity: SideIdentity;
    readonly tags: Record<string, string>;
    /** Options of every child: parented to the component, created with the side's provider. */
    readonly opts: pulumi.CustomResourceOptions;
    /** `<pairName>-<side key>-<suffix>`: the logical name of a child. */
    readonly childName: (suffix: string) => string;
    /**
     * ARNs that policies must name before their resources exist (CloudTrail checks the bucket policy when
     * the trail is created; the key policy must admit the log group before the group is created with it).
     */
    readonly expected: { readonly trailArn: pulumi.Output<string>; readonly logGroupArn: pulumi.Output<string> };
}

export function sideContext(parent: pulumi.Resource, pairName: string, pair: ResolvedPair, side: ResolvedSide): SideContext {
    const caller = aws.getCallerIdentityOutput({}, { parent, provider: side.provider });
    const partitionInfo = aws.getPartitionOutput({}, { parent, provider: side.provider });
    const names = sideNames(pair.namingPrefix, side.region);
    const account = pulumi.all([partitionInfo.partition, caller.accountId]);
    return {
        pair,
        side,
        region: side.region,
        names,
        identity: { accountId: caller.accountId, partition: partitionInfo.partition, dnsSuffix: partitionInfo.dnsSuffix },
        tags: pair.tags,
        opts: { parent, provider: side.provider },
        childName: (suffix) => `${pairName}-${side.key}-${suffix}`,
        expected: {
            trailArn: account.apply(([partition, id]) => iam.trailArn(partition, side.region, id, names.trail)),
            logGroupArn: account.apply(([partition, id]) => iam.logGroupArn(partition, side.region, id, names.logGroup)),
        },
    };
}
