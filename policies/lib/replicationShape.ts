/**
 * What S3 refuses at deploy time: the shape rules of `PutBucketReplication`, in one table. Each row names
 * the rule, where AWS states it, and checks the rules of one replication configuration (either schema:
 * the split `BucketReplicationConfig` and the deprecated inline one are read into {@link ShapeRule}s
 * first). A value unknown during a preview is never judged: a check that needs it says nothing.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
 */
import { known, Maybe, UNKNOWN } from "./model";

/** One rule as PutBucketReplication receives it, whatever schema the program wrote it in. */
export interface ShapeRule {
    readonly id: string;
    /** `status` is Enabled (a disabled rule is still validated, but replicates nothing). */
    readonly enabled: Maybe<boolean>;
    /** The destination bucket's ARN. */
    readonly destination: Maybe<string>;
    readonly idLength: Maybe<number>;
    /** The rule has a `Filter` (the current, V2 schema); without one it is of the earlier V1 schema. */
    readonly v2: Maybe<boolean>;
    readonly priority: Maybe<number>;
    readonly prefix: Maybe<string>;
    /** How many of `prefix`, `tag` and `and` the filter sets (0 for `filter: {}`). */
    readonly filterElements: Maybe<number>;
    /** The filter selects by tags (`tag`, or tags in `and`). */
    readonly tagged: Maybe<boolean>;
    readonly deleteMarkers: Maybe<"Enabled" | "Disabled">;
    readonly replicationTime: Maybe<{ readonly enabled: boolean; readonly minutes?: number } | undefined>;
    readonly metrics: Maybe<{ readonly enabled: boolean; readonly threshold?: number } | undefined>;
    readonly ownerOverride: Maybe<boolean>;
    readonly account: Maybe<string>;
    readonly selectsKms: Maybe<boolean>;
    readonly replicaKey: Maybe<string>;
    readonly replicaModifications: Maybe<boolean>;
    readonly existingObjects: Maybe<boolean>;
    readonly storageClass: Maybe<string>;
}

const num = (v: Maybe<unknown>): Maybe<number> => (v === UNKNOWN ? UNKNOWN : typeof v === "number" ? v : undefined);
const text = (v: Maybe<unknown>): Maybe<string> => (v === UNKNOWN ? UNKNOWN : typeof v === "string" && v !== "" ? v : undefined);
const enabledStatus = (v: Maybe<unknown>): Maybe<boolean> => (v === UNKNOWN ? UNKNOWN : v === "Enabled");
const present = (v: Maybe<unknown>): Maybe<boolean> => (v === UNKNOWN ? UNKNOWN : v !== undefined && v !== null);
const count = (...vs: Maybe<unknown>[]): Maybe<number> => (vs.includes(UNKNOWN) ? UNKNOWN : vs.filter((v) => v !== undefined && v !== null).length);
const nonEmptyTags = (v: Maybe<unknown>): Maybe<boolean> =>
    v === UNKNOWN ? UNKNOWN : Array.isArray(v) ? v.length > 0 : v !== null && typeof v === "object" ? Object.keys(v).length > 0 : false;
const either = (a: Maybe<boolean>, b: Maybe<boolean>): Maybe<boolean> => (a === true || b === true ? true : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : false);

/** The id S3 would report a rule by: its `id`, else its position. */
function ruleId(rule: any, i: number): string {
    const id = known(() => rule.id);
    return typeof id === "string" && id !== "" ? id : `#${i + 1}`;
}

/** What both schemas spell alike. */
function commonFields(rule: any, i: number): Pick<ShapeRule, "id" | "destination" | "idLength" | "v2" | "priority" | "ownerOverride" | "storageClass"> {
    const filter = known(() => rule.filter);
    return {
        id: ruleId(rule, i),
        destination: text(known(() => rule.destination?.bucket)),
        idLength: ((id) => (id === UNKNOWN ? UNKNOWN : typeof id === "string" ? id.length : undefined))(known(() => rule.id)),
        v2: present(filter),
        priority: num(known(() => rule.priority)),
        ownerOverride: ((o) => (o === UNKNOWN ? UNKNOWN : o === "Destination"))(known(() => rule.destination?.accessControlTranslation?.owner)),
        storageClass: text(known(() => rule.destination?.storageClass)),
    };
}

/** Replication Time Control or metrics: undefined when not set, else whether enabled and its minutes. */
function timed<T extends string>(block: () => unknown, status: () => unknown, minutes: () => unknown, as: T): Maybe<{ readonly enabled: boolean } & Partial<Record<T, number>>> {
    const b = known(block);
    const s = known(status);
    if (b === UNKNOWN || s === UNKNOWN) {
        return UNKNOWN;
    }
    if (b === undefined || b === null) {
        return undefined;
    }
    return { enabled: s === "Enabled", [as]: num(known(minutes)) as number | undefined } as { readonly enabled: boolean } & Partial<Record<T, number>>;
}

