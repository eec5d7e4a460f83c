// The `.ts` loader of the policy pack's process: Sucrase, transpile-only, without source maps. The types
// are checked by `npm test` and `npm run lint`, not at every start of the pack.
//
// Why not the loader the pack is started with: @pulumi/pulumi's run-policy-pack registers ts-node with
// `typeCheck: true`, which type-checks the pack and @pulumi/policy's types at every start. Why not
// `sucrase/register`: it wraps the loader already registered (ts-node would still run first) and appends
// an inline source map to every file, which the source-map-support that ts-node installs then parses
// for every stack the Pulumi SDK captures. `npm run bench` ("policy pack start-up") measures the three.
// This is Node's loader registry (`require.extensions`), the same public hook ts-node and Sucrase use.
"use strict";
const fs = require("fs");
const { transform } = require("sucrase");

/** The JavaScript of a TypeScript `source` (lines kept where they were, so stack traces stay right). */
function transpile(source, filePath) {
    return transform(source, { transforms: ["typescript", "imports"], filePath }).code;
}

/** Makes `.ts` files load through {@link transpile}, in place of any loader registered before. */
function register() {
    require.extensions[".ts"] = (module, filename) => module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
}

module.exports = { register, transpile };
