import { expect } from "chai";
import { DEFAULTS } from "../../components/model/options";
import { replicationRoutes, replicationRule, RuleDestination, ruleId } from "../../components/topology/replication";
import { ResolvedOptions } from "../../components/model/options";

// The rule's own switches (metrics off here: tested on their own below).
const options = (overrides: Partial<ResolvedOptions> = {}): ResolvedOptions => ({ ...DEFAULTS, replicationMetrics: false, ...overrides });
const WEST_ARN = "arn:aws:s3:::p-test-crrlab-us-west-2";
const west: RuleDestination = { region: "us-west-2", bucketArn: WEST_ARN, storageClass: "STANDARD_IA" };

describe("replication rules", () => {
    it("routes each side to every other side: two directions for a pair, a full mesh for three", () => {
        const routes = (sides: string[]) => replicationRoutes(sides).map((r) => [r.source, r.destinations]);
        expect(routes(["us-east-2", "us-west-2"])).to.deep.equal([
            ["us-east-2", ["us-west-2"]],
            ["us-west-2", ["us-east-2"]],
        ]);
        expect(routes(["us-east-2", "us-west-2", "eu-west-1"])).to.deep.equal([
            ["us-east-2", ["us-west-2", "eu-west-1"]],
            ["us-west-2", ["us-east-2", "eu-west-1"]],
            ["eu-west-1", ["us-east-2", "us-west-2"]],
        ]);
    });

    it("names a rule by its direction", () => {
        expect(ruleId("us-east-2", "us-west-2")).to.equal("us-east-2-to-us-west-2");
    });

    it("defaults to the whole bucket, delete markers not replicated, replica modifications synced", () => {
        expect(replicationRule(options(), "us-east-2", west, 0)).to.deep.equal({
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
        const rule = replicationRule(options({ replicationTimeControl: true }), "us-east-2", west, 3);
        expect(rule).not.to.have.property("existingObjectReplication");
        expect(rule).not.to.have.property("prefix");
        expect(rule.filter).to.deep.equal({});
        expect(rule.priority).to.equal(3);
    });

    it("adds RTC and metrics together, both at 15 minutes", () => {
        const rule = replicationRule(options({ replicationTimeControl: true }), "us-east-2", west, 0);
        expect(rule.destination).to.deep.equal({
            bucket: WEST_ARN,
            storageClass: "STANDARD_IA",
            replicationTime: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
        });
    });

    it("states delete-marker replication and replica sync as asked", () => {
        const rule = replicationRule(options({ deleteMarkerReplication: true, replicaModificationSync: false }), "us-east-2", west, 0);
        expect(rule.deleteMarkerReplication).to.deep.equal({ status: "Enabled" });
        expect(rule.sourceSelectionCriteria).to.deep.equal({ replicaModifications: { status: "Disabled" } });
    });

    it("selects SSE-KMS objects and names the replica key in SSE-KMS mode, and refuses a destination without a key", () => {
        const kms = options({ encryption: "aws:kms" });
        const rule = replicationRule(kms, "us-east-2", { ...west, kmsKeyArn: "arn:aws:kms:us-west-2:1:key/k" }, 0);
        expect(rule.sourceSelectionCriteria).to.deep.equal({
            replicaModifications: { status: "Enabled" },
            sseKmsEncryptedObjects: { status: "Enabled" },
        });
        expect(rule.destination).to.deep.equal({
            bucket: WEST_ARN,
            storageClass: "STANDARD_IA",
            encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:us-west-2:1:key/k" },
        });
        expect(() => replicationRule(kms, "us-east-2", west, 0)).to.throw(
            /SSE-KMS mode needs a replica key in us-west-2/,
        );
    });

    it("enables replication metrics without an event threshold unless RTC is on (S3 rejects a threshold without RTC)", () => {
        expect(replicationRule(options({ replicationMetrics: true }), "us-east-2", west, 0).destination).to.deep.equal({
            bucket: WEST_ARN,
            storageClass: "STANDARD_IA",
            metrics: { status: "Enabled" },
        });
        expect((replicationRule(options({ replicationMetrics: true, replicationTimeControl: true }), "us-east-2", west, 0).destination as { metrics?: unknown }).metrics).to.deep.equal({
            status: "Enabled",
            eventThreshold: { minutes: 15 },
        });
    });

    it("names the destination account across accounts, without an owner override", () => {
        const rule = replicationRule(options(), "us-east-2", { ...west, account: "444455556666" }, 1);
        expect(rule.destination).to.deep.equal({ bucket: WEST_ARN, storageClass: "STANDARD_IA", account: "444455556666" });
        expect(rule.destination).not.to.have.property("accessControlTranslation");
    });
});
