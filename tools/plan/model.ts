/** The planned resources as the report, JSON and graph see them: region, component, provider. */
import { Registration } from "../mocking";

export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly custom: boolean;
    readonly parent?: string;
    /** URN of the explicit provider, if any. */
    readonly provider?: string;
    /** Region the resource lives in; "global" for IAM; undefined for components and providers. */
    readonly region?: string;
    /** URN of the nearest ancestor component, if any. */
    readonly component?: string;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly inputs: Record<string, any>;
    /** URNs this resource was known by before (its `aliases`); absent when none. */
    readonly aliases?: readonly string[];
    /** The `retainOnDelete` option, when set. */
    readonly retainOnDelete?: boolean;
    /** Read, not created (`Resource.get`: a side's `existingBucket`); the engine never changes or deletes it. */
    readonly read?: boolean;
    /** The ID a read names (a bucket's name). Reads only. */
    readonly id?: string;
}

const GLOBAL_SERVICES = ["aws:iam/", "aws:organizations/", "aws:route53/", "aws:cloudfront/"];

export function planResources(records: readonly Registration[], defaultRegion?: string): PlannedResource[] {
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    const providerUrn = (r: Registration) => (r.provider ? r.provider.split("::").slice(0, -1).join("::") : undefined);
    const regionOf = (r: Registration): string | undefined => {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) {
            return undefined;
        }
        if (GLOBAL_SERVICES.some((s) => r.type.startsWith(s))) {
            return "global";
        }
        if (typeof r.inputs.region === "string" && r.inputs.region) {
            return r.inputs.region;
        }
        const provider = byUrn.get(providerUrn(r) ?? "");
        const region = provider?.inputs.region;
        return typeof region === "string" && region ? region : (defaultRegion ?? "unknown region");
    };
    const componentOf = (r: Registration): string | undefined => {
        for (let p = byUrn.get(r.parent); p; p = byUrn.get(p.parent)) {
            if (!p.custom) {
                return p.urn;
            }
        }
        return undefined;
    };
    return records.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        custom: r.custom,
        parent: r.parent || undefined,
        provider: providerUrn(r),
        region: regionOf(r),
        component: componentOf(r),
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        inputs: r.inputs,
        ...(r.aliases?.length ? { aliases: r.aliases } : {}),
        ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
        ...(r.read ? { read: true, ...(r.id ? { id: r.id } : {}) } : {}),
    }));
}

/** Stable order for reports and graphs: by region, then type, then name. */
export function byRegionTypeName(a: PlannedResource, b: PlannedResource): number {
    return (a.region ?? "").localeCompare(b.region ?? "") || a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
}
