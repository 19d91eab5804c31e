package io.github.blllib.autoconfigure;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Customizes the auto-configured worker pool shared by stateless and window stages, as Spring
 * Boot's {@code ThreadPoolTaskExecutorCustomizer} customizes its own executors. Customizer beans
 * are applied in order, after blllib's own settings and task decorators, before the pool starts.
 * With Spring Boot's virtual threads on, the pool they get already has
 * {@code setVirtualThreads(true)}: its thread name prefix still names the virtual threads, and a
 * customizer that sets a thread factory of its own makes them platform threads again.
 */
@FunctionalInterface
public interface BlllibWorkerExecutorCustomizer {

	/** Customizes the worker pool, which has not started yet. */
	void customize(ThreadPoolTaskExecutor workerExecutor);

}
