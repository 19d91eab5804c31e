package io.github.blllib.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;
import io.github.blllib.flink.TestStages.Affine;
import io.github.blllib.flink.TestStages.WindowSum;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering points keep their buffers and counters in Flink's managed state: a job that fails
 * after a checkpoint and restarts from it resumes in order, each output once. (Were they plain
 * fields, the restored job would wait for sequence numbers the source had already sent.)
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlinkPipelineRestartTests {

	@RegisterExtension
	static final MiniClusterExtension cluster = MiniClusterRuns.cluster();

	/** Fed at most one a millisecond: seconds of input, in which checkpoints complete every 50 ms. */
	private static final List<Long> inputs = LongStream.range(0, 4000).boxed().toList();

	/** Opened by the first completed checkpoint. */
	static final CountDownLatch checkpointed = new CountDownLatch(1);

	/** Whether the one failure has happened. */
	static final AtomicBoolean failed = new AtomicBoolean();

	@Test
	void aJobRestoredFromACheckpointResumesInOrderWithEveryOutputOnce() throws Exception {
		StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
		env.enableCheckpointing(50);
		Configuration restarts = new Configuration();
		restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
		restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
		restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
		env.configure(restarts);
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("restarted")
			.then(StageSpec.stateless("fail-once", new FailOnceAfterACheckpoint(inputs.size() / 4)).batchSize(2))
			.then(stages().get(0))
			.then(stages().get(1))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		List<Long> outputs = new ArrayList<>();
		DataStream<Long> source = env.fromData(inputs).setParallelism(1).map(new Throttle()).setParallelism(1);
		try (CloseableIterator<Long> results = pipeline.apply(source, Types.LONG)
			.map(new CheckpointWatcher())
			.setParallelism(1)
			.executeAndCollect("restarted")) {
			results.forEachRemaining(outputs::add);
		}

		assertThat(failed).as("the job failed once after a checkpoint").isTrue();
		assertThat(outputs).isEqualTo(runInCore());
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static List<StageSpec> stages() {
		return List.of(StageSpec.stateless("affine", new Affine(3, 1, 7, 5)).batchSize(3),
				StageSpec.window("sum", 2, new WindowSum(11, 5)).batchSize(2));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static List<Long> runInCore() {
		Pipeline.Builder builder = Pipeline.<Long>builder("core").nCpu(4);
		for (StageSpec stage : stages()) {
			builder = builder.then(stage);
		}
		List<Long> outputs = new ArrayList<>();
		try (Pipeline<Long, Long> core = builder.build(); PipelineRun<Long> run = core.apply(inputs)) {
			run.forEachRemaining(outputs::add);
		}
		return outputs;
	}

	/**
	 * Passes items through; fails the job once, on the first item from {@code from} on that comes
	 * after a checkpoint has completed. (Waiting for one here instead would hold the subtask's
	 * input at its end, and with it the barrier.)
	 */
	record FailOnceAfterACheckpoint(long from) implements SerializableStage<Long, Long> {

		@Override
		public Long apply(Long x) {
			if (x >= this.from && checkpointed.getCount() == 0 && failed.compareAndSet(false, true)) {
				throw new IllegalStateException("failing once on " + x);
			}
			return x;
		}

	}

	/** Lets the input through at most one item a millisecond. */
	static final class Throttle implements MapFunction<Long, Long> {

		private static final long serialVersionUID = 1L;

		@Override
		public Long map(Long value) throws InterruptedException {
			Thread.sleep(1);
			return value;
		}

	}

	/** Opens {@link #checkpointed} when a checkpoint completes (it runs to the job's end). */
	static final class CheckpointWatcher implements MapFunction<Long, Long>, CheckpointListener {

		private static final long serialVersionUID = 1L;

		@Override
		public Long map(Long value) {
			return value;
		}

		@Override
		public void notifyCheckpointComplete(long checkpointId) {
			checkpointed.countDown();
		}

	}

}
