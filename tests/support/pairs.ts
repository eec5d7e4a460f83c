import * as aws from "../../components/model/aws";
import { CrrPair } from "../../components";

/**
 * Registers `count` CrrPairs, each with its own two providers (us-east-2 and us-west-2), named
 * `<prefix><i>`: the load of the benchmarks and of the many-pairs fixture program.
 */
export function registerPairs(count: number, prefix = "pair"): CrrPair[] {
    return Array.from({ length: count }, (_, i) => {
        const id = `${prefix}${i}`;
        return new CrrPair(id, {
            namingPrefix: `bench-${id}-data`,
            primary: { provider: new aws.Provider(`${id}-east`, { region: "us-east-2" }), region: "us-east-2" },
            secondary: { provider: new aws.Provider(`${id}-west`, { region: "us-west-2" }), region: "us-west-2" },
        });
    });
}
