package io.github.blllib.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;
import io.github.blllib.flink.FlinkPipeline;
import io.github.blllib.flink.SerializableStage;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Item 9: the same stages as a Flink job ({@code blllib-flink}) on an embedded local cluster.
 * <ul>
 * <li>Scale-out: a stateless stage sleeping 1 ms, batch size 1 (one call in flight per subtask),
 * at parallelism 1, 2, 4 and 8. Goal: at least 3x the items/s from 1 to 4.</li>
 * <li>Per-item cost: four stateless {@code x -> x + 1} stages, batch 64, at parallelism 2 on
 * Flink against the in-JVM engine at n-cpu 2, same items.</li>
 * </ul>
 * Each job starts its own local cluster, so a Flink figure is timed inside the job: from the
 * first item leaving the source to the last output reaching the sink (both on this JVM), which
 * leaves the cluster's start-up and shutdown out. One small job warms up first; then each point
 * runs once (a job costs seconds of start-up), so these figures are single runs, not medians.
 */
final class FlinkScaleOutBenchmark implements Benchmark {

	static final int[] PARALLELISMS = { 1, 2, 4, 8 };

	private static final int TRIVIAL_BATCH = 64;

	/** Time the first item left the source, 0 before. */
	static final AtomicLong firstIn = new AtomicLong();

	/** Time the latest output reached the sink. */
	static final AtomicLong lastOut = new AtomicLong();

	/** Outputs that reached the sink. */
	static final AtomicLong outputs = new AtomicLong();

	private final List<String> rows = new ArrayList<>();

	@Override
	public int item() {
		return 9;
	}

	@Override
	public String title() {
		return "Flink scale-out (blllib-flink, embedded local cluster)";
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		int itemsPerSubtask = (mode == Mode.QUICK) ? 300 : 1500;
		int trivialItems = (mode == Mode.QUICK) ? 50_000 : 200_000;
		runFlink(sleepPipeline(1), 50);
		double[] rates = new double[PARALLELISMS.length];
		for (int i = 0; i < PARALLELISMS.length; i++) {
			int p = PARALLELISMS[i];
			int items = itemsPerSubtask * p;
			long nanos = runFlink(sleepPipeline(p), items);
			rates[i] = items * 1e9 / nanos;
			this.rows.add(String.format("| 1 ms stage, batch 1 | %d | %,d | %.0f ms | %s |", p, items, nanos / 1e6,
					Report.rate(rates[i])));
		}
		double speedUp = rates[2] / rates[0];

		long flinkNanos = runFlink(trivialFlinkPipeline(), trivialItems);
		long coreNanos = runCore(trivialItems);
		double flinkMicros = flinkNanos / 1e3 / trivialItems;
		double coreMicros = coreNanos / 1e3 / trivialItems;
		this.rows.add(String.format("| 4 stateless x+1, batch %d | 2 | %,d | %.0f ms | %s |", TRIVIAL_BATCH,
				trivialItems, flinkNanos / 1e6, Report.rate(trivialItems * 1e9 / flinkNanos)));
		this.rows.add(String.format("| same, in-JVM engine (n-cpu 2) | — | %,d | %.0f ms | %s |", trivialItems,
				coreNanos / 1e6, Report.rate(trivialItems * 1e9 / coreNanos)));

		StringBuilder figure = new StringBuilder();
		for (int i = 0; i < rates.length; i++) {
			figure.append((i == 0) ? "" : " / ").append(Report.rate(rates[i]));
		}
		return List.of(
				new ResultRow(9, "Flink: items/s of a 1 ms stage at parallelism 1 / 2 / 4 / 8 (batch 1 per subtask)",
						figure.toString(), "grows", Verdict.of(rates[1] > rates[0] && rates[2] > rates[1]
								&& rates[3] > rates[2])),
				new ResultRow(9, "Flink: speed-up of parallelism 4 over 1 (1 ms stage)",
						String.format("%.2f×", speedUp), "≥ 3×", Verdict.of(speedUp >= 3)),
				ResultRow.info(9, "Flink: per-item cost, 4 stateless x+1 stages, parallelism 2 / in-JVM engine n-cpu 2",
						String.format("%.2f µs vs %.3f µs (%.0f×)", flinkMicros, coreMicros, flinkMicros / coreMicros)));
	}

