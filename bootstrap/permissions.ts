/**
 * What the CI roles may do, as pure functions of the account, the repository and each environment's stack
 * (its naming prefix, whether it may force-destroy). The actions come from the one table of what the
 * provider calls per resource type (./actions.ts); the resource patterns come from the component's own names
 * (`sideNames` with the region as a wildcard), so a renamed resource changes both at once.
 *
 * A deploy role cannot make itself more than it is: every role it creates, and every policy it puts on
 * one, is under its environment's permissions boundary (a policy this bootstrap creates and no deploy role
 * may change or remove), and it administers only the KMS keys tagged with its own project and stack.
 */
import { backupManagedPolicyArns, backupNamePatterns } from "../components/documents/backup";
import * as iam from "../components/documents/iam";
import { sideNames } from "../components/model/naming";
import { actionsOn, Scope } from "./actions";

/** GitHub's OIDC issuer, as IAM names it in condition keys (the URL without its scheme). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience `aws-actions/configure-aws-credentials` asks GitHub to put in its token. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The component's statement and document types (components/documents/iam.ts), under the names this file has always exported. */
export type Statement = iam.PolicyStatement;
export type Document = iam.PolicyDocument;

const doc = iam.policyDocument;

/** The `sub` claim of a job that runs in GitHub environment `environment` of `owner/repo`. */
export const environmentSubject = (owner: string, repo: string, environment: string) => `repo:${owner}/${repo}:environment:${environment}`;
/** The `sub` claim of a job triggered by a pull request (and not in an environment). */
export const pullRequestSubject = (owner: string, repo: string) => `repo:${owner}/${repo}:pull_request`;

/** The permissions boundary bootstrap creates for environment `environment` (what its stack names in `permissionsBoundary`). */
export const boundaryPolicyName = (environment: string) => `github-deploy-${environment}-boundary`;
/** Every policy this bootstrap creates for the deploy roles (boundaries, guardrails), as an IAM resource pattern. */
const CI_POLICY_PATTERN = "github-deploy-*";
export const boundaryArn = (partition: string, accountId: string, environment: string) => `arn:${partition}:iam::${accountId}:policy/${boundaryPolicyName(environment)}`;

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

/** The ARN patterns of each scope (./actions.ts) of the stack with naming prefix `prefix` in `accountId`, any region. */
export function scopePatterns(partition: string, accountId: string, prefix: string, adoptedBuckets: readonly string[] = []): Record<Exclude<Scope, "*">, string[]> {
    const names = sideNames(prefix, "*");
    const s3 = (name: string) => `arn:${partition}:s3:::${name}`;
    const buckets = [names.bucket, names.loggingBucket];
    return {
        // Buckets the stack adopted (`existingBuckets`) are configured like its own; their objects are not in
        // `objects`, the scope of emptying buckets on destroy, which never happens to them.
        buckets: [...buckets, ...adoptedBuckets].map(s3),
        objects: buckets.map((b) => s3(`${b}/*`)),
        // The replication roles (`<prefix>-s3crr-<region>`), the trails' log roles, the Backup roles.
        roles: [`arn:${partition}:iam::${accountId}:role/${prefix}-*`],
        trails: [`arn:${partition}:cloudtrail:*:${accountId}:trail/${names.trail}`],
        // A log group's ARN, and the same ARN with `:*` (what the log-group resource type of some actions names).
        logGroups: [`arn:${partition}:logs:*:${accountId}:log-group:${names.logGroup}`, `arn:${partition}:logs:*:${accountId}:log-group:${names.logGroup}:*`],
        // A key's ARN holds a random id, known only once CreateKey returns: the stack's keys are told apart by
        // their tags (conditions of the statements that change keys), not by their ARNs.
        keys: [`arn:${partition}:kms:*:${accountId}:key/*`],
        aliases: [`arn:${partition}:kms:*:${accountId}:${names.kmsAlias}`, `arn:${partition}:kms:*:${accountId}:${names.alertsKeyAlias}`],
        // The alerts topic of each side, and its subscriptions (`<topic arn>:<id>`).
        topics: [`arn:${partition}:sns:*:${accountId}:${names.alertsTopic}`, `arn:${partition}:sns:*:${accountId}:${names.alertsTopic}:*`],
        alarms: [`arn:${partition}:cloudwatch:*:${accountId}:alarm:${names.alarmPrefix}*`],
        // The rule that sends AWS Backup's failed jobs to the alerts topic (`<prefix>-crr-backup-job-failures`).
        eventRules: [`arn:${partition}:events:*:${accountId}:rule/${names.alarmPrefix}*`],
        // Dashboards are global: their ARN has no region.
        dashboards: [`arn:${partition}:cloudwatch::${accountId}:dashboard/${prefix}-crr`],
        // `<prefix>-<region>`, or the cut, hashed form a long prefix gets (backupName).
        vaults: backupNamePatterns(prefix).map((p) => `arn:${partition}:backup:*:${accountId}:backup-vault:${p}`),
        // Plan ids are generated; recovery point ARNs do not name their vault.
        plans: [`arn:${partition}:backup:*:${accountId}:backup-plan:*`],
        recoveryPoints: [`arn:${partition}:backup:*:${accountId}:recovery-point:*`],
        // A Multi-Region Access Point's ARN holds its generated alias; its asynchronous requests are served
        // from us-west-2.
        accessPoints: [`arn:${partition}:s3::${accountId}:accesspoint/*`],
        accessPointRequests: [`arn:${partition}:s3:us-west-2:${accountId}:async-request/mrap/*`],
    };
}

