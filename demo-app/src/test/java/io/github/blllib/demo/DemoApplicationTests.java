package io.github.blllib.demo;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo end to end, with a small time unit and a short long job: what each job produced,
 * read from {@link DemoResults}, and Actuator over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "demo.unit=1ms", "demo.items=2000", "demo.progress-interval=10ms" })
class DemoApplicationTests {

	private static final int ITEMS = 2000;

	/** The inputs the flaky stage fails for good: the cubes 1, 8, ..., 1728. */
	private static final int PERMANENT_FAILURES = 12;

	/** The inputs the flaky stage fails once: 42, 142, ..., 1942. */
	private static final int TRANSIENT_FAILURES = 20;

	/** The inputs the remote screening turns away: the multiples of 97 up to 1940 (none a cube). */
	private static final int SCREENED_OUT = 20;

	/** The inputs that reach collatz-steps. */
	private static final int SCREENED_IN = ITEMS - PERMANENT_FAILURES - SCREENED_OUT;

	@Autowired
	private DemoResults results;

	@LocalServerPort
	private int port;

	@Test
	void seedExampleGivesSevenOnes() {
		assertThat(this.results.seedExample().outputs()).containsExactlyElementsOf(Collections.nCopies(7, 1.0));
	}

	@Test
	void seedExampleTimesBothModes() {
		SeedExampleResult seedExample = this.results.seedExample();
		assertThat(seedExample.parallel()).isPositive();
		assertThat(seedExample.sequential()).isPositive();
	}

	@Test
	void accumulatorGivesRunningTotals() {
		assertThat(this.results.accumulatorOutputs()).containsExactly(1L, 3L, 6L, 10L, 15L, 21L, 28L, 36L, 45L, 55L);
	}

	@Test
	void secondDifferenceOfSquaresGivesZMinusXOverWindowsOfThree() {
		assertThat(this.results.secondDifferenceOutputs()).containsExactly(4L, 8L, 12L, 16L, 20L, 24L, 28L, 32L,
				36L);
	}

	@Test
	void pipelineDeclaredInApplicationYmlRunsAccumulatorThenSecondDifference() {
		assertThat(this.results.configuredPipelineOutputs()).containsExactly(3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L,
				19L);
	}

	@Test
	void longJobCompletesWithTheExactExpectedResult() {
		LongJobResult result = awaitLongJob();
		long[] kept = LongStream.rangeClosed(1, ITEMS)
			.filter((n) -> !FlakyLookup.isCube(n) && !RemoteScreening.isBlocked(n))
			.toArray();
		long[] totals = new long[kept.length + 1];
		for (int i = 0; i < kept.length; i++) {
			totals[i + 1] = totals[i] + CollatzSteps.steps(kept[i]);
		}
		long checksum = LongStream.rangeClosed(1, kept.length - 2)
			.map((i) -> totals[(int) i + 2] - totals[(int) i])
			.sum();
		assertThat(result.items()).isEqualTo(ITEMS);
		assertThat(result.outputs()).isEqualTo(SCREENED_IN - 2);
		assertThat(result.checksum()).isEqualTo(checksum);
	}

	@Test
	void remoteScreeningIsAnAsyncStageThatDropsWhatTheServiceTurnsAway() {
		LongJobResult result = awaitLongJob();
		assertThat(LongStream.rangeClosed(1, ITEMS)
			.filter((n) -> RemoteScreening.isBlocked(n) && !FlakyLookup.isCube(n))
			.count()).isEqualTo(SCREENED_OUT);
		assertThat(result.screenedOut()).isEqualTo(SCREENED_OUT);
		String body = get("/actuator/blllib").getBody();
		String screening = "$.pipelines[0].stages[?(@.name == 'remoteScreening')]";
		assertThat(JsonPath.<List<Boolean>>read(body, screening + ".async")).containsExactly(true);
		assertThat(JsonPath.<List<Integer>>read(body, screening + ".batchSize")).containsExactly(256);
		assertThat(JsonPath.<List<Integer>>read(body, screening + ".activeThreads")).containsExactly(0);
		assertThat(JsonPath.<List<Number>>read(body, screening + ".dropped")).map(Number::longValue)
			.containsExactly((long) SCREENED_OUT);
		assertThat(JsonPath.<List<Number>>read(body, screening + ".succeeded")).map(Number::longValue)
			.containsExactly((long) SCREENED_IN);
	}

