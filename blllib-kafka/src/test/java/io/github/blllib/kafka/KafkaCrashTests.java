package io.github.blllib.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A consumer in a JVM of its own, killed with SIGKILL at random moments and restarted each time:
 * every input ends with its output; with a transaction, a read_committed reader sees each once;
 * without, the duplicates stay within the documented bound.
 */
class KafkaCrashTests {

	private static final int PER_PARTITION = 16_667;

	private static final int INPUTS = PER_PARTITION * KafkaTestSupport.PARTITIONS;

	private static final int KILLS = 20;

	/**
	 * docs/kafka.md: without a transaction, a crash repeats at most the outputs of the records read
	 * and not committed: {@code 6 × readAhead + 2 × max.poll.records + 2 × pipeline capacity}.
	 */
	private static final int DUPLICATES_PER_CRASH = 6 * CrashTestConsumer.READ_AHEAD
			+ 2 * CrashTestConsumer.MAX_POLL_RECORDS + 2 * CrashTestConsumer.BATCH;

	private static EmbeddedKafkaKraftBroker broker;

	private static KafkaTestSupport kafka;

	private Process consumer;

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

	@AfterEach
	void killConsumer() throws InterruptedException {
		if (this.consumer != null) {
			this.consumer.destroyForcibly().waitFor();
		}
	}

	@Test
	void withATransactionEachOutputIsReadOnceAcrossKills() throws Exception {
		Map<String, Long> counts = crashRepeatedly("tx", true);
		assertThat(counts).hasSize(INPUTS);
		assertThat(counts.values()).allMatch((count) -> count == 1);
	}

	@Test
	void withoutATransactionNothingIsLostAndDuplicatesStayWithinTheBound() throws Exception {
		Map<String, Long> counts = crashRepeatedly("plain", false);
		assertThat(counts).hasSize(INPUTS);
		long duplicates = counts.values().stream().mapToLong((count) -> count - 1).sum();
		System.out.println("KafkaCrashTests: " + duplicates + " duplicates after " + KILLS + " kills (bound "
				+ KILLS * DUPLICATES_PER_CRASH + ")");
		assertThat(duplicates).isLessThanOrEqualTo((long) KILLS * DUPLICATES_PER_CRASH);
	}

	/** The outputs, counted by value, once every input is committed after {@link #KILLS} kills. */
	private Map<String, Long> crashRepeatedly(String name, boolean transactional) throws Exception {
		String in = name + "-in";
		String out = name + "-out";
		kafka.createTopics(in, out);
		kafka.produce(in, PER_PARTITION);
		long seed = System.nanoTime();
		System.out.println("KafkaCrashTests " + name + ": seed " + seed);
		Random random = new Random(seed);
		this.consumer = startConsumer(in, out, name, transactional, 0);
		for (int kill = 0; kill < KILLS; kill++) {
			long target = kafka.endOffsets(out) + 200 + random.nextInt(1800);
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
				.until(() -> kafka.endOffsets(out) >= target);
			this.consumer.destroyForcibly().waitFor();
			System.out.println("KafkaCrashTests " + name + ": kill " + (kill + 1) + " at " + Instant.now()
					+ ", output end offsets " + target + "+");
			this.consumer = startConsumer(in, out, name, transactional, kill + 1);
		}
		try {
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
				.until(() -> kafka.committed(name, in).values().stream().allMatch((offset) -> offset == PER_PARTITION));
		}
		catch (ConditionTimeoutException ex) {
			printWhereItStands(name, in, out);
			throw ex;
		}
		List<ConsumerRecord<String, String>> outputs = kafka.readAll(out, transactional);
		return outputs.stream().collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
	}

	/** Starts consumer {@code n} of {@code group}; its output goes to {@link #consumerLog}. */
	private static Process startConsumer(String in, String out, String group, boolean transactional, int n)
			throws IOException {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Path log = consumerLog(group, n);
		Files.createDirectories(log.getParent());
		return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-Dlogback.configurationFile=crash-consumer-logback.xml", "-cp", System.getProperty("java.class.path"),
				CrashTestConsumer.class.getName(), kafka.bootstrapServers(), in, out, group,
				Boolean.toString(transactional))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
	}

	private static Path consumerLog(String group, int n) {
		return Path.of("target", "crash-consumer-" + group + "-" + n + ".log");
	}

	/** When the consumers did not commit everything: the offsets and the last consumer's log. */
	private static void printWhereItStands(String group, String in, String out) throws IOException {
		System.out.println("KafkaCrashTests " + group + ": committed " + kafka.committed(group, in) + " of "
				+ PER_PARTITION + " per partition; output end offsets " + kafka.endOffsetsByPartition(out));
		Path log = consumerLog(group, KILLS);
		List<String> lines = Files.readAllLines(log);
		System.out.println("KafkaCrashTests " + group + ": the last 80 lines of " + log.toAbsolutePath() + ":");
		lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.out::println);
	}

}
