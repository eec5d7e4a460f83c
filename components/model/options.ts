import type { CrrPairOptions } from "./types";
import {
    ACCESS_POINT_ROUTINGS,
    BACKUP_SCHEDULE_NAMES,
    CONTINUOUS_BACKUP_MAX_DAYS,
    DEFAULT_ROUTES_REGION,
    ENCRYPTION_MODES,
    LOG_RETENTION_DAYS,
    MRAP_ROUTE_REGIONS,
    PERMISSIONS_BOUNDARY_PATTERN,
    REPLICA_STORAGE_CLASSES,
    VAULT_LOCK_MODES,
} from "./values";

export type { CrrPairOptions };

/**
 * The table of CrrPair's options ({@link OPTION_SPECS}): kind, allowed values (from `values.ts`), default
 * and a one-line description. Every face of an option comes from it or is tested against it:
 * - derived: validation, the defaults, the program's stack configuration keys (program/settings.ts);
 * - written by `npm run docs` (program/docs.ts): Pulumi.yaml's config declarations, README.md's
 *   configuration table, the package README's options table (a test fails when one is stale);
 * - tested, as they cannot be derived: the field and its `@default` in `types.ts` (the compiler also demands
 *   an entry here for every field), and the multi-language plugin's hand-written args (name, type, stated
 *   default; packages/crr-pair-plugin, whose schema analyzer reads TypeScript types).
 * Adding an option therefore means its field in `types.ts`, its entry here, its arg in the plugin, and the
 * builder that uses it; `npm run docs` does the rest.
 */

interface SpecBase<T> {
    readonly default: T;
    /** One line, for the stack configuration's declaration and the README's table. */
    readonly description: string;
    /** Each side may override the pair's value (`primary.<option>`). */
    readonly perSide?: boolean;
    /** The option is accepted only when another option has this value (e.g. a key's window needs a key). */
    readonly requires?: { readonly option: string; readonly value: string | boolean };
}

/** How one field of an object option is checked, and what it defaults to. */
export type FieldSpec<T> = [T] extends [boolean]
    ? { readonly kind: "boolean"; readonly default: boolean; readonly description: string }
    : [T] extends [number]
      ? { readonly kind: "integer"; readonly min: number; readonly max: number; readonly default: number; readonly description: string }
      : [T] extends [string]
        ? { readonly kind: "oneOf"; readonly values: readonly T[]; readonly default: T; readonly description: string }
        : never;

/** Any field's spec, for code that walks an object option's fields. */
export type AnyFieldSpec =
    | { readonly kind: "boolean"; readonly default: boolean; readonly description: string }
    | { readonly kind: "integer"; readonly min: number; readonly max: number; readonly default: number; readonly description: string }
    | { readonly kind: "oneOf"; readonly values: readonly (string | number)[]; readonly default: string | number; readonly description: string };

/** An object option's settings with every field's default applied. */
export type ResolvedSettings<O> = { readonly [F in keyof O]-?: NonNullable<O[F]> };

/** A problem with the combination of an object option's fields: the field it names and what is allowed. */
export interface FieldProblem {
    readonly field: string;
    readonly message: string;
}

/**
 * An option that takes `true` (its documented defaults), `false` (off) or an object of settings (each field
 * defaulted from `fields`). `default` says whether the option is on when not given; `check` sees the
 * resolved settings and reports what the fields allow only together (a minimum above a maximum).
 */
export type ObjectOptionSpec<O> = SpecBase<boolean> & {
    readonly kind: "object";
    readonly fields: { readonly [F in keyof O]-?: FieldSpec<NonNullable<O[F]>> };
    readonly check?: (settings: ResolvedSettings<O>) => FieldProblem[];
};

/** How one option is checked, and what it defaults to. */
export type OptionSpec<T> = [T] extends [readonly string[]]
    ? SpecBase<readonly string[]> & { readonly kind: "list"; readonly item: RegExp; readonly itemDescription: string }
    : [Extract<T, object>] extends [never]
      ? ScalarOptionSpec<T>
      : ObjectOptionSpec<Extract<T, object>>;

