import { expect } from "chai";
import * as perms from "../../bootstrap/permissions";
import { backupManagedPolicyArns } from "../../components/documents/backup";

const ACCOUNT = "123456789012";
const input = { partition: "aws", accountId: ACCOUNT, prefixes: ["crr-prod-example"], stateBucket: "acme-pulumi-state" };
const byId = (doc: perms.Document) => Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));

describe("bootstrap: CI permissions", () => {
    it("trusts exactly one repository's environment, for STS, through the account's GitHub provider", () => {
        const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
        expect(perms.githubTrustPolicy(provider, perms.environmentSubject("acme", "s3-crr", "prod"))).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "GitHubActionsOidc",
                    Effect: "Allow",
                    Principal: { Federated: provider },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": "repo:acme/s3-crr:environment:prod",
                        },
                    },
                },
            ],
        });
        expect(perms.pullRequestSubject("acme", "s3-crr")).to.equal("repo:acme/s3-crr:pull_request");
    });

    it("scopes the deploy role to the stack's names: buckets, roles, trail, log group, alias", () => {
        const s = byId(perms.deployPolicy(input));
        expect(Object.keys(s)).to.deep.equal([
            "Buckets",
            "EmptyBucketsOnDestroy",
            "Roles",
            "PassRolesToServices",
            "Trails",
            "LogGroups",
            "Keys",
            "KeyAliases",
            "AttachBackupRolePolicies",
            "AlertsTopics",
            "Backups",
            "BackupVaultKeys",
            "AccessPoint",
            "AlarmsAndDashboard",
            "Unscoped",
            "PulumiStateBucket",
            "PulumiStateObjects",
        ]);
        expect(s.Buckets.Resource).to.deep.equal(["arn:aws:s3:::crr-prod-example-crrlab-*", "arn:aws:s3:::logging-crr-prod-example-*"]);
        expect(s.Buckets.Action).to.include.members(["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucket*", "s3:PutReplicationConfiguration", "s3:GetBucket*"]);
        expect(s.EmptyBucketsOnDestroy).to.deep.include({
            Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
            Resource: ["arn:aws:s3:::crr-prod-example-crrlab-*/*", "arn:aws:s3:::logging-crr-prod-example-*/*"],
        });
        expect(s.Roles.Resource).to.deep.equal(["arn:aws:iam::123456789012:role/crr-prod-example-*"]);
        expect(s.Roles.Action).to.include.members(["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRole"]);
        expect(s.PassRolesToServices).to.deep.equal({
            Sid: "PassRolesToServices",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: ["arn:aws:iam::123456789012:role/crr-prod-example-*"],
            Condition: { StringEquals: { "iam:PassedToService": ["s3.amazonaws.com", "cloudtrail.amazonaws.com", "backup.amazonaws.com"] } },
        });
        expect(s.Trails.Resource).to.deep.equal(["arn:aws:cloudtrail:*:123456789012:trail/crr-prod-example-crr-trail"]);
        expect(s.LogGroups.Resource).to.deep.equal([
            "arn:aws:logs:*:123456789012:log-group:CloudTrail/logs/crr-prod-example",
            "arn:aws:logs:*:123456789012:log-group:CloudTrail/logs/crr-prod-example:*",
        ]);
        expect(s.Keys.Resource).to.deep.equal(["arn:aws:kms:*:123456789012:key/*"]);
        expect(s.Keys.Action).not.to.include.members(["kms:Decrypt"]);
        expect(s.KeyAliases).to.deep.include({
            Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
            Resource: ["arn:aws:kms:*:123456789012:alias/crr-prod-example-crr", "arn:aws:kms:*:123456789012:alias/crr-prod-example-crr-alerts"],
        });
        expect(s.AlertsTopics.Resource).to.deep.equal([
            "arn:aws:sns:*:123456789012:crr-prod-example-crr-alerts",
            "arn:aws:sns:*:123456789012:crr-prod-example-crr-alerts:*",
        ]);
        expect(s.AlertsTopics.Action).to.include.members(["sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe"]);
        expect(s.AlarmsAndDashboard.Resource).to.deep.equal([
            "arn:aws:cloudwatch:*:123456789012:alarm:crr-prod-example-crr-*",
            "arn:aws:cloudwatch::123456789012:dashboard/crr-prod-example-crr",
        ]);
        expect(s.AlarmsAndDashboard.Action).to.include.members(["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"]);
        expect(s.AttachBackupRolePolicies).to.deep.include({
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            Resource: ["arn:aws:iam::123456789012:role/crr-prod-example-*"],
            Condition: {
                ArnEquals: {
                    "iam:PolicyARN": [
                        "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
                        "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
                    ],
                },
            },
        });
        expect(s.Backups.Resource).to.deep.equal([
            "arn:aws:backup:*:123456789012:backup-vault:crr-prod-example-*",
            "arn:aws:backup:*:123456789012:backup-plan:*",
        ]);
        expect(s.BackupVaultKeys.Condition).to.deep.equal({ StringLike: { "kms:ViaService": "backup.*.amazonaws.com" } });
        expect(s.AccessPoint.Resource).to.deep.equal([
            "arn:aws:s3::123456789012:accesspoint/*",
            "arn:aws:s3:us-west-2:123456789012:async-request/mrap/*",
        ]);
        expect(s.Unscoped).to.deep.equal({
            Sid: "Unscoped",
            Effect: "Allow",
            Action: [
                "cloudtrail:DescribeTrails",
                "logs:DescribeLogGroups",
                "logs:DescribeQueryDefinitions",
                "kms:ListAliases",
                "kms:ListKeys",
                "backup:DescribeRegionSettings",
                "s3:ListMultiRegionAccessPoints",
                "kms:CreateKey",
                "logs:PutQueryDefinition",
                "logs:DeleteQueryDefinition",
                "backup-storage:MountCapsule",
                "backup:UpdateRegionSettings",
            ],
            Resource: "*",
        });
        expect(s.PulumiStateBucket).to.deep.include({ Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: "arn:aws:s3:::acme-pulumi-state" });
        expect(s.PulumiStateObjects).to.deep.include({
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: "arn:aws:s3:::acme-pulumi-state/.pulumi/*",
        });
    });

    it("lets a deploy attach exactly the managed policies the component attaches to its Backup roles (no service-role/ path)", () => {
        for (const partition of ["aws", "aws-us-gov"]) {
            expect(perms.ATTACHABLE_POLICIES(partition)).to.deep.equal(Object.values(backupManagedPolicyArns(partition)));
        }
        expect(perms.ATTACHABLE_POLICIES("aws").join()).not.to.contain("service-role/");
    });

    it("grants no wildcard resource besides the actions AWS authorizes only on '*'", () => {
        for (const doc of [perms.deployPolicy(input), perms.previewPolicy(input)]) {
            for (const st of doc.Statement.filter((x) => x.Resource === "*")) {
                expect(st.Sid).to.equal("Unscoped");
                expect(st.Action).to.satisfy((a: string[]) => a.every((x) => [...perms.UNSCOPED_READ_ACTIONS, ...perms.UNSCOPED_WRITE_ACTIONS].includes(x)));
            }
        }
    });

    it("gives the preview role reads only (and the state's lock files), over every environment's prefix", () => {
        const doc = perms.previewPolicy({ ...input, prefixes: ["crr-dev-example", "crr-prod-example"] });
        const s = byId(doc);
        expect(Object.keys(s)).to.deep.equal([
            "Buckets",
            "Roles",
            "Trails",
            "LogGroups",
            "Keys",
            "AlertsTopics",
            "Backups",
            "AccessPoint",
            "AlarmsAndDashboard",
            "Unscoped",
            "PulumiStateBucket",
            "PulumiStateObjects",
            "PulumiStateLocks",
        ]);
        expect(s.Buckets.Resource).to.deep.equal([
            "arn:aws:s3:::crr-dev-example-crrlab-*",
            "arn:aws:s3:::logging-crr-dev-example-*",
            "arn:aws:s3:::crr-prod-example-crrlab-*",
            "arn:aws:s3:::logging-crr-prod-example-*",
        ]);
        const writes = doc.Statement.filter((st) => st.Sid !== "PulumiStateLocks")
            .flatMap((st) => st.Action as string[])
            .filter((a) => !/^[a-z0-9]+:(Get|List|Describe)/.test(a));
        expect(writes).to.deep.equal([]);
        expect(s.PulumiStateObjects).to.deep.include({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-pulumi-state/.pulumi/*" });
        expect(s.PulumiStateLocks).to.deep.include({
            Action: ["s3:PutObject", "s3:DeleteObject"],
            Resource: "arn:aws:s3:::acme-pulumi-state/.pulumi/locks/*",
        });
    });

    it("names no state bucket without a self-managed backend", () => {
        expect(perms.deployPolicy({ ...input, stateBucket: undefined }).Statement.map((s) => s.Sid)).not.to.include("PulumiStateBucket");
        expect(perms.previewPolicy({ ...input, stateBucket: undefined }).Statement.map((s) => s.Sid)).not.to.include("PulumiStateLocks");
    });

    it("stays within IAM's 10,240-character inline policy limit with 40-character prefixes (the longest allowed)", () => {
        const prefixes = ["a", "b", "c", "d", "e"].map((c) => c.repeat(40));
        expect(JSON.stringify(perms.deployPolicy({ ...input, prefixes: [prefixes[0]] })).length).to.be.below(10240);
        expect(JSON.stringify(perms.previewPolicy({ ...input, prefixes })).length).to.be.below(10240);
    });

    it("keeps the state bucket TLS-only", () => {
        expect(perms.stateBucketPolicy("arn:aws:s3:::acme-pulumi-state")).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: ["arn:aws:s3:::acme-pulumi-state", "arn:aws:s3:::acme-pulumi-state/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
    });
});
