import { expect } from "chai";
import * as aws from "../../components/model/aws";
import { backupEnabled, crrPairArgProblems, DEFAULTS } from "../../components";
import { BACKUP_SCHEDULES, backupName, backupPlanRules, CrrBackupCopyError, ResolvedBackup } from "../../components/documents/backup";
import { readSettings } from "../../program/settings";
import { buildPair, PREFIX } from "../support/fixtures";
import { uuidOf } from "../../tools/mocking";
import { ACCOUNT_ID, dependencyNames, find, ofType, valueOf } from "../support/mocks";

const T = {
    key: "aws:kms/key:Key",
    vault: "aws:backup/vault:Vault",
    lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    vaultPolicy: "aws:backup/vaultPolicy:VaultPolicy",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    regionSettings: "aws:backup/regionSettings:RegionSettings",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    key2: "aws:kms/key:Key",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
};
const OTHER_ACCOUNT = "444455556666";
const SETTINGS: ResolvedBackup = {
    continuousRetentionDays: 35,
    snapshotRetentionDays: 90,
    snapshotSchedule: "daily",
    copyToOtherSides: true,
    crossAccountCopy: false,
    manageRegionSettings: false,
    vaultLock: "none",
    vaultLockMinRetentionDays: 1,
    vaultLockMaxRetentionDays: 36500,
    vaultLockChangeableForDays: 3,
};
const ON = SETTINGS;

const problems = (backup: unknown) =>
    crrPairArgProblems(
        {
            namingPrefix: "acme-data",
            primary: { provider: undefined!, region: "us-east-2" },
            secondary: { provider: undefined!, region: "us-west-2" },
            backup,
        } as never,
        { checkProviders: false },
    ).map((p) => `${p.path}: ${p.message}`);

