import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import type { ResolvedSettings } from "../model/options";
import type { AccessPointSettings } from "../model/types";
import type { ResolvedTopology } from "../model/validation";
import { accessPointPolicy, initialRoutes } from "../documents/accessPoint";
import type { SideResources } from "../side/side";

/** What a pair or a mesh exposes of its access point. */
export interface CrrAccessPointOutputs {
    /** The access point's name (the naming prefix). */
    readonly name: pulumi.Output<string>;
    /** Its alias, `<13 characters>.mrap`. */
    readonly alias: pulumi.Output<string>;
    /** `arn:aws:s3::<account>:accesspoint/<alias>`: what SDK calls take as the bucket. */
    readonly arn: pulumi.Output<string>;
    /** The endpoint applications use, `<alias>.accesspoint.s3-global.amazonaws.com` (SigV4A-signed). */
    readonly endpoint: pulumi.Output<string>;
}

/** The access point's resources. */
export interface BuiltAccessPoint {
    readonly accessPoint: aws.s3control.MultiRegionAccessPoint;
    readonly policy: aws.s3control.MultiRegionAccessPointPolicy;
    readonly routes: aws.s3control.MultiRegionAccessPointRoutes;
    readonly outputs: CrrAccessPointOutputs;
}

/**
 * Registers the Multi-Region Access Point over every side's bucket (in the first side's account, with its
 * provider; buckets of other accounts name theirs), its policy and its initial routes. The routes are set
 * once: `ignoreChanges` keeps a later deployment from setting them back after a failover, which changes
 * them outside Pulumi (`npm run failover`). Destroying the routes resource changes no routing. The routes
 * resource lives in `routesRegion` (one of the Regions serving the route APIs), fixed for its lifetime.
 */
export function createAccessPoint(
    component: pulumi.Resource,
    name: string,
    sides: readonly SideResources[],
    topology: Pick<ResolvedTopology, "namingPrefix" | "protectData"> & { readonly accessPoint: false | ResolvedSettings<AccessPointSettings> },
): BuiltAccessPoint | undefined {
    const settings = topology.accessPoint;
    if (settings === false) {
        return undefined;
    }
    const owner = sides[0];
    const opts = { parent: component, provider: owner.side.provider };
    const accessPointName = topology.namingPrefix;
    const regions = sides.map((s) =>
        pulumi.all([s.replicated.bucket.bucket, s.identity.accountId, owner.identity.accountId]).apply(([bucket, account, ownerAccount]) => ({
            bucket,
            // Only a bucket of another account names its account.
            ...(account === ownerAccount ? {} : { bucketAccountId: account }),
        })),
    );
    // Creation is asynchronous on AWS's side and often takes several minutes; the provider waits for it. Its
    // buckets cannot change: a change of them (a region, an account, the naming prefix) replaces the access point,
    // whose successor has a new alias and ARN. Option `protectData` protects it, as it does the data.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/multi-region-access-point-buckets.html
    const accessPoint = new aws.s3control.MultiRegionAccessPoint(
        `${name}-access-point`,
        {
            details: {
                name: accessPointName,
                regions,
                // All four flags, as the buckets have them.
                publicAccessBlock: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            },
        },
        // The buckets' policies are in place before the access point reaches them.
        { ...opts, dependsOn: sides.map((s) => s.replicated.policy), ...(topology.protectData ? { protect: true } : {}) },
    );
    if (topology.protectData) {
        // Said on every preview, where the replacement would show: the plan and `pulumi preview` print it.
        void pulumi.log.info(
            `access point '${accessPointName}' is protected (protectData): a change of its buckets (a region, an account or the ` +
                "naming prefix) replaces it, and its successor has a new alias and ARN every client must be given; such a deploy " +
                "fails until someone runs 'pulumi state unprotect' on purpose",
            accessPoint,
        );
    }
    const policy = new aws.s3control.MultiRegionAccessPointPolicy(
        `${name}-access-point-policy`,
        {
            details: {
                name: accessPointName,
                policy: pulumi
                    .all([owner.identity.partition, owner.identity.accountId, accessPoint.arn])
                    .apply(([partition, accountId, arn]) => JSON.stringify(accessPointPolicy(partition, accountId, arn))),
            },
        },
        opts,
    );
    // AWS serves the route APIs in five Regions only, and the provider calls the region the resource is
    // registered in: never the first side's (us-east-2 by default refuses them). See MRAP_ROUTE_REGIONS.
    const routes = new aws.s3control.MultiRegionAccessPointRoutes(
        `${name}-access-point-routes`,
        {
            region: settings.routesRegion,
            mrap: accessPoint.arn,
            routes: pulumi
                .all(sides.map((s) => pulumi.all([s.replicated.bucket.bucket, s.context.region])))
                .apply((pairs) => initialRoutes(settings.routing, pairs.map(([bucket, region]) => ({ bucket, region })))),
        },
        // Routing is operational state: set at creation, then owned by whoever fails over.
        { ...opts, ignoreChanges: ["routes"] },
    );
    return {
        accessPoint,
        policy,
        routes,
        outputs: { name: accessPoint.details.name, alias: accessPoint.alias, arn: accessPoint.arn, endpoint: accessPoint.domainName },
    };
}
