import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import { SideNames, sideNames } from "../model/naming";
import { CrrPairArgsError, deferredRegionProblems, providerRegionProblems, ResolvedSide, ResolvedTopology } from "../model/validation";
import * as iam from "../documents/iam";

/** Account facts a side's policies need, looked up through the side's own provider. */
export interface SideIdentity {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    readonly dnsSuffix: pulumi.Output<string>;
}

/** A replication role that writes into a side, with the account it belongs to (its source side's). */
export interface InboundReplication {
    readonly role: aws.iam.Role;
    readonly accountId: pulumi.Output<string>;
}

/** The side's physical names, as Outputs of its (checked) region. */
export type SideNameOutputs = { readonly [K in keyof SideNames]: pulumi.Output<string> };

/** What every builder of one side shares: where to register, under which names, with which options. */
export interface SideContext {
    readonly topology: ResolvedTopology;
    readonly side: ResolvedSide;
    /**
     * The side's region, checked: every resource of the side takes an input from it (its `region`, or a
     * name derived from it), so a region that fails its checks holds back every resource of the side.
     */
    readonly region: pulumi.Output<string>;
    readonly names: SideNameOutputs;
    readonly identity: SideIdentity;
    readonly tags: Record<string, string>;
    /** Options of every child: parented to the component, created with the side's provider. */
    readonly opts: pulumi.CustomResourceOptions;
    /**
     * Arguments every IAM role of the side spreads in: its permissions boundary in the side's account
     * (option `permissionsBoundary`), or nothing.
     */
    readonly roleBoundary: { readonly permissionsBoundary?: pulumi.Output<string> };
    /** `<component name>-<side key>-<suffix>`: the logical name of a child. */
    readonly childName: (suffix: string) => string;
    /**
     * ARNs that policies must name before their resources exist (CloudTrail checks the bucket policy when
     * the trail is created; the key policy must admit the log group before the group is created with it).
     */
    readonly expected: { readonly trailArn: pulumi.Output<string>; readonly logGroupArn: pulumi.Output<string> };
}

/**
 * Each side's region as an Output that resolves only when the region passes its checks. A region given in
 * the arguments was checked before anything was registered; one read from the provider (`aws.getRegion`
 * through it) is checked here, as soon as every side's region is known, with the same messages. A region
 * given beside a provider must be the provider's own (the side's global calls, its account facts and the
 * access point go through the provider): the provider's region is read and compared. A failure rejects the
 * Output, which fails the deployment with the message and holds back every resource of that side.
 */
export function checkedRegions(parent: pulumi.Resource, topology: ResolvedTopology, component: "CrrPair" | "CrrMesh"): pulumi.Output<string>[] {
    const fromProviders = pulumi.all(topology.sides.map((side) => aws.getRegionOutput({}, { parent, provider: side.provider }).apply((r) => r.region)));
    const paths = topology.sides.map((side) => side.path);
    const allGiven = topology.sides.every((side) => side.givenRegion !== undefined);
    // Every side's problems, each once: any of them holds back every side (the sides wire into each other).
    const checked = fromProviders.apply((providerRegions) => {
        const regions = topology.sides.map((s, i) => s.givenRegion ?? providerRegions[i]);
        const problems = topology.sides.flatMap((side, index) => [
            ...(allGiven ? [] : deferredRegionProblems(topology.namingPrefix, paths, regions, index)),
            ...providerRegionProblems(paths[index], side.givenRegion, providerRegions[index]),
        ]);
        const unique = problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i);
        if (unique.length > 0) {
            throw new CrrPairArgsError(unique, component);
        }
        return regions;
    });
    return topology.sides.map((_, index) => checked.apply((regions) => regions[index]));
}

export function sideContext(
    parent: pulumi.Resource,
    componentName: string,
    topology: ResolvedTopology,
    side: ResolvedSide,
    region: pulumi.Output<string>,
): SideContext {
    const caller = aws.getCallerIdentityOutput({}, { parent, provider: side.provider });
    const partitionInfo = aws.getPartitionOutput({}, { parent, provider: side.provider });
    // A side over an existing bucket (`existingBucket`) names that bucket wherever the derived name would be.
    const all = region.apply((r) => {
        const derived = sideNames(topology.namingPrefix, r);
        return side.existingBucket === undefined
            ? derived
            : { ...derived, bucket: side.existingBucket, accessLogPrefix: `s3-access-logs/${side.existingBucket}/` };
    });
    const names = Object.fromEntries(
        (Object.keys(sideNames(topology.namingPrefix, "xx-region-1")) as (keyof SideNames)[]).map((k) => [k, all.apply((n) => n[k])]),
    ) as unknown as SideNameOutputs;
    const facts = pulumi.all([partitionInfo.partition, caller.accountId, region, all]);
    return {
        topology,
        side,
        region,
        names,
        identity: { accountId: caller.accountId, partition: partitionInfo.partition, dnsSuffix: partitionInfo.dnsSuffix },
        tags: topology.tags,
        opts: { parent, provider: side.provider },
        roleBoundary:
            topology.permissionsBoundary === ""
                ? {}
                : {
                      permissionsBoundary: pulumi
                          .all([partitionInfo.partition, caller.accountId])
                          .apply(([partition, accountId]) => iam.permissionsBoundaryArn(topology.permissionsBoundary, partition, accountId)!),
                  },
        childName: (suffix) => `${componentName}-${side.key}-${suffix}`,
        expected: {
            trailArn: facts.apply(([partition, id, r, n]) => iam.trailArn(partition, r, id, n.trail)),
            logGroupArn: facts.apply(([partition, id, r, n]) => iam.logGroupArn(partition, r, id, n.logGroup)),
        },
    };
}
