package io.github.blllib;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Async stages: outputs in input order whatever order the futures complete in, at most the batch
 * size outstanding, null results dropped, failures naming stage and index, and outstanding
 * futures cancelled however the run ends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncStageTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@Test
	void outputsKeepInputOrderWhenFuturesCompleteInReverse() throws Exception {
		PendingCalls remote = new PendingCalls();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("reverse")
			.then(StageSpec.async("remote", remote).batchSize(8))
			.build()) {
			Future<List<Integer>> outputs = this.consumer.submit(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(8))));
			remote.awaitApplied(8);
			for (int x = 7; x >= 0; x--) {
				remote.complete(x, x * 10);
			}
			assertThat(outputs.get(10, TimeUnit.SECONDS)).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
			assertThat(pipeline.statistics().get(0).succeeded()).isEqualTo(8);
		}
	}

	@Test
	void outputsKeepInputOrderWhenFuturesCompleteInRandomOrderOnOtherThreads() {
		ScheduledExecutorService remote = Executors.newScheduledThreadPool(3);
		Random random = new Random(12);
		AsyncStage<Integer, Integer> call = (x) -> {
			CompletableFuture<Integer> future = new CompletableFuture<>();
			remote.schedule(() -> future.complete(x + 1), random.nextInt(500), TimeUnit.MICROSECONDS);
			return future;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("random")
			.then(StageSpec.async("remote", call).batchSize(16))
			.build()) {
			List<Integer> expected = StageKindsTests.range(2000).stream().map((x) -> x + 1).toList();
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(2000)))).isEqualTo(expected);
		}
		finally {
			remote.shutdownNow();
		}
	}

	@Test
	void futuresThatCompleteAtOnceGiveTheirOutputsInOrder() {
		AsyncStage<Integer, Integer> done = (x) -> CompletableFuture.completedFuture(x * 2);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("done")
			.then(StageSpec.async("double", done).batchSize(4))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(5000))))
				.isEqualTo(StageKindsTests.range(5000).stream().map((x) -> x * 2).toList());
		}
	}

	@Test
	void aNullResultDropsTheItem() {
		AsyncStage<Integer, Integer> evens = (x) -> CompletableFuture.supplyAsync(() -> (x % 2 == 0) ? x : null);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("nulls")
			.then(StageSpec.async("evens", evens).batchSize(4))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(10)))).containsExactly(0, 2, 4, 6, 8);
			assertThat(pipeline.statistics().get(0).dropped()).isEqualTo(5);
			assertThat(pipeline.statistics().get(0).succeeded()).isEqualTo(5);
		}
	}

	@Test
	void atMostTheBatchSizeIsOutstandingAndInputIsReadOnlyAsNeeded() throws Exception {
		PendingCalls remote = new PendingCalls();
		CountingSource source = new CountingSource(40);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("bounded")
			.then(StageSpec.async("remote", remote).batchSize(5))
			.build()) {
			Future<List<Integer>> outputs = this.consumer.submit(() -> {
				List<Integer> taken = new ArrayList<>();
				try (PipelineRun<Integer> run = pipeline.apply(source)) {
					run.forEachRemaining((x) -> {
						source.took();
						taken.add(x);
					});
				}
				return taken;
			});
			remote.awaitApplied(5);
			StageStatistics statistics = pipeline.statistics().get(0);
			await().untilAsserted(() -> assertThat(statistics.inFlight()).isEqualTo(5));
			assertThat(remote.outstanding()).isEqualTo(5);
			assertThat(source.reads).hasValue(5);
			for (int x = 0; x < 40; x++) {
				int next = x;
				await().until(() -> remote.futures.containsKey(next));
				remote.complete(x, x);
			}
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(StageKindsTests.range(40));
			assertThat(statistics.inFlight()).isZero();
		}
		assertThat(remote.maxOutstanding).hasValue(5);
		assertThat(source.maxAhead.get()).isLessThanOrEqualTo(5);
	}

	@Test
	void anEndlessInputRunsThroughAsyncStagesWithReadAheadBoundedByBatchAndWindowSizes() {
		CountingSource source = CountingSource.endless();
		AsyncStage<Integer, Integer> plusOne = (x) -> CompletableFuture.supplyAsync(() -> x + 1);
		AsyncStage<List<Integer>, Integer> spread = (w) -> CompletableFuture.completedFuture(w.get(2) - w.get(0));
		int bound = 16 + 3 + 4;
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("endless-async")
			.then(StageSpec.async("plusOne", plusOne).batchSize(16))
			.then(StageSpec.asyncWindow("spread", 3, spread).batchSize(4))
			.build(); java.util.stream.Stream<Integer> outputs = pipeline.apply(source).stream()) {
			assertThat(outputs.peek((x) -> source.took()).limit(20_000).count()).isEqualTo(20_000);
		}
		assertThat(source.maxAhead.get()).isLessThanOrEqualTo(bound);
	}

	@Test
	void nothingIsCalledBeforeTheFirstPull() {
		PendingCalls remote = new PendingCalls();
		CountingSource source = new CountingSource(10);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("lazy")
			.then(StageSpec.async("remote", remote).batchSize(4))
			.build(); PipelineRun<Integer> run = pipeline.apply(source)) {
			assertThat(source.reads).hasValue(0);
			assertThat(remote.applied).isEmpty();
		}
		assertThat(remote.applied).isEmpty();
	}

	@Test
	void anExceptionalCompletionFailsTheRunNamingStageAndIndex() throws Exception {
		PendingCalls remote = new PendingCalls();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("failing")
			.then(StageSpec.async("remote", remote).batchSize(4))
			.build()) {
			List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
			Future<?> outputs = this.consumer.submit(() -> {
				try (PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(10))) {
					run.forEachRemaining(taken::add);
				}
			});
			remote.awaitApplied(4);
			remote.complete(0, 0);
			remote.complete(1, 1);
			IllegalStateException cause = new IllegalStateException("remote says no");
			remote.fail(2, cause);
			assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
				.isThrownBy(() -> outputs.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(PipelineException.class, (ex) -> {
					assertThat(ex.pipeline()).isEqualTo("failing");
					assertThat(ex.stage()).isEqualTo("remote");
					assertThat(ex.index()).isEqualTo(2);
					assertThat(ex.getCause()).isSameAs(cause);
				});
			assertThat(taken).containsExactly(0, 1);
			assertThat(remote.outstanding()).isZero();
			assertThat(remote.cancelled).isNotEmpty().doesNotContain(0, 1, 2);
			assertThat(pipeline.statistics().get(0).failed()).isEqualTo(1);
		}
	}

	@Test
	void anApplyThatThrowsFailsTheRunNamingStageAndIndex() {
		AsyncStage<Integer, Integer> throwing = (x) -> {
			if (x == 3) {
				throw new IllegalArgumentException("bad input " + x);
			}
			return CompletableFuture.completedFuture(x);
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("throwing")
			.then(StageSpec.async("remote", throwing).batchSize(8))
			.build()) {
			List<Integer> taken = new ArrayList<>();
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> {
				try (PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(10))) {
					run.forEachRemaining(taken::add);
				}
			}).satisfies((ex) -> {
				assertThat(ex.stage()).isEqualTo("remote");
				assertThat(ex.index()).isEqualTo(3);
				assertThat(ex.getCause()).hasMessage("bad input 3");
			});
			assertThat(taken).containsExactly(0, 1, 2);
		}
	}

	@Test
	void aNullFutureIsAFailureThatSaysSo() {
		AsyncStage<Integer, Integer> nothing = (x) -> null;
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("nothing")
			.then(StageSpec.async("remote", nothing))
			.build()) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(3))))
				.satisfies((ex) -> assertThat(ex.getCause()).hasMessageContaining("'remote'")
					.hasMessageContaining("returned null instead of a CompletionStage for input #0"));
		}
	}

	@Test
	void theEarliestInputsFailureWinsOverALaterOneThatFailedFirst() throws Exception {
		PendingCalls remote = new PendingCalls();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("earliest")
			.then(StageSpec.async("remote", remote).batchSize(8))
			.build()) {
			Future<List<Integer>> outputs = this.consumer.submit(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(8))));
			remote.awaitApplied(8);
			remote.fail(6, new IllegalStateException("later"));
			remote.complete(0, 0);
			remote.fail(3, new IllegalStateException("earlier"));
			remote.complete(2, 2);
			remote.complete(1, 1);
			assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
				.isThrownBy(() -> outputs.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(PipelineException.class, (ex) -> {
					assertThat(ex.index()).isEqualTo(3);
					assertThat(ex.getCause()).hasMessage("earlier");
				});
		}
	}

	@Test
	void anEarlyCloseCancelsTheOutstandingFutures() throws Exception {
		PendingCalls remote = new PendingCalls();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("early")
			.then(StageSpec.async("remote", remote).batchSize(6))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(100));
			Future<Integer> first = this.consumer.submit(() -> run.next());
			remote.awaitApplied(6);
			remote.complete(0, 42);
			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(42);
			run.close();
			assertThat(remote.outstanding()).isZero();
			assertThat(remote.cancelled).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
			assertThat(pipeline.hasOpenRun()).isFalse();
			assertThat(pipeline.statistics().get(0).failed()).isZero();
		}
		Threads.assertNoBlllibThreadAlive();
	}

	@Test
	void aCloseFromAnotherThreadWakesAConsumerThatWaitsForAFuture() throws Exception {
		PendingCalls remote = new PendingCalls();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("waiting")
			.then(StageSpec.async("remote", remote).batchSize(3))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(100));
			Future<Boolean> hasNext = this.consumer.submit(() -> run.hasNext());
			remote.awaitApplied(3);
			run.close();
			assertThat(hasNext.get(10, TimeUnit.SECONDS)).isFalse();
			assertThat(remote.cancelled).containsExactlyInAnyOrder(0, 1, 2);
		}
	}

	@Test
	void asyncWindowsAreTheKConsecutiveItemsInOrder() {
		AsyncStage<List<Integer>, String> join = (window) -> CompletableFuture.supplyAsync(window::toString);
		try (Pipeline<Integer, String> pipeline = Pipeline.<Integer>builder("windows")
			.then(StageSpec.asyncWindow("join", 3, join).batchSize(4))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(6))))
				.containsExactly("[0, 1, 2]", "[1, 2, 3]", "[2, 3, 4]", "[3, 4, 5]");
			assertThat(pipeline.stages().get(0).window()).isEqualTo(3);
			assertThat(pipeline.stages().get(0).isAsync()).isTrue();
		}
	}

	@Test
	void asyncStagesMixWithEveryOtherKind() {
		AsyncStage<Integer, Integer> plusOne = (x) -> CompletableFuture.supplyAsync(() -> x + 1);
		AsyncStage<List<Integer>, Integer> sum = (w) -> CompletableFuture.supplyAsync(() -> w.get(0) + w.get(1));
		AtomicInteger calls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("mixed")
			.nCpu(2)
			.then(StageSpec.async("plusOne", plusOne).batchSize(8))
			.then(StageSpec.stateless("double", (Integer x) -> x * 2).batchSize(4))
			.then(StageSpec.stateless("minus", (Integer x) -> x - 1).runInMaster())
			.then(StageSpec.asyncWindow("sum", 2, sum).batchSize(3))
			.then(StageSpec.stateful("count", (Integer x) -> x + 1000 * calls.incrementAndGet()).batchSize(2))
			.then(StageSpec.window("pairs", 2, (List<Integer> w) -> w.get(1) - w.get(0)).batchSize(5))
			.build()) {
			// 2(x+1)-1 summed over neighbours is 4x+4, plus 1000n for the n-th; neighbours differ by 1004
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(50))))
				.isEqualTo(Collections.nCopies(48, 1004));
		}
	}

	@Test
	void aSequentialPipelineHasOneAsyncCallOutstandingAtATime() {
		PendingCalls remote = new PendingCalls();
		AsyncStage<Integer, Integer> answering = (x) -> {
			CompletableFuture<Integer> future = remote.apply(x).toCompletableFuture();
			CompletableFuture.runAsync(() -> future.complete(x));
			return future;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("sequential")
			.sequential()
			.then(StageSpec.async("remote", answering).batchSize(8))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(30)))).isEqualTo(StageKindsTests.range(30));
			assertThat(pipeline.stages().get(0).batchSize()).isEqualTo(1);
		}
		assertThat(remote.maxOutstanding).hasValue(1);
	}

	@Test
	void anAsyncStageCannotRunInMaster() {
		AsyncStage<Integer, Integer> remote = (x) -> CompletableFuture.completedFuture(x);
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.async("remote", remote).runInMaster())
			.satisfies((ex) -> {
				assertThat(ex.stage()).isEqualTo("remote");
				assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.RUN_IN_MASTER);
				assertThat(ex.getMessage()).contains("'remote'").contains("runInMaster must be false");
			});
	}

	@Test
	void aCallPastItsTimeoutHasItsFutureCancelledAndItsItemSkipped() {
		CompletableFuture<Integer> never = new CompletableFuture<>();
		AsyncStage<Integer, Integer> stuckOnTwo = (x) -> (x == 2) ? never : CompletableFuture.completedFuture(x);
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("timeout")
			.deadLetters(deadLetters::add)
			.then(StageSpec.async("remote", stuckOnTwo).batchSize(6).timeout(Duration.ofMillis(50)).skipFailures())
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(6)))).containsExactly(0, 1, 3, 4, 5);
			assertThat(never).isCancelled();
			assertThat(deadLetters).singleElement().satisfies((item) -> {
				assertThat(item.index()).isEqualTo(2);
				assertThat(item.input()).isEqualTo(2);
				assertThat(item.attempts()).isEqualTo(1);
				assertThat(item.failure()).isInstanceOf(StageTimeoutException.class).hasMessageContaining("'remote'");
			});
			StageStatistics statistics = pipeline.statistics().get(0);
			assertThat(statistics.timeouts()).isEqualTo(1);
			assertThat(statistics.skipped()).isEqualTo(1);
			assertThat(statistics.succeeded()).isEqualTo(5);
		}
	}

	@Test
	void aTimedOutCallIsRetriedAndTheRetryGivesTheOutput() {
		List<CompletableFuture<Integer>> firstCalls = new CopyOnWriteArrayList<>();
		AsyncStage<Integer, Integer> slowOnce = (x) -> {
			if (x == 1 && firstCalls.isEmpty()) {
				CompletableFuture<Integer> never = new CompletableFuture<>();
				firstCalls.add(never);
				return never;
			}
			return CompletableFuture.completedFuture(x);
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("timeout-retry")
			.then(StageSpec.async("remote", slowOnce).batchSize(4).timeout(Duration.ofMillis(50)).retry(Retry.maxRetries(1)))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(5)))).isEqualTo(StageKindsTests.range(5));
			assertThat(firstCalls).singleElement().satisfies((future) -> assertThat(future).isCancelled());
			StageStatistics statistics = pipeline.statistics().get(0);
			assertThat(statistics.timeouts()).isEqualTo(1);
			assertThat(statistics.retries()).isEqualTo(1);
			assertThat(statistics.failed()).isZero();
		}
	}

	@Test
	void retriesStartOnTheConsumingThreadAfterTheirDelay() throws Exception {
		Set<Thread> applyThreads = ConcurrentHashMap.newKeySet();
		AtomicInteger threeCalls = new AtomicInteger();
		AsyncStage<Integer, Integer> flaky = (x) -> {
			applyThreads.add(Thread.currentThread());
			if (x == 3 && threeCalls.incrementAndGet() < 3) {
				return CompletableFuture.supplyAsync(() -> {
					throw new IllegalStateException("busy");
				});
			}
			return CompletableFuture.supplyAsync(() -> x);
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("retry-thread")
			.then(StageSpec.async("remote", flaky).batchSize(4).retry(Retry.maxRetries(2).delay(Duration.ofMillis(10))))
			.build()) {
			Future<Thread> consumerThread = this.consumer.submit(Thread::currentThread);
			Future<List<Integer>> outputs = this.consumer.submit(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(8))));
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(StageKindsTests.range(8));
			assertThat(applyThreads).containsExactly(consumerThread.get());
			assertThat(threeCalls).hasValue(3);
			assertThat(pipeline.statistics().get(0).retries()).isEqualTo(2);
			assertThat(pipeline.statistics().get(0).activeThreads()).isZero();
		}
	}

	@Test
	void aCloseWithARetryPendingStartsNoCallAfterIt() throws Exception {
		PendingCalls remote = new PendingCalls();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("close-retry")
			.then(StageSpec.async("remote", remote).batchSize(4).retry(Retry.maxRetries(3).delay(Duration.ofMillis(200))))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(10));
			Future<Boolean> hasNext = this.consumer.submit(() -> run.hasNext());
			remote.awaitApplied(4);
			remote.fail(0, new IllegalStateException("busy"));
			run.close();
			assertThat(hasNext.get(10, TimeUnit.SECONDS)).isFalse();
			assertThat(remote.cancelled).containsExactlyInAnyOrder(1, 2, 3);
			// the retry was due 200 ms after the failure: it must find the run closed and call nothing
			Awaitility.await()
				.during(Duration.ofMillis(600))
				.atMost(Duration.ofSeconds(5))
				.until(() -> remote.applied.size() == 4);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@Test
	void minimalCompletionStagesWorkAndAreLeftToFinishWhenTheyCannotBeCancelled() throws Exception {
		PendingCalls remote = new PendingCalls();
		AsyncStage<Integer, Integer> minimal = (x) -> remote.apply(x).toCompletableFuture().minimalCompletionStage();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("minimal")
			.then(StageSpec.async("remote", minimal).batchSize(3))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(10));
			Future<Integer> first = this.consumer.submit(() -> run.next());
			remote.awaitApplied(3);
			remote.complete(0, 7);
			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(7);
			run.close();
			assertThat(pipeline.hasOpenRun()).isFalse();
			// a minimal stage's own future cannot be cancelled through it: the remote call goes on
			assertThat(remote.cancelled).isEmpty();
			remote.complete(1, 1);
		}
	}

	@Test
	void badAsyncSettingsAreRefusedNamingTheStageAndTheSetting() {
		AsyncStage<List<Integer>, Integer> first = (w) -> CompletableFuture.completedFuture(w.get(0));
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.asyncWindow("first", 0, first))
			.satisfies((ex) -> {
				assertThat(ex.stage()).isEqualTo("first");
				assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.STATEFUL);
			});
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.asyncWindow("first", 2, first).batchSize(0))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.BATCH_SIZE));
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.async("first", first, StageSettings.of("first", "2", 1, true)))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.RUN_IN_MASTER));
	}

	@Test
	void statefulSettingsGiveAnAsyncStageThatNeedsNoThreadOfItsOwn() {
		AsyncStage<Integer, Integer> remote = CompletableFuture::completedFuture;
		StageSpec<Integer, Integer> spec = StageSpec.async("remote", remote, StageSettings.of("remote", "true", 4, false));
		assertThat(spec.isAsync()).isTrue();
		assertThat(spec.asyncStage()).isSameAs(remote);
		assertThat(spec.stage()).isNull();
		assertThat(spec.kind()).isEqualTo(StageKind.STATEFUL);
		assertThat(spec.needsDedicatedThread()).isFalse();
		assertThat(spec.batchSize()).isEqualTo(4);
		assertThat(spec.toString()).contains("remote", "async");
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("no-threads").then(spec).build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(100)))).isEqualTo(StageKindsTests.range(100));
			assertThat(pipeline.statistics().get(0).activeThreads()).isZero();
		}
		assertThat(Threads.liveBlllibThreads()).isEmpty();
	}

}
