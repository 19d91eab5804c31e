package io.github.blllib.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Item 7: a stage whose call completes after 1 ms (a remote call) at batch 1, 8, 64, 512 and
 * 4096, the ways one can run it side by side: blllib with an async stage (a future that a
 * {@link SimulatedRemoteService} completes after 1 ms), blllib with a blocking stage ({@code Thread.sleep(1)}) on platform
 * threads and on virtual threads, Reactor's {@code flatMapSequential} over {@code Mono.delay},
 * and the JDK's {@code Gatherers.mapConcurrent}. Each keeps at most batch-size calls in flight
 * and hands outputs on in input order, so the ideal is batch ÷ 1 ms. Candidates the running JDK
 * cannot run (virtual threads before 21, Gatherers before 24) are reported as such. At batch 1 it
 * also times each call of blllib async and of Reactor, to show what each adds to the 1 ms: how
 * late the timer fires, and how long from a call's completion to the next call.
 */
final class IoBoundBenchmark implements Benchmark {

	static final int[] BATCH_SIZES = { 1, 8, 64, 512, 4096 };

	/** Most platform threads the blocking platform candidate gets: n-cpu = min(batch, this). */
	static final int PLATFORM_THREADS_CAP = 512;

	/** The batch size the goals are judged at. */
	private static final int JUDGED_BATCH = 512;

	private static final double GOAL_SHARE_OF_IDEAL = 0.80;

	private static final long CALL_NANOS = Duration.ofMillis(1).toNanos();

	/** Rounds of the batch-1 breakdown, each candidate once a round. */
	private static final int BREAKDOWN_ROUNDS = 5;

	/** The ways to run the call. */
	enum Candidate {

		ASYNC("blllib async", 17, false), PLATFORM("blllib blocking, platform threads", 17, false),
		VIRTUAL("blllib blocking, virtual threads", LaterJdk.VIRTUAL_THREADS, false),
		REACTOR("Reactor flatMapSequential", 17, true),
		REACTOR_FUTURE("Reactor over the same future", 17, true),
		MAP_CONCURRENT("Gatherers.mapConcurrent", LaterJdk.GATHERERS, true);

		final String label;

		final int needsJava;

		/** Whether it is another library's way, which blllib's should beat. */
		final boolean peer;

		Candidate(String label, int needsJava, boolean peer) {
			this.label = label;
			this.needsJava = needsJava;
			this.peer = peer;
		}

		boolean runs() {
			return LaterJdk.has(this.needsJava);
		}

		String needs() {
			return "needs Java " + this.needsJava + "+ (this run: " + Runtime.version().feature() + ")";
		}

	}

	/** Items/s of each candidate that ran, by batch size index. */
	private final Map<Candidate, double[]> itemsPerSecond = new EnumMap<>(Candidate.class);

	private final Map<Candidate, Samples[]> samples = new EnumMap<>(Candidate.class);

	private final int[] items = new int[BATCH_SIZES.length];

	/** Per round: blllib async's and Reactor's timer overshoot and completion → next call, µs. */
	private final double[][] breakdown = new double[4][BREAKDOWN_ROUNDS];

	@Override
	public int item() {
		return 7;
	}

	@Override
	public String title() {
		return "I/O-bound: async, virtual and platform threads, Reactor, mapConcurrent";
	}

	/** Items/s of each candidate that ran, by index in {@link #BATCH_SIZES}; empty before a run. */
	Map<Candidate, double[]> itemsPerSecond() {
		return this.itemsPerSecond;
	}

	static double ideal(int batchSize) {
		return batchSize * 1e9 / CALL_NANOS;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		SimulatedRemoteService service = new SimulatedRemoteService("io-service", CALL_NANOS);
		ExecutorService virtualThreads = Candidate.VIRTUAL.runs() ? LaterJdk.newVirtualThreadPerTaskExecutor() : null;
		List<Pipeline<Integer, Integer>> pipelines = new ArrayList<>();
		try {
			Map<String, TimedRun> runs = new LinkedHashMap<>();
			for (int b = 0; b < BATCH_SIZES.length; b++) {
				int batch = BATCH_SIZES[b];
				int n = Math.min(mode.ioItemsCap(), mode.latencyItemsPerBatch() * batch);
				this.items[b] = n;
				for (Candidate candidate : Candidate.values()) {
					if (candidate.runs()) {
						runs.put(key(candidate, batch), timedRun(candidate, batch, n, service, virtualThreads, pipelines));
					}
				}
			}
			Map<String, Samples> measured = Rounds.interleaved(mode, runs);
			measureBreakdown(5 * mode.latencyItemsPerBatch(), service);
			for (Candidate candidate : Candidate.values()) {
				if (candidate.runs()) {
					double[] rates = new double[BATCH_SIZES.length];
					Samples[] timings = new Samples[BATCH_SIZES.length];
					for (int b = 0; b < BATCH_SIZES.length; b++) {
						timings[b] = measured.get(key(candidate, BATCH_SIZES[b]));
						rates[b] = timings[b].itemsPerSecond(this.items[b]);
					}
					this.itemsPerSecond.put(candidate, rates);
					this.samples.put(candidate, timings);
				}
			}
		}
		finally {
			pipelines.forEach(Pipeline::close);
			service.close();
			if (virtualThreads != null) {
				virtualThreads.shutdownNow();
			}
		}
		return rows();
	}

