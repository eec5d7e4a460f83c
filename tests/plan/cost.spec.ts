/**
 * The monthly estimate of `npm run plan` (tools/plan/cost.ts, prices in tools/plan/prices.json): every line of
 * the dev stack and of the backup-restore example at the default workload, the price table against every
 * stack and example, a missing region, a new type, the table's age, and `--workload` on the command line.
 */
import { expect } from "chai";
import * as path from "path";
import { plan } from "../../tools/plan";
import { main } from "../../tools/plan/cli";
import { Estimate, estimateCost, loadPrices, PriceTable, renderEstimate } from "../../tools/plan/cost";
import { planResources, PlannedResource } from "../../tools/plan/model";
import { DEFAULT_WORKLOAD, parseWorkload } from "../../tools/plan/workload";
import { captured } from "../cli/streams";
import { stackPlans } from "../support/stackPlans";
import { planStrategy, strategiesTable } from "../../program/strategies";

const ROOT = path.join(__dirname, "..", "..");
/** The day the table's prices were read: no staleness warning. */
const READ_ON = new Date("2026-12-04T12:00:00Z");

async function resourcesOf(stack: string): Promise<PlannedResource[]> {
    const p = (await stackPlans()).find((s) => s.stack === stack);
    if (!p) throw new Error(`no stack ${stack}`);
    return planResources(p.registrations, p.config.defaultRegion);
}

/** Each line as [region, price, quantity, monthly dollars, resources]. */
const rows = (e: Estimate, part: "fixed" | "workload") => e.lines.filter((l) => l.part === part).map((l) => [l.region, l.price, l.quantity, l.monthly, l.resources.join(" ")]);

