import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetBucketReplicationCommand, S3Client } from "@aws-sdk/client-s3";
import { main } from "../../tools/status/cli";
import { judge } from "../../tools/status/status";
import { captured } from "../cli/streams";

const EAST = { bucket: "acme-data-crrlab-us-east-2", region: "us-east-2" };
const WEST = { bucket: "acme-data-crrlab-us-west-2", region: "us-west-2" };
const NOW = new Date("2026-11-26T10:00:00Z");
const FLAGS = ["--primary-bucket", EAST.bucket, "--primary-region", EAST.region, "--secondary-bucket", WEST.bucket, "--secondary-region", WEST.region];

interface Region {
    readonly rules?: { ID: string; Status: "Enabled" | "Disabled"; to: string }[];
    readonly denied?: boolean;
    /** Values per metric query id (m0 latency, m1 bytes pending, m2 operations pending, m3 failed). */
    readonly metrics?: Record<string, number[]>;
    readonly alarms?: { AlarmName: string; StateValue: "OK" | "ALARM" | "INSUFFICIENT_DATA" }[];
}

const METRIC_OF: Record<string, string> = { m0: "ReplicationLatency", m1: "BytesPendingReplication", m2: "OperationsPendingReplication", m3: "OperationsFailedReplication" };

/**
 * A status run against scripted S3 and CloudWatch. Each region's script is of the direction whose source it is;
 * its metrics and alarms are then kept where AWS keeps them: failed operations (and the failure alarm) in the
 * source's region, latency and pending (and their alarms) in the destination's. Each region's CloudWatch
 * answers only what it holds, so a question asked in the wrong region gets no data.
 */
async function run(script: Record<string, Region>, extra: string[] = []) {
    const s3 = new Map<string, S3Client>();
    const cw = new Map<string, CloudWatchClient>();
    const data = new Map<string, number[]>(); // "<region> <metric> <rule id>"
    const alarmStates = new Map<string, string>(); // "<region> <alarm name>"
    for (const [region, r] of Object.entries(script)) {
        for (const rule of r.rules ?? []) {
            const destination = rule.ID.split("-to-")[1];
            for (const [id, values] of Object.entries(r.metrics ?? {})) {
                data.set(`${id === "m3" ? region : destination} ${METRIC_OF[id]} ${rule.ID}`, values);
            }
        }
        for (const a of r.alarms ?? []) {
            const rule = a.AlarmName.replace(/^.*-crr-(failed|latency|backlog)-/, "");
            alarmStates.set(`${/-crr-failed-/.test(a.AlarmName) ? region : rule.split("-to-")[1]} ${a.AlarmName}`, a.StateValue);
        }
    }
    for (const [region, r] of Object.entries(script)) {
        const s3Client = new S3Client({ region });
        const s3Mock = mockClient(s3Client);
        if (r.denied) {
            s3Mock.on(GetBucketReplicationCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));
        } else {
            s3Mock.on(GetBucketReplicationCommand).resolves({
                ReplicationConfiguration: {
                    Role: "arn:aws:iam::1:role/r",
                    Rules: (r.rules ?? []).map((rule) => ({ ID: rule.ID, Status: rule.Status, Destination: { Bucket: `arn:aws:s3:::${rule.to}` } })),
                },
            });
        }
        const cwClient = new CloudWatchClient({ region });
        const cwMock = mockClient(cwClient);
        cwMock.on(GetMetricDataCommand).callsFake(async (input) => ({
            MetricDataResults: (input.MetricDataQueries ?? []).map((q: any) => ({
                Id: q.Id,
                Values: data.get(`${region} ${q.MetricStat.Metric.MetricName} ${q.MetricStat.Metric.Dimensions.find((d: any) => d.Name === "RuleId").Value}`) ?? [],
            })),
        }));
        cwMock.on(DescribeAlarmsCommand).callsFake(async (input) => ({
            MetricAlarms: (input.AlarmNames ?? []).filter((n: string) => alarmStates.has(`${region} ${n}`)).map((n: string) => ({ AlarmName: n, StateValue: alarmStates.get(`${region} ${n}`) })),
        }));
        s3.set(region, s3Client);
        cw.set(region, cwClient);
    }
    const io = captured();
    const code = await main([...FLAGS, "--json", "-", ...extra], io, { s3: (r) => s3.get(r)!, cloudwatch: (r) => cw.get(r)!, now: () => NOW });
    return { code, io, result: io.out ? JSON.parse(io.out) : undefined };
}

