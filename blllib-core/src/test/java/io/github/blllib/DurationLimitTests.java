package io.github.blllib;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Delays and timeouts longer than a long counts in nanoseconds are refused where they are set,
 * naming the setting and the allowed range; a delay that the multiplier grows stops at the
 * longest one instead of overflowing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DurationLimitTests {

	private static final Duration TOO_LONG = Duration.ofDays(200_000);

	@Test
	void theLongestDurationIsTheLastWholeDayThatALongCountsInNanoseconds() {
		assertThat(DurationLimit.LONGEST.toNanos()).isPositive();
		assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> DurationLimit.LONGEST.plusDays(1).toNanos());
	}

	@Test
	void aRetryDelayPastTheLongestIsRefusedNamingTheSettingAndTheRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> Retry.maxRetries(1).delay(TOO_LONG))
			.withMessageContaining("delay")
			.withMessageContaining("at most 106751 days")
			.withMessageContaining(TOO_LONG.toString());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Retry.maxRetries(1).delay(DurationLimit.LONGEST.plusNanos(1)));
		assertThat(Retry.maxRetries(1).delay(DurationLimit.LONGEST).delayBefore(1)).isEqualTo(DurationLimit.LONGEST);
	}

	@Test
	void aMaxDelayPastTheLongestIsRefusedNamingTheSettingAndTheRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> Retry.maxRetries(1).maxDelay(TOO_LONG))
			.withMessageContaining("maxDelay")
			.withMessageContaining("at most 106751 days");
	}

	@Test
	void aTimeoutPastTheLongestIsRefusedNamingTheStageAndTheRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StageSpec.stateless("slow", (Integer x) -> x).timeout(TOO_LONG))
			.withMessageContaining("'slow'")
			.withMessageContaining("timeout")
			.withMessageContaining("at most 106751 days");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StageSpec.async("remote", (Integer x) -> CompletableFuture.completedFuture(x))
				.timeout(TOO_LONG))
			.withMessageContaining("'remote'");
	}

	@Test
	void aDelayTheMultiplierGrowsPastTheLongestStopsThere() {
		Retry growing = Retry.maxRetries(Integer.MAX_VALUE).delay(Duration.ofDays(100_000)).multiplier(1e300);
		assertThat(growing.delayBefore(2)).isEqualTo(DurationLimit.LONGEST);
		assertThat(growing.delayBefore(Integer.MAX_VALUE)).isEqualTo(DurationLimit.LONGEST);
		assertThat(growing.maxDelay(DurationLimit.LONGEST).delayBefore(3)).isEqualTo(DurationLimit.LONGEST);
		assertThat(growing.maxDelay(Duration.ofDays(1)).delayBefore(3)).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void stagesWithTheLongestTimeoutRunToTheEnd() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("longest-timeout")
			.nCpu(2)
			.then(StageSpec.stateless("plain", (Integer x) -> x + 1).batchSize(4).timeout(DurationLimit.LONGEST))
			.then(StageSpec.async("remote", (Integer x) -> CompletableFuture.supplyAsync(() -> x * 2))
				.batchSize(4)
				.timeout(DurationLimit.LONGEST))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(20))))
				.isEqualTo(StageKindsTests.range(20).stream().map((x) -> (x + 1) * 2).toList());
		}
	}

}
