/** `npm run plan` as a command, for the cases that end before the program runs: its `main`, in this process. */
import { expect } from "chai";
import * as fs from "fs";
import { main } from "../../tools/plan/cli";
import { captured } from "./streams";

describe("npm run plan, the command (cases that stop before the program runs)", () => {
    it("--stack qa without Pulumi.qa.yaml: exit 2, naming the stacks there are and how to make qa", async () => {
        const io = captured();
        expect(await main(["--stack", "qa", "--no-policies"], io)).to.equal(2);
        expect(io.out).to.equal(
            "error: stack 'qa' has no configuration file Pulumi.qa.yaml\n" +
                "stacks that have one: dev, prod, staging\n" +
                "example stacks (--stack FOLDER/NAME plans FOLDER/Pulumi.NAME.yaml): examples/active-active, examples/backup-restore, examples/pilot-light, examples/warm-standby\n" +
                "to make it: copy Pulumi.dev.yaml to Pulumi.qa.yaml and edit its values, or run `pulumi stack init qa`, " +
                "then `pulumi config set KEY VALUE --stack qa` for each key (the Pulumi CLI writes the file)\n",
        );
    });

    it("--stack Prod: exit 2, asking 'did you mean 'prod'?'", async () => {
        const io = captured();
        expect(await main(["--stack", "Prod", "--no-policies"], io)).to.equal(2);
        expect(io.out.split("\n").slice(0, 2)).to.deep.equal(["error: stack 'Prod' has no configuration file Pulumi.Prod.yaml", "did you mean 'prod'?"]);
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
