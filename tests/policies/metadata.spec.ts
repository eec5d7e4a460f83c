import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { Policy } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "../../policies/lib";

const PACK = path.join(__dirname, "..", "..", "policies");

/** Control ids each policy must carry (REFERENCE.md §5). */
const CONTROLS: Record<string, string[]> = {
    "s3-bucket-versioning-enabled": ["checkov:CKV_AWS_21", "securityhub:S3.14", "aws-config:s3-bucket-versioning-enabled"],
    "s3-bucket-encryption-enabled": ["checkov:CKV_AWS_19", "checkov:CKV_AWS_145", "securityhub:S3.4", "aws-config:s3-bucket-server-side-encryption-enabled"],
    "s3-replication-prerequisites": ["checkov:CKV_AWS_144", "securityhub:S3.7", "aws-config:s3-bucket-replication-enabled"],
    "s3-replication-will-work": ["checkov:CKV_AWS_144", "securityhub:S3.7", "aws-config:s3-bucket-replication-enabled"],
    "s3-replication-will-work-unproven": ["checkov:CKV_AWS_144", "securityhub:S3.7", "aws-config:s3-bucket-replication-enabled"],
    "s3-bidirectional-pairs": ["checkov:CKV_AWS_144", "securityhub:S3.7"],
    "s3-bucket-public-access-block": [
        "checkov:CKV2_AWS_6",
        "checkov:CKV_AWS_53",
        "checkov:CKV_AWS_54",
        "checkov:CKV_AWS_55",
        "checkov:CKV_AWS_56",
        "securityhub:S3.8",
        "aws-config:s3-bucket-level-public-access-prohibited",
    ],
    "s3-bucket-tls-only": ["securityhub:S3.5", "aws-config:s3-bucket-ssl-requests-only"],
    "s3-bucket-acls-disabled": ["checkov:CKV2_AWS_65", "securityhub:S3.12", "aws-config:s3-bucket-acl-prohibited"],
    "cloudtrail-replicated-bucket-auditing": [
        "checkov:CKV_AWS_36",
        "checkov:CKV2_AWS_10",
        "securityhub:CloudTrail.4",
        "securityhub:CloudTrail.5",
        "aws-config:cloud-trail-log-file-validation-enabled",
        "aws-config:cloudtrail-s3-dataevents-enabled",
    ],
    "s3-replicated-bucket-access-logging": ["checkov:CKV_AWS_18", "securityhub:S3.9", "aws-config:s3-bucket-logging-enabled"],
    "cloudwatch-log-group-retention": ["checkov:CKV_AWS_66", "checkov:CKV_AWS_338", "securityhub:CloudWatch.16", "aws-config:cw-loggroup-retention-period-check"],
    "replication-role-least-privilege": ["checkov:CKV_AWS_60", "checkov:CKV_AWS_61", "checkov:CKV_AWS_62", "checkov:CKV_AWS_63", "checkov:CKV_AWS_355"],
    // No scanner checks a Batch Replication role: nothing to map to.
    "batch-replication-role-least-privilege": [],
    "s3-cross-account-replication": ["checkov:CKV_AWS_70", "securityhub:S3.6"],
    // No scanner checks replication metrics or a replication alarm: nothing to map to.
    "s3-replication-metrics-enabled": [],
    "s3-replication-failure-alarm": [],
    "s3-replication-alarm-region": [],
    "kms-key-rotation-enabled": ["checkov:CKV_AWS_7", "securityhub:KMS.4", "aws-config:cmk-backing-key-rotation-enabled"],
    "s3-replicated-bucket-noncurrent-version-expiration": ["securityhub:S3.13", "aws-config:s3-lifecycle-policy-check", "aws-config:s3-version-lifecycle-policy-check"],
    "s3-replication-point-in-time-backup": ["aws-config:s3-resources-protected-by-backup-plan"],
};

