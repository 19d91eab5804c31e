package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.KafkaJobDescriptor;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.KafkaPartitionDescriptor;
import io.github.blllib.kafka.KafkaPipelineJob;
import io.github.blllib.kafka.KafkaPipelineJobMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job of {@code blllib.kafka.jobs} run by the starter against an embedded KRaft broker: its
 * outputs reach the output topic, skipped items the dead-letter topic with Spring Kafka's
 * headers, and the endpoint and meters show its partitions, commits and what is not committed.
 */
class KafkaJobOnBrokerTests {

	private static final int PARTITIONS = 3;

	private static final int RECORDS = 30;

	private static final String POISON = "poison";

	private static EmbeddedKafkaKraftBroker broker;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				KafkaAutoConfiguration.class, BlllibKafkaAutoConfiguration.class,
				BlllibEndpointAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("blllib.n-cpu=2", "management.endpoints.web.exposure.include=blllib",
				"spring.kafka.consumer.auto-offset-reset=earliest", "spring.kafka.consumer.group-id=orders-group",
				"blllib.pipelines.enrich.stages=checked,upper", "blllib.stages.checked.on-failure=skip",
				"blllib.stages.upper.stateful=false", "blllib.stages.upper.batch-size=4",
				"blllib.kafka.jobs.orders.topics=orders", "blllib.kafka.jobs.orders.pipeline=enrich",
				"blllib.kafka.jobs.orders.output-topic=enriched", "blllib.kafka.jobs.orders.read-ahead=8",
				"blllib.kafka.jobs.orders.poll-timeout=50ms", "blllib.kafka.jobs.orders.idle-timeout=300ms",
				"blllib.kafka.jobs.orders.close-timeout=10s");

	@BeforeAll
	static void startBroker() {
		broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, "orders", "enriched", "orders-dlt");
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.afterPropertiesSet();
	}

	@AfterAll
	static void stopBroker() {
		broker.destroy();
	}

	@Test
	void jobShouldSendOutputsAndDeadLettersAndShowItsCommittedPartitions() {
		List<String> values = IntStream.range(0, RECORDS)
			.mapToObj((n) -> (n == 7) ? POISON : "order-" + n)
			.toList();
		produce("orders", values);
		this.contextRunner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.getBrokersAsString())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KafkaPipelineJob started = context.getBean(KafkaJobLifecycle.class).started();
				assertThat(started.readAhead()).isEqualTo(8);
				assertThat(started.pollTimeout()).isEqualTo(Duration.ofMillis(50));
				assertThat(started.idleTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(started.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
				List<ConsumerRecord<String, String>> outputs = awaitRecords("enriched", RECORDS - 1);
				assertThat(outputs).extracting(ConsumerRecord::value)
					.containsExactlyInAnyOrderElementsOf(values.stream()
						.filter((value) -> !value.equals(POISON))
						.map(String::toUpperCase)
						.toList());
				ConsumerRecord<String, String> deadLetter = awaitRecords("orders-dlt", 1).get(0);
				assertThat(deadLetter.value()).isEqualTo(POISON);
				assertThat(deadLetter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC).value())
					.asString()
					.isEqualTo("orders");
				BlllibEndpoint endpoint = context.getBean(BlllibEndpoint.class);
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					KafkaJobDescriptor job = endpoint.blllib().kafkaJobs().get(0);
					assertThat(job.status()).isEqualTo("RUNNING");
					assertThat(job.pipeline()).isEqualTo("enrich");
					assertThat(job.uncommittedRecords()).isZero();
					assertThat(job.partitions()).extracting(KafkaPartitionDescriptor::partition)
						.containsExactly(0, 1, 2);
					assertThat(job.partitions().stream().mapToLong(KafkaPartitionDescriptor::committed).sum())
						.isEqualTo(RECORDS);
					assertThat(job.partitions())
						.allSatisfy((partition) -> assertThat(partition.delivered()).isEqualTo(partition.committed()));
				});
				assertThat(endpoint.blllib().pipelines()).extracting(BlllibEndpoint.PipelineDescriptor::name)
					.contains("enrich");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(KafkaPipelineJobMetrics.COMMITS).tag("job", "orders").functionCounter().count())
					.isPositive();
				assertThat(registry.get(KafkaPipelineJobMetrics.UNCOMMITTED).tag("job", "orders").gauge().value())
					.isZero();
				context.stop();
				assertThat(context.getBean(KafkaJobLifecycle.class).isRunning()).isFalse();
				assertThat(endpoint.blllib().kafkaJobs().get(0).status()).isEqualTo("STOPPED");
			});
	}

	private static void produce(String topic, List<String> values) {
		Map<String, Object> properties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			for (int n = 0; n < values.size(); n++) {
				producer.send(new ProducerRecord<>(topic, n % PARTITIONS, "k" + n, values.get(n)));
			}
		}
	}

	/** The first {@code count} records of {@code topic}, read from its beginning. */
	private static List<ConsumerRecord<String, String>> awaitRecords(String topic, int count) {
		Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			consumer.assign(IntStream.range(0, PARTITIONS).mapToObj((p) -> new TopicPartition(topic, p)).toList());
			await().atMost(Duration.ofSeconds(60))
				.until(() -> {
					consumer.poll(Duration.ofMillis(200)).forEach(records::add);
					return records.size() >= count;
				});
		}
		return records;
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		Stage<String, String> checked() {
			return (value) -> {
				if (value.equals(POISON)) {
					throw new IllegalArgumentException("cannot enrich " + value);
				}
				return value;
			};
		}

		@Bean
		Stage<String, String> upper() {
			return String::toUpperCase;
		}

	}

}
