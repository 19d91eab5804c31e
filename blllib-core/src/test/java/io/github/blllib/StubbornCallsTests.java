package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Timed-out calls of a stateless stage that ignore their interrupt: each keeps its own thread
 * until it returns, and nothing else. Their items' outcomes are fixed at the deadline, and
 * once they hold every thread of the worker pool, rescue drainers on threads of their own take
 * the other items; a close still ends every thread of the run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StubbornCallsTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	/** Lets the stubborn calls return. */
	private final CountDownLatch release = new CountDownLatch(1);

	private final ExecutorService closer = Executors.newSingleThreadExecutor();

	@AfterEach
	void releaseStubbornCalls() throws InterruptedException {
		this.release.countDown();
		this.closer.shutdownNow();
		assertThat(this.closer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void callsHoldingEveryPoolThreadPastTheirDeadlineHoldUpNoOtherItem() throws Exception {
		List<Integer> outputs = new CopyOnWriteArrayList<>();
		List<Long> deadLetters = new CopyOnWriteArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("stubborn")
			.nCpu(2)
			.deadLetters((item) -> deadLetters.add(item.index()))
			.then(StageSpec.stateless("stubborn", stubbornOn(3, 7, (x) -> {
			})).batchSize(16).timeout(Duration.ofMillis(100)).skipFailures())
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(20));
			Future<?> drained = this.consumer.submit(() -> run.forEachRemaining(outputs::add));
			// both items' outcomes are fixed at their deadlines, while both pool threads stay in them
			await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
				assertThat(deadLetters).containsExactly(3L, 7L);
				assertThat(outputs).isEqualTo(StageKindsTests.range(20).stream().filter((x) -> x != 3 && x != 7).toList());
				assertThat(pipeline.runningCalls()).extracting(StageCall::index).containsExactlyInAnyOrder(3L, 7L);
			});
			this.release.countDown();
			drained.get(30, TimeUnit.SECONDS);
			assertThat(pipeline.statistics().get(0).timeouts()).isEqualTo(2);
			Threads.assertRunThreadsReleased(pipeline);
		}
		Threads.assertNoBlllibThreadAlive();
	}

	@Test
	void aRetryDueWhileACallHoldsThePoolsOnlyThreadRunsWithoutWaitingForIt() throws Exception {
		AtomicInteger attemptsOfFive = new AtomicInteger();
		List<Integer> outputs = new CopyOnWriteArrayList<>();
		List<Long> deadLetters = new CopyOnWriteArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("stuck-retry")
			.nCpu(1)
			.deadLetters((item) -> deadLetters.add(item.index()))
			.then(StageSpec.stateless("stubborn", stubbornOn(0, 0, (x) -> {
				if (x == 5 && attemptsOfFive.incrementAndGet() == 1) {
					throw new IllegalStateException("once");
				}
			}))
				.batchSize(16)
				.timeout(Duration.ofMillis(100))
				.retry(Retry.maxRetries(1).delay(Duration.ofMillis(50)).includes(IllegalStateException.class))
				.skipFailures())
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(10));
			Future<?> drained = this.consumer.submit(() -> run.forEachRemaining(outputs::add));
			await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
				assertThat(outputs).isEqualTo(StageKindsTests.range(10).subList(1, 10));
				assertThat(pipeline.runningCalls()).extracting(StageCall::index).containsExactly(0L);
			});
			assertThat(deadLetters).containsExactly(0L);
			assertThat(attemptsOfFive).hasValue(2);
			this.release.countDown();
			drained.get(30, TimeUnit.SECONDS);
			Threads.assertRunThreadsReleased(pipeline);
		}
		Threads.assertNoBlllibThreadAlive();
	}

	@Test
	void aCloseWhileCallsAreStuckAndRescueDrainersRunLeavesNoThreadAndStartsNoCall() throws Exception {
		CountDownLatch rescuedCallRunning = new CountDownLatch(1);
		List<String> calls = new CopyOnWriteArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("stuck-close")
			.nCpu(1)
			.then(StageSpec.stateless("stubborn", stubbornOn(0, 0, (x) -> calls.add("stubborn " + x)))
				.batchSize(16)
				.timeout(Duration.ofMillis(100))
				.skipFailures())
			.then(StageSpec.stateless("waiting", (Integer x) -> {
				calls.add("waiting " + x);
				if (x == 12) {
					rescuedCallRunning.countDown();
					// until the close interrupts it
					new CountDownLatch(1).await();
				}
				return x;
			}).batchSize(16))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(40));
			this.consumer.submit(() -> run.forEachRemaining((x) -> {
			}));
			// the pool's one thread is stuck in item 0: a rescue drainer runs the others
			assertThat(rescuedCallRunning.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(pipeline.runningCalls()).filteredOn((call) -> call.stage().equals("waiting"))
				.singleElement()
				.satisfies((call) -> assertThat(call.thread()).startsWith("blllib-stuck-close-rescue-"));
			Future<?> closed = this.closer.submit(run::close);
			// the close interrupted the rescue drainer's call and waits for the stuck one
			await().atMost(30, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(pipeline.runningCalls()).extracting(StageCall::index).containsExactly(0L));
			List<String> callsAtClose = List.copyOf(calls);
			this.release.countDown();
			closed.get(30, TimeUnit.SECONDS);
			assertThat(calls).as("calls started once the close began").isEqualTo(callsAtClose);
			Threads.assertRunThreadsReleased(pipeline);
		}
		Threads.assertNoBlllibThreadAlive();
	}

	/**
	 * A stage that ignores interrupts on {@code a} and {@code b} until released; on every
	 * input it first runs {@code onCall} (whose interrupt it does not ignore).
	 */
	private Stage<Integer, Integer> stubbornOn(int a, int b, InterruptibleCall onCall) {
		return (x) -> {
			onCall.accept(x);
			while ((x == a || x == b) && this.release.getCount() > 0) {
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					// ignored, as a stubborn call does
				}
			}
			return x;
		};
	}

	@FunctionalInterface
	private interface InterruptibleCall {

		void accept(int input) throws InterruptedException;

	}

}
