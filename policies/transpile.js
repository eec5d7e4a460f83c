// A require hook for `.ts` files: Sucrase, transpile-only (types are checked by `npm test`), with an
// on-disk cache of its output, as @babel/register and Jest keep theirs. The policy pack's entry
// (index.js) installs it in the process the Pulumi CLI starts; the project's commands, mocha and
// benchmarks install it through tools/register.js.
//
// Transpiling is most of the time it takes to load a file: a cache hit reads the output instead. An
// entry is keyed by a hash of Sucrase's version, the options, the file's path and its content, so an
// edit, a Sucrase upgrade or an option change each make a new entry; nothing is ever read stale. The
// cache lives in `node_modules/.cache/s3-crr-transpile` beside Sucrase (`S3CRR_TRANSPILE_CACHE` names
// another directory; `off` turns it off). Entries are written to a temporary file and renamed, so
// processes that load the same file at the same time (a plan and its policy pack) never read half an
// entry. Where the directory cannot be written, files are transpiled each time, as without the cache.
// Sucrase keeps every line where it was, so stack traces point at the right lines without source maps.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
// Sucrase itself loads only on a cache miss (most of a warm start's hook cost was loading the compiler).
let sucrase;
const transform = (source, options) => (sucrase ??= require("sucrase")).transform(source, options);

const OPTIONS = { transforms: ["typescript", "imports"] };

function cacheDirectory() {
    const given = process.env.S3CRR_TRANSPILE_CACHE;
    if (given === "off") {
        return undefined;
    }
    return given || path.join(path.dirname(require.resolve("sucrase/package.json")), "..", ".cache", "s3-crr-transpile");
}

const salt = JSON.stringify([require("sucrase/package.json").version, OPTIONS]);

function transpile(source, filename, directory) {
    if (directory === undefined) {
        return transform(source, { ...OPTIONS, filePath: filename }).code;
    }
    const key = crypto.createHash("sha256").update(salt).update("\0").update(filename).update("\0").update(source).digest("hex");
    const entry = path.join(directory, `${key}.js`);
    try {
        return fs.readFileSync(entry, "utf8");
    } catch {
        // not cached yet
    }
    const code = transform(source, { ...OPTIONS, filePath: filename }).code;
    try {
        fs.mkdirSync(directory, { recursive: true });
        const temporary = `${entry}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, code);
        fs.renameSync(temporary, entry);
    } catch {
        // a read-only tree: no cache
    }
    return code;
}

/** Installs the hook for `.ts` files (once per process). */
function register() {
    if (require.extensions[".ts"] && require.extensions[".ts"].s3crrTranspile) {
        return;
    }
    const directory = cacheDirectory();
    const hook = (module, filename) => {
        module._compile(transpile(fs.readFileSync(filename, "utf8"), filename, directory), filename);
    };
    hook.s3crrTranspile = true;
    require.extensions[".ts"] = hook;
}

module.exports = { register, transpile };
