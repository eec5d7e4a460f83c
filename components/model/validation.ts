import * as aws from "./aws";
import { NAMING_PREFIX_PATTERN, sideNameProblems, sideNames } from "./naming";
import { AnyFieldSpec, DEFAULTS, OPTION_KEYS, OPTION_SPECS, AnyOptionSpec, ResolvedOptions, resolveObjectOption, SideOptionKey } from "./options";
import { existingBucketProblem, lifecycleRuleProblems, policyStatementProblems } from "./adoption";
import { regionProblem } from "./regions";
import { CrrMeshArgs, CrrMeshSide, CrrMeshSideArgs, CrrPairArgs, CrrPairOptions, CrrSide, CrrSideArgs, ExtraNotifications, GrownFromPair, SideRemoval } from "./types";
import { SIDE_KEYS } from "./values";

/** One thing wrong with the arguments: which argument (a dotted path) and what is allowed. */
export interface ArgProblem {
    readonly path: string;
    readonly message: string;
}

/** Thrown by {@link CrrPair} before any resource is registered when its arguments are not acceptable. */
export class CrrPairArgsError extends Error {
    constructor(
        readonly problems: readonly ArgProblem[],
        /** The component whose arguments these are. */
        readonly component: "CrrPair" | "CrrMesh" = "CrrPair",
    ) {
        super(`Invalid ${component} arguments:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
        this.name = "CrrPairArgsError";
    }
}

/** A side with every option resolved: the unit the rest of the component works on. */
export interface ResolvedSide extends Readonly<Pick<ResolvedOptions, SideOptionKey>> {
    /** Starts the names of the side's children: `primary`/`secondary` in a pair, the side's key in a mesh. */
    readonly key: string;
    /** Where the side's arguments were, for messages: `primary`, `sides[2]`. */
    readonly path: string;
    readonly provider: aws.Provider;
    /** The region as given in the arguments; absent when it comes from the provider. */
    readonly givenRegion?: string;
    /** The user's own destinations for the side's bucket events. */
    readonly notifications?: ExtraNotifications;
    /** Keys the side's children were named under before (a mesh side's `formerKeys`, and `side<n>`): aliases. */
    readonly formerKeys: readonly string[];
    /** What becomes of the side's data when it leaves a mesh (retainOnDelete or forceDestroy on its buckets). */
    readonly onRemoval?: SideRemoval;
    /** The existing bucket the side uses instead of creating one (referred to, never deleted). */
    readonly existingBucket?: string;
    /** The bucket's own policy statements, merged into the component's bucket policy. */
    readonly bucketPolicyStatements: readonly aws.iam.PolicyStatement[];
    /** The bucket's own lifecycle rules, merged into the side's lifecycle configuration. */
    readonly lifecycleRules: readonly aws.types.input.s3.BucketLifecycleConfigurationRule[];
}

/** The arguments with defaults applied, in the shape the builders consume (a pair or a mesh). */
export interface ResolvedTopology extends ResolvedOptions {
    readonly namingPrefix: string;
    readonly sides: readonly ResolvedSide[];
    readonly tags: Record<string, string>;
    /** A mesh that took over a CrrPair of its name: which side keys were the pair's (aliases). */
    readonly grownFromPair?: GrownFromPair;
}

/** The name this code used before meshes: a pair is the two-sided topology. */
export type ResolvedPair = ResolvedTopology;

const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const show = (v: unknown) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v));

/**
 * The problem with `value` under `spec`, or undefined when it is acceptable (undefined is: defaults apply).
 * For an object option, only its shape (`true`, `false` or an object): {@link objectOptionProblems} checks
 * its fields.
 */
export function optionProblem(spec: AnyOptionSpec | AnyFieldSpec, value: unknown): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    switch (spec.kind) {
        case "object":
            return typeof value === "boolean" || (typeof value === "object" && value !== null && !Array.isArray(value))
                ? undefined
                : `must be true, false or an object of settings (${Object.keys(spec.fields).join(", ")}), got ${show(value)}`;
        case "boolean":
            return typeof value === "boolean" ? undefined : `must be true or false, got ${show(value)}`;
        case "integer":
            return isInteger(value) && value >= spec.min && value <= spec.max
                ? undefined
                : `must be a whole number from ${spec.min} to ${spec.max}, got ${show(value)}`;
        case "pattern":
            return typeof value === "string" && (value === "" || spec.pattern.test(value))
                ? undefined
                : `must be ${spec.patternDescription}, got ${show(value)}`;
        case "oneOf":
            return (spec.values as readonly unknown[]).includes(value)
                ? undefined
                : `must be one of ${spec.values.map(show).join(", ")}; got ${show(value)}`;
        case "list": {
            if (!Array.isArray(value)) {
                return `must be a list, each entry ${spec.itemDescription}; got ${show(value)}`;
            }
            const bad = value.filter((v) => typeof v !== "string" || !spec.item.test(v));
            return bad.length === 0 ? undefined : `must hold only entries that are each ${spec.itemDescription}; not: ${bad.map(show).join(", ")}`;
        }
    }
}

/**
 * Every problem with an object option's settings, each named by its path (`backup.continuousRetentionDays`):
 * unknown fields, each field against its spec, then the spec's checks of the fields together (run on the
 * resolved settings, only when every field is acceptable on its own).
 */
export function objectOptionProblems(option: string, spec: AnyOptionSpec, value: unknown): ArgProblem[] {
    if (spec.kind !== "object" || typeof value !== "object" || value === null || Array.isArray(value)) {
        return [];
    }
    const problems: ArgProblem[] = [];
    const given = value as Record<string, unknown>;
    for (const field of Object.keys(given)) {
        if (!(field in spec.fields)) {
            problems.push({ path: `${option}.${field}`, message: `is not a setting of ${option} (settings: ${Object.keys(spec.fields).join(", ")})` });
        }
    }
    for (const [field, fieldSpec] of Object.entries(spec.fields)) {
        const message = optionProblem(fieldSpec, given[field]);
        if (message !== undefined) {
            problems.push({ path: `${option}.${field}`, message });
        }
    }
    if (problems.length === 0 && spec.check) {
        const check = spec.check as (settings: unknown) => { field: string; message: string }[];
        for (const p of check(resolveObjectOption(spec, value))) {
            problems.push({ path: `${option}.${p.field}`, message: p.message });
        }
    }
    return problems;
}

/** Why a naming prefix is refused, or undefined when it is acceptable. */
export function namingPrefixProblem(prefix: unknown): string | undefined {
    if (typeof prefix !== "string" || !NAMING_PREFIX_PATTERN.test(prefix)) {
        return (
            "must be 5 to 40 characters: words of lowercase letters and digits joined by inner hyphens, " +
            `not an IP address (the lab's NamingPrefix rule), got ${show(prefix)}`
        );
    }
    if (prefix.includes(".")) {
        // The lab's pattern allows dots; S3 advises against them: a dotted bucket name breaks the wildcard
        // certificate of virtual-hosted-style HTTPS and cannot use Transfer Acceleration.
        return (
            `must not contain '.', got ${show(prefix)}: S3 advises against dots in bucket names (virtual-hosted-style ` +
            "HTTPS requests fail certificate validation and Transfer Acceleration is unavailable); use '-' instead"
        );
    }
    return undefined;
}

/** A side given as a bare provider, as its argument object (region from the provider). */
export function sideArgs(side: CrrSide | undefined): CrrSideArgs | undefined {
    if (side !== undefined && side !== null && aws.Provider.isInstance(side)) {
        return { provider: side };
    }
    return side as CrrSideArgs | undefined;
}

/** Child-name keys of mesh sides: lowercase letters, digits and inner hyphens, up to 24 characters. */
export const SIDE_KEY_PATTERN = /^[a-z0-9]([a-z0-9-]{0,22}[a-z0-9])?$/;

function checkSide(problems: ArgProblem[], path: string, raw: CrrSide | undefined, prefix: string | undefined, checkProvider: boolean) {
    const add = (where: string, message: string) => problems.push({ path: where, message });
    const side = sideArgs(raw);
    if (side === undefined || side === null || typeof side !== "object") {
        add(path, "is required: an aws.Provider, or { provider: aws.Provider, region?: string }");
        return;
    }
    if (checkProvider && !aws.Provider.isInstance(side.provider)) {
        add(`${path}.provider`, "must be an aws.Provider (every child is created with it explicitly)");
    }
    if (side.region !== undefined) {
        const regionMessage = regionProblem(side.region);
        if (regionMessage !== undefined) {
            add(`${path}.region`, regionMessage);
        } else if (prefix !== undefined) {
            for (const message of sideNameProblems(sideNames(prefix, side.region))) {
                add("namingPrefix", `with ${path}.region '${side.region}' the ${message}`);
            }
        }
    }
    if (side.existingBucket !== undefined) {
        const message = existingBucketProblem(side.existingBucket);
        if (message !== undefined) {
            add(`${path}.existingBucket`, message);
        }
        // A removal that empties the side's buckets cannot hold for a bucket the stack never deletes.
        if ((side as CrrMeshSideArgs).onRemoval === "empty") {
            add(
                `${path}.onRemoval`,
                "must not be 'empty' with existingBucket: the stack never deletes an adopted bucket or its objects; use 'retain'",
            );
        }
    }
    for (const p of [...policyStatementProblems(side.bucketPolicyStatements), ...lifecycleRuleProblems(side.lifecycleRules)]) {
        add(`${path}.${p.path}`, p.message);
    }
    for (const option of OPTION_KEYS) {
        if (OPTION_SPECS[option].perSide) {
            const message = optionProblem(OPTION_SPECS[option], (side as unknown as Record<string, unknown>)[option]);
            if (message !== undefined) {
                add(`${path}.${option}`, message);
            }
        }
    }
}

/** `<later>.region: must differ from <earlier>.region` for every region given twice. */
function distinctRegionProblems(paths: readonly string[], regions: readonly (string | undefined)[]): ArgProblem[] {
    const problems: ArgProblem[] = [];
    regions.forEach((region, i) => {
        const first = regions.findIndex((r) => r === region);
        if (typeof region === "string" && first < i) {
            problems.push({
                path: `${paths[i]}.region`,
                message: `must differ from ${paths[first]}.region ('${region}'): cross-region replication needs distinct regions`,
            });
        }
    });
    return problems;
}

/** `<later>.existingBucket: must differ from <earlier>.existingBucket` for a bucket adopted by two sides. */
function distinctBucketProblems(paths: readonly string[], buckets: readonly (string | undefined)[]): ArgProblem[] {
    return buckets.flatMap((bucket, i) => {
        const first = buckets.indexOf(bucket);
        return typeof bucket === "string" && first < i
            ? [{ path: `${paths[i]}.existingBucket`, message: `must differ from ${paths[first]}.existingBucket ('${bucket}'): each side replicates its own bucket` }]
            : [];
    });
}

/**
 * The checks that need a side's region, for a region read from its provider: the same messages as the
 * synchronous checks (the region known, the derived names valid, the regions distinct), for side `index`.
 */
export function deferredRegionProblems(prefix: string, paths: readonly string[], regions: readonly string[], index: number): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const region = regions[index];
    const regionMessage = regionProblem(region);
    if (regionMessage !== undefined) {
        problems.push({ path: `${paths[index]}.region`, message: `${regionMessage} (read from the provider)` });
    } else {
        for (const message of sideNameProblems(sideNames(prefix, region))) {
            problems.push({ path: "namingPrefix", message: `with ${paths[index]}.region '${region}' (read from the provider) the ${message}` });
        }
    }
    const first = regions.findIndex((r) => r === region);
    const duplicate = regions.findIndex((r, i) => r === region && i !== index);
    if (duplicate >= 0) {
        const other = first === index ? duplicate : first;
        problems.push({
            path: `${paths[index]}.region`,
            message: `must differ from ${paths[other]}.region ('${region}'): cross-region replication needs distinct regions (read from the providers)`,
        });
    }
    return problems;
}

