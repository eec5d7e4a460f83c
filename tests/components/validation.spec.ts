import { expect } from "chai";
import * as aws from "../../components/model/aws";
import { CrrPair, CrrPairArgs, CrrPairArgsError, crrPairArgProblems } from "../../components";
import { registered, resetRecords, settle } from "../support/mocks";

const east = new aws.Provider("validation-east", { region: "us-east-2" });
const west = new aws.Provider("validation-west", { region: "us-west-2" });
const valid: CrrPairArgs = {
    namingPrefix: "acme-data",
    primary: { provider: east, region: "us-east-2" },
    secondary: { provider: west, region: "us-west-2" },
};
/** Problems of `valid` with `changes` applied, as "path: message" lines. */
const problemsWith = (changes: Record<string, unknown>) =>
    crrPairArgProblems({ ...valid, ...changes } as CrrPairArgs).map((p) => `${p.path}: ${p.message}`);

describe("CrrPair argument validation", () => {
    it("accepts the lab's setup", () => {
        expect(crrPairArgProblems(valid)).to.deep.equal([]);
    });

    const cases: [string, Record<string, unknown>, string][] = [
        ["a short prefix", { namingPrefix: "abc" }, "namingPrefix: must be 5 to 40 characters"],
        ["an uppercase prefix", { namingPrefix: "Acme-Data" }, "namingPrefix: must be 5 to 40 characters"],
        ["an IP-like prefix", { namingPrefix: "10.0.0.1" }, "not an IP address (the lab's NamingPrefix rule), got '10.0.0.1'"],
        ["a missing prefix", { namingPrefix: undefined }, "namingPrefix: must be 5 to 40 characters"],
        [
            "a prefix that makes a reserved bucket name",
            { namingPrefix: "xn--acme" },
            "namingPrefix: with primary.region 'us-east-2' the bucket name 'xn--acme-crrlab-us-east-2' must not start with the reserved prefix 'xn--'",
        ],
        [
            "a prefix that makes an invalid trail name",
            { namingPrefix: "acme--data" },
            "namingPrefix: with primary.region 'us-east-2' the trail name 'acme--data-crr-trail' must not contain two separators",
        ],
        [
            "a dotted prefix, which the lab allows and S3 advises against",
            { namingPrefix: "acme.data" },
            "namingPrefix: must not contain '.', got 'acme.data': S3 advises against dots in bucket names (virtual-hosted-style HTTPS requests fail certificate validation and Transfer Acceleration is unavailable); use '-' instead",
        ],
        [
            "a well-formed region that AWS does not have",
            { secondary: { provider: west, region: "us-west-9" } },
            "secondary.region: must be an AWS region code that @pulumi/aws knows, such as 'us-east-2', got 'us-west-9'; nearest: us-west-1, us-west-2, us-east-1",
        ],
        ["a missing side", { secondary: undefined }, "secondary: is required: an aws.Provider, or { provider: aws.Provider, region?: string }"],
        ["a provider that is not an aws.Provider", { primary: { provider: {}, region: "us-east-2" } }, "primary.provider: must be an aws.Provider"],
        ["a malformed region", { secondary: { provider: west, region: "US West" } }, "secondary.region: must be an AWS region code that @pulumi/aws knows, such as 'us-east-2', got 'US West'; nearest: "],
        ["the same region twice", { secondary: { provider: west, region: "us-east-2" } }, "secondary.region: must differ from primary.region ('us-east-2')"],
        ["an unknown encryption", { encryption: "aws:kms:dsse" }, "encryption: must be one of 'AES256', 'aws:kms'; got 'aws:kms:dsse'"],
        ["a KMS deletion window without SSE-KMS", { kmsKeyDeletionWindowInDays: 10 }, "kmsKeyDeletionWindowInDays: applies only with encryption 'aws:kms'"],
        ["a KMS deletion window out of range", { encryption: "aws:kms", kmsKeyDeletionWindowInDays: 3 }, "kmsKeyDeletionWindowInDays: must be a whole number from 7 to 30, got 3"],
        ["a retention CloudWatch Logs rejects", { logRetentionDays: 45 }, "logRetentionDays: must be one of 0, 1, 3, 5, 7, 14, 30, 60"],
        ["a per-side retention CloudWatch Logs rejects", { primary: { provider: east, region: "us-east-2", logRetentionDays: 10 } }, "primary.logRetentionDays: must be one of 0, 1, 3"],
        ["an unknown storage class", { replicaStorageClass: "OUTPOSTS" }, "replicaStorageClass: must be one of 'STANDARD', 'STANDARD_IA'"],
        ["a non-boolean switch", { deleteMarkerReplication: "yes" }, "deleteMarkerReplication: must be true or false, got 'yes'"],
        ["a fractional expiration", { logFileExpirationDays: 1.5 }, "logFileExpirationDays: must be a whole number from 1 to 36500, got 1.5"],
        ["non-string tags", { tags: { Team: 7 } }, "tags: must be an object of string values"],
    ];
    for (const [what, changes, expected] of cases) {
        it(`refuses ${what}`, () => {
            const problems = problemsWith(changes);
            expect(problems.some((p) => p.includes(expected)), `expected '${expected}' in:\n${problems.join("\n")}`).to.equal(true);
        });
    }

    it("reports every problem at once", () => {
        expect(problemsWith({ namingPrefix: "x", encryption: "none", forceDestroy: 1 }).map((p) => p.split(":")[0])).to.deep.equal([
            "namingPrefix",
            "encryption",
            "forceDestroy",
        ]);
    });

    it("accepts every region of the pinned @pulumi/aws, the sovereign and partitioned ones included", () => {
        for (const region of ["eusc-de-east-1", "us-gov-west-1", "cn-north-1", "ap-southeast-7", "mx-central-1"]) {
            expect(problemsWith({ secondary: { provider: west, region } }), region).to.deep.equal([]);
        }
    });

    it("throws on a dotted prefix before registering anything, not even the component", async () => {
        resetRecords();
        expect(() => new CrrPair("dotted", { ...valid, namingPrefix: "acme.data" })).to.throw(CrrPairArgsError, "namingPrefix: must not contain '.'");
        await settle();
        expect(registered().filter((r) => r.type !== "pulumi:providers:aws")).to.deep.equal([]);
    });

    it("throws before registering anything, not even the component", async () => {
        resetRecords();
        let error: unknown;
        try {
            new CrrPair("invalid", { ...valid, namingPrefix: "NO", secondary: { provider: west, region: "us-east-2" } });
        } catch (e) {
            error = e;
        }
        await settle();
        expect(error).to.be.instanceOf(CrrPairArgsError);
        expect((error as Error).message).to.equal(
            "Invalid CrrPair arguments:\n" +
                "  - namingPrefix: must be 5 to 40 characters: words of lowercase letters and digits joined by inner " +
                "hyphens, not an IP address (the lab's NamingPrefix rule), got 'NO'\n" +
                "  - secondary.region: must differ from primary.region ('us-east-2'): cross-region replication needs distinct regions",
        );
        expect(registered().filter((r) => r.type !== "pulumi:providers:aws")).to.deep.equal([]);
    });
});
