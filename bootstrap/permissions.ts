/**
 * What the CI roles may do, as pure functions of the account, the repository and the environments' naming
 * prefixes. The action lists are named constants; the resource patterns come from the component's own
 * names (`sideNames` with the region as a wildcard), so a renamed resource changes both at once.
 */
import { backupManagedPolicyArns } from "../components/documents/backup";
import * as iam from "../components/documents/iam";
import { sideNames } from "../components/model/naming";

/** GitHub's OIDC issuer, as IAM names it in condition keys (the URL without its scheme). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience `aws-actions/configure-aws-credentials` asks GitHub to put in its token. */
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: { Federated: string };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface Document {
    Version: "2012-10-17";
    Statement: Statement[];
}

const doc = (...statements: Statement[]): Document => ({ Version: "2012-10-17", Statement: statements });

/** The `sub` claim of a job that runs in GitHub environment `environment` of `owner/repo`. */
export const environmentSubject = (owner: string, repo: string, environment: string) => `repo:${owner}/${repo}:environment:${environment}`;
/** The `sub` claim of a job triggered by a pull request (and not in an environment). */
export const pullRequestSubject = (owner: string, repo: string) => `repo:${owner}/${repo}:pull_request`;

/**
 * Trust of a role assumed with a GitHub Actions token: the token must come from GitHub's provider in this
 * account, be meant for STS, and carry exactly `subject`. StringEquals, not StringLike: no wildcard
 * reaches another repository, branch or environment.
 *
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 */
export function githubTrustPolicy(providerArn: string, subject: string): Document {
    return doc({
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
                [`${GITHUB_OIDC_HOST}:sub`]: subject,
            },
        },
    });
}

/** The ARN patterns of what the stack with naming prefix `prefix` creates in `accountId` (any region). */
export function stackResourcePatterns(partition: string, accountId: string, prefix: string) {
    const names = sideNames(prefix, "*");
    const s3 = (name: string) => `arn:${partition}:s3:::${name}`;
    return {
        buckets: [s3(names.bucket), s3(names.loggingBucket)],
        objects: [s3(`${names.bucket}/*`), s3(`${names.loggingBucket}/*`)],
        // The replication roles (`<prefix>-s3crr-<region>`) and the trails' log roles (`<prefix>-trail-<region>`).
        roles: `arn:${partition}:iam::${accountId}:role/${prefix}-*`,
        trail: `arn:${partition}:cloudtrail:*:${accountId}:trail/${names.trail}`,
        // A log group's ARN, and the same ARN with `:*` (what the log-group resource type of some actions names).
        logGroup: [`arn:${partition}:logs:*:${accountId}:log-group:${names.logGroup}`, `arn:${partition}:logs:*:${accountId}:log-group:${names.logGroup}:*`],
        kmsAlias: [`arn:${partition}:kms:*:${accountId}:${names.kmsAlias}`, `arn:${partition}:kms:*:${accountId}:${names.alertsKeyAlias}`],
        keys: `arn:${partition}:kms:*:${accountId}:key/*`,
        // The alerts topic of each side, and its subscriptions (`<topic arn>:<id>`).
        topics: [`arn:${partition}:sns:*:${accountId}:${names.alertsTopic}`, `arn:${partition}:sns:*:${accountId}:${names.alertsTopic}:*`],
        alarms: `arn:${partition}:cloudwatch:*:${accountId}:alarm:${names.alarmPrefix}*`,
        // Dashboards are global: their ARN has no region.
        dashboard: `arn:${partition}:cloudwatch::${accountId}:dashboard/${prefix}-crr`,
        // Backup vaults are named `<prefix>-<region>`; plan ids are generated (option `backup`).
        backup: [`arn:${partition}:backup:*:${accountId}:backup-vault:${prefix}-*`, `arn:${partition}:backup:*:${accountId}:backup-plan:*`],
        // A Multi-Region Access Point's ARN holds its generated alias; its asynchronous requests are served
        // from us-west-2 (option `accessPoint`).
        accessPoint: [`arn:${partition}:s3::${accountId}:accesspoint/*`, `arn:${partition}:s3:us-west-2:${accountId}:async-request/mrap/*`],
    };
}

