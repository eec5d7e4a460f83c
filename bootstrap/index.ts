/**
 * What CI needs in an AWS account, created once per account by someone with admin credentials
 * (`pulumi up` in this folder): GitHub's OIDC identity provider, a deploy role per GitHub environment whose
 * stack lives in this account with the permissions boundary every role that deploy creates must carry,
 * the read-only role of pull-request previews, and optionally the bucket of a self-managed Pulumi backend.
 * Its outputs are the values to set as GitHub variables.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/model/aws";
import { hardenedBucket } from "../components/side/bucket";
import * as perms from "./permissions";
import { deployRoleName, PREVIEW_ROLE_NAME, readBootstrapSettings } from "./settings";

const config = new pulumi.Config();
const settings = readBootstrapSettings((key) => config.get(key));
const tags = { Project: pulumi.getProject(), Stack: pulumi.getStack(), ManagedBy: "pulumi", Purpose: "github-actions-ci" };

const identity = aws.getCallerIdentityOutput();
const partition = aws.getPartitionOutput().partition;

// No thumbprint: IAM checks GitHub's certificate against its library of trusted root CAs for this issuer,
// and keeps any thumbprint only as unused legacy. Left out, IAM fetches and stores one itself, so nothing
// here goes stale when GitHub rotates its certificates.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html
const providerArn: pulumi.Output<string> = settings.oidcProviderArn
    ? pulumi.output(settings.oidcProviderArn)
    : new aws.iam.OpenIdConnectProvider("github", { url: perms.GITHUB_OIDC_URL, clientIdLists: [perms.STS_AUDIENCE], tags }).arn;

const stateBucket = settings.stateBucketName
    ? hardenedBucket(
          "pulumi-state",
          {
              bucketName: settings.stateBucketName,
              region: aws.getRegionOutput().region,
              encryption: { algorithm: "AES256" },
              forceDestroy: false,
              tags,
              policy: (arn) => arn.apply((a) => JSON.stringify(perms.stateBucketPolicy(a))),
          },
          // Every stack's history is in it.
          { protect: true },
      )
    : undefined;

/** A role that GitHub Actions jobs with the token subject `subject` assume, with its inline policy. */
function githubRole(name: string, roleName: string, subject: string, description: string, policy: pulumi.Output<perms.Document>) {
    const role = new aws.iam.Role(name, {
        name: roleName,
        description,
        assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(perms.githubTrustPolicy(arn, subject))),
        // An hour covers a deploy of both regions; configure-aws-credentials asks for an hour by default.
        maxSessionDuration: 3600,
        tags,
    });
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: policy.apply((p) => JSON.stringify(p)) });
    return role;
}

const account = pulumi.all([partition, identity.accountId]).apply(([p, accountId]) => ({
    partition: p,
    accountId,
    ...(settings.stateBucketName ? { stateBucket: settings.stateBucketName } : {}),
}));

const { githubOwner: owner, githubRepo: repo } = settings;
const deployRoles = Object.entries(settings.environments).map(([environment, stack]) => {
    // The boundary first: the deploy role may create roles only with it, and may never change it.
    const boundary = new aws.iam.Policy(`boundary-${environment}`, {
        name: perms.boundaryPolicyName(environment),
        description: `Permissions boundary of every role ${owner}/${repo}'s ${environment} stack (prefix ${stack.namingPrefix}) creates`,
        policy: account.apply((a) => JSON.stringify(perms.boundaryPolicy({ ...a, namingPrefix: stack.namingPrefix, adoptedBuckets: stack.adoptedBuckets ?? [] }))),
        tags,
    });
    const input = account.apply((a) => ({ ...a, project: settings.project, stack: { environment, ...stack } }));
    const role = githubRole(
        `deploy-${environment}`,
        deployRoleName(environment),
        perms.environmentSubject(owner, repo, environment),
        `pulumi up of ${owner}/${repo}'s ${environment} stack (prefix ${stack.namingPrefix}) from its GitHub environment`,
        input.apply(perms.deployPolicy),
    );
    // The denials beside the grants, as a managed policy (the grants fill the role's inline policy budget).
    const guardrails = new aws.iam.Policy(`guardrails-${environment}`, {
        name: perms.guardrailsPolicyName(environment),
        description: `What ${deployRoleName(environment)} may never do, whatever it is granted`,
        policy: input.apply((i) => JSON.stringify(perms.deployGuardrails(i))),
        tags,
    });
    new aws.iam.RolePolicyAttachment(`deploy-${environment}-guardrails`, { role: role.name, policyArn: guardrails.arn });
    // For the operators who run `npm run backfill` (S3 Batch Replication jobs), not for any CI role: attached to nothing.
    const backfill = settings.backfillPolicy
        ? new aws.iam.Policy(`backfill-${environment}`, {
              name: perms.backfillPolicyName(environment),
              description: `What running npm run backfill on ${owner}/${repo}'s ${environment} stack needs: S3 Batch Operations jobs with its Batch Replication roles`,
              policy: account.apply((a) => JSON.stringify(perms.backfillOperatorPolicy({ ...a, namingPrefix: stack.namingPrefix }))),
              tags,
          })
        : undefined;
    return { environment, role, boundary, backfill };
});
const previewRole = settings.previewRole
    ? githubRole(
          "preview",
          PREVIEW_ROLE_NAME,
          perms.pullRequestSubject(owner, repo),
          `Read-only pulumi preview of ${owner}/${repo}'s stacks on pull requests`,
          account.apply((a) =>
              perms.previewPolicy({
                  ...a,
                  prefixes: Object.values(settings.environments).map((e) => e.namingPrefix),
                  adoptedBuckets: Object.values(settings.environments).flatMap((e) => e.adoptedBuckets ?? []),
              }),
          ),
      )
    : undefined;

/** Per environment, the value of its GitHub environment variable AWS_DEPLOY_ROLE_ARN. */
export const deployRoleArns = Object.fromEntries(deployRoles.map(({ environment, role }) => [environment, role.arn]));
/**
 * Per environment, the permissions boundary its stack names (`s3-crr:permissionsBoundary`, the policy's name):
 * the deploy role creates no role without it.
 */
export const permissionsBoundaries = Object.fromEntries(deployRoles.map(({ environment, boundary }) => [environment, boundary.name]));
/** Per environment, the policy to attach to whoever runs `npm run backfill` (with `backfillPolicy`). */
export const backfillPolicyArns = settings.backfillPolicy ? Object.fromEntries(deployRoles.map(({ environment, backfill }) => [environment, backfill!.arn])) : undefined;
/** The value of the repository variable AWS_PREVIEW_ROLE_ARN. */
export const previewRoleArn = previewRole?.arn;
export const oidcProviderArn = providerArn;
/** The value of the repository variable PULUMI_BACKEND_URL, with a self-managed backend. */
export const backendUrl = stateBucket ? pulumi.interpolate`s3://${stateBucket.bucket.bucket}` : undefined;