const LEVELS: Record<string, string> = {
    "s3-bucket-versioning-enabled": "mandatory",
    "s3-bucket-encryption-enabled": "mandatory",
    "s3-replication-prerequisites": "mandatory",
    "s3-replication-will-work": "mandatory",
    "s3-replication-will-work-unproven": "advisory",
    "s3-bidirectional-pairs": "mandatory",
    "s3-bucket-public-access-block": "mandatory",
    "s3-bucket-tls-only": "advisory",
    "s3-bucket-acls-disabled": "advisory",
    "cloudtrail-replicated-bucket-auditing": "advisory",
    "s3-replicated-bucket-access-logging": "advisory",
    "cloudwatch-log-group-retention": "advisory",
    "replication-role-least-privilege": "mandatory",
    "batch-replication-role-least-privilege": "mandatory",
    "s3-cross-account-replication": "mandatory",
    "s3-replication-metrics-enabled": "advisory",
    "s3-replication-failure-alarm": "advisory",
    "s3-replication-alarm-region": "mandatory",
    "kms-key-rotation-enabled": "advisory",
    "s3-replicated-bucket-noncurrent-version-expiration": "advisory",
    "s3-replication-point-in-time-backup": "advisory",
};

describe("policy pack metadata and shape", () => {
    it("holds the seventeen policies of the issues, with their default enforcement levels", () => {
        expect(Object.fromEntries(POLICIES.map((p) => [p.name, p.enforcementLevel]))).to.deep.equal(LEVELS);
    });

    it("holds every policy its modules export, each once (POLICIES is the one list)", () => {
        const lib = path.join(PACK, "lib");
        const isPolicy = (v: unknown): v is Policy =>
            typeof v === "object" && v !== null && "enforcementLevel" in v && ("validateResource" in v || "validateStack" in v);
        const exported = fs
            .readdirSync(lib)
            .filter((f) => f.endsWith(".ts") && f !== "index.ts")
            .flatMap((f) => Object.values(require(path.join(lib, f)) as Record<string, unknown>).filter(isPolicy));
        expect(exported).to.have.length(POLICIES.length);
        expect(new Set(POLICIES).size).to.equal(POLICIES.length);
        expect(exported.filter((p) => !POLICIES.includes(p)).map((p) => p.name)).to.deep.equal([]);
    });

    for (const policy of POLICIES) {
        it(`${policy.name}: kebab-case name, sentences, remediation steps, control ids`, () => {
            expect(policy.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(policy.description).to.match(/^[A-Z].{40,}\.$/s);
            expect(policy.remediationSteps ?? "", "remediationSteps").to.have.length.greaterThan(30);
            expect([...(policy.tags ?? [])].sort()).to.deep.equal([...CONTROLS[policy.name]].sort());
        });
    }

    it("gives thresholds a config schema with defaults", () => {
        const schema = (name: string) => POLICIES.find((p) => p.name === name)!.configSchema?.properties;
        expect(schema("cloudwatch-log-group-retention")).to.deep.include({
            minimumDays: { type: "integer", default: 30, minimum: 1, description: "Least retention accepted, in days." },
        });
        expect((schema("s3-bucket-encryption-enabled") as any).requireKms).to.include({ type: "boolean", default: false });
    });

    it("is a complete pack: PulumiPolicy.yaml, a versioned package.json, an entry that only constructs the pack", () => {
        const manifest = yaml.load(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
        expect(manifest.runtime).to.equal("nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
        expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
        expect(pkg.main).to.equal("index.js");
        expect(Object.keys(pkg.dependencies)).to.include.members(["@pulumi/policy", "@pulumi/pulumi", "sucrase", "ts-node"]);
        const entry = fs.readFileSync(path.join(PACK, "index.ts"), "utf8");
        expect(entry.match(/new PolicyPack\(/g)).to.have.length(1);
        expect(entry).to.contain("PACK_NAME");
        expect(PACK_NAME).to.equal("s3-crr-policies");
    });

    it("ships an example --policy-pack-config naming only policies of the pack", () => {
        const example = JSON.parse(fs.readFileSync(path.join(PACK, "policy-config.example.json"), "utf8"));
        expect(Object.keys(example).filter((k) => !(k in LEVELS))).to.deep.equal([]);
    });
});
