import * as pulumi from "@pulumi/pulumi";
import * as aws from "./components/aws";
import { CrrPair, CrrSideOutputs } from "./components";
import { readSettings } from "./program/settings";

// Configuration first: a bad key stops the program before anything is registered.
const config = new pulumi.Config();
const settings = readSettings((key) => config.get(key), pulumi.getProject());

const defaultTags = {
    Project: pulumi.getProject(),
    Stack: pulumi.getStack(),
    ManagedBy: "pulumi",
    Purpose: "s3-bidirectional-crr",
};
const provider = (name: string, region: string) => new aws.Provider(name, { region, defaultTags: { tags: defaultTags } });

const pair = new CrrPair("crr", {
    namingPrefix: settings.namingPrefix,
    primary: { provider: provider("primary", settings.primaryRegion), region: settings.primaryRegion },
    secondary: { provider: provider("secondary", settings.secondaryRegion), region: settings.secondaryRegion },
    encryption: settings.encryption,
    kmsKeyDeletionWindowInDays: settings.kmsKeyDeletionWindowInDays,
    deleteMarkerReplication: settings.deleteMarkerReplication,
    replicaModificationSync: settings.replicaModificationSync,
    replicationTimeControl: settings.replicationTimeControl,
    replicaStorageClass: settings.replicaStorageClass,
    logRetentionDays: settings.logRetentionDays,
    logFileExpirationDays: settings.logFileExpirationDays,
    logNoncurrentVersionExpirationDays: settings.logNoncurrentVersionExpirationDays,
    forceDestroy: settings.forceDestroy,
});

const sideOutputs = (side: CrrSideOutputs) => ({
    region: side.region,
    bucketName: side.bucketName,
    bucketArn: side.bucketArn,
    loggingBucketName: side.loggingBucketName,
    trailArn: side.trailArn,
    logGroupName: side.logGroupName,
    replicationRoleArn: side.replicationRoleArn,
    queryDefinitionId: side.queryDefinitionId,
    ...(side.kmsKeyArn ? { kmsKeyArn: side.kmsKeyArn } : {}),
});

/** The primary side: `pulumi stack output primary --json`. */
export const primary = sideOutputs(pair.primary);
/** The secondary side: `pulumi stack output secondary --json`. */
export const secondary = sideOutputs(pair.secondary);
