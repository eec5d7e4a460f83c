import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import * as iam from "../documents/iam";
import { PUT_OBJECT_EVENTS_QUERY } from "../documents/queries";
import { SideContext } from "./context";
import { SideKey } from "./keys";
import { SideStorage } from "./storage";

/** A side's audit trail of object writes: the trail, its log group and the role between them, the query. */
export interface SideAudit {
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly trailLogsRole: aws.iam.Role;
    readonly trailLogsRolePolicy: aws.iam.RolePolicy;
    readonly trail: aws.cloudtrail.Trail;
    readonly query: aws.cloudwatch.QueryDefinition;
}

/**
 * Registers the side's CloudTrail trail (write data events of the replicated bucket), delivered to the
 * logging bucket and to a CloudWatch Logs group through a role, and a saved Logs Insights query. In SSE-KMS
 * mode the log group and the trail's log files are encrypted with the side's key (whose policy admits both).
 */
export function createAudit(ctx: SideContext, storage: SideStorage, key: SideKey | undefined): SideAudit {
    // The key ARN, not its id: CloudTrail's KmsKeyId and the log group's kmsKeyId both take the ARN.
    const kmsKeyId = key ? { kmsKeyId: key.key.arn } : {};
    const { region, names, identity } = ctx;
    const logGroup = new aws.cloudwatch.LogGroup(
        ctx.childName("log-group"),
        { region, name: names.logGroup, retentionInDays: ctx.side.logRetentionDays, ...kmsKeyId, tags: ctx.tags },
        ctx.opts,
    );
    const trailLogsRole = new aws.iam.Role(
        ctx.childName("trail-logs-role"),
        {
            name: names.trailLogsRole,
            description: pulumi.interpolate`CloudTrail trail ${names.trail} (${region}) delivers to ${names.logGroup}`,
            // No aws:SourceAccount/aws:SourceArn: AWS documents the trust of CloudTrail's delivery role to CloudWatch
            // Logs without them, and a condition CloudTrail does not send on that AssumeRole would stop the trail's
            // delivery to the log group without an error anyone sees (the role's own policy is confined to the one
            // group's streams). Its bucket and key statements are conditioned on the trail, as documented there.
            // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
            assumeRolePolicy: JSON.stringify(iam.serviceTrustPolicy(iam.CLOUDTRAIL_SERVICE_PRINCIPAL)),
            tags: ctx.tags,
            ...ctx.roleBoundary,
        },
        ctx.opts,
    );
    const trailLogsRolePolicy = new aws.iam.RolePolicy(
        ctx.childName("trail-logs-role-policy"),
        {
            role: trailLogsRole.id,
            policy: pulumi
                .all([logGroup.arn, identity.accountId, region])
                .apply(([groupArn, account, r]) => JSON.stringify(iam.trailLogsRolePolicy(groupArn, account, r))),
        },
        ctx.opts,
    );
    // CreateTrail checks the bucket policy and that the role can write to the group: order after both.
    const trail = new aws.cloudtrail.Trail(
        ctx.childName("trail"),
        {
            region,
            name: names.trail,
            s3BucketName: storage.logging.bucket.id,
            // CloudTrail wants the log group ARN with the `:*` suffix.
            cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
            cloudWatchLogsRoleArn: trailLogsRole.arn,
            enableLogFileValidation: true,
            ...kmsKeyId,
            enableLogging: true,
            isMultiRegionTrail: false,
            includeGlobalServiceEvents: false,
            eventSelectors: [
                {
                    readWriteType: "WriteOnly",
                    includeManagementEvents: false,
                    // `<bucket-arn>/` (with the slash) selects every object of that one bucket.
                    dataResources: [{ type: "AWS::S3::Object", values: [pulumi.interpolate`${storage.replicated.bucket.arn}/`] }],
                },
            ],
            tags: ctx.tags,
        },
        { ...ctx.opts, dependsOn: [storage.logging.policy, trailLogsRolePolicy] },
    );
    const query = new aws.cloudwatch.QueryDefinition(
        ctx.childName("put-object-query"),
        { region, name: names.query, logGroupNames: [logGroup.name], queryString: PUT_OBJECT_EVENTS_QUERY },
        ctx.opts,
    );
    return { logGroup, trailLogsRole, trailLogsRolePolicy, trail, query };
}
