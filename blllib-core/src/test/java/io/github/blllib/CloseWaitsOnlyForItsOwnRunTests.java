package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What a close from another thread waits for: the consumer's pull of this run, never a pull of
 * another run, and no wait the run itself does (a retry's delay in master); what it waits for
 * shows in {@link Pipeline#runningCalls()}. An interrupt during such a wait ends the run; it does
 * not make the item failed. The bounds on waits only turn a hang into a failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseWaitsOnlyForItsOwnRunTests {

	private static final Retry A_DAY_APART = Retry.maxRetries(3).delay(Duration.ofDays(1));

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@ParameterizedTest(name = "run A with an off-thread stage: {0}")
	@ValueSource(booleans = { false, true })
	void closeOfARunReturnsWhileItsConsumerWaitsInsideAPullOfAnotherRun(boolean offThread) throws Exception {
		CountDownLatch insideB = new CountDownLatch(1);
		CountDownLatch releaseB = new CountDownLatch(1);
		StageSpec<Integer, Integer> plusOne = StageSpec.stateless("plus-one", (Integer x) -> x + 1).batchSize(4);
		try (Pipeline<Integer, Integer> a = Pipeline.<Integer>builder("a")
			.then(offThread ? plusOne : plusOne.runInMaster())
			.build();
				Pipeline<Integer, Integer> b = Pipeline.<Integer>builder("b")
					.sequential()
					.then(StageSpec.stateless("blocking", (Integer x) -> {
						insideB.countDown();
						releaseB.await();
						return x;
					}))
					.build()) {
			PipelineRun<Integer> runA = a.apply(CountingSource.endless());
			Future<Integer> pullOfB = this.consumer.submit(() -> {
				assertThat(runA.next()).isEqualTo(1);
				return b.apply(List.of(7)).next();
			});
			try {
				assertThat(insideB.await(30, TimeUnit.SECONDS)).isTrue();
				CompletableFuture.runAsync(runA::close).get(30, TimeUnit.SECONDS);
				assertThat(a.hasOpenRun()).isFalse();
				assertThat(pullOfB).as("the pull of run B").isNotDone();
			}
			finally {
				releaseB.countDown();
			}
			assertThat(pullOfB.get(30, TimeUnit.SECONDS)).isEqualTo(7);
		}
	}

	@Test
	void closeWaitsForAStatelessInMasterCallOfASequentialRunWhichRunningCallsShows() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<String> consumerName = new AtomicReference<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("sequential-close")
			.sequential()
			.then(StageSpec.stateless("blocking", (Integer x) -> {
				if (x == 1) {
					consumerName.set(Thread.currentThread().getName());
					entered.countDown();
					awaitUninterruptibly(release);
				}
				return x;
			}))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
			// the second pull takes the fast path of a run whose stages all run in master
			Future<List<Integer>> pulled = this.consumer.submit(() -> List.of(run.next(), run.next()));
			Thread closer = new Thread(run::close);
			try {
				assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
				closer.start();
				await().until(() -> closer.getState() == Thread.State.TIMED_WAITING);
				assertThat(closer.isAlive()).as("close() returned while the in-master call ran").isTrue();
				assertThat(pipeline.runningCalls())
					.containsExactly(new StageCall("sequential-close", "consumer", consumerName.get(), -1));
			}
			finally {
				release.countDown();
			}
			closer.join();
			assertThat(pulled.get(30, TimeUnit.SECONDS)).containsExactly(0, 1);
			assertThat(pipeline.hasOpenRun()).isFalse();
			assertThat(pipeline.runningCalls()).isEmpty();
		}
	}

	@Test
	void aBoundedCloseEndsAnInMasterRetryWaitingOutADayAndSkipsNothing() throws Exception {
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		FailingOnce failing = new FailingOnce();
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("retry-close")
			.sequential()
			.deadLetters(deadLetters::add)
			.then(StageSpec.stateless("flaky", failing).retry(A_DAY_APART).skipFailures())
			.build();
		PipelineRun<Integer> run = pipeline.apply(List.of(1, 2, 3));
		Future<Boolean> pulled = this.consumer.submit(run::hasNext);
		failing.awaitWaitingForRetry();
		assertThat(pipeline.close(Duration.ofSeconds(30))).isTrue();
		assertThat(pulled.get(30, TimeUnit.SECONDS)).as("the pull the close ended").isFalse();
		assertThat(deadLetters).isEmpty();
		assertThat(pipeline.hasOpenRun()).isFalse();
	}

	@Test
	void aConsumerInterruptedWhileAnInMasterRetryWaitsFailsTheRunForTheConsumerAndSkipsNothing()
			throws Exception {
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		FailingOnce failing = new FailingOnce();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("retry-interrupt")
			.sequential()
			.deadLetters(deadLetters::add)
			.then(StageSpec.stateless("flaky", failing).retry(A_DAY_APART).skipFailures())
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(List.of(1, 2, 3));
			Future<Boolean> pulled = this.consumer.submit(run::hasNext);
			failing.awaitWaitingForRetry();
			this.consumer.interrupt();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> pulled.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(PipelineException.class,
						(failure) -> assertThat(failure.stage()).isEqualTo("consumer"))
				.havingCause()
				.isInstanceOf(InterruptedException.class);
			assertThat(deadLetters).isEmpty();
			await().until(() -> !pipeline.hasOpenRun());
		}
	}

	@Test
	void whileCloseWaitsForTheDeadLetterHandlerRunningCallsShowsIt() throws Exception {
		CountDownLatch inHandler = new CountDownLatch(1);
		CountDownLatch releaseHandler = new CountDownLatch(1);
		AtomicReference<String> consumerName = new AtomicReference<>();
		DeadLetterHandler blocking = (item) -> {
			consumerName.set(Thread.currentThread().getName());
			inHandler.countDown();
			awaitUninterruptibly(releaseHandler);
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("dead-letter-close")
			.nCpu(1)
			.deadLetters(blocking)
			.then(StageSpec.stateless("failing", (Integer x) -> {
				if (x == 1) {
					throw new IllegalStateException("bad input");
				}
				return x;
			}).batchSize(4).skipFailures())
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(List.of(0, 1, 2));
			Future<List<Integer>> drained = this.consumer.submit(() -> StageKindsTests.drain(run));
			Thread closer = new Thread(run::close);
			try {
				assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
				closer.start();
				await().until(() -> closer.getState() == Thread.State.TIMED_WAITING);
				assertThat(closer.isAlive()).as("close() returned while the dead-letter handler ran").isTrue();
				assertThat(pipeline.runningCalls())
					.containsExactly(new StageCall("dead-letter-close", "dead-letters", consumerName.get(), 1));
			}
			finally {
				releaseHandler.countDown();
			}
			closer.join();
			assertThat(drained.get(30, TimeUnit.SECONDS)).startsWith(0);
			assertThat(pipeline.runningCalls()).isEmpty();
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				latch.await();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/** A stage whose first call fails; the test sees the consumer wait for the retry. */
	private static final class FailingOnce implements Stage<Integer, Integer> {

		private final CountDownLatch failed = new CountDownLatch(1);

		private volatile Thread caller;

		@Override
		public Integer apply(Integer input) {
			if (this.failed.getCount() > 0) {
				this.caller = Thread.currentThread();
				this.failed.countDown();
				throw new IllegalStateException("service down");
			}
			return input;
		}

		void awaitWaitingForRetry() throws InterruptedException {
			assertThat(this.failed.await(30, TimeUnit.SECONDS)).isTrue();
			await().until(() -> this.caller.getState() == Thread.State.TIMED_WAITING);
		}

	}

}