/**
 * A side given as `{ provider, region }` whose provider is configured for another region (read from it once
 * known): refused, since the side's account facts, its IAM resources and the access point go through the
 * provider, while its regional resources would go to the region given.
 */
export function providerRegionProblems(path: string, given: string | undefined, fromProvider: string | undefined): ArgProblem[] {
    // A provider always reports its region; a test double that reports none (a consumer's own generic mocks)
    // leaves nothing to compare, and the region given stands.
    if (given === undefined || fromProvider === undefined || fromProvider === "" || given === fromProvider) {
        return [];
    }
    return [
        {
            path: `${path}.region`,
            message:
                `is '${given}', but its provider is configured for '${fromProvider}' (read from the provider): give the side a provider ` +
                "of its own region, or leave region out to take the provider's",
        },
    ];
}

function optionProblems(problems: ArgProblem[], values: Record<string, unknown>) {
    for (const option of OPTION_KEYS) {
        const spec = OPTION_SPECS[option];
        const message = optionProblem(spec, values[option]);
        if (message !== undefined) {
            problems.push({ path: option, message });
        } else if (spec.kind === "object") {
            problems.push(...objectOptionProblems(option, spec, values[option]));
        }
        if (message === undefined && values[option] !== undefined && spec.requires !== undefined) {
            const { option: other, value } = spec.requires;
            const actual = values[other] ?? OPTION_SPECS[other as keyof CrrPairOptions].default;
            if (actual !== value) {
                problems.push({ path: option, message: `applies only with ${other} ${show(value)} (got ${show(actual)})` });
            }
        }
    }
    // RTC requires metrics (S3 rejects RTC without them): the two switches cannot contradict each other.
    if (values.replicationTimeControl === true && values.replicationMetrics === false) {
        problems.push({ path: "replicationMetrics", message: "must not be false with replicationTimeControl true: S3 Replication Time Control requires replication metrics" });
    }
    if (values.tags !== undefined) {
        const entries = typeof values.tags === "object" && values.tags !== null ? Object.entries(values.tags) : undefined;
        if (entries === undefined || entries.some(([, v]) => typeof v !== "string")) {
            problems.push({ path: "tags", message: "must be an object of string values" });
        }
    }
}

