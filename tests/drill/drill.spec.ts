import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { EXIT, main, USAGE } from "../../tools/drill/cli";
import { captured } from "../cli/streams";
import { AP_ARN, BACKUP_ROLE, CONTINUOUS_RP, EAST, WEST, World, WorldOptions } from "./world";

const LAGS = { "us-east-2": 4000, "us-west-2": 6000 };
const ORIGINAL_ROUTES = [
    { Bucket: EAST, Region: "us-east-2", TrafficDialPercentage: 100 },
    { Bucket: WEST, Region: "us-west-2", TrafficDialPercentage: 0 },
];

function backedUp(options: WorldOptions = {}) {
    const world = new World({ lagMs: LAGS, accessPoint: true, backup: true, failoverMs: 90_000, ...options });
    world.recoveryPoints = [{ RecoveryPointArn: CONTINUOUS_RP, CreationDate: new Date("2026-11-20T05:00:00Z"), Status: "COMPLETED" }];
    return world;
}

async function drill(world: World, argv: string[] = [], extra: { interruptOn?: string; outputs?: string } = {}) {
    const io = captured();
    let subscribed: (() => void) | undefined;
    let unsubscribed = false;
    let listened = false;
    world.onCall = (command) => {
        // The first such call interrupts the drill, as the first Ctrl-C does.
        if (command === extra.interruptOn && subscribed) {
            const stop = subscribed;
            subscribed = undefined;
            stop();
        }
    };
    const code = await main(["--interval", "2s", ...argv], io, {
        ...world.deps(),
        exec: world.exec(extra.outputs),
        runId: "run-1",
        onInterrupt: (stop) => {
            subscribed = stop;
            listened = true;
            return () => void (unsubscribed = true);
        },
    });
    // The command stops listening for interruptions once it is done (a later Ctrl-C ends the process).
    expect(unsubscribed).to.equal(listened);
    return { code, io, report: argv.includes("-") ? JSON.parse(io.out) : undefined };
}

