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
export { ENCRYPTION_MODES, LOG_RETENTION_DAYS, REPLICA_STORAGE_CLASSES, SIDE_KEYS } from "./values";
export type { SideKey } from "./values";
export { DEFAULTS, OPTION_KEYS, OPTION_SPECS, resolveObjectOption } from "./options";
export type { AnyFieldSpec, AnyOptionSpec, FieldProblem, ObjectOptionSpec, OptionSpec, ResolvedSettings } from "./options";
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
} from "./validation";
export type { ArgProblem } from "./validation";
export { AWS_REGIONS, regionProblem } from "./regions";
export { nearest } from "./suggest";
export { NAMING_PREFIX_PATTERN, sideNames } from "./naming";
export type { SideNames } from "./naming";
export { PUT_OBJECT_EVENTS_QUERY, REPLICATION_INVOKED_BY } from "./queries";
export { S3_SERVICE_PRINCIPAL } from "./iam";
export { backupEnabled, CrrBackupCopyError } from "./backup";
export type { CrrAccessPointOutputs } from "./accessPoint";
