package io.github.blllib.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

import io.github.blllib.Pipeline;
import io.github.blllib.StageSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Bad settings fail {@code build()} naming the setting; no broker needed. */
class KafkaPipelineJobSettingsTest {

	private final KafkaTestSupport kafka = new KafkaTestSupport("localhost:1");

	private final Pipeline<String, String> pipeline = Pipeline.<String>builder("settings")
		.then(StageSpec.stateless("same", (String value) -> value))
		.build();

	private KafkaPipelineJob.Builder valid() {
		return KafkaPipelineJob.builder("job")
			.consumerFactory(this.kafka.consumerFactory("group"))
			.topics("in")
			.pipeline(this.pipeline)
			.outputTopic(this.kafka.template(), "out");
	}

	@Test
	void noTopicIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().topics().build())
			.withMessageContaining("Kafka job 'job': topics must name at least one topic");
	}

	@Test
	void aBlankTopicIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().topics("in", " ").build())
			.withMessageContaining("topics must name at least one topic, and no blank one");
	}

	@Test
	void aMissingPipelineIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KafkaPipelineJob.builder("job")
				.consumerFactory(this.kafka.consumerFactory("group"))
				.topics("in")
				.outputTopic(this.kafka.template(), "out")
				.build())
			.withMessageContaining("a pipeline is required");
	}

	@Test
	void aMissingSinkIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KafkaPipelineJob.builder("job")
				.consumerFactory(this.kafka.consumerFactory("group"))
				.topics("in")
				.pipeline(this.pipeline)
				.build())
			.withMessageContaining("an output topic or a sink is required");
	}

	@Test
	void aConsumerFactoryWithoutGroupNeedsAGroupId() {
		Map<String, Object> properties = this.kafka.consumerProperties("group");
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> valid().consumerFactory(new DefaultKafkaConsumerFactory<>(properties)).build())
			.withMessageContaining("a consumer group is required: set group.id");
		assertThat(valid().consumerFactory(new DefaultKafkaConsumerFactory<>(properties)).groupId("mine").build())
			.isNotNull();
	}

	@Test
	void aTransactionalJobNeedsATransactionalTemplate() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().transactional(true).build())
			.withMessageContaining("transactional=true needs an output topic written through a transactional "
					+ "KafkaTemplate");
	}

	@Test
	void aTransactionalJobCannotHaveAFunctionSink() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> valid().<String>sink((value) -> null).transactional(true).build())
			.withMessageContaining("transactional=true needs an output topic");
	}

	@Test
	void readAheadBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().readAhead(0).build())
			.withMessageContaining("readAhead must be at least 1, but was 0");
	}

	@Test
	void timeoutsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> valid().pollTimeout(Duration.ZERO).build())
			.withMessageContaining("pollTimeout must be positive, but was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> valid().idleTimeout(Duration.ofMillis(-1)).build())
			.withMessageContaining("idleTimeout must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> valid().closeTimeout(null).build())
			.withMessageContaining("closeTimeout must be positive");
	}

	@Test
	void aBadJobNameIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaPipelineJob.builder("no spaces"))
			.withMessageContaining("Kafka job name must be letters, digits");
	}

	@Test
	void aNewJobShowsItsStateAndMeters() {
		KafkaPipelineJob job = valid().build();
		assertThat(job.state().status()).isEqualTo(KafkaJobState.Status.NEW);
		assertThat(job.state().partitions()).isEmpty();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new KafkaPipelineJobMetrics(job).bindTo(registry);
		assertThat(registry.get(KafkaPipelineJobMetrics.UNCOMMITTED).tag("job", "job").gauge().value()).isZero();
		assertThat(registry.get(KafkaPipelineJobMetrics.COMMITS).tag("job", "job").functionCounter().count()).isZero();
		assertThat(registry.get(KafkaPipelineJobMetrics.REBALANCES).tag("job", "job").functionCounter().count())
			.isZero();
	}

}
