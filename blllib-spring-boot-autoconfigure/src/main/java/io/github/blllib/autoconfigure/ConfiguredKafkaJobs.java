package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.RelaxedNames;
import io.github.blllib.kafka.KafkaDeadLetters;
import io.github.blllib.kafka.KafkaPipelineJob;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Makes the lifecycle bean of each job of {@code blllib.kafka.jobs} from its properties, over
 * Spring Boot's {@link ConsumerFactory} and {@link KafkaTemplate}. Every value is checked when
 * the bean is made, so that a bad one fails start-up naming its key: Boot's
 * {@link InvalidConfigurationPropertyValueException} for a value set, a
 * {@link BlllibConfigurationException} for one missing.
 */
final class ConfiguredKafkaJobs {

	private static final String JOBS = "blllib.kafka.jobs";

	private final BlllibKafkaProperties kafkaProperties;

	private final BlllibProperties properties;

	private final ObjectProvider<PipelineFactory> pipelineFactory;

	private final ObjectProvider<ConsumerFactory<?, ?>> consumerFactory;

	private final ObjectProvider<KafkaTemplate<?, ?>> template;

	private final ObjectProvider<KafkaJobMeters> meters;

	ConfiguredKafkaJobs(BlllibKafkaProperties kafkaProperties, BlllibProperties properties,
			ObjectProvider<PipelineFactory> pipelineFactory, ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			ObjectProvider<KafkaTemplate<?, ?>> template, ObjectProvider<KafkaJobMeters> meters) {
		this.kafkaProperties = kafkaProperties;
		this.properties = properties;
		this.pipelineFactory = pipelineFactory;
		this.consumerFactory = consumerFactory;
		this.template = template;
		this.meters = meters;
	}

	/** The lifecycle bean of job {@code job}, its properties checked. */
	KafkaJobLifecycle lifecycle(String job) {
		BlllibKafkaProperties.Job settings = this.kafkaProperties.getJobs().get(job);
		String prefix = JOBS + "." + job + ".";
		try {
			KafkaPipelineJob.builder(job);
		}
		catch (IllegalArgumentException ex) {
			throw BlllibConfigurationException.invalidValue(JOBS, job, "job names of letters, digits, '.', '_' or '-'",
					ex.getMessage());
		}
		List<String> topics = checkedTopics(prefix + "topics", settings.getTopics());
		String pipelineName = checkedPipeline(prefix + "pipeline", settings.getPipeline());
		String outputTopic = settings.getOutputTopic();
		if (outputTopic == null || outputTopic.isBlank()) {
			throw missing(prefix + "output-topic", outputTopic, "a topic name",
					"job '" + job + "' needs a topic to send its outputs to");
		}
		if (settings.getDeadLetterTopic() != null && settings.getDeadLetterTopic().isBlank()) {
			throw invalid(prefix + "dead-letter-topic", settings.getDeadLetterTopic(),
					"a topic name, or no value for '<topic>-dlt'");
		}
		ConsumerFactory<?, ?> consumers = this.consumerFactory.getIfUnique();
		KafkaTemplate<?, ?> producer = this.template.getIfUnique();
		if (consumers == null || producer == null) {
			throw new IllegalStateException("Kafka job '" + job + "' needs one ConsumerFactory bean and one KafkaTemplate "
					+ "bean (Spring Boot's Kafka auto-configuration makes them from spring.kafka.*), but found "
					+ ((consumers == null) ? "no single ConsumerFactory" : "no single KafkaTemplate"));
		}
		checkGroupId(prefix + "group-id", settings.getGroupId(), consumers);
		checkTransactional(prefix + "transactional", settings.isTransactional(), producer);
		if (settings.getReadAhead() != null && settings.getReadAhead() < 1) {
			throw invalid(prefix + "read-ahead", settings.getReadAhead(), "a number of records, at least 1");
		}
		checkPositive(prefix + "poll-timeout", settings.getPollTimeout());
		checkPositive(prefix + "idle-timeout", settings.getIdleTimeout());
		checkPositive(prefix + "close-timeout", settings.getCloseTimeout());
		Supplier<Pipeline<?, ?>> pipelines = () -> newPipeline(pipelineName);
		Function<Pipeline<?, ?>, KafkaPipelineJob> jobs = (pipeline) -> {
			KafkaPipelineJob.Builder builder = KafkaPipelineJob.builder(job)
				.topics(topics)
				.consumerFactory(consumers)
				.pipeline(pipeline)
				.outputTopic(producer, outputTopic)
				.deadLetterTopic(settings.getDeadLetterTopic())
				.transactional(settings.isTransactional());
			if (settings.getGroupId() != null) {
				builder.groupId(settings.getGroupId());
			}
			if (settings.getReadAhead() != null) {
				builder.readAhead(settings.getReadAhead());
			}
			if (settings.getPollTimeout() != null) {
				builder.pollTimeout(settings.getPollTimeout());
			}
			if (settings.getIdleTimeout() != null) {
				builder.idleTimeout(settings.getIdleTimeout());
			}
			if (settings.getCloseTimeout() != null) {
				builder.closeTimeout(settings.getCloseTimeout());
			}
			return builder.build();
		};
		return new KafkaJobLifecycle(job, pipelineName, settings.isAutoStartup(), pipelines, jobs,
				(started) -> this.meters.ifAvailable((meters) -> meters.bind(started)));
	}