/** The AWS services the stack's roles are passed to (replication, the trails' log delivery, AWS Backup). */
export const PASS_ROLE_SERVICES = ["s3.amazonaws.com", "cloudtrail.amazonaws.com", "backup.amazonaws.com"];
/**
 * The AWS managed policies the Backup role gets (option `backup`): the only policies a deploy may attach,
 * taken from the component's own list (AWS publishes them without a `service-role/` path), so the role can
 * never allow other ARNs than the ones the component attaches.
 */
export const ATTACHABLE_POLICIES = (partition: string) => Object.values(backupManagedPolicyArns(partition));

/** Calls on a role that can widen what it may do: each only with the environment's boundary on the role. */
export const BOUNDED_ROLE_ACTIONS = ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"];
/** What would free a role of its boundary, or change the boundary itself: denied to every deploy role. */
export const BOUNDARY_REMOVAL_ACTIONS = ["iam:DeleteRolePermissionsBoundary"];
export const BOUNDARY_CHANGE_ACTIONS = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"];
/** Reads of a key: on any key (they change nothing and decrypt nothing). */
export const KEY_READ_ACTIONS = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"];
/** The calls AWS Backup makes through its service on a vault's key when a deploy creates the vault. */
export const BACKUP_KEY_GRANT_ACTIONS = ["kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:RetireGrant"];
/**
 * What moves a key into or out of a stack's scope (its tags) or points a stack's alias at it: denied on the
 * keys of other stacks (tagged with another project or stack), and, but for tagging, on untagged keys.
 */
export const KEY_TAG_ACTIONS = ["kms:TagResource", "kms:UntagResource"];
export const ALIAS_ACTIONS = ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"];

/** What a role needs of the self-managed Pulumi backend's bucket (`s3://<bucket>`, state under `.pulumi/`). */
export const STATE_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"];
export const STATE_READ_ACTIONS = ["s3:GetObject"];
export const STATE_WRITE_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

/** The stack one deploy role deploys. */
export interface EnvironmentStack {
    /** The GitHub environment, which is also the stack's name (deploy.yml deploys stack `<environment>` from it). */
    readonly environment: string;
    readonly namingPrefix: string;
    /** The stack sets `forceDestroy`: a destroy empties its buckets and vaults, so the role may delete versions and recovery points. */
    readonly forceDestroy: boolean;
    /** Buckets the stack adopts (`existingBuckets`): configured, never deleted. */
    readonly adoptedBuckets?: readonly string[];
}

