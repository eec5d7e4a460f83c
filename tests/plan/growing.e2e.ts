/**
 * The README's mesh walkthrough, planned as a user runs it (`npm run plan` as a process): the dev stack as a
 * pair, then grown into three regions with eu-west-1 in an account of its own, compared with `--since` to the
 * pair's plan (nothing replaced or deleted); then a region taken out without saying how its data goes
 * (refused), and taken out after a plan that retains it (let through).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planCli } from "../support/planCli";

const THREE = "regions=us-east-2,us-west-2,eu-west-1";
const ACCOUNT = "roleArns=eu-west-1=arn:aws:iam::444455556666:role/crr-deployer";

describe("growing a pair into a mesh, end to end (the README's walkthrough)", function () {
    this.timeout(120000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grow-"));
    const file = (name: string) => path.join(tmp, `${name}.json`);
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("plans the pair, then three regions and an account for eu-west-1 under the policy pack: nothing of the pair replaced or deleted", async () => {
        const pair = await planCli(["--stack", "dev", "--json", file("pair")]);
        expect(pair.code, pair.out).to.equal(0);
        const mesh = await planCli(["--stack", "dev", "--config", THREE, "--config", ACCOUNT, "--since", file("pair"), "--json", file("mesh")]);
        expect(mesh.code, mesh.out).to.equal(0);
        expect(mesh.out).to.contain(`Since ${file("pair")}: no bucket or key is replaced or deleted.`);
        const resources = JSON.parse(fs.readFileSync(file("mesh"), "utf8")).resources;
        const bucket = resources.find((r: { name: string }) => r.name === "crr-us-east-2-bucket");
        expect(bucket.aliases).to.include("urn:pulumi:dev::s3-crr::s3crr:index:CrrPair$aws:s3/bucket:Bucket::crr-primary-bucket");
    });

    it("refuses taking a region out until a plan says how its data goes, then lets it go", async () => {
        // Without the dev stack's forceDestroy, which empties every bucket on purpose (and lets any removal through).
        const kept = ["--stack", "dev", "--no-policies", "--config", "forceDestroy=false", "--config", ACCOUNT];
        const three = await planCli([...kept, "--config", THREE, "--json", file("three")]);
        expect(three.code, three.out).to.equal(0);
        const two = [...kept, "--config", "regions=us-east-2,eu-west-1"];
        const refused = await planCli([...two, "--since", file("three")]);
        expect(refused.code).to.equal(2);
        expect(refused.out).to.match(/error: data removal refused: bucket crr-us-west-2-bucket \(crr-dev-example-crrlab-us-west-2\) would be deleted/);
        const retain = await planCli([...kept, "--config", "regions=us-east-2,us-west-2=retain,eu-west-1", "--json", file("retain")]);
        expect(retain.code, retain.out).to.equal(0);
        const gone = await planCli([...two, "--since", file("retain")]);
        expect(gone.code, gone.out).to.equal(0);
        expect(gone.out).to.contain("note: bucket crr-us-west-2-bucket (crr-dev-example-crrlab-us-west-2) leaves the stack and stays in AWS (retainOnDelete)");
    });
});
