import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
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
}

export function sideContext(parent: pulumi.Resource, pairName: string, pair: ResolvedPair, side: ResolvedSide): SideContext {
    const caller = aws.getCallerIdentityOutput({}, { parent, provider: side.provider });
    const partitionInfo = aws.getPartitionOutput({}, { parent, provider: side.provider });
    return {
        pair,
        side,
        region: side.region,
        names: sideNames(pair.namingPrefix, side.region),
        identity: { accountId: caller.accountId, partition: partitionInfo.partition, dnsSuffix: partitionInfo.dnsSuffix },
        tags: pair.tags,
        opts: { parent, provider: side.provider },
        childName: (suffix) => `${pairName}-${side.key}-${suffix}`,
    };
}
