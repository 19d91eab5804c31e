package io.github.blllib.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for blllib: the application's Stage beans,
 * the shared worker pool, dedicated executors for stateful stages and the
 * {@link io.github.blllib.PipelineFactory} bean, whose pipelines still open are closed on
 * shutdown. Ordered after Spring Boot's task execution so that the application keeps its
 * {@code applicationTaskExecutor}.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
@EnableConfigurationProperties(BlllibProperties.class)
@Import({ BlllibConfigurations.StageCatalogConfiguration.class, BlllibConfigurations.WorkerExecutorConfiguration.class,
		BlllibConfigurations.DedicatedExecutorConfiguration.class,
		BlllibConfigurations.PipelineFactoryConfiguration.class })
public final class BlllibAutoConfiguration {

	/** Bean name of the worker pool shared by stateless and window stages. */
	public static final String WORKER_EXECUTOR_BEAN_NAME = "blllibWorkerExecutor";

	/** Bean name of the factory of dedicated executors for stateful stages. */
	public static final String DEDICATED_EXECUTOR_FACTORY_BEAN_NAME = "blllibDedicatedExecutorFactory";

}