/** A Multi-Region Access Point spans at most 17 Regions. */
export const MRAP_MAX_REGIONS = 17;

/**
 * Multi-Region Access Point names: 3 to 50 characters, lowercase letters, digits and hyphens, starting and
 * ending with a letter or digit; a name is unique in the account and can never change.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/multi-region-access-point-naming.html
 */
export const MRAP_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/;

/** The AWS page of the rules above, for messages. */
const NAMING_PAGE = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/multi-region-access-point-naming.html";

/**
 * Problems of the `accessPoint` option that need more than its own settings: the number of sides and the
 * access point's name (the naming prefix). Pure; called by the argument checks before anything is
 * registered.
 */
export function accessPointProblems(accessPoint: unknown, namingPrefix: unknown, sideCount: number): ArgProblem[] {
    if (accessPoint === undefined || accessPoint === false) {
        return [];
    }
    const problems: ArgProblem[] = [];
    if (sideCount > MRAP_MAX_REGIONS) {
        problems.push({ path: "accessPoint", message: `spans at most ${MRAP_MAX_REGIONS} regions, and there are ${sideCount} sides` });
    }
    if (typeof namingPrefix === "string" && !MRAP_NAME_PATTERN.test(namingPrefix)) {
        problems.push({
            path: "accessPoint",
            message: `is named as namingPrefix, '${namingPrefix}', which is not a Multi-Region Access Point name (3-50 lowercase letters, digits and inner hyphens; ${NAMING_PAGE})`,
        });
    }
    return problems;
}

