package io.github.blllib;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Random per-item delays and pipelines running side by side lose, duplicate and reorder nothing. */
class OrderUnderJitterTests {

	private final ExecutorService consumers = Executors.newFixedThreadPool(4);

	@AfterEach
	void shutDown() throws InterruptedException {
		this.consumers.shutdownNow();
		assertThat(this.consumers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		Threads.assertNoBlllibThreadAlive();
	}

	@Test
	void concurrentPipelinesWithRandomDelaysKeepEveryItemInOrder() throws Exception {
		List<Future<List<Long>>> results = new ArrayList<>();
		for (int p = 0; p < 4; p++) {
			String name = "jitter" + p;
			results.add(this.consumers.submit(() -> runJittered(name, 3000)));
		}
		List<Long> expected = expected(3000);
		for (Future<List<Long>> result : results) {
			assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
		}
	}

	private static List<Long> runJittered(String name, int n) {
		try (Pipeline<Integer, Long> pipeline = Pipeline.<Integer>builder(name)
			.nCpu(3)
			.then(StageSpec.stateless("double", jittered((Integer x) -> 2L * x)).batchSize(7))
			.then(StageSpec.stateful("acc", jittered(new Stage<Long, Long>() {
				private long sum;

				@Override
				public Long apply(Long x) {
					this.sum += x;
					return this.sum;
				}
			})).batchSize(5))
			.then(StageSpec.window("diff", 2, jittered((List<Long> w) -> w.get(1) - w.get(0))).batchSize(16))
			.then(StageSpec.stateless("same", jittered((Long x) -> x)).batchSize(3))
			.build()) {
			return StageKindsTests.drain(pipeline.apply(IntStream.range(0, n).boxed().toList()));
		}
	}

	/** Difference of consecutive running sums of 2x: 2, 4, 6, ... */
	private static List<Long> expected(int n) {
		return IntStream.range(1, n).mapToObj((x) -> 2L * x).toList();
	}

	private static <I, O> Stage<I, O> jittered(Stage<I, O> stage) {
		return (x) -> {
			if (ThreadLocalRandom.current().nextInt(4) == 0) {
				LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(200_000));
			}
			return stage.apply(x);
		};
	}

}
