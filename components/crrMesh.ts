import * as pulumi from "@pulumi/pulumi";
import { FORMER_PAIR_TYPE, formerChildNames, FormerKeys } from "./model/growth";
import { CrrMeshArgs } from "./model/types";
import { resolveCrrMeshArgs, ResolvedSide, ResolvedTopology } from "./model/validation";
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
        super(CRR_MESH_TYPE, name, {}, withFormerNames(name, mesh, opts));
        const built = buildCrrMesh(this, name, mesh);
        this.sides = built.sides;
        this.dashboardName = built.dashboardName;
        this.accessPoint = built.accessPoint;
        this.registerOutputs(built);
    }
}

/**
 * Registers everything of a mesh under `component` (already constructed with the CrrMesh type token) and
 * returns its outputs, each side's by its key. Shared by the TypeScript class above and by the
 * multi-language face (packages/crr-pair-plugin), as {@link buildCrrPair} is for the pair.
 */
export function buildCrrMesh(
    component: pulumi.ComponentResource,
    name: string,
    mesh: ResolvedTopology,
): { sides: Record<string, CrrSideOutputs>; dashboardName?: pulumi.Output<string>; accessPoint?: CrrAccessPointOutputs } {
    const built = buildTopology(component, name, mesh, "CrrMesh");
    return {
        sides: Object.fromEntries(mesh.sides.map((side, i) => [side.key, built.outputs[i]])),
        ...(built.dashboardName ? { dashboardName: built.dashboardName } : {}),
        ...(built.accessPoint ? { accessPoint: built.accessPoint.outputs } : {}),
    };
}

/**
 * The mesh's options with its history as `aliases` (see model/growth.ts): grown from a pair, the mesh
 * aliases the pair's type token and each child the pair's URN of it (under the pair, with `primary` or
 * `secondary` where the mesh has the side's key); a side with former keys, its children's former names. A
 * transformation gives every child its aliases, so no builder needs to know. Aliases of URNs that no stack
 * holds are ignored by the engine: a new stack is not affected.
 * @see https://www.pulumi.com/docs/iac/concepts/options/aliases/
 * @see https://www.pulumi.com/docs/iac/concepts/options/transformations/
 */
export function withFormerNames(
    name: string,
    mesh: { readonly sides: readonly Pick<ResolvedSide, "key" | "formerKeys">[]; readonly grownFromPair?: ResolvedTopology["grownFromPair"] },
    opts: pulumi.ComponentResourceOptions = {},
): pulumi.ComponentResourceOptions {
    const grown = mesh.grownFromPair;
    const formerKeys: FormerKeys = new Map(
        mesh.sides.map((side) => [
            side.key,
            [...side.formerKeys, ...(grown?.primary === side.key ? ["primary"] : []), ...(grown?.secondary === side.key ? ["secondary"] : [])].filter(
                (k) => k !== side.key,
            ),
        ]),
    );
    if (grown === undefined && mesh.sides.every((s) => s.formerKeys.length === 0)) {
        return opts;
    }
    // The pair's own URN: the pair had this name and parent, under its own type.
    const pairUrn = grown ? pulumi.createUrn(name, FORMER_PAIR_TYPE, opts.parent) : undefined;
    const childAliases = (childName: string): pulumi.Alias[] => {
        const names = formerChildNames(name, childName, formerKeys);
        if (pairUrn === undefined) {
            return names.map((n) => ({ name: n }));
        }
        // Under the pair: its children carried the pair's keys (primary, secondary) where the mesh has region keys.
        const pairNames = formerChildNames(name, childName, new Map([...formerKeys].map(([k, v]) => [k, v.filter((f) => f === "primary" || f === "secondary")])));
        return [...names.map((n) => ({ name: n })), ...[childName, ...pairNames].map((n) => ({ name: n, parent: pairUrn }))];
    };
    const transformation: pulumi.ResourceTransformation = (t) =>
        t.type === CRR_MESH_TYPE && t.name === name ? undefined : { props: t.props, opts: { ...t.opts, aliases: [...(t.opts.aliases ?? []), ...childAliases(t.name)] } };
    return {
        ...opts,
        ...(grown ? { aliases: [...(opts.aliases ?? []), { type: FORMER_PAIR_TYPE }] } : {}),
        transformations: [...(opts.transformations ?? []), transformation],
    };
}
