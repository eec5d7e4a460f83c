/**
 * The peak memory of a plan of N CrrPairs (argv[2], default 50; tests/fixtures/many-pairs.ts), run as
 * `npm run plan` runs it: the program under the plan's mocks in this process, the policy pack in its own.
 * Prints one tab-separated line: pairs, resources, the plan process's peak resident set (MiB), the pack
 * process's (MiB, from /proc; "n/a" where there is no /proc). scripts/bench.ts runs it (the "memory" figure).
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_POLICY_PACK, PolicyPackProcess } from "../tools/plan/analyzer";
import { plan } from "../tools/plan";

const PROGRAM = path.join(__dirname, "..", "tests", "fixtures", "many-pairs.ts");

/** The peak resident set of process `pid` in MiB (Linux's VmHWM), or undefined without /proc. */
function peakOf(pid: number): number | undefined {
    try {
        const kib = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        return kib === undefined ? undefined : Number(kib) / 1024;
    } catch {
        return undefined;
    }
}

async function main(pairs: number): Promise<void> {
    const started = PolicyPackProcess.start(DEFAULT_POLICY_PACK);
    try {
        let resources = 0;
        const code = await plan({
            stack: "dev",
            program: PROGRAM,
            config: [`pairs=${pairs}`],
            policies: true,
            startedPack: started,
            json: undefined,
            log: (line) => (resources = Number(/^Plan: (\d+) resources/.exec(line)?.[1] ?? resources)),
        });
        if (code !== 0) {
            throw new Error(`the plan of ${pairs} pairs exited ${code}`);
        }
        const pack = peakOf((await started.ready).pid);
        const own = process.resourceUsage().maxRSS / 1024;
        console.log([pairs, resources, own.toFixed(0), pack === undefined ? "n/a" : pack.toFixed(0)].join("\t"));
    } finally {
        await started.abort();
    }
}

main(Number(process.argv[2] ?? "50")).then(
    () => process.exit(0),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
