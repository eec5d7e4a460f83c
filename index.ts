import * as pulumi from "@pulumi/pulumi";
import * as aws from "./components/aws";
import { CrrPair, CrrSideOutputs } from "./components";
import { pairOptions, readSettings, unknownConfigKeys } from "./program/settings";

// Configuration first: a bad key stops the program before anything is registered.
const config = new pulumi.Config();
const settings = readSettings((key) => config.get(key), pulumi.getProject());
for (const warning of unknownConfigKeys(pulumi.runtime.allConfig(), pulumi.getProject())) {
    void pulumi.log.warn(warning);
}

const defaultTags = {
    Project: pulumi.getProject(),
    Stack: pulumi.getStack(),
    ManagedBy: "pulumi",
    Purpose: "s3-bidirectional-crr",
};
const provider = (name: string, region: string) => new aws.Provider(name, { region, defaultTags: { tags: defaultTags } });

const pair = new CrrPair("crr", {
    ...pairOptions(settings),
    namingPrefix: settings.namingPrefix,
    primary: { provider: provider("primary", settings.primaryRegion), region: settings.primaryRegion },
    secondary: { provider: provider("secondary", settings.secondaryRegion), region: settings.secondaryRegion },
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
