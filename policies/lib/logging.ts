/** Audit trail of the replicated buckets: CloudTrail data events, validation, CloudWatch Logs, retention. */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { bucketNameFromArn, controlTags, forType, isKind, known, label, modelOf, read, readKnown, StackModel, TYPES, UNKNOWN } from "./model";

/** What one trail records of S3 object writes: buckets by dependency, bucket names by ARN, or every bucket. */
interface TrailCoverage {
    readonly unknown: boolean;
    readonly all: boolean;
    readonly buckets: ReadonlySet<PolicyResource>;
    readonly names: ReadonlySet<string>;
}

/** Which events a coverage is about: object writes (the lab's trails) or object reads. */
type Access = "write" | "read";

function coverageOf(trail: PolicyResource, access: Access = "write"): TrailCoverage {
    const dependedOn = ["eventSelectors", "advancedEventSelectors"].flatMap((p) =>
        (trail.propertyDependencies[p] ?? []).filter((d) => isKind(d, "bucket")),
    );
    // A dependency does not say which selector names the bucket: it counts only when some selector of S3
    // objects records this kind of access.
    let applies = false;
    const names = new Set<string>();
    let all = false;
    const selectors = readKnown(() => trail.props.eventSelectors);
    const advanced = readKnown(() => trail.props.advancedEventSelectors);
    if (!selectors.known || !advanced.known) {
        return { unknown: true, all, buckets: new Set(dependedOn), names };
    }
    // An element unknown during a preview (a bucket ARN not yet known) makes this trail's coverage unknown: judged
    // once it is known, rather than failing the whole policy on the first element read.
    let unknownElement = false;
    const listOf = (get: () => unknown): string[] => {
        const values = known(() => {
            const v = get();
            return Array.isArray(v) ? v.map((x) => String(x)) : [];
        });
        if (values === UNKNOWN) {
            unknownElement = true;
            return [];
        }
        return values ?? [];
    };
    const add = (arn: string) => {
        const b = bucketNameFromArn(arn);
        if (b !== undefined) {
            names.add(b);
        } else if (/^arn:[^:]+:s3(:::)?$/.test(arn)) {
            all = true;
        }
    };
    // A basic selector records reads unless WriteOnly and writes unless ReadOnly (its default is All).
    const skipped = access === "write" ? "ReadOnly" : "WriteOnly";
    for (const s of (selectors.value as any[]) ?? []) {
        if (read(() => s.readWriteType) === skipped) {
            continue;
        }
        for (const d of read(() => s.dataResources) ?? []) {
            if (read(() => d.type) === "AWS::S3::Object") {
                applies = true;
                listOf(() => d.values).forEach(add);
            }
        }
    }
    for (const s of (advanced.value as any[]) ?? []) {
        const fields: any[] = read(() => s.fieldSelectors) ?? [];
        const field = (f: string) => fields.find((x) => read(() => x.field) === f);
        const isS3Objects = listOf(() => field("resources.type")?.equals).includes("AWS::S3::Object");
        // An advanced selector's `readOnly` field narrows it to reads ("true") or writes ("false").
        const readOnly: string[] = listOf(() => field("readOnly")?.equals);
        const excluded = readOnly.length > 0 && !readOnly.includes(access === "write" ? "false" : "true");
        const arns: string[] = [...listOf(() => field("resources.ARN")?.startsWith), ...listOf(() => field("resources.ARN")?.equals)];
        if (isS3Objects && !excluded) {
            applies = true;
            if (arns.length === 0) {
                all = true;
            }
            arns.forEach(add);
        }
    }
    return { unknown: unknownElement, all, buckets: new Set(applies ? dependedOn : []), names };
}

function covered(model: StackModel, coverage: readonly TrailCoverage[], bucket: PolicyResource): boolean {
    const name = model.bucketName(bucket);
    return coverage.some((c) => c.unknown || c.all || c.buckets.has(bucket) || (name !== undefined && c.names.has(name)));
}

