/**
 * The replication model's categories, each a pure function tested on its own: PutBucketReplication's shape
 * rules (replicationShape.ts), the requests S3 makes and the keys they carry, the trust and Object Lock checks
 * (replicationRequests.ts), and keys as KMS sees them (replicationKeys.ts). The pack runs them together over
 * the corpus (corpus.e2e.ts).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { authorize } from "../../policies/lib/iamEval";
import { UNKNOWN } from "../../policies/lib/model";
import * as keys from "../../policies/lib/replicationKeys";
import * as req from "../../policies/lib/replicationRequests";
import { inlineShapeRule, SHAPE_CHECKS, shapeProblems, ShapeRule, splitShapeRule } from "../../policies/lib/replicationShape";
import { CATEGORIES } from "./corpus";

const SRC = "arn:aws:s3:::acme-src";
const DST = "arn:aws:s3:::acme-dst";
const ROLE = "arn:aws:iam::111111111111:role/replication";

describe("the replication model (policies/lib/replication*.ts)", () => {
    describe("what S3 refuses at deploy time: one table of PutBucketReplication's shape rules", () => {
        const base = { id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: DST } };
        const rule = (change: Record<string, unknown> = {}, i = 0): ShapeRule => splitShapeRule({ ...base, ...change }, i);
        const at = (destination: Record<string, unknown>) => rule({ destination: { bucket: DST, ...destination } });
        const context = { kmsWanted: false, targetOf: () => "Bucket 'acme-dst'", regionOf: () => "us-west-2" };
        const problems = (rules: ShapeRule[]) => shapeProblems(rules, context);
        // [check, a configuration's rules that break it, the message's start, a configuration's rules that keep it]
        const cases: [string, ShapeRule[], string, ShapeRule[]][] = [
            ["rules-count", [], "it holds 0 rules: S3 rejects the configuration (a replication configuration holds 1 to 1,000 rules).", [rule()]],
            ["rule-id-length", [rule({ id: "x".repeat(256) })], `rule '${"x".repeat(40)}…' has an ID of 256 characters`, [rule({ id: "x".repeat(255) })]],
            ["prefix-length", [rule({ filter: { prefix: "p".repeat(1025) } })], "rule 'all' filters on a prefix of 1025 characters", [rule({ filter: { prefix: "p".repeat(1024) } })]],
            ["filter-one-element", [rule({ filter: { prefix: "a/", tag: { key: "k", value: "v" } } })], "rule 'all''s filter sets 2 of prefix, tag and and", [rule({ filter: { and: { prefix: "a/", tags: { k: "v" } } } })]],
            [
                "v2-priorities",
                [rule({ id: "a", priority: 1 }), rule({ id: "b", priority: 1 })],
                "rules 'a' and 'b' share priority 1",
                [rule({ id: "a", priority: 1 }), rule({ id: "b", priority: 2 })],
            ],
            ["v2-priorities", [rule({ id: "a", priority: 1 }), rule({ id: "b" })], "rule 'b' has a filter but no priority, among 2 filter-based rules", [rule({ id: "b" })]],
            [
                "tag-filter-delete-markers",
                [rule({ filter: { tag: { key: "k", value: "v" } }, deleteMarkerReplication: { status: "Enabled" } })],
                "rule 'all' filters on tags and replicates delete markers",
                [rule({ filter: { tag: { key: "k", value: "v" } } })],
            ],
            ["rtc-with-metrics", [at({ replicationTime: { status: "Enabled", time: { minutes: 15 } } })], "rule 'all' turns on Replication Time Control without replication metrics", [at({ metrics: { status: "Enabled" } })]],
            [
                "fifteen-minutes",
                [at({ replicationTime: { status: "Enabled", time: { minutes: 30 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } })],
                "rule 'all' sets 30 minutes for Replication Time Control",
                [at({ replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } })],
            ],
            ["threshold-needs-rtc", [at({ metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } })], "rule 'all''s metrics have an event threshold without Replication Time Control", [at({ metrics: { status: "Enabled" } })]],
            [
                "owner-override-account",
                [at({ accessControlTranslation: { owner: "Destination" } })],
                "rule 'all' changes the replica owner (accessControlTranslation) without naming the destination's account",
                [at({ accessControlTranslation: { owner: "Destination" }, account: "222222222222" })],
            ],
            [
                "replica-key-needs-kms-selection",
                [rule({ destination: { bucket: DST, encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:us-west-2:111111111111:key/k" } } })],
                "rule 'all' names a replica key but does not select SSE-KMS objects: S3 rejects the configuration.",
                [rule()],
            ],
            [
                "kms-selection-needs-replica-key",
                [rule({ sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } })],
                "rule 'all' selects SSE-KMS objects but names no replica key: S3 rejects the configuration, and no SSE-KMS object is replicated to Bucket 'acme-dst'. Fix: set destination.encryptionConfiguration.replicaKmsKeyId to the ARN of a KMS key in us-west-2.",
                [rule({ sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } }, destination: { bucket: DST, encryptionConfiguration: { replicaKmsKeyId: "k" } } })],
            ],
            [
                "replica-modifications-v2",
                [rule({ filter: undefined, sourceSelectionCriteria: { replicaModifications: { status: "Enabled" } } })],
                "rule 'all' syncs replica modifications without a filter (the earlier V1 schema)",
                [rule({ sourceSelectionCriteria: { replicaModifications: { status: "Enabled" } } })],
            ],
            ["no-existing-object-replication", [rule({ existingObjectReplication: { status: "Enabled" } })], "rule 'all' enables existingObjectReplication", [rule({ existingObjectReplication: { status: "Disabled" } })]],
            ["storage-class", [at({ storageClass: "FSX_OPENZFS" })], "rule 'all' stores replicas as FSX_OPENZFS", [at({ storageClass: "GLACIER_IR" })]],
        ];
        for (const [name, broken, start, kept] of cases) {
            it(`${name}: '${start.slice(0, 70)}…', and nothing once kept`, () => {
                const found = problems(broken);
                expect(found).to.have.length.greaterThan(0);
                expect(found[0].startsWith(start), found[0]).to.equal(true);
                expect(problems(kept)).to.deep.equal([]);
            });
        }

        it("has one row per rule, each citing where AWS (or the provider's tracker) says it, and every row tested above", () => {
            const names = SHAPE_CHECKS.map((c) => c.name);
            expect(new Set(names).size).to.equal(names.length);
            SHAPE_CHECKS.forEach((c) => expect(c.source, c.name).to.match(/^https:\/\/(docs\.aws\.amazon\.com|github\.com)\//));
            const tested = new Set(cases.map(([name]) => name));
            expect(SHAPE_CHECKS.filter((c) => !c.reportedBy && !tested.has(c.name)).map((c) => c.name)).to.deep.equal([]);
        });

        it("leaves the replica key rule to the SSE-KMS check when the source holds SSE-KMS objects", () => {
            const named = rule({ destination: { bucket: DST, encryptionConfiguration: { replicaKmsKeyId: "k" } } });
            expect(shapeProblems([named], { ...context, kmsWanted: true })).to.deep.equal([]);
        });

        it("judges no value that is unknown during a preview", () => {
            const unknown = { ...rule(), replicationTime: UNKNOWN, metrics: UNKNOWN, priority: UNKNOWN, tagged: UNKNOWN } as ShapeRule;
            expect(problems([unknown, { ...unknown, id: "b" }])).to.deep.equal([]);
        });

        it("reads the deprecated inline schema: V1 without a filter, metrics' minutes as the threshold, replicaKmsKeyId in the destination", () => {
            const r = inlineShapeRule(
                { id: "x", status: "Enabled", prefix: "", destination: { bucket: DST, replicaKmsKeyId: "k", metrics: { status: "Enabled", minutes: 15 } } },
                0,
            );
            expect([r.v2, r.enabled, r.replicaKey, r.metrics, r.deleteMarkers]).to.deep.equal([false, true, "k", { enabled: true, threshold: 15 }, undefined]);
            expect(problems([r])[0]).to.match(/^rule 'x''s metrics have an event threshold without Replication Time Control/);
        });
    });

    describe("the requests S3 makes, and the condition keys whose values the plan knows", () => {
        const role = { arn: ROLE, account: "111111111111", tags: { team: "storage" } };

        it("assumes the role as s3.amazonaws.com for the source bucket's account and ARN, with no external id", () => {
            const t = req.trustContext({ account: "111111111111", bucketArn: SRC });
            expect(t.context).to.deep.equal({
                "aws:PrincipalServiceName": "s3.amazonaws.com",
                "aws:PrincipalIsAWSService": "true",
                "aws:SecureTransport": "true",
                "aws:SourceAccount": "111111111111",
                "aws:SourceArn": SRC,
            });
            expect(["sts:ExternalId", "aws:PrincipalOrgID", "aws:SourceAccount"].map(t.unknownKeys)).to.deep.equal([false, true, false]);
        });

        it("calls S3 as the role, over TLS, with its tags: a tag it lacks is absent, a key it cannot know is unknown", () => {
            const c = req.s3Context(role, { account: "222222222222", region: "us-west-2" });
            expect(c.context).to.include({ "aws:PrincipalArn": ROLE, "aws:PrincipalAccount": "111111111111", "aws:PrincipalTag/team": "storage", "aws:ResourceAccount": "222222222222", "aws:RequestedRegion": "us-west-2", "aws:SecureTransport": "true" });
            expect(["aws:PrincipalTag/owner", "aws:SourceIp", "aws:PrincipalOrgID"].map(c.unknownKeys)).to.deep.equal([false, true, true]);
            expect(req.s3Context({ arn: ROLE, account: "111111111111" }, {}).unknownKeys("aws:PrincipalTag/owner")).to.equal(true);
        });

        it("calls KMS through S3 in the bucket's region, from the role's account, with the encryption context", () => {
            const c = req.kmsContext(role, { region: "cn-north-1", partition: "aws-cn", encryptionContext: req.encryptionContextOf(SRC, "logs/", false) });
            expect(c.context).to.include({ "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn", "kms:CallerAccount": "111111111111" });
            expect(c.context["kms:EncryptionContext:aws:s3:arn"]).to.deep.equal({ prefix: `${SRC}/logs/` });
            expect(req.encryptionContextOf(SRC, "logs/", true)).to.equal(SRC);
        });

        it("needs the source's reads (Object Lock's too) and the destination's writes (delete markers and owner override where set)", () => {
            const plain = req.objectNeeds({ sourceArn: SRC, destinationArn: DST, prefix: "", deleteMarkers: false, sourceObjectLock: false, ownerOverride: false });
            expect(plain).to.deep.equal([
                { side: "source", actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], resource: { prefix: `${SRC}/` } },
                { side: "destination", actions: ["s3:ReplicateObject", "s3:ReplicateTags"], resource: { prefix: `${DST}/` } },
            ]);
            const all = req.objectNeeds({ sourceArn: SRC, destinationArn: DST, prefix: "a/", deleteMarkers: true, sourceObjectLock: true, ownerOverride: true });
            expect(all.map((n) => n.actions)).to.deep.equal([
                ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
                ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ReplicateDelete", "s3:ObjectOwnerOverrideToBucketOwner"],
            ]);
        });
    });

    describe("trust: the trust policy must admit S3's request for this source", () => {
        const trust = (condition?: Record<string, Record<string, string>>, service = "s3.amazonaws.com") => [
            { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) },
        ];
        const check = (statements: ReturnType<typeof trust>) =>
            req.trustProblem(statements, { arn: ROLE, text: "Role 'replication'" }, { account: "111111111111", bucketArn: SRC, text: "Bucket 'acme-src'" });

        it("passes AWS's trust policy, with or without its confused-deputy guard", () => {
            expect(check(trust())).to.equal(undefined);
            expect(check(trust({ StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": SRC } }))).to.equal(undefined);
        });

        it("fails a guard naming another account, saying what S3 sends", () => {
            expect(check(trust({ StringEquals: { "aws:SourceAccount": "222222222222" } }))).to.deep.equal({
                kind: "fails",
                message:
                    "S3 cannot assume Role 'replication': its trust policy lets s3.amazonaws.com call sts:AssumeRole only when aws:SourceAccount is " +
                    "'222222222222', and S3 assumes it for Bucket 'acme-src' with '111111111111' for aws:SourceAccount, so nothing is replicated " +
                    "(AssumeRoleNotPermitted). Fix: make the trust policy's condition admit '111111111111' for aws:SourceAccount.",
            });
        });

        it("fails a trust of another service, and leaves a key it cannot know unproven", () => {
            expect(check(trust(undefined, "ec2.amazonaws.com"))?.message).to.match(/^S3 cannot assume Role 'replication': its trust policy does not let s3.amazonaws.com/);
            expect(check(trust({ StringEquals: { "aws:PrincipalOrgID": "o-1" } }))?.kind).to.equal("unproven");
        });
    });

    describe("Object Lock: a locked source replicates only into a locked destination", () => {
        const source = { text: "Bucket 'src'", locked: true };
        it("fails an unlocked destination, trusts a locked one, cannot prove one outside the stack, and ignores an unlocked source", () => {
            expect(req.objectLockProblem("r", source, { text: "Bucket 'dst'", locked: false })?.message).to.equal(
                "Bucket 'src' has Object Lock and rule 'r''s destination Bucket 'dst' does not: S3 cannot replicate objects of a bucket with Object " +
                    "Lock into it (DstBucketObjectLockConfigMissing). Fix: create Bucket 'dst' with objectLockEnabled: true (Object Lock is set when a bucket is created).",
            );
            expect(req.objectLockProblem("r", source, { text: "Bucket 'dst'", locked: true })).to.equal(undefined);
            expect(req.objectLockProblem("r", source, { text: DST, locked: undefined })?.kind).to.equal("unproven");
            expect(req.objectLockProblem("r", { ...source, locked: false }, { text: "Bucket 'dst'", locked: false })).to.equal(undefined);
        });
    });

    describe("docs/policies.md", () => {
        const docs = fs.readFileSync(path.join(__dirname, "../../docs/policies.md"), "utf8");
        const rowsAfter = (heading: string) =>
            docs
                .slice(docs.indexOf(heading))
                .split("\n")
                .filter((l) => l.startsWith("| `") || /^\| [a-z-]+ \|/.test(l))
                .map((l) => l.split("|").map((c) => c.trim()));

        it("lists every rule of the PutBucketReplication table, with what S3 requires and its source", () => {
            const rows = rowsAfter("**What S3 refuses at deploy time**").filter((r) => SHAPE_CHECKS.some((c) => r[1] === `\`${c.name}\``));
            expect(rows.map((r) => r[1])).to.deep.equal(SHAPE_CHECKS.map((c) => `\`${c.name}\``));
            for (const c of SHAPE_CHECKS) {
                const row = rows.find((r) => r[1] === `\`${c.name}\``)!;
                expect(row[2], c.name).to.contain(c.requires);
                expect(row[3], c.name).to.contain(`(${c.source})`);
            }
        });

        it("says per category of the corpus what is proven, what is not proven yet, and what cannot be seen", () => {
            const rows = rowsAfter("### What `s3-replication-will-work` proves").filter((r) => (CATEGORIES as readonly string[]).includes(r[1]));
            expect(rows.map((r) => r[1])).to.deep.equal([...CATEGORIES]);
            rows.forEach((r) => expect(r.length, r[1]).to.equal(6));
        });
    });

    describe("KMS keys as KMS sees them", () => {
        it("parses key and alias ARNs, and knows aws/s3 by ARN or name", () => {
            expect(keys.kmsArn("arn:aws:kms:us-west-2:111111111111:key/abc")).to.deep.equal({ partition: "aws", region: "us-west-2", account: "111111111111", isAlias: false, name: "abc" });
            expect(keys.kmsArn("1234abcd-12ab-34cd-56ef-1234567890ab")).to.equal(undefined);
            expect(["arn:aws:kms:us-west-2:111111111111:alias/aws/s3", "alias/aws/s3", "arn:aws:kms:us-west-2:111111111111:alias/mine"].map(keys.isAwsManagedS3Alias)).to.deep.equal([true, true, false]);
        });

        it("refuses a disabled key, and any key but a symmetric encryption one", () => {
            expect(keys.keyDefinitionProblems("Key 'k'", "replica", {})).to.deep.equal([]);
            expect(keys.keyDefinitionProblems("Key 'k'", "source", { isEnabled: false })).to.deep.equal([
                "Key 'k' is disabled (isEnabled: false): KMS refuses every request for a disabled key, so S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate (SrcKmsKeyInvalidState). Fix: set isEnabled to true.",
            ]);
            expect(keys.keyDefinitionProblems("Key 'k'", "replica", { keySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" })[0]).to.match(
                /^Key 'k' is not a symmetric encryption key \(key spec HMAC_256, usage GENERATE_VERIFY_MAC\)/,
            );
        });

        it("lets aws/s3 serve only its own account: by its key policy, without any IAM grant", () => {
            const policy = keys.awsManagedS3KeyPolicy("aws", "111111111111", "us-west-2");
            const key = "arn:aws:kms:us-west-2:111111111111:key/aws-s3";
            const ask = (principal: string) => {
                const known = req.kmsContext({ arn: principal, account: principal.split(":")[4] }, { region: "us-west-2", partition: "aws", encryptionContext: DST });
                return authorize(
                    { identity: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }], resource: { kind: "key", statements: policy }, principal, resourceAccount: "111111111111" },
                    { action: "kms:Encrypt", resource: { exact: key }, context: known.context, unknownKeys: known.unknownKeys },
                ).result;
            };
            expect([ask(ROLE), ask("arn:aws:iam::222222222222:role/replication")]).to.deep.equal(["allowed", "notAllowed"]);
            expect(keys.awsManagedKeyProblem("'alias/aws/s3'", "111111111111", "Bucket 'dst'", "111111111111")).to.equal(undefined);
            expect(keys.awsManagedKeyProblem("'alias/aws/s3'", "111111111111", "Bucket 'dst'", "222222222222")).to.match(/cannot encrypt replicas for Bucket 'dst' of account 222222222222/);
        });

        it("gives a key created without a policy the default one: the account root's kms:*", () => {
            expect(keys.defaultKeyPolicy("aws", "111111111111")).to.deep.equal([
                { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" },
            ]);
        });
    });
});
