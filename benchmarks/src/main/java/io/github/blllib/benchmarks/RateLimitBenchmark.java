package io.github.blllib.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.RateLimit;
import io.github.blllib.StageSpec;

/**
 * Item 10: rate limits. An async stage whose calls take 1 ms, limited to 1,000 calls in any
 * second, batch 64, then a stateless step on a 2-thread worker pool: its calls should start
 * at 98% of the permitted rate or more, measured from the first start to the last past the
 * opening burst of 1,000. A fresh budget per run, so each run opens with the same burst. Then a
 * pipeline with no limit (one stateless stage of about 50 µs of arithmetic, batch 64, n-cpu 2)
 * on the same pool, alone and while the limited pipeline runs beside it: calls waiting for
 * permits hold no thread of the pool, so it should keep 90% of its throughput alone or more.
 */
final class RateLimitBenchmark implements Benchmark {

	static final String LIMITED = "rate-limited async, 1,000/s";

	static final String ALONE = "unlimited pipeline alone";

	static final String BESIDE = "unlimited pipeline beside the rate-limited one";

	private static final int PERMITS = 1_000;

	private static final Duration PERIOD = Duration.ofSeconds(1);

	private static final double PERMITTED_PER_SECOND = PERMITS * 1e9 / PERIOD.toNanos();

	private static final long LATENCY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long CPU_ITEM_NANOS = 50_000;

	private String details = "";

	@Override
	public int item() {
		return 10;
	}

	@Override
	public String title() {
		return "rate limits";
	}

	@Override
	public String details() {
		return this.details;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		int limitedItems = PERMITS * ((mode == Mode.QUICK) ? 4 : 11);
		int iterations = CpuWork.calibrate(CPU_ITEM_NANOS);
		int cpuItems = mode.cpuItems();
		long cpuSum = CpuBoundBenchmark.spinRange(0, cpuItems, iterations);
		ExecutorService pool = Executors.newFixedThreadPool(2, new DaemonThreads("rate-limit-pool-"));
		List<Double> rates = new ArrayList<>();
		try (SimulatedRemoteService service = new SimulatedRemoteService("rate-limit-remote", LATENCY_NANOS);
				Pipeline<Long, Long> unlimited = Pipeline.<Long>builder("unlimited")
					.workerPool(pool)
					.nCpu(2)
					.then(StageSpec.stateless("spin", (Long x) -> CpuWork.spin(x, iterations)).batchSize(64))
					.build()) {
			Map<String, TimedRun> candidates = new LinkedHashMap<>();
			candidates.put(LIMITED, () -> {
				Starts starts = new Starts();
				try (Pipeline<Long, Long> limited = limited(pool, service, starts)) {
					long elapsed = drainLimited(limited, limitedItems);
					rates.add((limitedItems - PERMITS) / ((starts.last - starts.first) / 1e9));
					return elapsed;
				}
			});
			candidates.put(ALONE, () -> CpuBoundBenchmark.runOnce(unlimited, cpuItems, cpuSum));
			candidates.put(BESIDE, () -> besideLimited(pool, service, unlimited, cpuItems, cpuSum));
			Map<String, Samples> samples = Rounds.interleaved(mode, candidates);
			double rate = median(rates.subList(mode.warmups(), rates.size()));
			double share = rate / PERMITTED_PER_SECOND;
			Samples alone = samples.get(ALONE);
			Samples beside = samples.get(BESIDE);
			double kept = (double) alone.median() / beside.median();
			this.details = String.format("Item 10: %,d calls of 1 ms through an async stage limited to %d per %d ms "
					+ "(%,.0f/s), batch 64; rate of each timed run from its first start to its last past the opening "
					+ "burst: %s /s. Unlimited pipeline, %,d items of about 50 µs on the same 2-thread pool: alone %s; "
					+ "beside the rate-limited pipeline %s.%n", limitedItems, PERMITS, PERIOD.toMillis(),
					PERMITTED_PER_SECOND, describe(rates.subList(mode.warmups(), rates.size())), cpuItems,
					alone.describeMillis(), beside.describeMillis());
			return List.of(
					new ResultRow(10, "rate limit: calls started by a 1 ms async stage, share of the permitted rate",
							String.format("%.1f%% (%,.0f of %,.0f /s)", share * 100, rate, PERMITTED_PER_SECOND),
							"≥ 98%", Verdict.of(share >= 0.98)),
					new ResultRow(10,
							"rate limit: an unlimited pipeline on the same pool beside it, share of its throughput alone",
							String.format("%.1f%% (%s vs %s)", kept * 100, Report.millis(beside), Report.millis(alone)),
							"≥ 90%", Verdict.of(kept >= 0.9)));
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static Pipeline<Long, Long> limited(ExecutorService pool, SimulatedRemoteService service, Starts starts) {
		return Pipeline.<Long>builder("rate-limited")
			.workerPool(pool)
			.nCpu(2)
			.then(StageSpec.async("remote", (Long x) -> {
				starts.started();
				return service.call(x);
			}).batchSize(64).rateLimit(RateLimit.of(PERMITS, PERIOD)))
			.then(StageSpec.stateless("local", (Long x) -> x).batchSize(64))
			.build();
	}

	private static long drainLimited(Pipeline<Long, Long> limited, int items) {
		Iterable<Long> inputs = () -> LongStream.range(0, items).boxed().iterator();
		long start = System.nanoTime();
		long count = 0;
		try (PipelineRun<Long> run = limited.apply(inputs)) {
			while (run.hasNext()) {
				run.next();
				count++;
			}
		}
		Blackhole.check("rate-limited count", items, count);
		return System.nanoTime() - start;
	}

	/** One timed run of the unlimited pipeline while a rate-limited run is under way beside it. */
	private static long besideLimited(ExecutorService pool, SimulatedRemoteService service,
			Pipeline<Long, Long> unlimited, int items, long expectedSum) throws Exception {
		Starts starts = new Starts();
		try (Pipeline<Long, Long> limited = limited(pool, service, starts)) {
			Iterable<Long> endless = () -> LongStream.iterate(0, (x) -> x + 1).boxed().iterator();
			PipelineRun<Long> run = limited.apply(endless);
			CountDownLatch waiting = new CountDownLatch(1);
			CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
				run.forEachRemaining((output) -> {
					if (output == PERMITS) {
						waiting.countDown();
					}
				});
			}, (task) -> new DaemonThreads("rate-limit-consumer-").newThread(task).start());
			waiting.await();
			try {
				return CpuBoundBenchmark.runOnce(unlimited, items, expectedSum);
			}
			finally {
				run.close();
				consumer.join();
			}
		}
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static String describe(List<Double> rates) {
		return rates.stream().map((rate) -> String.format("%,.0f", rate)).reduce((a, b) -> a + ", " + b).orElse("–");
	}

	/** The first and the last start of the limited stage's calls; its calls start on the consuming thread. */
	private static final class Starts {

		volatile long first;

		volatile long last;

		void started() {
			long now = System.nanoTime();
			if (this.first == 0) {
				this.first = now;
			}
			this.last = now;
		}

	}

}