export const cloudtrailS3DataEvents: StackValidationPolicy = {
    name: "cloudtrail-replicated-bucket-auditing",
    description:
        "Every CloudTrail trail validates its log files and delivers to CloudWatch Logs, and every replicated bucket " +
        "has its S3 data (write) events recorded by a trail, as the lab's replication checks rely on.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Set `enableLogFileValidation: true` and `cloudWatchLogsGroupArn`/`cloudWatchLogsRoleArn` on the trail, and add an " +
        "event selector { readWriteType: \"WriteOnly\", dataResources: [{ type: \"AWS::S3::Object\", values: [`<bucket-arn>/`] }] }.",
    tags: controlTags({
        checkov: ["CKV_AWS_36", "CKV2_AWS_10"],
        securityHub: ["CloudTrail.4", "CloudTrail.5"],
        awsConfig: ["cloud-trail-log-file-validation-enabled", "cloudtrail-s3-dataevents-enabled"],
    }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const trails = model.of("trail");
        for (const trail of trails) {
            const validation = readKnown(() => trail.props.enableLogFileValidation);
            if (validation.known && validation.value !== true) {
                reportViolation(`${label(trail)} does not validate its log files (enableLogFileValidation).`, trail.urn);
            }
            const group = readKnown(() => trail.props.cloudWatchLogsGroupArn);
            if (group.known && !group.value) {
                reportViolation(`${label(trail)} does not deliver to CloudWatch Logs (cloudWatchLogsGroupArn).`, trail.urn);
            }
        }
        const coverage = trails.map((t) => coverageOf(t));
        for (const bucket of replicatedBuckets(model)) {
            if (!covered(model, coverage, bucket)) {
                reportViolation(`Replicated ${label(bucket)} has no CloudTrail trail recording its S3 data events.`, bucket.urn);
            }
        }
    },
};

/** Every bucket a replication configuration reads from or writes to. */
function replicatedBuckets(model: StackModel): Set<PolicyResource> {
    const replicated = new Set<PolicyResource>();
    for (const config of model.of("replication")) {
        for (const prop of ["bucket", "rules"]) {
            model.bucketsReferenced(config, prop).forEach((b) => replicated.add(b));
        }
    }
    return replicated;
}

export const s3ReplicatedBucketReadAudit: StackValidationPolicy = {
    name: "s3-replicated-bucket-access-logging",
    description:
        "Every replicated bucket has its reads audited: S3 server access logging (a BucketLogging, or the deprecated " +
        "inline `logging`), or a CloudTrail trail recording its S3 data read events.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Add `new aws.s3.BucketLogging(name, { bucket: bucket.id, targetBucket: logs.id, targetPrefix: \"s3-access-logs/<bucket>/\" })` " +
        "with a grant to logging.s3.amazonaws.com in the target's bucket policy (CrrPair: `accessLogging: true`), or a trail " +
        "event selector with readWriteType \"All\" or \"ReadOnly\" for `<bucket-arn>/`.",
    tags: controlTags({
        checkov: ["CKV_AWS_18"],
        securityHub: ["S3.9"],
        awsConfig: ["s3-bucket-logging-enabled"],
    }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const logged = new Set(model.of("bucketLogging").flatMap((l) => model.bucketsReferenced(l, "bucket")));
        const readCoverage = model.of("trail").map((t) => coverageOf(t, "read"));
        for (const bucket of replicatedBuckets(model)) {
            const inline = readKnown(() => bucket.props.logging?.targetBucket);
            if (logged.has(bucket) || !inline.known || inline.value || covered(model, readCoverage, bucket)) {
                continue;
            }
            reportViolation(
                `Replicated ${label(bucket)} has neither S3 server access logging nor a trail recording its read data events: ` +
                    "reads of the replicated data are not audited.",
                bucket.urn,
            );
        }
    },
};

export const logGroupRetention: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-retention",
    description: "CloudWatch Logs groups keep events at least `minimumDays` days (config, default 30); unset means forever.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set `retentionInDays` on the log group to at least the configured minimum (or leave it unset to keep events).",
    tags: controlTags({ checkov: ["CKV_AWS_66", "CKV_AWS_338"], securityHub: ["CloudWatch.16"], awsConfig: ["cw-loggroup-retention-period-check"] }),
    configSchema: {
        properties: {
            minimumDays: { type: "integer", default: 30, minimum: 1, description: "Least retention accepted, in days." },
        },
    },
    validateResource: forType(TYPES.logGroup[0], (args, reportViolation) => {
        if (!isKind(args, "logGroup")) {
            return;
        }
        const minimumDays = args.getConfig<{ minimumDays?: number }>().minimumDays ?? 30;
        const days = read(() => args.props.retentionInDays);
        if (typeof days === "number" && days !== 0 && days < minimumDays) {
            reportViolation(`LogGroup '${args.name}' keeps events ${days} days; the minimum is ${minimumDays}.`);
        }
    }),
};