export interface DeployPolicyInput {
    readonly partition: string;
    readonly accountId: string;
    /** The Pulumi project of the stacks (their providers tag every resource with it: `Project`). */
    readonly project: string;
    readonly stack: EnvironmentStack;
    /** The bucket of a self-managed Pulumi backend, when there is one. */
    readonly stateBucket?: string;
}

export interface PreviewPolicyInput {
    readonly partition: string;
    readonly accountId: string;
    /** The naming prefix of every stack the role previews. */
    readonly prefixes: readonly string[];
    /** The buckets those stacks adopt (`existingBuckets`), read by a preview too. */
    readonly adoptedBuckets?: readonly string[];
    readonly stateBucket?: string;
}

function stateStatements(input: { partition: string; stateBucket?: string }, objectActions: string[], objectPath: string): Statement[] {
    if (!input.stateBucket) {
        return [];
    }
    const bucket = `arn:${input.partition}:s3:::${input.stateBucket}`;
    return [
        { Sid: "PulumiStateBucket", Effect: "Allow", Action: STATE_BUCKET_ACTIONS, Resource: bucket },
        { Sid: "PulumiStateObjects", Effect: "Allow", Action: objectActions, Resource: `${bucket}/${objectPath}` },
    ];
}

const PHASES = ["create", "read", "update", "delete"] as const;
const SID: Record<Exclude<Scope, "*">, string> = {
    buckets: "Buckets",
    objects: "EmptyBucketsOnDestroy",
    roles: "Roles",
    trails: "Trails",
    logGroups: "LogGroups",
    keys: "Keys",
    aliases: "KeyAliases",
    topics: "AlertsTopics",
    alarms: "Alarms",
    eventRules: "BackupFailureRules",
    dashboards: "Dashboard",
    vaults: "BackupVaults",
    plans: "BackupPlans",
    recoveryPoints: "DeleteRecoveryPointsOnDestroy",
    accessPoints: "AccessPoint",
    accessPointRequests: "AccessPointRequests",
};

/**
 * The deploy role's permissions: create, change and delete exactly what its stack creates, named by the
 * stack's prefix, every action taken from the table of ./actions.ts. Roles only under the environment's
 * boundary; keys only when tagged with the stack's project and stack; object versions and recovery points
 * only for a stack that force-destroys. The exceptions AWS forces are the actions it authorizes only on "*".
 */
