package io.github.blllib.benchmarks;

/**
 * How much work each benchmark does. {@link #QUICK} is a smoke test that finishes in well
 * under a minute; {@link #FULL} is the run whose figures are compared with the goals.
 *
 * @param name shown in the report
 * @param warmups untimed runs of every candidate before the timed ones
 * @param repeats timed runs of every candidate; the report gives their median
 * @param trivialItems items through the four {@code x -> x + 1} stages (items 2 and 3)
 * @param cpuItems items through the CPU-bound stage (item 4)
 * @param memoryItems items through the endless-input pipeline at -Xmx32m (item 5)
 * @param memoryBaselineItems the shorter run whose peak heap item 5 compares with
 * @param latencyItemsPerBatch items per run of the 1 ms stage, times its batch size (item 6)
 * @param latencyItemsCap most items per run of the 1 ms stage
 * @param ioItemsCap most items per run of the 1 ms call of item 7 (which also uses
 * {@code latencyItemsPerBatch})
 */
record Mode(String name, int warmups, int repeats, int trivialItems, int cpuItems, long memoryItems,
		long memoryBaselineItems, int latencyItemsPerBatch, int latencyItemsCap, int ioItemsCap) {

	static final Mode QUICK = new Mode("quick", 1, 5, 200_000, 4_000, 1_000_000, 100_000, 60, 10_000, 40_000);

	static final Mode FULL = new Mode("full", 3, 9, 1_000_000, 20_000, 10_000_000, 100_000, 300, 50_000, 200_000);

	int latencyItems(int batchSize) {
		return Math.min(this.latencyItemsCap, this.latencyItemsPerBatch * batchSize);
	}

}
