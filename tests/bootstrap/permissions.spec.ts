import { expect } from "chai";
import { RESOURCE_ACTIONS } from "../../bootstrap/actions";
import * as perms from "../../bootstrap/permissions";
import { backupManagedPolicyArns, backupName } from "../../components/documents/backup";
import { AWS_REGIONS } from "../../components/model/regions";
import { evaluate, RequestContext } from "../../policies/lib/iamEval";
import { Statement } from "../../policies/lib/model";

const ACCOUNT = "123456789012";
const stackOf = (environment: string, namingPrefix: string, forceDestroy = false) => ({ environment, namingPrefix, forceDestroy });
const PROD = { partition: "aws", accountId: ACCOUNT, project: "s3-crr", stack: stackOf("prod", "crr-prod-example"), stateBucket: "acme-pulumi-state" };
const DEV = { ...PROD, stack: stackOf("dev", "crr-dev-example", true) };
const byId = (doc: perms.Document) => Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
/** The deploy role of `input` as IAM sees it: its inline grants and its guardrails. */
const roleOf = (input: perms.DeployPolicyInput) => [...perms.deployPolicy(input).Statement, ...perms.deployGuardrails(input).Statement] as Statement[];
const ask = (statements: Statement[], action: string, arn: string, context: RequestContext = {}) => evaluate(statements, { action, resource: { exact: arn }, context }).effect;

