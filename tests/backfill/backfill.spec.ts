/**
 * `npm run backfill` against scripted S3 Control (aws-sdk-client-mock) and scripted stack outputs: the
 * CreateJob request field by field, progress while DescribeJob moves, a failed job's reasons, --dry-run and
 * --no-wait, --direction, and the named error when the stack has no Batch Operations role.
 */
import { expect } from "chai";
import { CreateJobCommand, DescribeJobCommand, JobDescriptor, S3ControlClient } from "@aws-sdk/client-s3-control";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { EXIT, main } from "../../tools/backfill/cli";
import { createJobRequest, parseDirection, stackSides, TRANSIENT_RETRIES } from "../../tools/backfill/jobs";
import { captured } from "../cli/streams";

const EAST_ACCOUNT = "111122223333";
const WEST_ACCOUNT = "444455556666";
const sideOutputs = (region: string, account: string, bucket: string, role = true) => ({
    region,
    accountId: account,
    bucketName: bucket,
    bucketArn: `arn:aws:s3:::${bucket}`,
    loggingBucketName: `logging-acme-${region}`,
    trailArn: `arn:aws:cloudtrail:${region}:${account}:trail/acme-crr-trail`,
    ...(role ? { batchReplicationRoleArn: `arn:aws:iam::${account}:role/crr-${region}-batch-replication-role` } : {}),
});
const PAIR = { primary: sideOutputs("us-east-2", EAST_ACCOUNT, "acme-invoices"), secondary: sideOutputs("us-west-2", WEST_ACCOUNT, "acme-crrlab-us-west-2") };
const MESH = {
    sides: {
        "us-east-2": sideOutputs("us-east-2", EAST_ACCOUNT, "acme-crrlab-us-east-2"),
        "us-west-2": sideOutputs("us-west-2", EAST_ACCOUNT, "acme-crrlab-us-west-2"),
        "eu-west-1": sideOutputs("eu-west-1", EAST_ACCOUNT, "acme-crrlab-eu-west-1"),
    },
};

