package io.github.blllib;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Closes and interrupts from every thread a run has: a stage closing its own run or pipeline, a
 * thread closing a run whose in-master stages keep dropping input, and a thread closing a run
 * while the consumer is inside an in-master stage call. The timeout only turns a deadlock into a
 * failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseFromEveryThreadTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@Test
	void aStatelessStageThatClosesItsOwnRunEndsItLikeAnyOtherClose() {
		AtomicReference<PipelineRun<Integer>> self = new AtomicReference<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("self-close")
			.nCpu(2)
			.then(StageSpec.stateless("closer", (Integer x) -> {
				if (x == 3) {
					self.get().close();
				}
				return x;
			}).batchSize(4))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
			self.set(run);
			List<Integer> outputs = StageKindsTests.drain(run);
			assertThat(outputs).isSubsetOf(0, 1, 2, 3, 4, 5, 6);
			assertThat(pipeline.hasOpenRun()).isFalse();
			Threads.assertRunThreadsReleased(pipeline);
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(7, 8)))).containsExactly(7, 8);
		}
	}

	@Test
	void aStatefulStageThatClosesItsPipelineEndsTheRunAndFreesThePipeline() {
		AtomicReference<Pipeline<Integer, Integer>> self = new AtomicReference<>();
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("self-close-pipeline")
			.then(StageSpec.stateful("closer", (Integer x) -> {
				if (x == 2) {
					self.get().close();
				}
				return x;
			}).batchSize(2))
			.build();
		self.set(pipeline);
		PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
		assertThat(StageKindsTests.drain(run)).isSubsetOf(0, 1, 2, 3, 4);
		assertThat(pipeline.isClosed()).isTrue();
		assertThat(pipeline.hasOpenRun()).isFalse();
		Threads.assertNoBlllibThreadAlive();
	}

	@Test
	void closeFromAnotherThreadStopsARunWhoseInMasterStageDropsEveryItemAheadOfAParallelStage() throws Exception {
		CountingSource source = CountingSource.endless();
		try (Pipeline<Integer, Integer> pipeline = dropEverythingAheadOfAParallelStage("drop-close")) {
			PipelineRun<Integer> run = pipeline.apply(source);
			Future<Boolean> pulled = this.consumer.submit(run::hasNext);
			await().until(() -> source.reads.get() > 10_000);
			run.close();
			assertThat(pulled.get()).isFalse();
			long readAfterClose = source.reads.get();
			assertThat(run.hasNext()).isFalse();
			assertThat(source.reads.get()).isEqualTo(readAfterClose);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@Test
	void anInterruptStopsARunWhoseInMasterStageDropsEveryItemAheadOfAParallelStage() {
		CountingSource source = CountingSource.endless();
		try (Pipeline<Integer, Integer> pipeline = dropEverythingAheadOfAParallelStage("drop-interrupt")) {
			assertAnInterruptStopsTheConsumer(pipeline, source);
		}
	}

	@Test
	void anInterruptStopsASequentialRunThatDropsEveryItem() {
		CountingSource source = CountingSource.endless();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("sequential-drop-interrupt")
			.sequential()
			.then(StageSpec.stateless("drop", (Integer x) -> (Integer) null))
			.build()) {
			assertAnInterruptStopsTheConsumer(pipeline, source);
		}
	}

	@Test
	void aCloseFromAnotherThreadIsNotReportedAsTheFailureOfTheStageCallItInterrupted() throws Exception {
		CountDownLatch parallelCallInterrupted = new CountDownLatch(1);
		CountDownLatch consumerInMasterCall = new CountDownLatch(1);
		AtomicReference<Pipeline<Integer, Integer>> self = new AtomicReference<>();
		Stage<Integer, Integer> blockingAtOne = (x) -> {
			if (x == 1) {
				try {
					new CountDownLatch(1).await();
				}
				catch (InterruptedException ex) {
					parallelCallInterrupted.countDown();
					throw ex;
				}
			}
			return x;
		};
		// in master, ahead of the parallel stage: the consumer calls it while it tops the parallel
		// stage up, and here waits until close() has cancelled the parallel stage's blocked call
		// and its drainer has ended, so that the head of the parallel stage holds that failure
		Stage<Integer, Integer> waitingAtFour = (x) -> {
			if (x == 4) {
				consumerInMasterCall.countDown();
				assertThat(parallelCallInterrupted.await(30, TimeUnit.SECONDS)).isTrue();
				await().until(() -> self.get().statistics().get(1).activeThreads() == 0);
			}
			return x;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("close-not-failure")
			.nCpu(2)
			.then(StageSpec.stateless("in-master", waitingAtFour).runInMaster())
			.then(StageSpec.stateless("parallel", blockingAtOne).batchSize(4))
			.build()) {
			self.set(pipeline);
			PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
			assertThat(run.next()).isEqualTo(0);
			Future<Boolean> pulled = this.consumer.submit(run::hasNext);
			assertThat(consumerInMasterCall.await(30, TimeUnit.SECONDS)).isTrue();
			run.close();
			assertThat(pulled.get()).as("the consumer's pull after another thread closed the run").isFalse();
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	@Test
	void closeFromAnotherThreadReturnsOnlyOnceTheConsumersInMasterCallEnded() throws Exception {
		assertCloseWaitsForInMasterCall(false);
	}

	@Test
	void closeFromAnotherThreadWaitsForAnInMasterCallAheadOfAParallelStage() throws Exception {
		assertCloseWaitsForInMasterCall(true);
	}

	private void assertCloseWaitsForInMasterCall(boolean withParallelStage) throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean callEnded = new AtomicBoolean();
		Stage<Integer, Integer> blocking = (x) -> {
			if (x == 1) {
				entered.countDown();
				release.await();
				callEnded.set(true);
			}
			return x;
		};
		Pipeline.Builder<Integer, Integer> builder = Pipeline.<Integer>builder("in-master-close")
			.then(StageSpec.stateful("blocking", blocking).runInMaster());
		if (withParallelStage) {
			builder.then(StageSpec.stateless("after", (Integer x) -> x).batchSize(4));
		}
		try (Pipeline<Integer, Integer> pipeline = builder.build()) {
			PipelineRun<Integer> run = pipeline.apply(CountingSource.endless());
			this.consumer.submit(() -> StageKindsTests.drain(run));
			assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
			AtomicBoolean endedWhenCloseReturned = new AtomicBoolean();
			Thread closer = new Thread(() -> {
				run.close();
				endedWhenCloseReturned.set(callEnded.get());
			});
			closer.start();
			await().until(() -> closer.getState() == Thread.State.TIMED_WAITING);
			assertThat(closer.isAlive()).as("close() returned while the in-master call was running").isTrue();
			release.countDown();
			closer.join();
			assertThat(endedWhenCloseReturned).isTrue();
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
	}

	private void assertAnInterruptStopsTheConsumer(Pipeline<Integer, Integer> pipeline, CountingSource source) {
		PipelineRun<Integer> run = pipeline.apply(source);
		Future<Boolean> pulled = this.consumer.submit(run::hasNext);
		await().until(() -> source.reads.get() > 10_000);
		this.consumer.interrupt();
		assertThatExceptionOfType(Exception.class).isThrownBy(pulled::get)
			.havingRootCause()
			.isInstanceOf(InterruptedException.class);
		await().until(() -> !pipeline.hasOpenRun());
	}

	private static Pipeline<Integer, Integer> dropEverythingAheadOfAParallelStage(String name) {
		return Pipeline.<Integer>builder(name)
			.nCpu(1)
			.then(StageSpec.stateless("drop", (Integer x) -> (Integer) null).runInMaster())
			.then(StageSpec.stateless("after", (Integer x) -> x).batchSize(4))
			.build();
	}

}
