import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import ts from "typescript";
import { AnyFieldSpec, AnyOptionSpec, CRR_PAIR_TYPE, crrPairArgProblems, DEFAULTS, nearest, OPTION_KEYS, OPTION_SPECS, S3_SERVICE_PRINCIPAL, SIDE_KEYS } from "../../components";
import { editDistance } from "../../components/model/suggest";
import { TYPES } from "../../policies/lib/model";
import { CONFIG_KEYS, pairOptions, readProviderSettings, readSettings, strictConfig, unknownConfigKeys } from "../../program/settings";
import { interfaceFieldNames, interfaceFields } from "../support/interfaces";
import { PluginArg, pluginArgProblems } from "../support/pluginArgs";

const ROOT = path.join(__dirname, "..", "..");

describe("options: one table, everything derived from it", () => {
    it("derives the defaults from the option table", () => {
        expect(DEFAULTS).to.deep.equal({
            encryption: "AES256",
            kmsKeyDeletionWindowInDays: 30,
            deleteMarkerReplication: false,
            replicaModificationSync: true,
            replicationTimeControl: false,
            replicationMetrics: true,
            alarms: true,
            rpoSeconds: 900,
            rtoSeconds: 3600,
            backlogAlarmBytes: 0,
            alarmEmails: [],
            eventBridgeNotifications: false,
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
        });
    });

    it("derives one stack configuration key per option, after the prefix and the two regions", () => {
        // An object option is flat: its own boolean key, then a key per setting.
        const optionKeys = OPTION_KEYS.flatMap((k) => {
            const spec: AnyOptionSpec = OPTION_SPECS[k];
            return spec.kind === "object" ? [k, ...Object.keys(spec.fields).map((f) => `${k}${f[0].toUpperCase()}${f.slice(1)}`)] : [k];
        });
        expect(CONFIG_KEYS.map((k) => k.key)).to.deep.equal(["namingPrefix", "primaryRegion", "secondaryRegion", "regions", "roleArns", ...optionKeys]);
        const byKey = Object.fromEntries(CONFIG_KEYS.map((k) => [k.key, k]));
        expect(byKey.accessLogging).to.deep.include({ type: "boolean", default: true, arg: "accessLogging" });
        expect(byKey.logRetentionDays).to.deep.include({ type: "integer", default: 30 });
        expect(byKey.encryption).to.deep.include({ type: "string", default: "AES256" });
        expect(byKey.versionLifecycle).to.deep.include({ type: "boolean", default: true, arg: "versionLifecycle" });
        expect(byKey.versionLifecycleNoncurrentVersionExpirationDays).to.deep.include({
            type: "integer",
            default: 90,
            arg: "versionLifecycle.noncurrentVersionExpirationDays",
        });
    });

    it("validates every option and setting by its spec: its default passes, a value outside the spec is refused", () => {
        const side = (region: string) => ({ region, provider: undefined! });
        const problems = (options: Record<string, unknown>) =>
            crrPairArgProblems({ namingPrefix: "acme-data", primary: side("us-east-2"), secondary: side("us-west-2"), ...options }, { checkProviders: false }).map(
                (p) => p.path,
            );
        const outside = (spec: AnyOptionSpec | AnyFieldSpec): unknown =>
            spec.kind === "integer" ? spec.max + 1 : spec.kind === "oneOf" ? "not-a-value" : spec.kind === "list" ? ["not an address"] : spec.kind === "boolean" ? "yes" : 7;
        for (const option of OPTION_KEYS) {
            const spec: AnyOptionSpec = OPTION_SPECS[option];
            const needs = spec.requires ? { [spec.requires.option]: spec.requires.value } : {};
            expect(problems({ ...needs, [option]: spec.default }), `${option}: ${JSON.stringify(spec.default)}`).to.deep.equal([]);
            expect(problems({ ...needs, [option]: outside(spec) }), option).to.deep.equal([option]);
            if (spec.kind === "object") {
                for (const [field, f] of Object.entries(spec.fields)) {
                    expect(problems({ [option]: { [field]: f.default } }), `${option}.${field}`).to.deep.equal([]);
                    expect(problems({ [option]: { [field]: outside(f) } }), `${option}.${field}`).to.deep.equal([`${option}.${field}`]);
                }
            }
        }
    });

    it("hands every option the program read to the component, and nothing else", () => {
        const settings = readSettings((k) => ({ namingPrefix: "acme-data", accessLogging: "false", encryption: "aws:kms" })[k as "namingPrefix"], "s3-crr");
        expect(pairOptions(settings)).to.deep.equal({ ...DEFAULTS, accessLogging: false, encryption: "aws:kms" });
    });

    it("keeps the multi-language plugin's hand-written args in step with OPTION_SPECS: names, types, stated defaults", () => {
        // Its schema analyzer reads these TypeScript types, so they cannot be derived; the package test checks the schema too.
        const args = (name: string): PluginArg[] => interfaceFields("packages/crr-pair-plugin/index.ts", name);
        expect(pluginArgProblems(args)).to.deep.equal([]);
        expect(args("CrrPairArgs").find((a) => a.name === "replicaStorageClass")).to.deep.include({
            type: "string",
            description: "Storage class of replicas on both sides (default STANDARD).",
        });
        const perSide = OPTION_KEYS.filter((k) => OPTION_SPECS[k].perSide);
        // `notifications`, `bucketPolicyStatements` and `lifecycleRules` take AWS types that the schema generator
        // cannot express: the plugin takes the latter two as JSON (`...Json`).
        expect(interfaceFieldNames("components/model/types.ts", "CrrSideArgs").sort()).to.deep.equal(
            ["notifications", "provider", "region", "existingBucket", "bucketPolicyStatements", "lifecycleRules", ...perSide].sort(),
        );
    });

    it("documents every public field with TSDoc, and every optional one with its @default", () => {
        const source = ts.createSourceFile("types.ts", fs.readFileSync(path.join(ROOT, "components/model/types.ts"), "utf8"), ts.ScriptTarget.ES2022, true);
        const missing: string[] = [];
        for (const decl of source.statements.filter(ts.isInterfaceDeclaration)) {
            for (const member of decl.members.filter(ts.isPropertySignature)) {
                const docs = ts.getJSDocCommentsAndTags(member).map((d) => d.getText()).join("\n");
                const label = `${decl.name.text}.${(member.name as ts.Identifier).text}`;
                if (docs === "") {
                    missing.push(`${label}: no TSDoc`);
                } else if (member.questionToken && !docs.includes("@default")) {
                    missing.push(`${label}: no @default`);
                }
            }
        }
        expect(missing).to.deep.equal([]);
    });

    it("gives every option's @default in types.ts the default of OPTION_SPECS, field by field for object options", () => {
        const file = "components/model/types.ts";
        const mismatches: string[] = [];
        const compare = (option: string, doc: string | undefined, expected: unknown) => {
            let documented: unknown = doc;
            try {
                documented = JSON.parse(doc ?? "");
            } catch {
                // Not a literal: compared as text, so it differs from every default.
            }
            if (!isDeepStrictEqual(documented, expected)) {
                mismatches.push(`${option}: types.ts has @default ${doc ?? "(none)"}, OPTION_SPECS has ${JSON.stringify(expected)}`);
            }
        };
        const options = interfaceFields(file, "CrrPairOptions");
        expect(options.map((f) => f.name)).to.deep.equal(OPTION_KEYS);
        for (const option of options) {
            const spec: AnyOptionSpec = OPTION_SPECS[option.name as keyof typeof OPTION_SPECS];
            // A pattern option's empty default stands for "not set", which the TSDoc calls `none`.
            compare(option.name, option.tags.default, spec.kind === "pattern" && spec.default === "" ? "none" : spec.default);
            if (spec.kind === "object") {
                // `boolean | <Settings>`: the settings interface is the other member of the union.
                const settings = interfaceFields(file, option.type.split("|").map((t) => t.trim()).find((t) => t !== "boolean")!);
                expect(settings.map((f) => f.name), option.name).to.deep.equal(Object.keys(spec.fields));
                for (const field of settings) {
                    compare(`${option.name}.${field.name}`, field.tags.default, spec.fields[field.name].default);
                }
            }
        }
        expect(mismatches).to.deep.equal([]);
    });

    it("ties the constants that the policy pack and the tools retype to the component's", () => {
        expect(TYPES.crrPair).to.deep.equal([CRR_PAIR_TYPE]);
        expect(S3_SERVICE_PRINCIPAL).to.equal("s3.amazonaws.com");
        const replication = fs.readFileSync(path.join(ROOT, "policies/lib/replication.ts"), "utf8");
        expect(replication).to.contain(`"Service:${S3_SERVICE_PRINCIPAL}"`);
        const targets = fs.readFileSync(path.join(ROOT, "tools/verify/targets.ts"), "utf8");
        expect(targets).to.contain(SIDE_KEYS.map((k) => `"${k}"`).join(" | "));
    });
});

