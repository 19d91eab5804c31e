package io.github.blllib.autoconfigure.ui.browser;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.ConsumerThread;
import io.github.blllib.autoconfigure.Gate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.blllib.autoconfigure.Runs.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live view, served by a real application on a random port, read by headless Chromium
 * (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs). Skipped
 * only when Chromium is not installed. The page refreshes every second, so each check waits for
 * what it expects rather than for a time.
 */
@SpringBootTest(classes = LiveViewApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "blllib.ui.enabled=true", "management.endpoints.web.exposure.include=blllib",
				"blllib.n-cpu=2", "blllib.stages.held.stateful=false",
				"blllib.stages.held.batch-size=" + BlllibLiveViewBrowserTests.HELD_BATCH_SIZE,
				"blllib.stages.stepped.stateful=false",
				"blllib.stages.stepped.batch-size=" + BlllibLiveViewBrowserTests.STEPPED_BATCH_SIZE,
				"blllib.stages.flaky.stateful=true", "blllib.stages.flaky.batch-size=2",
				"blllib.stages.flaky.retry.max-retries=1", "blllib.stages.flaky.on-failure=skip",
				"blllib.stages.flaky.skip-limit=1000", "blllib.stages.flaky.timeout=5m" })
class BlllibLiveViewBrowserTests {

	static final int HELD_BATCH_SIZE = 3;

	static final int STEPPED_BATCH_SIZE = 2;

	private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(10);

	/** Reads every figure of one stage card in one go, so that they come from the same refresh. */
	private static final String READ_STAGE = """
			const card = document.querySelector('[data-pipeline="' + arguments[0] + '"] [data-stage="' + arguments[1] + '"]');
			if (!card) { return null; }
			const figures = {};
			card.querySelectorAll('[data-field]').forEach((field) => figures[field.dataset.field] = field.textContent);
			return figures;
			""";

	private static HeadlessChromium browser;

	@RegisterExtension
	final ConsumerThread consumer = ConsumerThread.withoutThreadCheck();

	@LocalServerPort
	private int port;

	@Autowired
	private PipelineFactory factory;

	@Autowired
	private Gate gate;

	@Autowired
	private Semaphore steps;

	@Autowired
	private FlakySteps flakySteps;

	/**
	 * Starts Chromium for the first test; each test checks for it, so that without it every
	 * test is reported as skipped, with the reason.
	 */
	@BeforeEach
	void startChromium() throws IOException {
		HeadlessChromium.assumeInstalled();
		if (browser == null) {
			browser = HeadlessChromium.start();
		}
	}