type ScalarOptionSpec<T> = [T] extends [boolean]
    ? SpecBase<boolean> & { readonly kind: "boolean" }
    : [T] extends [string]
      ? (SpecBase<T> & { readonly kind: "oneOf"; readonly values: readonly T[] }) | PatternOptionSpec
      : [T] extends [number]
        ?
              | (SpecBase<number> & { readonly kind: "oneOf"; readonly values: readonly number[] })
              | (SpecBase<number> & { readonly kind: "integer"; readonly min: number; readonly max: number })
        : never;

/**
 * A free-form string checked against `pattern` (a policy ARN or name); the empty string, its default,
 * stands for "not set" (a stack configuration key cannot hold an absent value).
 */
export type PatternOptionSpec = SpecBase<string> & { readonly kind: "pattern"; readonly pattern: RegExp; readonly patternDescription: string };

/** Options every side may override. */
export type SideOptionKey = "replicaStorageClass" | "logRetentionDays" | "logFileExpirationDays";

/** Any option's spec, for code that walks the table. */
export type AnyOptionSpec =
    | (SpecBase<boolean> & { readonly kind: "boolean" })
    | (SpecBase<string | number> & { readonly kind: "oneOf"; readonly values: readonly (string | number)[] })
    | (SpecBase<number> & { readonly kind: "integer"; readonly min: number; readonly max: number })
    | PatternOptionSpec
    | (SpecBase<readonly string[]> & { readonly kind: "list"; readonly item: RegExp; readonly itemDescription: string })
    | (SpecBase<boolean> & {
          readonly kind: "object";
          readonly fields: Readonly<Record<string, AnyFieldSpec>>;
          readonly check?: (settings: never) => FieldProblem[];
      });

type Specs = { readonly [K in keyof CrrPairOptions]-?: OptionSpec<NonNullable<CrrPairOptions[K]>> };

const list = (values: readonly (string | number)[]) => values.join(", ");