export function deployPolicy(input: DeployPolicyInput): Document {
    const { partition, accountId, project, stack } = input;
    const patterns = scopePatterns(partition, accountId, stack.namingPrefix, stack.adoptedBuckets);
    const boundary = boundaryArn(partition, accountId, stack.environment);
    const all = (scope: Scope) => actionsOn(scope, PHASES, stack.forceDestroy);
    const except = (scope: Scope, ...lists: string[][]) => all(scope).filter((a) => !lists.flat().includes(a));
    const statement = (Sid: string, Action: string[], Resource: string | string[], Condition?: Statement["Condition"]): Statement[] =>
        Action.length === 0 ? [] : [{ Sid, Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) }];
    const withBoundary = { ArnEquals: { "iam:PermissionsBoundary": boundary } };
    const ownKeys = { StringEquals: { "aws:ResourceTag/Project": project, "aws:ResourceTag/Stack": stack.environment } };
    const keys = patterns.keys;
    // One statement per scope for its actions without a condition (object versions and recovery points: a
    // force-destroying stack only, else the table has none for them).
    const plain = (["buckets", "objects", "trails", "logGroups", "aliases", "topics", "alarms", "eventRules", "dashboards", "vaults", "plans", "recoveryPoints", "accessPoints", "accessPointRequests"] as const).flatMap(
        (scope) => statement(SID[scope], all(scope), patterns[scope]),
    );
    return doc(
        ...plain,
        // Roles: reads, tags and deletes on the stack's roles; whatever can widen a role only with the boundary.
        ...statement(SID.roles, except("roles", BOUNDED_ROLE_ACTIONS, ["iam:PassRole", "iam:DetachRolePolicy"]), patterns.roles),
        ...statement("RolesUnderBoundary", except("roles").filter((a) => BOUNDED_ROLE_ACTIONS.includes(a) && a !== "iam:AttachRolePolicy"), patterns.roles, withBoundary),
        {
            Sid: "AttachBackupRolePolicies",
            Effect: "Allow",
            Action: ["iam:AttachRolePolicy"],
            Resource: patterns.roles,
            Condition: { ArnEquals: { "iam:PermissionsBoundary": boundary, "iam:PolicyARN": ATTACHABLE_POLICIES(partition) } },
        },
        {
            Sid: "DetachBackupRolePolicies",
            Effect: "Allow",
            Action: ["iam:DetachRolePolicy"],
            Resource: patterns.roles,
            Condition: { ArnEquals: { "iam:PolicyARN": ATTACHABLE_POLICIES(partition) } },
        },
        {
            Sid: "PassRolesToServices",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: patterns.roles,
            Condition: { StringEquals: { "iam:PassedToService": PASS_ROLE_SERVICES } },
        },
        // Keys: read any; create only tagged as this stack's; change, delete, untag and alias only this stack's.
        ...statement("KeysRead", KEY_READ_ACTIONS, keys),
        ...statement("KeysOfThisStack", except("keys", KEY_READ_ACTIONS, BACKUP_KEY_GRANT_ACTIONS, ["kms:TagResource"]), keys, ownKeys),
        // CreateKey's tags are authorized as kms:TagResource on every key of the account and Region, before the
        // key has tags of its own: no tag condition can hold here. The denials below keep it off other keys.
        ...statement("TagKeys", ["kms:TagResource"], keys),
        ...statement("BackupVaultKeyGrants", BACKUP_KEY_GRANT_ACTIONS, keys, { ...ownKeys, StringLike: { "kms:ViaService": "backup.*.amazonaws.com" } }),
        {
            Sid: "CreateKeysOfThisStack",
            Effect: "Allow",
            Action: ["kms:CreateKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestTag/Project": project, "aws:RequestTag/Stack": stack.environment } },
        },
        // AWS authorizes these only on "*" (see ./actions.ts).
        ...statement("Unscoped", except("*", ["kms:CreateKey"]), "*"),
        ...stateStatements(input, STATE_WRITE_ACTIONS, ".pulumi/*"),
    );
}

/**
 * The deploy role's guardrails, a managed policy of their own beside the inline grants (IAM caps a role's
 * inline policies at 10,240 characters together): what no grant, now or later, may give a deploy role.
 */
