package io.github.blllib;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rate limits on every kind of stage: the budget holds, no thread waits for a permit, order is kept. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RateLimitedStagesTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	enum Kind {

		STATELESS((name, stage) -> StageSpec.stateless(name, stage::apply).batchSize(64)),
		WINDOW((name, stage) -> StageSpec.window(name, 1, (List<Integer> window) -> stage.apply(window.get(0)))
			.batchSize(64)),
		STATEFUL((name, stage) -> StageSpec.stateful(name, stage::apply).batchSize(64)),
		ASYNC((name, stage) -> StageSpec.async(name, (Integer x) -> CompletableFuture.completedFuture(stage.apply(x)))
			.batchSize(64)),
		IN_MASTER((name, stage) -> StageSpec.stateful(name, stage::apply).runInMaster());

		private final StageFactory factory;

		Kind(StageFactory factory) {
			this.factory = factory;
		}

		StageSpec<Integer, Integer> spec(String name, Function<Integer, Integer> stage, RateLimit limit) {
			return this.factory.create(name, stage).rateLimit(limit);
		}

	}

	interface StageFactory {

		StageSpec<Integer, Integer> create(String name, Function<Integer, Integer> stage);

	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void theSustainedRateIsWithinTenPercentOfTheBudgetNoWindowStartsMoreAndOrderIsKept(Kind kind) {
		// a call that waited for its permit starts a little late, and so do those a period after
		// it: a long period keeps that lag, larger on a busy machine, a small part of the rate
		int permits = 300;
		Duration period = Duration.ofSeconds(1);
		int items = 1_200;
		Starts starts = new Starts();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("limited")
			.then(kind.spec("call", starts.recording((x) -> x * 2), starts.limit(permits, period)))
			.build()) {
			List<Integer> outputs = pipeline.apply(range(items)).stream().toList();
			assertThat(outputs).containsExactlyElementsOf(IntStream.range(0, items).map((x) -> x * 2).boxed().toList());
			// a permit is taken with the claim of its item: none is lost to a drainer that found its
			// item claimed by another (which delayed the last items by a whole period)
			assertThat(pipeline.statistics().get(0).permitsTaken()).isEqualTo(items);
			assertThat(pipeline.statistics().get(0).permitWaitNanos()).isPositive();
		}
		starts.assertNoWindowStartsMoreThan(permits, period);
		List<Long> entered = starts.entered();
		assertThat(entered).hasSize(items);
		double perSecond = (items - permits) / ((entered.get(items - 1) - entered.get(0)) / 1e9);
		assertThat(perSecond).as("calls started per second").isCloseTo(300.0, Percentage.withPercentage(10));
	}

	@Test
	void twoStagesSharingOneInstanceShareItsBudget() {
		Starts starts = new Starts();
		RateLimit shared = starts.limit(20, Duration.ofMillis(100));
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("shared")
			.then(Kind.STATELESS.spec("first", starts.recording((x) -> x + 1), shared))
			.then(Kind.ASYNC.spec("second", starts.recording((x) -> x * 10), shared))
			.build()) {
			List<Integer> outputs = pipeline.apply(range(150)).stream().toList();
			assertThat(outputs).containsExactlyElementsOf(IntStream.range(0, 150).map((x) -> (x + 1) * 10).boxed().toList());
		}
		assertThat(starts.entered()).hasSize(300);
		starts.assertNoWindowStartsMoreThan(20, Duration.ofMillis(100));
	}

	@Test
	void aOneThreadPoolSharedWithARateLimitedPipelineStillServesAnUnlimitedOne() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor((task) -> new Thread(task, "blllib-test-pool"));
		AtomicInteger limitedCalls = new AtomicInteger();
		CountDownLatch firstLimitedCall = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> limited = Pipeline.<Integer>builder("limited")
			.workerPool(pool)
			.then(StageSpec.stateless("remote", (Integer x) -> {
				limitedCalls.incrementAndGet();
				firstLimitedCall.countDown();
				return x;
			}).batchSize(8).rateLimit(RateLimit.of(1, Duration.ofHours(1))))
			.build();
				Pipeline<Integer, Integer> unlimited = Pipeline.<Integer>builder("unlimited")
					.workerPool(pool)
					.then(StageSpec.stateless("local", (Integer x) -> x + 1).batchSize(8))
					.build()) {
			PipelineRun<Integer> limitedRun = limited.apply(range(100));
			Future<List<Integer>> limitedOutputs = this.consumer.submit(() -> {
				List<Integer> seen = new ArrayList<>();
				limitedRun.forEachRemaining(seen::add);
				return seen;
			});
			assertThat(firstLimitedCall.await(30, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(30)).until(() -> limited.statistics().get(0).inFlight() > 1);

			assertThat(unlimited.apply(range(1_000)).stream().toList())
				.containsExactlyElementsOf(IntStream.range(1, 1_001).boxed().toList());

			assertThat(limitedCalls).hasValue(1);
			limitedRun.close();
			assertThat(limitedOutputs.get(30, TimeUnit.SECONDS)).containsExactly(0);
			assertThat(limitedCalls).hasValue(1);
		}
		finally {
			pool.shutdownNow();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void aCloseWhileCallsWaitForPermitsReleasesEverythingAndStartsNoCall(Kind kind) throws Exception {
		AtomicInteger calls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("closing")
			.then(kind.spec("call", (x) -> {
				calls.incrementAndGet();
				return x;
			}, RateLimit.of(2, Duration.ofHours(1))))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(range(10));
			CountDownLatch twoOutputs = new CountDownLatch(2);
			Future<List<Integer>> outputs = this.consumer.submit(() -> {
				List<Integer> seen = new ArrayList<>();
				run.forEachRemaining((output) -> {
					seen.add(output);
					twoOutputs.countDown();
				});
				return seen;
			});
			assertThat(twoOutputs.await(30, TimeUnit.SECONDS)).isTrue();
			run.close();
			assertThat(outputs.get(30, TimeUnit.SECONDS)).containsExactly(0, 1);
			assertThat(calls).hasValue(2);
			Threads.assertRunThreadsReleased(pipeline);
		}
		assertThat(calls).hasValue(2);
	}

	@ParameterizedTest
	@EnumSource(value = Kind.class, names = { "STATEFUL", "IN_MASTER" })
	void retriesTakePermitsToo(Kind kind) throws Exception {
		List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger attempt = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("retrying")
			.then(kind.spec("flaky", (x) -> {
				attempts.add(x);
				if (attempt.incrementAndGet() % 2 == 1) {
					throw new IllegalStateException("first attempt of " + x);
				}
				return x;
			}, RateLimit.of(3, Duration.ofHours(1))).retry(Retry.maxRetries(1)))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(range(3));
			CountDownLatch firstOutput = new CountDownLatch(1);
			Future<List<Integer>> outputs = this.consumer.submit(() -> {
				List<Integer> seen = new ArrayList<>();
				run.forEachRemaining((output) -> {
					seen.add(output);
					firstOutput.countDown();
				});
				return seen;
			});
			assertThat(firstOutput.await(30, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() == 3);
			run.close();
			assertThat(outputs.get(30, TimeUnit.SECONDS)).containsExactly(0);
			assertThat(attempts).containsExactly(0, 0, 1);
			assertThat(pipeline.statistics().get(0).permitsTaken()).isEqualTo(3);
		}
	}

	private static List<Integer> range(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	/**
	 * The start times of stage calls: when each call's permit was taken, read by the limit's
	 * clock on the thread that then calls the stage, and when the stage was entered. The calling
	 * thread takes the permit just before the call, so the stage enters a little later (the
	 * engine's own steps in between): the budget is exact on the former.
	 */
	private static final class Starts {

		private final ThreadLocal<Long> lastClockRead = new ThreadLocal<>();

		private final ConcurrentLinkedQueue<Long> permitted = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<Long> entered = new ConcurrentLinkedQueue<>();

		RateLimit limit(int permits, Duration period) {
			return RateLimit.of(permits, period, () -> {
				long now = System.nanoTime();
				this.lastClockRead.set(now);
				return now;
			});
		}

		Function<Integer, Integer> recording(Function<Integer, Integer> stage) {
			return (x) -> {
				this.entered.add(System.nanoTime());
				this.permitted.add(this.lastClockRead.get());
				return stage.apply(x);
			};
		}

		List<Long> entered() {
			return sorted(this.entered);
		}

		private static List<Long> sorted(ConcurrentLinkedQueue<Long> nanos) {
			List<Long> sorted = new ArrayList<>(nanos);
			Collections.sort(sorted);
			return sorted;
		}

		/** Every interval of {@code period} from a start on holds at most {@code permits} starts. */
		void assertNoWindowStartsMoreThan(int permits, Duration period) {
			List<Long> sorted = sorted(this.permitted);
			for (int i = 0; i + permits < sorted.size(); i++) {
				assertThat(sorted.get(i + permits) - sorted.get(i)).as("start %d and the %dth after it", i, permits)
					.isGreaterThanOrEqualTo(period.toNanos());
			}
		}

	}

}
