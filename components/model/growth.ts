/**
 * The names a pair's or a mesh's children had before the topology grew (a pair became a mesh, a side got a
 * key or a region): pure functions over logical names. The component turns each former name into an
 * `aliases` entry, so that Pulumi moves a child that stays instead of replacing it.
 * @see https://www.pulumi.com/docs/iac/concepts/options/aliases/
 */

/** The type token a CrrMesh grown from a pair takes over (the pair's; see crrPair.ts). */
export const FORMER_PAIR_TYPE = "s3crr:index:CrrPair";

/** Per side key now, the keys its children were named under before. */
export type FormerKeys = ReadonlyMap<string, readonly string[]>;

/**
 * Every former name of child `childName` of component `componentName`, given each side's former keys. A
 * side's child is `<component>-<key>-<suffix>`; an alarm's suffix also ends in its destination's key
 * (`alarm-latency-<key>`), which is renamed too. A name matching no side, or of a side without former keys,
 * has none.
 */
export function formerChildNames(componentName: string, childName: string, formerKeys: FormerKeys): string[] {
    const head = `${componentName}-`;
    if (!childName.startsWith(head)) {
        return [];
    }
    const rest = childName.slice(head.length);
    // The longest key first: `us-east-2` before a key `us`.
    const keys = [...formerKeys.keys()].sort((a, b) => b.length - a.length);
    const key = keys.find((k) => rest.startsWith(`${k}-`));
    if (key === undefined) {
        return [];
    }
    const suffix = rest.slice(key.length + 1);
    const destination = keys.find((k) => suffix.endsWith(`-${k}`) && suffix.length > k.length + 1);
    const suffixes = destination === undefined ? [suffix] : [suffix, ...formerKeys.get(destination)!.map((d) => `${suffix.slice(0, -destination.length)}${d}`)];
    const names: string[] = [];
    for (const k of [key, ...formerKeys.get(key)!]) {
        for (const s of suffixes) {
            names.push(`${head}${k}-${s}`);
        }
    }
    return names.filter((n) => n !== childName);
}
