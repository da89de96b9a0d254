/** The p-th percentile of samples sorted ascending (nearest rank). */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export const median = (samples: number[]): number => percentile([...samples].sort((a, b) => a - b), 50);
