/**
 * The plan's policy pack process (tools/plan/analyzer.ts): stopped, it is gone by the time the call that
 * stops it returns, whether the plan started it or a caller did.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { plan } from "../../tools/plan";
import { DEFAULT_POLICY_PACK, PolicyPackProcess } from "../../tools/plan/analyzer";

const ROOT = path.join(__dirname, "..", "..");

const running = (pid: number): boolean => {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        expect((e as NodeJS.ErrnoException).code).to.equal("ESRCH");
        return false;
    }
};

/** The live policy pack processes this process started (Linux's /proc: their parent and command line). */
function ownPackProcesses(): number[] {
    return fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
            try {
                const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
                const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
                const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
                return parent === process.pid && state !== "Z" && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("run-policy-pack");
            } catch {
                return false; // exited while being read
            }
        })
        .map(Number);
}

describe("the plan's policy pack process", function () {
    this.timeout(60000);

    it("has exited when abort() resolves", async () => {
        const started = PolicyPackProcess.start(DEFAULT_POLICY_PACK);
        const pid = (await started.ready).pid;
        expect(running(pid)).to.equal(true);
        await started.abort();
        expect(running(pid)).to.equal(false);
    });

    it("is gone when a plan that started its own returns (read from Linux's /proc)", async () => {
        // The suite's shared pack (tests/support/pack.ts) may be running already: only what the plan started counts.
        const before = new Set(ownPackProcesses());
        const lines: string[] = [];
        const code = await plan({ stack: "dev", program: path.join(ROOT, "index.ts"), config: [], policies: true, log: (l) => lines.push(l) });
        expect(code, lines.join("\n")).to.equal(0);
        expect(lines.join("\n")).to.contain("0 mandatory");
        expect(ownPackProcesses().filter((pid) => !before.has(pid))).to.deep.equal([]);
    });
});
