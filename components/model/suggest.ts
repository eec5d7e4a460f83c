/** Edit distance (insertions, deletions, substitutions) between two short strings. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
        }
        previous = current;
    }
    return previous[b.length];
}

const sharedStart = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) {
        i++;
    }
    return i;
};

/**
 * The `count` candidates nearest to `value`, for "did you mean" messages: smallest edit distance first,
 * then the longest common start (`us-west-9` is nearer `us-east-1` than `ca-west-1`), then the candidates'
 * order.
 */
export function nearest(value: string, candidates: readonly string[], count = 3): string[] {
    return candidates
        .map((candidate, index) => ({ candidate, index, distance: editDistance(value, candidate), shared: sharedStart(value, candidate) }))
        .sort((x, y) => x.distance - y.distance || y.shared - x.shared || x.index - y.index)
        .slice(0, count)
        .map((c) => c.candidate);
}
