package io.github.blllib;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** The budget itself, on a clock the test moves. */
class RateLimitTests {

	private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(100);

	@Test
	void noWindowOfThePeriodGrantsMoreThanThePermitsAndARefusalSaysExactlyWhenOneIsDue() {
		AtomicLong clock = new AtomicLong(1L << 40);
		RateLimit limit = RateLimit.of(7, Duration.ofNanos(PERIOD), clock::get);
		Random random = new Random(26);
		List<Long> granted = new ArrayList<>();
		while (granted.size() < 2_000) {
			long wait = limit.tryAcquire();
			if (wait == 0) {
				granted.add(clock.get());
				clock.addAndGet(random.nextInt(4) == 0 ? random.nextInt((int) PERIOD / 5) : 0);
			}
			else {
				assertThat(wait).isPositive().isLessThanOrEqualTo(PERIOD);
				clock.addAndGet(wait - 1);
				assertThat(limit.tryAcquire()).isEqualTo(1);
				clock.incrementAndGet();
			}
		}
		for (int i = 0; i + 7 < granted.size(); i++) {
			assertThat(granted.get(i + 7) - granted.get(i)).as("start %d and the 7th after it", i)
				.isGreaterThanOrEqualTo(PERIOD);
		}
	}

	@Test
	void aFullWindowIsGrantedAtOnceAsABurstAndTheNextOneAPeriodLater() {
		AtomicLong clock = new AtomicLong(-5);
		RateLimit limit = RateLimit.of(3, Duration.ofNanos(PERIOD), clock::get);
		for (int i = 0; i < 3; i++) {
			assertThat(limit.tryAcquire()).isZero();
		}
		assertThat(limit.tryAcquire()).isEqualTo(PERIOD);
		clock.addAndGet(PERIOD);
		for (int i = 0; i < 3; i++) {
			assertThat(limit.tryAcquire()).isZero();
		}
		assertThat(limit.tryAcquire()).isEqualTo(PERIOD);
	}

	@Test
	void threadsSharingOneInstanceShareOneBudget() throws InterruptedException {
		AtomicLong clock = new AtomicLong();
		RateLimit limit = RateLimit.of(500, Duration.ofNanos(PERIOD), clock::get);
		AtomicInteger granted = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			for (int round = 1; round <= 3; round++) {
				CountDownLatch done = new CountDownLatch(4);
				for (int t = 0; t < 4; t++) {
					threads.execute(() -> {
						for (int i = 0; i < 1_000; i++) {
							if (limit.tryAcquire() == 0) {
								granted.incrementAndGet();
							}
						}
						done.countDown();
					});
				}
				assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
				assertThat(granted.get()).isEqualTo(500 * round);
				clock.addAndGet(PERIOD);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void permitsBelowOneAreRefusedNamingTheSettingAndTheAllowedValues() {
		for (int permits : new int[] { 0, -1, Integer.MIN_VALUE }) {
			assertThatExceptionOfType(InvalidStageSettingException.class)
				.isThrownBy(() -> RateLimit.of(permits, Duration.ofSeconds(1)))
				.satisfies((ex) -> {
					assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.RATE_LIMIT_PERMITS);
					assertThat(ex.value()).isEqualTo(Integer.toString(permits));
					assertThat(ex.allowedValues()).isEqualTo("an integer of at least 1");
					assertThat(ex.stage()).isNull();
				})
				.withMessage("rateLimit.permits must be an integer of at least 1, but was '" + permits + "'");
		}
	}

	@Test
	void aPeriodThatIsNotPositiveOrLongerThanTheLongestIsRefusedNamingTheSetting() {
		for (Duration period : new Duration[] { Duration.ZERO, Duration.ofMillis(-1), null,
				DurationLimit.LONGEST.plusNanos(1) }) {
			assertThatExceptionOfType(InvalidStageSettingException.class).isThrownBy(() -> RateLimit.of(5, period))
				.satisfies((ex) -> {
					assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.RATE_LIMIT_PERIOD);
					assertThat(ex.allowedValues()).isEqualTo("a positive duration, at most 106751 days");
				})
				.withMessageStartingWith("rateLimit.period must be a positive duration, at most 106751 days, but was");
		}
		assertThat(RateLimit.of(Integer.MAX_VALUE, DurationLimit.LONGEST).tryAcquire()).isZero();
	}

	@Test
	void aStageSpecCarriesItsLimitAndRefusesNone() {
		RateLimit limit = RateLimit.of(10, Duration.ofSeconds(1));
		StageSpec<Integer, Integer> spec = StageSpec.stateless("call", (Integer x) -> x).batchSize(4).rateLimit(limit);
		assertThat(spec.settings().rateLimit()).isSameAs(limit);
		assertThat(spec.batchSize(8).retry(Retry.maxRetries(1)).settings().rateLimit()).isSameAs(limit);
		assertThat(StageSpec.stateless("call", (Integer x) -> x).settings().rateLimit()).isNull();
		assertThat(spec).hasToString("StageSpec[call, stateful=false, batchSize=4, runInMaster=false, rateLimit=10 per PT1S]");
		assertThatNullPointerException().isThrownBy(() -> spec.rateLimit(null)).withMessageContaining("'call'");
	}

}
