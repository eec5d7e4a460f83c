import { expect } from "chai";
import * as aws from "../../components/model/aws";
import { CRR_MESH_TYPE, CrrMesh, CrrMeshArgs, CrrPair, CrrPairArgsError, crrMeshArgProblems } from "../../components";
import * as pulumi from "@pulumi/pulumi";
import { deferredRegionProblems, providerRegionProblems } from "../../components/model/validation";
import { ACCOUNT_ID, dependencyNames, find, ofType, providerOf, registered, resetRecords, settle, valueOf, withoutStackCapture } from "../support/mocks";

const T = {
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    key: "aws:kms/key:Key",
    provider: "pulumi:providers:aws",
};
const PREFIX = "acme-data";
const OTHER_ACCOUNT = "444455556666";
const arn = (region: string) => `arn:aws:s3:::${PREFIX}-crrlab-${region}`;
const json = (value: string) => JSON.parse(value);

/** Registers what `build` creates with fresh records, and waits for it. */
async function registeredBy(build: () => void): Promise<void> {
    resetRecords();
    await withoutStackCapture(async () => {
        build();
        await settle();
    });
}

describe("topologies", () => {
    describe("a side given as its provider alone", () => {
        it("reads the region from the provider: the same names, region pinning and inputs as with explicit regions", async () => {
            await registeredBy(() => {
                const east = new aws.Provider("bare-east", { region: "us-east-2" });
                const west = new aws.Provider("bare-west", { region: "us-west-2" });
                new CrrPair("bare", { namingPrefix: PREFIX, primary: east, secondary: { provider: west } });
            });
            const bare = registered().filter((r) => r.custom && r.type !== T.provider);
            await registeredBy(() => {
                const east = new aws.Provider("bare-east", { region: "us-east-2" });
                const west = new aws.Provider("bare-west", { region: "us-west-2" });
                new CrrPair("bare", {
                    namingPrefix: PREFIX,
                    primary: { provider: east, region: "us-east-2" },
                    secondary: { provider: west, region: "us-west-2" },
                });
            });
            const explicit = registered().filter((r) => r.custom && r.type !== T.provider);
            expect(bare.map((r) => r.urn).sort()).to.deep.equal(explicit.map((r) => r.urn).sort());
            const inputsByUrn = new Map(explicit.map((r) => [r.urn, r.inputs]));
            for (const r of bare) {
                expect(r.inputs, r.urn).to.deep.equal(inputsByUrn.get(r.urn));
            }
            expect(find(T.bucket, "bare-secondary-bucket").inputs).to.deep.include({ bucket: `${PREFIX}-crrlab-us-west-2`, region: "us-west-2" });
            expect(providerOf(find(T.bucket, "bare-secondary-bucket")).name).to.equal("bare-west");
        });

        it("exposes the provider's region as the side's region output", async () => {
            let pair: CrrPair | undefined;
            await registeredBy(() => {
                pair = new CrrPair("bare-out", {
                    namingPrefix: PREFIX,
                    primary: new aws.Provider("bare-out-east", { region: "us-east-2" }),
                    secondary: new aws.Provider("bare-out-eu", { region: "eu-west-1" }),
                });
            });
            expect(await valueOf(pair!.secondary.region)).to.equal("eu-west-1");
            expect(await valueOf(pair!.secondary.bucketName)).to.equal(`${PREFIX}-crrlab-eu-west-1`);
        });

        it("checks a provider's region with the same named messages as a given one", () => {
            const paths = ["primary", "secondary"];
            expect(deferredRegionProblems(PREFIX, paths, ["us-east-2", "us-east-2"], 1)).to.deep.equal([
                {
                    path: "secondary.region",
                    message: "must differ from primary.region ('us-east-2'): cross-region replication needs distinct regions (read from the providers)",
                },
            ]);
            expect(deferredRegionProblems(PREFIX, paths, ["us-east-2", "mars-north-1"], 1)[0]).to.deep.include({ path: "secondary.region" });
            expect(deferredRegionProblems(PREFIX, paths, ["us-east-2", "mars-north-1"], 1)[0].message).to.match(
                /^must be an AWS region code that @pulumi\/aws knows, such as 'us-east-2', got 'mars-north-1'; nearest: .* \(read from the provider\)$/,
            );
            // A prefix whose names break a rule only with a region: given alone, it passes the synchronous checks;
            // the names are checked once the provider's region is known, with the same message plus where it came from.
            expect(deferredRegionProblems("xn--acme", paths, ["us-east-2", "us-west-2"], 1)).to.deep.equal([
                {
                    path: "namingPrefix",
                    message:
                        "with secondary.region 'us-west-2' (read from the provider) the bucket name 'xn--acme-crrlab-us-west-2' " +
                        "must not start with the reserved prefix 'xn--'",
                },
                {
                    path: "namingPrefix",
                    message:
                        "with secondary.region 'us-west-2' (read from the provider) the trail name 'xn--acme-crr-trail' " +
                        "must not contain two separators ('.', '_', '-') in a row",
                },
            ]);
        });
    });

    describe("a side given as { provider, region }", () => {
        /** The checked regions of a pair whose sides are `sides`, each resolved or refused with its message. */
        async function checked(sides: { provider: aws.Provider; region?: string }[]): Promise<string[]> {
            const { checkedRegions } = require("../../components/side/context") as typeof import("../../components/side/context");
            const { resolveCrrPairArgs } = require("../../components/model/validation") as typeof import("../../components/model/validation");
            const topology = resolveCrrPairArgs({ namingPrefix: PREFIX, primary: sides[0], secondary: sides[1] });
            const parent = new (class extends pulumi.ComponentResource {})("test:index:Parent", `parent-${sides.map((s) => s.region).join("-")}`);
            const outputs = checkedRegions(parent, topology, "CrrPair");
            return Promise.all(
                outputs.map((o) =>
                    (o as unknown as { promise(): Promise<string> }).promise().then(
                        (region) => region,
                        (e: Error) => `refused: ${e.message}`,
                    ),
                ),
            );
        }

        it("refuses a region its provider is not configured for, naming the side and both regions, holding back both sides", async () => {
            resetRecords();
            const east = new aws.Provider("astray-east", { region: "us-east-2" });
            const west = new aws.Provider("astray-west", { region: "us-west-2" });
            const refused =
                "refused: Invalid CrrPair arguments:\n  - secondary.region: is 'us-west-2', but its provider is configured for 'us-east-2' " +
                "(read from the provider): give the side a provider of its own region, or leave region out to take the provider's";
            // The primary's region is fine, but the sides wire into each other: neither registers anything.
            expect(await checked([{ provider: east, region: "us-east-2" }, { provider: east, region: "us-west-2" }])).to.deep.equal([refused, refused]);
            expect(await checked([{ provider: east, region: "us-east-2" }, { provider: west, region: "us-west-2" }])).to.deep.equal(["us-east-2", "us-west-2"]);
            expect(providerRegionProblems("primary", undefined, "us-east-2")).to.deep.equal([]);
            // Nothing read (a consumer's generic mocks answer getRegion with no region): the given region stands.
            expect(providerRegionProblems("primary", "us-east-2", undefined)).to.deep.equal([]);
            expect(providerRegionProblems("sides[2]", "eu-west-1", "eu-west-2")[0].path).to.equal("sides[2].region");
            await settle();
        });
    });

    describe("CrrMesh of three regions", () => {
        let mesh: CrrMesh;
        before(async () => {
            await registeredBy(() => {
                mesh = new CrrMesh("mesh", {
                    namingPrefix: PREFIX,
                    sides: [
                        new aws.Provider("mesh-east", { region: "us-east-2" }),
                        { provider: new aws.Provider("mesh-west", { region: "us-west-2" }), region: "us-west-2" },
                        { provider: new aws.Provider("mesh-eu", { region: "eu-west-1" }), key: "europe" },
                    ],
                });
            });
        });

        it("registers itself with its own type token, its sides keyed by region, key or position", async () => {
            expect(find(CRR_MESH_TYPE, "mesh").custom).to.equal(false);
            expect(Object.keys(mesh.sides)).to.deep.equal(["side1", "us-west-2", "europe"]);
            expect(await valueOf(mesh.sides.europe.bucketName)).to.equal(`${PREFIX}-crrlab-eu-west-1`);
            expect(ofType(T.bucket).map((b) => b.name).sort()).to.deep.equal(
                ["mesh-europe-bucket", "mesh-europe-logging-bucket", "mesh-side1-bucket", "mesh-side1-logging-bucket", "mesh-us-west-2-bucket", "mesh-us-west-2-logging-bucket"],
            );
        });

        const sides = [
            { key: "side1", region: "us-east-2", others: [["us-west-2", "us-west-2"], ["europe", "eu-west-1"]] },
            { key: "us-west-2", region: "us-west-2", others: [["side1", "us-east-2"], ["europe", "eu-west-1"]] },
            { key: "europe", region: "eu-west-1", others: [["side1", "us-east-2"], ["us-west-2", "us-west-2"]] },
        ];
        it("gives each source one configuration with a rule per destination, distinct priorities", () => {
            expect(ofType(T.replication)).to.have.length(3);
            for (const side of sides) {
                const rules = find(T.replication, `mesh-${side.key}-replication`).inputs.rules;
                expect(rules.map((r: any) => [r.id, r.priority, r.destination.bucket])).to.deep.equal(
                    side.others.map(([, region], i) => [`${side.region}-to-${region}`, i, arn(region)]),
                );
                for (const rule of rules) {
                    expect(rule).to.deep.include({ status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" } });
                    expect(rule.destination).not.to.have.property("account");
                }
            }
        });

        it("orders each configuration after its source's and both destinations' versioning, bucket policies and its role policy", () => {
            for (const side of sides) {
                expect(dependencyNames(find(T.replication, `mesh-${side.key}-replication`))).to.include.members([
                    `${T.versioning}::mesh-${side.key}-bucket-versioning`,
                    ...side.others.map(([key]) => `${T.versioning}::mesh-${key}-bucket-versioning`),
                    ...side.others.map(([key]) => `${T.policy}::mesh-${key}-bucket-policy`),
                    `${T.rolePolicy}::mesh-${side.key}-replication-role-policy`,
                ]);
            }
        });

        it("lets each role read its source and write exactly its two destinations", () => {
            for (const side of sides) {
                const statements = json(find(T.rolePolicy, `mesh-${side.key}-replication-role-policy`).inputs.policy).Statement;
                expect(statements.map((s: any) => [s.Sid, s.Resource])).to.deep.equal([
                    ["ReadReplicationConfiguration", arn(side.region)],
                    ["ReadSourceObjectVersions", `${arn(side.region)}/*`],
                    ["WriteReplicas", side.others.map(([, region]) => `${arn(region)}/*`)],
                ]);
            }
        });

        it("keeps same-account bucket policies TLS-only", () => {
            for (const side of sides) {
                expect(json(find(T.policy, `mesh-${side.key}-bucket-policy`).inputs.policy).Statement.map((s: any) => s.Sid)).to.deep.equal([
                    "DenyInsecureTransport",
                ]);
            }
        });
    });

    describe("CrrMesh validation", () => {
        const east = new aws.Provider("meshv-east", { region: "us-east-2" });
        const west = new aws.Provider("meshv-west", { region: "us-west-2" });
        const problems = (args: Partial<CrrMeshArgs>) =>
            crrMeshArgProblems({ namingPrefix: PREFIX, sides: [east, { provider: west, region: "us-west-2" }], ...args } as CrrMeshArgs).map(
                (p) => `${p.path}: ${p.message}`,
            );
        it("accepts two sides and refuses one, naming the bound", () => {
            expect(problems({})).to.deep.equal([]);
            expect(problems({ sides: [east] })).to.deep.equal([
                "sides: must be a list of 2 to 1001 sides (each side's replication configuration holds one rule per other side, and S3 accepts up to 1000), got 1",
            ]);
        });
        it("refuses a region given twice, a bad key and a duplicate key", () => {
            expect(
                problems({
                    sides: [
                        { provider: east, region: "us-east-2", key: "a" },
                        { provider: west, region: "us-east-2", key: "a" },
                        { provider: west, key: "Bad_Key" },
                    ],
                }),
            ).to.deep.equal([
                "sides[1].key: must be unique in the mesh: 'a' is also sides[0]'s key",
                "sides[2].key: must be 1 to 24 lowercase letters, digits and inner hyphens, got 'Bad_Key'",
                "sides[1].region: must differ from sides[0].region ('us-east-2'): cross-region replication needs distinct regions",
            ]);
        });
        it("throws naming CrrMesh before registering anything", async () => {
            resetRecords();
            expect(() => new CrrMesh("bad-mesh", { namingPrefix: PREFIX, sides: [east] })).to.throw(CrrPairArgsError, /^Invalid CrrMesh arguments:\n {2}- sides: /);
            await settle();
            expect(registered().filter((r) => r.type !== T.provider)).to.deep.equal([]);
        });
    });

    describe("an account per region", () => {
        const build = (name: string, encryption: "AES256" | "aws:kms") =>
            registeredBy(() => {
                new CrrPair(name, {
                    namingPrefix: PREFIX,
                    encryption,
                    primary: new aws.Provider(`${name}-east`, { region: "us-east-2" }),
                    secondary: new aws.Provider(`${name}-west`, {
                        region: "us-west-2",
                        assumeRoles: [{ roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer` }],
                    }),
                });
            });
        const roleArn = (account: string, region: string) => `arn:aws:iam::${account}:role/${PREFIX}-s3crr-${region}`;
        const directions = [
            { key: "primary", region: "us-east-2", account: ACCOUNT_ID, other: "secondary", otherRegion: "us-west-2", otherAccount: OTHER_ACCOUNT },
            { key: "secondary", region: "us-west-2", account: OTHER_ACCOUNT, other: "primary", otherRegion: "us-east-2", otherAccount: ACCOUNT_ID },
        ];

        describe("with SSE-S3", () => {
            before(() => build("xacct", "AES256"));

            it("creates each side's resources in its own account, with its own provider", async () => {
                for (const d of directions) {
                    expect(find(T.role, `xacct-${d.key}-replication-role`).inputs.name).to.equal(`${PREFIX}-s3crr-${d.region}`);
                    expect(json(find(T.role, `xacct-${d.key}-replication-role`).inputs.assumeRolePolicy).Statement[0].Condition).to.deep.equal({
                        StringEquals: { "aws:SourceAccount": d.account },
                    });
                    for (const r of registered().filter((x) => x.custom && x.name.startsWith(`xacct-${d.key}-`))) {
                        expect(providerOf(r).name, r.name).to.equal(`xacct-${d.key === "primary" ? "east" : "west"}`);
                    }
                }
            });

            it("puts a rule's latency alarm in its account and the destination's region, notifying the destination's topic, whose policy admits both accounts' alarms", () => {
                for (const d of directions) {
                    const latency = find("aws:cloudwatch/metricAlarm:MetricAlarm", `xacct-${d.key}-alarm-latency-${d.other}`);
                    expect(latency.inputs.region).to.equal(d.otherRegion);
                    expect(providerOf(latency).name).to.equal(`xacct-${d.key === "primary" ? "east" : "west"}`);
                    const topic = `arn:aws:sns:${d.otherRegion}:${d.otherAccount}:${PREFIX}-crr-alerts`;
                    expect(latency.inputs.alarmActions).to.deep.equal([topic]);
                    const failed = find("aws:cloudwatch/metricAlarm:MetricAlarm", `xacct-${d.key}-alarm-failed-${d.other}`);
                    expect([failed.inputs.region, failed.inputs.alarmActions]).to.deep.equal([d.region, [`arn:aws:sns:${d.region}:${d.account}:${PREFIX}-crr-alerts`]]);
                    const policy = json(find("aws:sns/topicPolicy:TopicPolicy", `xacct-${d.key}-alerts-topic-policy`).inputs.policy);
                    expect(policy.Statement[0].Condition).to.deep.equal({
                        StringEquals: { "aws:SourceAccount": [d.account, d.otherAccount] },
                        ArnLike: { "aws:SourceArn": [d.account, d.otherAccount].map((a) => `arn:aws:cloudwatch:${d.region}:${a}:alarm:${PREFIX}-crr-*`) },
                    });
                }
            });

            it("grants exactly the other account's replication role the replication actions in each destination bucket policy", () => {
                for (const d of directions) {
                    const policy = json(find(T.policy, `xacct-${d.other}-bucket-policy`).inputs.policy);
                    const dest = arn(d.otherRegion);
                    expect(policy.Statement.slice(1)).to.deep.equal([
                        {
                            Sid: "ReplicasFromOtherAccounts",
                            Effect: "Allow",
                            Principal: { AWS: roleArn(d.account, d.region) },
                            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                            Resource: `${dest}/*`,
                        },
                        {
                            Sid: "VersioningCheckFromOtherAccounts",
                            Effect: "Allow",
                            Principal: { AWS: roleArn(d.account, d.region) },
                            Action: ["s3:GetBucketVersioning", "s3:PutBucketVersioning"],
                            Resource: dest,
                        },
                    ]);
                    expect(dependencyNames(find(T.policy, `xacct-${d.other}-bucket-policy`))).to.include(`${T.role}::xacct-${d.key}-replication-role`);
                }
            });

            it("names the destination account on each rule, with no owner override, after the destination's grant", () => {
                for (const d of directions) {
                    const config = find(T.replication, `xacct-${d.key}-replication`);
                    expect(config.inputs.rules[0].destination).to.deep.equal({
                        bucket: arn(d.otherRegion),
                        storageClass: "STANDARD",
                        account: d.otherAccount,
                        metrics: { status: "Enabled" },
                    });
                    expect(dependencyNames(config)).to.include(`${T.policy}::xacct-${d.other}-bucket-policy`);
                }
            });
        });

        describe("with SSE-KMS", () => {
            before(() => build("xkms", "aws:kms"));

            it("lets the other account's role encrypt replicas with each destination key, through S3 for that bucket only", () => {
                for (const d of directions) {
                    const key = find(T.key, `xkms-${d.other}-kms-key`);
                    const statements = json(key.inputs.policy).Statement;
                    expect(statements.map((s: any) => s.Sid)).to.deep.equal([
                        "EnableIamPolicies",
                        "CloudWatchLogsEncryptLogGroup",
                        "CloudTrailEncryptLogFiles",
                        "CloudTrailDescribeKey",
                        "ReplicasFromOtherAccounts",
                    ]);
                    expect(statements[0].Principal).to.deep.equal({ AWS: `arn:aws:iam::${d.otherAccount}:root` });
                    expect(statements[4]).to.deep.equal({
                        Sid: "ReplicasFromOtherAccounts",
                        Effect: "Allow",
                        Principal: { AWS: roleArn(d.account, d.region) },
                        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                        Resource: "*",
                        Condition: {
                            StringEquals: { "kms:ViaService": `s3.${d.otherRegion}.amazonaws.com` },
                            StringLike: { "kms:EncryptionContext:aws:s3:arn": [arn(d.otherRegion), `${arn(d.otherRegion)}/*`] },
                        },
                    });
                    expect(dependencyNames(key)).to.include(`${T.role}::xkms-${d.key}-replication-role`);
                    const rule = find(T.replication, `xkms-${d.key}-replication`).inputs.rules[0];
                    expect(rule.destination.account).to.equal(d.otherAccount);
                    expect(rule.destination.encryptionConfiguration.replicaKmsKeyId).to.match(
                        new RegExp(`^arn:aws:kms:${d.otherRegion}:${d.otherAccount}:key/`),
                    );
                }
            });
        });
    });
});
