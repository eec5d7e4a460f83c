import { expect } from "chai";
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import { checkCloudTrail } from "../../tools/verify/cloudtrail";
import { renderReport } from "../../tools/verify/report";
import { formatDuration, lagStats, parseDuration, percentile } from "../../tools/verify/stats";
import { logGroupFromBucket, resolveTargets, stackTargets } from "../../tools/verify/targets";
import { describeAwsError, verifyReplication, VerifyError, VerifyReport } from "../../tools/verify/verifier";
import { Behaviour, ReplicationSimulator } from "./simulator";

const EAST_WEST = "us-east-2->us-west-2";
const WEST_EAST = "us-west-2->us-east-2";
const RUN = "run-1";

async function run(behaviour: Record<string, Behaviour>, options: { samples?: number; timeoutMs?: number; keep?: boolean } = {}) {
    const sim = new ReplicationSimulator(behaviour);
    const report = await verifyReplication({
        ...sim.endpoints,
        samples: options.samples ?? 1,
        timeoutMs: options.timeoutMs ?? 60_000,
        rpoMs: 15 * 60_000,
        pollIntervalMs: 2000,
        keep: options.keep ?? false,
        runId: RUN,
        clock: sim.clock,
    });
    return { sim, report };
}

const failures = (report: VerifyReport) =>
    report.directions.flatMap((d) => d.objects.flatMap((o) => o.checks.filter((c) => !c.ok).map((c) => `${o.direction}: ${c.name}: ${c.detail}`)));

