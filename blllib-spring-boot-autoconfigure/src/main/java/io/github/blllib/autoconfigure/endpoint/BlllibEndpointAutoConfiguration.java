package io.github.blllib.autoconfigure.endpoint;

import java.util.concurrent.Executor;

import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.autoconfigure.OpenPipelines;
import io.github.blllib.autoconfigure.StageCatalog;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link BlllibEndpoint}, when Actuator
 * is present and the endpoint is enabled and exposed.
 */
@AutoConfiguration(after = BlllibAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(BlllibEndpoint.class)
public final class BlllibEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ StageCatalog.class, OpenPipelines.class })
	BlllibEndpoint blllibEndpoint(StageCatalog catalog, OpenPipelines openPipelines,
			@Qualifier(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> workerPool) {
		return new BlllibEndpoint(catalog, openPipelines, workerPool.getIfAvailable());
	}

}
