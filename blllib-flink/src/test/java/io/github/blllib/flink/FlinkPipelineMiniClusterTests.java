package io.github.blllib.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.FailedItem;
import io.github.blllib.PipelineException;
import io.github.blllib.PipelineRun;
import io.github.blllib.Retry;
import io.github.blllib.StageSpec;
import io.github.blllib.StageTimeoutException;
import io.github.blllib.flink.TestStages.Affine;
import io.github.blllib.flink.TestStages.FailOn;
import io.github.blllib.flink.TestStages.FailsFirstAttempt;
import io.github.blllib.flink.TestStages.HangOn;
import io.github.blllib.flink.TestStages.RecordingDeadLetters;
import io.github.blllib.flink.TestStages.RunningTotal;
import io.github.blllib.flink.TestStages.TagWithSubtask;
import io.github.blllib.flink.TestStages.WindowSum;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.Awaitility;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlinkPipelineMiniClusterTests {

	@RegisterExtension
	static final MiniClusterExtension cluster = MiniClusterRuns.cluster();

	private static final List<Long> inputs = LongStream.range(0, 48).boxed().toList();

	@Test
	void randomPipelinesOfEveryStageKindGiveTheCoreEnginesOutputs() throws Exception {
		Random seeds = new Random(20261127);
		for (int i = 0; i < 4; i++) {
			long seed = seeds.nextLong();
			List<Long> expected = runInCore(randomStages(seed));
			List<Long> actual = MiniClusterRuns.run(flinkPipeline("random", randomStages(seed)), inputs);
			assertThat(actual).as("pipeline %s of seed %d", randomStages(seed), seed).isEqualTo(expected);
		}
	}

	@Test
	void windowsFormFromConsecutiveItemsThatDifferentSubtasksProduced() throws Exception {
		FlinkPipeline<Long, String> pipeline = FlinkPipeline.<Long>builder("across")
			.then(StageSpec.stateless("tag", new TagWithSubtask()).batchSize(3))
			.then(StageSpec.window("window", 3, SerializableStage.of((List<String> w) -> String.join(" ", w)))
				.batchSize(2))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		List<String> windows = MiniClusterRuns.run(pipeline, inputs);

		assertThat(windows).hasSize(inputs.size() - 2);
		List<Long> subtasksPerWindow = new ArrayList<>();
		for (int i = 0; i < windows.size(); i++) {
			String[] items = windows.get(i).split(" ");
			List<String> values = new ArrayList<>();
			List<String> subtasks = new ArrayList<>();
			for (String item : items) {
				values.add(item.split("@")[0]);
				subtasks.add(item.split("@")[1]);
			}
			assertThat(values).containsExactly(String.valueOf(i), String.valueOf(i + 1), String.valueOf(i + 2));
			subtasksPerWindow.add(subtasks.stream().distinct().count());
		}
		assertThat(subtasksPerWindow).anyMatch((count) -> count > 1);
	}

	@Test
	void asyncStagesAndAsyncWindowsGiveTheCoreEnginesOutputs() throws Exception {
		// futures completed later on other threads, nulls dropped, a first attempt that fails and
		// is retried: the same outputs in the same order as the in-JVM engine's
		List<StageSpec<?, ?>> stages = List.of(
				StageSpec.async("remote-affine", new AsyncAffine(3, 1)).batchSize(5).retry(Retry.maxRetries(1)),
				StageSpec.stateful("total", new RunningTotal(5, 42)),
				StageSpec.asyncWindow("remote-window", 2, new AsyncWindowSum()).batchSize(3));

		List<Long> actual = MiniClusterRuns.run(flinkPipeline("async", stages), inputs);

		assertThat(actual).isEqualTo(runInCore(stages)).isNotEmpty();
	}

	@Test
	void anAsyncStageThatIsNotSerializableIsRefusedNamingIt() {
		Throwable refused = catchThrowable(() -> FlinkPipeline.<Long>builder("not-shipped")
			.then(StageSpec.async("lookup", (Long x) -> java.util.concurrent.CompletableFuture.completedFuture(x)))
			.build());

		assertThat(refused).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("stage 'lookup' is not serializable")
			.hasMessageContaining("SerializableAsyncStage.of");
	}

	/** {@code a * x + b}, answered on another thread; multiples of 7 are dropped; 11's first call fails. */
	static final class AsyncAffine implements SerializableAsyncStage<Long, Long> {

		private static final long serialVersionUID = 1L;

		private static final java.util.Set<Long> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

		private final long a;

		private final long b;

		AsyncAffine(long a, long b) {
			this.a = a;
			this.b = b;
		}

		@Override
		public java.util.concurrent.CompletionStage<Long> apply(Long x) {
			return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				if (x == 11 && failedOnce.add(x)) {
					throw new IllegalStateException("the first call for 11 fails");
				}
				return (x % 7 == 0) ? null : this.a * x + this.b;
			}, java.util.concurrent.CompletableFuture.delayedExecutor(x % 3, java.util.concurrent.TimeUnit.MILLISECONDS));
		}

	}

	/** The sum of a window, answered on another thread. */
	static final class AsyncWindowSum implements SerializableAsyncStage<List<Long>, Long> {

		private static final long serialVersionUID = 1L;

		@Override
		public java.util.concurrent.CompletionStage<Long> apply(List<Long> window) {
			return java.util.concurrent.CompletableFuture.supplyAsync(() -> window.stream().mapToLong(Long::longValue).sum());
		}

	}

	@Test
	void aFailingStageFailsTheJobNamingPipelineStageAndItsInputIndex() {
		// odd numbers only reach 'check': 9 is its input #4
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("failing")
			.then(StageSpec.stateless("odd", SerializableStage.of((Long x) -> (x % 2 == 1) ? x : null)).batchSize(4))
			.then(StageSpec.stateful("check", new FailOn(9)))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		Throwable failure = catchThrowable(() -> MiniClusterRuns.run(pipeline, inputs));

		PipelineException cause = ExceptionUtils.findThrowable(failure, PipelineException.class).orElseThrow();
		assertThat(cause.pipeline()).isEqualTo("failing");
		assertThat(cause.stage()).isEqualTo("check");
		assertThat(cause.index()).isEqualTo(4);
		assertThat(cause.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("no 9");
	}

	@Test
	void aFailingParallelStageFailsTheJobNamingItsStage() {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("failing-parallel")
			.then(StageSpec.stateless("check", new FailOn(13)).batchSize(4))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		Throwable failure = catchThrowable(() -> MiniClusterRuns.run(pipeline, inputs));

		PipelineException cause = ExceptionUtils.findThrowable(failure, PipelineException.class).orElseThrow();
		assertThat(cause).hasMessageContaining("'check'").hasMessageContaining("'failing-parallel'");
		assertThat(cause.index()).isEqualTo(13);
	}

	@Test
	void retriedItemsKeepTheirPlaceInEveryKindOfStage() throws Exception {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("retried")
			.then(StageSpec.stateless("flaky", new FailsFirstAttempt()).batchSize(4).retry(Retry.maxRetries(1)))
			.then(StageSpec.stateful("flaky-total", new FailsFirstAttempt())
				.retry(Retry.maxRetries(2).delay(Duration.ofMillis(1))))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		assertThat(MiniClusterRuns.run(pipeline, inputs)).isEqualTo(inputs);
	}

	@Test
	void skippedItemsVanishLikeNullsAsInTheCoreEngine() throws Exception {
		List<StageSpec<?, ?>> stages = List.of(
				StageSpec.stateless("picky", new FailOn(10)).batchSize(4).skipFailures(),
				StageSpec.window("sum", 2, new WindowSum(1000, 3)).batchSize(3),
				StageSpec.stateful("picky-total", new FailOn(41)).skipFailures());

		List<Long> actual = MiniClusterRuns.run(flinkPipeline("skipping", stages), inputs);

		assertThat(actual).isEqualTo(runInCore(stages)).isNotEmpty();
	}

	@Test
	void skippedItemsReachTheDeadLetterHandlerWithWhereAndHowTheyFailed() throws Exception {
		RecordingDeadLetters.items.clear();
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("dead")
			.then(StageSpec.stateless("picky", new FailOn(10)).batchSize(4).retry(Retry.maxRetries(1)).skipFailures())
			.then(StageSpec.stateful("picky-total", new FailOn(20)).skipFailures())
			.parallelism(MiniClusterRuns.PARALLELISM)
			.deadLetters(new RecordingDeadLetters())
			.build();

		List<Long> outputs = MiniClusterRuns.run(pipeline, inputs);

		assertThat(outputs).isEqualTo(inputs.stream().filter((x) -> x != 10 && x != 20).toList());
		// 20 is the stateful stage's input #19: 10 never reached it
		assertThat(RecordingDeadLetters.items)
			.extracting(FailedItem::pipeline, FailedItem::stage, FailedItem::index, FailedItem::input,
					FailedItem::attempts)
			.containsExactlyInAnyOrder(tuple("dead", "picky", 10L, 10L, 2), tuple("dead", "picky-total", 19L, 20L, 1));
		assertThat(RecordingDeadLetters.items).extracting(FailedItem::failure)
			.allSatisfy((failure) -> assertThat(failure).isInstanceOf(IllegalStateException.class));
	}

	@Test
	void aCallPastItsTimeoutIsInterruptedAndSkipped() throws Exception {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("timed")
			.then(StageSpec.stateless("hang", new HangOn(5)).batchSize(2).timeout(Duration.ofSeconds(2))
				.skipFailures())
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		List<Long> outputs = MiniClusterRuns.run(pipeline, inputs);

		assertThat(outputs).isEqualTo(inputs.stream().filter((x) -> x != 5).toList());
	}

	@Test
	void aTimedOutCallThatIsNotSkippedFailsTheJobWithAStageTimeout() {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("timed-out")
			.then(StageSpec.stateful("hang", new HangOn(5)).timeout(Duration.ofSeconds(2)))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		Throwable failure = catchThrowable(() -> MiniClusterRuns.run(pipeline, inputs));

		PipelineException cause = ExceptionUtils.findThrowable(failure, PipelineException.class).orElseThrow();
		assertThat(cause.stage()).isEqualTo("hang");
		assertThat(cause.index()).isEqualTo(5);
		assertThat(cause.getCause()).isInstanceOf(StageTimeoutException.class);
	}

	@Test
	void noStageThreadOutlivesAJobThatEndedOrFailed() throws Exception {
		FlinkPipeline<Long, Long> ending = FlinkPipeline.<Long>builder("threads-ending")
			.then(StageSpec.stateless("hang", new HangOn(-1)).batchSize(4).timeout(Duration.ofSeconds(30)))
			.then(StageSpec.stateful("total", new RunningTotal(5, 1)).timeout(Duration.ofSeconds(30)))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();
		FlinkPipeline<Long, Long> failing = FlinkPipeline.<Long>builder("threads-failing")
			.then(StageSpec.stateless("hang", new HangOn(20)).batchSize(4))
			.then(StageSpec.stateless("check", new FailOn(3)).batchSize(4))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		assertThat(MiniClusterRuns.run(ending, inputs)).isNotEmpty();
		assertThat(catchThrowable(() -> MiniClusterRuns.run(failing, inputs))).isNotNull();

		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().startsWith("blllib-flink-")));
	}

	/** Stateful, stateless and window stages in a random order, with drops and jitter. */
	private static List<StageSpec<?, ?>> randomStages(long seed) {
		Random random = new Random(seed);
		List<StageSpec<?, ?>> stages = new ArrayList<>();
		int count = 2 + random.nextInt(3);
		for (int i = 0; i < count; i++) {
			long dropEvery = 4 + random.nextInt(6);
			int batchSize = 1 + random.nextInt(4);
			String name = "s" + i;
			switch (random.nextInt(3)) {
				case 0 -> stages.add(StageSpec.stateful(name, new RunningTotal(dropEvery, seed)));
				case 1 -> stages.add(StageSpec
					.stateless(name, new Affine(1 + random.nextInt(5), random.nextInt(7), dropEvery, seed))
					.batchSize(batchSize));
				default -> stages.add(StageSpec.window(name, 1 + random.nextInt(3), new WindowSum(dropEvery, seed))
					.batchSize(batchSize));
			}
		}
		return stages;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static FlinkPipeline<Long, Long> flinkPipeline(String name, List<StageSpec<?, ?>> stages) {
		FlinkPipeline.Builder builder = FlinkPipeline.<Long>builder(name);
		for (StageSpec<?, ?> stage : stages) {
			builder = builder.then((StageSpec) stage);
		}
		return builder.parallelism(MiniClusterRuns.PARALLELISM).build();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static List<Long> runInCore(List<StageSpec<?, ?>> stages) {
		Pipeline.Builder builder = Pipeline.<Long>builder("core").nCpu(4);
		for (StageSpec<?, ?> stage : stages) {
			builder = builder.then((StageSpec) stage);
		}
		List<Long> outputs = new ArrayList<>();
		try (Pipeline<Long, Long> pipeline = builder.build(); PipelineRun<Long> run = pipeline.apply(inputs)) {
			run.forEachRemaining(outputs::add);
		}
		return outputs;
	}

}
