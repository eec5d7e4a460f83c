import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../tools/plan";
import { sharedPack } from "../support/pack";
import { CliRun, planCli } from "../support/planCli";

const ROOT = path.join(__dirname, "..", "..");

describe("npm run plan, end to end", () => {
    describe("the command (the dev stack as a process, the failing cases in this process)", function () {
        this.timeout(60000);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const json = path.join(tmp, "dev.json");
        const graph = path.join(tmp, "dev.mmd");
        let dev: CliRun;
        let unversioned: CliRun;
        let badPrefix: CliRun;
        let secret: CliRun;
        let kmsExample: CliRun;
        let mesh: CliRun;
        let twins: CliRun;
        let staging: CliRun;
        let prod: CliRun;
        let bootstrap: CliRun;
        let strictUnknown: CliRun;
        let ciUnknown: CliRun;
        let secretStack: CliRun;
        let secretStandIns: CliRun;
        let otherProject: CliRun;
        let sevenDays: CliRun;
        const twinsJson = path.join(tmp, "twins.json");
        let astray: CliRun;
        const astrayJson = path.join(tmp, "astray.json");

        /** The CLI's own entry (`plan()`, whose result cli.ts exits with), in this process: for cases that end early. */
        const planInProcess = async (args: {
            stack?: string;
            program?: string;
            config?: string[];
            policies?: boolean;
            policyPackConfig?: string;
            strict?: boolean;
            /** The `CI` variable during this plan (unset when `undefined`); the program reads it (program/settings.ts strictConfig). */
            ci?: string;
        }): Promise<CliRun> => {
            const lines: string[] = [];
            const savedCi = process.env.CI;
            if (args.ci === undefined) delete process.env.CI;
            else process.env.CI = args.ci;
            const code = await plan({
                stack: args.stack ?? "dev",
                program: args.program ?? path.join(ROOT, "index.ts"),
                config: args.config ?? [],
                policies: args.policies ?? true,
                startedPack: sharedPack(),
                ...(args.policyPackConfig ? { policyPackConfig: args.policyPackConfig } : {}),
                strict: args.strict ?? false,
                log: (line) => lines.push(line),
            }).finally(() => (savedCi === undefined ? delete process.env.CI : (process.env.CI = savedCi)));
            return { code, out: lines.join("\n") };
        };

        before(async () => {
            // The dev stack as a real process (the command line, its output and exit code); the other cases
            // meanwhile through plan() in this process, one after the other (the runtime's mocks are global),
            // sharing the suite's policy pack process (tests/support/pack.ts).
            const devRun = planCli(["--stack", "dev", "--json", json, "--graph", graph]);
            // A program that fails inside an Output leaves the runtime waiting: it gets a process of its own.
            const twinsRun = planCli(["--program", path.join(ROOT, "tests/fixtures/providers-one-region.ts"), "--no-policies", "--json", twinsJson]);
            const astrayRun = planCli(["--program", path.join(ROOT, "tests/fixtures/provider-in-another-region.ts"), "--no-policies", "--json", astrayJson]);
            // The other stacks of the repository, as CI's offline gate plans them (each with its own policy
            // config: policies/config/<stack>.json), through the same entry.
            staging = await planInProcess({ stack: "staging" });
            prod = await planInProcess({ stack: "prod" });
            unversioned = await planInProcess({ program: path.join(ROOT, "tests/fixtures/unversioned-bucket.ts") });
            badPrefix = await planInProcess({ config: ["namingPrefix=Not_A_Prefix"] });
            secret = await planInProcess({ program: path.join(ROOT, "tests/fixtures/secret-project/index.ts"), policies: false });
            kmsExample = await planInProcess({
                config: ["encryption=aws:kms"],
                policyPackConfig: path.join(ROOT, "policies/policy-config.example.json"),
            });
            mesh = await planInProcess({
                config: [
                    "regions=us-east-2,us-west-2,eu-west-1",
                    "roleArns=eu-west-1=arn:aws:iam::444455556666:role/crr-deployer",
                    "encryption=aws:kms",
                ],
            });
            bootstrap = await planInProcess({ program: path.join(ROOT, "bootstrap/index.ts") });
            strictUnknown = await planInProcess({ config: ["replicationTimeControll=true"], strict: true });
            ciUnknown = await planInProcess({ config: ["replicationTimeControll=true"], ci: "true" });
            secretStack = await planInProcess({ stack: path.join(ROOT, "tests/fixtures/stacks/Pulumi.secrets.yaml"), policies: false });
            secretStandIns = await planInProcess({
                stack: path.join(ROOT, "tests/fixtures/stacks/Pulumi.secrets.yaml"),
                config: ["namingPrefix=crr-secret-example", 'alarmEmails=["oncall@example.com"]'],
            });
            otherProject = await planInProcess({ program: path.join(ROOT, "tests/fixtures/other-project/index.ts") });
            const badConfig = path.join(tmp, "seven.json");
            fs.writeFileSync(badConfig, JSON.stringify({ "cloudwatch-log-group-retention": { enforcementLevel: "mandatory", minimumDays: "seven" } }));
            sevenDays = await planInProcess({ policyPackConfig: badConfig });
            dev = await devRun;
            twins = await twinsRun;
            astray = await astrayRun;
        });

        for (const [stack, run] of [
            ["staging", () => staging],
            ["prod", () => prod],
        ] as const) {
            it(`plans the ${stack} stack clean under policies/config/${stack}.json: SSE-KMS, alerting, backups (their copy grants and failed-job alerts) and the access point: 37 and 35 resources in the regions (the access point's routes in us-west-2), 16 global`, () => {
                const { code, out } = run();
                expect(code, out).to.equal(0);
                expect(out).to.contain(
                    "Plan: 88 resources to create (37 in us-east-2, 35 in us-west-2, 16 in global), 2 providers, 1 component; " +
                        "0 mandatory, 0 advisory policy violations.",
                );
                expect(out).to.contain(`+ aws:kms/key:Key  crr-primary-kms-key`);
                expect(out).to.contain(`+ aws:cloudwatch/eventRule:EventRule  crr-secondary-backup-job-failures`);
                expect(out).to.contain(`+ aws:iam/rolePolicy:RolePolicy  crr-primary-backup-role-copy`);
            });
        }

        it("plans the bootstrap program clean under the policy pack: the OIDC provider, four roles, a boundary and guardrails per environment, a hardened state bucket", () => {
            expect(bootstrap.code, bootstrap.out).to.equal(0);
            expect(bootstrap.out).to.contain("Plan of stack 'dev' (project s3-crr-bootstrap, program bootstrap/index.ts)");
            expect(bootstrap.out).to.contain(
                "Plan: 24 resources to create (6 in us-east-1, 18 in global), 0 providers, 0 components; 0 mandatory, 0 advisory policy violations.",
            );
            expect(bootstrap.out).to.contain("+ aws:iam/policy:Policy  boundary-prod");
            expect(bootstrap.out).to.contain("+ aws:iam/openIdConnectProvider:OpenIdConnectProvider  github");
        });

        it("plans the dev stack: exit 0, 27 and 26 resources in the regions (the dashboard in the primary's) and 8 global ones, only the advisory that backups are off", () => {
            expect(dev.code, dev.out).to.equal(0);
            // The dev stack leaves the option backup off (its default): the pack says so, once per destination.
            expect(dev.out.match(/\[advisory\] s3-replication-point-in-time-backup/g)).to.have.length(2);
            expect(dev.out).to.contain(
                "Plan: 61 resources to create (27 in us-east-2, 26 in us-west-2, 8 in global), 2 providers, 1 component; " +
                    "0 mandatory, 2 advisory policy violations.",
            );
            expect(dev.out).to.contain("  + s3crr:index:CrrPair  crr\n      global (8)");
        });

        it("plans an SSE-KMS stack under the README's example policy config with no mandatory violation", () => {
            expect(kmsExample.code, kmsExample.out).to.equal(0);
            expect(kmsExample.out).to.contain("0 mandatory, 4 advisory policy violations.");
            // Two advisories are the dev stack's 7-day log retention under the example's 90-day minimum, two that
            // backups are off.
            expect(kmsExample.out.match(/\[advisory\] cloudwatch-log-group-retention/g)).to.have.length(2);
            expect(kmsExample.out.match(/\[advisory\] s3-replication-point-in-time-backup/g)).to.have.length(2);
            expect(kmsExample.out).to.contain("Plan: 65 resources to create (29 in us-east-2, 28 in us-west-2, 8 in global)");
        });

        it("plans a three-region mesh with an account of its own for eu-west-1 under the policy pack, nothing mandatory", () => {
            expect(mesh.code, mesh.out).to.equal(0);
            expect(mesh.out).to.contain(
                "Plan: 103 resources to create (30 in eu-west-1, 31 in us-east-2, 30 in us-west-2, 12 in global), 3 providers, 1 component; " +
                    "0 mandatory, 3 advisory policy violations.",
            );
            expect(mesh.out).to.contain("  + s3crr:index:CrrMesh  crr\n");
        });

        /** The run stopped with `message`, and had registered only the providers and the component (`registered`). */
        const stoppedBeforeAnySide = (run: CliRun, json: string, message: string, registered: string[]) => {
            expect(run.code, run.out).to.equal(2);
            expect(run.out).to.contain(message);
            const report = JSON.parse(fs.readFileSync(json, "utf8"));
            expect(report.resources.map((r: { type: string; name: string }) => `${r.type} ${r.name}`).sort()).to.deep.equal(registered);
        };

        it("stops a pair of bare providers in one region once their regions are known, registering nothing of either side", () => {
            stoppedBeforeAnySide(
                twins,
                twinsJson,
                "error: Invalid CrrPair arguments:\n  - primary.region: must differ from secondary.region ('us-east-2'): " +
                    "cross-region replication needs distinct regions (read from the providers)",
                ["pulumi:providers:aws first", "pulumi:providers:aws second", "s3crr:index:CrrPair twins"],
            );
        });

        it("stops a side whose provider is configured for another region than the side's, registering nothing of either side", () => {
            stoppedBeforeAnySide(
                astray,
                astrayJson,
                "error: Invalid CrrPair arguments:\n  - secondary.region: is 'eu-west-1', but its provider is configured for 'us-east-2' " +
                    "(read from the provider): give the side a provider of its own region, or leave region out to take the provider's",
                ["pulumi:providers:aws east", "pulumi:providers:aws west", "s3crr:index:CrrPair astray"],
            );
        });

        it("writes the replication configurations' dependency edges to --json", () => {
            const report = JSON.parse(fs.readFileSync(json, "utf8"));
            const byUrn = new Map<string, any>(report.resources.map((r: any) => [r.urn, r]));
            const config = report.resources.find((r: any) => r.name === "crr-primary-replication");
            expect(config.region).to.equal("us-east-2");
            expect(config.dependencies.map((u: string) => byUrn.get(u).name)).to.include.members([
                "crr-primary-bucket-versioning",
                "crr-secondary-bucket-versioning",
                "crr-primary-replication-role-policy",
            ]);
            expect(report.violations.map((v: { policy: string; enforcementLevel: string }) => `${v.enforcementLevel} ${v.policy}`)).to.deep.equal([
                "advisory s3-replication-point-in-time-backup",
                "advisory s3-replication-point-in-time-backup",
            ]);
            expect(report.policyPack).to.deep.equal({ name: "s3-crr-policies", version: "0.1.0", policies: 21, config: "policies/config/dev.json" });
            expect(dev.out).to.contain("Policies: s3-crr-policies@0.1.0, 21 policies\n  policy config: policies/config/dev.json\n");
        });

        it("writes a Mermaid graph with both regions to --graph", () => {
            const text = fs.readFileSync(graph, "utf8");
            expect(text.startsWith("flowchart LR\n")).to.equal(true);
            expect(text).to.contain('subgraph g1["us-east-2"]');
            expect(text).to.contain('subgraph g2["us-west-2"]');
            expect(text.match(/-->/g)!.length).to.be.greaterThan(40);
        });

        it("exits 1 on a program whose bucket lacks versioning, naming the versioning policy and the bucket", () => {
            expect(unversioned.code, unversioned.out).to.equal(1);
            expect(unversioned.out).to.contain(
                "  [mandatory] s3-bucket-versioning-enabled\n      resource: aws:s3/bucket:Bucket  reports\n" +
                    "      Bucket 'reports' has no versioning: nothing sets its status to Enabled.",
            );
        });

        it("exits 2 on a bad namingPrefix, naming the key and the rule, without a stack trace", () => {
            expect(badPrefix.code, badPrefix.out).to.equal(2);
            expect(badPrefix.out).to.contain("error: Invalid stack configuration:\n  - s3-crr:namingPrefix must be 5 to 40 characters");
            expect(badPrefix.out).not.to.match(/\n\s+at /);
        });

        it("says on prod's plan that its protected access point would be replaced, with a new alias, if its buckets changed", () => {
            expect(prod.out).to.contain(
                "info: access point 'crr-prod-example' is protected (protectData): a change of its buckets (a region, an account or the " +
                    "naming prefix) replaces it, and its successor has a new alias and ARN every client must be given",
            );
            expect(staging.out).not.to.contain("is protected (protectData)");
        });

        it("says which policy config it applied: the stack's beside the pack", () => {
            expect(prod.out).to.contain("  policy config: policies/config/prod.json\n");
            expect(staging.out).to.contain("  policy config: policies/config/staging.json\n");
        });

        it("--strict: exits 2 on a key the program does not read, naming the key meant", () => {
            expect(strictUnknown.code, strictUnknown.out).to.equal(2);
            expect(strictUnknown.out).to.contain("warning: s3-crr:replicationTimeControll is not a configuration key of this program and is ignored; did you mean s3-crr:replicationTimeControl?");
            expect(strictUnknown.out).to.contain("error: --strict: the program logged 1 warning (above); a strict plan takes none");
        });

        it("where CI is set: exits 2 on the same key before any resource is registered, naming it and the key meant", () => {
            expect(ciUnknown.code, ciUnknown.out).to.equal(2);
            expect(ciUnknown.out).to.contain(
                "Unknown configuration keys (an error where CI is set):\n  - s3-crr:replicationTimeControll is not a configuration key of this program and is ignored; did you mean s3-crr:replicationTimeControl?",
            );
            expect(ciUnknown.out).not.to.match(/to create/);
        });

        it("exits 2 on secret keys it cannot decrypt, the prefix and the emails, each with its stand-in; plans with the stand-ins", () => {
            expect(secretStack.code, secretStack.out).to.equal(2);
            for (const key of ["namingPrefix", "alarmEmails"]) {
                expect(secretStack.out).to.contain(`s3-crr:${key} is a secret (secure: in the stack file) whose value this run did not get`);
                expect(secretStack.out).to.contain(`'s3-crr:${key}' is a secret in Pulumi.secrets.yaml, which an offline plan cannot decrypt: pass a stand-in with --config ${key}=<value>`);
            }
            expect(secretStack.out).not.to.contain("is required");
            expect(secretStandIns.code, secretStandIns.out).to.equal(0);
            expect(secretStandIns.out).to.contain("+ aws:sns/topicSubscription:TopicSubscription  crr-primary-alerts-email-oncall@example.com");
        });

        it("does not apply this repository's policy config to another project's stack of the same name, and says so", () => {
            expect(otherProject.code, otherProject.out).to.equal(0);
            expect(otherProject.out).to.contain(
                "note: policies/config/dev.json is not applied: it belongs to the project beside the pack (Pulumi.yaml), not to the program's " +
                    "(tests/fixtures/other-project/Pulumi.yaml); pass --policy-pack-config to apply a policy config",
            );
            expect(otherProject.out).to.contain("  policy config: none (each policy at its own level and defaults)\n");
            // dev.json's 7-day minimum would pass the group; the pack's own 30-day default reports it.
            expect(otherProject.out).to.contain("  [advisory] cloudwatch-log-group-retention\n      resource: aws:cloudwatch/logGroup:LogGroup  app\n");
        });

        it("exits 2 on a policy setting the policy's schema refuses, naming the file, the policy and the setting", () => {
            expect(sevenDays.code, sevenDays.out).to.equal(2);
            expect(sevenDays.out).to.contain(
                `error: --policy-pack-config ${path.join(tmp, "seven.json")}: policy pack config is not what the policies accept:\n` +
                    '  - cloudwatch-log-group-retention.minimumDays must be an integer, got "seven"',
            );
            expect(sevenDays.out).not.to.contain("Plan: ");
        });

        it("exits 2 on a secret it cannot decrypt, saying how to pass a stand-in", () => {
            expect(secret.code, secret.out).to.equal(2);
            expect(secret.out).to.contain("'vault:apiToken' is a secret in Pulumi.dev.yaml, which an offline plan cannot decrypt");
            expect(secret.out).to.contain("--config apiToken=<value>");
        });
    });
});