/** Options of {@link crrPairArgProblems}. */
export interface ProblemOptions {
    /**
     * Check that each side's `provider` is an `aws.Provider`. A program validating its configuration
     * before it creates the providers turns this off.
     * @default true
     */
    readonly checkProviders?: boolean;
}

/**
 * Every problem with `args`, collected so that one error lists them all. Pure: registers nothing.
 */
export function crrPairArgProblems(args: CrrPairArgs, options: ProblemOptions = {}): ArgProblem[] {
    const problems: ArgProblem[] = [];
    if (args === undefined || args === null || typeof args !== "object") {
        return [{ path: "args", message: "are required: { namingPrefix, primary, secondary, ... }" }];
    }
    const prefixMessage = namingPrefixProblem(args.namingPrefix);
    if (prefixMessage !== undefined) {
        problems.push({ path: "namingPrefix", message: prefixMessage });
    }
    for (const key of SIDE_KEYS) {
        checkSide(problems, key, args[key], prefixMessage === undefined ? args.namingPrefix : undefined, options.checkProviders ?? true);
    }
    problems.push(...distinctRegionProblems(SIDE_KEYS, SIDE_KEYS.map((k) => sideArgs(args[k])?.region)));
    problems.push(...distinctBucketProblems(SIDE_KEYS, SIDE_KEYS.map((k) => sideArgs(args[k])?.existingBucket)));
    optionProblems(problems, args as unknown as Record<string, unknown>);
    problems.push(...accessPointProblems(args.accessPoint, args.namingPrefix, SIDE_KEYS.length));
    return problems;
}

/** S3 accepts up to 1,000 rules in one replication configuration: a mesh side has one per other side. */
export const MAX_RULES_PER_CONFIGURATION = 1000;

