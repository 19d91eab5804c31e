package io.github.blllib.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;

/**
 * Item 8: what a retry's backoff costs a run. One stateless stage doing about 5 ms of
 * arithmetic per item, n-cpu 2, batch 64; one item in ten fails once, at once, and is retried
 * after 50 ms. The stage's own retry policy waits that delay holding no worker thread, so the
 * other items in flight go on and the delays overlap: the run should take about its no-failure
 * time plus one backoff, not one backoff per failure. Output stays in input order, so an item
 * waiting for its retry holds up the ones behind it once the batch is full: the 64 items in
 * flight must hold more work than a backoff (here 160 ms on 2 threads) for the delay to hide
 * behind them; with 2 ms items (64 ms of work) the same run measured about 4.7 backoffs. The same failures retried inside the
 * stage, sleeping on the worker thread as hand-written code would, run in the same rounds for
 * comparison.
 */
final class RetryBackoffBenchmark implements Benchmark {

	static final String NO_FAILURES = "no failures";

	static final String POLICY = "10% fail once, Retry 50 ms";

	static final String SLEEPING = "10% fail once, sleep 50 ms in the stage";

	private static final long TARGET_NANOS = 5_000_000;

	private static final Duration BACKOFF = Duration.ofMillis(50);

	/** The goal: a run with failures takes at most its no-failure time plus this many backoffs. */
	private static final int GOAL_BACKOFFS = 2;

	private static final int FAILING_ONE_IN = 10;

	private String details = "";

	@Override
	public int item() {
		return 8;
	}

	@Override
	public String title() {
		return "retry backoff";
	}

	@Override
	public String details() {
		return this.details;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		int iterations = CpuWork.calibrate(TARGET_NANOS);
		// the CPU-bound item's 50 µs items, scaled to 40% of its work at 5 ms each
		int items = Math.max(200, mode.cpuItems() / 50);
		long expectedSum = CpuBoundBenchmark.spinRange(0, items, iterations);
		long failures = LongStream.range(0, items).filter(RetryBackoffBenchmark::failsOnce).count();
		FirstAttempts attempts = new FirstAttempts(items);
		try (Pipeline<Long, Long> clean = pipeline("retry-none", (x) -> CpuWork.spin(x, iterations), null);
				Pipeline<Long, Long> policy = pipeline("retry-policy", (x) -> {
					if (failsOnce(x) && attempts.first(x)) {
						throw new IllegalStateException("first attempt of " + x + " fails");
					}
					return CpuWork.spin(x, iterations);
				}, Retry.maxRetries(1).delay(BACKOFF));
				Pipeline<Long, Long> sleeping = pipeline("retry-sleeping", (x) -> {
					if (failsOnce(x) && attempts.first(x)) {
						Thread.sleep(BACKOFF.toMillis());
					}
					return CpuWork.spin(x, iterations);
				}, null)) {
			long expected = expectedSum;
			Map<String, TimedRun> candidates = new LinkedHashMap<>();
			candidates.put(NO_FAILURES, () -> runOnce(clean, items, expected, attempts));
			candidates.put(POLICY, () -> runOnce(policy, items, expected, attempts));
			candidates.put(SLEEPING, () -> runOnce(sleeping, items, expected, attempts));
			Map<String, Samples> samples = Rounds.interleaved(mode, candidates);
			Samples none = samples.get(NO_FAILURES);
			Samples retried = samples.get(POLICY);
			Samples slept = samples.get(SLEEPING);
			double extraBackoffs = (retried.median() - none.median()) / (double) BACKOFF.toNanos();
			double sleptBackoffs = (slept.median() - none.median()) / (double) BACKOFF.toNanos();
			this.details = String.format("Item 8: %,d items of about 5 ms (%,d iterations), n-cpu 2, batch 64; %,d of "
					+ "them (one in %d) fail once, at once; the retry waits %d ms. No failures: %s; Retry policy: %s; "
					+ "sleeping in the stage: %s. One backoff per failure would add %,d ms; spread over the 2 worker "
					+ "threads, %,d ms.%n", items, iterations, failures, FAILING_ONE_IN, BACKOFF.toMillis(),
					none.describeMillis(), retried.describeMillis(), slept.describeMillis(),
					failures * BACKOFF.toMillis(), failures * BACKOFF.toMillis() / 2);
			return List.of(
					new ResultRow(8,
							String.format("retry backoff: extra wall time with 10%% of %,d items failing once "
									+ "(50 ms backoff, batch 64), in backoffs", items),
							String.format("%.1f backoffs (%s vs %s)", extraBackoffs, Report.millis(retried),
									Report.millis(none)),
							"≤ " + GOAL_BACKOFFS + " backoffs", Verdict.of(extraBackoffs <= GOAL_BACKOFFS)),
					ResultRow.info(8, "retry backoff: the same failures slept out on the worker thread, in backoffs",
							String.format("%.1f backoffs (%s)", sleptBackoffs, Report.millis(slept))));
		}
	}

	private static boolean failsOnce(long x) {
		return x % FAILING_ONE_IN == 3;
	}

	private static Pipeline<Long, Long> pipeline(String name, Stage<Long, Long> stage, Retry retry) {
		StageSpec<Long, Long> spec = StageSpec.stateless("spin", stage).batchSize(64);
		return Pipeline.<Long>builder(name).nCpu(2).then((retry != null) ? spec.retry(retry) : spec).build();
	}

	private static long runOnce(Pipeline<Long, Long> pipeline, int items, long expectedSum, FirstAttempts attempts) {
		attempts.reset();
		return CpuBoundBenchmark.runOnce(pipeline, items, expectedSum);
	}

	/** Which items have had their first attempt in the current run. */
	private static final class FirstAttempts {

		private final AtomicIntegerArray seen;

		FirstAttempts(int items) {
			this.seen = new AtomicIntegerArray(items);
		}

		/** True the first time {@code x} is seen in this run. */
		boolean first(long x) {
			return this.seen.compareAndSet((int) x, 0, 1);
		}

		void reset() {
			for (int i = 0; i < this.seen.length(); i++) {
				this.seen.set(i, 0);
			}
		}

	}

}
