/**
 * What a plan costs a month: a fixed part (keys, alarms, dashboards, trails, the access point, replication
 * metrics) and a part per unit of the workload (storage, requests, data replicated across regions, RTC, data
 * events, backup storage and copies, access-point routing), priced from one table (prices.json) by region.
 * Each line names the resources it comes from. A price missing for a region, or a resource type the table
 * does not classify, is a warning, never a silent zero. It is an estimate: list prices, without taxes, free
 * tier or negotiated discounts.
 */
import * as fs from "fs";
import * as path from "path";
import { PlannedResource } from "./model";
import { formatWorkload, Workload } from "./workload";

export const PRICES_FILE = path.join(__dirname, "prices.json");

export interface Price {
    readonly what: string;
    readonly unit: string;
    /** The price is per this many units (100,000 events, 1,000 requests, 1 GB). */
    readonly per: number;
    readonly page: string;
    /** When the price was read from its page (YYYY-MM-DD). */
    readonly date: string;
    /** US dollars per `per` units, by region. */
    readonly regions: Readonly<Record<string, number>>;
    readonly note?: string;
    /**
     * Set where the value could not be read from the stored copy of its page (the page kept no rate table):
     * why, and where the value came from instead. The plan names these prices as still to be confirmed.
     */
    readonly toConfirm?: string;
}

export type TypeClass = { readonly priced: readonly string[] } | { readonly free: string } | { readonly notEstimated: string };

export interface PriceTable {
    readonly currency: string;
    readonly prices: Readonly<Record<string, Price>>;
    readonly types: Readonly<Record<string, TypeClass>>;
}

let table: PriceTable | undefined;
/** The project's price table (tools/plan/prices.json). */
export function loadPrices(): PriceTable {
    return (table ??= JSON.parse(fs.readFileSync(PRICES_FILE, "utf8")) as PriceTable);
}

export interface EstimateLine {
    readonly part: "fixed" | "workload";
    readonly price: string;
    readonly what: string;
    readonly region: string;
    readonly quantity: number;
    readonly unit: string;
    /** Dollars per `per` units. */
    readonly unitPrice: number;
    readonly per: number;
    /** Dollars a month, rounded to the cent. */
    readonly monthly: number;
    /** Names of the resources the line comes from. */
    readonly resources: readonly string[];
}

export interface Estimate {
    readonly currency: string;
    readonly workload: Workload;
    /** The oldest date of the prices used. */
    readonly pricesReadOn: string;
    readonly lines: readonly EstimateLine[];
    readonly fixed: number;
    readonly perWorkload: number;
    readonly total: number;
    readonly warnings: readonly string[];
    /** The prices used whose value is still to be confirmed against their AWS page ({@link Price.toConfirm}). */
    readonly toConfirm: readonly string[];
    /**
     * What the estimate leaves out on purpose, with its figure where the table prices it: an existing bucket's
     * own storage and requests (it costs them today, with or without the stack), and the one-time copy of its
     * objects by a backfill.
     */
    readonly notCounted: readonly string[];
}

const cents = (x: number) => Math.round(x * 100) / 100;
const YEAR_MS = 365 * 24 * 3600 * 1000;

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const REPLICATION_TYPES = ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"];
/** The metrics S3 Replication publishes per rule with metrics on. */
const METRICS_PER_RULE = 4;
const bucketOfArn = (arn: unknown) => (typeof arn === "string" ? arn.replace(/^arn:[^:]+:s3:::/, "").replace(/\/.*$/, "") : undefined);
const regionOfArn = (arn: unknown) => (typeof arn === "string" ? arn.split(":")[3] || undefined : undefined);
const storageSuffix = (storageClass: string) => storageClass.toLowerCase().replace(/_/g, "-");

interface Rule {
    readonly source: PlannedResource;
    readonly destinationBucket?: string;
    readonly storageClass: string;
    readonly rtc: boolean;
    readonly metrics: boolean;
}

function rulesOf(config: PlannedResource): Rule[] {
    const rules = Array.isArray(config.inputs.rules) ? config.inputs.rules : [];
    return rules
        .filter((r: any) => r?.status !== "Disabled")
        .map((r: any) => ({
            source: config,
            destinationBucket: bucketOfArn(r?.destination?.bucket),
            storageClass: typeof r?.destination?.storageClass === "string" ? r.destination.storageClass : "STANDARD",
            rtc: r?.destination?.replicationTime?.status === "Enabled",
            metrics: r?.destination?.metrics?.status === "Enabled",
        }));
}

