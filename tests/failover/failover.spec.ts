import { expect } from "chai";
import {
    GetMultiRegionAccessPointRoutesCommand,
    S3ControlClient,
    SubmitMultiRegionAccessPointRoutesCommand,
} from "@aws-sdk/client-s3-control";
import { DeleteObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { EXIT, FailoverDeps, main, USAGE } from "../../tools/failover/cli";
import { MRAP_ROUTE_REGIONS } from "../../components/model/values";
import { accountOfArn, failoverRoutes, ROUTE_API_REGIONS } from "../../tools/failover/routes";
import { captured } from "../cli/streams";

const ACCOUNT = "123456789012";
const ARN = `arn:aws:s3::${ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`;
const EAST = "acme-data-crrlab-us-east-2";
const WEST = "acme-data-crrlab-us-west-2";
const route = (Bucket: string, Region: string, TrafficDialPercentage: number) => ({ Bucket, Region, TrafficDialPercentage });
const STACK_OUTPUTS = JSON.stringify({ primary: {}, secondary: {}, accessPoint: { name: "acme-data", arn: ARN } });

/**
 * One S3 Control client per route API region, each mocked on its own, and a routing table they share, as
 * the service keeps one: a Submit changes what a later Get returns.
 */
function world(
    options: {
        failing?: readonly string[];
        /** Regions whose route API never answers (an unreachable endpoint). */
        hanging?: readonly string[];
        /** The credential chain finds nothing: every call fails as the SDK fails it. */
        noCredentials?: boolean;
        answers?: string[];
        outputs?: string;
        replicaAfterPolls?: number;
    } = {},
) {
    let routes = [route(EAST, "us-east-2", 100), route(WEST, "us-west-2", 0)];
    const mocks = new Map<string, AwsClientStub<S3ControlClient>>();
    const used: string[] = [];
    const asked: string[] = [];
    const clients = new Map<string, S3ControlClient>();
    for (const region of ROUTE_API_REGIONS) {
        const client = new S3ControlClient({ region, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
        const mock = mockClient(client);
        if (options.noCredentials) {
            mock.onAnyCommand().rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
        } else if (options.hanging?.includes(region)) {
            mock.onAnyCommand().callsFake(() => new Promise(() => undefined));
        } else if (options.failing?.includes(region)) {
            mock.onAnyCommand().rejects(Object.assign(new Error("Service Unavailable"), { name: "ServiceUnavailable" }));
        } else {
            mock.on(GetMultiRegionAccessPointRoutesCommand, { AccountId: ACCOUNT, Mrap: ARN }).callsFake(async () => ({ Mrap: ARN, Routes: routes }));
            mock.on(SubmitMultiRegionAccessPointRoutesCommand).callsFake(async (input) => {
                routes = routes.map((r) => ({ ...r, ...input.RouteUpdates.find((u: { Bucket: string }) => u.Bucket === r.Bucket) }));
                return {};
            });
        }
        mocks.set(region, mock);
        clients.set(region, client);
    }
    // --verify: S3 through the access point and per bucket region, on a virtual clock. The put lands in the
    // bucket whose route is active; its replica shows up in the other after `replicaAfterPolls` polls.
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const objects = new Map<string, { status: string; visibleAfter: number }>();
    let polls = 0;
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
    const accessPoint = new S3Client({ region: "us-east-1", credentials });
    const apMock = mockClient(accessPoint);
    apMock.on(PutObjectCommand).callsFake(async (input) => {
        for (const r of routes) {
            const active = r.TrafficDialPercentage > 0;
            objects.set(`${r.Bucket}/${input.Key}`, { status: active ? "COMPLETED" : "REPLICA", visibleAfter: active ? 0 : (options.replicaAfterPolls ?? 2) });
        }
        return { VersionId: "v-original" };
    });
    const bucketClients = new Map<string, S3Client>();
    const bucketMocks: AwsClientStub<S3Client>[] = [];
    for (const region of ["us-east-2", "us-west-2"]) {
        const client = new S3Client({ region, credentials });
        const mock = mockClient(client);
        mock.on(HeadObjectCommand).callsFake(async (input) => {
            polls++;
            const o = objects.get(`${input.Bucket}/${input.Key}`);
            if (!o || polls <= o.visibleAfter) {
                throw Object.assign(new Error("Not Found"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
            }
            return { ReplicationStatus: o.status };
        });
        mock.on(ListObjectVersionsCommand).callsFake(async (input) =>
            objects.has(`${input.Bucket}/${input.Prefix}`) ? { Versions: [{ Key: input.Prefix, VersionId: `v-${region}` }] } : {},
        );
        mock.on(DeleteObjectCommand).resolves({});
        bucketClients.set(region, client);
        bucketMocks.push(mock);
    }
    const deps: FailoverDeps = {
        s3: (region) => bucketClients.get(region)!,
        accessPointS3: () => accessPoint,
        clock,
        runId: "run-1",
        s3control: (region) => {
            used.push(region);
            return clients.get(region)!;
        },
        exec: (command, args) => {
            expect([command, ...args]).to.deep.equal(["pulumi", "stack", "output", "--json", "--stack", "dev"]);
            return { status: 0, stdout: options.outputs ?? STACK_OUTPUTS, stderr: "" };
        },
        ask: async (question) => {
            asked.push(question);
            return options.answers?.shift() ?? "";
        },
    };
    return { deps, mocks, used, asked, routes: () => routes, apMock, bucketMocks, objects };
}

const submits = (w: ReturnType<typeof world>) => [...w.mocks.entries()].flatMap(([region, m]) => m.commandCalls(SubmitMultiRegionAccessPointRoutesCommand).map((c) => [region, c.args[0].input]));

describe("npm run failover (against mocked S3 Control route APIs)", () => {
    it("tries the component's own list of route API Regions (one constant, which also places the routes resource)", () => {
        expect(ROUTE_API_REGIONS).to.equal(MRAP_ROUTE_REGIONS);
        expect([...ROUTE_API_REGIONS]).to.deep.equal(["us-east-1", "us-west-2", "ap-southeast-2", "ap-northeast-1", "eu-west-1"]);
    });

    it("prints usage with its options and exit codes for --help, and exits 0", async () => {
        const io = captured();
        expect(await main(["--help"], io, world().deps)).to.equal(EXIT.done);
        expect(io.out).to.equal(`${USAGE}\n`);
        for (const text of ["--to REGION", "--yes", "--json FILE", "--arn ARN", "exit codes:", "us-east-1, us-west-2, ap-southeast-2, ap-northeast-1, eu-west-1"]) {
            expect(io.out).to.contain(text);
        }
    });

    it("shows the routes of the stack's access point without changing them", async () => {
        const w = world();
        const io = captured();
        expect(await main([], io, w.deps), io.err).to.equal(EXIT.done);
        expect(io.out).to.equal(
            [
                `Access point ${ARN} (routes read in us-east-1):`,
                "  region     bucket                      dial  state",
                `  us-east-2  ${EAST}   100  active`,
                `  us-west-2  ${WEST}     0  passive`,
                "",
            ].join("\n"),
        );
        expect(submits(w)).to.deep.equal([]);
    });

    it("switches to --to after confirmation: that region active, the others passive, and shows before and after", async () => {
        const w = world({ answers: ["y"] });
        const io = captured();
        expect(await main(["--to", "us-west-2"], io, w.deps), io.err).to.equal(EXIT.done);
        expect(w.asked).to.deep.equal(["Make us-west-2 active and us-east-2 passive? [y/N] "]);
        expect(submits(w)).to.deep.equal([
            [
                "us-east-1",
                {
                    AccountId: ACCOUNT,
                    Mrap: ARN,
                    RouteUpdates: [
                        { Bucket: EAST, Region: "us-east-2", TrafficDialPercentage: 0 },
                        { Bucket: WEST, Region: "us-west-2", TrafficDialPercentage: 100 },
                    ],
                },
            ],
        ]);
        expect(io.out).to.contain("Switched in us-east-1: us-west-2 active (traffic moves within about two minutes):");
        expect(io.out).to.contain(`  us-west-2  ${WEST}   100  active`);
        expect(w.routes().map((r) => r.TrafficDialPercentage)).to.deep.equal([0, 100]);
    });

    it("does not switch when the prompt is declined (exit 1)", async () => {
        const w = world({ answers: ["n"] });
        const io = captured();
        expect(await main(["--to", "us-west-2"], io, w.deps)).to.equal(EXIT.notSwitched);
        expect(io.out).to.contain("Not switched.");
        expect(submits(w)).to.deep.equal([]);
    });

    it("tries the next route API region when the first fails, with --yes asking nothing, and writes --json -", async () => {
        const w = world({ failing: ["us-east-1"] });
        const io = captured();
        expect(await main(["--to", "us-west-2", "--yes", "--json", "-"], io, w.deps), io.err).to.equal(EXIT.done);
        expect(w.asked).to.deep.equal([]);
        expect(io.err).to.contain("route API in us-east-1 failed (ServiceUnavailable: Service Unavailable); trying the next region");
        // The submit was tried in us-east-1 (refused) and then made in us-west-2.
        expect(submits(w).map(([region]) => region)).to.deep.equal(["us-east-1", "us-west-2"]);
        expect(w.routes().map((r) => r.TrafficDialPercentage)).to.deep.equal([0, 100]);
        const json = JSON.parse(io.out);
        expect(json).to.deep.equal({
            accessPoint: ARN,
            before: [
                { bucket: EAST, region: "us-east-2", trafficDialPercentage: 100 },
                { bucket: WEST, region: "us-west-2", trafficDialPercentage: 0 },
            ],
            after: [
                { bucket: EAST, region: "us-east-2", trafficDialPercentage: 0 },
                { bucket: WEST, region: "us-west-2", trafficDialPercentage: 100 },
            ],
            switched: true,
        });
    });

    it("fails with exit 2 naming every region when all route API regions fail", async () => {
        const w = world({ failing: ROUTE_API_REGIONS });
        const io = captured();
        expect(await main([], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.contain("error: every Region serving the route APIs failed: us-east-1 (ServiceUnavailable: Service Unavailable); us-west-2");
        expect(w.used).to.deep.equal([...ROUTE_API_REGIONS]);
    });

    it("refuses a region that is not the access point's (exit 2), before asking or submitting", async () => {
        const w = world({ answers: ["y"] });
        const io = captured();
        expect(await main(["--to", "eu-central-1"], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.equal("error: eu-central-1 is not a region of the access point; its regions: us-east-2, us-west-2\n");
        expect(w.asked).to.deep.equal([]);
        expect(submits(w)).to.deep.equal([]);
    });

    it("gives up on a route API region that does not answer within --endpoint-timeout, aborting its request, and moves on", async () => {
        const w = world({ hanging: ["us-east-1"] });
        const io = captured();
        const started = Date.now();
        expect(await main(["--to", "us-west-2", "--yes", "--endpoint-timeout", "50ms"], io, w.deps), io.err).to.equal(EXIT.done);
        expect(Date.now() - started).to.be.lessThan(5000);
        expect(io.err).to.contain("route API in us-east-1 failed (Timeout: no answer within 0.05 s); trying the next region\n");
        expect(w.routes().map((r) => r.TrafficDialPercentage)).to.deep.equal([0, 100]);
        // Each call to the silent region was aborted once its time was up.
        const calls = w.mocks.get("us-east-1")!.calls();
        expect(calls.length).to.be.greaterThan(0);
        expect(calls.every((c) => ((c.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal?.aborted === true)).to.equal(true);
        // The submit went to the silent region first, then (given up) to the next, which answered.
        expect(submits(w).map(([region]) => region)).to.deep.equal(["us-east-1", "us-west-2"]);
    });

    it("says that credentials are missing in one line, trying no other region", async () => {
        const w = world({ noCredentials: true });
        const io = captured();
        expect(await main(["--to", "us-west-2", "--yes"], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.equal(
            "error: no AWS credentials for GetMultiRegionAccessPointRoutes: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
                "or run where an instance or SSO role is available (the standard credential chain).\n",
        );
        expect(w.used).to.deep.equal(["us-east-1"]);
    });

    it("checks --to before any call: a region code, then one of the stack's regions when its outputs name them", async () => {
        const w = world();
        let io = captured();
        expect(await main(["--to", "oregon", "--yes"], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.match(/^error: --to must be an AWS region code that @pulumi\/aws knows, such as 'us-east-2', got 'oregon'; nearest: /);
        const named = world({
            outputs: JSON.stringify({ primary: { region: "us-east-2" }, secondary: { region: "us-west-2" }, accessPoint: { name: "acme-data", arn: ARN } }),
        });
        io = captured();
        expect(await main(["--to", "eu-west-1", "--yes"], io, named.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.equal("error: eu-west-1 is not a region of stack 'dev'; its regions: us-east-2, us-west-2\n");
        expect([...w.used, ...named.used]).to.deep.equal([]);
        io = captured();
        expect(await main(["--to", "us-west-2", "--yes", "--arn", "arn:aws:s3:::not-an-access-point"], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.contain("is not a Multi-Region Access Point ARN");
        expect(w.used).to.deep.equal([]);
    });

    it("says how to get an access point when the stack has none (exit 2)", async () => {
        const w = world({ outputs: JSON.stringify({ primary: {}, secondary: {} }) });
        const io = captured();
        expect(await main([], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.equal(
            "error: stack 'dev' has no access point: set accessPoint to true (pulumi config set accessPoint true) and deploy, or pass --arn\n",
        );
        expect(w.used).to.deep.equal([]);
    });

    it("changes nothing when the region is already the only active one", async () => {
        const w = world();
        const io = captured();
        expect(await main(["--to", "us-east-2", "--yes"], io, w.deps)).to.equal(EXIT.done);
        expect(io.out).to.contain("us-east-2 is already the only active region: nothing to change.");
        expect(submits(w)).to.deep.equal([]);
    });

    it("refuses an unknown option and a malformed --arn with exit 2", async () => {
        const io = captured();
        expect(await main(["--force"], io, world().deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.contain("run 'npm run failover -- --help' for the options");
        const io2 = captured();
        expect(await main(["--arn", "arn:aws:s3:::bucket"], io2, world().deps)).to.equal(EXIT.couldNotRun);
        expect(io2.err).to.contain("is not a Multi-Region Access Point ARN");
    });

    describe("--verify: one object through the access point", () => {
        it("after the switch, lands in the now active region and is replicated to the other; removes every version (exit 0)", async () => {
            const w = world({ replicaAfterPolls: 3 });
            const io = captured();
            expect(await main(["--to", "us-west-2", "--yes", "--verify"], io, w.deps), io.out + io.err).to.equal(EXIT.done);
            expect(w.apMock.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Bucket, c.args[0].input.Key])).to.deep.equal([
                [ARN, "crr-failover-verify/run-1.txt"],
            ]);
            expect(io.out).to.contain("Verify through the access point (crr-failover-verify/run-1.txt): PASS");
            // The put waits out the two minutes AWS gives new routes to take effect, saying so as it waits.
            expect(io.out).to.contain("--verify: waiting 2 m 00 s for the new routes to take effect (--settle)\n  1 m 30 s to go\n  1 m 00 s to go\n  30.0 s to go\n");
            expect(io.out).to.contain(`  us-west-2  ${WEST}  original after 0.0 s`);
            expect(io.out).to.match(new RegExp(`  us-east-2  ${EAST}  replica after \\d+\\.\\d s`));
            expect(io.out).to.contain("  cleanup: removed 2 object versions");
            expect(w.bucketMocks.flatMap((m) => m.commandCalls(DeleteObjectCommand).map((c) => `${c.args[0].input.Bucket} ${c.args[0].input.VersionId}`)).sort()).to.deep.equal([
                `${EAST} v-us-east-2`,
                `${WEST} v-us-west-2`,
            ]);
        });

        it("fails with exit 1 when the replica never shows up, saying where it is missing", async () => {
            const w = world({ replicaAfterPolls: 1_000_000 });
            const io = captured();
            expect(await main(["--verify", "--timeout", "10s"], io, w.deps)).to.equal(EXIT.notSwitched);
            expect(io.out).to.contain("Verify through the access point (crr-failover-verify/run-1.txt): FAIL");
            expect(io.out).to.contain(`  problem: not replicated to us-west-2 (${WEST}) within 10 s`);
            expect(io.out).to.contain("  cleanup: removed 2 object versions");
        });
    });

    it("names an AWS error of --verify's put (exit 2), without a stack trace", async () => {
        const w = world();
        w.apMock.on(PutObjectCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
        const io = captured();
        expect(await main(["--verify"], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err).to.equal("error: AccessDenied: Access Denied\n");
    });

    describe("routes (pure)", () => {
        it("reads the account from the ARN", () => {
            expect(accountOfArn(ARN)).to.equal(ACCOUNT);
        });

        it("makes the target the only active region of three", () => {
            const routes = [
                { bucket: "a", region: "r1", trafficDialPercentage: 100 },
                { bucket: "b", region: "r2", trafficDialPercentage: 100 },
                { bucket: "c", region: "r3", trafficDialPercentage: 0 },
            ];
            expect(failoverRoutes(routes, "r3").map((r) => r.trafficDialPercentage)).to.deep.equal([0, 0, 100]);
        });
    });
});
