// The multi-language face of CrrPair and CrrMesh: what `pulumi package add` serves to Python, Go, .NET, Java and YAML
// programs. Pulumi derives the schema from these TypeScript types, and two things differ from the
// TypeScript API for that reason:
// - its analyzer does not accept union types, so the string options (encryption, storage classes) are
//   plain strings here, checked against the allowed values before anything is registered;
// - it writes an argument typed as an aws.Provider as a reference that is not the schema's provider
//   reference ("/aws/vX/schema.json#/resources/aws" rather than "#/provider"), so a side here takes only a
//   region, and the component creates that side's provider itself (as its child, credentials and account
//   from the stack's AWS configuration and environment, like a default provider).
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { CrrPairArgsError, crrMeshArgProblems, crrPairArgProblems, meshFormerKeys, meshSideKey, resolveCrrMeshArgs } from "../../components/model/validation";
// Loading the package root registers the "aws" package, so that provider references sent by other
// languages deserialize into providers. (A require, not an import: its types are not needed here.)
require("@pulumi/aws");
import { buildCrrPair, CRR_PAIR_TYPE, CrrSideOutputs } from "../../components/crrPair";
import { buildCrrMesh, CRR_MESH_TYPE, withFormerNames } from "../../components/crrMesh";
import { CrrAccessPointOutputs } from "../../components/topology/accessPoint";
import {
    CrrMeshArgs as TypedCrrMeshArgs,
    CrrMeshSideArgs as TypedCrrMeshSideArgs,
    CrrPairArgs as TypedCrrPairArgs,
    CrrSideArgs as TypedCrrSideArgs,
    ExtraNotifications,
} from "../../components/model/types";
import { resolveCrrPairArgs } from "../../components/model/validation";

/** One destination of a replicated bucket's events: an SNS topic, an SQS queue or a Lambda function. */
export interface NotificationTargetArgs {
    /** The topic's, queue's or function's ARN. */
    readonly arn: string;
    /** The S3 event types sent to it, e.g. s3:ObjectCreated:*. */
    readonly events: string[];
    /** Only keys starting with this (default none). */
    readonly filterPrefix?: string;
    /** Only keys ending with this (default none). */
    readonly filterSuffix?: string;
}

/** Your own destinations for a side's replicated bucket events, merged into the one notification configuration the component owns. */
export interface NotificationsArgs {
    /** SNS topics (default none). */
    readonly topics?: NotificationTargetArgs[];
    /** SQS queues (default none). */
    readonly queues?: NotificationTargetArgs[];
    /** Lambda functions (default none). */
    readonly lambdaFunctions?: NotificationTargetArgs[];
}

/** The TypeScript API's notifications from the schema's (each target's ARN under its kind's own field). */
function notifications(args: NotificationsArgs | undefined): ExtraNotifications | undefined {
    if (args === undefined || args === null) {
        return undefined;
    }
    const target = ({ arn, ...rest }: NotificationTargetArgs, field: string) => ({ ...rest, [field]: arn });
    return {
        ...(args.topics ? { topics: args.topics.map((t) => target(t, "topicArn")) } : {}),
        ...(args.queues ? { queues: args.queues.map((q) => target(q, "queueArn")) } : {}),
        ...(args.lambdaFunctions ? { lambdaFunctions: args.lambdaFunctions.map((l) => target(l, "lambdaFunctionArn")) } : {}),
    } as ExtraNotifications;
}

/** One region of the pair. */
export interface CrrSideArgs {
    /** The side's region, e.g. us-east-2: the component creates this side's AWS provider for it. */
    readonly region: string;
    /** Storage class of the replicas written into this side's bucket, STANDARD, STANDARD_IA, ... (default the pair's). */
    readonly replicaStorageClass?: string;
    /** Retention of this side's CloudTrail log group, in days (default the pair's). */
    readonly logRetentionDays?: number;
    /** Age in days after which log files (CloudTrail and S3 access logs) in this side's logging bucket expire (default the pair's). */
    readonly logFileExpirationDays?: number;
    /** Your own destinations for this side's replicated bucket events (default none). */
    readonly notifications?: NotificationsArgs;
    /** The name of an existing bucket in this region the side uses instead of creating one; never deleted by the stack (default none). */
    readonly existingBucket?: string;
    /** The bucket's own policy statements, as a JSON list of IAM statements, merged into the component's bucket policy (default none). */
    readonly bucketPolicyStatementsJson?: string;
    /** The bucket's own lifecycle rules, as a JSON list in the provider's rule shape (id, status, filter, ...), merged into the side's lifecycle (default none). */
    readonly lifecycleRulesJson?: string;
}

