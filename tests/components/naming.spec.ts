import { expect } from "chai";
import { bucketNameProblems, NAMING_PREFIX_PATTERN, roleNameProblems, sideNames, trailNameProblems } from "../../components/model/naming";

describe("naming", () => {
    it("derives the lab's names for a side", () => {
        expect(sideNames("acme-data", "us-east-2")).to.deep.equal({
            bucket: "acme-data-crrlab-us-east-2",
            loggingBucket: "logging-acme-data-us-east-2",
            trail: "acme-data-crr-trail",
            logGroup: "CloudTrail/logs/acme-data",
            trailLogsRole: "acme-data-trail-us-east-2",
            replicationRole: "acme-data-s3crr-us-east-2",
            batchReplicationRole: "acme-data-s3batch-us-east-2",
            batchReplicationPrefix: "batch-replication/",
            query: "CRR/acme-data/PutObject events",
            kmsAlias: "alias/acme-data-crr",
            accessLogPrefix: "s3-access-logs/acme-data-crrlab-us-east-2/",
            alertsTopic: "acme-data-crr-alerts",
            alertsKeyAlias: "alias/acme-data-crr-alerts",
            alarmPrefix: "acme-data-crr-",
        });
    });

    it("turns dots into hyphens in the KMS alias, which allows no '.'", () => {
        expect(sideNames("acme.data", "us-east-2").kmsAlias).to.equal("alias/acme-data-crr");
        expect(sideNames("acme.data", "us-east-2").bucket).to.equal("acme.data-crrlab-us-east-2");
    });

    it("keeps every derived name valid for the longest prefix and a 14-character region", () => {
        const names = sideNames("a".repeat(40), "ap-southeast-4");
        expect(bucketNameProblems(names.bucket)).to.deep.equal([]);
        expect(bucketNameProblems(names.loggingBucket)).to.deep.equal([]);
        expect(roleNameProblems(names.replicationRole)).to.deep.equal([]);
        // 40 + "-s3batch-" + 14 = 63 characters: within IAM's 64.
        expect(names.batchReplicationRole).to.have.length(63);
        expect(roleNameProblems(names.batchReplicationRole)).to.deep.equal([]);
        expect(roleNameProblems(names.trailLogsRole)).to.deep.equal([]);
        expect(names.loggingBucket).to.have.length(63);
    });

    describe("the lab's NamingPrefix pattern", () => {
        const cases: [string, boolean][] = [
            ["acme-data", true],
            ["a.b.c.d.e", true],
            ["12345", true],
            ["abcd", false], // too short
            ["a".repeat(41), false], // too long
            ["Acme-data", false], // uppercase
            ["acme_data", false], // underscore
            ["-acme", false], // leading hyphen
            ["acme-", false], // trailing hyphen
            ["acme..data", false], // empty label
            ["acme.-data", false], // label starting with a hyphen
            ["10.0.0.1", false], // IP-like
            ["1.2.3", false], // numeric dotted
        ];
        for (const [prefix, ok] of cases) {
            it(`${ok ? "accepts" : "rejects"} '${prefix}'`, () => {
                expect(NAMING_PREFIX_PATTERN.test(prefix)).to.equal(ok);
            });
        }
    });

    describe("S3 bucket name rules", () => {
        const cases: [string, string[]][] = [
            ["acme-data-crrlab-us-east-2", []],
            ["ab", ["is 2 characters long; S3 allows 3 to 63"]],
            ["a".repeat(64), ["is 64 characters long; S3 allows 3 to 63"]],
            ["under_score", ["may contain only lowercase letters, digits, '.' and '-'"]],
            ["-edge-", ["must begin and end with a lowercase letter or digit"]],
            ["a..b", ["must not contain two adjacent periods"]],
            ["192.168.10.20", ["must not be formatted as an IP address"]],
            ["xn--bucket", ["must not start with the reserved prefix 'xn--'"]],
            ["sthree-bucket", ["must not start with the reserved prefix 'sthree-'"]],
            ["bucket-s3alias", ["must not end with the reserved suffix '-s3alias'"]],
            ["bucket--ol-s3", ["must not end with the reserved suffix '--ol-s3'"]],
            ["bucket.mrap", ["must not end with the reserved suffix '.mrap'"]],
        ];
        for (const [name, problems] of cases) {
            it(`'${name.length > 20 ? name.slice(0, 20) + "…" : name}' → ${problems.length ? problems.join("; ") : "valid"}`, () => {
                expect(bucketNameProblems(name)).to.deep.equal(problems);
            });
        }
    });

    it("applies the IAM role name rules", () => {
        expect(roleNameProblems("ok-role_name.1+=,@")).to.deep.equal([]);
        expect(roleNameProblems("r".repeat(65))).to.deep.equal(["is 65 characters long; IAM allows 1 to 64"]);
        expect(roleNameProblems("bad/role")).to.deep.equal(["may contain only letters, digits and '+=,.@_-'"]);
    });

    it("applies the CloudTrail trail name rules", () => {
        expect(trailNameProblems("acme-data-crr-trail")).to.deep.equal([]);
        expect(trailNameProblems("ab--cd-crr-trail")).to.deep.equal([
            "must not contain two separators ('.', '_', '-') in a row",
        ]);
        expect(trailNameProblems("ab")).to.deep.equal(["is 2 characters long; CloudTrail allows 3 to 128"]);
        expect(trailNameProblems("10.1.2.3")).to.deep.equal(["must not be formatted as an IP address"]);
    });
});
