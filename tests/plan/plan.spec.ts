import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleStacksIn, likelyStack, loadStackConfig, PlanConfigError, stackFileArgument } from "../../tools/plan/config";
import { mermaidGraph } from "../../tools/plan/graph";
import { planResources } from "../../tools/plan/model";
import { Registration } from "../support/mocks";

const ROOT = path.join(__dirname, "..", "..");

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
