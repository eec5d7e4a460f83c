/**
 * Reuse, as another project does it: pack the component with `npm pack`, install the tarball into a fresh
 * consumer project outside this repository (its dependencies linked from the ones already installed: no
 * network), compile a consumer program with the consumer's own tsconfig, and run it under mocks. Then the
 * multi-language face: the schema Pulumi would serve to `pulumi package add`, generated offline.
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PluginArg, pluginArgProblems } from "../support/pluginArgs";

const ROOT = path.join(__dirname, "..", "..");
const PACKAGE_DIR = path.join(ROOT, "packages", "crr-pair");
const PLUGIN_DIR = path.join(ROOT, "packages", "crr-pair-plugin");

const CONSUMER_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { CrrPair, CrrPairArgsError } from "s3-crr-pair";

const east = new Provider("east", { region: "us-east-2" });
const west = new Provider("west", { region: "eu-west-1" });

export const pair = new CrrPair("orders", {
    namingPrefix: "acme-orders",
    primary: { provider: east, region: "us-east-2" },
    secondary: { provider: west, region: "eu-west-1", replicaStorageClass: "STANDARD_IA" },
    encryption: "aws:kms",
});
export const primaryBucket: pulumi.Output<string> = pair.primary.bucketName;
export const isArgsError = (e: unknown): boolean => e instanceof CrrPairArgsError;
`;

// The consumer's own mocks and runner: nothing from this repository but the installed package.
const CONSUMER_RUNNER = `import * as pulumi from "@pulumi/pulumi";

const registered: { type: string; name: string; provider: string }[] = [];
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push({ type: args.type, name: args.name, provider: args.provider ?? "" });
            const arn = args.type === "aws:s3/bucket:Bucket" ? { arn: "arn:aws:s3:::" + args.inputs.bucket } : {};
            return { id: args.inputs.bucket ?? args.inputs.name ?? args.name + "-id", state: { ...args.inputs, ...arn, arn: (arn as any).arn ?? "arn:aws:mock:::" + args.name } };
        },
        call: (args) =>
            args.token === "aws:index/getCallerIdentity:getCallerIdentity"
                ? { accountId: "111122223333" }
                : { partition: "aws", dnsSuffix: "amazonaws.com" },
    },
    "consumer",
    "test",
);

async function main() {
    const program = require("./index");
    const bucket = await new Promise((resolve) => program.primaryBucket.apply(resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await (require("@pulumi/pulumi/runtime/settings") as any).waitForRPCs();
    let refused = "";
    try {
        new program.pair.constructor("bad", { namingPrefix: "X" });
    } catch (e) {
        refused = program.isArgsError(e) ? (e as Error).message.split("\\n")[1] : "not a CrrPairArgsError";
    }
    console.log(JSON.stringify({ bucket, registered, refused }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

describe("the component as a package another project installs", function () {
    this.timeout(120000);
    let tmp: string;
    let tarball: string;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crr-consumer-"));
        // npm pack runs the package's prepack (tsc) and writes the tarball; no network involved.
        const out = execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: PACKAGE_DIR, encoding: "utf8" });
        tarball = path.join(tmp, JSON.parse(out)[0].filename);
    });

    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("packs compiled JavaScript, declarations, README and CHANGELOG, and nothing else", () => {
        const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").sort();
        expect(files).to.include.members(["package/package.json", "package/README.md", "package/CHANGELOG.md", "package/dist/index.js", "package/dist/index.d.ts", "package/dist/crrPair.d.ts"]);
        expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.deep.equal([]);
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
        expect(manifest.peerDependencies).to.have.keys(["@pulumi/pulumi", "@pulumi/aws"]);
        expect(manifest.dependencies ?? {}).to.deep.equal({});
        expect(manifest.version).to.equal("0.2.0");
        expect(path.basename(tarball)).to.equal("s3-crr-pair-0.2.0.tgz");
    });

    it("is the version of the newest CHANGELOG entry, and its README installs that version's tarball", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
        const changelog = fs.readFileSync(path.join(PACKAGE_DIR, "CHANGELOG.md"), "utf8");
        expect(changelog.match(/^## .*$/gm)!.slice(0, 2)).to.deep.equal([`## ${manifest.version}`, "## 0.1.0"]);
        // The plugin serves the same component: its version (which Pulumi gives the generated schema) moves with it.
        expect(JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8")).version).to.equal(manifest.version);
        const readme = fs.readFileSync(path.join(PACKAGE_DIR, "README.md"), "utf8");
        expect(readme).to.contain(`npm install /path/to/s3-crr-pair-${manifest.version}.tgz @pulumi/pulumi @pulumi/aws`);
        expect(readme).not.to.match(/npm install s3-crr-pair(?!` fails)/, "no registry install while the package is unpublished");
    });

    it("installs into a consumer project, compiles against its declarations and runs under mocks", () => {
        const consumer = path.join(tmp, "consumer");
        const modules = path.join(consumer, "node_modules");
        fs.mkdirSync(path.join(modules, "s3-crr-pair"), { recursive: true });
        execFileSync("tar", ["-xzf", tarball, "-C", path.join(modules, "s3-crr-pair"), "--strip-components=1"]);
        // The peer dependencies the consumer already has installed (linked: no download).
        fs.mkdirSync(path.join(modules, "@pulumi"));
        for (const dep of ["pulumi", "aws"]) {
            fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi", dep), path.join(modules, "@pulumi", dep), "dir");
        }
        fs.symlinkSync(path.join(ROOT, "node_modules", "@types"), path.join(modules, "@types"), "dir");
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { "s3-crr-pair": `file:${tarball}` } }));
        fs.writeFileSync(
            path.join(consumer, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true, types: ["node"], outDir: "bin" }, include: ["*.ts"] }),
        );
        fs.writeFileSync(path.join(consumer, "index.ts"), CONSUMER_PROGRAM);
        fs.writeFileSync(path.join(consumer, "run.ts"), CONSUMER_RUNNER);

        const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", consumer], { encoding: "utf8" });
        expect(tsc.status, tsc.stdout + tsc.stderr).to.equal(0);
        const run = spawnSync(process.execPath, [path.join(consumer, "bin", "run.js")], { cwd: consumer, encoding: "utf8" });
        expect(run.status, run.stdout + run.stderr).to.equal(0);
        const result = JSON.parse(run.stdout.trim().split("\n").pop()!);
        expect(result.bucket).to.equal("acme-orders-crrlab-us-east-2");
        const types = result.registered.map((r: { type: string }) => r.type);
        expect(types.filter((t: string) => t === "s3crr:index:CrrPair")).to.have.length(1);
        expect(types.filter((t: string) => t === "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).to.have.length(2);
        // Two data keys (SSE-KMS) and two alerts-topic keys (alerting is on by default).
        expect(types.filter((t: string) => t === "aws:kms/key:Key")).to.have.length(4);
        const names = result.registered.map((r: { name: string }) => r.name);
        expect(names).to.include.members(["orders-primary-kms-key", "orders-secondary-kms-key", "orders-primary-alerts-key", "orders-secondary-alerts-key"]);
        expect(names).to.include.members(["orders-primary-bucket", "orders-secondary-bucket", "orders-primary-replication", "orders-secondary-replication"]);
        const unprovided = result.registered.filter((r: { type: string; provider: string }) => r.type.startsWith("aws:") && !r.provider);
        expect(unprovided, "children without the consumer's providers").to.deep.equal([]);
        expect(result.refused).to.match(/^ {2}- namingPrefix: must be 5 to 40 characters/);
    });

    it("serves the multi-language schema (pulumi package add) with the stable type token, generated offline", async () => {
        const { ComponentProvider } = await import("@pulumi/pulumi/provider/experimental");
        const { CrrPair, CrrMesh } = require(PLUGIN_DIR);
        const provider = new ComponentProvider({ components: [CrrPair, CrrMesh], name: "s3crr", dirname: PLUGIN_DIR });
        const schema = JSON.parse(await provider.getSchema());
        expect(schema.name).to.equal("s3crr");
        const component = schema.resources["s3crr:index:CrrPair"];
        expect(component.isComponent).to.equal(true);
        expect(component.requiredInputs).to.deep.equal(["namingPrefix", "primary", "secondary"]);
        expect(Object.keys(component.inputProperties)).to.include.members([
            "encryption", "deleteMarkerReplication", "replicaModificationSync", "replicationTimeControl", "replicaStorageClass",
            "logRetentionDays", "forceDestroy", "tags",
        ]);
        expect(component.properties.primary.$ref).to.equal("#/types/s3crr:index:CrrSideOutputs");
        // A side is a region: no provider reference, which the analyzer would not write as "#/provider".
        expect(schema.types["s3crr:index:CrrSideArgs"].required).to.deep.equal(["region"]);
        expect(Object.keys(schema.types["s3crr:index:CrrSideArgs"].properties).sort()).to.deep.equal([
            "bucketPolicyStatementsJson", "existingBucket", "lifecycleRulesJson", "logFileExpirationDays", "logRetentionDays",
            "notifications", "region", "replicaStorageClass",
        ]);
        // An adopted bucket (issue 23): its name, and its own statements and rules as JSON text (AWS's shapes).
        const sideProperties = schema.types["s3crr:index:CrrSideArgs"].properties;
        expect([sideProperties.existingBucket.type, sideProperties.bucketPolicyStatementsJson.type, sideProperties.lifecycleRulesJson.type]).to.deep.equal([
            "string", "string", "string",
        ]);
        expect(component.inputProperties.batchReplication.type).to.equal("boolean");
        expect(component.inputProperties.rtoSeconds.type).to.equal("number");
        // The pair's outputs include the dashboard and the access point; the mesh's, its sides by key.
        expect(Object.keys(component.properties).sort()).to.deep.equal(["accessPoint", "dashboardName", "primary", "secondary"]);
        expect(schema.types["s3crr:index:CrrAccessPointOutputs"].required.sort()).to.deep.equal(["alias", "arn", "endpoint", "name"]);
        const mesh = schema.resources["s3crr:index:CrrMesh"];
        expect(mesh.isComponent).to.equal(true);
        expect(mesh.requiredInputs).to.deep.equal(["namingPrefix", "sides"]);
        expect(mesh.inputProperties.sides.items.$ref).to.equal("#/types/s3crr:index:CrrMeshSideArgs");
        expect(mesh.properties.sides.additionalProperties.$ref).to.equal("#/types/s3crr:index:CrrSideOutputs");
        expect(Object.keys(mesh.properties).sort()).to.deep.equal(["accessPoint", "dashboardName", "sides"]);
        expect(schema.types["s3crr:index:NotificationTargetArgs"].required.sort()).to.deep.equal(["arn", "events"]);
        expect(schema.types["s3crr:index:CrrSideOutputs"].required).to.include.members(["bucketName", "bucketArn", "trailArn", "replicationRoleArn"]);
        expect(JSON.stringify(schema)).not.to.contain("#/resources/aws\"");
        // The schema Pulumi derives from the hand-written args agrees with OPTION_SPECS: names, types, stated defaults.
        type SchemaProperty = { type?: string; items?: { type: string }; $ref?: string; description?: string };
        const args = (name: string): PluginArg[] =>
            Object.entries(
                (name === "CrrPairArgs" ? component.inputProperties : name === "CrrMeshArgs" ? mesh.inputProperties : schema.types[`s3crr:index:${name}`].properties) as Record<
                    string,
                    SchemaProperty
                >,
            ).map(
                ([arg, p]) => ({
                    name: arg,
                    type: p.$ref ? p.$ref.replace("#/types/s3crr:index:", "") : p.type === "array" ? `${p.items!.type}[]` : p.type!,
                    description: p.description ?? "",
                }),
            );
        expect(pluginArgProblems(args)).to.deep.equal([]);
        expect(args("BackupArgs").find((a) => a.name === "vaultLockMaxRetentionDays")).to.deep.equal({
            name: "vaultLockMaxRetentionDays",
            type: "number",
            description: "Longest retention a locked vault accepts (default 36500).",
        });
        expect(fs.readFileSync(path.join(PLUGIN_DIR, "PulumiPlugin.yaml"), "utf8")).to.match(/^runtime: nodejs/m);
    });

    it("constructs through the provider as another language would: its own providers per region, validated strings", async () => {
        const { installMocks, withoutStackCapture } = await import("../../tools/mocking");
        const { ComponentProvider } = await import("@pulumi/pulumi/provider/experimental");
        const session = installMocks({ project: "consumer", stack: "py" });
        const { CrrPair } = require(PLUGIN_DIR);
        const provider = new ComponentProvider({ components: [CrrPair], name: "s3crr", dirname: PLUGIN_DIR });
        const inputs = {
            namingPrefix: "acme-py",
            primary: { region: "us-east-2" },
            secondary: { region: "ap-southeast-2", replicaStorageClass: "GLACIER_IR" },
        };
        await withoutStackCapture(async () => {
            await provider.construct("orders", "s3crr:index:CrrPair", inputs, {});
            await session.settle();
        });
        const regs = session.registered();
        const providers = regs.filter((r) => r.type === "pulumi:providers:aws").map((r) => [r.name, r.inputs.region]);
        expect(providers).to.deep.equal([
            ["orders-primary-provider", "us-east-2"],
            ["orders-secondary-provider", "ap-southeast-2"],
        ]);
        const rule = regs.find((r) => r.name === "orders-primary-replication")!.inputs.rules[0];
        expect(rule.destination).to.deep.include({ bucket: "arn:aws:s3:::acme-py-crrlab-ap-southeast-2", storageClass: "GLACIER_IR" });
        const unprovided = regs.filter((r) => r.custom && r.type.startsWith("aws:") && !r.provider);
        expect(unprovided).to.deep.equal([]);
        expect(() => new CrrPair("bad", { ...inputs, encryption: "kms" })).to.throw("encryption: must be one of 'AES256', 'aws:kms'; got 'kms'");
    });

    it("adopts a bucket as another language would: its name, and its statements and rules given as JSON text", async () => {
        const { installMocks, withoutStackCapture } = await import("../../tools/mocking");
        const { ComponentProvider } = await import("@pulumi/pulumi/provider/experimental");
        const session = installMocks({ project: "consumer", stack: "py" });
        const { CrrPair } = require(PLUGIN_DIR);
        const provider = new ComponentProvider({ components: [CrrPair], name: "s3crr", dirname: PLUGIN_DIR });
        const statement = { Sid: "AnalyticsRead", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/analytics" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-orders-data/*" };
        const inputs = {
            namingPrefix: "acme-py",
            primary: {
                region: "us-east-2",
                existingBucket: "acme-orders-data",
                bucketPolicyStatementsJson: JSON.stringify([statement]),
                lifecycleRulesJson: JSON.stringify([{ id: "expire-tmp", status: "Enabled", filter: { prefix: "tmp/" }, expiration: { days: 3 } }]),
            },
            secondary: { region: "us-west-2" },
        };
        await withoutStackCapture(async () => {
            await provider.construct("orders", "s3crr:index:CrrPair", inputs, {});
            await session.settle();
        });
        const regs = session.registered();
        const named = (name: string) => regs.find((r) => r.name === name)!;
        expect(named("orders-secondary-replication").inputs.rules[0].destination.bucket).to.equal("arn:aws:s3:::acme-orders-data");
        const policy = JSON.parse(named("orders-primary-bucket-policy").inputs.policy);
        expect(policy.Statement.find((s: { Sid?: string }) => s.Sid === "AnalyticsRead")).to.deep.equal(statement);
        expect(named("orders-primary-bucket-lifecycle").inputs.rules.map((r: { id: string }) => r.id)).to.include("expire-tmp");
        expect(() => new CrrPair("bad", { ...inputs, primary: { ...inputs.primary, lifecycleRulesJson: "not json" } })).to.throw("primary.lifecycleRules");
    });

    it("constructs a CrrMesh as another language would: a provider per side, notifications, aliases from the pair it grows from", async () => {
        const { installMocks, withoutStackCapture } = await import("../../tools/mocking");
        const { ComponentProvider } = await import("@pulumi/pulumi/provider/experimental");
        const session = installMocks({ project: "consumer", stack: "py" });
        const { CrrMesh } = require(PLUGIN_DIR);
        const provider = new ComponentProvider({ components: [CrrMesh], name: "s3crr", dirname: PLUGIN_DIR });
        const queue = "arn:aws:sqs:us-east-2:123456789012:orders-events";
        const inputs = {
            namingPrefix: "acme-py",
            sides: [
                { region: "us-east-2", notifications: { queues: [{ arn: queue, events: ["s3:ObjectCreated:*"], filterPrefix: "in/" }] } },
                { region: "us-west-2" },
                { region: "eu-west-1", key: "europe" },
            ],
            grownFromPair: { primary: "us-east-2", secondary: "us-west-2" },
            accessPoint: { routing: "activeActive" },
        };
        await withoutStackCapture(async () => {
            await provider.construct("orders", "s3crr:index:CrrMesh", inputs, {});
            await session.settle();
        });
        const regs = session.registered();
        // Sorted: a provider with aliases (taking over the pair's) registers a turn later.
        expect(regs.filter((r) => r.type === "pulumi:providers:aws").map((r) => `${r.name} ${r.inputs.region}`).sort()).to.deep.equal([
            "orders-europe-provider eu-west-1",
            "orders-us-east-2-provider us-east-2",
            "orders-us-west-2-provider us-west-2",
        ]);
        expect(regs.find((r) => r.name === "orders-us-east-2-bucket-notification")!.inputs.queues).to.deep.equal([
            { queueArn: queue, events: ["s3:ObjectCreated:*"], filterPrefix: "in/" },
        ]);
        expect(regs.find((r) => r.name === "orders-europe-replication")!.inputs.rules).to.have.length(2);
        expect(regs.find((r) => r.type === "s3crr:index:CrrMesh")!.aliases).to.deep.equal(["urn:pulumi:py::consumer::s3crr:index:CrrPair::orders"]);
        expect(regs.find((r) => r.name === "orders-us-west-2-bucket")!.aliases).to.include(
            "urn:pulumi:py::consumer::s3crr:index:CrrPair$aws:s3/bucket:Bucket::orders-secondary-bucket",
        );
        expect(regs.filter((r) => r.type === "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint")).to.have.length(1);
        expect(() => new CrrMesh("bad", { ...inputs, sides: [{ region: "us-east-2" }] })).to.throw(/^Invalid CrrMesh arguments:\n {2}- sides: must be a list of 2/);
    });
});
