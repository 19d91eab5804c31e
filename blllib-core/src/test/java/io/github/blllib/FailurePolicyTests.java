package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Failure policies, for every kind of stage: a retried item keeps its place, a skipped one
 * vanishes like a null output and reaches the dead letters in input order, a run fails past its
 * skip limit, and an Error is never retried or skipped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailurePolicyTests {

	/** Where the stage under test runs. */
	enum Kind {

		STATELESS((name, stage) -> StageSpec.stateless(name, stage).batchSize(8)),
		STATEFUL((name, stage) -> StageSpec.stateful(name, stage).batchSize(8)),
		IN_MASTER((name, stage) -> StageSpec.stateful(name, stage).runInMaster()),
		SEQUENTIAL(StageSpec::stateless),
		/** An async stage whose futures complete on other threads, exceptionally when the call fails. */
		ASYNC((name, stage) -> StageSpec.async(name, remotely(stage)).batchSize(8)),
		/** An async stage whose apply throws when the call fails. */
		ASYNC_APPLY_THROWS((name, stage) -> StageSpec.async(name, (Integer x) -> CompletableFuture.completedFuture(stage.apply(x)))
			.batchSize(8));

		private final BiFunction<String, Stage<Integer, Integer>, StageSpec<Integer, Integer>> base;

		Kind(BiFunction<String, Stage<Integer, Integer>, StageSpec<Integer, Integer>> base) {
			this.base = base;
		}

		StageSpec<Integer, Integer> spec(Stage<Integer, Integer> stage, UnaryOperator<StageSpec<Integer, Integer>> policy) {
			return policy.apply(this.base.apply("flaky", stage));
		}

	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void retriesThatSucceedGiveExactlyTheOutputWithoutFailures(Kind kind) {
		FlakyStage flaky = new FlakyStage(Set.of(3, 7, 8, 15), 2, Set.of());
		StageSpec<Integer, Integer> spec = kind.spec(flaky, (base) -> base.retry(Retry.maxRetries(2)));
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, spec, new CopyOnWriteArrayList<>())) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(20)))).isEqualTo(StageKindsTests.range(20));
			StageStatistics statistics = pipeline.statistics().get(0);
			assertThat(statistics.retries()).isEqualTo(8);
			assertThat(statistics.skipped()).isZero();
			assertThat(statistics.failed()).isZero();
		}
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void aRetryWithADelayKeepsTheItemsPlace(Kind kind) {
		FlakyStage flaky = new FlakyStage(Set.of(0, 5), 1, Set.of());
		StageSpec<Integer, Integer> spec = kind.spec(flaky, (base) -> base
			.retry(Retry.maxRetries(3).delay(Duration.ofMillis(5)).multiplier(2)));
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, spec, new CopyOnWriteArrayList<>())) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(12)))).isEqualTo(StageKindsTests.range(12));
		}
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void skippedItemsVanishAndReachTheDeadLettersInInputOrder(Kind kind) {
		FlakyStage flaky = new FlakyStage(Set.of(2, 9, 10), Integer.MAX_VALUE, Set.of());
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		StageSpec<Integer, Integer> spec = kind.spec(flaky, (base) -> base.retry(Retry.maxRetries(1)).skipFailures());
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, spec, deadLetters)) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(12))))
				.isEqualTo(StageKindsTests.range(12).stream().filter((x) -> !Set.of(2, 9, 10).contains(x)).toList());
			assertThat(deadLetters).extracting(FailedItem::input).containsExactly(2, 9, 10);
			assertThat(deadLetters).extracting(FailedItem::index).containsExactly(2L, 9L, 10L);
			assertThat(deadLetters).allSatisfy((item) -> {
				assertThat(item.pipeline()).isEqualTo(pipeline.name());
				assertThat(item.stage()).isEqualTo("flaky");
				assertThat(item.attempts()).isEqualTo(2);
				assertThat(item.failure()).isInstanceOf(IllegalStateException.class);
			});
			StageStatistics statistics = pipeline.statistics().get(0);
			assertThat(statistics.skipped()).isEqualTo(3);
			assertThat(statistics.succeeded()).isEqualTo(9);
			assertThat(statistics.failed()).isZero();
			assertThat(statistics.dropped()).isZero();
			assertThat(statistics.processed()).isEqualTo(12);
		}
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void aRunFailsWhenItSkipsMoreThanTheSkipLimit(Kind kind) {
		FlakyStage flaky = new FlakyStage(Set.of(1, 4, 6, 8), Integer.MAX_VALUE, Set.of());
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		StageSpec<Integer, Integer> spec = kind.spec(flaky, (base) -> base.skipFailures().skipLimit(2));
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, spec, deadLetters)) {
			List<Integer> outputs = new CopyOnWriteArrayList<>();
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(12));
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> run.forEachRemaining(outputs::add))
				.satisfies((ex) -> {
					assertThat(ex.stage()).isEqualTo("flaky");
					assertThat(ex.index()).isEqualTo(6);
					assertThat(ex).hasMessageContaining("skip limit");
				});
			assertThat(outputs).containsExactly(0, 2, 3, 5);
			assertThat(deadLetters).extracting(FailedItem::input).containsExactly(1, 4);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void anErrorIsNeitherRetriedNorSkipped(Kind kind) {
		FlakyStage flaky = new FlakyStage(Set.of(), 0, Set.of(3));
		StageSpec<Integer, Integer> spec = kind.spec(flaky, (base) -> base.retry(Retry.maxRetries(5)).skipFailures());
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, spec, new CopyOnWriteArrayList<>())) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(6))))
				.withCauseInstanceOf(AssertionError.class);
			assertThat(flaky.calls(3)).isEqualTo(1);
			assertThat(pipeline.statistics().get(0).retries()).isZero();
		}
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void onlyIncludedFailuresAreRetried(Kind kind) {
		FlakyStage flaky = new FlakyStage(Set.of(2), 1, Set.of());
		StageSpec<Integer, Integer> spec = kind.spec(flaky, (base) -> base
			.retry(Retry.maxRetries(3).includes(java.io.UncheckedIOException.class)));
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, spec, new CopyOnWriteArrayList<>())) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(6))))
				.satisfies((ex) -> assertThat(ex.index()).isEqualTo(2));
			assertThat(flaky.calls(2)).isEqualTo(1);
		}
	}

	@Test
	void aWindowStageSkipsWindowsAndLaterWindowsFormFromWhatRemains() {
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("window-skip")
			.nCpu(2)
			.deadLetters(deadLetters::add)
			.then(StageSpec.stateless("odd", (Integer x) -> {
				if (x == 3) {
					throw new IllegalStateException("three");
				}
				return x;
			}).skipFailures())
			.then(StageSpec.window("pairs", 2, (List<Integer> w) -> w.get(0) * 10 + w.get(1)).batchSize(4))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(6)))).containsExactly(1, 12, 24, 45);
			assertThat(deadLetters).extracting(FailedItem::stage).containsExactly("odd");
		}
	}

	@Test
	void badPolicySettingsAreRefusedNamingTheStageOrSetting() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StageSpec.stateless("s", (Integer x) -> x).skipLimit(-1))
			.withMessageContaining("'s'")
			.withMessageContaining("-1");
		assertThatIllegalArgumentException().isThrownBy(() -> Retry.maxRetries(-2)).withMessageContaining("-2");
		assertThatIllegalArgumentException().isThrownBy(() -> Retry.maxRetries(1).multiplier(0.5))
			.withMessageContaining("0.5");
		assertThatIllegalArgumentException().isThrownBy(() -> Retry.maxRetries(1).delay(Duration.ofSeconds(-1)))
			.withMessageContaining("delay");
	}

	@Test
	void retryDelaysGrowByTheMultiplierUpToTheMaximum() {
		Retry retry = Retry.maxRetries(5).delay(Duration.ofMillis(10)).multiplier(3).maxDelay(Duration.ofMillis(50));
		assertThat(retry.delayBefore(1)).isEqualTo(Duration.ofMillis(10));
		assertThat(retry.delayBefore(2)).isEqualTo(Duration.ofMillis(30));
		assertThat(retry.delayBefore(3)).isEqualTo(Duration.ofMillis(50));
		assertThat(retry.retries(new IllegalStateException(), 5)).isTrue();
		assertThat(retry.retries(new IllegalStateException(), 6)).isFalse();
		assertThat(retry.excludes(IllegalStateException.class).retries(new IllegalStateException(), 1)).isFalse();
		assertThat(retry.retries(new OutOfMemoryError(), 1)).isFalse();
	}

	@Test
	void aCallPastItsTimeoutIsInterruptedAndItsItemSkipped() {
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		CountDownLatch never = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("timeout-skip")
			.nCpu(2)
			.deadLetters(deadLetters::add)
			.then(StageSpec.stateless("slow", (Integer x) -> {
				if (x == 2) {
					never.await();
				}
				return x;
			}).batchSize(4).timeout(Duration.ofSeconds(1)).skipFailures())
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(6)))).containsExactly(0, 1, 3, 4, 5);
			assertThat(deadLetters).singleElement().satisfies((item) -> {
				assertThat(item.index()).isEqualTo(2);
				assertThat(item.failure()).isInstanceOf(StageTimeoutException.class).hasMessageContaining("'slow'");
			});
			assertThat(pipeline.statistics().get(0).timeouts()).isEqualTo(1);
		}
	}

	@Test
	void anItemsOutcomeIsFixedAtTheDeadlineEvenIfTheStageIgnoresTheInterrupt() {
		CountDownLatch release = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("timeout-deaf")
			.nCpu(2)
			.deadLetters((item) -> {
			})
			.then(StageSpec.stateless("deaf", (Integer x) -> {
				while (x == 2 && release.getCount() > 0) {
					try {
						release.await();
					}
					catch (InterruptedException ignored) {
						// a stage that will not stop
					}
				}
				return x;
			}).batchSize(4).timeout(Duration.ofSeconds(1)).skipFailures())
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(6));
			List<Integer> outputs = List.of(run.next(), run.next(), run.next(), run.next(), run.next());
			// every output came while the call of input 2 is still running
			assertThat(outputs).containsExactly(0, 1, 3, 4, 5);
			assertThat(pipeline.runningCalls()).extracting(StageCall::index).containsExactly(2L);
			release.countDown();
			assertThat(run.hasNext()).isFalse();
		}
	}

	@Test
	void aTimedOutCallOfAStatelessStageIsRetried() {
		AtomicInteger calls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("timeout-retry")
			.nCpu(2)
			.then(StageSpec.stateless("once-slow", (Integer x) -> {
				if (x == 2 && calls.incrementAndGet() == 1) {
					new CountDownLatch(1).await();
				}
				return x;
			}).batchSize(4).timeout(Duration.ofSeconds(1)).retry(Retry.maxRetries(1)))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(6)))).containsExactly(0, 1, 2, 3, 4, 5);
			assertThat(pipeline.statistics().get(0).timeouts()).isEqualTo(1);
			assertThat(pipeline.statistics().get(0).retries()).isEqualTo(1);
		}
	}

	@Test
	void aTimedOutCallOfAStatefulStageFailsTheRunNamingStageAndIndex() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("timeout-stateful")
			.then(StageSpec.stateful("slow", (Integer x) -> {
				if (x == 3) {
					new CountDownLatch(1).await();
				}
				return x;
			}).batchSize(4).timeout(Duration.ofSeconds(1)).retry(Retry.maxRetries(2)))
			.build()) {
			List<Integer> outputs = new CopyOnWriteArrayList<>();
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(6));
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> run.forEachRemaining(outputs::add))
				.satisfies((ex) -> {
					assertThat(ex.stage()).isEqualTo("slow");
					assertThat(ex.index()).isEqualTo(3);
					assertThat(ex).hasCauseInstanceOf(StageTimeoutException.class);
				});
			assertThat(outputs).containsExactly(0, 1, 2);
		}
	}

	@Test
	void aTimeoutOnAStageRunInMasterIsRefusedWhenThePipelineIsBuilt() {
		StageSpec<Integer, Integer> timed = StageSpec.stateless("timed", (Integer x) -> x).timeout(Duration.ofSeconds(1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Pipeline.<Integer>builder("in-master-timeout").then(timed.runInMaster()).build())
			.withMessageContaining("'timed'")
			.withMessageContaining("timeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Pipeline.<Integer>builder("sequential-timeout").sequential().then(timed).build())
			.withMessageContaining("'timed'");
		assertThatIllegalArgumentException().isThrownBy(() -> timed.timeout(Duration.ZERO))
			.withMessageContaining("'timed'");
	}

	@Test
	void aCloseWithARetryPendingLeavesNoCallToRunAfterIt() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch firstFailure = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("close-pending-retry")
			.nCpu(2)
			.then(StageSpec.stateless("flaky", (Integer x) -> {
				calls.incrementAndGet();
				if (x == 0) {
					firstFailure.countDown();
					throw new IllegalStateException("zero");
				}
				return x;
			}).batchSize(4).retry(Retry.maxRetries(3).delay(Duration.ofMillis(200))))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(4));
			Thread consumer = new Thread(() -> run.hasNext());
			consumer.start();
			assertThat(firstFailure.await(30, TimeUnit.SECONDS)).isTrue();
			run.close();
			consumer.join();
			int callsAtClose = calls.get();
			assertThat(pipeline.runningCalls()).isEmpty();
			// the retry was due 200 ms after the failure: it must find the run closed and call nothing
			Awaitility.await()
				.during(Duration.ofMillis(600))
				.atMost(Duration.ofSeconds(5))
				.until(() -> calls.get() == callsAtClose);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@Test
	void theDefaultStillFailsTheRunOnTheFirstFailure() {
		FlakyStage flaky = new FlakyStage(Set.of(4), 1, Set.of());
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("default-policy")
			.then(StageSpec.stateless("flaky", flaky).batchSize(4))
			.build()) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(8))))
				.satisfies((ex) -> assertThat(ex.index()).isEqualTo(4));
		}
	}

	/** The stage as a remote call: run on another thread, its failure completes the future. */
	static AsyncStage<Integer, Integer> remotely(Stage<Integer, Integer> stage) {
		return (x) -> CompletableFuture.supplyAsync(() -> {
			try {
				return stage.apply(x);
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});
	}

	private static Pipeline<Integer, Integer> pipeline(Kind kind, StageSpec<Integer, Integer> spec,
			List<FailedItem> deadLetters) {
		Pipeline.Builder<Integer, Integer> builder = Pipeline.<Integer>builder("policy-" + kind)
			.nCpu(2)
			.deadLetters(deadLetters::add);
		if (kind == Kind.SEQUENTIAL) {
			builder.sequential();
		}
		return builder.then(spec).build();
	}

	/**
	 * Fails the first {@code failures} calls for each of {@code flaky}, and throws an Error for
	 * each of {@code fatal}; the identity otherwise.
	 */
	static final class FlakyStage implements Stage<Integer, Integer> {

		private final Set<Integer> flaky;

		private final int failures;

		private final Set<Integer> fatal;

		private final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();

		FlakyStage(Set<Integer> flaky, int failures, Set<Integer> fatal) {
			this.flaky = flaky;
			this.failures = failures;
			this.fatal = fatal;
		}

		@Override
		public Integer apply(Integer input) {
			int call = this.calls.computeIfAbsent(input, (key) -> new AtomicInteger()).incrementAndGet();
			if (this.fatal.contains(input)) {
				throw new AssertionError("fatal " + input);
			}
			if (this.flaky.contains(input) && call <= this.failures) {
				throw new IllegalStateException("flaky " + input + ", call " + call);
			}
			return input;
		}

		int calls(int input) {
			AtomicInteger count = this.calls.get(input);
			return (count != null) ? count.get() : 0;
		}

	}

}
