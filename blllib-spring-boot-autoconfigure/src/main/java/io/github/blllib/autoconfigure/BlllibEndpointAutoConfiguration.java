package io.github.blllib.autoconfigure;

import java.util.List;
import java.util.concurrent.Executor;

import io.github.blllib.PipelineFactory;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint;
import io.github.blllib.autoconfigure.endpoint.KafkaJobDescriptions;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link BlllibEndpoint}, when Actuator
 * is present and the endpoint is enabled and exposed. It lives beside {@link OpenPipelines} so
 * that it can hand the endpoint a read-only view of them; the Kafka jobs come from a
 * {@link KafkaJobDescriptions} bean, when there is one.
 */
@AutoConfiguration(after = { BlllibAutoConfiguration.class, BlllibKafkaAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(BlllibEndpoint.class)
public final class BlllibEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(PipelineFactory.class)
	@ConditionalOnBean(OpenPipelines.class)
	BlllibEndpoint blllibEndpoint(PipelineFactory pipelineFactory, BeanFactory beanFactory, OpenPipelines openPipelines,
			@Qualifier(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> workerPool,
			Environment environment, ObjectProvider<KafkaJobDescriptions> kafkaJobs) {
		return new BlllibEndpoint(pipelineFactory, beanFactory, openPipelines::list, workerPool.getIfAvailable(),
				Threading.VIRTUAL.isActive(environment), kafkaJobs.getIfAvailable(() -> List::of));
	}

}
