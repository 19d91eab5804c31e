package io.github.blllib.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.github.blllib.Pipeline;
import io.github.blllib.StageSpec;

/** A job against a real broker (one KRaft node, three partitions per topic). */
class KafkaPipelineJobTests {

	private static EmbeddedKafkaKraftBroker broker;

	private static KafkaTestSupport kafka;

	private final List<KafkaPipelineJob> jobs = new ArrayList<>();

	@BeforeAll
	static void startBroker() {
		broker = KafkaTestSupport.startBroker();
		kafka = new KafkaTestSupport(broker.getBrokersAsString());
	}

	@AfterAll
	static void stopBroker() {
		kafka.close();
		broker.destroy();
	}

	@org.junit.jupiter.api.AfterEach
	void stopJobs() {
		this.jobs.forEach(KafkaPipelineJob::stop);
	}

	@Test
	void outputsKeepTheOrderOfEachPartitionAndCarryTheirRecordsKey() {
		kafka.createTopics("order-in", "order-out");
		kafka.produce("order-in", 400);
		KafkaTemplate<String, String> template = kafka.template();
		Pipeline<String, String> pipeline = Pipeline.<String>builder("order")
			.nCpu(2)
			.then(StageSpec.stateless("jitter", (String value) -> {
				Thread.sleep(ThreadLocalRandom.current().nextInt(2));
				return value + "!";
			}).batchSize(16))
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("order")
			.consumerFactory(kafka.consumerFactory("order"))
			.topics("order-in")
			.pipeline(pipeline)
			.outputTopic(template, "order-out")
			.readAhead(50));

		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.endOffsets("order-out") == 1200);
		Map<String, List<String>> byKey = new HashMap<>();
		kafka.readAll("order-out", false)
			.forEach((record) -> byKey.computeIfAbsent(record.key(), (key) -> new ArrayList<>()).add(record.value()));
		for (int partition = 0; partition < KafkaTestSupport.PARTITIONS; partition++) {
			List<String> expected = new ArrayList<>();
			for (int n = 0; n < 400; n++) {
				expected.add(partition + "-" + n + "!");
			}
			assertThat(byKey.get("k" + partition)).as("outputs of partition " + partition).isEqualTo(expected);
		}
		assertThat(job.stop()).isTrue();
		assertThat(kafka.committed("order", "order-in")).containsValues(400L, 400L, 400L);
		assertThat(job.state().status()).isEqualTo(KafkaJobState.Status.STOPPED);
		assertThat(job.state().commits()).isPositive();
	}

	@Test
	void outputsAreSentAndCommittedWithoutWaitingOutAPollOfPausedPartitions() {
		kafka.createTopics("prompt-in", "prompt-out");
		kafka.produce("prompt-in", 40);
		Pipeline<String, String> pipeline = Pipeline.<String>builder("prompt")
			.then(StageSpec.stateless("mark", (String value) -> value + "!"))
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("prompt")
			.consumerFactory(kafka.consumerFactory("prompt"))
			.topics("prompt-in")
			.pipeline(pipeline)
			.outputTopic(kafka.template(), "prompt-out")
			.pollTimeout(Duration.ofMinutes(10))
			.readAhead(1));

		// every record pauses the partitions: each output waiting out the poll would take hours
		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("prompt", "prompt-in").values().stream()
			.filter((offset) -> offset == 40L).count() == KafkaTestSupport.PARTITIONS);
		assertThat(kafka.endOffsets("prompt-out")).isEqualTo(120);
		assertThat(job.stop()).isTrue();
	}

	@Test
	void pausedPartitionsResumeAsSoonAsTheRunReadsItsReadAheadDown() throws InterruptedException {
		kafka.createTopics("refill-in", "refill-out");
		kafka.produce("refill-in", 200);
		Map<String, Object> properties = kafka.consumerProperties("refill");
		properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
		DefaultKafkaConsumerFactory<String, String> consumers = new DefaultKafkaConsumerFactory<>(properties);
		CountDownLatch paused = new CountDownLatch(1);
		consumers.addPostProcessor((consumer) -> InterceptedConsumers.tellingPauses(consumer, paused::countDown));
		Set<String> read = ConcurrentHashMap.newKeySet();
		// the first read waits until the poll thread paused the partitions, its read-ahead full;
		// the second stage's places outnumber the records: the run hands no output over (which
		// would wake the poll thread) before its input ends, so only its reads of the read-ahead can
		Pipeline<String, String> pipeline = Pipeline.<String>builder("refill")
			.then(StageSpec.stateless("read", (String value) -> {
				paused.await();
				read.add(value);
				return value;
			}).runInMaster())
			.then(StageSpec.stateless("mark", (String value) -> value + "!").batchSize(1024))
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("refill")
			.consumerFactory(consumers)
			.topics("refill-in")
			.pipeline(pipeline)
			.outputTopic(kafka.template(), "refill-out")
			.pollTimeout(Duration.ofMinutes(10))
			.readAhead(10));

		// 30 polls of 20 records: each waiting out a poll of paused partitions would take hours
		await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == 600);
		assertThat(job.stop()).isTrue();
	}

	@Test
	void aCommitStillOutstandingHoldsNoOutputBack() throws InterruptedException {
		kafka.createTopics("held-in", "held-out");
		kafka.produce("held-in", 100);
		DefaultKafkaConsumerFactory<String, String> consumers = kafka.consumerFactory("held");
		InterceptedConsumers.HeldCommits commits = new InterceptedConsumers.HeldCommits();
		consumers.addPostProcessor((consumer) -> InterceptedConsumers.holdingCommits(consumer, commits));
		CountDownLatch more = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		Pipeline<String, String> pipeline = Pipeline.<String>builder("held")
			.then(StageSpec.stateless("gate", (String value) -> {
				if (calls.incrementAndGet() > 10) {
					more.await();
				}
				return value + "!";
			}).batchSize(4))
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("held")
			.consumerFactory(consumers)
			.topics("held-in")
			.pipeline(pipeline)
			.outputTopic(kafka.template(), "held-out")
			.readAhead(10));

		// the first outputs are sent, confirmed and their commit started: it does not complete
		await().atMost(Duration.ofSeconds(60)).until(() -> commits.started() > 0);
		more.countDown();
		// meanwhile the job sends on, up to four read-aheads delivered and not committed
		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.endOffsets("held-out") >= 40);
		assertThat(kafka.committed("held", "held-in")).as("nothing committed").containsOnly(entry(0, -1L), entry(1, -1L),
				entry(2, -1L));
		assertThat(job.state().uncommittedRecords()).isGreaterThanOrEqualTo(40);
		commits.release();
		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("held", "held-in").values().stream()
			.filter((offset) -> offset == 100L).count() == KafkaTestSupport.PARTITIONS);
		assertThat(job.stop()).isTrue();
		assertThat(kafka.readAll("held-out", false)).hasSize(300);
	}

	@Test
	void commitsNeverPassWhatTheSinkConfirmed() {
		kafka.createTopics("confirm-in");
		kafka.produce("confirm-in", 500);
		ScheduledExecutorService confirmer = Executors.newScheduledThreadPool(2);
		Map<Integer, Set<Integer>> confirmed = new ConcurrentHashMap<>();
		List<String> violations = new CopyOnWriteArrayList<>();
		List<Long> commits = new CopyOnWriteArrayList<>();
		Pipeline<String, String> pipeline = Pipeline.<String>builder("confirm")
			.then(StageSpec.stateless("same", (String value) -> value).batchSize(8))
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("confirm")
			.consumerFactory(kafka.consumerFactory("confirm"))
			.topics("confirm-in")
			.pipeline(pipeline)
			.<String>sink((value) -> {
				// confirmations arrive late and out of order
				CompletableFuture<Void> confirmation = new CompletableFuture<>();
				confirmer.schedule(() -> {
					String[] parts = value.split("-");
					confirmed.computeIfAbsent(Integer.valueOf(parts[0]), (key) -> ConcurrentHashMap.newKeySet())
						.add(Integer.valueOf(parts[1]));
					confirmation.complete(null);
				}, ThreadLocalRandom.current().nextInt(20), TimeUnit.MILLISECONDS);
				return confirmation;
			})
			.readAhead(64)
			.commitListener((offsets) -> offsets.forEach((partition, offset) -> {
				commits.add(offset.offset());
				Set<Integer> done = confirmed.getOrDefault(partition.partition(), Set.of());
				for (int n = 0; n < offset.offset(); n++) {
					if (!done.contains(n)) {
						violations.add(partition + " committed at " + offset.offset() + " before " + n + " was confirmed");
						return;
					}
				}
			})));

		await().atMost(Duration.ofSeconds(60))
			.until(() -> confirmed.values().stream().mapToInt(Set::size).sum() == 1500);
		await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed("confirm", "confirm-in").values().stream()
			.allMatch((offset) -> offset == 500L));
		assertThat(violations).isEmpty();
		assertThat(commits.size()).isGreaterThan(3);
		job.stop();
		confirmer.shutdownNow();
	}

	@Test
	void aStageSlowerThanMaxPollIntervalKeepsTheMembership() {
		kafka.createTopics("slow-in", "slow-out");
		kafka.produce("slow-in", 2);
		Map<String, Object> properties = kafka.consumerProperties("slow");
		properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1000);
		Pipeline<String, String> pipeline = Pipeline.<String>builder("slow")
			.then(StageSpec.stateful("slow", (String value) -> {
				Thread.sleep(1_500);
				return value;
			}))
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("slow")
			.consumerFactory(new DefaultKafkaConsumerFactory<>(properties))
			.topics("slow-in")
			.pipeline(pipeline)
			.outputTopic(kafka.template(), "slow-out")
			.readAhead(1));

		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("slow", "slow-in").values().stream()
			.allMatch((offset) -> offset == 2L));
		assertThat(job.state().rebalances()).isZero();
		assertThat(kafka.readAll("slow-out", false)).hasSize(6);
	}

	@Test
	void aRunReadsABacklogWholeThoughThePollThreadIsSlowerThanTheIdleTimeout() {
		kafka.createTopics("backlog-in");
		kafka.produce("backlog-in", 60);
		Map<String, Object> properties = kafka.consumerProperties("backlog");
		properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
		List<String> outputs = new CopyOnWriteArrayList<>();
		// windows of two: a run over n records gives n - 1 outputs, so each extra run loses one
		Pipeline<String, String> pipeline = Pipeline.<String>builder("backlog")
			.then(StageSpec.window("pair", 2, (List<String> pair) -> pair.get(1)))
			.build();
		start(KafkaPipelineJob.builder("backlog")
			.consumerFactory(new DefaultKafkaConsumerFactory<>(properties))
			.topics("backlog-in")
			.pipeline(pipeline)
			.<String>sink((value) -> {
				outputs.add(value);
				return CompletableFuture.completedFuture(null);
			})
			.readAhead(20)
			.idleTimeout(Duration.ofMillis(100))
			// a poll thread busy for longer than the idle timeout after each commit
			.commitListener((offsets) -> sleep(300)));

		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("backlog", "backlog-in").values().stream()
			.allMatch((offset) -> offset == 60L));
		assertThat(outputs).hasSize(3 * 60 - 1);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void skippedItemsLandInTheDeadLetterTopicWithTheirHeaders() {
		kafka.createTopics("skip-in", "skip-out", "skip-in-dlt");
		kafka.produce("skip-in", 30, (partition, n) -> (n % 10 == 3) ? "bad-" + partition + "-" + n
				: partition + "-" + n);
		Pipeline<String, String> pipeline = Pipeline.<String>builder("skip")
			.deadLetters(KafkaDeadLetters.handler())
			.nCpu(2)
			.then(StageSpec.stateless("parse", (String value) -> {
				if (value.startsWith("bad")) {
					throw new IllegalArgumentException("cannot parse " + value);
				}
				return value;
			}).batchSize(4).skipFailures())
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("skip")
			.consumerFactory(kafka.consumerFactory("skip"))
			.topics("skip-in")
			.pipeline(pipeline)
			.outputTopic(kafka.template(), "skip-out"));

		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("skip", "skip-in").values().stream()
			.allMatch((offset) -> offset == 30L));
		assertThat(kafka.readAll("skip-out", false)).hasSize(81);
		List<ConsumerRecord<String, String>> deadLetters = kafka.readAll("skip-in-dlt", false);
		assertThat(deadLetters).hasSize(9);
		for (ConsumerRecord<String, String> deadLetter : deadLetters) {
			String[] parts = deadLetter.value().split("-");
			int partition = Integer.parseInt(parts[1]);
			assertThat(deadLetter.key()).isEqualTo("k" + partition);
			assertThat(deadLetter.partition()).isEqualTo(partition);
			assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("skip-in");
			assertThat(deadLetter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value())
				.isEqualTo(java.nio.ByteBuffer.allocate(4).putInt(partition).array());
			assertThat(deadLetter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value())
				.isEqualTo(java.nio.ByteBuffer.allocate(8).putLong(Long.parseLong(parts[2])).array());
			assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_FQCN))
				.isEqualTo(IllegalArgumentException.class.getName());
			assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("cannot parse " + deadLetter.value());
			assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).contains("IllegalArgumentException");
			assertThat(header(deadLetter, PollLoop.DLT_STAGE)).isEqualTo("parse");
			assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("skip");
			assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN))
				.isEqualTo(IllegalArgumentException.class.getName());
			assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE)).isEqualTo(TimestampType.CREATE_TIME.toString());
			assertThat(deadLetter.headers().headers(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).hasSize(1);
		}
		job.stop();
	}

	@Test
	void aSecondJobJoiningMidRunLosesNothingAndRepeatsNothing() {
		aSecondJobJoinsMidRun("join", Map.of(), false);
	}

	@Test
	void aSecondJobJoiningMidRunUnderCooperativeRebalancingLosesNothingAndRepeatsNothing() {
		List<Set<TopicPartition>> revoked = aSecondJobJoinsMidRun("coop", cooperative(), false);
		// incremental: the first job gave up some partitions and kept reading the others
		assertThat(revoked.get(0)).isNotEmpty().hasSizeLessThan(KafkaTestSupport.PARTITIONS);
	}

	@Test
	void aSecondJobJoiningMidRunUnderTheConsumerGroupProtocolLosesNothingAndRepeatsNothing() {
		List<Set<TopicPartition>> revoked = aSecondJobJoinsMidRun("kip848",
				Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name().toLowerCase(Locale.ROOT)),
				false);
		assertThat(revoked.get(0)).isNotEmpty().hasSizeLessThan(KafkaTestSupport.PARTITIONS);
	}

	@Test
	void aSecondTransactionalJobJoiningMidRunUnderCooperativeRebalancingWritesEachOutputOnce() {
		List<Set<TopicPartition>> revoked = aSecondJobJoinsMidRun("coop-tx", cooperative(), true);
		assertThat(revoked.get(0)).isNotEmpty().hasSizeLessThan(KafkaTestSupport.PARTITIONS);
	}

	private static Map<String, Object> cooperative() {
		return Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
	}

	@Test
	void commitsRefusedDuringARebalanceAreMadeAfterTheNextPollAndRepeatNothing() {
		kafka.createTopics("refused-in");
		kafka.produce("refused-in", 100);
		AtomicInteger refused = new AtomicInteger();
		List<String> outputs = new CopyOnWriteArrayList<>();
		Pipeline<String, String> pipeline = Pipeline.<String>builder("refused")
			.then(StageSpec.stateless("same", (String value) -> value).batchSize(8))
			.build();
		// every commit is refused until asked again after a poll, the last one (as the run ends) too
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("refused")
			.consumerFactory(kafka.refusingCommits(kafka.consumerProperties("refused"), refused))
			.topics("refused-in")
			.pipeline(pipeline)
			.<String>sink((value) -> {
				outputs.add(value);
				return CompletableFuture.completedFuture(null);
			})
			.readAhead(20));

		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("refused", "refused-in").values().stream()
			.allMatch((offset) -> offset == 100L));
		assertThat(job.failure()).isNull();
		assertThat(refused.get()).isPositive();
		assertThat(outputs).hasSize(300).doesNotHaveDuplicates();
	}

	/**
	 * Runs a job over 3 x 1000 records and starts a second one of its group once 600 outputs are
	 * out; the first job's stage holds its 1500th item until the first rebalance took partitions
	 * from it, so the rebalance comes mid-run however long the group protocol takes. Checks that
	 * each output was written once ({@code transactional}: for a {@code read_committed} reader).
	 * @return the partitions revoked from the first job, per rebalance, until it stopped
	 */
	private List<Set<TopicPartition>> aSecondJobJoinsMidRun(String group, Map<String, Object> protocol,
			boolean transactional) {
		kafka.createTopics(group + "-in", group + "-out");
		kafka.produce(group + "-in", 1000);
		List<Set<TopicPartition>> revoked = new CopyOnWriteArrayList<>();
		CountDownLatch firstRevocation = new CountDownLatch(1);
		AtomicInteger items = new AtomicInteger();
		KafkaPipelineJob first = start(joiningJob("first", group, kafka.tellingRevocations(
				kafka.consumerProperties(group, protocol), (partitions) -> {
					revoked.add(partitions);
					firstRevocation.countDown();
				}), () -> {
					if (items.incrementAndGet() >= 1500) {
						firstRevocation.await(60, TimeUnit.SECONDS);
					}
				}, transactional));
		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.endOffsets(group + "-out") >= 600);
		KafkaPipelineJob second = start(joiningJob("second", group,
				new DefaultKafkaConsumerFactory<>(kafka.consumerProperties(group, protocol)), () -> {
				}, transactional));

		await().atMost(Duration.ofSeconds(90)).until(() -> kafka.committed(group, group + "-in").values().stream()
			.allMatch((offset) -> offset == 1000L));
		List<Set<TopicPartition>> revokedWhileRunning = List.copyOf(revoked);
		first.stop();
		second.stop();
		Map<String, Long> counts = kafka.readAll(group + "-out", transactional)
			.stream()
			.collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
		assertThat(counts).hasSize(3000);
		assertThat(counts.values()).allMatch((count) -> count == 1);
		assertThat(first.state().rebalances()).isPositive();
		assertThat(first.failure()).isNull();
		assertThat(second.failure()).isNull();
		assertThat(revokedWhileRunning).isNotEmpty();
		return revokedWhileRunning;
	}

	private KafkaPipelineJob.Builder joiningJob(String name, String group, ConsumerFactory<?, ?> consumers,
			Gate gate, boolean transactional) {
		Pipeline<String, String> pipeline = Pipeline.<String>builder(name)
			.nCpu(2)
			.then(StageSpec.stateless("work", (String value) -> {
				Thread.sleep(1);
				gate.pass();
				return value;
			}).batchSize(8))
			.build();
		return KafkaPipelineJob.builder(name)
			.consumerFactory(consumers)
			.topics(group + "-in")
			.pipeline(pipeline)
			.outputTopic(transactional ? kafka.transactionalTemplate(group + "-" + name + "-") : kafka.template(),
					group + "-out")
			.transactional(transactional)
			.readAhead(20);
	}

	/** What a joining job's stage does with each item before passing it on. */
	@FunctionalInterface
	private interface Gate {

		void pass() throws InterruptedException;

	}

	@Test
	void aTransactionalJobWritesEachOutputOnceForReadCommittedReaders() {
		kafka.createTopics("tx-in", "tx-out");
		kafka.produce("tx-in", 300);
		Pipeline<String, String> pipeline = Pipeline.<String>builder("tx")
			.nCpu(2)
			.then(StageSpec.stateless("upper", (String value) -> value + "!").batchSize(8))
			.build();
		KafkaPipelineJob job = start(KafkaPipelineJob.builder("tx")
			.consumerFactory(kafka.consumerFactory("tx"))
			.topics("tx-in")
			.pipeline(pipeline)
			.outputTopic(kafka.transactionalTemplate("tx-"), "tx-out")
			.transactional(true));

		await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("tx", "tx-in").values().stream()
			.allMatch((offset) -> offset == 300L));
		job.stop();
		List<String> values = kafka.readAll("tx-out", true).stream().map(ConsumerRecord::value).toList();
		assertThat(values).hasSize(900).doesNotHaveDuplicates();
	}

	private KafkaPipelineJob start(KafkaPipelineJob.Builder builder) {
		KafkaPipelineJob job = builder.build();
		this.jobs.add(job);
		job.start();
		return job;
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
