import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../tools/plan";
import type { AnalyzerInfo, Diagnostic, EnforcementLevel, PolicyPackConfig, PolicyPackProcess, StackIdentity, StartedPack } from "../../tools/plan/analyzer";
import type { PlanOptions } from "../../tools/plan";
import { exampleStacksIn, likelyStack, loadStackConfig, PlanConfigError, stackFileArgument } from "../../tools/plan/config";
import { PolicyDescription, policyConfigProblems } from "../../tools/plan/policyConfig";
import { POLICIES } from "../../policies/lib";
import { mermaidGraph } from "../../tools/plan/graph";
import { planResources } from "../../tools/plan/model";
import { Registration } from "../support/mocks";

const ROOT = path.join(__dirname, "..", "..");

/**
 * A started pack without a process: it describes itself as `info` and answers each call as `answers` says
 * (no diagnostics, and nothing checked at configure time, unless given).
 */
function packWithoutProcess(
    info: AnalyzerInfo,
    answers: {
        configure?: (info: AnalyzerInfo, stack: StackIdentity, config: PolicyPackConfig) => Promise<void>;
        analyzeResource?: (request: unknown, urn: string) => Promise<Diagnostic[]>;
    } = {},
): StartedPack {
    const pack = {
        info: async () => info,
        configure: answers.configure ?? (async () => undefined),
        analyzeResource: answers.analyzeResource ?? (async () => []),
        analyzeStack: async () => [],
    } as unknown as PolicyPackProcess;
    return { ready: Promise.resolve(pack), spawned: Promise.resolve(), abort: async () => undefined };
}

/** plan() of the dev stack through `startedPack`, the program replaced by `run`; its exit code and report. */
async function planOffline(startedPack: StartedPack, run: NonNullable<PlanOptions["run"]>, more: Partial<PlanOptions> = {}) {
    const lines: string[] = [];
    const code = await plan({ stack: "dev", program: path.join(ROOT, "index.ts"), config: [], policies: true, startedPack, run, log: (line) => lines.push(line), ...more });
    return { code, lines, out: lines.join("\n") };
}

