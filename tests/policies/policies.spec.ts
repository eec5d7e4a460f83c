import { expect } from "chai";
import { Policy } from "@pulumi/policy";
import { describeViolations, policyNamed, Record_, res, RunOptions, runPolicies } from "./harness";

const B = "aws:s3/bucket:Bucket";
const BV2 = "aws:s3/bucketV2:BucketV2";
const VER = "aws:s3/bucketVersioning:BucketVersioning";
const VER2 = "aws:s3/bucketVersioningV2:BucketVersioningV2";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const SSE2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const REPL = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";

const provider = (region: string) => res("pulumi:providers:aws", `aws-${region}`, { region });
const east = provider("us-east-2");
const west = provider("us-west-2");

/** Messages one policy reports over `records` (with the two providers in the stack). */
async function messages(policy: Policy, records: Record_[], options: RunOptions = {}): Promise<string[]> {
    const vs = await runPolicies([policy], [east, west, ...records], options);
    return describeViolations(vs).map((l) => l.replace(/^\[[a-z]+\] [a-z0-9-]+: /, ""));
}

const bucket = (name: string, inputs: Record<string, any> = {}, type = B, p = east) => res(type, name, { bucket: name, ...inputs }, { provider: p });
const versioning = (b: Record_, status: string, type = VER) =>
    res(type, `${b.name}-versioning`, { bucket: b.name, versioningConfiguration: { status } }, { propDeps: { bucket: [b] } });

