/**
 * The policy pack over stacks of N CrrPairs (argv: sizes, default 1 10 100) through the Analyzer gRPC
 * protocol, as `npm run plan` and the Pulumi engine run it: the pack is started with run-policy-pack,
 * configured, sent `Analyze` for each resource as the program registers it, then `AnalyzeStack`.
 * The pack is up and configured before the program starts, so that its start-up (reported on its own)
 * is not counted as analysis. Prints one tab-separated line per size:
 *   pairs, resources, program ms, policy ms (from the program's last registration to the pack's last
 *   answer: what the policy gate adds to a run), diagnostics, pack start-up ms
 * The program is tests/fixtures/many-pairs.ts under the plan's mocks. scripts/bench.ts runs it.
 */
import * as path from "path";
import { DEFAULT_POLICY_PACK, PackSession, PolicyPackProcess } from "../tools/plan/analyzer";
import { loadStackConfig } from "../tools/plan/config";
import { runProgram } from "../tools/plan/run";

const PROGRAM = path.join(__dirname, "..", "tests", "fixtures", "many-pairs.ts");

const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function measure(pairs: number): Promise<string> {
    const start = process.hrtime.bigint();
    const pack = PolicyPackProcess.start(DEFAULT_POLICY_PACK);
    try {
        const config = loadStackConfig(PROGRAM, "dev", [`pairs=${pairs}`]);
        const session = new PackSession(pack, { project: config.project, stack: config.stack, config: config.values });
        await session.ready;
        const startup = since(start);
        const programStart = process.hrtime.bigint();
        const records = await runProgram(PROGRAM, config, (r) => session.add(r));
        const programMs = since(programStart);
        const tailStart = process.hrtime.bigint();
        const { diagnostics } = await session.finish();
        const policyMs = since(tailStart);
        return [pairs, records.length, programMs.toFixed(0), policyMs.toFixed(0), diagnostics.length, startup.toFixed(0)].join("\t");
    } finally {
        await pack.abort();
    }
}

async function main(sizes: number[]): Promise<void> {
    for (const pairs of sizes) {
        console.log(await measure(pairs));
    }
}

const sizes = process.argv.slice(2).map(Number);
main(sizes.length > 0 ? sizes : [1, 10, 100]).then(
    () => process.exit(0),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
