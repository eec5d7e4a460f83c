/** Audit trail of the replicated buckets: CloudTrail data events, validation, CloudWatch Logs, retention. */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { bucketNameFromArn, controlTags, isKind, label, modelOf, read, readKnown, StackModel } from "./model";

/** Does `trail` record S3 object (data) write events of `bucket`? "unknown" when it cannot be read. */
function trailCovers(model: StackModel, trail: PolicyResource, bucket: PolicyResource): boolean | "unknown" {
    if (["eventSelectors", "advancedEventSelectors"].some((p) => (trail.propertyDependencies[p] ?? []).includes(bucket))) {
        return true;
    }
    const name = model.bucketName(bucket);
    const selectors = readKnown(() => trail.props.eventSelectors);
    const advanced = readKnown(() => trail.props.advancedEventSelectors);
    if (!selectors.known || !advanced.known) {
        return "unknown";
    }
    const covers = (arn: string) => {
        const b = bucketNameFromArn(arn);
        return b === undefined ? /^arn:[^:]+:s3(:::)?$/.test(arn) : b === name;
    };
    for (const s of (selectors.value as any[]) ?? []) {
        if (read(() => s.readWriteType) === "ReadOnly") {
            continue;
        }
        for (const d of read(() => s.dataResources) ?? []) {
            if (read(() => d.type) === "AWS::S3::Object" && (read(() => d.values) ?? []).some((v: string) => covers(v))) {
                return true;
            }
        }
    }
    for (const s of (advanced.value as any[]) ?? []) {
        const fields: any[] = read(() => s.fieldSelectors) ?? [];
        const field = (f: string) => fields.find((x) => read(() => x.field) === f);
        const isS3Objects = (read(() => field("resources.type")?.equals) ?? []).includes("AWS::S3::Object");
        const readOnly = (read(() => field("readOnly")?.equals) ?? []).includes("true");
        const arns: string[] = [...(read(() => field("resources.ARN")?.startsWith) ?? []), ...(read(() => field("resources.ARN")?.equals) ?? [])];
        if (isS3Objects && !readOnly && (arns.length === 0 || arns.some(covers))) {
            return true;
        }
    }
    return false;
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
        for (const bucket of replicated) {
            const coverage = trails.map((t) => trailCovers(model, t, bucket));
            if (!coverage.includes(true) && !coverage.includes("unknown")) {
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
    validateResource: (args, reportViolation) => {
        if (!isKind(args, "logGroup")) {
            return;
        }
        const minimumDays = args.getConfig<{ minimumDays?: number }>().minimumDays ?? 30;
        const days = read(() => args.props.retentionInDays);
        if (typeof days === "number" && days !== 0 && days < minimumDays) {
            reportViolation(`LogGroup '${args.name}' keeps events ${days} days; the minimum is ${minimumDays}.`);
        }
    },
};