/** A rule of the split resource (`aws.s3.BucketReplicationConfig`). */
export function splitShapeRule(rule: any, i: number): ShapeRule {
    const filter = known(() => rule.filter);
    return {
        ...commonFields(rule, i),
        enabled: enabledStatus(known(() => rule.status)),
        prefix: text(known(() => rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix)),
        filterElements: filter === UNKNOWN ? UNKNOWN : count(known(() => rule.filter?.prefix), known(() => rule.filter?.tag), known(() => rule.filter?.and)),
        tagged: either(present(known(() => rule.filter?.tag)), nonEmptyTags(known(() => rule.filter?.and?.tags))),
        deleteMarkers: ((s) => (s === UNKNOWN ? UNKNOWN : s === "Enabled" || s === "Disabled" ? s : undefined))(known(() => rule.deleteMarkerReplication?.status)),
        replicationTime: timed(() => rule.destination?.replicationTime, () => rule.destination?.replicationTime?.status, () => rule.destination.replicationTime.time?.minutes, "minutes"),
        metrics: timed(() => rule.destination?.metrics, () => rule.destination?.metrics?.status, () => rule.destination.metrics.eventThreshold?.minutes, "threshold"),
        account: text(known(() => rule.destination?.account)),
        selectsKms: enabledStatus(known(() => rule.sourceSelectionCriteria?.sseKmsEncryptedObjects?.status)),
        replicaKey: text(known(() => rule.destination?.encryptionConfiguration?.replicaKmsKeyId)),
        replicaModifications: enabledStatus(known(() => rule.sourceSelectionCriteria?.replicaModifications?.status)),
        existingObjects: enabledStatus(known(() => rule.existingObjectReplication?.status)),
    };
}

/** A rule of a bucket's deprecated inline `replicationConfiguration` (the provider's older schema). */
export function inlineShapeRule(rule: any, i: number): ShapeRule {
    const filter = known(() => rule.filter);
    const dmr = known(() => rule.deleteMarkerReplicationStatus);
    const status = known(() => rule.status);
    return {
        ...commonFields(rule, i),
        // The inline schema's status: an unknown one is judged as enabled (it replicates unless disabled).
        enabled: status === UNKNOWN ? true : status === "Enabled",
        prefix: text(known(() => rule.filter?.prefix ?? rule.prefix)),
        // The inline filter holds a prefix and a tag map side by side (the provider wraps them in And).
        filterElements: filter === UNKNOWN ? UNKNOWN : 0,
        tagged: nonEmptyTags(known(() => rule.filter?.tags)),
        deleteMarkers: dmr === UNKNOWN ? UNKNOWN : dmr === "Enabled" || dmr === "Disabled" ? dmr : undefined,
        // The inline schema's minutes: RTC's time, and the metrics' event threshold.
        replicationTime: timed(() => rule.destination?.replicationTime, () => rule.destination?.replicationTime?.status, () => rule.destination.replicationTime.minutes, "minutes"),
        metrics: timed(() => rule.destination?.metrics, () => rule.destination?.metrics?.status, () => rule.destination.metrics.minutes, "threshold"),
        account: text(known(() => rule.destination?.accountId)),
        selectsKms: ((e) => (e === UNKNOWN ? UNKNOWN : e === true))(known(() => rule.sourceSelectionCriteria?.sseKmsEncryptedObjects?.enabled)),
        replicaKey: text(known(() => rule.destination?.replicaKmsKeyId)),
        replicaModifications: false,
        existingObjects: false,
    };
}

/** What a check knows of the configuration beyond its rules. */
export interface ShapeContext {
    /** The source holds SSE-KMS objects (default encryption, or another rule selects them). */
    readonly kmsWanted: boolean;
    /** How to name a rule's destination, and its region when known. */
    readonly targetOf: (rule: ShapeRule) => string;
    readonly regionOf: (rule: ShapeRule) => string | undefined;
}

export interface ShapeCheck {
    /** A short name for the table (docs/policies.md). */
    readonly name: string;
    /** What S3 requires, in one sentence. */
    readonly requires: string;
    /** Where AWS (or the provider's tracker, reproducing S3's answer) says so. */
    readonly source: string;
    /** Another policy reports it; the row is here so the table is complete. */
    readonly reportedBy?: string;
    /** The messages for the rules that break it. */
    readonly check: (rules: readonly ShapeRule[], context: ShapeContext) => string[];
}

const REJECTS = "S3 rejects the configuration";
const each = (rules: readonly ShapeRule[], f: (r: ShapeRule) => string | undefined) => rules.flatMap((r) => f(r) ?? []);

