package io.github.blllib;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a stage's ring holds: the batch size in flight, also above the ring's first size while
 * the stage is busy; and one outcome per call, however often a future runs its callbacks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RingLimitsTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@Test
	void aBusyStageWithABatchSizeAboveTheFirstRingSizeReachesItsBatchSizeInFlight() throws Exception {
		int batch = 1_100;
		CountDownLatch allRunning = new CountDownLatch(batch);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService pool = Executors.newCachedThreadPool();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("wide")
			.nCpu(batch)
			.workerPool(pool)
			.then(StageSpec.stateless("slow", (Integer x) -> {
				allRunning.countDown();
				release.await();
				return x;
			}).batchSize(batch))
			.build()) {
			List<Integer> inputs = IntStream.range(0, 2 * batch).boxed().toList();
			Future<List<Integer>> outputs = this.consumer.submit(() -> StageKindsTests.drain(pipeline.apply(inputs)));
			await().atMost(60, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(allRunning.getCount()).as("calls still to start").isZero());
			release.countDown();
			assertThat(outputs.get()).isEqualTo(inputs);
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	@Test
	void aCompletionStageThatRunsItsCallbacksTwiceCountsEachCallOnce() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("twice")
			.then(StageSpec.async("echo", (Integer x) -> TwiceCalling.completed(x)).batchSize(4))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(10)))).isEqualTo(StageKindsTests.range(10));
			assertThat(pipeline.statistics().get(0).succeeded()).isEqualTo(10);
		}
	}

	@Test
	void aCompletionStageThatRunsItsCallbacksTwiceRetriesAFailedCallOnce() {
		AtomicInteger calls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("twice-retried")
			.then(StageSpec.async("flaky", (Integer x) -> {
				if (x == 3 && calls.getAndIncrement() == 0) {
					return TwiceCalling.<Integer>failed(new IllegalStateException("once"));
				}
				return TwiceCalling.completed(x);
			}).batchSize(4).retry(Retry.maxRetries(2)))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(10)))).isEqualTo(StageKindsTests.range(10));
			StageStatistics statistics = pipeline.statistics().get(0);
			assertThat(statistics.retries()).isEqualTo(1);
			assertThat(statistics.succeeded()).isEqualTo(10);
			assertThat(calls).hasValue(2);
		}
	}

	@Test
	void aTimedOutCallThatIgnoresItsInterruptHoldsUpNoOtherItem() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("stuck")
			.nCpu(2)
			.then(StageSpec.stateless("stubborn", (Integer x) -> {
				while (x == 5 && release.getCount() > 0) {
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						// ignored, as a stubborn call does
					}
				}
				return x;
			}).batchSize(16).timeout(java.time.Duration.ofMillis(200)).skipFailures())
			.build()) {
			List<Integer> outputs = new CopyOnWriteArrayList<>();
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(39));
			// the run's end waits for the stubborn call: the outputs are watched as they arrive
			Future<?> drained = this.consumer.submit(() -> run.forEachRemaining(outputs::add));
			await().atMost(30, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(outputs)
					.isEqualTo(StageKindsTests.range(39).stream().filter((x) -> x != 5).toList()));
			release.countDown();
			drained.get(30, TimeUnit.SECONDS);
		}
		finally {
			release.countDown();
		}
	}

	/** A completed stage that runs every callback registered with {@code whenComplete} twice. */
	private static final class TwiceCalling<T> extends CompletableFuture<T> {

		static <T> CompletionStage<T> completed(T value) {
			TwiceCalling<T> future = new TwiceCalling<>();
			future.complete(value);
			return future;
		}

		static <T> CompletionStage<T> failed(Throwable failure) {
			TwiceCalling<T> future = new TwiceCalling<>();
			future.completeExceptionally(failure);
			return future;
		}

		@Override
		public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
			super.whenComplete(action);
			return super.whenComplete(action);
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new CompletableFuture<>();
		}

	}

}
