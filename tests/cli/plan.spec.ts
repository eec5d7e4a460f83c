/** `npm run plan` as a command, for the cases that end before the program runs: its `main`, in this process. */
import { expect } from "chai";
import * as fs from "fs";
import { main } from "../../tools/plan/cli";
import { captured } from "./streams";

describe("npm run plan, the command (cases that stop before the program runs)", () => {
    it("--stack prod without Pulumi.prod.yaml: exit 2, naming the stacks there are and how to make prod", async () => {
        const io = captured();
        expect(await main(["--stack", "prod", "--no-policies"], io)).to.equal(2);
        expect(io.out).to.equal(
            "error: stack 'prod' has no configuration file Pulumi.prod.yaml\n" +
                "stacks that have one: dev\n" +
                "to make it: copy Pulumi.dev.yaml to Pulumi.prod.yaml and edit its values, or run `pulumi stack init prod`, " +
                "then `pulumi config set KEY VALUE --stack prod` for each key (the Pulumi CLI writes the file)\n",
        );
    });

    it("refuses --json - with --graph -: one standard output cannot carry both", async () => {
        const io = captured();
        expect(await main(["--json", "-", "--graph", "-", "--no-policies"], io)).to.equal(2);
        expect(io.err).to.equal("error: --json - and --graph - would both write to standard output: send one of them to a file\n");
        expect(io.out).to.equal("");
        expect(fs.existsSync("-")).to.equal(false);
    });

    it("a --program that does not exist: exit 2, naming it", async () => {
        const io = captured();
        expect(await main(["--program", "no/such/program.ts", "--no-policies"], io)).to.equal(2);
        expect(io.out).to.equal("error: --program no/such/program.ts: no such file\n");
    });
});
