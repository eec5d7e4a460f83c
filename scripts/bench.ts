/**
 * npm run bench: the figures the CrrPair issue asks for, measured on this machine.
 *   - wall time of `tsc --noEmit`, of the mocha run, and of the whole `npm test`;
 *   - wall time of a whole program that registers 1 or 50 CrrPairs under the test suite's Pulumi mocks and
 *     waits for every registration, invoke and apply (scripts/pairs-under-mocks.ts), plus the in-process
 *     part of that time, with Node's default young generation and with a larger one.
 *   - the policy pack over stacks of 1, 10 and 100 CrrPairs (scripts/policy-bench.ts).
 *   - wall time of `npm run plan` for the dev stack, and for programs of 1 and 50 CrrPairs.
 * Targets (2-core machine): npm test < 15 s, mocha < 4 s, 50 pairs < 3x one pair, 100 pairs' policies < 1 s,
 * plan of the dev stack < 4 s, plan of 50 pairs < 3x one pair.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

function timeCommand(label: string, command: string, args: string[]): number {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, stdio: "ignore" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) {
        throw new Error(`${label} failed (exit ${result.status})`);
    }
    return seconds;
}

/** Runs scripts/pairs-under-mocks.ts for `count` pairs as a whole process: wall time and its own report. */
function timePairs(count: number, nodeOptions: string[]): { wall: number; report: string } {
    const start = process.hrtime.bigint();
    const result = spawnSync(
        process.execPath,
        [...nodeOptions, "-r", "ts-node/register/transpile-only", "scripts/pairs-under-mocks.ts", String(count)],
        { cwd: ROOT, encoding: "utf8" },
    );
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) {
        throw new Error(`pairs-under-mocks ${count} failed: ${result.stderr}`);
    }
    return { wall, report: result.stdout.trim() };
}

function main(): void {
    const rows: [string, string, string][] = [];
    const fmt = (s: number) => `${s.toFixed(2)} s`;

    const tsc = timeCommand("tsc", bin("tsc"), ["--noEmit", "-p", "."]);
    rows.push(["tsc --noEmit", fmt(tsc), ""]);
    const mocha = timeCommand("mocha", bin("mocha"), []);
    rows.push(["mocha unit suite (transpile-only)", fmt(mocha), mocha < 4 ? "target < 4 s: met" : "target < 4 s: MISSED"]);
    const e2e = timeCommand("mocha e2e", bin("mocha"), ["--config", ".mocharc.e2e.json"]);
    rows.push(["mocha end-to-end suite (plan processes)", fmt(e2e), ""]);
    const all = timeCommand("npm test", "bash", ["scripts/test.sh"]);
    rows.push(["npm test (type-check + lint ∥ mocha)", fmt(all), all < 15 ? "target < 15 s: met" : "target < 15 s: MISSED"]);

    // The median of three runs: single runs of this machine vary by a third.
    const median = (runs: { wall: number; report: string }[]) => [...runs].sort((a, b) => a.wall - b.wall)[1];
    for (const nodeOptions of [[], ["--max-semi-space-size=64"]]) {
        const label = nodeOptions.length ? ` (node ${nodeOptions.join(" ")})` : "";
        timePairs(1, nodeOptions); // warm the file system cache
        const one = median([1, 2, 3].map(() => timePairs(1, nodeOptions)));
        const fifty = median([1, 2, 3].map(() => timePairs(50, nodeOptions)));
        const ratio = fifty.wall / one.wall;
        rows.push([`program with 1 CrrPair under mocks${label}, median of 3`, fmt(one.wall), one.report]);
        rows.push([
            `program with 50 CrrPairs under mocks${label}, median of 3`,
            fmt(fifty.wall),
            `${fifty.report}; ${ratio.toFixed(1)}x one pair (target < 3x: ${ratio < 3 ? "met" : "MISSED"})`,
        ]);
    }

    const plan = (args: string[]) => timeCommand("plan", "npm", ["run", "--silent", "plan", "--", ...args]);
    plan(["--stack", "dev"]); // warm the file system cache
    const planDev = plan(["--stack", "dev"]);
    rows.push(["npm run plan (dev stack, with the policy pack)", fmt(planDev), planDev < 4 ? "target < 4 s: met" : "target < 4 s: MISSED"]);
    const planOne = plan(["--program", "tests/fixtures/many-pairs.ts", "--config", "pairs=1"]);
    const planFifty = plan(["--program", "tests/fixtures/many-pairs.ts", "--config", "pairs=50"]);
    const planRatio = planFifty / planOne;
    rows.push(["npm run plan, program with 1 CrrPair", fmt(planOne), ""]);
    rows.push([
        "npm run plan, program with 50 CrrPairs",
        fmt(planFifty),
        `${planRatio.toFixed(1)}x one pair (target < 3x: ${planRatio < 3 ? "met" : "MISSED"})`,
    ]);

    const policyRun = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/policy-bench.ts"], {
        cwd: ROOT,
        encoding: "utf8",
    });
    if (policyRun.status !== 0) {
        throw new Error(`policy-bench failed: ${policyRun.stderr}`);
    }
    for (const line of policyRun.stdout.trim().split("\n")) {
        const [pairs, resources, ms, violations] = line.split("\t");
        const note = `${resources} resources, ${violations} violations` + (pairs === "100" ? ` (target < 1000 ms: ${Number(ms) < 1000 ? "met" : "MISSED"})` : "");
        rows.push([`policy pack over ${pairs} CrrPair(s) (all 11 policies)`, `${Number(ms).toFixed(0)} ms`, note]);
    }

    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [what, value, note] of rows) {
        console.log(`${what.padEnd(width)}  ${value.padStart(9)}  ${note}`);
    }
}

main();
