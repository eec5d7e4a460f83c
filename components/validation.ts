import * as aws from "./aws";
import { NAMING_PREFIX_PATTERN, sideNameProblems, sideNames } from "./naming";
import {
    CrrPairOptions,
    DEFAULTS,
    OPTION_KEYS,
    OPTION_SPECS,
    AnyOptionSpec,
    ResolvedOptions,
    SIDE_KEYS,
    SideKey,
    SideOptionKey,
} from "./options";
import { regionProblem } from "./regions";
import { CrrPairArgs, CrrSideArgs } from "./types";

export {
    DEFAULTS,
    ENCRYPTION_MODES,
    LOG_RETENTION_DAYS,
    OPTION_KEYS,
    OPTION_SPECS,
    REPLICA_STORAGE_CLASSES,
    SIDE_KEYS,
} from "./options";
export type { SideKey } from "./options";

/** One thing wrong with the arguments: which argument (a dotted path) and what is allowed. */
export interface ArgProblem {
    readonly path: string;
    readonly message: string;
}

/** Thrown by {@link CrrPair} before any resource is registered when its arguments are not acceptable. */
export class CrrPairArgsError extends Error {
    constructor(readonly problems: readonly ArgProblem[]) {
        super(
            `Invalid CrrPair arguments:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`,
        );
        this.name = "CrrPairArgsError";
    }
}

/** A side with every option resolved: the unit the rest of the component works on. */
export interface ResolvedSide extends Readonly<Pick<ResolvedOptions, SideOptionKey>> {
    readonly key: string;
    readonly provider: aws.Provider;
    readonly region: string;
}

/** The arguments with defaults applied, in the shape the builders consume. */
export interface ResolvedPair extends ResolvedOptions {
    readonly namingPrefix: string;
    readonly sides: readonly ResolvedSide[];
    readonly tags: Record<string, string>;
}

const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const show = (v: unknown) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v));

/** The problem with `value` under `spec`, or undefined when it is acceptable (undefined is: defaults apply). */
export function optionProblem(spec: AnyOptionSpec, value: unknown): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    switch (spec.kind) {
        case "boolean":
            return typeof value === "boolean" ? undefined : `must be true or false, got ${show(value)}`;
        case "integer":
            return isInteger(value) && value >= spec.min && value <= spec.max
                ? undefined
                : `must be a whole number from ${spec.min} to ${spec.max}, got ${show(value)}`;
        case "oneOf":
            return (spec.values as readonly unknown[]).includes(value)
                ? undefined
                : `must be one of ${spec.values.map(show).join(", ")}; got ${show(value)}`;
    }
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

function checkSide(problems: ArgProblem[], key: SideKey, side: CrrSideArgs | undefined, prefix: string | undefined, checkProvider: boolean) {
    const add = (path: string, message: string) => problems.push({ path, message });
    if (side === undefined || side === null || typeof side !== "object") {
        add(key, "is required: { provider: aws.Provider, region: string }");
        return;
    }
    if (checkProvider && !aws.Provider.isInstance(side.provider)) {
        add(`${key}.provider`, "must be an aws.Provider (every child is created with it explicitly)");
    }
    const regionMessage = regionProblem(side.region);
    if (regionMessage !== undefined) {
        add(`${key}.region`, regionMessage);
    } else if (prefix !== undefined) {
        for (const message of sideNameProblems(sideNames(prefix, side.region))) {
            add("namingPrefix", `with ${key}.region '${side.region}' the ${message}`);
        }
    }
    for (const option of OPTION_KEYS) {
        if (OPTION_SPECS[option].perSide) {
            const message = optionProblem(OPTION_SPECS[option], (side as unknown as Record<string, unknown>)[option]);
            if (message !== undefined) {
                add(`${key}.${option}`, message);
            }
        }
    }
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
    const add = (path: string, message: string) => problems.push({ path, message });
    if (args === undefined || args === null || typeof args !== "object") {
        add("args", "are required: { namingPrefix, primary, secondary, ... }");
        return problems;
    }
    const prefixMessage = namingPrefixProblem(args.namingPrefix);
    if (prefixMessage !== undefined) {
        add("namingPrefix", prefixMessage);
    }
    for (const key of SIDE_KEYS) {
        checkSide(problems, key, args[key], prefixMessage === undefined ? args.namingPrefix : undefined, options.checkProviders ?? true);
    }
    const regions = SIDE_KEYS.map((k) => args[k]?.region);
    if (typeof regions[0] === "string" && regions[0] === regions[1]) {
        add("secondary.region", `must differ from primary.region ('${regions[0]}'): cross-region replication needs two regions`);
    }
    const values = args as unknown as Record<string, unknown>;
    for (const option of OPTION_KEYS) {
        const spec = OPTION_SPECS[option];
        const message = optionProblem(spec, values[option]);
        if (message !== undefined) {
            add(option, message);
        } else if (values[option] !== undefined && spec.requires !== undefined) {
            const { option: other, value } = spec.requires;
            const actual = values[other] ?? OPTION_SPECS[other as keyof CrrPairOptions].default;
            if (actual !== value) {
                add(option, `applies only with ${other} ${show(value)} (got ${show(actual)})`);
            }
        }
    }
    if (args.tags !== undefined) {
        const entries = typeof args.tags === "object" && args.tags !== null ? Object.entries(args.tags) : undefined;
        if (entries === undefined || entries.some(([, v]) => typeof v !== "string")) {
            add("tags", "must be an object of string values");
        }
    }
    return problems;
}

/** Validates `args` (throwing {@link CrrPairArgsError} with every problem) and applies the defaults. */
export function resolveCrrPairArgs(args: CrrPairArgs): ResolvedPair {
    const problems = crrPairArgProblems(args);
    if (problems.length > 0) {
        throw new CrrPairArgsError(problems);
    }
    const resolved = Object.fromEntries(OPTION_KEYS.map((k) => [k, args[k] ?? DEFAULTS[k]])) as unknown as ResolvedOptions;
    const perSide = OPTION_KEYS.filter((k) => OPTION_SPECS[k].perSide);
    const sides = SIDE_KEYS.map((key): ResolvedSide => {
        const own = args[key] as unknown as Record<string, unknown>;
        const overrides = Object.fromEntries(perSide.map((k) => [k, own[k] ?? resolved[k]]));
        return { ...(overrides as Pick<ResolvedOptions, SideOptionKey>), key, provider: args[key].provider, region: args[key].region };
    });
    return { ...resolved, namingPrefix: args.namingPrefix, sides, tags: { ...(args.tags ?? {}) } };
}
