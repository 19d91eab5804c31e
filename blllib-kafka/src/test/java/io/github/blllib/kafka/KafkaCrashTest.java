package io.github.blllib.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
class KafkaCrashTest {

	private static final int PER_PARTITION = 16_667;

	private static final int INPUTS = PER_PARTITION * KafkaTestSupport.PARTITIONS;

	private static final int KILLS = 20;

	/**
	 * docs/kafka.md: without a transaction, a crash repeats at most the outputs of the records read
	 * and not committed: {@code 3 × readAhead + 2 × max.poll.records + 2 × pipeline capacity}.
	 */
	private static final int DUPLICATES_PER_CRASH = 3 * CrashTestConsumer.READ_AHEAD
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
		System.out.println("KafkaCrashTest: " + duplicates + " duplicates after " + KILLS + " kills (bound "
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
		System.out.println("KafkaCrashTest " + name + ": seed " + seed);
		Random random = new Random(seed);
		this.consumer = startConsumer(in, out, name, transactional);
		for (int kill = 0; kill < KILLS; kill++) {
			long target = kafka.endOffsets(out) + 200 + random.nextInt(1800);
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
				.until(() -> kafka.endOffsets(out) >= target);
			this.consumer.destroyForcibly().waitFor();
			this.consumer = startConsumer(in, out, name, transactional);
		}
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
			.until(() -> kafka.committed(name, in).values().stream().allMatch((offset) -> offset == PER_PARTITION));
		List<ConsumerRecord<String, String>> outputs = kafka.readAll(out, transactional);
		return outputs.stream().collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
	}

	private static Process startConsumer(String in, String out, String group, boolean transactional)
			throws IOException {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), CrashTestConsumer.class.getName(), kafka.bootstrapServers(), in,
				out, group, Boolean.toString(transactional))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

}
