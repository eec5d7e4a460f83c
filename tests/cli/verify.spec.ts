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
});
