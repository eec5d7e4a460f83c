/**
 * `npm run plan -- --json -` and `--graph -`: the dev stack planned through the command's `main` in this
 * process (without the policy pack, which tests/plan/plan.e2e.ts runs), reading what it wrote to each stream.
 */
import { expect } from "chai";
import * as fs from "fs";
import { main } from "../../tools/plan/cli";
import { captured } from "./streams";

describe("npm run plan, standard output as the data's destination", function () {
    this.timeout(60000);

    it("--json - writes only the JSON report to standard output, and the human-readable report to standard error", async () => {
        const io = captured();
        expect(await main(["--json", "-", "--no-policies"], io), io.err).to.equal(0);
        const report = JSON.parse(io.out);
        expect([report.project, report.stack, report.program]).to.deep.equal(["s3-crr", "dev", "index.ts"]);
        expect(report.resources.filter((r: { custom: boolean; region?: string }) => r.custom && r.region)).to.have.length(61);
        expect(report.violations).to.deep.equal([]);
        expect(io.err).to.contain("Plan of stack 'dev' (project s3-crr, program index.ts):\n");
        expect(io.err).to.contain(
            "\nPlan: 61 resources to create (27 in us-east-2, 26 in us-west-2, 8 in global), 2 providers, 1 component; policies not run.\n",
        );
        expect(fs.existsSync("-"), "no file named '-'").to.equal(false);
    });

    it("--graph - writes only the Mermaid graph to standard output", async () => {
        const io = captured();
        expect(await main(["--graph", "-", "--no-policies"], io), io.err).to.equal(0);
        expect(io.out.startsWith("flowchart LR\n  subgraph g0[\"global\"]\n")).to.equal(true);
        expect(io.out.endsWith("\n")).to.equal(true);
        expect(io.out).not.to.contain("Plan:");
        expect(io.err).to.contain("1 component; policies not run.\n");
    });
});
