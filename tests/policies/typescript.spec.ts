/**
 * policies/typescript.js, the `.ts` loader of the policy pack's process: it must take over from a loader
 * registered before it (run-policy-pack's type-checking ts-node), and compile without source maps.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const { transpile } = require("../../policies/typescript");
const LOADER = path.join(__dirname, "..", "..", "policies", "typescript.js");

describe("policies/typescript.js: the policy pack's .ts loader", () => {
    it("strips the types, turns imports into requires, keeps every line where it was and adds no source map", () => {
        const source = 'import { x } from "./x";\n\nexport const y: number = x + 1;\n';
        const code: string = transpile(source, "/src/y.ts");
        expect(code.split("\n")).to.deep.equal([
            `"use strict";Object.defineProperty(exports, "__esModule", {value: true});var _x = require('./x');`,
            "",
            " const y = _x.x + 1; exports.y = y;",
            "",
        ]);
    });

    it("loads .ts files in place of a loader registered before it, in a process of its own", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-loader-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a: string = `a${b}`;\n');
            fs.writeFileSync(path.join(dir, "b.ts"), "export const b: number = 2;\n");
            const script = [
                // A stand-in for the type-checking loader run-policy-pack registers first.
                'require.extensions[".ts"] = () => { throw new Error("the earlier loader ran"); };',
                `require(${JSON.stringify(LOADER)}).register();`,
                `process.stdout.write(require(${JSON.stringify(path.join(dir, "a.ts"))}).a);`,
            ].join("\n");
            expect(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })).to.equal("a2");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