	/**
	 * The configured pipeline; its skipped items go to the job's dead-letter topic. A factory of
	 * the application's own builds it as it likes: it should build it with
	 * {@link KafkaDeadLetters#handler()}.
	 */
	private Pipeline<?, ?> newPipeline(String pipelineName) {
		PipelineFactory factory = this.pipelineFactory.getObject();
		if (factory instanceof StageBeanPipelineFactory stageBeans) {
			return stageBeans.createConfigured(pipelineName, KafkaDeadLetters.handler());
		}
		return factory.create(pipelineName);
	}

	private static List<String> checkedTopics(String property, List<String> topics) {
		if (topics.isEmpty()) {
			throw missing(property, "", "a comma-separated list of topic names",
					"the job needs at least one topic to read");
		}
		if (topics.stream().anyMatch((topic) -> topic == null || topic.isBlank())) {
			throw invalid(property, String.join(",", topics), "topic names, none blank");
		}
		return List.copyOf(topics);
	}

	private String checkedPipeline(String property, String pipeline) {
		String known = StageBeanPipelineFactory.describePipelines(this.properties);
		if (pipeline == null || pipeline.isBlank()) {
			throw missing(property, (pipeline != null) ? pipeline : "", "the name of a pipeline of blllib.pipelines: " + known,
					"the job needs a pipeline to run the record values through");
		}
		if (this.pipelineFactory.getIfUnique() instanceof StageBeanPipelineFactory
				&& RelaxedNames.find(pipeline, this.properties.getPipelines().keySet()).isEmpty()) {
			throw invalid(property, pipeline, "no pipeline of that name is declared under blllib.pipelines. "
					+ "Allowed values: the name of a pipeline of blllib.pipelines: " + known);
		}
		return pipeline;
	}

	private static void checkGroupId(String property, String groupId, ConsumerFactory<?, ?> consumers) {
		if (groupId != null && groupId.isBlank()) {
			throw invalid(property, groupId, "a consumer group name, or no value for spring.kafka.consumer.group-id");
		}
		Object configured = consumers.getConfigurationProperties().get(ConsumerConfig.GROUP_ID_CONFIG);
		if (groupId == null && (configured == null || configured.toString().isBlank())) {
			throw missing(property, "", "a consumer group name (here or in spring.kafka.consumer.group-id)",
					"the job commits its offsets for a consumer group, and neither " + property
							+ " nor spring.kafka.consumer.group-id names one");
		}
	}

	private static void checkPositive(String property, Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			throw invalid(property, duration, "a positive duration, such as 100ms or 2s");
		}
	}

	private static void checkTransactional(String property, boolean transactional, KafkaTemplate<?, ?> template) {
		if (transactional && !template.isTransactional()) {
			throw invalid(property, true, "the KafkaTemplate is not transactional: set "
					+ "spring.kafka.producer.transaction-id-prefix, or set " + property + "=false");
		}
		if (!transactional && template.isTransactional() && !template.isAllowNonTransactional()) {
			throw invalid(property, false, "the KafkaTemplate is transactional "
					+ "(spring.kafka.producer.transaction-id-prefix) and sends only in a transaction: set " + property
					+ "=true");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(ConfigurationPropertyName.adapt(property, '.').toString(),
				value, reason);
	}

	private static BlllibConfigurationException missing(String property, Object value, String allowedValues,
			String reason) {
		return BlllibConfigurationException.invalidValue(property, value, allowedValues, reason);
	}

}
