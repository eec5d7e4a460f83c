import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "./model/aws";
import { SideContext } from "./context";
import { ResolvedSettings } from "./model/options";
import { SideResources } from "./side";
import { BackupSettings } from "./model/types";
import { ResolvedTopology } from "./model/validation";
import type { BackupSchedule } from "./model/values";

/** The `backup` option, resolved and on. */
export type ResolvedBackup = ResolvedSettings<BackupSettings>;

/**
 * Whether the topology backs its buckets up with AWS Backup. For the code that owns each replicated bucket's
 * notification configuration: AWS Backup for S3 reads the bucket's changes through Amazon EventBridge, so a
 * `BucketNotification` on a backed-up bucket must keep `eventbridge: true` (a bucket has one notification
 * configuration, and a notification resource without the flag would turn EventBridge off).
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html
 */
export function backupEnabled(topology: Pick<ResolvedTopology, "backup">): boolean {
    return topology.backup !== false;
}

/** Schedule expressions of the periodic snapshot, 05:00 UTC (AWS Backup's own default hour). */
export const BACKUP_SCHEDULES: Readonly<Record<BackupSchedule, string>> = {
    daily: "cron(0 5 ? * * *)",
    weekly: "cron(0 5 ? * SUN *)",
    monthly: "cron(0 5 1 * ? *)",
};

/** The AWS managed policies the AWS Backup service role needs for S3, in `partition`. */
export function backupManagedPolicyArns(partition: string): { readonly backup: string; readonly restore: string } {
    return {
        backup: `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup`,
        restore: `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore`,
    };
}

/** AWS Backup's service principal (the role's trust). */
export const BACKUP_SERVICE_PRINCIPAL = "backup.amazonaws.com";

/** What another account needs on a vault to copy recovery points into it. */
export const COPY_INTO_VAULT_ACTIONS = ["backup:CopyIntoBackupVault"];

/**
 * Name of a side's vault, plan and selection: `<prefix>-<region>` when it fits AWS Backup's 50 characters
 * (letters, digits, `-`, `_`), else the prefix cut short with 6 hex characters of its hash, so two long
 * prefixes that share their start still get different names.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html
 */
export function backupName(prefix: string, region: string): string {
    const plain = `${prefix}-${region}`;
    if (plain.length <= 50) {
        return plain;
    }
    const hash = crypto.createHash("sha256").update(prefix).digest("hex").slice(0, 6);
    const head = prefix.slice(0, 50 - region.length - hash.length - 2).replace(/-+$/, "");
    return `${head}-${hash}-${region}`;
}

/**
 * The key policy of a vault's customer managed key: the account root's `kms:*` only, as AWS's default key
 * policy has it. AWS Backup uses the key through grants it creates on behalf of its service role, whose
 * permissions come from IAM (the managed policies): without the root statement no IAM policy grants
 * anything on the key.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html
 */
export function vaultKeyPolicy(partition: string, accountId: string) {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
    };
}

/** A vault's access policy letting the other sides' accounts copy recovery points into it. */
export function vaultCopyPolicy(partition: string, accountIds: readonly string[]) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CopyFromOtherSides",
                Effect: "Allow",
                Principal: { AWS: accountIds.map((id) => `arn:${partition}:iam::${id}:root`) },
                Action: COPY_INTO_VAULT_ACTIONS,
                Resource: "*",
            },
        ],
    };
}

/** A copy of a snapshot into another account's vault without `backup.crossAccountCopy`. */
export class CrrBackupCopyError extends Error {
    constructor(readonly source: string, readonly destinations: readonly string[]) {
        super(
            `backup: side ${source} would copy its snapshots into the vaults of ${destinations.join(", ")}, which are in other accounts. ` +
                "AWS Backup copies across accounts only inside one AWS Organization whose management account turned cross-account " +
                "backup on: when that is so, set backup.crossAccountCopy to true; otherwise set backup.copyToOtherSides to false.",
        );
        this.name = "CrrBackupCopyError";
    }
}

/** A copy destination of a plan's snapshot rule, resolved. */
export interface CopyDestination {
    readonly key: string;
    readonly accountId: string;
    readonly vaultArn: string;
}

