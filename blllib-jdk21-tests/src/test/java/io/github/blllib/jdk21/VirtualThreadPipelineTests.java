package io.github.blllib.jdk21;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineException;
import io.github.blllib.PipelineRun;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The core engine, without Spring, on virtual threads: the worker pool a
 * {@code newVirtualThreadPerTaskExecutor()}, stateful stages on virtual dedicated threads.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadPipelineTests {

	/** Virtual dedicated threads named as the core names its platform ones. */
	private static final DedicatedExecutorFactory VIRTUAL_DEDICATED_THREADS = (pipeline,
			stage) -> Executors.newSingleThreadExecutor(Thread.ofVirtual().name("blllib-" + pipeline + "-" + stage).factory());

	private final ExecutorService workerPool = Executors.newVirtualThreadPerTaskExecutor();

	/** Every thread that ran a stage call. */
	private final Queue<Thread> stageThreads = new ConcurrentLinkedQueue<>();

	@AfterEach
	void closeWorkerPool() {
		this.workerPool.close();
	}

	@Test
	void blockingStagesOnVirtualThreadsShouldGiveEveryOutputInInputOrder() {
		try (Pipeline<Integer, String> pipeline = everyKind(64)) {
			for (int run = 0; run < 2; run++) {
				assertThat(pipeline.apply(range(1_000)).stream().toList())
					.isEqualTo(VirtualThreadStarterTests.expectedKinds(1_000));
			}
		}
		assertThat(threads()).isNotEmpty().allMatch(Thread::isVirtual);
	}

	@Test
	void statefulStagesShouldRunOnTheirOwnNamedVirtualThread() {
		try (Pipeline<Integer, String> pipeline = everyKind(8)) {
			assertThat(pipeline.apply(range(100)).stream().toList())
				.isEqualTo(VirtualThreadStarterTests.expectedKinds(100));
		}
		assertThat(threads()).filteredOn((thread) -> thread.getName().equals("blllib-vt-runningSum"))
			.singleElement()
			.satisfies((thread) -> assertThat(thread.isVirtual()).isTrue());
	}

	@Test
	void noThreadShouldOutliveARunThatEndsEarlyOrFails() {
		try (Pipeline<Integer, String> pipeline = everyKind(16)) {
			try (PipelineRun<String> run = pipeline.apply(IntStream.iterate(0, (i) -> i + 1)::iterator)) {
				assertThat(run.stream().limit(20).toList())
					.isEqualTo(VirtualThreadStarterTests.expectedKinds(100).subList(0, 20));
			}
			awaitEnded(threads());
		}
		try (Pipeline<Integer, Long> failing = Pipeline.<Integer>builder("failing")
			.nCpu(16)
			.workerPool(this.workerPool)
			.dedicatedExecutors(VIRTUAL_DEDICATED_THREADS)
			.then(StageSpec.stateless("slow", (Integer x) -> recorded(sleepOneMilli(x))).batchSize(16))
			.then(StageSpec.stateful("failAtFifty", (Integer x) -> {
				if (x == 50) {
					throw new IllegalStateException("fifty");
				}
				return recorded((long) x);
			}))
			.build()) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> failing.apply(range(1_000)).stream().toList())
				.satisfies((ex) -> assertThat(ex.index()).isEqualTo(50));
		}
		awaitEnded(threads());
	}

	/**
	 * Stateless (blocking 1 ms, dropping every seventh), stateful, window, async (completed on a
	 * virtual thread) and in-master stages, the stateless ones {@code batch} items in flight on as
	 * many virtual threads.
	 */
	private Pipeline<Integer, String> everyKind(int batch) {
		return Pipeline.<Integer>builder("vt")
			.nCpu(batch)
			.workerPool(this.workerPool)
			.dedicatedExecutors(VIRTUAL_DEDICATED_THREADS)
			.then(StageSpec.stateless("squareUnlessSeventh",
					(Integer x) -> recorded((sleepOneMilli(x) % 7 != 0) ? (long) x * x : null))
				.batchSize(batch))
			.then(StageSpec.stateful("runningSum", new RunningSum()).batchSize(8))
			.then(StageSpec.window("pairDifference", 2, (List<Long> pair) -> recorded(pair.get(1) - pair.get(0)))
				.batchSize(batch))
			.then(StageSpec.async("echoLater",
					(Long x) -> CompletableFuture.supplyAsync(() -> recorded(x), this.workerPool))
				.batchSize(batch))
			.then(StageSpec.stateless("label", (Long x) -> "d" + x).runInMaster())
			.build();
	}

	private <T> T recorded(T output) {
		this.stageThreads.add(Thread.currentThread());
		return output;
	}

	private List<Thread> threads() {
		return List.copyOf(Set.copyOf(this.stageThreads));
	}

	private static int sleepOneMilli(int x) throws InterruptedException {
		Thread.sleep(1);
		return x;
	}

	private static void awaitEnded(List<Thread> threads) {
		await().untilAsserted(() -> assertThat(threads).noneMatch(Thread::isAlive));
	}

	private static List<Integer> range(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	private final class RunningSum implements Stage<Long, Long> {

		private long sum;

		@Override
		public Long apply(Long x) {
			this.sum += x;
			return recorded(this.sum);
		}

	}

}
