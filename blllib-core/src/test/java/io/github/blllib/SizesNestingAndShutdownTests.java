package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Sizes are bounds, not allocations; a nested pipeline on a saturated pool does not deadlock; a
 * close can be bounded for shutdown and says what still runs; a closed pipeline leaves no
 * thread; every pipeline name fits in a URL. The timeout only turns a deadlock into a failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SizesNestingAndShutdownTests {

	@ParameterizedTest
	@ValueSource(ints = { Integer.MAX_VALUE, 1 << 30 })
	void aHugeBatchSizeIsABoundNotAnAllocation(int batchSize) {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("huge-batch")
			.nCpu(2)
			.then(StageSpec.stateless("a", (Integer x) -> x + 1).batchSize(batchSize))
			.then(StageSpec.stateful("b", (Integer x) -> x * 2).batchSize(batchSize))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(1, 2, 3)))).containsExactly(4, 6, 8);
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void aHugeWindowIsABoundNotAnAllocation(boolean inMaster) {
		StageSpec<Integer, Integer> window = StageSpec.window("w", Integer.MAX_VALUE, (List<Integer> w) -> w.size());
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("huge-window")
			.then(inMaster ? window.runInMaster() : window)
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(1, 2, 3)))).isEmpty();
		}
	}

	@RepeatedTest(3)
	void aBatchLargerThanTheFirstRingKeepsOrderAsTheRingGrows() {
		int items = 50_000;
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("growing-ring")
			.nCpu(2)
			.then(StageSpec.stateless("a", (Integer x) -> (x % 7 == 0) ? null : x).batchSize(20_000))
			.then(StageSpec.stateful("b", (Integer x) -> x).batchSize(5_000))
			.build()) {
			List<Integer> expected = StageKindsTests.range(items).stream().filter((x) -> x % 7 != 0).toList();
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(items)))).isEqualTo(expected);
		}
	}

	@Test
	void aStageRunningANestedPipelineOnItsOwnSaturatedPoolDoesNotDeadlock() {
		ExecutorService pool = Executors.newFixedThreadPool(1);
		try (Pipeline<Integer, Integer> inner = Pipeline.<Integer>builder("inner")
			.nCpu(1)
			.workerPool(pool)
			.then(StageSpec.stateless("square", (Integer x) -> x * x).batchSize(4))
			.build();
				Pipeline<Integer, Integer> outer = Pipeline.<Integer>builder("outer")
					.nCpu(1)
					.workerPool(pool)
					.then(StageSpec.stateless("sumOfSquares", (Integer n) -> {
						synchronized (inner) {
							return StageKindsTests.drain(inner.apply(StageKindsTests.range(n)))
								.stream()
								.mapToInt(Integer::intValue)
								.sum();
						}
					}).batchSize(2))
					.build()) {
			assertThat(StageKindsTests.drain(outer.apply(List.of(1, 2, 3, 4)))).containsExactly(0, 1, 5, 14);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aBoundedCloseGivesUpOnAStageThatIgnoresInterruptsAndSaysWhatStillRuns() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean stubborn = new AtomicBoolean(true);
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("stubborn")
			.then(StageSpec.stateful("deaf", (Integer x) -> {
				if (x == 2 && stubborn.get()) {
					entered.countDown();
					while (true) {
						try {
							release.await();
							return x;
						}
						catch (InterruptedException ignored) {
							// a stage that will not stop
						}
					}
				}
				return x;
			}).batchSize(4))
			.build();
		PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
		assertThat(run.next()).isZero();
		assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(pipeline.runningCalls()).containsExactly(new StageCall("stubborn", "deaf", "blllib-stubborn-deaf", 2));
		assertThat(pipeline.close(Duration.ofMillis(50))).isFalse();
		assertThat(pipeline.isClosed()).isTrue();
		assertThat(pipeline.runningCalls()).containsExactly(new StageCall("stubborn", "deaf", "blllib-stubborn-deaf", 2));
		release.countDown();
		Threads.assertNoBlllibThreadAlive();
		assertThat(pipeline.runningCalls()).isEmpty();
	}

	@Test
	void aBoundedCloseOfAPipelineWhoseStagesStopReportsSuccess() {
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("polite")
			.nCpu(1)
			.then(StageSpec.stateless("a", (Integer x) -> x).batchSize(4))
			.build();
		PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
		assertThat(run.next()).isZero();
		assertThat(pipeline.close(Duration.ofSeconds(30))).isTrue();
		assertThat(pipeline.runningCalls()).isEmpty();
	}

	@RepeatedTest(20)
	void noWorkerThreadIsAliveOnceCloseReturns() {
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("strict-exit")
			.nCpu(2)
			.then(StageSpec.stateless("a", (Integer x) -> x).batchSize(16))
			.then(StageSpec.stateful("b", (Integer x) -> x).batchSize(16))
			.build();
		assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(1000)))).hasSize(1000);
		pipeline.close();
		assertThat(Threads.liveBlllibThreads()).isEmpty();
	}

	@Test
	void aRunAbandonedWithoutCloseReleasesItsThreadsAndItsPipelineOnceUnreachable() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("abandoned")
			.nCpu(2)
			.then(StageSpec.stateless("a", (Integer x) -> x).batchSize(8))
			.then(StageSpec.stateful("b", (Integer x) -> x).batchSize(8))
			.build()) {
			startAndAbandon(pipeline);
			assertThat(pipeline.hasOpenRun()).isTrue();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				System.gc();
				return !pipeline.hasOpenRun();
			});
			Threads.assertRunThreadsReleased(pipeline);
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(1, 2)))).containsExactly(1, 2);
		}
	}

	private static void startAndAbandon(Pipeline<Integer, Integer> pipeline) {
		PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
		assertThat(run.next()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "a b", "", "x?y", "50%" })
	void aPipelineNameThatCannotNameItInAUrlIsRefused(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> Pipeline.builder(name))
			.withMessageContaining("'" + name + "'")
			.withMessageContaining("letters, digits");
	}

}
