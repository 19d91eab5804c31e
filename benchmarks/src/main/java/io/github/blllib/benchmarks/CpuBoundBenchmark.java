package io.github.blllib.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;

/**
 * Item 4: one stateless stage doing about 50 µs of arithmetic per item, n-cpu 2 against the
 * same stage in sequential mode. On 2 cores the ideal is 2×; the shortfall is what hand-over,
 * ordering and the consuming thread cost when the work is real.
 */
final class CpuBoundBenchmark implements Benchmark {

	static final String PARALLEL = "n-cpu 2, batch 64";

	static final String SEQUENTIAL = "sequential()";

	private static final long TARGET_NANOS = 50_000;

	private static final double GOAL = 1.9;

	private String details = "";

	@Override
	public int item() {
		return 4;
	}

	@Override
	public String title() {
		return "CPU-bound scaling";
	}

	@Override
	public String details() {
		return this.details;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		int iterations = CpuWork.calibrate(TARGET_NANOS);
		int items = mode.cpuItems();
		long expected = 0;
		for (long i = 0; i < items; i++) {
			expected += CpuWork.spin(i, iterations);
		}
		long expectedSum = expected;
		try (Pipeline<Long, Long> parallel = cpuStage(Pipeline.<Long>builder("cpu-parallel").nCpu(2), iterations);
				Pipeline<Long, Long> sequential = cpuStage(Pipeline.<Long>builder("cpu-sequential").sequential(),
						iterations)) {
			Map<String, TimedRun> candidates = new LinkedHashMap<>();
			candidates.put(PARALLEL, () -> runOnce(parallel, items, expectedSum));
			candidates.put(SEQUENTIAL, () -> runOnce(sequential, items, expectedSum));
			Map<String, Samples> samples = Rounds.interleaved(mode, candidates);
			Samples parallelSamples = samples.get(PARALLEL);
			Samples sequentialSamples = samples.get(SEQUENTIAL);
			double speedUp = (double) sequentialSamples.median() / parallelSamples.median();
			double microsPerItem = sequentialSamples.median() / 1e3 / items;
			this.details = String.format("Item 4: %,d iterations per item (calibrated for 50 µs; sequential mode "
					+ "measured %.1f µs per item); n-cpu 2: %s; sequential: %s.%n", iterations, microsPerItem,
					parallelSamples.describeMillis(), sequentialSamples.describeMillis());
			return List.of(new ResultRow(4,
					String.format("CPU-bound: speed-up of n-cpu 2 over sequential (%.0f µs/item, %,d items)",
							microsPerItem, items),
					String.format("%.2f× (%s vs %s)", speedUp, Report.millis(parallelSamples),
							Report.millis(sequentialSamples)),
					"≥ 1.9×", Verdict.of(speedUp >= GOAL)));
		}
	}

	private static Pipeline<Long, Long> cpuStage(Pipeline.Builder<Long, Long> builder, int iterations) {
		return builder.then(StageSpec.stateless("spin", (Long x) -> CpuWork.spin(x, iterations)).batchSize(64))
			.build();
	}

	private static long runOnce(Pipeline<Long, Long> pipeline, int items, long expectedSum) {
		Iterable<Long> inputs = () -> LongStream.range(0, items).boxed().iterator();
		long start = System.nanoTime();
		long sum = 0;
		try (PipelineRun<Long> run = pipeline.apply(inputs)) {
			while (run.hasNext()) {
				sum += run.next();
			}
		}
		long elapsed = System.nanoTime() - start;
		Blackhole.check(pipeline.name() + " sum", expectedSum, sum);
		return elapsed;
	}

}
