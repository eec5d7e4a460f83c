// The file the Pulumi CLI starts (through @pulumi/pulumi/cmd/run-policy-pack). The pack is TypeScript,
// type-checked by the project's `npm test`. run-policy-pack registers a type-checking ts-node for `.ts`
// files, which takes seconds over @pulumi/policy's types before the pack can answer; this hook replaces it
// with Sucrase, a transpile-only compiler that loads in a fraction of the time, its output cached on disk
// (transpile.js).
require("./transpile").register();

require("./index.ts");
