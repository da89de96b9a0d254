import { median } from './stats.js';

/**
 * Side-by-side measurement inside workerd. Variants run in interleaved rounds (rotating which
 * goes first) so that machine noise hits them alike; the report is each variant's median time
 * per operation and its ratio to the baseline, the first variant. Ratios, not absolute times,
 * are what carry over from this machine (see docs/benchmarks.md).
 */
export interface Comparison {
    title: string;
    baseline: string;
    rows: { variant: string; medianMs: number; ratio: number }[];
}

export async function compare(
    title: string,
    variants: Record<string, () => Promise<unknown>>,
    { rounds = 7, iterations = 30 }: { rounds?: number; iterations?: number } = {}
): Promise<Comparison> {
    const names = Object.keys(variants);
    const samples = new Map<string, number[]>(names.map((n) => [n, []]));
    for (const name of names) for (let i = 0; i < 3; i++) await variants[name]!(); // warm-up
    for (let round = 0; round < rounds; round++) {
        const order = names.map((_, i) => names[(i + round) % names.length]!);
        for (const name of order) {
            const started = performance.now();
            for (let i = 0; i < iterations; i++) await variants[name]!();
            samples.get(name)!.push((performance.now() - started) / iterations);
        }
    }
    const baselineMs = median(samples.get(names[0]!)!);
    const comparison = {
        title,
        baseline: names[0]!,
        rows: names.map((variant) => {
            const medianMs = median(samples.get(variant)!);
            return { variant, medianMs, ratio: medianMs / baselineMs };
        })
    };
    print(comparison);
    return comparison;
}

function print(c: Comparison) {
    // workerd's clock only advances across I/O, so pure-CPU variants can read 0 ms; say so instead of dividing by it.
    const lines = c.rows.map((r) => `  ${r.variant.padEnd(48)} ${r.medianMs.toFixed(3).padStart(9)} ms  ${Number.isFinite(r.ratio) ? `×${r.ratio.toFixed(2)}` : 'n/a'}`);
    console.log(`\n${c.title} (baseline: ${c.baseline})\n${lines.join('\n')}`);
}
