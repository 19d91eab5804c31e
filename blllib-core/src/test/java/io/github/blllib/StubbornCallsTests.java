package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The documented limit of a timeout on a stateless stage: a timed-out call that ignores its
 * interrupt keeps its pool thread. Its item's outcome is fixed at the deadline, but once every
 * thread of the worker pool is held so, the items behind wait until a call returns.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StubbornCallsTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@Test
	void callsHoldingEveryPoolThreadPastTheirDeadlineHoldUpTheItemsBehindUntilTheyReturn() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Stage<Integer, Integer> stubbornOnThreeAndSeven = (x) -> {
			while ((x == 3 || x == 7) && release.getCount() > 0) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					// ignored, as a stubborn call does
				}
			}
			return x;
		};
		List<Integer> outputs = new CopyOnWriteArrayList<>();
		List<Long> deadLetters = new CopyOnWriteArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("stubborn")
			.nCpu(2)
			.deadLetters((item) -> deadLetters.add(item.index()))
			.then(StageSpec.stateless("stubborn", stubbornOnThreeAndSeven)
				.batchSize(16)
				.timeout(Duration.ofMillis(100))
				.skipFailures())
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(20));
			Future<?> drained = this.consumer.submit(() -> run.forEachRemaining(outputs::add));
			// both items' outcomes are fixed at their deadlines, while both pool threads stay in them
			await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
				assertThat(deadLetters).containsExactly(3L, 7L);
				assertThat(outputs).containsExactly(0, 1, 2, 4, 5, 6);
				assertThat(pipeline.runningCalls()).extracting(StageCall::index).containsExactlyInAnyOrder(3L, 7L);
			});
			release.countDown();
			drained.get(30, TimeUnit.SECONDS);
			assertThat(outputs).isEqualTo(StageKindsTests.range(20).stream().filter((x) -> x != 3 && x != 7).toList());
			assertThat(pipeline.statistics().get(0).timeouts()).isEqualTo(2);
		}
		finally {
			release.countDown();
		}
	}

}