describe("npm run drill", () => {
    it("meets every objective: RPO per direction, RTO of a failover through the access point, both restores; cleans up and fails back", async () => {
        const world = backedUp();
        const { code, io, report } = await drill(world, ["--json", "-"]);
        expect(code, io.err).to.equal(EXIT.met);
        expect(report.objectives.map((o: { name: string; measured: string; met: boolean }) => [o.name, o.measured, o.met])).to.deep.equal([
            // Only the active region (us-east-2) takes writes; its canary is readable in us-west-2 on the first poll after 6 s.
            ["RPO", "6.0 s (slowest of 1 direction)", true],
            ["RTO", "90.0 s (failover to us-west-2)", true],
            ["restore a deleted object", "restored by AWS Backup in 15.0 s, SHA-256 matches", true],
            ["restore an overwritten object", "restored by object versions in 0.0 s, SHA-256 matches", true],
        ]);
        // The failover and the fail-back, in that order, each with the whole routing table.
        expect(world.commands("SubmitMultiRegionAccessPointRoutes").map((c) => c.input.RouteUpdates)).to.deep.equal([
            [
                { Bucket: EAST, Region: "us-east-2", TrafficDialPercentage: 0 },
                { Bucket: WEST, Region: "us-west-2", TrafficDialPercentage: 100 },
            ],
            ORIGINAL_ROUTES,
        ]);
        expect(world.routes).to.deep.equal(ORIGINAL_ROUTES);
        // The deleted canary came back through AWS Backup, in place, at the time before the damage.
        const job = world.commands("StartRestoreJob")[0].input as { IamRoleArn: string; Metadata: Record<string, string> };
        expect(job.IamRoleArn).to.equal(BACKUP_ROLE);
        expect(job.Metadata).to.deep.include({
            DestinationBucketName: EAST,
            NewBucket: "false",
            ItemsToRestore: `["s3://${EAST}/crr-drill/run-1/restore-deleted.txt"]`,
        });
        // The restore point lies after the canary's put, its 1.5 s and the 5 minutes of --settle, and 1.5 s before the
        // deletion; sent to the second as AWS documents RestoreTime, it falls half a second earlier, on the same sides.
        expect(job.Metadata.RestoreTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        const restoreAt = Date.parse(job.Metadata.RestoreTime);
        const put = world.commands("PutObject").find((c) => c.input.Key === "crr-drill/run-1/restore-deleted.txt")!;
        const deletion = world.commands("DeleteObject").find((c) => c.input.VersionId === undefined)!;
        expect(deletion.input.Key).to.equal("crr-drill/run-1/restore-deleted.txt");
        expect([restoreAt - put.at, deletion.at - restoreAt]).to.deep.equal([1000 + 300_000, 2000]);
        // The overwritten canary came back by copying its first version over the corrupted one.
        expect(world.commands("CopyObject").map((c) => c.input.Key)).to.deep.equal(["crr-drill/run-1/restore-corrupted.txt"]);
        // Nothing of the drill is left in either bucket.
        expect(world.keysUnder("crr-drill/")).to.deep.equal([]);
        expect(report.cleanup.left).to.deep.equal([]);
        expect(report.cleanup.routes).to.equal("unchanged");
    });

    it("misses the RPO when a replica takes longer than rpoSeconds: exit 1, the objective FAIL, still cleaned up", async () => {
        const world = backedUp({ lagMs: { "us-east-2": 4000, "us-west-2": 120_000 } });
        const { code, report } = await drill(world, ["--json", "-"], { outputs: world.stackOutputs({ rpoSeconds: 60, rtoSeconds: 600 }) });
        expect(code).to.equal(EXIT.missed);
        expect(report.objectives[0]).to.deep.equal({ name: "RPO", target: "60 s", measured: "120.0 s (slowest of 1 direction)", met: false });
        expect(world.keysUnder("crr-drill/")).to.deep.equal([]);
    });

    it("a failover that does not take: RTO FAIL after the wait, the routes set back as found", async () => {
        const world = backedUp({ failoverMs: null });
        const { code, io, report } = await drill(world, ["--timeout", "5m", "--json", "-"]);
        expect(code).to.equal(EXIT.missed);
        expect(report.objectives[1]).to.deep.equal({ name: "RTO", target: "600 s", measured: "the failover did not take within 5 m 00 s", met: false });
        expect(world.routes).to.deep.equal(ORIGINAL_ROUTES);
        expect(io.err).to.contain("reads through the access point still served from us-east-2 after 5 m 00 s");
    });

    it("an interruption midway (SIGINT during the failover) still removes every canary and sets the routes back; exit 2", async () => {
        const world = backedUp();
        const { code, io, report } = await drill(world, ["--json", "-"], { interruptOn: "SubmitMultiRegionAccessPointRoutes" });
        expect(code).to.equal(EXIT.couldNotRun);
        expect(report.interrupted).to.equal(true);
        expect(report.steps.map((s: { name: string; status: string }) => [s.name, s.status])).to.deep.equal([
            ["RPO", "done"],
            ["RTO", "failed"],
        ]);
        expect(report.cleanup.routes).to.equal("set back as found (us-east-2 active)");
        expect(world.routes).to.deep.equal(ORIGINAL_ROUTES);
        expect(world.keysUnder("crr-drill/")).to.deep.equal([]);
        expect(io.err).to.contain("interrupted: stopping the drill and cleaning up the canaries and the routes");
        expect(io.err).to.contain("error: interrupted");
    });

    it("without an access point and without backups: RTO not measured (not a failure), the deleted canary restored from versions", async () => {
        const world = new World({ lagMs: LAGS });
        const { code, report } = await drill(world, ["--json", "-"]);
        expect(code).to.equal(EXIT.met);
        expect(report.objectives.map((o: { name: string; met?: boolean }) => [o.name, o.met])).to.deep.equal([
            ["RPO", true],
            ["RTO", undefined],
            ["restore a deleted object", true],
            ["restore an overwritten object", true],
        ]);
        expect(report.objectives[0].measured).to.equal("6.0 s (slowest of 2 directions)");
        expect(report.objectives[2].measured).to.match(/^restored by object versions in/);
        expect(world.commands("StartRestoreJob")).to.deep.equal([]);
        expect(world.keysUnder("crr-drill/")).to.deep.equal([]);
    });

    it("--dry-run prints the plan of calls and makes none", async () => {
        const world = backedUp();
        const { code, io } = await drill(world, ["--dry-run"]);
        expect(code).to.equal(EXIT.met);
        expect(world.calls.filter((c) => c.client !== "pulumi").map((c) => c.command)).to.deep.equal([]);
        expect(io.out).to.contain("1. RPO (objective 900 s): in each active region s3:PutObject crr-drill/run-1/rpo-<region>.txt");
        expect(io.out).to.contain(`s3:HeadObject through ${AP_ARN} until it answers from that region`);
        expect(io.out).to.contain(`backup:StartRestoreJob (in place, the deleted object, at the time before the damage) as ${BACKUP_ROLE}`);
        // With AWS Backup the canaries stay intact five minutes, for the continuous backup to record them.
        expect(io.out).to.contain("a wait of 5 m 00 s for the backup to record them; s3:DeleteObject the first");
    });

    it("writes a Markdown report an auditor can keep: each objective, target, measured value and result", async () => {
        const world = backedUp();
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drill-")), "drill.md");
        const { code } = await drill(world, ["--report", file]);
        expect(code).to.equal(EXIT.met);
        const md = fs.readFileSync(file, "utf8").split("\n");
        expect(md[0]).to.equal("# Disaster recovery drill: stack `dev`");
        expect(md.slice(4, 10)).to.deep.equal([
            "| objective | target | measured | result |",
            "|---|---|---|---|",
            "| RPO | 900 s | 6.0 s (slowest of 1 direction) | PASS |",
            "| RTO | 600 s | 90.0 s (failover to us-west-2) | PASS |",
            "| restore a deleted object | content as written before the damage | restored by AWS Backup in 15.0 s, SHA-256 matches | PASS |",
            "| restore an overwritten object | content as written before the damage | restored by object versions in 0.0 s, SHA-256 matches | PASS |",
        ]);
    });

    it("no credentials: the drill stops at its first call, names what to set, exit 2", async () => {
        const world = new World({ lagMs: LAGS, noCredentials: true });
        const { code, io } = await drill(world);
        expect(code).to.equal(EXIT.couldNotRun);
        expect(io.err).to.contain("error: no AWS credentials: set AWS_PROFILE");
    });

    it("access denied on the first canary: the step fails with AWS's error, nothing is left, exit 2", async () => {
        const world = new World({ lagMs: LAGS, accessDenied: true });
        const { code, io, report } = await drill(world, ["--json", "-"]);
        expect(code).to.equal(EXIT.couldNotRun);
        expect(report.error).to.equal("AccessDenied: Access Denied");
        expect(report.steps).to.deep.equal([{ name: "RPO", status: "failed", lines: ["AccessDenied: Access Denied"] }]);
        expect(io.err).to.contain("error: AccessDenied: Access Denied");
        expect(world.keysUnder("crr-drill/")).to.deep.equal([]);
    });

    it("refuses a bad command line and a stack without objectives before any AWS call", async () => {
        const world = backedUp();
        for (const [argv, message] of [
            [["--rpo", "5"], "--rpo must be a whole number of seconds from 60 to 86400; got '5'"],
            [["--rto", "forever"], "--rto must be a whole number of seconds from 60 to 604800; got 'forever'"],
            [["--timeout", "soon"], "--timeout must be a duration such as 90s, 15m or 1h; got 'soon'"],
        ] as [string[], string][]) {
            const { code, io } = await drill(world, argv);
            expect([code, io.err]).to.deep.equal([EXIT.couldNotRun, `error: ${message}\n`]);
        }
        const { code, io } = await drill(world, [], { outputs: world.stackOutputs(null) });
        expect(code).to.equal(EXIT.couldNotRun);
        expect(io.err).to.contain("stack 'dev' has no objectives output (deployed before rtoSeconds existed?): deploy it again, or pass --rpo and --rto");
        expect(world.calls.filter((c) => c.client !== "pulumi").map((c) => c.command)).to.deep.equal([]);
    });

    it("answers --help with every option and exit 0", async () => {
        const io = captured();
        expect(await main(["--help"], io)).to.equal(EXIT.met);
        expect(io.out).to.equal(`${USAGE}\n`);
        for (const option of ["--stack", "--rpo", "--rto", "--timeout", "--interval", "--restore-timeout", "--settle", "--dry-run", "--report", "--json"]) {
            expect(USAGE).to.match(new RegExp(`\\n  ${option}[ \\n]`));
        }
    });
});
