package io.github.blllib.flink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.blllib.RateLimit;
import io.github.blllib.StageSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** On Flink a stage's rate limit is a budget per subtask, waited for on the call's own thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StageCallerRateLimitTests {

	private final AtomicInteger calls = new AtomicInteger();

	private final StageSpec<Integer, Integer> spec = StageSpec.stateless("remote", (Integer x) -> {
		this.calls.incrementAndGet();
		return x;
	}).rateLimit(RateLimit.of(2, Duration.ofHours(1)));

	@Test
	void eachSubtaskHasABudgetOfItsOwnAndACallWaitsForItsPermitOnItsThread() throws Exception {
		try (StageCaller first = new StageCaller("p", this.spec, null, "first");
				StageCaller second = new StageCaller("p", this.spec, null, "second")) {
			assertThat(first.call(1, 0)).isEqualTo(1);
			assertThat(first.call(2, 1)).isEqualTo(2);
			assertThat(second.call(3, 0)).isEqualTo(3);
			assertThat(second.call(4, 1)).isEqualTo(4);
			AtomicReference<Thread> caller = new AtomicReference<>();
			CompletableFuture<Object> third = CompletableFuture.supplyAsync(() -> {
				caller.set(Thread.currentThread());
				try {
					return first.call(5, 2);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().atMost(Duration.ofSeconds(30))
				.until(() -> caller.get() != null && caller.get().getState() == Thread.State.TIMED_WAITING);
			assertThat(this.calls).hasValue(4);
			caller.get().interrupt();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(third::get)
				.withRootCauseInstanceOf(InterruptedException.class);
			assertThat(this.calls).hasValue(4);
		}
	}

	@Test
	void aShippedStageKeepsItsRateLimit() {
		StageSpec<?, ?> opened = new ShippedStageSource(this.spec).open(null);
		assertThat(opened.settings().rateLimit().permits()).isEqualTo(2);
		assertThat(opened.settings().rateLimit().period()).isEqualTo(Duration.ofHours(1));
	}

}
