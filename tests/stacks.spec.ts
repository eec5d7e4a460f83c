import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { MRAP_ROUTE_REGIONS } from "../components/model/values";
import { POLICIES } from "../policies/lib";
import { readSettings, unknownConfigKeys } from "../program/settings";
import { loadStackConfig } from "../tools/plan/config";
import { stackPlans } from "./support/stackPlans";

const ROOT = path.join(__dirname, "..");
const STACKS = ["dev", "staging", "prod"] as const;

/** The stack's settings as the program reads them (Pulumi.yaml's defaults under the stack file's values). */
function settingsOf(stack: string) {
    const { values, project } = loadStackConfig(path.join(ROOT, "index.ts"), stack);
    return { values, settings: readSettings((key) => values[`${project}:${key}`], project), project };
}

function policyConfig(stack: string): Record<string, { enforcementLevel: string; requireKms?: boolean; minimumDays?: number }> {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${stack}.json`), "utf8"));
}

describe("stack files and their policy configs", () => {
    it("has a stack file for each environment and a policy config beside the pack for each stack file", () => {
        const stackFiles = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[\w-]+\.yaml$/.test(f)).sort();
        expect(stackFiles).to.deep.equal(["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yaml"]);
        const configs = fs.readdirSync(path.join(ROOT, "policies", "config")).sort();
        expect(configs).to.deep.equal(["dev.json", "prod.json", "staging.json"]);
    });

    for (const stack of STACKS) {
        it(`reads the ${stack} stack without an unknown key or a validation error, and hard-codes no account`, () => {
            const { values, project } = settingsOf(stack);
            expect(unknownConfigKeys(values, project)).to.deep.equal([]);
            // Accounts are set by the user (commented out in the file), never committed.
            expect(values).not.to.have.property("aws:allowedAccountIds");
            const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
            expect(text).to.match(/^ {2}# aws:allowedAccountIds:$/m);
        });
    }

    it("prod: SSE-KMS, RTC, a year of log retention, access logs, protected data and no forceDestroy", () => {
        const { settings } = settingsOf("prod");
        expect(settings).to.deep.include({
            encryption: "aws:kms",
            kmsKeyDeletionWindowInDays: 30,
            replicationTimeControl: true,
            deleteMarkerReplication: false,
            accessLogging: true,
            logRetentionDays: 365,
            logFileExpirationDays: 731,
            logNoncurrentVersionExpirationDays: 30,
            forceDestroy: false,
            protectData: true,
        });
    });

    it("staging: prod's encryption, RTC and access logs, but disposable (forceDestroy, nothing protected)", () => {
        const { settings } = settingsOf("staging");
        expect(settings).to.deep.include({
            encryption: "aws:kms",
            kmsKeyDeletionWindowInDays: 7,
            replicationTimeControl: true,
            accessLogging: true,
            logRetentionDays: 30,
            forceDestroy: true,
            protectData: false,
        });
    });

    it("dev: cheap and disposable (SSE-S3, no RTC, a week of logs, forceDestroy, nothing protected)", () => {
        const { settings } = settingsOf("dev");
        expect(settings).to.deep.include({
            encryption: "AES256",
            replicationTimeControl: false,
            logRetentionDays: 7,
            forceDestroy: true,
            protectData: false,
        });
    });

    for (const stack of ["staging", "prod"] as const) {
        it(`${stack}'s policy config makes every policy mandatory but the preview-time 'unproven' advisory, and requires KMS`, () => {
            const config = policyConfig(stack);
            expect(Object.keys(config).sort()).to.deep.equal(POLICIES.map((p) => p.name).sort());
            const advisory = Object.entries(config)
                .filter(([, c]) => c.enforcementLevel !== "mandatory")
                .map(([name, c]) => `${name}=${c.enforcementLevel}`);
            // It reports what a preview cannot know yet (values of resources not created), so as mandatory it
            // would fail every first preview.
            expect(advisory).to.deep.equal(["s3-replication-will-work-unproven=advisory"]);
            expect(config["s3-bucket-encryption-enabled"].requireKms).to.equal(true);
        });
    }

    it("asks prod for a year of log retention at least, which the prod stack keeps; staging and dev for what they keep", () => {
        expect(policyConfig("prod")["cloudwatch-log-group-retention"].minimumDays).to.equal(365);
        expect(policyConfig("staging")["cloudwatch-log-group-retention"].minimumDays).to.equal(30);
        expect(policyConfig("dev")["cloudwatch-log-group-retention"].minimumDays).to.equal(7);
        for (const stack of STACKS) {
            expect(settingsOf(stack).settings.logRetentionDays, stack).to.be.at.least(policyConfig(stack)["cloudwatch-log-group-retention"].minimumDays!);
        }
    });

    it("declares every stack file's keys in YAML the Pulumi CLI reads (a config: map, nothing else)", () => {
        for (const stack of STACKS) {
            const doc = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as Record<string, unknown>;
            expect(Object.keys(doc), stack).to.deep.equal(["config"]);
        }
    });

    it("registers the access point's routes in a Region that serves the route APIs, never the first side's, in every stack file and example", async () => {
        const routes = (await stackPlans()).map((p) => {
            const r = p.registrations.filter((x) => x.type === "aws:s3control/multiRegionAccessPointRoutes:MultiRegionAccessPointRoutes");
            const provider = p.registrations.find((x) => r[0] && x.urn === r[0].provider.split("::").slice(0, -1).join("::"));
            return `${p.file}: ${r.length === 0 ? "no access point" : `${r[0].inputs.region} (provider in ${provider?.inputs.region})`}`;
        });
        // AWS refuses the route APIs in us-east-2, the first side's region everywhere here (S3 Control API reference).
        expect(routes).to.deep.equal([
            "Pulumi.dev.yaml: no access point",
            "Pulumi.prod.yaml: us-west-2 (provider in us-east-2)",
            "Pulumi.staging.yaml: us-west-2 (provider in us-east-2)",
            "examples/Pulumi.active-active.yaml: us-west-2 (provider in us-east-2)",
            "examples/Pulumi.backup-restore.yaml: no access point",
            "examples/Pulumi.pilot-light.yaml: no access point",
            "examples/Pulumi.warm-standby.yaml: us-west-2 (provider in us-east-2)",
        ]);
        expect(MRAP_ROUTE_REGIONS).to.include("us-west-2");
    });
});
