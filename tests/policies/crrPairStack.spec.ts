import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { POLICIES } from "../../policies/lib";
import { buildPair } from "../support/fixtures";
import { ACCOUNT_ID, registered, Registration } from "../support/mocks";
import { modelOf } from "../../policies/lib/model";
import { describeViolations, policyResources, proxy, Record_, runPolicies, Violation } from "./harness";


/** The stack without the resource named `name` (and every reference to it). */
function without(records: readonly Registration[], name: string): Record_[] {
    const gone = records.find((r) => r.name === name);
    if (!gone) {
        throw new Error(`no resource named ${name}`);
    }
    const strip = (urns: readonly string[]) => urns.filter((u) => u !== gone.urn);
    return records
        .filter((r) => r !== gone)
        .map((r) => ({
            ...r,
            dependencies: strip(r.dependencies),
            propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, strip(v)])),
        }));
}

/** The stack with `change` applied to the resource named `name`. */
function changed(records: readonly Record_[], name: string, change: (r: Registration) => Partial<Record_>): Record_[] {
    return records.map((r) => (r.name === name ? { ...r, ...change(r as Registration) } : r));
}

const only = (vs: Violation[], policy: string) => vs.filter((v) => v.policy === policy);

/**
 * The advisory a pair without `backup` always gets (its buckets have no point-in-time backup; the option is off
 * by default because backups cost and some stacks back up elsewhere). The first test states it exactly; the
 * others, which are about other policies, leave it out.
 */
const BACKUP_ADVISORY = "s3-replication-point-in-time-backup";
const besidesBackup = (vs: Violation[]) => vs.filter((v) => v.policy !== BACKUP_ADVISORY);

