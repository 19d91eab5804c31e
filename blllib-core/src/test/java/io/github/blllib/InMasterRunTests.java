package io.github.blllib;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A pipeline whose stages all run on the consuming thread has a run of its own, without other
 * threads: the same life cycle as any run, and counts that the consumer publishes now and then
 * instead of on every item.
 */
class InMasterRunTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@Test
	void readsNothingBeforeTheFirstPullAndRunsEveryStageOnTheConsumingThread() {
		CountingSource source = new CountingSource(5);
		List<String> threads = new CopyOnWriteArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("lazy-master")
			.sequential()
			.then(StageSpec.stateful("a", (Integer x) -> {
				threads.add(Thread.currentThread().getName());
				return x + 1;
			}))
			.then(StageSpec.stateless("b", (Integer x) -> x * 10).batchSize(8))
			.build(); PipelineRun<Integer> run = pipeline.apply(source)) {
			assertThat(source.iteratorCalls).hasValue(0);
			assertThat(threads).isEmpty();
			assertThat(run.next()).isEqualTo(10);
			assertThat(source.reads).hasValue(1);
			assertThat(StageKindsTests.drain(run)).containsExactly(20, 30, 40, 50);
			assertThat(threads).hasSize(5).containsOnly(Thread.currentThread().getName());
			assertThat(Threads.liveBlllibThreads()).isEmpty();
		}
	}

	@Test
	void dropsNullInputsAndNullOutputsAndAppliesWindows() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("windows-master")
			.sequential()
			.then(StageSpec.stateless("odd", (Integer x) -> (x % 2 == 1) ? x : null))
			.then(StageSpec.window("sum", 2, (List<Integer> w) -> w.get(0) + w.get(1)))
			.build()) {
			List<Integer> inputs = new ArrayList<>(StageKindsTests.range(8));
			inputs.add(2, null);
			// odd inputs 1, 3, 5, 7; windows (1,3), (3,5), (5,7)
			assertThat(StageKindsTests.drain(pipeline.apply(inputs))).containsExactly(4, 8, 12);
			StageStatistics odd = pipeline.statistics().get(0);
			StageStatistics sum = pipeline.statistics().get(1);
			assertThat(odd.processed()).isEqualTo(8);
			assertThat(odd.dropped()).isEqualTo(4);
			assertThat(sum.processed()).isEqualTo(3);
		}
	}

	@Test
	void longChainsOfStagesKeepTheirOrderAndCountEachStage() {
		Pipeline.Builder<Integer, Integer> builder = Pipeline.<Integer>builder("long-master").sequential();
		for (int i = 1; i <= 10; i++) {
			int stage = i;
			// stage 4 drops multiples of 3, stage 7 sums windows of 2, the others compute 2x + their number
			if (stage == 4) {
				builder.then(StageSpec.stateless("s4", (Integer x) -> (x % 3 == 0) ? null : x));
			}
			else if (stage == 7) {
				builder.then(StageSpec.window("s7", 2, (List<Integer> w) -> w.get(0) + w.get(1)));
			}
			else {
				builder.then(StageSpec.stateless("s" + stage, (Integer x) -> x * 2 + stage));
			}
		}
		List<Integer> expected = new ArrayList<>();
		Integer previous = null;
		for (int input = 0; input < 50; input++) {
			int x = input;
			for (int stage = 1; stage <= 3; stage++) {
				x = x * 2 + stage;
			}
			if (x % 3 == 0) {
				continue;
			}
			x = x * 2 + 5;
			x = x * 2 + 6;
			if (previous != null) {
				int y = previous + x;
				for (int stage = 8; stage <= 10; stage++) {
					y = y * 2 + stage;
				}
				expected.add(y);
			}
			previous = x;
		}
		try (Pipeline<Integer, Integer> pipeline = builder.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(50)))).isEqualTo(expected);
			List<StageStatistics> stages = pipeline.statistics();
			long kept = stages.get(3).succeeded();
			assertThat(stages.get(0).processed()).isEqualTo(50);
			assertThat(stages.get(3).processed()).isEqualTo(50);
			assertThat(stages.get(3).dropped()).isEqualTo(50 - kept);
			assertThat(stages.get(4).processed()).isEqualTo(kept);
			assertThat(stages.get(6).processed()).isEqualTo(kept - 1);
			assertThat(stages.get(9).succeeded()).isEqualTo(expected.size());
		}
	}

	@Test
	void stageFailureNamesTheStageAndItsInputPositionPublishesCountsAndEndsTheRun() {
		IllegalStateException cause = new IllegalStateException("bad item");
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("failing-master")
			.sequential()
			.then(StageSpec.stateless("first", (Integer x) -> (x == 3) ? null : x))
			.then(StageSpec.window("pairs", 2, (List<Integer> w) -> w.get(1)))
			.then(StageSpec.stateless("boom", (Integer x) -> {
				if (x == 7) {
					throw cause;
				}
				return x;
			}))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(100));
			List<Integer> received = new ArrayList<>();
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> run.forEachRemaining(received::add))
				.satisfies((ex) -> {
					assertThat(ex.pipeline()).isEqualTo("failing-master");
					assertThat(ex.stage()).isEqualTo("boom");
					// "first" passes 0, 1, 2, 4, 5, 6, 7; the window withholds 0, so 7 is the sixth input
					assertThat(ex.index()).isEqualTo(5);
					assertThat(ex.getCause()).isSameAs(cause);
				});
			assertThat(received).containsExactly(1, 2, 4, 5, 6);
			assertThat(run.hasNext()).isFalse();
			assertThat(pipeline.hasOpenRun()).isFalse();
			StageStatistics first = pipeline.statistics().get(0);
			StageStatistics pairs = pipeline.statistics().get(1);
			StageStatistics boom = pipeline.statistics().get(2);
			assertThat(first.processed()).isEqualTo(8);
			assertThat(first.dropped()).isEqualTo(1);
			assertThat(pairs.processed()).isEqualTo(6);
			assertThat(boom.succeeded()).isEqualTo(5);
			assertThat(boom.failed()).isEqualTo(1);
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(8, 9)))).containsExactly(9);
		}
	}

	@Test
	void inputFailureIsReportedAsStageSourceWithTheNumberOfInputsRead() {
		RuntimeException cause = new RuntimeException("disk gone");
		Iterable<Integer> failingInput = () -> new Iterator<>() {
			int next;

			@Override
			public boolean hasNext() {
				return true;
			}

			@Override
			public Integer next() {
				if (this.next == 4) {
					throw cause;
				}
				this.next++;
				return (this.next == 2) ? null : this.next;
			}
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("source-master")
			.sequential()
			.then(StageSpec.stateless("a", (Integer x) -> x))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(failingInput);
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> run.forEachRemaining((x) -> {
			})).satisfies((ex) -> {
				assertThat(ex.stage()).isEqualTo("source");
				assertThat(ex.index()).isEqualTo(4);
				assertThat(ex.getCause()).isSameAs(cause);
			});
			assertThat(run.hasNext()).isFalse();
		}
	}

	@Test
	void inputWhoseIteratorCannotBeOpenedIsReportedAsStageSource() {
		IllegalStateException cause = new IllegalStateException("no file");
		Iterable<Integer> unopenable = () -> {
			throw cause;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("unopened")
			.sequential()
			.then(StageSpec.stateless("a", (Integer x) -> x))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(unopenable);
			assertThatExceptionOfType(PipelineException.class).isThrownBy(run::hasNext).satisfies((ex) -> {
				assertThat(ex.stage()).isEqualTo("source");
				assertThat(ex.index()).isZero();
				assertThat(ex.getCause()).isSameAs(cause);
			});
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@Test
	void exhaustedRunRefusesNextAndLetsThePipelineRunAgain() {
		try (Pipeline<Integer, Long> pipeline = Pipeline.<Integer>builder("again-master")
			.sequential()
			.then(StageSpec.stateful("acc", new LazinessAndBoundsTests.Accumulator()))
			.build()) {
			PipelineRun<Long> first = pipeline.apply(List.of(1, 2, 3));
			assertThatIllegalStateException().isThrownBy(() -> pipeline.apply(List.of(4)))
				.withMessageContaining("open run");
			assertThat(StageKindsTests.drain(first)).containsExactly(1L, 3L, 6L);
			assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(first::next)
				.withMessageContaining("'again-master'");
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(4)))).containsExactly(10L);
		}
	}

	@Test
	void countsOfSuccessiveRunsAddUpAsForThreadedStages() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("summed-master")
			.sequential()
			.then(StageSpec.stateless("odd", (Integer x) -> (x % 2 == 1) ? x : null))
			.build()) {
			StageKindsTests.drain(pipeline.apply(StageKindsTests.range(3000)));
			StageKindsTests.drain(pipeline.apply(StageKindsTests.range(5)));
			PipelineRun<Integer> closedEarly = pipeline.apply(StageKindsTests.range(100));
			closedEarly.next();
			closedEarly.close();
			StageStatistics odd = pipeline.statistics().get(0);
			assertThat(odd.succeeded()).isEqualTo(1500 + 2 + 1);
			assertThat(odd.dropped()).isEqualTo(1500 + 3 + 1);
			assertThat(odd.totalTimeNanos()).isPositive();
		}
	}

	@Test
	void listenerHearsTheRunStartAndEndAndCannotRefuseIt() {
		List<String> events = new CopyOnWriteArrayList<>();
		PipelineListener refusingSecond = new PipelineListener() {
			@Override
			public void runStarted(Pipeline<?, ?> pipeline) {
				events.add("started");
				if (events.size() > 2) {
					throw new IllegalStateException("not now");
				}
			}

			@Override
			public void runEnded(Pipeline<?, ?> pipeline) {
				events.add("ended");
			}
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("heard-master")
			.sequential()
			.listener(refusingSecond)
			.then(StageSpec.stateless("same", (Integer x) -> x))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(1, 2)))).containsExactly(1, 2);
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(3)))).containsExactly(3);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
		assertThat(events).containsExactly("started", "ended", "started", "ended");
	}

	@Test
	void closingEarlyOnTheConsumingThreadPublishesExactCounts() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("early-master")
			.sequential()
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
			for (int i = 0; i < 1500; i++) {
				run.next();
			}
			run.close();
			assertThat(run.hasNext()).isFalse();
			assertThat(pipeline.statistics().get(0).succeeded()).isEqualTo(1500);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@Test
	void closingFromAnotherThreadEndsTheRunAtTheConsumersNextPullWhichPublishesItsCounts() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("cross-master")
			.sequential()
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
			for (int i = 0; i < 1500; i++) {
				run.next();
			}
			this.consumer.submit(run::close).get(10, TimeUnit.SECONDS);
			assertThat(pipeline.hasOpenRun()).isFalse();
			assertThat(run.hasNext()).isFalse();
			assertThat(pipeline.statistics().get(0).succeeded()).isEqualTo(1500);
		}
	}

	@Test
	void closingFromAnotherThreadStopsAConsumerWhoseStagesDropEveryInput() throws Exception {
		CountingSource source = CountingSource.endless();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("dropping-master")
			.sequential()
			.then(StageSpec.stateless("none", (Integer x) -> (Integer) null))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(source);
			Future<Boolean> hasNext = this.consumer.submit(run::hasNext);
			await().until(() -> source.reads.get() > 10_000);
			run.close();
			assertThat(hasNext.get(10, TimeUnit.SECONDS)).isFalse();
			assertThat(pipeline.hasOpenRun()).isFalse();
			assertThat(pipeline.statistics().get(0).dropped()).isEqualTo(source.reads.get());
		}
	}

	@Test
	void closingThePipelineClosesItsOpenRun() {
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("closing-master")
			.sequential()
			.then(StageSpec.stateless("a", (Integer x) -> x))
			.build();
		PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
		assertThat(run.next()).isZero();
		pipeline.close();
		assertThat(run.hasNext()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> pipeline.apply(List.of(1)))
			.withMessageContaining("'closing-master' is closed");
	}

	@Test
	void firstCallOfEachStageIsTimedAndPublishedAtOnce() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("timed-master")
			.sequential()
			.then(StageSpec.stateless("a", (Integer x) -> x + 1))
			.then(StageSpec.stateless("b", (Integer x) -> x + 1))
			.build(); PipelineRun<Integer> run = pipeline.apply(CountingSource.endless())) {
			assertThat(run.next()).isEqualTo(2);
			for (StageStatistics stage : pipeline.statistics()) {
				assertThat(stage.succeeded()).isEqualTo(1);
				assertThat(stage.totalTimeNanos()).isPositive();
			}
		}
	}

	@Test
	void countsOfCheapStagesAreNeverMoreThanTheCheapIntervalBehind() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("behind-master")
			.sequential()
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1))
			.build(); PipelineRun<Integer> run = pipeline.apply(CountingSource.endless())) {
			StageStatistics inc = pipeline.statistics().get(0);
			for (int taken = 1; taken <= 5000; taken++) {
				run.next();
				assertThat(inc.succeeded()).isBetween((long) taken - InMasterChain.CHEAP_CALL_INTERVAL, (long) taken);
			}
		}
	}

	@Test
	void inMasterStagesAfterAThreadedStagePublishTheirCountsWhenTheConsumerWaits() throws Exception {
		Semaphore permits = new Semaphore(0);
		CountDownLatch taken = new CountDownLatch(2000);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("waiting-master")
			.then(StageSpec.stateful("gated", (Integer x) -> {
				permits.acquire();
				return x;
			}))
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1).runInMaster())
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(3000));
			Future<Long> outputs = this.consumer.submit(() -> {
				long count = 0;
				while (run.hasNext()) {
					run.next();
					count++;
					taken.countDown();
				}
				return count;
			});
			permits.release(2000);
			assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
			StageStatistics inc = pipeline.statistics().get(1);
			// a cheap stage is timed, and its counts published, once in 1,024 calls: the wait publishes
			await().untilAsserted(() -> assertThat(inc.succeeded()).isEqualTo(2000));
			permits.release(1000);
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(3000);
			assertThat(inc.succeeded()).isEqualTo(3000);
		}
	}

}
