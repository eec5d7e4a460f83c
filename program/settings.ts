import * as pulumi from "@pulumi/pulumi";
import {
    crrPairArgProblems,
    DEFAULTS,
    ENCRYPTION_MODES,
    EncryptionMode,
    LOG_RETENTION_DAYS,
    REPLICA_STORAGE_CLASSES,
    ReplicaStorageClass,
} from "../components";

/** A stack configuration key of this program, as declared in `Pulumi.yaml`. */
export interface ConfigKey {
    readonly key: string;
    readonly type: "string" | "integer" | "boolean";
    readonly description: string;
    /** Absent for required keys. */
    readonly default?: string | number | boolean;
    /** The argument of CrrPair the key feeds, as validation errors name it. */
    readonly arg: string;
}

const allowed = (values: readonly (string | number)[]) => values.join(", ");

/** Every key the program reads. `Pulumi.yaml` declares exactly these (a test holds the two together). */
export const CONFIG_KEYS: readonly ConfigKey[] = [
    {
        key: "namingPrefix",
        type: "string",
        arg: "namingPrefix",
        description:
            "Prefix of every bucket name: 5-40 lowercase letters, digits, '.' and '-' in DNS-label form. " +
            "Buckets are <prefix>-crrlab-<region> and logging-<prefix>-<region>, so it must be globally unique.",
    },
    {
        key: "primaryRegion",
        type: "string",
        arg: "primary.region",
        default: "us-east-2",
        description: "Region of the primary side (the lab's 'east').",
    },
    {
        key: "secondaryRegion",
        type: "string",
        arg: "secondary.region",
        default: "us-west-2",
        description: "Region of the secondary (recovery) side (the lab's 'west'); must differ from primaryRegion.",
    },
    {
        key: "encryption",
        type: "string",
        arg: "encryption",
        default: DEFAULTS.encryption,
        description: `Default encryption of the replicated buckets: ${allowed(ENCRYPTION_MODES)} (aws:kms creates a rotating customer key per region).`,
    },
    {
        key: "kmsKeyDeletionWindowInDays",
        type: "integer",
        arg: "kmsKeyDeletionWindowInDays",
        default: DEFAULTS.kmsKeyDeletionWindowInDays,
        description: "Waiting period (7-30 days) before a deleted KMS key is gone; used only with encryption aws:kms.",
    },
    {
        key: "deleteMarkerReplication",
        type: "boolean",
        arg: "deleteMarkerReplication",
        default: DEFAULTS.deleteMarkerReplication,
        description: "Replicate delete markers. Off by default so a deletion in one region cannot hide the DR copy.",
    },
    {
        key: "replicaModificationSync",
        type: "boolean",
        arg: "replicaModificationSync",
        default: DEFAULTS.replicaModificationSync,
        description: "Sync tag, ACL and Object Lock changes made on replicas back to the source (both rules).",
    },
    {
        key: "replicationTimeControl",
        type: "boolean",
        arg: "replicationTimeControl",
        default: DEFAULTS.replicationTimeControl,
        description: "S3 Replication Time Control (15-minute SLA) with replication metrics; billed per GB.",
    },
    {
        key: "replicaStorageClass",
        type: "string",
        arg: "replicaStorageClass",
        default: DEFAULTS.replicaStorageClass,
        description: `Storage class of replicas: ${allowed(REPLICA_STORAGE_CLASSES)}.`,
    },
    {
        key: "logRetentionDays",
        type: "integer",
        arg: "logRetentionDays",
        default: DEFAULTS.logRetentionDays,
        description: `Retention of the CloudTrail log groups in days: ${allowed(LOG_RETENTION_DAYS)} (0 = forever).`,
    },
    {
        key: "logFileExpirationDays",
        type: "integer",
        arg: "logFileExpirationDays",
        default: DEFAULTS.logFileExpirationDays,
        description: "Days after which CloudTrail log files in the logging buckets expire.",
    },
    {
        key: "logNoncurrentVersionExpirationDays",
        type: "integer",
        arg: "logNoncurrentVersionExpirationDays",
        default: DEFAULTS.logNoncurrentVersionExpirationDays,
        description: "Days after which noncurrent versions of log files are removed for good.",
    },
    {
        key: "forceDestroy",
        type: "boolean",
        arg: "forceDestroy",
        default: DEFAULTS.forceDestroy,
        description: "Let 'pulumi destroy' delete non-empty buckets. Destructive: for dev stacks only.",
    },
];

/** The program's settings: the CrrPair arguments other than the providers, plus the two regions. */
export interface ProgramSettings {
    readonly namingPrefix: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    readonly encryption: EncryptionMode;
    readonly kmsKeyDeletionWindowInDays?: number;
    readonly deleteMarkerReplication: boolean;
    readonly replicaModificationSync: boolean;
    readonly replicationTimeControl: boolean;
    readonly replicaStorageClass: ReplicaStorageClass;
    readonly logRetentionDays: number;
    readonly logFileExpirationDays: number;
    readonly logNoncurrentVersionExpirationDays: number;
    readonly forceDestroy: boolean;
}

/**
 * Reads and validates the stack configuration through `get` (a raw string per key, undefined when unset).
 * Throws a `pulumi.RunError` (shown without a stack trace) that names every bad `<project>:<key>` and what
 * is allowed, before the program registers anything.
 */
export function readSettings(get: (key: string) => string | undefined, project: string): ProgramSettings {
    const problems: string[] = [];
    const fullKey = (key: string) => `${project}:${key}`;
    const values: Record<string, string | number | boolean | undefined> = {};

    for (const spec of CONFIG_KEYS) {
        const raw = get(spec.key);
        if (raw === undefined || raw === "") {
            if (spec.default === undefined) {
                problems.push(
                    `${fullKey(spec.key)} is required: set it with 'pulumi config set ${spec.key} <value>'. ${spec.description}`,
                );
            }
            values[spec.key] = spec.default;
            continue;
        }
        if (spec.type === "integer") {
            if (!/^-?\d+$/.test(raw.trim())) {
                problems.push(`${fullKey(spec.key)} must be a whole number, got '${raw}'. ${spec.description}`);
            }
            values[spec.key] = Number(raw);
        } else if (spec.type === "boolean") {
            if (raw !== "true" && raw !== "false") {
                problems.push(`${fullKey(spec.key)} must be true or false, got '${raw}'. ${spec.description}`);
            }
            values[spec.key] = raw === "true";
        } else {
            values[spec.key] = raw;
        }
    }

    const settings = values as unknown as ProgramSettings & { kmsKeyDeletionWindowInDays: number };
    if (problems.length === 0) {
        const draft = {
            ...settings,
            // The window is only meaningful (and only accepted) with SSE-KMS.
            kmsKeyDeletionWindowInDays: settings.encryption === "aws:kms" ? settings.kmsKeyDeletionWindowInDays : undefined,
            primary: { region: settings.primaryRegion, provider: undefined! },
            secondary: { region: settings.secondaryRegion, provider: undefined! },
        };
        const byArg = new Map(CONFIG_KEYS.map((k) => [k.arg, k.key]));
        for (const p of crrPairArgProblems(draft, { checkProviders: false })) {
            const key = byArg.get(p.path);
            problems.push(key ? `${fullKey(key)} ${p.message}` : `${p.path}: ${p.message}`);
        }
    }
    if (problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return {
        ...settings,
        kmsKeyDeletionWindowInDays: settings.encryption === "aws:kms" ? settings.kmsKeyDeletionWindowInDays : undefined,
    };
}
