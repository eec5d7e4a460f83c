// The pack's entry file: constructing a PolicyPack starts its gRPC server (the Pulumi CLI runs this file
// through @pulumi/pulumi/cmd/run-policy-pack). The policies themselves live in lib/, free of side effects.
// A plain PolicyPack on @pulumi/policy's public API: nothing of the SDK, grpc-js or Node is patched here.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./lib";

new PolicyPack(PACK_NAME, {
    description: "Versioning, encryption and safe bi-directional S3 cross-region replication, on @pulumi/aws v7 and v6 programs.",
    policies: POLICIES,
});