/** The key of mesh side `index`: as given, else its region when given, else `side<n>`. */
export function meshSideKey(side: CrrMeshSide, index: number): string {
    const a = sideArgs(side) as CrrMeshSideArgs | undefined;
    return a?.key ?? a?.region ?? `side${index + 1}`;
}

/** Every problem with a CrrMesh's `args`. Pure: registers nothing. */
export function crrMeshArgProblems(args: CrrMeshArgs, options: ProblemOptions = {}): ArgProblem[] {
    const problems: ArgProblem[] = [];
    if (args === undefined || args === null || typeof args !== "object") {
        return [{ path: "args", message: "are required: { namingPrefix, sides, ... }" }];
    }
    const prefixMessage = namingPrefixProblem(args.namingPrefix);
    if (prefixMessage !== undefined) {
        problems.push({ path: "namingPrefix", message: prefixMessage });
    }
    const sides = Array.isArray(args.sides) ? args.sides : undefined;
    if (sides === undefined || sides.length < 2 || sides.length > MAX_RULES_PER_CONFIGURATION + 1) {
        problems.push({
            path: "sides",
            message:
                `must be a list of 2 to ${MAX_RULES_PER_CONFIGURATION + 1} sides (each side's replication configuration holds one rule ` +
                `per other side, and S3 accepts up to ${MAX_RULES_PER_CONFIGURATION}), got ${sides === undefined ? show(args.sides) : `${sides.length}`}`,
        });
    }
    const list = sides ?? [];
    const paths = list.map((_, i) => `sides[${i}]`);
    list.forEach((side, i) => checkSide(problems, paths[i], side, prefixMessage === undefined ? args.namingPrefix : undefined, options.checkProviders ?? true));
    const keys = list.map(meshSideKey);
    keys.forEach((key, i) => {
        if (!SIDE_KEY_PATTERN.test(key)) {
            problems.push({ path: `${paths[i]}.key`, message: `must be 1 to 24 lowercase letters, digits and inner hyphens, got ${show(key)}` });
        } else if (keys.indexOf(key) < i) {
            problems.push({ path: `${paths[i]}.key`, message: `must be unique in the mesh: '${key}' is also ${paths[keys.indexOf(key)]}'s key` });
        }
    });
    problems.push(...distinctRegionProblems(paths, list.map((s) => sideArgs(s)?.region)));
    problems.push(...distinctBucketProblems(paths, list.map((s) => sideArgs(s)?.existingBucket)));
    problems.push(...growthProblems(list, keys, args.grownFromPair));
    optionProblems(problems, args as unknown as Record<string, unknown>);
    problems.push(...accessPointProblems(args.accessPoint, args.namingPrefix, list.length));
    return problems;
}

/** The values of a mesh side's `onRemoval`. */
export const SIDE_REMOVALS: readonly SideRemoval[] = ["retain", "empty"];

/**
 * Problems of the arguments that carry a mesh's history: each side's `formerKeys` (keys, none another side's
 * key now: two resources cannot hold one alias), its `onRemoval`, and `grownFromPair` (keys of two sides).
 */
function growthProblems(sides: readonly CrrMeshSide[], keys: readonly string[], grown: GrownFromPair | undefined): ArgProblem[] {
    const problems: ArgProblem[] = [];
    sides.forEach((raw, i) => {
        const side = sideArgs(raw) as CrrMeshSideArgs | undefined;
        const former = side?.formerKeys;
        if (former !== undefined && (!Array.isArray(former) || former.some((k) => typeof k !== "string" || !SIDE_KEY_PATTERN.test(k)))) {
            problems.push({ path: `sides[${i}].formerKeys`, message: `must be a list of keys (1 to 24 lowercase letters, digits and inner hyphens), got ${show(former)}` });
        } else {
            for (const k of former ?? []) {
                const holder = keys.indexOf(k);
                if (holder >= 0 && holder !== i) {
                    problems.push({ path: `sides[${i}].formerKeys`, message: `names '${k}', which is sides[${holder}]'s key now: a former key must belong to no other side` });
                }
            }
        }
        if (side?.onRemoval !== undefined && !SIDE_REMOVALS.includes(side.onRemoval)) {
            problems.push({ path: `sides[${i}].onRemoval`, message: `must be one of ${SIDE_REMOVALS.map(show).join(", ")}; got ${show(side.onRemoval)}` });
        }
    });
    if (grown !== undefined) {
        if (grown === null || typeof grown !== "object") {
            problems.push({ path: "grownFromPair", message: `must be { primary?: <side key>, secondary?: <side key> }, got ${show(grown)}` });
            return problems;
        }
        for (const role of ["primary", "secondary"] as const) {
            const key = grown[role];
            if (key !== undefined && !keys.includes(key)) {
                problems.push({ path: `grownFromPair.${role}`, message: `must be the key of one of the sides (${keys.join(", ")}), got ${show(key)}` });
            }
        }
        if (grown.primary !== undefined && grown.primary === grown.secondary) {
            problems.push({ path: "grownFromPair.secondary", message: `must differ from grownFromPair.primary ('${grown.primary}'): the pair had two sides` });
        }
    }
    return problems;
}

