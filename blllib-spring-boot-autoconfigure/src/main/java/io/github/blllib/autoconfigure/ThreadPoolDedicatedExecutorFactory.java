package io.github.blllib.autoconfigure;

import java.util.concurrent.ExecutorService;

import io.github.blllib.DedicatedExecutorFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Opens a single-thread {@link ThreadPoolTaskExecutor} (daemon, named
 * {@code blllib-<pipeline>-<stage>-1}, or a virtual thread named {@code blllib-<pipeline>-<stage>-0}
 * when Spring Boot's virtual threads are on) for a stateful stage. The thread lives for one run: the
 * engine shuts the executor down when the run ends, so a pipeline holds no dedicated thread
 * between runs. The task decorator, if any, wraps the stage's task as the consuming thread
 * submits it, so context set on that thread before the run starts reaches the stage code.
 */
final class ThreadPoolDedicatedExecutorFactory implements DedicatedExecutorFactory {

	private final @Nullable TaskDecorator taskDecorator;

	private final boolean virtualThreads;

	ThreadPoolDedicatedExecutorFactory(@Nullable TaskDecorator taskDecorator, boolean virtualThreads) {
		this.taskDecorator = taskDecorator;
		this.virtualThreads = virtualThreads;
	}

	@Override
	public ExecutorService open(String pipeline, String stage) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(1);
		executor.setMaxPoolSize(1);
		executor.setDaemon(true);
		executor.setThreadNamePrefix("blllib-" + pipeline + "-" + stage + "-");
		executor.setVirtualThreads(this.virtualThreads);
		executor.setTaskDecorator(this.taskDecorator);
		executor.initialize();
		return executor.getThreadPoolExecutor();
	}

}
