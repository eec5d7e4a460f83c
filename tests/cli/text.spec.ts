/** Counts that agree with their noun in every message of the tools, and the `-` file name. */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanReport, renderPolicies, summary } from "../../tools/plan/render";
import { PlannedResource } from "../../tools/plan/model";
import { renderReport } from "../../tools/verify/report";
import { VerifyReport } from "../../tools/verify/verifier";
import { noun, plural, writeOutput } from "../../tools/text";

const resource = (type: string, name: string, custom: boolean, region?: string): PlannedResource => ({
    type,
    name,
    urn: `urn:pulumi:dev::p::${type}::${name}`,
    custom,
    region,
    dependencies: [],
    propertyDependencies: {},
    inputs: {},
});

const report = (resources: PlannedResource[], policies?: number, violations: PlanReport["violations"] = []): PlanReport => ({
    project: "p",
    stack: "dev",
    program: "index.ts",
    resources,
    policyPack: policies === undefined ? undefined : { name: "pack", version: "1.0.0", policies },
    violations,
});

const violation = (enforcementLevel: "mandatory" | "advisory") => ({ policy: "some-policy", message: "m", enforcementLevel }) as PlanReport["violations"][number];

describe("counted nouns", () => {
    it("plural() takes the singular for exactly one, the given or regular plural otherwise", () => {
        expect([0, 1, 2].map((n) => plural(n, "component"))).to.deep.equal(["0 components", "1 component", "2 components"]);
        expect([1, 11].map((n) => plural(n, "policy", "policies"))).to.deep.equal(["1 policy", "11 policies"]);
        expect([noun(1, "violation"), noun(3, "violation")]).to.deep.equal(["violation", "violations"]);
    });

    it("npm run plan's summary: 1 resource, 1 provider, 1 component, 1 policy violation", () => {
        const one = report(
            [resource("pulumi:providers:aws", "east", true), resource("s3crr:index:CrrPair", "crr", false), resource("aws:s3/bucket:Bucket", "b", true, "us-east-2")],
            1,
            [violation("advisory")],
        );
        expect(summary(one)).to.equal("Plan: 1 resource to create (1 in us-east-2), 1 provider, 1 component; 0 mandatory, 1 advisory policy violation.");
        expect(renderPolicies(one)[0]).to.equal("Policies: pack@1.0.0, 1 policy");
    });

    it("npm run plan's summary: plurals for none and for several, and no empty brackets", () => {
        const two = report(
            [resource("aws:s3/bucket:Bucket", "a", true, "us-east-2"), resource("aws:s3/bucket:Bucket", "b", true, "us-west-2")],
            11,
            [violation("mandatory"), violation("advisory")],
        );
        expect(summary(two)).to.equal(
            "Plan: 2 resources to create (1 in us-east-2, 1 in us-west-2), 0 providers, 0 components; 1 mandatory, 1 advisory policy violations.",
        );
        expect(renderPolicies(two)[0]).to.equal("Policies: pack@1.0.0, 11 policies");
        expect(summary(report([]))).to.equal("Plan: 0 resources to create, 0 providers, 0 components; policies not run.");
    });

    it("npm run verify's cleanup line: one version, or several versions and delete markers", () => {
        const verify = (deleted: string[]): VerifyReport => ({ runId: "r", rpoMs: 60_000, directions: [], cleanup: { kept: false, deleted, errors: [] }, ok: true });
        expect(renderReport(verify(["b/k@1"]))).to.include("Cleanup: removed 1 object version or delete marker.");
        expect(renderReport(verify(["b/k@1", "b/k@2"]))).to.include("Cleanup: removed 2 object versions and delete markers.");
    });
});

describe("--json - and --graph -: the file name '-' is standard output", () => {
    it("writes to the given standard output for '-', and to the file otherwise", () => {
        let out = "";
        writeOutput("-", "to stdout\n", (t) => (out += t));
        expect(out).to.equal("to stdout\n");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "write-output-"));
        try {
            writeOutput(path.join(dir, "x.json"), "{}\n", () => expect.fail("a file name is not standard output"));
            expect(fs.readFileSync(path.join(dir, "x.json"), "utf8")).to.equal("{}\n");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
