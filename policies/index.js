// The file the Pulumi CLI starts (through @pulumi/pulumi/cmd/run-policy-pack). The pack is TypeScript,
// type-checked by the project's `npm test`. run-policy-pack registers a type-checking ts-node for `.ts`
// files, which takes seconds over @pulumi/policy's types before the pack can answer; this hook replaces it
// with Sucrase, a transpile-only compiler that loads in a fraction of the time, its output cached on disk
// (transpile.js).
require("./transpile").register();

// @pulumi/policy deserializes every resource's properties once per stack policy (15 policies, 4,700
// resources for 100 pairs: most of the pack's time after a large program). The properties of one resource
// in one request are the same protobuf Struct for every policy: deserialize each once and hand every policy
// the same object (the SDK wraps it in a read-only, unknown-checking proxy per policy either way).
const deserialize = require("@pulumi/policy/deserialize");
const deserializeOnce = deserialize.deserializeProperties;
const deserialized = new WeakMap();
deserialize.deserializeProperties = (struct, proxySecrets) => {
    if (struct === null || typeof struct !== "object") {
        return deserializeOnce(struct, proxySecrets);
    }
    let byMode = deserialized.get(struct);
    if (byMode === undefined) {
        byMode = new Map();
        deserialized.set(struct, byMode);
    }
    if (!byMode.has(proxySecrets)) {
        byMode.set(proxySecrets, deserializeOnce(struct, proxySecrets));
    }
    return byMode.get(proxySecrets);
};

require("./index.ts");