export function deployGuardrails(input: Omit<DeployPolicyInput, "stateBucket">): Document {
    const { partition, accountId, project, stack } = input;
    const keys = scopePatterns(partition, accountId, stack.namingPrefix).keys;
    const keyScope = (t: "Project" | "Stack", value: string) => ({ [`aws:ResourceTag/${t}`]: value });
    return doc(
        // No role may lose its boundary, and no boundary may change (each is this bootstrap's own policy).
        { Sid: "KeepBoundaries", Effect: "Deny", Action: BOUNDARY_REMOVAL_ACTIONS, Resource: "*" },
        { Sid: "BoundariesUnchanged", Effect: "Deny", Action: BOUNDARY_CHANGE_ACTIONS, Resource: `arn:${partition}:iam::${accountId}:policy/${CI_POLICY_PATTERN}` },
        // Other stacks' keys (tagged with another project or stack) cannot be retagged into this stack, untagged,
        // or realiased; untagged keys cannot be untagged or realiased either.
        ...(["Project", "Stack"] as const).flatMap((t): Statement[] => [
            {
                Sid: `NoUntagOrAliasOutsideThis${t}`,
                Effect: "Deny",
                Action: ["kms:UntagResource", ...ALIAS_ACTIONS],
                Resource: keys,
                Condition: { StringNotEquals: keyScope(t, t === "Project" ? project : stack.environment) },
            },
            {
                Sid: `NoRetagOfAnother${t}`,
                Effect: "Deny",
                Action: ["kms:TagResource"],
                Resource: keys,
                Condition: { StringNotEquals: keyScope(t, t === "Project" ? project : stack.environment), Null: { [`aws:ResourceTag/${t}`]: "false" } },
            },
        ]),
        // A bucket the stack adopted outlives it: no deploy role may delete it (the component never asks to).
        ...((stack.adoptedBuckets ?? []).length > 0
            ? [
                  {
                      Sid: "NeverDeleteAdoptedBuckets",
                      Effect: "Deny" as const,
                      Action: ["s3:DeleteBucket"],
                      Resource: (stack.adoptedBuckets ?? []).map((b) => `arn:${partition}:s3:::${b}`),
                  },
              ]
            : []),
        // A key that carries another stack's alias is not this stack's, tagged or not.
        {
            Sid: "NoRetagOfAliasedKeys",
            Effect: "Deny",
            Action: ["kms:TagResource"],
            Resource: keys,
            Condition: { "ForAnyValue:StringNotLike": { "kms:ResourceAliases": `alias/${stack.namingPrefix}-*` } },
        },
    );
}

/** The name of environment `environment`'s guardrails policy. */
export const guardrailsPolicyName = (environment: string) => `github-deploy-${environment}-guardrails`;

/**
 * The preview role's permissions: what `pulumi preview` (and `--refresh`) reads, from the same table,
 * nothing it could change. With a self-managed backend it reads the state, and writes only the lock files a
 * preview takes.
 */
export function previewPolicy(input: PreviewPolicyInput): Document {
    const adopted = scopePatterns(input.partition, input.accountId, "x", input.adoptedBuckets ?? []).buckets.slice(2);
    const of = (scope: Exclude<Scope, "*">) => [
        ...new Set([...input.prefixes.flatMap((p) => scopePatterns(input.partition, input.accountId, p)[scope]), ...(scope === "buckets" ? adopted : [])]),
    ];
    const reads = (scope: Scope) => actionsOn(scope, ["read"], false);
    const state = stateStatements(input, STATE_READ_ACTIONS, ".pulumi/*");
    if (input.stateBucket) {
        state.push({
            Sid: "PulumiStateLocks",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:DeleteObject"],
            Resource: `arn:${input.partition}:s3:::${input.stateBucket}/.pulumi/locks/*`,
        });
    }
    const scopes = (["buckets", "roles", "trails", "logGroups", "keys", "topics", "alarms", "eventRules", "dashboards", "vaults", "plans", "accessPoints"] as const).filter((s) => reads(s).length > 0);
    return doc(
        ...scopes.map((scope): Statement => ({ Sid: SID[scope], Effect: "Allow", Action: reads(scope), Resource: of(scope) })),
        // AWS authorizes these only on "*".
        { Sid: "Unscoped", Effect: "Allow", Action: reads("*"), Resource: "*" },
        ...state,
    );
}

/**
 * The actions of the AWS managed policies the Backup role gets, as AWS publishes them
 * (AWSBackupServiceRolePolicyForS3Backup v5, AWSBackupServiceRolePolicyForS3Restore v2), by what they act on.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForS3Backup.html
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForS3Restore.html
 */
