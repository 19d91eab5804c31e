package io.github.blllib;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What each kind of stage does: where it runs, in what order, with what input. */
class StageKindsTests {

	@AfterEach
	void noThreadLeftBehind() {
		Threads.assertNoBlllibThreadAlive();
	}

	@Test
	void statefulStageRunsSequentiallyInOrderOnItsOwnNamedThread() {
		Set<String> threads = ConcurrentHashMap.newKeySet();
		AtomicInteger concurrent = new AtomicInteger();
		AtomicInteger maxConcurrent = new AtomicInteger();
		List<Integer> seen = new ArrayList<>();
		Stage<Integer, Integer> record = (x) -> {
			maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
			threads.add(Thread.currentThread().getName());
			seen.add(x);
			concurrent.decrementAndGet();
			return x;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.stateful("record", record).batchSize(16))
			.build()) {
			assertThat(drain(pipeline.apply(range(200)))).isEqualTo(range(200));
		}
		assertThat(seen).isEqualTo(range(200));
		assertThat(threads).containsExactly("blllib-p-record");
		assertThat(maxConcurrent).hasValue(1);
	}

	@Test
	void dedicatedExecutorFactoryOpensOneExecutorPerStatefulStageAndRunAndEachRunShutsItDown() {
		List<String> opened = new ArrayList<>();
		List<ExecutorService> executors = new ArrayList<>();
		DedicatedExecutorFactory factory = (pipeline, stage) -> {
			opened.add(pipeline + "/" + stage);
			ExecutorService executor = Executors.newSingleThreadExecutor((task) -> new Thread(task, "custom-" + stage));
			executors.add(executor);
			return executor;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.dedicatedExecutors(factory)
			.then(StageSpec.stateful("a", (Integer x) -> x + 1))
			.then(StageSpec.stateless("b", (Integer x) -> x))
			.then(StageSpec.stateful("c", (Integer x) -> x * 2).batchSize(3))
			.build()) {
			assertThat(drain(pipeline.apply(range(5)))).containsExactly(2, 4, 6, 8, 10);
			assertThat(executors).allMatch(ExecutorService::isTerminated);
			assertThat(drain(pipeline.apply(range(1)))).containsExactly(2);
		}
		assertThat(opened).containsExactly("p/a", "p/c", "p/a", "p/c");
		assertThat(executors).hasSize(4).allMatch(ExecutorService::isTerminated);
	}

	@Test
	void statelessStageRunsConcurrentlyOnTheWorkerPoolUpToItsBatchSize() {
		int batch = 4;
		CyclicBarrier allInFlight = new CyclicBarrier(batch);
		Set<String> threads = ConcurrentHashMap.newKeySet();
		Stage<Integer, Integer> meet = (x) -> {
			threads.add(Thread.currentThread().getName());
			if (x < batch) {
				// only passes if `batch` calls run at the same time
				allInFlight.await(10, TimeUnit.SECONDS);
			}
			return x * 10;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.nCpu(batch)
			.then(StageSpec.stateless("meet", meet).batchSize(batch))
			.build()) {
			assertThat(drain(pipeline.apply(range(20)))).isEqualTo(range(20).stream().map((x) -> x * 10).toList());
		}
		assertThat(threads).hasSizeGreaterThanOrEqualTo(batch).allMatch((name) -> name.startsWith("blllib-p-worker-"));
	}

	@Test
	void windowStageReceivesSlidingWindowsOfExactlyKItemsStepOne() {
		List<List<Integer>> windows = new ArrayList<>();
		try (Pipeline<Integer, List<Integer>> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.window("w", 2, (List<Integer> w) -> w).batchSize(3))
			.build()) {
			windows.addAll(drain(pipeline.apply(List.of(0, 1, 2, 3))));
		}
		assertThat(windows).containsExactly(List.of(0, 1), List.of(1, 2), List.of(2, 3));
	}

	@Test
	void windowsAreImmutable() {
		List<Boolean> immutable = new ArrayList<>();
		try (Pipeline<Integer, Boolean> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.window("w", 2, (List<Integer> w) -> {
				try {
					w.set(0, 99);
					return false;
				}
				catch (UnsupportedOperationException ex) {
					return true;
				}
			}).runInMaster())
			.build()) {
			immutable.addAll(drain(pipeline.apply(List.of(1, 2, 3))));
		}
		assertThat(immutable).containsExactly(true, true);
	}

	@Test
	void windowOfOneGivesOneItemLists() {
		try (Pipeline<Integer, List<Integer>> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.window("w", 1, (List<Integer> w) -> w))
			.build()) {
			assertThat(drain(pipeline.apply(List.of(5, 6, 7)))).containsExactly(List.of(5), List.of(6), List.of(7));
		}
	}

	@Test
	void fewerItemsThanTheWindowGiveNoWindowAndNoCall() {
		AtomicInteger calls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.window("w", 3, (List<Integer> w) -> calls.incrementAndGet()).batchSize(2))
			.build()) {
			assertThat(drain(pipeline.apply(List.of(1, 2)))).isEmpty();
			assertThat(drain(pipeline.apply(List.of()))).isEmpty();
		}
		assertThat(calls).hasValue(0);
	}

	@Test
	void runInMasterStageRunsOnTheConsumingThreadWhenItPulls() {
		List<String> threads = new ArrayList<>();
		AtomicInteger calls = new AtomicInteger();
		Stage<Integer, Integer> inMaster = (x) -> {
			threads.add(Thread.currentThread().getName());
			calls.incrementAndGet();
			return x + 1;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.stateless("m", inMaster).batchSize(8).runInMaster())
			.build(); PipelineRun<Integer> run = pipeline.apply(range(10))) {
			assertThat(calls).hasValue(0);
			assertThat(run.next()).isEqualTo(1);
			// run in master: exactly one call per pull, batch size ignored
			assertThat(calls).hasValue(1);
			assertThat(run.next()).isEqualTo(2);
			assertThat(calls).hasValue(2);
		}
		assertThat(threads).containsOnly(Thread.currentThread().getName());
	}

	@Test
	void runInMasterStillAppliesWindows() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.window("sum", 2, (List<Integer> w) -> w.get(0) + w.get(1)).runInMaster())
			.build()) {
			assertThat(drain(pipeline.apply(List.of(1, 2, 3, 4)))).containsExactly(3, 5, 7);
		}
	}

	@Test
	void nullOutputsAreDroppedByEveryKindAndWindowsFormFromWhatRemains() {
		Stage<Integer, Integer> evensOnly = (x) -> (x % 2 == 0) ? x : null;
		for (StageSpec<Integer, Integer> dropper : List.of(StageSpec.stateful("drop", evensOnly).batchSize(3),
				StageSpec.stateless("drop", evensOnly).batchSize(3), StageSpec.stateless("drop", evensOnly).runInMaster())) {
			try (Pipeline<Integer, List<Integer>> pipeline = Pipeline.<Integer>builder("p")
				.then(dropper)
				.then(StageSpec.window("pairs", 2, (List<Integer> w) -> w).batchSize(2))
				.build()) {
				assertThat(drain(pipeline.apply(range(7)))).as(dropper.toString())
					.containsExactly(List.of(0, 2), List.of(2, 4), List.of(4, 6));
			}
		}
	}

	@Test
	void windowStageDropsNullOutputsToo() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.window("w", 2, (List<Integer> w) -> (w.get(0) % 3 == 0) ? null : w.get(0)).batchSize(4))
			.build()) {
			assertThat(drain(pipeline.apply(range(8)))).containsExactly(1, 2, 4, 5);
		}
	}

	@Test
	void nullInputsAreDroppedBeforeTheFirstStage() {
		List<Integer> inputs = new ArrayList<>(List.of(1, 2, 3));
		inputs.add(1, null);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.then(StageSpec.stateless("inc", (Integer x) -> x + 1).batchSize(2))
			.build()) {
			assertThat(drain(pipeline.apply(inputs))).containsExactly(2, 3, 4);
		}
	}

	@Test
	void aPipelineWithoutStagesPassesItsInputThrough() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p").build()) {
			assertThat(drain(pipeline.apply(range(5)))).isEqualTo(range(5));
		}
	}

	@Test
	void sequentialModeRunsEveryStageOnTheConsumingThread() {
		Set<String> threads = ConcurrentHashMap.newKeySet();
		Stage<Integer, Integer> record = (x) -> {
			threads.add(Thread.currentThread().getName());
			return x;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("p")
			.sequential()
			.then(StageSpec.stateful("a", record).batchSize(4))
			.then(StageSpec.stateless("b", record).batchSize(4))
			.then(StageSpec.window("c", 1, (List<Integer> w) -> record.apply(w.get(0))).batchSize(4))
			.build()) {
			assertThat(pipeline.stages()).allMatch(StageSpec::isRunInMaster);
			assertThat(drain(pipeline.apply(range(30)))).isEqualTo(range(30));
		}
		assertThat(threads).containsExactly(Thread.currentThread().getName());
	}

	@Test
	void defaultNCpuIsAvailableProcessorsMinusDedicatedThreadsAtLeastOne() {
		int n = Runtime.getRuntime().availableProcessors();
		Stage<Integer, Integer> identity = (x) -> x;
		Pipeline<Integer, Integer> twoStateful = Pipeline.<Integer>builder("p")
			.then(StageSpec.stateful("a", identity))
			.then(StageSpec.stateful("b", identity))
			.then(StageSpec.stateful("c", identity).runInMaster())
			.then(StageSpec.stateless("d", identity))
			.build();
		assertThat(twoStateful.nCpu()).isEqualTo(Math.max(1, n - 2));
		Pipeline.Builder<Integer, Integer> many = Pipeline.<Integer>builder("many");
		IntStream.range(0, n + 3).forEach((i) -> many.then(StageSpec.stateful("s" + i, identity)));
		assertThat(many.build().nCpu()).isEqualTo(1);
		assertThat(Pipeline.<Integer>builder("q").nCpu(7).build().nCpu()).isEqualTo(7);
	}

	@Test
	void nCpuBelowOneIsRejectedNamingThePipeline() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Pipeline.builder("jobs").nCpu(0))
			.withMessageContaining("'jobs'")
			.withMessageContaining("nCpu must be an integer of at least 1, but was '0'");
	}

	@Test
	void duplicateStageNamesAreRejected() {
		Stage<Integer, Integer> identity = (x) -> x;
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Pipeline.<Integer>builder("p")
				.then(StageSpec.stateless("a", identity))
				.then(StageSpec.stateless("a", identity)))
			.withMessageContaining("'a'");
	}

	static List<Integer> range(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	static <T> List<T> drain(PipelineRun<T> run) {
		List<T> out = new ArrayList<>();
		try (run) {
			run.forEachRemaining(out::add);
		}
		return out;
	}

}
