/**
 * Every policy of the pack, in one side-effect-free list (the entry file only constructs the pack). Each
 * policy is named here once, through its module: the pack's order is this list's, and a test fails when a
 * module exports a policy this list leaves out.
 */
import { Policies } from "@pulumi/policy";
import * as batchReplication from "./batchReplication";
import * as crossAccount from "./crossAccount";
import * as kms from "./kms";
import * as logging from "./logging";
import * as monitoring from "./monitoring";
import * as recovery from "./recovery";
import * as replication from "./replication";
import * as replicationWorks from "./replicationWorks";
import * as s3 from "./s3";

export const POLICIES: Policies = [
    s3.s3BucketVersioningEnabled,
    s3.s3BucketEncryptionEnabled,
    replication.s3ReplicationPrerequisites,
    replicationWorks.s3ReplicationWillWork,
    replicationWorks.s3ReplicationWillWorkUnproven,
    replication.s3BidirectionalPairs,
    s3.s3BucketPublicAccessBlock,
    s3.s3BucketTlsOnly,
    s3.s3BucketAclsDisabled,
    logging.cloudtrailS3DataEvents,
    logging.s3ReplicatedBucketReadAudit,
    logging.logGroupRetention,
    replication.replicationRoleLeastPrivilege,
    batchReplication.batchReplicationRoleLeastPrivilege,
    crossAccount.s3CrossAccountReplication,
    monitoring.s3ReplicationMetricsEnabled,
    monitoring.s3ReplicationFailureAlarm,
    monitoring.s3ReplicationAlarmRegion,
    kms.kmsKeyRotation,
    recovery.s3NoncurrentVersionExpiration,
    recovery.s3ReplicationPointInTimeBackup,
];

export const PACK_NAME = "s3-crr-policies";