/** Reads of a bucket's configuration (no object is read: the patterns name buckets only). */
export const BUCKET_READ_ACTIONS = ["s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration", "s3:GetAnalyticsConfiguration", "s3:GetIntelligentTieringConfiguration", "s3:GetInventoryConfiguration", "s3:GetMetricsConfiguration", "s3:ListBucket", "s3:ListBucketVersions"];
/** Creating, configuring and deleting the buckets (deleting a configuration is a Put of it, or its Delete). */
export const BUCKET_WRITE_ACTIONS = ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucket*", "s3:DeleteBucketPolicy", "s3:DeleteBucketOwnershipControls", "s3:PutLifecycleConfiguration", "s3:PutReplicationConfiguration", "s3:PutEncryptionConfiguration"];
/** `forceDestroy` (dev and staging) empties a bucket, every version of every object, before deleting it. */
export const OBJECT_DELETE_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion"];

export const ROLE_READ_ACTIONS = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"];
export const ROLE_WRITE_ACTIONS = [
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:UpdateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:ListInstanceProfilesForRole",
];
/** Handing the stack's roles to the services that assume them (replication, and the trail's log delivery). */
export const PASS_ROLE_ACTIONS = ["iam:PassRole"];
export const PASS_ROLE_SERVICES = ["s3.amazonaws.com", "cloudtrail.amazonaws.com", "backup.amazonaws.com"];
/**
 * The AWS managed policies the Backup role gets (option `backup`): the only policies a deploy may attach,
 * taken from the component's own list (AWS publishes them without a `service-role/` path), so the role can
 * never allow other ARNs than the ones the component attaches.
 */
export const ATTACHABLE_POLICIES = (partition: string) => Object.values(backupManagedPolicyArns(partition));

export const TRAIL_READ_ACTIONS = ["cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:ListTags"];
export const TRAIL_WRITE_ACTIONS = [
    "cloudtrail:CreateTrail",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:StartLogging",
    "cloudtrail:StopLogging",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
    "cloudtrail:AddTags",
    "cloudtrail:RemoveTags",
];

export const LOG_GROUP_READ_ACTIONS = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"];
export const LOG_GROUP_WRITE_ACTIONS = [
    "logs:CreateLogGroup",
    "logs:DeleteLogGroup",
    "logs:PutRetentionPolicy",
    "logs:DeleteRetentionPolicy",
    "logs:AssociateKmsKey",
    "logs:DisassociateKmsKey",
    "logs:TagResource",
    "logs:UntagResource",
    "logs:TagLogGroup",
    "logs:UntagLogGroup",
];

export const KEY_READ_ACTIONS = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"];
export const KEY_WRITE_ACTIONS = [
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:UpdateKeyDescription",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
];
/** AWS authorizes an alias operation on both the alias and the key it points to. */
export const ALIAS_ACTIONS = ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"];

export const TOPIC_READ_ACTIONS = ["sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes"];
export const TOPIC_WRITE_ACTIONS = [
    "sns:CreateTopic",
    "sns:DeleteTopic",
    "sns:SetTopicAttributes",
    "sns:TagResource",
    "sns:UntagResource",
    "sns:Subscribe",
    "sns:Unsubscribe",
    "sns:SetSubscriptionAttributes",
];
export const BACKUP_READ_ACTIONS = ["backup:DescribeBackupVault", "backup:GetBackupPlan", "backup:GetBackupSelection", "backup:ListTags"];
export const BACKUP_WRITE_ACTIONS = [
    "backup:CreateBackupVault",
    "backup:DeleteBackupVault",
    "backup:PutBackupVaultLockConfiguration",
    "backup:DeleteBackupVaultLockConfiguration",
    "backup:CreateBackupPlan",
    "backup:UpdateBackupPlan",
    "backup:DeleteBackupPlan",
    "backup:CreateBackupSelection",
    "backup:DeleteBackupSelection",
    "backup:TagResource",
    "backup:UntagResource",
];
/** What CreateBackupVault needs on the vault's customer managed key, through AWS Backup only. */
export const BACKUP_KEY_ACTIONS = ["kms:CreateGrant", "kms:RetireGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"];
export const ACCESS_POINT_READ_ACTIONS = [
    "s3:GetMultiRegionAccessPoint",
    "s3:GetMultiRegionAccessPointPolicy",
    "s3:GetMultiRegionAccessPointPolicyStatus",
    "s3:GetMultiRegionAccessPointRoutes",
    "s3:DescribeMultiRegionAccessPointOperation",
];
export const ACCESS_POINT_WRITE_ACTIONS = [
    "s3:CreateMultiRegionAccessPoint",
    "s3:DeleteMultiRegionAccessPoint",
    "s3:PutMultiRegionAccessPointPolicy",
    "s3:SubmitMultiRegionAccessPointRoutes",
];
export const ALARM_READ_ACTIONS = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:GetDashboard"];
export const ALARM_WRITE_ACTIONS = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"];