export const BACKUP_ROLE_ACTIONS = {
    buckets: [
        "s3:GetBucketTagging",
        "s3:GetInventoryConfiguration",
        "s3:ListBucketVersions",
        "s3:ListBucket",
        "s3:GetBucketVersioning",
        "s3:GetBucketLocation",
        "s3:GetBucketAcl",
        "s3:PutInventoryConfiguration",
        "s3:GetBucketNotification",
        "s3:PutBucketNotification",
        "s3:ListTagsForResource",
        // Restore
        "s3:CreateBucket",
        "s3:PutBucketVersioning",
        "s3:PutBucketOwnershipControls",
        "s3:GetBucketOwnershipControls",
    ],
    objects: [
        "s3:GetObjectAcl",
        "s3:GetObject",
        "s3:GetObjectVersionTagging",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectTagging",
        "s3:GetObjectVersion",
        // Restore
        "s3:DeleteObject",
        "s3:PutObjectVersionAcl",
        "s3:PutObjectTagging",
        "s3:PutObjectAcl",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
    ],
    rules: ["events:DeleteRule", "events:PutTargets", "events:DescribeRule", "events:EnableRule", "events:PutRule", "events:RemoveTargets", "events:ListTargetsByRule", "events:DisableRule"],
    anywhere: ["cloudwatch:GetMetricData", "events:ListRules", "s3:ListAllMyBuckets"],
    keysThroughS3: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
    recoveryPoints: ["backup:TagResource"],
};

/**
 * The permissions boundary of environment `stack`'s roles: the most any role its deploy role creates can
 * do, whatever policy the role is given. Exactly what the stack's roles are for: S3 replication between the
 * stack's buckets (and their keys, through S3), CloudTrail's delivery to the stack's log group, and AWS
 * Backup of the stack's replicated buckets (the managed policies' actions, narrowed to those buckets) with
 * copies between the stack's vaults. A role outside it (an administrator) cannot be made.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function boundaryPolicy(input: { partition: string; accountId: string; namingPrefix: string; adoptedBuckets?: readonly string[] }): Document {
    const { partition, accountId, namingPrefix } = input;
    const names = sideNames(namingPrefix, "*");
    // The stack's replicated buckets: its own, and those it adopted (`existingBuckets`).
    const replicatedBuckets = [names.bucket, ...(input.adoptedBuckets ?? [])].map((b) => `arn:${partition}:s3:::${b}`);
    const replicated = replicatedBuckets.length === 1 ? replicatedBuckets[0] : replicatedBuckets;
    const objects = replicatedBuckets.map((b) => `${b}/*`);
    const replicatedObjects = objects.length === 1 ? objects[0] : objects;
    return doc(
        { Sid: "ReplicationSource", Effect: "Allow", Action: iam.REPLICATION_SOURCE_BUCKET_ACTIONS, Resource: replicated },
        {
            Sid: "ReplicationObjects",
            Effect: "Allow",
            Action: [...iam.REPLICATION_SOURCE_OBJECT_ACTIONS, ...iam.REPLICATION_DESTINATION_OBJECT_ACTIONS],
            Resource: replicatedObjects,
        },
        // The Batch Replication roles (option batchReplication): start replication of the replicated buckets'
        // objects, generate a manifest from their replication configuration, write the manifest and report
        // under the logging buckets' batch-replication/ prefix.
        { Sid: "BatchReplicationObjects", Effect: "Allow", Action: iam.BATCH_REPLICATION_OBJECT_ACTIONS, Resource: replicatedObjects },
        { Sid: "BatchReplicationManifests", Effect: "Allow", Action: iam.BATCH_REPLICATION_BUCKET_ACTIONS, Resource: replicated },
        {
            Sid: "BatchReplicationReports",
            Effect: "Allow",
            Action: [...iam.BATCH_REPLICATION_MANIFEST_READ_ACTIONS, ...iam.BATCH_REPLICATION_REPORT_WRITE_ACTIONS],
            Resource: `arn:${partition}:s3:::${names.loggingBucket}/${names.batchReplicationPrefix}*`,
        },
        // Keys of any of the stack's accounts (a destination may be in another), used only through S3.
        {
            Sid: "KeysThroughS3",
            Effect: "Allow",
            Action: [...new Set([...iam.REPLICATION_SOURCE_KEY_ACTIONS, ...iam.REPLICATION_DESTINATION_KEY_ACTIONS, ...BACKUP_ROLE_ACTIONS.keysThroughS3])],
            Resource: `arn:${partition}:kms:*:*:key/*`,
            Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
        },
        {
            Sid: "TrailDelivery",
            Effect: "Allow",
            Action: iam.CLOUDTRAIL_LOGS_ACTIONS,
            Resource: `arn:${partition}:logs:*:${accountId}:log-group:${names.logGroup}:log-stream:*`,
        },
        { Sid: "BackupBuckets", Effect: "Allow", Action: BACKUP_ROLE_ACTIONS.buckets, Resource: replicated },
        { Sid: "BackupObjects", Effect: "Allow", Action: BACKUP_ROLE_ACTIONS.objects, Resource: replicatedObjects },
        { Sid: "BackupManagedRules", Effect: "Allow", Action: BACKUP_ROLE_ACTIONS.rules, Resource: `arn:${partition}:events:*:${accountId}:rule/AwsBackupManagedRule*` },
        { Sid: "BackupAnywhere", Effect: "Allow", Action: BACKUP_ROLE_ACTIONS.anywhere, Resource: "*" },
        { Sid: "BackupRecoveryPoints", Effect: "Allow", Action: BACKUP_ROLE_ACTIONS.recoveryPoints, Resource: `arn:${partition}:backup:*:${accountId}:recovery-point:*` },
        // Copy jobs into the stack's vaults, in any of its accounts (REFERENCE: copies need it on the destination).
        {
            Sid: "BackupCopies",
            Effect: "Allow",
            Action: ["backup:CopyIntoBackupVault"],
            Resource: backupNamePatterns(namingPrefix).map((p) => `arn:${partition}:backup:*:*:backup-vault:${p}`),
        },
    );
}

/** The name of environment `environment`'s optional policy for whoever runs `npm run backfill`. */
export const backfillPolicyName = (environment: string) => `github-backfill-${environment}`;

