/** The verifier's table and verdict. */
import { CloudTrailFinding } from "./cloudtrail";
import { formatDuration } from "./stats";
import { VerifyReport } from "./verifier";
import { plural } from "../text";

export function renderReport(report: VerifyReport, cloudtrail?: readonly CloudTrailFinding[]): string[] {
    const lines = [`Replication check ${report.runId} (RPO ${formatDuration(report.rpoMs)})`, ""];
    const header = ["direction", "replicated", "min", "median", "p95", "max", "within RPO"];
    const rows = report.directions.map((d) => {
        const replicated = d.objects.filter((o) => o.lagMs !== undefined).length;
        const f = (ms?: number) => (ms === undefined ? "-" : formatDuration(ms));
        return [d.direction, `${replicated}/${d.objects.length}`, f(d.lag?.min), f(d.lag?.median), f(d.lag?.p95), f(d.lag?.max), d.withinRpo ? "yes" : "NO"];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    lines.push(fmt(header), ...rows.map(fmt), "");
    for (const d of report.directions) {
        for (const o of d.objects) {
            for (const c of o.checks) {
                lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${o.key}: ${c.name}: ${c.detail}`);
            }
        }
    }
    if (cloudtrail) {
        lines.push("", "CloudTrail (Logs Insights, lab section 3.3):");
        for (const f of cloudtrail) {
            lines.push(
                `  ${f.upload && f.replicationWrite ? "ok  " : "FAIL"} ${f.key}: upload event ${f.upload ? "found" : "missing"}, ` +
                    `replication write (invokedBy "AWS Internal") ${f.replicationWrite ? "found" : "missing"}`,
            );
        }
    }
    const c = report.cleanup;
    const removed = plural(c.deleted.length, "object version or delete marker", "object versions and delete markers");
    lines.push(
        "",
        c.kept ? "Cleanup: --keep given, test objects left in place." : `Cleanup: removed ${removed}.`,
        ...c.errors.map((e) => `  cleanup FAILED: ${e}`),
    );
    lines.push(
        report.ok
            ? `Verdict: PASS: every object replicated ${report.directions.length === 2 ? "both ways" : `in each of ${plural(report.directions.length, "direction")}`} within the RPO, replicas match their sources, nothing replicated back.`
            : "Verdict: FAIL: see the FAIL lines above.",
    );
    return lines;
}