describe("policy pack on the CrrPair stack", () => {
    let stack: readonly Registration[];
    before(async () => {
        await buildPair("guarded");
        stack = [...registered()];
    });

    it("finds no violation but the advisory that its buckets have no point-in-time backup (option backup is off)", async () => {
        const violations = await runPolicies(POLICIES, stack);
        // In no particular order: the sides register as their regions are checked against their providers'.
        expect(describeViolations(violations).sort()).to.deep.equal(
            ["primary", "secondary"].map(
                (side) =>
                    `[advisory] s3-replication-point-in-time-backup: Replication destination Bucket 'guarded-${side}-bucket' has no ` +
                    "point-in-time backup: no AWS Backup selection with a continuous rule covers it.",
            ),
        );
    });

    it("finds no violation at all, mandatory or advisory, with backup and the access point on", async () => {
        await buildPair("guarded-dr", { backup: true, accessPoint: true });
        expect(describeViolations(await runPolicies(POLICIES, registered()))).to.deep.equal([]);
    });

    it("names an alarm on a replication metric placed in another region than the one S3 publishes it in", async () => {
        // The component's alarms are each where their metric is (the first test finds nothing); moved, they are named.
        const moved = changed(changed(stack, "guarded-primary-alarm-latency-secondary", (r) => ({ inputs: { ...r.inputs, region: "us-east-2" }, outputs: { ...r.outputs, region: "us-east-2" } })), "guarded-secondary-alarm-failed-primary", (r) => ({
            inputs: { ...r.inputs, region: "us-east-2" },
            outputs: { ...r.outputs, region: "us-east-2" },
        }));
        expect(describeViolations(only(await runPolicies(POLICIES, moved), "s3-replication-alarm-region")).sort()).to.deep.equal([
            "[mandatory] s3-replication-alarm-region: MetricAlarm 'guarded-primary-alarm-latency-secondary' watches ReplicationLatency in us-east-2, but S3 publishes " +
                "that metric in the destination bucket's region, us-west-2 (Bucket 'guarded-secondary-bucket'): there it never receives a data point and never fires.",
            "[mandatory] s3-replication-alarm-region: MetricAlarm 'guarded-secondary-alarm-failed-primary' watches OperationsFailedReplication in us-east-2, but S3 publishes " +
                "that metric in the source bucket's region, us-west-2 (Bucket 'guarded-secondary-bucket'): there it never receives a data point and never fires.",
        ]);
    });

    it("leaves an alarm whose bucket dimension is unknown (a preview) to be judged later, instead of failing the policy", async () => {
        const unknownDimension = changed(stack, "guarded-primary-alarm-latency-secondary", (r) => {
            const o = r.outputs ?? r.inputs;
            const dimensions = { ...o.dimensions, DestinationBucket: proxy.unknownStringValue };
            return { inputs: { ...r.inputs, dimensions }, outputs: { ...o, dimensions } };
        });
        expect(describeViolations(only(await runPolicies(POLICIES, unknownDimension), "s3-replication-alarm-region"))).to.deep.equal([]);
    });

    it("stands in only for a bucket one of its components versions: a BucketVersioning of another stack's bucket is not this stack's bucket", async () => {
        const versioning = stack.find((r) => r.name === "guarded-primary-bucket-versioning")!;
        const foreign = {
            ...versioning,
            name: "shared-logs-versioning",
            urn: versioning.urn.replace(/::guarded-primary-bucket-versioning$/, "::shared-logs-versioning").replace(/s3crr:index:CrrPair\$/, ""),
            parent: "",
            dependencies: [],
            propertyDependencies: {},
            inputs: { ...versioning.inputs, bucket: "another-teams-logs" },
            outputs: { ...(versioning.outputs ?? versioning.inputs), bucket: "another-teams-logs" },
        };
        const model = modelOf(policyResources([...stack, foreign]));
        expect([...model.adopted]).to.deep.equal([]);
        expect(model.buckets.map((b) => model.bucketName(b))).to.not.include("another-teams-logs");
    });

    it("finds none with batchReplication on, over an adopted bucket in SSE-KMS mode", async () => {
        const aws = await import("../../components/model/aws");
        await buildPair("guarded-adopted", {
            batchReplication: true,
            encryption: "aws:kms",
            primary: { provider: new aws.Provider("guarded-adopted-east", { region: "us-east-2" }), region: "us-east-2", existingBucket: "acme-orders-data" },
        });
        const stack = [...registered()];
        expect(describeViolations(besidesBackup(await runPolicies(POLICIES, stack)))).to.deep.equal([]);
        // The Batch Replication role's check, with one action taken out of the component's policy.
        const broken = changed(stack, "guarded-adopted-primary-batch-replication-role-policy", (r) => {
            const doc = JSON.parse(r.outputs.policy);
            doc.Statement[1].Action = ["s3:GetReplicationConfiguration"];
            return { outputs: { ...r.outputs, policy: JSON.stringify(doc) }, inputs: { ...r.inputs, policy: JSON.stringify(doc) } };
        });
        expect(describeViolations(only(await runPolicies(POLICIES, broken), "batch-replication-role-least-privilege"))).to.deep.equal([
            "[mandatory] batch-replication-role-least-privilege: Role 'guarded-adopted-primary-batch-replication-role' is a Batch Replication role without " +
                "s3:PutInventoryConfiguration (the manifest generator cannot list the source's objects).",
        ]);
    });

    it("judges an adopted bucket, which Pulumi never hands to a policy pack, by the resources of the stack that configure it", async () => {
        const aws = await import("../../components/model/aws");
        await buildPair("seen-adopted", {
            primary: { provider: new aws.Provider("seen-adopted-east", { region: "us-east-2" }), region: "us-east-2", existingBucket: "acme-orders-data" },
        });
        const stack = [...registered()];
        const read = stack.filter((r) => r.read);
        expect(read.map((r) => [r.type, r.name, r.id])).to.deep.equal([["aws:s3/bucket:Bucket", "seen-adopted-primary-bucket", "acme-orders-data"]]);
        // The harness leaves the read out, as the engine does (pulumi/pulumi#3950): the model stands in for it.
        const model = modelOf(policyResources(stack));
        expect([...model.adopted].map((b) => [b.type, b.name, b.urn, b.props.bucket, b.props.region])).to.deep.equal([
            ["aws:s3/bucket:Bucket", "seen-adopted-primary-bucket", read[0].urn, "acme-orders-data", "us-east-2"],
        ]);
        expect(describeViolations(besidesBackup(await runPolicies(POLICIES, stack)))).to.deep.equal([]);
        // What configures it is judged as for any bucket: its encryption taken away is named on it.
        expect(describeViolations(besidesBackup(await runPolicies(POLICIES, without(stack, "seen-adopted-primary-bucket-encryption"))))).to.deep.equal([
            "[mandatory] s3-bucket-encryption-enabled: Bucket 'seen-adopted-primary-bucket' has no default encryption configuration.",
        ]);
        // Without its versioning nothing of the stack stands for it: both directions lose an end, and say so.
        expect(
            describeViolations(besidesBackup(await runPolicies(POLICIES, without(stack, "seen-adopted-primary-bucket-versioning")))).filter((v) => v.startsWith("[mandatory]")),
        ).to.deep.equal([
            "[mandatory] s3-replication-prerequisites: BucketReplicationConfig 'seen-adopted-secondary-replication': no destination bucket of this stack could be identified in its rules.",
            "[mandatory] s3-bidirectional-pairs: CrrPair 'seen-adopted' has no replication configuration at all.",
        ]);
    });

    it("finds none in SSE-KMS mode with Replication Time Control either", async () => {
        await buildPair("guarded-kms", { encryption: "aws:kms", replicationTimeControl: true, deleteMarkerReplication: true });
        expect(describeViolations(besidesBackup(await runPolicies(POLICIES, registered())))).to.deep.equal([]);
    });

    it("passes the README's example policy config (requireKms and 90-day retention mandatory) in SSE-KMS mode", async () => {
        const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policies", "policy-config.example.json"), "utf8"));
        await buildPair("guarded-example", { encryption: "aws:kms", logRetentionDays: 90 });
        expect(describeViolations(besidesBackup(await runPolicies(POLICIES, registered(), { config: example })))).to.deep.equal([]);
    });

    it("names rules without metrics, and rules with metrics but no failure alarm (advisory)", async () => {
        await buildPair("guarded-blind", { replicationMetrics: false });
        expect(
            only(await runPolicies(POLICIES, registered()), "s3-replication-metrics-enabled")
                .map((v) => [v.enforcementLevel, v.message])
                .sort((a, b) => a[1].localeCompare(b[1])),
        ).to.deep.equal(
            ["primary", "secondary"].map((side) => [
                "advisory",
                `BucketReplicationConfig 'guarded-blind-${side}-replication' rule '${side === "primary" ? "us-east-2-to-us-west-2" : "us-west-2-to-us-east-2"}' ` +
                    "has no replication metrics: if it falls behind or objects fail to replicate, nothing measures it. Fix: set " +
                    'destination.metrics to { status: "Enabled" }.',
            ]),
        );
        await buildPair("guarded-silent", { alarms: false });
        expect(only(await runPolicies(POLICIES, registered()), "s3-replication-failure-alarm").map((v) => v.message).sort()).to.deep.equal([
            "BucketReplicationConfig 'guarded-silent-primary-replication' rule 'us-east-2-to-us-west-2' has replication metrics but no alarm on its " +
                "OperationsFailedReplication: objects that fail to replicate are counted and nobody is told. Fix: add a MetricAlarm on that metric " +
                'with RuleId "us-east-2-to-us-west-2" and SourceBucket "acme-data-crrlab-us-east-2", threshold 0.',
            "BucketReplicationConfig 'guarded-silent-secondary-replication' rule 'us-west-2-to-us-east-2' has replication metrics but no alarm on its " +
                "OperationsFailedReplication: objects that fail to replicate are counted and nobody is told. Fix: add a MetricAlarm on that metric " +
                'with RuleId "us-west-2-to-us-east-2" and SourceBucket "acme-data-crrlab-us-west-2", threshold 0.',
        ]);
    });

    it("names the access logging gap when accessLogging is off", async () => {
        await buildPair("guarded-nolog", { accessLogging: false });
        expect(describeViolations(only(await runPolicies(POLICIES, registered()), "s3-replicated-bucket-access-logging")).length).to.equal(2);
    });

    describe("meshes and an account per region", () => {
        const OTHER = "444455556666";
        const xacct = async (name: string, more: Record<string, unknown> = {}) => {
            const aws = await import("../../components/model/aws");
            await buildPair(name, {
                ...more,
                encryption: "aws:kms",
                secondary: {
                    provider: new aws.Provider(`${name}-other-account`, { region: "us-west-2", assumeRoles: [{ roleArn: `arn:aws:iam::${OTHER}:role/deployer` }] }),
                    region: "us-west-2",
                },
            });
            return [...registered()];
        };

        it("finds no violation on a cross-account SSE-KMS pair", async () => {
            expect(describeViolations(besidesBackup(await runPolicies(POLICIES, await xacct("guarded-xacct"))))).to.deep.equal([]);
        });

        it("finds no violation on a cross-account pair with backups and an access point (the other account's bucket lets it in)", async () => {
            expect(describeViolations(await runPolicies(POLICIES, await xacct("guarded-xacct-ap", { accessPoint: true, backup: { crossAccountCopy: true } })))).to.deep.equal([]);
        });

        it("names an access point grant for an account that has no access point over the bucket", async () => {
            const records = await xacct("guarded-xacct-ap2", { accessPoint: true });
            const mutated = records.map((r) => {
                if (r.name === "guarded-xacct-ap2-secondary-bucket-policy") {
                    const doc = JSON.parse(r.inputs.policy);
                    const grant = doc.Statement.find((st: { Sid: string }) => st.Sid === "MultiRegionAccessPointOfOtherAccount");
                    grant.Principal.AWS = "arn:aws:iam::999988887777:root";
                    grant.Condition.StringEquals["s3:DataAccessPointAccount"] = "999988887777";
                    const policy = JSON.stringify(doc);
                    return { ...r, inputs: { ...r.inputs, policy }, outputs: { ...r.inputs, policy } };
                }
                return r;
            });
            expect(only(await runPolicies(POLICIES, mutated), "s3-cross-account-replication").map((v) => v.message)).to.deep.equal([
                "BucketPolicy 'guarded-xacct-ap2-secondary-bucket-policy' of Bucket 'guarded-xacct-ap2-secondary-bucket', a cross-account " +
                    "replication destination, allows arn:aws:iam::999988887777:root s3:GetObject, s3:PutObject (statement " +
                    "'MultiRegionAccessPointOfOtherAccount'): only the replication roles that write into it " +
                    "(arn:aws:iam::123456789012:role/acme-data-s3crr-us-east-2) should be granted anything. Fix: remove that principal from the statement.",
            ]);
        });

        it("names a cross-account rule without its account, and a destination policy granting another principal", async () => {
            const records = await xacct("guarded-xacct2");
            const mutated = records.map((r) => {
                if (r.name === "guarded-xacct2-primary-replication") {
                    const rules = r.inputs.rules.map((rule: any) => ({ ...rule, destination: { ...rule.destination, account: undefined } }));
                    return { ...r, inputs: { ...r.inputs, rules }, outputs: { ...r.inputs, rules } };
                }
                if (r.name === "guarded-xacct2-secondary-bucket-policy") {
                    const doc = JSON.parse(r.inputs.policy);
                    doc.Statement[1].Principal.AWS = [doc.Statement[1].Principal.AWS, "arn:aws:iam::999988887777:root"];
                    const policy = JSON.stringify(doc);
                    return { ...r, inputs: { ...r.inputs, policy }, outputs: { ...r.inputs, policy } };
                }
                return r;
            });
            const found = only(await runPolicies(POLICIES, mutated), "s3-cross-account-replication").map((v) => v.message);
            expect(found).to.deep.equal([
                "BucketReplicationConfig 'guarded-xacct2-primary-replication' rule 'us-east-2-to-us-west-2' writes into Bucket " +
                    `'guarded-xacct2-secondary-bucket' of account ${OTHER} without naming that account: S3 cannot check the destination's ` +
                    "owner, so a bucket of that name owned by someone else would receive the replicas. Fix: set destination.account to " +
                    `"${OTHER}".`,
                "BucketPolicy 'guarded-xacct2-secondary-bucket-policy' of Bucket 'guarded-xacct2-secondary-bucket', a cross-account " +
                    "replication destination, allows arn:aws:iam::999988887777:root s3:ReplicateObject, s3:ReplicateDelete, " +
                    "s3:ReplicateTags (statement 'ReplicasFromOtherAccounts'): only the replication roles that write into it " +
                    `(arn:aws:iam::${ACCOUNT_ID}:role/acme-data-s3crr-us-east-2) should be granted anything. Fix: remove that principal ` +
                    "from the statement.",
            ]);
        });

        it("finds no violation on a three-region mesh, and names a missing direction", async () => {
            const aws = await import("../../components/model/aws");
            const { CrrMesh } = await import("../../components");
            const { resetRecords, settle, withoutStackCapture } = await import("../support/mocks");
            resetRecords();
            await withoutStackCapture(async () => {
                new CrrMesh("guarded-mesh", {
                    namingPrefix: "acme-data",
                    sides: ["us-east-2", "us-west-2", "eu-west-1"].map((region) => ({ provider: new aws.Provider(`guarded-mesh-${region}`, { region }), region })),
                });
                await settle();
            });
            const mesh = [...registered()];
            expect(describeViolations(besidesBackup(await runPolicies(POLICIES, mesh)))).to.deep.equal([]);
            const cut = mesh.map((r) =>
                r.name === "guarded-mesh-eu-west-1-replication" ? { ...r, inputs: { ...r.inputs, rules: [r.inputs.rules[0]] }, outputs: { ...r.inputs, rules: [r.inputs.rules[0]] } } : r,
            );
            // The reverse edge is gone from the dependencies too: the rules no longer name that bucket.
            const stripped = cut.map((r) =>
                r.name === "guarded-mesh-eu-west-1-replication"
                    ? { ...r, propertyDependencies: { ...r.propertyDependencies, rules: r.propertyDependencies.rules.filter((u) => !u.endsWith("guarded-mesh-us-west-2-bucket")) } }
                    : r,
            );
            expect(only(await runPolicies(POLICIES, stripped), "s3-bidirectional-pairs").map((v) => v.message)).to.deep.equal([
                "CrrMesh 'guarded-mesh' does not replicate Bucket 'guarded-mesh-eu-west-1-bucket' to Bucket 'guarded-mesh-us-west-2-bucket': a mesh replicates every side to every other.",
            ]);
        });
    });

    it("after a deploy, reads the buckets' deprecated inline outputs AWS gives back as what they are: the split resources' configuration", async () => {
        // After the first `pulumi up` (or a refresh) the engine hands the policies each bucket's outputs as the
        // provider read them back: `lifecycleRules: []` and the replication configuration in the inline shape, with
        // metrics' minutes filled in (pulumi-aws#5806). Neither is a second configuration.
        const readBack = stack.map((r) => {
            if (r.type !== "aws:s3/bucket:Bucket" || !/guarded-(primary|secondary)-bucket$/.test(r.name)) {
                return r;
            }
            const other = r.name.includes("primary") ? "us-west-2" : "us-east-2";
            const outputs = {
                ...(r.outputs ?? r.inputs),
                lifecycleRules: [],
                replicationConfiguration: {
                    role: "arn:aws:iam::123456789012:role/x",
                    rules: [{ id: "r", status: "Enabled", priority: 0, destination: { bucket: `arn:aws:s3:::acme-crrlab-${other}`, metrics: { status: "Enabled", minutes: 15 } } }],
                },
            };
            return { ...r, outputs };
        });
        expect(describeViolations(besidesBackup(await runPolicies(POLICIES, readBack)))).to.deep.equal([]);
        // Read back empty, the inline rules are no rules: a replicated bucket without its lifecycle resource is named.
        expect(describeViolations(only(await runPolicies(POLICIES, without(readBack, "guarded-primary-bucket-lifecycle")), "s3-replicated-bucket-noncurrent-version-expiration"))).to.deep.equal([
            "[advisory] s3-replicated-bucket-noncurrent-version-expiration: Replicated Bucket 'guarded-primary-bucket' never expires its noncurrent versions: no enabled lifecycle rule sets noncurrentVersionExpiration.",
        ]);
    });

    it("judges a trail whose selector names a bucket ARN not known yet (a preview) as to be judged later, not as a policy that cannot run", async () => {
        const unknownArn = changed(stack, "guarded-primary-trail", (r) => {
            const o = r.outputs ?? r.inputs;
            const selectors = o.eventSelectors.map((sel: any) => ({
                ...sel,
                dataResources: sel.dataResources.map((d: any) => ({ ...d, values: [proxy.unknownStringValue, ...d.values.slice(1)] })),
            }));
            return { outputs: { ...o, eventSelectors: selectors }, inputs: { ...r.inputs, eventSelectors: selectors } };
        });
        const logging = (await runPolicies(POLICIES, unknownArn)).filter((v) => v.policy.startsWith("cloudtrail"));
        expect(describeViolations(logging)).to.deep.equal([]);
    });

    it("fails nothing during a preview, where ARNs and computed documents are unknown, and says what it could not prove", async () => {
        const violations = besidesBackup(await runPolicies(POLICIES, stack, { preview: true }));
        // The harness's preview makes every property with a resource dependency unknown (the rules hold bucket
        // ARNs), so the replication gate can only say it will judge them once known: advisory, once per direction.
        expect(describeViolations(violations).sort()).to.deep.equal(
            ["primary", "secondary"].map(
                (side) =>
                    `[advisory] s3-replication-will-work-unproven: BucketReplicationConfig 'guarded-${side}-replication': not proven ` +
                    "during this preview, because its rules cannot be read until the resources they are built from exist. S3's " +
                    "needs are checked again when the values are known (pulumi up, or npm run plan offline); nothing to fix now.",
            ),
        );
    });

    describe("with one hardening removed at a time, the right policy names the resource", () => {
        const cases: [string, () => Record_[], string, RegExp][] = [
            [
                "the primary bucket's versioning",
                () => without(stack, "guarded-primary-bucket-versioning"),
                "s3-bucket-versioning-enabled",
                /^Bucket 'guarded-primary-bucket' has no versioning/,
            ],
            [
                "versioning Enabled (Suspended instead)",
                () =>
                    changed(stack, "guarded-secondary-bucket-versioning", (r) => ({
                        outputs: { ...r.outputs, versioningConfiguration: { status: "Suspended" } },
                    })),
                "s3-bucket-versioning-enabled",
                /^Bucket 'guarded-secondary-bucket' has versioning Suspended by BucketVersioning 'guarded-secondary-bucket-versioning'/,
            ],
            [
                "the secondary bucket's encryption",
                () => without(stack, "guarded-secondary-bucket-encryption"),
                "s3-bucket-encryption-enabled",
                /^Bucket 'guarded-secondary-bucket' has no default encryption configuration/,
            ],
            [
                "the destination-versioning dependency of the primary's replication",
                () =>
                    changed(stack, "guarded-primary-replication", (r) => ({
                        dependencies: r.dependencies.filter((u) => !u.endsWith("guarded-secondary-bucket-versioning")),
                    })),
                "s3-replication-prerequisites",
                /^BucketReplicationConfig 'guarded-primary-replication' does not depend on BucketVersioning 'guarded-secondary-bucket-versioning' \(versioning of its destination Bucket 'guarded-secondary-bucket'\)/,
            ],
            [
                "the source-versioning dependency of the secondary's replication",
                () =>
                    changed(stack, "guarded-secondary-replication", (r) => ({
                        dependencies: r.dependencies.filter((u) => !u.endsWith("guarded-secondary-bucket-versioning")),
                    })),
                "s3-replication-prerequisites",
                /^BucketReplicationConfig 'guarded-secondary-replication' does not depend on BucketVersioning 'guarded-secondary-bucket-versioning' \(versioning of its source/,
            ],
            [
                "one direction of replication",
                () => without(stack, "guarded-secondary-replication"),
                "s3-bidirectional-pairs",
                /^CrrPair 'guarded' replicates Bucket 'guarded-primary-bucket' to Bucket 'guarded-secondary-bucket' but not back/,
            ],
            [
                "the primary bucket's public access block",
                () => without(stack, "guarded-primary-bucket-public-access-block"),
                "s3-bucket-public-access-block",
                /^Bucket 'guarded-primary-bucket' has no public access block/,
            ],
            [
                "exact resources in the replication role policy (a wildcard instead)",
                () =>
                    changed(stack, "guarded-primary-replication-role-policy", (r) => {
                        const doc = JSON.parse(r.outputs.policy);
                        doc.Statement[2].Resource = ["arn:aws:s3:::acme-data-crrlab-*/*"];
                        doc.Statement[0].Action = "s3:*";
                        return { outputs: { ...r.outputs, policy: JSON.stringify(doc) } };
                    }),
                "replication-role-least-privilege",
                /^RolePolicy 'guarded-primary-replication-role-policy' of replication Role 'guarded-primary-replication-role' grants wildcards: action 's3:\*', resource 'arn:aws:s3:::acme-data-crrlab-\*\/\*'/,
            ],
            [
                "s3:ReplicateObject in the primary's role policy",
                () =>
                    changed(stack, "guarded-primary-replication-role-policy", (r) => {
                        const doc = JSON.parse(r.outputs.policy);
                        doc.Statement[2].Action = doc.Statement[2].Action.filter((a: string) => a !== "s3:ReplicateObject");
                        return { outputs: { ...r.outputs, policy: JSON.stringify(doc) } };
                    }),
                "s3-replication-will-work",
                /^BucketReplicationConfig 'guarded-primary-replication': Role 'guarded-primary-replication-role' may not s3:ReplicateObject on arn:aws:s3:::acme-data-crrlab-[a-z0-9-]+\/\*: every object fails to replicate to Bucket 'guarded-secondary-bucket'/,
            ],
        ];
        for (const [what, mutate, policy, message] of cases) {
            it(`without ${what}: ${policy}`, async () => {
                const violations = await runPolicies(POLICIES, mutate());
                const mine = only(violations, policy);
                expect(mine.length, describeViolations(violations).join("\n")).to.be.greaterThan(0);
                expect(mine[0].enforcementLevel).to.equal("mandatory");
                expect(mine.map((v) => v.message).some((m) => message.test(m)), describeViolations(mine).join("\n")).to.equal(true);
            });
        }
    });
});