/**
 * Actions that AWS authorizes only on `*`: they take no resource ARN (a key does not exist before
 * CreateKey; the List/Describe calls name none; saved Logs Insights queries have no ARN).
 */
export const UNSCOPED_READ_ACTIONS = [
    "cloudtrail:DescribeTrails",
    "logs:DescribeLogGroups",
    "logs:DescribeQueryDefinitions",
    "kms:ListAliases",
    "kms:ListKeys",
    "backup:DescribeRegionSettings",
    "s3:ListMultiRegionAccessPoints",
];
export const UNSCOPED_WRITE_ACTIONS = [
    "kms:CreateKey",
    "logs:PutQueryDefinition",
    "logs:DeleteQueryDefinition",
    // A vault's storage, and the account's per-Region opt-in (option backupManageRegionSettings).
    "backup-storage:MountCapsule",
    "backup:UpdateRegionSettings",
];

/** What a role needs of the self-managed Pulumi backend's bucket (`s3://<bucket>`, state under `.pulumi/`). */
export const STATE_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"];
export const STATE_READ_ACTIONS = ["s3:GetObject"];
export const STATE_WRITE_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

export interface PolicyInput {
    readonly partition: string;
    readonly accountId: string;
    /** The naming prefix of each stack the role serves (a deploy role: its environment's; the preview role: all). */
    readonly prefixes: readonly string[];
    /** The bucket of a self-managed Pulumi backend, when there is one. */
    readonly stateBucket?: string;
}

const flat = (prefixes: readonly string[], pick: (p: ReturnType<typeof stackResourcePatterns>) => string | string[], input: PolicyInput) =>
    prefixes.flatMap((prefix) => pick(stackResourcePatterns(input.partition, input.accountId, prefix)));

function stateStatements(input: PolicyInput, objectActions: string[], objectPath: string): Statement[] {
    if (!input.stateBucket) {
        return [];
    }
    const bucket = `arn:${input.partition}:s3:::${input.stateBucket}`;
    return [
        { Sid: "PulumiStateBucket", Effect: "Allow", Action: STATE_BUCKET_ACTIONS, Resource: bucket },
        { Sid: "PulumiStateObjects", Effect: "Allow", Action: objectActions, Resource: `${bucket}/${objectPath}` },
    ];
}

/**
 * The deploy role's permissions: create, change and delete exactly what the stack creates, named by its
 * prefix. What the stack does not create (other buckets, roles, trails, keys' data) is out of reach; the
 * exceptions AWS forces are {@link UNSCOPED_WRITE_ACTIONS} and key management on the account's keys.
 */
