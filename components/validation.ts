import * as aws from "./aws";
import { NAMING_PREFIX_PATTERN, REGION_PATTERN, sideNameProblems, sideNames } from "./naming";
import { CrrPairArgs, CrrSideArgs, EncryptionMode, ReplicaStorageClass } from "./types";

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

export const ENCRYPTION_MODES: readonly EncryptionMode[] = ["AES256", "aws:kms"];

export const REPLICA_STORAGE_CLASSES: readonly ReplicaStorageClass[] = [
    "STANDARD",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
    "REDUCED_REDUNDANCY",
];

/**
 * Retention values CloudWatch Logs accepts (`PutRetentionPolicy`); 0 means "never expire".
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
    3653,
];

/** The names the pair gives its two sides; they also name the child resources. */
export const SIDE_KEYS = ["primary", "secondary"] as const;
export type SideKey = (typeof SIDE_KEYS)[number];

/** A side with every option resolved: the unit the rest of the component works on. */
export interface ResolvedSide {
    readonly key: string;
    readonly provider: aws.Provider;
    readonly region: string;
    readonly replicaStorageClass: ReplicaStorageClass;
    readonly logRetentionDays: number;
    readonly logFileExpirationDays: number;
}

/** The arguments with defaults applied, in the shape the builders consume. */
export interface ResolvedPair {
    readonly namingPrefix: string;
    readonly sides: readonly ResolvedSide[];
    readonly encryption: EncryptionMode;
    readonly kmsKeyDeletionWindowInDays: number;
    readonly deleteMarkerReplication: boolean;
    readonly replicaModificationSync: boolean;
    readonly replicationTimeControl: boolean;
    readonly logNoncurrentVersionExpirationDays: number;
    readonly forceDestroy: boolean;
    readonly tags: Record<string, string>;
}

export const DEFAULTS = {
    encryption: "AES256" as EncryptionMode,
    kmsKeyDeletionWindowInDays: 30,
    deleteMarkerReplication: false,
    replicaModificationSync: true,
    replicationTimeControl: false,
    replicaStorageClass: "STANDARD" as ReplicaStorageClass,
    logRetentionDays: 30,
    logFileExpirationDays: 365,
    logNoncurrentVersionExpirationDays: 30,
    forceDestroy: false,
};

const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const show = (v: unknown) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v));

class ProblemList {
    readonly items: ArgProblem[] = [];
    add(path: string, message: string) {
        this.items.push({ path, message });
    }
    optionalBoolean(path: string, value: unknown) {
        if (value !== undefined && typeof value !== "boolean") {
            this.add(path, `must be true or false, got ${show(value)}`);
        }
    }
    optionalIntegerIn(path: string, value: unknown, min: number, max: number) {
        if (value !== undefined && (!isInteger(value) || value < min || value > max)) {
            this.add(path, `must be a whole number from ${min} to ${max}, got ${show(value)}`);
        }
    }
    optionalOneOf(path: string, value: unknown, allowed: readonly (string | number)[]) {
        if (value !== undefined && !allowed.includes(value as string | number)) {
            this.add(path, `must be one of ${allowed.map(show).join(", ")}; got ${show(value)}`);
        }
    }
}

