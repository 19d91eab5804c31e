package io.github.blllib.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;

/**
 * Item 4: one stateless stage doing about 50 µs of arithmetic per item, n-cpu 2 against the
 * same stage in sequential mode. On 2 cores the ideal is 2×; the shortfall is what hand-over,
 * ordering and the consuming thread cost when the work is real. The same work shared by two
 * plain threads, run in the same rounds, is the machine's own ceiling at that moment: on a
 * machine busy with other work it falls well short of 2× too.
 */
final class CpuBoundBenchmark implements Benchmark {

	static final String PARALLEL = "n-cpu 2, batch 64";

	static final String SEQUENTIAL = "sequential()";

	static final String PLAIN_THREADS = "2 plain threads";

	private static final long TARGET_NANOS = 50_000;

	private static final double GOAL = 1.9;

	private static final int PLAIN_CHUNK = 16;

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
		long expectedSum = spinRange(0, items, iterations);
		ExecutorService pool = Executors.newSingleThreadExecutor(new DaemonThreads("bench-half"));
		try (Pipeline<Long, Long> parallel = cpuStage(Pipeline.<Long>builder("cpu-parallel").nCpu(2), iterations);
				Pipeline<Long, Long> sequential = cpuStage(Pipeline.<Long>builder("cpu-sequential").sequential(),
						iterations)) {
			Map<String, TimedRun> candidates = new LinkedHashMap<>();
			candidates.put(PARALLEL, () -> runOnce(parallel, items, expectedSum));
			candidates.put(SEQUENTIAL, () -> runOnce(sequential, items, expectedSum));
			candidates.put(PLAIN_THREADS, () -> runOnTwoThreads(pool, items, iterations, expectedSum));
			Map<String, Samples> samples = Rounds.interleaved(mode, candidates);
			Samples parallelSamples = samples.get(PARALLEL);
			Samples sequentialSamples = samples.get(SEQUENTIAL);
			Samples plainSamples = samples.get(PLAIN_THREADS);
			double speedUp = (double) sequentialSamples.median() / parallelSamples.median();
			double ceiling = (double) sequentialSamples.median() / plainSamples.median();
			double microsPerItem = sequentialSamples.median() / 1e3 / items;
			this.details = String.format("Item 4: %,d iterations per item (calibrated for 50 µs; sequential mode "
					+ "measured %.1f µs per item); n-cpu 2: %s; sequential: %s; the same work on 2 plain threads: "
					+ "%s.%n", iterations, microsPerItem, parallelSamples.describeMillis(),
					sequentialSamples.describeMillis(), plainSamples.describeMillis());
			return List.of(
					new ResultRow(4,
							String.format("CPU-bound: speed-up of n-cpu 2 over sequential (%.0f µs/item, %,d items)",
									microsPerItem, items),
							String.format("%.2f× (%s vs %s)", speedUp, Report.millis(parallelSamples),
									Report.millis(sequentialSamples)),
							"≥ 1.9×", Verdict.of(speedUp >= GOAL)),
					ResultRow.info(4, "CPU-bound: machine ceiling, same work on 2 plain threads over 1 thread",
							String.format("%.2f× (%s)", ceiling, Report.millis(plainSamples))));
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * The same work with no pipeline and no ordering: two threads take chunks of 16 items from a
	 * shared counter until none is left, so one thread being descheduled does not hold up the
	 * other (fixed halves would measure the slower half on a busy machine).
	 */
	private static long runOnTwoThreads(ExecutorService pool, int items, int iterations, long expectedSum)
			throws Exception {
		AtomicInteger next = new AtomicInteger();
		long start = System.nanoTime();
		Future<Long> helper = pool.submit(() -> spinClaimedChunks(next, items, iterations));
		long sum = spinClaimedChunks(next, items, iterations) + helper.get();
		long elapsed = System.nanoTime() - start;
		Blackhole.check("plain threads sum", expectedSum, sum);
		return elapsed;
	}

	private static long spinClaimedChunks(AtomicInteger next, int items, int iterations) {
		long sum = 0;
		int from;
		while ((from = next.getAndAdd(PLAIN_CHUNK)) < items) {
			sum += spinRange(from, Math.min(items, from + PLAIN_CHUNK), iterations);
		}
		return sum;
	}

	static long spinRange(long from, long to, int iterations) {
		long sum = 0;
		for (long i = from; i < to; i++) {
			sum += CpuWork.spin(i, iterations);
		}
		return sum;
	}

	private static Pipeline<Long, Long> cpuStage(Pipeline.Builder<Long, Long> builder, int iterations) {
		return builder.then(StageSpec.stateless("spin", (Long x) -> CpuWork.spin(x, iterations)).batchSize(64))
			.build();
	}

	static long runOnce(Pipeline<Long, Long> pipeline, int items, long expectedSum) {
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
