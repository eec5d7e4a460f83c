import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { OPTION_KEYS } from "../components";
import { CONFIG_KEYS, readSettings } from "../program/settings";
import { interfaceFieldNames } from "./support/interfaces";
import { ACCOUNT_ID, find, ofType, PROJECT, registered, resetRecords, settle, valueOf, withoutStackCapture } from "./support/mocks";
import { errorOf, getter } from "./support/program";

const ROOT = path.join(__dirname, "..");
const readYaml = (file: string) => yaml.load(fs.readFileSync(path.join(ROOT, file), "utf8")) as Record<string, any>;

/** Runs index.ts afresh with `config` as the stack configuration, and waits for it to finish. */
async function runProgram(config: Record<string, string>, secretKeys: string[] = []): Promise<Record<string, any>> {
    resetRecords();
    // A key without a namespace is the project's; `aws:...` and other namespaces are kept as given.
    const full = (k: string) => (k.includes(":") ? k : `${PROJECT}:${k}`);
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [full(k), v])), secretKeys.map(full));
    const entry = require.resolve("../index");
    delete require.cache[entry];
    return withoutStackCapture(async () => {
        const exports = require(entry);
        await settle();
        return exports;
    });
}

describe("program", () => {
    describe("configuration", () => {
        it("applies the declared defaults when only namingPrefix is set", () => {
            expect(readSettings(getter({ namingPrefix: "acme-data" }), PROJECT)).to.deep.equal({
                namingPrefix: "acme-data",
                primaryRegion: "us-east-2",
                secondaryRegion: "us-west-2",
                encryption: "AES256",
                kmsKeyDeletionWindowInDays: undefined,
                deleteMarkerReplication: false,
                replicaModificationSync: true,
                replicationTimeControl: false,
                replicaStorageClass: "STANDARD",
                logRetentionDays: 30,
                logFileExpirationDays: 365,
                logNoncurrentVersionExpirationDays: 30,
                accessLogging: true,
                versionLifecycle: { noncurrentVersionExpirationDays: 90, abortIncompleteMultipartUploadDays: 7 },
                backup: false,
                accessPoint: false,
                forceDestroy: false,
                permissionsBoundary: "",
                protectData: false,
                batchReplication: false,
                regions: undefined,
                roleArns: {},
                replicationMetrics: true,
                alarms: true,
                rpoSeconds: 900,
                rtoSeconds: 3600,
                backlogAlarmBytes: 0,
                alarmEmails: [],
                eventBridgeNotifications: false,
            });
        });

        it("parses integers and booleans and keeps the KMS window only with aws:kms", () => {
            const settings = readSettings(
                getter({ namingPrefix: "acme-data", encryption: "aws:kms", kmsKeyDeletionWindowInDays: "7", forceDestroy: "true" }),
                PROJECT,
            );
            expect([settings.kmsKeyDeletionWindowInDays, settings.forceDestroy]).to.deep.equal([7, true]);
        });

        it("names the missing key and how to set it", () => {
            expect(errorOf(() => readSettings(getter({}), PROJECT)).message).to.contain(
                "s3-crr:namingPrefix is required: set it with 'pulumi config set namingPrefix <value>'",
            );
        });

        const bad: [string, Record<string, string>, string][] = [
            ["a bad prefix", { namingPrefix: "Bad_Prefix" }, "s3-crr:namingPrefix must be 5 to 40 characters"],
            ["a non-number", { logRetentionDays: "thirty" }, "s3-crr:logRetentionDays must be a whole number, got 'thirty'"],
            ["a retention AWS rejects", { logRetentionDays: "31" }, "s3-crr:logRetentionDays must be one of 0, 1, 3, 5, 7, 14, 30"],
            ["a non-boolean", { forceDestroy: "yes" }, "s3-crr:forceDestroy must be true or false, got 'yes'"],
            ["an unknown encryption", { encryption: "kms" }, "s3-crr:encryption must be one of 'AES256', 'aws:kms'; got 'kms'"],
            ["equal regions", { secondaryRegion: "us-east-2" }, "s3-crr:secondaryRegion must differ from primaryRegion ('us-east-2')"],
            ["a bad region", { primaryRegion: "ohio" }, "s3-crr:primaryRegion must be an AWS region code that @pulumi/aws knows, such as 'us-east-2', got 'ohio'"],
            [
                "a well-formed region that does not exist",
                { primaryRegion: "us-east-9" },
                "s3-crr:primaryRegion must be an AWS region code that @pulumi/aws knows, such as 'us-east-2', got 'us-east-9'; nearest: us-east-1, us-east-2, us-west-1",
            ],
            [
                "a dotted prefix",
                { namingPrefix: "acme.data" },
                "s3-crr:namingPrefix must not contain '.', got 'acme.data': S3 advises against dots in bucket names",
            ],
            [
                "a prefix that makes a reserved bucket name (the message names the region key, not the argument)",
                { namingPrefix: "xn--acme" },
                "s3-crr:namingPrefix with primaryRegion 'us-east-2' the bucket name 'xn--acme-crrlab-us-east-2'",
            ],
        ];
        for (const [what, values, expected] of bad) {
            it(`refuses ${what} with a RunError naming the key`, () => {
                const error = errorOf(() => readSettings(getter({ namingPrefix: "acme-data", ...values }), PROJECT));
                expect(error).to.be.instanceOf(pulumi.RunError);
                expect(error.message).to.contain(expected);
            });
        }
    });

    describe("Pulumi.yaml and Pulumi.dev.yaml", () => {
        it("declares exactly the keys the program reads, with their types, descriptions and defaults", () => {
            const project = readYaml("Pulumi.yaml");
            expect(project.name).to.equal(PROJECT);
            const expected = Object.fromEntries(
                CONFIG_KEYS.map((k) => [
                    k.key,
                    {
                        type: k.type,
                        ...(k.type === "array" ? { items: { type: "string" } } : {}),
                        description: k.description,
                        ...(k.default === undefined ? {} : { default: k.default }),
                    },
                ]),
            );
            expect(project.config).to.deep.equal(expected);
        });

        it("has a dev stack that is valid, tears down in one destroy and keeps logs briefly", () => {
            const stack = readYaml("Pulumi.dev.yaml").config as Record<string, unknown>;
            const ours = Object.fromEntries(
                Object.entries(stack)
                    .filter(([k]) => k.startsWith(`${PROJECT}:`))
                    .map(([k, v]) => [k.slice(PROJECT.length + 1), String(v)]),
            );
            const declared = CONFIG_KEYS.map((k) => k.key);
            expect(Object.keys(ours).filter((k) => !declared.includes(k)), "undeclared keys").to.deep.equal([]);
            const settings = readSettings(getter(ours), PROJECT);
            expect(settings.forceDestroy).to.equal(true);
            expect(settings.logRetentionDays).to.equal(7);
            expect(stack["pulumi:disable-default-providers"]).to.deep.equal(["aws"]);
        });
    });

    describe("index.ts under mocks", () => {
        let exported: Record<string, any>;
        before(async () => {
            exported = await runProgram({ namingPrefix: "acme-dev", secondaryRegion: "eu-west-1", logRetentionDays: "7" });
        });

        it("creates one explicit provider per configured region with default tags", () => {
            const providers = ofType("pulumi:providers:aws").map((p) => [p.name, p.inputs.region, JSON.parse(p.inputs.defaultTags).tags]);
            const tags = { Project: PROJECT, Stack: "dev", ManagedBy: "pulumi", Purpose: "s3-bidirectional-crr" };
            expect(providers).to.deep.equal([
                ["primary", "us-east-2", tags],
                ["secondary", "eu-west-1", tags],
            ]);
        });

        it("passes the configuration to the CrrPair", () => {
            expect(find("aws:s3/bucket:Bucket", "crr-secondary-bucket").inputs.bucket).to.equal("acme-dev-crrlab-eu-west-1");
            expect(find("aws:cloudwatch/logGroup:LogGroup", "crr-primary-log-group").inputs.retentionInDays).to.equal(7);
        });

        it("exports both sides' outputs", async () => {
            // `sides` is exported only by mesh stacks (undefined here: the engine records no such output).
            expect(Object.keys(exported).filter((k) => exported[k] !== undefined).sort()).to.deep.equal(["dashboardName", "objectives", "primary", "secondary"]);
            expect(await valueOf(exported.dashboardName)).to.equal("acme-dev-crr");
            // The recovery objectives npm run drill measures against: the defaults here.
            expect(exported.objectives).to.deep.equal({ rpoSeconds: 900, rtoSeconds: 3600 });
            expect(await valueOf(exported.primary.alertsTopicArn)).to.equal(`arn:aws:sns:us-east-2:${ACCOUNT_ID}:acme-dev-crr-alerts`);
            expect(await valueOf(exported.secondary.region)).to.equal("eu-west-1");
            expect(await valueOf(exported.primary.bucketName)).to.equal("acme-dev-crrlab-us-east-2");
            expect(await valueOf(exported.secondary.bucketArn)).to.equal("arn:aws:s3:::acme-dev-crrlab-eu-west-1");
            expect(await valueOf(exported.primary.replicationRoleArn)).to.equal(
                `arn:aws:iam::${ACCOUNT_ID}:role/acme-dev-s3crr-us-east-2`,
            );
            expect(await valueOf(exported.secondary.trailArn)).to.equal(
                `arn:aws:cloudtrail:eu-west-1:${ACCOUNT_ID}:trail/acme-dev-crr-trail`,
            );
            expect(await valueOf(exported.primary.logGroupName)).to.equal("CloudTrail/logs/acme-dev");
            expect(await valueOf(exported.primary.loggingBucketName)).to.equal("logging-acme-dev-us-east-2");
            // The optional outputs only when their option is on: alerting is, SSE-KMS and backups are not.
            const always = ["accountId", "bucketArn", "bucketName", "logGroupName", "loggingBucketName", "queryDefinitionId", "region", "replicationRoleArn", "trailArn"];
            for (const side of [exported.primary, exported.secondary]) {
                expect(Object.keys(side).sort()).to.deep.equal([...always, "alertsTopicArn"].sort());
            }
        });

        it("exports every field of CrrSideOutputs per side when every option that adds one is on", async () => {
            const out = await runProgram({ namingPrefix: "acme-dev", encryption: "aws:kms", backup: "true", batchReplication: "true" });
            const fields = interfaceFieldNames("components/topology/topology.ts", "CrrSideOutputs");
            expect(fields).to.include.members(["kmsKeyArn", "alertsTopicArn", "backupVaultArn", "backupPlanArn", "backupRoleArn", "batchReplicationRoleArn"]);
            expect(Object.keys(out.primary)).to.deep.equal(fields);
            expect(Object.keys(out.secondary)).to.deep.equal(fields);
            expect(await valueOf(out.secondary.backupVaultArn)).to.match(/^arn:aws:backup:us-west-2:/);
            expect(await valueOf(out.primary.batchReplicationRoleArn)).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/acme-dev-s3batch-us-east-2`);
        });

        it("builds a CrrMesh over `regions`, an account per region where `roleArns` says so", async () => {
            const out = await runProgram({
                namingPrefix: "acme-mesh",
                regions: JSON.stringify(["us-east-2", "us-west-2", "eu-west-1"]),
                roleArns: JSON.stringify(["eu-west-1=arn:aws:iam::444455556666:role/crr-deployer"]),
            });
            expect(Object.keys(out.sides)).to.deep.equal(["us-east-2", "us-west-2", "eu-west-1"]);
            expect(await valueOf(out.sides["eu-west-1"].accountId)).to.equal("444455556666");
            expect(await valueOf(out.sides["us-east-2"].accountId)).to.equal(ACCOUNT_ID);
            const eu = find("pulumi:providers:aws", "eu-west-1");
            expect(JSON.parse(eu.inputs.assumeRoles)).to.deep.equal([{ roleArn: "arn:aws:iam::444455556666:role/crr-deployer", sessionName: "pulumi-dev" }]);
            const configs = ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig").map((c) => [c.name, c.inputs.rules.map((r: any) => r.destination.account ?? "same")]);
            expect(configs.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).to.deep.equal([
                ["crr-eu-west-1-replication", [ACCOUNT_ID, ACCOUNT_ID]],
                ["crr-us-east-2-replication", ["same", "444455556666"]],
                ["crr-us-west-2-replication", ["same", "444455556666"]],
            ]);
        });

        it("gives a two-region pair's roles by region: the secondary's provider assumes the role of its region's entry", async () => {
            // A pair's providers are named primary and secondary, not after their regions: a role looked up by
            // provider name would be missed here (a mesh cannot tell the two apart).
            const out = await runProgram({
                namingPrefix: "acme-pair",
                primaryRegion: "us-east-2",
                secondaryRegion: "eu-west-1",
                roleArns: JSON.stringify(["eu-west-1=arn:aws:iam::444455556666:role/crr-deployer"]),
            });
            const primary = find("pulumi:providers:aws", "primary");
            const secondary = find("pulumi:providers:aws", "secondary");
            expect([primary.inputs.region, primary.inputs.assumeRoles]).to.deep.equal(["us-east-2", undefined]);
            expect(secondary.inputs.region).to.equal("eu-west-1");
            expect(JSON.parse(secondary.inputs.assumeRoles)).to.deep.equal([
                { roleArn: "arn:aws:iam::444455556666:role/crr-deployer", sessionName: "pulumi-dev" },
            ]);
            expect(await valueOf(out.secondary.accountId)).to.equal("444455556666");
            expect(await valueOf(out.primary.accountId)).to.equal(ACCOUNT_ID);
            // Replication into the other account names it; the other way stays within the primary's.
            const rules = (name: string) => find("aws:s3/bucketReplicationConfig:BucketReplicationConfig", name).inputs.rules.map((r: any) => r.destination.account ?? "same");
            expect([rules("crr-primary-replication"), rules("crr-secondary-replication")]).to.deep.equal([["444455556666"], [ACCOUNT_ID]]);
        });

        it("gives every key of the staging stack the stack's deletion window: the buckets', the alerts' and the vaults' keys", async () => {
            const { loadStackConfig } = require("../tools/plan/config") as typeof import("../tools/plan/config");
            const staging = loadStackConfig(path.join(ROOT, "index.ts"), "staging").values;
            const prefix = `${PROJECT}:`;
            await runProgram(Object.fromEntries(Object.entries(staging).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v])));
            const windows = ofType("aws:kms/key:Key").map((k) => [k.name, k.inputs.deletionWindowInDays]);
            expect(windows.map(([name]) => name).sort()).to.deep.equal(
                ["alerts-key", "backup-key", "kms-key"].flatMap((k) => [`crr-primary-${k}`, `crr-secondary-${k}`]).sort(),
            );
            expect(windows.filter(([, days]) => days !== 7), "keys without the stack's 7 days").to.deep.equal([]);
        });

        it("names the entry of `regions` or `roleArns` that is wrong", async () => {
            const message = (config: Record<string, string>) =>
                runProgram({ namingPrefix: "acme-mesh", ...config }).then(
                    () => "no error",
                    (e: Error) => e.message,
                );
            expect(await message({ regions: "us-east-2,us-east-2" })).to.contain(
                "s3-crr:regions[1] must differ from regions[0] ('us-east-2'): cross-region replication needs distinct regions",
            );
            expect(await message({ regions: "us-east-2" })).to.contain("s3-crr:regions must be a list of 2 to 1001 sides");
            expect(await message({ roleArns: "eu-west-1=arn:aws:iam::444455556666:role/x" })).to.contain(
                "s3-crr:roleArns names eu-west-1, which is not one of the regions built (us-east-2, us-west-2)",
            );
            expect(await message({ roleArns: "us-west-2=not-an-arn" })).to.contain(
                "s3-crr:roleArns entries must be '<region>=arn:aws:iam::<12-digit account>:role/<name>', got 'us-west-2=not-an-arn'",
            );
        });

        it("passes the stack's aws:allowedAccountIds to every provider it makes, the pair's and a mesh's", async () => {
            await runProgram({ namingPrefix: "acme-dev", "aws:allowedAccountIds": JSON.stringify(["011122223333"]) });
            expect(ofType("pulumi:providers:aws").map((p) => [p.name, JSON.parse(p.inputs.allowedAccountIds)])).to.deep.equal([
                ["primary", ["011122223333"]],
                ["secondary", ["011122223333"]],
            ]);
            await runProgram({ namingPrefix: "acme-dev", regions: "us-east-2,us-west-2,eu-west-1", "aws:forbiddenAccountIds": JSON.stringify(["444455556666"]) });
            // By name: a provider that takes over the pair's (an alias) registers a turn later than the others.
            const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
            expect(ofType("pulumi:providers:aws").map((p) => [p.name, JSON.parse(p.inputs.forbiddenAccountIds), p.inputs.allowedAccountIds]).sort(byName)).to.deep.equal([
                ["eu-west-1", ["444455556666"], undefined],
                ["us-east-2", ["444455556666"], undefined],
                ["us-west-2", ["444455556666"], undefined],
            ]);
            // Unset: the providers get no such input (the provider then accepts any account).
            await runProgram({ namingPrefix: "acme-dev" });
            expect(ofType("pulumi:providers:aws").map((p) => p.inputs.allowedAccountIds)).to.deep.equal([undefined, undefined]);
        });

        it("refuses an account id the provider would misread, before registering anything", async () => {
            const error = await runProgram({ namingPrefix: "acme-dev", "aws:allowedAccountIds": "[11122223333]" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error?.message).to.contain("aws:allowedAccountIds must be a list of 12-digit account ids written as strings");
            expect(registered()).to.deep.equal([]);
        });

        it("names a secret whose value the run did not get (an offline plan), the prefix and the emails alike", async () => {
            const message = (config: Record<string, string>, secrets: string[]) =>
                runProgram(config, secrets).then(
                    () => "no error",
                    (e: Error) => e.message,
                );
            expect(await message({}, ["namingPrefix"])).to.contain(
                "s3-crr:namingPrefix is a secret (secure: in the stack file) whose value this run did not get",
            );
            expect(await message({}, ["namingPrefix"])).not.to.contain("is required");
            // Not dropped for the default (no subscriptions) without a word:
            expect(await message({ namingPrefix: "acme-dev" }, ["alarmEmails"])).to.contain(
                "s3-crr:alarmEmails is a secret (secure: in the stack file) whose value this run did not get",
            );
            expect(registered()).to.deep.equal([]);
            // A secret with its value (as the CLI decrypts it) is read as any value.
            await runProgram({ namingPrefix: "acme-dev", alarmEmails: JSON.stringify(["oncall@example.com"]) }, ["alarmEmails"]);
            expect(ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.endpoint)).to.deep.equal(["oncall@example.com", "oncall@example.com"]);
        });

        describe("keys it does not read", () => {
            const saved = process.env.CI;
            afterEach(() => (saved === undefined ? delete process.env.CI : (process.env.CI = saved)));

            it("warns outside CI and plans on", async () => {
                delete process.env.CI;
                // Without an engine (the mocks) Pulumi's log.warn writes to console.warn: the warning is read there.
                const warned: string[] = [];
                const consoleWarn = console.warn;
                console.warn = (...args: unknown[]) => void warned.push(args.join(" "));
                try {
                    await runProgram({ namingPrefix: "acme-dev", replicationTimeControll: "true" });
                } finally {
                    console.warn = consoleWarn;
                }
                expect(warned).to.have.length(1);
                expect(warned[0]).to.match(
                    /^warning: \[runtime\] s3-crr:replicationTimeControll is not a configuration key of this program and is ignored; did you mean s3-crr:replicationTimeControl\? \(keys: namingPrefix, /,
                );
                expect(ofType("aws:s3/bucket:Bucket")).to.have.length(4);
            });

            it("stops where CI is set, naming each key and what was meant, before registering anything", async () => {
                process.env.CI = "true";
                const error = await runProgram({ namingPrefix: "acme-dev", replicationTimeControll: "true", "aws:allowedAccountID": '["111122223333"]' }).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(error).to.be.instanceOf(pulumi.RunError);
                expect(error?.message).to.contain("Unknown configuration keys (an error where CI is set):");
                expect(error?.message).to.contain("did you mean s3-crr:replicationTimeControl?");
                expect(error?.message).to.contain("did you mean aws:allowedAccountIds?");
                expect(registered()).to.deep.equal([]);
            });
        });

        it("stops on bad configuration before registering anything", async () => {
            const error = await runProgram({ namingPrefix: "acme-dev", encryption: "none" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error?.message).to.contain("s3-crr:encryption must be one of 'AES256', 'aws:kms'; got 'none'");
            expect(registered()).to.deep.equal([]);
        });
    });
});

describe("what `npm run docs` writes", () => {
    it("every file it writes is up to date: README.md's tables (configuration, DR strategies), docs/design.md's graph, Pulumi.yaml, the package README (run `npm run docs`)", async () => {
        const { generatedFiles } = require("../program/docs") as typeof import("../program/docs");
        const { loadStackConfig } = require("../tools/plan/config") as typeof import("../tools/plan/config");
        const { mermaidGraph } = require("../tools/plan/graph") as typeof import("../tools/plan/graph");
        const { planResources } = require("../tools/plan/model") as typeof import("../tools/plan/model");
        // The dev stack as `npm run docs` runs it: Pulumi.yaml defaults and Pulumi.dev.yaml.
        const dev = loadStackConfig(path.join(ROOT, "index.ts"), "dev").values;
        const prefix = `${PROJECT}:`;
        await runProgram(Object.fromEntries(Object.entries(dev).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v])));
        const graph = mermaidGraph(planResources([...registered()]));
        // The DR strategy examples, planned as `npm run docs` plans them, estimated at the default workload.
        const { planStrategy, strategiesTable } = require("../program/strategies") as typeof import("../program/strategies");
        const { DEFAULT_WORKLOAD } = require("../tools/plan/workload") as typeof import("../tools/plan/workload");
        const { stackPlans } = require("./support/stackPlans") as typeof import("./support/stackPlans");
        const examples = (await stackPlans()).filter((p) => p.example);
        const strategies = examples.map((p) => planStrategy(p.stack, p.file, p.config.values, p.config.defaultRegion, p.registrations, DEFAULT_WORKLOAD));
        const files = generatedFiles(PROJECT, graph, strategiesTable(strategies, PROJECT, DEFAULT_WORKLOAD));
        expect(files.map((f) => f.file)).to.deep.equal(["README.md", "README.md", "docs/design.md", "Pulumi.yaml", "packages/crr-pair/README.md"]);
        for (const { file, render } of files) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            expect(render(text) === text, `${file} is stale: run \`npm run docs\``).to.equal(true);
        }
    });

    it("names a file without a section's markers", () => {
        const { renderDesign, renderReadme } = require("../program/docs") as typeof import("../program/docs");
        expect(() => renderReadme("# no table\n", PROJECT)).to.throw("README.md has no '<!-- config-table:start -->' ... '<!-- config-table:end -->' section");
        expect(() => renderDesign("# no graph\n", "flowchart LR")).to.throw("docs/design.md has no '<!-- dev-graph:start -->' ... '<!-- dev-graph:end -->' section");
    });

    it("gives the package README a row per option and per setting, with the option table's defaults", () => {
        const readme = fs.readFileSync(path.join(ROOT, "packages/crr-pair/README.md"), "utf8");
        const rows = readme.split("\n").filter((l) => l.startsWith("| `"));
        const row = (name: string) => rows.find((r) => r.startsWith(`| \`${name}\` |`));
        for (const option of OPTION_KEYS) {
            expect(row(option), option).to.not.equal(undefined);
        }
        expect(row("accessLogging")).to.match(/^\| `accessLogging` \| boolean \| `true` \| S3 server access logging/);
        expect(row("versionLifecycle")).to.contain("| boolean or object | `true` |");
        expect(row("versionLifecycle.noncurrentVersionExpirationDays")).to.contain("| number, 1 to 36,500 | `90` |");
        expect(row("backup")).to.contain("| boolean or object | `false` |");
        expect(row("backup.vaultLock")).to.contain('| string | `"none"` |');
        expect(row("accessPoint.routing")).to.contain('| string | `"activePassive"` |');
        expect(row("encryption")).to.contain('| string | `"AES256"` |');
        expect(row("alarmEmails")).to.contain("| string[] | `[]` |");
    });

    it("names every output of a side in the package README", () => {
        const readme = fs.readFileSync(path.join(ROOT, "packages/crr-pair/README.md"), "utf8");
        const outputs = readme.slice(readme.indexOf("## Outputs"), readme.indexOf("\n## ", readme.indexOf("## Outputs") + 1));
        const missing = interfaceFieldNames("components/topology/topology.ts", "CrrSideOutputs").filter((f) => !outputs.includes(`\`${f}\``));
        expect(missing).to.deep.equal([]);
    });
});