describe("policies, one at a time", () => {
    describe("s3-bucket-versioning-enabled", () => {
        const policy = policyNamed("s3-bucket-versioning-enabled");
        it("passes BucketVersioning and BucketVersioningV2 set to Enabled, and the inline property", async () => {
            const a = bucket("a");
            const b = bucket("b", {}, BV2);
            const c = bucket("c", { versioning: { enabled: true } });
            expect(await messages(policy, [a, versioning(a, "Enabled"), b, versioning(b, "Enabled", VER2), c])).to.deep.equal([]);
        });
        it("names a bucket without versioning, one Suspended (either token), and inline disabled", async () => {
            const a = bucket("a");
            const b = bucket("b");
            const c = bucket("c", {}, BV2);
            const d = bucket("d", { versioning: { enabled: false } });
            expect(await messages(policy, [a, b, versioning(b, "Suspended"), c, versioning(c, "Suspended", VER2), d])).to.deep.equal([
                "Bucket 'a' has no versioning: nothing sets its status to Enabled.",
                "Bucket 'b' has versioning Suspended by BucketVersioning 'b-versioning'; it must be Enabled.",
                "BucketV2 'c' has versioning Suspended by BucketVersioningV2 'c-versioning'; it must be Enabled.",
                "Bucket 'd' has no versioning: nothing sets its status to Enabled.",
            ]);
        });
        it("joins a versioning resource that names its bucket literally (no dependency)", async () => {
            const a = bucket("literal-bucket");
            const v = res(VER, "v", { bucket: "literal-bucket", versioningConfiguration: { status: "Enabled" } });
            expect(await messages(policy, [a, v])).to.deep.equal([]);
        });
        it("joins through property dependencies during a preview, when the bucket id is unknown", async () => {
            const a = bucket("a");
            expect(await messages(policy, [a, versioning(a, "Enabled")], { preview: true })).to.deep.equal([]);
        });
    });

    describe("s3-bucket-encryption-enabled", () => {
        const policy = policyNamed("s3-bucket-encryption-enabled");
        const sse = (b: Record_, algorithm: string, type = SSE) =>
            res(type, `${b.name}-sse`, { bucket: b.name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm } }] }, { propDeps: { bucket: [b] } });
        it("passes both tokens and the inline form", async () => {
            const a = bucket("a");
            const b = bucket("b", {}, BV2);
            const c = bucket("c", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } });
            expect(await messages(policy, [a, sse(a, "AES256"), b, sse(b, "aws:kms", SSE2), c])).to.deep.equal([]);
        });
        it("names a bucket without default encryption", async () => {
            expect(await messages(policy, [bucket("plain")])).to.deep.equal(["Bucket 'plain' has no default encryption configuration."]);
        });
        it("demands SSE-KMS when configured with requireKms", async () => {
            const a = bucket("a");
            const b = bucket("b");
            expect(await messages(policy, [a, sse(a, "AES256"), b, sse(b, "aws:kms")], { config: { [policy.name]: { requireKms: true } } })).to.deep.equal([
                "Bucket 'a' uses default encryption 'AES256'; allowed: aws:kms, aws:kms:dsse.",
            ]);
        });
        it("exempts targets of S3 server access logging from requireKms, and refuses KMS on them in any mode", async () => {
            const data = bucket("data");
            const logs = bucket("logs");
            const kmsLogs = bucket("kms-logs");
            const target = (source: Record_, t: Record_) =>
                res("aws:s3/bucketLogging:BucketLogging", `${source.name}-to-${t.name}`, { bucket: source.name, targetBucket: t.name, targetPrefix: "p/" }, { propDeps: { bucket: [source], targetBucket: [t] } });
            const stack = [data, sse(data, "aws:kms"), logs, sse(logs, "AES256"), target(data, logs)];
            expect(await messages(policy, stack, { config: { [policy.name]: { requireKms: true } } })).to.deep.equal([]);
            expect(await messages(policy, [...stack, kmsLogs, sse(kmsLogs, "aws:kms"), target(data, kmsLogs)])).to.deep.equal([
                "Bucket 'kms-logs' uses default encryption 'aws:kms'; allowed: AES256 (it receives S3 server access logs, which S3 delivers only to SSE-S3 buckets).",
            ]);
        });
    });

    describe("s3-replication-prerequisites", () => {
        const policy = policyNamed("s3-replication-prerequisites");
        /** Two versioned buckets and a configuration from the first to the second. */
        const setup = (o: { destinationRegion?: Record_; dependsOnVersioning?: boolean; rule?: Record<string, any>; role?: string; destStatus?: string } = {}) => {
            const src = bucket("src");
            const dst = bucket("dst", {}, B, o.destinationRegion ?? west);
            const vs = versioning(src, "Enabled");
            const vd = versioning(dst, o.destStatus ?? "Enabled");
            const rule = { id: "r", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: "arn:aws:s3:::dst" }, ...o.rule };
            const config = res(REPL, "repl", { bucket: "src", role: o.role ?? "arn:aws:iam::1:role/r", rules: [rule] }, {
                propDeps: { bucket: [src], rules: [dst] },
                deps: o.dependsOnVersioning === false ? [] : [vs, vd],
            });
            return [src, dst, vs, vd, config];
        };
        it("passes a configuration ordered after both versionings, with a role, enabled rules and another region", async () => {
            expect(await messages(policy, setup())).to.deep.equal([]);
        });
        it("names both missing dependencies", async () => {
            expect(await messages(policy, setup({ dependsOnVersioning: false }))).to.deep.equal([
                "BucketReplicationConfig 'repl' does not depend on BucketVersioning 'src-versioning' (versioning of its source Bucket 'src'): add it to dependsOn, or S3 may reject the configuration before versioning is in place.",
                "BucketReplicationConfig 'repl' does not depend on BucketVersioning 'dst-versioning' (versioning of its destination Bucket 'dst'): add it to dependsOn, or S3 may reject the configuration before versioning is in place.",
            ]);
        });
        it("accepts the dependency through an intermediate resource", async () => {
            const [src, dst, vs, vd] = setup();
            const gate = res("aws:iam/rolePolicy:RolePolicy", "gate", {}, { deps: [vs, vd] });
            const config = res(REPL, "repl", { bucket: "src", role: "r", rules: [{ status: "Enabled", deleteMarkerReplication: { status: "Enabled" } }] }, { propDeps: { bucket: [src], rules: [dst] }, deps: [gate] });
            expect(await messages(policy, [src, dst, vs, vd, gate, config])).to.deep.equal([]);
        });
        it("names a destination whose versioning is Suspended", async () => {
            expect(await messages(policy, setup({ destStatus: "Suspended" }))).to.deep.equal([
                "BucketReplicationConfig 'repl': its destination Bucket 'dst' has versioning Suspended; replication needs Enabled.",
            ]);
        });
        it("names a disabled rule, an unstated delete-marker replication, a missing role and a same-region destination", async () => {
            const found = await messages(policy, setup({ destinationRegion: east, role: "", rule: { status: "Disabled", deleteMarkerReplication: undefined } }));
            expect(found).to.deep.equal([
                "BucketReplicationConfig 'repl' names no IAM role for S3 to assume.",
                "BucketReplicationConfig 'repl': rule 'r' is Disabled; every rule must be Enabled.",
                "BucketReplicationConfig 'repl': rule 'r' does not state deleteMarkerReplication (Enabled or Disabled).",
                "BucketReplicationConfig 'repl': destination Bucket 'dst' is in the source's region (us-east-2); cross-region replication needs another region.",
            ]);
        });
        it("uses a resource's own region argument over its provider's", async () => {
            const [src, , vs, vd] = setup();
            const dst = res(B, "dst", { bucket: "dst", region: "us-east-2" }, { provider: west });
            const vd2 = { ...vd, propertyDependencies: { bucket: [dst.urn] } };
            const config = res(REPL, "repl", { bucket: "src", role: "r", rules: [{ status: "Enabled", deleteMarkerReplication: { status: "Disabled" } }] }, { propDeps: { bucket: [src], rules: [dst] }, deps: [vs, vd2] });
            expect((await messages(policy, [src, dst, vs, vd2, config])).pop()).to.match(/is in the source's region \(us-east-2\)/);
        });
    });

    describe("s3-bidirectional-pairs", () => {
        const policy = policyNamed("s3-bidirectional-pairs");
        const pair = res("s3crr:index:CrrPair", "pair", {});
        const a = res(B, "a", { bucket: "a" }, { parent: pair });
        const b = res(B, "b", { bucket: "b" }, { parent: pair });
        const conf = (from: Record_, to: Record_) => res(REPL, `${from.name}-to-${to.name}`, { bucket: from.name, rules: [] }, { parent: pair, propDeps: { bucket: [from], rules: [to] } });
        it("passes a pair that replicates both ways, and ignores one-way replication outside a CrrPair", async () => {
            const x = bucket("x");
            const y = bucket("y");
            const oneWay = res(REPL, "x-to-y", { bucket: "x", rules: [] }, { propDeps: { bucket: [x], rules: [y] } });
            expect(await messages(policy, [pair, a, b, conf(a, b), conf(b, a), x, y, oneWay])).to.deep.equal([]);
        });
        it("names the missing reverse direction, and a pair with no replication", async () => {
            const empty = res("s3crr:index:CrrPair", "empty", {});
            expect(await messages(policy, [pair, a, b, conf(a, b), empty])).to.deep.equal([
                "CrrPair 'pair' replicates Bucket 'a' to Bucket 'b' but not back: the reverse direction is missing.",
                "CrrPair 'empty' has no replication configuration at all.",
            ]);
        });
    });

    describe("s3-bucket-public-access-block", () => {
        const policy = policyNamed("s3-bucket-public-access-block");
        const flags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        it("passes all four flags, and an account-wide block", async () => {
            const a = bucket("a");
            expect(await messages(policy, [a, res(PAB, "pab", { bucket: "a", ...flags }, { propDeps: { bucket: [a] } })])).to.deep.equal([]);
            expect(await messages(policy, [bucket("z"), res("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "acct", flags)])).to.deep.equal([]);
        });
        it("names a missing block and the flags left off", async () => {
            const a = bucket("a");
            const b = bucket("b");
            const weak = res(PAB, "weak", { bucket: "b", ...flags, restrictPublicBuckets: false, ignorePublicAcls: undefined }, { propDeps: { bucket: [b] } });
            expect(await messages(policy, [a, b, weak])).to.deep.equal([
                "Bucket 'a' has no public access block.",
                "Bucket 'b' has public access block flags not set to true: ignorePublicAcls, restrictPublicBuckets.",
            ]);
        });
    });

    describe("s3-bucket-tls-only", () => {
        const policy = policyNamed("s3-bucket-tls-only");
        const deny = (arn: string) => ({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } });
        it("passes a split policy, an inline policy, and one still unknown in preview", async () => {
            const a = bucket("a");
            const p = res("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "a", policy: JSON.stringify({ Statement: [deny("arn:aws:s3:::a")] }) }, { propDeps: { bucket: [a] } });
            const b = bucket("b", { policy: JSON.stringify({ Statement: [deny("arn:aws:s3:::b")] }) });
            const c = bucket("c");
            const pc = res("aws:s3/bucketPolicy:BucketPolicy", "pc", { bucket: "c", policy: "{}" }, { propDeps: { bucket: [c], policy: [c] } });
            expect(await messages(policy, [a, p, b, c, pc], { preview: true })).to.deep.equal([]);
        });
        it("names a bucket with no policy and one whose deny misses the objects", async () => {
            const a = bucket("a");
            const b = bucket("b");
            const partial = { ...deny("arn:aws:s3:::b"), Resource: "arn:aws:s3:::b" };
            const p = res("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "b", policy: { Statement: [partial] } }, { propDeps: { bucket: [b] } });
            expect(await messages(policy, [a, b, p])).to.deep.equal([
                "Bucket 'a' has no bucket policy statement denying requests without TLS.",
                "Bucket 'b' has no bucket policy statement denying requests without TLS.",
            ]);
        });
    });

    describe("s3-bucket-acls-disabled", () => {
        const policy = policyNamed("s3-bucket-acls-disabled");
        const own = (b: Record_, objectOwnership: string) => res("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${b.name}-own`, { bucket: b.name, rule: { objectOwnership } }, { propDeps: { bucket: [b] } });
        it("passes BucketOwnerEnforced", async () => {
            const a = bucket("a");
            expect(await messages(policy, [a, own(a, "BucketOwnerEnforced")])).to.deep.equal([]);
        });
        it("names missing controls, another ownership, and public ACLs by resource or inline", async () => {
            const a = bucket("a");
            const b = bucket("b");
            const c = bucket("c", { acl: "public-read" });
            const acl = res("aws:s3/bucketAclV2:BucketAclV2", "acl", { bucket: "b", acl: "public-read-write" }, { propDeps: { bucket: [b] } });
            expect(await messages(policy, [a, b, own(b, "ObjectWriter"), acl, c, own(c, "BucketOwnerEnforced")])).to.deep.equal([
                "Bucket 'a' has no ownership controls: ACLs stay enabled.",
                "Bucket 'b' has object ownership 'ObjectWriter'; ACLs are disabled only with BucketOwnerEnforced.",
                "Bucket 'b' has a public ACL (public-read-write).",
                "Bucket 'c' has a public ACL (public-read).",
            ]);
        });
    });

    describe("cloudtrail-replicated-bucket-auditing", () => {
        const policy = policyNamed("cloudtrail-replicated-bucket-auditing");
        const replicated = () => {
            const src = bucket("src");
            const dst = bucket("dst", {}, B, west);
            const config = res(REPL, "repl", { bucket: "src", rules: [] }, { propDeps: { bucket: [src], rules: [dst] } });
            return { src, dst, config };
        };
        const trail = (name: string, inputs: Record<string, any>, propDeps: Record<string, Record_[]> = {}) =>
            res("aws:cloudtrail/trail:Trail", name, { enableLogFileValidation: true, cloudWatchLogsGroupArn: "arn:aws:logs:us-east-2:1:log-group:g:*", ...inputs }, { propDeps });
        it("passes trails covering both buckets, by dependency, by literal ARN and by advanced selector", async () => {
            const { src, dst, config } = replicated();
            const t1 = trail("t1", { eventSelectors: [{ readWriteType: "WriteOnly", dataResources: [{ type: "AWS::S3::Object", values: ["x"] }] }] }, { eventSelectors: [src] });
            const t2 = trail("t2", {
                advancedEventSelectors: [{ fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }, { field: "resources.ARN", startsWith: ["arn:aws:s3:::dst/"] }] }],
            });
            expect(await messages(policy, [src, dst, config, t1, t2])).to.deep.equal([]);
            const t3 = trail("t3", { eventSelectors: [{ readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::dst/"] }] }] });
            expect(await messages(policy, [src, dst, config, t1, t3])).to.deep.equal([]);
        });
        it("names an uncovered replicated bucket, and a trail without validation or CloudWatch Logs", async () => {
            const { src, dst, config } = replicated();
            const weak = trail("weak", { enableLogFileValidation: false, cloudWatchLogsGroupArn: undefined, eventSelectors: [{ readWriteType: "ReadOnly", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::src/"] }] }] });
            expect(await messages(policy, [src, dst, config, weak])).to.deep.equal([
                "Trail 'weak' does not validate its log files (enableLogFileValidation).",
                "Trail 'weak' does not deliver to CloudWatch Logs (cloudWatchLogsGroupArn).",
                "Replicated Bucket 'src' has no CloudTrail trail recording its S3 data events.",
                "Replicated Bucket 'dst' has no CloudTrail trail recording its S3 data events.",
            ]);
        });
    });

    describe("s3-replicated-bucket-access-logging", () => {
        const policy = policyNamed("s3-replicated-bucket-access-logging");
        const LOGGING = "aws:s3/bucketLogging:BucketLogging";
        const replicated = () => {
            const src = bucket("src");
            const dst = bucket("dst", {}, B, west);
            const logs = bucket("logs");
            const config = res(REPL, "repl", { bucket: "src", rules: [] }, { propDeps: { bucket: [src], rules: [dst] } });
            return { src, dst, logs, config };
        };
        const trail = (name: string, selectors: Record<string, any>) =>
            res("aws:cloudtrail/trail:Trail", name, { enableLogFileValidation: true, cloudWatchLogsGroupArn: "g", ...selectors });
        it("passes access logging by BucketLogging or inline, and a trail recording read events (basic All, advanced readOnly)", async () => {
            const { src, dst, logs, config } = replicated();
            const access = res(LOGGING, "src-logging", { bucket: "src", targetBucket: "logs", targetPrefix: "s3-access-logs/src/" }, { propDeps: { bucket: [src], targetBucket: [logs] } });
            const reads = trail("reads", { eventSelectors: [{ readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::dst/"] }] }] });
            expect(await messages(policy, [src, dst, logs, config, access, reads])).to.deep.equal([]);
            const inlineDst = bucket("dst", { logging: { targetBucket: "logs" } }, B, west);
            const configInline = res(REPL, "repl", { bucket: "src", rules: [] }, { propDeps: { bucket: [src], rules: [inlineDst] } });
            const advanced = trail("adv", {
                advancedEventSelectors: [{ fieldSelectors: [{ field: "resources.type", equals: ["AWS::S3::Object"] }, { field: "readOnly", equals: ["true"] }, { field: "resources.ARN", startsWith: ["arn:aws:s3:::src/"] }] }],
            });
            expect(await messages(policy, [src, inlineDst, logs, configInline, advanced])).to.deep.equal([]);
        });
        it("names replicated buckets whose reads nothing audits: a write-only trail does not count, nor logging of another bucket", async () => {
            const { src, dst, logs, config } = replicated();
            const writes = trail("writes", { eventSelectors: [{ readWriteType: "WriteOnly", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::src/", "arn:aws:s3:::dst/"] }] }] });
            const other = res(LOGGING, "logs-logging", { bucket: "logs", targetBucket: "logs", targetPrefix: "self/" }, { propDeps: { bucket: [logs], targetBucket: [logs] } });
            expect(await messages(policy, [src, dst, logs, config, writes, other])).to.deep.equal([
                "Replicated Bucket 'src' has neither S3 server access logging nor a trail recording its read data events: reads of the replicated data are not audited.",
                "Replicated Bucket 'dst' has neither S3 server access logging nor a trail recording its read data events: reads of the replicated data are not audited.",
            ]);
        });
    });

    describe("cloudwatch-log-group-retention", () => {
        const policy = policyNamed("cloudwatch-log-group-retention");
        const group = (days?: number) => res("aws:cloudwatch/logGroup:LogGroup", `g${days}`, days === undefined ? {} : { retentionInDays: days });
        it("accepts 30 days, forever (0 or unset), and a configured lower minimum", async () => {
            expect(await messages(policy, [group(30), group(0), group(undefined)])).to.deep.equal([]);
            expect(await messages(policy, [group(7)], { config: { [policy.name]: { minimumDays: 7 } } })).to.deep.equal([]);
        });
        it("names a group kept shorter than the minimum", async () => {
            expect(await messages(policy, [group(14), group(365)], { config: { [policy.name]: { minimumDays: 90 } } })).to.deep.equal([
                "LogGroup 'g14' keeps events 14 days; the minimum is 90.",
            ]);
        });
    });

    describe("replication-role-least-privilege", () => {
        const policy = policyNamed("replication-role-least-privilege");
        const trust = (service: unknown) => JSON.stringify({ Statement: [{ Effect: "Allow", Principal: service, Action: "sts:AssumeRole" }] });
        const setup = (trustDoc: string, permissions: object[]) => {
            const role = res("aws:iam/role:Role", "role", { assumeRolePolicy: trustDoc });
            const policyRes = res("aws:iam/rolePolicy:RolePolicy", "perms", { role: "role", policy: JSON.stringify({ Statement: permissions }) }, { propDeps: { role: [role] } });
            const config = res(REPL, "repl", { role: "arn" }, { propDeps: { role: [role] } });
            return [role, policyRes, config];
        };
        const exact = [
            { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: "arn:aws:s3:::src" },
            { Effect: "Allow", Action: ["s3:ReplicateObject"], Resource: ["arn:aws:s3:::dst/*"] },
        ];
        it("passes an S3-only trust and exact ARNs", async () => {
            expect(await messages(policy, setup(trust({ Service: "s3.amazonaws.com" }), exact))).to.deep.equal([]);
        });
        it("names other principals and wildcard actions and resources, in inline and managed policies too", async () => {
            const [role, perms, config] = setup(trust({ Service: ["s3.amazonaws.com", "ec2.amazonaws.com"], AWS: "*" }), [
                { Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::lab-crrlab-*" },
                { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
            ]);
            const managed = res("aws:iam/policy:Policy", "managed", { policy: { Statement: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::dst/*" }] } });
            const attach = res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "role" }, { propDeps: { role: [role], policyArn: [managed] } });
            expect(await messages(policy, [role, perms, config, managed, attach])).to.deep.equal([
                "Role 'role' is a replication role trusted by Service:ec2.amazonaws.com, AWS:*; only s3.amazonaws.com may assume it.",
                "RolePolicy 'perms' of replication Role 'role' grants wildcards: action 's3:Get*', resource 'arn:aws:s3:::lab-crrlab-*', resource '*'.",
                "Policy 'managed' of replication Role 'role' grants wildcards: action '*'.",
            ]);
        });
    });

    describe("batch-replication-role-least-privilege", () => {
        const policy = policyNamed("batch-replication-role-least-privilege");
        const trust = (principal: unknown) => JSON.stringify({ Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });
        const role = (trustDoc: string) => res("aws:iam/role:Role", "batch", { assumeRolePolicy: trustDoc });
        const perms = (r: Record_, statements: object[]) =>
            res("aws:iam/rolePolicy:RolePolicy", "batch-perms", { role: "batch", policy: JSON.stringify({ Statement: statements }) }, { propDeps: { role: [r] } });
        // What the component writes: AWS's policy for a generated manifest, the report prefix of the logging bucket.
        const documented = [
            { Effect: "Allow", Action: ["s3:InitiateReplication"], Resource: "arn:aws:s3:::orders/*" },
            { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"], Resource: "arn:aws:s3:::orders" },
            { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: "arn:aws:s3:::logging-orders/batch-replication/*" },
            { Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::logging-orders/batch-replication/*" },
        ];
        const batchTrust = trust({ Service: "batchoperations.s3.amazonaws.com" });

        it("passes the documented trust and policy on exact ARNs", async () => {
            const r = role(batchTrust);
            expect(await messages(policy, [r, perms(r, documented)])).to.deep.equal([]);
        });
        it("names a missing action, saying what the job then cannot do", async () => {
            const r = role(batchTrust);
            expect(await messages(policy, [r, perms(r, documented.slice(0, 1).concat(documented.slice(2)))])).to.deep.equal([
                "Role 'batch' is a Batch Replication role without s3:GetReplicationConfiguration (the manifest generator cannot read the source's replication rules), " +
                    "s3:PutInventoryConfiguration (the manifest generator cannot list the source's objects).",
            ]);
        });
        it("names a role granted s3:InitiateReplication but trusted by another principal", async () => {
            const r = role(trust({ Service: "s3.amazonaws.com" }));
            expect(await messages(policy, [r, perms(r, documented)])).to.deep.equal([
                "Role 'batch' is a Batch Replication role trusted by Service:s3.amazonaws.com; only batchoperations.s3.amazonaws.com may assume it.",
            ]);
        });
        it("names a second principal beside Batch Operations", async () => {
            const r = role(trust({ Service: "batchoperations.s3.amazonaws.com", AWS: "arn:aws:iam::111111111111:root" }));
            expect(await messages(policy, [r, perms(r, documented)])).to.deep.equal([
                "Role 'batch' is a Batch Replication role trusted by AWS:arn:aws:iam::111111111111:root; only batchoperations.s3.amazonaws.com may assume it.",
            ]);
        });
        it("names a wildcard resource where the bucket's ARN is known", async () => {
            const r = role(batchTrust);
            const wide = [{ ...documented[0], Resource: "*" }, documented[1], { ...documented[3], Resource: "arn:aws:s3:::logging-*/*" }, documented[2]];
            expect(await messages(policy, [r, perms(r, wide)])).to.deep.equal([
                "RolePolicy 'batch-perms' of Batch Replication Role 'batch' grants wildcards: resource '*', resource 'arn:aws:s3:::logging-*/*'.",
            ]);
        });
        it("leaves other roles alone", async () => {
            const r = role(trust({ Service: "backup.amazonaws.com" }));
            expect(await messages(policy, [r, perms(r, [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" }])])).to.deep.equal([]);
        });
    });

    describe("s3-replication-failure-alarm", () => {
        const policy = policyNamed("s3-replication-failure-alarm");
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // what the SDK reads as a string not known yet
        // Two configurations whose rules share one id: only the source bucket tells their alarms apart.
        const a = bucket("a");
        const b = bucket("b");
        const config = (source: Record_) =>
            res(REPL, `${source.name}-replication`, { bucket: source.name, rules: [{ id: "r1", status: "Enabled", destination: { bucket: "arn:aws:s3:::x", metrics: { status: "Enabled" } } }] }, { propDeps: { bucket: [source] } });
        const alarm = (name: string, dimensions: unknown, metricName = "OperationsFailedReplication") =>
            res("aws:cloudwatch/metricAlarm:MetricAlarm", name, { namespace: "AWS/S3", metricName, dimensions });
        const missing = (source: string) =>
            `BucketReplicationConfig '${source}-replication' rule 'r1' has replication metrics but no alarm on its OperationsFailedReplication: objects ` +
            `that fail to replicate are counted and nobody is told. Fix: add a MetricAlarm on that metric with RuleId "r1" and SourceBucket "${source}", threshold 0.`;
        const stack = (...alarms: Record_[]) => [a, b, config(a), config(b), ...alarms];

        it("matches an alarm to a rule by RuleId and SourceBucket; one without SourceBucket covers every source", async () => {
            expect(await messages(policy, stack(alarm("for-a", { RuleId: "r1", SourceBucket: "a" }), alarm("other-metric", { RuleId: "r1" }, "ReplicationLatency")))).to.deep.equal([missing("b")]);
            expect(await messages(policy, stack(alarm("any-source", { RuleId: "r1" })))).to.deep.equal([]);
            expect(await messages(policy, stack(alarm("other-rule", { RuleId: "r2", SourceBucket: "a" })))).to.deep.equal([missing("a"), missing("b")]);
        });

        it("takes an alarm whose dimensions are not known yet as covering every rule, and cannot run past one whose RuleId is not", async () => {
            expect(await messages(policy, stack(alarm("computed", UNKNOWN)))).to.deep.equal([]);
            // The alarms are read in the stack's order: for 'a', the alarm for 'a' comes first and covers it; 'b' reaches the unknown RuleId.
            expect(await messages(policy, stack(alarm("for-a", { RuleId: "r1", SourceBucket: "a" }), alarm("computed-rule", { RuleId: UNKNOWN })))).to.deep.equal([
                "can't run policy 's3-replication-failure-alarm' during preview: string value at .dimensions.RuleId can't be known during preview",
            ]);
            expect(await messages(policy, stack(alarm("computed-source", { RuleId: "r1", SourceBucket: UNKNOWN }), alarm("for-b", { RuleId: "r1", SourceBucket: "b" })))).to.deep.equal([
                "can't run policy 's3-replication-failure-alarm' during preview: string value at .dimensions.SourceBucket can't be known during preview",
            ]);
            expect(await messages(policy, stack(alarm("for-b", { RuleId: "r1", SourceBucket: "b" }), alarm("computed-source", { RuleId: "r1", SourceBucket: UNKNOWN })))).to.deep.equal([
                "can't run policy 's3-replication-failure-alarm' during preview: string value at .dimensions.SourceBucket can't be known during preview",
            ]);
        });
    });

    describe("kms-key-rotation-enabled", () => {
        const policy = policyNamed("kms-key-rotation-enabled");
        it("passes a rotating key and skips asymmetric keys", async () => {
            const keys = [
                res("aws:kms/key:Key", "rotating", { enableKeyRotation: true }),
                res("aws:kms/key:Key", "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
            ];
            expect(await messages(policy, keys)).to.deep.equal([]);
        });
        it("names a symmetric key that does not rotate", async () => {
            expect(await messages(policy, [res("aws:kms/key:Key", "static", {})])).to.deep.equal([
                "Key 'static' does not rotate (enableKeyRotation is not true).",
            ]);
        });
    });

    it("reports at the configured enforcement level, and not at all when disabled", async () => {
        const a = bucket("a");
        const advisory = await runPolicies([policyNamed("s3-bucket-versioning-enabled")], [a], { config: { "s3-bucket-versioning-enabled": { enforcementLevel: "advisory" } } });
        expect(advisory.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
        const disabled = await runPolicies([policyNamed("s3-bucket-versioning-enabled")], [a], { config: { "s3-bucket-versioning-enabled": { enforcementLevel: "disabled" } } });
        expect(disabled).to.deep.equal([]);
    });
});
