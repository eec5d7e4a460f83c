import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { bootstrapProblems, readBootstrapSettings } from "../../bootstrap/settings";
import { ACCOUNT_ID, find, ofType, PROJECT, registered, resetRecords, settle, valueOf, withoutStackCapture } from "../support/mocks";

const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
const BASE = {
    githubOwner: "acme",
    githubRepo: "s3-crr",
    environments: JSON.stringify({ dev: "crr-dev-example", prod: "crr-prod-example" }),
};

/** Runs bootstrap/index.ts afresh with `config` as its stack configuration, and waits for it to finish. */
async function runBootstrap(config: Record<string, string>): Promise<Record<string, any>> {
    resetRecords();
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])));
    const entry = require.resolve("../../bootstrap/index");
    delete require.cache[entry];
    return withoutStackCapture(async () => {
        const exports = require(entry);
        await settle();
        return exports;
    });
}

const json = (value: unknown) => JSON.parse(value as string);
const subjectOf = (roleName: string) => json(find("aws:iam/role:Role", roleName).inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;

describe("bootstrap program (under Pulumi mocks)", () => {
    describe("with two environments, the preview role and a state bucket", () => {
        let out: Record<string, any>;
        before(async () => {
            out = await runBootstrap({ ...BASE, stateBucketName: "acme-pulumi-state" });
        });

        it("creates GitHub's OIDC provider for STS, with no thumbprint (IAM verifies GitHub against its trusted CAs)", () => {
            const provider = find("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github");
            expect(provider.inputs.url).to.equal("https://token.actions.githubusercontent.com");
            expect(provider.inputs.clientIdLists).to.deep.equal(["sts.amazonaws.com"]);
            expect(provider.inputs).not.to.have.property("thumbprintLists");
        });

        it("trusts each deploy role only from its own GitHub environment of this repository", () => {
            expect(find("aws:iam/role:Role", "deploy-dev").inputs.name).to.equal("github-deploy-dev");
            const trust = json(find("aws:iam/role:Role", "deploy-prod").inputs.assumeRolePolicy);
            expect(trust.Statement).to.deep.equal([
                {
                    Sid: "GitHubActionsOidc",
                    Effect: "Allow",
                    Principal: { Federated: PROVIDER_ARN },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": "repo:acme/s3-crr:environment:prod",
                        },
                    },
                },
            ]);
            expect(subjectOf("deploy-dev")["token.actions.githubusercontent.com:sub"]).to.equal("repo:acme/s3-crr:environment:dev");
            expect(subjectOf("preview")["token.actions.githubusercontent.com:sub"]).to.equal("repo:acme/s3-crr:pull_request");
        });

        it("scopes each deploy role's policy to its own environment's prefix, in this account", () => {
            const prod = json(find("aws:iam/rolePolicy:RolePolicy", "deploy-prod-policy").inputs.policy);
            const buckets = prod.Statement.find((s: { Sid: string }) => s.Sid === "Buckets");
            expect(buckets.Resource).to.deep.equal(["arn:aws:s3:::crr-prod-example-crrlab-*", "arn:aws:s3:::logging-crr-prod-example-*"]);
            const roles = prod.Statement.find((s: { Sid: string }) => s.Sid === "Roles");
            expect(roles.Resource).to.deep.equal([`arn:aws:iam::${ACCOUNT_ID}:role/crr-prod-example-*`]);
            expect(JSON.stringify(prod)).not.to.contain("crr-dev-example");
            expect(find("aws:iam/rolePolicy:RolePolicy", "deploy-prod-policy").inputs.role).to.equal("github-deploy-prod");
        });

        it("gives each environment its boundary, and each deploy role its guardrails beside its grants", async () => {
            const boundary = find("aws:iam/policy:Policy", "boundary-prod");
            expect(boundary.inputs.name).to.equal("github-deploy-prod-boundary");
            const document = json(boundary.inputs.policy);
            expect(document.Statement.map((s: { Sid: string }) => s.Sid)).to.include.members(["ReplicationObjects", "TrailDelivery", "BackupBuckets"]);
            expect(JSON.stringify(document)).not.to.contain("crr-dev-example");
            const guardrails = find("aws:iam/policy:Policy", "guardrails-prod");
            expect(guardrails.inputs.name).to.equal("github-deploy-prod-guardrails");
            expect(json(guardrails.inputs.policy).Statement.every((s: { Effect: string }) => s.Effect === "Deny")).to.equal(true);
            const attachment = find("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "deploy-prod-guardrails");
            expect(attachment.inputs).to.deep.equal({ role: "github-deploy-prod", policyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/github-deploy-prod-guardrails` });
            const grants = json(find("aws:iam/rolePolicy:RolePolicy", "deploy-prod-policy").inputs.policy);
            const underBoundary = grants.Statement.find((s: { Sid: string }) => s.Sid === "RolesUnderBoundary");
            expect(underBoundary.Condition).to.deep.equal({ ArnEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT_ID}:policy/github-deploy-prod-boundary` } });
            expect(await valueOf(out.permissionsBoundaries.prod)).to.equal("github-deploy-prod-boundary");
        });

        it("lets the preview role read every environment's resources", () => {
            const preview = json(find("aws:iam/rolePolicy:RolePolicy", "preview-policy").inputs.policy);
            const trails = preview.Statement.find((s: { Sid: string }) => s.Sid === "Trails");
            expect(trails.Resource).to.deep.equal([
                `arn:aws:cloudtrail:*:${ACCOUNT_ID}:trail/crr-dev-example-crr-trail`,
                `arn:aws:cloudtrail:*:${ACCOUNT_ID}:trail/crr-prod-example-crr-trail`,
            ]);
        });

        it("makes the state bucket private, versioned, encrypted, TLS-only, and protected", () => {
            const bucket = find("aws:s3/bucket:Bucket", "pulumi-state");
            expect(bucket.inputs.bucket).to.equal("acme-pulumi-state");
            expect(bucket.protect).to.equal(true);
            expect(find("aws:s3/bucketVersioning:BucketVersioning", "pulumi-state-versioning").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
            expect(find("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pulumi-state-public-access-block").inputs).to.deep.include({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            const sse = find("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "pulumi-state-encryption");
            expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "AES256" });
            expect(json(find("aws:s3/bucketPolicy:BucketPolicy", "pulumi-state-policy").inputs.policy).Statement[0].Sid).to.equal("DenyInsecureTransport");
        });

        it("exports what to set in GitHub: each environment's role, the preview role, the backend URL", async () => {
            expect(await valueOf(out.deployRoleArns.prod)).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/github-deploy-prod`);
            expect(await valueOf(out.previewRoleArn)).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/github-preview`);
            expect(await valueOf(out.backendUrl)).to.equal("s3://acme-pulumi-state");
        });
    });

    it("uses an existing OIDC provider, and leaves out the preview role and the state bucket when asked", async () => {
        const existing = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
        await runBootstrap({ ...BASE, oidcProviderArn: existing, previewRole: "false" });
        expect(ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(ofType("aws:s3/bucket:Bucket")).to.deep.equal([]);
        expect(ofType("aws:iam/role:Role").map((r) => r.name)).to.deep.equal(["deploy-dev", "deploy-prod"]);
        expect(json(find("aws:iam/role:Role", "deploy-dev").inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Federated: existing });
    });

    it("creates, with backfillPolicy, a policy per environment for whoever runs npm run backfill, attached to no CI role", async () => {
        const out = await runBootstrap({ ...BASE, previewRole: "false", backfillPolicy: "true" });
        const policy = find("aws:iam/policy:Policy", "backfill-prod");
        expect(policy.inputs.name).to.equal("github-backfill-prod");
        expect(json(policy.inputs.policy).Statement).to.deep.equal([
            { Sid: "CreateBatchReplicationJobs", Effect: "Allow", Action: ["s3:CreateJob"], Resource: "*" },
            { Sid: "FollowBatchReplicationJobs", Effect: "Allow", Action: ["s3:DescribeJob"], Resource: `arn:aws:s3:*:${ACCOUNT_ID}:job/*` },
            {
                Sid: "PassBatchReplicationRoles",
                Effect: "Allow",
                Action: ["iam:PassRole"],
                Resource: `arn:aws:iam::${ACCOUNT_ID}:role/crr-prod-example-s3batch-*`,
                Condition: { StringEquals: { "iam:PassedToService": "batchoperations.s3.amazonaws.com" } },
            },
        ]);
        expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.name).sort()).to.deep.equal(["deploy-dev-guardrails", "deploy-prod-guardrails"]);
        expect(await valueOf(out.backfillPolicyArns.dev)).to.equal(`arn:aws:iam::${ACCOUNT_ID}:policy/github-backfill-dev`);
        // Off by default.
        await runBootstrap({ ...BASE, previewRole: "false" });
        expect(ofType("aws:iam/policy:Policy").map((p) => p.name)).to.not.include("backfill-prod");
    });

    it("takes an environment's adopted buckets, and refuses a name that is not a bucket's", () => {
        const settings = readBootstrapSettings((key) =>
            ({ ...BASE, environments: JSON.stringify({ prod: { namingPrefix: "crr-prod-example", adoptedBuckets: ["acme-orders-data"] } }) })[key as keyof typeof BASE],
        );
        expect(settings.environments.prod).to.deep.equal({ namingPrefix: "crr-prod-example", forceDestroy: false, adoptedBuckets: ["acme-orders-data"] });
        expect(bootstrapProblems((key) => ({ ...BASE, environments: JSON.stringify({ prod: { namingPrefix: "crr-prod-example", adoptedBuckets: ["Orders"] } }) })[key as keyof typeof BASE])).to.deep.equal([
            'environments.prod adoptedBuckets must be a list of S3 bucket names (the stack\'s existingBuckets), not: "Orders"',
        ]);
    });

    it("stops before registering anything on a bad configuration, naming every problem", async () => {
        let error: Error | undefined;
        try {
            await runBootstrap({ githubOwner: "-acme", githubRepo: "s3-crr", environments: JSON.stringify({ prod: "Bad_Prefix" }) });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.equal(
            "Invalid stack configuration:\n" +
                "  - githubOwner must be a GitHub user or organization name (letters, digits, inner '-'), got \"-acme\"\n" +
                "  - environments.prod: the naming prefix must be 5 to 40 characters: words of lowercase letters and digits joined by inner hyphens, not an IP address (the lab's NamingPrefix rule), got 'Bad_Prefix'",
        );
        expect(registered()).to.deep.equal([]);
    });

    it("refuses a prefix under which its deploy role could change the CI roles themselves", () => {
        const get = (values: Record<string, string>) => (key: string) => values[key];
        expect(bootstrapProblems(get({ ...BASE, environments: JSON.stringify({ dev: "github" }) }))).to.deep.equal([
            "environments.dev: the naming prefix 'github' would let its deploy role change the role 'github-deploy-dev'",
            "environments.dev: the naming prefix 'github' would let its deploy role change the role 'github-preview'",
        ]);
        expect(bootstrapProblems(get({ githubOwner: "acme", githubRepo: "s3-crr" }))).to.deep.equal([
            "environments must be a map of GitHub environment name to that stack's namingPrefix (or { namingPrefix, forceDestroy }), with at least one entry",
        ]);
    });

    it("takes an environment as a prefix or as { namingPrefix, forceDestroy }, and refuses one prefix reaching another's names", () => {
        const get = (values: Record<string, string>) => (key: string) => values[key];
        const environments = { dev: { namingPrefix: "crr-dev-example", forceDestroy: true }, prod: "crr-prod-example" };
        expect(bootstrapProblems(get({ ...BASE, environments: JSON.stringify(environments) }))).to.deep.equal([]);
        expect(readBootstrapSettings(get({ ...BASE, environments: JSON.stringify(environments) }))).to.deep.include({
            environments: { dev: { namingPrefix: "crr-dev-example", forceDestroy: true }, prod: { namingPrefix: "crr-prod-example", forceDestroy: false } },
            project: "s3-crr",
        });
        expect(
            bootstrapProblems(
                get({ ...BASE, environments: JSON.stringify({ dev: { namingPrefix: "crr-dev", forceDestroy: "yes" }, qa: { namingPrefix: "crr-qa-1", purge: true }, prod: "crr-dev-prod" }) }),
            ),
        ).to.deep.equal([
            'environments.dev forceDestroy must be true or false, got "yes"',
            "environments.qa has unknown settings: purge (settings: namingPrefix, forceDestroy, adoptedBuckets)",
        ]);
        expect(bootstrapProblems(get({ ...BASE, environments: JSON.stringify({ dev: "crr-dev", prod: "crr-dev-prod" }) }))).to.deep.equal([
            "environments.dev: the naming prefix 'crr-dev' would let its deploy role change prod's resources ('crr-dev-prod')",
        ]);
        expect(bootstrapProblems(get({ ...BASE, project: "s3 crr" }))).to.deep.equal(["project must be a Pulumi project name (letters, digits, '_', '.', '-'), got 's3 crr'"]);
    });
});
