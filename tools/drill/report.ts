/** The drill's report: text for the terminal and Markdown for an auditor's file (`--report FILE`). */
import { DrillReport, Objective } from "./drill";

const verdict = (o: Objective) => (o.met === undefined ? "not measured" : o.met ? "PASS" : "FAIL");

/** The report as terminal lines. */
export function renderDrill(r: DrillReport, stack: string): string[] {
    return [
        `DR drill of stack ${stack} (run ${r.runId}, started ${r.startedAt}): ${r.ok ? "every objective met" : r.interrupted ? "INTERRUPTED" : "NOT every objective met"}`,
        ...r.objectives.map((o) => `  ${verdict(o).padEnd(12)} ${o.name}: ${o.measured} (objective: ${o.target})`),
        ...r.steps.flatMap((s) => [`  step ${s.name}: ${s.status}`, ...s.lines.map((l) => `    ${l}`)]),
        ...(r.error ? [`  stopped by: ${r.error}`] : []),
        `  cleanup: removed ${r.cleanup.removed} object versions under ${r.prefix}; routes ${r.cleanup.routes}`,
        ...r.cleanup.left.map((l) => `    LEFT: ${l}`),
    ];
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The report as a Markdown document an auditor can keep. */
export function drillMarkdown(r: DrillReport, stack: string): string {
    return [
        `# Disaster recovery drill: stack \`${stack}\``,
        "",
        `Run \`${r.runId}\`, started ${r.startedAt}, by \`npm run drill\`. Result: **${r.ok ? "every objective met" : r.interrupted ? "interrupted" : "not every objective met"}**.`,
        "",
        "| objective | target | measured | result |",
        "|---|---|---|---|",
        ...r.objectives.map((o) => `| ${cell(o.name)} | ${cell(o.target)} | ${cell(o.measured)} | ${verdict(o)} |`),
        "",
        "## Steps",
        "",
        ...r.steps.flatMap((s) => [`### ${s.name}: ${s.status}`, "", ...s.lines.map((l) => `- ${l}`), ""]),
        ...(r.error ? [`Stopped by: ${r.error}`, ""] : []),
        "## Cleanup",
        "",
        `- removed ${r.cleanup.removed} object versions under \`${r.prefix}\` in every bucket`,
        `- routes: ${r.cleanup.routes}`,
        ...r.cleanup.left.map((l) => `- left behind: ${l}`),
        "",
    ].join("\n");
}
