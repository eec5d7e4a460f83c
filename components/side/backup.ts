import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import { ResolvedTopology } from "../model/validation";
import {
    backupCopyPolicy,
    backupManagedPolicyArns,
    backupName,
    backupPlanRules,
    BACKUP_SERVICE_PRINCIPAL,
    ResolvedBackup,
    vaultCopyPolicy,
    vaultKeyPolicy,
} from "../documents/backup";
import { SideContext } from "./context";
import { SideResources } from "./side";

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
    /** `backup:CopyIntoBackupVault` on the other sides' vaults (when snapshots are copied there). */
    readonly copyPolicy?: aws.iam.RolePolicy;
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
            // No aws:SourceAccount/aws:SourceArn here: AWS Backup documents those conditions for its SNS notifications
            // and its use of KMS keys, not for assuming its service role (its own AWSBackupDefaultServiceRole trusts
            // backup.amazonaws.com without them), and a condition the service does not send fails every job silently.
            // https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "AssumedOnlyByBackup", Effect: "Allow", Principal: { Service: BACKUP_SERVICE_PRINCIPAL }, Action: "sts:AssumeRole" }],
            }),
            tags: ctx.tags,
            ...ctx.roleBoundary,
        },
        ctx.opts,
    );
    const arns = identity.partition.apply(backupManagedPolicyArns);
    const attachments = (["backup", "restore"] as const).map(
        (which) => new aws.iam.RolePolicyAttachment(ctx.childName(`backup-role-${which}`), { role: role.name, policyArn: arns[which] }, ctx.opts),
    );
    const copies = settings.copyToOtherSides ? others : [];
    const copyPolicy =
        copies.length > 0
            ? new aws.iam.RolePolicy(
                  ctx.childName("backup-role-copy"),
                  {
                      role: role.id,
                      policy: pulumi.all(copies.map((o) => o.vault.arn)).apply((vaultArns) => JSON.stringify(backupCopyPolicy(vaultArns))),
                  },
                  ctx.opts,
              )
            : undefined;
    // The provider reads back the region's whole opt-in map (every resource type AWS Backup supports there), so
    // a map of S3 alone differs on every run. Setting the full map instead would opt this account's other
    // resource types in or out (an account-wide setting this stack does not own), and fails where a type is not
    // offered (terraform-provider-aws#21801). Creation opts S3 in; after it the map is left as the account has it.
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRegionSettings.html
    const regionSettings = settings.manageRegionSettings
        ? new aws.backup.RegionSettings(
              ctx.childName("backup-region-settings"),
              { region, resourceTypeOptInPreference: { S3: true } },
              { ...ctx.opts, ignoreChanges: ["resourceTypeOptInPreference"] },
          )
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
        { ...ctx.opts, dependsOn: [side.replicated.versioning, ...attachments, ...(copyPolicy ? [copyPolicy] : []), ...(regionSettings ? [regionSettings] : [])] },
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
        ...(copyPolicy ? { copyPolicy } : {}),
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