	@Test
	void longJobSummaryCountsTheRetriedAndTheSkippedItems() {
		LongJobResult result = awaitLongJob();
		assertThat(LongStream.rangeClosed(1, ITEMS).filter(FlakyLookup::isCube).count()).isEqualTo(PERMANENT_FAILURES);
		assertThat(result.retried()).isPositive().isEqualTo(TRANSIENT_FAILURES);
		assertThat(result.skipped()).isEqualTo(PERMANENT_FAILURES);
		assertThat(result.outputs()).isEqualTo(result.items() - result.skipped() - result.screenedOut() - 2);
	}

	@Test
	void flakyLookupFailsForGoodOnlyOnCubes() {
		assertThat(LongStream.rangeClosed(1, 30).filter(FlakyLookup::isCube)).containsExactly(1L, 8L, 27L);
	}

	@Test
	void exitCodeIsZeroWhenTheJobsSucceed() {
		awaitLongJob();
		assertThat(this.results.getExitCode()).isZero();
	}

	@Test
	void collatzStepsCountsTheStepsDownToOne() {
		assertThat(List.of(1L, 2L, 6L, 27L)).map(CollatzSteps::steps).containsExactly(0L, 1L, 8L, 111L);
	}

	@Test
	void actuatorHealthAnswersOverHttp() {
		ResponseEntity<String> response = get("/actuator/health");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).contains("\"status\":\"UP\"");
	}

	@Test
	void actuatorBlllibEndpointShowsStageBeansAndTheLongJobPipeline() {
		awaitLongJob();
		ResponseEntity<String> response = get("/actuator/blllib");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		String body = response.getBody();
		assertThat(JsonPath.<List<String>>read(body, "$.stages[*].name")).contains("add", "subtract", "multiply",
				"divide", "accumulator", "secondDifference", "collatzSteps", "flakyLookup", "remoteScreening");
		assertThat(JsonPath.<List<Integer>>read(body, "$.stages[?(@.name == 'divide')].window")).containsExactly(2);
		assertThat(JsonPath.<List<String>>read(body, "$.pipelines[*].name")).containsExactly(LongJob.PIPELINE);
		assertThat(JsonPath.<List<Number>>read(body, "$.pipelines[0].stages[?(@.name == 'collatzSteps')].processed"))
			.map(Number::longValue)
			.containsExactly((long) SCREENED_IN);
	}

	@Test
	void actuatorMetricsShowTheLongJobsProcessedItems() {
		awaitLongJob();
		ResponseEntity<String> response = get("/actuator/metrics/blllib.stage.processed?tag=pipeline:long-job"
				+ "&tag=stage:collatzSteps&tag=outcome:success");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<List<Double>>read(response.getBody(), "$.measurements[?(@.statistic == 'COUNT')].value"))
			.containsExactly((double) SCREENED_IN);
	}

	@Test
	void actuatorMetricsShowTheInFlightGauge() {
		awaitLongJob();
		ResponseEntity<String> response = get("/actuator/metrics/blllib.stage.in.flight?tag=pipeline:long-job");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonPath.<List<String>>read(response.getBody(), "$.availableTags[*].tag")).contains("stage");
	}

	@Test
	void actuatorPrometheusShowsTheStageMetersInItsTextFormat() {
		awaitLongJob();
		ResponseEntity<String> response = get("/actuator/prometheus");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).contains(
				"blllib_stage_processed_total{outcome=\"success\",pipeline=\"long-job\",stage=\"collatzSteps\"} "
						+ SCREENED_IN + ".0",
				"blllib_stage_in_flight_items{", "blllib_stage_duration_seconds_count{");
	}

	@Test
	void liveViewIsServedAndNamesTheBlllibEndpoint() {
		ResponseEntity<String> response = get("/blllib/");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).contains("<meta name=\"blllib-endpoint\" content=\"../actuator/blllib\">");
	}

	private LongJobResult awaitLongJob() {
		CompletableFuture<LongJobResult> longJob = this.results.longJob();
		await().atMost(Duration.ofMinutes(2)).until(longJob::isDone);
		return longJob.join();
	}

	private ResponseEntity<String> get(String path) {
		return RestClient.create("http://localhost:" + this.port).get().uri(path).retrieve().toEntity(String.class);
	}

}
