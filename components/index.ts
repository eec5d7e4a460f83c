export { buildCrrPair, CrrPair, CRR_PAIR_TYPE } from "./crrPair";
export type { CrrSideOutputs } from "./crrPair";
export type { CrrPairArgs, CrrSideArgs, EncryptionMode, ReplicaStorageClass } from "./types";
export {
    CrrPairArgsError,
    crrPairArgProblems,
    DEFAULTS,
    ENCRYPTION_MODES,
    LOG_RETENTION_DAYS,
    REPLICA_STORAGE_CLASSES,
    resolveCrrPairArgs,
} from "./validation";
export type { ArgProblem } from "./validation";
export { NAMING_PREFIX_PATTERN, REGION_PATTERN, sideNames } from "./naming";
export type { SideNames } from "./naming";
export { PUT_OBJECT_EVENTS_QUERY, REPLICATION_INVOKED_BY } from "./queries";
