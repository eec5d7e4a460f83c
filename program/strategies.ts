/**
 * The four DR strategy examples side by side, as README.md's "Disaster recovery strategies" table shows them
 * (`npm run docs`): each example's RPO and RTO as its configuration sets them, what it creates, and its monthly
 * estimate (tools/plan/cost.ts) for one stated workload.
 */
import { Registration } from "../tools/mocking";
import { Estimate, estimateCost, formatMoney } from "../tools/plan/cost";
import { planResources, PlannedResource } from "../tools/plan/model";
import { formatWorkload, Workload } from "../tools/plan/workload";
import { plural } from "../tools/text";

/** One example, planned: its name, stack file, configuration (full keys) and resources, and its estimate. */
export interface PlannedStrategy {
    readonly name: string;
    readonly file: string;
    readonly config: Readonly<Record<string, string>>;
    readonly resources: readonly PlannedResource[];
    readonly estimate: Estimate;
}

/** An example as its plan registered it, with its estimate for `workload` (`now` dates the prices' age check). */
export function planStrategy(
    name: string,
    file: string,
    config: Readonly<Record<string, string>>,
    defaultRegion: string | undefined,
    registrations: readonly Registration[],
    workload: Workload,
    now?: Date,
): PlannedStrategy {
    const resources = planResources(registrations, defaultRegion);
    return { name, file, config, resources, estimate: estimateCost(resources, workload, undefined, now) };
}

/** The strategies in the order of the DR whitepaper, from RPO and RTO in hours to near zero. */
export const STRATEGY_ORDER = ["backup-restore", "pilot-light", "warm-standby", "active-active"];

/** The recovery point as configured: the replication SLA, the lag alarm, and the backups' restore points. */
export function rpoOf(config: Readonly<Record<string, string>>, project: string): string {
    const get = (key: string) => config[`${project}:${key}`];
    const parts = [
        get("replicationTimeControl") === "true" ? "RTC: 99.99 % replicated within 15 min" : "replication without SLA (most objects in seconds)",
        get("replicationMetrics") !== "false" && get("alarms") !== "false" ? `lag alarm at ${get("rpoSeconds")} s` : "no lag alarm",
    ];
    if (get("backup") === "true") {
        parts.push(`backups: any point of the last ${get("backupContinuousRetentionDays")} days, ${get("backupSnapshotSchedule")} snapshots kept ${get("backupSnapshotRetentionDays")} days`);
    }
    return parts.join("; ");
}

/**
 * The recovery time as configured: the objective (`rtoSeconds`, which `npm run drill` measures a failover
 * against), how traffic reaches the other region, and the restore behind it.
 */
export function rtoOf(config: Readonly<Record<string, string>>, project: string): string {
    const get = (key: string) => config[`${project}:${key}`];
    const parts = [
        `objective ${get("rtoSeconds")} s`,
        get("accessPoint") !== "true"
            ? "point the application at the other bucket"
            : get("accessPointRouting") === "activeActive"
              ? "access point routes to both regions: nothing to fail over"
              : "access point failover (`npm run failover`), minutes",
    ];
    if (get("backup") === "true") {
        parts.push("a bad write: restore from AWS Backup, hours");
    }
    return parts.join("; ");
}

/** The Markdown table of `strategies` (in {@link STRATEGY_ORDER}), with the workload it is estimated for. */
export function strategiesTable(strategies: readonly PlannedStrategy[], project: string, workload: Workload): string {
    const ordered = [...strategies].sort((a, b) => STRATEGY_ORDER.indexOf(a.name) - STRATEGY_ORDER.indexOf(b.name));
    const rows = ordered.map((s) => {
        const created = s.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        const count = (type: string) => created.filter((r) => r.type === type).length;
        const what = [
            plural(created.length, "resource"),
            plural(count("aws:kms/key:Key"), "KMS key"),
            plural(count("aws:backup/vault:Vault"), "backup vault"),
            plural(count("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint"), "access point"),
        ].join(", ");
        const e = s.estimate;
        return [`[${s.name}](${s.file})`, rpoOf(s.config, project), rtoOf(s.config, project), what, formatMoney(e.fixed), formatMoney(e.perWorkload), `**${formatMoney(e.total)}**`];
    });
    const header = ["strategy", "RPO as configured", "RTO as configured", "creates", "fixed a month", "workload a month", "total a month"];
    return [
        `| ${header.join(" | ")} |`,
        `|${header.map(() => "---").join("|")}|`,
        ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`),
        "",
        `Estimated for \`--workload ${formatWorkload(workload)}\` (GB written and stored, objects written and GET requests a month), ` +
            `at AWS list prices in US dollars read on ${ordered[0]?.estimate.pricesReadOn ?? "-"} (\`tools/plan/prices.json\`); ` +
            "`npm run plan -- --stack examples/<strategy> --workload ...` prices your own, line by line.",
    ].join("\n");
}