	@AfterAll
	static void stopChromium() throws IOException {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void holdStages() {
		this.gate.close();
		this.steps.drainPermits();
		this.flakySteps.hold();
	}

	@AfterEach
	void releaseStages() {
		this.gate.open();
		this.steps.release(1_000);
		this.flakySteps.release(1_000);
	}

	@Test
	void emptyStateShouldSayHowToStartAPipeline() {
		browser.open(pageUrl());
		await().atMost(PAGE_TIMEOUT).untilAsserted(() -> {
			assertThat(text("#empty")).contains("No pipeline is open", "pipelineFactory.create(");
			assertThat(text("#status")).contains("0 open pipelines");
		});
	}

	@Test
	void frozenStageShouldShowItsExactInFlightCountAndTheBusyWorkerPool() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("frozen", "held")) {
			Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(range(20)));
			browser.open(pageUrl());
			await().atMost(PAGE_TIMEOUT).untilAsserted(() -> {
				assertThat(stage("frozen", "held")).containsEntry("inFlight", String.valueOf(HELD_BATCH_SIZE))
					.containsEntry("batchSize", String.valueOf(HELD_BATCH_SIZE))
					.containsEntry("processed", "0")
					.containsEntry("errors", "0")
					.containsEntry("retries", "0")
					.containsEntry("skipped", "0")
					.containsEntry("timeouts", "0")
					.as("no failure policy, no caption")
					.doesNotContainKey("policy");
				assertThat(text("[data-pipeline=\"frozen\"] [data-field=\"run\"]")).isEqualTo("running");
				assertThat(text("[data-pipeline=\"frozen\"] [data-field=\"position\"]")).isEqualTo("at input 0");
				assertThat(text("#worker-pool")).contains("2 of 2 threads busy");
			});
			this.gate.open();
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(range(20));
		}
	}

	@Test
	void figuresShouldChangeWhileARunProgresses() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("stepping", "stepped")) {
			Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(range(30)));
			browser.open(pageUrl());
			await().atMost(PAGE_TIMEOUT)
				.untilAsserted(() -> assertThat(stage("stepping", "stepped"))
					.containsEntry("inFlight", String.valueOf(STEPPED_BATCH_SIZE))
					.containsEntry("processed", "0"));
			for (int processed = 10; processed <= 20; processed += 10) {
				this.steps.release(10);
				String expected = String.valueOf(processed);
				Map<String, String> figures = await().atMost(PAGE_TIMEOUT)
					.until(() -> stage("stepping", "stepped"), (read) -> expected.equals(read.get("processed")));
				assertThat(Double.parseDouble(figures.get("rate"))).as("items/s while items pass").isPositive();
				// The next items are submitted as the released ones leave, so a refresh may fall between.
				await().atMost(PAGE_TIMEOUT)
					.untilAsserted(() -> assertThat(stage("stepping", "stepped")).containsEntry("processed", expected)
						.containsEntry("inFlight", String.valueOf(STEPPED_BATCH_SIZE)));
				// the consumer, waiting for the next output, has delivered every processed one
				await().atMost(PAGE_TIMEOUT)
					.untilAsserted(() -> assertThat(text("[data-pipeline=\"stepping\"] [data-field=\"position\"]"))
						.isEqualTo("at input " + expected));
			}
			this.steps.release(10);
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(range(30));
			await().atMost(PAGE_TIMEOUT).untilAsserted(() -> {
				assertThat(stage("stepping", "stepped")).containsEntry("processed", "30")
					.containsEntry("inFlight", "0")
					.containsEntry("rate", "0.0");
				assertThat(text("[data-pipeline=\"stepping\"] [data-field=\"run\"]")).isEqualTo("idle");
			});
		}
	}

	@Test
	void failurePolicyFiguresShouldShowTheExactRetriesAndSkipsAsARunSteps() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("retrying", "flaky")) {
			Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(range(30)));
			browser.open(pageUrl());
			await().atMost(PAGE_TIMEOUT)
				.untilAsserted(() -> assertThat(stage("retrying", "flaky")).containsEntry("processed", "0")
					.containsEntry("retries", "0")
					.containsEntry("skipped", "0")
					.containsEntry("timeouts", "0")
					.containsEntry("policy", "retry up to 1\u00d7 \u00b7 skip failures (limit 1,000 a run) \u00b7 timeout 5 min"));
			// the stage is stateful: its items pass one at a time, in order, so every ten count
			// four retries (two items fail once, two on both attempts) and two skips
			for (int processed = 10; processed <= 30; processed += 10) {
				this.flakySteps.release(10);
				String expected = String.valueOf(processed);
				String retries = String.valueOf(processed * 4 / 10);
				String skipped = String.valueOf(processed * 2 / 10);
				await().atMost(PAGE_TIMEOUT)
					.untilAsserted(() -> assertThat(stage("retrying", "flaky")).containsEntry("processed", expected)
						.containsEntry("retries", retries)
						.containsEntry("skipped", skipped)
						.containsEntry("timeouts", "0")
						.containsEntry("errors", "0"));
			}
			assertThat(outputs.get(10, TimeUnit.SECONDS))
				.isEqualTo(range(30).stream().filter((x) -> !FlakySteps.isSkipped(x)).toList());
			assertThat(text("[data-pipeline=\"retrying\"] [data-stage=\"flaky\"] [data-field=\"skipped\"]"))
				.isEqualTo("6");
			assertThat((Boolean) browser.script(
					"return document.querySelector('[data-pipeline=\"retrying\"] [data-field=\"skipped\"]').classList.contains('noted');"))
				.as("skipped items are marked")
				.isTrue();
		}
	}

	@Test
	void asyncStageShouldBeShownAsAsyncWithItsWindow() {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("remote", "remoteSum")) {
			browser.open(pageUrl());
			await().atMost(PAGE_TIMEOUT)
				.untilAsserted(() -> assertThat(text("[data-pipeline=\"remote\"] [data-stage=\"remoteSum\"] .kind"))
					.isEqualTo("async window of 2"));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> stage(String pipeline, String stage) {
		Map<String, String> figures = (Map<String, String>) browser.script(READ_STAGE, pipeline, stage);
		return (figures != null) ? figures : Map.of();
	}

	private static String text(String selector) {
		return browser.text(selector);
	}

	private String pageUrl() {
		return "http://localhost:" + this.port + "/blllib/";
	}

}
