package io.github.blllib.demo.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.KafkaJobDescriptor;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.KafkaPartitionDescriptor;
import io.github.blllib.autoconfigure.endpoint.KafkaJobDescriptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's Kafka job as its one command starts it (profile {@code kafka}, no
 * {@code spring.kafka.bootstrap-servers}): the embedded broker starts, the feed writes the
 * orders, and every order arrives priced on the output topic, each customer's in order, with
 * every offset committed.
 */
@SpringBootTest(properties = { "demo.kafka.orders=300", "demo.kafka.price-latency=1ms",
		"demo.progress-interval=100ms" })
@ActiveProfiles(KafkaDemo.PROFILE)
class KafkaDemoTests {

	private static final int ORDERS = 300;

	@Autowired
	private Environment environment;

	@Autowired
	private EmbeddedKafkaKraftBroker broker;

	@Autowired
	private KafkaJobDescriptions jobs;

	@Test
	void bootstrapServersShouldPointAtTheEmbeddedBroker() {
		assertThat(this.environment.getProperty(EmbeddedKafkaInitializer.BOOTSTRAP_SERVERS))
			.isEqualTo(this.broker.getBrokersAsString());
	}

	@Test
	void everyOrderShouldArrivePricedOnTheOutputTopicInEachCustomersOrder() {
		List<ConsumerRecord<String, String>> outputs = read(KafkaDemo.PRICED_TOPIC, ORDERS);
		assertThat(outputs).extracting(ConsumerRecord::value)
			.containsExactlyInAnyOrderElementsOf(IntStream.range(0, ORDERS)
				.mapToObj((n) -> OrderLabel.label(PriceLookup.priced(KafkaDemo.order(n))))
				.toList());
		Map<String, List<Integer>> ordersByCustomer = outputs.stream()
			.collect(Collectors.groupingBy(ConsumerRecord::key,
					Collectors.mapping((output) -> orderNumber(output.value()), Collectors.toList())));
		assertThat(ordersByCustomer).hasSize(10)
			.allSatisfy((customer, numbers) -> assertThat(numbers).isSortedAccordingTo(Comparator.naturalOrder()));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			KafkaJobDescriptor job = this.jobs.describe().get(0);
			assertThat(job.status()).isEqualTo("RUNNING");
			assertThat(job.partitions().stream().mapToLong(KafkaPartitionDescriptor::committed).sum())
				.isEqualTo(ORDERS);
		});
	}

	/** The order number in an output: "PRICED ORDER-17 AMOUNT=117 PRICE=140" is 17. */
	private static int orderNumber(String output) {
		return Integer.parseInt(output.substring("PRICED ORDER-".length(), output.indexOf(' ', "PRICED ".length())));
	}

	private List<ConsumerRecord<String, String>> read(String topic, int count) {
		Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.broker.getBrokersAsString(), ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				StringDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			consumer.assign(IntStream.range(0, KafkaDemo.PARTITIONS)
				.mapToObj((partition) -> new TopicPartition(topic, partition))
				.toList());
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= count;
			});
		}
		return records;
	}

}