function resolveOptions(args: CrrPairOptions): ResolvedOptions {
    return Object.fromEntries(
        OPTION_KEYS.map((k) => [k, OPTION_SPECS[k].kind === "object" ? resolveObjectOption(OPTION_SPECS[k], args[k]) : (args[k] ?? DEFAULTS[k])]),
    ) as unknown as ResolvedOptions;
}

function resolveSide(key: string, path: string, raw: CrrSide, options: ResolvedOptions): ResolvedSide {
    const side = sideArgs(raw)!;
    const own = side as unknown as Record<string, unknown>;
    const perSide = OPTION_KEYS.filter((k) => OPTION_SPECS[k].perSide);
    const overrides = Object.fromEntries(perSide.map((k) => [k, own[k] ?? options[k]]));
    return {
        ...(overrides as Pick<ResolvedOptions, SideOptionKey>),
        key,
        path,
        provider: side.provider,
        ...(side.region === undefined ? {} : { givenRegion: side.region }),
        ...(side.notifications === undefined ? {} : { notifications: side.notifications }),
        ...(side.existingBucket === undefined ? {} : { existingBucket: side.existingBucket }),
        bucketPolicyStatements: [...(side.bucketPolicyStatements ?? [])],
        lifecycleRules: [...(side.lifecycleRules ?? [])],
        formerKeys: [],
    };
}

/**
 * The keys a mesh side's children were named under before: its `formerKeys`, and for a side keyed by its
 * region (no key given) `side<position>`, its key while the region came from the provider, unless a side
 * of the mesh holds that key now.
 */
export function meshFormerKeys(sides: readonly CrrMeshSide[], index: number): string[] {
    const side = sideArgs(sides[index]) as CrrMeshSideArgs;
    const positional = `side${index + 1}`;
    const keys = sides.map(meshSideKey);
    const learnt = side.key === undefined && side.region !== undefined && !keys.includes(positional) ? [positional] : [];
    return [...new Set([...(side.formerKeys ?? []), ...learnt])].filter((k) => k !== keys[index]);
}

/** Validates `args` (throwing {@link CrrPairArgsError} with every problem) and applies the defaults. */
export function resolveCrrPairArgs(args: CrrPairArgs): ResolvedTopology {
    const problems = crrPairArgProblems(args);
    if (problems.length > 0) {
        throw new CrrPairArgsError(problems);
    }
    const options = resolveOptions(args);
    const sides = SIDE_KEYS.map((key) => resolveSide(key, key, args[key], options));
    return { ...options, namingPrefix: args.namingPrefix, sides, tags: { ...(args.tags ?? {}) } };
}

/** Validates a CrrMesh's `args` (throwing {@link CrrPairArgsError} naming CrrMesh) and applies the defaults. */
export function resolveCrrMeshArgs(args: CrrMeshArgs): ResolvedTopology {
    const problems = crrMeshArgProblems(args);
    if (problems.length > 0) {
        throw new CrrPairArgsError(problems, "CrrMesh");
    }
    const options = resolveOptions(args);
    const sides = args.sides.map((side, i): ResolvedSide => {
        const onRemoval = (sideArgs(side) as CrrMeshSideArgs).onRemoval;
        return {
            ...resolveSide(meshSideKey(side, i), `sides[${i}]`, side, options),
            formerKeys: meshFormerKeys(args.sides, i),
            ...(onRemoval === undefined ? {} : { onRemoval }),
        };
    });
    return {
        ...options,
        namingPrefix: args.namingPrefix,
        sides,
        tags: { ...(args.tags ?? {}) },
        ...(args.grownFromPair === undefined ? {} : { grownFromPair: { ...args.grownFromPair } }),
    };
}
