package io.github.blllib.autoconfigure.metrics;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import io.github.blllib.micrometer.BlllibMeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Binds the shared worker pool with Micrometer's {@link ExecutorServiceMetrics}
 * ({@code executor.*}, tag {@code name=}{@value BlllibMeterNames#WORKER_POOL_NAME}) when Spring
 * Boot's task executor metrics do not bind it. Binds once every singleton exists, so that the
 * pool is initialised.
 */
final class WorkerPoolMetrics implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(WorkerPoolMetrics.class);

	private final MeterRegistry registry;

	private final Executor workerPool;

	WorkerPoolMetrics(MeterRegistry registry, Executor workerPool) {
		this.registry = registry;
		this.workerPool = workerPool;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ExecutorService executorService = executorService();
		if (executorService == null) {
			logger.debug("The blllib worker pool is neither an initialised ThreadPoolTaskExecutor nor an ExecutorService; "
					+ "it is not bound to executor metrics");
			return;
		}
		new ExecutorServiceMetrics(executorService, BlllibMeterNames.WORKER_POOL_NAME, List.of()).bindTo(this.registry);
	}

	private ExecutorService executorService() {
		if (this.workerPool instanceof ThreadPoolTaskExecutor threadPoolTaskExecutor) {
			try {
				return threadPoolTaskExecutor.getThreadPoolExecutor();
			}
			catch (IllegalStateException ex) {
				return null;
			}
		}
		return (this.workerPool instanceof ExecutorService executorService) ? executorService : null;
	}

}
