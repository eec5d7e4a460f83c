import { expect } from "chai";
import { Policy } from "@pulumi/policy";
import { describeViolations, policyNamed, Record_, res, RunOptions, runPolicies } from "./harness";

const B = "aws:s3/bucket:Bucket";
const REPL = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const LC = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const PLAN = "aws:backup/plan:Plan";
const SEL = "aws:backup/selection:Selection";

async function messages(policy: Policy, records: Record_[], options: RunOptions = {}): Promise<string[]> {
    return describeViolations(await runPolicies([policy], records, options)).map((l) => l.replace(/^\[[a-z]+\] [a-z0-9-]+: /, ""));
}

/** A compliant stack: src replicates to dst, both expire noncurrent versions, dst is in a continuous backup plan. */
function stack(change: { lifecycleRule?: Record<string, unknown> | null; planRules?: unknown[]; selection?: boolean } = {}) {
    const src = res(B, "src", { bucket: "src" });
    const dst = res(B, "dst", { bucket: "dst" });
    const repl = res(REPL, "repl", { bucket: "src", role: "r", rules: [{ destination: { bucket: "arn:aws:s3:::dst" } }] }, { propDeps: { bucket: [src], rules: [dst] } });
    const rule = change.lifecycleRule === undefined ? { status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } } : change.lifecycleRule;
    const lifecycles = rule === null ? [] : [src, dst].map((b) => res(LC, `${b.name}-lifecycle`, { bucket: b.name, rules: [rule] }, { propDeps: { bucket: [b] }, deps: [repl] }));
    const plan = res(PLAN, "plan", { name: "p", rules: change.planRules ?? [{ ruleName: "continuous", enableContinuousBackup: true, lifecycle: { deleteAfter: 35 } }] });
    const selection =
        change.selection === false ? [] : [res(SEL, "sel", { name: "s", planId: "plan-id", iamRoleArn: "r", resources: ["arn:aws:s3:::dst"] }, { propDeps: { planId: [plan], resources: [dst] } })];
    return [src, dst, repl, ...lifecycles, plan, ...selection];
}

describe("recovery policies", () => {
    describe("s3-replicated-bucket-noncurrent-version-expiration", () => {
        const policy = policyNamed("s3-replicated-bucket-noncurrent-version-expiration");
        it("passes buckets whose lifecycle expires noncurrent versions", async () => {
            expect(await messages(policy, stack())).to.deep.equal([]);
        });
        it("names both ends of a replication without a lifecycle", async () => {
            expect(await messages(policy, stack({ lifecycleRule: null }))).to.deep.equal([
                "Replicated Bucket 'src' never expires its noncurrent versions: no enabled lifecycle rule sets noncurrentVersionExpiration.",
                "Replicated Bucket 'dst' never expires its noncurrent versions: no enabled lifecycle rule sets noncurrentVersionExpiration.",
            ]);
        });
        it("does not count a disabled rule, nor a rule that only expires current versions", async () => {
            expect(await messages(policy, stack({ lifecycleRule: { status: "Disabled", noncurrentVersionExpiration: { noncurrentDays: 90 } } }))).to.have.length(2);
            expect(await messages(policy, stack({ lifecycleRule: { status: "Enabled", expiration: { days: 30 } } }))).to.have.length(2);
        });
        it("leaves rules not known during a preview to be judged later", async () => {
            expect(await messages(policy, stack(), { preview: true })).to.deep.equal([]);
        });
    });

    describe("s3-replication-point-in-time-backup", () => {
        const policy = policyNamed("s3-replication-point-in-time-backup");
        it("passes a destination selected by a plan with a continuous rule", async () => {
            expect(await messages(policy, stack())).to.deep.equal([]);
        });
        it("names a destination no selection covers (the source is not required)", async () => {
            expect(await messages(policy, stack({ selection: false }))).to.deep.equal([
                "Replication destination Bucket 'dst' has no point-in-time backup: no AWS Backup selection with a continuous rule covers it.",
            ]);
        });
        it("does not count a plan with periodic snapshots only", async () => {
            expect(await messages(policy, stack({ planRules: [{ ruleName: "daily", schedule: "cron(0 5 ? * * *)", lifecycle: { deleteAfter: 35 } }] }))).to.have.length(1);
        });
        it("is advisory: a stack may back up elsewhere", () => {
            expect(policy.enforcementLevel).to.equal("advisory");
        });
    });
});