/** A side with its JSON arguments as the TypeScript API's lists (for validation, before any provider exists). */
function jsonSide<S extends CrrSideArgs>(side: S) {
    if (side === undefined || side === null) {
        return side;
    }
    const { bucketPolicyStatementsJson, lifecycleRulesJson, ...rest } = side;
    return {
        ...rest,
        ...(bucketPolicyStatementsJson === undefined ? {} : { bucketPolicyStatements: jsonList(bucketPolicyStatementsJson) }),
        ...(lifecycleRulesJson === undefined ? {} : { lifecycleRules: jsonList(lifecycleRulesJson) }),
    };
}

/** A JSON list argument of the plugin (statements, rules), parsed; a text that is not a JSON list is left for validation to name. */
function jsonList(text: string | undefined): unknown {
    if (text === undefined || text === null) {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** One region of a mesh: a side, with the key that names its children. */
export interface CrrMeshSideArgs extends CrrSideArgs {
    /** Names the side's children, <name>-<key>-...; keep it stable (default the side's region). */
    readonly key?: string;
    /** Keys the side's children were named under before: aliases, so Pulumi moves them (default none). */
    readonly formerKeys?: string[];
    /** When a later deploy removes the side: retain (its buckets and key stay in AWS, out of the stack) or empty (deleted with their objects) (default none). */
    readonly onRemoval?: string;
}

/** The CrrPair a mesh grows from: which side keys were its primary and secondary. */
export interface GrownFromPairArgs {
    /** Key of the side that was the pair's primary (default none). */
    readonly primary?: string;
    /** Key of the side that was the pair's secondary (default none). */
    readonly secondary?: string;
}

/**
 * Settings of the replicated buckets' lifecycle (the TypeScript option takes `true`, `false` or these
 * settings; the schema takes no unions, so here an object, with `enabled: false` for off).
 */
export interface VersionLifecycleArgs {
    /** False: no lifecycle configuration on the replicated buckets (default true). */
    readonly enabled?: boolean;
    /** Days a noncurrent version is kept (default 90). */
    readonly noncurrentVersionExpirationDays?: number;
    /** Days after which an incomplete multipart upload is aborted (default 7). */
    readonly abortIncompleteMultipartUploadDays?: number;
}

/** Settings of the point-in-time backups with AWS Backup (present and not `enabled: false`: on). */
export interface BackupArgs {
    /** False: no backups; the object given without it turns them on (default true). */
    readonly enabled?: boolean;
    /** Days of point-in-time restore, 1 to 35 (default 35). */
    readonly continuousRetentionDays?: number;
    /** Days a periodic snapshot and its copies are kept (default 90). */
    readonly snapshotRetentionDays?: number;
    /** When the periodic snapshot runs: daily, weekly or monthly (default daily). */
    readonly snapshotSchedule?: string;
    /** Copy each snapshot to the other side's vault (default true). */
    readonly copyToOtherSides?: boolean;
    /** The accounts share an Organization with cross-account backup on (default false). */
    readonly crossAccountCopy?: boolean;
    /** Opt S3 in to AWS Backup in each region (default false). */
    readonly manageRegionSettings?: boolean;
    /** Vault Lock: none, governance or compliance (irreversible) (default none). */
    readonly vaultLock?: string;
    /** Shortest retention a locked vault accepts (default 1). */
    readonly vaultLockMinRetentionDays?: number;
    /** Longest retention a locked vault accepts (default 36500). */
    readonly vaultLockMaxRetentionDays?: number;
    /** Compliance mode: days before the lock is immutable, 3 or more (default 3). */
    readonly vaultLockChangeableForDays?: number;
}

/** Settings of the Multi-Region Access Point (present and not `enabled: false`: on). */
export interface AccessPointArgs {
    /** False: no access point; the object given without it turns it on (default true). */
    readonly enabled?: boolean;
    /** Initial routes: activePassive (the primary active) or activeActive (default activePassive). */
    readonly routing?: string;
    /** Region of the routes resource, one serving the route APIs (default us-west-2); never change it once deployed. */
    readonly routesRegion?: string;
}

/**
 * An object option as the schema carries it (`{ enabled?, ...settings }`), as the component takes it:
 * `false` when `enabled` is false, else the settings.
 */
function objectOption<T extends { readonly enabled?: boolean }>(value: T | undefined): false | Omit<T, "enabled"> | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    const { enabled, ...settings } = value;
    return enabled === false ? false : settings;
}

/** Arguments of CrrPair; see the package README for every default. */
export interface CrrPairArgs extends CrrOptionsArgs {
    /** Prefix of every physical name (the lab's NamingPrefix rule). */
    readonly namingPrefix: string;
    /** The side the workload normally runs in. */
    readonly primary: CrrSideArgs;
    /** The recovery side. */
    readonly secondary: CrrSideArgs;
    /** Tags added to every taggable child. */
    readonly tags?: Record<string, string>;
}

/** Arguments of CrrMesh: the options of CrrPair, with 2 to N sides. */
export interface CrrMeshArgs extends CrrOptionsArgs {
    /** Prefix of every physical name (the lab's NamingPrefix rule). */
    readonly namingPrefix: string;
    /** The regions, each replicating to every other. */
    readonly sides: CrrMeshSideArgs[];
    /** Tags added to every taggable child. */
    readonly tags?: Record<string, string>;
    /** The CrrPair of the same name this mesh takes over in a stack (aliases). */
    readonly grownFromPair?: GrownFromPairArgs;
}

/** The options of CrrPair and CrrMesh, one per entry of the option table (OPTION_SPECS). */
export interface CrrOptionsArgs {
    /** Default encryption of the buckets: AES256 or aws:kms (default AES256). */
    readonly encryption?: string;
    /** Waiting period before a scheduled KMS key deletion, 7 to 30 days, aws:kms only (default 30). */
    readonly kmsKeyDeletionWindowInDays?: number;
    /** Replicate delete markers (default false). */
    readonly deleteMarkerReplication?: boolean;
    /** Replica modification sync on both rules (default true). */
    readonly replicaModificationSync?: boolean;
    /** S3 Replication Time Control with its metrics (default false). */
    readonly replicationTimeControl?: boolean;
    /** Storage class of replicas on both sides (default STANDARD). */
    readonly replicaStorageClass?: string;
    /** Retention of the CloudTrail log groups in days (default 30). */
    readonly logRetentionDays?: number;
    /** Age in days after which log files (CloudTrail and S3 access logs) in the logging buckets expire (default 365). */
    readonly logFileExpirationDays?: number;
    /** Days after which noncurrent versions of log files are removed (default 30). */
    readonly logNoncurrentVersionExpirationDays?: number;
    /** S3 Replication metrics without RTC (default true). */
    readonly replicationMetrics?: boolean;
    /** Alarms, alerts topics, failure events and a dashboard, with metrics on (default true). */
    readonly alarms?: boolean;
    /** The ReplicationLatency alarm threshold in seconds (default 900). */
    readonly rpoSeconds?: number;
    /** The recovery time objective in seconds, which npm run drill measures failovers against (default 3600). */
    readonly rtoSeconds?: number;
    /** BytesPendingReplication alarm threshold; 0 = none (default 0). */
    readonly backlogAlarmBytes?: number;
    /** Email addresses subscribed to the alerts topics (default none). */
    readonly alarmEmails?: string[];
    /** Also send the replicated buckets' events to EventBridge (default false). */
    readonly eventBridgeNotifications?: boolean;
    /** S3 server access logging of each replicated bucket into its region's logging bucket (default true). */
    readonly accessLogging?: boolean;
    /** Lifecycle of the replicated buckets' versions: noncurrent ones expire, incomplete uploads are aborted (default on). */
    readonly versionLifecycle?: VersionLifecycleArgs;
    /** Point-in-time backups with AWS Backup (default off). */
    readonly backup?: BackupArgs;
    /** A Multi-Region Access Point over both buckets (default off). */
    readonly accessPoint?: AccessPointArgs;
    /** Let destroy delete non-empty buckets (default false). */
    readonly forceDestroy?: boolean;
    /** Permissions boundary of every IAM role: a policy ARN, or a policy name in each side's account (default none). */
    readonly permissionsBoundary?: string;
    /** Pulumi's `protect` on the replicated buckets and the KMS keys (default false). */
    readonly protectData?: boolean;
    /** Per side an IAM role for S3 Batch Replication jobs, reports in the logging bucket under batch-replication/ (default false). */
    readonly batchReplication?: boolean;
}

/** The TypeScript API's options from the schema's: object options from `{ enabled?, ...settings }`. */
const typedOptions = <T extends CrrOptionsArgs>(args: T) => ({
    ...args,
    versionLifecycle: objectOption(args.versionLifecycle),
    backup: objectOption(args.backup),
    accessPoint: objectOption(args.accessPoint),
});

/** A side as the TypeScript API takes it, with the provider the component creates for its region (its child). */
function typedSide<S extends CrrSideArgs>(parent: pulumi.ComponentResource, name: string, key: string, side: S) {
    return {
        ...jsonSide(side),
        notifications: notifications(side.notifications),
        provider: new Provider(`${name}-${key}-provider`, { region: side.region }, { parent }),
    };
}

/** Bi-directional S3 cross-region replication between two regions, hardened, as in the AWS lab. */
export class CrrPair extends pulumi.ComponentResource {
    /** The primary side's bucket, trail, log group, replication role and saved query. */
    public readonly primary: CrrSideOutputs;
    /** The secondary side's. */
    public readonly secondary: CrrSideOutputs;
    /** The CloudWatch dashboard of both directions (with alarms on). */
    public readonly dashboardName?: pulumi.Output<string>;
    /** The Multi-Region Access Point over both buckets (option accessPoint): name, alias, ARN, endpoint. */
    public readonly accessPoint?: CrrAccessPointOutputs;

    constructor(name: string, args: CrrPairArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered (the providers come after: they are this component's children).
        const typed = typedOptions(args) as unknown as TypedCrrPairArgs;
        const problems = crrPairArgProblems({ ...typed, primary: jsonSide(args.primary), secondary: jsonSide(args.secondary) } as unknown as TypedCrrPairArgs, {
            checkProviders: false,
        });
        if (problems.length > 0) {
            throw new CrrPairArgsError(problems);
        }
        super(CRR_PAIR_TYPE, name, {}, opts);
        const side = (key: "primary" | "secondary") => typedSide(this, name, key, args[key]) as unknown as TypedCrrSideArgs;
        const pair = resolveCrrPairArgs({ ...typed, primary: side("primary"), secondary: side("secondary") });
        const { primary, secondary, dashboardName, accessPoint } = buildCrrPair(this, name, pair);
        this.primary = primary;
        this.secondary = secondary;
        this.dashboardName = dashboardName;
        this.accessPoint = accessPoint;
        this.registerOutputs({ primary, secondary, ...(dashboardName ? { dashboardName } : {}), ...(accessPoint ? { accessPoint } : {}) });
    }
}

/** Replication between 2 to N regions, every side to every other, each side as hardened as a pair's. */
export class CrrMesh extends pulumi.ComponentResource {
    /** Each side's outputs, by side key. */
    public readonly sides: Record<string, CrrSideOutputs>;
    /** The CloudWatch dashboard of every direction (with alarms on). */
    public readonly dashboardName?: pulumi.Output<string>;
    /** The Multi-Region Access Point over every side's bucket (option accessPoint): name, alias, ARN, endpoint. */
    public readonly accessPoint?: CrrAccessPointOutputs;

    constructor(name: string, args: CrrMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        const typed = typedOptions(args) as unknown as TypedCrrMeshArgs;
        const problems = crrMeshArgProblems({ ...typed, sides: (args.sides ?? []).map(jsonSide) } as unknown as TypedCrrMeshArgs, { checkProviders: false });
        if (problems.length > 0) {
            throw new CrrPairArgsError(problems, "CrrMesh");
        }
        // Each side's key and history, from the checked arguments (no provider needed): the aliases.
        const keyed = {
            sides: typed.sides.map((side, i) => ({ key: meshSideKey(side, i), formerKeys: meshFormerKeys(typed.sides, i) })),
            grownFromPair: typed.grownFromPair,
        };
        super(CRR_MESH_TYPE, name, {}, withFormerNames(name, keyed, opts));
        const sides = args.sides.map((s, i) => typedSide(this, name, keyed.sides[i].key, s) as unknown as TypedCrrMeshSideArgs);
        const mesh = resolveCrrMeshArgs({ ...typed, sides });
        const built = buildCrrMesh(this, name, mesh);
        this.sides = built.sides;
        this.dashboardName = built.dashboardName;
        this.accessPoint = built.accessPoint;
        this.registerOutputs(built);
    }
}
