export { buildCrrPair, CrrPair, CRR_PAIR_TYPE } from "./crrPair";
export { CrrMesh, CRR_MESH_TYPE } from "./crrMesh";
export type { CrrSideOutputs } from "./topology";
export type {
    CrrMeshArgs,
    CrrMeshSide,
    CrrMeshSideArgs,
    CrrPairArgs,
    CrrPairOptions,
    CrrSide,
    CrrSideArgs,
    EncryptionMode,
    AccessPointRouting,
    AccessPointSettings,
    BackupSchedule,
    BackupSettings,
    ReplicaStorageClass,
    VaultLockMode,
    VersionLifecycleSettings,
} from "./types";
export {
    DEFAULTS,
    ENCRYPTION_MODES,
    LOG_RETENTION_DAYS,
    OPTION_KEYS,
    OPTION_SPECS,
    REPLICA_STORAGE_CLASSES,
    resolveObjectOption,
    SIDE_KEYS,
} from "./options";
export type { AnyFieldSpec, AnyOptionSpec, FieldProblem, ObjectOptionSpec, OptionSpec, ResolvedSettings, SideKey } from "./options";
export {
    CrrPairArgsError,
    crrMeshArgProblems,
    crrPairArgProblems,
    MAX_RULES_PER_CONFIGURATION,
    namingPrefixProblem,
    objectOptionProblems,
    optionProblem,
    resolveCrrMeshArgs,
    resolveCrrPairArgs,
} from "./validation";
export type { ArgProblem } from "./validation";
export { AWS_REGIONS, regionProblem } from "./regions";
export { nearest } from "./suggest";
export { NAMING_PREFIX_PATTERN, sideNames } from "./naming";
export type { SideNames } from "./naming";
export { PUT_OBJECT_EVENTS_QUERY, REPLICATION_INVOKED_BY } from "./queries";
export { S3_SERVICE_PRINCIPAL } from "./iam";
export { backupEnabled, CrrBackupCopyError } from "./backup";
export { MRAP_MAX_REGIONS } from "./accessPoint";
export type { CrrAccessPointOutputs } from "./accessPoint";
