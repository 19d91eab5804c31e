package io.github.blllib.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineException;
import io.github.blllib.PipelineRun;
import io.github.blllib.RateLimit;
import io.github.blllib.Retry;
import io.github.blllib.StageSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PipelineMetrics}: the per-stage meters of a plain-Java pipeline, their figures,
 * their sharing by same-named pipelines and their removal.
 */
class PipelineMetricsTests {

	private static final int HELD_BATCH_SIZE = 3;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final PipelineMetrics metrics = new PipelineMetrics(this.registry);

	private final ExecutorService consumer = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopConsumer() throws InterruptedException {
		this.consumer.shutdownNow();
		assertThat(this.consumer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void buildingAPipelineShouldRegisterEveryMeterTaggedWithPipelineAndStage() {
		try (Pipeline<Integer, Integer> pipeline = twiceThenClassify("numbers")) {
			for (String stage : List.of("twice", "classify")) {
				assertThat(this.registry.get(BlllibMeterNames.STAGE_IN_FLIGHT)
					.tags("pipeline", "numbers", "stage", stage)
					.gauge()).isNotNull();
				for (String outcome : List.of("success", "error", "dropped", "skipped")) {
					assertThat(processed("numbers", stage, outcome)).isNotNull();
				}
				for (String counter : List.of(BlllibMeterNames.STAGE_RETRIES, BlllibMeterNames.STAGE_TIMEOUTS)) {
					assertThat(this.registry.get(counter).tags("pipeline", "numbers", "stage", stage).functionCounter())
						.isNotNull();
				}
				assertThat(this.registry.get(BlllibMeterNames.STAGE_DURATION)
					.tags("pipeline", "numbers", "stage", stage)
					.functionTimer()).isNotNull();
			}
			assertThat(stageMeters()).hasSize(16);
		}
	}

	@Test
	void metersShouldHaveDescriptionsAndTheInFlightGaugeShouldCountItems() {
		try (Pipeline<Integer, Integer> pipeline = twice("numbers")) {
			assertThat(stageMeters()).hasSize(8)
				.allSatisfy((meter) -> assertThat(meter.getId().getDescription()).isNotBlank());
			assertThat(this.registry.get(BlllibMeterNames.STAGE_IN_FLIGHT)
				.tags("pipeline", "numbers", "stage", "twice")
				.gauge()
				.getId()
				.getBaseUnit()).isEqualTo("items");
		}
	}

	@Test
	void processedCounterShouldCountEachOutcomeAfterARun() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("numbers")
			.listener(this.metrics)
			.then(classify())
			.build()) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> drain(pipeline.apply(List.of(1, 2, 3, 4, 5))));
			await().untilAsserted(() -> {
				assertThat(processed("numbers", "classify", "success").count()).isEqualTo(2);
				assertThat(processed("numbers", "classify", "dropped").count()).isEqualTo(2);
				assertThat(processed("numbers", "classify", "error").count()).isEqualTo(1);
			});
		}
	}

	@Test
	void skippedOutcomeAndRetriesCounterShouldCountTheStagesFailurePolicy() {
		AtomicInteger calls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("flaky")
			.listener(this.metrics)
			.deadLetters((item) -> {
			})
			.then(StageSpec.stateful("flaky", (Integer x) -> {
				calls.incrementAndGet();
				if (x == 3 || x == 5) {
					throw new IllegalStateException("always " + x);
				}
				return x;
			}).retry(Retry.maxRetries(2)).skipFailures())
			.build()) {
			assertThat(drain(pipeline.apply(range(8)))).containsExactly(0, 1, 2, 4, 6, 7);
			await().untilAsserted(() -> {
				assertThat(processed("flaky", "flaky", "success").count()).isEqualTo(6);
				assertThat(processed("flaky", "flaky", "skipped").count()).isEqualTo(2);
				assertThat(processed("flaky", "flaky", "error").count()).isZero();
				assertThat(counter(BlllibMeterNames.STAGE_RETRIES, "flaky", "flaky").count()).isEqualTo(4);
				assertThat(counter(BlllibMeterNames.STAGE_TIMEOUTS, "flaky", "flaky").count()).isZero();
			});
			assertThat(calls).hasValue(6 + 2 * 3);
		}
	}

	@Test
	void timeoutsCounterShouldCountCallsPastTheStagesTimeout() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("slow")
			.listener(this.metrics)
			.nCpu(2)
			.deadLetters((item) -> {
			})
			.then(StageSpec.stateless("slow", (Integer x) -> {
				if (x == 2) {
					new CountDownLatch(1).await();
				}
				return x;
			}).batchSize(4).timeout(Duration.ofMillis(200)).skipFailures())
			.build()) {
			assertThat(drain(pipeline.apply(range(6)))).containsExactly(0, 1, 3, 4, 5);
			await().untilAsserted(() -> {
				assertThat(counter(BlllibMeterNames.STAGE_TIMEOUTS, "slow", "slow").count()).isEqualTo(1);
				assertThat(processed("slow", "slow", "skipped").count()).isEqualTo(1);
			});
		}
	}

	@Test
	void retriesAndTimeoutsCountersShouldKeepTheirTotalsWhenOneOfTwinPipelinesClosesAndGoWithTheLast() {
		Pipeline<Integer, Integer> first = alwaysRetried("twin");
		Pipeline<Integer, Integer> second = alwaysRetried("twin");
		drain(first.apply(range(3)));
		drain(second.apply(range(2)));
		FunctionCounter retries = counter(BlllibMeterNames.STAGE_RETRIES, "twin", "retried");
		FunctionCounter skipped = processed("twin", "retried", "skipped");
		await().untilAsserted(() -> assertThat(retries.count()).isEqualTo(5));
		first.close();
		assertThat(retries.count()).isEqualTo(5);
		assertThat(skipped.count()).isEqualTo(5);
		second.close();
		assertThat(stageMeters()).isEmpty();
	}

	@Test
	void inFlightGaugeShouldReadExactlyTheBatchSizeWhileTheStageIsHeldAndZeroAfterTheRun() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("frozen")
			.listener(this.metrics)
			.nCpu(2)
			.then(StageSpec.stateless("held", (Integer x) -> {
				entered.countDown();
				release.await();
				return x;
			}).batchSize(HELD_BATCH_SIZE))
			.build()) {
			Future<List<Integer>> outputs = this.consumer.submit(() -> drain(pipeline.apply(range(20))));
			Gauge inFlight = this.registry.get(BlllibMeterNames.STAGE_IN_FLIGHT)
				.tags("pipeline", "frozen", "stage", "held")
				.gauge();
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			await().untilAsserted(() -> assertThat(inFlight.value()).isEqualTo(HELD_BATCH_SIZE));
			release.countDown();
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(range(20));
			assertThat(inFlight.value()).isZero();
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void asyncStageMetersShouldCountItsOutstandingCallsAndEachOutcome() throws Exception {
		List<CompletableFuture<Integer>> pending = new CopyOnWriteArrayList<>();
		AtomicInteger fourCalls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("remote")
			.listener(this.metrics)
			.deadLetters((item) -> {
			})
			.then(StageSpec.async("lookup", (Integer x) -> {
				if (x == 4 && fourCalls.incrementAndGet() == 1) {
					return CompletableFuture.failedFuture(new IllegalStateException("busy"));
				}
				if (x == 6) {
					return CompletableFuture.failedFuture(new IllegalStateException("gone"));
				}
				if (x < HELD_BATCH_SIZE) {
					CompletableFuture<Integer> future = new CompletableFuture<>();
					pending.add(future);
					return future;
				}
				return CompletableFuture.completedFuture((x == 5) ? null : x);
			}).batchSize(HELD_BATCH_SIZE).retry(Retry.maxRetries(1)).skipFailures())
			.build()) {
			Future<List<Integer>> outputs = this.consumer.submit(() -> drain(pipeline.apply(range(8))));
			Gauge inFlight = this.registry.get(BlllibMeterNames.STAGE_IN_FLIGHT)
				.tags("pipeline", "remote", "stage", "lookup")
				.gauge();
			await().untilAsserted(() -> assertThat(inFlight.value()).isEqualTo(HELD_BATCH_SIZE));
			for (int x = 0; x < HELD_BATCH_SIZE; x++) {
				pending.get(x).complete(x);
			}
			assertThat(outputs.get(10, TimeUnit.SECONDS)).containsExactly(0, 1, 2, 3, 4, 7);
			assertThat(inFlight.value()).isZero();
			await().untilAsserted(() -> {
				assertThat(processed("remote", "lookup", "success").count()).isEqualTo(6);
				assertThat(processed("remote", "lookup", "dropped").count()).isEqualTo(1);
				assertThat(processed("remote", "lookup", "skipped").count()).isEqualTo(1);
				assertThat(processed("remote", "lookup", "error").count()).isZero();
				assertThat(counter(BlllibMeterNames.STAGE_RETRIES, "remote", "lookup").count()).isEqualTo(2);
			});
		}
	}

	@Test
	void durationTimerShouldCountEveryFinishedCallAndTheTimeSpentInTheStage() {
		try (Pipeline<Integer, Integer> pipeline = twice("numbers")) {
			assertThat(drain(pipeline.apply(range(10)))).hasSize(10);
			FunctionTimer timer = this.registry.get(BlllibMeterNames.STAGE_DURATION)
				.tags("pipeline", "numbers", "stage", "twice")
				.functionTimer();
			await().untilAsserted(() -> {
				long totalTimeNanos = pipeline.statistics().get(0).totalTimeNanos();
				assertThat(timer.count()).isEqualTo(10);
				assertThat(totalTimeNanos).isPositive();
				assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(totalTimeNanos, within(1.0));
			});
		}
	}

	@Test
	void permitWaitTimerShouldCountThePermitsTakenAndTheTimeCallsWaitedForThem() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("limited")
			.listener(this.metrics)
			.then(StageSpec.stateful("remote", (Integer x) -> x).runInMaster()
				.rateLimit(RateLimit.of(2, Duration.ofMillis(20))))
			.build()) {
			assertThat(drain(pipeline.apply(range(6)))).hasSize(6);
			FunctionTimer timer = this.registry.get(BlllibMeterNames.STAGE_PERMIT_WAIT)
				.tags("pipeline", "limited", "stage", "remote")
				.functionTimer();
			long waitedNanos = pipeline.statistics().get(0).permitWaitNanos();
			assertThat(timer.count()).isEqualTo(6);
			assertThat(waitedNanos).isPositive();
			assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(waitedNanos, within(1.0));
			assertThat(timer.getId().getDescription()).isNotBlank();
		}
	}

	@Test
	void permitWaitTimerShouldBeRegisteredOnlyForStagesWithARateLimit() {
		try (Pipeline<Integer, Integer> pipeline = twiceThenClassify("numbers")) {
			assertThat(this.registry.find(BlllibMeterNames.STAGE_PERMIT_WAIT).meters()).isEmpty();
		}
	}

	@Test
	void openPipelinesSharingANameShouldShareMetersThatSumTheirFigures() {
		try (Pipeline<Integer, Integer> first = twice("twin"); Pipeline<Integer, Integer> second = twice("twin")) {
			drain(first.apply(range(3)));
			drain(second.apply(range(4)));
			assertThat(stageMeters()).hasSize(8);
			await().untilAsserted(() -> assertThat(processed("twin", "twice", "success").count()).isEqualTo(7));
		}
	}

	@Test
	void sharedCountersShouldNotDecreaseWhenOneOfThePipelinesCloses() {
		Pipeline<Integer, Integer> first = twice("twin");
		try (Pipeline<Integer, Integer> second = twice("twin")) {
			drain(first.apply(range(3)));
			drain(second.apply(range(4)));
			FunctionCounter succeeded = processed("twin", "twice", "success");
			FunctionTimer duration = this.registry.get(BlllibMeterNames.STAGE_DURATION).functionTimer();
			await().untilAsserted(() -> assertThat(succeeded.count()).isEqualTo(7));
			double totalTime = duration.totalTime(TimeUnit.NANOSECONDS);
			first.close();
			assertThat(stageMeters()).hasSize(8);
			assertThat(succeeded.count()).isEqualTo(7);
			assertThat(duration.count()).isEqualTo(7);
			assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(totalTime);
		}
	}

	@Test
	void sharedMetersShouldBeRemovedWhenTheLastPipelineOfTheNameCloses() {
		Pipeline<Integer, Integer> first = twice("twin");
		Pipeline<Integer, Integer> second = twice("twin");
		first.close();
		assertThat(stageMeters()).hasSize(8);
		second.close();
		assertThat(stageMeters()).isEmpty();
	}

	@Test
	void closingAPipelineShouldRemoveItsMeters() {
		Pipeline<Integer, Integer> pipeline = twiceThenClassify("numbers");
		assertThat(stageMeters()).hasSize(16);
		pipeline.close();
		assertThat(stageMeters()).isEmpty();
	}

	@Test
	void meterCountShouldStayFlatOverAThousandCreatedAndClosedPipelines() {
		for (int i = 0; i < 1_000; i++) {
			try (Pipeline<Integer, Integer> pipeline = twice("job-" + i)) {
				assertThat(drain(pipeline.apply(List.of(i)))).containsExactly(2 * i);
				assertThat(this.registry.getMeters()).hasSize(8);
			}
		}
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void registryThatRefusesAMeterShouldNotFailThePipeline() {
		refuseDurationOfStage("classify");
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("numbers")
			.listener(this.metrics)
			.then(twiceSpec())
			.then(classify())
			.build()) {
			assertThat(drain(pipeline.apply(List.of(1, 2)))).isEmpty();
			assertThat(drain(pipeline.apply(List.of(1, 2)))).isEmpty();
			await().untilAsserted(() -> assertThat(processed("numbers", "twice", "success").count()).isEqualTo(4));
		}
		assertThat(stageMeters()).isEmpty();
	}

	@Test
	void stageWhoseMeterIsRefusedShouldLeaveNoneOfItsMetersRegistered() {
		refuseDurationOfStage("classify");
		try (Pipeline<Integer, Integer> pipeline = twiceThenClassify("numbers")) {
			assertThat(stageMeters()).hasSize(8)
				.allSatisfy((meter) -> assertThat(meter.getId().getTag("stage")).isEqualTo("twice"));
		}
	}

	@Test
	void sameListenerShouldBindPipelinesOfDifferentNamesToTheirOwnMeters() {
		try (Pipeline<Integer, Integer> first = twice("first"); Pipeline<Integer, Integer> second = twice("second")) {
			drain(first.apply(range(3)));
			drain(second.apply(range(4)));
			await().untilAsserted(() -> {
				assertThat(processed("first", "twice", "success").count()).isEqualTo(3);
				assertThat(processed("second", "twice", "success").count()).isEqualTo(4);
			});
		}
	}

	/** Makes the registry throw when the duration timer of {@code stage} is registered. */
	private void refuseDurationOfStage(String stage) {
		this.registry.config().meterFilter(new MeterFilter() {
			@Override
			public Meter.Id map(Meter.Id id) {
				if (id.getName().equals(BlllibMeterNames.STAGE_DURATION) && stage.equals(id.getTag("stage"))) {
					throw new IllegalStateException("refused");
				}
				return id;
			}
		});
	}

	private Pipeline<Integer, Integer> twice(String name) {
		return Pipeline.<Integer>builder(name).listener(this.metrics).then(twiceSpec()).build();
	}

	private Pipeline<Integer, Integer> twiceThenClassify(String name) {
		return Pipeline.<Integer>builder(name).listener(this.metrics).then(twiceSpec()).then(classify()).build();
	}

	/** Every item fails twice (one retry) and is skipped. */
	private Pipeline<Integer, Integer> alwaysRetried(String name) {
		return Pipeline.<Integer>builder(name)
			.listener(this.metrics)
			.deadLetters((item) -> {
			})
			.then(StageSpec.<Integer, Integer>stateful("retried", (x) -> {
				throw new IllegalStateException("always");
			}).retry(Retry.maxRetries(1)).skipFailures())
			.build();
	}

	private FunctionCounter counter(String name, String pipeline, String stage) {
		return this.registry.get(name).tags("pipeline", pipeline, "stage", stage).functionCounter();
	}

	private static StageSpec<Integer, Integer> twiceSpec() {
		return StageSpec.stateless("twice", (Integer x) -> 2 * x).batchSize(4);
	}

	/** Stateful, one item at a time: odd numbers pass, even numbers are dropped, 5 throws. */
	private static StageSpec<Integer, Integer> classify() {
		return StageSpec.stateful("classify", (Integer x) -> {
			if (x == 5) {
				throw new IllegalArgumentException("five");
			}
			return (x % 2 == 0) ? null : x;
		});
	}

	private List<Meter> stageMeters() {
		return this.registry.getMeters().stream().filter((meter) -> meter.getId().getName().startsWith("blllib.")).toList();
	}

	private FunctionCounter processed(String pipeline, String stage, String outcome) {
		return this.registry.get(BlllibMeterNames.STAGE_PROCESSED)
			.tags("pipeline", pipeline, "stage", stage, "outcome", outcome)
			.functionCounter();
	}

	private static List<Integer> range(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	/** Every output of the run, which is closed afterwards. */
	private static <T> List<T> drain(PipelineRun<T> run) {
		try (run) {
			List<T> outputs = new ArrayList<>();
			run.forEachRemaining(outputs::add);
			return outputs;
		}
	}

}
