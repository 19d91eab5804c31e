package io.github.blllib;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** Failures, early close and re-runs: never a hang, a lost item or a leaked thread. */
class FailureAndCloseTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	enum Kind {

		STATEFUL((stage) -> StageSpec.stateful("boom", stage).batchSize(4)),

		STATELESS((stage) -> StageSpec.stateless("boom", stage).batchSize(4)),

		WINDOW((stage) -> StageSpec.window("boom", 1, (List<Integer> w) -> stage.apply(w.get(0))).batchSize(4)),

		IN_MASTER((stage) -> StageSpec.stateless("boom", stage).batchSize(4).runInMaster());

		final Function<Stage<Integer, Integer>, StageSpec<Integer, Integer>> spec;

		Kind(Function<Stage<Integer, Integer>, StageSpec<Integer, Integer>> spec) {
			this.spec = spec;
		}

	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void stageFailureSurfacesAsPipelineExceptionNamingPipelineStageAndIndexAndClosesTheRun(Kind kind) {
		IllegalStateException cause = new IllegalStateException("bad item");
		Stage<Integer, Integer> failOnSeven = (x) -> {
			if (x == 7) {
				throw cause;
			}
			return x;
		};
		List<Integer> received = new ArrayList<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("jobs")
			.nCpu(2)
			.then(StageSpec.stateless("first", (Integer x) -> (x == 3) ? null : x).batchSize(3))
			.then(kind.spec.apply(failOnSeven))
			.then(StageSpec.stateful("last", (Integer x) -> x).batchSize(2))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(100));
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> run.forEachRemaining(received::add))
				.satisfies((ex) -> {
					assertThat(ex.pipeline()).isEqualTo("jobs");
					assertThat(ex.stage()).isEqualTo("boom");
					// 3 was dropped upstream, so 7 is the seventh input of "boom"
					assertThat(ex.index()).isEqualTo(6);
					assertThat(ex.getCause()).isSameAs(cause);
					assertThat(ex.getMessage()).contains("'boom'", "'jobs'", "#6");
				});
			assertThat(received).isSubsetOf(0, 1, 2, 4, 5, 6).isSorted();
			assertThat(run.hasNext()).isFalse();
			assertThat(pipeline.hasOpenRun()).isFalse();
			Threads.assertRunThreadsReleased(pipeline);
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(1, 2)))).containsExactly(1, 2);
		}
	}

	@Test
	void inputIteratorFailureIsReportedAsStageSource() {
		RuntimeException cause = new RuntimeException("disk gone");
		Iterable<Integer> failingInput = () -> new Iterator<>() {
			int next;

			@Override
			public boolean hasNext() {
				return true;
			}

			@Override
			public Integer next() {
				if (this.next == 3) {
					throw cause;
				}
				return this.next++;
			}
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("jobs")
			.then(StageSpec.stateful("a", (Integer x) -> x).batchSize(2))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(failingInput);
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> run.forEachRemaining((x) -> {
			})).satisfies((ex) -> {
				assertThat(ex.stage()).isEqualTo("source");
				assertThat(ex.index()).isEqualTo(3);
				assertThat(ex.getCause()).isSameAs(cause);
			});
			assertThat(run.hasNext()).isFalse();
		}
	}

	@Test
	void failureCancelsInFlightWorkOfOtherItemsAndReleasesTheirThreads() {
		CountDownLatch never = new CountDownLatch(1);
		AtomicInteger interrupted = new AtomicInteger();
		Stage<Integer, Integer> stage = (x) -> {
			if (x == 0) {
				throw new IllegalArgumentException("first fails");
			}
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				interrupted.incrementAndGet();
				throw ex;
			}
			return x;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("jobs")
			.nCpu(4)
			.then(StageSpec.stateless("slow", stage).batchSize(4))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(10));
			assertThatExceptionOfType(PipelineException.class).isThrownBy(run::hasNext)
				.satisfies((ex) -> assertThat(ex.index()).isZero());
		}
		Threads.assertNoBlllibThreadAlive();
		assertThat(interrupted.get()).isLessThanOrEqualTo(3);
	}

	@Test
	void closingARunEarlyCancelsBlockedStagesReleasesThreadsAndReadsNoMoreInput() throws Exception {
		CountDownLatch never = new CountDownLatch(1);
		CountingSource source = CountingSource.endless();
		Stage<Integer, Integer> blockFromThree = (x) -> {
			if (x >= 3) {
				never.await();
			}
			return x;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("early")
			.nCpu(2)
			.then(StageSpec.stateless("pass", (Integer x) -> x).batchSize(8))
			.then(StageSpec.stateful("block", blockFromThree).batchSize(2))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(source);
			assertThat(List.of(run.next(), run.next(), run.next())).containsExactly(0, 1, 2);
			Future<Boolean> blocked = this.consumer.submit(run::hasNext);
			await().until(() -> Threads.liveBlllibThreads().contains("blllib-early-block"));
			run.close();
			assertThat(blocked.get(10, TimeUnit.SECONDS)).isFalse();
			Threads.assertRunThreadsReleased(pipeline);
			long readAtClose = source.reads.get();
			assertThat(run.hasNext()).isFalse();
			run.close();
			assertThat(source.reads.get()).isEqualTo(readAtClose);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@Test
	void closingTheStreamOfALimitedEndlessRunReleasesEveryThread() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("limited")
			.nCpu(2)
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1).batchSize(32))
			.then(StageSpec.stateful("same", (Integer x) -> x).batchSize(8))
			.build()) {
			try (Stream<Integer> outputs = pipeline.apply(CountingSource.endless()).stream()) {
				assertThat(outputs.limit(5).toList()).containsExactly(1, 2, 3, 4, 5);
			}
			assertThat(pipeline.hasOpenRun()).isFalse();
			Threads.assertRunThreadsReleased(pipeline);
		}
	}

	@Test
	void closeDoesNotWaitForDrainersThatTheExecutorNeverRan() throws Exception {
		ExecutorService thread = Executors.newSingleThreadExecutor();
		List<Runnable> neverRun = new CopyOnWriteArrayList<>();
		AtomicBoolean first = new AtomicBoolean(true);
		// like an executor shut down with shutdownNow: the second drainer is dropped, never run
		Executor dropping = (task) -> {
			if (first.getAndSet(false)) {
				thread.execute(task);
			}
			else {
				neverRun.add(task);
			}
		};
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("dropped")
			.nCpu(2)
			.workerPool(dropping)
			.then(StageSpec.stateless("wait", (Integer x) -> {
				entered.countDown();
				never.await();
				return x;
			}).batchSize(2))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(10));
			Future<Object> consumed = this.consumer.submit(() -> {
				try {
					return run.hasNext();
				}
				catch (PipelineException ex) {
					return ex;
				}
			});
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			await().untilAsserted(() -> assertThat(neverRun).hasSize(1));
			run.close();
			assertThat(consumed.get(10, TimeUnit.SECONDS)).isEqualTo(false);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
		finally {
			thread.shutdownNow();
		}
	}

	@Test
	void closingThePipelineEndsItsWorkerPoolThreads() {
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("pooled")
			.nCpu(2)
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1).batchSize(8))
			.build();
		assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(100)))).hasSize(100);
		assertThat(Threads.liveBlllibThreads()).isNotEmpty().allMatch((name) -> name.startsWith("blllib-pooled-worker-"));
		pipeline.close();
		Threads.assertNoBlllibThreadAlive();
	}

	@Test
	void secondApplyWhileARunIsOpenIsRefusedAndWorksAfterTheRunEnds() {
		try (Pipeline<Integer, Long> pipeline = Pipeline.<Integer>builder("again")
			.then(StageSpec.stateful("acc", new LazinessAndBoundsTests.Accumulator()).batchSize(2))
			.build()) {
			PipelineRun<Long> first = pipeline.apply(List.of(1, 2, 3));
			assertThatIllegalStateException().isThrownBy(() -> pipeline.apply(List.of(4)))
				.withMessageContaining("'again'")
				.withMessageContaining("open run");
			assertThat(StageKindsTests.drain(first)).containsExactly(1L, 3L, 6L);
			// stage instances and their state are shared across runs, as the seed's SequentialPipeline
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(4)))).containsExactly(10L);
			PipelineRun<Long> closedEarly = pipeline.apply(List.of(5, 6));
			closedEarly.close();
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(0)))).hasSize(1);
		}
	}

	@Test
	void closingThePipelineClosesItsOpenRunAndRefusesNewOnes() {
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("closing")
			.then(StageSpec.stateful("a", (Integer x) -> x).batchSize(2))
			.build();
		PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
		assertThat(run.next()).isZero();
		pipeline.close();
		pipeline.close();
		assertThat(run.hasNext()).isFalse();
		assertThat(pipeline.isClosed()).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> pipeline.apply(List.of(1)))
			.withMessageContaining("'closing' is closed");
	}

	@Test
	void interruptingTheConsumerWhileItWaitsEndsTheRunWithPipelineException() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("interrupted")
			.then(StageSpec.stateful("wait", (Integer x) -> {
				entered.countDown();
				never.await();
				return x;
			}))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(List.of(1));
			Future<Throwable> failure = this.consumer.submit(() -> {
				try {
					run.hasNext();
					return null;
				}
				catch (PipelineException ex) {
					return ex;
				}
			});
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			this.consumer.interrupt();
			assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(PipelineException.class)
				.hasMessageContaining("interrupted");
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

}
