package io.github.blllib.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Items 2 and 3: four trivial stages ({@code x -> x + 1}), so that the figure is the engine's
 * own cost per item and per stage.
 *
 * <ul>
 * <li>blllib: four stateless stages, batch size 256, on a 2-thread pool.</li>
 * <li>Reactor: four chained {@code flatMapSequential} (concurrency 256), each inner
 * {@code Mono} subscribed on the same 2-thread pool: the ordered, bounded, parallel stage as
 * Reactor spells it.</li>
 * <li>Streams: a plain sequential {@code Stream.map} chain, the floor no pipeline beats.</li>
 * <li>blllib sequential: the same four stages with {@code sequential()}, every stage on the
 * consuming thread.</li>
 * </ul>
 * All four run side by side, interleaved, and check their sum.
 */
final class TrivialStagesBenchmark implements Benchmark {

	static final String BLLLIB = "blllib n-cpu 2";

	static final String REACTOR = "Reactor";

	static final String STREAMS = "Stream.map";

	static final String SEQUENTIAL = "blllib sequential()";

	private static final int STAGES = 4;

	private static final int BATCH_SIZE = 256;

	private static final int THREADS = 2;

	private static final double GOAL_ITEMS_PER_SECOND = 5_000_000;

	private static final double GOAL_OVER_REACTOR = 10;

	private static final double GOAL_SEQUENTIAL_OVER_STREAMS = 1.2;

	private final Map<String, Double> itemsPerSecond = new LinkedHashMap<>();

	private String details = "";

	private int items;

	@Override
	public int item() {
		return 2;
	}

	@Override
	public String title() {
		return "per-item overhead and sequential mode";
	}

	/** Median items per second of each candidate, for the chart. */
	Map<String, Double> itemsPerSecond() {
		return this.itemsPerSecond;
	}

	/** Items per run. */
	int items() {
		return this.items;
	}