/** An answer of DescribeJob that is an error of this name (as the SDK throws it). */
type Refusal = { readonly error: string };
/** Each region's S3 Control client, scripted: CreateJob answers a job id; DescribeJob walks through `progress`. */
function world(outputs: unknown, progress: Record<string, (JobDescriptor | Refusal)[]> = {}) {
    const mocks = new Map<string, AwsClientStub<S3ControlClient>>();
    const clients = new Map<string, S3ControlClient>();
    const execs: string[][] = [];
    const s3control = (region: string) => {
        if (!clients.has(region)) {
            const client = new S3ControlClient({ region, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
            const mock = mockClient(client);
            const steps = progress[region] ?? [{ Status: "Complete", ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 3, NumberOfTasksFailed: 0 } }];
            let i = 0;
            mock.on(CreateJobCommand).resolves({ JobId: `job-${region}` });
            mock.on(DescribeJobCommand).callsFake(async (input) => {
                expect(input.JobId).to.equal(`job-${region}`);
                const step = steps[Math.min(i++, steps.length - 1)];
                if ("error" in step) {
                    throw Object.assign(new Error(`The specified job does not exist (${step.error})`), { name: step.error, $metadata: { httpStatusCode: 404 } });
                }
                return { Job: { JobId: input.JobId, ...step } };
            });
            mocks.set(region, mock);
            clients.set(region, client);
        }
        return clients.get(region)!;
    };
    let now = 0;
    const deps = {
        s3control,
        exec: (command: string, args: string[]) => {
            execs.push([command, ...args]);
            return { status: 0, stdout: JSON.stringify(outputs), stderr: "" };
        },
        clock: { now: () => now, sleep: async (ms: number) => void (now += ms) },
        runId: "20261205-abc123",
    };
    const calls = (region: string, command: unknown) => mocks.get(region)?.commandCalls(command as never).map((c) => c.args[0].input) ?? [];
    const anyCall = () => [...mocks.values()].some((m) => m.calls().length > 0);
    return { deps, calls, anyCall, execs };
}

async function run(outputs: unknown, argv: string[], progress?: Record<string, (JobDescriptor | Refusal)[]>) {
    const w = world(outputs, progress);
    const io = captured();
    const code = await main(argv, io, w.deps);
    return { code, io, ...w };
}

describe("backfill: the CreateJob request", () => {
    it("in the source's account: generated manifest of eligible never-replicated objects into the logging bucket, S3ReplicateObject, report, role, no confirmation", () => {
        const sides = stackSides("dev", () => ({ status: 0, stdout: JSON.stringify(PAIR), stderr: "" }));
        expect(createJobRequest(sides[0], sides, { objects: "existing", report: "all", priority: 10, runId: "20261205-abc123" })).to.deep.equal({
            AccountId: EAST_ACCOUNT,
            ClientRequestToken: "s3crr-backfill-20261205-abc123-us-east-2",
            ConfirmationRequired: false,
            Operation: { S3ReplicateObject: {} },
            ManifestGenerator: {
                S3JobManifestGenerator: {
                    ExpectedBucketOwner: EAST_ACCOUNT,
                    SourceBucket: "arn:aws:s3:::acme-invoices",
                    EnableManifestOutput: true,
                    ManifestOutputLocation: {
                        ExpectedManifestBucketOwner: EAST_ACCOUNT,
                        Bucket: "arn:aws:s3:::logging-acme-us-east-2",
                        ManifestPrefix: "batch-replication",
                        ManifestFormat: "S3InventoryReport_CSV_20211130",
                    },
                    Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE"] },
                },
            },
            Report: {
                Bucket: "arn:aws:s3:::logging-acme-us-east-2",
                ExpectedBucketOwner: EAST_ACCOUNT,
                Format: "Report_CSV_20180820",
                Enabled: true,
                Prefix: "batch-replication",
                ReportScope: "AllTasks",
            },
            Priority: 10,
            RoleArn: `arn:aws:iam::${EAST_ACCOUNT}:role/crr-us-east-2-batch-replication-role`,
            Description: "s3-crr backfill of acme-invoices (existing objects) to us-west-2",
        });
    });

    it("--objects failed selects FAILED, all selects NONE and FAILED; --report failed is FailedTasksOnly", () => {
        const sides = stackSides("dev", () => ({ status: 0, stdout: JSON.stringify(PAIR), stderr: "" }));
        const failed = createJobRequest(sides[1], sides, { objects: "failed", report: "failed", priority: 3, runId: "r" });
        expect(failed.ManifestGenerator!.S3JobManifestGenerator!.Filter).to.deep.equal({ EligibleForReplication: true, ObjectReplicationStatuses: ["FAILED"] });
        expect(failed.Report!.ReportScope).to.equal("FailedTasksOnly");
        expect(failed.AccountId).to.equal(WEST_ACCOUNT);
        expect(failed.Priority).to.equal(3);
        const all = createJobRequest(sides[1], sides, { objects: "all", report: "all", priority: 3, runId: "r" });
        expect(all.ManifestGenerator!.S3JobManifestGenerator!.Filter!.ObjectReplicationStatuses).to.deep.equal(["NONE", "FAILED"]);
    });

    it("the stack's outputs: a side missing a field is named; a missing Pulumi CLI says so", () => {
        const outputs = { ...PAIR, secondary: { region: "us-west-2", bucketName: "b" } };
        expect(() => stackSides("prod", () => ({ status: 0, stdout: JSON.stringify(outputs), stderr: "" }))).to.throw(
            "stack 'prod' has a side 'secondary' without accountId, bucketArn, loggingBucketName in its outputs: is it this project's stack, deployed?",
        );
        const enoent = Object.assign(new Error("spawnSync pulumi ENOENT"), { code: "ENOENT" });
        expect(() => stackSides("prod", () => ({ status: null, stdout: "", stderr: "", error: enoent }))).to.throw(
            "the Pulumi CLI is not on PATH, so the stack's outputs (buckets, roles) cannot be read",
        );
        expect(() => stackSides("prod", () => ({ status: 255, stdout: "", stderr: "error: no stack named 'prod' found\n" }))).to.throw(
            "pulumi stack output --stack prod failed: error: no stack named 'prod' found",
        );
    });

    it("--direction accepts → and ->, and names a wrong region", () => {
        expect(parseDirection("us-east-2→us-west-2")).to.deep.equal({ from: "us-east-2", to: "us-west-2" });
        expect(parseDirection("us-east-2->us-west-2")).to.deep.equal({ from: "us-east-2", to: "us-west-2" });
        expect(() => parseDirection("us-east-2:us-west-2")).to.throw("--direction 'us-east-2:us-west-2' is not SOURCE→DESTINATION");
        expect(() => parseDirection("us-east-2->us-east-2")).to.throw("names one region twice");
    });
});

describe("npm run backfill", () => {
    it("starts one job per side of a pair, each with its own region's client, and follows them to Complete, printing progress", async () => {
        const progress = {
            "us-east-2": [
                { Status: "New" as const },
                { Status: "Active" as const, ProgressSummary: { TotalNumberOfTasks: 1000, NumberOfTasksSucceeded: 400, NumberOfTasksFailed: 0 } },
                { Status: "Complete" as const, ProgressSummary: { TotalNumberOfTasks: 1000, NumberOfTasksSucceeded: 1000, NumberOfTasksFailed: 0 } },
            ],
        };
        const { code, io, calls, execs } = await run(PAIR, ["--stack", "prod", "--interval", "15s"], progress);
        expect(code, io.err).to.equal(EXIT.done);
        expect(execs).to.deep.equal([["pulumi", "stack", "output", "--json", "--stack", "prod"]]);
        expect(calls("us-east-2", CreateJobCommand).map((r) => r.ManifestGenerator.S3JobManifestGenerator.SourceBucket)).to.deep.equal(["arn:aws:s3:::acme-invoices"]);
        expect(calls("us-west-2", CreateJobCommand).map((r) => r.AccountId)).to.deep.equal([WEST_ACCOUNT]);
        expect(calls("us-east-2", DescribeJobCommand)).to.deep.equal([
            { AccountId: EAST_ACCOUNT, JobId: "job-us-east-2" },
            { AccountId: EAST_ACCOUNT, JobId: "job-us-east-2" },
            { AccountId: EAST_ACCOUNT, JobId: "job-us-east-2" },
        ]);
        expect(io.err).to.contain("caution: AWS advises pausing lifecycle rules that remove expired delete markers while a Batch Replication job runs");
        const lines = io.out.split("\n");
        expect(lines).to.include("us-east-2: started Batch Replication job job-us-east-2 over acme-invoices (report: s3://logging-acme-us-east-2/batch-replication/job-job-us-east-2/)");
        expect(lines).to.include("us-east-2 job job-us-east-2: New, 0 succeeded, 0 failed of ? (manifest being generated) tasks (0.0 s)");
        expect(lines).to.include("us-east-2 job job-us-east-2: Active, 400 succeeded, 0 failed of 1000 tasks (15.0 s)");
        expect(lines).to.include("us-east-2 job job-us-east-2 completed: 1000 object version(s) replicated; report under s3://logging-acme-us-east-2/batch-replication/job-job-us-east-2/");
        expect(lines).to.include("us-west-2 job job-us-west-2 completed: 3 object version(s) replicated; report under s3://logging-acme-us-west-2/batch-replication/job-job-us-west-2/");
    });

    it("a job not yet known to DescribeJob just after CreateJob (NotFoundException): asked again after 2 s, then 4 s, as AWS advises", async () => {
        const progress = {
            "us-east-2": [{ error: "NotFoundException" }, { error: "NotFoundException" }, { Status: "Complete" as const, ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 3, NumberOfTasksFailed: 0 } }],
        };
        const { code, io, calls } = await run(PAIR, ["--direction", "us-east-2->us-west-2"], progress);
        expect(code, io.err).to.equal(EXIT.done);
        expect(calls("us-east-2", DescribeJobCommand)).to.have.length(3);
        expect(io.out.split("\n").filter((l) => l.includes("from DescribeJob"))).to.deep.equal([
            "us-east-2: job job-us-east-2: NotFoundException from DescribeJob (not registered yet, or throttled): asking again in 2 s",
            "us-east-2: job job-us-east-2: NotFoundException from DescribeJob (not registered yet, or throttled): asking again in 4 s",
        ]);
        expect(io.out).to.contain("us-east-2 job job-us-east-2 completed: 3 object version(s) replicated");
    });

    it("a job DescribeJob never finds: named after its retries, exit 2", async () => {
        const { code, io, calls } = await run(PAIR, ["--direction", "us-east-2->us-west-2"], { "us-east-2": [{ error: "NotFoundException" }] });
        expect(code).to.equal(EXIT.couldNotRun);
        expect(calls("us-east-2", DescribeJobCommand)).to.have.length(TRANSIENT_RETRIES + 1);
        expect(io.err).to.contain("NotFoundException: The specified job does not exist (NotFoundException)");
    });

    it("a failed job: its FailureReasons named, exit 1", async () => {
        const progress = {
            "us-west-2": [
                {
                    Status: "Failed" as const,
                    ProgressSummary: { TotalNumberOfTasks: 0, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 0 },
                    FailureReasons: [{ FailureCode: "ManifestGenerationFailed", FailureReason: "Access denied writing the manifest to logging-acme-us-west-2" }],
                    StatusUpdateReason: "Job failed",
                },
            ],
        };
        const { code, io } = await run(PAIR, ["--json", "-"], progress);
        expect(code).to.equal(EXIT.failed);
        expect(io.err).to.contain(
            "us-west-2 job job-us-west-2 Failed: ManifestGenerationFailed: Access denied writing the manifest to logging-acme-us-west-2; status update: Job failed\n",
        );
        const json = JSON.parse(io.out);
        expect(json.jobs.map((j: { region: string; status: string }) => `${j.region} ${j.status}`)).to.deep.equal(["us-east-2 Complete", "us-west-2 Failed"]);
        expect(json.jobs[1].failureReasons).to.deep.equal(["ManifestGenerationFailed: Access denied writing the manifest to logging-acme-us-west-2", "status update: Job failed"]);
    });

    it("a job complete with failed tasks: exit 1, pointing at the completion report", async () => {
        const progress = { "us-east-2": [{ Status: "Complete" as const, ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 8, NumberOfTasksFailed: 2 } }] };
        const { code, io } = await run(PAIR, [], progress);
        expect(code).to.equal(EXIT.failed);
        expect(io.out).to.contain("us-east-2 job job-us-east-2 completed with 2 failed task(s): the completion report under s3://logging-acme-us-east-2/batch-replication/job-job-us-east-2/ names each object and why\n");
    });

    it("--timeout: a job still running is reported with how to follow it, exit 1", async () => {
        const progress = { "us-east-2": [{ Status: "Active" as const, ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 } }] };
        const { code, io, calls } = await run(PAIR, ["--direction", "us-east-2->us-west-2", "--timeout", "1m", "--interval", "30s"], progress);
        expect(code).to.equal(EXIT.failed);
        expect(calls("us-east-2", DescribeJobCommand)).to.have.length(3);
        expect(io.out).to.contain("us-east-2 job job-us-east-2: still Active after --timeout 1m; it keeps running (aws s3control describe-job --region us-east-2 --job-id job-us-east-2)");
    });

    it("--dry-run prints the exact requests and calls nothing at all (no CreateJob, no DescribeJob)", async () => {
        const { code, io, anyCall } = await run(PAIR, ["--dry-run", "--objects", "all"]);
        expect(code).to.equal(EXIT.done);
        expect(anyCall()).to.equal(false);
        const blocks = io.out.split(/^CreateJob in /m).filter(Boolean);
        expect(blocks.map((b) => b.split("\n")[0])).to.deep.equal([
            `us-east-2 (account ${EAST_ACCOUNT}), not sent (--dry-run):`,
            `us-west-2 (account ${WEST_ACCOUNT}), not sent (--dry-run):`,
        ]);
        const first = JSON.parse(blocks[0].slice(blocks[0].indexOf("\n") + 1));
        expect(first.ManifestGenerator.S3JobManifestGenerator.Filter.ObjectReplicationStatuses).to.deep.equal(["NONE", "FAILED"]);
        expect(first.Operation).to.deep.equal({ S3ReplicateObject: {} });
    });

    it("--no-wait starts the jobs and does not follow them", async () => {
        const { code, io, calls } = await run(PAIR, ["--no-wait", "--json", "-"]);
        expect(code).to.equal(EXIT.done);
        expect(calls("us-east-2", DescribeJobCommand)).to.deep.equal([]);
        expect(JSON.parse(io.out)).to.deep.equal({ stack: "dev", jobs: [{ region: "us-east-2", jobId: "job-us-east-2" }, { region: "us-west-2", jobId: "job-us-west-2" }] });
    });

    it("a mesh: --direction limits to the source's job; a destination outside the stack is refused before any call", async () => {
        const one = await run(MESH, ["--direction", "eu-west-1→us-east-2", "--no-wait"]);
        expect(one.code).to.equal(EXIT.done);
        expect(one.calls("eu-west-1", CreateJobCommand).map((r) => r.Description)).to.deep.equal(["s3-crr backfill of acme-crrlab-eu-west-1 (existing objects) to us-east-2, us-west-2"]);
        expect(one.calls("us-east-2", CreateJobCommand)).to.deep.equal([]);
        const outside = await run(MESH, ["--direction", "us-east-2→ap-south-1"]);
        expect(outside.code).to.equal(EXIT.couldNotRun);
        expect(outside.io.err).to.equal("error: --direction: ap-south-1 is not a region of the stack; its regions: us-east-2, us-west-2, eu-west-1\n");
        expect(outside.anyCall()).to.equal(false);
    });

    it("no batchReplicationRoleArn output: a named error telling to set s3-crr:batchReplication, before any call", async () => {
        const outputs = { ...PAIR, secondary: sideOutputs("us-west-2", WEST_ACCOUNT, "acme-crrlab-us-west-2", false) };
        const { code, io, anyCall } = await run(outputs, []);
        expect(code).to.equal(EXIT.couldNotRun);
        expect(io.err).to.equal(
            "error: side 'secondary' (us-west-2) has no batchReplicationRoleArn output: set s3-crr:batchReplication to true (pulumi config set batchReplication true) and deploy, then run backfill again\n",
        );
        expect(anyCall()).to.equal(false);
    });

    it("checks every flag before reading the stack: --objects, --report, --priority, --interval, --direction", async () => {
        const { code, io, execs } = await run(PAIR, ["--objects", "some", "--report", "none", "--priority", "x", "--interval", "soon", "--direction", "us-east-2"]);
        expect(code).to.equal(EXIT.couldNotRun);
        expect(io.err.split("\n").filter(Boolean)).to.deep.equal([
            "error: --objects 'some' is not one of existing, failed, all",
            "error: --report 'none' is not one of all, failed",
            "error: --priority 'x' is not a whole number from 0 to 2147483647",
            io.err.split("\n")[3],
            "error: --direction 'us-east-2' is not SOURCE→DESTINATION (or SOURCE->DESTINATION), such as us-east-2→us-west-2",
        ]);
        expect(io.err.split("\n")[3]).to.match(/^error: --interval/);
        expect(execs).to.deep.equal([]);
    });

    it("an AWS error on CreateJob (no iam:PassRole) is named, exit 2", async () => {
        const w = world(PAIR);
        const client = w.deps.s3control("us-east-2");
        mockClient(client).on(CreateJobCommand).rejects(Object.assign(new Error("User is not authorized to perform: iam:PassRole"), { name: "AccessDenied", $metadata: {} }));
        const io = captured();
        expect(await main(["--direction", "us-east-2->us-west-2"], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err.split("\n").filter((l) => !l.startsWith("caution: "))).to.deep.equal(["error: AccessDenied: User is not authorized to perform: iam:PassRole", ""]);
    });
});
