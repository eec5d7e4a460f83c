// The file the Pulumi CLI starts (through @pulumi/pulumi/cmd/run-policy-pack). The pack is TypeScript,
// loaded transpile-only (typescript.js says why), and type-checked by the project's `npm test`.
require("./typescript").register();

require("./index.ts");
