import { expect } from "chai";
import * as aws from "../../components/aws";
import { replicationRoutes, replicationRule, ruleId, sameAccount } from "../../components/replication";
import { DEFAULTS, ResolvedPair, ResolvedSide } from "../../components/validation";

// Builders are pure: the provider is carried along, never used.
const provider = undefined as unknown as aws.Provider;
const side = (key: string, region: string, replicaStorageClass: ResolvedSide["replicaStorageClass"] = "STANDARD"): ResolvedSide => ({
    key,
    provider,
    region,
    replicaStorageClass,
    logRetentionDays: 30,
    logFileExpirationDays: 365,
});
const east = side("primary", "us-east-2");
const west = side("secondary", "us-west-2", "STANDARD_IA");
const pair = (overrides: Partial<ResolvedPair> = {}): ResolvedPair => ({
    ...DEFAULTS,
    namingPrefix: "p-test",
    sides: [east, west],
    tags: {},
    ...overrides,
});
const WEST_ARN = "arn:aws:s3:::p-test-crrlab-us-west-2";

describe("replication rules", () => {
    it("routes each side to every other side: two directions for a pair, a full mesh for three", () => {
        const routes = (sides: ResolvedSide[]) =>
            replicationRoutes(sides).map((r) => [r.source.region, r.destinations.map((d) => d.region)]);
        expect(routes([east, west])).to.deep.equal([
            ["us-east-2", ["us-west-2"]],
            ["us-west-2", ["us-east-2"]],
        ]);
        const eu = side("tertiary", "eu-west-1");
        expect(routes([east, west, eu])).to.deep.equal([
            ["us-east-2", ["us-west-2", "eu-west-1"]],
            ["us-west-2", ["us-east-2", "eu-west-1"]],
            ["eu-west-1", ["us-east-2", "us-west-2"]],
        ]);
    });

    it("names a rule by its direction", () => {
        expect(ruleId(east, west)).to.equal("us-east-2-to-us-west-2");
    });

    it("defaults to the whole bucket, delete markers not replicated, replica modifications synced", () => {
        expect(replicationRule(pair(), east, { side: west, bucketArn: WEST_ARN }, 0)).to.deep.equal({
            id: "us-east-2-to-us-west-2",
            priority: 0,
            status: "Enabled",
            filter: {},
            deleteMarkerReplication: { status: "Disabled" },
            sourceSelectionCriteria: { replicaModifications: { status: "Enabled" } },
            destination: { bucket: WEST_ARN, storageClass: "STANDARD_IA" },
        });
    });

    it("never sets existingObjectReplication or a prefix filter", () => {
        const rule = replicationRule(pair({ replicationTimeControl: true }), east, { side: west, bucketArn: WEST_ARN }, 3);
        expect(rule).not.to.have.property("existingObjectReplication");
        expect(rule).not.to.have.property("prefix");
        expect(rule.filter).to.deep.equal({});
        expect(rule.priority).to.equal(3);
    });

    it("adds RTC and metrics together, both at 15 minutes", () => {
        const rule = replicationRule(pair({ replicationTimeControl: true }), east, { side: west, bucketArn: WEST_ARN }, 0);
        expect(rule.destination).to.deep.equal({
            bucket: WEST_ARN,
            storageClass: "STANDARD_IA",
            replicationTime: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
        });
    });

    it("states delete-marker replication and replica sync as asked", () => {
        const rule = replicationRule(
            pair({ deleteMarkerReplication: true, replicaModificationSync: false }),
            east,
            { side: west, bucketArn: WEST_ARN },
            0,
        );
        expect(rule.deleteMarkerReplication).to.deep.equal({ status: "Enabled" });
        expect(rule.sourceSelectionCriteria).to.deep.equal({ replicaModifications: { status: "Disabled" } });
    });

    it("selects SSE-KMS objects and names the replica key in SSE-KMS mode, and refuses a destination without a key", () => {
        const kms = pair({ encryption: "aws:kms" });
        const rule = replicationRule(kms, east, { side: west, bucketArn: WEST_ARN, kmsKeyArn: "arn:aws:kms:us-west-2:1:key/k" }, 0);
        expect(rule.sourceSelectionCriteria).to.deep.equal({
            replicaModifications: { status: "Enabled" },
            sseKmsEncryptedObjects: { status: "Enabled" },
        });
        expect(rule.destination).to.deep.equal({
            bucket: WEST_ARN,
            storageClass: "STANDARD_IA",
            encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:us-west-2:1:key/k" },
        });
        expect(() => replicationRule(kms, east, { side: west, bucketArn: WEST_ARN }, 0)).to.throw(
            /SSE-KMS mode needs a replica key in us-west-2/,
        );
    });

    it("accepts one account and refuses a mix, naming both", () => {
        expect(sameAccount(["111122223333", "111122223333"])).to.equal("111122223333");
        expect(() => sameAccount(["111122223333", "444455556666"])).to.throw(
            /different AWS accounts \(111122223333, 444455556666\); cross-account replication is not supported/,
        );
    });
});
