package io.github.blllib.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
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
final class KafkaTestSupport implements AutoCloseable {

	static final int PARTITIONS = 3;

	private final String bootstrapServers;

	private Admin admin;

	KafkaTestSupport(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/** A one-node KRaft broker whose groups start without delay. */
	static EmbeddedKafkaKraftBroker startBroker() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.brokerProperty("group.min.session.timeout.ms", "1000");
		// groups of group.protocol=consumer (KIP-848) hear of a new assignment at their next heartbeat
		broker.brokerProperty("group.consumer.min.heartbeat.interval.ms", "500");
		broker.brokerProperty("group.consumer.heartbeat.interval.ms", "500");
		broker.brokerProperty("transaction.state.log.replication.factor", "1");
		broker.brokerProperty("transaction.state.log.min.isr", "1");
		broker.afterPropertiesSet();
		return broker;
	}

	String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * Creates {@code topics} and returns once each partition's leader serves it: a producer that
	 * writes sooner gets NOT_LEADER_OR_FOLLOWER, and its idempotent retries could then be refused
	 * for good with OUT_OF_ORDER_SEQUENCE_NUMBER (listing offsets retries until the leader serves).
	 */
	void createTopics(String... topics) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			admin.createTopics(List.of(topics).stream().map((topic) -> new NewTopic(topic, PARTITIONS, (short) 1)).toList())
				.all()
				.get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
		List.of(topics).forEach(this::endOffsetsByPartition);
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

	/**
	 * The properties of a consumer of {@code group} with the rebalance {@code protocol} settings
	 * on top; under {@code group.protocol=consumer} (KIP-848) the broker owns the session timeout
	 * and heartbeat interval, which the client may not set.
	 */
	Map<String, Object> consumerProperties(String group, Map<String, Object> protocol) {
		Map<String, Object> properties = consumerProperties(group);
		properties.putAll(protocol);
		if (GroupProtocol.CONSUMER.name().equalsIgnoreCase(String.valueOf(protocol.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
			properties.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
			properties.remove(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
		}
		return properties;
	}

	/**
	 * A consumer factory whose consumers tell {@code listener} of each non-empty set of
	 * partitions that a rebalance revokes from them, before the job's own listener sees it.
	 */
	DefaultKafkaConsumerFactory<String, String> tellingRevocations(Map<String, Object> properties,
			InterceptedConsumers.RevocationListener listener) {
		DefaultKafkaConsumerFactory<String, String> factory = new DefaultKafkaConsumerFactory<>(properties);
		factory.addPostProcessor((consumer) -> InterceptedConsumers.tellingRevocations(consumer, listener));
		return factory;
	}

	/**
	 * A consumer factory whose consumers refuse commits as during a cooperative rebalance, once
	 * for each set of offsets: see {@link InterceptedConsumers#refusingCommits}.
	 */
	DefaultKafkaConsumerFactory<String, String> refusingCommits(Map<String, Object> properties, AtomicInteger refused) {
		DefaultKafkaConsumerFactory<String, String> factory = new DefaultKafkaConsumerFactory<>(properties);
		factory.addPostProcessor((consumer) -> InterceptedConsumers.refusingCommits(consumer, refused));
		return factory;
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
		return endOffsetsByPartition(topic).values().stream().mapToLong(Long::longValue).sum();
	}

	/** The end offset of each partition of {@code topic}. */
	Map<Integer, Long> endOffsetsByPartition(String topic) {
		Map<TopicPartition, OffsetSpec> latest = partitionsOf(topic).stream()
			.collect(Collectors.toMap((partition) -> partition, (partition) -> OffsetSpec.latest()));
		try {
			Map<Integer, Long> offsets = new TreeMap<>();
			admin().listOffsets(latest)
				.all()
				.get()
				.forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
			return offsets;
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The offsets {@code group} committed for {@code topic}, -1 where none. */
	Map<Integer, Long> committed(String group, String topic) {
		ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec().topicPartitions(partitionsOf(topic));
		try {
			Map<TopicPartition, OffsetAndMetadata> committed = admin()
				.listConsumerGroupOffsets(Map.of(group, spec), new ListConsumerGroupOffsetsOptions().requireStable(true))
				.partitionsToOffsetAndMetadata(group)
				.get();
			Map<Integer, Long> offsets = new TreeMap<>();
			partitionsOf(topic).forEach((partition) -> {
				OffsetAndMetadata offset = committed.get(partition);
				offsets.put(partition.partition(), (offset != null) ? offset.offset() : -1L);
			});
			return offsets;
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<TopicPartition> partitionsOf(String topic) {
		return IntStream.range(0, PARTITIONS).mapToObj((partition) -> new TopicPartition(topic, partition)).toList();
	}

	/** One admin client for the offset queries tests repeat while they wait (thread-safe). */
	private synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers));
		}
		return this.admin;
	}

	@Override
	public synchronized void close() {
		if (this.admin != null) {
			this.admin.close();
			this.admin = null;
		}
	}

	/** The value of record n of a partition. */
	@FunctionalInterface
	interface ValueOf {

		String of(int partition, int n);

	}

}
