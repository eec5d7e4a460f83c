// The file the Pulumi CLI starts (through @pulumi/pulumi/cmd/run-policy-pack). The pack is TypeScript,
// type-checked by the project's `npm test`; here it is only transpiled, so a preview does not wait for a
// full type-check of @pulumi/aws before the pack answers.
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "tsconfig.json") });
require("./index.ts");
