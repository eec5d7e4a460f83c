// The parts of @pulumi/aws this project uses, imported by submodule. The package root re-exports every
// AWS service, so one `import "@pulumi/aws"` puts ~3,000 declaration files into each type-check and lint;
// these submodules need about a sixth of that. Import AWS from here, never from "@pulumi/aws" itself.
export { Provider } from "@pulumi/aws/provider";
export type { ProviderArgs } from "@pulumi/aws/provider";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export * as backup from "@pulumi/aws/backup";
export * as cloudtrail from "@pulumi/aws/cloudtrail";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as sns from "@pulumi/aws/sns";
export * as s3 from "@pulumi/aws/s3";
export * as s3control from "@pulumi/aws/s3control";
export * as types from "@pulumi/aws/types";
