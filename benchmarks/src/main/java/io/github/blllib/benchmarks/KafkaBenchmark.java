package io.github.blllib.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.github.blllib.Pipeline;
import io.github.blllib.StageSpec;
import io.github.blllib.kafka.KafkaPipelineJob;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchAcknowledgingMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Item 11: Kafka. The records of a 3-partition topic on a KRaft broker embedded in this JVM go
 * through a trivial step (parse, add one, format) to an output topic, offsets committed once
 * the outputs are confirmed: by a {@link KafkaPipelineJob} over a one-stage pipeline (stateless,
 * batch 256, n-cpu 2), and by a plain Spring Kafka batch listener (one consumer thread) that
 * sends a poll's outputs, waits for their confirmations and commits at once. Goal: the job at
 * 0.8× the listener's records/s or more. Then the job with a 1 ms async enrichment at batch 256
 * in place of the trivial step, against the lower of the ideal of 256 calls per millisecond and
 * the trivial job's rate (no stage lets a record through faster than the Kafka path). A run is timed
 * from the first record the user's code sees to the commit of the last (group joins excluded);
 * each run reads the topic from its start in a fresh consumer group and checks that the output
 * topic grew by exactly the number of records.
 */
final class KafkaBenchmark implements Benchmark {

	static final String JOB = "blllib KafkaPipelineJob, trivial stage";

	static final String LISTENER = "Spring Kafka batch listener, same work";

	static final String ASYNC = "blllib KafkaPipelineJob, 1 ms async stage, batch 256";

	private static final int PARTITIONS = 3;

	private static final int BATCH = 256;

	private static final long LATENCY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final double IDEAL_ASYNC_PER_SECOND = BATCH * 1e9 / LATENCY_NANOS;

	private static final String INPUT = "bench-in";

	private static final String OUTPUT = "bench-out";

	private static final Duration RUN_LIMIT = Duration.ofMinutes(5);

	private final AtomicInteger groups = new AtomicInteger();

	private String details = "";

	@Override
	public int item() {
		return 11;
	}

	@Override
	public String title() {
		return "Kafka: a pipeline job against a Spring Kafka batch listener";
	}

	@Override
	public String details() {
		return this.details;
	}

