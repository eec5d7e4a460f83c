// The file the Pulumi CLI starts (through @pulumi/pulumi/cmd/run-policy-pack). The pack is TypeScript,
// type-checked by the project's `npm test`. run-policy-pack registers a type-checking ts-node for `.ts`
// files, which takes seconds over @pulumi/policy's types before the pack can answer; this hook replaces it
// with ts-node's transpile-only compiler for the pack's own sources.
const fs = require("fs");
const path = require("path");
const compiler = require("ts-node").create({ transpileOnly: true, project: path.join(__dirname, "tsconfig.json") });

require.extensions[".ts"] = (module, filename) => {
    module._compile(compiler.compile(fs.readFileSync(filename, "utf8"), filename), filename);
};
require("./index.ts");
