package io.github.blllib.autoconfigure.ui.browser;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live view's Kafka panel, read by headless Chromium from a real application whose job
 * {@code blllib.kafka.jobs.orders} consumes a topic of an embedded KRaft broker: the panel shows
 * the job, its pipeline and status, and a row per partition whose delivered and committed offsets
 * reach what was produced, each time more is produced. Skipped only when Chromium is not installed.
 */
class KafkaLiveViewBrowserTests {

	private static final int PARTITIONS = 3;

	private static final String INPUT = "live-orders";

	private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);

	/** Each partition row of a job's table: partition name to its cells' texts. */
	private static final String READ_PARTITIONS = """
			const section = document.getElementById('kafka-jobs');
			const job = section.querySelector('[data-job="' + arguments[0] + '"]');
			if (section.hidden || !job) { return null; }
			const rows = {};
			job.querySelectorAll('tr[data-partition]').forEach((row) =>
				rows[row.dataset.partition] = Array.from(row.cells).map((cell) => cell.textContent));
			return rows;
			""";

	private static final String READ_BADGES = """
			const job = document.querySelector('#kafka-jobs [data-job="' + arguments[0] + '"]');
			return job ? Array.from(job.querySelectorAll('.pipeline-header .badge')).map((badge) => badge.textContent) : [];
			""";

	private static EmbeddedKafkaKraftBroker broker;

	private static ConfigurableApplicationContext application;

	private static HeadlessChromium browser;

	@BeforeAll
	static void start() throws IOException {
		HeadlessChromium.assumeInstalled();
		broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, INPUT, "live-shouted");
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.afterPropertiesSet();
		awaitLeaders();
		application = new SpringApplicationBuilder(KafkaLiveViewApplication.class)
			.properties("server.port=0", "blllib.ui.enabled=true", "management.endpoints.web.exposure.include=blllib",
					"blllib.n-cpu=2", "logging.level.org.apache.kafka=warn",
					"spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
					"spring.kafka.consumer.group-id=live-view", "spring.kafka.consumer.auto-offset-reset=earliest",
					"blllib.pipelines.shout.stages=upper", "blllib.stages.upper.stateful=false",
					"blllib.stages.upper.batch-size=4", "blllib.kafka.jobs.orders.topics=" + INPUT,
					"blllib.kafka.jobs.orders.pipeline=shout", "blllib.kafka.jobs.orders.output-topic=live-shouted")
			.run();
		browser = HeadlessChromium.start();
	}

	@AfterAll
	static void stop() throws IOException {
		if (browser != null) {
			browser.close();
		}
		if (application != null) {
			application.close();
		}
		if (broker != null) {
			broker.destroy();
		}
	}

	@Test
	void kafkaPanelShowsTheJobsPartitionsWithDeliveredAndCommittedOffsetsAsTheyAdvance() {
		browser.open("http://localhost:" + application.getEnvironment().getProperty("local.server.port") + "/blllib/");
		// partition p gets 5 x (p + 1) records, then as many again
		for (int round = 1; round <= 2; round++) {
			produce(round);
			int produced = round;
			await().atMost(PAGE_TIMEOUT)
				.untilAsserted(() -> assertThat(partitions()).isEqualTo(IntStream.range(0, PARTITIONS)
					.boxed()
					.collect(Collectors.toMap((partition) -> INPUT + "-" + partition, (partition) -> {
						String offset = String.valueOf(produced * 5 * (partition + 1));
						return List.of(INPUT, String.valueOf(partition), offset, offset);
					}))));
		}
		await().atMost(PAGE_TIMEOUT).untilAsserted(() -> {
			assertThat(browser.text("#kafka-jobs [data-job=\"orders\"] h3")).isEqualTo("orders");
			assertThat(badges()).startsWith("pipeline shout", "running", "0 uncommitted")
				.anySatisfy((badge) -> assertThat(badge).matches("[1-9][0-9]* commits"))
				.contains("0 rebalances");
		});
	}

	/** Writes round {@code round}'s records: 5 x (p + 1) to partition p. */
	@SuppressWarnings("unchecked")
	private static void produce(int round) {
		KafkaTemplate<String, String> template = application.getBean(KafkaTemplate.class);
		for (int partition = 0; partition < PARTITIONS; partition++) {
			for (int n = 0; n < 5 * (partition + 1); n++) {
				template.send(INPUT, partition, "k" + partition, "order-" + round + "-" + partition + "-" + n);
			}
		}
		template.flush();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, List<String>> partitions() {
		return (Map<String, List<String>>) browser.script(READ_PARTITIONS, "orders");
	}

	@SuppressWarnings("unchecked")
	private static List<String> badges() {
		return (List<String>) browser.script(READ_BADGES, "orders");
	}

	/** Returns once each input partition's leader serves it (listing offsets retries until then). */
	private static void awaitLeaders() {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
			admin.listOffsets(IntStream.range(0, PARTITIONS)
				.mapToObj((partition) -> new TopicPartition(INPUT, partition))
				.collect(Collectors.toMap(Function.identity(), (partition) -> OffsetSpec.latest())))
				.all()
				.get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
