/**
 * The test suite turns off @pulumi/pulumi's stack captures under mocks (tests/support/stackCaptures.ts).
 * These tests hold it to what it must keep: pending promises still tracked for the leak report, rejections
 * still carrying their promise, and the stacks of ordinary errors; and to failing open.
 */
import { expect } from "chai";
import "./mocks";
import { skipPulumiStackCaptures } from "./stackCaptures";

const resource = require("@pulumi/pulumi/resource");
const debuggable = require("@pulumi/pulumi/runtime/debuggable");
const state = require("@pulumi/pulumi/runtime/state");

describe("tests/support/stackCaptures.ts: Pulumi's stack captures under mocks", () => {
    it("records no call stack for a resource (its source position is left out)", () => {
        expect(resource.Resource.stackTrace(0)).to.deep.equal([]);
    });

    it("is installed once, however often it is called", () => {
        const patched = debuggable.debuggablePromise;
        expect(skipPulumiStackCaptures()).to.equal(true);
        expect(debuggable.debuggablePromise).to.equal(patched);
    });

    it("still tracks a runtime promise as pending until it settles, without a creation stack", async () => {
        let resolve!: (value: number) => void;
        const pending = new Promise<number>((r) => (resolve = r));
        const tracked = debuggable.debuggablePromise(pending, "a test's promise");
        expect(state.getStore().leakCandidates.has(pending)).to.equal(true);
        expect((pending as any)._debugStackTrace).to.equal(undefined);
        resolve(7);
        expect(await tracked).to.equal(7);
        expect(state.getStore().leakCandidates.has(pending)).to.equal(false);
    });

    it("still rejects with the error, which names the promise, and stops tracking it", async () => {
        const failing = Promise.reject(new Error("boom"));
        const error = await debuggable.debuggablePromise(failing, "a failing promise").then(
            () => undefined,
            (e: Error & { promise?: unknown }) => e,
        );
        expect(error?.message).to.equal("boom");
        expect(error?.promise).to.equal(failing);
        expect(state.getStore().leakCandidates.has(failing)).to.equal(false);
    });

    it("leaves the stacks of ordinary errors alone", () => {
        expect(new Error("where").stack).to.include("stackCaptures.spec.ts");
    });

    it("fails open: where the SDK's internals are not found it warns, changes nothing and says so", () => {
        const saved = debuggable.debuggablePromise;
        const skipped = Symbol.for("s3-crr.tests.stacksSkipped");
        const wasSkipped = debuggable[skipped];
        const warnings: string[] = [];
        try {
            debuggable[skipped] = false;
            debuggable.debuggablePromise = undefined;
            expect(skipPulumiStackCaptures((m) => warnings.push(m))).to.equal(false);
            expect(debuggable.debuggablePromise).to.equal(undefined);
        } finally {
            debuggable.debuggablePromise = saved;
            debuggable[skipped] = wasSkipped;
        }
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.match(/no Resource.stackTrace, runtime\/debuggable's debuggablePromise or runtime\/state's getStore; Pulumi's stack captures stay on/);
    });
});
