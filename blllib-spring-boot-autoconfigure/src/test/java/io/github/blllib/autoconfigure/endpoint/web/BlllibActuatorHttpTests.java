package io.github.blllib.autoconfigure.endpoint.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.ConsumerThread;
import io.github.blllib.autoconfigure.Gate;
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
 * The meters and the {@code blllib} endpoint read over real HTTP while a pipeline is frozen
 * mid-run: its {@code held} stage (stateless, batch size {@value #BATCH_SIZE}) waits at a gate
 * while the consumer, on its own thread, waits for the stage's head.
 */
@SpringBootTest(classes = ObservedPipelinesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=metrics,blllib,health",
				"management.endpoint.health.show-details=always", "blllib.n-cpu=2",
				"blllib.stages.held.stateful=false", "blllib.stages.held.batch-size=" + BlllibActuatorHttpTests.BATCH_SIZE })
class BlllibActuatorHttpTests {

	static final int BATCH_SIZE = 4;

	private static final int INPUTS = 20;

	private static final String IN_FLIGHT = "/actuator/metrics/blllib.stage.in.flight?tag=pipeline:frozen&tag=stage:held";

	private static final String SUCCEEDED = "/actuator/metrics/blllib.stage.processed?tag=pipeline:frozen&tag=stage:held&tag=outcome:success";

	private final HttpClient http = HttpClient.newHttpClient();

	@RegisterExtension
	final ConsumerThread consumer = ConsumerThread.withoutThreadCheck();

	@LocalServerPort
	private int port;

	@Autowired
	private PipelineFactory factory;

	@Autowired
	private Gate gate;

	@BeforeEach
	void closeGate() {
		this.gate.close();
	}

	@AfterEach
	void openGate() {
		this.gate.open();
	}

	@Test
	void metricsEndpointShouldReadTheFrozenStagesExactInFlightCountThenItsProcessedCountOnceReleased() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("frozen", "held")) {
			Future<List<Integer>> outputs = freeze(pipeline);
			this.gate.open();
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(range(INPUTS));
			await().untilAsserted(() -> assertThat(measurement(SUCCEEDED)).isEqualTo(INPUTS));
			assertThat(measurement(IN_FLIGHT)).isZero();
		}
	}

	@Test
	void blllibEndpointShouldShowTheStageBeansTheWorkerPoolAndTheFrozenPipeline() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("frozen", "held")) {
			freeze(pipeline);
			String json = get("/actuator/blllib").body();
			assertThat(JsonPath.<List<String>>read(json, "$.stages[*].name")).containsExactly("held");
			assertThat(JsonPath.<String>read(json, "$.stages[0].kind")).isEqualTo("STATELESS");
			assertThat(JsonPath.<Integer>read(json, "$.stages[0].batchSize")).isEqualTo(BATCH_SIZE);
			assertThat(JsonPath.<Integer>read(json, "$.workerPool.corePoolSize")).isEqualTo(2);
			assertThat(JsonPath.<String>read(json, "$.pipelines[0].name")).isEqualTo("frozen");
			assertThat(JsonPath.<Boolean>read(json, "$.pipelines[0].hasOpenRun")).isTrue();
			assertThat(JsonPath.<String>read(json, "$.pipelines[0].stages[0].name")).isEqualTo("held");
			assertThat(JsonPath.<Integer>read(json, "$.pipelines[0].stages[0].inFlight")).isEqualTo(BATCH_SIZE);
			assertThat(JsonPath.<Integer>read(json, "$.pipelines[0].stages[0].processed")).isZero();
			assertThat(JsonPath.<Integer>read(json, "$.pipelines[0].stages[0].skipped")).isZero();
			assertThat(JsonPath.<Integer>read(json, "$.pipelines[0].stages[0].retries")).isZero();
			assertThat(JsonPath.<Integer>read(json, "$.pipelines[0].stages[0].timeouts")).isZero();
			assertThat(JsonPath.<Boolean>read(json, "$.pipelines[0].stages[0].skipFailures")).isFalse();
			assertThat(JsonPath.<Map<String, Object>>read(json, "$.pipelines[0].stages[0]"))
				.doesNotContainKeys("maxRetries", "skipLimit", "timeout");
		}
	}

	@Test
	void blllibEndpointSelectorShouldShowTheNamedPipelineAndAnswerNotFoundForAnUnknownOne() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("frozen", "held")) {
			freeze(pipeline);
			HttpResponse<String> frozen = get("/actuator/blllib/frozen");
			assertThat(frozen.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<List<String>>read(frozen.body(), "$.pipelines[*].name")).containsExactly("frozen");
			assertThat(JsonPath.<Integer>read(frozen.body(), "$.pipelines[0].stages[0].inFlight")).isEqualTo(BATCH_SIZE);
			assertThat(get("/actuator/blllib/unknown").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void healthEndpointShouldShowTheFrozenPipelineUnderBlllibAsUpBeforeTheStallTimeout() throws Exception {
		try (Pipeline<Integer, Integer> pipeline = this.factory.create("frozen", "held")) {
			freeze(pipeline);
			HttpResponse<String> health = get("/actuator/health/blllib");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<String>read(health.body(), "$.status")).isEqualTo("UP");
			assertThat(JsonPath.<String>read(health.body(), "$.details.pipelines[0].name")).isEqualTo("frozen");
			assertThat(JsonPath.<Boolean>read(health.body(), "$.details.pipelines[0].hasOpenRun")).isTrue();
			assertThat(JsonPath.<List<Object>>read(health.body(), "$.details.pipelines[0].stalledStages")).isEmpty();
		}
	}

	@Test
	void liveViewShouldNotBeServedUnlessEnabled() throws Exception {
		assertThat(get("/blllib/").statusCode()).isEqualTo(404);
		assertThat(get("/blllib/live-view.js").statusCode()).isEqualTo(404);
	}

	/** Starts a run on the consumer thread and waits until the held stage has a full batch in flight. */
	private Future<List<Integer>> freeze(Pipeline<Integer, Integer> pipeline) {
		Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(range(INPUTS)));
		await().untilAsserted(() -> assertThat(measurement(IN_FLIGHT)).isEqualTo(BATCH_SIZE));
		return outputs;
	}

	private double measurement(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonPath.<Number>read(response.body(), "$.measurements[0].value").doubleValue();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