describe("the monthly cost estimate", () => {
    it("prices the dev stack line by line at the default workload: $7.80 fixed, $64.00 for the workload, $71.80", async () => {
        const e = estimateCost(await resourcesOf("dev"), DEFAULT_WORKLOAD, loadPrices(), READ_ON);
        expect(e.warnings).to.deep.equal([]);
        expect(rows(e, "fixed")).to.deep.equal([
            ["us-east-2", "cloudtrail-trail", 1, 0, "crr-primary-trail"],
            ["us-east-2", "cloudwatch-alarm", 2, 0.2, "crr-primary-alarm-failed-secondary crr-secondary-alarm-latency-primary"],
            ["us-east-2", "cloudwatch-dashboard", 1, 3, "crr-dashboard"],
            ["us-east-2", "kms-key", 1, 1, "crr-primary-alerts-key"],
            ["us-east-2", "s3-replication-metrics", 4, 1.2, "crr-primary-replication"],
            ["us-west-2", "cloudtrail-trail", 1, 0, "crr-secondary-trail"],
            ["us-west-2", "cloudwatch-alarm", 2, 0.2, "crr-primary-alarm-latency-secondary crr-secondary-alarm-failed-primary"],
            ["us-west-2", "kms-key", 1, 1, "crr-secondary-alerts-key"],
            ["us-west-2", "s3-replication-metrics", 4, 1.2, "crr-secondary-replication"],
        ]);
        expect(rows(e, "workload")).to.deep.equal([
            ["us-east-2", "cloudtrail-data-events", 1_000_000, 1, "crr-primary-trail"],
            ["us-east-2", "s3-get-standard", 10_000_000, 4, "crr-primary-bucket"],
            ["us-east-2", "s3-inter-region-transfer", 100, 2, "crr-primary-replication"],
            ["us-east-2", "s3-put-standard", 1_000_000, 5, "crr-primary-bucket"],
            ["us-east-2", "s3-storage-standard", 1000, 23, "crr-primary-bucket"],
            ["us-west-2", "cloudtrail-data-events", 1_000_000, 1, "crr-secondary-trail"],
            ["us-west-2", "s3-put-standard", 1_000_000, 5, "crr-primary-replication crr-secondary-bucket"],
            ["us-west-2", "s3-storage-standard", 1000, 23, "crr-secondary-bucket"],
        ]);
        expect([e.fixed, e.perWorkload, e.total]).to.deep.equal([7.8, 64, 71.8]);
        expect(e.pricesReadOn).to.equal("2026-12-04");
        // Read from the stored copies of their pages: KMS and CloudTrail; the others are named as still to confirm.
        expect(e.toConfirm).to.deep.equal([
            "cloudwatch-alarm",
            "cloudwatch-dashboard",
            "s3-get-standard",
            "s3-inter-region-transfer",
            "s3-put-standard",
            "s3-replication-metrics",
            "s3-storage-standard",
        ]);
        expect(renderEstimate(e)).to.include(
            "  still to be confirmed against their AWS pages (tools/plan/prices.json says why): cloudwatch-alarm, cloudwatch-dashboard, s3-get-standard, s3-inter-region-transfer, s3-put-standard, s3-replication-metrics, s3-storage-standard",
        );
    });

    it("takes the primary's bucket as the one written to, whichever side's resources register first (its provider is made first)", async () => {
        const resources = await resourcesOf("dev");
        const providers = resources.filter((r) => r.type.startsWith("pulumi:providers:"));
        const others = resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
        const reversed = estimateCost([...providers, ...others.reverse()], DEFAULT_WORKLOAD, loadPrices(), READ_ON);
        const transfer = reversed.lines.filter((l) => l.price === "s3-inter-region-transfer").map((l) => [l.region, l.resources.join(" ")]);
        expect(transfer).to.deep.equal([["us-east-2", "crr-primary-replication"]]);
        expect(reversed.total).to.equal(71.8);
    });

    it("prices the backup-restore example: backups in both regions and their copies, Standard-IA replicas; $341.63 less RTC and routing", async () => {
        const e = estimateCost(await resourcesOf("backup-restore"), DEFAULT_WORKLOAD, loadPrices(), READ_ON);
        expect(e.warnings).to.deep.equal([]);
        expect(rows(e, "fixed")).to.deep.equal([
            ["us-east-2", "cloudtrail-trail", 1, 0, "crr-primary-trail"],
            ["us-east-2", "cloudwatch-alarm", 2, 0.2, "crr-primary-alarm-failed-secondary crr-secondary-alarm-latency-primary"],
            ["us-east-2", "cloudwatch-dashboard", 1, 3, "crr-dashboard"],
            ["us-east-2", "kms-key", 2, 2, "crr-primary-alerts-key crr-primary-backup-key"],
            ["us-east-2", "s3-replication-metrics", 4, 1.2, "crr-primary-replication"],
            ["us-west-2", "cloudtrail-trail", 1, 0, "crr-secondary-trail"],
            ["us-west-2", "cloudwatch-alarm", 2, 0.2, "crr-primary-alarm-latency-secondary crr-secondary-alarm-failed-primary"],
            ["us-west-2", "kms-key", 2, 2, "crr-secondary-alerts-key crr-secondary-backup-key"],
            ["us-west-2", "s3-replication-metrics", 4, 1.2, "crr-secondary-replication"],
        ]);
        // Each bucket's backups: 1,000 GB plus 90 days (the snapshots' retention) of 100 GB a month, in its own
        // vault and in the copy in the other region's vault: 2 × 1,300 GB-month in each region.
        expect(rows(e, "workload")).to.deep.equal([
            ["us-east-2", "backup-cross-region-transfer", 100, 2, "crr-primary-backup-plan"],
            ["us-east-2", "backup-s3-warm", 2600, 130, "crr-primary-backup-plan crr-primary-backup-selection crr-secondary-backup-plan"],
            ["us-east-2", "cloudtrail-data-events", 1_000_000, 1, "crr-primary-trail"],
            ["us-east-2", "s3-get-standard", 10_000_000, 4, "crr-primary-bucket"],
            ["us-east-2", "s3-inter-region-transfer", 100, 2, "crr-primary-replication"],
            ["us-east-2", "s3-put-standard", 1_000_000, 5, "crr-primary-bucket"],
            ["us-east-2", "s3-storage-standard", 1000, 23, "crr-primary-bucket"],
            ["us-west-2", "backup-cross-region-transfer", 100, 2, "crr-secondary-backup-plan"],
            ["us-west-2", "backup-s3-warm", 2600, 130, "crr-primary-backup-plan crr-secondary-backup-plan crr-secondary-backup-selection"],
            ["us-west-2", "cloudtrail-data-events", 1_000_000, 1, "crr-secondary-trail"],
            ["us-west-2", "s3-put-standard-ia", 1_000_000, 10, "crr-primary-replication crr-secondary-bucket"],
            ["us-west-2", "s3-storage-standard-ia", 1000, 12.5, "crr-secondary-bucket"],
        ]);
        expect([e.fixed, e.perWorkload, e.total]).to.deep.equal([9.8, 322.5, 332.3]);
    });

    it("scales the workload part with --workload and leaves the fixed part alone", async () => {
        const resources = await resourcesOf("dev");
        const none = estimateCost(resources, parseWorkload("written-gb=0,stored-gb=0,objects=0,requests=0"), loadPrices(), READ_ON);
        expect([none.fixed, none.perWorkload, none.total]).to.deep.equal([7.8, 0, 7.8]);
        const twice = estimateCost(resources, parseWorkload("written-gb=200,stored-gb=2000,objects=2000000,requests=20000000"), loadPrices(), READ_ON);
        expect([twice.fixed, twice.perWorkload, twice.total]).to.deep.equal([7.8, 128, 135.8]);
    });

    describe("the price table", () => {
        const prices = loadPrices();

        it("names, for every price, its unit, the date it was read, the AWS page and a value per region", () => {
            for (const [id, p] of Object.entries(prices.prices)) {
                expect(p.unit, id).to.be.a("string").and.not.equal("");
                expect(p.date, id).to.match(/^\d{4}-\d{2}-\d{2}$/);
                expect(p.page, id).to.match(/^https:\/\/aws\.amazon\.com\/[a-z0-9]+\/pricing\/$/);
                expect(Object.keys(p.regions).length, id).to.be.greaterThan(0);
                expect(Object.values(p.regions).every((v) => typeof v === "number" && v >= 0), id).to.equal(true);
            }
        });

        it("classifies every resource type of every stack and example, and prices each priced one in every region it is planned in", async () => {
            const problems: string[] = [];
            for (const p of await stackPlans()) {
                for (const r of planResources(p.registrations, p.config.defaultRegion).filter((r) => r.custom && r.region !== undefined)) {
                    const c = prices.types[r.type];
                    if (!c) {
                        problems.push(`${p.file}: ${r.type} is neither priced nor free`);
                    } else if ("priced" in c) {
                        for (const id of c.priced) {
                            if (prices.prices[id]?.regions[r.region!] === undefined) problems.push(`${p.file}: ${r.type} ${r.name}: no '${id}' in ${r.region}`);
                        }
                    }
                }
                // What only the estimate knows (a replica storage class, a copy's region) is priced too.
                const warnings = estimateCost(planResources(p.registrations, p.config.defaultRegion), DEFAULT_WORKLOAD, prices, READ_ON).warnings;
                problems.push(...warnings.map((w) => `${p.file}: ${w}`));
            }
            expect(problems, problems.join("\n")).to.deep.equal([]);
        });

        it("prices each of its types with prices it has, and covers us-east-1, us-east-2, us-west-2 and eu-west-1 for S3, KMS, CloudWatch and CloudTrail", () => {
            for (const [type, c] of Object.entries(prices.types)) {
                if ("priced" in c) c.priced.forEach((id) => expect(prices.prices[id], `${type}: ${id}`).to.not.equal(undefined));
            }
            for (const [id, p] of Object.entries(prices.prices).filter(([id]) => !id.startsWith("backup-"))) {
                expect(Object.keys(p.regions).sort(), id).to.deep.equal(["eu-west-1", "us-east-1", "us-east-2", "us-west-2"]);
            }
        });

        it("warns of a type it does not classify, and of a region it has no price for, instead of counting them as zero", async () => {
            const dev = await resourcesOf("dev");
            const queue: PlannedResource = { ...dev.find((r) => r.name === "crr-primary-alerts-topic")!, type: "aws:sqs/queue:Queue", name: "jobs" };
            const elsewhere = dev.map((r) => (r.name === "crr-secondary-alerts-key" ? { ...r, region: "ap-south-1" } : r));
            const e = estimateCost([...elsewhere, queue], DEFAULT_WORKLOAD, prices, READ_ON);
            expect(e.warnings).to.deep.equal([
                "aws:sqs/queue:Queue: no price and not listed as free in the price table: not in the estimate (classify it in tools/plan/prices.json)",
                "no price of KMS customer managed keys in ap-south-1 (for crr-secondary-alerts-key): left out of the estimate; add ap-south-1 to 'kms-key' in the price table",
            ]);
            expect(e.lines.filter((l) => l.price === "kms-key").map((l) => [l.region, l.quantity])).to.deep.equal([["us-east-2", 1]]);
            expect(e.fixed).to.equal(6.8);
        });

        it("warns once the prices are more than a year old (the clock injected)", async () => {
            const dev = await resourcesOf("dev");
            const at = (iso: string) => estimateCost(dev, DEFAULT_WORKLOAD, prices, new Date(iso)).warnings;
            expect(at("2027-12-04T00:00:00Z")).to.deep.equal([]);
            expect(at("2027-12-05T00:00:01Z")).to.deep.equal([
                "the prices were read on 2026-12-04, more than a year ago: AWS may have changed them; read their pages again and update tools/plan/prices.json",
            ]);
            const older: PriceTable = { ...prices, prices: { ...prices.prices, "kms-key": { ...prices.prices["kms-key"], date: "2025-01-31" } } };
            expect(estimateCost(dev, DEFAULT_WORKLOAD, older, READ_ON).warnings[0]).to.contain("read on 2025-01-31, more than a year ago");
        });
    });

    it("sets the four DR strategies side by side for README.md: RPO and RTO as configured, what each creates, its estimate", async () => {
        const examples = (await stackPlans()).filter((p) => p.example);
        const table = strategiesTable(
            examples.map((p) => planStrategy(p.stack, p.file, p.config.values, p.config.defaultRegion, p.registrations, DEFAULT_WORKLOAD, READ_ON)),
            "s3-crr",
            DEFAULT_WORKLOAD,
        ).split("\n");
        expect(table.slice(2, 6).map((row) => row.split(" | ")[0])).to.deep.equal([
            "| [backup-restore](examples/Pulumi.backup-restore.yaml)",
            "| [pilot-light](examples/Pulumi.pilot-light.yaml)",
            "| [warm-standby](examples/Pulumi.warm-standby.yaml)",
            "| [active-active](examples/Pulumi.active-active.yaml)",
        ]);
        expect(table[2].split(" | ").slice(1)).to.deep.equal([
            "replication without SLA (most objects in seconds); lag alarm at 3600 s; backups: any point of the last 35 days, daily snapshots kept 90 days",
            "objective 86400 s; point the application at the other bucket; a bad write: restore from AWS Backup, hours",
            "81 resources, 4 KMS keys, 2 backup vaults, 0 access points",
            "$9.80",
            "$322.50",
            "**$332.30** |",
        ]);
        expect(table[4].split(" | ").slice(1, 3)).to.deep.equal([
            "RTC: 99.99 % replicated within 15 min; lag alarm at 300 s; backups: any point of the last 35 days, daily snapshots kept 90 days",
            "objective 600 s; access point failover (`npm run failover`), minutes; a bad write: restore from AWS Backup, hours",
        ]);
        expect(table[4]).to.contain("| 88 resources, 6 KMS keys, 2 backup vaults, 1 access point | $11.80 | $329.83 | **$341.63** |");
        expect(table[5]).to.contain("| objective 60 s; access point routes to both regions: nothing to fail over; a bad write: restore from AWS Backup, hours |");
        expect(table[7]).to.match(/^Estimated for `--workload written-gb=100,stored-gb=1000,objects=1000000,requests=10000000`/);
    });

    describe("--workload", () => {
        it("takes any of its keys, the others at their defaults", () => {
            expect(parseWorkload(undefined)).to.deep.equal({ writtenGb: 100, storedGb: 1000, objects: 1_000_000, requests: 10_000_000 });
            expect(parseWorkload("stored-gb=5000, requests=0")).to.deep.equal({ writtenGb: 100, storedGb: 5000, objects: 1_000_000, requests: 0 });
            expect(parseWorkload("written-gb=2.5,objects=1_000")).to.deep.equal({ writtenGb: 2.5, storedGb: 1000, objects: 1000, requests: 10_000_000 });
        });

        it("refuses an unknown key, a repeated key, a value that is not a number of zero or more, all at once", () => {
            expect(() => parseWorkload("writen-gb=1,objects=-3,objects=1,requests=ten,stored-gb")).to.throw(
                "--workload: unknown key 'writen-gb' (allowed keys: written-gb, stored-gb, objects, requests); " +
                    "'objects' must be a number of zero or more (objects written a month); got '-3'; 'objects' is given twice; " +
                    "'requests' must be a number of zero or more (GET requests a month); got 'ten'; " +
                    "'stored-gb' is not KEY=NUMBER (allowed keys: written-gb, stored-gb, objects, requests)",
            );
        });

        it("a bad --workload ends the command with exit 2 before anything runs, naming the key and what is allowed", async () => {
            const io = captured();
            expect(await main(["--workload", "gb=10", "--no-policies"], io)).to.equal(2);
            expect(io.err).to.equal("error: --workload: unknown key 'gb' (allowed keys: written-gb, stored-gb, objects, requests)\nrun 'npm run plan -- --help' for the options\n");
            expect(io.out).to.equal("");
        });

        it("prints the estimate under the resource tree, and --json carries the same figures", async () => {
            const registrations = (await stackPlans()).find((s) => s.stack === "dev")!.registrations;
            const lines: string[] = [];
            let json = "";
            const code = await plan({
                stack: "dev",
                program: path.join(ROOT, "index.ts"),
                config: [],
                policies: false,
                json: "-",
                workload: parseWorkload("stored-gb=0"),
                now: READ_ON,
                run: async () => [...registrations],
                log: (l) => lines.push(l),
                stdout: (t) => (json += t),
            });
            expect(code, lines.join("\n")).to.equal(0);
            const at = lines.indexOf("Estimated monthly cost (USD; an estimate at AWS list prices read on 2026-12-04, before taxes, free tier and negotiated prices):");
            expect(at).to.be.greaterThan(lines.findIndex((l) => l.startsWith("Plan of stack 'dev'")));
            expect(at).to.be.lessThan(lines.findIndex((l) => l.startsWith("Policies:")));
            expect(lines.slice(at + 1, at + 3)).to.deep.equal([
                "  fixed: $7.80",
                "    us-east-2  CloudTrail trails (no charge for the trail itself): 1 trail-month × $0.00 per trail-month = $0.00  (crr-primary-trail)",
            ]);
            expect(lines).to.include("  workload (--workload written-gb=100,stored-gb=0,objects=1000000,requests=10000000): $18.00");
            expect(lines).to.include(
                "    us-east-2  CloudTrail S3 data events: 1,000,000 events × $0.10 per 100,000 events = $1.00  (crr-primary-trail)",
            );
            expect(lines).to.include("  total: $25.80 a month");
            const estimate = JSON.parse(json).estimate as Estimate;
            expect([estimate.fixed, estimate.perWorkload, estimate.total]).to.deep.equal([7.8, 18, 25.8]);
            expect(estimate.workload).to.deep.equal({ writtenGb: 100, storedGb: 0, objects: 1_000_000, requests: 10_000_000 });
            expect(estimate.lines.find((l) => l.price === "s3-get-standard")).to.deep.equal({
                part: "workload",
                price: "s3-get-standard",
                what: "S3 Standard GET requests",
                region: "us-east-2",
                quantity: 10_000_000,
                unit: "requests",
                unitPrice: 0.0004,
                per: 1000,
                monthly: 4,
                resources: ["crr-primary-bucket"],
            });
        });
    });
});