export function deployPolicy(input: PolicyInput): Document {
    const of = (pick: Parameters<typeof flat>[1]) => flat(input.prefixes, pick, input);
    return doc(
        { Sid: "Buckets", Effect: "Allow", Action: [...BUCKET_READ_ACTIONS, ...BUCKET_WRITE_ACTIONS], Resource: of((p) => p.buckets) },
        { Sid: "EmptyBucketsOnDestroy", Effect: "Allow", Action: OBJECT_DELETE_ACTIONS, Resource: of((p) => p.objects) },
        { Sid: "Roles", Effect: "Allow", Action: [...ROLE_READ_ACTIONS, ...ROLE_WRITE_ACTIONS], Resource: of((p) => p.roles) },
        {
            Sid: "PassRolesToServices",
            Effect: "Allow",
            Action: PASS_ROLE_ACTIONS,
            Resource: of((p) => p.roles),
            Condition: { StringEquals: { "iam:PassedToService": PASS_ROLE_SERVICES } },
        },
        { Sid: "Trails", Effect: "Allow", Action: [...TRAIL_READ_ACTIONS, ...TRAIL_WRITE_ACTIONS], Resource: of((p) => p.trail) },
        { Sid: "LogGroups", Effect: "Allow", Action: [...LOG_GROUP_READ_ACTIONS, ...LOG_GROUP_WRITE_ACTIONS], Resource: of((p) => p.logGroup) },
        // A key's ARN holds a random id, known only once CreateKey returns, and the alias comes after the
        // key: nothing narrower than the account's keys is possible (and tagging a key in CreateKey needs
        // kms:TagResource on every key of the account and region anyway). Each key's own policy still
        // decides who may use it; these actions manage keys, they do not decrypt anything.
        { Sid: "Keys", Effect: "Allow", Action: [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS, ...ALIAS_ACTIONS], Resource: [...new Set(of((p) => p.keys))] },
        { Sid: "KeyAliases", Effect: "Allow", Action: ALIAS_ACTIONS, Resource: of((p) => p.kmsAlias) },
        {
            Sid: "AttachBackupRolePolicies",
            Effect: "Allow",
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            Resource: of((p) => p.roles),
            Condition: { ArnEquals: { "iam:PolicyARN": ATTACHABLE_POLICIES(input.partition) } },
        },
        { Sid: "AlertsTopics", Effect: "Allow", Action: [...TOPIC_READ_ACTIONS, ...TOPIC_WRITE_ACTIONS], Resource: of((p) => p.topics) },
        { Sid: "Backups", Effect: "Allow", Action: [...BACKUP_READ_ACTIONS, ...BACKUP_WRITE_ACTIONS], Resource: of((p) => p.backup) },
        {
            Sid: "BackupVaultKeys",
            Effect: "Allow",
            Action: BACKUP_KEY_ACTIONS,
            Resource: [...new Set(of((p) => p.keys))],
            Condition: { StringLike: { "kms:ViaService": "backup.*.amazonaws.com" } },
        },
        { Sid: "AccessPoint", Effect: "Allow", Action: [...ACCESS_POINT_READ_ACTIONS, ...ACCESS_POINT_WRITE_ACTIONS], Resource: of((p) => p.accessPoint) },
        { Sid: "AlarmsAndDashboard", Effect: "Allow", Action: [...ALARM_READ_ACTIONS, ...ALARM_WRITE_ACTIONS], Resource: of((p) => [p.alarms, p.dashboard]) },
        // AWS authorizes these only on "*" (see UNSCOPED_*).
        { Sid: "Unscoped", Effect: "Allow", Action: [...UNSCOPED_READ_ACTIONS, ...UNSCOPED_WRITE_ACTIONS], Resource: "*" },
        ...stateStatements(input, STATE_WRITE_ACTIONS, ".pulumi/*"),
    );
}

/**
 * The preview role's permissions: what `pulumi preview` (and `--refresh`) reads, nothing it could change.
 * With a self-managed backend it reads the state, and writes only the lock files a preview takes.
 */
export function previewPolicy(input: PolicyInput): Document {
    const of = (pick: Parameters<typeof flat>[1]) => flat(input.prefixes, pick, input);
    const state = stateStatements(input, STATE_READ_ACTIONS, ".pulumi/*");
    if (input.stateBucket) {
        state.push({
            Sid: "PulumiStateLocks",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:DeleteObject"],
            Resource: `arn:${input.partition}:s3:::${input.stateBucket}/.pulumi/locks/*`,
        });
    }
    return doc(
        { Sid: "Buckets", Effect: "Allow", Action: BUCKET_READ_ACTIONS, Resource: of((p) => p.buckets) },
        { Sid: "Roles", Effect: "Allow", Action: ROLE_READ_ACTIONS, Resource: of((p) => p.roles) },
        { Sid: "Trails", Effect: "Allow", Action: TRAIL_READ_ACTIONS, Resource: of((p) => p.trail) },
        { Sid: "LogGroups", Effect: "Allow", Action: LOG_GROUP_READ_ACTIONS, Resource: of((p) => p.logGroup) },
        { Sid: "Keys", Effect: "Allow", Action: KEY_READ_ACTIONS, Resource: [...new Set(of((p) => p.keys))] },
        { Sid: "AlertsTopics", Effect: "Allow", Action: TOPIC_READ_ACTIONS, Resource: of((p) => p.topics) },
        { Sid: "Backups", Effect: "Allow", Action: BACKUP_READ_ACTIONS, Resource: of((p) => p.backup) },
        { Sid: "AccessPoint", Effect: "Allow", Action: ACCESS_POINT_READ_ACTIONS, Resource: of((p) => p.accessPoint) },
        { Sid: "AlarmsAndDashboard", Effect: "Allow", Action: ALARM_READ_ACTIONS, Resource: of((p) => [p.alarms, p.dashboard]) },
        // AWS authorizes these only on "*".
        { Sid: "Unscoped", Effect: "Allow", Action: UNSCOPED_READ_ACTIONS, Resource: "*" },
        ...state,
    );
}

/** The state bucket's policy: TLS only (the bucket is private: public access block, ACLs disabled). */
export function stateBucketPolicy(bucketArn: string): iam.PolicyDocument {
    return { Version: "2012-10-17", Statement: [iam.denyInsecureTransportStatement(bucketArn)] };
}
