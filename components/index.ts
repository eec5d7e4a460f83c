export { buildCrrPair, CrrPair, CRR_PAIR_TYPE } from "./crrPair";
export { CrrMesh, CRR_MESH_TYPE } from "./crrMesh";
export type { CrrSideOutputs } from "./topology/topology";
export type {
    CrrMeshArgs,
    CrrMeshSide,
    CrrMeshSideArgs,
    CrrPairArgs,
    CrrPairOptions,
    CrrSide,
    CrrSideArgs,
    EncryptionMode,
    GrownFromPair,
    SideRemoval,
    AccessPointRouting,
    AccessPointSettings,
    BackupSchedule,
    BackupSettings,
    ReplicaStorageClass,
    VaultLockMode,
    VersionLifecycleSettings,
} from "./model/types";
export { ENCRYPTION_MODES, LOG_RETENTION_DAYS, REPLICA_STORAGE_CLASSES, SIDE_KEYS } from "./model/values";
export type { SideKey } from "./model/values";
export { DEFAULTS, OPTION_KEYS, OPTION_SPECS, resolveObjectOption } from "./model/options";
export type { AnyFieldSpec, AnyOptionSpec, FieldProblem, ObjectOptionSpec, OptionSpec, ResolvedSettings } from "./model/options";
export {
    CrrPairArgsError,
    crrMeshArgProblems,
    crrPairArgProblems,
    MAX_RULES_PER_CONFIGURATION,
    MRAP_MAX_REGIONS,
    namingPrefixProblem,
    objectOptionProblems,
    optionProblem,
    resolveCrrMeshArgs,
    resolveCrrPairArgs,
    SIDE_REMOVALS,
} from "./model/validation";
export { FORMER_PAIR_TYPE, formerChildNames } from "./model/growth";
export type { FormerKeys } from "./model/growth";
export type { ArgProblem } from "./model/validation";
export { AWS_REGIONS, regionProblem } from "./model/regions";
export { nearest } from "./model/suggest";
export { NAMING_PREFIX_PATTERN, sideNames } from "./model/naming";
export { COMPONENT_BUCKET_POLICY_SIDS, existingBucketProblem, lifecycleRuleProblems, policyStatementProblems, VERSION_LIFECYCLE_RULE_ID } from "./model/adoption";
export type { SideNames } from "./model/naming";
export { PUT_OBJECT_EVENTS_QUERY, REPLICATION_INVOKED_BY } from "./documents/queries";
export { S3_SERVICE_PRINCIPAL } from "./documents/iam";
export { backupEnabled, CrrBackupCopyError } from "./documents/backup";
export type { CrrAccessPointOutputs } from "./topology/accessPoint";
