import { expect } from "chai";
import { crrPairArgProblems } from "../../components";
import { versionLifecycleRule } from "../../components/documents/lifecycle";
import { readSettings } from "../../program/settings";
import { buildPair, PRIMARY_REGION, SECONDARY_REGION } from "../support/fixtures";
import { dependencyNames, find, ofType } from "../support/mocks";

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const BUCKET = "aws:s3/bucket:Bucket";

const args = (extra: Record<string, unknown>) => ({
    namingPrefix: "acme-data",
    primary: { provider: undefined!, region: "us-east-2" },
    secondary: { provider: undefined!, region: "us-west-2" },
    ...extra,
});
const problems = (extra: Record<string, unknown>) =>
    crrPairArgProblems(args(extra) as never, { checkProviders: false }).map((p) => `${p.path}: ${p.message}`);

describe("versions lifecycle of the replicated buckets (option versionLifecycle)", () => {
    describe("on by default", () => {
        before(() => buildPair("lc"));

        for (const [side, region] of [
            ["primary", PRIMARY_REGION],
            ["secondary", SECONDARY_REGION],
        ]) {
            it(`puts one rule on the ${side} bucket: noncurrent versions after 90 days, expired delete markers, multipart uploads after 7`, () => {
                const lifecycle = find(LIFECYCLE, `lc-${side}-bucket-lifecycle`);
                expect(lifecycle.inputs.region).to.equal(region);
                expect(lifecycle.inputs.bucket).to.equal(find(BUCKET, `lc-${side}-bucket`).inputs.bucket);
                expect(lifecycle.inputs.rules).to.deep.equal([
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: 90 },
                        expiration: { expiredObjectDeleteMarker: true },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ]);
            });

            it(`orders the ${side} bucket's lifecycle after that bucket's replication configuration`, () => {
                const deps = dependencyNames(find(LIFECYCLE, `lc-${side}-bucket-lifecycle`));
                expect(deps).to.include(`${REPLICATION}::lc-${side}-replication`);
                const other = side === "primary" ? "secondary" : "primary";
                expect(deps).to.not.include(`${REPLICATION}::lc-${other}-replication`);
            });
        }
    });

    it("takes its settings from an object", async () => {
        await buildPair("lc2", { versionLifecycle: { noncurrentVersionExpirationDays: 400 } });
        expect(find(LIFECYCLE, "lc2-primary-bucket-lifecycle").inputs.rules[0]).to.deep.include({
            noncurrentVersionExpiration: { noncurrentDays: 400 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        });
    });

    it("registers no lifecycle on the replicated buckets when false (the logging buckets keep theirs)", async () => {
        await buildPair("lc3", { versionLifecycle: false });
        expect(ofType(LIFECYCLE).map((r) => r.name).sort()).to.deep.equal(["lc3-primary-logging-bucket-lifecycle", "lc3-secondary-logging-bucket-lifecycle"]);
    });

    it("builds the rule from resolved settings (pure)", () => {
        expect(versionLifecycleRule({ noncurrentVersionExpirationDays: 1, abortIncompleteMultipartUploadDays: 2 })).to.deep.include({
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 2 },
        });
    });

    describe("validation", () => {
        it("accepts true, false, an empty object and settings in range", () => {
            for (const value of [true, false, {}, { noncurrentVersionExpirationDays: 1, abortIncompleteMultipartUploadDays: 36500 }]) {
                expect(problems({ versionLifecycle: value }), JSON.stringify(value)).to.deep.equal([]);
            }
        });

        it("names each bad setting by its path, and an unknown one", () => {
            expect(problems({ versionLifecycle: { noncurrentVersionExpirationDays: 0, abortIncompleteMultipartUploadDays: 2.5, days: 3 } })).to.deep.equal([
                "versionLifecycle.days: is not a setting of versionLifecycle (settings: noncurrentVersionExpirationDays, abortIncompleteMultipartUploadDays)",
                "versionLifecycle.noncurrentVersionExpirationDays: must be a whole number from 1 to 36500, got 0",
                "versionLifecycle.abortIncompleteMultipartUploadDays: must be a whole number from 1 to 36500, got 2.5",
            ]);
        });

        it("refuses a value that is neither a boolean nor an object", () => {
            expect(problems({ versionLifecycle: 90 })).to.deep.equal([
                "versionLifecycle: must be true, false or an object of settings (noncurrentVersionExpirationDays, abortIncompleteMultipartUploadDays), got 90",
            ]);
        });
    });

    describe("stack configuration (flat keys)", () => {
        const get = (config: Record<string, string>) => (k: string) => config[k];

        it("turns the boolean key and the setting keys into the option's object", () => {
            const settings = readSettings(get({ namingPrefix: "acme-data", versionLifecycleNoncurrentVersionExpirationDays: "120" }), "s3-crr");
            expect(settings.versionLifecycle).to.deep.equal({ noncurrentVersionExpirationDays: 120, abortIncompleteMultipartUploadDays: 7 });
            expect(settings).to.not.have.property("versionLifecycleNoncurrentVersionExpirationDays");
        });

        it("turns the option off with its boolean key", () => {
            expect(readSettings(get({ namingPrefix: "acme-data", versionLifecycle: "false" }), "s3-crr").versionLifecycle).to.equal(false);
        });

        it("names the setting's key in an error", () => {
            expect(() => readSettings(get({ namingPrefix: "acme-data", versionLifecycleAbortIncompleteMultipartUploadDays: "0" }), "s3-crr")).to.throw(
                "s3-crr:versionLifecycleAbortIncompleteMultipartUploadDays must be a whole number from 1 to 36500, got 0",
            );
        });
    });
});
