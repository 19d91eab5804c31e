package io.github.blllib.autoconfigure;

import java.util.concurrent.Executor;

import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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

		@Bean
		@ConditionalOnMissingBean
		OpenPipelines blllibOpenPipelines() {
			return new OpenPipelines();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerExecutorConfiguration {

		/**
		 * Not a default candidate, so it is never the application's autowired
		 * {@link Executor} and does not switch off Boot's {@code applicationTaskExecutor}.
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