describe("npm run plan", () => {
    describe("stack configuration", () => {
        it("applies Pulumi.yaml defaults, then the stack file, then --config overrides", () => {
            const config = loadStackConfig(path.join(ROOT, "index.ts"), "dev", ["primaryRegion=eu-west-1", "aws:region=eu-west-1"]);
            expect(config.project).to.equal("s3-crr");
            expect(config.values).to.include({
                "s3-crr:namingPrefix": "crr-dev-example", // Pulumi.dev.yaml
                "s3-crr:logRetentionDays": "7", // Pulumi.dev.yaml over the default 30
                "s3-crr:secondaryRegion": "us-west-2", // Pulumi.yaml default
                "s3-crr:primaryRegion": "eu-west-1", // --config
                "s3-crr:forceDestroy": "true",
                "pulumi:disable-default-providers": '["aws"]',
            });
            expect(config.defaultRegion).to.equal("eu-west-1");
        });

        it("takes FOLDER/NAME as the stack file FOLDER/Pulumi.NAME.yaml, named NAME (examples/warm-standby)", () => {
            expect(stackFileArgument("examples/warm-standby")).to.deep.equal({ name: "warm-standby", file: path.join(ROOT, "examples", "Pulumi.warm-standby.yaml"), named: false });
            expect(stackFileArgument("examples/Pulumi.warm-standby.yaml")).to.deep.equal({ name: "warm-standby", file: path.join(ROOT, "examples", "Pulumi.warm-standby.yaml"), named: true });
            expect(stackFileArgument("prod")).to.equal(undefined);
            const config = loadStackConfig(path.join(ROOT, "index.ts"), "examples/warm-standby");
            expect(config.stack).to.equal("warm-standby");
            expect(config.values).to.include({ "s3-crr:namingPrefix": "crr-warm-standby", "s3-crr:accessPointRouting": "activePassive", "s3-crr:encryption": "aws:kms" });
            expect(loadStackConfig(path.join(ROOT, "index.ts"), "examples/Pulumi.warm-standby.yaml").values).to.deep.equal(config.values);
        });

        it("guesses the stack meant: same name in another case or folder, else one typo in a short name, else none", () => {
            const stacks = ["dev", "prod", "staging", "examples/warm-standby", "examples/pilot-light"];
            expect(likelyStack("Prod", stacks)).to.equal("prod");
            expect(likelyStack("PILOT-LIGHT", stacks)).to.equal("examples/pilot-light");
            expect(likelyStack("stagin", stacks)).to.equal("staging");
            expect(likelyStack("examples/warm-standy", stacks)).to.equal("examples/warm-standby");
            expect(likelyStack("qa", stacks)).to.equal(undefined);
            expect(likelyStack("test", stacks)).to.equal(undefined);
            expect(likelyStack("prod", stacks)).to.equal(undefined);
        });

        it("refuses a malformed override", () => {
            expect(() => loadStackConfig(path.join(ROOT, "index.ts"), "dev", ["novalue"])).to.throw(PlanConfigError, "--config takes key=value, got 'novalue'");
        });

        describe("a stack without a configuration file", () => {
            const messageFor = (program: string, stack: string) => {
                try {
                    loadStackConfig(program, stack);
                } catch (e) {
                    expect(e).to.be.instanceOf(PlanConfigError);
                    return (e as Error).message;
                }
                return expect.fail(`stack '${stack}' was accepted`);
            };
            let tmp: string;
            /** A project in a fresh folder outside the repository, with these stack files. */
            const project = (...stacks: string[]) => {
                const dir = fs.mkdtempSync(path.join(tmp, "project-"));
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: other\nruntime: nodejs\n");
                for (const stack of stacks) {
                    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "config: {}\n");
                }
                return dir;
            };
            before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-stacks-"))));
            after(() => fs.rmSync(tmp, { recursive: true, force: true }));

            const EXAMPLES =
                "example stacks (--stack FOLDER/NAME plans FOLDER/Pulumi.NAME.yaml): examples/active-active, examples/backup-restore, examples/pilot-light, examples/warm-standby";

            it("lists the stacks that have one, the example stacks, and says how to make it (this project: copy Pulumi.dev.yaml)", () => {
                expect(messageFor(path.join(ROOT, "index.ts"), "qa")).to.equal(
                    [
                        "stack 'qa' has no configuration file Pulumi.qa.yaml",
                        "stacks that have one: dev, prod, staging",
                        EXAMPLES,
                        "to make it: copy Pulumi.dev.yaml to Pulumi.qa.yaml and edit its values, or run `pulumi stack init qa`, " +
                            "then `pulumi config set KEY VALUE --stack qa` for each key (the Pulumi CLI writes the file)",
                    ].join("\n"),
                );
            });

            it("asks 'did you mean' for a stack in another case (Prod for prod)", () => {
                expect(messageFor(path.join(ROOT, "index.ts"), "Prod")).to.equal(
                    [
                        "stack 'Prod' has no configuration file Pulumi.Prod.yaml",
                        "did you mean 'prod'?",
                        "stacks that have one: dev, prod, staging",
                        EXAMPLES,
                        "to make it: copy Pulumi.dev.yaml to Pulumi.Prod.yaml and edit its values, or run `pulumi stack init Prod`, " +
                            "then `pulumi config set KEY VALUE --stack Prod` for each key (the Pulumi CLI writes the file)",
                    ].join("\n"),
                );
            });

            it("points an example's bare name at the example, and copies that example to make it", () => {
                expect(messageFor(path.join(ROOT, "index.ts"), "warm-standby")).to.equal(
                    [
                        "stack 'warm-standby' has no configuration file Pulumi.warm-standby.yaml",
                        "did you mean 'examples/warm-standby'?",
                        "stacks that have one: dev, prod, staging",
                        EXAMPLES,
                        "to make it: copy examples/Pulumi.warm-standby.yaml to Pulumi.warm-standby.yaml and edit its values, or run `pulumi stack init warm-standby`, " +
                            "then `pulumi config set KEY VALUE --stack warm-standby` for each key (the Pulumi CLI writes the file)",
                    ].join("\n"),
                );
            });

            it("a FOLDER/NAME without its file: names FOLDER/Pulumi.NAME.yaml, the nearest example, and no `pulumi stack init`", () => {
                expect(messageFor(path.join(ROOT, "index.ts"), "examples/warm-standy")).to.equal(
                    [
                        "stack 'examples/warm-standy' has no configuration file examples/Pulumi.warm-standy.yaml",
                        "did you mean 'examples/warm-standby'?",
                        "stacks that have one: dev, prod, staging",
                        EXAMPLES,
                        "to make it: copy Pulumi.dev.yaml to examples/Pulumi.warm-standy.yaml and edit its values",
                    ].join("\n"),
                );
                expect(messageFor(path.join(ROOT, "index.ts"), "examples/Pulumi.nowhere.yaml")).to.equal(
                    [
                        "stack file examples/Pulumi.nowhere.yaml does not exist",
                        "stacks that have one: dev, prod, staging",
                        EXAMPLES,
                        "to make it: copy Pulumi.dev.yaml to examples/Pulumi.nowhere.yaml and edit its values",
                    ].join("\n"),
                );
            });

            it("finds example stacks in folders without a Pulumi.yaml of their own (not another project's, not node_modules)", () => {
                const dir = project("dev");
                for (const [folder, files] of Object.entries({ samples: ["Pulumi.b.yaml", "Pulumi.a.yaml"], other: ["Pulumi.yaml", "Pulumi.dev.yaml"], node_modules: ["Pulumi.x.yaml"], empty: [] })) {
                    fs.mkdirSync(path.join(dir, folder));
                    for (const f of files) {
                        fs.writeFileSync(path.join(dir, folder, f), "config: {}\n");
                    }
                }
                expect(exampleStacksIn(dir)).to.deep.equal([`${path.join(dir, "samples")}/a`, `${path.join(dir, "samples")}/b`]);
                expect(exampleStacksIn(ROOT)).to.deep.equal(["examples/active-active", "examples/backup-restore", "examples/pilot-light", "examples/warm-standby"]);
            });

            it("lists every stack in order, copies dev when there is one, else the first; paths outside the current folder in full", () => {
                const withDev = project("test", "dev", "ci");
                const lines = messageFor(path.join(withDev, "index.ts"), "prod").split("\n");
                expect(lines[0]).to.equal(`stack 'prod' has no configuration file ${path.join(withDev, "Pulumi.prod.yaml")}`);
                expect(lines[1]).to.equal("stacks that have one: ci, dev, test");
                expect(lines[2]).to.match(new RegExp(`^to make it: copy ${path.join(withDev, "Pulumi.dev.yaml").replace(/[.]/g, "\\.")} to `));
                const withoutDev = project("staging", "qa");
                expect(messageFor(path.join(withoutDev, "index.ts"), "prod").split("\n")[2]).to.contain(`copy ${path.join(withoutDev, "Pulumi.qa.yaml")} to`);
            });

            it("says so when the project has no stack file at all, and how to make one", () => {
                const bare = project();
                expect(messageFor(path.join(bare, "index.ts"), "dev").split("\n")).to.deep.equal([
                    `stack 'dev' has no configuration file ${path.join(bare, "Pulumi.dev.yaml")}`,
                    `no stack has a configuration file next to ${path.join(bare, "Pulumi.yaml")} yet`,
                    "to make it: run `pulumi stack init dev`, then `pulumi config set KEY VALUE --stack dev` for each key (the Pulumi CLI writes the file), " +
                        `or write ${path.join(bare, "Pulumi.dev.yaml")} with a config: map of KEY: VALUE`,
                ]);
            });
        });
    });

    describe("exit code of plan()", () => {
        const BUCKET: Registration = {
            type: "aws:s3/bucket:Bucket",
            name: "data",
            urn: "urn:pulumi:dev::s3-crr::aws:s3/bucket:Bucket::data",
            custom: true,
            parent: "",
            provider: "",
            dependencies: [],
            propertyDependencies: {},
            inputs: { bucket: "acme-data", region: "us-east-2" },
            outputs: { bucket: "acme-data", region: "us-east-2" },
        };
        /**
         * A pack without a process: its one policy reports the bucket at `level` (what the Analyzer answers,
         * already collected into diagnostics), as the real pack reports an unversioned bucket.
         */
        const packReporting = (level: EnforcementLevel): StartedPack => {
            const info: AnalyzerInfo = { name: "fake-pack", version: "1.0.0", policies: [{ name: "s3-bucket-versioning-enabled", enforcementLevel: level, configDefaults: {} }] };
            const violation: Diagnostic = {
                policy: "s3-bucket-versioning-enabled",
                policyPack: "fake-pack",
                enforcementLevel: level,
                message: "Bucket 'data' has no BucketVersioning with status Enabled.",
                urn: BUCKET.urn,
                phase: "resource",
            };
            return packWithoutProcess(info, { analyzeResource: async (_request, urn) => (urn === BUCKET.urn ? [violation] : []) });
        };
        // The program's registrations, replayed: the suite's own mocks stay in place.
        const planWith = (level: EnforcementLevel) =>
            planOffline(packReporting(level), async (_program, _config, onRegistration) => {
                onRegistration?.(BUCKET);
                return [BUCKET];
            });

        it("is 1 when a policy reports a mandatory violation, naming it", async () => {
            const { code, out } = await planWith("mandatory");
            expect(code, out).to.equal(1);
            expect(out).to.contain("  [mandatory] s3-bucket-versioning-enabled\n      resource: aws:s3/bucket:Bucket  data\n");
            expect(out).to.contain("; 1 mandatory, 0 advisory policy violation.");
        });

        it("is 0 when the same violation is advisory", async () => {
            const { code, out } = await planWith("advisory");
            expect(code, out).to.equal(0);
            expect(out).to.contain("; 0 mandatory, 1 advisory policy violation.");
        });
    });

    describe("a policy config, checked against what the policies declare", () => {
        // The pack's policies as GetAnalyzerInfo describes them: each schema's properties and required list.
        const PACK: PolicyDescription[] = POLICIES.map((p) => ({
            name: p.name,
            ...(p.configSchema ? { configSchema: { properties: p.configSchema.properties as any, required: p.configSchema.required ?? [] } } : {}),
        }));

        it("accepts the repository's policy configs and the example", () => {
            for (const file of ["dev", "staging", "prod"].map((s) => `policies/config/${s}.json`).concat("policies/policy-config.example.json")) {
                expect(policyConfigProblems(PACK, JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"))), file).to.deep.equal([]);
            }
        });

        it("refuses what the engine refuses: a type, a range, a level", () => {
            expect(
                policyConfigProblems(PACK, {
                    "cloudwatch-log-group-retention": { enforcementLevel: "mandatory", minimumDays: "seven" },
                    "s3-bucket-encryption-enabled": { requireKms: "yes" },
                    "kms-key-rotation-enabled": "required",
                }),
            ).to.deep.equal([
                'cloudwatch-log-group-retention.minimumDays must be an integer, got "seven"',
                's3-bucket-encryption-enabled.requireKms must be a boolean, got "yes"',
                'kms-key-rotation-enabled must be one of advisory, mandatory, disabled, remediate, got "required"',
            ]);
            expect(policyConfigProblems(PACK, { "cloudwatch-log-group-retention": { minimumDays: 0 } })).to.deep.equal([
                "cloudwatch-log-group-retention.minimumDays must be at least 1, got 0",
            ]);
            expect(policyConfigProblems(PACK, { "cloudwatch-log-group-retention": { minimumDays: 7.5 } })).to.deep.equal([
                "cloudwatch-log-group-retention.minimumDays must be an integer, got 7.5",
            ]);
        });

        it("refuses what the engine would ignore: an unknown policy or setting, with the nearest name", () => {
            expect(policyConfigProblems(PACK, { "s3-bucket-versioning": "mandatory", "cloudwatch-log-group-retention": { minimumDay: 30 }, "s3-bucket-tls-only": { strict: true } })).to.deep.equal([
                "'s3-bucket-versioning' is not a policy of the pack (unknown policies would be ignored); did you mean 's3-bucket-versioning-enabled'?",
                "cloudwatch-log-group-retention.minimumDay is not a setting of cloudwatch-log-group-retention (unknown settings would be ignored); " +
                    "did you mean cloudwatch-log-group-retention.minimumDays? (settings: minimumDays)",
                "s3-bucket-tls-only.strict is not a setting of s3-bucket-tls-only (unknown settings would be ignored); it has none",
            ]);
            expect(policyConfigProblems(PACK, ["mandatory"])[0]).to.match(/^must be a JSON object mapping policy names/);
        });

        it("checks required settings, enums, strings and lists as JSON Schema does", () => {
            const policy: PolicyDescription = {
                name: "p",
                configSchema: {
                    properties: {
                        mode: { type: "string", enum: ["a", "b"] },
                        name: { type: "string", pattern: "^[a-z]+$", maxLength: 5 },
                        ids: { type: "array", items: { type: "string", minLength: 12, maxLength: 12 }, minItems: 1 },
                        threshold: { type: "number", exclusiveMinimum: 0, maximum: 1 },
                    },
                    required: ["mode", "ids"],
                },
            };
            expect(policyConfigProblems([policy], {})).to.deep.equal(["p.mode is required (the policy declares no default)", "p.ids is required (the policy declares no default)"]);
            expect(policyConfigProblems([policy], { p: { mode: "c", name: "Abc", ids: ["1234"], threshold: 0 } })).to.deep.equal([
                'p.mode must be one of "a", "b", got "c"',
                'p.name must match ^[a-z]+$, got "Abc"',
                'p.ids[0] must be at least 12 characters long, got "1234"',
                "p.threshold must be more than 0, got 0",
            ]);
            expect(policyConfigProblems([policy], { p: { mode: "a", ids: ["111122223333"], threshold: 0.5 } })).to.deep.equal([]);
        });

        it("makes plan() exit 2 naming the file, the policy and the setting, before reporting any verdict", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
            const file = path.join(dir, "bad.json");
            fs.writeFileSync(file, JSON.stringify({ "cloudwatch-log-group-retention": { minimumDays: "seven" } }));
            const retention = PACK.find((p) => p.name === "cloudwatch-log-group-retention")!;
            const info: AnalyzerInfo = { name: "fake-pack", version: "1.0.0", policies: [{ ...retention, enforcementLevel: "advisory", configDefaults: { minimumDays: 30 } }] };
            // The real configure step: the file is checked against the schema the pack described.
            const { configureRequests } = require("../../tools/plan/configure") as typeof import("../../tools/plan/configure");
            const pack = packWithoutProcess(info, { configure: async (i, stack, config) => void configureRequests(i, stack, config) });
            const { code, lines } = await planOffline(pack, async () => [], { policyPackConfig: file });
            fs.rmSync(dir, { recursive: true, force: true });
            expect(code).to.equal(2);
            expect(lines).to.deep.equal([
                `error: --policy-pack-config ${file}: policy pack config is not what the policies accept:\n` +
                    '  - cloudwatch-log-group-retention.minimumDays must be an integer, got "seven"',
            ]);
        });
    });

    describe("graph", () => {
        const reg = (type: string, name: string, region: string | undefined, deps: Registration[] = []): Registration => ({
            type,
            name,
            urn: `urn:pulumi:dev::p::${type}::${name}`,
            custom: true,
            parent: "",
            provider: "",
            dependencies: deps.map((d) => d.urn),
            propertyDependencies: {},
            inputs: region ? { region } : {},
            outputs: {},
        });
        it("puts each region in a subgraph and draws dependency --> dependent, in a stable order", () => {
            const versioning = reg("aws:s3/bucketVersioning:BucketVersioning", "v", "us-west-2");
            const role = reg("aws:iam/role:Role", "role", undefined);
            const config = reg("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "c", "us-east-2", [versioning, role]);
            const graph = mermaidGraph(planResources([config, role, versioning]));
            expect(graph).to.equal(
                [
                    "flowchart LR",
                    '  subgraph g0["global"]',
                    '    r0["Role<br/>role"]',
                    "  end",
                    '  subgraph g1["us-east-2"]',
                    '    r1["BucketReplicationConfig<br/>c"]',
                    "  end",
                    '  subgraph g2["us-west-2"]',
                    '    r2["BucketVersioning<br/>v"]',
                    "  end",
                    "  r0 --> r1",
                    "  r2 --> r1",
                ].join("\n"),
            );
        });
    });
});