describe("unknown configuration keys", () => {
    it("warns about a misspelt key of this project, naming the nearest declared one", () => {
        const warnings = unknownConfigKeys({ "s3-crr:primaryRgion": "eu-west-1", "s3-crr:namingPrefix": "acme-data" }, "s3-crr");
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.match(/^s3-crr:primaryRgion is not a configuration key of this program and is ignored; did you mean s3-crr:primaryRegion\? \(keys: namingPrefix, primaryRegion, /);
    });

    it("names the project's namespace for a key of this program under another one (s3crr:namingPrefix)", () => {
        expect(unknownConfigKeys({ "s3crr:namingPrefix": "acme-data", "crr:replicationTimeControll": "true" }, "s3-crr")).to.deep.equal([
            "crr:replicationTimeControll is not read by this program: its keys are in the s3-crr namespace (s3-crr:<key>), the provider's " +
                "safety settings under aws:; did you mean s3-crr:replicationTimeControl?",
            "s3crr:namingPrefix is not read by this program: its keys are in the s3-crr namespace (s3-crr:<key>), the provider's " +
                "safety settings under aws:; did you mean s3-crr:namingPrefix?",
        ]);
    });

    it("checks the aws: keys: a misspelt safety setting, and keys its explicit providers never read", () => {
        expect(unknownConfigKeys({ "aws:allowedAccountIDs": '["111122223333"]', "aws:region": "eu-west-1", "aws:profile": "prod" }, "s3-crr")).to.deep.equal([
            "aws:allowedAccountIDs is not read by this program: its AWS providers are explicit, and Pulumi applies aws: configuration to " +
                "default providers only; did you mean aws:allowedAccountIds?",
            "aws:profile is not read by this program: its AWS providers are explicit, and Pulumi applies aws: configuration to default " +
                "providers only; the ones it reads are aws:allowedAccountIds and aws:forbiddenAccountIds",
            "aws:region is not read by this program: its AWS providers are explicit, and Pulumi applies aws: configuration to default " +
                "providers only; the regions come from s3-crr:primaryRegion and s3-crr:secondaryRegion (or s3-crr:regions)",
        ]);
    });

    it("says nothing about declared keys, the aws: keys it reads, or pulumi: settings", () => {
        expect(
            unknownConfigKeys(
                { "s3-crr:forceDestroy": "true", "aws:allowedAccountIds": "[]", "aws:forbiddenAccountIds": "[]", "pulumi:disable-default-providers": "[]" },
                "s3-crr",
            ),
        ).to.deep.equal([]);
    });

    it("is strict where CI is set (to anything but false or 0)", () => {
        expect([strictConfig({}), strictConfig({ CI: "true" }), strictConfig({ CI: "1" }), strictConfig({ CI: "false" }), strictConfig({ CI: "0" }), strictConfig({ CI: "" })]).to.deep.equal([
            false,
            true,
            true,
            false,
            false,
            false,
        ]);
    });
});

describe("the AWS provider's safety settings (aws:allowedAccountIds, aws:forbiddenAccountIds)", () => {
    const errorOf = (values: Record<string, string>) => {
        try {
            readProviderSettings((k) => values[k]);
        } catch (e) {
            expect(e).to.be.instanceOf(pulumi.RunError);
            return (e as Error).message;
        }
        return "no error";
    };

    it("reads a stack file's list (JSON text, as the engine passes it) or a,b from the command line", () => {
        expect(readProviderSettings((k) => ({ allowedAccountIds: '["011122223333","444455556666"]' })[k])).to.deep.equal({
            allowedAccountIds: ["011122223333", "444455556666"],
        });
        expect(readProviderSettings((k) => ({ forbiddenAccountIds: "111122223333, 222233334444" })[k])).to.deep.equal({
            forbiddenAccountIds: ["111122223333", "222233334444"],
        });
        expect(readProviderSettings(() => undefined)).to.deep.equal({});
        expect(readProviderSettings((k) => ({ allowedAccountIds: "[]" })[k])).to.deep.equal({});
    });

    it("refuses account ids that are not 12-digit strings (a YAML number loses leading zeros), and both keys at once", () => {
        expect(errorOf({ allowedAccountIds: "[11122223333]" })).to.contain(
            "aws:allowedAccountIds must be a list of 12-digit account ids written as strings (quoted in YAML: a number loses its leading zeros), got 11122223333",
        );
        expect(errorOf({ allowedAccountIds: '["1234"]' })).to.contain('got "1234"');
        expect(errorOf({ allowedAccountIds: '["111122223333"]', forbiddenAccountIds: '["222233334444"]' })).to.contain(
            "aws:allowedAccountIds and aws:forbiddenAccountIds cannot both be set",
        );
    });
});

describe("nearest", () => {
    it("measures edits", () => {
        expect([editDistance("kitten", "sitting"), editDistance("", "abc"), editDistance("same", "same")]).to.deep.equal([3, 3, 0]);
    });

    it("ranks by distance, then by a shared start", () => {
        expect(nearest("us-west-9", ["ca-west-1", "us-east-1", "us-west-2", "us-west-1"])).to.deep.equal(["us-west-2", "us-west-1", "us-east-1"]);
    });
});
