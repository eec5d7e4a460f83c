import * as pulumi from "@pulumi/pulumi";
import { CrrMeshArgs } from "./model/types";
import { resolveCrrMeshArgs } from "./model/validation";
import { CrrAccessPointOutputs } from "./topology/accessPoint";
import { buildTopology, CrrSideOutputs } from "./topology/topology";

/** The type token of {@link CrrMesh}. Stable: renaming it would replace every consumer's resources. */
export const CRR_MESH_TYPE = "s3crr:index:CrrMesh";

/**
 * Multi-site replication between 2 to N regions: every side replicates to every other side, one
 * `BucketReplicationConfig` per source bucket with one rule per destination (distinct priorities), each
 * side in its own account or a shared one. Per side the same resources as a {@link CrrPair} side, under
 * child names `<name>-<side key>-...`.
 */
export class CrrMesh extends pulumi.ComponentResource {
    /** Each side's outputs, by side key (`us-east-2`, or the key given). */
    public readonly sides: Record<string, CrrSideOutputs>;
    /** The CloudWatch dashboard of every direction (with alerting on), in the first side's region. */
    public readonly dashboardName?: pulumi.Output<string>;
    /** The Multi-Region Access Point over every side's bucket (option `accessPoint`). */
    public readonly accessPoint?: CrrAccessPointOutputs;

    constructor(name: string, args: CrrMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        const mesh = resolveCrrMeshArgs(args);
        super(CRR_MESH_TYPE, name, {}, opts);
        const built = buildTopology(this, name, mesh, "CrrMesh");
        this.sides = Object.fromEntries(mesh.sides.map((side, i) => [side.key, built.outputs[i]]));
        this.dashboardName = built.dashboardName;
        this.accessPoint = built.accessPoint?.outputs;
        this.registerOutputs({
            sides: this.sides,
            ...(built.dashboardName ? { dashboardName: built.dashboardName } : {}),
            ...(this.accessPoint ? { accessPoint: this.accessPoint } : {}),
        });
    }
}
