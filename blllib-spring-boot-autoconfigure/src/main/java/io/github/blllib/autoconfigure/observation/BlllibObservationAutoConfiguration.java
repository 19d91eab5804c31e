package io.github.blllib.autoconfigure.observation;

import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of an observation of every run of the
 * pipelines the {@link io.github.blllib.PipelineFactory} builds, through a
 * {@link PipelineRunObservations} bean, when there is an {@link ObservationRegistry} bean, unless
 * {@code blllib.observations.enabled=false}. Ordered after Spring Boot's observation
 * auto-configuration, which defines the registry.
 */
@AutoConfiguration(after = BlllibAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "blllib.observations.enabled", matchIfMissing = true)
public final class BlllibObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PipelineRunObservations blllibPipelineRunObservations(ObservationRegistry observationRegistry) {
		return new PipelineRunObservations(observationRegistry);
	}

}