	@Override
	public String details() {
		return "Item 9, single runs (each Flink job starts its own embedded cluster; the time is taken inside "
				+ "the job, from the first item out of the source to the last output into the sink).\n\n"
				+ "| pipeline | parallelism | items | time | items/s |\n| --- | --- | --- | --- | --- |\n"
				+ String.join("\n", this.rows) + "\n";
	}

	private static FlinkPipeline<Long, Long> sleepPipeline(int parallelism) {
		return FlinkPipeline.<Long>builder("sleep-p" + parallelism)
			.then(StageSpec.stateless("sleep-1ms", SerializableStage.of((Long x) -> {
				Thread.sleep(1);
				return x;
			})))
			.parallelism(parallelism)
			.build();
	}

	private static FlinkPipeline<Long, Long> trivialFlinkPipeline() {
		FlinkPipeline.Builder<Long, Long> builder = FlinkPipeline.<Long>builder("trivial");
		for (int i = 1; i <= 4; i++) {
			builder = builder
				.then(StageSpec.stateless("plus-one-" + i, SerializableStage.of((Long x) -> x + 1)).batchSize(TRIVIAL_BATCH));
		}
		return builder.parallelism(2).build();
	}

	/** Runs the pipeline over {@code 0 .. items-1} as a job; returns the nanoseconds from first input to last output. */
	private static long runFlink(FlinkPipeline<Long, Long> pipeline, int items) throws Exception {
		firstIn.set(0);
		lastOut.set(0);
		outputs.set(0);
		Configuration configuration = new Configuration();
		configuration.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(2, pipeline.parallelism()));
		StreamExecutionEnvironment env = StreamExecutionEnvironment
			.createLocalEnvironment(pipeline.parallelism(), configuration);
		DataStream<Long> source = env.fromSequence(0, items - 1)
			.setParallelism(1)
			.map(new StampFirstIn())
			.setParallelism(1);
		pipeline.apply(source, Types.LONG).map(new StampLastOut()).setParallelism(1).sinkTo(new DiscardingSink<>())
			.setParallelism(1);
		env.execute(pipeline.name());
		Blackhole.check(pipeline.name() + " outputs", items, outputs.get());
		return lastOut.get() - firstIn.get();
	}

	private static long runCore(int items) {
		Pipeline.Builder<Integer, Integer> builder = Pipeline.<Integer>builder("trivial-core").nCpu(2);
		for (int i = 1; i <= 4; i++) {
			builder = builder.then(StageSpec.stateless("plus-one-" + i, (Integer x) -> x + 1).batchSize(TRIVIAL_BATCH));
		}
		try (Pipeline<Integer, Integer> pipeline = builder.build()) {
			runCoreOnce(pipeline, items);
			return runCoreOnce(pipeline, items);
		}
	}

	private static long runCoreOnce(Pipeline<Integer, Integer> pipeline, int items) {
		long start = System.nanoTime();
		long count = 0;
		try (PipelineRun<Integer> run = pipeline.apply(new IntRange(items))) {
			while (run.hasNext()) {
				Blackhole.consume(run.next());
				count++;
			}
		}
		long elapsed = System.nanoTime() - start;
		Blackhole.check("in-JVM outputs", items, count);
		return elapsed;
	}

	/** Notes when the first item leaves the source. */
	static final class StampFirstIn implements MapFunction<Long, Long> {

		private static final long serialVersionUID = 1L;

		@Override
		public Long map(Long value) {
			firstIn.compareAndSet(0, System.nanoTime());
			return value;
		}

	}

	/** Notes when each output reaches the sink, and counts them. */
	static final class StampLastOut implements MapFunction<Long, Long> {

		private static final long serialVersionUID = 1L;

		@Override
		public Long map(Long value) {
			outputs.incrementAndGet();
			lastOut.set(System.nanoTime());
			return value;
		}

	}

}
