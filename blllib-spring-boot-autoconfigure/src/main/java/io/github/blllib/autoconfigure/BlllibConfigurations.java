package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executor;

import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * blllib configurations imported by {@link BlllibAutoConfiguration}.
 */
class BlllibConfigurations {

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
		 * for a stage call that the bounded close gave up on.
		 */
		@Bean(name = BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME)
		ThreadPoolTaskExecutor blllibWorkerExecutor(StageCatalog catalog) {
			int nCpu = catalog.nCpu();
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(nCpu);
			executor.setMaxPoolSize(nCpu);
			executor.setDaemon(true);
			executor.setThreadNamePrefix("blllib-worker-");
			executor.setAcceptTasksAfterContextClose(true);
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DedicatedExecutorConfiguration {

		@Bean(BlllibAutoConfiguration.DEDICATED_EXECUTOR_FACTORY_BEAN_NAME)
		@ConditionalOnMissingBean
		DedicatedExecutorFactory blllibDedicatedExecutorFactory() {
			return new ThreadPoolDedicatedExecutorFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PipelineFactoryConfiguration {

		private static final String CLOSE_TIMEOUT = "blllib.shutdown.close-timeout";

		@Bean
		OpenPipelines blllibOpenPipelines(BlllibProperties properties) {
			Duration closeTimeout = properties.getShutdown().getCloseTimeout();
			if (closeTimeout == null || closeTimeout.isNegative()) {
				throw BlllibConfigurationException.invalidValue(CLOSE_TIMEOUT,
						(closeTimeout != null) ? DurationStyle.SIMPLE.print(closeTimeout) : "",
						"a duration of zero or more, such as 10s or 500ms",
						"the pipelines open at shutdown need a time of zero or more to close in");
			}
			return new OpenPipelines(closeTimeout);
		}

		@Bean
		@ConditionalOnMissingBean
		PipelineFactory blllibPipelineFactory(StageCatalog catalog, BlllibProperties properties,
				@Qualifier(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME) Executor workerExecutor,
				DedicatedExecutorFactory dedicatedExecutors, ObjectProvider<PipelineListener> listeners,
				OpenPipelines openPipelines) {
			return new StageBeanPipelineFactory(catalog, properties, workerExecutor, dedicatedExecutors, listeners,
					openPipelines);
		}

	}

}
