/**
 * The bootstrap's stack configuration: which repository may deploy, to which GitHub environments, and each
 * environment's naming prefix (the `namingPrefix` of its stack file), read and checked before anything is
 * registered. Every problem is reported at once.
 */
import * as pulumi from "@pulumi/pulumi";
import { bucketNameProblems, roleNameProblems } from "../components/model/naming";
import { namingPrefixProblem } from "../components/model/validation";

/** The stack deployed from one GitHub environment, as far as its deploy role needs to know it. */
export interface EnvironmentSettings {
    /** The stack's `namingPrefix`: its deploy role may touch only what is named by it. */
    readonly namingPrefix: string;
    /**
     * The stack sets `forceDestroy`: its deploy role may then delete object versions (to empty the buckets)
     * and recovery points (to empty the vaults) on destroy; without it, it cannot delete either.
     */
    readonly forceDestroy: boolean;
    /**
     * Buckets that existed before the stack and that it adopts (its `s3-crr:existingBuckets`): the deploy role
     * may configure them (never delete them: a guardrail denies it), and the stack's roles may replicate them.
     */
    readonly adoptedBuckets?: readonly string[];
}

export interface BootstrapSettings {
    /** The GitHub user or organization that owns the repository. */
    readonly githubOwner: string;
    readonly githubRepo: string;
    /**
     * GitHub environment name → the stack deployed from it (in this account), which is also the stack's
     * name: `dev: crr-dev-example` (a naming prefix), or `{ namingPrefix, forceDestroy }`.
     */
    readonly environments: Readonly<Record<string, EnvironmentSettings>>;
    /** The Pulumi project of the stacks (`name` in ../Pulumi.yaml): their providers tag every resource with it. */
    readonly project: string;
    /** The account's GitHub OIDC provider, when it exists already (IAM holds one per URL and account). */
    readonly oidcProviderArn?: string;
    /** Create the read-only role of pull-request previews. */
    readonly previewRole: boolean;
    /**
     * Create, per environment, the managed policy whoever runs `npm run backfill` needs (`github-backfill-<env>`:
     * s3:CreateJob, and iam:PassRole on the stack's Batch Replication roles only), attached to nothing: attach
     * it to the operators' own role or group.
     */
    readonly backfillPolicy: boolean;
    /** Create this bucket for a self-managed Pulumi backend (`s3://<name>`), and let the roles use it. */
    readonly stateBucketName?: string;
}

/** The project of ../Pulumi.yaml, the stacks the deploy roles deploy. */
export const DEFAULT_PROJECT = "s3-crr";

/** The deploy role of environment `environment`: outside every stack's `<prefix>-*`, so no deploy role can edit itself. */
export const deployRoleName = (environment: string) => `github-deploy-${environment}`;
export const PREVIEW_ROLE_NAME = "github-preview";

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[A-Za-z0-9_-]+$/;
/** Pulumi project names: letters, digits, `_`, `.` and `-`. */
const PROJECT = /^[A-Za-z0-9_.-]{1,100}$/;
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
    const project = get("project");
    if (project !== undefined && project !== "" && !PROJECT.test(project)) {
        problems.push(`project must be a Pulumi project name (letters, digits, '_', '.', '-'), got '${project}'`);
    }
    const environments = parseEnvironments(get("environments"));
    if (environments === undefined) {
        problems.push(
            "environments must be a map of GitHub environment name to that stack's namingPrefix (or { namingPrefix, forceDestroy }), with at least one entry",
        );
    } else {
        for (const [environment, entry] of Object.entries(environments)) {
            if (typeof entry === "string" && entry.startsWith("!")) {
                problems.push(`environments.${environment} ${entry.slice(1)}`);
                continue;
            }
            const prefix = typeof entry === "string" ? entry : entry.namingPrefix;
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
            // Nor may one environment's `<prefix>-*` reach another's resources.
            for (const [other, otherEntry] of Object.entries(environments)) {
                const otherPrefix = typeof otherEntry === "string" ? otherEntry : otherEntry.namingPrefix;
                if (other !== environment && otherPrefix.startsWith(`${prefix}-`)) {
                    problems.push(`environments.${environment}: the naming prefix '${prefix}' would let its deploy role change ${other}'s resources ('${otherPrefix}')`);
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
    const backfill = get("backfillPolicy");
    if (backfill !== undefined && backfill !== "true" && backfill !== "false") {
        problems.push(`backfillPolicy must be true or false, got '${backfill}'`);
    }
    const bucket = get("stateBucketName");
    if (bucket !== undefined && bucket !== "") {
        problems.push(...bucketNameProblems(bucket).map((p) => `stateBucketName '${bucket}' ${p}`));
    }
    return problems;
}

/**
 * The environments map, each entry as its settings; an entry that is neither a prefix nor an object of
 * settings becomes `!<problem>` (reported by bootstrapProblems).
 */
function parseEnvironments(raw: string | undefined): Record<string, EnvironmentSettings | string> | undefined {
    if (raw === undefined) {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(raw);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Object.keys(parsed).length > 0) {
            return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, environmentEntry(v)]));
        }
    } catch {
        // Not JSON: reported as a malformed map below.
    }
    return undefined;
}

function environmentEntry(value: unknown): EnvironmentSettings | string {
    if (typeof value === "string") {
        return { namingPrefix: value, forceDestroy: false };
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
        const { namingPrefix, forceDestroy, adoptedBuckets, ...rest } = value as Record<string, unknown>;
        if (Object.keys(rest).length > 0) {
            return `!has unknown settings: ${Object.keys(rest).join(", ")} (settings: namingPrefix, forceDestroy, adoptedBuckets)`;
        }
        if (forceDestroy !== undefined && typeof forceDestroy !== "boolean") {
            return `!forceDestroy must be true or false, got ${JSON.stringify(forceDestroy)}`;
        }
        if (adoptedBuckets !== undefined) {
            const bad = Array.isArray(adoptedBuckets) ? adoptedBuckets.filter((b) => typeof b !== "string" || bucketNameProblems(b).length > 0) : [adoptedBuckets];
            if (bad.length > 0) {
                return `!adoptedBuckets must be a list of S3 bucket names (the stack's existingBuckets), not: ${bad.map((b) => JSON.stringify(b)).join(", ")}`;
            }
        }
        return {
            namingPrefix: typeof namingPrefix === "string" ? namingPrefix : JSON.stringify(namingPrefix),
            forceDestroy: forceDestroy === true,
            ...(Array.isArray(adoptedBuckets) && adoptedBuckets.length > 0 ? { adoptedBuckets: adoptedBuckets as string[] } : {}),
        };
    }
    return `!must be a naming prefix or { namingPrefix, forceDestroy, adoptedBuckets }, got ${JSON.stringify(value)}`;
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
        environments: parseEnvironments(get("environments")) as Record<string, EnvironmentSettings>,
        project: get("project") || DEFAULT_PROJECT,
        ...(arn ? { oidcProviderArn: arn } : {}),
        previewRole: get("previewRole") !== "false",
        backfillPolicy: get("backfillPolicy") === "true",
        ...(bucket ? { stateBucketName: bucket } : {}),
    };
}
