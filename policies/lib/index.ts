/** Every policy of the pack, in one side-effect-free list (the entry file only constructs the pack). */
import { Policies } from "@pulumi/policy";
import { s3CrossAccountReplication } from "./crossAccount";
import { kmsKeyRotation } from "./kms";
import { s3ReplicationFailureAlarm, s3ReplicationMetricsEnabled } from "./monitoring";
import { cloudtrailS3DataEvents, logGroupRetention, s3ReplicatedBucketReadAudit } from "./logging";
import { s3NoncurrentVersionExpiration, s3ReplicationPointInTimeBackup } from "./recovery";
import { replicationRoleLeastPrivilege, s3BidirectionalPairs, s3ReplicationPrerequisites } from "./replication";
import { s3ReplicationWillWork, s3ReplicationWillWorkUnproven } from "./replicationWorks";
import {
    s3BucketAclsDisabled,
    s3BucketEncryptionEnabled,
    s3BucketPublicAccessBlock,
    s3BucketTlsOnly,
    s3BucketVersioningEnabled,
} from "./s3";

export const POLICIES: Policies = [
    s3BucketVersioningEnabled,
    s3BucketEncryptionEnabled,
    s3ReplicationPrerequisites,
    s3ReplicationWillWork,
    s3ReplicationWillWorkUnproven,
    s3BidirectionalPairs,
    s3BucketPublicAccessBlock,
    s3BucketTlsOnly,
    s3BucketAclsDisabled,
    cloudtrailS3DataEvents,
    s3ReplicatedBucketReadAudit,
    logGroupRetention,
    replicationRoleLeastPrivilege,
    s3CrossAccountReplication,
    s3ReplicationMetricsEnabled,
    s3ReplicationFailureAlarm,
    kmsKeyRotation,
    s3NoncurrentVersionExpiration,
    s3ReplicationPointInTimeBackup,
];

export const PACK_NAME = "s3-crr-policies";

export {
    cloudtrailS3DataEvents,
    kmsKeyRotation,
    logGroupRetention,
    replicationRoleLeastPrivilege,
    s3BidirectionalPairs,
    s3CrossAccountReplication,
    s3ReplicationFailureAlarm,
    s3ReplicationMetricsEnabled,
    s3BucketAclsDisabled,
    s3BucketEncryptionEnabled,
    s3BucketPublicAccessBlock,
    s3BucketTlsOnly,
    s3BucketVersioningEnabled,
    s3ReplicatedBucketReadAudit,
    s3ReplicationPrerequisites,
    s3ReplicationWillWork,
    s3ReplicationWillWorkUnproven,
    s3NoncurrentVersionExpiration,
    s3ReplicationPointInTimeBackup,
};