/** The service a Batch Replication role is passed to. */
export const BATCH_OPERATIONS_SERVICE = iam.BATCH_OPERATIONS_SERVICE_PRINCIPAL;

/**
 * What whoever starts S3 Batch Replication jobs of a stack (`npm run backfill`) needs, and no more: create a
 * Batch Operations job (`s3:CreateJob`, which AWS authorizes only on "*") and follow it (`s3:DescribeJob` on
 * the account's jobs), passing only the stack's Batch Replication roles (`<prefix>-s3batch-<region>`), only to
 * S3 Batch Operations (`iam:PassRole`). Not given to any deploy role: a deploy never starts a job. The
 * Batch Operations jobs' own permissions are the roles' (option batchReplication).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html
 */
export function backfillOperatorPolicy(input: { partition: string; accountId: string; namingPrefix: string }): Document {
    const { partition, accountId, namingPrefix } = input;
    return doc(
        { Sid: "CreateBatchReplicationJobs", Effect: "Allow", Action: ["s3:CreateJob"], Resource: "*" },
        { Sid: "FollowBatchReplicationJobs", Effect: "Allow", Action: ["s3:DescribeJob"], Resource: `arn:${partition}:s3:*:${accountId}:job/*` },
        {
            Sid: "PassBatchReplicationRoles",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: `arn:${partition}:iam::${accountId}:role/${sideNames(namingPrefix, "*").batchReplicationRole}`,
            Condition: { StringEquals: { "iam:PassedToService": BATCH_OPERATIONS_SERVICE } },
        },
    );
}

/** The state bucket's policy: TLS only (the bucket is private: public access block, ACLs disabled). */
export function stateBucketPolicy(bucketArn: string): iam.PolicyDocument {
    return { Version: "2012-10-17", Statement: [iam.denyInsecureTransportStatement(bucketArn)] };
}
