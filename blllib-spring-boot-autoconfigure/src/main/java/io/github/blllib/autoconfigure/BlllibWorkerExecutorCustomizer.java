package io.github.blllib.autoconfigure;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Customizes the auto-configured worker pool shared by stateless and window stages, as Spring
 * Boot's {@code ThreadPoolTaskExecutorCustomizer} customizes its own executors. Customizer beans
 * are applied in order, after blllib's own settings and task decorators, before the pool starts.
 */
@FunctionalInterface
public interface BlllibWorkerExecutorCustomizer {

	/** Customizes the worker pool, which has not started yet. */
	void customize(ThreadPoolTaskExecutor workerExecutor);

}
