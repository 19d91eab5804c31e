package io.github.blllib;

import java.time.Duration;
import java.util.List;

import org.awaitility.core.ConditionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Thread accounting for tests: which {@code blllib-} threads are alive. */
final class Threads {

	private Threads() {
	}

	static List<String> liveBlllibThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("blllib-"))
			.sorted()
			.toList();
	}

	/**
	 * Waits until a pipeline's run has released its threads: no dedicated stage thread is alive
	 * and no thread runs a stage; only the pipeline's idle worker pool, which lives until the
	 * pipeline is closed, may remain.
	 */
	static void assertRunThreadsReleased(Pipeline<?, ?> pipeline) {
		String workers = "blllib-" + pipeline.name() + "-worker-";
		awaitThreads().untilAsserted(() -> {
			assertThat(liveBlllibThreads()).as("live blllib threads other than idle workers")
				.allMatch((name) -> name.startsWith(workers));
			assertThat(pipeline.statistics()).allMatch((stage) -> stage.activeThreads() == 0);
		});
	}

	/** Waits until no blllib thread is alive; fails naming the survivors otherwise. */
	static void assertNoBlllibThreadAlive() {
		awaitThreads().untilAsserted(() -> assertThat(liveBlllibThreads()).as("live blllib threads").isEmpty());
	}

	/**
	 * Checks at once, then every few milliseconds: threads usually end before the check, and
	 * Awaitility's default first delay of 100 ms would dominate suites that check after every run.
	 */
	private static ConditionFactory awaitThreads() {
		return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
	}

}