/** Every option of CrrPair: the one place an option's kind, allowed values and default are declared. */
export const OPTION_SPECS: Specs = {
    encryption: {
        kind: "oneOf",
        values: ENCRYPTION_MODES,
        default: "AES256",
        description: `Default encryption of the replicated buckets: ${list(ENCRYPTION_MODES)} (aws:kms creates a rotating customer key per region, which then also encrypts the trails' log files and log groups).`,
    },
    kmsKeyDeletionWindowInDays: {
        kind: "integer",
        min: 7,
        max: 30,
        default: 30,
        requires: { option: "encryption", value: "aws:kms" },
        description: "Waiting period (7-30 days) before a deleted KMS key is gone; used only with encryption aws:kms.",
    },
    deleteMarkerReplication: {
        kind: "boolean",
        default: false,
        description: "Replicate delete markers. Off by default so a deletion in one region cannot hide the DR copy.",
    },
    replicaModificationSync: {
        kind: "boolean",
        default: true,
        description: "Sync tag, ACL and Object Lock changes made on replicas back to the source (both rules).",
    },
    replicationTimeControl: {
        kind: "boolean",
        default: false,
        description: "S3 Replication Time Control (15-minute SLA) with replication metrics and their 15-minute threshold; billed per GB replicated.",
    },
    replicationMetrics: {
        kind: "boolean",
        default: true,
        description: "S3 Replication metrics per rule (latency, pending bytes and operations, failed operations) without RTC; CloudWatch metrics are billed.",
    },
    alarms: {
        kind: "boolean",
        default: true,
        description:
            "With metrics on: per rule CloudWatch alarms (failed operations, latency over rpoSeconds, optional backlog), an encrypted SNS topic per side, replication failure events, a dashboard.",
    },
    rpoSeconds: {
        kind: "integer",
        min: 60,
        max: 86400,
        default: 900,
        description: "Recovery point objective in seconds: the ReplicationLatency alarm threshold (900 = the RTC bound).",
    },
    rtoSeconds: {
        kind: "integer",
        min: 60,
        max: 604800,
        default: 3600,
        description:
            "Recovery time objective in seconds: how long a failover may take until reads are served from the other region; npm run drill measures it against this value (a stack output, nothing is deployed for it).",
    },
    backlogAlarmBytes: {
        kind: "integer",
        min: 0,
        max: 1e15,
        default: 0,
        description: "Alarm when BytesPendingReplication exceeds this many bytes; 0 = no backlog alarm.",
    },
    alarmEmails: {
        kind: "list",
        item: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
        itemDescription: "an email address",
        default: [],
        description: "Email addresses subscribed to each side's alerts topic (each must confirm the subscription AWS mails).",
    },
    eventBridgeNotifications: {
        kind: "boolean",
        default: false,
        description: "Also send the replicated buckets' S3 events to Amazon EventBridge (the bucket notification's eventbridge flag).",
    },
    replicaStorageClass: {
        kind: "oneOf",
        values: REPLICA_STORAGE_CLASSES,
        default: "STANDARD",
        perSide: true,
        description: `Storage class of replicas: ${list(REPLICA_STORAGE_CLASSES)}.`,
    },
    logRetentionDays: {
        kind: "oneOf",
        values: LOG_RETENTION_DAYS,
        default: 30,
        perSide: true,
        description: `Retention of the CloudTrail log groups in days: ${list(LOG_RETENTION_DAYS)} (0 = forever).`,
    },
    logFileExpirationDays: {
        kind: "integer",
        min: 1,
        max: 36500,
        default: 365,
        perSide: true,
        description: "Days after which log files (CloudTrail and S3 access logs) in the logging buckets expire.",
    },
    logNoncurrentVersionExpirationDays: {
        kind: "integer",
        min: 1,
        max: 36500,
        default: 30,
        description: "Days after which noncurrent versions of log files are removed for good.",
    },
    accessLogging: {
        kind: "boolean",
        default: true,
        description: "S3 server access logging of each replicated bucket into its region's logging bucket (reads are audited too).",
    },
    versionLifecycle: {
        kind: "object",
        default: true,
        description:
            "Lifecycle on each replicated bucket: noncurrent versions expire, expired delete markers are removed, incomplete multipart uploads are aborted.",
        fields: {
            // S3 takes any positive number of days; the upper bound is the one the logging buckets' rules use.
            noncurrentVersionExpirationDays: {
                kind: "integer",
                min: 1,
                max: 36500,
                default: 90,
                description: "Days a noncurrent version is kept before S3 removes it for good.",
            },
            abortIncompleteMultipartUploadDays: {
                kind: "integer",
                min: 1,
                max: 36500,
                default: 7,
                description: "Days after which an incomplete multipart upload is aborted.",
            },
        },
    },
    backup: {
        kind: "object",
        default: false,
        description:
            "Point-in-time backups of each replicated bucket with AWS Backup (continuous and periodic, snapshots copied to the other regions). S3 must be opted in to AWS Backup per region.",
        fields: {
            continuousRetentionDays: {
                kind: "integer",
                min: 1,
                max: CONTINUOUS_BACKUP_MAX_DAYS,
                default: CONTINUOUS_BACKUP_MAX_DAYS,
                description: "Days of point-in-time restore (continuous backups), 1-35.",
            },
            snapshotRetentionDays: {
                kind: "integer",
                min: 1,
                max: 36500,
                default: 90,
                description: "Days a periodic snapshot (and its copies in the other regions) is kept.",
            },
            snapshotSchedule: {
                kind: "oneOf",
                values: BACKUP_SCHEDULE_NAMES,
                default: "daily",
                description: `When the periodic snapshot runs (05:00 UTC): ${list(BACKUP_SCHEDULE_NAMES)}.`,
            },
            copyToOtherSides: { kind: "boolean", default: true, description: "Copy each snapshot to every other region's vault." },
            crossAccountCopy: {
                kind: "boolean",
                default: false,
                description: "The accounts share an AWS Organization with cross-account backup on: copies may cross accounts.",
            },
            manageRegionSettings: {
                kind: "boolean",
                default: false,
                description: "Opt S3 in to AWS Backup in each region (an account-wide setting other stacks may own).",
            },
            vaultLock: {
                kind: "oneOf",
                values: VAULT_LOCK_MODES,
                default: "none",
                description: `Vault Lock: ${list(VAULT_LOCK_MODES)} (compliance is irreversible once its grace time ends).`,
            },
            vaultLockMinRetentionDays: { kind: "integer", min: 1, max: 36500, default: 1, description: "Shortest retention a locked vault accepts." },
            vaultLockMaxRetentionDays: { kind: "integer", min: 1, max: 36500, default: 36500, description: "Longest retention a locked vault accepts." },
            vaultLockChangeableForDays: {
                kind: "integer",
                min: 3,
                max: 36500,
                default: 3,
                description: "Compliance mode: days before the lock becomes immutable (AWS requires 3 or more).",
            },
        },
        // A locked vault fails every backup or copy job whose retention is outside its range.
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
        check: (b) => {
            if (b.vaultLock === "none") {
                return [];
            }
            if (b.vaultLockMinRetentionDays > b.vaultLockMaxRetentionDays) {
                return [{ field: "vaultLockMinRetentionDays", message: `must not exceed vaultLockMaxRetentionDays (${b.vaultLockMaxRetentionDays}), got ${b.vaultLockMinRetentionDays}` }];
            }
            return (["continuousRetentionDays", "snapshotRetentionDays"] as const)
                .filter((f) => b[f] < b.vaultLockMinRetentionDays || b[f] > b.vaultLockMaxRetentionDays)
                .map((f) => ({
                    field: f,
                    message: `must be within the locked vault's ${b.vaultLockMinRetentionDays}-${b.vaultLockMaxRetentionDays} days (vaultLockMinRetentionDays, vaultLockMaxRetentionDays), or the vault fails the job, got ${b[f]}`,
                }));
        },
    },
    accessPoint: {
        kind: "object",
        default: false,
        description:
            "An S3 Multi-Region Access Point over every region's bucket, named as namingPrefix, with initial routes a deployment never resets (fail over with npm run failover).",
        fields: {
            routing: {
                kind: "oneOf",
                values: ACCESS_POINT_ROUTINGS,
                default: "activePassive",
                description: `Initial routes: ${list(ACCESS_POINT_ROUTINGS)} (active/passive: the first region active).`,
            },
            routesRegion: {
                kind: "oneOf",
                values: MRAP_ROUTE_REGIONS,
                default: DEFAULT_ROUTES_REGION,
                description: `Region the routes resource is managed in, one of the five serving the route APIs: ${list(MRAP_ROUTE_REGIONS)}. Never change it once deployed (a new region re-creates the initial routes).`,
            },
        },
    },
    forceDestroy: {
        kind: "boolean",
        default: false,
        description: "Let 'pulumi destroy' delete non-empty buckets. Destructive: for dev stacks only.",
    },
    permissionsBoundary: {
        kind: "pattern",
        pattern: PERMISSIONS_BOUNDARY_PATTERN,
        patternDescription: "an IAM policy ARN (arn:aws:iam::<account or aws>:policy/<path/name>) or a policy name",
        default: "",
        description:
            "Permissions boundary of every IAM role the component creates: a policy ARN, or the name of a customer managed policy in each side's account (bootstrap/ creates github-deploy-<environment>-boundary); empty: none.",
    },
    protectData: {
        kind: "boolean",
        default: false,
        description: "Pulumi's 'protect' on the data-holding resources (the replicated buckets with their settings, the KMS keys): no deploy or destroy may delete them.",
    },
    batchReplication: {
        kind: "boolean",
        default: false,
        description:
            "Per region an IAM role for S3 Batch Replication jobs (npm run backfill: objects that predate replication or failed it), writing manifests and completion reports to the logging bucket under batch-replication/.",
    },
};

