package io.github.blllib.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Clients of a test broker: String keys and values throughout. */
final class KafkaTestSupport {

	static final int PARTITIONS = 3;

	private final String bootstrapServers;

	KafkaTestSupport(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/** A one-node KRaft broker whose groups start without delay. */
	static EmbeddedKafkaKraftBroker startBroker() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.brokerProperty("group.min.session.timeout.ms", "1000");
		broker.brokerProperty("transaction.state.log.replication.factor", "1");
		broker.brokerProperty("transaction.state.log.min.isr", "1");
		broker.afterPropertiesSet();
		return broker;
	}

	String bootstrapServers() {
		return this.bootstrapServers;
	}

	void createTopics(String... topics) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			admin.createTopics(List.of(topics).stream().map((topic) -> new NewTopic(topic, PARTITIONS, (short) 1)).toList())
				.all()
				.get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	Map<String, Object> consumerProperties(String group) {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers);
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
		properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
		return properties;
	}

	DefaultKafkaConsumerFactory<String, String> consumerFactory(String group) {
		return new DefaultKafkaConsumerFactory<>(consumerProperties(group));
	}

	Map<String, Object> producerProperties() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers);
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
		return properties;
	}

	KafkaTemplate<String, String> template() {
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producerProperties()));
	}

	/** A transactional template; its transactional ids start with {@code prefix}. */
	KafkaTemplate<String, String> transactionalTemplate(String prefix) {
		Map<String, Object> properties = producerProperties();
		properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
		DefaultKafkaProducerFactory<String, String> factory = new DefaultKafkaProducerFactory<>(properties);
		factory.setTransactionIdPrefix(prefix);
		return new KafkaTemplate<>(factory);
	}

	/**
	 * Writes {@code perPartition} records to each partition of {@code topic}, key {@code k<p>},
	 * value {@code <p>-<n>}: on a fresh topic, record n of partition p is at offset n.
	 */
	void produce(String topic, int perPartition) {
		produce(topic, perPartition, (partition, n) -> partition + "-" + n);
	}

	void produce(String topic, int perPartition, ValueOf values) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
			for (int n = 0; n < perPartition; n++) {
				for (int partition = 0; partition < PARTITIONS; partition++) {
					producer.send(new ProducerRecord<>(topic, partition, "k" + partition, values.of(partition, n)));
				}
			}
			producer.flush();
		}
	}

	/** Every record of {@code topic} up to its end offsets now, in partition order. */
	List<ConsumerRecord<String, String>> readAll(String topic, boolean readCommitted) {
		Map<String, Object> properties = consumerProperties("reader");
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
				.mapToObj((partition) -> new TopicPartition(topic, partition))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			List<ConsumerRecord<String, String>> records = new ArrayList<>();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
			return records;
		}
	}

	/** The sum of the end offsets of {@code topic}'s partitions. */
	long endOffsets(String topic) {
		Map<String, Object> properties = consumerProperties("reader");
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			return consumer
				.endOffsets(IntStream.range(0, PARTITIONS).mapToObj((partition) -> new TopicPartition(topic, partition))
					.toList())
				.values()
				.stream()
				.mapToLong(Long::longValue)
				.sum();
		}
	}

	/** The offsets {@code group} committed for {@code topic}. */
	Map<Integer, Long> committed(String group, String topic) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(group))) {
			Set<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
				.mapToObj((partition) -> new TopicPartition(topic, partition))
				.collect(Collectors.toSet());
			Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
			Map<Integer, Long> offsets = new HashMap<>();
			committed.forEach((partition, offset) -> offsets.put(partition.partition(),
					(offset != null) ? offset.offset() : -1L));
			return offsets;
		}
	}

	/** The value of record n of a partition. */
	@FunctionalInterface
	interface ValueOf {

		String of(int partition, int n);

	}

}
