package io.github.blllib;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nothing happens before the first pull, and read-ahead is bounded by batch and window sizes. */
class LazinessAndBoundsTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@Test
	void applyReadsNothingAndStartsNothingBeforeTheFirstPull() {
		CountingSource source = new CountingSource(10);
		AtomicInteger calls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("lazy")
			.then(StageSpec.stateful("count", (Integer x) -> calls.incrementAndGet()).batchSize(4))
			.then(StageSpec.stateless("same", (Integer x) -> x).batchSize(4))
			.build(); PipelineRun<Integer> run = pipeline.apply(source)) {
			assertThat(source.iteratorCalls).hasValue(0);
			assertThat(source.reads).hasValue(0);
			assertThat(calls).hasValue(0);
			assertThat(Threads.liveBlllibThreads()).isEmpty();
			assertThat(run.hasNext()).isTrue();
			assertThat(source.iteratorCalls).hasValue(1);
			assertThat(source.reads.get()).isPositive();
		}
	}

	@Test
	void statelessStageHoldsExactlyItsBatchSizeInFlight() throws Exception {
		assertStageHoldsExactlyItsBatchSize(
				(stage) -> StageSpec.stateless("held", stage).batchSize(3), 3);
	}

	@Test
	void statefulStageHoldsExactlyItsBatchSizeInFlight() throws Exception {
		assertStageHoldsExactlyItsBatchSize(
				(stage) -> StageSpec.stateful("held", stage).batchSize(5), 5);
	}

	private void assertStageHoldsExactlyItsBatchSize(
			java.util.function.Function<Stage<Integer, Integer>, StageSpec<Integer, Integer>> spec, int batch)
			throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger entered = new AtomicInteger();
		Stage<Integer, Integer> held = (x) -> {
			entered.incrementAndGet();
			release.await();
			return x;
		};
		CountingSource source = new CountingSource(100);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("bound").nCpu(8).then(spec.apply(held)).build()) {
			Future<Long> outputs = this.consumer.submit(() -> {
				try (Stream<Integer> stream = pipeline.apply(source).stream()) {
					return stream.peek((x) -> source.took()).count();
				}
			});
			StageStatistics statistics = pipeline.statistics().get(0);
			await().untilAsserted(() -> assertThat(statistics.inFlight()).isEqualTo(batch));
			assertThat(source.reads.get()).isEqualTo(batch);
			release.countDown();
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(100);
			assertThat(statistics.inFlight()).isZero();
			assertThat(statistics.succeeded()).isEqualTo(100);
		}
		assertThat(source.maxAhead.get()).isLessThanOrEqualTo(batch);
	}

	@Test
	void endlessInputRunsWithReadAheadBoundedBySumOfBatchAndWindowSizes() {
		CountingSource source = CountingSource.endless();
		int bound = 16 + 1 + 8 + 3 + 4 + 1;
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("endless")
			.nCpu(2)
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1).batchSize(16))
			.then(StageSpec.stateful("acc", new Accumulator()).batchSize(8))
			.then(StageSpec.window("diff", 3, (List<Long> w) -> (int) (w.get(2) - w.get(0))).batchSize(4))
			.build(); Stream<Integer> outputs = pipeline.apply(source).stream()) {
			long taken = outputs.peek((x) -> source.took()).limit(200_000).count();
			assertThat(taken).isEqualTo(200_000);
		}
		assertThat(source.maxAhead.get()).isLessThanOrEqualTo(bound);
		assertThat(source.reads.get()).isLessThanOrEqualTo(200_000 + bound);
	}

	@Test
	void runInMasterStagesAddNoReadAhead() {
		CountingSource source = CountingSource.endless();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("master")
			.sequential()
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1).batchSize(64))
			.then(StageSpec.window("sum", 2, (List<Integer> w) -> w.get(0) + w.get(1)).batchSize(64))
			.build(); Stream<Integer> outputs = pipeline.apply(source).stream()) {
			assertThat(outputs.peek((x) -> source.took()).limit(1000).count()).isEqualTo(1000);
		}
		assertThat(source.maxAhead.get()).isLessThanOrEqualTo(2);
	}

	static final class Accumulator implements Stage<Integer, Long> {

		private long sum;

		@Override
		public Long apply(Integer x) {
			this.sum += x;
			return this.sum;
		}

	}

}
