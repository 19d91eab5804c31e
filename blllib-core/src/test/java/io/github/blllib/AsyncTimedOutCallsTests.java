package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an async stage's batch size bounds when calls time out: the futures the stage returned
 * that have not completed. A timed-out call whose future its cancellation does not complete
 * keeps its place until it does; a future whose cancellation reaches the request frees it at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncTimedOutCallsTests {

	private static final int BATCH = 4;

	private static final List<Integer> INPUTS = StageKindsTests.range(12);

	private static final List<Integer> OUTPUTS = INPUTS.stream().map((x) -> x * 10).toList();

	@Test
	void aTimedOutCallWhoseFutureIgnoresItsCancellationKeepsItsPlaceInTheBatchUntilItCompletes() {
		SlowFirstCallService service = new SlowFirstCallService();
		// a CompletionStage that is no CompletableFuture: cancelling its copy does not complete it
		AsyncStage<Integer, Integer> stage = (x) -> service.call(x).minimalCompletionStage().thenApply((v) -> v * 10);
		assertThat(run(stage)).isEqualTo(OUTPUTS);
		assertThat(service.maxOutstanding.get()).isLessThanOrEqualTo(BATCH);
	}

	@Test
	void aFutureWhoseCancellationReachesTheRequestFreesItsPlaceAtTheDeadline() {
		SlowFirstCallService service = new SlowFirstCallService();
		AsyncStage<Integer, Integer> stage = (x) -> {
			CompletableFuture<Integer> request = service.call(x);
			CompletableFuture<Integer> result = request.thenApply((v) -> v * 10);
			result.whenComplete((v, failure) -> {
				if (result.isCancelled()) {
					request.cancel(true);
				}
			});
			return result;
		};
		assertThat(run(stage)).isEqualTo(OUTPUTS);
		assertThat(service.maxOutstanding.get()).isLessThanOrEqualTo(BATCH);
	}

	private static List<Integer> run(AsyncStage<Integer, Integer> stage) {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("outstanding")
			.then(StageSpec.async("remote", stage)
				.batchSize(BATCH)
				.timeout(Duration.ofMillis(20))
				.retry(Retry.maxRetries(1)))
			.build()) {
			return StageKindsTests.drain(pipeline.apply(INPUTS));
		}
	}

	/**
	 * A remote service that counts the requests it is working on: from the call until it answers
	 * or the request is cancelled. A first request per input answers after 300 ms, a retry at once.
	 */
	private static final class SlowFirstCallService {

		private final AtomicInteger outstanding = new AtomicInteger();

		final AtomicInteger maxOutstanding = new AtomicInteger();

		private final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();

		CompletableFuture<Integer> call(int x) {
			CompletableFuture<Integer> request = new CompletableFuture<>();
			AtomicBoolean working = new AtomicBoolean(true);
			Runnable ended = () -> {
				if (working.getAndSet(false)) {
					this.outstanding.decrementAndGet();
				}
			};
			this.maxOutstanding.accumulateAndGet(this.outstanding.incrementAndGet(), Math::max);
			request.whenComplete((v, failure) -> ended.run());
			// the work ends before the answer: the answer's callbacks may start the next request
			Runnable answer = () -> {
				ended.run();
				request.complete(x);
			};
			if (this.calls.computeIfAbsent(x, (key) -> new AtomicInteger()).incrementAndGet() == 1) {
				CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(answer);
			}
			else {
				answer.run();
			}
			return request;
		}

	}

}
