package io.github.blllib.autoconfigure.metrics;

import java.util.concurrent.Executor;

import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.micrometer.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics configurations imported by {@link BlllibMetricsAutoConfiguration}.
 */
class BlllibMetricsConfigurations {

	/** Spring Boot's auto-configuration that binds {@code ThreadPoolTaskExecutor} beans to executor metrics. */
	static final String TASK_EXECUTOR_METRICS_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration";

	/**
	 * The per-stage meters of every pipeline the factory builds, bound by blllib-micrometer's
	 * {@link PipelineMetrics}, a {@link io.github.blllib.PipelineListener} bean.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(PipelineMetrics.class)
	@ConditionalOnBooleanProperty(name = "blllib.metrics.enabled", matchIfMissing = true)
	static class StageMetersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PipelineMetrics blllibPipelineMetrics(MeterRegistry registry) {
			return new PipelineMetrics(registry);
		}

	}

	/**
	 * The worker pool's executor metrics: named by Spring Boot's task executor metrics when they
	 * are active (they bind the pool under its bean name), bound here otherwise.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(name = BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME)
	static class WorkerPoolMetricsConfiguration {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(type = TASK_EXECUTOR_METRICS_AUTO_CONFIGURATION)
		static class BoundByBootConfiguration {

			@Bean
			static MeterFilter blllibWorkerPoolMeterFilter() {
				return new WorkerPoolMeterFilter();
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingBean(type = TASK_EXECUTOR_METRICS_AUTO_CONFIGURATION)
		static class BoundHereConfiguration {

			@Bean
			WorkerPoolMetrics blllibWorkerPoolMetrics(MeterRegistry registry,
					@Qualifier(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME) Executor workerPool) {
				return new WorkerPoolMetrics(registry, workerPool);
			}

		}

	}

}
