import * as crypto from "crypto";
import { AWS_REGIONS } from "../model/regions";
import { ResolvedSettings } from "../model/options";
import { BackupSettings } from "../model/types";
import { ResolvedTopology } from "../model/validation";
import type { BackupSchedule } from "../model/values";

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
 * IAM resource patterns that match {@link backupName} of `prefix` in every region of `regions`: `<prefix>-*`
 * for the names that fit, and `<cut prefix>-<hash>-*` for each cut a long prefix gets (the cut depends on
 * the region's length). For a deploy role's scope over the vaults a stack names.
 */
export function backupNamePatterns(prefix: string, regions: readonly string[] = AWS_REGIONS): string[] {
    const patterns = new Set<string>();
    for (const region of regions) {
        const name = backupName(prefix, region);
        patterns.add(name === `${prefix}-${region}` ? `${prefix}-*` : `${name.slice(0, name.length - region.length)}*`);
    }
    return [...patterns];
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

/**
 * The Backup role's policy for its plan's copy actions: `backup:CopyIntoBackupVault` on every destination
 * vault, which the AWS managed policies for S3 backup and restore do not grant (without it each daily copy job
 * fails, and nothing else tells). Across accounts the destination vault's access policy must allow it too
 * ({@link vaultCopyPolicy}).
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
 */
export function backupCopyPolicy(destinationVaultArns: readonly string[]) {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "CopyIntoOtherSidesVaults", Effect: "Allow", Action: COPY_INTO_VAULT_ACTIONS, Resource: [...destinationVaultArns] }],
    };
}

/**
 * AWS Backup's job events (to EventBridge, best effort) of a backup, a copy or a restore that did not
 * complete. Backup and copy jobs report `state`, restore jobs `status` (as the AWS Backup API names them):
 * the pattern matches either.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-backup.html
 */
export const BACKUP_JOB_EVENTS = ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"];
/** The end states of a job that did not do what it was for (API_BackupJob, API_CopyJob, API_DescribeRestoreJob). */
export const BACKUP_JOB_FAILURE_STATES = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"];

/**
 * The EventBridge pattern of failed backup, copy and restore jobs: every such job of the account in the rule's
 * region, not only this stack's (the job events name their resources in fields that differ per job type, and
 * a filter on a field one type lacks would drop its failures without a word).
 */
export function backupJobFailurePattern() {
    return {
        source: ["aws.backup"],
        "detail-type": BACKUP_JOB_EVENTS,
        detail: { $or: [{ state: BACKUP_JOB_FAILURE_STATES }, { status: BACKUP_JOB_FAILURE_STATES }] },
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