/**
 * The monthly estimate of `resources` for `workload`, priced from `prices`. `now` (injected by tests) dates
 * the check that the prices are less than a year old.
 */
export function estimateCost(resources: readonly PlannedResource[], workload: Workload, prices: PriceTable = loadPrices(), now: Date = new Date()): Estimate {
    const warnings: string[] = [];
    const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const grouped = new Map<string, { part: EstimateLine["part"]; price: string; region: string; quantity: number; resources: Set<string> }>();
    const used = new Set<string>();
    const add = (part: EstimateLine["part"], price: string, region: string | undefined, quantity: number, from: readonly PlannedResource[]) => {
        const p = prices.prices[price];
        const names = from.map((r) => r.name).join(", ");
        if (!p) {
            warnings.push(`no price '${price}' in the price table, for ${names}: left out of the estimate`);
            return;
        }
        const where = region ?? "unknown region";
        if (p.regions[where] === undefined) {
            warnings.push(`no price of ${p.what} in ${where} (for ${names}): left out of the estimate; add ${where} to '${price}' in the price table`);
            return;
        }
        used.add(price);
        const key = `${part}\u0000${price}\u0000${where}`;
        const g = grouped.get(key) ?? { part, price, region: where, quantity: 0, resources: new Set<string>() };
        g.quantity += quantity;
        from.forEach((r) => g.resources.add(r.name));
        grouped.set(key, g);
    };

    // Every type must be classified: a new type is a warning until the table says what it costs.
    for (const type of [...new Set(custom.map((r) => r.type))].sort()) {
        if (!prices.types[type]) {
            warnings.push(`${type}: no price and not listed as free in the price table: not in the estimate (classify it in tools/plan/prices.json)`);
        }
    }
    const ofType = (types: readonly string[]) => custom.filter((r) => types.includes(r.type));
    const perRegion = (rs: readonly PlannedResource[]) => {
        const by = new Map<string, PlannedResource[]>();
        rs.forEach((r) => by.set(r.region ?? "unknown region", [...(by.get(r.region ?? "unknown region") ?? []), r]));
        return [...by.entries()];
    };

    // Fixed: counted resources.
    for (const [region, keys] of perRegion(ofType(["aws:kms/key:Key"]))) add("fixed", "kms-key", region, keys.length, keys);
    for (const [region, alarms] of perRegion(ofType(["aws:cloudwatch/metricAlarm:MetricAlarm"]))) {
        const metrics = alarms.reduce((n, a) => n + (Array.isArray(a.inputs.metricQueries) ? a.inputs.metricQueries.filter((q: any) => q?.metric).length || 1 : 1), 0);
        add("fixed", "cloudwatch-alarm", region, metrics, alarms);
    }
    for (const [region, boards] of perRegion(ofType(["aws:cloudwatch/dashboard:Dashboard"]))) add("fixed", "cloudwatch-dashboard", region, boards.length, boards);
    const trails = ofType(["aws:cloudtrail/trail:Trail"]);
    for (const [region, ts] of perRegion(trails)) add("fixed", "cloudtrail-trail", region, ts.length, ts);
    const accessPoints = ofType(["aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint"]);
    for (const [region, aps] of perRegion(accessPoints)) add("fixed", "s3-multi-region-access-point", region, aps.length, aps);

    // In the order of their providers' registration: the program makes the first side's provider first (the
    // primary's), whatever order the sides' resources then register in.
    const providerOrder = resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.urn);
    const rank = (r: PlannedResource) => (r.provider === undefined || !providerOrder.includes(r.provider) ? providerOrder.length : providerOrder.indexOf(r.provider));
    const configs = ofType(REPLICATION_TYPES)
        .map((config, i) => ({ config, i }))
        .sort((a, b) => rank(a.config) - rank(b.config) || a.i - b.i)
        .map(({ config }) => config);
    const rules = configs.flatMap(rulesOf);
    for (const rule of rules.filter((r) => r.metrics)) add("fixed", "s3-replication-metrics", rule.source.region, METRICS_PER_RULE, [rule.source]);

    // Per unit of workload. The application writes through the first replicated bucket (the primary's); each of
    // its rules copies every write to another side, where the replicas take the rule's storage class.
    const buckets = ofType(BUCKET_TYPES);
    // A bucket the stack creates has its name in its inputs; one it adopts (read) under the ID it was read by.
    const bucketNamed = (name: string | undefined) => buckets.find((b) => (b.read ? b.id : b.inputs.bucket) === name);
    const notCounted: string[] = [];
    const writerConfig = configs[0];
    const dataBuckets = new Set<string>();
    if (!writerConfig) {
        if (buckets.length > 0) {
            warnings.push("no replication configuration: the workload's storage, requests and transfer are not estimated");
        }
    } else {
        const writerName = typeof writerConfig.inputs.bucket === "string" ? writerConfig.inputs.bucket : undefined;
        const writer = bucketNamed(writerName) ?? writerConfig;
        const writerRegion = writer.region;
        dataBuckets.add(writerName ?? "");
        if (writer.read) {
            // An adopted bucket: its data, writes and reads are there with or without the stack.
            notCounted.push(
                `${writer.name} (${writerName}) exists already: its own storage (${workload.storedGb.toLocaleString("en-US")} GB), PUTs and GETs cost ` +
                    "what they cost today, with or without this stack: left out",
            );
            const transfer = prices.prices["s3-inter-region-transfer"];
            const perGb = transfer?.regions[writerRegion ?? ""];
            const destinations = rules.filter((r) => r.source === writerConfig).length;
            const once =
                perGb === undefined
                    ? ""
                    : ` (${money(cents(((workload.storedGb * destinations) / transfer.per) * perGb))} of transfer between regions to its ${destinations} destination${destinations === 1 ? "" : "s"})`;
            notCounted.push(
                `a backfill (npm run backfill) copies the ${workload.storedGb.toLocaleString("en-US")} GB already in ${writerName} once${once}, ` +
                    "plus S3 Batch Operations' job and per-object fees (README): a one-time cost, not monthly",
            );
        } else {
            add("workload", "s3-storage-standard", writerRegion, workload.storedGb, [writer]);
            add("workload", "s3-put-standard", writerRegion, workload.objects, [writer]);
            add("workload", "s3-get-standard", writerRegion, workload.requests, [writer]);
        }
        for (const rule of rules.filter((r) => r.source === writerConfig)) {
            const destination = bucketNamed(rule.destinationBucket);
            if (!destination) {
                warnings.push(`${writerConfig.name}: the destination bucket ${rule.destinationBucket ?? "(unknown)"} is not in the plan: its storage and requests are not estimated`);
            } else {
                dataBuckets.add(rule.destinationBucket ?? "");
                add("workload", `s3-storage-${storageSuffix(rule.storageClass)}`, destination.region, workload.storedGb, [destination]);
                add("workload", `s3-put-${storageSuffix(rule.storageClass)}`, destination.region, workload.objects, [destination, writerConfig]);
            }
            add("workload", "s3-inter-region-transfer", writerRegion, workload.writtenGb, [writerConfig]);
            if (rule.rtc) {
                add("workload", "s3-rtc", writerRegion, workload.writtenGb, [writerConfig]);
            }
        }
    }

    // CloudTrail data events: each write (and each replica written) is an event in the trail of its bucket.
    for (const trail of trails) {
        const selectors = Array.isArray(trail.inputs.eventSelectors) ? trail.inputs.eventSelectors : [];
        let events = 0;
        for (const s of selectors) {
            const logged = (Array.isArray(s?.dataResources) ? s.dataResources : [])
                .filter((d: any) => d?.type === "AWS::S3::Object")
                .flatMap((d: any) => (Array.isArray(d.values) ? d.values : []))
                .map(bucketOfArn)
                .filter((b: string | undefined) => b !== undefined && dataBuckets.has(b)).length;
            const rw = s?.readWriteType ?? "All";
            events += logged * ((rw !== "ReadOnly" ? workload.objects : 0) + (rw !== "WriteOnly" ? workload.requests : 0));
        }
        if (events > 0) {
            add("workload", "cloudtrail-data-events", trail.region, events, [trail]);
        }
    }

    for (const ap of accessPoints) add("workload", "s3-mrap-routing", ap.region, workload.writtenGb, [ap]);

    // AWS Backup: each backed-up bucket holds the data set; its backups keep it plus what is written during the
    // longest retention of its plan, in its vault and in every vault a rule copies to.
    const plans = ofType(["aws:backup/plan:Plan"]);
    for (const selection of ofType(["aws:backup/selection:Selection"])) {
        const selected = (Array.isArray(selection.inputs.resources) ? selection.inputs.resources : []).map(bucketOfArn).filter((b: string | undefined) => b !== undefined && dataBuckets.has(b));
        if (selected.length === 0) continue;
        const plan = plans.find((p) => (selection.propertyDependencies.planId ?? []).includes(p.urn)) ?? plans.find((p) => p.region === selection.region);
        const planRules: any[] = plan && Array.isArray(plan.inputs.rules) ? plan.inputs.rules : [];
        const kept = (days: unknown) => workload.storedGb + workload.writtenGb * ((typeof days === "number" ? days : 30) / 30);
        const retention = Math.max(0, ...planRules.map((r) => r?.lifecycle?.deleteAfter ?? 0));
        add("workload", "backup-s3-warm", selection.region, selected.length * kept(retention), plan ? [selection, plan] : [selection]);
        for (const rule of planRules) {
            if (rule?.lifecycle?.coldStorageAfter !== undefined) {
                warnings.push(`${plan?.name}: rule ${rule.ruleName} moves backups to cold storage, which AWS Backup does not offer for S3: not estimated`);
            }
            for (const copy of Array.isArray(rule?.copyActions) ? rule.copyActions : []) {
                add("workload", "backup-s3-warm", regionOfArn(copy?.destinationVaultArn), selected.length * kept(copy?.lifecycle?.deleteAfter), [plan!]);
                add("workload", "backup-cross-region-transfer", selection.region, selected.length * workload.writtenGb, [plan!]);
            }
        }
    }

    const lines: EstimateLine[] = [...grouped.values()]
        .map((g) => {
            const p = prices.prices[g.price];
            const unitPrice = p.regions[g.region];
            return {
                part: g.part,
                price: g.price,
                what: p.what,
                region: g.region,
                quantity: g.quantity,
                unit: p.unit,
                unitPrice,
                per: p.per,
                monthly: cents((g.quantity / p.per) * unitPrice),
                resources: [...g.resources].sort(),
            };
        })
        .sort((a, b) => (a.part === b.part ? 0 : a.part === "fixed" ? -1 : 1) || a.region.localeCompare(b.region) || a.price.localeCompare(b.price));
    const sum = (part?: EstimateLine["part"]) => cents(lines.filter((l) => !part || l.part === part).reduce((n, l) => n + l.monthly, 0));
    const dates = [...used].map((id) => prices.prices[id].date).sort();
    const pricesReadOn = dates[0] ?? "";
    if (pricesReadOn && now.getTime() - Date.parse(`${pricesReadOn}T00:00:00Z`) > YEAR_MS) {
        warnings.push(`the prices were read on ${pricesReadOn}, more than a year ago: AWS may have changed them; read their pages again and update tools/plan/prices.json`);
    }
    const toConfirm = [...used].filter((id) => prices.prices[id].toConfirm !== undefined).sort();
    return { currency: prices.currency, workload, pricesReadOn, lines, fixed: sum("fixed"), perWorkload: sum("workload"), total: sum(), warnings, toConfirm, notCounted };
}