/** The shape rules of PutBucketReplication, in the order its reference gives them. */
export const SHAPE_CHECKS: readonly ShapeCheck[] = [
    {
        name: "rules-count",
        requires: "a configuration holds 1 to 1,000 rules",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationConfiguration.html",
        check: (rules) =>
            rules.length === 0 || rules.length > 1000
                ? [`it holds ${rules.length} rules: ${REJECTS} (a replication configuration holds 1 to 1,000 rules). Fix: ${rules.length === 0 ? "add a rule, or remove the configuration" : "merge rules"}.`]
                : [],
    },
    {
        name: "rule-id-length",
        requires: "a rule's ID has at most 255 characters",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html",
        check: (rules) =>
            each(rules, (r) =>
                typeof r.idLength === "number" && r.idLength > 255
                    ? `rule '${r.id.slice(0, 40)}…' has an ID of ${r.idLength} characters: ${REJECTS} (255 at most). Fix: shorten it.`
                    : undefined,
            ),
    },
    {
        name: "prefix-length",
        requires: "a prefix has at most 1,024 characters",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html",
        check: (rules) =>
            each(rules, (r) =>
                typeof r.prefix === "string" && r.prefix.length > 1024
                    ? `rule '${r.id}' filters on a prefix of ${r.prefix.length} characters: ${REJECTS} (1,024 at most). Fix: shorten the prefix.`
                    : undefined,
            ),
    },
    {
        name: "filter-one-element",
        requires: "a filter sets exactly one of prefix, tag and and",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html",
        check: (rules) =>
            each(rules, (r) =>
                typeof r.filterElements === "number" && r.filterElements > 1
                    ? `rule '${r.id}''s filter sets ${r.filterElements} of prefix, tag and and: ${REJECTS} (a filter holds exactly one of them). Fix: put the prefix and the tags inside filter.and.`
                    : undefined,
            ),
    },
    {
        name: "v2-delete-marker-replication",
        requires: "a rule with a filter states deleteMarkerReplication",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html",
        reportedBy: "s3-replication-prerequisites",
        check: () => [],
    },
    {
        name: "v2-priorities",
        requires: "rules with a filter state their priority, and no two share one",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html",
        check: (rules) => {
            const v2 = rules.filter((r) => r.v2 === true);
            if (v2.length < 2 || v2.some((r) => r.priority === UNKNOWN)) {
                return [];
            }
            const messages = v2
                .filter((r) => r.priority === undefined)
                .map(
                    (r) =>
                        `rule '${r.id}' has a filter but no priority, among ${v2.length} filter-based rules: ${REJECTS} (each such rule states ` +
                        "its priority, and no two share one). Fix: give every rule its own priority.",
                );
            const byPriority = new Map<number, ShapeRule[]>();
            v2.filter((r) => typeof r.priority === "number").forEach((r) => byPriority.set(r.priority as number, [...(byPriority.get(r.priority as number) ?? []), r]));
            for (const [priority, same] of byPriority) {
                if (same.length > 1) {
                    messages.push(
                        `rules ${same.map((r) => `'${r.id}'`).join(" and ")} share priority ${priority}: ${REJECTS} (no two filter-based rules ` +
                            "share a priority). Fix: give every rule its own priority.",
                    );
                }
            }
            return messages;
        },
    },
    {
        name: "tag-filter-delete-markers",
        requires: "a rule filtering on tags does not replicate delete markers",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html",
        check: (rules) =>
            each(rules, (r) =>
                r.tagged === true && r.deleteMarkers === "Enabled"
                    ? `rule '${r.id}' filters on tags and replicates delete markers: ${REJECTS} (S3 does not replicate delete markers for ` +
                      `tag-based rules). Fix: set deleteMarkerReplication.status to "Disabled" on rule '${r.id}', or filter on a prefix only.`
                    : undefined,
            ),
    },
    {
        name: "rtc-with-metrics",
        requires: "Replication Time Control comes with metrics enabled",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html",
        check: (rules) =>
            each(rules, (r) =>
                r.replicationTime !== UNKNOWN && r.replicationTime?.enabled === true && r.metrics !== UNKNOWN && r.metrics?.enabled !== true
                    ? `rule '${r.id}' turns on Replication Time Control without replication metrics: ${REJECTS} (RTC must come with ` +
                      'metrics enabled). Fix: set destination.metrics to { status: "Enabled", eventThreshold: { minutes: 15 } }.'
                    : undefined,
            ),
    },
    {
        name: "fifteen-minutes",
        requires: "Replication Time Control's time and the metrics' event threshold are 15 minutes",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationTimeValue.html",
        check: (rules) =>
            rules.flatMap((r) => {
                const wrong: [string, number][] = [];
                if (r.replicationTime !== UNKNOWN && typeof r.replicationTime?.minutes === "number" && r.replicationTime.minutes !== 15) {
                    wrong.push(["Replication Time Control", r.replicationTime.minutes]);
                }
                if (r.metrics !== UNKNOWN && typeof r.metrics?.threshold === "number" && r.metrics.threshold !== 15) {
                    wrong.push(["the metrics' event threshold", r.metrics.threshold]);
                }
                return wrong.map(([what, minutes]) => `rule '${r.id}' sets ${minutes} minutes for ${what}: ${REJECTS} (15 is the only value it accepts). Fix: set it to 15.`);
            }),
    },
    {
        name: "threshold-needs-rtc",
        requires: "an event threshold only with Replication Time Control",
        source: "https://github.com/pulumi/pulumi-aws/issues/5806",
        check: (rules) =>
            each(rules, (r) =>
                r.metrics !== UNKNOWN && typeof r.metrics?.threshold === "number" && r.replicationTime !== UNKNOWN && r.replicationTime?.enabled !== true
                    ? `rule '${r.id}''s metrics have an event threshold without Replication Time Control: ${REJECTS} ("Metrics cannot ` +
                      'contain an event threshold when ReplicationTime is not specified"). Fix: remove destination.metrics.eventThreshold, or ' +
                      "enable destination.replicationTime."
                    : undefined,
            ),
    },
    {
        name: "owner-override-account",
        requires: "an owner override (accessControlTranslation) names the destination account",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html",
        check: (rules) =>
            each(rules, (r) =>
                r.ownerOverride === true && r.account === undefined
                    ? `rule '${r.id}' changes the replica owner (accessControlTranslation) without naming the destination's account: ${REJECTS} ` +
                      "(the owner override goes with destination.account). Fix: set destination.account to the destination bucket's account."
                    : undefined,
            ),
    },
    {
        name: "replica-key-needs-kms-selection",
        requires: "a replica key only where SSE-KMS objects are selected",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/26241",
        check: (rules, c) =>
            c.kmsWanted
                ? [] // s3-replication-will-work names the rule that does not select them (SSE-KMS objects would be skipped)
                : each(rules, (r) =>
                      r.selectsKms === false && typeof r.replicaKey === "string"
                          ? `rule '${r.id}' names a replica key but does not select SSE-KMS objects: ${REJECTS}. Fix: set ` +
                            `sourceSelectionCriteria.sseKmsEncryptedObjects.status to "Enabled" on rule '${r.id}', or remove ` +
                            "destination.encryptionConfiguration."
                          : undefined,
                  ),
    },
    {
        name: "kms-selection-needs-replica-key",
        requires: "a rule selecting SSE-KMS objects names a replica key",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
        check: (rules, c) =>
            each(rules, (r) =>
                r.selectsKms === true && r.replicaKey === undefined
                    ? `rule '${r.id}' selects SSE-KMS objects but names no replica key: ${REJECTS}, and no SSE-KMS object is replicated to ` +
                      `${c.targetOf(r)}. Fix: set destination.encryptionConfiguration.replicaKmsKeyId to the ARN of a KMS key in ` +
                      `${c.regionOf(r) ?? "the destination bucket's region"}.`
                    : undefined,
            ),
    },
    {
        name: "replica-modifications-v2",
        requires: "replica modification sync only in filter-based (V2) rules",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_SourceSelectionCriteria.html",
        check: (rules) =>
            each(rules, (r) =>
                r.replicaModifications === true && r.v2 === false
                    ? `rule '${r.id}' syncs replica modifications without a filter (the earlier V1 schema): ${REJECTS} (replica ` +
                      `modification sync needs the filter-based schema). Fix: add filter: {} to rule '${r.id}' and state its deleteMarkerReplication.`
                    : undefined,
            ),
    },
    {
        name: "no-existing-object-replication",
        requires: "existingObjectReplication is not set (no longer supported)",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/21961",
        check: (rules) =>
            each(rules, (r) =>
                r.existingObjects === true
                    ? `rule '${r.id}' enables existingObjectReplication: ${REJECTS} (MalformedXML: the setting is no longer supported). ` +
                      "Fix: remove it, and replicate existing objects with S3 Batch Replication."
                    : undefined,
            ),
    },
    {
        name: "storage-class",
        requires: "the replicas' storage class is one replication accepts (not FSX_OPENZFS)",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html",
        check: (rules) =>
            each(rules, (r) =>
                r.storageClass === "FSX_OPENZFS"
                    ? `rule '${r.id}' stores replicas as FSX_OPENZFS: ${REJECTS} (not a storage class replication accepts). Fix: use STANDARD, ` +
                      "STANDARD_IA, INTELLIGENT_TIERING or another S3 storage class."
                    : undefined,
            ),
    },
];

/** Every message of every shape check, in the table's order. */
export function shapeProblems(rules: readonly ShapeRule[], context: ShapeContext): string[] {
    return SHAPE_CHECKS.flatMap((c) => c.check(rules, context));
}
