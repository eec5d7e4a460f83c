import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../tools/plan";
import { sharedPack } from "../support/pack";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples");

interface Planned {
    readonly code: number;
    readonly out: string;
    readonly report: { resources: { type: string; name: string; inputs?: Record<string, any> }[] };
}

/** Each example stack file, planned through `npm run plan`'s entry with its path as `--stack` (as CI does). */
async function planExample(file: string): Promise<Planned> {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "example-")), "plan.json");
    const lines: string[] = [];
    const code = await plan({
        stack: path.relative(process.cwd(), path.join(EXAMPLES, file)),
        program: path.join(ROOT, "index.ts"),
        config: [],
        policies: true,
        startedPack: sharedPack(),
        json,
        log: (line) => lines.push(line),
    });
    return { code, out: lines.join("\n"), report: JSON.parse(fs.readFileSync(json, "utf8")) };
}

const count = (p: Planned, type: string) => p.report.resources.filter((r) => r.type === type).length;
const routes = (p: Planned) => p.report.resources.find((r) => r.type === "aws:s3control/multiRegionAccessPointRoutes:MultiRegionAccessPointRoutes");

describe("examples/: one stack file per DR strategy, planned clean", function () {
    this.timeout(60000);
    const planned: Record<string, Planned> = {};
    before(async () => {
        for (const strategy of ["backup-restore", "pilot-light", "warm-standby", "active-active"]) {
            planned[strategy] = await planExample(`Pulumi.${strategy}.yaml`);
        }
    });

    it("holds exactly the four strategies' stack files", () => {
        expect(fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml")).sort()).to.deep.equal([
            "Pulumi.active-active.yaml",
            "Pulumi.backup-restore.yaml",
            "Pulumi.pilot-light.yaml",
            "Pulumi.warm-standby.yaml",
        ]);
    });

    for (const strategy of ["backup-restore", "pilot-light", "warm-standby", "active-active"]) {
        it(`${strategy}: exit 0, named as its file, no violation at all (backups on, versions expire)`, () => {
            const p = planned[strategy];
            expect(p.code, p.out).to.equal(0);
            expect(p.out).to.contain(`Plan of stack '${strategy}' (project s3-crr, program index.ts):`);
            expect(p.out).to.contain("0 mandatory, 0 advisory policy violations.");
            expect(count(p, "aws:backup/plan:Plan")).to.equal(2);
            expect(count(p, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")).to.equal(4);
        });
    }

    it("backup & restore and pilot light have no access point; warm standby routes to the primary, active/active to both", () => {
        expect(routes(planned["backup-restore"])).to.equal(undefined);
        expect(routes(planned["pilot-light"])).to.equal(undefined);
        const dials = (p: Planned) => routes(p)!.inputs!.routes.map((r: { region: string; trafficDialPercentage: number }) => `${r.region}=${r.trafficDialPercentage}`);
        expect(dials(planned["warm-standby"])).to.deep.equal(["us-east-2=100", "us-west-2=0"]);
        expect(dials(planned["active-active"])).to.deep.equal(["us-east-2=100", "us-west-2=100"]);
    });

    it("names a stack given by its file as the file does, for its policy settings too (policies/config/dev.json)", async () => {
        const lines: string[] = [];
        const code = await plan({ stack: "Pulumi.dev.yaml", program: path.join(ROOT, "index.ts"), config: [], policies: true, startedPack: sharedPack(), log: (l) => lines.push(l) });
        expect(code).to.equal(0);
        // The dev stack's 7-day log retention passes under dev.json's 7-day minimum: only the two backup advisories.
        expect(lines.join("\n")).to.contain("0 mandatory, 2 advisory policy violations.");
    });

    it("refuses a policy config that names a policy the pack does not have, with exit 2, naming the file and the policy", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "bad.json");
        fs.writeFileSync(file, JSON.stringify({ "s3-bucket-versioning": "mandatory" }));
        const lines: string[] = [];
        const code = await plan({ stack: "dev", program: path.join(ROOT, "index.ts"), config: [], policies: true, policyPackConfig: file, startedPack: sharedPack(), log: (l) => lines.push(l) });
        expect(code).to.equal(2);
        const out = lines.join("\n");
        expect(out).to.contain(
            `error: --policy-pack-config ${file}: policy pack config is not what the policies accept:\n` +
                "  - 's3-bucket-versioning' is not a policy of the pack (unknown policies would be ignored); did you mean 's3-bucket-versioning-enabled'?",
        );
        expect(out).not.to.contain("    at ");
    });

    it("refuses a stack file path that does not exist, with exit 2", async () => {
        const lines: string[] = [];
        const code = await plan({ stack: "examples/Pulumi.nowhere.yaml", program: path.join(ROOT, "index.ts"), config: [], policies: false, log: (l) => lines.push(l) });
        expect(code).to.equal(2);
        expect(lines.join("\n")).to.contain("stack file examples/Pulumi.nowhere.yaml does not exist");
    });
});
