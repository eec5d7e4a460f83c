/**
 * `npm run verify` as a command: its exported `main` in this process, against the scripted S3 of
 * tests/verify/simulator.ts on a virtual clock (no AWS), for what the command line adds to the verifier:
 * `--json -` and `--json FILE`, where the report goes, and the exit codes.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { main, VerifyDeps } from "../../tools/verify/cli";
import { Behaviour, ReplicationSimulator } from "../verify/simulator";
import { captured } from "./streams";

const BUCKETS = [
    "--primary-bucket",
    "acme-crrlab-us-east-2",
    "--primary-region",
    "us-east-2",
    "--secondary-bucket",
    "acme-crrlab-us-west-2",
    "--secondary-region",
    "us-west-2",
];
const QUICK = { "us-east-2->us-west-2": { lagMs: 3000 }, "us-west-2->us-east-2": { lagMs: 5000 } };

function depsFor(sim: ReplicationSimulator): VerifyDeps {
    const { primary, secondary } = sim.endpoints;
    return {
        s3: (region) => (region === primary.region ? primary.s3 : secondary.s3),
        logs: (region) => new CloudWatchLogsClient({ region }),
        clock: sim.clock,
        runId: "cli-run",
        exec: () => {
            throw new Error("the Pulumi CLI must not be run when all four bucket options are given");
        },
    };
}

async function verify(args: string[], behaviour: Record<string, Behaviour> = QUICK) {
    const sim = new ReplicationSimulator(behaviour);
    const io = captured();
    const code = await main(args, io, depsFor(sim));
    return { code, io, sim };
}

describe("npm run verify, the command (scripted S3)", () => {
    it("--json - writes only the JSON result to standard output; the report and progress go to standard error", async () => {
        const { code, io, sim } = await verify([...BUCKETS, "--json", "-"]);
        expect(code, io.err).to.equal(0);
        const result = JSON.parse(io.out);
        expect(result.runId).to.equal("cli-run");
        expect(result.ok).to.equal(true);
        expect(result.directions.map((d: any) => [d.direction, d.lag.max])).to.deep.equal([
            ["us-east-2 -> us-west-2", 4000],
            ["us-west-2 -> us-east-2", 6000],
        ]);
        expect(io.err).to.contain("put 2 test objects (1 per direction); waiting for replication\n");
        expect(io.err).to.contain("Replication check cli-run (RPO 15 m 00 s)\n");
        expect(io.err).to.contain("Verdict: PASS");
        expect(fs.existsSync("-"), "no file named '-'").to.equal(false);
        expect(sim.remaining()).to.deep.equal([]);
    });

    it("--json FILE writes the same result to the file and the report to standard output", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-"));
        const file = path.join(dir, "verify.json");
        const { code, io } = await verify([...BUCKETS, "--json", file, "--samples", "2"]);
        expect(code, io.err).to.equal(0);
        expect(io.out).to.contain("us-east-2 -> us-west-2  2/2 ");
        expect(io.out).to.contain("Cleanup: removed 8 object versions and delete markers.\n");
        const result = JSON.parse(fs.readFileSync(file, "utf8"));
        expect(result.directions[0].objects).to.have.length(2);
        expect(result.cleanup.deleted).to.have.length(8);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 1 when a check fails, with the FAIL line on standard output", async () => {
        const { code, io } = await verify(BUCKETS, { "us-east-2->us-west-2": { fail: true }, "us-west-2->us-east-2": { lagMs: 1000 } });
        expect(code).to.equal(1);
        expect(io.out).to.contain("FAIL crr-verify/cli-run/us-east-2-to-us-west-2-0.txt: source status: the source reports replication FAILED");
        expect(io.out).to.contain("Verdict: FAIL");
    });

    it("exits 2 when the run cannot be made, saying what was cleaned up, in the singular for one version", async () => {
        const sim = new ReplicationSimulator(QUICK);
        sim.failures.set("PutObject:acme-crrlab-us-west-2", Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
        const io = captured();
        expect(await main(BUCKETS, io, depsFor(sim))).to.equal(2);
        expect(io.err).to.match(/^error: access denied for s3:PutObject on bucket 'acme-crrlab-us-west-2' \(us-west-2\)/);
        expect(io.err).to.contain("\ncleanup: removed 1 object version\n");
        expect(io.out).to.equal("");
    });

    it("exits 2 on a bad value, naming the option, before touching S3", async () => {
        for (const [args, message] of [
            [["--samples", "0"], "error: --samples must be a whole number from 1 to 100, got '0'\n"],
            [["--rpo", "soon"], "error: --rpo must be a duration such as 90s, 15m or 1h; got 'soon'\n"],
        ] as const) {
            const { code, io, sim } = await verify([...BUCKETS, ...args]);
            expect(code).to.equal(2);
            expect(io.err).to.equal(`${message}run 'npm run verify -- --help' for the options\n`);
            expect(sim.calls).to.deep.equal([]);
        }
    });

    it("exits 2 without the Pulumi CLI when the buckets are not all given", async () => {
        const io = captured();
        const sim = new ReplicationSimulator(QUICK);
        const noPulumi = () => ({ status: null, stdout: "", stderr: "", error: Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" }) });
        expect(await main(["--primary-bucket", "acme-crrlab-us-east-2"], io, { ...depsFor(sim), exec: noPulumi })).to.equal(2);
        expect(io.err).to.contain("error: the Pulumi CLI is not on PATH, so the stack's outputs cannot be read: pass --primary-bucket");
    });

    describe("a mesh stack", () => {
        const REGIONS = ["us-east-2", "us-west-2", "eu-west-1"];
        const lags: Record<string, Behaviour> = {};
        REGIONS.forEach((from, i) => REGIONS.filter((to) => to !== from).forEach((to, j) => (lags[`${from}->${to}`] = { lagMs: 1000 * (2 * i + j + 1) })));
        /** `pulumi stack output --json` of the program's mesh: its `sides` by region. */
        const meshOutputs = JSON.stringify({
            sides: Object.fromEntries(REGIONS.map((r) => [r, { region: r, bucketName: `acme-crrlab-${r}`, logGroupName: "CloudTrail/logs/acme" }])),
            dashboardName: "acme-crr",
        });
        const meshDeps = (sim: ReplicationSimulator, asked: string[][]): VerifyDeps => ({
            s3: (region) => sim.sides.find((s) => s.region === region)!.s3,
            logs: (region) => new CloudWatchLogsClient({ region }),
            clock: sim.clock,
            runId: "mesh-run",
            exec: (command, args) => {
                asked.push([command, ...args]);
                return { status: 0, stdout: meshOutputs, stderr: "" };
            },
        });

        it("checks every direction of the stack's sides, with the same report per direction, and cleans every bucket", async () => {
            const sim = new ReplicationSimulator(lags, "AES256", REGIONS);
            const io = captured();
            const asked: string[][] = [];
            const code = await main(["--stack", "mesh", "--json", "-"], io, meshDeps(sim, asked));
            expect(code, io.err).to.equal(0);
            expect(asked).to.deep.equal([["pulumi", "stack", "output", "--json", "--stack", "mesh"]]);
            const result = JSON.parse(io.out);
            expect(result.directions.map((d: any) => [d.direction, d.objects.length, d.withinRpo])).to.deep.equal([
                ["us-east-2 -> us-west-2", 1, true],
                ["us-east-2 -> eu-west-1", 1, true],
                ["us-west-2 -> us-east-2", 1, true],
                ["us-west-2 -> eu-west-1", 1, true],
                ["eu-west-1 -> us-east-2", 1, true],
                ["eu-west-1 -> us-west-2", 1, true],
            ]);
            expect(result.directions[0].objects[0].checks.map((c: any) => c.name)).to.deep.equal([
                "source status", "replica status", "size", "checksum", "encryption", "no loop",
            ]);
            expect(io.err).to.contain("put 6 test objects (1 per direction); waiting for replication\n");
            expect(io.err).to.contain("Verdict: PASS: every object replicated in each of 6 directions within the RPO");
            // Each object reached all three buckets: the cleanup removed it (and its replicas) from every one.
            expect(result.cleanup.deleted).to.have.length(18);
            expect(sim.remaining()).to.deep.equal([]);
        });

        it("checks only the directions named, and fails one that does not replicate", async () => {
            const sim = new ReplicationSimulator({ ...lags, "eu-west-1->us-east-2": { fail: true } }, "AES256", REGIONS);
            const io = captured();
            const code = await main(["--stack", "mesh", "--direction", "us-east-2:eu-west-1", "--direction", "eu-west-1:us-east-2"], io, meshDeps(sim, []));
            expect(code).to.equal(1);
            expect(io.out).to.match(/^us-east-2 -> eu-west-1 {2}1\/1 /m);
            expect(io.out).to.contain("FAIL crr-verify/mesh-run/eu-west-1-to-us-east-2-0.txt: source status: the source reports replication FAILED");
            expect(io.out.match(/^\S+ -> \S+ /gm)).to.deep.equal(["us-east-2 -> eu-west-1 ", "eu-west-1 -> us-east-2 "]);
            expect(sim.remaining()).to.deep.equal([]);
        });

        it("judges each direction of a mesh by its own destination: a source FAILED towards eu-west-1 still passes towards us-west-2", async () => {
            // S3 reports FAILED on a source with several destinations when any one failed, once all are done.
            const sim = new ReplicationSimulator({ ...lags, "us-east-2->eu-west-1": { fail: true } }, "AES256", REGIONS);
            const io = captured();
            const code = await main(["--stack", "mesh", "--direction", "us-east-2:us-west-2", "--direction", "us-east-2:eu-west-1", "--json", "-"], io, meshDeps(sim, []));
            expect(code).to.equal(1);
            const report = JSON.parse(io.out);
            const checks = (i: number) => report.directions[i].objects[0].checks.map((c: { name: string; ok: boolean; detail: string }) => [c.name, c.ok, c.detail]);
            expect(report.directions.map((d: { direction: string; withinRpo: boolean }) => [d.direction, d.withinRpo])).to.deep.equal([
                ["us-east-2 -> us-west-2", true],
                ["us-east-2 -> eu-west-1", false],
            ]);
            expect(checks(0)[0]).to.deep.equal(["source status", true, "source reports PENDING (it covers every destination of the mesh; this one holds the replica)"]);
            expect(checks(0).every((c: [string, boolean]) => c[1])).to.equal(true);
            expect(checks(1)).to.deep.equal([
                ["source status", false, "the source reports replication FAILED and this destination has no replica (a mesh source reports FAILED once every destination is done)"],
            ]);
            expect(sim.remaining()).to.deep.equal([]);
        });

        it("takes the sides as --side REGION=BUCKET without the Pulumi CLI, and names a bad --direction or --side before touching S3", async () => {
            const sides = REGIONS.flatMap((r) => ["--side", `${r}=acme-crrlab-${r}`]);
            const sim = new ReplicationSimulator(lags, "AES256", REGIONS);
            const noCli = { ...meshDeps(sim, []), exec: () => { throw new Error("no Pulumi CLI with --side"); } };
            const ok = captured();
            expect(await main([...sides, "--direction", "us-west-2:us-east-2"], ok, noCli)).to.equal(0);
            expect(ok.out).to.contain("us-west-2 -> us-east-2  1/1 ");
            for (const [args, message] of [
                [[...sides, "--direction", "us-east-2:ap-south-1"], "error: --direction must be FROM:TO, two different regions of the sides (us-east-2, us-west-2, eu-west-1), got 'us-east-2:ap-south-1'\n"],
                [["--side", "us-east-2=acme-crrlab-us-east-2"], "error: --side must name two or more sides in distinct regions, got us-east-2=acme-crrlab-us-east-2\n"],
                [["--side", "us-east-2"], "error: --side must be REGION=BUCKET (us-east-2=acme-crrlab-us-east-2), got 'us-east-2'\n"],
            ] as const) {
                const fresh = new ReplicationSimulator(lags, "AES256", REGIONS);
                const io = captured();
                expect(await main([...args], io, { ...meshDeps(fresh, []), exec: noCli.exec })).to.equal(2);
                expect(io.err).to.equal(message);
                expect(fresh.calls).to.deep.equal([]);
            }
        });
    });
});
