package io.github.blllib.flink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.blllib.AsyncStage;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Flink's stage calls wait before a retry exactly as long as the stage's {@link Retry} says. */
class StageCallerRetryWaitTests {

	/** Below a millisecond apart, so that a wait rounded to milliseconds differs. */
	private static final Retry RETRY = Retry.maxRetries(3).delay(Duration.ofNanos(1_500_000)).multiplier(1.5);

	private static final List<Long> EXPECTED_NANOS = List.of(RETRY.delayBefore(1).toNanos(),
			RETRY.delayBefore(2).toNanos(), RETRY.delayBefore(3).toNanos());

	@Test
	void aStageWaitsTheRetrysDelaysToTheNanosecond() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Stage<Integer, Integer> failsThreeTimes = (x) -> {
			if (calls.incrementAndGet() <= 3) {
				throw new IllegalStateException("busy");
			}
			return x + 1;
		};
		assertWaitsAsTheRetrySays(StageSpec.stateless("flaky", failsThreeTimes).retry(RETRY));
	}

	@Test
	void anAsyncStageWaitsTheRetrysDelaysToTheNanosecond() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		AsyncStage<Integer, Integer> failsThreeTimes = (x) -> (calls.incrementAndGet() <= 3)
				? CompletableFuture.failedFuture(new IllegalStateException("busy"))
				: CompletableFuture.completedFuture(x + 1);
		assertWaitsAsTheRetrySays(StageSpec.async("flaky", failsThreeTimes).retry(RETRY));
	}

	private static void assertWaitsAsTheRetrySays(StageSpec<?, ?> spec) throws Exception {
		List<Long> waits = new CopyOnWriteArrayList<>();
		try (StageCaller caller = new StageCaller("retry-wait", spec, null, "retry-wait", waits::add)) {
			assertThat(caller.call(1, 0)).isEqualTo(2);
		}
		assertThat(EXPECTED_NANOS).containsExactly(1_500_000L, 2_250_000L, 3_375_000L);
		assertThat(waits).isEqualTo(EXPECTED_NANOS);
	}

}
