import { expect } from "chai";
import * as path from "path";
import { loadStackConfig, PlanConfigError } from "../../tools/plan/config";
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

        it("refuses a malformed override and a stack without a file", () => {
            expect(() => loadStackConfig(path.join(ROOT, "index.ts"), "dev", ["novalue"])).to.throw(PlanConfigError, "--config takes key=value, got 'novalue'");
            expect(() => loadStackConfig(path.join(ROOT, "index.ts"), "prod")).to.throw(PlanConfigError, "stack 'prod' has no configuration file Pulumi.prod.yaml");
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