describe("README.md", () => {
    it("gives the newcomer commands and every config key", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        expect(readme).to.contain("npm ci && npm run plan    # ");
        expect(readme).to.contain("npm ci && npm test        # ");
        for (const k of CONFIG_KEYS) {
            expect(readme).to.contain(`\`${PROJECT}:${k.key}\``);
        }
    });

    it("links every file in docs/, and every docs/ link it has resolves, anchors included", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const docs = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort();
        expect(docs).to.deep.equal(["delivery.md", "dependencies.md", "deploy-safety.md", "design.md", "operations.md", "performance.md", "policies.md", "safeguards.md"]);
        // GitHub's anchor of a heading: lower case, punctuation but '-' and '_' dropped, spaces as '-'.
        const anchors = (text: string) =>
            new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-")));
        const links = [...readme.matchAll(/\]\((docs\/[^)#]+)(?:#([^)]+))?\)/g)].map((m) => ({ file: m[1], anchor: m[2] }));
        expect(new Set(links.map((l) => l.file))).to.deep.equal(new Set(docs.map((d) => `docs/${d}`)));
        for (const { file, anchor } of links) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            if (anchor !== undefined) {
                expect([...anchors(text)], `${file}#${anchor}`).to.include(anchor);
            }
            expect(text, `${file} links back`).to.contain("[Back to the README](../README.md)");
        }
    });
});
