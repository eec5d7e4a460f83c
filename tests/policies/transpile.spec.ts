/**
 * policies/transpile.js, the `.ts` require hook of the pack's entry and of the project's commands and
 * tests: Sucrase's output, cached on disk by a key of version, options, path and content.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const { transpile } = require("../../policies/transpile");

describe("policies/transpile.js: the TypeScript require hook and its cache", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const source = 'import { x } from "./x";\nexport const y: number = x + 1;\n';

    it("strips the types and turns imports into require, keeping every line where it was", () => {
        const code: string = transpile(source, "/src/y.ts", undefined);
        expect(code).to.contain("require('./x')");
        expect(code).not.to.contain(": number");
        expect(code.split("\n").findIndex((l) => l.includes("exports.y ="))).to.equal(1);
    });

    it("writes one entry per file and content, and reads it back instead of transpiling again", () => {
        const first: string = transpile(source, "/src/y.ts", dir);
        const entries = fs.readdirSync(dir);
        expect(entries).to.have.length(1);
        expect(entries[0]).to.match(/^[0-9a-f]{64}\.js$/);
        // What is in the entry is what a hit returns: change it and the next load returns the change.
        fs.writeFileSync(path.join(dir, entries[0]), "/* from the cache */");
        expect(transpile(source, "/src/y.ts", dir)).to.equal("/* from the cache */");
        expect(first).to.contain("require('./x')");
    });

    it("makes a new entry when the content or the path changes (an edit is never served stale)", () => {
        transpile(source, "/src/y.ts", dir);
        transpile(source.replace("+ 1", "+ 2"), "/src/y.ts", dir);
        transpile(source, "/src/z.ts", dir);
        expect(fs.readdirSync(dir)).to.have.length(3);
    });

    it("transpiles without a cache where the directory cannot be written", () => {
        const file = path.join(dir, "not-a-directory");
        fs.writeFileSync(file, "");
        expect(transpile(source, "/src/y.ts", path.join(file, "cache"))).to.contain("require('./x')");
    });
});
