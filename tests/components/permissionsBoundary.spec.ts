import { expect } from "chai";
import * as aws from "../../components/model/aws";
import { CrrMesh, crrPairArgProblems } from "../../components";
import { permissionsBoundaryArn } from "../../components/documents/iam";
import { readSettings } from "../../program/settings";
import { buildPair, PREFIX } from "../support/fixtures";
import { ACCOUNT_ID, ofType, resetRecords, settle, withoutStackCapture } from "../support/mocks";

const ROLE = "aws:iam/role:Role";
const OTHER_ACCOUNT = "444455556666";
const boundaries = () => Object.fromEntries(ofType(ROLE).map((r) => [r.inputs.name, r.inputs.permissionsBoundary]));

describe("permissions boundary of every role (option permissionsBoundary)", () => {
    it("is not set by default", async () => {
        await buildPair("pb0", { backup: true });
        expect(ofType(ROLE).map((r) => r.inputs.permissionsBoundary)).to.deep.equal([undefined, undefined, undefined, undefined, undefined, undefined]);
    });

    it("puts a policy given by name, from the side's own account, on the replication, trail and backup roles", async () => {
        await buildPair("pb1", { backup: true, permissionsBoundary: "github-deploy-prod-boundary" });
        const boundary = `arn:aws:iam::${ACCOUNT_ID}:policy/github-deploy-prod-boundary`;
        expect(boundaries()).to.deep.equal({
            [`${PREFIX}-s3crr-us-east-2`]: boundary,
            [`${PREFIX}-s3crr-us-west-2`]: boundary,
            [`${PREFIX}-trail-us-east-2`]: boundary,
            [`${PREFIX}-trail-us-west-2`]: boundary,
            [`${PREFIX}-backup-us-east-2`]: boundary,
            [`${PREFIX}-backup-us-west-2`]: boundary,
        });
    });

    it("takes a name in each side's account, and an ARN as given, on a mesh across accounts", async () => {
        const mesh = async (name: string, permissionsBoundary: string) => {
            resetRecords();
            await withoutStackCapture(async () => {
                new CrrMesh(name, {
                    namingPrefix: PREFIX,
                    permissionsBoundary,
                    sides: [
                        { provider: new aws.Provider(`${name}-east`, { region: "us-east-2" }), region: "us-east-2" },
                        {
                            provider: new aws.Provider(`${name}-west`, { region: "us-west-2", assumeRoles: [{ roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer` }] }),
                            region: "us-west-2",
                        },
                    ],
                });
                await settle();
            });
            return boundaries();
        };
        expect(await mesh("pb2", "crr-boundary")).to.deep.equal({
            [`${PREFIX}-s3crr-us-east-2`]: `arn:aws:iam::${ACCOUNT_ID}:policy/crr-boundary`,
            [`${PREFIX}-trail-us-east-2`]: `arn:aws:iam::${ACCOUNT_ID}:policy/crr-boundary`,
            [`${PREFIX}-s3crr-us-west-2`]: `arn:aws:iam::${OTHER_ACCOUNT}:policy/crr-boundary`,
            [`${PREFIX}-trail-us-west-2`]: `arn:aws:iam::${OTHER_ACCOUNT}:policy/crr-boundary`,
        });
        const arn = `arn:aws:iam::${ACCOUNT_ID}:policy/boundaries/crr`;
        expect(Object.values(await mesh("pb3", arn))).to.deep.equal([arn, arn, arn, arn]);
    });

    it("resolves a name in the side's partition and account; an empty value is none", () => {
        expect(permissionsBoundaryArn("b", "aws-us-gov", "111122223333")).to.equal("arn:aws-us-gov:iam::111122223333:policy/b");
        expect(permissionsBoundaryArn("arn:aws:iam::aws:policy/PowerUserAccess", "aws", "111122223333")).to.equal("arn:aws:iam::aws:policy/PowerUserAccess");
        expect(permissionsBoundaryArn("", "aws", "111122223333")).to.equal(undefined);
    });

    it("refuses what is neither a policy ARN nor a policy name, before anything is registered", () => {
        const problems = (permissionsBoundary: unknown) =>
            crrPairArgProblems(
                { namingPrefix: "acme-data", primary: { provider: undefined!, region: "us-east-2" }, secondary: { provider: undefined!, region: "us-west-2" }, permissionsBoundary } as never,
                { checkProviders: false },
            ).map((p) => `${p.path}: ${p.message}`);
        expect(problems("arn:aws:iam::123456789012:role/admin")).to.deep.equal([
            "permissionsBoundary: must be an IAM policy ARN (arn:aws:iam::<account or aws>:policy/<path/name>) or a policy name, got 'arn:aws:iam::123456789012:role/admin'",
        ]);
        expect(problems("two words")).to.have.length(1);
        expect(problems(7)).to.have.length(1);
        for (const ok of ["github-deploy-prod-boundary", "arn:aws:iam::123456789012:policy/github-deploy-prod-boundary", "arn:aws:iam::aws:policy/PowerUserAccess", ""]) {
            expect(problems(ok), ok).to.deep.equal([]);
        }
    });

    it("is read from the stack configuration", () => {
        const settings = readSettings((k) => ({ namingPrefix: "acme-data", permissionsBoundary: "github-deploy-dev-boundary" })[k as "namingPrefix"], "s3-crr");
        expect(settings.permissionsBoundary).to.equal("github-deploy-dev-boundary");
        expect(readSettings((k) => ({ namingPrefix: "acme-data" })[k as "namingPrefix"], "s3-crr").permissionsBoundary).to.equal("");
    });
});
