package io.github.blllib.demo.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.KafkaJobDescriptor;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.KafkaPartitionDescriptor;
import io.github.blllib.autoconfigure.endpoint.KafkaJobDescriptions;
import io.github.blllib.demo.DemoProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Feeds the Kafka job once the application has started: writes {@code demo.kafka.orders} orders
 * to the orders topic, keyed by customer, then logs every {@code demo.progress-interval} how far
 * the job has committed them, as the {@code blllib} endpoint shows it. With
 * {@code demo.exit-after-run=true} it returns once every order is committed, so that the
 * application exits.
 */
@Component
@Profile(KafkaDemo.PROFILE)
public class OrderFeed implements ApplicationRunner {

	/** The job's name under {@code blllib.kafka.jobs}. */
	public static final String JOB = "orders";

	private static final Logger logger = LoggerFactory.getLogger(OrderFeed.class);

	private final KafkaTemplate<String, String> template;

	private final KafkaJobDescriptions jobs;

	private final KafkaDemoProperties kafkaProperties;

	private final DemoProperties properties;

	/** One past the offset of the last order written to each partition: where the job is done. */
	private final Map<Integer, Long> fedUpTo = new ConcurrentHashMap<>();

	public OrderFeed(KafkaTemplate<String, String> template, KafkaJobDescriptions jobs,
			KafkaDemoProperties kafkaProperties, DemoProperties properties) {
		this.template = template;
		this.jobs = jobs;
		this.kafkaProperties = kafkaProperties;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		int orders = this.kafkaProperties.orders();
		List<CompletableFuture<SendResult<String, String>>> sends = new ArrayList<>(orders);
		for (int n = 0; n < orders; n++) {
			sends.add(this.template.send(KafkaDemo.ORDERS_TOPIC, KafkaDemo.customer(n), KafkaDemo.order(n)));
		}
		for (CompletableFuture<SendResult<String, String>> send : sends) {
			var metadata = send.get(30, TimeUnit.SECONDS).getRecordMetadata();
			this.fedUpTo.merge(metadata.partition(), metadata.offset() + 1, Math::max);
		}
		logger.info("Fed {} orders to topic '{}'; job '{}' prices them into '{}'", orders, KafkaDemo.ORDERS_TOPIC, JOB,
				KafkaDemo.PRICED_TOPIC);
		Thread reporter = new Thread(this::reportUntilDone, "demo-kafka-progress");
		reporter.setDaemon(true);
		reporter.start();
		if (this.properties.exitAfterRun()) {
			reporter.join();
		}
	}

	private void reportUntilDone() {
		try {
			while (!reportProgress()) {
				Thread.sleep(this.properties.progressInterval().toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Logs how far the job has committed the orders fed; whether it has committed them all. */
	private boolean reportProgress() {
		KafkaJobDescriptor job = this.jobs.describe()
			.stream()
			.filter((described) -> described.name().equals(JOB))
			.findFirst()
			.orElseThrow();
		long committed = 0;
		long fed = 0;
		for (Map.Entry<Integer, Long> partition : this.fedUpTo.entrySet()) {
			long upTo = partition.getValue();
			long partitionCommitted = job.partitions()
				.stream()
				.filter((progress) -> progress.partition() == partition.getKey())
				.mapToLong(KafkaPartitionDescriptor::committed)
				.findFirst()
				.orElse(0);
			committed += Math.min(Math.max(partitionCommitted, 0), upTo);
			fed += upTo;
		}
		boolean allCommitted = committed >= fed;
		logger.info("Job '{}' ({}): offsets committed up to {} of {}; {} commits, {} records delivered and not yet "
				+ "committed{}", JOB, job.status(), committed, fed, job.commits(), job.uncommittedRecords(),
				allCommitted ? "; every order fed is priced" : "");
		return allCommitted || job.status().equals("FAILED") || job.status().equals("STOPPED");
	}

}