describe("point-in-time backups (option backup)", () => {
    it("is off by default: a default pair registers nothing of AWS Backup, and the notification code reads it off", async () => {
        expect(DEFAULTS.backup).to.equal(false);
        expect(backupEnabled(DEFAULTS)).to.equal(false);
        expect(backupEnabled({ backup: { ...SETTINGS } })).to.equal(true);
        await buildPair("nb");
        expect([T.vault, T.plan, T.selection].flatMap(ofType)).to.deep.equal([]);
    });

    describe("backup: true (a same-account pair)", () => {
        let outputs: { secondaryVault: string; primaryPlan: string; primaryRole: string };
        before(async () => {
            const built = await buildPair("bk", { backup: true });
            outputs = {
                secondaryVault: await valueOf(built.pair.secondary.backupVaultArn!),
                primaryPlan: await valueOf(built.pair.primary.backupPlanArn!),
                primaryRole: await valueOf(built.pair.primary.backupRoleArn!),
            };
        });

        it("gives each side a vault named <prefix>-<region> under a key of its own whose policy keeps the root's kms:*", () => {
            for (const [side, region] of [
                ["primary", "us-east-2"],
                ["secondary", "us-west-2"],
            ]) {
                const key = find(T.key, `bk-${side}-backup-key`);
                expect(JSON.parse(key.inputs.policy)).to.deep.equal({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
                });
                expect(key.inputs).to.deep.include({ region, enableKeyRotation: true, deletionWindowInDays: 30 });
                const vault = find(T.vault, `bk-${side}-backup-vault`);
                expect(vault.inputs).to.deep.include({ region, name: `${PREFIX}-${region}`, kmsKeyArn: key.outputs.arn, forceDestroy: false });
                expect(vault.outputs.arn).to.equal(`arn:aws:backup:${region}:${ACCOUNT_ID}:backup-vault:${PREFIX}-${region}`);
            }
            expect(outputs.secondaryVault).to.equal(`arn:aws:backup:us-west-2:${ACCOUNT_ID}:backup-vault:${PREFIX}-us-west-2`);
        });

        it("plans a continuous rule and a daily snapshot copied to the other side's vault", () => {
            const plan = find(T.plan, "bk-primary-backup-plan");
            expect(plan.inputs.name).to.equal(`${PREFIX}-us-east-2`);
            expect(plan.inputs.region).to.equal("us-east-2");
            expect(plan.inputs.rules).to.deep.equal([
                { ruleName: "continuous", targetVaultName: `${PREFIX}-us-east-2`, enableContinuousBackup: true, lifecycle: { deleteAfter: 35 } },
                {
                    ruleName: "snapshot-daily",
                    targetVaultName: `${PREFIX}-us-east-2`,
                    schedule: "cron(0 5 ? * * *)",
                    lifecycle: { deleteAfter: 90 },
                    copyActions: [
                        { destinationVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT_ID}:backup-vault:${PREFIX}-us-west-2`, lifecycle: { deleteAfter: 90 } },
                    ],
                },
            ]);
            const planId = uuidOf(`us-east-2/plan/${PREFIX}-us-east-2`);
            expect(outputs.primaryPlan).to.equal(`arn:aws:backup:us-east-2:${ACCOUNT_ID}:backup-plan:${planId}`);
            expect(find(T.plan, "bk-secondary-backup-plan").inputs.rules[1].copyActions[0].destinationVaultArn).to.equal(
                `arn:aws:backup:us-east-2:${ACCOUNT_ID}:backup-vault:${PREFIX}-us-east-2`,
            );
        });

        it("selects the side's own bucket with the Backup role, after the bucket's versioning and the role's managed policies", () => {
            const selection = find(T.selection, "bk-primary-backup-selection");
            expect(selection.inputs).to.deep.include({
                region: "us-east-2",
                name: `${PREFIX}-us-east-2`,
                planId: uuidOf(`us-east-2/plan/${PREFIX}-us-east-2`),
                iamRoleArn: outputs.primaryRole,
                resources: [`arn:aws:s3:::${PREFIX}-crrlab-us-east-2`],
            });
            expect(dependencyNames(selection)).to.include.members([
                `${T.versioning}::bk-primary-bucket-versioning`,
                `${T.attachment}::bk-primary-backup-role-backup`,
                `${T.attachment}::bk-primary-backup-role-restore`,
            ]);
        });

        it("trusts only AWS Backup and attaches the AWS managed policies for S3 backup and restore", () => {
            const role = find(T.role, "bk-primary-backup-role");
            expect(outputs.primaryRole).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/${PREFIX}-backup-us-east-2`);
            expect(role.inputs.name).to.equal(`${PREFIX}-backup-us-east-2`);
            expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
                { Sid: "AssumedOnlyByBackup", Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            expect(ofType(T.attachment).filter((a) => a.name.startsWith("bk-primary-")).map((a) => a.inputs.policyArn)).to.deep.equal([
                "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
                "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
            ]);
        });

        it("lets the Backup role copy into the other side's vault (backup:CopyIntoBackupVault, which the S3 managed policies lack)", () => {
            for (const [side, other] of [
                ["primary", "us-west-2"],
                ["secondary", "us-east-2"],
            ]) {
                const copy = find(T.rolePolicy, `bk-${side}-backup-role-copy`);
                expect(copy.inputs.role).to.equal(find(T.role, `bk-${side}-backup-role`).outputs.name);
                expect(JSON.parse(copy.inputs.policy)).to.deep.equal({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "CopyIntoOtherSidesVaults",
                            Effect: "Allow",
                            Action: ["backup:CopyIntoBackupVault"],
                            Resource: [`arn:aws:backup:${other}:${ACCOUNT_ID}:backup-vault:${PREFIX}-${other}`],
                        },
                    ],
                });
                // In place before AWS Backup first uses the role.
                expect(dependencyNames(find(T.selection, `bk-${side}-backup-selection`))).to.include(`${T.rolePolicy}::bk-${side}-backup-role-copy`);
            }
        });

        it("sends each side's failed backup, copy and restore jobs to its alerts topic through EventBridge", () => {
            for (const [side, region] of [
                ["primary", "us-east-2"],
                ["secondary", "us-west-2"],
            ]) {
                const rule = find(T.rule, `bk-${side}-backup-job-failures`);
                expect(rule.inputs).to.deep.include({ region, name: `${PREFIX}-crr-backup-job-failures` });
                expect(JSON.parse(rule.inputs.eventPattern)).to.deep.equal({
                    source: ["aws.backup"],
                    "detail-type": ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"],
                    detail: {
                        $or: [{ state: ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] }, { status: ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] }],
                    },
                });
                const target = find(T.target, `bk-${side}-backup-job-failures-target`);
                const topicArn = `arn:aws:sns:${region}:${ACCOUNT_ID}:${PREFIX}-crr-alerts`;
                expect(target.inputs).to.deep.include({ region, rule: `${PREFIX}-crr-backup-job-failures`, arn: topicArn });
                expect(dependencyNames(target)).to.include(`${T.topicPolicy}::bk-${side}-alerts-topic-policy`);
                // The topic's policy and its key admit EventBridge, without source conditions (documented without them).
                const topicStatements = JSON.parse(find(T.topicPolicy, `bk-${side}-alerts-topic-policy`).inputs.policy).Statement;
                expect(topicStatements.find((st: { Sid: string }) => st.Sid === "EventBridgePublish")).to.deep.equal({
                    Sid: "EventBridgePublish",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: topicArn,
                });
                const keyStatements = JSON.parse(find(T.key, `bk-${side}-alerts-key`).inputs.policy).Statement;
                expect(keyStatements.find((st: { Sid: string }) => st.Sid === "EventBridgePublish")).to.deep.equal({
                    Sid: "EventBridgePublish",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: "*",
                });
            }
        });

        it("leaves the region's S3 opt-in, the vault lock and the copy policy alone unless asked", () => {
            expect([T.regionSettings, T.lock, T.vaultPolicy].flatMap(ofType)).to.deep.equal([]);
        });
    });

    it("opts S3 in, locks the vaults in compliance mode and takes a weekly schedule when asked", async () => {
        await buildPair("bl", {
            backup: { manageRegionSettings: true, vaultLock: "compliance", vaultLockMinRetentionDays: 7, vaultLockChangeableForDays: 14, snapshotSchedule: "weekly" },
        });
        const regionSettings = find(T.regionSettings, "bl-primary-backup-region-settings");
        expect(regionSettings.inputs).to.deep.equal({ region: "us-east-2", resourceTypeOptInPreference: { S3: true } });
        // The provider reads back every resource type's opt-in: without this, every run shows a diff.
        expect(regionSettings.ignoreChanges).to.deep.equal(["resourceTypeOptInPreference"]);
        expect(find(T.lock, "bl-secondary-backup-vault-lock").inputs).to.deep.equal({
            region: "us-west-2",
            backupVaultName: `${PREFIX}-us-west-2`,
            minRetentionDays: 7,
            maxRetentionDays: 36500,
            changeableForDays: 14,
        });
        const plan = find(T.plan, "bl-primary-backup-plan");
        expect(plan.inputs.rules[1]).to.deep.include({ ruleName: "snapshot-weekly", schedule: "cron(0 5 ? * SUN *)" });
        expect(dependencyNames(plan)).to.include.members([`${T.lock}::bl-primary-backup-vault-lock`, `${T.lock}::bl-secondary-backup-vault-lock`]);
        expect(dependencyNames(find(T.selection, "bl-primary-backup-selection"))).to.include(`${T.regionSettings}::bl-primary-backup-region-settings`);
    });

    it("copies nothing, and grants no copy, with copyToOtherSides false; tells no topic of failed jobs with alarms off", async () => {
        await buildPair("bn", { backup: { copyToOtherSides: false }, alarms: false });
        expect(ofType(T.rolePolicy).filter((p) => p.name.includes("backup"))).to.deep.equal([]);
        expect([T.rule, T.target].flatMap(ofType)).to.deep.equal([]);
        expect(find(T.plan, "bn-primary-backup-plan").inputs.rules[1].copyActions).to.deep.equal([]);
    });

    it("governance mode sets no changeable-for days (the lock stays removable)", async () => {
        await buildPair("bg", { backup: { vaultLock: "governance" } });
        expect(find(T.lock, "bg-primary-backup-vault-lock").inputs).to.not.have.property("changeableForDays");
    });

    it("copies across accounts with crossAccountCopy, each vault letting the other account copy in", async () => {
        await buildPair("bx", {
            backup: { crossAccountCopy: true },
            secondary: {
                provider: new aws.Provider("bx-west", { region: "us-west-2", assumeRoles: [{ roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer` }] }),
                region: "us-west-2",
            },
        });
        expect(find(T.plan, "bx-primary-backup-plan").inputs.rules[1].copyActions[0].destinationVaultArn).to.equal(
            `arn:aws:backup:us-west-2:${OTHER_ACCOUNT}:backup-vault:${PREFIX}-us-west-2`,
        );
        // Both halves across accounts: the role may copy into the other account's vault, and that vault lets it in.
        expect(JSON.parse(find(T.rolePolicy, "bx-primary-backup-role-copy").inputs.policy).Statement[0].Resource).to.deep.equal([
            `arn:aws:backup:us-west-2:${OTHER_ACCOUNT}:backup-vault:${PREFIX}-us-west-2`,
        ]);
        expect(JSON.parse(find(T.vaultPolicy, "bx-secondary-backup-vault-policy").inputs.policy).Statement).to.deep.equal([
            {
                Sid: "CopyFromOtherSides",
                Effect: "Allow",
                Principal: { AWS: [`arn:aws:iam::${ACCOUNT_ID}:root`] },
                Action: ["backup:CopyIntoBackupVault"],
                Resource: "*",
            },
        ]);
    });

    describe("the plan's rules (pure)", () => {
        const dest = (accountId: string) => [{ key: "secondary", accountId, vaultArn: "arn:aws:backup:us-west-2:1:backup-vault:v" }];

        it("refuses a copy into another account without crossAccountCopy, naming what to set", () => {
            expect(() => backupPlanRules(ON, "v", { key: "primary", accountId: ACCOUNT_ID }, dest(OTHER_ACCOUNT)))
                .to.throw(CrrBackupCopyError)
                .with.property("message")
                .that.contains("set backup.crossAccountCopy to true; otherwise set backup.copyToOtherSides to false");
        });

        it("copies nothing with copyToOtherSides false, so another account is no problem", () => {
            const rules = backupPlanRules({ ...ON, copyToOtherSides: false }, "v", { key: "primary", accountId: ACCOUNT_ID }, dest(OTHER_ACCOUNT));
            expect(rules[1].copyActions).to.deep.equal([]);
        });

        it("has a schedule expression for every schedule name", () => {
            expect(BACKUP_SCHEDULES).to.deep.equal({ daily: "cron(0 5 ? * * *)", weekly: "cron(0 5 ? * SUN *)", monthly: "cron(0 5 1 * ? *)" });
        });
    });

    describe("names", () => {
        it("are <prefix>-<region> when that fits 50 characters, else a cut prefix with its hash", () => {
            expect(backupName("acme-data", "us-east-2")).to.equal("acme-data-us-east-2");
            const long = "a".repeat(30) + "-bbbbbbbbb";
            const name = backupName(long, "ap-southeast-4");
            expect(name).to.have.length.at.most(50);
            expect(name).to.match(/^a+-[0-9a-f]{6}-ap-southeast-4$/);
            expect(backupName(long + "c", "ap-southeast-4")).to.not.equal(name);
        });
    });

    describe("validation", () => {
        it("accepts true, false and settings in range", () => {
            for (const value of [true, false, {}, { continuousRetentionDays: 1, snapshotRetentionDays: 36500, snapshotSchedule: "monthly" }]) {
                expect(problems(value), JSON.stringify(value)).to.deep.equal([]);
            }
        });

        it("keeps continuous backups within AWS Backup's 1 to 35 days, and schedules to the named ones", () => {
            expect(problems({ continuousRetentionDays: 36, snapshotSchedule: "hourly", vaultLock: "strict" })).to.deep.equal([
                "backup.continuousRetentionDays: must be a whole number from 1 to 35, got 36",
                "backup.snapshotSchedule: must be one of 'daily', 'weekly', 'monthly'; got 'hourly'",
                "backup.vaultLock: must be one of 'none', 'governance', 'compliance'; got 'strict'",
            ]);
        });

        it("refuses compliance mode's changeable-for days below AWS's 3", () => {
            expect(problems({ vaultLock: "compliance", vaultLockChangeableForDays: 2 })).to.deep.equal([
                "backup.vaultLockChangeableForDays: must be a whole number from 3 to 36500, got 2",
            ]);
        });

        it("keeps each retention within a locked vault's range, and the range ordered", () => {
            expect(problems({ vaultLock: "governance", vaultLockMinRetentionDays: 40, vaultLockMaxRetentionDays: 60 })).to.deep.equal([
                "backup.continuousRetentionDays: must be within the locked vault's 40-60 days (vaultLockMinRetentionDays, vaultLockMaxRetentionDays), or the vault fails the job, got 35",
                "backup.snapshotRetentionDays: must be within the locked vault's 40-60 days (vaultLockMinRetentionDays, vaultLockMaxRetentionDays), or the vault fails the job, got 90",
            ]);
            expect(problems({ vaultLock: "governance", vaultLockMinRetentionDays: 10, vaultLockMaxRetentionDays: 5 })).to.deep.equal([
                "backup.vaultLockMinRetentionDays: must not exceed vaultLockMaxRetentionDays (5), got 10",
            ]);
            // Unlocked, the lock's range is not checked.
            expect(problems({ vaultLockMinRetentionDays: 40, vaultLockMaxRetentionDays: 60 })).to.deep.equal([]);
        });

        it("reads the flat stack keys into the option's object", () => {
            const settings = readSettings(
                (k) => ({ namingPrefix: "acme-data", backup: "true", backupContinuousRetentionDays: "14" })[k as "namingPrefix"],
                "s3-crr",
            );
            expect(settings.backup).to.deep.equal({ ...SETTINGS, continuousRetentionDays: 14 });
            expect(() =>
                readSettings((k) => ({ namingPrefix: "acme-data", backup: "true", backupContinuousRetentionDays: "40" })[k as "namingPrefix"], "s3-crr"),
            ).to.throw("s3-crr:backupContinuousRetentionDays must be a whole number from 1 to 35, got 40");
        });
    });
});