describe("npm run verify (against scripted S3 responses)", () => {
    it("passes when replication completes after some polls, measuring the lag of each direction", async () => {
        const { sim, report } = await run({ [EAST_WEST]: { lagMs: 5000 }, [WEST_EAST]: { lagMs: 9000 } });
        expect(failures(report)).to.deep.equal([]);
        expect(report.ok).to.equal(true);
        // Polls every 2 s: a replica readable at 5 s is seen at 6 s; one at 9 s, at 10 s.
        expect(report.directions.map((d) => [d.direction, d.lag?.max, d.withinRpo])).to.deep.equal([
            ["us-east-2 -> us-west-2", 6000, true],
            ["us-west-2 -> us-east-2", 10000, true],
        ]);
        const checks = report.directions[0].objects[0].checks.map((c) => `${c.name}: ${c.ok}`);
        expect(checks).to.deep.equal(["source status: true", "replica status: true", "size: true", "checksum: true", "encryption: true", "no loop: true"]);
        expect(sim.remaining()).to.deep.equal([]);
    });

    it("reports min, median, p95 and max over several samples", async () => {
        const { report } = await run({ [EAST_WEST]: { lagMs: 3000 }, [WEST_EAST]: { lagMs: 1000 } }, { samples: 3 });
        expect(report.directions[0].lag).to.deep.equal({ count: 3, min: 4000, median: 4000, p95: 4000, max: 4000 });
        expect(report.directions[1].objects).to.have.length(3);
    });

    it("fails when the source reports FAILED", async () => {
        const { sim, report } = await run({ [EAST_WEST]: { fail: true } });
        expect(report.ok).to.equal(false);
        expect(failures(report)).to.deep.equal(["us-east-2 -> us-west-2: source status: the source reports replication FAILED"]);
        expect(sim.remaining()).to.deep.equal([]);
    });

    it("fails on a timeout, saying where replication stood", async () => {
        const { report, sim } = await run({ [WEST_EAST]: { stall: true } }, { timeoutMs: 30_000 });
        expect(failures(report)).to.deep.equal([
            "us-west-2 -> us-east-2: replicated in time: timed out after 30.0 s: source status PENDING, replica not found in the destination",
        ]);
        expect(report.directions[1].withinRpo).to.equal(false);
        expect(sim.remaining()).to.deep.equal([]);
    });

    it("fails when the source says COMPLETED but the replica is missing", async () => {
        const { report } = await run({ [EAST_WEST]: { replicaMissing: true } }, { timeoutMs: 20_000 });
        expect(failures(report)).to.deep.equal([
            "us-east-2 -> us-west-2: replicated in time: timed out after 20.0 s: source status COMPLETED, replica not found in the destination",
        ]);
    });

    it("fails when the replica has another encryption than its source", async () => {
        const { report } = await run({ [EAST_WEST]: { replicaSse: "aws:kms" } });
        expect(failures(report)).to.deep.equal(["us-east-2 -> us-west-2: encryption: source AES256, replica aws:kms"]);
    });

    it("fails on a loop: a second version of the key appears at the source", async () => {
        const { report, sim } = await run({ [WEST_EAST]: { loop: true } });
        expect(failures(report)).to.deep.equal([
            "us-west-2 -> us-east-2: no loop: source holds 2 versions and 0 delete markers of the key",
        ]);
        expect(sim.remaining()).to.deep.equal([]);
    });

    it("hashes the replica's body when S3 has no stored checksum for it", async () => {
        const { report, sim } = await run({ [EAST_WEST]: { noReplicaChecksum: true } });
        expect(failures(report)).to.deep.equal([]);
        expect(sim.calls.filter((c) => c.startsWith("HeadObject"))).to.have.length.greaterThan(2);
    });

    it("removes exactly the versions it created, and keeps them with --keep", async () => {
        const sim = new ReplicationSimulator({});
        sim.seed("acme-crrlab-us-east-2", "crr-verify/other-run/us-east-2-to-us-west-2-0.txt");
        sim.seed("acme-crrlab-us-west-2", "crr-verify/run-10/us-east-2-to-us-west-2-0.txt"); // a prefix of ours
        const report = await verifyReplication({ ...sim.endpoints, samples: 1, timeoutMs: 60_000, rpoMs: 900_000, pollIntervalMs: 2000, keep: false, runId: "run-1", clock: sim.clock });
        expect(report.cleanup.deleted.map((d) => d.replace(/@.*/, "")).sort()).to.deep.equal([
            "acme-crrlab-us-east-2/crr-verify/run-1/us-east-2-to-us-west-2-0.txt",
            "acme-crrlab-us-east-2/crr-verify/run-1/us-west-2-to-us-east-2-0.txt",
            "acme-crrlab-us-west-2/crr-verify/run-1/us-east-2-to-us-west-2-0.txt",
            "acme-crrlab-us-west-2/crr-verify/run-1/us-west-2-to-us-east-2-0.txt",
        ]);
        expect(sim.remaining().map((r) => r.replace(/@.*/, ""))).to.deep.equal([
            "acme-crrlab-us-east-2/crr-verify/other-run/us-east-2-to-us-west-2-0.txt",
            "acme-crrlab-us-west-2/crr-verify/run-10/us-east-2-to-us-west-2-0.txt",
        ]);
        const kept = await run({}, { keep: true });
        expect(kept.report.cleanup).to.deep.equal({ kept: true, deleted: [], errors: [] });
        expect(kept.sim.remaining()).to.have.length(4);
    });

    it("cleans up what it put when a later put is refused, and names what to fix", async () => {
        const sim = new ReplicationSimulator({});
        sim.failures.set("PutObject:acme-crrlab-us-west-2", Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
        const error = await verifyReplication({ ...sim.endpoints, samples: 1, timeoutMs: 60_000, rpoMs: 900_000, pollIntervalMs: 2000, keep: false, runId: RUN, clock: sim.clock }).then(
            () => undefined,
            (e: VerifyError) => e,
        );
        expect(error).to.be.instanceOf(VerifyError);
        expect(error!.message).to.equal(
            "access denied for s3:PutObject on bucket 'acme-crrlab-us-west-2' (us-west-2): the caller needs s3:PutObject, s3:GetObject, " +
                "s3:GetObjectVersion, s3:ListBucket (without it S3 answers 403, not 404, for an object not there yet), s3:ListBucketVersions and " +
                "s3:DeleteObjectVersion on both buckets, and with SSE-KMS kms:GenerateDataKey and kms:Decrypt on their keys.",
        );
        expect(error!.cleanup!.deleted.map((d) => d.replace(/@.*/, ""))).to.deep.equal(["acme-crrlab-us-east-2/crr-verify/run-1/us-east-2-to-us-west-2-0.txt"]);
        expect(sim.remaining()).to.deep.equal([]);
    });

    it("renders a table and a verdict", async () => {
        const { report } = await run({ [EAST_WEST]: { lagMs: 5000 }, [WEST_EAST]: { lagMs: 9000 } });
        const text = renderReport(report).join("\n");
        expect(text).to.contain("direction               replicated  min     median  p95     max     within RPO");
        expect(text).to.contain("us-east-2 -> us-west-2  1/1         6.0 s   6.0 s   6.0 s   6.0 s   yes");
        expect(text).to.contain("us-west-2 -> us-east-2  1/1         10.0 s  10.0 s  10.0 s  10.0 s  yes");
        expect(text).to.contain("Cleanup: removed 4 object versions and delete markers.");
        expect(text).to.contain("Verdict: PASS");
    });

    describe("AWS errors, named with what to fix", () => {
        const endpoint = new ReplicationSimulator({}).endpoints.secondary;
        const cases: [Record<string, unknown>, RegExp][] = [
            [{ name: "CredentialsProviderError", message: "Could not load credentials from any providers" }, /^no AWS credentials for s3:PutObject: set AWS_PROFILE/],
            [{ name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } }, /^bucket 'acme-crrlab-us-west-2' \(us-west-2\) does not exist: deploy the stack \(pulumi up\) or pass the right --secondary-bucket/],
            [{ name: "PermanentRedirect", $metadata: { httpStatusCode: 301 } }, /the bucket is in another region; pass the right --secondary-region/],
        ];
        for (const [error, message] of cases) {
            it(String(error.name), () => {
                expect(describeAwsError(Object.assign(new Error(String(error.message ?? error.name)), error), "s3:PutObject", endpoint).message).to.match(message);
            });
        }
    });

    describe("lag statistics and durations", () => {
        it("uses nearest-rank percentiles and the middle of an even count for the median", () => {
            expect(lagStats([5, 1, 3, 2, 4])).to.deep.equal({ count: 5, min: 1, median: 3, p95: 5, max: 5 });
            expect(lagStats([4, 1, 3, 2])!.median).to.equal(2.5);
            const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
            expect(percentile(hundred, 95)).to.equal(95);
            expect(percentile(hundred, 50)).to.equal(50);
            expect(lagStats([])).to.equal(undefined);
        });
        it("parses and formats durations", () => {
            expect(["15m", "90s", "1h", "500ms", "2"].map((d) => parseDuration(d, "--timeout"))).to.deep.equal([900_000, 90_000, 3_600_000, 500, 2000]);
            expect(() => parseDuration("soon", "--rpo")).to.throw("--rpo must be a duration such as 90s, 15m or 1h; got 'soon'");
            expect([formatDuration(6000), formatDuration(185_000)]).to.deep.equal(["6.0 s", "3 m 05 s"]);
        });
    });

    describe("targets", () => {
        const outputs = {
            primary: { region: "us-east-2", bucketName: "acme-crrlab-us-east-2", logGroupName: "CloudTrail/logs/acme" },
            secondary: { region: "us-west-2", bucketName: "acme-crrlab-us-west-2", logGroupName: "CloudTrail/logs/acme" },
        };
        it("reads the buckets, regions and log groups from `pulumi stack output --json`", () => {
            const calls: string[][] = [];
            const targets = stackTargets("dev", (cmd, args) => {
                calls.push([cmd, ...args]);
                return { status: 0, stdout: JSON.stringify(outputs), stderr: "" };
            });
            expect(calls).to.deep.equal([["pulumi", "stack", "output", "--json", "--stack", "dev"]]);
            expect(targets.secondary).to.deep.equal({ bucket: "acme-crrlab-us-west-2", region: "us-west-2", logGroupName: "CloudTrail/logs/acme" });
        });
        it("says what to pass when the Pulumi CLI is missing, and takes explicit flags without it", () => {
            const missing = () => ({ status: null, stdout: "", stderr: "", error: Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" }) });
            expect(() => stackTargets("dev", missing)).to.throw(VerifyError, "the Pulumi CLI is not on PATH");
            const targets = resolveTargets(
                { stack: "dev", primaryBucket: "x-crrlab-us-east-2", primaryRegion: "us-east-2", secondaryBucket: "x-crrlab-eu-west-1", secondaryRegion: "eu-west-1" },
                missing,
            );
            expect(targets.secondary.logGroupName).to.equal("CloudTrail/logs/x");
            expect(logGroupFromBucket("other-bucket", "us-east-2")).to.equal(undefined);
        });
        it("refuses two buckets in one region", () => {
            expect(() =>
                resolveTargets({ stack: "dev", primaryBucket: "a", primaryRegion: "us-east-2", secondaryBucket: "b", secondaryRegion: "us-east-2" }),
            ).to.throw("both buckets are in us-east-2");
        });
    });

    describe("--cloudtrail", () => {
        it("queries each region until the upload and the AWS Internal replication write are both there", async () => {
            const { report, sim } = await run({ [EAST_WEST]: { lagMs: 3000 }, [WEST_EAST]: { lagMs: 3000 } });
            const objects = report.directions.flatMap((d) => d.objects);
            const [eastToWest, westToEast] = objects.map((o) => o.key);
            const row = (key: string, bucket: string, invokedBy?: string) => [
                { field: "key", value: key },
                { field: "bucket", value: bucket },
                ...(invokedBy ? [{ field: "invokedBy", value: invokedBy }] : []),
            ];
            const east = new CloudWatchLogsClient({ region: "us-east-2" });
            const west = new CloudWatchLogsClient({ region: "us-west-2" });
            let eastQueries = 0;
            const eastMock = mockClient(east);
            eastMock.on(StartQueryCommand).callsFake(async () => ({ queryId: `east-${++eastQueries}` }));
            // The first query finds only the upload; CloudTrail has delivered the replication write by the second.
            eastMock.on(GetQueryResultsCommand).callsFake(async ({ queryId }) => ({
                status: "Complete",
                results: queryId === "east-1" ? [row(eastToWest, "acme-crrlab-us-east-2")] : [row(eastToWest, "acme-crrlab-us-east-2"), row(westToEast, "acme-crrlab-us-east-2", "AWS Internal")],
            }));
            const westMock = mockClient(west);
            westMock.on(StartQueryCommand).resolves({ queryId: "west" });
            westMock.on(GetQueryResultsCommand).resolves({ status: "Complete", results: [row(westToEast, "acme-crrlab-us-west-2"), row(eastToWest, "acme-crrlab-us-west-2", "AWS Internal")] });
            const found = await checkCloudTrail(
                [
                    { region: "us-east-2", bucket: "acme-crrlab-us-east-2", logGroupName: "CloudTrail/logs/acme", logs: east },
                    { region: "us-west-2", bucket: "acme-crrlab-us-west-2", logGroupName: "CloudTrail/logs/acme", logs: west },
                ],
                objects,
                `crr-verify/${RUN}/`,
                sim.clock.now(),
                600_000,
                sim.clock,
            );
            expect(found).to.deep.equal([
                { key: eastToWest, direction: "us-east-2 -> us-west-2", upload: true, replicationWrite: true },
                { key: westToEast, direction: "us-west-2 -> us-east-2", upload: true, replicationWrite: true },
            ]);
            expect(eastQueries).to.equal(2);
            const query = eastMock.commandCalls(StartQueryCommand)[0].args[0].input;
            expect(query.logGroupName).to.equal("CloudTrail/logs/acme");
            expect(query.queryString).to.contain("| filter eventName = 'PutObject'\n| filter key like /^crr-verify\\/run-1\\//");
        });
    });
});
