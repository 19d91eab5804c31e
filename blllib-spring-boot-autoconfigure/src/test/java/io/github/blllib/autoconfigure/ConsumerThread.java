package io.github.blllib.autoconfigure;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.blllib.PipelineRun;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread that consumes runs while the test looks at them, stopped after each test (after the
 * test's own {@code @AfterEach} methods, which may release a held stage). Register it with
 * {@code @RegisterExtension}.
 */
public class ConsumerThread implements AfterEachCallback {

	private final ExecutorService thread = Executors.newSingleThreadExecutor();

	/** Drains {@code run} on this thread; the future holds every output. */
	public <T> Future<List<T>> drain(PipelineRun<T> run) {
		return this.thread.submit(() -> Runs.drain(run));
	}

	@Override
	public void afterEach(ExtensionContext context) throws InterruptedException {
		this.thread.shutdownNow();
		assertThat(this.thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

}
