/**
 * A stack over a bucket that exists (issue 23), planned as a user runs it (`npm run plan` as a process) under
 * the policy pack in strict mode: tests/fixtures/stacks/Pulumi.adopted.yaml adopts acme-orders-data in
 * us-east-2, with its own policy statement, lifecycle rule and queue, and turns batchReplication on.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planCli } from "../support/planCli";

const ADOPTED = "acme-orders-data";
const BUCKET = "aws:s3/bucket:Bucket";

describe("a stack over an existing bucket, end to end", function () {
    this.timeout(120000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adopted-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    let resources: { type: string; name: string; inputs: Record<string, any>; read?: boolean; retainOnDelete?: boolean }[];
    let out: string;
    let estimate: { lines: { part: string; region: string; price: string; quantity: number; monthly: number; resources: string[] }[]; perWorkload: number; total: number; notCounted: string[] };

    before(async () => {
        const json = path.join(tmp, "plan.json");
        const run = await planCli(["--stack", "tests/fixtures/stacks/Pulumi.adopted.yaml", "--strict", "--json", json]);
        expect(run.code, run.out).to.equal(0);
        out = run.out;
        ({ resources, estimate } = JSON.parse(fs.readFileSync(json, "utf8")));
    });

    it("reads the adopted bucket under the side's bucket name and plans no Bucket create for it", () => {
        const bucket = resources.find((r) => r.type === BUCKET && r.name === "crr-primary-bucket")!;
        expect(bucket.read).to.equal(true);
        const created = resources.filter((r) => r.type === BUCKET && !r.read);
        expect(created.map((r) => r.inputs.bucket).sort()).to.deep.equal(["crr-adopt-example-crrlab-us-west-2", "logging-crr-adopt-example-us-east-2", "logging-crr-adopt-example-us-west-2"]);
        expect(created.map((r) => r.inputs.bucket)).to.not.include(ADOPTED);
        expect(out).to.contain("= aws:s3/bucket:Bucket  crr-primary-bucket  (read: exists already; never created, changed or deleted)");
        expect(out).to.match(/Plan: 64 resources to create \(26 in us-east-2, 26 in us-west-2, 12 in global\), 1 read, 2 providers, 1 component; 0 mandatory, 2 advisory/);
    });

    it("configures the adopted bucket by name, keeping its versioning, public access block and ownership on destroy", () => {
        for (const type of ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls"]) {
            const r = resources.find((x) => x.type === type && x.name.startsWith("crr-primary-bucket-"))!;
            expect(r.inputs.bucket, type).to.equal(ADOPTED);
            expect(r.retainOnDelete, type).to.equal(true);
        }
        const config = resources.find((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig" && r.name === "crr-primary-replication")!;
        expect(config.inputs.bucket).to.equal(ADOPTED);
    });

    it("merges the bucket's statement, rule and queue into the component's policy, lifecycle and notification", () => {
        const policy = JSON.parse(resources.find((r) => r.name === "crr-primary-bucket-policy")!.inputs.policy);
        expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal(["DenyInsecureTransport", "AnalyticsRead"]);
        const lifecycle = resources.find((r) => r.name === "crr-primary-bucket-lifecycle")!;
        expect(lifecycle.inputs.rules.map((r: { id: string }) => r.id)).to.deep.equal(["expire-noncurrent-versions", "expire-tmp"]);
        const notification = resources.find((r) => r.name === "crr-primary-bucket-notification")!;
        expect(notification.inputs.queues[0].queueArn).to.equal("arn:aws:sqs:us-east-2:123456789012:orders-ingest");
    });

    it("plans a Batch Replication role per region, named by the prefix and region", () => {
        const roles = resources.filter((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-batch-replication-role"));
        expect(roles.map((r) => r.inputs.name).sort()).to.deep.equal(["crr-adopt-example-s3batch-us-east-2", "crr-adopt-example-s3batch-us-west-2"]);
        expect(roles.every((r) => r.inputs.permissionsBoundary === "arn:aws:iam::123456789012:policy/github-deploy-adopted-boundary")).to.equal(true);
    });

    it("prices what the stack adds: not the adopted bucket's own storage and requests, named as left out with the backfill's one-time transfer", () => {
        // The replicas in us-west-2, the transfer, the trails' data events; no storage, PUT or GET line for the adopted bucket.
        expect(estimate.lines.filter((l) => l.part === "workload").map((l) => [l.region, l.price, l.quantity, l.monthly, l.resources.join(" ")])).to.deep.equal([
            ["us-east-2", "cloudtrail-data-events", 1_000_000, 1, "crr-primary-trail"],
            ["us-east-2", "s3-inter-region-transfer", 100, 2, "crr-primary-replication"],
            ["us-west-2", "cloudtrail-data-events", 1_000_000, 1, "crr-secondary-trail"],
            ["us-west-2", "s3-put-standard", 1_000_000, 5, "crr-primary-replication crr-secondary-bucket"],
            ["us-west-2", "s3-storage-standard", 1000, 23, "crr-secondary-bucket"],
        ]);
        expect([estimate.perWorkload, estimate.total]).to.deep.equal([32, 39.8]);
        expect(estimate.notCounted).to.deep.equal([
            "crr-primary-bucket (acme-orders-data) exists already: its own storage (1,000 GB), PUTs and GETs cost what they cost today, with or without this stack: left out",
            "a backfill (npm run backfill) copies the 1,000 GB already in acme-orders-data once ($20.00 of transfer between regions to its 1 destination), plus S3 Batch Operations' job and per-object fees (README): a one-time cost, not monthly",
        ]);
        expect(out).to.contain("  total: $39.80 a month\n  not counted: crr-primary-bucket (acme-orders-data) exists already");
    });
});