	/**
	 * At batch 1, where each call waits for the one before: what blllib async and Reactor add
	 * to the 1 ms of each call, measured per call in alternating runs.
	 */
	private void measureBreakdown(int n, SimulatedRemoteService service) {
		for (int round = 0; round < BREAKDOWN_ROUNDS; round++) {
			CallTimeline blllib = new CallTimeline(n);
			try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("io-async-breakdown")
				.then(StageSpec.async("call-1ms", (Integer x) -> {
					blllib.called(x);
					return service.call(x).whenComplete((output, failure) -> blllib.completed(x));
				}).batchSize(1))
				.build()) {
				drainInOrder(pipeline, n);
			}
			this.breakdown[0][round] = blllib.meanOvershootMicros(CALL_NANOS);
			this.breakdown[1][round] = blllib.meanCompletionToNextCallMicros();
			CallTimeline reactor = new CallTimeline(n);
			InOrder reactorOrder = new InOrder("Reactor breakdown");
			Flux.range(0, n).flatMapSequential((x) -> {
				reactor.called(x);
				return Mono.delay(Duration.ofNanos(CALL_NANOS)).doOnNext((tick) -> reactor.completed(x)).thenReturn(x);
			}, 1).doOnNext(reactorOrder::accept).blockLast();
			reactorOrder.expectCount(n);
			this.breakdown[2][round] = reactor.meanOvershootMicros(CALL_NANOS);
			this.breakdown[3][round] = reactor.meanCompletionToNextCallMicros();
		}
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static String key(Candidate candidate, int batch) {
		return candidate.name() + "@" + batch;
	}

	private static TimedRun timedRun(Candidate candidate, int batch, int n, SimulatedRemoteService service,
			ExecutorService virtualThreads, List<Pipeline<Integer, Integer>> pipelines) {
		switch (candidate) {
			case ASYNC -> {
				return blllib(pipelines, Pipeline.<Integer>builder("io-async-" + batch)
					.then(StageSpec.async("call-1ms", (Integer x) -> service.call(x)).batchSize(batch))
					.build(), n);
			}
			case PLATFORM -> {
				return blllib(pipelines, Pipeline.<Integer>builder("io-platform-" + batch)
					.nCpu(Math.min(batch, PLATFORM_THREADS_CAP))
					.then(StageSpec.stateless("call-1ms", IoBoundBenchmark::blockingCall).batchSize(batch))
					.build(), n);
			}
			case VIRTUAL -> {
				return blllib(pipelines, Pipeline.<Integer>builder("io-virtual-" + batch)
					.nCpu(batch)
					.workerPool(virtualThreads)
					.then(StageSpec.stateless("call-1ms", IoBoundBenchmark::blockingCall).batchSize(batch))
					.build(), n);
			}
			case REACTOR -> {
				return () -> reactor(batch, n, (x) -> Mono.delay(Duration.ofNanos(CALL_NANOS)).thenReturn(x));
			}
			case REACTOR_FUTURE -> {
				return () -> reactor(batch, n, (x) -> Mono.fromFuture(() -> service.call(x)));
			}
			case MAP_CONCURRENT -> {
				return () -> mapConcurrent(batch, n);
			}
			default -> throw new IllegalArgumentException(candidate.name());
		}
	}

	private static Integer blockingCall(Integer x) throws InterruptedException {
		Thread.sleep(1);
		return x;
	}

	private static TimedRun blllib(List<Pipeline<Integer, Integer>> pipelines, Pipeline<Integer, Integer> pipeline,
			int n) {
		pipelines.add(pipeline);
		return () -> {
			long start = System.nanoTime();
			drainInOrder(pipeline, n);
			return System.nanoTime() - start;
		};
	}

