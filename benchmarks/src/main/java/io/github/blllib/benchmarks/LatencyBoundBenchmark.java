package io.github.blllib.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;

/**
 * Item 6: a stage that sleeps 1 ms (a remote call, say) with batch size 1, 8, 64 and 512 and
 * n-cpu 512. The batch size is the number of calls in flight, so the ideal throughput is
 * {@code min(batch, n-cpu)} sleeps at a time; the figure shows the user what a batch size buys.
 * A plain loop of {@code Thread.sleep(1)} on one thread, run in the same rounds, tells what one
 * such sleep really takes on this machine; the ideal is counted from it.
 */
final class LatencyBoundBenchmark implements Benchmark {

	static final int[] BATCH_SIZES = { 1, 8, 64, 512 };

	private static final int N_CPU = 512;

	private static final String SLEEP_LOOP = "sleep loop";

	private final List<Point> points = new ArrayList<>();

	private double sleepsPerSecond = 1000;

	@Override
	public int item() {
		return 6;
	}

	@Override
	public String title() {
		return "latency-bound scaling";
	}

	/** Throughput per batch size, for the chart. */
	List<Point> points() {
		return this.points;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		List<Pipeline<Integer, Integer>> pipelines = new ArrayList<>();
		Map<String, TimedRun> candidates = new LinkedHashMap<>();
		try {
			for (int batchSize : BATCH_SIZES) {
				Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("sleep-batch-" + batchSize)
					.nCpu(N_CPU)
					.then(StageSpec.stateless("sleep-1ms", (Integer x) -> {
						Thread.sleep(1);
						return x;
					}).batchSize(batchSize))
					.build();
				pipelines.add(pipeline);
				int items = mode.latencyItems(batchSize);
				candidates.put(Integer.toString(batchSize), () -> runOnce(pipeline, items));
			}
			int loopItems = mode.latencyItems(1);
			candidates.put(SLEEP_LOOP, () -> sleepLoop(loopItems));
			Map<String, Samples> samples = Rounds.interleaved(mode, candidates);
			this.sleepsPerSecond = samples.get(SLEEP_LOOP).itemsPerSecond(loopItems);
			for (int batchSize : BATCH_SIZES) {
				Samples sample = samples.get(Integer.toString(batchSize));
				this.points.add(new Point(batchSize, mode.latencyItems(batchSize),
						sample.itemsPerSecond(mode.latencyItems(batchSize)),
						Math.min(batchSize, N_CPU) * this.sleepsPerSecond, sample));
			}
		}
		finally {
			pipelines.forEach(Pipeline::close);
		}
		boolean grows = true;
		StringBuilder figure = new StringBuilder();
		for (int i = 0; i < this.points.size(); i++) {
			Point point = this.points.get(i);
			grows &= (i == 0) || point.itemsPerSecond() > this.points.get(i - 1).itemsPerSecond();
			figure.append((i == 0) ? "" : " / ").append(Report.rate(point.itemsPerSecond()));
		}
		return List.of(new ResultRow(6, "latency-bound: items/s of a 1 ms stage at batch 1 / 8 / 64 / 512 (n-cpu 512)",
				figure.toString(), "grows with batch size", Verdict.of(grows)));
	}

	@Override
	public String details() {
		StringBuilder table = new StringBuilder(String.format("Item 6, a stage sleeping 1 ms, n-cpu 512. A plain "
				+ "loop of Thread.sleep(1) on one thread does %s here; ideal = min(batch, n-cpu) times that.%n%n",
				Report.rate(this.sleepsPerSecond)))
			.append("| batch size | items per run | median time | items/s | ideal items/s | of ideal |\n"
				+ "| --- | --- | --- | --- | --- | --- |\n");
		for (Point point : this.points) {
			table.append(String.format("| %d | %,d | %s | %s | %s | %.0f%% |%n", point.batchSize(), point.items(),
					point.samples().describeMillis(), Report.rate(point.itemsPerSecond()),
					Report.rate(point.idealItemsPerSecond()),
					100 * point.itemsPerSecond() / point.idealItemsPerSecond()));
		}
		return table.toString();
	}

	private static long runOnce(Pipeline<Integer, Integer> pipeline, int items) {
		long start = System.nanoTime();
		long count = 0;
		try (PipelineRun<Integer> run = pipeline.apply(new IntRange(items))) {
			while (run.hasNext()) {
				run.next();
				count++;
			}
		}
		long elapsed = System.nanoTime() - start;
		Blackhole.check(pipeline.name() + " outputs", items, count);
		return elapsed;
	}

	private static long sleepLoop(int items) throws InterruptedException {
		long start = System.nanoTime();
		for (int i = 0; i < items; i++) {
			Thread.sleep(1);
		}
		return System.nanoTime() - start;
	}

	/** One batch size's throughput, and the most it could be. */
	record Point(int batchSize, int items, double itemsPerSecond, double idealItemsPerSecond, Samples samples) {
	}

}
