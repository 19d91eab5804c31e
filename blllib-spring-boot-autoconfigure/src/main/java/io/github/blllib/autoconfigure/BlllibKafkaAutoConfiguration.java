package io.github.blllib.autoconfigure;

import java.util.Comparator;

import io.github.blllib.PipelineFactory;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint;
import io.github.blllib.autoconfigure.endpoint.KafkaJobDescriptions;
import io.github.blllib.kafka.KafkaJobState;
import io.github.blllib.kafka.KafkaPipelineJob;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of blllib's Kafka jobs, when Spring Kafka
 * and {@code blllib-kafka} are on the classpath: one lifecycle bean per job of
 * {@code blllib.kafka.jobs}, over Spring Boot's {@link ConsumerFactory} and {@link KafkaTemplate};
 * the jobs' meters when there is a {@link MeterRegistry}, and their description for the
 * {@code blllib} endpoint when Actuator is present.
 */
@AutoConfiguration(after = BlllibAutoConfiguration.class,
		afterName = { "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ KafkaTemplate.class, KafkaPipelineJob.class })
@ConditionalOnBean(PipelineFactory.class)
@EnableConfigurationProperties(BlllibKafkaProperties.class)
@Import({ KafkaJobRegistrar.class, BlllibKafkaAutoConfiguration.KafkaJobMetersConfiguration.class,
		BlllibKafkaAutoConfiguration.KafkaJobDescriptionsConfiguration.class })
public final class BlllibKafkaAutoConfiguration {

	@Bean
	ConfiguredKafkaJobs blllibConfiguredKafkaJobs(BlllibKafkaProperties kafkaProperties, BlllibProperties properties,
			ObjectProvider<PipelineFactory> pipelineFactory, ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			ObjectProvider<KafkaTemplate<?, ?>> template, ObjectProvider<KafkaJobMeters> meters) {
		return new ConfiguredKafkaJobs(kafkaProperties, properties, pipelineFactory, consumerFactory, template,
				meters);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnBooleanProperty(name = "blllib.metrics.enabled", matchIfMissing = true)
	static class KafkaJobMetersConfiguration {

		@Bean
		KafkaJobMeters blllibKafkaJobMeters(MeterRegistry registry) {
			return new KafkaJobMeters(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class KafkaJobDescriptionsConfiguration {

		@Bean
		KafkaJobDescriptions blllibKafkaJobDescriptions(ObjectProvider<KafkaJobLifecycle> jobs) {
			return () -> jobs.orderedStream()
				.map(KafkaJobLifecycle::state)
				.sorted(Comparator.comparing(KafkaJobState::job))
				.map(KafkaJobDescriptionsConfiguration::describe)
				.toList();
		}

		private static BlllibEndpoint.KafkaJobDescriptor describe(KafkaJobState state) {
			return new BlllibEndpoint.KafkaJobDescriptor(state.job(), state.pipeline(), state.status().name(),
					state.uncommittedRecords(), state.commits(), state.rebalances(), state.failure(),
					state.partitions()
						.stream()
						.map((partition) -> new BlllibEndpoint.KafkaPartitionDescriptor(partition.topic(),
								partition.partition(), partition.delivered(), partition.committed()))
						.toList());
		}

	}

}
