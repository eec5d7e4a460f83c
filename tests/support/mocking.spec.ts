/**
 * tools/mocking.ts turns off @pulumi/pulumi's stack captures under mocks (skipPulumiStackCaptures). These
 * tests pin what it relies on in the pinned SDK and what it must keep: pending promises still tracked for
 * the leak report, rejections still carrying their promise, and the stacks of ordinary errors.
 */
import { expect } from "chai";
import "./mocks";
import { skipPulumiStackCaptures } from "../../tools/mocking";

const resource = require("@pulumi/pulumi/resource");
const debuggable = require("@pulumi/pulumi/runtime/debuggable");
const state = require("@pulumi/pulumi/runtime/state");

describe("tools/mocking.ts: Pulumi's stack captures under mocks", () => {
    it("records no call stack for a resource (its source position is left out)", () => {
        expect(resource.Resource.stackTrace(0)).to.deep.equal([]);
    });

    it("is installed once, however often the mocks are installed", () => {
        const patched = debuggable.debuggablePromise;
        skipPulumiStackCaptures();
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
        expect(new Error("where").stack).to.include("mocking.spec.ts");
    });
});
