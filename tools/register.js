// The TypeScript require hook of the project's commands (`node -r ./tools/register.js`), mocha and the
// benchmarks: Sucrase with an on-disk cache, the same hook the policy pack's entry installs
// (policies/transpile.js says how it works).
require("../policies/transpile").register();