const BOUNDARY = (environment: string) => `arn:aws:iam::${ACCOUNT}:policy/github-deploy-${environment}-boundary`;
const DEV_ROLE = `arn:aws:iam::${ACCOUNT}:role/crr-dev-example-s3crr-us-east-2`;
const KEY = `arn:aws:kms:us-east-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const tagsOf = (project: string, stack: string) => ({ "aws:ResourceTag/Project": project, "aws:ResourceTag/Stack": stack });

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

    it("scopes the deploy role to the stack's names, its actions from the table (bootstrap/actions.ts)", () => {
        const s = byId(perms.deployPolicy(PROD));
        expect(Object.keys(s)).to.deep.equal([
            "Buckets",
            "Trails",
            "LogGroups",
            "KeyAliases",
            "AlertsTopics",
            "Alarms",
            "BackupFailureRules",
            "Dashboard",
            "BackupVaults",
            "BackupPlans",
            "AccessPoint",
            "AccessPointRequests",
            "Roles",
            "RolesUnderBoundary",
            "AttachBackupRolePolicies",
            "DetachBackupRolePolicies",
            "PassRolesToServices",
            "KeysRead",
            "KeysOfThisStack",
            "TagKeys",
            "BackupVaultKeyGrants",
            "CreateKeysOfThisStack",
            "Unscoped",
            "PulumiStateBucket",
            "PulumiStateObjects",
        ]);
        expect(s.Buckets.Resource).to.deep.equal(["arn:aws:s3:::crr-prod-example-crrlab-*", "arn:aws:s3:::logging-crr-prod-example-*"]);
        expect(s.Buckets.Action).to.include.members(["s3:CreateBucket", "s3:DeleteBucket", "s3:PutReplicationConfiguration", "s3:GetBucketPolicy", "s3:PutBucketNotification"]);
        expect(s.Roles.Resource).to.deep.equal(["arn:aws:iam::123456789012:role/crr-prod-example-*"]);
        expect(s.Roles.Action).to.include.members(["iam:GetRole", "iam:DeleteRole", "iam:DeleteRolePolicy"]);
        expect(s.Roles.Action).not.to.include.members(["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PassRole"]);
        expect(s.RolesUnderBoundary).to.deep.equal({
            Sid: "RolesUnderBoundary",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
            Resource: ["arn:aws:iam::123456789012:role/crr-prod-example-*"],
            Condition: { ArnEquals: { "iam:PermissionsBoundary": BOUNDARY("prod") } },
        });
        expect(s.AttachBackupRolePolicies.Condition).to.deep.equal({
            ArnEquals: {
                "iam:PermissionsBoundary": BOUNDARY("prod"),
                "iam:PolicyARN": ["arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup", "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore"],
            },
        });
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
        expect(s.KeysOfThisStack.Resource).to.deep.equal(["arn:aws:kms:*:123456789012:key/*"]);
        expect(s.KeysOfThisStack.Action).to.include.members(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKeyRotation", "kms:UntagResource", "kms:CreateAlias"]);
        expect(s.KeysOfThisStack.Condition).to.deep.equal({ StringEquals: { "aws:ResourceTag/Project": "s3-crr", "aws:ResourceTag/Stack": "prod" } });
        expect(s.CreateKeysOfThisStack).to.deep.include({ Action: ["kms:CreateKey"], Resource: "*", Condition: { StringEquals: { "aws:RequestTag/Project": "s3-crr", "aws:RequestTag/Stack": "prod" } } });
        expect(s.KeyAliases).to.deep.include({
            Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
            Resource: ["arn:aws:kms:*:123456789012:alias/crr-prod-example-crr", "arn:aws:kms:*:123456789012:alias/crr-prod-example-crr-alerts"],
        });
        expect(s.AlertsTopics.Resource).to.deep.equal(["arn:aws:sns:*:123456789012:crr-prod-example-crr-alerts", "arn:aws:sns:*:123456789012:crr-prod-example-crr-alerts:*"]);
        expect(s.Alarms.Resource).to.deep.equal(["arn:aws:cloudwatch:*:123456789012:alarm:crr-prod-example-crr-*"]);
        expect(s.Dashboard.Resource).to.deep.equal(["arn:aws:cloudwatch::123456789012:dashboard/crr-prod-example-crr"]);
        expect(s.BackupVaults.Resource).to.deep.equal(["arn:aws:backup:*:123456789012:backup-vault:crr-prod-example-*"]);
        expect(s.BackupVaults.Action).to.include.members(["backup:CreateBackupVault", "backup:PutBackupVaultAccessPolicy", "backup:PutBackupVaultLockConfiguration"]);
        expect(s.BackupVaultKeyGrants.Condition).to.deep.equal({
            StringEquals: { "aws:ResourceTag/Project": "s3-crr", "aws:ResourceTag/Stack": "prod" },
            StringLike: { "kms:ViaService": "backup.*.amazonaws.com" },
        });
        expect(s.AccessPoint.Resource).to.deep.equal(["arn:aws:s3::123456789012:accesspoint/*"]);
        expect(s.AccessPoint.Action).to.include.members(["s3:SubmitMultiRegionAccessPointRoutes", "s3:GetMultiRegionAccessPointRoutes"]);
        expect(s.AccessPointRequests.Resource).to.deep.equal(["arn:aws:s3:us-west-2:123456789012:async-request/mrap/*"]);
        expect(s.PulumiStateBucket).to.deep.include({ Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: "arn:aws:s3:::acme-pulumi-state" });
        expect(s.PulumiStateObjects).to.deep.include({ Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::acme-pulumi-state/.pulumi/*" });
    });

    it("lets a deploy attach exactly the managed policies the component attaches to its Backup roles (no service-role/ path)", () => {
        for (const partition of ["aws", "aws-us-gov"]) {
            expect(perms.ATTACHABLE_POLICIES(partition)).to.deep.equal(Object.values(backupManagedPolicyArns(partition)));
        }
        expect(perms.ATTACHABLE_POLICIES("aws").join()).not.to.contain("service-role/");
        const role = roleOf(PROD);
        const backupRole = `arn:aws:iam::${ACCOUNT}:role/crr-prod-example-backup-us-east-2`;
        const attach = (policy: string) => ask(role, "iam:AttachRolePolicy", backupRole, { "iam:PolicyARN": policy, "iam:PermissionsBoundary": BOUNDARY("prod") });
        expect(attach("arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup")).to.equal("allow");
        expect(attach("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForS3Backup")).to.equal("implicitDeny");
        expect(attach("arn:aws:iam::aws:policy/AdministratorAccess")).to.equal("implicitDeny");
    });

    it("grants '*' only for what AWS authorizes on '*' alone, and CreateKey only for keys tagged as the stack's", () => {
        const wildcardOnly = new Set(Object.values(RESOURCE_ACTIONS).flatMap((t) => [...t.create, ...t.read, ...t.update, ...t.delete].filter((c) => c.on === "*").flatMap((c) => c.actions)));
        for (const doc of [perms.deployPolicy(PROD), perms.previewPolicy({ ...PROD, prefixes: ["crr-prod-example"] })]) {
            for (const st of doc.Statement.filter((x) => x.Resource === "*")) {
                expect(["Unscoped", "CreateKeysOfThisStack"]).to.include(st.Sid);
                expect([st.Action].flat().every((a) => wildcardOnly.has(a)), st.Sid).to.equal(true);
            }
        }
        const role = roleOf(PROD);
        expect(ask(role, "kms:CreateKey", "*", { "aws:RequestTag/Project": "s3-crr", "aws:RequestTag/Stack": "prod" })).to.equal("allow");
        expect(ask(role, "kms:CreateKey", "*", { "aws:RequestTag/Project": "s3-crr", "aws:RequestTag/Stack": "dev" })).to.equal("implicitDeny");
        expect(ask(role, "kms:CreateKey", "*")).to.equal("implicitDeny");
    });

    describe("no escalation: every role a deploy creates is under its environment's boundary", () => {
        const dev = roleOf(DEV);

        it("creates and widens roles only with the environment's own boundary", () => {
            for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"]) {
                expect(ask(dev, action, DEV_ROLE, { "iam:PermissionsBoundary": BOUNDARY("dev") }), action).to.equal("allow");
                expect(ask(dev, action, DEV_ROLE), `${action} without a boundary`).to.equal("implicitDeny");
                expect(ask(dev, action, DEV_ROLE, { "iam:PermissionsBoundary": BOUNDARY("prod") }), `${action} with prod's boundary`).to.equal("implicitDeny");
                expect(ask(dev, action, DEV_ROLE, { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }), action).to.equal("implicitDeny");
            }
            // Outside the stack's names nothing at all, boundary or not.
            expect(ask(dev, "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/github-deploy-dev`, { "iam:PermissionsBoundary": BOUNDARY("dev") })).to.equal("implicitDeny");
            expect(ask(dev, "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/crr-prod-example-s3crr-us-east-2`, { "iam:PermissionsBoundary": BOUNDARY("dev") })).to.equal("implicitDeny");
        });

        it("may never remove a role's boundary nor change any boundary or guardrail policy", () => {
            expect(evaluate(dev, { action: "iam:DeleteRolePermissionsBoundary", resource: { exact: DEV_ROLE }, context: { "iam:PermissionsBoundary": BOUNDARY("dev") } })).to.deep.include({ effect: "deny" });
            for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy"]) {
                for (const policy of [BOUNDARY("dev"), BOUNDARY("prod"), `arn:aws:iam::${ACCOUNT}:policy/github-deploy-dev-guardrails`]) {
                    expect(ask(dev, action, policy), `${action} ${policy}`).to.equal("deny");
                }
            }
            expect(byId(perms.deployGuardrails(DEV)).BoundariesUnchanged.Resource).to.equal(`arn:aws:iam::${ACCOUNT}:policy/github-deploy-*`);
        });

        it("lets a stack that adopted a bucket configure it, never delete it nor its objects", () => {
            const adopted = { ...PROD, stack: { ...stackOf("prod", "crr-prod-example"), adoptedBuckets: ["acme-orders-data"] } };
            const role = roleOf(adopted);
            const bucket = "arn:aws:s3:::acme-orders-data";
            for (const action of ["s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketNotification", "s3:PutReplicationConfiguration", "s3:PutBucketVersioning", "s3:GetBucketTagging"]) {
                expect(ask(role, action, bucket), action).to.equal("allow");
            }
            expect(ask(role, "s3:DeleteBucket", bucket)).to.equal("deny");
            expect(byId(perms.deployGuardrails(adopted)).NeverDeleteAdoptedBuckets).to.deep.equal({
                Sid: "NeverDeleteAdoptedBuckets",
                Effect: "Deny",
                Action: ["s3:DeleteBucket"],
                Resource: [bucket],
            });
            expect(ask(role, "s3:DeleteObjectVersion", `${bucket}/orders/1.json`)).to.equal("implicitDeny");
            // Without the entry the bucket is not the stack's at all.
            expect(ask(roleOf(PROD), "s3:PutBucketPolicy", bucket)).to.equal("implicitDeny");
            expect(Object.keys(byId(perms.deployGuardrails(PROD)))).to.not.include("NeverDeleteAdoptedBuckets");
        });

        it("bounds the Batch Replication roles to their buckets and the logging buckets' batch-replication/ prefix, adopted buckets included", () => {
            const boundary = perms.boundaryPolicy({ partition: "aws", accountId: ACCOUNT, namingPrefix: "crr-dev-example", adoptedBuckets: ["acme-orders-data"] }).Statement as Statement[];
            for (const bucket of ["arn:aws:s3:::crr-dev-example-crrlab-us-west-2", "arn:aws:s3:::acme-orders-data"]) {
                expect(ask(boundary, "s3:InitiateReplication", `${bucket}/orders/1.json`), bucket).to.equal("allow");
                expect(ask(boundary, "s3:PutInventoryConfiguration", bucket), bucket).to.equal("allow");
                expect(ask(boundary, "s3:GetReplicationConfiguration", bucket), bucket).to.equal("allow");
                expect(ask(boundary, "s3:ReplicateObject", `${bucket}/x`), bucket).to.equal("allow");
            }
            const reports = "arn:aws:s3:::logging-crr-dev-example-us-east-2/batch-replication/job-1/report.csv";
            for (const action of ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"]) {
                expect(ask(boundary, action, reports), action).to.equal("allow");
            }
            expect(ask(boundary, "s3:PutObject", "arn:aws:s3:::logging-crr-dev-example-us-east-2/AWSLogs/x")).to.equal("implicitDeny");
            expect(ask(boundary, "s3:InitiateReplication", "arn:aws:s3:::other-data/x")).to.equal("implicitDeny");
        });

        it("bounds the stack's roles to replication, trail delivery and AWS Backup of its own buckets", () => {
            const boundary = perms.boundaryPolicy({ partition: "aws", accountId: ACCOUNT, namingPrefix: "crr-dev-example" }).Statement as Statement[];
            const own = "arn:aws:s3:::crr-dev-example-crrlab-us-west-2";
            expect(ask(boundary, "s3:ReplicateObject", `${own}/photos/cat.jpg`)).to.equal("allow");
            expect(ask(boundary, "s3:GetReplicationConfiguration", own)).to.equal("allow");
            expect(ask(boundary, "kms:Encrypt", KEY, { "kms:ViaService": "s3.us-east-2.amazonaws.com" })).to.equal("allow");
            expect(ask(boundary, "kms:Encrypt", KEY)).to.equal("implicitDeny");
            expect(ask(boundary, "logs:PutLogEvents", `arn:aws:logs:us-east-2:${ACCOUNT}:log-group:CloudTrail/logs/crr-dev-example:log-stream:${ACCOUNT}_CloudTrail_us-east-2_1`)).to.equal("allow");
            expect(ask(boundary, "backup:CopyIntoBackupVault", `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:crr-dev-example-us-west-2`)).to.equal("allow");
            // An administrator is not within it, nor another stack's data, nor anything of IAM.
            for (const [action, arn] of [
                ["iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/x`],
                ["iam:PutRolePolicy", DEV_ROLE],
                ["s3:GetObject", "arn:aws:s3:::crr-prod-example-crrlab-us-east-2/secret"],
                ["s3:ReplicateObject", "arn:aws:s3:::crr-prod-example-crrlab-us-east-2/x"],
                ["s3:DeleteBucket", own],
                ["kms:ScheduleKeyDeletion", KEY],
                ["sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/github-deploy-prod`],
            ]) {
                expect(ask(boundary, action, arn), `${action} ${arn}`).to.equal("implicitDeny");
            }
            expect(JSON.stringify(boundary)).not.to.match(/"Action":"\*"|"iam:|"sts:/);
        });
    });

    describe("keys: only the stack's own, by their tags", () => {
        const dev = roleOf(DEV);

        it("administers keys tagged with the stack's project and stack, and no other (prod's keys are out of dev's reach)", () => {
            for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKeyRotation", "kms:EnableKeyRotation", "kms:UpdateKeyDescription"]) {
                expect(ask(dev, action, KEY, tagsOf("s3-crr", "dev")), action).to.equal("allow");
                expect(ask(dev, action, KEY, tagsOf("s3-crr", "prod")), `${action} on prod's key`).to.equal("implicitDeny");
                expect(ask(dev, action, KEY, tagsOf("other-project", "dev")), `${action} on another project's`).to.equal("implicitDeny");
                expect(ask(dev, action, KEY), `${action} on an untagged key`).to.equal("implicitDeny");
            }
            // Reads change nothing.
            expect(ask(dev, "kms:GetKeyPolicy", KEY, tagsOf("s3-crr", "prod"))).to.equal("allow");
        });

        it("cannot retag, untag or realias another stack's key into its scope", () => {
            expect(ask(dev, "kms:TagResource", KEY, tagsOf("s3-crr", "prod"))).to.equal("deny");
            expect(ask(dev, "kms:TagResource", KEY, tagsOf("other-project", "dev"))).to.equal("deny");
            expect(ask(dev, "kms:UntagResource", KEY, tagsOf("s3-crr", "prod"))).to.equal("deny");
            expect(ask(dev, "kms:UntagResource", KEY)).to.equal("deny");
            for (const action of ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"]) {
                expect(ask(dev, action, KEY, tagsOf("s3-crr", "prod")), action).to.equal("deny");
                expect(ask(dev, action, KEY), `${action} on an untagged key`).to.equal("deny");
            }
            // An untagged key that carries prod's alias is prod's.
            expect(ask(dev, "kms:TagResource", KEY, { "kms:ResourceAliases": ["alias/crr-prod-example-crr"] })).to.equal("deny");
            // What a deploy does to its own keys: tag them (CreateKey's tags come here, before the key has any).
            expect(ask(dev, "kms:TagResource", KEY, { "aws:RequestTag/Stack": "dev", "aws:RequestTag/Project": "s3-crr" })).to.equal("allow");
            expect(ask(dev, "kms:TagResource", KEY, { ...tagsOf("s3-crr", "dev"), "kms:ResourceAliases": ["alias/crr-dev-example-crr"] })).to.equal("allow");
            expect(ask(dev, "kms:CreateAlias", KEY, tagsOf("s3-crr", "dev"))).to.equal("allow");
        });
    });

    describe("destroy: only a force-destroying stack deletes data", () => {
        it("lets only a stack with forceDestroy delete object versions and recovery points", () => {
            const staging = roleOf({ ...PROD, stack: stackOf("staging", "crr-staging-example", true) });
            const prod = roleOf(PROD);
            const point = `arn:aws:backup:us-east-2:${ACCOUNT}:recovery-point:continuous:example`;
            expect(ask(staging, "s3:DeleteObjectVersion", "arn:aws:s3:::crr-staging-example-crrlab-us-east-2/a/b")).to.equal("allow");
            expect(ask(staging, "backup:DeleteRecoveryPoint", point)).to.equal("allow");
            expect(ask(staging, "backup:ListRecoveryPointsByBackupVault", `arn:aws:backup:us-east-2:${ACCOUNT}:backup-vault:crr-staging-example-us-east-2`)).to.equal("allow");
            expect(ask(prod, "s3:DeleteObjectVersion", "arn:aws:s3:::crr-prod-example-crrlab-us-east-2/a/b")).to.equal("implicitDeny");
            expect(ask(prod, "s3:DeleteObject", "arn:aws:s3:::crr-prod-example-crrlab-us-east-2/a/b")).to.equal("implicitDeny");
            expect(ask(prod, "backup:DeleteRecoveryPoint", point)).to.equal("implicitDeny");
            expect(Object.keys(byId(perms.deployPolicy(PROD)))).not.to.include.members(["EmptyBucketsOnDestroy", "DeleteRecoveryPointsOnDestroy"]);
            expect(byId(perms.deployPolicy(DEV)).EmptyBucketsOnDestroy).to.deep.include({
                Action: ["s3:DeleteObjectVersion"],
                Resource: ["arn:aws:s3:::crr-dev-example-crrlab-*/*", "arn:aws:s3:::logging-crr-dev-example-*/*"],
            });
        });

        it("reaches a long prefix's vaults in every region, cut and hashed names included", () => {
            const prefix = "a-forty-character-naming-prefix-for-crr1";
            expect(prefix).to.have.length(40);
            const role = roleOf({ ...PROD, stack: stackOf("long", prefix, true) });
            const boundary = perms.boundaryPolicy({ partition: "aws", accountId: ACCOUNT, namingPrefix: prefix }).Statement as Statement[];
            const hashed = AWS_REGIONS.filter((r) => backupName(prefix, r) !== `${prefix}-${r}`);
            expect(hashed).to.include.members(["ap-southeast-2", "eu-central-1"]);
            for (const region of AWS_REGIONS) {
                const vault = `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${backupName(prefix, region)}`;
                expect(ask(role, "backup:CreateBackupVault", vault), vault).to.equal("allow");
                expect(ask(role, "backup:DeleteBackupVault", vault), vault).to.equal("allow");
                expect(ask(boundary, "backup:CopyIntoBackupVault", vault), vault).to.equal("allow");
            }
            expect(backupName(prefix, "ap-southeast-2")).to.equal("a-forty-character-naming-pre-4e0ce5-ap-southeast-2");
        });
    });

    it("gives the preview role reads only (and the state's lock files), over every environment's prefix", () => {
        const doc = perms.previewPolicy({ partition: "aws", accountId: ACCOUNT, prefixes: ["crr-dev-example", "crr-prod-example"], stateBucket: "acme-pulumi-state" });
        const s = byId(doc);
        expect(Object.keys(s)).to.deep.equal([
            "Buckets",
            "Roles",
            "Trails",
            "LogGroups",
            "Keys",
            "AlertsTopics",
            "Alarms",
            "BackupFailureRules",
            "Dashboard",
            "BackupVaults",
            "BackupPlans",
            "AccessPoint",
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
        // No object data: the preview reads configuration, never an object (the state's objects aside).
        expect(doc.Statement.filter((st) => !st.Sid.startsWith("PulumiState")).flatMap((st) => st.Action as string[])).not.to.include("s3:GetObject");
        expect(s.PulumiStateObjects).to.deep.include({ Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-pulumi-state/.pulumi/*" });
        expect(s.PulumiStateLocks).to.deep.include({ Action: ["s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::acme-pulumi-state/.pulumi/locks/*" });
    });

    it("names no state bucket without a self-managed backend", () => {
        expect(perms.deployPolicy({ ...PROD, stateBucket: undefined }).Statement.map((s) => s.Sid)).not.to.include("PulumiStateBucket");
        expect(perms.previewPolicy({ partition: "aws", accountId: ACCOUNT, prefixes: ["crr-prod-example"] }).Statement.map((s) => s.Sid)).not.to.include("PulumiStateLocks");
    });

    it("stays within IAM's size limits with 40-character prefixes (the longest allowed)", () => {
        const prefixes = ["a", "b", "c", "d", "e"].map((c) => c.repeat(40));
        const longest = { ...PROD, stack: stackOf("production-eu-central", prefixes[0], true), stateBucket: "b".repeat(63) };
        // Inline policies of a role: 10,240 characters together; a managed policy: 6,144.
        expect(JSON.stringify(perms.deployPolicy(longest)).length).to.be.below(10240);
        expect(JSON.stringify(perms.deployGuardrails(longest)).length).to.be.below(6144);
        expect(JSON.stringify(perms.boundaryPolicy({ partition: "aws", accountId: ACCOUNT, namingPrefix: prefixes[0] })).length).to.be.below(6144);
        expect(JSON.stringify(perms.previewPolicy({ partition: "aws", accountId: ACCOUNT, prefixes, stateBucket: "b".repeat(63) })).length).to.be.below(10240);
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