	/** Pulls every output of a run over 0, 1, ..., n - 1, checking that they come in order. */
	private static void drainInOrder(Pipeline<Integer, Integer> pipeline, int n) {
		InOrder check = new InOrder(pipeline.name());
		try (PipelineRun<Integer> run = pipeline.apply(new IntRange(n))) {
			run.forEachRemaining(check::accept);
		}
		check.expectCount(n);
	}

	/** Reactor's ordered concurrent map of {@code call} over 0, 1, ..., n - 1, checking the order. */
	private static long reactor(int batch, int n, Function<Integer, Mono<Integer>> call) {
		long start = System.nanoTime();
		InOrder check = new InOrder("Reactor, batch " + batch);
		Flux.range(0, n)
			.flatMapSequential(call, batch)
			.doOnNext(check::accept)
			.blockLast();
		long elapsed = System.nanoTime() - start;
		check.expectCount(n);
		return elapsed;
	}

	private static long mapConcurrent(int batch, int n) {
		long start = System.nanoTime();
		InOrder check = new InOrder("mapConcurrent, batch " + batch);
		try (Stream<Integer> outputs = LaterJdk.mapConcurrent(IntStream.range(0, n).boxed(), batch, (Integer x) -> {
			try {
				return blockingCall(x);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		})) {
			outputs.forEachOrdered(check::accept);
		}
		long elapsed = System.nanoTime() - start;
		check.expectCount(n);
		return elapsed;
	}

	private List<ResultRow> rows() {
		List<ResultRow> rows = new ArrayList<>();
		for (Candidate candidate : Candidate.values()) {
			double[] rates = this.itemsPerSecond.get(candidate);
			StringBuilder figure = new StringBuilder();
			if (rates == null) {
				figure.append(candidate.needs());
			}
			else {
				for (int b = 0; b < rates.length; b++) {
					figure.append((b == 0) ? "" : " / ").append(Report.rate(rates[b]));
				}
			}
			rows.add(ResultRow.info(7, "I/O-bound (1 ms call), " + candidate.label
					+ ": items/s at batch 1 / 8 / 64 / 512 / 4096", figure.toString()));
		}
		for (Candidate judged : new Candidate[] { Candidate.ASYNC, Candidate.VIRTUAL }) {
			rows.add(shareOfIdealRow(judged));
			rows.add(beatsPeersRow(judged));
		}
		rows.add(ResultRow.info(7, "I/O-bound, batch 1, per call (median of " + BREAKDOWN_ROUNDS
				+ " runs' means): the 1 ms timer's lateness; completion → next call",
				String.format("blllib async %.0f µs; %.1f µs — Reactor %.0f µs; %.1f µs", median(this.breakdown[0]),
						median(this.breakdown[1]), median(this.breakdown[2]), median(this.breakdown[3]))));
		return rows;
	}

	private ResultRow shareOfIdealRow(Candidate judged) {
		String measure = String.format("I/O-bound: %s at batch %d, share of ideal (%s)", judged.label, JUDGED_BATCH,
				Report.rate(ideal(JUDGED_BATCH)));
		String goal = String.format("≥ %.0f%%", 100 * GOAL_SHARE_OF_IDEAL);
		double[] rates = this.itemsPerSecond.get(judged);
		if (rates == null) {
			return new ResultRow(7, measure, judged.needs(), goal, Verdict.INFO);
		}
		double rate = rates[indexOf(JUDGED_BATCH)];
		double share = rate / ideal(JUDGED_BATCH);
		return new ResultRow(7, measure, String.format("%.0f%% (%s)", 100 * share, Report.rate(rate)), goal,
				Verdict.of(share >= GOAL_SHARE_OF_IDEAL));
	}

	/** Whether {@code judged} has more items/s than every peer that ran, at every batch size. */
	private ResultRow beatsPeersRow(Candidate judged) {
		List<Candidate> peers = new ArrayList<>();
		List<String> notRun = new ArrayList<>();
		for (Candidate candidate : Candidate.values()) {
			if (candidate.peer) {
				if (this.itemsPerSecond.containsKey(candidate)) {
					peers.add(candidate);
				}
				else {
					notRun.add(candidate.label + " not run, " + candidate.needs());
				}
			}
		}
		String measure = String.format("I/O-bound: %s beats %s at every batch size", judged.label,
				String.join(" and ", peers.stream().map((peer) -> peer.label).toList()));
		double[] rates = this.itemsPerSecond.get(judged);
		if (rates == null) {
			return new ResultRow(7, measure, judged.needs(), "beats every peer", Verdict.INFO);
		}
		double closest = Double.MAX_VALUE;
		String where = "";
		for (Candidate peer : peers) {
			double[] peerRates = this.itemsPerSecond.get(peer);
			for (int b = 0; b < BATCH_SIZES.length; b++) {
				double ratio = rates[b] / peerRates[b];
				if (ratio < closest) {
					closest = ratio;
					where = String.format("batch %d, %s vs %s %s", BATCH_SIZES[b], Report.rate(rates[b]), peer.label,
							Report.rate(peerRates[b]));
				}
			}
		}
		String figure = String.format("%s: closest %.2f× (%s)", (closest > 1) ? "yes" : "no", closest, where)
				+ (notRun.isEmpty() ? "" : "; " + String.join("; ", notRun));
		return new ResultRow(7, measure, figure, "beats every peer", Verdict.of(closest > 1));
	}

	private static int indexOf(int batch) {
		for (int b = 0; b < BATCH_SIZES.length; b++) {
			if (BATCH_SIZES[b] == batch) {
				return b;
			}
		}
		throw new IllegalArgumentException("no batch size " + batch);
	}

	@Override
	public String details() {
		if (this.itemsPerSecond.isEmpty()) {
			return "";
		}
		StringBuilder table = new StringBuilder(String.format("Item 7, a call that completes after 1 ms, at most "
				+ "batch-size calls in flight, outputs in input order; ideal = batch ÷ 1 ms. blllib async: "
				+ "StageSpec.async, a CompletableFuture that a simulated remote service (one thread, requests handed over through a lock-free queue) completes after 1 ms. "
				+ "blllib blocking: a stateless stage doing Thread.sleep(1), n-cpu = batch (platform threads: "
				+ "n-cpu = min(batch, %d)). Reactor: flatMapSequential(x -> Mono.delay(1 ms).thenReturn(x), batch); "
				+ "Reactor over the same future: flatMapSequential(x -> Mono.fromFuture(() -> service.call(x)), batch), "
				+ "the simulated service blllib async calls. "
				+ "Gatherers.mapConcurrent(batch, x -> { Thread.sleep(1); return x; }). Items per run: "
				+ "%s for batch 1 / 8 / 64 / 512 / 4096. Cells: items/s (share of ideal).%n%n", PLATFORM_THREADS_CAP,
				String.join(" / ", IntStream.of(this.items).mapToObj((n) -> String.format("%,d", n)).toList())));
		table.append("| batch | ideal |");
		for (Candidate candidate : Candidate.values()) {
			table.append(' ').append(candidate.label).append(" |");
		}
		table.append("\n| --- | --- |").append(" --- |".repeat(Candidate.values().length)).append('\n');
		for (int b = 0; b < BATCH_SIZES.length; b++) {
			table.append(String.format("| %d | %s |", BATCH_SIZES[b], Report.rate(ideal(BATCH_SIZES[b]))));
			for (Candidate candidate : Candidate.values()) {
				double[] rates = this.itemsPerSecond.get(candidate);
				table.append(' ')
					.append((rates != null) ? String.format("%s (%.0f%%)", Report.rate(rates[b]),
							100 * rates[b] / ideal(BATCH_SIZES[b])) : "needs Java " + candidate.needsJava + "+")
					.append(" |");
			}
			table.append('\n');
		}
		table.append("\nMedian times (min–max, n):\n\n");
		for (Map.Entry<Candidate, Samples[]> entry : this.samples.entrySet()) {
			table.append("- ").append(entry.getKey().label).append(": ");
			Samples[] timings = entry.getValue();
			for (int b = 0; b < timings.length; b++) {
				table.append((b == 0) ? "" : "; ").append("batch ").append(BATCH_SIZES[b]).append(' ')
					.append(timings[b].describeMillis());
			}
			table.append('\n');
		}
		return table.toString();
	}

	/** Checks that outputs come as {@code 0, 1, 2, ...}: none lost, duplicated or reordered. */
	private static final class InOrder {

		private final String what;

		private long next;

		InOrder(String what) {
			this.what = what;
		}

		void accept(Integer output) {
			if (output != this.next) {
				throw new IllegalStateException(this.what + ": expected output " + this.next + " but got " + output);
			}
			this.next++;
		}

		void expectCount(long n) {
			Blackhole.check(this.what + " outputs", n, this.next);
		}

	}

}
