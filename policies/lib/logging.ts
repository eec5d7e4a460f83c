/** Audit trail of the replicated buckets: CloudTrail data events, validation, CloudWatch Logs, retention. */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { bucketNameFromArn, controlTags, forType, isKind, label, modelOf, read, readKnown, StackModel, TYPES } from "./model";

/** What one trail records of S3 object writes: buckets by dependency, bucket names by ARN, or every bucket. */
interface TrailCoverage {
    readonly unknown: boolean;
    readonly all: boolean;
    readonly buckets: ReadonlySet<PolicyResource>;
    readonly names: ReadonlySet<string>;
}

function coverageOf(trail: PolicyResource): TrailCoverage {
    const buckets = new Set(
        ["eventSelectors", "advancedEventSelectors"].flatMap((p) => (trail.propertyDependencies[p] ?? []).filter((d) => isKind(d, "bucket"))),
    );
    const names = new Set<string>();
    let all = false;
    const selectors = readKnown(() => trail.props.eventSelectors);
    const advanced = readKnown(() => trail.props.advancedEventSelectors);
    if (!selectors.known || !advanced.known) {
        return { unknown: true, all, buckets, names };
    }
    const add = (arn: string) => {
        const b = bucketNameFromArn(arn);
        if (b !== undefined) {
            names.add(b);
        } else if (/^arn:[^:]+:s3(:::)?$/.test(arn)) {
            all = true;
        }
    };
    for (const s of (selectors.value as any[]) ?? []) {
        if (read(() => s.readWriteType) === "ReadOnly") {
            continue;
        }
        for (const d of read(() => s.dataResources) ?? []) {
            if (read(() => d.type) === "AWS::S3::Object") {
                (read(() => d.values) ?? []).forEach(add);
            }
        }
    }
    for (const s of (advanced.value as any[]) ?? []) {
        const fields: any[] = read(() => s.fieldSelectors) ?? [];
        const field = (f: string) => fields.find((x) => read(() => x.field) === f);
        const isS3Objects = (read(() => field("resources.type")?.equals) ?? []).includes("AWS::S3::Object");
        const readOnly = (read(() => field("readOnly")?.equals) ?? []).includes("true");
        const arns: string[] = [...(read(() => field("resources.ARN")?.startsWith) ?? []), ...(read(() => field("resources.ARN")?.equals) ?? [])];
        if (isS3Objects && !readOnly) {
            if (arns.length === 0) {
                all = true;
            }
            arns.forEach(add);
        }
    }
    return { unknown: false, all, buckets, names };
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
        const replicated = new Set<PolicyResource>();
        for (const config of model.of("replication")) {
            for (const prop of ["bucket", "rules"]) {
                model.bucketsReferenced(config, prop).forEach((b) => replicated.add(b));
            }
        }
        const coverage = trails.map(coverageOf);
        for (const bucket of replicated) {
            if (!covered(model, coverage, bucket)) {
                reportViolation(`Replicated ${label(bucket)} has no CloudTrail trail recording its S3 data events.`, bucket.urn);
            }
        }
    },
};

export const logGroupRetention: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-retention",
    description: "CloudWatch Logs groups keep events at least `minimumDays` days (config, default 30); unset means forever.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set `retentionInDays` on the log group to at least the configured minimum (or leave it unset to keep events).",
    tags: controlTags({ checkov: ["CKV_AWS_66", "CKV_AWS_338"], securityHub: ["CloudWatch.16"] }),
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
