/** The `pulumi preview`-like report: resource tree by component and region, policy results, summary. */
import { Diagnostic } from "./analyzer";
import { Estimate } from "./cost";
import { byRegionTypeName, PlannedResource } from "./model";
import { noun, plural } from "../text";

export interface PlanReport {
    readonly project: string;
    readonly stack: string;
    readonly program: string;
    readonly resources: readonly PlannedResource[];
    /** The pack, with the policy config file the plan applied (null: none, every policy at its own level and defaults). */
    readonly policyPack?: { readonly name: string; readonly version: string; readonly policies: number; readonly config?: string | null };
    readonly violations: readonly Diagnostic[];
    /** The monthly cost estimate (tools/plan/cost.ts), under the resource tree. */
    readonly estimate?: Estimate;
}

/** Counts of custom resources to create per region (a resource only read is not one). */
export function countsByRegion(resources: readonly PlannedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of resources) {
        if (r.region !== undefined && !r.read) {
            counts[r.region] = (counts[r.region] ?? 0) + 1;
        }
    }
    return counts;
}

export function renderTree(report: PlanReport): string[] {
    const lines = [`Plan of stack '${report.stack}' (project ${report.project}, program ${report.program}):`];
    const providers = report.resources.filter((r) => r.type.startsWith("pulumi:providers:"));
    for (const p of providers) {
        const region = p.inputs.region ? ` (${p.inputs.region})` : "";
        lines.push(`  + ${p.type}  ${p.name}${region}`);
    }
    const components = report.resources.filter((r) => !r.custom);
    const groups: [string, PlannedResource[]][] = [
        ...components.map((c): [string, PlannedResource[]] => [
            `${c.type}  ${c.name}`,
            report.resources.filter((r) => r.component === c.urn && r.custom),
        ]),
        ["(no component)", report.resources.filter((r) => r.component === undefined && r.custom && r.region !== undefined)],
    ];
    for (const [title, members] of groups) {
        if (members.length === 0 && title === "(no component)") {
            continue;
        }
        lines.push(`  + ${title}`);
        const regions = [...new Set(members.map((m) => m.region ?? ""))].sort();
        for (const region of regions) {
            const inRegion = members.filter((m) => (m.region ?? "") === region).sort(byRegionTypeName);
            lines.push(`      ${region} (${inRegion.length})`);
            for (const r of inRegion) {
                // `=`: read, as `pulumi preview` marks a resource read (an adopted bucket, never created nor deleted).
                lines.push(r.read ? `        = ${r.type}  ${r.name}  (read: exists already; never created, changed or deleted)` : `        + ${r.type}  ${r.name}`);
            }
        }
    }
    return lines;
}

export function renderPolicies(report: PlanReport): string[] {
    if (!report.policyPack) {
        return ["Policies: not run (--no-policies)."];
    }
    const { name, version, policies, config } = report.policyPack;
    const lines = [`Policies: ${name}@${version}, ${plural(policies, "policy", "policies")}`];
    if (config !== undefined) {
        lines.push(`  policy config: ${config ?? "none (each policy at its own level and defaults)"}`);
    }
    const nameOf = new Map(report.resources.map((r) => [r.urn, `${r.type}  ${r.name}`]));
    const sorted = [...report.violations].sort(
        (a, b) => a.enforcementLevel.localeCompare(b.enforcementLevel) * -1 || a.policy.localeCompare(b.policy) || a.message.localeCompare(b.message),
    );
    for (const v of sorted) {
        lines.push(`  [${v.enforcementLevel}] ${v.policy}`);
        lines.push(`      resource: ${v.urn ? (nameOf.get(v.urn) ?? v.urn) : "(stack)"}`);
        lines.push(`      ${v.message}`);
    }
    if (sorted.length === 0) {
        lines.push("  no violations");
    }
    return lines;
}

export function summary(report: PlanReport): string {
    const counts = countsByRegion(report.resources);
    // Regions in name order, the global (IAM) resources last: the same line for the same plan, whatever
    // order the registrations arrived in.
    const regions = Object.entries(counts)
        .sort(([a], [b]) => (a === "global" ? 1 : b === "global" ? -1 : a.localeCompare(b)))
        .map(([region, n]) => `${n} in ${region}`)
        .join(", ");
    const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const advisory = report.violations.filter((v) => v.enforcementLevel === "advisory").length;
    const planned = Object.values(counts).reduce((a, b) => a + b, 0);
    const providers = report.resources.filter((r) => r.type.startsWith("pulumi:providers:")).length;
    const components = report.resources.filter((r) => !r.custom).length;
    const reads = report.resources.filter((r) => r.read).length;
    const policies = report.policyPack
        ? `${mandatory} mandatory, ${advisory} advisory policy ${noun(mandatory + advisory, "violation")}`
        : "policies not run";
    return (
        `Plan: ${plural(planned, "resource")} to create${regions ? ` (${regions})` : ""}${reads > 0 ? `, ${reads} read` : ""}, ${plural(providers, "provider")}, ` +
        `${plural(components, "component")}; ${policies}.`
    );
}
