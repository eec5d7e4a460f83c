import * as pulumi from "@pulumi/pulumi";
import { CrrPairArgs } from "./model/types";
import { resolveCrrPairArgs, ResolvedTopology } from "./model/validation";
import { CrrAccessPointOutputs } from "./topology/accessPoint";
import { buildTopology, CrrSideOutputs } from "./topology/topology";

export type { CrrSideOutputs } from "./topology/topology";

/** The type token of {@link CrrPair}. Stable: renaming it would replace every consumer's resources. */
export const CRR_PAIR_TYPE = "s3crr:index:CrrPair";

/**
 * Registers everything of a pair under `component` (already constructed with the CrrPair type token) and
 * returns both sides' outputs. Shared by the TypeScript class below and by the multi-language face
 * (packages/crr-pair-plugin), which Pulumi's schema analyzer needs as a direct ComponentResource subclass.
 */
export function buildCrrPair(
    component: pulumi.ComponentResource,
    name: string,
    pair: ResolvedTopology,
): { primary: CrrSideOutputs; secondary: CrrSideOutputs; dashboardName?: pulumi.Output<string>; accessPoint?: CrrAccessPointOutputs } {
    const built = buildTopology(component, name, pair, "CrrPair");
    const [primary, secondary] = built.outputs;
    return {
        primary,
        secondary,
        ...(built.dashboardName ? { dashboardName: built.dashboardName } : {}),
        ...(built.accessPoint ? { accessPoint: built.accessPoint.outputs } : {}),
    };
}

/**
 * Bi-directional S3 cross-region replication between two regions, as built by the AWS Well-Architected
 * lab, hardened: per side a versioned, encrypted, private bucket, a CloudTrail trail of its object writes
 * delivered to a logging bucket and a CloudWatch Logs group, a saved Insights query, and a least-privilege
 * replication role; between the sides, one replication configuration per direction, each ordered after
 * both buckets' versioning, its role's policy and the destination's bucket policy. The sides may be in one
 * account or in two (each side's account is read from its provider).
 *
 * Arguments are validated before anything is registered (see CrrPairArgs); a region read from a provider is
 * checked as soon as it is known.
 */
export class CrrPair extends pulumi.ComponentResource {
    public readonly primary: CrrSideOutputs;
    public readonly secondary: CrrSideOutputs;
    /** The CloudWatch dashboard of both directions (with alerting on), in the primary's region. */
    public readonly dashboardName?: pulumi.Output<string>;
    /** The Multi-Region Access Point over both buckets (option `accessPoint`). */
    public readonly accessPoint?: CrrAccessPointOutputs;

    constructor(name: string, args: CrrPairArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before super(): a bad argument must not leave a half-registered component behind.
        const pair = resolveCrrPairArgs(args);
        super(CRR_PAIR_TYPE, name, {}, opts);
        const { primary, secondary, dashboardName, accessPoint } = buildCrrPair(this, name, pair);
        this.primary = primary;
        this.secondary = secondary;
        this.dashboardName = dashboardName;
        this.accessPoint = accessPoint;
        this.registerOutputs({ primary, secondary, ...(dashboardName ? { dashboardName } : {}), ...(accessPoint ? { accessPoint } : {}) });
    }
}
