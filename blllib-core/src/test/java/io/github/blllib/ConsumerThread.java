package io.github.blllib;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread, other than the test's, to consume a run on while the test watches it; after each
 * test it is stopped and no {@code blllib-} thread may be left alive.
 */
final class ConsumerThread implements AfterEachCallback {

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	<T> Future<T> submit(Callable<T> task) {
		return this.executor.submit(task);
	}

	Future<?> submit(Runnable task) {
		return this.executor.submit(task);
	}

	/** Interrupts the consuming thread. */
	void interrupt() {
		this.executor.shutdownNow();
	}

	@Override
	public void afterEach(ExtensionContext context) throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		Threads.assertNoBlllibThreadAlive();
	}

}
