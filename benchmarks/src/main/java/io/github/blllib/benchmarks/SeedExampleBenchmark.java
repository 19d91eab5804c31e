package io.github.blllib.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;

/**
 * Item 1, the seed's own example: {@code add, subtract, multiply, divide}, each a window of 2
 * with batch size 5, sleeping 3, 3, 5 and 7 units of 10 ms, over inputs {@code 0..10} with
 * n-cpu 20. Its lower bound is 25 units: the critical path 3 + 3 + 5 + 7, plus a second wave
 * of the 7-unit stage, whose seven windows do not fit in one batch of 5. The figure is wall
 * time over that bound; scheduling overhead and lost parallelism show up as the excess over 1.
 */
final class SeedExampleBenchmark implements Benchmark {

	static final long UNIT_MILLIS = 10;

	static final long LOWER_BOUND_UNITS = 25;

	private static final double GOAL = 1.03;

	private static final List<Double> INPUTS = IntStream.rangeClosed(0, 10).mapToObj((i) -> (double) i).toList();

	@Override
	public int item() {
		return 1;
	}

	@Override
	public String title() {
		return "seed example";
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		try (Pipeline<Double, Double> pipeline = Pipeline.<Double>builder("seed-example")
			.nCpu(20)
			.then(StageSpec.window("add", 2, (List<Double> w) -> sleepUnits(3, w.get(0) + w.get(1))).batchSize(5))
			.then(StageSpec.window("subtract", 2, (List<Double> w) -> sleepUnits(3, w.get(1) - w.get(0))).batchSize(5))
			.then(StageSpec.window("multiply", 2, (List<Double> w) -> sleepUnits(5, w.get(0) * w.get(1))).batchSize(5))
			.then(StageSpec.window("divide", 2, (List<Double> w) -> sleepUnits(7, w.get(1) / w.get(0))).batchSize(5))
			.build()) {
			Samples samples = Rounds.interleaved(mode, Map.of("blllib", () -> runOnce(pipeline))).get("blllib");
			double ratio = samples.median() / (LOWER_BOUND_UNITS * UNIT_MILLIS * 1e6);
			String figure = String.format("%.3f (%s; bound %d ms)", ratio, samples.describeMillis(),
					LOWER_BOUND_UNITS * UNIT_MILLIS);
			return List.of(new ResultRow(1, "seed example: wall time / 25 units (unit 10 ms, n-cpu 20)", figure,
					"≤ " + GOAL, Verdict.of(ratio <= GOAL)));
		}
	}

	private static long runOnce(Pipeline<Double, Double> pipeline) {
		long start = System.nanoTime();
		int outputs = 0;
		try (PipelineRun<Double> run = pipeline.apply(INPUTS)) {
			while (run.hasNext()) {
				if (run.next() != 1.0) {
					throw new IllegalStateException("seed example: every output must be 1.0");
				}
				outputs++;
			}
		}
		long elapsed = System.nanoTime() - start;
		Blackhole.check("seed example outputs", INPUTS.size() - 4, outputs);
		return elapsed;
	}

	private static double sleepUnits(int units, double result) throws InterruptedException {
		Thread.sleep(units * UNIT_MILLIS);
		return result;
	}

}