/** The option names, in declaration order. */
export const OPTION_KEYS = Object.keys(OPTION_SPECS) as (keyof CrrPairOptions)[];

/** An option's value with its defaults applied: an object option becomes `false` or its resolved settings. */
export type ResolvedOption<T> = [T] extends [readonly string[]] ? T : [Extract<T, object>] extends [never] ? T : false | ResolvedSettings<Extract<T, object>>;

/** Every option with its default applied. */
export type ResolvedOptions = { readonly [K in keyof CrrPairOptions]-?: ResolvedOption<NonNullable<CrrPairOptions[K]>> };

/** The settings of an object option that is on: every field's default, overridden by what was given. */
export function resolveObjectOption(spec: AnyOptionSpec, value: unknown): unknown {
    if (spec.kind !== "object") {
        return value ?? spec.default;
    }
    const on = value ?? spec.default;
    if (on === false) {
        return false;
    }
    const given = typeof on === "object" && on !== null ? (on as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(spec.fields).map(([f, field]) => [f, given[f] ?? field.default]));
}

/** The defaults, as one object (derived from {@link OPTION_SPECS}). */
export const DEFAULTS: ResolvedOptions = Object.fromEntries(
    OPTION_KEYS.map((k) => [k, resolveObjectOption(OPTION_SPECS[k], undefined)]),
) as unknown as ResolvedOptions;
