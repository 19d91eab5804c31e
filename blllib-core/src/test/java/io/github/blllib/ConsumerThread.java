package io.github.blllib;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread, other than the test's, to consume runs on while the test watches them; after each
 * test (after its own {@code @AfterEach} methods, which may release a held stage) it is stopped
 * and, unless made {@link #withoutThreadCheck()}, no {@code blllib-} thread may be left alive.
 * Register it with {@code @RegisterExtension}.
 * Shared with the other modules' tests through blllib-core's test jar.
 */
public final class ConsumerThread implements AfterEachCallback {

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	/** Whether no {@code blllib-} thread may be alive after each test. */
	private final boolean checksThreads;

	/** A consumer thread after which no {@code blllib-} thread may be left alive. */
	public ConsumerThread() {
		this(true);
	}

	private ConsumerThread(boolean checksThreads) {
		this.checksThreads = checksThreads;
	}

	/**
	 * A consumer thread that does not check other threads: for tests whose application context
	 * owns {@code blllib-} threads (its worker pool) that outlive the test method.
	 */
	public static ConsumerThread withoutThreadCheck() {
		return new ConsumerThread(false);
	}

	public <T> Future<T> submit(Callable<T> task) {
		return this.executor.submit(task);
	}

	public Future<?> submit(Runnable task) {
		return this.executor.submit(task);
	}

	/** Drains {@code run} on this thread and closes it; the future holds every output, in order. */
	public <T> Future<List<T>> drain(PipelineRun<T> run) {
		return this.executor.submit(() -> {
			try (run) {
				List<T> outputs = new ArrayList<>();
				run.forEachRemaining(outputs::add);
				return outputs;
			}
		});
	}

	/** Interrupts the consuming thread. */
	public void interrupt() {
		this.executor.shutdownNow();
	}

	@Override
	public void afterEach(ExtensionContext context) throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		if (this.checksThreads) {
			Threads.assertNoBlllibThreadAlive();
		}
	}

}