/**
 * The two rules of a bucket's plan (pure, for testing): continuous backups (point-in-time restore within
 * `continuousRetentionDays`; AWS Backup takes no schedule from this rule for S3 and keeps 1 to 35 days) and
 * periodic snapshots with their own retention, in the same vault (AWS Backup requires one vault for a
 * bucket's continuous and periodic backups), each snapshot copied to the other sides' vaults. A copy is a
 * snapshot: point-in-time restore stays in the source region. Across accounts without `crossAccountCopy`:
 * {@link CrrBackupCopyError}.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
 */
export function backupPlanRules(settings: ResolvedBackup, vaultName: string, side: { key: string; accountId: string }, destinations: readonly CopyDestination[]) {
    const copies = settings.copyToOtherSides ? destinations : [];
    const foreign = copies.filter((d) => d.accountId !== side.accountId);
    if (foreign.length > 0 && !settings.crossAccountCopy) {
        throw new CrrBackupCopyError(side.key, foreign.map((d) => d.key));
    }
    return [
        {
            ruleName: "continuous",
            targetVaultName: vaultName,
            enableContinuousBackup: true,
            lifecycle: { deleteAfter: settings.continuousRetentionDays },
        },
        {
            ruleName: `snapshot-${settings.snapshotSchedule}`,
            targetVaultName: vaultName,
            schedule: BACKUP_SCHEDULES[settings.snapshotSchedule],
            lifecycle: { deleteAfter: settings.snapshotRetentionDays },
            copyActions: copies.map((d) => ({ destinationVaultArn: d.vaultArn, lifecycle: { deleteAfter: settings.snapshotRetentionDays } })),
        },
    ];
}

/** A side's vault and what protects it. */
export interface SideBackupVault {
    readonly context: SideContext;
    readonly key: aws.kms.Key;
    readonly vault: aws.backup.Vault;
    readonly lock?: aws.backup.VaultLockConfiguration;
}

/** A side's backups: its vault, the plan of its bucket, the selection and the role AWS Backup uses. */
export interface SideBackup extends SideBackupVault {
    readonly role: aws.iam.Role;
    readonly attachments: readonly aws.iam.RolePolicyAttachment[];
    readonly plan: aws.backup.Plan;
    readonly selection: aws.backup.Selection;
    readonly vaultPolicy?: aws.backup.VaultPolicy;
    readonly regionSettings?: aws.backup.RegionSettings;
}

/**
 * Registers a side's vault under a customer managed key of its own and, with `vaultLock`, its lock. First
 * for every side: each plan names the other sides' vaults in its copy actions.
 */
const protectedOpts = (ctx: SideContext): pulumi.CustomResourceOptions => (ctx.topology.protectData ? { ...ctx.opts, protect: true } : ctx.opts);

export function createBackupVault(ctx: SideContext, settings: ResolvedBackup): SideBackupVault {
    const { region, identity } = ctx;
    const name = region.apply((r) => backupName(ctx.topology.namingPrefix, r));
    const key = new aws.kms.Key(
        ctx.childName("backup-key"),
        {
            region,
            description: pulumi.interpolate`Encrypts the AWS Backup vault ${name}`,
            enableKeyRotation: true,
            deletionWindowInDays: ctx.topology.kmsKeyDeletionWindowInDays,
            policy: pulumi.all([identity.partition, identity.accountId]).apply(([p, a]) => JSON.stringify(vaultKeyPolicy(p, a))),
            tags: ctx.tags,
        },
        // Option `protectData`: the vault's key and the vault hold the recovery points.
        protectedOpts(ctx),
    );
    // forceDestroy deletes the vault's recovery points with it: tied to the option that lets destroy empty
    // the buckets (dev stacks only).
    const vault = new aws.backup.Vault(
        ctx.childName("backup-vault"),
        { region, name, kmsKeyArn: key.arn, forceDestroy: ctx.topology.forceDestroy, tags: ctx.tags },
        protectedOpts(ctx),
    );
    // Governance mode: no changeableForDays (the lock stays removable by IAM principals allowed to). Compliance
    // mode: the lock becomes immutable after changeableForDays (3 or more: AWS's 72-hour cooling-off).
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-backup-backupvault-lockconfigurationtype.html
    const lock =
        settings.vaultLock === "none"
            ? undefined
            : new aws.backup.VaultLockConfiguration(
                  ctx.childName("backup-vault-lock"),
                  {
                      region,
                      backupVaultName: vault.name,
                      minRetentionDays: settings.vaultLockMinRetentionDays,
                      maxRetentionDays: settings.vaultLockMaxRetentionDays,
                      ...(settings.vaultLock === "compliance" ? { changeableForDays: settings.vaultLockChangeableForDays } : {}),
                  },
                  ctx.opts,
              );
    return { context: ctx, key, vault, ...(lock ? { lock } : {}) };
}

