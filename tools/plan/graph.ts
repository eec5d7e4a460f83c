/** A Mermaid flowchart of the planned resources: one subgraph per region, an arrow per dependency. */
import { byRegionTypeName, PlannedResource } from "./model";

const short = (type: string) => type.split(":").pop() ?? type;
const escape = (s: string) => s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

/**
 * Mermaid `flowchart LR`: custom resources (not providers or components) grouped in a subgraph per region
 * ("global" for IAM), an arrow `dependency --> dependent` for every dependency between them. Node ids and
 * order are deterministic, so the text only changes when the plan does.
 */
export function mermaidGraph(resources: readonly PlannedResource[]): string {
    const nodes = resources.filter((r) => r.custom && r.region !== undefined).sort(byRegionTypeName);
    const ids = new Map(nodes.map((r, i) => [r.urn, `r${i}`]));
    const lines = ["flowchart LR"];
    const regions = [...new Set(nodes.map((r) => r.region!))];
    regions.forEach((region, i) => {
        lines.push(`  subgraph g${i}["${escape(region)}"]`);
        for (const r of nodes.filter((n) => n.region === region)) {
            lines.push(`    ${ids.get(r.urn)}["${escape(short(r.type))}<br/>${escape(r.name)}"]`);
        }
        lines.push("  end");
    });
    const edges = new Set<string>();
    for (const r of nodes) {
        for (const dep of r.dependencies) {
            const from = ids.get(dep);
            if (from) {
                edges.add(`  ${from} --> ${ids.get(r.urn)}`);
            }
        }
    }
    lines.push(...[...edges].sort((a, b) => a.localeCompare(b, "en", { numeric: true })));
    return lines.join("\n");
}