	@Override
	public List<ResultRow> run(Mode mode) throws Exception {
		int records = (mode == Mode.QUICK) ? 60_000 : 300_000;
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, INPUT, OUTPUT);
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.afterPropertiesSet();
		ExecutorService pool = Executors.newFixedThreadPool(2, new DaemonThreads("kafka-bench-worker-"));
		String servers = broker.getBrokersAsString();
		DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(
				producerProperties(servers));
		KafkaTemplate<String, String> template = new KafkaTemplate<>(producers);
		try (SimulatedRemoteService service = new SimulatedRemoteService("kafka-bench-remote", LATENCY_NANOS)) {
			produce(servers, records);
			FirstRecord first = new FirstRecord();
			Pipeline<String, String> trivial = Pipeline.<String>builder("kafka-trivial")
				.workerPool(pool)
				.nCpu(2)
				.then(StageSpec.stateless("plus-one", (String value) -> {
					first.seen();
					return plusOne(value);
				}).batchSize(BATCH))
				.build();
			Pipeline<String, String> async = Pipeline.<String>builder("kafka-async")
				.workerPool(pool)
				.nCpu(2)
				.then(StageSpec.async("enrich", (String value) -> {
					first.seen();
					return service.call(plusOne(value));
				}).batchSize(BATCH))
				.build();
			Map<String, TimedRun> candidates = new LinkedHashMap<>();
			candidates.put(JOB, () -> checked(servers, records, () -> runJob(servers, trivial, template, records, first)));
			candidates.put(LISTENER, () -> checked(servers, records, () -> runListener(servers, template, records, first)));
			candidates.put(ASYNC, () -> checked(servers, records, () -> runJob(servers, async, template, records, first)));
			Map<String, Samples> samples = Rounds.interleaved(mode, candidates);
			trivial.close();
			async.close();
			double job = samples.get(JOB).itemsPerSecond(records);
			double listener = samples.get(LISTENER).itemsPerSecond(records);
			double enriched = samples.get(ASYNC).itemsPerSecond(records);
			double ratio = job / listener;
			double share = enriched / IDEAL_ASYNC_PER_SECOND;
			// no stage can make a record pass faster than the Kafka path itself: poll, send, commit
			double bound = Math.min(IDEAL_ASYNC_PER_SECOND, job);
			double shareOfBound = enriched / bound;
			this.details = String.format("Item 11: %,d records of a %d-partition topic on a KRaft broker in the same JVM, "
					+ "each run in a fresh consumer group, timed from the first record seen to the commit of the last. "
					+ "Job, trivial stage: %s. Listener: %s. Job, 1 ms async stage at batch %d: %s. The trivial job's "
					+ "rate is what the broker, the clients and the commits allow with no stage cost (%s, below the "
					+ "ideal %s of the async stage on this machine): the async stage cannot go faster than that, so "
					+ "its goal is 80%% of the lower of the two.%n", records, PARTITIONS, samples.get(JOB).describeMillis(),
					samples.get(LISTENER).describeMillis(), BATCH, samples.get(ASYNC).describeMillis(), Report.rate(job),
					Report.rate(IDEAL_ASYNC_PER_SECOND));
			return List.of(
					new ResultRow(11, "Kafka: records/s of a trivial pipeline job against a Spring Kafka batch listener",
							String.format("%.2f× (%s vs %s)", ratio, Report.rate(job), Report.rate(listener)), "≥ 0.8×",
							Verdict.of(ratio >= 0.8)),
					new ResultRow(11,
							"Kafka: a 1 ms async enrichment at batch 256, share of its bound: 256 k records/s or the "
									+ "Kafka path's rate (the trivial job's), whichever is lower",
							String.format("%.1f%% (%s of %s)", shareOfBound * 100, Report.rate(enriched), Report.rate(bound)),
							"≥ 80%", Verdict.of(shareOfBound >= 0.8)),
					ResultRow.info(11, "Kafka: the async job's share of the 256 k records/s ideal",
							String.format("%.1f%%", share * 100)));
		}
		finally {
			producers.destroy();
			pool.shutdownNow();
			broker.destroy();
		}
	}

	private static String plusOne(String value) {
		return Long.toString(Long.parseLong(value) + 1);
	}

	/** One run of the job in a fresh group: from its first record seen to the commit of its last. */
	private long runJob(String servers, Pipeline<String, String> pipeline, KafkaTemplate<String, String> template,
			int records, FirstRecord first) throws Exception {
		Map<Integer, Long> committed = new ConcurrentHashMap<>();
		CountDownLatch done = new CountDownLatch(1);
		AtomicLong end = new AtomicLong();
		KafkaPipelineJob job = KafkaPipelineJob.builder("bench")
			.topics(INPUT)
			.consumerFactory(consumerFactory(servers))
			.groupId(newGroup())
			.pipeline(pipeline)
			.outputTopic(template, OUTPUT)
			.commitListener((offsets) -> {
				offsets.forEach((partition, offset) -> committed.put(partition.partition(), offset.offset()));
				if (committed.values().stream().mapToLong(Long::longValue).sum() == records && end.get() == 0) {
					end.set(System.nanoTime());
					done.countDown();
				}
			})
			.build();
		first.reset();
		job.start();
		try {
			await(done, job.name());
			return end.get() - first.at();
		}
		finally {
			job.stop();
		}
	}

	/**
	 * One run of a plain Spring Kafka batch listener in a fresh group: each poll's outputs sent,
	 * their confirmations awaited, the offsets committed at once (as safely as the job).
	 */
	private long runListener(String servers, KafkaTemplate<String, String> template, int records, FirstRecord first)
			throws Exception {
		ContainerProperties properties = new ContainerProperties(INPUT);
		properties.setGroupId(newGroup());
		properties.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
		AtomicLong processed = new AtomicLong();
		AtomicLong end = new AtomicLong();
		CountDownLatch done = new CountDownLatch(1);
		properties.setMessageListener((BatchAcknowledgingMessageListener<String, String>) (batch, acknowledgment) -> {
			first.seen();
			List<CompletableFuture<?>> sends = new ArrayList<>(batch.size());
			for (ConsumerRecord<String, String> record : batch) {
				sends.add(template.send(OUTPUT, record.key(), plusOne(record.value())));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
			acknowledgment.acknowledge();
			if (processed.addAndGet(batch.size()) == records) {
				end.set(System.nanoTime());
				done.countDown();
			}
		});
		KafkaMessageListenerContainer<String, String> container = new KafkaMessageListenerContainer<>(
				consumerFactory(servers), properties);
		first.reset();
		container.start();
		try {
			await(done, "listener");
			return end.get() - first.at();
		}
		finally {
			container.stop();
		}
	}

	/** Runs {@code run} and checks that the output topic grew by exactly {@code records}. */
	private static long checked(String servers, int records, TimedRun run) throws Exception {
		long before = endOffsets(servers, OUTPUT);
		long nanos = run.runNanos();
		Blackhole.check("Kafka outputs", records, endOffsets(servers, OUTPUT) - before);
		return nanos;
	}

	private static void await(CountDownLatch done, String what) throws InterruptedException, TimeoutException {
		if (!done.await(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new TimeoutException("Kafka benchmark: " + what + " did not commit every record within " + RUN_LIMIT);
		}
	}

	private String newGroup() {
		return "bench-" + this.groups.incrementAndGet();
	}

	private static DefaultKafkaConsumerFactory<String, String> consumerFactory(String servers) {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		return new DefaultKafkaConsumerFactory<>(properties);
	}

	private static Map<String, Object> producerProperties(String servers) {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
		return properties;
	}

	private static void produce(String servers, int records) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(servers))) {
			for (int n = 0; n < records; n++) {
				producer.send(new ProducerRecord<>(INPUT, n % PARTITIONS, "k" + (n % PARTITIONS), Integer.toString(n)));
			}
			producer.flush();
		}
	}

	private static long endOffsets(String servers, String topic) {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			return consumer
				.endOffsets(IntStream.range(0, PARTITIONS).mapToObj((p) -> new TopicPartition(topic, p)).toList())
				.values()
				.stream()
				.mapToLong(Long::longValue)
				.sum();
		}
	}

	/** When the user's code of the current run saw its first record. */
	private static final class FirstRecord {

		private final AtomicLong at = new AtomicLong();

		void reset() {
			this.at.set(0);
		}

		void seen() {
			if (this.at.get() == 0) {
				this.at.compareAndSet(0, System.nanoTime());
			}
		}

		long at() {
			return this.at.get();
		}

	}

}