/**
 * Registers the rest of a side's backups once every vault exists: the AWS Backup service role with the AWS
 * managed policies for S3 backup and restore, the plan of the side's bucket, its selection and, as asked,
 * the vault's copy policy (cross-account copies) and the region's S3 opt-in.
 */
export function createBackupPlan(side: SideResources, own: SideBackupVault, others: readonly SideBackupVault[], settings: ResolvedBackup): SideBackup {
    const ctx = side.context;
    const { region, identity } = ctx;
    const name = region.apply((r) => backupName(ctx.topology.namingPrefix, r));
    const role = new aws.iam.Role(
        ctx.childName("backup-role"),
        {
            name: region.apply((r) => `${ctx.topology.namingPrefix}-backup-${r}`),
            description: pulumi.interpolate`AWS Backup backs up and restores ${side.names.bucket}`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "AssumedOnlyByBackup", Effect: "Allow", Principal: { Service: BACKUP_SERVICE_PRINCIPAL }, Action: "sts:AssumeRole" }],
            }),
            tags: ctx.tags,
        },
        ctx.opts,
    );
    const arns = identity.partition.apply(backupManagedPolicyArns);
    const attachments = (["backup", "restore"] as const).map(
        (which) => new aws.iam.RolePolicyAttachment(ctx.childName(`backup-role-${which}`), { role: role.name, policyArn: arns[which] }, ctx.opts),
    );
    const regionSettings = settings.manageRegionSettings
        ? new aws.backup.RegionSettings(ctx.childName("backup-region-settings"), { region, resourceTypeOptInPreference: { S3: true } }, ctx.opts)
        : undefined;
    const destinations = pulumi.all(
        others.map((o) => pulumi.all([o.context.identity.accountId, o.vault.arn]).apply(([accountId, vaultArn]) => ({ key: o.context.side.key, accountId, vaultArn }))),
    );
    const plan = new aws.backup.Plan(
        ctx.childName("backup-plan"),
        {
            region,
            name,
            rules: pulumi
                .all([own.vault.name, identity.accountId, destinations])
                .apply(([vaultName, accountId, dests]) => backupPlanRules(settings, vaultName, { key: ctx.side.key, accountId }, dests)),
            tags: ctx.tags,
        },
        // A locked vault checks each job's retention: the lock is in place before the first job.
        { ...ctx.opts, dependsOn: [...(own.lock ? [own.lock] : []), ...others.flatMap((o) => (o.lock ? [o.lock] : []))] },
    );
    // Continuous backups of S3 need a versioned bucket; the role's permissions are in place before AWS Backup
    // assumes it, and the region's opt-in (when managed here) before the first job.
    const selection = new aws.backup.Selection(
        ctx.childName("backup-selection"),
        { region, name, planId: plan.id, iamRoleArn: role.arn, resources: [side.replicated.bucket.arn] },
        { ...ctx.opts, dependsOn: [side.replicated.versioning, ...attachments, ...(regionSettings ? [regionSettings] : [])] },
    );
    const vaultPolicy =
        settings.crossAccountCopy && others.length > 0
            ? new aws.backup.VaultPolicy(
                  ctx.childName("backup-vault-policy"),
                  {
                      region,
                      backupVaultName: own.vault.name,
                      policy: pulumi
                          .all([identity.partition, ...others.map((o) => o.context.identity.accountId)])
                          .apply(([partition, ...accounts]) => JSON.stringify(vaultCopyPolicy(partition, [...new Set(accounts)]))),
                  },
                  ctx.opts,
              )
            : undefined;
    return {
        ...own,
        role,
        attachments,
        plan,
        selection,
        ...(vaultPolicy ? { vaultPolicy } : {}),
        ...(regionSettings ? { regionSettings } : {}),
    };
}

/** Registers every side's backups (nothing when the option is off): the vaults first, then the plans. */
export function createBackups(sides: readonly SideResources[], topology: ResolvedTopology): SideBackup[] | undefined {
    const settings = topology.backup;
    if (settings === false) {
        return undefined;
    }
    const vaults = sides.map((s) => createBackupVault(s.context, settings));
    return sides.map((s, i) => createBackupPlan(s, vaults[i], vaults.filter((_, j) => j !== i), settings));
}
