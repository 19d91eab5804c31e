package io.github.blllib;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a close, the outputs a consumer got stay a gap-free prefix of the full output: an item
 * failed by the close itself (its call interrupted or its future cancelled) is never passed over
 * so that a later output is handed on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GapFreeCloseTests {

	@Test
	void anAsyncHeadCancelledByACloseIsNotPassedOverByTheLastPollBeforeParking() throws Exception {
		PendingCalls remote = new PendingCalls();
		RunState signals = new RunState("gap", false);
		AsyncStageNode node = new AsyncStageNode("gap", StageSpec.async("remote", remote).batchSize(4),
				new StageCounters("remote"), new ItemsThenNotReady(0, 1), signals, (item) -> {
				});
		ParkingConsumer consumer = new ParkingConsumer(node, signals, RunNode::pollWhileWaiting);
		try {
			assertThat(consumer.start()).isSameAs(RunNode.NOT_READY);
			remote.complete(1, 1);
			signals.beginClose();
			node.cancelOutstanding();
			assertThat(remote.cancelled).containsExactly(0);
			assertThat(consumer.goOn()).as("output 1 without output 0").isSameAs(RunNode.NOT_READY);
		}
		finally {
			consumer.stop();
		}
	}

	@Test
	void aStatelessHeadInterruptedByACloseIsNotPassedOverByTheLastPollBeforeParking() throws Exception {
		CountDownLatch never = new CountDownLatch(1);
		StageSpec<Integer, Integer> spec = StageSpec.stateless("blocking", (Integer x) -> {
			if (x == 0) {
				never.await();
			}
			return x;
		}).batchSize(2);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		RunState signals = new RunState("gap", false);
		DrainerGroup drainers = new DrainerGroup(pool, 2, signals);
		ParallelStageNode node = new ParallelStageNode("gap", spec, new StageCounters("blocking"),
				new ItemsThenNotReady(0, 1), signals, drainers, (item) -> {
				}, 1, 1);
		drainers.add(node);
		ParkingConsumer consumer = new ParkingConsumer(node, signals, RunNode::pollWhileWaiting);
		try {
			assertThat(consumer.start()).isSameAs(RunNode.NOT_READY);
			await().atMost(10, TimeUnit.SECONDS).until(() -> node.isSettled(1));
			signals.beginClose();
			drainers.cancel();
			await().atMost(10, TimeUnit.SECONDS).until(() -> node.isSettled(0));
			assertThat(consumer.goOn()).as("output 1 without output 0").isSameAs(RunNode.NOT_READY);
		}
		finally {
			consumer.stop();
			drainers.cancel();
			pool.shutdownNow();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void anInMasterStageThatClosesTheRunInsideThePullGetsNoOutputPastTheCancelledHead() {
		AtomicReference<PipelineRun<Integer>> self = new AtomicReference<>();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("gap-in-master")
			.then(StageSpec.stateful("closer", (Integer x) -> {
				if (x == 2) {
					self.get().close();
				}
				return x;
			}).runInMaster())
			.then(StageSpec.async("remote",
					(Integer x) -> (x == 0) ? new CompletableFuture<Integer>() : CompletableFuture.completedFuture(x))
				.batchSize(4))
			.build()) {
			PipelineRun<Integer> run = pipeline.apply(List.of(0, 1, 2, 3, 4, 5));
			self.set(run);
			assertThat(StageKindsTests.drain(run)).as("output 1 without output 0").isEmpty();
		}
	}

	/**
	 * Thousands of runs of an async stage whose futures another thread completes one by one, and
	 * which that thread closes at a random point between two completions.
	 */
	@Test
	void closesTimedAgainstCompletionsLeaveAGapFreePrefix() throws Exception {
		LinkedBlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
		ExecutorService completer = Executors.newSingleThreadExecutor();
		Random random = new Random(22);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("gap-random")
			.then(StageSpec.async("remote", (Integer x) -> {
				CompletableFuture<Integer> future = new CompletableFuture<>();
				completions.add(() -> future.complete(x));
				return future;
			}).batchSize(8))
			.build()) {
			List<Integer> inputs = IntStream.range(0, 32).boxed().toList();
			for (int round = 0; round < 3_000; round++) {
				PipelineRun<Integer> run = pipeline.apply(inputs);
				int closeAfter = random.nextInt(inputs.size());
				completer.submit(() -> {
					for (int completed = 0; completed < closeAfter; completed++) {
						completions.take().run();
					}
					run.close();
					return null;
				});
				List<Integer> outputs = new ArrayList<>();
				run.forEachRemaining(outputs::add);
				run.close();
				completer.submit(completions::clear).get();
				assertThat(outputs).as("round %d", round).isEqualTo(inputs.subList(0, outputs.size()));
			}
		}
		finally {
			completer.shutdownNow();
			assertThat(completer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

}
