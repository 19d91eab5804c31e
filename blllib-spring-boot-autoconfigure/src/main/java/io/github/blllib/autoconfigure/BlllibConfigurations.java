package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import io.github.blllib.DeadLetterHandler;
import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineListener;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * blllib configurations imported by {@link BlllibAutoConfiguration}.
 */
class BlllibConfigurations {

	/**
	 * The application's {@link TaskDecorator} beans as Spring Boot applies them to its own
	 * executors: one as is, several composed in order, none gives null.
	 */
	static @Nullable TaskDecorator taskDecorator(ObjectProvider<TaskDecorator> taskDecorators) {
		List<TaskDecorator> decorators = taskDecorators.orderedStream().toList();
		if (decorators.size() == 1) {
			return decorators.get(0);
		}
		return (!decorators.isEmpty()) ? new CompositeTaskDecorator(decorators) : null;
	}

	@Configuration(proxyBeanMethods = false)
	static class StageCatalogConfiguration {

		@Bean
		StageCatalog blllibStageCatalog(ConfigurableListableBeanFactory beanFactory, Environment environment,
				BlllibProperties properties) {
			return new StageCatalog(beanFactory, environment, properties);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerExecutorConfiguration {

		/**
		 * Not a default candidate, so it is never the application's autowired
		 * {@link Executor} and does not switch off Boot's {@code applicationTaskExecutor}.
		 * It takes tasks until it is destroyed, after {@link OpenPipelines} has closed the
		 * pipelines, and skips the lifecycle stop: that would wait, up to a whole phase timeout,
		 * for a stage call that the bounded close gave up on. The application's task decorators
		 * wrap each drainer task as the consuming thread submits it, so context set on that thread
		 * before the run starts reaches the stage code. With Spring Boot's virtual threads on
		 * ({@code spring.threads.virtual.enabled} on Java 21+) its n-cpu threads are virtual.
		 */
		@Bean(name = BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME)
		ThreadPoolTaskExecutor blllibWorkerExecutor(StageCatalog catalog, Environment environment,
				ObjectProvider<TaskDecorator> taskDecorators, ObjectProvider<BlllibWorkerExecutorCustomizer> customizers) {
			int nCpu = catalog.nCpu();
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(nCpu);
			executor.setMaxPoolSize(nCpu);
			executor.setDaemon(true);
			executor.setThreadNamePrefix("blllib-worker-");
			executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
			executor.setAcceptTasksAfterContextClose(true);
			executor.setTaskDecorator(taskDecorator(taskDecorators));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(executor));
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DedicatedExecutorConfiguration {

		@Bean(BlllibAutoConfiguration.DEDICATED_EXECUTOR_FACTORY_BEAN_NAME)
		@ConditionalOnMissingBean
		DedicatedExecutorFactory blllibDedicatedExecutorFactory(Environment environment,
				ObjectProvider<TaskDecorator> taskDecorators) {
			return new ThreadPoolDedicatedExecutorFactory(taskDecorator(taskDecorators),
					Threading.VIRTUAL.isActive(environment));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PipelineFactoryConfiguration {

		private static final String CLOSE_TIMEOUT = "blllib.shutdown.close-timeout";

		private static final String AWAIT_TERMINATION_PERIOD = "blllib.shutdown.await-termination-period";

		@Bean
		OpenPipelines blllibOpenPipelines(BlllibProperties properties) {
			Duration closeTimeout = properties.getShutdown().getCloseTimeout();
			if (closeTimeout == null || closeTimeout.isNegative()) {
				throw BlllibConfigurationException.invalidProperty(CLOSE_TIMEOUT,
						(closeTimeout != null) ? DurationStyle.SIMPLE.print(closeTimeout) : "",
						"a duration of zero or more, such as 10s or 500ms",
						"the pipelines open at shutdown need a time of zero or more to close in");
			}
			Duration awaitTerminationPeriod = properties.getShutdown().getAwaitTerminationPeriod();
			if (awaitTerminationPeriod == null || awaitTerminationPeriod.isNegative()) {
				throw BlllibConfigurationException.invalidProperty(AWAIT_TERMINATION_PERIOD,
						(awaitTerminationPeriod != null) ? DurationStyle.SIMPLE.print(awaitTerminationPeriod) : "",
						"a duration of zero or more, such as 30s (0: close open runs at once)",
						"open runs need a time of zero or more to end on their own at shutdown");
			}
			return new OpenPipelines(closeTimeout, awaitTerminationPeriod);
		}

		@Bean
		@ConditionalOnMissingBean
		PipelineFactory blllibPipelineFactory(StageCatalog catalog, BlllibProperties properties,
				@Qualifier(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME) Executor workerExecutor,
				DedicatedExecutorFactory dedicatedExecutors, ObjectProvider<PipelineListener> listeners,
				ObjectProvider<DeadLetterHandler> deadLetterHandlers, OpenPipelines openPipelines) {
			return new StageBeanPipelineFactory(catalog, properties, workerExecutor, dedicatedExecutors, listeners,
					deadLetterHandlers, openPipelines);
		}

	}

}