	@Override
	public String details() {
		return this.details;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		int items = mode.trivialItems();
		this.items = items;
		IntRange inputs = new IntRange(items);
		long expectedSum = (long) items * (items - 1) / 2 + (long) STAGES * items;
		ExecutorService pool = Executors.newFixedThreadPool(THREADS, new DaemonThreads("bench-pool"));
		Scheduler scheduler = Schedulers.fromExecutorService(pool, "bench-pool");
		try (Pipeline<Integer, Integer> parallel = trivialStages(Pipeline.<Integer>builder("trivial-parallel")
			.nCpu(THREADS)
			.workerPool(pool), BATCH_SIZE);
				Pipeline<Integer, Integer> sequential = trivialStages(
						Pipeline.<Integer>builder("trivial-sequential").sequential(), 1)) {
			Map<String, TimedRun> candidates = new LinkedHashMap<>();
			candidates.put(BLLLIB, () -> runPipeline(parallel, inputs, expectedSum));
			candidates.put(REACTOR, () -> runReactor(scheduler, inputs, expectedSum));
			candidates.put(STREAMS, () -> runStreams(items, expectedSum));
			candidates.put(SEQUENTIAL, () -> runPipeline(sequential, inputs, expectedSum));
			Map<String, Samples> samples = Rounds.interleaved(mode, candidates);
			// item 3 compares two short runs: its own rounds of just the two, three times as many
			Map<String, TimedRun> pair = new LinkedHashMap<>();
			pair.put(STREAMS, candidates.get(STREAMS));
			pair.put(SEQUENTIAL, candidates.get(SEQUENTIAL));
			Map<String, Samples> pairSamples = Rounds.interleaved(mode.warmups(), 3 * mode.repeats(), pair);
			return rows(items, samples, pairSamples);
		}
		finally {
			scheduler.dispose();
			pool.shutdownNow();
			pool.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	private List<ResultRow> rows(int items, Map<String, Samples> samples, Map<String, Samples> pairSamples) {
		StringBuilder table = new StringBuilder();
		table.append("| candidate | median time | items/s |\n| --- | --- | --- |\n");
		samples.forEach((name, sample) -> {
			double rate = sample.itemsPerSecond(items);
			this.itemsPerSecond.put(name, rate);
			table.append(String.format("| %s | %s | %s |%n", name, sample.describeMillis(), Report.rate(rate)));
		});
		this.details = String.format("Items 2 and 3, %,d items through 4 stages x -> x + 1 (blllib n-cpu 2: "
				+ "4 stateless stages, batch 256, on a 2-thread pool; Reactor: 4 chained flatMapSequential, "
				+ "concurrency 256, each inner Mono subscribed on the same 2-thread pool):%n%n", items) + table
				+ String.format("%nItem 3 then runs the two short candidates again in rounds of their own:%n%n"
						+ "| candidate | median time |%n| --- | --- |%n| %s | %s |%n| %s | %s |%n", STREAMS,
						pairSamples.get(STREAMS).describeMillis(), SEQUENTIAL,
						pairSamples.get(SEQUENTIAL).describeMillis());
		double blllib = this.itemsPerSecond.get(BLLLIB);
		double reactor = this.itemsPerSecond.get(REACTOR);
		double streams = this.itemsPerSecond.get(STREAMS);
		Samples sequential = pairSamples.get(SEQUENTIAL);
		Samples streamsAlone = pairSamples.get(STREAMS);
		double sequentialOverStreams = (double) sequential.median() / streamsAlone.median();
		List<ResultRow> rows = new ArrayList<>();
		rows.add(new ResultRow(2, String.format("per-item overhead: blllib items/s (4 stateless x+1, batch 256, "
				+ "n-cpu 2, %,d items)", items), Report.rate(blllib), "≥ 5.0 M/s",
				Verdict.of(blllib >= GOAL_ITEMS_PER_SECOND)));
		rows.add(new ResultRow(2, "per-item overhead: blllib / Reactor flatMapSequential (concurrency 256, 2 threads)",
				String.format("%.1f× (Reactor %s)", blllib / reactor, Report.rate(reactor)), "≥ 10×",
				Verdict.of(blllib / reactor >= GOAL_OVER_REACTOR)));
		rows.add(ResultRow.info(2, "per-item overhead: plain Stream.map chain items/s", Report.rate(streams)));
		rows.add(new ResultRow(3, "sequential mode: time / Stream.map chain time (same 4 stages)",
				String.format("%.2f× (%s vs %s)", sequentialOverStreams, Report.millis(sequential),
						Report.millis(streamsAlone)),
				"≤ 1.2×", Verdict.of(sequentialOverStreams <= GOAL_SEQUENTIAL_OVER_STREAMS)));
		return rows;
	}

	private static Pipeline<Integer, Integer> trivialStages(Pipeline.Builder<Integer, Integer> builder, int batchSize) {
		for (int i = 1; i <= STAGES; i++) {
			builder.then(StageSpec.stateless("plus-one-" + i, (Integer x) -> x + 1).batchSize(batchSize));
		}
		return builder.build();
	}

	private static long runPipeline(Pipeline<Integer, Integer> pipeline, IntRange inputs, long expectedSum) {
		long start = System.nanoTime();
		long sum = 0;
		try (PipelineRun<Integer> run = pipeline.apply(inputs)) {
			while (run.hasNext()) {
				sum += run.next();
			}
		}
		long elapsed = System.nanoTime() - start;
		Blackhole.check(pipeline.name() + " sum", expectedSum, sum);
		return elapsed;
	}

	private static long runReactor(Scheduler scheduler, IntRange inputs, long expectedSum) {
		long start = System.nanoTime();
		Flux<Integer> flux = Flux.fromIterable(inputs);
		for (int i = 0; i < STAGES; i++) {
			flux = flux.flatMapSequential((x) -> Mono.fromCallable(() -> x + 1).subscribeOn(scheduler), BATCH_SIZE);
		}
		Long sum = flux.reduce(0L, (total, x) -> total + x).block();
		long elapsed = System.nanoTime() - start;
		Blackhole.check("reactor sum", expectedSum, sum);
		return elapsed;
	}

	private static long runStreams(int items, long expectedSum) {
		Function<Integer, Integer> plusOne = (x) -> x + 1;
		long start = System.nanoTime();
		long sum = IntStream.range(0, items)
			.boxed()
			.map(plusOne)
			.map(plusOne)
			.map(plusOne)
			.map(plusOne)
			.mapToLong(Integer::longValue)
			.sum();
		long elapsed = System.nanoTime() - start;
		Blackhole.check("streams sum", expectedSum, sum);
		return elapsed;
	}

}
