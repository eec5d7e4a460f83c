/**
 * The bootstrap's stack configuration: which repository may deploy, to which GitHub environments, and each
 * environment's naming prefix (the `namingPrefix` of its stack file), read and checked before anything is
 * registered. Every problem is reported at once.
 */
import * as pulumi from "@pulumi/pulumi";
import { bucketNameProblems, roleNameProblems } from "../components/model/naming";
import { namingPrefixProblem } from "../components/model/validation";

export interface BootstrapSettings {
    /** The GitHub user or organization that owns the repository. */
    readonly githubOwner: string;
    readonly githubRepo: string;
    /** GitHub environment name → the naming prefix of the stack deployed from it (in this account). */
    readonly environments: Readonly<Record<string, string>>;
    /** The account's GitHub OIDC provider, when it exists already (IAM holds one per URL and account). */
    readonly oidcProviderArn?: string;
    /** Create the read-only role of pull-request previews. */
    readonly previewRole: boolean;
    /** Create this bucket for a self-managed Pulumi backend (`s3://<name>`), and let the roles use it. */
    readonly stateBucketName?: string;
}

/** The deploy role of environment `environment`: outside every stack's `<prefix>-*`, so no deploy role can edit itself. */
export const deployRoleName = (environment: string) => `github-deploy-${environment}`;
export const PREVIEW_ROLE_NAME = "github-preview";

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[A-Za-z0-9_-]+$/;
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** Every problem of the configuration `get` reads (keys without the project's namespace). */
export function bootstrapProblems(get: (key: string) => string | undefined): string[] {
    const problems: string[] = [];
    const owner = get("githubOwner");
    const repo = get("githubRepo");
    if (owner === undefined || !OWNER.test(owner)) {
        problems.push(`githubOwner must be a GitHub user or organization name (letters, digits, inner '-'), got ${JSON.stringify(owner)}`);
    }
    if (repo === undefined || !REPO.test(repo)) {
        problems.push(`githubRepo must be a repository name (letters, digits, '.', '_', '-'), got ${JSON.stringify(repo)}`);
    }
    const environments = parseEnvironments(get("environments"));
    if (environments === undefined) {
        problems.push("environments must be a map of GitHub environment name to that stack's namingPrefix, with at least one entry");
    } else {
        for (const [environment, prefix] of Object.entries(environments)) {
            if (!ENVIRONMENT.test(environment)) {
                problems.push(`environments: '${environment}' must be letters, digits, '_' and '-'`);
            }
            for (const p of roleNameProblems(deployRoleName(environment))) {
                problems.push(`environments: the deploy role '${deployRoleName(environment)}' ${p}`);
            }
            const problem = namingPrefixProblem(prefix);
            if (problem) {
                problems.push(`environments.${environment}: the naming prefix ${problem}`);
                continue;
            }
            // A deploy role may manage every role named `<prefix>-*`: the CI roles must not be among them.
            for (const role of [...Object.keys(environments).map(deployRoleName), PREVIEW_ROLE_NAME]) {
                if (role.startsWith(`${prefix}-`)) {
                    problems.push(`environments.${environment}: the naming prefix '${prefix}' would let its deploy role change the role '${role}'`);
                }
            }
        }
    }
    const arn = get("oidcProviderArn");
    if (arn !== undefined && arn !== "" && !OIDC_PROVIDER_ARN.test(arn)) {
        problems.push(`oidcProviderArn must be the ARN of the account's token.actions.githubusercontent.com provider, got '${arn}'`);
    }
    const previewRole = get("previewRole");
    if (previewRole !== undefined && previewRole !== "true" && previewRole !== "false") {
        problems.push(`previewRole must be true or false, got '${previewRole}'`);
    }
    const bucket = get("stateBucketName");
    if (bucket !== undefined && bucket !== "") {
        problems.push(...bucketNameProblems(bucket).map((p) => `stateBucketName '${bucket}' ${p}`));
    }
    return problems;
}

function parseEnvironments(raw: string | undefined): Record<string, string> | undefined {
    if (raw === undefined) {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(raw);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Object.keys(parsed).length > 0) {
            return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        }
    } catch {
        // Not JSON: reported as a malformed map below.
    }
    return undefined;
}

/** The settings, or a RunError listing every problem (the program stops before registering anything). */
export function readBootstrapSettings(get: (key: string) => string | undefined): BootstrapSettings {
    const problems = bootstrapProblems(get);
    if (problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    const arn = get("oidcProviderArn");
    const bucket = get("stateBucketName");
    return {
        githubOwner: get("githubOwner")!,
        githubRepo: get("githubRepo")!,
        environments: parseEnvironments(get("environments"))!,
        ...(arn ? { oidcProviderArn: arn } : {}),
        previewRole: get("previewRole") !== "false",
        ...(bucket ? { stateBucketName: bucket } : {}),
    };
}