const healthy = (region: Region["rules"], alarms: string[]): Region => ({
    rules: region,
    metrics: { m0: [2, 5], m1: [0], m2: [0] },
    alarms: alarms.map((AlarmName) => ({ AlarmName, StateValue: "OK" as const })),
});

describe("npm run status (scripted AWS)", () => {
    const east = healthy([{ ID: "us-east-2-to-us-west-2", Status: "Enabled", to: WEST.bucket }], ["acme-data-crr-failed-us-east-2-to-us-west-2", "acme-data-crr-latency-us-east-2-to-us-west-2"]);
    const west = healthy([{ ID: "us-west-2-to-us-east-2", Status: "Enabled", to: EAST.bucket }], ["acme-data-crr-failed-us-west-2-to-us-east-2"]);

    it("healthy both ways: exit 0, each direction's rule, worst metric values and alarm states", async () => {
        const { code, result, io } = await run({ "us-east-2": east, "us-west-2": west });
        expect(code, io.err).to.equal(0);
        expect(result.verdict).to.equal("healthy");
        expect(result.directions[0]).to.deep.equal({
            from: EAST,
            to: WEST,
            rule: { id: "us-east-2-to-us-west-2", status: "Enabled" },
            // operationsFailed: no data points (S3 publishes failures when there are some): absent from the JSON.
            metrics: { latencySeconds: 5, bytesPending: 0, operationsPending: 0 },
            alarms: [
                { name: "acme-data-crr-failed-us-east-2-to-us-west-2", state: "OK" },
                { name: "acme-data-crr-latency-us-east-2-to-us-west-2", state: "OK" },
            ],
            verdict: "healthy",
            reasons: [],
        });
        expect(io.err).to.contain("us-east-2 -> us-west-2: HEALTHY\n  rule: us-east-2-to-us-west-2 (Enabled)\n");
        expect(io.err).to.contain("Verdict: HEALTHY");
    });

    it("a failing direction: failed operations and the failure alarm firing make exit 2, naming why", async () => {
        const failing: Region = {
            ...west,
            metrics: { m0: [40], m3: [3, 4] },
            alarms: [{ AlarmName: "acme-data-crr-failed-us-west-2-to-us-east-2", StateValue: "ALARM" }],
        };
        const { code, result } = await run({ "us-east-2": east, "us-west-2": failing });
        expect(code).to.equal(2);
        expect(result.directions[1].verdict).to.equal("failing");
        expect(result.directions[1].reasons).to.deep.equal([
            "7 operation(s) failed to replicate in the last hour",
            "alarm acme-data-crr-failed-us-west-2-to-us-east-2 is in ALARM",
        ]);
        expect(result.directions[0].verdict).to.equal("healthy");
    });

    it("one failed operation with no alarm firing is failing: exit 2 (the metric alone is enough)", async () => {
        // The alarms may be missing, not yet evaluated or OK after the period rolled over: S3's own count of
        // failed operations still says that an object did not reach the destination.
        const oneFailure: Region = { ...west, metrics: { m0: [3], m3: [1] } };
        const { code, result } = await run({ "us-east-2": east, "us-west-2": oneFailure });
        expect(code).to.equal(2);
        expect(result.directions[1].verdict).to.equal("failing");
        expect(result.directions[1].alarms.map((a: { state: string }) => a.state)).to.deep.equal(["OK"]);
        expect(result.directions[1].reasons).to.deep.equal(["1 operation(s) failed to replicate in the last hour"]);
        expect(judge({ id: "r", status: "Enabled" }, { operationsFailed: 1 }, [], 900).verdict).to.equal("failing");
        expect(judge({ id: "r", status: "Enabled" }, { operationsFailed: 0 }, [], 900).verdict).to.equal("healthy");
    });

    it("lagging beyond the RPO is degraded: exit 1", async () => {
        const { code, result } = await run({ "us-east-2": { ...east, metrics: { m0: [1200] } }, "us-west-2": west }, ["--rpo", "15m"]);
        expect(code).to.equal(1);
        expect(result.directions[0].reasons).to.deep.equal(["replication lagged 1200 s behind in the last hour, more than the RPO of 900 s"]);
    });

    it("no metrics yet is healthy with a note, and no rule at all is failing", async () => {
        const { code, result } = await run({ "us-east-2": { ...east, metrics: {} }, "us-west-2": { rules: [] } });
        expect(code).to.equal(2);
        expect(result.directions[0].verdict).to.equal("healthy");
        expect(result.directions[0].reasons).to.deep.equal([
            "no replication metrics in the last hour: nothing was replicated, or metrics are off for this rule",
        ]);
        expect(result.directions[1].reasons[0]).to.equal("no replication rule sends this bucket's objects to the destination");
    });

    it("access denied: exit 2 with what the caller needs", async () => {
        const { code, io } = await run({ "us-east-2": { denied: true }, "us-west-2": west });
        expect(code).to.equal(2);
        expect(io.err).to.equal(
            "error: access denied for GetBucketReplication on bucket 'acme-data-crrlab-us-east-2' (us-east-2): the caller needs " +
                "s3:GetReplicationConfiguration on the buckets, and cloudwatch:GetMetricData and cloudwatch:DescribeAlarms in their regions (all read-only).\n",
        );
    });

    it("reads every side of a mesh stack from its outputs and judges all six directions", async () => {
        const EU = { bucket: "acme-data-crrlab-eu-west-1", region: "eu-west-1" };
        const all = [EAST, WEST, EU];
        const clients = (region: string) => {
            const from = all.find((e) => e.region === region)!;
            const s3Client = new S3Client({ region });
            mockClient(s3Client)
                .on(GetBucketReplicationCommand)
                .resolves({
                    ReplicationConfiguration: {
                        Role: "arn:aws:iam::1:role/r",
                        Rules: all
                            .filter((e) => e !== from)
                            .map((to) => ({ ID: `${region}-to-${to.region}`, Status: "Enabled", Destination: { Bucket: `arn:aws:s3:::${to.bucket}` } })),
                    },
                });
            const cwClient = new CloudWatchClient({ region });
            const cw = mockClient(cwClient);
            cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "m0", Values: [3] }] });
            cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
            return { s3: s3Client, cloudwatch: cwClient };
        };
        const made = new Map(all.map((e) => [e.region, clients(e.region)]));
        const outputs = { sides: Object.fromEntries(all.map((e) => [e.region, { bucketName: e.bucket, region: e.region }])) };
        const io = captured();
        const code = await main(["--stack", "global", "--json", "-"], io, {
            s3: (r) => made.get(r)!.s3,
            cloudwatch: (r) => made.get(r)!.cloudwatch,
            now: () => NOW,
            exec: (cmd, args) => {
                expect([cmd, ...args]).to.deep.equal(["pulumi", "stack", "output", "--json", "--stack", "global"]);
                return { status: 0, stdout: JSON.stringify(outputs), stderr: "" };
            },
        });
        expect(code, io.err).to.equal(0);
        const result = JSON.parse(io.out);
        expect(result.directions.map((d: any) => `${d.from.region}>${d.to.region} ${d.rule.id} ${d.verdict}`)).to.deep.equal([
            "us-east-2>us-west-2 us-east-2-to-us-west-2 healthy",
            "us-east-2>eu-west-1 us-east-2-to-eu-west-1 healthy",
            "us-west-2>us-east-2 us-west-2-to-us-east-2 healthy",
            "us-west-2>eu-west-1 us-west-2-to-eu-west-1 healthy",
            "eu-west-1>us-east-2 eu-west-1-to-us-east-2 healthy",
            "eu-west-1>us-west-2 eu-west-1-to-us-west-2 healthy",
        ]);
    });

    it("judges a disabled rule as failing and a firing latency alarm as degraded", () => {
        expect(judge({ id: "r", status: "Disabled" }, {}, [], 900).verdict).to.equal("failing");
        expect(judge({ id: "r", status: "Enabled" }, { latencySeconds: 10 }, [{ name: "p-crr-latency-r", state: "ALARM" }], 900)).to.deep.equal({
            verdict: "degraded",
            reasons: ["alarm p-crr-latency-r is in ALARM"],
        });
    });
});