function checkSide(
    problems: ProblemList,
    key: string,
    side: CrrSideArgs | undefined,
    prefix: string | undefined,
    checkProvider: boolean,
) {
    if (side === undefined || side === null || typeof side !== "object") {
        problems.add(key, "is required: { provider: aws.Provider, region: string }");
        return;
    }
    if (checkProvider && !aws.Provider.isInstance(side.provider)) {
        problems.add(`${key}.provider`, "must be an aws.Provider (every child is created with it explicitly)");
    }
    if (typeof side.region !== "string" || !REGION_PATTERN.test(side.region)) {
        problems.add(`${key}.region`, `must be an AWS region code such as 'us-east-2', got ${show(side.region)}`);
    } else if (prefix !== undefined) {
        for (const message of sideNameProblems(sideNames(prefix, side.region))) {
            problems.add("namingPrefix", `with ${key}.region '${side.region}' the ${message}`);
        }
    }
    problems.optionalOneOf(`${key}.replicaStorageClass`, side.replicaStorageClass, REPLICA_STORAGE_CLASSES);
    problems.optionalOneOf(`${key}.logRetentionDays`, side.logRetentionDays, LOG_RETENTION_DAYS);
    problems.optionalIntegerIn(`${key}.logFileExpirationDays`, side.logFileExpirationDays, 1, 36500);
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
    const problems = new ProblemList();
    if (args === undefined || args === null || typeof args !== "object") {
        problems.add("args", "are required: { namingPrefix, primary, secondary, ... }");
        return problems.items;
    }
    const prefix = args.namingPrefix;
    const prefixOk = typeof prefix === "string" && NAMING_PREFIX_PATTERN.test(prefix);
    if (!prefixOk) {
        problems.add(
            "namingPrefix",
            "must be 5 to 40 characters: dot-separated labels of lowercase letters, digits and inner hyphens, " +
                `not an IP address (the lab's NamingPrefix rule), got ${show(prefix)}`,
        );
    }
    for (const key of SIDE_KEYS) {
        checkSide(problems, key, args[key], prefixOk ? prefix : undefined, options.checkProviders ?? true);
    }
    const regions = SIDE_KEYS.map((k) => args[k]?.region);
    if (typeof regions[0] === "string" && regions[0] === regions[1]) {
        problems.add(
            "secondary.region",
            `must differ from primary.region ('${regions[0]}'): cross-region replication needs two regions`,
        );
    }
    problems.optionalOneOf("encryption", args.encryption, ENCRYPTION_MODES);
    problems.optionalIntegerIn("kmsKeyDeletionWindowInDays", args.kmsKeyDeletionWindowInDays, 7, 30);
    if (args.kmsKeyDeletionWindowInDays !== undefined && (args.encryption ?? DEFAULTS.encryption) !== "aws:kms") {
        problems.add("kmsKeyDeletionWindowInDays", "applies only with encryption 'aws:kms' (no key is created otherwise)");
    }
    problems.optionalBoolean("deleteMarkerReplication", args.deleteMarkerReplication);
    problems.optionalBoolean("replicaModificationSync", args.replicaModificationSync);
    problems.optionalBoolean("replicationTimeControl", args.replicationTimeControl);
    problems.optionalBoolean("forceDestroy", args.forceDestroy);
    problems.optionalOneOf("replicaStorageClass", args.replicaStorageClass, REPLICA_STORAGE_CLASSES);
    problems.optionalOneOf("logRetentionDays", args.logRetentionDays, LOG_RETENTION_DAYS);
    problems.optionalIntegerIn("logFileExpirationDays", args.logFileExpirationDays, 1, 36500);
    problems.optionalIntegerIn("logNoncurrentVersionExpirationDays", args.logNoncurrentVersionExpirationDays, 1, 36500);
    if (args.tags !== undefined) {
        const entries = typeof args.tags === "object" && args.tags !== null ? Object.entries(args.tags) : undefined;
        if (entries === undefined || entries.some(([, v]) => typeof v !== "string")) {
            problems.add("tags", "must be an object of string values");
        }
    }
    return problems.items;
}

/** Validates `args` (throwing {@link CrrPairArgsError} with every problem) and applies the defaults. */
export function resolveCrrPairArgs(args: CrrPairArgs): ResolvedPair {
    const problems = crrPairArgProblems(args);
    if (problems.length > 0) {
        throw new CrrPairArgsError(problems);
    }
    const sides = SIDE_KEYS.map(
        (key): ResolvedSide => ({
            key,
            provider: args[key].provider,
            region: args[key].region,
            replicaStorageClass:
                args[key].replicaStorageClass ?? args.replicaStorageClass ?? DEFAULTS.replicaStorageClass,
            logRetentionDays: args[key].logRetentionDays ?? args.logRetentionDays ?? DEFAULTS.logRetentionDays,
            logFileExpirationDays:
                args[key].logFileExpirationDays ?? args.logFileExpirationDays ?? DEFAULTS.logFileExpirationDays,
        }),
    );
    return {
        namingPrefix: args.namingPrefix,
        sides,
        encryption: args.encryption ?? DEFAULTS.encryption,
        kmsKeyDeletionWindowInDays: args.kmsKeyDeletionWindowInDays ?? DEFAULTS.kmsKeyDeletionWindowInDays,
        deleteMarkerReplication: args.deleteMarkerReplication ?? DEFAULTS.deleteMarkerReplication,
        replicaModificationSync: args.replicaModificationSync ?? DEFAULTS.replicaModificationSync,
        replicationTimeControl: args.replicationTimeControl ?? DEFAULTS.replicationTimeControl,
        logNoncurrentVersionExpirationDays:
            args.logNoncurrentVersionExpirationDays ?? DEFAULTS.logNoncurrentVersionExpirationDays,
        forceDestroy: args.forceDestroy ?? DEFAULTS.forceDestroy,
        tags: { ...(args.tags ?? {}) },
    };
}
