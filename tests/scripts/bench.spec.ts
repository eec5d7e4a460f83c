import { expect } from "chai";
import { EXIT, main, MEASUREMENTS, parseBenchArgs, renderTable, USAGE } from "../../scripts/bench";

/** Runs the benchmark's entry in this process, capturing what it prints. */
async function bench(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run bench", () => {
    it("prints usage, options and exit codes for --help and -h, and exits 0 without measuring", async () => {
        for (const flag of ["--help", "-h"]) {
            const run = await bench([flag]);
            expect(run.code).to.equal(EXIT.met);
            expect(run.out).to.equal(USAGE);
            expect(run.err).to.equal("");
        }
        expect(USAGE).to.contain("--json FILE");
        expect(USAGE).to.contain("--runs N");
        expect(USAGE).to.contain("--only NAMES");
        expect(USAGE).to.match(/exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 /);
        for (const name of MEASUREMENTS) {
            expect(USAGE).to.contain(`  ${name} `);
        }
    });

    it("refuses bad usage with exit 2, naming the problem", async () => {
        const unknownOption = await bench(["--fast"]);
        expect(unknownOption.code).to.equal(EXIT.failed);
        expect(unknownOption.err).to.contain("--fast");
        const unknownName = await bench(["--only", "plan,nope"]);
        expect(unknownName.code).to.equal(EXIT.failed);
        expect(unknownName.err).to.contain("unknown measurement(s) 'nope'");
        expect((await bench(["--runs", "0"])).code).to.equal(EXIT.failed);
    });

    it("parses --runs, --only and --json", () => {
        expect(parseBenchArgs(["--runs", "5", "--only", "plan, policy", "--json", "-"])).to.deep.equal({
            runs: 5,
            only: ["plan", "policy"],
            json: "-",
            help: false,
        });
        expect(parseBenchArgs([]).only).to.deep.equal([...MEASUREMENTS]);
    });

    it("shows each figure with its ratio to the SDK floor and its target, met or missed", () => {
        const table = renderTable({
            machine: { cpus: 2, cpuModel: "Test CPU", node: "v20.0.0", platform: "linux x64", memoryGiB: 4, loadAverage: [1, 1, 1] },
            runs: 3,
            sdkFloorSeconds: 1,
            sdkFloorSamples: [1, 1, 1],
            figures: [
                { name: "plan", what: "npm run plan -- --stack dev", value: 2, unit: "s", samples: [2], ratioToFloor: 2, target: "<= 2.5x SDK floor", met: true },
                { name: "pairs-ratio", what: "50 pairs against 1", value: 3.5, unit: "x", samples: [], target: "<= 3x", met: false },
            ],
            failures: [],
            allTargetsMet: false,
        });
        expect(table).to.contain("2 x Test CPU");
        expect(table).to.match(/npm run plan -- --stack dev\s+2\.00 s\s+2\.0x\s+<= 2\.5x SDK floor: met/);
        expect(table).to.match(/50 pairs against 1\s+3\.50x\s+<= 3x: MISSED/);
    });
});
