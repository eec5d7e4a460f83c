/**
 * `npm run plan -- --program <consumer>/index.ts`: a consumer project outside this repository (its own
 * Pulumi.yaml, stack file and node_modules) planned offline, as the README's reuse section shows. Its
 * `s3-crr-pair` is linked to the component's sources and its Pulumi packages to the installed ones (no
 * network, no `npm pack`: tests/package does the packing).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../tools/plan/cli";
import { captured } from "./streams";

const ROOT = path.join(__dirname, "..", "..");

const CONSUMER_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { CrrPair } from "s3-crr-pair";

const config = new pulumi.Config();
const east = new Provider("east", { region: "us-east-2" });
const west = new Provider("west", { region: "us-west-2" });

const pair = new CrrPair("orders", {
    namingPrefix: config.require("prefix"),
    primary: { provider: east, region: "us-east-2" },
    secondary: { provider: west, region: "us-west-2", replicaStorageClass: "STANDARD_IA" },
    encryption: "aws:kms",
    replicationTimeControl: true,
});
export const primaryBucket = pair.primary.bucketName;
`;

describe("npm run plan -- --program, a consumer project outside the repository", function () {
    this.timeout(60000);
    let tmp: string;
    let consumer: string;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-consumer-"));
        consumer = path.join(tmp, "orders");
        const modules = path.join(consumer, "node_modules");
        fs.mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
        for (const dep of ["pulumi", "aws"]) {
            fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi", dep), path.join(modules, "@pulumi", dep), "dir");
        }
        fs.symlinkSync(path.join(ROOT, "components"), path.join(modules, "s3-crr-pair"), "dir");
        fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: orders\nruntime: nodejs\n");
        fs.writeFileSync(path.join(consumer, "Pulumi.dev.yaml"), "config:\n  orders:prefix: acme-orders\n");
        fs.writeFileSync(path.join(consumer, "index.ts"), CONSUMER_PROGRAM);
    });

    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("runs the consumer's program with its own project and stack configuration", async () => {
        const program = path.join(consumer, "index.ts");
        const io = captured();
        expect(await main(["--program", program, "--no-policies"], io), io.out + io.err).to.equal(0);
        expect(io.out).to.contain(`Plan of stack 'dev' (project orders, program ${path.relative(process.cwd(), program)}):\n`);
        expect(io.out).to.contain("  + s3crr:index:CrrPair  orders\n");
        expect(io.out).to.contain("        + aws:s3/bucket:Bucket  orders-primary-bucket\n");
        expect(io.out).to.contain("        + aws:kms/key:Key  orders-secondary-");
        expect(io.out).to.contain(
            "\nPlan: 65 resources to create (29 in us-east-2, 28 in us-west-2, 8 in global), 2 providers, 1 component; policies not run.\n",
        );
    });

    it("without the stack's file, says which stacks the consumer has", async () => {
        const io = captured();
        expect(await main(["--program", path.join(consumer, "index.ts"), "--stack", "prod", "--no-policies"], io)).to.equal(2);
        expect(io.out).to.contain(`error: stack 'prod' has no configuration file ${path.join(consumer, "Pulumi.prod.yaml")}\nstacks that have one: dev\n`);
    });
});
