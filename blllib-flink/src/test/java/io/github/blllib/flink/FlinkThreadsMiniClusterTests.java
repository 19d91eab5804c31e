package io.github.blllib.flink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.github.blllib.Retry;
import io.github.blllib.StageSpec;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stage's threads follow the calls in flight, not the batch size: a huge batch size starts
 * the job, timed-out calls that ignore their interrupt hold no more threads than the batch size,
 * and no thread of the operator outlives the job.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlinkThreadsMiniClusterTests {

	@RegisterExtension
	static final MiniClusterExtension cluster = MiniClusterRuns.cluster();

	private static final List<Long> inputs = LongStream.range(0, 200).boxed().toList();

	/** Released at the end of the test that holds the stuck calls. */
	private static final CountDownLatch stuckCallsRelease = new CountDownLatch(1);

	@Test
	void theLargestBatchSizeStartsTheJobAndGivesEveryOutput() throws Exception {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("threads-largest-batch")
			.then(StageSpec.stateless("double", SerializableStage.of((Long x) -> 2 * x)).batchSize(Integer.MAX_VALUE))
			.then(StageSpec.stateless("timed", SerializableStage.of((Long x) -> x + 1))
				.batchSize(Integer.MAX_VALUE)
				.timeout(Duration.ofMinutes(1)))
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		assertThat(MiniClusterRuns.run(pipeline, inputs)).isEqualTo(inputs.stream().map((x) -> 2 * x + 1).toList());
		awaitNoThreadOf("threads-largest-batch");
	}

	@Test
	void timedOutCallsThatIgnoreTheirInterruptHoldAtMostTheBatchSizeOfThreads() throws Exception {
		String name = "threads-stuck";
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder(name)
			.then(StageSpec.stateless("stuck", new StuckOn(3))
				.batchSize(2)
				.timeout(Duration.ofMillis(100))
				.retry(Retry.maxRetries(8))
				.skipFailures())
			.parallelism(1)
			.build();
		try {
			List<Long> outputs = MiniClusterRuns.run(pipeline, inputs.subList(0, 8));

			assertThat(outputs).doesNotContain(3L).isSubsetOf(inputs);
			assertThat(threadsOf(name)).as("threads of the ended job, two of them still in calls that ignore "
					+ "their interrupt").isLessThanOrEqualTo(2 * 2);
		}
		finally {
			stuckCallsRelease.countDown();
		}
		awaitNoThreadOf(name);
	}

	private static long threadsOf(String pipeline) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("blllib-flink-" + pipeline + "-"))
			.count();
	}

	private static void awaitNoThreadOf(String pipeline) {
		Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> threadsOf(pipeline) == 0);
	}

	/** Every call for {@code value} ignores interrupts until the test releases it. */
	record StuckOn(long value) implements SerializableStage<Long, Long> {

		@Override
		public Long apply(Long x) {
			if (x == this.value) {
				boolean released = false;
				while (!released) {
					try {
						released = stuckCallsRelease.await(1, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						// ignored, as a stage that does not stop when asked
					}
				}
			}
			return x;
		}

	}

}
