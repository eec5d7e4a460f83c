// The pack's entry file: constructing a PolicyPack starts its gRPC server (the Pulumi CLI runs this file
// through @pulumi/pulumi/cmd/run-policy-pack). The policies themselves live in lib/, free of side effects.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./lib";
import { sharingStackResources, withPackServer } from "./serve";

// The version the SDK reads from the package.json of the working directory, which is this one's.
const { version } = require("./package.json") as { version: string };

// AnalyzeStack builds the stack's resources once for every stack policy (serve.ts says why).
withPackServer(PACK_NAME, version, () =>
    new PolicyPack(PACK_NAME, {
        description: "Versioning, encryption and safe bi-directional S3 cross-region replication, on @pulumi/aws v7 and v6 programs.",
        policies: sharingStackResources(POLICIES),
    }),
);
