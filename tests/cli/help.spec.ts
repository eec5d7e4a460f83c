/**
 * `--help` and `-h` of every command (`npm run plan`, `verify`, `status`, `failover`, `adopt`, `backfill`, `restore`, `drill`, `docs`), and a wrong option:
 * each command's exported `main`, called in this process (no ts-node start-up per case).
 */
import { expect } from "chai";
import { main as docs } from "../../scripts/docs";
import { main as plan } from "../../tools/plan/cli";
import { main as verify } from "../../tools/verify/cli";
import { main as status } from "../../tools/status/cli";
import { main as failover } from "../../tools/failover/cli";
import { main as adopt } from "../../tools/adopt/cli";
import { main as backfill } from "../../tools/backfill/cli";
import { main as restore } from "../../tools/restore/cli";
import { main as drill } from "../../tools/drill/cli";
import { CliStreams } from "../../tools/text";
import { captured } from "./streams";

type Main = (argv: string[], io: CliStreams) => Promise<number>;

interface Command {
    readonly name: string;
    readonly main: Main;
    /** Every option, as the usage text names it at the start of its line. */
    readonly options: readonly string[];
    /** The exit codes, each with a fragment of its meaning. */
    readonly exitCodes: Readonly<Record<number, string>>;
}

const COMMANDS: readonly Command[] = [
    {
        name: "plan",
        main: plan,
        options: [
            "--stack NAME",
            "--program FILE",
            "--config KEY=VALUE",
            "--json FILE",
            "--graph FILE",
            "--workload KEY=N,...",
            "--since FILE",
            "--policy-pack DIR",
            "--policy-pack-config FILE",
            "--no-policies",
            "-h, --help",
        ],
        exitCodes: { 0: "planned clean", 1: "mandatory policy violation", 2: "the program or its configuration failed" },
    },
    {
        name: "verify",
        main: verify,
        options: [
            "--stack NAME",
            "--direction FROM:TO",
            "--side REGION=BUCKET",
            "--primary-bucket BUCKET",
            "--primary-region REGION",
            "--secondary-bucket BUCKET",
            "--secondary-region REGION",
            "--samples N",
            "--timeout DURATION",
            "--rpo DURATION",
            "--interval DURATION",
            "--cloudtrail ",
            "--cloudtrail-timeout DURATION",
            "--keep",
            "--json FILE",
            "-h, --help",
        ],
        exitCodes: { 0: "every check passed", 1: "a check failed", 2: "the run could not be made" },
    },
    {
        name: "status",
        main: status,
        options: [
            "--stack NAME",
            "--primary-bucket BUCKET",
            "--primary-region REGION",
            "--secondary-bucket BUCKET",
            "--secondary-region REGION",
            "--rpo DURATION",
            "--json FILE",
            "-h, --help",
        ],
        exitCodes: { 0: "healthy in both directions", 1: "degraded", 2: "failing" },
    },
    {
        name: "failover",
        main: failover,
        options: ["--stack NAME", "--arn ARN", "--to REGION", "--yes", "--verify", "--timeout DUR", "--json FILE", "-h, --help"],
        exitCodes: { 0: "the routes were shown, or switched", 1: "the switch was not made (declined at the prompt), or --verify failed", 2: "the command could not run" },
    },
    {
        name: "adopt",
        main: adopt,
        options: ["--bucket NAME", "--region R", "--account ID", "--json FILE", "-h, --help"],
        exitCodes: { 0: "adoptable: the configuration is printed", 1: "refused: a named reason above", 2: "the command could not run" },
    },
    {
        name: "backfill",
        main: backfill,
        options: [
            "--stack NAME",
            "--direction A→B",
            "--objects WHICH",
            "--report SCOPE",
            "--priority N",
            "--dry-run",
            "--no-wait",
            "--interval DUR",
            "--timeout DUR",
            "--json FILE",
            "-h, --help",
        ],
        exitCodes: { 0: "every job completed with no failed task", 1: "a job failed or was cancelled", 2: "no batchReplicationRoleArn output" },
    },
    {
        name: "restore",
        main: restore,
        options: [
            "--stack NAME",
            "--region REGION",
            "--bucket BUCKET",
            "--from SOURCE",
            "--at TIME",
            "--key KEY",
            "--prefix PREFIX",
            "--snapshot",
            "--to BUCKET",
            "--in-place",
            "--yes",
            "--dry-run",
            "--role-arn ARN",
            "--timeout DUR",
            "--interval DUR",
            "--json FILE",
            "-h, --help",
        ],
        exitCodes: { 0: "every object asked for was restored", 1: "some could not be restored", 2: "the command could not run" },
    },
    {
        name: "drill",
        main: drill,
        options: ["--stack NAME", "--rpo SECONDS", "--rto SECONDS", "--timeout DUR", "--interval DUR", "--restore-timeout DUR", "--settle DUR", "--dry-run", "--report FILE", "--json FILE", "-h, --help"],
        exitCodes: { 0: "every objective was met", 1: "an objective was missed", 2: "the drill could not run or was stopped" },
    },
    {
        name: "docs",
        main: docs,
        options: ["-h, --help"],
        exitCodes: { 0: "README.md, docs/design.md, Pulumi.yaml and the package README updated or already up to date", 1: "the program failed", 2: "the command line is wrong" },
    },
];

describe("every command answers --help and -h", () => {
    for (const command of COMMANDS) {
        describe(`npm run ${command.name}`, () => {
            for (const flag of ["--help", "-h"]) {
                it(`${flag}: prints the usage, every option on a line of its own with what it does, the exit codes; exits 0`, async () => {
                    const io = captured();
                    expect(await command.main([flag], io)).to.equal(0);
                    expect(io.err).to.equal("");
                    const lines = io.out.split("\n");
                    expect(lines[0]).to.match(new RegExp(`^usage: npm run ${command.name} `));
                    for (const option of command.options) {
                        const line = lines.find((l) => l.startsWith(`  ${option}`));
                        expect(line, `a line for ${option}`).to.not.equal(undefined);
                        // The option, then at least two spaces, then its description.
                        expect(line!.slice(2 + option.length)).to.match(/^\s{1,}\S.{8,}/, `${option} has a description`);
                    }
                    const codes = lines.slice(lines.indexOf("exit codes:") + 1);
                    expect(lines).to.include("exit codes:");
                    for (const [code, meaning] of Object.entries(command.exitCodes)) {
                        expect(codes.find((l) => l.startsWith(`  ${code}  `)), `exit code ${code}`).to.contain(meaning);
                    }
                });
            }

            it("refuses an unknown option with exit 2, naming it and pointing at --help", async () => {
                const io = captured();
                expect(await command.main(["--bogus"], io)).to.equal(2);
                expect(io.out).to.equal("");
                // The first line is Node's parseArgs message, whose wording after the option's name varies by version.
                expect(io.err).to.match(/^error: Unknown option '--bogus'/);
                expect(io.err.endsWith(`\nrun 'npm run ${command.name} -- --help' for the options\n`), io.err).to.equal(true);
            });
        });
    }
});