const money = (x: number) => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const rate = (x: number) => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
const count = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** One line as the plan prints it: region, what, quantity × price, monthly, and the resources. */
export function describeLine(l: EstimateLine): string {
    const per = l.per === 1 ? l.unit : `${count(l.per)} ${l.unit}`;
    return `${l.region}  ${l.what}: ${count(l.quantity)} ${l.unit} × ${rate(l.unitPrice)} per ${per} = ${money(l.monthly)}  (${l.resources.join(", ")})`;
}

/** The estimate as the plan prints it, under the resource tree. */
export function renderEstimate(e: Estimate): string[] {
    const out = [
        `Estimated monthly cost (${e.currency}; an estimate at AWS list prices read on ${e.pricesReadOn || "-"}, before taxes, free tier and negotiated prices):`,
        `  fixed: ${money(e.fixed)}`,
        ...e.lines.filter((l) => l.part === "fixed").map((l) => `    ${describeLine(l)}`),
        `  workload (--workload ${formatWorkload(e.workload)}): ${money(e.perWorkload)}`,
        ...e.lines.filter((l) => l.part === "workload").map((l) => `    ${describeLine(l)}`),
        `  total: ${money(e.total)} a month`,
        ...e.notCounted.map((n) => `  not counted: ${n}`),
        ...(e.toConfirm.length > 0 ? [`  still to be confirmed against their AWS pages (tools/plan/prices.json says why): ${e.toConfirm.join(", ")}`] : []),
    ];
    return [...out, ...e.warnings.map((w) => `warning: ${w}`)];
}

export { money as formatMoney };
